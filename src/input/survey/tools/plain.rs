//! An export of no tool known: one column per question, and no metadata
//! the tool knows; `Start time` and `Completion time`, where it has both,
//! give the time to complete.

use super::{Layout, Tool};
use crate::input::survey::columns::Columns;

pub struct Plain;

impl Tool for Plain {
    fn key(&self) -> &'static str {
        "plain"
    }

    fn name(&self) -> &'static str {
        "a plain table"
    }

    fn layout(&self) -> Layout {
        Layout { lead: &[], tail: &[], anywhere: &[] }
    }

    fn times(&self, columns: &Columns) -> (Option<usize>, Option<usize>) {
        (columns.find("Start time"), columns.find("Completion time"))
    }

    fn separator(&self) -> &'static str {
        ";"
    }
}
