//! What a container may do: outputs are checked, inputs are read-only, no network.

use std::os::unix::fs::MetadataExt;

use crate::common::stderr_of;
use crate::{assert_no_containers, datum_ids, one_stage, project, require_docker, run_json};

/// Asserts that `pach run` fails with `script` on one input, with stderr containing `needles`,
/// leaving HEAD and the working tree as they were.
fn refused(script: &str, needles: &[&str]) {
    let repo = project(&one_stage(script, ""), &[("data/text/a.txt", "a\n")]);
    let before = repo.snapshot();
    let a = repo.pach(["run"]).assert().failure();
    let err = stderr_of(&a);
    for n in needles {
        assert!(err.contains(n), "expected `{n}` in: {err}");
    }
    let now = repo.snapshot();
    assert_eq!(before.log, now.log, "history changed");
    assert_eq!(before.worktree, now.worktree, "working tree changed");
    assert_no_containers(&repo);
}

#[test]
fn an_absolute_symlink_in_the_output_is_refused() {
    if !require_docker() {
        return;
    }
    refused("ln -s /etc/passwd /pach/out/x", &["/pach/out/x", "symlink"]);
}

#[test]
fn a_symlink_pointing_outside_the_output_is_refused() {
    if !require_docker() {
        return;
    }
    refused(
        "mkdir /pach/out/d && ln -s ../../secret /pach/out/d/up",
        &["/pach/out/d/up"],
    );
}

#[test]
fn a_fifo_in_the_output_is_refused() {
    if !require_docker() {
        return;
    }
    refused("mkfifo /pach/out/p", &["/pach/out/p"]);
}

#[test]
fn a_relative_symlink_inside_the_output_is_kept() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("echo hi > /pach/out/real && ln -s real /pach/out/link", ""),
        &[("data/text/a.txt", "a\n")],
    );
    run_json(&repo, &[]);
    assert_eq!(
        std::fs::read_link(repo.path().join("counts/link")).unwrap(),
        std::path::Path::new("real")
    );
}

#[test]
fn two_datums_writing_the_same_path_is_an_error_naming_both() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("echo $(ls /pach/in/text) > /pach/out/same.txt", ""),
        &[("data/text/a.txt", "a\n"), ("data/text/b.txt", "b\n")],
    );
    let ids = datum_ids(&repo, "count");
    let head = repo.head();
    let a = repo.pach(["run"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains("same.txt"), "{err}");
    for id in ids.values() {
        assert!(err.contains(id.as_str()), "expected datum {id} in: {err}");
    }
    assert_eq!(repo.head(), head);
    assert!(!repo.exists("counts"));
}

#[test]
fn outputs_are_owned_by_the_invoking_user() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage(
            "echo $(id -u):$(id -g) > /pach/out/o.txt; mkdir /pach/out/sub; echo y > /pach/out/sub/p.txt",
            "",
        ),
        &[("data/text/a.txt", "a\n")],
    );
    run_json(&repo, &[]);
    let uid = rustix::process::getuid().as_raw();
    let gid = rustix::process::getgid().as_raw();
    assert_eq!(
        repo.read_str("counts/o.txt"),
        format!("{uid}:{gid}\n"),
        "runs as the user"
    );
    for p in ["counts/o.txt", "counts/sub/p.txt", "counts/sub"] {
        let m = std::fs::metadata(repo.path().join(p)).unwrap();
        assert_eq!((m.uid(), m.gid()), (uid, gid), "owner of {p}");
    }
}

#[test]
fn inputs_are_read_only_in_the_container() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("touch /pach/in/text/x", ""),
        &[("data/text/a.txt", "a\n")],
    );
    let head = repo.head();
    let a = repo.pach(["run"]).assert().failure();
    let err = stderr_of(&a);
    assert!(err.contains("Read-only file system"), "{err}");
    assert!(repo.ok(["logs", "count"]).contains("Read-only file system"));
    assert_eq!(repo.head(), head);
    // The stored input is intact.
    assert_eq!(repo.read_str("data/text/a.txt"), "a\n");
}

#[test]
fn containers_have_no_network_unless_asked() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage("ls /sys/class/net > /pach/out/net.txt", "network = false"),
        &[("data/text/a.txt", "a\n")],
    );
    run_json(&repo, &[]);
    assert_eq!(repo.read_str("counts/net.txt"), "lo\n");
}

#[test]
fn a_chain_of_symlinks_that_leaves_the_output_is_refused() {
    if !require_docker() {
        return;
    }
    // Each target alone stays in /pach/out; `b` resolved through `a` is its parent.
    refused(
        "ln -s . /pach/out/a && ln -s a/.. /pach/out/b && ln -s b/.. /pach/out/c",
        &["/pach/out/b", "leaves /pach/out"],
    );
    // `..` out of a name that is not among the outputs could be anything in the tree.
    refused("ln -s nothere/../../x /pach/out/l", &["/pach/out/l"]);
}

#[test]
fn a_stage_output_named_like_git_is_refused() {
    if !require_docker() {
        return;
    }
    refused(
        "mkdir -p /pach/out/.GIT/hooks && echo x > /pach/out/.GIT/hooks/post-checkout",
        &["/pach/out/.GIT"],
    );
}

#[test]
fn disk_full_while_placing_outputs_leaves_the_tree_index_and_branch() {
    if !require_docker() {
        return;
    }
    if !crate::common::is_root() {
        crate::common::skip("needs root to mount a small tmpfs");
        return;
    }
    let repo = crate::common::TestRepo::new();
    // In the host's mount namespace, so the engine's bind mounts see the same tmpfs.
    let Some(_mnt) = crate::common::Tmpfs::mount(repo.path(), "64m") else {
        crate::common::skip("cannot mount a tmpfs here");
        return;
    };
    repo.pach(["init"]).assert().success();
    let script = "head -c 6291456 /dev/urandom > /pach/out/$(basename /pach/in/text/*).bin";
    let toml = one_stage(script, "");
    let files = [
        ("pach.toml", toml.as_str()),
        ("data/text/a", "a"),
        ("data/text/b", "b"),
        ("data/text/c", "c"),
    ];
    repo.commit_files("inputs", &files);
    // Room for the containers' 18 MiB of outputs (hard-linked into the store) and one
    // working copy, not three.
    let filler = crate::common::fill_but(repo.path(), 26 << 20);
    let before = repo.snapshot();
    let a = repo.pach(["run"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(
        err.contains("No space left on device") || err.contains("disk is full"),
        "{err}"
    );
    let now = repo.snapshot();
    assert_eq!(before.log, now.log, "history changed");
    assert_eq!(before.branches, now.branches, "branch moved");
    assert_eq!(before.status, now.status, "index changed");
    assert_eq!(before.worktree, now.worktree, "working tree changed");
    assert_no_containers(&repo);
    std::fs::remove_file(filler).unwrap();
    // The datums are cached: the next run only places the outputs.
    let out = run_json(&repo, &[]);
    assert_eq!(crate::stage(&out, "count")["reused"], 3, "{out:#}");
    assert_eq!(crate::ls(&repo, "counts").len(), 3);
    repo.pach(["fsck"]).assert().success();
}

#[test]
fn an_edited_output_gets_a_hint_that_works() {
    if !require_docker() {
        return;
    }
    let repo = crate::project(
        &one_stage(
            "for f in /pach/in/text/*; do wc -w < $f > /pach/out/$(basename $f).n; done",
            "",
        ),
        crate::TEXTS,
    );
    run_json(&repo, &[]);
    repo.write("counts/a.txt.n", "edited by hand\n");
    repo.write("data/text/a.txt", "one more word now\n");
    repo.ok(["add", "data"]);
    repo.commit("more words");
    let a = repo.pach(["run"]).assert().code(1);
    let err = stderr_of(&a);
    assert!(err.contains("counts/a.txt.n"), "{err}");
    assert!(
        !err.contains("--force"),
        "run's --force means recompute: {err}"
    );
    assert!(err.contains("`pach checkout HEAD -- <path>`"), "{err}");
    repo.pach(["checkout", "HEAD", "--", "counts/a.txt.n"])
        .assert()
        .success();
    run_json(&repo, &[]);
    assert_eq!(repo.read_str("counts/a.txt.n").trim(), "4");
}
