//! Hints name commands that work: each test follows the hint it is given.

use predicates::str::contains;

use crate::common::{TestRepo, stderr_of};

#[test]
fn an_empty_commit_message_says_so_and_how_to_give_one() {
    let repo = TestRepo::init();
    repo.write("a", "1");
    repo.ok(["add", "a"]);
    let a = repo.pach(["commit", "-m", "  "]).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("the commit message is empty"), "{err}");
    assert!(!err.contains("name"), "{err}");
    assert!(err.contains("`pach commit -m \"<message>\"`"), "{err}");
    repo.pach(["commit", "-m", "first"]).assert().success();
}

#[test]
fn checkout_over_local_changes_hints_commands_that_work() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.ok(["checkout", "-b", "two"]);
    repo.commit_files("two", &[("a", "2")]);
    repo.ok(["checkout", "main"]);
    repo.write("a", "local");
    let a = repo.pach(["checkout", "two"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("`pach checkout --force <rev>`"), "{err}");
    repo.pach(["checkout", "--force", "two"]).assert().success();
    assert_eq!(repo.read_str("a"), "2");
}

#[test]
fn pull_over_local_changes_hints_commands_that_work() {
    let remote = tempfile::tempdir().unwrap();
    let url = remote.path().to_str().unwrap();
    let theirs = TestRepo::init();
    theirs.commit_files("one", &[("a", "1")]);
    theirs.ok(["remote", "add", "origin", url]);
    theirs.ok(["push", "origin", "main"]);
    let ours = TestRepo::init();
    ours.ok(["remote", "add", "origin", url]);
    ours.ok(["pull", "origin", "main"]);
    theirs.commit_files("two", &[("a", "2")]);
    theirs.ok(["push", "origin", "main"]);
    ours.write("a", "local");
    let a = ours.pach(["pull", "origin", "main"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(!err.contains("--force"), "pull has no --force: {err}");
    assert!(err.contains("`pach checkout HEAD -- <path>`"), "{err}");
    ours.pach(["checkout", "HEAD", "--", "a"])
        .assert()
        .success();
    ours.pach(["pull", "origin", "main"]).assert().success();
    assert_eq!(ours.read_str("a"), "2");
    ours.pach(["status"])
        .assert()
        .success()
        .stdout(contains("nothing"));
}
