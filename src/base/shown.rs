//! Text from the inputs, shown in each format the tool writes, through
//! one escaping point per format, so that whatever a workshop's files (or
//! its folder's name) hold is shown as typed and never acts:
//!
//! - on a terminal: [`terminal`] and [`line`] write control characters
//!   and bidirectional controls as escapes (`\u{1b}`), so that no byte of
//!   the inputs is a command to the terminal or reorders what it shows;
//! - in Markdown (a pull-request comment): [`markdown`] and [`code`],
//!   markup characters escaped as well;
//! - in JSON: [`json`], which serde_json's own escapes (quotes, backslash,
//!   control characters below U+0020) extend to the other controls, the
//!   bidirectional controls and the line separators;
//! - in CSV: [`csv_cell`], a cell a spreadsheet would run as a formula
//!   (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) led by
//!   a `'`, as OWASP's rule on CSV injection says.

use std::borrow::Cow;
use std::io::Write;

pub use crate::diag::{visible as terminal, visible_line as line};

/// `text` for Markdown: printed as typed, never as markup, its line
/// breaks as spaces.
pub fn markdown(text: &str) -> String {
    let text = terminal(text).replace(['\r', '\n'], " ");
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '+' | '-' | '!'
            | '|' | '~' | '&' | '$' | '@' | '^' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
    }
    out
}

/// `text` inside a Markdown code span, where backticks cannot be escaped.
pub fn code(text: &str) -> String {
    line(text).replace('`', "'")
}

/// Whether serde_json leaves `c` raw in a string, but a reader of the JSON
/// (a log, a CI annotation) would act on it.
fn unsafe_in_json(c: char) -> bool {
    crate::diag::unprintable(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Pretty JSON whose strings escape, besides what JSON requires, every
/// control and bidirectional control character and the line separators.
struct Escaping(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices().filter(|(_, c)| unsafe_in_json(*c)) {
            writer.write_all(&fragment.as_bytes()[start..i])?;
            write!(writer, "\\u{:04x}", c as u32)?;
            start = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `value` as pretty JSON, its strings escaped for any reader (see
/// [`Escaping`]).
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut out,
        Escaping(serde_json::ser::PrettyFormatter::new()),
    );
    // Serialising the tool's own types into memory cannot fail.
    let _ = value.serialize(&mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

/// A cell of CSV the tool writes: shown as typed, with a `'` before text a
/// spreadsheet would evaluate as a formula.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let text = line(text);
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_shows_text_as_typed() {
        let hostile = "Ana\u{1b}]0;owned\u{7}\u{202e}evil\u{85}|*x*";
        assert_eq!(terminal(hostile), "Ana\\u{1b}]0;owned\\u{7}\\u{202e}evil\\u{85}|*x*");
        assert_eq!(
            markdown(hostile),
            "Ana\\\\u\\{1b\\}\\]0;owned\\\\u\\{7\\}\\\\u\\{202e\\}evil\\\\u\\{85\\}\\|\\*x\\*"
        );
        assert_eq!(code("a`b\nc"), "a'b\\u{a}c");
        assert_eq!(markdown("two\nlines"), "two lines");
        let json = json(&serde_json::json!({"name": hostile, "sep": "a\u{2028}b"}));
        assert!(json.contains(r#""Ana\u001b]0;owned\u0007\u202eevil\u0085|*x*""#), "{json}");
        assert!(json.contains(r#""a\u2028b""#), "{json}");
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        for formula in ["=HYPERLINK(\"x\")", "+1", "-1+2", "@SUM(A1)"] {
            assert!(csv_cell(formula).starts_with('\''), "{formula}");
        }
        assert_eq!(csv_cell("\tx"), "\\u{9}x");
        assert_eq!(csv_cell("Very satisfied"), "Very satisfied");
    }
}
