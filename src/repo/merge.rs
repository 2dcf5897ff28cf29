//! Merging: the merge bases of two commits, the three-way merge of their snapshots at file
//! level, and the state of a merge that stopped on conflicts (`MERGE_HEAD` and the
//! conflicted paths, moved in the same transaction as the index).

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use super::Repo;
use crate::error::{Error, Result};
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::ObjectId;

/// The ref naming the commit being merged while a merge waits for its conflicts.
pub const MERGE_HEAD: &str = "MERGE_HEAD";
/// The `meta` key listing the paths still in conflict (a JSON array).
const CONFLICTS_KEY: &str = "merge_conflicts";

/// Which side settles every conflict (`-X ours|theirs`, git's meaning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Favour {
    Ours,
    Theirs,
}

/// How the two sides disagree about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConflictKind {
    /// Both changed it, differently.
    BothChanged,
    /// Both added it, differently.
    BothAdded,
    /// Ours changed it, theirs deleted it.
    ChangedDeleted,
    /// Ours deleted it, theirs changed it.
    DeletedChanged,
    /// One side has a file where the other has a directory.
    FileDirectory,
}

/// A path the merge cannot settle alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub path: String,
    pub kind: ConflictKind,
}

/// The result of a three-way merge: the merged snapshot (ours at conflicted paths, unless a
/// side was favoured) and the conflicts.
#[derive(Debug, Default)]
pub struct Merged {
    pub tree: FlatTree,
    pub conflicts: Vec<Conflict>,
}

/// What the merge base says about a path.
#[derive(Clone, Copy, PartialEq)]
enum Base<'a> {
    /// Every merge base agrees (`None`: absent in all).
    Known(Option<&'a FileEntry>),
    /// The merge bases disagree (a criss-cross history): nothing is assumed.
    Unknown,
}

/// Merges `ours` and `theirs` against their merge bases, path by path. A path changed on one
/// side only takes that side; changed on both, differently, it is a conflict. `derived`
/// paths (stage outputs) are never merged: they keep ours, and `pach run` recomputes them.
/// With several merge bases that disagree about a path, any difference there is a conflict.
pub fn three_way(
    bases: &[FlatTree],
    ours: &FlatTree,
    theirs: &FlatTree,
    derived: &dyn Fn(&str) -> bool,
    favour: Option<Favour>,
) -> Merged {
    let mut paths: BTreeSet<&str> = ours.keys().map(String::as_str).collect();
    paths.extend(theirs.keys().map(String::as_str));
    for b in bases {
        paths.extend(b.keys().map(String::as_str));
    }
    let mut out = Merged::default();
    for p in paths {
        let (o, t) = (ours.get(p), theirs.get(p));
        let base = base_of(bases, p);
        let take = if derived(p) || o == t || base == Base::Known(t) {
            o
        } else if base == Base::Known(o) {
            t
        } else {
            let kind = match (base, o, t) {
                (_, None, _) => ConflictKind::DeletedChanged,
                (_, _, None) => ConflictKind::ChangedDeleted,
                (Base::Known(None), _, _) => ConflictKind::BothAdded,
                _ => ConflictKind::BothChanged,
            };
            out.conflicts.push(Conflict {
                path: p.to_string(),
                kind,
            });
            match favour {
                Some(Favour::Theirs) => t,
                _ => o,
            }
        };
        if let Some(e) = take {
            out.tree.insert(p.to_string(), *e);
        }
    }
    settle_file_directory(&mut out, ours, theirs, favour);
    if favour.is_some() {
        out.conflicts.clear();
    }
    out
}

fn base_of<'a>(bases: &'a [FlatTree], path: &str) -> Base<'a> {
    let mut seen = bases.iter().map(|b| b.get(path));
    let Some(first) = seen.next() else {
        return Base::Known(None);
    };
    if seen.all(|e| e == first) {
        Base::Known(first)
    } else {
        Base::Unknown
    }
}

/// Where the merged snapshot holds a file and, under the same name, a directory (each side
/// consistent, the two together not), every path involved takes one side and is a conflict.
fn settle_file_directory(
    out: &mut Merged,
    ours: &FlatTree,
    theirs: &FlatTree,
    favour: Option<Favour>,
) {
    let mut clash: BTreeSet<String> = BTreeSet::new();
    for p in out.tree.keys() {
        let mut dir = p.as_str();
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if out.tree.contains_key(dir) {
                clash.insert(dir.to_string());
                clash.insert(p.clone());
            }
        }
    }
    if clash.is_empty() {
        return;
    }
    let side = match favour {
        Some(Favour::Theirs) => theirs,
        _ => ours,
    };
    for p in &clash {
        match side.get(p) {
            Some(e) => out.tree.insert(p.clone(), *e),
            None => out.tree.remove(p),
        };
        out.conflicts.retain(|c| &c.path != p);
        out.conflicts.push(Conflict {
            path: p.clone(),
            kind: ConflictKind::FileDirectory,
        });
    }
    out.conflicts.sort_by(|a, b| a.path.cmp(&b.path));
}

impl Repo {
    /// Returns the best common ancestors of two commits: those that are no ancestor of
    /// another common ancestor (one for most histories, two or more for a criss-cross one,
    /// none for unrelated histories).
    pub fn merge_bases(&self, a: &ObjectId, b: &ObjectId) -> Result<Vec<ObjectId>> {
        let of_a = self.ancestors(std::iter::once(*a))?;
        let of_b = self.ancestors(std::iter::once(*b))?;
        let common: Vec<ObjectId> = of_a.intersection(&of_b).copied().collect();
        let mut parents = Vec::new();
        for c in &common {
            parents.extend(self.commit_obj(c)?.parents);
        }
        let dominated = self.ancestors(parents.into_iter())?;
        let mut best: Vec<ObjectId> = common
            .into_iter()
            .filter(|c| !dominated.contains(c))
            .collect();
        best.sort();
        Ok(best)
    }

    /// Returns `starts` and every commit reachable from them through all parents.
    fn ancestors(&self, starts: impl Iterator<Item = ObjectId>) -> Result<HashSet<ObjectId>> {
        let mut seen = HashSet::new();
        let mut stack: Vec<ObjectId> = starts.collect();
        while let Some(id) = stack.pop() {
            if seen.insert(id) {
                stack.extend(self.commit_obj(&id)?.parents);
            }
        }
        Ok(seen)
    }

    /// During a merge, puts one side's version of `paths` (`HEAD` for ours, `MERGE_HEAD` for
    /// theirs) in the working tree and index; `pach add` then marks them resolved.
    pub fn restore_side(&mut self, side: &str, paths: &[String]) -> Result<super::CheckoutOutcome> {
        if self.merge_state()?.is_none() {
            return Err(Error::NoMergeInProgress);
        }
        self.restore(side, paths)
    }

    /// Returns the merge waiting for its conflicts: the commit being merged and the paths
    /// still in conflict; `None` when no merge is in progress.
    pub fn merge_state(&self) -> Result<Option<(ObjectId, Vec<String>)>> {
        let q = self.db();
        let q = q.queries();
        let Some(raw) = q.get_ref(MERGE_HEAD)? else {
            return Ok(None);
        };
        let bad = |what: &'static str, value: String| {
            Error::Db(crate::db::Error::BadValue {
                path: self.pach_dir().join("pach.db"),
                what,
                value,
            })
        };
        let theirs: ObjectId = raw.parse().map_err(|_| bad("MERGE_HEAD", raw.clone()))?;
        let conflicts = match q.meta(CONFLICTS_KEY)? {
            Some(text) => serde_json::from_str(&text).map_err(|_| bad(CONFLICTS_KEY, text))?,
            None => Vec::new(),
        };
        Ok(Some((theirs, conflicts)))
    }
}

/// Records, inside the caller's transaction, a merge that stopped on `conflicts`.
pub(super) fn start_merge(
    tx: &crate::db::Queries<'_>,
    theirs: &ObjectId,
    conflicts: &[String],
) -> crate::db::Result<()> {
    tx.set_ref(MERGE_HEAD, &theirs.hex(), "merge")?;
    set_conflicts(tx, conflicts)
}

/// Forgets the merge in progress, inside the caller's transaction.
pub(super) fn end_merge(tx: &crate::db::Queries<'_>) -> crate::db::Result<()> {
    tx.delete_ref(MERGE_HEAD, "merge")?;
    set_conflicts(tx, &[])
}

/// Marks `paths` (and everything under them) resolved, inside the caller's transaction.
pub(super) fn resolve_conflicts(
    tx: &crate::db::Queries<'_>,
    resolved: &dyn Fn(&str) -> bool,
) -> crate::db::Result<()> {
    let Some(text) = tx.meta(CONFLICTS_KEY)? else {
        return Ok(());
    };
    let left: Vec<String> = serde_json::from_str::<Vec<String>>(&text)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !resolved(p))
        .collect();
    set_conflicts(tx, &left)
}

fn set_conflicts(tx: &crate::db::Queries<'_>, conflicts: &[String]) -> crate::db::Result<()> {
    let text = serde_json::to_string(conflicts).unwrap_or_else(|_| "[]".into());
    tx.set_meta(CONFLICTS_KEY, &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::EntryKind;

    fn f(content: &str) -> FileEntry {
        FileEntry {
            kind: EntryKind::File,
            id: ObjectId::of(content.as_bytes()),
            size: content.len() as u64,
            exec: false,
        }
    }

    fn snap(files: &[(&str, &str)]) -> FlatTree {
        files.iter().map(|(p, c)| (p.to_string(), f(c))).collect()
    }

    fn merge(b: &[(&str, &str)], o: &[(&str, &str)], t: &[(&str, &str)]) -> Merged {
        three_way(&[snap(b)], &snap(o), &snap(t), &|_| false, None)
    }

    #[test]
    fn one_sided_changes_merge_and_two_sided_ones_conflict() {
        let base = [("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")];
        let ours = [("a", "2"), ("b", "1"), ("c", "2"), ("d", "1"), ("new", "x")];
        let theirs = [("a", "1"), ("b", "2"), ("c", "3"), ("e", "y")];
        let m = merge(&base, &ours, &theirs);
        assert_eq!(m.tree["a"], f("2"), "ours only");
        assert_eq!(m.tree["b"], f("2"), "theirs only");
        assert_eq!(m.tree["c"], f("2"), "a conflict keeps ours");
        assert!(!m.tree.contains_key("d"), "deleted by theirs only");
        assert_eq!(m.tree["new"], f("x"));
        assert_eq!(m.tree["e"], f("y"));
        assert_eq!(
            m.conflicts,
            vec![Conflict {
                path: "c".into(),
                kind: ConflictKind::BothChanged
            }]
        );
    }

    #[test]
    fn change_against_delete_and_double_adds_are_named() {
        let m = merge(
            &[("a", "1"), ("b", "1")],
            &[("a", "2"), ("n", "x")],
            &[("b", "2"), ("n", "y")],
        );
        let kinds: Vec<_> = m
            .conflicts
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("a", ConflictKind::ChangedDeleted),
                ("b", ConflictKind::DeletedChanged),
                ("n", ConflictKind::BothAdded)
            ]
        );
        // The same change on both sides is no conflict.
        assert!(
            merge(&[("a", "1")], &[("a", "2")], &[("a", "2")])
                .conflicts
                .is_empty()
        );
    }

    #[test]
    fn a_favoured_side_settles_every_conflict_and_keeps_clean_changes() {
        let (b, o, t) = (
            snap(&[("a", "1"), ("b", "1")]),
            snap(&[("a", "2"), ("b", "1")]),
            snap(&[("a", "3"), ("b", "2")]),
        );
        let m = three_way(
            std::slice::from_ref(&b),
            &o,
            &t,
            &|_| false,
            Some(Favour::Theirs),
        );
        assert!(m.conflicts.is_empty());
        assert_eq!((m.tree["a"], m.tree["b"]), (f("3"), f("2")));
        let m = three_way(&[b], &o, &t, &|_| false, Some(Favour::Ours));
        assert_eq!((m.tree["a"], m.tree["b"]), (f("2"), f("2")));
    }

    #[test]
    fn a_file_where_the_other_side_has_a_directory_is_a_conflict() {
        let m = merge(&[], &[("x", "file")], &[("x/in", "1"), ("y", "1")]);
        let paths: Vec<_> = m.conflicts.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["x", "x/in"]);
        assert!(
            m.conflicts
                .iter()
                .all(|c| c.kind == ConflictKind::FileDirectory)
        );
        assert_eq!(m.tree["x"], f("file"), "ours kept");
        assert!(!m.tree.contains_key("x/in"));
        assert_eq!(m.tree["y"], f("1"), "the rest merges");
    }

    #[test]
    fn derived_paths_keep_ours_and_disagreeing_bases_assume_nothing() {
        let derived = |p: &str| p.starts_with("out/");
        let m = three_way(
            &[snap(&[("out/r", "1")])],
            &snap(&[("out/r", "2")]),
            &snap(&[("out/r", "3"), ("out/s", "4")]),
            &derived,
            None,
        );
        assert!(m.conflicts.is_empty());
        assert_eq!(m.tree.len(), 1);
        assert_eq!(m.tree["out/r"], f("2"));
        // Criss-cross: the two bases disagree about `a`; ours kept base 1's version, theirs
        // changed it: with no single base, that is a conflict, not a silent pick.
        let bases = [snap(&[("a", "1")]), snap(&[("a", "2")])];
        let m = three_way(
            &bases,
            &snap(&[("a", "1")]),
            &snap(&[("a", "3")]),
            &|_| false,
            None,
        );
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        let m = three_way(
            &bases,
            &snap(&[("a", "3")]),
            &snap(&[("a", "3")]),
            &|_| false,
            None,
        );
        assert!(m.conflicts.is_empty());
    }
}
