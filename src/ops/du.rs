//! `pach du`: what the data takes — logical size (every version of every file, as if each
//! were stored whole), stored size (the distinct objects and chunks they use), and what
//! deduplication and chunking saved, per path and for the whole store.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::error::Result;
use crate::repo::Repo;
use crate::store::ObjectId;

/// One path's versions in every commit any ref reaches.
#[derive(Debug, Serialize)]
pub struct DuPath {
    pub path: String,
    /// Distinct versions of the file.
    pub versions: usize,
    /// Their sizes added up.
    pub logical: u64,
    /// Bytes of the distinct whole objects and chunks those versions use.
    pub stored: u64,
    /// `logical - stored` (0 when a version is missing here).
    pub saved: u64,
}

/// What `pach du` reports.
#[derive(Debug, Serialize)]
pub struct DuOutcome {
    pub paths: Vec<DuPath>,
    /// Distinct file versions every ref reaches.
    pub versions: usize,
    /// Their sizes added up.
    pub logical: u64,
    /// Bytes of the distinct whole objects and chunks they use.
    pub stored: u64,
    pub saved: u64,
    /// Bytes of every file in the store (`objects/` and `chunked/`), trees, commits, run
    /// records and unreachable objects included.
    pub store_bytes: u64,
}

/// `pach du [PATH...]`: files at or under `scope` (project paths; all when empty).
pub fn du(repo: &Repo, scope: &[String]) -> Result<DuOutcome> {
    let store = repo.store();
    let inside = |p: &str| {
        scope.is_empty()
            || scope
                .iter()
                .any(|s| s.is_empty() || p == s || p.starts_with(&format!("{s}/")))
    };
    let mut versions: BTreeMap<String, HashMap<ObjectId, u64>> = BTreeMap::new();
    let mut trees = HashSet::new();
    for (_, c) in repo.log_all(&repo.ref_tips()?, None)? {
        if !trees.insert(c.tree) {
            continue;
        }
        for (path, e) in repo.flatten(&c.tree)? {
            if inside(&path) {
                versions.entry(path).or_default().insert(e.id, e.size);
            }
        }
    }
    for (path, e) in repo.db().queries().index()? {
        if inside(&path) {
            versions.entry(path).or_default().insert(e.id, e.size);
        }
    }
    // The pieces of each file version, and their sizes.
    let mut pieces: HashMap<ObjectId, Vec<(ObjectId, u64)>> = HashMap::new();
    for ids in versions.values() {
        for id in ids.keys() {
            if !pieces.contains_key(id) {
                let got = store
                    .pieces(id)
                    .map(|p| p.parts.iter().map(|x| (x.id, x.len)).collect())
                    .unwrap_or_default();
                pieces.insert(*id, got);
            }
        }
    }
    let stored_of = |ids: &mut dyn Iterator<Item = &ObjectId>| -> u64 {
        let mut seen = HashSet::new();
        ids.flat_map(|id| pieces[id].iter())
            .filter(|(p, _)| seen.insert(*p))
            .map(|(_, n)| n)
            .sum()
    };
    let paths: Vec<DuPath> = versions
        .iter()
        .map(|(path, ids)| {
            let logical = ids.values().sum();
            let stored = stored_of(&mut ids.keys());
            DuPath {
                path: path.clone(),
                versions: ids.len(),
                logical,
                stored,
                saved: logical.saturating_sub(stored),
            }
        })
        .collect();
    let all: HashMap<ObjectId, u64> = versions.values().flatten().map(|(i, s)| (*i, *s)).collect();
    let logical = all.values().sum();
    let stored = stored_of(&mut all.keys());
    let store_bytes = [store.objects_dir(), store.chunked_dir()]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(d).into_iter().flatten())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    Ok(DuOutcome {
        paths,
        versions: all.len(),
        logical,
        stored,
        saved: logical.saturating_sub(stored),
        store_bytes,
    })
}
