//! `pach gc --remote <name>`: deletes what no branch or tag of a remote reaches, in two
//! steps so that a concurrent push never loses an object (docs/REMOTES.md, "Remote gc").
//!
//! Each run first condemns: packs whose objects nothing reaches, packs mostly unreachable
//! (their reachable objects are first copied into a new pack), packs without an index,
//! unreachable loose objects and chunk indexes; their keys go into a new list under `gc/`,
//! which pushers read so that they count none of them as on the remote. Then it deletes
//! what lists older than the grace period condemned, each file only if it is still
//! unreachable (or its objects are all held elsewhere), and removes those lists.

use std::collections::HashSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::remotes::spec;
use crate::error::Result;
use crate::progress::Progress;
use crate::remote::packs::{self, Condemned, GcList, Kind, TARGET};
use crate::remote::{self, Backend, Error as RemoteError};
use crate::store::ObjectId;
use crate::store::chunk::{ChunkIndex, decode_segment};

/// What `pach gc --remote` did.
#[derive(Debug, Default, Serialize)]
pub struct RemoteGcOutcome {
    pub remote: String,
    /// Objects the remote's branches and tags reach.
    pub reachable: usize,
    /// Files condemned by this run (deleted after the grace period).
    pub condemned: usize,
    /// Reachable objects copied out of mostly unreachable packs into new ones.
    pub repacked: usize,
    /// Packs deleted, with their indexes.
    pub deleted_packs: usize,
    /// Loose objects and chunk indexes deleted.
    pub deleted_files: usize,
    /// Bytes of the packs deleted.
    pub deleted_bytes: u64,
    /// Files condemned and waiting for the grace period.
    pub pending: usize,
}

/// Opens remote `name` and collects it; see [`collect`].
pub fn gc_remote(
    repo: &crate::repo::Repo,
    name: &str,
    grace: Duration,
    p: &dyn Progress,
) -> Result<RemoteGcOutcome> {
    let spec = spec(repo, Some(name))?;
    let backend = remote::open(&spec, repo.root())?;
    collect(repo, &spec.name, &*backend, grace, p)
}

/// Condemns what the remote's refs do not reach and deletes what was condemned more than
/// `grace` ago and is still unreachable. Refuses (deleting nothing) when the walk from the
/// refs meets a missing or damaged object: it could not see everything that is reachable.
pub fn collect(
    repo: &crate::repo::Repo,
    remote: &str,
    backend: &dyn Backend,
    grace: Duration,
    p: &dyn Progress,
) -> Result<RemoteGcOutcome> {
    super::chunk_sync::layout(remote, backend)?;
    let view = backend.gc_view()?;
    let mut listed: HashSet<ObjectId> = view.loose.clone();
    for idx in &view.packs {
        listed.extend(idx.entries.iter().map(|e| e.id));
    }
    let mut problems = Vec::new();
    let mut reachable = super::remote_fsck::walk(
        repo,
        remote,
        backend,
        &listed,
        &view.chunked,
        &HashSet::new(),
        &mut problems,
    )?;
    if let Some(first) = problems.first() {
        return Err(RemoteError::Store {
            remote: remote.into(),
            op: "gc".into(),
            cause: format!(
                "{} object(s) its branches and tags reach are missing or damaged (the first: {} at {}); nothing was deleted: run `pach fsck --remote {remote}`",
                problems.len(),
                first.id.map_or("?".into(), |i| i.short()),
                first.at
            ),
        }
        .into());
    }
    let chunked: Vec<ObjectId> = view
        .chunked
        .iter()
        .filter(|id| reachable.contains(id))
        .copied()
        .collect();
    add_pieces(remote, backend, &chunked, &mut reachable)?;
    let mut out = RemoteGcOutcome {
        remote: remote.into(),
        reachable: reachable.len(),
        ..Default::default()
    };

    // Condemn.
    let mut before = Condemned::default();
    for k in view.lists.iter().flat_map(|l| &l.keys) {
        let _ = before.add(k);
    }
    let kept_packs: Vec<_> = view
        .packs
        .iter()
        .filter(|i| !before.packs.contains(&i.pack))
        .collect();
    let mut keys = Vec::new();
    let mut repack = Vec::new();
    let mut held: HashSet<ObjectId> = view
        .loose
        .iter()
        .filter(|id| !before.objects.contains(id))
        .copied()
        .collect();
    let mut mostly_dead = HashSet::new();
    for idx in &kept_packs {
        let live: Vec<_> = idx
            .entries
            .iter()
            .filter(|e| reachable.contains(&e.id))
            .collect();
        let live_bytes: u64 = live.iter().map(|e| e.len).sum();
        if live.is_empty() || live_bytes * 2 < idx.size {
            mostly_dead.insert(idx.pack);
            keys.push(packs::pack_key(&idx.pack));
        }
    }
    for idx in &kept_packs {
        if !mostly_dead.contains(&idx.pack) {
            held.extend(idx.entries.iter().map(|e| e.id));
        }
    }
    for idx in &kept_packs {
        if mostly_dead.contains(&idx.pack) {
            for e in idx.entries.iter().filter(|e| reachable.contains(&e.id)) {
                if held.insert(e.id) {
                    repack.push((e.id, e.len));
                }
            }
        }
    }
    keys.extend(
        view.orphans
            .iter()
            .filter(|o| !before.packs.contains(o))
            .map(packs::pack_key),
    );
    let dead = |id: &&ObjectId| !reachable.contains(id);
    let mut loose: Vec<_> = view.loose.iter().filter(dead).collect();
    loose.retain(|id| !before.objects.contains(id));
    keys.extend(loose.into_iter().map(remote::object_key));
    let mut indexes: Vec<_> = view.chunked.iter().filter(dead).collect();
    indexes.retain(|id| !before.chunked.contains(id));
    keys.extend(indexes.into_iter().map(remote::index_key));
    keys.sort();
    out.repacked = repack.len();
    copy_into_new_packs(repo, backend, &repack, p)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut lists = view.lists;
    if !keys.is_empty() {
        out.condemned = keys.len();
        let nonce =
            ObjectId::of(format!("{:?}{}", SystemTime::now(), std::process::id()).as_bytes())
                .short();
        let list = GcList::new(now, &nonce, keys);
        backend.put_files(&[(list.key.clone(), list.encode())])?;
        lists.push(list);
    }

    // Delete what lists older than the grace period condemned, if still unreachable.
    let (due, waiting): (Vec<_>, Vec<_>) = lists
        .into_iter()
        .partition(|l| l.time.saturating_add(grace.as_secs()) <= now);
    out.pending = waiting.iter().map(|l| l.keys.len()).sum();
    let mut doomed = Condemned::default();
    for k in due.iter().flat_map(|l| &l.keys) {
        let _ = doomed.add(k);
    }
    // Where each object stays: loose files and packs that are not being deleted, and the
    // packs this run wrote.
    let mut stays: HashSet<ObjectId> = view
        .loose
        .iter()
        .filter(|id| !doomed.objects.contains(id))
        .copied()
        .collect();
    for idx in view
        .packs
        .iter()
        .filter(|i| !doomed.packs.contains(&i.pack))
    {
        stays.extend(idx.entries.iter().map(|e| e.id));
    }
    stays.extend(repack.iter().map(|r| r.0));
    let (mut index_files, mut pack_files, mut others) = (Vec::new(), Vec::new(), Vec::new());
    for key in due.iter().flat_map(|l| &l.keys) {
        let Some((kind, id)) = Condemned::parse(key) else {
            continue;
        };
        let gone = |o: &ObjectId| !reachable.contains(o) || stays.contains(o);
        match kind {
            Kind::Pack => match view.packs.iter().find(|i| i.pack == id) {
                Some(idx) if idx.entries.iter().all(|e| gone(&e.id)) => {
                    index_files.push(packs::index_key(&id));
                    pack_files.push(packs::pack_key(&id));
                    out.deleted_packs += 1;
                    out.deleted_bytes += idx.size;
                }
                Some(_) => {} // reachable again, and held nowhere else: it stays
                None if view.orphans.contains(&id) => {
                    pack_files.push(packs::pack_key(&id));
                    out.deleted_packs += 1;
                }
                None => {}
            },
            Kind::Loose if gone(&id) => {
                others.push(key.clone());
                out.deleted_files += 1;
            }
            Kind::Chunked if !reachable.contains(&id) => {
                others.push(key.clone());
                out.deleted_files += 1;
            }
            _ => {}
        }
    }
    // Indexes first: a pack is invisible before its bytes go.
    backend.delete_files(&index_files)?;
    backend.delete_files(&pack_files)?;
    backend.delete_files(&others)?;
    let done: Vec<String> = due.into_iter().map(|l| l.key).collect();
    backend.delete_files(&done)?;
    Ok(out)
}

/// Adds the segments and chunks of chunked files `ids` (their indexes read from the remote)
/// to `reachable`.
fn add_pieces(
    remote: &str,
    backend: &dyn Backend,
    ids: &[ObjectId],
    reachable: &mut HashSet<ObjectId>,
) -> Result<()> {
    let keys: Vec<String> = ids.iter().map(remote::index_key).collect();
    let bad = |id: &ObjectId, reason: String| RemoteError::BadIndex {
        remote: remote.into(),
        id: *id,
        reason,
    };
    let mut segments = Vec::new();
    for (id, text) in ids.iter().zip(backend.get_files(&keys)?) {
        let text = text.ok_or_else(|| bad(id, "it vanished during the gc".into()))?;
        let index = ChunkIndex::decode(id, &text).map_err(|e| bad(id, e.to_string()))?;
        segments.extend(index.segments.iter().map(|s| (s.id, *id)));
    }
    reachable.extend(segments.iter().map(|s| s.0));
    let owner: std::collections::HashMap<ObjectId, ObjectId> = segments.iter().copied().collect();
    let wanted: Vec<ObjectId> = owner.keys().copied().collect();
    for (sid, bytes) in backend.get_small(&wanted)? {
        let refs = decode_segment(&bytes).map_err(|e| bad(&owner[&sid], e.to_string()))?;
        reachable.extend(refs.iter().map(|c| c.id));
    }
    Ok(())
}

/// Copies reachable objects out of packs being condemned into new packs, a pack's worth at
/// a time (read and verified through the remote, staged in the local store's `tmp/`).
fn copy_into_new_packs(
    repo: &crate::repo::Repo,
    backend: &dyn Backend,
    objs: &[(ObjectId, u64)],
    p: &dyn Progress,
) -> Result<()> {
    let mut group = Vec::new();
    let mut bytes = 0;
    for (i, (id, len)) in objs.iter().enumerate() {
        group.push(*id);
        bytes += len;
        if bytes >= TARGET as u64 || i + 1 == objs.len() {
            let got = backend.get_small(&group)?;
            let mut items = Vec::new();
            let staged = (|| -> Result<()> {
                for (id, b) in got {
                    let path = repo.store().temp_path()?;
                    items.push((id, path.clone(), b.len() as u64));
                    std::fs::write(&path, &b)
                        .map_err(|source| crate::error::Error::Io { path, source })?;
                }
                Ok(backend.put_objects(&items, p)?)
            })();
            for (_, path, _) in &items {
                let _ = std::fs::remove_file(path);
            }
            staged?;
            group.clear();
            bytes = 0;
        }
    }
    Ok(())
}
