//! The agenda: days and sessions, their times printed in every time zone.
//! A check of its own: it reads what a [`Check`] gives, and returns the
//! agenda or every error it found.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::input::sink::{Check, Checked, Errors};
use crate::language::{Clock, Language};
use crate::model::date::{hhmm, parse_time};
use crate::model::{Agenda, AgendaDay, DateRange, Person, Session};

/// The most time zones an agenda prints side by side.
const MAX_TIME_ZONES: usize = 5;

mod exported;
mod icalendar;
mod indico;

pub(crate) use exported::Export;

impl Context {
    /// The agenda of an annex, its problems reported: its sessions typed
    /// under `days`, or read from the export it names.
    pub(crate) fn agenda(
        &mut self,
        a: &record::Agenda,
        dates: Option<DateRange>,
    ) -> Option<Agenda> {
        let export = self.agenda_export(a, dates)?;
        self.checked(|check| agenda(a, export.as_ref(), dates, check))
    }
}

/// Checks an agenda: its clock, its time zones, then each day, typed or
/// read from `export`.
pub(crate) fn agenda(
    a: &record::Agenda,
    export: Option<&Export>,
    dates: Option<DateRange>,
    check: &mut Check,
) -> Checked<Agenda> {
    let mut errors = Errors::default();
    let clock = clock(a, check, &mut errors);
    let Some(zones) = errors.take(zones(a, check)) else { return errors.fail() };
    // Where the agenda lists the organisations speakers belong to, each
    // speaker's organisation must be one of them or an organiser.
    let known: Option<Vec<String>> = a
        .organisations
        .as_ref()
        .map(|list| list.iter().chain(check.organisers).map(|o| normalise_name(o)).collect());
    let days = Days { dates, zones: &zones, clock, known: known.as_deref() };
    if export.is_none() && a.indico.is_none() && a.icalendar.is_none() && a.days.is_empty() {
        // A field the schema refused (`ics:` for `icalendar:`) says it all.
        if !check.sink.schema_problems.is_empty() {
            return errors.or(Agenda { zones: Vec::new(), days: Vec::new() });
        }
        errors.push(
            Diagnostic::error(Code::AgendaExport, "the agenda has no `days`, and reads no export")
                .hint("type its `days:` with their sessions, or name the programme's export: `indico: exports/timetable.json` or `icalendar: exports/agenda.ics`")
                .in_file(&check.sink.record),
        );
        return errors.fail();
    }
    let checked: Vec<Option<AgendaDay>> = match export {
        Some(export) => exported::days(export, a, &days, check, &mut errors),
        None => a.days.iter().map(|d| days.day(d, check, &mut errors)).collect(),
    };
    let Some(days) = checked.into_iter().collect::<Option<Vec<_>>>() else {
        return errors.fail();
    };
    errors.or(Agenda { zones: a.time_zones.iter().map(|z| z.label.clone()).collect(), days })
}

/// The record's clock (`None`: the language's own), an unknown one an error.
fn clock(a: &record::Agenda, check: &Check, errors: &mut Errors) -> Option<Clock> {
    let c = a.clock.as_ref()?;
    match c.value.trim() {
        "24h" => Some(Clock::H24),
        "12h" => Some(Clock::H12),
        other => {
            errors.push(check.at(
                c,
                Diagnostic::error(Code::InvalidClock, format!("`{other}` is not a clock")).hint(
                    "write `24h` (09:00) or `12h` (9 AM), or leave it out for the language's own",
                ),
            ));
            None
        }
    }
}

/// The agenda's time zones: each known, at most [`MAX_TIME_ZONES`].
fn zones(a: &record::Agenda, check: &Check) -> Checked<Vec<TimeZone>> {
    let mut errors = Errors::default();
    let mut zones = Vec::new();
    for z in &a.time_zones {
        match jiff::tz::db().get(z.zone.value.trim()) {
            Ok(tz) => zones.push(tz),
            Err(_) => errors.push(check.at(
                &z.zone,
                Diagnostic::error(
                    Code::UnknownTimeZone,
                    format!("`{}` is not a time zone", z.zone.value),
                )
                .hint("use an IANA time zone name, e.g. `Europe/Istanbul`, `America/New_York`, `UTC`"),
            )),
        }
    }
    if zones.len() == a.time_zones.len()
        && let Some(extra) = a.time_zones.get(MAX_TIME_ZONES)
    {
        errors.push(check.at(
            &extra.zone,
            Diagnostic::error(
                Code::OutOfRange,
                format!(
                    "the agenda has {} time zones; a page holds {MAX_TIME_ZONES} time columns beside the sessions",
                    a.time_zones.len()
                ),
            )
            .hint("keep the zones most participants were in; the others can convert"),
        ));
    }
    errors.or(zones)
}

/// What every day of an agenda is checked against.
struct Days<'a> {
    /// The workshop's dates, where they are valid.
    dates: Option<DateRange>,
    /// The agenda's time zones, the first the one times are written in.
    zones: &'a [TimeZone],
    /// The record's clock.
    clock: Option<Clock>,
    /// The organisations speakers may belong to, normalised, if listed.
    known: Option<&'a [String]>,
}

impl Days<'_> {
    /// A day: its date among the workshop's, its sessions in time order;
    /// `None` when its date or a session's time cannot be read.
    fn day(&self, day: &record::Day, check: &mut Check, errors: &mut Errors) -> Option<AgendaDay> {
        let date = match crate::input::date(&day.date) {
            Ok(date) => date,
            Err(d) => {
                errors.push(check.at(&day.date, d));
                return None;
            }
        };
        if let Some(range) = self.dates
            && (date < range.start || date > range.end)
        {
            errors.push(
                check.at(
                    &day.date,
                    Diagnostic::error(
                        Code::DayOutsideWorkshop,
                        format!("{date} is not one of the workshop's days ({})", range.to_iso()),
                    )
                    .hint("correct the day's date, or the workshop's `dates`"),
                ),
            );
        }
        let mut sessions = Vec::new();
        let mut previous: Option<Time> = None;
        for s in &day.sessions {
            let (start, end) = self.session_times(s, date, check, errors)?;
            if let Some(previous) = previous
                && start < previous
            {
                errors.push(
                    check.at(
                        &s.start,
                        Diagnostic::error(
                            Code::SessionsOutOfOrder,
                            format!(
                                "this session starts at {}, before the one above it ({})",
                                hhmm(start),
                                hhmm(previous)
                            ),
                        )
                        .hint("list a day's sessions in time order"),
                    ),
                );
            }
            previous = Some(start);
            let Some(title) = session_title(s, check, errors) else { continue };
            sessions.push(Session {
                start: hhmm(start),
                end: end.map(hhmm),
                times: match check.language {
                    Some(language) => times(
                        date,
                        (date.to_datetime(start), end.map(|e| date.to_datetime(e))),
                        self.zones,
                        self.clock,
                        language,
                    ),
                    None => Vec::new(),
                },
                title,
                is_break: s.break_.is_some(),
                description: s.description.clone().filter(|d| !d.trim().is_empty()),
                topics: s.topics.clone(),
                speakers: s.speakers.iter().map(|p| self.person(p, check, errors)).collect(),
                moderators: s.moderator.iter().map(|p| self.person(p, check, errors)).collect(),
            });
        }
        let date_text = check.language.map(|l| l.long_date(date)).unwrap_or_default();
        Some(AgendaDay { date, date_text, title: day.title.clone(), sessions })
    }

    /// A session's start and its end, if it has one (`None`: one cannot
    /// be read); an end before the start, and a time the clocks skip or
    /// repeat in the agenda's first zone, are reported.
    fn session_times(
        &self,
        s: &record::Session,
        date: Date,
        check: &mut Check,
        errors: &mut Errors,
    ) -> Option<(Time, Option<Time>)> {
        let start = time(&s.start, check, errors)?;
        let end = match &s.end {
            Some(end) => Some(time(end, check, errors)?),
            None => None,
        };
        if let Some(end) = end
            && end < start
        {
            errors.push(
                check.at(
                    s.end.as_ref().unwrap_or(&s.start),
                    Diagnostic::error(
                        Code::SessionEndsBeforeStart,
                        format!(
                            "the session ends ({}) before it starts ({})",
                            hhmm(end),
                            hhmm(start)
                        ),
                    )
                    .hint("times are HH:MM on a 24-hour clock: 14:00 for 2 pm"),
                ),
            );
        }
        if let Some(zone) = self.zones.first() {
            let written = [(Some(&s.start), Some(start)), (s.end.as_ref(), end)];
            for (value, time) in written {
                if let (Some(value), Some(time)) = (value, time) {
                    clock_change(value, (zone, date, time), check, errors);
                }
            }
        }
        Some((start, end))
    }

    /// A speaker or moderator; an organisation the record does not name
    /// (where the agenda lists them) is reported.
    fn person(
        &self,
        spanned: &Spanned<record::Person>,
        check: &Check,
        errors: &mut Errors,
    ) -> Person {
        let p = &spanned.value;
        if let (Some(known), Some(org)) = (self.known, &p.organisation)
            && !known.contains(&normalise_name(org))
        {
            let listed: Vec<&str> = known.iter().map(String::as_str).collect();
            let hint = match crate::input::closest(&normalise_name(org), &listed) {
                Some(best) => {
                    format!("did you mean `{best}`? Or add it to the agenda's `organisations`")
                }
                None => "add it to the agenda's `organisations`, or correct it".to_owned(),
            };
            errors.push(
                check.at(
                    spanned,
                    Diagnostic::error(
                        Code::UnknownOrganisation,
                        format!("{}'s organisation `{org}` is not one the record names", p.name),
                    )
                    .hint(hint),
                ),
            );
        }
        Person {
            name: p.name.clone(),
            role: p.role.clone(),
            organisation: p.organisation.clone(),
            duration: p.duration.clone(),
        }
    }
}

/// A session's title, or a break's label; a session with both or neither
/// is reported.
fn session_title(s: &record::Session, check: &Check, errors: &mut Errors) -> Option<String> {
    match (&s.title, &s.break_) {
        (Some(t), None) | (None, Some(t)) => Some(t.clone()),
        (Some(_), Some(_)) | (None, None) => {
            errors.push(
                check.at(
                    &s.start,
                    Diagnostic::error(
                        Code::SessionTitle,
                        "a session has either a `title` or is a `break`",
                    )
                    .hint("write `title: ...` for a session, `break: Coffee break` for a break"),
                ),
            );
            None
        }
    }
}

/// Reports a time that the agenda's first zone skips (the clocks go
/// forward: it does not exist) or repeats (they go back: it happens
/// twice, and the first is taken: a warning).
fn clock_change(
    value: &Spanned<String>,
    (zone, date, time): (&TimeZone, Date, Time),
    check: &mut Check,
    errors: &mut Errors,
) {
    use jiff::tz::AmbiguousOffset;
    let name = zone.iana_name().unwrap_or("the agenda's first time zone");
    let shown = hhmm(time);
    match zone.to_ambiguous_zoned(date.to_datetime(time)).offset() {
        AmbiguousOffset::Unambiguous { .. } => {}
        AmbiguousOffset::Gap { .. } => errors.push(check.at(
            value,
            Diagnostic::error(
                Code::InvalidTime,
                format!("{shown} does not exist on {date} in {name}: the clocks go forward then"),
            )
            .hint("times are written in the agenda's first time zone; give the time the clocks showed"),
        )),
        AmbiguousOffset::Fold { .. } => check.warn(
            value,
            Diagnostic::warning(
                Code::InvalidTime,
                format!("{shown} happens twice on {date} in {name} (the clocks go back); the first is printed"),
            )
            .hint("check the other time zones' columns of this session"),
        ),
    }
}

/// A time of day as written: HH:MM.
fn time(value: &Spanned<String>, check: &Check, errors: &mut Errors) -> Option<Time> {
    let time = parse_time(&value.value);
    if time.is_none() {
        errors.push(
            check.at(
                value,
                Diagnostic::error(
                    Code::InvalidTime,
                    format!("`{}` is not a time of day", value.value),
                )
                .hint("write times as HH:MM on a 24-hour clock, in quotes: \"14:30\""),
            ),
        );
    }
    time
}

/// The session's time range as printed in each zone; `start` and `end`
/// are written in the first. Without zones, the range as written. A time
/// on another day than the agenda's (`day`), in another zone or past
/// midnight, says so: "22:00 (previous day)–01:00".
pub(super) fn times(
    day: Date,
    (start, end): (DateTime, Option<DateTime>),
    zones: &[TimeZone],
    clock: Option<Clock>,
    language: &Language,
) -> Vec<String> {
    let show = |t: DateTime| {
        let text = language.time(t.time(), clock);
        match t.date().cmp(&day) {
            std::cmp::Ordering::Equal => text,
            std::cmp::Ordering::Greater => language.say("next_day", &[("time", &text)]),
            std::cmp::Ordering::Less => language.say("previous_day", &[("time", &text)]),
        }
    };
    let range = |s: String, e: Option<String>| match e {
        Some(e) => language.say("time_range", &[("start", &s), ("end", &e)]),
        None => s,
    };
    let Some(reference) = zones.first() else {
        return vec![range(show(start), end.map(show))];
    };
    zones
        .iter()
        .map(|zone| {
            let convert = |t: DateTime| {
                let instant = t.to_zoned(reference.clone()).ok()?;
                Some(show(instant.with_time_zone(zone.clone()).datetime()))
            };
            match (convert(start), end.map(convert)) {
                (Some(s), Some(Some(e))) => range(s, Some(e)),
                (Some(s), None) => range(s, None),
                // A time that does not exist in the reference zone (skipped
                // by a clock change) prints as written.
                _ => range(show(start), end.map(show)),
            }
        })
        .collect()
}

/// A name for comparison: trimmed, inner white space folded, lower case.
pub(crate) fn normalise_name(name: &str) -> String {
    crate::model::survey::normalise(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::parse_iso;

    fn zones(names: &[&str]) -> Vec<TimeZone> {
        names.iter().map(|n| jiff::tz::db().get(n).unwrap()).collect()
    }

    #[test]
    fn times_print_in_every_zone() {
        let date = parse_iso("2022-03-15").unwrap();
        let t = |s| parse_time(s).unwrap();
        let at = |s: Time, e: Option<Time>| (date.to_datetime(s), e.map(|e| date.to_datetime(e)));
        // New York had moved to summer time two days before: UTC-4, and
        // Istanbul is UTC+3 all year.
        let en = Language::built_in("en").unwrap();
        let got = times(
            date,
            at(t("06:00"), Some(t("07:00"))),
            &zones(&["America/New_York", "Europe/Istanbul"]),
            Some(Clock::H12),
            &en,
        );
        assert_eq!(got, ["6\u{202f}AM–7\u{202f}AM", "1\u{202f}PM–2\u{202f}PM"]);
        let got = times(
            date,
            at(t("20:30"), None),
            &zones(&["UTC", "Asia/Tokyo"]),
            Some(Clock::H24),
            &en,
        );
        assert_eq!(got, ["20:30", "05:30 (next day)"]);
        let got = times(date, at(t("09:00"), Some(t("09:55"))), &[], Some(Clock::H24), &en);
        assert_eq!(got, ["09:00–09:55"]);
        // A session crossing midnight in another zone: only the start moves.
        let got = times(
            date,
            at(t("15:00"), Some(t("16:00"))),
            &zones(&["UTC", "Pacific/Auckland"]),
            Some(Clock::H24),
            &en,
        );
        assert_eq!(got[1], "04:00 (next day)–05:00 (next day)");
        let fr = Language::built_in("fr").unwrap();
        assert_eq!(times(date, at(t("09:00"), Some(t("09:55"))), &[], None, &fr), ["09:00–09:55"]);
        // A session past midnight in its own zone: its end says so.
        let late =
            (date.to_datetime(t("23:30")), Some(date.tomorrow().unwrap().to_datetime(t("00:15"))));
        assert_eq!(times(date, late, &[], Some(Clock::H24), &en), ["23:30–00:15 (next day)"]);
    }
}
