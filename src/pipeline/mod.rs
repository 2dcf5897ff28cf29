//! Pipelines: the stages declared in `pach.toml`, how their inputs split into datums, and the
//! order they run in.
//!
//! Everything here is pure: it works on text and snapshots already read. Running containers
//! lives in `runner`, recording results in `ops::run`.

pub mod dag;
pub mod datum;
pub mod spec;

pub use datum::{Datum, DatumInput, Glob, datums};
pub use spec::{Combine, Input, Pipeline, Settings, SpecError, Stage, parse};

/// Tells whether project path `path` is `prefix` or lies under it (`""` contains everything).
fn is_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.len() > prefix.len()
            && path.starts_with(prefix)
            && path.as_bytes()[prefix.len()] == b'/')
}

/// Tells whether one of two project paths is at or under the other.
fn overlaps(a: &str, b: &str) -> bool {
    is_under(a, b) || is_under(b, a)
}
