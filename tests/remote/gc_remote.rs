//! `pach gc --remote`: what no branch or tag reaches is condemned first and deleted only
//! after the grace period, a pusher counts nothing condemned as on the remote, mostly
//! unreachable packs are repacked, and a remote whose refs reach missing objects is left
//! alone.

use super::common::{TestRepo, stderr_of};
use super::{assert_closure, pack_files, pack_indexes, read_index, remote_fsck};

fn remote_of(a: &TestRepo) -> std::path::PathBuf {
    let remote = a.base().join("remote");
    a.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    remote
}

/// `n` files of about 2 KiB under `dir`, each unique to `tag`.
fn files(a: &TestRepo, dir: &str, tag: &str, n: usize) {
    for i in 0..n {
        a.write(
            format!("{dir}/{i:03}.txt"),
            format!("{tag} {i}\n").repeat(200),
        );
    }
}

fn gc(a: &TestRepo, grace: &str) -> serde_json::Value {
    a.json(["gc", "--remote", "origin", "--grace", grace, "--json"])
}

#[test]
fn unreachable_objects_are_condemned_then_deleted_after_the_grace_period() {
    let a = TestRepo::init();
    let remote = remote_of(&a);
    files(&a, "main", "kept", 20);
    a.ok(["add", "."]);
    a.commit("main");
    a.ok(["push"]);
    a.ok(["checkout", "-b", "exp"]);
    files(&a, "exp", "dropped", 40);
    a.ok(["add", "."]);
    a.commit("exp");
    a.ok(["push", "origin", "exp"]);
    let exp = a.head();
    a.ok(["push", "origin", "--delete", "exp"]);
    let (all, _) = remote_fsck(&remote);

    // Condemned, not deleted: a push in flight may still count on them.
    let out = gc(&a, "1h");
    assert!(out["condemned"].as_u64().unwrap() >= 1, "{out}");
    assert_eq!(out["deleted_packs"], 0, "{out}");
    assert_eq!(remote_fsck(&remote).0, all, "nothing deleted yet");
    // A second run in the grace period condemns nothing new.
    let again = gc(&a, "1h");
    assert_eq!(again["condemned"], 0, "{again}");
    assert!(again["pending"].as_u64().unwrap() >= 1, "{again}");

    // A pusher that needs condemned objects uploads them again rather than count on them.
    // A pusher that needs condemned objects uploads them again (in a pack of another name)
    // rather than count on them.
    let pushed = a.json(["push", "origin", "exp", "--json"]);
    assert!(pushed["objects"].as_u64().unwrap() > 40, "{pushed}");
    let out = gc(&a, "0");
    assert!(out["deleted_packs"].as_u64().unwrap() >= 1, "{out}");
    assert_closure(&remote, &exp);
    let b = TestRepo::new();
    b.ok(["clone", remote.to_str().unwrap(), "."]);
    b.ok(["fetch"]);
    b.ok(["checkout", "origin/exp"]);
    assert_eq!(b.read_str("exp/000.txt"), "dropped 0\n".repeat(200));
    b.ok(["fsck"]);

    // Gone for good: deleted, and what main reaches is all that is left.
    a.ok(["push", "origin", "--delete", "exp"]);
    gc(&a, "0");
    gc(&a, "0");
    let (left, bad) = remote_fsck(&remote);
    assert!(bad.is_empty(), "{bad:?}");
    assert!(left < all, "{left} of {all} objects left");
    a.ok(["checkout", "main"]);
    assert_closure(&remote, &a.head());
    assert!(
        !std::fs::read_dir(remote.join("gc")).unwrap().any(|_| true),
        "lists done"
    );
    let c = TestRepo::new();
    c.ok(["clone", remote.to_str().unwrap(), "."]);
    c.ok(["fsck"]);
    a.ok(["fsck", "--remote", "origin"]);
}

#[test]
fn a_mostly_unreachable_pack_is_repacked_around_what_is_still_reached() {
    let a = TestRepo::init();
    let remote = remote_of(&a);
    a.commit_files("base", &[("base.txt", "base\n")]);
    a.ok(["push"]);
    files(&a, "d", "mixed", 50);
    a.ok(["add", "."]);
    a.commit("fifty");
    a.ok(["push"]);
    // Rewrite that commit to keep 5 of the 50 files, and force it over the remote's.
    a.ok(["reset", "--hard", "HEAD~1"]);
    files(&a, "d", "mixed", 5);
    a.ok(["add", "."]);
    a.commit("five");
    a.ok(["push", "--force"]);
    let packs_before = pack_indexes(&remote).len();
    let out = gc(&a, "0");
    assert!(out["repacked"].as_u64().unwrap() >= 5, "{out}");
    assert!(out["deleted_packs"].as_u64().unwrap() >= 1, "{out}");
    assert!(pack_indexes(&remote).len() <= packs_before, "{out}");
    assert_closure(&remote, &a.head());
    let (n, bad) = remote_fsck(&remote);
    assert!(bad.is_empty() && n < 40, "{n} objects left: {bad:?}");
    let b = TestRepo::new();
    b.ok(["clone", remote.to_str().unwrap(), "."]);
    assert_eq!(a.worktree(), b.worktree());
    b.ok(["fsck"]);
}

#[test]
fn a_remote_whose_refs_reach_missing_objects_is_not_collected() {
    let a = TestRepo::init();
    let remote = remote_of(&a);
    files(&a, "d", "x", 5);
    a.ok(["add", "."]);
    a.commit("one");
    a.ok(["push"]);
    // An index gone: its objects are no longer listed, yet main reaches them.
    let idx = pack_indexes(&remote).remove(0);
    std::fs::remove_file(&idx).unwrap();
    let before: Vec<_> = walkdir::WalkDir::new(&remote)
        .into_iter()
        .map(|e| e.unwrap().path().to_owned())
        .collect();
    let out = a
        .pach(["gc", "--remote", "origin", "--grace", "0"])
        .assert()
        .code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("nothing was deleted") && err.contains("fsck --remote"),
        "{err}"
    );
    let after: Vec<_> = walkdir::WalkDir::new(&remote)
        .into_iter()
        .map(|e| e.unwrap().path().to_owned())
        .collect();
    assert_eq!(before, after);
}

/// Bytes no other file shares (so they neither dedupe nor compress away).
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 32);
    let mut n = 0u64;
    while out.len() < len {
        out.extend_from_slice(
            blake3::hash(&[seed.to_le_bytes(), n.to_le_bytes()].concat()).as_bytes(),
        );
        n += 1;
    }
    out.truncate(len);
    out
}

/// Every index file of the remote with the packs it names; checks that each pack named is
/// there.
fn indexes_and_packs(remote: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<String>)> {
    let there: Vec<String> = pack_files(remote)
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_string())
        .collect();
    pack_indexes(remote)
        .into_iter()
        .map(|i| {
            let packs: Vec<String> = read_index(&i).into_iter().map(|p| p.0).collect();
            for p in &packs {
                assert!(there.contains(p), "{i:?} names pack {p}, which is gone");
            }
            (i, packs)
        })
        .collect()
}

#[test]
fn a_multi_pack_index_is_replaced_before_one_of_its_packs_goes_and_never_names_a_gone_pack() {
    let a = TestRepo::init();
    let remote = remote_of(&a);
    a.commit_files("base", &[("b.txt", "base\n")]);
    a.ok(["push"]);
    // Eleven files of 3 MiB fill a first pack (sealed at 32 MiB); the rest of the push
    // (zz/c.bin, packed after big/ in path order, the trees, the commit) goes in a second;
    // one index names both.
    for i in 0..11u64 {
        std::fs::create_dir_all(a.path().join("big")).unwrap();
        std::fs::write(a.path().join(format!("big/{i:02}.bin")), noise(i, 3 << 20)).unwrap();
    }
    std::fs::create_dir_all(a.path().join("zz")).unwrap();
    std::fs::write(a.path().join("zz/c.bin"), noise(99, 200_000)).unwrap();
    a.ok(["add", "."]);
    a.commit("big");
    a.ok(["push"]);
    let first = indexes_and_packs(&remote);
    let (midx, both) = first
        .into_iter()
        .find(|(i, p)| i.extension().unwrap() == "midx" && p.len() == 2)
        .expect("a push of two packs and one index");
    // The same big files without zz/, forced over: the first pack is all reached, the
    // second (zz/c.bin, the old commit and its trees, but for `big/`'s, copied out) no more.
    a.ok(["reset", "--hard", "HEAD~1"]);
    for i in 0..11u64 {
        std::fs::create_dir_all(a.path().join("big")).unwrap();
        std::fs::write(a.path().join(format!("big/{i:02}.bin")), noise(i, 3 << 20)).unwrap();
    }
    a.write("d.txt", "new\n");
    a.ok(["add", "."]);
    a.commit("again");
    a.ok(["push", "--force"]);

    // Condemned: the dead pack and the index naming it, after an index of the live pack
    // alone was written; both indexes name the live pack until the list falls due.
    let out = gc(&a, "1h");
    assert_eq!(out["condemned"], 2, "{out}");
    let now = indexes_and_packs(&remote);
    let alone: Vec<_> = now
        .iter()
        .filter(|(i, p)| *i != midx && p.len() == 1 && p[0] == both[0])
        .collect();
    assert_eq!(alone.len(), 1, "{now:?}");
    let b = TestRepo::new();
    b.ok(["clone", remote.to_str().unwrap(), "."]);
    assert_eq!(a.worktree(), b.worktree());

    // Deleted: the old index before the dead pack; the live pack stays, named by the new one.
    let out = gc(&a, "0");
    assert_eq!(out["deleted_packs"], 1, "{out}");
    assert_eq!(out["deleted_indexes"], 1, "{out}");
    assert!(!midx.exists());
    let left = indexes_and_packs(&remote);
    assert!(
        left.iter().any(|(_, p)| p == &vec![both[0].clone()]),
        "{left:?}"
    );
    assert!(
        !pack_files(&remote)
            .iter()
            .any(|p| p.ends_with(format!("{}.pack", both[1])))
    );
    assert_closure(&remote, &a.head());
    let (_, bad) = remote_fsck(&remote);
    assert!(bad.is_empty(), "{bad:?}");
    let c = TestRepo::new();
    c.ok(["clone", remote.to_str().unwrap(), "."]);
    assert_eq!(a.worktree(), c.worktree());
    c.ok(["fsck"]);
    // Nothing more to do.
    let again = gc(&a, "0");
    assert_eq!(again["condemned"], 0, "{again}");
}
