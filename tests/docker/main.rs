//! End-to-end tests of `pach run` against the local Docker engine (one test binary).
//!
//! Every test starts with [`require_docker`]: without a daemon the tests skip with a visible
//! message, or fail when `PACH_REQUIRE_DOCKER=1`. The image is built locally from a static
//! busybox (`examples/wordcount/build-image.sh`); nothing is pulled.

// Tests may unwrap: a panic is the failure report (STYLE.md: no `unwrap()` outside tests).
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod combine;
mod failures;
mod gitignore;
mod isolation;
mod leftovers;
mod logs;
mod make;
mod pipeline;
mod provenance;
mod purge;
mod safety;
mod two_clones;
mod verify;

use std::path::Path;
use std::process::Command as StdCommand;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::TestRepo;

/// The image every test stage runs.
pub const IMAGE: &str = "pach-test/busybox:1";

/// Tells whether Docker tests can run here; see the module docs.
pub fn require_docker() -> bool {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    let ready = READY.get_or_init(|| {
        let info = StdCommand::new("docker").arg("info").output();
        match info {
            Ok(o) if o.status.success() => {}
            Ok(o) => {
                return Err(format!(
                    "`docker info` failed: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
            }
            Err(e) => return Err(format!("cannot run `docker`: {e}")),
        }
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/wordcount/build-image.sh");
        let built = StdCommand::new("bash")
            .arg(&script)
            .arg(IMAGE)
            .env("PACH_NO_PULL", "1")
            .output();
        match built {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(format!(
                "building {IMAGE} failed: {}",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => Err(format!("cannot run {}: {e}", script.display())),
        }
    });
    match ready {
        Ok(()) => true,
        Err(why) if std::env::var_os("PACH_REQUIRE_DOCKER").is_some_and(|v| v == "1") => {
            panic!("PACH_REQUIRE_DOCKER=1 but Docker tests cannot run: {why}")
        }
        Err(why) => {
            common::skip(&format!("no Docker daemon ({why})"));
            false
        }
    }
}

/// The word-count pipeline of `examples/wordcount`, with `text` at `data/text`.
pub const WORDCOUNT: &str = r#"
[[stage]]
name = "count"
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "for f in /pach/in/text/*; do wc -w < $f > /pach/out/$(basename $f).n; done"]
output = "counts"
parallelism = 2
env = { LANG = "C" }
[[stage.input]]
name = "text"
path = "data/text"
glob = "/*"

[[stage]]
name = "total"
image = "pach-test/busybox:1"
cmd = ["sh", "-c", "cat /pach/in/counts/*.n | awk '{ s += $1 } END { print s }' > /pach/out/total.txt"]
output = "total"
[[stage.input]]
name = "counts"
path = "counts"
"#;

/// A one-stage pipeline named `count` over `data/text` (one datum per file) running `script`
/// with `sh -c`, outputs in `counts`, with `extra` lines added to the stage table.
pub fn one_stage(script: &str, extra: &str) -> String {
    format!(
        "[[stage]]\nname = \"count\"\nimage = \"{IMAGE}\"\ncmd = [\"sh\", \"-c\", {}]\noutput = \"counts\"\n{extra}\n[[stage.input]]\nname = \"text\"\npath = \"data/text\"\nglob = \"/*\"\n",
        toml_str(script)
    )
}

/// Quotes a string for TOML.
pub fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Makes a project with `pach.toml` and `files`, all committed; returns it.
pub fn project(toml: &str, files: &[(&str, &str)]) -> TestRepo {
    let repo = TestRepo::init();
    let mut all = vec![("pach.toml", toml)];
    all.extend_from_slice(files);
    repo.commit_files("inputs", &all);
    repo
}

/// Three small texts: 3, 2 and 1 words.
pub const TEXTS: &[(&str, &str)] = &[
    ("data/text/a.txt", "one two three\n"),
    ("data/text/b.txt", "four five\n"),
    ("data/text/c.txt", "six\n"),
];

/// Runs `pach run --json` (plus `args`), asserting success, and returns the outcome.
pub fn run_json(repo: &TestRepo, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["run", "--json"];
    a.extend_from_slice(args);
    repo.json(a)
}

/// Returns the report of `stage` in a run outcome.
pub fn stage<'a>(out: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    out["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {out:#}"))
}

/// Returns the `ran` entries of `stage`.
pub fn ran<'a>(out: &'a serde_json::Value, name: &str) -> &'a Vec<serde_json::Value> {
    stage(out, name)["ran"].as_array().unwrap()
}

/// Returns the datum ids of a dry run of `stage`, keyed by their inputs joined with a space.
pub fn datum_ids(repo: &TestRepo, name: &str) -> std::collections::BTreeMap<String, String> {
    let out = run_json(repo, &["--dry-run", "--force"]);
    ran(&out, name)
        .iter()
        .map(|d| {
            let inputs: Vec<&str> = d["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap())
                .collect();
            (inputs.join(" "), d["datum"].as_str().unwrap().to_string())
        })
        .collect()
}

/// Returns the ids of the containers labelled `pach` whose mounts lie in this test's temp dir
/// (tests run in parallel, and other pach runs may share the engine).
pub fn containers_of(repo: &TestRepo) -> Vec<String> {
    let ps = StdCommand::new("docker")
        .args(["ps", "-aq", "--no-trunc", "--filter", "label=pach"])
        .output()
        .expect("run docker ps");
    let ids: Vec<String> = String::from_utf8_lossy(&ps.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        return ids;
    }
    // A container may vanish between `ps` and `inspect`: inspect prints the others.
    let inspect = StdCommand::new("docker")
        .args([
            "inspect",
            "--format",
            "{{.Id}} {{range .Mounts}}{{.Source}} {{end}}",
        ])
        .args(&ids)
        .output()
        .expect("run docker inspect");
    let base = repo.path().to_string_lossy().into_owned();
    String::from_utf8_lossy(&inspect.stdout)
        .lines()
        .filter(|l| l.contains(&base))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Polls `f` every 100 ms until it is true or `limit` has passed; returns whether it became true.
pub fn wait_until(limit: Duration, mut f: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if f() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Asserts that no container of this test's runs remains.
pub fn assert_no_containers(repo: &TestRepo) {
    let gone = wait_until(Duration::from_secs(10), || containers_of(repo).is_empty());
    assert!(gone, "pach containers remain: {:?}", containers_of(repo));
}

/// Reads a run record object straight from the store (header `pach-run 1`).
pub fn run_record(repo: &TestRepo, id: &str) -> serde_json::Value {
    let bytes = std::fs::read(repo.object_path(id)).unwrap();
    let header = b"pach-run 1\n";
    assert!(bytes.starts_with(header), "not a run record: {id}");
    serde_json::from_slice(&bytes[header.len()..]).unwrap()
}

/// Returns the `HEAD` commit as `pach show --json` prints it.
pub fn show(repo: &TestRepo) -> serde_json::Value {
    repo.json(["show", "--json"])
}

/// Returns the paths at HEAD at or under `path`, as `pach ls --json` lists them.
pub fn ls(repo: &TestRepo, path: &str) -> Vec<String> {
    let v = repo.json(["ls", "--json", "HEAD"]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .filter(|p| p == path || p.starts_with(&format!("{path}/")))
        .collect()
}
