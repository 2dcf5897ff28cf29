//! The outputs of datums: collecting what a datum wrote to `/pach/out` into the store with its
//! safety checks (names, symlinks that stay inside, no devices), and uniting the datums'
//! outputs into the stage's.

use std::collections::BTreeMap;
use std::path::Path;

use super::Ran;
use super::execute::io_err;
use crate::error::{Error, Result};
use crate::paths::join;
use crate::pipeline::Stage;
use crate::repo::Repo;
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{Batch, EntryKind, LinkMode, RunOutput};

/// Unites the datums' outputs; two datums writing one path is an error naming both.
pub fn merge_outputs(stage: &Stage, runs: &[Ran]) -> Result<FlatTree> {
    let mut out = FlatTree::new();
    let mut by: BTreeMap<String, String> = BTreeMap::new();
    for (_, r) in runs {
        for o in &r.outputs {
            let datum = r.datum.short();
            if let Some(other) = by.insert(o.path.clone(), datum.clone()) {
                return Err(Error::Pipeline {
                    message: format!(
                        "stage `{}`: datums {other} and {datum} both wrote `{}`",
                        stage.name, o.path
                    ),
                });
            }
            out.insert(
                o.path.clone(),
                FileEntry {
                    kind: o.kind,
                    id: o.id,
                    size: o.size,
                    exec: o.exec,
                },
            );
        }
    }
    Ok(out)
}

/// Stores what a datum wrote to `/pach/out`, refusing what could escape or is not a file.
pub fn collect_outputs(
    repo: &Repo,
    stage: &Stage,
    datum: &str,
    out_dir: &Path,
    batch: &Batch,
) -> Result<Vec<RunOutput>> {
    use std::os::unix::fs::PermissionsExt;
    let mut outs = Vec::new();
    let bad = |rel: &str, why: &str| Error::Pipeline {
        message: format!(
            "stage `{}` datum {datum} wrote `/pach/out/{rel}`: {why}",
            stage.name
        ),
    };
    for e in walkdir::WalkDir::new(out_dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
    {
        let e = e.map_err(|err| Error::Io {
            path: out_dir.into(),
            source: err.into(),
        })?;
        let Some(rel) = e
            .path()
            .strip_prefix(out_dir)
            .ok()
            .and_then(|r| r.to_str())
            .map(str::to_owned)
        else {
            return Err(bad(
                &e.path()
                    .strip_prefix(out_dir)
                    .unwrap_or(e.path())
                    .to_string_lossy(),
                "its name is not valid UTF-8",
            ));
        };
        if rel
            .split('/')
            .any(|c| crate::paths::validate_name(c).is_err())
        {
            return Err(bad(&rel, "not a valid file name"));
        }
        let ft = e.file_type();
        let path = join(&stage.output, &rel);
        if ft.is_dir() {
            continue;
        } else if ft.is_symlink() {
            let t = std::fs::read_link(e.path()).map_err(io_err(e.path()))?;
            let t = t
                .to_str()
                .ok_or_else(|| bad(&rel, "a symlink whose target is not UTF-8"))?
                .to_string();
            if !crate::paths::is_safe_link_target(&rel, &t) {
                return Err(bad(
                    &rel,
                    &format!("a symlink to `{t}`, which is absolute or points outside /pach/out"),
                ));
            }
            let id = repo.store().put_bytes(t.as_bytes(), batch)?;
            outs.push(RunOutput {
                path,
                id,
                size: t.len() as u64,
                exec: false,
                kind: EntryKind::Symlink,
            });
        } else if ft.is_file() {
            let exec = e
                .metadata()
                .map(|m| m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false);
            let (id, size) = repo.store().ingest(e.path(), LinkMode::Hardlink, batch)?;
            outs.push(RunOutput {
                path,
                id,
                size,
                exec,
                kind: EntryKind::File,
            });
        } else {
            return Err(bad(
                &rel,
                "not a regular file, directory or symlink (devices, pipes and sockets are refused)",
            ));
        }
    }
    // Each link alone stays in /pach/out; resolved through the others it must too.
    let base = format!("{}/", stage.output);
    let rel = |p: &str| p.strip_prefix(&base).unwrap_or(p).to_string();
    let links: std::collections::HashMap<String, String> = outs
        .iter()
        .filter(|o| o.kind == EntryKind::Symlink)
        .map(|o| {
            let t = std::fs::read_link(out_dir.join(rel(&o.path))).map_err(io_err(out_dir))?;
            Ok((rel(&o.path), t.to_string_lossy().into_owned()))
        })
        .collect::<Result<_>>()?;
    let paths: Vec<(String, EntryKind)> = outs.iter().map(|o| (rel(&o.path), o.kind)).collect();
    let checked =
        crate::paths::check_links(paths.iter().map(|(p, k)| (p.as_str(), (*k).into())), |p| {
            Ok::<_, Error>(links[p].clone())
        })?;
    if let Err(u) = checked {
        return Err(bad(
            &u.path,
            &format!(
                "a symlink to `{}` that leaves /pach/out: {}",
                u.target, u.reason
            ),
        ));
    }
    Ok(outs)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::store::{ImageRef, ObjectId, RunRecord, Runner};

    /// A run record of stage `count` for datum `key` that wrote `outputs` (path, content).
    pub fn record(key: &str, outputs: &[(&str, &str)]) -> Ran {
        let rec = RunRecord {
            stage: "count".into(),
            stage_hash: ObjectId::of(b"def"),
            datum: ObjectId::of(key.as_bytes()),
            image: ImageRef {
                tag: "img".into(),
                id: "sha256:1".into(),
                digest: None,
            },
            cmd: vec!["wc".into()],
            env: Default::default(),
            runner: Runner {
                kind: "docker".into(),
                version: "test".into(),
                host: "h".into(),
                user: "1:1".into(),
            },
            code: None,
            inputs: Vec::new(),
            outputs: outputs
                .iter()
                .map(|(p, c)| RunOutput {
                    path: p.to_string(),
                    id: ObjectId::of(c.as_bytes()),
                    size: c.len() as u64,
                    exec: false,
                    kind: EntryKind::File,
                })
                .collect(),
            start_ms: 0,
            end_ms: 0,
            exit: 0,
            log: ObjectId::of(b""),
        };
        (ObjectId::of(format!("run {key}").as_bytes()), rec)
    }

    /// A stage `count` over `data`, writing to `counts`.
    pub fn stage() -> Stage {
        let toml = r#"
[[stage]]
name = "count"
image = "img"
cmd = ["wc"]
output = "counts"
[[stage.input]]
name = "data"
path = "data"
"#;
        let p = crate::pipeline::parse(toml, Path::new("pach.toml"), &|_| true).unwrap();
        p.stages.into_iter().next().unwrap()
    }

    #[test]
    fn the_datums_outputs_are_united() {
        let runs = [
            record("a", &[("counts/a.n", "3")]),
            record("b", &[("counts/b.n", "2"), ("counts/sub/b.x", "x")]),
        ];
        let out = merge_outputs(&stage(), &runs).unwrap();
        let paths: Vec<&str> = out.keys().map(String::as_str).collect();
        assert_eq!(paths, ["counts/a.n", "counts/b.n", "counts/sub/b.x"]);
        assert_eq!(out["counts/b.n"].id, ObjectId::of(b"2"));
        assert_eq!(out["counts/b.n"].size, 1);
    }

    #[test]
    fn two_datums_writing_one_path_are_named_both() {
        let runs = [
            record("a", &[("counts/total", "3")]),
            record("b", &[("counts/total", "2")]),
        ];
        let err = merge_outputs(&stage(), &runs).unwrap_err().to_string();
        let (a, b) = (ObjectId::of(b"a").short(), ObjectId::of(b"b").short());
        assert!(
            err.contains(&format!("datums {a} and {b} both wrote `counts/total`")),
            "{err}"
        );
    }
}
