//! Chunked files across remotes: a push sends only the chunks the remote lacks, a fetch
//! brings only the chunks the local store lacks, and a fetched chunk index is accepted only
//! once the bytes it assembles hash to the file's id.
//!
//! What a remote has is known without listing its objects when possible: everything
//! reachable from the commit its ref names (read just before) is on it, since a push
//! uploads a commit's closure before the commit and nothing deletes remote objects. Chunk indexes are listed
//! (one request per thousand chunked file versions); a chunked file whose index is on the
//! remote has all its segments and chunks there, since a push uploads those first. The
//! chunker's parameters belong to the layout version, so a file's index is the same
//! wherever it was made, and the chunks of a local index are the remote's.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::error::Result;
use crate::progress::Progress;
use crate::remote::{self, Backend, Error as RemoteError};
use crate::repo::Repo;
use crate::store::chunk::{ChunkIndex, decode_segment};
use crate::store::{Batch, Commit, EntryKind, ObjectId, RunRecord, Tree};

/// What a remote is known to have.
pub(crate) struct Have {
    pub objects: HashSet<ObjectId>,
    /// Files stored there as chunks.
    pub indexes: HashSet<ObjectId>,
}

/// Refuses a remote written by a newer pach; returns its layout (0 when it has no marker).
pub(crate) fn layout(remote: &str, backend: &dyn Backend) -> Result<u32> {
    let marker = backend.get_files(&[remote::MARKER.to_string()])?.remove(0);
    let Some(text) = marker else { return Ok(0) };
    match remote::parse_marker(&text) {
        Some(v) if v <= remote::LAYOUT => Ok(v),
        _ => Err(RemoteError::NewerLayout {
            remote: remote.into(),
            marker: String::from_utf8_lossy(&text)
                .trim()
                .chars()
                .take(40)
                .collect(),
            supported: remote::LAYOUT,
        }
        .into()),
    }
}

/// What the remote has: the closure of `tip` (its ref's commit, just read, so surely there)
/// when this repository holds it, else its listing; and its chunk indexes.
pub(crate) fn remote_have(
    repo: &Repo,
    backend: &dyn Backend,
    tip: Option<ObjectId>,
) -> Result<Have> {
    let indexes = backend.list_ids("chunked")?;
    let objects = match tip.filter(|t| repo.store().contains(t)) {
        Some(t) => closure(repo, &[t])?,
        None => backend.list_objects()?,
    };
    Ok(Have { objects, indexes })
}

/// Every object reachable from `tips`: commits, trees, run records and blob ids.
fn closure(repo: &Repo, tips: &[ObjectId]) -> Result<HashSet<ObjectId>> {
    let mut seen = HashSet::new();
    let mut commits: Vec<ObjectId> = tips.to_vec();
    let mut trees = Vec::new();
    while let Some(c) = commits.pop() {
        if !seen.insert(c) {
            continue;
        }
        let commit: Commit = repo.commit_obj(&c)?;
        commits.extend(commit.parents.iter().copied());
        trees.push(commit.tree);
        for r in &commit.runs {
            if seen.insert(*r) {
                let rec: RunRecord = repo.store().get(r)?;
                seen.insert(rec.log);
                seen.extend(rec.outputs.iter().map(|o| o.id));
            }
        }
    }
    while let Some(t) = trees.pop() {
        if !seen.insert(t) {
            continue;
        }
        let tree: Tree = repo.store().get(&t)?;
        for e in tree.entries {
            match e.kind {
                EntryKind::Dir => trees.push(e.id),
                _ => {
                    seen.insert(e.id);
                }
            }
        }
    }
    Ok(seen)
}

/// Small files for a remote: (key relative to its root, bytes).
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// Splits what a push needs into object files to upload (whole blobs, trees, run records,
/// and the segments and chunks of chunked files the remote lacks) and chunk indexes to
/// upload after them.
pub(crate) fn expand(
    repo: &Repo,
    need: Vec<ObjectId>,
    have: &Have,
) -> Result<(Vec<ObjectId>, Files)> {
    let store = repo.store();
    let chunked: Vec<ObjectId> = need
        .iter()
        .filter(|id| !have.indexes.contains(id) && store.is_chunked(id))
        .copied()
        .collect();
    if chunked.is_empty() {
        return Ok((
            need.into_iter()
                .filter(|id| !have.indexes.contains(id))
                .collect(),
            Vec::new(),
        ));
    }
    // The segments and chunks of every chunked file the remote has.
    let mut there: HashSet<ObjectId> = HashSet::new();
    for id in &have.indexes {
        if let Ok(index) = store.chunk_index(id) {
            there.extend(index.segments.iter().map(|s| s.id));
            there.extend(store.chunks_in(&index)?.iter().map(|c| c.id));
        }
    }
    let mut files = Vec::new();
    let mut out: Vec<ObjectId> = Vec::new();
    let mut queued = HashSet::new();
    for id in need {
        if have.indexes.contains(&id) {
            continue;
        }
        if !chunked.contains(&id) {
            out.push(id);
            continue;
        }
        let index = store.chunk_index(&id)?;
        let chunks = store.chunks_in(&index)?;
        let pieces = index
            .segments
            .iter()
            .map(|s| s.id)
            .chain(chunks.iter().map(|c| c.id));
        for p in pieces {
            if !there.contains(&p) && !have.objects.contains(&p) && queued.insert(p) {
                out.push(p);
            }
        }
        files.push((remote::index_key(&id), index.encode()));
    }
    Ok((out, files))
}

/// Fetches chunked files `ids` into `batch`: their indexes, then the segments and chunks
/// the store lacks (each verified against its id), then checks that each file's chunks
/// hash to its id before its index joins the batch. Returns the bytes downloaded.
pub(crate) fn fetch_chunked(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
    ids: &[ObjectId],
    batch: &Batch,
    p: &dyn Progress,
) -> Result<u64> {
    let store = repo.store();
    let keys: Vec<String> = ids.iter().map(remote::index_key).collect();
    let mut indexes = Vec::new();
    for (id, text) in ids.iter().zip(backend.get_files(&keys)?) {
        let bad = |reason: String| RemoteError::BadIndex {
            remote: remote.into(),
            id: *id,
            reason,
        };
        let text = text.ok_or_else(|| bad("it vanished while fetching".into()))?;
        let index = ChunkIndex::decode(id, &text).map_err(|e| bad(e.to_string()))?;
        indexes.push(index);
    }
    // Segments: from here when the store has them, else from the remote.
    let wanted: Vec<ObjectId> = indexes
        .iter()
        .flat_map(|i| i.segments.iter().map(|s| s.id))
        .filter(|s| !store.contains_whole(s))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut segments: HashMap<ObjectId, Vec<u8>> =
        backend.get_small(&wanted)?.into_iter().collect();
    for bytes in segments.values() {
        store.put_bytes(bytes, batch)?;
    }
    let mut lists = Vec::new();
    let mut chunks: HashMap<ObjectId, u64> = HashMap::new();
    for index in &indexes {
        let mut list = Vec::new();
        for seg in &index.segments {
            let bytes = match segments.get(&seg.id) {
                Some(b) => b.clone(),
                None => store.read(&seg.id)?,
            };
            let refs = decode_segment(&bytes).map_err(|e| RemoteError::BadIndex {
                remote: remote.into(),
                id: index.file,
                reason: e.to_string(),
            })?;
            list.extend(refs);
        }
        for c in &list {
            if !store.contains_whole(&c.id) {
                chunks.insert(c.id, c.len);
            }
        }
        lists.push(list);
    }
    segments.clear();
    let mut items: Vec<(ObjectId, u64)> = chunks.into_iter().collect();
    items.sort();
    let bytes = items.iter().map(|i| i.1).sum();
    backend.get_into(&items, store, batch, p)?;
    for (index, list) in indexes.iter().zip(&lists) {
        let paths: Vec<PathBuf> = list
            .iter()
            .map(|c| {
                batch
                    .pending_path(&c.id)
                    .unwrap_or_else(|| store.path(&c.id))
            })
            .collect();
        let actual = hash_files(&paths)?;
        if actual != index.file {
            return Err(RemoteError::Corrupt {
                remote: remote.into(),
                id: index.file,
                actual,
            }
            .into());
        }
        store.put_index(&index.file, index.size, list, batch)?;
    }
    Ok(bytes)
}

/// Hashes files in order as one stream.
fn hash_files(paths: &[PathBuf]) -> Result<ObjectId> {
    let mut h = blake3::Hasher::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|source| crate::error::Error::Io {
            path: p.clone(),
            source,
        })?;
        h.update(&bytes);
    }
    Ok(ObjectId::from_hash(h.finalize()))
}
