//! `pach purge` on the word-count pipeline (issue 14): the report follows provenance to
//! every derived output, and a run that would read purged content names the purge.

use predicates::str::contains;

use crate::{TEXTS, WORDCOUNT, project, require_docker, run_json};

use crate::common::{TestRepo, files_holding as holding};

/// The word-count project with `data/text/fox.txt` holding `fox` beside the usual texts, run.
fn with_fox(fox: &str) -> TestRepo {
    let mut texts = TEXTS.to_vec();
    texts.push(("data/text/fox.txt", fox));
    let repo = project(WORDCOUNT, &texts);
    run_json(&repo, &[]);
    repo
}

/// The total of a word-count project of the usual texts (no fox), run: what a rerun
/// without the purged file must give.
fn clean_total() -> Vec<u8> {
    let clean = project(WORDCOUNT, TEXTS);
    run_json(&clean, &[]);
    let out = clean
        .pach(["cat", "HEAD:total/total.txt"])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn purge_reports_every_derived_output_and_a_run_needing_the_content_names_the_purge() {
    if !require_docker() {
        return;
    }
    let repo = with_fox("the quick brown fox\n");
    let args = [
        "purge",
        "HEAD:data/text/fox.txt",
        "--reason",
        "erasure",
        "--json",
    ];
    let report = repo.json(args);
    let derived: Vec<(String, String)> = report["impact"]["derived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["stage"].as_str().unwrap().into(),
                d["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        derived,
        [
            ("count".to_string(), "counts/fox.txt.n".to_string()),
            ("total".to_string(), "total/total.txt".to_string())
        ],
        "{report:#}"
    );
    assert_eq!(report["impact"]["runs"], 2, "{report:#}");
    repo.pach([
        "purge",
        "HEAD:data/text/fox.txt",
        "--reason",
        "erasure",
        "--yes",
    ])
    .assert()
    .success();
    // The outputs stay (`--derived` is not built yet), and a run that must read the purged
    // input again fails naming the purge.
    repo.pach(["cat", "HEAD:total/total.txt"])
        .assert()
        .success();
    let toml = WORDCOUNT.replace("LANG = \"C\"", "LANG = \"POSIX\"");
    repo.commit_files("another env", &[("pach.toml", &toml)]);
    repo.pach(["run"])
        .assert()
        .code(5)
        .stderr(contains("was purged by"))
        .stderr(contains("erasure"));
}

#[test]
fn purge_derived_erases_outputs_and_logs_and_a_run_without_the_file_recomputes_them() {
    if !require_docker() {
        return;
    }
    let repo = with_fox("the quick brown fox\n");
    let want = clean_total();
    let before = repo.pach(["cat", "HEAD:total/total.txt"]).output().unwrap();
    assert_ne!(before.stdout, want, "the fox counts in the total");

    repo.pach([
        "purge",
        "HEAD:data/text/fox.txt",
        "--reason",
        "erasure",
        "--derived",
        "--yes",
    ])
    .assert()
    .success();
    for p in ["HEAD:counts/fox.txt.n", "HEAD:total/total.txt"] {
        repo.pach(["cat", p])
            .assert()
            .code(5)
            .stderr(contains("erasure"));
    }
    repo.pach(["logs", "total"])
        .assert()
        .code(5)
        .stderr(contains("was purged by"));
    repo.pach(["fsck"]).assert().success();
    // Without the file, the run computes the total again (its cached run was dropped) and
    // it is the total of the data without it.
    repo.pach(["rm", "data/text/fox.txt"]).assert().success();
    repo.pach(["commit", "-m", "without the fox"])
        .assert()
        .success();
    repo.pach(["run"]).assert().success();
    let after = repo.pach(["cat", "HEAD:total/total.txt"]).output().unwrap();
    assert!(after.status.success());
    assert_eq!(after.stdout, want);
}

#[test]
fn purge_rerun_commits_without_the_content_and_recomputes_what_it_fed() {
    if !require_docker() {
        return;
    }
    let repo = with_fox("zebraquokka zebraquokka\n");
    let want = clean_total();
    let ids_before = repo.pach(["log", "--oneline"]).output().unwrap();
    repo.pach([
        "purge",
        "HEAD:data/text/fox.txt",
        "--reason",
        "erasure",
        "--derived",
        "--yes",
        "--rerun",
    ])
    .assert()
    .success()
    .stderr(contains("without the purged content"));
    let root = repo.path();
    assert!(
        !root.join("data/text/fox.txt").exists(),
        "the working-tree copy is gone"
    );
    assert!(!root.join("counts/fox.txt.n").exists());
    assert_eq!(
        holding(&root.join(".pach"), b"zebraquokka"),
        Vec::<std::path::PathBuf>::new()
    );
    let after = repo.pach(["cat", "HEAD:total/total.txt"]).output().unwrap();
    assert!(after.status.success());
    assert_eq!(after.stdout, want, "the total of the data without the file");
    // History is kept: every old commit id is still there, under the new one.
    let ids_after = repo.pach(["log", "--oneline"]).output().unwrap();
    let (before, after) = (
        String::from_utf8(ids_before.stdout).unwrap(),
        String::from_utf8(ids_after.stdout).unwrap(),
    );
    assert!(
        ids_after.status.success() && before.lines().count() >= 2,
        "{before}"
    );
    // The commit without the content, then the run's commit of the recomputed outputs.
    assert_eq!(after.lines().count(), before.lines().count() + 2, "{after}");
    assert!(after.ends_with(&before), "{after}\n---\n{before}");
    repo.pach(["log", "-n", "2"])
        .assert()
        .stdout(contains("Remove the content of purge"));
    repo.pach(["fsck"]).assert().success();
    repo.pach(["status", "--json"]).assert().success();
}

/// Issue 14's end to end: a marker in one input of the two-stage pipeline, pushed to a
/// directory remote and cloned; `purge --derived --all-remotes --rerun` leaves no byte of it
/// under `.pach/`, the remote or a fresh clone, keeps every commit id, and the rerun's total
/// is a clean project's. (The same purge through S3 is tests/remote/purge.rs.)
#[test]
fn purge_derived_all_remotes_rerun_end_to_end() {
    if !require_docker() {
        return;
    }
    const MARKER: &[u8] = b"wombatmarker";
    let repo = with_fox("wombatmarker wombatmarker jumps\n");
    let remote = repo.base().join("remote");
    repo.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.ok(["push"]);
    let early = TestRepo::new();
    early.ok(["clone", remote.to_str().unwrap(), "."]);
    assert!(
        !holding(&remote, MARKER).is_empty()
            && !holding(&early.path().join(".pach"), MARKER).is_empty()
    );
    let old_total = repo.ok(["log", "--oneline", "-n", "1"]);
    let old_head = old_total.split_whitespace().next().unwrap().to_string();
    let log_before = repo.ok(["log", "--oneline"]);

    repo.pach([
        "purge",
        "HEAD:data/text/fox.txt",
        "--reason",
        "erasure request",
        "--derived",
        "--all-remotes",
        "--yes",
        "--rerun",
    ])
    .assert()
    .success();
    let none: Vec<std::path::PathBuf> = Vec::new();
    assert_eq!(holding(&repo.path().join(".pach"), MARKER), none);
    assert_eq!(holding(&remote, MARKER), none, "nothing left on the remote");
    let fresh = TestRepo::new();
    fresh.ok(["clone", remote.to_str().unwrap(), "."]);
    assert_eq!(holding(fresh.path(), MARKER), none, "nor in a fresh clone");
    early.ok(["pull"]);
    assert_eq!(
        holding(&early.path().join(".pach"), MARKER),
        none,
        "a trusted pull erases"
    );
    // History and ids stay; the purge shows as the commit that removed the content.
    let log_after = repo.ok(["log", "--oneline"]);
    assert!(
        log_after.ends_with(&log_before),
        "{log_after}\n---\n{log_before}"
    );
    assert!(
        log_after.contains("Remove the content of purge"),
        "{log_after}"
    );
    for r in [&repo, &fresh, &early] {
        r.pach(["fsck"]).assert().success();
    }
    let list = |r: &TestRepo| r.json(["purge", "--list", "--json"]).to_string();
    assert_eq!(list(&repo), list(&fresh));
    assert_eq!(list(&repo), list(&early));
    // Provenance of the old total still answers, with the purged nodes marked.
    let spec = format!("{old_head}:total/total.txt");
    let g = repo.json(["provenance", spec.as_str(), "--json"]);
    let purged = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n.get("purged").is_some())
        .count();
    assert!(purged >= 2, "the fox and its count at least: {g:#}");
    // The rerun's total is that of the data without the file.
    assert_eq!(
        repo.ok(["cat", "HEAD:total/total.txt"]).into_bytes(),
        clean_total()
    );
}
