//! Status: the index against `HEAD` (staged), the working tree against the index
//! (unstaged), and untracked files in tracked directories.
//!
//! An unchanged file is told by its stat data alone (size, mtime in ns, inode, kind, exec
//! bit) and never read. A "racy" entry, whose mtime is within [`racy_margin`] of the moment
//! its stat data was verified, could have been rewritten in the same timestamp tick without
//! its stat data changing, so it is re-hashed, as git does for racily clean entries.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::ignore::Ignores;
use super::tree::{FileEntry, FlatTree};
use super::{Repo, now_ns};
use crate::db::{IndexEntry, Stat};
use crate::error::{Error, Result};
use crate::store::{EntryKind, ObjectId, loose::hash_file};

/// What happened to a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
}

/// One changed path, with sizes before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub path: String,
    pub kind: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_size: Option<u64>,
}

/// The result of `pach status`.
#[derive(Debug, Serialize)]
pub struct Status {
    pub branch: Option<String>,
    pub detached_at: Option<ObjectId>,
    pub head: Option<ObjectId>,
    pub staged: Vec<Change>,
    pub unstaged: Vec<Change>,
    pub untracked: Vec<String>,
    /// Files whose content was read to decide (not racy, not changed in size: zero).
    pub files_hashed: u64,
}

/// What the working tree holds at an index path, after looking.
pub(crate) enum Seen {
    Same,
    /// Content equal, stat data new: worth refreshing in the cache.
    Refreshed(Stat, i64),
    Changed {
        new_size: Option<u64>,
    },
    Missing,
}

/// Returns the lstat-derived stat data and kind of a path.
pub(crate) fn stat_of(m: &fs::Metadata) -> Stat {
    Stat {
        size: m.len(),
        mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
        ino: m.ino(),
    }
}

/// Returns how close an mtime may be to the verification time before an entry is racy.
///
/// 20 ms covers the kernel's coarse clock tick; a filesystem that keeps whole seconds only
/// (mtime with zero nanoseconds) gets 2 s.
pub(crate) fn racy_margin(mtime_ns: i64) -> i64 {
    if mtime_ns % 1_000_000_000 == 0 {
        2_000_000_000
    } else {
        20_000_000
    }
}

impl Repo {
    /// Compares the working tree at `path` with its index entry.
    pub(crate) fn check_entry(
        &self,
        path: &str,
        e: &IndexEntry,
        hashed: &std::sync::atomic::AtomicU64,
    ) -> Result<Seen> {
        let full = self.root().join(path);
        let m = match fs::symlink_metadata(&full) {
            Ok(m) => m,
            Err(err)
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(Seen::Missing);
            }
            Err(source) => return Err(Error::Io { path: full, source }),
        };
        let kind = if m.file_type().is_symlink() {
            EntryKind::Symlink
        } else if m.is_file() {
            EntryKind::File
        } else {
            return Ok(Seen::Changed { new_size: None });
        };
        let exec = kind == EntryKind::File && m.permissions().mode() & 0o111 != 0;
        let stat = stat_of(&m);
        if kind != e.kind || exec != e.exec || stat.size != e.size {
            return Ok(Seen::Changed {
                new_size: Some(stat.size),
            });
        }
        let racy = stat.mtime_ns + racy_margin(stat.mtime_ns) >= e.verified_ns;
        if stat == e.stat && !racy {
            return Ok(Seen::Same);
        }
        hashed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let now = now_ns();
        let id = match kind {
            EntryKind::Symlink => {
                let t = fs::read_link(&full).map_err(|source| Error::Io {
                    path: full.clone(),
                    source,
                })?;
                ObjectId::of(t.as_os_str().as_encoded_bytes())
            }
            _ => ObjectId::from_hash(hash_file(&full)?.0),
        };
        if id != e.id {
            return Ok(Seen::Changed {
                new_size: Some(stat.size),
            });
        }
        // Only a stat that is no longer racy is worth caching.
        let still_racy = stat.mtime_ns + racy_margin(stat.mtime_ns) >= now;
        Ok(if still_racy || (stat == e.stat && e.verified_ns >= now) {
            Seen::Same
        } else {
            Seen::Refreshed(stat, now)
        })
    }

    /// Computes the status; refreshes the stat cache when the lock is free.
    pub fn status(&mut self) -> Result<Status> {
        let index = self.db_ref().read().index()?;
        let head = self.head_commit()?;
        let staged = self.staged_changes(&index, head.as_ref())?;
        let hashed = std::sync::atomic::AtomicU64::new(0);
        let (unstaged, refresh, untracked) = {
            let (checked, untracked) = rayon::join(
                || self.unstaged_changes(&index, &hashed),
                || self.untracked(&index),
            );
            let (unstaged, refresh) = checked?;
            (unstaged, refresh, untracked?)
        };
        if !refresh.is_empty() && self.try_upgrade() {
            let entries: Vec<(String, IndexEntry)> = refresh
                .into_iter()
                .map(|(p, stat, at)| {
                    let mut e = index[&p].clone();
                    e.stat = stat;
                    e.verified_ns = at;
                    (p, e)
                })
                .collect();
            self.db()
                .transaction(|tx| tx.put_entries(entries.iter().map(|(p, e)| (p.as_str(), e))))?;
        }
        let (branch, detached_at) = match self.head()? {
            super::Head::Branch(b) => (Some(b), None),
            super::Head::Detached(id) => (None, Some(id)),
        };
        let files_hashed = hashed.into_inner();
        Ok(Status {
            branch,
            detached_at,
            head,
            staged,
            unstaged,
            untracked,
            files_hashed,
        })
    }

    /// Returns the index as a snapshot.
    pub fn index_snapshot(index: &BTreeMap<String, IndexEntry>) -> FlatTree {
        index
            .iter()
            .map(|(p, e)| {
                (
                    p.clone(),
                    FileEntry {
                        kind: e.kind,
                        id: e.id,
                        size: e.size,
                        exec: e.exec,
                    },
                )
            })
            .collect()
    }

    /// Returns the changes from `HEAD` to the index.
    pub(crate) fn staged_changes(
        &self,
        index: &BTreeMap<String, IndexEntry>,
        head: Option<&ObjectId>,
    ) -> Result<Vec<Change>> {
        let head_tree = match head {
            Some(h) => Some(self.commit_obj(h)?.tree),
            None => None,
        };
        // The index's tree id is kept beside it, so a clean index costs no tree reads.
        let index_tree = self.db_ref().read().meta("index_tree")?;
        if let (Some(t), Some(it)) = (&head_tree, &index_tree)
            && t.hex() == *it
        {
            return Ok(Vec::new());
        }
        let old = match head_tree {
            Some(t) => self.flatten(&t)?,
            None => FlatTree::new(),
        };
        Ok(diff_snapshots(&old, &Self::index_snapshot(index)))
    }

    #[allow(clippy::type_complexity)]
    fn unstaged_changes(
        &self,
        index: &BTreeMap<String, IndexEntry>,
        hashed: &std::sync::atomic::AtomicU64,
    ) -> Result<(Vec<Change>, Vec<(String, Stat, i64)>)> {
        let seen: Vec<(&String, Seen)> = index
            .par_iter()
            .map(|(p, e)| Ok((p, self.check_entry(p, e, hashed)?)))
            .collect::<Result<_>>()?;
        let mut changes = Vec::new();
        let mut refresh = Vec::new();
        for (p, s) in seen {
            let old_size = Some(index[p].size);
            match s {
                Seen::Same => {}
                Seen::Refreshed(stat, at) => refresh.push((p.clone(), stat, at)),
                Seen::Changed { new_size } => changes.push(Change {
                    path: p.clone(),
                    kind: ChangeKind::Modified,
                    old_size,
                    new_size,
                }),
                Seen::Missing => changes.push(Change {
                    path: p.clone(),
                    kind: ChangeKind::Deleted,
                    old_size,
                    new_size: None,
                }),
            }
        }
        Ok((changes, refresh))
    }

    /// Lists untracked files in directories that hold tracked files; an untracked directory
    /// is listed once, as `dir/` (if it holds any file that is not ignored).
    ///
    /// Only the directories holding tracked files are listed (`read_dir`, no stat), and
    /// `.pachignore` rules are loaded only for names that are not tracked: a clean tree costs
    /// one directory listing per tracked directory.
    pub(crate) fn untracked(&self, index: &BTreeMap<String, IndexEntry>) -> Result<Vec<String>> {
        let mut tracked_dirs: BTreeSet<&str> = BTreeSet::new();
        let mut ancestors: HashSet<&str> = HashSet::new();
        for p in index.keys() {
            let parent = p.rfind('/').map_or("", |i| &p[..i]);
            if tracked_dirs.insert(parent) {
                let mut d = parent;
                while !d.is_empty() {
                    d = d.rfind('/').map_or("", |i| &d[..i]);
                    ancestors.insert(d);
                }
            }
        }
        let root = self.root();
        let listings: Vec<(&str, Vec<(String, bool)>)> = tracked_dirs
            .par_iter()
            .map(|d| Ok((*d, list_dir(&root.join(d))?)))
            .collect::<Result<_>>()?;
        let mut candidates = Vec::new();
        for (dir, entries) in &listings {
            for (name, is_dir) in entries {
                let rel = if dir.is_empty() {
                    name.clone()
                } else {
                    format!("{dir}/{name}")
                };
                let special = name == ".git" || (dir.is_empty() && name == ".pach");
                let walked = *is_dir
                    && (tracked_dirs.contains(rel.as_str()) || ancestors.contains(rel.as_str()));
                if !special && !walked && !index.contains_key(&rel) {
                    candidates.push((rel, *is_dir));
                }
            }
        }
        let mut rules = Ignores::new(root);
        let mut found = Vec::new();
        for (rel, is_dir) in candidates {
            if rules.is_ignored(&rel, is_dir) {
                continue;
            }
            if !is_dir {
                found.push(rel);
            } else if self.holds_unignored_file(&rel, &mut rules)? {
                found.push(format!("{rel}/"));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Tells whether an untracked directory holds any file `.pachignore` does not exclude.
    fn holds_unignored_file(&self, rel: &str, rules: &mut Ignores<'_>) -> Result<bool> {
        let dir = self.root().join(rel);
        for entry in walkdir::WalkDir::new(&dir).min_depth(1).follow_links(false) {
            let entry = entry.map_err(|e| Error::Io {
                path: dir.clone(),
                source: e.into(),
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            if !rules.is_ignored(&rel_of(self.root(), entry.path()), false) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Lists a directory's names with whether each is a directory (from the dirent type).
fn list_dir(dir: &Path) -> Result<Vec<(String, bool)>> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        // A tracked directory that is gone has no untracked files.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new());
        }
        Err(e) => return Err(io(e)),
    };
    let mut out = Vec::new();
    for e in rd {
        let e = e.map_err(io)?;
        let is_dir = e.file_type().map_err(io)?.is_dir();
        out.push((e.file_name().to_string_lossy().into_owned(), is_dir));
    }
    Ok(out)
}

/// Returns the path of `p` relative to `root`, `/`-separated (lossy for non-UTF-8 names).
pub(crate) fn rel_of(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

/// Returns the changes that turn snapshot `old` into `new`, sorted by path.
pub fn diff_snapshots(old: &FlatTree, new: &FlatTree) -> Vec<Change> {
    let mut out = Vec::new();
    for (p, o) in old {
        match new.get(p) {
            None => out.push(Change {
                path: p.clone(),
                kind: ChangeKind::Deleted,
                old_size: Some(o.size),
                new_size: None,
            }),
            Some(n) if n != o => out.push(Change {
                path: p.clone(),
                kind: ChangeKind::Modified,
                old_size: Some(o.size),
                new_size: Some(n.size),
            }),
            Some(_) => {}
        }
    }
    for (p, n) in new {
        if !old.contains_key(p) {
            out.push(Change {
                path: p.clone(),
                kind: ChangeKind::Added,
                old_size: None,
                new_size: Some(n.size),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
