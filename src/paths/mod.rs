//! Project paths: the one place that knows what a path inside a project may be.
//!
//! A project path is relative, `/`-separated UTF-8 with no empty, `.` or `..` component
//! (`""` is the root). This module turns what a user typed into one ([`resolve`]), checks the
//! paths `pach.toml` names ([`normalise`]), joins and compares them ([`join`], [`is_under`],
//! [`overlaps`]), and holds the rules that keep every path inside the project: the rule for
//! one name ([`validate_name`], git's `verify_path` with its NTFS and HFS+ protections) and
//! the rules for symlinks ([`is_safe_link_target`], [`check_links`]).
//!
//! Decision (docs/FORMAT.md): names are UTF-8. Any UTF-8 name round-trips byte for byte,
//! spaces, newlines and leading dashes included; a name that is not UTF-8 is refused with an
//! error naming it, on `add` and on `checkout`.
//!
//! A leaf module: it imports nothing from the crate, so the store can enforce the name rule
//! when it decodes a tree and every layer above can use the rest.

mod links;
mod listing;
mod names;

pub use links::{Known, UnsafeLink, check_links, is_safe_link_target};
pub use listing::list_dir;
pub use names::{validate_component, validate_name};

use std::path::{Component, Path, PathBuf};

/// A path the user gave that is not a safe project path, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid path `{path}`: {reason}")]
pub struct BadPath {
    pub path: String,
    pub reason: String,
}

/// Tells whether project path `path` is `prefix` or lies under it (`""` contains everything).
pub fn is_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.len() > prefix.len()
            && path.starts_with(prefix)
            && path.as_bytes()[prefix.len()] == b'/')
}

/// Tells whether one of two project paths is at or under the other.
pub fn overlaps(a: &str, b: &str) -> bool {
    is_under(a, b) || is_under(b, a)
}

/// Joins two project paths, either of which may be the root (`""`).
pub fn join(base: &str, rel: &str) -> String {
    match (base.is_empty(), rel.is_empty()) {
        (true, _) => rel.to_string(),
        (_, true) => base.to_string(),
        _ => format!("{base}/{rel}"),
    }
}

/// Checks a project path written in a file (such as `pach.toml`) and returns it without a
/// trailing `/`; the error says what is wrong with it.
pub fn normalise(raw: &str) -> Result<String, &'static str> {
    if raw.starts_with('/') {
        return Err("must be relative to the project root, not absolute");
    }
    if raw.contains("//") {
        return Err("contains `//`");
    }
    let path = raw.strip_suffix('/').unwrap_or(raw);
    if path.is_empty() {
        return Err("must name a path inside the project, not its root");
    }
    let first = path.split('/').next().unwrap_or(path);
    if first == ".pach" || first == ".git" {
        return Err("lies in `.pach` or `.git`");
    }
    for part in path.split('/') {
        validate_name(part)?;
    }
    Ok(path.to_string())
}

/// Returns `arg` (relative to `cwd`) as a project path (`""` for the root itself).
///
/// Refuses paths outside the project, inside `.pach/` or `.git/`, names that are not UTF-8,
/// and paths that pass through a symlink (which would lead somewhere else).
pub fn resolve(root: &Path, cwd: &Path, arg: &Path) -> Result<String, BadPath> {
    let shown = arg.to_string_lossy().into_owned();
    let bad = |reason: &str| BadPath {
        path: shown.clone(),
        reason: reason.into(),
    };
    let abs = normalize(&cwd.join(arg)).ok_or_else(|| bad("is outside the project"))?;
    let rel = abs
        .strip_prefix(root)
        .map_err(|_| bad("is outside the project"))?;
    let mut parts = Vec::new();
    for c in rel.components() {
        let s = c
            .as_os_str()
            .to_str()
            .ok_or_else(|| bad("name is not valid UTF-8; pach stores UTF-8 names only"))?;
        parts.push(s);
    }
    if matches!(parts.first(), Some(&".pach") | Some(&".git")) {
        return Err(bad(
            "is inside `.pach/` or `.git/`, which pach never tracks",
        ));
    }
    for p in &parts {
        if let Err(why) = validate_name(p) {
            return Err(bad(&format!(
                "holds the name `{p}`, which pach refuses: {why}"
            )));
        }
    }
    let mut walk = root.to_path_buf();
    for (i, p) in parts.iter().enumerate() {
        walk.push(p);
        if i + 1 < parts.len()
            && walk
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(bad(&format!(
                "passes through the symlink `{}`",
                parts[..=i].join("/")
            )));
        }
    }
    Ok(parts.join("/"))
}

/// Resolves `.` and `..` without touching the filesystem; `None` if it climbs above `/`.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_keeps_paths_inside_the_project() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("data")).unwrap();
        let r = |cwd: &str, a: &str| resolve(&root, &root.join(cwd), Path::new(a));
        assert_eq!(r("", "data/x").unwrap(), "data/x");
        assert_eq!(r("data", "../y").unwrap(), "y");
        assert_eq!(r("data", ".").unwrap(), "data");
        assert_eq!(r("", ".").unwrap(), "");
        assert!(r("", "../x").is_err());
        assert!(r("", "/etc/passwd").is_err());
        assert!(r("", ".pach/objects").is_err());
        let e = r("", "data/.Git/config").unwrap_err().to_string();
        assert!(e.contains("`.Git`"), "{e}");
        std::os::unix::fs::symlink("/etc", root.join("data/etc")).unwrap();
        let e = r("", "data/etc/passwd").unwrap_err().to_string();
        assert!(e.contains("passes through the symlink `data/etc`"), "{e}");
    }

    #[test]
    fn is_under_respects_component_boundaries() {
        assert!(is_under("data/a", "data"));
        assert!(is_under("data", "data"));
        assert!(is_under("anything", ""));
        assert!(!is_under("database", "data"));
        assert!(!is_under("data", "data/a"));
        assert!(overlaps("data", "data/a") && overlaps("data/a", "data"));
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("a", ""), "a");
        assert_eq!(join("a", "b/c"), "a/b/c");
    }

    #[test]
    fn paths_in_files_are_normalised_or_refused() {
        assert_eq!(normalise("out/").unwrap(), "out");
        assert!(normalise("/abs").is_err());
        assert!(normalise("a//b").is_err());
        assert!(normalise("").is_err());
        assert!(normalise(".git/x").is_err());
        assert!(normalise("out/.GIT/hooks").is_err());
    }
}
