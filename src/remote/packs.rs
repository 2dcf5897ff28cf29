//! Pack files (remote layout 4): many small objects in one remote file, found through an
//! immutable index beside it.
//!
//! `packs/<pack id>.pack` is `pach-pack 1\n` followed by the objects' bytes, one after
//! another (the same bytes as the local store's files); its id is the BLAKE3 hash of its
//! bytes and a nonce, so no two packs, even of the same objects, share a name. `packs/<pack id>.idx` lists the pack's objects as (id, offset, length), sorted by id,
//! in a binary form closed by a BLAKE3 checksum of everything before it (see
//! [`PackIndex::encode`]). A pack is written first, its index after it: an object is on the
//! remote once the index naming it is, so a killed push leaves at most a pack that nothing
//! names. Nothing here does I/O: the wrapper in [`super::packed`] moves the files.

use crate::store::ObjectId;

/// The directory (key prefix) of packs and their indexes.
pub const DIR: &str = "packs";
/// A pack is sealed once it holds this many bytes: big enough that a million 2 KiB files
/// make ~60 packs (one PUT each, one GET each for a clone), small enough to build in memory
/// and to retry cheaply. Objects up to [`PACKED_MAX`] go in packs, so a pack ends below
/// `TARGET + PACKED_MAX`.
pub const TARGET: usize = 32 << 20;
/// Objects up to this size are packed: every chunk of a chunked file (at most 4 MiB) and
/// the small files that make request counts grow. Bigger objects stay loose in `objects/`.
pub const PACKED_MAX: u64 = 4 << 20;

const PACK_HEADER: &[u8] = b"pach-pack 1\n";
/// Bytes of a pack's header: no object starts before them.
pub const HEADER_LEN: u64 = PACK_HEADER.len() as u64;
const INDEX_HEADER: &[u8] = b"pach-pack-index 1\n";
/// Bytes of one index entry: id, offset, length.
const ENTRY: usize = 32 + 8 + 8;

/// One object in a pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: ObjectId,
    pub offset: u64,
    pub len: u64,
}

/// The index of one pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackIndex {
    pub pack: ObjectId,
    /// The pack file's size in bytes.
    pub size: u64,
    /// Sorted by id, each id once.
    pub entries: Vec<Entry>,
}

/// The key of a pack.
pub fn pack_key(pack: &ObjectId) -> String {
    format!("{DIR}/{}.pack", pack.hex())
}

/// The key of a pack's index.
pub fn index_key(pack: &ObjectId) -> String {
    format!("{DIR}/{}.idx", pack.hex())
}

/// The pack id an index file's name gives (`<hex>.idx`), if it is one.
pub fn index_name(name: &str) -> Option<ObjectId> {
    name.strip_suffix(".idx")?.parse().ok()
}

/// Builds one pack in memory.
pub struct Builder {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

impl Default for Builder {
    fn default() -> Self {
        let mut bytes = Vec::with_capacity(TARGET + PACKED_MAX as usize);
        bytes.extend_from_slice(PACK_HEADER);
        Builder {
            bytes,
            entries: Vec::new(),
        }
    }
}

impl Builder {
    /// Appends object `id` (already checked against its bytes).
    pub fn add(&mut self, id: ObjectId, bytes: &[u8]) {
        self.entries.push(Entry {
            id,
            offset: self.bytes.len() as u64,
            len: bytes.len() as u64,
        });
        self.bytes.extend_from_slice(bytes);
    }

    /// Tells whether the pack is big enough to seal.
    pub fn full(&self) -> bool {
        self.bytes.len() >= TARGET
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Seals the pack: its bytes and its index (an id added twice is listed once). Its id
    /// hashes its bytes and a nonce (the time, the process, a counter), so no two packs
    /// share a name: a remote gc deletes only packs it condemned by name, never one that a
    /// later push wrote with the same objects.
    pub fn seal(self) -> (Vec<u8>, PackIndex) {
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut entries = self.entries;
        entries.sort_by_key(|e| e.id);
        entries.dedup_by_key(|e| e.id);
        let mut h = blake3::Hasher::new();
        h.update(&self.bytes);
        let nonce = format!(
            "{:?} {} {}",
            std::time::SystemTime::now(),
            std::process::id(),
            SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        h.update(nonce.as_bytes());
        let index = PackIndex {
            pack: ObjectId::from_hash(h.finalize()),
            size: self.bytes.len() as u64,
            entries,
        };
        (self.bytes, index)
    }
}

impl PackIndex {
    /// `pach-pack-index 1\n`, the pack id (32 bytes), the pack size and the entry count
    /// (little-endian u64 each), the entries (id, offset, length: 48 bytes each), then the
    /// BLAKE3 hash of all that (32 bytes).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(INDEX_HEADER.len() + 48 + ENTRY * self.entries.len() + 32);
        out.extend_from_slice(INDEX_HEADER);
        out.extend_from_slice(self.pack.as_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        for e in &self.entries {
            out.extend_from_slice(e.id.as_bytes());
            out.extend_from_slice(&e.offset.to_le_bytes());
            out.extend_from_slice(&e.len.to_le_bytes());
        }
        let sum = blake3::hash(&out);
        out.extend_from_slice(sum.as_bytes());
        out
    }

    /// Decodes and checks an index read as pack `pack`'s: its checksum, its pack id, sorted
    /// unique ids, and every entry inside the pack's bytes. The error says what is wrong.
    pub fn decode(pack: &ObjectId, bytes: &[u8]) -> Result<PackIndex, String> {
        let body = bytes
            .strip_prefix(INDEX_HEADER)
            .ok_or("it does not start with `pach-pack-index 1`")?;
        if body.len() < 48 + 32 {
            return Err("it is truncated".into());
        }
        let (content, sum) = bytes.split_at(bytes.len() - 32);
        if blake3::hash(content).as_bytes() != sum {
            return Err("its checksum does not match (truncated or corrupt)".into());
        }
        let body = &body[..body.len() - 32];
        let u64_at =
            |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"));
        let named = ObjectId::from_bytes(&body[..32]).ok_or("bad pack id")?;
        if named != *pack {
            return Err(format!("it names pack {named}"));
        }
        let size = u64_at(body, 32);
        // A hostile index could name sizes that make a reader allocate without bound.
        if size > (TARGET as u64) + PACKED_MAX + PACK_HEADER.len() as u64 {
            return Err(format!(
                "it says the pack holds {size} bytes, more than a pack can"
            ));
        }
        let count = u64_at(body, 40);
        let rows = &body[48..];
        if rows.len() as u64 != count.saturating_mul(ENTRY as u64) {
            return Err(format!(
                "it says {count} entries but holds {} bytes of them",
                rows.len()
            ));
        }
        let mut entries = Vec::with_capacity(count as usize);
        for row in rows.chunks_exact(ENTRY) {
            let e = Entry {
                id: ObjectId::from_bytes(&row[..32]).ok_or("bad object id")?,
                offset: u64_at(row, 32),
                len: u64_at(row, 40),
            };
            let end = e.offset.checked_add(e.len);
            if e.len > PACKED_MAX {
                return Err(format!(
                    "object {} is bigger than a packed object can be",
                    e.id
                ));
            }
            if e.offset < PACK_HEADER.len() as u64 || end.is_none_or(|end| end > size) {
                return Err(format!("object {} lies outside the pack", e.id));
            }
            if entries.last().is_some_and(|p: &Entry| p.id >= e.id) {
                return Err("its entries are not sorted".into());
            }
            entries.push(e);
        }
        Ok(PackIndex {
            pack: *pack,
            size,
            entries,
        })
    }
}

/// The directory of remote gc's lists of condemned files.
pub const GC_DIR: &str = "gc";
const GC_HEADER: &str = "pach-gc 1\n";

/// One list a remote gc wrote: the files it condemned at `time` (seconds since the epoch),
/// to delete once a grace period has passed and they are still unreachable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GcList {
    /// Its key: `gc/<time, 12 digits>-<nonce>.list`.
    pub key: String,
    pub time: u64,
    pub keys: Vec<String>,
}

impl GcList {
    /// A new list of `keys` condemned at `time`; `nonce` keeps two gcs' lists apart.
    pub fn new(time: u64, nonce: &str, keys: Vec<String>) -> Self {
        GcList {
            key: format!("{GC_DIR}/{time:012}-{nonce}.list"),
            time,
            keys,
        }
    }

    /// `pach-gc 1\n`, then one condemned key per line.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = GC_HEADER.to_string();
        for k in &self.keys {
            out.push_str(k);
            out.push('\n');
        }
        out.into_bytes()
    }

    /// Reads the list named `name` (under [`GC_DIR`]); every key must be one a gc condemns.
    pub fn decode(name: &str, bytes: &[u8]) -> Result<GcList, String> {
        let time = name
            .strip_suffix(".list")
            .and_then(|n| n.split_once('-'))
            .and_then(|(t, _)| t.parse().ok())
            .ok_or("its name is not `<time>-<nonce>.list`")?;
        let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8")?;
        let body = text
            .strip_prefix(GC_HEADER)
            .ok_or("it does not start with `pach-gc 1`")?;
        let keys: Vec<String> = body.lines().map(String::from).collect();
        if let Some(k) = keys.iter().find(|k| Condemned::parse(k).is_none()) {
            return Err(format!("it names `{k}`, which no gc condemns"));
        }
        Ok(GcList {
            key: format!("{GC_DIR}/{name}"),
            time,
            keys,
        })
    }
}

/// What a kind of condemned file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `packs/<id>.pack` (its layout-4 index goes with it).
    Pack,
    /// `packs/<id>.midx`, a multi-pack index (layout 5).
    Index,
    /// `objects/ab/cdef…`.
    Loose,
    /// `chunked/ab/cdef…`.
    Chunked,
}

/// The files gc lists condemn, by kind.
#[derive(Default, Debug)]
pub struct Condemned {
    pub packs: std::collections::HashSet<ObjectId>,
    pub indexes: std::collections::HashSet<ObjectId>,
    pub objects: std::collections::HashSet<ObjectId>,
    pub chunked: std::collections::HashSet<ObjectId>,
}

impl Condemned {
    /// What a condemned key names; `None` when it is not one a gc condemns.
    pub fn parse(key: &str) -> Option<(Kind, ObjectId)> {
        let fanned = |rest: &str| {
            let (fan, tail) = rest.split_once('/')?;
            super::id_from_parts(fan, tail)
        };
        Some(if let Some(rest) = key.strip_prefix("packs/") {
            match rest.strip_suffix(".pack") {
                Some(pack) => (Kind::Pack, pack.parse().ok()?),
                None => (Kind::Index, rest.strip_suffix(".midx")?.parse().ok()?),
            }
        } else if let Some(rest) = key.strip_prefix("objects/") {
            (Kind::Loose, fanned(rest)?)
        } else {
            (Kind::Chunked, fanned(key.strip_prefix("chunked/")?)?)
        })
    }

    /// Adds a condemned key; `None` when it is not one a gc condemns.
    pub fn add(&mut self, key: &str) -> Option<(Kind, ObjectId)> {
        let (kind, id) = Self::parse(key)?;
        match kind {
            Kind::Pack => self.packs.insert(id),
            Kind::Index => self.indexes.insert(id),
            Kind::Loose => self.objects.insert(id),
            Kind::Chunked => self.chunked.insert(id),
        };
        Some((kind, id))
    }
}

/// Groups byte ranges of one pack (sorted by offset) into spans to read at once: ranges less
/// than `gap` apart join, up to `max` bytes a span. Returns (start, end, indexes of the ranges).
pub fn spans(ranges: &[(u64, u64)], gap: u64, max: u64) -> Vec<(u64, u64, Vec<usize>)> {
    let mut out: Vec<(u64, u64, Vec<usize>)> = Vec::new();
    for (i, &(off, len)) in ranges.iter().enumerate() {
        let end = off + len;
        match out.last_mut() {
            Some(s) if off <= s.1 + gap && end.max(s.1) - s.0 <= max => {
                s.1 = s.1.max(end);
                s.2.push(i);
            }
            _ => out.push((off, end, vec![i])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_of(objs: &[&[u8]]) -> (Vec<u8>, PackIndex) {
        let mut b = Builder::default();
        for o in objs {
            b.add(ObjectId::of(o), o);
        }
        b.seal()
    }

    #[test]
    fn an_index_round_trips_and_finds_each_object_in_the_pack() {
        let (bytes, idx) = pack_of(&[b"one", b"two", b"three", b"two"]);
        assert_ne!(
            idx.pack,
            pack_of(&[b"one", b"two", b"three", b"two"]).1.pack,
            "unique"
        );
        assert_eq!(idx.entries.len(), 3, "an object added twice is listed once");
        let back = PackIndex::decode(&idx.pack, &idx.encode()).unwrap();
        assert_eq!(back, idx);
        for e in &back.entries {
            let got = &bytes[e.offset as usize..(e.offset + e.len) as usize];
            assert_eq!(ObjectId::of(got), e.id);
        }
    }

    #[test]
    fn a_bad_index_is_refused_saying_why() {
        let (_, idx) = pack_of(&[b"one", b"two"]);
        let good = idx.encode();
        let why = |b: &[u8]| PackIndex::decode(&idx.pack, b).unwrap_err();
        assert!(why(&good[..good.len() - 5]).contains("checksum"));
        let mut flipped = good.clone();
        flipped[60] ^= 1;
        assert!(why(&flipped).contains("checksum"));
        assert!(why(b"garbage").contains("pach-pack-index"));
        let other = ObjectId::of(b"another pack");
        let e = PackIndex::decode(&other, &good).unwrap_err();
        assert!(e.contains("names pack"), "{e}");
        // An entry past the end, with a valid checksum: still refused.
        let mut outside = idx.clone();
        outside.entries[0].len = outside.size;
        assert!(why(&outside.encode()).contains("outside the pack"));
        let mut unsorted = idx.clone();
        unsorted.entries.reverse();
        assert!(why(&unsorted.encode()).contains("not sorted"));
        // Sizes no pack can have, which a reader would otherwise allocate.
        let mut huge = idx.clone();
        huge.size = 1 << 40;
        assert!(why(&huge.encode()).contains("more than a pack can"));
        let mut big = idx.clone();
        big.size = TARGET as u64;
        big.entries[0].len = PACKED_MAX + 1;
        assert!(why(&big.encode()).contains("bigger than a packed object"));
    }

    #[test]
    fn a_gc_list_round_trips_and_names_only_what_a_gc_condemns() {
        let pack = ObjectId::of(b"p");
        let obj = ObjectId::of(b"o");
        let midx = ObjectId::of(b"m");
        let keys = vec![
            pack_key(&pack),
            super::super::midx::key(&midx),
            super::super::object_key(&obj),
        ];
        let list = GcList::new(1_700_000_000, "ab12", keys);
        assert_eq!(list.key, "gc/001700000000-ab12.list");
        let name = list.key.strip_prefix("gc/").unwrap();
        assert_eq!(GcList::decode(name, &list.encode()).unwrap(), list);
        let mut c = Condemned::default();
        for k in &list.keys {
            c.add(k).unwrap();
        }
        assert!(c.packs.contains(&pack) && c.objects.contains(&obj));
        assert!(c.indexes.contains(&midx));
        let e = GcList::decode(name, b"pach-gc 1\npacks/x.idx\n").unwrap_err();
        assert!(
            e.contains("packs/x.idx"),
            "a layout-4 index goes with its pack: {e}"
        );
        let bad = b"pach-gc 1\nrefs/heads/main\n";
        let e = GcList::decode(name, bad).unwrap_err();
        assert!(e.contains("refs/heads/main"), "{e}");
        assert!(GcList::decode("later.list", &list.encode()).is_err());
    }

    #[test]
    fn near_ranges_join_into_spans_up_to_a_size() {
        let r = [(10, 5), (16, 4), (100, 10), (1000, 1)];
        let s = spans(&r, 10, 1000);
        assert_eq!(
            s,
            vec![
                (10, 20, vec![0, 1]),
                (100, 110, vec![2]),
                (1000, 1001, vec![3])
            ]
        );
        let s = spans(&r, 1000, 50);
        assert_eq!(s[0], (10, 20, vec![0, 1]));
        assert_eq!(s.len(), 3, "a span stops at the size limit: {s:?}");
    }
}
