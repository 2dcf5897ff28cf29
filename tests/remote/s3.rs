//! A real S3-compatible server on loopback (s3s-fs, else moto_server): push, clone, pull, and
//! the errors for wrong credentials, a missing bucket and an unreachable endpoint. Only s3s-fs
//! checks credentials; with moto the wrong-credentials check skips, or fails when
//! PACH_REQUIRE_S3=1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use predicates::str::contains;

use super::common::TestRepo;

/// A running local S3 server, killed on drop.
pub struct S3Server {
    child: Child,
    pub port: u16,
    /// The server's program name, for messages.
    name: &'static str,
    checks_credentials: bool,
    _data: tempfile::TempDir,
}

fn require_s3() -> bool {
    std::env::var("PACH_REQUIRE_S3").as_deref() == Ok("1")
}

fn on_path(bin: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {bin}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl S3Server {
    /// Starts s3s-fs (preferred: it starts fast and checks credentials) or else moto_server,
    /// with bucket `bucket`; `None` (after printing SKIPPED) when neither exists, unless
    /// PACH_REQUIRE_S3=1.
    pub fn start(bucket: &str) -> Option<S3Server> {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data = tempfile::tempdir().unwrap();
        let (child, name, checks) = if on_path("s3s-fs") {
            // A bucket is a directory under the data directory.
            std::fs::create_dir_all(data.path().join(bucket)).unwrap();
            let c = Command::new("s3s-fs")
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--access-key", "test", "--secret-key", "testtest"])
                .arg(data.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            (c, "s3s-fs", true)
        } else if on_path("moto_server") {
            let c = Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            (c, "moto_server", false)
        } else {
            if require_s3() {
                panic!("PACH_REQUIRE_S3=1 but neither s3s-fs nor moto_server is on PATH");
            }
            crate::common::skip("no local S3 server (s3s-fs or moto_server)");
            return None;
        };
        let s = S3Server {
            child,
            port,
            name,
            checks_credentials: checks,
            _data: data,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "S3 server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        if !checks {
            s.http_put(&format!("/{bucket}"));
        }
        Some(s)
    }

    fn http_put(&self, path: &str) {
        let mut t = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            t,
            "PUT {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut resp = String::new();
        t.read_to_string(&mut resp).unwrap();
        assert!(resp.starts_with("HTTP/1.1 200"), "create bucket: {resp}");
    }

    /// Whether a check of wrong credentials can run against this server. A server that
    /// accepts any credentials (moto) makes it print SKIPPED, or fail when PACH_REQUIRE_S3=1.
    pub fn checks_credentials(&self) -> bool {
        if self.checks_credentials {
            return true;
        }
        if require_s3() {
            panic!(
                "PACH_REQUIRE_S3=1 but the S3 server in use ({}) accepts any credentials: \
                 the wrong-credentials check needs s3s-fs on PATH \
                 (cargo install --locked s3s-fs --version 0.14.1 --features binary)",
                self.name
            );
        }
        crate::common::skip(&format!(
            "wrong-credentials check: {} accepts any credentials; it needs s3s-fs on PATH",
            self.name
        ));
        false
    }

    /// Where s3s-fs keeps bucket `bucket` (moto keeps objects in memory: `None`).
    pub fn bucket_dir(&self, bucket: &str) -> Option<PathBuf> {
        self.checks_credentials
            .then(|| self._data.path().join(bucket))
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn with_s3(cmd: &mut assert_cmd::Command, endpoint: &str, secret: &str) {
    cmd.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", endpoint);
}

fn run(r: &TestRepo, ep: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = r.pach(args);
    with_s3(&mut c, ep, "testtest");
    c.assert()
}

#[test]
fn push_clone_pull_through_a_local_s3_server() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    a.commit_files("one", &[("data/a.csv", "1\n"), ("data/s/b", "b\n")]);
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/proj/x"]).success();
    run(&a, &ep, &["push"])
        .success()
        .stderr(contains("origin/main"));
    run(&a, &ep, &["push"])
        .success()
        .stderr(contains("up to date"));
    let b = TestRepo::new();
    let dest: PathBuf = b.path().join("clone");
    run(&b, &ep, &["clone", "s3://bkt/proj/x", "clone"]).success();
    let b = TestRepo::at(&dest);
    assert_eq!(a.worktree(), b.worktree());
    b.pach(["fsck"]).assert().success();
    a.commit_files("two", &[("data/c.csv", "3\n")]);
    run(&a, &ep, &["push"]).success();
    run(&b, &ep, &["pull"])
        .success()
        .stderr(contains("fast-forward"));
    assert_eq!(a.worktree(), b.worktree());
    assert_eq!(a.ok(["log"]), b.ok(["log"]));

    // Divergence: refused, then forced.
    a.commit_files("a", &[("a", "a\n")]);
    b.commit_files("b", &[("b", "b\n")]);
    run(&a, &ep, &["push"]).success();
    run(&b, &ep, &["push"])
        .code(1)
        .stderr(contains("not a fast-forward"));
    run(&b, &ep, &["push", "--force"]).success();
}

#[test]
fn a_clone_of_many_small_files_is_whole_and_a_corrupt_object_is_refused() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    for i in 0..300 {
        a.write(
            format!("d{}/f{i}", i % 7),
            format!("file {i}\n").repeat(i + 1),
        );
    }
    a.pach(["add", "."]).assert().success();
    a.commit("many");
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/m"]).success();
    run(&a, &ep, &["push"]).success();
    let b = TestRepo::new();
    run(&b, &ep, &["clone", "s3://bkt/m", "c"]).success();
    let c = TestRepo::at(&b.path().join("c"));
    assert_eq!(a.worktree(), c.worktree());
    c.pach(["fsck"]).assert().success();

    let Some(dir) = srv.bucket_dir("bkt") else {
        crate::common::skip("corrupting an object needs s3s-fs (moto keeps objects in memory)");
        return;
    };
    let blob = blake3::hash(&"file 7\n".repeat(8).into_bytes())
        .to_hex()
        .to_string();
    crate::corrupt_remote_object(&dir.join("m"), &blob);
    let d = TestRepo::init();
    run(&d, &ep, &["remote", "add", "origin", "s3://bkt/m"]).success();
    let before = d.snapshot();
    run(&d, &ep, &["fetch"])
        .code(1)
        .stderr(contains("corrupt").and(contains(blob.as_str())));
    d.assert_unchanged(&before);
}

#[test]
fn fsck_remote_repairs_a_corrupt_object_on_s3_from_a_good_clone() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let Some(dir) = srv.bucket_dir("bkt") else {
        crate::common::skip("corrupting an object needs s3s-fs (moto keeps objects in memory)");
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    a.commit_files("one", &[("d/x.txt", "precious\n"), ("y.txt", "why\n")]);
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/r"]).success();
    run(&a, &ep, &["push"]).success();
    run(&a, &ep, &["fsck", "--remote", "origin"]).success();
    let blob = blake3::hash(b"precious\n").to_hex().to_string();
    crate::corrupt_remote_object(&dir.join("r"), &blob);

    let b = TestRepo::new();
    run(&b, &ep, &["clone", "s3://bkt/r", "c"])
        .code(1)
        .stderr(contains(blob.as_str()).and(contains("pach fsck --remote origin --repair")));
    run(&a, &ep, &["fsck", "--remote", "origin"])
        .code(4)
        .stdout(contains("corrupt").and(contains(blob.as_str())));
    run(&a, &ep, &["fsck", "--remote", "origin", "--repair"])
        .success()
        .stdout(contains("(repaired)"));
    run(&a, &ep, &["fsck", "--remote", "origin"]).success();
    run(&b, &ep, &["clone", "s3://bkt/r", "c"]).success();
    let c = TestRepo::at(&b.path().join("c"));
    assert_eq!(a.worktree(), c.worktree());
    c.pach(["fsck"]).assert().success();
}

#[test]
fn s3_errors_name_the_remote_and_the_cause_and_change_nothing() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    a.commit_files("one", &[("a", "1\n")]);
    run(&a, &ep, &["remote", "add", "nob", "s3://no-such-bucket/p"]).success();
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/p"]).success();
    let before = a.snapshot();
    run(&a, &ep, &["push", "nob"])
        .code(1)
        .stderr(contains("remote `nob`").and(contains("bucket `no-such-bucket` does not exist")));
    run(&a, &ep, &["fetch", "nob"])
        .code(1)
        .stderr(contains("does not exist"));
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    run(&a, &dead, &["push"])
        .code(1)
        .stderr(contains("remote `origin`: cannot reach the endpoint"));
    if srv.checks_credentials() {
        let mut c = a.pach(["push"]);
        with_s3(&mut c, &ep, "wrong-secret");
        c.assert()
            .code(1)
            .stderr(contains("remote `origin`: access denied"));
    }
    a.assert_unchanged(&before);
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn plain_http_to_a_host_that_only_starts_like_localhost_is_refused() {
    let a = TestRepo::init();
    a.commit_files("one", &[("a", "1\n")]);
    run(
        &a,
        "http://127.0.0.1:9",
        &["remote", "add", "origin", "s3://bkt/p"],
    )
    .success();
    let before = a.snapshot();
    for ep in [
        "http://localhost.evil.com:9000",
        "http://localhost@evil.com:9000",
    ] {
        let mut c = a.pach(["push"]);
        with_s3(&mut c, ep, "testtest");
        c.env("AWS_ALLOW_HTTP", "true")
            .assert()
            .code(1)
            .stderr(contains(ep).and(contains("loopback")));
    }
    a.assert_unchanged(&before);
}

#[test]
fn tags_and_deletes_through_a_local_s3_server() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    a.commit_files("one", &[("a.csv", "1\n")]);
    a.commit_files("two", &[("b.csv", "2\n")]);
    a.ok(["tag", "v1", "HEAD~1"]);
    a.ok(["branch", "old"]);
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/proj"]).success();
    run(&a, &ep, &["push"]).success();
    run(&a, &ep, &["push", "origin", "old"]).success();
    run(&a, &ep, &["push", "--tags"])
        .success()
        .stderr(contains("origin tag v1 (new tag)"));
    let b = TestRepo::new();
    run(&b, &ep, &["clone", "s3://bkt/proj", "c"]).success();
    let b = TestRepo::at(&b.path().join("c"));
    let v1 = |r: &TestRepo| r.json(["log", "-n", "1", "--json", "v1"])[0]["id"].clone();
    assert_eq!(v1(&b), v1(&a));
    // Another v1 in the clone: pushing it is refused and the bucket's v1 stays.
    b.ok(["tag", "-d", "v1"]);
    b.ok(["tag", "v1"]);
    run(&b, &ep, &["push", "origin", "v1"])
        .code(1)
        .stderr(contains("tag `v1` there is at"));
    run(&b, &ep, &["fetch"])
        .success()
        .stderr(contains("tag v1: kept"));
    let c = TestRepo::new();
    run(&c, &ep, &["clone", "s3://bkt/proj", "d"]).success();
    let c = TestRepo::at(&c.path().join("d"));
    assert_eq!(v1(&c), v1(&a));
    run(&c, &ep, &["fetch"]).success();
    assert!(c.ok(["branch", "-r"]).contains("origin/old"));
    // Delete a branch on the bucket; a second delete is refused naming it.
    run(&a, &ep, &["push", "--delete", "old"])
        .success()
        .stderr(contains("deleted refs/heads/old"));
    run(&a, &ep, &["push", "--delete", "old"])
        .code(1)
        .stderr(contains("has no branch `old`"));
    let j = {
        let mut cmd = c.pach(["fetch", "--prune", "--json"]);
        with_s3(&mut cmd, &ep, "testtest");
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(j["pruned"], serde_json::json!(["origin/old"]));
}

#[test]
fn a_chunked_file_through_s3_sends_only_new_chunks_and_marks_the_layout() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    let v1: Vec<u8> = (0..40u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
        .collect();
    a.write("data/big.bin", &v1);
    a.pach(["add", "data"]).assert().success();
    a.commit("v1");
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/c"]).success();
    run(&a, &ep, &["push"]).success();
    let mut v2 = v1.clone();
    v2.extend_from_slice(&v1[..1 << 20]);
    v2[5] ^= 1;
    a.write("data/big.bin", &v2);
    a.pach(["add", "data"]).assert().success();
    a.commit("v2");
    let out = run(&a, &ep, &["push", "--json"]).success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["bytes"].as_u64().unwrap() <= 8 << 20, "{v}");
    let b = TestRepo::new();
    run(&b, &ep, &["clone", "s3://bkt/c", "c"]).success();
    let c = TestRepo::at(&b.path().join("c"));
    assert_eq!(c.read("data/big.bin"), v2);
    c.pach(["fsck"]).assert().success();
    run(&c, &ep, &["fsck", "--remote", "origin"]).success();
    if let Some(dir) = srv.bucket_dir("bkt") {
        assert_eq!(
            std::fs::read_to_string(dir.join("c/pach-remote")).unwrap(),
            "pach-remote 5\n"
        );
    }
}

#[test]
fn gc_remote_on_s3_deletes_a_deleted_branchs_pack_and_keeps_main() {
    let Some(srv) = S3Server::start("bkt") else {
        return;
    };
    let ep = srv.endpoint();
    let a = TestRepo::init();
    a.commit_files("main", &[("m.txt", "kept\n")]);
    run(&a, &ep, &["remote", "add", "origin", "s3://bkt/g"]).success();
    run(&a, &ep, &["push"]).success();
    a.ok(["checkout", "-b", "exp"]);
    a.commit_files("exp", &[("e.txt", "dropped\n")]);
    run(&a, &ep, &["push", "origin", "exp"]).success();
    run(&a, &ep, &["push", "origin", "--delete", "exp"]).success();
    let json = |out: assert_cmd::assert::Assert| -> serde_json::Value {
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    };
    let gc = ["gc", "--remote", "origin", "--json", "--grace"];
    let first = json(run(&a, &ep, &[&gc[..], &["1h"]].concat()).success());
    assert!(first["condemned"].as_u64().unwrap() >= 1, "{first}");
    assert_eq!(first["deleted_packs"], 0, "{first}");
    let out = json(run(&a, &ep, &[&gc[..], &["0"]].concat()).success());
    assert!(out["deleted_packs"].as_u64().unwrap() >= 1, "{out}");
    if let Some(dir) = srv.bucket_dir("bkt") {
        let packs = std::fs::read_dir(dir.join("g/packs")).unwrap().count();
        assert_eq!(packs, 2, "main's pack and index are left");
    }
    let b = TestRepo::new();
    run(&b, &ep, &["clone", "s3://bkt/g", "c"]).success();
    let c = TestRepo::at(&b.path().join("c"));
    assert_eq!(c.read_str("m.txt"), "kept\n");
    run(&c, &ep, &["fsck", "--remote", "origin"]).success();
}
