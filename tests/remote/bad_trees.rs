//! A remote serving trees the local validation refuses: the fetch names the remote, the
//! commit and the path of the bad entry, and stores nothing.

use serde_json::json;

use super::common::{TestRepo, stderr_of};
use super::remote_obj;

/// Writes an object into a directory remote; returns its id.
fn put(remote: &std::path::Path, bytes: &[u8]) -> String {
    let id = blake3::hash(bytes).to_hex().to_string();
    let p = remote_obj(remote, &id);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
    id
}

fn tree(remote: &std::path::Path, entries: serde_json::Value) -> String {
    let mut b = b"pach-tree 1\n".to_vec();
    b.extend(serde_json::to_vec(&json!({ "entries": entries })).unwrap());
    b.push(b'\n');
    put(remote, &b)
}

fn file(name: &str, id: &str, size: u64) -> serde_json::Value {
    json!({"name": name, "kind": "file", "id": id, "size": size})
}

/// Pushes a real project, then points the remote's `main` at a commit whose root tree is
/// `root(remote)`; returns (remote URL, bad commit id).
fn serve(root: impl Fn(&std::path::Path) -> String) -> (TestRepo, String, String) {
    let a = TestRepo::init();
    a.commit_files("good", &[("ok.txt", "ok\n")]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap().to_string();
    a.pach(["remote", "add", "origin", &url]).assert().success();
    a.pach(["push"]).assert().success();
    let good = a.head();
    let bytes = std::fs::read(remote_obj(&remote, &good)).unwrap();
    let body = bytes.strip_prefix(b"pach-commit 1\n".as_slice()).unwrap();
    let mut c: serde_json::Value = serde_json::from_slice(body).unwrap();
    c["tree"] = json!(root(&remote));
    c["parents"] = json!([good]);
    let mut b = b"pach-commit 1\n".to_vec();
    b.extend(serde_json::to_vec(&c).unwrap());
    b.push(b'\n');
    let bad = put(&remote, &b);
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
        let blob = put(remote, hook);
        let ok = blake3::hash(b"ok\n").to_hex().to_string();
        let hooks = tree(
            remote,
            json!([{"name": "post-checkout", "kind": "file", "id": blob,
                    "size": hook.len(), "exec": true}]),
        );
        let dotgit = tree(
            remote,
            json!([{"name": "hooks", "kind": "dir", "id": hooks, "size": hook.len()}]),
        );
        tree(
            remote,
            json!([
                {"name": ".git", "kind": "dir", "id": dotgit, "size": hook.len()},
                file("ok.txt", &ok, 3)
            ]),
        )
    });
    refused(&url, &bad, ".git");
}

#[test]
fn a_tree_with_unsorted_entries_is_refused_and_nothing_is_stored() {
    let (_a, url, bad) = serve(|remote| {
        let x = put(remote, b"x\n");
        let y = put(remote, b"y\n");
        let sub = tree(remote, json!([file("b.txt", &x, 2), file("a.txt", &y, 2)]));
        tree(
            remote,
            json!([{"name": "sub", "kind": "dir", "id": sub, "size": 4}]),
        )
    });
    refused(&url, &bad, "sub/a.txt");
}

#[test]
fn a_tree_entry_named_dot_dot_is_refused_and_nothing_is_stored() {
    let (_a, url, bad) = serve(|remote| {
        let x = put(remote, b"x\n");
        let up = tree(remote, json!([file("escape.txt", &x, 2)]));
        let sub = tree(
            remote,
            json!([{"name": "..", "kind": "dir", "id": up, "size": 2}]),
        );
        tree(
            remote,
            json!([{"name": "sub", "kind": "dir", "id": sub, "size": 2}]),
        )
    });
    refused(&url, &bad, "sub/..");
}
