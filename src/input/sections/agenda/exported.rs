//! An agenda an event system exported: an Indico timetable
//! (`indico.rs`) or an iCalendar file (`icalendar.rs`), each read into
//! the [`Export`] here, whose entries then become the agenda's days as a
//! typed agenda's sessions do: their times in the record's zones, what the
//! record's `add:` adds to them, the days' titles from `days:`.

use jiff::Zoned;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::{Days, normalise_name};
use crate::diag::{Code, Diagnostic, Span};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::input::sink::{Check, Errors};
use crate::language::Clock;
use crate::model::{AgendaDay, DateRange, Person, Session};

/// The most entries an exported agenda holds (sessions, contributions,
/// breaks and events, recurrences expanded): a week of a large
/// conference's programme.
pub(super) const MAX_ENTRIES: usize = 2000;

/// The largest agenda file read, in bytes.
pub(super) const MAX_EXPORT_BYTES: u64 = 8 << 20;

/// An agenda as an event system exported it.
#[derive(Debug)]
pub(crate) struct Export {
    /// The file, as messages name it.
    pub name: String,
    /// The zone its times are written in, where it says: printed in when
    /// the record lists no `time_zones`.
    pub zone: Option<TimeZone>,
    /// Its sessions, contributions, breaks and events.
    pub entries: Vec<Entry>,
    /// Titles of days (iCalendar's all-day events).
    pub headings: Vec<Heading>,
    /// Whether entries outside the workshop's dates are left out (a
    /// calendar holds other events too) rather than refused (a timetable
    /// is the event's own).
    pub others_left_out: bool,
    /// How many its reader left out already, on other days.
    pub left_out: usize,
}

/// A day's title an export gives.
#[derive(Debug)]
pub(crate) struct Heading {
    pub date: Date,
    pub title: String,
}

/// Where an entry is in its file: a JSON pointer or a line, and its span
/// where known.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// `/results/42/20240315/c3`, or `line 40`.
    pub text: String,
    pub span: Option<Span>,
}

/// One entry of an export: a row of the agenda.
#[derive(Debug)]
pub(crate) struct Entry {
    pub at: Place,
    /// Its id in the export (Indico's `c12`, an iCalendar `UID`).
    pub id: String,
    pub title: String,
    pub start: When,
    pub end: Option<When>,
    pub is_break: bool,
    /// Markdown.
    pub description: Option<String>,
    pub topics: Vec<String>,
    pub speakers: Vec<Person>,
    /// Indico's conveners, printed as the moderators.
    pub moderators: Vec<Person>,
    /// Whether it is one of a recurrence's occurrences, expanded a day
    /// either side of the workshop's: one left out is not told.
    pub occurrence: bool,
}

/// A time of an export: an instant, or a wall-clock time of no zone
/// (iCalendar's "floating" times), read in the agenda's first zone.
#[derive(Debug, Clone)]
pub(crate) enum When {
    Zoned(Zoned),
    Floating(DateTime),
}

impl When {
    /// The time on the wall clocks of `reference` (`None`: as written).
    fn local(&self, reference: Option<&TimeZone>) -> Option<DateTime> {
        match (self, reference) {
            (When::Zoned(z), Some(zone)) => Some(z.with_time_zone(zone.clone()).datetime()),
            (When::Zoned(_), None) => None,
            (When::Floating(t), _) => Some(*t),
        }
    }
}

impl Export {
    /// `d`, said of the entry at `at` of this file.
    pub(super) fn at(&self, at: &Place, d: Diagnostic) -> Diagnostic {
        let d = crate::input::checks::text::placed(d, &at.text).in_file(&self.name);
        match &at.span {
            Some(span) => d.at(span.clone()),
            None => d,
        }
    }
}

impl Context {
    /// The export an agenda names, read (`Some(None)`: it names none;
    /// `None`: it could not be read, reported).
    pub(crate) fn agenda_export(
        &mut self,
        a: &record::Agenda,
        dates: Option<DateRange>,
    ) -> Option<Option<Export>> {
        match (&a.indico, &a.icalendar) {
            (None, None) => Some(None),
            (Some(path), None) => self.indico_timetable(path).map(Some),
            (None, Some(path)) => self.icalendar(path, dates).map(Some),
            (Some(path), Some(_)) => {
                self.error_at(
                    path,
                    Diagnostic::error(
                        Code::ConflictingFields,
                        "an agenda reads its sessions from one file: `indico:` or `icalendar:`",
                    )
                    .hint("keep the one the programme is kept in"),
                );
                None
            }
        }
    }

    /// The text of the agenda file `path`, registered for diagnostics,
    /// its glyphs checked.
    pub(super) fn export_text(
        &mut self,
        path: &Spanned<String>,
        what: &str,
    ) -> Option<(String, String)> {
        let name = self.folder.display_name(&path.value);
        let read = self.folder.read_text(&path.value, MAX_EXPORT_BYTES);
        let text = self.export_read(path, what, read)?;
        self.sink.sources.insert(&name, text.as_str());
        self.glyphs.check(&name, &text, &text, 0, text.len());
        Some((name, text))
    }

    /// The bytes of the agenda file `path`, for a format that must see
    /// them before they are text (iCalendar folds lines inside UTF-8
    /// sequences).
    pub(super) fn export_bytes(
        &mut self,
        path: &Spanned<String>,
        what: &str,
    ) -> Option<(String, Vec<u8>)> {
        let name = self.folder.display_name(&path.value);
        let read = self.folder.read_bytes(&path.value, MAX_EXPORT_BYTES);
        Some((name, self.export_read(path, what, read)?))
    }

    /// What reading an agenda file gave, its problem reported.
    fn export_read<T>(
        &mut self,
        path: &Spanned<String>,
        what: &str,
        read: Result<T, Diagnostic>,
    ) -> Option<T> {
        match read {
            Ok(value) => Some(value),
            Err(d) if d.file.is_some() => {
                self.error(d.hint(format!("give {what} as its system exported it, unchanged")));
                None
            }
            Err(d) => {
                self.error_at(
                    path,
                    d.hint(format!("name {what} of the workshop folder, e.g. `exports/agenda`")),
                );
                None
            }
        }
    }
}

/// The days of an agenda read from `export`, as `days` (the record's
/// zones, clock) prints them; `None` for a day that cannot be made.
pub(super) fn days(
    export: &Export,
    a: &record::Agenda,
    days: &Days,
    check: &mut Check,
    errors: &mut Errors,
) -> Vec<Option<AgendaDay>> {
    // Without zones in the record, times print in the export's own.
    let own: Vec<TimeZone> = export.zone.iter().cloned().collect();
    let zones = if days.zones.is_empty() { own.as_slice() } else { days.zones };
    let Some(sessions) = sessions(export, a, (zones, days.clock), days.dates, check, errors) else {
        return vec![None];
    };
    let titles = titles(export, a, &sessions, check, errors);
    let mut out: Vec<AgendaDay> = Vec::new();
    for (date, session) in sessions {
        match out.last_mut() {
            Some(day) if day.date == date => day.sessions.push(session),
            _ => out.push(AgendaDay {
                date,
                date_text: check.language.map(|l| l.long_date(date)).unwrap_or_default(),
                title: titles.iter().find(|(d, _)| *d == date).map(|(_, t)| t.clone()),
                sessions: vec![session],
            }),
        }
    }
    out.into_iter().map(Some).collect()
}

/// Every entry as a session of the agenda with the day it is printed
/// under, in time order; `None` when one could not be placed.
fn sessions(
    export: &Export,
    a: &record::Agenda,
    (zones, clock): (&[TimeZone], Option<Clock>),
    dates: Option<DateRange>,
    check: &mut Check,
    errors: &mut Errors,
) -> Option<Vec<(Date, Session)>> {
    let reference = zones.first();
    if reference.is_none()
        && let Some(e) = export.entries.iter().find(|e| matches!(e.start, When::Zoned(_)))
    {
        errors.push(export.at(
            &e.at,
            Diagnostic::error(
                Code::UnknownTimeZone,
                "the file gives its times as instants (UTC) and names no time zone to print them in",
            )
            .hint("list the agenda's `time_zones:`, the first the one the workshop's programme was kept in"),
        ));
        return None;
    }
    let added = additions(export, &a.add, check, errors);
    let mut placed = Vec::new();
    let mut ok = true;
    let mut outside = export.left_out;
    for (i, e) in export.entries.iter().enumerate() {
        if export.others_left_out
            && let (Some(range), Some(start)) = (dates, e.start.local(reference))
            && (start.date() < range.start || start.date() > range.end)
        {
            outside += usize::from(!e.occurrence);
            continue;
        }
        let Some((start, end)) = span_of(export, e, reference, dates, errors) else {
            ok = false;
            continue;
        };
        let mut session = Session {
            start: crate::model::date::hhmm(start.time()),
            end: end.map(|e| crate::model::date::hhmm(e.time())),
            times: Vec::new(),
            title: e.title.clone(),
            is_break: e.is_break,
            description: e.description.clone(),
            topics: e.topics.clone(),
            speakers: e.speakers.clone(),
            moderators: e.moderators.clone(),
        };
        for addition in added.iter().filter(|(_, hits)| hits.contains(&i)).map(|(a, _)| a) {
            add(&mut session, addition, export, e, check, errors);
        }
        if let Some(language) = check.language {
            session.times = super::times(start.date(), (start, end), zones, clock, language);
        }
        placed.push((start, end, session));
    }
    if outside > 0
        && let Some(range) = dates
    {
        check.warnings.push(
            Diagnostic::warning(
                Code::AgendaEntry,
                format!(
                    "`{}`: {outside} event(s) not on the workshop's days ({}) left out",
                    export.name,
                    range.to_iso()
                ),
            )
            .hint("export only the workshop's events, or correct the workshop's `dates`")
            .in_file(&export.name),
        );
    }
    if !ok {
        return None;
    }
    if placed.is_empty() {
        errors.push(
            Diagnostic::error(
                Code::AgendaEntry,
                format!("no entry of `{}` is on the workshop's days", export.name),
            )
            .hint("export the workshop's programme, or correct the workshop's `dates`")
            .in_file(&export.name),
        );
        return None;
    }
    placed.sort_by_key(|(start, end, _)| (*start, *end));
    Some(placed.into_iter().map(|(start, _, s)| (start.date(), s)).collect())
}

/// An entry's start and end on the wall clocks of `reference`, checked:
/// within the workshop's dates, the end after the start, within a day.
fn span_of(
    export: &Export,
    e: &Entry,
    reference: Option<&TimeZone>,
    dates: Option<DateRange>,
    errors: &mut Errors,
) -> Option<(DateTime, Option<DateTime>)> {
    let start = e.start.local(reference)?;
    let end = e.end.as_ref().and_then(|end| end.local(reference));
    let mut refuse = |message: String, hint: &str| {
        errors.push(export.at(&e.at, Diagnostic::error(Code::AgendaEntry, message).hint(hint)));
    };
    if let Some(range) = dates
        && (start.date() < range.start || start.date() > range.end)
    {
        refuse(
            format!(
                "`{}` is on {}, not one of the workshop's days ({})",
                e.title,
                start.date(),
                range.to_iso()
            ),
            "correct the workshop's `dates`, or the entry in the event system and export it again",
        );
        return None;
    }
    if let Some(end) = end {
        let day_later = start.checked_add(jiff::Span::new().hours(24)).ok();
        if end < start {
            refuse(
                format!("`{}` ends ({end}) before it starts ({start})", e.title),
                "correct the entry in the event system and export it again",
            );
            return None;
        }
        if day_later.is_some_and(|later| end > later) {
            refuse(
                format!(
                    "`{}` lasts from {start} to {end}: an agenda's session lasts a day at most",
                    e.title
                ),
                "split it into one entry a day, or leave it out of the export",
            );
            return None;
        }
    }
    Some((start, end))
}

/// The record's additions, each with the entries it matches (by id, or
/// by title); one that matches none is reported.
fn additions<'a>(
    export: &Export,
    add: &'a [Spanned<record::Addition>],
    check: &mut Check,
    errors: &mut Errors,
) -> Vec<(&'a record::Addition, Vec<usize>)> {
    let mut out = Vec::new();
    for spanned in add {
        let wanted = spanned.value.entry.value.trim();
        let by_id: Vec<usize> = export
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.id == wanted)
            .map(|(i, _)| i)
            .collect();
        let hits = if by_id.is_empty() {
            let name = normalise_name(wanted);
            export
                .entries
                .iter()
                .enumerate()
                .filter(|(_, e)| normalise_name(&e.title) == name)
                .map(|(i, _)| i)
                .collect()
        } else {
            by_id
        };
        if hits.is_empty() {
            let titles: Vec<&str> = export.entries.iter().map(|e| e.title.as_str()).collect();
            let hint = match crate::input::closest(wanted, &titles) {
                Some(best) => format!("did you mean `{best}`? An entry is named by its title or its id in the export"),
                None => "name an entry by its title, or by its id in the export (Indico's `c12`, an event's UID)".to_owned(),
            };
            errors.push(
                check.at(
                    &spanned.value.entry,
                    Diagnostic::error(
                        Code::AgendaEntry,
                        format!(
                            "`add` names `{wanted}`, but `{}` has no entry of that title or id",
                            export.name
                        ),
                    )
                    .hint(hint),
                ),
            );
            continue;
        }
        out.push((&spanned.value, hits));
    }
    out
}

/// Adds to `session` (read from entry `e`) what the record's `addition`
/// gives: its description, topics, moderator; its speakers complete the
/// entry's of the same name.
fn add(
    session: &mut Session,
    addition: &record::Addition,
    export: &Export,
    e: &Entry,
    check: &Check,
    errors: &mut Errors,
) {
    if let Some(d) = &addition.description {
        session.description = Some(d.clone()).filter(|d| !d.trim().is_empty());
    }
    if let Some(topics) = &addition.topics {
        session.topics = topics.clone();
    }
    if let Some(m) = &addition.moderator {
        session.moderators = vec![person(&m.value)];
    }
    if let Some(is_break) = addition.break_ {
        session.is_break = is_break;
    }
    if e.speakers.is_empty() {
        session.speakers = addition.speakers.iter().map(|p| person(&p.value)).collect();
        return;
    }
    for spanned in &addition.speakers {
        let p = &spanned.value;
        let name = normalise_name(&p.name);
        match session.speakers.iter_mut().find(|s| normalise_name(&s.name) == name) {
            Some(speaker) => {
                let given = person(p);
                speaker.role = given.role.or(speaker.role.take());
                speaker.organisation = given.organisation.or(speaker.organisation.take());
                speaker.duration = given.duration.or(speaker.duration.take());
            }
            None => {
                let names: Vec<&str> = e.speakers.iter().map(|s| s.name.as_str()).collect();
                let hint = match crate::input::closest(&p.name, &names) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("its speakers in `{}` are: {}", export.name, names.join(", ")),
                };
                errors.push(
                    check.at(
                        spanned,
                        Diagnostic::error(
                            Code::AgendaEntry,
                            format!(
                                "`{}` has no speaker named `{}` in `{}`",
                                e.title, p.name, export.name
                            ),
                        )
                        .hint(hint),
                    ),
                );
            }
        }
    }
}

/// A person as the record writes one.
fn person(p: &record::Person) -> Person {
    Person {
        name: p.name.clone(),
        role: p.role.clone(),
        organisation: p.organisation.clone(),
        duration: p.duration.clone(),
    }
}

/// The days' titles: the record's `days:` (each only a date and a title,
/// on a day the export has entries on), then the export's own.
fn titles(
    export: &Export,
    a: &record::Agenda,
    sessions: &[(Date, Session)],
    check: &Check,
    errors: &mut Errors,
) -> Vec<(Date, String)> {
    let source = if a.indico.is_some() { "indico" } else { "icalendar" };
    let mut out: Vec<(Date, String)> = Vec::new();
    for day in &a.days {
        let date = match crate::input::date(&day.date) {
            Ok(date) => date,
            Err(d) => {
                errors.push(check.at(&day.date, d));
                continue;
            }
        };
        if let Some(first) = day.sessions.first() {
            errors.push(check.at(
                &first.start,
                Diagnostic::error(
                    Code::ConflictingFields,
                    format!("the sessions come from `{}`; a day under `days:` gives only its `date` and `title`", export.name),
                )
                .hint(format!("add to an entry with `add:`, or leave out `{source}:` and type the agenda")),
            ));
        }
        if !sessions.iter().any(|(d, _)| *d == date) {
            errors.push(
                check.at(
                    &day.date,
                    Diagnostic::error(
                        Code::DayOutsideWorkshop,
                        format!(
                            "`days:` names {date}, but `{}` has no entry on that day",
                            export.name
                        ),
                    )
                    .hint("correct the date, or the entries in the event system"),
                ),
            );
        }
        if let Some(title) = &day.title {
            out.push((date, title.clone()));
        }
    }
    let typed = out.len();
    for h in &export.headings {
        if !sessions.iter().any(|(d, _)| *d == h.date)
            || out[..typed].iter().any(|(d, _)| *d == h.date)
        {
            continue;
        }
        match out.iter().find(|(d, _)| *d == h.date) {
            // Two all-day events on one day: both, as one title.
            Some(_) => {
                if let Some(t) = out.iter_mut().find(|(d, _)| *d == h.date) {
                    t.1 = format!("{} · {}", t.1, h.title);
                }
            }
            None => out.push((h.date, h.title.clone())),
        }
    }
    out
}

/// Plain text as Markdown that prints it as written: its punctuation
/// escaped, its lines kept, a blank line a paragraph's end.
pub(super) fn plain_markdown(text: &str) -> String {
    let escape = |line: &str| {
        let mut out = String::with_capacity(line.len() + 8);
        for c in line.trim().chars() {
            if c.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(c);
        }
        out
    };
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for line in text.lines() {
        match paragraphs.last_mut() {
            Some(p) if line.trim().is_empty() && !p.is_empty() => paragraphs.push(Vec::new()),
            Some(_) if line.trim().is_empty() => {}
            Some(p) => p.push(escape(line)),
            None => {}
        }
    }
    let paragraphs: Vec<String> =
        paragraphs.into_iter().filter(|p| !p.is_empty()).map(|p| p.join("\\\n")).collect();
    paragraphs.join("\n\n")
}

/// Whether a description is HTML (Indico's rich-text editor) rather than
/// Markdown.
pub(super) fn looks_like_html(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    ["<p>", "<p ", "<br", "<div", "<ul", "<li", "<span", "<strong>", "<em>"]
        .iter()
        .any(|t| lower.contains(t))
}

/// The text of an HTML fragment: its tags left out (paragraphs, line
/// breaks and list items as lines), its character references read.
pub(super) fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&unescape_html(&rest[..open]));
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open..];
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        // What a script or a style holds is not text.
        if tag.starts_with("script") || tag.starts_with("style") {
            let end = if tag.starts_with("script") { "</script" } else { "</style" };
            let after = &rest[open + close + 1..];
            rest = match after.to_ascii_lowercase().find(end) {
                Some(at) => &after[at..],
                None => "",
            };
            continue;
        }
        let name: String =
            tag.trim_start_matches('/').chars().take_while(char::is_ascii_alphanumeric).collect();
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "table"
                if tag.starts_with('/') =>
            {
                out.push_str("\n\n")
            }
            "li" | "tr" if !tag.starts_with('/') => out.push_str("\n- "),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(&unescape_html(rest));
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    lines.join("\n").split("\n\n\n").collect::<Vec<_>>().join("\n\n").trim().to_owned()
}

/// `text` with HTML's character references read: the named ones HTML
/// editors write, and numeric ones.
fn unescape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let read = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => match name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => {
                        name.strip_prefix('#').and_then(|d| d.parse().ok()).and_then(char::from_u32)
                    }
                },
            };
            c.map(|c| (c, e))
        });
        match read {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_prints_as_written() {
        assert_eq!(
            plain_markdown("1. *Not* a list\n# nor a heading\n\n\nNext"),
            "1\\. \\*Not\\* a list\\\n\\# nor a heading\n\nNext"
        );
    }
    #[test]
    fn html_descriptions_read_as_text() {
        assert_eq!(
            html_text("<p>Opening &amp; welcome</p><p>Q&amp;A<br>with&nbsp;all</p>"),
            "Opening & welcome\n\nQ&A\nwith\u{a0}all"
        );
        assert_eq!(
            html_text("<ul><li>One</li><li>Two &#8211; three</li></ul>"),
            "- One\n- Two – three"
        );
        assert_eq!(unescape_html("a &bogus; b & c"), "a &bogus; b & c");
        assert!(looks_like_html("<p>x</p>"));
        assert!(!looks_like_html("**Guiding questions:** a < b"));
    }
}
