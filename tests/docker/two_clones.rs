//! Two people, two clones, one remote: each changes different and the same files, pushes,
//! pulls with merge, resolves, reruns the pipeline; both end with the same trees, a clean
//! fsck, and provenance that traces the outputs through the merge.

use crate::common::{TestRepo, stderr_of};
use crate::{TEXTS, WORDCOUNT, project, require_docker, run_json, stage};

#[test]
fn two_clones_merge_resolve_rerun_and_agree() {
    if !require_docker() {
        return;
    }
    let a = project(WORDCOUNT, TEXTS);
    run_json(&a, &[]);
    let remote = a.base().join("remote");
    let url = remote.to_str().unwrap();
    a.ok(["remote", "add", "origin", url]);
    a.ok(["push"]);

    // b clones; pach.toml is git's to carry, so b takes it as git would.
    let b = TestRepo::new();
    b.ok(["clone", url, "."]);
    b.write("pach.toml", WORDCOUNT);

    // a changes a.txt and c.txt; b changes b.txt and c.txt, differently.
    a.write("data/text/a.txt", "one two three four\n");
    a.write("data/text/c.txt", "six seven\n");
    a.ok(["add", "data"]);
    a.ok(["commit", "-m", "a: longer a and c"]);
    run_json(&a, &[]);
    a.ok(["push"]);

    b.write("data/text/b.txt", "four five and more\n");
    b.write("data/text/c.txt", "six\nseven eight nine\n");
    b.ok(["add", "data"]);
    b.ok(["commit", "-m", "b: longer b and c"]);
    run_json(&b, &[]);
    b.pach(["push"]).assert().code(1);

    // b pulls with merge: c.txt conflicts, the outputs do not.
    let out = b.pach(["pull", "--merge", "--json"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(err.contains("`data/text/c.txt`"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["result"], "conflicts", "{v}");
    let conflicts: Vec<&str> = v["merge"]["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        conflicts,
        ["data/text/c.txt"],
        "outputs never conflict: {v}"
    );
    assert_eq!(
        b.read_str("data/text/a.txt"),
        "one two three four\n",
        "a's clean change"
    );

    // b resolves by taking a's c.txt, concludes, reruns: only the new combination runs.
    b.ok(["checkout", "--theirs", "data/text/c.txt"]);
    b.ok(["add", "data/text/c.txt"]);
    b.ok(["commit", "-m", "merge a's work"]);
    let run = run_json(&b, &[]);
    let count = stage(&run, "count");
    assert_eq!(
        count["ran"].as_array().unwrap().len(),
        0,
        "every text's count is cached: {run}"
    );
    assert_eq!(
        stage(&run, "total")["ran"].as_array().unwrap().len(),
        1,
        "{run}"
    );
    // 4 + 4 + 2 words.
    assert_eq!(b.read_str("total/total.txt").trim(), "10");
    b.ok(["push"]);

    a.ok(["pull"]);
    assert_eq!(a.head(), b.head());
    assert_eq!(a.ok(["ls", "--json"]), b.ok(["ls", "--json"]));
    assert_eq!(a.read_str("total/total.txt"), b.read_str("total/total.txt"));
    a.ok(["fsck"]);
    b.ok(["fsck"]);

    // Provenance of the total reaches b's b.txt and a's a.txt through the merge.
    let prov = a.ok(["provenance", "total/total.txt"]);
    assert!(
        prov.contains("data/text/a.txt") && prov.contains("data/text/b.txt"),
        "{prov}"
    );
    let log = a.json(["log", "--json", "-n", "2"]);
    assert_eq!(
        log[1]["parents"].as_array().unwrap().len(),
        2,
        "the merge commit: {log}"
    );
}
