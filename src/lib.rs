//! workshop-report turns plain data about a workshop (a YAML record, CSV
//! lists and images in a folder) into its final report as a PDF.
//!
//! The pipeline, one module per stage (see `ARCHITECTURE.md`):
//!
//! ```text
//! input ──▶ model ──▶ render ──▶ typeset ──▶ output
//! folder    Workshop  Typst src  PDF bytes   file on disk
//! ```
//!
//! [`Pipeline`] strings the stages together for one workshop at a time and
//! holds what is worth sharing between workshops: the parsed fonts and the
//! compiled templates. [`diff`] compares two versions of a workshop: their
//! models, and their laid-out pages.

#![warn(missing_docs)]

pub mod base;
pub mod diff;
pub mod input;
pub mod kinds;
pub mod model;
pub mod output;
pub mod render;
pub mod typeset;

pub use base::{contract, diag, files, fonts, language, shown};

use std::path::Path;

use diag::{Diagnostics, Outcome, Sources};
use model::{Assets, Workshop};
use render::Renderer;
use typeset::Typesetter;

/// The stages, ready to process any number of workshops.
pub struct Pipeline {
    renderer: Renderer,
    typesetter: Typesetter,
    settings: Settings,
    /// The hash of what every report shares (version, settings, templates,
    /// fonts), computed once.
    shared: std::sync::OnceLock<[u8; 32]>,
}

/// How a pipeline reads, renders and exports.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// A folder whose files override the built-in templates of the same name.
    pub templates: Option<std::path::PathBuf>,
    /// How CSV files are read.
    pub input: input::Options,
    /// The PDF standards to conform to (PDF/A-2b, PDF/UA-1, ...).
    pub standards: Vec<typst_pdf::PdfStandard>,
    /// How many threads compile reports at once (0 counts as 1): typst's
    /// cached work of the last reports is kept, one more for each thread
    /// (`typeset::KEPT_REPORTS`).
    pub workers: usize,
}

/// A workshop read, checked and rendered to Typst source.
#[derive(Debug)]
pub struct Rendered {
    /// The workshop, checked.
    pub workshop: Workshop,
    /// The pictures it prints.
    pub assets: Assets,
    /// The Typst source of its report.
    pub source: String,
}

/// A workshop's report laid out in pages, not yet exported.
pub struct Compiled {
    /// The workshop, checked.
    pub workshop: Workshop,
    /// The pictures it prints.
    pub assets: Assets,
    /// The laid-out pages.
    pub typeset: typeset::Typeset,
}

/// A workshop's finished report.
#[derive(Debug)]
pub struct Built {
    /// The workshop's id (its folder name), which names the PDF.
    pub id: String,
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// The number of pages.
    pub pages: usize,
}

impl Pipeline {
    /// Builds the stages, parsing the fonts once.
    pub fn new(settings: Settings) -> Pipeline {
        Pipeline {
            renderer: Renderer::new(settings.templates.as_deref()),
            typesetter: Typesetter::new(),
            settings,
            shared: std::sync::OnceLock::new(),
        }
    }

    /// Reloads the templates (after an override changed on disk).
    pub fn reload_templates(&mut self) {
        self.renderer = Renderer::new(self.settings.templates.as_deref());
        self.shared = std::sync::OnceLock::new();
    }

    /// The SHA-256 of everything the report of a workshop is made from:
    /// the files read for it (its record, the files the record names, the
    /// organisation's branding), the templates, the fonts, the tool's
    /// version and these settings. Other files of the folder play no part.
    pub fn fingerprint(&self, read: &input::Read) -> String {
        use sha2::Digest;
        let shared = self.shared.get_or_init(|| {
            let mut hasher = sha2::Sha256::new();
            hasher
                .update(concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).as_bytes());
            hasher.update(
                format!("{:?}{:?}", self.settings.input, self.settings.standards).as_bytes(),
            );
            for (name, text) in self.renderer.templates() {
                hasher.update(name.as_bytes());
                hasher.update(text.as_bytes());
            }
            // The fonts, by what they are (their index changes with them),
            // and the built-in words of each language.
            hasher.update(fonts::INDEX_JSON.as_bytes());
            for (tag, text) in language::terms::BUILT_IN {
                hasher.update(tag.as_bytes());
                hasher.update(text.as_bytes());
            }
            hasher.finalize().into()
        });
        let mut hasher = sha2::Sha256::new();
        hasher.update(shared);
        for (name, digest) in &read.files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(digest);
        }
        contract::hex(&hasher.finalize())
    }

    /// Reads and checks the workshop in `dir` (stage 1).
    pub fn load(&self, dir: &Path) -> Outcome<input::Read> {
        input::load_with(dir, self.settings.input.clone())
    }

    /// Renders a workshop read (stage 3).
    pub fn render(&self, read: input::Read) -> Outcome<Rendered> {
        let input::Read { workshop, assets, .. } = read;
        self.renderer.render(&workshop).map(|source| Rendered { workshop, assets, source })
    }

    /// Renders and typesets a workshop read (stages 3 and 4): the laid-out
    /// pages, before export. Problems of the generated source point at the
    /// template lines that wrote it.
    pub fn compile(&self, read: input::Read) -> Outcome<Compiled> {
        self.render(read).then(|Rendered { workshop, assets, source }| {
            let mut typeset = self.typesetter.compile(&source, &assets);
            if !typeset.diagnostics.is_empty() {
                let (diagnostics, sources) = (
                    std::mem::take(&mut typeset.diagnostics),
                    std::mem::take(&mut typeset.sources),
                );
                let (diagnostics, sources) = self.in_templates(&workshop, diagnostics, sources);
                typeset.diagnostics = diagnostics;
                typeset.sources = sources;
            }
            if let Some(laid_out) = &typeset.value {
                typeset.diagnostics.extend(typeset::off_page(&laid_out.document));
                typeset.diagnostics.extend(typeset::boxes(&laid_out.document));
            }
            // A font that could not be loaded would print its text as boxes.
            let unloaded = fonts::failures();
            if !unloaded.is_empty() {
                typeset.value = None;
                typeset.diagnostics.extend(unloaded.into_iter().map(|why| {
                    diag::Diagnostic::error(
                        diag::Code::OutOfMemory,
                        format!("a bundled font could not be loaded ({why})"),
                    )
                    .hint("the machine is short of memory: build fewer workshops at once (`--jobs`), or raise `--memory-limit`")
                }));
            }
            // What the last few reports laid out stays cached, for copies
            // and near-copies; older work goes, so a batch's memory stays
            // flat however many reports it builds.
            typeset::evict(typeset::KEPT_REPORTS + self.settings.workers.max(1) - 1);
            typeset.map(|typeset| Compiled { workshop, assets, typeset })
        })
    }

    /// Renders, typesets and exports a workshop read.
    pub fn build(&self, read: input::Read) -> Outcome<Built> {
        self.compile(read).then(|compiled| self.export(compiled))
    }

    /// Exports a laid-out report as a PDF (in the standards of the
    /// settings).
    pub fn export(&self, compiled: Compiled) -> Outcome<Built> {
        let Compiled { workshop, typeset, .. } = compiled;
        if self.settings.standards.contains(&typst_pdf::PdfStandard::Ua_1) {
            let missing = typeset::accessibility::missing_alt_text(&workshop);
            if !missing.is_empty() {
                return Outcome::failed(missing, Sources::default());
            }
        }
        let pages = typeset.document.pages().len();
        self.typesetter.pdf(&typeset, &workshop.id, &self.settings.standards).map(|pdf| Built {
            id: workshop.id,
            pdf,
            pages,
        })
    }

    /// Points diagnostics of the generated source at the template lines
    /// that produced them (a user's override, or a built-in template),
    /// keeping the generated line in the hint. The templates are rendered
    /// with their lines marked once, whatever the number of diagnostics.
    fn in_templates(
        &self,
        workshop: &Workshop,
        diagnostics: Diagnostics,
        mut sources: Sources,
    ) -> (Diagnostics, Sources) {
        let generated = |d: &diag::Diagnostic| d.file.as_deref() == Some(typeset::SOURCE_NAME);
        if !diagnostics.iter().any(|d| generated(d) && d.span.is_some()) {
            return (diagnostics, sources);
        }
        let marks = self.renderer.marks(workshop);
        let diagnostics = diagnostics
            .into_iter()
            .map(|mut d| {
                let Some(span) = d.span.clone().filter(|_| generated(&d)) else { return d };
                let Some((name, text, line)) = marks.as_ref().and_then(|m| m.locate(span.line))
                else {
                    return d;
                };
                let note = format!(
                    "the template wrote line {} of the generated source (`workshop-report source`)",
                    span.line
                );
                d.hint = Some(match d.hint.take() {
                    Some(hint) if !hint.contains("workshop-report source") => {
                        format!("{hint}; {note}")
                    }
                    _ => note,
                });
                d.span = Some(diag::Span::line_of(&text, line));
                d.file = Some(name.clone());
                sources.insert(name, text);
                d
            })
            .collect();
        (diagnostics, sources)
    }
}
