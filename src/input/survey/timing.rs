//! The time respondents took to complete a survey: each respondent's start
//! and end cells, read as the survey tools write timestamps (ISO 8601 with
//! or without an offset, `11/17/22 10:03:12`, `11/17/2022 10:34:59 AM`, a
//! workbook's date cells).
//!
//! A date written with slashes is read both ways, month first and day
//! first, and the reading kept is the one under which every row reads and
//! no respondent ends before starting or takes a day: an export that a
//! spreadsheet saved in a day-first locale (`14/06/2024 23:58:00`) is read
//! as it was written, not as the 6th of February. Rows whose times cannot
//! be read, that mix a time with an offset and one without, or that end
//! before they start are left out of the average, each kind said in a
//! warning with its first row.

/// A respondent's times read as a timestamp: seconds (UTC where the text
/// has an offset, else as written; only differences matter), and whether
/// it had an offset.
type Stamp = (i64, bool);

/// The two readings of a date with slashes.
const MONTH_FIRST: usize = 0;
const DAY_FIRST: usize = 1;

/// The times of one reading of the dates.
#[derive(Debug, Clone, Copy, Default)]
struct Way {
    seconds: u64,
    timed: u64,
    /// Rows whose times cannot be read (or mix offsets): the first's line,
    /// and how many.
    unread: Option<(usize, usize)>,
    /// Rows that end before they start.
    backwards: Option<(usize, usize)>,
    /// Rows that take a day or more.
    long: usize,
}

impl Way {
    fn add(&mut self, line: usize, start: Option<Stamp>, end: Option<Stamp>) {
        let note = |slot: &mut Option<(usize, usize)>| slot.get_or_insert((line, 0)).1 += 1;
        match (start, end) {
            (Some((s, zs)), Some((e, ze))) if zs == ze => {
                if e < s {
                    note(&mut self.backwards);
                } else {
                    let took = (e - s) as u64;
                    self.long += usize::from(took >= 86_400);
                    self.seconds += took;
                    self.timed += 1;
                }
            }
            _ => note(&mut self.unread),
        }
    }

    /// How unlikely the reading is: rows unread, backwards, a day long.
    fn doubt(&self) -> (usize, usize, usize) {
        let n = |slot: Option<(usize, usize)>| slot.map_or(0, |(_, n)| n);
        (n(self.unread), n(self.backwards), self.long)
    }
}

/// The times of an export's respondents, both readings kept until the end.
#[derive(Debug, Default)]
pub struct Timing {
    ways: [Way; 2],
}

/// What the times came to: the average in seconds (if any row is timed),
/// and the rows left out: (first line, how many) of those unread and of
/// those that end before they start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timed {
    pub average: Option<u64>,
    pub unread: Option<(usize, usize)>,
    pub backwards: Option<(usize, usize)>,
}

impl Timing {
    /// Adds the row on `line` whose start and end cells hold `start` and
    /// `end` (a row without either is not timed).
    pub fn add(&mut self, line: usize, start: &str, end: &str) {
        let (start, end) = (start.trim(), end.trim());
        if start.is_empty() || end.is_empty() {
            return;
        }
        let (s, e) = (read(start), read(end));
        for way in [MONTH_FIRST, DAY_FIRST] {
            self.ways[way].add(line, s[way], e[way]);
        }
    }

    /// The reading most likely the export's (month first, where both are
    /// as likely), and what it came to.
    pub fn finish(self) -> Timed {
        let [month, day] = self.ways;
        let way = if day.doubt() < month.doubt() { day } else { month };
        Timed {
            average: (way.timed > 0).then(|| (way.seconds + way.timed / 2) / way.timed),
            unread: way.unread,
            backwards: way.backwards,
        }
    }
}

/// `text` as a timestamp, month first and day first (the same where the
/// date has no slashes).
fn read(text: &str) -> [Option<Stamp>; 2] {
    // With an offset (KoboToolbox: `2024-05-14T09:00:00.000+02:00`).
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return [Some((t.as_second(), true)); 2];
    }
    const UNAMBIGUOUS: [&str; 4] =
        ["%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"];
    const SLASHES: [&str; 5] = [
        "%m/%d/%y %H:%M:%S",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%y %I:%M:%S %p",
        "%m/%d/%y %H:%M",
    ];
    let civil = |format: &str| {
        let time = jiff::civil::DateTime::strptime(format, text).ok()?;
        let zoned = time.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
        Some((zoned.timestamp().as_second(), false))
    };
    if let Some(stamp) = UNAMBIGUOUS.iter().find_map(|f| civil(f)) {
        return [Some(stamp); 2];
    }
    let month = SLASHES.iter().find_map(|f| civil(f));
    let day = SLASHES.iter().find_map(|f| civil(&f.replacen("%m/%d", "%d/%m", 1)));
    [month, day]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timed(rows: &[(&str, &str)]) -> Timed {
        let mut timing = Timing::default();
        for (i, (s, e)) in rows.iter().enumerate() {
            timing.add(i + 2, s, e);
        }
        timing.finish()
    }

    #[test]
    fn export_timestamps_read_in_the_usual_forms() {
        let t = timed(&[("11/17/22 10:03:12", "11/17/2022 10:34:59")]);
        assert_eq!(t.average, Some(31 * 60 + 47));
        let t = timed(&[("11/17/2022 10:34:59 AM", "2022-11-17 10:35:59")]);
        assert_eq!(t.average, Some(60));
        let t = timed(&[("2024-05-14T09:00:00.000+02:00", "2024-05-14T09:04:00.000+02:00")]);
        assert_eq!(t.average, Some(240));
        assert_eq!(timed(&[("2024-05-14 09:00:00", "2024-05-14 09:04")]).average, Some(240));
    }

    #[test]
    fn day_first_dates_are_read_as_written() {
        // Saved by a spreadsheet in a day-first locale: the 1st of June,
        // across midnight, and the 14th.
        let t = timed(&[
            ("01/06/2024 10:00:00", "01/06/2024 10:05:00"),
            ("01/06/2024 23:58:00", "02/06/2024 00:03:00"),
            ("14/06/2024 10:00:00", "14/06/2024 10:05:00"),
        ]);
        assert_eq!(t, Timed { average: Some(300), unread: None, backwards: None });
        // Month first where both read alike.
        let t = timed(&[("06/01/2024 10:00:00", "06/01/2024 10:05:00")]);
        assert_eq!(t.average, Some(300));
    }

    #[test]
    fn times_that_cannot_be_read_are_left_out_and_said() {
        let t = timed(&[
            ("2024-05-14 09:00:00", "2024-05-14 09:04:00"),
            ("45426.375", "2024-05-14 09:06:00"),
            ("2024-05-14T09:00:00+02:00", "2024-05-14T09:04:00"),
            ("2024-05-14 09:10:00", "2024-05-14 09:02:00"),
        ]);
        assert_eq!(t.average, Some(240));
        assert_eq!(t.unread, Some((3, 2)));
        assert_eq!(t.backwards, Some((5, 1)));
    }
}
