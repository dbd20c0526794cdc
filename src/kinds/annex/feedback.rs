//! A feedback annex: the participants' survey, tallied. The record's
//! questions and the export or counts are read in
//! `input/sections/feedback.rs` and `input/survey/`; the figures are
//! `model/survey.rs`'s.

use serde::Serialize;

use super::{Kind, Picture};
use crate::diff::{Area, Changes, words};
use crate::input::Context;
use crate::language::terms::Term;
use crate::model::DateRange;
use crate::model::survey::Survey;

register! {
    3 => feedback: crate::input::record::Feedback
}

/// The feedback survey, tallied.
pub struct Feedback;

/// What a feedback annex prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// The introduction, Markdown; `None` when the record gives none.
    pub text: Option<String>,
    /// The survey's figures; `None` when the annex lists no questions.
    pub survey: Option<Survey>,
}

impl Kind for Feedback {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = Some("feedback_title");
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Feedback;

    fn check(feedback: &Record, cx: &mut Context, _: Option<DateRange>) -> Option<Content> {
        let text = feedback.text.clone().filter(|t| !t.trim().is_empty());
        let survey = cx.survey(feedback)?;
        Some(Content { text, survey })
    }

    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        let paragraphs = |t: &Option<String>| t.as_deref().map(words::paragraphs);
        let (ot, nt) = (paragraphs(&old.text), paragraphs(&new.text));
        crate::diff::text(
            out,
            Area::Feedback,
            place,
            &ot.unwrap_or_default(),
            &nt.unwrap_or_default(),
        );
        crate::diff::feedback::compare(out, place, old.survey.as_ref(), new.survey.as_ref());
    }

    fn volume(content: &Content) -> Option<(&'static str, usize)> {
        let survey = content.survey.as_ref()?;
        Some(("survey options and answers", crate::input::volume::survey(survey)))
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}
