//! The agenda: days and sessions, their times printed in every time zone.

use jiff::civil::Time;
use jiff::tz::TimeZone;

use crate::diag::{Code, Diagnostic};
use crate::input::Context;
use crate::input::record;
use crate::language::{Clock, Language};
use crate::model::date::{hhmm, parse_time};
use crate::model::{Agenda, AgendaDay, DateRange, Person, Session};

/// The most time zones an agenda prints side by side.
const MAX_TIME_ZONES: usize = 5;

impl Context {
    pub(crate) fn agenda(
        &mut self,
        a: &record::Agenda,
        dates: Option<DateRange>,
    ) -> Option<Agenda> {
        // The language's own clock unless the record chooses.
        let clock = match &a.clock {
            None => None,
            Some(c) => match c.value.trim() {
                "24h" => Some(Clock::H24),
                "12h" => Some(Clock::H12),
                other => {
                    self.error_at(
                        c,
                        Diagnostic::error(Code::InvalidClock, format!("`{other}` is not a clock"))
                            .hint("write `24h` (09:00) or `12h` (9 AM), or leave it out for the language's own"),
                    );
                    None
                }
            },
        };
        let mut zones = Vec::new();
        for z in &a.time_zones {
            match jiff::tz::db().get(z.zone.value.trim()) {
                Ok(tz) => zones.push(tz),
                Err(_) => self.error_at(
                    &z.zone,
                    Diagnostic::error(
                        Code::UnknownTimeZone,
                        format!("`{}` is not a time zone", z.zone.value),
                    )
                    .hint("use an IANA time zone name, e.g. `Europe/Istanbul`, `America/New_York`, `UTC`"),
                ),
            }
        }
        if zones.len() != a.time_zones.len() {
            return None;
        }
        if let Some(extra) = a.time_zones.get(MAX_TIME_ZONES) {
            self.error_at(
                &extra.zone,
                Diagnostic::error(
                    Code::OutOfRange,
                    format!(
                        "the agenda has {} time zones; a page holds {MAX_TIME_ZONES} time columns beside the sessions",
                        a.time_zones.len()
                    ),
                )
                .hint("keep the zones most participants were in; the others can convert"),
            );
            return None;
        }
        // Where the agenda lists the organisations speakers belong to, each
        // speaker's organisation must be one of them or an organiser.
        let known: Option<Vec<String>> = a
            .organisations
            .as_ref()
            .map(|list| list.iter().chain(&self.organisers).map(|o| normalise_name(o)).collect());
        let days: Vec<Option<AgendaDay>> =
            a.days.iter().map(|d| self.day(d, dates, &zones, clock, known.as_deref())).collect();
        Some(Agenda {
            zones: a.time_zones.iter().map(|z| z.label.clone()).collect(),
            days: days.into_iter().collect::<Option<_>>()?,
        })
    }

    fn day(
        &mut self,
        day: &record::Day,
        dates: Option<DateRange>,
        zones: &[TimeZone],
        clock: Option<Clock>,
        known: Option<&[String]>,
    ) -> Option<AgendaDay> {
        let date = self.date(&day.date)?;
        if let Some(range) = dates
            && (date < range.start || date > range.end)
        {
            self.error_at(
                &day.date,
                Diagnostic::error(
                    Code::DayOutsideWorkshop,
                    format!("{date} is not one of the workshop's days ({})", range.to_iso()),
                )
                .hint("correct the day's date, or the workshop's `dates`"),
            );
        }
        let mut sessions = Vec::new();
        let mut previous: Option<Time> = None;
        for s in &day.sessions {
            let (start, end) = self.session_times(s, date, zones)?;
            if let Some(previous) = previous
                && start < previous
            {
                self.error_at(
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
                );
            }
            previous = Some(start);
            let Some(title) = self.session_title(s) else { continue };
            sessions.push(Session {
                start: hhmm(start),
                end: end.map(hhmm),
                times: match &self.language {
                    Some(language) => times(date, start, end, zones, clock, language),
                    None => Vec::new(),
                },
                title,
                is_break: s.break_.is_some(),
                description: s.description.clone().filter(|d| !d.trim().is_empty()),
                topics: s.topics.clone(),
                speakers: s.speakers.iter().map(|p| self.person(p, known)).collect(),
                moderator: s.moderator.as_ref().map(|p| self.person(p, known)),
            });
        }
        let date_text = self.language.as_ref().map(|l| l.long_date(date)).unwrap_or_default();
        Some(AgendaDay { date, date_text, title: day.title.clone(), sessions })
    }

    /// A session's start and its end, if it has one; an end before the
    /// start, and a time the clocks skip or repeat in the agenda's first
    /// zone, are reported.
    fn session_times(
        &mut self,
        s: &record::Session,
        date: jiff::civil::Date,
        zones: &[TimeZone],
    ) -> Option<(Time, Option<Time>)> {
        let start = self.time(&s.start)?;
        let end = match &s.end {
            Some(end) => Some(self.time(end)?),
            None => None,
        };
        if let Some(end) = end
            && end < start
        {
            self.error_at(
                s.end.as_ref().unwrap_or(&s.start),
                Diagnostic::error(
                    Code::SessionEndsBeforeStart,
                    format!("the session ends ({}) before it starts ({})", hhmm(end), hhmm(start)),
                )
                .hint("times are HH:MM on a 24-hour clock: 14:00 for 2 pm"),
            );
        }
        if let Some(zone) = zones.first() {
            let written = [(Some(&s.start), Some(start)), (s.end.as_ref(), end)];
            for (value, time) in written {
                if let (Some(value), Some(time)) = (value, time) {
                    self.clock_change(value, zone, date, time);
                }
            }
        }
        Some((start, end))
    }

    /// A session's title, or a break's label; a session with both or
    /// neither is reported.
    fn session_title(&mut self, s: &record::Session) -> Option<String> {
        match (&s.title, &s.break_) {
            (Some(t), None) | (None, Some(t)) => Some(t.clone()),
            (Some(_), Some(_)) | (None, None) => {
                self.error_at(
                    &s.start,
                    Diagnostic::error(
                        Code::SessionTitle,
                        "a session has either a `title` or is a `break`",
                    )
                    .hint("write `title: ...` for a session, `break: Coffee break` for a break"),
                );
                None
            }
        }
    }

    /// Reports a time that the agenda's first zone skips (the clocks go
    /// forward: it does not exist) or repeats (they go back: it happens
    /// twice, and the first is taken).
    fn clock_change(
        &mut self,
        value: &crate::input::record::Spanned<String>,
        zone: &TimeZone,
        date: jiff::civil::Date,
        time: Time,
    ) {
        use jiff::tz::AmbiguousOffset;
        let name = zone.iana_name().unwrap_or("the agenda's first time zone");
        let shown = hhmm(time);
        match zone.to_ambiguous_zoned(date.to_datetime(time)).offset() {
            AmbiguousOffset::Unambiguous { .. } => {}
            AmbiguousOffset::Gap { .. } => self.error_at(
                value,
                Diagnostic::error(
                    Code::InvalidTime,
                    format!("{shown} does not exist on {date} in {name}: the clocks go forward then"),
                )
                .hint("times are written in the agenda's first time zone; give the time the clocks showed"),
            ),
            AmbiguousOffset::Fold { .. } => self.error_at(
                value,
                Diagnostic::warning(
                    Code::InvalidTime,
                    format!("{shown} happens twice on {date} in {name} (the clocks go back); the first is printed"),
                )
                .hint("check the other time zones' columns of this session"),
            ),
        }
    }

    fn time(&mut self, value: &crate::input::record::Spanned<String>) -> Option<Time> {
        let time = parse_time(&value.value);
        if time.is_none() {
            self.error_at(
                value,
                Diagnostic::error(
                    Code::InvalidTime,
                    format!("`{}` is not a time of day", value.value),
                )
                .hint("write times as HH:MM on a 24-hour clock, in quotes: \"14:30\""),
            );
        }
        time
    }
}

/// The session's time range as printed in each zone; the times are written
/// in the first. Without zones, the range as written. A time on another day
/// than the agenda's, in another zone, says so: "22:00 (previous day)–01:00".
fn times(
    date: jiff::civil::Date,
    start: Time,
    end: Option<Time>,
    zones: &[TimeZone],
    clock: Option<Clock>,
    language: &Language,
) -> Vec<String> {
    let show = |t: Time, day: jiff::civil::Date| {
        let text = language.time(t, clock);
        match day.cmp(&date) {
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
        return vec![range(show(start, date), end.map(|e| show(e, date)))];
    };
    zones
        .iter()
        .map(|zone| {
            let convert = |t: Time| {
                let instant = date.to_datetime(t).to_zoned(reference.clone()).ok()?;
                let local = instant.with_time_zone(zone.clone());
                Some(show(local.time(), local.date()))
            };
            match (convert(start), end.map(convert)) {
                (Some(s), Some(Some(e))) => range(s, Some(e)),
                (Some(s), None) => range(s, None),
                // A time that does not exist in the reference zone (skipped
                // by a clock change) prints as written.
                _ => range(show(start, date), end.map(|e| show(e, date))),
            }
        })
        .collect()
}

impl Context {
    fn person(
        &mut self,
        spanned: &crate::input::record::Spanned<record::Person>,
        known: Option<&[String]>,
    ) -> Person {
        let p = &spanned.value;
        if let (Some(known), Some(org)) = (known, &p.organisation)
            && !known.contains(&normalise_name(org))
        {
            let listed: Vec<&str> = known.iter().map(String::as_str).collect();
            let hint = match crate::input::closest(&normalise_name(org), &listed) {
                Some(best) => {
                    format!("did you mean `{best}`? Or add it to the agenda's `organisations`")
                }
                None => "add it to the agenda's `organisations`, or correct it".to_owned(),
            };
            self.error_at(
                spanned,
                Diagnostic::error(
                    Code::UnknownOrganisation,
                    format!("{}'s organisation `{org}` is not one the record names", p.name),
                )
                .hint(hint),
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
        // New York had moved to summer time two days before: UTC-4, and
        // Istanbul is UTC+3 all year.
        let en = Language::built_in("en").unwrap();
        let got = times(
            date,
            t("06:00"),
            Some(t("07:00")),
            &zones(&["America/New_York", "Europe/Istanbul"]),
            Some(Clock::H12),
            &en,
        );
        assert_eq!(got, ["6\u{202f}AM–7\u{202f}AM", "1\u{202f}PM–2\u{202f}PM"]);
        let got =
            times(date, t("20:30"), None, &zones(&["UTC", "Asia/Tokyo"]), Some(Clock::H24), &en);
        assert_eq!(got, ["20:30", "05:30 (next day)"]);
        let got = times(date, t("09:00"), Some(t("09:55")), &[], Some(Clock::H24), &en);
        assert_eq!(got, ["09:00–09:55"]);
        // A session crossing midnight in another zone: only the start moves.
        let got = times(
            date,
            t("15:00"),
            Some(t("16:00")),
            &zones(&["UTC", "Pacific/Auckland"]),
            Some(Clock::H24),
            &en,
        );
        assert_eq!(got[1], "04:00 (next day)–05:00 (next day)");
        let fr = Language::built_in("fr").unwrap();
        assert_eq!(times(date, t("09:00"), Some(t("09:55")), &[], None, &fr), ["09:00–09:55"]);
    }
}
