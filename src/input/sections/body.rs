//! Chapters, presentations and the blocks of their bodies, each block
//! checked by its kind (`kinds/block/<key>.rs`).

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::kinds::BlockKind;
use crate::model::{Block, Chapter, Part, Presentation};

impl Context {
    pub(crate) fn chapter(&mut self, c: &record::Chapter) -> Chapter {
        let chapter = Chapter {
            title: c.title.value.clone(),
            text: non_empty(&c.text),
            body: self.blocks(&c.body),
            presentations: c.presentations.iter().map(|p| self.presentation(p)).collect(),
            sections: c.sections.iter().map(|s| self.chapter(s)).collect(),
        };
        // Empty as written: a block left out for a problem of its own was
        // reported already.
        let empty = chapter.text.is_none()
            && c.text_file.is_none()
            && c.body.is_empty()
            && c.presentations.is_empty()
            && c.sections.is_empty();
        if empty {
            self.error_at(
                &c.title,
                Diagnostic::warning(
                    Code::EmptySection,
                    format!("`{}` has no content", c.title.value),
                )
                .hint("give it `text`, a `body`, `presentations` or `sections`, or remove it"),
            );
        }
        chapter
    }

    fn presentation(&mut self, p: &record::Presentation) -> Presentation {
        Presentation {
            title: p.title.clone(),
            speaker: p.speaker.clone(),
            text: non_empty(&p.text),
            body: self.blocks(&p.body),
            parts: p
                .parts
                .iter()
                .enumerate()
                .map(|(i, part)| Part {
                    number: crate::language::roman(i + 1),
                    title: part.title.clone(),
                    text: non_empty(&part.text),
                    body: self.blocks(&part.body),
                })
                .collect(),
        }
    }

    fn blocks(&mut self, blocks: &[Spanned<record::Block>]) -> Vec<Block> {
        blocks.iter().filter_map(|b| self.block(b)).collect()
    }

    fn block(&mut self, spanned: &Spanned<record::Block>) -> Option<Block> {
        let block = &spanned.value;
        let kinds: Vec<BlockKind> =
            BlockKind::ALL.iter().copied().filter(|k| k.given(block)).collect();
        let [kind] = kinds[..] else {
            self.error_at(spanned, crate::kinds::block::not_one_kind(kinds.len()));
            return None;
        };
        let caption = block.caption.clone().filter(|c| !c.trim().is_empty());
        if let Some(long) = caption.as_ref().filter(|c| c.chars().count() > MAX_CAPTION) {
            self.error_at(spanned, long_caption(long));
            return None;
        }
        kind.check(spanned, caption, self)
    }
}

/// The most characters of a caption, which stays with its table or
/// figure on one page.
pub(crate) const MAX_CAPTION: usize = 600;

/// The refusal of a caption too long.
pub(crate) fn long_caption(caption: &str) -> Diagnostic {
    Diagnostic::error(
        Code::OutOfRange,
        format!(
            "the caption has {} characters; a caption holds up to {MAX_CAPTION}",
            caption.chars().count()
        ),
    )
    .hint("say what the table or figure shows in a sentence or two; put the rest in a text block")
}

/// The most columns a table has before its words no longer fit.
pub(crate) const WIDE_TABLE: usize = 10;

/// The warning for a table of `columns` columns.
pub(crate) fn wide_table(columns: usize) -> Diagnostic {
    Diagnostic::warning(
        Code::WideTable,
        format!("the table has {columns} columns; on a page, words in columns this narrow break or overlap"),
    )
    .hint(format!("print at most {WIDE_TABLE}: pick them with `columns:`, or split the table"))
}

/// "1 cell", "2 cells".
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn non_empty(text: &Option<String>) -> Option<String> {
    text.clone().filter(|t| !t.trim().is_empty())
}
