//! The rule for one path component, wherever it comes from: a tree (local, fetched, pulled or
//! cloned), the file system (`add`), a stage's outputs or `pach.toml`.
//!
//! The rule is git's own `verify_path` with both of its cross-platform protections on
//! (`core.protectNTFS` and `core.protectHFS`), applied to `.git` and to `.pach`: a name that
//! git would refuse on any platform never reaches a working tree, because a working tree may
//! be checked out on Windows or macOS later, where `.GIT`, `git~1`, `.git.` or `.g\u{200c}it`
//! all open the repository's own directory.

/// Unicode code points that HFS+ ignores when it compares names (git's `next_hfs_char`).
fn hfs_ignorable(c: char) -> bool {
    matches!(c,
        '\u{200c}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{206a}'..='\u{206f}' | '\u{feff}')
}

/// Tells whether HFS+ would take `name` for `.<word>` (case-insensitive, ignorables dropped).
fn is_hfs_dot(name: &str, word: &str) -> bool {
    let mut chars = name.chars().filter(|c| !hfs_ignorable(*c));
    chars.next() == Some('.')
        && chars
            .map(|c| c.to_ascii_lowercase())
            .eq(word.chars().map(|c| c.to_ascii_lowercase()))
}

/// Tells whether NTFS would take `piece` for `.<word>` or its 8.3 short name `<word>~1`:
/// any letter case, followed by nothing but dots and spaces, up to the end or an alternate
/// data stream (`:`), as git's `is_ntfs_dotgit` does.
fn is_ntfs_dot(piece: &str, word: &str) -> bool {
    let lower = piece.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix('.').and_then(|r| r.strip_prefix(word)) {
        r
    } else if let Some(r) = lower.strip_prefix(word).and_then(|r| r.strip_prefix("~1")) {
        r
    } else {
        return false;
    };
    let end = rest.find(':').unwrap_or(rest.len());
    rest[..end].chars().all(|c| c == '.' || c == ' ')
}

/// The part of [`validate_name`] that no pach has ever let into a tree: not empty, not `.`
/// or `..`, no `/` and no NUL. Decoding a tree enforces it; the `.git`/`.pach` forms are
/// refused wherever a tree meets the outside (fetch, checkout, add, stage outputs, fsck),
/// so a repository whose old commits hold such a name stays readable.
pub fn validate_component(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name == "." || name == ".." {
        return Err("empty, `.` or `..`");
    }
    if name.contains('/') || name.contains('\0') {
        return Err("contains `/` or NUL");
    }
    Ok(())
}

/// Checks one path component, returning why it is refused.
///
/// Refused: empty, `.`, `..`, anything with `/` or NUL, and every spelling that git's path
/// check refuses for `.git` on any platform, or that would be `.pach` the same ways: any
/// letter case (`.GIT`), NTFS short names (`GIT~1`), trailing dots and spaces (`.git. `),
/// alternate data streams (`.git::$INDEX_ALLOCATION`), HFS+ ignorable code points
/// (`.g\u{200c}it`), and names made only of dots and spaces (Windows drops trailing dots
/// and spaces, so `.. ` is `..` there). A backslash is a directory separator on Windows, so each part between
/// backslashes is checked the same way (`x\.git`, `a\..\b` are refused).
pub fn validate_name(name: &str) -> Result<(), &'static str> {
    validate_component(name)?;
    // Most names start with none of the letters the forms below need: decide them at once.
    let first = name.as_bytes()[0];
    if name.is_ascii() && !b".gGpP ".contains(&first) && !name.contains('\\') {
        return Ok(());
    }
    if is_hfs_dot(name, "git") || is_hfs_dot(name, "pach") {
        return Err("names `.git` or `.pach` (on a case-insensitive file system)");
    }
    for piece in name.split('\\') {
        if is_ntfs_dot(piece, "git") || is_ntfs_dot(piece, "pach") {
            return Err("names `.git` or `.pach` on Windows (NTFS)");
        }
        if !piece.is_empty() && piece.chars().all(|c| c == '.' || c == ' ') {
            return Err("is only dots and spaces, which Windows reads as `.` or `..`");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_every_spelling_of_git_and_pach() {
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a\0b",
            ".git",
            ".GIT",
            ".Git",
            ".git.",
            ".git ",
            ".git. . ",
            ".git::$INDEX_ALLOCATION",
            ".git:stream",
            "git~1",
            "GIT~1",
            "GiT~1. ",
            ".g\u{200c}it",
            "\u{feff}.git",
            ".gi\u{206f}t",
            ".G\u{200d}IT",
            ".pach",
            ".PACH",
            ".pach.",
            "pach~1",
            ".p\u{200e}ach",
            "x\\.git",
            "x\\GIT~1",
            "a\\..\\b",
            "...",
            ".. ",
            ". ",
        ] {
            assert!(validate_name(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn keeps_names_that_only_look_alike() {
        for good in [
            ".gitignore",
            ".gitattributes",
            ".github",
            ".git-data",
            ".gitx",
            "git",
            "git~2",
            "git~10",
            ".pachignore",
            "pach.toml",
            "pach",
            "x.git",
            "data.git.",
            "a b",
            "-x",
            "2024-01-01T10:00:00.csv",
            "a\\b",
            "\u{e9}t\u{e9}",
            "..a",
            "a..",
        ] {
            assert_eq!(validate_name(good), Ok(()), "{good:?} should be kept");
        }
    }
}
