//! The subcommands, one file each, and what they share: finding workshops
//! and printing diagnostics.

pub mod build;
pub mod check;
pub mod source;
pub mod tally;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};

use workshop_report::diag::{self, Diagnostic, Sources};
use workshop_report::{Failure, Pipeline, input};

use crate::cli::{Color, TemplateArgs};

/// Exit status: the inputs have problems (or an output could not be written).
pub const INVALID: u8 = 1;
/// Exit status: the command line is wrong.
pub const USAGE: u8 = 2;

/// The folder searched when no path is given.
pub const DEFAULT_INPUTS: &str = "inputs";

/// Prints diagnostics to standard error.
pub struct Reporter {
    choice: ColorChoice,
}

impl Reporter {
    pub fn new(color: Color) -> Reporter {
        let choice = match color {
            Color::Always => ColorChoice::Always,
            Color::Never => ColorChoice::Never,
            Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
            Color::Auto => ColorChoice::Never,
        };
        Reporter { choice }
    }

    pub fn emit(&self, sources: &Sources, diagnostics: &[Diagnostic]) {
        let mut stderr = StandardStream::stderr(self.choice);
        // Nothing sensible is left to do if standard error is gone.
        let _ = diag::emit(&mut stderr, sources, diagnostics);
    }

    pub fn failure(&self, failure: &Failure) {
        self.emit(&failure.sources, &failure.diagnostics);
    }
}

/// The workshop folders `paths` name (or those under `inputs/`) and the
/// pipeline to process them with.
pub fn prepare(
    paths: &[PathBuf],
    templates: &TemplateArgs,
    reporter: &Reporter,
) -> Result<(Vec<PathBuf>, Pipeline), ExitCode> {
    let dirs = workshops(paths, reporter)?;
    Ok((dirs, Pipeline::new(templates.templates.as_deref())))
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
