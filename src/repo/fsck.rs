//! `fsck` (re-hash every object, check every reference) and `gc` (delete what no ref, no
//! index entry and no recent writer can need).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::Serialize;

use super::{RefKind, Repo};
use crate::error::{Error, Result};
use crate::store::{Commit, EntryKind, ObjectId, RunRecord, Tree, loose::hash_file};

/// One problem `fsck` found.
#[derive(Debug, Serialize, Clone)]
pub struct Problem {
    /// `corrupt`, `missing`, `malformed`, `bad-name`, `unsafe-link` or `bad-ref`.
    pub kind: &'static str,
    pub id: Option<ObjectId>,
    /// Where the object is referred to from (`refs/heads/main`, `<commit>:<path>`, `index:<path>`) or lives.
    pub at: String,
    pub detail: String,
}

/// What `pach fsck` found.
#[derive(Debug, Serialize)]
pub struct FsckOutcome {
    pub objects: usize,
    pub reachable: usize,
    pub unreachable: usize,
    /// Blobs missing on purpose: not fetched (`pull --path`), so not problems.
    pub absent: usize,
    /// Objects purge records name: erased on purpose, so not problems.
    pub purged: usize,
    /// Purged objects whose bytes are still here (an interrupted purge; `gc` erases them).
    pub unfinished_purges: Vec<ObjectId>,
    pub problems: Vec<Problem>,
}

/// What `pach gc` removed.
#[derive(Debug, Serialize)]
pub struct GcOutcome {
    pub deleted: usize,
    pub bytes: u64,
    pub kept_young: usize,
    pub temp_files: usize,
    /// Failed runs kept because they are younger than the retention (their records and logs).
    pub failed_kept: usize,
    /// Failed runs older than the retention, dropped from the run index.
    pub failed_dropped: usize,
}

/// Objects reachable from refs and the index, with the kinds they were reached as.
pub(super) struct Reach {
    pub(super) seen: HashSet<ObjectId>,
    commits: Vec<(ObjectId, i64)>,
    pub(super) problems: Vec<Problem>,
    /// Blobs deliberately not fetched (`absent_objects`, absent index entries).
    absent_ok: HashSet<ObjectId>,
    absent: usize,
    /// Objects a purge erased: missing on purpose, and their chunks are not walked.
    pub(super) purged_ok: HashSet<ObjectId>,
    /// Every blob reached, with where from (for the chunks of chunked ones).
    pub(super) blobs: Vec<(ObjectId, String)>,
    /// Whether any reachable tree holds a symlink (then every commit's links are resolved).
    links: bool,
}

impl Reach {
    /// Counts a blob missing because it was not fetched; tells whether it was that, or purged.
    fn known_absent(&mut self, id: &ObjectId) -> bool {
        let purged = self.purged_ok.contains(id);
        self.absent += (!purged && self.absent_ok.contains(id)) as usize;
        purged || self.absent_ok.contains(id)
    }
}

impl Repo {
    /// Lists every object file as (id, path); names that are not ids become problems.
    fn all_objects(
        &self,
        problems: &mut Vec<Problem>,
    ) -> Result<Vec<(ObjectId, std::path::PathBuf)>> {
        self.all_in(self.store().objects_dir(), problems)
    }

    /// Lists the files of a fan-out directory (`objects/`, `chunked/`) as (id, path).
    pub(super) fn all_in(
        &self,
        dir: &std::path::Path,
        problems: &mut Vec<Problem>,
    ) -> Result<Vec<(ObjectId, std::path::PathBuf)>> {
        let mut out = Vec::new();
        if !dir.exists() {
            return Ok(out);
        }
        let io = |p: &std::path::Path| {
            let path = p.to_owned();
            move |source| Error::Io { path, source }
        };
        for fan in fs::read_dir(dir).map_err(io(dir))? {
            let fan = fan.map_err(io(dir))?;
            for obj in fs::read_dir(fan.path()).map_err(io(&fan.path()))? {
                let obj = obj.map_err(io(&fan.path()))?;
                let name = format!(
                    "{}{}",
                    fan.file_name().to_string_lossy(),
                    obj.file_name().to_string_lossy()
                );
                match name.parse() {
                    Ok(id) => out.push((id, obj.path())),
                    Err(()) => problems.push(Problem {
                        kind: "bad-name",
                        id: None,
                        at: obj.path().display().to_string(),
                        detail: "file in the object store whose name is not an object id".into(),
                    }),
                }
            }
        }
        Ok(out)
    }

    /// Walks everything reachable from refs and the index.
    ///
    /// `failed` are failed runs still within their retention: roots too, so that `pach logs`
    /// can show why they failed. So are the commits of reflog rows written since
    /// `reflog_since_ms` that are here (the reflog is a safety net, never a source of truth).
    fn reach(
        &self,
        present: &dyn Fn(&ObjectId) -> bool,
        failed: &[ObjectId],
        reflog_since_ms: i64,
    ) -> Result<Reach> {
        let index = self.db().queries().index()?;
        let mut r = Reach {
            seen: HashSet::new(),
            commits: Vec::new(),
            problems: Vec::new(),
            absent_ok: self
                .db()
                .queries()
                .absent_objects(None)?
                .into_iter()
                .collect(),
            absent: 0,
            purged_ok: self.purges()?.ids(),
            blobs: Vec::new(),
            links: false,
        };
        r.absent_ok
            .extend(index.values().filter(|e| e.absent).map(|e| e.id));
        let mut roots = Vec::new();
        if let Ok(Some(h)) = self.head_commit() {
            roots.push(("HEAD".to_string(), h));
        }
        if let Ok(Some((theirs, _))) = self.merge_state() {
            roots.push((super::MERGE_HEAD.to_string(), theirs));
        }
        for kind in [RefKind::Branch, RefKind::Tag] {
            let prefix = if kind == RefKind::Branch {
                "refs/heads/"
            } else {
                "refs/tags/"
            };
            for (n, id) in self.list_refs(kind)? {
                roots.push((format!("{prefix}{n}"), id));
            }
        }
        roots.extend(self.remote_tracking_roots()?);
        let logged = self.reflog_roots(reflog_since_ms)?;
        roots.extend(logged.into_iter().filter(|(_, id)| present(id)));
        let mut stack: Vec<(String, ObjectId)> = roots;
        while let Some((at, id)) = stack.pop() {
            if !r.seen.insert(id) {
                continue;
            }
            if !present(&id) {
                r.problems.push(Problem {
                    kind: "missing",
                    id: Some(id),
                    at,
                    detail: "commit is missing".into(),
                });
                continue;
            }
            match self.store().get::<Commit>(&id) {
                Ok(c) => {
                    r.commits.push((id, c.time));
                    self.reach_tree(&c.tree, &id.short(), "", present, &mut r);
                    for run in &c.runs {
                        self.reach_run(run, &format!("runs of {}", id.short()), present, &mut r);
                    }
                    for p in c.parents {
                        stack.push((format!("parent of {}", id.short()), p));
                    }
                }
                Err(e) => r.problems.push(Problem {
                    kind: "malformed",
                    id: Some(id),
                    at,
                    detail: e.to_string(),
                }),
            }
        }
        // The run cache is a root too: it lets a failed run resume and branches share work.
        for run in self.db().queries().cached_runs()? {
            if present(&run) {
                self.reach_run(&run, "run cache", present, &mut r);
            }
        }
        for run in failed {
            if present(run) {
                self.reach_run(run, "failed runs", present, &mut r);
            }
        }
        for (path, e) in index {
            if !r.seen.insert(e.id) {
                continue;
            }
            r.blobs.push((e.id, format!("index:{path}")));
            if !present(&e.id) && !r.known_absent(&e.id) {
                r.problems.push(Problem {
                    kind: "missing",
                    id: Some(e.id),
                    at: format!("index:{path}"),
                    detail: "staged file is missing".into(),
                });
            }
        }
        // The index's trees, stored as it was written: the next commit points to them.
        let trees = self.db().queries().index_trees()?.unwrap_or_default();
        r.seen
            .extend(trees.values().map(|(id, _)| *id).filter(|id| present(id)));
        Ok(r)
    }

    fn reach_run(
        &self,
        id: &ObjectId,
        at: &str,
        present: &dyn Fn(&ObjectId) -> bool,
        r: &mut Reach,
    ) {
        if !r.seen.insert(*id) {
            return;
        }
        let problem = |kind, id: ObjectId, detail: String| Problem {
            kind,
            id: Some(id),
            at: at.to_string(),
            detail,
        };
        if !present(id) {
            r.problems
                .push(problem("missing", *id, "run record is missing".into()));
            return;
        }
        match self.store().get::<RunRecord>(id) {
            Ok(rec) => {
                let blobs = std::iter::once((rec.log, "log".to_string())).chain(
                    rec.outputs
                        .iter()
                        .map(|o| (o.id, format!("output {}", o.path))),
                );
                for (blob, what) in blobs {
                    if !r.seen.insert(blob) {
                        continue;
                    }
                    r.blobs.push((blob, format!("{at}: {what}")));
                    if !present(&blob) && !r.known_absent(&blob) {
                        r.problems.push(problem(
                            "missing",
                            blob,
                            format!("{what} of run {} is missing", id.short()),
                        ));
                    }
                }
            }
            Err(e) => r.problems.push(problem("malformed", *id, e.to_string())),
        }
    }

    fn reach_tree(
        &self,
        id: &ObjectId,
        commit: &str,
        path: &str,
        present: &dyn Fn(&ObjectId) -> bool,
        r: &mut Reach,
    ) {
        let at = format!("{commit}:{}", if path.is_empty() { "/" } else { path });
        if !r.seen.insert(*id) {
            return;
        }
        if !present(id) {
            r.problems.push(Problem {
                kind: "missing",
                id: Some(*id),
                at,
                detail: "tree is missing".into(),
            });
            return;
        }
        let tree: Tree = match self.store().get(id) {
            Ok(t) => t,
            Err(e) => {
                r.problems.push(Problem {
                    kind: "malformed",
                    id: Some(*id),
                    at,
                    detail: e.to_string(),
                });
                return;
            }
        };
        for e in tree.entries {
            let child = if path.is_empty() {
                e.name.clone()
            } else {
                format!("{path}/{}", e.name)
            };
            if let Err(reason) = crate::paths::validate_name(&e.name) {
                r.problems.push(Problem {
                    kind: "bad-name",
                    id: Some(*id),
                    at: format!("{commit}:{child}"),
                    detail: reason.into(),
                });
                continue;
            }
            r.links |= e.kind == EntryKind::Symlink;
            match e.kind {
                EntryKind::Dir => self.reach_tree(&e.id, commit, &child, present, r),
                _ => {
                    if !r.seen.insert(e.id) {
                        continue;
                    }
                    r.blobs.push((e.id, format!("{commit}:{child}")));
                    if !present(&e.id) && !r.known_absent(&e.id) {
                        r.problems.push(Problem {
                            kind: "missing",
                            id: Some(e.id),
                            at: format!("{commit}:{child}"),
                            detail: "file content is missing".into(),
                        });
                    }
                }
            }
        }
    }

    /// Re-hashes every object and checks every reference.
    pub fn fsck(&self) -> Result<FsckOutcome> {
        let mut problems = Vec::new();
        let objects = self.all_objects(&mut problems)?;
        let checked: Vec<(ObjectId, Option<Problem>)> = objects
            .par_iter()
            .map(|(id, path)| {
                let p = match hash_file(path) {
                    Ok((h, _)) if ObjectId::from_hash(h) == *id => None,
                    Ok((h, _)) => Some(Problem {
                        kind: "corrupt",
                        id: Some(*id),
                        at: path.display().to_string(),
                        detail: format!("content hashes to {}", ObjectId::from_hash(h)),
                    }),
                    Err(e) => Some(Problem {
                        kind: "corrupt",
                        id: Some(*id),
                        at: path.display().to_string(),
                        detail: e.to_string(),
                    }),
                };
                (*id, p)
            })
            .collect();
        let mut good = HashSet::new();
        for (id, p) in checked {
            match p {
                Some(p) => problems.push(p),
                None => {
                    good.insert(id);
                }
            }
        }
        let corrupt: HashSet<ObjectId> = problems
            .iter()
            .filter(|p| p.kind == "corrupt")
            .filter_map(|p| p.id)
            .collect();
        let indexes = self.all_indexes(&mut problems)?;
        let present = |id: &ObjectId| good.contains(id) || corrupt.contains(id);
        let mut reach = self.reach(&|id| present(id) || indexes.contains_key(id), &[], 0)?;
        self.reach_chunks(&indexes, &present, &corrupt, &mut reach);
        problems.extend(reach.problems);
        if reach.links {
            problems.extend(self.unsafe_links(&reach.commits)?);
        }
        let reachable = reach.seen.len();
        let unreachable = good.iter().filter(|id| !reach.seen.contains(id)).count()
            + indexes.keys().filter(|id| !reach.seen.contains(id)).count();
        let purges = self.purges()?;
        Ok(FsckOutcome {
            objects: objects.len() + indexes.len(),
            reachable,
            unreachable,
            absent: reach.absent,
            purged: purges.ids().len(),
            unfinished_purges: self.unfinished_purges(&purges),
            problems,
        })
    }

    /// Deletes unreachable objects older than `grace`, and stale temp files; what the reflog
    /// names within its retention ([`Repo::reflog_retention`]) is reachable, and older reflog
    /// rows are dropped. Failed runs
    /// (records and logs) are kept for `keep_failed` after they ended, then dropped from the
    /// run index and collected like any unreachable object.
    pub fn gc(&mut self, grace: Duration, keep_failed: Duration) -> Result<GcOutcome> {
        let mut problems = Vec::new();
        let objects = self.all_objects(&mut problems)?;
        let present: HashSet<ObjectId> = objects.iter().map(|(id, _)| *id).collect();
        let since_ms = crate::time::now_ns() / 1_000_000
            - i64::try_from(keep_failed.as_millis()).unwrap_or(i64::MAX);
        let (kept, expired): (Vec<_>, Vec<_>) = self
            .db()
            .queries()
            .failed_runs()?
            .into_iter()
            .partition(|(_, end)| *end >= since_ms);
        let kept: Vec<ObjectId> = kept.into_iter().map(|(id, _)| id).collect();
        let retention = i64::try_from(self.reflog_retention().as_millis()).unwrap_or(i64::MAX);
        let reflog_since = (crate::time::now_ms()).saturating_sub(retention);
        let indexes = self.all_indexes(&mut problems)?;
        let mut reach = self.reach(
            &|id| present.contains(id) || indexes.contains_key(id),
            &kept,
            reflog_since,
        )?;
        self.reach_chunks(
            &indexes,
            &|id| present.contains(id),
            &HashSet::new(),
            &mut reach,
        );
        if !reach.problems.is_empty() {
            // Deleting anything from a store that already lacks reachable objects could
            // make things worse; have the user run fsck first.
            return Err(Error::CheckFailed {
                count: reach.problems.len(),
            });
        }
        let cutoff = SystemTime::now() - grace;
        let young = |m: &fs::Metadata| m.modified().map(|t| t > cutoff).unwrap_or(true);
        let mut out = GcOutcome {
            deleted: 0,
            bytes: 0,
            kept_young: 0,
            temp_files: 0,
            failed_kept: kept.len(),
            failed_dropped: 0,
        };
        // Expired failed runs leave the index first: `pach logs` must never list a run whose
        // record is gone. One that something else still reaches stays.
        let expired: Vec<ObjectId> = (expired.into_iter())
            .map(|(id, _)| id)
            .filter(|id| !reach.seen.contains(id))
            .collect();
        self.db_mut().transaction(|tx| tx.forget_runs(&expired))?;
        out.failed_dropped = expired.len();
        let mut deleted = HashSet::new();
        // Chunk indexes go first: an index never outlives its chunks, even if gc is killed.
        let unreached: Vec<_> = indexes
            .iter()
            .filter(|(id, _)| !reach.seen.contains(id))
            .collect();
        for (id, path) in unreached
            .iter()
            .copied()
            .chain(objects.iter().map(|(i, p)| (i, p)))
        {
            if reach.seen.contains(id) {
                continue;
            }
            let Ok(m) = path.symlink_metadata() else {
                continue;
            };
            if young(&m) {
                out.kept_young += 1;
                continue;
            }
            fs::remove_file(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            deleted.insert(*id);
            out.deleted += 1;
            out.bytes += m.len();
        }
        // Temp files sit in shard directories under tmp/ (and old ones maybe directly in it).
        for e in walkdir::WalkDir::new(self.store().tmp_dir())
            .min_depth(1)
            .max_depth(2)
        {
            let Ok(e) = e else { continue };
            if e.file_type().is_file()
                && e.metadata().is_ok_and(|m| !young(&m))
                && fs::remove_file(e.path()).is_ok()
            {
                out.temp_files += 1;
            }
        }
        // And the temp files a killed working-tree update left beside their place.
        let walk = walkdir::WalkDir::new(self.root())
            .min_depth(1)
            .into_iter()
            .filter_entry(|e| !matches!(e.file_name().to_str(), Some(".pach" | ".git")));
        for e in walk.flatten() {
            let temp = e
                .file_name()
                .to_str()
                .is_some_and(|n| n.starts_with(super::ignore::TEMP_PREFIX));
            if temp
                && !e.file_type().is_dir()
                && e.metadata().is_ok_and(|m| !young(&m))
                && fs::remove_file(e.path()).is_ok()
            {
                out.temp_files += 1;
            }
        }
        self.store().prune_block_cache();
        self.prune_rows(reach.commits, &deleted, &reach.seen, reflog_since)?;
        Ok(out)
    }

    /// Resolves the symlinks of every commit's snapshot through each other (as a checkout
    /// would refuse them) and reports each commit holding one that leads out of the project.
    fn unsafe_links(&self, commits: &[(ObjectId, i64)]) -> Result<Vec<Problem>> {
        let mut out = Vec::new();
        let mut trees = HashSet::new();
        for (id, _) in commits {
            let Ok(c) = self.store().get::<Commit>(id) else {
                continue;
            };
            // Problems reading the tree itself are reported by the walk already.
            let Ok(files) = (trees.insert(c.tree))
                .then(|| self.flatten(&c.tree))
                .transpose()
            else {
                continue;
            };
            let Some(files) = files else { continue };
            if let Err(Error::BadPath { path, reason }) = self.check_links(&files) {
                out.push(Problem {
                    kind: "unsafe-link",
                    id: Some(*id),
                    at: format!("{}:{path}", id.short()),
                    detail: reason,
                });
            }
        }
        Ok(out)
    }

    /// After `gc`: rebuilds the commit index from the commits kept and drops every database
    /// row that names an object no longer here (file versions of deleted commits, indexes of
    /// deleted run records, absent-object rows nothing reachable refers to), so no row points
    /// at a deleted object.
    fn prune_rows(
        &mut self,
        commits: Vec<(ObjectId, i64)>,
        deleted: &HashSet<ObjectId>,
        reachable: &HashSet<ObjectId>,
        reflog_since: i64,
    ) -> Result<()> {
        let commits: HashMap<ObjectId, i64> = commits.into_iter().collect();
        let list: Vec<(ObjectId, i64)> = commits.into_iter().collect();
        let runs = self.db().queries().indexed_runs()?;
        let gone_runs: Vec<ObjectId> = runs
            .into_iter()
            .filter(|r| deleted.contains(r) || !self.store().contains(r))
            .collect();
        let absent = self.db().queries().absent_objects(None)?;
        let stale_absent: Vec<ObjectId> = absent
            .into_iter()
            .filter(|id| !reachable.contains(id))
            .collect();
        self.db_mut().transaction(|tx| {
            tx.rebuild_commits(&list)?;
            tx.prune_versions()?;
            tx.remove_runs(&gone_runs)?;
            tx.prune_reflog(reflog_since)?;
            tx.remove_absent_objects(&stale_absent)
        })?;
        Ok(())
    }
}
