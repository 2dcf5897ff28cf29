//! Purge records across remotes (layout 6): a remote keeps each record as
//! `purges/<purge id>` (the same bytes as `.pach/purges/<purge id>`, immutable, named by its
//! hash). A push uploads the records the remote lacks and never uploads an object a record
//! on either side names; a fetch downloads the records the local repository lacks, never
//! downloads the objects they name, and applies them (the same erase as `pach purge --yes`)
//! only when the remote is trusted (`trust_purges` in `[remote.<name>]`: `pach clone` sets
//! it for `origin`, `pach remote trust-purges` for others), and never when that would erase
//! the only copy of content of a commit no remote-tracking ref holds, unless asked.
//!
//! What does not live here: the record format and the local erase (`store::purge`,
//! `repo::purge`), deleting purged bytes on a remote (`ops::remote_purge`).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::error::Result;
use crate::remote::{self, Backend, Error as RemoteError};
use crate::repo::Repo;
use crate::store::purge::{Erased, PurgeRecord};
use crate::store::{Commit, ObjectId, Structured};

/// What the purge records a fetch found did here.
#[derive(Debug, Default, Serialize)]
pub struct FetchedPurges {
    /// Records applied here (from a trusted remote): recorded, their bytes erased.
    pub applied: Vec<ObjectId>,
    /// Records of an untrusted remote: reported, not recorded, nothing erased (their
    /// objects are not downloaded either).
    pub untrusted: Vec<ObjectId>,
    /// Records not applied because they would erase the only copy of content that a local
    /// commit no remote-tracking ref holds has (`--purge-unpushed` applies them).
    pub held: Vec<Held>,
    /// What applying them erased.
    pub erased: Erased,
}

/// An object a fetched purge would erase although an unpushed commit holds it.
#[derive(Debug, Serialize)]
pub struct Held {
    pub purge: ObjectId,
    pub object: ObjectId,
    pub commit: ObjectId,
    pub path: String,
}

/// Lists the ids of the purge records the remote holds (one listing of `purges/`; none on a
/// remote of layout 5 or older).
pub(crate) fn remote_ids(backend: &dyn Backend) -> Result<HashSet<ObjectId>> {
    Ok(backend
        .list_names("purges")?
        .iter()
        .filter_map(|n| n.parse().ok())
        .collect())
}

/// Downloads the remote's records that are not here, each checked against its name and
/// decoded (a bad one is an error naming it: nothing is applied).
pub(crate) fn read_new(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
) -> Result<Vec<(ObjectId, PurgeRecord)>> {
    let local: HashSet<ObjectId> = repo.purges()?.records.iter().map(|r| r.0).collect();
    let mut ids: Vec<ObjectId> = remote_ids(backend)?
        .into_iter()
        .filter(|id| !local.contains(id))
        .collect();
    ids.sort();
    let keys: Vec<String> = ids.iter().map(remote::purge_key).collect();
    let mut out = Vec::new();
    for (id, bytes) in ids.iter().zip(backend.get_files(&keys)?) {
        let bad = |reason: String| RemoteError::BadPurge {
            remote: remote.into(),
            id: *id,
            reason,
        };
        let bytes = bytes.ok_or_else(|| bad("it vanished while fetching".into()))?;
        let actual = ObjectId::of(&bytes);
        if actual != *id {
            return Err(bad(format!("its bytes hash to {actual}")).into());
        }
        let rec = PurgeRecord::decode(&bytes).map_err(|e| bad(e.to_string()))?;
        out.push((*id, rec));
    }
    Ok(out)
}

/// The objects `records` name.
pub(crate) fn objects_of(records: &[(ObjectId, PurgeRecord)]) -> HashSet<ObjectId> {
    records
        .iter()
        .flat_map(|(_, r)| r.objects.iter().map(|o| o.id))
        .collect()
}

/// Every object a purge record here or on the remote names: erased on purpose, so its
/// absence from the remote is not a problem (`fsck --remote`, remote gc).
pub(crate) fn purged_anywhere(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
) -> Result<HashSet<ObjectId>> {
    let mut purged = repo.purges()?.ids();
    purged.extend(objects_of(&read_new(repo, remote, backend)?));
    Ok(purged)
}

/// Tells whether purge records fetched from `remote` are applied here.
pub fn trusted(repo: &Repo, remote: &str) -> bool {
    (repo.config().remote.get(remote)).is_some_and(|r| r.trust_purges == Some(true))
}

/// `pach remote trust-purges` / `untrust-purges`: sets `trust_purges` of `[remote.<name>]`.
pub fn set_trust(repo: &mut Repo, name: &str, trust: bool) -> Result<()> {
    if !repo.config().remote.contains_key(name) {
        return Err(RemoteError::Unknown { name: name.into() }.into());
    }
    repo.set_remote_trust_config(name, trust)
}

/// Applies fetched `records` when `remote` is trusted: each is recorded here and every byte
/// it names erased, except a record naming an object a local commit that no
/// remote-tracking ref holds has (the only copy may be here): that one is held and reported
/// unless `unpushed`. From an untrusted remote, records are only reported.
pub(crate) fn apply(
    repo: &mut Repo,
    remote: &str,
    records: Vec<(ObjectId, PurgeRecord)>,
    unpushed: bool,
) -> Result<FetchedPurges> {
    let mut out = FetchedPurges::default();
    if records.is_empty() {
        return Ok(out);
    }
    if !trusted(repo, remote) {
        out.untrusted = records.into_iter().map(|r| r.0).collect();
        return Ok(out);
    }
    let here: HashSet<ObjectId> = objects_of(&records)
        .into_iter()
        .filter(|id| repo.store().contains(id))
        .collect();
    if !here.is_empty() && !unpushed {
        out.held = unpushed_holders(repo, &records, &here)?;
    }
    let held: HashSet<ObjectId> = out.held.iter().map(|h| h.purge).collect();
    for (id, rec) in records.iter().filter(|(id, _)| !held.contains(id)) {
        let written = repo.store().write_purge(rec)?;
        debug_assert_eq!(written, *id, "records are canonical");
        out.applied.push(*id);
    }
    if !out.applied.is_empty() {
        out.erased = repo.finish_purges()?;
    }
    Ok(out)
}

/// For every object of `records` in `here`, the local commits holding it that no
/// remote-tracking ref reaches.
fn unpushed_holders(
    repo: &Repo,
    records: &[(ObjectId, PurgeRecord)],
    here: &HashSet<ObjectId>,
) -> Result<Vec<Held>> {
    let impact = super::purge::impact(repo, here)?;
    let tips: Vec<ObjectId> = (repo.db().queries().refs("refs/remotes/")?.iter())
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let pushed = reachable(repo, &tips)?;
    let purge_of: HashMap<ObjectId, ObjectId> = records
        .iter()
        .flat_map(|(p, r)| r.objects.iter().map(move |o| (o.id, *p)))
        .collect();
    let mut out = Vec::new();
    for h in impact
        .commits
        .iter()
        .filter(|h| !pushed.contains(&h.commit))
    {
        for (path, object) in &h.files {
            if let Some(purge) = purge_of.get(object) {
                out.push(Held {
                    purge: *purge,
                    object: *object,
                    commit: h.commit,
                    path: path.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Every commit reachable from `tips` that is here.
fn reachable(repo: &Repo, tips: &[ObjectId]) -> Result<HashSet<ObjectId>> {
    let mut seen = HashSet::new();
    let mut todo = tips.to_vec();
    while let Some(c) = todo.pop() {
        if !repo.store().contains(&c) || !seen.insert(c) {
            continue;
        }
        let commit: Commit = repo.commit_obj(&c)?;
        todo.extend(commit.parents.iter().copied());
    }
    Ok(seen)
}

/// Before a push's objects: uploads the local records the remote lacks (a remote older
/// than layout 6 first gets the marker, so an older pach refuses it rather than pushing
/// purged bytes back), and returns every object a record here or there names, which no push
/// uploads, and how many records went up.
pub(crate) fn for_push(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
) -> Result<(HashSet<ObjectId>, usize)> {
    let local = repo.purges()?;
    let there = remote_ids(backend)?;
    let mut purged = local.ids();
    let theirs = read_new(repo, remote, backend)?;
    purged.extend(objects_of(&theirs));
    let up: Vec<(String, Vec<u8>)> = (local.records.iter())
        .filter(|(id, _)| !there.contains(id))
        .map(|(id, rec)| (remote::purge_key(id), rec.encode()))
        .collect();
    if !up.is_empty() {
        mark(remote, backend)?;
        backend.put_files(&up)?;
    }
    Ok((purged, up.len()))
}

/// Writes the layout-6 marker unless the remote has it.
pub(crate) fn mark(remote: &str, backend: &dyn Backend) -> Result<()> {
    if super::chunk_sync::layout(remote, backend)? < remote::PURGE_LAYOUT {
        backend.put_files(&[super::sync::marker(remote::PURGE_LAYOUT)])?;
    }
    Ok(())
}
