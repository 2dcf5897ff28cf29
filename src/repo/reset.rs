//! `reset` (move the branch, and the index and working tree with it as asked) and
//! `restore` (unstage paths, or bring working-tree files back from the index or a commit).
//! Every ref move goes through `move_to_commit`, so the reflog records it and `gc` keeps what
//! the branch pointed at before.

use std::collections::BTreeMap;

use serde::Serialize;

use super::checkout::Move;
use super::{Head, Repo};
use crate::db::IndexEntry;
use crate::error::{Error, Result};
use crate::paths::is_under;
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::ObjectId;

/// How much `reset` resets, with git's meanings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResetMode {
    /// Only the branch (or detached `HEAD`) moves.
    Soft,
    /// The index too; the working tree stays.
    Mixed,
    /// The index and the working tree too (local changes to tracked files are discarded;
    /// untracked files are never touched).
    Hard,
}

/// What `pach reset` did.
#[derive(Debug, Serialize)]
pub struct ResetOutcome {
    pub mode: ResetMode,
    /// Where the branch was before (`None` on a branch with no commits).
    pub old: Option<ObjectId>,
    pub commit: ObjectId,
    pub branch: Option<String>,
    /// The first line of the commit's message.
    pub subject: String,
    pub written: usize,
    pub deleted: usize,
}

/// What `pach restore` did.
#[derive(Debug, Serialize)]
pub struct RestoreOutcome {
    /// Index entries reset (`--staged`).
    pub unstaged: usize,
    /// Working-tree files written.
    pub written: usize,
}

impl Repo {
    /// Moves the current branch (or detached `HEAD`) to `rev`; with `Mixed` the index, with
    /// `Hard` also the working tree, follow in the same transaction as the ref.
    pub fn reset(&mut self, rev: &str, mode: ResetMode) -> Result<ResetOutcome> {
        let target = self.resolve_rev(rev)?;
        let commit = self.commit_obj(&target)?;
        let branch = match self.head()? {
            Head::Branch(b) => Some(b),
            Head::Detached(_) => None,
        };
        let old = self.head_commit()?;
        let mv = Move::Commit {
            branch: branch.clone(),
            id: target,
            time: commit.time,
            versions: Vec::new(),
            action: "reset",
        };
        let (mut written, mut deleted) = (0, 0);
        match mode {
            ResetMode::Soft => {
                let index = self.db().queries().index()?;
                self.write_index_and_move(&index, &mv)?;
            }
            ResetMode::Mixed => {
                let wanted = self.flatten(&commit.tree)?;
                let index = self.db().queries().index()?;
                let new_index = index_of(&wanted, &index);
                self.write_index_and_move(&new_index, &mv)?;
                self.sync_gitignore(&new_index);
            }
            ResetMode::Hard => {
                let wanted = self.flatten(&commit.tree)?;
                let index = self.db().queries().index()?;
                self.refuse_untracked_in_the_way(&wanted, &index)?;
                (written, deleted) = self.update_worktree(&wanted, &[], true, &mv)?;
            }
        }
        Ok(ResetOutcome {
            mode,
            old,
            commit: target,
            branch,
            subject: commit.message.lines().next().unwrap_or("").to_string(),
            written,
            deleted,
        })
    }

    /// Refuses a hard reset that would write over a file the index does not track, at a path
    /// it writes or where it needs a directory: `reset --hard` discards changes to tracked
    /// files only.
    fn refuse_untracked_in_the_way(
        &self,
        wanted: &FlatTree,
        index: &BTreeMap<String, IndexEntry>,
    ) -> Result<()> {
        let not_a_dir = |p: &str| {
            self.root()
                .join(p)
                .symlink_metadata()
                .is_ok_and(|m| !m.is_dir())
        };
        let mut paths: Vec<String> = wanted
            .keys()
            .filter(|p| !index.contains_key(*p) && self.untracked_in_the_way(p, index))
            .cloned()
            .collect();
        let dirs: std::collections::BTreeSet<&str> = wanted
            .keys()
            .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
            .collect();
        paths.extend(
            dirs.into_iter()
                .filter(|d| !index.contains_key(*d) && not_a_dir(d))
                .map(str::to_string),
        );
        if paths.is_empty() {
            Ok(())
        } else {
            Err(Error::UntrackedInTheWay { paths })
        }
    }

    /// `restore --staged`: the index entries at and under `paths` become those of `source`
    /// (default `HEAD`; none on a branch with no commits), so a newly added file becomes
    /// untracked again. The working tree stays. A path in neither is an error naming it.
    pub fn unstage(&mut self, paths: &[String], source: Option<&str>) -> Result<RestoreOutcome> {
        let tree = match source {
            Some(rev) => Some(self.commit_obj(&self.resolve_rev(rev)?)?.tree),
            None => match self.head_commit()? {
                Some(h) => Some(self.commit_obj(&h)?.tree),
                None => None,
            },
        };
        let index = self.db().queries().index()?;
        let mut wanted = FlatTree::new();
        for p in paths {
            let part = match &tree {
                Some(t) => self.flatten_at(t, p)?,
                None => FlatTree::new(),
            };
            if part.is_empty() && !index.keys().any(|k| is_under(k, p)) {
                return Err(Error::NoSuchPath { path: p.clone() });
            }
            wanted.extend(part);
        }
        let in_paths = |k: &str| paths.iter().any(|p| is_under(k, p));
        let mut new_index: BTreeMap<String, IndexEntry> = index
            .iter()
            .filter(|(k, _)| !in_paths(k))
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        new_index.extend(index_of(&wanted, &index));
        let unstaged = (new_index.iter().filter(|(k, e)| index.get(*k) != Some(*e))).count()
            + index.keys().filter(|k| !new_index.contains_key(*k)).count();
        self.write_index_and_move(&new_index, &Move::None)?;
        self.sync_gitignore(&new_index);
        Ok(RestoreOutcome {
            unstaged,
            written: 0,
        })
    }

    /// `restore` without `--staged`: the working-tree files at and under `paths` are written
    /// back from the index, or from commit `source`; the index stays (its stat cache learns
    /// the files written from it). A path not in the source is an error naming it.
    pub fn restore_files(
        &mut self,
        paths: &[String],
        source: Option<&str>,
    ) -> Result<RestoreOutcome> {
        let index = self.db().queries().index()?;
        let from: FlatTree = match source {
            Some(rev) => {
                let tree = self.commit_obj(&self.resolve_rev(rev)?)?.tree;
                let mut all = FlatTree::new();
                for p in paths {
                    all.extend(self.flatten_at(&tree, p)?);
                }
                all
            }
            None => Self::index_snapshot(&index),
        };
        let mut wanted = FlatTree::new();
        for p in paths {
            let before = wanted.len();
            wanted.extend(
                from.iter()
                    .filter(|(k, _)| is_under(k, p))
                    .map(|(k, e)| (k.clone(), *e)),
            );
            if wanted.len() == before {
                return Err(match source {
                    Some(rev) => Error::NotAFile {
                        rev: rev.into(),
                        path: p.clone(),
                        reason: "does not exist at that revision",
                    },
                    None => Error::NotTracked { path: p.clone() },
                });
            }
        }
        for (p, e) in &wanted {
            self.check_fetched(p, &e.id)?;
        }
        super::checkout::check_names(wanted.keys())?;
        self.check_links(&wanted)?;
        let list: Vec<(&String, &FileEntry)> = wanted.iter().collect();
        let entries = self.switch_files(&[], &list, &index, true)?;
        let written = entries.len();
        if source.is_none() {
            self.write_restored(index, entries, &list)?;
        }
        Ok(RestoreOutcome {
            unstaged: 0,
            written,
        })
    }
}

/// The index entries for snapshot `wanted`: an entry of `old` that already names the same
/// content keeps its stat cache; the others get none, so `status` hashes the file.
fn index_of(wanted: &FlatTree, old: &BTreeMap<String, IndexEntry>) -> BTreeMap<String, IndexEntry> {
    wanted
        .iter()
        .map(|(p, e)| {
            let entry = match old.get(p) {
                Some(o) if o.kind == e.kind && o.id == e.id && o.exec == e.exec => o.clone(),
                _ => IndexEntry {
                    kind: e.kind,
                    id: e.id,
                    size: e.size,
                    exec: e.exec,
                    stat: Default::default(),
                    verified_ns: 0,
                    absent: false,
                },
            };
            (p.clone(), entry)
        })
        .collect()
}
