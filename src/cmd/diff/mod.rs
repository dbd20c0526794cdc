//! `workshop-report diff`: what changes in the report between two versions
//! of a workshop (folders or git revisions), or for every workshop changed
//! since a git revision; with `--pages`, which pages change.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use serde::{Deserialize, Serialize};
use workshop_report::diag::{Code, Diagnostic, Sources};
use workshop_report::diff::{self, Comparison, Status, format, pages};
use workshop_report::model::{Assets, Workshop};
use workshop_report::{Pipeline, input, output};

mod git;

use git::{Checkout, Revision};

use super::worker::{self, Failed, Stage};
use super::{Reporter, cores, settings};
use crate::cli::{Color, DiffArgs, DiffFormat};

/// Pages from which a report is long enough for `--pages` to free the
/// compiler's caches after laying out each version.
const LONG: usize = 100;

/// Exit status: something changed.
const CHANGED: u8 = 1;
/// Exit status: a version could not be read, or the command line is wrong.
const TROUBLE: u8 = 2;

/// Where a version of a workshop is.
#[derive(Debug, Serialize, Deserialize)]
enum Source {
    Folder(#[serde(with = "worker::path")] PathBuf),
    Git(Revision),
    /// A PDF built with `--attach-sources`: the files it carries.
    Pdf(#[serde(with = "worker::path")] PathBuf),
}

#[derive(Debug, Serialize, Deserialize)]
struct Side {
    /// As the user named it, or as git does.
    label: String,
    source: Source,
}

/// One workshop to compare: either side may be missing (added, removed).
#[derive(Debug, Serialize, Deserialize)]
struct Job {
    workshop: String,
    old: Option<Side>,
    new: Option<Side>,
}

pub fn run(args: &DiffArgs, reporter: &Reporter, color: Color) -> ExitCode {
    let jobs = match jobs(args) {
        Ok(jobs) => jobs,
        Err(d) => {
            reporter.emit(&Sources::default(), &[d]);
            return ExitCode::from(TROUBLE);
        }
    };
    let pipeline = Pipeline::new(settings(&args.templates, &args.input, None));
    let comparisons = worker::run(
        &jobs,
        cores(),
        args.isolation.limits(),
        |job, stage| compare(job, &pipeline, args, stage),
        |job, done| {
            let done = done.unwrap_or_else(|failed| stopped(job, &failed));
            for (sources, diagnostics) in &done.problems {
                reporter.emit(sources, diagnostics);
            }
            done.comparison
        },
    );

    let mut stdout = StandardStream::stdout(match color {
        Color::Always => ColorChoice::Always,
        Color::Auto if std::io::stdout().is_terminal() => ColorChoice::Auto,
        _ => ColorChoice::Never,
    });
    let written = match args.format {
        DiffFormat::Text => format::text(&mut stdout, &comparisons),
        DiffFormat::Markdown => stdout.write_all(format::markdown(&comparisons).as_bytes()),
        DiffFormat::Json => stdout.write_all(format::json(&comparisons).as_bytes()),
    }
    .and_then(|()| stdout.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        reporter.fail(Diagnostic::error(Code::Write, format!("cannot write the summary: {e}")));
        return ExitCode::from(TROUBLE);
    }
    if comparisons.iter().any(|c| c.status == Status::Failed) {
        ExitCode::from(TROUBLE)
    } else if format::changed(&comparisons) {
        ExitCode::from(CHANGED)
    } else {
        ExitCode::SUCCESS
    }
}

/// The workshops to compare, from the command line.
fn jobs(args: &DiffArgs) -> Result<Vec<Job>, Diagnostic> {
    let here = Path::new(".");
    if let Some(base) = &args.git {
        let roots: Vec<String> = if args.versions.is_empty() {
            vec![super::DEFAULT_INPUTS.to_owned()]
        } else {
            args.versions.clone()
        };
        let prefix = git::prefix(here)?;
        let changed = git::changed(here, base, &roots)?;
        return Ok(changed
            .into_iter()
            .map(|c| Job {
                old: c.old.then(|| {
                    let revision =
                        Revision { rev: base.clone(), path: format!("{prefix}{}", c.path) };
                    Side { label: revision.spec(), source: Source::Git(revision) }
                }),
                new: c.new.then(|| Side {
                    label: c.path.clone(),
                    source: Source::Folder(PathBuf::from(&c.path)),
                }),
                workshop: c.path,
            })
            .collect());
    }
    let [old, new] = args.versions.as_slice() else {
        return Err(Diagnostic::error(
            Code::Usage,
            format!("diff compares two versions; {} given", args.versions.len()),
        )
        .hint("workshop-report diff OLD NEW, each a workshop folder or a git revision of one (HEAD~1:inputs/x); or workshop-report diff --git BASE"));
    };
    let (old, new) = (side(old)?, side(new)?);
    let workshop = match &new.source {
        Source::Folder(path) => path.to_string_lossy().into_owned(),
        Source::Git(revision) => revision.path.clone(),
        Source::Pdf(path) => path.to_string_lossy().into_owned(),
    };
    Ok(vec![Job { workshop, old: Some(old), new: Some(new) }])
}

/// A version as the user wrote it: a folder, or `REV:PATH`.
fn side(text: &str) -> Result<Side, Diagnostic> {
    let path = Path::new(text);
    let pdf = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if pdf && path.is_file() {
        return Ok(Side { label: text.to_owned(), source: Source::Pdf(path.to_path_buf()) });
    }
    if path.exists() {
        if !input::is_workshop(path) {
            return Err(Diagnostic::error(
                Code::NoWorkshop,
                format!("{text} is not a workshop folder"),
            )
            .hint(format!("a workshop folder holds a `{}`", input::RECORD)));
        }
        return Ok(Side { label: text.to_owned(), source: Source::Folder(path.to_path_buf()) });
    }
    match Revision::parse(text) {
        Some(revision) => Ok(Side { label: revision.spec(), source: Source::Git(revision) }),
        None => Err(Diagnostic::error(Code::NoWorkshop, format!("no folder {text}")).hint(
            "name a workshop folder, or a git revision of one as REV:PATH, e.g. HEAD~1:inputs/my-workshop",
        )),
    }
}

/// A version read (and with `--pages`, typeset).
struct Version {
    workshop: Workshop,
    assets: Assets,
    document: Option<typst_layout::PagedDocument>,
}

/// What comparing a workshop gave: the comparison, and the problems of its
/// versions to print.
#[derive(Serialize, Deserialize)]
struct Done {
    comparison: Comparison,
    problems: Vec<(Sources, Vec<Diagnostic>)>,
}

/// The worker's side of `diff`.
pub fn serve(args: &DiffArgs) -> ExitCode {
    let pipeline = Pipeline::new(settings(&args.templates, &args.input, None));
    worker::serve(args.isolation.limits(), |job: &Job, stage| compare(job, &pipeline, args, stage))
}

/// The comparison of a workshop whose worker stopped.
fn stopped(job: &Job, failed: &Failed) -> Done {
    let d = failed.diagnostic(&job.workshop, None);
    let comparison = Comparison {
        workshop: job.workshop.clone(),
        old: job.old.as_ref().map(|s| s.label.clone()),
        new: job.new.as_ref().map(|s| s.label.clone()),
        status: Status::Failed,
        changes: Vec::new(),
        pages: None,
        errors: vec![d.message.clone()],
    };
    Done { comparison, problems: vec![(Sources::default(), vec![d])] }
}

/// Reads one side; problems are kept to print, and returned as lines.
fn read(
    side: &Side,
    pipeline: &Pipeline,
    args: &DiffArgs,
    problems: &mut Vec<(Sources, Vec<Diagnostic>)>,
) -> Result<Version, Vec<String>> {
    let mut checkout: Option<Checkout> = None;
    let mut _extracted: Option<tempfile::TempDir> = None;
    let dir = match &side.source {
        Source::Folder(path) => path.clone(),
        Source::Git(revision) => match git::checkout(Path::new("."), revision) {
            Ok(c) => checkout.insert(c).workshop.clone(),
            Err(d) => return Err(fail(problems, Sources::default(), vec![d])),
        },
        Source::Pdf(path) => match crate::cmd::verify::extract_pdf(path) {
            Ok((temporary, workshop)) => {
                let dir = temporary.path().join(workshop);
                _extracted = Some(temporary);
                dir
            }
            Err(d) => return Err(fail(problems, Sources::default(), vec![d])),
        },
    };
    let rename = |mut diagnostics: Vec<Diagnostic>, sources: Sources| match &checkout {
        Some(c) => {
            let sources = c.rename_all(&mut diagnostics, sources);
            (diagnostics, sources)
        }
        None => (diagnostics, sources),
    };
    if args.pages {
        let compiled = pipeline.load(&dir).then(|read| pipeline.compile(read));
        // The compiler's caches let the second version reuse the layout of
        // the first (twice as fast for a report of 25 pages); for a long
        // report they cost more memory than they save time.
        if compiled.value.as_ref().is_some_and(|c| c.typeset.document.pages().len() > LONG) {
            workshop_report::typeset::evict(0);
        }
        return match compiled.value {
            Some(c) => Ok(Version {
                workshop: c.workshop,
                assets: c.assets,
                document: Some(c.typeset.document),
            }),
            None => {
                let (diagnostics, sources) = rename(compiled.diagnostics, compiled.sources);
                Err(fail(problems, sources, diagnostics))
            }
        };
    }
    let loaded = input::load_with(&dir, args.input.options());
    match loaded.value {
        Some(read) => Ok(Version { workshop: read.workshop, assets: read.assets, document: None }),
        None => {
            let (diagnostics, sources) = rename(loaded.diagnostics, loaded.sources);
            Err(fail(problems, sources, diagnostics))
        }
    }
}

/// Keeps the errors among `diagnostics` to print, and returns them as
/// lines.
fn fail(
    problems: &mut Vec<(Sources, Vec<Diagnostic>)>,
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
) -> Vec<String> {
    let errors: Vec<Diagnostic> = diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    let lines = errors
        .iter()
        .map(|d| {
            let place = match (&d.file, &d.span) {
                (Some(file), Some(span)) => format!("{file}:{}:{}: ", span.line, span.column),
                (Some(file), None) => format!("{file}: "),
                _ => String::new(),
            };
            format!("{place}{}", d.message)
        })
        .collect();
    problems.push((sources, errors));
    lines
}

fn compare(job: &Job, pipeline: &Pipeline, args: &DiffArgs, stage: &dyn Fn(Stage)) -> Done {
    let mut problems = Vec::new();
    let comparison = comparison(job, pipeline, args, stage, &mut problems);
    Done { comparison, problems }
}

fn comparison(
    job: &Job,
    pipeline: &Pipeline,
    args: &DiffArgs,
    stage: &dyn Fn(Stage),
    problems: &mut Vec<(Sources, Vec<Diagnostic>)>,
) -> Comparison {
    let mut comparison = Comparison {
        workshop: job.workshop.clone(),
        old: job.old.as_ref().map(|s| s.label.clone()),
        new: job.new.as_ref().map(|s| s.label.clone()),
        status: Status::Unchanged,
        changes: Vec::new(),
        pages: None,
        errors: Vec::new(),
    };
    stage(Stage::Read);
    let old = job.old.as_ref().map(|s| read(s, pipeline, args, problems));
    let new = job.new.as_ref().map(|s| read(s, pipeline, args, problems));
    let (old, new) = match (old, new) {
        (Some(Ok(old)), Some(Ok(new))) => (old, new),
        (old, new) => {
            let errors: Vec<String> =
                [old, new].into_iter().flatten().filter_map(Result::err).flatten().collect();
            comparison.status = match (&job.old, &job.new) {
                _ if !errors.is_empty() => Status::Failed,
                (None, _) => Status::Added,
                _ => Status::Removed,
            };
            comparison.errors = errors;
            return comparison;
        }
    };
    stage(Stage::Compare);
    comparison.changes = diff::compare((&old.workshop, &old.assets), (&new.workshop, &new.assets));
    if let (Some(o), Some(n)) = (&old.document, &new.document) {
        let mut changed = pages::compare(o, n);
        if let Some(out_dir) = &args.out_dir {
            let id = &new.workshop.id;
            if let Err(e) = pictures(&out_dir.join(id), o, n, &mut changed) {
                comparison
                    .errors
                    .push(format!("cannot write pictures to {}: {e}", out_dir.display()));
                comparison.status = Status::Failed;
            }
        }
        comparison.pages = Some(changed);
    }
    let pages_changed = comparison.pages.as_ref().is_some_and(|p| !p.is_empty());
    if comparison.status != Status::Failed && (!comparison.changes.is_empty() || pages_changed) {
        comparison.status = Status::Changed;
    }
    comparison
}

/// Writes a side-by-side picture of each changed page into `dir`, after
/// removing those an earlier run left there.
fn pictures(
    dir: &Path,
    old: &typst_layout::PagedDocument,
    new: &typst_layout::PagedDocument,
    changed: &mut [pages::PageChange],
) -> std::io::Result<()> {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = (name.starts_with("page-") || name.starts_with("old-page-"))
                && name.ends_with(".png");
            if ours {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    for change in changed {
        let Some(png) =
            pages::picture(page(old, change.old), page(new, change.new), &change.regions)
        else {
            continue;
        };
        let name = match (change.new, change.old) {
            (Some(n), _) => format!("page-{n:03}.png"),
            (None, Some(o)) => format!("old-page-{o:03}.png"),
            (None, None) => continue,
        };
        let path = dir.join(name);
        output::write_atomic(&path, &png)?;
        change.picture = Some(path.to_string_lossy().replace('\\', "/"));
    }
    Ok(())
}

/// Page `n` (from 1) of a document.
fn page(doc: &typst_layout::PagedDocument, n: Option<usize>) -> Option<&typst_layout::Page> {
    n.and_then(|n| doc.pages().get(n - 1))
}
