//! Failing datums, retries, timeouts, missing images, bad pipelines and interruption.

use std::time::{Duration, Instant};

use crate::common::stderr_of;
use crate::{
    TEXTS, assert_no_containers, containers_of, datum_ids, one_stage, project, ran, require_docker,
    run_json, stage, wait_until,
};

#[test]
fn a_failing_datum_fails_the_run_and_the_others_resume_from_the_cache() {
    if !require_docker() {
        return;
    }
    let script = "f=$(ls /pach/in/text); if grep -q FAIL /pach/in/text/$f; then echo boom on $f; exit 3; fi; wc -w < /pach/in/text/$f > /pach/out/$f.n";
    let toml = one_stage(script, "parallelism = 3");
    let repo = project(
        &toml,
        &[
            ("data/text/a.txt", "one two three\n"),
            ("data/text/b.txt", "FAIL here\n"),
            ("data/text/c.txt", "six\n"),
        ],
    );
    let ids = datum_ids(&repo, "count");
    let bad = &ids["text:b.txt"];
    let head = repo.head();
    let a = repo.pach(["run"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains("count"), "{err}");
    assert!(err.contains(bad.as_str()), "names the datum {bad}: {err}");
    assert!(err.contains("boom on b.txt"), "shows the log tail: {err}");
    assert!(err.contains('3'), "shows the exit status: {err}");
    assert_eq!(repo.head(), head, "HEAD did not move");
    assert!(!repo.exists("counts"));
    assert_no_containers(&repo);

    // Fix the input: only that datum runs; the others come from the cache.
    repo.commit_files("fix b", &[("data/text/b.txt", "four five\n")]);
    let out = run_json(&repo, &[]);
    let r = ran(&out, "count");
    assert_eq!(r.len(), 1, "{out:#}");
    assert_eq!(r[0]["inputs"], serde_json::json!(["text:b.txt"]));
    assert_eq!(stage(&out, "count")["reused"], 2, "{out:#}");
    assert_eq!(repo.read_str("counts/a.txt.n").trim(), "3");
    assert_eq!(repo.read_str("counts/b.txt.n").trim(), "2");
    assert_eq!(repo.read_str("counts/c.txt.n").trim(), "1");
}

#[test]
fn retries_rerun_a_failed_datum_until_it_succeeds() {
    if !require_docker() {
        return;
    }
    // Fails the first time in a worker (no marker in its /tmp yet), succeeds the second.
    let script = "if [ -e /tmp/tried ]; then echo ok > /pach/out/r.txt; else touch /tmp/tried; echo first try fails; exit 1; fi";
    let repo = project(
        &one_stage(script, "retries = 2"),
        &[("data/text/a.txt", "x\n")],
    );
    let out = run_json(&repo, &[]);
    assert_eq!(ran(&out, "count").len(), 1);
    assert_eq!(repo.read_str("counts/r.txt"), "ok\n");

    // Without retries the same command fails.
    let repo = project(&one_stage(script, ""), &[("data/text/a.txt", "x\n")]);
    let a = repo.pach(["run"]).assert().failure();
    assert!(
        stderr_of(&a).contains("first try fails"),
        "{}",
        stderr_of(&a)
    );
}

#[test]
fn a_datum_that_runs_past_its_timeout_is_stopped_with_a_clear_error() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("sleep 30", "timeout = \"1s\""),
        &[("data/text/a.txt", "x\n")],
    );
    let head = repo.head();
    let start = Instant::now();
    let a = repo
        .pach(["run"])
        .timeout(Duration::from_secs(40))
        .assert()
        .failure();
    let took = start.elapsed();
    let err = stderr_of(&a);
    assert!(took < Duration::from_secs(15), "took {took:?}: {err}");
    assert!(err.contains("timed out"), "{err}");
    assert!(err.contains("count"), "{err}");
    let logs = repo.ok(["logs", "count"]);
    assert!(logs.contains("timed out after 1s"), "{logs}");
    assert_eq!(repo.head(), head);
    assert_no_containers(&repo);
}

#[test]
fn a_missing_image_is_a_clear_error_that_says_how_to_make_it() {
    if !require_docker() {
        return;
    }
    let toml = one_stage("true", "").replace(crate::IMAGE, "pach-test/does-not-exist:1");
    let repo = project(&toml, TEXTS);
    let before = repo.snapshot();
    let a = repo.pach(["run"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains("pach-test/does-not-exist:1"), "{err}");
    assert!(err.contains("pulled"), "{err}");
    assert!(
        err.contains("docker build") || err.contains("docker load"),
        "{err}"
    );
    repo.assert_unchanged(&before);
}

#[test]
fn an_unreachable_daemon_is_an_error_naming_the_socket() {
    if !require_docker() {
        return;
    }
    let repo = project(&one_stage("true", ""), TEXTS);
    let before = repo.snapshot();
    let a = repo
        .pach(["run"])
        .env("DOCKER_HOST", "unix:///nonexistent.sock")
        .assert()
        .failure();
    let err = stderr_of(&a);
    assert!(err.contains("/nonexistent.sock"), "{err}");
    repo.assert_unchanged(&before);
}

/// Asserts that `pach run` fails on `toml` with stderr containing each of `needles`, changing nothing.
fn invalid(toml: &str, needles: &[&str]) {
    let repo = project(toml, TEXTS);
    let before = repo.snapshot();
    let a = repo.pach(["run"]).assert().failure();
    let err = stderr_of(&a);
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in: {err}");
    }
    repo.assert_unchanged(&before);
}

#[test]
fn invalid_pipelines_are_refused_naming_the_place_and_change_nothing() {
    if !require_docker() {
        return;
    }
    // Unknown key on line 6, column 1.
    let toml = one_stage("true", "colour = \"red\"");
    assert_eq!(toml.lines().nth(5), Some("colour = \"red\""));
    invalid(&toml, &["pach.toml:6:1", "colour"]);

    let cycle = format!(
        "[[stage]]\nname = \"a\"\nimage = \"{img}\"\ncmd = [\"true\"]\noutput = \"aout\"\n[[stage.input]]\nname = \"x\"\npath = \"bout\"\n\n\
         [[stage]]\nname = \"b\"\nimage = \"{img}\"\ncmd = [\"true\"]\noutput = \"bout\"\n[[stage.input]]\nname = \"x\"\npath = \"aout\"\n",
        img = crate::IMAGE
    );
    invalid(&cycle, &["pach.toml:", "cycle", "a -> b -> a"]);

    let untracked = one_stage("true", "").replace("data/text", "data/nothere");
    invalid(&untracked, &["pach.toml:", "data/nothere", "not tracked"]);

    let overlap =
        one_stage("true", "").replace("output = \"counts\"", "output = \"data/text/out\"");
    invalid(&overlap, &["pach.toml:5:", "data/text"]);

    let bad_name = one_stage("true", "").replace("name = \"count\"", "name = \"Count Me\"");
    invalid(&bad_name, &["pach.toml:2:", "Count Me"]);
}

#[test]
fn sigterm_removes_every_container_of_the_run_and_changes_nothing() {
    if !require_docker() {
        return;
    }
    interrupt("-TERM");
}

#[test]
fn sigint_removes_every_container_of_the_run_and_changes_nothing() {
    if !require_docker() {
        return;
    }
    interrupt("-INT");
}

/// Starts `pach run` on two 20-second datums, sends `signal` once both containers run, and
/// checks that the run stops, leaves no container and changes nothing.
fn interrupt(signal: &str) {
    let repo = project(
        &one_stage("sleep 20; echo done > /pach/out/x", "parallelism = 2"),
        &[("data/text/a.txt", "a\n"), ("data/text/b.txt", "b\n")],
    );
    let before = repo.snapshot();
    let mut child = repo
        .pach_std(["run"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = wait_until(Duration::from_secs(15), || containers_of(&repo).len() == 2);
    // Let the commands start in the warm containers.
    std::thread::sleep(Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    let out = loop {
        if let Some(_status) = child.try_wait().unwrap() {
            break child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(15) {
            child.kill().unwrap();
            panic!("pach run did not stop within 15 s of {signal}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(started, "no containers appeared");
    assert!(!out.status.success(), "{:?}", out.status);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("interrupted"), "{err}");
    assert_no_containers(&repo);
    assert_eq!(repo.head(), before.log_head());
    let now = repo.snapshot();
    assert_eq!(before.worktree, now.worktree, "working tree changed");
    assert_eq!(before.branches, now.branches, "refs changed");
    assert_eq!(before.status, now.status, "status changed");
}

trait LogHead {
    fn log_head(&self) -> String;
}

impl LogHead for crate::common::Snapshot {
    fn log_head(&self) -> String {
        let v: serde_json::Value = serde_json::from_str(&self.log).unwrap();
        v[0]["id"].as_str().unwrap().to_string()
    }
}
