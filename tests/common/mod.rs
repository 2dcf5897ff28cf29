//! Shared test support: a temporary project and a `pach` command with a fixed environment.
//!
//! Every command runs with a temp `HOME`, no colour, a fixed author and clock, and with the
//! machine's git configuration hidden, so output is byte-stable and nothing leaks in.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use std::process::Command as StdCommand;

use assert_cmd::Command;

/// Says that a test skipped and why, where `cargo test` shows it: libtest captures the
/// output of `println!` and `eprintln!` of passing tests, not writes to the stderr handle.
pub fn skip(why: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {why}");
}

/// A temporary directory holding a pach project (or about to).
pub struct TestRepo {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

/// Returns the path of the built `pach` binary.
pub fn pach_bin() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("pach")
}

/// Applies the fixed test environment to any command.
pub fn fix_env(cmd: &mut std::process::Command, home: &Path) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("GIT_") || k.starts_with("PACH_") || k == "NO_COLOR" {
            cmd.env_remove(&k);
        }
    }
    cmd.env("HOME", home)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .env("PACH_AUTHOR_NAME", "Test")
        .env("PACH_AUTHOR_EMAIL", "test@example.com")
        .env("PACH_AUTHOR_DATE", "1700000000")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
}

impl TestRepo {
    /// Returns an empty temp directory (no `pach init`).
    pub fn new() -> TestRepo {
        let tmp = tempfile::tempdir().expect("create temp dir");
        let base = tmp.path().canonicalize().expect("canonical temp dir");
        std::fs::create_dir_all(base.join("home")).expect("create home");
        let dir = base.join("proj");
        std::fs::create_dir_all(&dir).expect("create project dir");
        TestRepo { tmp, dir }
    }

    /// Returns a temp directory with `pach init` already run.
    pub fn init() -> TestRepo {
        let r = TestRepo::new();
        r.pach(["init"]).assert().success();
        r
    }

    /// Returns a project in `dir` (which must exist), sharing nothing with a temp dir.
    pub fn at(dir: &Path) -> TestRepo {
        let tmp = tempfile::tempdir().expect("create temp dir");
        std::fs::create_dir_all(tmp.path().join("home")).expect("create home");
        TestRepo {
            tmp,
            dir: dir.to_path_buf(),
        }
    }

    /// Returns the project directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Returns the temp directory that holds the project and the fake HOME.
    pub fn base(&self) -> &Path {
        self.tmp.path()
    }

    /// Returns the fake HOME.
    pub fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    /// Returns `.pach/` of the project.
    pub fn pach_dir(&self) -> PathBuf {
        self.dir.join(".pach")
    }

    /// Returns a `pach` command run in the project directory.
    pub fn pach<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.pach_in(&self.dir, args)
    }

    /// Returns a `pach` command run in `cwd`.
    pub fn pach_in<I, S>(&self, cwd: &Path, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut std_cmd = std::process::Command::new(pach_bin());
        std_cmd.current_dir(cwd).args(args);
        fix_env(&mut std_cmd, &self.home());
        Command::from_std(std_cmd)
    }

    /// Returns a plain `std` `pach` command (for spawning and killing).
    pub fn pach_std<I, S>(&self, args: I) -> std::process::Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = std::process::Command::new(pach_bin());
        c.current_dir(&self.dir).args(args);
        fix_env(&mut c, &self.home());
        c
    }

    /// Returns a `git` command in the project directory with the test environment.
    pub fn git<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = std::process::Command::new("git");
        c.current_dir(&self.dir)
            .args(["-c", "user.name=x", "-c", "user.email=y@z"])
            .args(args);
        fix_env(&mut c, &self.home());
        Command::from_std(c)
    }

    /// Runs pach and returns stdout, asserting success.
    pub fn ok<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let out = self.pach(args).assert().success().get_output().clone();
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs pach with `--json` output already in `args` and parses stdout.
    pub fn json<I, S>(&self, args: I) -> serde_json::Value
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let s = self.ok(args);
        serde_json::from_str(&s).unwrap_or_else(|e| panic!("bad JSON ({e}): {s}"))
    }

    /// Writes a file (creating parent directories).
    pub fn write(&self, rel: impl AsRef<Path>, content: impl AsRef<[u8]>) {
        let p = self.dir.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("create parents");
        }
        std::fs::write(&p, content).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
    }

    /// Writes a file and waits out pach's racy margin (20 ms), as a file written by hand
    /// would be: an `add` within the margin of the write leaves the entry racily clean, and a
    /// checkout then rightly copies the file whole instead of resizing it in place, which is
    /// what the tests asserting the in-place path look at.
    pub fn write_settled(&self, rel: impl AsRef<Path>, content: impl AsRef<[u8]>) {
        self.write(rel, content);
        std::thread::sleep(std::time::Duration::from_millis(30));
    }

    /// Reads a file of the working tree.
    pub fn read(&self, rel: impl AsRef<Path>) -> Vec<u8> {
        let p = self.dir.join(rel);
        std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
    }

    /// Reads a file of the working tree as text.
    pub fn read_str(&self, rel: impl AsRef<Path>) -> String {
        String::from_utf8(self.read(rel)).expect("utf-8 file")
    }

    /// Tells whether a path exists (without following a final symlink).
    pub fn exists(&self, rel: impl AsRef<Path>) -> bool {
        self.dir.join(rel).symlink_metadata().is_ok()
    }

    /// Sets the mtime of a file.
    pub fn set_mtime(&self, rel: impl AsRef<Path>, t: SystemTime) {
        set_mtime(&self.dir.join(rel), t);
    }

    /// Adds and commits the given files; returns the new commit id.
    pub fn commit_files(&self, msg: &str, files: &[(&str, &str)]) -> String {
        for (p, c) in files {
            self.write(p, c);
        }
        let paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        let mut args = vec!["add"];
        args.extend(&paths);
        self.pach(args).assert().success();
        self.commit(msg)
    }

    /// Commits what is staged; returns the new commit id.
    pub fn commit(&self, msg: &str) -> String {
        let v = self.json(["commit", "--json", "-m", msg]);
        v["id"].as_str().expect("commit id").to_string()
    }

    /// Returns the id of HEAD.
    pub fn head(&self) -> String {
        let v = self.json(["log", "--json", "-n", "1"]);
        v[0]["id"].as_str().expect("head id").to_string()
    }

    /// Returns the ids of every object file in the store, sorted.
    pub fn objects(&self) -> Vec<String> {
        let mut out = Vec::new();
        let dir = self.pach_dir().join("objects");
        for fan in std::fs::read_dir(&dir).expect("read objects") {
            let fan = fan.expect("fan entry");
            for obj in std::fs::read_dir(fan.path()).expect("read fan") {
                let obj = obj.expect("obj entry");
                out.push(format!(
                    "{}{}",
                    fan.file_name().to_string_lossy(),
                    obj.file_name().to_string_lossy()
                ));
            }
        }
        out.sort();
        out
    }

    /// Returns the path of an object file.
    pub fn object_path(&self, id: &str) -> PathBuf {
        self.pach_dir()
            .join("objects")
            .join(&id[..2])
            .join(&id[2..])
    }

    /// Returns the names in `.pach/tmp`.
    /// Lists temp files under `.pach/tmp` (in its shard directories too).
    pub fn tmp_files(&self) -> Vec<String> {
        let tmp = self.pach_dir().join("tmp");
        let mut v: Vec<String> = walkdir::WalkDir::new(&tmp)
            .into_iter()
            .map(|e| e.expect("tmp entry"))
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(&tmp)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        v.sort();
        v
    }

    /// Returns every file of the working tree (outside `.pach/`) with its content or link target.
    pub fn worktree(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        walk(&self.dir, &self.dir, &mut out);
        out
    }

    /// Captures everything a failed command must leave alone.
    pub fn snapshot(&self) -> Snapshot {
        let mut status = self.json(["status", "--json"]);
        status
            .as_object_mut()
            .expect("status object")
            .remove("files_hashed");
        let log = self.pach(["log", "--json"]).output().expect("run pach log");
        Snapshot {
            objects: self.objects(),
            tmp: self.tmp_files(),
            branches: self.ok(["branch", "--json"]),
            tags: self.ok(["tag", "--json"]),
            log: String::from_utf8_lossy(&log.stdout).into_owned(),
            status,
            worktree: self.worktree(),
        }
    }

    /// Asserts that nothing changed since `before`.
    pub fn assert_unchanged(&self, before: &Snapshot) {
        let now = self.snapshot();
        assert_eq!(before.objects, now.objects, "object store changed");
        assert_eq!(before.tmp, now.tmp, ".pach/tmp changed");
        assert_eq!(before.branches, now.branches, "branches changed");
        assert_eq!(before.tags, now.tags, "tags changed");
        assert_eq!(before.log, now.log, "history changed");
        assert_eq!(before.status, now.status, "status changed");
        assert_eq!(before.worktree, now.worktree, "working tree changed");
    }
}

/// State of a project, for "nothing changed" assertions.
#[derive(Debug)]
pub struct Snapshot {
    pub objects: Vec<String>,
    pub tmp: Vec<String>,
    pub branches: String,
    pub tags: String,
    pub log: String,
    pub status: serde_json::Value,
    pub worktree: BTreeMap<PathBuf, Vec<u8>>,
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd {
        let e = e.expect("dir entry");
        let p = e.path();
        let rel = p.strip_prefix(root).expect("under root").to_path_buf();
        if rel == Path::new(".pach") || rel == Path::new(".git") {
            continue;
        }
        let ft = e.file_type().expect("file type");
        if ft.is_dir() {
            walk(root, &p, out);
        } else if ft.is_symlink() {
            let t = std::fs::read_link(&p).expect("read link");
            let mut v = b"symlink:".to_vec();
            v.extend(t.as_os_str().as_encoded_bytes());
            out.insert(rel, v);
        } else if ft.is_file() {
            out.insert(
                rel,
                std::fs::read(&p).unwrap_or_else(|_| b"<unreadable>".to_vec()),
            );
        } else {
            out.insert(rel, b"<special>".to_vec());
        }
    }
}

/// Sets the mtime of a file (not following a final symlink is not needed here).
pub fn set_mtime(p: &Path, t: SystemTime) {
    let f = std::fs::File::options()
        .write(true)
        .open(p)
        .unwrap_or_else(|e| panic!("open {}: {e}", p.display()));
    f.set_modified(t).expect("set mtime");
}

/// Returns a time `secs` seconds after the epoch.
pub fn epoch(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// Tells whether the tests run as root (where permissions do not stop reads).
pub fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Returns stderr of an assert as text.
pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Returns stdout of an assert as text.
pub fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// A tiny deterministic random generator (no rand crate).
pub struct Lcg(pub u64);

impl Lcg {
    /// Returns the next value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Returns the `(path, kind)` pairs of a JSON list of changes (`status --json` sections,
/// `diff --json`'s `changes`).
pub fn change_list(v: &serde_json::Value, section: &str) -> Vec<(String, String)> {
    v[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["path"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A small tmpfs mounted on a directory, unmounted on drop.
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    pub fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let st = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .ok()?;
        st.success().then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the filesystem holding `dir` until a write fails; returns the filler's path.
pub fn fill_disk(dir: &Path) -> PathBuf {
    use std::io::Write;
    let p = dir.join("filler");
    let mut f = std::fs::File::create(&p).unwrap();
    let block = vec![0xa5u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.sync_all();
    p
}

/// `n` MiB of bytes that differ with `seed`.
pub fn mib(n: usize, seed: u8) -> Vec<u8> {
    (0..n << 20)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 12) as u8)
        .collect()
}

/// Fills the disk of `dir` but for about `free` bytes.
pub fn fill_but(dir: &Path, free: u64) -> PathBuf {
    let filler = fill_disk(dir);
    let len = std::fs::metadata(&filler).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .unwrap()
        .set_len(len.saturating_sub(free))
        .unwrap();
    filler
}

/// `n` MiB of bytes that do not repeat (so every content-defined chunk differs).
pub fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n << 20)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

/// Writes `data/big.bin` and commits it.
pub fn commit_big(r: &TestRepo, bytes: &[u8], msg: &str) {
    r.write_settled("data/big.bin", bytes);
    r.pach(["add", "data"]).assert().success();
    r.pach(["commit", "-m", msg]).assert().success();
}

/// Every file under `dir` (recursively) whose bytes contain `needle`: how the purge tests
/// prove that no byte of a marker is left in a store, a remote or a clone.
pub fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            bytes.windows(needle.len()).any(|w| w == needle)
        })
        .map(|e| e.path().to_path_buf())
        .collect()
}
