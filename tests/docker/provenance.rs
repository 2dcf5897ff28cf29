//! `pach provenance` on the word-count pipeline (issue 4).

use predicates::str::contains;

use crate::{TEXTS, WORDCOUNT, project, require_docker, run_json};

#[test]
fn provenance_traces_wordcount_both_ways_and_verifies_objects() {
    if !require_docker() {
        return;
    }
    let mut texts = TEXTS.to_vec();
    texts.push(("data/text/fox.txt", "the quick brown fox\n"));
    let repo = project(WORDCOUNT, &texts);
    let added = repo.ok(["log", "--oneline", "-n", "1"]);
    let added = added.split_whitespace().next().unwrap().to_string();
    run_json(&repo, &[]);

    // Upstream: both stages, back to the files added by hand, with the commit that added them.
    let up = repo.ok(["provenance", "total/total.txt"]);
    assert!(up.starts_with("total/total.txt  "), "{up}");
    assert!(
        up.contains("stage total") && up.contains("stage count"),
        "{up}"
    );
    assert!(up.contains("counts/fox.txt.n"), "{up}");
    assert!(up.contains("data/text/fox.txt  "), "{up}");
    assert!(
        up.contains(&format!("added by hand in commit {added}")),
        "{up}"
    );
    let g = repo.json(["provenance", "--json", "total/total.txt"]);
    assert_eq!(g["schema"], "pach-provenance/1");
    let runs = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "run")
        .count();
    assert_eq!(runs, 5, "{g:#}");

    // Downstream: the derived files, with presence per branch.
    repo.pach(["branch", "other"]).assert().success();
    let down = repo.ok(["provenance", "--downstream", "data/text/fox.txt"]);
    assert!(down.contains("counts/fox.txt.n"), "{down}");
    assert!(down.contains("total/total.txt"), "{down}");
    assert!(
        down.contains("main: present") && down.contains("other: present"),
        "{down}"
    );
    let only = repo.ok([
        "provenance",
        "--downstream",
        "--branch",
        "other",
        "data/text/fox.txt",
    ]);
    assert!(!only.contains("main:"), "{only}");

    // A hand-added file says so; a missing path is a clear error.
    let hand = repo.ok(["provenance", "data/text/a.txt"]);
    assert!(hand.contains("added by hand"), "{hand}");
    repo.pach(["provenance", "nope.txt"])
        .assert()
        .code(1)
        .stderr(contains("`HEAD:nope.txt` does not exist at that revision"));

    // Commit-level provenance and `show` list the runs.
    let c = repo.ok(["provenance", "--commit", "HEAD"]);
    assert!(
        c.contains("stage count: 4 run(s)") && c.contains(&added),
        "{c}"
    );
    let show = repo.ok(["show"]);
    assert!(show.contains("Runs (5):"), "{show}");

    // --verify passes, then fails naming a corrupt log.
    repo.pach(["provenance", "--verify", "total/total.txt"])
        .assert()
        .success();
    let log = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "run" && n["stage"] == "total")
        .unwrap()["log"]
        .as_str()
        .unwrap()
        .to_string();
    let path = repo.object_path(&log);
    let mut perm = std::fs::metadata(&path).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&path, perm).unwrap();
    std::fs::write(&path, b"tampered").unwrap();
    repo.pach(["provenance", "--verify", "total/total.txt"])
        .assert()
        .code(4)
        .stderr(contains("log of run"))
        .stderr(contains(&log[..12]));
}
