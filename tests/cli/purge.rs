//! `pach purge` (issue 14, local slice): the report changes nothing, `--yes` leaves no byte
//! of the content under `.pach/` while every id stays, reads of purged content fail with
//! exit code 5, fsck and gc take purges in their stride, an interrupted purge is finished,
//! shared chunks stay, and fetch and push never carry purged bytes.

use std::path::{Path, PathBuf};

use predicates::str::contains;

use crate::common::{TestRepo, noise, stderr_of, stdout_of};

const MARKER: &str = "MARKER-7f3c9a1e-personal-data-to-erase";
const EXIT_PURGED: i32 = 5;

/// Files under `dir` whose bytes contain `needle`.
fn holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    crate::common::files_holding(dir, needle)
}

fn b3(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// A project whose first commit (tag v1) holds the marker in `data/secret.txt` beside
/// `data/keep.txt`, and whose second commit removed it.
fn project() -> (TestRepo, String, String) {
    let r = TestRepo::init();
    let v1 = r.commit_files(
        "v1",
        &[
            ("data/secret.txt", &format!("{MARKER}\n")),
            ("data/keep.txt", "keep\n"),
        ],
    );
    r.pach(["tag", "v1"]).assert().success();
    r.pach(["rm", "data/secret.txt"]).assert().success();
    let v2 = r.commit("without the secret");
    (r, v1, v2)
}

#[test]
fn purge_reports_then_erases_every_byte_keeping_every_id() {
    let (r, v1, v2) = project();
    let secret = b3(format!("{MARKER}\n").as_bytes());
    let log = r.ok(["log"]);
    // The report alone changes nothing.
    let report = r
        .pach([
            "purge",
            "v1:data/secret.txt",
            "--reason",
            "erasure request 12",
        ])
        .assert()
        .success()
        .stderr(contains("nothing purged; rerun with --yes"));
    let text = stdout_of(&report);
    assert!(text.contains(&secret), "{text}");
    assert!(text.contains("held by 1 commit(s)"), "{text}");
    assert!(
        text.contains(&v1[..12]) && !text.contains(&v2[..12]),
        "{text}"
    );
    assert!(text.contains("refs/tags/v1  at its tip"), "{text}");
    assert!(text.contains("refs/heads/main  in its history"), "{text}");
    assert!(text.contains("  data/secret.txt"), "{text}");
    assert!(text.contains("derived: 0 output(s) of 0 run(s)"), "{text}");
    assert!(!holding(&r.pach_dir(), MARKER.as_bytes()).is_empty());
    assert!(!r.pach_dir().join("purges").exists());
    let dry = r.json([
        "purge",
        "v1:data/secret.txt",
        "--reason",
        "x",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(dry["applied"], false, "{dry}");
    assert_eq!(dry["impact"]["commits"][0]["commit"], v1.as_str(), "{dry}");
    r.pach(["purge", "v1:data/secret.txt"]).assert().code(2);
    r.pach([
        "purge",
        "v1:data/secret.txt",
        "--reason",
        "x",
        "--yes",
        "--dry-run",
    ])
    .assert()
    .code(2);

    // What a killed run left: its inputs hard-linked under `.pach/work/`.
    let work = r.pach_dir().join("work/run-killed");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::hard_link(r.object_path(&secret), work.join("secret.txt")).unwrap();
    let done = r
        .pach([
            "purge",
            "v1:data/secret.txt",
            "--reason",
            "erasure request 12",
            "--yes",
        ])
        .assert()
        .success()
        .stderr(contains("purged as "))
        .stderr(contains("erased 1 object(s)"));
    let purge_id = stderr_of(&done)
        .split("purged as ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        holding(&r.pach_dir(), MARKER.as_bytes()),
        Vec::<PathBuf>::new()
    );
    assert!(r.pach_dir().join("purges").join(&purge_id).is_file());
    // History is untouched: same ids, same log, the tree still names the file.
    assert_eq!(r.ok(["log"]), log);
    assert_eq!(r.head(), v2);
    r.pach(["ls", "v1"])
        .assert()
        .success()
        .stdout(contains("data/secret.txt"));
    r.pach(["fsck"])
        .assert()
        .success()
        .stderr(contains("1 purged object(s)"))
        .stderr(contains("0 problem(s)"));
    // Reads fail distinctly, naming the path, the purge, its date and reason.
    r.pach(["cat", "v1:data/secret.txt"])
        .assert()
        .code(EXIT_PURGED)
        .stdout("")
        .stderr(contains("`data/secret.txt` was purged by"))
        .stderr(contains(&purge_id[..12]))
        .stderr(contains("2023-11-14 22:13:20 UTC"))
        .stderr(contains("erasure request 12"))
        .stderr(contains("pach purge --list"));
    r.pach(["cat", "v1:data/keep.txt"])
        .assert()
        .success()
        .stdout("keep\n");
    // A checkout of the old commit writes every other file and names the purged one.
    r.pach(["checkout", "v1"])
        .assert()
        .code(EXIT_PURGED)
        .stderr(contains("`data/secret.txt` not written: purged by"))
        .stderr(contains("erasure request 12"));
    assert_eq!(r.read_str("data/keep.txt"), "keep\n");
    assert!(!r.exists("data/secret.txt"));
    assert!(r.ok(["log", "-n", "1", "--json"]).contains(&v1));
    r.pach(["status"])
        .assert()
        .success()
        .stdout(contains("1 file(s) purged, not in the working tree"));
    let st = r.json(["status", "--json"]);
    assert_eq!(
        (st["purged"].as_u64(), st["absent"].as_u64()),
        (Some(1), Some(0)),
        "{st}"
    );
    let fsck = r.pach(["fsck"]).assert().success();
    assert!(!stderr_of(&fsck).contains("absent"), "{}", stderr_of(&fsck));
    r.pach(["checkout", "main"]).assert().success();
    r.pach(["checkout", "v1", "--", "data/secret.txt"])
        .assert()
        .code(EXIT_PURGED);
    // The list, gc, and a second purge of the same content.
    let list = r.json(["purge", "--list", "--json"]);
    assert_eq!(list[0]["id"], purge_id.as_str(), "{list}");
    assert_eq!(list[0]["reason"], "erasure request 12", "{list}");
    assert_eq!(list[0]["author"]["name"], "Test", "{list}");
    assert_eq!(list[0]["time"], 1_700_000_000, "{list}");
    assert_eq!(list[0]["objects"][0]["id"], secret.as_str(), "{list}");
    assert_eq!(list[0]["objects"][0]["size"], MARKER.len() + 1, "{list}");
    r.pach(["purge", "--list"])
        .assert()
        .success()
        .stdout(contains(format!("purge {purge_id}")))
        .stdout(contains("Reason: erasure request 12"));
    r.pach(["gc", "--grace", "0"]).assert().success();
    r.pach(["purge", &secret, "--reason", "again", "--yes"])
        .assert()
        .success()
        .stdout(contains("already purged by"))
        .stderr(contains("no new purge record"));
    assert_eq!(
        r.json(["purge", "--list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    r.pach(["fsck"]).assert().success();
    assert_eq!(r.ok(["log"]), log);
}

#[test]
fn bad_input_is_named_and_changes_nothing() {
    let (r, v1, _) = project();
    let before = r.snapshot();
    let cases: [(&str, &str); 6] = [
        ("nope:data/secret.txt", "unknown revision `nope`"),
        ("v1:data/none.txt", "data/none.txt"),
        ("data/secret.txt", "give REV:PATH or a file's object id"),
        ("v1:", "give REV:PATH"),
        (
            &"ab".repeat(32),
            "is not in the store and no purge names it",
        ),
        (&v1, "is a commit, not a file's content"),
    ];
    for (arg, msg) in cases {
        for yes in [false, true] {
            let mut args = vec!["purge", arg, "--reason", "x"];
            if yes {
                args.push("--yes");
            }
            r.pach(&args).assert().code(1).stderr(contains(msg));
        }
    }
    r.pach(["purge", "v1:data/secret.txt", "--reason", " ", "--yes"])
        .assert()
        .code(1);
    r.assert_unchanged(&before);
    assert!(!r.pach_dir().join("purges").exists());
    r.pach(["purge", "--list"]).assert().success().stdout("");
}

#[test]
fn an_interrupted_purge_is_finished_by_rerunning_it_or_by_gc() {
    let (r, _, _) = project();
    let secret = b3(format!("{MARKER}\n").as_bytes());
    let object = r.object_path(&secret);
    let bytes = std::fs::read(&object).unwrap();
    r.pach(["purge", &secret, "--reason", "x", "--yes"])
        .assert()
        .success();
    assert!(!object.exists());
    // As if killed after the record and before the delete: the bytes are back.
    let put_back = || {
        std::fs::write(&object, &bytes).unwrap();
        assert!(!holding(&r.pach_dir(), MARKER.as_bytes()).is_empty());
    };
    put_back();
    r.pach(["fsck"])
        .assert()
        .success()
        .stderr(contains("still have bytes here"));
    r.pach(["cat", "v1:data/secret.txt"]).assert().success();
    r.pach(["purge", "v1:data/secret.txt", "--reason", "x", "--yes"])
        .assert()
        .success()
        .stderr(contains("erased 1 object(s)"));
    assert!(holding(&r.pach_dir(), MARKER.as_bytes()).is_empty());
    put_back();
    r.pach(["gc"])
        .assert()
        .success()
        .stderr(contains("finished erasing 1 purged object(s)"));
    assert!(holding(&r.pach_dir(), MARKER.as_bytes()).is_empty());
    r.pach(["fsck"]).assert().success();
}

#[test]
fn purging_a_chunked_file_keeps_the_chunks_another_file_shares() {
    let r = TestRepo::init();
    let a = noise(20, 41);
    let mut b = a[..10 << 20].to_vec();
    b.extend(noise(10, 42));
    r.write_settled("data/a.bin", &a);
    r.write_settled("data/b.bin", &b);
    r.pach(["add", "data"]).assert().success();
    r.commit("two big files sharing their first half");
    let a_id = b3(&a);
    assert!(
        r.pach_dir()
            .join("chunked")
            .join(&a_id[..2])
            .join(&a_id[2..])
            .is_file()
    );
    let tail = &a[(18 << 20)..(18 << 20) + 64];
    let head = &a[(1 << 20)..(1 << 20) + 64];
    r.pach(["rm", "data/a.bin"]).assert().success();
    r.commit("drop a");
    let out = r
        .pach([
            "purge",
            "HEAD~1:data/a.bin",
            "--reason",
            "bad dump",
            "--yes",
        ])
        .assert()
        .success();
    let err = stderr_of(&out);
    let kept: usize = err
        .split("kept ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(kept > 0, "shared chunks are kept: {err}");
    let store = r.pach_dir();
    assert!(holding(&store, tail).is_empty(), "a's own chunks are gone");
    assert!(!holding(&store, head).is_empty(), "the shared chunks stay");
    let cat = r.pach(["cat", "HEAD:data/b.bin"]).assert().success();
    assert_eq!(b3(&cat.get_output().stdout), b3(&b));
    r.pach(["cat", "HEAD~1:data/a.bin"])
        .assert()
        .code(EXIT_PURGED);
    r.pach(["fsck"]).assert().success();
    r.pach(["gc", "--grace", "0"]).assert().success();
    r.pach(["fsck"]).assert().success();
    let cat = r.pach(["cat", "HEAD:data/b.bin"]).assert().success();
    assert_eq!(b3(&cat.get_output().stdout), b3(&b));
}

#[test]
fn fetch_never_brings_purged_bytes_back_and_push_never_sends_them() {
    let (a, _, _) = project();
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    a.pach(["push", "--tags"]).assert().success();
    assert!(!holding(&remote, MARKER.as_bytes()).is_empty());
    // A clone purges its copy; the remote still has the bytes.
    let b = TestRepo::new();
    b.pach(["clone", url, "."]).assert().success();
    b.pach(["fetch"]).assert().success();
    assert!(!holding(&b.pach_dir(), MARKER.as_bytes()).is_empty());
    b.pach(["purge", "v1:data/secret.txt", "--reason", "x", "--yes"])
        .assert()
        .success();
    assert!(holding(&b.pach_dir(), MARKER.as_bytes()).is_empty());
    b.pach(["fetch"]).assert().success();
    a.commit_files("more", &[("data/more.txt", "more\n")]);
    a.pach(["push"]).assert().success();
    b.pach(["pull"]).assert().success();
    assert_eq!(b.read_str("data/more.txt"), "more\n");
    assert!(holding(&b.pach_dir(), MARKER.as_bytes()).is_empty());
    b.pach(["fsck"]).assert().success();

    // A purge before the first push: the push succeeds and sends everything else.
    let (d, _, _) = project();
    d.pach(["purge", "v1:data/secret.txt", "--reason", "x", "--yes"])
        .assert()
        .success();
    let fresh = d.base().join("fresh");
    d.pach(["remote", "add", "fresh", fresh.to_str().unwrap()])
        .assert()
        .success();
    d.pach(["push", "fresh", "main"]).assert().success();
    assert!(holding(&fresh, MARKER.as_bytes()).is_empty());
    assert!(!holding(&fresh, b"keep\n").is_empty());
}

#[test]
fn purging_a_file_of_head_leaves_its_working_tree_copy_and_says_so() {
    let r = TestRepo::init();
    r.commit_files("one", &[("a.txt", "aaa\n"), ("b.txt", "bbb\n")]);
    r.pach(["purge", "HEAD:a.txt", "--reason", "x", "--yes"])
        .assert()
        .success()
        .stderr(contains("`a.txt` is in the staging index"));
    assert_eq!(r.read_str("a.txt"), "aaa\n");
    r.pach(["status"]).assert().success();
    r.pach(["cat", "HEAD:a.txt"]).assert().code(EXIT_PURGED);
    // The copy in the working tree is not missing: a checkout does not report it.
    r.pach(["checkout", "HEAD"]).assert().success();
    r.pach(["fsck"]).assert().success();
}

#[test]
fn rerun_commits_without_purged_files_and_keeps_a_copy_with_local_changes() {
    let r = TestRepo::init();
    r.commit_files(
        "v1",
        &[
            ("data/a.txt", &format!("{MARKER} a\n")),
            ("data/b.txt", &format!("{MARKER} b\n")),
            ("data/keep.txt", "keep\n"),
        ],
    );
    std::fs::write(r.path().join("data/a.txt"), "rewritten by hand\n").unwrap();
    let out = r
        .pach([
            "purge",
            "HEAD:data/a.txt",
            "HEAD:data/b.txt",
            "--reason",
            "erasure",
            "--yes",
            "--rerun",
        ])
        .assert()
        .success();
    let err = stderr_of(&out);
    assert!(err.contains("`data/a.txt` has local changes"), "{err}");
    assert!(err.contains("removed 1 path(s)"), "{err}");
    assert!(
        !r.path().join("data/b.txt").exists(),
        "the purged copy is deleted"
    );
    let kept = std::fs::read_to_string(r.path().join("data/a.txt")).unwrap();
    assert_eq!(kept, "rewritten by hand\n", "the changed copy stays");
    let ls = stdout_of(&r.pach(["ls", "HEAD"]).assert().success());
    assert!(
        !ls.contains("a.txt") && !ls.contains("b.txt") && ls.contains("keep.txt"),
        "{ls}"
    );
    let log = stdout_of(&r.pach(["log", "--oneline"]).assert().success());
    assert!(
        log.lines()
            .next()
            .unwrap()
            .contains("Remove the content of purge"),
        "{log}"
    );
    assert_eq!(
        holding(&r.path().join(".pach"), MARKER.as_bytes()),
        Vec::<PathBuf>::new()
    );
    r.pach(["fsck"]).assert().success();
    // Nothing purged is left in the index: a second rerun has nothing to do.
    r.pach([
        "purge",
        "HEAD~1:data/b.txt",
        "--reason",
        "again",
        "--yes",
        "--rerun",
    ])
    .assert()
    .success()
    .stderr(contains("nothing to commit or rerun"));
    // --rerun changes things: it needs --yes.
    r.pach(["purge", "HEAD~1:data/b.txt", "--reason", "x", "--rerun"])
        .assert()
        .code(2);
}
