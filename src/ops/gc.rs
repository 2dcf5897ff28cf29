//! `pach gc`: what a killed run left (work directories, containers) and the bytes an
//! unfinished purge left, then the objects, temp files and failed runs nothing needs any more.

use std::time::Duration;

use crate::error::Result;
use crate::repo::{GcOutcome, Repo};
use crate::store::purge::Erased;

use super::sweep::{Swept, sweep};

/// What `pach gc` removed.
#[derive(Debug, serde::Serialize)]
pub struct Collected {
    /// What killed runs left.
    pub swept: Swept,
    /// Objects, temp files and failed runs.
    pub gc: GcOutcome,
    /// The bytes of purged objects a purge killed half-way had left, erased now.
    pub purges_finished: Erased,
}

/// Sweeps what killed runs left, erases what unfinished purges left, then deletes unreachable objects older than `grace` and
/// failed runs that ended more than `keep_failed` ago. The caller holds the write lock.
pub fn gc(repo: &mut Repo, grace: Duration, keep_failed: Duration) -> Result<Collected> {
    let swept = sweep(repo)?;
    // Before the walk: a purged object still here is no longer reachable content.
    let purges_finished = repo.finish_purges()?;
    let gc = repo.gc(grace, keep_failed)?;
    Ok(Collected {
        swept,
        gc,
        purges_finished,
    })
}
