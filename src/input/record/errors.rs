//! YAML read with the tool's budgets, and the reader's errors said in the
//! words of the record: each error is told by its variant (serde-saphyr's
//! `Error`, the parser's `ErrorKind`), never by its English text, which is
//! only passed on where the tool has nothing better to say.

use serde_saphyr::Error;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;

use crate::diag::{Code, Diagnostic, Span};

/// Parses a YAML file of the tool's: duplicate keys are errors, and the
/// budgets are far below what a crafted file (an alias bomb, runaway
/// nesting) would need, yet far above any real record.
pub fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    let mut options = serde_saphyr::options! {
        with_snippet: false,
    };
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 48;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_nodes = 500_000;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    serde_saphyr::from_str_with_options(text, options)
}

/// Turns a YAML error into a diagnostic at the place the parser names, in
/// the words of the record rather than of the Rust types behind it.
pub fn diagnostic(text: &str, error: &Error) -> Diagnostic {
    let (message, hint) = explain(error);
    let mut d = Diagnostic::error(Code::Yaml, message);
    if matches!(inner(error), Error::MultipleDocuments { .. })
        && let Some(line) =
            text.lines().skip(1).position(|l| l.starts_with("---") || l.starts_with("..."))
    {
        return d.at(Span::line_of(text, line + 2)).hint(hint);
    }
    if let Some(loc) = error.location() {
        let span = match loc.span().byte_offset() {
            Some(offset) => Span::from_offset(
                text,
                offset as usize,
                loc.span().byte_len().unwrap_or(1) as usize,
            ),
            None => Span::from_line_column(text, loc.line() as usize, loc.column() as usize),
        };
        d = d.at(span);
    }
    d.hint(hint)
}

/// The error itself, out of the wrappers that add a snippet or the place
/// of an alias.
fn inner(error: &Error) -> &Error {
    match error.without_snippet() {
        Error::AliasError { error, .. } => inner(error),
        error => error,
    }
}

/// The reader's own words for `error`, without the place it appends (the
/// diagnostic shows the place better).
fn own_words(error: &Error) -> String {
    let message = error.without_snippet().to_string();
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

const GENERIC: &str = "see docs/input-format.md for the fields of a workshop record";

/// A message and hint for a YAML error.
fn explain(error: &Error) -> (String, String) {
    let said = |message: &str, hint: &str| (message.to_owned(), hint.to_owned());
    match inner(error) {
        Error::SerdeUnknownField { field, expected, .. } => {
            let hint = match super::super::closest(field, expected) {
                Some(best) => format!("did you mean `{best}`?"),
                None if !expected.is_empty() => {
                    format!("the fields here are: {}", expected.join(", "))
                }
                None => GENERIC.to_owned(),
            };
            (format!("unknown field `{field}`"), hint)
        }
        Error::DuplicateMappingKey { key, .. } => (
            format!("`{}` is given twice", key.as_deref().unwrap_or("a field")),
            "keep one of the two; the record may not hold the same field twice".to_owned(),
        ),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => said(
            "the record's aliases (`*name`) expand into too many values",
            "a workshop record needs few aliases, if any: write the values out",
        ),
        Error::Budget { breach: BudgetBreach::Depth { .. }, .. } => said(
            "the record is nested too deeply",
            "sections nest up to 20 levels; check the indentation",
        ),
        Error::Budget { .. } => said(
            "the record is too large to be a workshop record",
            "put long data in the CSV files the record names",
        ),
        Error::SerdeMissingField { field, .. } => (
            format!("missing field `{field}`"),
            format!(
                "add `{field}:` here, at the same indentation as the fields around it \
                 (a field indented differently belongs to another part)"
            ),
        ),
        Error::MultipleDocuments { .. } => said(
            "the record holds more than one YAML document",
            "a record is one document: remove the `---` line and what follows it, or merge the two",
        ),
        Error::ExternalMessage { source, .. } => match source.as_ref() {
            serde_saphyr::ExternalMessageSource::Parser(scan) => parser(scan.kind(), error),
            _ => (own_words(error), GENERIC.to_owned()),
        },
        Error::Unexpected { expected, .. } => (own_words(error), expecting(expected)),
        Error::SerdeInvalidType { expected, .. } => (own_words(error), expecting(expected)),
        Error::NullIntoString { .. } => said(
            "this field needs a value, but it is empty",
            "write a value after the colon, or remove the line if the field is optional",
        ),
        _ => (own_words(error), GENERIC.to_owned()),
    }
}

/// A message and hint for an error of the YAML parser of kind `kind`.
fn parser(kind: &ErrorKind, error: &Error) -> (String, String) {
    let said = |message: &str, hint: &str| (message.to_owned(), hint.to_owned());
    match kind {
        ErrorKind::MappingValueNotAllowed => said(
            "a line is indented under a value, or a value holds `: `",
            "indent each field by two spaces under the one it belongs to, and quote values \
             that hold `: ` (\"Session 1: Opening\")",
        ),
        ErrorKind::UnknownQuotedScalarEscape
        | ErrorKind::InvalidQuotedScalarHexEscape
        | ErrorKind::InvalidLowSurrogateHexEscape
        | ErrorKind::InvalidLowSurrogate
        | ErrorKind::MissingLowSurrogate
        | ErrorKind::UnpairedLowSurrogate
        | ErrorKind::InvalidUnicodeEscape
        | ErrorKind::InvalidTagEscape => said(
            "an escape in a quoted value is not valid",
            "write the character itself; a `\\u` escape takes a character's code, e.g. `\\u00e9` for é (not half of a surrogate pair)",
        ),
        ErrorKind::UnclosedQuotedScalar
        | ErrorKind::InvalidQuotedScalarIndent
        | ErrorKind::DocumentIndicatorInQuotedScalar
        | ErrorKind::InvalidTrailingSingleQuotedScalar
        | ErrorKind::InvalidTrailingDoubleQuotedScalar => said(
            "a quoted value is not closed",
            "close the quote `\"` or `'` that opens the value above this line",
        ),
        ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabAtBlockScalarStart
        | ErrorKind::TabInIndentation
        | ErrorKind::TabInPlainScalar => {
            (own_words(error), "indent with spaces, not tabs".to_owned())
        }
        _ => (own_words(error), GENERIC.to_owned()),
    }
}

/// The hint for a value of the wrong shape, from what the reader
/// `expected` there (its description of a type: `sequence start`, `a
/// string`, `struct Dates`).
fn expecting(expected: &str) -> String {
    let expected = expected.strip_prefix("a ").unwrap_or(expected);
    let hint = if expected.starts_with("sequence") {
        "this field takes a list: one item per line, each starting with `- `"
    } else if expected.starts_with("string") {
        "this field takes text: write it after the colon (quote it if it starts with `[`, `{`, `*` or `&`)"
    } else if expected.starts_with("mapping") || expected.starts_with("struct") {
        "this field takes fields of its own, each on a line indented under it"
    } else {
        GENERIC
    };
    hint.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Record {
        title: String,
        subtitle: Option<String>,
        edition: Option<String>,
    }

    fn explained(text: &str) -> (String, String) {
        explain(&parse::<Record>(text).unwrap_err())
    }

    #[test]
    fn misspelt_fields_get_a_suggestion() {
        let (message, hint) = explained("titel: T\n");
        assert_eq!(message, "unknown field `titel`");
        assert_eq!(hint, "did you mean `title`?");
        let (_, hint) = explained("title: T\ncolour: red\n");
        assert_eq!(hint, "the fields here are: title, subtitle, edition");
    }

    #[test]
    fn messages_speak_of_the_record_not_of_rust() {
        let (message, _) = explained("title: A\ntitle: B\n");
        assert_eq!(message, "`title` is given twice");
        let (message, _) = explained("title:\n");
        assert!(!message.contains("Option"), "{message}");
        let (message, hint) = explained("title: \"a\\ud800b\"\n");
        assert_eq!(message, "an escape in a quoted value is not valid");
        assert!(hint.contains("surrogate pair"), "{hint}");
        let (message, _) = explained("title: T\n---\ntitle: U\n");
        assert_eq!(message, "the record holds more than one YAML document");
    }
}
