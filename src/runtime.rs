//! The one tokio runtime of the process, built on first use and shared by the Docker runner,
//! the S3 transport and `run --watch`'s signal handling.
//!
//! A leaf module: it imports nothing from the crate. Lower layers call `block_on` on it from
//! plain threads; nothing in pach is async above the transports.

use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

/// Returns the runtime, building it the first time (two worker threads: the I/O it drives is
/// a few Docker calls and object transfers at a time, not computation).
pub fn get() -> std::io::Result<&'static Runtime> {
    static RT: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("pach-io")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| std::io::Error::other(format!("cannot start the I/O runtime: {e}")))
}
