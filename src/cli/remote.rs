//! `pach remote` (with `trust-purges`), `pach push`, `pach fetch`, `pach pull` and
//! `pach clone`, and what a fetch did with the remote's purge records.
//!
//! Each command parses its arguments, calls one operation in `ops` and reports its outcome.

use std::path::PathBuf;

use super::Context;
use crate::error::Result;
use crate::ops::{self, FetchOutcome, PullOutcome, PushOutcome};
use crate::repo::Access;
use crate::ui::human_bytes;

/// Add, list, rename or remove remotes, or change their URL
///
/// A remote is a directory (a path or `file://…`) or an S3-compatible bucket
/// (`s3://bucket/prefix`). S3 credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
/// and AWS_SESSION_TOKEN, else a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE,
/// AWS_ROLE_ARN), else container or instance credentials; region and endpoint from
/// AWS_REGION and AWS_ENDPOINT_URL, overridden by `endpoint` and `region` in
/// `[remote.<name>]` of `.pach/config.toml`. Plain http only for a loopback endpoint.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach remote add origin /mnt/share/project.pach\n  pach remote add origin s3://bucket/projects/survey --endpoint http://127.0.0.1:9000\n  pach remote list --json\n  pach remote rename origin upstream\n  pach remote set-url origin s3://bucket/projects/survey-v2\n  pach remote remove origin"
)]
pub struct RemoteArgs {
    #[command(subcommand)]
    action: RemoteAction,
}

#[derive(clap::Subcommand, Debug)]
enum RemoteAction {
    /// Add a remote
    Add {
        /// Name of the remote (e.g. origin)
        name: String,
        /// Directory path, file://… or s3://bucket/prefix
        url: String,
        /// S3 endpoint URL (e.g. http://127.0.0.1:9000)
        #[arg(long)]
        endpoint: Option<String>,
        /// S3 region
        #[arg(long)]
        region: Option<String>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// List remotes
    List {
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove a remote (its remote-tracking refs go too)
    Remove {
        /// Name of the remote
        name: String,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Rename a remote (its remote-tracking refs move too)
    Rename {
        /// Current name of the remote
        old: String,
        /// New name (no remote may have it yet)
        new: String,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
    /// Apply the purge records fetched from a remote (a clone trusts `origin`)
    ///
    /// A fetched purge record from a trusted remote erases the bytes it names here, as
    /// `pach purge --yes` would; from other remotes it is only reported.
    TrustPurges {
        /// Name of the remote
        name: String,
    },
    /// Stop applying the purge records fetched from a remote (they are only reported)
    UntrustPurges {
        /// Name of the remote
        name: String,
    },
    /// Change the URL of a remote (checked as `remote add` checks it)
    SetUrl {
        /// Name of the remote
        name: String,
        /// Directory path, file://… or s3://bucket/prefix
        url: String,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
}

/// Upload a branch or tags to a remote, or delete a remote branch
///
/// Uploads only the objects the remote lacks, then moves the remote branch (or tag) with
/// compare-and-swap. A push that is not a fast-forward is refused unless --force, and so is
/// a tag that the remote has at another commit. A push that is interrupted leaves the
/// remote ref where it was; run it again to finish.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach push\n  pach push origin main\n  pach push backup experiment --force\n  pach push origin v1\n  pach push --tags\n  pach push origin --delete old-experiment"
)]
pub struct PushArgs {
    /// Remote to push to (default: origin, or the only remote)
    remote: Option<String>,
    /// Branch or tag to push (default: the current branch); `refs/heads/X` or `refs/tags/X`
    /// when X is both
    #[arg(value_name = "REF")]
    branch: Option<String>,
    /// Overwrite the remote branch even if it is not an ancestor, or a remote tag
    #[arg(long)]
    force: bool,
    /// Push every local tag (none is moved on the remote without --force)
    #[arg(long, conflicts_with_all = ["branch", "delete"])]
    tags: bool,
    /// Delete BRANCH on the remote (`refs/tags/X` deletes tag X)
    #[arg(long, value_name = "BRANCH", conflicts_with_all = ["branch", "force"])]
    delete: Option<String>,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Download a remote's branches, tags and objects
///
/// Sets `<remote>/<branch>` for each branch of the remote (usable as a revision:
/// `pach log origin/main`) and creates the remote's tags that are missing here; a local tag
/// at another commit is kept (and reported) unless --force. The working tree is not
/// touched.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach fetch\n  pach fetch backup --prune\n  pach fetch --force --json"
)]
pub struct FetchArgs {
    /// Remote to fetch from (default: origin, or the only remote)
    remote: Option<String>,
    /// Drop remote-tracking branches whose branch is gone from the remote
    #[arg(long)]
    prune: bool,
    /// Move local tags that the remote has at another commit
    #[arg(long)]
    force: bool,
    /// Apply a trusted remote's purge records even where a commit not pushed anywhere
    /// holds the only copy of the content
    #[arg(long)]
    purge_unpushed: bool,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Fetch a branch and fast-forward the local branch and working tree to it
///
/// Refuses when local and remote have diverged, and never overwrites local changes.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach pull\n  pach pull origin main --path data/raw")]
pub struct PullArgs {
    /// Remote to pull from (default: origin, or the only remote)
    remote: Option<String>,
    /// Branch to pull (default: the current branch)
    branch: Option<String>,
    /// Fetch file contents only at or under PATH, and update only that part of the tree
    #[arg(long, value_name = "PATH")]
    path: Option<PathBuf>,
    /// When both sides have new commits, merge theirs into the branch (as `pach merge`)
    #[arg(long, conflicts_with = "path")]
    merge: bool,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Make a new project from a remote, with its default branch checked out
///
/// The default branch is `main`, else the only (or first) branch. The remote is added as
/// `origin`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach clone /mnt/share/survey.pach survey\n  pach clone s3://bucket/survey --path data/clean"
)]
pub struct CloneArgs {
    /// Directory path, file://… or s3://bucket/prefix
    url: String,
    /// Directory to create (default: the last component of the URL)
    #[arg(value_name = "DIR")]
    directory: Option<PathBuf>,
    /// Fetch file contents only at or under PATH
    #[arg(long, value_name = "PATH")]
    path: Option<String>,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

pub fn remote(cx: &Context, args: &RemoteArgs) -> Result<()> {
    match &args.action {
        RemoteAction::Add {
            name,
            url,
            endpoint,
            region,
            json,
        } => {
            let mut repo = cx.repo(Access::Write)?;
            let url = ops::remotes::add(
                &mut repo,
                name,
                url,
                &cx.cwd,
                endpoint.as_deref(),
                region.as_deref(),
            )?;
            if *json {
                return cx
                    .ui
                    .json(&serde_json::json!({ "added": name, "url": url }));
            }
            cx.ui.note(format!("added remote `{name}` ({url})"));
            Ok(())
        }
        RemoteAction::List { json } => {
            let repo = cx.repo(Access::Read)?;
            let rows = ops::remotes::list(&repo);
            if *json {
                return cx.ui.json(&rows);
            }
            for r in rows {
                let trust = if r.trust_purges {
                    "\t(trusts purges)"
                } else {
                    ""
                };
                cx.ui.line(format!("{}\t{}{trust}", r.name, r.url))?;
            }
            Ok(())
        }
        RemoteAction::TrustPurges { name } => trust(cx, name, true),
        RemoteAction::UntrustPurges { name } => trust(cx, name, false),
        RemoteAction::Remove { name, json } => {
            let mut repo = cx.repo(Access::Write)?;
            ops::remotes::remove(&mut repo, name)?;
            if *json {
                return cx.ui.json(&serde_json::json!({ "removed": name }));
            }
            cx.ui.note(format!("removed remote `{name}`"));
            Ok(())
        }
        RemoteAction::Rename { old, new, json } => {
            let mut repo = cx.repo(Access::Write)?;
            let out = ops::remotes::rename(&mut repo, old, new)?;
            if *json {
                return cx.ui.json(&out);
            }
            cx.ui.note(format!(
                "renamed remote `{old}` to `{new}` ({} remote-tracking branch(es) moved)",
                out.refs
            ));
            Ok(())
        }
        RemoteAction::SetUrl { name, url, json } => {
            let mut repo = cx.repo(Access::Write)?;
            let out = ops::remotes::set_url(&mut repo, name, url, &cx.cwd)?;
            if *json {
                return cx.ui.json(&out);
            }
            cx.ui
                .note(format!("remote `{name}`: {} -> {}", out.old, out.url));
            Ok(())
        }
    }
}

pub fn push(cx: &Context, args: &PushArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let remote = args.remote.as_deref();
    if let Some(name) = &args.delete {
        let out = ops::push_refs::delete(&mut repo, remote, name)?;
        if args.json {
            return cx.ui.json(&out);
        }
        cx.ui.note(format!(
            "deleted {} on `{}` (was {})",
            out.full,
            out.remote,
            out.was.short()
        ));
        return Ok(());
    }
    let p = cx.ui.progress(args.json);
    if args.tags {
        let out = ops::push_refs::push_tags(&mut repo, remote, args.force, &*p)?;
        if args.json {
            return cx.ui.json(&out);
        }
        for t in &out.tags {
            report_push(cx, t);
        }
        if out.tags.is_empty() {
            cx.ui.note("no tags to push");
        }
        return Ok(());
    }
    let out = ops::sync::push(&mut repo, remote, args.branch.as_deref(), args.force, &*p)?;
    if args.json {
        return cx.ui.json(&out);
    }
    report_push(cx, &out);
    Ok(())
}

/// Reports one pushed ref: a branch as `<remote>/<branch>`, a tag as `<remote> tag <tag>`.
fn report_push(cx: &Context, out: &PushOutcome) {
    let what = match (&out.branch, &out.tag) {
        (Some(b), _) => format!("{}/{b}", out.remote),
        (None, t) => format!("{} tag {}", out.remote, t.as_deref().unwrap_or_default()),
    };
    if out.up_to_date {
        cx.ui.note(format!("`{what}` is up to date"));
        return;
    }
    let from = match (out.old, &out.tag) {
        (Some(o), _) => o.short(),
        (None, Some(_)) => "(new tag)".into(),
        (None, None) => "(new branch)".into(),
    };
    cx.ui.note(format!(
        "{what} {from} -> {}: {} object(s), {}{}",
        out.commit.short(),
        out.objects,
        human_bytes(out.bytes),
        if out.forced { " (forced)" } else { "" }
    ));
}

pub fn fetch(cx: &Context, args: &FetchArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let p = cx.ui.progress(args.json);
    let out = ops::fetch::fetch(
        &mut repo,
        args.remote.as_deref(),
        args.force,
        args.prune,
        args.purge_unpushed,
        &*p,
    )?;
    if args.json {
        return cx.ui.json(&out);
    }
    report_fetch(cx, &out);
    Ok(())
}

/// Reports a fetch: branches moved, tags created, moved or kept, refs pruned, totals.
fn report_fetch(cx: &Context, out: &FetchOutcome) {
    for b in &out.branches {
        let from = b.old.map_or("(new)".into(), |o| o.short());
        cx.ui.note(format!(
            "{}/{}: {from} -> {}",
            out.remote,
            b.name,
            b.new.short()
        ));
    }
    for t in &out.tags {
        let old = t.old.map_or("(new)".into(), |o| o.short());
        cx.ui.note(match t.result {
            "kept" => format!(
                "tag {}: kept at {old}; `{}` has it at {} (fetch --force to move it)",
                t.name,
                out.remote,
                t.new.short()
            ),
            _ => format!("tag {}: {old} -> {}", t.name, t.new.short()),
        });
    }
    for gone in &out.pruned {
        cx.ui.note(format!("pruned {gone} (gone from the remote)"));
    }
    cx.ui.note(format!(
        "fetched {} commit(s), {} object(s), {}",
        out.commits,
        out.objects,
        human_bytes(out.bytes)
    ));
    report_fetched(cx, &out.remote, &out.purges);
}

pub fn pull(cx: &Context, args: &PullArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    repo.show_progress(cx.ui.progress(args.json).into());
    let p = cx.ui.progress(args.json);
    let identity = args.merge.then(|| cx.identity(repo.root()).clone());
    let out = ops::sync::pull(
        &mut repo,
        args.remote.as_deref(),
        args.branch.as_deref(),
        args.path.as_deref(),
        &cx.cwd,
        identity.as_ref(),
        &*p,
    )?;
    cx.ui.notices(&repo.take_notices());
    report_pull(cx, &out, args.json)?;
    match &out.merge {
        Some(m) if !m.conflicts.is_empty() => Err(crate::Error::MergeConflicts {
            count: m.conflicts.len(),
            paths: m.conflicts.iter().map(|c| c.path.clone()).collect(),
        }),
        _ => Ok(()),
    }
}

fn report_pull(cx: &Context, out: &PullOutcome, json: bool) -> Result<()> {
    if json {
        return cx.ui.json(out);
    }
    report_fetched(cx, &out.fetch.remote, &out.fetch.purges);
    let (b, remote) = (&out.branch, &out.fetch.remote);
    match out.result {
        "up-to-date" if out.written > 0 => cx.ui.note(format!(
            "`{b}` is up to date with `{remote}/{b}`; {} file(s) not fetched before now written \
             (fetched {})",
            out.written,
            human_bytes(out.fetch.bytes)
        )),
        "up-to-date" => cx
            .ui
            .note(format!("`{b}` is up to date with `{remote}/{b}`")),
        "ahead" => cx.ui.note(format!(
            "`{b}` is ahead of `{remote}/{b}`; nothing to pull (push it?)"
        )),
        "merged" => cx.ui.note(format!(
            "{b}: merged `{remote}/{b}` as {} ({} file(s) written, {} deleted){}",
            out.new.short(),
            out.written,
            out.deleted,
            stale_note(out)
        )),
        "conflicts" => {
            let n = out.merge.as_ref().map_or(0, |m| m.conflicts.len());
            cx.ui.note(format!(
                "{b}: merging `{remote}/{b}` stopped on {n} conflict(s); `pach status` lists them{}",
                stale_note(out)
            ))
        }
        _ => cx.ui.note(format!(
            "{b}: {} -> {} (fast-forward; {} file(s) written, {} deleted; fetched {})",
            out.old.map_or("(none)".into(), |o| o.short()),
            out.new.short(),
            out.written,
            out.deleted,
            human_bytes(out.fetch.bytes)
        )),
    }
    Ok(())
}

/// The stale stages a `pull --merge` left, as a sentence ending, or nothing.
fn stale_note(out: &PullOutcome) -> String {
    match &out.merge {
        Some(m) if !m.stale_stages.is_empty() => format!(
            "; stale: {} (`pach run` recomputes them)",
            m.stale_stages.join(", ")
        ),
        _ => String::new(),
    }
}

pub fn clone(cx: &Context, args: &CloneArgs) -> Result<()> {
    let p = cx.ui.progress(args.json);
    let out = ops::clone::clone(
        &args.url,
        &cx.cwd,
        args.directory.as_deref(),
        args.path.as_deref(),
        &*p,
    )?;
    cx.ui.notices(&out.notices);
    if args.json {
        return cx.ui.json(&out.pull);
    }
    report_fetched(cx, "origin", &out.pull.fetch.purges);
    cx.ui.note(format!(
        "cloned `{}` into {} ({} at {}, {} file(s), {})",
        out.url,
        out.dir.display(),
        out.branch,
        out.pull.new.short(),
        out.pull.written,
        human_bytes(out.pull.fetch.bytes)
    ));
    Ok(())
}

/// `pach remote trust-purges NAME` (`trust`) or `untrust-purges NAME`.
fn trust(cx: &Context, name: &str, trust: bool) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    ops::purge_sync::set_trust(&mut repo, name, trust)?;
    cx.ui.note(if trust {
        format!("purge records fetched from `{name}` will be applied here")
    } else {
        format!("purge records fetched from `{name}` will only be reported")
    });
    Ok(())
}

/// Reports the purge records a fetch applied, held back or ignored.
fn report_fetched(cx: &Context, remote: &str, out: &ops::purge_sync::FetchedPurges) {
    for id in &out.applied {
        cx.ui
            .note(format!("applied purge {} from `{remote}`", id.short()));
    }
    if !out.applied.is_empty() {
        cx.ui.note(format!(
            "erased {} purged object(s) ({} file(s), {})",
            out.erased.objects,
            out.erased.files,
            human_bytes(out.erased.bytes)
        ));
    }
    for h in &out.held {
        cx.ui.warn(format!(
            "purge {} from `{remote}` not applied: object {} ({}) is in commit {}, which no \
             remote-tracking branch holds (its only copy may be here); `pach fetch {remote} \
             --purge-unpushed` erases it anyway",
            h.purge.short(),
            h.object,
            h.path,
            h.commit.short()
        ));
    }
    if !out.untrusted.is_empty() {
        cx.ui.warn(format!(
            "`{remote}` has {} purge record(s) not applied here: it is not trusted with \
             purges (`pach remote trust-purges {remote}` applies them at the next fetch)",
            out.untrusted.len()
        ));
    }
}
