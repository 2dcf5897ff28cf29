//! `pach run` inside a git worktree: the stages' outputs join pach's block in `.gitignore`.

use crate::common::{TestRepo, stdout_of};
use crate::{TEXTS, WORDCOUNT, require_docker, run_json};

#[test]
fn run_outputs_are_ignored_by_git_and_pach_toml_is_not() {
    if !require_docker() {
        return;
    }
    let repo = TestRepo::new();
    repo.git(["init", "-q"]).assert().success();
    repo.pach(["init"]).assert().success();
    repo.write("pach.toml", WORDCOUNT);
    repo.git(["add", "pach.toml"]).assert().success();
    let mut all = vec![("pach.toml", WORDCOUNT)];
    all.extend_from_slice(TEXTS);
    repo.commit_files("inputs", &all);
    let text = repo.read_str(".gitignore");
    assert!(
        text.contains("\n/data/\n") && !text.contains("/counts/"),
        "{text}"
    );
    run_json(&repo, &[]);
    let text = repo.read_str(".gitignore");
    for line in ["/counts/", "/data/", "/total/"] {
        assert!(text.contains(&format!("\n{line}\n")), "{text}");
    }
    assert!(!text.contains("pach.toml"), "{text}");
    let st = stdout_of(
        &repo
            .git(["status", "--porcelain", "--untracked-files=all"])
            .assert()
            .success(),
    );
    assert_eq!(st, "A  pach.toml\n?? .gitignore\n");
}
