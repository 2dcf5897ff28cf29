//! The crate error: wraps each layer's error, and owns exit codes and hints.

use std::path::PathBuf;

/// Exit code of a success.
pub const EXIT_OK: i32 = 0;
/// Exit code of any failure not listed below.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code of a usage error (bad flags or arguments), as clap reports them.
pub const EXIT_USAGE: i32 = 2;
/// Exit code when another pach process holds the repository lock.
pub const EXIT_LOCKED: i32 = 3;
/// Exit code when a check (`fsck`) found problems.
pub const EXIT_CHECK: i32 = 4;
/// Exit code when content asked for was purged (`pach cat`, `pach checkout`; see
/// docs/PURGE.md).
pub const EXIT_PURGED: i32 = 5;

/// Every error pach reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] crate::store::Error),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
    #[error(transparent)]
    Remote(#[from] crate::remote::Error),
    #[error("not a pach project (no `.pach/` in `{}` or any parent)", start.display())]
    NotAProject { start: PathBuf },
    #[error("`{}` is already inside the pach project at `{}`", path.display(), root.display())]
    AlreadyProject { path: PathBuf, root: PathBuf },
    #[error("repository is locked by pid {pid} (`{}`)", lock.display())]
    Locked { pid: String, lock: PathBuf },
    #[error("`{path}`: {reason}")]
    BadPath { path: String, reason: String },
    #[error("`{path}` does not exist")]
    NoSuchPath { path: String },
    #[error("`{path}` is not tracked")]
    NotTracked { path: String },
    #[error("unknown revision `{rev}`")]
    UnknownRev { rev: String },
    #[error("`{rev}`: the reflog of `{name}` has only {entries} move(s) (see `pach reflog`)")]
    ReflogTooShort {
        rev: String,
        name: String,
        entries: usize,
    },
    #[error("ambiguous revision `{rev}`: it matches several commits ({candidates})")]
    AmbiguousRev { rev: String, candidates: String },
    #[error("no commits yet on `{branch}`")]
    NoCommits { branch: String },
    #[error("nothing to commit (use `pach add` first, or --allow-empty)")]
    NothingToCommit,
    #[error("the commit message is empty")]
    EmptyMessage,
    #[error("branch `{name}` already exists")]
    BranchExists { name: String },
    #[error("tag `{name}` already exists")]
    TagExists { name: String },
    #[error("no branch named `{name}`")]
    NoSuchBranch { name: String },
    #[error("no tag named `{name}`")]
    NoSuchTag { name: String },
    #[error("cannot delete branch `{name}`: it is checked out")]
    DeleteCurrentBranch { name: String },
    #[error("`{name}` is not a valid {what} name: {reason}")]
    BadName {
        name: String,
        what: &'static str,
        reason: &'static str,
    },
    #[error("checkout would overwrite local changes to {}", list_paths(paths))]
    WouldOverwrite { paths: Vec<String> },
    #[error(
        "the reset would overwrite untracked {}; move them away first",
        list_paths(paths)
    )]
    UntrackedInTheWay { paths: Vec<String> },
    #[error("cannot revert `{rev}`: {reason}")]
    RevertRefused { rev: String, reason: String },
    #[error(
        "cannot revert `{rev}`: later commits changed {} again",
        list_paths(paths)
    )]
    RevertConflict { rev: String, paths: Vec<String> },
    #[error(
        "there are staged changes to {}; commit or unstage them before `pach {command}`",
        list_paths(paths)
    )]
    StagedFirst {
        command: &'static str,
        paths: Vec<String>,
    },
    #[error("`{path}` already exists; nothing was moved")]
    DestinationExists { path: String },
    #[error("`{rev}:{path}` {reason}")]
    NotAFile {
        rev: String,
        path: String,
        reason: &'static str,
    },
    #[error("config `{}`: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("`{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fsck found {count} problem(s)")]
    CheckFailed { count: usize },
    #[error("{count} output file(s) differ from their run records")]
    VerifyFailed { count: usize },
    #[error("{count} path(s) are in conflict: {}", list_paths(paths))]
    MergeConflicts { count: usize, paths: Vec<String> },
    #[error("cannot commit: {} path(s) still in conflict: {}", paths.len(), list_paths(paths))]
    UnresolvedConflicts { paths: Vec<String> },
    #[error("a merge of {theirs} is in progress")]
    MergeInProgress { theirs: String },
    #[error("no merge is in progress")]
    NoMergeInProgress,
    #[error("`{rev}` and HEAD have no common history; pach merges only related histories")]
    UnrelatedHistories { rev: String },
    #[error("cannot merge with staged changes: {}", list_paths(paths))]
    StagedChanges { paths: Vec<String> },
    #[error("{datums} datum(s) of {stages} stage(s) are stale")]
    Stale { datums: usize, stages: usize },
    #[error(transparent)]
    Spec(#[from] crate::pipeline::SpecError),
    #[error(transparent)]
    Runner(#[from] crate::runner::Error),
    #[error("{message}")]
    Pipeline { message: String },
    #[error(
        "stage `{stage}` failed on datum {datum} (exit {exit}); last lines of its log:\n{tail}"
    )]
    StageFailed {
        stage: String,
        datum: String,
        exit: i64,
        tail: String,
    },
    #[error("`{path}` was made by run {run}, but that run record is missing from the store")]
    RunRecordMissing {
        path: String,
        run: crate::store::ObjectId,
    },
    #[error("provenance check found {count} missing or corrupt object(s)")]
    ProvenanceCheckFailed { count: usize },
    #[error("{what} cannot be rendered as `{format}`; use `tree` or `json`")]
    UnsupportedFormat { what: &'static str, format: String },
    #[error("bad duration `{text}`: use a number with s, m, h or d (e.g. `30m`)")]
    BadDuration { text: String },
    #[error("`{path}` was purged by {} on {}: {reason}", purge.short(), crate::time::utc_seconds(*time))]
    Purged {
        path: String,
        purge: crate::store::ObjectId,
        time: i64,
        reason: String,
    },
    #[error("{} purged file(s) were not written: {}", paths.len(), list_paths(paths))]
    PurgedNotWritten { paths: Vec<String> },
    #[error("`{arg}`: give REV:PATH or a file's object id (64 hex digits)")]
    BadPurgeTarget { arg: String },
    #[error("object {id} is not in the store and no purge names it")]
    UnknownObject { id: crate::store::ObjectId },
    #[error("object {id} is a {what}, not a file's content; only file contents can be purged")]
    NotFileContent {
        id: crate::store::ObjectId,
        what: &'static str,
    },
}

fn list_paths(paths: &[String]) -> String {
    let mut s: Vec<String> = paths.iter().take(5).map(|p| format!("`{p}`")).collect();
    if paths.len() > 5 {
        s.push(format!("and {} more", paths.len() - 5));
    }
    s.join(", ")
}

/// Result with the crate error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Returns the process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Locked { .. } => EXIT_LOCKED,
            Error::CheckFailed { .. }
            | Error::VerifyFailed { .. }
            | Error::ProvenanceCheckFailed { .. } => EXIT_CHECK,
            Error::Purged { .. } | Error::PurgedNotWritten { .. } => EXIT_PURGED,
            _ => EXIT_FAILURE,
        }
    }

    /// Returns advice for the user, where there is some.
    pub fn hint(&self) -> Option<String> {
        self.hint_for("")
    }

    /// Returns advice for the user of `command` (the subcommand that failed, `""` if not
    /// known): every command a hint names must work as written.
    pub fn hint_for(&self, command: &str) -> Option<String> {
        Some(match self {
            Error::WouldOverwrite { .. } => match command {
                "revert" => "commit them (`pach add <path>`, then `pach commit -m <message>`), or discard them with `pach restore <path>`, then revert again".into(),
                "pull" => "commit them (`pach add <path>`, then `pach commit -m <message>`) and pull again, or discard them with `pach checkout HEAD -- <path>`".into(),
                // `commit --run` runs the stages after committing.
                "run" | "commit" => "those are outputs of a stage, which `pach run` rewrites: copy your edits elsewhere, restore the outputs with `pach checkout HEAD -- <path>`, then run again".into(),
                _ => "commit them (`pach add <path>`, then `pach commit -m <message>`), or discard them with `pach checkout --force <rev>`".into(),
            },
            Error::EmptyMessage => "describe the change: `pach commit -m \"<message>\"`".into(),
            Error::NotAProject { .. } => "run `pach init` to create one here".into(),
            Error::Locked { .. } => "wait for the other pach command to finish; if no pach is running, the lock is released on its own".into(),
            Error::StagedFirst { .. } => "unstage them with `pach restore --staged <path>`, or commit them with `pach commit -m <message>`".into(),
            Error::AmbiguousRev { .. } => "give more characters of the commit id".into(),
            Error::Runner(crate::runner::Error::ImageMissing { .. }) => {
                "build or load it locally: `docker build -t <tag> .`, `docker load -i image.tar`, or for the examples `examples/wordcount/build-image.sh <tag>`".into()
            }
            Error::Runner(crate::runner::Error::Unreachable { .. }) => {
                "start the Docker daemon, or set DOCKER_HOST to where it listens".into()
            }
            Error::StageFailed { stage, datum, .. } => {
                format!("see the whole log with `pach logs {stage} --datum {datum}`; datums that succeeded are cached, so the next run resumes")
            }
            Error::Db(crate::db::Error::DiskFull { .. }) => {
                "free some space and run the command again; nothing was changed".into()
            }
            Error::Store(crate::store::Error::Write { source, .. })
                if source.raw_os_error() == Some(28) =>
            {
                "the disk is full: free some space and run the command again; nothing was changed".into()
            }
            Error::RunRecordMissing { .. } => "run `pach fsck` to check the whole store".into(),
            Error::Stale { .. } => "bring them up to date with `pach run`".into(),
            Error::MergeConflicts { .. } | Error::UnresolvedConflicts { .. } => "for each path: keep one side with `pach checkout --ours <path>` or `pach checkout --theirs <path>` (or edit it), then `pach add <path>`; conclude with `pach commit -m <message>`, or give up with `pach merge --abort`".into(),
            Error::MergeInProgress { .. } => "conclude it with `pach commit -m <message>` once `pach status` lists no conflicts, or abandon it with `pach merge --abort`".into(),
            Error::StagedChanges { .. } => "commit them first (`pach commit -m <message>`)".into(),
            Error::Store(crate::store::Error::Missing { .. }
                | crate::store::Error::Corrupt { .. }
                | crate::store::Error::Mismatch { .. }) => {
                "run `pach fsck` to check the whole store".into()
            }
            Error::Purged { .. } | Error::PurgedNotWritten { .. } => {
                "every purge and its reason: `pach purge --list`".into()
            }
            Error::Remote(e) => return remote_hint(e),
            _ => return None,
        })
    }
}

/// Returns advice for remote errors. Every command named here exists with those flags;
/// tests run each hinted command.
fn remote_hint(e: &crate::remote::Error) -> Option<String> {
    use crate::remote::Error as R;
    Some(match e {
        R::Unknown { .. } => "list remotes with `pach remote list`; add one with `pach remote add <name> <url>`".into(),
        R::NotFastForward { remote, branch, .. } => format!(
            "bring their commits with `pach pull {remote} {branch}` (`pach pull --merge {remote} {branch}` if you have new commits too) and push again, or overwrite theirs with `pach push {remote} {branch} --force`"
        ),
        R::RefMoved { remote, branch, .. } if branch.starts_with("refs/tags/") => {
            format!("someone pushed that tag meanwhile: see it with `pach fetch {remote}`")
        }
        R::RefMoved { remote, branch, .. } => {
            format!("someone pushed meanwhile: run `pach pull {remote} {branch}`, then push again")
        }
        R::TagExists { remote, tag, .. } => format!(
            "a tag names one commit for good: pick another name, or move theirs with `pach push {remote} refs/tags/{tag} --force`"
        ),
        R::Diverged { remote, branch, theirs, .. } => format!(
            "merge theirs into yours with `pach pull --merge {remote} {branch}`; or keep yours with `pach push {remote} {branch} --force`; or take theirs with `pach checkout {theirs}`, `pach branch -d {branch}`, `pach checkout -b {branch}`"
        ),
        R::Denied { .. } => "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the web identity, container or instance credentials pach found)".into(),
        R::Unreachable { .. } => "check the endpoint (AWS_ENDPOINT_URL or `endpoint` in `[remote.<name>]`) and that the server runs".into(),
        R::NoBucket { .. } => "create the bucket first; pach does not create buckets".into(),
        R::Corrupt { remote, .. } | R::Missing { remote, .. } | R::BadPack { remote, .. } => format!(
            "the remote copy is damaged or gone: in a clone that has a good copy, run `pach fsck --remote {remote} --repair` (with that clone's name for this remote)"
        ),
        R::LocalCorrupt { .. } => "run `pach fsck` to list every damaged object in this store, and push from a clone that has a good copy".into(),
        R::DetachedHead { command: "push", .. } => "make a branch here with `pach branch <name>` (or `pach checkout -b <name>`), then `pach push <remote> <name>`".into(),
        R::DetachedHead { command, .. } => {
            format!("switch to a branch with `pach checkout <branch>`, or name one: `pach {command} <remote> <branch>`")
        }
        _ => return None,
    })
}

impl From<crate::paths::BadPath> for Error {
    fn from(e: crate::paths::BadPath) -> Self {
        Error::BadPath {
            path: e.path,
            reason: e.reason,
        }
    }
}
