//! `pach mv` and `pach log --follow`.

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
fn mv_renames_a_file_and_log_follow_finds_its_old_history() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("raw.csv", "1")]);
    let c2 = repo.commit_files("two", &[("raw.csv", "2"), ("other", "o")]);
    let v = repo.json(["mv", "raw.csv", "data/input.csv", "--json"]);
    assert_eq!(
        (v["to"].as_str(), v["files"].as_u64()),
        (Some("data/input.csv"), Some(1))
    );
    assert!(!repo.exists("raw.csv"));
    assert_eq!(repo.read_str("data/input.csv"), "2");
    let st = repo.json(["status", "--json"]);
    assert!(st["unstaged"].as_array().unwrap().is_empty(), "{st}");
    assert!(st["untracked"].as_array().unwrap().is_empty(), "{st}");
    let c3 = repo.commit("rename");
    let c4 = repo.commit_files("four", &[("data/input.csv", "4")]);
    let follow = repo.json(["log", "--json", "--follow", "--", "data/input.csv"]);
    assert_eq!(ids(&follow), [c4.clone(), c3.clone(), c2, c1]);
    let plain = repo.json(["log", "--json", "--", "data/input.csv"]);
    assert_eq!(ids(&plain), [c4, c3]);
}

#[test]
fn mv_moves_a_directory_into_an_existing_one() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files(
        "one",
        &[("imgs/a", "a"), ("imgs/s/b", "b"), ("archive/x", "x")],
    );
    repo.pach(["mv", "imgs", "archive"])
        .assert()
        .success()
        .stderr(contains("renamed imgs -> archive/imgs (2 file(s))"));
    assert_eq!(repo.read_str("archive/imgs/s/b"), "b");
    assert!(!repo.exists("imgs"));
    let c2 = repo.commit("move");
    let follow = repo.json(["log", "--json", "--follow", "--", "archive/imgs"]);
    assert_eq!(ids(&follow), [c2, c1]);
}

#[test]
fn mv_refuses_an_existing_destination_untracked_sources_and_refused_names() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "2"), ("d/x", "x")]);
    repo.write("loose", "untracked");
    let before = repo.snapshot();
    repo.pach(["mv", "a", "b"])
        .assert()
        .code(1)
        .stderr(contains("`b` already exists; nothing was moved"));
    repo.pach(["mv", "a", "loose"])
        .assert()
        .code(1)
        .stderr(contains("`loose` already exists"));
    repo.pach(["mv", "loose", "c"])
        .assert()
        .code(1)
        .stderr(contains("`loose` is not tracked"));
    repo.pach(["mv", "d", "d/inner"])
        .assert()
        .code(1)
        .stderr(contains("`d/inner`: is `d` or inside it"));
    repo.pach(["mv", "a", ".pach/a"])
        .assert()
        .code(1)
        .stderr(contains(".pach"));
    repo.pach(["mv", "a", "x/.GIT"])
        .assert()
        .code(1)
        .stderr(contains(".GIT"));
    repo.pach(["mv", "a", "../outside"]).assert().code(1);
    repo.assert_unchanged(&before);
}

#[test]
fn mv_and_unstaging_keep_the_gitignore_block_on_what_pach_tracks() {
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.pach(["init"]).assert().success();
    repo.commit_files("one", &[("data/a.csv", "1")]);
    let block = |r: &TestRepo| -> Vec<String> {
        let text = r.read_str(".gitignore");
        text.lines()
            .skip_while(|l| !l.starts_with("# >>> pach"))
            .skip(1)
            .take_while(|l| !l.starts_with("# <<< pach"))
            .map(str::to_string)
            .collect()
    };
    assert!(
        block(&repo).iter().any(|l| l.contains("data")),
        "{:?}",
        block(&repo)
    );
    repo.pach(["mv", "data", "raw"]).assert().success();
    let b = block(&repo);
    assert!(b.iter().any(|l| l.contains("raw")), "{b:?}");
    assert!(!b.iter().any(|l| l.contains("data")), "{b:?}");
    repo.write("new.bin", "n");
    repo.pach(["add", "new.bin"]).assert().success();
    assert!(block(&repo).iter().any(|l| l.contains("new.bin")));
    repo.pach(["restore", "--staged", "new.bin"])
        .assert()
        .success();
    assert!(
        !block(&repo).iter().any(|l| l.contains("new.bin")),
        "{:?}",
        block(&repo)
    );
}

#[test]
fn provenance_finds_a_moved_file_under_its_old_name() {
    let repo = TestRepo::init();
    let first = repo.commit_files("first", &[("data/a.csv", "1,2\n")]);
    repo.pach(["mv", "data/a.csv", "data/b.csv"])
        .assert()
        .success();
    let moved = repo.commit("moved");
    repo.pach(["mv", "data/b.csv", "raw/c.csv"])
        .assert()
        .success();
    let again = repo.commit("moved again");
    let v = repo.json(["provenance", "--json", "raw/c.csv"]);
    let node = &v["nodes"][0];
    assert_eq!(node["origin"]["type"], "added", "{v}");
    assert_eq!(
        node["entered"]["commit"],
        first.as_str(),
        "the first name's commit: {v}"
    );
    let renamed: Vec<(&str, &str)> = node["renamed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["from"].as_str().unwrap(), r["commit"].as_str().unwrap()))
        .collect();
    assert_eq!(
        renamed,
        [
            ("data/b.csv", again.as_str()),
            ("data/a.csv", moved.as_str())
        ]
    );
    let text = repo.ok(["provenance", "raw/c.csv"]);
    assert!(
        text.contains("renamed from data/b.csv") && text.contains("renamed from data/a.csv"),
        "{text}"
    );
    // A copy is no rename: both names keep their own history.
    repo.write("copy.csv", "1,2\n");
    repo.pach(["add", "copy.csv"]).assert().success();
    repo.commit("a copy");
    let v = repo.json(["provenance", "--json", "copy.csv"]);
    assert!(v["nodes"][0].get("renamed").is_none(), "{v}");
}
