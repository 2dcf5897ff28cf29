//! Every hint a remote command prints names a command that works: each test runs it.
//! (A pull over local changes is covered in tests/cli/hints.rs.)

use super::common::{TestRepo, stderr_of};
use super::remote_ref;

/// Returns the text of the `hint:` line.
fn hint(err: &str) -> String {
    err.lines()
        .find_map(|l| l.strip_prefix("hint: "))
        .unwrap_or_else(|| panic!("no hint in: {err}"))
        .to_string()
}

fn pushed() -> (TestRepo, String) {
    let a = TestRepo::init();
    a.commit_files("one", &[("x.txt", "1\n")]);
    let url = a.base().join("remote").to_str().unwrap().to_string();
    a.pach(["remote", "add", "origin", &url]).assert().success();
    a.pach(["push"]).assert().success();
    (a, url)
}

#[test]
fn a_detached_head_push_says_so_and_the_hinted_commands_push() {
    let (a, url) = pushed();
    a.commit_files("two", &[("x.txt", "2\n")]);
    let head = a.head();
    a.pach(["checkout", &head]).assert().success();
    let out = a.pach(["push"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("HEAD is detached") && err.contains(&head[..12]),
        "{err}"
    );
    assert!(!err.contains("not a valid branch name"), "{err}");
    let h = hint(&err);
    assert!(
        h.contains("pach branch <name>") && h.contains("pach push <remote> <name>"),
        "{h}"
    );
    a.pach(["branch", "keep"]).assert().success();
    a.pach(["push", "origin", "keep"]).assert().success();
    let remote = std::path::PathBuf::from(&url);
    assert_eq!(remote_ref(&remote, "keep").as_deref(), Some(head.as_str()));
}

#[test]
fn a_detached_head_pull_says_so_and_the_hinted_checkout_lets_it_pull() {
    let (a, url) = pushed();
    let first = a.head();
    let b = TestRepo::new();
    b.pach(["clone", &url, "."]).assert().success();
    a.commit_files("two", &[("x.txt", "2\n")]);
    a.pach(["push"]).assert().success();
    b.pach(["checkout", &first]).assert().success();
    let out = b.pach(["pull"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(err.contains("HEAD is detached"), "{err}");
    assert!(hint(&err).contains("pach checkout <branch>"), "{err}");
    b.pach(["checkout", "main"]).assert().success();
    b.pach(["pull"]).assert().success();
    assert_eq!(b.read_str("x.txt"), "2\n");
}

#[test]
fn a_push_behind_the_remote_hints_a_pull_that_works() {
    let (a, url) = pushed();
    let b = TestRepo::new();
    b.pach(["clone", &url, "."]).assert().success();
    a.commit_files("two", &[("x.txt", "2\n")]);
    a.pach(["push"]).assert().success();
    // b made no commit but is behind: its push is not a fast-forward.
    b.commit_files("b", &[("b.txt", "b\n")]);
    let out = b.pach(["push"]).assert().code(1);
    let h = hint(&stderr_of(&out));
    assert!(
        h.contains("pach pull origin main") && h.contains("pach push origin main --force"),
        "{h}"
    );
    // Diverged now: the pull refuses, and its hint takes theirs with commands that exist.
    let out = b.pach(["pull", "origin", "main"]).assert().code(1);
    let h = hint(&stderr_of(&out));
    let theirs = &a.head()[..12];
    let take = format!("pach checkout {theirs}");
    assert!(h.contains(&take) && !h.contains("pull --force"), "{h}");
    b.pach(["checkout", theirs]).assert().success();
    b.pach(["branch", "-d", "main"]).assert().success();
    b.pach(["checkout", "-b", "main"]).assert().success();
    assert_eq!(b.head(), a.head());
    b.pach(["pull", "origin", "main"]).assert().success();
    b.pach(["push", "origin", "main"]).assert().success();
}
