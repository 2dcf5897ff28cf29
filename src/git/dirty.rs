//! The dirty flag of a code version, blind to pach's own lines in the project's
//! `.gitignore` (its block and the `/.pach/` line): pach edits that file itself, and a
//! commit that only follows those edits must not call the code dirty.

use std::path::Path;

use super::block;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Tells whether the worktree of `repo` differs from HEAD in anything but pach's lines in
/// the `.gitignore` at project root `dir`. Untracked files do not count (as in git).
pub fn is_dirty(repo: &gix::Repository, dir: &Path) -> Result<bool, Failure> {
    if !repo.is_dirty()? {
        return Ok(false);
    }
    let Some(rel) = gitignore_path(repo, dir) else {
        return Ok(true);
    };
    // Dirty: is the one change pach's `.gitignore`, and only pach's lines in it?
    let mut others = false;
    let mut pathspec = repo.pathspec(
        false,
        None::<&str>,
        false,
        &gix::index::State::new(repo.object_hash()),
        gix::worktree::stack::state::attributes::Source::IdMapping,
    )?;
    repo.tree_index_status(
        &repo.head_tree_id_or_empty()?,
        &*repo.index_or_empty()?,
        Some(&mut pathspec),
        gix::status::tree_index::TrackRenames::Disabled,
        |change, _, _| {
            if change.location() != rel.as_str() {
                others = true;
                return Ok(std::ops::ControlFlow::Break(()));
            }
            Ok(std::ops::ControlFlow::Continue(()))
        },
    )?;
    if others {
        return Ok(true);
    }
    for item in repo
        .status(gix::progress::Discard)?
        .index_worktree_options_mut(|opts| opts.dirwalk_options = None)
        .into_index_worktree_iter(Vec::new())?
    {
        if item?.rela_path() != rel.as_str() {
            return Ok(true);
        }
    }
    let now = match std::fs::read_to_string(dir.join(".gitignore")) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.into()),
    };
    let committed = match repo.head_tree()?.lookup_entry_by_path(&rel)? {
        Some(entry) => String::from_utf8_lossy(&entry.object()?.data).into_owned(),
        None => String::new(),
    };
    Ok(block::strip(&now) != block::strip(&committed))
}

/// Returns the path of `dir/.gitignore` relative to the worktree root, `/`-separated.
fn gitignore_path(repo: &gix::Repository, dir: &Path) -> Option<String> {
    let work = std::fs::canonicalize(repo.workdir()?).ok()?;
    let dir = std::fs::canonicalize(dir).ok()?;
    let rel = dir.strip_prefix(&work).ok()?.to_str()?;
    Some(if rel.is_empty() {
        ".gitignore".to_string()
    } else {
        format!("{rel}/.gitignore")
    })
}
