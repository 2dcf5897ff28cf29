//! Executing stage commands in containers. `docker` talks to the engine (bollard); this file
//! holds what the orchestrator needs to know about a run, independent of the engine.

pub mod docker;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

pub use docker::{Docker, Worker};

/// Errors of the container runner; each names the socket, image or container concerned.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot reach the Docker daemon at `{socket}`: {reason}")]
    Unreachable { socket: String, reason: String },
    #[error(
        "image `{image}` is not available locally, and no image can be pulled here (no registry is reachable)"
    )]
    ImageMissing { image: String },
    #[error("docker: {what}: {source}")]
    Api {
        what: String,
        source: bollard::errors::Error,
    },
    #[error("`{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("worker container {container} could not be reset between datums: {reason}")]
    Reset { container: String, reason: String },
    #[error("interrupted: every container of this run was stopped and removed")]
    Interrupted,
}

pub type Result<T> = std::result::Result<T, Error>;

/// How to start the containers of one stage.
#[derive(Clone, Debug)]
pub struct WorkerSpec {
    /// Image ID (`sha256:…`) to run: the one resolved at the start of the run.
    pub image: String,
    /// `uid:gid` to run as.
    pub user: String,
    pub network: bool,
    pub env: BTreeMap<String, String>,
    /// Labels that identify pach's containers (`pach.run`, `pach.stage`).
    pub labels: BTreeMap<String, String>,
}

/// What one command execution produced.
#[derive(Debug)]
pub struct Execution {
    /// Exit status; -1 when it timed out.
    pub exit: i64,
    pub timed_out: bool,
    pub start_ms: i64,
    pub end_ms: i64,
}

/// A datum to execute: where its inputs and outputs live on the host.
#[derive(Debug, Clone)]
pub struct Job {
    pub cmd: Vec<String>,
    pub timeout: Option<Duration>,
}

pub use crate::time::now_ms;
