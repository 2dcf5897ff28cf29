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
use futures_util::StreamExt;

use super::{Error, Execution, Job, Result, WorkerSpec, now_ms};
use crate::store::ImageRef;

/// Label every pach container carries.
pub const LABEL: &str = "pach";
/// Label naming the run a container belongs to.
pub const RUN_LABEL: &str = "pach.run";

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
            env: Some(spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect()),
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

    /// Runs `job` in `worker`, collecting its output; `on_line` sees each chunk as it comes.
    pub async fn exec(
        &self,
        worker: &Worker,
        job: &Job,
        on_chunk: &(dyn Fn(&[u8]) + Sync),
    ) -> Result<Execution> {
        let opts = CreateExecOptions {
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            cmd: Some(job.cmd.clone()),
            user: Some(worker.spec.user.clone()),
            env: Some(
                worker
                    .spec
                    .env
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect(),
            ),
            working_dir: Some("/pach/out".to_string()),
            ..Default::default()
        };
        let start_ms = now_ms();
        let exec = self
            .api
            .create_exec(&worker.id, opts)
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
        let mut log = Vec::new();
        let collect = async {
            if let StartExecResults::Attached { mut output, .. } = started {
                while let Some(chunk) = output.next().await {
                    let bytes = chunk.map_err(api("reading command output"))?.into_bytes();
                    on_chunk(&bytes);
                    log.extend_from_slice(&bytes);
                }
            }
            Ok::<_, Error>(())
        };
        let timed_out = match job.timeout {
            Some(t) => tokio::time::timeout(t, collect)
                .await
                .map(|r| r.map(|()| false))
                .unwrap_or(Ok(true))?,
            None => {
                collect.await?;
                false
            }
        };
        let exit = if timed_out {
            -1
        } else {
            let info = self
                .api
                .inspect_exec(&exec.id)
                .await
                .map_err(api("inspecting an exec"))?;
            info.exit_code.unwrap_or(-1)
        };
        Ok(Execution {
            exit,
            timed_out,
            log,
            start_ms,
            end_ms: now_ms(),
        })
    }

    /// Removes a container, killing it if it runs; errors are ignored (it may be gone).
    pub async fn remove(&self, id: &str) {
        let opts = RemoveContainerOptionsBuilder::default().force(true).build();
        let _ = self.api.remove_container(id, Some(opts)).await;
    }

    /// Removes every container labelled with `run` (or every pach container, for `None`).
    pub async fn remove_labelled(&self, run: Option<&str>) -> usize {
        let label = match run {
            Some(r) => format!("{RUN_LABEL}={r}"),
            None => LABEL.to_string(),
        };
        let filters: HashMap<String, Vec<String>> = [("label".to_string(), vec![label])].into();
        let opts = ListContainersOptionsBuilder::default()
            .all(true)
            .filters(&filters)
            .build();
        let list = self
            .api
            .list_containers(Some(opts))
            .await
            .unwrap_or_default();
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

fn short(id: &str) -> &str {
    &id[..id.len().min(12)]
}
