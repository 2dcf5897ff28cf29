//! Planning a run, without Docker and without writing anything: which stages run and in what
//! order, and which datums of a stage are reused from the run cache and which are stale, and
//! why.
//!
//! The run cache and the previous runs are read by the caller and handed in (a lookup and a
//! [`Previous`]), so everything here works on values and is tested on small pipelines.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::Ran;
use crate::error::{Error, Result};
use crate::paths::join;
use crate::pipeline::{self, Datum, Pipeline, Stage};
use crate::snapshot::FlatTree;
use crate::store::{ImageRef, ObjectId, RunInput, RunRecord};

/// Why a datum must run.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    NewInput,
    ChangedInput,
    ChangedStage,
    ChangedImage,
    Forced,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Reason::NewInput => "new input",
            Reason::ChangedInput => "changed input",
            Reason::ChangedStage => "changed stage definition",
            Reason::ChangedImage => "changed image",
            Reason::Forced => "forced",
        })
    }
}

/// One datum that ran (or would run).
#[derive(Debug, Serialize)]
pub struct DatumReport {
    pub datum: String,
    pub reason: Reason,
    /// Input roots, e.g. `text:a.txt`.
    pub inputs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<ObjectId>,
}

/// What happened to one stage.
#[derive(Debug, Serialize)]
pub struct StageReport {
    pub stage: String,
    pub image: ImageRef,
    pub datums: usize,
    pub reused: usize,
    pub ran: Vec<DatumReport>,
    pub outputs: usize,
}

/// Last known runs of each stage at HEAD, for telling why a datum is stale.
#[derive(Debug, Default)]
pub struct Previous {
    pub by_stage: BTreeMap<String, Vec<RunRecord>>,
}

/// The plan of one stage: its report so far, the datums the cache answers and those to run.
pub struct StagePlan {
    pub report: StageReport,
    /// Cache hits, in datum order.
    pub cached: Vec<Ran>,
    /// Stale datums, in datum order; `report.ran` describes them in the same order.
    pub todo: Vec<Datum>,
}

/// Returns the selected stages in dependency order, refusing unknown names.
pub fn select<'p>(pipeline: &'p Pipeline, names: &[String]) -> Result<Vec<&'p Stage>> {
    for s in names {
        if !pipeline.stages.iter().any(|st| &st.name == s) {
            return Err(Error::Pipeline {
                message: format!("no stage named `{s}` in pach.toml"),
            });
        }
    }
    let order = pipeline::dag::order(&pipeline.stages).map_err(|c| Error::Pipeline {
        message: format!("cycle between stages: {}", c.join(" -> ")),
    })?;
    Ok(order
        .iter()
        .map(|&i| &pipeline.stages[i])
        .filter(|s| names.is_empty() || names.contains(&s.name))
        .collect())
}

/// Splits `stage`'s inputs in `snapshot` into datums and sorts them into cache hits and stale
/// datums. `cached(key)` looks a datum key up in the run cache; with `force` it is not asked.
pub fn plan_stage(
    stage: &Stage,
    image: &ImageRef,
    snapshot: &FlatTree,
    prev: &Previous,
    force: bool,
    cached: &mut dyn FnMut(&ObjectId) -> Result<Option<Ran>>,
) -> Result<StagePlan> {
    let salt = ObjectId::of(format!("{}\n{}", stage.definition_hash(), image.id).as_bytes());
    let datums = pipeline::datums(stage, snapshot, &salt);
    let total = datums.len();
    let mut hits = Vec::new();
    let mut todo = Vec::new();
    for d in datums {
        let hit = if force { None } else { cached(&d.key)? };
        match hit {
            Some(hit) => hits.push(hit),
            None => todo.push(d),
        }
    }
    let ran = todo
        .iter()
        .map(|d| DatumReport {
            datum: d.id(),
            reason: reason(prev, stage, image, d, force),
            inputs: input_roots(d),
            run: None,
        })
        .collect();
    let report = StageReport {
        stage: stage.name.clone(),
        image: image.clone(),
        datums: total,
        reused: hits.len(),
        ran,
        outputs: 0,
    };
    Ok(StagePlan {
        report,
        cached: hits,
        todo,
    })
}

/// The datum's input roots as reports show them: `input:root`, `/` for a whole input path.
fn input_roots(d: &Datum) -> Vec<String> {
    d.inputs
        .iter()
        .map(|i| {
            let root = if i.root.is_empty() { "/" } else { &i.root };
            format!("{}:{root}", i.input)
        })
        .collect()
}

/// Tells why a datum the cache does not answer must run, from the stage's previous runs.
pub fn reason(prev: &Previous, stage: &Stage, image: &ImageRef, d: &Datum, force: bool) -> Reason {
    if force {
        return Reason::Forced;
    }
    let runs = match prev.by_stage.get(&stage.name) {
        Some(r) if !r.is_empty() => r,
        _ => return Reason::NewInput,
    };
    if runs.iter().all(|r| r.stage_hash != stage.definition_hash()) {
        return Reason::ChangedStage;
    }
    if runs.iter().all(|r| r.image.id != image.id) {
        return Reason::ChangedImage;
    }
    let paths: HashSet<String> = datum_inputs(stage, d).into_iter().map(|i| i.path).collect();
    let same_paths = runs.iter().any(|r| {
        r.inputs
            .iter()
            .map(|i| i.path.clone())
            .collect::<HashSet<_>>()
            == paths
    });
    if same_paths {
        Reason::ChangedInput
    } else {
        Reason::NewInput
    }
}

/// The files a datum mounts, as a run record lists them (project paths).
pub fn datum_inputs(stage: &Stage, d: &Datum) -> Vec<RunInput> {
    let mut out = Vec::new();
    for di in &d.inputs {
        let base = &stage
            .inputs
            .iter()
            .find(|i| i.name == di.input)
            .expect("datum inputs name stage inputs")
            .path;
        for (rel, e) in &di.files {
            out.push(RunInput {
                input: di.input.clone(),
                path: join(base, rel),
                id: e.id,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::FileEntry;
    use crate::store::{EntryKind, Runner};

    /// Two stages over `data/text` (one datum per file): `total` reads `count`'s output, so
    /// `count` runs first although it is written second.
    const TOML: &str = r#"
[[stage]]
name = "total"
image = "img"
cmd = ["sum"]
output = "total"
[[stage.input]]
name = "counts"
path = "counts"

[[stage]]
name = "count"
image = "img"
cmd = ["wc"]
output = "counts"
[[stage.input]]
name = "text"
path = "data/text"
glob = "/*"
"#;

    fn pipeline() -> Pipeline {
        pipeline::parse(TOML, std::path::Path::new("pach.toml"), &|_| true).unwrap()
    }

    fn stage<'p>(p: &'p Pipeline, name: &str) -> &'p Stage {
        p.stages.iter().find(|s| s.name == name).unwrap()
    }

    fn image(id: &str) -> ImageRef {
        ImageRef {
            tag: "img".into(),
            id: id.into(),
            digest: None,
        }
    }

    fn snapshot(files: &[(&str, &str)]) -> FlatTree {
        files
            .iter()
            .map(|(p, content)| {
                let e = FileEntry {
                    kind: EntryKind::File,
                    id: ObjectId::of(content.as_bytes()),
                    size: content.len() as u64,
                    exec: false,
                };
                (p.to_string(), e)
            })
            .collect()
    }

    /// A successful run record of `stage` over `d`.
    fn record(stage: &Stage, image: &ImageRef, d: &Datum) -> RunRecord {
        RunRecord {
            stage: stage.name.clone(),
            stage_hash: stage.definition_hash(),
            datum: d.key,
            image: image.clone(),
            cmd: stage.cmd.clone(),
            env: Default::default(),
            runner: Runner {
                kind: "docker".into(),
                version: "test".into(),
                host: "h".into(),
                user: "1:1".into(),
            },
            code: None,
            inputs: datum_inputs(stage, d),
            outputs: Vec::new(),
            start_ms: 0,
            end_ms: 0,
            exit: 0,
            log: ObjectId::of(b""),
        }
    }

    fn names(stages: &[&Stage]) -> Vec<String> {
        stages.iter().map(|s| s.name.clone()).collect()
    }

    /// Plans `stage` with a cache holding `hits` (datum key -> record).
    fn plan(
        stage: &Stage,
        img: &ImageRef,
        snap: &FlatTree,
        prev: &Previous,
        force: bool,
        hits: &BTreeMap<ObjectId, RunRecord>,
    ) -> StagePlan {
        let mut asked = 0;
        let mut lookup = |k: &ObjectId| {
            asked += 1;
            Ok(hits
                .get(k)
                .map(|r| (ObjectId::of(k.hex().as_bytes()), r.clone())))
        };
        let p = plan_stage(stage, img, snap, prev, force, &mut lookup).unwrap();
        if force {
            assert_eq!(asked, 0, "a forced plan never asks the cache");
        }
        p
    }

    #[test]
    fn stages_run_producers_first_and_a_selection_keeps_that_order() {
        let p = pipeline();
        assert_eq!(names(&select(&p, &[]).unwrap()), ["count", "total"]);
        let both = ["total".to_string(), "count".to_string()];
        assert_eq!(names(&select(&p, &both).unwrap()), ["count", "total"]);
        assert_eq!(names(&select(&p, &both[..1]).unwrap()), ["total"]);
    }

    #[test]
    fn an_unknown_stage_is_refused_by_name() {
        let err = select(&pipeline(), &["nope".to_string()]).unwrap_err();
        assert!(err.to_string().contains("no stage named `nope`"), "{err}");
    }

    #[test]
    fn without_a_cache_every_datum_is_new_and_named_by_its_root() {
        let p = pipeline();
        let snap = snapshot(&[
            ("data/text/a.txt", "a"),
            ("data/text/b.txt", "b"),
            ("x", "x"),
        ]);
        let out = plan(
            stage(&p, "count"),
            &image("sha256:1"),
            &snap,
            &Previous::default(),
            false,
            &BTreeMap::new(),
        );
        assert_eq!(out.report.datums, 2);
        assert_eq!(out.report.reused, 0);
        assert!(out.cached.is_empty());
        assert_eq!(out.todo.len(), 2);
        let ran: Vec<(String, Reason)> = out
            .report
            .ran
            .iter()
            .map(|d| (d.inputs.join(" "), d.reason))
            .collect();
        assert_eq!(
            ran,
            [
                ("text:a.txt".to_string(), Reason::NewInput),
                ("text:b.txt".to_string(), Reason::NewInput)
            ]
        );
        // The report lists the stale datums in the order they will run.
        let ids: Vec<String> = out.todo.iter().map(Datum::id).collect();
        let reported: Vec<String> = out.report.ran.iter().map(|d| d.datum.clone()).collect();
        assert_eq!(ids, reported);
    }

    #[test]
    fn cached_datums_are_reused_and_only_the_changed_one_runs() {
        let p = pipeline();
        let count = stage(&p, "count");
        let img = image("sha256:1");
        let before = snapshot(&[("data/text/a.txt", "a"), ("data/text/b.txt", "b")]);
        let first = plan(
            count,
            &img,
            &before,
            &Previous::default(),
            false,
            &BTreeMap::new(),
        );
        let recs: Vec<RunRecord> = first.todo.iter().map(|d| record(count, &img, d)).collect();
        let cache: BTreeMap<ObjectId, RunRecord> =
            recs.iter().map(|r| (r.datum, r.clone())).collect();
        let prev = Previous {
            by_stage: [("count".to_string(), recs)].into(),
        };

        let after = snapshot(&[("data/text/a.txt", "a"), ("data/text/b.txt", "b2")]);
        let second = plan(count, &img, &after, &prev, false, &cache);
        assert_eq!((second.report.datums, second.report.reused), (2, 1));
        assert_eq!(second.cached[0].1.inputs[0].path, "data/text/a.txt");
        assert_eq!(second.todo.len(), 1);
        assert_eq!(second.report.ran[0].reason, Reason::ChangedInput);
        assert_eq!(second.report.ran[0].inputs, ["text:b.txt"]);

        // A file never seen before is new input, not changed input.
        let more = snapshot(&[
            ("data/text/a.txt", "a"),
            ("data/text/b.txt", "b"),
            ("data/text/c.txt", "c"),
        ]);
        let third = plan(count, &img, &more, &prev, false, &cache);
        assert_eq!(third.report.reused, 2);
        assert_eq!(third.report.ran[0].reason, Reason::NewInput);

        // Forcing runs everything again, without asking the cache.
        let forced = plan(count, &img, &before, &prev, true, &cache);
        assert_eq!((forced.report.reused, forced.todo.len()), (0, 2));
        assert!(forced.report.ran.iter().all(|d| d.reason == Reason::Forced));
    }

    #[test]
    fn a_new_image_or_definition_changes_every_key_and_says_why() {
        let p = pipeline();
        let count = stage(&p, "count");
        let img = image("sha256:1");
        let snap = snapshot(&[("data/text/a.txt", "a")]);
        let first = plan(
            count,
            &img,
            &snap,
            &Previous::default(),
            false,
            &BTreeMap::new(),
        );
        let rec = record(count, &img, &first.todo[0]);
        let cache: BTreeMap<ObjectId, RunRecord> = [(rec.datum, rec.clone())].into();
        let prev = Previous {
            by_stage: [("count".to_string(), vec![rec])].into(),
        };

        let newer = plan(count, &image("sha256:2"), &snap, &prev, false, &cache);
        assert_eq!(newer.report.reused, 0);
        assert_eq!(newer.report.ran[0].reason, Reason::ChangedImage);
        assert_ne!(newer.todo[0].key, first.todo[0].key);

        let mut changed = count.clone();
        changed.cmd = vec!["wc".into(), "-l".into()];
        let redefined = plan(&changed, &img, &snap, &prev, false, &cache);
        assert_eq!(redefined.report.reused, 0);
        assert_eq!(redefined.report.ran[0].reason, Reason::ChangedStage);
    }

    #[test]
    fn a_stage_without_inputs_in_the_snapshot_has_nothing_to_do() {
        let p = pipeline();
        let snap = snapshot(&[("data/text/a.txt", "a")]);
        let out = plan(
            stage(&p, "total"),
            &image("sha256:1"),
            &snap,
            &Previous::default(),
            false,
            &BTreeMap::new(),
        );
        assert_eq!(out.report.datums, 0);
        assert!(out.todo.is_empty() && out.report.ran.is_empty());
    }

    #[test]
    fn datum_inputs_are_project_paths() {
        let p = pipeline();
        let count = stage(&p, "count");
        let snap = snapshot(&[("data/text/a.txt", "a")]);
        let out = plan(
            count,
            &image("sha256:1"),
            &snap,
            &Previous::default(),
            false,
            &BTreeMap::new(),
        );
        let inputs = datum_inputs(count, &out.todo[0]);
        assert_eq!(inputs.len(), 1);
        assert_eq!(
            (inputs[0].input.as_str(), inputs[0].path.as_str()),
            ("text", "data/text/a.txt")
        );
        assert_eq!(inputs[0].id, ObjectId::of(b"a"));
    }
}
