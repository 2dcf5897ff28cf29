//! A remote serving trees the local validation refuses: the fetch names the remote, the
//! commit and the path of the bad entry, and stores nothing.

use super::common::{TestRepo, stderr_of};
use super::{remote_obj, remote_read};

/// Writes an object into a directory remote; returns its id.
fn put(remote: &std::path::Path, bytes: &[u8]) -> String {
    let id = blake3::hash(bytes).to_hex().to_string();
    let p = remote_obj(remote, &id);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
    id
}

/// Writes a tree in the canonical encoding (`pach-tree 1\n` + compact JSON, fields in
/// declaration order) from entries made by [`entry`]; returns its id.
fn tree(remote: &std::path::Path, entries: &[String]) -> String {
    let b = format!("pach-tree 1\n{{\"entries\":[{}]}}\n", entries.join(","));
    put(remote, b.as_bytes())
}

fn entry(name: &str, kind: &str, id: &str, size: u64, exec: bool) -> String {
    format!(
        "{{\"name\":{},\"kind\":\"{kind}\",\"id\":\"{id}\",\"size\":{size}{}}}",
        serde_json::to_string(name).unwrap(),
        if exec { ",\"exec\":true" } else { "" }
    )
}

fn file(name: &str, id: &str, size: u64) -> String {
    entry(name, "file", id, size, false)
}

fn dir(name: &str, id: &str, size: u64) -> String {
    entry(name, "dir", id, size, false)
}

/// Pushes a real project, then points the remote's `main` at a child commit whose root tree
/// is `root(remote)`; returns (the project, remote URL, bad commit id).
fn serve(root: impl Fn(&std::path::Path) -> String) -> (TestRepo, String, String) {
    let a = TestRepo::init();
    a.commit_files("good", &[("ok.txt", "ok\n")]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap().to_string();
    a.pach(["remote", "add", "origin", &url]).assert().success();
    a.pach(["push"]).assert().success();
    let good = a.head();
    let text = String::from_utf8(remote_read(&remote, &good).unwrap()).unwrap();
    let c: serde_json::Value =
        serde_json::from_str(text.strip_prefix("pach-commit 1\n").unwrap()).unwrap();
    let old_tree = c["tree"].as_str().unwrap();
    // Same canonical bytes with another tree and the good commit as parent.
    let text = text
        .replace(old_tree, &root(&remote))
        .replace("\"parents\":[]", &format!("\"parents\":[\"{good}\"]"));
    let bad = put(&remote, text.as_bytes());
    std::fs::write(remote.join("refs/heads/main"), format!("{bad}\n")).unwrap();
    (a, url, bad)
}

fn refused(url: &str, bad: &str, path: &str) {
    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", url]).assert().success();
    let before = b.snapshot();
    let out = b.pach(["fetch"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("remote `origin`")
            && err.contains(&bad[..12])
            && err.contains(&format!("`{path}`")),
        "{err}"
    );
    b.assert_unchanged(&before);
    assert!(!b.path().join(".git").exists(), "something wrote .git");
    let c = TestRepo::new();
    c.pach(["clone", url, "c"]).assert().code(1);
    assert!(!c.path().join("c").exists(), "a refused clone left files");
}

#[test]
fn a_tree_entry_named_dot_git_with_a_hook_is_refused_and_nothing_is_stored() {
    let (_a, url, bad) = serve(|remote| {
        let hook = b"#!/bin/sh\necho pwned > /tmp/pach-pwned\n";
        let n = hook.len() as u64;
        let blob = put(remote, hook);
        let ok = blake3::hash(b"ok\n").to_hex().to_string();
        let hooks = tree(remote, &[entry("post-checkout", "file", &blob, n, true)]);
        let dotgit = tree(remote, &[dir("hooks", &hooks, n)]);
        tree(remote, &[dir(".git", &dotgit, n), file("ok.txt", &ok, 3)])
    });
    refused(&url, &bad, ".git");
}

#[test]
fn a_tree_with_unsorted_entries_is_refused_and_nothing_is_stored() {
    let (_a, url, bad) = serve(|remote| {
        let x = put(remote, b"x\n");
        let y = put(remote, b"y\n");
        let sub = tree(remote, &[file("b.txt", &x, 2), file("a.txt", &y, 2)]);
        tree(remote, &[dir("sub", &sub, 4)])
    });
    refused(&url, &bad, "sub/a.txt");
}

#[test]
fn a_tree_entry_named_dot_dot_is_refused_and_nothing_is_stored() {
    let (_a, url, bad) = serve(|remote| {
        let x = put(remote, b"x\n");
        let up = tree(remote, &[file("escape.txt", &x, 2)]);
        let sub = tree(remote, &[dir("..", &up, 2)]);
        tree(remote, &[dir("sub", &sub, 2)])
    });
    refused(&url, &bad, "sub/..");
}
