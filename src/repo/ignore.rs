//! `.pachignore`: gitignore syntax, one file per directory, deeper files taking precedence.
//! `.git` and `.pach` (anywhere: the project's own, or a nested repository or project) and
//! pach's own temp files (`.pach-tmp-*`) are never tracked, whatever the rules say.

use std::path::Path;

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
