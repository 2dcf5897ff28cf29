//! `pach.db`: refs, the staging index with its stat cache, and query indexes.
//!
//! SQLite in WAL mode. Refs and index entries move inside transactions, so a crash leaves the
//! old state or the new one. The `commits` table is derived from objects and can be rebuilt
//! (`Db::rebuild_commits`); refs and the index are state of their own.

mod index;
mod index_trees;
mod migrations;
mod reflog;
mod runs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{EntryKind, ObjectId};

pub use index_trees::{IndexWrite, TreeRow};
pub use migrations::SCHEMA_VERSION;
pub use reflog::ReflogEntry;

/// Errors of the index database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database `{path}`: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("database `{path}`: the disk is full (no space left on device)")]
    DiskFull {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "database `{path}` has schema version {found}, newer than this pach understands ({known}); upgrade pach"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("database `{path}` holds a bad value for {what}: `{value}`")]
    BadValue {
        path: PathBuf,
        what: &'static str,
        value: String,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

/// Wraps an SQLite error, telling a full disk apart: SQLite reports one as `SQLITE_FULL` or,
/// when it cannot even grow its shared-memory file, as a generic I/O error.
fn sql_error(path: impl AsRef<Path>, source: rusqlite::Error) -> Error {
    let path = path.as_ref().to_owned();
    let io_like = matches!(
        source.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure)
    );
    let dir = path.parent().unwrap_or(Path::new("."));
    let full = io_like
        && rustix::fs::statvfs(dir).is_ok_and(|s| s.f_bavail.saturating_mul(s.f_frsize) < 1 << 20);
    if full {
        Error::DiskFull { path, source }
    } else {
        Error::Sql { path, source }
    }
}

/// One staged file: what will be committed, plus the stat data it was hashed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    pub kind: EntryKind,
    pub id: ObjectId,
    pub size: u64,
    pub exec: bool,
    pub stat: Stat,
    /// When the stat data was last checked against the content (ns since the epoch); an
    /// entry whose mtime is this close to it is "racy" and gets re-hashed (see `repo::status`).
    pub verified_ns: i64,
    /// Known but deliberately not in the working tree: its blob was not fetched
    /// (`pull --path`); `status` neither lists it nor calls it deleted.
    pub absent: bool,
}

/// The stat data that tells an unchanged file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Stat {
    pub size: u64,
    pub mtime_ns: i64,
    pub ino: u64,
}

/// The open database.
pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// The index chunks as this process last read or wrote them (see [`ChunkMemo`]).
    memo: ChunkMemo,
}

/// The BLAKE3 hash of every stored index chunk, by first path, as this process last loaded
/// or wrote them: a write compares its chunks with these instead of reading 90 MB of chunks
/// back at 10^6 files. Only the process holding the write lock writes the index, and a
/// command loads the index after taking it (a status that refreshes reloads under it), so
/// the memo is the table's content whenever a write plans with it.
type ChunkMemo = std::sync::Mutex<Option<std::collections::HashMap<String, blake3::Hash>>>;

impl Db {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Db> {
        let sql = |source| sql_error(path, source);
        let conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        let mut db = Db {
            conn,
            path: path.to_owned(),
            memo: Default::default(),
        };
        migrations::migrate(&mut db)?;
        Ok(db)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| sql_error(self.path.clone(), source)
    }

    /// Runs `f` inside one transaction; nothing it did survives an error.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&Queries<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let sql = |source| sql_error(path.clone(), source);
        let memo = &self.memo;
        let tx = self.conn.transaction().map_err(sql)?;
        let out = f(&Queries {
            tx: &tx,
            path: &path,
            memo,
        });
        let out = out.and_then(|o| tx.commit().map_err(sql).map(|()| o));
        if out.is_err() {
            // What the transaction wrote into the memo did not happen.
            *memo.lock().unwrap_or_else(|p| p.into_inner()) = None;
        }
        out
    }

    /// Returns the queries outside a transaction (each statement commits on its own).
    pub fn queries(&self) -> Queries<'_> {
        Queries {
            tx: &self.conn,
            path: &self.path,
            memo: &self.memo,
        }
    }
}

/// Queries and updates on the database, inside a transaction ([`Db::transaction`]) or not
/// ([`Db::queries`]).
pub struct Queries<'a> {
    tx: &'a Connection,
    path: &'a Path,
    memo: &'a ChunkMemo,
}

impl Queries<'_> {
    fn err(&self) -> impl Fn(rusqlite::Error) -> Error + '_ {
        move |source| sql_error(self.path, source)
    }

    fn bad(&self, what: &'static str, value: &str) -> Error {
        Error::BadValue {
            path: self.path.to_owned(),
            what,
            value: value.to_owned(),
        }
    }

    /// Returns a ref's raw target (`ref: refs/heads/x` or a commit id).
    pub fn get_ref(&self, name: &str) -> Result<Option<String>> {
        self.tx
            .query_row("SELECT target FROM refs WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())
    }

    /// Returns every ref whose name starts with `prefix`, sorted, with its target.
    pub fn refs(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT name, target FROM refs WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name")
            .map_err(self.err())?;
        let rows = st
            .query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Loads the whole staging index, sorted by path.
    pub fn index(&self) -> Result<BTreeMap<String, IndexEntry>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT first, data FROM index_chunks ORDER BY first")
            .map_err(self.err())?;
        let rows: Vec<(String, Vec<u8>)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        // Chunks decode on all cores (a million entries are a million strings); each is in
        // path order by itself, and the chunks follow each other (checked below).
        use rayon::prelude::*;
        let decoded: Vec<(Vec<(String, IndexEntry)>, blake3::Hash)> = rows
            .par_iter()
            .map(|(first, data)| {
                let mut entries = Vec::new();
                index::decode_into(data, &mut entries)
                    .map_err(|why| format!("chunk `{first}`: {why}"))?;
                Ok((entries, blake3::hash(data)))
            })
            .collect::<std::result::Result<_, String>>()
            .map_err(|why| self.bad("the staging index", &why))?;
        let memo = rows
            .into_iter()
            .zip(&decoded)
            .map(|((first, _), (_, hash))| (first, *hash))
            .collect();
        *self.memo.lock().unwrap_or_else(|p| p.into_inner()) = Some(memo);
        let decoded: Vec<Vec<(String, IndexEntry)>> = decoded.into_iter().map(|d| d.0).collect();
        let mut last: Option<&String> = None;
        for chunk in &decoded {
            if let (Some(prev), Some((next, _))) = (last, chunk.first())
                && prev >= next
            {
                return Err(self.bad(
                    "the staging index",
                    &format!("chunk `{next}`: `{next}` is out of order"),
                ));
            }
            last = chunk.last().map(|(p, _)| p).or(last);
        }
        // In path order already: the map is bulk-built, not grown insert by insert.
        Ok(decoded.into_iter().flatten().collect())
    }

    /// The staging index's entry count and whether it holds a symlink, read from its chunks
    /// without decoding an entry.
    pub fn index_shape(&self) -> Result<(u64, bool)> {
        let mut st = self
            .tx
            .prepare_cached("SELECT first, data FROM index_chunks")
            .map_err(self.err())?;
        let mut rows = st.query([]).map_err(self.err())?;
        let (mut count, mut links) = (0, false);
        while let Some(row) = rows.next().map_err(self.err())? {
            let data = row
                .get_ref(1)
                .and_then(|v| Ok(v.as_blob()?))
                .map_err(self.err())?;
            let (n, l) = index::shape(data).map_err(|why| {
                let first = row.get::<_, String>(0).unwrap_or_default();
                self.bad("the staging index", &format!("chunk `{first}`: {why}"))
            })?;
            count += n;
            links |= l;
        }
        Ok((count, links))
    }

    /// Replaces the whole staging index, writing only the chunks that changed.
    pub fn set_index(&self, index: &BTreeMap<String, IndexEntry>) -> Result<()> {
        self.apply_index(&self.plan_index(index, false)?)
    }

    /// Reads a `meta` value.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.tx
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }

    /// Writes a `meta` value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                params![key, value],
            )
            .map(drop)
            .map_err(self.err())
    }

    /// Records a commit in the query index.
    pub fn add_commit(&self, id: &ObjectId, time: i64) -> Result<()> {
        self.tx
            .execute(
                "INSERT OR IGNORE INTO commits(id, time) VALUES (?1, ?2)",
                params![id.hex(), time],
            )
            .map(drop)
            .map_err(self.err())
    }

    /// Returns the known commit ids starting with the hex `prefix`.
    pub fn commits_with_prefix(&self, prefix: &str) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT id FROM commits WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 2")
            .map_err(self.err())?;
        let rows = st
            .query_map([prefix], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        let mut out = Vec::new();
        for r in rows {
            let s = r.map_err(self.err())?;
            out.push(s.parse().map_err(|_| self.bad("a commit id", &s))?);
        }
        Ok(out)
    }

    /// Replaces the commit query index with `commits` (after `gc`, or to rebuild it).
    pub fn rebuild_commits(&self, commits: &[(ObjectId, i64)]) -> Result<()> {
        self.tx
            .execute("DELETE FROM commits", [])
            .map_err(self.err())?;
        for (id, time) in commits {
            self.add_commit(id, *time)?;
        }
        Ok(())
    }
}

impl Queries<'_> {
    /// Records the file versions (path, blob) that commit `commit` added or changed.
    pub fn add_versions(
        &self,
        commit: &ObjectId,
        time: i64,
        versions: &[(String, ObjectId)],
    ) -> Result<()> {
        let mut st = self
            .tx
            .prepare_cached(
                "INSERT INTO versions(oid, path, commit_id, time) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(self.err())?;
        let c = commit.hex();
        for (path, oid) in versions {
            st.execute(params![oid.as_bytes(), path, c, time])
                .map_err(self.err())?;
        }
        Ok(())
    }

    /// Returns every path blob `oid` was ever recorded at (for following renames).
    pub fn paths_of(&self, oid: &ObjectId) -> Result<Vec<String>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT DISTINCT path FROM versions WHERE oid = ?1 ORDER BY path")
            .map_err(self.err())?;
        let rows = st
            .query_map(params![oid.as_bytes()], |r| r.get(0))
            .map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Returns the earliest commit (and its time) in which blob `oid` appeared at `path`.
    pub fn entered(&self, oid: &ObjectId, path: &str) -> Result<Option<(ObjectId, i64)>> {
        let row: Option<(String, i64)> = self
            .tx
            .query_row(
                "SELECT commit_id, time FROM versions WHERE oid = ?1 AND path = ?2 ORDER BY time, rowid LIMIT 1",
                params![oid.as_bytes(), path],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(self.err())?;
        row.map(|(c, t)| Ok((c.parse().map_err(|_| self.bad("a commit id", &c))?, t)))
            .transpose()
    }
}

/// Objects deliberately not fetched (`pull --path`, schema 4).
impl Queries<'_> {
    /// Records blobs a path filter skipped, and the remote that has them.
    pub fn add_absent_objects<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i ObjectId>,
        remote: &str,
    ) -> Result<()> {
        let mut st = self
            .tx
            .prepare_cached("INSERT OR REPLACE INTO absent_objects(oid, remote) VALUES (?1, ?2)")
            .map_err(self.err())?;
        for id in ids {
            st.execute(params![id.as_bytes(), remote])
                .map_err(self.err())?;
        }
        Ok(())
    }

    /// Forgets absent blobs that are now here.
    pub fn remove_absent_objects<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i ObjectId>,
    ) -> Result<()> {
        let mut st = self
            .tx
            .prepare_cached("DELETE FROM absent_objects WHERE oid = ?1")
            .map_err(self.err())?;
        for id in ids {
            st.execute([id.as_bytes()]).map_err(self.err())?;
        }
        Ok(())
    }

    /// Says that absent blobs recorded for remote `old` are now to be had from `new` (after
    /// `pach remote rename`).
    pub fn rename_absent_remote(&self, old: &str, new: &str) -> Result<()> {
        self.tx
            .execute(
                "UPDATE absent_objects SET remote = ?2 WHERE remote = ?1",
                [old, new],
            )
            .map_err(self.err())?;
        Ok(())
    }

    /// Tells whether blob `id` was deliberately not fetched.
    pub fn is_absent_object(&self, id: &ObjectId) -> Result<bool> {
        self.tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM absent_objects WHERE oid = ?1)",
                [id.as_bytes()],
                |r| r.get(0),
            )
            .map_err(self.err())
    }

    /// Lists the absent blobs (only those from `remote` when given).
    pub fn absent_objects(&self, remote: Option<&str>) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT oid FROM absent_objects WHERE ?1 IS NULL OR remote = ?1")
            .map_err(self.err())?;
        let rows = st
            .query_map([remote], |r| r.get::<_, Vec<u8>>(0))
            .map_err(self.err())?;
        let mut out = Vec::new();
        for r in rows {
            let b = r.map_err(self.err())?;
            out.push(
                ObjectId::from_bytes(&b)
                    .ok_or_else(|| self.bad("an object id", &format!("{b:02x?}")))?,
            );
        }
        Ok(out)
    }
}

/// Pruning after `gc` deleted objects: no row may name an object that is gone.
impl Queries<'_> {
    /// Deletes the file versions of commits no longer in the commit index.
    pub fn prune_versions(&self) -> Result<()> {
        self.tx
            .execute(
                "DELETE FROM versions WHERE commit_id NOT IN (SELECT id FROM commits)",
                [],
            )
            .map(drop)
            .map_err(self.err())
    }

    /// Returns every indexed run record id.
    pub fn indexed_runs(&self) -> Result<Vec<ObjectId>> {
        let mut st = self
            .tx
            .prepare_cached("SELECT id FROM runs")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(self.err())?;
        self.run_ids(rows)
    }

    /// Forgets run records: their index rows, inputs, outputs and run-cache entries.
    pub fn remove_runs(&self, ids: &[ObjectId]) -> Result<()> {
        for sql in [
            "DELETE FROM runs WHERE id = ?1",
            "DELETE FROM run_outputs WHERE run = ?1",
            "DELETE FROM run_inputs WHERE run = ?1",
            "DELETE FROM run_cache WHERE run = ?1",
        ] {
            let mut st = self.tx.prepare_cached(sql).map_err(self.err())?;
            for id in ids {
                st.execute([id.hex()]).map_err(self.err())?;
            }
        }
        Ok(())
    }
}
