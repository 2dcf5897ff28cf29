//! `pach log`.

use predicates::str::contains;

use crate::common::TestRepo;

fn ids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn log_on_an_empty_repo_prints_nothing_and_succeeds() {
    let repo = TestRepo::init();
    repo.pach(["log"]).assert().success().stdout("");
    repo.pach(["log", "--oneline"])
        .assert()
        .success()
        .stdout("");
    let v = repo.json(["log", "--json"]);
    assert_eq!(v, serde_json::json!([]));
}

#[test]
fn log_lists_newest_first_with_n_oneline_and_json() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    let c2 = repo.commit_files("two", &[("b", "2")]);
    let c3 = repo.commit_files("three", &[("a", "3")]);
    let all = repo.json(["log", "--json"]);
    assert_eq!(ids(&all), [c3.clone(), c2.clone(), c1.clone()]);
    assert_eq!(all[2]["parents"], serde_json::json!([]));
    assert_eq!(all[0]["parents"], serde_json::json!([c2]));
    let two = repo.json(["log", "--json", "-n", "2"]);
    assert_eq!(ids(&two), [c3.clone(), c2.clone()]);
    let one = repo.ok(["log", "--oneline"]);
    assert_eq!(
        one,
        format!(
            "{} three\n{} two\n{} one\n",
            &c3[..12],
            &c2[..12],
            &c1[..12]
        )
    );
    let text = repo.ok(["log", "-n", "1"]);
    assert!(text.contains(&format!("commit {c3}")), "{text}");
    assert!(text.contains("Author: Test <test@example.com>"), "{text}");
    assert!(text.contains("three"), "{text}");
    assert!(!text.contains("two"), "{text}");
    // Starting at a revision.
    assert_eq!(ids(&repo.json(["log", "--json", "HEAD~1"])), [c2, c1]);
}

#[test]
fn log_with_a_path_lists_only_commits_that_changed_it() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1"), ("d/x", "x")]);
    let _c2 = repo.commit_files("two", &[("b", "2")]);
    let c3 = repo.commit_files("three", &[("a", "3")]);
    let _c4 = repo.commit_files("four", &[("b", "4")]);
    repo.pach(["rm", "a"]).assert().success();
    let c5 = repo.commit("five");
    assert_eq!(
        ids(&repo.json(["log", "--json", "--", "a"])),
        [c5, c3, c1.clone()]
    );
    assert_eq!(ids(&repo.json(["log", "--json", "--", "d"])), [c1.as_str()]);
    assert_eq!(ids(&repo.json(["log", "--json", "--", "d/x"])), [c1]);
    let none = repo.json(["log", "--json", "--", "never"]);
    assert_eq!(none, serde_json::json!([]));
}

#[test]
fn log_of_an_unknown_revision_fails_naming_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["log", "nosuchrev"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nosuchrev`"));
}
