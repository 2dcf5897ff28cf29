//! Schema migrations: `meta.schema_version` says which of `STEPS` have run.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction};

use super::{Db, Error, IndexEntry, Result, Stat, sql_error};
use crate::store::{EntryKind, ObjectId};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 8;

/// Each step takes the schema from version `i` to `i + 1`: SQL, then Rust code, if any.
const STEPS: &[(&str, Option<Convert>)] = &[
    // 0 -> 1
    ("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE refs(name TEXT PRIMARY KEY, target TEXT NOT NULL);
     CREATE TABLE idx(
        path TEXT PRIMARY KEY, kind INTEGER NOT NULL, oid BLOB NOT NULL, size INTEGER NOT NULL,
        exec INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,
        verified_ns INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE commits(id TEXT PRIMARY KEY, time INTEGER NOT NULL) WITHOUT ROWID;", None),
    // 1 -> 2: pipeline runs. All derived from run record objects (rebuildable).
    ("CREATE TABLE runs(
        id TEXT PRIMARY KEY, stage TEXT NOT NULL, datum TEXT NOT NULL,
        start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, exit INTEGER NOT NULL) WITHOUT ROWID;
     CREATE TABLE run_cache(datum TEXT PRIMARY KEY, run TEXT NOT NULL) WITHOUT ROWID;
     CREATE TABLE run_outputs(oid BLOB NOT NULL, path TEXT NOT NULL, run TEXT NOT NULL);
     CREATE INDEX run_outputs_oid ON run_outputs(oid);
     CREATE INDEX run_outputs_path ON run_outputs(path);
     CREATE TABLE run_inputs(oid BLOB NOT NULL, path TEXT NOT NULL, run TEXT NOT NULL);
     CREATE INDEX run_inputs_oid ON run_inputs(oid);
     CREATE INDEX runs_stage ON runs(stage);", None),
    // 2 -> 3: which commit each file version entered in (derived from commits).
    ("CREATE TABLE versions(oid BLOB NOT NULL, path TEXT NOT NULL, commit_id TEXT NOT NULL, time INTEGER NOT NULL);
     CREATE INDEX versions_oid ON versions(oid, path);
     CREATE INDEX versions_commit ON versions(commit_id);", None),
    // 3 -> 4: "absent but known" (`pull --path`): index entries whose file was deliberately
    // not fetched, and the blobs a path filter skipped (with the remote they live on).
    ("ALTER TABLE idx ADD COLUMN absent INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE absent_objects(oid BLOB PRIMARY KEY, remote TEXT NOT NULL) WITHOUT ROWID;", None),
    // 4 -> 5: the staging index moves from one row per file into chunks (`db::index`).
    (
        "CREATE TABLE index_chunks(first TEXT PRIMARY KEY, data BLOB NOT NULL);",
        Some(index_rows_to_chunks),
    ),
    // 5 -> 6: the reflog, every move of HEAD, a branch or a remote-tracking ref (`db::reflog`).
    ("CREATE TABLE reflog(
        seq INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, old TEXT, new TEXT,
        time_ms INTEGER NOT NULL, action TEXT NOT NULL);
     CREATE INDEX reflog_name ON reflog(name, seq);
     CREATE INDEX reflog_time ON reflog(time_ms);", None),
    // 6 -> 7: no table changes. The store may now hold chunked files (`chunked/` and
    // segments in `objects/`), which an older pach would take for missing blobs and
    // unreachable objects (its gc would delete the chunks); the new version makes it refuse.
    ("INSERT OR REPLACE INTO meta(key, value) VALUES ('store', 'chunked');", None),
    // 7 -> 8: the tree of every directory of the staging index (`db::index_trees`), all
    // stored objects. Starts empty: the next write of the index fills it.
    ("CREATE TABLE index_trees(dir TEXT PRIMARY KEY, id BLOB NOT NULL, size INTEGER NOT NULL) WITHOUT ROWID;", None),
];

/// Rust code run inside a migration step's transaction.
type Convert = fn(&Transaction<'_>) -> std::result::Result<(), String>;

/// Moves the staging index from the rows of `idx` into `index_chunks`, then drops `idx`.
fn index_rows_to_chunks(tx: &Transaction<'_>) -> std::result::Result<(), String> {
    let mut st = tx
        .prepare("SELECT path, kind, oid, size, exec, mtime_ns, ino, verified_ns, absent FROM idx")
        .map_err(|e| e.to_string())?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                [
                    r.get::<_, i64>(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ],
            ))
        })
        .map_err(|e| e.to_string())?;
    let mut index = BTreeMap::new();
    for row in rows {
        let (path, kind, oid, [size, exec, mtime_ns, ino, verified_ns, absent]) =
            row.map_err(|e| e.to_string())?;
        let kind = match kind {
            0 => EntryKind::File,
            2 => EntryKind::Symlink,
            k => return Err(format!("index entry `{path}` has unknown kind {k}")),
        };
        let id = ObjectId::from_bytes(&oid)
            .ok_or_else(|| format!("index entry `{path}` has a bad object id"))?;
        let entry = IndexEntry {
            kind,
            id,
            size: size as u64,
            exec: exec != 0,
            stat: Stat {
                size: size as u64,
                mtime_ns,
                ino: ino as u64,
            },
            verified_ns,
            absent: absent != 0,
        };
        index.insert(path, entry);
    }
    drop(st);
    for (first, data) in super::index::chunks(&index) {
        tx.execute(
            "INSERT INTO index_chunks(first, data) VALUES (?1, ?2)",
            rusqlite::params![first, data],
        )
        .map_err(|e| e.to_string())?;
    }
    tx.execute_batch("DROP TABLE idx;")
        .map_err(|e| e.to_string())
}

/// Reads `meta.schema_version` (0 for a new database).
fn version(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta')",
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(0);
    }
    Ok(conn
        .query_row(
            "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

pub(super) fn migrate(db: &mut Db) -> Result<()> {
    let path = db.path.clone();
    let current = version(&db.conn).map_err(db.err())?;
    if current > SCHEMA_VERSION {
        return Err(Error::TooNew {
            path,
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for (i, (step, convert)) in STEPS.iter().enumerate().skip(current as usize) {
        // Take the write lock first, then look again: another process opening the same
        // database may have run this step meanwhile.
        let tx = db
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|source| sql_error(path.clone(), source))?;
        if version(&tx).map_err(|source| sql_error(path.clone(), source))? > i as i64 {
            continue;
        }
        tx.execute_batch(step)
            .map_err(|source| sql_error(path.clone(), source))?;
        if let Some(convert) = convert {
            convert(&tx).map_err(|why| Error::BadValue {
                path: path.clone(),
                what: "the schema migration",
                value: why,
            })?;
        }
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
            db.queries().meta("schema_version").unwrap(),
            Some(SCHEMA_VERSION.to_string())
        );
        drop(db);
        Db::open(&p).unwrap();
    }

    /// A database at schema 4 with two index rows.
    fn version_4(p: &std::path::Path) {
        let mut conn = rusqlite::Connection::open(p).unwrap();
        // As every pach has left its database: in WAL mode (`Db::open` always sets it).
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        let tx = conn.transaction().unwrap();
        for (sql, _) in &STEPS[..4] {
            tx.execute_batch(sql).unwrap();
        }
        tx.execute_batch(
            "INSERT INTO meta VALUES ('schema_version', '4');
             INSERT INTO idx VALUES ('d/a b', 0, zeroblob(32), 5, 1, 77, 9, 88, 0);
             INSERT INTO idx VALUES ('l', 2, zeroblob(32), 3, 0, -1, 10, 99, 1);",
        )
        .unwrap();
        tx.commit().unwrap();
    }

    #[test]
    fn two_processes_opening_an_old_database_migrate_it_once() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        version_4(&p);
        let barrier = std::sync::Barrier::new(4);
        std::thread::scope(|s| {
            let opened: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        barrier.wait();
                        Db::open(&p).map(|db| db.queries().index().unwrap().len())
                    })
                })
                .collect();
            for o in opened {
                assert_eq!(o.join().unwrap().unwrap(), 2);
            }
        });
    }

    #[test]
    fn index_rows_of_version_4_move_into_chunks() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        version_4(&p);
        let db = Db::open(&p).unwrap();
        let idx = db.queries().index().unwrap();
        assert_eq!(idx.len(), 2);
        let a = &idx["d/a b"];
        assert_eq!(
            (
                a.kind,
                a.size,
                a.exec,
                a.stat.mtime_ns,
                a.stat.ino,
                a.verified_ns,
                a.absent
            ),
            (EntryKind::File, 5, true, 77, 9, 88, false)
        );
        let l = &idx["l"];
        assert_eq!(
            (l.kind, l.stat.mtime_ns, l.absent),
            (EntryKind::Symlink, -1, true)
        );
        assert_eq!(
            db.queries().meta("schema_version").unwrap(),
            Some(SCHEMA_VERSION.to_string())
        );
    }

    #[test]
    fn a_version_7_database_gains_an_empty_tree_cache_that_is_not_trusted() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        {
            let db = Db::open(&p).unwrap();
            // As a pach of schema 7 left it: an index tree but no cache of the trees.
            db.conn
                .execute_batch(
                    "DROP TABLE index_trees;
                     INSERT OR REPLACE INTO meta VALUES ('index_tree', 'ab');
                     UPDATE meta SET value = '7' WHERE key = 'schema_version';",
                )
                .unwrap();
        }
        let db = Db::open(&p).unwrap();
        assert_eq!(
            db.queries().meta("schema_version").unwrap(),
            Some(SCHEMA_VERSION.to_string())
        );
        assert_eq!(db.queries().index_trees().unwrap(), None);
        let n: i64 = db
            .conn
            .query_row("SELECT COUNT(*) FROM index_trees", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0);
    }

    #[test]
    fn a_version_5_database_gains_an_empty_reflog_and_keeps_its_refs() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        version_4(&p);
        let a = "a".repeat(64);
        {
            let db = Db::open(&p).unwrap();
            // Back to version 5 as a pach of that version left it: no reflog table.
            db.conn
                .execute_batch(
                    "DROP TABLE reflog; DROP TABLE index_trees;
                     UPDATE meta SET value = '5' WHERE key = 'schema_version';",
                )
                .unwrap();
            db.conn
                .execute("INSERT INTO refs VALUES ('refs/heads/main', ?1)", [&a])
                .unwrap();
        }
        let mut db = Db::open(&p).unwrap();
        assert_eq!(
            db.queries().meta("schema_version").unwrap(),
            Some(SCHEMA_VERSION.to_string())
        );
        // And on to 7, which marks the store as one that may hold chunked files.
        assert_eq!(db.queries().meta("store").unwrap(), Some("chunked".into()));
        assert_eq!(db.queries().get_ref("refs/heads/main").unwrap(), Some(a));
        assert!(db.queries().reflog("refs/heads/main").unwrap().is_empty());
        db.transaction(|tx| tx.set_ref("refs/heads/main", &"b".repeat(64), "reset"))
            .unwrap();
        assert_eq!(db.queries().reflog("refs/heads/main").unwrap().len(), 1);
    }

    #[test]
    fn newer_schema_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pach.db");
        let db = Db::open(&p).unwrap();
        db.queries().set_meta("schema_version", "99").unwrap();
        drop(db);
        let err = Db::open(&p).err().unwrap();
        assert!(
            err.to_string().contains("newer than this pach understands"),
            "{err}"
        );
    }
}
