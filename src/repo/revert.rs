//! `revert`: a new commit on the current branch that undoes one commit's changes (file
//! level), refusing when later commits changed the same paths, and `mv`: renaming tracked
//! files or directories in the working tree and the index together.

use std::collections::BTreeMap;
use std::fs;

use serde::Serialize;

use super::checkout::Move;
use super::{Head, Repo};
use crate::db::IndexEntry;
use crate::error::{Error, Result};
use crate::paths::is_under;
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{Author, Batch, CodeVersion, Commit, ObjectId};

/// What `pach revert` made.
#[derive(Debug, Serialize)]
pub struct RevertOutcome {
    /// The new commit.
    pub id: ObjectId,
    /// The commit it undoes.
    pub reverted: ObjectId,
    pub branch: Option<String>,
    /// Paths put back as they were before the reverted commit.
    pub paths: Vec<String>,
}

/// What `pach mv` did.
#[derive(Debug, Serialize)]
pub struct MvOutcome {
    pub from: String,
    pub to: String,
    /// Tracked files moved.
    pub files: usize,
}

impl Repo {
    /// Commits, on the current branch, the undoing of commit `rev`'s changes relative to its
    /// parent. Refuses a merge commit, staged changes, and paths changed again since `rev`
    /// (naming them); the working tree follows through the safe update (local changes to the
    /// paths it touches are refused, as a checkout refuses them).
    pub fn revert(
        &mut self,
        rev: &str,
        author: Author,
        time: i64,
        code: Option<CodeVersion>,
    ) -> Result<RevertOutcome> {
        let target = self.resolve_rev(rev)?;
        let undone = self.commit_obj(&target)?;
        if undone.parents.len() > 1 {
            return Err(Error::RevertRefused {
                rev: rev.into(),
                reason: "it is a merge commit".into(),
            });
        }
        let head = self.head()?;
        let head_id = self.head_commit()?.ok_or_else(|| Error::NoCommits {
            branch: match &head {
                Head::Branch(b) => b.clone(),
                Head::Detached(_) => "HEAD".into(),
            },
        })?;
        let index = self.db().queries().index()?;
        let staged = self.staged_changes(&index, Some(&head_id))?;
        if !staged.is_empty() {
            return Err(Error::StagedFirst {
                command: "revert",
                paths: staged.into_iter().map(|c| c.path).collect(),
            });
        }
        let parent_tree = match undone.parents.first() {
            Some(p) => Some(self.commit_obj(p)?.tree),
            None => None,
        };
        let changes = self.tree_changes(parent_tree.as_ref(), Some(&undone.tree))?;
        if changes.is_empty() {
            return Err(Error::RevertRefused {
                rev: rev.into(),
                reason: "it changed no file".into(),
            });
        }
        let head_commit = self.commit_obj(&head_id)?;
        let mut wanted = self.flatten(&head_commit.tree)?;
        let mut conflicts = Vec::new();
        for c in &changes {
            let now = wanted.get(&c.path).map(|e| (e.kind, e.id, e.exec));
            let then = c.new.as_ref().map(|e| (e.kind, e.id, e.exec));
            if now != then {
                conflicts.push(c.path.clone());
                continue;
            }
            match &c.old {
                Some(e) => wanted.insert(
                    c.path.clone(),
                    FileEntry {
                        kind: e.kind,
                        id: e.id,
                        size: e.size,
                        exec: e.exec,
                    },
                ),
                None => wanted.remove(&c.path),
            };
        }
        if !conflicts.is_empty() {
            return Err(Error::RevertConflict {
                rev: rev.into(),
                paths: conflicts,
            });
        }
        let subject = undone.message.lines().next().unwrap_or("");
        let commit = Commit {
            tree: self.build_snapshot(&wanted)?,
            parents: vec![head_id],
            author,
            time,
            message: format!("Revert \"{subject}\"\n\nThis reverts commit {target}."),
            code,
            runs: Vec::new(),
        };
        let batch = Batch::default();
        let id = self.store().put(&commit, &batch)?;
        batch.finish(self.store())?;
        let versions = changes
            .iter()
            .filter_map(|c| c.old.as_ref().map(|e| (c.path.clone(), e.id)))
            .collect();
        let branch = match head {
            Head::Branch(b) => Some(b),
            Head::Detached(_) => None,
        };
        let mv = Move::Commit {
            branch: branch.clone(),
            id,
            time,
            versions,
            action: "revert",
        };
        self.update_worktree(&wanted, &[], false, &mv)?;
        Ok(RevertOutcome {
            id,
            reverted: target,
            branch,
            paths: changes.into_iter().map(|c| c.path).collect(),
        })
    }

    /// Writes the trees of snapshot `files` (durably) and returns the root tree's id.
    fn build_snapshot(&self, files: &FlatTree) -> Result<ObjectId> {
        let batch = Batch::default();
        let (tree, _) = super::tree::build(
            self.store(),
            files.iter().map(|(k, v)| (k.as_str(), v)),
            Some(&batch),
        )?;
        batch.finish(self.store())?;
        Ok(tree)
    }

    /// Renames tracked file or directory `from` to `to` (into `to` when that is an existing
    /// directory), in the working tree and the index. Refuses an untracked `from`, an existing
    /// destination, and a directory moved into itself; the index keeps each file's stat cache
    /// (a rename keeps inode and mtime).
    pub fn mv(&mut self, from: &str, to: &str) -> Result<MvOutcome> {
        let index = self.db().queries().index()?;
        let moved: Vec<&String> = index.keys().filter(|k| is_under(k, from)).collect();
        if from.is_empty() || moved.is_empty() {
            return Err(Error::NotTracked { path: from.into() });
        }
        let to_full = self.root().join(to);
        let dest = match to_full.symlink_metadata() {
            // Into an existing directory (the project root is one), as `mv` does.
            Ok(m) if m.is_dir() => {
                let name = from.rsplit('/').next().unwrap_or(from);
                crate::paths::join(to, name)
            }
            _ => to.to_string(),
        };
        if dest == from || is_under(&dest, from) {
            return Err(Error::BadPath {
                path: dest,
                reason: format!("is `{from}` or inside it; nothing was moved"),
            });
        }
        super::checkout::check_names(std::iter::once(&dest))?;
        let dest_full = self.root().join(&dest);
        if dest_full.symlink_metadata().is_ok() || index.keys().any(|k| is_under(k, &dest)) {
            return Err(Error::DestinationExists { path: dest });
        }
        let renamed: BTreeMap<String, IndexEntry> = moved
            .iter()
            .map(|k| {
                let rest = &k[from.len()..];
                (format!("{dest}{rest}"), index[*k].clone())
            })
            .collect();
        let files = renamed.len();
        let mut new_index = index.clone();
        new_index.retain(|k, _| !is_under(k, from));
        new_index.extend(renamed);
        self.check_index_links(&new_index, None)?;
        let from_full = self.root().join(from);
        let io = |path: &std::path::Path| {
            let path = path.to_owned();
            move |source| Error::Io { path, source }
        };
        if let Some(parent) = dest_full.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        if let Err(e) = fs::rename(&from_full, &dest_full) {
            super::add::remove_empty_parents(self.root(), &dest_full);
            return Err(io(&from_full)(e));
        }
        if let Err(e) = self.write_index_and_move(&new_index, &Move::None) {
            let _ = fs::rename(&dest_full, &from_full);
            return Err(e);
        }
        super::add::remove_empty_parents(self.root(), &from_full);
        self.sync_gitignore(&new_index);
        Ok(MvOutcome {
            from: from.into(),
            to: dest,
            files,
        })
    }
}
