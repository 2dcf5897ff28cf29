//! `pach diff`.

use crate::common::TestRepo;

fn changes(v: &serde_json::Value) -> Vec<(String, String)> {
    crate::common::change_list(v, "changes")
}

#[test]
fn diff_without_revs_compares_the_working_tree_with_the_index() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "2"), ("c", "3")]);
    repo.write("a", "changed");
    std::fs::remove_file(repo.path().join("b")).unwrap();
    repo.write("c", "staged");
    repo.pach(["add", "c"]).assert().success();
    let v = repo.json(["diff", "--json"]);
    assert_eq!(
        changes(&v),
        [
            ("a".into(), "modified".into()),
            ("b".into(), "deleted".into())
        ]
    );
    assert_eq!(v["changes"][0]["old_size"], 1);
    assert_eq!(v["changes"][0]["new_size"], 7);
    let text = repo.ok(["diff"]);
    assert!(text.contains("M  a  (1 B -> 7 B)"), "{text}");
    assert!(text.contains('b'), "{text}");
}

#[test]
fn diff_between_two_revisions_lists_added_modified_deleted_with_sizes() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("keep", "k"), ("mod", "12"), ("gone", "g")]);
    repo.pach(["tag", "v1"]).assert().success();
    repo.pach(["rm", "gone"]).assert().success();
    repo.commit_files("two", &[("mod", "12345"), ("new", "nnn")]);
    let v = repo.json(["diff", "v1", "main", "--json"]);
    assert_eq!(
        changes(&v),
        [
            ("gone".into(), "deleted".into()),
            ("mod".into(), "modified".into()),
            ("new".into(), "added".into())
        ]
    );
    let s = &v["summary"];
    assert_eq!(s["files"], 3);
    assert_eq!(s["added"], 1);
    assert_eq!(s["modified"], 1);
    assert_eq!(s["deleted"], 1);
    let stat = repo.ok(["diff", "v1", "main", "--stat"]);
    assert!(
        stat.contains("3 file(s) changed: 1 added, 1 modified, 1 deleted"),
        "{stat}"
    );
    assert!(!stat.contains("keep"), "{stat}");
    // Reversed, additions become deletions.
    let back = repo.json(["diff", "main", "v1", "--json"]);
    assert_eq!(
        changes(&back),
        [
            ("gone".into(), "added".into()),
            ("mod".into(), "modified".into()),
            ("new".into(), "deleted".into())
        ]
    );
}

#[test]
fn diff_with_one_rev_compares_it_with_the_working_tree() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("a", "22")]);
    repo.write("u", "untracked is not part of the diff");
    let v = repo.json(["diff", "HEAD~1", "--json"]);
    assert_eq!(changes(&v), [("a".into(), "modified".into())]);
    let v = repo.json(["diff", "HEAD", "--json"]);
    assert_eq!(changes(&v), []);
}

#[test]
fn diff_of_an_unknown_revision_fails_naming_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["diff", "HEAD", "zzz"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("unknown revision `zzz`"));
}
