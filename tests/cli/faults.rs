//! Faults: unreadable files, a full disk, and SIGKILL at random moments.

use std::process::Command as StdCommand;
use std::time::Duration;

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::common::{Lcg, TestRepo, Tmpfs, fill_but, fill_disk, is_root, mib, pach_bin, stderr_of};

#[test]
fn an_unreadable_file_is_refused_naming_it_and_nothing_is_staged() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/ok", "ok")]);
    repo.write("d/secret.csv", "secret");
    repo.write("d/other", "other");
    let before = repo.snapshot();
    std::fs::set_permissions(
        repo.path().join("d/secret.csv"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let mut cmds: Vec<Vec<String>> = vec![
        vec!["add".into(), "d/secret.csv".into()],
        vec!["add".into(), "d".into()],
    ];
    let out = if is_root() {
        // Root reads anything: run pach as `nobody` on a tree it may otherwise use.
        let st = StdCommand::new("chmod")
            .args(["-R", "a+rwX"])
            .arg(repo.base())
            .status()
            .unwrap();
        assert!(st.success());
        std::fs::set_permissions(
            repo.path().join("d/secret.csv"),
            std::fs::Permissions::from_mode(0o000),
        )
        .unwrap();
        cmds.iter_mut()
            .map(|args| {
                let mut c = StdCommand::new("setpriv");
                c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                    .arg(pach_bin())
                    .args(args.iter())
                    .current_dir(repo.path());
                crate::common::fix_env(&mut c, &repo.home());
                c.output().unwrap()
            })
            .collect::<Vec<_>>()
    } else {
        cmds.iter()
            .map(|args| repo.pach(args).output().unwrap())
            .collect()
    };
    for (args, o) in cmds.iter().zip(out) {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("secret.csv"), "{args:?}: {err}");
        assert!(
            err.to_lowercase().contains("permission denied"),
            "{args:?}: {err}"
        );
    }
    std::fs::set_permissions(
        repo.path().join("d/secret.csv"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    repo.assert_unchanged(&before);
}

fn with_small_disk(size: &str) -> Option<(TestRepo, Tmpfs)> {
    if !is_root() {
        crate::common::skip("needs root to mount a small tmpfs");
        return None;
    }
    let repo = TestRepo::new();
    let Some(mnt) = Tmpfs::mount(repo.path(), size) else {
        crate::common::skip("cannot mount a tmpfs here");
        return None;
    };
    repo.pach(["init"]).assert().success();
    Some((repo, mnt))
}

#[test]
fn disk_full_during_add_fails_clearly_and_leaves_no_partial_object() {
    let Some((repo, _mnt)) = with_small_disk("6m") else {
        return;
    };
    repo.commit_files("one", &[("small", "small")]);
    let big: Vec<u8> = (0..4u32 << 20).map(|i| (i % 253) as u8).collect();
    repo.write("big.bin", &big);
    let objects = repo.objects();
    let log = repo.ok(["log", "--json"]);
    let a = repo.pach(["add", "big.bin"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "{err}"
    );
    assert_eq!(
        repo.tmp_files(),
        Vec::<String>::new(),
        ".pach/tmp not cleaned"
    );
    assert_eq!(repo.objects(), objects, "new objects after a failed add");
    repo.pach(["fsck"]).assert().success();
    assert_eq!(repo.ok(["log", "--json"]), log);
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["staged"], serde_json::json!([]), "{st}");
    assert_eq!(st["untracked"], serde_json::json!(["big.bin"]), "{st}");
}

#[test]
fn disk_full_during_commit_fails_clearly_and_moves_nothing() {
    let Some((repo, _mnt)) = with_small_disk("3m") else {
        return;
    };
    repo.commit_files("one", &[("a", "1")]);
    repo.write("d/e/b", "2");
    repo.pach(["add", "d"]).assert().success();
    let objects = repo.objects();
    let log = repo.ok(["log", "--json"]);
    let filler = fill_disk(repo.path());
    let a = repo.pach(["commit", "-m", "two"]).assert().failure();
    let err = stderr_of(&a);
    assert!(
        err.contains("No space left on device")
            || err.contains("disk is full")
            || err.contains("full"),
        "{err}"
    );
    assert_eq!(
        repo.tmp_files(),
        Vec::<String>::new(),
        ".pach/tmp not cleaned"
    );
    assert_eq!(repo.objects(), objects, "new objects after a failed commit");
    std::fs::remove_file(filler).unwrap();
    assert_eq!(repo.ok(["log", "--json"]), log, "history moved");
    repo.pach(["fsck"]).assert().success();
    repo.pach(["commit", "-m", "two"]).assert().success();
    assert_eq!(repo.ok(["cat", "HEAD:d/e/b"]), "2");
}

#[test]
fn disk_full_while_writing_commit_objects_fails_clearly_and_moves_nothing() {
    let Some((repo, _mnt)) = with_small_disk("3m") else {
        return;
    };
    repo.commit_files("one", &[("a", "1")]);
    repo.write("d/e/b", "2");
    repo.pach(["add", "d"]).assert().success();
    let objects = repo.objects();
    let log = repo.ok(["log", "--json"]);
    let filler = fill_disk(repo.path());
    // Leave room for SQLite's shared-memory file (32 KiB) but not for three new trees.
    let len = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(len - 40 * 1024)
        .unwrap();
    let a = repo.pach(["commit", "-m", "two"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "{err}"
    );
    assert_eq!(
        repo.tmp_files(),
        Vec::<String>::new(),
        ".pach/tmp not cleaned"
    );
    std::fs::remove_file(filler).unwrap();
    assert_eq!(repo.ok(["log", "--json"]), log, "history moved");
    repo.pach(["fsck"]).assert().success();
    // Complete but unreferenced objects are allowed (gc removes them); partial ones are not.
    for id in repo.objects() {
        if !objects.contains(&id) {
            let bytes = std::fs::read(repo.object_path(&id)).unwrap();
            assert_eq!(blake3::hash(&bytes).to_hex().as_str(), id, "partial object");
        }
    }
    repo.pach(["commit", "-m", "two"]).assert().success();
    assert_eq!(repo.ok(["cat", "HEAD:d/e/b"]), "2");
}

/// Returns the content of small file `i` at version `v`.
fn small(v: u64, i: usize) -> String {
    format!(
        "file {i} version {}\n",
        if i.is_multiple_of(10) { v } else { 0 }
    )
}

/// Returns the 20 MiB file at version `v`.
fn big(v: u64) -> Vec<u8> {
    let block: Vec<u8> = (0..65536u64)
        .map(|i| ((i * 131 + v * 17 + i / 251) % 256) as u8)
        .collect();
    let mut out = block.repeat(320);
    out[..8].copy_from_slice(&v.to_le_bytes());
    out
}

fn write_version(repo: &TestRepo, v: u64) {
    for i in 0..300 {
        repo.write(format!("data/s/{:03}", i), small(v, i));
    }
    repo.write("data/big.bin", big(v));
}

fn kill_after(repo: &TestRepo, args: &[&str], ms: u64) {
    let mut child = repo
        .pach_std(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn sigkill_during_add_and_commit_never_damages_the_store() {
    let repo = TestRepo::init();
    let mut rng = Lcg(0x5eed);
    let mut recorded: Vec<(String, u64)> = Vec::new();
    for round in 1..=15u64 {
        write_version(&repo, round);
        let ms = rng.below(150);
        if round % 2 == 1 {
            kill_after(&repo, &["add", "data"], ms);
        } else {
            // A stale lock from the killed add must not block this one.
            repo.pach(["add", "data"]).assert().success();
            let head_before = repo.json(["log", "--json", "-n", "1"]);
            kill_after(&repo, &["commit", "-m", &format!("round {round}")], ms);
            let head = repo.json(["log", "--json", "-n", "1"]);
            if head != head_before {
                let id = head[0]["id"].as_str().unwrap().to_string();
                assert_eq!(head[0]["message"], format!("round {round}"));
                recorded.push((id, round));
            }
        }
        let f = repo.pach(["fsck"]).output().unwrap();
        assert!(
            f.status.success(),
            "round {round} (killed after {ms} ms): fsck failed:\n{}{}",
            String::from_utf8_lossy(&f.stdout),
            String::from_utf8_lossy(&f.stderr)
        );
    }
    repo.pach(["add", "data"]).assert().success();
    let last = repo.commit("final");
    recorded.push((last, 15));
    for (id, v) in &recorded {
        let out = repo
            .pach(["cat", &format!("{id}:data/big.bin")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{id}");
        assert!(
            out.stdout == big(*v),
            "commit {id}: big.bin is not version {v}"
        );
        for i in [0usize, 10, 155, 290] {
            repo.pach(["cat", &format!("{id}:data/s/{i:03}")])
                .assert()
                .success()
                .stdout(small(*v, i));
        }
    }
    repo.pach(["fsck"]).assert().success();
    repo.pach(["status"])
        .assert()
        .success()
        .stdout(contains("working tree clean"));
}

#[test]
fn a_damaged_index_chunk_is_named_and_no_command_writes_over_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("data/a.csv", "1\n"), ("data/b.csv", "2\n")]);
    let before = repo.snapshot();
    let db = rusqlite::Connection::open(repo.pach_dir().join("pach.db")).unwrap();
    let (first, good): (String, Vec<u8>) = db
        .query_row("SELECT first, data FROM index_chunks", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let cut = good[..good.len() - 5].to_vec();
    db.execute("UPDATE index_chunks SET data = ?1", [&cut])
        .unwrap();
    repo.write("data/c.csv", "3\n");
    for args in [
        vec!["status"],
        vec!["add", "data"],
        vec!["commit", "-m", "two"],
        vec!["checkout", "HEAD"],
    ] {
        repo.pach(&args).assert().code(1).stderr(
            contains("pach.db")
                .and(contains("the staging index"))
                .and(contains(format!("chunk `{first}`")))
                .and(contains("ends early")),
        );
    }
    let now: Vec<u8> = db
        .query_row("SELECT data FROM index_chunks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(now, cut, "no command rewrote the damaged chunk");
    // Put the chunk back: everything is as it was.
    db.execute("UPDATE index_chunks SET data = ?1", [&good])
        .unwrap();
    std::fs::remove_file(repo.path().join("data/c.csv")).unwrap();
    repo.assert_unchanged(&before);
}

/// Branch `main` holds two small files; branch `big` changes one to 6 MiB, and turns the
/// other from a file into a directory holding a 6 MiB file. `main` is checked out.
fn two_sizes(repo: &TestRepo) {
    repo.commit_files("small", &[("a", "small a"), ("b", "small b")]);
    repo.ok(["checkout", "-b", "big"]);
    repo.write("a", mib(6, 1));
    std::fs::remove_file(repo.path().join("b")).unwrap();
    repo.write("b/x", mib(6, 2));
    repo.ok(["add", "a", "b"]);
    repo.commit("big");
    repo.ok(["checkout", "main"]);
}

#[test]
fn disk_full_during_checkout_leaves_the_old_tree_index_and_head() {
    let Some((repo, _mnt)) = with_small_disk("48m") else {
        return;
    };
    two_sizes(&repo);
    // Room for one of the two new files, not both.
    let filler = fill_but(repo.path(), 8 << 20);
    let before = repo.snapshot();
    let a = repo.pach(["checkout", "big"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "{err}"
    );
    repo.assert_unchanged(&before);
    assert_eq!(repo.read_str("b"), "small b");
    std::fs::remove_file(filler).unwrap();
    repo.pach(["checkout", "big"]).assert().success();
    assert_eq!(repo.read("b/x"), mib(6, 2));
    repo.pach(["fsck"]).assert().success();
}

#[test]
fn disk_full_during_pull_leaves_the_old_tree_index_and_branch() {
    let Some((repo, _mnt)) = with_small_disk("48m") else {
        return;
    };
    let remote = repo.base().join("remote");
    let other = TestRepo::init();
    other.commit_files("small", &[("a", "small a"), ("b", "small b")]);
    other.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    other.ok(["push", "origin", "main"]);
    repo.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.ok(["pull", "origin", "main"]);
    other.write("a", mib(6, 1));
    std::fs::remove_file(other.path().join("b")).unwrap();
    other.write("b/x", mib(6, 2));
    other.ok(["add", "a", "b"]);
    other.commit("big");
    other.ok(["push", "origin", "main"]);
    // Room for the fetched objects and one new file, not both new files.
    let filler = fill_but(repo.path(), 20 << 20);
    let status = repo.json(["status", "--json"]);
    let worktree = repo.worktree();
    let branches = repo.ok(["branch", "--json"]);
    let a = repo.pach(["pull", "origin", "main"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "{err}"
    );
    assert_eq!(repo.worktree(), worktree, "working tree changed");
    assert_eq!(repo.ok(["branch", "--json"]), branches, "branch moved");
    let mut now = repo.json(["status", "--json"]);
    let mut was = status;
    for s in [&mut now, &mut was] {
        s.as_object_mut().unwrap().remove("files_hashed");
    }
    assert_eq!(now, was, "index changed");
    std::fs::remove_file(filler).unwrap();
    repo.pach(["pull", "origin", "main"]).assert().success();
    assert_eq!(repo.read("a"), mib(6, 1));
    repo.pach(["fsck"]).assert().success();
}

#[test]
fn a_checkout_killed_between_renames_is_finished_by_running_it_again() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "1"), ("c", "1"), ("gone", "x")]);
    repo.ok(["checkout", "-b", "two"]);
    repo.write("a", "2");
    repo.write("b", "2");
    repo.write("c", "2");
    repo.ok(["add", "a", "b", "c"]);
    repo.ok(["rm", "gone"]);
    repo.commit("two");
    repo.ok(["checkout", "main"]);
    // As a switch to `two` killed part-way leaves it: `a` renamed into place, `b` unlinked
    // before its rename, `gone` deleted; the index and HEAD still say `main`.
    repo.write("a", "2");
    std::fs::remove_file(repo.path().join("b")).unwrap();
    std::fs::remove_file(repo.path().join("gone")).unwrap();
    repo.pach(["checkout", "two"]).assert().success();
    for f in ["a", "b", "c"] {
        assert_eq!(repo.read_str(f), "2", "{f}");
    }
    assert!(!repo.exists("gone"));
    let st = repo.json(["status", "--json"]);
    assert_eq!(crate::common::change_list(&st, "unstaged"), vec![], "{st}");
    // A real local change is still refused.
    repo.ok(["checkout", "main"]);
    repo.write("a", "mine");
    repo.pach(["checkout", "two"])
        .assert()
        .code(1)
        .stderr(contains("`a`"));
}

#[test]
fn temp_files_a_killed_switch_left_are_never_listed_and_gc_sweeps_them() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/a", "1")]);
    repo.write("d/.pach-tmp-999999-1", "half a file");
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["untracked"], serde_json::json!([]), "{st}");
    repo.pach(["add", "d"]).assert().success();
    let st = repo.json(["status", "--json"]);
    assert_eq!(crate::common::change_list(&st, "staged"), vec![], "{st}");
    repo.ok(["gc", "--grace", "0"]);
    assert!(!repo.exists("d/.pach-tmp-999999-1"));
    assert_eq!(repo.read_str("d/a"), "1");
}
