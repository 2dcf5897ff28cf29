//! Datums: a glob splits each input's files into units of work, and the stage's `combine`
//! turns those units into datums, each with a key that changes whenever what its container
//! would see changes.
//!
//! Pure: works on a snapshot already read. Which datums are stale is decided by the caller,
//! by looking the keys up in the run cache.

use std::collections::BTreeMap;
use std::ops::Bound;

use regex::Regex;

use super::{Combine, Input, Stage, is_under};
use crate::snapshot::{FileEntry, FlatTree};
use crate::store::{EntryKind, ObjectId};

/// A Pachyderm-style glob over the entries under an input's path.
///
/// `/` makes the whole path one datum; `/*` one datum per top-level entry (file or
/// directory); `/*/*` one per second-level entry; `/(*).csv` one per top-level entry matching
/// `*.csv`, capturing the stem as `$1`. Segments hold literal text, `*` (any characters but
/// `/`), `?` (one character) and `(`…`)` capture groups (which may hold `*` and `?`). There is
/// no `**`, and `[`, `]`, `{`, `}` and `\` are reserved.
#[derive(Debug, Clone)]
pub struct Glob {
    pattern: String,
    depth: usize,
    groups: usize,
    regex: Regex,
}

impl PartialEq for Glob {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

impl Glob {
    /// Parses a glob pattern, which must start with `/`.
    pub fn parse(pattern: &str) -> Result<Glob, String> {
        let Some(body) = pattern.strip_prefix('/') else {
            return Err(format!("glob `{pattern}` must start with `/`"));
        };
        let mut re = String::from("^");
        let mut groups = 0;
        let mut depth = 0;
        if !body.is_empty() {
            for (k, segment) in body.split('/').enumerate() {
                if k > 0 {
                    re.push('/');
                }
                groups += compile_segment(segment, &mut re)
                    .map_err(|m| format!("glob `{pattern}`: {m}"))?;
                depth += 1;
            }
        }
        re.push('$');
        let regex = Regex::new(&re).map_err(|e| format!("glob `{pattern}`: {e}"))?;
        Ok(Glob {
            pattern: pattern.to_string(),
            depth,
            groups,
            regex,
        })
    }

    /// Returns the pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Returns how many path components an entry it matches has: `/` → 0, `/*` → 1, `/*/*` → 2.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Returns the number of capture groups, the highest `$N` a `join_on` may use.
    pub fn groups(&self) -> usize {
        self.groups
    }

    /// Matches a relative entry path of exactly `depth()` components (`"a/b"`, `""` for `/`).
    ///
    /// Returns the captures (`$1`, `$2`, …) on a match.
    pub fn captures(&self, rel: &str) -> Option<Vec<String>> {
        let caps = self.regex.captures(rel)?;
        Some(
            caps.iter()
                .skip(1)
                .map(|m| m.map_or_else(String::new, |m| m.as_str().to_string()))
                .collect(),
        )
    }
}

/// Appends the regex for one glob segment to `re`; returns its number of capture groups.
fn compile_segment(segment: &str, re: &mut String) -> Result<usize, String> {
    if segment.is_empty() {
        return Err("empty path segment".into());
    }
    if segment == "." || segment == ".." {
        return Err(format!("`{segment}` is not allowed"));
    }
    let (mut open, mut groups, mut prev) = (false, 0, '\0');
    for c in segment.chars() {
        match c {
            '*' if prev == '*' => return Err("`**` is not supported".into()),
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            '(' if open => return Err("nested `(`".into()),
            '(' => {
                open = true;
                groups += 1;
                re.push('(');
            }
            ')' if !open => return Err("`)` without `(`".into()),
            ')' => {
                open = false;
                re.push(')');
            }
            '[' | ']' | '{' | '}' | '\\' | '\0' => {
                return Err(format!("unsupported character `{}`", c.escape_default()));
            }
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
        prev = c;
    }
    if open {
        return Err("`(` without `)`".into());
    }
    Ok(groups)
}

/// Checks a `join_on` template against a glob with `groups` capture groups.
///
/// `$N` (1 ≤ N ≤ `groups`) stands for capture N; every `$` must start such a reference.
pub fn check_join_on(template: &str, groups: usize) -> Result<(), String> {
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        let digits: String = rest[at + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let n: usize = digits.parse().map_err(|_| {
            format!("`join_on = \"{template}\"`: `$` must be followed by a capture number")
        })?;
        if n == 0 || n > groups {
            return Err(format!(
                "`join_on = \"{template}\"` uses `${n}` but the glob has {groups} capture group(s)"
            ));
        }
        rest = &rest[at + 1 + digits.len()..];
    }
    Ok(())
}

/// Replaces every `$N` in `template` with capture N (missing captures become empty).
fn expand(template: &str, caps: &[String]) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits: String = rest[at + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        match digits.parse::<usize>() {
            Ok(n) => out.push_str(caps.get(n.wrapping_sub(1)).map_or("", String::as_str)),
            Err(_) => out.push('$'),
        }
        rest = &rest[at + 1 + digits.len()..];
    }
    out.push_str(rest);
    out
}

/// One input's share of a datum.
#[derive(Debug, Clone, PartialEq)]
pub struct DatumInput {
    /// The input's name.
    pub input: String,
    /// The matched entry, relative to the input path (`""` for glob `/`).
    pub root: String,
    /// Every file at or under `root`: (path relative to the input path, entry), sorted.
    ///
    /// When the input path is itself a file and the glob is `/`, its relative path is `""`.
    pub files: Vec<(String, FileEntry)>,
}

/// A unit of work: what one container run of a stage sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Datum {
    /// One element per input, in the stage's input order; exactly one for `union`.
    pub inputs: Vec<DatumInput>,
    /// Hash of the salt, each input's name and root, and every file's path, kind, exec bit
    /// and object id.
    pub key: ObjectId,
}

impl Datum {
    /// Returns a short id for people: the first 12 hex characters of the key.
    pub fn id(&self) -> String {
        self.key.short()
    }
}

/// One input's unit of work, with the glob's captures for joins.
struct Part {
    input: DatumInput,
    captures: Vec<String>,
}

/// Splits the stage's inputs at `snapshot` (project path → file) into datums.
///
/// `salt` is mixed into every key (the caller passes a hash of the stage definition and the
/// image ID). Cross: the cartesian product of the inputs' units (an input with none gives no
/// datums). Union: each unit of each input on its own, in input order. Join: units grouped by
/// `join_on` with `$N` replaced by captures; only values present in every input give datums,
/// one per combination. Cross and join datums are sorted by their inputs' roots. An input path
/// with no files yields no units; that is not an error here.
pub fn datums(stage: &Stage, snapshot: &FlatTree, salt: &ObjectId) -> Vec<Datum> {
    let parts: Vec<Vec<Part>> = stage.inputs.iter().map(|i| split(i, snapshot)).collect();
    let mut combos: Vec<Vec<&Part>> = match stage.combine {
        Combine::Cross => cross(&parts.iter().map(|p| p.iter().collect()).collect::<Vec<_>>()),
        Combine::Union => parts.iter().flatten().map(|p| vec![p]).collect(),
        Combine::Join => join(stage, &parts),
    };
    if stage.combine != Combine::Union {
        combos.sort_by(|a, b| {
            let roots = |c: &Vec<&Part>| c.iter().map(|p| p.input.root.clone()).collect::<Vec<_>>();
            roots(a).cmp(&roots(b))
        });
    }
    combos
        .into_iter()
        .map(|combo| {
            let inputs: Vec<DatumInput> = combo.into_iter().map(|p| p.input.clone()).collect();
            let key = datum_key(salt, &inputs);
            Datum { inputs, key }
        })
        .collect()
}

/// Splits one input's files into the units its glob matches, sorted by root.
fn split(input: &Input, snapshot: &FlatTree) -> Vec<Part> {
    let depth = input.glob.depth();
    let mut roots: BTreeMap<String, Vec<(String, FileEntry)>> = BTreeMap::new();
    let candidates = snapshot
        .range::<str, _>((Bound::Included(input.path.as_str()), Bound::Unbounded))
        .take_while(|(p, _)| p.starts_with(input.path.as_str()));
    for (path, entry) in candidates {
        if !is_under(path, &input.path) {
            continue;
        }
        let rel = path[input.path.len()..].trim_start_matches('/');
        if let Some(root) = leading_components(rel, depth) {
            let files = roots.entry(root.to_string()).or_default();
            files.push((rel.to_string(), *entry));
        }
    }
    roots
        .into_iter()
        .filter_map(|(root, files)| {
            let captures = input.glob.captures(&root)?;
            let input = DatumInput {
                input: input.name.clone(),
                root,
                files,
            };
            Some(Part { input, captures })
        })
        .collect()
}

/// Returns the first `depth` components of `rel`, or `None` when it has fewer.
fn leading_components(rel: &str, depth: usize) -> Option<&str> {
    if depth == 0 {
        return Some("");
    }
    if rel.is_empty() {
        return None;
    }
    match rel.match_indices('/').nth(depth - 1) {
        Some((at, _)) => Some(&rel[..at]),
        None if rel.split('/').count() == depth => Some(rel),
        None => None,
    }
}

/// Returns every combination taking one unit from each list, in lexicographic order.
fn cross<'a>(lists: &[Vec<&'a Part>]) -> Vec<Vec<&'a Part>> {
    if lists.is_empty() {
        return Vec::new();
    }
    let mut acc: Vec<Vec<&Part>> = vec![Vec::new()];
    for list in lists {
        acc = acc
            .iter()
            .flat_map(|combo| {
                list.iter().map(move |p| {
                    let mut next = combo.clone();
                    next.push(*p);
                    next
                })
            })
            .collect();
    }
    acc
}

/// Pairs the inputs' units whose expanded `join_on` values are equal (an inner join).
fn join<'a>(stage: &Stage, parts: &'a [Vec<Part>]) -> Vec<Vec<&'a Part>> {
    let by_value: Vec<BTreeMap<String, Vec<&Part>>> = stage
        .inputs
        .iter()
        .zip(parts)
        .map(|(input, units)| {
            let template = input.join_on.as_deref().unwrap_or("");
            let mut groups: BTreeMap<String, Vec<&Part>> = BTreeMap::new();
            for unit in units {
                groups
                    .entry(expand(template, &unit.captures))
                    .or_default()
                    .push(unit);
            }
            groups
        })
        .collect();
    let Some(first) = by_value.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for value in first.keys() {
        let lists: Option<Vec<Vec<&Part>>> =
            by_value.iter().map(|g| g.get(value).cloned()).collect();
        if let Some(lists) = lists {
            out.extend(cross(&lists));
        }
    }
    out
}

/// Hashes a datum's inputs with an unambiguous, length-prefixed encoding.
fn datum_key(salt: &ObjectId, inputs: &[DatumInput]) -> ObjectId {
    fn put_len(h: &mut blake3::Hasher, n: usize) {
        h.update(&(n as u64).to_le_bytes());
    }
    fn put_str(h: &mut blake3::Hasher, s: &str) {
        put_len(h, s.len());
        h.update(s.as_bytes());
    }
    let mut h = blake3::Hasher::new();
    h.update(b"pach-datum 1\n");
    h.update(salt.as_bytes());
    put_len(&mut h, inputs.len());
    for input in inputs {
        put_str(&mut h, &input.input);
        put_str(&mut h, &input.root);
        put_len(&mut h, input.files.len());
        for (rel, entry) in &input.files {
            put_str(&mut h, rel);
            let kind = match entry.kind {
                EntryKind::File => 0u8,
                EntryKind::Dir => 1,
                EntryKind::Symlink => 2,
            };
            h.update(&[kind, u8::from(entry.exec)]);
            h.update(entry.id.as_bytes());
        }
    }
    ObjectId::from_hash(h.finalize())
}

#[cfg(test)]
mod tests;
