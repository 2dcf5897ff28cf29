//! `pach logs`: the stored container logs of a stage's latest runs.

use std::io::Read;

use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::store::{ObjectId, RunRecord};

/// Hands the latest run of each datum of `stage` (failed runs included), or of the datums
/// whose id starts with `datum`, to `run`, each followed by its log in pieces to `out`; an
/// error when no run is recorded.
pub fn logs(
    repo: &Repo,
    stage: &str,
    datum: Option<&str>,
    run: &mut dyn FnMut(&ObjectId, &RunRecord) -> Result<()>,
    out: &mut dyn FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let ids = repo.db().queries().latest_runs(stage, datum)?;
    if ids.is_empty() {
        return Err(Error::Pipeline {
            message: format!(
                "no runs of stage `{stage}`{} are recorded",
                datum.map(|d| format!(" for datum {d}")).unwrap_or_default()
            ),
        });
    }
    for id in ids {
        let rec: RunRecord = repo.store().get(&id)?;
        run(&id, &rec)?;
        copy_log(repo, &rec.log, out)?;
    }
    Ok(())
}

/// Hands a stored log to `out` in pieces, so a log of any size costs a buffer of memory. The
/// object is verified first (a second read, from the page cache): a corrupt log is an error,
/// never output.
fn copy_log(repo: &Repo, id: &ObjectId, out: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
    repo.store().verify(id)?;
    let mut f = repo.store().open(id)?;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = f.read(&mut buf).map_err(|source| Error::Io {
            path: repo.store().path(id),
            source,
        })?;
        if n == 0 {
            return Ok(());
        }
        out(&buf[..n])?;
    }
}
