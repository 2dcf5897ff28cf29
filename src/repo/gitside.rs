//! Git beside pach: the block of paths pach tracks in the project's `.gitignore`, kept up to
//! date by every operation that changes what is tracked, and what `status` tells about the
//! git side (files both track, git's HEAD against the code version of HEAD's pach commit).
//!
//! Keeping `.gitignore` up to date never fails an operation: the data is committed by then,
//! so a problem becomes a [`Notice`] the command reports.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::Repo;
use super::status::Status;
use crate::db::IndexEntry;
use crate::error::Result;
use crate::git;
use crate::store::CodeVersion;

/// The `meta` key set once the user was told that the edited `.gitignore` is git's to commit.
const HINT_KEY: &str = "gitignore_hint";

/// Something an operation has to tell about the git side, for the command to report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "notice")]
pub enum Notice {
    /// pach's block in this `.gitignore` was rewritten; `first`: the user has not been told
    /// yet that the file is git's to commit.
    GitignoreUpdated { path: PathBuf, first: bool },
    /// Files pach tracks that git tracks too: not in the block (git would keep tracking them).
    TrackedByGit { paths: Vec<String> },
    /// Directories holding files of git beside files of pach: the block lists pach's files
    /// there one by one rather than the directory.
    Mixed { dirs: Vec<String> },
    /// The `.gitignore` could not be updated.
    GitignoreFailed { path: PathBuf, reason: String },
}

/// The git side of `pach status`.
#[derive(Debug, Clone, Serialize)]
pub struct GitSide {
    /// git's HEAD commit now (`None`: no commits yet).
    pub head: Option<String>,
    /// The code version HEAD's pach commit recorded (`None`: no commit, or made outside git).
    pub recorded: Option<CodeVersion>,
    /// git's HEAD is not the commit HEAD's pach commit was made with.
    pub moved: bool,
    /// Files both git and pach track.
    pub tracked_by_both: Vec<String>,
}

impl Repo {
    /// Rewrites pach's block in the `.gitignore` at the project root from `index` (what pach
    /// tracks) when the project is in a git worktree and `gitignore` is not off. Never fails:
    /// what goes wrong, or is worth saying, is kept for [`Repo::take_notices`].
    pub(crate) fn sync_gitignore(&self, index: &BTreeMap<String, IndexEntry>) {
        self.sync_gitignore_lazy(|| Ok(index));
    }

    /// [`Repo::sync_gitignore`] with the index loaded only inside a git worktree (a commit
    /// outside one never decodes the index); a failure to load it is reported as the block's.
    pub(crate) fn sync_gitignore_lazy<I: std::borrow::Borrow<BTreeMap<String, IndexEntry>>>(
        &self,
        load: impl FnOnce() -> crate::error::Result<I>,
    ) {
        if self.config().gitignore == Some(false) {
            return;
        }
        // Outside a git worktree there is no index and nothing to ignore.
        let Some(in_git) = git::tracked_files(self.root()) else {
            return;
        };
        let index = match load() {
            Ok(i) => i,
            Err(e) => {
                let path = self.root().join(".gitignore");
                let reason = format!("the staging index could not be read: {e}");
                self.notices
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(Notice::GitignoreFailed { path, reason });
                return;
            }
        };
        let index = index.borrow();
        let others = self.untracked_beside(index);
        let plan = git::block::plan(
            index.keys().map(String::as_str),
            others.iter().map(String::as_str),
            &in_git,
        );
        let mut notices = Vec::new();
        if !plan.both.is_empty() {
            notices.push(Notice::TrackedByGit { paths: plan.both });
        }
        let path = self.root().join(".gitignore");
        match git::write_block(self.root(), &plan.lines) {
            Ok(None) => {}
            Ok(Some(path)) => {
                if !plan.mixed.is_empty() {
                    notices.push(Notice::Mixed { dirs: plan.mixed });
                }
                notices.push(Notice::GitignoreUpdated {
                    first: self.first_hint(),
                    path,
                })
            }
            Err(reason) => notices.push(Notice::GitignoreFailed { path, reason }),
        }
        self.notices
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(notices);
    }

    /// Tells whether this is the first `.gitignore` update the user hears of, and remembers
    /// that they have (a failure to remember only means hearing it again).
    fn first_hint(&self) -> bool {
        let mut db = self.db();
        if db.queries().meta(HINT_KEY).ok().flatten().is_some() {
            return false;
        }
        let _ = db.transaction(|tx| tx.set_meta(HINT_KEY, "1"));
        true
    }

    /// Returns the files (and symlinks) in the working tree that `index` does not hold, in
    /// the top-level directories that hold tracked files: what keeps such a directory from
    /// being ignored as a whole.
    ///
    /// Every add, commit and checkout asks, so it is cheap at 10^6 files: each directory is
    /// listed once from its own descriptor, a level at a time on every core, and its names
    /// are looked up among the tracked names of that directory; only untracked files get a
    /// path made for them. (A `walkdir` making a path and an index lookup for each of 10^6
    /// files was a third of a commit's time.)
    fn untracked_beside(&self, index: &BTreeMap<String, IndexEntry>) -> BTreeSet<String> {
        let mut tracked: HashMap<&str, HashSet<&str>> = HashMap::new();
        for p in index.keys() {
            if let Some((dir, name)) = p.rsplit_once('/') {
                tracked.entry(dir).or_default().insert(name);
            }
        }
        let tops: BTreeSet<&str> = index
            .keys()
            .filter_map(|p| p.split_once('/').map(|(top, _)| top))
            .collect();
        let mut level: Vec<String> = tops.into_iter().map(String::from).collect();
        let mut found = BTreeSet::new();
        while !level.is_empty() {
            let listed: Vec<(Vec<String>, Vec<String>)> = level
                .par_iter()
                .map(|dir| self.list_beside(dir, tracked.get(dir.as_str())))
                .collect();
            level = Vec::new();
            for (dirs, files) in listed {
                level.extend(dirs);
                found.extend(files);
            }
        }
        found
    }

    /// Lists project directory `dir`: its subdirectories, and its other entries whose names
    /// are not in `tracked` (an unreadable directory lists nothing, as it did for `walkdir`).
    fn list_beside(
        &self,
        dir: &str,
        tracked: Option<&HashSet<&str>>,
    ) -> (Vec<String>, Vec<String>) {
        use rustix::fs::{Mode, OFlags};
        let (mut dirs, mut files) = (Vec::new(), Vec::new());
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let Ok(fd) = rustix::fs::open(self.root().join(dir), flags, Mode::empty()) else {
            return (dirs, files);
        };
        // Every directory; of the files, the untracked ones.
        let keep = |name: &str, is_dir| is_dir || !tracked.is_some_and(|t| t.contains(name));
        for (rel, is_dir) in crate::paths::list_dir(&fd, dir, keep).unwrap_or_default() {
            if is_dir {
                dirs.push(rel);
            } else {
                files.push(rel);
            }
        }
        (dirs, files)
    }

    /// Returns (and forgets) what operations so far had to tell about the git side.
    pub fn take_notices(&self) -> Vec<Notice> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// [`Repo::status`] with the git side: files both track, and whether git's HEAD moved
    /// since HEAD's pach commit (`None` outside git); files git tracks are not untracked.
    pub fn status_with_git(&mut self) -> Result<Status> {
        let mut st = self.status()?;
        let Some(head) = git::head_commit(self.root()) else {
            return Ok(st);
        };
        let recorded = match st.head {
            Some(id) => self.commit_obj(&id)?.code,
            None => None,
        };
        let index = self.db().queries().index()?;
        let in_git = git::tracked_files(self.root()).unwrap_or_default();
        // A file git tracks is not waiting for pach.
        st.untracked.retain(|p| !in_git.contains(p));
        let tracked_by_both = index
            .keys()
            .filter(|p| in_git.contains(*p) && !git::block::kept_for_git(p))
            .cloned()
            .collect();
        st.git = Some(GitSide {
            moved: recorded.as_ref().is_some_and(|c| c.git_commit != head),
            head,
            recorded,
            tracked_by_both,
        });
        Ok(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{EntryKind, ObjectId};

    #[test]
    fn untracked_beside_finds_files_at_every_depth_under_tracked_tops_only() {
        let tmp = tempfile::tempdir().unwrap();
        let (repo, _) = Repo::init(tmp.path()).unwrap();
        let root = tmp.path();
        for f in [
            "a/d.txt",
            "a/b/c.txt",
            "a/x.txt",
            "a/b/e/f/g.txt",
            "top.txt",
            "z/y.txt",
        ] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), f).unwrap();
        }
        std::os::unix::fs::symlink("c.txt", root.join("a/b/link")).unwrap();
        let entry = IndexEntry {
            kind: EntryKind::File,
            id: ObjectId::of(b""),
            size: 0,
            exec: false,
            stat: Default::default(),
            verified_ns: 0,
            absent: false,
        };
        let index: BTreeMap<String, IndexEntry> = ["a/d.txt", "a/b/c.txt", "top.txt"]
            .map(|p| (p.to_string(), entry.clone()))
            .into();
        let found: Vec<String> = repo.untracked_beside(&index).into_iter().collect();
        // Not z/ (no tracked file there) nor top-level files: only under tracked tops.
        assert_eq!(found, ["a/b/e/f/g.txt", "a/b/link", "a/x.txt"]);
    }
}
