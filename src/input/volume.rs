//! What a report costs to lay out, in the units of [`MAX_VOLUME`]: a
//! unit per cell, entry or option, and a unit more per 25 characters of
//! its text; and the refusal of a report over the bound.

use super::MAX_VOLUME;
use crate::diag::{Code, Diagnostic};
use crate::input::checks::text::layout_units;
use crate::model::Workshop;
use crate::model::survey::Survey;
use crate::model::{Agenda, Block, Chapter, ContactGroup, ParticipantList, Person};

/// The characters of a cell or entry that cost a unit more: a table
/// lays out each cell more than once (measuring its column, then
/// placing it), and keeps each layout, so that its text costs about
/// half a kilobyte a character against 18 KB for the cell itself.
const CELL_CHARS: usize = 25;

/// A cell's or entry's units: one, and one per [`CELL_CHARS`]
/// characters (and more for a paragraph of thousands, see
/// [`layout_units`]).
pub fn text(s: &str) -> usize {
    let chars = s.chars().count();
    1 + chars / CELL_CHARS + layout_units(chars) - chars / 100
}

fn blocks(blocks: &[Block]) -> usize {
    blocks.iter().map(Block::volume).sum()
}

pub fn chapter(c: &Chapter) -> usize {
    let presentations: usize = c
        .presentations
        .iter()
        .map(|p| 1 + blocks(&p.body) + p.parts.iter().map(|part| blocks(&part.body)).sum::<usize>())
        .sum();
    1 + blocks(&c.body) + presentations + c.sections.iter().map(chapter).sum::<usize>()
}

/// A named group's heading row, repeated (marked as continued) on
/// every page its rows run onto, costs as much as ten cells: thousands
/// of groups of one participant each lay out in time growing faster
/// than their number.
const GROUP: usize = 10;

pub fn participants(lists: &[ParticipantList]) -> usize {
    let groups = lists.iter().flat_map(|l| &l.groups);
    groups
        .map(|g| {
            let heading = if g.name.is_some() { GROUP } else { 1 };
            heading + g.rows.iter().flatten().map(|c| text(c)).sum::<usize>()
        })
        .sum()
}

fn person(p: &Person) -> usize {
    [Some(&p.name), p.role.as_ref(), p.organisation.as_ref(), p.duration.as_ref()]
        .into_iter()
        .flatten()
        .map(|s| text(s))
        .sum()
}

pub fn agenda(a: &Agenda) -> usize {
    let session = |s: &crate::model::Session| {
        1 + s.times.iter().map(|t| text(t)).sum::<usize>()
            + text(&s.title)
            + s.topics.iter().map(|t| text(t)).sum::<usize>()
            + s.speakers.iter().map(person).sum::<usize>()
            + s.moderators.iter().map(person).sum::<usize>()
    };
    a.days.iter().map(|d| 10 + d.sessions.iter().map(session).sum::<usize>()).sum()
}

pub fn contacts(groups: &[ContactGroup]) -> usize {
    let person = |p: &crate::model::Contact| {
        text(&p.name)
            + [&p.title, &p.unit, &p.email].into_iter().flatten().map(|s| text(s)).sum::<usize>()
    };
    groups.iter().map(|g| text(&g.organisation) + g.people.iter().map(person).sum::<usize>()).sum()
}

pub fn survey(s: &Survey) -> usize {
    s.questions
        .iter()
        .map(|q| {
            text(&q.title)
                + q.options.iter().map(|o| text(&o.label)).sum::<usize>()
                + q.responses.iter().map(|r| text(r)).sum::<usize>()
        })
        .sum()
}

/// Refuses a report too large to lay out within bounded time and memory
/// (about 400 pages, at most 1.9 GB while laid out): more than
/// [`MAX_VOLUME`] cells of tables and lists, sessions, speakers and topics,
/// chart bars, survey options and answers, and pieces of Markdown text (a
/// paragraph, an item, a link: `markdown`), each cell counting a unit more
/// per 25 characters and each paragraph per 100 (see [`text`]), in all.
pub(crate) fn check(workshop: &Workshop, markdown: usize) -> Result<(), Diagnostic> {
    let mut parts: Vec<(&str, usize)> = vec![("pieces of text", markdown)];
    let body = workshop.chapters.iter().map(chapter).sum();
    parts.push(("cells of tables and charts", body));
    parts.extend(workshop.annexes.iter().filter_map(|annex| annex.content.volume()));
    let total: usize = parts.iter().map(|(_, n)| n).sum();
    if total <= MAX_VOLUME {
        return Ok(());
    }
    parts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let largest: Vec<String> =
        parts.iter().filter(|(_, n)| *n > 0).take(3).map(|(w, n)| format!("{n} {w}")).collect();
    Err(Diagnostic::error(
        Code::OutOfRange,
        format!(
            "the report would print {total} cells, entries and pieces of text ({}); a report prints up to {MAX_VOLUME}",
            largest.join(", ")
        ),
    )
    .hint("split the workshop into several reports, or print a selection (`columns:` for lists, `show:` for survey answers)"))
}
