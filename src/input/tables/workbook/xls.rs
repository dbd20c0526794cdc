//! `.xls` workbooks (BIFF5 and BIFF8 in an OLE compound file). calamine
//! reads every sheet whole when it opens such a file, trusting what the
//! records declare: dimensions it reserves room for, cell positions it
//! builds a range to span, a shared string it copies into every cell that
//! names it, formulas whose text it builds. So the workbook stream is
//! taken out of the compound file (read by the `cfb` crate, which checks
//! its structure), walked record by record as calamine walks it (without
//! building anything), and refused when what calamine would build is
//! beyond a table's bounds; calamine then reads a compound file made anew
//! of that stream alone, its formulas' text left out (the tool reads
//! values, never formulas): what calamine reads is what was measured.

use std::io::{Cursor, Read};

use calamine::{Reader, Xls};

use super::{
    Area, Each, MAX_AREA, MAX_TEXT, Reading, Row, Rows, Which, pick, too_large, unreadable,
    unreadable_sheet,
};
use crate::diag::Diagnostic;

/// Hands every row of the sheet to `each`, after its name (as row 0, see
/// [`super::Row`]); the sheet's name, and its
/// merged areas when read as a table.
pub(super) fn rows(
    bytes: Vec<u8>,
    which: &Which,
    reading: Reading,
    each: Each,
) -> Result<(String, Vec<Area>), Diagnostic> {
    let bytes = measured(&bytes)?;
    let mut book: Xls<_> =
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
    let areas = match reading {
        Reading::Table => {
            book.merge_cells_by_sheet_name(&name).map_err(|e| unreadable_sheet(&name, e))?
        }
        Reading::Export => Vec::new(),
    };
    if areas.len() > super::MAX_MERGED {
        return Err(too_large(&format!("{} merged areas", areas.len())));
    }
    Ok((name, areas.into_iter().map(|d| (d.start, d.end)).collect()))
}

/// The most CONTINUE records after one record: calamine takes them one at
/// a time from the front of a list, which costs the square of their
/// number.
const MAX_CONTINUES: usize = 16_384;

/// The workbook `bytes` measured, made anew for calamine: a compound file
/// of its workbook stream alone (the one calamine would read: `Workbook`,
/// else `Book`, in any case), its formulas emptied.
fn measured(bytes: &[u8]) -> Result<Vec<u8>, Diagnostic> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(unreadable)?;
    let named = |name: &str| {
        file.read_root_storage()
            .find(|e| e.is_stream() && e.name().eq_ignore_ascii_case(name))
            .map(|e| e.path().to_path_buf())
    };
    let Some(path) = named("Workbook").or_else(|| named("Book")) else {
        return Err(unreadable("it holds no workbook stream"));
    };
    let mut stream = Vec::new();
    file.open_stream(&path).and_then(|mut s| s.read_to_end(&mut stream)).map_err(unreadable)?;
    for offset in workbook(&stream)? {
        // A formula's tokens, now one that prints nothing (`PtgMissArg`):
        // calamine builds no text of it; its value stays.
        stream[offset..offset + 3].copy_from_slice(&[1, 0, 0x16]);
    }
    // Version 3, with 512-byte sectors, as Excel writes it (calamine
    // refuses a version 4 file whose mini stream is empty).
    let mut out = cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
        .map_err(unreadable)?;
    out.create_stream("/Workbook")
        .and_then(|mut s| std::io::Write::write_all(&mut s, &stream))
        .and_then(|()| out.flush())
        .map_err(unreadable)?;
    Ok(out.into_inner().into_inner())
}

/// A record of the stream, with the CONTINUE records after it.
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
    continues: Vec<&'a [u8]>,
}

/// The records of `stream` from its start, as calamine reads them.
fn records(mut stream: &[u8]) -> impl Iterator<Item = Result<Record<'_>, Diagnostic>> {
    std::iter::from_fn(move || {
        if stream.len() < 4 {
            return (!stream.is_empty()).then(|| Err(damaged("a record is cut short")));
        }
        let kind = u16::from_le_bytes([stream[0], stream[1]]);
        let len = usize::from(u16::from_le_bytes([stream[2], stream[3]]));
        if stream.len() < len + 4 {
            return Some(Err(damaged("a record runs past the end of the stream")));
        }
        let data = &stream[4..len + 4];
        stream = &stream[len + 4..];
        let mut continues = Vec::new();
        while stream.len() > 4 && u16::from_le_bytes([stream[0], stream[1]]) == 0x003C {
            let len = usize::from(u16::from_le_bytes([stream[2], stream[3]]));
            if stream.len() < len + 4 || continues.len() >= MAX_CONTINUES {
                return Some(Err(damaged("a record is continued past its bounds")));
            }
            continues.push(&stream[4..len + 4]);
            stream = &stream[len + 4..];
        }
        Some(Ok(Record { kind, data, continues }))
    })
}

fn damaged(what: &str) -> Diagnostic {
    unreadable(format!("the workbook is damaged: {what}"))
}

/// The bounds of the workbook stream: its globals (the sheets' places and
/// the shared strings), then each sheet; the offsets of its formulas'
/// tokens (their length, then the tokens).
fn workbook(stream: &[u8]) -> Result<Vec<usize>, Diagnostic> {
    let mut sheets = Vec::new();
    let mut strings = Vec::new();
    for record in records(stream) {
        let record = record?;
        match record.kind {
            // BoundSheet8: where the sheet's records start.
            0x0085 if record.data.len() >= 4 => sheets.push(u32_at(record.data, 0) as usize),
            0x00FC => strings = shared_strings(&record),
            0x000A => break,
            _ => {}
        }
    }
    let (mut area, mut text, mut formulas) = (0u64, 0u64, Vec::new());
    for start in sheets {
        let Some(sheet) = stream.get(start..) else {
            return Err(damaged("a sheet starts past the end of the stream"));
        };
        let measured = measure_sheet(sheet, &strings)?;
        area += measured.0;
        text += measured.1;
        let at = |data: &[u8]| data.as_ptr() as usize - stream.as_ptr() as usize + 20;
        formulas.extend(measured.2.iter().map(|f| at(f)));
        if area > 3 * MAX_AREA || text > MAX_TEXT {
            return Err(too_large(&format!(
                "{area} cells and {} MiB of text in its sheets, which are all read at once",
                text >> 20
            )));
        }
    }
    Ok(formulas)
}

/// The cells calamine would build for the sheet whose records are
/// `sheet` (its used range and its reservation), the bytes of text, and
/// its formula records.
fn measure_sheet<'a>(
    sheet: &'a [u8],
    strings: &[u64],
) -> Result<(u64, u64, Vec<&'a [u8]>), Diagnostic> {
    let (mut reserved, mut text, mut formulas) = (0u64, 0u64, Vec::new());
    let mut span: Option<(u32, u32, u32, u32)> = None;
    let mut place = |(row, col): (u32, u32)| {
        let s = span.get_or_insert((row, row, col, col));
        *s = (s.0.min(row), s.1.max(row), s.2.min(col), s.3.max(col));
    };
    // Where calamine puts the string of a formula's value (its STRING
    // record): the last formula's cell, A1 before any.
    let mut formula_at = (0u32, 0u32);
    let (mut seen_bof, mut depth) = (false, 0usize);
    for record in records(sheet) {
        let Record { kind, data, .. } = record?;
        if depth > 0 {
            match kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let at = |i: usize| {
            data.get(i..i + 2).map_or(0, |b| u32::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let cell = (at(0), at(2));
        match kind {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => reserved = reserved.max(dimensions(data)?),
            // Number, BoolErr, Rk: a cell.
            0x0203 | 0x0205 | 0x027E => place(cell),
            0x0006 => {
                // Its text, once emptied, or calamine's words for one it
                // cannot read.
                (formula_at, text) = (cell, text + 80);
                place(cell);
                if data.len() >= 23 {
                    formulas.push(data);
                }
            }
            0x0207 => {
                place(formula_at);
                text += 6 * data.len() as u64;
            }
            0x0204 | 0x00D6 => {
                place(cell);
                text += 6 * data.len() as u64;
            }
            0x00FD => {
                place(cell);
                text += strings.get(u32_at(data, 6) as usize).copied().unwrap_or(0);
            }
            0x00BD => {
                place(cell);
                place((cell.0, at(data.len().saturating_sub(2))));
            }
            _ => {}
        }
    }
    let used =
        span.map_or(0, |(r0, r1, c0, c1)| (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1));
    if reserved > MAX_AREA || used > MAX_AREA {
        let cells = reserved.max(used);
        return Err(too_large(&format!("{cells} cells in its used range or declared dimensions")));
    }
    // The cells and their formulas, each a range as wide as the used one.
    Ok((2 * used + reserved, text, formulas))
}

/// The cells a DIMENSIONS record makes calamine reserve, as calamine reads
/// it; a range that ends before it starts would wrap its arithmetic.
fn dimensions(data: &[u8]) -> Result<u64, Diagnostic> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([data[i], data[i + 1]]));
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(8), u16_at(10)),
        _ => return Ok(0),
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) =
        if 1 <= rl && 1 <= cl { ((rf, cf), (rl - 1, cl - 1)) } else { ((rf, cf), (rf, cf)) };
    if end.0 < start.0 || end.1 < start.1 {
        return Err(damaged("a sheet's dimensions end before they start"));
    }
    Ok((u64::from(end.0 - start.0) + 1) * (u64::from(end.1 - start.1) + 1))
}

fn u32_at(data: &[u8], i: usize) -> u32 {
    data.get(i..i + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The most bytes each string of the shared-strings table (SST) may
/// decode to, found as calamine reads them (each string's header, its
/// characters across CONTINUE records, its formatting runs and extra data
/// skipped); a string decodes to at most six bytes a character.
fn shared_strings(record: &Record) -> Vec<u64> {
    let mut parts = std::iter::once(record.data).chain(record.continues.iter().copied());
    let mut data = parts.next().unwrap_or_default();
    let Some(rest) = data.get(8..) else { return Vec::new() };
    data = rest;
    let mut lengths = Vec::new();
    loop {
        if data.is_empty() {
            match parts.next() {
                Some(next) => data = next,
                None => break,
            }
            continue;
        }
        if data.len() < 3 {
            break;
        }
        let cch = usize::from(u16::from_le_bytes([data[0], data[1]]));
        let flags = data[2];
        data = &data[3..];
        let mut skip = 0usize;
        if flags & 0x8 != 0 {
            let Some(runs) = data.get(..2) else { break };
            skip += 4 * usize::from(u16::from_le_bytes([runs[0], runs[1]]));
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            let Some(ext) = data.get(..4) else { break };
            skip += i32::from_le_bytes([ext[0], ext[1], ext[2], ext[3]]) as usize;
            data = &data[4..];
        }
        lengths.push(6 * cch as u64);
        // The characters: a CONTINUE record starts with a new flags byte.
        let (mut left, mut wide) = (cch, flags & 0x1 != 0);
        while left > 0 {
            let taken = if wide { (data.len() / 2).min(left) } else { data.len().min(left) };
            data = &data[if wide { 2 * taken } else { taken }..];
            left -= taken;
            if left > 0 {
                match parts.next() {
                    Some(next) if !next.is_empty() => {
                        wide = next[0] & 0x1 != 0;
                        data = &next[1..];
                    }
                    _ => return lengths,
                }
            }
        }
        // Formatting runs and extra data, across CONTINUE records.
        while skip > 0 {
            if data.is_empty() {
                match parts.next() {
                    Some(next) => data = next,
                    None => return lengths,
                }
                continue;
            }
            let n = skip.min(data.len());
            data = &data[n..];
            skip -= n;
        }
    }
    lengths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workbook stream of a compound file.
    fn stream(bytes: &[u8]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).unwrap();
        let mut stream = Vec::new();
        file.open_stream("Workbook").unwrap().read_to_end(&mut stream).unwrap();
        stream
    }

    #[test]
    fn shared_strings_are_measured_across_continue_records() {
        let bytes =
            include_bytes!("../../../../tests/errors/err_workbook_xls_shared_string/labelsst.xls");
        let stream = stream(bytes);
        let sst = records(&stream).map(Result::unwrap).find(|r| r.kind == 0x00FC).unwrap();
        assert!(sst.continues.len() >= 3, "the long string spans records");
        assert_eq!(shared_strings(&sst), [6 * 4, 6 * 30_000]);
        let err = workbook(&stream).unwrap_err();
        assert!(err.message.contains("MiB of text in its sheets"), "{}", err.message);
    }

    #[test]
    fn an_ordinary_workbook_is_within_bounds() {
        let bytes = include_bytes!("../../../../tests/fixtures/hostile/plain.xls");
        let made = measured(bytes).unwrap();
        assert_eq!(stream(&made), stream(bytes), "its workbook stream, as it was");
        let dims =
            include_bytes!("../../../../tests/errors/err_workbook_xls_dimensions/dimensions.xls");
        assert!(measured(dims).unwrap_err().message.contains("1095216660225 cells"));
    }
}
