//! The rows of a raw survey export, as they stream: the export opened (a
//! sheet of a workbook, recognised by its content, or a CSV file decoded
//! in its own encoding, its delimiter found, its lines counted as editors
//! count them), its header row or rows read, then each row handed on with
//! the line (or sheet row) it is on; and the places in it that
//! diagnostics point at.

use std::io::{BufRead, BufReader, Read};

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic, Span};
use crate::files::{Detected, Sniffer};
use crate::input::tables::Format;
use crate::input::tables::csv as table;
use crate::input::tables::workbook::{self, MAX_EXPORT_COLUMNS};
use crate::input::{Context, record};

/// The largest raw export read, in bytes. It is streamed, never held whole.
const MAX_EXPORT_BYTES: u64 = 128 << 20;

/// Exports up to this size are also kept whole, so that diagnostics can
/// show the offending line.
const SHOWN_EXPORT_BYTES: u64 = 1 << 20;

/// The longest line of a CSV export: far more than a row of answers
/// takes, far less than would exhaust memory as fields.
const MAX_LINE: u64 = 8 << 20;

/// Where an export's rows come from, for diagnostics.
#[derive(Debug, Clone)]
pub enum Place {
    /// A CSV file with this delimiter: rows are lines of its text.
    Csv(u8),
    /// A sheet of a workbook: rows are its rows.
    Sheet(workbook::Origin),
}

impl Place {
    /// "line 5", "sheet `Responses`, row 5".
    pub fn line(&self, line: usize) -> String {
        match self {
            Place::Csv(_) => format!("line {line}"),
            Place::Sheet(origin) => origin.row(line),
        }
    }

    /// "line 5, field 3", "sheet `Responses`, cell C5".
    pub fn field(&self, line: usize, field: usize) -> String {
        match self {
            Place::Csv(_) => format!("line {line}, field {}", field + 1),
            Place::Sheet(origin) => origin.cell(line, field),
        }
    }

    /// Whether its rows are the lines of a CSV file.
    pub(super) fn is_csv(&self) -> bool {
        matches!(self, Place::Csv(_))
    }

    /// The CSV file's delimiter (a comma for a sheet).
    pub(super) fn delimiter(&self) -> u8 {
        match self {
            Place::Csv(d) => *d,
            Place::Sheet(_) => b',',
        }
    }
}

/// A row of an export: the line (or sheet row) it is on, and its cells.
pub(super) type Row = (usize, Vec<String>);

/// A CSV export, decoded and read as it streams.
type CsvReader = csv::Reader<table::Lines<BufReader<Box<dyn Read>>>>;

/// The rows of an export, header rows first: streamed from a CSV file or
/// from a sheet.
pub(super) enum Rows {
    Csv { reader: Box<CsvReader>, delimiter: u8, record: csv::StringRecord },
    Stream { rows: workbook::Stream, origin: workbook::Origin },
}

impl Rows {
    /// Where the rows come from, for diagnostics.
    pub(super) fn place(&self) -> Place {
        match self {
            Rows::Csv { delimiter, .. } => Place::Csv(*delimiter),
            Rows::Stream { origin, .. } => Place::Sheet(origin.clone()),
        }
    }

    /// The next row and the line (or sheet row) it is on; `Err` once a
    /// problem that stops the reading is reported.
    pub(super) fn next(&mut self, cx: &mut Context, name: &str) -> Option<Result<Row, ()>> {
        match self {
            Rows::Csv { reader, record, .. } => match reader.read_record(record) {
                Ok(true) => {
                    let at = record.position().map_or(0, |p| p.byte());
                    let line = reader.get_mut().breaks.line_at(at);
                    if record.len() > MAX_EXPORT_COLUMNS {
                        cx.error(too_wide(record.len(), &format!("line {line}")).in_file(name));
                        return Some(Err(()));
                    }
                    Some(Ok((line, record.iter().map(str::to_owned).collect())))
                }
                Ok(false) => None,
                Err(e) => {
                    let d = match e.kind() {
                        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
                            Diagnostic::error(Code::FileTooLarge, io.to_string())
                                .hint("a row of answers is far shorter: is the file an export of the survey?")
                        }
                        _ => Diagnostic::error(Code::Csv, e.to_string()),
                    };
                    cx.error(d.in_file(name));
                    Some(Err(()))
                }
            },
            Rows::Stream { rows, .. } => match rows.recv().ok()? {
                Err(d) => {
                    cx.error(d.in_file(name));
                    Some(Err(()))
                }
                Ok(row) => Some(Ok(row)),
            },
        }
    }
}

/// The refusal of a row of `n` fields, at `place`.
fn too_wide(n: usize, place: &str) -> Diagnostic {
    Diagnostic::error(
        Code::CsvFieldCount,
        format!("{place} has {n} fields; an export the tool reads has up to {MAX_EXPORT_COLUMNS} columns"),
    )
    .hint("download the export again from the survey tool, with the questions the report needs")
}

impl Context {
    /// Opens the export at `path`: a sheet of a workbook (recognised by its
    /// content), or a CSV file decoded in its own encoding as it streams.
    pub(super) fn open_export(
        &mut self,
        path: &Spanned<String>,
        f: &record::Feedback,
        name: &str,
    ) -> Option<Rows> {
        let (mut file, size) = match self.folder.open(&path.value, MAX_EXPORT_BYTES) {
            Ok(opened) => opened,
            Err(d) => {
                self.error_at(path, d);
                return None;
            }
        };
        let mut bytes = Vec::new();
        let mut head = [0u8; 8];
        let got = file.read(&mut head).unwrap_or(0);
        // A CSV export's `sheet` may be its tallies workbook's: only a
        // workbook's unused settings are told.
        if Format::of(&head[..got]) == Format::Workbook {
            bytes.extend_from_slice(&head[..got]);
            if let Err(e) = file.read_to_end(&mut bytes) {
                let d =
                    Diagnostic::error(Code::UnreadableFile, format!("cannot read `{name}`: {e}"));
                self.error(d.in_file(name));
                return None;
            }
            let at = f.table(path);
            self.unused_settings(Format::Workbook, name, &at);
            let which = at.which();
            return match workbook::stream(bytes, &which) {
                Ok((sheet, rows)) => {
                    Some(Rows::Stream { rows, origin: workbook::Origin { sheet, first_column: 0 } })
                }
                Err(d) => {
                    self.error(d.in_file(name));
                    None
                }
            };
        }
        drop(file);
        self.open_csv_export(path, f, name, size)
    }

    /// Opens the CSV export at `path` (of `size` bytes), its encoding found
    /// from all its bytes first, then decoded as it streams.
    fn open_csv_export(
        &mut self,
        path: &Spanned<String>,
        f: &record::Feedback,
        name: &str,
        size: u64,
    ) -> Option<Rows> {
        let named = match &f.encoding {
            Some(e) => Some(self.encoding(e)?),
            None => None,
        };
        let detected = self.sniff(path, named)?;
        if let Some(w) = detected.warning(name) {
            self.error(w);
        }
        if size <= SHOWN_EXPORT_BYTES
            && let Ok(bytes) = self.folder.read_bytes(&path.value, SHOWN_EXPORT_BYTES)
            && let Ok((text, _)) = crate::files::decode(&bytes, Some(detected.encoding), None)
        {
            self.sink.sources.insert(name, text);
        }
        let (mut file, _) = self.folder.open(&path.value, MAX_EXPORT_BYTES).ok()?;
        let mut mark = vec![0u8; detected.mark];
        file.read_exact(&mut mark).ok()?;
        // UTF-8 is read as it is (the CSV reader refuses a bad byte with its
        // line); other encodings decoded, a byte they cannot read marked.
        let decoded: Box<dyn Read> = if detected.encoding == crate::files::Encoding::UTF_8 {
            Box::new(file)
        } else {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(detected.encoding.codec()))
                    .bom_override(false)
                    .strip_bom(false)
                    .build(file),
            )
        };
        let mut buffered = BufReader::new(decoded);
        let delimiter = match self.options.delimiter {
            Some(d) => d,
            None => {
                let head = buffered.fill_buf().map(|b| b.to_vec()).unwrap_or_default();
                let first = String::from_utf8_lossy(&head);
                table::sniff_delimiter(first.lines().next().unwrap_or(""))
            }
        };
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .delimiter(delimiter)
            .from_reader(table::Lines::new(buffered).bounded(MAX_LINE));
        Some(Rows::Csv { reader: Box::new(reader), delimiter, record: csv::StringRecord::new() })
    }

    /// The encoding of the file at `path`, from all its bytes.
    fn sniff(
        &mut self,
        path: &Spanned<String>,
        named: Option<crate::files::Encoding>,
    ) -> Option<Detected> {
        let (mut file, _) = match self.folder.open(&path.value, MAX_EXPORT_BYTES) {
            Ok(opened) => opened,
            Err(d) => {
                self.error_at(path, d);
                return None;
            }
        };
        let mut sniffer = Sniffer::default();
        let mut buffer = vec![0u8; 64 << 10];
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => sniffer.feed(&buffer[..n]),
                Err(e) => {
                    let name = self.folder.display_name(&path.value);
                    let d = Diagnostic::error(
                        Code::UnreadableFile,
                        format!("cannot read `{name}`: {e}"),
                    );
                    self.error(d.in_file(name));
                    return None;
                }
            }
        }
        match sniffer.finish(named, self.options.encoding) {
            Ok(detected) => Some(detected),
            Err(d) => {
                let name = self.folder.display_name(&path.value);
                self.error(d.in_file(name));
                None
            }
        }
    }

    /// The export's first row, its header, each heading trimmed (and a
    /// byte-order mark left out); `None` once an empty export, a header too
    /// wide or a problem reading it is reported.
    pub(super) fn header_row(&mut self, rows: &mut Rows, name: &str) -> Option<Vec<String>> {
        let first = match rows.next(self, name) {
            Some(Ok((_, cells))) => cells,
            Some(Err(())) => return None,
            None => {
                self.error(
                    Diagnostic::error(Code::CsvNoHeader, format!("`{name}` is empty"))
                        .in_file(name)
                        .hint("download the export again from the survey tool"),
                );
                return None;
            }
        };
        let first: Vec<String> =
            first.iter().map(|s| s.trim_start_matches('\u{feff}').trim().to_owned()).collect();
        if first.len() > MAX_EXPORT_COLUMNS {
            self.error(too_wide(first.len(), "the header row").in_file(name));
            return None;
        }
        Some(first)
    }

    /// The row after the header of a tool with two header rows: the second
    /// header row when it is one (blank under the `metadata` columns), else
    /// a respondent's row, handed back; `None` once a problem reading it is
    /// reported.
    pub(super) fn second_header_row(
        &mut self,
        rows: &mut Rows,
        name: &str,
        metadata: &[usize],
    ) -> Option<(Option<Vec<String>>, Option<Row>)> {
        match rows.next(self, name) {
            Some(Ok((line, cells))) => {
                let blank =
                    metadata.iter().all(|&i| cells.get(i).is_none_or(|c| c.trim().is_empty()));
                if blank { Some((Some(cells), None)) } else { Some((None, Some((line, cells)))) }
            }
            Some(Err(())) => None,
            None => Some((None, None)),
        }
    }

    /// `d` at the cell of `field` (0-based) on `line` of the export `name`
    /// (a CSV line, or a sheet's row), pointing at `answer` in it where the
    /// CSV file's text is kept.
    pub(super) fn at_cell(
        &self,
        d: Diagnostic,
        name: &str,
        place: &Place,
        line: usize,
        field: usize,
        answer: &str,
    ) -> Diagnostic {
        match place {
            Place::Csv(delimiter) => {
                d.in_file(name).at(self.cell_span(name, line, field, *delimiter, answer))
            }
            Place::Sheet(_) => d.in_file(name),
        }
    }

    /// The span of `answer` in field `field` (0-based) of `line`, where the
    /// file's text is kept; else the line alone (its column unknown).
    pub(super) fn cell_span(
        &self,
        file: &str,
        line: usize,
        field: usize,
        delimiter: u8,
        answer: &str,
    ) -> Span {
        let whole = self.line_span(file, line);
        let Some(text) = self.sink.sources.get(file) else { return whole };
        let line_text = &text[whole.bytes.clone()];
        let Some(cell) = table::field_spans(line_text, delimiter).get(field).cloned() else {
            return whole;
        };
        let start = whole.bytes.start + cell.start;
        match line_text[cell.clone()].find(answer).filter(|_| !answer.is_empty()) {
            Some(i) => Span::from_offset(text, start + i, answer.len()),
            None => Span::from_offset(text, start, cell.len()),
        }
    }

    /// The span of `line` in `file` if its text is kept, else the bare line.
    pub(crate) fn line_span(&self, file: &str, line: usize) -> Span {
        match self.sink.sources.get(file) {
            Some(text) => Span::line_of(text, line),
            None => Span { line, column: 1, bytes: 0..0 },
        }
    }
}
