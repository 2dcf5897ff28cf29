//! Reading history: log (optionally of one path) and the changes between two trees, which
//! skips every subtree whose id is equal on both sides.

use super::Repo;
use super::status::{Change, ChangeKind};
use crate::error::Result;
use crate::store::{Commit, EntryKind, ObjectId, Tree, TreeEntry};

impl Repo {
    /// Returns commits from `start` back through first parents, newest first; with `path`,
    /// only those that changed it; at most `limit`.
    pub fn log(
        &self,
        start: ObjectId,
        path: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<(ObjectId, Commit)>> {
        let mut out = Vec::new();
        let mut next = Some(start);
        while let Some(id) = next {
            if limit.is_some_and(|n| out.len() >= n) {
                break;
            }
            let c = self.commit_obj(&id)?;
            next = c.parents.first().copied();
            let keep = match path {
                None => true,
                Some(p) => {
                    let mine = self.lookup(&c.tree, p)?.map(|e| e.id);
                    let before = match &next {
                        Some(parent) => self
                            .lookup(&self.commit_obj(parent)?.tree, p)?
                            .map(|e| e.id),
                        None => None,
                    };
                    mine != before
                }
            };
            if keep {
                out.push((id, c));
            }
        }
        Ok(out)
    }

    /// Returns the file changes from tree `old` to tree `new` (either may be absent).
    pub fn diff_trees(
        &self,
        old: Option<&ObjectId>,
        new: Option<&ObjectId>,
    ) -> Result<Vec<Change>> {
        let mut out = Vec::new();
        self.diff_into(old.copied(), new.copied(), "", &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn diff_into(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &str,
        out: &mut Vec<Change>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let load = |id: Option<ObjectId>| -> Result<Vec<TreeEntry>> {
            Ok(match id {
                Some(id) => self.store().get::<Tree>(&id)?.entries,
                None => Vec::new(),
            })
        };
        let (a, b) = (load(old)?, load(new)?);
        let mut names: Vec<&str> = a.iter().chain(b.iter()).map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        for name in names {
            let path = if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}/{name}")
            };
            let x = a.iter().find(|e| e.name == name);
            let y = b.iter().find(|e| e.name == name);
            let dir = |e: Option<&TreeEntry>| e.filter(|e| e.kind == EntryKind::Dir).map(|e| e.id);
            self.diff_into(dir(x), dir(y), &path, out)?;
            match (
                x.filter(|e| e.kind != EntryKind::Dir),
                y.filter(|e| e.kind != EntryKind::Dir),
            ) {
                (Some(f), Some(g)) if f != g => out.push(Change {
                    path,
                    kind: ChangeKind::Modified,
                    old_size: Some(f.size),
                    new_size: Some(g.size),
                }),
                (Some(f), None) => out.push(Change {
                    path,
                    kind: ChangeKind::Deleted,
                    old_size: Some(f.size),
                    new_size: None,
                }),
                (None, Some(g)) => out.push(Change {
                    path,
                    kind: ChangeKind::Added,
                    old_size: None,
                    new_size: Some(g.size),
                }),
                _ => {}
            }
        }
        Ok(())
    }
}

impl Repo {
    /// Returns the changes from snapshot `tree` to the working tree (tracked files only).
    pub fn diff_worktree(&mut self, tree: &ObjectId) -> Result<Vec<Change>> {
        let index = self.db().queries().index()?;
        let mut work = Self::index_snapshot(&index);
        for c in self.status()?.unstaged {
            match c.kind {
                ChangeKind::Deleted => {
                    work.remove(&c.path);
                }
                _ => {
                    let full = self.root().join(&c.path);
                    let e = work
                        .get_mut(&c.path)
                        .expect("unstaged changes are of tracked paths");
                    match full.symlink_metadata() {
                        Ok(m) if m.file_type().is_symlink() => {
                            let t =
                                std::fs::read_link(&full).map_err(|source| crate::Error::Io {
                                    path: full.clone(),
                                    source,
                                })?;
                            e.kind = EntryKind::Symlink;
                            e.id = ObjectId::of(t.as_os_str().as_encoded_bytes());
                            e.size = t.as_os_str().len() as u64;
                        }
                        _ => {
                            let (h, size) = crate::store::loose::hash_file(&full)?;
                            e.kind = EntryKind::File;
                            e.id = ObjectId::from_hash(h);
                            e.size = size;
                        }
                    }
                }
            }
        }
        let old = self.flatten(tree)?;
        Ok(super::status::diff_snapshots(&old, &work))
    }
}
