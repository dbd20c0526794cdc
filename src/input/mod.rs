//! Stage 1, input: reads a workshop folder and builds the checked
//! [`Workshop`] and the [`Assets`] it embeds.
//!
//! The folder holds `workshop.yaml` (the record) and the files the record
//! names: participant lists as CSV, logos and other images. Every file is
//! read through [`files`], which keeps paths inside the folder. Problems are
//! collected, not raised one by one, so that a user sees all of them at once.

pub mod carried;
pub(crate) mod checks;
pub(crate) mod record;
pub(crate) mod registrations;
pub(crate) mod sections;
pub(crate) mod sink;
pub mod sources;
mod survey;
pub(crate) mod tables;
pub(crate) mod volume;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic, Outcome, Span};
use crate::files::{self, Folder};
use crate::model::date::parse_iso;
use crate::model::{Assets, DateRange, Notice, Organiser, Workshop};
pub(crate) use checks::link::Link;
use checks::{picture, text};
use record::{schema, yaml};
use sink::Sink;
pub(crate) use sink::{Check, Checked, Errors};
use tables::Table;

/// The file name of the workshop record inside a workshop folder.
pub const RECORD: &str = "workshop.yaml";

pub(crate) use sections::body::{MAX_CAPTION, WIDE_TABLE, long_caption, plural, wide_table};
pub use sections::branding::BRANDING;
pub(crate) use tables::TableRef;

/// The most cells, entries and pieces of text a report holds (see
/// `Context::volume`).
const MAX_VOLUME: usize = 60_000;

/// The largest workshop record read, in bytes.
const MAX_RECORD_BYTES: u64 = 4 << 20;

/// A workshop read and checked: stage 1's value.
#[derive(Debug)]
pub struct Read {
    /// The workshop, checked, with what is derived from it.
    pub workshop: Workshop,
    /// The pictures it prints, by the key the templates name them by.
    pub assets: Assets,
    /// The SHA-256 of every file read: what the report is made from.
    pub files: files::Digests,
    /// The workshop folder it was read from.
    pub dir: PathBuf,
}

/// How CSV files are read; set on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The encoding of CSV files without a byte-order mark (`--encoding`);
    /// `None`: each file's own. The record is always UTF-8.
    pub encoding: Option<files::Encoding>,
    /// The CSV delimiter; `None`: sniffed from each file's header row.
    pub delimiter: Option<u8>,
    /// A `--templates` folder, whose `terms/` may hold terms files.
    pub terms: Option<PathBuf>,
}

/// Reads and checks the workshop in folder `dir`.
pub fn load(dir: &Path) -> Outcome<Read> {
    load_with(dir, Options::default())
}

/// Reads and checks the workshop in folder `dir`, reading CSV files as
/// `options` says.
pub fn load_with(dir: &Path, options: Options) -> Outcome<Read> {
    let folder = Folder::new(dir);
    let mut cx = Context {
        options,
        organisers: Vec::new(),
        sink: Sink::new(folder.display_name(RECORD)),
        folder,
        tables: HashMap::new(),
        glyphs: text::Glyphs::default(),
        pictures: picture::Pictures::default(),
        markdown_volume: 0,
        language: None,
    };
    let workshop = cx.load();
    let Context { sink, pictures, folder, glyphs, .. } = cx;
    let assets = pictures.assets;
    let (mut diagnostics, sources) = sink.finish();
    diagnostics.extend(glyphs.warnings());
    order_by_place(&mut diagnostics);
    let value = workshop.filter(|_| !crate::diag::has_errors(&diagnostics)).map(|workshop| Read {
        workshop,
        assets,
        files: folder.digests(),
        dir: dir.to_path_buf(),
    });
    Outcome { value, diagnostics, sources }
}

/// Refuses a workshop folder that is a link to a folder elsewhere: the
/// folder that holds the workshops owns them (and their branding), and a
/// workshop from a pull request must not read a folder outside it.
fn link_out(dir: &Path) -> Option<Diagnostic> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (Ok(real), Ok(parent)) = (std::fs::canonicalize(dir), std::fs::canonicalize(&parent))
    else {
        return None;
    };
    if real.parent() == Some(parent.as_path()) {
        return None;
    }
    Some(
        Diagnostic::error(
            Code::PathOutside,
            format!("the workshop folder {} is a link to a folder elsewhere", dir.display()),
        )
        .hint("put the workshop folder itself beside the others, not a link to it"),
    )
}

/// Puts the diagnostics of each file in the order of their place in it,
/// leaving the order of files as found: a user fixes a file top to bottom.
fn order_by_place(diagnostics: &mut [Diagnostic]) {
    let mut files: Vec<Option<String>> = Vec::new();
    for d in diagnostics.iter() {
        if d.span.is_some() && !files.contains(&d.file) {
            files.push(d.file.clone());
        }
    }
    for file in files {
        let slots: Vec<usize> = (0..diagnostics.len())
            .filter(|&i| diagnostics[i].file == file && diagnostics[i].span.is_some())
            .collect();
        let mut placed: Vec<Diagnostic> = slots.iter().map(|&i| diagnostics[i].clone()).collect();
        placed.sort_by_key(|d| d.span.as_ref().map(|s| (s.line, s.column)));
        for (slot, d) in slots.into_iter().zip(placed) {
            diagnostics[slot] = d;
        }
    }
}

/// The JSON Schema of the workshop record, for editors.
pub fn schema() -> String {
    let schema = schemars::schema_for!(record::Record);
    let mut json = serde_json::to_string_pretty(&schema).unwrap_or_default();
    json.push('\n');
    json
}

/// The JSON Schema of the workshop record, derived from its types once.
fn record_schema() -> &'static serde_json::Value {
    static SCHEMA: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(|| {
        serde_json::to_value(schemars::schema_for!(record::Record)).unwrap_or_default()
    });
    &SCHEMA
}

/// The id of the workshop in folder `dir`: the folder's own name, which
/// names its PDF.
pub fn workshop_id(dir: &Path) -> String {
    let name = match dir.file_name() {
        Some(name) => Some(name.to_os_string()),
        // `.` or a path ending in `..`: use the real name.
        None => std::fs::canonicalize(dir).ok().and_then(|p| p.file_name().map(Into::into)),
    };
    name.map_or_else(|| "workshop".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// Whether `dir` is a workshop folder (it holds a workshop record).
pub fn is_workshop(dir: &Path) -> bool {
    dir.join(RECORD).is_file()
}

/// The workshop folders that `paths` name: each path is a workshop folder
/// or a folder of them (searched one level deep, in name order).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut found = Vec::new();
    for path in paths {
        if is_workshop(path) {
            found.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| {
            Diagnostic::error(
                Code::NoWorkshop,
                format!("cannot read folder {}: {e}", path.display()),
            )
            .hint("name a workshop folder (one that holds workshop.yaml) or a folder of them")
        })?;
        let mut children: Vec<PathBuf> =
            entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| is_workshop(p)).collect();
        if children.is_empty() {
            return Err(Diagnostic::error(
                Code::NoWorkshop,
                format!("no workshop found in {}", path.display()),
            )
            .hint(format!("a workshop folder holds a `{RECORD}`")));
        }
        children.sort();
        found.extend(children);
    }
    Ok(found)
}

/// The state of reading one workshop folder.
///
/// Small parts, each owned by the module that uses it: the diagnostics
/// ([`Sink`], `sink.rs`), the tables read (`tables/`), the pictures read
/// ([`picture::Pictures`], `checks/picture.rs`), the characters no font
/// has (`checks/text.rs`).
pub struct Context {
    /// How table files are read (`--encoding`, `--delimiter`).
    options: Options,
    /// The organisers' names and short names, for cross-references.
    organisers: Vec<String>,
    /// The workshop folder: every file is read through it.
    folder: Folder,
    /// The problems found, and the files they point into.
    sink: Sink,
    /// Table files read so far, by the path and sheet the record gives
    /// (`None`: the file had problems, already reported).
    tables: HashMap<String, Option<Table>>,
    /// The pictures read so far.
    pictures: picture::Pictures,
    /// Characters of the inputs that no font has.
    glyphs: text::Glyphs,
    /// The pieces of Markdown text of the record (see `volume.rs`).
    markdown_volume: usize,
    /// The report's language, once read from the record.
    pub(crate) language: Option<crate::language::Language>,
}

impl Context {
    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.sink.error(diagnostic);
    }

    fn record_name(&self) -> String {
        self.folder.display_name(RECORD)
    }

    /// A web or e-mail address the PDF links to, checked
    /// ([`checks::link`]).
    pub(crate) fn link(&mut self, value: &Spanned<String>, kind: Link) -> Option<String> {
        checks::link::link(value, kind).map_err(|d| self.error_at(value, d)).ok()
    }

    /// Runs a check that reads only what a [`Check`] gives: its warnings
    /// and its errors reported; `None` when it found errors.
    pub(crate) fn checked<T>(&mut self, check: impl FnOnce(&mut Check) -> Checked<T>) -> Option<T> {
        let mut given = Check {
            sink: &self.sink,
            language: self.language.as_ref(),
            organisers: &self.organisers,
            warnings: Vec::new(),
        };
        let checked = check(&mut given);
        let warnings = given.warnings;
        self.sink.diagnostics.extend(warnings);
        checked.map_err(|errors| self.sink.diagnostics.extend(errors)).ok()
    }

    /// Reports `diagnostic` at `value` of the record.
    pub(crate) fn error_at<T>(&mut self, value: &Spanned<T>, diagnostic: Diagnostic) {
        self.sink.error_at(value, diagnostic);
    }

    fn load(&mut self) -> Option<Workshop> {
        let name = self.record_name();
        if let Some(d) = link_out(self.folder.root()) {
            self.error(d.in_file(&name));
            return None;
        }
        let text = match self.folder.read_text(RECORD, MAX_RECORD_BYTES) {
            Ok(text) => text,
            Err(diagnostic) if diagnostic.code == Code::MissingFile => {
                let hint = if self.folder.root().join("workshop.yml").exists() {
                    "rename `workshop.yml` to `workshop.yaml`".to_owned()
                } else {
                    format!("each workshop folder holds a `{RECORD}` record")
                };
                self.error(diagnostic.hint(hint));
                return None;
            }
            Err(diagnostic) => {
                let hint = match diagnostic.code {
                    Code::FileTooLarge => {
                        "a workshop record is text; put long data in CSV files it names"
                    }
                    _ => "save the record as UTF-8 text",
                };
                self.error(diagnostic.in_file(name).hint(hint));
                return None;
            }
        };
        self.sink.sources.insert(&name, text.as_str());
        if let Err(d) = text::check_text(&text) {
            self.error(d.in_file(name));
            return None;
        }
        if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
            self.error(
                Diagnostic::error(Code::EmptyRecord, "the workshop record is empty")
                    .in_file(name)
                    .at(Span::line_of(&text, 1))
                    .hint("a record needs at least `title:` and `dates:`; `workshop-report new` writes a starter"),
            );
            return None;
        }
        let record = self.read_yaml::<record::Record>(&text, &name, None)?;
        self.build(record)
    }

    /// Reads the YAML file `name` (its `text`) as a `T`: checked against
    /// the record's schema (or its definition `def`) first, so that every
    /// problem of the file is reported, then read with what has no problem,
    /// so that later checks (files, dates, columns) run on the rest in the
    /// same run. `None` if the file cannot be read at all.
    fn read_yaml<T: serde::de::DeserializeOwned>(
        &mut self,
        text: &str,
        name: &str,
        def: Option<&str>,
    ) -> Option<T> {
        let tree = match yaml::parse(text) {
            Ok(tree) => tree,
            // The deserialiser names syntax errors and exceeded budgets best.
            Err(_) => {
                return match record::errors::parse(text) {
                    Ok(value) => Some(value),
                    Err(error) => {
                        self.error(record::errors::diagnostic(text, &error).in_file(name));
                        None
                    }
                };
            }
        };
        let schema = record_schema();
        let checked = match def {
            Some(def) => {
                let sub = serde_json::json!({ "$ref": format!("#/$defs/{def}"), "$defs": schema["$defs"] });
                schema::check(&tree, text, &sub)
            }
            None => schema::check(&tree, text, schema),
        };
        self.markdown_volume += checked.volume;
        for (bytes, value) in &checked.printed {
            self.glyphs.check(name, text, value, bytes.start, bytes.end);
        }
        let problems = !checked.problems.is_empty();
        for d in checked.problems {
            let d = d.in_file(name);
            self.sink.schema_problems.push((d.file.clone(), d.span.clone()));
            self.error(d);
        }
        if checked.more > 0 {
            self.error(
                Diagnostic::error(
                    Code::Yaml,
                    format!("and {} more problems of the same kinds", checked.more),
                )
                .in_file(name)
                .hint("fix those above first; is the file a workshop record?"),
            );
        }
        if checked.fatal {
            return None;
        }
        if problems {
            self.sink.shadowed.push((name.to_owned(), yaml::Shadow::new(&tree, &checked.prune)));
        }
        let readable = if problems { yaml::blank(text, &checked.prune) } else { text.to_owned() };
        match record::errors::parse(&readable) {
            Ok(value) => Some(value),
            // The problems reported already explain it.
            Err(_) if problems => None,
            Err(error) => {
                self.error(record::errors::diagnostic(text, &error).in_file(name));
                None
            }
        }
    }

    fn build(&mut self, mut record: record::Record) -> Option<Workshop> {
        self.inline_markdown_files(&mut record);
        // The language first: dates, numbers and default titles are
        // printed in it.
        let shared = self.shared_branding();
        let mut layers: Vec<(&record::Terms, String)> = Vec::new();
        if let Some(terms) = shared.as_ref().and_then(|b| b.terms.as_ref()) {
            layers.push((terms, self.shared_branding_name()));
        }
        if let Some(terms) = record.branding.as_ref().and_then(|b| b.terms.as_ref()) {
            layers.push((terms, self.record_name()));
        }
        self.language = self.read_language(record.language.as_ref(), &layers);
        let dates = self.checked(|check| dates(&record.dates, check));
        let published = record.published.as_ref().and_then(|p| self.date(p));
        let branding = self.branding(shared.as_ref(), record.branding.as_ref());
        self.organisers = record
            .organisers
            .iter()
            .flat_map(|o| std::iter::once(o.name.clone()).chain(o.short_name.clone()))
            .collect();
        let organisers = record
            .organisers
            .into_iter()
            .map(|o| Organiser {
                logo: o.logo.as_ref().and_then(|logo| self.image(logo)),
                name: o.name,
                short_name: o.short_name,
                description: o.description,
                website: o.website.as_ref().and_then(|w| self.link(w, Link::Web)),
            })
            .collect();
        let mut notices = Vec::new();
        for spanned in record.notices {
            let d = Diagnostic::error(Code::MissingField, "missing field `text` in this notice")
                .hint("write its Markdown in `text:`, or name a Markdown file with `text_file:`");
            let d = self.sink.at(&spanned, d);
            let n = spanned.value;
            match n.text {
                Some(text) => notices.push(Notice { title: n.title, text }),
                None if n.text_file.is_none() => self.error(d),
                // The file could not be read: said where it was read.
                None => {}
            }
        }
        let chapters = record.chapters.iter().map(|c| self.chapter(c)).collect();
        let annexes = self.annexes(&record.annexes, dates);
        let length = record.title.value.chars().count();
        if length > crate::model::HEADER_TITLE {
            self.error_at(
                &record.title,
                Diagnostic::warning(
                    Code::LongTitle,
                    format!("the title is {length} characters long; the running header of each page shows its first words"),
                )
                .hint(format!("a title of up to about {} characters fits; put the rest in `subtitle:`", crate::model::HEADER_TITLE)),
            );
        }

        let dates = dates?;
        let language = self.language.as_ref()?;
        let published = published.unwrap_or(dates.end);
        let workshop = Workshop {
            id: workshop_id(self.folder.root()),
            title: record.title.value,
            subtitle: record.subtitle,
            edition: record.edition,
            published,
            published_text: language.long_date(published),
            dates_text: language.date_range(dates.start, dates.end),
            dates,
            place: record.place,
            language: crate::model::Locale::of(language),
            terms: language.terms().texts(),
            branding,
            organisers,
            notices,
            chapters,
            annexes,
        };
        if let Err(d) = volume::check(&workshop, self.markdown_volume) {
            self.error(d.in_file(self.record_name()));
        }
        Some(workshop)
    }

    pub(crate) fn date(&mut self, value: &Spanned<String>) -> Option<jiff::civil::Date> {
        date(value).map_err(|d| self.error_at(value, d)).ok()
    }
}

/// The workshop's dates: each a date of the calendar, the end not before
/// the start.
fn dates(dates: &record::Dates, check: &mut Check) -> Checked<DateRange> {
    let mut errors = Errors::default();
    let mut read =
        |value: &Spanned<String>| date(value).map_err(|d| errors.push(check.at(value, d)));
    let (start, end) = (read(&dates.start), read(&dates.end));
    let (Ok(start), Ok(end)) = (start, end) else { return errors.fail() };
    if end < start {
        errors.push(
            check.at(
                &dates.end,
                Diagnostic::error(
                    Code::DatesReversed,
                    format!("the workshop ends ({end}) before it starts ({start})"),
                )
                .hint("swap `start` and `end`, or correct one of them"),
            ),
        );
    }
    errors.or(DateRange { start, end })
}

/// A date of the calendar as the record writes it: YYYY-MM-DD.
pub(crate) fn date(value: &Spanned<String>) -> Result<jiff::civil::Date, Diagnostic> {
    parse_iso(&value.value).ok_or_else(|| {
        Diagnostic::error(
            Code::InvalidDate,
            format!("`{}` is not a date of the calendar", value.value),
        )
        .hint("write dates as YYYY-MM-DD, e.g. 2022-03-15")
    })
}

/// The candidate nearest to `word` by edit distance, if near enough to be
/// a likely misspelling.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}
