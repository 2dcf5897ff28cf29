//! `pach restore [--staged] [--source REV] PATH...`.

use predicates::str::contains;

use crate::common::TestRepo;

fn paths(v: &serde_json::Value, section: &str) -> Vec<String> {
    v[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e.get("path")
                .and_then(|p| p.as_str())
                .or(e.as_str())
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn staged_unstages_a_change_and_makes_a_new_file_untracked() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/a", "1")]);
    repo.write("d/a", "2");
    repo.write("d/new", "n");
    repo.pach(["add", "d"]).assert().success();
    let v = repo.json(["restore", "--staged", "d/new", "--json"]);
    assert_eq!(v["unstaged"], 1);
    let st = repo.json(["status", "--json"]);
    assert_eq!(paths(&st, "staged"), ["d/a"]);
    assert_eq!(paths(&st, "untracked"), ["d/new"]);
    repo.pach(["restore", "--staged", "d"])
        .assert()
        .success()
        .stderr(contains("unstaged 1 path(s)"));
    let st = repo.json(["status", "--json"]);
    assert!(paths(&st, "staged").is_empty());
    assert_eq!(paths(&st, "unstaged"), ["d/a"]);
    assert_eq!(repo.read_str("d/a"), "2", "--staged never touches the file");
}

#[test]
fn without_staged_files_come_back_from_the_index_or_a_commit() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "1")]);
    repo.commit_files("two", &[("a", "2")]);
    repo.write("a", "staged");
    repo.pach(["add", "a"]).assert().success();
    repo.write("a", "unstaged edit");
    std::fs::remove_file(repo.path().join("b")).unwrap();
    repo.pach(["restore", "a", "b"]).assert().success();
    assert_eq!(repo.read_str("a"), "staged");
    assert_eq!(repo.read_str("b"), "1");
    let st = repo.json(["status", "--json"]);
    assert!(paths(&st, "unstaged").is_empty());
    repo.pach(["restore", "--source", "HEAD~1", "a"])
        .assert()
        .success();
    assert_eq!(repo.read_str("a"), "1");
    let st = repo.json(["status", "--json"]);
    assert_eq!(paths(&st, "staged"), ["a"], "the index stays");
    assert_eq!(paths(&st, "unstaged"), ["a"]);
}

#[test]
fn a_path_not_in_the_source_or_outside_the_project_is_refused() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("later", "x")]);
    repo.write("a", "edit");
    repo.write("untracked", "u");
    let before = repo.snapshot();
    repo.pach(["restore", "--source", "HEAD~1", "later"])
        .assert()
        .code(1)
        .stderr(contains("`HEAD~1:later` does not exist at that revision"));
    repo.pach(["restore", "untracked"])
        .assert()
        .code(1)
        .stderr(contains("`untracked` is not tracked"));
    repo.pach(["restore", "--staged", "nowhere"])
        .assert()
        .code(1)
        .stderr(contains("`nowhere` does not exist"));
    repo.pach(["restore", "--source", "nosuch", "a"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nosuch`"));
    repo.pach(["restore", "../outside"]).assert().code(1);
    repo.pach(["restore", ".pach/config.toml"])
        .assert()
        .code(1)
        .stderr(contains(".pach"));
    repo.assert_unchanged(&before);
}
