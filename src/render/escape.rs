//! Escaping of input text for Typst.
//!
//! Typst's markup lexer gives meaning only to ASCII punctuation (`#`, `*`,
//! `_`, `$`, `<`, `@`, `[`, `/`, `-`, `=`, `.`, digits followed by `.`, ...)
//! and to line breaks; a backslash before any other non-space character is
//! an escape that prints the character itself. So text with every ASCII
//! punctuation character escaped, and control and line-separator characters
//! written as `\u{..}` escapes, is plain text whatever it contains: no
//! markup, code, math, comment, label, reference, link or shorthand.
//!
//! A few punctuation characters mean nothing in markup, not even after a
//! code expression (where `(`, `[`, `.` and `;` would continue or end it):
//! `,`, `!`, `?`, `%`, `&`, `|` and `^`. They are left as they are, since
//! each escape is a node of its own, and a paragraph of thousands of them
//! (commas, above all) lays out many times slower.

/// Escapes `text` for Typst markup: it prints exactly as typed.
///
/// A word longer than [`LONG_WORD`] characters (a URL, an e-mail address,
/// a string pasted without spaces) may break after its punctuation (`/`,
/// `@`, `.`...) and, in runs where the script gives no line break
/// opportunity (Unicode's line breaking rules: Chinese, for one, breaks
/// between any two characters), every [`BREAK_EVERY`] characters: a line
/// never runs off the page or out of its table cell. The break
/// opportunities are empty boxes, which add nothing to the text a reader
/// copies out of the PDF.
pub fn markup(text: &str) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for word in runs(text) {
        if word.chars().count() <= LONG_WORD {
            word.chars().for_each(|c| push_escaped(&mut out, c));
            continue;
        }
        let segmenter = icu_segmenter::LineSegmenter::new_for_non_complex_scripts(
            icu_segmenter::options::LineBreakOptions::default(),
        );
        let natural: Vec<usize> = segmenter.segment_str(word).collect();
        let mut since = 0;
        let mut graphemes = word.grapheme_indices(true).peekable();
        while let Some((at, grapheme)) = graphemes.next() {
            for c in grapheme.chars() {
                push_escaped(&mut out, c);
            }
            since += 1;
            if graphemes.peek().is_none() {
                break;
            }
            let end = at + grapheme.len();
            let punctuation = grapheme.len() == 1 && grapheme.as_bytes()[0].is_ascii_punctuation();
            if natural.binary_search(&end).is_ok() {
                since = 0;
            } else if punctuation || since >= BREAK_EVERY {
                out.push_str("#box()");
                since = 0;
            }
        }
    }
    out
}

/// The length from which a word may break inside.
pub const LONG_WORD: usize = 30;

/// How many characters of a long word may go without a break opportunity.
pub const BREAK_EVERY: usize = 10;

fn push_escaped(out: &mut String, c: char) {
    if c.is_ascii_punctuation() && !matches!(c, ',' | '!' | '?' | '%' | '&' | '|' | '^') {
        out.push('\\');
        out.push(c);
    } else if is_break_or_control(c) {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    } else {
        out.push(c);
    }
}

/// `text` as runs of white space and runs of anything else.
fn runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in text.char_indices() {
        if space.is_some_and(|s| s != c.is_whitespace()) {
            runs.push(&text[start..i]);
            start = i;
        }
        space = Some(c.is_whitespace());
    }
    if start < text.len() {
        runs.push(&text[start..]);
    }
    runs
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

/// The direction character `c` has of itself: `Some(false)` left to right
/// (Latin, Chinese...), `Some(true)` right to left (Arabic, Hebrew),
/// `None` for digits, punctuation and spaces.
pub fn strong_direction(c: char) -> Option<bool> {
    use unicode_bidi::BidiClass;
    match unicode_bidi::bidi_class(c) {
        BidiClass::L => Some(false),
        BidiClass::R | BidiClass::AL => Some(true),
        _ => None,
    }
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
        assert_eq!(markup("Uğur Karagöz, Níyì"), "Uğur Karagöz, Níyì");
        assert_eq!(markup("a; b: (c)!"), "a\\; b\\: \\(c\\)!");
        assert_eq!(markup("a\nb\u{2028}"), "a\\u{a}b\\u{2028}");
    }

    #[test]
    fn long_words_may_break_between_characters() {
        assert_eq!(markup("short words stay"), "short words stay");
        let long = "x".repeat(31);
        let escaped = markup(&format!("a {long} b"));
        assert_eq!(escaped.matches("#box()").count(), 3);
        assert!(escaped.starts_with("a xxxxxxxxxx#box()x"));
        let email = markup("someone.with.a.long.name@example.org");
        assert_eq!(email.matches("#box()").count(), 6, "{email}");
        assert!(email.contains("\\@#box()example"), "{email}");
        // Not inside a character and its marks.
        let marked = "ẹ̀".repeat(31);
        assert!(markup(&marked).contains("#box()"));
        // Chinese breaks between characters by itself: no boxes.
        let chinese = "联合国经济和社会事务部通过其公共机构和数字政府司与杭州数字治理研究院合作举办了本次讲习班".repeat(2);
        assert_eq!(markup(&chinese), chinese);
        assert!(!markup(&marked).contains("e#box()"));
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string("x\ny\u{0}"), "\"x\\ny\\u{0}\"");
    }
}
