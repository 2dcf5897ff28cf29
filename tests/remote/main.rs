//! End-to-end tests of remotes: directory remotes, a real local S3 server, and faults.

// Tests may unwrap: a panic is the failure report (STYLE.md: no `unwrap()` outside tests).
#![allow(clippy::unwrap_used)]

#[path = "../common/mod.rs"]
mod common;

mod bad_trees;
mod chunks;
mod dir;
mod faults;
mod gc;
mod gc_remote;
mod hints;
mod packs;
mod purge;
mod refs;
mod repair;
mod s3;

use std::path::{Path, PathBuf};

/// Re-hashes every object of a remote directory, loose and packed; returns how many there
/// are and the names of those that do not match (a packed object cut off by a truncated pack
/// counts as not matching).
pub fn remote_fsck(root: &Path) -> (usize, Vec<String>) {
    let mut bad = Vec::new();
    let mut n = 0;
    for e in walkdir::WalkDir::new(root.join("objects")).min_depth(2) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        n += 1;
        let name = format!(
            "{}{}",
            e.path()
                .parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy(),
            e.file_name().to_string_lossy()
        );
        let bytes = std::fs::read(e.path()).unwrap();
        if blake3::hash(&bytes).to_hex().as_str() != name {
            bad.push(name);
        }
    }
    // A packed object is bad when no copy of it is good (a repair adds a good copy in a new
    // pack and leaves the damaged one where it was).
    let mut packed: std::collections::BTreeMap<String, bool> = Default::default();
    for (id, bytes) in packed_objects(root) {
        let good = bytes.is_some_and(|b| blake3::hash(&b).to_hex().as_str() == id);
        *packed.entry(id).or_default() |= good;
    }
    let loose: std::collections::HashSet<String> = bad.iter().cloned().collect();
    for (id, good) in packed {
        n += 1;
        if !good && !loose.contains(&id) {
            bad.push(id);
        }
    }
    (n, bad)
}

/// One entry of a pack index: object id (hex), offset, length.
pub type Entry = (String, u64, u64);

/// One index file of a directory remote, read independently of pach's own reader (the
/// formats of docs/REMOTES.md): a layout-4 pack index (`.idx`) or a multi-pack index
/// (`.midx`, named by its checksum). Returns each pack it names with its entries (object
/// id, offset, length).
pub fn read_index(path: &Path) -> Vec<(String, Vec<Entry>)> {
    let b = std::fs::read(path).unwrap();
    let hex = |x: &[u8]| {
        blake3::Hash::from_bytes(x.try_into().unwrap())
            .to_hex()
            .to_string()
    };
    let u = |x: &[u8]| u64::from_le_bytes(x.try_into().unwrap());
    let u4 = |x: &[u8]| u32::from_le_bytes(x.try_into().unwrap()) as u64;
    let (content, sum) = b.split_at(b.len() - 32);
    assert_eq!(
        blake3::hash(content).as_bytes(),
        sum,
        "checksum of {path:?}"
    );
    if path.extension().is_some_and(|x| x == "midx") {
        let name = path.file_stem().unwrap().to_str().unwrap();
        assert_eq!(
            hex(sum),
            name,
            "a multi-pack index is named by its checksum"
        );
        let body = content
            .strip_prefix(b"pach-multi-pack-index 1\n".as_slice())
            .unwrap();
        let npacks = u(&body[..8]) as usize;
        let packs: Vec<String> = body[8..8 + 40 * npacks]
            .chunks_exact(40)
            .map(|r| hex(&r[..32]))
            .collect();
        let rest = &body[8 + 40 * npacks..];
        let count = u(&rest[..8]) as usize;
        assert_eq!(rest.len(), 8 + count * 44);
        let mut out: Vec<_> = packs.into_iter().map(|p| (p, Vec::new())).collect();
        for r in rest[8..].chunks_exact(44) {
            let pack = u4(&r[32..36]) as usize;
            out[pack]
                .1
                .push((hex(&r[..32]), u4(&r[36..40]), u4(&r[40..44])));
        }
        return out;
    }
    let body = content
        .strip_prefix(b"pach-pack-index 1\n".as_slice())
        .unwrap();
    let count = u(&body[40..48]) as usize;
    let rows = &body[48..];
    assert_eq!(rows.len(), count * 48);
    let entries = rows
        .chunks_exact(48)
        .map(|r| (hex(&r[..32]), u(&r[32..40]), u(&r[40..48])))
        .collect();
    vec![(hex(&body[..32]), entries)]
}

/// The index files (`.idx` of layout 4, `.midx` of layout 5) of a directory remote's packs.
pub fn pack_indexes(root: &Path) -> Vec<PathBuf> {
    files_under(root, "packs", &["idx", "midx"])
}

/// The pack files of a directory remote.
pub fn pack_files(root: &Path) -> Vec<PathBuf> {
    files_under(root, "packs", &["pack"])
}

fn files_under(root: &Path, dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = rd
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| exts.iter().any(|e| x == *e)))
        .collect();
    out.sort();
    out
}

/// Every object the packs of a directory remote hold, through every index naming them: id
/// and bytes (`None` when its pack is missing or too short).
pub fn packed_objects(root: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    for idx in pack_indexes(root) {
        for (pack, entries) in read_index(&idx) {
            let bytes = std::fs::read(root.join("packs").join(format!("{pack}.pack"))).ok();
            for (id, off, len) in entries {
                let obj = bytes
                    .as_ref()
                    .and_then(|b| b.get(off as usize..(off + len) as usize))
                    .map(|b| b.to_vec());
                out.push((id, obj));
            }
        }
    }
    out
}

/// Reads an object of a directory remote, loose or packed.
pub fn remote_read(root: &Path, id: &str) -> Option<Vec<u8>> {
    if let Ok(b) = std::fs::read(remote_obj(root, id)) {
        return Some(b);
    }
    packed_objects(root)
        .into_iter()
        .find(|(i, _)| i == id)
        .and_then(|(_, b)| b)
}

/// Makes pushes to remote `name` of `repo` keep every object loose (layout 3), for the tests
/// of what older remotes hold.
pub fn loose_remote(repo: &common::TestRepo, name: &str) {
    let path = repo.pach_dir().join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let table = format!("[remote.{name}]\n");
    assert!(text.contains(&table), "{text}");
    std::fs::write(&path, text.replace(&table, &format!("{table}layout = 3\n"))).unwrap();
}

/// Sets the layout pushes to remote `name` of `repo` write (`layout = N` in its table).
pub fn set_layout(repo: &common::TestRepo, name: &str, layout: u32) {
    let path = repo.pach_dir().join("config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let table = format!("[remote.{name}]\n");
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("layout = "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(text.contains(&table), "{text}");
    let text = text.replace(&table, &format!("{table}layout = {layout}\n"));
    std::fs::write(&path, text).unwrap();
}

/// Damages an object of a directory remote where it is (its loose file, else its copy in
/// a pack): one byte flipped, so its length stays and only its hash tells.
pub fn corrupt_remote_object(root: &Path, id: &str) {
    let loose = remote_obj(root, id);
    let (path, at) = if loose.is_file() {
        (loose, 0)
    } else {
        let (pack, off) = pack_indexes(root)
            .iter()
            .flat_map(|idx| read_index(idx))
            .find_map(|(pack, entries)| {
                let e = entries.iter().find(|e| e.0 == id)?;
                Some((pack, e.1))
            })
            .unwrap_or_else(|| panic!("object {id} is not on the remote"));
        (root.join("packs").join(format!("{pack}.pack")), off)
    };
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[at as usize] ^= 0xff;
    let _ = std::fs::remove_file(&path);
    std::fs::write(&path, bytes).unwrap();
}

/// Returns the path of an object in a remote directory.
pub fn remote_obj(root: &Path, id: &str) -> PathBuf {
    root.join("objects").join(&id[..2]).join(&id[2..])
}

/// Checks that everything reachable from `commit` is present in the remote directory.
pub fn assert_closure(root: &Path, commit: &str) {
    let json = |id: &str| -> serde_json::Value {
        let b = remote_read(root, id).unwrap_or_else(|| panic!("object {id} missing"));
        let body = b.splitn(2, |c| *c == b'\n').nth(1).unwrap();
        serde_json::from_slice(body).unwrap()
    };
    let mut commits = vec![commit.to_string()];
    let mut seen = std::collections::HashSet::new();
    while let Some(c) = commits.pop() {
        if !seen.insert(c.clone()) {
            continue;
        }
        let v = json(&c);
        let mut trees = vec![v["tree"].as_str().unwrap().to_string()];
        while let Some(t) = trees.pop() {
            for e in json(&t)["entries"].as_array().unwrap() {
                let id = e["id"].as_str().unwrap();
                if e["kind"] == "dir" {
                    trees.push(id.into());
                } else {
                    assert_blob(root, id);
                }
            }
        }
        for p in v["parents"].as_array().unwrap() {
            commits.push(p.as_str().unwrap().into());
        }
    }
}

/// Checks that a blob is on the remote: whole, or as a chunk index whose segments and
/// chunks are all there.
pub fn assert_blob(root: &Path, id: &str) {
    if remote_read(root, id).is_some() {
        return;
    }
    let index = root.join("chunked").join(&id[..2]).join(&id[2..]);
    let text = std::fs::read_to_string(&index).unwrap_or_else(|e| panic!("blob {id} missing: {e}"));
    for line in text.lines().skip(2) {
        let seg = line.split(' ').next().unwrap();
        let seg_text = String::from_utf8(
            remote_read(root, seg).unwrap_or_else(|| panic!("segment {seg} of {id} missing")),
        )
        .unwrap();
        for c in seg_text.lines().skip(1) {
            let chunk = c.split(' ').next().unwrap();
            assert!(
                remote_read(root, chunk).is_some(),
                "chunk {chunk} of {id} missing"
            );
        }
    }
}

/// Reads a directory remote's branch.
pub fn remote_ref(root: &Path, branch: &str) -> Option<String> {
    std::fs::read_to_string(root.join("refs/heads").join(branch))
        .ok()
        .map(|s| s.trim().to_string())
}
