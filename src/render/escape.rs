//! Escaping of input text for Typst.
//!
//! Typst's markup lexer gives meaning only to ASCII punctuation (`#`, `*`,
//! `_`, `$`, `<`, `@`, `[`, `/`, `-`, `=`, `.`, digits followed by `.`, ...)
//! and to line breaks; a backslash before any other non-space character is
//! an escape that prints the character itself. So text with every ASCII
//! punctuation character escaped, and control and line-separator characters
//! written as `\u{..}` escapes, is plain text whatever it contains: no
//! markup, code, math, comment, label, reference, link or shorthand.

/// Escapes `text` for Typst markup: it prints exactly as typed.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
        } else if is_break_or_control(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Quotes `text` as a Typst string literal, for use in code: `"..."`.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_break_or_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters Typst treats as line breaks, and other control characters.
fn is_break_or_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_every_ascii_punctuation_character() {
        assert_eq!(markup("#read(\"/etc/passwd\")"), "\\#read\\(\\\"\\/etc\\/passwd\\\"\\)");
        assert_eq!(markup("Uğur Karagöz, Níyì"), "Uğur Karagöz\\, Níyì");
        assert_eq!(markup("a\nb\u{2028}"), "a\\u{a}b\\u{2028}");
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string("x\ny\u{0}"), "\"x\\ny\\u{0}\"");
    }
}
