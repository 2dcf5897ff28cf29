//! Executing one stage: resolving its image, planning it, running its stale datums over the
//! worker slots (see `slots.rs`), and placing each datum's inputs in its slot.

use std::path::Path;

use super::outputs::merge_outputs;
use super::plan::{Previous, StageReport, plan_stage};
use super::session::StageCtx;
use super::{Ran, slots};
use crate::error::{Error, Result};
use crate::pipeline::{Datum, Stage};
use crate::repo::Repo;
use crate::snapshot::FlatTree;
use crate::store::{EntryKind, LinkMode, ObjectId, RunRecord};

/// What running the stale datums is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `pach run`: the run records, logs and outputs are kept and indexed (the run cache).
    Record,
    /// `pach run --verify`: the results are compared, never kept.
    Verify,
}

/// A stage's report, its outputs, and the run records (cached and new) that made them.
pub type StageResult = (StageReport, FlatTree, Vec<ObjectId>);

/// Plans and runs one stage over `snapshot`; a dry run stops after planning.
pub fn run_stage(
    cx: &StageCtx<'_>,
    stage: &Stage,
    snapshot: &FlatTree,
    prev: &Previous,
) -> Result<StageResult> {
    let image = cx.rt.block_on(cx.docker.resolve_image(&stage.image))?;
    let mut lookup = |key: &ObjectId| cached_run(cx.repo, key);
    let plan = plan_stage(stage, &image, snapshot, prev, cx.opts.force, &mut lookup)?;
    let mut report = plan.report;
    if cx.opts.dry_run {
        return Ok((report, FlatTree::new(), Vec::new()));
    }
    let todo: Vec<&Datum> = plan.todo.iter().collect();
    let executed = slots::execute(cx, stage, Mode::Record, &image, &todo)?;
    for (r, (id, _)) in report.ran.iter_mut().zip(&executed) {
        r.run = Some(*id);
    }
    let mut runs: Vec<Ran> = plan.cached;
    runs.extend(executed);
    let outputs = merge_outputs(stage, &runs)?;
    report.outputs = outputs.len();
    Ok((
        report,
        outputs,
        runs.into_iter().map(|(id, _)| id).collect(),
    ))
}

/// Looks a datum key up in the run cache; a record that cannot be read is a miss.
fn cached_run(repo: &Repo, key: &ObjectId) -> Result<Option<Ran>> {
    let hit = repo.db().queries().cached_run(key)?;
    Ok(hit.and_then(|id| repo.store().get::<RunRecord>(&id).ok().map(|r| (id, r))))
}

/// Maps an I/O error to one that names `path`.
pub fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Empties a directory without removing it (it is a container's bind mount).
pub fn clear_dir(dir: &Path) -> Result<()> {
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
pub fn stage_inputs(repo: &Repo, d: &Datum, in_dir: &Path) -> Result<()> {
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
                let placed = (repo.store()).materialize(&e.id, &dest, LinkMode::Hardlink, false);
                if placed.is_err() {
                    // Purged content is named as such (exit 5), not as a missing object.
                    repo.check_not_purged(rel, &e.id)?;
                }
                placed?;
            }
        }
    }
    Ok(())
}
