//! Unit tests of the S3 transport: the plain-http rule and the sorting of client errors.

use object_store::client::{HttpError, HttpErrorKind};

use super::errors::{Cause, S3Failure, cause_of, error_code};
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
        error_code(b"<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code></Error>").as_deref(),
        Some("NoSuchBucket")
    );
    assert_eq!(error_code(b"no xml"), None);
}

#[test]
fn the_project_endpoint_overrides_the_environment_and_empty_values_do_not_count() {
    let env = AmazonS3Builder::new()
        .with_config(AmazonS3ConfigKey::Endpoint, "https://generic.example")
        .with_config(AmazonS3ConfigKey::S3Endpoint, "https://s3.example");
    let none = S3Settings::default();
    assert_eq!(
        chosen_endpoint(&env, &none).as_deref(),
        Some("https://s3.example")
    );
    let project = S3Settings {
        endpoint: Some("http://127.0.0.1:9000".into()),
        ..Default::default()
    };
    assert_eq!(
        chosen_endpoint(&env, &project).as_deref(),
        Some("http://127.0.0.1:9000")
    );
    let blank = AmazonS3Builder::new().with_config(AmazonS3ConfigKey::Endpoint, "");
    assert_eq!(chosen_endpoint(&blank, &none), None);
}
