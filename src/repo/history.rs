//! Reading history: log (optionally of one path) and the changes between two trees (the one
//! tree-to-tree diff), which skips every subtree whose id is equal on both sides.

use super::Repo;
use super::status::{Change, ChangeKind};
use crate::error::Result;
use crate::store::{Commit, EntryKind, ObjectId, Tree, TreeEntry};

impl Repo {
    /// Returns every commit reachable from `starts` through all parents, newest first with
    /// every child before its parents (for `log --graph`/`--all`); at most `limit`.
    pub fn log_all(
        &self,
        starts: &[ObjectId],
        limit: Option<usize>,
    ) -> Result<Vec<(ObjectId, Commit)>> {
        use std::collections::{BinaryHeap, HashMap};
        let mut commits: HashMap<ObjectId, Commit> = HashMap::new();
        let mut children: HashMap<ObjectId, usize> = HashMap::new();
        let mut stack: Vec<ObjectId> = starts.to_vec();
        while let Some(id) = stack.pop() {
            if commits.contains_key(&id) {
                continue;
            }
            let c = self.commit_obj(&id)?;
            for p in &c.parents {
                *children.entry(*p).or_default() += 1;
                stack.push(*p);
            }
            commits.insert(id, c);
        }
        // Kahn's order over the parent links, the newest ready commit first.
        let mut ready: BinaryHeap<(i64, ObjectId)> = commits
            .iter()
            .filter(|(id, _)| !children.contains_key(*id))
            .map(|(id, c)| (c.time, *id))
            .collect();
        let mut out = Vec::new();
        while let Some((_, id)) = ready.pop() {
            if limit.is_some_and(|n| out.len() >= n) {
                break;
            }
            let Some(c) = commits.remove(&id) else {
                continue;
            };
            for p in &c.parents {
                if let Some(n) = children.get_mut(p) {
                    *n -= 1;
                    if *n == 0
                        && let Some(pc) = commits.get(p)
                    {
                        ready.push((pc.time, *p));
                    }
                }
            }
            out.push((id, c));
        }
        Ok(out)
    }

    /// Returns the commits every ref points at: HEAD, branches, tags and remote-tracking
    /// branches (for `log --all`).
    pub fn ref_tips(&self) -> Result<Vec<ObjectId>> {
        let mut tips: Vec<ObjectId> = self.head_commit()?.into_iter().collect();
        for kind in [super::RefKind::Branch, super::RefKind::Tag] {
            tips.extend(self.list_refs(kind)?.into_iter().map(|(_, id)| id));
        }
        for (_, target) in self.db().queries().refs("refs/remotes/")? {
            if let Ok(id) = target.parse() {
                tips.push(id);
            }
        }
        tips.sort();
        tips.dedup();
        Ok(tips)
    }

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

    /// [`Repo::log`] of one path, following it across renames (`log --follow`): where a
    /// commit adds the path and deletes another with the same content (for a directory: the
    /// same content at the same place under it), the older commits are searched under the old
    /// name.
    pub fn log_follow(
        &self,
        start: ObjectId,
        path: &str,
        limit: Option<usize>,
    ) -> Result<Vec<(ObjectId, Commit)>> {
        let mut out = Vec::new();
        let mut path = path.to_string();
        let mut next = Some(start);
        while let Some(id) = next {
            if limit.is_some_and(|n| out.len() >= n) {
                break;
            }
            let c = self.commit_obj(&id)?;
            next = c.parents.first().copied();
            let parent_tree = match &next {
                Some(p) => Some(self.commit_obj(p)?.tree),
                None => None,
            };
            let mine = self.lookup(&c.tree, &path)?.map(|e| e.id);
            let before = match &parent_tree {
                Some(t) => self.lookup(t, &path)?.map(|e| e.id),
                None => None,
            };
            if mine == before {
                continue;
            }
            if let (None, Some(_), Some(t)) = (before, mine, &parent_tree)
                && let Some(old) = self.renamed_from(t, &c.tree, &path)?
            {
                path = old;
            }
            out.push((id, c));
        }
        Ok(out)
    }

    /// The path that `path`, added from tree `old` to tree `new`, was renamed from: a deleted
    /// file with the content of one added at or under `path`, at the same place under it.
    fn renamed_from(&self, old: &ObjectId, new: &ObjectId, path: &str) -> Result<Option<String>> {
        let changes = self.tree_changes(Some(old), Some(new))?;
        let Some((suffix, id)) = changes.iter().find_map(|c| match (&c.old, &c.new) {
            (None, Some(n)) if crate::paths::is_under(&c.path, path) => {
                Some((&c.path[path.len()..], n.id))
            }
            _ => None,
        }) else {
            return Ok(None);
        };
        Ok(changes.iter().find_map(|c| match (&c.old, &c.new) {
            (Some(o), None) if o.id == id => c
                .path
                .strip_suffix(suffix)
                .filter(|base| !base.is_empty() && *base != path)
                .map(str::to_string),
            _ => None,
        }))
    }

    /// Returns the file changes from tree `old` to tree `new` (either may be absent), sorted
    /// by path.
    pub fn diff_trees(
        &self,
        old: Option<&ObjectId>,
        new: Option<&ObjectId>,
    ) -> Result<Vec<Change>> {
        let mut out: Vec<Change> = self
            .tree_changes(old, new)?
            .into_iter()
            .map(|c| Change {
                kind: match (&c.old, &c.new) {
                    (Some(_), Some(_)) => ChangeKind::Modified,
                    (Some(_), None) => ChangeKind::Deleted,
                    _ => ChangeKind::Added,
                },
                old_size: c.old.map(|e| e.size),
                new_size: c.new.map(|e| e.size),
                path: c.path,
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Returns every file (or symlink) that differs from tree `old` to tree `new` (either may
    /// be absent), with its entry on each side, in tree order. The one tree-to-tree diff:
    /// `diff`, `log --stat` and the versions a fetch indexes all read it.
    pub fn tree_changes(
        &self,
        old: Option<&ObjectId>,
        new: Option<&ObjectId>,
    ) -> Result<Vec<TreeChange>> {
        let mut out = Vec::new();
        self.changes_into(old.copied(), new.copied(), "", &mut out)?;
        Ok(out)
    }

    /// Walks two trees side by side (entries are sorted by name), skipping equal subtrees.
    fn changes_into(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &str,
        out: &mut Vec<TreeChange>,
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
        let (mut i, mut j) = (0, 0);
        loop {
            let (x, y) = match (a.get(i), b.get(j)) {
                (None, None) => break,
                (Some(x), Some(y)) if x.name == y.name => (Some(x), Some(y)),
                (Some(x), Some(y)) if x.name < y.name => (Some(x), None),
                (Some(x), None) => (Some(x), None),
                (_, y) => (None, y),
            };
            i += usize::from(x.is_some());
            j += usize::from(y.is_some());
            let Some(name) = x.or(y).map(|e| e.name.as_str()) else {
                break;
            };
            let path = crate::paths::join(prefix, name);
            let dir = |e: Option<&TreeEntry>| e.filter(|e| e.kind == EntryKind::Dir).map(|e| e.id);
            self.changes_into(dir(x), dir(y), &path, out)?;
            let file = |e: Option<&TreeEntry>| e.filter(|e| e.kind != EntryKind::Dir).cloned();
            let (f, g) = (file(x), file(y));
            if f != g {
                out.push(TreeChange {
                    path,
                    old: f,
                    new: g,
                });
            }
        }
        Ok(())
    }
}

/// A file (or symlink) that differs between two trees: its entry on each side, `None` where
/// it is absent (or a directory).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeChange {
    pub path: String,
    pub old: Option<TreeEntry>,
    pub new: Option<TreeEntry>,
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
