//! The layers stay one-way without anyone policing them.
//!
//! docs/ARCHITECTURE.md holds the layer map (the fenced block under "## Layers", top layer
//! first). This test reads it, then reads every source file of the crate as tokens and
//! follows every `crate::…`, `super::…` and (in the binary) `pach::…` path, wherever it is:
//! `use` lines, function bodies, types, macro arguments, test modules. A module may reach
//! its own top-level module and any module of a lower layer; anything else fails the test,
//! naming the file, the line and the path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// One path found in the source that leaves its own top-level module.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reach {
    /// The module whose source holds the path (`repo::add`, `ui`, `main`).
    from: String,
    /// The top-level module it reaches (`ops`).
    to: String,
    line: usize,
    /// The path as written, up to the module it names (`crate::ops::run`).
    text: String,
}

/// Layer of each top-level module: 0 is the bottom.
type Layers = BTreeMap<String, usize>;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads the layer map from docs/ARCHITECTURE.md: the first fenced block after the
/// `## Layers` heading, one layer per line, top first, modules separated by spaces.
fn layers_from_doc(doc: &str) -> Result<Layers, String> {
    let after = doc
        .split_once("\n## Layers")
        .ok_or("docs/ARCHITECTURE.md has no `## Layers` section")?
        .1;
    let block = after
        .split_once("```")
        .and_then(|(_, rest)| rest.split_once('\n'))
        .and_then(|(_, rest)| rest.split_once("```"))
        .ok_or("the `## Layers` section of docs/ARCHITECTURE.md has no fenced block")?
        .0;
    let rows: Vec<Vec<&str>> = block
        .lines()
        .map(|l| {
            l.split('#')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
        })
        .filter(|r| !r.is_empty())
        .collect();
    let mut layers = Layers::new();
    for (i, row) in rows.iter().enumerate() {
        for m in row {
            let m = m.trim_end_matches(',');
            if layers.insert(m.to_string(), rows.len() - 1 - i).is_some() {
                return Err(format!("`{m}` appears twice in the layer map"));
            }
        }
    }
    Ok(layers)
}

/// The module path of a source file under `src/` (`repo/add.rs` → `repo::add`).
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let file = parts.pop().unwrap_or_default();
    match file.as_str() {
        "lib.rs" if parts.is_empty() => String::new(),
        "main.rs" if parts.is_empty() => "main".into(),
        "mod.rs" => parts.join("::"),
        f => {
            parts.push(f.trim_end_matches(".rs").to_string());
            parts.join("::")
        }
    }
}

/// Finds every path of `source` (the file of module `module`) that reaches a top-level
/// module other than its own. `crate_names` are the words that name the crate root in it.
fn reaches(module: &str, source: &str, crate_names: &[&str]) -> Result<Vec<Reach>, String> {
    let tokens = TokenStream::from_str(source).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let scope: Vec<String> = if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(String::from).collect()
    };
    walk(tokens, &scope, module, crate_names, &mut out);
    Ok(out)
}

/// Walks a token stream; `scope` is the module the tokens are in (inline `mod x { … }`
/// blocks extend it, so `super` inside them resolves as the compiler would).
fn walk(
    tokens: TokenStream,
    scope: &[String],
    file_module: &str,
    crate_names: &[&str],
    out: &mut Vec<Reach>,
) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < tts.len() {
        match &tts[i] {
            TokenTree::Ident(id) if id == "mod" => {
                if let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(g))) =
                    (tts.get(i + 1), tts.get(i + 2))
                    && g.delimiter() == Delimiter::Brace
                {
                    let mut inner = scope.to_vec();
                    inner.push(name.to_string());
                    walk(g.stream(), &inner, file_module, crate_names, out);
                    i += 3;
                    continue;
                }
            }
            TokenTree::Ident(id)
                if (id == "super" || crate_names.iter().any(|c| id == c))
                    && is_path_sep(&tts, i + 1)
                    && !preceded_by_path_sep(&tts, i) =>
            {
                let line = id.span().start().line;
                let (base, mut j, mut text) = if id == "super" {
                    let mut base = scope.to_vec();
                    let mut j = i;
                    let mut text = String::new();
                    while matches!(tts.get(j), Some(TokenTree::Ident(s)) if s == "super")
                        && is_path_sep(&tts, j + 1)
                    {
                        base.pop();
                        text.push_str("super::");
                        j += 3;
                    }
                    (base, j, text)
                } else {
                    (Vec::new(), i + 3, format!("{id}::"))
                };
                let first = match tts.get(j) {
                    Some(TokenTree::Ident(next)) => vec![next.to_string()],
                    Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                        use_tree_heads(g.stream())
                    }
                    _ => Vec::new(),
                };
                // The path as written, with one segment more (or one per item of a group),
                // so a check can tell `store::ObjectId` from `store::Store`.
                let mut texts = Vec::new();
                if let Some(TokenTree::Ident(next)) = tts.get(j) {
                    text.push_str(&next.to_string());
                    match (is_path_sep(&tts, j + 1), tts.get(j + 3)) {
                        (true, Some(TokenTree::Ident(item))) => {
                            texts.push(format!("{text}::{item}"))
                        }
                        (true, Some(TokenTree::Group(g))) if g.delimiter() == Delimiter::Brace => {
                            texts.extend(
                                use_tree_heads(g.stream())
                                    .iter()
                                    .map(|h| format!("{text}::{h}")),
                            )
                        }
                        _ => texts.push(text.clone()),
                    }
                } else {
                    texts.push(format!("{text}{{…}}"));
                }
                j += 1;
                for head in first {
                    // The top-level module reached: the first segment below the crate root.
                    let to = match base.first() {
                        Some(top) => top.clone(),
                        None => head,
                    };
                    for text in &texts {
                        out.push(Reach {
                            from: file_module.to_string(),
                            to: to.clone(),
                            line,
                            text: text.clone(),
                        });
                    }
                }
                i = j;
                continue;
            }
            TokenTree::Group(g) => {
                walk(g.stream(), scope, file_module, crate_names, out);
            }
            _ => {}
        }
        i += 1;
    }
}

/// Tells whether tokens `i` and `i + 1` are `::`.
fn is_path_sep(tts: &[TokenTree], i: usize) -> bool {
    matches!((tts.get(i), tts.get(i + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
}

/// Tells whether the ident at `i` is itself behind a `::` (as `x::crate` never is, but
/// `a::super` would be nonsense); keeps `foo::pach::x` from counting as the crate.
fn preceded_by_path_sep(tts: &[TokenTree], i: usize) -> bool {
    i >= 2 && is_path_sep(tts, i - 2)
}

/// The first segment of every branch of a `use` tree group: `{a::X, b, self}` → a, b.
fn use_tree_heads(group: TokenStream) -> Vec<String> {
    let mut heads = Vec::new();
    let mut at_start = true;
    for tt in group {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => at_start = true,
            TokenTree::Ident(id) if at_start => {
                if id != "self" {
                    heads.push(id.to_string());
                }
                at_start = false;
            }
            _ => at_start = false,
        }
    }
    heads
}

/// Maps a name reached at the crate root to its top-level module: root re-exports (lib.rs
/// `pub use error::{Error, Result}`) belong to the module they come from.
fn top_module(name: &str, layers: &Layers) -> Option<String> {
    match name {
        "Error" | "Result" => Some("error".into()),
        n if layers.contains_key(n) => Some(n.into()),
        _ => None,
    }
}

/// Checks every reach against the layers; returns one line per violation.
fn violations(all: &[Reach], layers: &Layers) -> Vec<String> {
    let mut bad = Vec::new();
    for r in all {
        let own = r.from.split("::").next().unwrap_or("").to_string();
        let Some(to) = top_module(&r.to, layers) else {
            bad.push(format!(
                "{} line {}: `{}` reaches `{}`, which the layer map does not list",
                r.from, r.line, r.text, r.to
            ));
            continue;
        };
        if to == own {
            continue;
        }
        let Some(&from_rank) = layers.get(&own) else {
            bad.push(format!(
                "{} line {}: module `{own}` is not in the layer map of docs/ARCHITECTURE.md",
                r.from, r.line
            ));
            continue;
        };
        let to_rank = layers[&to];
        if to_rank >= from_rank {
            let how = if to_rank == from_rank {
                "a module of the same layer"
            } else {
                "a higher layer"
            };
            bad.push(format!(
                "{} line {}: `{}` reaches `{to}`, {how} (`{own}` is layer {from_rank}, `{to}` layer {to_rank})",
                r.from, r.line, r.text
            ));
        }
    }
    bad
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            source_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn doc_layers() -> Layers {
    let path = manifest_dir().join("docs/ARCHITECTURE.md");
    let doc = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    layers_from_doc(&doc).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_path_in_the_crate_runs_down_the_layers() {
    let layers = doc_layers();
    let src = manifest_dir().join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut all = Vec::new();
    let mut seen_top = BTreeSet::new();
    for f in &files {
        let rel = f.strip_prefix(&src).expect("under src");
        let module = module_of(rel);
        let text = std::fs::read_to_string(f).expect("source is UTF-8");
        let names: &[&str] = if module == "main" {
            &["pach", "crate"]
        } else {
            &["crate"]
        };
        let found = reaches(&module, &text, names)
            .unwrap_or_else(|e| panic!("cannot tokenize {}: {e}", f.display()));
        all.extend(found);
        if !module.is_empty() {
            seen_top.insert(module.split("::").next().unwrap_or("").to_string());
        }
    }
    assert!(
        all.len() > 100,
        "found only {} paths: is the scan broken?",
        all.len()
    );
    let mut bad = violations(&all, &layers);
    for m in &seen_top {
        if !layers.contains_key(m) {
            bad.push(format!(
                "module `{m}` is not in the layer map of docs/ARCHITECTURE.md"
            ));
        }
    }
    for m in layers.keys() {
        if !seen_top.contains(m) {
            bad.push(format!(
                "the layer map lists `{m}`, which src/ does not have"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} upward or unknown reach(es):\n  {}",
        bad.len(),
        bad.join("\n  ")
    );
}

/// The checker itself: an upward path is caught wherever it hides.
#[test]
fn an_upward_path_is_caught_in_a_use_a_body_a_macro_and_a_group() {
    let layers = layers_from_doc("x\n## Layers\n```text\ncli\nops\nrepo\nstore\n```\n").unwrap();
    let check = |module: &str, src: &str| {
        let r = reaches(module, src, &["crate"]).unwrap();
        violations(&r, &layers)
    };
    assert!(check("repo::add", "use crate::store::Store; use super::Repo;").is_empty());
    assert!(check("ops::run", "fn f() { crate::repo::x(); }").is_empty());
    for upward in [
        "use crate::ops::run;",
        "fn f() { let _ = crate::ops::run(); }",
        "fn f() { println!(\"{}\", crate::cli::NAME); }",
        "use crate::{store::Id, ops::Plan};",
        "struct S(crate::ops::Plan);",
        "#[cfg(test)] mod tests { use crate::cli::Cli; }",
        "mod a { fn f() { super::super::super::ops::x(); } }",
    ] {
        let bad = check("repo::add", upward);
        assert_eq!(bad.len(), 1, "not caught: {upward}: {bad:?}");
        assert!(bad[0].contains("higher layer"), "{}", bad[0]);
    }
    let same = check("store", "use crate::store::x; use crate::repo::y;");
    assert_eq!(same.len(), 1, "{same:?}");
    // Strings and comments are not paths.
    assert!(
        check(
            "store",
            "// crate::ops::x\nconst S: &str = \"crate::ops::x\";"
        )
        .is_empty()
    );
    let unknown = check("store", "use crate::nowhere::x;");
    assert!(unknown[0].contains("does not list"), "{unknown:?}");
}

/// The cli files of `src/cli/` (not `mod.rs`, which holds the shared `Context`).
fn cli_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    source_files(&manifest_dir().join("src/cli"), &mut files);
    files.retain(|f| !f.ends_with("mod.rs"));
    files
}

/// Finds, in a cli file, what a command must not do itself: reach the database, the store
/// or the runner (by path or through `Repo::db`, `db_mut`, `store`), or another cli file.
fn cli_shortcuts(source: &str, siblings: &BTreeSet<String>) -> Result<Vec<String>, String> {
    let tokens = TokenStream::from_str(source).map_err(|e| e.to_string())?;
    let mut bad = Vec::new();
    // The store's value types (ids, commits, run records) are what outcomes carry; the
    // store itself (`Store`, `Batch`, its modules) is not for a command to use.
    const VALUES: [&str; 7] = [
        "ObjectId",
        "EntryKind",
        "Author",
        "Commit",
        "ImageRef",
        "RunRecord",
        "CodeVersion",
    ];
    for r in reaches("cli::x", source, &["crate"])? {
        let item = r.text.rsplit("::").next().unwrap_or("");
        let value = r.to == "store" && VALUES.contains(&item);
        if ["db", "store", "runner"].contains(&r.to.as_str()) && !value {
            bad.push(format!("line {}: `{}`", r.line, r.text));
        }
    }
    shortcut_tokens(tokens, siblings, &mut bad);
    Ok(bad)
}

fn shortcut_tokens(tokens: TokenStream, siblings: &BTreeSet<String>, bad: &mut Vec<String>) {
    let tts: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tt) in tts.iter().enumerate() {
        match tt {
            TokenTree::Group(g) => shortcut_tokens(g.stream(), siblings, bad),
            TokenTree::Punct(p) if p.as_char() == '.' => {
                if let (Some(TokenTree::Ident(m)), Some(TokenTree::Group(args))) =
                    (tts.get(i + 1), tts.get(i + 2))
                    && args.delimiter() == Delimiter::Parenthesis
                    && ["db", "db_mut", "store"].contains(&m.to_string().as_str())
                {
                    bad.push(format!("line {}: `.{m}()`", m.span().start().line));
                }
            }
            TokenTree::Ident(id) if id == "super" || id == "cli" => {
                if is_path_sep(&tts, i + 1)
                    && let Some(TokenTree::Ident(next)) = tts.get(i + 3)
                    && siblings.contains(&next.to_string())
                {
                    bad.push(format!("line {}: `{id}::{next}`", id.span().start().line));
                }
            }
            _ => {}
        }
    }
}

#[test]
fn cli_files_call_one_op_and_never_each_other() {
    let files = cli_files();
    let siblings: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let mut bad = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("source is UTF-8");
        for b in cli_shortcuts(&text, &siblings).expect("tokenizes") {
            bad.push(format!("{}: {b}", f.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "cli files must hand the work to ops/repo and not reach the database, the store, the \
         runner or another cli file:\n  {}",
        bad.join("\n  ")
    );
    let siblings: BTreeSet<String> = ["run".to_string()].into();
    let caught = cli_shortcuts(
        "fn f(r: &Repo) { r.db().x(); let _ = crate::store::Store::x(); super::run::go(); \
         let _: crate::store::ObjectId = crate::store::ObjectId::of(b\"\"); }",
        &siblings,
    )
    .unwrap();
    assert_eq!(caught.len(), 3, "{caught:?}");
}

/// No source file grows past what one reader holds in mind.
#[test]
fn no_source_file_is_over_600_lines() {
    let src = manifest_dir().join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).ok()?.lines().count();
            (n > 600).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by topic: {}", long.join(", "));
}

/// docs/ARCHITECTURE.md stays true: its module table names every source file, either by
/// its path (`src/repo/add.rs`) or by its name in the row of its folder (`src/store/` …
/// `hash.rs`); a folder's `mod.rs` by the rows of its folder. Unit-test files (`tests.rs`)
/// are exempt.
#[test]
fn the_architecture_document_names_every_source_file() {
    let doc = std::fs::read_to_string(manifest_dir().join("docs/ARCHITECTURE.md"))
        .expect("docs/ARCHITECTURE.md");
    let src = manifest_dir().join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut missing = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(manifest_dir()).expect("under the crate");
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.ends_with("/tests.rs") || doc.contains(&format!("`{rel}`")) {
            continue;
        }
        // A folder's `mod.rs` is described by the rows of its folder.
        if let Some(dir) = rel.strip_suffix("mod.rs")
            && doc.contains(&format!("`{dir}"))
        {
            continue;
        }
        // A file in a folder row: some ancestor folder has a row that names the file.
        let name = rel.rsplit('/').next().unwrap_or("");
        let stem = name.trim_end_matches(".rs");
        let mut dir = rel.as_str();
        let mut named = false;
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            let row = doc.lines().find(|l| l.starts_with(&format!("| `{dir}/`")));
            if let Some(row) = row
                && (row.contains(&format!("`{name}`"))
                    || row.contains(&format!("`{stem}/`"))
                    || row.contains(&format!("`{stem}`")))
            {
                named = true;
                break;
            }
        }
        if !named {
            missing.push(rel);
        }
    }
    assert!(
        missing.is_empty(),
        "docs/ARCHITECTURE.md does not describe: {}",
        missing.join(", ")
    );
}
