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

impl DateRange {
    /// The range as messages write it: "2022-03-15 to 2022-03-16".
    pub fn to_iso(&self) -> String {
        if self.start == self.end {
            self.start.to_string()
        } else {
            format!("{} to {}", self.start, self.end)
        }
    }
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

/// A time as the record writes it and the model keeps it: "09:05".
pub fn hhmm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_calendar_dates_parse() {
        assert!(parse_iso("2024-02-29").is_some());
        assert!(parse_iso("2023-02-29").is_none());
        assert!(parse_iso("15/03/2022").is_none());
        assert!(parse_iso("2022-3-15").is_none());
    }

    #[test]
    fn times_parse_strictly() {
        assert!(parse_time("25:00").is_none());
        assert!(parse_time("9:5").is_none());
        assert_eq!(hhmm(parse_time("9:05").unwrap()), "09:05");
    }
}
