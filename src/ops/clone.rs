//! `pach clone`: a new project from a remote, with the remote as `origin` and its default
//! branch pulled and checked out. A clone that fails removes what it made.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::fetch::{FetchOptions, fetch_from};
use super::remotes::absolute_url;
use super::sync::{PullOutcome, pull_from};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::remote::{self, Error as RemoteError, Spec};
use crate::repo::{Notice, Repo};

/// What `pach clone` did.
#[derive(Debug, Serialize)]
pub struct CloneOutcome {
    /// The remote's URL as stored for `origin`.
    pub url: String,
    /// The new project's directory.
    pub dir: PathBuf,
    /// The branch checked out.
    pub branch: String,
    /// The pull that brought it.
    pub pull: PullOutcome,
    /// What the clone had to tell about the git side (a clone inside a git worktree).
    #[serde(skip)]
    pub notices: Vec<Notice>,
}

/// Clones `url` into `directory` (relative to `cwd`; default: the URL's last component),
/// which must not exist or be empty; with `scope`, file contents only at or under it.
pub fn clone(
    url: &str,
    cwd: &Path,
    directory: Option<&Path>,
    scope: Option<&str>,
    p: &dyn Progress,
) -> Result<CloneOutcome> {
    remote::parse_url(url, cwd)?;
    let url = absolute_url(url, cwd);
    let dir = match directory {
        Some(d) => cwd.join(d),
        None => cwd.join(dir_name(&url)?),
    };
    let created = !dir.exists();
    if !created
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::BadPath {
            path: dir.display().to_string(),
            reason: "exists and is not an empty directory".into(),
        });
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let done = clone_into(&url, &dir, scope, p);
    if done.is_err() {
        // Nothing changes locally on failure: remove what this command made.
        if created {
            let _ = std::fs::remove_dir_all(&dir);
        } else {
            let _ = std::fs::remove_dir_all(dir.join(crate::repo::PACH_DIR));
        }
    }
    let (branch, pull, notices) = done?;
    Ok(CloneOutcome {
        url,
        dir,
        branch,
        pull,
        notices,
    })
}

/// Returns the directory a clone of `url` makes by default: its last component without
/// `.pach`.
fn dir_name(url: &str) -> Result<&str> {
    let last = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".pach");
    if last.is_empty() || last == "." || last == ".." {
        return Err(RemoteError::BadUrl {
            url: url.into(),
            reason: "cannot name a directory after it; give one".into(),
        }
        .into());
    }
    Ok(last)
}

/// Makes the project in `dir`, adds `origin`, points HEAD at the remote's default branch
/// (`main`, else the first) and pulls it. Returns the branch, the pull and the notices.
fn clone_into(
    url: &str,
    dir: &Path,
    scope: Option<&str>,
    p: &dyn Progress,
) -> Result<(String, PullOutcome, Vec<Notice>)> {
    let (mut repo, _) = Repo::init(dir)?;
    repo.add_remote_config("origin", url, None, None)?;
    // The remote a project was cloned from is trusted with purges (docs/PURGE.md).
    repo.set_remote_trust_config("origin", true)?;
    let spec = Spec {
        name: "origin".into(),
        url: url.into(),
        s3: Default::default(),
        layout: None,
    };
    let backend = remote::open(&spec, repo.root())?;
    let branches = backend.branches()?;
    let Some(branch) = branches
        .iter()
        .find(|(n, _)| n == "main")
        .or(branches.first())
        .map(|b| b.0.clone())
    else {
        return Err(RemoteError::NoBranch {
            remote: "origin".into(),
            branch: "main".into(),
        }
        .into());
    };
    let head = format!("ref: refs/heads/{branch}");
    repo.db_mut()
        .transaction(|tx| tx.set_ref("HEAD", &head, "clone"))?;
    let scope = scope.map(|s| s.trim_matches('/'));
    let out = pull_from(&mut repo, "origin", &*backend, &branch, scope, p)?;
    // Then the remote's tags (with what they reach), as git's clone brings them.
    let tags = FetchOptions {
        tags: true,
        ..FetchOptions::default()
    };
    fetch_from(
        &mut repo,
        "origin",
        &*backend,
        Some(&[][..]),
        scope,
        tags,
        p,
    )?;
    Ok((branch, out, repo.take_notices()))
}
