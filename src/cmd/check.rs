//! `workshop-report check`: every problem of each workshop, nothing written.
//! The reports are read, rendered and laid out, not exported, each in a
//! worker process (see `worker`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use workshop_report::diag::{Diagnostic, Sources};
use workshop_report::{Pipeline, Settings};

use super::worker::{self, Stage};
use super::{INVALID, Reporter, cores, count, prepare, settings};
use crate::cli::CheckArgs;

/// A workshop to check: its folder.
#[derive(Serialize, Deserialize)]
struct Task(#[serde(with = "worker::path")] PathBuf);

/// What checking a workshop found.
#[derive(Serialize, Deserialize)]
struct Done {
    failed: bool,
    line: String,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
}

pub fn run(args: &CheckArgs, reporter: &Reporter) -> ExitCode {
    let limits = args.isolation.limits();
    let workers = if limits.in_process { cores() } else { 1 };
    let settings = Settings { workers, ..settings(&args.templates, &args.input, None) };
    let (dirs, pipeline) = match prepare(&args.paths, settings, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let tasks: Vec<Task> = dirs.into_iter().map(Task).collect();
    let deny = args.report.deny_warnings;
    let failures = worker::run(
        &tasks,
        cores(),
        limits,
        |Task(dir), stage| check(&pipeline, dir, deny, stage),
        |Task(dir), done| {
            let done = done.unwrap_or_else(|failed| {
                let record = dir.join(workshop_report::input::RECORD);
                let record = record.to_string_lossy().replace('\\', "/");
                let d = failed.diagnostic(&dir.display().to_string(), Some(record));
                let line = format!("failed {} (1 error)", dir.display());
                Done { failed: true, line, diagnostics: vec![d], sources: Sources::default() }
            });
            let status = if done.failed { "failed" } else { "ok" };
            reporter.workshop(dir, status, &done.line, &done.sources, &done.diagnostics);
            done.failed
        },
    );
    let failed = failures.iter().filter(|&&f| f).count();
    reporter.finish();
    if failed > 0 { ExitCode::from(INVALID) } else { ExitCode::SUCCESS }
}

/// The worker's side of `check`.
pub fn serve(args: &CheckArgs) -> ExitCode {
    let settings = Settings { workers: 1, ..settings(&args.templates, &args.input, None) };
    let pipeline = Pipeline::new(settings);
    let deny = args.report.deny_warnings;
    worker::serve(args.isolation.limits(), |Task(dir): &Task, stage| {
        check(&pipeline, dir, deny, stage)
    })
}

/// Reads, renders and lays out the workshop in `dir`.
fn check(pipeline: &Pipeline, dir: &Path, deny: bool, stage: &dyn Fn(Stage)) -> Done {
    stage(Stage::Read);
    let outcome = pipeline.load(dir).then(|read| {
        stage(Stage::Typeset);
        pipeline.compile(read)
    });
    let (sources, diagnostics) = (outcome.sources, outcome.diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let failed = super::fails(deny, &diagnostics);
    let line = match (failed, warnings) {
        (true, _) => format!(
            "failed {} ({}, {})",
            dir.display(),
            count(errors, "error"),
            count(warnings, "warning")
        ),
        (false, 0) => format!("ok {}", dir.display()),
        (false, n) => format!("ok {} ({})", dir.display(), count(n, "warning")),
    };
    Done { failed, line, diagnostics, sources }
}
