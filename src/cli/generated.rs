//! Files generated from the clap definitions and kept in the source tree: shell completions
//! in `completions/` and man pages in `man/`. A test fails when they are stale; run
//! `PACH_BLESS=1 cargo test generated` to rewrite them.

use clap::CommandFactory;

use super::Cli;

/// Returns every generated file as (path relative to the crate root, contents).
pub fn files() -> Vec<(String, Vec<u8>)> {
    use clap_complete::Shell;
    let mut out = Vec::new();
    for (shell, name) in [
        (Shell::Bash, "pach.bash"),
        (Shell::Zsh, "_pach"),
        (Shell::Fish, "pach.fish"),
        (Shell::Elvish, "pach.elv"),
        (Shell::PowerShell, "_pach.ps1"),
    ] {
        out.push((
            format!("completions/{name}"),
            super::completion_script(shell),
        ));
    }
    let cmd = Cli::command();
    out.push(("man/pach.1".into(), render_man(cmd.clone())));
    for sub in cmd.get_subcommands() {
        let name = format!("pach-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .display_name(name.clone())
            .bin_name(name.clone());
        out.push((format!("man/{name}.1"), render_man(page)));
    }
    out
}

fn render_man(cmd: clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .expect("rendering to memory cannot fail");
    buf
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn generated_completions_and_man_pages_are_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let bless = std::env::var_os("PACH_BLESS").is_some();
        let mut stale = Vec::new();
        for (rel, want) in super::files() {
            let path = root.join(&rel);
            if std::fs::read(&path).ok().as_deref() != Some(want.as_slice()) {
                if bless {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, &want).unwrap();
                } else {
                    stale.push(rel);
                }
            }
        }
        assert!(
            stale.is_empty(),
            "stale generated files (run `PACH_BLESS=1 cargo test generated`): {stale:?}"
        );
    }
}
