//! `pach add`.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn add_stages_directories_recursively_honouring_pachignore() {
    let repo = TestRepo::init();
    repo.write("data/a.csv", "a");
    repo.write("data/sub/b.csv", "b");
    repo.write("data/skip.tmp", "junk");
    repo.write("data/.pachignore", "*.tmp\n");
    repo.write("data/.git/config", "not ours");
    repo.pach(["add", "data"]).assert().success();
    let st = repo.json(["status", "--json"]);
    let staged: Vec<&str> = st["staged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(staged, ["data/.pachignore", "data/a.csv", "data/sub/b.csv"]);
}

#[test]
fn add_json_reports_what_was_staged_and_rehashes_nothing_unchanged() {
    let repo = TestRepo::init();
    repo.write("a", "1");
    repo.set_mtime("a", crate::common::epoch(1_600_000_000));
    let v = repo.json(["add", "--json", "a"]);
    assert_eq!(v["staged"], serde_json::json!(["a"]));
    let v = repo.json(["add", "--json", "a"]);
    assert_eq!(v["staged"], serde_json::json!([]));
    assert_eq!(v["unchanged"], 1);
    assert_eq!(v["bytes_hashed"], 0);
}

#[test]
fn add_of_a_directory_stages_removal_of_deleted_files() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/a", "1"), ("d/b", "2")]);
    std::fs::remove_file(repo.path().join("d/b")).unwrap();
    let v = repo.json(["add", "--json", "d"]);
    assert_eq!(v["removed"], serde_json::json!(["d/b"]));
    repo.commit("two");
    assert_eq!(repo.ok(["ls"]).lines().count(), 1);
}

#[test]
fn add_of_a_missing_path_fails_naming_it_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.write("b", "2");
    let before = repo.snapshot();
    repo.pach(["add", "b", "nope/missing.csv"])
        .assert()
        .code(1)
        .stderr(contains("`nope/missing.csv` does not exist"));
    repo.assert_unchanged(&before);
}

#[test]
fn add_of_the_store_itself_is_refused() {
    let repo = TestRepo::init();
    let before = repo.snapshot();
    repo.pach(["add", ".pach/config.toml"])
        .assert()
        .code(1)
        .stderr(contains(".pach/config.toml"));
    repo.assert_unchanged(&before);
}

#[test]
fn add_of_the_project_root_skips_the_store_and_git() {
    let repo = TestRepo::init();
    repo.git(["init", "-q"]).assert().success();
    repo.write("x", "1");
    repo.pach(["add", "."]).assert().success();
    repo.commit("root");
    let ls = repo.ok(["ls"]);
    assert!(!ls.contains(".pach/") && !ls.contains(".git/"), "{ls}");
    assert!(ls.contains(" x\n"), "{ls}");
}

#[test]
fn add_from_a_subdirectory_resolves_paths_relative_to_it() {
    let repo = TestRepo::init();
    repo.write("d/e/f", "1");
    repo.pach_in(&repo.path().join("d"), ["add", "e/f"])
        .assert()
        .success();
    repo.commit("c");
    assert_eq!(repo.ok(["cat", "HEAD:d/e/f"]), "1");
}

#[test]
fn executable_bit_is_recorded_and_restored() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::init();
    repo.write("run.sh", "#!/bin/sh\n");
    std::fs::set_permissions(
        repo.path().join("run.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    repo.pach(["add", "run.sh"]).assert().success();
    repo.commit("exec");
    let ls = repo.json(["ls", "--json"]);
    assert_eq!(ls[0]["exec"], true);
    std::fs::remove_file(repo.path().join("run.sh")).unwrap();
    repo.pach(["checkout", "HEAD", "--", "run.sh"])
        .assert()
        .success();
    let mode = std::fs::metadata(repo.path().join("run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert!(mode & 0o111 != 0, "mode {mode:o}");
}

#[test]
fn adding_a_subdirectory_still_honours_pachignore_files_above_it() {
    let repo = TestRepo::init();
    repo.write(".pachignore", "*.tmp\n");
    repo.write("data/sub/keep.csv", "k");
    repo.write("data/sub/skip.tmp", "s");
    repo.ok(["add", "data/sub"]);
    let v = repo.json(["status", "--json"]);
    let staged: Vec<&str> = v["staged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(staged, ["data/sub/keep.csv"]);
}
