//! Placing objects in the working tree: copies hashed beside the kernel's copy, reflinks
//! and hard links of whole objects, and chunked objects assembled chunk by chunk.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::hash::{copy_hashing, hash_file_with};
use super::loose::LARGE;
use super::{Error, LinkMode, ObjectId, Result, Store};

impl Store {
    /// Places object `id` at `dest` (which must not exist) as a file, by `mode`.
    pub fn materialize(
        &self,
        id: &ObjectId,
        dest: &Path,
        mode: LinkMode,
        exec: bool,
    ) -> Result<()> {
        let src = self.path(id);
        if !src.is_file() {
            return match self.index_path(id).is_file() {
                true => self.materialize_chunked(id, dest, exec),
                false => Err(Error::Missing { id: *id }),
            };
        }
        let write_err = |source| Error::Write {
            path: dest.to_owned(),
            source,
        };
        let perm = if exec { 0o755 } else { 0o644 };
        if mode == LinkMode::Copy {
            let mut from = File::open(&src).map_err(|source| Error::Read {
                path: src.clone(),
                source,
            })?;
            let mut out = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(perm)
                .open(dest)
                .map_err(write_err)?;
            let len = from.metadata().map(|m| m.len()).unwrap_or(0);
            let hashed = if len >= LARGE {
                // Objects never change, so hashing the object beside the kernel's copy
                // verifies the bytes copied, in the time of the slower of the two.
                std::thread::scope(|s| {
                    // One core hashes while the other copies.
                    let hashing = s.spawn(|| hash_file_with(&src, false));
                    let copied = io::copy(&mut from, &mut out).map_err(write_err);
                    let hashed = hashing.join().expect("hashing does not panic");
                    copied.and(hashed)
                })
            } else {
                copy_hashing(from, &mut out, &src, dest)
            };
            let verified = hashed.and_then(|(hash, _)| {
                let actual = ObjectId::from_hash(hash);
                if actual == *id {
                    Ok(())
                } else {
                    Err(Error::Mismatch { id: *id, actual })
                }
            });
            if verified.is_err() {
                let _ = fs::remove_file(dest);
            }
            return verified;
        }
        self.verify(id)?;
        if mode == LinkMode::Hardlink && !exec {
            return fs::hard_link(&src, dest).map_err(write_err);
        }
        reflink_copy::reflink_or_copy(&src, dest).map_err(write_err)?;
        fs::set_permissions(dest, fs::Permissions::from_mode(perm)).map_err(write_err)
    }
}
