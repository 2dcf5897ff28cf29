//! The repository handle: finding, creating and opening a project, its lock, its config, and
//! turning user paths into safe project paths.
//!
//! The operations on it live in the sibling modules, one topic each.

mod add;
mod checkout;
mod commit;
mod config;
mod fsck;
mod fsck_chunks;
mod gitside;
mod history;
mod ignore;
mod index_trees;
mod merge;
mod purge;
mod purge_clean;
mod read;
mod reflog;
mod refs;
mod reset;
mod revert;
mod status;
mod switch;
mod tree;

/// The object types callers see in outcomes (so they need not reach into the store).
pub use crate::db::ReflogEntry;
pub use crate::store::purge::{Erased, PurgeRecord, PurgedObject};
pub use crate::store::{Author, CodeVersion, Commit, EntryKind, ImageRef, ObjectId, RunRecord};
pub use add::{AddOutcome, RmOutcome};
pub use checkout::{CheckoutOutcome, Move, PurgedFile};
pub use commit::CommitOptions;
pub use commit::CommitOutcome;
pub use config::{Config, GcConfig, RemoteConfig};
pub use fsck::{FsckOutcome, GcOutcome, Problem};
pub use gitside::{GitSide, Notice};
pub use history::TreeChange;
pub use merge::{Conflict, ConflictKind, Favour, MERGE_HEAD, Merged, three_way};
pub use purge::Purges;
pub use purge_clean::PurgedPaths;
pub use refs::{Head, RefKind, validate_ref_name};
pub use reset::{ResetMode, ResetOutcome, RestoreOutcome};
pub use revert::{MvOutcome, RevertOutcome};
pub use status::{Change, ChangeKind, Merging, Status, diff_snapshots};
pub use tree::build as build_tree;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::db::Db;
use crate::error::{Error, Result};
use crate::store::{LinkMode, Store};

/// Name of the directory that holds a project's store.
pub const PACH_DIR: &str = ".pach";

/// An open pach project.
pub struct Repo {
    root: PathBuf,
    dir: PathBuf,
    store: Store,
    db: std::sync::Mutex<Db>,
    config: Config,
    /// What operations had to tell about the git side, until the command takes them.
    notices: std::sync::Mutex<Vec<Notice>>,
    /// Where operations that write many working-tree files report their progress.
    progress: std::sync::Arc<dyn crate::progress::Progress + Send>,
    _lock: Option<File>,
}

/// Whether an operation needs the single-writer lock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    Read,
    Write,
}

impl Repo {
    /// Creates a new project in `dir`, refusing inside an existing one.
    ///
    /// Returns the repository and the `.gitignore` it updated, if any.
    pub fn init(dir: &Path) -> Result<(Repo, Option<PathBuf>)> {
        Repo::init_with(dir, true)
    }

    /// [`Repo::init`]; without `gitignore`, the project leaves `.gitignore` alone (no
    /// `/.pach/` line now, no block of tracked paths later: `gitignore = false` in its config).
    pub fn init_with(dir: &Path, gitignore: bool) -> Result<(Repo, Option<PathBuf>)> {
        let dir = fs::canonicalize(dir).map_err(|source| Error::Io {
            path: dir.into(),
            source,
        })?;
        if let Some(root) = find_root(&dir) {
            return Err(Error::AlreadyProject { path: dir, root });
        }
        let pach = dir.join(PACH_DIR);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| Error::Io { path, source }
        };
        // Build in a temp dir and rename, so a half-made `.pach/` never exists.
        let staging = dir.join(format!(".pach-init-{}", std::process::id()));
        let made = (|| -> Result<()> {
            for sub in ["objects", "tmp"] {
                fs::create_dir_all(staging.join(sub)).map_err(io(&staging))?;
            }
            let config = if gitignore {
                Config::TEMPLATE.to_string()
            } else {
                format!("{}gitignore = false\n", Config::TEMPLATE)
            };
            fs::write(staging.join("config.toml"), config).map_err(io(&staging))?;
            let db = Db::open(&staging.join("pach.db"))?;
            db.queries()
                .set_ref("HEAD", "ref: refs/heads/main", "init")?;
            drop(db);
            fs::rename(&staging, &pach).map_err(io(&pach))
        })();
        if let Err(e) = made {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        let ignored = if gitignore {
            crate::git::ignore_pach_dir(&dir).map_err(io(&dir.join(".gitignore")))?
        } else {
            None
        };
        Ok((Repo::open_at(dir, Access::Write)?, ignored))
    }

    /// Opens the project enclosing `start`.
    pub fn discover(start: &Path, access: Access) -> Result<Repo> {
        let abs = fs::canonicalize(start).map_err(|source| Error::Io {
            path: start.into(),
            source,
        })?;
        let root = find_root(&abs).ok_or(Error::NotAProject { start: abs })?;
        Repo::open_at(root, access)
    }

    fn open_at(root: PathBuf, access: Access) -> Result<Repo> {
        let dir = root.join(PACH_DIR);
        let lock = match access {
            Access::Write => Some(take_lock(&dir)?),
            Access::Read => None,
        };
        let config = Config::load(&dir.join("config.toml"))?;
        let db = Db::open(&dir.join("pach.db"))?;
        let store = Store::new(&dir);
        Ok(Repo {
            root,
            dir,
            store,
            db: std::sync::Mutex::new(db),
            config,
            notices: Default::default(),
            progress: std::sync::Arc::new(crate::progress::NoProgress),
            _lock: lock,
        })
    }

    /// Shows the progress of working-tree writes (checkout, reset, merge, pull) on `p`.
    pub fn show_progress(&mut self, p: std::sync::Arc<dyn crate::progress::Progress + Send>) {
        self.progress = p;
    }

    /// Returns the project directory (the parent of `.pach/`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the `.pach/` directory.
    pub fn pach_dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the object store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Returns the index database for writing (transactions).
    pub fn db_mut(&mut self) -> &mut Db {
        self.db.get_mut().unwrap_or_else(|p| p.into_inner())
    }

    /// Returns the index database for queries outside a transaction.
    pub fn db(&self) -> std::sync::MutexGuard<'_, Db> {
        self.db.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Returns the settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Returns the link mode in force: the configured one, else reflink where supported.
    pub fn link_mode(&self) -> LinkMode {
        self.config.link.unwrap_or_else(|| {
            if reflink_supported(self.store.tmp_dir()) {
                LinkMode::Reflink
            } else {
                LinkMode::Copy
            }
        })
    }

    /// Tries to take the write lock for a read-mostly command that may refresh the stat cache.
    pub fn try_upgrade(&mut self) -> bool {
        if self._lock.is_some() {
            return true;
        }
        match take_lock(&self.dir) {
            Ok(f) => {
                self._lock = Some(f);
                true
            }
            Err(_) => false,
        }
    }
}

fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join(PACH_DIR).is_dir())
        .map(Path::to_path_buf)
}

fn take_lock(dir: &Path) -> Result<File> {
    let path = dir.join("lock");
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match f.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let pid = fs::read_to_string(&path)
                .unwrap_or_default()
                .trim()
                .to_string();
            let pid = if pid.is_empty() {
                "unknown".into()
            } else {
                pid
            };
            return Err(Error::Locked { pid, lock: path });
        }
        Err(fs::TryLockError::Error(e)) => return Err(io(e)),
    }
    f.set_len(0).map_err(io)?;
    write!(f, "{}", std::process::id()).map_err(io)?;
    Ok(f)
}

fn reflink_supported(tmp: &Path) -> bool {
    use std::sync::OnceLock;
    static PROBE: OnceLock<bool> = OnceLock::new();
    *PROBE.get_or_init(|| {
        let a = tmp.join(format!("probe-{}-a", std::process::id()));
        let b = tmp.join(format!("probe-{}-b", std::process::id()));
        let ok = fs::write(&a, b"probe").is_ok() && reflink_copy::reflink(&a, &b).is_ok();
        let _ = fs::remove_file(&a);
        let _ = fs::remove_file(&b);
        ok
    })
}
