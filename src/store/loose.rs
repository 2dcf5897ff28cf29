//! Loose objects: `objects/ab/cdef…`, written through `tmp/` with a two-phase sync.
//!
//! Crash-safety argument: a new object is written to `tmp/`, then a [`Batch`] flushes the whole
//! filesystem once (`syncfs`), renames every temp file into place and flushes again. So a file
//! under `objects/` always holds complete, durable bytes (a crash can lose a rename, never tear
//! content), and callers move refs or the index only after [`Batch::finish`] returned. One
//! `syncfs` per batch instead of one `fsync` per file is what makes adding 20,000 small files
//! cost little more than copying them.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::chunk::CHUNKED_MIN;
use super::hash::copy_hashing;
pub(crate) use super::hash::hash_mapped;
pub use super::hash::{BYTES_HASHED, hash_file};
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
    /// Chunk indexes of chunked objects, named by the object's id.
    chunked: PathBuf,
    /// Chaining values of big files' blocks (a cache: losing it costs time, never data).
    blocks: PathBuf,
    /// The `tmp/` shards this process has seen exist (bit n: shard n), so a temp file
    /// costs no `stat` of its directory: that was one of ten per file of an `add`.
    shards: std::sync::Arc<AtomicU64>,
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
    /// Chunk indexes (named by their file's id), made visible after every object.
    indexes: Vec<(PathBuf, ObjectId)>,
}

impl Store {
    /// Opens the store whose `objects/` and `tmp/` sit in `pach_dir`.
    pub fn new(pach_dir: &Path) -> Self {
        Store {
            objects: pach_dir.join("objects"),
            tmp: pach_dir.join("tmp"),
            chunked: pach_dir.join("chunked"),
            blocks: pach_dir.join("cache").join("blocks"),
            shards: Default::default(),
        }
    }

    /// Returns where the object `id` lives.
    pub fn path(&self, id: &ObjectId) -> PathBuf {
        let hex = id.hex();
        self.objects.join(&hex[..2]).join(&hex[2..])
    }

    /// Returns where the chunk index of object `id` lives (when it is stored as chunks).
    pub fn index_path(&self, id: &ObjectId) -> PathBuf {
        let hex = id.hex();
        self.chunked.join(&hex[..2]).join(&hex[2..])
    }

    /// Returns the `chunked/` directory of chunk indexes.
    pub fn chunked_dir(&self) -> &Path {
        &self.chunked
    }

    /// Returns the directory of cached block chaining values.
    pub(super) fn blocks_dir(&self) -> &Path {
        &self.blocks
    }

    /// Returns the `objects/` directory.
    pub fn objects_dir(&self) -> &Path {
        &self.objects
    }

    /// Returns the `tmp/` directory.
    pub fn tmp_dir(&self) -> &Path {
        &self.tmp
    }

    /// Tells whether the object is present, whole or as chunks.
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.path(id).is_file() || self.index_path(id).is_file()
    }

    /// Tells whether the object is present as one file (a chunk, a segment, a whole blob).
    pub fn contains_whole(&self, id: &ObjectId) -> bool {
        self.path(id).is_file()
    }

    /// Reads a whole object.
    ///
    /// The bytes are checked against the id: a corrupt object is an error, never data.
    pub fn read(&self, id: &ObjectId) -> Result<Vec<u8>> {
        let path = self.path(id);
        let bytes = match fs::read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.index_path(id).is_file() => {
                let mut bytes = Vec::new();
                self.verify(id)?;
                io::Read::read_to_end(&mut self.open(id)?, &mut bytes).map_err(|source| {
                    Error::Read {
                        path: self.index_path(id),
                        source,
                    }
                })?;
                bytes
            }
            read => read.map_err(|source| match source.kind() {
                io::ErrorKind::NotFound => Error::Missing { id: *id },
                _ => Error::Read { path, source },
            })?,
        };
        let actual = ObjectId::of(&bytes);
        if actual != *id {
            return Err(Error::Mismatch { id: *id, actual });
        }
        Ok(bytes)
    }

    /// Re-hashes an object, failing if it is missing or its bytes do not match its id.
    pub fn verify(&self, id: &ObjectId) -> Result<()> {
        let path = self.path(id);
        if !path.exists() && self.index_path(id).is_file() {
            return self.verify_chunked(id);
        }
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

    /// Opens an object for streaming, whole or chunked, unverified: call [`Store::verify`]
    /// first where it matters.
    pub fn open(&self, id: &ObjectId) -> Result<super::chunked::PieceReader> {
        Ok(super::chunked::PieceReader::new(self.pieces(id)?))
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
        // Only a big file can be stored as chunks; `put_known` looks for a whole copy.
        if (bytes.len() as u64) < CHUNKED_MIN || !self.contains(&id) {
            self.put_known(&id, bytes, batch)?;
        }
        Ok(id)
    }

    /// Streams the file at `path` into the store in one pass (read once; hash and write
    /// together), returning its id and size.
    ///
    /// A file that changes while it is read is retried, then refused: the stored bytes always
    /// hash to their id, and a torn mix of two versions is never recorded under a path.
    pub fn ingest(&self, path: &Path, mode: LinkMode, batch: &Batch) -> Result<(ObjectId, u64)> {
        self.ingest_from(path, mode, batch, None)
    }

    /// [`Store::ingest`], knowing that the file was object `base` before: a big file whose
    /// earlier version is chunked is then hashed once and chunked only where it changed.
    ///
    /// Files of at least [`CHUNKED_MIN`] bytes are stored as chunks whatever `mode` says:
    /// the store never shares their inodes with the working tree.
    pub fn ingest_from(
        &self,
        path: &Path,
        mode: LinkMode,
        batch: &Batch,
        base: Option<&ObjectId>,
    ) -> Result<(ObjectId, u64)> {
        const TRIES: u32 = 3;
        for _ in 0..TRIES {
            let before = stat(path)?;
            let got = match mode {
                _ if before.0 >= CHUNKED_MIN => self.ingest_chunked(path, batch, base)?,
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
        static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
        let shard = n % 64;
        let dir = self.tmp.join(format!("{shard:02x}"));
        if self.shards.load(Ordering::Relaxed) & (1 << shard) == 0 {
            if !dir.is_dir() {
                fs::create_dir_all(&dir).map_err(|source| Error::Write {
                    path: dir.clone(),
                    source,
                })?;
            }
            self.shards.fetch_or(1 << shard, Ordering::Relaxed);
        }
        let pid = PID.get_or_init(std::process::id);
        Ok(dir.join(format!("obj-{pid}-{n}")))
    }

    pub(super) fn temp_file(&self) -> Result<(PathBuf, File)> {
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
}

impl Batch {
    pub(super) fn has(&self, id: &ObjectId) -> bool {
        self.pending
            .lock()
            .expect("no panics while locked")
            .ids
            .contains_key(id)
    }

    /// Queues the temp file of a chunk index, made visible after every object.
    pub(super) fn push_index(&self, tmp: PathBuf, id: ObjectId) {
        let mut p = self.pending.lock().expect("no panics while locked");
        if p.indexes.iter().any(|(_, i)| *i == id) {
            drop(p);
            let _ = fs::remove_file(tmp);
        } else {
            p.indexes.push((tmp, id));
        }
    }

    /// Queues a temp file; a second file with the same id is removed at once.
    pub(super) fn push(&self, tmp: PathBuf, id: ObjectId) {
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
    ///
    /// Chunk indexes move last, after a second sync: an index in `chunked/` always finds its
    /// segments and chunks durable in `objects/`.
    pub fn finish(self, store: &Store) -> Result<()> {
        let (pending, indexes) = {
            let mut p = self.pending.lock().expect("no panics while locked");
            (std::mem::take(&mut p.files), std::mem::take(&mut p.indexes))
        };
        if pending.is_empty() && indexes.is_empty() {
            return Ok(());
        }
        sync_fs(&store.tmp)?;
        store.rename_into(&pending, |id| store.path(id))?;
        if !indexes.is_empty() {
            sync_fs(&store.objects)?;
            store.rename_into(&indexes, |id| store.index_path(id))?;
        }
        sync_fs(&store.objects)
    }
}

impl Store {
    /// Renames temp files to where `dest` says, making fan-out directories as needed.
    fn rename_into(
        &self,
        files: &[(PathBuf, ObjectId)],
        dest: impl Fn(&ObjectId) -> PathBuf,
    ) -> Result<()> {
        let mut made = std::collections::HashSet::new();
        for (tmp, id) in files {
            let dest = dest(id);
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
        Ok(())
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // An abandoned batch (error, ENOSPC) leaves no partial object behind.
        if let Ok(pending) = self.pending.get_mut() {
            for (tmp, _) in pending.files.drain(..).chain(pending.indexes.drain(..)) {
                let _ = fs::remove_file(tmp);
            }
        }
    }
}

/// Removes a temp file unless disarmed.
pub(super) struct Guard(pub(super) PathBuf);

impl Guard {
    pub(super) fn disarm(self) -> PathBuf {
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
    temp_beside_at(path, temp_seq())
}

/// A number no other temp name of this process has: with [`temp_beside_at`], a caller
/// holding many temp names keeps 8 bytes for each instead of its path.
pub fn temp_seq() -> u64 {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    SEQ.fetch_add(1, Ordering::Relaxed)
}

/// The hidden name beside `path` for sequence number `n` (from [`temp_seq`]).
pub fn temp_beside_at(path: &Path, n: u64) -> PathBuf {
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
    use super::super::testutil::store;
    use super::*;

    fn temp_files(d: &tempfile::TempDir) -> usize {
        walkdir::WalkDir::new(d.path().join("tmp"))
            .into_iter()
            .filter(|e| e.as_ref().unwrap().file_type().is_file())
            .count()
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
