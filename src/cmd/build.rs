//! `workshop-report build`: the PDF of each workshop, several at once, with
//! a manifest of what was built from what.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use workshop_report::contract::sha256_hex;
use workshop_report::diag::{Code, Diagnostic, Sources};
use workshop_report::output::manifest::{Entry, Manifest};
use workshop_report::{Pipeline, Settings, output};

use super::worker::{self, Failed, Stage};
use super::{INVALID, Reporter, cores, count, prepare, settings};
use crate::cli::BuildArgs;

/// What came of one workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Fate {
    Built,
    Skipped,
    Failed,
}

impl Fate {
    fn status(self) -> &'static str {
        match self {
            Fate::Built => "built",
            Fate::Skipped => "skipped",
            Fate::Failed => "failed",
        }
    }
}

/// A workshop to build: its folder.
#[derive(Serialize, Deserialize)]
struct Task(#[serde(with = "worker::path")] PathBuf);

/// What building a workshop gave, to report.
#[derive(Serialize, Deserialize)]
struct Done {
    fate: Fate,
    /// The status line.
    line: String,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
    /// The manifest's entry for a workshop built, by its id.
    entry: Option<(String, Entry)>,
}

impl Done {
    fn failed(line: String, diagnostics: Vec<Diagnostic>, sources: Sources) -> Done {
        Done { fate: Fate::Failed, line, diagnostics, sources, entry: None }
    }
}

/// What every workshop of a run is built with.
struct Builder<'a> {
    args: &'a BuildArgs,
    pipeline: Pipeline,
    /// The manifest as the run found it: what is up to date.
    manifest: Manifest,
}

impl<'a> Builder<'a> {
    fn new(args: &'a BuildArgs, pipeline: Pipeline) -> Self {
        Builder { args, pipeline, manifest: Manifest::read(&args.out_dir) }
    }
}

pub fn run(args: &BuildArgs, reporter: &Reporter) -> ExitCode {
    let started = Instant::now();
    let jobs = args.jobs.unwrap_or_else(cores);
    let limits = args.isolation.limits();
    // Each worker builds one workshop at a time.
    let workers = if limits.in_process { jobs } else { 1 };
    let settings = Settings { workers, ..settings(&args.templates, &args.input, Some(&args.pdf)) };
    let (dirs, pipeline) = match prepare(&args.paths, settings, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let dirs: Vec<PathBuf> = match args.shard {
        Some((k, n)) => dirs.into_iter().filter(|d| shard_of(d, n) == k).collect(),
        None => dirs,
    };
    let builder = Builder::new(args, pipeline);
    let manifest = Mutex::new(Manifest::read(&args.out_dir));
    reporter.progress(dirs.len());
    // Two workshop folders of one name would write one PDF: the later ones
    // are refused rather than one report lost.
    let mut first: std::collections::HashMap<String, &PathBuf> = std::collections::HashMap::new();
    let mut tasks = Vec::new();
    let mut clashed = 0;
    for dir in &dirs {
        let id = workshop_report::input::workshop_id(dir);
        match first.get(&id) {
            Some(earlier) => {
                clash(args, earlier, dir, &id, reporter);
                clashed += 1;
            }
            None => {
                first.insert(id, dir);
                tasks.push(Task(dir.clone()));
            }
        }
    }
    let fates = worker::run(
        &tasks,
        jobs,
        limits,
        |Task(dir), stage| builder.build(dir, stage),
        |Task(dir), done| {
            let done = done.unwrap_or_else(|failed| stopped(dir, &failed));
            reporter.workshop(
                dir,
                done.fate.status(),
                &done.line,
                &done.sources,
                &done.diagnostics,
            );
            if let Some((id, entry)) = done.entry {
                manifest.lock().unwrap_or_else(|e| e.into_inner()).workshops.insert(id, entry);
            }
            done.fate
        },
    );
    reporter.done();

    let mut manifest = manifest.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut failed = clashed + fates.iter().filter(|&&f| f == Fate::Failed).count();
    let built = fates.iter().filter(|&&f| f == Fate::Built).count();
    let skipped = fates.iter().filter(|&&f| f == Fate::Skipped).count();
    // Written when a PDF was: a run that built nothing changes nothing.
    if built > 0
        && let Err(e) = manifest.write(&args.out_dir)
    {
        let path = args.out_dir.join(workshop_report::output::manifest::MANIFEST);
        reporter.fail(
            Diagnostic::error(Code::Write, format!("cannot write {}: {e}", path.display()))
                .hint("check that the output folder is writable and the disk not full"),
        );
        failed += 1;
    }
    reporter.finish();
    reporter.summary(&format!(
        "{} built, {} skipped (unchanged), {} failed in {:.2} s",
        built,
        skipped,
        failed,
        started.elapsed().as_secs_f64()
    ));
    if failed > 0 { ExitCode::from(INVALID) } else { ExitCode::SUCCESS }
}

/// The worker's side of `build`: builds the workshops the parent hands it.
pub fn serve(args: &BuildArgs) -> ExitCode {
    let settings =
        Settings { workers: 1, ..settings(&args.templates, &args.input, Some(&args.pdf)) };
    let builder = Builder::new(args, Pipeline::new(settings));
    worker::serve(args.isolation.limits(), |Task(dir): &Task, stage| builder.build(dir, stage))
}

/// Reports a workshop whose name an earlier one of the run has.
fn clash(args: &BuildArgs, earlier: &Path, dir: &Path, id: &str, reporter: &Reporter) {
    let d = Diagnostic::error(
        Code::Usage,
        format!(
            "{} and {} are both named `{id}`, and would both be written to {}",
            earlier.display(),
            dir.display(),
            args.out_dir.join(format!("{id}.pdf")).display()
        ),
    )
    .hint("rename one of the folders, or build them into separate `--out-dir` folders");
    let line = format!("failed {} (1 error)", dir.display());
    reporter.workshop(dir, "failed", &line, &Sources::default(), &[d]);
}

/// What to report of a workshop whose worker stopped.
fn stopped(dir: &Path, failed: &Failed) -> Done {
    let record = dir.join(workshop_report::input::RECORD).to_string_lossy().replace('\\', "/");
    let d = failed.diagnostic(&dir.display().to_string(), Some(record));
    Done::failed(format!("failed {} (1 error)", dir.display()), vec![d], Sources::default())
}

/// The shard (1 to `n`) a workshop belongs to, by its folder name only, so
/// that adding a workshop moves no other.
fn shard_of(dir: &Path, n: u64) -> u64 {
    let name = workshop_report::input::workshop_id(dir);
    let hash = sha256_hex(name.as_bytes());
    let number = u64::from_str_radix(&hash[..16], 16).unwrap_or(0);
    number % n + 1
}

impl Builder<'_> {
    /// Builds the workshop in `dir`, saying each stage it enters.
    fn build(&self, dir: &Path, stage: &dyn Fn(Stage)) -> Done {
        let (args, pipeline) = (self.args, &self.pipeline);
        let started = Instant::now();
        let id = workshop_report::input::workshop_id(dir);
        let path = args.out_dir.join(format!("{id}.pdf"));
        stage(Stage::Read);
        let read = pipeline.load(dir);
        let inputs = read.value.as_ref().map(|r| pipeline.fingerprint(r)).unwrap_or_default();
        if !args.force && read.value.is_some() && self.manifest.is_current(&id, &inputs, &path) {
            let line = format!("skipped {} (unchanged since {})", dir.display(), path.display());
            let (diagnostics, sources) = (Vec::new(), Sources::default());
            return Done { fate: Fate::Skipped, line, diagnostics, sources, entry: None };
        }
        let outcome = read
            .then(|read| pipeline.attach(read))
            .then(|read| {
                stage(Stage::Typeset);
                pipeline.compile(read)
            })
            .then(|compiled| {
                stage(Stage::Export);
                pipeline.export(compiled)
            });
        let (warnings, sources) = (outcome.diagnostics, outcome.sources);
        let built = match outcome.value {
            Some(built) if !super::fails(args.report.deny_warnings, &warnings) => built,
            Some(_) => {
                let denied = count(warnings.len(), "warning");
                let line = format!("failed {} ({denied}, denied)", dir.display());
                return Done::failed(line, warnings, sources);
            }
            None => {
                let errors = warnings.iter().filter(|d| d.is_error()).count();
                let line = format!("failed {} ({})", dir.display(), count(errors, "error"));
                return Done::failed(line, warnings, sources);
            }
        };
        stage(Stage::Write);
        if let Err(e) = output::write_atomic(&path, &built.pdf) {
            let d = Diagnostic::error(Code::Write, format!("cannot write {}: {e}", path.display()))
                .hint("check that the output folder is writable and the disk not full");
            let mut diagnostics = warnings;
            diagnostics.push(d);
            return Done::failed(format!("failed {}", dir.display()), diagnostics, sources);
        }
        let seconds = started.elapsed().as_secs_f64();
        let entry = Entry {
            pdf: path.to_string_lossy().into_owned(),
            pages: built.pages,
            sha256: sha256_hex(&built.pdf),
            inputs,
            warnings: warnings.iter().map(ToString::to_string).collect(),
            seconds: (seconds * 1000.0).round() / 1000.0,
        };
        let line = format!(
            "built {} -> {} ({} pages, {:.2} s)",
            dir.display(),
            path.display(),
            built.pages,
            seconds
        );
        Done {
            fate: Fate::Built,
            line,
            diagnostics: warnings,
            sources,
            entry: Some((built.id, entry)),
        }
    }
}
