//! Packed remotes (layout 4): small objects go up in packs, each visible only once its index
//! is written; damaged, truncated or missing packs and bad indexes fail a fetch naming the
//! remote and the pack, storing nothing; remotes of loose objects stay readable.

use super::common::{TestRepo, stderr_of};
use super::{assert_closure, loose_remote, pack_index, pack_indexes, remote_fsck, remote_ref};

/// A project of 200 small files in two commits, pushed to a new directory remote.
fn pushed(loose: bool) -> (TestRepo, std::path::PathBuf) {
    let a = TestRepo::init();
    for i in 0..200 {
        a.write(
            format!("d{}/f{i:03}.txt", i % 4),
            format!("small file {i}\n"),
        );
    }
    a.pach(["add", "."]).assert().success();
    a.commit("one");
    a.commit_files("two", &[("d0/f000.txt", "changed\n")]);
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    if loose {
        loose_remote(&a, "origin");
    }
    a.pach(["push"]).assert().success();
    (a, remote)
}

fn loose_files(remote: &std::path::Path) -> usize {
    walkdir::WalkDir::new(remote.join("objects"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count()
}

fn clone_of(remote: &std::path::Path) -> TestRepo {
    let b = TestRepo::new();
    b.pach(["clone", remote.to_str().unwrap(), "."])
        .assert()
        .success();
    b.pach(["fsck"]).assert().success();
    b
}

#[test]
fn small_objects_go_up_in_one_pack_and_come_back_whole() {
    let (a, remote) = pushed(false);
    let marker = std::fs::read_to_string(remote.join("pach-remote")).unwrap();
    assert_eq!(marker, "pach-remote 4\n");
    assert_eq!(loose_files(&remote), 0, "every object is packed");
    let idx = pack_indexes(&remote);
    assert_eq!(
        idx.len(),
        1,
        "one push of small objects makes one pack: {idx:?}"
    );
    let (_, entries) = pack_index(&idx[0]);
    // 201 blobs, 2 x 5 trees at most, 2 commits.
    assert!(entries.len() > 200, "{} objects packed", entries.len());
    let (n, bad) = remote_fsck(&remote);
    assert!(n > 200 && bad.is_empty(), "{n} {bad:?}");
    assert_closure(&remote, &a.head());

    let b = clone_of(&remote);
    assert_eq!(a.worktree(), b.worktree());
    assert_eq!(a.head(), b.head());
    a.pach(["fsck", "--remote", "origin"]).assert().success();

    // A second commit's push adds one pack for its few objects; the clone pulls them.
    a.commit_files("three", &[("d1/new.txt", "new\n")]);
    a.pach(["push"]).assert().success();
    assert_eq!(pack_indexes(&remote).len(), 2);
    b.pach(["pull"]).assert().success();
    assert_eq!(a.worktree(), b.worktree());
    // And `--path` reads only what it needs, from the same packs.
    let c = TestRepo::new();
    c.pach(["clone", remote.to_str().unwrap(), ".", "--path", "d2"])
        .assert()
        .success();
    assert_eq!(c.read_str("d2/f002.txt"), "small file 2\n");
    assert!(!c.path().join("d1/f001.txt").exists());
}

#[test]
fn a_remote_of_loose_objects_stays_readable_and_gains_packs() {
    let (a, remote) = pushed(true);
    assert!(pack_indexes(&remote).is_empty(), "layout 3 packs nothing");
    assert!(loose_files(&remote) > 200);
    let b = clone_of(&remote);
    assert_eq!(a.worktree(), b.worktree());

    // The same remote, pushed to by a pach that packs: the new objects go in a pack, and a
    // clone reads both kinds.
    b.commit_files("packed", &[("d3/p.txt", "in a pack\n")]);
    b.pach(["push"]).assert().success();
    assert_eq!(pack_indexes(&remote).len(), 1);
    assert_eq!(
        std::fs::read_to_string(remote.join("pach-remote")).unwrap(),
        "pach-remote 4\n"
    );
    let c = clone_of(&remote);
    assert_eq!(b.worktree(), c.worktree());
    assert_closure(&remote, &b.head());
}

/// The pack file of a remote with exactly one pack.
fn only_pack(remote: &std::path::Path) -> (std::path::PathBuf, String) {
    let idx = pack_indexes(remote);
    assert_eq!(idx.len(), 1);
    let (pack, _) = pack_index(&idx[0]);
    (remote.join("packs").join(format!("{pack}.pack")), pack)
}

/// Fetches from `remote` into a new project: fails with code 1, names the remote and the
/// pack and `what`, and changes nothing.
fn fetch_fails(remote: &std::path::Path, pack: &str, what: &str) {
    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    let before = b.snapshot();
    let out = b.pach(["fetch"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("remote `origin`") && err.contains(pack) && err.contains(what),
        "{err}"
    );
    b.assert_unchanged(&before);
}

#[test]
fn a_damaged_truncated_or_missing_pack_fails_the_fetch_naming_it() {
    let (_a, remote) = pushed(false);
    let (path, pack) = only_pack(&remote);
    let good = std::fs::read(&path).unwrap();

    let mut flipped = good.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0xff;
    std::fs::write(&path, &flipped).unwrap();
    fetch_fails(&remote, &pack, "is corrupt");

    std::fs::write(&path, &good[..good.len() - 10]).unwrap();
    fetch_fails(&remote, &pack, "truncated");

    std::fs::remove_file(&path).unwrap();
    fetch_fails(&remote, &pack, "the pack is missing");

    std::fs::write(&path, &good).unwrap();
    clone_of(&remote);
}

#[test]
fn a_bad_pack_index_fails_the_fetch_naming_its_pack() {
    let (_a, remote) = pushed(false);
    let idx = pack_indexes(&remote).remove(0);
    let (_, pack) = only_pack(&remote);
    let good = std::fs::read(&idx).unwrap();
    let mut bad = good.clone();
    bad[30] ^= 1;
    std::fs::write(&idx, &bad).unwrap();
    fetch_fails(&remote, &pack, "its index is bad");
    std::fs::write(&idx, &good[..good.len() / 2]).unwrap();
    fetch_fails(&remote, &pack, "its index is bad");
    std::fs::write(&idx, &good).unwrap();
    clone_of(&remote);
}

#[test]
fn a_push_stopped_before_its_indexes_shows_nothing_and_a_rerun_completes() {
    let (a, remote) = pushed(false);
    // The state a push killed after uploading its packs leaves: packs no index names, no ref.
    for idx in pack_indexes(&remote) {
        std::fs::remove_file(idx).unwrap();
    }
    std::fs::remove_file(remote.join("refs/heads/main")).unwrap();
    let (n, _) = remote_fsck(&remote);
    assert_eq!(n, 0, "an orphan pack holds no visible object");
    a.pach(["push"]).assert().success();
    assert_eq!(remote_ref(&remote, "main"), Some(a.head()));
    assert_closure(&remote, &a.head());
    let b = clone_of(&remote);
    assert_eq!(a.worktree(), b.worktree());
}

#[test]
fn two_pushers_at_once_both_land_and_neither_loses_objects() {
    let (a, remote) = pushed(false);
    let b = clone_of(&remote);
    for round in 0..3 {
        // `a` pushes main while `b` pushes a branch of its own: both pushes may land.
        let branch = format!("b{round}");
        a.commit_files(
            "from a",
            &[(&format!("a/{round}.txt"), &format!("a {round}\n"))],
        );
        b.pach(["checkout", "-b", &branch]).assert().success();
        b.commit_files(
            "from b",
            &[(&format!("b/{round}.txt"), &format!("b {round}\n"))],
        );
        let mut pa = a.pach_std(["push", "origin", "main"]);
        let mut pb = b.pach_std(["push", "origin", &branch]);
        let (ra, rb) = std::thread::scope(|s| {
            let ta = s.spawn(|| pa.output().unwrap());
            let tb = s.spawn(|| pb.output().unwrap());
            (ta.join().unwrap(), tb.join().unwrap())
        });
        assert!(
            ra.status.success(),
            "{}",
            String::from_utf8_lossy(&ra.stderr)
        );
        assert!(
            rb.status.success(),
            "{}",
            String::from_utf8_lossy(&rb.stderr)
        );
        assert_closure(&remote, &a.head());
        assert_closure(&remote, &b.head());
        b.pach(["checkout", "main"]).assert().success();
        b.pach(["pull"]).assert().success();
        assert_eq!(b.head(), a.head());
    }
    let (_, bad) = remote_fsck(&remote);
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn a_layout_this_pach_cannot_write_is_refused_naming_it_and_nothing_moves() {
    let a = TestRepo::init();
    a.commit_files("one", &[("x.txt", "x\n")]);
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    let path = a.pach_dir().join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("[remote.origin]\n", "[remote.origin]\nlayout = 7\n");
    std::fs::write(&path, text).unwrap();
    let before = a.snapshot();
    let out = a.pach(["push"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("`layout = 7`") && err.contains("[remote.origin]"),
        "{err}"
    );
    a.assert_unchanged(&before);
    assert!(!remote.exists(), "nothing was written to the remote");
}
