//! Where each packed object is: read from the remote's pack indexes (layout 5's multi-pack
//! indexes, one per push, and layout 4's one index per pack) once per command and kept in
//! memory as one sorted array of 44 bytes an object.

use std::collections::HashMap;

use super::super::midx::{self, Loc, MultiIndex};
use super::super::packs::{self, PackIndex};
use super::Packed;
use crate::remote::Error;
use crate::store::ObjectId;

/// Index files read at once: bounds the index bytes held in memory while decoding.
const READ_AT_ONCE: usize = 16;

/// Where each packed object is.
#[derive(Default)]
pub(super) struct Map {
    /// The packs, numbered as [`Loc::pack`] says.
    pub packs: Vec<ObjectId>,
    /// The first copy of each object, sorted by id.
    locs: Vec<(ObjectId, Loc)>,
    /// Further copies of objects listed in more than one pack.
    dups: HashMap<ObjectId, Vec<Loc>>,
}

impl Map {
    /// The map of `indexes`, in order: an object's first copy is the one the first index
    /// naming it gives. A pack named by two indexes (a gc's rewrite beside the index it
    /// replaces) is one pack.
    fn build(indexes: impl IntoIterator<Item = MultiIndex>) -> Map {
        let mut number: HashMap<ObjectId, u32> = HashMap::new();
        let mut packs = Vec::new();
        let mut all: Vec<(ObjectId, Loc)> = Vec::new();
        for idx in indexes {
            let global: Vec<u32> = idx
                .packs
                .iter()
                .map(|(p, _)| {
                    *number.entry(*p).or_insert_with(|| {
                        packs.push(*p);
                        packs.len() as u32 - 1
                    })
                })
                .collect();
            all.reserve(idx.entries.len());
            all.extend(idx.entries.into_iter().map(|(id, l)| {
                let pack = global[l.pack as usize];
                (id, Loc { pack, ..l })
            }));
        }
        all.sort_by_key(|e| e.0); // stable: earlier indexes first
        let mut dups: HashMap<ObjectId, Vec<Loc>> = HashMap::new();
        let mut locs: Vec<(ObjectId, Loc)> = Vec::with_capacity(all.len());
        for (id, l) in all {
            match locs.last() {
                Some(&(prev, first)) if prev == id => {
                    let more = dups.entry(id).or_default();
                    if first != l && !more.contains(&l) {
                        more.push(l);
                    }
                }
                _ => locs.push((id, l)),
            }
        }
        locs.shrink_to_fit();
        Map { packs, locs, dups }
    }

    /// Where the first copy of `id` is.
    pub fn get(&self, id: &ObjectId) -> Option<Loc> {
        let at = self.locs.binary_search_by_key(id, |e| e.0).ok()?;
        Some(self.locs[at].1)
    }

    pub fn contains(&self, id: &ObjectId) -> bool {
        self.get(id).is_some()
    }

    /// Every packed object with its first copy.
    pub fn iter(&self) -> impl Iterator<Item = &(ObjectId, Loc)> {
        self.locs.iter()
    }

    /// The other copies of `id`.
    pub fn dups(&self, id: &ObjectId) -> &[Loc] {
        self.dups.get(id).map_or(&[], |d| d.as_slice())
    }
}

/// One index file as read: its key and what it says.
#[derive(Debug)]
pub struct IndexFile {
    pub key: String,
    pub index: MultiIndex,
}

impl Packed {
    /// Reads and checks every index file a listing of `packs/` (`names`) shows: multi-pack
    /// indexes by name, then layout-4 pack indexes by pack id. A bad one fails naming the
    /// remote and the file; one gone since the listing (a remote gc removed it) is skipped.
    /// Each is handed to `each` as it is decoded, a few files' bytes in memory at a time.
    pub(super) fn each_index(
        &self,
        names: &[String],
        each: &mut dyn FnMut(IndexFile),
    ) -> Result<(), Error> {
        let mut multi: Vec<ObjectId> = names.iter().filter_map(|n| midx::name(n)).collect();
        let mut single: Vec<ObjectId> = names.iter().filter_map(|n| packs::index_name(n)).collect();
        multi.sort();
        single.sort();
        for group in multi.chunks(READ_AT_ONCE) {
            let keys: Vec<String> = group.iter().map(midx::key).collect();
            let got = self.inner.get_files(&keys)?;
            for ((id, key), bytes) in group.iter().zip(keys).zip(got) {
                let Some(bytes) = bytes else { continue };
                let index =
                    MultiIndex::decode(id, &bytes).map_err(|reason| Error::BadPackIndex {
                        remote: self.name.clone(),
                        key: key.clone(),
                        reason,
                    })?;
                each(IndexFile { key, index });
            }
        }
        for group in single.chunks(READ_AT_ONCE) {
            let keys: Vec<String> = group.iter().map(packs::index_key).collect();
            for (id, bytes) in group.iter().zip(self.inner.get_files(&keys)?) {
                let Some(bytes) = bytes else { continue };
                let idx = PackIndex::decode(id, &bytes)
                    .map_err(|r| self.bad_pack(id, format!("its index is bad: {r}")))?;
                each(IndexFile {
                    key: packs::index_key(id),
                    index: MultiIndex::from_pack(idx),
                });
            }
        }
        Ok(())
    }

    /// Reads every index file under `packs/`; see [`Packed::each_index`].
    pub(super) fn read_indexes(&self, names: &[String]) -> Result<Vec<IndexFile>, Error> {
        let mut out = Vec::new();
        self.each_index(names, &mut |f| out.push(f))?;
        Ok(out)
    }

    /// The map of every pack index: one listing of `packs/`, then the index files.
    pub(super) fn read_map(&self) -> Result<Map, Error> {
        let names = self.inner.list_names(packs::DIR)?;
        let mut indexes = Vec::new();
        self.each_index(&names, &mut |f| indexes.push(f.index))?;
        Ok(Map::build(indexes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(pack: u32, offset: u32) -> Loc {
        Loc {
            pack,
            offset,
            len: 3,
        }
    }

    #[test]
    fn the_map_finds_first_copies_and_keeps_the_others() {
        let (a, b, c) = (ObjectId::of(b"a"), ObjectId::of(b"b"), ObjectId::of(b"c"));
        let (p, q) = (ObjectId::of(b"p"), ObjectId::of(b"q"));
        let mut first = MultiIndex {
            packs: vec![(p, 100), (q, 100)],
            entries: vec![(a, loc(0, 20)), (b, loc(1, 20))],
        };
        first.entries.sort_by_key(|e| e.0);
        // A second index naming pack q again (a gc's rewrite) and a new copy of `a`.
        let mut second = MultiIndex {
            packs: vec![(q, 100)],
            entries: vec![(b, loc(0, 20)), (a, loc(0, 40)), (c, loc(0, 60))],
        };
        second.entries.sort_by_key(|e| e.0);
        let m = Map::build([first, second]);
        assert_eq!(m.packs, vec![p, q], "q is one pack, whoever names it");
        assert_eq!(m.get(&a), Some(loc(0, 20)));
        assert_eq!(m.dups(&a), &[loc(1, 40)]);
        assert_eq!(m.get(&b), Some(loc(1, 20)));
        assert!(m.dups(&b).is_empty(), "the same copy twice is one copy");
        assert_eq!(m.get(&c), Some(loc(1, 60)));
        assert!(!m.contains(&ObjectId::of(b"d")));
        assert_eq!(m.iter().count(), 3);
    }
}
