//! `pach diff`: which files differ, with their sizes.

use serde::Serialize;

use super::Context;
use crate::error::Result;
use crate::repo::{Access, Change, ChangeKind};
use crate::ui::human_bytes;

/// Show added, modified and deleted files between versions
///
/// No REV: the working tree against the index (changes not staged). One REV: that commit
/// against the working tree. Two: the first against the second.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach diff\n  pach diff HEAD~1\n  pach diff v1 main --stat\n  pach diff v1 v2 --json"
)]
pub struct DiffArgs {
    /// Old revision (default: the index)
    old: Option<String>,
    /// New revision (default: the working tree)
    new: Option<String>,
    /// Print only a summary: counts and bytes added and removed
    #[arg(long)]
    stat: bool,
    /// Print the changes as JSON
    #[arg(long)]
    json: bool,
}

/// Totals over a list of changes.
#[derive(Serialize, Default)]
struct Summary {
    files: usize,
    added: usize,
    modified: usize,
    deleted: usize,
    bytes_added: u64,
    bytes_removed: u64,
}

#[derive(Serialize)]
struct DiffOut<'a> {
    changes: &'a [Change],
    summary: Summary,
}

pub fn run(cx: &Context, args: &DiffArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Read)?;
    let changes = match (&args.old, &args.new) {
        (None, _) => repo.status()?.unstaged,
        (Some(a), None) => {
            let tree = repo.commit_obj(&repo.resolve_rev(a)?)?.tree;
            repo.diff_worktree(&tree)?
        }
        (Some(a), Some(b)) => {
            let ta = repo.commit_obj(&repo.resolve_rev(a)?)?.tree;
            let tb = repo.commit_obj(&repo.resolve_rev(b)?)?.tree;
            repo.diff_trees(Some(&ta), Some(&tb))?
        }
    };
    let summary = summarize(&changes);
    if args.json {
        return cx.ui.json(&DiffOut {
            changes: &changes,
            summary,
        });
    }
    if !args.stat {
        cx.ui.changes(&changes)?;
    }
    if args.stat || !changes.is_empty() {
        cx.ui.line(format!(
            "{} file(s) changed: {} added, {} modified, {} deleted; +{}, -{}",
            summary.files,
            summary.added,
            summary.modified,
            summary.deleted,
            human_bytes(summary.bytes_added),
            human_bytes(summary.bytes_removed)
        ))?;
    }
    Ok(())
}

fn summarize(changes: &[Change]) -> Summary {
    let mut s = Summary {
        files: changes.len(),
        ..Summary::default()
    };
    for c in changes {
        match c.kind {
            ChangeKind::Added => s.added += 1,
            ChangeKind::Modified => s.modified += 1,
            ChangeKind::Deleted => s.deleted += 1,
        }
        s.bytes_added += c.new_size.unwrap_or(0);
        s.bytes_removed += c.old_size.unwrap_or(0);
    }
    s
}
