//! `pach commit`: records the staged changes as a new commit on the current branch.

use super::Context;
use crate::error::Result;
use crate::ops::commit::CommitRequest;
use crate::repo::Access;

/// Record the staged changes as a new commit
///
/// The commit holds the whole staged snapshot, its parent, author, time, and the code version:
/// the HEAD commit of the enclosing git repository and whether its worktree is dirty. Objects
/// reach the disk before the branch moves. Author: PACH_AUTHOR_NAME / PACH_AUTHOR_EMAIL, else
/// git's user.name / user.email, else user@host. PACH_AUTHOR_DATE (Unix seconds) fixes the time.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  pach add data/ && pach commit -m \"raw data from the 2026 survey\""
)]
pub struct CommitArgs {
    /// Message describing the change
    #[arg(short, long)]
    message: String,
    /// Commit even if nothing changed
    #[arg(long)]
    allow_empty: bool,
    /// Print the new commit as JSON
    #[arg(long)]
    json: bool,
    /// Then run the stages the commit made stale (also `run_on_commit = true` in pach.toml)
    #[arg(long)]
    run: bool,
}

pub fn run(cx: &Context, args: &CommitArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let req = CommitRequest {
        message: &args.message,
        allow_empty: args.allow_empty,
        run: args.run,
        identity: cx.identity(repo.root()),
    };
    let mut committed = |out: &crate::repo::CommitOutcome| {
        if args.json {
            return cx.ui.json(out);
        }
        let on = out.branch.as_deref().unwrap_or("detached HEAD");
        cx.ui.note(format!(
            "[{on} {}] {} ({} change(s), {} file(s))",
            out.id.short(),
            first_line(&args.message),
            out.changes,
            out.files
        ));
        Ok(())
    };
    let progress = cx.ui.progress(args.json);
    let logs = cx.ui.container_output(args.json);
    let ran =
        crate::ops::commit::commit(&mut repo, &req, &mut committed, progress.as_ref(), &logs)?;
    cx.ui.notices(&repo.take_notices());
    match ran {
        Some(out) => cx.ui.run_outcome(&out, args.json),
        None => Ok(()),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
