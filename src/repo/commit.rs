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
        let batch = Batch::default();
        let staged = self.staged_for_commit(head.as_ref())?;
        let StagedForCommit {
            tree,
            rows,
            versions,
            changes,
            files,
            mut index,
        } = staged;
        if changes == 0 && merging.is_none() && !opts.allow_empty && (head.is_some() || files == 0)
        {
            return Err(Error::NothingToCommit);
        }
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
        self.sync_gitignore_lazy(|| match index.take() {
            Some(i) => Ok(i),
            None => Ok(self.db().queries().index()?),
        });
        Ok(CommitOutcome {
            id,
            branch,
            files,
            changes,
            code: opts.code,
        })
    }
}

/// Moves `branch` (or, for `None`, a detached `HEAD`) to the new commit `id`, and indexes the
/// commit (its time) and the file versions it added or changed. Runs inside the caller's
/// transaction, so the ref, its reflog row (`action`) and the indexes move together; used by `commit`, `pach run`'s
/// commits and `pull` (through [`super::Move::Commit`]).
/// What a commit records of the index: its root tree (and the tree cache's rows when they
/// were built again), the changes from `HEAD` and the files' new versions.
struct StagedForCommit {
    tree: ObjectId,
    rows: Option<Vec<(String, Option<crate::db::TreeRow>)>>,
    versions: Vec<(String, ObjectId)>,
    changes: usize,
    files: usize,
    /// The index, when it had to be loaded.
    index: Option<std::collections::BTreeMap<String, crate::db::IndexEntry>>,
}

impl Repo {
    /// Finds what a commit records. The index's trees are stored as the index is written,
    /// so the changes are the tree diff from `HEAD`'s tree to the index's root, which reads
    /// only the trees that differ, and the index itself is never decoded unless it holds a
    /// symlink to check (a commit of 1,000 changes among 10^6 files loaded 10^6 entries for
    /// a count). A cache that is not the index's (a database from before schema 8) or lost a
    /// tree makes the trees be built again from the whole index, and stored.
    fn staged_for_commit(&self, head: Option<&ObjectId>) -> Result<StagedForCommit> {
        let head_tree = head
            .map(|h| self.commit_obj(h))
            .transpose()?
            .map(|c| c.tree);
        let root = self
            .stored_index_trees()?
            .and_then(|trees| trees.get("").map(|(id, _)| *id));
        let (tree, rows, index, files) = match root {
            Some(root) => {
                let (files, links) = self.db().queries().index_shape()?;
                let index = if links {
                    let index = self.db().queries().index()?;
                    self.check_index_links(&index, None)?;
                    Some(index)
                } else {
                    None
                };
                (root, None, index, files as usize)
            }
            None => {
                let index = self.db().queries().index()?;
                self.check_index_links(&index, None)?;
                // Stored before the diff reads them (an unused tree is gc's to collect).
                let batch = Batch::default();
                let built = super::index_trees::build(self.store(), &index, None, &[], &batch)?;
                batch.finish(self.store())?;
                let files = index.len();
                (built.root, Some(built.rows), Some(index), files)
            }
        };
        let changes = self.tree_changes(head_tree.as_ref(), Some(&tree))?;
        let versions = changes
            .iter()
            .filter_map(|c| c.new.as_ref().map(|e| (c.path.clone(), e.id)))
            .collect();
        Ok(StagedForCommit {
            tree,
            rows,
            versions,
            changes: changes.len(),
            files,
            index,
        })
    }
}

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
