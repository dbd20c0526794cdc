//! The subcommands, one file each, and what they share: finding workshops
//! and reporting diagnostics, for people or as JSON.

pub mod build;
pub mod check;
pub mod diff;
pub mod new;
pub mod preview;
pub mod source;
pub mod tally;
pub mod verify;
pub mod watch;
pub mod worker;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use serde::Serialize;

use workshop_report::diag::{self, Diagnostic, Severity, Sources};
use workshop_report::files::Encoding;
use workshop_report::{Pipeline, Settings, input};

use crate::cli::{
    Color, DiagnosticFormat, EncodingArg, InputArgs, PdfArgs, ReportArgs, TemplateArgs,
};

/// Runs as a worker process of the command `command` (see [`worker`]).
pub fn serve(command: &crate::cli::Command) -> ExitCode {
    use crate::cli::Command;
    match command {
        Command::Build(args) => build::serve(args),
        Command::Check(args) => check::serve(args),
        Command::Diff(args) => diff::serve(args),
        Command::Tally(args) => tally::serve(args),
        Command::Verify(args) => verify::serve(args),
        Command::Watch(_)
        | Command::Preview(_)
        | Command::Source(_)
        | Command::Schema
        | Command::New(_) => {
            eprintln!("this command has no workers");
            ExitCode::from(USAGE)
        }
    }
}

/// Exit status: the inputs have problems (or an output could not be written).
pub const INVALID: u8 = 1;
/// Exit status: the command line is wrong.
pub const USAGE: u8 = 2;

/// The folder searched when no path is given.
pub const DEFAULT_INPUTS: &str = "inputs";

/// Reports diagnostics: printed to standard error for people, or gathered
/// into one JSON document printed at the end.
pub struct Reporter {
    choice: ColorChoice,
    json: Option<Mutex<Vec<WorkshopReport>>>,
    /// Under `--format json`, the diagnostics of no workshop.
    general: Mutex<Vec<JsonDiagnostic>>,
    /// Status lines are left out (`--quiet`); problems are not.
    quiet: bool,
    /// Printing is one workshop at a time, whichever thread reports.
    print: Mutex<Option<indicatif::ProgressBar>>,
}

/// The JSON document of `--format json`: keys in this order, documented in
/// docs/diagnostics.md.
#[derive(Serialize)]
struct JsonReport<'a> {
    workshops: &'a [WorkshopReport],
    /// Failures that belong to no workshop (the manifest not written...).
    diagnostics: &'a [JsonDiagnostic],
}

#[derive(Serialize)]
struct WorkshopReport {
    path: String,
    /// `ok`, `built`, `skipped` or `failed`.
    status: String,
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
struct JsonDiagnostic {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    severity: &'static str,
    code: &'static str,
    message: String,
    hint: Option<String>,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        JsonDiagnostic {
            file: d.file.clone(),
            line: d.span.as_ref().map(|s| s.line),
            column: d.span.as_ref().map(|s| s.column),
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: d.code.as_str(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

impl Reporter {
    pub fn new(color: Color) -> Reporter {
        let choice = match color {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        };
        Reporter {
            choice,
            json: None,
            general: Mutex::new(Vec::new()),
            quiet: false,
            print: Mutex::new(None),
        }
    }

    /// Applies `--format`.
    pub fn with(mut self, args: &ReportArgs) -> Reporter {
        if args.format == DiagnosticFormat::Json {
            self.json = Some(Mutex::new(Vec::new()));
        }
        self
    }

    /// Leaves status lines out.
    pub fn quiet(mut self, quiet: bool) -> Reporter {
        self.quiet = quiet;
        self
    }

    /// Shows a progress bar of `total` workshops on a terminal (standard
    /// error), unless quiet; lines printed meanwhile go above it.
    pub fn progress(&self, total: usize) {
        if self.quiet || total < 2 || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} workshops {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        *self.print.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }

    /// Ends the progress bar.
    pub fn done(&self) {
        if let Some(bar) = self.print.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_and_clear();
        }
    }

    /// Prints the closing line of a run (on standard error, even when
    /// quiet: it is what `--quiet` leaves).
    pub fn summary(&self, line: &str) {
        let guard = self.print.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(bar) => bar.suspend(|| eprintln!("{}", diag::visible_line(line))),
            None => eprintln!("{}", diag::visible_line(line)),
        }
    }

    /// Prints a status line of a long-running command (on standard error,
    /// above the progress bar), unless quiet.
    pub fn status(&self, line: &str) {
        if self.quiet {
            return;
        }
        let guard = self.print.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_ref() {
            Some(bar) => bar.suspend(|| eprintln!("{}", diag::visible_line(line))),
            None => eprintln!("{}", diag::visible_line(line)),
        }
    }

    /// Prints what a command made, for people, on standard output (where
    /// the files it wrote are, what to do next), unless quiet.
    pub fn result(&self, lines: &str) {
        if self.quiet {
            return;
        }
        for line in lines.lines() {
            println!("{}", diag::visible_line(line));
        }
    }

    /// Prints diagnostics for people, on standard error.
    pub fn emit(&self, sources: &Sources, diagnostics: &[Diagnostic]) {
        if diagnostics.is_empty() {
            return;
        }
        let mut stderr = StandardStream::stderr(self.choice);
        // Nothing sensible is left to do if standard error is gone.
        let _ = diag::emit(&mut stderr, sources, diagnostics);
    }

    /// Reports a failure that belongs to no workshop: printed for people,
    /// or under `--format json` listed in the document's `diagnostics`.
    pub fn fail(&self, diagnostic: Diagnostic) {
        match &self.json {
            Some(_) => {
                self.general.lock().unwrap_or_else(|e| e.into_inner()).push((&diagnostic).into())
            }
            None => self.emit(&Sources::default(), &[diagnostic]),
        }
    }

    /// Reports what came of a workshop: its diagnostics, and a status line
    /// (on standard output for people; on standard error beside JSON).
    pub fn workshop(
        &self,
        path: &Path,
        status: &str,
        line: &str,
        sources: &Sources,
        diagnostics: &[Diagnostic],
    ) {
        let guard = self.print.lock().unwrap_or_else(|e| e.into_inner());
        let bar = guard.as_ref();
        if let Some(bar) = bar {
            bar.inc(1);
        }
        let quiet = self.quiet && diagnostics.is_empty() && status != "failed";
        let print = || self.print_workshop(path, status, line, sources, diagnostics, quiet);
        match bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    fn print_workshop(
        &self,
        path: &Path,
        status: &str,
        line: &str,
        sources: &Sources,
        diagnostics: &[Diagnostic],
        quiet: bool,
    ) {
        match &self.json {
            Some(json) => {
                let report = WorkshopReport {
                    path: path.to_string_lossy().into_owned(),
                    status: status.to_owned(),
                    diagnostics: diagnostics.iter().map(JsonDiagnostic::from).collect(),
                };
                json.lock().unwrap_or_else(|e| e.into_inner()).push(report);
                if !quiet {
                    eprintln!("{}", diag::visible_line(line));
                }
            }
            None => {
                self.emit(sources, diagnostics);
                if !quiet {
                    println!("{}", diag::visible_line(line));
                }
            }
        }
    }

    /// Prints the JSON document, if that is the format.
    pub fn finish(&self) {
        if let Some(json) = &self.json {
            let mut workshops = json.lock().unwrap_or_else(|e| e.into_inner());
            // Workshops finish in any order; the document lists them by path.
            workshops.sort_by(|a, b| a.path.cmp(&b.path));
            let general = self.general.lock().unwrap_or_else(|e| e.into_inner());
            let doc = JsonReport { workshops: &workshops, diagnostics: &general };
            println!("{}", workshop_report::shown::json(&doc));
        }
    }
}

impl InputArgs {
    pub fn options(&self) -> input::Options {
        input::Options {
            encoding: self.encoding.map(|e| match e {
                EncodingArg::Utf8 => Encoding::UTF_8,
                EncodingArg::Windows1252 => Encoding::WINDOWS_1252,
                EncodingArg::Utf16 => Encoding::UTF_16,
            }),
            delimiter: self.delimiter,
            terms: None,
        }
    }
}

/// Whether `diagnostics` fail a workshop: errors do, and warnings when
/// `deny_warnings`.
pub fn fails(deny_warnings: bool, diagnostics: &[Diagnostic]) -> bool {
    diag::has_errors(diagnostics) || (deny_warnings && !diagnostics.is_empty())
}

/// The pipeline's settings from the command line.
pub fn settings(templates: &TemplateArgs, input: &InputArgs, pdf: Option<&PdfArgs>) -> Settings {
    Settings {
        templates: templates.templates.clone(),
        // Terms files live in the templates folder's `terms/`.
        input: input::Options { terms: templates.templates.clone(), ..input.options() },
        standards: pdf.map(|p| p.standards.clone()).unwrap_or_default(),
        attach: pdf
            .filter(|p| p.attach_sources)
            .map(|p| p.attach_limit.unwrap_or(workshop_report::DEFAULT_ATTACH_LIMIT)),
        workers: 1,
    }
}

/// The workshop folders `paths` name (or those under `inputs/`) and the
/// pipeline to process them with.
pub fn prepare(
    paths: &[PathBuf],
    settings: Settings,
    reporter: &Reporter,
) -> Result<(Vec<PathBuf>, Pipeline), ExitCode> {
    let dirs = workshops(paths, reporter)?;
    Ok((dirs, Pipeline::new(settings)))
}

/// Runs `work` on each of `items` with `jobs` threads; results in order.
pub fn parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = work(item);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
}

/// The number of cores, the default number of jobs.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The workshop folders `paths` name, or those under `inputs/` if none.
pub fn workshops(paths: &[PathBuf], reporter: &Reporter) -> Result<Vec<PathBuf>, ExitCode> {
    let paths = if paths.is_empty() {
        vec![Path::new(DEFAULT_INPUTS).to_path_buf()]
    } else {
        paths.to_vec()
    };
    input::discover(&paths).map_err(|d| {
        reporter.emit(&Sources::default(), &[d]);
        ExitCode::from(USAGE)
    })
}

/// "1 error", "2 warnings".
pub fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}
