//! A chart block: a bar chart of a table file's columns, one bar (or
//! group of bars) per row, numbered with the figures.

use super::{Block, Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::matching::{At, Pair, pairs};
use crate::diff::{Area, Change, Changes, Kind as Changed, key};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::input::tables::Table;
use crate::model::{Bar, BarValue, Chart as Content};

register! {
    4 => chart: record::Chart
}

/// A bar chart drawn from a table file.
pub struct Chart;

impl Kind for Chart {
    type Record = Record;
    type Content = Content;
    const AREA: Area = Area::Tables;

    fn check(
        spec: &Record,
        _: &Spanned<Block>,
        caption: Option<String>,
        cx: &mut Context,
    ) -> Option<Content> {
        let (name, table) = cx.table_file(spec.table(&spec.file))?;
        let (label, values) = columns(spec, &name, &table, cx)?;
        let numbers = numbers(&values, &name, &table, cx)?;
        let largest = numbers.iter().flatten().flatten().map(|(n, _)| *n).fold(0.0, f64::max);
        let max = axis(spec, largest, cx)?;
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
        Some(Content { caption, alt, series, bars, max })
    }

    /// Charts matched by caption (or number); a chart of the same bars
    /// under another caption is the same chart; bars matched by label.
    fn compare(out: &mut Changes, place: &[String], old: &[&Content], new: &[&Content]) {
        crate::diff::each_block(
            out,
            place,
            "chart",
            (old, new),
            |c| c.caption.clone().unwrap_or_else(|| format!("chart {}", c.index + 1)),
            |o, n| o.bars == n.bars,
            compare_one,
        );
    }

    fn paragraphs(_: &Content) -> Vec<String> {
        Vec::new()
    }

    fn volume(chart: &Content) -> usize {
        chart.bars.len() * chart.series.len().max(1)
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}

/// The chart's label column and value columns: each found, each value
/// column named once, and the file with rows.
fn columns(
    spec: &record::Chart,
    name: &str,
    table: &Table,
    cx: &mut Context,
) -> Option<(usize, Vec<usize>)> {
    let label = cx.column(name, table, &spec.label);
    let values: Vec<Option<usize>> =
        spec.values.iter().map(|v| cx.column(name, table, v)).collect();
    let label = label?;
    let values: Vec<usize> = values.into_iter().collect::<Option<_>>()?;
    if let Some((i, _)) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
        cx.error_at(
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
        cx.error_at(
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
        cx.error_at(
            &spec.file,
            Diagnostic::error(Code::ChartValues, "the chart has no `values` column")
                .hint("name one or more numeric columns: `values: [Score]`"),
        );
        return None;
    }
    Some((label, values))
}

/// The numbers of the value columns, row by row (`None`: an empty cell),
/// each as read and as written; every cell that is not a number a bar
/// can show reported.
#[allow(clippy::type_complexity)]
fn numbers(
    values: &[usize],
    name: &str,
    table: &Table,
    cx: &mut Context,
) -> Option<Vec<Vec<Option<(f64, String)>>>> {
    let language = cx.language.as_ref()?;
    let separator = language.decimal_separator();
    let mut numbers: Vec<Vec<Option<(f64, String)>>> = Vec::new();
    let mut wrong = Vec::new();
    for (row, line) in table.rows.iter().zip(&table.lines) {
        let mut parsed = Vec::new();
        for &column in values {
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
        let d = cx.at_row(d, name, table, line);
        cx.error(d.hint(if separator == ',' {
            "write numbers without grouping, with a `,` or `.` for decimals (0,75), not negative; leave the cell empty for no value"
        } else {
            "write numbers without grouping, with a `.` for decimals (0.75), not negative; leave the cell empty for no value"
        }));
    }
    ok.then_some(numbers)
}

/// The axis maximum: the record's `max`, at least the largest value, or
/// the largest value (1 where all are 0 or none).
fn axis(spec: &record::Chart, largest: f64, cx: &mut Context) -> Option<f64> {
    let max = spec.max.as_ref().map_or(if largest > 0.0 { largest } else { 1.0 }, |m| m.value);
    if max > 0.0 && max >= largest {
        return Some(max);
    }
    let d = Diagnostic::error(
        Code::ChartMax,
        format!("the chart's maximum ({max}) is below its largest value ({largest})"),
    )
    .hint("raise `max`, or leave it out to use the largest value");
    match &spec.max {
        Some(m) => cx.error_at(m, d),
        None => cx.error_at(&spec.file, d),
    }
    None
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

/// The changes inside a chart kept in both versions: its caption, its
/// series, and its bars matched by label.
fn compare_one(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
    let a = Area::Tables;
    out.value(a, place, "caption", old.caption.as_deref(), new.caption.as_deref());
    out.list(a, place, "series", &old.series, &new.series);
    let values = |bar: &Bar, series: &[String]| -> String {
        bar.values
            .iter()
            .zip(series)
            .map(|(v, s)| format!("{s} {}", v.as_ref().map_or("–", |v| v.text.as_str())))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for pair in pairs(&old.bars, &new.bars, |b| key(&b.label)) {
        let (o, n, moved) = match pair {
            Pair::Removed(o) => {
                let c = Change::new(a, Changed::Removed, "bar").named(&o.label).at(place);
                out.push(c.detail("", Some(values(&o, &old.series)), None::<String>));
                continue;
            }
            Pair::Added(n) => {
                let c = Change::new(a, Changed::Added, "bar").named(&n.label).at(place);
                out.push(c.detail("", None::<String>, Some(values(&n, &new.series))));
                continue;
            }
            Pair::Kept { old, new, moved } => (old, new, moved),
            Pair::Renamed { old, new } => (old, new, false),
        };
        bar(out, place, (o, n, moved), &new.series);
    }
}

/// A bar kept in both versions: its values by series, its position.
fn bar(
    out: &mut Changes,
    place: &[String],
    (o, n, moved): (At<Bar>, At<Bar>, bool),
    series: &[String],
) {
    let mut c = Change::new(Area::Tables, Changed::Changed, "bar").named(&n.label).at(place);
    for (k, name) in series.iter().enumerate() {
        let text = |bar: &Bar| bar.values.get(k).cloned().flatten().map(|v| v.text);
        if text(&o) != text(&n) {
            c = c.detail(name, text(&o), text(&n));
        }
    }
    if moved {
        c.kind = Changed::Moved;
        c = c.detail("position", Some(o.position()), Some(n.position()));
    }
    if !c.details.is_empty() {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
