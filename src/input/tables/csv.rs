//! CSV tables with a header row, read strictly.

use crate::diag::{Code, Diagnostic, Span};

/// The most columns a CSV file may have.
pub const MAX_COLUMNS: usize = 1_000;

/// The most problems reported for one file; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// The largest CSV file read, in bytes.
pub const MAX_CSV_BYTES: u64 = 64 << 20;

/// A CSV table: its header names (trimmed) and its rows of trimmed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The line each row starts on, for diagnostics.
    pub lines: Vec<usize>,
    /// The delimiter the file was read with.
    pub delimiter: u8,
    /// For a table read from a workbook, its sheet; `None` for CSV, whose
    /// `lines` are lines of its text.
    pub origin: Option<crate::input::tables::workbook::Origin>,
}

impl Table {
    /// Where a row (by the line it starts on) or one of its cells is, as a
    /// message says it: "line 17" of a CSV file, "sheet `People`, cell C17"
    /// of a workbook.
    pub fn place(&self, line: usize, column: Option<usize>) -> String {
        match (&self.origin, column) {
            (None, _) => format!("line {line}"),
            (Some(origin), Some(column)) => origin.cell(line, column),
            (Some(origin), None) => origin.row(line),
        }
    }

    /// Parses CSV text. Every problem found is returned, each with its span
    /// (the caller names the file).
    /// The delimiter is `delimiter`, or sniffed from the header row.
    pub fn parse(text: &str, delimiter: Option<u8>) -> Result<Table, Vec<Diagnostic>> {
        let delimiter =
            delimiter.unwrap_or_else(|| sniff_delimiter(text.lines().next().unwrap_or("")));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        if let Some(line) = long_line(text) {
            return Err(vec![
                Diagnostic::error(
                    Code::FileTooLarge,
                    format!("line {line} is longer than {} MiB", MAX_LINE >> 20),
                )
                .at(Span { line, column: 1, bytes: 0..0 })
                .hint("a row of a table is far shorter: is the file a table?"),
            ]);
        }
        let mut breaks = TextLines::of(text);
        let headers = read_headers(&mut reader, text)?;
        let mut problems = header_problems(&headers, text);

        let mut rows = Vec::new();
        let mut lines = Vec::new();
        let mut more = 0usize;
        // Whether the last row has a field over several lines.
        let mut last_multiline = false;
        for record in reader.records() {
            if problems.len() >= MAX_PROBLEMS {
                more += 1;
                continue;
            }
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(1, |p| breaks.line_at(p.byte()));
                    problems.push(
                        Diagnostic::error(Code::Csv, e.to_string()).at(Span::line_of(text, line)),
                    );
                    continue;
                }
            };
            let line = record.position().map_or(1, |p| breaks.line_at(p.byte()));
            last_multiline = record.iter().any(|f| f.contains('\n'));
            let place = RowAt { text, line, delimiter };
            match read_row(&record, headers.len(), place) {
                Ok(Some(row)) => {
                    rows.push(row);
                    lines.push(line);
                }
                Ok(None) => {}
                Err(problem) => problems.push(problem),
            }
        }
        if more > 0 {
            problems.push(Diagnostic::error(
                Code::CsvFieldCount,
                format!("and the {more} rows after those above were not checked"),
            ));
        }
        // A quote left open in the last column runs to the end of the file
        // without changing a row's number of fields: the last row then
        // spans lines, and the file does not end with a quote.
        let closed = text.trim_end().ends_with('"');
        if problems.is_empty() && last_multiline && !closed {
            let line = lines.last().copied().unwrap_or(1);
            problems.push(open_to_the_end(RowAt { text, line, delimiter }));
        }
        if problems.is_empty() {
            Ok(Table { headers, rows, lines, delimiter, origin: None })
        } else {
            Err(problems)
        }
    }

    /// The index of the column named `name`, ignoring case and surrounding
    /// spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.headers.iter().position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// A line of a CSV file's text, and the delimiter it is split at, for the
/// diagnostics of a row.
#[derive(Debug, Clone, Copy)]
struct RowAt<'a> {
    text: &'a str,
    line: usize,
    delimiter: u8,
}

/// Reads the header row: its names, trimmed. A file without one, or with
/// more than [`MAX_COLUMNS`] columns, is refused.
fn read_headers(
    reader: &mut csv::Reader<&[u8]>,
    text: &str,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => return Err(vec![Diagnostic::error(Code::Csv, e.to_string())]),
    };
    if headers.is_empty() || headers.iter().all(String::is_empty) {
        return Err(vec![
            Diagnostic::error(Code::CsvNoHeader, "the file has no header row")
                .at(Span::line_of(text, 1))
                .hint("the first line names the columns, e.g. `Name,Country`"),
        ]);
    }
    if headers.len() > MAX_COLUMNS {
        return Err(vec![
            Diagnostic::error(
                Code::CsvFieldCount,
                format!(
                    "the header row has {} fields; a file the tool reads has up to {MAX_COLUMNS}",
                    headers.len()
                ),
            )
            .at(Span::line_of(text, 1))
            .hint("keep the columns the report needs"),
        ]);
    }
    Ok(headers)
}

/// The header row's columns without a name, and those named twice
/// (ignoring case), up to [`MAX_PROBLEMS`].
fn header_problems(headers: &[String], text: &str) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, h) in headers.iter().enumerate() {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        if h.is_empty() {
            problems.push(
                Diagnostic::error(
                    Code::CsvEmptyHeader,
                    format!("field {} of the header row has no name", i + 1),
                )
                .at(Span::line_of(text, 1))
                .hint("give every column a name in the header row"),
            );
        } else if !seen.insert(h.to_lowercase()) {
            problems.push(
                Diagnostic::error(Code::CsvDuplicateHeader, format!("column `{h}` appears twice"))
                    .at(Span::line_of(text, 1))
                    .hint("rename or remove one of the two columns"),
            );
        }
    }
    problems
}

/// The trimmed cells of a record under a header of `width` columns;
/// `None` for a blank row. A row with the wrong number of fields, or with
/// a cell too long to lay out, is refused.
fn read_row(
    record: &csv::StringRecord,
    width: usize,
    place: RowAt<'_>,
) -> Result<Option<Vec<String>>, Diagnostic> {
    let RowAt { text, line, delimiter } = place;
    if record.len() != width {
        // A quote left open swallows the lines after it.
        let (message, hint) = if record.iter().any(|f| f.contains('\n')) {
            (
                format!("a quoted field opened on line {line} is not closed"),
                format!("close the quote: \"Director{} Unit\"", char::from(delimiter)),
            )
        } else {
            field_count(record.len(), width, line, delimiter)
        };
        return Err(Diagnostic::error(Code::CsvFieldCount, message)
            .at(Span::line_of(text, line))
            .hint(hint));
    }
    if record.iter().all(|c| c.trim().is_empty()) {
        return Ok(None);
    }
    if let Some(cell) =
        record.iter().find(|c| c.matches('\n').count() > crate::input::checks::text::MAX_LINES)
    {
        return Err(crate::input::checks::text::too_many_lines(cell.matches('\n').count())
            .at(Span::line_of(text, line)));
    }
    if let Some(cell) =
        record.iter().find(|c| c.chars().count() > crate::input::checks::text::MAX_PARAGRAPH)
    {
        return Err(crate::input::checks::text::too_long(cell.chars().count())
            .at(Span::line_of(text, line))
            .hint(
                "a cell is laid out as one paragraph; split its text over several rows or cells",
            ));
    }
    Ok(Some(record.iter().map(|c| c.trim().to_owned()).collect()))
}

/// The refusal of a quote left open in the last row, which runs to the
/// end of the file.
fn open_to_the_end(place: RowAt<'_>) -> Diagnostic {
    let RowAt { text, line, delimiter } = place;
    Diagnostic::error(
        Code::Csv,
        format!(
            "a quoted field on line {line} or before is not closed: it runs to the end of the file"
        ),
    )
    .at(Span::line_of(text, line))
    .hint(format!("close the quote: \"Director{} Unit\"", char::from(delimiter)))
}

/// The message and hint for a row of `found` fields under a header of
/// `wanted`, on `line` of a file split at `delimiter`.
pub fn field_count(found: usize, wanted: usize, line: usize, delimiter: u8) -> (String, String) {
    let fields = |n: usize| if n == 1 { "1 field".to_owned() } else { format!("{n} fields") };
    (
        format!("found {} instead of {wanted} on line {line}", fields(found)),
        format!(
            "quote fields that contain the delimiter: \"Director{} Unit\"",
            char::from(delimiter)
        ),
    )
}

/// The delimiter of a CSV file whose header row is `header`: the one of
/// `,`, `;` and tab that occurs most often outside quotes (a comma when
/// none does). Spreadsheets in many locales write `;`.
pub fn sniff_delimiter(header: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { [b',', b';', b'\t'][best] }
}

/// The bytes of each field of a CSV line (quotes included), as the CSV
/// reader splits it with `delimiter`.
pub fn field_spans(line: &str, delimiter: u8) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b if b == delimiter && !quoted => {
                spans.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    spans.push(start..line.trim_end_matches(['\r', '\n']).len().max(start));
    spans
}

/// The longest line of a CSV file: far more than a row of a table takes,
/// far less than would exhaust memory once split into fields.
pub const MAX_LINE: usize = 8 << 20;

/// The lines of a CSV file's text, as its reader's positions are told as
/// lines, whatever the line endings. The CSV reader's own line count is
/// one short on each Windows line ending, and it places a record after the
/// line break before it, or at a blank line it skipped. Positions asked
/// for never go back, so the lines are counted once, as the reader goes.
#[derive(Debug)]
pub struct TextLines<'a> {
    text: &'a [u8],
    /// The byte up to which line feeds are counted, and their number.
    at: usize,
    feeds: usize,
}

impl<'a> TextLines<'a> {
    pub fn of(text: &'a str) -> Self {
        TextLines { text: text.as_bytes(), at: 0, feeds: 0 }
    }

    /// The line (1-based) of the record the reader places at `offset`: the
    /// first line with content from there on.
    pub fn line_at(&mut self, offset: u64) -> usize {
        let mut start = (offset as usize).min(self.text.len());
        while matches!(self.text.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        if start < self.at {
            (self.at, self.feeds) = (0, 0);
        }
        self.feeds += self.text[self.at..start].iter().filter(|&&b| b == b'\n').count();
        self.at = start;
        self.feeds + 1
    }
}

/// The first line of `text` longer than [`MAX_LINE`] bytes: its number.
pub fn long_line(text: &str) -> Option<usize> {
    text.split('\n').position(|line| line.len() > MAX_LINE).map(|i| i + 1)
}

/// Where the lines of a CSV file start, as it streams: as [`TextLines`],
/// keeping only the line breaks the reader has not passed yet, each run of
/// breaks in a row (blank lines) as one, so that its memory stays bounded
/// however many lines the file has.
#[derive(Debug, Default)]
pub struct LineBreaks {
    /// The runs of line breaks read but not passed: their first byte,
    /// their length in bytes, and the line feeds among them.
    ahead: std::collections::VecDeque<(u64, u64, usize)>,
    /// The line feeds passed.
    passed: usize,
}

/// The most runs of line breaks kept ahead of the reader: a row that
/// spans more lines than this is no row of answers.
const MAX_RUNS: usize = 1 << 20;

impl LineBreaks {
    /// Notes the line breaks of `bytes`, read from byte `offset` on;
    /// `false` once more runs wait than [`MAX_RUNS`].
    fn note(&mut self, offset: u64, bytes: &[u8]) -> bool {
        for (i, &b) in bytes.iter().enumerate() {
            if b != b'\n' && b != b'\r' {
                continue;
            }
            let at = offset + i as u64;
            let feed = usize::from(b == b'\n');
            match self.ahead.back_mut() {
                Some((start, len, feeds)) if *start + *len == at => {
                    *len += 1;
                    *feeds += feed;
                }
                _ => self.ahead.push_back((at, 1, feed)),
            }
        }
        self.ahead.len() <= MAX_RUNS
    }

    /// The line (1-based) of the record the reader places at `offset`: the
    /// first line with content from there on. Offsets asked for never go
    /// back.
    pub fn line_at(&mut self, offset: u64) -> usize {
        while let Some(&(start, len, feeds)) = self.ahead.front() {
            // A run before the offset, or one the offset is in (the record
            // starts after it).
            if start > offset {
                break;
            }
            self.passed += feeds;
            self.ahead.pop_front();
            if start + len > offset {
                break;
            }
        }
        self.passed + 1
    }
}

/// A reader that notes where its lines start, for a streamed CSV file,
/// and refuses a line longer than its bound.
#[derive(Debug)]
pub struct Lines<R> {
    inner: R,
    read: u64,
    pub breaks: LineBreaks,
    /// The longest line read, and the bytes since the last line feed.
    max: u64,
    since: u64,
    lines: usize,
}

impl<R> Lines<R> {
    pub fn new(inner: R) -> Self {
        Lines { inner, read: 0, breaks: LineBreaks::default(), max: u64::MAX, since: 0, lines: 1 }
    }

    /// The reader, refusing a line longer than `max` bytes.
    pub fn bounded(mut self, max: u64) -> Self {
        self.max = max;
        self
    }
}

impl<R: std::io::Read> std::io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.breaks.note(self.read, &buf[..n]) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("a row from before line {} spans more than {MAX_RUNS} lines", self.lines),
            ));
        }
        self.read += n as u64;
        for piece in buf[..n].split(|&b| b == b'\n').enumerate() {
            if piece.0 > 0 {
                self.since = 0;
                self.lines += 1;
            }
            self.since += piece.1.len() as u64;
            if self.since > self.max {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("line {} is longer than {} MiB", self.lines, self.max >> 20),
                ));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("Name,Country"), b',');
        assert_eq!(sniff_delimiter("Name;Country;\"A, B\""), b';');
        assert_eq!(sniff_delimiter("Name\tCountry"), b'\t');
        assert_eq!(sniff_delimiter("Name"), b',');
    }

    #[test]
    fn reads_quoted_fields_and_skips_blank_rows() {
        let t =
            Table::parse("Name , Country\n\"Zhu, J.\",China\n,\nAdelami,Nigeria\n", None).unwrap();
        assert_eq!(t.headers, ["Name", "Country"]);
        assert_eq!(t.rows, [["Zhu, J.", "China"], ["Adelami", "Nigeria"]]);
        assert_eq!(t.lines, [2, 4]);
        assert_eq!(t.column(" country "), Some(1));
    }

    #[test]
    fn names_the_line_with_the_wrong_number_of_fields() {
        let problems = Table::parse("Name,Country\nA,B\nC,D,E\n", None).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "found 3 fields instead of 2 on line 3");
        assert_eq!(problems[0].span.as_ref().unwrap().line, 3);
    }

    #[test]
    fn windows_line_endings_keep_line_numbers() {
        let problems =
            Table::parse("Name,Country\r\nA,B\r\nC,D\r\nE,F,G\r\nH,I\r\n", None).unwrap_err();
        assert_eq!(problems[0].message, "found 3 fields instead of 2 on line 4");
        let span = problems[0].span.as_ref().unwrap();
        assert_eq!(span.line, 4);
        let t = Table::parse("Name\r\nA\r\n\r\nB\r\n", None).unwrap();
        assert_eq!(t.lines, [2, 4]);
        let t = Table::parse("Name\nA\n\nB\n", None).unwrap();
        assert_eq!(t.lines, [2, 4]);
        let text = "N\r\nA\r\n\r\nB\r\n";
        let mut lines = Lines::new(text.as_bytes());
        std::io::Read::read_to_end(&mut lines, &mut Vec::new()).unwrap();
        assert_eq!(lines.breaks.line_at(2), 2);
        assert_eq!(lines.breaks.line_at(5), 4);
        let mut lines = TextLines::of(text);
        assert_eq!((lines.line_at(2), lines.line_at(5)), (2, 4));
        // Its memory: the breaks ahead of the reader only.
        let mut lines = Lines::new(std::io::Cursor::new(vec![b'\n'; 1 << 20]));
        let mut buf = [0u8; 8192];
        while std::io::Read::read(&mut lines, &mut buf).unwrap() > 0 {
            lines.breaks.line_at(lines.read);
        }
        assert!(lines.breaks.ahead.is_empty());
    }

    #[test]
    fn fields_are_found_as_the_reader_splits_them() {
        let line = "a,\"b, c\",d\r";
        let spans = field_spans(line, b',');
        let fields: Vec<&str> = spans.iter().map(|r| &line[r.clone()]).collect();
        assert_eq!(fields, ["a", "\"b, c\"", "d"]);
    }

    #[test]
    fn a_quote_open_to_the_end_is_found() {
        let problems = Table::parse("A,B\nx,\"unclosed\ny,z\n", None).unwrap_err();
        assert!(problems[0].message.contains("is not closed"), "{}", problems[0].message);
        assert!(Table::parse("A,B\nx,\"two\nlines\"\n", None).is_ok());
        assert!(Table::parse("A,B\nTV,55\" screen\n", None).is_ok());
    }

    #[test]
    fn rejects_duplicate_and_empty_headers() {
        let problems = Table::parse("Name,name,\nA,B,C\n", None).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["csv-duplicate-header", "csv-empty-header"]);
    }
}
