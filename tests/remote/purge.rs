//! Purges across remotes (issue 14, second slice): push carries purge records and fetch
//! brings them (remote layout 6, `purges/<id>`); a trusted remote's records are applied (a
//! clone trusts `origin`), an untrusted one's only reported; the only copy of content of an
//! unpushed commit is not erased without `--purge-unpushed`; a push never uploads what a
//! remote's record names; a remote of layout 5 still works.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use super::common::{TestRepo, stderr_of};

const MARKER: &str = "MARKER-1b2e77d0-erase-me-on-every-remote";
const EXIT_PURGED: i32 = 5;

/// Files under `dir` whose bytes contain `needle`.
fn holding(dir: &Path, needle: &str) -> Vec<PathBuf> {
    super::common::files_holding(dir, needle.as_bytes())
}

/// A project whose one commit holds the marker in `data/secret.txt` beside
/// `data/keep.txt`, pushed to a directory remote `origin`; returns it and the remote.
fn pushed() -> (TestRepo, PathBuf) {
    let a = TestRepo::init();
    a.commit_files(
        "v1",
        &[
            ("data/secret.txt", &format!("{MARKER}\n")),
            ("data/keep.txt", "keep\n"),
        ],
    );
    let remote = a.base().join("remote");
    a.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    a.ok(["push"]);
    assert!(!holding(&remote, MARKER).is_empty(), "the marker is pushed");
    (a, remote)
}

fn clone_of(remote: &Path) -> TestRepo {
    let b = TestRepo::new();
    b.pach(["clone", remote.to_str().unwrap(), "."])
        .assert()
        .success();
    b
}

fn purge_ids(r: &TestRepo) -> Vec<String> {
    let list = r.json(["purge", "--list", "--json"]);
    let rows = list.as_array().unwrap_or_else(|| panic!("{list}"));
    rows.iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn marker_of(remote: &Path) -> String {
    std::fs::read_to_string(remote.join("pach-remote")).unwrap()
}

#[test]
fn a_pushed_purge_reaches_clones_and_a_trusted_pull_erases_the_bytes() {
    let (a, remote) = pushed();
    assert_eq!(marker_of(&remote).trim(), "pach-remote 5");
    let early = clone_of(&remote); // made before the purge: it has the bytes
    assert!(!holding(&early.pach_dir(), MARKER).is_empty());
    let list = early.json(["remote", "list", "--json"]);
    assert_eq!(
        list[0]["trust_purges"], true,
        "a clone trusts origin: {list}"
    );
    assert!(early.ok(["remote", "list"]).contains("(trusts purges)"));

    a.ok([
        "purge",
        "HEAD:data/secret.txt",
        "--reason",
        "erasure #7",
        "--yes",
    ]);
    let ids = purge_ids(&a);
    assert_eq!(ids.len(), 1);
    // The branch is up to date: the push still carries the record, marker first.
    a.ok(["push"]);
    assert!(remote.join("purges").join(&ids[0]).is_file());
    assert_eq!(marker_of(&remote).trim(), "pach-remote 6");

    // A fresh clone knows the purge and never downloads the bytes.
    let fresh = clone_of(&remote);
    assert_eq!(purge_ids(&fresh), ids);
    assert_eq!(holding(&fresh.pach_dir(), MARKER), Vec::<PathBuf>::new());
    fresh.pach(["fsck"]).assert().success();
    fresh
        .pach(["cat", "HEAD:data/secret.txt"])
        .assert()
        .code(EXIT_PURGED)
        .stderr(contains("erasure #7"));

    // The clone made before hears of it at its next pull and erases its own copy.
    let out = early.pach(["pull"]).assert().success();
    assert!(
        stderr_of(&out).contains("applied purge"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(purge_ids(&early), ids);
    assert_eq!(holding(&early.pach_dir(), MARKER), Vec::<PathBuf>::new());
    early.pach(["fsck"]).assert().success();
    let list = early.ok(["purge", "--list"]);
    assert!(list.contains("erasure #7"), "{list}");
}

#[test]
fn an_untrusted_remotes_record_erases_nothing_until_it_is_trusted() {
    let (a, remote) = pushed();
    let other = a.base().join("other");
    a.ok(["remote", "add", "other", other.to_str().unwrap()]);
    a.ok(["push", "other"]);
    let b = clone_of(&remote);
    b.ok(["remote", "add", "other", other.to_str().unwrap()]);
    b.ok(["fetch", "other"]);
    a.ok(["purge", "HEAD:data/secret.txt", "--reason", "leak", "--yes"]);
    a.ok(["push", "other"]);

    let out = b.pach(["fetch", "other"]).assert().success();
    let err = stderr_of(&out);
    assert!(
        err.contains("not trusted") && err.contains("trust-purges other"),
        "{err}"
    );
    assert!(purge_ids(&b).is_empty());
    assert_eq!(b.ok(["cat", "HEAD:data/secret.txt"]), format!("{MARKER}\n"));
    let fetched = b.json(["fetch", "other", "--json"]);
    assert_eq!(fetched["purges"]["untrusted"].as_array().unwrap().len(), 1);

    b.pach(["remote", "trust-purges", "nope"])
        .assert()
        .failure()
        .stderr(contains("no remote named `nope`"));
    b.ok(["remote", "trust-purges", "other"]);
    assert!(
        b.ok(["remote", "list"])
            .lines()
            .all(|l| l.contains("(trusts purges)"))
    );
    b.ok(["fetch", "other"]);
    assert_eq!(purge_ids(&b).len(), 1);
    assert_eq!(holding(&b.pach_dir(), MARKER), Vec::<PathBuf>::new());
    b.ok(["remote", "untrust-purges", "origin"]);
    let list = b.json(["remote", "list", "--json"]);
    assert_eq!(list[0]["trust_purges"], false, "{list}");
}

#[test]
fn a_push_from_a_clone_that_never_heard_of_the_purge_does_not_upload_the_bytes() {
    let (a, remote) = pushed();
    let b = clone_of(&remote); // still has the bytes
    a.ok(["purge", "HEAD:data/secret.txt", "--reason", "leak", "--yes"]);
    // A second remote that only ever got the purged history: no bytes, one record.
    let r2 = a.base().join("r2");
    a.ok(["remote", "add", "r2", r2.to_str().unwrap()]);
    a.ok(["push", "r2"]);
    assert_eq!(holding(&r2, MARKER), Vec::<PathBuf>::new());

    b.ok(["remote", "add", "r2", r2.to_str().unwrap()]);
    b.ok(["checkout", "-b", "side"]);
    b.commit_files("side", &[("data/more.txt", "more\n")]);
    // r2 has no `side`: the push lists r2's objects and would send the marker's blob.
    b.ok(["push", "r2", "side"]);
    assert_eq!(holding(&r2, MARKER), Vec::<PathBuf>::new());
    let c = clone_of(&r2);
    c.pach(["fsck"]).assert().success();
    assert_eq!(purge_ids(&c).len(), 1);
}

#[test]
fn a_fetched_purge_does_not_erase_the_only_copy_in_an_unpushed_commit_without_the_flag() {
    let (a, remote) = pushed();
    let b = clone_of(&remote);
    // b commits the same bytes under another name, and does not push.
    b.commit_files("mine", &[("notes/copy.txt", &format!("{MARKER}\n"))]);
    let mine = b.head();
    a.ok(["purge", "HEAD:data/secret.txt", "--reason", "leak", "--yes"]);
    a.ok(["push"]);

    let out = b.pach(["fetch"]).assert().success();
    let err = stderr_of(&out);
    assert!(
        err.contains("not applied")
            && err.contains(&mine[..12])
            && err.contains("notes/copy.txt")
            && err.contains("--purge-unpushed"),
        "{err}"
    );
    assert!(purge_ids(&b).is_empty());
    assert_eq!(b.ok(["cat", "HEAD:notes/copy.txt"]), format!("{MARKER}\n"));

    b.ok(["fetch", "--purge-unpushed"]);
    assert_eq!(purge_ids(&b).len(), 1);
    assert_eq!(holding(&b.pach_dir(), MARKER), Vec::<PathBuf>::new());
    b.pach(["cat", "HEAD:notes/copy.txt"])
        .assert()
        .code(EXIT_PURGED);
}

#[test]
fn a_layout_5_remote_without_purges_still_works_and_a_newer_one_is_refused() {
    let (a, remote) = pushed();
    assert!(!remote.join("purges").exists());
    let b = clone_of(&remote);
    b.commit_files("more", &[("data/b.txt", "b\n")]);
    b.ok(["push"]);
    a.ok(["pull"]);
    assert_eq!(a.read_str("data/b.txt"), "b\n");
    assert_eq!(
        marker_of(&remote).trim(),
        "pach-remote 5",
        "no purge, no new layout"
    );
    std::fs::write(remote.join("pach-remote"), "pach-remote 7\n").unwrap();
    a.pach(["fetch"])
        .assert()
        .failure()
        .stderr(contains("newer pach"));
}

/// `pach` in `r` with the local S3 server's endpoint and credentials.
fn s3(r: &TestRepo, ep: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = r.pach(args);
    c.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "testtest")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", ep);
    c.assert()
}

#[test]
fn purge_records_travel_through_s3_and_a_trusted_pull_erases_the_bytes() {
    let Some(srv) = super::s3::S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let url = "s3://bkt/proj/p";
    let a = TestRepo::init();
    a.commit_files("v1", &[("data/secret.txt", &format!("{MARKER}\n"))]);
    s3(&a, &ep, &["remote", "add", "origin", url]).success();
    s3(&a, &ep, &["push"]).success();
    let early_dir = TestRepo::new();
    s3(&early_dir, &ep, &["clone", url, "early"]).success();
    let early = TestRepo::at(&early_dir.path().join("early"));
    assert!(!holding(&early.pach_dir(), MARKER).is_empty());

    a.ok([
        "purge",
        "HEAD:data/secret.txt",
        "--reason",
        "erasure #9",
        "--yes",
    ]);
    s3(&a, &ep, &["push"]).success();
    let ids = purge_ids(&a);
    if let Some(bucket) = srv.bucket_dir("bkt") {
        assert!(bucket.join("proj/p/purges").join(&ids[0]).is_file());
        let marker = std::fs::read_to_string(bucket.join("proj/p/pach-remote")).unwrap();
        assert_eq!(marker.trim(), "pach-remote 6");
    }

    let fresh_dir = TestRepo::new();
    s3(&fresh_dir, &ep, &["clone", url, "fresh"]).success();
    let fresh = TestRepo::at(&fresh_dir.path().join("fresh"));
    assert_eq!(purge_ids(&fresh), ids);
    assert_eq!(holding(&fresh.pach_dir(), MARKER), Vec::<PathBuf>::new());
    fresh.pach(["fsck"]).assert().success();

    s3(&early, &ep, &["pull"])
        .success()
        .stderr(contains("applied purge"));
    assert_eq!(purge_ids(&early), ids);
    assert_eq!(holding(&early.pach_dir(), MARKER), Vec::<PathBuf>::new());

    // Then the bytes on the bucket: rerunning the purge with --remote does only that.
    let Some(bucket) = srv.bucket_dir("bkt") else {
        return; // moto keeps objects in memory: nothing to grep
    };
    assert!(!holding(&bucket, MARKER).is_empty());
    s3(
        &a,
        &ep,
        &[
            "purge",
            "HEAD:data/secret.txt",
            "--reason",
            "x",
            "--yes",
            "--remote",
            "origin",
        ],
    )
    .success()
    .stderr(contains("remote `origin`"));
    assert_eq!(holding(&bucket, MARKER), Vec::<PathBuf>::new());
    s3(&a, &ep, &["fsck", "--remote", "origin"]).success();
    assert_eq!(purge_ids(&a), ids, "no second record");
}

#[test]
fn purge_with_remote_leaves_no_byte_there_and_clones_agree() {
    let (a, remote) = pushed();
    // Enough other files that the marker shares its pack with objects that must stay.
    for i in 0..20 {
        a.write(
            format!("data/other/{i}.txt"),
            format!("other {i}\n").repeat(50),
        );
    }
    a.ok(["add", "."]);
    a.commit("more");
    a.ok(["push"]);
    let early = clone_of(&remote);

    a.pach([
        "purge",
        "HEAD~1:data/secret.txt",
        "--reason",
        "r",
        "--yes",
        "--remote",
        "nope",
    ])
    .assert()
    .failure()
    .stderr(contains("no remote named `nope`"));
    assert!(purge_ids(&a).is_empty(), "bad input changes nothing");

    let out = a
        .pach([
            "purge",
            "HEAD~1:data/secret.txt",
            "--reason",
            "gone",
            "--yes",
            "--remote",
            "origin",
        ])
        .assert()
        .success();
    assert!(
        stderr_of(&out).contains("remote `origin`"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(holding(&remote, MARKER), Vec::<PathBuf>::new());
    assert_eq!(holding(&a.pach_dir(), MARKER), Vec::<PathBuf>::new());
    let (n, bad) = super::remote_fsck(&remote);
    assert!(n > 20 && bad.is_empty(), "{n} {bad:?}");
    a.pach(["fsck", "--remote", "origin"]).assert().success();
    // Remote gc takes the purged object as erased, not as a damaged remote.
    a.ok(["gc", "--remote", "origin", "--grace", "1h"]);

    let fresh = clone_of(&remote);
    assert_eq!(purge_ids(&fresh), purge_ids(&a));
    assert_eq!(holding(&fresh.pach_dir(), MARKER), Vec::<PathBuf>::new());
    assert_eq!(fresh.read_str("data/other/7.txt"), "other 7\n".repeat(50));
    fresh.pach(["fsck"]).assert().success();
    early.ok(["pull"]);
    assert_eq!(holding(&early.pach_dir(), MARKER), Vec::<PathBuf>::new());
    assert_eq!(purge_ids(&early), purge_ids(&a));
}

#[test]
fn a_remote_that_fails_during_the_purge_is_finished_by_running_it_again() {
    let (a, remote) = pushed();
    let away = a.base().join("away");
    std::fs::rename(&remote, &away).unwrap();
    std::fs::write(&remote, "a file where the remote was").unwrap();
    a.pach([
        "purge",
        "HEAD:data/secret.txt",
        "--reason",
        "r",
        "--yes",
        "--remote",
        "origin",
    ])
    .assert()
    .failure();
    assert_eq!(purge_ids(&a).len(), 1, "the local purge is done");
    std::fs::remove_file(&remote).unwrap();
    std::fs::rename(&away, &remote).unwrap();
    assert!(!holding(&remote, MARKER).is_empty());
    a.ok([
        "purge",
        "HEAD:data/secret.txt",
        "--reason",
        "r",
        "--yes",
        "--all-remotes",
    ]);
    assert_eq!(holding(&remote, MARKER), Vec::<PathBuf>::new());
    a.pach(["fsck", "--remote", "origin"]).assert().success();
}

#[test]
fn purge_with_remote_erases_a_chunked_files_own_chunks_and_keeps_shared_ones() {
    let a = TestRepo::init();
    // Two big files sharing their first 10 MiB; the marker is in the purged one's own part.
    let shared = super::common::noise(10, 3);
    let mut big = shared.clone();
    big.extend(super::common::noise(10, 4));
    let at = 15 << 20;
    big[at..at + MARKER.len()].copy_from_slice(MARKER.as_bytes());
    let mut other = shared;
    other.extend(super::common::noise(10, 5));
    a.write("data/big.bin", &big);
    a.write("data/other.bin", &other);
    a.ok(["add", "."]);
    a.commit("big");
    let remote = a.base().join("remote");
    a.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    a.ok(["push"]);
    assert!(!holding(&remote, MARKER).is_empty());

    a.ok([
        "purge",
        "HEAD:data/big.bin",
        "--reason",
        "r",
        "--yes",
        "--remote",
        "origin",
    ]);
    assert_eq!(holding(&remote, MARKER), Vec::<PathBuf>::new());
    let (_, bad) = super::remote_fsck(&remote);
    assert!(bad.is_empty(), "{bad:?}");
    a.pach(["fsck", "--remote", "origin"]).assert().success();
    let c = clone_of(&remote);
    c.pach(["fsck"]).assert().success();
    assert_eq!(c.read("data/other.bin"), other, "the shared chunks stay");
}

#[test]
fn purge_with_remote_keeps_the_other_packs_of_a_multi_pack_index() {
    let a = TestRepo::init();
    // 36 MiB of small files: one push, two packs, one index naming both; the marker's file
    // sorts last, so it is in the second pack.
    for i in 0..12 {
        a.write(format!("data/{i:02}.bin"), super::common::noise(3, 10 + i));
    }
    a.write("data/zz.txt", format!("{MARKER}\n"));
    a.ok(["add", "."]);
    a.commit("many");
    let remote = a.base().join("remote");
    a.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    a.ok(["push"]);
    let indexes = super::pack_indexes(&remote);
    assert_eq!(indexes.len(), 1, "{indexes:?}");
    assert_eq!(super::pack_files(&remote).len(), 2);

    a.ok([
        "purge",
        "HEAD:data/zz.txt",
        "--reason",
        "r",
        "--yes",
        "--remote",
        "origin",
    ]);
    assert_eq!(holding(&remote, MARKER), Vec::<PathBuf>::new());
    a.pach(["fsck", "--remote", "origin"]).assert().success();
    let c = clone_of(&remote);
    c.pach(["fsck"]).assert().success();
    for i in 0..12 {
        assert_eq!(
            c.read(format!("data/{i:02}.bin")),
            super::common::noise(3, 10 + i)
        );
    }
}

#[test]
fn the_remote_is_purged_before_a_rerun_that_fails() {
    let (a, remote) = pushed();
    // The rerun's commit reads pach.toml, which is broken in the working tree.
    std::fs::write(a.path().join("pach.toml"), "this is [not toml\n").unwrap();
    let out = a
        .pach([
            "purge",
            "HEAD:data/secret.txt",
            "--reason",
            "erasure",
            "--yes",
            "--remote",
            "origin",
            "--rerun",
        ])
        .assert()
        .failure();
    assert!(stderr_of(&out).contains("pach.toml"), "{}", stderr_of(&out));
    assert_eq!(
        holding(&remote, MARKER),
        Vec::<PathBuf>::new(),
        "the remote went first"
    );
    assert_eq!(holding(&a.pach_dir(), MARKER), Vec::<PathBuf>::new());
}
