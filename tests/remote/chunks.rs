//! Chunked files through remotes: a new version moves only its new chunks, the layout
//! marker says 3, and a chunk whose bytes do not match its id is refused with nothing stored.

use std::path::Path;

use predicates::str::contains;

use super::common::{TestRepo, commit_big, noise, stderr_of};
use super::remote_fsck;

/// Bytes of every file under `dir`.
fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok().filter(|m| m.is_file()).map(|m| m.len()))
        .sum()
}

/// Files under `root` modified after `mark`, with their total size.
fn written_since(root: &Path, mark: std::time::SystemTime) -> (usize, u64) {
    let mut n = (0, 0);
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        let m = e.metadata().unwrap();
        if e.file_type().is_file() && m.modified().unwrap() > mark {
            n.0 += 1;
            n.1 += m.len();
        }
    }
    n
}

/// A project with `data/big.bin` of `mib` MiB committed and pushed to a directory remote:
/// (project, remote, the file's bytes).
fn pushed_big(mib: usize, seed: u64) -> (TestRepo, std::path::PathBuf, Vec<u8>) {
    let a = TestRepo::init();
    let v1 = noise(mib, seed);
    commit_big(&a, &v1, "v1");
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    a.pach(["push"]).assert().success();
    (a, remote, v1)
}

#[test]
fn a_small_edit_to_a_big_file_pushes_and_fetches_only_its_new_chunks() {
    let (a, remote, v1) = pushed_big(40, 1);
    assert_eq!(
        std::fs::read_to_string(remote.join("pach-remote")).unwrap(),
        "pach-remote 5\n"
    );
    let b = TestRepo::new();
    b.pach(["clone", remote.to_str().unwrap(), "."])
        .assert()
        .success();
    assert_eq!(b.read("data/big.bin"), v1);

    let mut v2 = v1.clone();
    v2.extend(noise(1, 2));
    commit_big(&a, &v2, "append");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mark = std::time::SystemTime::now();
    a.pach(["push"]).assert().success();
    let (files, bytes) = written_since(&remote, mark);
    assert!(files <= 12, "{files} files written for a 1 MiB append");
    assert!(bytes <= 8 << 20, "{bytes} bytes written for a 1 MiB append");
    let (n, bad) = remote_fsck(&remote);
    assert!(n > 0 && bad.is_empty(), "{bad:?}");

    let before = bytes_under(&b.pach_dir().join("objects"));
    let pulled = b.pach(["pull"]).assert().success();
    let _ = pulled;
    assert_eq!(b.read("data/big.bin"), v2);
    let after = bytes_under(&b.pach_dir().join("objects"));
    assert!(
        after - before <= 8 << 20,
        "the pull stored {} bytes",
        after - before
    );
    b.pach(["fsck"]).assert().success();
    a.pach(["fsck", "--remote", "origin"]).assert().success();
}

#[test]
fn a_remote_chunk_whose_bytes_do_not_match_is_refused_and_nothing_is_stored() {
    let (a, remote, v1) = pushed_big(24, 3);
    // Swap one chunk's bytes on the remote for other bytes of the same length.
    let id = blake3::hash(&v1).to_hex().to_string();
    let index =
        std::fs::read_to_string(remote.join("chunked").join(&id[..2]).join(&id[2..])).unwrap();
    let seg = index.lines().nth(2).unwrap().split(' ').next().unwrap();
    let seg_text = String::from_utf8(super::remote_read(&remote, seg).unwrap()).unwrap();
    let chunk = seg_text.lines().nth(2).unwrap().split(' ').next().unwrap();
    super::corrupt_remote_object(&remote, chunk);

    let b = TestRepo::init();
    b.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    let before = b.snapshot();
    let out = b.pach(["fetch"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(err.contains("corrupt") && err.contains(chunk), "{err}");
    b.assert_unchanged(&before);
    assert!(
        !b.pach_dir().join("chunked").exists() || {
            walkdir::WalkDir::new(b.pach_dir().join("chunked"))
                .into_iter()
                .flatten()
                .all(|e| !e.file_type().is_file())
        }
    );
    a.pach(["fsck", "--remote", "origin"])
        .assert()
        .code(4)
        .stdout(contains(chunk));
}

#[test]
fn a_remote_of_a_newer_layout_is_refused_by_push_and_fetch() {
    let a = TestRepo::init();
    a.commit_files("one", &[("a", "1\n")]);
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    a.pach(["push"]).assert().success();
    std::fs::write(remote.join("pach-remote"), "pach-remote 9\n").unwrap();
    a.commit_files("two", &[("b", "2\n")]);
    for cmd in ["push", "fetch"] {
        let out = a.pach([cmd]).assert().failure();
        let err = stderr_of(&out);
        assert!(
            err.contains("newer pach") && err.contains("pach-remote 9"),
            "{cmd}: {err}"
        );
    }
}
