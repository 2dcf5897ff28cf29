//! Executing the stale datums of one stage: one OS thread per parallel slot, each driving its
//! warm worker container.
//!
//! The host work of a datum (hard-linking inputs into the slot, hashing and storing outputs
//! and the log) is blocking file-system work. It runs on the slot's own thread, and only the
//! Docker calls go through the runtime (`block_on` from that thread), so one slot's hashing
//! never holds up another slot's exec, its live log or its timeout.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::Ran;
use super::commit::record_runs;
use super::execute::{Mode, clear_dir, io_err, stage_inputs};
use super::outputs::collect_outputs;
use super::plan::datum_inputs;
use super::session::StageCtx;
use crate::error::{Error, Result};
use crate::pipeline::{Datum, Stage};
use crate::runner::{self, Job, WorkerSpec};
use crate::store::{Batch, ImageRef, LinkMode, RunRecord};

/// How much of a failed datum's log the error shows, at most (then its last 20 lines).
const TAIL_BYTES: u64 = 64 * 1024;

/// Runs the stale datums of one stage on warm workers; returns their run records in `todo`'s
/// order. With [`Mode::Record`], successful datums are recorded (run cache) even when another
/// fails.
pub(super) fn execute(
    cx: &StageCtx<'_>,
    stage: &Stage,
    mode: Mode,
    image: &ImageRef,
    todo: &[&Datum],
) -> Result<Vec<Ran>> {
    if todo.is_empty() {
        return Ok(Vec::new());
    }
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let n = cx
        .opts
        .jobs
        .or(stage.parallelism)
        .unwrap_or(cores)
        .clamp(1, todo.len());
    let spec = worker_spec(cx, stage, image);
    let batch = Batch::default();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Option<Result<Ran>>>> =
        Mutex::new((0..todo.len()).map(|_| None).collect());
    cx.progress.begin(&stage.name, todo.len() as u64, 0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|k| {
                let (spec, batch, next, failed, results) =
                    (&spec, &batch, &next, &failed, &results);
                s.spawn(move || {
                    let mut slot = Slot {
                        spec,
                        dir: cx.work.join(format!("{}-{k}", stage.name)),
                        name: format!("pach-{}-{}-{k}", cx.run_id, stage.name),
                        restarts: 0,
                        worker: None,
                    };
                    while !failed.load(Ordering::SeqCst) && !cx.cancelled.load(Ordering::SeqCst) {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        if i >= todo.len() {
                            break;
                        }
                        let r = run_datum(cx, stage, image, &mut slot, todo[i], batch);
                        if r.as_ref().map_or(true, |(_, rec)| rec.exit != 0) {
                            failed.store(true, Ordering::SeqCst);
                        }
                        results.lock().expect("no panics while locked")[i] = Some(r);
                        cx.progress.advance(0);
                    }
                    slot.discard(cx);
                })
            })
            .collect();
        // A panicking slot is a bug: pass it on (the scope would panic anyway).
        for h in handles {
            h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        }
    });
    cx.progress.end();
    let results = results.into_inner().expect("no panics while locked");
    let failed_tail = results.iter().flatten().find_map(|r| match r {
        Ok((_, rec)) if rec.exit != 0 => batch.pending_path(&rec.log).map(|p| tail_of(&p)),
        _ => None,
    });
    // Verification runs are compared, never kept: dropping the batch drops their objects.
    if mode == Mode::Record {
        record_runs(cx, batch, &results)?;
    }
    let mut out = Vec::new();
    for r in results.into_iter().flatten() {
        let (id, rec) = r?;
        if rec.exit != 0 {
            let tail = failed_tail.unwrap_or_else(|| tail_of(&cx.repo.store().path(&rec.log)));
            return Err(Error::StageFailed {
                stage: stage.name.clone(),
                datum: rec.datum.short(),
                exit: rec.exit,
                tail,
            });
        }
        out.push((id, rec));
    }
    if out.len() < todo.len() {
        return Err(runner::Error::Interrupted.into());
    }
    Ok(out)
}

fn worker_spec(cx: &StageCtx<'_>, stage: &Stage, image: &ImageRef) -> WorkerSpec {
    let labels: BTreeMap<String, String> = [
        (runner::docker::LABEL.to_string(), "1".to_string()),
        (runner::docker::RUN_LABEL.to_string(), cx.run_id.to_string()),
        (
            runner::docker::PROJECT_LABEL.to_string(),
            cx.repo.pach_dir().to_string_lossy().into_owned(),
        ),
        ("pach.stage".to_string(), stage.name.clone()),
    ]
    .into();
    WorkerSpec {
        image: image.id.clone(),
        user: cx.opts.identity.user.clone(),
        network: stage.network,
        env: stage.env.clone(),
        labels,
    }
}

/// The last 20 lines of the log file at `path`, reading only its last [`TAIL_BYTES`].
fn tail_of(path: &Path) -> String {
    let mut buf = Vec::new();
    if let Ok(mut f) = File::open(path) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(TAIL_BYTES)));
        let _ = f.take(TAIL_BYTES).read_to_end(&mut buf);
    }
    log_tail(&buf)
}

fn log_tail(log: &[u8]) -> String {
    let text = String::from_utf8_lossy(log);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A worker slot: the container is (re)started on demand, e.g. after a timeout killed it.
struct Slot<'a> {
    spec: &'a WorkerSpec,
    dir: PathBuf,
    name: String,
    restarts: usize,
    worker: Option<runner::Worker>,
}

impl Slot<'_> {
    fn get(&mut self, cx: &StageCtx<'_>) -> Result<&runner::Worker> {
        if self.worker.is_none() {
            let name = format!("{}-{}", self.name, self.restarts);
            self.restarts += 1;
            let w = cx
                .rt
                .block_on(cx.docker.start_worker(self.spec, &self.dir, &name))?;
            self.worker = Some(w);
        }
        Ok(self.worker.as_ref().expect("just started"))
    }

    /// Ends everything a datum started before its outputs are read: the worker is reset
    /// (every process killed; with `wipe`, scratch directories emptied), or removed when the
    /// stage wants a fresh container per datum, when the command timed out, or when the
    /// reset fails.
    fn settle(&mut self, cx: &StageCtx<'_>, replace: bool, wipe: bool) {
        if !replace
            && let Some(w) = &self.worker
            && cx.rt.block_on(cx.docker.reset(w, wipe)).is_ok()
        {
            return;
        }
        self.discard(cx);
    }

    /// Removes the worker, if any; the next datum starts a new one.
    fn discard(&mut self, cx: &StageCtx<'_>) {
        if let Some(w) = self.worker.take() {
            cx.rt.block_on(cx.docker.remove(&w.id));
        }
    }
}

fn run_datum(
    cx: &StageCtx<'_>,
    stage: &Stage,
    image: &ImageRef,
    slot: &mut Slot<'_>,
    d: &Datum,
    batch: &Batch,
) -> Result<Ran> {
    let (in_dir, out_dir) = (slot.dir.join("in"), slot.dir.join("out"));
    let log_path = slot.dir.join("log");
    slot.get(cx)?;
    clear_dir(&in_dir)?;
    stage_inputs(cx.repo, d, &in_dir)?;
    let job = Job {
        cmd: stage.cmd.clone(),
        timeout: stage.timeout,
    };
    let datum_id = d.id();
    let mut attempt = 0;
    let (exec, mut log) = loop {
        clear_dir(&out_dir)?;
        let mut log = new_log(&log_path)?;
        let worker = slot.get(cx)?;
        let mut chunk = |b: &[u8]| {
            (cx.logs)(&stage.name, &datum_id, b);
            log.write_all(b).map_err(|source| runner::Error::Io {
                path: log_path.clone(),
                source,
            })
        };
        let e = cx.rt.block_on(cx.docker.exec(worker, &job, &mut chunk))?;
        let retry = e.exit != 0 && attempt < stage.retries && !cx.cancelled.load(Ordering::SeqCst);
        // Nothing the datum started may still run while its outputs are read, nor into the
        // next attempt or datum (a timed-out command may even still be running). Attempts of
        // one datum share the scratch directories (same inputs); datums never do.
        slot.settle(cx, stage.fresh || e.timed_out, !retry);
        if !retry {
            break (e, log);
        }
        attempt += 1;
    };
    if exec.timed_out {
        let note = format!(
            "\npach: timed out after {:?}\n",
            stage.timeout.unwrap_or_default()
        );
        log.write_all(note.as_bytes()).map_err(io_err(&log_path))?;
    }
    drop(log);
    let outputs = if exec.exit == 0 {
        collect_outputs(cx.repo, stage, &datum_id, &out_dir, batch)?
    } else {
        Vec::new()
    };
    clear_dir(&in_dir)?;
    clear_dir(&out_dir)?;
    // The log streamed to a file as it came; it enters the store by a link, never in memory.
    let (log_id, _) = cx
        .repo
        .store()
        .ingest(&log_path, LinkMode::Hardlink, batch)?;
    std::fs::remove_file(&log_path).map_err(io_err(&log_path))?;
    let rec = RunRecord {
        stage: stage.name.clone(),
        stage_hash: stage.definition_hash(),
        datum: d.key,
        image: image.clone(),
        cmd: stage.cmd.clone(),
        env: stage.env.clone(),
        runner: cx.runner.clone(),
        code: cx.code.clone(),
        inputs: datum_inputs(stage, d),
        outputs,
        start_ms: exec.start_ms,
        end_ms: exec.end_ms,
        exit: exec.exit,
        log: log_id,
    };
    let id = cx.repo.store().put(&rec, batch)?;
    Ok((id, rec))
}

/// Creates an empty log file for one attempt (a previous one was linked into the store,
/// read-only, and is replaced rather than truncated).
fn new_log(path: &Path) -> Result<File> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_err(path)(e)),
        _ => {}
    }
    File::create(path).map_err(io_err(path))
}
