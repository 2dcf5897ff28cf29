//! Tests of the working-tree switch (`repo/switch.rs`).

use super::*;
use crate::store::{Author, Batch, Commit, ObjectId, Structured, Tree, TreeEntry};

fn entry(name: &str, kind: EntryKind, id: ObjectId, size: u64) -> TreeEntry {
    TreeEntry {
        name: name.into(),
        kind,
        id,
        size,
        exec: false,
    }
}

/// Stores `tree` as is (no check on the way in, as a remote or an attacker could) under a
/// commit on branch `evil`; returns the tree's id.
fn craft(repo: &mut Repo, tree: Tree, blobs: &[&[u8]]) -> ObjectId {
    let batch = Batch::default();
    for b in blobs {
        repo.store().put_bytes(b, &batch).unwrap();
    }
    let tree_id = repo.store().put_bytes(&tree.encode(), &batch).unwrap();
    let c = Commit {
        tree: tree_id,
        parents: vec![],
        author: Author {
            name: "x".into(),
            email: "x@x".into(),
        },
        time: 1,
        message: "evil".into(),
        code: None,
        runs: vec![],
    };
    let id = repo.store().put(&c, &batch).unwrap();
    batch.finish(repo.store()).unwrap();
    repo.db_mut()
        .transaction(|tx| tx.set_ref("refs/heads/evil", &id.hex(), "test"))
        .unwrap();
    tree_id
}

fn files_of(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".pach")
        .map(|e| e.unwrap().path().display().to_string())
        .collect()
}

#[test]
fn a_tree_naming_git_is_never_checked_out_and_fsck_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut repo, _) = Repo::init(tmp.path()).unwrap();
    let hook = b"#!/bin/sh\necho owned\n";
    let blob = ObjectId::of(hook);
    let hooks = Tree {
        entries: vec![entry(
            "post-checkout",
            EntryKind::File,
            blob,
            hook.len() as u64,
        )],
    };
    let batch = Batch::default();
    let hooks_id = repo.store().put_bytes(&hooks.encode(), &batch).unwrap();
    batch.finish(repo.store()).unwrap();
    let git = Tree {
        entries: vec![entry("hooks", EntryKind::Dir, hooks_id, 21)],
    };
    let batch = Batch::default();
    let git_id = repo.store().put_bytes(&git.encode(), &batch).unwrap();
    batch.finish(repo.store()).unwrap();
    for name in [".git", ".Git", "git~1", ".pach"] {
        let root = Tree {
            entries: vec![entry(name, EntryKind::Dir, git_id, 21)],
        };
        let bad = craft(&mut repo, root, &[hook]);
        let e = repo.checkout("evil", false).unwrap_err().to_string();
        // Readable (a tree an older pach committed), never written out.
        assert_eq!(repo.flatten(&bad).unwrap().len(), 1, "{name}");
        let path = format!("`{name}/hooks/post-checkout`");
        assert!(e.contains(&path) && e.contains("refuses"), "{e}");
        assert_eq!(files_of(tmp.path()), Vec::<String>::new(), "{name}");
        assert!(repo.restore("evil", &[name.to_string()]).is_err());
        assert_eq!(files_of(tmp.path()), Vec::<String>::new(), "{name}");
        let f = repo.fsck().unwrap();
        assert!(
            f.problems
                .iter()
                .any(|p| p.id == Some(bad) && p.kind == "bad-name"),
            "{name}: {:?}",
            f.problems
        );
    }
}

#[test]
fn unsorted_or_repeated_entries_are_reported_by_id() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut repo, _) = Repo::init(tmp.path()).unwrap();
    let (a, b) = (ObjectId::of(b"a"), ObjectId::of(b"b"));
    for entries in [
        vec![
            entry("b", EntryKind::File, b, 1),
            entry("a", EntryKind::File, a, 1),
        ],
        vec![
            entry("a", EntryKind::File, a, 1),
            entry("a", EntryKind::File, b, 1),
        ],
    ] {
        let bad = craft(&mut repo, Tree { entries }, &[b"a", b"b"]);
        assert!(repo.checkout("evil", false).is_err());
        assert_eq!(files_of(tmp.path()), Vec::<String>::new());
        let f = repo.fsck().unwrap();
        assert!(
            f.problems
                .iter()
                .any(|p| p.id == Some(bad) && p.kind == "malformed"),
            "{:?}",
            f.problems
        );
    }
}

#[test]
fn a_symlink_target_longer_than_any_path_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut repo, _) = Repo::init(tmp.path()).unwrap();
    let long = vec![b'a'; 5000];
    let ok = b"fine";
    let root = Tree {
        entries: vec![
            entry("f", EntryKind::File, ObjectId::of(ok), 4),
            // The tree claims a short target; the stored blob says otherwise.
            entry("l", EntryKind::Symlink, ObjectId::of(&long), 3),
        ],
    };
    craft(&mut repo, root, &[&long, ok]);
    let e = repo.checkout("evil", false).unwrap_err().to_string();
    assert!(e.contains("`l`") && e.contains("5000 bytes"), "{e}");
    assert_eq!(files_of(tmp.path()), Vec::<String>::new());
}

#[test]
fn a_chain_of_links_in_a_fetched_tree_is_not_checked_out() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut repo, _) = Repo::init(tmp.path()).unwrap();
    let link =
        |name: &str, t: &[u8]| entry(name, EntryKind::Symlink, ObjectId::of(t), t.len() as u64);
    let root = Tree {
        entries: vec![link("a", b"."), link("b", b"a/.."), link("c", b"b/..")],
    };
    craft(&mut repo, root, &[b".", b"a/..", b"b/.."]);
    let e = repo.checkout("evil", false).unwrap_err().to_string();
    assert!(e.contains("outside the project"), "{e}");
    assert_eq!(files_of(tmp.path()), Vec::<String>::new());
    let evil = repo.resolve_rev("evil").unwrap();
    let f = repo.fsck().unwrap();
    assert!(
        f.problems
            .iter()
            .any(|p| p.kind == "unsafe-link" && p.id == Some(evil) && p.at.ends_with(":b")),
        "{:?}",
        f.problems
    );
}

#[test]
fn paths_a_switch_wrote_are_put_back_newest_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _) = Repo::init(tmp.path()).unwrap();
    let batch = Batch::default();
    let [v1, v2, c] =
        [&b"one"[..], b"two", b"new"].map(|b| repo.store().put_bytes(b, &batch).unwrap());
    batch.finish(repo.store()).unwrap();
    fs::write(tmp.path().join("a"), "one").unwrap();
    let file = |id, size| FileEntry {
        kind: EntryKind::File,
        id,
        size,
        exec: false,
    };
    let was = IndexEntry {
        kind: EntryKind::File,
        id: v1,
        size: 3,
        exec: false,
        stat: Default::default(),
        verified_ns: 0,
        absent: false,
    };
    let old = BTreeMap::from([("a".to_string(), was.clone())]);
    let (a, dc) = ("a".to_string(), "d/c".to_string());
    let (ea, ec) = (file(v2, 3), file(c, 3));
    let write = [(&a, &ea), (&dc, &ec)];
    let entries = repo.switch_files(&[], &write, &old, false).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(fs::read_to_string(tmp.path().join("a")).unwrap(), "two");
    assert_eq!(fs::read_to_string(tmp.path().join("d/c")).unwrap(), "new");

    // The index could not be written: the caller puts back what the switch touched.
    repo.put_back_paths(&[("a", Some(&was)), ("d/c", None)]);
    assert_eq!(fs::read_to_string(tmp.path().join("a")).unwrap(), "one");
    assert!(
        !tmp.path().join("d").exists(),
        "the new file and its directory went"
    );
    let left: Vec<String> = files_of(tmp.path())
        .into_iter()
        .filter(|f| f.contains(".pach-tmp"))
        .collect();
    assert!(left.is_empty(), "no temp name is left: {left:?}");
}
