//! Directory remotes: push, clone, pull, divergence and --force.

use predicates::str::contains;

use super::common::{TestRepo, stderr_of};
use super::{assert_closure, remote_fsck, remote_ref};

fn project_with_data() -> TestRepo {
    let r = TestRepo::init();
    r.commit_files(
        "raw data",
        &[
            ("data/a.csv", "x,y\n1,2\n"),
            ("data/sub/b.txt", "bee\n"),
            ("top.txt", "top\n"),
        ],
    );
    r
}

#[test]
fn push_then_clone_gives_identical_files_and_history() {
    let a = project_with_data();
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    a.pach(["push"])
        .assert()
        .success()
        .stderr(contains("origin/main"));
    a.pach(["push"])
        .assert()
        .success()
        .stderr(contains("up to date"));
    let head = a.head();
    assert_eq!(remote_ref(&remote, "main").as_deref(), Some(head.as_str()));
    assert_closure(&remote, &head);
    let (n, bad) = remote_fsck(&remote);
    assert!(n > 0 && bad.is_empty(), "{bad:?}");

    let b = TestRepo::new();
    b.pach(["clone", remote.to_str().unwrap(), "."])
        .assert()
        .success();
    assert_eq!(a.worktree(), b.worktree());
    assert_eq!(a.ok(["log"]), b.ok(["log"]));
    b.pach(["fsck"]).assert().success();
    a.pach(["fsck"]).assert().success();
    let st = b.json(["status", "--json"]);
    assert_eq!(st["staged"], serde_json::json!([]), "{st}");
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
    let list = b.json(["remote", "list", "--json"]);
    assert_eq!(list[0]["name"], "origin");
}

#[test]
fn pull_fast_forwards_and_refuses_divergence_and_push_needs_force() {
    let a = project_with_data();
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    let b = TestRepo::new();
    b.pach(["clone", url, "."]).assert().success();

    a.commit_files("more", &[("data/c.csv", "3\n")]);
    a.pach(["push", "origin", "main"]).assert().success();
    b.pach(["pull"])
        .assert()
        .success()
        .stderr(contains("fast-forward"));
    assert_eq!(b.read_str("data/c.csv"), "3\n");
    assert_eq!(a.head(), b.head());
    b.pach(["pull"])
        .assert()
        .success()
        .stderr(contains("up to date"));

    // Both sides commit: the push is refused, then the pull too.
    a.commit_files("a side", &[("a.txt", "a\n")]);
    b.commit_files("b side", &[("b.txt", "b\n")]);
    a.pach(["push"]).assert().success();
    let before = b.snapshot();
    let out = b.pach(["push"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("not a fast-forward") && err.contains("--force"),
        "{err}"
    );
    let out = b.pach(["pull"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("diverged") && err.contains(&a.head()[..12]),
        "{err}"
    );
    assert!(err.contains(&b.head()[..12]), "{err}");
    // The refused pull fetched (objects, `origin/main`), but the branch and files stay.
    let after = b.snapshot();
    assert_eq!(before.branches, after.branches);
    assert_eq!(before.log, after.log);
    assert_eq!(before.status, after.status);
    assert_eq!(before.worktree, after.worktree);

    b.pach(["push", "--force"])
        .assert()
        .success()
        .stderr(contains("forced"));
    assert_eq!(remote_ref(&remote, "main").unwrap(), b.head());
    assert_closure(&remote, &b.head());
}

#[test]
fn unknown_remote_and_missing_directory_change_nothing() {
    let a = project_with_data();
    let before = a.snapshot();
    a.pach(["push", "nowhere"])
        .assert()
        .code(1)
        .stderr(contains("no remote named `nowhere`"));
    a.pach([
        "remote",
        "add",
        "gone",
        a.base().join("gone").to_str().unwrap(),
    ])
    .assert()
    .success();
    a.pach(["fetch", "gone"])
        .assert()
        .code(1)
        .stderr(contains("remote `gone`"));
    a.pach(["pull", "gone"])
        .assert()
        .code(1)
        .stderr(contains("does not exist"));
    a.pach(["remote", "remove", "gone"]).assert().success();
    a.assert_unchanged(&before);
    let c = TestRepo::new();
    c.pach(["clone", a.base().join("gone").to_str().unwrap(), "x"])
        .assert()
        .code(1);
    assert!(
        !c.path().join("x").exists(),
        "a failed clone leaves nothing"
    );
}

#[test]
fn pull_path_fetches_only_that_subtree() {
    let a = project_with_data();
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    let b = TestRepo::new();
    b.pach(["clone", url, ".", "--path", "data/sub"])
        .assert()
        .success();
    assert_eq!(b.read_str("data/sub/b.txt"), "bee\n");
    assert!(!b.exists("data/a.csv") && !b.exists("top.txt"));
    let blob = blake3::hash(b"x,y\n1,2\n").to_hex().to_string();
    assert!(
        !b.object_path(&blob).exists(),
        "a blob outside the path was fetched"
    );
    b.pach(["log"])
        .assert()
        .success()
        .stdout(contains("raw data"));
}

#[test]
fn clone_path_keeps_other_files_absent_but_known_until_a_full_pull() {
    let a = project_with_data();
    let first = a.head();
    a.commit_files(
        "more",
        &[("data/a.csv", "x,y\n3,4\n"), ("data/sub/b.txt", "bee 2\n")],
    );
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    let b = TestRepo::new();
    b.pach(["clone", url, ".", "--path", "data/sub"])
        .assert()
        .success();
    assert!(!b.exists("data/a.csv") && !b.exists("top.txt"));

    // Nothing staged, nothing deleted: the two other files are known but not fetched.
    let st = b.json(["status", "--json"]);
    assert_eq!(st["staged"], serde_json::json!([]), "{st}");
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
    assert_eq!(st["untracked"], serde_json::json!([]), "{st}");
    assert_eq!(st["absent"], 2, "{st}");
    let text = b.ok(["status"]);
    assert!(
        text.contains("2 file(s) not fetched (pach pull to get them)"),
        "{text}"
    );
    b.pach(["fsck"])
        .assert()
        .success()
        .stderr(contains("absent (not fetched)"));
    // `add` of everything does not stage the absent files as removed.
    b.pach(["add", "."]).assert().success();
    assert_eq!(
        b.json(["status", "--json"])["staged"],
        serde_json::json!([])
    );
    let ls = b.ok(["ls"]);
    for f in ["data/a.csv", "data/sub/b.txt", "top.txt"] {
        assert!(ls.contains(f), "{ls}");
    }
    let out = b.pach(["cat", "HEAD:top.txt"]).assert().failure();
    let err = stderr_of(&out);
    assert!(
        err.contains("top.txt") && err.contains("not fetched") && err.contains("pach pull"),
        "{err}"
    );
    // An older commit needs blobs that were not fetched: refused, nothing changes.
    let before = b.snapshot();
    let out = b.pach(["checkout", &first]).assert().failure();
    let err = stderr_of(&out);
    assert!(
        err.contains("not fetched") && err.contains("pach pull"),
        "{err}"
    );
    b.assert_unchanged(&before);
    b.pach(["checkout", &first, "--", "data/a.csv"])
        .assert()
        .failure()
        .stderr(contains("not fetched"));
    b.assert_unchanged(&before);

    // A full pull brings everything, old versions included.
    b.pach(["pull"]).assert().success();
    assert_eq!(a.worktree(), b.worktree());
    let st = b.json(["status", "--json"]);
    assert_eq!(st["staged"], serde_json::json!([]), "{st}");
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
    assert_eq!(st["absent"], 0, "{st}");
    let fsck = b.json(["fsck", "--json"]);
    assert_eq!(fsck["absent"], 0, "{fsck}");
    assert_eq!(fsck["problems"], serde_json::json!([]), "{fsck}");
    b.pach(["checkout", &first]).assert().success();
    assert_eq!(b.read_str("data/a.csv"), "x,y\n1,2\n");
    assert_eq!(b.read_str("data/sub/b.txt"), "bee\n");
}

#[test]
fn fetch_push_and_forced_push_move_remote_tracking_refs_in_the_reflog() {
    let a = TestRepo::init();
    let c1 = a.commit_files("one", &[("x", "1")]);
    let url = a.base().join("remote").to_str().unwrap().to_string();
    a.pach(["remote", "add", "origin", &url]).assert().success();
    a.pach(["push"]).assert().success();
    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", &url]).assert().success();
    b.pach(["fetch"]).assert().success();
    let moves = |r: &TestRepo| -> Vec<(String, String)> {
        r.json(["reflog", "origin/main", "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["new"].as_str().unwrap().into(),
                    e["action"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(moves(&b), [(c1.clone(), "fetch".to_string())]);
    let c2 = a.commit_files("two", &[("x", "2")]);
    a.pach(["push"]).assert().success();
    a.pach(["reset", "--hard", "HEAD~1"]).assert().success();
    let c3 = a.commit_files("three", &[("x", "3")]);
    a.pach(["push"]).assert().failure();
    a.pach(["push", "origin", "main", "--force"])
        .assert()
        .success();
    assert_eq!(
        moves(&a),
        [
            (c3.clone(), "push --force".to_string()),
            (c2.clone(), "push".to_string()),
            (c1, "push".to_string())
        ]
    );
    // The commit the forced push replaced is still named by main's reflog.
    assert_eq!(
        a.json(["log", "--json", "-n", "1", "main@{2}"])[0]["id"],
        c2.as_str()
    );
    b.pach(["fetch"]).assert().success();
    assert_eq!(moves(&b)[0], (c3, "fetch".to_string()));
}

#[test]
fn pull_merge_joins_diverged_histories_and_the_push_then_goes_through() {
    let a = project_with_data();
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    let b = TestRepo::new();
    b.pach(["clone", url, "."]).assert().success();
    a.commit_files("a side", &[("a.txt", "a\n")]);
    a.pach(["push"]).assert().success();
    let mine = b.commit_files("b side", &[("b.txt", "b\n")]);

    let out = b.json(["pull", "--merge", "--json"]);
    assert_eq!(out["result"], "merged", "{out}");
    assert_eq!(
        (b.read_str("a.txt"), b.read_str("b.txt")),
        ("a\n".into(), "b\n".into())
    );
    let log = b.json(["log", "--json", "-n", "1"]);
    let parents: Vec<&str> = log[0]["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(parents, [mine.as_str(), a.head().as_str()]);
    b.pach(["push"]).assert().success();
    a.pach(["pull"]).assert().success();
    assert_eq!(a.head(), b.head());
    // Without --merge a diverged pull still refuses, and its hint offers the merge.
    a.commit_files("a again", &[("a.txt", "a2\n")]);
    b.commit_files("b again", &[("b.txt", "b2\n")]);
    a.pach(["push"]).assert().success();
    let err = stderr_of(&b.pach(["pull"]).assert().code(1));
    assert!(err.contains("pach pull --merge origin main"), "{err}");
}
