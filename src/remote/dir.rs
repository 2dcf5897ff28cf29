//! A directory remote: `objects/`, `refs/heads/`, `refs/tags/`, `tmp/` and a `lock` file in
//! one directory.
//!
//! Objects are copied to `tmp/`, made durable with one `syncfs`, renamed into `objects/` and
//! synced again (the local store's protocol), so an object file is always complete. A ref moves
//! under an exclusive `flock` on `lock` (released by the kernel if the process dies): read,
//! compare, write a temp file, fsync, rename.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::{Backend, Damage, Error, RefSpace, RefVersion, io_err};
use crate::progress::Progress;
use crate::store::{Batch, LinkMode, ObjectId, Store};

/// The marker file that makes a directory a pach remote. Its number is the layout version
/// that made the remote (2: with `refs/tags/`); any version is read, and a remote made as 1
/// simply gets `refs/tags/` when a tag is first pushed.
use super::MARKER;
const MARKER_TEXT: &str = "pach-remote 2\n";

/// A remote in a local (or mounted) directory.
pub struct DirRemote {
    name: String,
    root: PathBuf,
}

impl DirRemote {
    /// Returns the remote `name` at `root` (nothing is touched yet).
    pub fn new(name: &str, root: PathBuf) -> Self {
        DirRemote {
            name: name.into(),
            root,
        }
    }

    fn io(&self, path: &Path) -> impl Fn(std::io::Error) -> Error {
        io_err(&self.name, path)
    }

    /// Checks the marker; with `create`, makes a missing or empty directory a remote.
    fn ensure(&self, create: bool) -> Result<(), Error> {
        let marker = self.root.join(MARKER);
        if marker.is_file() {
            return Ok(());
        }
        let not = |reason| Error::NotARemote {
            remote: self.name.clone(),
            path: self.root.clone(),
            reason,
        };
        let empty = match fs::read_dir(&self.root) {
            Ok(mut rd) => rd.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !create {
                    return Err(not("it does not exist"));
                }
                true
            }
            Err(e) => return Err(self.io(&self.root)(e)),
        };
        if !empty {
            return Err(not("it is not empty and has no `pach-remote` file"));
        }
        if !create {
            return Err(not("it is empty"));
        }
        for sub in ["objects", "refs/heads", "refs/tags", "tmp"] {
            let d = self.root.join(sub);
            fs::create_dir_all(&d).map_err(self.io(&d))?;
        }
        fs::write(&marker, MARKER_TEXT).map_err(self.io(&marker))
    }

    fn obj_path(&self, id: &ObjectId) -> PathBuf {
        self.root.join(super::object_key(id))
    }

    fn ref_path(&self, space: RefSpace, name: &str) -> PathBuf {
        self.root.join(space.dir()).join(name)
    }

    /// Takes the remote's ref lock (released when the file is dropped, or by the kernel if
    /// the process dies).
    fn lock(&self) -> Result<File, Error> {
        let lock_path = self.root.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(self.io(&lock_path))?;
        lock.lock().map_err(self.io(&lock_path))?;
        Ok(lock)
    }

    /// Fails with [`Error::RefMoved`] unless the ref (read under the lock) is at `expected`.
    fn check_unmoved(
        &self,
        space: RefSpace,
        name: &str,
        expected: Option<&(ObjectId, RefVersion)>,
    ) -> Result<(), Error> {
        let now = self.read_ref(space, name)?;
        if now.as_ref().map(|n| n.0) != expected.map(|e| e.0) {
            return Err(Error::RefMoved {
                remote: self.name.clone(),
                branch: space.shown(name),
                expected: expected.map_or("nothing".into(), |e| e.0.short()),
                now: now.map_or("nothing".into(), |n| n.0.short()),
            });
        }
        Ok(())
    }

    fn temp(&self) -> PathBuf {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        self.root
            .join("tmp")
            .join(format!("{}-{n}", std::process::id()))
    }

    fn sync(&self) -> Result<(), Error> {
        crate::store::loose::sync_fs(&self.root).map_err(|e| Error::Store {
            remote: self.name.clone(),
            op: "sync".into(),
            cause: e.to_string(),
        })
    }
}

impl Backend for DirRemote {
    fn list_ids(&self, sub: &str) -> Result<HashSet<ObjectId>, Error> {
        match self.ensure(false) {
            // A push to a new directory starts from nothing.
            Err(Error::NotARemote {
                reason: "it does not exist" | "it is empty",
                ..
            }) => return Ok(HashSet::new()),
            r => r?,
        }
        let dir = self.root.join(sub);
        if !dir.exists() && sub != "objects" {
            return Ok(HashSet::new()); // a remote of layout 2 or older has no chunked files
        }
        let fans: Vec<_> = fs::read_dir(&dir)
            .map_err(self.io(&dir))?
            .filter_map(|e| e.ok())
            .collect();
        let sets = fans
            .par_iter()
            .map(|fan| {
                let fan_name = fan.file_name().to_string_lossy().into_owned();
                let mut out = Vec::new();
                for e in fs::read_dir(fan.path()).map_err(self.io(&fan.path()))? {
                    let e = e.map_err(self.io(&fan.path()))?;
                    if let Some(id) =
                        super::id_from_parts(&fan_name, &e.file_name().to_string_lossy())
                    {
                        out.push(id);
                    }
                }
                Ok(out)
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(sets.into_iter().flatten().collect())
    }

    fn put_objects(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        p: &dyn Progress,
    ) -> Result<(), Error> {
        self.ensure(true)?;
        let tmp_dir = self.root.join("tmp");
        fs::create_dir_all(&tmp_dir).map_err(self.io(&tmp_dir))?;
        // Copy everything to tmp/ first, hashing what is copied: nothing is visible until it
        // is complete, verified and durable.
        let copied: Vec<Result<(ObjectId, PathBuf), Error>> = items
            .par_iter()
            .map(|(id, src, size)| {
                let tmp = self.temp();
                let copied = File::open(src)
                    .map_err(io_err(&self.name, src))
                    .and_then(|mut r| {
                        let mut w = File::create(&tmp).map_err(self.io(&tmp))?;
                        super::copy_verified(&self.name, id, &mut r, &mut w)
                            .map_err(self.io(&tmp))?
                    });
                if let Err(e) = copied {
                    let _ = fs::remove_file(&tmp);
                    return Err(e);
                }
                p.advance(*size);
                Ok((*id, tmp))
            })
            .collect();
        if copied.iter().any(|c| c.is_err()) {
            let mut first = None;
            for c in copied {
                match c {
                    Ok((_, tmp)) => {
                        let _ = fs::remove_file(tmp);
                    }
                    Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
            return Err(first.expect("one copy failed"));
        }
        let copied: Vec<(ObjectId, PathBuf)> = copied.into_iter().flatten().collect();
        self.sync()?;
        let mut made = HashSet::new();
        for (id, tmp) in &copied {
            let dest = self.obj_path(id);
            let fan = dest.parent().expect("object paths have a fan directory");
            if made.insert(fan.to_owned()) {
                fs::create_dir_all(fan).map_err(self.io(fan))?;
            }
            fs::rename(tmp, &dest).map_err(self.io(&dest))?;
        }
        self.sync()
    }

    fn put_files(&self, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
        self.ensure(true)?;
        let mut placed = Vec::new();
        for (rel, bytes) in files {
            let tmp = self.temp();
            let write = || -> std::io::Result<()> {
                let mut f = File::create(&tmp)?;
                f.write_all(bytes)?;
                f.sync_data()
            };
            if let Err(e) = write() {
                let _ = fs::remove_file(&tmp);
                return Err(self.io(&tmp)(e));
            }
            placed.push((tmp, self.root.join(rel)));
        }
        for (tmp, dest) in &placed {
            let dir = dest.parent().expect("files sit in the remote");
            fs::create_dir_all(dir).map_err(self.io(dir))?;
            fs::rename(tmp, dest).map_err(self.io(dest))?;
        }
        self.sync()
    }

    fn get_files(&self, rels: &[String]) -> Result<Vec<Option<Vec<u8>>>, Error> {
        rels.iter()
            .map(|rel| {
                let path = self.root.join(rel);
                match fs::read(&path) {
                    Ok(b) => Ok(Some(b)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(self.io(&path)(e)),
                }
            })
            .collect()
    }

    fn delete_files(&self, rels: &[String]) -> Result<(), Error> {
        for rel in rels {
            let path = self.root.join(rel);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(self.io(&path)(e));
                }
                _ => {}
            }
        }
        self.sync()
    }

    fn list_names(&self, dir: &str) -> Result<Vec<String>, Error> {
        let path = self.root.join(dir);
        let rd = match fs::read_dir(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            r => r.map_err(self.io(&path))?,
        };
        let mut out = Vec::new();
        for e in rd {
            let e = e.map_err(self.io(&path))?;
            out.push(e.file_name().to_string_lossy().into_owned());
        }
        Ok(out)
    }

    fn get_ranges(&self, rel: &str, ranges: &[Range<u64>]) -> Result<Vec<Vec<u8>>, Error> {
        use std::os::unix::fs::FileExt;
        let path = self.root.join(rel);
        let f = match File::open(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::NoKey {
                    remote: self.name.clone(),
                    key: rel.into(),
                });
            }
            r => r.map_err(self.io(&path))?,
        };
        ranges
            .iter()
            .map(|r| {
                let mut buf = vec![0u8; (r.end - r.start) as usize];
                let mut got = 0;
                while got < buf.len() {
                    match f.read_at(&mut buf[got..], r.start + got as u64) {
                        Ok(0) => break, // past the end: short, the caller sees it
                        Ok(n) => got += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(self.io(&path)(e)),
                    }
                }
                buf.truncate(got);
                Ok(buf)
            })
            .collect()
    }

    fn check_objects(
        &self,
        ids: &[ObjectId],
        p: &dyn Progress,
    ) -> Result<Vec<(ObjectId, Damage)>, Error> {
        let checked = ids
            .par_iter()
            .map(|id| {
                let path = self.obj_path(id);
                let got = match crate::store::loose::hash_file(&path) {
                    Ok((h, size)) => {
                        p.advance(size);
                        let actual = ObjectId::from_hash(h);
                        (actual != *id).then_some(Damage::Corrupt(actual))
                    }
                    Err(_) if !path.exists() => Some(Damage::Missing),
                    Err(e) => {
                        return Err(Error::Store {
                            remote: self.name.clone(),
                            op: format!("reading object {id}"),
                            cause: e.to_string(),
                        });
                    }
                };
                Ok(got.map(|d| (*id, d)))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(checked.into_iter().flatten().collect())
    }

    fn get_small(&self, ids: &[ObjectId]) -> Result<Vec<(ObjectId, Vec<u8>)>, Error> {
        ids.par_iter()
            .map(|id| {
                let path = self.obj_path(id);
                let bytes = fs::read(&path).map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => Error::Missing {
                        remote: self.name.clone(),
                        id: *id,
                    },
                    _ => self.io(&path)(e),
                })?;
                super::verify(&self.name, id, &bytes)?;
                Ok((*id, bytes))
            })
            .collect()
    }

    fn get_into(
        &self,
        items: &[(ObjectId, u64)],
        store: &Store,
        batch: &Batch,
        p: &dyn Progress,
    ) -> Result<(), Error> {
        items.par_iter().try_for_each(|(id, size)| {
            let path = self.obj_path(id);
            if !path.is_file() {
                return Err(Error::Missing {
                    remote: self.name.clone(),
                    id: *id,
                });
            }
            // The copy is hashed on the way in; a mismatch fails the whole fetch and the
            // dropped batch removes every temp file, so nothing corrupt is ever stored.
            let (actual, _) =
                store
                    .ingest(&path, LinkMode::Copy, batch)
                    .map_err(|e| Error::Store {
                        remote: self.name.clone(),
                        op: format!("copying object {id}"),
                        cause: e.to_string(),
                    })?;
            if actual != *id {
                return Err(Error::Corrupt {
                    remote: self.name.clone(),
                    id: *id,
                    actual,
                });
            }
            p.advance(*size);
            Ok(())
        })
    }

    fn list_refs(&self, space: RefSpace) -> Result<Vec<(String, ObjectId)>, Error> {
        self.ensure(false)?;
        let dir = self.root.join(space.dir());
        if space == RefSpace::Tags && !dir.exists() {
            return Ok(Vec::new()); // a remote of layout 1, or one never given a tag
        }
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(&dir).min_depth(1) {
            let e = e.map_err(|e| self.io(&dir)(e.into()))?;
            if !e.file_type().is_file() {
                continue;
            }
            let name = e
                .path()
                .strip_prefix(&dir)
                .expect("walk stays under its root")
                .to_string_lossy()
                .into_owned();
            if name.ends_with(".tmp") || name.contains("/.") || name.starts_with('.') {
                continue;
            }
            let text = fs::read(e.path()).map_err(self.io(e.path()))?;
            out.push((name.clone(), super::parse_ref(&self.name, &name, &text)?));
        }
        out.sort();
        Ok(out)
    }

    fn read_ref(
        &self,
        space: RefSpace,
        name: &str,
    ) -> Result<Option<(ObjectId, RefVersion)>, Error> {
        let path = self.ref_path(space, name);
        match fs::read(&path) {
            Ok(t) => Ok(Some((
                super::parse_ref(&self.name, name, &t)?,
                RefVersion(None),
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.io(&path)(e)),
        }
    }

    fn swap_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: Option<&(ObjectId, RefVersion)>,
        new: ObjectId,
    ) -> Result<(), Error> {
        self.ensure(true)?;
        let lock = self.lock()?;
        self.check_unmoved(space, name, expected)?;
        let path = self.ref_path(space, name);
        let dir = path.parent().expect("a ref has a directory");
        fs::create_dir_all(dir).map_err(self.io(dir))?;
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            path.file_name()
                .map_or("ref".into(), |n| n.to_string_lossy()),
            std::process::id()
        ));
        let mut f = File::create(&tmp).map_err(self.io(&tmp))?;
        f.write_all(format!("{}\n", new.hex()).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(self.io(&tmp))?;
        fs::rename(&tmp, &path).map_err(self.io(&path))?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(self.io(dir))?;
        drop(lock);
        Ok(())
    }

    fn delete_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: &(ObjectId, RefVersion),
    ) -> Result<(), Error> {
        self.ensure(false)?;
        let lock = self.lock()?;
        self.check_unmoved(space, name, Some(expected))?;
        let path = self.ref_path(space, name);
        fs::remove_file(&path).map_err(self.io(&path))?;
        let top = self.root.join(space.dir());
        let mut dir = path.parent().expect("a ref has a directory").to_owned();
        File::open(&dir)
            .and_then(|d| d.sync_all())
            .map_err(self.io(&dir))?;
        // Empty directories of a nested name (`a/b`) go too, so a ref `a` can be made later.
        while dir != top && dir.starts_with(&top) && fs::remove_dir(&dir).is_ok() {
            dir.pop();
        }
        drop(lock);
        Ok(())
    }
}
