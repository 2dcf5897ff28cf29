//! Purge records (`.pach/purges/<purge id>`) and erasing a purged object's bytes.
//!
//! A purge record says which objects were erased, why, by whom and when. It lives outside
//! `objects/`, whose files always hold bytes matching their names; its name is the hash of
//! its canonical bytes, like an object's. What does not live here: deciding what to purge
//! and what else still needs a piece (`repo::purge`, `ops::purge`).

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::codec::{Author, Structured};
use super::{Error, ObjectId, Result, Store};

/// One purge: the objects it erased and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeRecord {
    /// The purged objects, sorted by id, each once.
    pub objects: Vec<PurgedObject>,
    pub reason: String,
    pub author: Author,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
}

/// An object a purge erased, with the size its bytes had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgedObject {
    pub id: ObjectId,
    pub size: u64,
}

impl Structured for PurgeRecord {
    const KIND: &'static str = "purge record";
    const HEADER: &'static [u8] = b"pach-purge 1\n";

    /// Objects are strictly sorted by id, there is at least one, and the reason is not empty.
    fn check(&self) -> std::result::Result<(), (Option<String>, String)> {
        if self.objects.is_empty() {
            return Err((None, "it names no object".into()));
        }
        if self.reason.trim().is_empty() {
            return Err((None, "its reason is empty".into()));
        }
        if self.objects.windows(2).any(|w| w[0].id >= w[1].id) {
            return Err((None, "its objects are not strictly sorted by id".into()));
        }
        Ok(())
    }
}

/// What erasing purged objects removed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Erased {
    /// Purged objects whose bytes (whole, or chunk index) were still here and are gone now.
    pub objects: usize,
    /// Files removed: whole objects, chunk indexes, chunks and segments.
    pub files: usize,
    pub bytes: u64,
    /// Chunks and segments of purged files kept because another file still uses them.
    pub shared_kept: usize,
}

impl Store {
    /// Returns the `purges/` directory beside `objects/`.
    pub fn purges_dir(&self) -> PathBuf {
        self.objects_dir().with_file_name("purges")
    }

    /// Stores a purge record durably (temp file, `fsync`, rename, `fsync` of the directory)
    /// and returns its id; storing one already there changes nothing.
    pub fn write_purge(&self, record: &PurgeRecord) -> Result<ObjectId> {
        let bytes = record.encode();
        let id = ObjectId::of(&bytes);
        let dir = self.purges_dir();
        let path = dir.join(id.hex());
        if path.is_file() {
            return Ok(id);
        }
        let write = |p: &Path| {
            let p = p.to_owned();
            move |source| Error::Write { path: p, source }
        };
        fs::create_dir_all(&dir).map_err(write(&dir))?;
        let tmp = dir.join(format!(".tmp-{}", id.hex()));
        let mut f = fs::File::create(&tmp).map_err(write(&tmp))?;
        f.write_all(&bytes).map_err(write(&tmp))?;
        f.sync_all().map_err(write(&tmp))?;
        fs::rename(&tmp, &path).map_err(write(&path))?;
        fs::File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(write(&dir))?;
        Ok(id)
    }

    /// Reads every purge record, oldest first (ties by id). No `purges/` directory means
    /// no purges (every repository from before format version 3). A record whose bytes do
    /// not hash to its name, or that is not canonical, is an error naming it.
    pub fn purges(&self) -> Result<Vec<(ObjectId, PurgeRecord)>> {
        let dir = self.purges_dir();
        let entries = match fs::read_dir(&dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            r => r.map_err(|source| Error::Read {
                path: dir.clone(),
                source,
            })?,
        };
        let mut out = Vec::new();
        for e in entries {
            let e = e.map_err(|source| Error::Read {
                path: dir.clone(),
                source,
            })?;
            let Some(id) = e.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue; // a temp file of a write in progress, or a stranger
            };
            let bytes = fs::read(e.path()).map_err(|source| Error::Read {
                path: e.path(),
                source,
            })?;
            let actual = ObjectId::of(&bytes);
            if actual != id {
                return Err(Error::Mismatch { id, actual });
            }
            let record =
                PurgeRecord::decode(&bytes).map_err(|source| Error::Corrupt { id, source })?;
            out.push((id, record));
        }
        out.sort_by_key(|(id, rec)| (rec.time, *id));
        Ok(out)
    }

    /// Erases the bytes of objects `ids`: for a chunked one, first its chunks, then its
    /// segments, then its index (so a purge killed half-way can be finished from the index
    /// still there), except the pieces `keep` names or any chunk index of an object not in
    /// `ids` uses; then the whole object and its cached block hashes. Flushes at the end.
    pub fn erase(
        &self,
        ids: &HashSet<ObjectId>,
        keep: &dyn Fn(&ObjectId) -> bool,
    ) -> Result<Erased> {
        let mut out = Erased::default();
        let chunked: Vec<ObjectId> = ids
            .iter()
            .filter(|id| self.index_path(id).is_file())
            .copied()
            .collect();
        let used = if chunked.is_empty() {
            HashSet::new()
        } else {
            self.pieces_used_except(ids)?
        };
        for id in ids {
            let mut found = false;
            if chunked.contains(id) {
                let index = self.chunk_index(id)?;
                let chunks = self.chunks_left(&index)?;
                let pieces = chunks
                    .into_iter()
                    .chain(index.segments.iter().map(|s| s.id));
                let mut done = HashSet::new();
                for p in pieces {
                    if !done.insert(p) {
                        continue;
                    }
                    if used.contains(&p) || keep(&p) {
                        out.shared_kept += 1;
                    } else {
                        self.remove(&self.path(&p), &mut out)?;
                    }
                }
                found |= self.remove(&self.index_path(id), &mut out)?;
            }
            found |= self.remove(&self.path(id), &mut out)?;
            let _ = fs::remove_file(self.blocks_dir().join(id.hex()));
            out.objects += usize::from(found);
        }
        if out.files > 0 {
            super::loose::sync_fs(self.objects_dir())?;
        }
        Ok(out)
    }

    /// Returns the segments and chunks that the chunk index of any object not in `except`
    /// uses (an unreadable index or segment is an error: erasing then could take a piece
    /// another file needs).
    fn pieces_used_except(&self, except: &HashSet<ObjectId>) -> Result<HashSet<ObjectId>> {
        let mut used = HashSet::new();
        let dir = self.chunked_dir();
        let Ok(fans) = fs::read_dir(dir) else {
            return Ok(used);
        };
        for fan in fans.flatten() {
            let Ok(files) = fs::read_dir(fan.path()) else {
                continue;
            };
            for f in files.flatten() {
                let name = format!(
                    "{}{}",
                    fan.file_name().to_string_lossy(),
                    f.file_name().to_string_lossy()
                );
                let Ok(id) = name.parse::<ObjectId>() else {
                    continue;
                };
                if except.contains(&id) {
                    continue;
                }
                let index = self.chunk_index(&id)?;
                used.extend(index.segments.iter().map(|s| s.id));
                used.extend(self.chunks_in(&index)?.iter().map(|c| c.id));
            }
        }
        Ok(used)
    }

    /// Returns the chunks that the segments of `index` still here list. A segment already
    /// gone was deleted by an interrupted erase after all of its chunks were.
    fn chunks_left(&self, index: &super::chunk::ChunkIndex) -> Result<Vec<ObjectId>> {
        let mut out = Vec::new();
        for seg in &index.segments {
            let bytes = match self.read(&seg.id) {
                Err(Error::Missing { .. }) => continue,
                r => r?,
            };
            let chunks = super::chunk::decode_segment(&bytes).map_err(|source| Error::BadList {
                id: index.file,
                source,
            })?;
            out.extend(chunks.iter().map(|c| c.id));
        }
        Ok(out)
    }

    /// Removes one store file, counting it; tells whether it was there.
    fn remove(&self, path: &Path, out: &mut Erased) -> Result<bool> {
        let len = match fs::symlink_metadata(path) {
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
            Err(source) => {
                return Err(Error::Read {
                    path: path.into(),
                    source,
                });
            }
        };
        match fs::remove_file(path) {
            Ok(()) => {
                out.files += 1;
                out.bytes += len;
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(Error::Write {
                path: path.into(),
                source,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{noise, store};
    use super::super::{Batch, LinkMode};
    use super::*;

    fn add(s: &Store, dir: &Path, bytes: &[u8]) -> ObjectId {
        let f = dir.join("f");
        fs::write(&f, bytes).unwrap();
        let batch = Batch::default();
        let (id, _) = s.ingest(&f, LinkMode::Copy, &batch).unwrap();
        batch.finish(s).unwrap();
        id
    }

    /// Erasing a chunked file keeps the chunks another file shares, and an erase that
    /// stopped after some chunks and segments went is finished by the next one.
    #[test]
    fn erase_keeps_shared_chunks_and_finishes_what_an_interrupted_erase_left() {
        let (d, s) = store();
        let a_bytes = noise(20 << 20, 7);
        let mut b_bytes = a_bytes[..10 << 20].to_vec();
        b_bytes.extend(noise(10 << 20, 8));
        let a = add(&s, d.path(), &a_bytes);
        let b = add(&s, d.path(), &b_bytes);
        assert!(s.is_chunked(&a) && s.is_chunked(&b));
        let index = s.chunk_index(&a).unwrap();
        let a_chunks: Vec<ObjectId> = s.chunks_in(&index).unwrap().iter().map(|c| c.id).collect();
        let b_chunks: HashSet<ObjectId> = s.chunks_of(&b).unwrap().iter().map(|c| c.id).collect();
        // As if killed after deleting every chunk of a's own and its first segment.
        let own: Vec<&ObjectId> = a_chunks.iter().filter(|c| !b_chunks.contains(c)).collect();
        assert!(!own.is_empty() && own.len() < a_chunks.len());
        for c in own {
            let _ = fs::remove_file(s.path(c));
        }
        let b_segs: HashSet<ObjectId> = (s.chunk_index(&b).unwrap().segments.iter())
            .map(|seg| seg.id)
            .collect();
        let seg = index.segments.iter().find(|seg| !b_segs.contains(&seg.id));
        fs::remove_file(s.path(&seg.unwrap().id)).unwrap();
        let ids: HashSet<ObjectId> = [a].into();
        let out = s.erase(&ids, &|_| false).unwrap();
        assert_eq!(out.objects, 1);
        assert!(!s.contains(&a) && !s.index_path(&a).exists());
        for c in &a_chunks {
            assert_eq!(s.contains_whole(c), b_chunks.contains(c), "chunk {c}");
        }
        for seg in &index.segments {
            assert_eq!(s.contains_whole(&seg.id), b_segs.contains(&seg.id));
        }
        assert_eq!(s.read(&b).unwrap(), b_bytes);
        let again = s.erase(&ids, &|_| false).unwrap();
        assert_eq!((again.objects, again.files), (0, 0));
    }

    fn record(ids: &[ObjectId]) -> PurgeRecord {
        let mut objects: Vec<PurgedObject> = ids
            .iter()
            .map(|id| PurgedObject { id: *id, size: 1 })
            .collect();
        objects.sort_by_key(|o| o.id);
        PurgeRecord {
            objects,
            reason: "personal data".into(),
            author: Author {
                name: "Ada".into(),
                email: "ada@example.com".into(),
            },
            time: 1_700_000_000,
        }
    }

    #[test]
    fn records_round_trip_named_by_their_hash_and_a_bad_one_is_refused() {
        let (_d, s) = store();
        assert!(
            s.purges().unwrap().is_empty(),
            "no purges/ directory: no purges"
        );
        let rec = record(&[ObjectId::of(b"a"), ObjectId::of(b"b")]);
        let id = s.write_purge(&rec).unwrap();
        assert_eq!(s.write_purge(&rec).unwrap(), id);
        assert_eq!(s.purges().unwrap(), vec![(id, rec.clone())]);
        let bytes = fs::read(s.purges_dir().join(id.hex())).unwrap();
        assert!(bytes.starts_with(b"pach-purge 1\n{\"objects\":[{\"id\":\""));
        let mut unsorted = rec.clone();
        unsorted.objects.reverse();
        assert!(PurgeRecord::decode(&unsorted.encode()).is_err());
        fs::write(s.purges_dir().join(ObjectId::of(b"x").hex()), b"y").unwrap();
        assert!(matches!(s.purges(), Err(Error::Mismatch { .. })));
    }
}
