//! How S3 failures reach the user: an HTTP client that keeps the status and `<Code>` of the
//! error answers pach must tell apart, and the sorting of client errors into remote errors.

use object_store::ClientOptions;
use object_store::client::{
    HttpClient, HttpConnector, HttpError, HttpErrorKind, HttpRequest, HttpResponse, HttpService,
    ReqwestConnector,
};

use crate::remote::Error;

/// An S3 error response: its HTTP status and the `<Code>` of its XML body, kept by
/// [`Coded`] because `object_store` does not expose the status of every failed request.
#[derive(Debug)]
pub(super) struct S3Failure {
    pub(super) status: u16,
    pub(super) code: String,
}

impl std::fmt::Display for S3Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {} {}", self.status, self.code)
    }
}

impl std::error::Error for S3Failure {}

/// Returns the `<Code>` element of an S3 XML error document.
pub(super) fn error_code(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<Code>")? + "<Code>".len();
    let len = text[start..].find("</Code>")?;
    Some(text[start..start + len].trim().to_string())
}

/// Connects [`Coded`] clients over `object_store`'s reqwest connector.
#[derive(Debug)]
pub(super) struct CodedConnector;

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
pub(super) enum Cause {
    NoBucket,
    Denied,
    Unreachable,
    Other,
}

/// Sorts a client error by its S3 status and error code, or its transport failure, or the
/// `object_store` variant (which `object_store` chose by HTTP status).
pub(super) fn cause_of(e: &object_store::Error) -> Cause {
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
pub(super) fn classify(
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
