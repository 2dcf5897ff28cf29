//! `pach.toml`: parsing and validating a pipeline's stages into [`Pipeline`].
//!
//! Every error names the file, line and column. Splitting inputs into datums lives in
//! `datum.rs`, the order stages run in in `dag.rs`; nothing here reads the disk.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::datum::{Glob, check_join_on};
use super::{dag, overlaps};
use crate::store::ObjectId;

/// A whole `pach.toml`: settings and stages, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    pub settings: Settings,
    pub stages: Vec<Stage>,
}

/// The `[settings]` table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Runs the stale stages right after every commit.
    pub run_on_commit: bool,
}

/// One `[[stage]]`: a command run in a container over datums of its inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub name: String,
    /// The image as written (a tag); resolved to an image ID at run time.
    pub image: String,
    pub cmd: Vec<String>,
    /// Normalised project path the stage's `/pach/out` lands in (never the root).
    pub output: String,
    pub parallelism: Option<usize>,
    pub env: BTreeMap<String, String>,
    pub network: bool,
    /// Each datum runs in a container of its own instead of on a warm worker.
    pub fresh: bool,
    /// Per datum.
    pub timeout: Option<Duration>,
    pub retries: u32,
    pub combine: Combine,
    /// At least one.
    pub inputs: Vec<Input>,
    /// 1-based line of the stage's `[[stage]]` header.
    pub line: usize,
}

/// One `[[stage.input]]`, mounted read-only at `/pach/in/<name>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: String,
    /// Normalised project path: tracked, or at or under another stage's output.
    pub path: String,
    pub glob: Glob,
    /// Set exactly when the stage's combine is [`Combine::Join`].
    pub join_on: Option<String>,
}

/// How a stage with several inputs turns their units into datums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// Every unit of one input with every unit of the others.
    #[default]
    Cross,
    /// Each unit of each input on its own.
    Union,
    /// Units whose `join_on` values match, record by record.
    Join,
}

/// A `pach.toml` that cannot be used, with where in the file the problem is.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", file.display())]
pub struct SpecError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What decides a stage's outputs, in a fixed field order for hashing.
#[derive(Serialize)]
struct Definition<'a> {
    name: &'a str,
    image: &'a str,
    cmd: &'a [String],
    env: &'a BTreeMap<String, String>,
    network: bool,
    output: &'a str,
    combine: Combine,
    inputs: Vec<InputDefinition<'a>>,
    /// Only written when set, so stages without it keep the hashes they had before it existed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    fresh: bool,
}

#[derive(Serialize)]
struct InputDefinition<'a> {
    name: &'a str,
    path: &'a str,
    glob: &'a str,
    join_on: Option<&'a str>,
}

impl Stage {
    /// Returns the hash of everything that determines the stage's outputs.
    ///
    /// Covers the name, image (the tag as written), cmd, env, network, output, combine, each
    /// input's name, path, glob and `join_on`, and `fresh` (it changes what a datum can see);
    /// not parallelism, timeout or retries.
    pub fn definition_hash(&self) -> ObjectId {
        let def = Definition {
            name: &self.name,
            image: &self.image,
            cmd: &self.cmd,
            env: &self.env,
            network: self.network,
            output: &self.output,
            combine: self.combine,
            inputs: (self.inputs.iter())
                .map(|i| InputDefinition {
                    name: &i.name,
                    path: &i.path,
                    glob: i.glob.pattern(),
                    join_on: i.join_on.as_deref(),
                })
                .collect(),
            fresh: self.fresh,
        };
        let mut bytes = b"pach-stage 1\n".to_vec();
        serde_json::to_writer(&mut bytes, &def).expect("serialising to a Vec cannot fail");
        ObjectId::of(&bytes)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    settings: RawSettings,
    #[serde(default)]
    stage: Vec<Spanned<RawStage>>,
}

/// A `pach.toml` read for its settings only: the stages are skipped, not checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettingsOnly {
    #[serde(default)]
    settings: RawSettings,
    #[serde(default, rename = "stage")]
    _stage: serde::de::IgnoredAny,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    #[serde(default)]
    run_on_commit: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    name: Spanned<String>,
    image: Spanned<String>,
    cmd: Spanned<Vec<String>>,
    output: Spanned<String>,
    parallelism: Option<Spanned<usize>>,
    env: Option<Spanned<BTreeMap<String, String>>>,
    #[serde(default)]
    network: bool,
    #[serde(default)]
    fresh: bool,
    timeout: Option<Spanned<String>>,
    #[serde(default)]
    retries: u32,
    combine: Option<Spanned<Combine>>,
    #[serde(default)]
    input: Vec<Spanned<RawInput>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInput {
    name: Spanned<String>,
    path: Spanned<String>,
    glob: Option<Spanned<String>>,
    join_on: Option<Spanned<String>>,
}

/// Where a stage's checked fields are, for errors found across stages.
struct Spans {
    name: Range<usize>,
    output: Range<usize>,
    inputs: Vec<Range<usize>>,
}

/// Turns byte offsets into errors that name the file, line and column.
struct Source<'a> {
    text: &'a str,
    file: &'a Path,
}

impl Source<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> SpecError {
        let (line, column) = line_column(self.text, span.start);
        SpecError {
            file: self.file.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// Returns the 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// Parses and validates a `pach.toml`.
///
/// `file` is only used in messages. `tracked(path)` tells whether a project path is tracked at
/// HEAD (has at least one file at or under it); an input path must be tracked, or at or under
/// another stage's output, or contain one.
pub fn parse(
    text: &str,
    file: &Path,
    tracked: &dyn Fn(&str) -> bool,
) -> Result<Pipeline, SpecError> {
    let src = Source { text, file };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.error(span, e.message().trim_end().to_string())
    })?;
    let mut stages = Vec::with_capacity(raw.stage.len());
    let mut spans = Vec::with_capacity(raw.stage.len());
    for stage in raw.stage {
        let (stage, at) = convert_stage(&src, stage)?;
        stages.push(stage);
        spans.push(at);
    }
    check_names_and_outputs(&src, &stages, &spans)?;
    check_inputs_exist(&src, &stages, &spans, tracked)?;
    if let Err(cycle) = dag::order(&stages) {
        let first = stages.iter().position(|s| s.name == cycle[0]).unwrap_or(0);
        let message = format!("cycle between stages: {}", cycle.join(" -> "));
        return Err(src.error(spans[first].name.clone(), message));
    }
    let settings = Settings {
        run_on_commit: raw.settings.run_on_commit,
    };
    Ok(Pipeline { settings, stages })
}

/// Parses what `pach commit` needs of a `pach.toml`: that it is TOML, and its `[settings]`.
/// The stages are not checked (they are when they run). Errors name the file, line and column.
pub fn parse_settings(text: &str, file: &Path) -> Result<Settings, SpecError> {
    let src = Source { text, file };
    let raw: RawSettingsOnly = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        src.error(span, e.message().trim_end().to_string())
    })?;
    Ok(Settings {
        run_on_commit: raw.settings.run_on_commit,
    })
}

/// Checks one stage on its own and converts it.
fn convert_stage(src: &Source, raw: Spanned<RawStage>) -> Result<(Stage, Spans), SpecError> {
    let stage_span = raw.span();
    let raw = raw.into_inner();
    let name = check_name(src, &raw.name, "stage")?;
    if raw.image.get_ref().trim().is_empty() {
        return Err(src.error(
            raw.image.span(),
            format!("stage `{name}` has an empty `image`"),
        ));
    }
    if raw.cmd.get_ref().is_empty() {
        return Err(src.error(raw.cmd.span(), format!("stage `{name}` has an empty `cmd`")));
    }
    let output = check_path(src, &raw.output)?;
    let combine = raw
        .combine
        .as_ref()
        .map_or(Combine::Cross, |c| *c.get_ref());
    if raw.input.is_empty() {
        let message = format!("stage `{name}` has no `[[stage.input]]`");
        return Err(src.error(stage_span, message));
    }
    let output_span = raw.output.span();
    let (inputs, input_spans) =
        convert_inputs(src, &name, combine, &raw.input, (&output, output_span))?;
    let stage = Stage {
        parallelism: check_parallelism(src, raw.parallelism.as_ref())?,
        env: check_env(src, raw.env)?,
        timeout: check_timeout(src, raw.timeout.as_ref())?,
        name,
        image: raw.image.into_inner(),
        cmd: raw.cmd.into_inner(),
        output,
        network: raw.network,
        fresh: raw.fresh,
        retries: raw.retries,
        combine,
        inputs,
        line: line_column(src.text, stage_span.start).0,
    };
    let spans = Spans {
        name: raw.name.span(),
        output: raw.output.span(),
        inputs: input_spans,
    };
    Ok((stage, spans))
}

/// Converts a stage's inputs; checks their names are unique and none overlaps the output.
///
/// Returns the inputs with the spans of their paths.
fn convert_inputs(
    src: &Source,
    stage: &str,
    combine: Combine,
    raw: &[Spanned<RawInput>],
    (output, output_span): (&str, Range<usize>),
) -> Result<(Vec<Input>, Vec<Range<usize>>), SpecError> {
    let mut inputs: Vec<Input> = Vec::with_capacity(raw.len());
    let mut spans = Vec::with_capacity(raw.len());
    for input in raw {
        let converted = convert_input(src, stage, combine, input)?;
        if inputs.iter().any(|i| i.name == converted.name) {
            let message = format!("stage `{stage}` has two inputs named `{}`", converted.name);
            return Err(src.error(input.get_ref().name.span(), message));
        }
        if overlaps(output, &converted.path) {
            let message = format!(
                "output `{output}` of stage `{stage}` overlaps its input `{}` (`{}`)",
                converted.name, converted.path
            );
            return Err(src.error(output_span, message));
        }
        spans.push(input.get_ref().path.span());
        inputs.push(converted);
    }
    Ok((inputs, spans))
}

/// Checks one input on its own and converts it.
fn convert_input(
    src: &Source,
    stage: &str,
    combine: Combine,
    raw: &Spanned<RawInput>,
) -> Result<Input, SpecError> {
    let input = raw.get_ref();
    let name = check_name(src, &input.name, "input")?;
    let path = check_path(src, &input.path)?;
    let glob = match &input.glob {
        None => Glob::parse("/").expect("`/` is a valid glob"),
        Some(g) => Glob::parse(g.get_ref()).map_err(|m| src.error(g.span(), m))?,
    };
    let join_on = match (&input.join_on, combine) {
        (None, Combine::Join) => {
            let message = format!(
                "input `{name}` of stage `{stage}` needs `join_on` because the stage has \
                 `combine = \"join\"`"
            );
            return Err(src.error(raw.span(), message));
        }
        (Some(j), Combine::Join) => {
            check_join_on(j.get_ref(), glob.groups()).map_err(|m| src.error(j.span(), m))?;
            Some(j.get_ref().clone())
        }
        (Some(j), _) => {
            let message = "`join_on` is only allowed when the stage has `combine = \"join\"`";
            return Err(src.error(j.span(), message));
        }
        (None, _) => None,
    };
    Ok(Input {
        name,
        path,
        glob,
        join_on,
    })
}

/// Checks a stage or input name: `[a-z0-9_-]+`.
fn check_name(src: &Source, name: &Spanned<String>, what: &str) -> Result<String, SpecError> {
    let text = name.get_ref();
    let ok = !text.is_empty()
        && (text.bytes()).all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'));
    if !ok {
        let message = format!(
            "invalid {what} name `{}`: use lowercase letters, digits, `_` and `-`",
            text.escape_default()
        );
        return Err(src.error(name.span(), message));
    }
    Ok(text.clone())
}

/// Checks a project path and returns it without a trailing `/`.
fn check_path(src: &Source, path: &Spanned<String>) -> Result<String, SpecError> {
    crate::paths::normalise(path.get_ref()).map_err(|why| {
        let message = format!("invalid path `{}`: {why}", path.get_ref().escape_default());
        src.error(path.span(), message)
    })
}

fn check_parallelism(
    src: &Source,
    parallelism: Option<&Spanned<usize>>,
) -> Result<Option<usize>, SpecError> {
    match parallelism {
        Some(p) if *p.get_ref() == 0 => {
            Err(src.error(p.span(), "`parallelism` must be at least 1"))
        }
        p => Ok(p.map(|p| *p.get_ref())),
    }
}

fn check_env(
    src: &Source,
    env: Option<Spanned<BTreeMap<String, String>>>,
) -> Result<BTreeMap<String, String>, SpecError> {
    let Some(env) = env else {
        return Ok(BTreeMap::new());
    };
    let bad = (env.get_ref().iter())
        .find(|(k, v)| k.is_empty() || k.contains('=') || k.contains('\0') || v.contains('\0'));
    if let Some((k, _)) = bad {
        let message = format!("invalid environment variable `{}`", k.escape_default());
        return Err(src.error(env.span(), message));
    }
    Ok(env.into_inner())
}

fn check_timeout(
    src: &Source,
    timeout: Option<&Spanned<String>>,
) -> Result<Option<Duration>, SpecError> {
    let Some(timeout) = timeout else {
        return Ok(None);
    };
    parse_duration(timeout.get_ref()).map(Some).ok_or_else(|| {
        let message = format!(
            "invalid timeout `{}`: use a positive duration such as `90s`, `10m` or `1h 30m`",
            timeout.get_ref().escape_default()
        );
        src.error(timeout.span(), message)
    })
}

/// Parses a timeout: any duration [`crate::time::parse_duration`] reads, except zero.
fn parse_duration(text: &str) -> Option<Duration> {
    crate::time::parse_duration(text)
        .ok()
        .filter(|d| !d.is_zero())
}

/// Checks what needs all stages: unique names, outputs that do not overlap.
fn check_names_and_outputs(
    src: &Source,
    stages: &[Stage],
    spans: &[Spans],
) -> Result<(), SpecError> {
    let mut names = HashSet::new();
    for (j, stage) in stages.iter().enumerate() {
        if !names.insert(stage.name.as_str()) {
            let message = format!("duplicate stage name `{}`", stage.name);
            return Err(src.error(spans[j].name.clone(), message));
        }
        if let Some(other) = stages[..j]
            .iter()
            .find(|o| overlaps(&o.output, &stage.output))
        {
            let message = format!(
                "output `{}` of stage `{}` overlaps output `{}` of stage `{}`",
                stage.output, stage.name, other.output, other.name
            );
            return Err(src.error(spans[j].output.clone(), message));
        }
    }
    Ok(())
}

/// Checks that every input path is tracked or written (at least in part) by another stage.
fn check_inputs_exist(
    src: &Source,
    stages: &[Stage],
    spans: &[Spans],
    tracked: &dyn Fn(&str) -> bool,
) -> Result<(), SpecError> {
    for (j, stage) in stages.iter().enumerate() {
        for (k, input) in stage.inputs.iter().enumerate() {
            let produced = (stages.iter().enumerate())
                .any(|(o, other)| o != j && overlaps(&input.path, &other.output));
            if !produced && !tracked(&input.path) {
                let message = format!(
                    "input `{}` of stage `{}` reads `{}`, which is not tracked at HEAD and \
                     no stage writes it",
                    input.name, stage.name, input.path
                );
                return Err(src.error(spans[j].inputs[k].clone(), message));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
