//! Markdown text kept in files: `text_file: chapters/background.md` (and
//! `description_file:`) wherever the record takes Markdown. Each file is
//! read as every other file the record names (inside the workshop folder,
//! size-checked, UTF-8), checked as text in the record is (control
//! characters, nesting, characters no font has), with diagnostics at its
//! own lines and columns, and its content then stands in the record as if
//! written inline: later stages, and `diff`, see the text itself.

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic, Span};
use crate::input::Context;
use crate::input::checks::text;
use crate::input::record;

/// The largest Markdown file read, in bytes.
const MAX_MARKDOWN_BYTES: u64 = 1 << 20;

impl Context {
    /// Puts the content of every Markdown file `record` names in place of
    /// its name.
    pub(crate) fn inline_markdown_files(&mut self, record: &mut record::Record) {
        for o in &mut record.organisers {
            self.inline(&mut o.description, &o.description_file, "description");
        }
        for n in record.notices.iter_mut().map(|n| &mut n.value) {
            self.inline(&mut n.text, &n.text_file, "text");
        }
        for chapter in &mut record.chapters {
            self.inline_chapter(chapter);
        }
        for annex in record.annexes.iter_mut().map(|a| &mut a.value) {
            self.inline(&mut annex.text, &annex.text_file, "text");
            if let Some(f) = &mut annex.feedback {
                self.inline(&mut f.text, &f.text_file, "text");
            }
            if let Some(agenda) = &mut annex.agenda {
                for session in agenda.days.iter_mut().flat_map(|d| &mut d.sessions) {
                    self.inline(&mut session.description, &session.description_file, "description");
                }
                for addition in agenda.add.iter_mut().map(|a| &mut a.value) {
                    self.inline(
                        &mut addition.description,
                        &addition.description_file,
                        "description",
                    );
                }
            }
        }
    }

    fn inline_chapter(&mut self, chapter: &mut record::Chapter) {
        self.inline(&mut chapter.text, &chapter.text_file, "text");
        self.inline_body(&mut chapter.body);
        for p in &mut chapter.presentations {
            self.inline(&mut p.text, &p.text_file, "text");
            self.inline_body(&mut p.body);
            for part in &mut p.parts {
                self.inline(&mut part.text, &part.text_file, "text");
                self.inline_body(&mut part.body);
            }
        }
        for section in &mut chapter.sections {
            self.inline_chapter(section);
        }
    }

    fn inline_body(&mut self, body: &mut [Spanned<record::Block>]) {
        for block in body {
            let block = &mut block.value;
            self.inline(&mut block.text, &block.text_file, "text");
        }
    }

    /// Sets `text` (the field `field`) to the content of `file`, if given.
    fn inline(&mut self, text: &mut Option<String>, file: &Option<Spanned<String>>, field: &str) {
        let Some(file) = file else { return };
        if text.is_some() {
            self.error_at(
                file,
                Diagnostic::error(
                    Code::ConflictingFields,
                    format!("both `{field}` and `{field}_file` are given"),
                )
                .hint(format!("keep one: `{field}:` for text in the record, `{field}_file:` for a Markdown file")),
            );
            return;
        }
        // A file that cannot be read is reported where it is named; the
        // field then counts as given, so that no "empty" warning repeats it.
        *text = Some(self.markdown_file(file).unwrap_or_default());
    }

    /// The Markdown text of the file the record names at `path`, checked.
    fn markdown_file(&mut self, path: &Spanned<String>) -> Option<String> {
        let name = self.folder.display_name(&path.value);
        let text = match self.folder.read_text(&path.value, MAX_MARKDOWN_BYTES) {
            Ok(text) => text,
            Err(d) if d.file.is_some() => {
                self.error(d.hint("save the Markdown file as UTF-8 text"));
                return None;
            }
            Err(d) => {
                self.error_at(path, d.hint("name a Markdown file of the workshop folder, e.g. `chapters/background.md`"));
                return None;
            }
        };
        // Line breaks of Windows as everyone else's.
        self.sink.sources.insert(&name, text.as_str());
        if let Err(d) = text::check_text(&text) {
            self.error(d.in_file(&name));
            return None;
        }
        if let Some((d, offset)) = text::markdown_problem(&text) {
            self.error(d.in_file(&name).at(Span::from_offset(&text, offset, 1)));
            return None;
        }
        self.markdown_volume += text::markdown_volume(&text);
        self.glyphs.check(&name, &text, &text, 0, text.len());
        Some(text)
    }
}
