//! The Docker engine through bollard: image resolution, warm worker containers that execute
//! datum after datum, and removal of every container of a run.
//!
//! A worker is one long-lived container per parallel slot. Its `/pach/in` (read-only) and
//! `/pach/out` (writable) are bind mounts of host directories that the orchestrator fills and
//! empties between datums; each datum's command runs with `exec`. Creating a container per
//! datum cost 250–370 ms here, an `exec` about 40 ms (see docs/PERFORMANCE.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use bollard::exec::{CreateExecOptions, StartExecOptions, StartExecResults};
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
};
use futures::StreamExt;

use super::{Error, Execution, Job, Result, WorkerSpec, now_ms};
use crate::store::ImageRef;

/// Label every pach container carries.
pub const LABEL: &str = "pach";
/// Label naming the run a container belongs to.
pub const RUN_LABEL: &str = "pach.run";
/// Label naming the project (its `.pach` directory) a container works for.
pub const PROJECT_LABEL: &str = "pach.project";

/// The writable places of a worker besides `/pach/out`: tmpfs mounts, emptied between datums.
pub const SCRATCH: [&str; 3] = ["/tmp", HOME, "/dev/shm"];
/// `$HOME` of the stage command unless its `env` sets one.
pub const HOME: &str = "/pach/home";

/// Run as root in a worker after each datum: SIGKILL every process except the init (pid 1),
/// the idle loop (the oldest child of init) with its `sleep`, and itself, until none is left
/// but zombies; then empty the directories given as arguments. A killed process finishes its
/// current system call before it dies, hence the loop until every one is a zombie. Uses only
/// `sh` builtins besides `kill` and `rm`, which the image needs anyway.
const RESET: &str = r#"
idle=
for d in /proc/[0-9]*; do
  p=${d#/proc/}; pp=
  { while read -r k v; do [ "$k" = PPid: ] && pp=$v; done < "$d/status"; } 2>/dev/null
  if [ "$pp" = 1 ] && { [ -z "$idle" ] || [ "$p" -lt "$idle" ]; }; then idle=$p; fi
done
[ -n "$idle" ] || { echo "pach: no idle loop found" >&2; exit 2; }
n=0
while :; do
  left=0
  for d in /proc/[0-9]*; do
    p=${d#/proc/}; pp=; st=
    { while read -r k v; do case $k in PPid:) pp=$v;; State:) st=${v%% *};; esac; done < "$d/status"; } 2>/dev/null
    case $p in 1|$$|$idle) continue;; esac
    [ "$pp" = "$idle" ] || [ -z "$st" ] || [ "$st" = Z ] || [ "$st" = X ] && continue
    kill -9 "$p" 2>/dev/null; left=$((left+1))
  done
  [ "$left" = 0 ] && break
  n=$((n+1)); [ "$n" -gt 10000 ] && { echo "pach: processes survive SIGKILL" >&2; exit 3; }
done
for t in "$@"; do rm -rf "$t"/* "$t"/.[!.]* "$t"/..?* || exit 4; done
"#;

/// A connection to the engine.
#[derive(Clone)]
pub struct Docker {
    api: bollard::Docker,
    socket: String,
}

/// One warm container with its host-side input and output directories.
pub struct Worker {
    pub id: String,
    pub in_dir: PathBuf,
    pub out_dir: PathBuf,
    spec: WorkerSpec,
}

fn api(what: impl Into<String>) -> impl FnOnce(bollard::errors::Error) -> Error {
    let what = what.into();
    move |source| Error::Api { what, source }
}

impl Docker {
    /// Connects to the local engine (`DOCKER_HOST`, else the default unix socket) and checks
    /// that it answers.
    pub async fn connect() -> Result<Docker> {
        let socket =
            std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into());
        let unreachable = |reason: String| Error::Unreachable {
            socket: socket.clone(),
            reason,
        };
        let api = bollard::Docker::connect_with_local_defaults()
            .map_err(|e| unreachable(e.to_string()))?;
        api.ping().await.map_err(|e| unreachable(e.to_string()))?;
        Ok(Docker { api, socket })
    }

    /// Returns the engine version.
    pub async fn version(&self) -> String {
        self.api
            .version()
            .await
            .ok()
            .and_then(|v| v.version)
            .unwrap_or_else(|| "unknown".into())
    }

    /// Returns the socket this connection uses.
    pub fn socket(&self) -> &str {
        &self.socket
    }

    /// Resolves a tag to its image ID (and registry digest where there is one).
    pub async fn resolve_image(&self, tag: &str) -> Result<ImageRef> {
        match self.api.inspect_image(tag).await {
            Ok(img) => Ok(ImageRef {
                tag: tag.to_string(),
                id: img.id.unwrap_or_default(),
                digest: img.repo_digests.and_then(|d| d.into_iter().next()),
            }),
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => Err(Error::ImageMissing {
                image: tag.to_string(),
            }),
            Err(e) => Err(api(format!("inspecting image `{tag}`"))(e)),
        }
    }

    /// Starts a warm worker whose mounts are `dir/in` and `dir/out`.
    pub async fn start_worker(&self, spec: &WorkerSpec, dir: &Path, name: &str) -> Result<Worker> {
        let in_dir = dir.join("in");
        let out_dir = dir.join("out");
        for d in [&in_dir, &out_dir] {
            std::fs::create_dir_all(d).map_err(|source| Error::Io {
                path: d.clone(),
                source,
            })?;
        }
        let host = HostConfig {
            binds: Some(vec![
                format!("{}:/pach/in:ro", in_dir.display()),
                format!("{}:/pach/out:rw", out_dir.display()),
            ]),
            network_mode: Some(if spec.network {
                "bridge".into()
            } else {
                "none".into()
            }),
            init: Some(true),
            // The only writable places are /pach/out (emptied by the host) and the tmpfs
            // mounts that `reset` empties, so no datum can leave state for the next one.
            readonly_rootfs: Some(true),
            tmpfs: Some(
                SCRATCH
                    .iter()
                    .filter(|d| **d != "/dev/shm") // the engine mounts it already
                    .map(|d| (d.to_string(), "rw,exec,nosuid,nodev,mode=1777".to_string()))
                    .collect(),
            ),
            ..Default::default()
        };
        let labels: HashMap<String, String> = spec.labels.clone().into_iter().collect();
        let body = ContainerCreateBody {
            image: Some(spec.image.clone()),
            // Keeps the container alive between datums; the stage command runs through exec.
            cmd: Some(vec![
                "sh".into(),
                "-c".into(),
                "while :; do sleep 3600; done".into(),
            ]),
            user: Some(spec.user.clone()),
            env: Some(env_of(spec)),
            labels: Some(labels),
            network_disabled: Some(!spec.network),
            host_config: Some(host),
            ..Default::default()
        };
        let opts = CreateContainerOptionsBuilder::default().name(name).build();
        let created = self
            .api
            .create_container(Some(opts), body)
            .await
            .map_err(api("creating a worker container"))?;
        let worker = Worker {
            id: created.id,
            in_dir,
            out_dir,
            spec: spec.clone(),
        };
        if let Err(e) = self.api.start_container(&worker.id, None).await {
            self.remove(&worker.id).await;
            return Err(api(format!("starting container {}", short(&worker.id)))(e));
        }
        Ok(worker)
    }

    /// Runs `job` in `worker`, handing each chunk of its output to `on_chunk` as it comes (it
    /// may write it to a file; nothing is kept in memory here).
    pub async fn exec(
        &self,
        worker: &Worker,
        job: &Job,
        on_chunk: &mut (dyn FnMut(&[u8]) -> Result<()> + Send),
    ) -> Result<Execution> {
        let env = env_of(&worker.spec);
        let start_ms = now_ms();
        let (exit, timed_out) = self
            .run(
                &worker.id,
                job.cmd.clone(),
                &worker.spec.user,
                env,
                job.timeout,
                on_chunk,
            )
            .await?;
        Ok(Execution {
            exit,
            timed_out,
            start_ms,
            end_ms: now_ms(),
        })
    }

    /// Kills every process a datum left in `worker` and, with `wipe`, empties its scratch
    /// directories, so the next datum finds it as a fresh one (see [`RESET`]). An error means
    /// the worker could not be cleaned and must be replaced.
    pub async fn reset(&self, worker: &Worker, wipe: bool) -> Result<()> {
        let mut cmd: Vec<String> = ["sh", "-c", RESET, "pach-reset"].map(String::from).into();
        if wipe {
            cmd.extend(SCRATCH.map(String::from));
        }
        let mut said = Vec::new();
        let mut keep = |b: &[u8]| {
            let room = 4096usize.saturating_sub(said.len());
            said.extend_from_slice(&b[..b.len().min(room)]);
            Ok(())
        };
        let limit = Some(std::time::Duration::from_secs(60));
        let (exit, timed_out) = self
            .run(&worker.id, cmd, "0:0", Vec::new(), limit, &mut keep)
            .await?;
        if exit != 0 || timed_out {
            return Err(Error::Reset {
                container: short(&worker.id).to_string(),
                reason: if timed_out {
                    "timed out".into()
                } else {
                    format!("exit {exit}: {}", String::from_utf8_lossy(&said).trim())
                },
            });
        }
        Ok(())
    }

    /// Executes `cmd` in container `id`; returns its exit status (-1 when it timed out) and
    /// whether it timed out.
    async fn run(
        &self,
        id: &str,
        cmd: Vec<String>,
        user: &str,
        env: Vec<String>,
        timeout: Option<std::time::Duration>,
        on_chunk: &mut (dyn FnMut(&[u8]) -> Result<()> + Send),
    ) -> Result<(i64, bool)> {
        let opts = CreateExecOptions {
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            cmd: Some(cmd),
            user: Some(user.to_string()),
            env: Some(env),
            working_dir: Some("/pach/out".to_string()),
            ..Default::default()
        };
        let exec = self
            .api
            .create_exec(id, opts)
            .await
            .map_err(api("creating an exec"))?;
        let started = self
            .api
            .start_exec(
                &exec.id,
                Some(StartExecOptions {
                    detach: false,
                    tty: false,
                    output_capacity: None,
                }),
            )
            .await
            .map_err(api("starting an exec"))?;
        let collect = async {
            if let StartExecResults::Attached { mut output, .. } = started {
                while let Some(chunk) = output.next().await {
                    let bytes = chunk.map_err(api("reading command output"))?.into_bytes();
                    on_chunk(&bytes)?;
                }
            }
            Ok::<_, Error>(())
        };
        let timed_out = match timeout {
            Some(t) => tokio::time::timeout(t, collect)
                .await
                .map(|r| r.map(|()| false))
                .unwrap_or(Ok(true))?,
            None => {
                collect.await?;
                false
            }
        };
        if timed_out {
            return Ok((-1, true));
        }
        let info = self
            .api
            .inspect_exec(&exec.id)
            .await
            .map_err(api("inspecting an exec"))?;
        Ok((info.exit_code.unwrap_or(-1), false))
    }

    /// Removes a container, killing it if it runs; errors are ignored (it may be gone).
    pub async fn remove(&self, id: &str) {
        let opts = RemoveContainerOptionsBuilder::default().force(true).build();
        let _ = self.api.remove_container(id, Some(opts)).await;
    }

    /// Removes every pach container working for the project whose `.pach` directory is
    /// `pach_dir`: labelled so, or (made before that label existed) with a mount under its
    /// `work/`. Returns how many; the caller makes sure no live run of the project owns them.
    pub async fn remove_project(&self, pach_dir: &Path) -> Result<usize> {
        let list = self
            .labelled(LABEL.to_string())
            .await
            .map_err(api("listing pach containers"))?;
        let project = pach_dir.to_string_lossy();
        let work = pach_dir.join("work");
        let mut n = 0;
        for c in list {
            let labelled = (c.labels.as_ref())
                .and_then(|l| l.get(PROJECT_LABEL))
                .is_some_and(|p| *p == project);
            let mounted = (c.mounts.iter().flatten())
                .filter_map(|m| m.source.as_deref())
                .any(|s| Path::new(s).starts_with(&work));
            if let (Some(id), true) = (c.id, labelled || mounted) {
                self.remove(&id).await;
                n += 1;
            }
        }
        Ok(n)
    }

    /// Removes every container labelled with `run` (or every pach container, for `None`).
    pub async fn remove_labelled(&self, run: Option<&str>) -> usize {
        let label = match run {
            Some(r) => format!("{RUN_LABEL}={r}"),
            None => LABEL.to_string(),
        };
        let list = self.labelled(label).await.unwrap_or_default();
        let mut n = 0;
        for c in list {
            if let Some(id) = c.id {
                self.remove(&id).await;
                n += 1;
            }
        }
        n
    }
}

impl Docker {
    /// Lists every container, running or not, that carries `label` (`key` or `key=value`).
    async fn labelled(
        &self,
        label: String,
    ) -> std::result::Result<Vec<bollard::models::ContainerSummary>, bollard::errors::Error> {
        let filters: HashMap<String, Vec<String>> = [("label".to_string(), vec![label])].into();
        let opts = ListContainersOptionsBuilder::default()
            .all(true)
            .filters(&filters)
            .build();
        self.api.list_containers(Some(opts)).await
    }
}

/// The stage's environment, with `HOME` in the scratch unless the stage sets it.
fn env_of(spec: &WorkerSpec) -> Vec<String> {
    let mut env: Vec<String> = spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !spec.env.contains_key("HOME") {
        env.push(format!("HOME={HOME}"));
    }
    env
}

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
