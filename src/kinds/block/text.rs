//! A text block: Markdown, between a body's tables and figures.

use serde::Serialize;

use super::{Block, Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::{Area, Changes, words};
use crate::input::Context;
use crate::input::record::Spanned;

register! {
    #[schemars(extend("x-markdown" = true))]
    1 => text: String
}

/// Markdown text.
pub struct Text;

/// What a text block prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// The block's text.
    pub text: String,
}

impl Kind for Text {
    type Record = Record;
    type Content = Content;
    const AREA: Area = Area::Chapters;

    fn check(
        text: &String,
        block: &Spanned<Block>,
        caption: Option<String>,
        cx: &mut Context,
    ) -> Option<Content> {
        if caption.is_some() {
            cx.error_at(
                block,
                Diagnostic::error(Code::CaptionOnText, "a text block has no caption")
                    .hint("remove `caption`, or give it to a table, figure or chart"),
            );
        }
        Some(Content { text: text.clone() })
    }

    /// Its paragraphs are compared with the text around it.
    fn compare(_: &mut Changes, _: &[String], _: &[&Content], _: &[&Content]) {}

    fn paragraphs(content: &Content) -> Vec<String> {
        words::paragraphs(&content.text)
    }

    fn volume(_: &Content) -> usize {
        // Its pieces of Markdown count with the report's text.
        0
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}
