//! Downstream: from a file forward to every file derived from it, and whether each derived
//! version is still present at the branch heads.

use std::collections::VecDeque;

use super::{Direction, EdgeKind, FileNode, Graph, Node, Origin, Presence, Reader, RunNode};
use super::{file_id, files_at, run_id};
use crate::error::{Error, Result};
use crate::repo::{RefKind, Repo};
use crate::store::ObjectId;

/// Traces every file at or under `path` at `rev` forward through every run that used it,
/// transitively, at most `depth` runs deep, and checks each derived file version against the
/// heads of `branches` (all branches when empty).
pub fn downstream(
    repo: &Repo,
    rev: &str,
    path: &str,
    depth: Option<usize>,
    branches: &[String],
) -> Result<Graph> {
    let heads = branch_heads(repo, branches)?;
    let (commit, files) = files_at(repo, rev, path)?;
    let mut g = Graph::new(Direction::Downstream, commit);
    let mut rd = Reader::new(repo);
    let mut todo: VecDeque<(String, ObjectId, usize, Option<ObjectId>)> = VecDeque::new();
    for (p, id) in files {
        g.roots.push(file_id(&p, &id));
        todo.push_back((p, id, 0, None));
    }
    while let Some((p, id, level, made_by)) = todo.pop_front() {
        let fid = file_id(&p, &id);
        if g.nodes.contains_key(&fid) {
            continue;
        }
        let origin = match made_by {
            Some(run) => Origin::Generated { run },
            None => match repo.db().queries().newest_run_producing(&id, &p)? {
                Some(run) => Origin::Generated { run },
                None => Origin::Added,
            },
        };
        let mut presence = Vec::with_capacity(heads.len());
        for (branch, tree) in &heads {
            let present = rd.blob_at(tree, &p)? == Some(id);
            presence.push(Presence {
                branch: branch.clone(),
                present,
            });
        }
        let entered = rd.entered(&id, &p)?;
        let origin = match origin {
            Origin::Added if entered.is_none() => Origin::Unknown,
            o => o,
        };
        let node = FileNode {
            id: fid.clone(),
            path: p.clone(),
            object: id,
            origin,
            entered,
            presence,
            renamed: Vec::new(),
            purged: None,
        };
        g.nodes.insert(fid.clone(), Node::File(Box::new(node)));
        if depth.is_some_and(|d| level >= d) {
            continue;
        }
        let runs = repo.db().queries().runs_using_at(&id, &p)?;
        for run in runs {
            let rid = run_id(&run);
            g.edge(fid.clone(), rid.clone(), EdgeKind::Used);
            if g.nodes.contains_key(&rid) {
                continue;
            }
            let record = rd.run(&run, &p)?;
            for o in &record.outputs {
                g.edge(rid.clone(), file_id(&o.path, &o.id), EdgeKind::Generated);
                todo.push_back((o.path.clone(), o.id, level + 1, Some(run)));
            }
            let node = RunNode {
                id: rid.clone(),
                run,
                record,
                log_purged: None,
            };
            g.nodes.insert(rid, Node::Run(Box::new(node)));
        }
    }
    super::mark_purged(repo, &mut g)?;
    Ok(g)
}

/// Returns (branch, root tree) for the named branches, or for all of them.
fn branch_heads(repo: &Repo, names: &[String]) -> Result<Vec<(String, ObjectId)>> {
    let mut out = Vec::new();
    let refs = if names.is_empty() {
        repo.list_refs(RefKind::Branch)?
    } else {
        let mut refs = Vec::new();
        for n in names {
            let id = repo
                .get_ref(RefKind::Branch, n)?
                .ok_or_else(|| Error::NoSuchBranch { name: n.clone() })?;
            refs.push((n.clone(), id));
        }
        refs
    };
    for (name, commit) in refs {
        out.push((name, super::light_commit(repo, &commit)?.tree));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    fn presence(g: &Graph, path: &str) -> Vec<(String, bool)> {
        let f = g.files().find(|f| f.path == path).unwrap();
        f.presence
            .iter()
            .map(|p| (p.branch.clone(), p.present))
            .collect()
    }

    #[test]
    fn finds_every_derived_file_with_its_presence_per_branch() {
        let t = Fixture::wordcount();
        let g = downstream(&t.repo, "HEAD", "data/a.txt", None, &[]).unwrap();
        let mut paths: Vec<&str> = g.files().map(|f| f.path.as_str()).collect();
        paths.sort();
        assert_eq!(paths, ["counts/a.txt.n", "data/a.txt", "total/total.txt"]);
        let stages: Vec<&str> = g.runs().map(|r| r.record.stage.as_str()).collect();
        assert_eq!(stages.len(), 2);
        let want = vec![("main".to_string(), true), ("old".to_string(), false)];
        assert_eq!(presence(&g, "total/total.txt"), want);
        assert_eq!(presence(&g, "data/a.txt")[1], ("old".to_string(), true));
    }

    #[test]
    fn branch_filter_and_depth_limit_apply() {
        let t = Fixture::wordcount();
        let g = downstream(&t.repo, "HEAD", "data", Some(1), &["old".into()]).unwrap();
        assert!(g.files().all(|f| f.presence.len() == 1));
        assert!(!g.files().any(|f| f.path == "total/total.txt"));
        assert_eq!(g.files().count(), 4);
        let e = downstream(&t.repo, "HEAD", "data/a.txt", None, &["nope".into()]).unwrap_err();
        assert_eq!(e.to_string(), "no branch named `nope`");
    }

    #[test]
    fn a_file_no_run_used_has_no_descendants() {
        let t = Fixture::wordcount();
        let g = downstream(&t.repo, "HEAD", "total/total.txt", None, &[]).unwrap();
        assert_eq!((g.nodes.len(), g.edges.len()), (1, 0));
    }
}
