//! What a killed `pach run` leaves is swept by `pach gc` and by the next run; failed runs'
//! logs outlive `gc` for their retention.

use std::time::Duration;

use crate::common::{TestRepo, stderr_of};
use crate::{containers_of, one_stage, project, require_docker, wait_until};

/// Starts `pach run` on two long datums and SIGKILLs it once both containers run; returns
/// the project, with the containers and work directories the run left.
fn killed_run() -> TestRepo {
    let repo = project(
        &one_stage("sleep 60; echo done > /pach/out/x", "parallelism = 2"),
        &[("data/text/a.txt", "a\n"), ("data/text/b.txt", "b\n")],
    );
    let mut child = repo
        .pach_std(["run"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = wait_until(Duration::from_secs(20), || containers_of(&repo).len() == 2);
    std::thread::sleep(Duration::from_millis(500));
    child.kill().unwrap(); // SIGKILL: no handler runs
    child.wait().unwrap();
    assert!(started, "no containers appeared");
    assert_eq!(
        containers_of(&repo).len(),
        2,
        "the killed run left no containers"
    );
    assert!(
        !work_dirs(&repo).is_empty(),
        "the killed run left no work dir"
    );
    repo
}

/// Removes the containers a killed run left if the test fails before pach does.
struct Leftovers<'a>(&'a TestRepo);

impl Drop for Leftovers<'_> {
    fn drop(&mut self) {
        let ids = containers_of(self.0);
        if !ids.is_empty() {
            let _ = std::process::Command::new("docker")
                .args(["rm", "-f"])
                .args(&ids)
                .output();
        }
    }
}

fn work_dirs(repo: &TestRepo) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(repo.pach_dir().join("work")) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn gc_removes_the_containers_and_work_dir_of_a_killed_run() {
    if !require_docker() {
        return;
    }
    let repo = killed_run();
    let _cleanup = Leftovers(&repo);
    let a = repo.pach(["gc"]).assert().success();
    let err = stderr_of(&a);
    assert!(err.contains("2 container(s)"), "{err}");
    assert_eq!(containers_of(&repo), Vec::<String>::new());
    assert_eq!(work_dirs(&repo), Vec::<std::path::PathBuf>::new());
}

#[test]
fn the_next_run_sweeps_what_a_killed_run_left() {
    if !require_docker() {
        return;
    }
    let repo = killed_run();
    let _cleanup = Leftovers(&repo);
    repo.pach(["run", "--dry-run"]).assert().success();
    assert_eq!(containers_of(&repo), Vec::<String>::new());
    assert_eq!(work_dirs(&repo), Vec::<std::path::PathBuf>::new());
}

#[test]
fn a_failed_runs_log_outlives_gc_within_its_retention_then_goes() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("echo why-it-failed; exit 3", ""),
        &[("data/text/a.txt", "a\n")],
    );
    repo.pach(["run"]).assert().failure();
    repo.pach(["gc", "--grace", "0"]).assert().success();
    let logs = repo.ok(["logs", "count"]);
    assert!(logs.contains("why-it-failed"), "{logs}");
    repo.pach(["fsck"]).assert().success();

    // Past its retention the run leaves the index and the store together.
    let a = repo
        .pach(["gc", "--grace", "0", "--keep-failed", "0"])
        .assert()
        .success();
    assert!(stderr_of(&a).contains("dropped 1"), "{}", stderr_of(&a));
    let a = repo.pach(["logs", "count"]).assert().failure();
    assert!(
        stderr_of(&a).contains("no runs of stage `count`"),
        "{}",
        stderr_of(&a)
    );
    repo.pach(["fsck"]).assert().success();
}

#[test]
fn a_bad_retention_is_refused_before_gc_changes_anything() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("echo why-it-failed; exit 3", ""),
        &[("data/text/a.txt", "a\n")],
    );
    repo.pach(["run"]).assert().failure();
    let before = repo.objects();
    let a = repo
        .pach(["gc", "--grace", "0", "--keep-failed", "soon"])
        .assert()
        .failure();
    assert!(stderr_of(&a).contains("`soon`"), "{}", stderr_of(&a));
    assert_eq!(repo.objects(), before);
    assert!(repo.ok(["logs", "count"]).contains("why-it-failed"));
}
