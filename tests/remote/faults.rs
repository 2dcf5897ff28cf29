//! Faults: pushes and pulls killed at random moments, and a corrupted object on the remote.

use std::time::Duration;

use predicates::str::contains;

use super::common::{Lcg, TestRepo, stderr_of};
use super::{assert_closure, corrupt_remote_object, loose_remote, remote_fsck, remote_ref};

fn big_project() -> TestRepo {
    let r = TestRepo::init();
    for i in 0..300 {
        r.write(
            format!("data/f{i:03}.txt"),
            format!("file {i}\n").repeat(i % 7 + 1),
        );
    }
    let big: Vec<u8> = (0..30u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    r.write("data/big.bin", big);
    r.pach(["add", "data"]).assert().success();
    r.commit("big");
    r
}

fn kill_after(cmd: &mut std::process::Command, ms: u64) -> bool {
    let mut child = cmd
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill();
    let _ = child.wait();
    finished
}

#[test]
fn killed_push_and_pull_complete_when_rerun() {
    let a = big_project();
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    let head = a.head();
    let mut rng = Lcg(7);
    for _ in 0..6 {
        kill_after(&mut a.pach_std(["push"]), 20 + rng.below(400));
        // The ref is either absent or points at a complete closure.
        if let Some(r) = remote_ref(&remote, "main") {
            assert_eq!(r, head);
            assert_closure(&remote, &r);
        }
        assert!(remote_fsck(&remote).1.is_empty());
    }
    a.pach(["push"]).assert().success();
    assert_closure(&remote, &head);
    a.pach(["fsck"]).assert().success();

    let b = TestRepo::new();
    b.pach(["clone", url, "."]).assert().success();
    a.commit_files("more", &[("data/new.txt", "new\n")]);
    a.pach(["push"]).assert().success();
    for _ in 0..5 {
        kill_after(&mut b.pach_std(["pull"]), 5 + rng.below(150));
        b.pach(["fsck"]).assert().success();
    }
    b.pach(["pull"]).assert().success();
    b.pach(["fsck"]).assert().success();
    assert_eq!(a.worktree(), b.worktree());
    assert_eq!(b.head(), a.head());
}

#[test]
fn corrupt_object_on_the_remote_is_named_and_not_stored() {
    corrupt_object_is_refused(false);
}

#[test]
fn corrupt_loose_object_on_a_layout_3_remote_is_named_and_not_stored() {
    corrupt_object_is_refused(true);
}

fn corrupt_object_is_refused(loose: bool) {
    let a = TestRepo::init();
    a.commit_files("one", &[("d/x.txt", "precious\n")]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    if loose {
        loose_remote(&a, "origin");
    }
    a.pach(["push"]).assert().success();
    let blob = blake3::hash(b"precious\n").to_hex().to_string();
    corrupt_remote_object(&remote, &blob);

    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", url]).assert().success();
    let before = b.snapshot();
    let out = b.pach(["fetch"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(err.contains("corrupt") && err.contains(&blob), "{err}");
    b.assert_unchanged(&before);
    b.pach(["pull"])
        .assert()
        .code(1)
        .stderr(contains("corrupt"));
    b.assert_unchanged(&before);
}
