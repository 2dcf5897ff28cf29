//! Clearing what a killed `pach run` left behind: its work directories under `.pach/work/`
//! and its worker containers.
//!
//! A run removes both itself when it ends, even on Ctrl-C or SIGTERM; only SIGKILL (or a
//! crash, or a reboot) leaves them. The sweep runs from `pach gc` and at the start of every
//! `pach run`, both holding the project's write lock, which every run holds for its whole
//! life: so whatever the sweep finds belongs to no live pach process.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::runner::Docker;

/// How long `gc` waits for the engine before sweeping only the work directories.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the sweep removed.
#[derive(Debug, Default, Serialize)]
pub struct Swept {
    /// Run work directories (`.pach/work/<run>`).
    pub work_dirs: usize,
    /// Worker containers; `None` when the Docker engine could not be asked.
    pub containers: Option<usize>,
}

/// Sweeps with a connection of its own, made only when a killed run left a work directory
/// (every run has one while its containers live), so projects without pipelines never wait
/// for Docker. The engine being unreachable is not an error (`containers` is then `None`).
/// The caller must hold the write lock.
pub fn sweep(repo: &Repo) -> Result<Swept> {
    let work = repo.pach_dir().join("work");
    if std::fs::read_dir(&work).map_or(true, |mut d| d.next().is_none()) {
        return Ok(Swept {
            work_dirs: 0,
            containers: Some(0),
        });
    }
    let rt = super::runtime()?;
    let connect = async { tokio::time::timeout(CONNECT_TIMEOUT, Docker::connect()).await };
    let docker = rt.block_on(connect).ok().and_then(|r| r.ok());
    sweep_with(repo, docker.as_ref())
}

/// Sweeps with an existing connection (`pach run`'s); see [`sweep`].
pub fn sweep_with(repo: &Repo, docker: Option<&Docker>) -> Result<Swept> {
    // Containers first: their bind mounts are the work directories.
    let containers = match docker {
        Some(d) => Some(super::runtime()?.block_on(d.remove_project(repo.pach_dir()))?),
        None => None,
    };
    let work_dirs = remove_children(&repo.pach_dir().join("work"))?;
    Ok(Swept {
        work_dirs,
        containers,
    })
}

/// Removes every entry of `dir` (absent: nothing to do); returns how many.
fn remove_children(dir: &Path) -> Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(source) => {
            return Err(Error::Io {
                path: dir.into(),
                source,
            });
        }
    };
    let mut n = 0;
    for e in entries {
        let p = e
            .map_err(|source| Error::Io {
                path: dir.into(),
                source,
            })?
            .path();
        let removed = if p.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            remove_tree(&p)
        } else {
            std::fs::remove_file(&p)
        };
        removed.map_err(|source| Error::Io {
            path: p.clone(),
            source,
        })?;
        n += 1;
    }
    Ok(n)
}

/// Removes a directory tree, first making its directories writable: input files linked from
/// the store are read-only, which does not stop their unlinking, but a datum may have left a
/// read-only directory in its output.
fn remove_tree(p: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for e in walkdir::WalkDir::new(p).into_iter().flatten() {
        if e.file_type().is_dir() {
            let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o755));
        }
    }
    std::fs::remove_dir_all(p)
}
