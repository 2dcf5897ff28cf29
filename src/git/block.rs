//! The block pach manages in a project's `.gitignore`: which anchored paths it holds (the
//! narrowest that cover what pach tracks and hold nothing git must see), and how it is put
//! into, replaced in and stripped from the file's text without touching any other line.

use std::collections::BTreeMap;

/// The first line of the block.
pub const BEGIN: &str = "# >>> pach: paths pach tracks (managed by pach; do not edit inside) >>>";
/// The last line of the block.
pub const END: &str = "# <<< pach <<<";
/// The line `pach init` adds outside the block (pach's own too, for the dirty flag).
pub const PACH_DIR_LINE: &str = "/.pach/";

/// What the block should hold, and what it cannot.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The anchored ignore lines, sorted (`/data/`, `/models/a.bin`).
    pub lines: Vec<String>,
    /// Paths pach tracks that git tracks too: left to git, each worth a warning.
    pub both: Vec<String>,
    /// The topmost directories holding files git tracks beside files pach tracks (with a
    /// trailing `/`): listed file by file, worth a message.
    pub mixed: Vec<String>,
}

/// Tells whether git must always see a project path, whoever tracks it: `pach.toml` and
/// the ignore files (`.pachignore`, `.gitignore`) at any depth.
pub fn kept_for_git(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path == "pach.toml" || name == ".pachignore" || name == ".gitignore"
}

/// A directory of the tree the plan is made from.
#[derive(Default)]
struct Dir<'a> {
    /// Files directly inside: `true` when git should ignore the file.
    files: BTreeMap<&'a str, bool>,
    dirs: BTreeMap<&'a str, Dir<'a>>,
    /// Something under it should be ignored.
    ignorable: bool,
    /// Something under it git must see (git tracks it, or pach does not).
    visible: bool,
    /// Something under it is tracked by git.
    git: bool,
}

impl<'a> Dir<'a> {
    /// Records a file at `path` (relative to this directory); `git`: git tracks it.
    fn insert(&mut self, path: &'a str, ignorable: bool, git: bool) {
        self.ignorable |= ignorable;
        self.visible |= !ignorable;
        self.git |= git;
        match path.split_once('/') {
            Some((head, rest)) => self
                .dirs
                .entry(head)
                .or_default()
                .insert(rest, ignorable, git),
            None => {
                let e = self.files.entry(path).or_insert(ignorable);
                *e &= ignorable;
            }
        }
    }

    /// Appends the ignore lines of everything below, `prefix` being this directory's path
    /// with a trailing slash (empty at the root): a subdirectory with nothing git must see
    /// becomes one line, any other is looked into. The topmost directories mixing files of
    /// git and of pach go to `mixed` (none below one already there).
    fn emit(&self, prefix: &str, out: &mut Vec<String>, mixed: &mut Vec<String>, report: bool) {
        for (name, d) in &self.dirs {
            if !d.ignorable {
                continue;
            }
            let path = format!("{prefix}{name}");
            match (d.visible, escape(&path)) {
                (false, Some(p)) => out.push(format!("/{p}/")),
                _ => {
                    let here = report && d.git;
                    if here {
                        mixed.push(format!("{path}/"));
                    }
                    d.emit(&format!("{path}/"), out, mixed, report && !here)
                }
            }
        }
        for (name, ignorable) in &self.files {
            if let (true, Some(p)) = (ignorable, escape(&format!("{prefix}{name}"))) {
                out.push(format!("/{p}"));
            }
        }
    }
}

/// Plans the block from the paths pach tracks (`pach`), the files in the working tree that
/// pach does not track (`others`) and the paths git tracks (`git`), all project paths.
pub fn plan<'a>(
    pach: impl IntoIterator<Item = &'a str>,
    others: impl IntoIterator<Item = &'a str>,
    git: &'a std::collections::BTreeSet<String>,
) -> Plan {
    let mut root = Dir::default();
    let mut both = Vec::new();
    for p in pach {
        let in_git = git.contains(p);
        if in_git && !kept_for_git(p) {
            both.push(p.to_string());
        }
        root.insert(p, !in_git && !kept_for_git(p), in_git);
    }
    for p in others {
        root.insert(p, false, false);
    }
    for p in git {
        root.insert(p, false, true);
    }
    let (mut lines, mut mixed) = (Vec::new(), Vec::new());
    root.emit("", &mut lines, &mut mixed, true);
    lines.sort();
    Plan { lines, both, mixed }
}

/// Escapes a path for a gitignore pattern (`\`, `*`, `?`, `[` and trailing spaces);
/// `None` for a name a pattern line cannot hold (a line break).
fn escape(path: &str) -> Option<String> {
    if path.contains(['\n', '\r']) {
        return None;
    }
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '\\' | '*' | '?' | '[') {
            out.push('\\');
        }
        out.push(c);
    }
    let body = out.trim_end_matches(' ');
    let spaces = out.len() - body.len();
    Some(format!("{body}{}", "\\ ".repeat(spaces)))
}

/// Renders the block holding `lines`; empty when there are none (no block at all).
pub fn render(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut s = format!("{BEGIN}\n");
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s.push_str(END);
    s.push('\n');
    s
}

/// Returns the byte range of the block in `text` (its first line through its last line's
/// newline); `Ok(None)` without one; an error when a begin marker has no end marker.
fn find(text: &str) -> Result<Option<(usize, usize)>, String> {
    let mut at = 0;
    let mut begin = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if begin.is_none() && bare.starts_with("# >>> pach") {
            begin = Some(at);
        } else if let (Some(b), true) = (begin, bare.starts_with("# <<< pach")) {
            return Ok(Some((b, at + line.len())));
        }
        at += line.len();
    }
    match begin {
        Some(_) => Err(format!(
            "pach's block has a begin line (`{BEGIN}`) but no end line (`{END}`)"
        )),
        None => Ok(None),
    }
}

/// Returns `text` with its block replaced by `block` (added at the end when there is none,
/// removed when `block` is empty), every other byte as it was.
pub fn replace(text: &str, block: &str) -> Result<String, String> {
    Ok(match find(text)? {
        Some((b, e)) => format!("{}{block}{}", &text[..b], &text[e..]),
        None if block.is_empty() => text.to_string(),
        None => {
            let sep = if text.is_empty() || text.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            format!("{text}{sep}{block}")
        }
    })
}

/// Returns `text` without pach's own lines (the block and the `/.pach/` line) and without
/// trailing line breaks: two texts equal after this differ only in what pach wrote.
pub fn strip(text: &str) -> String {
    let without = match find(text) {
        Ok(Some((b, e))) => format!("{}{}", &text[..b], &text[e..]),
        _ => text.to_string(),
    };
    let kept: Vec<&str> = without
        .split_inclusive('\n')
        .filter(|l| l.trim_end() != PACH_DIR_LINE)
        .collect();
    kept.concat().trim_end_matches(['\n', '\r']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_directory_of_pach_files_collapses_and_mixed_ones_list_deeper() {
        let git = set(&["README.md", "models/train.py", "pach.toml"]);
        let p = plan(
            [
                "data/a.csv",
                "data/sub/b.csv",
                "models/a.bin",
                "models/deep/c.bin",
                "top.bin",
                "pach.toml",
                "models/train.py",
            ],
            ["notes/x.txt"],
            &git,
        );
        assert_eq!(
            p.lines,
            ["/data/", "/models/a.bin", "/models/deep/", "/top.bin"]
        );
        assert_eq!(p.both, ["models/train.py"]);
        assert_eq!(p.mixed, ["models/"]);
    }

    #[test]
    fn untracked_files_and_ignore_files_block_a_collapse() {
        let p = plan(
            ["d/a", "d/b", "e/a", "e/.pachignore"],
            ["d/junk"],
            &BTreeSet::new(),
        );
        assert_eq!(p.lines, ["/d/a", "/d/b", "/e/a"]);
        assert!(p.both.is_empty() && p.mixed.is_empty());
    }

    #[test]
    fn special_characters_are_escaped() {
        let p = plan(["a*b/x", "q?[r] ", "line\nbreak"], [], &BTreeSet::new());
        assert_eq!(p.lines, ["/a\\*b/", "/q\\?\\[r]\\ "]);
    }

    #[test]
    fn replace_keeps_every_other_byte_and_strip_sees_through_it() {
        let user = "# mine\ntarget\n\n*.log";
        let block = render(&["/data/".to_string()]);
        let with = replace(user, &block).unwrap();
        assert_eq!(with, format!("{user}\n{block}"));
        let moved = format!("{with}after\n");
        let smaller = replace(&moved, &render(&["/x".to_string()])).unwrap();
        assert_eq!(smaller, format!("{user}\n{BEGIN}\n/x\n{END}\nafter\n"));
        assert_eq!(replace(&smaller, "").unwrap(), format!("{user}\nafter\n"));
        assert_eq!(strip(&smaller), strip(&format!("{user}\nafter\n/.pach/\n")));
        assert_eq!(strip(&with), user);
        assert!(replace(&format!("{BEGIN}\n/x\n"), "").is_err());
        assert_eq!(replace("", "").unwrap(), "");
    }
}
