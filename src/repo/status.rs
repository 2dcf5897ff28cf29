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
    /// is listed once, as `dir/`.
    pub(crate) fn untracked(&self, index: &BTreeMap<String, IndexEntry>) -> Result<Vec<String>> {
        let mut tracked_dirs: HashSet<String> = HashSet::new();
        let mut ancestors: HashSet<String> = HashSet::new();
        for p in index.keys() {
            let parent = p.rfind('/').map_or("", |i| &p[..i]);
            if tracked_dirs.insert(parent.to_string()) {
                let mut d = parent;
                while let Some(i) = d.rfind('/') {
                    d = &d[..i];
                    ancestors.insert(d.to_string());
                }
                if !parent.is_empty() {
                    ancestors.insert(String::new());
                }
            }
        }
        let mut found = BTreeSet::new();
        // Descend into tracked directories, their ancestors and untracked subdirectories of
        // tracked directories (to see whether they hold any file); nowhere else.
        let keep: super::add::Keep = std::sync::Arc::new(move |rel: &str, is_dir: bool| {
            !is_dir
                || rel.is_empty()
                || tracked_dirs.contains(rel)
                || ancestors.contains(rel)
                || under_tracked(rel, &tracked_dirs)
        });
        let walker = super::add::walker(self.root(), self.root(), Some(keep));
        for entry in walker.build() {
            let entry = entry.map_err(walk_error)?;
            if entry.file_type().is_some_and(|t| t.is_dir()) {
                continue;
            }
            let rel = rel_of(self.root(), entry.path());
            if index.contains_key(&rel) {
                continue;
            }
            if let Some(shown) = untracked_name(&rel, index) {
                found.insert(shown);
            }
        }
        Ok(found.into_iter().collect())
    }
}

/// Returns the path of `p` relative to `root`, `/`-separated (lossy for non-UTF-8 names).
pub(crate) fn rel_of(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .into_owned()
}

fn under_tracked(rel: &str, tracked_dirs: &HashSet<String>) -> bool {
    let mut d = rel;
    while let Some(i) = d.rfind('/') {
        d = &d[..i];
        if tracked_dirs.contains(d) {
            return true;
        }
    }
    tracked_dirs.contains("")
}

/// Returns how an untracked file is shown: itself if its directory holds tracked files,
/// else its topmost untracked directory under a tracked one, or `None` if neither.
fn untracked_name(rel: &str, index: &BTreeMap<String, IndexEntry>) -> Option<String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let mut best = None;
    for depth in (0..parts.len()).rev() {
        let dir = parts[..depth].join("/");
        if has_tracked_child(&dir, index) {
            return Some(if depth + 1 == parts.len() {
                rel.to_string()
            } else {
                best.unwrap_or_default()
            });
        }
        best = Some(format!("{}/", parts[..depth].join("/")));
    }
    None
}

fn has_tracked_child(dir: &str, index: &BTreeMap<String, IndexEntry>) -> bool {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    index
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .any(|(k, _)| !k[prefix.len()..].contains('/'))
}

pub(crate) fn walk_error(e: ignore::Error) -> Error {
    let path = match &e {
        ignore::Error::WithPath { path, .. } => path.display().to_string(),
        _ => String::new(),
    };
    let io = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("walk failed"));
    Error::Io {
        path: path.into(),
        source: io,
    }
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
