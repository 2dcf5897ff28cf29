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
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpResponse, HttpService,
    ReqwestConnector,
};
use object_store::path::Path as Key;
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, RetryConfig,
    UpdateVersion, WriteMultipart,
};

use super::{Backend, Damage, Error, RefVersion, S3Settings};
use crate::progress::Progress;
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
    ///
    /// Credentials come from `object_store`'s AWS chain: `AWS_ACCESS_KEY_ID`/
    /// `AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else a web identity token
    /// (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`, as CI OIDC sets them), else container
    /// credentials (`AWS_CONTAINER_CREDENTIALS_*`), else instance metadata. Unsigned requests
    /// only with `AWS_SKIP_SIGNATURE=true`.
    pub fn new(name: &str, bucket: &str, prefix: &str, s: &S3Settings) -> Result<Self, Error> {
        let endpoint = s
            .endpoint
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
        let mut b = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_region(s.region.clone().unwrap_or_else(|| "us-east-1".into()))
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
        if let Some(e) = &s.endpoint {
            b = b.with_endpoint(e);
        }
        if let (Some(k), Some(sec)) = (&s.access_key, &s.secret_key) {
            b = b.with_access_key_id(k).with_secret_access_key(sec);
            if let Some(t) = &s.token {
                b = b.with_token(t);
            }
        }
        let store = b.build().map_err(|e| Error::BadUrl {
            url,
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
        classify(&self.name, &self.bucket, &self.endpoint, op, &e)
    }
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

/// An S3 error response: its HTTP status and the `<Code>` of its XML body, kept by
/// [`Coded`] because `object_store` does not expose the status of every failed request.
#[derive(Debug)]
struct S3Failure {
    status: u16,
    code: String,
}

impl std::fmt::Display for S3Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.code)
    }
}

impl std::error::Error for S3Failure {}

/// Returns the `<Code>` element of an S3 XML error document.
fn error_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let len = text[start..].find("</Code>")?;
    Some(text[start..start + len].trim().to_string())
}

/// Connects [`Coded`] clients over `object_store`'s reqwest connector.
#[derive(Debug)]
struct CodedConnector;

impl HttpConnector for CodedConnector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        Ok(HttpClient::new(Coded(
            ReqwestConnector::default().connect(options)?,
        )))
    }
}

/// An HTTP client that turns S3 answers pach must tell apart (401/403 with an error code,
/// 404 `NoSuchBucket`) into errors carrying [`S3Failure`]; every other response, 404
/// `NoSuchKey` and 412 included, passes through for `object_store` to handle.
#[derive(Debug)]
struct Coded(HttpClient);

impl HttpService for Coded {
    fn call<'a, 'b>(
        &'a self,
        req: HttpRequest,
    ) -> futures::future::BoxFuture<'b, Result<HttpResponse, HttpError>>
    where
        'a: 'b,
        Self: 'b,
    {
        Box::pin(async move {
            let resp = self.0.execute(req).await?;
            let status = resp.status().as_u16();
            if !matches!(status, 401 | 403 | 404) {
                return Ok(resp);
            }
            let (parts, body) = resp.into_parts();
            let bytes = body.bytes().await?;
            match error_code(&bytes) {
                Some(code) if status != 404 || code == "NoSuchBucket" => Err(HttpError::new(
                    HttpErrorKind::Unknown,
                    S3Failure { status, code },
                )),
                _ => Ok(HttpResponse::from_parts(parts, bytes.into())),
            }
        })
    }
}

/// What a failed request means to the user.
#[derive(Debug, PartialEq, Eq)]
enum Cause {
    NoBucket,
    Denied,
    Unreachable,
    Other,
}

/// Sorts a client error by its S3 status and error code, or its transport failure, or the
/// `object_store` variant (which `object_store` chose by HTTP status).
fn cause_of(e: &object_store::Error) -> Cause {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = src {
        if let Some(f) = s.downcast_ref::<S3Failure>() {
            return match (f.status, f.code.as_str()) {
                (_, "NoSuchBucket") => Cause::NoBucket,
                (401 | 403, _) => Cause::Denied,
                _ => Cause::Other,
            };
        }
        if let Some(h) = s.downcast_ref::<HttpError>()
            && matches!(
                h.kind(),
                HttpErrorKind::Connect
                    | HttpErrorKind::Request
                    | HttpErrorKind::Timeout
                    | HttpErrorKind::Interrupted
            )
        {
            return Cause::Unreachable;
        }
        src = s.source();
    }
    match e {
        object_store::Error::PermissionDenied { .. }
        | object_store::Error::Unauthenticated { .. } => Cause::Denied,
        _ => Cause::Other,
    }
}

/// Turns a client error into the error users can act on, naming the remote.
fn classify(
    remote: &str,
    bucket: &str,
    endpoint: &str,
    op: &str,
    e: &object_store::Error,
) -> Error {
    // The message with every cause, for people; never inspected.
    let mut cause = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let t = s.to_string();
        if !cause.ends_with(&t) {
            cause = format!("{cause}: {t}");
        }
        src = s.source();
    }
    let short = |n: usize| cause.chars().take(n).collect::<String>();
    match cause_of(e) {
        Cause::NoBucket => Error::NoBucket {
            remote: remote.into(),
            bucket: bucket.into(),
        },
        Cause::Denied => Error::Denied {
            remote: remote.into(),
            cause: short(300),
        },
        Cause::Unreachable => Error::Unreachable {
            remote: remote.into(),
            endpoint: endpoint.into(),
            cause: short(300),
        },
        Cause::Other => Error::Store {
            remote: remote.into(),
            op: op.into(),
            cause: short(500),
        },
    }
}

impl S3Remote {
    async fn put_one(&self, id: ObjectId, src: PathBuf, size: u64) -> Result<u64, Error> {
        let key = self.key(&super::object_key(&id));
        let io = super::io_err(&self.name, &src);
        if size < LARGE {
            let bytes = tokio::fs::read(&src).await.map_err(io)?;
            super::local_check(&self.name, &id, blake3::hash(&bytes))?;
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
            if let Err(e) = super::local_check(&self.name, &id, h.finalize()) {
                let _ = w.abort().await;
                return Err(e);
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

    /// Re-hashes one remote object as it streams in: (id, size, damage if any).
    async fn check_one(&self, id: ObjectId) -> Result<(ObjectId, u64, Option<Damage>), Error> {
        let got = match self.store.get(&self.key(&super::object_key(&id))).await {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_for_a_loopback_host() {
        for ok in [
            "http://localhost:9000",
            "http://LOCALHOST",
            "http://127.0.0.1:9000",
            "http://127.8.9.10",
            "http://[::1]:9000/",
        ] {
            assert_eq!(http_allowed(ok), Ok(true), "{ok}");
        }
        for no in [
            "http://localhost.evil.com",
            "http://localhost@evil.com",
            "http://127.0.0.1.evil.com",
            "http://evil.com/http://127.0.0.1",
            "http://128.0.0.1",
            "http://[::2]",
            "http://10.0.0.1:9000",
            "https://localhost:9000",
        ] {
            assert_eq!(http_allowed(no), Ok(false), "{no}");
        }
        assert!(http_allowed("ftp://localhost").is_err());
        assert!(http_allowed("localhost:9000").is_err());
    }

    #[test]
    fn an_http_endpoint_elsewhere_is_refused_whatever_asks_for_it() {
        let s = S3Settings {
            endpoint: Some("http://localhost.evil.com:9000".into()),
            allow_http: Some(true),
            ..Default::default()
        };
        let e = S3Remote::new("origin", "b", "p", &s).err().unwrap();
        assert!(e.to_string().contains("loopback"), "{e}");
        let s = S3Settings {
            endpoint: Some("http://127.0.0.1:9".into()),
            ..Default::default()
        };
        assert!(S3Remote::new("origin", "b", "p", &s).is_ok());
    }

    fn generic(source: impl std::error::Error + Send + Sync + 'static) -> object_store::Error {
        object_store::Error::Generic {
            store: "S3",
            source: Box::new(source),
        }
    }

    #[test]
    fn errors_are_classified_by_status_code_and_transport_kind() {
        let failure = |status, code: &str| {
            generic(HttpError::new(
                HttpErrorKind::Unknown,
                S3Failure {
                    status,
                    code: code.into(),
                },
            ))
        };
        assert_eq!(cause_of(&failure(404, "NoSuchBucket")), Cause::NoBucket);
        assert_eq!(
            cause_of(&failure(403, "SignatureDoesNotMatch")),
            Cause::Denied
        );
        assert_eq!(cause_of(&failure(401, "Whatever")), Cause::Denied);
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(
            cause_of(&generic(HttpError::new(HttpErrorKind::Connect, refused))),
            Cause::Unreachable
        );
        let timeout = std::io::Error::from(std::io::ErrorKind::TimedOut);
        assert_eq!(
            cause_of(&generic(HttpError::new(HttpErrorKind::Timeout, timeout))),
            Cause::Unreachable
        );
        // A message that mentions a cause is not that cause.
        let words = std::io::Error::other("403 NoSuchBucket connect timed out AccessDenied");
        assert_eq!(cause_of(&generic(words)), Cause::Other);
        let denied = object_store::Error::PermissionDenied {
            path: "k".into(),
            source: "403".into(),
        };
        assert_eq!(cause_of(&denied), Cause::Denied);
        assert_eq!(
            error_code(b"<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code></Error>")
                .as_deref(),
            Some("NoSuchBucket")
        );
        assert_eq!(error_code(b"no xml"), None);
    }
}
