//! `pach purge --remote <name>` / `--all-remotes`: after the local purge, the remote gets
//! every purge record it lacks and loses the purged bytes: loose objects and chunk indexes
//! are deleted, the chunks and segments of purged chunked files that no other chunk index
//! on the remote lists too, and every pack holding a purged object is rewritten without it.
//!
//! The rewrite follows remote gc's order (docs/REMOTES.md, "Remote gc"), so a concurrent
//! push never loses an object: the other objects of such a pack are first copied into new
//! packs (with their own index), then each index naming the pack is replaced by an index of
//! its other packs, then the old indexes go, then the pack. The records go up first, so a
//! pusher that starts after them never uploads a purged object again. Running it again
//! finishes what an interrupted run left (everything is recomputed from the remote).

use std::collections::HashSet;

use serde::Serialize;

use super::remote_gc::{add_pieces, copy_into_new_packs, packs_of};
use super::remotes::spec;
use crate::error::Result;
use crate::progress::Progress;
use crate::remote::{self, midx, packs};
use crate::repo::Repo;
use crate::store::ObjectId;

/// What a purge did on one remote.
#[derive(Debug, Default, Serialize)]
pub struct RemotePurgeOutcome {
    pub remote: String,
    /// Purge records uploaded.
    pub records: usize,
    /// Packs rewritten without purged objects (and deleted).
    pub packs: usize,
    /// Other objects of those packs copied into new packs.
    pub repacked: usize,
    /// Loose objects, chunk indexes, chunks and segments deleted.
    pub files: usize,
}

/// Uploads the records remote `name` lacks and erases there the bytes of every object a
/// local purge record names (finishing an earlier run too).
pub fn purge_remote(repo: &Repo, name: &str, p: &dyn Progress) -> Result<RemotePurgeOutcome> {
    let spec = spec(repo, Some(name))?;
    let backend = remote::open(&spec, repo.root())?;
    let backend = &*backend;
    let remote = spec.name.as_str();
    let mut out = RemotePurgeOutcome {
        remote: remote.into(),
        ..Default::default()
    };
    (_, out.records) = super::purge_sync::for_push(repo, remote, backend)?;
    let purged = repo.purges()?.ids();
    let view = backend.gc_view()?;
    // Chunked purged files: their pieces, except those another chunk index lists.
    let own: Vec<ObjectId> = view.chunked.intersection(&purged).copied().collect();
    let mut erase = purged.clone();
    if !own.is_empty() {
        let others: Vec<ObjectId> = view.chunked.difference(&purged).copied().collect();
        let (mut pieces, mut used) = (HashSet::new(), HashSet::new());
        add_pieces(remote, backend, &own, &mut pieces)?;
        add_pieces(remote, backend, &others, &mut used)?;
        erase.extend(pieces.difference(&used));
    }
    let all = packs_of(&view.indexes);
    let doomed: HashSet<ObjectId> = (all.iter())
        .filter(|(_, pack)| pack.objects.iter().any(|o| erase.contains(&o.0)))
        .map(|(id, _)| *id)
        .collect();
    // Objects that stay where they are: loose ones, and those of packs kept.
    let mut held: HashSet<ObjectId> = view.loose.difference(&erase).copied().collect();
    for (_, pack) in all.iter().filter(|(id, _)| !doomed.contains(id)) {
        held.extend(pack.objects.iter().map(|o| o.0));
    }
    let mut repack = Vec::new();
    for id in &doomed {
        for o in &all[id].objects {
            if !erase.contains(&o.0) && held.insert(o.0) {
                repack.push(*o);
            }
        }
    }
    repack.sort();
    out.repacked = repack.len();
    copy_into_new_packs(repo, backend, &repack, p)?;
    // Each index naming a doomed pack is replaced by one of its other packs first.
    let (mut rescue, mut gone) = (Vec::new(), Vec::new());
    for f in &view.indexes {
        if !f.index.packs.iter().any(|p| doomed.contains(&p.0)) {
            continue;
        }
        let left = f.index.only(&|p| !doomed.contains(p));
        if !left.packs.is_empty() {
            let (id, bytes) = left.encode();
            rescue.push((midx::key(&id), bytes));
        }
        gone.push(f.key.clone());
    }
    if !rescue.is_empty() {
        backend.put_files(&rescue)?;
    }
    backend.delete_files(&gone)?;
    let pack_keys: Vec<String> = doomed.iter().map(packs::pack_key).collect();
    backend.delete_files(&pack_keys)?;
    out.packs = doomed.len();
    let mut files: Vec<String> = (view.loose.iter())
        .filter(|id| erase.contains(id))
        .map(remote::object_key)
        .collect();
    files.extend(own.iter().map(remote::index_key));
    out.files = files.len();
    backend.delete_files(&files)?;
    Ok(out)
}

/// The remotes `--remote NAME...` / `--all-remotes` name, each checked to exist (before
/// anything changes).
pub fn remotes(repo: &Repo, named: &[String], all: bool) -> Result<Vec<String>> {
    if all {
        return Ok(repo.config().remote.keys().cloned().collect());
    }
    named
        .iter()
        .map(|n| Ok(spec(repo, Some(n))?.name))
        .collect()
}
