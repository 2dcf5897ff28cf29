//! Operations that span several layers (repository, pipeline, runner): options in, outcome
//! out, never printing. The simpler git-style operations live on `repo::Repo` itself.

pub mod run;
pub mod sweep;
