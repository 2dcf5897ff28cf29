//! The staging index's trees, built from the sorted index and kept in the tree cache
//! (`db::index_trees`): a write that touches 1,000 files of a million recomputes the trees
//! of the directories above them and reuses every other directory's cached id, where a
//! whole build encoded and hashed all of them (1.6 s of a commit at 10^6 files).
//!
//! Every tree a build makes is stored (in the caller's batch, durable before the index
//! moves), so the cache names stored trees only and `commit` takes the index's root tree as
//! it is. `gc` keeps the cached trees (they are what the next commit will point to).

use std::collections::{BTreeMap, HashSet};
use std::ops::Bound;

use rayon::prelude::*;

use super::Repo;
use crate::db::{IndexEntry, TreeRow};
use crate::error::Result;
use crate::store::{Batch, EntryKind, ObjectId, Store, Tree, TreeEntry};

/// The index's trees after a build: the root, and the cache rows that changed.
pub(crate) struct Built {
    pub root: ObjectId,
    /// Cache rows to write (set or drop); all of the cache when `whole`.
    pub rows: Vec<(String, Option<TreeRow>)>,
    pub whole: bool,
}

/// Builds and stores (in `batch`) the trees of `index`. With `cache`, the trees of the
/// index before a write that touched the paths `touched`, only the directories above a
/// touched path are built again; without it, every directory is.
pub(crate) fn build(
    store: &Store,
    index: &BTreeMap<String, IndexEntry>,
    cache: Option<&BTreeMap<String, TreeRow>>,
    touched: &[String],
    batch: &Batch,
) -> Result<Built> {
    let dirty: Option<HashSet<&str>> = cache.map(|_| {
        let mut dirty = HashSet::from([""]);
        for p in touched {
            let mut p = p.as_str();
            // Deepest first: once a directory is in, so is everything above it.
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !dirty.insert(p) {
                    break;
                }
            }
        }
        dirty
    });
    let b = Builder {
        store,
        index,
        reuse: cache.zip(dirty.as_ref()),
        batch,
    };
    let ((root, _), mut rows) = b.dir("")?;
    // A touched directory that holds nothing now: its row goes.
    if let (Some(cache), Some(dirty)) = (cache, &dirty) {
        let built: HashSet<&str> = rows.iter().map(|(d, _)| d.as_str()).collect();
        let gone: Vec<String> = dirty
            .iter()
            .filter(|d| cache.contains_key(**d) && !built.contains(**d))
            .map(|d| d.to_string())
            .collect();
        rows.extend(gone.into_iter().map(|d| (d, None)));
    }
    Ok(Built {
        root,
        rows,
        whole: cache.is_none(),
    })
}

struct Builder<'a> {
    store: &'a Store,
    index: &'a BTreeMap<String, IndexEntry>,
    /// The cache and the directories it no longer knows.
    reuse: Option<(&'a BTreeMap<String, TreeRow>, &'a HashSet<&'a str>)>,
    batch: &'a Batch,
}

/// A directory's tree and the cache rows of the trees built for it (its own last).
type DirBuilt = (TreeRow, Vec<(String, Option<TreeRow>)>);

impl Builder<'_> {
    /// The tree of directory `dir` (`""` for the root): cached, or built from the index
    /// entries under it, which are contiguous in path order; its subdirectories are built
    /// on all cores. A subdirectory's entries are passed over in one range lookup
    /// (`dir/sub0` is the first path after them: `0` follows `/`).
    fn dir(&self, dir: &str) -> Result<DirBuilt> {
        if let Some((cache, dirty)) = self.reuse
            && !dirty.contains(dir)
            && let Some(row) = cache.get(dir)
        {
            return Ok((*row, Vec::new()));
        }
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut entries: Vec<TreeEntry> = Vec::new();
        let mut subs: Vec<String> = Vec::new();
        let mut from = prefix.clone();
        loop {
            let mut sub = None;
            let range = (Bound::Included(from.as_str()), Bound::Unbounded);
            for (path, e) in self.index.range::<str, _>(range) {
                let Some(rest) = path.strip_prefix(prefix.as_str()) else {
                    break;
                };
                match rest.find('/') {
                    Some(i) => {
                        sub = Some(path[..prefix.len() + i].to_string());
                        break;
                    }
                    None => entries.push(TreeEntry {
                        name: rest.to_string(),
                        kind: e.kind,
                        id: e.id,
                        size: e.size,
                        exec: e.exec,
                    }),
                }
            }
            let Some(sub) = sub else { break };
            from = format!("{sub}0");
            subs.push(sub);
        }
        let built: Vec<(DirBuilt, String)> = subs
            .into_par_iter()
            .map(|sub| Ok((self.dir(&sub)?, sub)))
            .collect::<Result<_>>()?;
        let mut rows = Vec::new();
        for (((id, size), below), sub) in built {
            entries.push(TreeEntry {
                name: sub[prefix.len()..].to_string(),
                kind: EntryKind::Dir,
                id,
                size,
                exec: false,
            });
            rows.extend(below);
        }
        // Names in byte order; a file and a directory of one name cannot both be staged, and
        // the directory (its contents, later in path order) wins.
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries.dedup_by(|later, earlier| {
            if later.name != earlier.name {
                return false;
            }
            if later.kind == EntryKind::Dir {
                std::mem::swap(later, earlier);
            }
            true
        });
        let size = entries.iter().map(|e| e.size).sum();
        let id = self.store.put(&Tree { entries }, self.batch)?;
        rows.push((dir.to_string(), Some((id, size))));
        Ok(((id, size), rows))
    }
}

impl Repo {
    /// The cached trees of the index when the cache is that of the index and every tree in
    /// it is stored (a cache is only ever written after its trees, but objects can be lost).
    pub(crate) fn stored_index_trees(&self) -> Result<Option<BTreeMap<String, TreeRow>>> {
        let Some(cache) = self.db().queries().index_trees()? else {
            return Ok(None);
        };
        let store = self.store();
        Ok(cache
            .values()
            .all(|(id, _)| store.contains(id))
            .then_some(cache))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Stat;

    fn entry(n: u8) -> IndexEntry {
        IndexEntry {
            kind: EntryKind::File,
            id: ObjectId::of(&[n]),
            size: u64::from(n),
            exec: n % 2 == 1,
            stat: Stat::default(),
            verified_ns: 0,
            absent: false,
        }
    }

    fn index(paths: &[&str]) -> BTreeMap<String, IndexEntry> {
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| (p.to_string(), entry(i as u8)))
            .collect()
    }

    /// The trees' ids computed by the older whole-tree builder, for comparison.
    fn reference(store: &Store, index: &BTreeMap<String, IndexEntry>) -> ObjectId {
        let flat = Repo::index_snapshot(index);
        super::super::tree::build(store, flat.iter().map(|(k, v)| (k.as_str(), v)), None)
            .unwrap()
            .0
    }

    #[test]
    fn incremental_builds_equal_whole_builds() {
        let (_dir, store) = crate::store::testutil::store();
        let batch = Batch::default();
        // Names around `/` in byte order (`-` < `/` < `0`), nesting, and the root's files.
        let mut idx = index(&[
            "a", "a-b/x", "a/b/c", "a/b/d", "a/b0", "a/c", "b/x/y/z", "z",
        ]);
        let whole = build(&store, &idx, None, &[], &batch).unwrap();
        assert!(whole.whole);
        assert_eq!(whole.root, reference(&store, &idx));
        let mut cache: BTreeMap<String, TreeRow> = whole
            .rows
            .iter()
            .map(|(d, r)| (d.clone(), r.unwrap()))
            .collect();
        assert_eq!(
            cache.keys().map(String::as_str).collect::<Vec<_>>(),
            ["", "a", "a-b", "a/b", "b", "b/x", "b/x/y"]
        );
        // Change one file deep down, add one, remove a whole directory.
        idx.insert("a/b/c".into(), entry(40));
        idx.insert("a/new/f".into(), entry(41));
        idx.remove("b/x/y/z");
        let touched = ["a/b/c", "a/new/f", "b/x/y/z"].map(String::from);
        let step = build(&store, &idx, Some(&cache), &touched, &batch).unwrap();
        assert!(!step.whole);
        assert_eq!(step.root, reference(&store, &idx));
        let rebuilt: Vec<&str> = step.rows.iter().map(|(d, _)| d.as_str()).collect();
        assert!(
            !rebuilt.contains(&"a-b"),
            "an untouched directory is reused"
        );
        for (d, row) in step.rows {
            match row {
                Some(r) => cache.insert(d, r),
                None => cache.remove(&d),
            };
        }
        assert!(!cache.contains_key("b/x/y") && !cache.contains_key("b"));
        assert_eq!(cache, {
            let w = build(&store, &idx, None, &[], &batch).unwrap();
            w.rows.into_iter().map(|(d, r)| (d, r.unwrap())).collect()
        });
        // A stale cache (it was never told of a change) gives a wrong tree: the cache is
        // trusted only through `touched`, which is why every write plans through the db.
        idx.insert("a-b/x".into(), entry(42));
        let stale = build(&store, &idx, Some(&cache), &[], &batch).unwrap();
        assert_ne!(stale.root, reference(&store, &idx));
    }

    #[test]
    fn a_directory_wins_over_a_file_of_its_name_and_an_empty_index_has_a_tree() {
        let (_dir, store) = crate::store::testutil::store();
        let batch = Batch::default();
        let idx = index(&["d", "d/f"]);
        let built = build(&store, &idx, None, &[], &batch).unwrap();
        assert_eq!(built.root, reference(&store, &idx));
        let empty = BTreeMap::new();
        let built = build(&store, &empty, None, &[], &batch).unwrap();
        assert_eq!(built.root, reference(&store, &empty));
    }
}
