//! `pach run`: plans the stale datums of each stage from the committed data at `HEAD`, reuses
//! the run cache, executes the rest on warm Docker workers, and commits the outputs together
//! with one run record per datum.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::paths::{is_under, join};
use crate::pipeline::{self, Datum, Pipeline, Stage};
use crate::progress::Progress;
use crate::repo::{Head, Move, Repo};
use crate::runner::{self, Docker};
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{
    Author, Batch, CodeVersion, Commit, EntryKind, ImageRef, LinkMode, ObjectId, RunInput,
    RunOutput, RunRecord, Runner,
};

mod slots;

/// Inputs of `pach run` that come from outside the repository.
pub struct RunOptions<'a> {
    /// Stages to run (all when empty).
    pub stages: &'a [String],
    pub dry_run: bool,
    /// Ignore the run cache.
    pub force: bool,
    /// Datums at once per stage; defaults to the stage's `parallelism`, else the cores.
    pub jobs: Option<usize>,
    pub author: Author,
    pub time: i64,
    pub code: Option<CodeVersion>,
    /// `uid:gid` the containers run as.
    pub user: String,
    pub host: String,
}

/// Why a datum must run.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    NewInput,
    ChangedInput,
    ChangedStage,
    ChangedImage,
    Forced,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::NewInput => "new input",
            Reason::ChangedInput => "changed input",
            Reason::ChangedStage => "changed stage definition",
            Reason::ChangedImage => "changed image",
            Reason::Forced => "forced",
        })
    }
}

/// One datum that ran (or would run).
#[derive(Debug, Serialize)]
pub struct DatumReport {
    pub datum: String,
    pub reason: Reason,
    /// Input roots, e.g. `text:a.txt`.
    pub inputs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<ObjectId>,
}

/// What happened to one stage.
#[derive(Debug, Serialize)]
pub struct StageReport {
    pub stage: String,
    pub image: ImageRef,
    pub datums: usize,
    pub reused: usize,
    pub ran: Vec<DatumReport>,
    pub outputs: usize,
}

/// What `pach run` did.
#[derive(Debug, Serialize)]
pub struct RunOutcome {
    pub dry_run: bool,
    pub stages: Vec<StageReport>,
    /// The commit holding the outputs; `None` when nothing changed (or a dry run).
    pub commit: Option<ObjectId>,
    /// Input paths with uncommitted changes, which the run did not use.
    pub uncommitted_inputs: Vec<String>,
}

/// Receives live container output (`-v`): stage, datum, bytes.
pub type LogSink<'a> = &'a (dyn Fn(&str, &str, &[u8]) + Sync);

/// Reads and validates `pach.toml` at the project root against the snapshot at `HEAD`.
pub fn load_pipeline(repo: &Repo, snapshot: &FlatTree) -> Result<Pipeline> {
    let path = repo.root().join("pach.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let tracked = |p: &str| snapshot.keys().any(|k| is_under(k, p));
    pipeline::parse(&text, Path::new("pach.toml"), &tracked).map_err(Error::from)
}

/// Runs the stale stages; see the module docs.
pub fn run(
    repo: &mut Repo,
    opts: &RunOptions<'_>,
    progress: &dyn Progress,
    logs: LogSink<'_>,
) -> Result<RunOutcome> {
    let head = repo.head_commit()?.ok_or_else(|| Error::NoCommits {
        branch: head_name(repo),
    })?;
    let head_commit = repo.commit_obj(&head)?;
    let mut snapshot = repo.flatten(&head_commit.tree)?;
    // HEAD's snapshot, kept to tell which output versions the run's commit adds.
    let before = snapshot.clone();
    let pipeline = load_pipeline(repo, &snapshot)?;
    let selected = select(&pipeline, opts.stages)?;
    let uncommitted_inputs = uncommitted_under(
        repo,
        selected
            .iter()
            .flat_map(|s| s.inputs.iter().map(|i| i.path.as_str())),
    )?;
    let previous = previous_runs(repo, &selected)?;
    let session = Session::start(repo, opts)?;
    let mut reports = Vec::new();
    let mut run_ids = Vec::new();
    let result = (|| -> Result<()> {
        for stage in &selected {
            let ctx = session.ctx(repo, opts, logs, progress);
            let (report, outputs, runs) = run_stage(&ctx, stage, &snapshot, &previous)?;
            if !opts.dry_run {
                snapshot.retain(|p, _| !is_under(p, &stage.output));
                snapshot.extend(outputs);
                run_ids.extend(runs);
            }
            reports.push(report);
        }
        Ok(())
    })();
    session.finish()?;
    result?;
    let mut outcome = RunOutcome {
        dry_run: opts.dry_run,
        stages: reports,
        commit: None,
        uncommitted_inputs,
    };
    if opts.dry_run {
        return Ok(outcome);
    }
    let base = Base {
        id: head,
        commit: &head_commit,
        snapshot: &before,
    };
    outcome.commit = commit_outputs(repo, &base, &snapshot, &selected, run_ids, opts)?;
    Ok(outcome)
}

/// The Docker side of one `pach run` or `pach run --verify`: runtime, connection, run id,
/// work directory, and the signal watcher that stops everything on Ctrl-C or SIGTERM.
struct Session {
    rt: tokio::runtime::Runtime,
    docker: Docker,
    runner: Runner,
    run_id: String,
    work: PathBuf,
    cancelled: Arc<AtomicBool>,
    guard: tokio::task::JoinHandle<()>,
}

impl Session {
    fn start(repo: &Repo, opts: &RunOptions<'_>) -> Result<Session> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|source| Error::Io {
                path: "tokio runtime".into(),
                source,
            })?;
        let docker = rt.block_on(Docker::connect())?;
        // What a killed run left (we hold the lock, so it is no live run's).
        super::sweep::sweep_with(repo, &rt, Some(&docker))?;
        let runner = Runner {
            kind: "docker".into(),
            version: rt.block_on(docker.version()),
            host: opts.host.clone(),
            user: opts.user.clone(),
        };
        let run_id = format!("{}-{}", std::process::id(), runner::now_ms());
        let work = repo.pach_dir().join("work").join(&run_id);
        let cancelled = Arc::new(AtomicBool::new(false));
        let guard = rt.spawn(watch_signals(
            docker.clone(),
            run_id.clone(),
            cancelled.clone(),
        ));
        Ok(Session {
            rt,
            docker,
            runner,
            run_id,
            work,
            cancelled,
            guard,
        })
    }

    fn ctx<'a>(
        &'a self,
        repo: &'a Repo,
        opts: &'a RunOptions<'a>,
        logs: LogSink<'a>,
        progress: &'a dyn Progress,
    ) -> StageCtx<'a> {
        StageCtx {
            repo,
            docker: &self.docker,
            rt: &self.rt,
            opts,
            runner: &self.runner,
            run_id: &self.run_id,
            work: &self.work,
            cancelled: &self.cancelled,
            logs,
            progress,
        }
    }

    /// Removes every container and work file of the session; fails if it was interrupted.
    fn finish(self) -> Result<()> {
        self.guard.abort();
        self.rt
            .block_on(self.docker.remove_labelled(Some(&self.run_id)));
        let _ = std::fs::remove_dir_all(&self.work);
        if self.cancelled.load(Ordering::SeqCst) {
            return Err(runner::Error::Interrupted.into());
        }
        Ok(())
    }
}

fn head_name(repo: &Repo) -> String {
    match repo.head() {
        Ok(Head::Branch(b)) => b,
        _ => "HEAD".into(),
    }
}

/// Everything a stage run needs besides the stage.
struct StageCtx<'a> {
    repo: &'a Repo,
    docker: &'a Docker,
    rt: &'a tokio::runtime::Runtime,
    opts: &'a RunOptions<'a>,
    runner: &'a Runner,
    run_id: &'a str,
    work: &'a Path,
    cancelled: &'a AtomicBool,
    logs: LogSink<'a>,
    progress: &'a dyn Progress,
}

/// Last known run of each (stage, input set) at HEAD, for telling why a datum is stale.
struct Previous {
    by_stage: BTreeMap<String, Vec<RunRecord>>,
}

/// Loads the latest run of each datum of every stage, from the run index.
fn previous_runs(repo: &Repo, stages: &[&Stage]) -> Result<Previous> {
    let mut by_stage: BTreeMap<String, Vec<RunRecord>> = BTreeMap::new();
    for s in stages {
        let ids = repo.db().queries().latest_runs(&s.name, None)?;
        let recs = ids
            .iter()
            .filter_map(|id| repo.store().get::<RunRecord>(id).ok());
        by_stage.insert(s.name.clone(), recs.collect());
    }
    Ok(Previous { by_stage })
}

fn reason(prev: &Previous, stage: &Stage, image: &ImageRef, d: &Datum, force: bool) -> Reason {
    if force {
        return Reason::Forced;
    }
    let runs = match prev.by_stage.get(&stage.name) {
        Some(r) if !r.is_empty() => r,
        _ => return Reason::NewInput,
    };
    if runs.iter().all(|r| r.stage_hash != stage.definition_hash()) {
        return Reason::ChangedStage;
    }
    if runs.iter().all(|r| r.image.id != image.id) {
        return Reason::ChangedImage;
    }
    let paths: HashSet<String> = datum_inputs(stage, d).into_iter().map(|i| i.path).collect();
    let same_paths = runs.iter().any(|r| {
        r.inputs
            .iter()
            .map(|i| i.path.clone())
            .collect::<HashSet<_>>()
            == paths
    });
    if same_paths {
        Reason::ChangedInput
    } else {
        Reason::NewInput
    }
}

fn datum_inputs(stage: &Stage, d: &Datum) -> Vec<RunInput> {
    let mut out = Vec::new();
    for di in &d.inputs {
        let base = &stage
            .inputs
            .iter()
            .find(|i| i.name == di.input)
            .expect("datum inputs name stage inputs")
            .path;
        for (rel, e) in &di.files {
            out.push(RunInput {
                input: di.input.clone(),
                path: join(base, rel),
                id: e.id,
            });
        }
    }
    out
}

type StageResult = (StageReport, FlatTree, Vec<ObjectId>);

/// A datum that ran: its run record and the record's id.
type Ran = (ObjectId, RunRecord);

fn run_stage(
    cx: &StageCtx<'_>,
    stage: &Stage,
    snapshot: &FlatTree,
    prev: &Previous,
) -> Result<StageResult> {
    let image = cx.rt.block_on(cx.docker.resolve_image(&stage.image))?;
    let salt = ObjectId::of(format!("{}\n{}", stage.definition_hash(), image.id).as_bytes());
    let datums = pipeline::datums(stage, snapshot, &salt);
    let mut cached = Vec::new();
    let mut todo = Vec::new();
    for d in &datums {
        let hit = if cx.opts.force {
            None
        } else {
            cx.repo.db().queries().cached_run(&d.key)?
        };
        match hit.and_then(|id| cx.repo.store().get::<RunRecord>(&id).ok().map(|r| (id, r))) {
            Some(hit) => cached.push(hit),
            None => todo.push(d),
        }
    }
    let mut report = StageReport {
        stage: stage.name.clone(),
        image: image.clone(),
        datums: datums.len(),
        reused: cached.len(),
        ran: Vec::new(),
        outputs: 0,
    };
    for d in &todo {
        report.ran.push(DatumReport {
            datum: d.id(),
            reason: reason(prev, stage, &image, d, cx.opts.force),
            inputs: d
                .inputs
                .iter()
                .map(|i| {
                    format!(
                        "{}:{}",
                        i.input,
                        if i.root.is_empty() { "/" } else { &i.root }
                    )
                })
                .collect(),
            run: None,
        });
    }
    if cx.opts.dry_run {
        return Ok((report, FlatTree::new(), Vec::new()));
    }
    let executed = slots::execute(cx, stage, true, &image, &todo)?;
    for (r, (id, _)) in report.ran.iter_mut().zip(&executed) {
        r.run = Some(*id);
    }
    let mut runs: Vec<(ObjectId, RunRecord)> = cached;
    runs.extend(executed);
    let outputs = merge_outputs(stage, &runs)?;
    report.outputs = outputs.len();
    Ok((
        report,
        outputs,
        runs.into_iter().map(|(id, _)| id).collect(),
    ))
}

/// Unites the datums' outputs; two datums writing one path is an error naming both.
fn merge_outputs(stage: &Stage, runs: &[(ObjectId, RunRecord)]) -> Result<FlatTree> {
    let mut out = FlatTree::new();
    let mut by: BTreeMap<String, String> = BTreeMap::new();
    for (_, r) in runs {
        for o in &r.outputs {
            let datum = r.datum.short();
            if let Some(other) = by.insert(o.path.clone(), datum.clone()) {
                return Err(Error::Pipeline {
                    message: format!(
                        "stage `{}`: datums {other} and {datum} both wrote `{}`",
                        stage.name, o.path
                    ),
                });
            }
            out.insert(
                o.path.clone(),
                FileEntry {
                    kind: o.kind,
                    id: o.id,
                    size: o.size,
                    exec: o.exec,
                },
            );
        }
    }
    Ok(out)
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Empties a directory without removing it (it is a container's bind mount).
fn clear_dir(dir: &Path) -> Result<()> {
    for e in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let p = e.map_err(io_err(dir))?.path();
        let removed = if p.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        };
        removed.map_err(io_err(&p))?;
    }
    Ok(())
}

/// Places a datum's files under `in_dir/<input>/<path in datum>`, hard-linked from the store
/// (objects are read-only, and the mount is read-only too).
fn stage_inputs(repo: &Repo, d: &Datum, in_dir: &Path) -> Result<()> {
    for di in &d.inputs {
        let base = in_dir.join(&di.input);
        if !(di.files.len() == 1 && di.files[0].0.is_empty()) {
            std::fs::create_dir_all(&base).map_err(io_err(&base))?;
        }
        for (rel, e) in &di.files {
            // An input path that is a file is mounted as `/pach/in/<input>` itself.
            let dest = if rel.is_empty() {
                base.clone()
            } else {
                base.join(rel)
            };
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(io_err(parent))?;
            }
            if e.kind == EntryKind::Symlink {
                let target = String::from_utf8_lossy(&repo.store().read(&e.id)?).into_owned();
                std::os::unix::fs::symlink(target, &dest).map_err(io_err(&dest))?;
            } else {
                repo.store()
                    .materialize(&e.id, &dest, LinkMode::Hardlink, false)?;
            }
        }
    }
    Ok(())
}

/// Stores what a datum wrote to `/pach/out`, refusing what could escape or is not a file.
fn collect_outputs(
    repo: &Repo,
    stage: &Stage,
    datum: &str,
    out_dir: &Path,
    batch: &Batch,
) -> Result<Vec<RunOutput>> {
    use std::os::unix::fs::PermissionsExt;
    let mut outs = Vec::new();
    let bad = |rel: &str, why: &str| Error::Pipeline {
        message: format!(
            "stage `{}` datum {datum} wrote `/pach/out/{rel}`: {why}",
            stage.name
        ),
    };
    for e in walkdir::WalkDir::new(out_dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
    {
        let e = e.map_err(|err| Error::Io {
            path: out_dir.into(),
            source: err.into(),
        })?;
        let Some(rel) = e
            .path()
            .strip_prefix(out_dir)
            .ok()
            .and_then(|r| r.to_str())
            .map(str::to_owned)
        else {
            return Err(bad(
                &e.path()
                    .strip_prefix(out_dir)
                    .unwrap_or(e.path())
                    .to_string_lossy(),
                "its name is not valid UTF-8",
            ));
        };
        if rel
            .split('/')
            .any(|c| crate::paths::validate_name(c).is_err())
        {
            return Err(bad(&rel, "not a valid file name"));
        }
        let ft = e.file_type();
        let path = join(&stage.output, &rel);
        if ft.is_dir() {
            continue;
        } else if ft.is_symlink() {
            let t = std::fs::read_link(e.path()).map_err(io_err(e.path()))?;
            let t = t
                .to_str()
                .ok_or_else(|| bad(&rel, "a symlink whose target is not UTF-8"))?
                .to_string();
            if !crate::paths::is_safe_link_target(&rel, &t) {
                return Err(bad(
                    &rel,
                    &format!("a symlink to `{t}`, which is absolute or points outside /pach/out"),
                ));
            }
            let id = repo.store().put_bytes(t.as_bytes(), batch)?;
            outs.push(RunOutput {
                path,
                id,
                size: t.len() as u64,
                exec: false,
                kind: EntryKind::Symlink,
            });
        } else if ft.is_file() {
            let exec = e
                .metadata()
                .map(|m| m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false);
            let (id, size) = repo.store().ingest(e.path(), LinkMode::Hardlink, batch)?;
            outs.push(RunOutput {
                path,
                id,
                size,
                exec,
                kind: EntryKind::File,
            });
        } else {
            return Err(bad(
                &rel,
                "not a regular file, directory or symlink (devices, pipes and sockets are refused)",
            ));
        }
    }
    // Each link alone stays in /pach/out; resolved through the others it must too.
    let base = format!("{}/", stage.output);
    let rel = |p: &str| p.strip_prefix(&base).unwrap_or(p).to_string();
    let links: std::collections::HashMap<String, String> = outs
        .iter()
        .filter(|o| o.kind == EntryKind::Symlink)
        .map(|o| {
            let t = std::fs::read_link(out_dir.join(rel(&o.path))).map_err(io_err(out_dir))?;
            Ok((rel(&o.path), t.to_string_lossy().into_owned()))
        })
        .collect::<Result<_>>()?;
    let paths: Vec<(String, EntryKind)> = outs.iter().map(|o| (rel(&o.path), o.kind)).collect();
    let checked =
        crate::paths::check_links(paths.iter().map(|(p, k)| (p.as_str(), (*k).into())), |p| {
            Ok::<_, Error>(links[p].clone())
        })?;
    if let Err(u) = checked {
        return Err(bad(
            &u.path,
            &format!(
                "a symlink to `{}` that leaves /pach/out: {}",
                u.target, u.reason
            ),
        ));
    }
    Ok(outs)
}

/// Input paths with staged or unstaged changes, which the run (working from HEAD) ignores.
fn uncommitted_under<'a>(
    repo: &mut Repo,
    inputs: impl Iterator<Item = &'a str>,
) -> Result<Vec<String>> {
    let inputs: Vec<&str> = inputs.collect();
    let st = repo.status()?;
    let mut out: Vec<String> = st
        .staged
        .iter()
        .chain(&st.unstaged)
        .map(|c| c.path.clone())
        .filter(|p| inputs.iter().any(|i| is_under(p, i)))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// The commit a run starts from.
struct Base<'a> {
    id: ObjectId,
    commit: &'a Commit,
    snapshot: &'a FlatTree,
}

/// Writes the commit of the run and brings the working tree's output paths up to date.
fn commit_outputs(
    repo: &mut Repo,
    base: &Base<'_>,
    snapshot: &FlatTree,
    selected: &[&Stage],
    run_ids: Vec<ObjectId>,
    opts: &RunOptions<'_>,
) -> Result<Option<ObjectId>> {
    // Links from different datums and stages resolve through each other only here.
    repo.check_links(snapshot)?;
    let batch = Batch::default();
    let (tree, _) = crate::repo::build_tree(
        repo.store(),
        snapshot.iter().map(|(k, v)| (k.as_str(), v)),
        Some(&batch),
    )?;
    if tree == base.commit.tree {
        return Ok(None);
    }
    let commit = Commit {
        tree,
        parents: vec![base.id],
        author: opts.author.clone(),
        time: opts.time,
        message: format!(
            "pach run: {}",
            selected
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        code: opts.code.clone(),
        runs: run_ids,
    };
    let id = repo.store().put(&commit, &batch)?;
    batch.finish(repo.store())?;
    let branch = match repo.head()? {
        Head::Branch(b) => Some(b),
        Head::Detached(_) => None,
    };
    let scope: Vec<String> = selected.iter().map(|s| s.output.clone()).collect();
    let versions = snapshot
        .iter()
        .filter(|(p, e)| scope.iter().any(|s| is_under(p, s)) && base.snapshot.get(*p) != Some(e))
        .map(|(p, e)| (p.clone(), e.id))
        .collect();
    let mv = Move::Commit {
        branch,
        id,
        time: opts.time,
        versions,
    };
    repo.update_worktree(snapshot, &scope, false, &mv)?;
    Ok(Some(id))
}

/// Stops the run on Ctrl-C or SIGTERM: flags it and removes every container it started.
async fn watch_signals(docker: Docker, run: String, cancelled: Arc<AtomicBool>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    cancelled.store(true, Ordering::SeqCst);
    docker.remove_labelled(Some(&run)).await;
}

/// One recorded output that did not come out the same when recomputed.
#[derive(Debug, Serialize)]
pub struct Mismatch {
    pub stage: String,
    pub datum: String,
    pub run: ObjectId,
    pub path: String,
    /// What the run record says (absent: the recomputation made an extra file).
    pub recorded: Option<ObjectId>,
    /// What the recomputation made (absent: it no longer makes this file).
    pub now: Option<ObjectId>,
}

/// What `pach run --verify` found.
#[derive(Debug, Serialize)]
pub struct VerifyOutcome {
    pub stages: Vec<String>,
    /// Run records recomputed.
    pub runs: usize,
    /// Output files compared.
    pub outputs: usize,
    pub mismatches: Vec<Mismatch>,
}

/// Recomputes the runs that made the outputs at `HEAD` (of all stages, or the named ones),
/// ignoring the run cache and keeping nothing, and compares every output's hash with the
/// recorded one.
pub fn verify(
    repo: &mut Repo,
    opts: &RunOptions<'_>,
    progress: &dyn Progress,
    logs: LogSink<'_>,
) -> Result<VerifyOutcome> {
    let head = repo.head_commit()?.ok_or_else(|| Error::NoCommits {
        branch: head_name(repo),
    })?;
    let snapshot = repo.flatten(&repo.commit_obj(&head)?.tree)?;
    let pipeline = load_pipeline(repo, &snapshot)?;
    let selected = select(&pipeline, opts.stages)?;
    let mut plan = Vec::new();
    for stage in &selected {
        let recs = recorded_runs(repo, stage, &snapshot)?;
        if let Some((id, _)) = recs
            .iter()
            .find(|(_, r)| r.stage_hash != stage.definition_hash())
        {
            return Err(Error::Pipeline {
                message: format!(
                    "stage `{}` in pach.toml differs from the definition that made its outputs (run {}); run `pach run {}` first, or verify at the commit that matches",
                    stage.name,
                    id.short(),
                    stage.name
                ),
            });
        }
        plan.push((*stage, recs));
    }
    let session = Session::start(repo, opts)?;
    let mut out = VerifyOutcome {
        stages: Vec::new(),
        runs: 0,
        outputs: 0,
        mismatches: Vec::new(),
    };
    let result = (|| -> Result<()> {
        for (stage, recs) in &plan {
            out.stages.push(stage.name.clone());
            let ctx = session.ctx(repo, opts, logs, progress);
            let datums: Vec<Datum> = recs
                .iter()
                .map(|(_, r)| datum_of(stage, r, &snapshot))
                .collect();
            // Recompute with the very image the records name (by ID, not by tag).
            for image_id in recs
                .iter()
                .map(|(_, r)| r.image.id.clone())
                .collect::<std::collections::BTreeSet<_>>()
            {
                let group: Vec<usize> = (0..recs.len())
                    .filter(|&i| recs[i].1.image.id == image_id)
                    .collect();
                let image = session
                    .rt
                    .block_on(session.docker.resolve_image(&image_id))
                    .map_err(|e| match e {
                        runner::Error::ImageMissing { .. } => runner::Error::ImageMissing {
                            image: format!("{} ({image_id})", recs[group[0]].1.image.tag),
                        },
                        e => e,
                    })?;
                let todo: Vec<&Datum> = group.iter().map(|&i| &datums[i]).collect();
                let again = slots::execute(&ctx, stage, false, &image, &todo)?;
                for (&i, (_, new)) in group.iter().zip(&again) {
                    let (run, old) = &recs[i];
                    out.runs += 1;
                    out.outputs += old.outputs.len();
                    out.mismatches.extend(compare(stage, run, old, new));
                }
            }
        }
        Ok(())
    })();
    session.finish()?;
    result?;
    Ok(out)
}

/// Returns the selected stages in dependency order, refusing unknown names.
fn select<'p>(pipeline: &'p Pipeline, names: &[String]) -> Result<Vec<&'p Stage>> {
    for s in names {
        if !pipeline.stages.iter().any(|st| &st.name == s) {
            return Err(Error::Pipeline {
                message: format!("no stage named `{s}` in pach.toml"),
            });
        }
    }
    let order = pipeline::dag::order(&pipeline.stages).map_err(|c| Error::Pipeline {
        message: format!("cycle between stages: {}", c.join(" -> ")),
    })?;
    Ok(order
        .iter()
        .map(|&i| &pipeline.stages[i])
        .filter(|s| names.is_empty() || names.contains(&s.name))
        .collect())
}

/// The newest run of `stage` that made each output file at HEAD, without repeats.
fn recorded_runs(repo: &Repo, stage: &Stage, snapshot: &FlatTree) -> Result<Vec<Ran>> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (path, e) in snapshot.iter().filter(|(p, _)| is_under(p, &stage.output)) {
        let ids = repo.db().queries().runs_producing(&e.id, Some(path))?;
        let newest = ids
            .into_iter()
            .filter_map(|id| repo.store().get::<RunRecord>(&id).ok().map(|r| (id, r)))
            .filter(|(_, r)| r.stage == stage.name && r.exit == 0)
            .max_by_key(|(_, r)| r.end_ms);
        match newest {
            Some((id, r)) => {
                if seen.insert(id) {
                    out.push((id, r));
                }
            }
            None => {
                return Err(Error::Pipeline {
                    message: format!(
                        "`{path}` under the output of stage `{}` has no run record: it was not made by `pach run`",
                        stage.name
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// Rebuilds the datum a run record describes, mounted as it was.
fn datum_of(stage: &Stage, rec: &RunRecord, snapshot: &FlatTree) -> Datum {
    let inputs = stage
        .inputs
        .iter()
        .filter_map(|input| {
            let files: Vec<(String, FileEntry)> = rec
                .inputs
                .iter()
                .filter(|i| i.input == input.name)
                .map(|i| {
                    let rel = if i.path == input.path {
                        String::new()
                    } else {
                        i.path[input.path.len()..]
                            .trim_start_matches('/')
                            .to_string()
                    };
                    let entry = snapshot
                        .get(&i.path)
                        .filter(|e| e.id == i.id)
                        .copied()
                        .unwrap_or(FileEntry {
                            kind: EntryKind::File,
                            id: i.id,
                            size: 0,
                            exec: false,
                        });
                    (rel, entry)
                })
                .collect();
            (!files.is_empty()).then(|| pipeline::DatumInput {
                input: input.name.clone(),
                root: String::new(),
                files,
            })
        })
        .collect();
    Datum {
        inputs,
        key: rec.datum,
    }
}

fn compare(stage: &Stage, run: &ObjectId, old: &RunRecord, new: &RunRecord) -> Vec<Mismatch> {
    let before: BTreeMap<&str, ObjectId> = old
        .outputs
        .iter()
        .map(|o| (o.path.as_str(), o.id))
        .collect();
    let after: BTreeMap<&str, ObjectId> = new
        .outputs
        .iter()
        .map(|o| (o.path.as_str(), o.id))
        .collect();
    let mut paths: Vec<&str> = before.keys().chain(after.keys()).copied().collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| before.get(p) != after.get(p))
        .map(|p| Mismatch {
            stage: stage.name.clone(),
            datum: old.datum.short(),
            run: *run,
            path: p.to_string(),
            recorded: before.get(p).copied(),
            now: after.get(p).copied(),
        })
        .collect()
}
