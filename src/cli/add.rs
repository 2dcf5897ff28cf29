//! `pach add` and `pach rm`: staging paths in and out.

use std::path::PathBuf;

use super::Context;
use crate::error::Result;
use crate::repo::Access;
use crate::ui::human_bytes;

/// Stage files and directories for the next commit
///
/// Directories are added recursively, honouring `.pachignore` files (gitignore syntax);
/// `.git/` and `.pach/` are never added. Files are hashed in parallel on all cores; a file
/// whose size, mtime and inode match the index is not read again. Tracked files that are
/// gone from a directory you add are staged as deleted.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach add data/\n  pach add raw/images models/weights.bin")]
pub struct AddArgs {
    /// Files or directories to stage
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Print what was staged as JSON
    #[arg(long)]
    json: bool,
}

pub fn add(cx: &Context, args: &AddArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let paths = cx.paths(&repo, &args.paths)?;
    let progress = cx.ui.progress(args.json);
    let out = repo.add(&paths, progress.as_ref())?;
    cx.ui.notices(&repo.take_notices());
    if args.json {
        return cx.ui.json(&out);
    }
    for s in &out.skipped {
        cx.ui.warn(format!(
            "skipped `{s}`: not a regular file, directory or symlink"
        ));
    }
    if cx.ui.verbose > 0 {
        for p in &out.staged {
            cx.ui.note(format!("staged {p}"));
        }
        for p in &out.removed {
            cx.ui.note(format!("staged removal of {p}"));
        }
    }
    cx.ui.note(format!(
        "staged {} file(s), {} removal(s); {} unchanged; {} hashed, {} new object(s)",
        out.staged.len(),
        out.removed.len(),
        out.unchanged,
        human_bytes(out.bytes_hashed),
        out.objects_written
    ));
    Ok(())
}

/// Stop tracking files (and delete them, unless --cached)
///
/// A directory removes every tracked file under it. Files with changes that are not staged
/// are kept unless --force, so nothing is lost by accident.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach rm data/old.csv\n  pach rm --cached data/scratch/\n  pach rm --json data/tmp/"
)]
pub struct RmArgs {
    /// Files or directories to stop tracking
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Keep the files in the working tree; only stop tracking them
    #[arg(long)]
    cached: bool,
    /// Delete files even if they have changes that are not staged
    #[arg(short, long)]
    force: bool,
    /// Print what was removed as JSON
    #[arg(long)]
    json: bool,
}

pub fn rm(cx: &Context, args: &RmArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let paths = cx.paths(&repo, &args.paths)?;
    let out = repo.rm(&paths, args.cached, args.force)?;
    cx.ui.notices(&repo.take_notices());
    if args.json {
        return cx.ui.json(&out);
    }
    for p in &out.removed {
        cx.ui.note(format!("rm {p}"));
    }
    Ok(())
}
