//! pach: git for data. The library behind the `pach` binary; tests use it directly.
pub mod cli;
pub mod db;
pub mod error;
pub mod git;
pub mod ops;
pub mod paths;
pub mod pipeline;
pub mod progress;
pub mod provenance;
pub mod remote;
pub mod repo;
pub mod runner;
pub mod runtime;
pub mod snapshot;
pub mod store;
pub mod time;
pub mod ui;

pub use error::{Error, Result};
