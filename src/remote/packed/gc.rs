//! What a remote gc sees of a packing remote, and the lists of files it condemned.
//!
//! A remote gc never deletes a file the moment it finds it unreachable: a pusher may have
//! listed the remote a moment before and be about to point a ref at it. It writes the keys
//! into a list under `gc/` first. Pushers read those lists and count nothing they condemn
//! as on the remote (so they upload it again if they need it); a later gc deletes what a
//! list condemned once the list is older than the grace period and the file is still
//! unreachable. So a push that takes less than the grace period never loses an object. See
//! docs/REMOTES.md, "Remote gc".

use std::collections::HashSet;

use super::super::Error;
use super::super::packs::{self, Condemned, GcList};
use super::{IndexFile, Packed};
use crate::store::ObjectId;

/// Everything on a packing remote that a gc weighs, condemned or not.
#[derive(Debug, Default)]
pub struct GcView {
    /// Every index file: multi-pack indexes (layout 5) first, then pack indexes (layout 4).
    pub indexes: Vec<IndexFile>,
    /// Packs no index file names (a push in progress, or killed).
    pub orphans: Vec<ObjectId>,
    pub loose: HashSet<ObjectId>,
    /// Files stored as chunks (their indexes under `chunked/`).
    pub chunked: HashSet<ObjectId>,
    /// Lists of condemned files, oldest first.
    pub lists: Vec<GcList>,
}

impl Packed {
    /// Reads every gc list; a bad one fails naming it.
    pub(super) fn lists(&self) -> Result<Vec<GcList>, Error> {
        let mut names: Vec<String> = self
            .inner
            .list_names(packs::GC_DIR)?
            .into_iter()
            .filter(|n| n.ends_with(".list"))
            .collect();
        names.sort();
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = names
            .iter()
            .map(|n| format!("{}/{n}", packs::GC_DIR))
            .collect();
        let mut out = Vec::new();
        for (name, bytes) in names.iter().zip(self.inner.get_files(&keys)?) {
            let Some(bytes) = bytes else { continue }; // a gc finished it meanwhile
            let list = GcList::decode(name, &bytes).map_err(|reason| Error::Store {
                remote: self.name.clone(),
                op: format!("reading the gc list `{}/{name}`", packs::GC_DIR),
                cause: reason,
            })?;
            out.push(list);
        }
        Ok(out)
    }

    /// Everything the gc lists condemn.
    pub(super) fn condemned(&self) -> Result<Condemned, Error> {
        let mut c = Condemned::default();
        for list in self.lists()? {
            for k in &list.keys {
                c.add(k);
            }
        }
        Ok(c)
    }

    pub(super) fn view(&self) -> Result<GcView, Error> {
        let names = self.inner.list_names(packs::DIR)?;
        let indexes = self.read_indexes(&names)?;
        let named: HashSet<ObjectId> = indexes
            .iter()
            .flat_map(|f| f.index.packs.iter().map(|p| p.0))
            .collect();
        let mut orphans: Vec<ObjectId> = names
            .iter()
            .filter_map(|n| n.strip_suffix(".pack")?.parse().ok())
            .filter(|id| !named.contains(id))
            .collect();
        orphans.sort();
        Ok(GcView {
            indexes,
            orphans,
            loose: self.inner.list_ids("objects")?,
            chunked: self.inner.list_ids("chunked")?,
            lists: self.lists()?,
        })
    }
}
