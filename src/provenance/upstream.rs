//! Upstream: from a file back through the runs that made it to the files added by hand, and
//! commit-level provenance (which input commits a `pach run` commit was computed from).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Direction, EdgeKind, FileNode, Graph, Node, Origin, Reader, RunNode};
use super::{file_id, files_at, run_id};
use crate::error::Result;
use crate::repo::Repo;
use crate::store::ObjectId;

/// Traces every file at or under `path` at `rev` back to its origins, at most `depth` runs
/// deep (`None`: all the way), merged into one graph.
///
/// A file a run made leads to that run (the newest successful one, if several made the same
/// bytes at the same path) and on to the run's inputs; a file no run made was added by hand
/// and carries the commit it entered in.
pub fn upstream(repo: &Repo, rev: &str, path: &str, depth: Option<usize>) -> Result<Graph> {
    let (commit, files) = files_at(repo, rev, path)?;
    let mut g = Graph::new(Direction::Upstream, commit);
    let mut rd = Reader::new(repo);
    // Depth-first with an explicit stack: pipelines may be deep, the stack must not be.
    let mut todo: Vec<(String, ObjectId, usize)> = Vec::new();
    for (p, id) in files.into_iter().rev() {
        g.roots.insert(0, file_id(&p, &id));
        todo.push((p, id, 0));
    }
    while let Some((p, id, level)) = todo.pop() {
        let fid = file_id(&p, &id);
        if g.nodes.contains_key(&fid) {
            continue;
        }
        // Through renames (`pach mv`) to the name the bytes first had.
        let renamed = renames(repo, &id, &p)?;
        let first = renamed.last().map_or(p.as_str(), |r| r.from.as_str());
        let producer = repo.db().queries().newest_run_producing(&id, first)?;
        let entered = rd.entered(&id, first)?;
        let origin = match producer {
            Some(_) if depth.is_some_and(|d| level >= d) => Origin::NotTraced,
            Some(run) => Origin::Generated { run },
            None if entered.is_some() => Origin::Added,
            None => Origin::Unknown,
        };
        g.nodes.insert(
            fid.clone(),
            Node::File(Box::new(FileNode {
                id: fid.clone(),
                path: p.clone(),
                object: id,
                origin: origin.clone(),
                entered,
                presence: Vec::new(),
                renamed,
                purged: None,
            })),
        );
        let Origin::Generated { run } = origin else {
            continue;
        };
        let rid = run_id(&run);
        g.edge(rid.clone(), fid, EdgeKind::Generated);
        if g.nodes.contains_key(&rid) {
            continue;
        }
        let record = rd.run(&run, &p)?;
        for input in record.inputs.iter().rev() {
            g.edge(file_id(&input.path, &input.id), rid.clone(), EdgeKind::Used);
            todo.push((input.path.clone(), input.id, level + 1));
        }
        let node = RunNode {
            id: rid.clone(),
            run,
            record,
            log_purged: None,
        };
        g.nodes.insert(rid, Node::Run(Box::new(node)));
    }
    super::mark_purged(repo, &mut g)?;
    Ok(g)
}

/// The renames blob `id` at `path` went through, newest first: the commit it entered `path`
/// in had, in its first parent, the same bytes at another path it no longer has.
fn renames(repo: &Repo, id: &ObjectId, path: &str) -> Result<Vec<super::Renamed>> {
    let mut out: Vec<super::Renamed> = Vec::new();
    let mut at = path.to_string();
    // A bound against a cycle of renames back and forth (each step is an older commit).
    while out.len() < 64 {
        let Some((commit, _)) = repo.db().queries().entered(id, &at)? else {
            break;
        };
        let c = repo.commit_obj(&commit)?;
        let Some(parent) = c.parents.first() else {
            break;
        };
        let before = repo.commit_obj(parent)?.tree;
        let mut from = None;
        for other in repo.db().queries().paths_of(id)? {
            let was = repo.lookup(&before, &other)?.map(|e| e.id);
            let still = repo.lookup(&c.tree, &other)?.map(|e| e.id);
            if other != at && was == Some(*id) && still != Some(*id) {
                from = Some(other);
                break;
            }
        }
        let Some(from) = from else {
            break;
        };
        out.push(super::Renamed {
            from: from.clone(),
            commit,
        });
        at = from;
    }
    Ok(out)
}

/// Commit-level provenance: for each stage a `pach run` commit ran, the commits its inputs
/// entered in.
#[derive(Clone, Debug, Serialize)]
pub struct CommitProvenance {
    pub schema: &'static str,
    pub commit: ObjectId,
    pub message: String,
    /// Empty for a commit made by `pach commit`.
    pub stages: Vec<StageInputs>,
}

/// The input commits of one stage's runs in a commit.
#[derive(Clone, Debug, Serialize)]
pub struct StageInputs {
    pub stage: String,
    pub runs: usize,
    pub outputs: usize,
    pub inputs_from: Vec<InputCommit>,
}

/// A commit that some inputs of a stage entered in.
#[derive(Clone, Debug, Serialize)]
pub struct InputCommit {
    /// `None` for inputs no commit records (an index from before schema 3).
    pub commit: Option<ObjectId>,
    pub time: Option<i64>,
    pub message: Option<String>,
    /// How many distinct input files entered in this commit.
    pub files: usize,
}

/// Returns the commit-level provenance of commit `rev`.
pub fn commit_provenance(repo: &Repo, rev: &str) -> Result<CommitProvenance> {
    let commit = repo.resolve_rev(rev)?;
    let c = repo.commit_obj(&commit)?;
    let mut rd = Reader::new(repo);
    // stage → (runs, outputs, input commit → distinct input files)
    type Acc = (
        usize,
        usize,
        BTreeMap<Option<ObjectId>, BTreeMap<String, ObjectId>>,
    );
    let mut by_stage: BTreeMap<String, Acc> = BTreeMap::new();
    for run in &c.runs {
        let rec = rd.run(run, &format!("commit {}", commit.short()))?;
        let acc = by_stage.entry(rec.stage.clone()).or_default();
        acc.0 += 1;
        acc.1 += rec.outputs.len();
        for i in &rec.inputs {
            let from = repo.db().queries().entered(&i.id, &i.path)?.map(|e| e.0);
            acc.2.entry(from).or_default().insert(i.path.clone(), i.id);
        }
    }
    let mut stages = Vec::new();
    for (stage, (runs, outputs, from)) in by_stage {
        let mut inputs_from = Vec::new();
        for (commit, files) in from {
            let entered = match commit {
                Some(cid) => Some(rd.commit(&cid)?),
                None => None,
            };
            inputs_from.push(InputCommit {
                commit,
                time: entered.as_ref().map(|e| e.time),
                message: entered.map(|e| e.message),
                files: files.len(),
            });
        }
        inputs_from.sort_by_key(|i| i.time);
        stages.push(StageInputs {
            stage,
            runs,
            outputs,
            inputs_from,
        });
    }
    Ok(CommitProvenance {
        schema: "pach-commit-provenance/1",
        commit,
        message: c.message,
        stages,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn traces_a_two_stage_output_back_to_hand_added_files() {
        let t = Fixture::wordcount();
        let g = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap();
        let stages: Vec<&str> = g.runs().map(|r| r.record.stage.as_str()).collect();
        assert_eq!(stages.iter().filter(|s| **s == "count").count(), 2);
        assert_eq!(stages.iter().filter(|s| **s == "total").count(), 1);
        let a = g.files().find(|f| f.path == "data/a.txt").unwrap();
        assert_eq!(a.origin, Origin::Added);
        assert_eq!(a.entered.as_ref().unwrap().commit, t.added);
        assert_eq!(a.entered.as_ref().unwrap().author.name, "Ada");
        let total = g.files().find(|f| f.path == "total/total.txt").unwrap();
        assert!(matches!(total.origin, Origin::Generated { .. }));
        assert_eq!(g.roots, vec![total.id.clone()]);
        // 5 files, 3 runs; 4 used (a→c1, b→c2, n1→t, n2→t) and 3 generated.
        assert_eq!(
            (g.files().count(), g.runs().count(), g.edges.len()),
            (5, 3, 7)
        );
    }

    #[test]
    fn depth_limits_the_trace_and_a_hand_added_file_is_its_own_origin() {
        let t = Fixture::wordcount();
        let g = upstream(&t.repo, "HEAD", "total/total.txt", Some(1)).unwrap();
        assert_eq!(g.runs().count(), 1);
        let n = g.files().find(|f| f.path == "counts/a.txt.n").unwrap();
        assert_eq!(n.origin, Origin::NotTraced);
        let g = upstream(&t.repo, "HEAD", "data/b.txt", None).unwrap();
        assert_eq!((g.nodes.len(), g.edges.len()), (1, 0));
        assert_eq!(g.files().next().unwrap().origin, Origin::Added);
    }

    #[test]
    fn a_directory_merges_the_traces_of_its_files() {
        let t = Fixture::wordcount();
        let g = upstream(&t.repo, "HEAD", "counts", None).unwrap();
        assert_eq!(g.roots.len(), 2);
        assert_eq!((g.files().count(), g.runs().count()), (4, 2));
    }

    #[test]
    fn a_missing_path_or_run_record_is_a_clear_error() {
        let t = Fixture::wordcount();
        let e = upstream(&t.repo, "HEAD", "nope.txt", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`HEAD:nope.txt` does not exist at that revision"
        );
        std::fs::remove_file(t.repo.store().path(&t.total_run)).unwrap();
        let e = upstream(&t.repo, "HEAD", "total/total.txt", None).unwrap_err();
        assert!(
            e.to_string().contains("`total/total.txt` was made by run"),
            "{e}"
        );
    }

    #[test]
    fn commit_provenance_lists_the_input_commits_per_stage() {
        let t = Fixture::wordcount();
        let p = commit_provenance(&t.repo, "HEAD").unwrap();
        let names: Vec<&str> = p.stages.iter().map(|s| s.stage.as_str()).collect();
        assert_eq!(names, ["count", "total"]);
        assert_eq!(p.stages[0].inputs_from.len(), 1);
        assert_eq!(p.stages[0].inputs_from[0].commit, Some(t.added));
        assert_eq!(p.stages[0].inputs_from[0].files, 2);
        assert_eq!(p.stages[1].inputs_from[0].commit, Some(t.head));
        let p = commit_provenance(&t.repo, &t.added.hex()).unwrap();
        assert!(p.stages.is_empty());
    }
}
