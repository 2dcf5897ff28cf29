//! `.pach/config.toml`: local settings, read with `toml` and edited with `toml_edit` (so a
//! user's comments, key order and layout survive `pach remote add/remove`).

use std::path::Path;

use serde::Deserialize;
use toml_edit::{DocumentMut, Item, Table, value};

use super::Repo;
use crate::error::{Error, Result};
use crate::store::LinkMode;

/// The config file's name inside `.pach/`.
pub const CONFIG_FILE: &str = "config.toml";

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
    /// `false`: leave `.gitignore` alone (no `/.pach/` line, no block of tracked paths).
    pub gitignore: Option<bool>,
}

/// The `[gc]` table.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GcConfig {
    /// How long `gc` keeps the records and logs of failed runs (`14d`, `36h`, …); default
    /// [`GcConfig::FAILED_RUNS`].
    pub failed_runs: Option<String>,
    /// How long `gc` keeps the commits the reflog names (`90d`, …); default
    /// [`GcConfig::REFLOG`].
    pub reflog: Option<String>,
}

impl GcConfig {
    /// The default retention of failed runs.
    pub const FAILED_RUNS: &'static str = "14d";
    /// The default retention of reflog entries.
    pub const REFLOG: &'static str = "90d";
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
    /// The layout pushes write: 3 keeps objects loose (for pach before packs), 4 packs with
    /// an index per pack, 5 (the default) packs with one index per push.
    pub layout: Option<u32>,
    /// Apply the purge records fetched from this remote (erasing the bytes they name here).
    /// `pach clone` sets it for `origin`; `pach remote trust-purges` for others.
    pub trust_purges: Option<bool>,
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
# gitignore: inside a git repository, pach keeps a block in .gitignore listing what it
#   tracks, so git ignores the data; false leaves .gitignore alone.
# gitignore = false
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
        for (key, d) in [
            ("failed_runs", &config.gc.failed_runs),
            ("reflog", &config.gc.reflog),
        ] {
            if let Some(d) = d
                && crate::time::parse_duration(d).is_err()
            {
                return Err(Error::Config {
                    path: path.into(),
                    message: format!("[gc] {key}: invalid duration `{d}` (use e.g. 36h or 14d)"),
                });
            }
        }
        Ok(config)
    }
}

impl Repo {
    /// Adds `[remote.<name>]` with `url` (and `endpoint`, `region` when given) at the end of
    /// the config file, keeping everything else as written, and reloads the config.
    pub fn add_remote_config(
        &mut self,
        name: &str,
        url: &str,
        endpoint: Option<&str>,
        region: Option<&str>,
    ) -> Result<()> {
        let path = self.pach_dir().join(CONFIG_FILE);
        edit(&path, |doc| add_remote(doc, name, url, endpoint, region))?;
        self.config = Config::load(&path)?;
        Ok(())
    }

    /// Removes `[remote.<name>]` from the config file, keeping everything else as written,
    /// and reloads the config.
    pub fn remove_remote_config(&mut self, name: &str) -> Result<()> {
        let path = self.pach_dir().join(CONFIG_FILE);
        edit(&path, |doc| {
            remove_remote(doc, name);
            Ok(())
        })?;
        self.config = Config::load(&path)?;
        Ok(())
    }
}

impl Repo {
    /// Renames `[remote.<old>]` to `[remote.<new>]` in the config file, in place (its keys,
    /// comments and position kept), and reloads the config.
    pub fn rename_remote_config(&mut self, old: &str, new: &str) -> Result<()> {
        let path = self.pach_dir().join(CONFIG_FILE);
        edit(&path, |doc| rename_remote(doc, old, new))?;
        self.config = Config::load(&path)?;
        Ok(())
    }

    /// Sets `url` of `[remote.<name>]` in the config file, keeping everything else as
    /// written, and reloads the config.
    pub fn set_remote_url_config(&mut self, name: &str, url: &str) -> Result<()> {
        let path = self.pach_dir().join(CONFIG_FILE);
        edit(&path, |doc| {
            remote_table(doc, name)?.insert("url", value(url));
            Ok(())
        })?;
        self.config = Config::load(&path)?;
        Ok(())
    }
}

impl Repo {
    /// Sets `trust_purges` of `[remote.<name>]` in the config file, keeping everything else
    /// as written, and reloads the config.
    pub fn set_remote_trust_config(&mut self, name: &str, trust: bool) -> Result<()> {
        let path = self.pach_dir().join(CONFIG_FILE);
        edit(&path, |doc| {
            remote_table(doc, name)?.insert("trust_purges", value(trust));
            Ok(())
        })?;
        self.config = Config::load(&path)?;
        Ok(())
    }
}

/// Returns table `[remote.<name>]` of `doc`.
fn remote_table<'d>(doc: &'d mut DocumentMut, name: &str) -> Result<&'d mut Table, String> {
    doc.get_mut("remote")
        .and_then(Item::as_table_mut)
        .and_then(|t| t.get_mut(name))
        .and_then(Item::as_table_mut)
        .ok_or_else(|| format!("no table `[remote.{name}]`"))
}

/// Renames `[remote.<old>]` to `[remote.<new>]`: the same table (keys, comments, position)
/// under the new key.
fn rename_remote(doc: &mut DocumentMut, old: &str, new: &str) -> Result<(), String> {
    let remotes = doc
        .get_mut("remote")
        .and_then(Item::as_table_mut)
        .ok_or_else(|| format!("no table `[remote.{old}]`"))?;
    if remotes.contains_key(new) {
        return Err(format!("`[remote.{new}]` already exists"));
    }
    let item = remotes
        .remove(old)
        .ok_or_else(|| format!("no table `[remote.{old}]`"))?;
    remotes.insert(new, item);
    Ok(())
}

/// Reads the config file at `path` (a missing one is empty), applies `change` and writes it
/// back through a temp file and a rename, so a crash leaves the old file or the new one.
fn edit(path: &Path, change: impl FnOnce(&mut DocumentMut) -> Result<(), String>) -> Result<()> {
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(e)),
    };
    let bad = |message: String| Error::Config {
        path: path.into(),
        message,
    };
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| bad(e.to_string()))?;
    change(&mut doc).map_err(bad)?;
    let mut body = doc.to_string();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, body).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Adds table `[remote.<name>]` to `doc`, after the other remotes (at the end when it is the
/// first), with a blank line before it.
fn add_remote(
    doc: &mut DocumentMut,
    name: &str,
    url: &str,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<(), String> {
    let mut t = Table::new();
    t.insert("url", value(url));
    if let Some(e) = endpoint {
        t.insert("endpoint", value(e));
    }
    if let Some(r) = region {
        t.insert("region", value(r));
    }
    // The first remote is printed last: comments at the end of the file stay above it, as if
    // it were appended. Later remotes join the others, and such comments stay at the end.
    let mut end = String::new();
    if !doc.contains_key("remote") {
        end = doc.trailing().as_str().unwrap_or("").to_string();
        doc.set_trailing("");
    }
    t.decor_mut().set_prefix(format!("{end}\n"));
    doc.entry("remote")
        .or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(true);
            Item::Table(t)
        })
        .as_table_mut()
        .ok_or("`remote` is not a table")?
        .insert(name, Item::Table(t));
    Ok(())
}

/// Removes `[remote.<name>]` from `doc`; nothing when there is none. Comments written just
/// above its header stay, in front of what followed it (as a text edit would leave them).
fn remove_remote(doc: &mut DocumentMut, name: &str) {
    let Some(gone) = doc
        .get_mut("remote")
        .and_then(Item::as_table_like_mut)
        .and_then(|t| t.remove(name))
    else {
        return;
    };
    let Some(gone) = gone.as_table() else { return };
    let prefix = gone.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
    if !prefix.contains('#') {
        return;
    }
    let comments = format!("{}\n", prefix.trim_end());
    let next = gone.position().and_then(|p| first_after(doc.as_table(), p));
    match next.and_then(|n| table_at(doc.as_table_mut(), n)) {
        Some(t) => {
            let old = t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
            let joined = format!("{comments}{old}");
            t.decor_mut().set_prefix(joined);
        }
        None => {
            let old = doc.trailing().as_str().unwrap_or("");
            let joined = format!("{comments}{old}");
            doc.set_trailing(joined);
        }
    }
}

/// Returns the smallest position after `pos` of a table written with a header in `t`.
fn first_after(t: &Table, pos: isize) -> Option<isize> {
    let mut best = None;
    for (_, item) in t.iter() {
        let Some(sub) = item.as_table() else { continue };
        let own = sub.position().filter(|p| *p > pos && !sub.is_implicit());
        for p in own.into_iter().chain(first_after(sub, pos)) {
            best = Some(best.map_or(p, |b: isize| b.min(p)));
        }
    }
    best
}

/// Returns the table written with a header at position `pos` in `t`.
fn table_at(t: &mut Table, pos: isize) -> Option<&mut Table> {
    for (_, item) in t.iter_mut() {
        let Some(sub) = item.as_table_mut() else {
            continue;
        };
        if sub.position() == Some(pos) && !sub.is_implicit() {
            return Some(sub);
        }
        if let Some(found) = table_at(sub, pos) {
            return Some(found);
        }
    }
    None
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

    /// A config as a user might have written it: comments, keys in their order, a remote.
    const WRITTEN: &str = "\
# my settings
link = \"copy\"   # fastest here

# keep failed runs a while
[gc]
failed_runs = \"36h\"

[remote.backup]
url = \"/mnt/backup\"
";

    #[test]
    fn remote_add_then_remove_keeps_comments_and_order() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(CONFIG_FILE);
        std::fs::write(&p, WRITTEN).unwrap();
        edit(&p, |doc| {
            add_remote(
                doc,
                "origin",
                "s3://b/p",
                Some("http://127.0.0.1:9000"),
                None,
            )
        })
        .unwrap();
        let added = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            added,
            format!(
                "{WRITTEN}\n[remote.origin]\nurl = \"s3://b/p\"\nendpoint = \"http://127.0.0.1:9000\"\n"
            )
        );
        let c = Config::load(&p).unwrap();
        assert_eq!(
            c.remote["origin"].endpoint.as_deref(),
            Some("http://127.0.0.1:9000")
        );
        edit(&p, |doc| {
            remove_remote(doc, "origin");
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), WRITTEN);
    }

    #[test]
    fn remote_rename_and_set_url_keep_comments_keys_and_order() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        std::fs::write(&p, WRITTEN).unwrap();
        edit(&p, |doc| rename_remote(doc, "backup", "offsite")).unwrap();
        edit(&p, |doc| {
            remote_table(doc, "offsite")?.insert("url", value("/new"));
            Ok(())
        })
        .unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(!text.contains("[remote.backup]"), "{text}");
        let c = Config::load(&p).unwrap();
        assert_eq!(c.remote["offsite"].url, "/new");
        assert!(!c.remote.contains_key("backup"));
        // Everything but the header and the url reads as before.
        let before = WRITTEN.replace("[remote.backup]", "[remote.offsite]");
        let url_line = |t: &str| t.lines().find(|l| l.starts_with("url")).map(String::from);
        let old_url = url_line(WRITTEN).unwrap();
        assert_eq!(text, before.replace(&old_url, "url = \"/new\""));
        assert!(edit(&p, |doc| rename_remote(doc, "nope", "x")).is_err());
    }

    #[test]
    fn remote_added_to_the_template_keeps_its_comments_first() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(CONFIG_FILE);
        std::fs::write(&p, Config::TEMPLATE).unwrap();
        edit(&p, |doc| add_remote(doc, "origin", "/r", None, None)).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            format!("{}\n[remote.origin]\nurl = \"/r\"\n", Config::TEMPLATE)
        );
        edit(&p, |doc| {
            remove_remote(doc, "origin");
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), Config::TEMPLATE);
        // A missing file is an empty one.
        std::fs::remove_file(&p).unwrap();
        edit(&p, |doc| add_remote(doc, "o", "/r", None, None)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&p).unwrap(),
            "\n[remote.o]\nurl = \"/r\"\n"
        );
    }
}
