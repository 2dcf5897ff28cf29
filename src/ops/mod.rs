//! Operations that span several layers (repository, pipeline, runner, remote transports):
//! options in, outcome out, never printing. The simpler git-style operations live on
//! `repo::Repo` itself.

mod chunk_sync;
pub mod clone;
pub mod commit;
pub mod du;
pub mod fetch;
pub mod gc;
pub mod merge;
pub mod purge;
pub mod purge_rerun;
pub mod purge_sync;
pub mod push_refs;
pub mod remote_fsck;
pub mod remote_gc;
pub mod remote_purge;
pub mod remotes;
pub mod run;
pub mod sweep;
pub mod sync;

pub use clone::CloneOutcome;
pub use fetch::{FetchOptions, FetchOutcome, FetchedBranch, FetchedTag};
pub use remote_fsck::RemoteFsckOutcome;
pub use sync::{PullOutcome, PushOutcome};

use crate::error::{Error, Result};
use crate::store::Author;

/// Who runs a command, from where, and when: what commits and run records name. The CLI
/// fills it once per command (from the environment, git and the system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub author: Author,
    /// The commit time when fixed (`PACH_AUTHOR_DATE`, Unix seconds); else the clock's.
    pub fixed_time: Option<i64>,
    /// `uid:gid` the containers run as.
    pub user: String,
    /// The host name run records name.
    pub host: String,
}

impl Identity {
    /// The time a commit made now records (Unix seconds): the fixed one, else the clock's,
    /// read at each call (a `run --watch` runs many times).
    pub fn time(&self) -> i64 {
        self.fixed_time
            .unwrap_or_else(|| crate::time::now_ns() / 1_000_000_000)
    }
}

/// The process's one tokio runtime, its start-up error named as such.
pub(crate) fn runtime() -> Result<&'static tokio::runtime::Runtime> {
    crate::runtime::get().map_err(|source| Error::Io {
        path: "tokio runtime".into(),
        source,
    })
}
