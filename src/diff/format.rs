//! Printing comparisons: text for a terminal (coloured where it is one),
//! Markdown for a pull-request comment, JSON for programs. Whatever comes
//! from the inputs passes through the escaping point of its format
//! ([`crate::shown`]).

use std::io;

use codespan_reporting::term::termcolor::{Color, ColorSpec, WriteColor};
use serde::Serialize;

use super::pages::PageChange;
use super::{Area, Change, Comparison, Detail, Kind, Op, Piece, Status};
use crate::shown;

/// The JSON document: keys in this order, documented in docs/diff.md.
#[derive(Serialize)]
struct Document<'a> {
    changed: bool,
    workshops: &'a [Comparison],
}

/// Whether any comparison found a change.
pub fn changed(comparisons: &[Comparison]) -> bool {
    comparisons
        .iter()
        .any(|c| matches!(c.status, Status::Changed | Status::Added | Status::Removed))
}

/// The comparisons as one JSON document for programs (`changed`, then
/// `workshops`), as docs/diff.md describes it.
pub fn json(comparisons: &[Comparison]) -> String {
    let doc = Document { changed: changed(comparisons), workshops: comparisons };
    let mut out = shown::json(&doc);
    out.push('\n');
    out
}

fn sigil(kind: Kind) -> &'static str {
    match kind {
        Kind::Added => "+",
        Kind::Removed => "-",
        _ => "~",
    }
}

fn colour(kind: Kind) -> Color {
    match kind {
        Kind::Added => Color::Green,
        Kind::Removed => Color::Red,
        _ => Color::Yellow,
    }
}

/// "paragraph 3", "session “Opening”".
fn subject(c: &Change) -> String {
    match &c.name {
        Some(name) => format!("{} “{}”", c.what, name),
        None => c.what.clone(),
    }
}

/// A value as printed; a missing one as a dash.
fn value(v: &Option<String>) -> String {
    match v {
        Some(v) if v.is_empty() => "(empty)".to_owned(),
        Some(v) => v.replace('\n', " "),
        None => "—".to_owned(),
    }
}

/// "old → new", or the one value of something added or removed.
fn values(d: &Detail) -> String {
    match (&d.old, &d.new) {
        (Some(_), None) | (None, Some(_)) if d.field.is_empty() => {
            value(if d.old.is_some() { &d.old } else { &d.new })
        }
        _ => format!("{} → {}", value(&d.old), value(&d.new)),
    }
}

/// The first line of a change: what, how (unless `verb` is false: the
/// Markdown puts it first), where, and its value when it has only one;
/// each part escaped by `escape`.
fn headline(c: &Change, verb: bool, escape: fn(&str) -> String) -> String {
    let mut line = escape(&subject(c));
    if verb {
        line.push(' ');
        line.push_str(c.kind.verb());
    }
    if !c.place.is_empty() {
        line.push_str(&format!(" ({})", escape(&c.place.join(" › "))));
    }
    if let [d] = c.details.as_slice()
        && d.field.is_empty()
    {
        line.push_str(": ");
        line.push_str(&escape(&values(d)));
    }
    line
}

/// The detail lines below the headline.
fn detail_lines(c: &Change) -> Vec<String> {
    match c.details.as_slice() {
        [d] if d.field.is_empty() => Vec::new(),
        details => {
            details
                .iter()
                .map(|d| {
                    if d.field.is_empty() {
                        values(d)
                    } else {
                        format!("{}: {}", d.field, values(d))
                    }
                })
                .collect()
        }
    }
}

/// "3 changes".
fn count(n: usize) -> String {
    if n == 1 { "1 change".to_owned() } else { format!("{n} changes") }
}

/// "old → new", or where the only version is; each named by `name`.
fn versions(c: &Comparison, name: fn(&str) -> String) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => format!("{} → {}", name(o), name(n)),
        (Some(o), None) => format!("only in {}", name(o)),
        (None, Some(n)) => format!("only in {}", name(n)),
        (None, None) => String::new(),
    }
}

fn status_line(c: &Comparison) -> String {
    match c.status {
        Status::Unchanged => "no change in the report".to_owned(),
        Status::Changed if c.changes.is_empty() => "only the pages changed".to_owned(),
        Status::Changed => count(c.changes.len()),
        Status::Added => "new workshop".to_owned(),
        Status::Removed => "workshop removed".to_owned(),
        Status::Failed => "could not be compared".to_owned(),
    }
}

/// Writes the comparisons as text, coloured if `out` supports it.
pub fn text(out: &mut dyn WriteColor, comparisons: &[Comparison]) -> io::Result<()> {
    for (n, c) in comparisons.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        out.set_color(ColorSpec::new().set_bold(true))?;
        write!(out, "{}", shown::line(&c.workshop))?;
        out.reset()?;
        writeln!(out, ": {} ({})", status_line(c), versions(c, terminal))?;
        for error in &c.errors {
            writeln!(out, "  {}", shown::line(error))?;
        }
        let mut area: Option<Area> = None;
        for change in &c.changes {
            if area != Some(change.area) {
                area = Some(change.area);
                out.set_color(ColorSpec::new().set_bold(true))?;
                write!(out, "{}", change.area.title())?;
                out.reset()?;
                writeln!(out)?;
            }
            write!(out, "  ")?;
            out.set_color(ColorSpec::new().set_fg(Some(colour(change.kind))))?;
            write!(out, "{}", sigil(change.kind))?;
            out.reset()?;
            writeln!(out, " {}", headline(change, true, terminal))?;
            for line in detail_lines(change) {
                writeln!(out, "      {}", shown::line(&line))?;
            }
            if let Some(words) = &change.words {
                write!(out, "      ")?;
                text_words(out, words)?;
                writeln!(out)?;
            }
        }
        if let Some(pages) = &c.pages {
            let (lines, pictures) = page_lines(pages);
            out.set_color(ColorSpec::new().set_bold(true))?;
            write!(out, "Pages")?;
            out.reset()?;
            writeln!(out, "{}", if lines.is_empty() { ": none changed" } else { "" })?;
            for (sigil, line) in lines {
                writeln!(out, "  {sigil} {line}")?;
            }
            for picture in pictures {
                writeln!(out, "      {}", shown::line(&picture))?;
            }
        }
    }
    Ok(())
}

/// Text for a terminal (see [`shown::line`]).
fn terminal(text: &str) -> String {
    shown::line(text).into_owned()
}

/// A word diff: `[-removed-]{+inserted+}` as git prints it, or in red and
/// green on a terminal.
fn text_words(out: &mut dyn WriteColor, words: &[Piece]) -> io::Result<()> {
    let colour = out.supports_color();
    for piece in words {
        let text = piece.text.replace("\n\n", " ¶ ").replace('\n', " ");
        let text = shown::line(&text);
        match piece.op {
            Op::Equal => write!(out, "{text}")?,
            Op::Delete | Op::Insert => {
                let (open, close, c) = match piece.op {
                    Op::Delete => ("[-", "-]", Color::Red),
                    _ => ("{+", "+}", Color::Green),
                };
                if colour {
                    let mut spec = ColorSpec::new();
                    spec.set_fg(Some(c));
                    if piece.op == Op::Delete {
                        spec.set_strikethrough(true);
                    } else {
                        spec.set_underline(true);
                    }
                    out.set_color(&spec)?;
                    write!(out, "{text}")?;
                    out.reset()?;
                } else {
                    write!(out, "{open}{text}{close}")?;
                }
            }
        }
    }
    Ok(())
}

/// Page numbers, runs of three or more as a range: "4, 6–9".
fn page_list(pages: &[&PageChange], side: fn(&PageChange) -> Option<usize>) -> String {
    let numbers: Vec<usize> = pages.iter().filter_map(|p| side(p)).collect();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let mut j = i;
        while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            parts.push(format!("{}–{}", numbers[i], numbers[j]));
        } else {
            parts.extend(numbers[i..=j].iter().map(ToString::to_string));
        }
        i = j + 1;
    }
    parts.join(", ")
}

/// The changed pages: (sigil, "changed: 4, 21"), and the pictures written.
fn page_lines(pages: &[PageChange]) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut lines = Vec::new();
    for (kind, side, label) in [
        (Kind::Changed, (|p: &PageChange| p.new) as fn(&PageChange) -> Option<usize>, "changed"),
        (Kind::Added, |p: &PageChange| p.new, "added"),
        (Kind::Removed, |p: &PageChange| p.old, "removed (old numbering)"),
    ] {
        let these: Vec<&PageChange> = pages.iter().filter(|p| p.kind == kind).collect();
        if !these.is_empty() {
            lines.push((sigil(kind), format!("{label}: {}", page_list(&these, side))));
        }
    }
    let pictures = pages.iter().filter_map(|p| p.picture.clone()).collect();
    (lines, pictures)
}

/// Text for Markdown (see [`shown::markdown`]).
fn md(text: &str) -> String {
    shown::markdown(text)
}

/// The comparisons as Markdown, to paste into a pull-request comment.
pub fn markdown(comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    for c in comparisons {
        out.push_str(&format!("### {}\n\n", md(&c.workshop)));
        let versions = versions(c, |v| format!("`{}`", code(v)));
        out.push_str(&format!("{}: {}\n\n", capitalise(&status_line(c)), versions));
        for error in &c.errors {
            out.push_str(&format!("- {}\n", md(error)));
        }
        if !c.errors.is_empty() {
            out.push('\n');
        }
        let mut area: Option<Area> = None;
        for change in &c.changes {
            if area != Some(change.area) {
                if area.is_some() {
                    out.push('\n');
                }
                area = Some(change.area);
                out.push_str(&format!("**{}**\n\n", change.area.title()));
            }
            out.push_str(&format!("- **{}** {}", change.kind.verb(), headline(change, false, md)));
            out.push('\n');
            for line in detail_lines(change) {
                out.push_str(&format!("  - {}\n", md(&line)));
            }
            if let Some(words) = &change.words {
                out.push_str(&format!("  - {}\n", md_words(words)));
            }
        }
        if !c.changes.is_empty() {
            out.push('\n');
        }
        if let Some(pages) = &c.pages {
            let (lines, pictures) = page_lines(pages);
            if lines.is_empty() {
                out.push_str("**Pages**: none changed\n\n");
            } else {
                out.push_str("**Pages**\n\n");
                for (_, line) in lines {
                    out.push_str(&format!("- {line}\n"));
                }
                for picture in pictures {
                    out.push_str(&format!("  - `{}`\n", code(&picture)));
                }
                out.push('\n');
            }
        }
    }
    out
}

/// `~~removed~~ **inserted**`, the spaces around a run outside its marks.
fn md_words(words: &[Piece]) -> String {
    let mut out = String::new();
    let mut previous = Op::Equal;
    for piece in words {
        let text = piece.text.replace("\n\n", " ¶ ");
        if previous == Op::Delete && piece.op == Op::Insert {
            out.push(' ');
        }
        previous = piece.op;
        let mark = match piece.op {
            Op::Equal => {
                out.push_str(&md(&text));
                continue;
            }
            Op::Delete => "~~",
            Op::Insert => "**",
        };
        let inner = text.trim();
        if inner.is_empty() {
            out.push_str(&text);
            continue;
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        out.push_str(&format!("{lead}{mark}{}{mark}{trail}", md(inner)));
    }
    out
}

/// Text inside a code span (see [`shown::code`]).
fn code(text: &str) -> String {
    shown::code(text)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_prints_user_text_as_typed() {
        assert_eq!(md("*bold* [link](x) <b> @team"), r"\*bold\* \[link\](x) \<b\> \@team");
    }

    #[test]
    fn page_runs_are_ranges() {
        let page = |n| PageChange {
            kind: Kind::Changed,
            old: None,
            new: Some(n),
            regions: vec![],
            picture: None,
        };
        let pages: Vec<PageChange> = [4, 6, 7, 8, 9, 12, 13].into_iter().map(page).collect();
        let refs: Vec<&PageChange> = pages.iter().collect();
        assert_eq!(page_list(&refs, |p| p.new), "4, 6–9, 12, 13");
    }

    #[test]
    fn word_marks_hug_the_words() {
        let words = vec![
            Piece { op: Op::Equal, text: "the ".into() },
            Piece { op: Op::Delete, text: "old".into() },
            Piece { op: Op::Insert, text: "new one".into() },
            Piece { op: Op::Equal, text: " end".into() },
        ];
        assert_eq!(md_words(&words), "the ~~old~~ **new one** end");
    }
}
