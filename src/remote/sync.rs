//! Push, fetch and pull: what to move, in which order, and when refs may move.
//!
//! Push uploads blobs, trees and run records, then commits oldest first, then moves the ref:
//! so a commit on the remote implies its whole closure is there, and a push that stops
//! midway leaves objects but no ref. Fetch reads commits, trees and run records into memory
//! (each verified), downloads the blobs into one batch, stores the rest in a second batch,
//! and only then moves the remote-tracking refs and indexes what arrived.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use super::{Backend, Error as RemoteError};
use crate::error::{Error, Result};
use crate::repo::{Head, Move, Progress, RefKind, Repo, is_under};
use crate::store::{Batch, Commit, EntryKind, ObjectId, RunRecord, Structured, Tree};

/// What `pach push` did.
#[derive(Debug, Serialize)]
pub struct PushOutcome {
    pub remote: String,
    pub branch: String,
    pub commit: ObjectId,
    pub old: Option<ObjectId>,
    pub up_to_date: bool,
    pub forced: bool,
    pub objects: usize,
    pub bytes: u64,
}

/// One branch a fetch updated.
#[derive(Debug, Serialize)]
pub struct FetchedBranch {
    pub name: String,
    pub old: Option<ObjectId>,
    pub new: ObjectId,
}

/// What `pach fetch` did.
#[derive(Debug, Serialize, Default)]
pub struct FetchOutcome {
    pub remote: String,
    pub branches: Vec<FetchedBranch>,
    pub commits: usize,
    pub objects: usize,
    pub bytes: u64,
}

/// What `pach pull` did.
#[derive(Debug, Serialize)]
pub struct PullOutcome {
    pub fetch: FetchOutcome,
    pub branch: String,
    pub old: Option<ObjectId>,
    pub new: ObjectId,
    /// `fast-forward`, `up-to-date` or `ahead` (local has commits the remote lacks).
    pub result: &'static str,
    pub written: usize,
    pub deleted: usize,
    pub path: Option<String>,
}

fn decode<T: Structured>(id: &ObjectId, bytes: &[u8]) -> Result<T> {
    T::decode(bytes).map_err(|source| crate::store::Error::Corrupt { id: *id, source }.into())
}

/// Uploads what `branch` needs and moves the remote's branch to it (fast-forward unless
/// `force`).
pub fn push(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    branch: &str,
    force: bool,
    p: &dyn Progress,
) -> Result<PushOutcome> {
    let local = repo
        .get_ref(RefKind::Branch, branch)?
        .ok_or_else(|| Error::NoSuchBranch {
            name: branch.into(),
        })?;
    let current = backend.read_ref(branch)?;
    let old = current.as_ref().map(|c| c.0);
    let mut out = PushOutcome {
        remote: remote.into(),
        branch: branch.into(),
        commit: local,
        old,
        up_to_date: old == Some(local),
        forced: false,
        objects: 0,
        bytes: 0,
    };
    if out.up_to_date {
        return Ok(out);
    }
    if let Some(theirs) = old
        && !is_ancestor(repo, &theirs, &local)?
    {
        if !force {
            return Err(RemoteError::NotFastForward {
                remote: remote.into(),
                branch: branch.into(),
                theirs: theirs.short(),
                ours: local.short(),
            }
            .into());
        }
        out.forced = true;
    }
    let have = backend.list_objects()?;
    let (commits, others) = plan_push(repo, &local, &have)?;
    let sized = |ids: &[ObjectId]| -> Result<Vec<(ObjectId, PathBuf, u64)>> {
        ids.iter()
            .map(|id| {
                let path = repo.store().path(id);
                let size = std::fs::metadata(&path)
                    .map_err(|_| RemoteError::LocalMissing { id: *id })?
                    .len();
                Ok((*id, path, size))
            })
            .collect()
    };
    let others = sized(&others)?;
    let commits = sized(&commits)?;
    out.objects = others.len() + commits.len();
    out.bytes = others.iter().chain(&commits).map(|o| o.2).sum();
    p.begin("pushing", out.objects as u64, out.bytes);
    backend.put_objects(&others, p)?;
    // Oldest first, one at a time: a commit is never on the remote before its parents.
    for c in &commits {
        backend.put_objects(std::slice::from_ref(c), p)?;
    }
    p.end();
    backend.swap_ref(branch, current.as_ref(), local)?;
    let tracking = format!("refs/remotes/{remote}/{branch}");
    repo.db()
        .transaction(|tx| tx.set_ref(&tracking, &local.hex()))?;
    Ok(out)
}

/// Returns (commits the remote lacks, oldest first; every other object they need that the
/// remote lacks).
fn plan_push(
    repo: &Repo,
    tip: &ObjectId,
    have: &HashSet<ObjectId>,
) -> Result<(Vec<ObjectId>, Vec<ObjectId>)> {
    // Post-order walk: parents are listed before children.
    let mut order = Vec::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(*tip, false)];
    let mut objs: HashMap<ObjectId, Commit> = HashMap::new();
    while let Some((id, expanded)) = stack.pop() {
        if expanded {
            order.push(id);
            continue;
        }
        if have.contains(&id) || !seen.insert(id) {
            continue;
        }
        let c = repo.commit_obj(&id)?;
        stack.push((id, true));
        for parent in &c.parents {
            stack.push((*parent, false));
        }
        objs.insert(id, c);
    }
    let mut need = Vec::new();
    let mut visited = HashSet::new();
    for id in &order {
        let c = &objs[id];
        let mut trees = vec![c.tree];
        while let Some(t) = trees.pop() {
            if !visited.insert(t) {
                continue;
            }
            if !have.contains(&t) {
                need.push(t);
            }
            let tree: Tree = repo.store().get(&t)?;
            for e in tree.entries {
                if e.kind == EntryKind::Dir {
                    trees.push(e.id);
                } else if !have.contains(&e.id) && visited.insert(e.id) {
                    need.push(e.id);
                }
            }
        }
        for r in &c.runs {
            if !visited.insert(*r) {
                continue;
            }
            if !have.contains(r) {
                need.push(*r);
            }
            let rec: RunRecord = repo.store().get(r)?;
            let blobs = std::iter::once(rec.log).chain(rec.outputs.iter().map(|o| o.id));
            for b in blobs {
                if !have.contains(&b) && visited.insert(b) {
                    need.push(b);
                }
            }
        }
    }
    Ok((order, need))
}

/// Tells whether `anc` is `desc` or one of its ancestors (through every parent).
pub fn is_ancestor(repo: &Repo, anc: &ObjectId, desc: &ObjectId) -> Result<bool> {
    let mut seen = HashSet::new();
    let mut stack = vec![*desc];
    while let Some(id) = stack.pop() {
        if id == *anc {
            return Ok(true);
        }
        if !seen.insert(id) || !repo.store().contains(&id) {
            continue;
        }
        stack.extend(repo.commit_obj(&id)?.parents);
    }
    Ok(false)
}

/// Objects read during a fetch, before they are stored.
#[derive(Default)]
struct Fetched {
    commits: Vec<(ObjectId, Vec<u8>, Commit)>,
    trees: HashMap<ObjectId, Vec<u8>>,
    runs: Vec<(ObjectId, Vec<u8>, RunRecord)>,
    blobs: HashMap<ObjectId, u64>,
    /// Blobs a path filter left out.
    skipped: HashSet<ObjectId>,
}

/// Downloads what the remote's `branches` (all when `None`) need and sets
/// `refs/remotes/<remote>/<branch>`; with `scope`, only blobs at or under that path.
pub fn fetch(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    branches: Option<&[String]>,
    scope: Option<&str>,
    p: &dyn Progress,
) -> Result<FetchOutcome> {
    let mut tips = backend.branches()?;
    if let Some(want) = branches {
        for b in want {
            if !tips.iter().any(|(n, _)| n == b) {
                return Err(RemoteError::NoBranch {
                    remote: remote.into(),
                    branch: b.clone(),
                }
                .into());
            }
        }
        tips.retain(|(n, _)| want.contains(n));
    }
    let mut f = Fetched::default();
    fetch_commits(repo, backend, &tips, &mut f)?;
    let roots: Vec<ObjectId> = f
        .commits
        .iter()
        .map(|c| c.2.tree)
        .chain(tips.iter().filter_map(|(_, t)| {
            // A tip already here may still lack blobs (after `pull --path`).
            repo.store()
                .contains(t)
                .then(|| repo.commit_obj(t).ok().map(|c| c.tree))?
        }))
        .collect();
    fetch_trees(repo, backend, &roots, scope, &mut f)?;
    fetch_runs(repo, backend, scope, &mut f)?;
    if scope.is_none() {
        // A full fetch also brings what an earlier `--path` fetch left out (older versions too).
        for id in repo.db_ref().read().absent_objects(Some(remote))? {
            f.blobs.entry(id).or_insert(0);
        }
    }
    let mut blobs: Vec<(ObjectId, u64)> = f
        .blobs
        .iter()
        .filter(|(id, _)| !repo.store().contains(id))
        .map(|(id, s)| (*id, *s))
        .collect();
    blobs.sort();
    let mut out = FetchOutcome {
        remote: remote.into(),
        commits: f.commits.len(),
        objects: blobs.len() + f.trees.len() + f.runs.len() + f.commits.len(),
        bytes: blobs.iter().map(|b| b.1).sum(),
        ..Default::default()
    };
    // Blobs first, durable; they are leaves, so a fetch killed after this only saves work.
    let batch = Batch::default();
    p.begin("fetching", blobs.len() as u64, out.bytes);
    backend.get_into(&blobs, repo.store(), &batch, p)?;
    p.end();
    batch.finish(repo.store())?;
    let batch = Batch::default();
    for bytes in f.trees.values() {
        repo.store().put_bytes(bytes, &batch)?;
    }
    for (_, bytes, _) in &f.runs {
        repo.store().put_bytes(bytes, &batch)?;
    }
    for (_, bytes, _) in &f.commits {
        repo.store().put_bytes(bytes, &batch)?;
    }
    batch.finish(repo.store())?;
    index_fetched(repo, remote, &tips, &f, &mut out)?;
    Ok(out)
}

/// Reads the commits no local object has yet, level by level from the tips.
fn fetch_commits(
    repo: &Repo,
    backend: &dyn Backend,
    tips: &[(String, ObjectId)],
    f: &mut Fetched,
) -> Result<()> {
    let mut seen = HashSet::new();
    let mut frontier: Vec<ObjectId> = tips.iter().map(|t| t.1).collect();
    while !frontier.is_empty() {
        frontier.retain(|id| seen.insert(*id) && !repo.store().contains(id));
        let mut next = Vec::new();
        for (id, bytes) in backend.get_small(&frontier)? {
            let c: Commit = decode(&id, &bytes)?;
            next.extend(c.parents.iter().copied());
            f.commits.push((id, bytes, c));
        }
        frontier = next;
    }
    Ok(())
}

/// Reads the trees under `roots` (from the remote unless local) and lists the blobs wanted.
fn fetch_trees(
    repo: &Repo,
    backend: &dyn Backend,
    roots: &[ObjectId],
    scope: Option<&str>,
    f: &mut Fetched,
) -> Result<()> {
    let mut seen = HashSet::new();
    let mut frontier: Vec<(ObjectId, String)> = roots.iter().map(|r| (*r, String::new())).collect();
    while !frontier.is_empty() {
        frontier.retain(|(id, path)| seen.insert((*id, path.clone())));
        let missing: Vec<ObjectId> = frontier
            .iter()
            .map(|t| t.0)
            .filter(|id| !f.trees.contains_key(id) && !repo.store().contains(id))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for (id, bytes) in backend.get_small(&missing)? {
            decode::<Tree>(&id, &bytes)?;
            f.trees.insert(id, bytes);
        }
        let mut next = Vec::new();
        for (id, path) in &frontier {
            let tree: Tree = match f.trees.get(id) {
                Some(b) => decode(id, b)?,
                None => repo.store().get(id)?,
            };
            for e in tree.entries {
                let p = if path.is_empty() {
                    e.name.clone()
                } else {
                    format!("{path}/{}", e.name)
                };
                if e.kind == EntryKind::Dir {
                    next.push((e.id, p));
                } else if scope.is_none_or(|s| is_under(&p, s)) {
                    f.blobs.insert(e.id, e.size);
                } else {
                    f.skipped.insert(e.id);
                }
            }
        }
        // With a scope, all trees still come (history and status need them); blobs do not.
        frontier = next;
    }
    Ok(())
}

/// Reads the run records of the fetched commits and lists their logs and outputs.
fn fetch_runs(
    repo: &Repo,
    backend: &dyn Backend,
    scope: Option<&str>,
    f: &mut Fetched,
) -> Result<()> {
    let ids: Vec<ObjectId> = f
        .commits
        .iter()
        .flat_map(|c| c.2.runs.iter().copied())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let (local, remote): (Vec<ObjectId>, Vec<ObjectId>) =
        ids.into_iter().partition(|id| repo.store().contains(id));
    let mut recs: Vec<(ObjectId, RunRecord)> = Vec::new();
    for id in local {
        recs.push((id, repo.store().get(&id)?));
    }
    for (id, bytes) in backend.get_small(&remote)? {
        let rec: RunRecord = decode(&id, &bytes)?;
        recs.push((id, rec.clone()));
        f.runs.push((id, bytes, rec));
    }
    for (_, rec) in recs {
        if scope.is_none() {
            f.blobs.insert(rec.log, 0);
        } else {
            f.skipped.insert(rec.log);
        }
        for o in &rec.outputs {
            if scope.is_none_or(|s| is_under(&o.path, s)) {
                f.blobs.insert(o.id, o.size);
            } else {
                f.skipped.insert(o.id);
            }
        }
    }
    Ok(())
}

/// Moves the remote-tracking refs and indexes the new commits and runs, and records which
/// blobs a path filter left out (and which have arrived since), in one transaction.
fn index_fetched(
    repo: &mut Repo,
    remote: &str,
    tips: &[(String, ObjectId)],
    f: &Fetched,
    out: &mut FetchOutcome,
) -> Result<()> {
    let mut versions = Vec::new();
    for (id, _, c) in &f.commits {
        let parent = c.parents.first().map(|p| repo.commit_obj(p)).transpose()?;
        let mut v = Vec::new();
        changed_files(repo, parent.map(|p| p.tree), Some(c.tree), "", &mut v)?;
        versions.push((*id, c.time, v));
    }
    let absent: Vec<&ObjectId> = f
        .skipped
        .iter()
        .filter(|id| !f.blobs.contains_key(id) && !repo.store().contains(id))
        .collect();
    let mut moved = Vec::new();
    {
        let db = repo.db_ref();
        for (name, tip) in tips {
            let r = format!("refs/remotes/{remote}/{name}");
            let old = db.read().get_ref(&r)?.and_then(|s| s.parse().ok());
            if old != Some(*tip) {
                moved.push((r, name.clone(), old, *tip));
            }
        }
    }
    repo.db().transaction(|tx| {
        for (r, _, _, tip) in &moved {
            tx.set_ref(r, &tip.hex())?;
        }
        for (id, time, v) in &versions {
            tx.add_commit(id, *time)?;
            tx.add_versions(id, *time, v)?;
        }
        for (id, _, rec) in &f.runs {
            if !tx.has_run(id)? {
                tx.add_run(id, rec)?;
            }
        }
        tx.remove_absent_objects(f.blobs.keys())?;
        tx.add_absent_objects(absent.iter().copied(), remote)?;
        Ok(())
    })?;
    out.branches = moved
        .into_iter()
        .map(|(_, name, old, new)| FetchedBranch { name, old, new })
        .collect();
    Ok(())
}

/// Lists (path, blob) of files added or changed from tree `old` to tree `new`.
fn changed_files(
    repo: &Repo,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<(String, ObjectId)>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let Some(new) = new else { return Ok(()) };
    let a: Vec<_> = match old {
        Some(o) => repo.store().get::<Tree>(&o)?.entries,
        None => Vec::new(),
    };
    for e in repo.store().get::<Tree>(&new)?.entries {
        let path = if prefix.is_empty() {
            e.name.clone()
        } else {
            format!("{prefix}/{}", e.name)
        };
        let before = a.iter().find(|x| x.name == e.name);
        if e.kind == EntryKind::Dir {
            let old_dir = before.filter(|x| x.kind == EntryKind::Dir).map(|x| x.id);
            changed_files(repo, old_dir, Some(e.id), &path, out)?;
        } else if before.is_none_or(|b| b.id != e.id || b.kind != e.kind) {
            out.push((path, e.id));
        }
    }
    Ok(())
}

/// Fetches `branch`, then fast-forwards it (and the working tree when it is checked out).
pub fn pull(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    branch: &str,
    scope: Option<&str>,
    p: &dyn Progress,
) -> Result<PullOutcome> {
    let fetched = fetch(repo, remote, backend, Some(&[branch.to_string()]), scope, p)?;
    let theirs: ObjectId = repo
        .db_ref()
        .read()
        .get_ref(&format!("refs/remotes/{remote}/{branch}"))?
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RemoteError::NoBranch {
            remote: remote.into(),
            branch: branch.into(),
        })?;
    let local = repo.get_ref(RefKind::Branch, branch)?;
    let mut out = PullOutcome {
        fetch: fetched,
        branch: branch.into(),
        old: local,
        new: theirs,
        result: "fast-forward",
        written: 0,
        deleted: 0,
        path: scope.map(String::from),
    };
    // Files left out by an earlier `--path` pull: a full pull brings them even when up to date.
    let has_absent = repo.db_ref().read().index()?.values().any(|e| e.absent);
    match local {
        Some(l) if l == theirs && scope.is_none() && !has_absent => {
            out.result = "up-to-date";
            return Ok(out);
        }
        Some(l) if l == theirs && scope.is_none() => out.result = "up-to-date",
        Some(l) if l != theirs && is_ancestor(repo, &theirs, &l)? => {
            out.result = "ahead";
            out.new = l;
            return Ok(out);
        }
        Some(l) if l != theirs && !is_ancestor(repo, &l, &theirs)? => {
            return Err(RemoteError::Diverged {
                remote: remote.into(),
                branch: branch.into(),
                local: l.short(),
                theirs: theirs.short(),
            }
            .into());
        }
        _ => {}
    }
    let commit = repo.commit_obj(&theirs)?;
    if repo.head()? == Head::Branch(branch.into()) {
        let wanted = repo.flatten(&commit.tree)?;
        let mv = Move::Commit {
            branch: Some(branch.into()),
            id: theirs,
            time: commit.time,
            versions: Vec::new(),
        };
        // The whole tree, so the index matches the commit: files outside `scope` whose
        // content was not fetched become absent entries (known, not written).
        let (w, d) = repo.update_worktree_partial(&wanted, &[], false, &mv, scope.is_some())?;
        (out.written, out.deleted) = (w, d);
    } else {
        let r = format!("refs/heads/{branch}");
        repo.db().transaction(|tx| tx.set_ref(&r, &theirs.hex()))?;
    }
    Ok(out)
}
