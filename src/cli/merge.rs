//! `pach merge`: combine another branch's history with the current one.

use super::Context;
use crate::error::{Error, Result};
use crate::ops::merge::{MergeOptions, MergeOutcome, MergeResult, RunAfter};
use crate::repo::{Access, Favour};

/// Join another branch (or any commit) into the current branch
///
/// Fast-forwards when the current branch is behind; otherwise merges the two snapshots
/// against their merge base, file by file, into a commit with two parents. A file changed on
/// both sides differently, or changed on one and deleted on the other, is a conflict: the
/// merge stops with "ours" in the working tree, both versions readable (`pach cat
/// MERGE_HEAD:<path>`, `pach checkout --theirs <path>`), and `pach status` listing them;
/// `pach add` marks a path resolved and `pach commit` concludes. Outputs of the stages in
/// pach.toml never conflict: the merge keeps ours, names the stages the merged inputs made
/// stale, and `pach run` (or `--run`) recomputes exactly those datums, reusing the run cache
/// of both branches.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach merge experiment\n  pach merge experiment --run\n  pach merge origin/main -X theirs -m \"take their labels\"\n  pach merge --abort"
)]
pub struct MergeArgs {
    /// The branch, tag or commit to merge into the current branch
    #[arg(required_unless_present = "abort")]
    rev: Option<String>,
    /// The merge commit's message (default: "Merge <rev>")
    #[arg(short, long)]
    message: Option<String>,
    /// Make a merge commit even when a fast-forward would do
    #[arg(long)]
    no_ff: bool,
    /// Settle every conflict one way, keeping every clean change of both sides
    #[arg(short = 'X', value_enum, value_name = "SIDE")]
    strategy_option: Option<Side>,
    /// After a clean merge, run the stages it made stale
    #[arg(long)]
    run: bool,
    /// Abandon the merge in progress: back to HEAD, local edits to tracked files included
    #[arg(long, conflicts_with_all = ["rev", "message", "no_ff", "strategy_option", "run"])]
    abort: bool,
    /// Print what happened as JSON
    #[arg(long)]
    json: bool,
}

/// The side `-X` favours, as the command line spells it.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Side {
    Ours,
    Theirs,
}

impl From<Side> for Favour {
    fn from(s: Side) -> Favour {
        match s {
            Side::Ours => Favour::Ours,
            Side::Theirs => Favour::Theirs,
        }
    }
}

pub fn run(cx: &Context, a: &MergeArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    if a.abort {
        let (written, deleted) = crate::ops::merge::abort(&mut repo)?;
        if a.json {
            return cx.ui.json(
                &serde_json::json!({ "aborted": true, "written": written, "deleted": deleted }),
            );
        }
        cx.ui.note(format!(
            "merge abandoned: back to HEAD ({written} file(s) written, {deleted} removed)"
        ));
        return Ok(());
    }
    let rev = a.rev.as_deref().unwrap_or("HEAD");
    let identity = cx.identity(repo.root()).clone();
    let opts = MergeOptions {
        rev,
        message: a.message.as_deref(),
        no_ff: a.no_ff,
        favour: a.strategy_option.map(Favour::from),
        identity: &identity,
    };
    repo.show_progress(cx.ui.progress(a.json).into());
    let progress = cx.ui.progress(a.json);
    let logs = cx.ui.container_output(a.json);
    let after = a.run.then(|| RunAfter {
        progress: progress.as_ref(),
        logs: &logs,
    });
    let out = crate::ops::merge::merge(&mut repo, &opts, after)?;
    if a.json {
        cx.ui.json(&out)?;
    } else {
        report(cx, rev, &out)?;
    }
    if out.result == MergeResult::Conflicts {
        return Err(Error::MergeConflicts {
            count: out.conflicts.len(),
            paths: out.conflicts.iter().map(|c| c.path.clone()).collect(),
        });
    }
    Ok(())
}

fn report(cx: &Context, rev: &str, out: &MergeOutcome) -> Result<()> {
    let ui = &cx.ui;
    match out.result {
        MergeResult::UpToDate => ui.line(format!("already up to date with {rev}"))?,
        MergeResult::FastForward => ui.line(format!(
            "fast-forward to {} ({} file(s) written, {} removed)",
            out.theirs.short(),
            out.written,
            out.deleted
        ))?,
        MergeResult::Merged => ui.line(format!(
            "merged {rev} as {} ({} file(s) written, {} removed)",
            out.commit.map(|c| c.short()).unwrap_or_default(),
            out.written,
            out.deleted
        ))?,
        MergeResult::Conflicts => {
            ui.line(format!(
                "merge of {rev} stopped on {} conflict(s); the working tree holds ours there:",
                out.conflicts.len()
            ))?;
            for c in &out.conflicts {
                let kind = serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default();
                ui.line(format!(
                    "  {}",
                    ui.paint("31", &format!("{kind}: {}", c.path))
                ))?;
            }
        }
    }
    if !out.stale_stages.is_empty() && out.run.is_none() {
        ui.note(format!(
            "stale after the merge: {} (outputs kept from the current branch; `pach run` recomputes them)",
            out.stale_stages.join(", ")
        ));
    }
    if let Some(run) = &out.run {
        ui.run_outcome(run, false)?;
    }
    Ok(())
}
