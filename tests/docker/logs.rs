//! Container logs are streamed to the store and back, byte for byte.

use crate::{one_stage, project, require_docker, run_json};

#[test]
fn a_20_mib_log_comes_back_byte_exact_from_pach_logs() {
    if !require_docker() {
        return;
    }
    // 1 MiB of varied lines, printed 20 times by the stage.
    let chunk: String = (0..1_048_576 / 16)
        .map(|i: u32| format!("{:015x}\n", i.wrapping_mul(2_654_435_761)))
        .collect();
    assert_eq!(chunk.len(), 1_048_576);
    let repo = project(
        &one_stage(
            "for i in $(seq 20); do cat /pach/in/text/*; done; echo ok > /pach/out/done",
            "",
        ),
        &[("data/text/a.txt", &chunk)],
    );
    run_json(&repo, &[]);
    let out = repo.pach(["logs", "count"]).assert().success();
    let stdout = &out.get_output().stdout;
    let header_end = stdout.iter().position(|&b| b == b'\n').unwrap() + 1;
    assert!(stdout.starts_with(b"== count datum "), "no header");
    let log = &stdout[header_end..];
    assert_eq!(log.len(), 20 * chunk.len());
    assert!(
        log.chunks(chunk.len()).all(|c| c == chunk.as_bytes()),
        "log differs"
    );
}

#[test]
fn logs_as_json_give_each_datums_run_and_log() {
    if !require_docker() {
        return;
    }
    let repo = project(
        &one_stage(
            "echo said $(cat /pach/in/text/*); cp /pach/in/text/* /pach/out/",
            "",
        ),
        &[("data/text/a.txt", "alpha"), ("data/text/b.txt", "beta")],
    );
    run_json(&repo, &[]);
    let out = repo.json(["logs", "count", "--json"]);
    let runs = out.as_array().expect("an array of runs");
    assert_eq!(runs.len(), 2, "{out}");
    let mut logs: Vec<&str> = runs.iter().map(|r| r["log"].as_str().unwrap()).collect();
    logs.sort();
    assert_eq!(logs, ["said alpha\n", "said beta\n"]);
    for r in runs {
        assert_eq!(r["stage"], "count");
        assert_eq!(r["exit"], 0);
        assert_eq!(r["run"].as_str().map(str::len), Some(64), "{r}");
    }
    repo.pach(["logs", "nostage", "--json"]).assert().code(1);
}
