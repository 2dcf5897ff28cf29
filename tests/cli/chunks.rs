//! Big files stored as chunks: ids, round trips, small edits costing little, `du`, and
//! missing, corrupt and killed cases.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;

use crate::common::{TestRepo, commit_big, noise, stderr_of};

fn b3(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Bytes of every file under `.pach/objects` and `.pach/chunked`.
fn store_bytes(r: &TestRepo) -> u64 {
    ["objects", "chunked"]
        .iter()
        .flat_map(|d| walkdir::WalkDir::new(r.pach_dir().join(d)))
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

fn index_path(r: &TestRepo, id: &str) -> PathBuf {
    r.pach_dir().join("chunked").join(&id[..2]).join(&id[2..])
}

/// The chunk ids of a chunked file, in order, read from its index and segments.
fn chunks(r: &TestRepo, id: &str) -> Vec<String> {
    let index = std::fs::read_to_string(index_path(r, id)).unwrap();
    let mut out = Vec::new();
    for line in index.lines().skip(2) {
        let seg = line.split(' ').next().unwrap();
        let text = std::fs::read_to_string(r.object_path(seg)).unwrap();
        out.extend(
            text.lines()
                .skip(1)
                .map(|l| l.split(' ').next().unwrap().to_string()),
        );
    }
    out
}

#[test]
fn a_big_file_is_chunked_its_id_is_its_b3sum_and_it_round_trips() {
    let r = TestRepo::init();
    let v1 = noise(40, 1);
    commit_big(&r, &v1, "v1");
    let id = b3(&v1);
    assert!(index_path(&r, &id).is_file(), "a 40 MiB file is chunked");
    assert!(!r.object_path(&id).exists(), "and not also stored whole");
    let ls = r.json(["ls", "HEAD", "--json"]);
    assert!(ls.to_string().contains(&id), "{ls}");
    let n = chunks(&r, &id).len();
    assert!((10..=160).contains(&n), "{n} chunks of 40 MiB");
    let cat = r.pach(["cat", "HEAD:data/big.bin"]).assert().success();
    assert_eq!(b3(&cat.get_output().stdout), id);

    // Another version, then back: checkout assembles it from chunks.
    let mut v2 = v1.clone();
    v2.extend(noise(1, 2));
    commit_big(&r, &v2, "v2");
    let inode = || {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(r.path().join("data/big.bin"))
            .unwrap()
            .ino()
    };
    let ino = inode();
    r.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(b3(&r.read("data/big.bin")), id);
    r.pach(["checkout", "main"]).assert().success();
    assert_eq!(r.read("data/big.bin"), v2);
    assert_eq!(inode(), ino, "an append is undone and redone in place");
    // An insertion is no prefix: both ways are whole copies, right ones.
    let mut v3 = v2.clone();
    v3.splice(8 << 20..8 << 20, noise(1, 3)[..100].to_vec());
    commit_big(&r, &v3, "v3");
    r.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(r.read("data/big.bin"), v2);
    r.pach(["checkout", "main"]).assert().success();
    assert_eq!(r.read("data/big.bin"), v3);
    std::fs::remove_file(r.path().join("data/big.bin")).unwrap();
    r.pach(["restore", "data/big.bin"]).assert().success();
    assert_eq!(r.read("data/big.bin"), v3);
    r.pach(["fsck"]).assert().success();
    let st = r.json(["status", "--json"]);
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
}

#[test]
fn appending_overwriting_and_inserting_store_only_what_changed() {
    let r = TestRepo::init();
    let v1 = noise(48, 3);
    commit_big(&r, &v1, "v1");
    let mut edits: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut appended = v1.clone();
    appended.extend(noise(1, 4));
    edits.push(("append 1 MiB", appended));
    let mut middle = v1.clone();
    middle[24 << 20..25 << 20].copy_from_slice(&noise(1, 5));
    edits.push(("overwrite 1 MiB", middle));
    let mut inserted = v1.clone();
    inserted.splice(16 << 20..16 << 20, noise(1, 6)[..100].to_vec());
    edits.push(("insert 100 bytes", inserted));
    for (what, bytes) in edits {
        let before = store_bytes(&r);
        commit_big(&r, &bytes, what);
        let grew = store_bytes(&r) - before;
        assert!(grew <= 8 << 20, "{what}: the store grew by {grew} bytes");
        let cat = r.pach(["cat", "HEAD:data/big.bin"]).assert().success();
        assert_eq!(cat.get_output().stdout, bytes, "{what}");
    }
    // `du` sees four versions in little more than one file's worth of store.
    let du = r.json(["du", "--json"]);
    let path = &du["paths"][0];
    assert_eq!(path["path"], "data/big.bin");
    assert_eq!(path["versions"], 4);
    let (logical, stored) = (
        path["logical"].as_u64().unwrap(),
        path["stored"].as_u64().unwrap(),
    );
    assert!(logical > 190 << 20, "{du}");
    assert!(stored < 70 << 20, "{du}");
    assert_eq!(path["saved"].as_u64().unwrap(), logical - stored);
    assert!(du["store_bytes"].as_u64().unwrap() >= stored, "{du}");
    r.pach(["du", "data"])
        .assert()
        .success()
        .stdout(contains("data/big.bin").and(contains("total")));
}

/// A missing or corrupt chunk is an error naming the chunk (and, from fsck, the file), and
/// never wrong bytes in the working tree.
#[test]
fn a_missing_or_corrupt_chunk_is_named_and_never_read_as_data() {
    let r = TestRepo::init();
    let v1 = noise(24, 7);
    commit_big(&r, &v1, "v1");
    commit_big(&r, b"small now", "v2");
    let id = b3(&v1);
    let chunk = chunks(&r, &id)[3].clone();
    let obj = r.object_path(&chunk);
    let good = std::fs::read(&obj).unwrap();

    // Corrupt: same length, one byte changed.
    let mut bad = good.clone();
    bad[100] ^= 1;
    replace(&obj, &bad);
    let a = r.pach(["cat", "HEAD~1:data/big.bin"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains(&chunk) && err.contains("corrupt"), "{err}");
    assert!(
        a.get_output().stdout.is_empty(),
        "no bytes of a corrupt file are printed"
    );
    let a = r.pach(["checkout", "HEAD~1"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains(&chunk), "{err}");
    assert_eq!(
        r.read("data/big.bin"),
        b"small now",
        "the working tree is unchanged"
    );
    let a = r.pach(["fsck"]).assert().code(4);
    let out = crate::common::stdout_of(&a);
    assert!(
        out.contains(&chunk) && out.contains("data/big.bin"),
        "fsck names the chunk and the file: {out}"
    );

    // Missing.
    std::fs::remove_file(&obj).unwrap();
    let a = r.pach(["checkout", "HEAD~1"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains(&chunk) && err.contains("missing"), "{err}");
    assert_eq!(r.read("data/big.bin"), b"small now");
    let a = r.pach(["fsck"]).assert().code(4);
    let out = crate::common::stdout_of(&a);
    assert!(
        out.contains(&chunk) && out.contains("data/big.bin"),
        "{out}"
    );

    replace(&obj, &good);
    r.pach(["fsck"]).assert().success();
    r.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(r.read("data/big.bin"), v1);
}

fn replace(obj: &Path, bytes: &[u8]) {
    let _ = std::fs::remove_file(obj);
    std::fs::write(obj, bytes).unwrap();
}

#[test]
fn gc_collects_the_chunks_only_an_unreachable_version_used() {
    let r = TestRepo::init();
    r.commit_files("base", &[("note", "n\n")]);
    let v1 = noise(24, 8);
    commit_big(&r, &v1, "v1");
    // v1 leaves history: only the reflog names it, and it is told to keep nothing.
    r.pach(["reset", "--soft", "HEAD~1"]).assert().success();
    let mut v2 = v1.clone();
    v2[12 << 20..13 << 20].copy_from_slice(&noise(1, 9));
    commit_big(&r, &v2, "v2");
    let config = r.pach_dir().join("config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap_or_default();
    text.push_str("\n[gc]\nreflog = \"0s\"\n");
    std::fs::write(&config, text).unwrap();
    let old: std::collections::HashSet<String> = chunks(&r, &b3(&v1)).into_iter().collect();
    let new: std::collections::HashSet<String> = chunks(&r, &b3(&v2)).into_iter().collect();
    let only_old: Vec<&String> = old.difference(&new).collect();
    assert!(!only_old.is_empty());
    r.pach(["gc", "--grace", "0s"]).assert().success();
    assert!(!index_path(&r, &b3(&v1)).exists(), "the old index is gone");
    for c in &only_old {
        assert!(!r.object_path(c).exists(), "chunk {c} only v1 used is gone");
    }
    for c in &new {
        assert!(r.object_path(c).exists(), "chunk {c} of v2 stays");
    }
    r.pach(["fsck"]).assert().success();
    assert_eq!(r.read("data/big.bin"), v2);
    let cat = r.pach(["cat", "HEAD:data/big.bin"]).assert().success();
    assert_eq!(cat.get_output().stdout, v2);
}

/// A killed `add` of a big file leaves either no new version or a complete one: whatever
/// the moment, the store checks clean and a new `add` completes.
#[test]
fn a_killed_add_of_a_big_file_leaves_the_store_whole() {
    let r = TestRepo::init();
    commit_big(&r, &noise(24, 10), "v1");
    let v2 = noise(64, 11);
    r.write("data/big.bin", &v2);
    for delay_ms in [5, 40, 150] {
        let mut child = r.pach_std(["add", "data"]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Either the index still has v1 (and status sees the change), or it has v2 and
        // the store holds v2 whole: its index, segments and chunks (fsck checks them).
        let st = r.json(["status", "--json"]);
        if st["staged"].to_string().contains("big.bin") {
            assert!(index_path(&r, &b3(&v2)).is_file(), "{st}");
        } else {
            assert!(st["unstaged"].to_string().contains("big.bin"), "{st}");
        }
        r.pach(["fsck"]).assert().success();
    }
    r.pach(["add", "data"]).assert().success();
    r.pach(["commit", "-m", "v2"]).assert().success();
    let cat = r.pach(["cat", "HEAD:data/big.bin"]).assert().success();
    assert_eq!(b3(&cat.get_output().stdout), b3(&v2));
    r.pach(["fsck"]).assert().success();
}

/// A forced checkout resizes a big file in place only when its stat proves its bytes: a
/// racily clean entry (mtime not before its verification) may hide a same-size rewrite, so
/// the version is copied whole instead.
#[test]
fn a_forced_checkout_never_resizes_a_racily_clean_file_in_place() {
    let r = TestRepo::init();
    let v1 = noise(20, 21);
    commit_big(&r, &v1, "v1");
    let mut v2 = v1.clone();
    v2.extend(noise(1, 22));
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    r.write("data/big.bin", &v2);
    r.set_mtime("data/big.bin", later);
    r.pach(["add", "data"]).assert().success();
    r.pach(["commit", "-m", "v2"]).assert().success();
    // Rewritten in place, same size, same mtime: the stat cannot tell.
    let mut edited = v2.clone();
    edited[1000] ^= 1;
    std::fs::OpenOptions::new()
        .write(true)
        .open(r.path().join("data/big.bin"))
        .and_then(|f| std::os::unix::fs::FileExt::write_all_at(&f, &edited[1000..1001], 1000))
        .unwrap();
    r.set_mtime("data/big.bin", later);
    r.pach(["checkout", "--force", "HEAD~1"]).assert().success();
    assert!(r.read("data/big.bin") == v1, "v1's bytes, not the edit's");
}
