//! `.ods` workbooks (OpenDocument spreadsheets). calamine reads every sheet
//! whole when it opens such a file, and expands what the file compresses:
//! a row repeated a million times (`table:number-rows-repeated`), a cell
//! repeated across every column (`table:number-columns-repeated`), a run
//! of a billion spaces (`text:s`), each repetition a copy of the cell's
//! text. So `content.xml` is walked first, as calamine walks it (without
//! building anything), and the file refused when what calamine would build
//! is beyond a table's bounds.

use std::io::{BufReader, Cursor};

use calamine::{Ods, Reader};
use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

use super::{
    Area, Each, MAX_AREA, MAX_TEXT, Row, Rows, Which, pick, too_large, unreadable, unreadable_sheet,
};
use crate::diag::Diagnostic;

/// Hands every row of the sheet to `each`, after its name (as row 0, see
/// [`super::Row`]); the sheet's name (ODS merged
/// areas are not read: calamine does not give them).
pub(super) fn rows(
    bytes: Vec<u8>,
    which: &Which,
    each: Each,
) -> Result<(String, Vec<Area>), Diagnostic> {
    measure(&bytes)?;
    let mut book: Ods<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let name = pick(&book.sheet_names(), which)?;
    each(Row { number: 0, cells: vec![(0, name.clone())] })?;
    let range = book.worksheet_range(&name).map_err(|e| unreadable_sheet(&name, e))?;
    let mut rows = Rows::new(&name, each);
    if let Some((top, left)) = range.start() {
        for (i, row) in range.rows().enumerate() {
            for (j, value) in row.iter().enumerate() {
                rows.add(top + i as u32, left + j as u32, value.into())?;
            }
        }
    }
    rows.flush()?;
    Ok((name, Vec::new()))
}

/// calamine's caps: rows of a sheet, cells of a row.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Walks `content.xml` and refuses what calamine would build beyond the
/// bounds, for every sheet (all are read at once).
fn measure(bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let content = zip.by_name("content.xml").map_err(unreadable)?;
    let mut reader = XmlReader::from_reader(BufReader::new(content));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut total = Sheet::default();
    loop {
        match reader.read_event_into(&mut buf) {
            // calamine reads the tables that have a name.
            Ok(Event::Start(e))
                if e.name().as_ref() == "table:table"
                    && e.try_get_attribute("table:name").ok().flatten().is_some() =>
            {
                let sheet = table(&mut reader)?;
                total.cells += sheet.cells;
                total.text += sheet.text;
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(unreadable(e)),
            _ => {}
        }
        if total.cells > 3 * MAX_AREA || total.text > MAX_TEXT {
            return Err(too_large(&format!(
                "{} cells and {} MiB of text, counting its repeated rows and cells",
                total.cells,
                total.text >> 20
            )));
        }
        buf.clear();
    }
    Ok(())
}

/// What calamine builds for a sheet: cells and bytes of text.
#[derive(Debug, Default)]
struct Sheet {
    cells: u64,
    text: u64,
}

/// What a row element holds, as calamine reads it.
#[derive(Debug, Default)]
struct Measured {
    /// The cells calamine pushes for it (empty ones before a value).
    pushed: u64,
    /// The columns of its first and last cells with a value.
    first: Option<u64>,
    last: u64,
    /// The bytes of text of its cells, repetitions included.
    text: u64,
}

/// Measures a `table:table` element, read up to its end.
fn table<R: std::io::BufRead>(reader: &mut XmlReader<R>) -> Result<Sheet, Diagnostic> {
    let mut buf = Vec::new();
    let mut sheet = Sheet::default();
    let (mut rows, mut span, mut first_col, mut last_col) = (0u64, 0u64, u64::MAX, 0u64);
    // Rows since the last row with a value, and whether one was seen.
    let (mut pending, mut seen) = (0u64, false);
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == "table:table-row" => {
                let repeats = count(&e, "table:number-rows-repeated")?.min(MAX_ROWS - rows);
                rows += repeats;
                let row = row(reader)?;
                sheet.cells += row.pushed;
                sheet.text += row.text;
                if let Some(first) = row.first {
                    first_col = first_col.min(first);
                    last_col = last_col.max(row.last);
                    span += if seen { pending } else { 0 } + repeats;
                    sheet.text = sheet.text.saturating_add(row.text.saturating_mul(repeats));
                    (pending, seen) = (0, true);
                } else {
                    pending += repeats;
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table" => break,
            Ok(Event::Eof) => break,
            Err(e) => return Err(unreadable(e)),
            _ => {}
        }
        buf.clear();
        let width = if seen { last_col + 1 - first_col } else { 0 };
        let expanded = span.saturating_mul(width);
        if sheet.cells > MAX_AREA || expanded > MAX_AREA || sheet.text > MAX_TEXT {
            return Err(too_large(&format!(
                "{} cells and {} MiB of text, counting its repeated rows and cells",
                sheet.cells.max(expanded),
                sheet.text >> 20
            )));
        }
    }
    let width = if seen { last_col + 1 - first_col } else { 0 };
    sheet.cells += span * width;
    Ok(sheet)
}

/// Measures a `table:table-row` element, read up to its end.
fn row<R: std::io::BufRead>(reader: &mut XmlReader<R>) -> Result<Measured, Diagnostic> {
    let mut buf = Vec::new();
    let mut row = Measured::default();
    let mut empty = 0u64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e))
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                let repeats = count(&e, "table:number-columns-repeated")?;
                let valued = [
                    "office:value-type",
                    "office:value",
                    "office:string-value",
                    "office:date-value",
                    "office:time-value",
                    "office:boolean-value",
                    "table:formula",
                ]
                .iter()
                .any(|a| e.try_get_attribute(a).ok().flatten().is_some());
                let attributes: u64 = e.attributes().flatten().map(|a| a.value.len() as u64).sum();
                let text = attributes + content(reader)?;
                let valued = valued || text > attributes;
                let room = MAX_COLUMNS.saturating_sub(row.pushed);
                if valued {
                    let before = empty.min(room);
                    let repeats = repeats.min(room - before);
                    let at = row.pushed + before;
                    row.first.get_or_insert(at);
                    row.last = at + repeats.saturating_sub(1);
                    row.pushed += before + repeats;
                    row.text = row.text.saturating_add(text.saturating_mul(repeats));
                    empty = 0;
                } else {
                    empty = repeats.min(room);
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => break,
            Ok(Event::Eof) => break,
            Err(e) => return Err(unreadable(e)),
            _ => {}
        }
        buf.clear();
    }
    Ok(row)
}

/// The bytes of text a cell's content makes, read up to its end: its
/// text, a byte for each paragraph, tab and line break, and each run of
/// spaces `text:s` writes (`text:c` of them).
fn content<R: std::io::BufRead>(reader: &mut XmlReader<R>) -> Result<u64, Diagnostic> {
    let mut buf = Vec::new();
    let mut text = 0u64;
    let mut depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                depth += 1;
                text += match e.name().as_ref() {
                    "text:s" => count(&e, "text:c")?,
                    _ => 1,
                };
            }
            Ok(Event::End(_)) if depth == 0 => break,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Text(t)) => text += t.len() as u64,
            Ok(Event::GeneralRef(r)) => text += r.len() as u64 + 4,
            Ok(Event::Eof) => break,
            Err(e) => return Err(unreadable(e)),
            _ => {}
        }
        buf.clear();
    }
    Ok(text)
}

/// A count attribute of `e` (1 when absent; as calamine reads it, which
/// refuses what is no number).
fn count(e: &BytesStart, name: &str) -> Result<u64, Diagnostic> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => Ok(a.value.trim().parse::<u64>().unwrap_or(1)),
        _ => Ok(1),
    }
}
