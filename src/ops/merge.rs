//! `pach merge`: fast-forward when possible, else a three-way merge of snapshots at file
//! level into a two-parent commit. Stage outputs never conflict: the merge keeps ours, says
//! which stages the merged inputs make stale, and `--run` recomputes exactly those datums,
//! reusing the run cache of both branches.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::Identity;
use super::run::{LogSink, RunOptions, RunOutcome};
use crate::error::{Error, Result};
use crate::paths::is_under;
use crate::pipeline::{self, Pipeline};
use crate::progress::Progress;
use crate::repo::{ChangeKind, Conflict, Favour, Head, Move, Repo, diff_snapshots, three_way};
use crate::snapshot::FlatTree;
use crate::store::{Batch, Commit, ObjectId};

/// What the user asked of `pach merge`.
pub struct MergeOptions<'a> {
    pub rev: &'a str,
    pub message: Option<&'a str>,
    /// Make a merge commit even when a fast-forward would do.
    pub no_ff: bool,
    /// Settle every conflict one way (`-X ours|theirs`).
    pub favour: Option<Favour>,
    pub identity: &'a Identity,
}

/// How a merge ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MergeResult {
    /// Theirs is already part of ours.
    UpToDate,
    /// Ours was an ancestor of theirs: the branch moved to it.
    FastForward,
    /// A new two-parent commit.
    Merged,
    /// Stopped: conflicts wait in the working tree (ours there), clean changes are staged.
    Conflicts,
}

/// What `pach merge` did.
#[derive(Debug, Serialize)]
pub struct MergeOutcome {
    pub result: MergeResult,
    pub theirs: ObjectId,
    /// The merge commit, or the commit fast-forwarded to.
    pub commit: Option<ObjectId>,
    /// The merge bases (two or more for a criss-cross history).
    pub bases: Vec<ObjectId>,
    pub conflicts: Vec<Conflict>,
    pub written: usize,
    pub deleted: usize,
    /// Stages whose inputs the merge changed: their outputs (ours) are stale until `pach run`.
    pub stale_stages: Vec<String>,
    /// What `--run` ran after the merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<RunOutcome>,
}

/// How to run the stale stages after a clean merge (`--run`).
pub struct RunAfter<'a> {
    pub progress: &'a dyn Progress,
    pub logs: LogSink<'a>,
}

/// Merges `opts.rev` into the current branch (or detached `HEAD`). Refuses while a merge is
/// in progress, with staged changes, and for unrelated histories; the working-tree update
/// refuses to overwrite unstaged changes. Nothing changes on any refusal.
pub fn merge(
    repo: &mut Repo,
    opts: &MergeOptions<'_>,
    run_after: Option<RunAfter<'_>>,
) -> Result<MergeOutcome> {
    if let Some((theirs, _)) = repo.merge_state()? {
        return Err(Error::MergeInProgress {
            theirs: theirs.short(),
        });
    }
    let theirs = repo.resolve_rev(opts.rev)?;
    let index = repo.db().queries().index()?;
    let head = repo.head_commit()?;
    let staged = repo.staged_changes(&index, head.as_ref())?;
    if !staged.is_empty() {
        return Err(Error::StagedChanges {
            paths: staged.into_iter().map(|c| c.path).collect(),
        });
    }
    let branch = match repo.head()? {
        Head::Branch(b) => Some(b),
        Head::Detached(_) => None,
    };
    let mut out = MergeOutcome {
        result: MergeResult::UpToDate,
        theirs,
        commit: None,
        bases: Vec::new(),
        conflicts: Vec::new(),
        written: 0,
        deleted: 0,
        stale_stages: Vec::new(),
        run: None,
    };
    let Some(ours) = head else {
        // A branch with no commits takes theirs as it is.
        return fast_forward(repo, out, branch);
    };
    out.bases = repo.merge_bases(&ours, &theirs)?;
    if out.bases.is_empty() {
        return Err(Error::UnrelatedHistories {
            rev: opts.rev.into(),
        });
    }
    if out.bases.contains(&theirs) {
        return Ok(out);
    }
    let pipeline = pipeline_here(repo.root())?;
    let ours_tree = repo.flatten(&repo.commit_obj(&ours)?.tree)?;
    if out.bases.contains(&ours) && !opts.no_ff {
        let theirs_tree = repo.flatten(&repo.commit_obj(&theirs)?.tree)?;
        out.stale_stages = stale_stages(pipeline.as_ref(), &ours_tree, &theirs_tree);
        out = fast_forward(repo, out, branch)?;
    } else {
        out = three_way_merge(repo, opts, out, ours, &ours_tree, branch, pipeline.as_ref())?;
    }
    if let Some(after) = run_after
        && out.result != MergeResult::Conflicts
        && !out.stale_stages.is_empty()
    {
        let run = RunOptions {
            stages: &[],
            dry_run: false,
            force: false,
            jobs: None,
            identity: opts.identity,
        };
        out.run = Some(super::run::run(repo, &run, after.progress, after.logs)?);
    }
    Ok(out)
}

/// Moves the branch to `out.theirs` and the working tree with it.
fn fast_forward(
    repo: &mut Repo,
    mut out: MergeOutcome,
    branch: Option<String>,
) -> Result<MergeOutcome> {
    let c = repo.commit_obj(&out.theirs)?;
    let wanted = repo.flatten(&c.tree)?;
    let mv = Move::Commit {
        branch,
        id: out.theirs,
        time: c.time,
        versions: Vec::new(),
        action: "merge",
    };
    (out.written, out.deleted) = repo.update_worktree(&wanted, &[], false, &mv)?;
    out.result = MergeResult::FastForward;
    out.commit = Some(out.theirs);
    Ok(out)
}

/// The three-way merge: a two-parent commit when clean (or settled by `-X`), else the
/// working tree and index hold the merge with ours at each conflict, and `MERGE_HEAD`
/// waits for `pach commit`.
fn three_way_merge(
    repo: &mut Repo,
    opts: &MergeOptions<'_>,
    mut out: MergeOutcome,
    ours: ObjectId,
    ours_tree: &FlatTree,
    branch: Option<String>,
    pipeline: Option<&Pipeline>,
) -> Result<MergeOutcome> {
    let theirs_tree = repo.flatten(&repo.commit_obj(&out.theirs)?.tree)?;
    let bases = base_trees(repo, &out.bases, 0)?;
    let derived =
        |p: &str| pipeline.is_some_and(|pl| pl.stages.iter().any(|s| is_under(p, &s.output)));
    let merged = three_way(&bases, ours_tree, &theirs_tree, &derived, opts.favour);
    out.stale_stages = stale_stages(pipeline, ours_tree, &merged.tree);
    // Before any object is written: a merge that would overwrite local changes stops here.
    repo.refuse_overwrite(&merged.tree)?;
    if !merged.conflicts.is_empty() {
        let mv = Move::MergeStopped {
            theirs: out.theirs,
            conflicts: merged.conflicts.iter().map(|c| c.path.clone()).collect(),
        };
        (out.written, out.deleted) = repo.update_worktree(&merged.tree, &[], false, &mv)?;
        out.result = MergeResult::Conflicts;
        out.conflicts = merged.conflicts;
        return Ok(out);
    }
    let batch = Batch::default();
    let (tree, _) = crate::repo::build_tree(
        repo.store(),
        merged.tree.iter().map(|(k, v)| (k.as_str(), v)),
        Some(&batch),
    )?;
    let time = opts.identity.time();
    let message = match opts.message {
        Some(m) if !m.trim().is_empty() => m.to_string(),
        Some(_) => return Err(Error::EmptyMessage),
        None => format!("Merge {}", opts.rev),
    };
    let commit = Commit {
        tree,
        parents: vec![ours, out.theirs],
        author: opts.identity.author.clone(),
        time,
        message,
        code: crate::git::code_version(repo.root()),
        runs: Vec::new(),
    };
    let id = repo.store().put(&commit, &batch)?;
    // Objects first, durable; then the working tree, index and branch together.
    batch.finish(repo.store())?;
    let versions = diff_snapshots(ours_tree, &merged.tree)
        .into_iter()
        .filter(|c| c.kind != ChangeKind::Deleted)
        .map(|c| {
            let id = merged.tree[&c.path].id;
            (c.path, id)
        })
        .collect();
    let mv = Move::Commit {
        branch,
        id,
        time,
        versions,
        action: "merge",
    };
    (out.written, out.deleted) = repo.update_worktree(&merged.tree, &[], false, &mv)?;
    out.result = MergeResult::Merged;
    out.commit = Some(id);
    Ok(out)
}

/// The snapshots to merge against: the merge base's, or for a criss-cross history (several
/// bases) one virtual base made by merging the bases themselves, recursively, as git does.
/// A path the bases' own merge cannot settle is marked unknown: it is given two different
/// entries in the two snapshots returned, so [`three_way`] assumes nothing there.
fn base_trees(repo: &Repo, bases: &[ObjectId], depth: usize) -> Result<Vec<FlatTree>> {
    let mut trees = Vec::new();
    for b in bases {
        trees.push(repo.flatten(&repo.commit_obj(b)?.tree)?);
    }
    // Past a few levels of criss-cross, stop recursing: every disagreement is unknown.
    if trees.len() < 2 || depth >= 4 {
        return Ok(trees);
    }
    let mut virtual_base = trees[0].clone();
    let mut unknown = BTreeSet::new();
    for (i, tree) in trees.iter().enumerate().skip(1) {
        let sub = repo.merge_bases(&bases[0], &bases[i])?;
        let sub_trees = base_trees(repo, &sub, depth + 1)?;
        let m = three_way(&sub_trees, &virtual_base, tree, &|_| false, None);
        unknown.extend(m.conflicts.into_iter().map(|c| c.path));
        virtual_base = m.tree;
    }
    if unknown.is_empty() {
        return Ok(vec![virtual_base]);
    }
    let mut other = virtual_base.clone();
    let marker = crate::snapshot::FileEntry {
        kind: crate::store::EntryKind::File,
        id: ObjectId::of(b"pach: no single merge base for this path"),
        size: 0,
        exec: false,
    };
    for p in unknown {
        virtual_base.remove(&p);
        other.insert(p, marker);
    }
    Ok(vec![virtual_base, other])
}

/// Abandons the merge in progress: the working tree and index go back to `HEAD`, local
/// edits to tracked files included (as `git merge --abort`). Returns (written, deleted).
pub fn abort(repo: &mut Repo) -> Result<(usize, usize)> {
    if repo.merge_state()?.is_none() {
        return Err(Error::NoMergeInProgress);
    }
    let head = repo.head_commit()?.ok_or(Error::NoMergeInProgress)?;
    let wanted = repo.flatten(&repo.commit_obj(&head)?.tree)?;
    let (mut written, deleted) = repo.update_worktree(&wanted, &[], true, &Move::MergeAborted)?;
    // Files edited while resolving differ from the index, not from HEAD's entries in it:
    // those are put back too.
    let edited: Vec<String> = repo
        .status()?
        .unstaged
        .into_iter()
        .map(|c| c.path)
        .filter(|p| wanted.contains_key(p))
        .collect();
    if !edited.is_empty() {
        written += repo.restore("HEAD", &edited)?.written;
    }
    Ok((written, deleted))
}

/// The pipeline in the working tree's `pach.toml`, if there is one; an invalid file is an
/// error naming its place (the merge must know which paths are derived).
fn pipeline_here(root: &Path) -> Result<Option<Pipeline>> {
    let path = root.join("pach.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(Error::Io { path, source }),
    };
    // Only the stages' paths matter here, not whether their inputs are tracked yet.
    let parsed = pipeline::parse(&text, Path::new("pach.toml"), &|_| true)?;
    Ok(Some(parsed))
}

/// The stages whose inputs differ between `before` and `after`, and every stage downstream
/// of them, in pipeline order.
fn stale_stages(pipeline: Option<&Pipeline>, before: &FlatTree, after: &FlatTree) -> Vec<String> {
    let Some(pipeline) = pipeline else {
        return Vec::new();
    };
    let changed: Vec<String> = diff_snapshots(before, after)
        .into_iter()
        .map(|c| c.path)
        .collect();
    let mut stale: BTreeSet<&str> = BTreeSet::new();
    let mut outputs: Vec<&str> = Vec::new();
    // In dependency order, an upstream stage is decided before its consumers (a valid
    // pipeline has no cycle; were there one, file order would do).
    let order = crate::pipeline::dag::order(&pipeline.stages)
        .unwrap_or_else(|_| (0..pipeline.stages.len()).collect());
    for s in order.into_iter().map(|i| &pipeline.stages[i]) {
        let hit = s.inputs.iter().any(|i| {
            changed.iter().any(|c| is_under(c, &i.path))
                || outputs
                    .iter()
                    .any(|o| is_under(&i.path, o) || is_under(o, &i.path))
        });
        if hit {
            stale.insert(&s.name);
            outputs.push(&s.output);
        }
    }
    pipeline
        .stages
        .iter()
        .filter(|s| stale.contains(s.name.as_str()))
        .map(|s| s.name.clone())
        .collect()
}
