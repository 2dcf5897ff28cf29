//! `pach provenance`: where a file came from, what was derived from it, and which commits a
//! `pach run` commit was computed from. The graphs are built in `provenance`; this prints them.

use clap::ValueEnum;

use super::Context;
use crate::error::{Error, Result};
use crate::provenance::{self, Graph, export};
use crate::repo::{Access, Repo};

/// Trace a file to its origins, or to everything derived from it
///
/// Upstream (the default): the run that made the file (stage, datum, image, command, code
/// version, times, exit status, runner), that run's input files with the commit each entered
/// in, and so on back to the files that were added by hand, with the commit, author and time
/// that added them. With --downstream: every file derived from this one, transitively, with
/// the stage that made it and whether each branch head still holds it. A directory traces
/// every file under it as one graph. PATH is relative to the project root; REV defaults to HEAD.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  pach provenance total/total.txt
  pach provenance v1:model/weights.bin --format dot | dot -Tpng > provenance.png
  pach provenance --downstream data/text/fox.txt --branch main
  pach provenance --commit HEAD
  pach provenance results --verify --format prov-json > prov.json

Formats: tree (default), json (the graph; see docs/PROVENANCE.md), dot (Graphviz), mermaid,
prov-json (W3C PROV-JSON), openlineage (one OpenLineage RunEvent per line).
With --verify, exits 4 when an object on the path is missing or corrupt.")]
pub struct ProvenanceArgs {
    /// The file or directory to trace, as [REV:]PATH
    #[arg(value_name = "[REV:]PATH", required_unless_present = "commit")]
    spec: Option<String>,
    /// Trace forward: every file derived from this one
    #[arg(long)]
    downstream: bool,
    /// With --downstream: check presence at this branch only (default: every branch; can be
    /// repeated)
    #[arg(long, value_name = "NAME", requires = "downstream")]
    branch: Vec<String>,
    /// Follow at most N runs away from the file (default: all the way)
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Tree)]
    format: Format,
    /// Print the graph as JSON (same as --format json)
    #[arg(long)]
    json: bool,
    /// Re-hash every object on the path (files, run records, logs, commits) and fail naming
    /// any that is missing or corrupt
    #[arg(long)]
    verify: bool,
    /// Commit-level provenance of REV: which commits each stage's inputs came from
    #[arg(long, value_name = "REV", conflicts_with_all = ["spec", "downstream", "depth"])]
    commit: Option<String>,
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Tree,
    Json,
    Dot,
    Mermaid,
    ProvJson,
    Openlineage,
}

pub fn run(cx: &Context, args: &ProvenanceArgs) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let format = if args.json { Format::Json } else { args.format };
    if let Some(rev) = &args.commit {
        let p = provenance::commit_provenance(&repo, rev)?;
        return match format {
            Format::Json => cx.ui.json(&p),
            Format::Tree => cx.ui.raw(export::commit_tree(&p).as_bytes()),
            f => Err(Error::UnsupportedFormat {
                what: "commit-level provenance",
                format: format!("{f:?}").to_lowercase(),
            }),
        };
    }
    let spec = args
        .spec
        .as_deref()
        .expect("clap requires it without --commit");
    let (rev, path) = match spec.split_once(':') {
        Some((r, p)) => (if r.is_empty() { "HEAD" } else { r }, p.trim_matches('/')),
        None => ("HEAD", spec.trim_matches('/')),
    };
    let path = if spec.contains(':') {
        path.to_string()
    } else {
        crate::paths::resolve(repo.root(), &cx.cwd, std::path::Path::new(path))?
    };
    let traced = if args.downstream {
        provenance::downstream(&repo, rev, &path, args.depth, &args.branch)
    } else {
        provenance::upstream(&repo, rev, &path, args.depth)
    };
    let graph = match traced {
        Ok(g) => g,
        Err(e @ Error::Store(_) | e @ Error::RunRecordMissing { .. }) if args.verify => {
            cx.ui.warn(format!("missing or corrupt: {e}"));
            return Err(Error::ProvenanceCheckFailed { count: 1 });
        }
        Err(e) => return Err(e),
    };
    print(cx, &repo, &graph, format)?;
    if args.verify {
        let problems = provenance::verify(&repo, &graph);
        for p in &problems {
            cx.ui
                .warn(format!("{} {}: {}", p.what, p.object.short(), p.error));
        }
        if !problems.is_empty() {
            return Err(Error::ProvenanceCheckFailed {
                count: problems.len(),
            });
        }
        let n = graph.nodes.len();
        let purged = graph.files().filter(|f| f.purged.is_some()).count()
            + graph.runs().filter(|r| r.log_purged.is_some()).count();
        let but = match purged {
            0 => String::new(),
            k => format!(" but {k} purged on purpose (`pach purge --list`)"),
        };
        cx.ui.note(format!(
            "verified: every object of {n} node(s) is present and intact{but}"
        ));
    }
    Ok(())
}

fn print(cx: &Context, repo: &Repo, g: &Graph, format: Format) -> Result<()> {
    let project = repo
        .root()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match format {
        Format::Json => return cx.ui.json(g),
        Format::Tree => export::tree(g),
        Format::Dot => export::dot(g),
        Format::Mermaid => export::mermaid(g),
        Format::ProvJson => export::prov_json(g, &project) + "\n",
        Format::Openlineage => export::openlineage(g, &project),
    };
    cx.ui.raw(text.as_bytes())
}
