//! `pach commit`.

use predicates::str::contains;

use crate::common::{TestRepo, stderr_of, stdout_of};

#[test]
fn commit_with_nothing_staged_fails_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.pach(["commit", "-m", "x"])
        .assert()
        .code(1)
        .stderr(contains("nothing to commit"));
    repo.pach(["log"]).assert().success().stdout("");
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["commit", "-m", "again"])
        .assert()
        .code(1)
        .stderr(contains("nothing to commit"));
    repo.assert_unchanged(&before);
}

#[test]
fn commit_allow_empty_records_a_commit_with_the_same_tree() {
    let repo = TestRepo::init();
    let first = repo.commit_files("one", &[("a", "1")]);
    let out = repo.json(["commit", "--json", "--allow-empty", "-m", "empty"]);
    let log = repo.json(["log", "--json"]);
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert_eq!(log[0]["id"], out["id"]);
    assert_eq!(log[0]["parents"], serde_json::json!([first]));
    assert_eq!(log[0]["tree"], log[1]["tree"]);
    assert_eq!(log[0]["message"], "empty");
}

#[test]
fn commit_records_author_time_and_message() {
    let repo = TestRepo::init();
    repo.commit_files("first line\n\nbody", &[("a", "1")]);
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["author"]["name"], "Test");
    assert_eq!(c["author"]["email"], "test@example.com");
    assert_eq!(c["time"], 1_700_000_000);
    assert_eq!(c["message"], "first line\n\nbody");
    // Outside git there is no code version.
    assert!(c["code"].is_null(), "{c}");
    let one = repo.ok(["log", "--oneline"]);
    assert!(one.ends_with(" first line\n"), "{one}");
}

#[test]
fn commit_records_the_git_code_version_and_dirty_flag() {
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.write("code.py", "print(1)\n");
    repo.git(["add", "code.py"]).assert().success();
    repo.git(["commit", "-q", "-m", "code"]).assert().success();
    repo.pach(["init"]).assert().success();
    // Commit .gitignore so the git worktree is clean.
    repo.git(["add", ".gitignore"]).assert().success();
    repo.git(["commit", "-q", "-m", "ignore"])
        .assert()
        .success();
    let head = stdout_of(&repo.git(["rev-parse", "HEAD"]).assert().success())
        .trim()
        .to_string();

    repo.commit_files("clean", &[("data.csv", "1")]);
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["code"]["git_commit"], head.as_str());
    assert_eq!(c["code"]["dirty"], false, "{c}");

    repo.write("code.py", "print(2)\n");
    repo.commit_files("dirty", &[("data.csv", "2")]);
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["code"]["git_commit"], head.as_str());
    assert_eq!(c["code"]["dirty"], true, "{c}");
    let log = repo.ok(["log", "-n", "1"]);
    assert!(log.contains(&head[..12]), "{log}");
}

#[test]
fn commit_author_falls_back_to_git_config() {
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.git(["config", "user.name", "Git Person"])
        .assert()
        .success();
    repo.git(["config", "user.email", "git@example.com"])
        .assert()
        .success();
    repo.pach(["init"]).assert().success();
    repo.write("a", "1");
    repo.pach(["add", "a"]).assert().success();
    repo.pach(["commit", "-m", "x"])
        .env_remove("PACH_AUTHOR_NAME")
        .env_remove("PACH_AUTHOR_EMAIL")
        .assert()
        .success();
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["author"]["name"], "Git Person");
    assert_eq!(c["author"]["email"], "git@example.com");
}

#[test]
fn commit_without_message_is_a_usage_error() {
    let repo = TestRepo::init();
    repo.write("a", "1");
    repo.pach(["add", "a"]).assert().success();
    repo.pach(["commit"]).assert().code(2);
}

/// Commits staged changes with `args`, expecting failure with stderr holding each of
/// `needles`, and nothing changed.
fn refused(repo: &TestRepo, args: &[&str], needles: &[&str]) {
    let before = repo.snapshot();
    let mut all = vec!["commit", "-m", "two"];
    all.extend_from_slice(args);
    let a = repo.pach(all).assert().code(1);
    let err = stderr_of(&a);
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in: {err}");
    }
    repo.assert_unchanged(&before);
}

#[test]
fn an_invalid_pach_toml_stops_the_commit_naming_the_place_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.write("b", "2");
    repo.pach(["add", "b"]).assert().success();
    // A typo in the settings (read by hand, it would have meant "do not run"), a wrong type,
    // and a file that is not TOML.
    repo.write("pach.toml", "[settings]\nrun_on_comit = true\n");
    refused(&repo, &[], &["pach.toml:2:1", "run_on_comit"]);
    repo.write("pach.toml", "[settings]\nrun_on_commit = \"yes\"\n");
    refused(&repo, &[], &["pach.toml:2:17", "bool"]);
    repo.write("pach.toml", "[[stage]\n");
    refused(&repo, &[], &["pach.toml:1:"]);

    // With a run to follow, the stages are checked before committing too (no Docker needed).
    let bad_stage =
        "[[stage]]\nname = \"Bad Name\"\nimage = \"x\"\ncmd = [\"true\"]\noutput = \"out\"\n";
    repo.write("pach.toml", bad_stage);
    refused(&repo, &["--run"], &["pach.toml:2:", "Bad Name"]);
    // Without one, the stages are left to `pach run`, which reports them.
    let out = repo.json(["commit", "--json", "-m", "two"]);
    assert!(out["id"].is_string(), "{out}");
}
