//! The codes of diagnostics: one list, each code with what it means.
//!
//! A code names a kind of problem. It is printed beside every diagnostic
//! (`error[invalid-date]`) and is the `code` of `--format json`, so CI
//! scripts may match on it: codes are stable. docs/diagnostics.md lists
//! them; a test keeps that list in step with this one.

macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $name:literal,)+) => {
        /// The kind of a problem; see the module documentation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in the order of this list.
            pub const ALL: &[Code] = &[$(Code::$variant,)+];

            /// The code as printed: `invalid-date`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            /// What the code means, in a line.
            pub fn description(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+).trim_ascii(),)+
                }
            }
        }
    };
}

codes! {
    // Files and folders.
    /// A workshop was named where there is none, or a folder cannot be read.
    NoWorkshop = "no-workshop",
    /// A file the inputs name does not exist or cannot be opened.
    MissingFile = "missing-file",
    /// A file name is empty.
    EmptyPath = "empty-path",
    /// A path leads out of the folder that owns it (`..`, an absolute path, a link).
    PathOutside = "path-outside",
    /// A path names a folder, a pipe, a device or a socket instead of a regular file.
    NotAFile = "not-a-file",
    /// A file is larger than the tool reads for its kind.
    FileTooLarge = "file-too-large",
    /// A file could not be read.
    UnreadableFile = "unreadable-file",
    /// A text file holds bytes its encoding cannot read (UTF-8, or the encoding named for it).
    NotUtf8 = "not-utf8",
    /// A CSV file or export is not UTF-8 and says nothing of its encoding: it was read in the encoding its bytes look like.
    EncodingGuessed = "encoding-guessed",
    /// A text holds a control character, which cannot print.
    ControlCharacter = "control-character",
    /// A text holds a bidirectional embedding, override or isolate, which would reorder what prints.
    BidiControl = "bidi-control",
    /// A character no bundled font can draw: it would print as an empty box.
    MissingGlyph = "missing-glyph",
    /// A character carries more marks than Unicode's stream-safe limit (30), too many to lay out.
    CombiningMarks = "combining-marks",

    // The record's syntax and structure.
    /// The workshop record is empty.
    EmptyRecord = "empty-record",
    /// The record is not valid YAML, or is too large or deep to be a record.
    Yaml = "yaml",
    /// A field the record does not have (often a misspelling).
    UnknownField = "unknown-field",
    /// A field the record needs is missing.
    MissingField = "missing-field",
    /// A field holds the wrong kind of value (text for a list, a list for text...).
    WrongType = "wrong-type",
    /// A number is not finite, or outside the range the field takes.
    OutOfRange = "out-of-range",
    /// Markdown text nests quotes or lists more deeply than a report can print.
    MarkdownTooDeep = "markdown-too-deep",
    /// Two fields that say the same thing two ways are both given (`text` and `text_file`).
    ConflictingFields = "conflicting-fields",
    /// The title is too long for the running header of each page.
    LongTitle = "long-title",
    /// A date is not a date of the calendar, or not written YYYY-MM-DD.
    InvalidDate = "invalid-date",
    /// The workshop ends before it starts.
    DatesReversed = "dates-reversed",
    /// A language code is not a valid tag.
    InvalidLanguage = "invalid-language",
    /// A term of the report's words is not of the kind its key takes.
    InvalidTerm = "invalid-term",
    /// The report's language lacks terms: no terms file, or one without
    /// some keys.
    MissingTerm = "missing-term",
    /// A colour is not written `#rrggbb`.
    InvalidColour = "invalid-colour",
    /// A branding value is none of those it may take (`chapter_break: page` or `none`).
    InvalidValue = "invalid-value",
    /// A web or e-mail address is not one (a link must be `https://`, `http://` or an e-mail address).
    InvalidLink = "invalid-link",
    /// A font family is not one of the bundled fonts.
    UnknownFont = "unknown-font",

    // Chapters and blocks.
    /// A chapter or section has no content.
    EmptySection = "empty-section",
    /// A block holds none or several of the block kinds.
    BlockKind = "block-kind",
    /// A text block has a caption.
    CaptionOnText = "caption-on-text",
    /// A table names neither or both of `file` and `rows`.
    TableSource = "table-source",
    /// A table with `rows` lacks `columns`.
    TableColumns = "table-columns",
    /// A row of an inline table has the wrong number of cells.
    TableRowLength = "table-row-length",
    /// A table's `widths` do not match its columns.
    TableWidths = "table-widths",
    /// A table has more columns than fit legibly across a page.
    WideTable = "wide-table",
    /// A figure's width is not a percentage from 1% to 100%.
    InvalidWidth = "invalid-width",
    /// A figure has no caption.
    FigureWithoutCaption = "figure-without-caption",
    /// A chart names no value column.
    ChartValues = "chart-values",
    /// A chart's `max` is below its largest value.
    ChartMax = "chart-max",
    /// A chart value is not a number a bar can show.
    NotANumber = "not-a-number",

    // Pictures.
    /// A file named as a picture is not a PNG, JPEG or SVG image.
    NotAnImage = "not-an-image",
    /// A picture is larger, in pixels or decoded bytes, than a report takes.
    ImageTooLarge = "image-too-large",
    /// A picture is truncated or damaged.
    ImageCorrupt = "image-corrupt",
    /// An SVG refers to a file or address outside itself.
    SvgExternal = "svg-external",
    /// An SVG is too complex (elements, entity or `<use>` expansion, nesting) to print safely.
    SvgTooComplex = "svg-too-complex",

    // CSV files.
    /// A CSV file cannot be parsed.
    Csv = "csv",
    /// A CSV file has no header row.
    CsvNoHeader = "csv-no-header",
    /// A CSV header names no column.
    CsvEmptyHeader = "csv-empty-header",
    /// A CSV header names a column twice.
    CsvDuplicateHeader = "csv-duplicate-header",
    /// A CSV row has more or fewer fields than the header.
    CsvFieldCount = "csv-field-count",
    /// The record names a column a file does not have.
    UnknownColumn = "unknown-column",
    /// A spreadsheet cannot be read, or a cell holds an error.
    Spreadsheet = "spreadsheet",
    /// A workbook lacks the sheet the record names.
    MissingSheet = "missing-sheet",
    /// A survey export has a shape the tool does not know.
    ExportShape = "export-shape",

    // Annexes, agenda, participants.
    /// An annex holds none or several of the annex kinds.
    AnnexKind = "annex-kind",
    /// An annex needs a title.
    AnnexTitle = "annex-title",
    /// A time is not a time of day written HH:MM.
    InvalidTime = "invalid-time",
    /// A clock is not `24h` or `12h`.
    InvalidClock = "invalid-clock",
    /// A time zone is not a zone of the time zone database.
    UnknownTimeZone = "unknown-time-zone",
    /// An agenda day is outside the workshop's dates.
    DayOutsideWorkshop = "day-outside-workshop",
    /// A session ends before it starts.
    SessionEndsBeforeStart = "session-ends-before-start",
    /// Sessions of a day are not in the order of their times.
    SessionsOutOfOrder = "sessions-out-of-order",
    /// A session has neither a title nor a break label.
    SessionTitle = "session-title",
    /// An exported agenda (Indico, iCalendar) cannot be read as one.
    AgendaExport = "agenda-export",
    /// An entry of an exported agenda cannot be placed, or the record's
    /// `add:` names one the export lacks.
    AgendaEntry = "agenda-entry",
    /// An iCalendar event repeats in a way the tool does not expand.
    Recurrence = "recurrence",
    /// A duration is not written as minutes.
    InvalidDuration = "invalid-duration",
    /// A speaker's organisation is not one the agenda lists.
    UnknownOrganisation = "unknown-organisation",
    /// A participant's group is not one of the list's groups.
    UnknownGroup = "unknown-group",
    /// A registration export cannot tell who registered.
    ParticipantList = "participant-list",
    /// A participant list is grouped, but a row has no group.
    ParticipantWithoutGroup = "participant-without-group",
    /// A photo has no caption.
    PhotoWithoutCaption = "photo-without-caption",

    // Feedback.
    /// A feedback annex has neither or both of `responses` and `tallies`.
    FeedbackSource = "feedback-source",
    /// A feedback annex has no questions.
    FeedbackQuestions = "feedback-questions",
    /// A question's kind is not one the tool knows.
    QuestionKind = "question-kind",
    /// A question's scale is not one the tool knows, or is malformed.
    QuestionScale = "question-scale",
    /// A question's options are missing or malformed.
    QuestionOptions = "question-options",
    /// A free-text question's `show` is malformed.
    QuestionShow = "question-show",
    /// A `map:` leads to an option the question does not have.
    UnknownOption = "unknown-option",
    /// An answer is not an option of its question.
    UnknownAnswer = "unknown-answer",
    /// A tallied count is not a whole number.
    NotACount = "not-a-count",
    /// A tallies file counts one option of a question on two rows.
    CountedTwice = "counted-twice",
    /// Tallies count more answers than the survey's respondents.
    CountOverRespondents = "count-over-respondents",
    /// A free-text answer is too long to print whole: its end is left out.
    AnswerCut = "answer-cut",

    // Later stages and the command line.
    /// A template failed to render.
    Template = "template",
    /// The typesetter reported a problem in the generated source.
    Typst = "typst",
    /// Text is laid out beyond the edge of a page, where no reader sees it.
    OffPage = "off-page",
    /// The PDF could not be exported.
    Pdf = "pdf",
    /// The PDF standards asked for cannot be combined.
    PdfStandard = "pdf-standard",
    /// A file is larger than a report attaches (`--attach-limit`): it is listed with its digest, not attached.
    AttachmentTooLarge = "attachment-too-large",
    /// A PDF cannot be verified: it carries no files, is damaged, or carries what no report does.
    Unverifiable = "unverifiable",
    /// A file the report is built from changed while it was built.
    SourceChanged = "source-changed",
    /// A picture lacks the text alternative PDF/UA requires.
    MissingAltText = "missing-alt-text",
    /// An output file (a PDF, the manifest, a picture) could not be written.
    Write = "write",
    /// Files could not be watched for changes.
    Watch = "watch",
    /// The preview cannot serve on the port asked for.
    Serve = "serve",
    /// A temporary folder could not be made.
    TemporaryFolder = "temporary-folder",
    /// git failed to give a revision's files.
    Git = "git",
    /// A git revision is not written `REV:PATH`.
    GitPath = "git-path",
    /// git does not know a revision.
    GitRevision = "git-revision",
    /// The command line is wrong.
    Usage = "usage",

    // Isolation: each workshop is processed in a worker process.
    /// A workshop needed more memory than one may use (`--memory-limit`).
    OutOfMemory = "out-of-memory",
    /// A workshop took longer than one may (`--time-limit`).
    TimeLimit = "time-limit",
    /// The tool failed on a workshop (a bug): its worker process stopped.
    Crashed = "crashed",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("no diagnostic code `{name}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documentation_lists_every_code() {
        let doc = include_str!("../../../docs/diagnostics.md");
        for code in Code::ALL {
            let row = format!("| `{}` | {} |", code.as_str(), code.description());
            assert!(doc.contains(&row), "docs/diagnostics.md lacks the row {row}");
        }
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len(), "two codes print the same");
    }
}
