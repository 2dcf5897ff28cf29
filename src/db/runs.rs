//! The run-record indexes (schema 2): which run made which output and used which input,
//! the run cache from datum key to a successful run, failed runs kept for `pach logs`, and
//! the provenance queries over them.

use rusqlite::{OptionalExtension, params};

use super::{Queries, Result};
use crate::store::ObjectId;

/// Run-record indexes (schema 2): which run made which output, used which input, and the
/// run cache from datum key to a successful run.
impl Queries<'_> {
    /// Parses rows of hex run ids.
    pub(super) fn run_ids(
        &self,
        rows: impl Iterator<Item = rusqlite::Result<String>>,
    ) -> Result<Vec<ObjectId>> {
        rows.map(|r| {
            let h = r.map_err(self.err())?;
            h.parse().map_err(|_| self.bad("a run id", &h))
        })
        .collect()
    }

    /// Indexes a run record; a successful one also enters the run cache.
    pub fn add_run(&self, id: &ObjectId, rec: &crate::store::RunRecord) -> Result<()> {
        let run = id.hex();
        self.tx
            .execute(
                "INSERT OR IGNORE INTO runs(id, stage, datum, start_ms, end_ms, exit)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    run,
                    rec.stage,
                    rec.datum.hex(),
                    rec.start_ms,
                    rec.end_ms,
                    rec.exit
                ],
            )
            .map_err(self.err())?;
        let mut outs = self
            .tx
            .prepare_cached("INSERT INTO run_outputs(oid, path, run) VALUES (?1, ?2, ?3)")
            .map_err(self.err())?;
        for o in &rec.outputs {
            outs.execute(params![o.id.as_bytes(), o.path, run])
                .map_err(self.err())?;
        }
        let mut ins = self
            .tx
            .prepare_cached("INSERT INTO run_inputs(oid, path, run) VALUES (?1, ?2, ?3)")
            .map_err(self.err())?;
        for i in &rec.inputs {
            ins.execute(params![i.id.as_bytes(), i.path, run])
                .map_err(self.err())?;
        }
        if rec.exit == 0 {
            self.tx
                .execute(
                    "INSERT OR REPLACE INTO run_cache(datum, run) VALUES (?1, ?2)",
                    params![rec.datum.hex(), run],
                )
                .map_err(self.err())?;
        }
        Ok(())
    }

    /// Tells whether a run record is already indexed.
    pub fn has_run(&self, id: &ObjectId) -> Result<bool> {
        self.tx
            .query_row("SELECT 1 FROM runs WHERE id = ?1", [id.hex()], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(self.err())
    }

    /// Returns the successful run recorded for a datum key, if any.
    pub fn cached_run(&self, datum: &ObjectId) -> Result<Option<ObjectId>> {
        let hex: Option<String> = self
            .tx
            .query_row(
                "SELECT run FROM run_cache WHERE datum = ?1",
                [datum.hex()],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        hex.map(|h| h.parse().map_err(|_| self.bad("a run id", &h)))
            .transpose()
    }

    /// Returns the runs that produced object `oid` (optionally only at `path`).
    pub fn runs_producing(&self, oid: &ObjectId, path: Option<&str>) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT DISTINCT run FROM run_outputs WHERE oid = ?1 AND (?2 IS NULL OR path = ?2)",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map(params![oid.as_bytes(), path], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        self.run_ids(rows)
    }

    /// Returns the runs that used object `oid` as an input.
    pub fn runs_using(&self, oid: &ObjectId) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT DISTINCT run FROM run_inputs WHERE oid = ?1")
            .map_err(self.err())?;
        let rows = st
            .query_map(params![oid.as_bytes()], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        self.run_ids(rows)
    }
}

impl Queries<'_> {
    /// Returns every failed run (non-zero exit) in the index with its end time (ms).
    pub fn failed_runs(&self) -> Result<Vec<(ObjectId, i64)>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT id, end_ms FROM runs WHERE exit != 0")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(self.err())?;
        let mut out = Vec::new();
        for r in rows {
            let (id, end) = r.map_err(self.err())?;
            out.push((id.parse().map_err(|_| self.bad("a run id", &id))?, end));
        }
        Ok(out)
    }

    /// Drops runs from the run cache only (their records and indexes stay): a later run of
    /// their datums computes them again.
    pub fn uncache_runs(&self, ids: &[ObjectId]) -> Result<()> {
        let mut st = self
            .tx
            .prepare_cached("DELETE FROM run_cache WHERE run = ?1")
            .map_err(self.err())?;
        for id in ids {
            st.execute([id.hex()]).map_err(self.err())?;
        }
        Ok(())
    }

    /// Drops runs from the run indexes (their records are being collected).
    pub fn forget_runs(&self, ids: &[ObjectId]) -> Result<()> {
        for table in [
            "runs WHERE id",
            "run_inputs WHERE run",
            "run_outputs WHERE run",
        ] {
            let mut st = self
                .tx
                .prepare_cached(&format!("DELETE FROM {table} = ?1"))
                .map_err(self.err())?;
            for id in ids {
                st.execute([id.hex()]).map_err(self.err())?;
            }
        }
        Ok(())
    }
}

impl Queries<'_> {
    /// Returns the newest run of each datum of `stage` (optionally whose datum key starts
    /// with `datum`), newest first.
    pub fn latest_runs(&self, stage: &str, datum: Option<&str>) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT id, datum FROM runs WHERE stage = ?1
                 AND (?2 IS NULL OR substr(datum, 1, length(?2)) = ?2) ORDER BY end_ms DESC",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map(params![stage, datum], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(self.err())?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for r in rows {
            let (id, d) = r.map_err(self.err())?;
            if seen.insert(d) {
                out.push(id.parse().map_err(|_| self.bad("a run id", &id))?);
            }
        }
        Ok(out)
    }
}

impl Queries<'_> {
    /// Returns every run in the run cache.
    pub fn cached_runs(&self) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT run FROM run_cache")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        self.run_ids(rows)
    }
}
/// Provenance queries (issue 4): both go through `run_outputs_oid` and `run_inputs_oid`.
impl Queries<'_> {
    /// Returns the run that made blob `oid` at `path`: the newest successful one, else the
    /// newest of any exit status.
    pub fn newest_run_producing(&self, oid: &ObjectId, path: &str) -> Result<Option<ObjectId>> {
        let hex: Option<String> = self
            .tx
            .query_row(
                "SELECT o.run FROM run_outputs o JOIN runs r ON r.id = o.run
                 WHERE o.oid = ?1 AND o.path = ?2
                 ORDER BY r.exit != 0, r.end_ms DESC, o.run LIMIT 1",
                params![oid.as_bytes(), path],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        hex.map(|h| h.parse().map_err(|_| self.bad("a run id", &h)))
            .transpose()
    }

    /// Returns the runs that used blob `oid` at `path` as an input, oldest first.
    pub fn runs_using_at(&self, oid: &ObjectId, path: &str) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached(
                "SELECT DISTINCT i.run FROM run_inputs i JOIN runs r ON r.id = i.run
                 WHERE i.oid = ?1 AND i.path = ?2 ORDER BY r.end_ms, i.run",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map(params![oid.as_bytes(), path], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        self.run_ids(rows)
    }
}
