//! `pach merge`: fast-forward, three-way merges, conflicts and their resolution, `-X`,
//! `--abort`, derived outputs, and the bad cases (unrelated and criss-cross histories, a file
//! against a directory, staged and unstaged changes, a merge already in progress).

use crate::common::{TestRepo, stderr_of};

/// Commits `files` (path, content; `None` deletes) on the current branch.
fn change(repo: &TestRepo, msg: &str, files: &[(&str, Option<&str>)]) -> String {
    for (p, c) in files {
        match c {
            Some(c) => {
                repo.write(p, c);
                repo.ok(["add", p]);
            }
            None => {
                repo.ok(["rm", p]);
            }
        }
    }
    repo.ok(["commit", "-m", msg]);
    repo.head()
}

/// A project with `a`, `b`, `c` on main, and branch `x` from there.
fn forked() -> TestRepo {
    let repo = TestRepo::init();
    repo.commit_files("base", &[("a", "a0"), ("b", "b0"), ("c", "c0")]);
    repo.ok(["branch", "x"]);
    repo
}

fn parents(repo: &TestRepo) -> Vec<String> {
    let v = repo.json(["log", "--json", "-n", "1"]);
    v[0]["parents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_branch_behind_fast_forwards_and_a_merged_one_is_up_to_date() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    let x = change(&repo, "x1", &[("a", Some("a1")), ("d", Some("new"))]);
    repo.ok(["checkout", "main"]);
    let out = repo.json(["merge", "--json", "x"]);
    assert_eq!(out["result"], "fast-forward", "{out}");
    assert_eq!(repo.head(), x);
    assert_eq!(repo.read_str("a"), "a1");
    assert_eq!(repo.read_str("d"), "new");
    let out = repo.json(["merge", "--json", "x"]);
    assert_eq!(out["result"], "up-to-date", "{out}");
    // --no-ff makes a merge commit even so.
    repo.ok(["checkout", "-b", "y", "HEAD~1"]);
    let out = repo.json(["merge", "--json", "--no-ff", "x"]);
    assert_eq!(out["result"], "merged", "{out}");
    assert_eq!(parents(&repo).len(), 2);
}

#[test]
fn changes_on_both_sides_merge_into_a_two_parent_commit() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    let x = change(
        &repo,
        "x1",
        &[("a", Some("a1")), ("c", None), ("dir/n", Some("n"))],
    );
    repo.ok(["checkout", "main"]);
    let ours = change(&repo, "m1", &[("b", Some("b1"))]);
    let out = repo.json(["merge", "--json", "x", "-m", "bring x"]);
    assert_eq!(out["result"], "merged", "{out}");
    assert_eq!(parents(&repo), [ours, x]);
    assert_eq!(repo.read_str("a"), "a1");
    assert_eq!(repo.read_str("b"), "b1");
    assert_eq!(repo.read_str("dir/n"), "n");
    assert!(!repo.exists("c"));
    let st = repo.json(["status", "--json"]);
    assert!(st["staged"].as_array().unwrap().is_empty(), "{st}");
    assert!(st["unstaged"].as_array().unwrap().is_empty(), "{st}");
    repo.ok(["fsck"]);
}

#[test]
fn a_conflict_stops_the_merge_until_resolved_and_commit_concludes_it() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    let x = change(&repo, "x1", &[("a", Some("theirs")), ("b", Some("b1"))]);
    repo.ok(["checkout", "main"]);
    let ours = change(&repo, "m1", &[("a", Some("ours"))]);
    let a = repo.pach(["merge", "x"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("1 path(s) are in conflict: `a`"), "{err}");
    assert!(
        err.contains("pach checkout --theirs"),
        "the hint says how: {err}"
    );
    // Ours in the working tree, theirs readable, the clean change staged.
    assert_eq!(repo.read_str("a"), "ours");
    assert_eq!(repo.read_str("b"), "b1");
    assert_eq!(repo.ok(["cat", "MERGE_HEAD:a"]), "theirs");
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["merging"]["conflicts"], serde_json::json!(["a"]), "{st}");
    assert_eq!(st["merging"]["theirs"], x.as_str());
    // Neither a commit nor a second merge while it waits.
    let e = stderr_of(&repo.pach(["commit", "-m", "too early"]).assert().code(1));
    assert!(e.contains("still in conflict: `a`"), "{e}");
    repo.pach(["merge", "x"]).assert().code(1);
    assert_eq!(repo.head(), ours);

    repo.ok(["checkout", "--theirs", "a"]);
    assert_eq!(repo.read_str("a"), "theirs");
    repo.ok(["add", "a"]);
    let st = repo.json(["status", "--json"]);
    assert_eq!(st["merging"]["conflicts"], serde_json::json!([]), "{st}");
    repo.ok(["commit", "-m", "merged by hand"]);
    assert_eq!(parents(&repo), [ours, x]);
    let st = repo.json(["status", "--json"]);
    assert!(st.get("merging").is_none(), "{st}");
    repo.pach(["cat", "MERGE_HEAD:a"]).assert().code(1);
    repo.ok(["fsck"]);
}

#[test]
fn change_against_delete_conflicts_and_rm_resolves_it() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    change(&repo, "x1", &[("a", None)]);
    repo.ok(["checkout", "main"]);
    change(&repo, "m1", &[("a", Some("changed"))]);
    let out = repo.pach(["merge", "--json", "x"]).assert().code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["conflicts"][0]["kind"], "changed-deleted", "{v}");
    repo.ok(["rm", "a"]);
    repo.ok(["commit", "-m", "take the delete"]);
    assert!(!repo.exists("a"));
    assert_eq!(parents(&repo).len(), 2);
}

#[test]
fn a_side_favoured_with_x_settles_every_conflict_and_keeps_clean_changes() {
    for (side, want) in [("theirs", "theirs"), ("ours", "ours")] {
        let repo = forked();
        repo.ok(["checkout", "x"]);
        change(&repo, "x1", &[("a", Some("theirs")), ("b", Some("b1"))]);
        repo.ok(["checkout", "main"]);
        change(&repo, "m1", &[("a", Some("ours")), ("c", Some("c1"))]);
        let out = repo.json(["merge", "--json", "x", "-X", side]);
        assert_eq!(out["result"], "merged", "{out}");
        assert_eq!(repo.read_str("a"), want);
        assert_eq!(
            (repo.read_str("b"), repo.read_str("c")),
            ("b1".into(), "c1".into())
        );
    }
}

#[test]
fn abort_puts_back_head_and_forgets_the_merge() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    change(&repo, "x1", &[("a", Some("theirs")), ("b", Some("b1"))]);
    repo.ok(["checkout", "main"]);
    let ours = change(&repo, "m1", &[("a", Some("ours"))]);
    repo.pach(["merge", "x"]).assert().code(1);
    repo.write("a", "half-edited");
    repo.ok(["merge", "--abort"]);
    assert_eq!(repo.head(), ours);
    assert_eq!(repo.read_str("a"), "ours");
    assert_eq!(repo.read_str("b"), "b0");
    let st = repo.json(["status", "--json"]);
    assert!(st.get("merging").is_none(), "{st}");
    let e = stderr_of(&repo.pach(["merge", "--abort"]).assert().code(1));
    assert!(e.contains("no merge is in progress"), "{e}");
    // A new merge can start again.
    repo.ok(["merge", "x", "-X", "ours"]);
    assert_eq!(parents(&repo).len(), 2);
}

#[test]
fn a_file_against_a_directory_is_a_conflict_naming_both() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    change(&repo, "x1", &[("d", Some("a file"))]);
    repo.ok(["checkout", "main"]);
    change(&repo, "m1", &[("d/inner", Some("in a dir"))]);
    let out = repo.pach(["merge", "--json", "x"]).assert().code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let kinds: Vec<(&str, &str)> = v["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["path"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [("d", "file-directory"), ("d/inner", "file-directory")]
    );
    assert_eq!(repo.read_str("d/inner"), "in a dir", "ours stays");
}

#[test]
fn bad_merges_are_refused_and_change_nothing() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    change(&repo, "x1", &[("a", Some("a1"))]);
    repo.ok(["checkout", "main"]);
    change(&repo, "m1", &[("b", Some("b1"))]);

    let before = repo.snapshot();
    let e = stderr_of(&repo.pach(["merge", "nosuch"]).assert().code(1));
    assert!(e.contains("nosuch"), "{e}");
    repo.assert_unchanged(&before);

    // Staged changes: refused, named.
    repo.write("c", "staged");
    repo.ok(["add", "c"]);
    let before = repo.snapshot();
    let e = stderr_of(&repo.pach(["merge", "x"]).assert().code(1));
    assert!(e.contains("staged changes") && e.contains("`c`"), "{e}");
    repo.assert_unchanged(&before);
    repo.ok(["checkout", "-f", "main"]);

    // An unstaged change to a file the merge writes: refused by the working-tree update.
    repo.write("a", "local edit");
    let before = repo.snapshot();
    let e = stderr_of(&repo.pach(["merge", "x"]).assert().code(1));
    assert!(
        e.contains("overwrite local changes") && e.contains("`a`"),
        "{e}"
    );
    repo.assert_unchanged(&before);
}

#[test]
fn an_unrelated_history_is_refused() {
    let other = TestRepo::init();
    other.commit_files("theirs", &[("z", "z")]);
    let remote = other.base().join("remote");
    std::fs::create_dir_all(&remote).unwrap();
    other.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    other.ok(["push"]);
    let repo = forked();
    repo.ok(["remote", "add", "origin", remote.to_str().unwrap()]);
    repo.ok(["fetch"]);
    let before = repo.snapshot();
    let e = stderr_of(&repo.pach(["merge", &other.head()]).assert().code(1));
    assert!(e.contains("no common history"), "{e}");
    repo.assert_unchanged(&before);
}

#[test]
fn a_criss_cross_history_merges_against_a_virtual_base() {
    // x and y each merge the other's first commit: two merge bases (x1 and y1).
    let repo = forked();
    repo.ok(["branch", "y"]);
    repo.ok(["checkout", "x"]);
    let x1 = change(&repo, "x1", &[("g", Some("g1"))]);
    repo.ok(["checkout", "y"]);
    let y1 = change(&repo, "y1", &[("h", Some("h1"))]);
    repo.ok(["checkout", "x"]);
    repo.ok(["merge", &y1]);
    repo.ok(["checkout", "y"]);
    repo.ok(["merge", &x1]);
    // Then each side changes one file the other merge brought in.
    change(&repo, "y2", &[("h", Some("h2"))]);
    repo.ok(["checkout", "x"]);
    change(&repo, "x2", &[("g", Some("g2")), ("a", Some("a2"))]);
    let out = repo.json(["merge", "--json", "y"]);
    assert_eq!(out["bases"].as_array().unwrap().len(), 2, "{out}");
    assert_eq!(out["result"], "merged", "{out}");
    assert_eq!(repo.read_str("g"), "g2");
    assert_eq!(repo.read_str("h"), "h2");
    assert_eq!(repo.read_str("a"), "a2");
}

#[test]
fn stage_outputs_never_conflict_and_the_merge_names_the_stale_stages() {
    let repo = TestRepo::init();
    let toml = "[[stage]]\nname = \"count\"\nimage = \"pach-test/busybox:1\"\ncmd = [\"true\"]\noutput = \"out\"\n[[stage.input]]\nname = \"in\"\npath = \"data\"\nglob = \"/*\"\n";
    repo.write("pach.toml", toml);
    repo.commit_files("base", &[("data/a", "1"), ("out/a", "r1")]);
    repo.ok(["branch", "x"]);
    repo.ok(["checkout", "x"]);
    change(
        &repo,
        "x1",
        &[("data/b", Some("2")), ("out/a", Some("theirs"))],
    );
    repo.ok(["checkout", "main"]);
    change(&repo, "m1", &[("out/a", Some("ours"))]);
    let out = repo.json(["merge", "--json", "x"]);
    assert_eq!(out["result"], "merged", "{out}");
    assert_eq!(out["stale_stages"], serde_json::json!(["count"]), "{out}");
    assert_eq!(repo.read_str("out/a"), "ours", "outputs keep ours");
    assert_eq!(repo.read_str("data/b"), "2", "inputs merge");
    let again = repo.json(["merge", "--json", "x"]);
    assert_eq!(again["result"], "up-to-date", "{again}");
}

#[test]
fn log_graph_draws_the_merge_and_all_shows_every_branch() {
    let repo = forked();
    repo.ok(["checkout", "x"]);
    change(&repo, "on x", &[("a", Some("a1"))]);
    repo.ok(["checkout", "main"]);
    change(&repo, "on main", &[("b", Some("b1"))]);
    repo.ok(["merge", "x", "-m", "the merge"]);
    repo.ok(["branch", "side", "HEAD~1"]);
    repo.ok(["checkout", "side"]);
    change(&repo, "only on side", &[("c", Some("c1"))]);
    repo.ok(["checkout", "main"]);

    let out = repo.ok(["log", "--graph"]);
    // The graph part of each line: everything before the short id (12 hex digits).
    let shape: Vec<String> = out
        .lines()
        .map(|l| {
            let cut = l.find(|c: char| c.is_ascii_hexdigit()).unwrap_or(l.len());
            l[..cut].trim_end().to_string()
        })
        .collect();
    // The two sides' commits have the same time here, so either may come first.
    let either = [
        ["*", "|\\", "| *", "* |", "|/", "*"],
        ["*", "|\\", "* |", "| *", "|/", "*"],
    ];
    assert!(either.iter().any(|e| shape == e), "{out}");
    assert!(out.lines().next().unwrap().ends_with("the merge"), "{out}");
    assert!(!out.contains("only on side"));

    let all = repo.ok(["log", "--all", "--oneline"]);
    assert!(
        all.contains("only on side") && all.contains("on x"),
        "{all}"
    );
    assert_eq!(all.lines().count(), 5, "{all}");
    repo.pach(["log", "--graph", "--", "a"]).assert().code(2);
}
