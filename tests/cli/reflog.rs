//! `pach reflog`, `REF@{n}` revisions, and `gc` keeping what the reflog names.

use predicates::str::contains;

use crate::common::TestRepo;

/// The (commit, action) pairs of `pach reflog REF --json`, newest first.
fn moves(repo: &TestRepo, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["reflog", "--json"];
    all.extend(args);
    repo.json(all)
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["new"].as_str().unwrap_or("-").to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn commits_checkouts_and_resets_are_logged_newest_first_and_resolve_as_revisions() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    let c2 = repo.commit_files("two", &[("a", "2")]);
    repo.pach(["checkout", "-b", "dev"]).assert().success();
    let c3 = repo.commit_files("three", &[("a", "3")]);
    repo.pach(["checkout", "main"]).assert().success();
    repo.pach(["reset", "--hard", "HEAD~1"]).assert().success();
    assert_eq!(
        moves(&repo, &[]),
        [
            (c1.clone(), "reset".into()),
            (c2.clone(), "checkout".into()),
            (c3.clone(), "commit".into()),
            (c2.clone(), "checkout".into()),
            (c2.clone(), "commit".into()),
            (c1.clone(), "commit".into()),
        ]
    );
    assert_eq!(
        moves(&repo, &["main"]),
        [
            (c1.clone(), "reset".into()),
            (c2.clone(), "commit".into()),
            (c1.clone(), "commit".into()),
        ]
    );
    // main@{1}: where main was one move ago; HEAD@{2}: two moves of HEAD ago.
    let id = |rev: &str| repo.json(["log", "--json", "-n", "1", rev])[0]["id"].clone();
    assert_eq!(id("main@{1}"), c2.as_str());
    assert_eq!(id("main@{0}"), c1.as_str());
    assert_eq!(id("HEAD@{2}"), c3.as_str());
    assert_eq!(id("@{2}~1"), c2.as_str());
    let text = repo.ok(["reflog", "main", "-n", "1"]);
    assert!(
        text.contains(&format!("{} main@{{0}}: reset", &c1[..12])),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[test]
fn a_deleted_branch_keeps_its_reflog() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    repo.pach(["branch", "gone"]).assert().success();
    repo.pach(["branch", "-d", "gone"]).assert().success();
    assert_eq!(
        moves(&repo, &["gone"]),
        [
            ("-".into(), "branch -d".into()),
            (c1.clone(), "branch".into())
        ]
    );
    let id = repo.json(["log", "--json", "-n", "1", "gone@{1}"])[0]["id"].clone();
    assert_eq!(id, c1.as_str());
}

#[test]
fn bad_reflog_revisions_and_refs_are_errors_naming_them() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["log", "main@{5}"])
        .assert()
        .code(1)
        .stderr(contains(
            "`main@{5}`: the reflog of `refs/heads/main` has only 1 move(s)",
        ));
    repo.pach(["log", "main@{x}"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `main@{x}`"));
    repo.pach(["reflog", "nosuch"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nosuch`"));
    repo.assert_unchanged(&before);
}

#[test]
fn gc_keeps_a_reset_away_commit_within_the_retention_and_drops_it_after() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let lost = repo.commit_files("two", &[("big", "only in the commit reset away")]);
    repo.pach(["reset", "--hard", "HEAD~1"]).assert().success();
    repo.pach(["gc", "--grace", "0"]).assert().success();
    assert!(
        repo.objects().contains(&lost),
        "gc deleted a commit the reflog names"
    );
    repo.pach(["reset", "--hard", "HEAD@{1}"])
        .assert()
        .success();
    assert_eq!(repo.head(), lost);
    assert_eq!(repo.read_str("big"), "only in the commit reset away");
    repo.pach(["reset", "--hard", "HEAD~1"]).assert().success();
    // A retention of zero: the reflog is dropped and the commit with it.
    repo.write(".pach/config.toml", "[gc]\nreflog = \"0s\"\n");
    repo.pach(["gc", "--grace", "0"]).assert().success();
    assert!(!repo.objects().contains(&lost));
    assert!(moves(&repo, &[]).is_empty());
    repo.pach(["fsck"]).assert().success();
    repo.write(".pach/config.toml", "[gc]\nreflog = \"forever\"\n");
    repo.pach(["gc"])
        .assert()
        .code(1)
        .stderr(contains("[gc] reflog: invalid duration `forever`"));
}
