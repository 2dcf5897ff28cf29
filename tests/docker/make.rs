//! `pach run --dry-run --exit-code` and the Makefile of `examples/make`, whose targets ask
//! pach whether the analysis is current.

use std::path::Path;

use crate::common::{TestRepo, fix_env, pach_bin, stderr_of};
use crate::{TEXTS, WORDCOUNT, project, require_docker};

/// `pach run --dry-run --exit-code -q` in `repo`: its exit code and stderr.
fn check(repo: &TestRepo) -> (i32, String) {
    let a = repo
        .pach(["run", "--dry-run", "--exit-code", "-q"])
        .assert();
    let code = a.get_output().status.code().unwrap_or(-1);
    (code, stderr_of(&a))
}

#[test]
fn exit_code_says_whether_anything_is_stale_and_runs_nothing() {
    if !require_docker() {
        return;
    }
    let repo = project(WORDCOUNT, TEXTS);
    let before = repo.snapshot();
    let (code, err) = check(&repo);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("3 datum(s) of 1 stage(s) are stale"), "{err}");
    assert!(err.contains("pach run"), "the hint names the fix: {err}");
    repo.assert_unchanged(&before);

    repo.ok(["run", "-q"]);
    assert_eq!(check(&repo), (0, String::new()));

    // One changed input makes exactly its datum stale again.
    repo.write("data/text/b.txt", "four five six\n");
    repo.ok(["add", "data"]);
    repo.ok(["commit", "-m", "longer b"]);
    let (code, err) = check(&repo);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("1 datum(s) of 1 stage(s)"), "{err}");

    // Without --dry-run it would run for real: refused as a usage error.
    let a = repo.pach(["run", "--exit-code"]).assert().code(2);
    assert!(stderr_of(&a).contains("--dry-run"), "{}", stderr_of(&a));
}

/// Runs `make -f examples/make/Makefile TARGET PROJECT=… PACH=…` in a clean environment.
fn make(repo: &TestRepo, target: &str) -> std::process::Output {
    let makefile = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/make/Makefile");
    let mut cmd = std::process::Command::new("make");
    cmd.arg("-s")
        .arg("-f")
        .arg(&makefile)
        .arg(target)
        .arg(format!(
            "PROJECT={}",
            repo.path().join("analysis").display()
        ))
        .arg(format!("PACH={}", pach_bin().display()))
        .current_dir(repo.path());
    fix_env(&mut cmd, &repo.home());
    cmd.output().expect("make runs (apt install make)")
}

/// The number on the last line of `make report`'s output (the total).
fn last_number(stdout: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(stdout);
    let last = text.lines().last().unwrap_or("");
    last.trim()
        .parse()
        .unwrap_or_else(|_| panic!("no total on the last line of: {text}"))
}

#[test]
fn the_example_makefile_runs_only_what_is_stale_and_check_tells() {
    if !require_docker() {
        return;
    }
    let repo = TestRepo::new();
    let out = make(&repo, "check");
    assert!(!out.status.success(), "a new project is stale");
    assert!(String::from_utf8_lossy(&out.stderr).contains("stale"));

    let out = make(&repo, "report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total = last_number(&out.stdout);
    assert!(total > 0, "the word count of the example texts");
    assert!(
        make(&repo, "check").status.success(),
        "current after report"
    );

    // `analysis` on a current project runs nothing: no new commit.
    let proj = TestRepo::at(&repo.path().join("analysis"));
    let head = proj.head();
    assert!(make(&repo, "analysis").status.success());
    assert_eq!(proj.head(), head);

    // A new text makes it stale; `analysis` brings it up to date; `verify` agrees.
    proj.write("data/text/new.txt", "one more text of seven words here\n");
    proj.ok(["add", "data"]);
    proj.ok(["commit", "-m", "a new text"]);
    assert!(!make(&repo, "check").status.success());
    assert!(make(&repo, "analysis").status.success());
    assert!(make(&repo, "check").status.success());
    let out = make(&repo, "verify");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = make(&repo, "report");
    let after = last_number(&out.stdout);
    assert_eq!(after, total + 7);
}
