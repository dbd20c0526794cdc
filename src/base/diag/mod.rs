//! Diagnostics: what went wrong, where, and what to do about it.
//!
//! Every stage reports problems as [`Diagnostic`]s instead of failing on the
//! first one, so that `check` can list all problems of a workshop in one run.
//! A diagnostic names a file and, where there is one, a span inside it; the
//! text of that file is kept in [`Sources`] so that the renderer can show the
//! offending line with a caret under it.

mod code;

pub use code::Code;

use std::collections::BTreeMap;
use std::fmt;

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::{Deserialize, Serialize};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The report cannot be built.
    Error,
    /// Suspicious but valid input.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A place in a file: 1-based line and column, and the byte range it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, counted in characters.
    pub column: usize,
    /// The byte range it covers, counted from the file's start.
    pub bytes: Range<usize>,
}

impl Span {
    /// The span of `len` bytes starting at byte `offset` of `text`.
    pub fn from_offset(text: &str, offset: usize, len: usize) -> Span {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let end = floor_char_boundary(text, (offset + len).min(text.len()));
        let before = &text[..offset];
        // Counted over bytes, which the compiler vectorises: spans are
        // made for every problem, in files of megabytes.
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.as_bytes().iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Span { line, column, bytes: offset..end }
    }

    /// The span of `len` bytes at byte `offset` of `text`, on the 1-based
    /// `line` and `column` a parser counted.
    pub fn known(text: &str, line: usize, column: usize, offset: usize, len: usize) -> Span {
        let start = floor_char_boundary(text, offset.min(text.len()));
        let end = floor_char_boundary(text, (start + len).min(text.len()));
        Span { line, column, bytes: start..end }
    }

    /// The span at a 1-based line and column (counted in characters) of
    /// `text`, reaching to the end of the token that starts there.
    pub fn from_line_column(text: &str, line: usize, column: usize) -> Span {
        let line_start = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>()
            .min(text.len());
        let rest = &text[line_start..];
        let line_text = rest.split('\n').next().unwrap_or("");
        let offset = line_start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i);
        let token =
            text[offset..].find(|c: char| c.is_whitespace()).unwrap_or(text.len() - offset).max(1);
        Span { line, column, bytes: offset..(offset + token).min(text.len()) }
    }

    /// The same span, reported at `column` (1-based).
    pub fn with_column(mut self, column: usize) -> Span {
        self.column = column;
        self
    }

    /// The span of a whole 1-based line of `text`.
    pub fn line_of(text: &str, line: usize) -> Span {
        let mut span = Span::from_line_column(text, line, 1);
        let end = text[span.bytes.start..].find('\n').map_or(text.len(), |i| span.bytes.start + i);
        // A Windows line ending is not part of the line.
        let end =
            if end > span.bytes.start && text.as_bytes()[end - 1] == b'\r' { end - 1 } else { end };
        span.bytes.end = end.max(span.bytes.start);
        span
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem found in the inputs, or by a later stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Whether it stops the report (an error) or not (a warning).
    pub severity: Severity,
    /// The kind of problem, e.g. [`Code::InvalidDate`].
    pub code: Code,
    /// What is wrong, without the place or the hint.
    pub message: String,
    /// The file as the user names it (relative to the working directory).
    pub file: Option<String>,
    /// Where in `file` the problem is; `None` when it has no place in a file.
    pub span: Option<Span>,
    /// What to do about it, printed after `hint:`; `None`: no hint.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error of kind `code` saying `message`, not yet placed in a file.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: None,
            span: None,
            hint: None,
        }
    }

    /// A warning of kind `code` saying `message`, not yet placed in a file.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, message) }
    }

    /// The diagnostic, in `file` (named as the user names it).
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The diagnostic, at `span` of its file.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// The diagnostic, with `hint` saying what to do about it.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether it is an error, which stops the report.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// The one-line form: `file:line:column: error: message (hint: ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", visible_line(file))?;
            if let Some(span) = &self.span {
                write!(f, ":{}:{}", span.line, span.column)?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}: {}", self.severity, visible_line(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {})", visible_line(hint))?;
        }
        Ok(())
    }
}

/// The problems found so far, in the order they were found.
pub type Diagnostics = Vec<Diagnostic>;

/// Whether any of `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// What a stage gives: its value when it succeeded, and in any case the
/// problems it found (warnings alone do not stop it) and the text of the
/// files they point into. Every stage returns one; [`Outcome::then`] runs
/// the next stage on the value, gathering the problems of both.
#[derive(Debug)]
pub struct Outcome<T> {
    /// The stage's result; `None` if an error stopped it.
    pub value: Option<T>,
    /// The problems found, errors and warnings, in the order found.
    pub diagnostics: Diagnostics,
    /// The text of the files the diagnostics point into.
    pub sources: Sources,
}

impl<T> Outcome<T> {
    /// A stage's value, with the warnings found on the way.
    pub fn ok(value: T, diagnostics: Diagnostics, sources: Sources) -> Self {
        Outcome { value: Some(value), diagnostics, sources }
    }

    /// A stage stopped by the errors among `diagnostics`.
    pub fn failed(diagnostics: Diagnostics, sources: Sources) -> Self {
        Outcome { value: None, diagnostics, sources }
    }

    /// Runs `next` on the value, if there is one: its problems and sources
    /// follow these.
    pub fn then<U>(self, next: impl FnOnce(T) -> Outcome<U>) -> Outcome<U> {
        let Outcome { value, mut diagnostics, mut sources } = self;
        let Some(value) = value else { return Outcome::failed(diagnostics, sources) };
        let after = next(value);
        diagnostics.extend(after.diagnostics);
        sources.extend(after.sources);
        Outcome { value: after.value, diagnostics, sources }
    }

    /// The outcome with its value changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        Outcome { value: self.value.map(f), diagnostics: self.diagnostics, sources: self.sources }
    }

    /// Whether any of the diagnostics is an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// The text of the files that diagnostics point into, by the name they use.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Sources {
    files: BTreeMap<String, String>,
}

impl Sources {
    /// Keeps `text` as the text of the file `name`, replacing any kept before.
    pub fn insert(&mut self, name: impl Into<String>, text: impl Into<String>) {
        self.files.insert(name.into(), text.into());
    }

    /// The text of the file named `name`, if it was kept.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files.get(name).map(String::as_str)
    }

    /// Adds the files kept in `other`; for a name kept in both, `other`'s text.
    pub fn extend(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// The files by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Whether `c` cannot be shown as typed: control characters other than
/// tab and line breaks (they cannot print, and on a terminal they are
/// commands), and the bidirectional embeddings, overrides and isolates
/// (they reorder the text around them). The marks U+200E and U+200F and
/// the zero-width characters print as typed, invisibly.
pub fn unprintable(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` safe to show on a terminal: each character that cannot be shown
/// as typed (see [`unprintable`], and a carriage return that ends no line)
/// written as its escape, `\u{1b}`.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |(i, c): (usize, char)| -> bool {
        unprintable(c) || (c == '\r' && !text[i + 1..].starts_with('\n'))
    };
    if !text.char_indices().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if escaped((i, c)) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// `text` safe to show as one line: as [`visible`], and line breaks and
/// tabs written as escapes too, so that a value from the inputs cannot
/// start a line of its own in a log (a forged `error:` line) or move what
/// follows it.
pub fn visible_line(text: &str) -> std::borrow::Cow<'_, str> {
    let text = visible(text);
    if !text.contains(['\n', '\r', '\t']) {
        return text;
    }
    std::borrow::Cow::Owned(
        text.replace('\r', "\\u{d}").replace('\n', "\\u{a}").replace('\t', "\\u{9}"),
    )
}

/// The longest line a diagnostic quotes; a longer one (a CSV row of a
/// million fields) is named, not printed.
const MAX_QUOTED_LINE: usize = 1_000;

/// Whether the line of `span` in `text` is short enough to quote.
fn quotable(text: &str, span: &Span) -> bool {
    let start = floor_char_boundary(text, span.bytes.start.min(text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    line_end - line_start <= MAX_QUOTED_LINE && span.bytes.len() <= MAX_QUOTED_LINE
}

/// The byte offset in `visible(text)` of byte `offset` of `text`.
fn visible_offset(text: &str, offset: usize) -> usize {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    offset + visible(&text[..offset]).len() - text[..offset].len()
}

/// Prints diagnostics the way compilers do: the message, `file:line:column`,
/// the source line with a caret under the spot, and the hint. Whatever
/// came from the inputs is shown through [`visible`]: no byte of them
/// reaches the terminal as a command.
pub fn emit(
    out: &mut dyn termcolor::WriteColor,
    sources: &Sources,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    // Per file: its id, and whether showing it escapes characters (which
    // moves the spans).
    let mut ids = BTreeMap::new();
    for diagnostic in diagnostics {
        let Some(name) = &diagnostic.file else { continue };
        if ids.contains_key(name) {
            continue;
        }
        let text = visible(sources.get(name).unwrap_or(""));
        let moved = matches!(text, std::borrow::Cow::Owned(_));
        let id = files.add(visible_line(name).into_owned(), text.into_owned());
        ids.insert(name.clone(), (id, moved));
    }

    for diagnostic in diagnostics {
        let mut cs = match diagnostic.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(diagnostic.code.as_str())
        .with_message(visible_line(&diagnostic.message));
        let text = diagnostic.file.as_deref().and_then(|f| sources.get(f));
        match (&diagnostic.file, &diagnostic.span, text) {
            (Some(name), Some(span), Some(text)) if quotable(text, span) => {
                let (id, moved) = ids[name];
                let bytes = if moved {
                    visible_offset(text, span.bytes.start)..visible_offset(text, span.bytes.end)
                } else {
                    span.bytes.clone()
                };
                cs = cs.with_labels(vec![Label::primary(id, bytes)]);
            }
            (Some(name), span, _) => {
                // No text to show: name the place in a note instead.
                let name = visible_line(name);
                let place = match span {
                    Some(span) => format!("{name}:{}:{}", span.line, span.column),
                    None => name.into_owned(),
                };
                cs = cs.with_notes(vec![format!("in {place}")]);
            }
            _ => {}
        }
        if let Some(hint) = &diagnostic.hint {
            cs.notes.push(format!("hint: {}", visible_line(hint)));
        }
        term::emit_to_write_style(out, &config, &files, &cs)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_count_lines_and_characters() {
        let text = "title: x\nplace: Ünye\n  bad: 1\n";
        let span = Span::from_offset(text, text.find("bad").unwrap(), 3);
        assert_eq!((span.line, span.column), (3, 3));
        let span = Span::from_line_column(text, 2, 8);
        assert_eq!(&text[span.bytes], "Ünye");
        assert_eq!(&text[Span::line_of(text, 2).bytes], "place: Ünye");
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(visible("a\u{1b}]0;x\u{7}b\r\nc\rd"), "a\\u{1b}]0;x\\u{7}b\r\nc\\u{d}d");
        assert_eq!(visible("plain\ttext\n"), "plain\ttext\n");
        let text = "title: \u{1b}[31mred\n";
        let d = Diagnostic::error(Code::ControlCharacter, "bad \u{1b}[2J")
            .in_file("w.yaml")
            .at(Span::from_offset(text, 7, 1));
        let mut sources = Sources::default();
        sources.insert("w.yaml", text);
        let mut out = termcolor::NoColor::new(Vec::new());
        emit(&mut out, &sources, &[d]).unwrap();
        let printed = String::from_utf8(out.into_inner()).unwrap();
        assert!(!printed.contains('\u{1b}'), "{printed}");
        assert!(printed.contains("title: \\u{1b}[31mred"), "{printed}");
    }

    #[test]
    fn one_line_form_names_file_line_and_hint() {
        let d = Diagnostic::error(Code::InvalidDate, "bad date")
            .in_file("w/workshop.yaml")
            .at(Span { line: 4, column: 10, bytes: 0..1 })
            .hint("write it as YYYY-MM-DD");
        assert_eq!(
            d.to_string(),
            "w/workshop.yaml:4:10: error: bad date (hint: write it as YYYY-MM-DD)"
        );
    }
}
