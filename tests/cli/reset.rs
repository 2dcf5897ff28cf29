//! `pach reset --soft|--mixed|--hard`.

use predicates::str::contains;

use crate::common::TestRepo;

/// The `(status, path)` pairs of one section of `pach status --json`.
fn section(repo: &TestRepo, name: &str) -> Vec<String> {
    let v = repo.json(["status", "--json"]);
    let mut out: Vec<String> = v[name]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    e.get("path")
                        .and_then(|p| p.as_str())
                        .or(e.as_str())
                        .unwrap()
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[test]
fn soft_moves_only_the_branch_so_the_undone_commit_stays_staged() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("a", "2"), ("b", "new")]);
    let v = repo.json(["reset", "--soft", "HEAD~1", "--json"]);
    assert_eq!(v["commit"], c1.as_str());
    assert_eq!(v["mode"], "soft");
    assert_eq!(repo.head(), c1);
    assert_eq!(section(&repo, "staged"), ["a", "b"]);
    assert_eq!(repo.read_str("a"), "2");
}

#[test]
fn mixed_resets_the_index_and_leaves_the_files() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("a", "2"), ("b", "new")]);
    repo.pach(["reset", "HEAD~1"])
        .assert()
        .success()
        .stderr(contains(format!("HEAD is now at {} one", &c1[..12])));
    assert!(section(&repo, "staged").is_empty());
    assert_eq!(section(&repo, "unstaged"), ["a"]);
    assert_eq!(section(&repo, "untracked"), ["b"]);
    assert_eq!(repo.read_str("b"), "new");
}

#[test]
fn hard_discards_tracked_changes_and_never_touches_untracked_files() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1"), ("d/x", "x")]);
    repo.commit_files("two", &[("a", "2"), ("b", "added")]);
    repo.write("a", "local edit");
    repo.write("notes.txt", "mine");
    let v = repo.json(["reset", "--hard", &c1[..8], "--json"]);
    assert_eq!(
        (v["written"].as_u64(), v["deleted"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(repo.head(), c1);
    assert_eq!(repo.read_str("a"), "1");
    assert!(!repo.exists("b"));
    assert_eq!(repo.read_str("notes.txt"), "mine");
    assert!(section(&repo, "staged").is_empty() && section(&repo, "unstaged").is_empty());
}

#[test]
fn hard_refuses_to_write_over_an_untracked_file_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("b", "committed")]);
    repo.pach(["reset", "--hard", "HEAD~1"]).assert().success();
    repo.write("b", "untracked work");
    let before = repo.snapshot();
    repo.pach(["reset", "--hard", "main@{1}"])
        .assert()
        .code(1)
        .stderr(contains("untracked `b`"));
    repo.assert_unchanged(&before);
    // Nor over one standing where the commit needs a directory.
    std::fs::remove_file(repo.path().join("b")).unwrap();
    repo.commit_files("three", &[("d/x", "x")]);
    repo.pach(["reset", "--hard", "HEAD~1"]).assert().success();
    repo.write("d", "untracked file");
    let before = repo.snapshot();
    repo.pach(["reset", "--hard", "HEAD@{1}"])
        .assert()
        .code(1)
        .stderr(contains("untracked `d`"));
    repo.assert_unchanged(&before);
}

#[test]
fn an_unknown_revision_is_named_and_nothing_changes() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.write("a", "edit");
    let before = repo.snapshot();
    for mode in ["--soft", "--mixed", "--hard"] {
        repo.pach(["reset", mode, "nosuch"])
            .assert()
            .code(1)
            .stderr(contains("unknown revision `nosuch`"));
    }
    repo.pach(["reset", "--soft", "--hard", "HEAD"])
        .assert()
        .code(2);
    repo.assert_unchanged(&before);
    assert!(repo.ok(["reflog"]).lines().count() == 1);
}
