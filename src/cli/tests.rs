//! The command line's definition is consistent, and every hint an error prints names only
//! commands and flags that parse.

use clap::CommandFactory;

use crate::error::Error;
use crate::repo::ObjectId;

#[test]
fn cli_definition_is_consistent() {
    super::Cli::command().debug_assert();
}

/// The `pach …` commands a hint names in backticks, placeholders filled in.
fn commands(hint: &str) -> Vec<Vec<String>> {
    hint.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.starts_with("pach "))
        .map(|s| {
            s.split_whitespace()
                .map(|w| {
                    let w = w.trim_matches('"');
                    if w.starts_with('<') { "x" } else { w }.to_string()
                })
                .collect()
        })
        .collect()
}

/// Every hint of every command names only commands and flags that exist.
#[test]
fn every_command_a_hint_names_parses() {
    use clap::Parser;
    let id = ObjectId::of(b"x");
    let io = || std::io::Error::from_raw_os_error(28);
    let errors = [
        Error::NotAProject { start: "/x".into() },
        Error::Locked {
            pid: "1".into(),
            lock: "/x".into(),
        },
        Error::WouldOverwrite {
            paths: vec!["a".into()],
        },
        Error::AmbiguousRev {
            rev: "ab".into(),
            candidates: "ab1, ab2".into(),
        },
        Error::EmptyMessage,
        Error::StageFailed {
            stage: "count".into(),
            datum: "0123abcd".into(),
            exit: 1,
            tail: String::new(),
        },
        Error::RunRecordMissing {
            path: "a".into(),
            run: id,
        },
        Error::Store(crate::store::Error::Missing { id }),
        Error::Store(crate::store::Error::Write {
            path: "/x".into(),
            source: io(),
        }),
        Error::Runner(crate::runner::Error::ImageMissing { image: "i".into() }),
    ];
    let mut seen = 0;
    for e in &errors {
        for command in ["", "checkout", "pull", "run", "commit", "add"] {
            let hint = e
                .hint_for(command)
                .unwrap_or_else(|| panic!("{e} has no hint"));
            for words in commands(&hint) {
                seen += 1;
                if let Err(err) = super::Cli::try_parse_from(&words) {
                    panic!("hint of `{e}` names `{}`: {err}", words.join(" "));
                }
            }
        }
    }
    assert!(seen > 20, "only {seen} commands found in hints");
    // The check itself can fail: a flag `pull` does not have.
    let bad = commands("run `pach pull --force`");
    assert!(super::Cli::try_parse_from(&bad[0]).is_err());
}

/// Every hint a remote command can print names only commands and flags that exist.
#[test]
fn every_remote_hint_names_commands_that_parse() {
    use crate::remote::Error as R;
    use clap::Parser;
    let id = ObjectId::of(b"x");
    let remote = || "origin".to_string();
    let branch = || "main".to_string();
    let errors = [
        R::Unknown { name: remote() },
        R::NotFastForward {
            remote: remote(),
            branch: branch(),
            theirs: id.short(),
            ours: id.short(),
        },
        R::RefMoved {
            remote: remote(),
            branch: branch(),
            expected: id.short(),
            now: id.short(),
        },
        R::Diverged {
            remote: remote(),
            branch: branch(),
            local: id.short(),
            theirs: id.short(),
        },
        R::Corrupt {
            remote: remote(),
            id,
            actual: id,
        },
        R::Missing {
            remote: remote(),
            id,
        },
        R::LocalCorrupt {
            remote: remote(),
            id,
            actual: id,
        },
        R::DetachedHead {
            command: "push",
            at: id.short(),
        },
        R::DetachedHead {
            command: "pull",
            at: id.short(),
        },
    ];
    let mut seen = 0;
    for e in errors {
        let e = Error::Remote(e);
        let hint = e.hint().unwrap_or_else(|| panic!("{e} has no hint"));
        for words in commands(&hint) {
            seen += 1;
            if let Err(err) = super::Cli::try_parse_from(&words) {
                panic!("hint of `{e}` names `{}`: {err}", words.join(" "));
            }
        }
    }
    assert!(seen >= 12, "only {seen} commands found in remote hints");
}
