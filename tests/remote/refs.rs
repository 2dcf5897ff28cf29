//! Remote refs: remote-tracking branches as revisions, `branch -r/-a`, tags on remotes
//! (push, `--tags`, fetch, conflicts), `push --delete`, `fetch --prune`, `remote rename` and
//! `remote set-url`, and a remote made before tags (no `refs/tags/`).

use std::path::{Path, PathBuf};

use predicates::str::contains;

use super::common::{TestRepo, stderr_of};
use super::remote_ref;

/// A project with two commits and `origin` at a directory remote, pushed.
fn pushed() -> (TestRepo, PathBuf) {
    let a = TestRepo::init();
    a.commit_files("one", &[("data/a.csv", "1\n")]);
    a.commit_files("two", &[("data/b.csv", "2\n")]);
    let remote = a.base().join("remote");
    a.pach(["remote", "add", "origin", remote.to_str().unwrap()])
        .assert()
        .success();
    a.pach(["push"]).assert().success();
    (a, remote)
}

/// A clone of `remote` in a new temp directory.
fn clone_of(remote: &Path) -> TestRepo {
    let b = TestRepo::new();
    b.pach(["clone", remote.to_str().unwrap(), "."])
        .assert()
        .success();
    b
}

/// Reads a directory remote's tag.
fn remote_tag(root: &Path, tag: &str) -> Option<String> {
    std::fs::read_to_string(root.join("refs/tags").join(tag))
        .ok()
        .map(|s| s.trim().to_string())
}

/// `rev-parse` by way of `log -n1 --json`: the commit a revision names.
fn rev(r: &TestRepo, rev: &str) -> String {
    let v = r.json(["log", "-n", "1", "--json", rev]);
    v[0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_string()
}

#[test]
fn remote_tracking_branches_are_revisions_and_listed() {
    let (a, remote) = pushed();
    let b = clone_of(&remote);
    let first = rev(&a, "HEAD~1");
    a.commit_files("three", &[("data/c.csv", "3\n")]);
    a.pach(["push"]).assert().success();
    b.pach(["fetch"]).assert().success();
    // `origin/main` is the fetched commit, the local branch stays behind.
    assert_eq!(rev(&b, "origin/main"), a.head());
    assert_eq!(rev(&b, "refs/remotes/origin/main"), a.head());
    assert_eq!(rev(&b, "origin/main~2"), first);
    assert_eq!(rev(&b, "origin/main^^"), first);
    assert_ne!(b.head(), a.head());
    b.ok(["diff", "main", "origin/main"]);
    b.pach(["show", "origin/main"])
        .assert()
        .success()
        .stdout(contains("three"));
    // A local branch of the same name wins over the remote-tracking one.
    b.pach(["branch", "origin/main", "HEAD~1"])
        .assert()
        .success();
    assert_eq!(rev(&b, "origin/main"), first);
    assert_eq!(rev(&b, "refs/remotes/origin/main"), a.head());
    assert_eq!(rev(&b, "refs/heads/origin/main"), first);
    b.pach(["branch", "-d", "origin/main"]).assert().success();
    // Checking one out detaches HEAD there.
    b.pach(["checkout", "origin/main"])
        .assert()
        .success()
        .stderr(contains("detached"));
    assert_eq!(b.read_str("data/c.csv"), "3\n");
    b.pach(["checkout", "main"]).assert().success();

    // Unknown names are refused, naming them.
    let before = b.snapshot();
    for bad in [
        "origin/nope",
        "nope/main",
        "refs/remotes/origin/nope",
        "origin/main~9",
    ] {
        b.pach(["log", bad])
            .assert()
            .code(1)
            .stderr(contains(format!("unknown revision `{bad}`")));
    }
    b.assert_unchanged(&before);

    // branch -r lists remote-tracking branches; -a both; --json marks them.
    assert_eq!(
        b.ok(["branch", "-r"]).trim(),
        format!("origin/main  {}", &a.head()[..12])
    );
    let all = b.ok(["branch", "-a"]);
    assert!(
        all.contains("* main") && all.contains("  remotes/origin/main"),
        "{all}"
    );
    let j = b.json(["branch", "-a", "--json"]);
    assert_eq!(j.as_array().unwrap().len(), 2, "{j}");
    assert_eq!(j[0]["name"], "main");
    assert_eq!(j[0].get("remote"), None, "{j}");
    assert_eq!(j[1]["name"], "origin/main");
    assert_eq!(j[1]["remote"], true);
    assert_eq!(j[1]["commit"], a.head());
    let j = b.json(["branch", "-r", "--json"]);
    assert_eq!(j.as_array().unwrap().len(), 1, "{j}");
    b.pach(["branch", "-r", "x"]).assert().code(2);
}

#[test]
fn tags_push_fetch_and_conflicts() {
    let (a, remote) = pushed();
    let old = rev(&a, "HEAD~1");
    a.ok(["tag", "v1", "HEAD~1"]);
    a.ok(["tag", "v2"]);
    // One tag, then all of them.
    a.pach(["push", "origin", "v1"])
        .assert()
        .success()
        .stderr(contains("origin tag v1 (new tag) ->"));
    assert_eq!(remote_tag(&remote, "v1").as_deref(), Some(old.as_str()));
    assert_eq!(remote_tag(&remote, "v2"), None);
    let j = a.json(["push", "--tags", "--json"]);
    assert_eq!(j["tags"][0]["tag"], "v1");
    assert_eq!(j["tags"][0]["up_to_date"], true);
    assert_eq!(j["tags"][1]["ref"], "refs/tags/v2");
    assert_eq!(j["tags"][1]["up_to_date"], false);
    assert_eq!(
        remote_tag(&remote, "v2").as_deref(),
        Some(a.head().as_str())
    );
    // A tag is not a branch: no remote-tracking ref, no branch on the remote.
    assert_eq!(remote_ref(&remote, "v2"), None);

    // A clone and a fetch bring the tags.
    let b = clone_of(&remote);
    assert_eq!(rev(&b, "v1"), old);
    assert_eq!(rev(&b, "v2"), a.head());
    // A tag that only reaches commits no branch has: fetch brings them.
    a.ok(["checkout", "-b", "side"]);
    a.commit_files("side", &[("side.txt", "s\n")]);
    a.ok(["tag", "side-tag"]);
    a.ok(["checkout", "main"]);
    a.pach(["push", "origin", "refs/tags/side-tag"])
        .assert()
        .success();
    let side = rev(&a, "side-tag");
    let j = b.json(["fetch", "--json"]);
    assert_eq!(j["tags"][0]["name"], "side-tag");
    assert_eq!(j["tags"][0]["result"], "new");
    assert_eq!(rev(&b, "side-tag"), side);
    b.pach(["show", "side-tag"])
        .assert()
        .success()
        .stdout(contains("side.txt"));
    b.pach(["fsck"]).assert().success();

    // A local tag at another commit is kept (and reported) unless --force.
    b.ok(["tag", "-d", "v1"]);
    b.ok(["tag", "v1", "HEAD"]);
    b.pach(["fetch"])
        .assert()
        .success()
        .stderr(contains("tag v1: kept"));
    assert_eq!(rev(&b, "v1"), b.head());
    let j = b.json(["fetch", "--json"]);
    assert_eq!(j["tags"][0]["result"], "kept");

    // Pushing it is refused: the remote keeps its v1, nothing moves there.
    let before: Vec<_> = walk(&remote);
    let out = b.pach(["push", "origin", "v1"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(err.contains("tag `v1` there is at"), "{err}");
    // The hint names the command that moves it (run below).
    assert!(
        err.contains("hint: ") && err.contains("`pach push origin refs/tags/v1 --force`"),
        "{err}"
    );
    b.pach(["push", "--tags"])
        .assert()
        .code(1)
        .stderr(contains("tag `v1` there is at"));
    assert_eq!(walk(&remote), before, "the remote changed");
    assert_eq!(remote_tag(&remote, "v1").as_deref(), Some(old.as_str()));

    // --force moves it on the remote; fetch --force moves it back here... in `a`.
    b.pach(["push", "origin", "refs/tags/v1", "--force"])
        .assert()
        .success()
        .stderr(contains("(forced)"));
    assert_eq!(remote_tag(&remote, "v1"), Some(b.head()));
    a.pach(["fetch"])
        .assert()
        .success()
        .stderr(contains("kept"));
    assert_eq!(rev(&a, "v1"), old);
    let j = a.json(["fetch", "--force", "--json"]);
    assert_eq!(j["tags"][0]["result"], "updated");
    assert_eq!(rev(&a, "v1"), b.head());
}

#[test]
fn a_name_that_is_a_branch_and_a_tag_needs_the_full_name() {
    let (a, remote) = pushed();
    a.ok(["tag", "x", "HEAD~1"]);
    a.ok(["branch", "x"]);
    let before = walk(&remote);
    a.pach(["push", "origin", "x"])
        .assert()
        .code(1)
        .stderr(contains("`refs/heads/x` or `refs/tags/x`"));
    assert_eq!(walk(&remote), before);
    a.pach(["push", "origin", "refs/heads/x"])
        .assert()
        .success();
    assert_eq!(remote_ref(&remote, "x"), Some(a.head()));
    assert_eq!(remote_tag(&remote, "x"), None);
    a.pach(["push", "origin", "refs/tags/x"]).assert().success();
    assert_eq!(remote_tag(&remote, "x"), Some(rev(&a, "refs/tags/x")));
    a.pach(["push", "origin", "nothing-here"])
        .assert()
        .code(1)
        .stderr(contains("nothing-here"));
    a.pach(["push", "origin", "main", "--tags"])
        .assert()
        .code(2);
}

#[test]
fn push_delete_and_fetch_prune() {
    let (a, remote) = pushed();
    a.ok(["branch", "old", "HEAD~1"]);
    a.ok(["branch", "nested/x"]);
    a.pach(["push", "origin", "old"]).assert().success();
    a.pach(["push", "origin", "nested/x"]).assert().success();
    let b = clone_of(&remote);
    b.pach(["fetch"]).assert().success();
    assert!(b.ok(["branch", "-r"]).contains("origin/old"));

    let j = a.json(["push", "--delete", "old", "--json"]);
    assert_eq!(j["ref"], "refs/heads/old");
    assert_eq!(j["was"], rev(&a, "old"));
    assert_eq!(remote_ref(&remote, "old"), None);
    assert_eq!(remote_ref(&remote, "main"), Some(a.head()));
    // The pusher's remote-tracking ref goes; its local branch stays.
    a.pach(["log", "origin/old"]).assert().code(1);
    a.ok(["log", "old"]);
    a.pach(["push", "origin", "--delete", "nested/x"])
        .assert()
        .success()
        .stderr(contains("deleted refs/heads/nested/x"));
    assert!(!remote.join("refs/heads/nested").exists());

    // Deleting what is not there is refused, naming it, and changes nothing.
    let before = walk(&remote);
    a.pach(["push", "--delete", "old"])
        .assert()
        .code(1)
        .stderr(contains("remote `origin` has no branch `old`"));
    a.pach(["push", "--delete", "refs/tags/none"])
        .assert()
        .code(1)
        .stderr(contains("no tag `none`"));
    a.pach(["push", "--delete", "../main"])
        .assert()
        .code(1)
        .stderr(contains("`../main` is not a valid branch name"));
    assert_eq!(walk(&remote), before);

    // The clone still has origin/old until it prunes.
    b.pach(["fetch"]).assert().success();
    assert!(b.ok(["branch", "-r"]).contains("origin/old"));
    let j = b.json(["fetch", "--prune", "--json"]);
    assert_eq!(
        j["pruned"],
        serde_json::json!(["origin/nested/x", "origin/old"])
    );
    assert_eq!(
        b.ok(["branch", "-r"]).trim(),
        format!("origin/main  {}", &a.head()[..12])
    );
    b.pach(["log", "origin/old"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `origin/old`"));

    // Tags can be deleted too.
    a.ok(["tag", "t"]);
    a.ok(["push", "origin", "t"]);
    a.ok(["push", "--delete", "refs/tags/t"]);
    assert_eq!(remote_tag(&remote, "t"), None);
}

#[test]
fn remote_rename_moves_tracking_refs_and_set_url_checks_the_url() {
    let (a, remote) = pushed();
    let other = a.base().join("other");
    a.ok(["remote", "add", "backup", other.to_str().unwrap()]);
    let config = || std::fs::read_to_string(a.pach_dir().join("config.toml")).unwrap();

    // Refused: unknown, taken, invalid. Nothing changes.
    let (cfg, branches) = (config(), a.ok(["branch", "-a", "--json"]));
    a.pach(["remote", "rename", "origin", "backup"])
        .assert()
        .code(1)
        .stderr(contains("remote `backup` already exists"));
    a.pach(["remote", "rename", "nope", "x"])
        .assert()
        .code(1)
        .stderr(contains("no remote named `nope`"));
    a.pach(["remote", "rename", "origin", "bad..name"])
        .assert()
        .code(1)
        .stderr(contains("`bad..name` is not a valid remote name"));
    a.pach(["remote", "set-url", "origin", "http://example.com/x"])
        .assert()
        .code(1)
        .stderr(contains("remote URL `http://example.com/x`"));
    a.pach(["remote", "set-url", "origin", "s3:///nobucket"])
        .assert()
        .code(1)
        .stderr(contains("no bucket name"));
    a.pach(["remote", "set-url", "nope", "/x"])
        .assert()
        .code(1)
        .stderr(contains("no remote named `nope`"));
    assert_eq!(config(), cfg);
    assert_eq!(a.ok(["branch", "-a", "--json"]), branches);

    let j = a.json(["remote", "rename", "origin", "upstream", "--json"]);
    assert_eq!(j["refs"], 1);
    assert_eq!(rev(&a, "upstream/main"), a.head());
    a.pach(["log", "origin/main"])
        .assert()
        .code(1)
        .stderr(contains("unknown revision `origin/main`"));
    let list = a.json(["remote", "list", "--json"]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["backup", "upstream"]);
    a.commit_files("more", &[("m", "m\n")]);
    a.pach(["push", "upstream"])
        .assert()
        .success()
        .stderr(contains("upstream/main"));
    assert_eq!(remote_ref(&remote, "main"), Some(a.head()));

    // set-url: a relative directory is made absolute; the next push goes there.
    let j = a.json(["remote", "set-url", "upstream", "../other", "--json"]);
    assert_eq!(j["old"], remote.to_str().unwrap());
    assert_eq!(j["url"], other.to_str().unwrap());
    a.ok(["push", "upstream"]);
    assert_eq!(remote_ref(&other, "main"), Some(a.head()));
}

#[test]
fn a_remote_made_before_tags_is_read_and_gets_tags() {
    let (a, remote) = pushed();
    // What pach wrote before tags: marker version 1, no `refs/tags/`.
    std::fs::remove_dir_all(remote.join("refs/tags")).unwrap();
    std::fs::write(remote.join("pach-remote"), "pach-remote 1\n").unwrap();
    let b = clone_of(&remote);
    assert_eq!(b.head(), a.head());
    assert_eq!(b.ok(["tag"]), "");
    let j = b.json(["fetch", "--prune", "--json"]);
    assert_eq!(j["tags"], serde_json::json!([]));
    assert_eq!(j["pruned"], serde_json::json!([]));
    a.ok(["tag", "v1"]);
    a.ok(["push", "--tags"]);
    assert_eq!(remote_tag(&remote, "v1"), Some(a.head()));
    // Its marker is left as it was; `fsck --remote` walks the tag too.
    assert_eq!(
        std::fs::read_to_string(remote.join("pach-remote")).unwrap(),
        "pach-remote 1\n"
    );
    a.ok(["fsck", "--remote", "origin"]);
    b.ok(["fetch"]);
    assert_eq!(rev(&b, "v1"), a.head());
    // A new remote says layout 5 once its objects go up in packs.
    let fresh = a.base().join("fresh");
    a.ok(["remote", "add", "fresh", fresh.to_str().unwrap()]);
    a.ok(["push", "fresh"]);
    assert_eq!(
        std::fs::read_to_string(fresh.join("pach-remote")).unwrap(),
        "pach-remote 5\n"
    );
    assert!(fresh.join("refs/tags").is_dir());
}

/// Every file under a directory remote with its bytes, to show that nothing changed.
fn walk(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}
