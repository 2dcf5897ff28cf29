//! Loose objects: `objects/ab/cdef…`, written through `tmp/` with a two-phase sync.
//!
//! Crash-safety argument: a new object is written to `tmp/`, then a [`Batch`] flushes the whole
//! filesystem once (`syncfs`), renames every temp file into place and flushes again. So a file
//! under `objects/` always holds complete, durable bytes (a crash can lose a rename, never tear
//! content), and callers move refs or the index only after [`Batch::finish`] returned. One
//! `syncfs` per batch instead of one `fsync` per file is what makes adding 20,000 small files
//! cost little more than copying them.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

pub(crate) use super::hash::hash_mapped;
pub use super::hash::{BYTES_HASHED, hash_file};
use super::hash::{copy_hashing, hash_file_with};
use super::{Error, ObjectId, Result, Structured};

/// How files pass between the store and the working tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LinkMode {
    /// Copy bytes both ways (a reflink where the filesystem supports it).
    #[default]
    Copy,
    /// Reflink; falls back to a copy where the filesystem has none.
    Reflink,
    /// Store and working tree share one read-only inode.
    Hardlink,
}

/// Files at least this big are copied by the kernel and hashed beside the copy.
pub(crate) const LARGE: u64 = 16 << 20;

/// The loose-object directory of one repository.
#[derive(Debug, Clone)]
pub struct Store {
    objects: PathBuf,
    tmp: PathBuf,
}

/// Objects written to `tmp/` and not yet durable; see the module docs.
#[derive(Default)]
pub struct Batch {
    pending: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    files: Vec<(PathBuf, ObjectId)>,
    /// Each pending id with its position in `files`.
    ids: std::collections::HashMap<ObjectId, usize>,
}

impl Store {
    /// Opens the store whose `objects/` and `tmp/` sit in `pach_dir`.
    pub fn new(pach_dir: &Path) -> Self {
        Store {
            objects: pach_dir.join("objects"),
            tmp: pach_dir.join("tmp"),
        }
    }

    /// Returns where the object `id` lives.
    pub fn path(&self, id: &ObjectId) -> PathBuf {
        let hex = id.hex();
        self.objects.join(&hex[..2]).join(&hex[2..])
    }

    /// Returns the `objects/` directory.
    pub fn objects_dir(&self) -> &Path {
        &self.objects
    }

    /// Returns the `tmp/` directory.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// Tells whether the object is present.
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.path(id).is_file()
    }

    /// Reads a whole object.
    ///
    /// The bytes are checked against the id: a corrupt object is an error, never data.
    pub fn read(&self, id: &ObjectId) -> Result<Vec<u8>> {
        let path = self.path(id);
        let bytes = fs::read(&path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => Error::Missing { id: *id },
            _ => Error::Read { path, source },
        })?;
        let actual = ObjectId::of(&bytes);
        if actual != *id {
            return Err(Error::Mismatch { id: *id, actual });
        }
        Ok(bytes)
    }

    /// Re-hashes an object, failing if it is missing or its bytes do not match its id.
    pub fn verify(&self, id: &ObjectId) -> Result<()> {
        let path = self.path(id);
        let (hash, _) = hash_file(&path).map_err(|e| match e {
            Error::Read { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                Error::Missing { id: *id }
            }
            e => e,
        })?;
        let actual = ObjectId::from_hash(hash);
        if actual != *id {
            return Err(Error::Mismatch { id: *id, actual });
        }
        Ok(())
    }

    /// Opens an object for streaming, unverified: call [`Store::verify`] first where it
    /// matters.
    pub fn open(&self, id: &ObjectId) -> Result<File> {
        let path = self.path(id);
        File::open(&path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => Error::Missing { id: *id },
            _ => Error::Read { path, source },
        })
    }

    /// Reads and decodes a structured object.
    pub fn get<T: Structured>(&self, id: &ObjectId) -> Result<T> {
        T::decode(&self.read(id)?).map_err(|source| Error::Corrupt { id: *id, source })
    }

    /// Encodes and writes a structured object into `batch`, returning its id.
    pub fn put<T: Structured>(&self, value: &T, batch: &Batch) -> Result<ObjectId> {
        self.put_bytes(&value.encode(), batch)
    }

    /// Writes `bytes` as an object into `batch` unless it is already stored.
    pub fn put_bytes(&self, bytes: &[u8], batch: &Batch) -> Result<ObjectId> {
        let id = ObjectId::of(bytes);
        if !self.contains(&id) && !batch.has(&id) {
            let (tmp, mut file) = self.temp_file()?;
            let written = file.write_all(bytes);
            let tmp = Guard(tmp);
            written.map_err(|source| Error::Write {
                path: tmp.0.clone(),
                source,
            })?;
            batch.push(tmp.disarm(), id);
        }
        Ok(id)
    }

    /// Streams the file at `path` into the store in one pass (read once; hash and write
    /// together), returning its id and size.
    ///
    /// A file that changes while it is read is retried, then refused: the stored bytes always
    /// hash to their id, and a torn mix of two versions is never recorded under a path.
    pub fn ingest(&self, path: &Path, mode: LinkMode, batch: &Batch) -> Result<(ObjectId, u64)> {
        const TRIES: u32 = 3;
        for _ in 0..TRIES {
            let before = stat(path)?;
            let got = match mode {
                LinkMode::Hardlink => self.ingest_by_link(path, batch)?,
                _ => self.ingest_by_copy(path, mode, batch)?,
            };
            let after = stat(path)?;
            // Hardlink mode makes the file read-only itself, which moves its ctime.
            let same = match mode {
                LinkMode::Hardlink => (after.0, after.1, after.3) == (before.0, before.1, before.3),
                _ => after == before,
            };
            if same && got.1 == before.0 {
                return Ok(got);
            }
        }
        Err(Error::Unstable {
            path: path.to_owned(),
            tries: TRIES,
        })
    }

    fn ingest_by_copy(
        &self,
        path: &Path,
        mode: LinkMode,
        batch: &Batch,
    ) -> Result<(ObjectId, u64)> {
        let read_err = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let mut src = File::open(path).map_err(read_err)?;
        let len = src.metadata().map_err(read_err)?.len();
        let (tmp, mut out) = self.temp_file()?;
        let tmp = Guard(tmp);
        let (hash, size) = if mode == LinkMode::Reflink {
            // The reflink is a snapshot; hashing the snapshot makes id and bytes agree.
            drop(out);
            fs::remove_file(&tmp.0).ok();
            reflink_copy::reflink_or_copy(path, &tmp.0).map_err(read_err)?;
            set_read_only(&tmp.0)?;
            hash_file(&tmp.0)?
        } else if len >= LARGE {
            // Large file: the kernel copies (copy_file_range, no trip through user space),
            // then the stored copy is hashed from the page cache while its writeback to disk
            // runs beside it. The id always names the bytes stored.
            io::copy(&mut src, &mut out).map_err(|source| Error::Write {
                path: tmp.0.clone(),
                source,
            })?;
            std::thread::scope(|s| {
                let flushing = s.spawn(|| out.sync_data());
                let hashed = hash_file(&tmp.0);
                let flushed = flushing.join().expect("sync_data does not panic");
                flushed.map_err(|source| Error::Write {
                    path: tmp.0.clone(),
                    source,
                })?;
                hashed
            })?
        } else {
            copy_hashing(src, &mut out, path, &tmp.0)?
        };
        let id = ObjectId::from_hash(hash);
        if self.contains(&id) || batch.has(&id) {
            return Ok((id, size)); // the guard removes the duplicate temp file
        }
        batch.push(tmp.disarm(), id);
        Ok((id, size))
    }

    fn ingest_by_link(&self, path: &Path, batch: &Batch) -> Result<(ObjectId, u64)> {
        let (hash, size) = hash_file(path)?;
        let id = ObjectId::from_hash(hash);
        let obj = self.path(&id);
        if obj.is_file() {
            // Share the stored inode so the working copy cannot drift from it.
            replace_with_link(&obj, path)?;
        } else if !batch.has(&id) {
            let tmp = self.temp_path()?;
            fs::hard_link(path, &tmp).map_err(|source| Error::Write {
                path: tmp.clone(),
                source,
            })?;
            let tmp = Guard(tmp);
            set_read_only(&tmp.0)?;
            batch.push(tmp.disarm(), id);
        }
        Ok((id, size))
    }

    /// Returns a fresh temp path in one of 64 shard directories of `tmp/`.
    ///
    /// Creating thousands of files in one directory from several threads serialises them on
    /// that directory's lock (measured: a third of `add`'s time); shards spread the load.
    /// A fresh name under `tmp/` (sharded), for a file renamed into place once complete.
    pub(crate) fn temp_path(&self) -> Result<PathBuf> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let dir = self.tmp.join(format!("{:02x}", n % 64));
        if !dir.is_dir() {
            fs::create_dir_all(&dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
        }
        Ok(dir.join(format!("obj-{}-{n}", std::process::id())))
    }

    fn temp_file(&self) -> Result<(PathBuf, File)> {
        let path = self.temp_path()?;
        // Created read-only: the open descriptor can still write, and no chmod is needed later.
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o444)
            .open(&path)
            .map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
        Ok((path, file))
    }

    /// Places object `id` at `dest` (which must not exist) as a file, by `mode`.
    pub fn materialize(
        &self,
        id: &ObjectId,
        dest: &Path,
        mode: LinkMode,
        exec: bool,
    ) -> Result<()> {
        let src = self.path(id);
        if !src.is_file() {
            return Err(Error::Missing { id: *id });
        }
        let write_err = |source| Error::Write {
            path: dest.to_owned(),
            source,
        };
        let perm = if exec { 0o755 } else { 0o644 };
        if mode == LinkMode::Copy {
            let mut from = self.open(id)?;
            let mut out = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(perm)
                .open(dest)
                .map_err(write_err)?;
            let len = from.metadata().map(|m| m.len()).unwrap_or(0);
            let hashed = if len >= LARGE {
                // Objects never change, so hashing the object beside the kernel's copy
                // verifies the bytes copied, in the time of the slower of the two.
                std::thread::scope(|s| {
                    // One core hashes while the other copies.
                    let hashing = s.spawn(|| hash_file_with(&src, false));
                    let copied = io::copy(&mut from, &mut out).map_err(write_err);
                    let hashed = hashing.join().expect("hashing does not panic");
                    copied.and(hashed)
                })
            } else {
                copy_hashing(from, &mut out, &src, dest)
            };
            let verified = hashed.and_then(|(hash, _)| {
                let actual = ObjectId::from_hash(hash);
                if actual == *id {
                    Ok(())
                } else {
                    Err(Error::Mismatch { id: *id, actual })
                }
            });
            if verified.is_err() {
                let _ = fs::remove_file(dest);
            }
            return verified;
        }
        self.verify(id)?;
        if mode == LinkMode::Hardlink && !exec {
            return fs::hard_link(&src, dest).map_err(write_err);
        }
        reflink_copy::reflink_or_copy(&src, dest).map_err(write_err)?;
        fs::set_permissions(dest, fs::Permissions::from_mode(perm)).map_err(write_err)
    }
}

impl Batch {
    fn has(&self, id: &ObjectId) -> bool {
        self.pending
            .lock()
            .expect("no panics while locked")
            .ids
            .contains_key(id)
    }

    /// Queues a temp file; a second file with the same id is removed at once.
    fn push(&self, tmp: PathBuf, id: ObjectId) {
        let mut p = self.pending.lock().expect("no panics while locked");
        if !p.ids.contains_key(&id) {
            let at = p.files.len();
            p.ids.insert(id, at);
            p.files.push((tmp, id));
        } else {
            drop(p);
            let _ = fs::remove_file(tmp);
        }
    }

    /// Reads an object still waiting in this batch (not yet in the store).
    pub fn read_pending(&self, id: &ObjectId) -> Option<Vec<u8>> {
        fs::read(self.pending_path(id)?).ok()
    }

    /// Returns where an object still waiting in this batch lies, to stream or tail it.
    pub fn pending_path(&self, id: &ObjectId) -> Option<PathBuf> {
        let p = self.pending.lock().expect("no panics while locked");
        Some(p.files.get(*p.ids.get(id)?)?.0.clone())
    }

    /// Returns how many objects this batch will add.
    pub fn len(&self) -> usize {
        self.pending
            .lock()
            .expect("no panics while locked")
            .files
            .len()
    }

    /// Tells whether the batch adds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Makes every pending object durable and visible: sync, rename into place, sync.
    pub fn finish(self, store: &Store) -> Result<()> {
        let pending =
            std::mem::take(&mut self.pending.lock().expect("no panics while locked").files);
        if pending.is_empty() {
            return Ok(());
        }
        sync_fs(&store.tmp)?;
        let mut made = std::collections::HashSet::new();
        for (tmp, id) in &pending {
            let dest = store.path(id);
            let dir = dest
                .parent()
                .expect("object paths have a fan-out directory");
            if made.insert(dir.to_owned()) {
                fs::create_dir_all(dir).map_err(|source| Error::Write {
                    path: dir.into(),
                    source,
                })?;
            }
            fs::rename(tmp, &dest).map_err(|source| Error::Write {
                path: dest.clone(),
                source,
            })?;
        }
        sync_fs(&store.objects)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // An abandoned batch (error, ENOSPC) leaves no partial object behind.
        if let Ok(pending) = self.pending.get_mut() {
            for (tmp, _) in pending.files.drain(..) {
                let _ = fs::remove_file(tmp);
            }
        }
    }
}

/// Removes a temp file unless disarmed.
struct Guard(PathBuf);

impl Guard {
    fn disarm(self) -> PathBuf {
        let p = std::mem::ManuallyDrop::new(self);
        p.0.clone()
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// (size, mtime ns, ctime ns, inode): what must stay equal while a file is read.
fn stat(path: &Path) -> Result<(u64, i128, i128, u64)> {
    let m = fs::symlink_metadata(path).map_err(|source| Error::Read {
        path: path.into(),
        source,
    })?;
    let ns = |s: i64, n: i64| s as i128 * 1_000_000_000 + n as i128;
    Ok((
        m.len(),
        ns(m.mtime(), m.mtime_nsec()),
        ns(m.ctime(), m.ctime_nsec()),
        m.ino(),
    ))
}

fn set_read_only(path: &Path) -> Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(0o444)).map_err(|source| Error::Write {
        path: path.into(),
        source,
    })
}

/// Returns an unused hidden name beside `path`, for writing it whole and renaming over it.
pub fn temp_beside(path: &Path) -> PathBuf {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!(".pach-tmp-{}-{n}", std::process::id()))
}

fn replace_with_link(obj: &Path, path: &Path) -> Result<()> {
    let tmp = temp_beside(path);
    fs::hard_link(obj, &tmp).map_err(|source| Error::Write {
        path: tmp.clone(),
        source,
    })?;
    fs::rename(&tmp, path).map_err(|source| {
        let _ = fs::remove_file(&tmp);
        Error::Write {
            path: path.into(),
            source,
        }
    })
}

/// Flushes the whole filesystem holding `dir` to disk.
pub fn sync_fs(dir: &Path) -> Result<()> {
    let f = File::open(dir).map_err(|source| Error::Read {
        path: dir.into(),
        source,
    })?;
    rustix::fs::syncfs(&f).map_err(|e| Error::Sync { source: e.into() })
}

#[cfg(test)]
mod tests {
    use super::super::hash::CHUNK;
    use super::*;

    fn temp_files(d: &tempfile::TempDir) -> usize {
        walkdir::WalkDir::new(d.path().join("tmp"))
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_type().is_file())
            .count()
    }

    fn store() -> (tempfile::TempDir, Store) {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("objects")).unwrap();
        fs::create_dir_all(d.path().join("tmp")).unwrap();
        let s = Store::new(d.path());
        (d, s)
    }

    #[test]
    fn ingest_names_the_object_by_the_b3sum_of_its_bytes() {
        let (d, s) = store();
        let f = d.path().join("f");
        let data: Vec<u8> = (0..(3 * CHUNK + 17)).map(|i| (i * 7 % 251) as u8).collect();
        fs::write(&f, &data).unwrap();
        for mode in [LinkMode::Copy, LinkMode::Reflink] {
            let batch = Batch::default();
            let (id, size) = s.ingest(&f, mode, &batch).unwrap();
            assert_eq!(id, ObjectId::of(&data));
            assert_eq!(size, data.len() as u64);
            batch.finish(&s).unwrap();
            assert_eq!(s.read(&id).unwrap(), data);
        }
        assert_eq!(temp_files(&d), 0);
    }

    #[test]
    fn abandoned_batch_leaves_no_temp_files() {
        let (d, s) = store();
        let batch = Batch::default();
        s.put_bytes(b"abc", &batch).unwrap();
        assert_eq!(temp_files(&d), 1);
        drop(batch);
        assert_eq!(temp_files(&d), 0);
        assert!(!s.contains(&ObjectId::of(b"abc")));
    }
}
