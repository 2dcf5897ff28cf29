//! An S3-compatible remote through `object_store`: keys `<prefix>/objects/ab/cdef…`,
//! `<prefix>/refs/heads/<branch>` and `<prefix>/refs/tags/<tag>`.
//!
//! A PUT is atomic on S3 (an object appears whole or not at all), so objects need no temp
//! names. Refs move with conditional puts (`If-Match` on the ETag read before, or
//! `If-None-Match: *` when absent); a server without conditional puts gets a re-read and
//! compare right before the write instead, which narrows but cannot close the race. A delete
//! is never conditional in `object_store`, so it too is a re-read and compare right before.

mod errors;
mod transfer;

use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as Key;
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, RetryConfig,
    UpdateVersion,
};
use tokio::runtime::Runtime;

use super::{Backend, Damage, Error, RefSpace, RefVersion, S3Settings, id_from_parts, parse_ref};
use crate::progress::Progress;
use crate::store::{Batch, ObjectId, Store};
use errors::{CodedConnector, classify};

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
    /// The process's one runtime ([`crate::runtime::get`]): every call blocks on it.
    rt: &'static Runtime,
}

impl S3Remote {
    /// Builds the client (no request is made yet).
    ///
    /// Everything comes from `object_store`'s reading of the `AWS_*` variables
    /// ([`AmazonS3Builder::from_env`]), then the project's settings `s` override the endpoint
    /// and region. Credentials come from its AWS chain: `AWS_ACCESS_KEY_ID`/
    /// `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else a web identity token
    /// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, as CI OIDC sets them), else container
    /// credentials (`AWS_CONTAINER_CREDENTIALS_*`), else instance metadata. Unsigned requests
    /// only with `AWS_SKIP_SIGNATURE=true`. Plain http only to a loopback endpoint, whatever
    /// `AWS_ALLOW_HTTP` says.
    pub fn new(name: &str, bucket: &str, prefix: &str, s: &S3Settings) -> Result<Self, Error> {
        let env = AmazonS3Builder::from_env();
        let chosen = chosen_endpoint(&env, s);
        let endpoint = chosen
            .clone()
            .unwrap_or_else(|| "https://s3.amazonaws.com".into());
        let url = format!("s3://{bucket}/{prefix}");
        let allow_http = match http_allowed(&endpoint) {
            Ok(loopback) => loopback && s.allow_http != Some(false),
            Err(reason) => {
                return Err(Error::BadUrl {
                    url: endpoint,
                    reason,
                });
            }
        };
        if endpoint.starts_with("http://") && !allow_http {
            return Err(Error::BadUrl {
                url: endpoint,
                reason: "plain http is allowed only for a loopback endpoint (localhost, \
                         127.0.0.0/8, [::1]) and not with `allow_http = false`; use https"
                    .into(),
            });
        }
        let mut b = env
            .with_bucket_name(bucket)
            .with_virtual_hosted_style_request(false)
            .with_http_connector(CodedConnector)
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: Duration::from_secs(15),
                ..Default::default()
            })
            // Replaces whatever `AWS_ALLOW_HTTP` asked for: only the rule above decides.
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(allow_http)
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(300)),
            );
        let set = |v: Option<String>| v.filter(|v| !v.is_empty());
        let region = set(s.region.clone())
            .or_else(|| set(b.get_config_value(&AmazonS3ConfigKey::Region)))
            .unwrap_or_else(|| "us-east-1".into());
        b = b.with_region(region);
        if let Some(e) = &chosen {
            // Both keys: `AWS_ENDPOINT_URL_S3` would otherwise win over the checked endpoint.
            b = b
                .with_endpoint(e)
                .with_config(AmazonS3ConfigKey::S3Endpoint, e);
        }
        let store = b.build().map_err(|e| Error::BadUrl {
            url,
            reason: e.to_string(),
        })?;
        let rt = crate::runtime::get().map_err(|e| Error::Store {
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

    /// Lists every key under `dir`, as its last two parts (parent, name).
    fn list_tails(&self, dir: &str) -> Result<Vec<(String, String)>, Error> {
        let prefix = self.key(dir);
        self.rt.block_on(async {
            let metas: Vec<_> = self
                .store
                .list(Some(&prefix))
                .try_collect()
                .await
                .map_err(|e| self.err(&format!("listing {dir}"), e))?;
            Ok(metas
                .iter()
                .filter_map(|m| {
                    let mut parts = m.location.parts().collect::<Vec<_>>().into_iter().rev();
                    let name = parts.next()?.as_ref().to_string();
                    Some((parts.next()?.as_ref().to_string(), name))
                })
                .collect())
        })
    }

    /// Turns a client error into one that names the remote and the likely cause.
    fn err(&self, op: &str, e: object_store::Error) -> Error {
        classify(&self.name, &self.bucket, &self.endpoint, op, &e)
    }
}

/// Returns the endpoint requests will go to: the project's setting, else what the
/// environment gave `object_store` (`AWS_ENDPOINT_URL_S3` before `AWS_ENDPOINT_URL` or
/// `AWS_ENDPOINT`, as it builds them), else none (AWS itself). Empty values count as unset.
fn chosen_endpoint(env: &AmazonS3Builder, s: &S3Settings) -> Option<String> {
    let set = |v: Option<String>| v.filter(|v| !v.is_empty());
    set(s.endpoint.clone())
        .or_else(|| set(env.get_config_value(&AmazonS3ConfigKey::S3Endpoint)))
        .or_else(|| set(env.get_config_value(&AmazonS3ConfigKey::Endpoint)))
}

/// Tells whether plain http may be used for `endpoint`: only when its parsed host is
/// `localhost`, in 127.0.0.0/8 or `[::1]` (no setting widens it). An endpoint that is not a
/// URL is an error.
fn http_allowed(endpoint: &str) -> Result<bool, String> {
    let u = url::Url::parse(endpoint).map_err(|e| format!("not a URL: {e}"))?;
    match u.scheme() {
        "https" => return Ok(false),
        "http" => {}
        other => {
            return Err(format!(
                "scheme `{other}`: use https:// (or http:// on loopback)"
            ));
        }
    }
    Ok(match u.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip == std::net::Ipv6Addr::LOCALHOST,
        None => false,
    })
}

impl Backend for S3Remote {
    fn list_ids(&self, dir: &str) -> Result<HashSet<ObjectId>, Error> {
        Ok(self
            .list_tails(dir)?
            .into_iter()
            .filter_map(|(fan, rest)| id_from_parts(&fan, &rest))
            .collect())
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

    fn put_files(&self, files: &[(String, Vec<u8>)]) -> Result<(), Error> {
        self.rt.block_on(async {
            futures::stream::iter(files.iter())
                .map(|(rel, bytes)| async move {
                    self.store
                        .put(&self.key(rel), PutPayload::from(bytes.clone()))
                        .await
                        .map(drop)
                        .map_err(|e| self.err(&format!("uploading `{rel}`"), e))
                })
                .buffer_unordered(CONCURRENCY)
                .try_collect::<Vec<()>>()
                .await
                .map(drop)
        })
    }

    fn get_files(&self, rels: &[String]) -> Result<Vec<Option<Vec<u8>>>, Error> {
        self.rt.block_on(async {
            futures::stream::iter(rels.iter())
                .map(|rel| async move {
                    match self.store.get(&self.key(rel)).await {
                        Err(object_store::Error::NotFound { .. }) => Ok(None),
                        Err(e) => Err(self.err(&format!("downloading `{rel}`"), e)),
                        Ok(got) => got
                            .bytes()
                            .await
                            .map(|b| Some(Vec::from(b)))
                            .map_err(|e| self.err(&format!("downloading `{rel}`"), e)),
                    }
                })
                .buffered(CONCURRENCY)
                .try_collect()
                .await
        })
    }

    fn delete_files(&self, rels: &[String]) -> Result<(), Error> {
        self.rt.block_on(async {
            futures::stream::iter(rels.iter())
                .map(|rel| async move {
                    match self.store.delete(&self.key(rel)).await {
                        Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                        Err(e) => Err(self.err(&format!("deleting `{rel}`"), e)),
                    }
                })
                .buffer_unordered(CONCURRENCY)
                .try_collect::<Vec<()>>()
                .await
                .map(drop)
        })
    }

    fn list_names(&self, dir: &str) -> Result<Vec<String>, Error> {
        let parent = dir.rsplit('/').next().unwrap_or(dir);
        Ok(self
            .list_tails(dir)?
            .into_iter()
            .filter(|(p, _)| p == parent) // only files directly under `dir`
            .map(|(_, name)| name)
            .collect())
    }

    fn get_ranges(&self, rel: &str, ranges: &[Range<u64>]) -> Result<Vec<Vec<u8>>, Error> {
        let key = self.key(rel);
        self.rt.block_on(async {
            futures::stream::iter(ranges.iter().cloned())
                .map(|r| {
                    let key = &key;
                    async move {
                        match self.store.get_range(key, r).await {
                            Ok(b) => Ok(Vec::from(b)), // no copy: the body is read into one buffer
                            Err(object_store::Error::NotFound { .. }) => Err(Error::NoKey {
                                remote: self.name.clone(),
                                key: rel.into(),
                            }),
                            Err(e) => Err(self.err(&format!("reading `{rel}`"), e)),
                        }
                    }
                })
                .buffered(CONCURRENCY)
                .try_collect()
                .await
        })
    }

    fn check_objects(
        &self,
        ids: &[ObjectId],
        p: &dyn Progress,
    ) -> Result<Vec<(ObjectId, Damage)>, Error> {
        self.rt.block_on(async {
            let mut s = futures::stream::iter(ids.iter().copied())
                .map(|id| self.check_one(id))
                .buffer_unordered(CONCURRENCY);
            let mut bad = Vec::new();
            while let Some(done) = s.next().await {
                let (id, size, damage) = done?;
                p.advance(size);
                if let Some(d) = damage {
                    bad.push((id, d));
                }
            }
            Ok(bad)
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

    fn list_refs(&self, space: RefSpace) -> Result<Vec<(String, ObjectId)>, Error> {
        let prefix = self.key(space.dir());
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
                out.push((name.to_string(), parse_ref(&self.name, name, &text)?));
            }
            out.sort();
            Ok(out)
        })
    }

    fn read_ref(
        &self,
        space: RefSpace,
        branch: &str,
    ) -> Result<Option<(ObjectId, RefVersion)>, Error> {
        let key = self.key(&format!("{}/{branch}", space.dir()));
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
                parse_ref(&self.name, branch, &text)?,
                RefVersion(tag),
            )))
        })
    }

    fn swap_ref(
        &self,
        space: RefSpace,
        branch: &str,
        expected: Option<&(ObjectId, RefVersion)>,
        new: ObjectId,
    ) -> Result<(), Error> {
        let key = self.key(&format!("{}/{branch}", space.dir()));
        let moved = |now: Option<ObjectId>| Error::RefMoved {
            remote: self.name.clone(),
            branch: space.shown(branch),
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
                Err(moved(self.read_ref(space, branch)?.map(|r| r.0)))
            }
            Err(object_store::Error::NotImplemented { .. })
            | Err(object_store::Error::NotSupported { .. }) => {
                // No conditional puts: compare right before an unconditional write.
                let now = self.read_ref(space, branch)?;
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

    fn delete_ref(
        &self,
        space: RefSpace,
        name: &str,
        expected: &(ObjectId, RefVersion),
    ) -> Result<(), Error> {
        // `object_store` has no conditional delete: compare (id and ETag) right before it.
        let now = self.read_ref(space, name)?;
        if now.as_ref() != Some(expected) {
            return Err(Error::RefMoved {
                remote: self.name.clone(),
                branch: space.shown(name),
                expected: expected.0.short(),
                now: now.map_or("nothing".into(), |n| n.0.short()),
            });
        }
        let key = self.key(&format!("{}/{name}", space.dir()));
        self.rt
            .block_on(self.store.delete(&key))
            .map_err(|e| self.err("deleting a ref", e))
    }
}

#[cfg(test)]
mod tests;
