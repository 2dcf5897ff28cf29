//! `pach run` and `pach logs`: running the pipeline in `pach.toml` and reading its logs.

use super::Context;
use crate::error::Result;
use crate::ops::{self, run::RunOptions, run::WatchOptions};
use crate::repo::Access;

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
    after_help = "Examples:\n  pach run\n  pach run count --dry-run\n  pach run --dry-run --exit-code -q   # in a Makefile or CI: is everything current?\n  pach run -j 4 --json\n  pach run --force total\n  pach run --watch"
)]
pub struct RunArgs {
    /// Stages to run (default: all)
    stages: Vec<String>,
    /// List each datum that would run and why; run nothing
    #[arg(long)]
    dry_run: bool,
    /// With --dry-run: exit 1 when any datum is stale, 0 when everything is current
    #[arg(long, requires = "dry_run")]
    exit_code: bool,
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
    let mut repo = cx.repo(Access::Write)?;
    let opts = RunOptions {
        stages: &args.stages,
        dry_run: args.dry_run,
        force: args.force || args.verify,
        jobs: args.jobs.map(usize::from),
        identity: cx.identity(repo.root()),
    };
    let progress = cx.ui.progress(args.json);
    if args.verify {
        // Recomputed runs are compared, not shown as they go.
        let out = ops::run::verify(&mut repo, &opts, progress.as_ref(), &|_, _, _| {})?;
        cx.ui.verify_outcome(&out, args.json)?;
        return match out.mismatches.len() {
            0 => Ok(()),
            count => Err(crate::Error::VerifyFailed { count }),
        };
    }
    let logs = cx.ui.container_output(args.json);
    let out = ops::run::run(&mut repo, &opts, progress.as_ref(), &logs)?;
    cx.ui.notices(&repo.take_notices());
    cx.ui.run_outcome(&out, args.json)?;
    match out.stale() {
        (0, _) => Ok(()),
        (datums, stages) if args.exit_code => Err(crate::Error::Stale { datums, stages }),
        _ => Ok(()),
    }
}

/// Runs, then runs again on each new commit of the current branch, until stopped.
fn watch(cx: &Context, args: &RunArgs) -> Result<()> {
    let identity = cx.identity(cx.repo(Access::Read)?.root());
    let opts = RunOptions {
        stages: &args.stages,
        dry_run: false,
        force: args.force,
        jobs: args.jobs.map(usize::from),
        identity,
    };
    let progress = cx.ui.progress(args.json);
    let logs = cx.ui.container_output(args.json);
    let w = WatchOptions {
        dir: &cx.cwd,
        report: &mut |out| cx.ui.run_outcome(out, args.json),
        failed: &mut |e| cx.ui.error(e, "run"),
    };
    ops::run::watch(w, &opts, progress.as_ref(), &logs)?;
    cx.ui.note("stopped watching");
    Ok(())
}

/// Print the stored container logs of a stage
///
/// Prints the log of the latest run of each datum of STAGE (failed runs included), or of one
/// datum with --datum (an id prefix, as `pach run -v` and errors show it).
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach logs count\n  pach logs count --datum 3fa9c1\n  pach logs count --json"
)]
pub struct LogsArgs {
    /// The stage
    stage: String,
    /// Only this datum (id prefix)
    #[arg(long, value_name = "ID")]
    datum: Option<String>,
    /// Print the runs and their logs as JSON (each log as text, invalid UTF-8 replaced)
    #[arg(long)]
    json: bool,
}

pub fn logs(cx: &Context, args: &LogsArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let datum = args.datum.as_deref();
    if args.json {
        let runs = ops::run::logs::collect(&repo, &args.stage, datum)?;
        return cx.ui.json(&runs);
    }
    ops::run::logs::logs(
        &repo,
        &args.stage,
        datum,
        &mut |id, rec| {
            cx.ui.line(cx.ui.paint(
                "33",
                &format!(
                    "== {} datum {} (exit {}, run {})",
                    rec.stage,
                    rec.datum.short(),
                    rec.exit,
                    id.short()
                ),
            ))
        },
        &mut |bytes| cx.ui.raw(bytes),
    )
}
