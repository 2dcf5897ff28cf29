//! `pach commit`: records the staged changes as a new commit on the current branch.

use super::Context;
use crate::error::Result;
use crate::repo::{Access, CommitOptions};
use crate::store::Author;

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
    let author = author(repo.root());
    let time = commit_time();
    let code = crate::git::code_version(repo.root());
    let opts = CommitOptions {
        message: &args.message,
        allow_empty: args.allow_empty,
        author,
        time,
        code,
    };
    let out = repo.commit(opts)?;
    if args.json {
        cx.ui.json(&out)?;
    } else {
        let on = out.branch.as_deref().unwrap_or("detached HEAD");
        cx.ui.note(format!(
            "[{on} {}] {} ({} change(s), {} file(s))",
            out.id.short(),
            first_line(&args.message),
            out.changes,
            out.files
        ));
    }
    if args.run || run_on_commit(repo.root()) {
        super::run::run_once(cx, &mut repo, &[], false, false, None, args.json)?;
    }
    Ok(())
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// Returns `PACH_AUTHOR_DATE` (Unix seconds) if set, else now.
pub fn commit_time() -> i64 {
    std::env::var("PACH_AUTHOR_DATE")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| crate::time::now_ns() / 1_000_000_000)
}

/// Tells whether `pach.toml` asks for a run after each commit (`[settings] run_on_commit`).
fn run_on_commit(root: &std::path::Path) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join("pach.toml")) else {
        return false;
    };
    toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get("settings")?.get("run_on_commit")?.as_bool())
        .unwrap_or(false)
}

/// Returns the author from the environment, git config, or user@host.
pub fn author(dir: &std::path::Path) -> Author {
    let env = |k| std::env::var(k).ok().filter(|v: &String| !v.is_empty());
    let git = crate::git::author(dir);
    let user = env("USER")
        .or_else(|| env("LOGNAME"))
        .unwrap_or_else(|| "unknown".into());
    let host = rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned();
    Author {
        name: env("PACH_AUTHOR_NAME")
            .or_else(|| git.as_ref().map(|a| a.name.clone()))
            .unwrap_or_else(|| user.clone()),
        email: env("PACH_AUTHOR_EMAIL")
            .or_else(|| git.as_ref().map(|a| a.email.clone()))
            .unwrap_or(format!("{user}@{host}")),
    }
}
