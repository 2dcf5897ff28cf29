//! The packing layer over a transport (remote layout 4): pushes put small objects into packs
//! ([`super::packs`]), fetches read objects from packs by byte ranges, and everything else
//! (loose objects of any layout, chunk indexes, refs) passes through to the transport. So a
//! remote written by an older pach, or with `layout = 3`, reads as before, and one holding
//! both loose objects and packs reads both.
//!
//! Which objects are in packs is known from the pack indexes: one listing of `packs/`, then
//! every index file, read once per command and kept in memory (about 100 bytes an object).
//! An object listed in two packs (a repair re-uploads a damaged one) is read from the first
//! that verifies, then from a loose copy, so a damaged copy never hides a good one.

use std::collections::hash_map::Entry as Slot;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

mod gc;
pub use gc::GcView;

use super::packs::{self, Builder, PACKED_MAX, PackIndex};
use super::{Backend, Damage, Error, LAYOUT, RefSpace, RefVersion, local_check};
use crate::progress::Progress;
use crate::store::{Batch, ObjectId, Store};

/// Wanted objects of one pack less than this far apart are read with one ranged read.
const GAP: u64 = 256 << 10;
/// The most bytes one ranged read asks for.
const SPAN: u64 = 16 << 20;
/// Ranged reads in flight (each holds at most [`SPAN`] bytes).
const READERS: usize = 8;
/// Packs uploading at once while the next one is built.
const UPLOADERS: usize = 2;

#[derive(Clone, Copy, Debug)]
struct Loc {
    pack: u32,
    offset: u64,
    len: u64,
}

/// Where each packed object is.
#[derive(Default)]
struct Map {
    packs: Vec<ObjectId>,
    locs: HashMap<ObjectId, Loc>,
    /// Further copies of objects listed in more than one pack.
    dups: HashMap<ObjectId, Vec<Loc>>,
}

impl Map {
    fn add(&mut self, idx: &PackIndex) {
        let pack = self.packs.len() as u32;
        self.packs.push(idx.pack);
        for e in &idx.entries {
            let loc = Loc {
                pack,
                offset: e.offset,
                len: e.len,
            };
            match self.locs.entry(e.id) {
                Slot::Vacant(v) => {
                    v.insert(loc);
                }
                Slot::Occupied(_) => self.dups.entry(e.id).or_default().push(loc),
            }
        }
    }
}

/// One ranged read: a pack, the bytes to read, and the objects in them.
type Span = (u32, Range<u64>, Vec<(ObjectId, Loc)>);

/// What reading one packed object gave.
enum Got {
    Bytes(Vec<u8>),
    Bad(Damage, Error),
}

/// A transport with packs: see the module documentation.
pub struct Packed {
    name: String,
    inner: Box<dyn Backend>,
    /// Whether pushes pack small objects (layout 4) or keep them loose (layout 3).
    pack: bool,
    map: Mutex<Option<Arc<Map>>>,
}

impl Packed {
    pub fn new(name: &str, inner: Box<dyn Backend>, pack: bool) -> Self {
        Packed {
            name: name.into(),
            inner,
            pack,
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

    /// Reads and checks the index of every pack `names` (a listing of `packs/`) has one
    /// for, in pack id order; a bad index fails naming its pack, one gone since the listing
    /// (a remote gc removed it) is skipped.
    fn read_indexes(&self, names: &[String]) -> Result<Vec<PackIndex>, Error> {
        let mut ids: Vec<ObjectId> = names.iter().filter_map(|n| packs::index_name(n)).collect();
        ids.sort();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids.iter().map(packs::index_key).collect();
        let mut out = Vec::new();
        for (id, bytes) in ids.iter().zip(self.inner.get_files(&keys)?) {
            let Some(bytes) = bytes else { continue };
            let idx = PackIndex::decode(id, &bytes)
                .map_err(|r| self.bad_pack(id, format!("its index is bad: {r}")))?;
            out.push(idx);
        }
        Ok(out)
    }

    /// The pack indexes, read on first use: a bad index fails the command naming its pack.
    fn map(&self) -> Result<Arc<Map>, Error> {
        let mut held = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(m) = &*held {
            return Ok(m.clone());
        }
        let names = self.inner.list_names(packs::DIR)?;
        let mut m = Map::default();
        for idx in self.read_indexes(&names)? {
            m.add(&idx);
        }
        let m = Arc::new(m);
        *held = Some(m.clone());
        Ok(m)
    }

    /// Reads packed objects `ids` (each in `m`), verifying each, and hands each to `each`
    /// from one of the reader threads; `each` stops the reading by returning an error. A
    /// copy that cannot be read or does not verify is looked for again in the other packs
    /// that list the object, then as a loose object.
    fn read_packed(
        &self,
        m: &Map,
        ids: &[ObjectId],
        each: &(dyn Fn(ObjectId, Got) -> Result<(), Error> + Sync),
    ) -> Result<(), Error> {
        let mut by_pack: HashMap<u32, Vec<(ObjectId, Loc)>> = HashMap::new();
        for id in ids {
            let loc = m.locs[id];
            by_pack.entry(loc.pack).or_default().push((*id, loc));
        }
        let mut work: Vec<Span> = Vec::new();
        for (pack, mut objs) in by_pack {
            objs.sort_by_key(|o| o.1.offset);
            let ranges: Vec<(u64, u64)> = objs.iter().map(|o| (o.1.offset, o.1.len)).collect();
            for (start, end, members) in packs::spans(&ranges, GAP, SPAN) {
                let members = members.into_iter().map(|i| objs[i]).collect();
                work.push((pack, start..end, members));
            }
        }
        let next = AtomicUsize::new(0);
        let failed = Mutex::new(None);
        std::thread::scope(|s| {
            for _ in 0..READERS.min(work.len()) {
                s.spawn(|| {
                    while let Some((pack, span, members)) =
                        work.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        if failed
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .is_some()
                        {
                            return;
                        }
                        let r = self.read_span(m, *pack, span, members, each);
                        if let Err(e) = r {
                            failed
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .get_or_insert(e);
                            return;
                        }
                    }
                });
            }
        });
        match failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Reads one span of a pack and hands out the objects in it.
    fn read_span(
        &self,
        m: &Map,
        pack: u32,
        span: &Range<u64>,
        members: &[(ObjectId, Loc)],
        each: &(dyn Fn(ObjectId, Got) -> Result<(), Error> + Sync),
    ) -> Result<(), Error> {
        let pack_id = m.packs[pack as usize];
        let key = packs::pack_key(&pack_id);
        let read = match self.inner.get_ranges(&key, std::slice::from_ref(span)) {
            Ok(mut got)
                if got
                    .first()
                    .is_some_and(|b| b.len() as u64 == span.end - span.start) =>
            {
                Ok(got.remove(0))
            }
            Ok(_) => Err((Damage::Missing, self.bad_pack(&pack_id, "it is truncated"))),
            Err(Error::NoKey { .. }) => Err((
                Damage::Missing,
                self.bad_pack(&pack_id, "its index is there but the pack is missing"),
            )),
            Err(e) => return Err(e),
        };
        for (id, loc) in members {
            let got = match &read {
                Ok(bytes) => {
                    let at = (loc.offset - span.start) as usize;
                    let b = &bytes[at..at + loc.len as usize];
                    let actual = ObjectId::of(b);
                    if actual == *id {
                        Got::Bytes(b.to_vec())
                    } else {
                        let why = format!(
                            "object {id} in it is corrupt (its content hashes to {actual})"
                        );
                        self.again(m, id, Damage::Corrupt(actual), self.bad_pack(&pack_id, why))
                    }
                }
                Err((d, e)) => {
                    let e =
                        self.bad_pack(&pack_id, format!("{} (reading object {id})", reason_of(e)));
                    self.again(m, id, *d, e)
                }
            };
            each(*id, got)?;
        }
        Ok(())
    }

    /// Looks for a good copy of `id` in the other packs that list it, then loose.
    fn again(&self, m: &Map, id: &ObjectId, damage: Damage, err: Error) -> Got {
        for loc in m.dups.get(id).into_iter().flatten() {
            let key = packs::pack_key(&m.packs[loc.pack as usize]);
            let range = loc.offset..loc.offset + loc.len;
            let got = self
                .inner
                .get_ranges(&key, &[range])
                .ok()
                .and_then(|mut g| g.pop());
            if let Some(bytes) = got.filter(|b| ObjectId::of(b) == *id) {
                return Got::Bytes(bytes);
            }
        }
        match self
            .inner
            .get_small(std::slice::from_ref(id))
            .map(|mut g| g.pop())
        {
            Ok(Some((_, bytes))) => Got::Bytes(bytes),
            _ => Got::Bad(damage, err),
        }
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
            match m.locs.contains_key(&id(it)) {
                true => packed.push(id(it)),
                false => loose.push(it),
            }
        }
        (packed, loose)
    }

    /// Packs `items` and uploads the packs, then their indexes (in order when `ordered`):
    /// nothing is visible before its pack is complete on the remote.
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
        // The indexes make the packs' objects visible: only now, and each after its pack.
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
        // Read again when next asked: this command may read what it just wrote.
        *self.map.lock().unwrap_or_else(PoisonError::into_inner) = None;
        Ok(())
    }
}

/// The reason part of a pack error.
fn reason_of(e: &Error) -> String {
    match e {
        Error::BadPack { reason, .. } => reason.clone(),
        e => e.to_string(),
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
                for (id, loc) in &m.locs {
                    if kept(loc) || m.dups.get(id).is_some_and(|d| d.iter().any(kept)) {
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
        *self.map.lock().unwrap_or_else(PoisonError::into_inner) = None;
        r
    }

    fn put_files(&self, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
        self.inner.put_files(files)
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
        if !self.pack {
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
        if !self.pack || items.iter().any(|i| i.2 > PACKED_MAX) {
            return self.inner.put_ordered(items, p);
        }
        if items.is_empty() {
            return Ok(());
        }
        self.put_packed(items, true, p)
    }

    fn writes_layout(&self) -> u32 {
        if self.pack { LAYOUT } else { 3 }
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

    fn get_into(
        &self,
        items: &[(ObjectId, u64)],
        store: &Store,
        batch: &Batch,
        p: &dyn Progress,
    ) -> Result<(), Error> {
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
