//! Changes to the chapters: sections, presentations and their parts,
//! paragraphs, and the tables, figures and charts among them.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::matching::{At, Pair, pairs};
use super::{Area, Change, Changes, Kind, key, words};
use crate::model::{Block, Chapter, Part, Presentation, Table};

/// A chapter, section, presentation or part: something with a title, text,
/// blocks and children.
struct Unit<'a> {
    what: &'static str,
    title: String,
    /// What it is matched by.
    key: String,
    speaker: Option<&'a str>,
    text: Option<&'a str>,
    body: &'a [Block],
    children: Vec<Unit<'a>>,
}

fn chapter(c: &Chapter, depth: usize) -> Unit<'_> {
    let mut children: Vec<Unit> = c.presentations.iter().map(presentation).collect();
    children.extend(c.sections.iter().map(|s| chapter(s, depth + 1)));
    Unit {
        what: if depth == 0 { "chapter" } else { "section" },
        title: c.title.clone(),
        key: key(&c.title),
        speaker: None,
        text: c.text.as_deref(),
        body: &c.body,
        children,
    }
}

fn presentation(p: &Presentation) -> Unit<'_> {
    Unit {
        what: "presentation",
        title: p.title.clone(),
        key: key(&p.title),
        speaker: p.speaker.as_deref(),
        text: p.text.as_deref(),
        body: &p.body,
        children: p.parts.iter().map(part).collect(),
    }
}

fn part(p: &Part) -> Unit<'_> {
    Unit {
        what: "part",
        title: format!("{}. {}", p.number, p.title),
        key: key(&p.title),
        speaker: None,
        text: p.text.as_deref(),
        body: &p.body,
        children: Vec::new(),
    }
}

pub(super) fn chapters(out: &mut Changes, old: &[Chapter], new: &[Chapter]) {
    let old: Vec<Unit> = old.iter().map(|c| chapter(c, 0)).collect();
    let new: Vec<Unit> = new.iter().map(|c| chapter(c, 0)).collect();
    let start = out.len();
    units(out, &[], &old, &new);
    moves_between_places(out, start);
}

/// The changes among sibling units under `place`.
fn units(out: &mut Changes, place: &[String], old: &[Unit], new: &[Unit]) {
    let a = Area::Chapters;
    let same = |o: &Unit, n: &Unit| o.what == n.what && content(o) == content(n);
    for pair in pairs(old, new, |u| (u.what, u.key.clone())).renamed_when(same) {
        match pair {
            Pair::Removed(o) => {
                out.push(Change::new(a, Kind::Removed, o.what).named(&o.title).at(place));
            }
            Pair::Added(n) => {
                out.push(Change::new(a, Kind::Added, n.what).named(&n.title).at(place));
            }
            Pair::Renamed { old: o, new: n } => {
                out.push(Change::new(a, Kind::Renamed, n.what).named(&n.title).at(place).detail(
                    "title",
                    Some(&o.title),
                    Some(&n.title),
                ));
                unit(out, place, &o, &n);
            }
            Pair::Kept { old: o, new: n, moved } => {
                if moved {
                    out.push(Change::new(a, Kind::Moved, n.what).named(&n.title).at(place).detail(
                        "position",
                        Some(o.position()),
                        Some(n.position()),
                    ));
                }
                unit(out, place, &o, &n);
            }
        }
    }
}

/// A unit's own content, without its title: what a rename keeps.
fn content(u: &Unit) -> (Vec<String>, Vec<String>) {
    (paragraphs(u), u.children.iter().map(|c| c.key.clone()).collect())
}

/// The paragraphs of a unit's text and text blocks, in order.
fn paragraphs(u: &Unit) -> Vec<String> {
    let mut out: Vec<String> = u.text.map(words::paragraphs).unwrap_or_default();
    for block in u.body {
        out.extend(block.paragraphs());
    }
    out
}

/// The changes inside a unit kept in both versions.
fn unit(out: &mut Changes, place: &[String], old: &Unit, new: &Unit) {
    let mut place = place.to_vec();
    place.push(new.title.clone());
    out.value(Area::Chapters, &place, "speaker", old.speaker, new.speaker);
    text(out, Area::Chapters, &place, &paragraphs(old), &paragraphs(new));
    Block::compare(out, &place, old.body, new.body);
    units(out, &place, &old.children, &new.children);
}

/// The changes between two lists of paragraphs: edited (a word diff),
/// added, removed and moved.
pub(crate) fn text(
    out: &mut Changes,
    area: Area,
    place: &[String],
    old: &[String],
    new: &[String],
) {
    // (position in the new text, order, change)
    let mut found: Vec<(usize, usize, Change)> = Vec::new();
    let mut removed: Vec<(usize, usize)> = Vec::new(); // (old index, new anchor)
    let mut added: Vec<usize> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (tag, olds, news) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {}
            DiffTag::Delete => removed.extend(olds.map(|i| (i, news.start))),
            DiffTag::Insert => added.extend(news),
            DiffTag::Replace => {
                // A paragraph found whole on the other side moved; the others
                // pair up in order as edits.
                let (mut o, mut n) = (Vec::new(), Vec::new());
                for i in olds {
                    if new.contains(&old[i]) {
                        removed.push((i, news.start));
                    } else {
                        o.push(i);
                    }
                }
                for j in news.clone() {
                    if old.contains(&new[j]) { added.push(j) } else { n.push(j) }
                }
                // Pair in order those alike enough to be one paragraph edited.
                let mut next = 0;
                for &i in &o {
                    // Looked for among the next few new paragraphs: a
                    // text of thousands of paragraphs stays quick to compare.
                    let pair =
                        n[next..].iter().take(32).position(|&j| words::alike(&old[i], &new[j]));
                    let Some(at) = pair else {
                        removed.push((i, news.start));
                        continue;
                    };
                    added.extend(&n[next..next + at]);
                    let j = n[next + at];
                    next += at + 1;
                    let change = Change::new(area, Kind::Edited, format!("paragraph {}", j + 1))
                        .at(place)
                        .words(words::diff(&old[i], &new[j]));
                    found.push((j, 1, change));
                }
                added.extend(&n[next..]);
            }
        }
    }
    for (i, anchor) in removed {
        let twin = added.iter().position(|&j| new[j] == old[i]);
        if let Some(at) = twin {
            let j = added.remove(at);
            let change = Change::new(area, Kind::Moved, format!("paragraph {}", j + 1))
                .named(words::excerpt(&new[j]))
                .at(place)
                .detail("position", Some((i + 1).to_string()), Some((j + 1).to_string()));
            found.push((j, 1, change));
        } else {
            let change = Change::new(area, Kind::Removed, format!("paragraph {}", i + 1))
                .at(place)
                .detail("", Some(words::excerpt(&old[i])), None::<String>);
            found.push((anchor, 0, change));
        }
    }
    for j in added {
        let change = Change::new(area, Kind::Added, format!("paragraph {}", j + 1))
            .at(place)
            .detail("", None::<String>, Some(words::excerpt(&new[j])));
        found.push((j, 1, change));
    }
    found.sort_by_key(|(at, order, _)| (*at, *order));
    for (_, _, change) in found {
        out.push(change);
    }
}

/// Matches the tables (figures, charts) of a unit by their `name`: those
/// added, removed or with another caption (`same` content), and `compare`
/// for the others.
pub(crate) fn each_block<T>(
    out: &mut Changes,
    place: &[String],
    what: &str,
    (old, new): (&[&T], &[&T]),
    name: impl Fn(At<&T>) -> String,
    same: impl Fn(&T, &T) -> bool,
    compare: impl Fn(&mut Changes, &[String], &T, &T),
) {
    let a = Area::Tables;
    let inner = |n: At<&T>| {
        let mut inner = place.to_vec();
        inner.push(format!("{what} “{}”", name(n)));
        inner
    };
    for pair in pairs(old, new, |x| key(&name(x))).renamed_when(|o, n| same(o, n)) {
        match pair {
            Pair::Removed(o) => {
                out.push(Change::new(a, Kind::Removed, what).named(name(o)).at(place))
            }
            Pair::Added(n) => out.push(Change::new(a, Kind::Added, what).named(name(n)).at(place)),
            Pair::Renamed { old: o, new: n } => {
                out.push(
                    Change::new(a, Kind::Changed, format!("caption of {what}")).at(place).detail(
                        "",
                        Some(name(o)),
                        Some(name(n)),
                    ),
                );
                compare(out, &inner(n), *o, *n);
            }
            Pair::Kept { old: o, new: n, moved } => {
                if moved {
                    out.push(Change::new(a, Kind::Moved, what).named(name(n)).at(place));
                }
                compare(out, &inner(n), *o, *n);
            }
        }
    }
}

/// A table's cells as printed, merged cells repeated in each row they span.
pub(crate) fn grid(table: &Table) -> Vec<Vec<String>> {
    let width = table.columns.len();
    let mut out: Vec<Vec<String>> = Vec::new();
    // For each column, the text spanning down into it and for how many more
    // rows.
    let mut spans: Vec<Option<(String, usize)>> = vec![None; width];
    for row in &table.rows {
        let mut cells = row.iter();
        let mut line = Vec::with_capacity(width);
        for span in spans.iter_mut() {
            match span {
                Some((text, left)) if *left > 0 => {
                    line.push(text.clone());
                    *left -= 1;
                }
                _ => {
                    let cell = cells.next();
                    let text = cell.map(|c| c.text.clone()).unwrap_or_default();
                    *span = cell.map(|c| (text.clone(), c.rowspan.saturating_sub(1)));
                    line.push(text);
                }
            }
        }
        out.push(line);
    }
    out
}

/// The rows of two versions of a table from which, when they share few
/// rows, the table is said to be replaced rather than compared row by row.
const LONG_TABLE: usize = 4_000;

pub(crate) fn table(out: &mut Changes, place: &[String], old: &Table, new: &Table) {
    let a = Area::Tables;
    out.list(a, place, "columns", &old.columns, &new.columns);
    let (og, ng) = (grid(old), grid(new));
    let row_name = |row: &[String]| row.iter().find(|c| !c.trim().is_empty()).cloned();
    let joined = |row: &[String]| row.join(" | ");
    let mut found: Vec<(usize, usize, Change)> = Vec::new();
    // Rows compared by a hash of their cells, with patience diffing: quick
    // even when every row of a long table changed.
    let hash = |row: &Vec<String>| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        row.hash(&mut h);
        h.finish()
    };
    let (oh, nh): (Vec<u64>, Vec<u64>) =
        (og.iter().map(hash).collect(), ng.iter().map(hash).collect());
    // Two long tables that share few rows: one table replaced by another,
    // said in a line rather than row by row.
    if oh.len() + nh.len() > LONG_TABLE {
        let kept: std::collections::HashSet<&u64> = oh.iter().collect();
        let shared = nh.iter().filter(|h| kept.contains(h)).count();
        if 2 * shared < oh.len().min(nh.len()) {
            let c = Change::new(a, Kind::Changed, "rows").at(place).detail(
                "rows",
                Some(format!("{} rows", oh.len())),
                Some(format!("{} rows, {shared} of them as before", nh.len())),
            );
            out.push(c);
            return;
        }
    }
    for op in capture_diff_slices(Algorithm::Patience, &oh, &nh) {
        let (tag, olds, news) = op.as_tag_tuple();
        let removed = |i: usize| {
            let mut c = Change::new(a, Kind::Removed, format!("row {}", i + 1)).at(place);
            c.name = row_name(&og[i]);
            c.detail("", Some(joined(&og[i])), None::<String>)
        };
        let added = |j: usize| {
            let mut c = Change::new(a, Kind::Added, format!("row {}", j + 1)).at(place);
            c.name = row_name(&ng[j]);
            c.detail("", None::<String>, Some(joined(&ng[j])))
        };
        match tag {
            DiffTag::Equal => {}
            DiffTag::Delete => found.extend(olds.map(|i| (news.start, 0, removed(i)))),
            DiffTag::Insert => found.extend(news.map(|j| (j, 1, added(j)))),
            DiffTag::Replace => {
                let pairs = olds.len().min(news.len());
                for (i, j) in olds.clone().zip(news.clone()) {
                    let (o, n) = (&og[i], &ng[j]);
                    let kept = o.iter().zip(n).filter(|(a, b)| a == b).count();
                    let alike =
                        o.len() == n.len() && (o.first() == n.first() || 2 * kept >= o.len());
                    if !alike {
                        found.push((j, 0, removed(i)));
                        found.push((j, 1, added(j)));
                        continue;
                    }
                    let mut c = Change::new(a, Kind::Changed, format!("row {}", j + 1)).at(place);
                    c.name = row_name(n);
                    for (k, (ov, nv)) in o.iter().zip(n).enumerate() {
                        if ov != nv {
                            let column = new.columns.get(k).cloned().unwrap_or_default();
                            c = c.detail(column, Some(ov), Some(nv));
                        }
                    }
                    found.push((j, 1, c));
                }
                found.extend(olds.skip(pairs).map(|i| (news.end, 0, removed(i))));
                found.extend(news.skip(pairs).map(|j| (j, 1, added(j))));
            }
        }
    }
    found.sort_by_key(|(at, order, _)| (*at, *order));
    for (_, _, change) in found {
        out.push(change);
    }
}

/// Turns a unit removed in one place and added in another into one move.
fn moves_between_places(out: &mut Changes, start: usize) {
    let mut i = start;
    while i < out.0.len() {
        let c = &out.0[i];
        let twin = (c.kind == Kind::Removed && c.area == Area::Chapters)
            .then(|| {
                out.0.iter().position(|d| {
                    d.kind == Kind::Added
                        && d.area == Area::Chapters
                        && d.what == c.what
                        && d.name == c.name
                        && d.place != c.place
                })
            })
            .flatten();
        match twin {
            Some(j) => {
                let from = out.0[i].place.join(" › ");
                let added = &mut out.0[j];
                let to = added.place.join(" › ");
                added.kind = Kind::Moved;
                added.details.push(super::Detail {
                    field: "from".to_owned(),
                    old: Some(if from.is_empty() { "top level".to_owned() } else { from }),
                    new: Some(if to.is_empty() { "top level".to_owned() } else { to }),
                });
                out.0.remove(i);
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Cell;

    fn paras(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn summary(changes: &Changes) -> Vec<String> {
        changes.0.iter().map(|c| format!("{} {}", c.what, c.kind.verb())).collect()
    }

    #[test]
    fn paragraphs_edited_added_removed_and_moved() {
        let mut out = Changes::default();
        let old = paras(&["one a", "two b", "three c", "four d"]);
        let new = paras(&["four d", "one a", "two B", "five e"]);
        text(&mut out, Area::Chapters, &[], &old, &new);
        assert_eq!(
            summary(&out),
            ["paragraph 1 moved", "paragraph 3 removed", "paragraph 3 edited", "paragraph 4 added"]
        );
    }

    #[test]
    fn merged_cells_fill_the_rows_they_span() {
        let cell = |t: &str, rowspan| Cell { text: t.to_owned(), rowspan };
        let table = Table {
            caption: None,
            columns: vec!["Area".into(), "Need".into()],
            rows: vec![
                vec![cell("A", 2), cell("x", 1)],
                vec![cell("y", 1)],
                vec![cell("B", 1), cell("z", 1)],
            ],
            widths: None,
            numeric: vec![false, false],
        };
        assert_eq!(grid(&table), [["A", "x"], ["A", "y"], ["B", "z"]]);
    }
}
