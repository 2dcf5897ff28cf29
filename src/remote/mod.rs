//! Remotes: where objects and branch refs go to leave the machine, and how they come back.
//!
//! A remote holds `objects/ab/cdef…` (the same names and bytes as the local store),
//! `chunked/ab/cdef…` (chunk indexes of chunked files, as in the local store),
//! `refs/heads/<branch>` and `refs/tags/<tag>` (a commit id and `\n`), and a `pach-remote`
//! marker naming its layout. Two backends: a directory ([`dir`]) and an
//! S3-compatible object store through `object_store` ([`s3`]). Transports only: what to move
//! and when refs may move (push, fetch, pull, clone, `fsck --remote`) is decided in `ops`.
//! Nothing here prints or touches the project; every call returns [`Error`]. Only the S3
//! transport reads the environment (the `AWS_*` variables, through `object_store`).

pub mod dir;
pub mod midx;
pub mod packed;
pub mod packs;
pub mod s3;

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::progress::Progress;
use crate::store::{Batch, ObjectId, Store};

/// Errors of remotes; each names the remote.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no remote named `{name}`")]
    Unknown { name: String },
    #[error("remote `{name}` already exists")]
    Exists { name: String },
    #[error("remote URL `{url}`: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("remote `{remote}`: `{}` is not a pach remote ({reason})", path.display())]
    NotARemote {
        remote: String,
        path: PathBuf,
        reason: &'static str,
    },
    #[error("remote `{remote}`: `{}`: {source}", path.display())]
    Io {
        remote: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("remote `{remote}`: cannot reach the endpoint `{endpoint}`: {cause}")]
    Unreachable {
        remote: String,
        endpoint: String,
        cause: String,
    },
    #[error("remote `{remote}`: access denied (wrong or missing credentials): {cause}")]
    Denied { remote: String, cause: String },
    #[error("remote `{remote}`: bucket `{bucket}` does not exist")]
    NoBucket { remote: String, bucket: String },
    #[error("remote `{remote}`: {op} failed: {cause}")]
    Store {
        remote: String,
        op: String,
        cause: String,
    },
    #[error("remote `{remote}`: `{key}` is missing on the remote")]
    NoKey { remote: String, key: String },
    #[error("remote `{remote}`: pack {pack}: {reason}; nothing was stored")]
    BadPack {
        remote: String,
        pack: String,
        reason: String,
    },
    #[error("remote `{remote}`: the pack index `{key}` is bad: {reason}; nothing was stored")]
    BadPackIndex {
        remote: String,
        key: String,
        reason: String,
    },
    #[error("remote `{remote}`: object {id} is missing on the remote")]
    Missing { remote: String, id: ObjectId },
    #[error(
        "remote `{remote}`: object {id} is corrupt on the remote: its content hashes to {actual}; it was not stored"
    )]
    Corrupt {
        remote: String,
        id: ObjectId,
        actual: ObjectId,
    },
    #[error(
        "remote `{remote}` was written by a newer pach (its marker says `{marker}`; this pach reads layouts up to {supported})"
    )]
    NewerLayout {
        remote: String,
        marker: String,
        supported: u32,
    },
    #[error(
        "remote `{remote}`: `layout = {layout}` in its [remote.{remote}] table of .pach/config.toml: this pach writes layouts 3 to {supported}"
    )]
    BadLayout {
        remote: String,
        layout: u32,
        supported: u32,
    },
    #[error("remote `{remote}`: the chunk index of {id} is bad: {reason}; nothing was stored")]
    BadIndex {
        remote: String,
        id: ObjectId,
        reason: String,
    },
    #[error("remote `{remote}`: the purge record {id} is bad: {reason}; it was not applied")]
    BadPurge {
        remote: String,
        id: ObjectId,
        reason: String,
    },
    #[error("remote `{remote}`: ref `{name}` holds `{value}`, not a commit id")]
    BadRef {
        remote: String,
        name: String,
        value: String,
    },
    #[error("remote `{remote}` has no branch `{branch}`")]
    NoBranch { remote: String, branch: String },
    #[error("remote `{remote}` has no tag `{tag}`")]
    NoTag { remote: String, tag: String },
    #[error(
        "push to `{remote}` refused: tag `{tag}` there is at {theirs}, not {ours} (a tag is not moved without --force)"
    )]
    TagExists {
        remote: String,
        tag: String,
        theirs: String,
        ours: String,
    },
    #[error("`{name}` is both a branch and a tag: push `refs/heads/{name}` or `refs/tags/{name}`")]
    AmbiguousRef { name: String },
    #[error("remote `{remote}`: tag `{tag}`: {reason}")]
    BadTagName {
        remote: String,
        tag: String,
        reason: String,
    },
    #[error(
        "push to `{remote}` refused: `{branch}` there is at {theirs}, which is not an ancestor of {ours} (not a fast-forward)"
    )]
    NotFastForward {
        remote: String,
        branch: String,
        theirs: String,
        ours: String,
    },
    #[error(
        "push to `{remote}` refused: `{branch}` there moved to {now} while pushing (expected {expected})"
    )]
    RefMoved {
        remote: String,
        branch: String,
        expected: String,
        now: String,
    },
    #[error(
        "`{branch}` has diverged: local {local} and `{remote}/{branch}` at {theirs} each have commits the other lacks"
    )]
    Diverged {
        remote: String,
        branch: String,
        local: String,
        theirs: String,
    },
    #[error("object {id} is missing from the local store; cannot push it")]
    LocalMissing { id: ObjectId },
    #[error(
        "object {id} in the local store is corrupt: its content hashes to {actual}; it was not uploaded to `{remote}` and no remote branch moved"
    )]
    LocalCorrupt {
        remote: String,
        id: ObjectId,
        actual: ObjectId,
    },
    #[error(
        "remote `{remote}`: commit {commit} has a bad tree entry `{path}`: {reason}; nothing was stored"
    )]
    BadTree {
        remote: String,
        commit: String,
        path: String,
        /// Why, with the tree's id.
        reason: String,
    },
    #[error("HEAD is detached (at {at}): `pach {command}` needs a branch")]
    DetachedHead { command: &'static str, at: String },
}

/// Returns a remote error of the `Io` kind.
pub fn io_err(remote: &str, path: &Path) -> impl Fn(std::io::Error) -> Error {
    let (remote, path) = (remote.to_owned(), path.to_owned());
    move |source| Error::Io {
        remote: remote.clone(),
        path: path.clone(),
        source,
    }
}

/// How to reach a remote: its name, URL and the project's S3 settings.
#[derive(Clone, Debug, Default)]
pub struct Spec {
    pub name: String,
    pub url: String,
    pub s3: S3Settings,
    /// The layout pushes write (`layout` in `[remote.<name>]`): 3 keeps every object loose,
    /// for readers from before packs; 4 packs small objects with an index per pack, for
    /// readers from before multi-pack indexes; unset or 5, one index per push.
    pub layout: Option<u32>,
}

/// The project's S3 settings (`[remote.<name>]` keys): each overrides what the `AWS_*`
/// variables say; unset ones leave the environment's value.
#[derive(Clone, Debug, Default)]
pub struct S3Settings {
    /// Endpoint URL (overrides `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, `AWS_ENDPOINT`).
    pub endpoint: Option<String>,
    /// Region (overrides `AWS_REGION`, `AWS_DEFAULT_REGION`).
    pub region: Option<String>,
    /// `Some(false)` forbids plain http even to loopback; nothing allows it elsewhere.
    pub allow_http: Option<bool>,
}

/// What a URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Dir(PathBuf),
    S3 { bucket: String, prefix: String },
}

/// Parses a remote URL: a directory path, `file://…`, or `s3://bucket/prefix`.
pub fn parse_url(url: &str, base: &Path) -> Result<Location, Error> {
    let bad = |reason: &str| Error::BadUrl {
        url: url.into(),
        reason: reason.into(),
    };
    if let Some(rest) = url.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(bad("no bucket name after `s3://`"));
        }
        let prefix = prefix.trim_matches('/').to_string();
        if prefix.split('/').any(|p| p == "." || p == "..") {
            return Err(bad("the prefix may not contain `.` or `..`"));
        }
        return Ok(Location::S3 {
            bucket: bucket.into(),
            prefix,
        });
    }
    let path = match url.strip_prefix("file://") {
        Some(p) if p.starts_with('/') => PathBuf::from(p),
        Some(_) => return Err(bad("a `file://` URL needs an absolute path")),
        None if url.contains("://") => {
            return Err(bad(
                "use a directory path, `file://…` or `s3://bucket/prefix`",
            ));
        }
        None if url.is_empty() => return Err(bad("it is empty")),
        None => base.join(url),
    };
    Ok(Location::Dir(path))
}

/// A remote store of objects and branch refs. Every call names the remote in its errors.
///
/// Transfers run concurrently inside the backend. Invariants kept by every backend: an object
/// appears whole or not at all, and a ref moves only by compare-and-swap.
pub trait Backend: Send + Sync {
    /// Lists the ids of every file under `dir/ab/cdef…` (`objects` or `chunked`).
    fn list_ids(&self, dir: &str) -> Result<HashSet<ObjectId>, Error>;
    /// Lists the ids of every object the remote holds.
    fn list_objects(&self) -> Result<HashSet<ObjectId>, Error> {
        self.list_ids("objects")
    }
    /// Writes small files (`rel` to the remote's root) whole: each appears complete and
    /// durable, or not at all.
    fn put_files(&self, files: &[(String, Vec<u8>)]) -> Result<(), Error>;
    /// Reads small files; `None` for each one that is absent.
    fn get_files(&self, rels: &[String]) -> Result<Vec<Option<Vec<u8>>>, Error>;
    /// Deletes files (`rel` to the remote's root); one already gone is no error.
    fn delete_files(&self, rels: &[String]) -> Result<(), Error>;
    /// What a remote gc needs to see: every pack, loose object, chunk index and pending
    /// gc list, whatever the lists condemn. Only a packing remote answers.
    fn gc_view(&self) -> Result<packed::GcView, Error> {
        Err(Error::Store {
            remote: String::new(),
            op: "remote gc".into(),
            cause: "this transport has no gc view".into(),
        })
    }
    /// Lists the names of the files directly under `dir` (none when it does not exist).
    fn list_names(&self, dir: &str) -> Result<Vec<String>, Error>;
    /// Reads byte ranges of file `rel`, concurrently; [`Error::NoKey`] when it is missing. A
    /// range past the file's end comes back short (the caller checks lengths).
    fn get_ranges(&self, rel: &str, ranges: &[Range<u64>]) -> Result<Vec<Vec<u8>>, Error>;
    /// Uploads local objects (id, local path, size), replacing any remote copy; returns once
    /// all are durable on the remote. The bytes are hashed as they are uploaded: a local
    /// object that does not match its id fails with [`Error::LocalCorrupt`] and is not stored.
    fn put_objects(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        p: &dyn Progress,
    ) -> Result<(), Error>;
    /// Uploads objects so that each becomes visible no earlier than those before it (commits,
    /// oldest first: a commit on the remote implies its parents are). Transports upload them
    /// one at a time; packing remotes pack them and write the indexes in order.
    fn put_ordered(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        p: &dyn Progress,
    ) -> Result<(), Error> {
        for item in items {
            self.put_objects(std::slice::from_ref(item), p)?;
        }
        Ok(())
    }
    /// The layout pushes write: 3 (every object loose), 4 or 5 (small objects in packs).
    fn writes_layout(&self) -> u32 {
        3
    }
    /// Re-hashes remote objects; returns those that are missing or do not match their ids.
    fn check_objects(
        &self,
        ids: &[ObjectId],
        p: &dyn Progress,
    ) -> Result<Vec<(ObjectId, Damage)>, Error>;
    /// Downloads small objects, verified against their ids.
    fn get_small(&self, ids: &[ObjectId]) -> Result<Vec<(ObjectId, Vec<u8>)>, Error>;
    /// Downloads small objects like [`Backend::get_small`], handing each to `each` as it
    /// arrives (from any thread), so that they need not all be in memory at once; an error
    /// from `each` stops the download and is returned. Asks for [`EACH_AT_ONCE`] at a time
    /// unless the transport does better (packs: every wanted object of a pack at once).
    fn get_each(&self, ids: &[ObjectId], each: Each) -> Result<(), Error> {
        for group in ids.chunks(EACH_AT_ONCE) {
            for (id, bytes) in self.get_small(group)? {
                each(id, bytes)?;
            }
        }
        Ok(())
    }
    /// Downloads objects into `batch` of the local store, each verified before it is queued.
    fn get_into(
        &self,
        items: &[(ObjectId, u64)],
        store: &Store,
        batch: &Batch,
        p: &dyn Progress,
    ) -> Result<(), Error>;
    /// Orders objects about to be downloaded the way this transport reads them best (packed
    /// objects by pack and offset), so that a caller asking for them a group at a time
    /// reads each stretch of a pack once.
    fn fetch_order(&self, _items: &mut [(ObjectId, u64)]) -> Result<(), Error> {
        Ok(())
    }
    /// Drops what the transport keeps in memory for reading (the pack map): the caller is
    /// done reading objects for now (it is read again if asked).
    fn release(&self) {}
    /// Lists the refs of one space (branches or tags) with their commits, sorted by name. A
    /// remote made before tags existed (no `refs/tags/`) has none.
    fn list_refs(&self, space: RefSpace) -> Result<Vec<(String, ObjectId)>, Error>;
    /// Lists branches with their commits.
    fn branches(&self) -> Result<Vec<(String, ObjectId)>, Error> {
        self.list_refs(RefSpace::Heads)
    }
    /// Reads a ref: its commit and a version token for [`Backend::swap_ref`].
    fn read_ref(
        &self,
        space: RefSpace,
        name: &str,
    ) -> Result<Option<(ObjectId, RefVersion)>, Error>;
    /// Sets a ref to `new` if it still is at `expected` (absent when `None`).
    fn swap_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: Option<&(ObjectId, RefVersion)>,
        new: ObjectId,
    ) -> Result<(), Error>;
    /// Deletes a ref if it still is at `expected`.
    fn delete_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: &(ObjectId, RefVersion),
    ) -> Result<(), Error>;
}

/// What [`Backend::get_each`] hands each object to: its id and verified bytes.
pub type Each<'a> = &'a (dyn Fn(ObjectId, Vec<u8>) -> Result<(), Error> + Sync);

/// Objects [`Backend::get_each`] asks a transport for at once: bounds the bytes in memory.
pub const EACH_AT_ONCE: usize = 512;

/// What is wrong with a remote object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    Missing,
    /// Its bytes hash to this id instead.
    Corrupt(ObjectId),
}

/// Hashes what is read through `r` (and copies it to `w`), and checks it against `id`: a
/// local object about to be uploaded.
pub fn copy_verified(
    remote: &str,
    id: &ObjectId,
    r: &mut impl std::io::Read,
    w: &mut impl std::io::Write,
) -> std::io::Result<Result<(), Error>> {
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        w.write_all(&buf[..n])?;
    }
    Ok(local_check(remote, id, h.finalize()))
}

/// Checks the hash of a local object's bytes against its id before they count as uploaded.
pub fn local_check(remote: &str, id: &ObjectId, hash: blake3::Hash) -> Result<(), Error> {
    let actual = ObjectId::from_hash(hash);
    if actual == *id {
        Ok(())
    } else {
        Err(Error::LocalCorrupt {
            remote: remote.into(),
            id: *id,
            actual,
        })
    }
}

/// Where a remote ref lives: `refs/heads/` (branches) or `refs/tags/` (tags, layout 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RefSpace {
    Heads,
    Tags,
}

impl RefSpace {
    /// The directory (or key prefix) of the space, relative to the remote's root.
    pub fn dir(self) -> &'static str {
        match self {
            RefSpace::Heads => "refs/heads",
            RefSpace::Tags => "refs/tags",
        }
    }

    /// How a ref of this space is named in messages: a branch by its name, a tag by its
    /// full name (`refs/tags/v1`), so the two never read alike.
    pub fn shown(self, name: &str) -> String {
        match self {
            RefSpace::Heads => name.to_string(),
            RefSpace::Tags => format!("refs/tags/{name}"),
        }
    }
}

/// A backend's version of a ref as read (an S3 ETag; nothing for directories).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefVersion(pub Option<String>);

/// Opens the backend a spec names; `base` resolves relative directory paths. Objects in
/// packs are read through [`packed::Packed`]; pushes pack unless the remote's settings ask
/// for layout 3.
pub fn open(spec: &Spec, base: &Path) -> Result<Box<dyn Backend>, Error> {
    let transport: Box<dyn Backend> = match parse_url(&spec.url, base)? {
        Location::Dir(path) => Box::new(dir::DirRemote::new(&spec.name, path)),
        Location::S3 { bucket, prefix } => {
            Box::new(s3::S3Remote::new(&spec.name, &bucket, &prefix, &spec.s3)?)
        }
    };
    let writes = spec.layout.unwrap_or(PACK_LAYOUT);
    Ok(Box::new(packed::Packed::new(&spec.name, transport, writes)))
}

/// Checks downloaded bytes against the id they were asked for.
pub fn verify(remote: &str, id: &ObjectId, bytes: &[u8]) -> Result<(), Error> {
    let actual = ObjectId::of(bytes);
    if actual == *id {
        Ok(())
    } else {
        Err(Error::Corrupt {
            remote: remote.into(),
            id: *id,
            actual,
        })
    }
}

/// Parses a ref file's text.
pub fn parse_ref(remote: &str, name: &str, text: &[u8]) -> Result<ObjectId, Error> {
    let s = String::from_utf8_lossy(text);
    s.trim().parse().map_err(|()| Error::BadRef {
        remote: remote.into(),
        name: name.into(),
        value: s.trim().chars().take(80).collect(),
    })
}

/// The newest layout this pach reads and writes: 3 adds chunked files (`chunked/`), 4 packs
/// (`packs/`), 5 one multi-pack index per push instead of one index per pack ([`midx`]), 6
/// purge records (`purges/<purge id>`). Recorded in the [`MARKER`] file of every remote a
/// chunked file, a pack or a purge record was pushed to.
pub const LAYOUT: u32 = 6;
/// The newest layout a push of objects writes (packs with multi-pack indexes); only a purge
/// record makes a remote [`LAYOUT`] 6.
pub const PACK_LAYOUT: u32 = 5;
/// The layout that adds purge records.
pub const PURGE_LAYOUT: u32 = 6;
/// The marker file (key) at a remote's root: `pach-remote <layout>\n`.
pub const MARKER: &str = "pach-remote";

/// Parses a marker's text into its layout version.
pub fn parse_marker(text: &[u8]) -> Option<u32> {
    std::str::from_utf8(text)
        .ok()?
        .trim()
        .strip_prefix("pach-remote ")?
        .parse()
        .ok()
}

/// Returns the relative key of a purge record: `purges/<purge id>`.
pub fn purge_key(id: &ObjectId) -> String {
    format!("purges/{}", id.hex())
}

/// Returns the relative key of a chunk index: `chunked/ab/cdef…`.
pub fn index_key(id: &ObjectId) -> String {
    let hex = id.hex();
    format!("chunked/{}/{}", &hex[..2], &hex[2..])
}

/// Returns the relative key of an object: `objects/ab/cdef…`.
pub fn object_key(id: &ObjectId) -> String {
    let hex = id.hex();
    format!("objects/{}/{}", &hex[..2], &hex[2..])
}

/// Parses `ab` + `cdef…` back into an id.
pub fn id_from_parts(fan: &str, rest: &str) -> Option<ObjectId> {
    if fan.len() != 2 {
        return None;
    }
    format!("{fan}{rest}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_into_dirs_and_buckets() {
        let b = Path::new("/base");
        assert_eq!(
            parse_url("../r", b).unwrap(),
            Location::Dir("/base/../r".into())
        );
        assert_eq!(
            parse_url("file:///x/y", b).unwrap(),
            Location::Dir("/x/y".into())
        );
        assert_eq!(
            parse_url("s3://bk/a/b/", b).unwrap(),
            Location::S3 {
                bucket: "bk".into(),
                prefix: "a/b".into()
            }
        );
        assert!(parse_url("s3:///x", b).is_err());
        assert!(parse_url("http://x", b).is_err());
        assert!(parse_url("file://rel", b).is_err());
    }
}
