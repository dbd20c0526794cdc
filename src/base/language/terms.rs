//! The words a report prints itself: one catalogue of terms, the files
//! that give them in each language, and their values.
//!
//! Every word the tool prints in a report (a heading, a label, a default
//! title, a scale's labels, a date pattern) is a term with a key of
//! [`TERMS`]. A language's terms come from `templates/terms/<tag>.yaml`,
//! built into the binary ([`BUILT_IN`]) and overridable: a terms file in a
//! `--templates` folder, then `terms:` in `branding.yaml`, then in the
//! record, each over the one before. A new language is a new file.

use std::collections::BTreeMap;

/// What kind of value a term takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A text, with the placeholders the term names in braces.
    Text,
    /// Forms by CLDR plural category (`one:`, `other:`, ...), each a text
    /// with `{n}`; `other` is required.
    Plural,
    /// A list of exactly this many texts.
    List(usize),
    /// How annexes are numbered: `roman`, `decimal`, `han`, or a list of
    /// labels.
    Numbering,
    /// A CLDR date pattern for a range of two dates (UTS #35): the second
    /// date starts where a field repeats.
    DateRange,
}

/// A term of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    /// Its key in a terms file.
    pub key: &'static str,
    /// The kind of value it takes.
    pub shape: Shape,
    /// The placeholders its texts may hold, without braces.
    pub placeholders: &'static [&'static str],
    /// Whether every language must give it (an optional term falls back
    /// to CLDR's data).
    pub required: bool,
    /// What it is, for docs/languages.md.
    pub about: &'static str,
}

/// A required text without placeholders.
pub const fn text(key: &'static str, about: &'static str) -> Term {
    Term { key, shape: Shape::Text, placeholders: &[], required: true, about }
}

const fn pattern(
    key: &'static str,
    placeholders: &'static [&'static str],
    about: &'static str,
) -> Term {
    Term { key, shape: Shape::Text, placeholders, required: true, about }
}

/// The common terms, in the order of docs/languages.md and the terms
/// files; the annex kinds' own follow them (see [`catalogue`]).
pub const TERMS: &[Term] = &[
    text("contents", "The title of the table of contents."),
    text("annexes", "The heading above the annexes."),
    pattern("annex", &["number"], "An annex's label: `Annex {number}`."),
    Term {
        key: "annex_numbers",
        shape: Shape::Numbering,
        placeholders: &[],
        required: true,
        about: "How annexes are numbered: `roman` (I, II), `decimal` (1, 2), `han` (一, 二), or a list of labels, the first for the first annex.",
    },
    pattern("annex_heading", &["label", "title"], "An annex's heading: `{label}: {title}`."),
    text("table", "The label of a table's caption: \"Table 1\"."),
    text("figure", "The label of a figure's or chart's caption: \"Figure 1\"."),
    text("caption_separator", "Between a caption's label and its text."),
    text("colon", "After a label, before what it labels: \"Median: ...\"."),
    text("separator", "Between the items of a run: a speaker's name, role and organisation."),
    text("continued", "Marks a group or table continued from the page before."),
    text("agenda_title", "The title of an agenda annex the record gives no title."),
    text("participants_title", "The title of a participants annex the record gives no title."),
    text("feedback_title", "The title of a feedback annex the record gives no title."),
    text("photos_title", "The title of a photos annex the record gives no title."),
    text("contacts_title", "The title of a contacts annex the record gives no title."),
    text(
        "recommendations_title",
        "The title of a recommendations annex the record gives no title.",
    ),
    Term {
        key: "date_range_days",
        shape: Shape::DateRange,
        placeholders: &[],
        required: true,
        about: "A range of dates within one month (CLDR pattern): \"15–16 March 2022\".",
    },
    Term {
        key: "date_range_months",
        shape: Shape::DateRange,
        placeholders: &[],
        required: true,
        about: "A range of dates across months of one year.",
    },
    Term {
        key: "date_range_years",
        shape: Shape::DateRange,
        placeholders: &[],
        required: true,
        about: "A range of dates across years.",
    },
    Term {
        key: "months",
        shape: Shape::List(12),
        placeholders: &[],
        required: false,
        about: "Optional: the month names dates print, January first (a house style); CLDR's by default.",
    },
    pattern("time_range", &["start", "end"], "A session's times: `{start}–{end}`."),
    pattern("previous_day", &["time"], "A time on the day before the session's date."),
    pattern("next_day", &["time"], "A time on the day after the session's date."),
    text("time", "The heading of the agenda's time column."),
    text("session", "The heading of the agenda's session column."),
    text("moderator", "Before a session's moderator."),
    Term {
        key: "minutes",
        shape: Shape::Plural,
        placeholders: &["n"],
        required: true,
        about: "How long a speaker speaks, from an exported agenda: `{n} min`.",
    },
    text("responses", "Under the number of survey responses; the series of a question's chart."),
    text("response_rate", "Under the survey's response rate."),
    pattern(
        "response_rate_of",
        &["part", "whole"],
        "The responses among those invited: `{part} of {whole}`.",
    ),
    text("average_time", "Under the average time respondents took."),
    Term {
        key: "answers",
        shape: Shape::Plural,
        placeholders: &["n"],
        required: true,
        about: "The number of answers to a free-text question: `{n} responses`.",
    },
    text("of_which", "Before the free-text answers printed, when not all are."),
    text("other_answers", "Before the answers written in under a question's `Other` option."),
    pattern("answered", &["n"], "How many answered a question."),
    pattern("not_answered", &["n"], "How many did not answer it."),
    pattern(
        "count_share",
        &["count", "share"],
        "An option's count and share: `{count} ({share})`.",
    ),
    text("mean", "Before a question's mean."),
    text("median", "Before a question's median."),
    text("top_two", "Before the share of the two best answers."),
    Term {
        key: "scale_satisfaction",
        shape: Shape::List(5),
        placeholders: &[],
        required: true,
        about: "The labels of `scale: satisfaction`, best first.",
    },
    Term {
        key: "scale_agreement",
        shape: Shape::List(5),
        placeholders: &[],
        required: true,
        about: "The labels of `scale: agreement`, best first.",
    },
    Term {
        key: "scale_likelihood",
        shape: Shape::List(5),
        placeholders: &[],
        required: true,
        about: "The labels of `scale: likelihood`, best first.",
    },
    text("number", "The heading of the recommendations' number column."),
    text("recommendation", "The heading of the recommendations' text column."),
    text("owner", "The heading of the recommendations' owner column."),
    text("due", "The heading of the recommendations' due-date column."),
];

/// Every term: the common ones ([`TERMS`]), then each annex kind's own
/// ([`crate::kinds::annex::Kind::TERMS`]), in that order.
pub fn catalogue() -> impl Iterator<Item = &'static Term> {
    let kinds = crate::kinds::AnnexKind::ALL.iter().flat_map(|kind| kind.terms());
    TERMS.iter().chain(kinds)
}

/// The term of `key`.
pub fn term(key: &str) -> Option<&'static Term> {
    catalogue().find(|t| t.key == key)
}

/// The terms files built into the binary, by language tag: every file
/// of `templates/terms/`, embedded by the build (see `build.rs`).
pub const BUILT_IN: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/terms.rs"));

/// A term's value as a file writes it: a text, a list, or forms by plural
/// category; [`Value`] once checked against its term.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(untagged)]
pub enum Raw {
    /// A text.
    Text(String),
    /// A list of texts.
    List(Vec<String>),
    /// Texts by CLDR plural category.
    Forms(BTreeMap<String, String>),
}

/// The values of the built-in terms file of `tag`, as written.
pub fn built_in(tag: &str) -> Option<BTreeMap<String, Raw>> {
    let (_, text) = BUILT_IN.iter().find(|(t, _)| *t == tag)?;
    serde_saphyr::from_str(text).ok()
}

/// The English list of term `key`: the preset scales' English labels,
/// which every report also accepts as answers.
pub fn english_list(key: &str) -> Vec<String> {
    static ENGLISH: std::sync::LazyLock<BTreeMap<String, Raw>> =
        std::sync::LazyLock::new(|| built_in("en").unwrap_or_default());
    match ENGLISH.get(key) {
        Some(Raw::List(list)) => list.clone(),
        _ => Vec::new(),
    }
}

/// A term's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A text.
    Text(String),
    /// A list of texts.
    List(Vec<String>),
    /// Texts by CLDR plural category (`one`, `other`, ...).
    Plural(BTreeMap<String, String>),
}

/// A language's terms, each with where it came from (a file's name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    values: BTreeMap<&'static str, (Value, String)>,
}

impl Terms {
    /// Sets the term of `term` to `value`, found in `origin`.
    pub fn set(&mut self, term: &'static Term, value: Value, origin: &str) {
        self.values.insert(term.key, (value, origin.to_owned()));
    }

    /// The value of `key`, if given.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key).map(|(v, _)| v)
    }

    /// Where the value of `key` came from.
    pub fn origin(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(|(_, o)| o.as_str())
    }

    /// Gives each required term not given its English text: a built-in
    /// language lacking a term (one a new annex kind brought, say) prints
    /// it in English rather than failing.
    pub fn fall_back_to_english(&mut self) {
        for term in self.missing() {
            if let Some(raw) = built_in("en").and_then(|values| values.get(term.key).cloned())
                && let Ok(value) = term.value(&raw)
            {
                self.set(term, value, "templates/terms/en.yaml");
            }
        }
    }

    /// The required terms not given.
    pub fn missing(&self) -> Vec<&'static Term> {
        catalogue().filter(|t| t.required && !self.values.contains_key(t.key)).collect()
    }

    /// The text of `key` ("" if it is not a text: the catalogue's checks
    /// keep that from happening).
    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            Some(Value::Text(text)) => text,
            _ => "",
        }
    }

    /// The list of `key` (empty if not given).
    pub fn list(&self, key: &str) -> &[String] {
        match self.get(key) {
            Some(Value::List(list)) => list,
            _ => &[],
        }
    }

    /// The text terms, for templates: `terms.contents`.
    pub fn texts(&self) -> BTreeMap<String, String> {
        self.values
            .iter()
            .filter_map(|(k, (v, _))| match v {
                Value::Text(t) => Some(((*k).to_owned(), t.clone())),
                _ => None,
            })
            .collect()
    }
}

/// The most characters of a term (or of each text of one): a word, a
/// label, a short pattern. A report prints some terms once per speaker,
/// option or row: their length multiplies.
pub const MAX_TERM: usize = 200;

impl Term {
    /// `raw` as a value of this term, or what is wrong with it (an
    /// `invalid-term` error; the caller says where).
    pub fn value(&self, raw: &Raw) -> Result<Value, crate::diag::Diagnostic> {
        self.shaped(raw).map_err(|problem| {
            crate::diag::Diagnostic::error(crate::diag::Code::InvalidTerm, problem)
                .hint("docs/languages.md lists each term and what it takes")
        })
    }

    /// `raw` as a value of this term, or what is wrong with it.
    fn shaped(&self, raw: &Raw) -> Result<Value, String> {
        let texts: Vec<&String> = match raw {
            Raw::Text(t) => vec![t],
            Raw::List(list) => list.iter().collect(),
            Raw::Forms(forms) => forms.values().collect(),
        };
        if let Some(long) = texts.iter().find(|t| t.chars().count() > MAX_TERM) {
            return Err(format!(
                "a term is a word or a short phrase, of up to {MAX_TERM} characters; this one has {}",
                long.chars().count()
            ));
        }
        self.checked(raw)
    }

    /// `raw` as a value of this term, its shape and placeholders checked.
    fn checked(&self, raw: &Raw) -> Result<Value, String> {
        let term = self;
        let placeholders = |text: &str| -> Result<(), String> {
            for p in placeholders(text) {
                if !term.placeholders.contains(&p) {
                    let takes = match term.placeholders {
                        [] => "takes none".to_owned(),
                        list => format!(
                            "takes {}",
                            list.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    return Err(format!(
                        "`{{{p}}}` is not a placeholder of `{}`: it {takes}",
                        term.key
                    ));
                }
            }
            Ok(())
        };
        match (term.shape, raw) {
            (Shape::Text, Raw::Text(text)) => {
                placeholders(text)?;
                Ok(Value::Text(text.clone()))
            }
            (Shape::DateRange, Raw::Text(text)) => {
                let (first, second) = super::split_range(text)?;
                for half in [first, second] {
                    half.parse::<icu_datetime::pattern::DateTimePattern>()
                        .map_err(|e| format!("`{half}` is not a CLDR date pattern ({e:?})"))?;
                    if let Some(field) = time_field(half) {
                        return Err(format!(
                            "`{field}` is a field of the time of day, but `{}` is a range of dates: write its date fields only (d, MMMM, y, EEEE...)",
                            term.key
                        ));
                    }
                }
                Ok(Value::Text(text.clone()))
            }
            (Shape::Plural, Raw::Forms(forms)) => {
                for (category, text) in forms {
                    if !PLURAL_CATEGORIES.contains(&category.as_str()) {
                        return Err(format!(
                            "`{category}` is not a plural category: write {}",
                            PLURAL_CATEGORIES.join(", ")
                        ));
                    }
                    placeholders(text)?;
                }
                if !forms.contains_key("other") {
                    return Err("the `other` form is required".to_owned());
                }
                Ok(Value::Plural(forms.clone()))
            }
            (Shape::Plural, Raw::Text(text)) => {
                placeholders(text)?;
                Ok(Value::Plural([("other".to_owned(), text.clone())].into()))
            }
            (Shape::List(n), Raw::List(list)) => {
                if list.len() != n {
                    return Err(format!(
                        "`{}` takes {n} texts, and this list has {}",
                        term.key,
                        list.len()
                    ));
                }
                Ok(Value::List(list.clone()))
            }
            (Shape::Numbering, Raw::Text(style)) => match style.trim() {
                "roman" | "decimal" | "han" => Ok(Value::Text(style.trim().to_owned())),
                other => Err(format!(
                    "`{other}` is not a way of numbering: write `roman`, `decimal`, `han` or a list of labels"
                )),
            },
            (Shape::Numbering, Raw::List(list)) if !list.is_empty() => {
                Ok(Value::List(list.clone()))
            }
            (shape, _) => Err(format!(
                "`{}` takes {}",
                term.key,
                match shape {
                    Shape::Text | Shape::DateRange => "a text".to_owned(),
                    Shape::Plural => "forms by plural category (`one:`, `other:`, ...)".to_owned(),
                    Shape::List(n) => format!("a list of {n} texts"),
                    Shape::Numbering => "`roman`, `decimal`, `han` or a list of labels".to_owned(),
                }
            )),
        }
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if let Some((_, v)) = values.iter().find(|(n, _)| *n == name) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders `{name}` of `text`.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                found.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    found
}

/// The CLDR plural categories, in their order.
pub const PLURAL_CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// The first field of the time of day (hour, minute, second, period,
/// time zone) in the CLDR pattern `pattern`, outside its quoted text.
fn time_field(pattern: &str) -> Option<String> {
    let mut quoted = false;
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            quoted = !quoted;
        } else if !quoted && "abBhHkKjJCmsSAzZOvVXx".contains(c) {
            let run = chars[i..].iter().take_while(|&&d| d == c).count();
            return Some(chars[i..i + run].iter().collect());
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_others_kept() {
        assert_eq!(fill("Annex {number}", &[("number", "IV")]), "Annex IV");
        assert_eq!(fill("{a} {b} {c", &[("a", "1")]), "1 {b} {c");
        assert_eq!(placeholders("{count} ({share})"), ["count", "share"]);
    }

    #[test]
    fn a_built_in_language_lacking_a_term_prints_it_in_english() {
        let mut french = Terms::default();
        for (key, raw) in built_in("fr").unwrap() {
            if let Some(term) = term(&key).filter(|t| t.key != "contents") {
                french.set(term, term.value(&raw).unwrap(), "templates/terms/fr.yaml");
            }
        }
        assert!(french.missing().iter().any(|t| t.key == "contents"));
        french.fall_back_to_english();
        assert!(french.missing().is_empty());
        assert_eq!(french.text("contents"), "Contents");
        assert_eq!(french.origin("contents"), Some("templates/terms/en.yaml"));
        assert_eq!(french.text("annexes"), "Annexes");
    }

    #[test]
    fn keys_are_unique() {
        let all: Vec<&Term> = catalogue().collect();
        for (i, t) in all.iter().enumerate() {
            assert!(all[..i].iter().all(|u| u.key != t.key), "{} twice", t.key);
        }
    }

    /// The table of terms in docs/languages.md: every key, its English
    /// text and what it is. `UPDATE_DOCS=1 cargo test --lib docs_list_every_term`
    /// rewrites it.
    #[test]
    fn docs_list_every_term() {
        let english = built_in("en").unwrap();
        let code = |t: &str| format!("`{}`", t.replace('|', "\\|").replace('\u{2009}', "\\u2009"));
        let mut table =
            String::from("| key | English (`en`) | what it is |\n| --- | --- | --- |\n");
        for term in catalogue() {
            let value = match english.get(term.key) {
                Some(Raw::Text(t)) => code(t),
                Some(Raw::List(items)) => {
                    items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
                }
                Some(Raw::Forms(forms)) => forms
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", code(v)))
                    .collect::<Vec<_>>()
                    .join("; "),
                None => "(CLDR)".to_owned(),
            };
            table.push_str(&format!(
                "| `{}` | {value} | {} |\n",
                term.key,
                term.about.replace('|', "\\|")
            ));
        }
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/languages.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let (start, end) = ("<!-- terms:start -->\n", "<!-- terms:end -->");
        let a = doc.find(start).expect("docs/languages.md marks the table") + start.len();
        let b = doc.find(end).unwrap();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, format!("{}{table}{}", &doc[..a], &doc[b..])).unwrap();
        } else {
            assert_eq!(
                &doc[a..b],
                table,
                "run UPDATE_DOCS=1 cargo test --lib docs_list_every_term"
            );
        }
    }
}
