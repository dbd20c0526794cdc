//! The report's language: its words ([`terms`]), and its dates, times and
//! numbers as CLDR gives them for the language (ICU4X's compiled data).
//!
//! A [`Language`] is made once per workshop from the record's `language:`
//! (a BCP 47 tag: `fr`, `ar-EG`, `zh-Hant`, `ar-u-nu-arab`) and its terms;
//! the input stage uses it to print every date, time and number the model
//! holds, and the templates print its terms. Messages of the tool itself
//! stay in English.

pub mod terms;

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::enums::DateFieldSet;
use icu_datetime::fieldsets::{T, YMD};
use icu_datetime::input::Time;
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames};
use icu_datetime::preferences::HourCycle;
use icu_datetime::{
    DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter, NoCalendarFormatter,
};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::{LanguageIdentifier, Locale};

use crate::diag::{Code, Diagnostic};
use icu_plurals::{PluralCategory, PluralRules};
use writeable::{TryWriteable, Writeable};

pub use terms::{Terms, Value};

/// The direction text of a language runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Left to right: Latin, Cyrillic, CJK...
    Ltr,
    /// Right to left: Arabic, Hebrew...
    Rtl,
}

/// How times print, when the record chooses (`clock:`); otherwise the
/// language's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The 24-hour clock: "14:30".
    H24,
    /// The 12-hour clock: "2:30 PM", "9 AM" on the hour.
    H12,
}

/// A language tag, checked: `Err` is an `invalid-language` error (the
/// caller says where).
pub fn parse_tag(tag: &str) -> Result<Locale, Diagnostic> {
    let locale: Option<Locale> = tag.trim().parse().ok();
    match locale {
        Some(locale) if !locale.id.language.is_unknown() => Ok(locale),
        _ => Err(Diagnostic::error(
            Code::InvalidLanguage,
            format!("`{}` is not a language tag", tag.trim()),
        )
        .hint("write a BCP 47 language tag, e.g. `en`, `fr`, `ar`, `zh`, `es-MX`, `zh-Hant`")),
    }
}

/// The tags whose terms apply to `locale`, most general first: `zh-TW`
/// reads `zh`, then `zh-Hant`, then `zh-TW` (and `zh-Hant-TW`).
pub fn lookup_chain(locale: &Locale) -> Vec<String> {
    let mut id: LanguageIdentifier = locale.id.clone();
    let given = id.clone();
    icu_locale::LocaleExpander::new_common().maximize(&mut id);
    let language = id.language.to_string();
    let mut chain = vec![language.clone()];
    let script = id.script.map(|s| s.to_string());
    let region = id.region.map(|r| r.to_string());
    // The script only where the language is written in more than one
    // (a tag names it, or maximising it differs from the language's own).
    let default_script = {
        let mut bare = LanguageIdentifier::from(id.language);
        icu_locale::LocaleExpander::new_common().maximize(&mut bare);
        bare.script.map(|s| s.to_string())
    };
    if let Some(s) = &script
        && (given.script.is_some() || Some(s) != default_script.as_ref())
    {
        chain.push(format!("{language}-{s}"));
    }
    if let Some(r) = &region
        && given.region.is_some()
    {
        chain.push(format!("{language}-{r}"));
        if let Some(s) = &script
            && Some(s) != default_script.as_ref()
        {
            chain.push(format!("{language}-{s}-{r}"));
        }
    }
    chain.dedup();
    chain
}

/// A report's language: its terms and its formatters.
pub struct Language {
    tag: String,
    locale: Locale,
    direction: Direction,
    terms: Terms,
    long_date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    decimal: DecimalFormatter,
    percent: PercentFormatter<DecimalFormatter>,
    plurals: PluralRules,
    digits: [char; 10],
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Language").field("tag", &self.tag).finish_non_exhaustive()
    }
}

/// Why a language cannot be used.
enum Unusable {
    /// Its numbering system's digits are in no bundled font.
    Digits(String),
    /// CLDR's data or the terms' patterns cannot make its formatters.
    Data(String),
}

impl Language {
    /// The language of `locale` with `terms` (complete: see
    /// [`Terms::missing`]). `Err` is an `invalid-language` error saying
    /// why it cannot be used: digits no bundled font has, or what CLDR's
    /// data cannot give.
    pub fn new(locale: &Locale, terms: Terms) -> Result<Language, Diagnostic> {
        let unusable = |problem: String, hint: String| {
            Diagnostic::error(Code::InvalidLanguage, problem).hint(hint)
        };
        let data = |problem: String| {
            unusable(problem, "docs/languages.md says what a language needs".to_owned())
        };
        Self::made(locale, terms).map_err(|problem| match problem {
            // A numbering system named in the tag: the tag without it.
            Unusable::Digits(problem) if !locale.extensions.unicode.is_empty() => unusable(
                problem,
                format!(
                    "write `{}` for its usual digits, or name a numbering system of the bundled fonts' scripts: `-u-nu-latn`, `-u-nu-arab`, `-u-nu-arabext`, `-u-nu-hanidec`, `-u-nu-fullwide`",
                    locale.id
                ),
            ),
            Unusable::Digits(problem) | Unusable::Data(problem) => data(problem),
        })
    }

    fn made(locale: &Locale, terms: Terms) -> Result<Language, Unusable> {
        let prefs = DateTimeFormatterPreferences::from(locale);
        let long_date = FixedCalendarDateTimeFormatter::try_new(prefs, YMD::long())
            .map_err(|e| Unusable::Data(format!("no date formats: {e}")))?;
        let decimal = DecimalFormatter::try_new(locale.into(), Default::default())
            .map_err(|e| Unusable::Data(format!("no number formats: {e}")))?;
        let percent = PercentFormatter::try_new(locale.into(), Default::default())
            .map_err(|e| Unusable::Data(format!("no percent format: {e}")))?;
        let plurals = PluralRules::try_new(locale.into(), Default::default())
            .map_err(|e| Unusable::Data(format!("no plural rules: {e}")))?;
        let mut digits = ['0'; 10];
        for (i, d) in digits.iter_mut().enumerate() {
            let text = decimal.format(&Decimal::from(i as u32)).write_to_string().into_owned();
            *d = text.chars().next().unwrap_or(char::from(b'0' + i as u8));
        }
        if let Some(missing) = digits.iter().find(|d| !crate::fonts::covers(**d)) {
            let all: String = digits.iter().collect();
            return Err(Unusable::Digits(format!(
                "its numbering system writes the digits {all}, which no bundled font has (U+{:04X}): every number would print as an empty box",
                *missing as u32
            )));
        }
        let rtl = icu_locale::LocaleDirectionality::new_common().is_right_to_left(&locale.id);
        let language = Language {
            tag: locale.to_string(),
            locale: locale.clone(),
            direction: if rtl { Direction::Rtl } else { Direction::Ltr },
            terms,
            long_date,
            decimal,
            percent,
            plurals,
            digits,
        };
        // Every pattern must format: a mistake is found now, not in print.
        let day = Date::try_new_gregorian(2000, 1, 1).map_err(|e| Unusable::Data(e.to_string()))?;
        for key in ["date_range_days", "date_range_months", "date_range_years"] {
            language
                .range_with(key, day, day)
                .map_err(|e| Unusable::Data(format!("`{key}`: {e}")))?;
        }
        Ok(language)
    }

    /// The language of `tag` with the built-in terms alone (no house
    /// style); `None` if the tag is not one or has no built-in terms.
    pub fn built_in(tag: &str) -> Option<Language> {
        let locale = parse_tag(tag).ok()?;
        let chain = lookup_chain(&locale);
        terms::built_in(chain.first()?)?;
        let mut gathered = Terms::default();
        for step in chain {
            let origin = format!("templates/terms/{step}.yaml");
            for (key, raw) in terms::built_in(&step).into_iter().flatten() {
                if let Some(term) = terms::term(&key)
                    && let Ok(value) = term.value(&raw)
                {
                    gathered.set(term, value, &origin);
                }
            }
        }
        gathered.fall_back_to_english();
        Language::new(&locale, gathered).ok()
    }

    /// The tag, as BCP 47 writes it: "fr", "zh-Hant", "ar-EG".
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The language subtag alone, for hyphenation: "fr", "zh".
    pub fn code(&self) -> String {
        self.locale.id.language.to_string()
    }

    /// The country of the tag, if it names one: "EG", "TW"; `None` for an
    /// area such as Latin America (`es-419`), which the typesetter does
    /// not take.
    pub fn region(&self) -> Option<String> {
        let region = self.locale.id.region?.to_string();
        region.chars().all(|c| c.is_ascii_alphabetic()).then_some(region)
    }

    /// The script the language is written in, maximised: "Latn", "Arab",
    /// "Hans", "Hant".
    pub fn script(&self) -> String {
        let mut id = self.locale.id.clone();
        icu_locale::LocaleExpander::new_common().maximize(&mut id);
        id.script.map(|s| s.to_string()).unwrap_or_default()
    }

    /// The direction its text runs in.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// Its terms.
    pub fn terms(&self) -> &Terms {
        &self.terms
    }

    /// The text of term `key`, placeholders filled with `values`.
    pub fn say(&self, key: &str, values: &[(&str, &str)]) -> String {
        terms::fill(self.terms.text(key), values)
    }

    /// The form of plural term `key` for `n`, `{n}` filled with `n` as
    /// the language writes it.
    pub fn count(&self, key: &str, n: u64) -> String {
        let category = self.plurals.category_for(n);
        let name = match category {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        };
        let form = match self.terms.get(key) {
            Some(Value::Plural(forms)) => forms.get(name).or_else(|| forms.get("other")),
            _ => None,
        };
        terms::fill(form.map_or("{n}", String::as_str), &[("n", &self.integer(n))])
    }

    /// A whole number: "1,234" in English, "1 234" in French.
    pub fn integer(&self, n: u64) -> String {
        self.decimal.format(&Decimal::from(n)).write_to_string().into_owned()
    }

    /// A number in hundredths with two decimals: 450 is "4.50", "4,50".
    pub fn hundredths(&self, hundredths: i128) -> String {
        let mut d = Decimal::from(hundredths);
        d.multiply_pow10(-2);
        d.absolute.pad_end(-2);
        self.decimal.format(&d).write_to_string().into_owned()
    }

    /// The number `text` as a reader of the language writes it: "4.10" or,
    /// where the language writes decimals with a comma, "4,10"; no
    /// grouping. `None` for anything else. With the number comes its
    /// text in the language, keeping the decimals written: "4,10" in
    /// French for "4.10".
    pub fn read_decimal(&self, text: &str) -> Option<(f64, String)> {
        let text = text.trim();
        let comma = self.decimal_separator() == ',';
        let plain = match (text.matches(',').count(), text.contains('.')) {
            (0, _) => text.to_owned(),
            (1, false) if comma => text.replace(',', "."),
            _ => return None,
        };
        if !plain.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            || plain.starts_with('.')
            || plain.ends_with('.')
        {
            return None;
        }
        let value = plain.parse::<f64>().ok().filter(|n| n.is_finite())?;
        let decimal = Decimal::try_from_str(&plain).ok()?;
        Some((value, self.decimal.format(&decimal).write_to_string().into_owned()))
    }

    /// The character the language writes between a number's whole part
    /// and its decimals.
    pub fn decimal_separator(&self) -> char {
        let mut d = Decimal::from(15);
        d.multiply_pow10(-1);
        let text = self.decimal.format(&d).write_to_string().into_owned();
        text.chars().find(|c| !c.is_numeric()).unwrap_or('.')
    }

    /// A whole percentage: 50 is "50%", "50 %".
    pub fn percent(&self, percent: u64) -> String {
        self.percent.format(&Decimal::from(percent)).write_to_string().into_owned()
    }

    /// The digits of numbers the typesetter writes itself (page and
    /// caption numbers), zero first.
    pub fn digits(&self) -> [char; 10] {
        self.digits
    }

    /// ASCII digits of `text` in the language's digits.
    pub fn localise_digits(&self, text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => self.digits[d as usize],
                _ => c,
            })
            .collect()
    }

    /// A date as the language writes it in full: "15 March 2022", "15 mars
    /// 2022", "2022年3月15日".
    pub fn long_date(&self, date: jiff::civil::Date) -> String {
        let Some(d) = gregorian(date) else { return date.to_string() };
        if self.terms.list("months").len() == 12 {
            let pattern = self.long_date.format(&d).pattern();
            if let Ok(text) = self.with_months(&pattern.to_string(), &[d]) {
                return text;
            }
        }
        self.long_date.format(&d).write_to_string().into_owned()
    }

    /// A range of dates, sharing what the ends share: "15–16 March 2022".
    pub fn date_range(&self, start: jiff::civil::Date, end: jiff::civil::Date) -> String {
        if start == end {
            return self.long_date(start);
        }
        let key = if start.year() != end.year() {
            "date_range_years"
        } else if start.month() != end.month() {
            "date_range_months"
        } else {
            "date_range_days"
        };
        match (gregorian(start), gregorian(end)) {
            (Some(s), Some(e)) => self
                .range_with(key, s, e)
                .unwrap_or_else(|_| format!("{} – {}", self.long_date(start), self.long_date(end))),
            _ => format!("{start} – {end}"),
        }
    }

    /// Formats the range pattern of term `key` with `start` and `end`.
    fn range_with(
        &self,
        key: &str,
        start: Date<Gregorian>,
        end: Date<Gregorian>,
    ) -> Result<String, String> {
        let pattern = self.terms.text(key);
        let (first, second) = split_range(pattern)?;
        let mut out = self.with_months(first, &[start])?;
        out.push_str(&self.with_months(second, &[end])?);
        Ok(out)
    }

    /// Formats CLDR `pattern` with `dates[0]`, month names from the terms
    /// where they give them.
    fn with_months(&self, pattern: &str, dates: &[Date<Gregorian>]) -> Result<String, String> {
        let Some(date) = dates.first() else { return Ok(String::new()) };
        let months = self.terms.list("months");
        let pattern = if months.len() == 12 {
            replace_month(pattern, &months[date.month().ordinal as usize - 1])
        } else {
            pattern.to_owned()
        };
        let parsed: DateTimePattern = pattern.parse().map_err(|e| format!("{e:?}"))?;
        let prefs = DateTimeFormatterPreferences::from(&self.locale);
        let mut names = FixedCalendarDateTimeNames::<Gregorian, DateFieldSet>::try_new(prefs)
            .map_err(|e| e.to_string())?;
        let formatter = names.include_for_pattern(&parsed).map_err(|e| format!("{e:?}"))?;
        let formatted = formatter.format(date);
        let text = formatted.try_write_to_string().map_err(|(e, _)| format!("{e:?}"))?;
        Ok(text.into_owned())
    }

    /// A time of day, in the record's clock or else the language's: "14:30",
    /// "2:30 PM", "9 AM".
    pub fn time(&self, time: jiff::civil::Time, clock: Option<Clock>) -> String {
        let Ok(t) = Time::try_new(time.hour() as u8, time.minute() as u8, 0, 0) else {
            return format!("{:02}:{:02}", time.hour(), time.minute());
        };
        let mut prefs = DateTimeFormatterPreferences::from(&self.locale);
        prefs.hour_cycle = match clock {
            Some(Clock::H24) => Some(HourCycle::H23),
            Some(Clock::H12) => Some(HourCycle::H12),
            None => prefs.hour_cycle,
        };
        // On the hour, the 12-hour clock prints the hour alone: "9 AM".
        let fields = T::for_length(Default::default())
            .with_time_precision(icu_datetime::options::TimePrecision::MinuteOptional);
        match NoCalendarFormatter::try_new(prefs, fields) {
            Ok(f) => f.format(&t).write_to_string().into_owned(),
            Err(_) => format!("{:02}:{:02}", time.hour(), time.minute()),
        }
    }

    /// The label of the annex at `index` (from 0): "Annex I", "附件一".
    pub fn annex_label(&self, index: usize) -> String {
        let number = self.annex_number(index);
        self.say("annex", &[("number", &number)])
    }

    /// The number of the annex at `index` (from 0) as the language numbers
    /// annexes: "I", "一", "الأول".
    pub fn annex_number(&self, index: usize) -> String {
        match self.terms.get("annex_numbers") {
            Some(Value::List(labels)) => {
                labels.get(index).cloned().unwrap_or_else(|| self.integer(index as u64 + 1))
            }
            Some(Value::Text(style)) => match style.as_str() {
                "decimal" => self.integer(index as u64 + 1),
                "han" => han(index + 1),
                _ => roman(index + 1),
            },
            _ => roman(index + 1),
        }
    }

    /// Labels of the preset scale `name` in this language, best first,
    /// with the English ones too as spellings to match (an export in
    /// English tallies in any report).
    pub fn scale(&self, name: &str) -> Option<Vec<String>> {
        let labels = self.terms.list(&format!("scale_{name}"));
        (labels.len() == 5).then(|| labels.to_vec())
    }
}

/// `date` in ICU4X's Gregorian calendar.
fn gregorian(date: jiff::civil::Date) -> Option<Date<Gregorian>> {
    Date::try_new_gregorian(date.year() as i32, date.month() as u8, date.day() as u8).ok()
}

/// Splits a CLDR range pattern where a field repeats: "d–d MMMM y" is
/// "d–" for the first date and "d MMMM y" for the second.
pub fn split_range(pattern: &str) -> Result<(&str, &str), String> {
    let mut seen: Vec<char> = Vec::new();
    let mut quoted = false;
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            continue;
        }
        if quoted || !c.is_ascii_alphabetic() {
            continue;
        }
        // A field is a run of one letter.
        while chars.peek().is_some_and(|&(_, n)| n == c) {
            chars.next();
        }
        let field = match c {
            'L' => 'M',
            other => other,
        };
        if seen.contains(&field) {
            return Ok((&pattern[..i], &pattern[i..]));
        }
        seen.push(field);
    }
    Err(format!("`{pattern}` repeats no field, so it cannot print two dates"))
}

/// `pattern` with its month field (M, MMM, MMMM, L...) replaced by `name`,
/// quoted as literal text.
fn replace_month(pattern: &str, name: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
            continue;
        }
        if !quoted && (c == 'M' || c == 'L') {
            while chars.peek().is_some_and(|&n| n == c) {
                chars.next();
            }
            out.push('\'');
            out.push_str(&name.replace('\'', "''"));
            out.push('\'');
            continue;
        }
        out.push(c);
    }
    out
}

/// `n` (from 1) in Roman numerals, as annexes and parts are numbered: 1 is
/// "I", 14 is "XIV".
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, numeral) in TABLE {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

/// Chinese numerals up to 99: 1 is "一", 12 is "十二", 20 is "二十".
pub fn han(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_owned(),
        10..=19 => format!("十{}", if n == 10 { "" } else { DIGITS[n - 10] }),
        20..=99 => {
            format!(
                "{}十{}",
                DIGITS[n / 10],
                if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }
            )
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_split_where_a_field_repeats() {
        assert_eq!(split_range("d–d MMMM y").unwrap(), ("d–", "d MMMM y"));
        assert_eq!(split_range("MMMM d – MMMM d, y").unwrap(), ("MMMM d – ", "MMMM d, y"));
        assert_eq!(split_range("y年M月d日至d日").unwrap(), ("y年M月d日至", "d日"));
        assert_eq!(
            split_range("d 'de' MMMM – d 'de' MMMM 'de' y").unwrap(),
            ("d 'de' MMMM – ", "d 'de' MMMM 'de' y")
        );
        assert!(split_range("d MMMM y").is_err());
    }

    /// The date ranges of each shipped language, as CLDR 47's interval
    /// formats (`yMMMd`, with full month names) give them, within a month,
    /// across months and across years.
    #[test]
    fn date_ranges_follow_cldr() {
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        let cases: [(&str, [&str; 3]); 8] = [
            (
                "en",
                [
                    "March 15\u{2009}–\u{2009}16, 2022",
                    "March 30\u{2009}–\u{2009}April 1, 2022",
                    "December 30, 2022\u{2009}–\u{2009}January 2, 2023",
                ],
            ),
            (
                "en-GB",
                [
                    "15–16 March 2022",
                    "30 March\u{2009}–\u{2009}1 April 2022",
                    "30 December 2022\u{2009}–\u{2009}2 January 2023",
                ],
            ),
            (
                "fr",
                [
                    "15–16 mars 2022",
                    "30 mars\u{2009}–\u{2009}1 avril 2022",
                    "30 décembre 2022\u{2009}–\u{2009}2 janvier 2023",
                ],
            ),
            (
                "es",
                [
                    "15–16 de marzo de 2022",
                    "30 de marzo\u{2009}–\u{2009}1 de abril de 2022",
                    "30 de diciembre de 2022\u{2009}–\u{2009}2 de enero de 2023",
                ],
            ),
            (
                "ru",
                [
                    "15–16 марта 2022\u{202f}г.",
                    "30 марта – 1 апреля 2022\u{202f}г.",
                    "30 декабря 2022\u{202f}г. – 2 января 2023\u{202f}г.",
                ],
            ),
            ("ar", ["15–16 مارس 2022", "30 مارس – 1 أبريل 2022", "30 ديسمبر 2022 – 2 يناير 2023"]),
            (
                "zh",
                ["2022年3月15日至16日", "2022年3月30日至4月1日", "2022年12月30日至2023年1月2日"],
            ),
            (
                "zh-Hant",
                ["2022年3月15日至16日", "2022年3月30日至4月1日", "2022年12月30日至2023年1月2日"],
            ),
        ];
        for (tag, [days, months, years]) in cases {
            let l = Language::built_in(tag).unwrap();
            assert_eq!(l.date_range(d("2022-03-15"), d("2022-03-16")), days, "{tag}");
            assert_eq!(l.date_range(d("2022-03-30"), d("2022-04-01")), months, "{tag}");
            assert_eq!(l.date_range(d("2022-12-30"), d("2023-01-02")), years, "{tag}");
            assert_eq!(
                l.date_range(d("2022-03-15"), d("2022-03-15")),
                l.long_date(d("2022-03-15"))
            );
        }
    }

    #[test]
    fn numbers_and_times_follow_cldr() {
        let l = |tag: &str| Language::built_in(tag).unwrap();
        assert_eq!(l("fr").hundredths(450), "4,50");
        assert_eq!(l("fr").percent(50), "50\u{a0}%");
        assert_eq!(l("en").percent(50), "50%");
        assert_eq!(l("fr").integer(1234), "1\u{202f}234");
        assert_eq!(l("ar").hundredths(450), "4.50");
        assert_eq!(l("ar-EG").hundredths(450), "٤٫٥٠");
        assert_eq!(l("ar-EG").localise_digits("page 12"), "page ١٢");
        let one_pm = jiff::civil::time(13, 5, 0, 0);
        assert_eq!(l("en").time(one_pm, None), "1:05\u{202f}PM");
        assert_eq!(l("en").time(one_pm, Some(Clock::H24)), "13:05");
        assert_eq!(l("fr").time(one_pm, None), "13:05");
        assert_eq!(l("fr").time(one_pm, Some(Clock::H12)), "1:05\u{202f}PM");
        assert_eq!(l("zh").time(one_pm, None), "13:05");
        assert_eq!(l("es-419").region(), None, "not a country the typesetter takes");
        assert_eq!(l("es-MX").region().as_deref(), Some("MX"));
    }

    #[test]
    fn decimals_are_read_as_the_language_writes_them() {
        let fr = Language::built_in("fr").unwrap();
        let en = Language::built_in("en").unwrap();
        assert_eq!(fr.read_decimal("4,10"), Some((4.1, "4,10".to_owned())));
        assert_eq!(fr.read_decimal("4.10"), Some((4.1, "4,10".to_owned())));
        assert_eq!(en.read_decimal("4.10"), Some((4.1, "4.10".to_owned())));
        assert_eq!(en.read_decimal("4,10"), None, "a comma groups thousands in English");
        assert_eq!(fr.read_decimal("1,234.5"), None);
        assert_eq!(fr.read_decimal("1e5"), None);
        assert_eq!(fr.read_decimal("."), None);
    }

    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 2, 4, 5, 9, 14, 40, 1994].into_iter().map(roman).collect();
        assert_eq!(got, ["I", "II", "IV", "V", "IX", "XIV", "XL", "MCMXCIV"]);
        assert_eq!(han(1), "一");
        assert_eq!(han(12), "十二");
        assert_eq!(han(20), "二十");
    }

    #[test]
    fn lookup_chains_go_from_language_to_region() {
        let chain = |t: &str| lookup_chain(&parse_tag(t).unwrap());
        assert_eq!(chain("fr"), ["fr"]);
        assert_eq!(chain("fr-CA"), ["fr", "fr-CA"]);
        assert_eq!(chain("zh"), ["zh"]);
        assert_eq!(chain("zh-Hant"), ["zh", "zh-Hant"]);
        assert_eq!(chain("zh-TW"), ["zh", "zh-Hant", "zh-TW", "zh-Hant-TW"]);
        assert_eq!(chain("ar-EG"), ["ar", "ar-EG"]);
        assert_eq!(chain("en-GB"), ["en", "en-GB"]);
    }
}
