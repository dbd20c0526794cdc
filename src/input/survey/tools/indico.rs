//! Indico event surveys (CSV or `.xlsx`): `Submitter, Submitter Email,
//! Submission Date`, then `<Section>: <Question>` (or the question alone).
//! Several choices share a cell, joined by `; `.

use super::{Layout, Tool, optional, required};
use crate::input::survey::columns::Columns;

register! { 6 => Indico }

pub struct Indico;

impl Tool for Indico {
    fn key(&self) -> &'static str {
        "indico"
    }

    fn name(&self) -> &'static str {
        "Indico"
    }

    fn layout(&self) -> Layout {
        const LAYOUT: Layout = Layout {
            lead: &[
                required(&["Submitter"]),
                optional(&["Submitter Email"]),
                required(&["Submission Date"]),
            ],
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
        "; "
    }
}
