//! Showing what `pach run` (and `commit --run`, `run --watch`, `run --verify`) did, and the
//! containers' live output with `-v`.

use std::io::Write;

use super::Ui;
use crate::error::Result;
use crate::ops::run::{RunOutcome, VerifyOutcome};
use crate::store::ObjectId;

impl Ui {
    /// Returns where containers' live output goes: stderr, each line prefixed with its stage
    /// and datum, with `-v` and without `--json`; else nowhere.
    pub fn container_output(&self, json: bool) -> impl Fn(&str, &str, &[u8]) + Sync + use<> {
        let verbose = self.verbose > 0 && !json;
        move |stage: &str, datum: &str, bytes: &[u8]| {
            if verbose {
                let mut err = std::io::stderr().lock();
                for line in String::from_utf8_lossy(bytes).lines() {
                    let _ = writeln!(err, "{stage}/{datum}: {line}");
                }
            }
        }
    }

    /// Reports a run: a warning about unused uncommitted inputs, then each stage (and with
    /// `--dry-run` or `-v`, each datum that ran and why) and the commit, or the JSON outcome.
    pub fn run_outcome(&self, out: &RunOutcome, json: bool) -> Result<()> {
        if !out.uncommitted_inputs.is_empty() {
            self.warn(format!(
                "uncommitted changes in input paths are not used (the run reads HEAD): {}",
                out.uncommitted_inputs.join(", ")
            ));
        }
        if json {
            return self.json(out);
        }
        for s in &out.stages {
            let verb = if out.dry_run { "would run" } else { "ran" };
            self.line(format!(
                "stage {}: {} datum(s), {} reused from the cache, {verb} {} [{} {}]",
                s.stage,
                s.datums,
                s.reused,
                s.ran.len(),
                s.image.tag,
                &s.image.id[..s.image.id.len().min(19)]
            ))?;
            if out.dry_run || self.verbose > 0 {
                for d in &s.ran {
                    self.line(format!(
                        "  {}  {}  ({})",
                        d.datum,
                        d.inputs.join(" "),
                        d.reason
                    ))?;
                }
            }
        }
        match &out.commit {
            Some(c) => self.note(format!("committed the outputs as {}", c.short())),
            None if !out.dry_run => self.note("outputs unchanged: nothing to commit"),
            None => {}
        }
        Ok(())
    }

    /// Reports a verification: each output that differs, then a summary; or the JSON outcome.
    pub fn verify_outcome(&self, out: &VerifyOutcome, json: bool) -> Result<()> {
        if json {
            return self.json(out);
        }
        let show = |id: &Option<ObjectId>| id.map_or("(absent)".to_string(), |i| i.short());
        for m in &out.mismatches {
            self.line(format!(
                "stage {} datum {}: {} differs: recorded {}, recomputed {}",
                m.stage,
                m.datum,
                m.path,
                show(&m.recorded),
                show(&m.now)
            ))?;
        }
        self.note(format!(
            "verified {} run(s) of {} stage(s), {} output file(s): {} difference(s)",
            out.runs,
            out.stages.len(),
            out.outputs,
            out.mismatches.len()
        ));
        Ok(())
    }
}
