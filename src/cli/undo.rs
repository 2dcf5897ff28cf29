//! `pach reflog`, `reset`, `restore`, `revert` and `mv`: seeing where refs were, undoing,
//! and renaming.

use std::path::PathBuf;

use serde::Serialize;

use super::Context;
use crate::error::Result;
use crate::repo::{Access, ReflogEntry, ResetMode};
use crate::ui::format_time;

/// Show where HEAD or a branch has been
///
/// Lists every move of REF (default: HEAD), newest first: the commit it moved to, what moved
/// it (commit, checkout, reset, pull, push, fetch, run, …) and when. `REF@{n}` names the
/// commit REF pointed at n moves ago, anywhere a revision is accepted. `pach gc` keeps what
/// the reflog names for `[gc] reflog` in .pach/config.toml (default 90d).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach reflog\n  pach reflog main -n 5\n  pach reflog origin/main --json\n  pach reset --hard HEAD@{1}   # undo the last reset"
)]
pub struct ReflogArgs {
    /// HEAD, a branch or a remote-tracking ref such as origin/main (default: HEAD)
    #[arg(value_name = "REF")]
    name: Option<String>,
    /// Show at most N moves
    #[arg(short = 'n', value_name = "N")]
    max: Option<usize>,
    /// Print the moves as JSON
    #[arg(long)]
    json: bool,
}

/// One move, for `--json`.
#[derive(Serialize)]
struct Shown<'a> {
    /// `REF@{n}`: how to name where the ref was after this move.
    selector: String,
    #[serde(flatten)]
    entry: &'a ReflogEntry,
}

pub fn reflog(cx: &Context, a: &ReflogArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let (full, entries) = repo.reflog(a.name.as_deref())?;
    let short = ["refs/heads/", "refs/remotes/"]
        .iter()
        .find_map(|p| full.strip_prefix(p))
        .unwrap_or(&full);
    let shown: Vec<Shown> = entries
        .iter()
        .take(a.max.unwrap_or(usize::MAX))
        .enumerate()
        .map(|(n, entry)| Shown {
            selector: format!("{short}@{{{n}}}"),
            entry,
        })
        .collect();
    if a.json {
        return cx.ui.json(&shown);
    }
    for s in shown {
        let to = s.entry.new.map_or("(deleted)".to_string(), |id| id.short());
        cx.ui.line(format!(
            "{} {}: {}  {}",
            cx.ui.paint("33", &to),
            s.selector,
            s.entry.action,
            format_time(s.entry.time_ms.div_euclid(1000)),
        ))?;
    }
    Ok(())
}

/// Move the current branch to another commit, and the index and files with it
///
/// `--soft` moves only the branch (the changes since stay staged); `--mixed` (the default)
/// also resets the index, leaving your files as they are; `--hard` also brings the tracked
/// files to the commit, discarding their local changes (files pach does not track are never
/// touched). The old position stays in `pach reflog`, so `pach reset --hard HEAD@{1}` undoes a
/// reset.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach reset HEAD~1           # undo the last commit, keep its changes unstaged\n  pach reset --soft HEAD~1    # the same, changes staged\n  pach reset --hard main@{1}  # back to where main was before its last move"
)]
pub struct ResetArgs {
    /// The commit to move to
    rev: String,
    /// Move only the branch
    #[arg(long, conflicts_with_all = ["mixed", "hard"])]
    soft: bool,
    /// Also reset the index (the default)
    #[arg(long, conflicts_with = "hard")]
    mixed: bool,
    /// Also reset the tracked files in the working tree
    #[arg(long)]
    hard: bool,
    /// Print what happened as JSON
    #[arg(long)]
    json: bool,
}

pub fn reset(cx: &Context, a: &ResetArgs) -> Result<()> {
    let mode = if a.soft {
        ResetMode::Soft
    } else if a.hard {
        ResetMode::Hard
    } else {
        ResetMode::Mixed
    };
    let mut repo = cx.repo(Access::Write)?;
    repo.show_progress(cx.ui.progress(a.json).into());
    let out = repo.reset(&a.rev, mode)?;
    cx.ui.notices(&repo.take_notices());
    if a.json {
        return cx.ui.json(&out);
    }
    let files = if mode == ResetMode::Hard {
        format!(
            " ({} file(s) written, {} removed)",
            out.written, out.deleted
        )
    } else {
        String::new()
    };
    cx.ui.note(format!(
        "HEAD is now at {} {}{files}",
        out.commit.short(),
        out.subject
    ));
    Ok(())
}

/// Unstage paths, or restore files from the index or a commit
///
/// With --staged, the index entries of PATH become HEAD's (or --source's) again: staged
/// changes are unstaged, and a newly added file becomes untracked; the files stay as they
/// are. Without it, the files are written back from the index (discarding unstaged edits),
/// or from --source; the index stays.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach restore --staged data/new.csv   # undo `pach add`\n  pach restore data/labels.csv         # discard unstaged edits\n  pach restore --source HEAD~2 data/"
)]
pub struct RestoreArgs {
    /// Files or directories
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Reset the index entries, not the files
    #[arg(long)]
    staged: bool,
    /// The commit to restore from (default: the index; with --staged, HEAD)
    #[arg(long, value_name = "REV")]
    source: Option<String>,
    /// Print what happened as JSON
    #[arg(long)]
    json: bool,
}

pub fn restore(cx: &Context, a: &RestoreArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let paths = cx.paths(&repo, &a.paths)?;
    let out = if a.staged {
        repo.unstage(&paths, a.source.as_deref())?
    } else {
        repo.restore_files(&paths, a.source.as_deref())?
    };
    cx.ui.notices(&repo.take_notices());
    if a.json {
        return cx.ui.json(&out);
    }
    if a.staged {
        cx.ui.note(format!("unstaged {} path(s)", out.unstaged));
    } else {
        cx.ui.note(format!("restored {} file(s)", out.written));
    }
    Ok(())
}

/// Make a commit that undoes an earlier one
///
/// The new commit, on the current branch, puts every file REV changed back as it was in
/// REV's parent. Refuses a merge commit, staged changes, and files that later commits changed
/// again (naming them); local changes to the files it touches are never overwritten.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach revert HEAD\n  pach revert 3fa9c1 --json")]
pub struct RevertArgs {
    /// The commit to undo
    rev: String,
    /// Print the new commit as JSON
    #[arg(long)]
    json: bool,
}

pub fn revert(cx: &Context, a: &RevertArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let identity = cx.identity(repo.root());
    let out = crate::ops::commit::revert(&mut repo, &a.rev, identity)?;
    cx.ui.notices(&repo.take_notices());
    if a.json {
        return cx.ui.json(&out);
    }
    cx.ui.note(format!(
        "[{} {}] reverted {} ({} file(s))",
        out.branch.as_deref().unwrap_or("detached HEAD"),
        out.id.short(),
        out.reverted.short(),
        out.paths.len()
    ));
    Ok(())
}

/// Rename or move a tracked file or directory
///
/// Moves FROM to TO in the working tree and the index (into TO when TO is an existing
/// directory). Refuses an existing destination and names pach never writes. `pach log
/// --follow TO` then shows the history under the old name too.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach mv data/raw.csv data/input.csv\n  pach mv data/images archive/\n  pach log --follow -- data/input.csv"
)]
pub struct MvArgs {
    /// The tracked file or directory
    from: PathBuf,
    /// The new path, or an existing directory to move into
    to: PathBuf,
    /// Print what happened as JSON
    #[arg(long)]
    json: bool,
}

pub fn mv(cx: &Context, a: &MvArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let from = crate::paths::resolve(repo.root(), &cx.cwd, &a.from)?;
    let to = crate::paths::resolve(repo.root(), &cx.cwd, &a.to)?;
    let out = repo.mv(&from, &to)?;
    cx.ui.notices(&repo.take_notices());
    if a.json {
        return cx.ui.json(&out);
    }
    cx.ui.note(format!(
        "renamed {} -> {} ({} file(s))",
        out.from, out.to, out.files
    ));
    Ok(())
}
