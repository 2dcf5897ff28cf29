//! `pach purge`: erase file contents from every version, after a report of what holds them
//! and what was derived from them; `pach purge --list`.

use serde::Serialize;

use super::Context;
use crate::error::Result;
use crate::ops::purge::{PurgeOptions, PurgeOutcome};
use crate::repo::{Access, ObjectId, PurgeRecord};
use crate::ui::{format_time, human_bytes};

/// Erase file contents from every version, keeping history verifiable
///
/// First reports every commit (reachable from a branch, tag, remote-tracking ref or HEAD),
/// ref and path that holds the content, and every output derived from it through pipeline
/// runs, transitively. Without --yes that is all it does. With --yes it writes a purge record
/// (reason, who, when) to .pach/purges/, then deletes the content's bytes from the store:
/// commits, trees and run records stay byte-identical, so every id stays valid, and reading
/// purged content fails with exit code 5, naming the purge. A purge that was interrupted is
/// finished by running it again, or by `pach gc`. See docs/PURGE.md for what a purge
/// guarantees and what it does not do yet.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach purge v1:data/people.csv --reason \"erasure request #12\"\n  pach purge v1:data/people.csv --reason \"erasure request #12\" --yes\n  pach purge 3f2a…(64 hex digits) --reason \"leaked key\" --yes\n  pach purge v1:data/people.csv --reason \"erasure request #12\" --derived --yes\n  pach purge v1:data/people.csv --reason \"erasure request #12\" --derived --yes --rerun\n  pach purge --list --json"
)]
pub struct PurgeArgs {
    /// What to purge: REV:PATH (a file, or every file under a directory) or a file's object
    /// id (can be repeated)
    #[arg(
        value_name = "REV:PATH|ID",
        required_unless_present = "list",
        conflicts_with = "list"
    )]
    targets: Vec<String>,
    /// Why the content is purged (kept in the purge record)
    #[arg(long, value_name = "TEXT", required_unless_present = "list")]
    reason: Option<String>,
    /// Purge; without it only the report is printed and nothing changes
    #[arg(long, conflicts_with_all = ["dry_run", "list"])]
    yes: bool,
    /// Only print the report (the default without --yes)
    #[arg(long, conflicts_with = "list")]
    dry_run: bool,
    /// Purge every output derived from the content too (transitively: an aggregate can
    /// carry erased data) and the logs of the runs that read it
    #[arg(long, conflicts_with = "list")]
    derived: bool,
    /// Then commit on the current branch without the purged content (deleting its
    /// working-tree copies, keeping those with local changes) and run the stale stages
    #[arg(long, requires = "yes", conflicts_with = "json")]
    rerun: bool,
    /// List every purge with its record
    #[arg(long)]
    list: bool,
    /// With --yes, also upload the purge record to remote NAME and erase the bytes there
    /// (can be repeated)
    #[arg(long, value_name = "NAME", conflicts_with = "list")]
    remote: Vec<String>,
    /// With --yes, do what --remote does on every remote
    #[arg(long, conflicts_with_all = ["list", "remote"])]
    all_remotes: bool,
    /// Print the report (or the list) as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(cx: &Context, a: &PurgeArgs) -> Result<()> {
    if a.list {
        return list(cx, a.json);
    }
    let access = if a.yes { Access::Write } else { Access::Read };
    let mut repo = cx.repo(access)?;
    let id = cx.identity(repo.root());
    let opts = PurgeOptions {
        targets: &a.targets,
        reason: a
            .reason
            .as_deref()
            .expect("clap requires --reason without --list"),
        apply: a.yes,
        derived: a.derived,
        author: id.author.clone(),
        time: id.time(),
    };
    if opts.reason.trim().is_empty() {
        return Err(crate::Error::BadPath {
            path: "--reason".into(),
            reason: "say why the content is purged".into(),
        });
    }
    let remotes = crate::ops::remote_purge::remotes(&repo, &a.remote, a.all_remotes)?;
    let out = crate::ops::purge::purge(&mut repo, &opts)?;
    if a.json && remotes.is_empty() {
        cx.ui.json(&out)?;
    } else if !a.json {
        report(cx, &out)?;
    }
    if !a.derived && !out.impact.derived.is_empty() {
        cx.ui
            .note("the derived outputs and run logs stay unless --derived is given");
    }
    done(cx, &out);
    if !a.yes {
        return Ok(());
    }
    let p = cx.ui.progress(a.json);
    let mut on_remotes = Vec::new();
    for name in &remotes {
        let r = crate::ops::remote_purge::purge_remote(&repo, name, &*p)?;
        if !a.json {
            cx.ui.note(format!(
                "remote `{name}`: {} record(s) uploaded, {} pack(s) rewritten ({} object(s) \
                 repacked), {} file(s) deleted",
                r.records, r.packs, r.repacked, r.files
            ));
        }
        on_remotes.push(r);
    }
    drop(p);
    if a.json && !remotes.is_empty() {
        let mut v = serde_json::to_value(&out).unwrap_or_default();
        v["remotes"] = serde_json::to_value(&on_remotes).unwrap_or_default();
        cx.ui.json(&v)?;
    }
    // Last: the remotes' copies are erased even when the rerun fails (no Docker, a stage
    // error); rerunning the command then only has the rerun left to do.
    if a.rerun {
        let progress = cx.ui.progress(false);
        let logs = cx.ui.container_output(false);
        let r = crate::ops::purge_rerun::rerun(
            &mut repo,
            out.purge.as_ref(),
            opts.reason,
            id,
            progress.as_ref(),
            &logs,
        )?;
        cx.ui.notices(&repo.take_notices());
        rerun_done(cx, &r)?;
    }
    Ok(())
}

/// Says what `--rerun` did.
fn rerun_done(cx: &Context, r: &crate::ops::purge_rerun::RerunOutcome) -> Result<()> {
    let Some((commit, branch)) = &r.commit else {
        cx.ui
            .note("the index holds no purged content: nothing to commit or rerun");
        return Ok(());
    };
    cx.ui.note(format!(
        "removed {} path(s) holding purged content",
        r.removed.len()
    ));
    for p in &r.kept {
        cx.ui.warn(format!(
            "`{p}` has local changes: kept in the working tree, no longer tracked"
        ));
    }
    let on = branch.as_deref().unwrap_or("detached HEAD");
    cx.ui.note(format!(
        "[{on} {}] without the purged content",
        commit.short()
    ));
    match &r.run {
        Some(run) => cx.ui.run_outcome(run, false),
        None => Ok(()),
    }
}

/// Prints the impact report.
fn report(cx: &Context, out: &PurgeOutcome) -> Result<()> {
    let size: u64 = out.objects.iter().map(|t| t.size).sum();
    cx.ui.line(format!(
        "{} object(s), {}:",
        out.objects.len(),
        human_bytes(size)
    ))?;
    for t in &out.objects {
        let already = match &t.purged_by {
            Some(p) => format!("  (already purged by {})", p.short()),
            None => String::new(),
        };
        cx.ui.line(format!(
            "  {}  {:>10}  {}{already}",
            t.id,
            human_bytes(t.size),
            t.named.join(", ")
        ))?;
    }
    let im = &out.impact;
    cx.ui
        .line(format!("held by {} commit(s):", im.commits.len()))?;
    for c in &im.commits {
        let paths: Vec<&str> = c.files.iter().map(|(p, _)| p.as_str()).collect();
        cx.ui.line(format!(
            "  {}  {}  {}",
            c.commit.short(),
            format_time(c.time),
            paths.join(", ")
        ))?;
    }
    cx.ui
        .line(format!("reached from {} ref(s):", im.refs.len()))?;
    for r in &im.refs {
        let tip = if r.at_tip {
            "at its tip"
        } else {
            "in its history"
        };
        cx.ui.line(format!("  {}  {tip}", r.name))?;
    }
    cx.ui.line(format!("under {} path(s):", im.paths.len()))?;
    for p in &im.paths {
        cx.ui.line(format!("  {p}"))?;
    }
    cx.ui.line(format!(
        "derived: {} output(s) of {} run(s):",
        im.derived.len(),
        im.runs
    ))?;
    for d in &im.derived {
        cx.ui.line(format!(
            "  {}  datum {}  {}  {}",
            d.stage,
            d.datum.short(),
            d.path,
            d.object.short()
        ))?;
    }

    for p in &im.index {
        cx.ui.warn(format!(
            "`{p}` is in the staging index: its working-tree copy is not removed by a purge"
        ));
    }
    Ok(())
}

/// Says what happened (on stderr, so `--json` output stays one value).
fn done(cx: &Context, out: &PurgeOutcome) {
    if !out.applied {
        cx.ui.note("nothing purged; rerun with --yes");
        return;
    }
    match &out.purge {
        Some(id) => cx.ui.note(format!("purged as {id}")),
        None => cx
            .ui
            .note("every object was purged before; no new purge record"),
    }
    let e = &out.erased;
    cx.ui.note(format!(
        "erased {} object(s): {} file(s), {}; kept {} chunk(s) or segment(s) other files use",
        e.objects,
        e.files,
        human_bytes(e.bytes),
        e.shared_kept
    ));
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a ObjectId,
    #[serde(flatten)]
    record: &'a PurgeRecord,
}

/// `pach purge --list`.
fn list(cx: &Context, json: bool) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let purges = crate::ops::purge::list(&repo)?;
    if json {
        let list: Vec<Listed> = (purges.iter())
            .map(|(id, record)| Listed { id, record })
            .collect();
        return cx.ui.json(&list);
    }
    for (id, r) in &purges {
        cx.ui.line(format!("purge {id}"))?;
        cx.ui
            .line(format!("Author: {} <{}>", r.author.name, r.author.email))?;
        cx.ui.line(format!("Date:   {}", format_time(r.time)))?;
        cx.ui.line(format!("Reason: {}", r.reason))?;
        for o in &r.objects {
            cx.ui.line(format!("  {}  {}", o.id, human_bytes(o.size)))?;
        }
        cx.ui.line("")?;
    }
    if purges.is_empty() {
        cx.ui.note("no purges");
    }
    Ok(())
}
