//! Datums that share a warm worker see nothing of each other, and nothing a datum leaves
//! running can write into a stored output.

use crate::{ls, one_stage, project, require_docker, run_json};

/// Datum `a.txt` runs first and returns at once, leaving a marker in every scratch place and
/// a background process that, a second later, appends to `a.txt`'s output through an open
/// descriptor and writes `/pach/out/x`. Datum `b.txt` waits two seconds (so that the late
/// writes would land during it) and records whether it sees a marker. Both write the
/// container's hostname, so the test can tell whether they shared a container.
const LEAKY: &str = r#"n=$(ls /pach/in/text)
[ "$n" = b.txt ] && sleep 2
for m in /tmp/marker "$HOME/marker" /dev/shm/marker; do
  [ -e "$m" ] && echo "$m" >> /pach/out/$n.leak
  echo "$n" > "$m" 2>/dev/null
done
hostname > /pach/out/$n.host
echo "$n" > /pach/out/$n
(exec >> /pach/out/$n; sleep 1; echo late; echo late > /pach/out/x) </dev/null >/dev/null 2>&1 &
"#;

const TWO: &[(&str, &str)] = &[("data/text/a.txt", "a\n"), ("data/text/b.txt", "b\n")];

/// Runs LEAKY with `extra` in the stage table on one slot; returns the project after checking
/// that nothing leaked and the store is intact, and whether both datums shared a container.
fn run_leaky(extra: &str) -> bool {
    let repo = project(&one_stage(LEAKY, extra), TWO);
    run_json(&repo, &["-j", "1"]);
    assert_eq!(
        repo.read_str("counts/a.txt"),
        "a.txt\n",
        "a late write reached a.txt"
    );
    assert_eq!(repo.read_str("counts/b.txt"), "b.txt\n");
    let outputs = ls(&repo, "counts");
    assert!(
        !outputs
            .iter()
            .any(|p| p == "counts/x" || p.ends_with(".leak")),
        "state leaked between datums: {outputs:?}"
    );
    // The store's objects still hash to their names (a write through a descriptor opened
    // before the output was linked into the store would change one).
    repo.pach(["fsck"]).assert().success();
    repo.read_str("counts/a.txt.host") == repo.read_str("counts/b.txt.host")
}

#[test]
fn a_warm_worker_is_reset_between_datums_and_late_writes_never_reach_outputs() {
    if !require_docker() {
        return;
    }
    assert!(
        run_leaky(""),
        "with -j 1 both datums should run on one warm worker"
    );
}

#[test]
fn fresh_runs_each_datum_in_a_new_container() {
    if !require_docker() {
        return;
    }
    assert!(
        !run_leaky("fresh = true"),
        "both datums ran in one container"
    );
}

#[test]
fn the_root_filesystem_is_read_only_and_home_is_a_writable_scratch() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage(
            "awk '$2 == \"/\" { split($4, o, \",\"); print o[1] }' /proc/mounts > /pach/out/root; echo ok > $HOME/h && cp $HOME/h /pach/out/home",
            "",
        ),
        &[("data/text/a.txt", "a\n")],
    );
    run_json(&repo, &[]);
    assert_eq!(repo.read_str("counts/root"), "ro\n");
    assert_eq!(repo.read_str("counts/home"), "ok\n");
}
