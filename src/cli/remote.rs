//! `pach remote`, `pach push`, `pach fetch`, `pach pull` and `pach clone`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Context;
use crate::error::{Error, Result};
use crate::remote::{self, Error as RemoteError, S3Settings, Spec};
use crate::repo::{Access, Head, Repo};

/// Add, list or remove remotes
///
/// A remote is a directory (a path or `file://…`) or an S3-compatible bucket
/// (`s3://bucket/prefix`). S3 credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
/// and AWS_SESSION_TOKEN, else a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE,
/// AWS_ROLE_ARN), else container or instance credentials; region and endpoint from
/// AWS_REGION and AWS_ENDPOINT_URL, overridden by `endpoint` and `region` in
/// `[remote.<name>]` of `.pach/config.toml`. Plain http only for a loopback endpoint.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach remote add origin /mnt/share/project.pach\n  pach remote add origin s3://bucket/projects/survey --endpoint http://127.0.0.1:9000\n  pach remote list --json\n  pach remote remove origin"
)]
pub struct RemoteArgs {
    #[command(subcommand)]
    action: RemoteAction,
}

#[derive(clap::Subcommand, Debug)]
enum RemoteAction {
    /// Add a remote
    Add {
        /// Name of the remote (e.g. origin)
        name: String,
        /// Directory path, file://… or s3://bucket/prefix
        url: String,
        /// S3 endpoint URL (e.g. http://127.0.0.1:9000)
        #[arg(long)]
        endpoint: Option<String>,
        /// S3 region
        #[arg(long)]
        region: Option<String>,
    },
    /// List remotes
    List {
        /// Print the list as JSON
        #[arg(long)]
        json: bool,
    },
    /// Remove a remote (its remote-tracking refs go too)
    Remove {
        /// Name of the remote
        name: String,
    },
}

/// Upload a branch to a remote
///
/// Uploads only the objects the remote lacks, then moves the remote branch with
/// compare-and-swap. A push that is not a fast-forward is refused unless --force. A push
/// that is interrupted leaves the remote branch where it was; run it again to finish.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach push\n  pach push origin main\n  pach push backup experiment --force"
)]
pub struct PushArgs {
    /// Remote to push to (default: origin, or the only remote)
    remote: Option<String>,
    /// Branch to push (default: the current branch)
    branch: Option<String>,
    /// Overwrite the remote branch even if it is not an ancestor
    #[arg(long)]
    force: bool,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Download a remote's branches and objects
///
/// Sets `<remote>/<branch>` for each branch of the remote; the working tree is not touched.
#[derive(clap::Args, Debug)]
pub struct FetchArgs {
    /// Remote to fetch from (default: origin, or the only remote)
    remote: Option<String>,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Fetch a branch and fast-forward the local branch and working tree to it
///
/// Refuses when local and remote have diverged, and never overwrites local changes.
#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  pach pull\n  pach pull origin main --path data/raw")]
pub struct PullArgs {
    /// Remote to pull from (default: origin, or the only remote)
    remote: Option<String>,
    /// Branch to pull (default: the current branch)
    branch: Option<String>,
    /// Fetch file contents only at or under PATH, and update only that part of the tree
    #[arg(long, value_name = "PATH")]
    path: Option<PathBuf>,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

/// Make a new project from a remote, with its default branch checked out
///
/// The default branch is `main`, else the only (or first) branch. The remote is added as
/// `origin`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  pach clone /mnt/share/survey.pach survey\n  pach clone s3://bucket/survey --path data/clean"
)]
pub struct CloneArgs {
    /// Directory path, file://… or s3://bucket/prefix
    url: String,
    /// Directory to create (default: the last component of the URL)
    #[arg(value_name = "DIR")]
    directory: Option<PathBuf>,
    /// Fetch file contents only at or under PATH
    #[arg(long, value_name = "PATH")]
    path: Option<String>,
    /// Print the result as JSON
    #[arg(long)]
    json: bool,
}

pub fn remote(cx: &Context, args: &RemoteArgs) -> Result<()> {
    match &args.action {
        RemoteAction::Add {
            name,
            url,
            endpoint,
            region,
        } => {
            let repo = cx.repo(Access::Write)?;
            if repo.config().remote.contains_key(name) {
                return Err(RemoteError::Exists { name: name.clone() }.into());
            }
            remote::parse_url(url, &cx.cwd)?;
            crate::repo::validate_ref_name(name, "remote")?;
            let url = absolute_url(url, &cx.cwd);
            add_to_config(
                repo.pach_dir(),
                name,
                &url,
                endpoint.as_deref(),
                region.as_deref(),
            )?;
            cx.ui.note(format!("added remote `{name}` ({url})"));
            Ok(())
        }
        RemoteAction::List { json } => {
            let repo = cx.repo(Access::Read)?;
            #[derive(Serialize)]
            struct Row<'a> {
                name: &'a str,
                url: &'a str,
            }
            let rows: Vec<Row> = repo
                .config()
                .remote
                .iter()
                .map(|(n, r)| Row {
                    name: n,
                    url: &r.url,
                })
                .collect();
            if *json {
                return cx.ui.json(&rows);
            }
            for r in rows {
                cx.ui.line(format!("{}\t{}", r.name, r.url))?;
            }
            Ok(())
        }
        RemoteAction::Remove { name } => {
            let mut repo = cx.repo(Access::Write)?;
            if !repo.config().remote.contains_key(name) {
                return Err(RemoteError::Unknown { name: name.clone() }.into());
            }
            remove_from_config(repo.pach_dir(), name)?;
            let prefix = format!("refs/remotes/{name}/");
            repo.db_mut().transaction(|tx| {
                for (r, _) in tx.refs(&prefix)? {
                    tx.delete_ref(&r)?;
                }
                Ok(())
            })?;
            cx.ui.note(format!("removed remote `{name}`"));
            Ok(())
        }
    }
}

/// Makes a relative directory URL absolute, so the config works from any directory.
fn absolute_url(url: &str, cwd: &Path) -> String {
    if url.contains("://") || url.starts_with('/') {
        url.to_string()
    } else {
        let mut out = PathBuf::new();
        for c in cwd.join(url).components() {
            match c {
                std::path::Component::ParentDir => {
                    out.pop();
                }
                std::path::Component::CurDir => {}
                c => out.push(c),
            }
        }
        out.to_string_lossy().into_owned()
    }
}

fn add_to_config(
    pach: &Path,
    name: &str,
    url: &str,
    endpoint: Option<&str>,
    region: Option<&str>,
) -> Result<()> {
    let path = pach.join("config.toml");
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let q = |s: &str| toml::Value::String(s.into()).to_string();
    text.push_str(&format!("\n[remote.{}]\nurl = {}\n", q(name), q(url)));
    if let Some(e) = endpoint {
        text.push_str(&format!("endpoint = {}\n", q(e)));
    }
    if let Some(r) = region {
        text.push_str(&format!("region = {}\n", q(r)));
    }
    write_config(&path, &text).map_err(io)
}

fn remove_from_config(pach: &Path, name: &str) -> Result<()> {
    let path = pach.join("config.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let headers = [
        format!("[remote.{name}]"),
        format!("[remote.{}]", toml::Value::String(name.into())),
    ];
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            skipping = headers.iter().any(|h| h == t);
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    write_config(&path, out.trim_end_matches('\n').to_string().as_str())
        .map_err(|source| Error::Io { path, source })
}

fn write_config(path: &Path, text: &str) -> std::io::Result<()> {
    let tmp = path.with_extension("toml.tmp");
    let mut body = text.to_string();
    if !body.ends_with('\n') {
        body.push('\n');
    }
    std::fs::write(&tmp, body)?;
    std::fs::rename(&tmp, path)
}

/// Returns the spec of remote `name` (default: origin, or the only remote).
fn spec(repo: &Repo, name: Option<&str>) -> Result<Spec> {
    let remotes = &repo.config().remote;
    let name = match name {
        Some(n) => n.to_string(),
        None if remotes.contains_key("origin") || remotes.len() != 1 => "origin".into(),
        None => remotes.keys().next().expect("one remote").clone(),
    };
    let r = remotes
        .get(&name)
        .ok_or_else(|| RemoteError::Unknown { name: name.clone() })?;
    let mut s3 = s3_from_env();
    s3.endpoint = r.endpoint.clone().or(s3.endpoint);
    s3.region = r.region.clone().or(s3.region);
    s3.allow_http = r.allow_http.or(s3.allow_http);
    Ok(Spec {
        name,
        url: r.url.clone(),
        s3,
    })
}

/// Reads the usual `AWS_*` variables.
fn s3_from_env() -> S3Settings {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    S3Settings {
        endpoint: env("AWS_ENDPOINT_URL_S3")
            .or_else(|| env("AWS_ENDPOINT_URL"))
            .or_else(|| env("AWS_ENDPOINT")),
        region: env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
        access_key: env("AWS_ACCESS_KEY_ID"),
        secret_key: env("AWS_SECRET_ACCESS_KEY"),
        token: env("AWS_SESSION_TOKEN"),
        // Never from AWS_ALLOW_HTTP: plain http is for loopback endpoints only.
        allow_http: None,
    }
}

fn current_branch(repo: &Repo, given: Option<&str>, command: &'static str) -> Result<String> {
    match (given, repo.head()?) {
        (Some(b), _) => Ok(b.into()),
        (None, Head::Branch(b)) => Ok(b),
        (None, Head::Detached(id)) => Err(RemoteError::DetachedHead {
            command,
            at: id.short(),
        }
        .into()),
    }
}

pub fn push(cx: &Context, args: &PushArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let spec = spec(&repo, args.remote.as_deref())?;
    let branch = current_branch(&repo, args.branch.as_deref(), "push")?;
    let backend = remote::open(&spec, repo.root())?;
    let p = cx.ui.progress(args.json);
    let out = remote::sync::push(&mut repo, &spec.name, &*backend, &branch, args.force, &*p)?;
    if args.json {
        return cx.ui.json(&out);
    }
    if out.up_to_date {
        cx.ui
            .note(format!("`{}/{branch}` is up to date", spec.name));
    } else {
        let from = out.old.map_or("(new branch)".into(), |o| o.short());
        cx.ui.note(format!(
            "{}/{branch} {from} -> {}: {} object(s), {}{}",
            spec.name,
            out.commit.short(),
            out.objects,
            crate::ui::human_bytes(out.bytes),
            if out.forced { " (forced)" } else { "" }
        ));
    }
    Ok(())
}

pub fn fetch(cx: &Context, args: &FetchArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let spec = spec(&repo, args.remote.as_deref())?;
    let backend = remote::open(&spec, repo.root())?;
    let p = cx.ui.progress(args.json);
    let out = remote::fetch::fetch(&mut repo, &spec.name, &*backend, None, None, &*p)?;
    if args.json {
        return cx.ui.json(&out);
    }
    for b in &out.branches {
        let from = b.old.map_or("(new)".into(), |o| o.short());
        cx.ui.note(format!(
            "{}/{}: {from} -> {}",
            spec.name,
            b.name,
            b.new.short()
        ));
    }
    cx.ui.note(format!(
        "fetched {} commit(s), {} object(s), {}",
        out.commits,
        out.objects,
        crate::ui::human_bytes(out.bytes)
    ));
    Ok(())
}

pub fn pull(cx: &Context, args: &PullArgs) -> Result<()> {
    let mut repo = cx.repo(Access::Write)?;
    let spec = spec(&repo, args.remote.as_deref())?;
    let branch = current_branch(&repo, args.branch.as_deref(), "pull")?;
    let scope = match &args.path {
        Some(p) => Some(crate::paths::resolve(repo.root(), &cx.cwd, p)?),
        None => None,
    };
    let backend = remote::open(&spec, repo.root())?;
    let p = cx.ui.progress(args.json);
    let out = remote::sync::pull(
        &mut repo,
        &spec.name,
        &*backend,
        &branch,
        scope.as_deref(),
        &*p,
    )?;
    report_pull(cx, &spec.name, &out, args.json)
}

fn report_pull(cx: &Context, remote: &str, out: &remote::PullOutcome, json: bool) -> Result<()> {
    if json {
        return cx.ui.json(out);
    }
    let b = &out.branch;
    match out.result {
        "up-to-date" if out.written > 0 => cx.ui.note(format!(
            "`{b}` is up to date with `{remote}/{b}`; {} file(s) not fetched before now written \
             (fetched {})",
            out.written,
            crate::ui::human_bytes(out.fetch.bytes)
        )),
        "up-to-date" => cx
            .ui
            .note(format!("`{b}` is up to date with `{remote}/{b}`")),
        "ahead" => cx.ui.note(format!(
            "`{b}` is ahead of `{remote}/{b}`; nothing to pull (push it?)"
        )),
        _ => cx.ui.note(format!(
            "{b}: {} -> {} (fast-forward; {} file(s) written, {} deleted; fetched {})",
            out.old.map_or("(none)".into(), |o| o.short()),
            out.new.short(),
            out.written,
            out.deleted,
            crate::ui::human_bytes(out.fetch.bytes)
        )),
    }
    Ok(())
}

pub fn clone(cx: &Context, args: &CloneArgs) -> Result<()> {
    remote::parse_url(&args.url, &cx.cwd)?;
    let url = absolute_url(&args.url, &cx.cwd);
    let dir = match &args.directory {
        Some(d) => cx.cwd.join(d),
        None => {
            let last = url
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".pach");
            if last.is_empty() || last == "." || last == ".." {
                return Err(RemoteError::BadUrl {
                    url: url.clone(),
                    reason: "cannot name a directory after it; give one".into(),
                }
                .into());
            }
            cx.cwd.join(last)
        }
    };
    let created = !dir.exists();
    if !created
        && std::fs::read_dir(&dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Error::BadPath {
            path: dir.display().to_string(),
            reason: "exists and is not an empty directory".into(),
        });
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let done = clone_into(cx, args, &url, &dir);
    if done.is_err() {
        // Nothing changes locally on failure: remove what this command made.
        if created {
            let _ = std::fs::remove_dir_all(&dir);
        } else {
            let _ = std::fs::remove_dir_all(dir.join(crate::repo::PACH_DIR));
        }
    }
    done
}

fn clone_into(cx: &Context, args: &CloneArgs, url: &str, dir: &Path) -> Result<()> {
    let (mut repo, _) = Repo::init(dir)?;
    add_to_config(repo.pach_dir(), "origin", url, None, None)?;
    let s3 = s3_from_env();
    let spec = Spec {
        name: "origin".into(),
        url: url.into(),
        s3,
    };
    let backend = remote::open(&spec, repo.root())?;
    let p = cx.ui.progress(args.json);
    let branches = backend.branches()?;
    let Some(branch) = branches
        .iter()
        .find(|(n, _)| n == "main")
        .or(branches.first())
        .map(|b| b.0.clone())
    else {
        return Err(RemoteError::NoBranch {
            remote: "origin".into(),
            branch: "main".into(),
        }
        .into());
    };
    let head = format!("ref: refs/heads/{branch}");
    repo.db_mut().transaction(|tx| tx.set_ref("HEAD", &head))?;
    let scope = args.path.as_deref().map(|p| p.trim_matches('/'));
    let out = remote::sync::pull(&mut repo, "origin", &*backend, &branch, scope, &*p)?;
    if args.json {
        return cx.ui.json(&out);
    }
    cx.ui.note(format!(
        "cloned `{url}` into {} ({branch} at {}, {} file(s), {})",
        dir.display(),
        out.new.short(),
        out.written,
        crate::ui::human_bytes(out.fetch.bytes)
    ));
    Ok(())
}

/// `pach fsck --remote NAME [--repair]`.
pub fn fsck_remote(cx: &Context, name: &str, repair: bool, json: bool) -> Result<()> {
    let repo = cx.repo(Access::Read)?;
    let spec = spec(&repo, Some(name))?;
    let backend = remote::open(&spec, repo.root())?;
    let p = cx.ui.progress(json);
    let out = remote::check::fsck_remote(&repo, &spec.name, &*backend, repair, &*p)?;
    if json {
        cx.ui.json(&out)?;
    } else {
        for (pr, how) in out
            .repaired
            .iter()
            .map(|pr| (pr, " (repaired)"))
            .chain(out.problems.iter().map(|pr| (pr, "")))
        {
            let id = pr.id.map(|i| i.to_string()).unwrap_or_default();
            cx.ui.line(format!(
                "{}: {id} at {}: {}{how}",
                pr.kind, pr.at, pr.detail
            ))?;
        }
        cx.ui.note(format!(
            "checked {} object(s) on `{}`: {} reachable, {} problem(s), {} repaired",
            out.objects,
            spec.name,
            out.reachable,
            out.problems.len(),
            out.repaired.len()
        ));
        if !out.problems.is_empty() && repair {
            cx.ui.note(
                "the problems left have no good copy here: repair from a clone that has them",
            );
        }
    }
    if out.problems.is_empty() {
        Ok(())
    } else {
        Err(Error::CheckFailed {
            count: out.problems.len(),
        })
    }
}
