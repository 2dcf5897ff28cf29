//! Multi-pack indexes (remote layout 5): one immutable file per push (and per gc rewrite)
//! that says where every object of several packs is, so a fetch reads one index per push
//! instead of one per pack.
//!
//! `packs/<index id>.midx` lists the packs it covers (id and size) and, sorted by object id,
//! each object's pack (by its place in that list), offset and length, closed by a BLAKE3
//! checksum of everything before it; the index id is that checksum, so a file's name
//! vouches for its bytes and two pushers never write the same key. It is written only once
//! every pack it names is complete on the remote. A layout-4 index (`packs/<pack id>.idx`,
//! [`super::packs::PackIndex`]) reads as a multi-pack index of its one pack. Nothing here
//! does I/O.

use super::packs::{self, PACKED_MAX, PackIndex, TARGET};
use crate::store::ObjectId;

const HEADER: &[u8] = b"pach-multi-pack-index 1\n";
/// Bytes of one pack in the list: id, size.
const PACK: usize = 32 + 8;
/// Bytes of one entry: object id, pack number, offset, length.
const ENTRY: usize = 32 + 4 + 4 + 4;
/// The largest pack file a pusher makes (its header, [`TARGET`], one more object).
const PACK_MAX: u64 = TARGET as u64 + PACKED_MAX + 64;

/// Where one copy of an object is: the pack (a number the reader gives), offset, length.
/// Packs end below 4 GiB, so 12 bytes say it (a million objects: 44 MB with their ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub pack: u32,
    pub offset: u32,
    pub len: u32,
}

impl Loc {
    pub fn range(&self) -> std::ops::Range<u64> {
        self.offset as u64..self.offset as u64 + self.len as u64
    }
}

/// The index of several packs: what one `.midx` file (or one layout-4 `.idx`) says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultiIndex {
    /// The packs covered: id and size in bytes; [`Loc::pack`] is a position in this list.
    pub packs: Vec<(ObjectId, u64)>,
    /// Sorted by object id, each id once.
    pub entries: Vec<(ObjectId, Loc)>,
}

/// The key of a multi-pack index.
pub fn key(id: &ObjectId) -> String {
    format!("{}/{}.midx", packs::DIR, id.hex())
}

/// The index id a file name under `packs/` gives (`<hex>.midx`), if it is one.
pub fn name(name: &str) -> Option<ObjectId> {
    name.strip_suffix(".midx")?.parse().ok()
}

impl MultiIndex {
    /// The index of packs `sealed` (each with its own index): every object once, at its
    /// first copy.
    pub fn of(sealed: &[PackIndex]) -> Self {
        let mut entries = Vec::with_capacity(sealed.iter().map(|i| i.entries.len()).sum());
        for (n, idx) in sealed.iter().enumerate() {
            entries.extend(idx.entries.iter().map(|e| {
                let loc = Loc {
                    pack: n as u32,
                    offset: e.offset as u32,
                    len: e.len as u32,
                };
                (e.id, loc)
            }));
        }
        entries.sort_by_key(|e| e.0); // stable: the first pack's copy comes first
        entries.dedup_by_key(|e| e.0);
        MultiIndex {
            packs: sealed.iter().map(|i| (i.pack, i.size)).collect(),
            entries,
        }
    }

    /// The index of packs `keep` of this one (by id), with their entries: what a remote gc
    /// writes in place of an index some of whose packs it condemned.
    pub fn only(&self, keep: &dyn Fn(&ObjectId) -> bool) -> Self {
        let mut renumber = vec![None; self.packs.len()];
        let mut packs = Vec::new();
        for (n, p) in self.packs.iter().enumerate() {
            if keep(&p.0) {
                renumber[n] = Some(packs.len() as u32);
                packs.push(*p);
            }
        }
        let entries = self
            .entries
            .iter()
            .filter_map(|(id, l)| {
                let pack = renumber[l.pack as usize]?;
                Some((*id, Loc { pack, ..*l }))
            })
            .collect();
        MultiIndex { packs, entries }
    }

    /// A layout-4 pack index read as the multi-pack index of its one pack.
    pub fn from_pack(idx: PackIndex) -> Self {
        let entries = idx
            .entries
            .into_iter()
            .map(|e| {
                let loc = Loc {
                    pack: 0,
                    offset: e.offset as u32,
                    len: e.len as u32,
                };
                (e.id, loc)
            })
            .collect();
        MultiIndex {
            packs: vec![(idx.pack, idx.size)],
            entries,
        }
    }

    /// `pach-multi-pack-index 1\n`; the pack count (u64, little-endian); each pack's id (32
    /// bytes) and size (u64); the entry count (u64); the entries (object id, then pack
    /// number, offset and length as u32: 44 bytes each); then the BLAKE3 hash of all that
    /// (32 bytes), which is also the index's id. Returns the id and the bytes.
    pub fn encode(&self) -> (ObjectId, Vec<u8>) {
        let size = HEADER.len() + 16 + PACK * self.packs.len() + ENTRY * self.entries.len();
        let mut out = Vec::with_capacity(size + 32);
        out.extend_from_slice(HEADER);
        out.extend_from_slice(&(self.packs.len() as u64).to_le_bytes());
        for (id, size) in &self.packs {
            out.extend_from_slice(id.as_bytes());
            out.extend_from_slice(&size.to_le_bytes());
        }
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        for (id, l) in &self.entries {
            out.extend_from_slice(id.as_bytes());
            out.extend_from_slice(&l.pack.to_le_bytes());
            out.extend_from_slice(&l.offset.to_le_bytes());
            out.extend_from_slice(&l.len.to_le_bytes());
        }
        let sum = blake3::hash(&out);
        out.extend_from_slice(sum.as_bytes());
        (ObjectId::from_hash(sum), out)
    }

    /// Decodes and checks the index read as `packs/<id>.midx`: its checksum (which must be
    /// `id`), sorted unique ids, pack numbers in the list and every entry inside its pack.
    /// The error says what is wrong.
    pub fn decode(id: &ObjectId, bytes: &[u8]) -> Result<MultiIndex, String> {
        let body = bytes
            .strip_prefix(HEADER)
            .ok_or("it does not start with `pach-multi-pack-index 1`")?;
        if body.len() < 16 + 32 {
            return Err("it is truncated".into());
        }
        let (content, sum) = bytes.split_at(bytes.len() - 32);
        let actual = blake3::hash(content);
        if actual.as_bytes() != sum {
            return Err("its checksum does not match (truncated or corrupt)".into());
        }
        if ObjectId::from_hash(actual) != *id {
            return Err(format!("its checksum names index {}", actual.to_hex()));
        }
        let body = &body[..body.len() - 32];
        let u64_at = |at: usize| -> Result<u64, String> {
            let b = body.get(at..at + 8).ok_or("it is truncated")?;
            Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
        };
        let u32_at = |b: &[u8], at: usize| u32::from_le_bytes(b[at..at + 4].try_into().expect("4"));
        // Counts are checked against the bytes there before anything is allocated.
        let npacks = u64_at(0)?;
        let packs_end = npacks
            .checked_mul(PACK as u64)
            .and_then(|n| n.checked_add(8))
            .filter(|&e| e + 8 <= body.len() as u64)
            .ok_or_else(|| format!("it says {npacks} packs but is too short for them"))?
            as usize;
        let mut packs = Vec::with_capacity(npacks as usize);
        for row in body[8..packs_end].chunks_exact(PACK) {
            let pack = ObjectId::from_bytes(&row[..32]).ok_or("bad pack id")?;
            let size = u64::from_le_bytes(row[32..].try_into().expect("8 bytes"));
            if size > PACK_MAX {
                return Err(format!(
                    "it says pack {pack} holds {size} bytes, more than a pack can"
                ));
            }
            if packs.iter().any(|p: &(ObjectId, u64)| p.0 == pack) {
                return Err(format!("it names pack {pack} twice"));
            }
            packs.push((pack, size));
        }
        let count = u64_at(packs_end)?;
        let rows = &body[packs_end + 8..];
        if rows.len() as u64 != count.saturating_mul(ENTRY as u64) {
            return Err(format!(
                "it says {count} entries but holds {} bytes of them",
                rows.len()
            ));
        }
        let mut entries: Vec<(ObjectId, Loc)> = Vec::with_capacity(count as usize);
        for row in rows.chunks_exact(ENTRY) {
            let id = ObjectId::from_bytes(&row[..32]).ok_or("bad object id")?;
            let l = Loc {
                pack: u32_at(row, 32),
                offset: u32_at(row, 36),
                len: u32_at(row, 40),
            };
            let Some(&(pack, size)) = packs.get(l.pack as usize) else {
                return Err(format!(
                    "object {id} is in pack number {}, which it does not list",
                    l.pack
                ));
            };
            if l.len as u64 > PACKED_MAX {
                return Err(format!("object {id} is bigger than a packed object can be"));
            }
            if (l.offset as u64) < packs::HEADER_LEN || l.range().end > size {
                return Err(format!("object {id} lies outside pack {pack}"));
            }
            if entries.last().is_some_and(|p| p.0 >= id) {
                return Err("its entries are not sorted".into());
            }
            entries.push((id, l));
        }
        Ok(MultiIndex { packs, entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote::packs::Builder;

    fn pack_of(objs: &[&[u8]]) -> PackIndex {
        let mut b = Builder::default();
        for o in objs {
            b.add(ObjectId::of(o), o);
        }
        b.seal().1
    }

    #[test]
    fn a_multi_index_round_trips_and_finds_each_object_in_its_pack() {
        let p1 = pack_of(&[b"one", b"two"]);
        let p2 = pack_of(&[b"three", b"two"]);
        let m = MultiIndex::of(&[p1.clone(), p2.clone()]);
        assert_eq!(m.packs, vec![(p1.pack, p1.size), (p2.pack, p2.size)]);
        assert_eq!(m.entries.len(), 3, "an object in two packs is listed once");
        let two = m
            .entries
            .iter()
            .find(|e| e.0 == ObjectId::of(b"two"))
            .unwrap();
        assert_eq!(two.1.pack, 0, "at its first copy");
        let (id, bytes) = m.encode();
        assert_eq!(key(&id), format!("packs/{}.midx", id.hex()));
        assert_eq!(name(&format!("{}.midx", id.hex())), Some(id));
        assert_eq!(MultiIndex::decode(&id, &bytes).unwrap(), m);
        // A gc's rewrite keeps only the packs asked for, renumbered.
        let only = m.only(&|p| *p == p2.pack);
        assert_eq!(only.packs, vec![(p2.pack, p2.size)]);
        assert_eq!(only.entries.len(), 1, "{only:?}");
        assert_eq!(only.entries[0].1.pack, 0);
        let legacy = MultiIndex::from_pack(p1.clone());
        assert_eq!(legacy.packs, vec![(p1.pack, p1.size)]);
        assert_eq!(legacy.entries.len(), 2);
    }

    #[test]
    fn a_bad_multi_index_is_refused_saying_why() {
        let m = MultiIndex::of(&[pack_of(&[b"one", b"two"]), pack_of(&[b"three"])]);
        let (id, good) = m.encode();
        let why = |b: &[u8]| MultiIndex::decode(&id, b).unwrap_err();
        assert!(why(&good[..good.len() - 5]).contains("checksum"));
        let mut flipped = good.clone();
        flipped[40] ^= 1;
        assert!(why(&flipped).contains("checksum"));
        assert!(why(b"garbage").contains("pach-multi-pack-index"));
        let other = ObjectId::of(b"another index");
        let e = MultiIndex::decode(&other, &good).unwrap_err();
        assert!(e.contains("names index"), "{e}");
        // Valid checksums over bad content: decoded against their own ids.
        let refused = |m: &MultiIndex| {
            let (id, b) = m.encode();
            MultiIndex::decode(&id, &b).unwrap_err()
        };
        let mut outside = m.clone();
        outside.entries[0].1.len = outside.packs[0].1 as u32;
        assert!(refused(&outside).contains("outside pack"));
        let mut unlisted = m.clone();
        unlisted.entries[0].1.pack = 7;
        assert!(refused(&unlisted).contains("does not list"));
        let mut unsorted = m.clone();
        unsorted.entries.reverse();
        assert!(refused(&unsorted).contains("not sorted"));
        let mut huge = m.clone();
        huge.packs[1].1 = 1 << 40;
        assert!(refused(&huge).contains("more than a pack can"));
        let mut twice = m.clone();
        twice.packs[1].0 = twice.packs[0].0;
        assert!(refused(&twice).contains("twice"));
        // A pack count no file could hold is refused before anything is allocated.
        let mut lying = HEADER.to_vec();
        lying.extend_from_slice(&u64::MAX.to_le_bytes());
        lying.extend_from_slice(&0u64.to_le_bytes());
        let sum = blake3::hash(&lying);
        lying.extend_from_slice(sum.as_bytes());
        let e = MultiIndex::decode(&ObjectId::from_hash(sum), &lying).unwrap_err();
        assert!(e.contains("too short"), "{e}");
    }
}
