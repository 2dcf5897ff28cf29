//! The staging index's paths whose content a purge erased, split by what their working-tree
//! copies hold: what `pach purge --rerun` removes before it commits and runs again.

use std::sync::atomic::AtomicU64;

use super::Repo;
use super::status::Seen;
use crate::error::Result;

/// Index paths holding purged content.
#[derive(Debug, Default)]
pub struct PurgedPaths {
    /// The working-tree copy is the purged content (or there is none): safe to delete.
    pub unchanged: Vec<String>,
    /// The working-tree copy has local changes: kept, and named.
    pub changed: Vec<String>,
}

impl Repo {
    /// Finds the index paths whose object a purge erased, in path order.
    pub fn purged_paths(&self) -> Result<PurgedPaths> {
        let purges = self.purges()?;
        let mut out = PurgedPaths::default();
        if purges.is_empty() {
            return Ok(out);
        }
        let index = self.db().queries().index()?;
        let hashed = AtomicU64::new(0);
        for (p, e) in index.iter().filter(|(_, e)| purges.contains(&e.id)) {
            match self.check_entry(p, e, &hashed)? {
                Seen::Changed { .. } => out.changed.push(p.clone()),
                Seen::Same | Seen::Refreshed(..) | Seen::Missing => out.unchanged.push(p.clone()),
            }
        }
        Ok(out)
    }
}
