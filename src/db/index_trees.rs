//! Writing the staging index in two steps, so a caller learns which paths a write touches
//! before it commits to it; and `index_trees`, the tree id of every directory of the index
//! (as git's cache-tree), so a change to 1,000 of a million files recomputes the trees above
//! those files, not all 4,000 directories' trees.
//!
//! A write compares the new index's chunks ([`super::index::chunks`]) with the stored ones;
//! the paths in the chunks that differ (old and new) are what it touches. A directory none of
//! whose files is in a touched chunk holds the same entries as before, so its cached tree id
//! stays right. The cache is trusted only when its root row equals `meta.index_tree`, which
//! moves in the same transaction; anything else (a database from before schema 8, a write by
//! a path that did not keep it) makes the next write rebuild it whole.

use std::collections::BTreeMap;

use rusqlite::params;

use super::{IndexEntry, Queries, Result, index};
use crate::store::ObjectId;

/// A staging-index write, planned: the chunks to put and delete, and the paths it touches.
pub struct IndexWrite {
    put: Vec<(String, Vec<u8>, blake3::Hash)>,
    delete: Vec<String>,
    /// Every path in a chunk that changes, before or after the write, in no order.
    pub touched: Vec<String>,
}

/// A directory's tree: its id and the total size of the files under it.
pub type TreeRow = (ObjectId, u64);

impl Queries<'_> {
    /// Plans writing `index` in place of the stored index (see [`IndexWrite`]); the touched
    /// paths are listed only if `want_touched` (decoding them costs a first write of a
    /// million files a million strings).
    pub fn plan_index(
        &self,
        index: &BTreeMap<String, IndexEntry>,
        want_touched: bool,
    ) -> Result<IndexWrite> {
        // The stored chunks' hashes: as this process last saw them, else read.
        let known = self.memo.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let mut old: std::collections::HashMap<String, blake3::Hash> = match known {
            Some(m) => m,
            None => {
                let mut st = self
                    .tx
                    .prepare_cached("SELECT first, data FROM index_chunks")
                    .map_err(self.err())?;
                let rows = st
                    .query_map([], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                    })
                    .map_err(self.err())?;
                let mut m = std::collections::HashMap::new();
                for row in rows {
                    let (first, data) = row.map_err(self.err())?;
                    m.insert(first, blake3::hash(&data));
                }
                m
            }
        };
        // An old chunk's paths, read back only for a chunk that changes.
        let old_data = |first: &str| -> Result<Vec<u8>> {
            self.tx
                .prepare_cached("SELECT data FROM index_chunks WHERE first = ?1")
                .map_err(self.err())?
                .query_row([first], |r| r.get(0))
                .map_err(self.err())
        };
        let mut plan = IndexWrite {
            put: Vec::new(),
            delete: Vec::new(),
            touched: Vec::new(),
        };
        let paths_of = |first: &str, data: &[u8], touched: &mut Vec<String>| {
            if !want_touched {
                return Ok(());
            }
            let mut entries = Vec::new();
            index::decode_into(data, &mut entries)
                .map_err(|why| self.bad("the staging index", &format!("chunk `{first}`: {why}")))?;
            touched.extend(entries.into_iter().map(|(p, _)| p));
            Ok::<_, super::Error>(())
        };
        use rayon::prelude::*;
        let encoded: Vec<(String, Vec<u8>, blake3::Hash)> = index::chunks(index)
            .into_par_iter()
            .map(|(first, data)| {
                let hash = blake3::hash(&data);
                (first, data, hash)
            })
            .collect();
        for (first, data, hash) in encoded {
            match old.remove(&first) {
                Some(o) if o == hash => continue,
                Some(_) if want_touched => paths_of(&first, &old_data(&first)?, &mut plan.touched)?,
                _ => {}
            }
            paths_of(&first, &data, &mut plan.touched)?;
            plan.put.push((first, data, hash));
        }
        for first in old.into_keys() {
            if want_touched {
                paths_of(&first, &old_data(&first)?, &mut plan.touched)?;
            }
            plan.delete.push(first);
        }
        Ok(plan)
    }

    /// Writes a planned index: only the chunks that changed.
    pub fn apply_index(&self, plan: &IndexWrite) -> Result<()> {
        let mut put = self
            .tx
            .prepare_cached("INSERT OR REPLACE INTO index_chunks(first, data) VALUES (?1, ?2)")
            .map_err(self.err())?;
        for (first, data, _) in &plan.put {
            put.execute(params![first, data]).map_err(self.err())?;
        }
        let mut delete = self
            .tx
            .prepare_cached("DELETE FROM index_chunks WHERE first = ?1")
            .map_err(self.err())?;
        for first in &plan.delete {
            delete.execute([first]).map_err(self.err())?;
        }
        // The memo follows the table (a failed transaction drops it, see `Db::transaction`).
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(m) = memo.as_mut() {
            for (first, _, hash) in &plan.put {
                m.insert(first.clone(), *hash);
            }
            for first in &plan.delete {
                m.remove(first);
            }
        }
        Ok(())
    }

    /// The cached tree of every directory of the index (`""` is the root), if the cache is
    /// that of the index: its root row equals `meta.index_tree`.
    pub fn index_trees(&self) -> Result<Option<BTreeMap<String, TreeRow>>> {
        let Some(root) = self.meta("index_tree")? else {
            return Ok(None);
        };
        let mut st = self
            .tx
            .prepare_cached("SELECT dir, id, size FROM index_trees")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (dir, id, size) = row.map_err(self.err())?;
            let id = ObjectId::from_bytes(&id)
                .ok_or_else(|| self.bad("a cached index tree", &format!("`{dir}`")))?;
            out.insert(dir, (id, size as u64));
        }
        Ok(match out.get("") {
            Some((id, _)) if id.hex() == root => Some(out),
            _ => None,
        })
    }

    /// Updates the tree cache: with `whole`, `rows` replace it; otherwise each row sets
    /// (`Some`) or drops (`None`) one directory's tree.
    pub fn set_index_trees(&self, whole: bool, rows: &[(String, Option<TreeRow>)]) -> Result<()> {
        if whole {
            self.tx
                .execute("DELETE FROM index_trees", [])
                .map_err(self.err())?;
        }
        let mut put = self
            .tx
            .prepare_cached("INSERT OR REPLACE INTO index_trees(dir, id, size) VALUES (?1, ?2, ?3)")
            .map_err(self.err())?;
        let mut drop = self
            .tx
            .prepare_cached("DELETE FROM index_trees WHERE dir = ?1")
            .map_err(self.err())?;
        for (dir, row) in rows {
            match row {
                Some((id, size)) => put
                    .execute(params![dir, id.as_bytes().as_slice(), *size as i64])
                    .map_err(self.err())?,
                None => drop.execute([dir]).map_err(self.err())?,
            };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Db, Stat};
    use super::*;
    use crate::store::EntryKind;

    fn entry(n: u8) -> IndexEntry {
        IndexEntry {
            kind: EntryKind::File,
            id: ObjectId::of(&[n]),
            size: u64::from(n),
            exec: false,
            stat: Stat {
                size: u64::from(n),
                ..Stat::default()
            },
            verified_ns: 0,
            absent: false,
        }
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn a_plan_from_the_memo_equals_a_plan_from_the_table() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        let mut db = Db::open(&p).unwrap();
        let old: BTreeMap<String, IndexEntry> = (0..3000)
            .map(|i| (format!("d{}/f{i:04}", i % 7), entry((i % 200) as u8)))
            .collect();
        db.transaction(|tx| tx.set_index(&old)).unwrap();
        let mut new = old.clone();
        new.insert("d3/f0003".into(), entry(250));
        new.insert("d5/new".into(), entry(251));
        new.remove("d6/f0006");
        // This process loaded the index (the memo), another opens the database afresh.
        assert!(db.queries().index().unwrap() == old);
        let with_memo = db.queries().plan_index(&new, true).unwrap();
        let fresh = Db::open(&p).unwrap();
        let without = fresh.queries().plan_index(&new, true).unwrap();
        assert_eq!(sorted(with_memo.touched.clone()), sorted(without.touched));
        assert_eq!(with_memo.put.len(), without.put.len());
        assert_eq!(with_memo.delete, without.delete);
        let touched = sorted(with_memo.touched.clone());
        for p in ["d3/f0003", "d5/new", "d6/f0006"] {
            assert!(touched.contains(&p.to_string()), "{p}");
        }
        assert!(
            touched.len() < 3 * 4 * 64,
            "{} paths touched",
            touched.len()
        );
        // Written, the memo follows: the next plan of the same index changes nothing, and
        // the table holds what was planned.
        db.transaction(|tx| tx.apply_index(&with_memo)).unwrap();
        let again = db.queries().plan_index(&new, true).unwrap();
        assert!(again.put.is_empty() && again.delete.is_empty() && again.touched.is_empty());
        assert!(Db::open(&p).unwrap().queries().index().unwrap() == new);
    }
}
