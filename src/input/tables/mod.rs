//! Tables the record names: a CSV file or a sheet of a workbook, read into
//! the same [`Table`], or streamed row by row for a survey export. Each
//! format is one file of this folder; [`Format::of`] tells them apart, for
//! tables, participant lists and exports alike.

pub mod csv;
pub mod workbook;

pub use csv::Table;

use crate::input::record::{self, Spanned};

/// A table file as the record names it: the file, and where a workbook's
/// table is or a CSV file's encoding.
#[derive(Debug, Clone, Copy)]
pub struct TableRef<'a> {
    pub file: &'a Spanned<String>,
    pub sheet: Option<&'a Spanned<record::SheetName>>,
    pub header_row: Option<&'a Spanned<u64>>,
    pub encoding: Option<&'a Spanned<String>>,
}

impl TableRef<'_> {
    /// Which sheet and header row.
    pub fn which(&self) -> workbook::Which {
        workbook::Which {
            sheet: self.sheet.map(|s| match &s.value {
                record::SheetName::Number(n) => workbook::SheetRef::Number(*n as usize),
                record::SheetName::Name(n) => workbook::SheetRef::Name(n.clone()),
            }),
            header_row: self.header_row.map(|h| h.value as usize),
        }
    }
}

/// The formats of a table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text with a delimiter: CSV, TSV, semicolons ([`csv`]).
    Csv,
    /// A workbook: `.xlsx`, `.xls` or `.ods` ([`workbook`]).
    Workbook,
}

impl Format {
    /// The format of a file that starts with `head` (its first 8 bytes
    /// suffice): told by content, whatever the file's name says.
    pub fn of(head: &[u8]) -> Format {
        if workbook::is_workbook(head) { Format::Workbook } else { Format::Csv }
    }
}
