//! Microsoft Forms ("Open results in Excel", or the `.xlsx` download):
//! `ID, Start time, Completion time, Email, Name` (newer exports add `Last
//! modified time`; quizzes `Total points`, `Quiz feedback`, `Grade posted
//! time` and, per question, `Points - <question>` and `Feedback -
//! <question>`), then the questions. Several choices share a cell, each
//! followed by `;`.

use super::{Layout, Tool, optional, required};
use crate::input::survey::columns::Columns;

register! { 1 => MicrosoftForms }

pub struct MicrosoftForms;

impl Tool for MicrosoftForms {
    fn key(&self) -> &'static str {
        "microsoft-forms"
    }

    fn name(&self) -> &'static str {
        "Microsoft Forms"
    }

    fn layout(&self) -> Layout {
        const LAYOUT: Layout = Layout {
            lead: &[
                required(&["ID"]),
                required(&["Start time"]),
                required(&["Completion time"]),
                optional(&["Email"]),
                optional(&["Name"]),
                optional(&["Last modified time"]),
                optional(&["Total points"]),
                optional(&["Quiz feedback"]),
                optional(&["Grade posted time"]),
            ],
            tail: &[],
            anywhere: &[],
        };
        LAYOUT
    }

    fn times(&self, columns: &Columns) -> (Option<usize>, Option<usize>) {
        (columns.find("Start time"), columns.find("Completion time"))
    }

    fn separator(&self) -> &'static str {
        ";"
    }
}
