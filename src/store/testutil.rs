//! Test support for the store's unit tests: an empty store and bytes that do not repeat.

use std::fs;

use super::Store;

/// An empty store in a temp directory (kept alive by the returned guard).
pub fn store() -> (tempfile::TempDir, Store) {
    let d = tempfile::tempdir().expect("a temp dir");
    fs::create_dir_all(d.path().join("objects")).expect("objects/");
    fs::create_dir_all(d.path().join("tmp")).expect("tmp/");
    let s = Store::new(d.path());
    (d, s)
}

/// `n` bytes that do not repeat (xorshift), different for each `seed`.
pub fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
