//! `--json` on the commands that report something but printed only text: rm, checkout (both
//! forms) and gc. (`pach logs --json` is in the Docker tests.)

use crate::common::TestRepo;

#[test]
fn rm_checkout_restore_and_gc_report_as_json() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("data/a", "1"), ("data/b", "2"), ("c", "3")]);
    repo.ok(["branch", "v1"]);

    let out = repo.json(["rm", "--json", "data/b"]);
    assert_eq!(out["removed"], serde_json::json!(["data/b"]), "{out}");
    assert_eq!(out["deleted_files"], 1, "{out}");
    assert!(!repo.exists("data/b"));
    repo.ok(["commit", "-m", "two"]);

    let out = repo.json(["checkout", "--json", "v1"]);
    assert_eq!(out["branch"], "v1", "{out}");
    assert_eq!(out["written"], 1, "data/b comes back: {out}");
    assert_eq!(out["deleted"], 0, "{out}");
    assert_eq!(out["commit"].as_str().map(str::len), Some(64), "{out}");
    assert_eq!(repo.read_str("data/b"), "2");

    repo.write("c", "changed");
    let out = repo.json(["checkout", "--json", "HEAD", "--", "c"]);
    assert_eq!(out["written"], 1, "{out}");
    assert_eq!(
        out["branch"],
        serde_json::Value::Null,
        "a restore moves no branch: {out}"
    );
    assert_eq!(repo.read_str("c"), "3");

    let out = repo.json(["gc", "--json", "--grace", "0"]);
    assert!(out["gc"]["deleted"].is_u64(), "{out}");
    assert!(out["gc"]["failed_kept"].is_u64(), "{out}");
    assert_eq!(out["swept"]["work_dirs"], 0, "{out}");
}

#[test]
fn json_output_of_a_failing_rm_is_an_error_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["rm", "--json", "nope"]).assert().code(1);
    repo.assert_unchanged(&before);
}

#[test]
fn init_and_remote_add_and_remove_report_as_json() {
    let repo = TestRepo::new();
    let out = repo.json(["init", "--json"]);
    assert!(
        out["pach_dir"].as_str().unwrap().ends_with(".pach"),
        "{out}"
    );
    assert_eq!(
        out["gitignore"],
        serde_json::Value::Null,
        "not in git: {out}"
    );
    let url = repo.base().join("remote");
    let out = repo.json(["remote", "add", "--json", "origin", url.to_str().unwrap()]);
    assert_eq!(out["added"], "origin", "{out}");
    assert_eq!(out["url"], url.to_str().unwrap(), "{out}");
    let out = repo.json(["remote", "remove", "--json", "origin"]);
    assert_eq!(out["removed"], "origin", "{out}");
    repo.pach(["remote", "remove", "--json", "origin"])
        .assert()
        .code(1);
}
