//! Purged objects as the repository sees them: which objects a purge erased (read from the
//! records under `.pach/purges/`, the only truth about purges), the error a read of one
//! gives, and erasing the bytes of every purged object still here.
//!
//! What does not live here: the impact report and the `pach purge` flow (`ops::purge`), the
//! record format and the byte deletion itself (`store::purge`).

use std::collections::{HashMap, HashSet};

use super::Repo;
use crate::error::{Error, Result};
use crate::store::ObjectId;
use crate::store::purge::{Erased, PurgeRecord};

/// Every purge of a repository, and which purge erased each object.
#[derive(Debug, Default)]
pub struct Purges {
    /// (purge id, record), oldest first.
    pub records: Vec<(ObjectId, PurgeRecord)>,
    /// Purged object → index in `records` of the first purge that erased it.
    by_object: HashMap<ObjectId, usize>,
}

impl Purges {
    /// Returns the purge (id and record) that erased object `id`, if one did.
    pub fn get(&self, id: &ObjectId) -> Option<(&ObjectId, &PurgeRecord)> {
        let i = *self.by_object.get(id)?;
        let (pid, rec) = &self.records[i];
        Some((pid, rec))
    }

    /// Tells whether object `id` was purged.
    pub fn contains(&self, id: &ObjectId) -> bool {
        self.by_object.contains_key(id)
    }

    /// Returns every purged object id.
    pub fn ids(&self) -> HashSet<ObjectId> {
        self.by_object.keys().copied().collect()
    }

    /// Tells whether there is no purge at all.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Returns the error for reading purged object `id` at `path` (`None` if not purged).
    pub fn error(&self, path: &str, id: &ObjectId) -> Option<Error> {
        let (purge, rec) = self.get(id)?;
        Some(Error::Purged {
            path: path.into(),
            purge: *purge,
            time: rec.time,
            reason: rec.reason.clone(),
        })
    }
}

impl Repo {
    /// Reads every purge record (none when `.pach/purges/` does not exist).
    pub fn purges(&self) -> Result<Purges> {
        let records = self.store().purges()?;
        let mut by_object = HashMap::new();
        for (i, (_, rec)) in records.iter().enumerate() {
            for o in &rec.objects {
                by_object.entry(o.id).or_insert(i);
            }
        }
        Ok(Purges { records, by_object })
    }

    /// Fails with [`Error::Purged`] when blob `id` (at `path`) is not here because a purge
    /// erased it; succeeds otherwise (the caller goes on to report other absences).
    pub fn check_not_purged(&self, path: &str, id: &ObjectId) -> Result<()> {
        if self.store().contains(id) {
            return Ok(());
        }
        match self.purges()?.error(path, id) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Erases the bytes of every purged object still in the store: what a purge killed
    /// half-way left, or all of a purge just recorded. A chunk or segment stays when a file
    /// not purged uses it (through its chunk index, or as its whole content), and the
    /// absent-object rows of purged objects go (a fetch must not ask for them).
    pub fn finish_purges(&mut self) -> Result<Erased> {
        let purges = self.purges()?;
        if purges.is_empty() {
            return Ok(Erased::default());
        }
        let ids = purges.ids();
        let keep = |piece: &ObjectId| {
            !ids.contains(piece)
                && self
                    .db()
                    .queries()
                    .paths_of(piece)
                    .is_ok_and(|paths| !paths.is_empty())
        };
        let erased = self.store().erase(&ids, &keep)?;
        let absent: Vec<ObjectId> = self
            .db()
            .queries()
            .absent_objects(None)?
            .into_iter()
            .filter(|id| ids.contains(id))
            .collect();
        if !absent.is_empty() {
            self.db_mut()
                .transaction(|tx| tx.remove_absent_objects(&absent))?;
        }
        Ok(erased)
    }

    /// Returns the purged objects whose bytes are still here (a purge not finished).
    pub fn unfinished_purges(&self, purges: &Purges) -> Vec<ObjectId> {
        let mut out: Vec<ObjectId> = purges
            .ids()
            .into_iter()
            .filter(|id| self.store().contains(id))
            .collect();
        out.sort();
        out
    }
}
