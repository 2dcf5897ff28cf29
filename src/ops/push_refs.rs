//! `pach push --tags` (every local tag, objects first, each tag ref last by compare-and-swap)
//! and `pach push --delete` (a remote branch or tag, by compare-and-swap).

use serde::Serialize;

use super::remotes::spec;
use super::sync::{PushOutcome, check_move, send};
use crate::error::Result;
use crate::progress::Progress;
use crate::remote::{self, Backend, Error as RemoteError, RefSpace, RefVersion};
use crate::repo::{RefKind, Repo, validate_ref_name};
use crate::store::ObjectId;

/// What `pach push --tags` did.
#[derive(Debug, Serialize)]
pub struct PushTagsOutcome {
    pub remote: String,
    /// Every local tag, with what happened to it (`up_to_date` when the remote had it).
    pub tags: Vec<PushOutcome>,
    pub objects: usize,
    pub bytes: u64,
}

/// What `pach push --delete` did.
#[derive(Debug, Serialize)]
pub struct DeleteOutcome {
    pub remote: String,
    /// The full name deleted on the remote: `refs/heads/<branch>` or `refs/tags/<tag>`.
    #[serde(rename = "ref")]
    pub full: String,
    /// Where it pointed.
    pub was: ObjectId,
}

/// `pach push --tags`: pushes every local tag to `remote` (default: origin, or the only
/// remote); see [`push_tags_to`].
pub fn push_tags(
    repo: &mut Repo,
    remote: Option<&str>,
    force: bool,
    p: &dyn Progress,
) -> Result<PushTagsOutcome> {
    let spec = spec(repo, remote)?;
    let backend = remote::open(&spec, repo.root())?;
    push_tags_to(repo, &spec.name, &*backend, force, p)
}

/// Reads the remote's copy of every local tag and refuses (before anything is uploaded) if
/// one is at another commit, unless `force`; then uploads what the tags need and sets each
/// tag ref by compare-and-swap.
pub fn push_tags_to(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    force: bool,
    p: &dyn Progress,
) -> Result<PushTagsOutcome> {
    let mut planned: Vec<(PushOutcome, Option<(ObjectId, RefVersion)>)> = Vec::new();
    for (name, local) in repo.list_refs(RefKind::Tag)? {
        let current = backend.read_ref(RefSpace::Tags, &name)?;
        let old = current.as_ref().map(|c| c.0);
        let mut out = PushOutcome::new(remote, RefSpace::Tags, &name, local, old);
        if let Some(theirs) = old.filter(|t| *t != local) {
            out.forced = check_move(repo, remote, RefSpace::Tags, &name, &theirs, &local, force)?;
        }
        planned.push((out, current));
    }
    let mut outcome = PushTagsOutcome {
        remote: remote.into(),
        tags: Vec::new(),
        objects: 0,
        bytes: 0,
    };
    if planned.iter().any(|(o, _)| !o.up_to_date) {
        let tips: Vec<ObjectId> = planned
            .iter()
            .filter(|(o, _)| !o.up_to_date)
            .map(|(o, _)| o.commit)
            .collect();
        (outcome.objects, outcome.bytes) = send(repo, remote, backend, &tips, None, p)?;
        for (o, current) in planned.iter().filter(|(o, _)| !o.up_to_date) {
            let name = o.tag.as_deref().unwrap_or_default();
            backend.swap_ref(RefSpace::Tags, name, current.as_ref(), o.commit)?;
        }
    }
    outcome.tags = planned.into_iter().map(|(o, _)| o).collect();
    Ok(outcome)
}

/// `pach push --delete NAME`: deletes branch `NAME` (or tag `X` given as `refs/tags/X`) on
/// `remote` (default: origin, or the only remote), and the remote-tracking ref of a branch.
pub fn delete(repo: &mut Repo, remote: Option<&str>, name: &str) -> Result<DeleteOutcome> {
    let spec = spec(repo, remote)?;
    let (space, short) = match name.strip_prefix("refs/tags/") {
        Some(t) => (RefSpace::Tags, t),
        None => (
            RefSpace::Heads,
            name.strip_prefix("refs/heads/").unwrap_or(name),
        ),
    };
    let what = if space == RefSpace::Tags {
        "tag"
    } else {
        "branch"
    };
    validate_ref_name(short, what)?;
    let backend = remote::open(&spec, repo.root())?;
    delete_from(repo, &spec.name, &*backend, space, short)
}

/// Deletes ref `name` of `space` on the remote if it exists (compare-and-swap against what
/// was read), then drops the local remote-tracking ref of a branch.
pub fn delete_from(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    space: RefSpace,
    name: &str,
) -> Result<DeleteOutcome> {
    let current = backend.read_ref(space, name)?.ok_or_else(|| match space {
        RefSpace::Heads => RemoteError::NoBranch {
            remote: remote.into(),
            branch: name.into(),
        },
        RefSpace::Tags => RemoteError::NoTag {
            remote: remote.into(),
            tag: name.into(),
        },
    })?;
    backend.delete_ref(space, name, &current)?;
    if space == RefSpace::Heads {
        let tracking = format!("refs/remotes/{remote}/{name}");
        repo.db_mut()
            .transaction(|tx| tx.delete_ref(&tracking, "push --delete"))?;
    }
    Ok(DeleteOutcome {
        remote: remote.into(),
        full: format!("{}/{name}", space.dir()),
        was: current.0,
    })
}
