//! The workshop record (`workshop.yaml`) exactly as written, before checks.
//!
//! These types mirror the YAML; values whose position a later check may need
//! to point at are [`Spanned`]. The rest of the tool never sees them: the
//! input stage turns them into the plain [`crate::model`] types.

pub mod errors;
pub mod schema;
mod spanned;
pub mod yaml;

use schemars::JsonSchema;
use serde::Deserialize;
pub use spanned::Spanned;

pub use crate::input::tables::TableRef;
pub use crate::kinds::annex::Annex;
pub use crate::kinds::block::Block;

/// A record type that names a table file: at `@table_file,` the fields
/// that say where in the file its table is (a workbook's `sheet` and
/// `header_row`) or how to read it (a CSV file's `encoding`), the same in
/// every such type; and [`TableRef`] from them and the file's path.
macro_rules! table_file {
    (
        $(#[$attribute:meta])*
        pub struct $name:ident {
            $($(#[$before_attribute:meta])* pub $before:ident: $before_type:ty,)*
            @table_file,
            $($(#[$after_attribute:meta])* pub $after:ident: $after_type:ty,)*
        }
    ) => {
        $(#[$attribute])*
        pub struct $name {
            $($(#[$before_attribute])* pub $before: $before_type,)*
            /// In a workbook: the sheet, by name or number from 1 (default the first).
            pub sheet: Option<Spanned<SheetName>>,
            /// In a workbook: the row, from 1, that names the columns (default the
            /// first row with text).
            pub header_row: Option<Spanned<u64>>,
            /// The file's text encoding, when it is not UTF-8 and has no
            /// byte-order mark: `windows-1252`, `iso-8859-15`, `utf-16`...
            /// (default: found from its bytes).
            pub encoding: Option<Spanned<String>>,
            $($(#[$after_attribute])* pub $after: $after_type,)*
        }

        impl $name {
            /// The table at `file`, where this record says it is.
            pub fn table<'a>(&'a self, file: &'a Spanned<String>) -> TableRef<'a> {
                TableRef {
                    file,
                    sheet: self.sheet.as_ref(),
                    header_row: self.header_row.as_ref(),
                    encoding: self.encoding.as_ref(),
                }
            }
        }
    };
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// A workshop record (`workshop.yaml`): see docs/input-format.md.
pub struct Record {
    pub title: Spanned<String>,
    pub subtitle: Option<String>,
    pub edition: Option<String>,
    #[schemars(extend("x-hint" = "the dates are `start:` and `end:`, each YYYY-MM-DD"))]
    pub dates: Dates,
    pub place: Option<String>,
    pub published: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
    pub branding: Option<Branding>,
    #[serde(default)]
    pub organisers: Vec<Organiser>,
    #[serde(default)]
    pub notices: Vec<Spanned<Notice>>,
    #[serde(default)]
    #[schemars(extend("x-hint" = "each chapter starts with `- title:`"))]
    pub chapters: Vec<Chapter>,
    #[serde(default)]
    #[schemars(extend("x-hint" = "each annex is a mapping that holds one kind, e.g. `- agenda:`"))]
    pub annexes: Vec<Spanned<Annex>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("x-noun" = "a pair of dates"))]
pub struct Dates {
    #[schemars(extend("x-hint" = "write dates as YYYY-MM-DD and times as HH:MM, in quotes: \"09:30\"", "x-hint-alone" = true))]
    pub start: Spanned<String>,
    #[schemars(extend("x-hint" = "write dates as YYYY-MM-DD and times as HH:MM, in quotes: \"17:00\"", "x-hint-alone" = true))]
    pub end: Spanned<String>,
}

/// Colours and fonts; also the whole of an organisation's `branding.yaml`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("x-noun" = "branding"))]
pub struct Branding {
    pub colour: Option<Spanned<String>>,
    pub font: Option<Spanned<String>>,
    pub heading_font: Option<Spanned<String>>,
    /// Whether each chapter starts a new page (`page`, the default) or
    /// follows the one before on its page (`none`).
    pub chapter_break: Option<Spanned<String>>,
    /// Whether every report's PDF carries the files it was built from, as
    /// `build --attach-sources` does (docs/verify.md).
    pub attach_sources: Option<Spanned<bool>>,
    /// Words of the report in a house style, over the language's own:
    /// `contents: Table of Contents` (docs/languages.md lists the keys).
    pub terms: Option<Terms>,
}

/// Terms by key; each key and the kind of value it takes come from the
/// catalogue of terms ([`crate::language::terms::catalogue`]).
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct Terms(pub std::collections::BTreeMap<String, Spanned<crate::language::terms::Raw>>);

impl JsonSchema for Terms {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Terms".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        use crate::language::terms::{PLURAL_CATEGORIES, Shape, catalogue};
        use serde_json::json;
        let text = json!({ "type": "string" });
        let list = json!({ "type": "array", "items": { "type": "string" } });
        let mut properties = serde_json::Map::new();
        for term in catalogue() {
            let mut schema = match term.shape {
                Shape::Text | Shape::DateRange => text.clone(),
                Shape::List(_) => list.clone(),
                Shape::Numbering => json!({ "anyOf": [text.clone(), list.clone()] }),
                Shape::Plural => {
                    let forms: serde_json::Map<String, serde_json::Value> =
                        PLURAL_CATEGORIES.iter().map(|c| ((*c).to_owned(), text.clone())).collect();
                    json!({
                        "type": "object",
                        "properties": forms,
                        "required": ["other"],
                        "additionalProperties": false,
                    })
                }
            };
            schema["description"] = json!(term.about);
            properties.insert(term.key.to_owned(), schema);
        }
        let schema = json!({
            "description": "Words of the report, by key (docs/languages.md).",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
        schemars::Schema::try_from(schema).unwrap_or_default()
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organiser {
    pub name: String,
    pub short_name: Option<String>,
    #[schemars(extend("x-markdown" = true))]
    pub description: Option<String>,
    /// The Markdown description in a file of the workshop folder, instead of `description`.
    #[schemars(extend("x-file" = true))]
    pub description_file: Option<Spanned<String>>,
    #[schemars(extend("x-file" = true))]
    pub logo: Option<Spanned<String>>,
    pub website: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub title: Option<String>,
    #[schemars(extend("x-markdown" = true))]
    pub text: Option<String>,
    /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.
    #[schemars(extend("x-file" = true))]
    pub text_file: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub title: Spanned<String>,
    #[schemars(extend("x-markdown" = true))]
    pub text: Option<String>,
    /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.
    #[schemars(extend("x-file" = true))]
    pub text_file: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(extend("x-hint" = "`body` is a list of blocks; for Markdown text write `text:` instead of `body:`"))]
    pub body: Vec<Spanned<Block>>,
    #[serde(default)]
    #[schemars(extend("x-hint" = "each presentation starts with `- title:`"))]
    pub presentations: Vec<Presentation>,
    #[serde(default)]
    #[schemars(extend("x-hint" = "each section starts with `- title:`"))]
    pub sections: Vec<Chapter>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Presentation {
    pub title: String,
    pub speaker: Option<String>,
    #[schemars(extend("x-markdown" = true))]
    pub text: Option<String>,
    /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.
    #[schemars(extend("x-file" = true))]
    pub text_file: Option<Spanned<String>>,

    #[serde(default)]
    #[schemars(extend("x-hint" = "`body` is a list of blocks; for Markdown text write `text:` instead of `body:`"))]
    pub body: Vec<Spanned<Block>>,
    #[serde(default)]
    pub parts: Vec<Part>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub title: String,
    #[schemars(extend("x-markdown" = true))]
    pub text: Option<String>,
    /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.
    #[schemars(extend("x-file" = true))]
    pub text_file: Option<Spanned<String>>,

    #[serde(default)]
    #[schemars(extend("x-hint" = "`body` is a list of blocks; for Markdown text write `text:` instead of `body:`"))]
    pub body: Vec<Spanned<Block>>,
}

table_file! {
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Table {
        #[schemars(extend("x-file" = true))]
        pub file: Option<Spanned<String>>,
        pub columns: Option<Vec<Spanned<String>>>,
        pub rows: Option<Vec<Spanned<Vec<String>>>>,
        pub group_by: Option<Spanned<String>>,
        pub widths: Option<Spanned<Vec<f64>>>,
        @table_file,
    }
}

/// A column picked for print: by its heading in the file, or renamed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Column {
    /// Printed under its heading in the file.
    Same(String),
    /// `{heading in the file: heading printed}`.
    Renamed(std::collections::BTreeMap<String, String>),
}

/// A sheet of a workbook: its name, or its number from 1.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum SheetName {
    /// Its position among the sheets, from 1.
    Number(u64),
    /// Its name, as its tab shows it.
    Name(String),
}

impl<'de> Deserialize<'de> for SheetName {
    /// A whole number from 1, or a name; any other number (`-1`, `0`,
    /// `1.5`) is refused in the record's words.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Whole(i64),
            Number(f64),
            Name(String),
        }
        let refuse = |n: String| {
            serde::de::Error::custom(format!(
                "`sheet` is a sheet's name (`Data`) or its number from 1 (`2` for the second), but `{n}` is neither"
            ))
        };
        match Raw::deserialize(deserializer)? {
            Raw::Whole(n) if n >= 1 => Ok(SheetName::Number(n as u64)),
            Raw::Whole(n) => Err(refuse(n.to_string())),
            Raw::Number(n) => Err(refuse(n.to_string())),
            Raw::Name(name) => Ok(SheetName::Name(name)),
        }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    #[schemars(extend("x-file" = true))]
    pub file: Spanned<String>,
    pub alt: Option<String>,
    pub width: Option<Spanned<String>>,
}

table_file! {
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct Chart {
        #[schemars(extend("x-file" = true))]
        pub file: Spanned<String>,
        pub label: Spanned<String>,
        pub values: Vec<Spanned<String>>,
        pub max: Option<Spanned<f64>>,
        pub alt: Option<String>,
        @table_file,
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agenda {
    #[serde(default)]
    pub time_zones: Vec<TimeZone>,
    pub clock: Option<Spanned<String>>,
    /// The organisations speakers may belong to, besides the organisers.
    pub organisations: Option<Vec<String>>,
    /// The agenda as Indico exports an event's timetable
    /// (`/export/timetable/<event>.json`): its sessions, contributions and
    /// breaks, instead of sessions under `days`.
    #[schemars(extend("x-file" = true))]
    pub indico: Option<Spanned<String>>,
    /// The agenda as an iCalendar file (`.ics`) from Indico, Outlook or
    /// Google Calendar: one session per event, instead of sessions under
    /// `days`.
    #[schemars(extend("x-file" = true))]
    pub icalendar: Option<Spanned<String>>,
    /// The days; with `indico:` or `icalendar:`, only their dates and titles.
    #[serde(default)]
    pub days: Vec<Day>,
    /// What an export lacks, added to its entries: each matched by the
    /// entry's title or its id in the export.
    #[serde(default)]
    pub add: Vec<Spanned<Addition>>,
}

/// What the record adds to an entry of an exported agenda.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Addition {
    /// The entry: its title, or its id in the export (Indico's `c12`,
    /// `s3`, `b5`; an iCalendar event's `UID`).
    pub entry: Spanned<String>,
    /// Replaces the entry's description.
    #[schemars(extend("x-markdown" = true))]
    pub description: Option<String>,
    /// The Markdown description in a file of the workshop folder, instead of `description`.
    #[schemars(extend("x-file" = true))]
    pub description_file: Option<Spanned<String>>,
    /// Replaces the entry's topics (`[]`: none).
    pub topics: Option<Vec<String>>,
    /// The entry's speakers where the export gives none; else each
    /// completes the export's speaker of the same name (role,
    /// organisation, duration).
    #[serde(default)]
    pub speakers: Vec<Spanned<Person>>,
    /// Replaces the entry's moderator (Indico's conveners).
    pub moderator: Option<Spanned<Person>>,
    /// Whether the entry is a break (a calendar's events are sessions).
    #[serde(rename = "break")]
    pub break_: Option<bool>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeZone {
    pub label: String,
    pub zone: Spanned<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Day {
    pub date: Spanned<String>,
    pub title: Option<String>,
    #[serde(default)]
    pub sessions: Vec<Session>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    #[schemars(extend("x-hint" = "write dates as YYYY-MM-DD and times as HH:MM, in quotes: \"09:30\"", "x-hint-alone" = true))]
    pub start: Spanned<String>,
    #[schemars(extend("x-hint" = "write dates as YYYY-MM-DD and times as HH:MM, in quotes: \"17:00\"", "x-hint-alone" = true))]
    pub end: Option<Spanned<String>>,
    pub title: Option<String>,
    #[serde(rename = "break")]
    #[schemars(extend("x-hint" = "`break` is the label of a break, e.g. `break: Coffee break`", "x-hint-alone" = true))]
    pub break_: Option<String>,
    #[schemars(extend("x-markdown" = true))]
    pub description: Option<String>,
    /// The Markdown description in a file of the workshop folder, instead of `description`.
    #[schemars(extend("x-file" = true))]
    pub description_file: Option<Spanned<String>>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-hint" = "each speaker starts with `- name:`"))]
    pub speakers: Vec<Spanned<Person>>,
    #[schemars(extend("x-hint" = "a moderator is a person, e.g. `moderator: {name: Ana Silva, role: Chair}`"))]
    pub moderator: Option<Spanned<Person>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub organisation: Option<String>,
    pub duration: Option<String>,
}

table_file! {
    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    pub struct ParticipantList {
        pub title: Option<String>,
        #[schemars(extend("x-file" = true))]
        pub file: Spanned<String>,
        pub group_by: Option<Spanned<String>>,
        /// The groups a row may belong to.
        pub groups: Option<Vec<String>>,
        /// For a registration export: the states whose registrations are
        /// participants, as the export writes them (default `Completed`;
        /// give them for an export in another language: `[Terminé]`).
        pub states: Option<Vec<String>>,
        /// The columns to print, in order; each a column of the file, or a
        /// one-entry mapping from a column of the file to the heading it prints
        /// under (`{Full name: Name}`).
        pub columns: Option<Vec<Spanned<Column>>>,
        @table_file,
    }
}

table_file! {
    #[derive(Debug, Default, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[schemars(extend("x-noun" = "a feedback survey"))]
    pub struct Feedback {
        #[schemars(extend("x-markdown" = true))]
        pub text: Option<String>,
        /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.
        #[schemars(extend("x-file" = true))]
        pub text_file: Option<Spanned<String>>,

        /// A raw export: one row per respondent, one column per question.
        #[schemars(extend("x-file" = true))]
        pub responses: Option<Spanned<String>>,
        /// Pre-tallied counts: `question, option, count`.
        #[schemars(extend("x-file" = true))]
        pub tallies: Option<Spanned<String>>,
        pub invited: Option<Spanned<u64>>,
        @table_file,

        /// The survey tool that made `responses`, where its header alone does
        /// not say: `microsoft-forms`, `google-forms`, `surveymonkey`,
        /// `kobotoolbox`, `limesurvey`, `indico`, or `plain` (no tool's
        /// metadata: every column a question).
        pub tool: Option<Spanned<String>>,

        /// Indico's questionnaire export (`survey.json`): each single-choice
        /// question the record gives no `scale` or `options` is a scale of
        /// its options, in the survey's order, first best.
        #[schemars(extend("x-file" = true))]
        pub questionnaire: Option<Spanned<String>>,

        /// For tallied surveys: what the export's summary said.
        pub respondents: Option<Spanned<u64>>,
        pub average_time: Option<Spanned<String>>,
        #[serde(default)]
        pub questions: Vec<Spanned<Question>>,
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub title: String,
    /// The export's column, or the tallies' question; default: the title.
    pub column: Option<String>,
    pub kind: Option<Spanned<String>>,
    #[schemars(extend("x-hint" = "write a scale's name (`satisfaction`, `agreement`, `likelihood`, `1-5`), or its labels as a list, best first", "x-hint-alone" = true))]
    pub scale: Option<Spanned<Scale>>,
    /// Rating labels by value: `{1: Not useful, 5: Very useful}`.
    pub labels: Option<std::collections::BTreeMap<i64, String>>,
    pub options: Option<Vec<String>>,
    /// A matrix (grid) question: its rows, each printed as a question of
    /// its own on the question's scale or options.
    pub rows: Option<Vec<String>>,
    /// The export's column of the write-ins of the `Other` option, where
    /// the survey tool keeps them apart (Indico's own text question,
    /// KoboToolbox's `..._other`); found by itself for KoboToolbox,
    /// SurveyMonkey and LimeSurvey.
    pub other_column: Option<String>,
    /// Other spellings of options: `{Somewhat satisfied: Satisfied}`.
    pub map: Option<std::collections::BTreeMap<String, String>>,
    /// Free text: which answers to print: `all`, `none` or numbers.
    pub show: Option<Spanned<Show>>,
    /// Free text in a tallied survey: a CSV file of (some of) the answers.
    #[schemars(extend("x-file" = true))]
    pub answers: Option<Spanned<String>>,
    /// Free text in a tallied survey: how many answered in all.
    pub answered: Option<Spanned<u64>>,
    /// Where the export has several columns headed alike (two questions
    /// of one title): which of them, from 1, left to right.
    #[schemars(range(min = 1))]
    pub occurrence: Option<Spanned<u64>>,
}

/// A named scale (`satisfaction`, `1-5`), the labels best first, or the
/// labels with their values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(extend("x-noun" = "a scale: a name such as `satisfaction`, or a list of labels"))]
pub enum Scale {
    Named(String),
    Labels(Vec<String>),
    Valued(Vec<ScaleLabel>),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScaleLabel {
    pub label: String,
    pub value: f64,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(extend("x-noun" = "`all`, `none` or a list of answer numbers"))]
pub enum Show {
    Word(String),
    Numbers(Vec<usize>),
}
