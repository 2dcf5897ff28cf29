//! `pach init`: creates `.pach/` in the current directory.

use super::Context;
use crate::error::Result;
use crate::repo::Repo;

/// Create an empty pach project in the current directory
///
/// Refuses inside an existing project. Inside a git repository, adds `/.pach/` to the
/// `.gitignore` beside it, so git never tracks the store.
#[derive(clap::Args, Debug)]
#[command(after_help = "Example:\n  mkdir project && cd project && git init && pach init")]
pub struct InitArgs {}

pub fn run(cx: &Context, _args: &InitArgs) -> Result<()> {
    let (repo, ignored) = Repo::init(&cx.cwd)?;
    cx.ui.note(format!(
        "initialised an empty pach project in {}",
        repo.pach_dir().display()
    ));
    if let Some(g) = ignored {
        cx.ui.note(format!("added `/.pach/` to {}", g.display()));
    }
    Ok(())
}
