//! Markdown (CommonMark) narrative text to Typst markup.
//!
//! Staff write paragraphs, emphasis, lists, links, quotes and footnotes;
//! each becomes the matching Typst function, and every text node is escaped
//! with [`escape::markup`]. Raw HTML and images are not formatting: they
//! print as the text they are.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeStream};

use super::escape;

/// Converts Markdown `text` to Typst markup.
pub fn to_typst(text: &str) -> String {
    to_typst_numbered(text, &mut 0)
}

/// Converts Markdown `text` to Typst markup, numbering the labels of its
/// footnotes from `*footnotes` on (and counting them there), so that the
/// labels of all the texts of a document differ.
///
/// A footnote prints where it is first referenced, under a label; a later
/// reference to it repeats its number (`#footnote(<label>)`). Each note
/// is written once, however often it is referenced. (A footnote that
/// refers to another is refused when the inputs are read.)
pub fn to_typst_numbered(text: &str, footnotes: &mut usize) -> String {
    let options = Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    // Text in one piece, however the parser split it (at each `[`, `<`
    // or `&`): a long word breaks only when seen whole.
    let events: Vec<Event> = TextMergeStream::new(Parser::new_ext(text, options)).collect();

    // Footnote definitions may come after their references: collect them
    // first, then place each where it is first referenced.
    let mut notes = std::collections::HashMap::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = &events[i] {
            let end = matching_end(&events, i);
            let body = Writer::default().run(&events[i + 1..end], &Notes::default());
            let note = Note { body: body.trim().to_owned(), references: 0, label: None };
            notes.insert(label.to_string(), note);
            i = end;
        }
        i += 1;
    }
    for event in &events {
        if let Event::FootnoteReference(label) = event
            && let Some(note) = notes.get_mut(label.as_ref())
        {
            note.references += 1;
        }
    }
    let notes =
        Notes { notes: std::cell::RefCell::new(notes), next: std::cell::Cell::new(*footnotes) };
    let out = Writer::default().run(&events, &notes).trim().to_owned();
    *footnotes = notes.next.get();
    out
}

/// A footnote's text, how often it is referenced, and its label once it
/// is printed (a note referenced once needs none).
struct Note {
    body: String,
    references: usize,
    label: Option<usize>,
}

/// The footnotes of a text, by their Markdown label.
#[derive(Default)]
struct Notes {
    notes: std::cell::RefCell<std::collections::HashMap<String, Note>>,
    /// The number of the next footnote label.
    next: std::cell::Cell<usize>,
}

impl Notes {
    /// The markup of a reference to the footnote `label`.
    fn reference(&self, label: &str) -> String {
        let mut notes = self.notes.borrow_mut();
        let Some(note) = notes.get_mut(label) else {
            return escape::markup(&format!("[^{label}]"));
        };
        match note.label {
            Some(n) => format!("#footnote(<footnote-{n}>)"),
            None if note.references < 2 => format!("#footnote[{}]", note.body),
            None => {
                let n = self.next.get();
                self.next.set(n + 1);
                note.label = Some(n);
                format!("#footnote[{}]<footnote-{n}>", note.body)
            }
        }
    }
}

/// The widest line of a code block, in characters: longer lines continue
/// on the next (code has no spaces to break at where it matters).
const CODE_WIDTH: usize = 88;

/// `code` with each line longer than [`CODE_WIDTH`] cut into lines of it.
fn wrap_code(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for (i, line) in code.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let chars: Vec<char> = line.chars().collect();
        for (j, chunk) in chars.chunks(CODE_WIDTH).enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.extend(chunk);
        }
    }
    out
}

/// Inline code as raw text; a long word of it may break every few
/// characters, as long words of text do (see [`escape::markup`]).
fn inline_code(code: &str) -> String {
    let long = code.split_whitespace().any(|w| w.chars().count() > escape::LONG_WORD);
    if !long {
        return format!("#raw({})", escape::string(code));
    }
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(escape::BREAK_EVERY)
        .map(|chunk| format!("#raw({})", escape::string(&chunk.iter().collect::<String>())))
        .collect::<Vec<_>>()
        .join("#box()")
}

/// The index of the event that closes the element opened at `start`.
fn matching_end(events: &[Event], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len() - 1
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Set while inside a code block, whose text is collected verbatim.
    code: Option<String>,
    /// Set while inside an image, whose alt text prints as text.
    in_image: usize,
    /// Whether a link is open (links whose target is not allowed print their
    /// text without one).
    links: Vec<bool>,
}

impl Writer {
    fn run(mut self, events: &[Event], notes: &Notes) -> String {
        let mut skip_until = None;
        for (i, event) in events.iter().enumerate() {
            if let Some(end) = skip_until {
                if i <= end {
                    continue;
                }
                skip_until = None;
            }
            if let Event::Start(Tag::FootnoteDefinition(_)) = event {
                skip_until = Some(matching_end(events, i));
                continue;
            }
            self.event(event, notes);
        }
        self.out
    }

    fn event(&mut self, event: &Event, notes: &Notes) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    let code = wrap_code(code.strip_suffix('\n').unwrap_or(&code));
                    self.out.push_str(&format!("#raw(block: true, {})\n\n", escape::string(&code)));
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => self.out.push_str(&escape::markup(t)),
            Event::Code(t) => self.out.push_str(&inline_code(t)),
            Event::Html(t) | Event::InlineHtml(t) => self.out.push_str(&escape::markup(t)),
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self.out.push_str("#line(length: 100%)\n\n"),
            Event::FootnoteReference(label) => self.out.push_str(&notes.reference(label)),
            Event::TaskListMarker(done) => {
                self.out.push_str(if *done { "☒ " } else { "☐ " });
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.out.push_str(&escape::markup(t));
            }
        }
    }

    fn start(&mut self, tag: &Tag) {
        if self.in_image > 0 {
            return;
        }
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { .. } => self.out.push_str("#block(sticky: true, strong["),
            Tag::BlockQuote(_) => self.out.push_str("#quote(block: true)["),
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::List(None) => self.out.push_str("#list("),
            Tag::List(Some(start)) => self.out.push_str(&format!("#enum(start: {start}, ")),
            Tag::Item => self.out.push('['),
            Tag::Emphasis => self.out.push_str("#emph["),
            Tag::Strong => self.out.push_str("#strong["),
            Tag::Strikethrough => self.out.push_str("#strike["),
            Tag::Link { dest_url, .. } => {
                let allowed = ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|scheme| dest_url.to_ascii_lowercase().starts_with(scheme));
                if allowed {
                    self.out.push_str(&format!("#link({})[", escape::string(dest_url)));
                }
                self.links.push(allowed);
            }
            Tag::Image { .. } => self.in_image += 1,
            // Not enabled, or not formatting: their text prints as text.
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        if let TagEnd::Image = tag {
            self.in_image -= 1;
            return;
        }
        if self.in_image > 0 {
            return;
        }
        match tag {
            TagEnd::Paragraph | TagEnd::HtmlBlock => self.out.push_str("\n\n"),
            TagEnd::Heading(_) => self.out.push_str("])\n\n"),
            TagEnd::BlockQuote(_) => self.out.push_str("]\n\n"),
            TagEnd::List(_) => {
                self.out.push_str(")\n\n");
            }
            TagEnd::Item => {
                let trimmed = self.out.trim_end().len();
                self.out.truncate(trimmed);
                self.out.push_str("], ");
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => self.out.push(']'),
            TagEnd::Link if self.links.pop().unwrap_or(false) => self.out.push(']'),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_footnote_is_written_once_however_often_it_is_referenced() {
        let mut next = 3;
        let out = to_typst_numbered("a[^n] b[^n] c[^m]\n\n[^n]: Note.\n\n[^m]: Other.", &mut next);
        assert_eq!(
            out,
            "a#footnote[Note\\.]<footnote-3> b#footnote(<footnote-3>) c#footnote[Other\\.]"
        );
        assert_eq!(next, 4);
    }

    #[test]
    fn paragraphs_emphasis_and_links() {
        assert_eq!(
            to_typst("Some *it* and **bold**.\n\nSee [the site](https://example.org)."),
            "Some #emph[it] and #strong[bold]\\.\n\nSee #link(\"https://example.org\")[the site]\\."
        );
    }

    #[test]
    fn lists_keep_their_kind_and_start() {
        assert_eq!(to_typst("- a\n- b"), "#list([a], [b], )");
        assert_eq!(to_typst("3. c\n4. d"), "#enum(start: 3, [c], [d], )");
    }

    #[test]
    fn raw_html_and_unsafe_links_print_as_text() {
        assert_eq!(to_typst("<b>x</b>"), "\\<b\\>x\\<\\/b\\>");
        assert_eq!(to_typst("[x](javascript:alert(1))"), "x");
        assert_eq!(to_typst("![logo](/etc/passwd)"), "logo");
    }

    #[test]
    fn footnotes_are_placed_where_referenced() {
        assert_eq!(to_typst("Text.[^1]\n\n[^1]: The note."), "Text\\.#footnote[The note\\.]");
    }

    #[test]
    fn code_becomes_raw_text() {
        assert_eq!(to_typst("Use `#read(\"x\")`."), "Use #raw(\"#read(\\\"x\\\")\")\\.");
    }
}
