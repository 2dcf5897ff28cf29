//! Refs: `HEAD`, branches, tags and remote-tracking branches, and revision syntax (`HEAD~2`,
//! `main^`, `v1`, `origin/main`, `3fa9c1`).

use super::Repo;
use crate::error::{Error, Result};
use crate::store::{Commit, ObjectId};

/// What `HEAD` points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Head {
    /// On a branch, which may have no commits yet.
    Branch(String),
    /// Detached at a commit.
    Detached(ObjectId),
}

/// Branches or tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Branch,
    Tag,
}

impl RefKind {
    fn prefix(self) -> &'static str {
        match self {
            RefKind::Branch => "refs/heads/",
            RefKind::Tag => "refs/tags/",
        }
    }

    fn word(self) -> &'static str {
        match self {
            RefKind::Branch => "branch",
            RefKind::Tag => "tag",
        }
    }
}

/// Checks a branch or tag name (a subset of git's rules).
pub fn validate_ref_name(name: &str, what: &'static str) -> Result<()> {
    let bad = |reason| {
        Err(Error::BadName {
            name: name.into(),
            what,
            reason,
        })
    };
    if name.is_empty() || name == "HEAD" || name == "@" {
        return bad("it is empty or reserved");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._/-+".contains(&b))
    {
        return bad("use letters, digits, `.`, `_`, `-`, `+` and `/` only");
    }
    if name.starts_with(['-', '/', '.'])
        || name.ends_with(['/', '.'])
        || name.contains("..")
        || name.contains("//")
    {
        return bad(
            "it may not start with `-`, `/` or `.`, end with `/` or `.`, or contain `..` or `//`",
        );
    }
    Ok(())
}

impl Repo {
    /// Returns what `HEAD` points at.
    pub fn head(&self) -> Result<Head> {
        let raw = self
            .db()
            .queries()
            .get_ref("HEAD")?
            .unwrap_or_else(|| "ref: refs/heads/main".into());
        match raw.strip_prefix("ref: refs/heads/") {
            Some(b) => Ok(Head::Branch(b.to_string())),
            None => raw.parse().map(Head::Detached).map_err(|_| {
                Error::Db(crate::db::Error::BadValue {
                    path: self.pach_dir().join("pach.db"),
                    what: "HEAD",
                    value: raw,
                })
            }),
        }
    }

    /// Returns the commit `HEAD` resolves to, or `None` on a branch with no commits.
    pub fn head_commit(&self) -> Result<Option<ObjectId>> {
        match self.head()? {
            Head::Detached(id) => Ok(Some(id)),
            Head::Branch(b) => self.get_ref(RefKind::Branch, &b),
        }
    }

    /// Returns the commit a branch or tag points at.
    pub fn get_ref(&self, kind: RefKind, name: &str) -> Result<Option<ObjectId>> {
        let raw = self
            .db()
            .queries()
            .get_ref(&format!("{}{name}", kind.prefix()))?;
        raw.map(|r| {
            r.parse()
                .map_err(|_| Error::UnknownRev { rev: name.into() })
        })
        .transpose()
    }

    /// Lists branches or tags with their commits, sorted by name.
    pub fn list_refs(&self, kind: RefKind) -> Result<Vec<(String, ObjectId)>> {
        let rows = self.db().queries().refs(kind.prefix())?;
        rows.into_iter()
            .map(|(n, t)| {
                let id = t
                    .parse()
                    .map_err(|_| Error::UnknownRev { rev: n.clone() })?;
                Ok((n[kind.prefix().len()..].to_string(), id))
            })
            .collect()
    }

    /// Lists the remote-tracking branches (`refs/remotes/<remote>/<branch>`, what fetch and
    /// push record) as (`<remote>/<branch>`, commit), sorted by name.
    pub fn list_remote_refs(&self) -> Result<Vec<(String, ObjectId)>> {
        let prefix = "refs/remotes/";
        let rows = self.db().queries().refs(prefix)?;
        rows.into_iter()
            .map(|(n, t)| {
                let id = t
                    .parse()
                    .map_err(|_| Error::UnknownRev { rev: n.clone() })?;
                Ok((n[prefix.len()..].to_string(), id))
            })
            .collect()
    }

    /// Looks a revision base up as a full ref name (`refs/heads/x`, `refs/tags/x`,
    /// `refs/remotes/r/x`) or as a remote-tracking branch `<remote>/<branch>`. Asked after
    /// local branches and tags, so those win over a remote-tracking branch of the same name
    /// (git's order).
    fn remote_or_full_ref(&self, base: &str) -> Result<Option<ObjectId>> {
        let full = if base.starts_with("refs/") {
            base.to_string()
        } else if base.contains('/') {
            format!("refs/remotes/{base}")
        } else {
            return Ok(None);
        };
        let raw = self.db().queries().get_ref(&full)?;
        raw.map(|r| {
            r.parse()
                .map_err(|_| Error::UnknownRev { rev: base.into() })
        })
        .transpose()
    }

    /// Creates a branch or tag at `target`.
    pub fn create_ref(&mut self, kind: RefKind, name: &str, target: ObjectId) -> Result<()> {
        validate_ref_name(name, kind.word())?;
        let full = format!("{}{name}", kind.prefix());
        self.db_mut().transaction(|tx| {
            if tx.get_ref(&full)?.is_some() {
                return Ok(Err(match kind {
                    RefKind::Branch => Error::BranchExists { name: name.into() },
                    RefKind::Tag => Error::TagExists { name: name.into() },
                }));
            }
            tx.set_ref(&full, &target.hex(), kind.word())?;
            Ok(Ok(()))
        })?
    }

    /// Deletes a branch (never the current one) or a tag.
    pub fn delete_ref(&mut self, kind: RefKind, name: &str) -> Result<ObjectId> {
        if kind == RefKind::Branch && self.head()? == Head::Branch(name.into()) {
            return Err(Error::DeleteCurrentBranch { name: name.into() });
        }
        let old = self.get_ref(kind, name)?.ok_or_else(|| match kind {
            RefKind::Branch => Error::NoSuchBranch { name: name.into() },
            RefKind::Tag => Error::NoSuchTag { name: name.into() },
        })?;
        let full = format!("{}{name}", kind.prefix());
        let action = format!("{} -d", kind.word());
        self.db_mut()
            .transaction(|tx| tx.delete_ref(&full, &action))?;
        Ok(old)
    }

    /// Reads a commit object.
    pub fn commit_obj(&self, id: &ObjectId) -> Result<Commit> {
        Ok(self.store().get(id)?)
    }

    /// Resolves a revision to a commit id.
    ///
    /// Syntax: a base (`HEAD`, a branch, a tag, a remote-tracking branch `origin/main`, a full
    /// ref name `refs/heads/x`, `refs/tags/x` or `refs/remotes/origin/x`, a full commit id or
    /// a unique prefix of at least 4 hex digits; looked up in that order), then any number of
    /// `^` (first parent) and `~N` (N-th ancestor); or `REF@{n}`, where `REF` was `n` moves
    /// ago (`repo::reflog`).
    pub fn resolve_rev(&self, rev: &str) -> Result<ObjectId> {
        if let Some(id) = self.resolve_reflog_rev(rev)? {
            return Ok(id);
        }
        let unknown = || Error::UnknownRev { rev: rev.into() };
        let cut = rev.find(['~', '^']).unwrap_or(rev.len());
        let (base, mut suffix) = rev.split_at(cut);
        let mut id = self.resolve_base(base, rev)?;
        while !suffix.is_empty() {
            let (steps, rest) = if let Some(r) = suffix.strip_prefix('^') {
                (1, r)
            } else {
                let r = &suffix[1..];
                let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                let n = if digits == 0 {
                    1
                } else {
                    r[..digits].parse().map_err(|_| unknown())?
                };
                (n, &r[digits..])
            };
            for _ in 0..steps {
                id = *self.commit_obj(&id)?.parents.first().ok_or_else(unknown)?;
            }
            suffix = rest;
        }
        Ok(id)
    }

    fn resolve_base(&self, base: &str, rev: &str) -> Result<ObjectId> {
        let unknown = || Error::UnknownRev { rev: rev.into() };
        if base == "HEAD" || base == "@" {
            return match self.head()? {
                Head::Detached(id) => Ok(id),
                Head::Branch(b) => self
                    .get_ref(RefKind::Branch, &b)?
                    .ok_or(Error::NoCommits { branch: b }),
            };
        }
        if base == super::MERGE_HEAD {
            return match self.merge_state()? {
                Some((theirs, _)) => Ok(theirs),
                None => Err(unknown()),
            };
        }
        if let Some(id) = self.get_ref(RefKind::Branch, base)? {
            return Ok(id);
        }
        if let Some(id) = self.get_ref(RefKind::Tag, base)? {
            return Ok(id);
        }
        if let Some(id) = self.remote_or_full_ref(base)? {
            return Ok(id);
        }
        let is_hex =
            base.len() >= 4 && base.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !is_hex {
            return Err(unknown());
        }
        let found = self.db().queries().commits_with_prefix(base)?;
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(unknown()),
            many => Err(Error::AmbiguousRev {
                rev: rev.into(),
                candidates: many
                    .iter()
                    .map(|c| c.short())
                    .collect::<Vec<_>>()
                    .join(", ")
                    + ", …",
            }),
        }
    }
}

impl Repo {
    /// Returns the remote-tracking refs (`refs/remotes/<remote>/<branch>`) as roots: what
    /// `pach fetch` brought is history users still read (`pach log <id>`, a later pull).
    pub(super) fn remote_tracking_roots(&self) -> Result<Vec<(String, ObjectId)>> {
        let refs = self.db().queries().refs("refs/remotes/")?;
        Ok(refs
            .into_iter()
            .filter_map(|(name, target)| Some((name, target.parse().ok()?)))
            .collect())
    }
}
