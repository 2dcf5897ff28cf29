//! The packing layer over a transport (remote layouts 4 and 5): pushes put small objects
//! into packs ([`super::packs`]), fetches read objects from packs by byte ranges, and
//! everything else (loose objects of any layout, chunk indexes, refs) passes through to the
//! transport. So a remote written by an older pach, or with `layout = 3`, reads as before,
//! and one holding both loose objects and packs reads both.
//!
//! Which objects are in packs is known from the pack indexes ([`map`]): one listing of
//! `packs/`, then every index file (one per push on layout 5, one per pack on layout 4),
//! read once per command and kept in memory (44 bytes an object). An object listed in two
//! packs (a repair re-uploads a damaged one) is read from the first that verifies, then
//! from a loose copy, so a damaged copy never hides a good one ([`read`]).

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

mod gc;
mod map;
mod read;
pub use gc::GcView;
pub use map::IndexFile;

use super::midx::{self, Loc, MultiIndex};
use super::packs::{self, Builder, PACKED_MAX, PackIndex};
use super::{Backend, Damage, Error, PACK_LAYOUT, RefSpace, RefVersion, local_check};
use crate::progress::Progress;
use crate::store::{Batch, ObjectId, Store};
use map::Map;
use read::Got;

/// Packs uploading at once while the next one is built.
const UPLOADERS: usize = 2;

/// A transport with packs: see the module documentation.
pub struct Packed {
    name: String,
    inner: Box<dyn Backend>,
    /// The layout pushes write: 3 keeps small objects loose, 4 packs them with an index
    /// per pack, 5 with one multi-pack index per push.
    writes: u32,
    map: Mutex<Option<Arc<Map>>>,
}

impl Packed {
    /// A packing layer over `inner` whose pushes write layout `writes` (3 to [`PACK_LAYOUT`]).
    pub fn new(name: &str, inner: Box<dyn Backend>, writes: u32) -> Self {
        Packed {
            name: name.into(),
            inner,
            writes,
            map: Mutex::new(None),
        }
    }

    fn bad_pack(&self, pack: &ObjectId, reason: impl Into<String>) -> Error {
        Error::BadPack {
            remote: self.name.clone(),
            pack: pack.hex(),
            reason: reason.into(),
        }
    }

    /// The pack indexes, read on first use: a bad index fails the command naming it.
    fn map(&self) -> Result<Arc<Map>, Error> {
        let mut held = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(m) = &*held {
            return Ok(m.clone());
        }
        let m = Arc::new(self.read_map()?);
        *held = Some(m.clone());
        Ok(m)
    }

    /// Forgets the map: this command may read what it just wrote or deleted.
    fn forget_map(&self) {
        *self.map.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Splits `ids` into those in packs and the rest.
    fn split<'a, T>(
        &self,
        m: &Map,
        items: &'a [T],
        id: impl Fn(&T) -> ObjectId,
    ) -> (Vec<ObjectId>, Vec<&'a T>) {
        let (mut packed, mut loose) = (Vec::new(), Vec::new());
        for it in items {
            match m.contains(&id(it)) {
                true => packed.push(id(it)),
                false => loose.push(it),
            }
        }
        (packed, loose)
    }

    /// Packs `items` in their order and uploads the packs, then the index that makes them
    /// visible (layout 5: one for all of them; layout 4: one per pack, in order when
    /// `ordered`): nothing is visible before every pack it needs is complete on the remote.
    fn put_packed(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        ordered: bool,
        p: &dyn Progress,
    ) -> Result<(), Error> {
        let mut sealed: Vec<PackIndex> = Vec::new();
        let (tx, rx) = sync_channel::<(ObjectId, Vec<u8>)>(1);
        let rx = Mutex::new(rx);
        std::thread::scope(|s| {
            let uploaders: Vec<_> = (0..UPLOADERS)
                .map(|_| {
                    s.spawn(|| -> Result<(), Error> {
                        loop {
                            let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                            let Ok((pack, bytes)) = next else {
                                return Ok(());
                            };
                            self.inner.put_files(&[(packs::pack_key(&pack), bytes)])?;
                        }
                    })
                })
                .collect();
            let built = (|| -> Result<(), Error> {
                let mut b = Builder::default();
                let mut seal = |b: Builder| {
                    let (bytes, idx) = b.seal();
                    let sent = tx.send((idx.pack, bytes)).is_ok();
                    sealed.push(idx);
                    sent // false: an uploader failed; its error is reported below
                };
                for group in items.chunks(512) {
                    let read: Vec<Result<Vec<u8>, Error>> = group
                        .par_iter()
                        .map(|(id, path, _)| {
                            let bytes = std::fs::read(path).map_err(|e| match e.kind() {
                                std::io::ErrorKind::NotFound => Error::LocalMissing { id: *id },
                                _ => super::io_err(&self.name, path)(e),
                            })?;
                            local_check(&self.name, id, blake3::hash(&bytes))?;
                            Ok(bytes)
                        })
                        .collect();
                    for ((id, _, size), bytes) in group.iter().zip(read) {
                        b.add(*id, &bytes?);
                        p.advance(*size);
                        if b.full() && !seal(std::mem::take(&mut b)) {
                            return Ok(());
                        }
                    }
                }
                if !b.is_empty() {
                    seal(b);
                }
                Ok(())
            })();
            drop(tx);
            let uploaded = uploaders.into_iter().try_for_each(|u| {
                u.join().unwrap_or_else(|_| {
                    Err(Error::Store {
                        remote: self.name.clone(),
                        op: "uploading a pack".into(),
                        cause: "an upload thread panicked".into(),
                    })
                })
            });
            built.and(uploaded)
        })?;
        // The indexes make the packs' objects visible: only now that every pack is complete.
        if self.writes >= 5 {
            // One index for the whole batch: everything in it appears at once.
            if !sealed.is_empty() {
                let (id, bytes) = MultiIndex::of(&sealed).encode();
                self.inner.put_files(&[(midx::key(&id), bytes)])?;
            }
        } else {
            // Layout 4: an index per pack, one after another when the order matters.
            let files: Vec<(String, Vec<u8>)> = sealed
                .iter()
                .map(|i| (packs::index_key(&i.pack), i.encode()))
                .collect();
            if ordered {
                for f in &files {
                    self.inner.put_files(std::slice::from_ref(f))?;
                }
            } else if !files.is_empty() {
                self.inner.put_files(&files)?;
            }
        }
        self.forget_map();
        Ok(())
    }
}

impl Backend for Packed {
    /// What a pusher may count on: files a remote gc condemned are left out (see
    /// [`gc`]), and a packed object counts when a pack not condemned holds it.
    fn list_ids(&self, dir: &str) -> Result<HashSet<ObjectId>, Error> {
        let mut ids = self.inner.list_ids(dir)?;
        let c = self.condemned()?;
        match dir {
            "objects" => {
                ids.retain(|id| !c.objects.contains(id));
                let m = self.map()?;
                let kept = |l: &Loc| !c.packs.contains(&m.packs[l.pack as usize]);
                for (id, loc) in m.iter() {
                    if kept(loc) || m.dups(id).iter().any(kept) {
                        ids.insert(*id);
                    }
                }
            }
            "chunked" => ids.retain(|id| !c.chunked.contains(id)),
            _ => {}
        }
        Ok(ids)
    }

    fn gc_view(&self) -> Result<GcView, Error> {
        self.view()
    }

    fn delete_files(&self, rels: &[String]) -> Result<(), Error> {
        let r = self.inner.delete_files(rels);
        self.forget_map();
        r
    }

    fn put_files(&self, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
        let r = self.inner.put_files(files);
        self.forget_map(); // a gc's rewritten index, say
        r
    }

    fn get_files(&self, rels: &[String]) -> Result<Vec<Option<Vec<u8>>>, Error> {
        self.inner.get_files(rels)
    }

    fn list_names(&self, dir: &str) -> Result<Vec<String>, Error> {
        self.inner.list_names(dir)
    }

    fn get_ranges(&self, rel: &str, ranges: &[Range<u64>]) -> Result<Vec<Vec<u8>>, Error> {
        self.inner.get_ranges(rel, ranges)
    }

    fn put_objects(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        p: &dyn Progress,
    ) -> Result<(), Error> {
        if self.writes < 4 {
            return self.inner.put_objects(items, p);
        }
        if items.is_empty() {
            return Ok(());
        }
        let (small, large): (Vec<_>, Vec<_>) =
            items.iter().cloned().partition(|i| i.2 <= PACKED_MAX);
        if !large.is_empty() {
            self.inner.put_objects(&large, p)?;
        }
        self.put_packed(&small, false, p)
    }

    fn put_ordered(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        p: &dyn Progress,
    ) -> Result<(), Error> {
        if self.writes < 4 || items.iter().any(|i| i.2 > PACKED_MAX) {
            return self.inner.put_ordered(items, p);
        }
        if items.is_empty() {
            return Ok(());
        }
        self.put_packed(items, true, p)
    }

    fn writes_layout(&self) -> u32 {
        self.writes.min(PACK_LAYOUT)
    }

    fn check_objects(
        &self,
        ids: &[ObjectId],
        p: &dyn Progress,
    ) -> Result<Vec<(ObjectId, Damage)>, Error> {
        let m = self.map()?;
        let (packed, loose) = self.split(&m, ids, |id| *id);
        let loose: Vec<ObjectId> = loose.into_iter().copied().collect();
        let mut bad = self.inner.check_objects(&loose, p)?;
        let found = Mutex::new(Vec::new());
        self.read_packed(&m, &packed, &|id, got| {
            match got {
                Got::Bytes(b) => p.advance(b.len() as u64),
                Got::Bad(d, _) => found
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((id, d)),
            }
            Ok(())
        })?;
        bad.extend(found.into_inner().unwrap_or_else(PoisonError::into_inner));
        Ok(bad)
    }

    fn get_small(&self, ids: &[ObjectId]) -> Result<Vec<(ObjectId, Vec<u8>)>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new()); // without reading the indexes
        }
        let m = self.map()?;
        let (packed, loose) = self.split(&m, ids, |id| *id);
        let loose: Vec<ObjectId> = loose.into_iter().copied().collect();
        let mut out = match loose.is_empty() {
            true => Vec::new(),
            false => self.inner.get_small(&loose)?,
        };
        let got = Mutex::new(Vec::new());
        self.read_packed(&m, &packed, &|id, g| match g {
            Got::Bytes(b) => {
                got.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((id, b));
                Ok(())
            }
            Got::Bad(_, e) => Err(e),
        })?;
        out.extend(got.into_inner().unwrap_or_else(PoisonError::into_inner));
        Ok(out)
    }

    fn fetch_order(&self, items: &mut [(ObjectId, u64)]) -> Result<(), Error> {
        if items.is_empty() {
            return Ok(()); // no reason to read the indexes
        }
        let m = self.map()?;
        // Loose objects last.
        items.sort_by_cached_key(|(id, _)| m.get(id).map_or((u32::MAX, 0), |l| (l.pack, l.offset)));
        Ok(())
    }

    fn release(&self) {
        self.forget_map();
    }

    fn get_each(&self, ids: &[ObjectId], each: super::Each) -> Result<(), Error> {
        if ids.is_empty() {
            return Ok(());
        }
        let m = self.map()?;
        let (packed, loose) = self.split(&m, ids, |id| *id);
        let loose: Vec<ObjectId> = loose.into_iter().copied().collect();
        self.inner.get_each(&loose, each)?;
        self.read_packed(&m, &packed, &|id, g| match g {
            Got::Bytes(b) => each(id, b),
            Got::Bad(_, e) => Err(e),
        })
    }

    fn get_into(
        &self,
        items: &[(ObjectId, u64)],
        store: &Store,
        batch: &Batch,
        p: &dyn Progress,
    ) -> Result<(), Error> {
        if items.is_empty() {
            return Ok(());
        }
        let m = self.map()?;
        let (packed, loose) = self.split(&m, items, |i| i.0);
        let loose: Vec<(ObjectId, u64)> = loose.into_iter().copied().collect();
        if !loose.is_empty() {
            self.inner.get_into(&loose, store, batch, p)?;
        }
        self.read_packed(&m, &packed, &|id, g| match g {
            Got::Bytes(b) => {
                store.put_bytes(&b, batch).map_err(|e| Error::Store {
                    remote: self.name.clone(),
                    op: format!("storing object {id}"),
                    cause: e.to_string(),
                })?;
                p.advance(b.len() as u64);
                Ok(())
            }
            Got::Bad(_, e) => Err(e),
        })
    }

    fn list_refs(&self, space: RefSpace) -> Result<Vec<(String, ObjectId)>, Error> {
        self.inner.list_refs(space)
    }

    fn read_ref(
        &self,
        space: RefSpace,
        name: &str,
    ) -> Result<Option<(ObjectId, RefVersion)>, Error> {
        self.inner.read_ref(space, name)
    }

    fn swap_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: Option<&(ObjectId, RefVersion)>,
        new: ObjectId,
    ) -> Result<(), Error> {
        self.inner.swap_ref(space, name, expected, new)
    }

    fn delete_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: &(ObjectId, RefVersion),
    ) -> Result<(), Error> {
        self.inner.delete_ref(space, name, expected)
    }
}
