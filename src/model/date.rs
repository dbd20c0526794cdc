//! Dates and times, and how they print.

use jiff::civil::{Date, Time};
use serde::Serialize;

/// The first and last day of a workshop; `end` is never before `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateRange {
    /// The first day of the workshop.
    pub start: Date,
    /// The last day; the same as `start` for a one-day workshop.
    pub end: Date,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(date: Date) -> &'static str {
    MONTHS[date.month() as usize - 1]
}

impl DateRange {
    /// The range as a reader expects it, sharing what the ends share:
    /// "15 March 2022", "15 - 16 March 2022", "28 February - 2 March 2022",
    /// "30 December 2021 - 2 January 2022".
    pub fn to_text(&self) -> String {
        let (s, e) = (self.start, self.end);
        if s == e {
            long_date(s)
        } else if s.year() == e.year() && s.month() == e.month() {
            format!("{} - {}", s.day(), long_date(e))
        } else if s.year() == e.year() {
            format!("{} {} - {}", s.day(), month_name(s), long_date(e))
        } else {
            format!("{} - {}", long_date(s), long_date(e))
        }
    }
}

/// A single date as printed: "15 March 2022".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), month_name(date), date.year())
}

/// Parses an ISO 8601 calendar date, `YYYY-MM-DD`.
pub fn parse_iso(text: &str) -> Option<Date> {
    let text = text.trim();
    let b = text.as_bytes();
    let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
    if !shaped {
        return None;
    }
    text.parse().ok()
}

/// Parses a time of day written `HH:MM` (24-hour clock).
pub fn parse_time(text: &str) -> Option<Time> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Time::new(h, m, 0, 0).ok()
}

/// How times print: "09:00" or "9AM".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The 24-hour clock, hours in two digits: "09:00", "14:30".
    H24,
    /// The 12-hour clock, minutes only when not zero: "9AM", "2:30PM".
    H12,
}

impl Clock {
    /// `time` as this clock prints it.
    pub fn format(self, time: Time) -> String {
        match self {
            Clock::H24 => format!("{:02}:{:02}", time.hour(), time.minute()),
            Clock::H12 => {
                let suffix = if time.hour() < 12 { "AM" } else { "PM" };
                let hour = match time.hour() % 12 {
                    0 => 12,
                    h => h,
                };
                if time.minute() == 0 {
                    format!("{hour}{suffix}")
                } else {
                    format!("{hour}:{:02}{suffix}", time.minute())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(a: &str, b: &str) -> String {
        DateRange { start: parse_iso(a).unwrap(), end: parse_iso(b).unwrap() }.to_text()
    }

    #[test]
    fn ranges_share_what_their_ends_share() {
        assert_eq!(range("2022-03-15", "2022-03-15"), "15 March 2022");
        assert_eq!(range("2022-03-15", "2022-03-16"), "15 - 16 March 2022");
        assert_eq!(range("2022-02-28", "2022-03-02"), "28 February - 2 March 2022");
        assert_eq!(range("2021-12-30", "2022-01-02"), "30 December 2021 - 2 January 2022");
    }

    #[test]
    fn only_real_calendar_dates_parse() {
        assert!(parse_iso("2024-02-29").is_some());
        assert!(parse_iso("2023-02-29").is_none());
        assert!(parse_iso("15/03/2022").is_none());
        assert!(parse_iso("2022-3-15").is_none());
    }

    #[test]
    fn times_parse_strictly_and_print_in_either_clock() {
        assert!(parse_time("25:00").is_none());
        assert!(parse_time("9:5").is_none());
        let t = parse_time("9:05").unwrap();
        assert_eq!(Clock::H24.format(t), "09:05");
        assert_eq!(Clock::H12.format(t), "9:05AM");
        assert_eq!(Clock::H12.format(parse_time("13:00").unwrap()), "1PM");
        assert_eq!(Clock::H12.format(parse_time("00:00").unwrap()), "12AM");
        assert_eq!(Clock::H12.format(parse_time("12:30").unwrap()), "12:30PM");
    }
}
