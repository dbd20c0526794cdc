//! The command line, as close to what the user typed as possible. Commands
//! read these flags and nothing downstream does.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns plain data about a workshop into its final report as a PDF.
///
/// A workshop is a folder holding `workshop.yaml` (the record: title, dates,
/// organisers, chapters, ...) and the files it names (participant lists as
/// CSV, logos). See docs/input-format.md.
#[derive(Debug, Parser)]
#[command(name = "workshop-report", version = env!("WORKSHOP_REPORT_BUILD"), propagate_version = true)]
#[command(
    after_help = "Exit status: 0 success, 1 invalid input, 2 usage error\n(diff: 0 no change, 1 changes, 2 trouble)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to colour diagnostics (and the summaries of `diff`).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Run as a worker process of a parent `workshop-report` (see
    /// `cmd/worker.rs`); never typed by people.
    #[arg(long, hide = true)]
    pub worker: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the PDF report of each workshop.
    ///
    /// Writes OUT-DIR/<workshop-folder-name>.pdf for every workshop found.
    /// A workshop with problems is reported and skipped; the others are
    /// still built, and the exit status is 1 at the end. An existing PDF is
    /// only ever replaced by a complete new one.
    #[command(after_help = "Examples:\n  \
        workshop-report build                       # every workshop under inputs/\n  \
        workshop-report build inputs/egov-sdg-2022  # one workshop\n  \
        workshop-report build inputs --out-dir dist")]
    Build(BuildArgs),

    /// Check workshops for problems without writing anything.
    ///
    /// Reads and validates every input, renders the templates and compiles
    /// the report, then lists every problem found.
    #[command(after_help = "Examples:\n  \
        workshop-report check                       # every workshop under inputs/\n  \
        workshop-report check inputs/egov-sdg-2022")]
    Check(CheckArgs),

    /// Print the Typst source generated for a workshop.
    ///
    /// For reviewers and template authors: the source is what the typesetter
    /// compiles into the PDF.
    #[command(after_help = "Example:\n  \
        workshop-report source inputs/egov-sdg-2022 > report.typ")]
    Source(SourceArgs),

    /// Print every figure of a workshop's feedback surveys.
    ///
    /// Counts for every option in scale order, percentages, the number
    /// answering and not answering, mean, median and top-two share on
    /// ordinal scales, free-text answers, respondents, response rate and
    /// average time to complete. The JSON's keys come in a documented,
    /// stable order (docs/feedback.md), so that CI can archive it and
    /// reviewers can diff it.
    #[command(after_help = "Examples:\n  \
        workshop-report tally inputs/egov-sdg-istanbul-2022\n  \
        workshop-report tally inputs/egov-sdg-istanbul-2022 --format json > tallies.json")]
    Tally(TallyArgs),

    /// Summarise what changes in the report between two versions of a
    /// workshop.
    ///
    /// OLD and NEW are workshop folders, or git revisions of one written
    /// REV:PATH (read from git's history, nothing is checked out). The
    /// summary follows the report: cover, chapters, tables and figures,
    /// agenda, participants (matched by name: re-sorting a list is no
    /// change), feedback, images. With --git BASE, every workshop whose
    /// files differ between BASE and the working tree is compared. See
    /// docs/diff.md.
    #[command(after_help = "Examples:\n  \
        workshop-report diff HEAD~1:inputs/egov-sdg-2022 inputs/egov-sdg-2022\n  \
        workshop-report diff main:inputs/egov-sdg-2022 inputs/egov-sdg-2022 --format markdown\n  \
        workshop-report diff --git origin/main --format markdown > comment.md\n  \
        workshop-report diff old/ws new/ws --pages --out-dir diff-pages\n\n\
        Exit status: 0 nothing changed, 1 something changed, 2 trouble (a version\n\
        cannot be read, or the command line is wrong).")]
    Diff(DiffArgs),

    /// Rebuild a workshop's PDF whenever its inputs or templates change.
    ///
    /// Keeps the typesetter's state between rebuilds, so that only what
    /// changed is redone; prints each rebuild's time and problems, and
    /// goes on through errors (the last good PDF stays). Stop with Ctrl-C.
    #[command(after_help = "Example:\n  \
        workshop-report watch inputs/egov-sdg-2022   # then open out/egov-sdg-2022.pdf")]
    Watch(WatchArgs),

    /// Show a workshop's report live in a browser, its problems beside the
    /// pages, updated as its files are saved.
    ///
    /// Serves the pages on 127.0.0.1 only and prints the address. Each
    /// save rebuilds the report as `watch` does; only the pages whose
    /// layout changed are sent again, and while the workshop has errors
    /// the last good pages stay, dimmed, under the errors. Given a folder
    /// of workshops, the page lets you pick one. Stop with Ctrl-C. See
    /// docs/preview.md.
    #[command(after_help = "Examples:\n  \
        workshop-report preview inputs/egov-sdg-2022 --open\n  \
        workshop-report preview                     # pick among the workshops under inputs/\n  \
        workshop-report preview inputs/egov-sdg-2022 --port 8000")]
    Preview(PreviewArgs),

    /// Check that a PDF was built from the files it carries, or from a
    /// folder.
    ///
    /// For a PDF built with `build --attach-sources`. Alone: its files are
    /// checked against its manifest, extracted, built again with this
    /// version of the tool, and the new PDF compared with it byte for byte
    /// (page by page, by text, when another version built it). With
    /// FOLDER: also says which files of the folder were added, removed or
    /// changed since, and takes from it the files the PDF lists without
    /// carrying them. Exit status: 0 verified, 1 differs, 2 could not
    /// verify. See docs/verify.md.
    #[command(after_help = "Examples:\n  \
        workshop-report verify report.pdf\n  \
        workshop-report verify report.pdf inputs/egov-sdg-2022\n  \
        workshop-report verify report.pdf --extract published/   # then build or diff it\n\n\
        Exit status: 0 verified, 1 differs, 2 could not verify.")]
    Verify(VerifyArgs),

    /// Print the JSON Schema of the workshop record, for editors.
    ///
    /// Save it once and name it in the first line of each workshop.yaml;
    /// editors with the YAML language server (VS Code and others) then
    /// complete and check fields as you type.
    #[command(after_help = "Example:\n  \
        workshop-report schema > inputs/workshop.schema.json\n  \
        # then, first line of inputs/<workshop>/workshop.yaml:\n  \
        # yaml-language-server: $schema=../workshop.schema.json")]
    Schema,

    /// Create a starter workshop folder: a commented record and a
    /// participants CSV, ready to build and to fill in.
    #[command(after_help = "Example:\n  \
        workshop-report new inputs/my-workshop && workshop-report build inputs/my-workshop")]
    New(NewArgs),
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// A workshop folder.
    pub path: PathBuf,

    /// Where to write the PDF.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// A workshop folder, or a folder of workshops to pick from.
    #[arg(default_value = "inputs")]
    pub path: PathBuf,

    /// The port to serve on [default: a free one].
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,

    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old and the new version: workshop folders, or REV:PATH (e.g.
    /// HEAD~1:inputs/x). With --git: the folders to search [default: inputs].
    #[arg(value_name = "VERSION")]
    pub versions: Vec<String>,

    /// Compare every workshop whose files differ between the git revision
    /// BASE and the working tree.
    #[arg(long, value_name = "BASE")]
    pub git: Option<String>,

    /// The output format: text (coloured on a terminal), markdown (for a
    /// pull-request comment) or json.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,

    /// Also build both versions and list the pages of the report that
    /// changed.
    #[arg(long)]
    pub pages: bool,

    /// With --pages: write DIR/<workshop>/page-NNN.png, the old and the new
    /// page side by side with the changes marked, for each changed page.
    #[arg(long, value_name = "DIR", requires = "pages")]
    pub out_dir: Option<PathBuf>,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub isolation: IsolationArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create (it must not exist, or be empty).
    pub path: PathBuf,

    /// The report's language, a BCP 47 tag (en, fr, es, ru, ar, zh, zh-Hant,
    /// or a regional form such as fr-CA): the starter is written in it.
    #[arg(long, value_name = "TAG", default_value = "en")]
    pub language: String,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A PDF built with `build --attach-sources`.
    pub pdf: PathBuf,

    /// A workshop folder to compare with the files the PDF was built from.
    pub folder: Option<PathBuf>,

    /// Write the files the PDF carries into DIR (new, or empty), laid out
    /// to build again: DIR/<workshop>/, DIR/branding.yaml, DIR/templates/.
    #[arg(long, value_name = "DIR")]
    pub extract: Option<PathBuf>,

    #[command(flatten)]
    pub isolation: IsolationArgs,
}

#[derive(Debug, Args)]
pub struct TallyArgs {
    /// A workshop folder.
    pub path: PathBuf,

    #[command(flatten)]
    pub input: InputArgs,

    /// The output format.
    #[arg(long, value_enum, default_value_t = TallyFormat::Text)]
    pub format: TallyFormat,

    #[command(flatten)]
    pub isolation: IsolationArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TallyFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Workshop folders, or folders of them [default: inputs]
    pub paths: Vec<PathBuf>,

    /// Where to write the PDFs.
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out_dir: PathBuf,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    /// Workshops built at once [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Rebuild every workshop, even those whose inputs did not change since
    /// the build the manifest records.
    #[arg(long)]
    pub force: bool,

    /// Build only the K-th of N parts of the workshops (e.g. 2/4), for a CI
    /// matrix; a workshop's part depends on its name only.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u64, u64)>,

    /// Print only problems and the closing summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub pdf: PdfArgs,

    #[command(flatten)]
    pub isolation: IsolationArgs,
}

/// How each workshop is kept apart from the others: each is read, laid out
/// and written in a worker process under limits, so that one that
/// exhausts them fails alone.
#[derive(Debug, Args)]
pub struct IsolationArgs {
    /// The most memory one workshop may use, e.g. 2GiB or 1500MiB.
    #[arg(long, value_name = "SIZE", default_value = "2GiB", value_parser = parse_size)]
    pub memory_limit: u64,

    /// The most seconds one workshop may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..))]
    pub time_limit: u64,

    /// Process every workshop in this process, without worker processes
    /// (for debugging: then a workshop that exhausts memory stops the run).
    #[arg(long)]
    pub in_process: bool,
}

/// A size in bytes written with a unit: 2GiB, 1500MiB, 2G, 512M.
fn parse_size(text: &str) -> Result<u64, String> {
    match bytes(text, false) {
        Some(b) if b >= 64 << 20 => Ok(b),
        Some(_) => Err("a workshop needs at least 64MiB".to_owned()),
        None => Err("write a size with its unit, e.g. 2GiB or 1500MiB".to_owned()),
    }
}

/// The bytes `text` says (a number and its unit: G, M, and K if `kilo`).
fn bytes(text: &str, kilo: bool) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "g" | "gb" | "gib" => 30,
        "m" | "mb" | "mib" => 20,
        "k" | "kb" | "kib" if kilo => 10,
        _ => return None,
    };
    number.parse::<u64>().ok().and_then(|n| n.checked_mul(1 << shift))
}

/// How the PDF is exported.
#[derive(Debug, Args)]
pub struct PdfArgs {
    /// A PDF standard to conform to, as typst names it: a-2b, ua-1, a-3b,
    /// 1.7, 2.0, ... (repeat for several).
    #[arg(long = "pdf-standard", value_name = "STANDARD", value_parser = parse_standard)]
    pub standards: Vec<typst_pdf::PdfStandard>,

    /// Make the PDF carry the files it was built from (the record, its
    /// lists, exports, tables, pictures, the branding, template overrides)
    /// and a manifest of their digests: a PDF/A-3b `workshop-report
    /// verify` can check. See docs/verify.md.
    #[arg(long)]
    pub attach_sources: bool,

    /// The largest file a PDF carries; a larger one is listed in the
    /// manifest with its digest only [default: 8MiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_attach_limit, requires = "attach_sources")]
    pub attach_limit: Option<u64>,
}

/// A file size written with a unit: 8MiB, 512KiB, 1GiB.
fn parse_attach_limit(text: &str) -> Result<u64, String> {
    bytes(text, true).ok_or_else(|| "write a size with its unit, e.g. 8MiB or 512KiB".to_owned())
}

fn parse_standard(text: &str) -> Result<typst_pdf::PdfStandard, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        "not a PDF standard typst supports; e.g. a-2b (archival), ua-1 (accessible), 1.7, 2.0"
            .to_owned()
    })
}

fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let parsed = text.split_once('/').and_then(|(k, n)| Some((k.parse().ok()?, n.parse().ok()?)));
    match parsed {
        Some((k, n)) if k >= 1 && k <= n => Ok((k, n)),
        _ => Err("write the shard as K/N with 1 <= K <= N, e.g. 1/4".to_owned()),
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Workshop folders, or folders of them [default: inputs]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub report: ReportArgs,

    #[command(flatten)]
    pub isolation: IsolationArgs,
}

#[derive(Debug, Args)]
pub struct SourceArgs {
    /// A workshop folder.
    pub path: PathBuf,

    /// Write the source as DIR/main.typ with the images it uses under
    /// DIR/assets/, for typst's own tools, instead of printing it.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    #[command(flatten)]
    pub templates: TemplateArgs,

    #[command(flatten)]
    pub input: InputArgs,
}

/// How CSV files are read.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The encoding of CSV files without a byte-order mark [default: each
    /// file's own: UTF-8 if it is, else the one its bytes look like]. The
    /// workshop record is always UTF-8.
    #[arg(long, value_enum)]
    pub encoding: Option<EncodingArg>,

    /// The CSV delimiter, e.g. ';' [default: detected from each file's header row]
    #[arg(long, value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "windows-1252")]
    Windows1252,
    #[value(name = "utf-16")]
    Utf16,
}

fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "\\t" | "tab" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => Err("the delimiter is one character, e.g. ';' or ',' (or `tab`)".to_owned()),
    }
}

/// How problems are reported.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How to print diagnostics: for people, or as one JSON document on
    /// standard output (for CI annotations; see docs/diagnostics.md).
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human)]
    pub format: DiagnosticFormat,

    /// Treat warnings as errors: a workshop with warnings fails.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// A folder of templates that override the built-in ones by file name
    /// (e.g. cover.typ.j2).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
