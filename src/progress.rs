//! Progress of long work, reported by the lower layers and drawn by `ui`.
//!
//! A leaf module: it imports nothing from the crate, so every layer can report progress
//! without knowing who draws it.

/// Receives progress of long work; `ui` draws it, tests and `--quiet` ignore it.
pub trait Progress: Sync {
    /// Starts a phase of `files` files and `bytes` bytes.
    fn begin(&self, _label: &str, _files: u64, _bytes: u64) {}
    /// Reports one more file of `bytes` bytes done.
    fn advance(&self, _bytes: u64) {}
    /// Ends the phase.
    fn end(&self) {}
}

/// Progress that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}
