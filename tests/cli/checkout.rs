//! `pach checkout`.

use std::os::unix::fs::MetadataExt;

use predicates::str::contains;

use crate::common::TestRepo;

fn stat(repo: &TestRepo, p: &str) -> (u64, i64, i64) {
    let m = std::fs::symlink_metadata(repo.path().join(p)).unwrap();
    (m.ino(), m.mtime(), m.mtime_nsec())
}

#[test]
fn checkout_switches_branches_and_updates_the_working_tree() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("d/b", "b1")]);
    repo.pach(["checkout", "-b", "exp"]).assert().success();
    assert_eq!(repo.json(["status", "--json"])["branch"], "exp");
    repo.commit_files("exp change", &[("a", "exp"), ("d/new", "n")]);
    repo.pach(["rm", "d/b"]).assert().success();
    repo.commit("exp rm");
    assert!(!repo.exists("d/b"));

    repo.pach(["checkout", "main"]).assert().success();
    assert_eq!(repo.read_str("a"), "1");
    assert_eq!(repo.read_str("d/b"), "b1");
    assert!(!repo.exists("d/new"));
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["branch"], "main");
    assert_eq!(st["staged"], serde_json::json!([]));
    assert_eq!(st["unstaged"], serde_json::json!([]));
    assert_eq!(st["untracked"], serde_json::json!([]));

    repo.pach(["checkout", "exp"]).assert().success();
    assert_eq!(repo.read_str("a"), "exp");
    assert_eq!(repo.read_str("d/new"), "n");
    assert!(!repo.exists("d/b"));
}

#[test]
fn checkout_of_a_commit_detaches_head() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("a", "2")]);
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(repo.read_str("a"), "1");
    let st = repo.json(["status", "--json"]);
    assert!(st["branch"].is_null(), "{st}");
    assert_eq!(st["detached_at"], c1.as_str());
    assert!(
        repo.ok(["status"])
            .contains(&format!("HEAD detached at {}", &c1[..12]))
    );
    // A commit while detached moves HEAD, not main.
    let c3 = repo.commit_files("three", &[("b", "3")]);
    assert_eq!(repo.head(), c3);
    let main = repo.json(["log", "--json", "-n", "1", "main"]);
    assert_ne!(main[0]["id"], c3.as_str());
    repo.pach(["checkout", "main"]).assert().success();
    assert_eq!(repo.read_str("a"), "2");
    assert!(!repo.exists("b"));
}

#[test]
fn checkout_rewrites_only_files_that_differ() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("same", "s"), ("diff", "1")]);
    repo.commit_files("two", &[("diff", "2")]);
    let same_before = stat(&repo, "same");
    let diff_before = stat(&repo, "diff");
    std::thread::sleep(std::time::Duration::from_millis(20));
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(
        stat(&repo, "same"),
        same_before,
        "unchanged file was rewritten"
    );
    assert_ne!(stat(&repo, "diff"), diff_before);
    assert_eq!(repo.read_str("diff"), "1");
}

#[test]
fn checkout_refuses_to_overwrite_a_modified_tracked_file() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "b")]);
    repo.pach(["checkout", "-b", "other"]).assert().success();
    repo.commit_files("two", &[("a", "2")]);
    repo.pach(["checkout", "main"]).assert().success();
    repo.write("a", "local edit");
    let before = repo.snapshot();
    repo.pach(["checkout", "other"])
        .assert()
        .code(1)
        .stderr(contains("would overwrite local changes to `a`"))
        .stderr(contains("--force"));
    repo.assert_unchanged(&before);
    assert_eq!(repo.json(["status", "--json"])["branch"], "main");
    // --force discards the edit.
    repo.pach(["checkout", "-f", "other"]).assert().success();
    assert_eq!(repo.read_str("a"), "2");
}

#[test]
fn checkout_carries_over_changes_to_untouched_files() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1"), ("b", "b")]);
    repo.pach(["branch", "other"]).assert().success();
    repo.write("b", "local");
    repo.pach(["checkout", "other"]).assert().success();
    assert_eq!(repo.read_str("b"), "local");
}

#[test]
fn checkout_refuses_a_staged_change_it_would_overwrite() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["checkout", "-b", "other"]).assert().success();
    repo.commit_files("two", &[("a", "2")]);
    repo.pach(["checkout", "main"]).assert().success();
    repo.write("a", "staged");
    repo.pach(["add", "a"]).assert().success();
    let before = repo.snapshot();
    repo.pach(["checkout", "other"])
        .assert()
        .code(1)
        .stderr(contains("`a`"));
    repo.assert_unchanged(&before);
}

#[test]
fn checkout_refuses_an_untracked_file_in_the_way() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["checkout", "-b", "other"]).assert().success();
    repo.commit_files("two", &[("new", "from other")]);
    repo.pach(["checkout", "main"]).assert().success();
    assert!(!repo.exists("new"));
    repo.write("new", "precious untracked");
    let before = repo.snapshot();
    repo.pach(["checkout", "other"])
        .assert()
        .code(1)
        .stderr(contains("would overwrite local changes to `new`"));
    repo.assert_unchanged(&before);
    repo.pach(["checkout", "--force", "other"])
        .assert()
        .success();
    assert_eq!(repo.read_str("new"), "from other");
}

#[test]
fn checkout_refuses_to_delete_a_modified_file() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.pach(["branch", "before-b"]).assert().success();
    repo.commit_files("two", &[("b", "b")]);
    repo.write("b", "edited");
    let before = repo.snapshot();
    repo.pach(["checkout", "before-b"])
        .assert()
        .code(1)
        .stderr(contains("`b`"));
    repo.assert_unchanged(&before);
}

#[test]
fn checkout_rev_paths_restores_files_without_moving_head() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1"), ("d/x", "x1"), ("d/y", "y1")]);
    let c2 = repo.commit_files("two", &[("a", "2"), ("d/x", "x2"), ("d/y", "y2")]);
    repo.pach(["checkout", &c1, "--", "a"]).assert().success();
    assert_eq!(repo.read_str("a"), "1");
    assert_eq!(repo.read_str("d/x"), "x2");
    assert_eq!(repo.head(), c2);
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["staged"][0]["path"], "a");
    assert_eq!(st["staged"][0]["kind"], "modified");
    assert_eq!(st["unstaged"], serde_json::json!([]));
    // A directory restores every file under it; a deleted file comes back.
    std::fs::remove_file(repo.path().join("d/y")).unwrap();
    repo.pach(["checkout", "HEAD~1", "--", "d"])
        .assert()
        .success();
    assert_eq!(repo.read_str("d/x"), "x1");
    assert_eq!(repo.read_str("d/y"), "y1");
    let before = repo.snapshot();
    repo.pach(["checkout", "HEAD", "--", "nope"])
        .assert()
        .code(1)
        .stderr(contains("nope"))
        .stderr(contains("does not exist"));
    repo.assert_unchanged(&before);
}

#[test]
fn checkout_b_creates_a_branch_at_a_revision_and_switches() {
    let repo = TestRepo::init();
    let c1 = repo.commit_files("one", &[("a", "1")]);
    repo.commit_files("two", &[("a", "2")]);
    repo.pach(["checkout", "-b", "fix", "HEAD~1"])
        .assert()
        .success();
    assert_eq!(repo.head(), c1);
    assert_eq!(repo.read_str("a"), "1");
    assert_eq!(repo.json(["status", "--json"])["branch"], "fix");
    let before = repo.snapshot();
    repo.pach(["checkout", "-b", "fix"])
        .assert()
        .code(1)
        .stderr(contains("branch `fix` already exists"));
    repo.assert_unchanged(&before);
}

#[test]
fn checkout_of_an_unknown_revision_fails_and_changes_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let before = repo.snapshot();
    repo.pach(["checkout", "nowhere"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `nowhere`"));
    repo.assert_unchanged(&before);
}

#[test]
fn hardlink_mode_shares_read_only_inodes_and_checks_out_old_versions() {
    use std::os::unix::fs::PermissionsExt;
    let repo = TestRepo::init();
    repo.write(".pach/config.toml", "link = \"hardlink\"\n");
    repo.commit_files("one", &[("data/a.bin", "version one")]);
    let id1 = repo.json(["ls", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let work = std::fs::metadata(repo.path().join("data/a.bin")).unwrap();
    let obj = std::fs::metadata(repo.object_path(&id1)).unwrap();
    assert_eq!(
        work.ino(),
        obj.ino(),
        "working file and object share an inode"
    );
    assert_eq!(obj.nlink(), 2);
    assert_eq!(obj.permissions().mode() & 0o222, 0, "object is read-only");
    repo.pach(["status"]).assert().success();

    // Editing goes through a new file (the shared one is read-only).
    std::fs::remove_file(repo.path().join("data/a.bin")).unwrap();
    repo.commit_files("two", &[("data/a.bin", "version two!")]);
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(repo.read_str("data/a.bin"), "version one");
    let work = std::fs::metadata(repo.path().join("data/a.bin")).unwrap();
    assert_eq!(work.ino(), obj.ino());
    repo.pach(["fsck"]).assert().success();
    assert_eq!(repo.ok(["cat", "main:data/a.bin"]), "version two!");
}

#[test]
fn a_file_replaced_by_a_directory_round_trips_through_add_commit_and_checkout() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/a", "1"), ("f", "was a file")]);
    std::fs::remove_file(repo.path().join("f")).unwrap();
    repo.write("f/g", "now a dir");
    repo.pach(["add", "f"]).assert().success();
    let st = repo.json(["status", "--json"]);
    let staged: Vec<(String, String)> = st["staged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().into(),
                c["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        staged,
        [
            ("f".into(), "deleted".into()),
            ("f/g".into(), "added".into())
        ],
        "{st}"
    );
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
    repo.commit("two");
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(repo.read_str("f"), "was a file");
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
    repo.pach(["checkout", "main"]).assert().success();
    assert_eq!(repo.read_str("f/g"), "now a dir");
}

#[test]
fn a_directory_replaced_by_a_file_round_trips_through_add_commit_and_checkout() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("x/y", "in a dir")]);
    std::fs::remove_dir_all(repo.path().join("x")).unwrap();
    repo.write("x", "now a file");
    repo.pach(["add", "x"]).assert().success();
    repo.commit("two");
    let ls = repo.json(["ls", "--json"]);
    assert_eq!(ls.as_array().unwrap().len(), 1, "{ls}");
    assert_eq!(ls[0]["path"], "x");
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(repo.read_str("x/y"), "in a dir");
    repo.pach(["checkout", "main"]).assert().success();
    assert_eq!(repo.read_str("x"), "now a file");
}

/// 17 MiB of varied bytes: above the size where checkout resizes files in place.
fn big(seed: u8) -> Vec<u8> {
    (0..17u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ seed)
        .collect()
}

#[test]
fn checkout_appends_or_truncates_a_large_file_in_place_when_one_version_extends_the_other() {
    let repo = TestRepo::init();
    let v1 = big(0);
    repo.write_settled("data/log.bin", &v1);
    repo.pach(["add", "data"]).assert().success();
    repo.commit("v1");
    let mut v2 = v1.clone();
    v2.extend_from_slice(b"one more day of data\n");
    repo.write_settled("data/log.bin", &v2);
    repo.pach(["add", "data"]).assert().success();
    repo.commit("v2");
    let ino = stat(&repo, "data/log.bin").0;

    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert!(repo.read("data/log.bin") == v1, "truncated back to v1");
    assert_eq!(stat(&repo, "data/log.bin").0, ino, "same inode: in place");
    repo.pach(["checkout", "main"]).assert().success();
    assert!(repo.read("data/log.bin") == v2, "extended to v2");
    assert_eq!(stat(&repo, "data/log.bin").0, ino, "same inode: in place");
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["unstaged"], serde_json::json!([]));
    repo.pach(["fsck"]).assert().success();

    // A version that is not an extension (its head differs) gets a full copy.
    let mut v3 = v2.clone();
    v3[5] ^= 0xff;
    v3.truncate(v1.len() + 3);
    repo.write("data/log.bin", &v3);
    repo.pach(["add", "data"]).assert().success();
    repo.commit("v3");
    repo.pach(["checkout", "main~1"]).assert().success();
    assert!(repo.read("data/log.bin") == v2);
    repo.pach(["checkout", "main~2"]).assert().success();
    assert!(repo.read("data/log.bin") == v1);
    repo.pach(["checkout", "main"]).assert().success();
    assert!(repo.read("data/log.bin") == v3);
    repo.pach(["fsck"]).assert().success();
}

#[test]
fn a_large_file_with_another_link_is_replaced_never_written_in_place() {
    let repo = TestRepo::init();
    let v1 = big(1);
    let mut v2 = v1.clone();
    v2.extend_from_slice(b"tail");
    repo.write("big.bin", &v1);
    repo.pach(["add", "big.bin"]).assert().success();
    repo.commit("v1");
    repo.write("big.bin", &v2);
    repo.pach(["add", "big.bin"]).assert().success();
    repo.commit("v2");
    // The user keeps a hard link to the current version elsewhere.
    let keep = repo.base().join("kept.bin");
    std::fs::hard_link(repo.path().join("big.bin"), &keep).unwrap();
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert!(repo.read("big.bin") == v1);
    assert!(
        std::fs::read(&keep).unwrap() == v2,
        "the other link kept its bytes"
    );

    // Files left from the hardlink mode share the store's inode: never resized either.
    let repo = TestRepo::init();
    repo.write(".pach/config.toml", "link = \"hardlink\"\n");
    repo.write("big.bin", &v1);
    repo.pach(["add", "big.bin"]).assert().success();
    repo.commit("v1");
    std::fs::remove_file(repo.path().join("big.bin")).unwrap();
    repo.write("big.bin", &v2);
    repo.pach(["add", "big.bin"]).assert().success();
    repo.commit("v2");
    repo.write(".pach/config.toml", "link = \"copy\"\n");
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert!(repo.read("big.bin") == v1);
    repo.pach(["fsck"]).assert().success();
    repo.pach(["checkout", "main"]).assert().success();
    assert!(repo.read("big.bin") == v2);
    repo.pach(["fsck"]).assert().success();
}

#[test]
fn checkout_on_a_terminal_shows_files_written_and_a_rate_and_without_one_nothing() {
    let repo = TestRepo::init();
    let files: Vec<(String, String)> = (0..300)
        .map(|i| (format!("d/f{i}"), "1".repeat(i)))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    repo.commit_files("one", &refs);
    let changed: Vec<(String, String)> = files
        .iter()
        .map(|(p, c)| (p.clone(), format!("{c}2")))
        .collect();
    let refs: Vec<(&str, &str)> = changed
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    repo.commit_files("two", &refs);
    // Not a terminal: no bar.
    let out = repo.pach(["checkout", "HEAD~1"]).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!err.contains("writing"), "{err}");
    // A terminal, through util-linux `script`: the bar counts files and shows a rate.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED the terminal half: no `script` (util-linux) on PATH");
        return;
    }
    let line = format!("{} checkout main", crate::common::pach_bin().display());
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .current_dir(repo.path());
    crate::common::fix_env(&mut cmd, &repo.home());
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("writing 0/300 files"), "{shown}");
    assert!(shown.contains("/s, eta"), "{shown}");
    assert!(repo.read_str("d/f5").ends_with('2'));
}
