//! The normal path: running, incremental reruns, the run cache, run records, commit hooks.

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

use crate::common::{TestRepo, stderr_of};
use crate::{
    TEXTS, WORDCOUNT, assert_no_containers, containers_of, ls, one_stage, project, ran,
    require_docker, run_json, run_record, show, stage,
};

fn wordcount() -> TestRepo {
    project(WORDCOUNT, TEXTS)
}

#[test]
fn wordcount_counts_each_file_and_the_total_in_one_commit() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    let before = repo.head();
    let out = run_json(&repo, &[]);
    assert_eq!(stage(&out, "count")["datums"], 3);
    assert_eq!(ran(&out, "count").len(), 3);
    assert_eq!(ran(&out, "total").len(), 1);
    assert_eq!(out["dry_run"], false);

    for (f, n) in [("a", "3"), ("b", "2"), ("c", "1")] {
        assert_eq!(
            repo.read_str(format!("counts/{f}.txt.n")).trim(),
            n,
            "count of {f}"
        );
    }
    assert_eq!(repo.read_str("total/total.txt").trim(), "6");

    // One new commit on top of the inputs, holding every output.
    let head = repo.head();
    assert_eq!(out["commit"].as_str().unwrap(), head);
    let c = show(&repo);
    assert_eq!(c["parents"][0].as_str().unwrap(), before);
    assert!(
        c["message"].as_str().unwrap().starts_with("pach run:"),
        "{}",
        c["message"]
    );
    assert_eq!(c["runs"].as_array().unwrap().len(), 4);
    // The branch moved by the run is in the reflog as such.
    let moved = repo.json(["reflog", "main", "--json", "-n", "1"]);
    assert_eq!(
        (moved[0]["action"].as_str(), moved[0]["new"].as_str()),
        (Some("run"), Some(head.as_str()))
    );
    assert_eq!(
        ls(&repo, "counts"),
        ["counts/a.txt.n", "counts/b.txt.n", "counts/c.txt.n"]
    );
    assert_eq!(ls(&repo, "total"), ["total/total.txt"]);

    let st = repo.json(["status", "--json"]);
    assert_eq!(st["staged"], serde_json::json!([]), "{st:#}");
    assert_eq!(st["unstaged"], serde_json::json!([]), "{st:#}");
    assert_eq!(st["untracked"], serde_json::json!([]), "{st:#}");

    // Nothing is stale now.
    let again = run_json(&repo, &[]);
    assert!(ran(&again, "count").is_empty(), "{again:#}");
    assert!(ran(&again, "total").is_empty(), "{again:#}");
    assert_eq!(stage(&again, "count")["reused"], 3);
    assert_eq!(again["commit"], serde_json::Value::Null);
    assert_eq!(repo.head(), head);
    assert_no_containers(&repo);
}

#[test]
fn changing_adding_and_deleting_inputs_reruns_only_those_datums() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    run_json(&repo, &[]);

    // Change 1 of 3.
    repo.commit_files("b longer", &[("data/text/b.txt", "four five and more\n")]);
    let out = run_json(&repo, &[]);
    let r = ran(&out, "count");
    assert_eq!(r.len(), 1, "{out:#}");
    assert_eq!(r[0]["reason"], "changed-input");
    assert_eq!(r[0]["inputs"], serde_json::json!(["text:b.txt"]));
    assert_eq!(stage(&out, "count")["reused"], 2);
    assert_eq!(repo.read_str("counts/b.txt.n").trim(), "4");
    assert_eq!(repo.read_str("total/total.txt").trim(), "8");

    // A new file.
    repo.commit_files("d", &[("data/text/d.txt", "seven eight\n")]);
    let out = run_json(&repo, &[]);
    let r = ran(&out, "count");
    assert_eq!(r.len(), 1, "{out:#}");
    assert_eq!(r[0]["reason"], "new-input");
    assert_eq!(r[0]["inputs"], serde_json::json!(["text:d.txt"]));
    assert_eq!(repo.read_str("counts/d.txt.n").trim(), "2");
    assert_eq!(repo.read_str("total/total.txt").trim(), "10");

    // A deleted file: its output goes from the working tree and the commit.
    repo.pach(["rm", "data/text/a.txt"]).assert().success();
    repo.commit("no a");
    let out = run_json(&repo, &[]);
    assert!(ran(&out, "count").is_empty(), "{out:#}");
    assert!(out["commit"].is_string(), "{out:#}");
    assert!(!repo.exists("counts/a.txt.n"));
    assert_eq!(
        ls(&repo, "counts"),
        ["counts/b.txt.n", "counts/c.txt.n", "counts/d.txt.n"]
    );
    assert_eq!(repo.read_str("total/total.txt").trim(), "7");
    assert_no_containers(&repo);
}

#[test]
fn dry_run_lists_reasons_and_changes_nothing_and_force_reruns_all() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    let before = repo.snapshot();
    let out = run_json(&repo, &["--dry-run"]);
    assert_eq!(out["dry_run"], true);
    assert_eq!(out["commit"], serde_json::Value::Null);
    let r = ran(&out, "count");
    assert_eq!(r.len(), 3);
    assert!(r.iter().all(|d| d["reason"] == "new-input"), "{out:#}");
    let mut inputs: Vec<&str> = r.iter().map(|d| d["inputs"][0].as_str().unwrap()).collect();
    inputs.sort();
    assert_eq!(inputs, ["text:a.txt", "text:b.txt", "text:c.txt"]);
    repo.assert_unchanged(&before);
    assert!(!repo.exists("counts"));

    // The text form names the datums and why.
    repo.pach(["run", "--dry-run"])
        .assert()
        .success()
        .stdout(contains("text:a.txt").and(contains("new input")));
    repo.assert_unchanged(&before);

    run_json(&repo, &[]);

    // A changed command makes every datum of that stage stale.
    let toml = WORDCOUNT.replace("wc -w <", "wc -w <  ");
    repo.write("pach.toml", &toml);
    let out = run_json(&repo, &["--dry-run", "count"]);
    let r = ran(&out, "count");
    assert_eq!(r.len(), 3, "{out:#}");
    assert!(r.iter().all(|d| d["reason"] == "changed-stage"), "{out:#}");
    repo.write("pach.toml", WORDCOUNT);

    // --force ignores the cache.
    let head = repo.head();
    let out = run_json(&repo, &["--force"]);
    assert_eq!(ran(&out, "count").len(), 3);
    assert_eq!(ran(&out, "total").len(), 1);
    assert!(
        ran(&out, "count").iter().all(|d| d["reason"] == "forced"),
        "{out:#}"
    );
    assert_eq!(stage(&out, "count")["reused"], 0);
    // Same outputs: nothing new to commit.
    assert_eq!(out["commit"], serde_json::Value::Null);
    assert_eq!(repo.head(), head);
}

#[test]
fn datums_computed_on_another_branch_are_reused_without_a_container() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    repo.pach(["branch", "exp"]).assert().success();
    repo.pach(["checkout", "exp"]).assert().success();
    let out = run_json(&repo, &[]);
    assert_eq!(ran(&out, "count").len(), 3);
    repo.pach(["checkout", "main"]).assert().success();
    assert!(!repo.exists("counts"));
    // The same inputs, in another commit.
    repo.commit_files("unrelated", &[("notes.txt", "hello\n")]);

    let out = run_json(&repo, &[]);
    assert_eq!(stage(&out, "count")["reused"], 3, "{out:#}");
    assert_eq!(stage(&out, "total")["reused"], 1, "{out:#}");
    assert!(ran(&out, "count").is_empty(), "{out:#}");
    assert!(ran(&out, "total").is_empty(), "{out:#}");
    assert!(
        out["commit"].is_string(),
        "outputs are committed on main: {out:#}"
    );
    assert_eq!(repo.read_str("total/total.txt").trim(), "6");
    assert!(containers_of(&repo).is_empty());
}

#[test]
fn run_records_hold_what_ran_and_logs_are_printed() {
    if !require_docker() {
        return;
    }
    let script =
        "f=$(ls /pach/in/text); echo hello from $f; wc -w < /pach/in/text/$f > /pach/out/$f.n";
    let toml = one_stage(script, "env = { GREETING = \"hi\" }");
    let repo = project(&toml, &[("data/text/a.txt", "one two three\n")]);
    let out = run_json(&repo, &[]);
    let r = ran(&out, "count");
    assert_eq!(r.len(), 1);
    let run_id = r[0]["run"].as_str().unwrap();
    assert_eq!(show(&repo)["runs"], serde_json::json!([run_id]));

    let rec = run_record(&repo, run_id);
    assert_eq!(rec["stage"], "count");
    assert_eq!(rec["image"]["tag"], crate::IMAGE);
    assert!(
        rec["image"]["id"].as_str().unwrap().starts_with("sha256:"),
        "{rec:#}"
    );
    assert_eq!(rec["image"]["id"], stage(&out, "count")["image"]["id"]);
    assert_eq!(rec["cmd"], serde_json::json!(["sh", "-c", script]));
    assert_eq!(rec["env"], serde_json::json!({"GREETING": "hi"}));
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    assert_eq!(rec["runner"]["user"], format!("{uid}:{gid}"));
    assert_eq!(rec["runner"]["kind"], "docker");

    let input = repo.read("data/text/a.txt");
    assert_eq!(
        rec["inputs"],
        serde_json::json!([{
            "input": "text",
            "path": "data/text/a.txt",
            "id": blake3::hash(&input).to_hex().to_string(),
        }])
    );
    let outputs = rec["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 1, "{rec:#}");
    assert_eq!(outputs[0]["path"], "counts/a.txt.n");
    let produced = repo.read("counts/a.txt.n");
    assert_eq!(
        outputs[0]["id"].as_str().unwrap(),
        blake3::hash(&produced).to_hex().to_string()
    );
    assert_eq!(rec["exit"], 0);
    let (start, end) = (
        rec["start_ms"].as_i64().unwrap(),
        rec["end_ms"].as_i64().unwrap(),
    );
    assert!(start > 0 && start <= end, "{start} {end}");
    let log = std::fs::read(repo.object_path(rec["log"].as_str().unwrap())).unwrap();
    assert_eq!(String::from_utf8_lossy(&log), "hello from a.txt\n");

    let datum = r[0]["datum"].as_str().unwrap();
    repo.pach(["logs", "count"])
        .assert()
        .success()
        .stdout(contains("hello from a.txt").and(contains(datum)));
    repo.pach(["logs", "count", "--datum", &datum[..6]])
        .assert()
        .success()
        .stdout(contains("hello from a.txt"));
}

#[test]
fn commit_with_run_and_run_on_commit_run_the_stale_stages() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    repo.write("data/text/a.txt", "just two\n");
    repo.pach(["add", "data"]).assert().success();
    repo.pach(["commit", "--run", "-m", "shorter a"])
        .assert()
        .success();
    let c = show(&repo);
    assert!(
        c["message"].as_str().unwrap().starts_with("pach run:"),
        "{c:#}"
    );
    assert_eq!(repo.read_str("counts/a.txt.n").trim(), "2");
    assert_eq!(repo.read_str("total/total.txt").trim(), "5");

    // With run_on_commit, a plain commit runs them too.
    let toml = format!("[settings]\nrun_on_commit = true\n{WORDCOUNT}");
    repo.write("pach.toml", &toml);
    repo.write("data/text/c.txt", "six seven eight nine\n");
    repo.pach(["add", "data", "pach.toml"]).assert().success();
    repo.pach(["commit", "-m", "longer c"]).assert().success();
    let c = show(&repo);
    assert!(
        c["message"].as_str().unwrap().starts_with("pach run:"),
        "{c:#}"
    );
    assert_eq!(repo.read_str("counts/c.txt.n").trim(), "4");
    assert_eq!(repo.read_str("total/total.txt").trim(), "8");
    assert_no_containers(&repo);
}

#[test]
fn uncommitted_input_changes_are_not_used_and_a_warning_says_so() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    repo.write("data/text/a.txt", "many many many many many words\n");
    let a = repo.pach(["run"]).assert().success();
    let err = stderr_of(&a);
    assert!(err.contains("uncommitted"), "{err}");
    assert!(err.contains("data/text/a.txt"), "{err}");
    assert_eq!(
        repo.read_str("counts/a.txt.n").trim(),
        "3",
        "HEAD's content"
    );
    assert_eq!(repo.read_str("total/total.txt").trim(), "6");
    // The change itself is left alone.
    assert_eq!(
        repo.read_str("data/text/a.txt"),
        "many many many many many words\n"
    );
}

#[test]
fn run_watch_runs_new_commits_and_stops_cleanly_on_sigterm() {
    if !require_docker() {
        return;
    }
    let repo = wordcount();
    let mut child = repo
        .pach_std(["run", "--watch"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let wait_for = |what: &str, done: &dyn Fn() -> bool| {
        let start = std::time::Instant::now();
        while !done() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "timed out waiting for {what}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    };
    let total = |repo: &TestRepo| {
        repo.exists("total/total.txt")
            .then(|| repo.read_str("total/total.txt"))
    };
    wait_for("the first run", &|| {
        total(&repo).is_some_and(|t| t.trim() == "6")
    });
    // A new commit while watching: the watcher runs what it made stale. The watcher holds
    // the repository's lock while it finishes a run (its outputs appear before its commit),
    // and a command meanwhile is refused as locked, so try again until it is idle.
    repo.write("data/text/d.txt", "seven eight nine ten\n");
    let when_idle = |args: &[&str]| {
        let start = std::time::Instant::now();
        loop {
            let out = repo.pach(args).output().unwrap();
            if out.status.success() {
                return;
            }
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.code() == Some(3) && err.contains("locked"),
                "{args:?}: {err}"
            );
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "{err}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    when_idle(&["add", "data"]);
    when_idle(&["commit", "-m", "more text"]);
    wait_for("the second run", &|| {
        total(&repo).is_some_and(|t| t.trim() == "10")
    });
    let pid = rustix::process::Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "pach run --watch ignored SIGTERM"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(status.success(), "{status:?}: {err}");
    assert!(err.contains("stopped watching"), "{err}");
    assert_no_containers(&repo);
    let log = repo.ok(["log", "--oneline"]);
    assert_eq!(log.matches("pach run:").count(), 2, "{log}");
}

#[test]
fn run_verbose_streams_container_output_prefixed_by_stage_and_datum() {
    if !require_docker() {
        return;
    }
    let script = "for f in /pach/in/text/*; do echo \"hello from $(basename $f)\"; wc -w < $f > /pach/out/$(basename $f).n; done";
    let repo = project(&crate::one_stage(script, ""), TEXTS);
    let a = repo.pach(["run", "-v"]).assert().success();
    let err = stderr_of(&a);
    for f in ["a.txt", "b.txt", "c.txt"] {
        let line = err
            .lines()
            .find(|l| l.ends_with(&format!(": hello from {f}")))
            .unwrap_or_else(|| panic!("no streamed line for {f}: {err}"));
        // `<stage>/<datum id>: <line>`
        let prefix = line.split(": ").next().unwrap();
        let (stage, datum) = prefix.split_once('/').unwrap();
        assert_eq!(stage, "count", "{line}");
        assert_eq!(datum.len(), 12, "{line}");
    }
}

#[test]
fn merge_run_recomputes_only_the_new_combination_reusing_both_branches_runs() {
    if !require_docker() {
        return;
    }
    let repo = project(WORDCOUNT, TEXTS);
    run_json(&repo, &[]);
    repo.ok(["checkout", "-b", "x"]);
    repo.write("data/text/x.txt", "from x\n");
    repo.ok(["add", "data"]);
    repo.ok(["commit", "-m", "x text"]);
    run_json(&repo, &[]);
    repo.ok(["checkout", "main"]);
    repo.write("data/text/m.txt", "from main too\n");
    repo.ok(["add", "data"]);
    repo.ok(["commit", "-m", "main text"]);
    run_json(&repo, &[]);

    let out = repo.json(["merge", "--json", "--run", "x"]);
    assert_eq!(out["result"], "merged", "{out}");
    assert_eq!(
        out["stale_stages"],
        serde_json::json!(["count", "total"]),
        "{out}"
    );
    let run = &out["run"];
    let count = stage(run, "count");
    assert_eq!(
        count["ran"].as_array().unwrap().len(),
        0,
        "every count datum is cached: {run}"
    );
    assert_eq!(count["reused"], 5, "{run}");
    assert_eq!(
        stage(run, "total")["ran"].as_array().unwrap().len(),
        1,
        "{run}"
    );
    // 3 + 2 + 1 words, 2 from x, 3 from main.
    assert_eq!(repo.read_str("total/total.txt").trim(), "11");
    repo.ok(["fsck"]);
}
