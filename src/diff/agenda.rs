//! Changes to an agenda between two versions: days matched by date,
//! sessions by their time and title, each session's fields compared.

use super::annex::{by_name, list_details, person};
use super::matching::{At, Pair, pairs};
use super::{Area, Change, Changes, Kind, key};
use crate::model::{Agenda, AgendaDay, Person, Session};

/// "09:00–09:30", or the start alone.
fn time(s: &Session) -> String {
    match &s.end {
        Some(end) => format!("{}–{end}", s.start),
        None => s.start.clone(),
    }
}

/// A session of an agenda, with its day.
struct Slot<'a> {
    day: &'a AgendaDay,
    session: &'a Session,
    /// The day of the new version it belongs to: its own for a new
    /// session; for an old one, the new day its day pairs with (`None`:
    /// its day was removed).
    home: Option<&'a AgendaDay>,
}

impl Slot<'_> {
    fn home_is(&self, day: &AgendaDay) -> bool {
        self.home.is_some_and(|h| std::ptr::eq(h, day))
    }
}

/// Days matched by date, sessions by time and title.
pub(crate) fn compare<'a>(out: &mut Changes, place: &[String], old: &'a Agenda, new: &'a Agenda) {
    let a = Area::Agenda;
    out.list(a, place, "time zones", &old.zones, &new.zones);
    // Days by date; a day whose date changed pairs with one left over.
    let days: Vec<Pair<AgendaDay>> =
        pairs(&old.days, &new.days, |d| d.date).then_by(|_| ()).into_iter().collect();
    let both: Vec<(At<AgendaDay>, At<AgendaDay>)> = days
        .iter()
        .filter_map(|p| match *p {
            Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => Some((old, new)),
            _ => None,
        })
        .collect();
    kept_days(out, place, &days, &both);

    let new_home = |day: &'a AgendaDay| {
        both.iter().find(|(o, _)| std::ptr::eq(o.item, day)).map(|(_, n)| n.item)
    };
    let (old_slots, new_slots) = (slots(old, &new_home), slots(new, &Some));
    let sessions = session_pairs(&old_slots, &new_slots);

    for pair in &days {
        let (old_day, day) = match *pair {
            Pair::Removed(_) => continue,
            Pair::Added(n) => (None, n),
            Pair::Kept { old, new, .. } | Pair::Renamed { old, new } => (Some(old), new),
        };
        day_sessions(out, place, old_day, day, &sessions);
    }
    for pair in &days {
        if let Pair::Removed(day) = pair {
            out.push(Change::new(a, Kind::Removed, "day").named(&day.date_text).at(place).detail(
                "sessions",
                Some(day.sessions.len().to_string()),
                None::<String>,
            ));
        }
    }
}

/// Where the changes of `day` are told: under the agenda's `place`, its
/// date.
fn day_place(place: &[String], day: &AgendaDay) -> Vec<String> {
    let mut p = place.to_vec();
    p.push(day.date_text.clone());
    p
}

/// The changes to the days in both versions: a new date, a new title.
fn kept_days(
    out: &mut Changes,
    place: &[String],
    days: &[Pair<AgendaDay>],
    both: &[(At<AgendaDay>, At<AgendaDay>)],
) {
    let a = Area::Agenda;
    for pair in days {
        if let Pair::Renamed { old: o, new: n } = pair {
            out.push(
                Change::new(a, Kind::Changed, "date of day")
                    .named(format!("Day {}", n.position()))
                    .at(place)
                    .detail("", Some(&o.date_text), Some(&n.date_text)),
            );
        }
    }
    for (o, n) in both {
        out.value(a, &day_place(place, n), "day title", o.title.as_deref(), n.title.as_deref());
    }
}

/// The sessions of an agenda, each with its day and the day of the new
/// version it belongs to (`home`, from its day).
fn slots<'a>(
    agenda: &'a Agenda,
    home: &dyn Fn(&'a AgendaDay) -> Option<&'a AgendaDay>,
) -> Vec<Slot<'a>> {
    let mut slots = Vec::new();
    for day in &agenda.days {
        let home = home(day);
        slots.extend(day.sessions.iter().map(|session| Slot { day, session, home }));
    }
    slots
}

/// Sessions paired: by title within the same day, then by title across
/// days (moved), then by start within the same day (renamed).
fn session_pairs<'s, 'a>(old: &'s [Slot<'a>], new: &'s [Slot<'a>]) -> Vec<Pair<'s, Slot<'a>>> {
    let home = |s: &Slot| s.home.map(|d| d.date);
    pairs(old, new, |s| (home(&s), key(&s.session.title)))
        .then_by(|s| key(&s.session.title))
        .then_by(|s| (home(&s), s.session.start.clone()))
        .into_iter()
        .collect()
}

/// The changes to the sessions of `day` of the new version: those kept,
/// added, and those of `old_day`, the old day it pairs with, removed. A
/// new day (no `old_day`) is told as added, with its number of sessions.
fn day_sessions(
    out: &mut Changes,
    place: &[String],
    old_day: Option<At<AgendaDay>>,
    day: At<AgendaDay>,
    sessions: &[Pair<Slot>],
) {
    let a = Area::Agenda;
    let here = day_place(place, &day);
    if old_day.is_none() {
        // Sessions moved into a new day are still told.
        out.push(Change::new(a, Kind::Added, "day").named(&day.date_text).at(place).detail(
            "sessions",
            None::<String>,
            Some(day.sessions.len().to_string()),
        ));
    }
    for pair in sessions {
        match pair {
            Pair::Kept { old: o, new: n, .. } | Pair::Renamed { old: o, new: n }
                if std::ptr::eq(n.day, day.item) =>
            {
                session(out, &here, o, n);
            }
            Pair::Added(n) if std::ptr::eq(n.day, day.item) && old_day.is_some() => {
                let s = n.session;
                out.push(Change::new(a, Kind::Added, what(s)).named(&s.title).at(&here).detail(
                    "time",
                    None::<String>,
                    Some(time(s)),
                ));
            }
            _ => {}
        }
    }
    // The sessions of the matching old day no longer anywhere.
    if let Some(old_day) = old_day {
        for pair in sessions {
            if let Pair::Removed(o) = pair
                && std::ptr::eq(o.day, old_day.item)
            {
                let s = o.session;
                out.push(Change::new(a, Kind::Removed, what(s)).named(&s.title).at(&here).detail(
                    "time",
                    Some(time(s)),
                    None::<String>,
                ));
            }
        }
    }
}

fn what(s: &Session) -> &'static str {
    if s.is_break { "break" } else { "session" }
}

/// The changes to a session kept in both versions.
fn session(out: &mut Changes, here: &[String], old: &Slot, new: &Slot) {
    let a = Area::Agenda;
    let (o, n) = (old.session, new.session);
    let moved = !new.home.is_some_and(|d| old.home_is(d));
    if moved {
        let mut c = Change::new(a, Kind::Moved, what(n)).named(&n.title).at(here).detail(
            "day",
            Some(&old.day.date_text),
            Some(&new.day.date_text),
        );
        if time(o) != time(n) {
            c = c.detail("time", Some(time(o)), Some(time(n)));
        }
        out.push(c);
    } else if time(o) != time(n) {
        out.push(Change::new(a, Kind::Retimed, what(n)).named(&n.title).at(here).detail(
            "",
            Some(time(o)),
            Some(time(n)),
        ));
    }
    if key(&o.title) != key(&n.title) {
        out.push(Change::new(a, Kind::Renamed, what(n)).named(&n.title).at(here).detail(
            "",
            Some(&o.title),
            Some(&n.title),
        ));
    }
    let mut inner = here.to_vec();
    inner.push(format!("{} “{}”", what(n), n.title));
    if key(&o.title) == key(&n.title) {
        out.value(a, &inner, "title", Some(&o.title), Some(&n.title));
    }
    if o.is_break != n.is_break {
        out.push(Change::new(a, Kind::Changed, "kind").at(&inner).detail(
            "",
            Some(what(o)),
            Some(what(n)),
        ));
    }
    out.value(a, &inner, "description", o.description.as_deref(), n.description.as_deref());
    if o.topics != n.topics {
        out.push(
            Change::new(a, Kind::Changed, "topics")
                .at(&inner)
                .details_from(list_details("topic", &o.topics, &n.topics)),
        );
    }
    let speakers = by_name("speaker", &o.speakers, &n.speakers, |p| p.name.as_str(), person);
    if !speakers.is_empty() {
        out.push(Change::new(a, Kind::Changed, "speakers").at(&inner).details_from(speakers));
    }
    let describe =
        |p: &[Person]| (!p.is_empty()).then(|| p.iter().map(person).collect::<Vec<_>>().join("; "));
    out.value(
        a,
        &inner,
        "moderator",
        describe(&o.moderators).as_deref(),
        describe(&n.moderators).as_deref(),
    );
}
