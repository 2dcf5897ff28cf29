//! Reading any version without checking it out: the files under a path (`pach ls`), one
//! file's bytes (`pach cat`), and the run records a commit lists (`pach show`).

use super::Repo;
use crate::error::{Error, Result};
use crate::snapshot::FlatTree;
use crate::store::{Commit, EntryKind, ObjectId, RunRecord};

impl Repo {
    /// Lists every file at or under `prefix` (`""` for all) in revision `rev`; a prefix that
    /// names nothing there is an error naming it.
    pub fn ls(&self, rev: &str, prefix: &str) -> Result<FlatTree> {
        let tree = self.commit_obj(&self.resolve_rev(rev)?)?.tree;
        let files = self.flatten_at(&tree, prefix)?;
        if files.is_empty() && !prefix.is_empty() {
            return Err(Error::NotAFile {
                rev: rev.into(),
                path: prefix.into(),
                reason: "does not exist at that revision",
            });
        }
        Ok(files)
    }

    /// Opens file `path` of revision `rev` for reading. The object is re-hashed first, so a
    /// corrupt object is an error and never output; a directory, a path that does not exist
    /// there or a file not fetched is an error naming it.
    pub fn open_file_at(
        &self,
        rev: &str,
        path: &str,
    ) -> Result<crate::store::chunked::PieceReader> {
        let tree = self.commit_obj(&self.resolve_rev(rev)?)?.tree;
        let entry = self.lookup(&tree, path)?.ok_or_else(|| Error::NotAFile {
            rev: rev.into(),
            path: path.into(),
            reason: "does not exist at that revision",
        })?;
        if entry.kind == EntryKind::Dir {
            return Err(Error::NotAFile {
                rev: rev.into(),
                path: path.into(),
                reason: "is a directory; use `pach ls`",
            });
        }
        self.check_fetched(path, &entry.id)?;
        self.store().verify(&entry.id)?;
        Ok(self.store().open(&entry.id)?)
    }

    /// Reads the run records commit `c` lists (a `pach run` commit), with their ids, in order.
    pub fn run_records(&self, c: &Commit) -> Result<Vec<(ObjectId, RunRecord)>> {
        c.runs
            .iter()
            .map(|id| Ok((*id, self.store().get(id)?)))
            .collect()
    }

    /// Returns the changes commit `c` made to its first parent (everything, for a root).
    pub fn commit_changes(&self, c: &Commit) -> Result<Vec<super::Change>> {
        let parent_tree = match c.parents.first() {
            Some(p) => Some(self.commit_obj(p)?.tree),
            None => None,
        };
        self.diff_trees(parent_tree.as_ref(), Some(&c.tree))
    }
}
