//! `checkout`: switching branches or commits, and restoring paths, touching only files that
//! differ and never overwriting local changes unless forced.

use std::collections::{BTreeMap, HashMap};
use std::fs;

use std::sync::atomic::AtomicU64;

use rayon::prelude::*;
use serde::Serialize;

use super::status::Seen;
use super::{RefKind, Repo};
use crate::db::IndexEntry;
use crate::error::{Error, Result};
use crate::paths::is_under;
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{Batch, EntryKind, ObjectId};

/// How refs move together with an index update.
pub enum Move {
    /// Refs stay.
    None,
    /// `HEAD` becomes this raw value (`ref: refs/heads/x` or a commit id).
    Head(String),
    /// A new commit: the branch (or detached `HEAD`) moves to it and it is indexed.
    Commit {
        branch: Option<String>,
        id: ObjectId,
        time: i64,
        /// The file versions (path, blob) the commit added or changed.
        versions: Vec<(String, ObjectId)>,
        /// What moved it, for the reflog (`commit`, `run`, `pull`, `reset`).
        action: &'static str,
    },
    /// A merge stopped on conflicts: `MERGE_HEAD` and the conflicted paths are recorded.
    MergeStopped {
        theirs: ObjectId,
        conflicts: Vec<String>,
    },
    /// The merge in progress is abandoned (`merge --abort`); refs stay.
    MergeAborted,
    /// These paths (and all under them) were staged: conflicts there are resolved.
    Resolve(Vec<String>),
}

/// What `pach checkout` did.
#[derive(Debug, Serialize)]
pub struct CheckoutOutcome {
    pub commit: ObjectId,
    pub branch: Option<String>,
    pub written: usize,
    pub deleted: usize,
    /// Files of the commit that were not written because a purge erased their content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub purged: Vec<PurgedFile>,
}

/// A file a working-tree update left out because its content was purged.
#[derive(Debug, Serialize)]
pub struct PurgedFile {
    pub path: String,
    pub object: ObjectId,
    pub purge: ObjectId,
    /// When the purge was made, in seconds since the Unix epoch.
    pub time: i64,
    pub reason: String,
}

impl Repo {
    /// Switches to a branch (or detaches at a commit) and updates the working tree.
    pub fn checkout(&mut self, rev: &str, force: bool) -> Result<CheckoutOutcome> {
        let (target, branch) = match self.get_ref(RefKind::Branch, rev)? {
            Some(id) => (id, Some(rev.to_string())),
            None => (self.resolve_rev(rev)?, None),
        };
        let wanted = self.flatten(&self.commit_obj(&target)?.tree)?;
        let head = match &branch {
            Some(b) => format!("ref: refs/heads/{b}"),
            None => target.hex(),
        };
        let (written, deleted) = self.update_worktree(&wanted, &[], force, &Move::Head(head))?;
        Ok(CheckoutOutcome {
            commit: target,
            branch,
            written,
            deleted,
            purged: self.purged_files(&wanted)?,
        })
    }

    /// Makes the working tree and index match `wanted` at and under `scope` (everywhere when
    /// empty), touching only files that differ, then moves refs as `mv` says, in the same
    /// transaction as the index. Returns (files written, files deleted).
    pub(crate) fn update_worktree(
        &mut self,
        wanted: &FlatTree,
        scope: &[String],
        force: bool,
        mv: &Move,
    ) -> Result<(usize, usize)> {
        self.update_worktree_partial(wanted, scope, force, mv, false)
    }

    /// [`Repo::update_worktree`]; with `allow_absent` (a `pull --path`), a file whose blob
    /// was not fetched gets an absent index entry instead of an error, and is not written.
    pub(crate) fn update_worktree_partial(
        &mut self,
        wanted: &FlatTree,
        scope: &[String],
        force: bool,
        mv: &Move,
        allow_absent: bool,
    ) -> Result<(usize, usize)> {
        let in_scope = |p: &str| scope.is_empty() || scope.iter().any(|s| is_under(p, s));
        let index = self.db().queries().index()?;
        let current = Self::index_snapshot(&index);
        let to_delete: Vec<String> = current
            .keys()
            .filter(|p| in_scope(p) && !wanted.contains_key(*p))
            .cloned()
            .collect();
        // Changed files, and absent ones whose content has arrived since.
        type Files<'a> = Vec<(&'a String, &'a FileEntry)>;
        let (to_write, to_absent): (Files<'_>, Files<'_>) = wanted
            .iter()
            .filter(|(p, e)| {
                in_scope(p)
                    && (current.get(*p) != Some(e)
                        || index[*p].absent && self.store().contains(&e.id))
            })
            .partition(|(_, e)| self.store().contains(&e.id));
        if !allow_absent && !to_absent.is_empty() {
            // A purged file is left out like one not fetched (its caller reports it); any
            // other missing content stops the update before it changes anything.
            let purges = self.purges()?;
            for (p, e) in to_absent.iter().filter(|(_, e)| !purges.contains(&e.id)) {
                self.check_fetched(p, &e.id)?;
            }
        }
        check_names(to_write.iter().chain(&to_absent).map(|(p, _)| *p))?;
        self.check_links(wanted)?;
        if !force {
            let touched: Vec<&String> = to_delete
                .iter()
                .chain(to_write.iter().chain(&to_absent).map(|(p, _)| *p))
                .collect();
            self.refuse_local_changes(&index, &touched, wanted)?;
        }
        // A file replaced by a version not fetched goes: it was checked clean above.
        let stale = to_absent
            .iter()
            .filter(|(p, _)| index.get(*p).is_some_and(|e| !e.absent))
            .map(|(p, _)| (*p).clone());
        let gone: Vec<String> = to_delete.iter().cloned().chain(stale).collect();
        // Everything deleted or replaced here is committed and was checked clean above.
        let entries = self.switch_files(&gone, &to_write, &index, force)?;
        let written = entries.len();
        // The paths touched, in order (`switch_files` wrote an entry for each of `to_write`),
        // and what those the index knew held, to put them back if the index cannot be
        // written. Only those: a clone of 10^6 files touches 10^6 paths the index never had.
        let touched = || gone.iter().chain(to_write.iter().map(|(p, _)| *p));
        let prior: HashMap<&str, IndexEntry> = touched()
            .filter_map(|p| Some((p.as_str(), index.get(p)?.clone())))
            .collect();
        let mut new_index = index;
        for p in &to_delete {
            new_index.remove(p);
        }
        new_index.extend(entries);
        new_index.extend(
            to_absent
                .iter()
                .map(|(p, e)| ((*p).clone(), absent_entry(e))),
        );
        if let Err(e) = self.write_index_and_move(&new_index, mv) {
            // The index and refs did not move: the working tree goes back to match them.
            let paths: Vec<_> = touched()
                .map(|p| (p.as_str(), prior.get(p.as_str())))
                .collect();
            self.put_back_paths(&paths);
            return Err(e);
        }
        self.sync_gitignore(&new_index);
        Ok((written, to_delete.len()))
    }

    /// Returns the files of `wanted` left out of the working tree (absent in the index)
    /// because a purge erased their content; none, without a look at the snapshot, in a
    /// repository that never purged. A working-tree copy still there is not reported.
    pub(crate) fn purged_files(&self, wanted: &FlatTree) -> Result<Vec<PurgedFile>> {
        let purges = self.purges()?;
        if purges.is_empty() {
            return Ok(Vec::new());
        }
        let index = self.db().queries().index()?;
        Ok(wanted
            .iter()
            .filter(|(path, _)| index.get(*path).is_some_and(|e| e.absent))
            .filter_map(|(path, e)| {
                let (purge, rec) = purges.get(&e.id)?;
                Some(PurgedFile {
                    path: path.clone(),
                    object: e.id,
                    purge: *purge,
                    time: rec.time,
                    reason: rec.reason.clone(),
                })
            })
            .collect())
    }

    /// Fails when blob `id` is not here: naming `path` and how to fetch it when it was
    /// deliberately not fetched.
    pub fn check_fetched(&self, path: &str, id: &ObjectId) -> Result<()> {
        if self.store().contains(id) {
            Ok(())
        } else if let Some(e) = self.purges()?.error(path, id) {
            Err(e)
        } else if self.db().queries().is_absent_object(id)? {
            Err(not_fetched(path))
        } else {
            Err(crate::store::Error::Missing { id: *id }.into())
        }
    }

    /// Restores `paths` from `rev` into the working tree and the index; `HEAD` stays.
    pub fn restore(&mut self, rev: &str, paths: &[String]) -> Result<CheckoutOutcome> {
        let target = self.resolve_rev(rev)?;
        let tree = self.commit_obj(&target)?.tree;
        let mut wanted = FlatTree::new();
        for p in paths {
            let part = self.flatten_at(&tree, p)?;
            if part.is_empty() {
                return Err(Error::NotAFile {
                    rev: rev.into(),
                    path: p.clone(),
                    reason: "does not exist at that revision",
                });
            }
            wanted.extend(part);
        }
        for (p, e) in &wanted {
            self.check_fetched(p, &e.id)?;
        }
        check_names(wanted.keys())?;
        self.check_links(&wanted)?;
        let list: Vec<(&String, &FileEntry)> = wanted.iter().collect();
        let index = self.db().queries().index()?;
        let entries = self.switch_files(&[], &list, &index, true)?;
        let written = entries.len();
        let index = self.write_restored(index, entries, &list)?;
        self.sync_gitignore(&index);
        Ok(CheckoutOutcome {
            commit: target,
            branch: None,
            written,
            deleted: 0,
            purged: Vec::new(),
        })
    }

    /// Writes `index` with the `entries` of the files `list` just restored; if that fails,
    /// puts those files back as `index` had them. Returns the index written.
    pub(crate) fn write_restored(
        &mut self,
        mut index: BTreeMap<String, IndexEntry>,
        entries: Vec<(String, IndexEntry)>,
        list: &[(&String, &FileEntry)],
    ) -> Result<BTreeMap<String, IndexEntry>> {
        let prior: Vec<Option<IndexEntry>> =
            list.iter().map(|(p, _)| index.get(*p).cloned()).collect();
        index.extend(entries);
        if let Err(e) = self.write_index_and_move(&index, &Move::None) {
            let paths: Vec<_> = list
                .iter()
                .zip(&prior)
                .map(|((p, _), o)| (p.as_str(), o.as_ref()))
                .collect();
            self.put_back_paths(&paths);
            return Err(e);
        }
        Ok(index)
    }

    /// Refuses to touch paths whose working copy differs from the index, unless it already
    /// is what `wanted` asks for (a switch killed part-way left it so: going on is safe).
    /// Fails as [`Repo::update_worktree`] would when bringing the whole working tree to
    /// `wanted` would overwrite local changes, changing nothing: for operations that must
    /// know before they write objects.
    pub(crate) fn refuse_overwrite(&self, wanted: &FlatTree) -> Result<()> {
        let index = self.db().queries().index()?;
        let current = Self::index_snapshot(&index);
        let touched: Vec<&String> = current
            .keys()
            .filter(|p| !wanted.contains_key(*p))
            .chain(
                wanted
                    .iter()
                    .filter(|(p, e)| current.get(*p) != Some(e))
                    .map(|(p, _)| p),
            )
            .collect();
        self.refuse_local_changes(&index, &touched, wanted)
    }

    fn refuse_local_changes(
        &self,
        index: &BTreeMap<String, IndexEntry>,
        touched: &[&String],
        wanted: &FlatTree,
    ) -> Result<()> {
        let head = self.head_commit()?;
        let staged: Vec<String> = self
            .staged_changes(index, head.as_ref())?
            .into_iter()
            .map(|c| c.path)
            .collect();
        let counter = AtomicU64::new(0);
        let is_wanted = |p: &str| match wanted.get(p) {
            None => false,
            Some(w) => {
                let as_wanted = IndexEntry {
                    kind: w.kind,
                    id: w.id,
                    size: w.size,
                    exec: w.exec,
                    stat: Default::default(),
                    verified_ns: 0,
                    absent: false,
                };
                matches!(
                    self.check_entry(p, &as_wanted, &counter),
                    Ok(Seen::Same | Seen::Refreshed(..))
                )
            }
        };
        let mut dirty: Vec<String> = touched
            .par_iter()
            .filter_map(|p| match index.get(*p) {
                Some(e) => match self.check_entry(p, e, &counter) {
                    Ok(Seen::Same | Seen::Refreshed(..)) => None,
                    // Nothing is lost by writing where nothing is (as git does).
                    Ok(Seen::Missing) => None,
                    Ok(Seen::Changed { .. }) if is_wanted(p) => None,
                    _ => Some((*p).clone()),
                },
                // Not tracked here: anything on disk at that path is in the way, except a
                // directory holding only tracked files (which the checkout deletes first)
                // and a file that already is the wanted version.
                None => {
                    (self.untracked_in_the_way(p, index) && !is_wanted(p)).then(|| (*p).clone())
                }
            })
            .collect();
        dirty.extend(
            touched
                .iter()
                .filter(|p| staged.contains(p))
                .map(|p| (*p).clone()),
        );
        dirty.sort();
        dirty.dedup();
        if dirty.is_empty() {
            Ok(())
        } else {
            Err(Error::WouldOverwrite { paths: dirty })
        }
    }

    /// Tells whether something not tracked occupies project path `p`.
    pub(super) fn untracked_in_the_way(
        &self,
        p: &str,
        index: &BTreeMap<String, IndexEntry>,
    ) -> bool {
        let full = self.root().join(p);
        match full.symlink_metadata() {
            Err(_) => false,
            Ok(m) if m.is_dir() => walkdir::WalkDir::new(&full)
                .min_depth(1)
                .into_iter()
                .any(|e| {
                    e.map_or(true, |e| {
                        !e.file_type().is_dir()
                            && !index.contains_key(&super::status::rel_of(self.root(), e.path()))
                    })
                }),
            Ok(_) => true,
        }
    }

    /// Writes the index, its tree id and the ref move in one transaction.
    pub(crate) fn write_index_and_move(
        &mut self,
        index: &BTreeMap<String, IndexEntry>,
        mv: &Move,
    ) -> Result<()> {
        // The chunks that change say which directories' trees must be built again.
        let cache = self.stored_index_trees()?;
        let plan = self.db().queries().plan_index(index, cache.is_some())?;
        let batch = Batch::default();
        let trees =
            super::index_trees::build(self.store(), index, cache.as_ref(), &plan.touched, &batch)?;
        batch.finish(self.store())?;
        let tree = trees.root;
        self.db_mut().transaction(|tx| {
            tx.apply_index(&plan)?;
            tx.set_index_trees(trees.whole, &trees.rows)?;
            match mv {
                Move::None => {}
                Move::Head(h) => tx.set_ref("HEAD", h, "checkout")?,
                Move::Commit {
                    branch,
                    id,
                    time,
                    versions,
                    action,
                } => super::commit::move_to_commit(
                    tx,
                    branch.as_deref(),
                    id,
                    *time,
                    versions,
                    action,
                )?,
                Move::MergeStopped { theirs, conflicts } => {
                    super::merge::start_merge(tx, theirs, conflicts)?
                }
                Move::MergeAborted => super::merge::end_merge(tx)?,
                Move::Resolve(paths) => {
                    super::merge::resolve_conflicts(tx, &|c| paths.iter().any(|p| is_under(c, p)))?
                }
            }
            tx.set_meta("index_tree", &tree.hex())
        })?;
        Ok(())
    }

    /// Refuses a snapshot holding a symlink that would lead outside the project or into
    /// `.git/` or `.pach/`, resolved through the snapshot's other links, so a checkout can
    /// never plant a link to `/etc/…` (trees may come from elsewhere).
    pub(crate) fn check_links(&self, files: &FlatTree) -> Result<()> {
        // A link not fetched is not written either (callers refuse or mark it absent); to
        // the others it is a path the snapshot does not know.
        let paths = files
            .iter()
            .filter(|(_, e)| e.kind != EntryKind::Symlink || self.store().contains(&e.id))
            .map(|(p, e)| (p.as_str(), e.kind.into()));
        let checked = crate::paths::check_links(paths, |p| {
            let id = files[p].id;
            refuse_long_target(p, files[p].size.max(self.stored_len(&id)))?;
            Ok::<_, Error>(String::from_utf8_lossy(&self.store().read(&id)?).into_owned())
        })?;
        checked.map_err(|u| Error::BadPath {
            path: u.path,
            reason: format!(
                "is a symlink to `{}`, which leads outside the project or into `.git/` or \
                 `.pach/` ({}); refusing to check it out",
                u.target.escape_debug(),
                u.reason
            ),
        })
    }
}

impl Repo {
    /// The length of object `id` as stored (0 when it is not here).
    pub(crate) fn stored_len(&self, id: &ObjectId) -> u64 {
        fs::metadata(self.store().path(id)).map_or(0, |m| m.len())
    }
}

/// Refuses to write any path with a component that would be `.git` or `.pach` on some
/// system (see [`crate::paths::validate_name`]), whatever tree it comes from.
pub(crate) fn check_names<'a>(paths: impl Iterator<Item = &'a String>) -> Result<()> {
    for p in paths {
        for part in p.split('/') {
            if let Err(why) = crate::paths::validate_name(part) {
                return Err(Error::BadPath {
                    path: p.clone(),
                    reason: format!(
                        "holds the name `{}`, which pach refuses to write ({why}); nothing was \
                         changed",
                        part.escape_debug()
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The longest symlink target the OS accepts (`PATH_MAX` less its NUL).
pub(crate) const MAX_LINK_TARGET: u64 = 4095;

/// Refuses, before reading it, a symlink whose stored target no OS would accept: a tree
/// from elsewhere could name a blob of any size as a link.
pub(crate) fn refuse_long_target(path: &str, size: u64) -> Result<()> {
    if size > MAX_LINK_TARGET {
        return Err(Error::BadPath {
            path: path.into(),
            reason: format!(
                "is a symlink whose target is {size} bytes long; the limit is {MAX_LINK_TARGET}"
            ),
        });
    }
    Ok(())
}

/// An index entry for a file known but not fetched.
fn absent_entry(e: &FileEntry) -> IndexEntry {
    IndexEntry {
        kind: e.kind,
        id: e.id,
        size: e.size,
        exec: e.exec,
        stat: Default::default(),
        verified_ns: 0,
        absent: true,
    }
}

/// The error for a file whose content was not fetched (`pull --path`).
fn not_fetched(path: &str) -> Error {
    Error::BadPath {
        path: path.into(),
        reason: "was not fetched (the clone or pull used --path); run `pach pull` without \
                 --path to fetch it"
            .into(),
    }
}
