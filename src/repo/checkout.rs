//! `checkout`: switching branches or commits, and restoring paths, touching only files that
//! differ and never overwriting local changes unless forced.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use std::sync::atomic::AtomicU64;

use rayon::prelude::*;
use serde::Serialize;

use super::add::remove_empty_parents;
use super::paths::is_safe_link_target;
use super::status::{Seen, stat_of};
use super::tree::{FileEntry, FlatTree, is_under};
use super::{RefKind, Repo, now_ns};
use crate::db::IndexEntry;
use crate::error::{Error, Result};
use crate::store::{EntryKind, LinkMode, ObjectId};

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
    },
}

/// What `pach checkout` did.
#[derive(Debug, Serialize)]
pub struct CheckoutOutcome {
    pub commit: ObjectId,
    pub branch: Option<String>,
    pub written: usize,
    pub deleted: usize,
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
        let index = self.db_ref().read().index()?;
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
        if !allow_absent && let Some((p, e)) = to_absent.first() {
            self.check_fetched(p, &e.id)?;
        }
        self.check_links(wanted)?;
        if !force {
            let touched: Vec<&String> = to_delete
                .iter()
                .chain(to_write.iter().chain(&to_absent).map(|(p, _)| *p))
                .collect();
            self.refuse_local_changes(&index, &touched)?;
        }
        // A file replaced by a version not fetched goes: it was checked clean above.
        let stale: Vec<String> = to_absent
            .iter()
            .filter(|(p, _)| index.get(*p).is_some_and(|e| !e.absent))
            .map(|(p, _)| (*p).clone())
            .collect();
        // Deletions first: a tracked file may stand where the target needs a directory.
        // Everything deleted here is committed and was checked clean above.
        for p in to_delete.iter().chain(&stale) {
            let full = self.root().join(p);
            match fs::remove_file(&full) {
                Ok(()) => remove_empty_parents(self.root(), &full),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Io { path: full, source }),
            }
        }
        let (written, mut entries) = self.write_files(&to_write, &index, force)?;
        entries.extend(
            to_absent
                .iter()
                .map(|(p, e)| ((*p).clone(), absent_entry(e))),
        );
        let mut new_index = index;
        for p in &to_delete {
            new_index.remove(p);
        }
        for (p, e) in &entries {
            new_index.insert(p.clone(), e.clone());
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.write_index_and_move(&new_index, mv)?;
        Ok((written, to_delete.len()))
    }

    /// Fails when blob `id` is not here: naming `path` and how to fetch it when it was
    /// deliberately not fetched.
    pub fn check_fetched(&self, path: &str, id: &ObjectId) -> Result<()> {
        if self.store().contains(id) {
            Ok(())
        } else if self.db_ref().read().is_absent_object(id)? {
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
        self.check_links(&wanted)?;
        let list: Vec<(&String, &FileEntry)> = wanted.iter().collect();
        let mut index = self.db_ref().read().index()?;
        let (written, entries) = self.write_files(&list, &index, true)?;
        for (p, e) in &entries {
            index.insert(p.clone(), e.clone());
        }
        self.write_index_and_move(&index, &Move::None)?;
        Ok(CheckoutOutcome {
            commit: target,
            branch: None,
            written,
            deleted: 0,
        })
    }

    fn refuse_local_changes(
        &self,
        index: &BTreeMap<String, IndexEntry>,
        touched: &[&String],
    ) -> Result<()> {
        let head = self.head_commit()?;
        let staged: Vec<String> = self
            .staged_changes(index, head.as_ref())?
            .into_iter()
            .map(|c| c.path)
            .collect();
        let counter = AtomicU64::new(0);
        let mut dirty: Vec<String> = touched
            .par_iter()
            .filter_map(|p| match index.get(*p) {
                Some(e) => match self.check_entry(p, e, &counter) {
                    Ok(Seen::Same | Seen::Refreshed(..)) => None,
                    Ok(Seen::Missing) if e.absent => None,
                    _ => Some((*p).clone()),
                },
                // Not tracked here: anything on disk at that path is in the way, except a
                // directory holding only tracked files (which the checkout deletes first).
                None => self.untracked_in_the_way(p, index).then(|| (*p).clone()),
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
    fn untracked_in_the_way(&self, p: &str, index: &BTreeMap<String, IndexEntry>) -> bool {
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

    /// Places files from the store, each through a temp name and a rename, except a large
    /// file whose new version extends or truncates the one in place (`store::resize`).
    /// `old` is the index the working tree matches.
    fn write_files(
        &self,
        files: &[(&String, &FileEntry)],
        old: &BTreeMap<String, IndexEntry>,
        force: bool,
    ) -> Result<(usize, Vec<(String, IndexEntry)>)> {
        let mode = self.link_mode();
        let entries = files
            .par_iter()
            .map(|(p, e)| {
                let full = self.root().join(p);
                self.ensure_parent(p, force)?;
                if !self.resized_in_place(&full, e, old.get(*p), mode)? {
                    self.replace_file(p, &full, e, mode)?;
                }
                let m = full.symlink_metadata().map_err(|source| Error::Io {
                    path: full.clone(),
                    source,
                })?;
                let entry = IndexEntry {
                    kind: e.kind,
                    id: e.id,
                    size: e.size,
                    exec: e.exec,
                    stat: stat_of(&m),
                    verified_ns: now_ns(),
                    absent: false,
                };
                Ok(((*p).clone(), entry))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((entries.len(), entries))
    }

    /// Tries [`Store::resize_in_place`](crate::store::Store::resize_in_place) for a large
    /// file of the copy mode whose working copy still matches its index entry `old`.
    fn resized_in_place(
        &self,
        full: &Path,
        e: &FileEntry,
        old: Option<&IndexEntry>,
        mode: LinkMode,
    ) -> Result<bool> {
        use crate::store::loose::LARGE;
        use crate::store::resize::Resized;
        let Some(o) = old else { return Ok(false) };
        let eligible = mode == LinkMode::Copy
            && e.kind == EntryKind::File
            && o.kind == EntryKind::File
            && !o.absent
            && o.exec == e.exec
            && o.size.min(e.size) >= LARGE
            && full
                .symlink_metadata()
                .is_ok_and(|m| m.is_file() && stat_of(&m) == o.stat);
        if !eligible {
            return Ok(false);
        }
        Ok(self.store().resize_in_place(&e.id, full)? == Resized::Done)
    }

    /// Writes `e` at `full` through a temp name and a rename.
    fn replace_file(&self, p: &str, full: &Path, e: &FileEntry, mode: LinkMode) -> Result<()> {
        let tmp = crate::store::loose::temp_beside(full);
        let placed = match e.kind {
            EntryKind::Symlink => {
                let target =
                    String::from_utf8(self.store().read(&e.id)?).map_err(|_| Error::BadPath {
                        path: p.to_owned(),
                        reason: "is a symlink whose stored target is not UTF-8".into(),
                    })?;
                std::os::unix::fs::symlink(target, &tmp).map_err(|source| Error::Io {
                    path: tmp.clone(),
                    source,
                })
            }
            _ => self
                .store()
                .materialize(&e.id, &tmp, mode, e.exec)
                .map_err(Error::from),
        };
        let placed = placed.and_then(|()| {
            // Unlink, then rename into the free name: renaming over an existing file makes
            // ext4 (auto_da_alloc) write the new file's data out first, which doubled the
            // time to check out a 4 GiB file. The old version is committed, and the new one
            // is complete before it takes the name.
            let removed = match full.symlink_metadata() {
                Ok(m) if m.is_dir() => fs::remove_dir_all(full),
                Ok(_) => fs::remove_file(full),
                Err(_) => Ok(()),
            };
            removed.map_err(|source| Error::Io {
                path: full.to_owned(),
                source,
            })?;
            fs::rename(&tmp, full).map_err(|source| Error::Io {
                path: full.to_owned(),
                source,
            })
        });
        if placed.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        placed
    }

    /// Makes every directory above project path `p` a real directory (never a symlink).
    fn ensure_parent(&self, p: &str, force: bool) -> Result<()> {
        let mut dir = self.root().to_path_buf();
        let parts: Vec<&str> = p.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            dir.push(part);
            match dir.symlink_metadata() {
                Ok(m) if m.is_dir() => continue,
                Ok(_) if force => fs::remove_file(&dir).map_err(|source| Error::Io {
                    path: dir.clone(),
                    source,
                })?,
                Ok(_) => {
                    return Err(Error::BadPath {
                        path: super::status::rel_of(self.root(), &dir),
                        reason: "is in the way of a directory the checkout needs; move it or use --force".into(),
                    });
                }
                Err(_) => {}
            }
            match fs::create_dir(&dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => {}
                Err(source) => {
                    return Err(Error::Io {
                        path: dir.clone(),
                        source,
                    });
                }
            }
        }
        Ok(())
    }

    /// Writes the index, its tree id and the ref move in one transaction.
    pub(crate) fn write_index_and_move(
        &mut self,
        index: &BTreeMap<String, IndexEntry>,
        mv: &Move,
    ) -> Result<()> {
        let snapshot = Self::index_snapshot(index);
        let (tree, _) = super::tree::build(
            self.store(),
            snapshot.iter().map(|(k, v)| (k.as_str(), v)),
            None,
        )?;
        self.db().transaction(|tx| {
            tx.set_index(index)?;
            match mv {
                Move::None => {}
                Move::Head(h) => tx.set_ref("HEAD", h)?,
                Move::Commit {
                    branch,
                    id,
                    time,
                    versions,
                } => {
                    match branch {
                        Some(b) => tx.set_ref(&format!("refs/heads/{b}"), &id.hex())?,
                        None => tx.set_ref("HEAD", &id.hex())?,
                    }
                    tx.add_commit(id, *time)?;
                    tx.add_versions(id, *time, versions)?;
                }
            }
            tx.set_meta("index_tree", &tree.hex())
        })?;
        Ok(())
    }

    /// Refuses a snapshot holding a symlink that would point outside the project, so a
    /// checkout can never plant a link to `/etc/…` (trees may come from elsewhere).
    fn check_links(&self, files: &FlatTree) -> Result<()> {
        // A link not fetched is not written either (callers refuse or mark it absent).
        for (p, e) in files
            .iter()
            .filter(|(_, e)| e.kind == EntryKind::Symlink && self.store().contains(&e.id))
        {
            let target = self.store().read(&e.id)?;
            let text = String::from_utf8_lossy(&target);
            if !is_safe_link_target(p, &text) {
                return Err(Error::BadPath {
                    path: p.clone(),
                    reason: format!(
                        "is a symlink to `{text}`, outside the project; refusing to check it out"
                    ),
                });
            }
        }
        Ok(())
    }
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
