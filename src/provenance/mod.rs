//! Provenance: the graph of file versions and the runs that used and made them.
//!
//! `upstream.rs` traces a file back to the files that were added by hand, `downstream.rs`
//! forward to everything derived from it, `export.rs` renders a graph as text, JSON, Graphviz,
//! Mermaid, W3C PROV-JSON or OpenLineage. Everything is read through the SQLite indexes
//! (`run_outputs`, `run_inputs`, `versions`) and the objects they name; nothing here scans all
//! run records or walks the commit history. Nothing here prints.

mod downstream;
pub mod export;
mod upstream;

pub use downstream::downstream;
pub use upstream::{CommitProvenance, InputCommit, StageInputs, commit_provenance, upstream};

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::store::{Author, EntryKind, ObjectId, RunRecord, Tree};

/// Version tag of the JSON graph format (`docs/PROVENANCE.md`).
pub const SCHEMA: &str = "pach-provenance/1";

/// Which way a graph was traced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Upstream,
    Downstream,
}

/// A provenance graph: file versions and runs, joined by `used` and `generated` edges.
#[derive(Clone, Debug, Serialize)]
pub struct Graph {
    pub schema: &'static str,
    pub direction: Direction,
    /// The commit the traced paths were read at.
    pub commit: ObjectId,
    /// Node ids of the traced files, in path order.
    pub roots: Vec<String>,
    /// Nodes by id, in id order (so every rendering is stable).
    #[serde(serialize_with = "values")]
    pub nodes: BTreeMap<String, Node>,
    pub edges: BTreeSet<Edge>,
}

fn values<S: serde::Serializer>(m: &BTreeMap<String, Node>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(m.values())
}

/// A node: a file version or a run.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Node {
    File(Box<FileNode>),
    Run(Box<RunNode>),
}

/// One file version: a path holding one blob.
#[derive(Clone, Debug, Serialize)]
pub struct FileNode {
    pub id: String,
    pub path: String,
    pub object: ObjectId,
    pub origin: Origin,
    /// The earliest commit in which this blob appeared at this path.
    pub entered: Option<Entered>,
    /// Whether each branch head holds this version (downstream traces only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub presence: Vec<Presence>,
    /// The names these bytes had before (`pach mv`), newest first: origin and `entered`
    /// describe the oldest name (upstream traces only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<Renamed>,
    /// The purge that erased these bytes (`pach purge`); the version stays in the graph.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purged: Option<Purged>,
}

/// A purge that erased an object's bytes: its id, when, why and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub purge: ObjectId,
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub reason: String,
    pub author: Author,
}

/// A rename a file version went through: it was `from` before `commit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub commit: ObjectId,
}

/// Where a file version came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Origin {
    /// Made by a run (the `generated` edge names it).
    Generated { run: ObjectId },
    /// Added by hand (`pach add` and `pach commit`); `entered` says when and by whom.
    Added,
    /// No run made it and no commit records it (an index from before schema 3).
    Unknown,
    /// Not traced further: the `--depth` limit was reached.
    NotTraced,
}

/// The commit a file version entered in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entered {
    pub commit: ObjectId,
    /// Seconds since the Unix epoch.
    pub time: i64,
    pub author: Author,
    pub message: String,
}

/// Whether a branch head holds a file version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Presence {
    pub branch: String,
    pub present: bool,
}

/// One run: a run record and its id.
#[derive(Clone, Debug, Serialize)]
pub struct RunNode {
    pub id: String,
    pub run: ObjectId,
    #[serde(flatten)]
    pub record: RunRecord,
    /// The purge that erased the run's log, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_purged: Option<Purged>,
}

/// An edge; `used` goes from an input file to a run, `generated` from a run to an output.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
}

/// What an edge says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    Used,
    Generated,
}

/// Returns the node id of a file version.
pub fn file_id(path: &str, object: &ObjectId) -> String {
    format!("file:{}:{path}", object.hex())
}

/// Returns the node id of a run.
pub fn run_id(run: &ObjectId) -> String {
    format!("run:{}", run.hex())
}

impl Graph {
    fn new(direction: Direction, commit: ObjectId) -> Graph {
        Graph {
            schema: SCHEMA,
            direction,
            commit,
            roots: Vec::new(),
            nodes: BTreeMap::new(),
            edges: BTreeSet::new(),
        }
    }

    /// Returns the file nodes.
    pub fn files(&self) -> impl Iterator<Item = &FileNode> {
        self.nodes.values().filter_map(|n| match n {
            Node::File(f) => Some(f.as_ref()),
            Node::Run(_) => None,
        })
    }

    /// Returns the run nodes.
    pub fn runs(&self) -> impl Iterator<Item = &RunNode> {
        self.nodes.values().filter_map(|n| match n {
            Node::Run(r) => Some(r.as_ref()),
            Node::File(_) => None,
        })
    }

    fn edge(&mut self, from: String, to: String, kind: EdgeKind) {
        self.edges.insert(Edge { from, to, kind });
    }
}

/// Reads what the traces need, caching commits and trees (each is read at most once).
struct Reader<'r> {
    repo: &'r Repo,
    commits: HashMap<ObjectId, Entered>,
    trees: HashMap<ObjectId, Tree>,
}

impl<'r> Reader<'r> {
    fn new(repo: &'r Repo) -> Reader<'r> {
        Reader {
            repo,
            commits: HashMap::new(),
            trees: HashMap::new(),
        }
    }

    /// Returns where `object` entered at `path`, with the commit's author and message.
    fn entered(&mut self, object: &ObjectId, path: &str) -> Result<Option<Entered>> {
        let found = self.repo.db().queries().entered(object, path)?;
        found.map(|(commit, _)| self.commit(&commit)).transpose()
    }

    /// Returns a commit's id, time, author and first message line.
    fn commit(&mut self, commit: &ObjectId) -> Result<Entered> {
        if let Some(e) = self.commits.get(commit) {
            return Ok(e.clone());
        }
        let c = light_commit(self.repo, commit)?;
        let e = Entered {
            commit: *commit,
            time: c.time,
            author: c.author,
            message: c.message.lines().next().unwrap_or("").to_string(),
        };
        self.commits.insert(*commit, e.clone());
        Ok(e)
    }

    /// Returns the blob at `path` in tree `root`, if it is a file or symlink.
    fn blob_at(&mut self, root: &ObjectId, path: &str) -> Result<Option<ObjectId>> {
        let mut dir = *root;
        let mut parts = path.split('/').peekable();
        while let Some(part) = parts.next() {
            if !self.trees.contains_key(&dir) {
                let t: Tree = self.repo.store().get(&dir)?;
                self.trees.insert(dir, t);
            }
            let tree = &self.trees[&dir];
            let Some(e) = tree.entries.iter().find(|e| e.name == part) else {
                return Ok(None);
            };
            match (e.kind, parts.peek()) {
                (EntryKind::Dir, Some(_)) => dir = e.id,
                (EntryKind::Dir, None) | (_, Some(_)) => return Ok(None),
                (_, None) => return Ok(Some(e.id)),
            }
        }
        Ok(None)
    }

    /// Reads a run record, naming the file it was traced from when it is missing.
    fn run(&self, run: &ObjectId, path: &str) -> Result<RunRecord> {
        self.repo.store().get(run).map_err(|e| match e {
            crate::store::Error::Missing { .. } => Error::RunRecordMissing {
                path: path.to_string(),
                run: *run,
            },
            e => e.into(),
        })
    }
}

/// A commit without its run list, which a `pach run` commit of many datums makes long.
#[derive(serde::Deserialize)]
struct LightCommit {
    tree: ObjectId,
    author: Author,
    time: i64,
    message: String,
}

/// Reads a commit's tree, author, time and message, skipping over (not decoding) its runs.
fn light_commit(repo: &Repo, id: &ObjectId) -> Result<LightCommit> {
    let bytes = repo.store().read(id)?;
    let header = <crate::store::Commit as crate::store::Structured>::HEADER;
    let corrupt = |source| crate::store::Error::Corrupt { id: *id, source };
    let body = bytes
        .strip_prefix(header)
        .ok_or(crate::store::codec::DecodeError::Header { expected: "commit" })
        .map_err(corrupt)?;
    let c = serde_json::from_slice(body)
        .map_err(|source| crate::store::codec::DecodeError::Json {
            kind: "commit",
            source,
        })
        .map_err(corrupt)?;
    Ok(c)
}

/// The files at or under `path` in commit `rev`: (path, blob), sorted by path.
fn files_at(repo: &Repo, rev: &str, path: &str) -> Result<(ObjectId, Vec<(String, ObjectId)>)> {
    let commit = repo.resolve_rev(rev)?;
    let tree = light_commit(repo, &commit)?.tree;
    let files: Vec<(String, ObjectId)> = repo
        .flatten_at(&tree, path)?
        .into_iter()
        .map(|(p, e)| (p, e.id))
        .collect();
    if files.is_empty() {
        return Err(Error::NotAFile {
            rev: rev.to_string(),
            path: path.to_string(),
            reason: "does not exist at that revision",
        });
    }
    Ok((commit, files))
}

/// Marks every file version and run log of `g` that a purge erased (read from the purge
/// records; a repository without purges costs one directory lookup).
fn mark_purged(repo: &Repo, g: &mut Graph) -> Result<()> {
    let purges = repo.purges()?;
    if purges.is_empty() {
        return Ok(());
    }
    let mark = |id: &ObjectId| {
        purges.get(id).map(|(purge, rec)| Purged {
            purge: *purge,
            time: rec.time,
            reason: rec.reason.clone(),
            author: rec.author.clone(),
        })
    };
    for n in g.nodes.values_mut() {
        match n {
            Node::File(f) => f.purged = mark(&f.object),
            Node::Run(r) => r.log_purged = mark(&r.record.log),
        }
    }
    Ok(())
}

/// One object on a provenance path that is missing or corrupt.
#[derive(Clone, Debug, Serialize)]
pub struct Problem {
    pub object: ObjectId,
    /// What the object is, e.g. "log of run 1a2b… (stage `count`)".
    pub what: String,
    pub error: String,
}

/// Re-hashes every object the graph names (file blobs, run records, logs, commits) and
/// returns the ones that are missing or corrupt.
pub fn verify(repo: &Repo, graph: &Graph) -> Vec<Problem> {
    let mut checks: Vec<(ObjectId, String)> = Vec::new();
    // Purged bytes are gone on purpose: counted by the caller, not problems.
    for f in graph.files() {
        if f.purged.is_none() {
            checks.push((f.object, format!("content of `{}`", f.path)));
        }
        if let Some(e) = &f.entered {
            checks.push((e.commit, format!("commit that added `{}`", f.path)));
        }
    }
    for r in graph.runs() {
        let stage = &r.record.stage;
        checks.push((r.run, format!("run record (stage `{stage}`)")));
        if r.log_purged.is_none() {
            let what = format!("log of run {} (stage `{stage}`)", r.run.short());
            checks.push((r.record.log, what));
        }
    }
    let mut seen = BTreeSet::new();
    checks
        .into_iter()
        .filter(|(id, _)| seen.insert(*id))
        .filter_map(|(object, what)| {
            let e = repo.store().verify(&object).err()?;
            Some(Problem {
                object,
                what,
                error: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod testutil {
    //! A synthetic repository with run records, built without Docker.
    #![allow(clippy::unwrap_used)]

    use crate::repo::Repo;
    use crate::snapshot::{FileEntry, FlatTree};
    use crate::store::*;

    /// Returns a run record of `stage` reading `inputs` and writing `outputs` (path, bytes).
    pub fn record(
        store: &Store,
        batch: &Batch,
        stage: &str,
        inputs: &[(&str, ObjectId)],
        outputs: &[(&str, &[u8])],
        end_ms: i64,
    ) -> RunRecord {
        let log = store
            .put_bytes(format!("log of {stage}").as_bytes(), batch)
            .unwrap();
        RunRecord {
            stage: stage.into(),
            stage_hash: ObjectId::of(stage.as_bytes()),
            datum: ObjectId::of(format!("{stage}{inputs:?}").as_bytes()),
            image: ImageRef {
                tag: "pach-test/busybox:1".into(),
                id: "sha256:0123456789abcdef".into(),
                digest: None,
            },
            cmd: vec!["sh".into(), "-c".into(), "wc -w \"$x\"".into()],
            env: Default::default(),
            runner: Runner {
                kind: "docker".into(),
                version: "27.0".into(),
                host: "box".into(),
                user: "1000:1000".into(),
            },
            code: None,
            inputs: inputs
                .iter()
                .map(|(p, id)| RunInput {
                    input: "in".into(),
                    path: (*p).into(),
                    id: *id,
                })
                .collect(),
            outputs: outputs
                .iter()
                .map(|(p, b)| RunOutput {
                    path: (*p).into(),
                    id: store.put_bytes(b, batch).unwrap(),
                    size: b.len() as u64,
                    exec: false,
                    kind: EntryKind::File,
                })
                .collect(),
            start_ms: end_ms - 1500,
            end_ms,
            exit: 0,
            log,
        }
    }

    /// Writes a commit of `files` on `branch` (and moves HEAD's branch when it is `main`),
    /// indexing the versions that differ from `parent`'s.
    pub fn commit(
        repo: &mut Repo,
        parent: Option<(ObjectId, &FlatTree)>,
        files: &FlatTree,
        runs: Vec<ObjectId>,
        time: i64,
        branch: &str,
    ) -> ObjectId {
        let batch = Batch::default();
        let (tree, _) = crate::repo::build_tree(
            repo.store(),
            files.iter().map(|(k, v)| (k.as_str(), v)),
            Some(&batch),
        )
        .unwrap();
        let c = Commit {
            tree,
            parents: parent.iter().map(|p| p.0).collect(),
            author: Author {
                name: "Ada".into(),
                email: "ada@example.com".into(),
            },
            time,
            message: format!("commit at {time}"),
            code: None,
            runs,
        };
        let id = repo.store().put(&c, &batch).unwrap();
        batch.finish(repo.store()).unwrap();
        let versions: Vec<(String, ObjectId)> = files
            .iter()
            .filter(|(p, e)| parent.is_none_or(|(_, t)| t.get(*p) != Some(e)))
            .map(|(p, e)| (p.clone(), e.id))
            .collect();
        repo.db_mut()
            .transaction(|tx| {
                tx.add_commit(&id, time)?;
                tx.add_versions(&id, time, &versions)?;
                tx.set_ref(&format!("refs/heads/{branch}"), &id.hex(), "test")
            })
            .unwrap();
        id
    }

    /// Returns a file entry for `bytes`.
    pub fn entry(bytes: &[u8]) -> FileEntry {
        FileEntry {
            kind: EntryKind::File,
            id: ObjectId::of(bytes),
            size: bytes.len() as u64,
            exec: false,
        }
    }

    /// The word-count pipeline: `data/{a,b}.txt` added by hand (branch `old` stays there),
    /// `count` makes `counts/*.n`, `total` makes `total/total.txt`, all in commit `head`.
    pub struct Fixture {
        pub _tmp: tempfile::TempDir,
        pub repo: Repo,
        pub added: ObjectId,
        pub head: ObjectId,
        pub total_run: ObjectId,
    }

    impl Fixture {
        pub fn wordcount() -> Fixture {
            let tmp = tempfile::tempdir().unwrap();
            let (mut repo, _) = Repo::init(tmp.path()).unwrap();
            let batch = Batch::default();
            let mut files = FlatTree::new();
            for (p, b) in [
                ("data/a.txt", &b"one two\n"[..]),
                ("data/b.txt", b"three\n"),
            ] {
                repo.store().put_bytes(b, &batch).unwrap();
                files.insert(p.into(), entry(b));
            }
            batch.finish(repo.store()).unwrap();
            let added = commit(&mut repo, None, &files, vec![], 1_700_000_000, "main");
            commit(&mut repo, None, &files, vec![], 1_700_000_000, "old");
            let st = repo.store().clone();
            let batch = Batch::default();
            let a = files["data/a.txt"].id;
            let b = files["data/b.txt"].id;
            let c1 = record(
                &st,
                &batch,
                "count",
                &[("data/a.txt", a)],
                &[("counts/a.txt.n", b"2\n")],
                1_700_000_100_000,
            );
            let c2 = record(
                &st,
                &batch,
                "count",
                &[("data/b.txt", b)],
                &[("counts/b.txt.n", b"1\n")],
                1_700_000_101_000,
            );
            let n1 = c1.outputs[0].id;
            let n2 = c2.outputs[0].id;
            let t = record(
                &st,
                &batch,
                "total",
                &[("counts/a.txt.n", n1), ("counts/b.txt.n", n2)],
                &[("total/total.txt", b"3\n")],
                1_700_000_102_000,
            );
            let mut ids = Vec::new();
            for r in [&c1, &c2, &t] {
                ids.push(st.put(r, &batch).unwrap());
            }
            batch.finish(&st).unwrap();
            repo.db_mut()
                .transaction(|tx| {
                    for (id, r) in ids.iter().zip([&c1, &c2, &t]) {
                        tx.add_run(id, r)?;
                    }
                    Ok(())
                })
                .unwrap();
            let before = files.clone();
            files.insert("counts/a.txt.n".into(), entry(b"2\n"));
            files.insert("counts/b.txt.n".into(), entry(b"1\n"));
            files.insert("total/total.txt".into(), entry(b"3\n"));
            let head = commit(
                &mut repo,
                Some((added, &before)),
                &files,
                ids.clone(),
                1_700_000_200,
                "main",
            );
            Fixture {
                _tmp: tmp,
                repo,
                added,
                head,
                total_run: ids[2],
            }
        }
    }
}
