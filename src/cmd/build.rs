//! `workshop-report build`: the PDF of each workshop, several at once, with
//! a manifest of what was built from what.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Instant;

use workshop_report::contract::sha256_hex;
use workshop_report::diag::{Code, Diagnostic};
use workshop_report::output::manifest::{Entry, Manifest};
use workshop_report::{Pipeline, Settings, output};

use super::{INVALID, Reporter, cores, count, parallel, prepare, settings};
use crate::cli::BuildArgs;

/// What came of one workshop.
enum Fate {
    Built,
    Skipped,
    Failed,
}

pub fn run(args: &BuildArgs, reporter: &Reporter) -> ExitCode {
    let started = Instant::now();
    let jobs = args.jobs.unwrap_or_else(cores);
    let settings =
        Settings { workers: jobs, ..settings(&args.templates, &args.input, Some(&args.pdf)) };
    let (dirs, pipeline) = match prepare(&args.paths, settings, reporter) {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let dirs: Vec<PathBuf> = match args.shard {
        Some((k, n)) => dirs.into_iter().filter(|d| shard_of(d, n) == k).collect(),
        None => dirs,
    };
    let manifest = Mutex::new(Manifest::read(&args.out_dir));
    reporter.progress(dirs.len());
    // Two workshop folders of one name would write one PDF: the later ones
    // are refused rather than one report lost.
    let mut first: std::collections::HashMap<String, &PathBuf> = std::collections::HashMap::new();
    let clashes: Vec<Option<PathBuf>> = dirs
        .iter()
        .map(|dir| {
            let id = workshop_report::input::workshop_id(dir);
            match first.get(&id) {
                Some(earlier) => Some((*earlier).clone()),
                None => {
                    first.insert(id, dir);
                    None
                }
            }
        })
        .collect();
    let work: Vec<(&PathBuf, &Option<PathBuf>)> = dirs.iter().zip(&clashes).collect();
    let outcomes = parallel(&work, jobs, |(dir, clash)| match clash {
        Some(earlier) => {
            let id = workshop_report::input::workshop_id(dir);
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
            reporter.workshop(dir, "failed", &line, &Default::default(), &[d]);
            Fate::Failed
        }
        None => build_one(dir, args, &pipeline, &manifest, reporter),
    });
    reporter.done();

    let mut manifest = manifest.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut failed = outcomes.iter().filter(|o| matches!(o, Fate::Failed)).count();
    let built = outcomes.iter().filter(|o| matches!(o, Fate::Built)).count();
    let skipped = outcomes.iter().filter(|o| matches!(o, Fate::Skipped)).count();
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
    eprintln!(
        "{} built, {} skipped (unchanged), {} failed in {:.2} s",
        built,
        skipped,
        failed,
        started.elapsed().as_secs_f64()
    );
    if failed > 0 { ExitCode::from(INVALID) } else { ExitCode::SUCCESS }
}

/// The shard (1 to `n`) a workshop belongs to, by its folder name only, so
/// that adding a workshop moves no other.
fn shard_of(dir: &Path, n: u64) -> u64 {
    let name = workshop_report::input::workshop_id(dir);
    let hash = sha256_hex(name.as_bytes());
    let number = u64::from_str_radix(&hash[..16], 16).unwrap_or(0);
    number % n + 1
}

fn build_one(
    dir: &Path,
    args: &BuildArgs,
    pipeline: &Pipeline,
    manifest: &Mutex<Manifest>,
    reporter: &Reporter,
) -> Fate {
    let started = Instant::now();
    let id = workshop_report::input::workshop_id(dir);
    let path = args.out_dir.join(format!("{id}.pdf"));
    let read = pipeline.load(dir);
    let current = !args.force
        && read.value.as_ref().is_some_and(|r| {
            let inputs = pipeline.fingerprint(r);
            manifest.lock().unwrap_or_else(|e| e.into_inner()).is_current(&id, &inputs, &path)
        });
    if current {
        let line = format!("skipped {} (unchanged since {})", dir.display(), path.display());
        reporter.workshop(dir, "skipped", &line, &Default::default(), &[]);
        return Fate::Skipped;
    }
    let inputs = read.value.as_ref().map(|r| pipeline.fingerprint(r)).unwrap_or_default();

    let outcome = read.then(|read| pipeline.build(read));
    let (warnings, sources) = (outcome.diagnostics, outcome.sources);
    let built = match outcome.value {
        Some(built) if !reporter.fails(&warnings) => built,
        Some(_) => {
            let line =
                format!("failed {} ({}, denied)", dir.display(), count(warnings.len(), "warning"));
            reporter.workshop(dir, "failed", &line, &sources, &warnings);
            return Fate::Failed;
        }
        None => {
            let errors = warnings.iter().filter(|d| d.is_error()).count();
            let line = format!("failed {} ({})", dir.display(), count(errors, "error"));
            reporter.workshop(dir, "failed", &line, &sources, &warnings);
            return Fate::Failed;
        }
    };
    if let Err(e) = output::write_atomic(&path, &built.pdf) {
        let d = Diagnostic::error(Code::Write, format!("cannot write {}: {e}", path.display()))
            .hint("check that the output folder is writable and the disk not full");
        let mut diagnostics = warnings.clone();
        diagnostics.push(d);
        let line = format!("failed {}", dir.display());
        reporter.workshop(dir, "failed", &line, &sources, &diagnostics);
        return Fate::Failed;
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
    manifest.lock().unwrap_or_else(|e| e.into_inner()).workshops.insert(built.id.clone(), entry);
    let line = format!(
        "built {} -> {} ({} pages, {:.2} s)",
        dir.display(),
        path.display(),
        built.pages,
        seconds
    );
    reporter.workshop(dir, "built", &line, &sources, &warnings);
    Fate::Built
}
