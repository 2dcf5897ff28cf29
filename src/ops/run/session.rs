//! The Docker side of one `pach run` or `pach run --verify`: the connection on the process's
//! one runtime, the run id and work directory, and the signal watcher that stops everything on
//! Ctrl-C or SIGTERM.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::runtime::Runtime;

use super::{LogSink, RunOptions};
use crate::error::Result;
use crate::progress::Progress;
use crate::repo::Repo;
use crate::runner::{self, Docker};
use crate::store::{CodeVersion, Runner};

/// A connected run: what every stage of it shares.
pub struct Session {
    rt: &'static Runtime,
    docker: Docker,
    runner: Runner,
    /// The code version the run records (the enclosing git repository's HEAD).
    code: Option<CodeVersion>,
    run_id: String,
    work: PathBuf,
    cancelled: Arc<AtomicBool>,
    guard: tokio::task::JoinHandle<()>,
}

/// Everything a stage run needs besides the stage.
pub struct StageCtx<'a> {
    pub repo: &'a Repo,
    pub docker: &'a Docker,
    pub rt: &'static Runtime,
    pub opts: &'a RunOptions<'a>,
    pub runner: &'a Runner,
    pub code: &'a Option<CodeVersion>,
    pub run_id: &'a str,
    pub work: &'a Path,
    pub cancelled: &'a AtomicBool,
    pub logs: LogSink<'a>,
    pub progress: &'a dyn Progress,
}

impl Session {
    /// Connects to Docker, sweeps what a killed run left, and starts watching for signals.
    pub fn start(repo: &Repo, opts: &RunOptions<'_>) -> Result<Session> {
        let rt = crate::ops::runtime()?;
        let docker = rt.block_on(Docker::connect())?;
        // What a killed run left (we hold the lock, so it is no live run's).
        crate::ops::sweep::sweep_with(repo, Some(&docker))?;
        let runner = Runner {
            kind: "docker".into(),
            version: rt.block_on(docker.version()),
            host: opts.identity.host.clone(),
            user: opts.identity.user.clone(),
        };
        let run_id = format!("{}-{}", std::process::id(), crate::time::now_ms());
        let work = repo.pach_dir().join("work").join(&run_id);
        let cancelled = Arc::new(AtomicBool::new(false));
        let guard = rt.spawn(watch_signals(
            docker.clone(),
            run_id.clone(),
            cancelled.clone(),
        ));
        Ok(Session {
            rt,
            docker,
            runner,
            code: crate::git::code_version(repo.root()),
            run_id,
            work,
            cancelled,
            guard,
        })
    }

    /// The context the stages of this session run in.
    pub fn ctx<'a>(
        &'a self,
        repo: &'a Repo,
        opts: &'a RunOptions<'a>,
        logs: LogSink<'a>,
        progress: &'a dyn Progress,
    ) -> StageCtx<'a> {
        StageCtx {
            repo,
            docker: &self.docker,
            rt: self.rt,
            opts,
            runner: &self.runner,
            code: &self.code,
            run_id: &self.run_id,
            work: &self.work,
            cancelled: &self.cancelled,
            logs,
            progress,
        }
    }

    /// The code version the run records.
    pub fn code(&self) -> &Option<CodeVersion> {
        &self.code
    }

    /// Removes every container and work file of the session; fails if it was interrupted.
    pub fn finish(self) -> Result<()> {
        self.guard.abort();
        self.rt
            .block_on(self.docker.remove_labelled(Some(&self.run_id)));
        let _ = std::fs::remove_dir_all(&self.work);
        if self.cancelled.load(Ordering::SeqCst) {
            return Err(runner::Error::Interrupted.into());
        }
        Ok(())
    }
}

/// Stops the run on Ctrl-C or SIGTERM: flags it and removes every container it started.
async fn watch_signals(docker: Docker, run: String, cancelled: Arc<AtomicBool>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    cancelled.store(true, Ordering::SeqCst);
    docker.remove_labelled(Some(&run)).await;
}
