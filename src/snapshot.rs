//! A snapshot as one flat map: project path → file. Trees are how a snapshot is stored;
//! this is how every layer above the store reads and compares one.

use std::collections::BTreeMap;

use crate::store::{EntryKind, ObjectId};

/// A file or symlink in a snapshot, without its directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FileEntry {
    pub kind: EntryKind,
    pub id: ObjectId,
    pub size: u64,
    pub exec: bool,
}

/// A whole snapshot: project path → file.
pub type FlatTree = BTreeMap<String, FileEntry>;
