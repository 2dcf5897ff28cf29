//! Git and pach side by side: the block of paths pach tracks in `.gitignore`, the dirty flag
//! blind to it, and what `status` and `log` tell about the git side.

use predicates::str::contains;

use crate::common::{TestRepo, stderr_of, stdout_of};

const BEGIN: &str = "# >>> pach: paths pach tracks (managed by pach; do not edit inside) >>>";
const END: &str = "# <<< pach <<<";

/// A git repository with one commit (`code.py`, `models/train.py`) and a pach project.
fn git_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.write("code.py", "print(1)\n");
    repo.write("models/train.py", "train()\n");
    repo.git(["add", "code.py", "models/train.py"])
        .assert()
        .success();
    git_commit(&repo, "code");
    repo.pach(["init"]).assert().success();
    repo
}

fn git_commit(repo: &TestRepo, msg: &str) {
    repo.git(["commit", "-q", "-m", msg]).assert().success();
}

fn git_head(repo: &TestRepo) -> String {
    stdout_of(&repo.git(["rev-parse", "HEAD"]).assert().success())
        .trim()
        .to_string()
}

/// The lines of pach's block in `.gitignore` (empty without one).
fn block(repo: &TestRepo) -> Vec<String> {
    let text = repo.read_str(".gitignore");
    let mut lines = text.lines().skip_while(|l| *l != BEGIN);
    assert!(lines.next().is_none_or(|l| l == BEGIN));
    lines
        .take_while(|l| *l != END)
        .map(str::to_string)
        .collect()
}

fn porcelain(repo: &TestRepo) -> String {
    stdout_of(
        &repo
            .git(["status", "--porcelain", "--untracked-files=all"])
            .assert()
            .success(),
    )
}

#[test]
fn git_ignores_what_pach_tracks_and_is_told_once_to_commit_gitignore() {
    let repo = git_project();
    repo.write("data/a.csv", "1");
    repo.write("data/sub/b.csv", "2");
    repo.write("models/a.bin", "w");
    repo.write("big.bin", "b");
    let first = repo
        .pach(["add", "data", "models/a.bin", "big.bin"])
        .assert()
        .success();
    let err = stderr_of(&first);
    assert!(err.contains("git's to commit"), "{err}");
    // models/ holds a file git tracks: the block names pach's file there, and says why.
    assert!(err.contains("`models/` holds files git tracks"), "{err}");
    assert_eq!(block(&repo), ["/big.bin", "/data/", "/models/a.bin"]);
    let commit = repo.pach(["commit", "-m", "data"]).assert().success();
    assert!(!stderr_of(&commit).contains("git's to commit"));
    let st = porcelain(&repo);
    assert!(!st.contains("data") && !st.contains(".bin"), "{st}");
    assert!(st.contains(".gitignore"), "{st}");
    // git check-ignore agrees, and leaves git's own files alone.
    let ignored = repo
        .git([
            "check-ignore",
            "data/a.csv",
            "data/sub/b.csv",
            "models/a.bin",
            "big.bin",
        ])
        .assert()
        .success();
    assert_eq!(stdout_of(&ignored).lines().count(), 4);
    repo.git(["check-ignore", "-q", "models/train.py"])
        .assert()
        .code(1);
    repo.git(["check-ignore", "-q", "pach.toml"])
        .assert()
        .code(1);
    // A new file pach does not track in data/ turns the directory into its files.
    repo.write("data/new.csv", "3");
    repo.write("more/c.csv", "4");
    let added = repo.pach(["add", "more"]).assert().success();
    assert!(!stderr_of(&added).contains("git's to commit"));
    assert_eq!(
        block(&repo),
        [
            "/big.bin",
            "/data/a.csv",
            "/data/sub/",
            "/models/a.bin",
            "/more/"
        ]
    );
    assert!(porcelain(&repo).contains("data/new.csv"));
}

#[test]
fn rm_shrinks_the_block_and_user_lines_survive_byte_for_byte() {
    let repo = git_project();
    let user_top = "# my rules\ntarget/\n\n*.log   # logs";
    repo.write(".gitignore", user_top);
    repo.write("data/a.csv", "1");
    repo.write("keep/b.csv", "2");
    repo.pach(["add", "data", "keep"]).assert().success();
    let text = repo.read_str(".gitignore");
    assert!(text.starts_with(&format!("{user_top}\n")), "{text}");
    // Lines a user adds after the block are theirs too.
    repo.write(".gitignore", format!("{text}# after\n*.tmp\n"));
    repo.pach(["commit", "-m", "two dirs"]).assert().success();
    repo.pach(["rm", "data"]).assert().success();
    assert_eq!(block(&repo), ["/keep/"]);
    repo.pach(["rm", "--cached", "keep"]).assert().success();
    assert_eq!(
        repo.read_str(".gitignore"),
        format!("{user_top}\n# after\n*.tmp\n")
    );
    assert!(porcelain(&repo).contains("keep/b.csv"));
}

#[test]
fn checkout_moves_the_block_with_the_tracked_files() {
    let repo = git_project();
    repo.commit_files("one", &[("data/a.csv", "1")]);
    repo.commit_files("two", &[("extra/b.csv", "2")]);
    assert_eq!(block(&repo), ["/data/", "/extra/"]);
    repo.pach(["checkout", "HEAD~1"]).assert().success();
    assert_eq!(block(&repo), ["/data/"]);
}

#[test]
fn no_gitignore_leaves_gitignore_alone_and_the_config_key_is_checked() {
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.pach(["init", "--no-gitignore"]).assert().success();
    repo.commit_files("data", &[("data/a.csv", "1")]);
    assert!(!repo.exists(".gitignore"));
    let config = repo.read_str(".pach/config.toml");
    assert!(config.contains("\ngitignore = false\n"), "{config}");
    // The key accepts booleans only, and says where it is wrong.
    repo.write(
        ".pach/config.toml",
        config.replace("gitignore = false", "gitignore = \"no\""),
    );
    repo.pach(["status"])
        .assert()
        .code(1)
        .stderr(contains("config.toml"))
        .stderr(contains("line"));
    // A user's .gitignore stays as written when the key is false.
    repo.write(".pach/config.toml", "gitignore = false\n");
    repo.write(".gitignore", "mine\n");
    repo.commit_files("more", &[("data/b.csv", "2")]);
    assert_eq!(repo.read_str(".gitignore"), "mine\n");
}

#[test]
fn the_dirty_flag_ignores_a_change_to_the_block_only() {
    let repo = git_project();
    repo.git(["add", ".gitignore"]).assert().success();
    git_commit(&repo, "ignore .pach");
    repo.commit_files("one", &[("data/a.csv", "1")]);
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["code"]["dirty"], false, "{c}");
    // The block changes again (a new directory): still clean.
    repo.commit_files("two", &[("more/b.csv", "2")]);
    assert!(repo.read_str(".gitignore").contains("/more/"));
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["code"]["dirty"], false, "{c}");
    // A user's line in .gitignore is a change to the code.
    let text = repo.read_str(".gitignore");
    repo.write(".gitignore", format!("*.log\n{text}"));
    repo.commit_files("three", &[("more/c.csv", "3")]);
    let c = repo.json(["show", "--json"]);
    assert_eq!(c["code"]["dirty"], true, "{c}");
}

#[test]
fn status_warns_about_a_file_both_track() {
    let repo = git_project();
    repo.write("data/a.csv", "1");
    repo.git(["add", "data/a.csv"]).assert().success();
    let add = repo.pach(["add", "data"]).assert().success();
    let err = stderr_of(&add);
    assert!(
        err.contains("`data/a.csv` is tracked by git and by pach"),
        "{err}"
    );
    assert!(!repo.read_str(".gitignore").contains("/data"));
    let st = repo.pach(["status"]).assert().success();
    let err = stderr_of(&st);
    assert!(err.contains("git rm --cached 'data/a.csv'"), "{err}");
    let v = repo.json(["status", "--json"]);
    assert_eq!(
        v["git"]["tracked_by_both"],
        serde_json::json!(["data/a.csv"])
    );
    // The fix: git lets go, and the block takes the directory.
    repo.git(["rm", "-q", "--cached", "data/a.csv"])
        .assert()
        .success();
    repo.pach(["commit", "-m", "data"]).assert().success();
    assert_eq!(block(&repo), ["/data/"]);
    let st = repo.pach(["status"]).assert().success();
    assert!(!stderr_of(&st).contains("tracked by git and by pach"));
}

#[test]
fn status_and_log_show_the_git_commit_and_the_drift() {
    let repo = git_project();
    let at = git_head(&repo);
    repo.commit_files("data", &[("data/a.csv", "1")]);
    let out = repo.ok(["status"]);
    assert!(
        out.contains(&format!("Data committed with git {}", &at[..12])),
        "{out}"
    );
    assert!(!out.contains("moved"), "{out}");
    // models/train.py is git's: not an untracked file to pach.
    repo.commit_files("model", &[("models/a.bin", "w")]);
    let out = repo.ok(["status"]);
    assert!(!out.contains("train.py"), "{out}");
    assert!(out.contains("working tree clean"), "{out}");
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["git"]["moved"], false);
    assert_eq!(v["git"]["head"], at.as_str());
    let one = repo.ok(["log", "--oneline"]);
    assert!(
        one.ends_with(&format!(" data (git {})\n", &at[..12])),
        "{one}"
    );
    // The code moves on in git: status says so.
    repo.write("code.py", "print(2)\n");
    repo.git(["add", "code.py"]).assert().success();
    git_commit(&repo, "more code");
    let now = git_head(&repo);
    let out = repo.ok(["status"]);
    assert!(
        out.contains(&format!("git HEAD is now {}: the code moved", &now[..12])),
        "{out}"
    );
    let v = repo.json(["status", "--json"]);
    assert_eq!(v["git"]["moved"], true);
    assert_eq!(v["git"]["recorded"]["git_commit"], at.as_str());
    // Outside git, status has no git side.
    let plain = TestRepo::init();
    assert!(plain.json(["status", "--json"]).get("git").is_none());
}

#[test]
fn an_unwritable_gitignore_is_a_warning_after_the_data_is_safe() {
    let repo = git_project();
    // A directory where the file should be: it cannot be read or replaced.
    std::fs::remove_file(repo.path().join(".gitignore")).unwrap();
    std::fs::create_dir(repo.path().join(".gitignore")).unwrap();
    repo.write("data/a.csv", "1");
    repo.pach(["add", "data"])
        .assert()
        .success()
        .stderr(contains("could not update pach's block in"))
        .stderr(contains(".gitignore"));
    repo.pach(["commit", "-m", "data"]).assert().success();
    assert_eq!(repo.json(["log", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn clone_and_pull_into_a_git_worktree_keep_the_block() {
    let a = TestRepo::init();
    a.commit_files("one", &[("data/a.csv", "1")]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.pach(["remote", "add", "origin", url]).assert().success();
    a.pach(["push"]).assert().success();
    // The clone lands in a git worktree: git is told to ignore what came.
    // (in a subdirectory: the clone refuses a directory that is not empty).
    let g = TestRepo::new();
    g.git(["init", "-q"]).assert().success();
    let cloned = g.pach(["clone", url, "sub"]).assert().success();
    assert!(stderr_of(&cloned).contains("git's to commit"));
    let b = TestRepo::at(&g.path().join("sub"));
    assert_eq!(block(&b), ["/data/"]);
    a.commit_files("two", &[("models/m.bin", "2")]);
    a.pach(["push"]).assert().success();
    b.pach(["pull"]).assert().success();
    assert_eq!(block(&b), ["/data/", "/models/"]);
    let st = porcelain(&g);
    assert!(!st.contains("data/") && !st.contains("models/"), "{st}");
    assert!(st.contains("sub/.gitignore"), "{st}");
}
