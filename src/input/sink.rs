//! Where the input stage's problems go: every diagnostic of a run, the
//! text of the files they point into, and what a problem already
//! reported stands for, so that later ones that only repeat it are left
//! out.

use crate::diag::{Diagnostic, Diagnostics, Sources, Span};
use crate::input::record::Spanned;
use crate::input::record::yaml;

/// The problems found while reading one workshop.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    /// Every problem found, in the order found.
    pub(crate) diagnostics: Diagnostics,
    /// The text of the files they point into.
    pub(crate) sources: Sources,
    /// The record's name as messages print it.
    pub(crate) record: String,
    /// Per YAML file, what was blanked out of it: later problems that only
    /// repeat one reported are left out (see [`yaml::Shadow`]).
    pub(crate) shadowed: Vec<(String, yaml::Shadow)>,
    /// Where the schema's problems are (file and span), which are kept.
    pub(crate) schema_problems: Vec<(Option<String>, Option<Span>)>,
}

impl Sink {
    /// A sink for the workshop whose record messages call `record`.
    pub(crate) fn new(record: String) -> Sink {
        Sink { record, ..Sink::default() }
    }

    /// Reports `diagnostic`.
    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Reports `diagnostic` at `value` of the record.
    pub(crate) fn error_at<T>(&mut self, value: &Spanned<T>, diagnostic: Diagnostic) {
        let d = self.at(value, diagnostic);
        self.error(d);
    }

    /// A diagnostic pointing at a value of the record.
    pub(crate) fn at<T>(&self, value: &Spanned<T>, diagnostic: Diagnostic) -> Diagnostic {
        self.at_in(&self.record, value, diagnostic)
    }

    /// A diagnostic pointing at a value of the YAML file `name`.
    pub(crate) fn at_in<T>(
        &self,
        name: &str,
        value: &Spanned<T>,
        diagnostic: Diagnostic,
    ) -> Diagnostic {
        let text = self.sources.get(name).unwrap_or("");
        let location = value.referenced;
        let span = match location.span().byte_offset() {
            // The parser counted the line and column already: no scan of
            // the file per problem.
            Some(offset) => Span::known(
                text,
                location.line() as usize,
                location.column() as usize,
                offset as usize,
                location.span().byte_len().unwrap_or(1) as usize,
            ),
            None => {
                Span::from_line_column(text, location.line() as usize, location.column() as usize)
            }
        };
        diagnostic.in_file(name).at(span)
    }

    /// Whether `value` of the record lost a part to a problem already
    /// reported (see [`yaml::Shadow`]): checks that would only repeat it
    /// in other words are skipped.
    pub(crate) fn damaged<T>(&self, value: &Spanned<T>) -> bool {
        let name = &self.record;
        let Some((_, shadow)) = self.shadowed.iter().find(|(file, _)| file == name) else {
            return false;
        };
        let text = self.sources.get(name).unwrap_or("");
        let offset = match value.referenced.span().byte_offset() {
            Some(offset) => offset as usize,
            None => {
                Span::from_line_column(
                    text,
                    value.referenced.line() as usize,
                    value.referenced.column() as usize,
                )
                .bytes
                .start
            }
        };
        shadow.covers_error(offset)
    }

    /// The problems to print: the schema's, and the later ones that do not
    /// only repeat a problem reported (see [`yaml::Shadow`]).
    pub(crate) fn finish(self) -> (Diagnostics, Sources) {
        let Sink { mut diagnostics, sources, shadowed, schema_problems, .. } = self;
        // The schema's problems are the ones shadows stand for; later ones that
        // only repeat them are left out.
        diagnostics.retain(|d| {
            let structural = schema_problems.contains(&(d.file.clone(), d.span.clone()));
            let shadow = shadowed.iter().any(|(file, shadow)| {
                d.file.as_ref() == Some(file)
                    && d.span.as_ref().is_some_and(|s| match d.severity {
                        crate::diag::Severity::Error => shadow.covers_error(s.bytes.start),
                        crate::diag::Severity::Warning => shadow.covers_warning(s.bytes.start),
                    })
            });
            structural || !shadow
        });
        (diagnostics, sources)
    }
}

/// A check's result: its value, or every error it found (its warnings
/// went to its [`Check`]).
pub(crate) type Checked<T> = Result<T, Vec<Diagnostic>>;

/// What a section's check reads, and where its warnings go: the record's
/// text (to point at its values), the report's language, the organisers'
/// names. Narrower than the whole [`crate::input::Context`]: a check given
/// a `Check` reads no file and reports nothing but what it returns and
/// its warnings.
pub(crate) struct Check<'a> {
    /// Where the record's values are.
    pub(crate) sink: &'a Sink,
    /// The report's language, once read.
    pub(crate) language: Option<&'a crate::language::Language>,
    /// The organisers' names and short names.
    pub(crate) organisers: &'a [String],
    /// The warnings found, for the sink.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl Check<'_> {
    /// `diagnostic`, pointing at `value` of the record.
    pub(crate) fn at<T>(&self, value: &Spanned<T>, diagnostic: Diagnostic) -> Diagnostic {
        self.sink.at(value, diagnostic)
    }

    /// Keeps a warning at `value` of the record.
    pub(crate) fn warn<T>(&mut self, value: &Spanned<T>, diagnostic: Diagnostic) {
        let d = self.at(value, diagnostic);
        self.warnings.push(d);
    }
}

/// The errors of a check that goes on after a problem, to find the next.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<Diagnostic>);

impl Errors {
    /// Keeps `diagnostic`.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// The value of a part of the check, its errors kept (`None` then).
    pub(crate) fn take<T>(&mut self, checked: Checked<T>) -> Option<T> {
        checked.map_err(|errors| self.0.extend(errors)).ok()
    }

    /// `value`, or the errors found.
    pub(crate) fn or<T>(self, value: T) -> Checked<T> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }

    /// The errors found, where a part failed (at least its error).
    pub(crate) fn fail<T>(self) -> Checked<T> {
        debug_assert!(!self.0.is_empty(), "a part failed without an error");
        Err(self.0)
    }
}
