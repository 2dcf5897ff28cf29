//! `pach branch`, `pach tag`, and revision syntax.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn branch_lists_creates_and_deletes() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    let c2 = repo.commit_files("two", &[("a", "2")]);
    repo.pach(["branch", "exp"]).assert().success();
    repo.pach(["branch", "old", "HEAD~1"]).assert().success();
    let v = repo.json(["branch", "--json"]);
    let got: Vec<(String, String, bool)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap().into(),
                b["commit"].as_str().unwrap().into(),
                b["current"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("exp".into(), c2.clone(), false),
            ("main".into(), c2.clone(), true),
            ("old".into(), c1.clone(), false),
        ]
    );
    let text = repo.ok(["branch"]);
    assert!(text.contains(&format!("* main  {}", &c2[..12])), "{text}");
    repo.pach(["branch", "-d", "exp"])
        .assert()
        .success()
        .stderr(contains("deleted branch exp"));
    assert!(!repo.ok(["branch"]).contains("exp"));
    repo.pach(["branch", "-d", "exp"])
        .assert()
        .code(1)
        .stderr(contains("no branch named `exp`"));
}

#[test]
fn deleting_the_current_branch_fails_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["branch", "-d", "main"])
        .assert()
        .code(1)
        .stderr(contains("cannot delete branch `main`: it is checked out"));
    repo.assert_unchanged(&before);
}

#[test]
fn duplicate_branch_and_tag_names_fail() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["branch", "x"]).assert().success();
    repo.pach(["tag", "v1"]).assert().success();
    let before = repo.snapshot();
    repo.pach(["branch", "x"])
        .assert()
        .code(1)
        .stderr(contains("branch `x` already exists"));
    repo.pach(["branch", "main"])
        .assert()
        .code(1)
        .stderr(contains("branch `main` already exists"));
    repo.pach(["tag", "v1"])
        .assert()
        .code(1)
        .stderr(contains("tag `v1` already exists"));
    repo.assert_unchanged(&before);
}

#[test]
fn bad_ref_names_are_refused_naming_them() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    for name in [
        "a..b",
        "HEAD",
        "bad name",
        "trailing/",
        ".hidden",
        "x.",
        "a//b",
    ] {
        repo.pach(["branch", name])
            .assert()
            .code(1)
            .stderr(contains(format!("`{name}` is not a valid branch name")));
        repo.pach(["tag", name])
            .assert()
            .code(1)
            .stderr(contains(format!("`{name}` is not a valid tag name")));
    }
    // A leading dash after `--` reaches the name check.
    repo.pach(["branch", "--", "-x"])
        .assert()
        .code(1)
        .stderr(contains("`-x` is not a valid branch name"));
    // Without `--` it is a flag: a usage error.
    repo.pach(["branch", "-x"]).assert().code(2);
    repo.assert_unchanged(&before);
}

#[test]
fn branch_and_tag_at_an_unknown_revision_fail_naming_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["branch", "x", "nosuch"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nosuch`"));
    repo.pach(["tag", "t", "HEAD~5"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `HEAD~5`"));
    repo.pach(["tag", "t", "abcd"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `abcd`"));
    repo.assert_unchanged(&before);
}

#[test]
fn branch_in_an_empty_repo_fails_clearly() {
    let repo = TestRepo::init();
    repo.pach(["branch", "x"])
        .assert()
        .code(1)
        .stderr(contains("no commits yet on `main`"));
    repo.pach(["branch"]).assert().success();
}

#[test]
fn tag_lists_creates_and_deletes() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    let c2 = repo.commit_files("two", &[("a", "2")]);
    repo.pach(["tag", "v1", "HEAD^"]).assert().success();
    repo.pach(["tag", "v2"]).assert().success();
    let v = repo.json(["tag", "--json"]);
    let s = v.to_string();
    assert!(s.contains(&c1) && s.contains(&c2), "{s}");
    let text = repo.ok(["tag"]);
    assert!(text.contains(&format!("v1  {}", &c1[..12])), "{text}");
    assert!(text.contains(&format!("v2  {}", &c2[..12])), "{text}");
    assert_eq!(repo.ok(["cat", "v1:a"]), "1");
    repo.pach(["tag", "-d", "v1"]).assert().success();
    repo.pach(["cat", "v1:a"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `v1`"));
    repo.pach(["tag", "-d", "v1"])
        .assert()
        .code(1)
        .stderr(contains("no tag named `v1`"));
}

#[test]
fn revisions_resolve_head_ancestors_tags_branches_and_prefixes() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    let c2 = repo.commit_files("two", &[("a", "2")]);
    let c3 = repo.commit_files("three", &[("a", "3")]);
    repo.pach(["tag", "t", &c2]).assert().success();
    let id_of = |rev: &str| {
        let v = repo.json(["show", "--json", rev]);
        v["id"].as_str().unwrap().to_string()
    };
    assert_eq!(id_of("HEAD"), c3);
    assert_eq!(id_of("@"), c3);
    assert_eq!(id_of("main"), c3);
    assert_eq!(id_of("HEAD^"), c2);
    assert_eq!(id_of("HEAD~1"), c2);
    assert_eq!(id_of("HEAD~2"), c1);
    assert_eq!(id_of("HEAD^^"), c1);
    assert_eq!(id_of("main~1^"), c1);
    assert_eq!(id_of("t"), c2);
    assert_eq!(id_of("t~1"), c1);
    assert_eq!(id_of(&c1[..4]), c1);
    assert_eq!(id_of(&c1[..10]), c1);
    assert_eq!(id_of(&c1), c1);
    repo.pach(["show", "HEAD~3"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `HEAD~3`"));
    // Fewer than 4 hex digits is not a prefix.
    repo.pach(["show", &c1[..3]])
        .assert()
        .code(1)
        .stderr(contains(format!("unknown revision `{}`", &c1[..3])));
}

/// Predicts the id of an empty commit with `parent`, using pach's own encoding.
fn predict(template: &pach::store::Commit, parent: &str, message: &str) -> String {
    use pach::store::Structured;
    let mut c = template.clone();
    c.parents = vec![parent.parse().expect("parent id")];
    c.message = message.to_string();
    blake3::hash(&c.encode()).to_hex().to_string()
}

#[test]
fn an_ambiguous_commit_prefix_is_refused() {
    use pach::store::Structured;
    let repo = TestRepo::init();
    let root = repo.commit_files("root", &[("a", "1")]);
    // A commit made like the ones to come, to learn every field but parent and message.
    let probe = repo.json(["commit", "--json", "--allow-empty", "-m", "probe"]);
    let probe = probe["id"].as_str().unwrap().to_string();
    let bytes = std::fs::read(repo.object_path(&probe)).unwrap();
    let template = pach::store::Commit::decode(&bytes).expect("decode commit");
    assert_eq!(
        predict(&template, &root, "probe"),
        probe,
        "prediction works"
    );
    // Two siblings of `probe` (children of `root`) whose ids share 4 hex digits.
    let mut seen = std::collections::HashMap::new();
    let (m1, m2) = (0..200_000)
        .find_map(|i| {
            let m = format!("m{i}");
            let id = predict(&template, &root, &m);
            let key = id[..4].to_string();
            if key == probe[..4] || key == root[..4] {
                return None;
            }
            seen.insert(key, m.clone()).map(|prev| (prev, m))
        })
        .expect("a collision in 200000 tries");
    repo.pach(["checkout", "-b", "b1", &root])
        .assert()
        .success();
    let id1 = repo.commit_files_allow_empty(&m1);
    repo.pach(["checkout", "-b", "b2", &root])
        .assert()
        .success();
    let id2 = repo.commit_files_allow_empty(&m2);
    assert_eq!(id1[..4], id2[..4]);
    assert_ne!(id1, id2);
    let prefix = &id1[..4];
    let before = repo.snapshot();
    repo.pach(["show", prefix])
        .assert()
        .code(1)
        .stderr(contains(format!("ambiguous revision `{prefix}`")))
        .stderr(contains(&id1[..12]))
        .stderr(contains(&id2[..12]));
    repo.pach(["branch", "amb", prefix])
        .assert()
        .code(1)
        .stderr(contains("ambiguous"));
    repo.assert_unchanged(&before);
    // A longer prefix settles it.
    let v = repo.json(["show", "--json", &id1[..12]]);
    assert_eq!(v["id"], id1.as_str());
}

impl TestRepo {
    fn commit_files_allow_empty(&self, msg: &str) -> String {
        let v = self.json(["commit", "--json", "--allow-empty", "-m", msg]);
        v["id"].as_str().unwrap().to_string()
    }
}
