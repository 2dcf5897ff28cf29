//! Switching the working tree from the snapshot the index describes to another, so that a
//! failure part-way (a full disk, a read error, an object that fails verification) leaves
//! the old tree.
//!
//! Two phases. **Prepare** does everything that needs new space or can fail for a reason
//! other than a bug: every new file is written whole under a temp name beside its place
//! (`.pach-tmp-*`, a name `add` and `status` never see; in `.pach/tmp/` when a file to be
//! deleted still stands where its directory goes), large files that grow by appending are appended to in place, and missing directories
//! are created. A failure there removes the temp files, truncates grown files back and
//! removes the directories it made: nothing visible changed. **Switch** then only unlinks,
//! renames and truncates, which need no space; if even that fails, every path it touched
//! is put back from the store (the old versions are committed: the caller checked them
//! clean), and the error is returned.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::Repo;
use super::add::remove_empty_parents;
use crate::db::IndexEntry;
use crate::error::{Error, Result};
use crate::snapshot::FileEntry;
use crate::store::loose::{LARGE, temp_beside_at, temp_seq};
use crate::store::resize::{Direction, Resized};
use crate::store::{EntryKind, LinkMode, ObjectId};

/// One file made ready by the prepare phase. Small (32 bytes), as a checkout of 10^6 files
/// holds one for each.
#[derive(Clone)]
enum Ready {
    /// The new content sits beside the path, at the temp name with this number
    /// ([`temp_beside_at`]), to be renamed over it.
    Beside(u64),
    /// The new content sits at this temp path in `.pach/tmp/` (the path's directory appears
    /// only when the switch deletes the file standing where it goes).
    Temp(PathBuf),
    /// Grown in place already; undone by truncating back to the old length.
    Grown(u64),
    /// To be truncated in place when switching (a shrink needs no space); holds the id of
    /// the version there now.
    Shrink(ObjectId),
}

/// What the switch did, to put it back if a later step fails.
#[derive(Default)]
struct Undo {
    /// Paths deleted, with the committed versions they held.
    deleted: Vec<(String, Option<IndexEntry>)>,
    /// Positions in `write` of the paths replaced (each held `old`'s version, or nothing):
    /// 8 bytes a file, not a copy of its path and entry.
    wrote: Vec<usize>,
}

impl Repo {
    /// Replaces the tracked files `delete` and writes `write` (each `(path, entry)`), with
    /// `old` the index the working tree matches. Returns the new index entries of `write`.
    ///
    /// A file or symlink standing where a directory is needed (one that is not itself
    /// deleted here) is refused unless `force`, which removes it; a directory is never
    /// entered through a symlink.
    pub(crate) fn switch_files(
        &self,
        delete: &[String],
        write: &[(&String, &FileEntry)],
        old: &BTreeMap<String, IndexEntry>,
        force: bool,
    ) -> Result<Vec<(String, IndexEntry)>> {
        let deleting: HashSet<&str> = delete.iter().map(String::as_str).collect();
        let in_the_way = self.in_the_way(delete, write)?;
        if !force && let Some(p) = in_the_way.iter().find(|p| !deleting.contains(p.as_str())) {
            return Err(Error::BadPath {
                path: p.clone(),
                reason: "is a file or symlink in the way of a directory the checkout needs; \
                         move it or use --force"
                    .into(),
            });
        }
        let blocked = |p: &str| ancestors(p).any(|a| in_the_way.contains(a));
        let made = Mutex::new(Vec::new());
        let mode = self.link_mode();
        let bytes = write.iter().map(|(_, e)| e.size).sum();
        self.progress.begin("writing", write.len() as u64, bytes);
        // The failure of the first path in `write` that fails, as a serial run would report.
        let failed: Mutex<Option<(usize, Error)>> = Mutex::new(None);
        let prepared: Vec<Option<Ready>> = write
            .par_iter()
            .enumerate()
            .inspect(|(_, (_, e))| self.progress.advance(e.size))
            .map(|(i, (p, e))| {
                let r = self.prepare_one(p, e, old.get(*p), mode, blocked(p), &made);
                r.map_err(|e| {
                    let mut f = failed.lock().expect("no panics while locked");
                    if f.as_ref().is_none_or(|(j, _)| i < *j) {
                        *f = Some((i, e));
                    }
                })
                .ok()
            })
            .collect();
        self.progress.end();
        if let Some((_, e)) = failed.into_inner().expect("no panics while locked") {
            let mut made = made.into_inner().expect("no panics while locked");
            for (r, (p, _)) in prepared.iter().zip(write) {
                if let Some(r) = r {
                    self.unprepare(p, r);
                }
            }
            made.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
            for d in made {
                let _ = fs::remove_dir(d);
            }
            return Err(e);
        }
        let ready: Vec<Ready> = prepared.into_iter().flatten().collect();
        let mut undo = Undo::default();
        match self.switch(
            delete,
            write,
            &ready,
            old,
            &in_the_way,
            &deleting,
            &mut undo,
        ) {
            Ok(mut entries) => {
                super::status::settle(&mut entries);
                Ok(entries)
            }
            Err(e) => {
                self.put_back(undo, write, old);
                for (r, (p, _)) in ready.iter().zip(write) {
                    self.unprepare(p, r);
                }
                Err(e)
            }
        }
    }

    /// Lists the paths of non-directories standing where a directory of a touched path
    /// must be (a parent that is a file or a symlink).
    fn in_the_way(
        &self,
        delete: &[String],
        write: &[(&String, &FileEntry)],
    ) -> Result<HashSet<String>> {
        let mut state: HashMap<&str, bool> = HashMap::new();
        let mut out = HashSet::new();
        let touched = delete
            .iter()
            .map(String::as_str)
            .chain(write.iter().map(|w| w.0.as_str()));
        for p in touched {
            for a in ancestors(p) {
                if state.contains_key(a) {
                    continue;
                }
                let full = self.root().join(a);
                let ok = match full.symlink_metadata() {
                    Ok(m) => m.is_dir(),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                    Err(source) => return Err(Error::Io { path: full, source }),
                };
                state.insert(a, ok);
                if !ok {
                    out.insert(a.to_string());
                }
            }
        }
        Ok(out)
    }

    /// Makes one file ready without changing anything visible at its path.
    fn prepare_one(
        &self,
        p: &str,
        e: &FileEntry,
        old: Option<&IndexEntry>,
        mode: LinkMode,
        blocked: bool,
        made: &Mutex<Vec<PathBuf>>,
    ) -> Result<Ready> {
        let full = self.root().join(p);
        // Its directory appears only once the switch deletes what stands there.
        if !blocked {
            self.make_parents(p, made)?;
        }
        if !blocked && let Some(o) = old.filter(|o| self.may_resize(&full, e, o, mode)) {
            if e.size > o.size {
                let r = self
                    .store()
                    .resize_in_place(&e.id, &o.id, &full, Direction::Grow)?;
                if r == Resized::Done {
                    return Ok(Ready::Grown(o.size));
                }
            } else {
                return Ok(Ready::Shrink(o.id));
            }
        }
        // Beside the file when its directory is there: creating 10^4 files in a few
        // directories of `.pach/tmp/` made ext4's inode allocator scan recently deleted
        // inodes (5x slower). The name is reserved: `add` and `status` never see it, and
        // `gc` sweeps what a killed switch left.
        if blocked {
            let tmp = self.store().temp_path()?;
            self.place(p, &tmp, e, mode)?;
            return Ok(Ready::Temp(tmp));
        }
        let n = temp_seq();
        self.place(p, &temp_beside_at(&full, n), e, mode)?;
        Ok(Ready::Beside(n))
    }

    /// Tells whether the large file at `full`, clean at index entry `o`, may be resized in
    /// place to `e` (copy mode, a regular file with no other link, same mode bits).
    fn may_resize(&self, full: &Path, e: &FileEntry, o: &IndexEntry, mode: LinkMode) -> bool {
        use std::os::unix::fs::MetadataExt;
        mode == LinkMode::Copy
            && e.kind == EntryKind::File
            && o.kind == EntryKind::File
            && !o.absent
            && o.exec == e.exec
            && o.size != e.size
            && o.size.min(e.size) >= LARGE
            && full.symlink_metadata().is_ok_and(|m| {
                m.is_file() && m.nlink() == 1 && super::status::stat_of(&m) == o.stat
            })
            // A racy stat does not prove the bytes (under --force nothing else checked them).
            && o.stat.mtime_ns + super::status::racy_margin(o.stat.mtime_ns) < o.verified_ns
    }

    /// Writes `e` at `dest` (which must not exist): a file from the store, or a symlink.
    fn place(&self, p: &str, dest: &Path, e: &FileEntry, mode: LinkMode) -> Result<()> {
        match e.kind {
            EntryKind::Symlink => {
                super::checkout::refuse_long_target(p, e.size.max(self.stored_len(&e.id)))?;
                let target =
                    String::from_utf8(self.store().read(&e.id)?).map_err(|_| Error::BadPath {
                        path: p.to_owned(),
                        reason: "is a symlink whose stored target is not UTF-8".into(),
                    })?;
                std::os::unix::fs::symlink(target, dest).map_err(|source| Error::Io {
                    path: dest.to_owned(),
                    source,
                })
            }
            _ => Ok(self.store().materialize(&e.id, dest, mode, e.exec)?),
        }
    }

    /// Creates the missing directories above project path `p`, recording each one made.
    fn make_parents(&self, p: &str, made: &Mutex<Vec<PathBuf>>) -> Result<()> {
        let mut dirs: Vec<&str> = ancestors(p).collect();
        // Nearly always there already: one look instead of a mkdir per level.
        if dirs.first().is_none_or(|d| self.root().join(d).is_dir()) {
            return Ok(());
        }
        dirs.reverse();
        for d in dirs {
            let full = self.root().join(d);
            match fs::create_dir(&full) {
                Ok(()) => made.lock().expect("no panics while locked").push(full),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && full.is_dir() => {}
                Err(source) => return Err(Error::Io { path: full, source }),
            }
        }
        Ok(())
    }

    /// Undoes what preparing one file did.
    fn unprepare(&self, p: &str, r: &Ready) {
        match r {
            Ready::Beside(n) => {
                let _ = fs::remove_file(temp_beside_at(&self.root().join(p), *n));
            }
            Ready::Temp(t) => {
                let _ = fs::remove_file(t);
            }
            Ready::Grown(len) => {
                if let Ok(f) = fs::OpenOptions::new().write(true).open(self.root().join(p)) {
                    let _ = f.set_len(*len);
                }
            }
            _ => {}
        }
    }

    /// The switch: unlinks, renames and truncates only, recording how to undo each step.
    #[allow(clippy::too_many_arguments)]
    fn switch(
        &self,
        delete: &[String],
        write: &[(&String, &FileEntry)],
        ready: &[Ready],
        old: &BTreeMap<String, IndexEntry>,
        in_the_way: &HashSet<String>,
        deleting: &HashSet<&str>,
        undo: &mut Undo,
    ) -> Result<Vec<(String, IndexEntry)>> {
        // Untracked things in the way go first (only reached with --force).
        for p in in_the_way.iter().filter(|p| !deleting.contains(p.as_str())) {
            let full = self.root().join(p);
            fs::remove_file(&full).map_err(|source| Error::Io { path: full, source })?;
        }
        for p in delete {
            let full = self.root().join(p);
            match fs::remove_file(&full) {
                Ok(()) => {
                    undo.deleted.push((p.clone(), old.get(p).cloned()));
                    remove_empty_parents(self.root(), &full);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Io { path: full, source }),
            }
        }
        let mode = self.link_mode();
        let done = Mutex::new(Vec::new());
        // Distinct paths, each only renamed, truncated or (rarely) copied: in parallel.
        let entries = write
            .par_iter()
            .zip(ready)
            .enumerate()
            .map(|(i, ((p, e), r))| {
                let full = self.root().join(p);
                if !matches!(r, Ready::Grown(_)) {
                    done.lock().expect("no panics while locked").push(i);
                }
                self.switch_one(p, e, r, &full, mode)?;
                let m = full.symlink_metadata().map_err(|source| Error::Io {
                    path: full.clone(),
                    source,
                })?;
                Ok((
                    (*p).clone(),
                    IndexEntry {
                        kind: e.kind,
                        id: e.id,
                        size: e.size,
                        exec: e.exec,
                        stat: super::status::stat_of(&m),
                        verified_ns: crate::time::now_ns(),
                        absent: false,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>();
        undo.wrote = done.into_inner().expect("no panics while locked");
        entries
    }

    /// Puts one prepared file in place.
    fn switch_one(
        &self,
        p: &str,
        e: &FileEntry,
        r: &Ready,
        full: &Path,
        mode: LinkMode,
    ) -> Result<()> {
        match r {
            Ready::Beside(_) | Ready::Temp(_) => {
                let tmp = match r {
                    Ready::Beside(n) => &temp_beside_at(full, *n),
                    Ready::Temp(t) => t,
                    _ => unreachable!("matched above"),
                };
                self.make_parents(p, &Mutex::new(Vec::new()))?;
                remove_any(full)?;
                if let Err(source) = fs::rename(tmp, full) {
                    // Only a rename across file systems (EXDEV) falls back to a copy.
                    if source.raw_os_error() != Some(rustix::io::Errno::XDEV.raw_os_error()) {
                        return Err(Error::Io {
                            path: full.to_owned(),
                            source,
                        });
                    }
                    // `.pach/tmp` on another file system than this path.
                    self.place(p, full, e, mode)?;
                    let _ = fs::remove_file(tmp);
                }
            }
            Ready::Grown(_) => {}
            Ready::Shrink(was) => {
                let r = self
                    .store()
                    .resize_in_place(&e.id, was, full, Direction::Shrink)?;
                if r != Resized::Done {
                    // The truncated file freed the space the full copy needs.
                    remove_any(full)?;
                    self.place(p, full, e, mode)?;
                }
            }
        }
        Ok(())
    }

    /// Puts back, from the store, every path a switch touched: `paths` in the order they
    /// were touched, each with the committed version it held (or nothing), undone newest
    /// first.
    pub(crate) fn put_back_paths(&self, paths: &[(&str, Option<&IndexEntry>)]) {
        let mode = self.link_mode();
        for (p, old) in paths.iter().rev() {
            self.put_back_one(p, *old, mode);
        }
    }

    fn put_back(
        &self,
        undo: Undo,
        write: &[(&String, &FileEntry)],
        old: &BTreeMap<String, IndexEntry>,
    ) {
        let mode = self.link_mode();
        for i in undo.wrote.into_iter().rev() {
            let p = write[i].0;
            self.put_back_one(p, old.get(p), mode);
        }
        for (p, o) in undo.deleted.iter().rev() {
            self.put_back_one(p, o.as_ref(), mode);
        }
    }

    fn put_back_one(&self, p: &str, old: Option<&IndexEntry>, mode: LinkMode) {
        let full = self.root().join(p);
        let _ = remove_any(&full);
        if let Some(o) = old.filter(|o| !o.absent) {
            let f = FileEntry {
                kind: o.kind,
                id: o.id,
                size: o.size,
                exec: o.exec,
            };
            let _ = self.make_parents(p, &Mutex::new(Vec::new()));
            let _ = self.place(p, &full, &f, mode);
        } else {
            remove_empty_parents(self.root(), &full);
        }
    }
}

/// Removes whatever is at `full`: a file, a symlink (never what it points to), or a
/// directory left holding only untracked files (reached with --force only).
fn remove_any(full: &Path) -> Result<()> {
    let removed = match full.symlink_metadata() {
        Ok(m) if m.is_dir() => fs::remove_dir_all(full),
        Ok(_) => fs::remove_file(full),
        Err(_) => Ok(()),
    };
    removed.map_err(|source| Error::Io {
        path: full.to_owned(),
        source,
    })
}

/// The directories above project path `p`, deepest first (`a/b/c` gives `a/b`, `a`).
fn ancestors(p: &str) -> impl Iterator<Item = &str> {
    let mut d = p;
    std::iter::from_fn(move || {
        let i = d.rfind('/')?;
        d = &d[..i];
        Some(d)
    })
}

#[cfg(test)]
mod tests;
