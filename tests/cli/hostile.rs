//! Trees and working trees built by an attacker: names that are `.git` or `.pach` on some
//! system, symlink chains that leave the project, and symlinks already in the working tree.

use std::os::unix::fs::symlink;

use predicates::str::contains;

use crate::common::{TestRepo, stderr_of};

#[test]
fn add_refuses_every_spelling_of_git_and_pach_and_stages_nothing() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("ok", "1")]);
    for bad in [
        ".Git",
        ".GIT",
        "git~1",
        ".git.",
        ".pach ",
        ".PACH",
        ".g\u{200c}it",
    ] {
        let dir = format!("data/{bad}");
        repo.write(
            format!("{dir}/hooks/post-checkout"),
            "#!/bin/sh\necho owned\n",
        );
        let before = repo.snapshot();
        let a = repo.pach(["add", "data"]).assert().code(1);
        let err = stderr_of(&a);
        assert!(err.contains(&format!("`{dir}`")), "{bad:?}: {err}");
        assert!(err.contains(".pachignore"), "{bad:?}: {err}");
        repo.assert_unchanged(&before);
        // Named directly, the path is refused as well.
        repo.pach(["add", &format!("{dir}/hooks/post-checkout")])
            .assert()
            .code(1)
            .stderr(contains("refuses"));
        std::fs::remove_dir_all(repo.path().join(&dir)).unwrap();
    }
    // A nested repository or project is skipped, as git skips a nested `.git`.
    repo.write("data/sub/.git/config", "[core]\n");
    repo.write("data/sub/.pach/pach.db", "x");
    repo.write("data/sub/file", "kept");
    repo.pach(["add", "data"]).assert().success();
    let st = repo.json(["status", "--json"]);
    let staged: Vec<String> = crate::common::change_list(&st, "staged")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(staged, vec!["data/sub/file".to_string()], "{st}");
}

#[test]
fn a_chain_of_links_that_leaves_the_project_is_refused_by_add() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("ok", "1")]);
    std::fs::create_dir(repo.path().join("l")).unwrap();
    // Each target alone stays inside; resolved one through another, `l/c` is `..` of the root.
    symlink(".", repo.path().join("l/a")).unwrap();
    symlink("a/..", repo.path().join("l/b")).unwrap();
    symlink("b/..", repo.path().join("l/c")).unwrap();
    let before = repo.snapshot();
    let a = repo.pach(["add", "l"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("`l/c`"), "{err}");
    assert!(err.contains("outside the project"), "{err}");
    repo.assert_unchanged(&before);
    // Staged one at a time, the last one is caught against the links already staged.
    repo.pach(["add", "l/a", "l/b"]).assert().success();
    repo.pach(["add", "l/c"])
        .assert()
        .code(1)
        .stderr(contains("`l/c`"));
    // Through a link to `.git`, whatever its spelling.
    std::fs::remove_dir_all(repo.path().join("l")).unwrap();
    repo.pach(["add", "l"]).assert().success();
    symlink(".GIT", repo.path().join("g")).unwrap();
    symlink("g/hooks", repo.path().join("h")).unwrap();
    repo.pach(["add", "g", "h"])
        .assert()
        .code(1)
        .stderr(contains("`g`"))
        .stderr(contains("`.git/`"));
    // A chain that only reaches `.git` through another link.
    std::fs::remove_file(repo.path().join("g")).unwrap();
    std::fs::remove_file(repo.path().join("h")).unwrap();
    std::fs::create_dir(repo.path().join("x")).unwrap();
    symlink("..", repo.path().join("x/up")).unwrap();
    symlink("x/up/.GIT", repo.path().join("h")).unwrap();
    repo.pach(["add", "x", "h"])
        .assert()
        .code(1)
        .stderr(contains("`h`"));
}

#[test]
fn checkout_never_deletes_or_writes_through_a_symlink_in_the_working_tree() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/x", "1"), ("d/y", "2")]);
    repo.ok(["branch", "two"]);
    repo.ok(["checkout", "two"]);
    repo.write("d/x", "changed");
    repo.ok(["add", "d"]);
    repo.ok(["rm", "d/y"]);
    repo.commit("two");
    repo.ok(["checkout", "main"]);
    // The user moves the directory away and leaves a symlink to it in its place.
    let away = repo.base().join("away");
    std::fs::rename(repo.path().join("d"), &away).unwrap();
    symlink(&away, repo.path().join("d")).unwrap();
    let a = repo.pach(["checkout", "two"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("`d`"), "{err}");
    // Nothing outside the project was deleted or written.
    assert_eq!(std::fs::read_to_string(away.join("x")).unwrap(), "1");
    assert_eq!(std::fs::read_to_string(away.join("y")).unwrap(), "2");
    // With --force the link itself goes, never what it points to.
    repo.pach(["checkout", "--force", "two"]).assert().success();
    assert!(repo.path().join("d").symlink_metadata().unwrap().is_dir());
    assert_eq!(repo.read_str("d/x"), "changed");
    assert_eq!(std::fs::read_to_string(away.join("x")).unwrap(), "1");
    assert_eq!(std::fs::read_to_string(away.join("y")).unwrap(), "2");
}

#[test]
fn rm_never_deletes_through_a_symlinked_directory() {
    let repo = TestRepo::init();
    repo.commit_files("one", &[("d/x", "1")]);
    let away = repo.base().join("away");
    std::fs::rename(repo.path().join("d"), &away).unwrap();
    symlink(&away, repo.path().join("d")).unwrap();
    let before = repo.snapshot();
    repo.pach(["rm", "d"])
        .assert()
        .code(1)
        .stderr(contains("`d`"))
        .stderr(contains("symlink"));
    repo.assert_unchanged(&before);
    assert_eq!(std::fs::read_to_string(away.join("x")).unwrap(), "1");
    repo.pach(["rm", "--cached", "d"]).assert().success();
    assert_eq!(std::fs::read_to_string(away.join("x")).unwrap(), "1");
}
