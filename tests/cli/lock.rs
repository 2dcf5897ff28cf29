//! The single-writer lock.

use predicates::str::contains;

use crate::common::TestRepo;

#[test]
fn a_second_writer_gets_locked_by_pid_and_exit_3() {
    use std::io::Write;
    let repo = TestRepo::init();
    repo.commit_files("one", &[("a", "1")]);
    repo.write("b", "2");
    let before = repo.snapshot();
    let path = repo.pach_dir().join("lock");
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .unwrap();
    f.try_lock().expect("take the lock");
    f.set_len(0).unwrap();
    write!(f, "{}", std::process::id()).unwrap();
    f.flush().unwrap();
    let pid = std::process::id();
    for args in [
        vec!["add", "b"],
        vec!["commit", "--allow-empty", "-m", "x"],
        vec!["rm", "a"],
        vec!["branch", "x"],
        vec!["checkout", "-b", "y"],
    ] {
        repo.pach(&args)
            .assert()
            .code(3)
            .stderr(contains(format!("locked by pid {pid}")));
    }
    // Readers are not blocked.
    repo.pach(["log"]).assert().success();
    repo.pach(["cat", "HEAD:a"]).assert().success().stdout("1");
    repo.pach(["status"]).assert().success();
    drop(f);
    repo.assert_unchanged(&before);
    // Released: writers work again.
    repo.pach(["add", "b"]).assert().success();
}

#[test]
fn a_stale_lock_file_from_a_dead_process_does_not_block() {
    let repo = TestRepo::init();
    std::fs::write(repo.pach_dir().join("lock"), "999999").unwrap();
    repo.write("a", "1");
    repo.pach(["add", "a"]).assert().success();
}
