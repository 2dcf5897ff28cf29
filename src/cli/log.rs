//! `pach log` and `pach show`: history and one commit.

use std::path::PathBuf;

use serde::Serialize;

use super::Context;
use crate::error::Result;
use crate::repo::{Access, Change, Commit, ImageRef, ObjectId};
use crate::ui::{Ui, format_time};

/// Show commit history, with the code version of each commit
///
/// Starts at HEAD (or REV) and follows first parents. With `-- PATH`, lists only the commits
/// that changed that file or directory. Each commit shows the git commit it was made with
/// (`--oneline`: at the end of the line), and whether git's worktree was dirty then.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach log -n 5 --oneline\n  pach log -- data/labels.csv\n  pach log --follow -- data/renamed.csv\n  pach log --json main~3\n  pach log --graph --all"
)]
pub struct LogArgs {
    /// Where to start (default: HEAD)
    rev: Option<String>,
    /// Show at most N commits
    #[arg(short = 'n', value_name = "N")]
    max: Option<usize>,
    /// One line per commit: short id and first line of the message
    #[arg(long)]
    oneline: bool,
    /// Print the commits as JSON
    #[arg(long)]
    json: bool,
    /// Follow PATH across renames (`pach mv`)
    #[arg(long, requires = "path")]
    follow: bool,
    /// Draw the history as a graph, one line per commit, following every parent
    #[arg(long, conflicts_with_all = ["path", "json"])]
    graph: bool,
    /// Start from every ref (HEAD, branches, tags, remote-tracking branches), not one rev
    #[arg(long, conflicts_with_all = ["rev", "path"])]
    all: bool,
    /// Only commits that changed this path
    #[arg(last = true, value_name = "PATH")]
    path: Option<PathBuf>,
}

/// A commit with its id, for JSON output.
#[derive(Serialize)]
struct Shown<'a> {
    id: ObjectId,
    #[serde(flatten)]
    commit: &'a Commit,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<&'a [Change]>,
    /// The runs of a `pach run` commit (`pach show` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    run_records: Option<&'a [ShownRun]>,
}

/// One run a commit lists, for `pach show`.
#[derive(Serialize)]
struct ShownRun {
    id: ObjectId,
    stage: String,
    datum: ObjectId,
    exit: i64,
    image: ImageRef,
}

pub fn run(cx: &Context, args: &LogArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    if args.graph || args.all {
        return graph(cx, &repo, args);
    }
    let start = match &args.rev {
        Some(r) => repo.resolve_rev(r)?,
        None => match repo.head_commit()? {
            Some(id) => id,
            None if args.json => return cx.ui.line("[]"),
            None => return Ok(()),
        },
    };
    let path = match &args.path {
        Some(p) => Some(crate::paths::resolve(repo.root(), &cx.cwd, p)?),
        None => None,
    };
    let commits = match &path {
        Some(p) if args.follow => repo.log_follow(start, p, args.max)?,
        _ => repo.log(start, path.as_deref(), args.max)?,
    };
    if args.json {
        return cx.ui.json(&listed(&commits));
    }
    for (i, (id, c)) in commits.iter().enumerate() {
        if args.oneline {
            let git = c
                .code
                .as_ref()
                .and_then(|code| code.git_commit.as_deref())
                .map(|g| format!(" (git {})", crate::ui::short_git(g)))
                .unwrap_or_default();
            cx.ui.line(format!(
                "{} {}{git}",
                cx.ui.paint("33", &id.short()),
                c.message.lines().next().unwrap_or("")
            ))?;
        } else {
            if i > 0 {
                cx.ui.line("")?;
            }
            print_commit(&cx.ui, id, c)?;
        }
    }
    Ok(())
}

/// The commits of a log as JSON shows them.
fn listed(commits: &[(ObjectId, Commit)]) -> Vec<Shown<'_>> {
    commits
        .iter()
        .map(|(id, c)| Shown {
            id: *id,
            commit: c,
            changes: None,
            run_records: None,
        })
        .collect()
}

/// `log --graph` and `log --all`: every parent followed, children before parents.
fn graph(cx: &Context, repo: &crate::repo::Repo, args: &LogArgs) -> Result<()> {
    let starts = match (&args.rev, args.all) {
        (_, true) => repo.ref_tips()?,
        (Some(r), false) => vec![repo.resolve_rev(r)?],
        (None, false) => repo.head_commit()?.into_iter().collect(),
    };
    let commits = repo.log_all(&starts, args.max)?;
    if args.json {
        return cx.ui.json(&listed(&commits));
    }
    let shape: Vec<(ObjectId, Vec<ObjectId>)> = commits
        .iter()
        .map(|(id, c)| (*id, c.parents.clone()))
        .collect();
    let rows = if args.graph {
        crate::ui::graph::graph(&shape)
    } else {
        shape.iter().map(|_| (String::new(), Vec::new())).collect()
    };
    for ((id, c), (prefix, connectors)) in commits.iter().zip(rows) {
        if args.oneline || args.graph {
            cx.ui.line(format!(
                "{prefix}{} {}",
                cx.ui.paint("33", &id.short()),
                c.message.lines().next().unwrap_or("")
            ))?;
        } else {
            print_commit(&cx.ui, id, c)?;
            cx.ui.line("")?;
        }
        for line in connectors {
            cx.ui.line(line)?;
        }
    }
    Ok(())
}

fn print_commit(ui: &Ui, id: &ObjectId, c: &Commit) -> Result<()> {
    ui.line(ui.paint("33", &format!("commit {id}")))?;
    ui.line(format!("Author: {} <{}>", c.author.name, c.author.email))?;
    ui.line(format!("Date:   {}", format_time(c.time)))?;
    match &c.code {
        Some(code) => {
            let at = code
                .git_commit
                .as_deref()
                .map_or("(no commits)", crate::ui::short_git);
            ui.line(format!(
                "Code:   git {at}{}",
                if code.dirty { " (dirty)" } else { "" }
            ))?;
        }
        None => ui.line("Code:   (not in a git repository)")?,
    }
    ui.line("")?;
    for l in c.message.lines() {
        ui.line(format!("    {l}"))?;
    }
    Ok(())
}

/// Show a commit: its metadata and the files it changed
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach show\n  pach show v1 --json")]
pub struct ShowArgs {
    /// The commit to show (default: HEAD)
    #[arg(default_value = "HEAD")]
    rev: String,
    /// Print the commit and its changes as JSON
    #[arg(long)]
    json: bool,
}

pub fn show(cx: &Context, args: &ShowArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let id = repo.resolve_rev(&args.rev)?;
    let c = repo.commit_obj(&id)?;
    let changes = repo.commit_changes(&c)?;
    let runs: Vec<ShownRun> = repo
        .run_records(&c)?
        .into_iter()
        .map(|(id, rec)| ShownRun {
            id,
            stage: rec.stage,
            datum: rec.datum,
            exit: rec.exit,
            image: rec.image,
        })
        .collect();
    if args.json {
        return cx.ui.json(&Shown {
            id,
            commit: &c,
            changes: Some(&changes),
            run_records: Some(&runs).filter(|r| !r.is_empty()).map(|r| r.as_slice()),
        });
    }
    print_commit(&cx.ui, &id, &c)?;
    cx.ui.line("")?;
    cx.ui.changes(&changes)?;
    if !runs.is_empty() {
        cx.ui.line("")?;
        cx.ui.line(format!("Runs ({}):", runs.len()))?;
    }
    for r in &runs {
        cx.ui.line(format!(
            "  {}  {}  datum {}  exit {}  {} ({})",
            r.id.short(),
            r.stage,
            r.datum.short(),
            r.exit,
            r.image.tag,
            r.image.id
        ))?;
    }
    Ok(())
}
