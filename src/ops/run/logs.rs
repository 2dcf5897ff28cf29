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

/// One run as `pach logs --json` shows it.
#[derive(Debug, serde::Serialize)]
pub struct RunLog {
    pub run: ObjectId,
    pub stage: String,
    pub datum: ObjectId,
    pub exit: i64,
    /// The log as text (invalid UTF-8 replaced).
    pub log: String,
}

/// The latest run of each datum of `stage` (or of the datums whose id starts with `datum`)
/// with its whole log, for `--json`.
pub fn collect(repo: &Repo, stage: &str, datum: Option<&str>) -> Result<Vec<RunLog>> {
    // Both callbacks add to the last run: the record first, then its log in pieces.
    let runs: std::cell::RefCell<Vec<(RunLog, Vec<u8>)>> = Default::default();
    logs(
        repo,
        stage,
        datum,
        &mut |id, rec| {
            let run = RunLog {
                run: *id,
                stage: rec.stage.clone(),
                datum: rec.datum,
                exit: rec.exit,
                log: String::new(),
            };
            runs.borrow_mut().push((run, Vec::new()));
            Ok(())
        },
        &mut |b| {
            if let Some(last) = runs.borrow_mut().last_mut() {
                last.1.extend_from_slice(b);
            }
            Ok(())
        },
    )?;
    Ok(runs
        .into_inner()
        .into_iter()
        .map(|(mut r, b)| {
            r.log = String::from_utf8_lossy(&b).into_owned();
            r
        })
        .collect())
}

/// Hands a stored log to `out` in pieces, so a log of any size costs a buffer of memory. The
/// object is verified first (a second read, from the page cache): a corrupt log is an error,
/// never output.
fn copy_log(repo: &Repo, id: &ObjectId, out: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
    // A log purged with `pach purge --derived` is named as purged, not missing.
    repo.check_not_purged(&format!("log {}", id.short()), id)?;
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
