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

mod accessibility;
pub mod diag;
pub mod diff;
pub mod fonts;
pub mod input;
pub mod model;
pub mod output;
pub mod render;
pub mod typeset;

use std::path::Path;

use diag::{Diagnostics, Sources};
use model::{Assets, Workshop};
use render::Renderer;
use typeset::Typesetter;

impl Pipeline {
    /// Points diagnostics of the generated source at the template lines
    /// that produced them (a user's override, or a built-in template),
    /// keeping the generated line in the hint.
    fn in_templates(
        &self,
        workshop: &Workshop,
        diagnostics: Diagnostics,
        sources: &mut Sources,
    ) -> Diagnostics {
        diagnostics
            .into_iter()
            .map(|mut d| {
                let generated = d.file.as_deref() == Some(typeset::SOURCE_NAME);
                let Some(span) = d.span.clone().filter(|_| generated) else { return d };
                let Some((name, text, line)) = self.renderer.locate(workshop, span.line) else {
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
            .collect()
    }
}

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
}

/// Why a workshop could not be processed: every problem found, and the text
/// of the files they point into.
#[derive(Debug, Default)]
pub struct Failure {
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// A workshop read and rendered to Typst source.
#[derive(Debug)]
pub struct Rendered {
    pub workshop: Workshop,
    pub assets: Assets,
    pub source: String,
    pub warnings: Diagnostics,
    pub sources: Sources,
}

/// A workshop's report laid out in pages, not yet exported.
pub struct Compiled {
    pub workshop: Workshop,
    pub assets: Assets,
    pub typeset: typeset::Typeset,
    pub warnings: Diagnostics,
    pub sources: Sources,
}

/// A workshop's finished report.
pub struct Built {
    /// The workshop's id (its folder name), which names the PDF.
    pub id: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub warnings: Diagnostics,
    pub sources: Sources,
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
    pub fn fingerprint(&self, loaded: &input::Loaded) -> String {
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
            for (name, bytes) in fonts::FILES {
                hasher.update(name.as_bytes());
                hasher.update(bytes);
            }
            hasher.finalize().into()
        });
        let mut hasher = sha2::Sha256::new();
        hasher.update(shared);
        for (name, digest) in &loaded.files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(digest);
        }
        output::manifest::hex(&hasher.finalize())
    }

    /// Reads and checks the workshop in `dir` (stage 1).
    pub fn load(&self, dir: &Path) -> input::Loaded {
        input::load_with(dir, self.settings.input)
    }

    /// Reads, checks and renders the workshop in `dir`.
    pub fn render(&self, dir: &Path) -> Result<Rendered, Failure> {
        self.render_loaded(self.load(dir))
    }

    /// Renders a workshop already read.
    pub fn render_loaded(&self, loaded: input::Loaded) -> Result<Rendered, Failure> {
        let (mut sources, warnings) = (loaded.sources, loaded.diagnostics);
        let Some((workshop, assets)) = loaded.workshop else {
            return Err(Failure { diagnostics: warnings, sources });
        };
        match self.renderer.render(&workshop) {
            Ok(source) => Ok(Rendered { workshop, assets, source, warnings, sources }),
            Err(e) => {
                sources.extend(e.sources);
                let mut diagnostics = warnings;
                diagnostics.push(e.diagnostic);
                Err(Failure { diagnostics, sources })
            }
        }
    }

    /// Reads, checks, renders and typesets the workshop in `dir`: the
    /// laid-out pages, before export.
    pub fn compile(&self, dir: &Path) -> Result<Compiled, Failure> {
        self.compile_loaded(self.load(dir))
    }

    /// Renders and typesets a workshop already read.
    pub fn compile_loaded(&self, loaded: input::Loaded) -> Result<Compiled, Failure> {
        let rendered = self.render_loaded(loaded)?;
        let Rendered { workshop, assets, source, mut warnings, mut sources } = rendered;
        let typeset = match self.typesetter.compile(&source, &assets) {
            Ok(t) => t,
            Err(e) => {
                let mut diagnostics = warnings;
                diagnostics.extend(self.in_templates(&workshop, e.diagnostics, &mut sources));
                sources.extend(e.sources);
                return Err(Failure { diagnostics, sources });
            }
        };
        if !typeset.warnings.is_empty() {
            sources.insert(typeset::SOURCE_NAME, source.as_str());
            warnings.extend(self.in_templates(&workshop, typeset.warnings.clone(), &mut sources));
        }
        warnings.extend(typeset::off_page(&typeset.document));
        Ok(Compiled { workshop, assets, typeset, warnings, sources })
    }

    /// Reads, checks, renders and typesets the workshop in `dir`.
    pub fn build(&self, dir: &Path) -> Result<Built, Failure> {
        self.build_loaded(self.load(dir))
    }

    /// Renders, typesets and exports a workshop already read.
    pub fn build_loaded(&self, loaded: input::Loaded) -> Result<Built, Failure> {
        let Compiled { workshop, typeset, mut warnings, sources, .. } =
            self.compile_loaded(loaded)?;
        if self.settings.standards.contains(&typst_pdf::PdfStandard::Ua_1) {
            let missing = accessibility::missing_alt_text(&workshop);
            if !missing.is_empty() {
                warnings.extend(missing);
                return Err(Failure { diagnostics: warnings, sources });
            }
        }
        let pdf = match self.typesetter.pdf(&typeset, &workshop.id, &self.settings.standards) {
            Ok(pdf) => pdf,
            Err(e) => {
                warnings.extend(e.diagnostics);
                return Err(Failure { diagnostics: warnings, sources });
            }
        };
        let pages = typeset.document.pages().len();
        Ok(Built { id: workshop.id, pdf, pages, warnings, sources })
    }
}
