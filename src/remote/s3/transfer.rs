//! The S3 transfers themselves: one object up (whole, or in parts when large), down (into
//! memory, or through a temp file when large) or re-hashed, each verified against its id.

use std::path::PathBuf;

use futures::StreamExt;
use object_store::{ObjectStoreExt, PutPayload, WriteMultipart};

use super::{LARGE, S3Remote};
use crate::remote::{Damage, Error, io_err, local_check, object_key, verify};
use crate::store::{Batch, LinkMode, ObjectId, Store};

impl S3Remote {
    pub(super) async fn put_one(
        &self,
        id: ObjectId,
        src: PathBuf,
        size: u64,
    ) -> Result<u64, Error> {
        let key = self.key(&object_key(&id));
        let io = io_err(&self.name, &src);
        if size < LARGE {
            let bytes = tokio::fs::read(&src).await.map_err(io)?;
            local_check(&self.name, &id, blake3::hash(&bytes))?;
            self.store
                .put(&key, PutPayload::from(bytes))
                .await
                .map_err(|e| self.err(&format!("uploading object {id}"), e))?;
        } else {
            use tokio::io::AsyncReadExt;
            let upload = self
                .store
                .put_multipart(&key)
                .await
                .map_err(|e| self.err(&format!("uploading object {id}"), e))?;
            let mut w = WriteMultipart::new_with_chunk_size(upload, 16 << 20);
            let mut f = tokio::fs::File::open(&src).await.map_err(&io)?;
            let mut buf = vec![0u8; 8 << 20];
            let mut h = blake3::Hasher::new();
            loop {
                let n = f.read(&mut buf).await.map_err(&io)?;
                if n == 0 {
                    break;
                }
                w.wait_for_capacity(4)
                    .await
                    .map_err(|e| self.err(&format!("uploading object {id}"), e))?;
                h.update(&buf[..n]);
                w.write(&buf[..n]);
            }
            // Parts uploaded so far stay invisible: an aborted upload makes no object.
            if let Err(e) = local_check(&self.name, &id, h.finalize()) {
                let _ = w.abort().await;
                return Err(e);
            }
            w.finish()
                .await
                .map_err(|e| self.err(&format!("uploading object {id}"), e))?;
        }
        Ok(size)
    }

    pub(super) fn poisoned(&self) -> Error {
        Error::Store {
            remote: self.name.clone(),
            op: "storing objects".into(),
            cause: "a writer thread panicked".into(),
        }
    }

    pub(super) async fn get_bytes(&self, id: ObjectId) -> Result<Vec<u8>, Error> {
        let got = self.store.get(&self.key(&object_key(&id))).await;
        let got = match got {
            Err(object_store::Error::NotFound { .. }) => {
                return Err(Error::Missing {
                    remote: self.name.clone(),
                    id,
                });
            }
            r => r.map_err(|e| self.err(&format!("downloading object {id}"), e))?,
        };
        let bytes = got
            .bytes()
            .await
            .map_err(|e| self.err(&format!("downloading object {id}"), e))?;
        verify(&self.name, &id, &bytes)?;
        Ok(Vec::from(bytes))
    }

    /// Re-hashes one remote object as it streams in: (id, size, damage if any).
    pub(super) async fn check_one(
        &self,
        id: ObjectId,
    ) -> Result<(ObjectId, u64, Option<Damage>), Error> {
        let got = match self.store.get(&self.key(&object_key(&id))).await {
            Err(object_store::Error::NotFound { .. }) => return Ok((id, 0, Some(Damage::Missing))),
            r => r.map_err(|e| self.err(&format!("reading object {id}"), e))?,
        };
        let mut h = blake3::Hasher::new();
        let mut size = 0;
        let mut stream = got.into_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| self.err(&format!("reading object {id}"), e))?;
            size += chunk.len() as u64;
            h.update(&chunk);
        }
        let actual = ObjectId::from_hash(h.finalize());
        Ok((id, size, (actual != id).then_some(Damage::Corrupt(actual))))
    }

    /// Fetches a large object: streamed to a temp file, then hard-linked into the batch
    /// after hashing.
    pub(super) async fn get_large(
        &self,
        id: ObjectId,
        size: u64,
        store: &Store,
        batch: &Batch,
    ) -> Result<u64, Error> {
        let stored = |e: crate::store::Error| Error::Store {
            remote: self.name.clone(),
            op: format!("storing object {id}"),
            cause: e.to_string(),
        };
        let tmp = store
            .tmp_dir()
            .join(format!("fetch-{}-{}", std::process::id(), id.short()));
        let io = io_err(&self.name, &tmp);
        let got = self
            .store
            .get(&self.key(&object_key(&id)))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => Error::Missing {
                    remote: self.name.clone(),
                    id,
                },
                e => self.err(&format!("downloading object {id}"), e),
            })?;
        let mut stream = got.into_stream();
        let result = async {
            use tokio::io::AsyncWriteExt;
            let mut f = tokio::fs::File::create(&tmp).await.map_err(&io)?;
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| self.err(&format!("downloading object {id}"), e))?;
                f.write_all(&chunk).await.map_err(&io)?;
            }
            f.flush().await.map_err(&io)?;
            drop(f);
            let (actual, _) = store
                .ingest(&tmp, LinkMode::Hardlink, batch)
                .map_err(stored)?;
            if actual != id {
                return Err(Error::Corrupt {
                    remote: self.name.clone(),
                    id,
                    actual,
                });
            }
            Ok(size)
        }
        .await;
        let _ = std::fs::remove_file(&tmp);
        result
    }
}
