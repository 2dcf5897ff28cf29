//! `pach purge --rerun`: after a purge, a new commit on the current branch without the
//! purged content, and a run of exactly the datums that made stale, so `HEAD` is clean
//! again and its outputs are those of the data without what was purged.
//!
//! The commit and the run are `pach commit --run`'s (`ops::commit`); this only decides what
//! leaves the index and the working tree first.

use super::Identity;
use super::commit::{CommitRequest, commit};
use super::run::{LogSink, RunOutcome};
use crate::error::Result;
use crate::progress::Progress;
use crate::repo::{CommitOutcome, Repo};
use crate::store::ObjectId;

/// What `--rerun` did.
#[derive(Debug, Default)]
pub struct RerunOutcome {
    /// Paths that held purged content, removed from the index and the working tree.
    pub removed: Vec<String>,
    /// Paths that held purged content whose working-tree copy has local changes: removed
    /// from the index only; the file stays (untracked now).
    pub kept: Vec<String>,
    /// The new commit (none when the index held no purged content).
    pub commit: Option<(ObjectId, Option<String>)>,
    /// The run after it (none without a `pach.toml`).
    pub run: Option<RunOutcome>,
}

/// Removes every index path holding purged content (deleting its working-tree copy unless
/// that has local changes), commits as `identity`, and runs the stale datums when the
/// project has a pipeline. `purge` and `reason` go into the commit message.
pub fn rerun(
    repo: &mut Repo,
    purge: Option<&ObjectId>,
    reason: &str,
    identity: &Identity,
    progress: &dyn Progress,
    logs: LogSink<'_>,
) -> Result<RerunOutcome> {
    let paths = repo.purged_paths()?;
    let mut out = RerunOutcome {
        removed: paths.unchanged,
        kept: paths.changed,
        ..RerunOutcome::default()
    };
    if out.removed.is_empty() && out.kept.is_empty() {
        return Ok(out);
    }
    if !out.removed.is_empty() {
        repo.rm(&out.removed, false, true)?;
    }
    if !out.kept.is_empty() {
        repo.rm(&out.kept, true, false)?;
    }
    let which = purge.map_or_else(
        || "purged content".into(),
        |p| format!("purge {}", p.short()),
    );
    let message = format!("Remove the content of {which}\n\n{reason}\n");
    let req = CommitRequest {
        message: &message,
        allow_empty: false,
        run: repo.root().join("pach.toml").is_file(),
        identity,
    };
    let mut made = None;
    let mut committed = |c: &CommitOutcome| {
        made = Some((c.id, c.branch.clone()));
        Ok(())
    };
    out.run = commit(repo, &req, &mut committed, progress, logs)?;
    out.commit = made;
    Ok(out)
}
