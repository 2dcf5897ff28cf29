//! `.pach/config.toml`: local settings.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::store::LinkMode;

/// Local settings of one project.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How files pass between store and working tree; `None` means reflink where supported.
    pub link: Option<LinkMode>,
    /// Remotes by name (`[remote.origin] url = "…"`), managed by `pach remote`.
    #[serde(default)]
    pub remote: std::collections::BTreeMap<String, RemoteConfig>,
    /// The `[gc]` table.
    #[serde(default)]
    pub gc: GcConfig,
}

/// The `[gc]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcConfig {
    /// How long `gc` keeps the records and logs of failed runs (`14d`, `36h`, …); default
    /// [`GcConfig::FAILED_RUNS`].
    pub failed_runs: Option<String>,
}

impl GcConfig {
    /// The default retention of failed runs.
    pub const FAILED_RUNS: &'static str = "14d";
}

/// One `[remote.<name>]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteConfig {
    /// A directory path, `file://…` or `s3://bucket/prefix`.
    pub url: String,
    /// S3 endpoint URL (overrides `AWS_ENDPOINT_URL`).
    pub endpoint: Option<String>,
    /// S3 region (overrides `AWS_REGION`).
    pub region: Option<String>,
    /// Allow plain `http://` endpoints (default: only on loopback).
    pub allow_http: Option<bool>,
}

impl Config {
    /// The file `pach init` writes.
    pub const TEMPLATE: &'static str = "\
# pach settings for this project.
# link: how files pass between the store and the working tree:
#   \"copy\", \"reflink\" (copy-on-write where the filesystem supports it, else copy),
#   or \"hardlink\" (store and working tree share read-only files; fastest, least disk).
# Unset: reflink where supported, else copy.
# link = \"copy\"
";

    /// Reads and validates the config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(Error::Io {
                    path: path.into(),
                    source,
                });
            }
        };
        let config: Config = toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            Error::Config {
                path: path.into(),
                message: format!("{at}{}", e.message()),
            }
        })?;
        if let Some(d) = &config.gc.failed_runs
            && crate::time::parse_duration(d).is_err()
        {
            return Err(Error::Config {
                path: path.into(),
                message: format!("[gc] failed_runs: invalid duration `{d}` (use e.g. 36h or 14d)"),
            });
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parses_and_bad_mode_names_the_line() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("config.toml");
        std::fs::write(&p, Config::TEMPLATE).unwrap();
        assert_eq!(Config::load(&p).unwrap().link, None);
        std::fs::write(&p, "# x\nlink = \"symlink\"\n").unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn failed_runs_retention_is_read_and_checked() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("config.toml");
        std::fs::write(&p, "[gc]\nfailed_runs = \"36h\"\n").unwrap();
        let got = Config::load(&p).unwrap().gc.failed_runs.unwrap();
        assert_eq!(
            crate::time::parse_duration(&got),
            Ok(std::time::Duration::from_secs(36 * 3600))
        );
        std::fs::write(&p, "[gc]\nfailed_runs = \"two weeks\"\n").unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(
            e.contains("failed_runs") && e.contains("`two weeks`"),
            "{e}"
        );
    }
}
