//! What PDF/UA-1 (accessible PDF) needs of the data, checked before
//! export so that the message names the input rather than the PDF.

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::{Block, Chapter, Workshop};

/// Every picture without a text alternative: figures without `alt`, and
/// photos without `alt` or `caption`. (Logos take their organiser's name;
/// charts their data in words.)
pub fn missing_alt_text(workshop: &Workshop) -> Diagnostics {
    let mut missing = Vec::new();
    fn blocks(blocks: &[Block], missing: &mut Vec<String>) {
        let pictures = blocks.iter().flat_map(Block::pictures);
        missing.extend(pictures.filter(|p| !p.described).map(|p| p.image.path.clone()));
    }
    fn chapter(c: &Chapter, missing: &mut Vec<String>) {
        blocks(&c.body, missing);
        for p in &c.presentations {
            blocks(&p.body, missing);
            for part in &p.parts {
                blocks(&part.body, missing);
            }
        }
        for s in &c.sections {
            chapter(s, missing);
        }
    }
    for c in &workshop.chapters {
        chapter(c, &mut missing);
    }
    for annex in &workshop.annexes {
        let pictures = annex.content.pictures();
        missing.extend(pictures.iter().filter(|p| !p.described).map(|p| p.image.path.clone()));
    }
    missing
        .into_iter()
        .map(|path| {
            Diagnostic::error(
                Code::MissingAltText,
                format!("the picture `{path}` has no text alternative, which PDF/UA-1 requires"),
            )
            .hint("describe it in `alt:` (a figure) or give the photo a `caption:` or `alt:`")
        })
        .collect()
}
