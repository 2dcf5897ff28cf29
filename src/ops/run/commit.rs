//! Recording a run: making each stage's run records durable and indexing them (the run
//! cache), and writing the commit that holds the outputs.

use super::Ran;
use super::session::StageCtx;
use crate::error::Result;
use crate::paths::is_under;
use crate::pipeline::Stage;
use crate::repo::{Head, Move, Repo};
use crate::snapshot::FlatTree;
use crate::store::{Author, Batch, CodeVersion, Commit, ObjectId};

/// The commit a run starts from.
pub struct Base<'a> {
    pub id: ObjectId,
    pub commit: &'a Commit,
    pub snapshot: &'a FlatTree,
}

/// Who made the run's commit, when, and from which code.
pub struct Stamp {
    pub author: Author,
    pub time: i64,
    pub code: Option<CodeVersion>,
}

/// Makes a stage's objects durable and indexes every finished datum, failed ones too
/// (their logs), before any failure is reported.
pub fn record_runs(cx: &StageCtx<'_>, batch: Batch, results: &[Option<Result<Ran>>]) -> Result<()> {
    batch.finish(cx.repo.store())?;
    let done: Vec<&Ran> = results
        .iter()
        .flatten()
        .filter_map(|r| r.as_ref().ok())
        .collect();
    cx.repo.db().transaction(|tx| {
        for (id, rec) in &done {
            tx.add_run(id, rec)?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Writes the commit of the run and brings the working tree's output paths up to date.
pub fn commit_outputs(
    repo: &mut Repo,
    base: &Base<'_>,
    snapshot: &FlatTree,
    selected: &[&Stage],
    run_ids: Vec<ObjectId>,
    stamp: &Stamp,
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
        author: stamp.author.clone(),
        time: stamp.time,
        message: format!(
            "pach run: {}",
            selected
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        code: stamp.code.clone(),
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
        time: stamp.time,
        versions,
        action: "run",
    };
    repo.update_worktree(snapshot, &scope, false, &mv)?;
    Ok(Some(id))
}
