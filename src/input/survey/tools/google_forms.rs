//! Google Forms (the CSV download, or the linked Sheet saved as `.xlsx`):
//! `Timestamp` (the time of submission), then `Email Address` where the
//! form collects it and `Score` for a quiz, then the questions. Several
//! choices share a cell, joined by `, ` in the Sheet and by `;` in the CSV
//! download. Two questions of one title head two columns alike.

use super::{Layout, Tool, optional, required};
use crate::input::survey::columns::Columns;

register! { 2 => GoogleForms }

pub struct GoogleForms;

impl Tool for GoogleForms {
    fn key(&self) -> &'static str {
        "google-forms"
    }

    fn name(&self) -> &'static str {
        "Google Forms"
    }

    fn layout(&self) -> Layout {
        const LAYOUT: Layout = Layout {
            lead: &[required(&["Timestamp"]), optional(&["Email Address"]), optional(&["Score"])],
            tail: &[],
            anywhere: &[],
        };
        LAYOUT
    }

    /// Only the time of submission: no duration.
    fn times(&self, _columns: &Columns) -> (Option<usize>, Option<usize>) {
        (None, None)
    }

    fn separator(&self) -> &'static str {
        ", "
    }
}
