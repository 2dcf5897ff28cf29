//! Status: the index against `HEAD` (staged), the working tree against the index
//! (unstaged), and untracked files in tracked directories.
//!
//! An unchanged file is told by its stat data alone (size, mtime in ns, inode, kind, exec
//! bit) and never read. A "racy" entry, whose mtime is within [`racy_margin`] of the moment
//! its stat data was verified, could have been rewritten in the same timestamp tick without
//! its stat data changing, so it is re-hashed, as git does for racily clean entries.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::Repo;
use crate::db::{IndexEntry, Stat};
use crate::error::{Error, Result};
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{EntryKind, ObjectId, loose::hash_file};
use crate::time::now_ns;

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
    /// Tracked files deliberately not fetched (`pull --path`), not counted as deleted.
    pub absent: usize,
    /// Tracked files left out because a purge erased their content.
    pub purged: usize,
    /// The merge waiting for its conflicts, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merging: Option<Merging>,
    /// The git side (`status_with_git` only, inside a git worktree).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<super::GitSide>,
}

/// A merge in progress, as status shows it.
#[derive(Debug, Serialize)]
pub struct Merging {
    /// The commit being merged (`MERGE_HEAD`).
    pub theirs: ObjectId,
    /// Paths still in conflict: resolved by `pach add` (or `pach rm`).
    pub conflicts: Vec<String>,
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

/// What the working tree holds at a path: its kind (`None`: neither file nor symlink),
/// executable bit and stat data.
pub(crate) struct Observed {
    kind: Option<EntryKind>,
    exec: bool,
    stat: Stat,
}

impl Observed {
    pub(crate) fn of_metadata(m: &fs::Metadata) -> Observed {
        Observed::of_mode(m.permissions().mode(), stat_of(m))
    }

    // The field types of `struct stat` differ between platforms; the casts are no-ops here.
    #[allow(clippy::unnecessary_cast)]
    fn of_stat(st: &rustix::fs::Stat) -> Observed {
        let stat = Stat {
            size: st.st_size as u64,
            mtime_ns: st.st_mtime as i64 * 1_000_000_000 + st.st_mtime_nsec as i64,
            ino: st.st_ino as u64,
        };
        Observed::of_mode(st.st_mode as u32, stat)
    }

    fn of_mode(mode: u32, stat: Stat) -> Observed {
        let kind = match mode & 0o170000 {
            0o120000 => Some(EntryKind::Symlink),
            0o100000 => Some(EntryKind::File),
            _ => None,
        };
        let exec = kind == Some(EntryKind::File) && mode & 0o111 != 0;
        Observed { kind, exec, stat }
    }
}

fn is_gone(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
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

/// Dates the verification of files a checkout just wrote past their racy margin, waiting
/// for it (20 ms at most; never on a filesystem that keeps whole seconds), so the next
/// command trusts their stat instead of re-hashing them: after a checkout that wrote or
/// resized a 4 GiB file, the next `status` spent 4.4 s hashing it again.
///
/// Git stays racy here; pach waits, because it wrote these files itself: a write by another
/// process within the same clock tick as the checkout's own last write to a file goes unseen,
/// and such a writer races the checkout anyway. A later write has a later mtime.
pub(crate) fn settle(entries: &mut [(String, IndexEntry)]) {
    let fine = |e: &IndexEntry| racy_margin(e.stat.mtime_ns) < 1_000_000_000;
    let Some(until) = entries
        .iter()
        .filter(|(_, e)| fine(e))
        .map(|(_, e)| e.stat.mtime_ns + racy_margin(e.stat.mtime_ns))
        .max()
    else {
        return;
    };
    let wait = until + 1 - now_ns();
    if wait > 25_000_000 {
        return; // an mtime in the future: leave the entries racy
    }
    if wait > 0 {
        std::thread::sleep(std::time::Duration::from_nanos(wait as u64));
    }
    let now = now_ns();
    for (_, e) in entries.iter_mut() {
        if fine(e) && e.stat.mtime_ns + racy_margin(e.stat.mtime_ns) < now {
            e.verified_ns = now;
        }
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
        match fs::symlink_metadata(&full) {
            Ok(m) => self.judge(path, e, &Observed::of_metadata(&m), hashed),
            Err(err) if is_gone(&err) => Ok(Seen::Missing),
            Err(source) => Err(Error::Io { path: full, source }),
        }
    }

    /// Decides from what the working tree holds whether an index entry changed, reading the
    /// file only when its stat data cannot tell (changed mtime, same size) or it is racy.
    pub(crate) fn judge(
        &self,
        path: &str,
        e: &IndexEntry,
        seen: &Observed,
        hashed: &std::sync::atomic::AtomicU64,
    ) -> Result<Seen> {
        let (Some(kind), stat) = (seen.kind, seen.stat) else {
            return Ok(Seen::Changed { new_size: None });
        };
        if kind != e.kind || seen.exec != e.exec || stat.size != e.size {
            return Ok(Seen::Changed {
                new_size: Some(stat.size),
            });
        }
        let racy = stat.mtime_ns + racy_margin(stat.mtime_ns) >= e.verified_ns;
        if stat == e.stat && !racy {
            return Ok(Seen::Same);
        }
        let full = self.root().join(path);
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
        let index = self.db().queries().index()?;
        let head = self.head_commit()?;
        let staged = self.staged_changes(&index, head.as_ref())?;
        let hashed = std::sync::atomic::AtomicU64::new(0);
        let (unstaged, refresh, candidates) = self.scan(index.iter(), None, &hashed)?;
        let untracked = self.filter_untracked(candidates)?;
        if !refresh.is_empty() && self.try_upgrade() {
            // Re-read under the lock: a writer may have moved the index since.
            let mut fresh = self.db().queries().index()?;
            for (p, stat, at) in refresh {
                if let Some(e) = fresh.get_mut(&p)
                    && *e == index[&p]
                {
                    e.stat = stat;
                    e.verified_ns = at;
                }
            }
            self.db_mut().transaction(|tx| tx.set_index(&fresh))?;
        }
        let (branch, detached_at) = match self.head()? {
            super::Head::Branch(b) => (Some(b), None),
            super::Head::Detached(id) => (None, Some(id)),
        };
        let files_hashed = hashed.into_inner();
        let absent: Vec<ObjectId> = index.values().filter(|e| e.absent).map(|e| e.id).collect();
        let purges = (!absent.is_empty()).then(|| self.purges()).transpose()?;
        let purged = (absent.iter())
            .filter(|id| purges.as_ref().is_some_and(|p| p.contains(id)))
            .count();
        let merging = self
            .merge_state()?
            .map(|(theirs, conflicts)| Merging { theirs, conflicts });
        Ok(Status {
            merging,
            branch,
            detached_at,
            head,
            staged,
            unstaged,
            untracked,
            files_hashed,
            absent: absent.len() - purged,
            purged,
            git: None,
        })
    }

    /// Returns the index as a snapshot.
    pub fn index_snapshot(index: &BTreeMap<String, IndexEntry>) -> FlatTree {
        index
            .iter()
            .map(|(p, e)| (p.clone(), file_entry(e)))
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
        let index_tree = self.db().queries().meta("index_tree")?;
        if let (Some(t), Some(it)) = (&head_tree, &index_tree)
            && t.hex() == *it
        {
            return Ok(Vec::new());
        }
        let Some(head_tree) = head_tree else {
            return Ok(diff_snapshots(
                &FlatTree::new(),
                &Self::index_snapshot(index),
            ));
        };
        // Read only HEAD's trees that differ from the index's: a directory whose tree id is
        // the same on both sides holds no change. The index's tree ids come from the tree
        // cache, kept with it (`index` is the stored index), else are computed.
        let ids: BTreeMap<String, ObjectId> = match self.db().queries().index_trees()? {
            Some(trees) => trees.into_iter().map(|(d, (id, _))| (d, id)).collect(),
            None => {
                let new = Self::index_snapshot(index);
                super::tree::dir_ids(self.store(), new.iter().map(|(k, v)| (k.as_str(), v)))?
            }
        };
        if ids.get("") == Some(&head_tree) {
            return Ok(Vec::new());
        }
        let (old, pruned) = self.flatten_pruned(&head_tree, &ids)?;
        let pruned: HashSet<&str> = pruned.iter().map(String::as_str).collect();
        fn pruned_above<'p>(pruned: &HashSet<&str>, p: &'p str) -> Option<&'p str> {
            p.match_indices('/')
                .map(|(i, _)| &p[..i])
                .find(|d| pruned.contains(d))
        }
        // The index's entries outside the pruned directories; each pruned directory's
        // entries (contiguous in path order) are passed over in one range lookup.
        let mut new = FlatTree::new();
        let mut from = String::new();
        'scan: loop {
            let range = (
                std::ops::Bound::Included(from.as_str()),
                std::ops::Bound::Unbounded,
            );
            for (p, e) in index.range::<str, _>(range) {
                if let Some(d) = pruned_above(&pruned, p) {
                    from = format!("{d}0"); // `0` follows `/`: the first path after `d/`
                    continue 'scan;
                }
                new.insert(p.clone(), file_entry(e));
            }
            break;
        }
        Ok(diff_snapshots(&old, &new))
    }

    /// Compares index entries with the working tree, one directory at a time: each
    /// directory is opened once, its tracked names are `lstat`ed relative to it (one path
    /// component per lookup), and its listing, read from the same descriptor, gives the
    /// untracked candidates (in the directories holding `entries`). With `add_under`, the
    /// path an `add` stages, every directory under it is listed too, and a file that was
    /// not fetched and is now here counts as changed (`add` stages it), where `status`
    /// calls it clean.
    pub(crate) fn scan<'a>(
        &self,
        entries: impl Iterator<Item = (&'a String, &'a IndexEntry)>,
        add_under: Option<&str>,
        hashed: &std::sync::atomic::AtomicU64,
    ) -> Result<Scanned> {
        let mut dirs: BTreeMap<&str, Vec<(&str, &String, &IndexEntry)>> = BTreeMap::new();
        for (p, e) in entries {
            let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
            dirs.entry(dir).or_default().push((name, p, e));
        }
        // Directories walked on their own: holding tracked files, or above one that does.
        let mut walked: HashSet<&str> = HashSet::new();
        for d in dirs.keys() {
            let mut d = *d;
            while walked.insert(d) && !d.is_empty() {
                d = d.rsplit_once('/').map_or("", |(a, _)| a);
            }
        }
        // Status lists the directories that hold tracked files; `add` also those under
        // the path it adds that hold only directories (it stages every new file there).
        let mut order: Vec<&str> = match add_under {
            None => dirs.keys().copied().collect(),
            Some(p) => walked
                .iter()
                .copied()
                .filter(|d| dirs.contains_key(d) || crate::paths::is_under(d, p))
                .collect(),
        };
        order.sort_unstable();
        let scans: Vec<DirScan> = order
            .par_iter()
            .map(|dir| {
                let entries = dirs.get(dir).map_or(&[][..], Vec::as_slice);
                self.scan_dir(dir, entries, &walked, add_under.is_some(), hashed)
            })
            .collect::<Result<_>>()?;
        let (mut changes, mut refresh, mut candidates) = (Vec::new(), Vec::new(), Vec::new());
        for scan in scans {
            changes.extend(scan.changes);
            refresh.extend(scan.refresh);
            candidates.extend(scan.candidates);
        }
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((changes, refresh, candidates))
    }

    fn scan_dir(
        &self,
        dir: &str,
        entries: &[(&str, &String, &IndexEntry)],
        walked: &HashSet<&str>,
        for_add: bool,
        hashed: &std::sync::atomic::AtomicU64,
    ) -> Result<DirScan> {
        use rustix::fs::{AtFlags, Mode, OFlags};
        let mut out = DirScan::default();
        let full = self.root().join(dir);
        let fd = match rustix::fs::open(
            &full,
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        ) {
            Ok(fd) => Some(fd),
            Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => None,
            Err(e) => {
                return Err(Error::Io {
                    path: full,
                    source: e.into(),
                });
            }
        };
        for (name, path, e) in entries {
            let seen = match &fd {
                None => Seen::Missing,
                Some(fd) => match rustix::fs::statat(fd, *name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) => self.judge(path, e, &Observed::of_stat(&st), hashed)?,
                    Err(rustix::io::Errno::NOENT | rustix::io::Errno::NOTDIR) => Seen::Missing,
                    Err(err) => {
                        return Err(Error::Io {
                            path: self.root().join(path),
                            source: err.into(),
                        });
                    }
                },
            };
            let old_size = Some(e.size);
            let seen = match seen {
                // Not fetched and not here: as it should be. Here: compared, never cached,
                // and staged by `add` (it is no longer absent).
                Seen::Missing if e.absent => Seen::Same,
                Seen::Refreshed(stat, _) if e.absent && for_add => Seen::Changed {
                    new_size: Some(stat.size),
                },
                Seen::Refreshed(..) if e.absent => Seen::Same,
                s => s,
            };
            match seen {
                Seen::Same => {}
                Seen::Refreshed(stat, at) => out.refresh.push(((*path).clone(), stat, at)),
                Seen::Changed { new_size } => out.changes.push(Change {
                    path: (*path).clone(),
                    kind: ChangeKind::Modified,
                    old_size,
                    new_size,
                }),
                Seen::Missing => out.changes.push(Change {
                    path: (*path).clone(),
                    kind: ChangeKind::Deleted,
                    old_size,
                    new_size: None,
                }),
            }
        }
        let Some(fd) = fd else { return Ok(out) };
        let tracked: HashSet<&str> = entries.iter().map(|(n, _, _)| *n).collect();
        let listing = crate::paths::list_dir(&fd, dir, |name, _| !tracked.contains(name));
        for (rel, is_dir) in listing.map_err(|e| Error::Io {
            path: full.clone(),
            source: e.into(),
        })? {
            if super::ignore::is_special(&rel) || (is_dir && walked.contains(rel.as_str())) {
                continue;
            }
            out.candidates.push((rel, is_dir));
        }
        Ok(out)
    }
}

/// What [`Repo::scan`] found: changes (by path), stat-cache refreshes (path, stat,
/// verified at) and untracked candidates (path, is a directory), the last with names that
/// are not UTF-8 spelled lossily.
pub(crate) type Scanned = (Vec<Change>, Vec<(String, Stat, i64)>, Vec<(String, bool)>);

/// What scanning one directory found.
#[derive(Default)]
struct DirScan {
    changes: Vec<Change>,
    refresh: Vec<(String, Stat, i64)>,
    candidates: Vec<(String, bool)>,
}

/// An index entry as a snapshot holds it.
fn file_entry(e: &IndexEntry) -> FileEntry {
    FileEntry {
        kind: e.kind,
        id: e.id,
        size: e.size,
        exec: e.exec,
    }
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
