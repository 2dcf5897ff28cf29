//! Symlinks of a snapshot: a target judged alone ([`is_safe_link_target`]) and every link
//! resolved through the others as the OS would ([`check_links`]).

use std::collections::{HashMap, VecDeque};

use super::validate_name;

/// Tells whether a symlink at project path `link` with target `target` stays in the project,
/// judging the target as text alone (a first check where the rest of the snapshot is not
/// known yet; [`check_links`] resolves through the snapshot's other links).
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
    depth.iter().all(|p| validate_name(p).is_ok())
}

/// The most symlinks one resolution may pass through, as Linux allows (`ELOOP` after 40).
const MAX_HOPS: usize = 40;

/// A symlink of a snapshot that would lead outside the project or into `.git/` or `.pach/`.
#[derive(Debug)]
pub struct UnsafeLink {
    pub path: String,
    pub target: String,
    pub reason: String,
}

/// What a snapshot holds at a path, as far as resolving links needs to know.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Known {
    File,
    Dir,
    Link,
}

/// Resolves every symlink of a snapshot the way the OS would, through the snapshot's other
/// symlinks (at most 40 hops), and refuses any that ends outside the project or inside
/// `.git/` or `.pach/`, that is absolute, or that climbs (`..`) out of a component the
/// snapshot does not have (in a working tree that could be anything, a symlink included).
///
/// `paths` lists the snapshot (every file and link; directories are implied), and
/// `target_of` reads a link's target. Costs nothing when the snapshot has no symlink.
pub fn check_links<'a, E>(
    paths: impl Iterator<Item = (&'a str, Known)> + Clone,
    mut target_of: impl FnMut(&str) -> std::result::Result<String, E>,
) -> std::result::Result<std::result::Result<(), UnsafeLink>, E> {
    if !paths.clone().any(|(_, k)| k == Known::Link) {
        return Ok(Ok(()));
    }
    let mut known: HashMap<&str, Known> = HashMap::new();
    let mut links = Vec::new();
    for (p, k) in paths {
        let mut d = p;
        while let Some(i) = d.rfind('/') {
            d = &d[..i];
            if known.insert(d, Known::Dir) == Some(Known::Dir) {
                break;
            }
        }
        known.insert(p, k);
        if k == Known::Link {
            links.push(p);
        }
    }
    let mut targets: HashMap<&str, String> = HashMap::new();
    for l in &links {
        targets.insert(l, target_of(l)?);
    }
    for l in links {
        if let Err(reason) = resolve_link(l, &known, &targets) {
            return Ok(Err(UnsafeLink {
                path: l.to_string(),
                target: targets[l].clone(),
                reason,
            }));
        }
    }
    Ok(Ok(()))
}

/// Follows the link at `link` to where it ends; `Err` says why it is unsafe.
fn resolve_link(
    link: &str,
    known: &HashMap<&str, Known>,
    targets: &HashMap<&str, String>,
) -> std::result::Result<(), String> {
    // The directory walked so far: (component, whether the snapshot has it).
    let mut dir: Vec<(String, bool)> = link.split('/').map(|c| (c.to_string(), true)).collect();
    dir.pop();
    let mut pending: VecDeque<String> = VecDeque::new();
    let mut hops = 0;
    let mut via = link.to_string();
    push_target(&mut pending, &targets[link], &via)?;
    while let Some(c) = pending.pop_front() {
        match c.as_str() {
            "" | "." => {}
            ".." => match dir.pop() {
                None => return Err(format!("`{via}` leads outside the project")),
                Some((name, false)) => {
                    return Err(format!(
                        "`..` after `{name}`, which the snapshot does not have, could lead anywhere"
                    ));
                }
                Some(_) => {}
            },
            name => {
                let path = dir
                    .iter()
                    .map(|d| d.0.as_str())
                    .chain([name])
                    .collect::<Vec<_>>()
                    .join("/");
                let here = known.get(path.as_str()).copied();
                if here == Some(Known::Link) {
                    hops += 1;
                    if hops > MAX_HOPS {
                        return Err(format!("passes through more than {MAX_HOPS} symlinks"));
                    }
                    via = path.clone();
                    let mut rest: VecDeque<String> = VecDeque::new();
                    push_target(&mut rest, &targets[path.as_str()], &via)?;
                    rest.extend(pending.drain(..));
                    pending = rest;
                } else {
                    if let Err(why) = validate_name(name) {
                        return Err(format!("leads to `{path}`, whose name is refused ({why})"));
                    }
                    dir.push((name.to_string(), here.is_some()));
                }
            }
        }
    }
    Ok(())
}

fn push_target(
    pending: &mut VecDeque<String>,
    target: &str,
    via: &str,
) -> std::result::Result<(), String> {
    if target.is_empty() || target.contains('\0') {
        return Err(format!("`{via}` has an empty target"));
    }
    if target.starts_with('/') {
        return Err(format!("`{via}` points to an absolute path"));
    }
    pending.extend(target.split('/').map(String::from));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_that_leave_the_project_are_unsafe() {
        assert!(is_safe_link_target("a/b", "c"));
        assert!(is_safe_link_target("a/b", "../c"));
        assert!(!is_safe_link_target("a/b", "../../c"));
        assert!(!is_safe_link_target("a", "/etc/passwd"));
        assert!(!is_safe_link_target("a", ".pach/objects"));
        assert!(!is_safe_link_target("a", ""));
        assert!(!is_safe_link_target("a", ".GIT/hooks"));
        assert!(!is_safe_link_target("d/a", "../git~1"));
    }

    fn check(files: &[(&str, Option<&str>)]) -> std::result::Result<(), String> {
        let targets: HashMap<&str, &str> = files
            .iter()
            .filter_map(|(p, t)| Some((*p, (*t)?)))
            .collect();
        let paths = files.iter().map(|(p, t)| {
            let k = if t.is_some() {
                Known::Link
            } else {
                Known::File
            };
            (*p, k)
        });
        check_links(paths, |p| Ok::<_, ()>(targets[p].to_string()))
            .unwrap()
            .map_err(|u| format!("{}: {}", u.path, u.reason))
    }

    #[test]
    fn link_chains_are_resolved_through_the_snapshot() {
        // Each target alone looks harmless; together `c` is the project's parent.
        let e = check(&[("a", Some(".")), ("b", Some("a/..")), ("c", Some("b/.."))]).unwrap_err();
        assert!(e.starts_with("b:") || e.starts_with("c:"), "{e}");
        assert!(e.contains("outside the project"), "{e}");
        assert!(check(&[("d/a", Some(".")), ("d/b", Some("a/.."))]).is_ok());
        let e = check(&[("d/a", Some(".")), ("d/b", Some("a/../..")), ("d/f", None)]).unwrap_err();
        assert!(e.contains("outside the project"), "{e}");
        // A link to a link that names `.git`.
        let e = check(&[("x", Some("y/hooks")), ("y", Some(".g\u{200c}it"))]).unwrap_err();
        assert!(e.contains("refused"), "{e}");
        // A loop is refused, not followed for ever.
        let e = check(&[("p", Some("q/x")), ("q", Some("p"))]).unwrap_err();
        assert!(e.contains("more than 40"), "{e}");
        // `..` out of something the snapshot does not have could be anything there.
        let e = check(&[("l", Some("nothere/../f")), ("f", None)]).unwrap_err();
        assert!(e.contains("does not have"), "{e}");
        assert!(check(&[("l", Some("dir/f")), ("dir/f", None)]).is_ok());
        assert!(check(&[("l", Some("sub/../f")), ("sub/x", None), ("f", None)]).is_ok());
        assert!(check(&[("l", Some("/etc"))]).is_err());
        assert!(check(&[("f", None)]).is_ok());
    }
}
