//! `pach fsck` and `pach gc`: checking the store and sweeping what nothing refers to.

use std::time::Duration;

use super::Context;
use crate::error::{Error, Result};
use crate::repo::{Access, GcConfig};
use crate::ui::human_bytes;

/// Verify the store: re-hash every object and check every reference
///
/// Reads every object and checks that it hashes to its name, then walks every branch, tag,
/// HEAD and the index, checking that each commit, tree and file they reach is present and
/// well-formed. Reports each problem with its object id and where it is referred to from,
/// and exits with code 4 if there is any.
///
/// With --remote NAME, checks that remote instead: re-hashes every object it holds and walks
/// its branches for objects it lacks; --repair then uploads good local copies over the
/// damaged or missing ones (run it in a clone that has them).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach fsck && echo store is intact\n  pach fsck --remote origin\n  pach fsck --remote origin --repair"
)]
pub struct FsckArgs {
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
    /// Check this remote's objects instead of the local store
    #[arg(long, value_name = "NAME")]
    remote: Option<String>,
    /// Upload good local copies over the remote's damaged or missing objects
    #[arg(long, requires = "remote")]
    repair: bool,
}

pub fn fsck(cx: &Context, a: &FsckArgs) -> Result<()> {
    if let Some(name) = &a.remote {
        return fsck_remote(cx, name, a.repair, a.json);
    }
    let repo = cx.repo(Access::Read)?;
    let out = repo.fsck()?;
    if a.json {
        cx.ui.json(&out)?;
    } else {
        for p in &out.problems {
            let id = p.id.map(|i| i.to_string()).unwrap_or_default();
            cx.ui
                .line(format!("{}: {id} at {}: {}", p.kind, p.at, p.detail))?;
        }
        cx.ui.note(format!(
            "checked {} object(s): {} reachable, {} unreachable, {} problem(s)",
            out.objects,
            out.reachable,
            out.unreachable,
            out.problems.len()
        ));
        if out.absent > 0 {
            cx.ui.note(format!("{} absent (not fetched)", out.absent));
        }
        if out.purged > 0 {
            cx.ui.note(format!(
                "{} purged object(s) (see `pach purge --list`)",
                out.purged
            ));
        }
        if !out.unfinished_purges.is_empty() {
            cx.ui.warn(format!(
                "{} purged object(s) still have bytes here (a purge was interrupted): `pach gc` or rerunning the purge erases them",
                out.unfinished_purges.len()
            ));
        }
    }
    if out.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::CheckFailed {
            count: out.problems.len(),
        })
    }
}

/// `pach fsck --remote NAME [--repair]`: checks (and repairs) a remote instead of the store.
fn fsck_remote(cx: &Context, name: &str, repair: bool, json: bool) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let p = cx.ui.progress(json);
    let out = crate::ops::remote_fsck::fsck_remote(&repo, name, repair, &*p)?;
    if json {
        cx.ui.json(&out)?;
    } else {
        for (pr, how) in out
            .repaired
            .iter()
            .map(|pr| (pr, " (repaired)"))
            .chain(out.problems.iter().map(|pr| (pr, "")))
        {
            let id = pr.id.map(|i| i.to_string()).unwrap_or_default();
            cx.ui.line(format!(
                "{}: {id} at {}: {}{how}",
                pr.kind, pr.at, pr.detail
            ))?;
        }
        cx.ui.note(format!(
            "checked {} object(s) on `{}`: {} reachable, {} problem(s), {} repaired",
            out.objects,
            out.remote,
            out.reachable,
            out.problems.len(),
            out.repaired.len()
        ));
        if !out.problems.is_empty() && repair {
            cx.ui.note(
                "the problems left have no good copy here: repair from a clone that has them",
            );
        }
    }
    if out.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::CheckFailed {
            count: out.problems.len(),
        })
    }
}

/// Delete objects that nothing refers to, and what killed runs left
///
/// Deletes objects that no branch, tag, HEAD, index entry or reflog entry reaches, but never
/// one younger than the grace period, so a pach command writing at the same time is safe.
/// Reflog entries count for `[gc] reflog` in .pach/config.toml (default 90d), so a reset or
/// forced move loses nothing committed within it; older entries are dropped. Also removes stale temporary files, and the work directories and containers of a
/// `pach run` that was killed. Failed runs (their records and logs, for `pach logs`) are
/// kept for --keep-failed, else `[gc] failed_runs` in .pach/config.toml, else 14 days.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach gc\n  pach gc --grace 0   # only when no other pach command runs\n  pach gc --keep-failed 2d\n  pach gc --json\n  pach gc --remote origin --grace 2d"
)]
pub struct GcArgs {
    /// Keep unreachable objects younger than this (e.g. 30m, 2h, 7d; 0 keeps none)
    #[arg(long, default_value = "1h", value_name = "DURATION")]
    grace: String,
    /// Keep failed runs' records and logs this long after they ended (default: `[gc]
    /// failed_runs` in .pach/config.toml, else 14d)
    #[arg(long, value_name = "DURATION")]
    keep_failed: Option<String>,
    /// Collect remote NAME instead: condemn what its branches and tags do not reach, and
    /// delete what was condemned more than --grace ago (which must outlast any push)
    #[arg(long, value_name = "NAME", conflicts_with = "keep_failed")]
    remote: Option<String>,
    /// Print what was removed and kept as JSON
    #[arg(long)]
    json: bool,
}

pub fn gc(cx: &Context, a: &GcArgs) -> Result<()> {
    let grace = parse_duration(&a.grace)?;
    if let Some(name) = &a.remote {
        let repo = cx.repo(Access::Read)?;
        let p = cx.ui.progress(a.json);
        let out = crate::ops::remote_gc::gc_remote(&repo, name, grace, &*p)?;
        if a.json {
            return cx.ui.json(&out);
        }
        cx.ui.note(format!(
            "remote `{}`: {} object(s) reachable; condemned {} file(s) ({} reachable object(s) repacked); deleted {} pack(s) ({}) and {} other file(s); {} file(s) wait for the grace period ({})",
            out.remote,
            out.reachable,
            out.condemned,
            out.repacked,
            out.deleted_packs,
            human_bytes(out.deleted_bytes),
            out.deleted_files,
            out.pending,
            a.grace
        ));
        return Ok(());
    }
    let mut repo = cx.repo(Access::Write)?;
    let keep_text = a
        .keep_failed
        .clone()
        .or_else(|| repo.config().gc.failed_runs.clone())
        .unwrap_or_else(|| GcConfig::FAILED_RUNS.to_string());
    let keep_failed = parse_duration(&keep_text)?;
    let collected = crate::ops::gc::gc(&mut repo, grace, keep_failed)?;
    if a.json {
        return cx.ui.json(&collected);
    }
    let crate::ops::gc::Collected {
        swept,
        gc: out,
        purges_finished,
    } = collected;
    if purges_finished.objects > 0 {
        cx.ui.note(format!(
            "finished erasing {} purged object(s) an interrupted purge left ({})",
            purges_finished.objects,
            human_bytes(purges_finished.bytes)
        ));
    }
    cx.ui.note(format!(
        "deleted {} object(s) ({}); kept {} younger than {}; removed {} temp file(s)",
        out.deleted,
        human_bytes(out.bytes),
        out.kept_young,
        a.grace,
        out.temp_files
    ));
    cx.ui.note(format!(
        "kept {} failed run(s) younger than {keep_text}; dropped {} older",
        out.failed_kept, out.failed_dropped
    ));
    match swept.containers {
        Some(0) if swept.work_dirs == 0 => {}
        Some(n) => cx.ui.note(format!(
            "removed {} work dir(s) and {n} container(s) left by killed runs",
            swept.work_dirs
        )),
        None => cx.ui.note(format!(
            "removed {} work dir(s) left by killed runs; their containers were not checked (Docker not reachable)",
            swept.work_dirs
        )),
    }
    Ok(())
}

/// Parses a duration option, naming it when it is bad.
fn parse_duration(text: &str) -> Result<Duration> {
    crate::time::parse_duration(text).map_err(|_| Error::BadDuration { text: text.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_bad_ones_are_named() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("2h").unwrap(), Duration::from_secs(7200));
        assert!(
            parse_duration("2 fortnights")
                .unwrap_err()
                .to_string()
                .contains("`2 fortnights`")
        );
    }
}

/// Show how much space the data takes, and what deduplication and chunking saved
///
/// For each file (at or under the PATHs given, else all), every version any branch, tag,
/// HEAD or the index reaches: how many there are, their sizes added up (logical), and the
/// bytes of the distinct objects and chunks they use (stored). A file that grows a little
/// per version is stored as chunks, so its stored size stays near its latest size.
/// The total also gives the bytes of every file in the store.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach du\n  pach du data/events.csv --json")]
pub struct DuArgs {
    /// Files or directories to report (default: all)
    paths: Vec<std::path::PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    json: bool,
}

pub fn du(cx: &Context, a: &DuArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let scope = cx.paths(&repo, &a.paths)?;
    let out = crate::ops::du::du(&repo, &scope)?;
    if a.json {
        return cx.ui.json(&out);
    }
    let row = |versions: usize, logical: u64, stored: u64, saved: u64, name: &str| {
        format!(
            "{versions:>8}  {:>10}  {:>10}  {:>10}  {name}",
            human_bytes(logical),
            human_bytes(stored),
            human_bytes(saved)
        )
    };
    cx.ui.line(format!(
        "{:>8}  {:>10}  {:>10}  {:>10}  path",
        "versions", "logical", "stored", "saved"
    ))?;
    for p in &out.paths {
        cx.ui
            .line(row(p.versions, p.logical, p.stored, p.saved, &p.path))?;
    }
    cx.ui.line(row(
        out.versions,
        out.logical,
        out.stored,
        out.saved,
        "total",
    ))?;
    cx.ui.note(format!(
        "the store holds {} (file contents, trees, commits and run records)",
        human_bytes(out.store_bytes)
    ));
    Ok(())
}
