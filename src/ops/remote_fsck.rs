//! `pach fsck --remote`: re-hash a remote's objects, walk its branches for missing ones, and
//! with `--repair` upload good local copies over the damaged or missing ones.
//!
//! A push uploads only what the remote lacks, so a damaged remote object stays damaged until
//! something replaces it on purpose: this is that something. Local copies are verified
//! before they go up (as in every upload), so a repair never spreads damage.

use std::collections::HashSet;

use serde::Serialize;

use super::remotes::{decode, spec};
use crate::error::Result;
use crate::progress::Progress;
use crate::remote::{self, Backend, Damage};
use crate::repo::{Problem, Repo};
use crate::store::{Commit, EntryKind, ObjectId, RunRecord, Tree};

/// What `pach fsck --remote` found (and repaired).
#[derive(Debug, Serialize)]
pub struct RemoteFsckOutcome {
    pub remote: String,
    /// Objects the remote lists.
    pub objects: usize,
    /// Objects reachable from its branches.
    pub reachable: usize,
    /// Problems left after any repair.
    pub problems: Vec<Problem>,
    /// Problems a repair fixed.
    pub repaired: Vec<Problem>,
}

/// `pach fsck --remote NAME [--repair]`: opens remote `name` and checks it; see [`check`].
pub fn fsck_remote(
    repo: &Repo,
    name: &str,
    repair: bool,
    p: &dyn Progress,
) -> Result<RemoteFsckOutcome> {
    let spec = spec(repo, Some(name))?;
    let backend = remote::open(&spec, repo.root())?;
    check(repo, &spec.name, &*backend, repair, p)
}

/// Checks every object `backend` lists against its id and every object its branches reach
/// for presence; with `repair`, re-uploads verified local copies of the bad ones.
pub fn check(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
    repair: bool,
    p: &dyn Progress,
) -> Result<RemoteFsckOutcome> {
    let listed = backend.list_objects()?;
    let mut ids: Vec<ObjectId> = listed.iter().copied().collect();
    ids.sort();
    p.begin("checking", ids.len() as u64, 0);
    let damaged = backend.check_objects(&ids, p)?;
    p.end();
    let at = format!("remote `{remote}`");
    let mut problems: Vec<Problem> = damaged
        .iter()
        .map(|(id, d)| match d {
            Damage::Corrupt(actual) => Problem {
                kind: "corrupt",
                id: Some(*id),
                at: at.clone(),
                detail: format!("content hashes to {actual}"),
            },
            Damage::Missing => Problem {
                kind: "missing",
                id: Some(*id),
                at: at.clone(),
                detail: "listed but could not be read".into(),
            },
        })
        .collect();
    let corrupt: HashSet<ObjectId> = damaged.iter().map(|d| d.0).collect();
    let indexes = backend.list_ids("chunked")?;
    let reachable = walk(
        repo,
        remote,
        backend,
        &listed,
        &indexes,
        &corrupt,
        &mut problems,
    )?
    .len();
    // Erased on purpose (a purge record here or on the remote names it): not a problem.
    let purged = super::purge_sync::purged_anywhere(repo, remote, backend)?;
    problems.retain(|pr| pr.kind != "missing" || !pr.id.is_some_and(|id| purged.contains(&id)));
    let mut out = RemoteFsckOutcome {
        remote: remote.into(),
        objects: listed.len() + indexes.len(),
        reachable,
        problems,
        repaired: Vec::new(),
    };
    if repair {
        repair_from_local(repo, backend, &mut out, p)?;
    }
    Ok(out)
}

/// Walks the remote's branches: commits, trees and run records are read from the local
/// store when it has them (verified), else from the remote; what is reachable but not
/// listed becomes a `missing` problem. Returns every object reached (a chunked file's id,
/// not its pieces).
pub(crate) fn walk(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
    listed: &HashSet<ObjectId>,
    indexes: &HashSet<ObjectId>,
    corrupt: &HashSet<ObjectId>,
    problems: &mut Vec<Problem>,
) -> Result<HashSet<ObjectId>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Commit,
        Tree,
        Run,
        Blob,
    }
    let mut seen = HashSet::new();
    // Branches and tags: a tag may reach commits no branch has.
    let tags = backend.list_refs(crate::remote::RefSpace::Tags)?;
    let mut frontier: Vec<(ObjectId, Kind, String)> = backend
        .branches()?
        .into_iter()
        .map(|(name, id)| (id, Kind::Commit, format!("{remote}/{name}")))
        .chain(
            tags.into_iter()
                .map(|(name, id)| (id, Kind::Commit, format!("{remote} tag {name}"))),
        )
        .collect();
    while !frontier.is_empty() {
        frontier.retain(|(id, _, _)| seen.insert(*id));
        let mut readable = Vec::new();
        for (id, kind, at) in &frontier {
            if *kind == Kind::Blob && indexes.contains(id) {
                chunked_pieces(repo, id, at, listed, problems);
                continue;
            }
            if !listed.contains(id) {
                problems.push(Problem {
                    kind: "missing",
                    id: Some(*id),
                    at: at.clone(),
                    detail: "reachable from the remote's branches but not on the remote".into(),
                });
            }
            // A damaged or missing object is walked through a good local copy when there is one.
            let local = repo.store().contains(id) && repo.store().verify(id).is_ok();
            if *kind != Kind::Blob && (local || (listed.contains(id) && !corrupt.contains(id))) {
                readable.push((*id, *kind, at.clone(), local));
            }
        }
        let remote_ids: Vec<ObjectId> = readable.iter().filter(|r| !r.3).map(|r| r.0).collect();
        let mut bytes: std::collections::HashMap<ObjectId, Vec<u8>> =
            backend.get_small(&remote_ids)?.into_iter().collect();
        let mut next = Vec::new();
        for (id, kind, at, local) in readable {
            let b = match bytes.remove(&id) {
                Some(b) => b,
                None if local => repo.store().read(&id)?,
                None => continue,
            };
            match kind {
                Kind::Commit => {
                    let c: Commit = decode(&id, &b)?;
                    let here = format!("commit {}", id.short());
                    next.push((c.tree, Kind::Tree, format!("{here}:/")));
                    next.extend(c.runs.iter().map(|r| (*r, Kind::Run, here.clone())));
                    next.extend(c.parents.iter().map(|p| (*p, Kind::Commit, here.clone())));
                }
                Kind::Tree => {
                    let t: Tree = decode(&id, &b)?;
                    let base = at.trim_end_matches('/');
                    for e in t.entries {
                        let child = format!("{base}/{}", e.name);
                        let k = if e.kind == EntryKind::Dir {
                            Kind::Tree
                        } else {
                            Kind::Blob
                        };
                        next.push((e.id, k, child));
                    }
                }
                Kind::Run => {
                    let r: RunRecord = decode(&id, &b)?;
                    let here = format!("run {}", id.short());
                    next.push((r.log, Kind::Blob, here.clone()));
                    next.extend(r.outputs.iter().map(|o| (o.id, Kind::Blob, here.clone())));
                }
                Kind::Blob => {}
            }
        }
        frontier = next;
    }
    Ok(seen)
}

/// Reports the segments and chunks of a chunked file (as the local index lists them: a
/// file's index is the same wherever it was made) that the remote lacks.
fn chunked_pieces(
    repo: &Repo,
    id: &ObjectId,
    at: &str,
    listed: &HashSet<ObjectId>,
    problems: &mut Vec<Problem>,
) {
    let Ok(index) = repo.store().chunk_index(id) else {
        return; // not here: the remote's index cannot be checked against anything
    };
    let chunks = repo.store().chunks_in(&index).unwrap_or_default();
    let pieces = index.segments.iter().chain(&chunks).map(|c| c.id);
    for piece in pieces.filter(|p| !listed.contains(p)) {
        problems.push(Problem {
            kind: "missing",
            id: Some(piece),
            at: at.to_string(),
            detail: format!("a chunk or segment of {id} is not on the remote"),
        });
    }
}

/// Uploads a verified local copy of each damaged or missing object, replacing the remote's.
fn repair_from_local(
    repo: &Repo,
    backend: &dyn Backend,
    out: &mut RemoteFsckOutcome,
    p: &dyn Progress,
) -> Result<()> {
    let mut items = Vec::new();
    let mut queued = HashSet::new();
    for pr in &out.problems {
        let Some(id) = pr.id else { continue };
        if queued.contains(&id) || repo.store().verify(&id).is_err() {
            continue;
        }
        let path = repo.store().path(&id);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        queued.insert(id);
        items.push((id, path, size));
    }
    if items.is_empty() {
        return Ok(());
    }
    p.begin(
        "repairing",
        items.len() as u64,
        items.iter().map(|i| i.2).sum(),
    );
    backend.put_objects(&items, p)?;
    p.end();
    let (fixed, left) = std::mem::take(&mut out.problems)
        .into_iter()
        .partition(|pr| pr.id.is_some_and(|id| queued.contains(&id)));
    out.repaired = fixed;
    out.problems = left;
    Ok(())
}
