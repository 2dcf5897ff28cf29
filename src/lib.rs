//! pach: git for data. The library behind the `pach` binary; tests use it directly.
pub mod cli;
pub mod db;
pub mod error;
pub mod git;
pub mod names;
pub mod ops;
pub mod pipeline;
pub mod provenance;
pub mod remote;
pub mod repo;
pub mod runner;
pub mod store;
pub mod time;
pub mod ui;

pub use error::{Error, Result};
