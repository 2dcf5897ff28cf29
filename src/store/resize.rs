//! Checking out a version of a large file that extends or truncates the one in the working
//! tree, without copying the bytes both share.
//!
//! Data that grows by appending (logs, event tables, sensor dumps) is the common case: the
//! old version is a prefix of the new one. Copying 4 GiB to add 1 MiB, or to drop it again,
//! costs seconds; truncating or appending the tail costs the hashing of the file, which
//! proves the result. Whatever the outcome, the file ends up holding exactly the object's
//! bytes or the caller falls back to a full copy.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

use super::chunked::{Pieces, read_checked};
use super::loose::hash_mapped;
use super::{Error, ObjectId, Result, Store};

/// What [`Store::resize_in_place`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Resized {
    /// The file now holds the object's bytes, checked against its id.
    Done,
    /// The file is untouched: the versions are not prefix-related, or it is shared.
    Untouched,
    /// The file was truncated but is not a prefix of the object: it must be replaced.
    Spoiled,
}

/// Which way a resize may go: a checkout grows files while it prepares (undone by truncating
/// back) and shrinks them only once it switches (a truncated file frees the space its full
/// copy would need, should it not be a prefix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Grow,
    Shrink,
}

impl Store {
    /// Turns the working-tree file at `dest` into object `id` by truncating or appending,
    /// when one is a prefix of the other. `dest` must hold a committed version (the caller
    /// checked it clean), since a truncated file that turns out not to be a prefix is
    /// [`Resized::Spoiled`] and gets replaced by a full copy.
    ///
    /// A file with other hard links is never touched: writing it would change them too
    /// (and one may be a store object, from the hardlink mode).
    ///
    /// Only resizes in direction `way`; a grow that fails part-way (a full disk) truncates
    /// the file back to its old length before returning the error.
    ///
    /// `was` is the object `dest` holds. When both are chunked, their chunk lists show where
    /// they part, and only the bytes from there on are compared (a chunk or two for an
    /// append; an early mismatch for an insert), instead of hashing the whole file.
    pub fn resize_in_place(
        &self,
        id: &ObjectId,
        was: &ObjectId,
        dest: &Path,
        way: Direction,
    ) -> Result<Resized> {
        let src = self.path(id);
        let write_err = |source| Error::Write {
            path: dest.to_owned(),
            source,
        };
        // Never through a symlink, even one swapped in since the caller looked.
        let nofollow = rustix::fs::OFlags::NOFOLLOW.bits() as i32;
        let opened = OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(nofollow)
            .open(dest);
        let Ok(file) = opened else {
            return Ok(Resized::Untouched);
        };
        let m = file.metadata().map_err(write_err)?;
        if !m.is_file() || m.nlink() != 1 {
            return Ok(Resized::Untouched);
        }
        let pieces = self.pieces(id)?;
        let size = pieces.size;
        let have = m.len();
        let wanted = if size < have {
            Direction::Shrink
        } else {
            Direction::Grow
        };
        if wanted != way || size == have {
            return Ok(Resized::Untouched);
        }
        if pieces.chunked && self.is_chunked(was) {
            let was = self.pieces(was)?;
            if was.size != have {
                return Ok(Resized::Untouched); // not the version the caller saw
            }
            return self.resize_by_chunks(&was, &pieces, &file, dest);
        }
        if size < have {
            // Truncate, then check what is left; the file is committed, so nothing is lost
            // when it turns out not to be a prefix.
            file.set_len(size).map_err(write_err)?;
            let (hash, _) = hash_mapped(dest)?;
            return Ok(if ObjectId::from_hash(hash) == *id {
                Resized::Done
            } else {
                Resized::Spoiled
            });
        }
        // Growing: the file's bytes followed by the object's tail must hash to the id;
        // only then is the tail appended (by the kernel, from the object just hashed).
        let mut hasher = blake3::Hasher::new();
        hasher.update_mmap_rayon(dest).map_err(write_err)?;
        if hasher.count() != have {
            return Ok(Resized::Untouched); // it changed under us
        }
        let tail = tail_of(&pieces, have);
        hash_tail(&tail, &mut hasher).map_err(|source| Error::Read {
            path: src.clone(),
            source,
        })?;
        if ObjectId::from_hash(hasher.finalize()) != *id {
            return Ok(Resized::Untouched);
        }
        append_tail(&tail, &file, have).map_err(|e| {
            // Back to the committed version: a grow either completes or never happened.
            let _ = file.set_len(have);
            write_err(e)
        })?;
        Ok(Resized::Done)
    }
}

impl Store {
    /// Resizes `file`, holding chunked object `was`, into chunked object `to`, if one is a
    /// prefix of the other; the bytes after their common chunks are compared, and the
    /// object's chunks read are checked against their ids.
    fn resize_by_chunks(
        &self,
        was: &Pieces,
        to: &Pieces,
        file: &File,
        dest: &Path,
    ) -> Result<Resized> {
        let write_err = |source| Error::Write {
            path: dest.to_owned(),
            source,
        };
        let short = was.size.min(to.size);
        let same = was
            .parts
            .iter()
            .zip(&to.parts)
            .take_while(|(a, b)| a.id == b.id && a.offset == b.offset && a.len == b.len)
            .count();
        let mut ours = Vec::new();
        for part in to.parts[same..].iter().take_while(|p| p.offset < short) {
            let theirs = read_checked(to, part)?;
            let n = (short - part.offset).min(part.len) as usize;
            ours.resize(n, 0);
            file.read_exact_at(&mut ours, part.offset)
                .map_err(write_err)?;
            if ours[..] != theirs[..n] {
                return Ok(Resized::Untouched);
            }
        }
        if to.size < was.size {
            file.set_len(to.size).map_err(write_err)?;
            return Ok(Resized::Done);
        }
        let tail = tail_of(to, was.size);
        // The chunk across the old end was checked by the comparison above.
        for part in to.parts.iter().filter(|p| p.offset >= was.size) {
            read_checked(to, part)?;
        }
        append_tail(&tail, file, was.size).map_err(|e| {
            let _ = file.set_len(was.size);
            write_err(e)
        })?;
        Ok(Resized::Done)
    }
}

/// The parts of the object from byte `from` on: (stored file, offset in it, length).
fn tail_of(pieces: &Pieces, from: u64) -> Vec<(std::path::PathBuf, u64, u64)> {
    pieces
        .parts
        .iter()
        .filter(|p| p.offset + p.len > from)
        .map(|p| {
            let skip = from.saturating_sub(p.offset);
            (p.path.clone(), skip, p.len - skip)
        })
        .collect()
}

/// Appends the tail's bytes to `file` at `have`, by the kernel.
fn append_tail(tail: &[(std::path::PathBuf, u64, u64)], file: &File, have: u64) -> io::Result<()> {
    let mut at = have;
    for (path, off, len) in tail {
        let object = File::open(path)?;
        super::chunked::copy_range(&object, *off, file, at, *len)?;
        at += len;
    }
    Ok(())
}

/// Feeds the tail's bytes into `hasher`.
fn hash_tail(
    tail: &[(std::path::PathBuf, u64, u64)],
    hasher: &mut blake3::Hasher,
) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    for (path, off, len) in tail {
        let object = File::open(path)?;
        let (mut at, end) = (*off, off + len);
        while at < end {
            let want = buf.len().min((end - at) as usize);
            let n = object.read_at(&mut buf[..want], at)?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            hasher.update(&buf[..n]);
            at += n as u64;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Batch, LinkMode};

    fn stored(s: &Store, dir: &Path, name: &str, bytes: &[u8]) -> ObjectId {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let batch = Batch::default();
        let (id, _) = s.ingest(&p, LinkMode::Copy, &batch).unwrap();
        batch.finish(s).unwrap();
        id
    }

    fn setup() -> (tempfile::TempDir, Store, Vec<u8>, ObjectId, ObjectId) {
        let d = tempfile::tempdir().unwrap();
        for sub in ["objects", "tmp"] {
            std::fs::create_dir_all(d.path().join(".pach").join(sub)).unwrap();
        }
        let s = Store::new(&d.path().join(".pach"));
        let short: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut long = short.clone();
        long.extend_from_slice(b"appended tail");
        let a = stored(&s, d.path(), "a", &short);
        let b = stored(&s, d.path(), "b", &long);
        (d, s, short, a, b)
    }

    #[test]
    fn grows_and_shrinks_in_place_keeping_the_inode() {
        let (d, s, short, a, b) = setup();
        let w = d.path().join("w");
        std::fs::write(&w, &short).unwrap();
        let ino = std::fs::metadata(&w).unwrap().ino();
        assert_eq!(
            s.resize_in_place(&b, &a, &w, Direction::Shrink).unwrap(),
            Resized::Untouched
        );
        assert_eq!(
            s.resize_in_place(&b, &a, &w, Direction::Grow).unwrap(),
            Resized::Done
        );
        assert_eq!(std::fs::read(&w).unwrap(), s.read(&b).unwrap());
        assert_eq!(
            s.resize_in_place(&a, &b, &w, Direction::Grow).unwrap(),
            Resized::Untouched
        );
        assert_eq!(
            s.resize_in_place(&a, &b, &w, Direction::Shrink).unwrap(),
            Resized::Done
        );
        assert_eq!(std::fs::read(&w).unwrap(), short);
        assert_eq!(std::fs::metadata(&w).unwrap().ino(), ino);
    }

    #[test]
    fn unrelated_versions_and_shared_files_are_left_or_flagged() {
        let (d, s, short, _a, b) = setup();
        let w = d.path().join("w");
        let mut other = short.clone();
        other[10] ^= 1;
        // Not a prefix of the longer object: untouched.
        std::fs::write(&w, &other).unwrap();
        assert_eq!(
            s.resize_in_place(&b, &b, &w, Direction::Grow).unwrap(),
            Resized::Untouched
        );
        assert_eq!(std::fs::read(&w).unwrap(), other);
        // A second link: never written.
        std::fs::hard_link(&w, d.path().join("w2")).unwrap();
        let mut longer = other.clone();
        longer.extend_from_slice(b"more");
        let c = stored(&s, d.path(), "c", &longer);
        assert_eq!(
            s.resize_in_place(&c, &b, &w, Direction::Grow).unwrap(),
            Resized::Untouched
        );
        assert_eq!(std::fs::read(d.path().join("w2")).unwrap(), other);
        // Longer file whose head differs from the shorter object: truncated, then flagged.
        let v = d.path().join("v");
        let mut changed = s.read(&b).unwrap();
        changed[0] ^= 1;
        std::fs::write(&v, &changed).unwrap();
        let a = stored(&s, d.path(), "a2", &short);
        assert_eq!(
            s.resize_in_place(&a, &b, &v, Direction::Shrink).unwrap(),
            Resized::Spoiled
        );
    }

    #[test]
    fn chunked_versions_resize_by_their_chunk_lists() {
        let (d, s) = crate::store::testutil::store();
        let put = |name: &str, bytes: &[u8]| {
            let id = stored(&s, d.path(), name, bytes);
            assert!(s.is_chunked(&id), "{name} is chunked");
            id
        };
        let v1 = crate::store::testutil::noise(20 << 20, 1);
        let mut appended = v1.clone();
        appended.extend(crate::store::testutil::noise(1 << 20, 2));
        let mut inserted = v1.clone();
        inserted.splice(8 << 20..8 << 20, [7u8; 100]);
        let (a, b, c) = (put("a", &v1), put("b", &appended), put("c", &inserted));
        let w = d.path().join("w");
        std::fs::write(&w, &v1).unwrap();
        let ino = std::fs::metadata(&w).unwrap().ino();
        assert_eq!(
            s.resize_in_place(&b, &a, &w, Direction::Grow).unwrap(),
            Resized::Done
        );
        assert_eq!(std::fs::read(&w).unwrap(), appended);
        assert_eq!(
            s.resize_in_place(&a, &b, &w, Direction::Shrink).unwrap(),
            Resized::Done
        );
        assert_eq!(std::fs::read(&w).unwrap(), v1);
        assert_eq!(
            std::fs::metadata(&w).unwrap().ino(),
            ino,
            "resized in place"
        );
        // An insert shifts what follows: neither a prefix of the other, and untouched both
        // ways (never truncated first).
        assert_eq!(
            s.resize_in_place(&c, &a, &w, Direction::Grow).unwrap(),
            Resized::Untouched
        );
        assert_eq!(std::fs::read(&w).unwrap(), v1);
        std::fs::write(&w, &inserted).unwrap();
        assert_eq!(
            s.resize_in_place(&a, &c, &w, Direction::Shrink).unwrap(),
            Resized::Untouched
        );
        assert_eq!(std::fs::read(&w).unwrap(), inserted);
        // A working file that is not the version it claims to be, where the lists part: the
        // bytes there are compared, so it is left alone.
        let mut claimed = v1.clone();
        let last = s.pieces(&a).unwrap().parts.last().unwrap().offset as usize;
        claimed[last + 5] ^= 1;
        std::fs::write(&w, &claimed).unwrap();
        assert_eq!(
            s.resize_in_place(&b, &a, &w, Direction::Grow).unwrap(),
            Resized::Untouched
        );
        // A corrupt chunk of the tail: an error naming it, and the file as it was.
        std::fs::write(&w, &v1).unwrap();
        let tail = s.pieces(&b).unwrap().parts.last().unwrap().clone();
        let mut bad = std::fs::read(&tail.path).unwrap();
        bad[0] ^= 1;
        std::fs::remove_file(&tail.path).unwrap();
        std::fs::write(&tail.path, &bad).unwrap();
        let err = s.resize_in_place(&b, &a, &w, Direction::Grow).unwrap_err();
        assert!(err.to_string().contains(&tail.id.to_string()), "{err}");
        assert_eq!(std::fs::read(&w).unwrap(), v1);
    }
}
