//! Damaged objects: a push refuses a corrupt local object, and `pach fsck --remote
//! [--repair]` finds and fixes damage on the remote from a clone that has good copies.

use predicates::str::contains;

use super::common::{TestRepo, stderr_of, stdout_of};
use super::{
    corrupt_remote_object, loose_remote, remote_fsck, remote_obj, remote_read, remote_ref,
};

/// Overwrites a file that may be read-only.
pub fn tamper(p: &std::path::Path, bytes: &str) {
    let mut perm = std::fs::metadata(p).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(p, perm).unwrap();
    std::fs::write(p, bytes).unwrap();
}

#[test]
fn a_corrupt_local_object_is_not_pushed_and_the_remote_ref_stays() {
    let a = TestRepo::init();
    a.commit_files("one", &[("d/x.txt", "precious\n"), ("y.txt", "why\n")]);
    let blob = blake3::hash(b"precious\n").to_hex().to_string();
    tamper(&a.object_path(&blob), "rotten\n");
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    let out = a.pach(["push"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains(&blob) && err.contains("corrupt") && err.contains("`pach fsck`"),
        "{err}"
    );
    assert_eq!(remote_ref(&remote, "main"), None, "the remote ref moved");
    assert!(
        remote_read(&remote, &blob).is_none(),
        "a damaged object went up"
    );
    assert!(remote_fsck(&remote).1.is_empty());
    // The hinted command names the damaged object.
    let out = a.pach(["fsck"]).assert().code(4);
    assert!(stdout_of(&out).contains(&blob), "{}", stdout_of(&out));
}

#[test]
fn fsck_remote_names_a_corrupt_object_and_repair_from_a_good_clone_fixes_it() {
    let a = TestRepo::init();
    a.commit_files("one", &[("d/x.txt", "precious\n"), ("y.txt", "why\n")]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    a.pach(["fsck", "--remote", "origin"]).assert().success();
    let blob = blake3::hash(b"precious\n").to_hex().to_string();
    corrupt_remote_object(&remote, &blob);
    let (_, bad) = remote_fsck(&remote);
    assert_eq!(bad, vec![blob.clone()]);

    // A clone refuses the damaged object, and its hint names the repair.
    let b = TestRepo::new();
    let out = b.pach(["clone", url, "c"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains(&blob) && err.contains("pach fsck --remote origin --repair"),
        "{err}"
    );

    let out = a.pach(["fsck", "--remote", "origin"]).assert().code(4);
    let text = stdout_of(&out);
    assert!(text.contains("corrupt") && text.contains(&blob), "{text}");
    let out = a
        .pach(["fsck", "--remote", "origin", "--json"])
        .assert()
        .code(4);
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["problems"][0]["id"], blob.as_str(), "{json}");
    assert_eq!(json["problems"].as_array().unwrap().len(), 1, "{json}");

    let out = a
        .pach(["fsck", "--remote", "origin", "--repair"])
        .assert()
        .success();
    assert!(
        stdout_of(&out).contains("(repaired)"),
        "{}",
        stdout_of(&out)
    );
    assert!(remote_fsck(&remote).1.is_empty());
    a.pach(["fsck", "--remote", "origin"]).assert().success();
    b.pach(["clone", url, "c"]).assert().success();
    let c = TestRepo::at(&b.path().join("c"));
    assert_eq!(a.worktree(), c.worktree());
    c.pach(["fsck"]).assert().success();
}

#[test]
fn fsck_remote_finds_a_missing_object_and_repair_needs_a_good_copy() {
    let a = TestRepo::init();
    a.commit_files("one", &[("x.txt", "ex\n")]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    loose_remote(&a, "origin");
    a.pach(["push"]).assert().success();
    let blob = blake3::hash(b"ex\n").to_hex().to_string();
    std::fs::remove_file(remote_obj(&remote, &blob)).unwrap();

    // A clone that lacks the object cannot repair it: the problem stays, exit 4.
    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", url]).assert().success();
    let out = b
        .pach(["fsck", "--remote", "origin", "--repair"])
        .assert()
        .code(4);
    let text = stdout_of(&out);
    assert!(text.contains("missing") && text.contains(&blob), "{text}");
    assert!(!remote_obj(&remote, &blob).exists());

    a.pach(["fsck", "--remote", "origin", "--repair"])
        .assert()
        .success();
    assert!(remote_obj(&remote, &blob).is_file());
    b.pach(["pull", "origin", "main"]).assert().success();
    assert_eq!(b.read_str("x.txt"), "ex\n");
}

#[test]
fn repair_needs_a_remote() {
    let a = TestRepo::init();
    a.pach(["fsck", "--repair"])
        .assert()
        .code(2)
        .stderr(contains("--remote"));
    a.pach(["fsck", "--remote", "nowhere"])
        .assert()
        .code(1)
        .stderr(contains("no remote named `nowhere`"));
}
