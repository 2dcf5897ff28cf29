//! Encoding of the structured objects: trees, commits and run records.
//!
//! Blobs are stored as raw bytes, so a blob's id is exactly `b3sum` of the file. Structured
//! objects are one header line (`pach-tree 1`, `pach-commit 1`, `pach-run 1`) followed by
//! compact JSON with fields in a fixed order, so equal values always encode to equal bytes.
//! The kind of an object is always known from whatever refers to it; bytes are never sniffed.

use serde::{Deserialize, Serialize};

use super::ObjectId;

/// The kind of a tree entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Hash, Default)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    #[default]
    File,
    Dir,
    Symlink,
}

impl From<EntryKind> for crate::paths::Known {
    fn from(kind: EntryKind) -> Self {
        match kind {
            EntryKind::File => crate::paths::Known::File,
            EntryKind::Dir => crate::paths::Known::Dir,
            EntryKind::Symlink => crate::paths::Known::Link,
        }
    }
}

/// One entry of a tree: a file, a directory (another tree) or a symlink (its target as a blob).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TreeEntry {
    pub name: String,
    pub kind: EntryKind,
    pub id: ObjectId,
    /// Bytes of the file or link target; for a directory, the total of the files under it.
    pub size: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exec: bool,
}

/// One directory's entries, sorted by name (bytewise).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tree {
    pub entries: Vec<TreeEntry>,
}

/// Who made a commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    pub email: String,
}

/// The code version when a commit was made: the enclosing git repository's HEAD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeVersion {
    /// Hex id of git's HEAD commit; absent in a repository with no commits yet.
    pub git_commit: Option<String>,
    pub dirty: bool,
}

/// A commit: a snapshot of the whole tracked tree plus where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    pub author: Author,
    /// Seconds since the Unix epoch, UTC.
    pub time: i64,
    pub message: String,
    /// Absent when the project is not inside a git repository.
    pub code: Option<CodeVersion>,
    /// Run records of the datums that `pach run` executed or reused for the stages it ran
    /// when it made this commit (empty for commits made by `pach commit`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<ObjectId>,
}

/// The container image a run used: never a tag alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageRef {
    /// The name as written in `pach.toml`.
    pub tag: String,
    /// `sha256:` of the image config: what actually ran.
    pub id: String,
    /// Registry digest (`repo@sha256:…`) where the image came from a registry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// Where and as whom a run executed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Runner {
    /// `docker`.
    pub kind: String,
    /// Engine version.
    pub version: String,
    pub host: String,
    /// `uid:gid` the container ran as.
    pub user: String,
}

/// One input file of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInput {
    /// The stage input's name (`/pach/in/<input>`).
    pub input: String,
    /// Project path of the file.
    pub path: String,
    pub id: ObjectId,
}

/// One output file of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOutput {
    /// Project path of the file (under the stage's output path).
    pub path: String,
    pub id: ObjectId,
    pub size: u64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exec: bool,
    #[serde(default, skip_serializing_if = "is_file")]
    pub kind: EntryKind,
}

fn is_file(k: &EntryKind) -> bool {
    *k == EntryKind::File
}

/// A run record: one stage executed on one datum, and exactly what it used and made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRecord {
    pub stage: String,
    /// Hash of the stage definition (see `pipeline::Stage::definition_hash`).
    pub stage_hash: ObjectId,
    /// The datum key: hash of input ids, stage definition and image ID.
    pub datum: ObjectId,
    pub image: ImageRef,
    pub cmd: Vec<String>,
    pub env: std::collections::BTreeMap<String, String>,
    pub runner: Runner,
    /// The code version (git HEAD) when the run was made.
    pub code: Option<CodeVersion>,
    pub inputs: Vec<RunInput>,
    pub outputs: Vec<RunOutput>,
    /// Milliseconds since the Unix epoch.
    pub start_ms: i64,
    pub end_ms: i64,
    pub exit: i64,
    /// The container's combined stdout and stderr, as a blob.
    pub log: ObjectId,
}

/// Errors decoding an object.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("object is not a {expected} (bad header)")]
    Header { expected: &'static str },
    #[error("object is a malformed {kind}: {source}")]
    Json {
        kind: &'static str,
        source: serde_json::Error,
    },
    #[error("object is not a canonical {kind}: {reason}")]
    NotCanonical {
        kind: &'static str,
        /// The tree entry at fault, where one is (to name its path).
        entry: Option<String>,
        reason: String,
    },
}

/// A structured object kind with its header.
pub trait Structured: Serialize + for<'de> Deserialize<'de> {
    const KIND: &'static str;
    const HEADER: &'static [u8];

    /// Returns the canonical bytes of this object.
    fn encode(&self) -> Vec<u8> {
        let mut out = Self::HEADER.to_vec();
        serde_json::to_writer(&mut out, self).expect("serialising plain data cannot fail");
        out.push(b'\n');
        out
    }

    /// Checks what the encoding alone cannot: for a tree, sorted, unique and safe names.
    /// An error gives the entry at fault (if any) and why.
    fn check(&self) -> Result<(), (Option<String>, String)> {
        Ok(())
    }

    /// Parses canonical bytes, refusing any other encoding of the same value (unknown or
    /// reordered fields, other spacing or escapes) and any value [`Structured::check`]
    /// refuses: an object is accepted only in the one form pach writes.
    fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let body = bytes
            .strip_prefix(Self::HEADER)
            .ok_or(DecodeError::Header {
                expected: Self::KIND,
            })?;
        let value: Self = serde_json::from_slice(body).map_err(|source| DecodeError::Json {
            kind: Self::KIND,
            source,
        })?;
        let bad = |(entry, reason): (Option<String>, String)| DecodeError::NotCanonical {
            kind: Self::KIND,
            entry,
            reason,
        };
        value.check().map_err(bad)?;
        if value.encode() != bytes {
            let why = "its bytes differ from the canonical encoding of its value";
            return Err(bad((None, why.into())));
        }
        Ok(value)
    }
}

impl Structured for Tree {
    const KIND: &'static str = "tree";
    const HEADER: &'static [u8] = b"pach-tree 1\n";

    /// Entries are sorted bytewise by name with no name twice, every name passes
    /// [`crate::paths::validate_component`], and a directory is never executable.
    fn check(&self) -> Result<(), (Option<String>, String)> {
        for (i, e) in self.entries.iter().enumerate() {
            let bad = |reason: String| Err((Some(e.name.clone()), reason));
            if let Err(reason) = crate::paths::validate_component(&e.name) {
                return bad(format!(
                    "entry `{}` is refused: {reason}",
                    e.name.escape_debug()
                ));
            }
            if e.kind == EntryKind::Dir && e.exec {
                return bad(format!("directory entry `{}` is marked executable", e.name));
            }
            if let Some(prev) = i.checked_sub(1).map(|j| &self.entries[j]) {
                if prev.name == e.name {
                    return bad(format!("the name `{}` appears twice", e.name));
                }
                if prev.name > e.name {
                    return bad(format!(
                        "entries are not sorted: `{}` comes before `{}`",
                        prev.name, e.name
                    ));
                }
            }
        }
        Ok(())
    }
}

impl Structured for RunRecord {
    const KIND: &'static str = "run record";
    const HEADER: &'static [u8] = b"pach-run 1\n";
}

impl Structured for Commit {
    const KIND: &'static str = "commit";
    const HEADER: &'static [u8] = b"pach-commit 1\n";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_encoding_is_canonical_and_round_trips() {
        let t = Tree {
            entries: vec![TreeEntry {
                name: "a b\nc".into(),
                kind: EntryKind::File,
                id: ObjectId::of(b"x"),
                size: 1,
                exec: true,
            }],
        };
        let bytes = t.encode();
        assert!(bytes.starts_with(b"pach-tree 1\n{\"entries\":[{\"name\":\"a b\\nc\""));
        assert_eq!(Tree::decode(&bytes).unwrap(), t);
        assert!(Commit::decode(&bytes).is_err());
    }

    fn entry(name: &str) -> TreeEntry {
        TreeEntry {
            name: name.into(),
            kind: EntryKind::File,
            id: ObjectId::of(name.as_bytes()),
            size: 1,
            exec: false,
        }
    }

    fn refused(t: &Tree) -> String {
        Tree::decode(&t.encode()).unwrap_err().to_string()
    }

    #[test]
    fn trees_that_are_not_canonical_are_refused() {
        let ok = Tree {
            entries: vec![entry("a"), entry("b")],
        };
        assert!(Tree::decode(&ok.encode()).is_ok());
        let unsorted = Tree {
            entries: vec![entry("b"), entry("a")],
        };
        assert!(
            refused(&unsorted).contains("not sorted"),
            "{}",
            refused(&unsorted)
        );
        let twice = Tree {
            entries: vec![entry("a"), entry("a")],
        };
        assert!(refused(&twice).contains("appears twice"));
        for bad in ["", ".", "..", "x/y", "a\0b"] {
            let t = Tree {
                entries: vec![entry(bad)],
            };
            assert!(refused(&t).contains("is refused"), "{bad}: {}", refused(&t));
        }
        // The same value written another way: spacing, field order, an unknown field.
        let spaced = String::from_utf8(ok.encode())
            .unwrap()
            .replace("\"a\"", "\"a\" ");
        let spaced = spaced.replacen("\"name\":\"a\" ", "\"name\": \"a\"", 1);
        assert!(Tree::decode(spaced.as_bytes()).is_err());
        let extra = String::from_utf8(ok.encode()).unwrap().replacen(
            "{\"entries\"",
            "{\"x\":1,\"entries\"",
            1,
        );
        assert!(Tree::decode(extra.as_bytes()).is_err());
    }
}
