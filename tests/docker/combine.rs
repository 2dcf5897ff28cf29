//! Several inputs per stage: cross, union and join.

use crate::{IMAGE, ls, project, ran, require_docker, run_json, stage, toml_str};

/// A stage `pair` over inputs `a` (data/a) and `b` (data/b) with the given combine and globs.
fn two_inputs(combine: &str, glob_a: &str, glob_b: &str, join_on: &str, script: &str) -> String {
    format!(
        "[[stage]]\nname = \"pair\"\nimage = \"{IMAGE}\"\ncmd = [\"sh\", \"-c\", {}]\noutput = \"out\"\ncombine = \"{combine}\"\n\
         [[stage.input]]\nname = \"a\"\npath = \"data/a\"\nglob = \"{glob_a}\"\n{join_on}\n\
         [[stage.input]]\nname = \"b\"\npath = \"data/b\"\nglob = \"{glob_b}\"\n{join_on}\n",
        toml_str(script)
    )
}

#[test]
fn cross_pairs_every_datum_of_one_input_with_every_datum_of_the_other() {
    if !crate::require_docker() {
        return;
    }
    let script =
        "echo $(cat /pach/in/a/*)$(cat /pach/in/b/*) > /pach/out/$(ls /pach/in/a)-$(ls /pach/in/b)";
    let toml = two_inputs("cross", "/*", "/*", "", script);
    let repo = project(
        &toml,
        &[
            ("data/a/1", "x"),
            ("data/a/2", "y"),
            ("data/b/p", "P"),
            ("data/b/q", "Q"),
            ("data/b/r", "R"),
        ],
    );
    let out = run_json(&repo, &[]);
    assert_eq!(stage(&out, "pair")["datums"], 6, "{out:#}");
    assert_eq!(ran(&out, "pair").len(), 6);
    assert_eq!(
        ls(&repo, "out"),
        [
            "out/1-p", "out/1-q", "out/1-r", "out/2-p", "out/2-q", "out/2-r"
        ]
    );
    assert_eq!(repo.read_str("out/1-q"), "xQ\n");
    assert_eq!(repo.read_str("out/2-r"), "yR\n");
}

#[test]
fn union_runs_each_datum_of_each_input_alone() {
    if !require_docker() {
        return;
    }
    let script = "n=$(ls /pach/in/*/* | wc -l); for f in /pach/in/*/*; do echo $n $f > /pach/out/$(basename $f).u; done";
    let toml = two_inputs("union", "/*", "/*", "", script);
    let repo = project(
        &toml,
        &[
            ("data/a/1", "x"),
            ("data/a/2", "y"),
            ("data/b/p", "P"),
            ("data/b/q", "Q"),
            ("data/b/r", "R"),
        ],
    );
    let out = run_json(&repo, &[]);
    assert_eq!(stage(&out, "pair")["datums"], 5, "{out:#}");
    assert_eq!(
        ls(&repo, "out"),
        ["out/1.u", "out/2.u", "out/p.u", "out/q.u", "out/r.u"]
    );
    assert_eq!(repo.read_str("out/1.u"), "1 /pach/in/a/1\n");
    assert_eq!(repo.read_str("out/q.u"), "1 /pach/in/b/q\n");
}

#[test]
fn join_pairs_files_by_their_captured_stem() {
    if !require_docker() {
        return;
    }
    let script = "stem=$(basename /pach/in/a/*.csv .csv); ls -R /pach/in > /pach/out/$stem.ls";
    let toml = two_inputs("join", "/(*).csv", "/(*).json", "join_on = \"$1\"", script);
    let repo = project(
        &toml,
        &[
            ("data/a/x.csv", "1"),
            ("data/a/y.csv", "2"),
            ("data/a/z.csv", "3"),
            ("data/b/x.json", "{}"),
            ("data/b/y.json", "{}"),
            ("data/b/w.json", "{}"),
        ],
    );
    let out = run_json(&repo, &[]);
    assert_eq!(stage(&out, "pair")["datums"], 2, "{out:#}");
    assert_eq!(ls(&repo, "out"), ["out/x.ls", "out/y.ls"]);
    for (stem, other) in [("x", "y"), ("y", "x")] {
        let seen = repo.read_str(format!("out/{stem}.ls"));
        let files: Vec<&str> = seen
            .lines()
            .filter(|l| l.contains('.') && !l.ends_with(':'))
            .collect();
        assert_eq!(
            files,
            [format!("{stem}.csv"), format!("{stem}.json")],
            "{seen}"
        );
        assert!(
            !seen.contains(other) && !seen.contains('z') && !seen.contains('w'),
            "{seen}"
        );
    }
}
