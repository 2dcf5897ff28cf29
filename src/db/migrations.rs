//! Schema migrations: `meta.schema_version` says which of `STEPS` have run.

use rusqlite::OptionalExtension;

use super::{Db, Error, Result, sql_error};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 4;

/// Each step takes the schema from version `i` to `i + 1`.
const STEPS: &[&str] = &[
    // 0 -> 1
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE refs(name TEXT PRIMARY KEY, target TEXT NOT NULL);
     CREATE TABLE idx(
        path TEXT PRIMARY KEY, kind INTEGER NOT NULL, oid BLOB NOT NULL, size INTEGER NOT NULL,
        exec INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,
        verified_ns INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE commits(id TEXT PRIMARY KEY, time INTEGER NOT NULL) WITHOUT ROWID;",
    // 1 -> 2: pipeline runs. All derived from run record objects (rebuildable).
    "CREATE TABLE runs(
        id TEXT PRIMARY KEY, stage TEXT NOT NULL, datum TEXT NOT NULL,
        start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, exit INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE run_cache(datum TEXT PRIMARY KEY, run TEXT NOT NULL) WITHOUT ROWID;
     CREATE TABLE run_outputs(oid BLOB NOT NULL, path TEXT NOT NULL, run TEXT NOT NULL);
     CREATE INDEX run_outputs_oid ON run_outputs(oid);
     CREATE INDEX run_outputs_path ON run_outputs(path);
     CREATE TABLE run_inputs(oid BLOB NOT NULL, path TEXT NOT NULL, run TEXT NOT NULL);
     CREATE INDEX run_inputs_oid ON run_inputs(oid);
     CREATE INDEX runs_stage ON runs(stage);",
    // 2 -> 3: which commit each file version entered in (derived from commits).
    "CREATE TABLE versions(oid BLOB NOT NULL, path TEXT NOT NULL, commit_id TEXT NOT NULL, time INTEGER NOT NULL);
     CREATE INDEX versions_oid ON versions(oid, path);
     CREATE INDEX versions_commit ON versions(commit_id);",
    // 3 -> 4: "absent but known" (`pull --path`): index entries whose file was deliberately
    // not fetched, and the blobs a path filter skipped (with the remote they live on).
    "ALTER TABLE idx ADD COLUMN absent INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE absent_objects(oid BLOB PRIMARY KEY, remote TEXT NOT NULL) WITHOUT ROWID;",
];

pub(super) fn migrate(db: &mut Db) -> Result<()> {
    let path = db.path.clone();
    let has_meta: bool = db
        .conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
            [],
            |r| r.get(0),
        )
        .map_err(db.err())?;
    let current: i64 = if has_meta {
        db.conn
            .query_row(
                "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(db.err())?
            .unwrap_or(0)
    } else {
        0
    };
    if current > SCHEMA_VERSION {
        return Err(Error::TooNew {
            path,
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for (i, step) in STEPS.iter().enumerate().skip(current as usize) {
        let tx = db
            .conn
            .transaction()
            .map_err(|source| sql_error(path.clone(), source))?;
        tx.execute_batch(step)
            .map_err(|source| sql_error(path.clone(), source))?;
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?1)",
            [(i as i64 + 1).to_string()],
        )
        .map_err(|source| sql_error(path.clone(), source))?;
        tx.commit()
            .map_err(|source| sql_error(path.clone(), source))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_the_current_version_and_reopens() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        let db = Db::open(&p).unwrap();
        assert_eq!(
            db.read().meta("schema_version").unwrap(),
            Some(SCHEMA_VERSION.to_string())
        );
        drop(db);
        Db::open(&p).unwrap();
    }

    #[test]
    fn newer_schema_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        let db = Db::open(&p).unwrap();
        db.read().set_meta("schema_version", "99").unwrap();
        drop(db);
        let err = Db::open(&p).err().unwrap();
        assert!(
            err.to_string().contains("newer than this pach understands"),
            "{err}"
        );
    }
}
