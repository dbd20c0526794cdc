//! Stage 3, render: the checked workshop to Typst source, through minijinja
//! templates.
//!
//! The templates in `templates/` are embedded in the binary; a folder given
//! with `--templates` overrides any of them by file name. Templates whose
//! name ends in `.typ.j2` are auto-escaped for Typst markup: every value
//! printed with `{{ ... }}` prints as typed (see [`escape`]). Filters:
//! - `markdown`: Markdown text to Typst markup;
//! - `str`: a Typst string literal, for values used in code;
//! - `asset`: the path under which the typesetter serves an input image.

pub mod attach;
pub mod escape;
pub mod markdown;

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior, Value};
use serde::Serialize;

use crate::diag::{Code, Diagnostic, Outcome, Sources, Span};
use crate::model::Workshop;

/// The template every report starts from.
pub const ENTRY: &str = "report.typ.j2";

/// The built-in templates, by name: every `.j2` file of `templates/`,
/// embedded by the build (see `build.rs`).
pub const TEMPLATES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Renders workshops to Typst source. Build one and reuse it.
pub struct Renderer {
    env: Environment<'static>,
    /// The same templates with each line marked with its name and number,
    /// rendered only to find which template line produced a line of source.
    marked: Environment<'static>,
    overrides: Option<PathBuf>,
}

impl Renderer {
    /// A renderer using the built-in templates, each overridden by a file of
    /// the same name in `overrides` if there is one.
    pub fn new(overrides: Option<&Path>) -> Renderer {
        let dir = overrides.map(Path::to_path_buf);
        let loader_dir = dir.clone();
        let mut env = environment();
        env.set_loader(move |name| load_template(loader_dir.as_deref(), name));
        let loader_dir = dir.clone();
        let mut marked = environment();
        marked.set_loader(move |name| {
            Ok(load_template(loader_dir.as_deref(), name)?.map(|text| mark_lines(name, &text)))
        });
        Renderer { env, marked, overrides: dir }
    }

    /// The source rendered for `workshop` with each line marked with the
    /// template line that wrote it, to find where problems of the source
    /// come from (see [`Marks::locate`]).
    pub fn marks(&self, workshop: &Workshop) -> Option<Marks<'_>> {
        let context = Context::new(workshop);
        let marked =
            self.marked.get_template(ENTRY).ok()?.render(minijinja::value::Serde(&context)).ok()?;
        Some(Marks { renderer: self, marked })
    }
}

/// A rendering of a workshop's source with its lines marked.
pub struct Marks<'a> {
    renderer: &'a Renderer,
    marked: String,
}

impl Marks<'_> {
    /// The template line that produced line `line` (1-based) of the source:
    /// the template's name as diagnostics give it, its text, and the line.
    pub fn locate(&self, line: usize) -> Option<(String, String, usize)> {
        let (name, template_line) =
            self.marked.lines().skip(line.checked_sub(1)?).find_map(find_mark)?;
        let text = load_template(self.renderer.overrides.as_deref(), &name).ok()??;
        Some((self.renderer.display_name(&name), text, template_line))
    }
}

/// The marker `mark_lines` appends to each template line.
const MARK: &str = " // @@template:";

/// `text` with each line that can carry it marked with `name:line`. A mark
/// is a Typst comment at the end of the line, so the marked templates render
/// to exactly as many lines as the real ones. Lines that end in a tag
/// trimming the whitespace after it, or open a tag they do not close, stay
/// unmarked.
fn mark_lines(name: &str, text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let opens =
            body.matches("{{").count() + body.matches("{%").count() + body.matches("{#").count();
        let closes =
            body.matches("}}").count() + body.matches("%}").count() + body.matches("#}").count();
        let trims = body.trim_end().ends_with("-%}")
            || body.trim_end().ends_with("-}}")
            || body.trim_end().ends_with("-#}");
        out.push_str(body);
        if opens == closes && !trims && !newline.is_empty() {
            out.push_str(&format!("{MARK}{name}:{}", i + 1));
        }
        out.push_str(newline);
    }
    out
}

/// The template and line a marked line names.
fn find_mark(line: &str) -> Option<(String, usize)> {
    let at = line.rfind(MARK)?;
    let (name, number) = line[at + MARK.len()..].rsplit_once(':')?;
    Some((name.to_owned(), number.trim().parse().ok()?))
}

/// An environment with the settings and filters every template sees.
fn environment() -> Environment<'static> {
    {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".typ.j2") {
                AutoEscape::Custom("typst".into())
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(format_value);
        env.add_filter("markdown", |state: &mut minijinja::State, text: &str| {
            // Footnote labels are numbered through the whole report.
            let mut footnotes =
                state.get_temp("footnotes").and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
            let markup = markdown::to_typst_numbered(text, &mut footnotes);
            state.set_temp("footnotes", Value::from(footnotes));
            Value::from_safe_string(markup)
        });
        env.add_filter("str", |value: Value| {
            Value::from_safe_string(escape::string(&value.to_string()))
        });
        env.add_test("tall", tall);
        // Numbers the templates print themselves (a question's or a
        // recommendation's number) in the language's digits.
        env.add_filter("digits", |state: &minijinja::State, value: Value| {
            let digits: Vec<char> = language(state, "digits")
                .and_then(|d| d.as_str().map(|d| d.chars().collect()))
                .unwrap_or_default();
            let text = value.to_string();
            if digits.len() != 10 {
                return text;
            }
            text.chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) if c.is_ascii_digit() => digits[d as usize],
                    _ => c,
                })
                .collect()
        });
        // A heading holding text of the other direction (an Arabic name in
        // an English report) is isolated, so that its entry in the contents
        // keeps its order against the leader and the page number
        // (typst#6258).
        env.add_filter("isolate", |state: &minijinja::State, value: Value| {
            let rtl = language(state, "direction").is_some_and(|d| d.as_str() == Some("rtl"));
            let text = value.to_string();
            let escaped = escape::markup(&text);
            if text.chars().any(|c| escape::strong_direction(c) == Some(!rtl)) {
                // An isolate in the report's direction (RLI or LRI).
                let isolate = if rtl { "2067" } else { "2066" };
                Value::from_safe_string(format!("\\u{{{isolate}}}{escaped}\\u{{2069}}"))
            } else {
                Value::from_safe_string(escaped)
            }
        });
        env.add_filter("asset", |path: &str| {
            Value::from_safe_string(escape::string(&format!(
                "{}/{path}",
                crate::contract::ASSET_ROOT
            )))
        });
        env
    }
}

/// The attribute `name` of the report's language (`workshop.language`),
/// as a template sees it.
fn language(state: &minijinja::State, name: &str) -> Option<Value> {
    state.lookup("workshop")?.get_attr("language").ok()?.get_attr(name).ok()
}

impl Renderer {
    /// The Typst source of `workshop`'s report.
    pub fn render(&self, workshop: &Workshop) -> Outcome<String> {
        let context = Context::new(workshop);
        let rendered =
            self.env.get_template(ENTRY).and_then(|t| t.render(minijinja::value::Serde(&context)));
        match rendered {
            Ok(source) => Outcome::ok(source, Vec::new(), Sources::default()),
            Err(e) => {
                let (diagnostic, sources) = self.error(&e);
                Outcome::failed(vec![diagnostic], sources)
            }
        }
    }

    /// Every template in use, by name: the built-in ones with their
    /// overrides applied, and any other file of the override folder.
    pub fn templates(&self) -> Vec<(String, String)> {
        let mut names: Vec<String> = TEMPLATES.iter().map(|(n, _)| (*n).to_owned()).collect();
        if let Some(dir) = &self.overrides
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names.sort();
        names
            .into_iter()
            .filter_map(|n| {
                let text = load_template(self.overrides.as_deref(), &n).ok()??;
                Some((n, text))
            })
            .collect()
    }

    /// The name a diagnostic gives template `name`: the override file if
    /// there is one, else the built-in.
    fn display_name(&self, name: &str) -> String {
        match &self.overrides {
            Some(dir) if dir.join(name).is_file() => dir.join(name).to_string_lossy().into_owned(),
            _ => format!("<built-in>/{name}"),
        }
    }

    fn error(&self, error: &minijinja::Error) -> (Diagnostic, Sources) {
        let mut sources = Sources::default();
        // The innermost error names the template and line where it happened.
        let mut inner = error;
        while let Some(next) =
            std::error::Error::source(inner).and_then(|s| s.downcast_ref::<minijinja::Error>())
        {
            inner = next;
        }
        let message = match inner.detail() {
            Some(detail) => format!("{}: {detail}", inner.kind()),
            None => inner.kind().to_string(),
        };
        let mut diagnostic = Diagnostic::error(Code::Template, message);
        if let Some(name) = inner.name() {
            let file = self.display_name(name);
            if let Ok(Some(text)) = load_template(self.overrides.as_deref(), name) {
                let span = match (inner.range(), inner.line()) {
                    (Some(range), _) => Span::from_offset(&text, range.start, range.len()),
                    (None, Some(line)) => Span::line_of(&text, line),
                    _ => Span::line_of(&text, 1),
                };
                diagnostic = diagnostic.at(span);
                sources.insert(&file, text);
            }
            diagnostic = diagnostic.in_file(file);
        }
        let hint = match inner.kind() {
            ErrorKind::UndefinedError => {
                "the template uses a field the workshop data does not have; see docs/templates.md"
            }
            ErrorKind::TemplateNotFound => "built-in templates are named in docs/templates.md",
            _ => "see docs/templates.md for the data and filters templates can use",
        };
        (diagnostic.hint(hint), sources)
    }
}

/// The largest template read from an override folder.
const MAX_TEMPLATE_BYTES: u64 = 1 << 20;

/// The text of template `name`: the override in `dir` if there is one
/// (read under the rules of every file the tool reads), else the built-in.
fn load_template(dir: Option<&Path>, name: &str) -> Result<Option<String>, minijinja::Error> {
    if let Some(dir) = dir {
        let folder = crate::files::Folder::of(dir, "template folder");
        if folder.has(name) {
            return folder.read_text(name, MAX_TEMPLATE_BYTES).map(Some).map_err(|d| {
                minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read template {}: {}", dir.join(name).display(), d.message),
                )
            });
        }
    }
    Ok(TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, text)| (*text).to_owned()))
}

/// The most lines (estimated) a thing the templates keep whole on a page
/// may take: a table row, an agenda session, a survey question, a chart.
/// Anything taller may break across pages, so that nothing runs off the
/// bottom of one.
const TALL: usize = 30;

/// The `tall` test: whether `value` (a row of cells, a session, a
/// question, a chart, any data) would take more than [`TALL`] lines if
/// its texts were stacked in a narrow column.
fn tall(value: &Value) -> bool {
    lines(value, 0) > TALL
}

/// The lines `value` takes, estimated: 35 characters a line, a line for
/// each line break and each item of a list; stops counting past [`TALL`].
fn lines(value: &Value, depth: usize) -> usize {
    if depth > 8 {
        return 0;
    }
    if let Some(text) = value.as_str() {
        // Each line of the text on lines of its own (an answer of short
        // lines is as tall as its lines, whatever its length).
        let mut total = 0;
        for line in text.split_terminator('\n') {
            total += line.chars().count().div_ceil(35).max(1);
            if total > TALL {
                break;
            }
        }
        return total;
    }
    let mut total = 0;
    if let Ok(items) = value.try_iter() {
        let keyed = value.kind() == minijinja::value::ValueKind::Map;
        for item in items {
            let item = if keyed { value.get_item(&item).unwrap_or_default() } else { item };
            total += lines(&item, depth + 1).max(usize::from(!keyed));
            if total > TALL {
                break;
            }
        }
    }
    total
}

/// Prints values into templates: escaped for Typst markup unless marked
/// safe (converted Markdown, `str` literals).
fn format_value(
    out: &mut minijinja::Output,
    state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    if !matches!(state.auto_escape(), AutoEscape::Custom(name) if name == "typst") {
        return minijinja::escape_formatter(out, state, value);
    }
    if value.is_safe() {
        return out.write_str(&value.to_string()).map_err(Into::into);
    }
    if let Some(text) = value.as_str()
        && let Some(c) = text.chars().find(|&c| crate::diag::unprintable(c))
    {
        // Only a YAML escape ("\x07") gets one this far; files holding
        // such characters are refused when read.
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "the value {text:?} holds U+{:04X}, a control character that cannot print as typed; remove it from the inputs",
                c as u32
            ),
        ));
    }
    if value.is_none() || value.is_undefined() {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "printed a value that is not set; test it with `{% if ... %}` first",
        ));
    }
    // Numbers are data the tool computed or checked, and cannot hold
    // markup; they print as Typst reads them (Rust never writes floats with
    // an exponent).
    if value.kind() == minijinja::value::ValueKind::Number {
        let text = value.to_string();
        if text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
            return out.write_str(&text).map_err(Into::into);
        }
    }
    out.write_str(&escape::markup(&value.to_string())).map_err(Into::into)
}

/// What templates see: the workshop, and figures derived from it, ready to
/// print.
#[derive(Serialize)]
struct Context<'a> {
    workshop: &'a Workshop,
    report: Derived,
    tool: Tool,
}

#[derive(Serialize)]
struct Derived {
    /// The workshop dates as printed: "15–16 March 2022".
    dates: String,
    /// The document date as printed: "16 March 2022".
    published: String,
    /// The fonts after the branding's, for the scripts it lacks, in the
    /// order the language prefers them.
    fallback_fonts: Vec<&'static str>,
    /// Whether Latin text in the report's script is set in the branding's
    /// font alone (CJK reports: their own punctuation and spacing).
    cjk: bool,
    /// Whether the report's script has italics (Latin, Cyrillic, Greek).
    italic: bool,
    /// The numbering pattern of pages and captions in the language's
    /// digits: "1", or "١".
    numbering: String,
    /// The side text starts on: "left", or "right" in a right-to-left
    /// report.
    start: &'static str,
    /// The document date as numbers, for Typst's `datetime`.
    published_year: i16,
    published_month: i8,
    published_day: i8,
    /// The organisers' names, for the PDF's author field.
    authors: Vec<String>,
    /// The organisers as the PDF's author field: one string, each
    /// organiser separated by `; `, since PDF readers split a list of
    /// authors at commas and an organiser's name may hold one.
    author: String,
    /// Whether the report has any annex.
    has_annexes: bool,
    /// The title in the running header: on one line, and shortened to its
    /// first words (with "…") if long.
    header_title: String,
    /// The height of the organisers' logos on the cover, in centimetres:
    /// 1.6, or less where the row of logos would be wider than the page.
    logo_height: f64,
}

/// `title` on one line, cut after its last word within 100 characters
/// (with "…") if longer than [`crate::model::HEADER_TITLE`].
fn header_title(title: &str) -> String {
    let line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= crate::model::HEADER_TITLE {
        return line;
    }
    let cut: String = line.chars().take(100).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > 40 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '-', ' ']))
}

/// The height at which the organisers' logos fit side by side across the
/// cover's 16.4 cm (1.2 cm between two): 1.6 cm if they can.
fn logo_height(workshop: &Workshop) -> f64 {
    let logos: Vec<f64> =
        workshop.organisers.iter().filter_map(|o| o.logo.as_ref()).map(|l| l.aspect).collect();
    let widths: f64 = logos.iter().map(|aspect| 1.0 / aspect.max(0.01)).sum();
    let room = 16.4 - 1.2 * logos.len().saturating_sub(1) as f64;
    let height = if widths > 0.0 { (room / widths).min(1.6) } else { 1.6 };
    (height.max(0.2) * 100.0).floor() / 100.0
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

impl<'a> Context<'a> {
    fn new(workshop: &'a Workshop) -> Self {
        let published = workshop.published;
        Context {
            workshop,
            report: Derived {
                dates: workshop.dates_text.clone(),
                published: workshop.published_text.clone(),
                fallback_fonts: crate::fonts::fallbacks(
                    &workshop.language.script,
                    workshop.language.region.as_deref(),
                ),
                cjk: crate::fonts::is_cjk(&workshop.language.script),
                italic: matches!(workshop.language.script.as_str(), "Latn" | "Cyrl" | "Grek"),
                numbering: numbering(&workshop.language.digits),
                start: match workshop.language.direction {
                    crate::language::Direction::Rtl => "right",
                    crate::language::Direction::Ltr => "left",
                },
                published_year: published.year(),
                published_month: published.month(),
                published_day: published.day(),
                authors: workshop.organisers.iter().map(|o| o.name.clone()).collect(),
                author: workshop
                    .organisers
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                has_annexes: !workshop.annexes.is_empty(),
                header_title: header_title(&workshop.title),
                logo_height: logo_height(workshop),
            },
            tool: Tool { name: env!("CARGO_PKG_NAME"), version: env!("CARGO_PKG_VERSION") },
        }
    }
}

/// The numbering pattern of pages and captions: the language's digit
/// one where the typesetter counts in its digits (Latin, Arabic-Indic,
/// Persian, Devanagari, Tibetan, Bengali), else Latin digits (for Chinese
/// decimal or full-width digits, where the typesetter would count in
/// other numerals or not at all).
fn numbering(digits: &str) -> String {
    match digits.chars().nth(1) {
        Some(one @ ('١' | '۱' | '१' | '༡' | '১')) => one.to_string(),
        _ => "1".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::TEMPLATES;
    use crate::kinds::{AnnexKind, BlockKind};

    #[test]
    fn every_kind_has_its_template() {
        let templates: Vec<String> = AnnexKind::ALL
            .iter()
            .map(|k| k.template())
            .chain(BlockKind::ALL.iter().map(|k| k.template()))
            .collect();
        for name in templates {
            assert!(TEMPLATES.iter().any(|(n, _)| *n == name), "no built-in template {name}");
        }
    }
}
