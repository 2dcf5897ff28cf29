//! End-to-end tests of remotes: directory remotes, a real local S3 server, and faults.

// Tests may unwrap: a panic is the failure report (STYLE.md: no `unwrap()` outside tests).
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod bad_trees;
mod chunks;
mod dir;
mod faults;
mod gc;
mod hints;
mod refs;
mod repair;
mod s3;

use std::path::{Path, PathBuf};

/// Re-hashes every object under a remote directory; returns the names that do not match.
pub fn remote_fsck(root: &Path) -> (usize, Vec<String>) {
    let mut bad = Vec::new();
    let mut n = 0;
    for e in walkdir::WalkDir::new(root.join("objects")).min_depth(2) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        n += 1;
        let name = format!(
            "{}{}",
            e.path()
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            e.file_name().to_string_lossy()
        );
        let bytes = std::fs::read(e.path()).unwrap();
        if blake3::hash(&bytes).to_hex().as_str() != name {
            bad.push(name);
        }
    }
    (n, bad)
}

/// Returns the path of an object in a remote directory.
pub fn remote_obj(root: &Path, id: &str) -> PathBuf {
    root.join("objects").join(&id[..2]).join(&id[2..])
}

/// Checks that everything reachable from `commit` is present in the remote directory.
pub fn assert_closure(root: &Path, commit: &str) {
    let json = |id: &str| -> serde_json::Value {
        let p = remote_obj(root, id);
        let b = std::fs::read(&p).unwrap_or_else(|e| panic!("object {id} missing: {e}"));
        let body = b.splitn(2, |c| *c == b'\n').nth(1).unwrap();
        serde_json::from_slice(body).unwrap()
    };
    let mut commits = vec![commit.to_string()];
    let mut seen = std::collections::HashSet::new();
    while let Some(c) = commits.pop() {
        if !seen.insert(c.clone()) {
            continue;
        }
        let v = json(&c);
        let mut trees = vec![v["tree"].as_str().unwrap().to_string()];
        while let Some(t) = trees.pop() {
            for e in json(&t)["entries"].as_array().unwrap() {
                let id = e["id"].as_str().unwrap();
                if e["kind"] == "dir" {
                    trees.push(id.into());
                } else {
                    assert_blob(root, id);
                }
            }
        }
        for p in v["parents"].as_array().unwrap() {
            commits.push(p.as_str().unwrap().into());
        }
    }
}

/// Checks that a blob is on the remote: whole, or as a chunk index whose segments and
/// chunks are all there.
pub fn assert_blob(root: &Path, id: &str) {
    if remote_obj(root, id).is_file() {
        return;
    }
    let index = root.join("chunked").join(&id[..2]).join(&id[2..]);
    let text = std::fs::read_to_string(&index).unwrap_or_else(|e| panic!("blob {id} missing: {e}"));
    for line in text.lines().skip(2) {
        let seg = line.split(' ').next().unwrap();
        let seg_text = std::fs::read_to_string(remote_obj(root, seg))
            .unwrap_or_else(|e| panic!("segment {seg} of {id} missing: {e}"));
        for c in seg_text.lines().skip(1) {
            let chunk = c.split(' ').next().unwrap();
            assert!(
                remote_obj(root, chunk).is_file(),
                "chunk {chunk} of {id} missing"
            );
        }
    }
}

/// Reads a directory remote's branch.
pub fn remote_ref(root: &Path, branch: &str) -> Option<String> {
    std::fs::read_to_string(root.join("refs/heads").join(branch))
        .ok()
        .map(|s| s.trim().to_string())
}
