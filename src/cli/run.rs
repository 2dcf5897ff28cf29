//! `pach run` and `pach logs`: running the pipeline in `pach.toml` and reading its logs.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Context;
use crate::error::Result;
use crate::ops::run::{RunOptions, RunOutcome};
use crate::repo::{Access, Repo};
use crate::store::RunRecord;

/// Run the stale pipeline stages of pach.toml in local Docker containers
///
/// Works from the committed data at HEAD: uncommitted changes in input paths are not used (a
/// warning says so). Stages run in dependency order; each stage's datums (split by its input
/// globs) run in parallel on warm containers, and a datum already computed, on any branch, is
/// reused from the run cache without a container. The outputs are committed as one new commit
/// ("pach run: <stages>") with a run record per datum, and the working tree's output paths are
/// updated. Ctrl-C or SIGTERM removes every container of the run and changes nothing.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach run\n  pach run count --dry-run\n  pach run -j 4 --json\n  pach run --force total\n  pach run --watch"
)]
pub struct RunArgs {
    /// Stages to run (default: all)
    stages: Vec<String>,
    /// List each datum that would run and why; run nothing
    #[arg(long)]
    dry_run: bool,
    /// Ignore the run cache: run every datum again
    #[arg(long)]
    force: bool,
    /// Datums at once per stage (default: the stage's parallelism, else the number of cores)
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Print what ran as JSON
    #[arg(long)]
    json: bool,
    /// After running, wait for new commits on the current branch and run what they make stale, until stopped
    #[arg(long, conflicts_with = "dry_run")]
    watch: bool,
    /// Recompute the runs that made HEAD's outputs, ignoring the cache and keeping nothing, and
    /// compare every output's hash with the recorded one (exit 4 on any difference)
    #[arg(long, conflicts_with_all = ["dry_run", "watch", "force"])]
    verify: bool,
}

pub fn run(cx: &Context, args: &RunArgs) -> Result<()> {
    if args.watch {
        return watch(cx, args);
    }
    if args.verify {
        return verify(cx, args);
    }
    let mut repo = cx.repo(Access::Write)?;
    run_once(
        cx,
        &mut repo,
        args.stages.as_slice(),
        args.dry_run,
        args.force,
        args.jobs.map(usize::from),
        args.json,
    )
}

/// Recomputes HEAD's recorded runs and reports every output that differs.
fn verify(cx: &Context, args: &RunArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let opts = options(&repo, &args.stages, false, true, args.jobs.map(usize::from));
    let progress = cx.ui.progress(args.json);
    let out = crate::ops::run::verify(
        &mut repo,
        &opts,
        progress.as_ref(),
        &|_: &str, _: &str, _: &[u8]| {},
    )?;
    if args.json {
        cx.ui.json(&out)?;
    } else {
        for m in &out.mismatches {
            let show = |id: &Option<crate::store::ObjectId>| {
                id.map_or("(absent)".to_string(), |i| i.short())
            };
            cx.ui.line(format!(
                "stage {} datum {}: {} differs: recorded {}, recomputed {}",
                m.stage,
                m.datum,
                m.path,
                show(&m.recorded),
                show(&m.now)
            ))?;
        }
        cx.ui.note(format!(
            "verified {} run(s) of {} stage(s), {} output file(s): {} difference(s)",
            out.runs,
            out.stages.len(),
            out.outputs,
            out.mismatches.len()
        ));
    }
    if out.mismatches.is_empty() {
        Ok(())
    } else {
        Err(crate::Error::VerifyFailed {
            count: out.mismatches.len(),
        })
    }
}

fn options<'a>(
    repo: &Repo,
    stages: &'a [String],
    dry_run: bool,
    force: bool,
    jobs: Option<usize>,
) -> RunOptions<'a> {
    RunOptions {
        stages,
        dry_run,
        force,
        jobs,
        author: super::commit::author(repo.root()),
        time: super::commit::commit_time(),
        code: crate::git::code_version(repo.root()),
        user: format!(
            "{}:{}",
            rustix::process::getuid().as_raw(),
            rustix::process::getgid().as_raw()
        ),
        host: rustix::system::uname()
            .nodename()
            .to_string_lossy()
            .into_owned(),
    }
}

/// Runs the pipeline once on an open repository and reports it (also used by `commit --run`).
pub fn run_once(
    cx: &Context,
    repo: &mut Repo,
    stages: &[String],
    dry_run: bool,
    force: bool,
    jobs: Option<usize>,
    json: bool,
) -> Result<()> {
    let opts = options(repo, stages, dry_run, force, jobs);
    let verbose = cx.ui.verbose > 0 && !json;
    let sink = move |stage: &str, datum: &str, bytes: &[u8]| {
        if verbose {
            let mut err = std::io::stderr().lock();
            for line in String::from_utf8_lossy(bytes).lines() {
                let _ = writeln!(err, "{stage}/{datum}: {line}");
            }
        }
    };
    let progress = cx.ui.progress(json);
    let out = crate::ops::run::run(repo, &opts, progress.as_ref(), &sink)?;
    report(cx, &out, json)
}

fn report(cx: &Context, out: &RunOutcome, json: bool) -> Result<()> {
    if !out.uncommitted_inputs.is_empty() {
        cx.ui.warn(format!(
            "uncommitted changes in input paths are not used (the run reads HEAD): {}",
            out.uncommitted_inputs.join(", ")
        ));
    }
    if json {
        return cx.ui.json(out);
    }
    for s in &out.stages {
        let verb = if out.dry_run { "would run" } else { "ran" };
        cx.ui.line(format!(
            "stage {}: {} datum(s), {} reused from the cache, {verb} {} [{} {}]",
            s.stage,
            s.datums,
            s.reused,
            s.ran.len(),
            s.image.tag,
            &s.image.id[..s.image.id.len().min(19)]
        ))?;
        if out.dry_run || cx.ui.verbose > 0 {
            for d in &s.ran {
                cx.ui.line(format!(
                    "  {}  {}  ({})",
                    d.datum,
                    d.inputs.join(" "),
                    d.reason
                ))?;
            }
        }
    }
    match &out.commit {
        Some(c) => cx
            .ui
            .note(format!("committed the outputs as {}", c.short())),
        None if !out.dry_run => cx.ui.note("outputs unchanged: nothing to commit"),
        None => {}
    }
    Ok(())
}

/// Runs, then waits for new commits on the current branch and runs again, until stopped by
/// Ctrl-C or SIGTERM (a run in progress is stopped as `pach run` stops, changing nothing).
fn watch(cx: &Context, args: &RunArgs) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|source| crate::Error::Io {
            path: "tokio runtime".into(),
            source,
        })?;
    // Once a handler is registered the signal no longer ends the process, so the loop
    // checks this flag itself.
    let flag = stop.clone();
    rt.spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut term) = signal(SignalKind::terminate()) else {
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
        flag.store(true, Ordering::SeqCst);
    });
    // `None` until the first run; then the HEAD that run left.
    let mut last: Option<Option<crate::store::ObjectId>> = None;
    while !stop.load(Ordering::SeqCst) {
        {
            // Read-only polling: a user's `pach commit` must be able to take the lock.
            let repo = cx.repo(Access::Read)?;
            if last.is_some_and(|l| repo.head_commit().is_ok_and(|h| h == l)) {
                drop(repo);
                std::thread::sleep(std::time::Duration::from_millis(250));
                continue;
            }
        }
        let mut repo = cx.repo(Access::Write)?;
        let jobs = args.jobs.map(usize::from);
        match run_once(
            cx,
            &mut repo,
            &args.stages,
            false,
            args.force,
            jobs,
            args.json,
        ) {
            Ok(()) => {}
            Err(crate::Error::Runner(crate::runner::Error::Interrupted)) => break,
            // A failing stage is reported; the watch goes on with the next commit.
            Err(e) if !stop.load(Ordering::SeqCst) => cx.ui.error(&e, "run"),
            Err(e) => return Err(e),
        }
        // The run may itself have committed; that commit is not new work.
        last = Some(repo.head_commit()?);
    }
    cx.ui.note("stopped watching");
    Ok(())
}

/// Print the stored container logs of a stage
///
/// Prints the log of the latest run of each datum of STAGE (failed runs included), or of one
/// datum with --datum (an id prefix, as `pach run -v` and errors show it).
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach logs count\n  pach logs count --datum 3fa9c1")]
pub struct LogsArgs {
    /// The stage
    stage: String,
    /// Only this datum (id prefix)
    #[arg(long, value_name = "ID")]
    datum: Option<String>,
}

pub fn logs(cx: &Context, args: &LogsArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let runs = repo
        .db()
        .queries()
        .latest_runs(&args.stage, args.datum.as_deref())?;
    if runs.is_empty() {
        return Err(crate::Error::Pipeline {
            message: format!(
                "no runs of stage `{}`{} are recorded",
                args.stage,
                args.datum
                    .as_deref()
                    .map(|d| format!(" for datum {d}"))
                    .unwrap_or_default()
            ),
        });
    }
    for id in runs {
        let rec: RunRecord = repo.store().get(&id)?;
        cx.ui.line(cx.ui.paint(
            "33",
            &format!(
                "== {} datum {} (exit {}, run {})",
                rec.stage,
                rec.datum.short(),
                rec.exit,
                id.short()
            ),
        ))?;
        print_log(cx, &repo, &rec.log)?;
    }
    Ok(())
}

/// Streams a stored log to stdout in pieces, so a log of any size costs a buffer of memory.
/// The object is verified first (a second read, from the page cache): a corrupt log is an
/// error, never output.
fn print_log(cx: &Context, repo: &Repo, id: &crate::store::ObjectId) -> Result<()> {
    use std::io::Read;
    repo.store().verify(id)?;
    let mut f = repo.store().open(id)?;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(|source| crate::Error::Io {
            path: repo.store().path(id),
            source,
        })?;
        if n == 0 {
            return Ok(());
        }
        cx.ui.raw(&buf[..n])?;
    }
}
