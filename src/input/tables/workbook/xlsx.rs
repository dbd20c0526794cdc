//! `.xlsx` and `.xlsm` workbooks: the sheet's cells streamed one at a time
//! by calamine's cell reader, never built into a range, so that a sheet
//! costs what its cells with a value hold, whatever the dimensions it
//! declares or how far its last cell is; a string shared by many cells is
//! borrowed, and counted for each cell that prints it.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::{Area, Each, Reading, Row, Rows, Which, guarded, pick, unreadable, unreadable_sheet};
use crate::diag::Diagnostic;

/// A workbook read from memory.
type Book = Xlsx<Cursor<Vec<u8>>>;

/// Opens the workbook and names the sheet `which` asks for.
fn open(bytes: Vec<u8>, which: &Which) -> Result<(Book, String), Diagnostic> {
    shared_strings(&bytes)?;
    let book: Xlsx<_> =
        guarded(|| calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable))?;
    let name = pick(&book.sheet_names(), which)?;
    Ok((book, name))
}

/// Hands every row of the sheet to `each`, after its name (as row 0, see
/// [`super::Row`]); the sheet's name, and its merged areas when read as a table.
pub(super) fn rows(
    bytes: Vec<u8>,
    which: &Which,
    reading: Reading,
    each: Each,
) -> Result<(String, Vec<Area>), Diagnostic> {
    let (mut book, name) = open(bytes, which)?;
    each(Row { number: 0, cells: vec![(0, name.clone())] })?;
    cells(&mut book, &name, reading, each)?;
    let areas = if reading == Reading::Table { merge_cells(&mut book, &name)? } else { Vec::new() };
    Ok((name, areas))
}

/// Refuses shared strings that declare more strings than their part could
/// hold: calamine reserves room for the number declared
/// (`uniqueCount="4294967295"` asks for 100 GB) before reading them.
fn shared_strings(bytes: &[u8]) -> Result<(), Diagnostic> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(unreadable)?;
        let name = part.name().map_err(unreadable)?.to_ascii_lowercase();
        if !name.ends_with("sharedstrings.xml") {
            continue;
        }
        // The smallest string takes a few bytes (`<si><t/></si>`).
        let most = (part.size() / 8).max(1_000);
        let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                    if e.local_name().as_ref() == "sst" =>
                {
                    // The first of that name, as calamine takes it.
                    let declared = e
                        .attributes()
                        .with_checks(false)
                        .flatten()
                        .find(|a| a.key.as_ref() == "uniqueCount")
                        .and_then(|a| a.value.trim().trim_start_matches('+').parse::<u64>().ok());
                    if declared.is_some_and(|n| n > most) {
                        return Err(unreadable(format!(
                            "its shared strings declare {} strings, more than they hold",
                            declared.unwrap_or_default()
                        )));
                    }
                    break;
                }
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
    }
    Ok(())
}

/// Streams the cells of sheet `name` into rows.
fn cells(book: &mut Book, name: &str, reading: Reading, each: Each) -> Result<(), Diagnostic> {
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| unreadable_sheet(name, e))?;
    let mut rows = Rows::new(name, reading, each);
    loop {
        let cell = match reader.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(unreadable_sheet(name, e)),
        };
        let (row, column) = cell.get_position();
        rows.add(row, column, cell.get_value().into())?;
    }
    rows.flush()
}

/// The merged areas of sheet `name`, at most [`super::MAX_MERGED`].
fn merge_cells(book: &mut Book, name: &str) -> Result<Vec<Area>, Diagnostic> {
    let merged = book.merge_cells_by_sheet_name(name).map_err(|e| unreadable_sheet(name, e))?;
    if merged.len() > super::MAX_MERGED {
        return Err(super::too_large(&format!("{} merged areas", merged.len())));
    }
    Ok(merged.into_iter().map(|d| (d.start, d.end)).collect())
}
