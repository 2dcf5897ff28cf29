//! `pach fsck` and `pach gc`.

use std::os::unix::fs::PermissionsExt;

use predicates::str::contains;

use crate::common::{TestRepo, stdout_of};

fn blob_of(repo: &TestRepo, rev: &str, path: &str) -> String {
    let ls = repo.json(["ls", rev, "--json"]);
    ls.as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in {ls}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn fsck_of_a_healthy_store_is_clean() {
    let repo = TestRepo::init();
    repo.pach(["fsck"]).assert().success();
    repo.commit_files("one", &[("a", "1"), ("d/b", "2")]);
    let v = repo.json(["fsck", "--json"]);
    assert_eq!(v["problems"], serde_json::json!([]));
    assert_eq!(v["unreachable"], 0);
}

#[test]
fn fsck_reports_a_corrupt_object_by_id_and_exits_4() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "hello world"), ("b", "fine")]);
    let id = blob_of(&repo, "HEAD", "a");
    let p = repo.object_path(&id);
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o222,
        0,
        "objects are read-only"
    );
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut bytes = std::fs::read(&p).unwrap();
    bytes[0] ^= 0x01;
    std::fs::write(&p, bytes).unwrap();
    let a = repo
        .pach(["fsck"])
        .assert()
        .code(4)
        .stderr(contains("problem"));
    let out = stdout_of(&a);
    assert!(out.contains("corrupt"), "{out}");
    assert!(out.contains(&id), "{out}");
    let v: serde_json::Value =
        serde_json::from_slice(&repo.pach(["fsck", "--json"]).output().unwrap().stdout).unwrap();
    let probs = v["problems"].as_array().unwrap();
    assert_eq!(probs.len(), 1, "{v}");
    assert_eq!(probs[0]["kind"], "corrupt");
    assert_eq!(probs[0]["id"], id.as_str());
    // Reading it says so too, instead of printing the wrong bytes.
    repo.pach(["cat", "HEAD:a"])
        .assert()
        .failure()
        .stderr(contains(&id[..12]))
        .stderr(contains("corrupt"));
}

#[test]
fn checkout_of_a_corrupt_object_fails_instead_of_writing_bad_bytes() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "hello world")]);
    let id = blob_of(&repo, "HEAD", "a");
    let p = repo.object_path(&id);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&p, "jello world").unwrap();
    std::fs::remove_file(repo.path().join("a")).unwrap();
    repo.pach(["checkout", "HEAD", "--", "a"])
        .assert()
        .failure()
        .stderr(contains(&id[..12]))
        .stderr(contains("corrupt"));
    assert!(
        !repo.exists("a") || repo.read_str("a") != "jello world",
        "corrupt bytes were written to the working tree"
    );
}

#[test]
fn fsck_reports_a_missing_object_with_where_it_is_referenced() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("d/a", "alpha"), ("b", "beta")]);
    let id = blob_of(&repo, "HEAD", "d/a");
    std::fs::remove_file(repo.object_path(&id)).unwrap();
    let a = repo.pach(["fsck"]).assert().code(4);
    let out = stdout_of(&a);
    assert!(out.contains("missing"), "{out}");
    assert!(out.contains(&id), "{out}");
    assert!(out.contains(&format!("{}:d/a", &c1[..12])), "{out}");
    // gc refuses to work on a damaged store.
    repo.pach(["gc", "--grace", "0"]).assert().failure();
}

#[test]
fn fsck_reports_a_missing_commit() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let c2 = repo.commit_files("two", &[("a", "2")]);
    std::fs::remove_file(repo.object_path(&c2)).unwrap();
    let a = repo.pach(["fsck"]).assert().code(4);
    let out = stdout_of(&a);
    assert!(out.contains("missing") && out.contains(&c2), "{out}");
}

#[test]
fn gc_deletes_unreachable_objects_and_keeps_reachable_ones() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("keep", "kept content")]);
    let kept = repo.objects();
    repo.write("scratch", "unreachable content");
    repo.pach(["add", "scratch"]).assert().success();
    let orphan = blob_of_index(&repo);
    repo.pach(["rm", "--cached", "scratch"]).assert().success();
    assert!(repo.objects().contains(&orphan));
    // The default grace period keeps a young object.
    repo.pach(["gc"]).assert().success();
    assert!(repo.objects().contains(&orphan), "young object deleted");
    // The blob, and the root tree of the index that held it (an index's trees are stored
    // as it is written, for the next commit).
    let v = repo.json(["fsck", "--json"]);
    assert_eq!(v["unreachable"], 2);
    repo.pach(["gc", "--grace", "0"]).assert().success();
    assert_eq!(repo.objects(), kept);
    let v = repo.json(["fsck", "--json"]);
    assert_eq!(v["problems"], serde_json::json!([]));
    assert_eq!(v["unreachable"], 0);
    assert_eq!(repo.ok(["cat", "HEAD:keep"]), "kept content");
}

/// Returns the id `scratch` was staged with: blob ids are the BLAKE3 of the content.
fn blob_of_index(repo: &TestRepo) -> String {
    let id = blake3::hash(b"unreachable content").to_hex().to_string();
    assert!(
        repo.object_path(&id).is_file(),
        "blob ids are b3sum of the content"
    );
    id
}

#[test]
fn gc_keeps_staged_objects_and_history_of_every_ref() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "v1")]);
    repo.pach(["tag", "v1"]).assert().success();
    repo.commit_files("two", &[("a", "v2")]);
    repo.write("staged", "only in the index");
    repo.pach(["add", "staged"]).assert().success();
    let before = repo.objects();
    repo.pach(["gc", "--grace", "0"]).assert().success();
    assert_eq!(repo.objects(), before);
    assert_eq!(repo.ok(["cat", "v1:a"]), "v1");
    repo.pach(["commit", "-m", "three"]).assert().success();
    assert_eq!(repo.ok(["cat", "HEAD:staged"]), "only in the index");
}

#[test]
fn gc_rejects_a_bad_duration() {
    let repo = TestRepo::init();
    repo.pach(["gc", "--grace", "soon"])
        .assert()
        .failure()
        .stderr(contains("soon"));
}
