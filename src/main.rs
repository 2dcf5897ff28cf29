//! The `pach` binary: parse arguments, dispatch, print any error, exit.

use clap::Parser;
use pach::cli::{Cli, Color};
use pach::ui::{Ui, progress_allowed, use_color};

fn main() {
    let cli = Cli::parse();
    let choice = match cli.global.color {
        Color::Auto => "auto",
        Color::Always => "always",
        Color::Never => "never",
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ui = Ui {
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
        color: use_color(choice, no_color),
        progress: progress_allowed(),
    };
    let command = cli.command.name();
    if let Err(e) = pach::cli::dispatch(cli, ui.clone()) {
        if let pach::Error::Io { source, .. } = &e
            && source.kind() == std::io::ErrorKind::BrokenPipe
        {
            std::process::exit(0);
        }
        ui.error(&e, command);
        std::process::exit(e.exit_code());
    }
}
