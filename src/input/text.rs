//! Checks of the text values of the inputs: that each can print as typed.
//!
//! - [`unprintable`]: control characters and bidirectional controls, which
//!   a YAML escape (`"\e"`, `"\0"`) can put into any field;
//! - [`markdown_depth`]: quotes and lists nested more deeply than a page
//!   can print;
//! - [`Glyphs`]: characters no bundled font has, which would print as
//!   empty boxes: a warning naming each, once per file.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diag::{Code, Diagnostic, Span};

/// The deepest nesting of block quotes and lists in Markdown text. Deeper
/// nesting makes no sense in a report, and the typesetter gives up on it
/// somewhere above twice this.
pub const MAX_MARKDOWN_DEPTH: usize = 8;

/// The first character of `text` that cannot print as typed, and its byte
/// offset.
pub fn unprintable(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| crate::diag::unprintable(c))
}

/// The refusal of character `c`, found in a value.
pub fn unprintable_error(c: char) -> Diagnostic {
    if c.is_control() {
        Diagnostic::error(
            Code::ControlCharacter,
            format!("the text holds the control character U+{:04X}, which cannot print", c as u32),
        )
        .hint("delete it; in YAML it often comes from an escape such as \"\\e\" or \"\\0\" in a quoted value")
    } else {
        Diagnostic::error(
            Code::BidiControl,
            format!(
                "the text holds the bidirectional control U+{:04X}, which would reorder what prints",
                c as u32
            ),
        )
        .hint("delete it; right-to-left text prints in its own direction without it")
    }
}

/// How deeply Markdown `text` nests block quotes and lists, where it goes
/// past [`MAX_MARKDOWN_DEPTH`]: the depth, and the byte offset in `text`.
pub fn markdown_depth(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut deepest = None;
    let parser = Parser::new_ext(text, Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                depth += 1;
                if depth > MAX_MARKDOWN_DEPTH && deepest.is_none() {
                    deepest = Some(range.start);
                }
            }
            Event::End(pulldown_cmark::TagEnd::BlockQuote(_) | pulldown_cmark::TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    deepest.map(|at| (max_depth(text), at))
}

fn max_depth(text: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                depth += 1;
                max = max.max(depth);
            }
            Event::End(pulldown_cmark::TagEnd::BlockQuote(_) | pulldown_cmark::TagEnd::List(_)) => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    max
}

/// The diagnostic for Markdown nested `depth` deep.
pub fn markdown_error(depth: usize) -> Diagnostic {
    Diagnostic::error(
        Code::MarkdownTooDeep,
        format!("the text nests quotes and lists {depth} deep; a report prints up to {MAX_MARKDOWN_DEPTH}"),
    )
    .hint("flatten the structure: a line starting with `>` or `-` nests one level per marker")
}

/// The characters of the inputs no bundled font has, gathered over a
/// workshop: for each file and character, where it first occurs and how
/// often.
#[derive(Debug, Default)]
pub struct Glyphs {
    found: BTreeMap<(String, char), (Span, usize, usize)>,
    order: usize,
}

/// The most missing characters reported per file; the rest are counted.
const MAX_GLYPH_WARNINGS: usize = 12;

impl Glyphs {
    /// Notes the characters of `value` that no font has. `value` sits in
    /// `file`, whose text is `source`, at byte `offset` (its characters are
    /// looked for there, so that the warning points at them).
    pub fn check(&mut self, file: &str, source: &str, value: &str, offset: usize, end: usize) {
        for c in value.chars() {
            if crate::fonts::covers(c) {
                continue;
            }
            let key = (file.to_owned(), c);
            if let Some(entry) = self.found.get_mut(&key) {
                entry.1 += 1;
                continue;
            }
            let end = end.clamp(offset, source.len());
            let within = source.get(offset..end).and_then(|s| s.find(c)).map(|i| offset + i);
            let span = Span::from_offset(source, within.unwrap_or(offset), c.len_utf8());
            self.order += 1;
            self.found.insert(key, (span, 1, self.order));
        }
    }

    /// Notes the characters of `value` that no font has, at `span` of
    /// `file` (whose text, if kept, is `source`).
    pub fn check_at(&mut self, file: &str, source: &str, value: &str, span: Span) {
        if value.chars().all(crate::fonts::covers) {
            return;
        }
        if source.is_empty() {
            for c in value.chars().filter(|c| !crate::fonts::covers(*c)) {
                let key = (file.to_owned(), c);
                if let Some(entry) = self.found.get_mut(&key) {
                    entry.1 += 1;
                } else {
                    self.order += 1;
                    self.found.insert(key, (span.clone(), 1, self.order));
                }
            }
            return;
        }
        self.check(
            file,
            source,
            value,
            span.bytes.start,
            span.bytes.end.max(span.bytes.start + value.len()),
        );
    }

    /// The warnings, one per file and character, in the order found.
    pub fn warnings(self) -> Vec<Diagnostic> {
        let mut by_file: BTreeMap<String, Vec<(char, Span, usize, usize)>> = BTreeMap::new();
        for ((file, c), (span, count, order)) in self.found {
            by_file.entry(file).or_default().push((c, span, count, order));
        }
        let mut out = Vec::new();
        for (file, mut chars) in by_file {
            chars.sort_by_key(|&(_, _, _, order)| order);
            for (c, span, count, _) in chars.iter().take(MAX_GLYPH_WARNINGS) {
                let more = match count {
                    1 => String::new(),
                    2 => " (and once more in this file)".to_owned(),
                    n => format!(" (and {} more times in this file)", n - 1),
                };
                out.push(
                    Diagnostic::warning(
                        Code::MissingGlyph,
                        format!(
                            "no bundled font has U+{:04X} `{c}`: it would print as an empty box{more}",
                            *c as u32
                        ),
                    )
                    .in_file(&file)
                    .at(span.clone())
                    .hint("the bundled fonts cover Latin, Greek and Cyrillic; write the text in a script they cover, or remove the character"),
                );
            }
            if chars.len() > MAX_GLYPH_WARNINGS {
                let rest: String =
                    chars[MAX_GLYPH_WARNINGS..].iter().map(|(c, ..)| *c).take(40).collect();
                out.push(
                    Diagnostic::warning(
                        Code::MissingGlyph,
                        format!(
                            "{} more characters no bundled font has: {rest}",
                            chars.len() - MAX_GLYPH_WARNINGS
                        ),
                    )
                    .in_file(&file),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_markdown_is_found() {
        assert_eq!(markdown_depth("> a\n>> b\n- c\n  - d\n"), None);
        let deep = ">".repeat(16) + " x";
        assert_eq!(markdown_depth(&deep).map(|(d, _)| d), Some(16));
        let lists: String = (0..32).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert!(markdown_depth(&lists).is_some());
    }

    #[test]
    fn missing_glyphs_are_counted_per_file() {
        let mut glyphs = Glyphs::default();
        let source = "name: محمد\nother: محمد\n";
        glyphs.check("w.yaml", source, "محمد", 6, 14);
        glyphs.check("w.yaml", source, "محمد", 22, source.len());
        let warnings = glyphs.warnings();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].message.starts_with("no bundled font has U+0645 `م`"));
        assert!(warnings[0].message.contains("and 3 more times"), "{}", warnings[0].message);
        assert_eq!(warnings[0].span.as_ref().unwrap().column, 7);
    }
}
