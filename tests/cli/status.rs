//! `pach status`, and the global flags (shown through status).

use std::time::{Duration, SystemTime};

use predicates::str::contains;

use crate::common::{TestRepo, epoch, stderr_of};

fn paths(v: &serde_json::Value, section: &str) -> Vec<(String, String)> {
    crate::common::change_list(v, section)
}

#[test]
fn status_of_a_fresh_project_says_no_commits() {
    let repo = TestRepo::init();
    let out = repo.ok(["status"]);
    assert!(out.contains("On branch main"), "{out}");
    assert!(out.contains("No commits yet"), "{out}");
}

#[test]
fn status_shows_staged_unstaged_and_untracked_sections() {
    let repo = TestRepo::init();
    repo.commit_files(
        "one",
        &[
            ("d/keep", "k"),
            ("d/mod", "m"),
            ("d/del", "x"),
            ("d/st", "s"),
        ],
    );
    repo.write("d/mod", "modified, longer");
    std::fs::remove_file(repo.path().join("d/del")).unwrap();
    repo.write("d/st", "staged change");
    repo.write("d/new", "new");
    repo.pach(["add", "d/st", "d/new"]).assert().success();
    repo.write("d/untracked", "u");
    repo.write("elsewhere/not-listed", "u");

    let v = repo.json(["status", "--json"]);
    assert_eq!(v["branch"], "main");
    assert_eq!(
        paths(&v, "staged"),
        [
            ("d/new".into(), "added".into()),
            ("d/st".into(), "modified".into())
        ]
    );
    assert_eq!(
        paths(&v, "unstaged"),
        [
            ("d/del".into(), "deleted".into()),
            ("d/mod".into(), "modified".into())
        ]
    );
    assert_eq!(v["untracked"], serde_json::json!(["d/untracked"]));

    let text = repo.ok(["status"]);
    let staged_at = text.find("Changes to be committed:").expect(&text);
    let unstaged_at = text.find("Changes not staged for commit:").expect(&text);
    let untracked_at = text.find("Untracked files:").expect(&text);
    assert!(
        staged_at < unstaged_at && unstaged_at < untracked_at,
        "{text}"
    );
    assert!(text.contains("new file:  d/new"), "{text}");
    assert!(text.contains("modified:  d/mod"), "{text}");
    assert!(text.contains("deleted:   d/del"), "{text}");
}

#[test]
fn add_finds_new_files_in_directories_that_hold_only_directories() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a/x/1", "1"), ("a/y/2", "2")]);
    repo.write("a/z/new", "n");
    repo.write("a/loose", "l");
    repo.write("top", "t");
    // Status lists untracked names only where tracked files are (as before).
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["untracked"], serde_json::json!([]), "{v}");
    // `add` of a directory stages every new file under it, however deep.
    repo.pach(["add", "a"]).assert().success();
    let v = repo.json(["status", "--json"]);
    assert_eq!(
        paths(&v, "staged"),
        [
            ("a/loose".into(), "added".into()),
            ("a/z/new".into(), "added".into())
        ]
    );
    repo.pach(["add", "."]).assert().success();
    let v = repo.json(["status", "--json"]);
    assert_eq!(
        paths(&v, "staged"),
        [
            ("a/loose".into(), "added".into()),
            ("a/z/new".into(), "added".into()),
            ("top".into(), "added".into())
        ]
    );
}

#[test]
fn staged_changes_are_found_at_any_depth_and_across_file_directory_swaps() {
    let repo = TestRepo::init();
    repo.commit_files(
        "one",
        &[
            ("a/x/1", "1"),
            ("a/y/2", "2"),
            ("b/3", "3"),
            ("f", "f"),
            ("g/h/i", "i"),
        ],
    );
    repo.write("a/x/1", "1 changed");
    repo.write("a/z/new", "n");
    repo.pach(["add", "a"]).assert().success();
    repo.pach(["rm", "--cached", "b/3"]).assert().success();
    repo.pach(["rm", "f"]).assert().success();
    repo.write("f/inner", "now a directory");
    repo.pach(["add", "f"]).assert().success();
    let v = repo.json(["status", "--json"]);
    assert_eq!(
        paths(&v, "staged"),
        [
            ("a/x/1".into(), "modified".into()),
            ("a/z/new".into(), "added".into()),
            ("b/3".into(), "deleted".into()),
            ("f".into(), "deleted".into()),
            ("f/inner".into(), "added".into()),
        ]
    );
    // Staging the old content again leaves nothing staged.
    repo.write("a/x/1", "1");
    std::fs::remove_file(repo.path().join("a/z/new")).unwrap();
    repo.pach(["add", "a"]).assert().success();
    repo.pach(["add", "b"]).assert().success();
    repo.pach(["rm", "f"]).assert().success();
    repo.write("f", "f");
    repo.pach(["add", "f"]).assert().success();
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["staged"], serde_json::json!([]), "{v}");
}

#[test]
fn status_clean_says_so() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let out = repo.ok(["status"]);
    assert!(
        out.contains("nothing to commit, working tree clean"),
        "{out}"
    );
}

#[test]
fn noop_status_reads_no_file_content() {
    let repo = TestRepo::init();
    for i in 0..50 {
        let p = format!("d/f{i}");
        repo.write(&p, format!("content {i}"));
        repo.set_mtime(&p, epoch(1_600_000_000));
    }
    repo.pach(["add", "d"]).assert().success();
    repo.commit("one");
    repo.pach(["-v", "status"])
        .assert()
        .success()
        .stderr(contains("status: 0 file(s) read to compare content"));
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["files_hashed"], 0);
}

#[test]
fn status_detects_a_same_size_rewrite_with_the_same_mtime_of_a_racy_entry() {
    let repo = TestRepo::init();
    repo.write("racy", "aaaa");
    // An mtime not older than the moment `add` verified the file: racily clean.
    let t = SystemTime::now() + Duration::from_secs(2);
    repo.set_mtime("racy", t);
    repo.pach(["add", "racy"]).assert().success();
    repo.commit("one");
    let ino_before =
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(repo.path().join("racy")).unwrap());
    // Same size, same inode, same mtime: only the content tells.
    repo.write("racy", "bbbb");
    repo.set_mtime("racy", t);
    let ino_after =
        std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(repo.path().join("racy")).unwrap());
    assert_eq!(ino_before, ino_after);
    let v = repo.json(["status", "--json"]);
    assert_eq!(
        paths(&v, "unstaged"),
        [("racy".into(), "modified".into())],
        "{v}"
    );
    repo.pach(["diff"])
        .assert()
        .success()
        .stdout(contains("racy"));
}

#[test]
fn global_dash_c_runs_in_another_directory() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let elsewhere = repo.home();
    let dir = repo.path().to_str().unwrap().to_string();
    let out = repo
        .pach_in(&elsewhere, ["-C", &dir, "log", "--oneline"])
        .assert()
        .success();
    assert!(crate::common::stdout_of(&out).ends_with(" one\n"));
    repo.pach_in(&elsewhere, ["-C", "/nonexistent-dir-xyz", "status"])
        .assert()
        .failure()
        .stderr(contains("nonexistent-dir-xyz"));
}

#[test]
fn color_always_paints_and_no_color_or_pipes_do_not() {
    let repo = TestRepo::init();
    repo.write("a", "1");
    repo.pach(["add", "a"]).assert().success();
    repo.pach(["--color", "always", "status"])
        .assert()
        .success()
        .stdout(contains("\x1b["));
    // NO_COLOR is set by the harness; stdout is a pipe: auto means none.
    repo.pach(["status"])
        .assert()
        .success()
        .stdout(contains("\x1b[").not());
    repo.pach(["--color", "auto", "status"])
        .env_remove("NO_COLOR")
        .assert()
        .success()
        .stdout(contains("\x1b[").not());
    repo.pach(["--color", "never", "status"])
        .assert()
        .success()
        .stdout(contains("\x1b[").not());
    repo.pach(["--color", "always", "nosuchcmd"])
        .assert()
        .code(2);
}

#[test]
fn quiet_silences_notes() {
    let repo = TestRepo::new();
    let a = repo.pach(["-q", "init"]).assert().success();
    assert_eq!(stderr_of(&a), "");
    repo.write("a", "1");
    let a = repo.pach(["-q", "add", "a"]).assert().success();
    assert_eq!(stderr_of(&a), "");
    let a = repo.pach(["-q", "commit", "-m", "x"]).assert().success();
    assert_eq!(stderr_of(&a), "");
    // Errors still show.
    repo.pach(["-q", "commit", "-m", "x"])
        .assert()
        .code(1)
        .stderr(contains("nothing to commit"));
    // Without -q, notes go to stderr.
    repo.write("b", "2");
    repo.pach(["add", "b"])
        .assert()
        .success()
        .stderr(contains("staged"));
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn untracked_files_honour_root_and_nested_pachignore_files() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("data/a.csv", "a"), ("data/sub/b.csv", "b")]);
    repo.write(".pachignore", "*.tmp\nscratch/\n");
    repo.write("data/sub/.pachignore", "!keep.tmp\n");
    repo.write("data/x.tmp", "ignored by the root rules");
    repo.write("data/new.csv", "untracked");
    repo.write("data/sub/keep.tmp", "whitelisted below");
    repo.write("data/scratch/y.csv", "in an ignored directory");
    repo.write("data/fresh/z.csv", "in an untracked directory");
    repo.write("data/empty-but-ignored/w.tmp", "only ignored files");
    let v = repo.json(["status", "--json"]);
    let untracked: Vec<&str> = v["untracked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        untracked,
        [
            "data/fresh/",
            "data/new.csv",
            "data/sub/.pachignore",
            "data/sub/keep.tmp"
        ]
    );
}

/// A checkout waits out the racy margin of the files it writes, so the next status trusts
/// their stat: re-hashing them costs seconds for a big file.
#[test]
fn status_right_after_a_checkout_reads_no_file_it_wrote() {
    let repo = TestRepo::init();
    for v in ["one", "two"] {
        for i in 0..20 {
            repo.write(format!("d/f{i}"), format!("{v} {i}"));
        }
        repo.pach(["add", "d"]).assert().success();
        repo.commit(v);
    }
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["files_hashed"], 0, "{v}");
    assert_eq!(repo.read("d/f3"), b"one 3");
    // A rewrite after the checkout, same size, is still seen.
    repo.write("d/f3", "ONE 3");
    let v = repo.json(["status", "--json"]);
    assert!(v["unstaged"].to_string().contains("d/f3"), "{v}");
}
