//! Everything gix: the code version at HEAD, and the author from git config.

use std::path::Path;

use crate::store::{Author, CodeVersion};

/// Returns the code version of the git repository enclosing `dir`, or `None` outside git.
pub fn code_version(dir: &Path) -> Option<CodeVersion> {
    let repo = gix::discover(dir).ok()?;
    let git_commit = repo.head_id().ok().map(|id| id.to_string());
    // A repository without a worktree or whose status cannot be read counts as dirty: the
    // code version must never claim more cleanliness than it can show.
    let dirty = repo.is_dirty().unwrap_or(true);
    Some(CodeVersion { git_commit, dirty })
}

/// Returns `user.name` and `user.email` from git's configuration as seen from `dir`.
pub fn author(dir: &Path) -> Option<Author> {
    let repo = gix::discover(dir).ok();
    let snapshot = repo.as_ref().map(|r| r.config_snapshot());
    let (name, email) = match &snapshot {
        Some(s) => (
            s.string("user.name")?.to_string(),
            s.string("user.email")?.to_string(),
        ),
        None => return None,
    };
    Some(Author { name, email })
}

/// Adds `.pach/` to the `.gitignore` beside `dir` when `dir` is inside a git worktree.
///
/// Returns the `.gitignore` path when it was changed.
pub fn ignore_pach_dir(dir: &Path) -> std::io::Result<Option<std::path::PathBuf>> {
    if gix::discover(dir).is_err() {
        return Ok(None);
    }
    let path = dir.join(".gitignore");
    let old = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    if old
        .lines()
        .any(|l| matches!(l.trim(), ".pach" | ".pach/" | "/.pach" | "/.pach/"))
    {
        return Ok(None);
    }
    let sep = if old.is_empty() || old.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    std::fs::write(&path, format!("{old}{sep}/.pach/\n"))?;
    Ok(Some(path))
}
