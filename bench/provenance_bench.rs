//! Benchmark of `pach provenance` (issue 4): a synthetic three-stage pipeline with 10,000
//! datums per stage, one file per datum, chained 1:1 (`data` → `s1` → `s2` → `s3`), recorded
//! through the library (store + db, no Docker) with 10 and with 1,000 commits.
//!
//! Run: `cargo run --release --example provenance_bench [-- --datums N --keep DIR]`.
//! With `--keep DIR`, the 1,000-commit repository is left in DIR for timing the CLI.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use pach::repo::{Access, Repo};
use pach::snapshot::{FileEntry, FlatTree};
use pach::store::*;

const STAGES: [&str; 3] = ["s1", "s2", "s3"];

fn entry(bytes: &[u8]) -> FileEntry {
    FileEntry {
        kind: EntryKind::File,
        id: ObjectId::of(bytes),
        size: bytes.len() as u64,
        exec: false,
    }
}

fn file(dir: &str, i: usize, ext: &str) -> String {
    format!("{dir}/{:03}/{i}.{ext}", i / 100)
}

fn record(
    stage: &str,
    input: (String, ObjectId),
    output: (String, FileEntry),
    i: usize,
    log: ObjectId,
) -> RunRecord {
    RunRecord {
        stage: stage.into(),
        stage_hash: ObjectId::of(stage.as_bytes()),
        datum: ObjectId::of(format!("{stage}/{i}").as_bytes()),
        image: ImageRef {
            tag: "bench:1".into(),
            id: "sha256:00".into(),
            digest: None,
        },
        cmd: vec!["true".into()],
        env: Default::default(),
        runner: Runner {
            kind: "docker".into(),
            version: "27".into(),
            host: "h".into(),
            user: "1:1".into(),
        },
        code: None,
        inputs: vec![RunInput {
            input: "in".into(),
            path: input.0,
            id: input.1,
        }],
        outputs: vec![RunOutput {
            path: output.0,
            id: output.1.id,
            size: output.1.size,
            exec: false,
            kind: EntryKind::File,
        }],
        start_ms: 1_700_000_000_000 + i as i64,
        end_ms: 1_700_000_000_100 + i as i64,
        exit: 0,
        log,
    }
}

fn put_commit(
    repo: &Repo,
    batch: &Batch,
    tree: ObjectId,
    parent: Option<ObjectId>,
    time: i64,
    runs: Vec<ObjectId>,
) -> ObjectId {
    let c = Commit {
        tree,
        parents: parent.into_iter().collect(),
        author: Author {
            name: "Bench".into(),
            email: "bench@example.com".into(),
        },
        time,
        message: format!("commit {time}"),
        code: None,
        runs,
    };
    repo.store().put(&c, batch).unwrap()
}

/// Builds the repository: inputs spread over `commits - 1` commits, then one run commit.
fn build(dir: &Path, datums: usize, commits: usize) {
    let (mut repo, _) = Repo::init(dir).unwrap();
    let batch = Batch::default();
    let log = repo.store().put_bytes(b"ok\n", &batch).unwrap();
    let mut snapshot = FlatTree::new();
    let mut runs = Vec::new();
    let mut inputs = Vec::new();
    for i in 0..datums {
        let bytes = format!("input {i}\n");
        let mut prev = (file("data", i, "txt"), entry(bytes.as_bytes()));
        repo.store().put_bytes(bytes.as_bytes(), &batch).unwrap();
        snapshot.insert(prev.0.clone(), prev.1);
        inputs.push((prev.0.clone(), prev.1.id));
        for s in STAGES {
            let bytes = format!("{s} of {i}\n");
            let out = (file(s, i, s), entry(bytes.as_bytes()));
            repo.store().put_bytes(bytes.as_bytes(), &batch).unwrap();
            let rec = record(s, (prev.0.clone(), prev.1.id), out.clone(), i, log);
            runs.push((repo.store().put(&rec, &batch).unwrap(), rec));
            snapshot.insert(out.0.clone(), out.1);
            prev = out;
        }
    }
    let empty = repo.store().put(&Tree::default(), &batch).unwrap();
    let (tree, _) = pach::repo::build_tree(
        repo.store(),
        snapshot.iter().map(|(k, v)| (k.as_str(), v)),
        Some(&batch),
    )
    .unwrap();
    // Input commits carry an empty tree: the queries read commits only for their metadata,
    // and only the head's tree; the versions index is what grows with the commit count.
    let mut parent = None;
    let mut commit_versions = Vec::new();
    let per = datums.div_ceil(commits - 1);
    for (k, chunk) in inputs.chunks(per).enumerate() {
        let time = 1_700_000_000 + k as i64;
        let id = put_commit(&repo, &batch, empty, parent, time, vec![]);
        commit_versions.push((id, time, chunk.to_vec()));
        parent = Some(id);
    }
    let time = 1_800_000_000;
    let run_ids: Vec<ObjectId> = runs.iter().map(|r| r.0).collect();
    let head = put_commit(&repo, &batch, tree, parent, time, run_ids);
    let outputs: Vec<(String, ObjectId)> = snapshot
        .iter()
        .filter(|(p, _)| !p.starts_with("data/"))
        .map(|(p, e)| (p.clone(), e.id))
        .collect();
    commit_versions.push((head, time, outputs));
    batch.finish(repo.store()).unwrap();
    repo.db_mut()
        .transaction(|tx| {
            for (id, rec) in &runs {
                tx.add_run(id, rec)?;
            }
            for (id, time, versions) in &commit_versions {
                tx.add_commit(id, *time)?;
                tx.add_versions(id, *time, versions)?;
            }
            tx.set_ref("refs/heads/main", &head.hex(), "bench")?;
            tx.set_ref("refs/heads/old", &parent.unwrap().hex(), "bench")
        })
        .unwrap();
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(dir: &Path, datums: usize, commits: usize) {
    let t = Instant::now();
    build(dir, datums, commits);
    let built = t.elapsed();
    let repo = Repo::discover(dir, Access::Read).unwrap();
    let (mut up, mut down) = (Vec::new(), Vec::new());
    for k in 0..9 {
        let i = (k * 7919) % datums;
        let t = Instant::now();
        let g = pach::provenance::upstream(&repo, "HEAD", &file("s3", i, "s3"), None).unwrap();
        up.push(t.elapsed());
        assert_eq!((g.runs().count(), g.files().count()), (3, 4));
        let t = Instant::now();
        let g = pach::provenance::downstream(&repo, "HEAD", &file("data", i, "txt"), None, &[])
            .unwrap();
        down.push(t.elapsed());
        assert_eq!((g.runs().count(), g.files().count()), (3, 4));
    }
    let t = Instant::now();
    let g = pach::provenance::downstream(&repo, "HEAD", "data/000", None, &[]).unwrap();
    let dir_down = t.elapsed();
    assert_eq!(g.runs().count(), 300);
    println!(
        "{datums} datums x 3 stages, {commits:>4} commits (built in {:.1} s): upstream {:.2} ms, downstream {:.2} ms (medians of 9); downstream of a 100-file directory {:.1} ms",
        built.as_secs_f64(),
        median(up).as_secs_f64() * 1e3,
        median(down).as_secs_f64() * 1e3,
        dir_down.as_secs_f64() * 1e3,
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .map(|i| args[i + 1].clone())
    };
    let datums = arg("--datums").map_or(10_000, |d| d.parse().unwrap());
    for commits in [10, 1_000] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = match (&arg("--keep"), commits) {
            (Some(k), 1_000) => {
                std::fs::create_dir_all(k).unwrap();
                std::path::PathBuf::from(k)
            }
            _ => tmp.path().to_path_buf(),
        };
        time(&dir, datums, commits);
    }
}
