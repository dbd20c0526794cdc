//! The subcommands, one file each, and what they share: finding workshops
//! and reporting diagnostics, for people or as JSON.

pub mod build;
pub mod check;
pub mod new;
pub mod source;
pub mod tally;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use serde::Serialize;

use workshop_report::diag::{self, Diagnostic, Severity, Sources};
use workshop_report::input::files::Encoding;
use workshop_report::{Pipeline, input};

use crate::cli::{Color, DiagnosticFormat, EncodingArg, InputArgs, ReportArgs, TemplateArgs};

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
    deny_warnings: bool,
}

/// The JSON document of `--format json`: keys in this order, documented in
/// docs/diagnostics.md.
#[derive(Serialize)]
struct JsonReport<'a> {
    workshops: &'a [WorkshopReport],
}

#[derive(Serialize)]
struct WorkshopReport {
    path: String,
    /// `ok`, `built` or `failed`.
    status: &'static str,
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
            code: d.code,
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
        Reporter { choice, json: None, deny_warnings: false }
    }

    /// Applies `--format` and `--deny-warnings`.
    pub fn with(mut self, args: &ReportArgs) -> Reporter {
        if args.format == DiagnosticFormat::Json {
            self.json = Some(Mutex::new(Vec::new()));
        }
        self.deny_warnings = args.deny_warnings;
        self
    }

    /// Whether `diagnostics` fail a workshop: errors do, and warnings under
    /// `--deny-warnings`.
    pub fn fails(&self, diagnostics: &[Diagnostic]) -> bool {
        diag::has_errors(diagnostics) || (self.deny_warnings && !diagnostics.is_empty())
    }

    /// Prints diagnostics that belong to no workshop.
    pub fn emit(&self, sources: &Sources, diagnostics: &[Diagnostic]) {
        if diagnostics.is_empty() {
            return;
        }
        let mut stderr = StandardStream::stderr(self.choice);
        // Nothing sensible is left to do if standard error is gone.
        let _ = diag::emit(&mut stderr, sources, diagnostics);
    }

    /// Reports what came of a workshop: its diagnostics, and a status line
    /// (on standard output for people; on standard error beside JSON).
    pub fn workshop(
        &self,
        path: &Path,
        status: &'static str,
        line: &str,
        sources: &Sources,
        diagnostics: &[Diagnostic],
    ) {
        match &self.json {
            Some(json) => {
                let report = WorkshopReport {
                    path: path.to_string_lossy().into_owned(),
                    status,
                    diagnostics: diagnostics.iter().map(JsonDiagnostic::from).collect(),
                };
                json.lock().unwrap_or_else(|e| e.into_inner()).push(report);
                eprintln!("{line}");
            }
            None => {
                self.emit(sources, diagnostics);
                println!("{line}");
            }
        }
    }

    /// Prints the JSON document, if that is the format.
    pub fn finish(&self) {
        if let Some(json) = &self.json {
            let workshops = json.lock().unwrap_or_else(|e| e.into_inner());
            let doc = JsonReport { workshops: &workshops };
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
    }
}

impl InputArgs {
    pub fn options(&self) -> input::Options {
        input::Options {
            encoding: match self.encoding {
                EncodingArg::Utf8 => Encoding::Utf8,
                EncodingArg::Windows1252 => Encoding::Windows1252,
                EncodingArg::Utf16 => Encoding::Utf16,
            },
            delimiter: self.delimiter,
        }
    }
}

/// The workshop folders `paths` name (or those under `inputs/`) and the
/// pipeline to process them with.
pub fn prepare(
    paths: &[PathBuf],
    templates: &TemplateArgs,
    input: &InputArgs,
    reporter: &Reporter,
) -> Result<(Vec<PathBuf>, Pipeline), ExitCode> {
    let dirs = workshops(paths, reporter)?;
    Ok((dirs, Pipeline::new(templates.templates.as_deref(), input.options())))
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
