//! Storing a big file as chunks, reading it once.
//!
//! A first version is read in 16 MiB windows: on one core the chunker cuts the window, on the
//! other the chaining values of its 1 MiB blocks are computed, then both cores hash and store
//! the chunks the store lacks. The chaining values give the file's id (see [`root_hash`]) and
//! are kept in `cache/blocks/`.
//!
//! A later version of a file whose earlier version is chunked and has cached chaining values
//! is hashed first (both cores, block by block); blocks whose chaining values match the
//! earlier version's hold the same bytes at the same place, so its chunks there are reused,
//! and the chunker runs only from the last chunk boundary before each changed stretch to the
//! first boundary after it that the earlier version shares. An append therefore costs one
//! hashing pass and the chunking of a few MiB; a shifting insertion re-cuts what follows it
//! (its chunks still dedup against the store).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use blake3::hazmat::ChainingValue;
use rayon::prelude::*;

use super::chunk::{
    BLOCK, ChunkIndex, ChunkRef, Cutter, MAX, block_cv, encode_segment, root_hash, segments,
};
use super::hash::BYTES_HASHED;
use super::loose::Guard;
use super::{Batch, Error, ObjectId, Result, Store};

/// Bytes read at once: a whole number of blocks.
const WINDOW: usize = 16 << 20;
const CACHE_HEADER: &[u8] = b"pach-blocks 1 1048576\n";

/// An earlier, chunked version of a file.
pub(super) struct Prior {
    size: u64,
    /// Chunks with their offsets.
    chunks: Vec<(u64, ChunkRef)>,
    cvs: Vec<ChainingValue>,
}

/// Cuts a file into chunks from `pos` on, storing the new ones.
pub(super) struct Writer<'a> {
    pub(super) store: &'a Store,
    pub(super) batch: &'a Batch,
    pub(super) cutter: Cutter,
    pub(super) file: &'a File,
    pub(super) path: &'a Path,
    pub(super) len: u64,
    pub(super) pos: u64,
    pub(super) chunks: Vec<ChunkRef>,
}

impl Store {
    /// Stores the big file at `path` as chunks; `base` is its earlier version, if any.
    pub(super) fn ingest_chunked(
        &self,
        path: &Path,
        batch: &Batch,
        base: Option<&ObjectId>,
    ) -> Result<(ObjectId, u64)> {
        let read_err = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(read_err)?;
        let len = file.metadata().map_err(read_err)?.len();
        let mut w = Writer {
            store: self,
            batch,
            cutter: Cutter::default(),
            file: &file,
            path,
            len,
            pos: 0,
            chunks: Vec::new(),
        };
        let prior = base.and_then(|b| self.prior(b));
        let (id, cvs, chunked) = match prior.map(|p| w.changed(&p)).transpose()? {
            Some(Some(done)) => done,
            _ => {
                w.pos = 0;
                w.chunks.clear();
                let (id, cvs) = w.all()?;
                (id, cvs, true)
            }
        };
        BYTES_HASHED.fetch_add(len, std::sync::atomic::Ordering::Relaxed);
        if chunked && !self.contains(&id) {
            self.put_index(&id, len, &w.chunks, batch)?;
        }
        self.save_cvs(&id, &cvs);
        Ok((id, len))
    }

    /// Writes the segments and the index of file `id` into `batch`.
    pub(crate) fn put_index(
        &self,
        id: &ObjectId,
        size: u64,
        chunks: &[ChunkRef],
        batch: &Batch,
    ) -> Result<()> {
        let mut index = ChunkIndex {
            file: *id,
            size,
            segments: Vec::new(),
        };
        for seg in segments(chunks) {
            let sid = self.put_bytes(&encode_segment(seg), batch)?;
            let len = seg.iter().map(|c| c.len).sum();
            index.segments.push(ChunkRef { id: sid, len });
        }
        let (tmp, mut f) = self.temp_file()?;
        let tmp = Guard(tmp);
        io::Write::write_all(&mut f, &index.encode()).map_err(|source| Error::Write {
            path: tmp.0.clone(),
            source,
        })?;
        batch.push_index(tmp.disarm(), *id);
        Ok(())
    }

    /// Writes one chunk into `batch` unless the store or the batch has it.
    pub(super) fn put_known(&self, id: &ObjectId, bytes: &[u8], batch: &Batch) -> Result<()> {
        if self.contains_whole(id) || batch.has(id) {
            return Ok(());
        }
        let (tmp, mut file) = self.temp_file()?;
        let written = io::Write::write_all(&mut file, bytes);
        // Start writing a chunk to disk now, beside the hashing, so the batch's final sync
        // has little left to wait for (a hint: the pages stay until they are clean). Not
        // for small objects: one writeback started per file cost a clone of 100,000 small
        // files 6 s of system time.
        if bytes.len() >= super::chunk::MIN {
            let _ = rustix::fs::fadvise(&file, 0, None, rustix::fs::Advice::DontNeed);
        }
        let tmp = Guard(tmp);
        written.map_err(|source| Error::Write {
            path: tmp.0.clone(),
            source,
        })?;
        batch.push(tmp.disarm(), *id);
        Ok(())
    }

    /// The earlier version `base`, when it is chunked, its chunks are all here and its
    /// chaining values are cached.
    fn prior(&self, base: &ObjectId) -> Option<Prior> {
        let index = self.chunk_index(base).ok()?;
        let cvs = self.load_cvs(base, index.size)?;
        let mut offset = 0;
        let chunks: Vec<(u64, ChunkRef)> = self
            .chunks_in(&index)
            .ok()?
            .into_iter()
            .map(|c| {
                offset += c.len;
                (offset - c.len, c)
            })
            .collect();
        let all_here = chunks.par_iter().all(|(_, c)| self.contains_whole(&c.id));
        all_here.then_some(Prior {
            size: index.size,
            chunks,
            cvs,
        })
    }

    fn cvs_path(&self, id: &ObjectId) -> std::path::PathBuf {
        self.blocks_dir().join(id.hex())
    }

    /// Reads the cached chaining values of a `size`-byte file, if they are there and whole.
    fn load_cvs(&self, id: &ObjectId, size: u64) -> Option<Vec<ChainingValue>> {
        let bytes = fs::read(self.cvs_path(id)).ok()?;
        let body = bytes.strip_prefix(CACHE_HEADER)?;
        if body.len() as u64 != size.div_ceil(BLOCK) * 32 {
            return None;
        }
        Some(
            body.chunks_exact(32)
                .map(|c| c.try_into().expect("chunks of 32"))
                .collect(),
        )
    }

    /// Caches chaining values (best effort: a cache that cannot be written costs only time).
    fn save_cvs(&self, id: &ObjectId, cvs: &[ChainingValue]) {
        let dest = self.cvs_path(id);
        if dest.exists() || fs::create_dir_all(self.blocks_dir()).is_err() {
            return;
        }
        let Ok(tmp) = self.temp_path() else { return };
        let mut bytes = Vec::with_capacity(CACHE_HEADER.len() + cvs.len() * 32);
        bytes.extend_from_slice(CACHE_HEADER);
        cvs.iter().for_each(|c| bytes.extend_from_slice(c));
        if fs::write(&tmp, &bytes).is_err() || fs::rename(&tmp, &dest).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Removes cached chaining values of objects no longer stored as chunks.
    pub fn prune_block_cache(&self) -> usize {
        let Ok(dir) = fs::read_dir(self.blocks_dir()) else {
            return 0;
        };
        let mut removed = 0;
        for e in dir.flatten() {
            let keep = e
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<ObjectId>().ok())
                .is_some_and(|id| self.index_path(&id).is_file());
            if !keep && fs::remove_file(e.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

impl Writer<'_> {
    pub(super) fn read_err(&self, source: io::Error) -> Error {
        match source.kind() {
            io::ErrorKind::UnexpectedEof => Error::Unstable {
                path: self.path.to_owned(),
                tries: 1,
            },
            _ => Error::Read {
                path: self.path.to_owned(),
                source,
            },
        }
    }

    /// Chunks from `self.pos` until `stop` says yes at a boundary or the file ends; returns
    /// whether `stop` ended it.
    fn run(&mut self, mut stop: impl FnMut(u64) -> bool + Send) -> Result<bool> {
        let mut buf: Vec<u8> = Vec::with_capacity(WINDOW + MAX);
        let mut off = self.pos;
        loop {
            let start = buf.len();
            let want = WINDOW.min((self.len - off) as usize);
            buf.resize(start + want, 0);
            self.file
                .read_exact_at(&mut buf[start..], off)
                .map_err(|e| self.read_err(e))?;
            let eof = off + want as u64 == self.len;
            let (used, stopped) = self.feed(&buf, eof, &mut stop)?;
            off += want as u64;
            if stopped || (eof && used == buf.len()) {
                return Ok(stopped);
            }
            buf.drain(..used);
        }
    }

    /// Cuts `data` (starting at `self.pos`) into chunks, leaving a tail shorter than
    /// [`MAX`] for the next window unless `eof`; hashes and stores them on every core.
    /// Returns the bytes used and whether `stop` ended it.
    fn feed(
        &mut self,
        data: &[u8],
        eof: bool,
        stop: &mut (impl FnMut(u64) -> bool + Send),
    ) -> Result<(usize, bool)> {
        let mut cuts = Vec::new();
        let (mut at, mut stopped) = (0, false);
        while at < data.len() && (eof || data.len() - at >= MAX) {
            let n = self.cutter.next(&data[at..]);
            cuts.push(at..at + n);
            at += n;
            if stop(self.pos + at as u64) {
                stopped = true;
                break;
            }
        }
        let (store, batch) = (self.store, self.batch);
        let new: Vec<ChunkRef> = cuts
            .par_iter()
            .map(|r| {
                let bytes = &data[r.clone()];
                let id = ObjectId::of(bytes);
                store.put_known(&id, bytes, batch)?;
                Ok(ChunkRef {
                    id,
                    len: bytes.len() as u64,
                })
            })
            .collect::<Result<_>>()?;
        self.chunks.extend(new);
        self.pos += at as u64;
        Ok((at, stopped))
    }

    /// A new version of `prior`: hashes it, then re-cuts only around what changed. `None`
    /// when the earlier chunks do not line up (the caller chunks the whole file).
    #[allow(clippy::type_complexity)]
    fn changed(&mut self, prior: &Prior) -> Result<Option<(ObjectId, Vec<ChainingValue>, bool)>> {
        let cvs = self.block_cvs()?;
        let id = ObjectId::from_hash(root_hash(&cvs, self.len));
        if self.store.contains(&id) {
            return Ok(Some((id, cvs, false)));
        }
        let starts: HashMap<u64, usize> = prior
            .chunks
            .iter()
            .enumerate()
            .map(|(i, (o, _))| (*o, i))
            .collect();
        let mut cursor = 0u64;
        let mut next_old = 0;
        for (s, e) in changed_ranges(prior, &cvs, self.len) {
            if e <= cursor {
                continue;
            }
            // Reuse the earlier chunks that end before the change.
            while let Some((o, c)) = prior.chunks.get(next_old) {
                if *o != cursor || o + c.len > s {
                    break;
                }
                self.chunks.push(*c);
                cursor += c.len;
                next_old += 1;
            }
            self.pos = cursor;
            let len = self.len;
            let stopped = self.run(|p| p >= e && p < len && starts.contains_key(&p))?;
            cursor = self.pos;
            if stopped {
                next_old = starts[&cursor];
            }
        }
        while cursor < self.len {
            match prior.chunks.get(next_old) {
                Some((o, c)) if *o == cursor && o + c.len <= self.len => {
                    self.chunks.push(*c);
                    cursor += c.len;
                    next_old += 1;
                }
                _ => return Ok(None),
            }
        }
        Ok(Some((id, cvs, true)))
    }

    /// The chaining values of every block, on every core.
    fn block_cvs(&self) -> Result<Vec<ChainingValue>> {
        let (file, len) = (self.file, self.len);
        (0..len.div_ceil(BLOCK))
            .into_par_iter()
            .map_init(
                || vec![0u8; BLOCK as usize],
                |buf, i| {
                    let n = BLOCK.min(len - i * BLOCK) as usize;
                    file.read_exact_at(&mut buf[..n], i * BLOCK)
                        .map_err(|e| self.read_err(e))?;
                    Ok(block_cv(i, &buf[..n]))
                },
            )
            .collect()
    }
}

/// The byte ranges of a new version (`cvs`, `len`) that differ from `prior`, by block, in
/// order. When the size changed, the earlier last chunk was cut by the end of the file, not
/// by its content, so it is re-cut too.
fn changed_ranges(prior: &Prior, cvs: &[ChainingValue], len: u64) -> Vec<(u64, u64)> {
    let same = |i: usize| prior.cvs.get(i) == Some(&cvs[i]);
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    let mut i = 0;
    while i < cvs.len() {
        if same(i) {
            i += 1;
            continue;
        }
        let s = i;
        while i < cvs.len() && !same(i) {
            i += 1;
        }
        ranges.push((s as u64 * BLOCK, (i as u64 * BLOCK).min(len)));
    }
    if prior.size != len
        && let Some((last, _)) = prior.chunks.last()
    {
        let from = (*last).min(len.saturating_sub(1));
        ranges.retain(|(s, _)| *s < from);
        match ranges.last_mut() {
            Some(r) if r.1 >= from => r.1 = len,
            _ => ranges.push((from, len)),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{noise, store};
    use super::super::{Batch, LinkMode};
    use super::*;

    fn add(s: &Store, path: &Path, base: Option<&ObjectId>) -> (ObjectId, usize) {
        let batch = Batch::default();
        let (id, _) = s.ingest_from(path, LinkMode::Copy, &batch, base).unwrap();
        let n = batch.len();
        batch.finish(s).unwrap();
        (id, n)
    }

    /// A big object stored whole (as every pach before chunks stored it) stays readable, and
    /// its next version is chunked.
    #[test]
    fn a_whole_big_object_of_an_older_store_reads_and_its_next_version_is_chunked() {
        let (d, s) = store();
        let v1 = noise(20 << 20, 5);
        let batch = Batch::default();
        let a = s.put_bytes(&v1, &batch).unwrap();
        batch.finish(&s).unwrap();
        assert!(!s.is_chunked(&a) && s.contains(&a));
        s.verify(&a).unwrap();
        let out = d.path().join("out");
        s.materialize(&a, &out, LinkMode::Copy, false).unwrap();
        assert_eq!(fs::read(&out).unwrap(), v1);
        let mut v2 = v1.clone();
        v2.extend(noise(1 << 20, 6));
        let f = d.path().join("f");
        fs::write(&f, &v2).unwrap();
        let (b, _) = add(&s, &f, Some(&a));
        assert!(s.is_chunked(&b));
        assert_eq!(s.read(&b).unwrap(), v2);
        assert_eq!(s.read(&a).unwrap(), v1);
    }

    /// Every way a file can change gives the chunks a fresh chunking gives, while writing
    /// only a few new objects.
    #[test]
    fn edits_reuse_chunks_and_match_a_fresh_chunking() {
        let (d, s) = store();
        let f = d.path().join("f");
        let v1 = noise(40 << 20, 1);
        fs::write(&f, &v1).unwrap();
        let (a, _) = add(&s, &f, None);
        assert_eq!(a, ObjectId::of(&v1));
        assert!(s.is_chunked(&a));
        let mut edits: Vec<(&str, Vec<u8>)> = Vec::new();
        let mut appended = v1.clone();
        appended.extend(noise(1 << 20, 2));
        edits.push(("append", appended));
        let mut middle = v1.clone();
        middle[20 << 20..21 << 20].copy_from_slice(&noise(1 << 20, 3));
        edits.push(("overwrite", middle));
        let mut inserted = v1.clone();
        inserted.splice(9 << 20..9 << 20, noise(100, 4));
        edits.push(("insert", inserted));
        edits.push(("truncate", v1[..(30 << 20) + 5].to_vec()));
        for (what, v2) in edits {
            fs::write(&f, &v2).unwrap();
            let (b, written) = add(&s, &f, Some(&a));
            assert_eq!(b, ObjectId::of(&v2), "{what}");
            assert!(written <= 8, "{what}: {written} new objects");
            assert_eq!(s.read(&b).unwrap(), v2, "{what}");
            // The same bytes chunked from scratch give the same chunks.
            let (d2, s2) = store();
            let g = d2.path().join("g");
            fs::write(&g, &v2).unwrap();
            add(&s2, &g, None);
            assert_eq!(
                s.chunks_of(&b).unwrap(),
                s2.chunks_of(&b).unwrap(),
                "{what}"
            );
        }
    }
}
