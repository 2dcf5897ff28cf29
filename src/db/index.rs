//! The staging index in chunks: loading 20,000 entries row by row cost a no-op `status` a
//! third of its time, and one blob for all of them made every `add` rewrite 1.7 MB. Runs of
//! about [`AVERAGE`] consecutive entries share a blob instead, so reading is a few hundred rows
//! and a one-file change rewrites one chunk (about 6 KB: with 256 entries a chunk, an add of
//! 1,000 changed files among a million rewrote 23 MB of them).
//!
//! Chunk layout (docs/FORMAT.md): the header `pach-index 1\n`, a `u32` entry count, then per
//! entry, sorted by path bytes: `u32` path length, the UTF-8 path, `u8` kind (0 file,
//! 2 symlink), `u8` flags (1 executable, 2 absent), the 32-byte object id, then `u64` size,
//! `i64` mtime in ns, `u64` inode and `i64` verified-at in ns. Integers are little-endian.
//! Chunks are keyed by their first path; in key order they hold the index in path order.
//!
//! Where a chunk ends depends only on the entry there (a hash of its path), so adding or
//! removing an entry changes its own chunk and leaves the others byte-identical.

use std::collections::BTreeMap;

use super::{IndexEntry, Stat};
use crate::store::{EntryKind, ObjectId};

const HEADER: &[u8] = b"pach-index 1\n";
const FIXED: usize = 1 + 1 + 32 + 8 * 4;

/// Entries per chunk, on average; no chunk holds more than four times as many.
const AVERAGE: u64 = 64;

/// Splits the index into chunks, each keyed by its first path. Where the chunks end is found
/// in one pass (a cut depends on where the chunk began); they are encoded on all cores.
pub(super) fn chunks(index: &BTreeMap<String, IndexEntry>) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let all: Vec<(&String, &IndexEntry)> = index.iter().collect();
    let mut runs = Vec::new();
    let mut start = 0;
    for (i, (path, _)) in all.iter().enumerate() {
        if fnv1a(path.as_bytes()).is_multiple_of(AVERAGE) || (i + 1 - start) as u64 >= 4 * AVERAGE {
            runs.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < all.len() {
        runs.push(start..all.len());
    }
    runs.into_par_iter()
        .map(|r| (all[r.start].0.clone(), encode(&all[r])))
        .collect()
}

/// FNV-1a, 64-bit: stable across builds and platforms, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Encodes one chunk.
fn encode(entries: &[(&String, &IndexEntry)]) -> Vec<u8> {
    let len: usize = entries.iter().map(|(p, _)| 4 + p.len() + FIXED).sum();
    let mut out = Vec::with_capacity(HEADER.len() + 4 + len);
    out.extend_from_slice(HEADER);
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (path, e) in entries {
        out.extend_from_slice(&(path.len() as u32).to_le_bytes());
        out.extend_from_slice(path.as_bytes());
        out.push(if e.kind == EntryKind::Symlink { 2 } else { 0 });
        out.push(u8::from(e.exec) | u8::from(e.absent) << 1);
        out.extend_from_slice(e.id.as_bytes());
        out.extend_from_slice(&e.size.to_le_bytes());
        out.extend_from_slice(&e.stat.mtime_ns.to_le_bytes());
        out.extend_from_slice(&e.stat.ino.to_le_bytes());
        out.extend_from_slice(&e.verified_ns.to_le_bytes());
    }
    out
}

/// Decodes one chunk onto the end of `entries`, which must stay in path order; the error
/// says what is wrong and where.
pub(super) fn decode_into(
    bytes: &[u8],
    entries: &mut Vec<(String, IndexEntry)>,
) -> Result<(), String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(HEADER.len())? != HEADER {
        return Err("it does not start with `pach-index 1`".into());
    }
    let count = r.u32()? as usize;
    entries.reserve(count.min(bytes.len() / FIXED));
    for _ in 0..count {
        let at = r.at;
        let n = r.u32()? as usize;
        let path = std::str::from_utf8(r.take(n)?)
            .map_err(|_| format!("the path at byte {at} is not UTF-8"))?
            .to_owned();
        let kind = match r.take(1)?[0] {
            0 => EntryKind::File,
            2 => EntryKind::Symlink,
            k => return Err(format!("`{path}` has unknown kind {k}")),
        };
        let flags = r.take(1)?[0];
        let id = ObjectId::from_bytes(r.take(32)?).ok_or("bad object id")?;
        let size = r.u64()?;
        let mtime_ns = r.u64()? as i64;
        let ino = r.u64()?;
        let verified_ns = r.u64()? as i64;
        if entries
            .last()
            .is_some_and(|(prev, _): &(String, IndexEntry)| *prev >= path)
        {
            return Err(format!("`{path}` is out of order"));
        }
        entries.push((
            path,
            IndexEntry {
                kind,
                id,
                size,
                exec: flags & 1 != 0,
                stat: Stat {
                    size,
                    mtime_ns,
                    ino,
                },
                verified_ns,
                absent: flags & 2 != 0,
            },
        ));
    }
    if r.at != bytes.len() {
        return Err(format!("{} stray bytes at the end", bytes.len() - r.at));
    }
    Ok(())
}

/// The shape of one chunk without decoding it: its entry count and whether any entry is a
/// symlink (a commit needs only these of a clean index, not a million strings).
pub(super) fn shape(bytes: &[u8]) -> Result<(u64, bool), String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(HEADER.len())? != HEADER {
        return Err("it does not start with `pach-index 1`".into());
    }
    let count = r.u32()?;
    let mut links = false;
    for _ in 0..count {
        let n = r.u32()? as usize;
        r.take(n)?;
        let fixed = r.take(FIXED)?;
        links |= fixed[0] == 2;
    }
    if r.at != bytes.len() {
        return Err(format!("{} stray bytes at the end", bytes.len() - r.at));
    }
    Ok((u64::from(count), links))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!("it ends early, at byte {}", self.bytes.len()));
        };
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> Result<u64, String> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u8, kind: EntryKind, exec: bool, absent: bool) -> IndexEntry {
        IndexEntry {
            kind,
            id: ObjectId::of(&[n]),
            size: 1000 + n as u64,
            exec,
            stat: Stat {
                size: 1000 + n as u64,
                mtime_ns: -5 + n as i64,
                ino: u64::MAX - n as u64,
            },
            verified_ns: 1_700_000_000_000_000_000,
            absent,
        }
    }

    fn decode_all(chunks: &[(String, Vec<u8>)]) -> BTreeMap<String, IndexEntry> {
        let mut v = Vec::new();
        for (first, c) in chunks {
            let before = v.len();
            decode_into(c, &mut v).unwrap();
            assert_eq!(&v[before].0, first, "a chunk is keyed by its first path");
        }
        v.into_iter().collect()
    }

    #[test]
    fn shape_counts_entries_and_sees_links() {
        let mut idx: BTreeMap<String, IndexEntry> = (0..300u32)
            .map(|i| {
                (
                    format!("d/{i:04}"),
                    entry(i as u8, EntryKind::File, false, false),
                )
            })
            .collect();
        let shape_of = |idx: &BTreeMap<String, IndexEntry>| {
            chunks(idx).iter().try_fold((0, false), |(n, l), (_, c)| {
                shape(c).map(|(m, k)| (n + m, l || k))
            })
        };
        assert_eq!(shape_of(&idx), Ok((300, false)));
        idx.insert("d/link".into(), entry(1, EntryKind::Symlink, false, false));
        assert_eq!(shape_of(&idx), Ok((301, true)));
        let mut bad = chunks(&idx).remove(0).1;
        bad.pop();
        assert!(shape(&bad).is_err(), "a cut chunk is refused");
    }

    #[test]
    fn round_trips_every_field() {
        let mut idx = BTreeMap::new();
        idx.insert(
            "a b/ü\n".to_string(),
            entry(1, EntryKind::File, true, false),
        );
        idx.insert(
            "link".to_string(),
            entry(2, EntryKind::Symlink, false, true),
        );
        idx.insert("z".to_string(), entry(3, EntryKind::File, false, false));
        assert_eq!(decode_all(&chunks(&idx)), idx);
        assert!(chunks(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn one_change_rewrites_one_chunk() {
        let mut idx: BTreeMap<String, IndexEntry> = (0..20_000)
            .map(|i| {
                let e = entry(1, EntryKind::File, false, false);
                (format!("d{:02}/f{i:05}", i % 16), e)
            })
            .collect();
        let before = chunks(&idx);
        assert!(
            (150..700).contains(&before.len()),
            "{} chunks",
            before.len()
        );
        assert!(before.iter().all(|(_, c)| c.len() < 4 * 64 * 90 + 64));
        assert_eq!(decode_all(&before), idx);
        idx.insert("d03/new".into(), entry(2, EntryKind::File, false, false));
        let after = chunks(&idx);
        let changed = after.iter().filter(|c| !before.contains(c)).count();
        assert_eq!(changed, 1, "only the chunk holding the new entry differs");
        assert_eq!(decode_all(&after), idx);
    }

    #[test]
    fn damage_is_named() {
        let mut idx = BTreeMap::new();
        idx.insert("a".to_string(), entry(1, EntryKind::File, false, false));
        let good = chunks(&idx).remove(0).1;
        let decode = |b: &[u8]| decode_into(b, &mut Vec::new());
        let err = decode(&good[..good.len() - 1]).unwrap_err();
        assert!(err.contains("ends early"), "{err}");
        let err = decode(b"pach-index 9\n").unwrap_err();
        assert!(err.contains("pach-index 1"), "{err}");
        let mut extra = good.clone();
        extra.push(0);
        assert!(decode(&extra).unwrap_err().contains("stray"));
        let mut kind = good.clone();
        kind[HEADER.len() + 4 + 4 + 1] = 7;
        assert!(decode(&kind).unwrap_err().contains("unknown kind 7"));
        // A chunk that does not follow the one before is refused.
        let mut v = Vec::new();
        decode_into(&good, &mut v).unwrap();
        let err = decode_into(&good, &mut v).unwrap_err();
        assert!(err.contains("out of order"), "{err}");
    }
}
