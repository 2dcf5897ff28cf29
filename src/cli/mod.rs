//! The command line: the clap definitions, global flags, and one flat dispatch.

mod add;
mod branch;
mod commit;
mod completions;
mod diff;
mod fsck;
pub mod generated;
mod init;
mod log;
mod merge;
mod provenance;
mod purge;
mod read;
mod remote;
mod run;
mod status;
mod undo;

use std::cell::OnceCell;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::error::Result;
use crate::ops::Identity;
use crate::repo::{Access, Repo};
use crate::store::Author;
use crate::ui::Ui;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  failure (the message says what and where)
  2  usage error (bad flags or arguments)
  3  the repository is locked by another pach process
  4  a check failed (`pach fsck` found problems)
  5  content asked for was purged (`pach cat`, `pach checkout`; see `pach purge --list`)";

/// Git for data: version large files beside git, run pipeline stages in local containers,
/// and trace every output to the exact bytes it came from.
#[derive(Parser, Debug)]
#[command(name = "pach", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command takes.
#[derive(Args, Debug)]
pub struct Global {
    /// Print nothing but results and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more about what is happening (can be repeated)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Run as if pach was started in DIR
    #[arg(short = 'C', value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,
    /// When to colour output (NO_COLOR in the environment means never, for auto)
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    #[command(flatten)]
    pub settings: Settings,
}

/// Settings usually given in the environment (`PACH_*`), read through clap so `--help` lists
/// them. An empty variable counts as unset, and one that is not UTF-8 is ignored, as before.
#[derive(Args, Debug, Clone, Default)]
pub struct Settings {
    /// Commit author name (default: git's user.name, else the user name)
    #[arg(long, global = true, env = "PACH_AUTHOR_NAME", value_name = "NAME",
          value_parser = clap::builder::OsStringValueParser::new(), help_heading = "Settings")]
    pub author_name: Option<OsString>,
    /// Commit author email (default: git's user.email, else user@host)
    #[arg(long, global = true, env = "PACH_AUTHOR_EMAIL", value_name = "EMAIL",
          value_parser = clap::builder::OsStringValueParser::new(), help_heading = "Settings")]
    pub author_email: Option<OsString>,
    /// Commit time as Unix seconds, for reproducible commits (default: now)
    #[arg(long, global = true, env = "PACH_AUTHOR_DATE", value_name = "SECONDS",
          value_parser = clap::builder::OsStringValueParser::new(), help_heading = "Settings")]
    pub author_date: Option<OsString>,
}

/// Colour choice.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Every subcommand.
#[derive(Subcommand, Debug)]
pub enum Command {
    Init(init::InitArgs),
    Add(add::AddArgs),
    Rm(add::RmArgs),
    Status(status::StatusArgs),
    Commit(commit::CommitArgs),
    Log(log::LogArgs),
    Branch(branch::BranchArgs),
    Tag(branch::TagArgs),
    Checkout(branch::CheckoutArgs),
    Merge(merge::MergeArgs),
    Reflog(undo::ReflogArgs),
    Reset(undo::ResetArgs),
    Restore(undo::RestoreArgs),
    Revert(undo::RevertArgs),
    Mv(undo::MvArgs),
    Diff(diff::DiffArgs),
    Ls(read::LsArgs),
    Cat(read::CatArgs),
    Show(log::ShowArgs),
    Run(run::RunArgs),
    Logs(run::LogsArgs),
    Provenance(provenance::ProvenanceArgs),
    Fsck(fsck::FsckArgs),
    Du(fsck::DuArgs),
    Gc(fsck::GcArgs),
    Purge(purge::PurgeArgs),
    Completions(completions::CompletionsArgs),
    Remote(remote::RemoteArgs),
    Push(remote::PushArgs),
    Fetch(remote::FetchArgs),
    Pull(remote::PullArgs),
    Clone(remote::CloneArgs),
}

/// What every command needs: output settings, where it runs, and who runs it.
pub struct Context {
    pub ui: Ui,
    pub cwd: PathBuf,
    /// The `PACH_*` settings (flags or environment).
    pub settings: Settings,
    /// Filled the first time a command asks (most never do: it costs a look at git).
    identity: OnceCell<Identity>,
}

impl Context {
    /// Opens the project enclosing the working directory.
    pub fn repo(&self, access: Access) -> Result<Repo> {
        Repo::discover(&self.cwd, access)
    }

    /// Resolves user paths to project paths.
    pub fn paths(&self, repo: &Repo, args: &[PathBuf]) -> Result<Vec<String>> {
        args.iter()
            .map(|a| Ok(crate::paths::resolve(repo.root(), &self.cwd, a)?))
            .collect()
    }

    /// Who runs this command: the author (`--author-name`/`--author-email` or PACH_AUTHOR_NAME
    /// / PACH_AUTHOR_EMAIL, else git's user.name / user.email as seen from `root`, else
    /// user@host), the fixed time (`--author-date` or PACH_AUTHOR_DATE), the `uid:gid`
    /// containers run as, and the host. Read once.
    pub fn identity(&self, root: &Path) -> &Identity {
        self.identity.get_or_init(|| {
            let host = rustix::system::uname()
                .nodename()
                .to_string_lossy()
                .into_owned();
            Identity {
                author: author(&self.settings, root, &host),
                fixed_time: self.settings.author_date(),
                user: format!(
                    "{}:{}",
                    rustix::process::getuid().as_raw(),
                    rustix::process::getgid().as_raw()
                ),
                host,
            }
        })
    }

    /// Returns a project path for display relative to nothing (project-rooted).
    pub fn show_path(p: &str) -> &str {
        if p.is_empty() { "." } else { p }
    }
}

/// Returns the author from the settings, git config as seen from `dir`, or user@host.
fn author(settings: &Settings, dir: &Path, host: &str) -> Author {
    let env = |k| std::env::var(k).ok().filter(|v: &String| !v.is_empty());
    let git = crate::git::author(dir);
    let user = env("USER")
        .or_else(|| env("LOGNAME"))
        .unwrap_or_else(|| "unknown".into());
    Author {
        name: Settings::text(&settings.author_name)
            .or_else(|| git.as_ref().map(|a| a.name.clone()))
            .unwrap_or_else(|| user.clone()),
        email: Settings::text(&settings.author_email)
            .or_else(|| git.as_ref().map(|a| a.email.clone()))
            .unwrap_or(format!("{user}@{host}")),
    }
}

impl Settings {
    /// A setting's text: `None` when unset, empty or not UTF-8 (as the environment was read).
    fn text(v: &Option<OsString>) -> Option<String> {
        v.as_deref()
            .and_then(|v| v.to_str())
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// The fixed commit time in Unix seconds; `None` when unset or not a number (then now).
    pub fn author_date(&self) -> Option<i64> {
        self.author_date
            .as_deref()
            .and_then(|v| v.to_str())
            .and_then(|v| v.trim().parse().ok())
    }
}

/// Returns the completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pach", &mut out);
    out
}

/// Runs one parsed command line.
impl Command {
    /// The subcommand's name as typed (for hints that depend on it).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Init(_) => "init",
            Command::Add(_) => "add",
            Command::Rm(_) => "rm",
            Command::Status(_) => "status",
            Command::Commit(_) => "commit",
            Command::Log(_) => "log",
            Command::Branch(_) => "branch",
            Command::Tag(_) => "tag",
            Command::Checkout(_) => "checkout",
            Command::Merge(_) => "merge",
            Command::Reflog(_) => "reflog",
            Command::Reset(_) => "reset",
            Command::Restore(_) => "restore",
            Command::Revert(_) => "revert",
            Command::Mv(_) => "mv",
            Command::Diff(_) => "diff",
            Command::Ls(_) => "ls",
            Command::Cat(_) => "cat",
            Command::Show(_) => "show",
            Command::Run(_) => "run",
            Command::Logs(_) => "logs",
            Command::Provenance(_) => "provenance",
            Command::Fsck(_) => "fsck",
            Command::Du(_) => "du",
            Command::Gc(_) => "gc",
            Command::Purge(_) => "purge",
            Command::Completions(_) => "completions",
            Command::Remote(_) => "remote",
            Command::Push(_) => "push",
            Command::Fetch(_) => "fetch",
            Command::Pull(_) => "pull",
            Command::Clone(_) => "clone",
        }
    }
}

pub fn dispatch(cli: Cli, ui: Ui) -> Result<()> {
    let cwd = match &cli.global.dir {
        Some(d) => std::fs::canonicalize(d).map_err(|source| crate::Error::Io {
            path: d.clone(),
            source,
        })?,
        None => std::env::current_dir().map_err(|source| crate::Error::Io {
            path: Path::new(".").into(),
            source,
        })?,
    };
    let cx = Context {
        ui,
        cwd,
        settings: cli.global.settings.clone(),
        identity: OnceCell::new(),
    };
    match cli.command {
        Command::Init(a) => init::run(&cx, &a),
        Command::Add(a) => add::add(&cx, &a),
        Command::Rm(a) => add::rm(&cx, &a),
        Command::Status(a) => status::run(&cx, &a),
        Command::Commit(a) => commit::run(&cx, &a),
        Command::Log(a) => log::run(&cx, &a),
        Command::Branch(a) => branch::branch(&cx, &a),
        Command::Tag(a) => branch::tag(&cx, &a),
        Command::Checkout(a) => branch::checkout(&cx, &a),
        Command::Merge(a) => merge::run(&cx, &a),
        Command::Reflog(a) => undo::reflog(&cx, &a),
        Command::Reset(a) => undo::reset(&cx, &a),
        Command::Restore(a) => undo::restore(&cx, &a),
        Command::Revert(a) => undo::revert(&cx, &a),
        Command::Mv(a) => undo::mv(&cx, &a),
        Command::Diff(a) => diff::run(&cx, &a),
        Command::Ls(a) => read::ls(&cx, &a),
        Command::Cat(a) => read::cat(&cx, &a),
        Command::Show(a) => log::show(&cx, &a),
        Command::Run(a) => run::run(&cx, &a),
        Command::Logs(a) => run::logs(&cx, &a),
        Command::Provenance(a) => provenance::run(&cx, &a),
        Command::Fsck(a) => fsck::fsck(&cx, &a),
        Command::Du(a) => fsck::du(&cx, &a),
        Command::Gc(a) => fsck::gc(&cx, &a),
        Command::Purge(a) => purge::run(&cx, &a),
        Command::Completions(a) => completions::completions(&cx, &a),
        Command::Remote(a) => remote::remote(&cx, &a),
        Command::Push(a) => remote::push(&cx, &a),
        Command::Fetch(a) => remote::fetch(&cx, &a),
        Command::Pull(a) => remote::pull(&cx, &a),
        Command::Clone(a) => remote::clone(&cx, &a),
    }
}

/// The command line's definition is consistent, and every hint an error prints names only
/// commands and flags that parse (here, not in `error`, which must not reach `cli`).
#[cfg(test)]
mod tests {
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
            Error::Stale {
                datums: 2,
                stages: 1,
            },
            Error::StagedFirst {
                command: "revert",
                paths: vec!["a".into()],
            },
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
            Error::Purged {
                path: "a".into(),
                purge: id,
                time: 0,
                reason: "r".into(),
            },
            Error::Store(crate::store::Error::Write {
                path: "/x".into(),
                source: io(),
            }),
            Error::Runner(crate::runner::Error::ImageMissing { image: "i".into() }),
        ];
        let mut seen = 0;
        for e in &errors {
            for command in ["", "checkout", "pull", "run", "commit", "add", "revert"] {
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
}
