//! A participants annex: lists of participants from CSV files or
//! workbooks, each row checked here (its group among the list's
//! `groups`), compared person by person in `diff/participants.rs`. An
//! event system's registration export (`input/registrations.rs`) prints
//! only its complete registrations, and only its public columns unless
//! `columns:` names others.

use serde::Serialize;

use super::{Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::{Area, Changes};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::input::registrations;
use crate::input::tables::Table;
use crate::language::terms::Term;
use crate::model::{DateRange, ParticipantGroup, ParticipantList};

register! {
    2 => participants: Vec<record::ParticipantList>
}

/// Lists of participants, from tables.
pub struct Participants;

/// What a participants annex prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// One table per list, in the record's order.
    pub lists: Vec<ParticipantList>,
}

impl Kind for Participants {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = Some("participants_title");
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Participants;

    fn check(lists: &Record, cx: &mut Context, _: Option<DateRange>) -> Option<Content> {
        Some(Content { lists: lists.iter().filter_map(|l| list(l, cx)).collect() })
    }

    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        crate::diff::participants::compare(out, place, &old.lists, &new.lists);
    }

    fn volume(content: &Content) -> Option<(&'static str, usize)> {
        Some(("cells of participant lists", crate::input::volume::participants(&content.lists)))
    }

    fn pictures(_: &Content) -> Vec<Picture<'_>> {
        Vec::new()
    }
}

fn list(list: &record::ParticipantList, cx: &mut Context) -> Option<ParticipantList> {
    let (name, table) = cx.table_file(list.table(&list.file))?;
    let group = match &list.group_by {
        Some(g) => Some(cx.column(&name, &table, g)?),
        None => None,
    };
    let registrations = registrations::recognise(&table.headers);
    let keep = kept(list, registrations.as_ref(), (&name, &table), cx)?;
    let (printed, headings) = match &list.columns {
        Some(columns) => picked(columns, &name, &table, cx)?,
        None => {
            let all: Vec<usize> = match &registrations {
                Some(r) => r.shown.clone(),
                None => (0..table.headers.len()).collect(),
            };
            let all: Vec<usize> = all.into_iter().filter(|&i| Some(i) != group).collect();
            let headings = all.iter().map(|&i| table.headers[i].clone()).collect();
            (all, headings)
        }
    };
    if printed.len() > crate::input::WIDE_TABLE {
        cx.error_at(&list.file, crate::input::wide_table(printed.len()));
    }
    let mut groups: Vec<ParticipantGroup> = Vec::new();
    for ((row, &line), _) in table.rows.iter().zip(&table.lines).zip(&keep).filter(|(_, k)| **k) {
        if let Some(g) = group {
            check_group(list, &row[g], (&name, &table, line, g), cx);
        }
        let key = group.map(|g| row[g].clone());
        let cells = printed.iter().map(|&i| row[i].clone()).collect();
        match groups.iter_mut().find(|g| g.name == key) {
            Some(g) => g.rows.push(cells),
            None => groups.push(ParticipantGroup { name: key, rows: vec![cells] }),
        }
    }
    Some(ParticipantList {
        title: list.title.clone(),
        group_by: group.map(|g| table.headers[g].clone()),
        columns: headings,
        groups,
    })
}

/// Which rows are participants: all of a list; of a registration export,
/// those whose state counts (`Completed`, or the record's `states:`), a
/// state the tool does not know an error.
fn kept(
    list: &record::ParticipantList,
    registrations: Option<&registrations::Registrations>,
    (name, table): (&str, &Table),
    cx: &mut Context,
) -> Option<Vec<bool>> {
    let all = vec![true; table.rows.len()];
    let Some(r) = registrations else {
        if list.states.is_some() {
            let d = Diagnostic::error(
                Code::ParticipantList,
                format!("`states` is given, but `{name}` is not a registration export (`ID`, `Name`, ..., `Registration state`)"),
            )
            .hint("leave `states:` out: every row of a list prints");
            cx.error_at(&list.file, d);
            return None;
        }
        return Some(all);
    };
    let Some(column) = r.state else {
        let d = Diagnostic::warning(
            Code::ParticipantList,
            format!("`{name}` is an Indico registration export without its `Registration state` column: every registration prints, withdrawn and pending ones too"),
        )
        .hint("display the column `Registration state` in Indico's registration list and export it again");
        cx.error_at(&list.file, d);
        return Some(all);
    };
    let mut keep = Vec::with_capacity(table.rows.len());
    let mut failed = false;
    for (row, &line) in table.rows.iter().zip(&table.lines) {
        match registrations::counts(&row[column], list.states.as_deref()) {
            Some(counts) => keep.push(counts),
            None => {
                failed = true;
                let place = table.place(line, Some(column));
                let state = row[column].trim();
                let message = match state {
                    "" => format!("the registration on {place} has no state"),
                    _ => format!("`{state}` on {place} is not a registration state the tool knows"),
                };
                let example = if state.is_empty() { registrations::COMPLETE } else { state };
                // Named by its line only: the row holds personal data a CI
                // log should not show.
                let d = Diagnostic::error(Code::ParticipantList, message)
                    .hint(format!(
                        "Indico's are {}, {}; for an export in another language, say which count: `states: [{example}]`",
                        registrations::COMPLETE,
                        registrations::OTHERS.join(", ")
                    ))
                    .in_file(name);
                cx.error(d);
            }
        }
    }
    if failed {
        return None;
    }
    if !keep.contains(&true) && !keep.is_empty() {
        let d = Diagnostic::warning(
            Code::ParticipantList,
            format!("no registration of `{name}` is complete: the list prints no one"),
        )
        .hint("check the export's `Registration state` column, or the list's `states:`");
        cx.error_at(&list.file, d);
    }
    Some(keep)
}

/// The columns `columns:` picks, each with the heading it prints under.
fn picked(
    columns: &[Spanned<record::Column>],
    name: &str,
    table: &Table,
    cx: &mut Context,
) -> Option<(Vec<usize>, Vec<String>)> {
    let mut found = Vec::new();
    let mut headings = Vec::new();
    for pick in columns {
        let (source, heading) = match &pick.value {
            record::Column::Same(c) => (c.clone(), c.trim().to_owned()),
            record::Column::Renamed(map) if map.len() == 1 => {
                let (from, to) = map.iter().next().expect("one entry");
                (from.clone(), to.trim().to_owned())
            }
            record::Column::Renamed(_) => {
                cx.error_at(
                    pick,
                    Diagnostic::error(
                        Code::UnknownColumn,
                        "a renamed column is one entry, `{column in the file: heading printed}`",
                    )
                    .hint("write `- {Full name: Name}`, one column per line"),
                );
                found.push(None);
                continue;
            }
        };
        let wanted = Spanned::at(source, pick);
        found.push(cx.column(name, table, &wanted));
        headings.push(heading);
    }
    Some((found.into_iter().collect::<Option<_>>()?, headings))
}

/// A row's group: given (a warning otherwise), and one of the list's
/// `groups` where it lists them.
fn check_group(
    list: &record::ParticipantList,
    value: &str,
    (name, table, line, g): (&str, &Table, usize, usize),
    cx: &mut Context,
) {
    use crate::input::sections::agenda::normalise_name;
    let place = table.place(line, Some(g));
    if value.is_empty() {
        let d = Diagnostic::warning(
            Code::ParticipantWithoutGroup,
            format!("the participant on {place} has no `{}`", table.headers[g]),
        )
        .hint("fill in the cell; the row prints under no group");
        let d = cx.at_row(d, name, table, line);
        cx.error(d);
        return;
    }
    let Some(allowed) = &list.groups else { return };
    if allowed.iter().any(|n| normalise_name(n) == normalise_name(value)) {
        return;
    }
    let listed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let hint = match crate::input::closest(value, &listed) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the groups are: {}", listed.join(", ")),
    };
    let d = Diagnostic::error(
        Code::UnknownGroup,
        format!("`{value}` on {place} is not one of the list's `groups`"),
    )
    .hint(hint);
    let d = cx.at_row(d, name, table, line);
    cx.error(d);
}
