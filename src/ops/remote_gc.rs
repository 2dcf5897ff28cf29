//! `pach gc --remote <name>`: deletes what no branch or tag of a remote reaches, in two
//! steps so that a concurrent push never loses an object (docs/REMOTES.md, "Remote gc").
//!
//! Each run first condemns: packs whose objects nothing reaches, packs mostly unreachable
//! (their reachable objects are first copied into a new pack), packs without an index,
//! multi-pack indexes naming a condemned pack (one naming others too is first replaced by
//! an index of those), unreachable loose objects and chunk indexes; their keys go into a
//! new list under `gc/`, which pushers read so that they count none of them as on the
//! remote. Then it deletes what lists older than the grace period condemned, each file only
//! if it is still unreachable (or its objects are all held elsewhere), indexes before the
//! packs they name, and removes those lists.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::remotes::spec;
use crate::error::Result;
use crate::progress::Progress;
use crate::remote::midx::{self, MultiIndex};
use crate::remote::packed::{GcView, IndexFile};
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
    /// Packs deleted, with their layout-4 indexes.
    pub deleted_packs: usize,
    /// Multi-pack indexes deleted (layout 5).
    pub deleted_indexes: usize,
    /// Loose objects and chunk indexes deleted.
    pub deleted_files: usize,
    /// Bytes of the packs deleted.
    pub deleted_bytes: u64,
    /// Files condemned and waiting for the grace period.
    pub pending: usize,
}

/// One pack as its index says: its size and its objects (id, length).
pub(crate) struct Pack {
    pub size: u64,
    pub objects: Vec<(ObjectId, u64)>,
}

/// Every pack an index names (the first index naming a pack describes it).
pub(crate) fn packs_of(indexes: &[IndexFile]) -> HashMap<ObjectId, Pack> {
    let mut out: HashMap<ObjectId, Pack> = HashMap::new();
    for f in indexes {
        let fresh: Vec<usize> = (0..f.index.packs.len())
            .filter(|&n| !out.contains_key(&f.index.packs[n].0))
            .collect();
        let mut objects: HashMap<usize, Vec<(ObjectId, u64)>> = HashMap::new();
        for (id, l) in &f.index.entries {
            objects
                .entry(l.pack as usize)
                .or_default()
                .push((*id, l.len as u64));
        }
        for n in fresh {
            let (id, size) = f.index.packs[n];
            let objects = objects.remove(&n).unwrap_or_default();
            out.insert(id, Pack { size, objects });
        }
    }
    out
}

/// The id of a multi-pack index file's key; `None` for a layout-4 pack index.
fn multi_id(f: &IndexFile) -> Option<ObjectId> {
    midx::name(f.key.strip_prefix("packs/")?)
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
    let layout = super::chunk_sync::layout(remote, backend)?;
    let view = backend.gc_view()?;
    let packs = packs_of(&view.indexes);
    let mut listed: HashSet<ObjectId> = view.loose.clone();
    for pack in packs.values() {
        listed.extend(pack.objects.iter().map(|o| o.0));
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
    drop(listed);
    // A purged object is missing on purpose.
    let purged = super::purge_sync::purged_anywhere(repo, remote, backend)?;
    problems.retain(|pr| !pr.id.is_some_and(|id| purged.contains(&id)));
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
    let gc = Gc {
        repo,
        backend,
        view: &view,
        packs: &packs,
        reachable: &reachable,
    };
    let (lists, repacked) = gc.condemn(layout, &mut out, p)?;
    let now = now();
    let (due, waiting): (Vec<_>, Vec<_>) = lists
        .into_iter()
        .partition(|l| l.time.saturating_add(grace.as_secs()) <= now);
    out.pending = waiting.iter().map(|l| l.keys.len()).sum();
    gc.delete(&due, &repacked, &mut out)?;
    Ok(out)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What one gc run weighs.
struct Gc<'a> {
    repo: &'a crate::repo::Repo,
    backend: &'a dyn Backend,
    view: &'a GcView,
    packs: &'a HashMap<ObjectId, Pack>,
    reachable: &'a HashSet<ObjectId>,
}

impl Gc<'_> {
    /// Condemns what nothing reaches (copying the reachable objects of mostly unreachable
    /// packs into new packs, and replacing each index that names a condemned pack and
    /// others by an index of the others, before the list that condemns them is written).
    /// Returns every list, this run's included, oldest first, and the objects repacked.
    fn condemn(
        &self,
        layout: u32,
        out: &mut RemoteGcOutcome,
        p: &dyn Progress,
    ) -> Result<(Vec<GcList>, HashSet<ObjectId>)> {
        let (view, reachable) = (self.view, self.reachable);
        let mut before = Condemned::default();
        for k in view.lists.iter().flat_map(|l| &l.keys) {
            let _ = before.add(k);
        }
        let mut kept_packs: Vec<(&ObjectId, &Pack)> = self
            .packs
            .iter()
            .filter(|(id, _)| !before.packs.contains(id))
            .collect();
        kept_packs.sort_by_key(|k| k.0);
        let mut keys = Vec::new();
        let mut held: HashSet<ObjectId> = view
            .loose
            .iter()
            .filter(|id| !before.objects.contains(id))
            .copied()
            .collect();
        let mut mostly_dead = HashSet::new();
        for (id, pack) in &kept_packs {
            let live: u64 = pack
                .objects
                .iter()
                .filter(|o| reachable.contains(&o.0))
                .map(|o| o.1)
                .sum();
            let any = pack.objects.iter().any(|o| reachable.contains(&o.0));
            if !any || live * 2 < pack.size {
                mostly_dead.insert(**id);
                keys.push(packs::pack_key(id));
            }
        }
        for (id, pack) in &kept_packs {
            if !mostly_dead.contains(*id) {
                held.extend(pack.objects.iter().map(|o| o.0));
            }
        }
        let mut repack = Vec::new();
        for (id, pack) in &kept_packs {
            if mostly_dead.contains(*id) {
                for o in pack.objects.iter().filter(|o| reachable.contains(&o.0)) {
                    if held.insert(o.0) {
                        repack.push(*o);
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
        // A multi-pack index goes with its packs; one that also names packs that stay is
        // replaced by an index of those first. (A layout-4 index goes with its pack.)
        let dead = |p: &ObjectId| before.packs.contains(p) || mostly_dead.contains(p);
        let mut rewrites: Vec<MultiIndex> = Vec::new();
        for f in &view.indexes {
            let Some(id) = multi_id(f).filter(|id| !before.indexes.contains(id)) else {
                continue;
            };
            let n_dead = f.index.packs.iter().filter(|p| dead(&p.0)).count();
            if n_dead == 0 {
                continue;
            }
            if n_dead < f.index.packs.len() {
                rewrites.push(f.index.only(&|p| !dead(p)));
            }
            keys.push(midx::key(&id));
        }
        let unreached = |id: &&ObjectId| !reachable.contains(id);
        let mut loose: Vec<_> = view.loose.iter().filter(unreached).collect();
        loose.retain(|id| !before.objects.contains(id));
        keys.extend(loose.into_iter().map(remote::object_key));
        let mut indexes: Vec<_> = view.chunked.iter().filter(unreached).collect();
        indexes.retain(|id| !before.chunked.contains(id));
        keys.extend(indexes.into_iter().map(remote::index_key));
        keys.sort();
        out.repacked = repack.len();
        let writes = self.backend.writes_layout();
        if !repack.is_empty() && writes >= 4 && layout < writes {
            // New packs: the marker first, as a push does.
            self.backend.put_files(&[super::sync::marker(writes)])?;
        }
        copy_into_new_packs(self.repo, self.backend, &repack, p)?;
        // Complete packs only: safe to name at once.
        let files: Vec<(String, Vec<u8>)> = rewrites
            .iter()
            .map(|m| {
                let (id, bytes) = m.encode();
                (midx::key(&id), bytes)
            })
            .collect();
        if !files.is_empty() {
            self.backend.put_files(&files)?;
        }
        let mut lists = view.lists.clone();
        if !keys.is_empty() {
            out.condemned = keys.len();
            let nonce =
                ObjectId::of(format!("{:?}{}", SystemTime::now(), std::process::id()).as_bytes())
                    .short();
            let list = GcList::new(now(), &nonce, keys);
            self.backend
                .put_files(&[(list.key.clone(), list.encode())])?;
            lists.push(list);
        }
        Ok((lists, repack.into_iter().map(|r| r.0).collect()))
    }

    /// Deletes what the `due` lists condemned and is still unreachable (a pack: if each of
    /// its objects is unreached or held by a pack or loose file that stays), then the lists.
    /// Index files go before the packs they name: an index that names a pack going, or that
    /// a list condemned, goes, after an index of whatever packs of it stay and no index
    /// that stays names (a condemned pack reached again) is written.
    fn delete(
        &self,
        due: &[GcList],
        repacked: &HashSet<ObjectId>,
        out: &mut RemoteGcOutcome,
    ) -> Result<()> {
        let (view, reachable) = (self.view, self.reachable);
        let mut doomed = Condemned::default();
        for k in due.iter().flat_map(|l| &l.keys) {
            let _ = doomed.add(k);
        }
        // Where each object stays: loose files and packs that are not being deleted, and
        // the packs this run wrote.
        let mut stays: HashSet<ObjectId> = view
            .loose
            .iter()
            .filter(|id| !doomed.objects.contains(id))
            .copied()
            .collect();
        for (_, pack) in self.packs.iter().filter(|p| !doomed.packs.contains(p.0)) {
            stays.extend(pack.objects.iter().map(|o| o.0));
        }
        stays.extend(repacked);
        let gone = |o: &ObjectId| !reachable.contains(o) || stays.contains(o);
        let (mut going, mut pack_files, mut others) = (HashSet::new(), Vec::new(), Vec::new());
        for key in due.iter().flat_map(|l| &l.keys) {
            let Some((kind, id)) = Condemned::parse(key) else {
                continue;
            };
            match kind {
                Kind::Pack => match self.packs.get(&id) {
                    Some(pack) if pack.objects.iter().all(|o| gone(&o.0)) => {
                        going.insert(id);
                        pack_files.push(packs::pack_key(&id));
                        out.deleted_packs += 1;
                        out.deleted_bytes += pack.size;
                    }
                    Some(_) => {} // reachable again, and held nowhere else: it stays
                    None if view.orphans.contains(&id) => {
                        going.insert(id);
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
        let goes = |f: &IndexFile| {
            multi_id(f).is_some_and(|id| doomed.indexes.contains(&id))
                || f.index.packs.iter().any(|p| going.contains(&p.0))
        };
        let mut covered: HashSet<ObjectId> = view
            .indexes
            .iter()
            .filter(|f| !goes(f))
            .flat_map(|f| f.index.packs.iter().map(|p| p.0))
            .collect();
        let (mut rescue, mut index_files) = (Vec::new(), Vec::new());
        for f in view.indexes.iter().filter(|f| goes(f)) {
            let left = f
                .index
                .only(&|p| !going.contains(p) && !covered.contains(p));
            if !left.packs.is_empty() {
                covered.extend(left.packs.iter().map(|p| p.0));
                let (id, bytes) = left.encode();
                rescue.push((midx::key(&id), bytes));
            }
            if multi_id(f).is_some() {
                out.deleted_indexes += 1;
            }
            index_files.push(f.key.clone());
        }
        // A pack that stays is named by an index that stays before any index goes; then
        // indexes go before packs: a pack is invisible before its bytes go.
        if !rescue.is_empty() {
            self.backend.put_files(&rescue)?;
        }
        self.backend.delete_files(&index_files)?;
        self.backend.delete_files(&pack_files)?;
        self.backend.delete_files(&others)?;
        let done: Vec<String> = due.iter().map(|l| l.key.clone()).collect();
        self.backend.delete_files(&done)?;
        Ok(())
    }
}

/// Adds the segments and chunks of chunked files `ids` (their indexes read from the remote)
/// to `reachable`.
pub(crate) fn add_pieces(
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
pub(crate) fn copy_into_new_packs(
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
