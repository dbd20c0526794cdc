//! The survey tools whose exports the tool reads, one file each, and how
//! an export's tool is recognised: by the whole layout of the metadata
//! columns the tool writes (which, in which order, at the start or at the
//! end of the header), never by two names alone, so that a question that
//! happens to be named like a tool's column does not make an export that
//! tool's. An export two tools' layouts fit is an error that names them;
//! the record's `tool:` says which it is.
//!
//! To add a tool: a file here with a type implementing [`Tool`] and its
//! `register! { N => Type }` line (its place in [`TOOLS`], which
//! `build.rs` writes from the files of this folder); the message listing
//! the known tools is made from that list.

mod plain;

use super::columns::{Columns, Plan};
use crate::model::survey::Question;

/// What the tool knows of a survey tool's exports.
pub trait Tool: Sync {
    /// Its name in the record's `tool:`: `microsoft-forms`.
    fn key(&self) -> &'static str;

    /// Its name for people: "Microsoft Forms".
    fn name(&self) -> &'static str;

    /// The metadata columns it writes, as they are laid out.
    fn layout(&self) -> Layout;

    /// The columns of the respondents' start and end times, where it has
    /// both.
    fn times(&self, columns: &Columns) -> (Option<usize>, Option<usize>);

    /// How it joins the choices of one respondent in one cell.
    fn separator(&self) -> &'static str;

    /// Whether its exports have a second header row (SurveyMonkey's, under
    /// each question its answer or option), blank under the metadata.
    fn second_header(&self) -> bool {
        false
    }

    /// Other names a heading answers to: LimeSurvey's "code. text"
    /// heading answers to its code and to its text.
    fn aliases(&self, _heading: &str) -> Vec<String> {
        Vec::new()
    }

    /// Where a multiple-choice question laid out one column per option is,
    /// for a tool that lays them out so.
    fn option_columns(&self, _columns: &Columns, _q: &Question) -> Option<Plan> {
        None
    }

    /// The column of write-ins beside a question answered in one cell
    /// (`column`), where the tool keeps one (SurveyMonkey's `Other (please
    /// specify)` under a single choice).
    fn other_column(&self, _columns: &Columns, _column: usize) -> Option<usize> {
        None
    }

    /// Whether a cell holds no answer although it is not empty (LimeSurvey
    /// writes `N/A` for a question never shown).
    fn blank(&self, _cell: &str) -> bool {
        false
    }
}

/// Registers the survey tool of the file it is in: its place in
/// [`TOOLS`] and its type. `build.rs` reads the line.
macro_rules! register {
    ($order:literal => $tool:ident) => {};
}

include!(concat!(env!("OUT_DIR"), "/survey_tools.rs"));

/// An export of no tool known: every column a question's.
pub const PLAIN: &dyn Tool = &plain::Plain;

/// A tool's metadata columns: those that lead the header, those that end
/// it, each in order, and those that may stand anywhere.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub lead: &'static [Meta],
    pub tail: &'static [Meta],
    pub anywhere: &'static [&'static str],
}

/// A metadata column: the names it goes by (in the export's languages and
/// heading styles), and whether every export has it.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub names: &'static [&'static str],
    pub required: bool,
}

/// A column every export of the tool has.
pub const fn required(names: &'static [&'static str]) -> Meta {
    Meta { names, required: true }
}

/// A column some exports of the tool have.
pub const fn optional(names: &'static [&'static str]) -> Meta {
    Meta { names, required: false }
}

/// Whether `heading` (or one of the names the tool gives it) is one of
/// `names`, whatever the letter case and surrounding spaces.
fn named(tool: &dyn Tool, heading: &str, names: &[&str]) -> bool {
    let is = |h: &str| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n));
    is(heading) || tool.aliases(heading).iter().any(|a| is(a))
}

/// The metadata columns of the header `first` if it is laid out as
/// `tool`'s: every required column in its place, in order.
pub fn metadata(tool: &dyn Tool, first: &[String]) -> Option<Vec<usize>> {
    let layout = tool.layout();
    let mut found = Vec::new();
    let lead = run(tool, layout.lead, first.iter().enumerate())?;
    found.extend(lead.iter().copied());
    let tail = run(tool, layout.tail, first.iter().enumerate().rev())?;
    if tail.iter().any(|i| found.contains(i)) {
        return None;
    }
    found.extend(tail);
    if layout.lead.is_empty() && layout.tail.is_empty() {
        return None;
    }
    for (i, h) in first.iter().enumerate() {
        if !found.contains(&i) && named(tool, h, layout.anywhere) {
            found.push(i);
        }
    }
    found.sort_unstable();
    Some(found)
}

/// The columns of `headings` (taken in the order given) that form a block
/// of `metas`: as long as each heading is one of them (each once, in any
/// order: a tool's versions order them differently); `None` if a required
/// one is not among them.
fn run<'a>(
    tool: &dyn Tool,
    metas: &[Meta],
    headings: impl Iterator<Item = (usize, &'a String)>,
) -> Option<Vec<usize>> {
    let mut used = vec![false; metas.len()];
    let mut found = Vec::new();
    for (i, h) in headings {
        let Some(m) = (0..metas.len()).find(|&m| !used[m] && named(tool, h, metas[m].names)) else {
            break;
        };
        used[m] = true;
        found.push(i);
    }
    metas.iter().zip(&used).all(|(meta, used)| *used || !meta.required).then_some(found)
}

/// What the header of an export says of its tool.
pub enum Recognised {
    /// One tool's layout fits: the tool and its metadata columns.
    One(&'static dyn Tool, Vec<usize>),
    /// No tool's does: a plain table.
    Plain,
    /// Several tools' do.
    Many(Vec<&'static dyn Tool>),
}

/// The tool whose metadata layout the header `first` has.
pub fn recognise(first: &[String]) -> Recognised {
    let fits: Vec<(&'static dyn Tool, Vec<usize>)> =
        TOOLS.iter().filter_map(|t| metadata(*t, first).map(|m| (*t, m))).collect();
    match fits.len() {
        0 => Recognised::Plain,
        1 => {
            let Some((tool, meta)) = fits.into_iter().next() else { return Recognised::Plain };
            Recognised::One(tool, meta)
        }
        _ => Recognised::Many(fits.into_iter().map(|(t, _)| t).collect()),
    }
}

/// The tool the record names by its key.
pub fn by_key(key: &str) -> Option<&'static dyn Tool> {
    TOOLS.iter().copied().chain([PLAIN]).find(|t| t.key() == key.trim().to_ascii_lowercase())
}

/// The keys the record may give `tool:`, for messages.
pub fn keys() -> String {
    TOOLS.iter().chain([&PLAIN]).map(|t| format!("`{}`", t.key())).collect::<Vec<_>>().join(", ")
}

/// The tools known and their headers' metadata, for an error about an
/// export of none of them.
pub fn known() -> String {
    let tools: Vec<String> = TOOLS
        .iter()
        .map(|t| {
            let layout = t.layout();
            let lead: Vec<&str> =
                layout.lead.iter().filter(|m| m.required).map(|m| m.names[0]).collect();
            let tail: Vec<&str> =
                layout.tail.iter().rev().filter(|m| m.required).map(|m| m.names[0]).collect();
            let header = match (lead.is_empty(), tail.is_empty()) {
                (false, true) => format!("{}, ...", lead.join(", ")),
                (true, false) => format!("..., {}", tail.join(", ")),
                _ => format!("{}, ..., {}", lead.join(", "), tail.join(", ")),
            };
            let rows = if t.second_header() { " over two header rows" } else { "" };
            format!("{} ({header}{rows})", t.name())
        })
        .collect();
    let (last, rest) = tools.split_last().map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
    format!("{} and {last}", rest.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn recognised(names: &[&str]) -> Option<&'static str> {
        match recognise(&header(names)) {
            Recognised::One(tool, _) => Some(tool.key()),
            Recognised::Plain => None,
            Recognised::Many(_) => Some("several"),
        }
    }

    // Headers as each tool writes them: those of tests/fixtures/exports/
    // (one survey exported by every tool; its README says where each
    // layout was read), a byte-order mark left out as the export's header
    // row is read.

    /// Microsoft Forms, `msforms.xlsx`.
    const MICROSOFT_FORMS: &[&str] = &[
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        "How satisfied were you with the workshop?",
        "Which topics were most useful?",
        "Opening session",
        "Country presentations",
        "What should be improved?",
    ];

    /// Google Forms, `google.csv` and `google-sheet.xlsx`.
    const GOOGLE_FORMS: &[&str] = &[
        "Timestamp",
        "Email Address",
        "How satisfied were you with the workshop?",
        "Which topics were most useful?",
        "How would you rate the sessions? [Opening session]",
        "How would you rate the sessions? [Country presentations]",
        "What should be improved?",
    ];

    /// SurveyMonkey, `surveymonkey.csv`: two header rows.
    const SURVEYMONKEY: [&[&str]; 2] = [
        &[
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
            "How satisfied were you with the workshop?",
            "Which topics were most useful?",
            "",
            "",
            "",
            "How would you rate the sessions?",
            "",
            "What should be improved?",
        ],
        &[
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "Response",
            "Data governance, privacy and security",
            "Digital identity; interoperability",
            "Open data",
            "Other (please specify)",
            "Opening session",
            "Country presentations",
            "Open-Ended Response",
        ],
    ];

    /// KoboToolbox, `kobo.csv`.
    const KOBOTOOLBOX: &[&str] = &[
        "start",
        "end",
        "How satisfied were you with the workshop?",
        "Which topics were most useful?",
        "Which topics were most useful?/Data governance, privacy and security",
        "Which topics were most useful?/Digital identity; interoperability",
        "Which topics were most useful?/Open data",
        "Which topics were most useful?/other",
        "Which_topics_were_most_useful_other",
        "How would you rate the sessions?",
        "Opening session",
        "Country presentations",
        "What should be improved?",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "meta/rootUuid",
        "_index",
    ];

    /// LimeSurvey, question codes, `limesurvey.csv`.
    const LIMESURVEY_CODES: &[&str] = &[
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "Q1",
        "Q2[SQ001]",
        "Q2[SQ002]",
        "Q2[SQ003]",
        "Q2[other]",
        "Q3[SQ001]",
        "Q3[SQ002]",
        "Q4",
    ];

    /// LimeSurvey, question code and text, `limesurvey-codetext.csv`.
    const LIMESURVEY_CODES_AND_TEXTS: &[&str] = &[
        "id. Response ID",
        "submitdate. Date submitted",
        "lastpage. Last page",
        "startlanguage. Start language",
        "seed. Seed",
        "startdate. Date started",
        "datestamp. Date last action",
        "Q1. How satisfied were you with the workshop?",
        "Q2[SQ001]. Which topics were most useful? [Data governance, privacy and security]",
        "Q2[SQ002]. Which topics were most useful? [Digital identity; interoperability]",
        "Q2[SQ003]. Which topics were most useful? [Open data]",
        "Q2[other]. Which topics were most useful? [Other]",
        "Q3[SQ001]. How would you rate the sessions? [Opening session]",
        "Q3[SQ002]. How would you rate the sessions? [Country presentations]",
        "Q4. What should be improved?",
    ];

    /// LimeSurvey, full question texts (the export form's default heading),
    /// as its `createFieldMap` names the metadata.
    const LIMESURVEY_TEXTS: &[&str] = &[
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Seed",
        "Date started",
        "Date last action",
        "How satisfied were you with the workshop?",
        "Which topics were most useful? [Data governance, privacy and security]",
        "What should be improved?",
    ];

    /// Indico, `indico.csv`.
    const INDICO: &[&str] = &[
        "Submitter",
        "Submitter Email",
        "Submission Date",
        "How satisfied were you with the workshop?",
        "Which topics were most useful?",
        "Other topic",
        "How would you rate the sessions?: Opening session",
        "How would you rate the sessions?: Country presentations",
        "What should be improved?",
    ];

    /// Asserts that `names` is recognised as the header of the tool `key`,
    /// its metadata in the columns `expected`, and that no other tool's
    /// layout fits it.
    fn assert_only(names: &[&str], key: &str, expected: &[usize]) {
        let first = header(names);
        match recognise(&first) {
            Recognised::One(tool, found) => {
                assert_eq!((tool.key(), found.as_slice()), (key, expected), "{names:?}");
            }
            Recognised::Plain => panic!("{key}: recognised as no tool: {names:?}"),
            Recognised::Many(tools) => {
                let keys: Vec<&str> = tools.iter().map(|t| t.key()).collect();
                panic!("{key}: recognised as {keys:?}: {names:?}");
            }
        }
        for tool in TOOLS.iter().filter(|t| t.key() != key) {
            assert_eq!(metadata(*tool, &first), None, "{} fits {key}'s {names:?}", tool.key());
        }
        let tool = by_key(key).unwrap();
        assert_eq!(metadata(tool, &first).as_deref(), Some(expected));
    }

    /// The tools whose layouts fit `names`, if several do.
    fn many(names: &[&str]) -> Vec<&'static str> {
        match recognise(&header(names)) {
            Recognised::Many(tools) => tools.iter().map(|t| t.key()).collect(),
            Recognised::One(tool, _) => panic!("only {}: {names:?}", tool.key()),
            Recognised::Plain => panic!("no tool: {names:?}"),
        }
    }

    #[test]
    fn a_microsoft_forms_header_is_microsoft_forms_alone() {
        assert_only(MICROSOFT_FORMS, "microsoft-forms", &[0, 1, 2, 3, 4, 5]);
        // Older exports have no `Last modified time` (seed-001-export);
        // quizzes add their points and feedback.
        let older = [&MICROSOFT_FORMS[..5], &MICROSOFT_FORMS[6..]].concat();
        assert_only(&older, "microsoft-forms", &[0, 1, 2, 3, 4]);
        let quiz =
            [&MICROSOFT_FORMS[..6], &["Total points", "Quiz feedback"], &MICROSOFT_FORMS[6..]]
                .concat();
        assert_only(&quiz, "microsoft-forms", &[0, 1, 2, 3, 4, 5, 6, 7]);
        assert!(!by_key("microsoft-forms").unwrap().second_header());
    }

    #[test]
    fn a_google_forms_header_is_google_forms_alone() {
        assert_only(GOOGLE_FORMS, "google-forms", &[0, 1]);
        // Without the respondents' emails.
        assert_only(&[&GOOGLE_FORMS[..1], &GOOGLE_FORMS[2..]].concat(), "google-forms", &[0]);
        assert!(!by_key("google-forms").unwrap().second_header());
    }

    #[test]
    fn a_surveymonkey_header_over_two_rows_is_surveymonkey_alone() {
        let [first, second] = SURVEYMONKEY;
        assert_only(first, "surveymonkey", &[0, 1, 2, 3, 4, 5, 6, 7, 8]);
        let tool = by_key("surveymonkey").unwrap();
        assert!(tool.second_header());
        // The second row is blank under the metadata, which is how it is
        // told from a respondent's row; alone, it is no tool's header.
        assert!((0..9).all(|i| second[i].is_empty()));
        assert!(matches!(recognise(&header(second)), Recognised::Plain));
        let columns = Columns::new(tool, header(first), Some(header(second)), (0..9).collect());
        assert_eq!(columns.headings[12], "Which topics were most useful?");
        assert_eq!(columns.under(12), "Open data");
        assert_eq!(columns.same_question(11), [10, 11, 12, 13]);
    }

    #[test]
    fn a_kobotoolbox_header_is_kobotoolbox_alone() {
        let tail: Vec<usize> = (13..24).collect();
        assert_only(KOBOTOOLBOX, "kobotoolbox", &[&[0, 1], &tail[..]].concat());
        // A form without `start` and `end`, exported without the optional
        // metadata of newer versions.
        assert_only(&KOBOTOOLBOX[2..16], "kobotoolbox", &[11, 12, 13]);
        assert!(!by_key("kobotoolbox").unwrap().second_header());
    }

    #[test]
    fn a_limesurvey_header_in_each_heading_style_is_limesurvey_alone() {
        let lead = [0, 1, 2, 3, 4, 5, 6];
        assert_only(LIMESURVEY_CODES, "limesurvey", &lead);
        assert_only(LIMESURVEY_CODES_AND_TEXTS, "limesurvey", &lead);
        assert_only(LIMESURVEY_TEXTS, "limesurvey", &lead);
        // Without a date stamp, token or seed.
        assert_only(
            &[&LIMESURVEY_CODES[..4], &LIMESURVEY_CODES[7..]].concat(),
            "limesurvey",
            &[0, 1, 2, 3],
        );
        assert!(!by_key("limesurvey").unwrap().second_header());
    }

    #[test]
    fn an_indico_header_is_indico_alone() {
        assert_only(INDICO, "indico", &[0, 1, 2]);
        assert_only(&[&INDICO[..1], &INDICO[2..]].concat(), "indico", &[0, 1]);
        assert!(!by_key("indico").unwrap().second_header());
    }

    #[test]
    fn a_header_of_no_tool_is_plain() {
        let plain = ["Name", "How satisfied were you with the workshop?", "Comments"];
        assert!(matches!(recognise(&header(&plain)), Recognised::Plain));
        // A tool's header short of a column every export of it has.
        let no_completion = [&MICROSOFT_FORMS[..2], &MICROSOFT_FORMS[3..]].concat();
        let no_uuid = [&KOBOTOOLBOX[..14], &KOBOTOOLBOX[15..]].concat();
        let no_lastpage = [&LIMESURVEY_CODES[..2], &LIMESURVEY_CODES[3..]].concat();
        for names in
            [&no_completion[..], &no_uuid, &no_lastpage, &SURVEYMONKEY[0][1..], &INDICO[3..]]
        {
            assert!(matches!(recognise(&header(names)), Recognised::Plain), "{names:?}");
        }
        // The plain table's own layout fits no header: it is what is left.
        assert_eq!(by_key("plain").unwrap().key(), PLAIN.key());
        for names in [&plain[..], MICROSOFT_FORMS, KOBOTOOLBOX] {
            assert_eq!(metadata(PLAIN, &header(names)), None);
        }
    }

    #[test]
    fn a_header_two_layouts_fit_names_both() {
        // A tool's leading metadata, and KoboToolbox's at the end.
        let kobo_tail = &KOBOTOOLBOX[13..];
        assert_eq!(many(&[GOOGLE_FORMS, kobo_tail].concat()), ["google-forms", "kobotoolbox"]);
        assert_eq!(
            many(&[MICROSOFT_FORMS, kobo_tail].concat()),
            ["microsoft-forms", "kobotoolbox"]
        );
        assert_eq!(many(&[INDICO, kobo_tail].concat()), ["kobotoolbox", "indico"]);
        assert_eq!(many(&[LIMESURVEY_CODES, kobo_tail].concat()), ["kobotoolbox", "limesurvey"]);
    }

    #[test]
    fn tools_are_recognised_by_their_whole_layout() {
        assert_eq!(
            recognised(&["ID", "Start time", "Completion time", "Email", "Name", "Q"]),
            Some("microsoft-forms")
        );
        assert_eq!(recognised(&["Timestamp", "Email Address", "Q"]), Some("google-forms"));
        assert_eq!(
            recognised(&[
                "Respondent ID",
                "Collector ID",
                "Start Date",
                "End Date",
                "IP Address",
                "Q"
            ]),
            Some("surveymonkey")
        );
        assert_eq!(
            recognised(&["start", "end", "Q", "_id", "_uuid", "_submission_time"]),
            Some("kobotoolbox")
        );
        assert_eq!(
            recognised(&["id", "submitdate", "lastpage", "startlanguage", "Q1"]),
            Some("limesurvey")
        );
        assert_eq!(
            recognised(&[
                "id. Response ID",
                "submitdate. Date submitted",
                "lastpage. Last page",
                "startlanguage. Start language",
                "G01Q01. Q"
            ]),
            Some("limesurvey")
        );
        assert_eq!(
            recognised(&["Submitter", "Submitter Email", "Submission Date", "Q"]),
            Some("indico")
        );
        assert_eq!(recognised(&["Q1", "Q2"]), None);
    }

    #[test]
    fn two_names_of_a_tool_among_the_questions_are_no_tool() {
        // Questions that happen to bear a tool's metadata names, elsewhere
        // than its layout puts them.
        assert_eq!(recognised(&["Name", "Respondent ID", "Collector ID", "Q"]), None);
        assert_eq!(recognised(&["Q", "_uuid", "_submission_time", "Q2"]), None);
        assert_eq!(recognised(&["Q", "Timestamp"]), None);
        assert_eq!(recognised(&["Name", "Submitter", "Submission Date"]), None);
    }

    #[test]
    fn an_export_two_layouts_fit_is_ambiguous() {
        let both = [
            "id",
            "submitdate",
            "lastpage",
            "startlanguage",
            "Q1",
            "_id",
            "_uuid",
            "_submission_time",
        ];
        assert_eq!(recognised(&both), Some("several"));
    }

    #[test]
    fn the_known_tools_are_listed_from_the_list() {
        let known = known();
        for tool in TOOLS {
            assert!(known.contains(tool.name()), "{known}");
        }
        assert!(
            known.contains("Microsoft Forms (ID, Start time, Completion time, ...)"),
            "{known}"
        );
        assert!(
            by_key("KoboToolbox").is_some() && by_key("plain").is_some() && by_key("x").is_none()
        );
    }
}
