//! `pach commit`: the staged changes become a commit; then, when asked (`--run`, or
//! `run_on_commit = true` in `pach.toml`), the stages the commit made stale run.
//!
//! `pach.toml` is read with the pipeline's own parser before anything is committed: an
//! invalid file is an error naming its line and column, never a silent "do not run".

use std::path::Path;

use super::Identity;
use super::run::{LogSink, RunOptions, RunOutcome};
use crate::error::{Error, Result};
use crate::paths::is_under;
use crate::pipeline;
use crate::progress::Progress;
use crate::repo::{CommitOptions, CommitOutcome, Repo};

/// Inputs of `pach commit` that come from outside the repository.
pub struct CommitRequest<'a> {
    pub message: &'a str,
    /// Commit even if nothing changed.
    pub allow_empty: bool,
    /// Run the stale stages after committing, whatever `pach.toml` says.
    pub run: bool,
    pub identity: &'a Identity,
}

/// Commits the index; hands the commit to `committed` as soon as it is made (the run that
/// may follow takes a while); returns the run's outcome when one followed.
pub fn commit(
    repo: &mut Repo,
    req: &CommitRequest<'_>,
    committed: &mut dyn FnMut(&CommitOutcome) -> Result<()>,
    progress: &dyn Progress,
    logs: LogSink<'_>,
) -> Result<Option<RunOutcome>> {
    let run = req.run || run_on_commit(repo)?;
    if run {
        check_pipeline(repo)?;
    }
    let opts = CommitOptions {
        message: req.message,
        allow_empty: req.allow_empty,
        author: req.identity.author.clone(),
        time: req.identity.time(),
        code: crate::git::code_version(repo.root()),
    };
    let out = repo.commit(opts)?;
    committed(&out)?;
    if !run {
        return Ok(None);
    }
    let opts = RunOptions {
        stages: &[],
        dry_run: false,
        force: false,
        jobs: None,
        identity: req.identity,
    };
    super::run::run(repo, &opts, progress, logs).map(Some)
}

/// Reads `pach.toml` if there is one; `None` when there is not.
fn read_spec(repo: &Repo) -> Result<Option<String>> {
    let path = repo.root().join("pach.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { path, source }),
    }
}

/// Tells whether `pach.toml` asks for a run after each commit (`[settings] run_on_commit`);
/// a file that is not valid TOML, or whose settings are not, is an error.
fn run_on_commit(repo: &Repo) -> Result<bool> {
    match read_spec(repo)? {
        Some(text) => Ok(pipeline::parse_settings(&text, Path::new("pach.toml"))?.run_on_commit),
        None => Ok(false),
    }
}

/// Validates the whole `pach.toml` against what the commit will hold (the index), as the run
/// that follows the commit will, so that an invalid pipeline stops the commit too.
fn check_pipeline(repo: &Repo) -> Result<()> {
    let Some(text) = read_spec(repo)? else {
        // The run reports the missing file, naming it.
        return Ok(());
    };
    let index = repo.db().queries().index()?;
    let staged = Repo::index_snapshot(&index);
    let tracked = |p: &str| staged.keys().any(|k| is_under(k, p));
    pipeline::parse(&text, Path::new("pach.toml"), &tracked)?;
    Ok(())
}

/// `pach revert`: commits the undoing of `rev` on the current branch, as `identity`, with
/// the code version of the enclosing git repository.
pub fn revert(
    repo: &mut Repo,
    rev: &str,
    identity: &Identity,
) -> Result<crate::repo::RevertOutcome> {
    let code = crate::git::code_version(repo.root());
    repo.revert(rev, identity.author.clone(), identity.time(), code)
}
