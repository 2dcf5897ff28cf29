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
