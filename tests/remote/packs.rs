//! Packed remotes (layouts 4 and 5): small objects go up in packs, visible only once the
//! index naming them is written (one per push on layout 5); damaged, truncated or missing
//! packs and bad indexes fail a fetch naming the remote and the file, storing nothing;
//! remotes of loose objects, and of layout 4's index per pack, stay readable.

use super::common::{TestRepo, stderr_of};
use super::{
    assert_closure, loose_remote, pack_files, pack_indexes, read_index, remote_fsck, remote_ref,
    set_layout,
};

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
    assert_eq!(marker, "pach-remote 5\n");
    assert_eq!(loose_files(&remote), 0, "every object is packed");
    let idx = pack_indexes(&remote);
    assert_eq!(
        idx.len(),
        1,
        "one push of small objects makes one pack and one index: {idx:?}"
    );
    assert!(idx[0].extension().unwrap() == "midx", "{idx:?}");
    let packs = read_index(&idx[0]);
    assert_eq!(packs.len(), 1);
    assert_eq!(pack_files(&remote).len(), 1);
    let entries = &packs[0].1;
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
        "pach-remote 5\n"
    );
    let c = clone_of(&remote);
    assert_eq!(b.worktree(), c.worktree());
    assert_closure(&remote, &b.head());
}

/// The pack file of a remote with exactly one pack.
fn only_pack(remote: &std::path::Path) -> (std::path::PathBuf, String) {
    let idx = pack_indexes(remote);
    assert_eq!(idx.len(), 1);
    let packs = read_index(&idx[0]);
    assert_eq!(packs.len(), 1);
    let pack = packs[0].0.clone();
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
fn a_bad_pack_index_fails_the_fetch_naming_it() {
    // Layout 5: the multi-pack index, named by its file.
    let (_a, remote) = pushed(false);
    let idx = pack_indexes(&remote).remove(0);
    let name = idx.file_name().unwrap().to_str().unwrap().to_string();
    let good = std::fs::read(&idx).unwrap();
    let mut bad = good.clone();
    bad[30] ^= 1;
    std::fs::write(&idx, &bad).unwrap();
    fetch_fails(&remote, &name, "is bad: its checksum does not match");
    std::fs::write(&idx, &good[..good.len() / 2]).unwrap();
    fetch_fails(&remote, &name, "is bad");
    std::fs::write(&idx, &good).unwrap();
    clone_of(&remote);

    // Layout 4: the index of one pack, named by its pack.
    let (_a, remote) = pushed_layout_4();
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

/// The project of [`pushed`], pushed with `layout = 4`: an index per pack, as a pach of
/// layout 4 writes.
fn pushed_layout_4() -> (TestRepo, std::path::PathBuf) {
    let (a, remote) = pushed(true);
    std::fs::remove_dir_all(&remote).unwrap();
    set_layout(&a, "origin", 4);
    a.pach(["push"]).assert().success();
    (a, remote)
}

#[test]
fn a_layout_4_remote_stays_readable_and_gains_multi_pack_indexes() {
    let (a, remote) = pushed_layout_4();
    assert_eq!(
        std::fs::read_to_string(remote.join("pach-remote")).unwrap(),
        "pach-remote 4\n"
    );
    let idx = pack_indexes(&remote);
    assert!(
        !idx.is_empty() && idx.iter().all(|i| i.extension().unwrap() == "idx"),
        "{idx:?}"
    );
    let b = clone_of(&remote);
    assert_eq!(a.worktree(), b.worktree());
    let c = TestRepo::new();
    c.pach(["clone", remote.to_str().unwrap(), ".", "--path", "d1"])
        .assert()
        .success();
    assert_eq!(c.read_str("d1/f001.txt"), "small file 1\n");
    assert!(!c.path().join("d2/f002.txt").exists());

    // A pach writing layout 5 pushes to it: a multi-pack index beside the old indexes, the
    // marker says 5, and a clone reads both kinds.
    b.commit_files("five", &[("d3/new.txt", "in a layout-5 push\n")]);
    b.pach(["push"]).assert().success();
    assert_eq!(
        std::fs::read_to_string(remote.join("pach-remote")).unwrap(),
        "pach-remote 5\n"
    );
    let kinds: Vec<_> = pack_indexes(&remote)
        .iter()
        .map(|i| i.extension().unwrap().to_str().unwrap().to_string())
        .collect();
    assert!(kinds.contains(&"idx".into()) && kinds.contains(&"midx".into()));
    let d = clone_of(&remote);
    assert_eq!(b.worktree(), d.worktree());
    c.pach(["pull", "--path", "d3"]).assert().success();
    assert_eq!(c.read_str("d3/new.txt"), "in a layout-5 push\n");
    let (_, bad) = remote_fsck(&remote);
    assert!(bad.is_empty(), "{bad:?}");
    b.pach(["fsck", "--remote", "origin"]).assert().success();
}

#[test]
fn a_directory_s_files_and_each_level_of_trees_lie_side_by_side_in_the_pack() {
    let (a, remote) = pushed(false);
    let idx = pack_indexes(&remote);
    let packs = read_index(&idx[0]);
    let offsets: std::collections::HashMap<String, u64> =
        packs[0].1.iter().map(|e| (e.0.clone(), e.1)).collect();
    let at = |id: &str| offsets[id];
    // The first push: every file of d<k> between the first and last of them, nothing else.
    let first_push = |i: usize| {
        let bytes = format!("small file {i}\n");
        at(&blake3::hash(bytes.as_bytes()).to_hex())
    };
    let mut spans = Vec::new();
    for k in 0..4 {
        let mine: Vec<u64> = (0..200).filter(|i| i % 4 == k).map(first_push).collect();
        let (lo, hi) = (*mine.iter().min().unwrap(), *mine.iter().max().unwrap());
        let between = offsets.values().filter(|&&o| lo <= o && o <= hi).count();
        assert_eq!(between, mine.len(), "d{k}'s files are side by side");
        spans.push((lo, hi));
    }
    spans.sort();
    assert!(spans.windows(2).all(|w| w[0].1 < w[1].0));
    // Trees after the files, level by level: both commits' roots, then their directories.
    let json = |id: &str| -> serde_json::Value {
        let b = super::remote_read(&remote, id).unwrap();
        serde_json::from_slice(b.splitn(2, |c| *c == b'\n').nth(1).unwrap()).unwrap()
    };
    let head = a.head();
    let parent = json(&head)["parents"][0].as_str().unwrap().to_string();
    let (mut roots, mut dirs) = (Vec::new(), Vec::new());
    for c in [&head, &parent] {
        let root = json(c)["tree"].as_str().unwrap().to_string();
        for e in json(&root)["entries"].as_array().unwrap() {
            dirs.push(at(e["id"].as_str().unwrap()));
        }
        roots.push(at(&root));
    }
    let files_end = spans.last().unwrap().1;
    assert!(
        roots.iter().all(|&r| files_end < r),
        "{roots:?} {files_end}"
    );
    assert!(
        roots.iter().max() < dirs.iter().min(),
        "roots {roots:?} before directories {dirs:?}"
    );
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

/// Rewrites the multi-pack index at `path` with `edit` applied to its entries (44 bytes
/// each: object id, pack number, offset, length), under the name its new checksum gives,
/// as a pusher that disagrees with its packs would write it; returns the new path.
fn rewrite_midx(path: &std::path::Path, edit: impl FnOnce(&mut [u8])) -> std::path::PathBuf {
    let mut b = std::fs::read(path).unwrap();
    let head = b"pach-multi-pack-index 1\n".len();
    let npacks = u64::from_le_bytes(b[head..head + 8].try_into().unwrap()) as usize;
    let start = head + 8 + 40 * npacks + 8;
    let end = b.len() - 32;
    edit(&mut b[start..end]);
    let sum = blake3::hash(&b[..end]);
    b[end..].copy_from_slice(sum.as_bytes());
    std::fs::remove_file(path).unwrap();
    let new = path.with_file_name(format!("{}.midx", sum.to_hex()));
    std::fs::write(&new, b).unwrap();
    new
}

#[test]
fn a_multi_pack_index_that_disagrees_with_its_pack_fails_the_fetch_naming_the_pack() {
    let (_a, remote) = pushed(false);
    let (_, pack) = only_pack(&remote);
    let idx = pack_indexes(&remote).remove(0);
    let good = std::fs::read(&idx).unwrap();
    // The first object said to lie where the second does: its bytes do not hash to it.
    let bad = rewrite_midx(&idx, |e| {
        let second = e[44 + 36..44 + 44].to_vec();
        e[36..44].copy_from_slice(&second);
    });
    fetch_fails(&remote, &pack, "is corrupt");
    std::fs::remove_file(&bad).unwrap();
    // An object said to lie past the pack's end (the index's own size check passes: the
    // pack is shorter than the index says).
    std::fs::write(&idx, &good).unwrap();
    let (path, _) = only_pack(&remote);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    fetch_fails(&remote, &pack, "truncated");
    std::fs::write(&path, &bytes).unwrap();
    clone_of(&remote);
}

#[test]
fn a_push_killed_between_its_packs_and_its_index_leaves_them_invisible_until_a_gc() {
    let (a, remote) = pushed(false);
    let b = clone_of(&remote);
    // The second push's state when killed after its pack was uploaded: a pack that no
    // index names, the ref unmoved.
    a.commit_files("three", &[("d1/late.txt", "late\n")]);
    let before = pack_indexes(&remote);
    a.pach(["push"]).assert().success();
    let added: Vec<_> = pack_indexes(&remote)
        .into_iter()
        .filter(|i| !before.contains(i))
        .collect();
    assert_eq!(added.len(), 1);
    std::fs::remove_file(&added[0]).unwrap();
    let theirs = std::fs::read_to_string(remote.join("refs/heads/main")).unwrap();
    let parent = b.head();
    std::fs::write(remote.join("refs/heads/main"), format!("{parent}\n")).unwrap();
    assert_eq!(pack_files(&remote).len(), 2, "the orphan pack is there");
    // Readers see nothing of it; a fetch is as before the push.
    b.pach(["pull"]).assert().success();
    assert_eq!(b.head(), parent);
    let (n, bad) = remote_fsck(&remote);
    assert!(bad.is_empty() && n > 200, "{n} {bad:?}");
    // A rerun of the push uploads again; a gc condemns then deletes the orphan.
    a.pach(["push"]).assert().success();
    assert_eq!(format!("{}\n", a.head()), theirs);
    b.pach(["pull"]).assert().success();
    assert_eq!(b.read_str("d1/late.txt"), "late\n");
    let out = a.json(["gc", "--remote", "origin", "--grace", "0", "--json"]);
    assert!(out["deleted_packs"].as_u64().unwrap() >= 1, "{out}");
    assert_eq!(pack_files(&remote).len(), 2, "the orphan went");
    let c = clone_of(&remote);
    assert_eq!(a.worktree(), c.worktree());
}
