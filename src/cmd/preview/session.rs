//! What the browser shows of each build: the pages (SVG, with their text),
//! the pages that changed since the last build, the diagnostics as the
//! terminal shows them, the survey's tallies and the build's facts.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use codespan_reporting::term::termcolor::NoColor;
use serde::Serialize;
use typst_layout::{Page, PagedDocument};
use workshop_report::diag::{self, Code, Diagnostic, Outcome, Severity, Sources};
use workshop_report::diff::pages::{self, PageChange};
use workshop_report::language::Direction;
use workshop_report::{Pipeline, contract};

use crate::cmd::tally;

/// The last good build of one workshop, kept to tell which pages the next
/// one changes.
#[derive(Default)]
pub struct Session {
    document: Option<PagedDocument>,
    pages: Vec<PageView>,
    build: u64,
    /// The report's title and language, and its survey's tallies, from
    /// the last time it was read.
    about: Option<About>,
    tallies: Option<String>,
}

/// One page: its picture and its text.
#[derive(Clone)]
pub struct PageView {
    /// A digest of its picture, which names it in URLs.
    pub id: String,
    /// The page's picture: SVG, or PNG where SVG would not show it as
    /// printed.
    pub picture: Arc<[u8]>,
    /// `svg` or `png`.
    pub format: &'static str,
    width: f64,
    height: f64,
    text: Arc<str>,
}

#[derive(Clone, Serialize)]
struct About {
    title: String,
    language: String,
    direction: &'static str,
}

/// What a build gives the browser (the JSON of the `/state` route and of
/// each event; docs/preview.md).
#[derive(Serialize)]
pub struct Update {
    /// Counts builds from 1.
    pub build: u64,
    /// The workshop's id (its folder's name) and its place among those
    /// offered.
    pub workshop: String,
    pub current: usize,
    /// Whether this build succeeded; when not, the pages are the last good
    /// ones.
    pub ok: bool,
    pub milliseconds: u128,
    #[serde(flatten)]
    about: Option<About>,
    pub pages: Vec<PageMeta>,
    /// The pages this build changed (none for the first build of a
    /// workshop, and when it failed).
    pub changed: Vec<PageChange>,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<DiagnosticView>,
    /// The survey's figures as `workshop-report tally` prints them (as
    /// last read).
    tallies: Option<String>,
    /// The digest of everything the report is made from (the manifest's
    /// `inputs`).
    inputs: Option<String>,
}

/// A page, without its picture (fetched from `/pages/<id>.svg`).
#[derive(Serialize)]
pub struct PageMeta {
    id: String,
    /// `svg` or `png`: the picture is `/pages/<id>.<format>`.
    format: &'static str,
    /// In points.
    width: f64,
    height: f64,
    /// The page's text, its text alternative.
    text: String,
}

#[derive(Serialize)]
struct DiagnosticView {
    severity: &'static str,
    code: &'static str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    hint: Option<String>,
    /// `file:line:column`, to copy.
    location: Option<String>,
    /// The diagnostic exactly as the terminal prints it (without colour).
    rendered: String,
}

impl Session {
    /// Forgets the workshop shown (another is to be shown); builds go on
    /// counting.
    pub fn reset(&mut self) {
        *self = Session { build: self.build, ..Session::default() };
    }

    /// The pages of the last good build.
    pub fn pages(&self) -> &[PageView] {
        &self.pages
    }

    /// Builds the workshop in `dir` again. Returns what the browser is to
    /// show, and the diagnostics for the terminal.
    pub fn rebuild(
        &mut self,
        pipeline: &Pipeline,
        dir: &Path,
        current: usize,
    ) -> (Update, Outcome<()>) {
        let started = Instant::now();
        self.build += 1;
        let built =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.compile(pipeline, dir)));
        let (changed, inputs, outcome) = built.unwrap_or_else(|_| {
            let crashed = Diagnostic::error(Code::Crashed, "the report could not be built")
                .hint("this is a bug in workshop-report; please report it with the workshop");
            (Vec::new(), None, Outcome::failed(vec![crashed], Sources::default()))
        });
        let diagnostics: Vec<DiagnosticView> =
            outcome.diagnostics.iter().map(|d| DiagnosticView::of(d, &outcome.sources)).collect();
        let update = Update {
            build: self.build,
            workshop: workshop_report::input::workshop_id(dir),
            current,
            ok: outcome.value.is_some(),
            milliseconds: started.elapsed().as_millis(),
            about: self.about.clone(),
            pages: self.pages.iter().map(PageView::meta).collect(),
            changed,
            errors: outcome.diagnostics.iter().filter(|d| d.is_error()).count(),
            warnings: outcome.diagnostics.iter().filter(|d| !d.is_error()).count(),
            diagnostics,
            tallies: self.tallies.clone(),
            inputs,
        };
        (update, outcome)
    }

    /// Reads, checks and lays out the workshop; on success, keeps its
    /// pages, making only those that changed again.
    fn compile(
        &mut self,
        pipeline: &Pipeline,
        dir: &Path,
    ) -> (Vec<PageChange>, Option<String>, Outcome<()>) {
        let loaded = pipeline.load(dir);
        let mut inputs = None;
        if let Some(read) = &loaded.value {
            inputs = Some(pipeline.fingerprint(read));
            self.tallies = tally::as_text(&read.workshop);
            let workshop = &read.workshop;
            self.about = Some(About {
                title: workshop.title.clone(),
                language: workshop.language.tag.clone(),
                direction: match workshop.language.direction {
                    Direction::Ltr => "ltr",
                    Direction::Rtl => "rtl",
                },
            });
        }
        let compiled = loaded.then(|read| pipeline.compile(read));
        let Outcome { value, diagnostics, sources } = compiled;
        let Some(compiled) = value else {
            return (Vec::new(), inputs, Outcome::failed(diagnostics, sources));
        };
        let document = compiled.typeset.document;
        let changed = match &self.document {
            Some(old) => pages::compare(old, &document),
            None => Vec::new(),
        };
        let same = match &self.document {
            Some(_) => pages::unchanged(&changed, document.pages().len()),
            None => vec![None; document.pages().len()],
        };
        self.pages = views(document.pages(), &same, &self.pages);
        self.document = Some(document);
        (changed, inputs, Outcome::ok((), diagnostics, sources))
    }
}

/// The views of `pages`: those unchanged taken from `old`, the others made
/// on all cores.
fn views(pages: &[Page], same: &[Option<usize>], old: &[PageView]) -> Vec<PageView> {
    let kept = |i: usize| same.get(i).copied().flatten().and_then(|o| old.get(o)).cloned();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let todo: Vec<usize> = (0..pages.len()).filter(|&i| kept(i).is_none()).collect();
    let chunk = todo.len().div_ceil(threads).max(1);
    let made: Vec<(usize, PageView)> = std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk.iter().map(|&i| (i, PageView::of(&pages[i]))).collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut made = made.into_iter().peekable();
    (0..pages.len())
        .map(|i| match kept(i) {
            Some(view) => view,
            None => match made.next_if(|(j, _)| *j == i) {
                Some((_, view)) => view,
                None => PageView::of(&pages[i]),
            },
        })
        .collect()
}

impl PageView {
    fn of(page: &Page) -> PageView {
        let (picture, format) = match pixels_only(&page.frame) {
            false => (typst_svg::svg(page, &typst_svg::SvgOptions::default()).into_bytes(), "svg"),
            true => {
                let options = typst_render::RenderOptions {
                    pixel_per_pt: typst::utils::Scalar::new(PNG_SCALE),
                    render_bleed: false,
                };
                let png = typst_render::render(page, &options).encode_png().unwrap_or_default();
                (png, "png")
            }
        };
        let size = page.frame.size();
        PageView {
            id: contract::hex(&typst::utils::hash128(&picture).to_be_bytes()),
            picture: Arc::from(picture),
            format,
            width: size.x.to_pt(),
            height: size.y.to_pt(),
            text: Arc::from(pages::text(page)),
        }
    }

    fn meta(&self) -> PageMeta {
        PageMeta {
            id: self.id.clone(),
            format: self.format,
            width: self.width,
            height: self.height,
            text: self.text.to_string(),
        }
    }
}

/// Pixels per point of a page shown as PNG: 192 dpi, sharp when zoomed in.
const PNG_SCALE: f64 = 2.667;

/// Whether a page holds what its SVG would not show as printed: an SVG
/// picture with text, which a browser would draw with its own fonts
/// instead of the report's.
fn pixels_only(frame: &typst::layout::Frame) -> bool {
    use typst::layout::FrameItem;
    use typst::visualize::ImageKind;
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(group) => pixels_only(&group.frame),
        FrameItem::Image(image, ..) => match image.kind() {
            ImageKind::Svg(svg) => svg.data().windows(5).any(|w| w == b"<text"),
            ImageKind::Raster(_) => false,
            ImageKind::Pdf(_) => true,
        },
        _ => false,
    })
}

impl DiagnosticView {
    fn of(d: &Diagnostic, sources: &Sources) -> DiagnosticView {
        let mut rendered = NoColor::new(Vec::new());
        let _ = diag::emit(&mut rendered, sources, std::slice::from_ref(d));
        let span = d.span.as_ref();
        DiagnosticView {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            code: d.code.as_str(),
            message: d.message.clone(),
            file: d.file.clone(),
            line: span.map(|s| s.line),
            column: span.map(|s| s.column),
            hint: d.hint.clone(),
            location: d.file.as_ref().map(|f| match span {
                Some(s) => format!("{f}:{}:{}", s.line, s.column),
                None => f.clone(),
            }),
            rendered: String::from_utf8_lossy(&rendered.into_inner()).into_owned(),
        }
    }
}
