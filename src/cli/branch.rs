//! `pach branch`, `pach tag` and `pach checkout`.

use std::path::PathBuf;

use serde::Serialize;

use super::Context;
use crate::error::{Error, Result};
use crate::repo::{Access, Head, ObjectId, RefKind, Repo};

/// List, create or delete branches
///
/// Without arguments, lists branches and marks the current one with `*`; -r lists the
/// remote-tracking branches (`origin/main`, set by fetch and push), -a both.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach branch\n  pach branch experiment\n  pach branch fix HEAD~2\n  pach branch -d experiment\n  pach branch -r\n  pach branch -a --json"
)]
pub struct BranchArgs {
    /// Name of the branch to create (or delete, with -d)
    name: Option<String>,
    /// Commit the new branch starts at (default: HEAD)
    rev: Option<String>,
    /// Delete the branch NAME (never the current one)
    #[arg(short, long, requires = "name", conflicts_with = "rev")]
    delete: bool,
    /// List the remote-tracking branches
    #[arg(short, long, conflicts_with_all = ["name", "all"])]
    remotes: bool,
    /// List local and remote-tracking branches
    #[arg(short, long, conflicts_with = "name")]
    all: bool,
    /// Print the list as JSON
    #[arg(long)]
    json: bool,
}

/// List, create or delete tags
///
/// Without arguments, lists tags.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach tag\n  pach tag v1\n  pach tag paper-2026 HEAD~3\n  pach tag -d v1"
)]
pub struct TagArgs {
    /// Name of the tag to create (or delete, with -d)
    name: Option<String>,
    /// Commit the tag points at (default: HEAD)
    rev: Option<String>,
    /// Delete the tag NAME
    #[arg(short, long, requires = "name", conflicts_with = "rev")]
    delete: bool,
    /// Print the list as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Listed {
    name: String,
    commit: ObjectId,
    current: bool,
    /// A remote-tracking branch (`name` is `<remote>/<branch>`); only written when true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    remote: bool,
}

pub fn branch(cx: &Context, a: &BranchArgs) -> Result<()> {
    if a.remotes || a.all {
        return list_branches(cx, a.all, a.json);
    }
    refs(
        cx,
        RefKind::Branch,
        a.name.as_deref(),
        a.rev.as_deref(),
        a.delete,
        a.json,
    )
}

pub fn tag(cx: &Context, a: &TagArgs) -> Result<()> {
    refs(
        cx,
        RefKind::Tag,
        a.name.as_deref(),
        a.rev.as_deref(),
        a.delete,
        a.json,
    )
}

fn refs(
    cx: &Context,
    kind: RefKind,
    name: Option<&str>,
    rev: Option<&str>,
    delete: bool,
    json: bool,
) -> Result<()> {
    let word = if kind == RefKind::Branch {
        "branch"
    } else {
        "tag"
    };
    let Some(name) = name else {
        let repo = cx.repo(Access::Read)?;
        let head = repo.head()?;
        let list: Vec<Listed> = repo
            .list_refs(kind)?
            .into_iter()
            .map(|(n, commit)| Listed {
                current: kind == RefKind::Branch && head == Head::Branch(n.clone()),
                name: n,
                commit,
                remote: false,
            })
            .collect();
        if json {
            return cx.ui.json(&list);
        }
        for l in list {
            let mark = if l.current { "*" } else { " " };
            cx.ui.line(format!(
                "{mark} {}  {}",
                l.name,
                cx.ui.paint("33", &l.commit.short())
            ))?;
        }
        return Ok(());
    };
    let mut repo = cx.repo(Access::Write)?;
    if delete {
        let old = repo.delete_ref(kind, name)?;
        cx.ui
            .note(format!("deleted {word} {name} (was {})", old.short()));
        return Ok(());
    }
    let target = repo.resolve_rev(rev.unwrap_or("HEAD"))?;
    repo.create_ref(kind, name, target)?;
    cx.ui
        .note(format!("created {word} {name} at {}", target.short()));
    Ok(())
}

/// Lists the remote-tracking branches (`-r`), after the local ones with `all` (`-a`; shown
/// as `remotes/<remote>/<branch>`, as git does).
fn list_branches(cx: &Context, all: bool, json: bool) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let head = repo.head()?;
    let mut list = Vec::new();
    if all {
        for (n, commit) in repo.list_refs(RefKind::Branch)? {
            list.push(Listed {
                current: head == Head::Branch(n.clone()),
                name: n,
                commit,
                remote: false,
            });
        }
    }
    for (name, commit) in repo.list_remote_refs()? {
        list.push(Listed {
            name,
            commit,
            current: false,
            remote: true,
        });
    }
    if json {
        return cx.ui.json(&list);
    }
    for l in list {
        let mark = if l.current { "*" } else { " " };
        let name = match (all, l.remote) {
            (true, true) => format!("remotes/{}", l.name),
            _ => l.name,
        };
        cx.ui.line(format!(
            "{mark} {name}  {}",
            cx.ui.paint("33", &l.commit.short())
        ))?;
    }
    Ok(())
}

/// Switch branches or commits, or restore paths from a commit
///
/// `pach checkout REV` switches to a branch (or detaches HEAD at a commit) and updates the
/// working tree, rewriting only the files that differ. It refuses to overwrite files with
/// changes that are not committed, unless --force. `pach checkout REV -- PATH...` restores the
/// paths from REV into the working tree and the index, without moving HEAD.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach checkout experiment\n  pach checkout -b new-idea\n  pach checkout v1\n  pach checkout HEAD~1 -- data/labels.csv\n  pach checkout --json v1\n  pach checkout --theirs data/labels.csv   # during a merge"
)]
pub struct CheckoutArgs {
    /// Branch, tag or commit
    #[arg(required_unless_present = "new_branch")]
    rev: Option<String>,
    /// Create a branch named B at REV (default: HEAD) and switch to it
    #[arg(short = 'b', value_name = "B")]
    new_branch: Option<String>,
    /// Discard local changes that the checkout would overwrite
    #[arg(short, long)]
    force: bool,
    /// Restore only these paths
    #[arg(last = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// During a merge: put the current branch's version of the paths given (in place of REV)
    /// in the working tree and index; `pach add` then marks them resolved
    #[arg(long, conflicts_with_all = ["theirs", "new_branch", "force"])]
    ours: bool,
    /// During a merge: put the merged commit's version (MERGE_HEAD) of the paths given
    #[arg(long, conflicts_with_all = ["new_branch", "force"])]
    theirs: bool,
    /// Print what was switched or restored as JSON
    #[arg(long)]
    json: bool,
}

pub fn checkout(cx: &Context, a: &CheckoutArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    if a.ours || a.theirs {
        // `pach checkout --theirs <path>...`: every argument is a path.
        let side = if a.theirs {
            crate::repo::MERGE_HEAD
        } else {
            "HEAD"
        };
        let all: Vec<PathBuf> = a
            .rev
            .iter()
            .map(PathBuf::from)
            .chain(a.paths.iter().cloned())
            .collect();
        let paths = cx.paths(&repo, &all)?;
        let out = repo.restore_side(side, &paths)?;
        if a.json {
            return cx.ui.json(&out);
        }
        cx.ui.note(format!(
            "took {} file(s) from {side}; `pach add` them to mark them resolved",
            out.written
        ));
        return Ok(());
    }
    if !a.paths.is_empty() {
        let rev = a.rev.as_deref().unwrap_or("HEAD");
        let paths = cx.paths(&repo, &a.paths)?;
        let out = repo.restore(rev, &paths)?;
        cx.ui.notices(&repo.take_notices());
        if a.json {
            return cx.ui.json(&out);
        }
        cx.ui.note(format!(
            "restored {} file(s) from {}",
            out.written,
            out.commit.short()
        ));
        return Ok(());
    }
    let rev = match &a.new_branch {
        Some(b) => {
            let at = resolve_or_head(&repo, a.rev.as_deref())?;
            repo.create_ref(RefKind::Branch, b, at)?;
            b.clone()
        }
        None => a.rev.clone().expect("clap requires rev without -b"),
    };
    repo.show_progress(cx.ui.progress(a.json).into());
    let out = repo.checkout(&rev, a.force)?;
    cx.ui.notices(&repo.take_notices());
    if a.json {
        cx.ui.json(&out)?;
    } else {
        let on = match &out.branch {
            Some(b) => format!("switched to branch {b}"),
            None => format!("HEAD is now detached at {}", out.commit.short()),
        };
        cx.ui.note(format!(
            "{on} ({} file(s) written, {} removed)",
            out.written, out.deleted
        ));
    }
    purged_not_written(cx, &out.purged)
}

/// Names each file a checkout left out because its content was purged, and then fails
/// with the purged exit code (the checkout itself is done: scripts must not take the
/// working tree for the whole commit).
fn purged_not_written(cx: &Context, purged: &[crate::repo::PurgedFile]) -> Result<()> {
    if purged.is_empty() {
        return Ok(());
    }
    for f in purged {
        cx.ui.warn(format!(
            "`{}` not written: purged by {} on {}: {}",
            f.path,
            f.purge.short(),
            crate::ui::format_time(f.time),
            f.reason
        ));
    }
    Err(Error::PurgedNotWritten {
        paths: purged.iter().map(|f| f.path.clone()).collect(),
    })
}

fn resolve_or_head(repo: &Repo, rev: Option<&str>) -> Result<ObjectId> {
    match rev {
        Some(r) => repo.resolve_rev(r),
        None => repo.head_commit()?.ok_or(Error::NoCommits {
            branch: "HEAD".into(),
        }),
    }
}
