//! `pach init`: creates `.pach/` in the current directory.

use super::Context;
use crate::error::Result;
use crate::repo::Repo;

/// Create an empty pach project in the current directory
///
/// Refuses inside an existing project. Inside a git repository, adds `/.pach/` to the
/// `.gitignore` beside it, so git never tracks the store, and from then on keeps a block in
/// that file listing the paths pach tracks, so git ignores the data (--no-gitignore, or
/// `gitignore = false` in .pach/config.toml, leaves .gitignore alone).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  mkdir project && cd project && git init && pach init\n  pach init --no-gitignore"
)]
pub struct InitArgs {
    /// Leave .gitignore alone: no `/.pach/` line, no block of tracked paths
    #[arg(long)]
    no_gitignore: bool,
    /// Print the project made as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(cx: &Context, args: &InitArgs) -> Result<()> {
    let (repo, ignored) = Repo::init_with(&cx.cwd, !args.no_gitignore)?;
    if args.json {
        return cx.ui.json(&serde_json::json!({
            "root": repo.root(),
            "pach_dir": repo.pach_dir(),
            "gitignore": ignored,
        }));
    }
    cx.ui.note(format!(
        "initialised an empty pach project in {}",
        repo.pach_dir().display()
    ));
    if let Some(g) = ignored {
        cx.ui.note(format!("added `/.pach/` to {}", g.display()));
    }
    Ok(())
}
