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
//! compiled templates.

pub mod diag;
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
    input: input::Options,
}

/// Why a workshop could not be processed: every problem found, and the text
/// of the files they point into.
#[derive(Debug, Default)]
pub struct Failure {
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

/// A workshop read and rendered to Typst source.
pub struct Rendered {
    pub workshop: Workshop,
    pub assets: Assets,
    pub source: String,
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
    /// Builds the stages; `templates` is a folder whose files override the
    /// built-in templates of the same name; `input` says how CSV files are
    /// read.
    pub fn new(templates: Option<&Path>, input: input::Options) -> Pipeline {
        Pipeline { renderer: Renderer::new(templates), typesetter: Typesetter::new(), input }
    }

    /// Reads, checks and renders the workshop in `dir`.
    pub fn render(&self, dir: &Path) -> Result<Rendered, Failure> {
        let loaded = input::load_with(dir, self.input);
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

    /// Reads, checks, renders and typesets the workshop in `dir`.
    pub fn build(&self, dir: &Path) -> Result<Built, Failure> {
        let rendered = self.render(dir)?;
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
        let pdf = match self.typesetter.pdf(&typeset, &workshop.id) {
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
