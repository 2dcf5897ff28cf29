//! What a command says about the git side: the `.gitignore` notices operations leave, and
//! the git lines of `pach status`.

use super::Ui;
use crate::error::Result;
use crate::repo::{GitSide, Notice};

/// Shortens a git commit id for display.
pub fn short_git(id: &str) -> &str {
    &id[..id.len().min(12)]
}

impl Ui {
    /// Reports what operations had to tell about the git side (stderr).
    pub fn notices(&self, notices: &[Notice]) {
        for n in notices {
            match n {
                Notice::GitignoreUpdated { path, first: true } => self.note(format!(
                    "updated pach's block in {} so git ignores the files pach tracks; \
                     that file is git's to commit (git add .gitignore)",
                    path.display()
                )),
                Notice::GitignoreUpdated { path, first: false } => {
                    self.debug(format!("updated pach's block in {}", path.display()))
                }
                Notice::TrackedByGit { paths } => {
                    for p in paths {
                        self.warn(both_tracked(p));
                    }
                }
                Notice::Mixed { dirs } => {
                    for d in dirs {
                        self.warn(format!(
                            "`{d}` holds files git tracks beside files pach tracks: .gitignore \
                             lists pach's files there one by one, not the directory"
                        ));
                    }
                }
                Notice::GitignoreFailed { path, reason } => self.warn(format!(
                    "could not update pach's block in {}: {reason}; git may list files pach tracks",
                    path.display()
                )),
            }
        }
    }

    /// Prints the git side of `pach status`: the git commit HEAD's pach commit was made
    /// with, whether git's HEAD moved since, and files both track (warnings).
    pub fn git_side(&self, git: &GitSide) -> Result<()> {
        if let Some(code) = &git.recorded {
            let at = code.git_commit.as_deref().map_or("(no commits)", short_git);
            let dirty = if code.dirty { " (dirty)" } else { "" };
            self.line(format!("Data committed with git {at}{dirty}"))?;
        }
        if git.moved {
            let now = git.head.as_deref().map_or("(no commits)", short_git);
            self.line(format!(
                "git HEAD is now {now}: the code moved since the last pach commit"
            ))?;
        }
        for p in &git.tracked_by_both {
            self.warn(both_tracked(p));
        }
        Ok(())
    }
}

/// The warning for a file both git and pach track, with the fix.
fn both_tracked(path: &str) -> String {
    format!(
        "`{path}` is tracked by git and by pach, so pach cannot make git ignore it; \
         to leave it to pach: git rm --cached '{path}'"
    )
}
