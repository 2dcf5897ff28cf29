//! The chunked files of `fsck` and `gc`: their indexes, segments and chunks are reachable
//! through the file, and a missing or corrupt piece is reported under the file's path.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::Repo;
use super::fsck::{Problem, Reach};
use crate::error::Result;
use crate::store::ObjectId;

impl Repo {
    /// Lists every chunk index as (file id, path).
    pub(super) fn all_indexes(
        &self,
        problems: &mut Vec<Problem>,
    ) -> Result<HashMap<ObjectId, PathBuf>> {
        Ok(self
            .all_in(self.store().chunked_dir(), problems)?
            .into_iter()
            .collect())
    }

    /// Marks the segments and chunks of every reached chunked file as reached, reporting
    /// an unreadable index and each missing or corrupt piece under the file's path.
    pub(super) fn reach_chunks(
        &self,
        indexes: &HashMap<ObjectId, PathBuf>,
        present: &dyn Fn(&ObjectId) -> bool,
        corrupt: &HashSet<ObjectId>,
        r: &mut Reach,
    ) {
        let blobs = std::mem::take(&mut r.blobs);
        let purged = std::mem::take(&mut r.purged_ok);
        // A purged file's index can outlive some of its chunks (a purge killed half-way):
        // those pieces are not walked, so not missing, and `gc` may take them.
        let walked = |id: &ObjectId| indexes.contains_key(id) && !purged.contains(id);
        for (id, at) in blobs.iter().filter(|(id, _)| walked(id)) {
            let problem = |kind, piece: ObjectId, detail: String| Problem {
                kind,
                id: Some(piece),
                at: at.clone(),
                detail,
            };
            let index = match self.store().chunk_index(id) {
                Ok(i) => i,
                Err(e) => {
                    r.problems.push(problem("malformed", *id, e.to_string()));
                    continue;
                }
            };
            let mut offset = 0;
            for seg in &index.segments {
                r.seen.insert(seg.id);
                let chunks = match self.store().read(&seg.id) {
                    Ok(bytes) => crate::store::chunk::decode_segment(&bytes)
                        .map_err(|e| format!("chunk segment {}: {e}", seg.id)),
                    Err(e) => Err(format!("chunk segment at byte {offset}: {e}")),
                };
                let chunks = match chunks {
                    Ok(c) => c,
                    Err(detail) => {
                        let kind = if present(&seg.id) {
                            "corrupt"
                        } else {
                            "missing"
                        };
                        r.problems.push(problem(kind, seg.id, detail));
                        offset += seg.len;
                        continue;
                    }
                };
                for c in chunks {
                    r.seen.insert(c.id);
                    if corrupt.contains(&c.id) {
                        r.problems.push(problem(
                            "corrupt",
                            c.id,
                            format!("chunk at byte {offset} of this file is corrupt"),
                        ));
                    } else if !present(&c.id) {
                        r.problems.push(problem(
                            "missing",
                            c.id,
                            format!("chunk at byte {offset} of this file is missing"),
                        ));
                    }
                    offset += c.len;
                }
            }
        }
        r.blobs = blobs;
        r.purged_ok = purged;
    }
}
