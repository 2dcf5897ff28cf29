//! `pach init`.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn init_creates_the_store_and_an_empty_history() {
    let repo = TestRepo::new();
    repo.pach(["init"])
        .assert()
        .success()
        .stderr(contains("initialised an empty pach project"));
    assert!(repo.pach_dir().join("objects").is_dir());
    assert!(repo.pach_dir().join("pach.db").is_file());
    assert!(repo.pach_dir().join("config.toml").is_file());
    repo.pach(["log"]).assert().success().stdout("");
    // Not in a git repository: no .gitignore is made.
    assert!(!repo.exists(".gitignore"));
}

#[test]
fn init_refuses_when_pach_dir_exists_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["init"])
        .assert()
        .code(1)
        .stderr(contains("already inside the pach project"));
    repo.assert_unchanged(&before);
}

#[test]
fn init_refuses_inside_a_project_subdirectory() {
    let repo = TestRepo::init();
    repo.write("sub/deeper/x", "x");
    let sub = repo.path().join("sub/deeper");
    repo.pach_in(&sub, ["init"])
        .assert()
        .code(1)
        .stderr(contains("already inside the pach project"))
        .stderr(contains(repo.path().to_string_lossy().as_ref()));
    assert!(!sub.join(".pach").exists());
}

#[test]
fn init_in_a_git_repo_ignores_the_store_once() {
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.write(".gitignore", "target");
    repo.pach(["init"]).assert().success();
    assert_eq!(repo.read_str(".gitignore"), "target\n/.pach/\n");
    // A second project made after removing the first must not add the line again.
    std::fs::remove_dir_all(repo.pach_dir()).unwrap();
    repo.pach(["init"]).assert().success();
    assert_eq!(repo.read_str(".gitignore"), "target\n/.pach/\n");
    // git itself sees nothing of .pach/.
    let st = repo.git(["status", "--porcelain"]).assert().success();
    let out = crate::common::stdout_of(&st);
    assert!(!out.contains(".pach"), "git sees the store: {out}");
}

#[test]
fn commands_outside_a_project_say_so() {
    let repo = TestRepo::new();
    repo.pach(["status"])
        .assert()
        .code(1)
        .stderr(contains("not a pach project"))
        .stderr(contains("pach init"));
}
