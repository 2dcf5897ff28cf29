//! The only code that writes to the terminal: text or JSON on stdout, messages on stderr,
//! colour, and indicatif progress bars (only when stderr is a terminal, never with `--json`
//! or `--quiet`).

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::repo::{Change, ChangeKind};

mod git;
pub mod graph;
mod run;

pub use git::short_git;

/// Output settings chosen by the global flags.
#[derive(Clone, Debug)]
pub struct Ui {
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
    pub progress: bool,
}

fn stdout_err(source: std::io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

impl Ui {
    /// Writes one line to stdout.
    pub fn line(&self, s: impl AsRef<str>) -> Result<()> {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", s.as_ref()).map_err(stdout_err)
    }

    /// Writes raw bytes to stdout.
    pub fn raw(&self, b: &[u8]) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(b)
            .and_then(|()| out.flush())
            .map_err(stdout_err)
    }

    /// Writes a value as pretty JSON to stdout.
    pub fn json<T: Serialize>(&self, v: &T) -> Result<()> {
        let s = serde_json::to_string_pretty(v).expect("plain data serialises");
        self.line(s)
    }

    /// Writes a message to stderr unless quiet.
    pub fn note(&self, s: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", s.as_ref());
        }
    }

    /// Writes a message to stderr with `-v` only.
    pub fn debug(&self, s: impl AsRef<str>) {
        if self.verbose > 0 {
            eprintln!("{}", s.as_ref());
        }
    }

    /// Writes a warning to stderr (even when quiet).
    pub fn warn(&self, s: impl AsRef<str>) {
        eprintln!("{}: {}", self.paint("33", "warning"), s.as_ref());
    }

    /// Wraps `s` in an ANSI colour when colour is on.
    pub fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Prints changes as `A|M|D  path  (sizes)`.
    pub fn changes(&self, changes: &[Change]) -> Result<()> {
        for c in changes {
            let (tag, code) = match c.kind {
                ChangeKind::Added => ("A", "32"),
                ChangeKind::Modified => ("M", "33"),
                ChangeKind::Deleted => ("D", "31"),
            };
            let sizes = match (c.old_size, c.new_size) {
                (Some(a), Some(b)) => format!("{} -> {}", human_bytes(a), human_bytes(b)),
                (Some(a), None) | (None, Some(a)) => human_bytes(a),
                (None, None) => String::new(),
            };
            self.line(format!("{}  {}  ({sizes})", self.paint(code, tag), c.path))?;
        }
        Ok(())
    }

    /// Returns a progress sink: a bar when allowed, else nothing.
    pub fn progress(&self, json: bool) -> Box<dyn Progress + Send> {
        if self.progress && !json && !self.quiet {
            Box::new(Bar {
                bar: ProgressBar::hidden(),
                label: Default::default(),
                files: Default::default(),
                total: Default::default(),
            })
        } else {
            Box::new(crate::progress::NoProgress)
        }
    }

    /// Prints an error with its causes and hint to stderr.
    pub fn error(&self, e: &Error, command: &str) {
        eprintln!("{}: {e}", self.paint("31", "error"));
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            let text = s.to_string();
            if !e.to_string().contains(&text) {
                eprintln!("caused by: {text}");
            }
            src = s.source();
        }
        if let Some(h) = e.hint_for(command) {
            eprintln!("hint: {h}");
        }
    }
}

/// Decides whether colour is on, from `--color` and `NO_COLOR`.
pub fn use_color(choice: &str, no_color_env: bool) -> bool {
    match choice {
        "always" => true,
        "never" => false,
        _ => !no_color_env && std::io::stdout().is_terminal(),
    }
}

/// Tells whether progress bars may be drawn.
pub fn progress_allowed() -> bool {
    std::io::stderr().is_terminal()
}

struct Bar {
    bar: ProgressBar,
    label: std::sync::Mutex<String>,
    files: std::sync::atomic::AtomicU64,
    total: std::sync::atomic::AtomicU64,
}

impl Progress for Bar {
    fn begin(&self, label: &str, files: u64, bytes: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        self.bar.set_position(0);
        self.bar.set_length(bytes.max(1));
        self.files.store(0, Relaxed);
        self.total.store(files, Relaxed);
        *self.label.lock().unwrap_or_else(|p| p.into_inner()) = label.to_string();
        self.bar.set_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta})",
            )
            .expect("template is valid")
            .progress_chars("=> "),
        );
        self.bar.set_message(format!("{label} 0/{files} files"));
        // Drawn only now that it has its style and length (before, a bare default bar
        // flashed first).
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    fn advance(&self, bytes: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let done = self.files.fetch_add(1, Relaxed) + 1;
        self.bar.inc(bytes);
        // The count is redrawn every 256 files: a checkout of a million small files calls
        // this from every core, and a message per file cost a lock and a string each.
        let total = self.total.load(Relaxed);
        if done.is_multiple_of(256) || done == total {
            let label = self.label.lock().unwrap_or_else(|p| p.into_inner()).clone();
            self.bar
                .set_message(format!("{label} {done}/{total} files"));
        }
    }
    fn end(&self) {
        self.bar.finish_and_clear();
    }
}

/// Formats bytes for people (`1.5 MiB`).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS UTC`.
pub fn format_time(secs: i64) -> String {
    crate::time::utc_seconds(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_times_and_sizes() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(1_795_000_000), "2026-11-18 11:06:40 UTC");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(12), "12 B");
    }
}
