//! `pach gc`: what a killed run left (work directories, containers), then the objects, temp
//! files and failed runs nothing needs any more.

use std::time::Duration;

use crate::error::Result;
use crate::repo::{GcOutcome, Repo};

use super::sweep::{Swept, sweep};

/// What `pach gc` removed.
#[derive(Debug, serde::Serialize)]
pub struct Collected {
    /// What killed runs left.
    pub swept: Swept,
    /// Objects, temp files and failed runs.
    pub gc: GcOutcome,
}

/// Sweeps what killed runs left, then deletes unreachable objects older than `grace` and
/// failed runs that ended more than `keep_failed` ago. The caller holds the write lock.
pub fn gc(repo: &mut Repo, grace: Duration, keep_failed: Duration) -> Result<Collected> {
    let swept = sweep(repo)?;
    let gc = repo.gc(grace, keep_failed)?;
    Ok(Collected { swept, gc })
}
