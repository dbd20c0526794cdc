//! A table block: from a table file (its columns picked, grouped) or
//! written in the record, numbered with its caption.

use super::{Block, Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::{Area, Changes};
use crate::input::record::{self, Spanned};
use crate::input::{Context, WIDE_TABLE, plural, volume, wide_table};
use crate::model::{Cell, Table as Content};

register! {
    2 => table: record::Table
}

/// A table, from a table file or written in the record.
pub struct Table;

impl Kind for Table {
    type Record = Record;
    type Content = Content;
    const AREA: Area = Area::Tables;

    fn check(
        spec: &Record,
        block: &Spanned<Block>,
        caption: Option<String>,
        cx: &mut Context,
    ) -> Option<Content> {
        // The header and rows, from the file or from the record.
        let (columns, rows) = match (&spec.file, &spec.rows) {
            (Some(file), None) => from_file(spec, file, cx)?,
            (None, Some(rows)) => from_record(spec, rows, block, cx)?,
            _ => {
                cx.error_at(
                    block,
                    Diagnostic::error(Code::TableSource, "a table has either `file` or `rows`")
                        .hint(
                            "read it from a CSV file with `file:`, or write `columns:` and `rows:`",
                        ),
                );
                return None;
            }
        };
        let widths = given_widths(spec, columns.len(), cx)?;
        if columns.len() > WIDE_TABLE {
            cx.error_at(block, wide_table(columns.len()));
        }
        let numeric = numeric(&columns, &rows);
        let widths = Some(widths.unwrap_or_else(|| fitted_widths(&columns, &rows)));
        let rows = merge_first_column(rows, spec.group_by.is_some());
        Some(Content { caption, columns, rows, widths, numeric })
    }

    /// Tables matched by caption (or number); a table of the same cells
    /// under another caption is the same table; rows compared.
    fn compare(out: &mut Changes, place: &[String], old: &[&Content], new: &[&Content]) {
        crate::diff::each_block(
            out,
            place,
            "table",
            (old, new),
            |t| t.caption.clone().unwrap_or_else(|| format!("table {}", t.index + 1)),
            |o, n| crate::diff::grid(o) == crate::diff::grid(n),
            crate::diff::table,
        );
    }

    fn paragraphs(_: &Content) -> Vec<String> {
        Vec::new()
    }

    fn volume(table: &Content) -> usize {
        table.rows.iter().flatten().map(|c| volume::text(&c.text)).sum()
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}

/// A table's header and rows.
type Grid = (Vec<String>, Vec<Vec<String>>);

/// The columns `columns:` picks of the table file (all by default), the
/// `group_by` column first.
fn from_file(spec: &record::Table, file: &Spanned<String>, cx: &mut Context) -> Option<Grid> {
    let (name, table) = cx.table_file(spec.table(file))?;
    let picked: Vec<usize> = match &spec.columns {
        Some(wanted) => {
            let found: Vec<_> = wanted.iter().map(|w| cx.column(&name, &table, w)).collect();
            found.into_iter().collect::<Option<_>>()?
        }
        None => (0..table.headers.len()).collect(),
    };
    let group = match &spec.group_by {
        Some(g) => Some(cx.column(&name, &table, g)?),
        None => None,
    };
    // The grouping column comes first, whether picked or not.
    let order: Vec<usize> =
        group.into_iter().chain(picked.into_iter().filter(|&i| Some(i) != group)).collect();
    let columns = order.iter().map(|&i| table.headers[i].clone()).collect();
    let rows =
        table.rows.iter().map(|row| order.iter().map(|&i| row[i].clone()).collect()).collect();
    Some((columns, rows))
}

/// The `columns` and `rows` written in the record: a cell per column in
/// each row, the `group_by` column moved first.
fn from_record(
    spec: &record::Table,
    rows: &[Spanned<Vec<String>>],
    block: &Spanned<Block>,
    cx: &mut Context,
) -> Option<Grid> {
    let Some(columns) = &spec.columns else {
        cx.error_at(
            block,
            Diagnostic::error(Code::TableColumns, "a table with `rows` needs `columns`")
                .hint("name the columns: `columns: [Challenges, Way forward]`"),
        );
        return None;
    };
    let mut columns: Vec<String> = columns.iter().map(|c| c.value.clone()).collect();
    let mut ok = true;
    for row in rows.iter().filter(|row| row.value.len() != columns.len()) {
        ok = false;
        cx.error_at(
            row,
            Diagnostic::error(
                Code::TableRowLength,
                format!(
                    "this row has {}, the table has {}",
                    plural(row.value.len(), "cell"),
                    plural(columns.len(), "column")
                ),
            )
            .hint("give every row one cell per column; an empty cell is \"\""),
        );
    }
    if !ok {
        return None;
    }
    let mut rows: Vec<Vec<String>> = rows.iter().map(|r| r.value.clone()).collect();
    if let Some(g) = &spec.group_by {
        let Some(i) = columns.iter().position(|c| c.eq_ignore_ascii_case(g.value.trim())) else {
            cx.error_at(
                g,
                Diagnostic::error(
                    Code::UnknownColumn,
                    format!("the table has no column `{}`", g.value.trim()),
                )
                .hint(format!("its columns are: {}", columns.join(", "))),
            );
            return None;
        };
        let name = columns.remove(i);
        columns.insert(0, name);
        for row in &mut rows {
            let cell = row.remove(i);
            row.insert(0, cell);
        }
    }
    Some((columns, rows))
}

/// The record's `widths`, checked: one positive number per column, the
/// widest at most [`MAX_WIDTH_RATIO`] times the narrowest. `Some(None)`:
/// none given.
fn given_widths(
    spec: &record::Table,
    columns: usize,
    cx: &mut Context,
) -> Option<Option<Vec<f64>>> {
    let Some(w) = &spec.widths else { return Some(None) };
    let counted = w.value.len() == columns && w.value.iter().all(|x| *x > 0.0);
    if counted && narrowest(&w.value) < MAX_WIDTH_RATIO {
        return Some(Some(w.value.clone()));
    }
    let d = if counted {
        Diagnostic::error(
            Code::TableWidths,
            format!(
                "`widths` makes a column {:.0} times narrower than the widest; its words would overlap the next column",
                narrowest(&w.value)
            ),
        )
        .hint(format!("keep the widest column at most {MAX_WIDTH_RATIO:.0} times the narrowest, e.g. `widths: [3, 1, 1]`"))
    } else {
        Diagnostic::error(
            Code::TableWidths,
            format!("`widths` needs {columns} positive numbers, one per column"),
        )
        .hint("e.g. `widths: [2, 1, 1]` makes the first column twice as wide")
    };
    cx.error_at(w, d);
    None
}

/// Whether each column holds numbers (and percentages) alone: those
/// align on the right.
fn numeric(columns: &[String], rows: &[Vec<String>]) -> Vec<bool> {
    (0..columns.len())
        .map(|c| {
            let cells: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.get(c).map(|t| t.trim()))
                .filter(|t| !t.is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|t| is_number(t))
        })
        .collect()
}

/// Widths by which the table spans the text width: each column as wide
/// as its longest cell, within bounds.
fn fitted_widths(columns: &[String], rows: &[Vec<String>]) -> Vec<f64> {
    let longest = |c: usize| {
        let cells = rows.iter().filter_map(|r| r.get(c)).map(|t| t.chars().count());
        cells.chain([columns[c].chars().count().min(12)]).max().unwrap_or(1)
    };
    (0..columns.len()).map(|c| (longest(c) + 2).clamp(5, 42) as f64).collect()
}

/// Cells of rows, the first column's equal adjacent values merged into one
/// cell spanning their rows when `merge` is set.
fn merge_first_column(rows: Vec<Vec<String>>, merge: bool) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(rows.len());
    let mut head: Option<usize> = None;
    for row in rows {
        let mut cells: Vec<Cell> = row.into_iter().map(|text| Cell { text, rowspan: 1 }).collect();
        if merge && !cells.is_empty() {
            match head {
                Some(h) if out[h][0].text == cells[0].text => {
                    out[h][0].rowspan += 1;
                    cells.remove(0);
                }
                _ => head = Some(out.len()),
            }
        }
        out.push(cells);
    }
    out
}

/// How many times the widest column of a table may be wider than the
/// narrowest.
const MAX_WIDTH_RATIO: f64 = 8.0;

/// How many times the widest of `widths` is wider than the narrowest.
fn narrowest(widths: &[f64]) -> f64 {
    let max = widths.iter().copied().fold(0.0, f64::max);
    let min = widths.iter().copied().fold(f64::INFINITY, f64::min);
    if min > 0.0 { max / min } else { f64::INFINITY }
}

/// Whether a cell reads as a number: digits with a sign, grouping, a
/// decimal point or comma, or a percent sign ("1,234", "−0.5", "45 %").
fn is_number(text: &str) -> bool {
    let t = text.trim().trim_end_matches('%').trim_end();
    let t = t.strip_prefix(['-', '+', '\u{2212}']).unwrap_or(t);
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_adjacent_group_cells_merge() {
        let rows = vec![
            vec!["A".to_owned(), "1".to_owned()],
            vec!["A".to_owned(), "2".to_owned()],
            vec!["B".to_owned(), "3".to_owned()],
            vec!["A".to_owned(), "4".to_owned()],
        ];
        let merged = merge_first_column(rows, true);
        let shape: Vec<Vec<(String, usize)>> = merged
            .iter()
            .map(|r| r.iter().map(|c| (c.text.clone(), c.rowspan)).collect())
            .collect();
        assert_eq!(
            shape,
            [
                vec![("A".to_owned(), 2), ("1".to_owned(), 1)],
                vec![("2".to_owned(), 1)],
                vec![("B".to_owned(), 1), ("3".to_owned(), 1)],
                vec![("A".to_owned(), 1), ("4".to_owned(), 1)],
            ]
        );
    }
}
