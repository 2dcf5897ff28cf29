//! `pach completions`: prints a shell completion script.

use super::Context;
use crate::error::Result;

/// Print a shell completion script
///
/// The same scripts are kept in the source tree under `completions/`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach completions bash > ~/.local/share/bash-completion/completions/pach\n  pach completions zsh > ~/.zfunc/_pach"
)]
pub struct CompletionsArgs {
    /// The shell to generate for
    shell: clap_complete::Shell,
}

pub fn completions(cx: &Context, a: &CompletionsArgs) -> Result<()> {
    cx.ui.raw(&super::completion_script(a.shell))
}
