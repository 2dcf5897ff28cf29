//! `.pachignore`: gitignore syntax, one file per directory, deeper files taking precedence.
//! `.git` and `.pach` (anywhere: the project's own, or a nested repository or project) and
//! pach's own temp files (`.pach-tmp-*`) are never tracked, whatever the rules say.
//! The rules decide which untracked names `status` lists ([`Repo::filter_untracked`]).

use std::path::{Path, PathBuf};

use super::status::rel_of;
use crate::error::{Error, Result};

/// Tells whether a walk must never enter or list this project path.
pub(crate) fn is_special(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    matches!(name, ".git" | ".pach") || name.starts_with(TEMP_PREFIX)
}

/// The prefix of the temp files a working-tree update writes beside their place (see
/// `store::loose::temp_beside`): pach's own, never tracked or listed, swept by `gc`.
pub(crate) const TEMP_PREFIX: &str = ".pach-tmp-";

/// `.pachignore` rules (gitignore syntax), loaded per directory on first use; a deeper file's
/// rules take precedence, as in git.
pub(crate) struct Ignores<'a> {
    root: &'a Path,
    by_dir: std::collections::HashMap<String, Option<ignore::gitignore::Gitignore>>,
}

impl<'a> Ignores<'a> {
    pub(crate) fn new(root: &'a Path) -> Self {
        Ignores {
            root,
            by_dir: Default::default(),
        }
    }

    fn rules(&mut self, dir: &str) -> Option<&ignore::gitignore::Gitignore> {
        let root = self.root;
        self.by_dir
            .entry(dir.to_string())
            .or_insert_with(|| {
                let d = root.join(dir);
                let file = d.join(".pachignore");
                if !file.is_file() {
                    return None;
                }
                let mut b = ignore::gitignore::GitignoreBuilder::new(&d);
                b.add(&file);
                b.build().ok()
            })
            .as_ref()
    }

    /// Tells whether project path `rel` (or a directory above it) is ignored.
    pub(crate) fn is_ignored(&mut self, rel: &str, is_dir: bool) -> bool {
        let mut dirs = vec![String::new()];
        let mut acc = String::new();
        for part in rel
            .split('/')
            .collect::<Vec<_>>()
            .iter()
            .rev()
            .skip(1)
            .rev()
        {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            dirs.push(acc.clone());
        }
        let full = self.root.join(rel);
        for d in dirs.iter().rev() {
            if let Some(g) = self.rules(d) {
                match g.matched_path_or_any_parents(&full, is_dir) {
                    ignore::Match::Ignore(_) => return true,
                    ignore::Match::Whitelist(_) => return false,
                    ignore::Match::None => {}
                }
            }
        }
        false
    }
}

/// Walks project directory `dir` (`""` for the whole project) with `ignore`'s walker, in
/// name order, never following symlinks. `.pachignore` files apply from the project root down
/// (the walk starts at the root and enters only the directories above `dir`, so their rules
/// apply and none above the project does); `.gitignore`, hidden-file and git rules do not
/// (`standard_filters(false)`: they must not hide tracked data). `.git`, `.pach` and temp
/// files are never entered or listed. Yields the root and the directories above `dir` too:
/// callers keep only what is under `dir`.
pub(crate) fn walk(root: &Path, dir: &str) -> ignore::Walk {
    let dir = dir.to_string();
    let base = root.to_path_buf();
    ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .add_custom_ignore_filename(".pachignore")
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            // A name that is not UTF-8 is judged by its valid part (and refused by the caller
            // when it is under `dir`).
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path());
            let rel = rel.to_string_lossy();
            !is_special(&rel) && (crate::paths::is_under(&rel, &dir) || is_under_dir(&dir, &rel))
        })
        .build()
}

/// Tells whether `rel` is a directory strictly above project path `dir`.
fn is_under_dir(dir: &str, rel: &str) -> bool {
    rel.is_empty() || dir.strip_prefix(rel).is_some_and(|r| r.starts_with('/'))
}

/// Turns a walk error (a directory that cannot be read) into the path it names and its I/O
/// error. A `.pachignore` that cannot be read or holds a bad pattern is no walk error: as
/// always, only its rules (or the bad lines) do not apply.
pub(crate) fn walk_error(e: ignore::Error, fallback: &Path) -> (PathBuf, std::io::Error) {
    let path = error_path(&e).map_or_else(|| fallback.to_path_buf(), Path::to_path_buf);
    let source = match e.io_error() {
        Some(io) => std::io::Error::new(io.kind(), io.to_string()),
        None => std::io::Error::other(e.to_string()),
    };
    (path, source)
}

/// The innermost path a walk error names.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, err } => error_path(err).or(Some(path)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Partial(errs) => errs.iter().find_map(error_path),
        _ => None,
    }
}

impl super::Repo {
    /// Keeps the untracked candidates `.pachignore` does not exclude; a directory is listed
    /// once, as `dir/`, if it holds any file that is not ignored.
    pub(super) fn filter_untracked(&self, candidates: Vec<(String, bool)>) -> Result<Vec<String>> {
        let root = self.root();
        let mut rules = Ignores::new(root);
        let mut found = Vec::new();
        for (rel, is_dir) in candidates {
            if rules.is_ignored(&rel, is_dir) {
                continue;
            }
            if !is_dir {
                found.push(rel);
            } else if self.holds_unignored_file(&rel, &mut rules)? {
                found.push(format!("{rel}/"));
            }
        }
        found.sort();
        Ok(found)
    }

    /// Tells whether an untracked directory holds any file `.pachignore` does not exclude.
    fn holds_unignored_file(&self, rel: &str, rules: &mut Ignores<'_>) -> Result<bool> {
        let dir = self.root().join(rel);
        for entry in walkdir::WalkDir::new(&dir).min_depth(1).follow_links(false) {
            let entry = entry.map_err(|e| Error::Io {
                path: dir.clone(),
                source: e.into(),
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            if !rules.is_ignored(&rel_of(self.root(), entry.path()), false) {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
