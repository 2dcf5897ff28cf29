//! `pach rm`.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn rm_stops_tracking_and_deletes_the_file() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/a", "1"), ("b", "2")]);
    repo.pach(["rm", "d/a"]).assert().success();
    assert!(!repo.exists("d/a"));
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["staged"][0]["path"], "d/a");
    assert_eq!(v["staged"][0]["kind"], "deleted");
    repo.commit("rm");
    assert_eq!(repo.ok(["ls"]).lines().count(), 1);
    // The old version is still readable.
    assert_eq!(repo.ok(["cat", "HEAD~1:d/a"]), "1");
}

#[test]
fn rm_cached_keeps_the_file_as_untracked() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "2")]);
    repo.pach(["rm", "--cached", "a"]).assert().success();
    assert_eq!(repo.read_str("a"), "1");
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["staged"][0]["path"], "a");
    assert_eq!(v["staged"][0]["kind"], "deleted");
    assert_eq!(v["untracked"], serde_json::json!(["a"]));
}

#[test]
fn rm_of_a_directory_removes_every_tracked_file_under_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/a", "1"), ("d/e/b", "2"), ("c", "3")]);
    repo.pach(["rm", "d"]).assert().success();
    assert!(!repo.exists("d"));
    repo.commit("rm d");
    assert_eq!(repo.ok(["ls"]).lines().count(), 1);
}

#[test]
fn rm_of_an_untracked_path_fails_naming_it_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.write("loose", "x");
    let before = repo.snapshot();
    repo.pach(["rm", "loose"])
        .assert()
        .code(1)
        .stderr(contains("`loose` is not tracked"));
    repo.pach(["rm", "a", "ghost"])
        .assert()
        .code(1)
        .stderr(contains("`ghost` is not tracked"));
    repo.assert_unchanged(&before);
}

#[test]
fn rm_refuses_a_file_with_unstaged_changes_unless_forced() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "2")]);
    repo.write("a", "changed");
    let before = repo.snapshot();
    repo.pach(["rm", "a", "b"])
        .assert()
        .code(1)
        .stderr(contains("`a`"))
        .stderr(contains("not staged"));
    repo.assert_unchanged(&before);
    assert!(repo.exists("b"));
    // --cached is always safe.
    repo.pach(["rm", "--cached", "a"]).assert().success();
    assert_eq!(repo.read_str("a"), "changed");
    repo.pach(["add", "a"]).assert().success();
    repo.write("a", "changed again");
    repo.pach(["rm", "--force", "a"]).assert().success();
    assert!(!repo.exists("a"));
}
