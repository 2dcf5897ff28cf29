//! Fetch: what the remote's branches need that is not here, verified, stored, then indexed.
//!
//! Commits and run records are read into memory (few and small). Trees are many: each is
//! verified and decoded as it arrives, written at once into a batch that stays invisible
//! until [`Batch::finish`], and only its id and entries' ids stay in memory, so a fetch of
//! 10^5 new directories holds ids, not trees. Blobs go into a first batch, made durable
//! first; then trees, run records and commits; then one transaction moves the
//! remote-tracking refs (and local tags, and drops pruned refs) and indexes the new commits
//! and runs. A fetch that fails at any point drops its batches, which removes every temp
//! file: nothing durable changes.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::remotes::{decode, spec};
use crate::error::Result;
use crate::paths::{is_under, validate_name};
use crate::progress::Progress;
use crate::remote::{self, Backend, Error as RemoteError, RefSpace};
use crate::repo::{RefKind, Repo, validate_ref_name};
use crate::store::codec::DecodeError;
use crate::store::{Batch, Commit, EntryKind, ObjectId, RunRecord, Structured, Tree};

/// Blobs fetched into one batch, made durable before the next: bounds the temp paths held.
const BLOB_GROUP: usize = 1 << 16;

/// One branch a fetch updated.
#[derive(Debug, Serialize)]
pub struct FetchedBranch {
    pub name: String,
    pub old: Option<ObjectId>,
    pub new: ObjectId,
}

/// One remote tag a fetch found that the local tags lacked or disagreed with.
#[derive(Debug, Serialize)]
pub struct FetchedTag {
    pub name: String,
    /// The local tag before (none when it was new).
    pub old: Option<ObjectId>,
    /// The remote's tag.
    pub new: ObjectId,
    /// `new` (created), `updated` (moved, with `--force`) or `kept` (a local tag at another
    /// commit, left as it was).
    pub result: &'static str,
}

/// What a fetch brings besides branches.
#[derive(Clone, Copy, Debug, Default)]
pub struct FetchOptions {
    /// Also the remote's tags: missing local tags are created.
    pub tags: bool,
    /// Move local tags that disagree with the remote's (else they are kept and reported).
    pub force: bool,
    /// Drop remote-tracking refs whose branch is gone from the remote (only when all
    /// branches are fetched).
    pub prune: bool,
    /// Apply a trusted remote's purge records even where an unpushed local commit holds
    /// the only copy of the content (`--purge-unpushed`).
    pub purge_unpushed: bool,
}

/// What `pach fetch` did.
#[derive(Debug, Serialize, Default)]
pub struct FetchOutcome {
    pub remote: String,
    pub branches: Vec<FetchedBranch>,
    /// Tags created, moved or kept (tags already equal are not listed).
    pub tags: Vec<FetchedTag>,
    /// Remote-tracking branches dropped by `--prune` (`<remote>/<branch>`).
    pub pruned: Vec<String>,
    pub commits: usize,
    pub objects: usize,
    pub bytes: u64,
    /// The remote's purge records that were not here, and what became of them.
    pub purges: super::purge_sync::FetchedPurges,
}

/// Objects read during a fetch, before they are stored.
#[derive(Default)]
struct Fetched {
    commits: Vec<(ObjectId, Vec<u8>, Commit)>,
    /// Trees fetched (their bytes are in the batch, not here).
    trees: HashSet<ObjectId>,
    runs: Vec<(ObjectId, Vec<u8>, RunRecord)>,
    blobs: HashMap<ObjectId, u64>,
    /// Blobs a path filter left out.
    skipped: HashSet<ObjectId>,
}

/// `pach fetch`: fetches every branch and tag of `remote` (default: origin, or the only
/// remote); see [`fetch_from`].
pub fn fetch(
    repo: &mut Repo,
    remote: Option<&str>,
    force: bool,
    prune: bool,
    purge_unpushed: bool,
    p: &dyn Progress,
) -> Result<FetchOutcome> {
    let spec = spec(repo, remote)?;
    let backend = remote::open(&spec, repo.root())?;
    let opts = FetchOptions {
        tags: true,
        force,
        prune,
        purge_unpushed,
    };
    fetch_from(repo, &spec.name, &*backend, None, None, opts, p)
}

/// Downloads what the remote's `branches` (all when `None`) need and sets
/// `refs/remotes/<remote>/<branch>`; with `scope`, only blobs at or under that path; with
/// `opts`, tags and pruning too.
pub fn fetch_from(
    repo: &mut Repo,
    remote: &str,
    backend: &dyn Backend,
    branches: Option<&[String]>,
    scope: Option<&str>,
    opts: FetchOptions,
    p: &dyn Progress,
) -> Result<FetchOutcome> {
    super::chunk_sync::layout(remote, backend)?;
    // The remote's purge records first: the objects they name are never downloaded.
    let new_purges = super::purge_sync::read_new(repo, remote, backend)?;
    let remote_purged = super::purge_sync::objects_of(&new_purges);
    let mut tips = backend.branches()?;
    if let Some(want) = branches {
        for b in want {
            if !tips.iter().any(|(n, _)| n == b) {
                return Err(RemoteError::NoBranch {
                    remote: remote.into(),
                    branch: b.clone(),
                }
                .into());
            }
        }
        tips.retain(|(n, _)| want.contains(n));
    }
    let tags = if opts.tags {
        remote_tags(remote, backend)?
    } else {
        Vec::new()
    };
    let all_tips: Vec<(String, ObjectId)> = tips.iter().chain(&tags).cloned().collect();
    let mut f = Fetched::default();
    fetch_commits(repo, backend, &all_tips, &mut f)?;
    let roots: Vec<(ObjectId, ObjectId)> = f
        .commits
        .iter()
        .map(|c| (c.2.tree, c.0))
        .chain(all_tips.iter().filter_map(|(_, t)| {
            // A tip already here may still lack blobs (after `pull --path`).
            repo.store()
                .contains(t)
                .then(|| repo.commit_obj(t).ok().map(|c| (c.tree, *t)))?
        }))
        .collect();
    // Trees, run records and commits: written as they arrive, visible only at `finish`.
    let structured = Batch::default();
    fetch_trees(repo, remote, backend, &roots, scope, &structured, &mut f)?;
    fetch_runs(repo, backend, scope, &mut f)?;
    if scope.is_none() {
        // A full fetch also brings what an earlier `--path` fetch left out (older versions too).
        for id in repo.db().queries().absent_objects(Some(remote))? {
            f.blobs.entry(id).or_insert(0);
        }
    }
    // Every blob wanted, sorted (half the memory of the set that gathered them), and those
    // not here yet.
    let mut wanted: Vec<(ObjectId, u64)> = std::mem::take(&mut f.blobs).into_iter().collect();
    wanted.sort_unstable();
    // Never the bytes of a purged object, whoever still has them.
    let purges = repo.purges()?;
    let mut blobs: Vec<(ObjectId, u64)> = wanted
        .iter()
        .filter(|(id, _)| {
            !repo.store().contains(id) && !purges.contains(id) && !remote_purged.contains(id)
        })
        .copied()
        .collect();
    let mut out = FetchOutcome {
        remote: remote.into(),
        commits: f.commits.len(),
        objects: blobs.len() + f.trees.len() + f.runs.len() + f.commits.len(),
        bytes: blobs.iter().map(|b| b.1).sum(),
        ..Default::default()
    };
    p.begin("fetching", blobs.len() as u64, out.bytes);
    let indexes = match blobs.is_empty() {
        true => Default::default(),
        false => backend.list_ids("chunked")?,
    };
    let mut chunked = Vec::new();
    blobs.retain(|b| {
        let whole = !indexes.contains(&b.0);
        if !whole {
            chunked.push(b.0);
        }
        whole
    });
    // Blobs first, durable, a group at a time in the order the remote reads them best: they
    // are leaves, so a fetch killed after a group only saves work, and a group's temp files
    // are all the batch holds.
    backend.fetch_order(&mut blobs)?;
    for group in blobs.chunks(BLOB_GROUP) {
        let batch = Batch::default();
        backend.get_into(group, repo.store(), &batch, p)?;
        batch.finish(repo.store())?;
    }
    drop(blobs);
    if !chunked.is_empty() {
        let batch = Batch::default();
        super::chunk_sync::fetch_chunked(repo, remote, backend, &chunked, &batch, p)?;
        batch.finish(repo.store())?;
    }
    p.end();
    // What the transport keeps for reading (the pack map) is not needed again here.
    backend.release();
    for (_, bytes, _) in &f.runs {
        repo.store().put_bytes(bytes, &structured)?;
    }
    for (_, bytes, _) in &f.commits {
        repo.store().put_bytes(bytes, &structured)?;
    }
    structured.finish(repo.store())?;
    let prune = opts.prune && branches.is_none();
    let refs = plan_refs(repo, remote, &tips, &tags, opts.force, prune, &mut out)?;
    index_fetched(repo, remote, &refs, &f, &wanted)?;
    out.purges = super::purge_sync::apply(repo, remote, new_purges, opts.purge_unpushed)?;
    Ok(out)
}

/// Lists the remote's tags (none on a remote made before tags), each name checked as a
/// local tag name would be.
fn remote_tags(remote: &str, backend: &dyn Backend) -> Result<Vec<(String, ObjectId)>> {
    let tags = backend.list_refs(RefSpace::Tags)?;
    for (t, _) in &tags {
        validate_ref_name(t, "tag").map_err(|e| RemoteError::BadTagName {
            remote: remote.into(),
            tag: t.clone(),
            reason: e.to_string(),
        })?;
    }
    Ok(tags)
}

/// The local refs a fetch sets (full name, commit) and deletes, in one transaction.
#[derive(Default)]
struct RefChanges {
    set: Vec<(String, ObjectId)>,
    delete: Vec<String>,
}

/// Decides which refs the fetch moves and fills the outcome's `branches`, `tags` and
/// `pruned`: remote-tracking refs follow the remote's branches; a missing local tag is
/// created, a disagreeing one moves only with `force` (else it is kept and reported), as
/// git does; with `prune`, remote-tracking refs of branches gone from the remote go.
fn plan_refs(
    repo: &Repo,
    remote: &str,
    tips: &[(String, ObjectId)],
    tags: &[(String, ObjectId)],
    force: bool,
    prune: bool,
    out: &mut FetchOutcome,
) -> Result<RefChanges> {
    let mut ch = RefChanges::default();
    for (name, tip) in tips {
        let r = format!("refs/remotes/{remote}/{name}");
        let old = repo
            .db()
            .queries()
            .get_ref(&r)?
            .and_then(|s| s.parse().ok());
        if old != Some(*tip) {
            ch.set.push((r, *tip));
            out.branches.push(FetchedBranch {
                name: name.clone(),
                old,
                new: *tip,
            });
        }
    }
    for (name, tip) in tags {
        let old = repo.get_ref(RefKind::Tag, name)?;
        let result = match old {
            Some(o) if o == *tip => continue,
            Some(_) if !force => "kept",
            Some(_) => "updated",
            None => "new",
        };
        if result != "kept" {
            ch.set.push((format!("refs/tags/{name}"), *tip));
        }
        out.tags.push(FetchedTag {
            name: name.clone(),
            old,
            new: *tip,
            result,
        });
    }
    if prune {
        let prefix = format!("refs/remotes/{remote}/");
        for (r, _) in repo.db().queries().refs(&prefix)? {
            let branch = &r[prefix.len()..];
            if !tips.iter().any(|(n, _)| n == branch) {
                out.pruned.push(format!("{remote}/{branch}"));
                ch.delete.push(r);
            }
        }
    }
    Ok(ch)
}

/// Reads the commits no local object has yet, level by level from the tips.
fn fetch_commits(
    repo: &Repo,
    backend: &dyn Backend,
    tips: &[(String, ObjectId)],
    f: &mut Fetched,
) -> Result<()> {
    let mut seen = HashSet::new();
    let mut frontier: Vec<ObjectId> = tips.iter().map(|t| t.1).collect();
    while !frontier.is_empty() {
        frontier.retain(|id| seen.insert(*id) && !repo.store().contains(id));
        let mut next = Vec::new();
        for (id, bytes) in backend.get_small(&frontier)? {
            let c: Commit = decode(&id, &bytes)?;
            next.extend(c.parents.iter().copied());
            f.commits.push((id, bytes, c));
        }
        frontier = next;
    }
    Ok(())
}

/// Reads the trees under `roots` ((tree, commit) pairs), from the remote unless local, and
/// lists the blobs wanted. Each level of trees is asked for at once (a packed remote reads
/// it in a few ranged reads); each tree is verified, checked, written into `batch` and
/// expanded as it arrives, so only ids and the next level's paths stay in memory.
fn fetch_trees(
    repo: &Repo,
    remote: &str,
    backend: &dyn Backend,
    roots: &[(ObjectId, ObjectId)],
    scope: Option<&str>,
    batch: &Batch,
    f: &mut Fetched,
) -> Result<()> {
    // Without a scope a tree's path changes nothing, so each tree is walked once.
    let key = |id: &ObjectId, path: &str| (*id, scope.map(|_| path.to_string()));
    let mut seen = HashSet::new();
    let mut frontier: Vec<Place> = roots
        .iter()
        .map(|(tree, commit)| (*tree, String::new(), *commit))
        .collect();
    let store = repo.store();
    while !frontier.is_empty() {
        frontier.retain(|(id, path, _)| seen.insert(key(id, path)));
        // Where each tree of the level is wanted (the first place names it in errors).
        let mut at: HashMap<ObjectId, Vec<usize>> = HashMap::new();
        for (i, t) in frontier.iter().enumerate() {
            at.entry(t.0).or_default().push(i);
        }
        let missing: Vec<ObjectId> = at
            .keys()
            .filter(|id| !f.trees.contains(id) && !store.contains(id))
            .copied()
            .collect();
        let level = Level {
            frontier: &frontier,
            scope,
            acc: std::sync::Mutex::new((Vec::new(), &mut *f)),
        };
        let failed = std::sync::Mutex::new(None);
        let got = backend.get_each(&missing, &|id, bytes| {
            let (_, path, commit) = &frontier[at[&id][0]];
            let done = checked_tree(remote, commit, path, &id, &bytes).and_then(|tree| {
                store.put_bytes(&bytes, batch)?;
                level.expand(&tree, &at[&id], Some(id));
                Ok(())
            });
            done.map_err(|e| {
                let stop = RemoteError::Store {
                    remote: remote.into(),
                    op: format!("storing tree {}", id.short()),
                    cause: e.to_string(),
                };
                lock(&failed).get_or_insert(e);
                stop
            })
        });
        if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            return Err(e);
        }
        got?;
        let missing: HashSet<ObjectId> = missing.into_iter().collect();
        for (id, places) in at.iter().filter(|(id, _)| !missing.contains(id)) {
            let tree: Tree = match batch.read_pending(id) {
                Some(b) => decode(id, &b)?,
                None => store.get(id)?,
            };
            level.expand(&tree, places, None);
        }
        // With a scope, all trees still come (history and status need them); blobs do not.
        frontier = level.acc.into_inner().unwrap_or_else(|p| p.into_inner()).0;
    }
    Ok(())
}

/// A tree wanted at a path for a commit (named in errors).
type Place = (ObjectId, String, ObjectId);

/// One level of trees being expanded: the next level's places and the blobs wanted,
/// gathered from whichever thread a tree arrives on.
struct Level<'a> {
    frontier: &'a [Place],
    scope: Option<&'a str>,
    acc: std::sync::Mutex<(Vec<Place>, &'a mut Fetched)>,
}

impl Level<'_> {
    /// Adds the entries of `tree`, found at `places` of the level (and fetched as `fetched`).
    fn expand(&self, tree: &Tree, places: &[usize], fetched: Option<ObjectId>) {
        let mut acc = lock(&self.acc);
        let (next, f) = &mut *acc;
        f.trees.extend(fetched);
        for &i in places {
            let (_, path, commit) = &self.frontier[i];
            for e in &tree.entries {
                let p = if path.is_empty() {
                    e.name.clone()
                } else {
                    format!("{path}/{}", e.name)
                };
                if e.kind == EntryKind::Dir {
                    next.push((e.id, p, *commit));
                } else if self.scope.is_none_or(|s| is_under(&p, s)) {
                    f.blobs.insert(e.id, e.size);
                } else {
                    f.skipped.insert(e.id);
                }
            }
        }
    }
}

/// Locks a mutex, whatever a panicking holder left.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Decodes a tree from the remote and checks its entry names; an error names the remote,
/// the commit and the path of the bad entry.
fn checked_tree(
    remote: &str,
    commit: &ObjectId,
    dir: &str,
    id: &ObjectId,
    bytes: &[u8],
) -> Result<Tree> {
    let bad = |name: Option<&str>, reason: String| RemoteError::BadTree {
        remote: remote.into(),
        commit: commit.short(),
        path: match (dir, name) {
            ("", Some(n)) => n.to_string(),
            (d, Some(n)) => format!("{d}/{n}"),
            ("", None) => "/".into(),
            (d, None) => d.to_string(),
        },
        reason: format!("{reason} (tree {})", id.short()),
    };
    let tree = match Tree::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            let entry = match &e {
                DecodeError::NotCanonical { entry, .. } => entry.clone(),
                _ => None,
            };
            return Err(bad(entry.as_deref(), e.to_string()).into());
        }
    };
    for e in &tree.entries {
        if let Err(reason) = validate_name(&e.name) {
            return Err(bad(Some(&e.name), reason.into()).into());
        }
    }
    Ok(tree)
}

/// Reads the run records of the fetched commits and lists their logs and outputs.
fn fetch_runs(
    repo: &Repo,
    backend: &dyn Backend,
    scope: Option<&str>,
    f: &mut Fetched,
) -> Result<()> {
    let ids: Vec<ObjectId> = f
        .commits
        .iter()
        .flat_map(|c| c.2.runs.iter().copied())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let (local, remote): (Vec<ObjectId>, Vec<ObjectId>) =
        ids.into_iter().partition(|id| repo.store().contains(id));
    let mut recs: Vec<(ObjectId, RunRecord)> = Vec::new();
    for id in local {
        recs.push((id, repo.store().get(&id)?));
    }
    for (id, bytes) in backend.get_small(&remote)? {
        let rec: RunRecord = decode(&id, &bytes)?;
        recs.push((id, rec.clone()));
        f.runs.push((id, bytes, rec));
    }
    for (_, rec) in recs {
        if scope.is_none() {
            f.blobs.insert(rec.log, 0);
        } else {
            f.skipped.insert(rec.log);
        }
        for o in &rec.outputs {
            if scope.is_none_or(|s| is_under(&o.path, s)) {
                f.blobs.insert(o.id, o.size);
            } else {
                f.skipped.insert(o.id);
            }
        }
    }
    Ok(())
}

/// Moves the refs `refs` says and indexes the new commits and runs, and records which
/// blobs a path filter left out (and which of them, `wanted` (sorted), have arrived since),
/// in one transaction.
fn index_fetched(
    repo: &mut Repo,
    remote: &str,
    refs: &RefChanges,
    f: &Fetched,
    wanted: &[(ObjectId, u64)],
) -> Result<()> {
    let mut versions = Vec::new();
    for (id, _, c) in &f.commits {
        let parent = c.parents.first().map(|p| repo.commit_obj(p)).transpose()?;
        let v = added_or_changed(repo, parent.map(|p| p.tree), c.tree)?;
        versions.push((*id, c.time, v));
    }
    let absent: Vec<&ObjectId> = f
        .skipped
        .iter()
        .filter(|id| {
            wanted.binary_search_by_key(*id, |w| w.0).is_err() && !repo.store().contains(id)
        })
        .collect();
    repo.db_mut().transaction(|tx| {
        for (r, tip) in &refs.set {
            tx.set_ref(r, &tip.hex(), "fetch")?;
        }
        for r in &refs.delete {
            tx.delete_ref(r, "fetch --prune")?;
        }
        for (id, time, v) in &versions {
            tx.add_commit(id, *time)?;
            tx.add_versions(id, *time, v)?;
        }
        for (id, _, rec) in &f.runs {
            if !tx.has_run(id)? {
                tx.add_run(id, rec)?;
            }
        }
        tx.remove_absent_objects(wanted.iter().map(|w| &w.0))?;
        tx.add_absent_objects(absent.iter().copied(), remote)?;
        Ok(())
    })?;
    Ok(())
}

/// Lists (path, blob) of files added or changed from tree `old` to tree `new`: the file
/// versions a commit brings (a change of only the exec bit brings none).
fn added_or_changed(
    repo: &Repo,
    old: Option<ObjectId>,
    new: ObjectId,
) -> Result<Vec<(String, ObjectId)>> {
    Ok(repo
        .tree_changes(old.as_ref(), Some(&new))?
        .into_iter()
        .filter_map(|c| match (c.old, c.new) {
            (Some(o), Some(n)) if o.id == n.id && o.kind == n.kind => None,
            (_, Some(n)) => Some((c.path, n.id)),
            (_, None) => None,
        })
        .collect())
}
