//! `pach revert REV`.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn revert_commits_the_undoing_of_a_commit_and_updates_the_files() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("gone", "g")]);
    repo.pach(["rm", "gone"]).assert().success();
    repo.write("a", "2");
    repo.write("b", "added");
    repo.pach(["add", "a", "b"]).assert().success();
    let bad = repo.commit("two");
    repo.commit_files("three", &[("c", "unrelated")]);
    let v = repo.json(["revert", &bad[..10], "--json"]);
    assert_eq!(v["reverted"], bad.as_str());
    assert_eq!(v["paths"], serde_json::json!(["a", "b", "gone"]));
    assert_eq!(repo.head(), v["id"].as_str().unwrap());
    assert_eq!(repo.read_str("a"), "1");
    assert_eq!(repo.read_str("gone"), "g");
    assert!(!repo.exists("b"));
    assert_eq!(repo.read_str("c"), "unrelated");
    let log = repo.json(["log", "--json", "-n", "1"]);
    let msg = log[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Revert \"two\"") && msg.contains(&bad),
        "{msg}"
    );
    let st = repo.json(["status", "--json"]);
    assert!(st["staged"].as_array().unwrap().is_empty());
    assert!(st["unstaged"].as_array().unwrap().is_empty());
    assert_eq!(repo.json(["reflog", "--json"])[0]["action"], "revert");
}

#[test]
fn revert_refuses_staged_changes_later_changes_and_unknown_revisions() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let two = repo.commit_files("two", &[("a", "2"), ("b", "b")]);
    repo.commit_files("three", &[("a", "3")]);
    let before = repo.snapshot();
    repo.pach(["revert", &two])
        .assert()
        .code(1)
        .stderr(contains("later commits changed `a` again"));
    repo.pach(["revert", "nosuch"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nosuch`"));
    repo.assert_unchanged(&before);
    repo.write("b", "staged");
    repo.pach(["add", "b"]).assert().success();
    let before = repo.snapshot();
    repo.pach(["revert", "HEAD"])
        .assert()
        .code(1)
        .stderr(contains("there are staged changes to `b`"))
        .stderr(contains("pach restore --staged"));
    repo.assert_unchanged(&before);
}

#[test]
fn revert_never_overwrites_an_unstaged_edit() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("a", "2")]);
    repo.write("a", "edit");
    let before = repo.snapshot();
    repo.pach(["revert", "HEAD"])
        .assert()
        .code(1)
        .stderr(contains("would overwrite local changes to `a`"));
    assert_eq!(before.log, repo.snapshot().log, "no commit was left behind");
    assert_eq!(repo.read_str("a"), "edit");
}
