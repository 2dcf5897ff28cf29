//! `pach ls`, `pach cat`, `pach show`: reading any version without checking it out.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn ls_lists_files_of_any_version_and_under_a_path() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("d/x", "xx"), ("d/e/y", "yyy")]);
    repo.commit_files("two", &[("d/z", "z")]);
    let v = repo.json(["ls", "--json"]);
    let paths: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a", "d/e/y", "d/x", "d/z"]);
    assert_eq!(v[1]["size"], 3);
    assert_eq!(v[1]["kind"], "file");
    let old = repo.json(["ls", "HEAD~1", "--json"]);
    assert_eq!(old.as_array().unwrap().len(), 3);
    let sub = repo.json(["ls", "HEAD~1", "d", "--json"]);
    let paths: Vec<&str> = sub
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["d/e/y", "d/x"]);
    // A single argument that is not a revision is a path at HEAD.
    let sub = repo.json(["ls", "d/e", "--json"]);
    assert_eq!(sub.as_array().unwrap().len(), 1);
    let text = repo.ok(["ls"]);
    assert_eq!(text.lines().count(), 4);
    assert!(text.lines().any(|l| l.ends_with(" d/e/y")), "{text}");
}

#[test]
fn ls_of_an_empty_repo_and_a_missing_path() {
    let repo = TestRepo::init();
    // An unborn HEAD has nothing to list: either an empty list or a clear error.
    let out = repo.pach(["ls"]).output().unwrap();
    if !out.status.success() {
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("no commits yet"), "{e}");
    } else {
        assert_eq!(out.stdout, b"");
    }
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["ls", "HEAD", "nope"])
        .assert()
        .code(1)
        .stderr(contains("nope"));
}

#[test]
fn cat_prints_any_version_byte_for_byte() {
    let repo = TestRepo::init();
    let bin: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    repo.write("bin", &bin);
    repo.pach(["add", "bin"]).assert().success();
    repo.commit("one");
    repo.commit_files("two", &[("bin", "small now")]);
    repo.pach(["cat", "HEAD~1:bin"])
        .assert()
        .success()
        .stdout(bin);
    repo.pach(["cat", "HEAD:bin"])
        .assert()
        .success()
        .stdout("small now");
    let c1 = repo.json(["log", "--json"])[1]["id"]
        .as_str()
        .unwrap()
        .to_string();
    repo.pach(["cat", &format!("{}:bin", &c1[..8])])
        .assert()
        .success()
        .stdout(predicates::ord::eq(
            (0..=255u8).cycle().take(5000).collect::<Vec<u8>>(),
        ));
}

#[test]
fn cat_errors_name_the_revision_and_path() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("d/x", "x")]);
    repo.pach(["cat", "HEAD:missing"])
        .assert()
        .code(1)
        .stderr(contains("HEAD:missing"));
    repo.pach(["cat", "HEAD:d"])
        .assert()
        .code(1)
        .stderr(contains("HEAD:d"));
    repo.pach(["cat", "nosuch:a"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nosuch`"));
    repo.pach(["cat", "no-colon"]).assert().failure();
}

#[test]
fn show_prints_metadata_and_changes() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "2")]);
    repo.pach(["rm", "b"]).assert().success();
    let c2 = repo.commit_files("two\n\nlonger body", &[("a", "11"), ("c", "3")]);
    let v = repo.json(["show", "--json"]);
    assert_eq!(v["id"], c2.as_str());
    assert_eq!(v["message"], "two\n\nlonger body");
    let ch: Vec<(String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().into(),
                c["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        ch,
        [
            ("a".into(), "modified".into()),
            ("b".into(), "deleted".into()),
            ("c".into(), "added".into())
        ]
    );
    let text = repo.ok(["show"]);
    assert!(text.contains(&c2), "{text}");
    assert!(text.contains("longer body"), "{text}");
    assert!(text.contains('c'), "{text}");
    let first = repo.json(["show", "HEAD~1", "--json"]);
    assert_eq!(first["changes"].as_array().unwrap().len(), 2);
}

#[test]
fn round_trip_add_commit_change_and_read_back() {
    let repo = TestRepo::init();
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    repo.write("data/big.bin", &big);
    repo.write("data/labels.csv", "id,label\n1,cat\n");
    repo.pach(["add", "data"]).assert().success();
    let c1 = repo.commit("raw");
    repo.write("data/labels.csv", "id,label\n1,dog\n");
    repo.pach(["add", "data"]).assert().success();
    repo.commit("fix label");
    assert_eq!(
        repo.ok(["cat", &format!("{c1}:data/labels.csv")]),
        "id,label\n1,cat\n"
    );
    repo.pach(["cat", "HEAD:data/big.bin"])
        .assert()
        .success()
        .stdout(big);
    repo.pach(["fsck"]).assert().success();
}
