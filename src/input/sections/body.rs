//! Chapters, presentations and the blocks of their bodies: text, tables,
//! figures and charts.

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record;
use crate::kinds::{BlockKind, alternatives};
use crate::model::{Bar, BarValue, Block, Cell, Chapter, Chart, Figure, Part, Presentation, Table};

/// Whether the record's `block` gives the field of `kind`.
fn given(block: &record::Block, kind: BlockKind) -> bool {
    match kind {
        BlockKind::Text => block.text.is_some(),
        BlockKind::Table => block.table.is_some(),
        BlockKind::Figure => block.figure.is_some(),
        BlockKind::Chart => block.chart.is_some(),
    }
}

impl Context {
    pub(crate) fn chapter(&mut self, c: &record::Chapter) -> Chapter {
        let chapter = Chapter {
            title: c.title.value.clone(),
            text: non_empty(&c.text),
            body: self.blocks(&c.body),
            presentations: c.presentations.iter().map(|p| self.presentation(p)).collect(),
            sections: c.sections.iter().map(|s| self.chapter(s)).collect(),
        };
        // Empty as written: a block left out for a problem of its own was
        // reported already.
        let empty = chapter.text.is_none()
            && c.text_file.is_none()
            && c.body.is_empty()
            && c.presentations.is_empty()
            && c.sections.is_empty();
        if empty {
            self.error_at(
                &c.title,
                Diagnostic::warning(
                    Code::EmptySection,
                    format!("`{}` has no content", c.title.value),
                )
                .hint("give it `text`, a `body`, `presentations` or `sections`, or remove it"),
            );
        }
        chapter
    }

    fn presentation(&mut self, p: &record::Presentation) -> Presentation {
        Presentation {
            title: p.title.clone(),
            speaker: p.speaker.clone(),
            text: non_empty(&p.text),
            body: self.blocks(&p.body),
            parts: p
                .parts
                .iter()
                .enumerate()
                .map(|(i, part)| Part {
                    number: crate::language::roman(i + 1),
                    title: part.title.clone(),
                    text: non_empty(&part.text),
                    body: self.blocks(&part.body),
                })
                .collect(),
        }
    }

    fn blocks(&mut self, blocks: &[Spanned<record::Block>]) -> Vec<Block> {
        blocks.iter().filter_map(|b| self.block(b)).collect()
    }

    fn block(&mut self, spanned: &Spanned<record::Block>) -> Option<Block> {
        let block = &spanned.value;
        let kinds: Vec<BlockKind> =
            BlockKind::ALL.into_iter().filter(|&k| given(block, k)).collect();
        let [kind] = kinds[..] else {
            let all = alternatives(BlockKind::ALL.map(BlockKind::key));
            let hint = if kinds.is_empty() {
                let fields = BlockKind::ALL.map(|k| format!("{}:", k.key()));
                format!("say what the block is: {}", alternatives(fields))
            } else {
                "split it into one block per kind, each starting with `- `".to_owned()
            };
            self.error_at(
                spanned,
                Diagnostic::error(Code::BlockKind, format!("a block holds exactly one of {all}"))
                    .hint(hint),
            );
            return None;
        };
        let caption = block.caption.clone().filter(|c| !c.trim().is_empty());
        if let Some(long) = caption.as_ref().filter(|c| c.chars().count() > MAX_CAPTION) {
            self.error_at(spanned, long_caption(long));
            return None;
        }
        match kind {
            BlockKind::Text => {
                if caption.is_some() {
                    self.error_at(
                        spanned,
                        Diagnostic::error(Code::CaptionOnText, "a text block has no caption")
                            .hint("remove `caption`, or give it to a table, figure or chart"),
                    );
                }
                Some(Block::Text { text: block.text.clone()? })
            }
            BlockKind::Table => {
                self.table(spanned, block.table.as_ref()?, caption).map(Block::Table)
            }
            BlockKind::Figure => self.figure(spanned, block.figure.as_ref()?, caption),
            BlockKind::Chart => self.chart(block.chart.as_ref()?, caption).map(Block::Chart),
        }
    }

    fn figure(
        &mut self,
        at: &Spanned<record::Block>,
        figure: &record::Figure,
        caption: Option<String>,
    ) -> Option<Block> {
        let image = self.image(&figure.file)?;
        let width = match &figure.width {
            Some(w) if let Some(percent) = percentage(&w.value) => percent,
            Some(w) => {
                self.error_at(
                    w,
                    Diagnostic::error(
                        Code::InvalidWidth,
                        format!("`{}` is not a width between 1% and 100%", w.value),
                    )
                    .hint("write a percentage of the text width, e.g. `80%`"),
                );
                return None;
            }
            None => 100.0,
        };
        if caption.is_none() {
            self.error_at(
                at,
                Diagnostic::warning(Code::FigureWithoutCaption, "the figure has no caption")
                    .hint("add `caption:` so that readers know what it shows; it is numbered then"),
            );
        }
        // On a text width of 16 cm, at most 20 cm tall (room for the
        // caption on an A4 page).
        let width = image.fitted_width(width, 20.0 / 16.0);
        Some(Block::Figure(Figure { caption, image, alt: figure.alt.clone(), width }))
    }

    fn table(
        &mut self,
        at: &Spanned<record::Block>,
        spec: &record::Table,
        caption: Option<String>,
    ) -> Option<Table> {
        // The header and rows, from the file or from the record.
        let (columns, rows): (Vec<String>, Vec<Vec<String>>) = match (&spec.file, &spec.rows) {
            (Some(file), None) => {
                let (name, table) = self.table_file(spec.table(file))?;
                let picked: Vec<usize> = match &spec.columns {
                    Some(wanted) => {
                        let found: Vec<_> =
                            wanted.iter().map(|w| self.column(&name, &table, w)).collect();
                        found.into_iter().collect::<Option<_>>()?
                    }
                    None => (0..table.headers.len()).collect(),
                };
                let group = match &spec.group_by {
                    Some(g) => Some(self.column(&name, &table, g)?),
                    None => None,
                };
                // The grouping column comes first, whether picked or not.
                let order: Vec<usize> = group
                    .into_iter()
                    .chain(picked.into_iter().filter(|&i| Some(i) != group))
                    .collect();
                let columns = order.iter().map(|&i| table.headers[i].clone()).collect();
                let rows = table
                    .rows
                    .iter()
                    .map(|row| order.iter().map(|&i| row[i].clone()).collect())
                    .collect();
                (columns, rows)
            }
            (None, Some(rows)) => {
                let Some(columns) = &spec.columns else {
                    self.error_at(
                        at,
                        Diagnostic::error(
                            Code::TableColumns,
                            "a table with `rows` needs `columns`",
                        )
                        .hint("name the columns: `columns: [Challenges, Way forward]`"),
                    );
                    return None;
                };
                let columns: Vec<String> = columns.iter().map(|c| c.value.clone()).collect();
                let mut ok = true;
                for row in rows {
                    if row.value.len() != columns.len() {
                        ok = false;
                        self.error_at(
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
                }
                if !ok {
                    return None;
                }
                let mut rows: Vec<Vec<String>> = rows.iter().map(|r| r.value.clone()).collect();
                let mut columns = columns;
                if let Some(g) = &spec.group_by {
                    let Some(i) =
                        columns.iter().position(|c| c.eq_ignore_ascii_case(g.value.trim()))
                    else {
                        self.error_at(
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
                (columns, rows)
            }
            _ => {
                self.error_at(
                    at,
                    Diagnostic::error(Code::TableSource, "a table has either `file` or `rows`")
                        .hint(
                            "read it from a CSV file with `file:`, or write `columns:` and `rows:`",
                        ),
                );
                return None;
            }
        };

        let widths = match &spec.widths {
            Some(w)
                if w.value.len() == columns.len()
                    && w.value.iter().all(|x| *x > 0.0)
                    && narrowest(&w.value) < MAX_WIDTH_RATIO =>
            {
                Some(w.value.clone())
            }
            Some(w) if w.value.len() == columns.len() && w.value.iter().all(|x| *x > 0.0) => {
                self.error_at(
                    w,
                    Diagnostic::error(
                        Code::TableWidths,
                        format!(
                            "`widths` makes a column {:.0} times narrower than the widest; its words would overlap the next column",
                            narrowest(&w.value)
                        ),
                    )
                    .hint(format!("keep the widest column at most {MAX_WIDTH_RATIO:.0} times the narrowest, e.g. `widths: [3, 1, 1]`")),
                );
                return None;
            }
            Some(w) => {
                self.error_at(
                    w,
                    Diagnostic::error(
                        Code::TableWidths,
                        format!(
                            "`widths` needs {} positive numbers, one per column",
                            columns.len()
                        ),
                    )
                    .hint("e.g. `widths: [2, 1, 1]` makes the first column twice as wide"),
                );
                return None;
            }
            None => None,
        };
        if columns.len() > WIDE_TABLE {
            self.error_at(at, wide_table(columns.len()));
        }
        // Columns of numbers (and percentages) align on the right.
        let numeric: Vec<bool> = (0..columns.len())
            .map(|c| {
                let cells: Vec<&str> = rows
                    .iter()
                    .filter_map(|r| r.get(c).map(|t| t.trim()))
                    .filter(|t| !t.is_empty())
                    .collect();
                !cells.is_empty() && cells.iter().all(|t| is_number(t))
            })
            .collect();
        // The table spans the text width: each column as wide as its
        // longest cell (within bounds), unless `widths` says otherwise.
        let widths = widths.or_else(|| {
            let longest = |c: usize| {
                let cells = rows.iter().filter_map(|r| r.get(c)).map(|t| t.chars().count());
                cells.chain([columns[c].chars().count().min(12)]).max().unwrap_or(1)
            };
            Some((0..columns.len()).map(|c| (longest(c) + 2).clamp(5, 42) as f64).collect())
        });
        let rows = merge_first_column(rows, spec.group_by.is_some());
        Some(Table { caption, columns, rows, widths, numeric })
    }

    fn chart(&mut self, spec: &record::Chart, caption: Option<String>) -> Option<Chart> {
        let (name, table) = self.table_file(spec.table(&spec.file))?;
        let label = self.column(&name, &table, &spec.label);
        let values: Vec<Option<usize>> =
            spec.values.iter().map(|v| self.column(&name, &table, v)).collect();
        let label = label?;
        let values: Vec<usize> = values.into_iter().collect::<Option<_>>()?;
        if let Some((i, _)) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
            self.error_at(
                &spec.values[i],
                Diagnostic::error(
                    Code::ChartValues,
                    format!("`values` names the column `{}` twice", table.headers[values[i]]),
                )
                .hint("name each column once; each is a series of bars"),
            );
            return None;
        }
        if table.rows.is_empty() {
            self.error_at(
                &spec.file,
                Diagnostic::error(
                    Code::ChartValues,
                    format!("`{name}` has no rows: the chart would be empty"),
                )
                .hint("add a row per bar under the header"),
            );
            return None;
        }
        if values.is_empty() {
            self.error_at(
                &spec.file,
                Diagnostic::error(Code::ChartValues, "the chart has no `values` column")
                    .hint("name one or more numeric columns: `values: [Score]`"),
            );
            return None;
        }

        let language = self.language.as_ref()?;
        let separator = language.decimal_separator();
        let mut numbers: Vec<Vec<Option<(f64, String)>>> = Vec::new();
        let mut wrong = Vec::new();
        for (row, line) in table.rows.iter().zip(&table.lines) {
            let mut parsed = Vec::new();
            for &column in &values {
                let cell = row[column].trim();
                match language.read_decimal(cell) {
                    _ if cell.is_empty() => parsed.push(None),
                    Some((n, text)) if n >= 0.0 => parsed.push(Some((n, text))),
                    _ => {
                        wrong.push((cell.to_owned(), column, *line));
                        parsed.push(None);
                    }
                }
            }
            numbers.push(parsed);
        }
        let ok = wrong.is_empty();
        for (cell, column, line) in wrong {
            let place = match &table.origin {
                None => format!("in column `{}` on line {line}", table.headers[column]),
                Some(_) => format!(
                    "in column `{}` ({})",
                    table.headers[column],
                    table.place(line, Some(column))
                ),
            };
            let d = Diagnostic::error(
                Code::NotANumber,
                format!("`{cell}` {place} is not a number a bar can show"),
            );
            let d = self.at_row(d, &name, &table, line);
            self.error(
                d.hint(if separator == ',' {
                    "write numbers without grouping, with a `,` or `.` for decimals (0,75), not negative; leave the cell empty for no value"
                } else {
                    "write numbers without grouping, with a `.` for decimals (0.75), not negative; leave the cell empty for no value"
                }),
            );
        }
        if !ok {
            return None;
        }
        let largest = numbers.iter().flatten().flatten().map(|(n, _)| *n).fold(0.0, f64::max);
        // All values 0 (or none): bars of no length, on an axis up to 1.
        let max = spec.max.as_ref().map_or(if largest > 0.0 { largest } else { 1.0 }, |m| m.value);
        if !(max > 0.0 && max >= largest) {
            let d = Diagnostic::error(
                Code::ChartMax,
                format!("the chart's maximum ({max}) is below its largest value ({largest})"),
            )
            .hint("raise `max`, or leave it out to use the largest value");
            match &spec.max {
                Some(m) => self.error_at(m, d),
                None => self.error_at(&spec.file, d),
            }
            return None;
        }
        let series: Vec<String> = values.iter().map(|&i| table.headers[i].clone()).collect();
        let bars: Vec<Bar> = table
            .rows
            .iter()
            .zip(numbers)
            .map(|(row, values)| Bar {
                label: row[label].clone(),
                values: values
                    .into_iter()
                    .map(|v| v.map(|(n, text)| BarValue { text, ratio: n / max }))
                    .collect(),
            })
            .collect();
        let alt = spec.alt.clone().unwrap_or_else(|| chart_alt(&series, &bars));
        Some(Chart { caption, alt, series, bars, max })
    }
}

/// The data of a chart in words: "Score: Malaysia 0.7892, Turkey 0.7718".
fn chart_alt(series: &[String], bars: &[Bar]) -> String {
    series
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<String> = bars
                .iter()
                .map(|bar| match &bar.values[i] {
                    Some(v) => format!("{} {}", bar.label, v.text),
                    None => format!("{} no value", bar.label),
                })
                .collect();
            format!("{name}: {}", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ")
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

/// The most characters of a caption, which stays with its table or
/// figure on one page.
pub(crate) const MAX_CAPTION: usize = 600;

/// The refusal of a caption too long.
pub(crate) fn long_caption(caption: &str) -> Diagnostic {
    Diagnostic::error(
        Code::OutOfRange,
        format!(
            "the caption has {} characters; a caption holds up to {MAX_CAPTION}",
            caption.chars().count()
        ),
    )
    .hint("say what the table or figure shows in a sentence or two; put the rest in a text block")
}

/// The most columns a table has before its words no longer fit.
pub(crate) const WIDE_TABLE: usize = 10;

/// The warning for a table of `columns` columns.
pub(crate) fn wide_table(columns: usize) -> Diagnostic {
    Diagnostic::warning(
        Code::WideTable,
        format!("the table has {columns} columns; on a page, words in columns this narrow break or overlap"),
    )
    .hint(format!("print at most {WIDE_TABLE}: pick them with `columns:`, or split the table"))
}

/// "1 cell", "2 cells".
pub(crate) fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn non_empty(text: &Option<String>) -> Option<String> {
    text.clone().filter(|t| !t.trim().is_empty())
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

/// The number of a percentage from 1% to 100%.
fn percentage(text: &str) -> Option<f64> {
    text.trim()
        .strip_suffix('%')
        .and_then(|n| n.trim().parse::<f64>().ok())
        .filter(|n| (1.0..=100.0).contains(n))
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

    #[test]
    fn chart_alternative_text_reads_the_data() {
        let bars = vec![
            Bar {
                label: "Malaysia".into(),
                values: vec![Some(BarValue { text: "0.7892".into(), ratio: 0.7892 })],
            },
            Bar { label: "Nigeria".into(), values: vec![None] },
        ];
        assert_eq!(chart_alt(&["Score".into()], &bars), "Score: Malaysia 0.7892, Nigeria no value");
    }

    #[test]
    fn widths_are_percentages() {
        assert_eq!(percentage("80%"), Some(80.0));
        assert_eq!(percentage(" 100 %"), Some(100.0));
        assert_eq!(percentage("120%"), None);
        assert_eq!(percentage("80"), None);
    }
}
