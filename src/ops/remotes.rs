//! The project's remotes: which one a command means, how to reach it (its config turned into
//! a transport), and `pach remote add/list/remove`.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use crate::error::Result;
use crate::remote::{self, Backend, Error as RemoteError, S3Settings, Spec};
use crate::repo::{Head, RemoteConfig, Repo};
use crate::store::{ObjectId, Structured};

/// One row of `pach remote list`.
#[derive(Debug, Serialize)]
pub struct RemoteRow {
    pub name: String,
    pub url: String,
    /// Whether purge records fetched from it are applied (`pach remote trust-purges`).
    pub trust_purges: bool,
}

/// Returns the spec of remote `name` (default: origin, or the only remote).
pub fn spec(repo: &Repo, name: Option<&str>) -> Result<Spec> {
    let remotes = &repo.config().remote;
    let name = match (name, remotes.keys().next()) {
        (Some(n), _) => n.to_string(),
        (None, Some(only)) if remotes.len() == 1 && !remotes.contains_key("origin") => only.clone(),
        (None, _) => "origin".into(),
    };
    let r = remotes
        .get(&name)
        .ok_or_else(|| RemoteError::Unknown { name: name.clone() })?;
    if let Some(layout) = r.layout.filter(|l| !(3..=remote::PACK_LAYOUT).contains(l)) {
        return Err(RemoteError::BadLayout {
            remote: name,
            layout,
            supported: remote::PACK_LAYOUT,
        }
        .into());
    }
    Ok(spec_of(&name, r))
}

/// Turns a `[remote.<name>]` table into a spec; the environment is read by the transport.
fn spec_of(name: &str, r: &RemoteConfig) -> Spec {
    Spec {
        name: name.into(),
        url: r.url.clone(),
        s3: S3Settings {
            endpoint: r.endpoint.clone(),
            region: r.region.clone(),
            allow_http: r.allow_http,
        },
        layout: r.layout,
    }
}

/// Resolves remote `name` (see [`spec`]) and opens its transport.
pub fn open(repo: &Repo, name: Option<&str>) -> Result<(Spec, Box<dyn Backend>)> {
    let spec = spec(repo, name)?;
    let backend = remote::open(&spec, repo.root())?;
    Ok((spec, backend))
}

/// Returns `given`, else the checked-out branch; a detached HEAD is an error naming `command`.
pub fn current_branch(repo: &Repo, given: Option<&str>, command: &'static str) -> Result<String> {
    match (given, repo.head()?) {
        (Some(b), _) => Ok(b.into()),
        (None, Head::Branch(b)) => Ok(b),
        (None, Head::Detached(id)) => Err(RemoteError::DetachedHead {
            command,
            at: id.short(),
        }
        .into()),
    }
}

/// Decodes an object read from a remote or the store; a bad one is corrupt under its id.
pub(crate) fn decode<T: Structured>(id: &ObjectId, bytes: &[u8]) -> Result<T> {
    T::decode(bytes).map_err(|source| crate::store::Error::Corrupt { id: *id, source }.into())
}

/// Makes a relative directory URL absolute (lexically, against `cwd`), so the config works
/// from any directory.
pub fn absolute_url(url: &str, cwd: &Path) -> String {
    if url.contains("://") || url.starts_with('/') {
        return url.to_string();
    }
    let mut out = PathBuf::new();
    for c in cwd.join(url).components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out.to_string_lossy().into_owned()
}

/// `pach remote list`: every remote with its URL, by name.
pub fn list(repo: &Repo) -> Vec<RemoteRow> {
    repo.config()
        .remote
        .iter()
        .map(|(n, r)| RemoteRow {
            name: n.clone(),
            url: r.url.clone(),
            trust_purges: r.trust_purges == Some(true),
        })
        .collect()
}

/// `pach remote add`: checks the name and URL, then adds `[remote.<name>]` to the config.
/// Returns the URL as stored (a relative directory made absolute against `cwd`).
pub fn add(
    repo: &mut Repo,
    name: &str,
    url: &str,
    cwd: &Path,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<String> {
    if repo.config().remote.contains_key(name) {
        return Err(RemoteError::Exists { name: name.into() }.into());
    }
    remote::parse_url(url, cwd)?;
    crate::repo::validate_ref_name(name, "remote")?;
    let url = absolute_url(url, cwd);
    repo.add_remote_config(name, &url, endpoint, region)?;
    Ok(url)
}

/// `pach remote remove`: drops `[remote.<name>]` from the config and the remote-tracking
/// refs `refs/remotes/<name>/…` from the database.
pub fn remove(repo: &mut Repo, name: &str) -> Result<()> {
    if !repo.config().remote.contains_key(name) {
        return Err(RemoteError::Unknown { name: name.into() }.into());
    }
    repo.remove_remote_config(name)?;
    let prefix = format!("refs/remotes/{name}/");
    repo.db_mut().transaction(|tx| {
        for (r, _) in tx.refs(&prefix)? {
            tx.delete_ref(&r, "remote remove")?;
        }
        Ok(())
    })?;
    Ok(())
}

/// What `pach remote rename` did.
#[derive(Debug, Serialize)]
pub struct RenameOutcome {
    pub old: String,
    pub new: String,
    /// Remote-tracking branches moved from `<old>/…` to `<new>/…`.
    pub refs: usize,
}

/// `pach remote rename`: renames `[remote.<old>]` in the config, then moves the
/// remote-tracking refs `refs/remotes/<old>/…` to `<new>` (and the record of which remote
/// has blobs a partial pull left out) in one transaction. If that transaction fails, the
/// config is renamed back.
pub fn rename(repo: &mut Repo, old: &str, new: &str) -> Result<RenameOutcome> {
    if !repo.config().remote.contains_key(old) {
        return Err(RemoteError::Unknown { name: old.into() }.into());
    }
    if repo.config().remote.contains_key(new) {
        return Err(RemoteError::Exists { name: new.into() }.into());
    }
    crate::repo::validate_ref_name(new, "remote")?;
    repo.rename_remote_config(old, new)?;
    let from = format!("refs/remotes/{old}/");
    let moved = repo.db_mut().transaction(|tx| {
        let refs = tx.refs(&from)?;
        for (r, target) in &refs {
            tx.delete_ref(r, "remote rename")?;
            let to = format!("refs/remotes/{new}/{}", &r[from.len()..]);
            tx.set_ref(&to, target, "remote rename")?;
        }
        tx.rename_absent_remote(old, new)?;
        Ok(refs.len())
    });
    match moved {
        Ok(refs) => Ok(RenameOutcome {
            old: old.into(),
            new: new.into(),
            refs,
        }),
        Err(e) => {
            // Best effort: the refs did not move, so the config should not say they did.
            let _ = repo.rename_remote_config(new, old);
            Err(e.into())
        }
    }
}

/// What `pach remote set-url` did.
#[derive(Debug, Serialize)]
pub struct SetUrlOutcome {
    pub name: String,
    pub old: String,
    pub url: String,
}

/// `pach remote set-url`: checks the URL as `remote add` does, then sets `url` of
/// `[remote.<name>]` (a relative directory made absolute against `cwd`).
pub fn set_url(repo: &mut Repo, name: &str, url: &str, cwd: &Path) -> Result<SetUrlOutcome> {
    let old = repo
        .config()
        .remote
        .get(name)
        .ok_or_else(|| RemoteError::Unknown { name: name.into() })?
        .url
        .clone();
    remote::parse_url(url, cwd)?;
    let url = absolute_url(url, cwd);
    repo.set_remote_url_config(name, &url)?;
    Ok(SetUrlOutcome {
        name: name.into(),
        old,
        url,
    })
}
