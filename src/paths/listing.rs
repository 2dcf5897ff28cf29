//! Listing one directory from its open descriptor: the names in it that a caller keeps, each
//! as a project path with whether it is a directory. `status`'s scan and the `.gitignore`
//! sync both list every tracked directory this way (one `getdents` pass; a `statat` only
//! where the file system does not say the entry's type).

use rustix::fd::AsFd;
use rustix::fs::{AtFlags, FileType};

/// The entries of the open directory `fd` (project path `dir`, `""` for the root) that
/// `keep` accepts (given the name and whether it is a directory), as (project path, is a
/// directory); `.` and `..` are never listed, and a name that is not UTF-8 is spelled
/// lossily. An entry `keep` refuses costs no allocation.
pub fn list_dir(
    fd: impl AsFd,
    dir: &str,
    keep: impl Fn(&str, bool) -> bool,
) -> rustix::io::Result<Vec<(String, bool)>> {
    let fd = fd.as_fd();
    let mut out = Vec::new();
    for ent in rustix::fs::Dir::read_from(fd)? {
        let ent = ent?;
        let name = ent.file_name().to_string_lossy();
        if name == "." || name == ".." {
            continue;
        }
        let is_dir = match ent.file_type() {
            FileType::Directory => true,
            FileType::Unknown => rustix::fs::statat(fd, ent.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Directory),
            _ => false,
        };
        if !keep(&name, is_dir) {
            continue;
        }
        let rel = if dir.is_empty() {
            name.into_owned()
        } else {
            format!("{dir}/{name}")
        };
        out.push((rel, is_dir));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_kept_names_with_their_kind_and_never_dot_entries() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("sub")).unwrap();
        std::fs::write(tmp.path().join("a"), "").unwrap();
        std::fs::write(tmp.path().join("skip"), "").unwrap();
        std::os::unix::fs::symlink("sub", tmp.path().join("link")).unwrap();
        let fd = std::fs::File::open(tmp.path()).unwrap();
        let mut got = list_dir(&fd, "d", |n, _| n != "skip").unwrap();
        got.sort();
        let want = [("d/a", false), ("d/link", false), ("d/sub", true)];
        let want: Vec<(String, bool)> = want.iter().map(|(p, d)| (p.to_string(), *d)).collect();
        assert_eq!(
            got, want,
            "a symlink to a directory is not a directory here"
        );
        let fd = std::fs::File::open(tmp.path()).unwrap();
        let root: Vec<String> = list_dir(&fd, "", |_, _| true)
            .unwrap()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert!(root.contains(&"sub".to_string()), "{root:?}");
    }
}
