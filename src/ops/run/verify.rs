//! `pach run --verify`: recomputing the runs that made the outputs at `HEAD`, keeping
//! nothing, and comparing every output's hash with the recorded one.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use super::execute::Mode;
use super::plan::select;
use super::session::{Session, StageCtx};
use super::{LogSink, Ran, RunOptions, head_name, load_pipeline, slots};
use crate::error::{Error, Result};
use crate::paths::is_under;
use crate::pipeline::{self, Datum, Stage};
use crate::progress::Progress;
use crate::repo::Repo;
use crate::runner;
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{EntryKind, ObjectId, RunRecord};

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
            let ctx = session.ctx(repo, opts, logs, progress);
            verify_stage(&ctx, stage, recs, &snapshot, &mut out)?;
        }
        Ok(())
    })();
    session.finish()?;
    result?;
    Ok(out)
}

/// Recomputes one stage's recorded runs, grouped by the image each record names, and adds
/// what differs to `out`.
fn verify_stage(
    cx: &StageCtx<'_>,
    stage: &Stage,
    recs: &[Ran],
    snapshot: &FlatTree,
    out: &mut VerifyOutcome,
) -> Result<()> {
    out.stages.push(stage.name.clone());
    let datums: Vec<Datum> = recs
        .iter()
        .map(|(_, r)| datum_of(stage, r, snapshot))
        .collect();
    // Recompute with the very image the records name (by ID, not by tag).
    for image_id in recs
        .iter()
        .map(|(_, r)| r.image.id.clone())
        .collect::<BTreeSet<_>>()
    {
        let group: Vec<usize> = (0..recs.len())
            .filter(|&i| recs[i].1.image.id == image_id)
            .collect();
        let image = cx
            .rt
            .block_on(cx.docker.resolve_image(&image_id))
            .map_err(|e| match e {
                runner::Error::ImageMissing { .. } => runner::Error::ImageMissing {
                    image: format!("{} ({image_id})", recs[group[0]].1.image.tag),
                },
                e => e,
            })?;
        let todo: Vec<&Datum> = group.iter().map(|&i| &datums[i]).collect();
        let again = slots::execute(cx, stage, Mode::Verify, &image, &todo)?;
        for (&i, (_, new)) in group.iter().zip(&again) {
            let (run, old) = &recs[i];
            out.runs += 1;
            out.outputs += old.outputs.len();
            out.mismatches.extend(compare(stage, run, old, new));
        }
    }
    Ok(())
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

/// Lists the outputs whose hashes differ between a recorded run and its recomputation.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::run::outputs::tests::{record, stage};

    #[test]
    fn compare_lists_changed_missing_and_extra_outputs_only() {
        let stage = stage();
        let (run, old) = record(
            "a",
            &[
                ("counts/same", "1"),
                ("counts/changed", "2"),
                ("counts/gone", "3"),
            ],
        );
        let (_, new) = record(
            "a",
            &[
                ("counts/same", "1"),
                ("counts/changed", "2b"),
                ("counts/extra", "4"),
            ],
        );
        let found: Vec<(String, Option<ObjectId>, Option<ObjectId>)> =
            compare(&stage, &run, &old, &new)
                .into_iter()
                .map(|m| (m.path, m.recorded, m.now))
                .collect();
        let id = |s: &str| Some(ObjectId::of(s.as_bytes()));
        assert_eq!(
            found,
            [
                ("counts/changed".to_string(), id("2"), id("2b")),
                ("counts/extra".to_string(), None, id("4")),
                ("counts/gone".to_string(), id("3"), None),
            ]
        );
        assert!(compare(&stage, &run, &old, &old).is_empty());
    }
}
