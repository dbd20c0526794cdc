//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`) wherever a CSV file is
//! accepted, read with calamine into the same [`Table`] a CSV file gives,
//! or streamed row by row for a survey export.
//!
//! A workbook is recognised by its content (a ZIP or OLE container), not
//! its name. Cells are read as the spreadsheet shows them: text as typed,
//! numbers without float noise (15 significant digits, as spreadsheets
//! display them: `0.1` stays "0.1"), dates, times and durations as
//! dates ("2024-05-14", "2024-05-14 09:30", "09:30", "1:05:00"), formulas
//! by their cached value, `TRUE`/`FALSE`. A cell holding an error
//! (`#DIV/0!`), a date the calendar does not have, or a character that
//! cannot print is refused with its sheet and cell. A merged cell's value
//! fills its area, so that a group name merged down its rows labels each
//! of them. Hidden rows and columns are read like the others (hiding is a
//! view, and calamine does not say which are hidden); rows without a value
//! are skipped.
//!
//! A workbook from a pull request may be built to make its reader allocate
//! far more than its size: a cell at the far corner of a sheet, dimensions
//! that declare four billion rows, a row repeated a million times, a long
//! string shared by every cell. Each format's reader (one file each)
//! measures what reading will cost before anything is built: `xlsx`
//! streams the cells one at a time, never a whole range; `xls` and `ods`
//! walk the file's records first, bounding what calamine will build from
//! them. Then only the cells with a value are kept, their text counted.

mod ods;
mod xls;
mod xlsx;

use calamine::{CellErrorType, Data, DataRef, ExcelDateTime};

use crate::diag::{Code, Diagnostic};
use crate::input::tables::Table;
use crate::input::tables::csv::{MAX_COLUMNS, MAX_CSV_BYTES};

/// The most uncompressed bytes the parts of a ZIP workbook may declare:
/// a bound on what reading it can cost, whatever its compression.
const MAX_UNZIPPED: u64 = 256 << 20;

/// The most uncompressed bytes of a workbook's shared strings, which are
/// held whole while its sheet is read.
const MAX_SHARED_STRINGS: u64 = 64 << 20;

/// The most cells a table read whole may span: its rows with a value
/// times its columns. calamine builds an `.xls` or `.ods` sheet whole, so
/// their used range is bounded by it too.
pub const MAX_AREA: u64 = 4_000_000;

/// The most bytes of text the cells of a sheet may hold, as a CSV file.
pub const MAX_TEXT: u64 = MAX_CSV_BYTES;

/// The most merged areas of a sheet.
const MAX_MERGED: usize = 100_000;

/// The most columns of a survey export, whose questions may each take
/// many.
pub const MAX_EXPORT_COLUMNS: usize = 5_000;

/// Which sheet of a workbook, and which of its rows is the header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Which {
    /// The sheet's name, or its number from 1; the first sheet if `None`.
    pub sheet: Option<SheetRef>,
    /// The row (from 1) that names the columns; the first non-blank row
    /// if `None`.
    pub header_row: Option<usize>,
}

/// A sheet named by the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetRef {
    /// By its name.
    Name(String),
    /// By its position, from 1.
    Number(usize),
}

/// Where a table read from a workbook came from: for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The sheet's name.
    pub sheet: String,
    /// The 0-based column of the sheet the table's first column is in.
    pub first_column: usize,
}

impl Origin {
    /// "sheet `Registrations`, cell C17" for the cell of `row` (the sheet's
    /// row, from 1) and `column` (the table's, from 0).
    pub fn cell(&self, row: usize, column: usize) -> String {
        format!("sheet `{}`, cell {}{row}", self.sheet, column_name(self.first_column + column))
    }

    /// "sheet `Registrations`, row 17".
    pub fn row(&self, row: usize) -> String {
        format!("sheet `{}`, row {row}", self.sheet)
    }
}

/// Whether `bytes` are a workbook: a ZIP container (`.xlsx`, `.xlsm`,
/// `.ods`) or an OLE one (`.xls`).
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1])
}

/// The spreadsheet's name for the 0-based `column`: A, ..., Z, AA, ...
pub fn column_name(mut column: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// "C17": the cell of the 0-based `row` and `column`.
fn cell_name(row: u32, column: u32) -> String {
    format!("{}{}", column_name(column as usize), u64::from(row) + 1)
}

/// A row of a sheet: its number (from 1) and its cells with a value, as
/// (0-based column, text), left to right. A format's reader hands the
/// sheet's name first, as row 0 of one cell, so that the rows streamed
/// after it can be placed.
#[derive(Debug)]
pub struct Row {
    pub number: usize,
    pub cells: Vec<(usize, String)>,
}

/// A merged area: first and last row, first and last column, 0-based.
type Area = ((u32, u32), (u32, u32));

/// What a format's reader hands the rows to: `Err` stops the reading.
type Each<'a> = &'a mut dyn FnMut(Row) -> Result<(), Diagnostic>;

/// The kinds of workbook, by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xls,
    Ods,
}

/// The format of workbook `bytes`, its ZIP parts checked first against
/// [`MAX_UNZIPPED`].
fn format(bytes: &[u8]) -> Result<Format, Diagnostic> {
    if !bytes.starts_with(b"PK") {
        return Ok(Format::Xls);
    }
    let names = check_zip(bytes)?;
    if names.iter().any(|n| n == "xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if names.iter().any(|n| n == "content.xml") {
        Ok(Format::Ods)
    } else if names.iter().any(|n| n == "xl/workbook.bin") {
        Err(Diagnostic::error(
            Code::Spreadsheet,
            "the workbook is a binary Excel workbook (.xlsb), which the tool does not read",
        )
        .hint("save it from the spreadsheet as .xlsx, or export the sheet as CSV"))
    } else {
        Err(unreadable("it is a ZIP archive, but no workbook"))
    }
}

/// What a sheet is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reading {
    /// A table the report lays out: each cell is laid out whole, so a cell
    /// too long or of too many lines to lay out is refused; merged areas
    /// are read to be filled in.
    Table,
    /// A survey export, streamed: a long answer is cut where it is printed
    /// (see `survey`), so only what cannot print is refused here.
    Export,
}

/// Reads every row of the sheet `which` names, handing each to `each`; the
/// sheet's name, and its merged areas when read as a table.
fn read_rows(
    bytes: Vec<u8>,
    which: &Which,
    reading: Reading,
    each: Each,
) -> Result<(String, Vec<Area>), Diagnostic> {
    let format = format(&bytes)?;
    guarded(move || match format {
        Format::Xlsx => xlsx::rows(bytes, which, reading, each),
        Format::Xls => xls::rows(bytes, which, reading, each),
        Format::Ods => ods::rows(bytes, which, reading, each),
    })
}

/// Reads the sheet `which` names of the workbook `bytes` as a table: the
/// header row's cells name the columns, the rows below are the rows. Every
/// problem found is returned (the caller names the file).
pub fn read(bytes: Vec<u8>, which: &Which) -> Result<(Table, Origin), Vec<Diagnostic>> {
    let mut grid = Grid::default();
    let (name, merged) = read_rows(bytes, which, Reading::Table, &mut |row| match row.number {
        0 => Ok(()),
        _ => grid.add(row),
    })
    .map_err(|d| vec![d])?;
    grid.table(&name, &merged, which.header_row)
}

/// The rows of the sheet `which` names, streamed: each row as soon as it
/// is read, with its number (from 1), as wide as its last cell with a
/// value, so that a survey export of any length is held one row at a time.
/// Rows before the header (`header_row`, else the first with a value) are
/// left out. The first problem ends the stream. Merged cells are not
/// filled in. Returns the sheet's name once known.
pub fn stream(bytes: Vec<u8>, which: &Which) -> Result<(String, Stream), Diagnostic> {
    let format = format(&bytes)?;
    let (send, receive) = std::sync::mpsc::sync_channel(256);
    let (named, name) = std::sync::mpsc::sync_channel(1);
    let which = which.clone();
    std::thread::spawn(move || {
        let failed = send.clone();
        let mut started = false;
        let mut each = |row: Row| -> Result<(), Diagnostic> {
            if row.number == 0 {
                let _ =
                    named.send(row.cells.into_iter().next().map(|(_, n)| n).unwrap_or_default());
                return Ok(());
            }
            if !started {
                match which.header_row {
                    Some(h) if row.number < h => return Ok(()),
                    _ => started = true,
                }
            }
            let width = row.cells.last().map_or(0, |(c, _)| c + 1);
            let mut cells = vec![String::new(); width];
            for (c, text) in row.cells {
                cells[c] = text;
            }
            // A receiver gone has all it wanted: stop, saying nothing.
            send.send(Ok((row.number, cells))).map_err(|_| Diagnostic::error(Code::Spreadsheet, ""))
        };
        let read = guarded(|| match format {
            Format::Xlsx => xlsx::rows(bytes, &which, Reading::Export, &mut each).map(|_| ()),
            Format::Xls => xls::rows(bytes, &which, Reading::Export, &mut each).map(|_| ()),
            Format::Ods => ods::rows(bytes, &which, Reading::Export, &mut each).map(|_| ()),
        });
        if let Err(d) = read
            && !d.message.is_empty()
        {
            let _ = failed.send(Err(d));
        }
    });
    // The sheet's name comes first; a workbook that cannot be opened ends
    // the stream with its problem instead.
    let name = name.recv().unwrap_or_default();
    Ok((name, receive))
}

/// The rows of a sheet as they stream, with their numbers (from 1).
pub type Stream = std::sync::mpsc::Receiver<Result<(usize, Vec<String>), Diagnostic>>;

/// The rows of a sheet with a value, as a table is made of them.
#[derive(Debug, Default)]
struct Grid {
    rows: Vec<Row>,
    /// The leftmost and rightmost columns with a value.
    left: usize,
    right: usize,
    text: u64,
}

impl Grid {
    /// Adds a row, refusing a sheet whose rows and columns span more than
    /// [`MAX_AREA`] cells or hold more than [`MAX_TEXT`] bytes of text.
    fn add(&mut self, row: Row) -> Result<(), Diagnostic> {
        if row.cells.is_empty() {
            return Ok(());
        }
        let (first, last) = (row.cells[0].0, row.cells[row.cells.len() - 1].0);
        if self.rows.is_empty() {
            (self.left, self.right) = (first, last);
        }
        self.left = self.left.min(first);
        self.right = self.right.max(last);
        self.text += row.cells.iter().map(|(_, t)| t.len() as u64).sum::<u64>();
        self.rows.push(row);
        let width = (self.right - self.left + 1) as u64;
        let area = self.rows.len() as u64 * width;
        if width > MAX_COLUMNS as u64 {
            let last = self.rows.last().map_or(0, |r| r.number);
            return Err(Diagnostic::error(
                Code::CsvFieldCount,
                format!(
                    "the sheet's cells span {width} columns (up to {}{last}); a table the tool reads has up to {MAX_COLUMNS}",
                    column_name(self.right)
                ),
            )
            .hint("keep the columns the report needs: delete the others, or move the table to a sheet of its own"));
        }
        if area > MAX_AREA || self.text > MAX_TEXT {
            return Err(too_large(&format!(
                "{} rows and {width} columns with {} MiB of text",
                self.rows.len(),
                self.text >> 20
            )));
        }
        Ok(())
    }

    /// The table: the header row (`header_row`, else the first) names the
    /// columns; merged areas filled from their first cell.
    fn table(
        self,
        name: &str,
        merged: &[Area],
        header_row: Option<usize>,
    ) -> Result<(Table, Origin), Vec<Diagnostic>> {
        let origin = Origin { sheet: name.to_owned(), first_column: self.left };
        let width = if self.rows.is_empty() { 0 } else { self.right - self.left + 1 };
        let mut grid: Vec<(usize, Vec<String>)> = self
            .rows
            .into_iter()
            .map(|row| {
                let mut cells = vec![String::new(); width];
                for (c, text) in row.cells {
                    cells[c - self.left] = text;
                }
                (row.number, cells)
            })
            .collect();
        fill(&mut grid, merged, self.left).map_err(|d| vec![d])?;
        let header_at = match header_row {
            Some(row) => grid.iter().position(|(r, _)| *r == row).ok_or_else(|| {
                vec![
                    Diagnostic::error(
                        Code::CsvNoHeader,
                        format!("row {row} of sheet `{name}` is empty: there is no header there"),
                    )
                    .hint("`header_row:` names the row, from 1, whose cells name the columns"),
                ]
            })?,
            None if grid.is_empty() => {
                return Err(vec![
                    Diagnostic::error(Code::CsvNoHeader, format!("sheet `{name}` is empty"))
                        .hint("name the sheet that holds the table with `sheet:`"),
                ]);
            }
            None => 0,
        };
        let mut rows = grid.split_off(header_at);
        let (header_line, headers) = rows.remove(0);
        headed(headers, header_line, rows, origin)
    }
}

/// Fills each merged area of `grid` (rows of the sheet whose first column
/// is `left`) with its first cell's value. Only the rows with a value are
/// filled, and the areas together may fill no more cells than
/// [`MAX_AREA`]: an area as large as the sheet costs what the table holds.
fn fill(grid: &mut [(usize, Vec<String>)], merged: &[Area], left: usize) -> Result<(), Diagnostic> {
    let width = grid.first().map_or(0, |(_, cells)| cells.len());
    let mut filled = 0u64;
    for &((a0, b0), (a1, b1)) in merged {
        // An area written from its end to its start is the same area.
        let (r0, r1) = (a0.min(a1) as usize + 1, a0.max(a1) as usize + 1);
        let (c0, c1) = (b0.min(b1), b0.max(b1));
        // The rows are in order: found by halves, whatever their number.
        let Ok(first) = grid.binary_search_by_key(&r0, |(r, _)| *r) else { continue };
        let Some(c0) = (c0 as usize).checked_sub(left).filter(|&c| c < width) else { continue };
        let c1 = (c1 as usize).saturating_sub(left).min(width.saturating_sub(1));
        let value = grid[first].1[c0].clone();
        let end = grid.partition_point(|(r, _)| *r <= r1);
        for (_, cells) in &mut grid[first..end] {
            filled += (c1 + 1 - c0) as u64;
            if filled > MAX_AREA {
                return Err(too_large("merged areas over more cells than the sheet has"));
            }
            for cell in &mut cells[c0..=c1] {
                cell.clone_from(&value);
            }
        }
    }
    Ok(())
}

/// The table under the header `headers` (on row `header_line`): its
/// columns named, every header cell checked.
fn headed(
    mut headers: Vec<String>,
    header_line: usize,
    rows: Vec<(usize, Vec<String>)>,
    origin: Origin,
) -> Result<(Table, Origin), Vec<Diagnostic>> {
    // Columns right of the last header are left out when they are empty.
    while headers.last().is_some_and(String::is_empty)
        && rows.iter().all(|(_, cells)| cells.get(headers.len() - 1).is_none_or(String::is_empty))
    {
        headers.pop();
    }
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, h) in headers.iter().enumerate() {
        let problem = if h.is_empty() {
            Some((Code::CsvEmptyHeader, format!("{} names no column", origin.cell(header_line, i))))
        } else if !seen.insert(h.to_lowercase()) {
            Some((
                Code::CsvDuplicateHeader,
                format!("column `{h}` appears twice ({})", origin.cell(header_line, i)),
            ))
        } else {
            None
        };
        if let Some((code, message)) = problem
            && problems.len() < crate::input::tables::csv::MAX_PROBLEMS
        {
            problems.push(Diagnostic::error(code, message).hint(
                "give every column a name in the header row; if the header is further down, name its row with `header_row:`",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut table = Table {
        headers,
        rows: Vec::with_capacity(rows.len()),
        lines: Vec::with_capacity(rows.len()),
        delimiter: b',',
        origin: Some(origin.clone()),
    };
    for (line, mut cells) in rows {
        cells.resize(table.headers.len(), String::new());
        table.rows.push(cells);
        table.lines.push(line);
    }
    Ok((table, origin))
}

/// The refusal of a sheet too large to read: `what` it holds.
fn too_large(what: &str) -> Diagnostic {
    Diagnostic::error(
        Code::FileTooLarge,
        format!("the sheet holds {what}: more than a table the tool reads ({MAX_AREA} cells, {} MiB of text)", MAX_TEXT >> 20),
    )
    .hint("delete the rows and columns the report does not need (and any stray value far below or right of the table), or export the sheet as CSV")
}

thread_local! {
    /// Whether a panic on this thread is caught by [`guarded`], and so not
    /// to be printed.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read` (calamine reading a workbook from the inputs), turning a
/// panic of the reader on a damaged or hostile file into an error: the
/// tool never crashes on its inputs.
fn guarded<T>(read: impl FnOnce() -> Result<T, Diagnostic>) -> Result<T, Diagnostic> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(std::cell::Cell::get) {
                default(info);
            }
        }));
    });
    let before = GUARDED.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    GUARDED.with(|g| g.set(before));
    result.unwrap_or_else(|_| {
        Err(Diagnostic::error(Code::Spreadsheet, "the workbook is damaged: it cannot be read")
            .hint("open it in the spreadsheet and save it again, or save the sheet as CSV"))
    })
}

/// The name of the sheet `which` names among `names`.
fn pick(names: &[String], which: &Which) -> Result<String, Diagnostic> {
    let name = match &which.sheet {
        None => names.first().cloned(),
        Some(SheetRef::Number(n)) => n.checked_sub(1).and_then(|i| names.get(i).cloned()),
        Some(SheetRef::Name(wanted)) => names
            .iter()
            .find(|n| n.as_str() == wanted.trim())
            .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted.trim())))
            .cloned(),
    };
    name.ok_or_else(|| {
        let quoted: Vec<String> =
            names.iter().map(|n| format!("`{}`", crate::diag::visible_line(n))).collect();
        let what = match &which.sheet {
            Some(SheetRef::Name(n)) => format!("the workbook has no sheet `{n}`"),
            Some(SheetRef::Number(n)) => {
                format!("the workbook has no sheet {n}; it has {}", names.len())
            }
            None => "the workbook has no sheet".to_owned(),
        };
        Diagnostic::error(Code::MissingSheet, what)
            .hint(format!("its sheets are: {}", quoted.join(", ")))
    })
}

/// The refusal of a workbook its reader cannot open.
fn unreadable(e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(Code::Spreadsheet, format!("the workbook cannot be read: {e}"))
        .hint("save it again from the spreadsheet as .xlsx, .ods or .csv")
}

/// The refusal of a sheet its reader cannot read.
fn unreadable_sheet(sheet: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(Code::Spreadsheet, format!("sheet `{sheet}` cannot be read: {e}"))
        .hint("save the workbook again from the spreadsheet, or export the sheet as CSV")
}

/// Refuses a ZIP workbook whose parts declare more than [`MAX_UNZIPPED`]
/// bytes (or shared strings more than [`MAX_SHARED_STRINGS`]), before
/// anything is decompressed; the names of its parts.
fn check_zip(bytes: &[u8]) -> Result<Vec<String>, Diagnostic> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    // The central directory gives each part's size, whether or not the
    // parts repeat it after their data; the reader reads no more.
    let mut declared = 0u64;
    let mut names = Vec::with_capacity(archive.len().min(10_000));
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(unreadable)?;
        declared = declared.saturating_add(part.size());
        let name = part.name().map_err(unreadable)?.into_owned();
        if name == "xl/sharedStrings.xml" && part.size() > MAX_SHARED_STRINGS {
            return Err(Diagnostic::error(
                Code::FileTooLarge,
                format!(
                    "the workbook's shared strings unpack to more than {} MiB",
                    MAX_SHARED_STRINGS >> 20
                ),
            )
            .hint("keep the sheets the report needs, or export the sheet as CSV"));
        }
        if names.len() < 10_000 {
            names.push(name);
        }
    }
    if declared > MAX_UNZIPPED {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!("the workbook unpacks to more than {} MiB", MAX_UNZIPPED >> 20),
        )
        .hint("keep the sheets the report needs, or export the sheet as CSV"));
    }
    Ok(names)
}

/// A cell's value, however its format's reader gives it.
enum Value<'a> {
    Empty,
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(&'a ExcelDateTime),
    DateIso(&'a str),
    DurationIso(&'a str),
    Error(&'a CellErrorType),
}

impl<'a> From<&'a Data> for Value<'a> {
    fn from(data: &'a Data) -> Self {
        match data {
            Data::Empty => Value::Empty,
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::Date(d),
            Data::DateTimeIso(s) => Value::DateIso(s),
            Data::DurationIso(s) => Value::DurationIso(s),
            Data::Error(e) => Value::Error(e),
        }
    }
}

impl<'a> From<&'a DataRef<'a>> for Value<'a> {
    fn from(data: &'a DataRef<'a>) -> Self {
        match data {
            DataRef::Empty => Value::Empty,
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(d) => Value::Date(d),
            DataRef::DateTimeIso(s) => Value::DateIso(s),
            DataRef::DurationIso(s) => Value::DurationIso(s),
            DataRef::Error(e) => Value::Error(e),
        }
    }
}

/// The largest serial number of a date a spreadsheet shows: 9999-12-31.
const MAX_SERIAL: f64 = 2_958_465.0;

/// The text of the cell at `row` and `column` (0-based) of `sheet`, as the
/// spreadsheet shows it (`None` when it is empty), or why it cannot print:
/// an error value, a date the calendar does not have, a control character,
/// too long a text.
fn cell(
    sheet: &str,
    row: u32,
    column: u32,
    value: Value,
    reading: Reading,
) -> Result<Option<String>, Diagnostic> {
    let at = || format!("sheet `{sheet}`, cell {}", cell_name(row, column));
    let text = match value {
        Value::Empty => return Ok(None),
        Value::Text(s) => s.trim().to_owned(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => number(f),
        Value::Bool(b) => (if b { "TRUE" } else { "FALSE" }).to_owned(),
        Value::Date(dt) => {
            let serial = dt.as_f64();
            if !(0.0..MAX_SERIAL + 1.0).contains(&serial) {
                return Err(Diagnostic::error(
                    Code::InvalidDate,
                    format!("{} holds {}, formatted as a date but no date of the calendar (from 1900 to 9999)", at(), number(serial)),
                )
                .hint("correct the cell, or give it a number format other than a date"));
            }
            date(dt)
        }
        Value::DateIso(s) => iso_datetime(s).ok_or_else(|| {
            Diagnostic::error(
                Code::InvalidDate,
                format!(
                    "{} holds `{}`, which is not a date of the calendar",
                    at(),
                    crate::diag::visible_line(s)
                ),
            )
            .hint("correct the cell, or give it a format other than a date")
        })?,
        Value::DurationIso(s) => iso_duration(s).unwrap_or_else(|| s.to_owned()),
        Value::Error(e) => {
            return Err(Diagnostic::error(
                Code::Spreadsheet,
                format!("{} holds the error {e}", at()),
            )
            .hint("correct the formula in the spreadsheet, or clear the cell"));
        }
    };
    let checked = match reading {
        Reading::Table => crate::input::checks::text::check_value(&text),
        Reading::Export => crate::input::checks::text::check_printable(&text),
    };
    checked.map_err(|d| {
        let d = crate::input::checks::text::placed(d, &at());
        match d.code {
            Code::ControlCharacter | Code::BidiControl => d.hint(
                "delete it from the cell: it is invisible in the spreadsheet, and often comes from text copied out of another program",
            ),
            _ => d,
        }
    })?;
    Ok(Some(text).filter(|t| !t.is_empty()))
}

/// A date cell as the spreadsheet shows it: "2024-05-14", "2024-05-14
/// 09:30", "09:30", or a duration "1:05:00".
fn date(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        return duration(dt.as_f64() * 86_400.0);
    }
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    let date = format!("{y:04}-{mo:02}-{d:02}");
    let time = if s == 0 { format!("{h:02}:{mi:02}") } else { format!("{h:02}:{mi:02}:{s:02}") };
    if dt.as_f64() < 1.0 {
        time
    } else if dt.as_f64().fract() == 0.0 {
        date
    } else {
        format!("{date} {time}")
    }
}

/// A number as a spreadsheet shows it in its general format: at most 15
/// significant digits, no trailing zeros.
pub fn number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    // Rust prints large and small numbers in full; that is how they read.
    rounded.to_string()
}

/// A duration of `seconds` as "1:05:00" (hours, minutes, seconds).
fn duration(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    format!("{h}:{m:02}:{s:02}")
}

/// An ISO date-time as an ODS cell holds it, shown like an Excel one:
/// "2024-05-14T09:30:00" as "2024-05-14 09:30"; `None` if it is no date
/// of the calendar.
fn iso_datetime(s: &str) -> Option<String> {
    let (date, time) = s.split_once('T').unwrap_or((s, "00:00:00"));
    let day: jiff::civil::Date = date.parse().ok()?;
    let time = time.split('.').next().unwrap_or(time);
    let clock: jiff::civil::Time = time.parse().ok()?;
    let day = day.strftime("%Y-%m-%d").to_string();
    Some(match (clock.hour(), clock.minute(), clock.second()) {
        (0, 0, 0) => day,
        (h, m, 0) => format!("{day} {h:02}:{m:02}"),
        (h, m, s) => format!("{day} {h:02}:{m:02}:{s:02}"),
    })
}

/// An ISO duration as an ODS cell holds it ("PT01H05M00S") as "1:05:00".
fn iso_duration(s: &str) -> Option<String> {
    let rest = s.strip_prefix("PT").or_else(|| s.strip_prefix("-PT"))?;
    let mut seconds = 0.0;
    let mut number = String::new();
    for c in rest.chars() {
        match c {
            'H' => seconds += number.parse::<f64>().ok()? * 3600.0,
            'M' => seconds += number.parse::<f64>().ok()? * 60.0,
            'S' => seconds += number.parse::<f64>().ok()?,
            c => {
                number.push(c);
                continue;
            }
        }
        number.clear();
    }
    (seconds.abs() < MAX_SERIAL * 86_400.0).then(|| duration(seconds))
}

/// Gathers the cells of a sheet into rows as its reader gives them (row
/// by row, left to right), refusing rows or cells out of order (a file
/// written by hand: two cells at one place would hide one) and text past
/// the export's columns.
struct Rows<'a> {
    sheet: String,
    row: Option<u32>,
    cells: Vec<(usize, String)>,
    reading: Reading,
    each: Each<'a>,
}

impl<'a> Rows<'a> {
    fn new(sheet: &str, reading: Reading, each: Each<'a>) -> Self {
        Rows { sheet: sheet.to_owned(), row: None, cells: Vec::new(), reading, each }
    }

    /// Adds the cell at `row` and `column` (0-based) holding `value`.
    fn add(&mut self, row: u32, column: u32, value: Value) -> Result<(), Diagnostic> {
        if self.row != Some(row) {
            if self.row.is_some_and(|r| r > row) {
                return Err(self.disorder(row, column));
            }
            self.flush()?;
            self.row = Some(row);
        }
        let Some(text) = cell(&self.sheet, row, column, value, self.reading)? else {
            return Ok(());
        };
        let column = column as usize;
        if self.cells.last().is_some_and(|(c, _)| *c >= column) {
            return Err(self.disorder(row, column as u32));
        }
        if column >= MAX_EXPORT_COLUMNS {
            return Err(Diagnostic::error(
                Code::CsvFieldCount,
                format!(
                    "sheet `{}`, cell {} holds a value beyond the {MAX_EXPORT_COLUMNS} columns the tool reads",
                    self.sheet,
                    cell_name(row, column as u32)
                ),
            )
            .hint("delete the value, or keep the columns the report needs"));
        }
        self.cells.push((column, text));
        Ok(())
    }

    /// Hands the row read so far on.
    fn flush(&mut self) -> Result<(), Diagnostic> {
        let (Some(row), false) = (self.row, self.cells.is_empty()) else { return Ok(()) };
        let cells = std::mem::take(&mut self.cells);
        (self.each)(Row { number: row as usize + 1, cells })
    }

    fn disorder(&self, row: u32, column: u32) -> Diagnostic {
        Diagnostic::error(
            Code::Spreadsheet,
            format!(
                "sheet `{}` lists cell {} out of order, after another of the same place or below it",
                self.sheet,
                cell_name(row, column)
            ),
        )
        .hint("the file was not written by a spreadsheet: open it in one and save it again")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [0, 2, 25, 26, 27, 51, 52, 701, 702].map(column_name).into();
        assert_eq!(names, ["A", "C", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn numbers_read_as_a_spreadsheet_shows_them() {
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(42.0), "42");
        assert_eq!(number(1.0 / 3.0), "0.333333333333333");
        assert_eq!(number(0.7892), "0.7892");
        assert_eq!(number(-2.5), "-2.5");
    }

    #[test]
    fn ods_dates_and_durations_read_as_shown() {
        assert_eq!(iso_datetime("2024-05-14T00:00:00").as_deref(), Some("2024-05-14"));
        assert_eq!(iso_datetime("2024-05-14").as_deref(), Some("2024-05-14"));
        assert_eq!(iso_datetime("2024-05-14T09:30:00").as_deref(), Some("2024-05-14 09:30"));
        assert_eq!(iso_datetime("2024-05-14T09:30:15.5").as_deref(), Some("2024-05-14 09:30:15"));
        assert_eq!(iso_datetime("+275760-09-13T00:00:00"), None);
        assert_eq!(iso_datetime("2024-02-30"), None);
        assert_eq!(iso_duration("PT01H05M00S").as_deref(), Some("1:05:00"));
    }

    #[test]
    fn dates_beyond_the_calendar_are_refused_with_their_cell() {
        let far = ExcelDateTime::new(1e12, calamine::ExcelDateTimeType::DateTime, false);
        let err = cell("S", 1, 1, Value::Date(&far), Reading::Table).unwrap_err();
        assert_eq!(err.code, Code::InvalidDate);
        assert!(
            err.message.starts_with("sheet `S`, cell B2 holds 1000000000000"),
            "{}",
            err.message
        );
        let before = ExcelDateTime::new(-5.0, calamine::ExcelDateTimeType::DateTime, false);
        assert!(cell("S", 2, 1, Value::Date(&before), Reading::Table).is_err());
        let day = ExcelDateTime::new(45_426.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(
            cell("S", 1, 1, Value::Date(&day), Reading::Table).unwrap().as_deref(),
            Some("2024-05-14")
        );
    }

    #[test]
    fn merged_areas_fill_the_rows_with_a_value_only() {
        let mut grid = vec![
            (2, vec!["Kenya".to_owned(), "A".to_owned()]),
            (3, vec![String::new(), "B".to_owned()]),
        ];
        // A1:XFD1048576 and A2:A3, the table starting at column A.
        fill(&mut grid, &[((0, 0), (1_048_575, 16_383)), ((1, 0), (2, 0))], 0).unwrap();
        assert_eq!(grid[1].1, ["Kenya", "B"]);
        let many = vec![((1, 0), (1_048_575, 16_383)); 3_000_000];
        let mut grid = vec![(2, vec![String::new(); 2])];
        assert!(fill(&mut grid, &many, 0).is_err());
        // Written backwards (an `.xls` may), in rows and in columns.
        let mut grid = vec![
            (2, vec!["Kenya".to_owned(), "A".to_owned()]),
            (3, vec![String::new(), "B".to_owned()]),
        ];
        fill(&mut grid, &[((2, 1), (1, 0))], 0).unwrap();
        assert_eq!(grid[1].1, ["Kenya", "Kenya"]);
    }
}
