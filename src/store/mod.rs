//! The object store: immutable, content-addressed objects under `.pach/objects/`.
//!
//! What lives here: object ids, the encoding of structured objects, and the loose-object
//! directory with its crash-safe write protocol. What does not: refs and indexes (`db`).

pub mod chunk;
pub mod chunked;
mod chunking;
pub mod codec;
mod first_pass;
mod hash;
pub mod id;
pub mod loose;
mod place;
pub mod purge;
pub mod resize;
#[cfg(test)]
pub(crate) mod testutil;

pub use codec::{
    Author, CodeVersion, Commit, EntryKind, ImageRef, RunInput, RunOutput, RunRecord, Runner,
    Structured, Tree, TreeEntry,
};
pub use id::ObjectId;
pub use loose::{Batch, LinkMode, Store};

use std::path::PathBuf;

/// Errors of the object store; every one names its path or object.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{path}`")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("object {id} is missing from the store")]
    Missing { id: ObjectId },
    #[error("object {id} is corrupt: its content hashes to {actual}")]
    Mismatch { id: ObjectId, actual: ObjectId },
    #[error("object {id} is corrupt: {source}")]
    Corrupt {
        id: ObjectId,
        source: codec::DecodeError,
    },
    #[error(
        "`{path}` changed while it was being added (tried {tries} times); add it again when it is not being written"
    )]
    Unstable { path: PathBuf, tries: u32 },
    #[error("object {id}: its chunk {chunk} (at byte {offset}) is missing from the store")]
    ChunkMissing {
        id: ObjectId,
        chunk: ObjectId,
        offset: u64,
    },
    #[error(
        "object {id}: its chunk {chunk} (at byte {offset}) is corrupt: its content hashes to {actual}"
    )]
    ChunkCorrupt {
        id: ObjectId,
        chunk: ObjectId,
        offset: u64,
        actual: ObjectId,
    },
    #[error("object {id}: {source}")]
    BadList {
        id: ObjectId,
        source: chunk::BadList,
    },
    #[error("cannot flush the store to disk")]
    Sync { source: std::io::Error },
}

pub type Result<T> = std::result::Result<T, Error>;
