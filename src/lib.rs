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
    /// `--attach-sources`: the PDF carries the files it was built from,
    /// each up to this many bytes (larger ones are listed, not carried).
    /// `None`: only when the organisation's branding asks for it, with
    /// [`DEFAULT_ATTACH_LIMIT`].
    pub attach: Option<u64>,
    /// How many threads compile reports at once (0 counts as 1): typst's
    /// cached work of the last reports is kept, one more for each thread
    /// (`typeset::KEPT_REPORTS`).
    pub workers: usize,
}

/// The largest file a report carries by default (`--attach-limit`).
pub const DEFAULT_ATTACH_LIMIT: u64 = 8 << 20;

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
                format!(
                    "{:?}{:?}{:?}",
                    self.settings.input, self.settings.standards, self.settings.attach
                )
                .as_bytes(),
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
        self.renderer.render(&workshop).map(|mut source| {
            if !assets.attachments.is_empty() {
                source.push_str(&render::attach::source(&assets.attachments));
            }
            Rendered { workshop, assets, source }
        })
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

    /// Renders, typesets and exports a workshop read; its PDF carries the
    /// files it was built from when the settings or the organisation's
    /// branding ask for it ([`Pipeline::attach`]).
    pub fn build(&self, read: input::Read) -> Outcome<Built> {
        self.attach(read).then(|read| self.compile(read)).then(|compiled| self.export(compiled))
    }

    /// Gathers the files a report is to carry, when `--attach-sources` or
    /// the organisation's `attach_sources: true` asks for it: the files
    /// read for it, the template overrides, and `manifest.json`.
    pub fn attach(&self, mut read: input::Read) -> Outcome<input::Read> {
        let attach = match self.settings.attach {
            Some(limit) => Some(limit),
            None => read.workshop.branding.attach_sources.then_some(DEFAULT_ATTACH_LIMIT),
        };
        let Some(limit) = attach else { return Outcome::ok(read, Vec::new(), Sources::default()) };
        if self.settings.standards.contains(&typst_pdf::PdfStandard::A_2b) {
            let d = diag::Diagnostic::error(
                diag::Code::PdfStandard,
                "PDF/A-2b cannot carry attached files",
            )
            .hint(
                "leave out `--pdf-standard a-2b`: a report with its sources attached is PDF/A-3b",
            );
            return Outcome::failed(vec![d], Sources::default());
        }
        let templates = self.settings.templates.as_deref();
        let gathered = input::sources::gather(&read.dir, &read.files, templates, limit);
        gathered.map(|mut attachments| {
            attachments.push(self.manifest(&read, &attachments, limit));
            read.assets.attachments = attachments;
            read
        })
    }

    /// The standards a report is exported in: those asked for, and
    /// PDF/A-3b when it carries files.
    fn standards(&self, attached: bool) -> Vec<typst_pdf::PdfStandard> {
        let mut standards = self.settings.standards.clone();
        if attached && !standards.contains(&typst_pdf::PdfStandard::A_3b) {
            standards.push(typst_pdf::PdfStandard::A_3b);
        }
        standards
    }

    /// `manifest.json`, the last file a report carries: each file's digest,
    /// and what else decides the PDF's bytes.
    fn manifest(
        &self,
        read: &input::Read,
        attachments: &[model::attachments::Attachment],
        limit: u64,
    ) -> model::attachments::Attachment {
        use model::attachments as a;
        use sha2::Digest;
        let mut templates = sha2::Sha256::new();
        for (name, text) in self.renderer.templates() {
            templates.update(name.as_bytes());
            templates.update([0]);
            templates.update(text.as_bytes());
        }
        let standard = |s: &typst_pdf::PdfStandard| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let manifest = a::Manifest {
            format: a::MANIFEST_FORMAT.to_owned(),
            workshop: read.workshop.id.clone(),
            tool: a::Tool {
                name: env!("CARGO_PKG_NAME").to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
                build: env!("WORKSHOP_REPORT_BUILD").to_owned(),
            },
            typst: env!("WORKSHOP_REPORT_TYPST").to_owned(),
            settings: a::Settings {
                standards: self.standards(true).iter().map(standard).collect(),
                attach_limit: limit,
                templates_sha256: contract::hex(&templates.finalize()),
                templates_overridden: self.settings.templates.is_some(),
                encoding: self.settings.input.encoding.map(|e| e.name().to_owned()),
                delimiter: self.settings.input.delimiter.map(|d| (d as char).to_string()),
            },
            timestamps: "the PDF's dates are the report's publication date from the record, never the time it was built: the same files build the same bytes".to_owned(),
            files: attachments
                .iter()
                .map(|f| a::Listed {
                    path: f.name.clone(),
                    sha256: f.sha256.clone(),
                    size: f.size,
                    relationship: f.relationship,
                    mime: f.mime.to_owned(),
                    attached: f.bytes.is_some(),
                })
                .collect(),
        };
        let mut text = shown::json(&manifest);
        text.push('\n');
        let mut attachment = a::Attachment::new("manifest.json".to_owned(), text.into_bytes());
        attachment.relationship = a::Relationship::Data;
        attachment
    }

    /// Exports a laid-out report as a PDF (in the standards of the
    /// settings).
    pub fn export(&self, compiled: Compiled) -> Outcome<Built> {
        let Compiled { workshop, typeset, assets } = compiled;
        let nothing_attached = assets.attachments.is_empty();
        if self.settings.standards.contains(&typst_pdf::PdfStandard::Ua_1) {
            let missing = typeset::accessibility::missing_alt_text(&workshop);
            if !missing.is_empty() {
                return Outcome::failed(missing, Sources::default());
            }
        }
        let pages = typeset.document.pages().len();
        let standards = self.standards(!nothing_attached);
        self.typesetter.pdf(&typeset, &workshop.id, &standards).map(|pdf| Built {
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
