//! Push and pull: what to move, in which order, and when refs may move (fetch is in
//! [`super::fetch`]); the transports in `remote` only carry objects and refs.
//!
//! Push uploads blobs, trees and run records, then commits oldest first, then moves the ref:
//! so a commit on the remote implies its whole closure is there, and a push that stops
//! midway leaves objects but no ref. Every upload hashes the local bytes it sends, so a
//! damaged local object is refused, never spread.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Identity;
use super::fetch::{FetchOptions, FetchOutcome, fetch_from};
use super::remotes::{current_branch, spec};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::remote::{self, Backend, Error as RemoteError, RefSpace};
use crate::repo::{Head, Move, RefKind, Repo};
use crate::store::{Commit, EntryKind, ObjectId, RunRecord, Tree};

/// What `pach push` did to one ref.
#[derive(Debug, Serialize)]
pub struct PushOutcome {
    pub remote: String,
    /// The full name on the remote: `refs/heads/<branch>` or `refs/tags/<tag>`.
    #[serde(rename = "ref")]
    pub full: String,
    /// The branch pushed (absent for a tag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The tag pushed (absent for a branch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    pub commit: ObjectId,
    pub old: Option<ObjectId>,
    pub up_to_date: bool,
    pub forced: bool,
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
    /// With `--merge` on divergence: the merge of theirs into the branch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge: Option<super::merge::MergeOutcome>,
}

impl PushOutcome {
    /// An outcome for ref `name` of `space`, at `commit` here and `old` there (nothing moved
    /// yet).
    pub(crate) fn new(
        remote: &str,
        space: RefSpace,
        name: &str,
        commit: ObjectId,
        old: Option<ObjectId>,
    ) -> Self {
        PushOutcome {
            remote: remote.into(),
            full: format!("{}/{name}", space.dir()),
            branch: (space == RefSpace::Heads).then(|| name.into()),
            tag: (space == RefSpace::Tags).then(|| name.into()),
            commit,
            old,
            up_to_date: old == Some(commit),
            forced: false,
            objects: 0,
            bytes: 0,
        }
    }
}

/// `pach push`: pushes branch or tag `name` (default: the current branch) to `remote`
/// (default: origin, or the only remote); see [`push_to`] and [`local_ref`].
pub fn push(
    repo: &mut Repo,
    remote: Option<&str>,
    name: Option<&str>,
    force: bool,
    p: &dyn Progress,
) -> Result<PushOutcome> {
    let spec = spec(repo, remote)?;
    let (space, name) = match name {
        Some(n) => local_ref(repo, n)?,
        None => (RefSpace::Heads, current_branch(repo, None, "push")?),
    };
    let backend = remote::open(&spec, repo.root())?;
    push_to(repo, &spec.name, &*backend, space, &name, force, p)
}

/// Says what a name given to push means: `refs/heads/x` a branch, `refs/tags/x` a tag, a
/// plain name the local branch or tag of that name; one that is both is refused (asking
/// for the full name), one that is neither is taken as a branch (and reported missing).
pub fn local_ref(repo: &Repo, name: &str) -> Result<(RefSpace, String)> {
    if let Some(b) = name.strip_prefix("refs/heads/") {
        return Ok((RefSpace::Heads, b.into()));
    }
    if let Some(t) = name.strip_prefix("refs/tags/") {
        return Ok((RefSpace::Tags, t.into()));
    }
    let branch = repo.get_ref(RefKind::Branch, name)?.is_some();
    let tag = repo.get_ref(RefKind::Tag, name)?.is_some();
    match (branch, tag) {
        (true, true) => Err(RemoteError::AmbiguousRef { name: name.into() }.into()),
        (false, true) => Ok((RefSpace::Tags, name.into())),
        _ => Ok((RefSpace::Heads, name.into())),
    }
}

/// Uploads what the local ref `name` needs and moves the remote's ref to it by
/// compare-and-swap: a branch only by fast-forward, a tag only where the remote has none
/// (or the same), unless `force`.
pub fn push_to(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    space: RefSpace,
    name: &str,
    force: bool,
    p: &dyn Progress,
) -> Result<PushOutcome> {
    let local = match space {
        RefSpace::Heads => repo
            .get_ref(RefKind::Branch, name)?
            .ok_or_else(|| Error::NoSuchBranch { name: name.into() })?,
        RefSpace::Tags => repo
            .get_ref(RefKind::Tag, name)?
            .ok_or_else(|| Error::NoSuchTag { name: name.into() })?,
    };
    let current = backend.read_ref(space, name)?;
    let mut out = PushOutcome::new(remote, space, name, local, current.as_ref().map(|c| c.0));
    if out.up_to_date {
        // Still the purge records the remote lacks.
        super::purge_sync::for_push(repo, remote, backend)?;
        return Ok(out);
    }
    if let Some(theirs) = out.old {
        out.forced = check_move(repo, remote, space, name, &theirs, &local, force)?;
    }
    (out.objects, out.bytes) = send(repo, remote, backend, &[local], out.old, p)?;
    backend.swap_ref(space, name, current.as_ref(), local)?;
    if space == RefSpace::Heads {
        let tracking = format!("refs/remotes/{remote}/{name}");
        let action = if out.forced { "push --force" } else { "push" };
        repo.db_mut()
            .transaction(|tx| tx.set_ref(&tracking, &local.hex(), action))?;
    }
    Ok(out)
}

/// Checks that the remote ref at `theirs` may move to `ours`: a branch by fast-forward, a
/// tag never; `force` allows both. Returns whether it took `force`.
pub(crate) fn check_move(
    repo: &Repo,
    remote: &str,
    space: RefSpace,
    name: &str,
    theirs: &ObjectId,
    ours: &ObjectId,
    force: bool,
) -> Result<bool> {
    let refused = match space {
        RefSpace::Heads if !is_ancestor(repo, theirs, ours)? => RemoteError::NotFastForward {
            remote: remote.into(),
            branch: name.into(),
            theirs: theirs.short(),
            ours: ours.short(),
        },
        RefSpace::Heads => return Ok(false),
        RefSpace::Tags => RemoteError::TagExists {
            remote: remote.into(),
            tag: name.into(),
            theirs: theirs.short(),
            ours: ours.short(),
        },
    };
    if force { Ok(true) } else { Err(refused.into()) }
}

/// Uploads everything commits `tips` need that the remote lacks (`known`: the commit the
/// remote's ref holds); returns how many objects and bytes went up.
pub(crate) fn send(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
    tips: &[ObjectId],
    known: Option<ObjectId>,
    p: &dyn Progress,
) -> Result<(usize, u64)> {
    // Purge records go up first; an object a record here or on the remote names never
    // does (a clone that has not heard of a purge does not put the bytes back).
    let (purged, _) = super::purge_sync::for_push(repo, remote, backend)?;
    let layout = super::chunk_sync::layout(remote, backend)?;
    let mut have = super::chunk_sync::remote_have(repo, backend, known)?;
    // One plan for all tips: an object two need goes up once, commits oldest first.
    let (mut commits, mut need) = (Vec::new(), Vec::new());
    for tip in tips {
        let (c, x) = plan_push(repo, tip, &have.objects)?;
        have.objects.extend(c.iter().chain(&x).copied());
        commits.extend(c);
        need.extend(x);
    }
    if !purged.is_empty() {
        need.retain(|id| !purged.contains(id));
    }
    let (others, mut files) = super::chunk_sync::expand(repo, need, &have)?;
    let writes = backend.writes_layout();
    if writes >= 4 && layout < writes && !(commits.is_empty() && others.is_empty()) {
        // Packs: the marker goes first, so a pach that cannot read packs refuses the remote
        // by its layout instead of calling packed objects missing.
        backend.put_files(&[marker(writes)])?;
    } else if !files.is_empty() && layout < 3 {
        files.push(marker(3));
    }
    upload(repo, backend, &commits, &others, &files, p)
}

/// The marker file naming layout `v`.
pub(crate) fn marker(v: u32) -> (String, Vec<u8>) {
    let text = format!("{} {v}\n", crate::remote::MARKER);
    (crate::remote::MARKER.to_string(), text.into_bytes())
}

/// Uploads `others` (blobs, chunks, segments, trees, run records) concurrently, then
/// `files` (chunk indexes, whose chunks are then all there), then `commits` oldest first;
/// returns how many objects and bytes went up.
fn upload(
    repo: &Repo,
    backend: &dyn Backend,
    commits: &[ObjectId],
    others: &[ObjectId],
    files: &[(String, Vec<u8>)],
    p: &dyn Progress,
) -> Result<(usize, u64)> {
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
    let mut others = sized(others)?;
    let mut commits = sized(commits)?;
    let objects = others.len() + commits.len();
    let bytes = others.iter().chain(&commits).map(|o| o.2).sum();
    p.begin("pushing", objects as u64, bytes);
    if backend.writes_layout() >= 4 && files.is_empty() {
        // Packing, and no chunk index to place between: the commits go in the last pack,
        // visible with (or after) everything they need, and a small push is one pack.
        let big = |o: &(ObjectId, PathBuf, u64)| o.2 > crate::remote::packs::PACKED_MAX;
        let (large, small): (Vec<_>, Vec<_>) = others.drain(..).partition(big);
        backend.put_objects(&large, p)?;
        (others, commits) = (Vec::new(), [small, commits].concat());
    }
    backend.put_objects(&others, p)?;
    if !files.is_empty() {
        backend.put_files(files)?;
    }
    // Oldest first: a commit is never on the remote before its parents.
    backend.put_ordered(&commits, p)?;
    p.end();
    Ok((objects, bytes))
}

/// Returns (commits the remote lacks, oldest first; every other object they need that the
/// remote lacks).
pub(crate) fn plan_push(
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
    // Blobs in path order (a directory's files, and a subtree's, side by side), then trees
    // level by level (each level in path order), then run records: packed in that order, a
    // `--path` fetch reads a directory's blobs with a few ranged reads, and a fetch reads
    // each level of trees, which it asks for at once, from one stretch of a pack.
    let (mut need, mut trees, mut runs) = (Vec::new(), Vec::new(), Vec::new());
    let mut visited = HashSet::new();
    for id in &order {
        let c = &objs[id];
        let mut stack = vec![(c.tree, 0u32)];
        while let Some((t, depth)) = stack.pop() {
            if !visited.insert(t) {
                continue;
            }
            if !have.contains(&t) {
                trees.push((depth, t));
            }
            let tree: Tree = repo.store().get(&t)?;
            let mut dirs = Vec::new();
            for e in tree.entries {
                if e.kind == EntryKind::Dir {
                    dirs.push((e.id, depth + 1));
                } else if !have.contains(&e.id) && visited.insert(e.id) {
                    need.push(e.id);
                }
            }
            // Popped in name order: the walk is in path order.
            stack.extend(dirs.into_iter().rev());
        }
        for r in &c.runs {
            if !visited.insert(*r) {
                continue;
            }
            if !have.contains(r) {
                runs.push(*r);
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
    trees.sort_by_key(|t| t.0); // stable: path order within a level
    need.extend(trees.into_iter().map(|t| t.1));
    need.extend(runs);
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

/// `pach pull`: pulls `branch` (default: the current one) from `remote` (default: origin, or
/// the only remote); with `path` (relative to `cwd`), only file contents at or under it.
pub fn pull(
    repo: &mut Repo,
    remote: Option<&str>,
    branch: Option<&str>,
    path: Option<&Path>,
    cwd: &Path,
    merge: Option<&Identity>,
    p: &dyn Progress,
) -> Result<PullOutcome> {
    let spec = spec(repo, remote)?;
    let branch = current_branch(repo, branch, "pull")?;
    let scope = match path {
        Some(path) => Some(crate::paths::resolve(repo.root(), cwd, path)?),
        None => None,
    };
    let backend = remote::open(&spec, repo.root())?;
    let out = pull_from(repo, &spec.name, &*backend, &branch, scope.as_deref(), p);
    match (out, merge) {
        // Diverged, and asked to merge: theirs (just fetched) merges into the branch.
        (Err(Error::Remote(RemoteError::Diverged { .. })), Some(identity))
            if scope.is_none() && repo.head()? == Head::Branch(branch.clone()) =>
        {
            merge_theirs(repo, &spec.name, &branch, identity)
        }
        (out, _) => out,
    }
}

/// `pull --merge` after divergence: merges `refs/remotes/<remote>/<branch>` into the
/// checked-out branch; conflicts stop it as `pach merge` does.
fn merge_theirs(
    repo: &mut Repo,
    remote: &str,
    branch: &str,
    identity: &Identity,
) -> Result<PullOutcome> {
    let rev = format!("refs/remotes/{remote}/{branch}");
    let message = format!("Merge {remote}/{branch}");
    let old = repo.get_ref(RefKind::Branch, branch)?;
    let opts = super::merge::MergeOptions {
        rev: &rev,
        message: Some(&message),
        no_ff: false,
        favour: None,
        identity,
    };
    let merged = super::merge::merge(repo, &opts, None)?;
    Ok(PullOutcome {
        fetch: FetchOutcome {
            remote: remote.into(),
            ..FetchOutcome::default()
        },
        branch: branch.into(),
        old,
        new: merged.commit.unwrap_or(merged.theirs),
        result: match merged.result {
            super::merge::MergeResult::Conflicts => "conflicts",
            _ => "merged",
        },
        written: merged.written,
        deleted: merged.deleted,
        path: None,
        merge: Some(merged),
    })
}

/// Fetches `branch`, then fast-forwards it (and the working tree when it is checked out).
pub fn pull_from(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    branch: &str,
    scope: Option<&str>,
    p: &dyn Progress,
) -> Result<PullOutcome> {
    let only = [branch.to_string()];
    let opts = FetchOptions::default();
    let fetched = fetch_from(repo, remote, backend, Some(&only), scope, opts, p)?;
    let theirs: ObjectId = repo
        .db()
        .queries()
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
        merge: None,
    };
    // Files left out by an earlier `--path` pull: a full pull brings them even when up to date.
    let has_absent = repo.db().queries().index()?.values().any(|e| e.absent);
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
            action: "pull",
        };
        // The whole tree, so the index matches the commit: files outside `scope` whose
        // content was not fetched become absent entries (known, not written).
        let (w, d) = repo.update_worktree_partial(&wanted, &[], false, &mv, scope.is_some())?;
        (out.written, out.deleted) = (w, d);
    } else {
        let r = format!("refs/heads/{branch}");
        repo.db_mut()
            .transaction(|tx| tx.set_ref(&r, &theirs.hex(), "pull"))?;
    }
    Ok(out)
}
