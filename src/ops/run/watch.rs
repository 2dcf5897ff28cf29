//! `pach run --watch`: run, then wait for new commits on the current branch and run what they
//! made stale, until Ctrl-C or SIGTERM.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{LogSink, RunOptions, RunOutcome, run};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::repo::{Access, Repo};
use crate::runner;

/// How often the watch looks at `HEAD` for a new commit.
const POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// Where the watch reports: each run's outcome, and each run that failed while the watch goes
/// on (a failing stage does not end it).
pub struct WatchOptions<'a> {
    /// A directory inside the project.
    pub dir: &'a Path,
    pub report: &'a mut dyn FnMut(&RunOutcome) -> Result<()>,
    pub failed: &'a mut dyn FnMut(&Error),
}

/// Runs, then waits for new commits on the current branch and runs again, until stopped by
/// Ctrl-C or SIGTERM (a run in progress is stopped as `pach run` stops, changing nothing).
/// Holds the write lock only while running: between runs a user's `pach commit` can take it.
pub fn watch(
    w: WatchOptions<'_>,
    opts: &RunOptions<'_>,
    progress: &dyn Progress,
    logs: LogSink<'_>,
) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    // Once a handler is registered the signal no longer ends the process, so the loop
    // checks this flag itself.
    let _watcher = AbortOnDrop(crate::ops::runtime()?.spawn(stop_on_signal(stop.clone())));
    // `None` until the first run; then the HEAD that run left.
    let mut last = None;
    while !stop.load(Ordering::SeqCst) {
        {
            // Read-only polling: a user's `pach commit` must be able to take the lock.
            let repo = Repo::discover(w.dir, Access::Read)?;
            if last.is_some_and(|l| repo.head_commit().is_ok_and(|h| h == l)) {
                drop(repo);
                std::thread::sleep(POLL);
                continue;
            }
        }
        let mut repo = Repo::discover(w.dir, Access::Write)?;
        match run(&mut repo, opts, progress, logs).and_then(|out| (w.report)(&out)) {
            Ok(()) => {}
            Err(Error::Runner(runner::Error::Interrupted)) => break,
            // A failing stage is reported; the watch goes on with the next commit.
            Err(e) if !stop.load(Ordering::SeqCst) => (w.failed)(&e),
            Err(e) => return Err(e),
        }
        // The run may itself have committed; that commit is not new work.
        last = Some(repo.head_commit()?);
    }
    Ok(())
}

/// Sets `stop` on Ctrl-C or SIGTERM.
async fn stop_on_signal(stop: Arc<AtomicBool>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    stop.store(true, Ordering::SeqCst);
}

/// Ends the signal watcher when the watch ends, however it ends.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
