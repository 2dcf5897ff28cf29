//! `add` and `rm`: moving paths into and out of the staging index.
//!
//! An add either stages every path it was given or changes nothing: objects are written in
//! one batch, made durable, and only then does the index move, in one transaction.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use super::Repo;
use super::ignore::{Ignores, walk, walk_error};
use super::status::{ChangeKind, Seen, rel_of, stat_of};
use crate::db::IndexEntry;
use crate::error::{Error, Result};
use crate::paths::is_safe_link_target;
use crate::paths::is_under;
use crate::progress::Progress;
use crate::store::{Batch, EntryKind};
use crate::time::now_ns;

/// What `pach add` did.
#[derive(Debug, Default, Serialize)]
pub struct AddOutcome {
    /// Paths newly staged or restaged with new content.
    pub staged: Vec<String>,
    /// Paths whose removal was staged (gone from the working tree).
    pub removed: Vec<String>,
    /// Files looked at whose content was already staged.
    pub unchanged: u64,
    /// Bytes read and hashed.
    pub bytes_hashed: u64,
    /// New objects written to the store.
    pub objects_written: usize,
    /// Entries skipped because they are neither files, directories nor symlinks.
    pub skipped: Vec<String>,
}

/// What `pach rm` did.
#[derive(Debug, Default, Serialize)]
pub struct RmOutcome {
    pub removed: Vec<String>,
    pub deleted_files: usize,
}

/// A file found on disk that may need staging (its path is the key it is found under).
struct Candidate {
    kind: EntryKind,
    size: u64,
    /// The stat data the walk read: judged against the index entry without a second
    /// `stat` (at 10^6 files, a second one per file was a million system calls per `add`).
    seen: super::status::Observed,
    /// Already judged changed against its index entry (by the scan): not judged again,
    /// which would read a same-size file a second time.
    judged: bool,
}

impl Candidate {
    fn of(m: &fs::Metadata, kind: EntryKind, judged: bool) -> Candidate {
        Candidate {
            kind,
            size: m.len(),
            seen: super::status::Observed::of_metadata(m),
            judged,
        }
    }
}

/// What an add found to do.
#[derive(Default)]
struct Found {
    /// Files and symlinks to stage, by path.
    files: BTreeMap<String, Candidate>,
    /// Tracked paths gone from the working tree.
    gone: Vec<String>,
    /// Tracked entries seen unchanged with new stat data: (path, stat, verified at).
    refresh: Vec<(String, crate::db::Stat, i64)>,
    /// Tracked files the scan saw unchanged.
    unchanged: u64,
}

/// The index entries at or under project path `p`, in path order, found by range (the
/// entries under `p/` are contiguous) instead of a pass over the whole index.
fn tracked_under<'a>(
    index: &'a BTreeMap<String, IndexEntry>,
    p: &'a str,
) -> Box<dyn Iterator<Item = (&'a String, &'a IndexEntry)> + 'a> {
    if p.is_empty() {
        return Box::new(index.iter());
    }
    let dir = format!("{p}/");
    let inside = index
        .range(dir.clone()..)
        .take_while(move |(k, _)| k.starts_with(&dir));
    Box::new(index.get_key_value(p).into_iter().chain(inside))
}

impl Repo {
    /// Stages the given project paths (files, symlinks, directories, recursively).
    pub fn add(&mut self, paths: &[String], progress: &dyn Progress) -> Result<AddOutcome> {
        let mut index = self.db().queries().index()?;
        let mut out = AddOutcome::default();
        let mut found = Found::default();
        for p in paths {
            let before = found.files.len();
            let tracked = tracked_under(&index, p).next().is_some();
            let full = self.root().join(p);
            let is_dir = full.symlink_metadata().is_ok_and(|m| m.is_dir());
            if tracked && is_dir {
                self.find_changes(p, &index, &mut found, &mut out.skipped)?;
                continue;
            }
            self.collect(p, &mut found.files, &mut out.skipped)?;
            if found.files.len() == before && !tracked && !full.exists() {
                return Err(Error::NoSuchPath { path: p.clone() });
            }
            for (k, e) in tracked_under(&index, p) {
                if found.files.contains_key(k) {
                    continue;
                }
                match self.root().join(k).symlink_metadata() {
                    // A tracked file stays tracked when a `.pachignore` now matches it, as in git.
                    Ok(m) if kind_of(&m).is_some() => {
                        let kind = kind_of(&m).expect("just checked");
                        found
                            .files
                            .insert(k.clone(), Candidate::of(&m, kind, false));
                    }
                    // Absent (not fetched) and still not here: it stays known.
                    Err(_) if e.absent => {}
                    // Gone, or now a directory (its files were collected above).
                    _ => found.gone.push(k.clone()),
                }
            }
        }
        let Found {
            files: found,
            mut gone,
            refresh,
            unchanged,
        } = found;
        out.unchanged = unchanged;
        // A file staged where a tracked file was a parent directory replaces that file.
        for path in found.keys() {
            let mut d = path.as_str();
            while let Some(i) = d.rfind('/') {
                d = &d[..i];
                if index.contains_key(d) {
                    gone.push(d.to_string());
                }
            }
        }
        let mode = self.link_mode();
        let batch = Batch::default();
        let hashed = AtomicU64::new(0);
        let todo: Vec<(&String, &Candidate)> = found.iter().collect();
        let bytes: u64 = todo.iter().map(|(_, c)| c.size).sum();
        progress.begin("adding", todo.len() as u64, bytes);
        let results: Vec<Option<IndexEntry>> = todo
            .par_iter()
            .map(|(p, c)| {
                let r = self.stage_one(p, c, index.get(*p), mode, &batch, &hashed);
                progress.advance(c.size);
                r
            })
            .collect::<Result<_>>()?;
        progress.end();
        drop(todo);
        out.objects_written = batch.len();
        for (p, r) in found.into_keys().zip(results) {
            let Some(e) = r else {
                out.unchanged += 1;
                continue;
            };
            if index
                .get(&p)
                .is_none_or(|old| old.id != e.id || old.kind != e.kind || old.exec != e.exec)
            {
                out.staged.push(p.clone());
            } else {
                out.unchanged += 1;
            }
            index.insert(p, e);
        }
        for (p, stat, at) in refresh {
            if let Some(e) = index.get_mut(&p) {
                e.stat = stat;
                e.verified_ns = at;
            }
        }
        gone.sort();
        gone.dedup();
        for p in &gone {
            index.remove(p);
        }
        out.removed = gone;
        out.bytes_hashed = hashed.into_inner();
        // A link is judged with every other link it may pass through; nothing is stored
        // when one leads out (the batch is dropped).
        self.check_index_links(&index, Some(&batch))?;
        batch.finish(self.store())?;
        self.write_index_and_move(&index, &super::checkout::Move::Resolve(paths.to_vec()))?;
        self.sync_gitignore(&index);
        Ok(out)
    }

    /// Refuses an index whose symlinks, resolved through each other, leave the project
    /// (see [`crate::paths::check_links`]); link targets not stored yet come from `batch`.
    pub(crate) fn check_index_links(
        &self,
        index: &BTreeMap<String, IndexEntry>,
        batch: Option<&Batch>,
    ) -> Result<()> {
        let paths = index.iter().map(|(p, e)| (p.as_str(), e.kind.into()));
        let checked = crate::paths::check_links(paths, |p| {
            let id = index[p].id;
            let bytes = match batch.and_then(|b| b.read_pending(&id)) {
                Some(b) => b,
                None => self.store().read(&id)?,
            };
            Ok::<_, Error>(String::from_utf8_lossy(&bytes).into_owned())
        })?;
        checked.map_err(|u| Error::BadPath {
            path: u.path,
            reason: format!(
                "is a symlink to `{}`, which resolves through the other links unsafely: {}",
                u.target, u.reason
            ),
        })
    }

    /// Finds the files and symlinks at or under project path `p`.
    fn collect(
        &self,
        p: &str,
        found: &mut BTreeMap<String, Candidate>,
        skipped: &mut Vec<String>,
    ) -> Result<()> {
        let full = self.root().join(p);
        let meta = match full.symlink_metadata() {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(source) => return Err(Error::Io { path: full, source }),
        };
        if !meta.is_dir() {
            return match kind_of(&meta) {
                Some(kind) => {
                    found.insert(p.to_string(), Candidate::of(&meta, kind, false));
                    Ok(())
                }
                None => Err(Error::BadPath {
                    path: p.into(),
                    reason: "is not a regular file, directory or symlink".into(),
                }),
            };
        }
        for entry in walk(self.root(), p) {
            let entry = entry.map_err(|e| {
                let (path, source) = walk_error(e, &full);
                Error::Io { path, source }
            })?;
            let Some(rel) = entry
                .path()
                .strip_prefix(self.root())
                .ok()
                .and_then(|r| r.to_str())
            else {
                return Err(Error::BadPath {
                    path: rel_of(self.root(), entry.path()),
                    reason: "name is not valid UTF-8; pach stores UTF-8 names only".into(),
                });
            };
            // The root and the directories down to `p` are walked only for their rules.
            if rel.len() <= p.len() {
                continue;
            }
            let Some(ft) = entry.file_type() else {
                continue;
            };
            // Any other spelling of `.git` or `.pach` (`.GIT`, `git~1`, `.git.`) would be
            // that directory on another system, and every clone would refuse the tree.
            let name = rel.rsplit('/').next().unwrap_or(rel);
            if let Err(why) = crate::paths::validate_name(name) {
                return Err(refused_name(rel, &why));
            }
            if ft.is_dir() {
                continue;
            }
            let kind = if ft.is_symlink() {
                EntryKind::Symlink
            } else if ft.is_file() {
                EntryKind::File
            } else {
                skipped.push(rel.to_string());
                continue;
            };
            let meta = match entry.metadata() {
                Ok(m) => m,
                Err(e) => {
                    let (path, source) = walk_error(e, &self.root().join(rel));
                    if source.kind() == std::io::ErrorKind::NotFound {
                        continue; // gone since the directory was read: not a candidate
                    }
                    return Err(Error::Io { path, source });
                }
            };
            found.insert(rel.to_string(), Candidate::of(&meta, kind, false));
        }
        Ok(())
    }

    /// Finds what changed at or under tracked directory `p` with the scan `status` uses
    /// (one open per directory, an `fstatat` per tracked name, the listing for untracked
    /// names): changed and new files become candidates, tracked files no longer here are
    /// gone, and an unchanged file costs one stat and nothing kept. Untracked directories
    /// are walked with their `.pachignore` rules, as a first add walks them.
    fn find_changes(
        &self,
        p: &str,
        index: &BTreeMap<String, IndexEntry>,
        found: &mut Found,
        skipped: &mut Vec<String>,
    ) -> Result<()> {
        let counter = AtomicU64::new(0);
        let (changes, refresh, candidates) =
            self.scan(tracked_under(index, p), Some(p), &counter)?;
        found.unchanged += (tracked_under(index, p).count() - changes.len()) as u64;
        found.refresh.extend(refresh);
        for c in changes {
            if c.kind == ChangeKind::Deleted {
                found.gone.push(c.path);
                continue;
            }
            let full = self.root().join(&c.path);
            match full.symlink_metadata() {
                Ok(m) => match kind_of(&m) {
                    Some(kind) => {
                        found.files.insert(c.path, Candidate::of(&m, kind, true));
                    }
                    None => {
                        // Now a directory (its files are new), or neither file nor link.
                        if m.is_dir() {
                            self.collect(&c.path, &mut found.files, skipped)?;
                        } else {
                            skipped.push(c.path.clone());
                        }
                        found.gone.push(c.path);
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => found.gone.push(c.path),
                Err(source) => return Err(Error::Io { path: full, source }),
            }
        }
        let mut rules = Ignores::new(self.root());
        for (rel, is_dir) in candidates {
            if !is_under(&rel, p) || rules.is_ignored(&rel, is_dir) {
                continue;
            }
            let full = self.root().join(&rel);
            let meta = match full.symlink_metadata() {
                Ok(m) => m,
                // The scan spells a name that is not UTF-8 lossily: no file has that name.
                Err(_) if rel.contains('\u{FFFD}') => {
                    return Err(Error::BadPath {
                        path: rel,
                        reason: "name is not valid UTF-8; pach stores UTF-8 names only".into(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => return Err(Error::Io { path: full, source }),
            };
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            if let Err(why) = crate::paths::validate_name(name) {
                return Err(refused_name(&rel, &why));
            }
            match kind_of(&meta) {
                Some(kind) => {
                    found.files.insert(rel, Candidate::of(&meta, kind, false));
                }
                None if meta.is_dir() => self.collect(&rel, &mut found.files, skipped)?,
                None => skipped.push(rel),
            }
        }
        Ok(())
    }

    /// Stages one file: `None` when the cached stat data proves it unchanged.
    fn stage_one(
        &self,
        path: &str,
        c: &Candidate,
        old: Option<&IndexEntry>,
        mode: crate::store::LinkMode,
        batch: &Batch,
        hashed: &AtomicU64,
    ) -> Result<Option<IndexEntry>> {
        if let Some(old) = old
            && !c.judged
        {
            let counter = AtomicU64::new(0);
            if matches!(self.judge(path, old, &c.seen, &counter)?, Seen::Same) {
                return Ok(None);
            }
        }
        let full = self.root().join(path);
        let verified_ns = now_ns();
        let io = |source| Error::Io {
            path: full.clone(),
            source,
        };
        let (id, size, exec) = match c.kind {
            EntryKind::Symlink => {
                let target = fs::read_link(&full).map_err(io)?;
                let text = target.to_str().ok_or_else(|| Error::BadPath {
                    path: path.to_string(),
                    reason: "is a symlink whose target is not valid UTF-8".into(),
                })?;
                if !is_safe_link_target(path, text) {
                    return Err(Error::BadPath {
                        path: path.to_string(),
                        reason: format!(
                            "is a symlink to `{text}`, outside the project or inside `.git/` or `.pach/`; pach stores only links that stay inside it"
                        ),
                    });
                }
                let id = self.store().put_bytes(text.as_bytes(), batch)?;
                (id, text.len() as u64, false)
            }
            _ => {
                let base = old.filter(|o| o.kind == EntryKind::File).map(|o| &o.id);
                let (id, size) = self.store().ingest_from(&full, mode, batch, base)?;
                hashed.fetch_add(size, Ordering::Relaxed);
                let exec = full.symlink_metadata().map_err(io)?.permissions().mode() & 0o111 != 0;
                (id, size, exec)
            }
        };
        let stat = stat_of(&full.symlink_metadata().map_err(io)?);
        let entry = IndexEntry {
            kind: c.kind,
            id,
            size,
            exec,
            stat,
            verified_ns,
            absent: false,
        };
        Ok(Some(entry))
    }

    /// Stops tracking the given paths; without `cached`, deletes the files too.
    ///
    /// Refuses (changing nothing) when a file to delete has changes that are not staged,
    /// unless `force`.
    pub fn rm(&mut self, paths: &[String], cached: bool, force: bool) -> Result<RmOutcome> {
        let mut index = self.db().queries().index()?;
        let mut out = RmOutcome::default();
        for p in paths {
            let hits: Vec<String> = index.keys().filter(|k| is_under(k, p)).cloned().collect();
            if hits.is_empty() {
                return Err(Error::NotTracked {
                    path: if p.is_empty() { ".".into() } else { p.clone() },
                });
            }
            out.removed.extend(hits);
        }
        out.removed.sort();
        out.removed.dedup();
        if !cached && !force {
            let counter = AtomicU64::new(0);
            let mut dirty = Vec::new();
            for p in &out.removed {
                if let Seen::Changed { .. } = self.check_entry(p, &index[p], &counter)? {
                    dirty.push(p.clone());
                }
            }
            if !dirty.is_empty() {
                return Err(Error::BadPath {
                    path: dirty.join("`, `"),
                    reason: "has changes that are not staged; use --force to delete anyway, or --cached to keep the file".into(),
                });
            }
        }
        if !cached && let Some(link) = out.removed.iter().find_map(|p| self.symlinked_parent(p)) {
            return Err(Error::BadPath {
                path: link,
                reason: "is a symlink in the working tree where a tracked directory was; pach \
                         never deletes through it (use --cached to stop tracking only)"
                    .into(),
            });
        }
        for p in &out.removed {
            index.remove(p);
        }
        self.write_index_and_move(&index, &super::checkout::Move::Resolve(paths.to_vec()))?;
        if !cached {
            for p in &out.removed {
                let full = self.root().join(p);
                match fs::remove_file(&full) {
                    Ok(()) => out.deleted_files += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => return Err(Error::Io { path: full, source }),
                }
                remove_empty_parents(self.root(), &full);
            }
        }
        self.sync_gitignore(&index);
        Ok(out)
    }
}

impl Repo {
    /// The first directory above project path `p` that is a symlink in the working tree.
    fn symlinked_parent(&self, p: &str) -> Option<String> {
        let mut at = String::new();
        let parts: Vec<&str> = p.split('/').collect();
        for part in &parts[..parts.len() - 1] {
            if !at.is_empty() {
                at.push('/');
            }
            at.push_str(part);
            let m = self.root().join(&at).symlink_metadata().ok()?;
            if m.file_type().is_symlink() {
                return Some(at);
            }
        }
        None
    }
}

/// The error for a name that would be `.git` or `.pach` on another system, or that no
/// system can hold.
fn refused_name(rel: &str, why: &impl std::fmt::Display) -> Error {
    Error::BadPath {
        path: rel.to_string(),
        reason: format!("has a name pach refuses ({why}); rename it or list it in `.pachignore`"),
    }
}

fn kind_of(m: &fs::Metadata) -> Option<EntryKind> {
    if m.file_type().is_symlink() {
        Some(EntryKind::Symlink)
    } else if m.is_file() {
        Some(EntryKind::File)
    } else {
        None
    }
}

/// Removes directories left empty between `file` and the project root.
pub(crate) fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
