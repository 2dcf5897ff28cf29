//! Paths and names: outside the project, symlinks, odd and non-UTF-8 names, special files.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn paths_outside_the_project_are_refused_and_change_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    std::fs::write(repo.base().join("outside"), "secret").unwrap();
    let before = repo.snapshot();
    repo.pach(["add", "../outside"])
        .assert()
        .code(1)
        .stderr(contains("`../outside`"))
        .stderr(contains("outside the project"));
    let abs = repo.base().join("outside");
    repo.pach([OsStr::new("add"), abs.as_os_str()])
        .assert()
        .code(1)
        .stderr(contains(abs.to_string_lossy().as_ref()))
        .stderr(contains("outside the project"));
    repo.pach(["add", "/etc/passwd"])
        .assert()
        .code(1)
        .stderr(contains("`/etc/passwd`"));
    repo.pach(["rm", "../outside"])
        .assert()
        .code(1)
        .stderr(contains("`../outside`"));
    repo.pach(["checkout", "HEAD", "--", "../outside"])
        .assert()
        .code(1)
        .stderr(contains("`../outside`"));
    repo.assert_unchanged(&before);
    // An absolute path inside the project is fine.
    let inside = repo.path().join("a");
    repo.pach([OsStr::new("add"), inside.as_os_str()])
        .assert()
        .success();
}

#[test]
fn a_path_through_a_symlinked_directory_is_refused() {
    let repo = TestRepo::init();
    std::fs::create_dir(repo.base().join("elsewhere")).unwrap();
    std::fs::write(repo.base().join("elsewhere/f"), "x").unwrap();
    std::os::unix::fs::symlink(repo.base().join("elsewhere"), repo.path().join("link")).unwrap();
    let before = repo.snapshot();
    repo.pach(["add", "link/f"])
        .assert()
        .code(1)
        .stderr(contains("link/f"))
        .stderr(contains("symlink"));
    repo.assert_unchanged(&before);
}

#[test]
fn a_symlink_inside_the_project_is_stored_as_a_link_and_restored_as_one() {
    let repo = TestRepo::init();
    repo.write("data/real.csv", "content");
    std::os::unix::fs::symlink("real.csv", repo.path().join("data/alias.csv")).unwrap();
    std::os::unix::fs::symlink("data", repo.path().join("dirlink")).unwrap();
    repo.pach(["add", "data", "dirlink"]).assert().success();
    repo.commit("links");
    let ls = repo.json(["ls", "--json"]);
    let kinds: Vec<(&str, &str)> = ls
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("data/alias.csv", "symlink"),
            ("data/real.csv", "file"),
            ("dirlink", "symlink")
        ]
    );
    // cat prints the target, not the content behind it.
    assert_eq!(repo.ok(["cat", "HEAD:data/alias.csv"]), "real.csv");
    std::fs::remove_file(repo.path().join("data/alias.csv")).unwrap();
    std::fs::remove_file(repo.path().join("dirlink")).unwrap();
    repo.pach(["checkout", "HEAD", "--", "data/alias.csv", "dirlink"])
        .assert()
        .success();
    let t = std::fs::read_link(repo.path().join("data/alias.csv")).unwrap();
    assert_eq!(t, std::path::Path::new("real.csv"));
    let t = std::fs::read_link(repo.path().join("dirlink")).unwrap();
    assert_eq!(t, std::path::Path::new("data"));
    // Switching away and back recreates links too.
    repo.commit_files("two", &[("other", "o")]);
    repo.pach(["checkout", "--force", "HEAD~1"])
        .assert()
        .success();
    assert!(
        std::fs::symlink_metadata(repo.path().join("data/alias.csv"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st}");
}

#[test]
fn a_symlink_leaving_the_project_is_refused_naming_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    std::os::unix::fs::symlink("/etc/passwd", repo.path().join("abs")).unwrap();
    repo.write("d/ok", "ok");
    std::os::unix::fs::symlink("../../x", repo.path().join("d/up")).unwrap();
    repo.write("s/ok", "ok");
    std::os::unix::fs::symlink("../.pach/config.toml", repo.path().join("s/store")).unwrap();
    let before = repo.snapshot();
    repo.pach(["add", "abs"])
        .assert()
        .code(1)
        .stderr(contains("`abs`"))
        .stderr(contains("/etc/passwd"));
    repo.pach(["add", "d"])
        .assert()
        .code(1)
        .stderr(contains("`d/up`"))
        .stderr(contains("outside the project"));
    repo.pach(["add", "s"])
        .assert()
        .code(1)
        .stderr(contains("`s/store`"));
    repo.assert_unchanged(&before);
}

#[test]
fn odd_utf8_names_survive_add_commit_checkout_byte_for_byte() {
    let repo = TestRepo::init();
    let names = [
        "with space.csv",
        "new\nline",
        "-leading-dash",
        "--double",
        "tab\there",
        "ünïcødé ✓",
        "back\\slash",
        "quote\"s'",
        "star*?[x]",
        "dir with space/inner name",
    ];
    for (i, n) in names.iter().enumerate() {
        repo.write(n, format!("content {i}"));
    }
    let mut args = vec!["add".to_string(), "--".to_string()];
    args.extend(names.iter().map(|n| format!("./{n}")));
    repo.pach(&args).assert().success();
    let c1 = repo.commit("odd names");
    let ls = repo.json(["ls", "--json"]);
    let mut got: Vec<String> = ls
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    for (i, n) in names.iter().enumerate() {
        repo.pach(["cat", &format!("HEAD:{n}")])
            .assert()
            .success()
            .stdout(format!("content {i}"));
    }
    // Delete them all, switch away, come back: every name is recreated exactly.
    repo.pach(["checkout", "-b", "empty"]).assert().success();
    let mut rm = vec!["rm".to_string(), "--".to_string()];
    rm.extend(names.iter().map(|n| format!("./{n}")));
    repo.pach(&rm).assert().success();
    repo.commit("none");
    for n in names {
        assert!(!repo.exists(n), "{n:?} still there");
    }
    repo.pach(["checkout", &c1]).assert().success();
    for (i, n) in names.iter().enumerate() {
        assert_eq!(repo.read_str(n), format!("content {i}"), "{n:?}");
    }
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["unstaged"], serde_json::json!([]));
    assert_eq!(st["untracked"], serde_json::json!([]));
}

#[test]
fn a_non_utf8_name_is_refused_naming_it() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    let raw = OsStr::from_bytes(b"bad\xffname");
    std::fs::create_dir(repo.path().join("d")).unwrap();
    std::fs::write(repo.path().join("d").join(raw), "x").unwrap();
    let before = repo.snapshot();
    // Named directly.
    let mut direct = std::path::PathBuf::from("d");
    direct.push(raw);
    repo.pach([OsStr::new("add"), direct.as_os_str()])
        .assert()
        .code(1)
        .stderr(contains("bad"))
        .stderr(contains("name"))
        .stderr(contains("UTF-8"));
    // Found while walking a directory.
    repo.pach(["add", "d"])
        .assert()
        .code(1)
        .stderr(contains("d/bad"))
        .stderr(contains("UTF-8"));
    repo.assert_unchanged(&before);
}

#[test]
fn a_missing_path_is_reported_as_not_existing() {
    let repo = TestRepo::init();
    let before = repo.snapshot();
    repo.pach(["add", "ghost.csv"])
        .assert()
        .code(1)
        .stderr(contains("`ghost.csv` does not exist"));
    repo.assert_unchanged(&before);
}

#[test]
fn a_fifo_named_explicitly_is_refused() {
    let repo = TestRepo::init();
    repo.write("d/ok", "ok");
    let st = std::process::Command::new("mkfifo")
        .arg(repo.path().join("d/pipe"))
        .status()
        .unwrap();
    assert!(st.success());
    let before = repo.snapshot();
    repo.pach(["add", "d/pipe"])
        .assert()
        .code(1)
        .stderr(contains("`d/pipe`"))
        .stderr(contains("not a regular file"));
    repo.assert_unchanged(&before);
    // Inside a directory it is skipped, not read (reading a FIFO would hang).
    let v = repo.json(["add", "--json", "d"]);
    assert_eq!(v["staged"], serde_json::json!(["d/ok"]));
    assert_eq!(v["skipped"], serde_json::json!(["d/pipe"]));
}
