//! The reflog (schema 6): every move of `HEAD`, a branch or a remote-tracking ref, recorded by
//! [`Queries::set_ref`] and [`Queries::delete_ref`] in the transaction that moves the ref, so
//! a ref never moves unrecorded and `gc` can keep what it used to point at.

use rusqlite::params;

use super::{Queries, Result};
use crate::store::ObjectId;

/// One recorded move of a ref.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ReflogEntry {
    /// The full ref name (`HEAD`, `refs/heads/main`, `refs/remotes/origin/main`).
    pub name: String,
    /// The commit before (`None`: the ref did not exist, or `HEAD` was on an unborn branch).
    pub old: Option<ObjectId>,
    /// The commit after (`None`: the ref was deleted).
    pub new: Option<ObjectId>,
    /// When, in ms since the epoch.
    pub time_ms: i64,
    /// What moved it: `commit`, `checkout`, `reset`, `pull`, `fetch`, `run`, …
    pub action: String,
}

impl Queries<'_> {
    /// Returns the commit `HEAD` resolves to, as hex (`None` on an unborn branch).
    fn head_target(&self) -> Result<Option<String>> {
        match self.get_ref("HEAD")? {
            Some(t) => match t.strip_prefix("ref: ") {
                Some(r) => self.get_ref(r),
                None => Ok(Some(t)),
            },
            None => self.get_ref("refs/heads/main"),
        }
    }

    /// Tells whether a ref's moves are recorded: `HEAD`, branches and remote-tracking refs
    /// (tags name fixed points and are not).
    fn logged(name: &str) -> bool {
        name == "HEAD" || name.starts_with("refs/heads/") || name.starts_with("refs/remotes/")
    }

    /// Sets a ref and records the move (and the move of `HEAD` it makes, if any) as `action`.
    pub fn set_ref(&self, name: &str, target: &str, action: &str) -> Result<()> {
        self.move_ref(name, Some(target), action).map(drop)
    }

    /// Deletes a ref, recording the deletion as `action`; returns whether it existed.
    pub fn delete_ref(&self, name: &str, action: &str) -> Result<bool> {
        self.move_ref(name, None, action)
    }

    /// Sets (`Some`) or deletes (`None`) a ref and writes its reflog rows; returns whether
    /// the ref existed before.
    fn move_ref(&self, name: &str, target: Option<&str>, action: &str) -> Result<bool> {
        let head_before = self.head_target()?;
        let old = self.get_ref(name)?;
        match target {
            Some(t) => self.tx.execute(
                "INSERT INTO refs(name, target) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET target = excluded.target",
                params![name, t],
            ),
            None => self.tx.execute("DELETE FROM refs WHERE name = ?1", [name]),
        }
        .map_err(self.err())?;
        if name != "HEAD" && Self::logged(name) && old.as_deref() != target {
            self.log(name, old.as_deref(), target, action)?;
        }
        let head_after = self.head_target()?;
        let head_moved = head_before != head_after;
        if name == "HEAD" && (head_before.is_some() || head_after.is_some()) || head_moved {
            self.log(
                "HEAD",
                head_before.as_deref(),
                head_after.as_deref(),
                action,
            )?;
        }
        Ok(old.is_some())
    }

    /// Appends one reflog row.
    fn log(&self, name: &str, old: Option<&str>, new: Option<&str>, action: &str) -> Result<()> {
        self.tx
            .execute(
                "INSERT INTO reflog(name, old, new, time_ms, action) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![name, old, new, crate::time::now_ms(), action],
            )
            .map(drop)
            .map_err(self.err())
    }

    /// Returns the moves of ref `name`, newest first.
    pub fn reflog(&self, name: &str) -> Result<Vec<ReflogEntry>> {
        self.reflog_where("name = ?1", params![name])
    }

    /// Returns every reflog row written at or after `since_ms`, newest first.
    pub fn reflog_since(&self, since_ms: i64) -> Result<Vec<ReflogEntry>> {
        self.reflog_where("time_ms >= ?1", params![since_ms])
    }

    fn reflog_where(&self, cond: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<ReflogEntry>> {
        let mut st = self
            .tx
            .prepare_cached(&format!(
                "SELECT name, old, new, time_ms, action FROM reflog WHERE {cond} ORDER BY seq DESC"
            ))
            .map_err(self.err())?;
        let rows = st
            .query_map(args, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (name, old, new, time_ms, action) = row.map_err(self.err())?;
            let id = |s: Option<String>| {
                s.map(|s| s.parse().map_err(|_| self.bad("a reflog commit id", &s)))
                    .transpose()
            };
            out.push(ReflogEntry {
                name,
                old: id(old)?,
                new: id(new)?,
                time_ms,
                action,
            });
        }
        Ok(out)
    }

    /// Deletes the reflog rows written before `before_ms` (`gc`, past the retention).
    pub fn prune_reflog(&self, before_ms: i64) -> Result<()> {
        self.tx
            .execute("DELETE FROM reflog WHERE time_ms < ?1", [before_ms])
            .map(drop)
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn moves(db: &Db, name: &str) -> Vec<(Option<String>, Option<String>, String)> {
        let q = db.queries();
        q.reflog(name)
            .unwrap()
            .into_iter()
            .map(|e| (e.old.map(|i| i.hex()), e.new.map(|i| i.hex()), e.action))
            .collect()
    }

    #[test]
    fn branch_moves_log_the_branch_and_head_that_follows_it() {
        let d = tempfile::tempdir().unwrap();
        let mut db = Db::open(&d.path().join("pach.db")).unwrap();
        db.transaction(|tx| tx.set_ref("HEAD", "ref: refs/heads/main", "init"))
            .unwrap();
        assert!(
            moves(&db, "HEAD").is_empty(),
            "an unborn HEAD moves nowhere"
        );
        db.transaction(|tx| tx.set_ref("refs/heads/main", A, "commit"))
            .unwrap();
        db.transaction(|tx| tx.set_ref("refs/heads/dev", B, "branch"))
            .unwrap();
        db.transaction(|tx| tx.set_ref("HEAD", "ref: refs/heads/dev", "checkout"))
            .unwrap();
        db.transaction(|tx| tx.set_ref("refs/tags/v1", B, "tag"))
            .unwrap();
        db.transaction(|tx| tx.delete_ref("refs/heads/main", "branch -d"))
            .unwrap();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            moves(&db, "HEAD"),
            [
                (s(A), s(B), "checkout".into()),
                (None, s(A), "commit".into())
            ]
        );
        assert_eq!(
            moves(&db, "refs/heads/main"),
            [
                (s(A), None, "branch -d".into()),
                (None, s(A), "commit".into())
            ]
        );
        assert!(moves(&db, "refs/tags/v1").is_empty());
        db.transaction(|tx| tx.prune_reflog(i64::MAX)).unwrap();
        assert!(db.queries().reflog_since(0).unwrap().is_empty());
    }
}
