//! Everything gix: the code version at HEAD (whose dirty flag ignores pach's own lines in
//! `.gitignore`), the author from git config, the files git tracks, and `.gitignore`: the
//! `/.pach/` line and the block of paths pach tracks (`block.rs`, `dirty.rs`).

pub mod block;
mod dirty;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::store::{Author, CodeVersion};

/// Returns the code version of the git repository enclosing `dir`, or `None` outside git.
///
/// `dir` is the project root: a change to its `.gitignore` that touches only pach's lines
/// does not make the code version dirty.
pub fn code_version(dir: &Path) -> Option<CodeVersion> {
    let repo = gix::discover(dir).ok()?;
    let git_commit = repo.head_id().ok().map(|id| id.to_string());
    // A repository without a worktree or whose status cannot be read counts as dirty: the
    // code version must never claim more cleanliness than it can show.
    let dirty = dirty::is_dirty(&repo, dir).unwrap_or(true);
    Some(CodeVersion { git_commit, dirty })
}

/// Returns the hex id of git's HEAD commit as seen from `dir`: `None` outside git,
/// `Some(None)` in a repository with no commits yet.
pub fn head_commit(dir: &Path) -> Option<Option<String>> {
    let repo = gix::discover(dir).ok()?;
    Some(repo.head_id().ok().map(|id| id.to_string()))
}

/// Returns the paths git's index holds under `dir` (relative to `dir`, `/`-separated), or
/// `None` when `dir` is not inside a git worktree or its index cannot be read.
pub fn tracked_files(dir: &Path) -> Option<BTreeSet<String>> {
    let repo = gix::discover(dir).ok()?;
    let work = std::fs::canonicalize(repo.workdir()?).ok()?;
    let dir = std::fs::canonicalize(dir).ok()?;
    let prefix = dir.strip_prefix(&work).ok()?.to_str()?.to_string();
    let prefix = if prefix.is_empty() {
        prefix
    } else {
        format!("{prefix}/")
    };
    let index = repo.index_or_empty().ok()?;
    let paths = index
        .entries()
        .iter()
        .filter_map(|e| {
            let p = e.path(&index).to_string();
            p.strip_prefix(&prefix).map(str::to_string)
        })
        .collect();
    Some(paths)
}

/// Puts `lines` as pach's block into the `.gitignore` at `dir` (made when missing, left
/// alone when nothing changes; no lines means no block). Returns the file's path when it was
/// written; an error says why it could not be (unreadable, unwritable, a broken block).
pub fn write_block(dir: &Path, lines: &[String]) -> Result<Option<PathBuf>, String> {
    let path = dir.join(".gitignore");
    let old = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.to_string()),
    };
    let new = block::replace(&old, &block::render(lines))?;
    if new == old {
        return Ok(None);
    }
    // A temp file and a rename: a crash leaves the old file or the new one.
    let tmp = dir.join(format!(".gitignore.pach-{}", std::process::id()));
    std::fs::write(&tmp, &new)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            e.to_string()
        })?;
    Ok(Some(path))
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
