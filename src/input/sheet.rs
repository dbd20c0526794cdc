//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`) wherever a CSV file is
//! accepted, read with calamine into the same [`Table`] a CSV file gives.
//!
//! A workbook is recognised by its content (a ZIP or OLE container), not
//! its name. Cells are read as the spreadsheet shows them: text as typed,
//! numbers without float noise (15 significant digits, as spreadsheets
//! display them: `0.1` stays "0.1"), dates, times and durations as
//! dates ("2024-05-14", "2024-05-14 09:30", "09:30", "1:05:00"), formulas
//! by their cached value, `TRUE`/`FALSE`; a cell holding an error
//! (`#DIV/0!`) is refused. A merged cell's value fills its whole area, so
//! that a group name merged down its rows labels each of them. Hidden rows
//! and columns are read like the others (hiding is a view, and calamine
//! does not say which are hidden); rows left entirely blank are skipped.

use calamine::{Data, Range, Reader};

use super::table::{MAX_COLUMNS, Table};
use crate::diag::{Code, Diagnostic};

/// The most uncompressed bytes the parts of a ZIP workbook may declare:
/// a bound on what reading it can cost, whatever its compression.
const MAX_UNZIPPED: u64 = 256 << 20;

/// The most cells a sheet may span (rows × columns of its used range).
pub const MAX_CELLS: u64 = 20_000_000;

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

/// Reads the sheet `which` names of the workbook `bytes` as a table: the
/// header row's cells name the columns, the rows below are the rows. Every
/// problem found is returned (the caller names the file).
pub fn read(bytes: Vec<u8>, which: &Which) -> Result<(Table, Origin), Vec<Diagnostic>> {
    let (name, range, merged) = guarded(|| open(bytes, which)).map_err(|d| vec![d])?;
    to_table(&name, &range, &merged, which.header_row, true)
}

/// As [`read`], for a survey export, whose header may leave cells blank
/// (SurveyMonkey's questions span several columns): the header row is
/// taken as it is, and rows are as wide as the sheet.
pub fn read_export(bytes: Vec<u8>, which: &Which) -> Result<(Table, Origin), Vec<Diagnostic>> {
    let (name, range, merged) = guarded(|| open(bytes, which)).map_err(|d| vec![d])?;
    to_table(&name, &range, &merged, which.header_row, false)
}

/// The sheet's name, its used cells and its merged areas (as `(first
/// row, first column, last row, last column)`, 0-based, absolute).
type Opened = (String, Range<Data>, Vec<(u32, u32, u32, u32)>);

fn open(bytes: Vec<u8>, which: &Which) -> Result<Opened, Diagnostic> {
    if bytes.starts_with(b"PK") {
        check_zip(&bytes)?;
    }
    let cursor = std::io::Cursor::new(bytes);
    let mut book = calamine::open_workbook_auto_from_rs(cursor).map_err(unreadable)?;
    let name = pick(&book.sheet_names(), which)?;
    let range = book.worksheet_range(&name).map_err(|e| unreadable_sheet(&name, e))?;
    if let (Some(start), Some(end)) = (range.start(), range.end()) {
        let cells = (u64::from(end.0 - start.0) + 1) * (u64::from(end.1 - start.1) + 1);
        if cells > MAX_CELLS {
            return Err(Diagnostic::error(
                Code::FileTooLarge,
                format!("sheet `{name}` spans {cells} cells; a sheet the tool reads has up to {MAX_CELLS}"),
            )
            .hint("delete the empty rows and columns below and right of the data, or keep the rows the report needs"));
        }
    }
    let merged = match &mut book {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let merged = merged.into_iter().map(|d| (d.start.0, d.start.1, d.end.0, d.end.1)).collect();
    Ok((name, range, merged))
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
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let what = match &which.sheet {
            Some(SheetRef::Name(n)) => format!("the workbook has no sheet `{n}`"),
            Some(SheetRef::Number(n)) => {
                format!("the workbook has no sheet {n}; it has {}", names.len())
            }
            None => "the workbook has no sheet".to_owned(),
        };
        Diagnostic::error(Code::Spreadsheet, what)
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

/// The refusal of a cell that holds an error (`#DIV/0!`).
fn cell_error(origin: &Origin, row: usize, column: usize, error: &str) -> Diagnostic {
    Diagnostic::error(
        Code::Spreadsheet,
        format!("{} holds the error {error}", origin.cell(row, column)),
    )
    .hint("correct the formula in the spreadsheet, or clear the cell")
}

/// Refuses a ZIP workbook whose parts declare more than [`MAX_UNZIPPED`]
/// bytes, before anything is decompressed.
fn check_zip(bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    // The central directory gives each part's size, whether or not the
    // parts repeat it after their data.
    let mut declared = 0u64;
    for i in 0..archive.len() {
        let size = archive.by_index_raw(i).map_err(unreadable)?.size();
        declared = declared.saturating_add(size);
    }
    if declared > MAX_UNZIPPED {
        return Err(Diagnostic::error(
            Code::FileTooLarge,
            format!("the workbook unpacks to more than {} MiB", MAX_UNZIPPED >> 20),
        )
        .hint("keep the sheets the report needs, or export the sheet as CSV"));
    }
    Ok(())
}

fn to_table(
    name: &str,
    range: &Range<Data>,
    merged: &[(u32, u32, u32, u32)],
    header_row: Option<usize>,
    strict: bool,
) -> Result<(Table, Origin), Vec<Diagnostic>> {
    let (top, left) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let origin = Origin { sheet: name.to_owned(), first_column: left };
    let width = range.width();
    if width > MAX_COLUMNS {
        return Err(vec![Diagnostic::error(
            Code::CsvFieldCount,
            format!("sheet `{name}` has {width} columns; a table the tool reads has up to {MAX_COLUMNS}"),
        )
        .hint("keep the columns the report needs")]);
    }
    // The value of each cell as shown, merged areas filled from their
    // first cell.
    let mut problems = Vec::new();
    let mut grid: Vec<(usize, Vec<String>)> = Vec::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        let sheet_row = top + i + 1;
        let mut cells = Vec::with_capacity(width);
        for (j, cell) in row.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => cells.push(text),
                Err(error) => {
                    if problems.len() < super::table::MAX_PROBLEMS {
                        problems.push(cell_error(&origin, sheet_row, j, &error));
                    }
                    cells.push(String::new());
                }
            }
        }
        grid.push((sheet_row, cells));
    }
    for &(r0, c0, r1, c1) in merged {
        let at = |r: u32, c: u32| {
            let (r, c) = ((r as usize).checked_sub(top)?, (c as usize).checked_sub(left)?);
            Some((r, c))
        };
        let Some((fr, fc)) = at(r0, c0) else { continue };
        let Some(value) = grid.get(fr).and_then(|(_, cells)| cells.get(fc)).cloned() else {
            continue;
        };
        for r in r0..=r1 {
            for c in c0..=c1 {
                if let Some((r, c)) = at(r, c)
                    && let Some(cell) = grid.get_mut(r).and_then(|(_, cells)| cells.get_mut(c))
                {
                    *cell = value.clone();
                }
            }
        }
    }
    // The header: the row the record names, else the first with text.
    let header_at = match header_row {
        Some(row) => match grid.iter().position(|(r, _)| *r == row) {
            Some(i) if grid[i].1.iter().any(|c| !c.is_empty()) => i,
            _ => {
                problems.insert(
                    0,
                    Diagnostic::error(
                        Code::CsvNoHeader,
                        format!("row {row} of sheet `{name}` is empty: there is no header there"),
                    )
                    .hint("`header_row:` names the row, from 1, whose cells name the columns"),
                );
                return Err(problems);
            }
        },
        None => match grid.iter().position(|(_, cells)| cells.iter().any(|c| !c.is_empty())) {
            Some(i) => i,
            None => {
                return Err(vec![
                    Diagnostic::error(Code::CsvNoHeader, format!("sheet `{name}` is empty"))
                        .hint("name the sheet that holds the table with `sheet:`"),
                ]);
            }
        },
    };
    let mut rows = grid.split_off(header_at);
    let (header_line, mut headers) = rows.remove(0);
    // Columns right of the last header are left out when they are empty.
    while headers.last().is_some_and(String::is_empty)
        && rows.iter().all(|(_, cells)| cells.get(headers.len() - 1).is_none_or(String::is_empty))
    {
        headers.pop();
    }
    let mut seen = std::collections::HashSet::new();
    for (i, h) in headers.iter().enumerate().filter(|_| strict) {
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
        if let Some((code, message)) = problem {
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
        origin: None,
    };
    for (line, mut cells) in rows {
        if cells.iter().all(String::is_empty) {
            continue;
        }
        cells.resize(table.headers.len(), String::new());
        table.rows.push(cells);
        table.lines.push(line);
    }
    table.origin = Some(origin.clone());
    Ok((table, origin))
}

/// Whether `bytes` are an `.xlsx` (or `.xlsm`) workbook, within the size
/// its parts may declare.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK")
        && check_zip(bytes).is_ok()
        && zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .is_ok_and(|zip| zip.file_names().any(|n| n.is_ok_and(|n| n == "xl/workbook.xml")))
}

/// The rows of a sheet of an `.xlsx` workbook, streamed: each row, with
/// its number (from 1), as soon as it is read, so that a survey export of
/// any length is held one row at a time (other formats are read whole,
/// with [`read_export`]; see [`is_xlsx`]). The first problem ends the
/// stream. Merged cells are not filled in.
pub fn stream_xlsx(bytes: Vec<u8>, which: &Which) -> Result<(String, Stream), Diagnostic> {
    let cursor = std::io::Cursor::new(bytes);
    let mut book: calamine::Xlsx<_> =
        guarded(|| calamine::open_workbook_from_rs(cursor).map_err(unreadable))?;
    let name = pick(&book.sheet_names(), which)?;
    let (send, receive) = std::sync::mpsc::sync_channel(256);
    let sheet = name.clone();
    std::thread::spawn(move || {
        let failed = send.clone();
        let streamed = guarded(|| {
            stream_rows(&mut book, &sheet, &send);
            Ok(())
        });
        if let Err(d) = streamed {
            let _ = failed.send(Err(d));
        }
    });
    Ok((name, receive))
}

/// Sends the rows of `sheet` of `book` to `send`, then ends.
fn stream_rows<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Xlsx<RS>,
    sheet: &str,
    send: &std::sync::mpsc::SyncSender<Result<(usize, Vec<String>), Diagnostic>>,
) {
    let origin = Origin { sheet: sheet.to_owned(), first_column: 0 };
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        Err(e) => {
            let _ = send.send(Err(unreadable_sheet(sheet, e)));
            return;
        }
    };
    let mut row: Vec<String> = Vec::new();
    let mut at = 0u32;
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => {
                let _ = send.send(Err(unreadable_sheet(sheet, e)));
                return;
            }
        };
        let (r, c) = cell.get_position();
        if r != at
            && !row.is_empty()
            && send.send(Ok((at as usize + 1, std::mem::take(&mut row)))).is_err()
        {
            return;
        }
        at = r;
        let c = c as usize;
        if c >= MAX_COLUMNS {
            continue;
        }
        let value = Data::from(cell.get_value().clone());
        match cell_text(&value) {
            Ok(text) => {
                if row.len() <= c {
                    row.resize(c + 1, String::new());
                }
                row[c] = text;
            }
            Err(error) => {
                let _ = send.send(Err(cell_error(&origin, r as usize + 1, c, &error)));
                return;
            }
        }
    }
    if !row.is_empty() {
        let _ = send.send(Ok((at as usize + 1, row)));
    }
}

/// The rows of a sheet as they stream, with their numbers (from 1).
pub type Stream = std::sync::mpsc::Receiver<Result<(usize, Vec<String>), Diagnostic>>;

/// A cell's text as the spreadsheet shows it, or the error it holds.
pub fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_owned(),
        Data::DateTime(dt) if dt.is_duration() => duration(dt.as_f64() * 86_400.0),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let date = format!("{y:04}-{mo:02}-{d:02}");
            let time =
                if s == 0 { format!("{h:02}:{mi:02}") } else { format!("{h:02}:{mi:02}:{s:02}") };
            if dt.as_f64() < 1.0 {
                time
            } else if dt.as_f64().fract() == 0.0 {
                date
            } else {
                format!("{date} {time}")
            }
        }
        Data::DateTimeIso(s) => iso_datetime(s),
        Data::DurationIso(s) => iso_duration(s).unwrap_or_else(|| s.clone()),
        Data::Error(e) => return Err(format!("{e:?}").to_uppercase().replace('_', "")),
    })
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
    let text = rounded.to_string();
    // Rust prints large and small numbers in full; that is how they read.
    text
}

/// A duration of `seconds` as "1:05:00" (hours, minutes, seconds).
fn duration(seconds: f64) -> String {
    let total = seconds.round() as i64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    format!("{h}:{m:02}:{s:02}")
}

/// An ISO date-time as an ODS cell holds it, shown like an Excel one:
/// "2024-05-14T09:30:00" as "2024-05-14 09:30".
fn iso_datetime(s: &str) -> String {
    let Some((date, time)) = s.split_once('T') else { return s.to_owned() };
    let time = time.split('.').next().unwrap_or(time);
    let time = time.strip_suffix(":00").filter(|t| t.len() == 5).unwrap_or(time);
    if time == "00:00" { date.to_owned() } else { format!("{date} {time}") }
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
    Some(duration(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let names: Vec<String> = [0, 2, 25, 26, 27, 51, 52, 701, 702].map(column_name).into();
        assert_eq!(names, ["A", "C", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
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
        assert_eq!(iso_datetime("2024-05-14T00:00:00"), "2024-05-14");
        assert_eq!(iso_datetime("2024-05-14T09:30:00"), "2024-05-14 09:30");
        assert_eq!(iso_datetime("2024-05-14T09:30:15"), "2024-05-14 09:30:15");
        assert_eq!(iso_duration("PT01H05M00S").as_deref(), Some("1:05:00"));
    }
}
