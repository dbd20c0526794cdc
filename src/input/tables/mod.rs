//! Tables the record names: a CSV file or a sheet of a workbook, read into
//! the same [`Table`], or streamed row by row for a survey export. Each
//! format is one file of this folder; [`Format::of`] tells them apart, for
//! tables, participant lists and exports alike.

pub mod csv;
pub mod workbook;

pub use csv::Table;

use crate::diag::{Code, Diagnostic, Span};
use crate::files;
use crate::input::Context;
use crate::input::checks::text;
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

/// Reading the tables the record names, once per workshop and sheet.
impl Context {
    /// The CSV file or workbook the record names at `path` (its first sheet,
    /// header on its first row with text), read once per workshop.
    pub(crate) fn csv(&mut self, path: &Spanned<String>) -> Option<(String, Table)> {
        self.table_file(TableRef { file: path, sheet: None, header_row: None, encoding: None })
    }

    /// The table the record names: a CSV file, or a sheet of a workbook
    /// (recognised by its content). Read once per workshop for each sheet
    /// and header row.
    pub(crate) fn table_file(&mut self, at: TableRef) -> Option<(String, Table)> {
        let name = self.folder.display_name(&at.file.value);
        let which = at.which();
        let key = format!("{}\u{0}{:?}", at.file.value, which);
        if let Some(cached) = self.tables.get(&key) {
            return cached.clone().map(|t| (name, t));
        }
        let table = match self.folder.read_bytes(&at.file.value, csv::MAX_CSV_BYTES) {
            Ok(bytes) => match Format::of(&bytes) {
                Format::Workbook => {
                    self.unused_settings(Format::Workbook, &name, &at);
                    self.workbook(&name, bytes, &at, &which)
                }
                Format::Csv => {
                    self.unused_settings(Format::Csv, &name, &at);
                    self.csv_text(&name, &bytes, &at)
                }
            },
            // A problem inside the file names the file; one with the path
            // points at the record.
            Err(d) if d.file.is_some() => {
                self.error(d);
                None
            }
            Err(d) => {
                self.error_at(at.file, d);
                None
            }
        };
        self.tables.insert(key, table.clone());
        table.map(|t| (name, t))
    }

    /// Warns of the record's settings for the table at `at` that its
    /// format has no use for: a workbook's `encoding`, a CSV file's `sheet`
    /// and `header_row`.
    pub(crate) fn unused_settings(&mut self, format: Format, name: &str, at: &TableRef) {
        match format {
            Format::Workbook => {
                if let Some(e) = at.encoding {
                    let d = Diagnostic::warning(
                        Code::Spreadsheet,
                        format!("`{name}` is a workbook, whose cells say their own encoding"),
                    )
                    .hint("remove `encoding:`; it names the encoding of a CSV file");
                    self.error_at(e, d);
                }
            }
            Format::Csv => {
                if let Some(s) = at.sheet {
                    let d = Diagnostic::warning(
                        Code::Spreadsheet,
                        format!("`{name}` is a CSV file, which has no sheets"),
                    )
                    .hint("remove `sheet:`; it names a sheet of an .xlsx, .xls or .ods workbook");
                    self.error_at(s, d);
                }
                if let Some(h) = at.header_row {
                    let d = Diagnostic::warning(
                        Code::Spreadsheet,
                        format!("`header_row` is for workbooks; `{name}` is a CSV file, whose header is its first line"),
                    )
                    .hint("remove `header_row:`, or delete the lines above the header from the file");
                    self.error_at(h, d);
                }
            }
        }
    }

    /// The table of the sheet `which` of the workbook `bytes` (the file
    /// `name`).
    fn workbook(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        at: &TableRef,
        which: &workbook::Which,
    ) -> Option<Table> {
        match workbook::read(bytes, which) {
            Ok((table, _)) => {
                for row in &table.rows {
                    for cell in row {
                        self.glyphs.check(name, "", cell, 0, 0);
                    }
                }
                Some(table)
            }
            Err(problems) => {
                for mut d in problems {
                    // A sheet the workbook lacks is the record's mistake.
                    match at.sheet {
                        Some(s) if d.code == Code::MissingSheet => {
                            d.message = format!("`{name}`: {}", d.message);
                            self.error_at(s, d);
                        }
                        _ => self.error(d.in_file(name)),
                    }
                }
                None
            }
        }
    }

    /// The table of the CSV file `name` of `bytes`, decoded in its own
    /// encoding.
    fn csv_text(&mut self, name: &str, bytes: &[u8], at: &TableRef) -> Option<Table> {
        let named = match at.encoding {
            Some(e) => Some(self.encoding(e)?),
            None => None,
        };
        match crate::files::decode(bytes, named, self.options.encoding) {
            Ok((text, detected)) => {
                if let Some(w) = detected.warning(name) {
                    self.error(w);
                }
                self.parse_csv(name, text)
            }
            Err(d) => {
                self.error(d.in_file(name));
                None
            }
        }
    }

    /// The encoding the record names at `label`.
    pub(crate) fn encoding(&mut self, label: &Spanned<String>) -> Option<files::Encoding> {
        let found = files::Encoding::for_label(&label.value);
        if found.is_none() {
            let d = Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` is not an encoding the tool knows", label.value.trim()),
            )
            .hint("name it as browsers do: utf-8, windows-1252, iso-8859-15, utf-16, shift_jis, gb18030, ...");
            self.error_at(label, d);
        }
        found
    }

    /// `d`, in the file `name`, at the row of `table` that starts on
    /// `line`: that line of a CSV file; a workbook's message names its
    /// sheet and cell itself (see [`Table::place`]).
    pub(crate) fn at_row(
        &self,
        d: Diagnostic,
        name: &str,
        table: &Table,
        line: usize,
    ) -> Diagnostic {
        let d = d.in_file(name);
        match &table.origin {
            Some(_) => d,
            None => d.at(Span::line_of(self.sink.sources.get(name).unwrap_or(""), line)),
        }
    }

    /// Parses the CSV text of the file `name`.
    fn parse_csv(&mut self, name: &str, text: String) -> Option<Table> {
        // Line breaks of old Macs (CR alone) as everyone else's: one byte
        // for one, so that places in the file stay the same.
        let text = if text.contains('\r') && !text.contains('\n') {
            text.replace('\r', "\n")
        } else {
            text
        };
        self.sink.sources.insert(name, text.as_str());
        self.glyphs.check(name, &text, &text, 0, text.len());
        let parsed = text::check_text(&text)
            .map_err(|d| vec![d])
            .and_then(|()| Table::parse(&text, self.options.delimiter));
        match parsed {
            Ok(table) => Some(table),
            Err(problems) => {
                for d in problems {
                    self.error(d.in_file(name));
                }
                None
            }
        }
    }

    /// The index of the column of `table` (read from `file`) that `wanted`
    /// names, reporting it if there is none.
    pub(crate) fn column(
        &mut self,
        file: &str,
        table: &Table,
        wanted: &Spanned<String>,
    ) -> Option<usize> {
        let found = table.column(&wanted.value);
        if found.is_none() {
            self.error_at(
                wanted,
                Diagnostic::error(
                    Code::UnknownColumn,
                    format!("`{file}` has no column `{}`", wanted.value.trim()),
                )
                .hint(format!("its columns are: {}", table.headers.join(", "))),
            );
        }
        found
    }
}
