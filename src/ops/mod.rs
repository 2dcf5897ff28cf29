//! Operations that span several layers (repository, pipeline, runner, remote transports):
//! options in, outcome out, never printing. The simpler git-style operations live on
//! `repo::Repo` itself.

pub mod clone;
pub mod fetch;
pub mod remote_fsck;
pub mod remotes;
pub mod run;
pub mod sweep;
pub mod sync;

pub use clone::CloneOutcome;
pub use fetch::{FetchOutcome, FetchedBranch};
pub use remote_fsck::RemoteFsckOutcome;
pub use sync::{PullOutcome, PushOutcome};
