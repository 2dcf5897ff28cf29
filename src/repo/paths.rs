//! Project paths: turning what the user typed into a safe, relative, `/`-separated path, and
//! the rules for names and symlink targets that keep every path inside the project.
//!
//! Decision (docs/FORMAT.md): names are UTF-8. Any UTF-8 name round-trips byte for byte,
//! spaces, newlines and leading dashes included; a name that is not UTF-8 is refused with an
//! error naming it, on `add` and on `checkout`.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Returns `arg` (relative to `cwd`) as a project path (`""` for the root itself).
///
/// Refuses paths outside the project, inside `.pach/` or `.git/`, names that are not UTF-8,
/// and paths that pass through a symlink (which would lead somewhere else).
pub fn resolve(root: &Path, cwd: &Path, arg: &Path) -> Result<String> {
    let shown = arg.to_string_lossy().into_owned();
    let bad = |reason: &str| Error::BadPath {
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

/// Checks one path component read from a tree or the file system.
pub fn validate_name(name: &str) -> std::result::Result<(), &'static str> {
    if name.is_empty() || name == "." || name == ".." {
        return Err("empty, `.` or `..`");
    }
    if name.contains('/') || name.contains('\0') {
        return Err("contains `/` or NUL");
    }
    Ok(())
}

/// Tells whether a symlink at project path `link` with target `target` stays in the project.
pub fn is_safe_link_target(link: &str, target: &str) -> bool {
    if target.is_empty() || target.starts_with('/') || target.contains('\0') {
        return false;
    }
    let mut depth: Vec<&str> = link.split('/').collect();
    depth.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if depth.pop().is_none() {
                    return false;
                }
            }
            p => depth.push(p),
        }
    }
    !matches!(depth.first(), Some(&".pach") | Some(&".git"))
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
        std::os::unix::fs::symlink("/etc", root.join("data/etc")).unwrap();
        let e = r("", "data/etc/passwd").unwrap_err().to_string();
        assert!(e.contains("passes through the symlink `data/etc`"), "{e}");
    }

    #[test]
    fn link_targets_that_leave_the_project_are_unsafe() {
        assert!(is_safe_link_target("a/b", "c"));
        assert!(is_safe_link_target("a/b", "../c"));
        assert!(!is_safe_link_target("a/b", "../../c"));
        assert!(!is_safe_link_target("a", "/etc/passwd"));
        assert!(!is_safe_link_target("a", ".pach/objects"));
        assert!(!is_safe_link_target("a", ""));
    }
}
