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

/// The most characters of a paragraph, a table cell or any text value:
/// the typesetter's work grows faster than the length of a paragraph.
pub const MAX_PARAGRAPH: usize = 65_536;

/// The most line breaks one cell or text value holds.
pub const MAX_LINES: usize = 1_000;

/// The refusal of a value of `lines` line breaks.
pub fn too_many_lines(lines: usize) -> Diagnostic {
    Diagnostic::error(
        Code::OutOfRange,
        format!(
            "a cell or value holds {lines} line breaks; a report takes up to {MAX_LINES} in one"
        ),
    )
    .hint("split the text over several rows or cells")
}

/// The most pieces of formatting (code, links, emphasis, footnotes, line
/// breaks) a paragraph holds, for the same reason.
pub const MAX_INLINES: usize = 1_000;

/// The deepest nesting of block quotes and lists in Markdown text. Deeper
/// nesting makes no sense in a report, and the typesetter gives up on it
/// somewhere above twice this.
pub const MAX_MARKDOWN_DEPTH: usize = 8;

/// The first character of `text` that cannot print as typed, and its byte
/// offset.
pub fn unprintable(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| crate::diag::unprintable(c))
}

/// Where `source` (a quoted YAML value as written) writes `c` as an escape
/// (`\e`, `\0`, `\x1b`, `\u202E`...): its byte offset and length.
pub fn escape_of(source: &str, c: char) -> Option<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let (decoded, len) = match bytes[i + 1] {
            b'0' => (Some('\0'), 2),
            b'a' => (Some('\u{7}'), 2),
            b'b' => (Some('\u{8}'), 2),
            b'e' => (Some('\u{1b}'), 2),
            b'f' => (Some('\u{c}'), 2),
            b'v' => (Some('\u{b}'), 2),
            b'x' => (hex(source.get(i + 2..i + 4)), 4),
            b'u' => (hex(source.get(i + 2..i + 6)), 6),
            b'U' => (hex(source.get(i + 2..i + 10)), 10),
            _ => (None, 2),
        };
        if decoded == Some(c) {
            return Some((i, len));
        }
        i += len;
    }
    None
}

fn hex(digits: Option<&str>) -> Option<char> {
    u32::from_str_radix(digits?, 16).ok().and_then(char::from_u32)
}

/// Refuses the characters of a file's `text` that cannot print as typed,
/// naming the first one and its place: control characters other than tab
/// and line breaks (they cannot print, and mostly come from copying text
/// out of other programs), and the bidirectional embeddings, overrides
/// and isolates (they reorder the text around them, so that what prints is
/// not what was typed). The marks U+200E and U+200F and the zero-width
/// characters are kept: they print as typed, invisibly. Refuses too a
/// character overloaded with marks (see [`overloaded`]).
pub fn check_text(text: &str) -> Result<(), Diagnostic> {
    if let Some((offset, len, d)) = overloaded(text) {
        return Err(d.at(Span::from_offset(text, offset, len)));
    }
    let Some((offset, c)) = text.char_indices().find(|&(_, c)| crate::diag::unprintable(c)) else {
        return Ok(());
    };
    let span = Span::from_offset(text, offset, c.len_utf8());
    let d = unprintable_error(c);
    // Text of a file: the character came with what was pasted into it.
    let d = if c.is_control() {
        d.hint("delete it (it is invisible in most editors; it often comes from copying text out of another program)")
    } else {
        d
    };
    Err(d.at(span))
}

/// The most code points of one grapheme cluster, a character and the
/// marks on it: Unicode's Stream-Safe Text Format (UAX #15) allows 30
/// combining marks in a row, more than any language writes on one letter.
/// The typesetter's work on a cluster grows faster than its length: a
/// letter under ten thousand marks (20 KB of "zalgo" text) takes
/// gigabytes to lay out.
pub const MAX_CLUSTER: usize = 31;

/// The first grapheme cluster of `text` longer than [`MAX_CLUSTER`] code
/// points: its byte offset and length, and its refusal.
pub fn overloaded(text: &str) -> Option<(usize, usize, Diagnostic)> {
    use unicode_segmentation::UnicodeSegmentation;
    if text.is_ascii() {
        return None;
    }
    let (offset, cluster) = text
        .grapheme_indices(true)
        .find(|(_, g)| g.len() > MAX_CLUSTER && g.chars().count() > MAX_CLUSTER)?;
    let points = cluster.chars().count();
    let first = cluster.chars().next().unwrap_or(' ');
    let d = Diagnostic::error(
        Code::CombiningMarks,
        format!(
            "the text holds a character made of {points} code points (`{}` and {} marks or joiners on it); a report prints up to {MAX_CLUSTER}",
            crate::diag::visible_line(&first.to_string()),
            points - 1
        ),
    )
    .hint("delete the extra marks: no language writes more than a few on one letter (text piled with marks cannot be laid out in bounded time)");
    Some((offset, cluster.len(), d))
}

/// Checks a value read from a cell of a spreadsheet or export: it prints
/// as typed (no control character, no overloaded character), and is not
/// too long or of too many lines to lay out. The caller says where.
pub fn check_value(text: &str) -> Result<(), Diagnostic> {
    check_printable(text)?;
    let lines = text.matches('\n').count();
    if lines > MAX_LINES {
        return Err(too_many_lines(lines));
    }
    if text.len() > MAX_PARAGRAPH && text.chars().count() > MAX_PARAGRAPH {
        return Err(too_long(text.chars().count()).hint(
            "a cell is laid out as one paragraph; split its text over several rows or cells",
        ));
    }
    Ok(())
}

/// Checks that a value prints as typed: no control character, no
/// overloaded character. The caller says where.
pub fn check_printable(text: &str) -> Result<(), Diagnostic> {
    if let Some((_, c)) = unprintable(text) {
        return Err(unprintable_error(c));
    }
    if let Some((_, _, d)) = overloaded(text) {
        return Err(d);
    }
    Ok(())
}

/// `d`, its message said of `place` ("sheet `S`, cell B2").
pub fn placed(mut d: Diagnostic, place: &str) -> Diagnostic {
    d.message = format!("{place}: {}", d.message);
    d
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

/// The first problem of Markdown `text` that would not print as typed,
/// and its byte offset in `text`: quotes and lists, or emphasis and links,
/// nested more than [`MAX_MARKDOWN_DEPTH`] deep, or a character reference
/// (`&#27;`) to a control character.
pub fn markdown_problem(text: &str) -> Option<(Diagnostic, usize)> {
    use pulldown_cmark::TagEnd;
    let (mut blocks, mut inlines) = (0usize, 0usize);
    let mut in_note = false;
    // The paragraph (or item, heading...) being read: its start, characters
    // and pieces of formatting so far.
    let (mut start, mut chars, mut pieces) = (0usize, 0usize, 0usize);
    let parser = Parser::new_ext(text, Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH);
    for (event, range) in parser.into_offset_iter() {
        match &event {
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::HtmlBlock,
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock,
            ) => {
                (start, chars, pieces) = (range.start, 0, 0);
            }
            // Raw HTML prints as the text it is: as long to lay out.
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                chars += t.chars().count()
            }
            _ => {}
        }
        if matches!(
            event,
            Event::Code(_)
                | Event::FootnoteReference(_)
                | Event::HardBreak
                | Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
        ) {
            pieces += 1;
        }
        if chars > MAX_PARAGRAPH {
            return Some((too_long(chars), start));
        }
        if pieces > MAX_INLINES {
            let d = Diagnostic::error(
                Code::OutOfRange,
                format!("a paragraph holds more than {MAX_INLINES} pieces of formatting (code, links, emphasis)"),
            )
            .hint("split it into paragraphs with blank lines");
            return Some((d, start));
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => in_note = true,
            Event::End(TagEnd::FootnoteDefinition) => in_note = false,
            Event::FootnoteReference(label) if in_note => {
                let d = Diagnostic::error(
                    Code::MarkdownTooDeep,
                    format!("a footnote refers to the footnote `[^{label}]`; a report prints footnotes one level deep"),
                )
                .hint("write what the inner note says into the outer one");
                return Some((d, range.start));
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                blocks += 1;
                if blocks > MAX_MARKDOWN_DEPTH {
                    return Some((
                        markdown_error("quotes and lists", max_depth(text, true)),
                        range.start,
                    ));
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                blocks = blocks.saturating_sub(1)
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                inlines += 1;
                if inlines > MAX_MARKDOWN_DEPTH {
                    return Some((
                        markdown_error("emphasis and links", max_depth(text, false)),
                        range.start,
                    ));
                }
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {
                inlines = inlines.saturating_sub(1);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, c)) = unprintable(&t) {
                    return Some((unprintable_error(c), range.start));
                }
            }
            _ => {}
        }
    }
    None
}

/// The refusal of a paragraph or value of `chars` characters.
pub fn too_long(chars: usize) -> Diagnostic {
    Diagnostic::error(
        Code::OutOfRange,
        format!("a paragraph of more than {MAX_PARAGRAPH} characters is too long to lay out"),
    )
    .hint(format!("split it into paragraphs (a blank line between them); this one has {chars} characters or more"))
}

/// What laying out a paragraph of `chars` characters costs, in the units
/// of the report's volume: a unit per 100 characters, and more for long
/// paragraphs, whose layout takes time growing with the square of their
/// length.
pub fn layout_units(chars: usize) -> usize {
    chars / 100 + (chars / 1000).pow(2)
}

/// The pieces of Markdown `text`, as the report's volume counts them: a
/// unit per block (paragraph, item, heading, quote) and piece of
/// formatting, and the layout units of each block's text.
pub fn markdown_volume(text: &str) -> usize {
    use pulldown_cmark::TagEnd;
    let mut units = 0;
    let mut chars = 0;
    for event in Parser::new_ext(text, Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(_) | Event::Code(_) | Event::FootnoteReference(_) | Event::HardBreak => {
                units += 1
            }
            _ => {}
        }
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                chars += t.chars().count()
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::HtmlBlock,
            ) => {
                units += layout_units(std::mem::take(&mut chars));
            }
            _ => {}
        }
    }
    units + layout_units(chars)
}

/// The deepest nesting of quotes and lists (`blocks`), or of emphasis and
/// links, in `text`.
fn max_depth(text: &str, blocks: bool) -> usize {
    use pulldown_cmark::TagEnd;
    let (mut depth, mut max) = (0usize, 0usize);
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        let (opens, closes) = match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => (blocks, false),
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => (false, blocks),
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                (!blocks, false)
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => (false, !blocks),
            _ => (false, false),
        };
        if opens {
            depth += 1;
            max = max.max(depth);
        }
        if closes {
            depth = depth.saturating_sub(1);
        }
    }
    max
}

/// The diagnostic for Markdown `what` nested `depth` deep.
fn markdown_error(what: &str, depth: usize) -> Diagnostic {
    Diagnostic::error(
        Code::MarkdownTooDeep,
        format!("the text nests {what} {depth} deep; a report prints up to {MAX_MARKDOWN_DEPTH}"),
    )
    .hint("flatten the structure: each `>`, `-`, `*` or `_` that opens inside another nests one level more")
}

/// The characters of the inputs no bundled font has, gathered over a
/// workshop: for each file and character, where it first occurs and how
/// often. Only the first few of a file are placed (the others are counted
/// and listed): the work is one pass over the text, however many distinct
/// characters it holds.
#[derive(Debug, Default)]
pub struct Glyphs {
    found: BTreeMap<String, BTreeMap<char, (Span, usize, usize)>>,
    order: usize,
}

/// The most missing characters reported per file; the rest are counted.
const MAX_GLYPH_WARNINGS: usize = 12;

impl Glyphs {
    /// Notes the characters of `value` that no font has. `value` sits in
    /// `file`, whose text is `source`, at byte `offset` (its characters are
    /// looked for there, so that the warning points at them).
    pub fn check(&mut self, file: &str, source: &str, value: &str, offset: usize, end: usize) {
        if value.chars().all(crate::fonts::covers) {
            return;
        }
        let end = end.clamp(offset.min(source.len()), source.len());
        let within = source.get(offset..end).unwrap_or("");
        // Where the value is the source's text itself, its characters are
        // where they are; else they are looked for.
        let same = within == value;
        let chars = self.found.entry(file.to_owned()).or_default();
        for (i, c) in value.char_indices().filter(|(_, c)| !crate::fonts::covers(*c)) {
            if let Some(entry) = chars.get_mut(&c) {
                entry.1 += 1;
                continue;
            }
            self.order += 1;
            let span = if chars.len() >= MAX_GLYPH_WARNINGS {
                Span { line: 0, column: 0, bytes: 0..0 }
            } else {
                let at = if same { Some(offset + i) } else { within.find(c).map(|j| offset + j) };
                Span::from_offset(source, at.unwrap_or(offset), c.len_utf8())
            };
            chars.insert(c, (span, 1, self.order));
        }
    }

    /// Notes the characters of `value` that no font has, at `span` of
    /// `file` (whose text, if kept, is `source`).
    pub fn check_at(&mut self, file: &str, source: &str, value: &str, span: Span) {
        if value.chars().all(crate::fonts::covers) {
            return;
        }
        if source.is_empty() {
            let chars = self.found.entry(file.to_owned()).or_default();
            for c in value.chars().filter(|c| !crate::fonts::covers(*c)) {
                if let Some(entry) = chars.get_mut(&c) {
                    entry.1 += 1;
                } else {
                    self.order += 1;
                    chars.insert(c, (span.clone(), 1, self.order));
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
        let mut out = Vec::new();
        for (file, chars) in self.found {
            let mut chars: Vec<(char, Span, usize, usize)> = chars
                .into_iter()
                .map(|(c, (span, count, order))| (c, span, count, order))
                .collect();
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
                    .hint("the bundled fonts cover the Latin, Greek, Cyrillic, Arabic, Hebrew and Chinese, Japanese and Korean scripts (see docs/languages.md); write the text in one of them, or remove the character"),
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
        assert!(markdown_problem("> a\n>> b\n- c\n  - d\n*a _b_ **c***").is_none());
        let deep = ">".repeat(16) + " x";
        let (d, _) = markdown_problem(&deep).unwrap();
        assert!(d.message.contains("quotes and lists 16 deep"), "{}", d.message);
        let lists: String = (0..32).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert!(markdown_problem(&lists).is_some());
        let emphasis = "*a _b ".repeat(40) + &"_ c*".repeat(40);
        let (d, _) = markdown_problem(&emphasis).unwrap();
        assert!(d.message.contains("emphasis and links"), "{}", d.message);
        let (d, _) = markdown_problem("a &#27;[31m b").unwrap();
        assert_eq!(d.code, Code::ControlCharacter);
        let (d, _) = markdown_problem("a &#x202E; b").unwrap();
        assert_eq!(d.code, Code::BidiControl);
        let long = "a, ".repeat(30_000);
        assert_eq!(markdown_problem(&long).unwrap().0.code, Code::OutOfRange);
        assert!(markdown_problem(&"a, ".repeat(20_000)).is_none());
        let spans = "`c` ".repeat(1_001);
        assert!(markdown_problem(&spans).unwrap().0.message.contains("pieces of formatting"));
        // Raw HTML is text to lay out, as long as it is.
        let html = format!("<div>\n{}\n</div>", "<b> ".repeat(20_000));
        assert_eq!(markdown_problem(&html).unwrap().0.code, Code::OutOfRange);
        assert!(markdown_volume(&html) > 500);
        let (d, _) = markdown_problem("x[^a]\n\n[^a]: see [^b]\n\n[^b]: deep").unwrap();
        assert!(d.message.contains("refers to the footnote `[^b]`"), "{}", d.message);
    }

    #[test]
    fn characters_overloaded_with_marks_are_refused() {
        let zalgo = format!("Ana Z{}algo", "\u{0301}".repeat(10_000));
        let (offset, len, d) = overloaded(&zalgo).unwrap();
        assert_eq!((offset, len), (4, 1 + 2 * 10_000));
        assert_eq!(d.code, Code::CombiningMarks);
        assert!(d.message.contains("10001 code points (`Z` and 10000 marks"), "{}", d.message);
        // Thirty marks are the stream-safe limit; Vietnamese, Arabic with
        // its vowels, a family emoji are far below it.
        assert!(overloaded(&format!("a{}", "\u{0301}".repeat(30))).is_none());
        assert!(overloaded("Nguyễn Thị Ánh · مُحَمَّد · 👨\u{200d}👩\u{200d}👧\u{200d}👦").is_none());
        assert!(check_value(&zalgo).is_err());
        assert_eq!(check_text(&format!("x\n{zalgo}")).unwrap_err().span.unwrap().line, 2);
    }

    #[test]
    fn missing_glyphs_are_counted_per_file() {
        let mut glyphs = Glyphs::default();
        // Thai: no bundled font draws it.
        let source = "name: กขกค\nother: กขกค\n";
        glyphs.check("w.yaml", source, "กขกค", 6, 18);
        glyphs.check("w.yaml", source, "กขกค", 26, source.len());
        let warnings = glyphs.warnings();
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].message.starts_with("no bundled font has U+0E01 `ก`"));
        assert!(warnings[0].message.contains("and 3 more times"), "{}", warnings[0].message);
        assert_eq!(warnings[0].span.as_ref().unwrap().column, 7);
    }
}
