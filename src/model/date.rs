//! The workshop's dates, and how they print.

use serde::Serialize;
use time::{Date, Month};

/// The first and last day of a workshop; `end` is never before `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateRange {
    #[serde(with = "iso")]
    pub start: Date,
    #[serde(with = "iso")]
    pub end: Date,
}

impl DateRange {
    /// The range as a reader expects it, sharing what the ends share:
    /// "15 March 2022", "15 - 16 March 2022", "28 February - 2 March 2022",
    /// "30 December 2021 - 2 January 2022".
    pub fn to_text(&self) -> String {
        let (s, e) = (self.start, self.end);
        if s == e {
            format!("{} {} {}", s.day(), month_name(s.month()), s.year())
        } else if s.year() == e.year() && s.month() == e.month() {
            format!("{} - {} {} {}", s.day(), e.day(), month_name(e.month()), e.year())
        } else if s.year() == e.year() {
            format!(
                "{} {} - {} {} {}",
                s.day(),
                month_name(s.month()),
                e.day(),
                month_name(e.month()),
                e.year()
            )
        } else {
            format!(
                "{} {} {} - {} {} {}",
                s.day(),
                month_name(s.month()),
                s.year(),
                e.day(),
                month_name(e.month()),
                e.year()
            )
        }
    }
}

/// A single date as printed: "15 March 2022".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), month_name(date.month()), date.year())
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

/// Parses an ISO 8601 calendar date, `YYYY-MM-DD`.
pub fn parse_iso(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text.trim(), &format).ok()
}

/// Serialises dates as `YYYY-MM-DD`.
pub(crate) mod iso {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let text = date.format(&format).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
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
    }
}
