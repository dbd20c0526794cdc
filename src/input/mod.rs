//! Stage 1, input: reads a workshop folder and builds the checked
//! [`Workshop`] and the [`Assets`] it embeds.
//!
//! The folder holds `workshop.yaml` (the record) and the files the record
//! names: participant lists as CSV, logos and other images. Every file is
//! read through [`files`], which keeps paths inside the folder. Problems are
//! collected, not raised one by one, so that a user sees all of them at once.

mod checks;
pub(crate) mod record;
pub(crate) mod sections;
mod survey;
pub(crate) mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::input::record::Spanned;

use crate::diag::{Code, Diagnostic, Diagnostics, Outcome, Sources, Span};
use crate::files::{self, Folder};
use crate::model::date::parse_iso;
use crate::model::{Assets, DateRange, ImageRef, Notice, Organiser, Workshop};
use checks::{picture, text};
use record::{schema, yaml};
use tables::{Format, Table, csv, workbook};

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
}

/// The problems found while reading, and the text of the files they
/// point into.
#[derive(Debug, Default)]
struct Found {
    diagnostics: Diagnostics,
    sources: Sources,
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
    let mut cx = Context {
        options,
        organisers: Vec::new(),
        folder: Folder::new(dir),
        out: Found::default(),
        assets: Assets::default(),
        tables: HashMap::new(),
        glyphs: text::Glyphs::default(),
        pictures: picture::Budget::default(),
        images: HashMap::new(),
        markdown_volume: 0,
        shadowed: Vec::new(),
        schema_problems: Vec::new(),
        language: None,
    };
    let workshop = cx.load();
    let Context { mut out, assets, folder, glyphs, shadowed, schema_problems, .. } = cx;
    // The schema's problems are the ones shadows stand for; later ones that
    // only repeat them are left out.
    out.diagnostics.retain(|d| {
        let structural = schema_problems.contains(&(d.file.clone(), d.span.clone()));
        let shadow = shadowed.iter().any(|(file, shadow)| {
            d.file.as_ref() == Some(file)
                && d.span.as_ref().is_some_and(|s| match d.severity {
                    crate::diag::Severity::Error => shadow.covers_error(s.bytes.start),
                    crate::diag::Severity::Warning => shadow.covers_warning(s.bytes.start),
                })
        });
        structural || !shadow
    });
    out.diagnostics.extend(glyphs.warnings());
    order_by_place(&mut out.diagnostics);
    let value = workshop
        .filter(|_| !crate::diag::has_errors(&out.diagnostics))
        .map(|workshop| Read { workshop, assets, files: folder.digests() });
    Outcome { value, diagnostics: out.diagnostics, sources: out.sources }
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

/// The kinds of address a report links to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Link {
    Web,
    Mail,
}

/// The state of reading one workshop folder.
pub struct Context {
    options: Options,
    /// The organisers' names and short names, for cross-references.
    organisers: Vec<String>,
    folder: Folder,
    out: Found,
    assets: Assets,
    /// CSV files read so far, by the path the record gives (`None`: the file
    /// had problems, already reported).
    tables: HashMap<String, Option<Table>>,
    /// Characters of the inputs that no font has.
    glyphs: text::Glyphs,
    /// The pixels of the pictures read so far.
    pictures: picture::Budget,
    /// The pieces of Markdown text of the record (see `Context::volume`).
    markdown_volume: usize,
    /// The pictures read so far, by the path the record gives (`None`:
    /// refused, already reported).
    images: HashMap<String, Option<ImageRef>>,
    /// Per YAML file, what was blanked out of it: later problems that only
    /// repeat one reported are left out (see [`yaml::Shadow`]).
    shadowed: Vec<(String, yaml::Shadow)>,
    /// Where the schema's problems are (file and span), which are kept.
    schema_problems: Vec<(Option<String>, Option<Span>)>,
    /// The report's language, once read from the record.
    pub(crate) language: Option<crate::language::Language>,
}

impl Context {
    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.out.diagnostics.push(diagnostic);
    }

    fn record_name(&self) -> String {
        self.folder.display_name(RECORD)
    }

    /// A web or e-mail address the PDF links to: checked, since a link
    /// with another scheme (`javascript:`, `file:`) would run or open
    /// something in a reader's PDF viewer.
    pub(crate) fn link(&mut self, value: &Spanned<String>, kind: Link) -> Option<String> {
        let text = value.value.trim();
        let ok = !text.contains(char::is_whitespace)
            && match kind {
                Link::Web => {
                    let lower = text.to_ascii_lowercase();
                    ["http://", "https://"]
                        .iter()
                        .any(|s| lower.starts_with(s) && lower.len() > s.len())
                }
                Link::Mail => text.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty() && host.contains('.') && !host.contains('@')
                }),
            };
        if ok {
            return Some(text.to_owned());
        }
        let d = match kind {
            Link::Web => {
                Diagnostic::error(Code::InvalidLink, format!("`{text}` is not a web address"))
                    .hint("write the whole address, starting with https:// (or http://)")
            }
            Link::Mail => {
                Diagnostic::error(Code::InvalidLink, format!("`{text}` is not an e-mail address"))
                    .hint("write it as name@example.org")
            }
        };
        self.error_at(value, d);
        None
    }

    /// A diagnostic pointing at a value of the record.
    fn at<T>(&self, value: &Spanned<T>, diagnostic: Diagnostic) -> Diagnostic {
        self.at_in(&self.record_name(), value, diagnostic)
    }

    /// A diagnostic pointing at a value of the YAML file `name`.
    fn at_in<T>(&self, name: &str, value: &Spanned<T>, diagnostic: Diagnostic) -> Diagnostic {
        let text = self.out.sources.get(name).unwrap_or("");
        let location = value.referenced;
        let span = match location.span().byte_offset() {
            // The parser counted the line and column already: no scan of
            // the file per problem.
            Some(offset) => Span::known(
                text,
                location.line() as usize,
                location.column() as usize,
                offset as usize,
                location.span().byte_len().unwrap_or(1) as usize,
            ),
            None => {
                Span::from_line_column(text, location.line() as usize, location.column() as usize)
            }
        };
        diagnostic.in_file(name).at(span)
    }

    /// Whether `value` of the record lost a part to a problem already
    /// reported (see [`yaml::Shadow`]): checks that would only repeat it
    /// in other words are skipped.
    fn damaged<T>(&self, value: &Spanned<T>) -> bool {
        let name = self.record_name();
        let Some((_, shadow)) = self.shadowed.iter().find(|(file, _)| *file == name) else {
            return false;
        };
        let text = self.out.sources.get(&name).unwrap_or("");
        let offset = match value.referenced.span().byte_offset() {
            Some(offset) => offset as usize,
            None => {
                Span::from_line_column(
                    text,
                    value.referenced.line() as usize,
                    value.referenced.column() as usize,
                )
                .bytes
                .start
            }
        };
        shadow.covers_error(offset)
    }

    /// Reports `diagnostic` at `value` of the record.
    pub(crate) fn error_at<T>(&mut self, value: &Spanned<T>, diagnostic: Diagnostic) {
        let d = self.at(value, diagnostic);
        self.error(d);
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
        self.out.sources.insert(&name, text.as_str());
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
            self.schema_problems.push((d.file.clone(), d.span.clone()));
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
            self.shadowed.push((name.to_owned(), yaml::Shadow::new(&tree, &checked.prune)));
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
        let dates = self.dates(&record.dates);
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
            let d = self.at(&spanned, d);
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
        self.volume(&workshop);
        Some(workshop)
    }

    /// Refuses a report too large to lay out within bounded time and memory
    /// (about 400 pages, at most 1.9 GB while laid out): more than
    /// [`MAX_VOLUME`] cells of tables and lists, sessions, speakers and
    /// topics, chart bars, survey options and answers, and pieces of
    /// Markdown text (a paragraph, an item, a link), each cell counting a
    /// unit more per 25 characters and each paragraph per 100 (see
    /// [`volume`]), in all.
    fn volume(&mut self, workshop: &Workshop) {
        let mut parts: Vec<(&str, usize)> = vec![("pieces of text", self.markdown_volume)];
        let body = workshop.chapters.iter().map(volume::chapter).sum();
        parts.push(("cells of tables and charts", body));
        parts.extend(workshop.annexes.iter().filter_map(|annex| annex.content.volume()));
        let total: usize = parts.iter().map(|(_, n)| n).sum();
        if total <= MAX_VOLUME {
            return;
        }
        parts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        let largest: Vec<String> =
            parts.iter().filter(|(_, n)| *n > 0).take(3).map(|(w, n)| format!("{n} {w}")).collect();
        let d = Diagnostic::error(
            Code::OutOfRange,
            format!(
                "the report would print {total} cells, entries and pieces of text ({}); a report prints up to {MAX_VOLUME}",
                largest.join(", ")
            ),
        )
        .in_file(self.record_name())
        .hint("split the workshop into several reports, or print a selection (`columns:` for lists, `show:` for survey answers)");
        self.error(d);
    }

    pub(crate) fn date(&mut self, value: &Spanned<String>) -> Option<jiff::civil::Date> {
        let date = parse_iso(&value.value);
        if date.is_none() {
            self.error_at(
                value,
                Diagnostic::error(
                    Code::InvalidDate,
                    format!("`{}` is not a date of the calendar", value.value),
                )
                .hint("write dates as YYYY-MM-DD, e.g. 2022-03-15"),
            );
        }
        date
    }

    fn dates(&mut self, dates: &record::Dates) -> Option<DateRange> {
        let start = self.date(&dates.start);
        let end = self.date(&dates.end);
        let (start, end) = (start?, end?);
        if end < start {
            self.error_at(
                &dates.end,
                Diagnostic::error(
                    Code::DatesReversed,
                    format!("the workshop ends ({end}) before it starts ({start})"),
                )
                .hint("swap `start` and `end`, or correct one of them"),
            );
            return None;
        }
        Some(DateRange { start, end })
    }

    /// The picture the record names at `path`, read and checked once per
    /// workshop.
    pub(crate) fn image(&mut self, path: &Spanned<String>) -> Option<ImageRef> {
        if let Some(cached) = self.images.get(&path.value) {
            return cached.clone();
        }
        let read =
            self.folder.read_bytes(&path.value, picture::MAX_IMAGE_BYTES).and_then(|bytes| {
                let checked = picture::check(&bytes, &path.value, &mut self.pictures)?;
                Ok((picture::key(&path.value, checked.kind), bytes, checked))
            });
        let image = match read {
            Ok((key, bytes, checked)) => {
                if !checked.text.is_empty() {
                    // An SVG's text prints in the report's fonts too.
                    let name = self.record_name();
                    let text = self.out.sources.get(&name).unwrap_or("").to_owned();
                    let span = self.at(path, Diagnostic::warning(Code::MissingGlyph, "")).span;
                    if let Some(span) = span {
                        self.glyphs.check_at(&name, &text, &checked.text, span);
                    }
                }
                self.assets.images.insert(key.clone(), bytes);
                let (width, height) = checked.size;
                let aspect = if width > 0.0 { height / width } else { 1.0 };
                Some(ImageRef { path: key, aspect })
            }
            Err(d) => {
                self.error_at(path, d);
                None
            }
        };
        self.images.insert(path.value.clone(), image.clone());
        image
    }

    /// The CSV file or workbook the record names at `path` (its first sheet,
    /// header on its first row with text), read once per workshop.
    fn csv(&mut self, path: &Spanned<String>) -> Option<(String, Table)> {
        self.table_file(TableRef { file: path, sheet: None, header_row: None, encoding: None })
    }

    /// The table the record names: a CSV file, or a sheet of a workbook
    /// (recognised by its content). Read once per workshop for each sheet
    /// and header row.
    pub(crate) fn table_file(&mut self, at: TableRef) -> Option<(String, Table)> {
        let name = self.folder.display_name(&at.file.value);
        let which = at.which();
        let key = format!("{}\u{0}{:?}", at.file.value, which);
        if let Some(cached) = self.tables.get(&key) {
            return cached.clone().map(|t| (name, t));
        }
        let table = match self.folder.read_bytes(&at.file.value, csv::MAX_CSV_BYTES) {
            Ok(bytes) => match Format::of(&bytes) {
                Format::Workbook => {
                    self.unused_settings(Format::Workbook, &name, &at);
                    self.workbook(&name, bytes, &at, &which)
                }
                Format::Csv => {
                    self.unused_settings(Format::Csv, &name, &at);
                    self.csv_text(&name, &bytes, &at)
                }
            },
            // A problem inside the file names the file; one with the path
            // points at the record.
            Err(d) if d.file.is_some() => {
                self.error(d);
                None
            }
            Err(d) => {
                self.error_at(at.file, d);
                None
            }
        };
        self.tables.insert(key, table.clone());
        table.map(|t| (name, t))
    }

    /// Warns of the record's settings for the table at `at` that its
    /// format has no use for: a workbook's `encoding`, a CSV file's `sheet`
    /// and `header_row`.
    pub(crate) fn unused_settings(&mut self, format: Format, name: &str, at: &TableRef) {
        match format {
            Format::Workbook => {
                if let Some(e) = at.encoding {
                    let d = Diagnostic::warning(
                        Code::Spreadsheet,
                        format!("`{name}` is a workbook, whose cells say their own encoding"),
                    )
                    .hint("remove `encoding:`; it names the encoding of a CSV file");
                    self.error_at(e, d);
                }
            }
            Format::Csv => {
                if let Some(s) = at.sheet {
                    let d = Diagnostic::warning(
                        Code::Spreadsheet,
                        format!("`{name}` is a CSV file, which has no sheets"),
                    )
                    .hint("remove `sheet:`; it names a sheet of an .xlsx, .xls or .ods workbook");
                    self.error_at(s, d);
                }
                if let Some(h) = at.header_row {
                    let d = Diagnostic::warning(
                        Code::Spreadsheet,
                        format!("`header_row` is for workbooks; `{name}` is a CSV file, whose header is its first line"),
                    )
                    .hint("remove `header_row:`, or delete the lines above the header from the file");
                    self.error_at(h, d);
                }
            }
        }
    }

    /// The table of the sheet `which` of the workbook `bytes` (the file
    /// `name`).
    fn workbook(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        at: &TableRef,
        which: &workbook::Which,
    ) -> Option<Table> {
        match workbook::read(bytes, which) {
            Ok((table, _)) => {
                for row in &table.rows {
                    for cell in row {
                        self.glyphs.check(name, "", cell, 0, 0);
                    }
                }
                Some(table)
            }
            Err(problems) => {
                for mut d in problems {
                    // A sheet the workbook lacks is the record's mistake.
                    match at.sheet {
                        Some(s) if d.code == Code::MissingSheet => {
                            d.message = format!("`{name}`: {}", d.message);
                            self.error_at(s, d);
                        }
                        _ => self.error(d.in_file(name)),
                    }
                }
                None
            }
        }
    }

    /// The table of the CSV file `name` of `bytes`, decoded in its own
    /// encoding.
    fn csv_text(&mut self, name: &str, bytes: &[u8], at: &TableRef) -> Option<Table> {
        let named = match at.encoding {
            Some(e) => Some(self.encoding(e)?),
            None => None,
        };
        match crate::files::decode(bytes, named, self.options.encoding) {
            Ok((text, detected)) => {
                if let Some(w) = detected.warning(name) {
                    self.error(w);
                }
                self.parse_csv(name, text)
            }
            Err(d) => {
                self.error(d.in_file(name));
                None
            }
        }
    }

    /// The encoding the record names at `label`.
    fn encoding(&mut self, label: &Spanned<String>) -> Option<files::Encoding> {
        let found = files::Encoding::for_label(&label.value);
        if found.is_none() {
            let d = Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` is not an encoding the tool knows", label.value.trim()),
            )
            .hint("name it as browsers do: utf-8, windows-1252, iso-8859-15, utf-16, shift_jis, gb18030, ...");
            self.error_at(label, d);
        }
        found
    }

    /// `d`, in the file `name`, at the row of `table` that starts on
    /// `line`: that line of a CSV file; a workbook's message names its
    /// sheet and cell itself (see [`Table::place`]).
    pub(crate) fn at_row(
        &self,
        d: Diagnostic,
        name: &str,
        table: &Table,
        line: usize,
    ) -> Diagnostic {
        let d = d.in_file(name);
        match &table.origin {
            Some(_) => d,
            None => d.at(Span::line_of(self.out.sources.get(name).unwrap_or(""), line)),
        }
    }

    /// Parses the CSV text of the file `name`.
    fn parse_csv(&mut self, name: &str, text: String) -> Option<Table> {
        // Line breaks of old Macs (CR alone) as everyone else's: one byte
        // for one, so that places in the file stay the same.
        let text = if text.contains('\r') && !text.contains('\n') {
            text.replace('\r', "\n")
        } else {
            text
        };
        self.out.sources.insert(name, text.as_str());
        self.glyphs.check(name, &text, &text, 0, text.len());
        let parsed = text::check_text(&text)
            .map_err(|d| vec![d])
            .and_then(|()| Table::parse(&text, self.options.delimiter));
        match parsed {
            Ok(table) => Some(table),
            Err(problems) => {
                for d in problems {
                    self.error(d.in_file(name));
                }
                None
            }
        }
    }

    /// The index of the column of `table` (read from `file`) that `wanted`
    /// names, reporting it if there is none.
    pub(crate) fn column(
        &mut self,
        file: &str,
        table: &Table,
        wanted: &Spanned<String>,
    ) -> Option<usize> {
        let found = table.column(&wanted.value);
        if found.is_none() {
            self.error_at(
                wanted,
                Diagnostic::error(
                    Code::UnknownColumn,
                    format!("`{file}` has no column `{}`", wanted.value.trim()),
                )
                .hint(format!("its columns are: {}", table.headers.join(", "))),
            );
        }
        found
    }
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

/// What each part of a report costs to lay out, in the units of
/// [`MAX_VOLUME`]: a unit per cell, entry or option, and a unit more per
/// 100 characters of its text.
pub(crate) mod volume {
    use crate::input::checks::text::layout_units;
    use crate::model::survey::Survey;
    use crate::model::{Agenda, Block, Chapter, ContactGroup, ParticipantList, Person};

    /// The characters of a cell or entry that cost a unit more: a table
    /// lays out each cell more than once (measuring its column, then
    /// placing it), and keeps each layout, so that its text costs about
    /// half a kilobyte a character against 18 KB for the cell itself.
    const CELL_CHARS: usize = 25;

    /// A cell's or entry's units: one, and one per [`CELL_CHARS`]
    /// characters (and more for a paragraph of thousands, see
    /// [`layout_units`]).
    pub fn text(s: &str) -> usize {
        let chars = s.chars().count();
        1 + chars / CELL_CHARS + layout_units(chars) - chars / 100
    }

    fn blocks(blocks: &[Block]) -> usize {
        blocks.iter().map(Block::volume).sum()
    }

    pub fn chapter(c: &Chapter) -> usize {
        let presentations: usize = c
            .presentations
            .iter()
            .map(|p| {
                1 + blocks(&p.body) + p.parts.iter().map(|part| blocks(&part.body)).sum::<usize>()
            })
            .sum();
        1 + blocks(&c.body) + presentations + c.sections.iter().map(chapter).sum::<usize>()
    }

    /// A named group's heading row, repeated (marked as continued) on
    /// every page its rows run onto, costs as much as ten cells: thousands
    /// of groups of one participant each lay out in time growing faster
    /// than their number.
    const GROUP: usize = 10;

    pub fn participants(lists: &[ParticipantList]) -> usize {
        let groups = lists.iter().flat_map(|l| &l.groups);
        groups
            .map(|g| {
                let heading = if g.name.is_some() { GROUP } else { 1 };
                heading + g.rows.iter().flatten().map(|c| text(c)).sum::<usize>()
            })
            .sum()
    }

    fn person(p: &Person) -> usize {
        [Some(&p.name), p.role.as_ref(), p.organisation.as_ref(), p.duration.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| text(s))
            .sum()
    }

    pub fn agenda(a: &Agenda) -> usize {
        let session = |s: &crate::model::Session| {
            1 + s.times.iter().map(|t| text(t)).sum::<usize>()
                + text(&s.title)
                + s.topics.iter().map(|t| text(t)).sum::<usize>()
                + s.speakers.iter().map(person).sum::<usize>()
                + s.moderator.as_ref().map_or(0, person)
        };
        a.days.iter().map(|d| 10 + d.sessions.iter().map(session).sum::<usize>()).sum()
    }

    pub fn contacts(groups: &[ContactGroup]) -> usize {
        let person = |p: &crate::model::Contact| {
            text(&p.name)
                + [&p.title, &p.unit, &p.email]
                    .into_iter()
                    .flatten()
                    .map(|s| text(s))
                    .sum::<usize>()
        };
        groups
            .iter()
            .map(|g| text(&g.organisation) + g.people.iter().map(person).sum::<usize>())
            .sum()
    }

    pub fn survey(s: &Survey) -> usize {
        s.questions
            .iter()
            .map(|q| {
                text(&q.title)
                    + q.options.iter().map(|o| text(&o.label)).sum::<usize>()
                    + q.responses.iter().map(|r| text(r)).sum::<usize>()
            })
            .sum()
    }
}
