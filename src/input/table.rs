//! CSV tables with a header row, read strictly.

use crate::diag::{Diagnostic, Span};

/// The largest CSV file read, in bytes.
pub const MAX_CSV_BYTES: u64 = 64 << 20;

/// A CSV table: its header names (trimmed) and its rows of trimmed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The line each row starts on, for diagnostics.
    pub lines: Vec<usize>,
}

impl Table {
    /// Parses CSV text. Every problem found is returned, each with its span
    /// (the caller names the file).
    /// The delimiter is `delimiter`, or sniffed from the header row.
    pub fn parse(text: &str, delimiter: Option<u8>) -> Result<Table, Vec<Diagnostic>> {
        let delimiter = delimiter
            .unwrap_or_else(|| super::files::sniff_delimiter(text.lines().next().unwrap_or("")));
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut problems = Vec::new();
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
            Err(e) => return Err(vec![Diagnostic::error("csv", e.to_string())]),
        };
        if headers.is_empty() || headers.iter().all(String::is_empty) {
            return Err(vec![
                Diagnostic::error("csv-no-header", "the file has no header row")
                    .at(Span::line_of(text, 1))
                    .hint("the first line names the columns, e.g. `Name,Country`"),
            ]);
        }
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                problems.push(
                    Diagnostic::error("csv-empty-header", format!("column {} has no name", i + 1))
                        .at(Span::line_of(text, 1))
                        .hint("give every column a name in the header row"),
                );
            } else if headers[..i].iter().any(|o| o.eq_ignore_ascii_case(h)) {
                problems.push(
                    Diagnostic::error(
                        "csv-duplicate-header",
                        format!("column `{h}` appears twice"),
                    )
                    .at(Span::line_of(text, 1))
                    .hint("rename or remove one of the two columns"),
                );
            }
        }

        let mut rows = Vec::new();
        let mut lines = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(1, |p| p.line() as usize);
                    problems.push(
                        Diagnostic::error("csv", e.to_string()).at(Span::line_of(text, line)),
                    );
                    continue;
                }
            };
            let line = record.position().map_or(1, |p| p.line() as usize);
            if record.len() != headers.len() {
                // A quote left open swallows the lines after it.
                let open_quote = record.iter().any(|f| f.contains('\n'));
                let (message, hint) = if open_quote {
                    (
                        format!("a quoted field opened on line {line} is not closed"),
                        "close the quote: \"Director, Unit\"".to_owned(),
                    )
                } else {
                    let fields = |n: usize| {
                        if n == 1 { "1 field".to_owned() } else { format!("{n} fields") }
                    };
                    (
                        format!(
                            "found {} instead of {} on line {line}",
                            fields(record.len()),
                            headers.len()
                        ),
                        "quote fields that contain the delimiter: \"Director, Unit\"".to_owned(),
                    )
                };
                problems.push(
                    Diagnostic::error("csv-field-count", message)
                        .at(Span::line_of(text, line))
                        .hint(hint),
                );
                continue;
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
            lines.push(line);
        }
        if problems.is_empty() { Ok(Table { headers, rows, lines }) } else { Err(problems) }
    }

    /// The index of the column named `name`, ignoring case and surrounding
    /// spaces.
    pub fn column(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        self.headers.iter().position(|h| h.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn rejects_duplicate_and_empty_headers() {
        let problems = Table::parse("Name,name,\nA,B,C\n", None).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["csv-duplicate-header", "csv-empty-header"]);
    }
}
