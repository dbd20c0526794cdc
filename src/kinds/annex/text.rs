//! A text annex: free Markdown under the annex's title (which the record
//! must give).

use serde::Serialize;

use super::{Kind, Picture};
use crate::diff::{Area, Changes, words};
use crate::input::Context;
use crate::language::terms::Term;
use crate::model::DateRange;

register! {
    #[schemars(extend("x-markdown" = true))]
    7 => text: String
}

/// Free Markdown text.
pub struct Text;

/// What a text annex prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// The annex's text, Markdown.
    pub text: String,
}

impl Kind for Text {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = None;
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Chapters;

    fn check(text: &String, _: &mut Context, _: Option<DateRange>) -> Option<Content> {
        Some(Content { text: text.clone() })
    }

    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        let (old, new) = (words::paragraphs(&old.text), words::paragraphs(&new.text));
        crate::diff::text(out, Area::Chapters, place, &old, &new);
    }

    fn volume(_: &Content) -> Option<(&'static str, usize)> {
        // Its pieces of Markdown count with the report's text.
        None
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}
