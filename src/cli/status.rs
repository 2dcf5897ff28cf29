//! `pach status`: staged changes, unstaged changes and untracked files.

use super::Context;
use crate::error::Result;
use crate::repo::{Access, Change, ChangeKind};

/// Show staged changes, changes not staged, and untracked files
///
/// Compares the index with HEAD, and the working tree with the index. Unchanged files are
/// recognised by size, mtime and inode and never read; `-v` reports how many were read.
/// Untracked files are listed only in directories that hold tracked files. Inside git, also
/// shows the git commit HEAD's pach commit was made with, says when git's HEAD moved since
/// (code and data drifting apart), and warns about files both git and pach track.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach status\n  pach status --json | jq '.unstaged[].path'")]
pub struct StatusArgs {
    /// Print the status as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(cx: &Context, args: &StatusArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Read)?;
    let st = repo.status_with_git()?;
    cx.ui.debug(format!(
        "status: {} file(s) read to compare content",
        st.files_hashed
    ));
    if args.json {
        return cx.ui.json(&st);
    }
    let ui = &cx.ui;
    match (&st.branch, &st.detached_at) {
        (Some(b), _) => ui.line(format!("On branch {b}"))?,
        (None, Some(id)) => ui.line(format!("HEAD detached at {}", id.short()))?,
        _ => {}
    }
    if st.head.is_none() {
        ui.line("No commits yet")?;
    }
    if let Some(m) = &st.merging {
        ui.line(format!("Merging {}", m.theirs.short()))?;
        if m.conflicts.is_empty() {
            ui.line("  all conflicts resolved: conclude with `pach commit -m <message>`")?;
        } else {
            ui.line(
                "\nUnmerged paths (pach add <path> once resolved; pach merge --abort to give up):",
            )?;
            for p in &m.conflicts {
                ui.line(format!("  {}", ui.paint("31", &format!("conflict:  {p}"))))?;
            }
        }
    }
    if let Some(git) = &st.git {
        ui.git_side(git)?;
    }
    let section = |title: &str, changes: &[Change], code: &str| -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        ui.line(format!("\n{title}:"))?;
        for c in changes {
            let word = match c.kind {
                ChangeKind::Added => "new file:",
                ChangeKind::Modified => "modified:",
                ChangeKind::Deleted => "deleted: ",
            };
            ui.line(format!(
                "  {}",
                ui.paint(code, &format!("{word}  {}", c.path))
            ))?;
        }
        Ok(())
    };
    section("Changes to be committed", &st.staged, "32")?;
    section("Changes not staged for commit", &st.unstaged, "31")?;
    if !st.untracked.is_empty() {
        ui.line("\nUntracked files:")?;
        for p in &st.untracked {
            ui.line(format!("  {}", ui.paint("31", p)))?;
        }
    }
    if st.purged > 0 {
        ui.line(format!(
            "\n{} file(s) purged, not in the working tree (pach purge --list says why)",
            st.purged
        ))?;
    }
    if st.absent > 0 {
        ui.line(format!(
            "\n{} file(s) not fetched (pach pull to get them)",
            st.absent
        ))?;
    }
    if st.staged.is_empty()
        && st.unstaged.is_empty()
        && st.untracked.is_empty()
        && st.merging.is_none()
    {
        ui.line("nothing to commit, working tree clean")?;
    }
    Ok(())
}
