//! Pipelines: the stages declared in `pach.toml`, how their inputs split into datums, and the
//! order they run in.
//!
//! Everything here is pure: it works on text and snapshots already read. Running containers
//! lives in `runner`, recording results in `ops::run`.

pub mod dag;
pub mod datum;
pub mod spec;

pub use datum::{Datum, DatumInput, Glob, datums};
pub use spec::{Combine, Input, Pipeline, Settings, SpecError, Stage, parse, parse_settings};

use crate::paths::{is_under, overlaps};
