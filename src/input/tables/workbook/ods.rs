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
    Area, Each, MAX_AREA, MAX_TEXT, Reading, Row, Rows, Which, pick, too_large, unreadable,
    unreadable_sheet,
};
use crate::diag::Diagnostic;

/// Hands every row of the sheet to `each`, after its name (as row 0, see
/// [`super::Row`]); the sheet's name (ODS merged
/// areas are not read: calamine does not give them).
pub(super) fn rows(
    bytes: Vec<u8>,
    which: &Which,
    reading: Reading,
    each: Each,
) -> Result<(String, Vec<Area>), Diagnostic> {
    measure(&bytes)?;
    let mut book: Ods<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let name = pick(&book.sheet_names(), which)?;
    each(Row { number: 0, cells: vec![(0, name.clone())] })?;
    let range = book.worksheet_range(&name).map_err(|e| unreadable_sheet(&name, e))?;
    let mut rows = Rows::new(&name, reading, each);
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

/// A reader of `content.xml`, set as calamine sets its own.
type Xml<'a> = XmlReader<BufReader<zip::read::ZipFile<'a, Cursor<&'a [u8]>>>>;

/// Walks `content.xml` as calamine does (the same XML reader, the same
/// settings, the same elements looked for) and refuses what calamine would
/// build beyond the bounds, for every sheet (all are read at once).
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
        match reader.read_event_into(&mut buf).map_err(unreadable)? {
            // calamine reads the tables that have a name.
            Event::Start(e)
                if e.name().as_ref() == "table:table" && attr(&e, "table:name")?.is_some() =>
            {
                let sheet = table(&mut reader)?;
                total.cells += sheet.cells;
                total.text += sheet.text;
            }
            Event::Eof => break,
            _ => {}
        }
        if total.cells > 3 * MAX_AREA || total.text > MAX_TEXT {
            return Err(measured(total.cells, total.text));
        }
        buf.clear();
    }
    Ok(())
}

fn measured(cells: u64, text: u64) -> Diagnostic {
    too_large(&format!(
        "{cells} cells and {} MiB of text, counting its repeated rows and cells",
        text >> 20
    ))
}

/// An attribute of `e`, raw, as calamine finds it: the first of that
/// name; a malformed attribute before it is an error.
fn attr<'e>(e: &'e BytesStart, name: &str) -> Result<Option<&'e str>, Diagnostic> {
    let raw = e.attributes_raw();
    let (bytes, mut pos) = (raw.as_bytes(), 0);
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= bytes.len() {
            return Ok(None);
        }
        let key_start = pos;
        while pos < bytes.len() && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= bytes.len() {
            return Err(unreadable("an attribute has no value"));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => return Err(unreadable("an attribute's value is not quoted")),
        };
        pos += 1;
        let start = pos;
        while pos < bytes.len() && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        pos += 1;
        if key == name {
            return Ok(Some(value));
        }
    }
}

/// A count attribute of `e`, unescaped (`&#49;0` is 10), as the greater of
/// the ways calamine may read it; 1 when absent or no number.
fn count(e: &BytesStart, name: &str) -> Result<u64, Diagnostic> {
    let Some(raw) = attr(e, name)? else { return Ok(1) };
    let unescaped = quick_xml::escape::unescape(raw).map_err(unreadable)?;
    let parse = |v: &str| v.trim().parse::<u64>().ok();
    Ok(parse(raw).max(parse(&unescaped)).unwrap_or(1))
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

/// Measures a `table:table` element, read as calamine reads it: every
/// row start up to the table's end.
fn table(reader: &mut Xml) -> Result<Sheet, Diagnostic> {
    let mut buf = Vec::new();
    let mut sheet = Sheet::default();
    let (mut rows, mut span, mut first_col, mut last_col) = (0u64, 0u64, u64::MAX, 0u64);
    // Rows since the last row with a value, and whether one was seen.
    let (mut pending, mut seen) = (0u64, false);
    loop {
        match reader.read_event_into(&mut buf).map_err(unreadable)? {
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
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
            Event::End(e) if e.name().as_ref() == "table:table" => break,
            // calamine would wait for the table's end for ever.
            Event::Eof => return Err(unreadable("a table is not closed")),
            _ => {}
        }
        buf.clear();
        let width = if seen { last_col + 1 - first_col } else { 0 };
        let expanded = span.saturating_mul(width);
        if sheet.cells > MAX_AREA || expanded > MAX_AREA || sheet.text > MAX_TEXT {
            return Err(measured(sheet.cells.max(expanded), sheet.text));
        }
    }
    let width = if seen { last_col + 1 - first_col } else { 0 };
    sheet.cells += span * width;
    Ok(sheet)
}

/// Measures a `table:table-row` element, read as calamine reads it: its
/// cells up to the row's end.
fn row(reader: &mut Xml) -> Result<Measured, Diagnostic> {
    let mut buf = Vec::new();
    let mut row = Measured::default();
    let mut empty = 0u64;
    loop {
        match reader.read_event_into(&mut buf).map_err(unreadable)? {
            Event::Start(e)
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                let repeats = count(&e, "table:number-columns-repeated")?;
                let (valued, text) = cell(reader, &e)?;
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
            Event::End(e) if e.name().as_ref() == "table:table-row" => break,
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(row)
}

/// Whether a cell (its start `e`) holds a value, and the bytes of text it
/// makes, its content read as calamine reads it: a text cell up to the
/// first end of a cell, at any depth; another skipped to its own end.
fn cell(reader: &mut Xml, e: &BytesStart) -> Result<(bool, u64), Diagnostic> {
    const VALUES: [&str; 5] = [
        "office:value",
        "office:string-value",
        "office:date-value",
        "office:time-value",
        "office:boolean-value",
    ];
    let mut attributes = 0u64;
    let mut set = false;
    for name in VALUES.iter().chain(&["table:formula"]) {
        if let Some(v) = attr(e, name)? {
            set |= VALUES.contains(name);
            attributes += quick_xml::escape::unescape(v).map_or(v.len(), |u| u.len()) as u64;
        }
    }
    let string = attr(e, "office:value-type")? == Some("string");
    let error = attr(e, "calcext:value-type")? == Some("error");
    if (string && !set) || error {
        return Ok((true, attributes + text(reader)?));
    }
    skip(reader, e.name().as_ref())?;
    Ok((set || string || attributes > 0, attributes))
}

/// The bytes of a text cell's content, read up to the first end of a
/// cell: its text, a byte for each paragraph, tab and line break, and
/// each run of spaces `text:s` writes (`text:c` of them). An annotation
/// is skipped to its end, which must come.
fn text(reader: &mut Xml) -> Result<u64, Diagnostic> {
    let mut buf = Vec::new();
    let mut text = 0u64;
    loop {
        match reader.read_event_into(&mut buf).map_err(unreadable)? {
            Event::Text(t) => text += t.len() as u64,
            Event::GeneralRef(r) => text += r.len() as u64 + 4,
            Event::End(e)
                if matches!(e.name().as_ref(), "table:table-cell" | "table:covered-table-cell") =>
            {
                return Ok(text);
            }
            Event::Start(e) if e.name().as_ref() == "office:annotation" => {
                skip(reader, "office:annotation")?;
            }
            Event::Start(e) => {
                text = text.saturating_add(match e.name().as_ref() {
                    "text:s" => count(&e, "text:c")?,
                    _ => 1,
                });
            }
            // calamine would stop here with an error.
            Event::Eof => return Ok(text),
            _ => {}
        }
        buf.clear();
        if text > MAX_TEXT {
            return Ok(text);
        }
    }
}

/// Reads up to the end of the element `name` just started (nested ones of
/// that name counted, as the XML reader does); its end must come.
fn skip(reader: &mut Xml, name: &str) -> Result<(), Diagnostic> {
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        match reader.read_event_into(&mut buf).map_err(unreadable)? {
            Event::Start(e) if e.name().as_ref() == name => depth += 1,
            Event::End(e) if e.name().as_ref() == name => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
            }
            Event::Eof => return Err(unreadable(format!("an element `{name}` is not closed"))),
            _ => {}
        }
        buf.clear();
    }
}
