//! `pach ls` and `pach cat`: reading any version without checking it out.

use std::path::PathBuf;

use serde::Serialize;

use super::Context;
use crate::error::{Error, Result};
use crate::repo::{Access, EntryKind};
use crate::snapshot::FileEntry;
use crate::ui::human_bytes;

/// List the files of a version
///
/// Lists every file at or under PATH (default: the whole project) at REV (default: HEAD).
/// Paths are relative to the project root. With a single argument that is not a revision,
/// it is taken as a path at HEAD.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach ls\n  pach ls v1 data/images\n  pach ls HEAD~2 --json")]
pub struct LsArgs {
    /// Revision to list (default: HEAD)
    rev: Option<String>,
    /// Directory or file to list (default: everything)
    path: Option<PathBuf>,
    /// Print the listing as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Listed<'a> {
    path: &'a str,
    #[serde(flatten)]
    entry: &'a FileEntry,
}

pub fn ls(cx: &Context, args: &LsArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let (rev, path) = match (&args.rev, &args.path) {
        (Some(r), None) if repo.resolve_rev(r).is_err() && !r.contains(['~', '^']) => {
            ("HEAD".to_string(), Some(PathBuf::from(r)))
        }
        (r, p) => (r.clone().unwrap_or_else(|| "HEAD".into()), p.clone()),
    };
    let prefix = match &path {
        Some(p) => crate::paths::resolve(repo.root(), &cx.cwd, p)?,
        None => String::new(),
    };
    let files = repo.ls(&rev, &prefix)?;
    if args.json {
        let list: Vec<Listed> = files
            .iter()
            .map(|(p, e)| Listed { path: p, entry: e })
            .collect();
        return cx.ui.json(&list);
    }
    for (p, e) in &files {
        let kind = match e.kind {
            EntryKind::Symlink => "link",
            _ if e.exec => "exec",
            _ => "file",
        };
        cx.ui.line(format!(
            "{kind}  {:>10}  {}  {p}",
            human_bytes(e.size),
            e.id.short()
        ))?;
    }
    Ok(())
}

/// Print a file of any version to standard output
///
/// The argument is REV:PATH with PATH relative to the project root. A symlink prints its
/// target.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach cat HEAD~1:data/labels.csv\n  pach cat v1:model/weights.bin > weights-v1.bin"
)]
pub struct CatArgs {
    /// What to print, as REV:PATH
    #[arg(value_name = "REV:PATH")]
    spec: String,
}

pub fn cat(cx: &Context, args: &CatArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let Some((rev, path)) = args.spec.split_once(':') else {
        return Err(Error::BadPath {
            path: args.spec.clone(),
            reason: "give REV:PATH, for example `HEAD:data/a.csv`".into(),
        });
    };
    let rev = if rev.is_empty() { "HEAD" } else { rev };
    let mut f = repo.open_file_at(rev, path.trim_matches('/'))?;
    let mut out = std::io::stdout().lock();
    std::io::copy(&mut f, &mut out).map_err(|source| Error::Io {
        path: "<stdout>".into(),
        source,
    })?;
    Ok(())
}
