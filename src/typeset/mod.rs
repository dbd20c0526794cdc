//! Stage 4, typeset: Typst source to a PDF, with the typst compiler
//! in-process.
//!
//! A [`Typesetter`] parses the embedded fonts and builds Typst's standard
//! library once; it then compiles any number of documents, on any number of
//! threads. Each compilation runs in a [`ReportWorld`] that serves exactly
//! what the tool hands it: the generated source at `/main.typ`, the fonts,
//! and the checked input images under `/assets/`. There are no packages,
//! no system fonts, no other files and no clock: the same inputs give the
//! same PDF bytes.

pub mod accessibility;

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::contract::ASSET_ROOT;
use crate::diag::{Code, Diagnostic, Diagnostics, Outcome, Severity, Sources, Span};
use crate::fonts;
use crate::model::Assets;

/// The name diagnostics give the generated source.
pub const SOURCE_NAME: &str = "<generated>/main.typ";

/// The virtual path of the generated source. Fixed, so that every
/// compilation in a process reuses the same file identifier.
static MAIN: LazyLock<FileId> = LazyLock::new(|| file_id("/main.typ"));

fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// Compiles Typst documents with the embedded fonts. Build one per process.
pub struct Typesetter {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
}

impl Default for Typesetter {
    fn default() -> Self {
        Self::new()
    }
}

/// A compiled report, ready to be exported.
pub struct Typeset {
    /// The laid-out pages.
    pub document: PagedDocument,
}

impl Typesetter {
    /// Builds the standard library and the book of the embedded fonts;
    /// a face is loaded (and a compressed font decompressed) only when a
    /// document uses it.
    pub fn new() -> Typesetter {
        let infos = fonts::faces().iter().map(|face| face.info.clone());
        Typesetter {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_infos(infos)),
        }
    }

    /// The families of the fonts offered to documents.
    pub fn families(&self) -> Vec<String> {
        self.book.families().map(|(family, _)| family.to_owned()).collect()
    }

    /// Compiles `source`, serving it the images of `assets`. The problems
    /// point into the generated source, whose text comes with them.
    pub fn compile(&self, source: &str, assets: &Assets) -> Outcome<Typeset> {
        let world = ReportWorld::new(self, source, assets);
        let result = typst::compile::<PagedDocument>(&world);
        let warnings = world.diagnostics(&result.warnings);
        let mut sources = Sources::default();
        if !warnings.is_empty() || result.output.is_err() {
            sources.insert(SOURCE_NAME, source);
        }
        match result.output {
            Ok(document) => Outcome::ok(Typeset { document }, warnings, sources),
            Err(errors) => {
                let mut diagnostics = world.diagnostics(&errors);
                diagnostics.extend(warnings);
                Outcome::failed(diagnostics, sources)
            }
        }
    }

    /// Exports a compiled report as PDF, conforming to `standards`. `ident`
    /// identifies the document stably across builds (the workshop id).
    pub fn pdf(
        &self,
        typeset: &Typeset,
        ident: &str,
        standards: &[typst_pdf::PdfStandard],
    ) -> Outcome<Vec<u8>> {
        let standards = match typst_pdf::PdfStandards::new(standards) {
            Ok(standards) => standards,
            Err(e) => {
                let d = Diagnostic::error(Code::PdfStandard, e.message().to_string())
                    .hint("these standards cannot be combined; choose one of them");
                return Outcome::failed(vec![d], Sources::default());
            }
        };
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_owned()),
            creator: Smart::Custom(Some(format!(
                "{} {}",
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION")
            ))),
            standards,
            ..PdfOptions::default()
        };
        match typst_pdf::pdf(&typeset.document, &options) {
            Ok(pdf) => Outcome::ok(pdf, Vec::new(), Sources::default()),
            Err(errors) => {
                let diagnostics = errors
                    .iter()
                    .map(|e| {
                        let hints: Vec<String> = e.hints.iter().map(|h| h.v.to_string()).collect();
                        let d = Diagnostic::error(Code::Pdf, e.message.to_string());
                        if hints.is_empty() { d } else { d.hint(hints.join("; ")) }
                    })
                    .collect();
                Outcome::failed(diagnostics, Sources::default())
            }
        }
    }
}

/// How many compilations' worth of typst's cached work a process keeps
/// with one thread compiling (one more for each further thread): an entry
/// no compilation used among the last this many is dropped. Copies of a
/// report share the work of the one before; distinct reports hold at most
/// this many reports' caches, so a batch's memory stays flat. Chosen from
/// measurements (BENCHMARKS.md, "Scale"): 1 loses the sharing of copies on
/// two threads, 4 and more only add memory.
pub const KEPT_REPORTS: usize = 2;

/// Drops what the typesetter memoised and has not used for `max_age`
/// compilations (0: all of it). Compilations share these caches: a report
/// built again, or a version of it, reuses the layout of the unchanged
/// parts, at the cost of the memory they hold.
pub fn evict(max_age: usize) {
    typst::comemo::evict(max_age);
}

/// Text laid out beyond the edges of its page, where no reader sees it: a
/// warning per page (at most a few), quoting the text. The templates keep
/// everything on the page; this says so when some data defeats them.
pub fn off_page(document: &PagedDocument) -> Diagnostics {
    use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
    fn walk(frame: &Frame, ts: Transform, size: (Abs, Abs), found: &mut Option<String>) {
        let slack = Abs::pt(1.0);
        for (pos, item) in frame.items() {
            if found.is_some() {
                return;
            }
            match item {
                FrameItem::Group(group) => {
                    let inner = ts
                        .pre_concat(Transform::translate(pos.x, pos.y))
                        .pre_concat(group.transform);
                    if group.clip.is_some() {
                        // What a clip hides, it hides on purpose; the group
                        // itself must be on the page.
                        let corner =
                            Point::new(group.frame.width(), group.frame.height()).transform(inner);
                        let origin = Point::zero().transform(inner);
                        if corner.x > size.0 + slack
                            || origin.x < -slack
                            || origin.y > size.1 + slack
                        {
                            *found = Some(String::new());
                        }
                        continue;
                    }
                    walk(&group.frame, inner, size, found);
                }
                FrameItem::Text(text) => {
                    let start = pos.transform(ts);
                    let end = Point::new(pos.x + text.width(), pos.y).transform(ts);
                    let outside = |p: Point| {
                        p.x < -slack || p.x > size.0 + slack || p.y < -slack || p.y > size.1 + slack
                    };
                    if outside(start) || outside(end) {
                        *found = Some(text.text.chars().take(40).collect());
                    }
                }
                _ => {}
            }
        }
    }
    let mut warnings = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        let mut found = None;
        let size = (page.frame.width(), page.frame.height());
        walk(&page.frame, Transform::identity(), size, &mut found);
        if let Some(text) = found {
            let quoted = if text.is_empty() { String::new() } else { format!(": “{text}…”") };
            warnings.push(
                Diagnostic::warning(Code::OffPage, format!("text runs off page {}{quoted}", i + 1))
                    .hint("some data is too long or too wide for the page; shorten it, or report it with the inputs"),
            );
            if warnings.len() >= 5 {
                break;
            }
        }
    }
    warnings
}

/// The characters laid out with no glyph (glyph id 0, which prints as an
/// empty box), each once, with the 1-based number of the first page it is
/// on, in the order found. The PDF's text layer keeps such characters, so
/// only the laid-out frames tell.
pub fn unshaped(document: &PagedDocument) -> Vec<(char, usize)> {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, page: usize, found: &mut Vec<(char, usize)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, page, found),
                FrameItem::Text(text) => {
                    for glyph in text.glyphs.iter().filter(|g| g.id == 0) {
                        let cluster = text.text.get(glyph.range()).unwrap_or_default();
                        for c in cluster.chars().filter(|c| !fonts::invisible(*c)) {
                            if !found.iter().any(|(f, _)| *f == c) {
                                found.push((c, page));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut found = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        walk(&page.frame, i + 1, &mut found);
    }
    found
}

/// Characters a bundled font has but that were laid out as empty boxes
/// all the same (the input checks warned of those no font has): a warning
/// each, at most a few.
pub fn boxes(document: &PagedDocument) -> Diagnostics {
    unshaped(document)
        .into_iter()
        .filter(|(c, _)| fonts::covers(*c))
        .take(5)
        .map(|(c, page)| {
            Diagnostic::warning(
                Code::MissingGlyph,
                format!("U+{:04X} `{c}` prints as an empty box on page {page}", c as u32),
            )
            .hint("a template asks for a font that lacks it; set a font of fonts/ (docs/languages.md)")
        })
        .collect()
}

/// The world one report is compiled in.
pub struct ReportWorld<'a> {
    typesetter: &'a Typesetter,
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl<'a> ReportWorld<'a> {
    /// A world for compiling `source`, a report's Typst source, serving the
    /// images of `assets`.
    pub fn new(typesetter: &'a Typesetter, source: &str, assets: &Assets) -> Self {
        let files = assets
            .images
            .iter()
            .map(|(path, bytes)| {
                (file_id(&format!("{ASSET_ROOT}/{path}")), Bytes::new(bytes.clone()))
            })
            .chain(assets.attachments.iter().enumerate().filter_map(|(i, a)| {
                let bytes = a.bytes.as_ref()?;
                Some((file_id(&crate::contract::attached(i)), Bytes::new(bytes.clone())))
            }))
            .collect();
        ReportWorld { typesetter, main: Source::new(*MAIN, source.to_owned()), files }
    }

    fn diagnostics(&self, errors: &[SourceDiagnostic]) -> Diagnostics {
        errors
            .iter()
            .map(|e| {
                let mut d = match e.severity {
                    typst::diag::Severity::Error => {
                        Diagnostic::error(Code::Typst, e.message.to_string())
                    }
                    typst::diag::Severity::Warning => {
                        Diagnostic::warning(Code::Typst, e.message.to_string())
                    }
                };
                if let Some(range) = self.range(e.span) {
                    d = d.in_file(SOURCE_NAME).at(Span::from_offset(
                        self.main.text(),
                        range.start,
                        range.len(),
                    ));
                }
                let hints: Vec<String> = e.hints.iter().map(|h| h.v.to_string()).collect();
                let hint = if hints.is_empty() {
                    "`workshop-report source` prints the generated source".to_owned()
                } else {
                    hints.join("; ")
                };
                if d.severity == Severity::Warning && hints.is_empty() { d } else { d.hint(hint) }
            })
            .collect()
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.typesetter.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.typesetter.book
    }

    fn main(&self) -> FileId {
        *MAIN
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == *MAIN { Ok(self.main.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == *MAIN {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts::load(index)
    }

    /// No clock: a report's dates come from its data.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use typst::layout::{Frame, FrameItem};

    use super::*;

    /// Every glyph of `frame` with the text it shapes, `(text, glyph id)`.
    /// A cluster shaped by several glyphs (a letter and its marks) gives its
    /// text with the first of them only.
    fn glyphs(frame: &Frame, out: &mut Vec<(String, u16)>) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => glyphs(&group.frame, out),
                FrameItem::Text(text) => {
                    let mut last = None;
                    for glyph in &text.glyphs {
                        let range = glyph.range();
                        let cluster = if last == Some(range.clone()) {
                            String::new()
                        } else {
                            text.text[range.clone()].to_owned()
                        };
                        last = Some(range);
                        out.push((cluster, glyph.id));
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn fonts_cover_turkish_vietnamese_and_yoruba() {
        let names = "Çağrı Öztürk, Şebnem İnce, Nguyễn Thị Minh Khai, Trần Đức Lương, \
                     Adébáyọ̀ Ọlánrewájú, Ṣẹ̀gun Ọ̀ṣun, Fọlárìn Ẹ̀kọ́";
        let typesetter = Typesetter::new();
        for style in ["", "#set text(weight: \"bold\")", "#set text(style: \"italic\")"] {
            let source = format!("#set text(font: \"Noto Sans\")\n{style}\n{names}");
            let typeset = typesetter.compile(&source, &Assets::default()).value.unwrap();
            let mut found = Vec::new();
            glyphs(&typeset.document.pages()[0].frame, &mut found);
            let missing: Vec<_> = found.iter().filter(|(_, id)| *id == 0).collect();
            assert!(missing.is_empty(), "no glyph for {missing:?} ({style})");
            let text: String = found.iter().map(|(t, _)| t.as_str()).collect();
            assert!(text.contains("Ṣẹ̀gun"), "shaped text lost characters: {text}");
        }
    }

    #[test]
    fn the_world_serves_nothing_it_was_not_given() {
        let typesetter = Typesetter::new();
        for source in
            ["#read(\"/etc/passwd\")", "#image(\"/assets/x.png\")", "#include \"/other.typ\""]
        {
            let outcome = typesetter.compile(source, &Assets::default());
            assert!(outcome.value.is_none(), "{source}");
            assert!(
                outcome.diagnostics.iter().any(|d| d.message.contains("denied")),
                "{source}: {:?}",
                outcome.diagnostics
            );
        }
    }

    /// The text `source` typesets to, without white space (line breaks
    /// and collapsed spaces are layout, not content).
    fn typeset_text(typesetter: &Typesetter, source: &str) -> String {
        let typeset = typesetter.compile(source, &Assets::default()).value.expect("it compiles");
        let mut found = Vec::new();
        for page in typeset.document.pages() {
            glyphs(&page.frame, &mut found);
        }
        let text: String = found.iter().map(|(t, _)| t.as_str()).collect();
        visible(&text)
    }

    proptest::proptest! {
        // A fixed seed: the same cases on every run, so CI cannot flake; a
        // new seed explores new ground when the alphabet changes.
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20261122),
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever a user types prints as typed: any text, escaped, is
        /// plain text to Typst. The alphabet is Typst's syntax and then
        /// some: all of ASCII, Latin, typographic punctuation, zero-width
        /// characters. (The direction marks U+200E/F are left out: they
        /// rightly reorder neighbouring punctuation on the page, so the
        /// page's order is not the typed one. Bidirectional embeddings and
        /// overrides are refused when read.)
        #[test]
        fn escaped_text_prints_as_typed(
            text in "[ -~\u{a0}-\u{24f}\u{2010}-\u{2027}\u{2030}-\u{205e}\u{200b}-\u{200d}\u{2060}\u{feff}\n]{0,80}"
        ) {
            let typesetter = TYPESETTER.get_or_init(Typesetter::new);
            let source = format!("#set page(width: 12cm, height: auto)\n{}", crate::render::escape::markup(&text));
            let printed = typeset_text(typesetter, &source);
            proptest::prop_assert_eq!(printed, visible(&text));
        }

        /// The same text in a string literal, as templates use for code.
        #[test]
        fn quoted_text_prints_as_typed(text in "[ -~\u{a0}-\u{17f}\u{200b}]{0,60}") {
            let typesetter = TYPESETTER.get_or_init(Typesetter::new);
            let source = format!("#set page(width: 12cm, height: auto)\n#{}", crate::render::escape::string(&text));
            let printed = typeset_text(typesetter, &source);
            proptest::prop_assert_eq!(printed, visible(&text));
        }
    }

    /// What of `text` shapes to glyphs: all but white space and the
    /// invisible characters (soft hyphens, zero-width spaces and joiners,
    /// direction marks, word joiners, the byte-order mark).
    fn visible(text: &str) -> String {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .filter(|c| {
                !matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
            })
            .collect()
    }

    static TYPESETTER: std::sync::OnceLock<Typesetter> = std::sync::OnceLock::new();

    #[test]
    fn families_named_to_users_are_the_embedded_ones() {
        let mut named = fonts::families();
        let mut offered = Typesetter::new().families();
        named.sort_unstable();
        offered.sort_unstable();
        assert_eq!(offered, named);
    }

    #[test]
    fn documents_have_no_clock() {
        let typesetter = Typesetter::new();
        let outcome = typesetter.compile("#datetime.today()", &Assets::default());
        assert!(outcome.value.is_none(), "datetime.today() must not read the clock");
    }
}
