//! `commit`: the index becomes trees and a commit, and the branch moves.

use serde::Serialize;

use super::{Head, Repo};
use crate::db::Queries;
use crate::error::{Error, Result};
use crate::store::{Author, Batch, CodeVersion, Commit, ObjectId};

/// What `pach commit` made.
#[derive(Debug, Serialize)]
pub struct CommitOutcome {
    pub id: ObjectId,
    pub branch: Option<String>,
    pub files: usize,
    pub changes: usize,
    pub code: Option<CodeVersion>,
}

/// Inputs of a commit that come from outside the repository.
pub struct CommitOptions<'a> {
    pub message: &'a str,
    pub allow_empty: bool,
    pub author: Author,
    pub time: i64,
    pub code: Option<CodeVersion>,
}

impl Repo {
    /// Records the index as a new commit on the current branch (or detached `HEAD`).
    pub fn commit(&mut self, opts: CommitOptions<'_>) -> Result<CommitOutcome> {
        if opts.message.trim().is_empty() {
            return Err(Error::EmptyMessage);
        }
        let index = self.db().queries().index()?;
        let head = self.head_commit()?;
        // A merge waiting for its conflicts concludes here, with a second parent.
        let merging = self.merge_state()?;
        if let Some((_, conflicts)) = &merging
            && !conflicts.is_empty()
        {
            return Err(Error::UnresolvedConflicts {
                paths: conflicts.clone(),
            });
        }
        let staged = self.staged_changes(&index, head.as_ref())?;
        let changes = staged.len();
        let versions: Vec<(String, ObjectId)> = staged
            .iter()
            .filter(|c| c.kind != super::ChangeKind::Deleted)
            .map(|c| (c.path.clone(), index[&c.path].id))
            .collect();
        if changes == 0
            && merging.is_none()
            && !opts.allow_empty
            && (head.is_some() || index.is_empty())
        {
            return Err(Error::NothingToCommit);
        }
        self.check_index_links(&index, None)?;
        // The index's trees are stored as the index is written; a cache that is not the
        // index's (a database from before schema 8) or lost a tree is built again whole.
        let batch = Batch::default();
        let rebuilt = match self.stored_index_trees()? {
            Some(trees) => {
                let root = trees.get("").map(|(id, _)| *id);
                root.map(|r| (r, None)).ok_or(())
            }
            None => Err(()),
        };
        let (tree, rows) = match rebuilt {
            Ok(found) => found,
            Err(()) => {
                let built = super::index_trees::build(self.store(), &index, None, &[], &batch)?;
                (built.root, Some(built.rows))
            }
        };
        let commit = Commit {
            tree,
            parents: head
                .into_iter()
                .chain(merging.as_ref().map(|m| m.0))
                .collect(),
            author: opts.author,
            time: opts.time,
            message: opts.message.to_string(),
            code: opts.code.clone(),
            runs: Vec::new(),
        };
        let id = self.store().put(&commit, &batch)?;
        // Objects first, durable; then the ref, in one transaction.
        batch.finish(self.store())?;
        let head_state = self.head()?;
        let branch = match &head_state {
            Head::Branch(b) => Some(b.clone()),
            Head::Detached(_) => None,
        };
        self.db_mut().transaction(|tx| {
            let action = if merging.is_some() {
                "commit (merge)"
            } else {
                "commit"
            };
            move_to_commit(tx, branch.as_deref(), &id, opts.time, &versions, action)?;
            if merging.is_some() {
                super::merge::end_merge(tx)?;
            }
            if let Some(rows) = &rows {
                tx.set_index_trees(true, rows)?;
            }
            tx.set_meta("index_tree", &tree.hex())
        })?;
        self.sync_gitignore(&index);
        Ok(CommitOutcome {
            id,
            branch,
            files: index.len(),
            changes,
            code: opts.code,
        })
    }
}

/// Moves `branch` (or, for `None`, a detached `HEAD`) to the new commit `id`, and indexes the
/// commit (its time) and the file versions it added or changed. Runs inside the caller's
/// transaction, so the ref, its reflog row (`action`) and the indexes move together; used by `commit`, `pach run`'s
/// commits and `pull` (through [`super::Move::Commit`]).
pub(super) fn move_to_commit(
    tx: &Queries<'_>,
    branch: Option<&str>,
    id: &ObjectId,
    time: i64,
    versions: &[(String, ObjectId)],
    action: &str,
) -> crate::db::Result<()> {
    match branch {
        Some(b) => tx.set_ref(&format!("refs/heads/{b}"), &id.hex(), action)?,
        None => tx.set_ref("HEAD", &id.hex(), action)?,
    }
    tx.add_commit(id, time)?;
    tx.add_versions(id, time, versions)
}
