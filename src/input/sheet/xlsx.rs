//! `.xlsx` and `.xlsm` workbooks: the sheet's cells streamed one at a time
//! by calamine's cell reader, never built into a range, so that a sheet
//! costs what its cells with a value hold, whatever the dimensions it
//! declares or how far its last cell is; a string shared by many cells is
//! borrowed, and counted for each cell that prints it.

use std::io::Cursor;

use calamine::{Reader, Xlsx};

use super::{Area, Each, Row, Rows, Which, guarded, pick, unreadable, unreadable_sheet};
use crate::diag::Diagnostic;

/// A workbook read from memory.
type Book = Xlsx<Cursor<Vec<u8>>>;

/// Opens the workbook and names the sheet `which` asks for.
fn open(bytes: Vec<u8>, which: &Which) -> Result<(Book, String), Diagnostic> {
    let book: Xlsx<_> =
        guarded(|| calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable))?;
    let name = pick(&book.sheet_names(), which)?;
    Ok((book, name))
}

/// Hands every row of the sheet to `each`, after its name (as row 0, see
/// [`super::Row`]); the sheet's name, and its merged areas when `merged`.
pub(super) fn rows(
    bytes: Vec<u8>,
    which: &Which,
    merged: bool,
    each: Each,
) -> Result<(String, Vec<Area>), Diagnostic> {
    let (mut book, name) = open(bytes, which)?;
    each(Row { number: 0, cells: vec![(0, name.clone())] })?;
    cells(&mut book, &name, each)?;
    let areas = if merged { merge_cells(&mut book, &name)? } else { Vec::new() };
    Ok((name, areas))
}

/// Streams the cells of sheet `name` into rows.
fn cells(book: &mut Book, name: &str, each: Each) -> Result<(), Diagnostic> {
    let mut reader = book.worksheet_cells_reader(name).map_err(|e| unreadable_sheet(name, e))?;
    let mut rows = Rows::new(name, each);
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
