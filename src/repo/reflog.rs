//! The reflog seen from the project: `pach reflog [REF]`, the `REF@{n}` revision syntax, and
//! the commits it keeps alive for `gc` within the `[gc] reflog` retention.

use std::time::Duration;

use super::{GcConfig, Repo};
use crate::db::ReflogEntry;
use crate::error::{Error, Result};
use crate::store::ObjectId;

impl Repo {
    /// Returns the full name of the ref `name` means for the reflog (`HEAD` when `None`):
    /// `HEAD`, a full `refs/…` name, a branch, then a remote-tracking ref (`origin/main`);
    /// a deleted branch still has its reflog.
    pub fn reflog_name(&self, name: Option<&str>) -> Result<String> {
        let name = name.unwrap_or("HEAD");
        if name == "HEAD" || name == "@" {
            return Ok("HEAD".into());
        }
        let q = self.db();
        let q = q.queries();
        let candidates = if name.starts_with("refs/") {
            vec![name.to_string()]
        } else {
            vec![format!("refs/heads/{name}"), format!("refs/remotes/{name}")]
        };
        for full in candidates {
            if q.get_ref(&full)?.is_some() || !q.reflog(&full)?.is_empty() {
                return Ok(full);
            }
        }
        Err(Error::UnknownRev { rev: name.into() })
    }

    /// Returns the moves of ref `name` (see [`Repo::reflog_name`]), newest first, with the
    /// full name of the ref.
    pub fn reflog(&self, name: Option<&str>) -> Result<(String, Vec<ReflogEntry>)> {
        let full = self.reflog_name(name)?;
        let entries = self.db().queries().reflog(&full)?;
        Ok((full, entries))
    }

    /// Resolves `REF@{n}` (then any `~N`/`^` after it): the commit `REF` pointed at `n` moves
    /// ago (`@{0}` is where it points now; an empty `REF` is `HEAD`). Returns `None` for a
    /// revision without `@{`, which [`Repo::resolve_rev`] handles as before.
    pub(super) fn resolve_reflog_rev(&self, rev: &str) -> Result<Option<ObjectId>> {
        let Some((base, after)) = rev.split_once("@{") else {
            return Ok(None);
        };
        let unknown = || Error::UnknownRev { rev: rev.into() };
        let (n, suffix) = after.split_once('}').ok_or_else(unknown)?;
        let n: usize = n.parse().map_err(|_| unknown())?;
        let base = if base.is_empty() { "HEAD" } else { base };
        let (full, entries) = self.reflog(Some(base))?;
        let id = match n {
            0 => match entries.first() {
                Some(e) => e.new,
                None => Some(self.resolve_rev(base)?),
            },
            n => entries.get(n - 1).and_then(|e| e.old),
        };
        let id = id.ok_or_else(|| Error::ReflogTooShort {
            rev: rev.into(),
            name: full,
            entries: entries.len(),
        })?;
        if suffix.is_empty() {
            Ok(Some(id))
        } else {
            self.resolve_rev(&format!("{}{suffix}", id.hex())).map(Some)
        }
    }

    /// How long `gc` keeps what the reflog reaches: `[gc] reflog`, else 90 days.
    pub fn reflog_retention(&self) -> Duration {
        let text = self.config().gc.reflog.as_deref();
        crate::time::parse_duration(text.unwrap_or(GcConfig::REFLOG))
            .unwrap_or(Duration::from_secs(90 * 86_400))
    }

    /// The commits the reflog names (before and after each move) written since `since_ms`:
    /// roots for `gc`, so a reset or forced move loses nothing within the retention.
    pub(super) fn reflog_roots(&self, since_ms: i64) -> Result<Vec<(String, ObjectId)>> {
        let rows = self.db().queries().reflog_since(since_ms)?;
        Ok(rows
            .into_iter()
            .flat_map(|e| {
                let at = format!("reflog of {}", e.name);
                [e.old, e.new]
                    .into_iter()
                    .flatten()
                    .map(move |id| (at.clone(), id))
            })
            .collect())
    }
}
