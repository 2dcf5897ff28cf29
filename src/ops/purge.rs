//! `pach purge`: what purging some file contents would touch (every commit, branch, tag and
//! path holding them, and every output derived from them), and the purge itself: the record
//! first, durably, then the bytes. `pach purge --list`: every purge.
//!
//! What does not live here: the record format and byte deletion (`store::purge`), the
//! purge set as reads, fsck and gc see it (`repo::purge`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::io::Read;
use std::rc::Rc;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::repo::{EntryKind, RefKind, Repo};
use crate::store::purge::{Erased, PurgeRecord, PurgedObject};
use crate::store::{Author, ObjectId, RunRecord, Tree};

/// What `pach purge` is asked.
pub struct PurgeOptions<'a> {
    /// `REV:PATH` (a file, or every file under a directory) or a file's object id.
    pub targets: &'a [String],
    pub reason: &'a str,
    /// Purge (`--yes`); otherwise only report.
    pub apply: bool,
    /// Purge every output derived from the content too, transitively, and the logs of the
    /// runs that read purged content (`--derived`).
    pub derived: bool,
    pub author: Author,
    /// Unix seconds recorded as the purge's time.
    pub time: i64,
}

/// The impact report, and what the purge did when it was applied.
#[derive(Debug, Serialize)]
pub struct PurgeOutcome {
    pub objects: Vec<Target>,
    pub impact: Impact,
    /// Whether anything was changed (`--yes`).
    pub applied: bool,
    /// The new purge record (none when every object was purged before, or not applied).
    pub purge: Option<ObjectId>,
    pub erased: Erased,
    /// Work directories of killed runs removed (`.pach/work/`, as `gc` does).
    pub work_dirs: usize,
}

/// One object to purge.
#[derive(Debug, Serialize)]
pub struct Target {
    pub id: ObjectId,
    pub size: u64,
    /// How the command line named it (`REV:PATH` or the id).
    pub named: Vec<String>,
    /// The purge that already erased it, if one did.
    pub purged_by: Option<ObjectId>,
}

/// Everything that holds the content or was derived from it.
#[derive(Debug, Default, Serialize)]
pub struct Impact {
    /// Commits reachable from a branch, tag, remote-tracking ref or HEAD whose snapshot
    /// holds the content, newest first.
    pub commits: Vec<Holding>,
    /// Refs from which a holding commit is reachable (`refs/heads/…`, `refs/tags/…`,
    /// `refs/remotes/…`, `HEAD`).
    pub refs: Vec<HoldingRef>,
    /// Every path the content appears under, in any holding commit.
    pub paths: Vec<String>,
    /// Paths of the staging index holding it (their working-tree copies stay: see
    /// docs/PURGE.md).
    pub index: Vec<String>,
    /// Every output derived from it, transitively, through the runs that used it.
    pub derived: Vec<Derived>,
    /// How many runs those are.
    pub runs: usize,
    /// The logs of those runs (purged with `--derived`: a log can quote its input).
    pub logs: Vec<ObjectId>,
}

/// A commit holding the content.
#[derive(Debug, Serialize)]
pub struct Holding {
    pub commit: ObjectId,
    pub time: i64,
    /// (path, object) of each file of the snapshot holding purged content.
    pub files: Vec<(String, ObjectId)>,
}

/// A ref that reaches a holding commit.
#[derive(Debug, Serialize)]
pub struct HoldingRef {
    pub name: String,
    pub commit: ObjectId,
    /// Whether the ref's own commit holds it (else only its history does).
    pub at_tip: bool,
}

/// An output derived from purged content.
#[derive(Debug, Serialize)]
pub struct Derived {
    pub stage: String,
    pub datum: ObjectId,
    pub run: ObjectId,
    pub path: String,
    pub object: ObjectId,
    pub size: u64,
}

/// Reports what purging `opts.targets` touches and, with `opts.apply`, purges them: the
/// record is written (durably) before any byte goes, so a purge killed half-way is finished
/// by running it again (or by `gc`). Bad input changes nothing.
pub fn purge(repo: &mut Repo, opts: &PurgeOptions) -> Result<PurgeOutcome> {
    let purges = repo.purges()?;
    let mut targets: BTreeMap<ObjectId, Target> = BTreeMap::new();
    for arg in opts.targets {
        for (id, size) in resolve(repo, arg, &purges)? {
            let t = targets.entry(id).or_insert_with(|| Target {
                id,
                size,
                named: Vec::new(),
                purged_by: purges.get(&id).map(|(p, _)| *p),
            });
            if !t.named.contains(arg) {
                t.named.push(arg.clone());
            }
        }
    }
    let mut ids: HashSet<ObjectId> = targets.keys().copied().collect();
    let mut impact = impact(repo, &ids)?;
    if opts.derived {
        // The derived outputs and the logs join the targets, and the report covers them.
        let logs = impact.logs.iter().map(|l| {
            let size = repo.store().object_size(l);
            (
                *l,
                size,
                format!("log of a run that read purged content ({})", l.short()),
            )
        });
        let outputs = impact.derived.iter().map(|d| {
            let named = format!("derived: {} {} (run {})", d.stage, d.path, d.run.short());
            (d.object, d.size, named)
        });
        for (id, size, named) in outputs.chain(logs).collect::<Vec<_>>() {
            let t = targets.entry(id).or_insert_with(|| Target {
                id,
                size,
                named: Vec::new(),
                purged_by: purges.get(&id).map(|(p, _)| *p),
            });
            t.named.push(named);
        }
        ids = targets.keys().copied().collect();
        let (derived, runs, logs) = (impact.derived, impact.runs, impact.logs);
        impact = self::impact(repo, &ids)?;
        (impact.derived, impact.runs, impact.logs) = (derived, runs, logs);
    }
    let mut out = PurgeOutcome {
        objects: targets.into_values().collect(),
        impact,
        applied: false,
        purge: None,
        erased: Erased::default(),
        work_dirs: 0,
    };
    if !opts.apply {
        return Ok(out);
    }
    let objects: Vec<PurgedObject> = (out.objects.iter())
        .filter(|t| t.purged_by.is_none())
        .map(|t| PurgedObject {
            id: t.id,
            size: t.size,
        })
        .collect();
    if !objects.is_empty() {
        let record = PurgeRecord {
            objects,
            reason: opts.reason.to_string(),
            author: opts.author.clone(),
            time: opts.time,
        };
        out.purge = Some(repo.store().write_purge(&record)?);
    }
    // A killed run's work directories hold hard links to its inputs: they go too (the
    // write lock says no run is alive).
    out.work_dirs = super::sweep::sweep(repo)?.work_dirs;
    // Every purged object, not only these: this also finishes an earlier purge killed
    // between its record and its last byte.
    out.erased = repo.finish_purges()?;
    // A cached run whose outputs are purged would be reused by the next `pach run` and
    // fail on them: it is dropped, so the datum runs again.
    let mut stale = Vec::new();
    for id in &ids {
        stale.extend(repo.db().queries().runs_producing(id, None)?);
    }
    repo.db_mut().transaction(|tx| tx.uncache_runs(&stale))?;
    out.applied = true;
    Ok(out)
}

/// Lists every purge, oldest first.
pub fn list(repo: &Repo) -> Result<Vec<(ObjectId, PurgeRecord)>> {
    Ok(repo.purges()?.records)
}

/// Resolves one argument to (object id, size) pairs; a revision, path or object that does
/// not exist is an error naming it.
fn resolve(repo: &Repo, arg: &str, purges: &crate::repo::Purges) -> Result<Vec<(ObjectId, u64)>> {
    if let Ok(id) = arg.parse::<ObjectId>() {
        if let Some((_, rec)) = purges.get(&id) {
            let size = rec
                .objects
                .iter()
                .find(|o| o.id == id)
                .map_or(0, |o| o.size);
            return Ok(vec![(id, size)]);
        }
        if !repo.store().contains(&id) {
            return Err(Error::UnknownObject { id });
        }
        if let Some(what) = structured_kind(repo, &id) {
            return Err(Error::NotFileContent { id, what });
        }
        return Ok(vec![(id, repo.store().object_size(&id))]);
    }
    let Some((rev, path)) = arg.split_once(':') else {
        return Err(Error::BadPurgeTarget { arg: arg.into() });
    };
    let rev = if rev.is_empty() { "HEAD" } else { rev };
    let path = path.trim_matches('/');
    if path.is_empty() {
        // Never "everything" by accident: name a directory to purge what is under it.
        return Err(Error::BadPurgeTarget { arg: arg.into() });
    }
    let files = repo.ls(rev, path)?;
    if files.is_empty() {
        return Err(Error::NotAFile {
            rev: rev.into(),
            path: path.into(),
            reason: "holds no file",
        });
    }
    Ok(files.values().map(|e| (e.id, e.size)).collect())
}

/// Names the kind of a whole object that is pach's own structure (a commit, tree, run
/// record or chunk segment), which purging would break history with; `None` for content.
fn structured_kind(repo: &Repo, id: &ObjectId) -> Option<&'static str> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(repo.store().path(id)).ok()?;
    let n = f.read(&mut head).ok()?;
    let head = &head[..n];
    [
        (&b"pach-tree 1\n"[..], "tree"),
        (b"pach-commit 1\n", "commit"),
        (b"pach-run 1\n", "run record"),
        (b"pach-segment 1\n", "chunk segment"),
    ]
    .into_iter()
    .find(|(h, _)| head.starts_with(h))
    .map(|(_, what)| what)
}

/// Finds every commit, ref, path and index entry holding `ids`, and every output derived
/// from them.
pub(crate) fn impact(repo: &Repo, ids: &HashSet<ObjectId>) -> Result<Impact> {
    let mut roots: Vec<(String, ObjectId)> = Vec::new();
    for (kind, prefix) in [
        (RefKind::Branch, "refs/heads/"),
        (RefKind::Tag, "refs/tags/"),
    ] {
        for (n, id) in repo.list_refs(kind)? {
            roots.push((format!("{prefix}{n}"), id));
        }
    }
    for (n, id) in repo.list_remote_refs()? {
        roots.push((format!("refs/remotes/{n}"), id));
    }
    if let Some(h) = repo.head_commit()? {
        roots.push(("HEAD".into(), h));
    }
    let mut walk = Walk {
        repo,
        ids,
        trees: HashMap::new(),
        commits: HashMap::new(),
    };
    let mut out = Impact::default();
    let mut holding: BTreeMap<(i64, ObjectId), Vec<(String, ObjectId)>> = BTreeMap::new();
    for (name, tip) in &roots {
        let (reaches, at_tip) = walk.from(tip, &mut holding)?;
        if reaches {
            out.refs.push(HoldingRef {
                name: name.clone(),
                commit: *tip,
                at_tip,
            });
        }
    }
    let mut paths = BTreeSet::new();
    for ((time, commit), files) in holding.into_iter().rev() {
        paths.extend(files.iter().map(|(p, _)| p.clone()));
        out.commits.push(Holding {
            commit,
            time,
            files,
        });
    }
    out.paths = paths.into_iter().collect();
    let index = repo.db().queries().index()?;
    out.index = (index.iter())
        .filter(|(_, e)| ids.contains(&e.id) && !e.absent)
        .map(|(p, _)| p.clone())
        .collect();
    (out.derived, out.runs, out.logs) = derived(repo, ids)?;
    Ok(out)
}

/// The history walk of [`impact`], remembering each tree's and commit's findings.
struct Walk<'a> {
    repo: &'a Repo,
    ids: &'a HashSet<ObjectId>,
    /// Tree → the (path under it, object) of purged files it holds.
    trees: HashMap<ObjectId, Rc<Vec<(String, ObjectId)>>>,
    /// Commit → (its parents, whether its snapshot holds purged content).
    commits: HashMap<ObjectId, (Vec<ObjectId>, bool)>,
}

impl Walk<'_> {
    /// Walks the history of `tip`, adding each holding commit to `holding`; returns whether
    /// any commit of it holds purged content and whether `tip` does.
    fn from(
        &mut self,
        tip: &ObjectId,
        holding: &mut BTreeMap<(i64, ObjectId), Vec<(String, ObjectId)>>,
    ) -> Result<(bool, bool)> {
        let mut seen = HashSet::new();
        let mut stack = vec![*tip];
        let mut reaches = false;
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            if !self.commits.contains_key(&id) {
                let c = self.repo.commit_obj(&id)?;
                let files = self.tree(&c.tree)?;
                if !files.is_empty() {
                    holding.insert((c.time, id), files.to_vec());
                }
                self.commits.insert(id, (c.parents, !files.is_empty()));
            }
            let (parents, holds) = &self.commits[&id];
            reaches |= *holds;
            stack.extend(parents.iter().copied());
        }
        Ok((reaches, self.commits[tip].1))
    }

    fn tree(&mut self, id: &ObjectId) -> Result<Rc<Vec<(String, ObjectId)>>> {
        if let Some(found) = self.trees.get(id) {
            return Ok(found.clone());
        }
        let tree: Tree = self.repo.store().get(id)?;
        let mut found = Vec::new();
        for e in &tree.entries {
            if e.kind == EntryKind::Dir {
                let below = self.tree(&e.id)?;
                found.extend(below.iter().map(|(p, o)| (format!("{}/{p}", e.name), *o)));
            } else if self.ids.contains(&e.id) {
                found.push((e.name.clone(), e.id));
            }
        }
        let found = Rc::new(found);
        self.trees.insert(*id, found.clone());
        Ok(found)
    }
}

/// Every output derived from `ids` through the runs that used them, transitively (through
/// the run index, never a scan), how many runs that took, and their logs.
fn derived(repo: &Repo, ids: &HashSet<ObjectId>) -> Result<(Vec<Derived>, usize, Vec<ObjectId>)> {
    let mut todo: VecDeque<ObjectId> = ids.iter().copied().collect();
    let mut seen_objects: HashSet<ObjectId> = ids.clone();
    let mut seen_runs = HashSet::new();
    let mut out = Vec::new();
    let mut logs = BTreeSet::new();
    while let Some(oid) = todo.pop_front() {
        let runs = repo.db().queries().runs_using(&oid)?;
        for run in runs {
            if !seen_runs.insert(run) {
                continue;
            }
            let rec: RunRecord = repo.store().get(&run)?;
            logs.insert(rec.log);
            for o in &rec.outputs {
                out.push(Derived {
                    stage: rec.stage.clone(),
                    datum: rec.datum,
                    run,
                    path: o.path.clone(),
                    object: o.id,
                    size: o.size,
                });
                if seen_objects.insert(o.id) {
                    todo.push_back(o.id);
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.stage, &a.path, a.run).cmp(&(&b.stage, &b.path, b.run)));
    Ok((out, seen_runs.len(), logs.into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provenance::testutil::Fixture;

    fn opts<'a>(targets: &'a [String], apply: bool) -> PurgeOptions<'a> {
        PurgeOptions {
            derived: false,
            targets,
            reason: "erasure request",
            apply,
            author: Author {
                name: "Ada".into(),
                email: "ada@example.com".into(),
            },
            time: 1_700_000_300,
        }
    }

    #[test]
    fn the_report_follows_provenance_to_every_derived_output_and_changes_nothing() {
        let mut t = Fixture::wordcount();
        let targets = vec!["HEAD:data/a.txt".to_string()];
        let out = purge(&mut t.repo, &opts(&targets, false)).unwrap();
        let a = out.objects[0].id;
        assert!(!out.applied && t.repo.store().contains(&a));
        assert!(t.repo.purges().unwrap().is_empty());
        let derived: Vec<(&str, &str)> = (out.impact.derived.iter())
            .map(|d| (d.stage.as_str(), d.path.as_str()))
            .collect();
        assert_eq!(
            derived,
            [("count", "counts/a.txt.n"), ("total", "total/total.txt")]
        );
        assert_eq!(out.impact.runs, 2);
        assert_eq!(out.impact.paths, ["data/a.txt"]);
        assert!(out.impact.commits.iter().any(|c| c.commit == t.head));
        let refs: Vec<(&str, bool)> = (out.impact.refs.iter())
            .map(|r| (r.name.as_str(), r.at_tip))
            .collect();
        assert!(refs.contains(&("refs/heads/main", true)), "{refs:?}");
        assert!(refs.contains(&("refs/heads/old", true)), "{refs:?}");
    }

    #[test]
    fn a_purge_records_first_then_erases_and_reads_name_it() {
        let mut t = Fixture::wordcount();
        let targets = vec!["HEAD:data/a.txt".to_string()];
        let out = purge(&mut t.repo, &opts(&targets, true)).unwrap();
        let a = out.objects[0].id;
        let purge_id = out.purge.unwrap();
        assert!(!t.repo.store().contains(&a));
        assert_eq!(out.erased.objects, 1);
        let err = t.repo.open_file_at("HEAD", "data/a.txt").err().unwrap();
        assert_eq!(err.exit_code(), crate::error::EXIT_PURGED);
        assert!(err.to_string().contains(&purge_id.short()), "{err}");
        // The derived outputs are reported, not purged (that is `--derived`).
        assert!(t.repo.open_file_at("HEAD", "total/total.txt").is_ok());
        let fsck = t.repo.fsck().unwrap();
        assert!(fsck.problems.is_empty(), "{:?}", fsck.problems);
        assert_eq!(fsck.purged, 1);
        // Again: nothing new to record, nothing left to erase.
        let again = purge(&mut t.repo, &opts(&targets, true)).unwrap();
        assert_eq!(again.objects[0].purged_by, Some(purge_id));
        assert!(again.purge.is_none() && again.erased.objects == 0);
    }

    #[test]
    fn derived_purges_outputs_and_logs_transitively_and_uncaches_their_runs() {
        let mut t = Fixture::wordcount();
        let cached_before = t.repo.db().queries().cached_runs().unwrap();
        let targets = vec!["HEAD:data/a.txt".to_string()];
        let mut o = opts(&targets, true);
        o.derived = true;
        let out = purge(&mut t.repo, &o).unwrap();
        // a.txt, its count, the total, and the logs of the two runs that read them.
        assert_eq!(out.impact.logs.len(), 2, "{:?}", out.impact.logs);
        assert_eq!(out.objects.len(), 5);
        for p in ["data/a.txt", "counts/a.txt.n", "total/total.txt"] {
            let err = t.repo.open_file_at("HEAD", p).err().expect(p);
            assert_eq!(err.exit_code(), crate::error::EXIT_PURGED, "{p}: {err}");
        }
        assert!(t.repo.open_file_at("HEAD", "data/b.txt").is_ok());
        for l in &out.impact.logs {
            assert!(!t.repo.store().contains(l), "log {l} erased");
        }
        let paths = &out.impact.paths;
        assert!(paths.iter().any(|p| p == "total/total.txt"), "{paths:?}");
        let cached = t.repo.db().queries().cached_runs().unwrap();
        for d in &out.impact.derived {
            assert!(!cached.contains(&d.run), "run {} left the cache", d.run);
        }
        assert_eq!(cached.len(), cached_before.len() - 2);
        let fsck = t.repo.fsck().unwrap();
        assert!(fsck.problems.is_empty(), "{:?}", fsck.problems);
        assert_eq!(fsck.purged, 5);
    }
}
