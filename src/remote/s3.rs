//! An S3-compatible remote through `object_store`: keys `<prefix>/objects/ab/cdef…` and
//! `<prefix>/refs/heads/<branch>`.
//!
//! A PUT is atomic on S3 (an object appears whole or not at all), so objects need no temp
//! names. Refs move with conditional puts (`If-Match` on the ETag read before, or
//! `If-None-Match: *` when absent); a server without conditional puts gets a re-read and
//! compare right before the write instead, which narrows but cannot close the race.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, RetryConfig,
    UpdateVersion, WriteMultipart,
};

use super::{Backend, Error, RefVersion, S3Settings};
use crate::repo::Progress;
use crate::store::{Batch, LinkMode, ObjectId, Store};

/// Transfers in flight at once.
const CONCURRENCY: usize = 16;
/// Objects at least this big go up in parts and come down through a temp file.
const LARGE: u64 = 32 << 20;
/// Threads storing downloaded small objects.
const WRITERS: usize = 4;
/// Objects under this size are downloaded [`TINY_CONCURRENCY`] at a time (at most 128 MiB
/// in flight): a server that answers each GET in two segments without TCP_NODELAY (s3s-fs)
/// makes every request on a kept-alive connection wait ~40 ms for the delayed ACK, and real
/// S3 has tens of milliseconds to the first byte too.
const TINY: u64 = 1 << 20;
const TINY_CONCURRENCY: usize = 128;

/// A remote in an S3 bucket (under a prefix).
pub struct S3Remote {
    name: String,
    bucket: String,
    prefix: String,
    endpoint: String,
    store: Arc<AmazonS3>,
    rt: tokio::runtime::Runtime,
}

impl S3Remote {
    /// Builds the client (no request is made yet).
    pub fn new(name: &str, bucket: &str, prefix: &str, s: &S3Settings) -> Result<Self, Error> {
        let endpoint = s
            .endpoint
            .clone()
            .unwrap_or_else(|| "https://s3.amazonaws.com".into());
        let loopback = ["http://127.", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| endpoint.starts_with(p));
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(s.region.clone().unwrap_or_else(|| "us-east-1".into()))
            .with_virtual_hosted_style_request(false)
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: Duration::from_secs(15),
                ..Default::default()
            })
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(s.allow_http.unwrap_or(loopback))
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(300)),
            );
        if let Some(e) = &s.endpoint {
            b = b.with_endpoint(e);
        }
        match (&s.access_key, &s.secret_key) {
            (Some(k), Some(sec)) => {
                b = b.with_access_key_id(k).with_secret_access_key(sec);
                if let Some(t) = &s.token {
                    b = b.with_token(t);
                }
            }
            _ => b = b.with_skip_signature(true),
        }
        let store = b.build().map_err(|e| Error::BadUrl {
            url: format!("s3://{bucket}/{prefix}"),
            reason: e.to_string(),
        })?;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| Error::Store {
                remote: name.into(),
                op: "starting the I/O runtime".into(),
                cause: e.to_string(),
            })?;
        Ok(S3Remote {
            name: name.into(),
            bucket: bucket.into(),
            prefix: prefix.into(),
            endpoint,
            store: Arc::new(store),
            rt,
        })
    }

    fn key(&self, rel: &str) -> Key {
        if self.prefix.is_empty() {
            Key::from(rel)
        } else {
            Key::from(format!("{}/{rel}", self.prefix))
        }
    }

    /// Turns a client error into one that names the remote and the likely cause.
    fn err(&self, op: &str, e: object_store::Error) -> Error {
        let mut cause = e.to_string();
        let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        while let Some(s) = src {
            let t = s.to_string();
            if !cause.contains(&t) {
                cause = format!("{cause}: {t}");
            }
            src = s.source();
        }
        classify(&self.name, &self.bucket, &self.endpoint, op, cause)
    }
}

/// Sorts an error message into the causes users can act on.
fn classify(remote: &str, bucket: &str, endpoint: &str, op: &str, cause: String) -> Error {
    let has = |s: &str| cause.contains(s);
    if has("NoSuchBucket") || has("bucket does not exist") {
        Error::NoBucket {
            remote: remote.into(),
            bucket: bucket.into(),
        }
    } else if has("InvalidAccessKeyId")
        || has("SignatureDoesNotMatch")
        || has("AccessDenied")
        || has("403")
    {
        Error::Denied {
            remote: remote.into(),
            cause: cause.chars().take(300).collect(),
        }
    } else if has("error sending request")
        || has("Connection refused")
        || has("connect")
        || has("dns error")
        || has("timed out")
    {
        Error::Unreachable {
            remote: remote.into(),
            endpoint: endpoint.into(),
            cause: cause.chars().take(300).collect(),
        }
    } else {
        Error::Store {
            remote: remote.into(),
            op: op.into(),
            cause: cause.chars().take(500).collect(),
        }
    }
}

impl S3Remote {
    async fn put_one(&self, id: ObjectId, src: PathBuf, size: u64) -> Result<u64, Error> {
        let key = self.key(&super::object_key(&id));
        let io = super::io_err(&self.name, &src);
        if size < LARGE {
            let bytes = tokio::fs::read(&src).await.map_err(io)?;
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
            loop {
                let n = f.read(&mut buf).await.map_err(&io)?;
                if n == 0 {
                    break;
                }
                w.wait_for_capacity(4)
                    .await
                    .map_err(|e| self.err(&format!("uploading object {id}"), e))?;
                w.write(&buf[..n]);
            }
            w.finish()
                .await
                .map_err(|e| self.err(&format!("uploading object {id}"), e))?;
        }
        Ok(size)
    }

    fn poisoned(&self) -> Error {
        Error::Store {
            remote: self.name.clone(),
            op: "storing objects".into(),
            cause: "a writer thread panicked".into(),
        }
    }

    async fn get_bytes(&self, id: ObjectId) -> Result<Vec<u8>, Error> {
        let got = self.store.get(&self.key(&super::object_key(&id))).await;
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
        super::verify(&self.name, &id, &bytes)?;
        Ok(bytes.to_vec())
    }

    /// Fetches a large object: streamed to a temp file, then hard-linked into the batch
    /// after hashing.
    async fn get_large(
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
        let io = super::io_err(&self.name, &tmp);
        let got = self
            .store
            .get(&self.key(&super::object_key(&id)))
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

impl Backend for S3Remote {
    fn list_objects(&self) -> Result<HashSet<ObjectId>, Error> {
        let prefix = self.key("objects");
        self.rt.block_on(async {
            let metas: Vec<_> = self
                .store
                .list(Some(&prefix))
                .try_collect()
                .await
                .map_err(|e| self.err("listing objects", e))?;
            Ok(metas
                .iter()
                .filter_map(|m| {
                    let mut parts = m.location.parts().collect::<Vec<_>>().into_iter().rev();
                    let rest = parts.next()?;
                    let fan = parts.next()?;
                    super::id_from_parts(fan.as_ref(), rest.as_ref())
                })
                .collect())
        })
    }

    fn put_objects(
        &self,
        items: &[(ObjectId, PathBuf, u64)],
        p: &dyn Progress,
    ) -> Result<(), Error> {
        self.rt.block_on(async {
            let mut s = futures::stream::iter(items.iter().cloned())
                .map(|(id, src, size)| self.put_one(id, src, size))
                .buffer_unordered(CONCURRENCY);
            while let Some(done) = s.next().await {
                p.advance(done?);
            }
            Ok(())
        })
    }

    fn get_small(&self, ids: &[ObjectId]) -> Result<Vec<(ObjectId, Vec<u8>)>, Error> {
        self.rt.block_on(async {
            futures::stream::iter(ids.iter().copied())
                .map(|id| async move { Ok((id, self.get_bytes(id).await?)) })
                .buffer_unordered(CONCURRENCY)
                .try_collect()
                .await
        })
    }

    fn get_into(
        &self,
        items: &[(ObjectId, u64)],
        store: &Store,
        batch: &Batch,
        p: &dyn Progress,
    ) -> Result<(), Error> {
        let (small, large): (Vec<_>, Vec<_>) = items.iter().partition(|(_, s)| *s < LARGE);
        // Small objects: the runtime downloads and verifies; writer threads store them. Stored
        // on the runtime's own thread, each file creation held up every download (a clone
        // of 20,000 files took 54 s, with the network idle most of the time).
        let (tx, rx) = std::sync::mpsc::sync_channel::<(ObjectId, Vec<u8>)>(4 * CONCURRENCY);
        let rx = std::sync::Mutex::new(rx);
        std::thread::scope(|scope| {
            let writers: Vec<_> = (0..WRITERS)
                .map(|_| {
                    scope.spawn(|| -> Result<(), Error> {
                        loop {
                            let next = rx.lock().map_err(|_| self.poisoned())?.recv();
                            let Ok((id, bytes)) = next else {
                                return Ok(());
                            };
                            store.put_bytes(&bytes, batch).map_err(|e| Error::Store {
                                remote: self.name.clone(),
                                op: format!("storing object {id}"),
                                cause: e.to_string(),
                            })?;
                            p.advance(bytes.len() as u64);
                        }
                    })
                })
                .collect();
            // Tiny objects go many at a time: a GET's latency, not its bytes, bounds them.
            // Large ones stream to temp files meanwhile, so the two kinds overlap.
            let (tiny, medium): (Vec<_>, Vec<_>) = small.iter().partition(|(_, s)| *s < TINY);
            let downloaded = self.rt.block_on(async {
                let small = async {
                    for (ids, n) in [(tiny, TINY_CONCURRENCY), (medium, CONCURRENCY)] {
                        let mut s = futures::stream::iter(ids.into_iter().map(|(id, _)| id))
                            .map(
                                |id| async move { Ok::<_, Error>((id, self.get_bytes(id).await?)) },
                            )
                            .buffer_unordered(n);
                        while let Some(got) = s.next().await {
                            if tx.send(got?).is_err() {
                                return Ok(()); // a writer failed: its error is reported below
                            }
                        }
                    }
                    Ok::<_, Error>(())
                };
                let large = async {
                    let mut s = futures::stream::iter(large)
                        .map(|(id, size)| self.get_large(id, size, store, batch))
                        .buffer_unordered(CONCURRENCY);
                    while let Some(done) = s.next().await {
                        p.advance(done?);
                    }
                    Ok::<_, Error>(())
                };
                // The first error stops both.
                futures::try_join!(small, large).map(drop)
            });
            drop(tx);
            let written = writers
                .into_iter()
                .try_for_each(|w| w.join().unwrap_or_else(|_| Err(self.poisoned())));
            downloaded.and(written)
        })
    }

    fn branches(&self) -> Result<Vec<(String, ObjectId)>, Error> {
        let prefix = self.key("refs/heads");
        let strip = format!("{}/", prefix.as_ref());
        self.rt.block_on(async {
            let metas: Vec<_> = self
                .store
                .list(Some(&prefix))
                .try_collect()
                .await
                .map_err(|e| self.err("listing branches", e))?;
            let mut out = Vec::new();
            for m in metas {
                let Some(name) = m.location.as_ref().strip_prefix(&strip) else {
                    continue;
                };
                let got = self
                    .store
                    .get(&m.location)
                    .await
                    .map_err(|e| self.err("reading a branch", e))?;
                let text = got
                    .bytes()
                    .await
                    .map_err(|e| self.err("reading a branch", e))?;
                out.push((name.to_string(), super::parse_ref(&self.name, name, &text)?));
            }
            out.sort();
            Ok(out)
        })
    }

    fn read_ref(&self, branch: &str) -> Result<Option<(ObjectId, RefVersion)>, Error> {
        let key = self.key(&format!("refs/heads/{branch}"));
        self.rt.block_on(async {
            let got = match self.store.get(&key).await {
                Err(object_store::Error::NotFound { .. }) => return Ok(None),
                r => r.map_err(|e| self.err("reading a branch", e))?,
            };
            let tag = got.meta.e_tag.clone();
            let text = got
                .bytes()
                .await
                .map_err(|e| self.err("reading a branch", e))?;
            Ok(Some((
                super::parse_ref(&self.name, branch, &text)?,
                RefVersion(tag),
            )))
        })
    }

    fn swap_ref(
        &self,
        branch: &str,
        expected: Option<&(ObjectId, RefVersion)>,
        new: ObjectId,
    ) -> Result<(), Error> {
        let key = self.key(&format!("refs/heads/{branch}"));
        let moved = |now: Option<ObjectId>| Error::RefMoved {
            remote: self.name.clone(),
            branch: branch.into(),
            expected: expected.map_or("nothing".into(), |e| e.0.short()),
            now: now.map_or("something else".into(), |n| n.short()),
        };
        let mode = match expected {
            None => PutMode::Create,
            Some((_, RefVersion(tag))) => PutMode::Update(UpdateVersion {
                e_tag: tag.clone(),
                version: None,
            }),
        };
        let body = PutPayload::from(format!("{}\n", new.hex()).into_bytes());
        let opts = PutOptions {
            mode,
            ..Default::default()
        };
        let put = self
            .rt
            .block_on(self.store.put_opts(&key, body.clone(), opts));
        match put {
            Ok(_) => Ok(()),
            Err(object_store::Error::Precondition { .. })
            | Err(object_store::Error::AlreadyExists { .. }) => {
                Err(moved(self.read_ref(branch)?.map(|r| r.0)))
            }
            Err(object_store::Error::NotImplemented { .. })
            | Err(object_store::Error::NotSupported { .. }) => {
                // No conditional puts: compare right before an unconditional write.
                let now = self.read_ref(branch)?;
                if now.as_ref().map(|n| n.0) != expected.map(|e| e.0) {
                    return Err(moved(now.map(|n| n.0)));
                }
                self.rt
                    .block_on(self.store.put(&key, body))
                    .map(drop)
                    .map_err(|e| self.err("writing a branch", e))
            }
            Err(e) => Err(self.err("writing a branch", e)),
        }
    }
}
