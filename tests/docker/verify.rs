//! `pach run --verify`: recomputing HEAD's recorded runs and comparing output hashes.

use crate::common::stderr_of;
use crate::{TEXTS, WORDCOUNT, one_stage, project, require_docker, run_json};

#[test]
fn a_deterministic_pipeline_verifies_and_changes_nothing() {
    if !require_docker() {
        return;
    }
    let repo = project(WORDCOUNT, TEXTS);
    run_json(&repo, &[]);
    let before = repo.snapshot();
    let v = repo.json(["run", "--verify", "--json"]);
    assert_eq!(v["runs"], 4, "{v}");
    assert_eq!(v["mismatches"].as_array().unwrap().len(), 0, "{v}");
    repo.assert_unchanged(&before);
}

#[test]
fn a_stage_that_writes_the_time_fails_verification_naming_stage_and_file() {
    if !require_docker() {
        return;
    }
    let script = "for f in /pach/in/text/*; do { date; cat /proc/uptime; } > /pach/out/$(basename $f).n; done";
    let repo = project(&one_stage(script, ""), TEXTS);
    run_json(&repo, &[]);
    let before = repo.snapshot();
    let a = repo.pach(["run", "--verify"]).assert().code(4);
    let out = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    for f in ["a", "b", "c"] {
        assert!(out.contains("stage count datum"), "{out}");
        assert!(out.contains(&format!("counts/{f}.txt.n differs")), "{out}");
    }
    assert!(
        stderr_of(&a).contains("3 output file(s) differ from their run records"),
        "{}",
        stderr_of(&a)
    );
    // Verification keeps nothing: no commit, no cache entry, same working tree.
    repo.assert_unchanged(&before);
    let again = run_json(&repo, &[]);
    assert_eq!(again["commit"], serde_json::Value::Null, "{again}");
}

#[test]
fn verify_refuses_when_the_stage_changed_since_its_outputs_were_made() {
    if !require_docker() {
        return;
    }
    let repo = project(WORDCOUNT, TEXTS);
    run_json(&repo, &[]);
    let changed = WORDCOUNT.replace("wc -w", "wc -l");
    repo.write("pach.toml", changed);
    let a = repo.pach(["run", "--verify", "count"]).assert().code(1);
    assert!(
        stderr_of(&a).contains("differs from the definition that made its outputs"),
        "{}",
        stderr_of(&a)
    );
}
