//! Content-defined chunks: the chunker's parameters, the two chunk-list formats (an index
//! named by the file's id, and segments of it), and BLAKE3 chaining values of aligned blocks.
//!
//! A big file is stored as chunks cut by FastCDC (v2020, normalisation level 1), each an
//! ordinary object named by the BLAKE3 hash of its bytes. The chunks are listed in
//! *segments* (ordinary objects too), and the segments in the *chunk index* (`chunked/` in
//! the store, named by the file's id, since the file's id is the hash of its bytes, not of
//! the index). Segments end where a chunk's id starts with a zero byte (1 chunk in 256,
//! content-defined, so an insertion changes one segment, not every one after it) or after
//! [`SEGMENT_MAX`] chunks, so the index of a 100 GB file is about 400 lines.
//!
//! The chaining values of the file's 1 MiB-aligned blocks are the file's BLAKE3 tree one level
//! below the top: combining them gives the file id, and comparing them with an earlier
//! version's says which blocks changed without hashing anything twice.

use std::fmt::Write as _;

use blake3::hazmat::{self, ChainingValue, HasherExt, Mode};
use fastcdc::v2020::{Normalization, cut, select_masks};

use super::ObjectId;

/// Files at least this big are stored as chunks; smaller ones whole. Below it a change
/// rewrites at most this much anyway, and every chunk is one more object to move.
pub const CHUNKED_MIN: u64 = 16 << 20;
/// Chunk sizes (FastCDC v2020 requires even values): 1 MiB on average, as restic uses; small
/// enough that a 1 MiB edit costs a few MiB, big enough that a 100 GB file is 100,000
/// objects, not millions.
pub const MIN: usize = 256 << 10;
pub const AVG: usize = 1 << 20;
pub const MAX: usize = 4 << 20;
/// The block whose chaining values are kept: a power of two, so every whole block is a
/// complete subtree of BLAKE3's tree.
pub const BLOCK: u64 = 1 << 20;
/// At most this many chunks per segment.
pub const SEGMENT_MAX: usize = 1024;

const INDEX_HEADER: &str = "pach-chunked 1\n";
const SEGMENT_HEADER: &str = "pach-segment 1\n";

/// One chunk of a file: its id and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkRef {
    pub id: ObjectId,
    pub len: u64,
}

/// The chunk index of a file: its id and size, and its segments with the bytes each covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChunkIndex {
    pub file: ObjectId,
    pub size: u64,
    pub segments: Vec<ChunkRef>,
}

/// Why a chunk list cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("malformed {kind}: {reason}")]
pub struct BadList {
    pub kind: &'static str,
    pub reason: String,
}

/// Finds chunk boundaries with the parameters above.
pub struct Cutter {
    masks: (u64, u64),
}

impl Default for Cutter {
    fn default() -> Self {
        Cutter {
            masks: select_masks(AVG, Normalization::Level1),
        }
    }
}

impl Cutter {
    /// Returns the length of the chunk starting at `data[0]`. Callers pass at least [`MAX`]
    /// bytes unless `data` runs to the end of the file: the cut depends only on the bytes up
    /// to it, so a file cut in windows gets the boundaries it would get in one piece.
    pub fn next(&self, data: &[u8]) -> usize {
        let (s, l) = self.masks;
        cut(data, MIN, AVG, MAX, s, l, s << 1, l << 1).1
    }
}

/// Tells whether a segment ends after chunk `id` (content-defined: the same chunks make the
/// same segments wherever they sit in a file).
pub fn ends_segment(id: &ObjectId, count: usize) -> bool {
    id.as_bytes()[0] == 0 || count >= SEGMENT_MAX
}

/// Splits a file's chunks into segments.
pub fn segments(chunks: &[ChunkRef]) -> Vec<&[ChunkRef]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in chunks.iter().enumerate() {
        if ends_segment(&c.id, i + 1 - start) || i + 1 == chunks.len() {
            out.push(&chunks[start..=i]);
            start = i + 1;
        }
    }
    out
}

/// Encodes a segment: the header line, then `<chunk id> <length>` per line.
pub fn encode_segment(chunks: &[ChunkRef]) -> Vec<u8> {
    let mut s = String::with_capacity(SEGMENT_HEADER.len() + chunks.len() * 80);
    s.push_str(SEGMENT_HEADER);
    for c in chunks {
        let _ = writeln!(s, "{} {}", c.id, c.len);
    }
    s.into_bytes()
}

/// Decodes a segment; only the canonical form is accepted.
pub fn decode_segment(bytes: &[u8]) -> Result<Vec<ChunkRef>, BadList> {
    let bad = |reason: String| BadList {
        kind: "chunk segment",
        reason,
    };
    let out = decode_lines(bytes, SEGMENT_HEADER).map_err(bad)?;
    if out.is_empty() {
        return Err(bad("it lists no chunks".into()));
    }
    if encode_segment(&out) != bytes {
        return Err(bad("it is not in canonical form".into()));
    }
    Ok(out)
}

impl ChunkIndex {
    /// Encodes the index: the header line, `<file id> <size>`, then `<segment id> <bytes>`
    /// per line.
    pub fn encode(&self) -> Vec<u8> {
        let mut s = String::with_capacity(INDEX_HEADER.len() + (self.segments.len() + 1) * 80);
        s.push_str(INDEX_HEADER);
        let _ = writeln!(s, "{} {}", self.file, self.size);
        for seg in &self.segments {
            let _ = writeln!(s, "{} {}", seg.id, seg.len);
        }
        s.into_bytes()
    }

    /// Decodes the index of file `file`; only the canonical form is accepted, and the
    /// segments must cover exactly the file's size.
    pub fn decode(file: &ObjectId, bytes: &[u8]) -> Result<Self, BadList> {
        let bad = |reason: String| BadList {
            kind: "chunk index",
            reason,
        };
        let mut lines = decode_lines(bytes, INDEX_HEADER).map_err(bad)?;
        if lines.is_empty() {
            return Err(bad("it names no file".into()));
        }
        let head = lines.remove(0);
        if head.id != *file {
            return Err(bad(format!("it describes {}, not {file}", head.id)));
        }
        let index = ChunkIndex {
            file: head.id,
            size: head.len,
            segments: lines,
        };
        let covered: u64 = index.segments.iter().map(|s| s.len).sum();
        if covered != index.size || index.segments.is_empty() {
            return Err(bad(format!(
                "its segments cover {covered} bytes of a {}-byte file",
                index.size
            )));
        }
        if index.encode() != bytes {
            return Err(bad("it is not in canonical form".into()));
        }
        Ok(index)
    }
}

/// Parses `header` then lines of `<64 hex> <decimal>`, the number above zero.
fn decode_lines(bytes: &[u8], header: &str) -> Result<Vec<ChunkRef>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string())?;
    let body = text
        .strip_prefix(header)
        .ok_or_else(|| format!("it does not start with `{}`", header.trim_end()))?;
    let mut out = Vec::new();
    for (n, line) in body.split_terminator('\n').enumerate() {
        let parsed = line.split_once(' ').and_then(|(id, len)| {
            let len: u64 = len.parse().ok().filter(|l| *l > 0)?;
            Some(ChunkRef {
                id: id.parse().ok()?,
                len,
            })
        });
        out.push(parsed.ok_or_else(|| format!("line {} is not `<id> <length>`", n + 2))?);
    }
    Ok(out)
}

/// Returns the chaining value of block `index` of a file: `data` is the whole block (or the
/// file's last, shorter one).
pub fn block_cv(index: u64, data: &[u8]) -> ChainingValue {
    let mut h = blake3::Hasher::new();
    h.set_input_offset(index * BLOCK);
    if data.len() >= 1 << 17 {
        h.update_rayon(data);
    } else {
        h.update(data);
    }
    h.finalize_non_root()
}

/// Combines the chaining values of every block of a `len`-byte file (`len` > [`BLOCK`])
/// into the file's BLAKE3 hash.
pub fn root_hash(cvs: &[ChainingValue], len: u64) -> blake3::Hash {
    debug_assert!(len > BLOCK && cvs.len() as u64 == len.div_ceil(BLOCK));
    let left = hazmat::left_subtree_len(len);
    let split = (left / BLOCK) as usize;
    hazmat::merge_subtrees_root(
        &subtree(&cvs[..split], left),
        &subtree(&cvs[split..], len - left),
        Mode::Hash,
    )
}

/// The chaining value of the subtree made of `cvs`, which cover `len` bytes.
fn subtree(cvs: &[ChainingValue], len: u64) -> ChainingValue {
    if cvs.len() == 1 {
        return cvs[0];
    }
    let left = hazmat::left_subtree_len(len);
    let split = (left / BLOCK) as usize;
    hazmat::merge_subtrees_non_root(
        &subtree(&cvs[..split], left),
        &subtree(&cvs[split..], len - left),
        Mode::Hash,
    )
}

#[cfg(test)]
mod tests {
    use super::super::testutil::noise as data;
    use super::*;

    #[test]
    fn block_chaining_values_combine_into_the_files_hash() {
        for len in [
            BLOCK as usize + 1,
            3 * BLOCK as usize,
            5 * BLOCK as usize + 1000,
        ] {
            let d = data(len, len as u64);
            let cvs: Vec<_> = d
                .chunks(BLOCK as usize)
                .enumerate()
                .map(|(i, b)| block_cv(i as u64, b))
                .collect();
            assert_eq!(root_hash(&cvs, len as u64), blake3::hash(&d), "len {len}");
        }
    }

    #[test]
    fn lists_round_trip_and_refuse_other_forms() {
        let c = |b: u8, len| ChunkRef {
            id: ObjectId::of(&[b]),
            len,
        };
        let seg = vec![c(1, 10), c(2, 20)];
        let bytes = encode_segment(&seg);
        assert_eq!(decode_segment(&bytes).unwrap(), seg);
        let file = ObjectId::of(b"file");
        let index = ChunkIndex {
            file,
            size: 30,
            segments: vec![c(9, 30)],
        };
        assert_eq!(ChunkIndex::decode(&file, &index.encode()).unwrap(), index);
        assert!(ChunkIndex::decode(&ObjectId::of(b"other"), &index.encode()).is_err());
        let short = ChunkIndex { size: 31, ..index };
        assert!(ChunkIndex::decode(&file, &short.encode()).is_err());
        let mut spaced = bytes.clone();
        spaced.insert(bytes.len() - 1, b' ');
        assert!(decode_segment(&spaced).is_err());
        assert!(decode_segment(SEGMENT_HEADER.as_bytes()).is_err());
        assert!(decode_segment(b"pach-segment 1\nxyz 1\n").is_err());
    }

    #[test]
    fn cuts_depend_only_on_the_bytes_before_them() {
        let d = data(12 << 20, 7);
        let cutter = Cutter::default();
        let mut whole = Vec::new();
        let mut at = 0;
        while at < d.len() {
            let n = cutter.next(&d[at..]);
            assert!(n >= MIN || at + n == d.len());
            assert!(n <= MAX);
            whole.push(n);
            at += n;
        }
        // Cutting from the second boundary onward gives the same boundaries.
        let mut from = whole[0];
        for want in &whole[1..] {
            let end = (from + MAX).min(d.len());
            assert_eq!(cutter.next(&d[from..end]), *want);
            from += want;
        }
    }
}
