//! `pach run`: plans the stale datums of each stage from the committed data at `HEAD`, reuses
//! the run cache, executes the rest on warm Docker workers, and commits the outputs together
//! with one run record per datum.
//!
//! The rooms: `plan` (pure: stage order, stale and cached datums, why), `session` (Docker,
//! signals), `execute` and `slots` (running a stage's stale datums on worker slots),
//! `outputs` (collecting and checking what datums wrote), `commit` (recording runs and the
//! run's commit), `verify` (`--verify`), `watch` (`--watch`) and `logs` (`pach logs`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::ops::Identity;
use crate::paths::is_under;
use crate::pipeline::{self, Pipeline, Stage};
use crate::progress::Progress;
use crate::repo::{Head, Repo};
use crate::snapshot::FlatTree;
use crate::store::{ObjectId, RunRecord};

mod commit;
mod execute;
pub mod logs;
mod outputs;
mod plan;
mod session;
mod slots;
mod verify;
mod watch;

pub use execute::Mode;
pub use plan::{DatumReport, Reason, StageReport};
pub use verify::{Mismatch, VerifyOutcome, verify};
pub use watch::{WatchOptions, watch};

use commit::{Base, Stamp, commit_outputs};
use execute::run_stage;
use plan::{Previous, select};
use session::Session;

/// Inputs of `pach run` that come from outside the repository.
pub struct RunOptions<'a> {
    /// Stages to run (all when empty).
    pub stages: &'a [String],
    pub dry_run: bool,
    /// Ignore the run cache.
    pub force: bool,
    /// Datums at once per stage; defaults to the stage's `parallelism`, else the cores.
    pub jobs: Option<usize>,
    /// Who runs it (the commit's author; the containers' user; the host), and when.
    pub identity: &'a Identity,
}

/// What `pach run` did.
#[derive(Debug, Serialize)]
pub struct RunOutcome {
    pub dry_run: bool,
    pub stages: Vec<StageReport>,
    /// The commit holding the outputs; `None` when nothing changed (or a dry run).
    pub commit: Option<ObjectId>,
    /// Input paths with uncommitted changes, which the run did not use.
    pub uncommitted_inputs: Vec<String>,
}

impl RunOutcome {
    /// The datums that ran (or, in a dry run, would run) and the stages they belong to.
    pub fn stale(&self) -> (usize, usize) {
        let stages = self.stages.iter().filter(|s| !s.ran.is_empty());
        (stages.clone().map(|s| s.ran.len()).sum(), stages.count())
    }
}

/// Receives live container output (`-v`): stage, datum, bytes.
pub type LogSink<'a> = &'a (dyn Fn(&str, &str, &[u8]) + Sync);

/// A datum that ran: its run record and the record's id.
type Ran = (ObjectId, RunRecord);

/// Reads and validates `pach.toml` at the project root against the snapshot at `HEAD`.
pub fn load_pipeline(repo: &Repo, snapshot: &FlatTree) -> Result<Pipeline> {
    let path = repo.root().join("pach.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let tracked = |p: &str| snapshot.keys().any(|k| is_under(k, p));
    pipeline::parse(&text, Path::new("pach.toml"), &tracked).map_err(Error::from)
}

/// Runs the stale stages; see the module docs.
pub fn run(
    repo: &mut Repo,
    opts: &RunOptions<'_>,
    progress: &dyn Progress,
    logs: LogSink<'_>,
) -> Result<RunOutcome> {
    let time = opts.identity.time();
    let head = repo.head_commit()?.ok_or_else(|| Error::NoCommits {
        branch: head_name(repo),
    })?;
    let head_commit = repo.commit_obj(&head)?;
    let mut snapshot = repo.flatten(&head_commit.tree)?;
    // HEAD's snapshot, kept to tell which output versions the run's commit adds.
    let before = snapshot.clone();
    let pipeline = load_pipeline(repo, &snapshot)?;
    let selected = select(&pipeline, opts.stages)?;
    let uncommitted_inputs = uncommitted_under(
        repo,
        selected
            .iter()
            .flat_map(|s| s.inputs.iter().map(|i| i.path.as_str())),
    )?;
    let previous = previous_runs(repo, &selected)?;
    let session = Session::start(repo, opts)?;
    let code = session.code().clone();
    let mut reports = Vec::new();
    let mut run_ids = Vec::new();
    let result = (|| -> Result<()> {
        for stage in &selected {
            let ctx = session.ctx(repo, opts, logs, progress);
            let (report, outputs, runs) = run_stage(&ctx, stage, &snapshot, &previous)?;
            if !opts.dry_run {
                snapshot.retain(|p, _| !is_under(p, &stage.output));
                snapshot.extend(outputs);
                run_ids.extend(runs);
            }
            reports.push(report);
        }
        Ok(())
    })();
    session.finish()?;
    result?;
    let mut outcome = RunOutcome {
        dry_run: opts.dry_run,
        stages: reports,
        commit: None,
        uncommitted_inputs,
    };
    if opts.dry_run {
        return Ok(outcome);
    }
    let base = Base {
        id: head,
        commit: &head_commit,
        snapshot: &before,
    };
    let stamp = Stamp {
        author: opts.identity.author.clone(),
        time,
        code,
    };
    outcome.commit = commit_outputs(repo, &base, &snapshot, &selected, run_ids, &stamp)?;
    Ok(outcome)
}

/// The branch `HEAD` names, for errors about it.
fn head_name(repo: &Repo) -> String {
    match repo.head() {
        Ok(Head::Branch(b)) => b,
        _ => "HEAD".into(),
    }
}

/// Loads the latest run of each datum of every stage, from the run index.
fn previous_runs(repo: &Repo, stages: &[&Stage]) -> Result<Previous> {
    let mut by_stage: BTreeMap<String, Vec<RunRecord>> = BTreeMap::new();
    for s in stages {
        let ids = repo.db().queries().latest_runs(&s.name, None)?;
        let recs = ids
            .iter()
            .filter_map(|id| repo.store().get::<RunRecord>(id).ok());
        by_stage.insert(s.name.clone(), recs.collect());
    }
    Ok(Previous { by_stage })
}

/// Input paths with staged or unstaged changes, which the run (working from HEAD) ignores.
fn uncommitted_under<'a>(
    repo: &mut Repo,
    inputs: impl Iterator<Item = &'a str>,
) -> Result<Vec<String>> {
    let inputs: Vec<&str> = inputs.collect();
    let st = repo.status()?;
    let mut out: Vec<String> = st
        .staged
        .iter()
        .chain(&st.unstaged)
        .map(|c| c.path.clone())
        .filter(|p| inputs.iter().any(|i| is_under(p, i)))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}
