//! Hashing files for the store: streaming (flat memory whatever the size), memory-mapped, or
//! beside a copy into the store, each counted in [`BYTES_HASHED`].

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Error, Result};

/// Bytes read at once when streaming a file into the store.
pub(super) const CHUNK: usize = 8 << 20;

/// Counts file bytes read for hashing, so `-v` can prove a no-op status reads nothing.
pub static BYTES_HASHED: AtomicU64 = AtomicU64::new(0);

/// Copies `src` into `out` (a temp file at `tmp`) while hashing it, so an ingest reads the
/// file once.
pub(super) fn copy_hashing(
    mut src: File,
    out: &mut File,
    path: &Path,
    tmp: &Path,
) -> Result<(blake3::Hash, u64)> {
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; CHUNK.min(file_len_hint(&src))];
    let mut total = 0u64;
    loop {
        let n = read_full(&mut src, &mut buf).map_err(|source| Error::Read {
            path: path.into(),
            source,
        })?;
        if n == 0 {
            break;
        }
        let chunk = &buf[..n];
        let wrote = if n >= 1 << 20 {
            rayon::join(|| update(&mut hasher, chunk), || out.write_all(chunk)).1
        } else {
            hasher.update(chunk);
            out.write_all(chunk)
        };
        wrote.map_err(|source| Error::Write {
            path: tmp.into(),
            source,
        })?;
        total += n as u64;
    }
    BYTES_HASHED.fetch_add(total, Ordering::Relaxed);
    Ok((hasher.finalize(), total))
}

/// Hashes a file by streaming it (flat memory whatever its size), on all cores for large files.
pub fn hash_file(path: &Path) -> Result<(blake3::Hash, u64)> {
    hash_file_with(path, true)
}

/// Hashes a file by streaming it; `parallel` spreads large chunks over rayon's threads.
pub(super) fn hash_file_with(path: &Path, parallel: bool) -> Result<(blake3::Hash, u64)> {
    let mut f = File::open(path).map_err(|source| Error::Read {
        path: path.into(),
        source,
    })?;
    let mut hasher = blake3::Hasher::new();
    let mut buf = vec![0u8; CHUNK.min(file_len_hint(&f))];
    let mut total = 0u64;
    loop {
        let n = read_full(&mut f, &mut buf).map_err(|source| Error::Read {
            path: path.into(),
            source,
        })?;
        if n == 0 {
            break;
        }
        if parallel {
            update(&mut hasher, &buf[..n]);
        } else {
            hasher.update(&buf[..n]);
        }
        total += n as u64;
    }
    BYTES_HASHED.fetch_add(total, Ordering::Relaxed);
    Ok((hasher.finalize(), total))
}

/// Hashes a file through a memory map (no copy into user space), on all cores.
pub(crate) fn hash_mapped(path: &Path) -> Result<(blake3::Hash, u64)> {
    let mut hasher = blake3::Hasher::new();
    hasher
        .update_mmap_rayon(path)
        .map_err(|source| Error::Read {
            path: path.into(),
            source,
        })?;
    let total = hasher.count();
    BYTES_HASHED.fetch_add(total, Ordering::Relaxed);
    Ok((hasher.finalize(), total))
}

/// Returns a buffer size for reading `f` whole: its length (plus one, to see the end),
/// at least a page.
fn file_len_hint(f: &File) -> usize {
    f.metadata()
        .map(|m| m.len() as usize + 1)
        .unwrap_or(CHUNK)
        .max(4096)
}

/// Feeds one chunk to the hasher, on all cores when it is large.
fn update(hasher: &mut blake3::Hasher, chunk: &[u8]) {
    // BLAKE3's own threading only pays off on large inputs; small files are spread over
    // cores one file per thread by the caller instead.
    if chunk.len() >= 1 << 20 {
        hasher.update_rayon(chunk);
    } else {
        hasher.update(chunk);
    }
}

/// Reads until `buf` is full or the file ends, retrying interrupted reads.
fn read_full(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match f.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
