//! Reading packed objects: the wanted objects of each pack are grouped into ranged reads
//! (objects less than [`GAP`] apart join, up to [`SPAN`] bytes a read, [`READERS`] reads in
//! flight), and each object is hashed against its id; a copy that cannot be read or does
//! not verify is looked for in the other packs that list the object, then loose.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::super::midx::Loc;
use super::super::packs;
use super::map::Map;
use super::{Damage, Error, Packed};
use crate::store::ObjectId;

/// Wanted objects of one pack less than this far apart are read with one ranged read.
const GAP: u64 = 256 << 10;
/// The most bytes one ranged read asks for.
const SPAN: u64 = 16 << 20;
/// Ranged reads in flight (each holds at most [`SPAN`] bytes).
const READERS: usize = 8;

/// One ranged read: a pack, the bytes to read, and the objects in them (a stretch of the
/// wanted objects sorted by pack and offset).
type Span = (u32, Range<u64>, Range<usize>);

/// What reading one packed object gave.
pub(super) enum Got {
    Bytes(Vec<u8>),
    Bad(Damage, Error),
}

/// What is handed each object read.
pub(super) type Each<'a> = &'a (dyn Fn(ObjectId, Got) -> Result<(), Error> + Sync);

impl Packed {
    /// Reads packed objects `ids` (each in `m`), verifying each, and hands each to `each`
    /// from one of the reader threads; `each` stops the reading by returning an error. A
    /// copy that cannot be read or does not verify is looked for again in the other packs
    /// that list the object, then as a loose object.
    pub(super) fn read_packed(&self, m: &Map, ids: &[ObjectId], each: Each) -> Result<(), Error> {
        // One array of the wanted objects, by pack and offset; each read is a stretch of it.
        let mut objs: Vec<(ObjectId, Loc)> = ids
            .iter()
            .map(|id| (*id, m.get(id).expect("asked only for packed objects")))
            .collect();
        objs.sort_unstable_by_key(|o| (o.1.pack, o.1.offset));
        let mut work: Vec<Span> = Vec::new();
        let mut base = 0;
        for group in objs.chunk_by(|a, b| a.1.pack == b.1.pack) {
            let ranges: Vec<(u64, u64)> = group
                .iter()
                .map(|o| (o.1.offset as u64, o.1.len as u64))
                .collect();
            for (start, end, members) in packs::spans(&ranges, GAP, SPAN) {
                // Spans take consecutive objects: the first and the last say which.
                let first = base + members[0];
                let last = base + members[members.len() - 1];
                work.push((group[0].1.pack, start..end, first..last + 1));
            }
            base += group.len();
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
                        let r = self.read_span(m, *pack, span, &objs[members.clone()], each);
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
        each: Each,
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
                    let at = (loc.offset as u64 - span.start) as usize;
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
        for loc in m.dups(id) {
            let key = packs::pack_key(&m.packs[loc.pack as usize]);
            let got = self
                .inner
                .get_ranges(&key, &[loc.range()])
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
}

/// The reason part of a pack error.
fn reason_of(e: &Error) -> String {
    match e {
        Error::BadPack { reason, .. } => reason.clone(),
        e => e.to_string(),
    }
}
