//! `workshop-report verify`: whether a PDF was built from the files it
//! carries (`build --attach-sources`), or from a folder.
//!
//! The PDF is hostile input: it is read in a worker process under the
//! memory and time limits of every workshop, its files bounded and their
//! names checked (`input::carried`), and only ever written into a new
//! folder. Nothing in it runs: its files are built as any workshop is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};
use workshop_report::diag::{Code, Diagnostic, Sources, visible_line};
use workshop_report::input::carried::{self, Carried};
use workshop_report::model::attachments::Manifest;
use workshop_report::{Pipeline, Settings, contract, input};

use super::{Reporter, worker};
use crate::cli::VerifyArgs;

/// The verdict, and the exit status it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Verdict {
    Verified,
    Differs,
    Unverifiable,
}

/// What verifying gave: the verdict and the lines saying why.
#[derive(Serialize, Deserialize)]
struct Done {
    verdict: Verdict,
    lines: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Done {
    fn unverifiable(d: Diagnostic) -> Done {
        Done { verdict: Verdict::Unverifiable, lines: Vec::new(), diagnostics: vec![d] }
    }
}

/// The PDF to verify, and what with.
#[derive(Serialize, Deserialize)]
struct Task {
    #[serde(with = "super::worker::path")]
    pdf: PathBuf,
    folder: Option<String>,
    extract: Option<String>,
    /// Where to extract without `--extract`: a temporary folder the parent
    /// owns and removes, even when a worker is stopped.
    scratch: String,
}

pub fn run(args: &VerifyArgs, reporter: &Reporter) -> ExitCode {
    let scratch = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            reporter.fail(Diagnostic::error(
                Code::TemporaryFolder,
                format!("cannot make a temporary folder: {e}"),
            ));
            return ExitCode::from(2);
        }
    };
    let task = Task {
        pdf: args.pdf.clone(),
        folder: args.folder.as_ref().map(|f| f.to_string_lossy().into_owned()),
        extract: args.extract.as_ref().map(|f| f.to_string_lossy().into_owned()),
        scratch: scratch.path().join("files").to_string_lossy().into_owned(),
    };
    let done = worker::run(
        std::slice::from_ref(&task),
        1,
        args.isolation.limits(),
        |task, _| verify(task),
        |task, done| {
            done.unwrap_or_else(|failed| {
                Done::unverifiable(failed.diagnostic(&task.pdf.display().to_string(), None))
            })
        },
    );
    let Some(done) = done.into_iter().next() else { return ExitCode::from(2) };
    reporter.emit(&Sources::default(), &done.diagnostics);
    let head = match done.verdict {
        Verdict::Verified => "verified",
        Verdict::Differs => "differs",
        Verdict::Unverifiable => "could not verify",
    };
    // Lines quote the PDF's manifest: each is shown on one line, whatever
    // it holds, so that nothing it says can pass for a verdict.
    let mut text = format!("{head}: {}\n", visible_line(&args.pdf.display().to_string()));
    for line in &done.lines {
        text.push_str(&format!("  {}\n", visible_line(line)));
    }
    print!("{text}");
    ExitCode::from(match done.verdict {
        Verdict::Verified => 0,
        Verdict::Differs => 1,
        Verdict::Unverifiable => 2,
    })
}

/// The worker's side of `verify`.
pub fn serve(args: &VerifyArgs) -> ExitCode {
    worker::serve(args.isolation.limits(), |task: &Task, _| verify(task))
}

fn verify(task: &Task) -> Done {
    let pdf = match read_pdf(&task.pdf) {
        Ok(pdf) => pdf,
        Err(d) => return Done::unverifiable(d),
    };
    let sources = match carried::read(&pdf) {
        Ok(sources) => sources,
        Err(d) => return Done::unverifiable(d.in_file(task.pdf.display().to_string())),
    };
    let manifest = &sources.manifest;
    let mut lines = vec![format!(
        "built by workshop-report {} from {} files of `{}`",
        manifest.tool.build,
        manifest.files.len(),
        manifest.workshop
    )];
    let tampered = integrity(&sources.files, manifest);
    if !tampered.is_empty() {
        lines.extend(tampered);
        return Done { verdict: Verdict::Differs, lines, diagnostics: Vec::new() };
    }
    lines.push("every file it carries is the one its manifest lists".to_owned());
    let root = PathBuf::from(task.extract.as_deref().unwrap_or(&task.scratch));
    if let Err(d) = extract(&root, &sources.files, &sources.manifest_bytes) {
        return Done { verdict: Verdict::Unverifiable, lines, diagnostics: vec![d] };
    }
    if let Some(dir) = &task.extract {
        lines.push(format!("its files are in {dir}"));
    }
    // With a folder: what changed in it since, and the files the PDF lists
    // without carrying them, taken from it where they are the same.
    let mut folder_differs = false;
    if let Some(folder) = &task.folder {
        let compared = against_folder(Path::new(folder), manifest, &root);
        folder_differs = !compared.same;
        lines.extend(compared.lines);
    }
    let rebuilt = rebuild(&root, manifest, &pdf, lines);
    // A folder that changed since differs, whatever else is known.
    match folder_differs {
        true => Done { verdict: Verdict::Differs, ..rebuilt },
        false => rebuilt,
    }
}

/// The files the PDF at `path` carries, in a temporary folder (kept while
/// it lives), and the name of the workshop folder in it: for `diff`.
pub fn extract_pdf(path: &Path) -> Result<(tempfile::TempDir, String), Diagnostic> {
    let pdf = read_pdf(path)?;
    let sources = carried::read(&pdf).map_err(|d| d.in_file(path.display().to_string()))?;
    let tampered = integrity(&sources.files, &sources.manifest);
    if let Some(first) = tampered.first() {
        return Err(Diagnostic::error(Code::Unverifiable, format!("{}: {first}", path.display()))
            .hint("`workshop-report verify` says what else differs"));
    }
    let temporary = tempfile::tempdir().map_err(|e| {
        Diagnostic::error(Code::TemporaryFolder, format!("cannot make a temporary folder: {e}"))
    })?;
    extract(temporary.path(), &sources.files, &sources.manifest_bytes)?;
    Ok((temporary, sources.manifest.workshop))
}

/// The PDF's bytes, bounded.
fn read_pdf(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| {
        Diagnostic::error(Code::MissingFile, format!("cannot open {}: {e}", path.display()))
    })?;
    let mut bytes = Vec::new();
    file.take(carried::MAX_PDF + 1).read_to_end(&mut bytes).map_err(|e| {
        Diagnostic::error(Code::UnreadableFile, format!("cannot read {}: {e}", path.display()))
    })?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(Diagnostic::error(
            Code::Unverifiable,
            format!("{} is not a PDF", path.display()),
        ));
    }
    Ok(bytes)
}

/// What differs between the files a PDF carries and its manifest.
fn integrity(files: &[Carried], manifest: &Manifest) -> Vec<String> {
    let listed: BTreeMap<&str, _> = manifest.files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut problems = Vec::new();
    for file in files {
        if let Some(why) = &file.damaged {
            problems.push(format!(
                "`{}` cannot be read back ({why}): it was altered since it was built",
                file.name
            ));
            continue;
        }
        match listed.get(file.name.as_str()) {
            None => problems
                .push(format!("it carries `{}`, which its manifest does not list", file.name)),
            Some(l) if !l.attached => problems
                .push(format!("it carries `{}`, which its manifest says it does not", file.name)),
            Some(l) if l.sha256 != contract::sha256_hex(&file.bytes) => problems.push(format!(
                "`{}` is not the file its manifest lists: SHA-256 {} instead of {}",
                file.name,
                contract::sha256_hex(&file.bytes),
                l.sha256
            )),
            Some(_) => {}
        }
    }
    let carried: std::collections::HashSet<&str> = files.iter().map(|f| f.name.as_str()).collect();
    for l in manifest.files.iter().filter(|l| l.attached) {
        if !carried.contains(l.path.as_str()) {
            problems.push(format!("its manifest lists `{}`, which it does not carry", l.path));
        }
    }
    problems
}

/// Writes `files` (and the manifest) into `dir`, a new or empty folder.
fn extract(dir: &Path, files: &[Carried], manifest: &[u8]) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error, what: &Path| {
        Diagnostic::error(Code::Write, format!("cannot write {}: {e}", what.display()))
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e, dir))?;
    if std::fs::read_dir(dir).map_err(|e| fail(e, dir))?.next().is_some() {
        return Err(Diagnostic::error(Code::Write, format!("{} is not empty", dir.display()))
            .hint("name a new folder, or an empty one, to extract into"));
    }
    let manifest = Carried {
        name: "manifest.json".to_owned(),
        relationship: None,
        bytes: manifest.to_vec(),
        damaged: None,
    };
    for file in files.iter().chain(std::iter::once(&manifest)) {
        carried::check_name(&file.name)?;
        let path = dir.join(&file.name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fail(e, parent))?;
        }
        // A new file: never one already there, never through a link.
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| fail(e, &path))?;
        std::io::Write::write_all(&mut out, &file.bytes).map_err(|e| fail(e, &path))?;
    }
    Ok(())
}

/// Builds the extracted files again as the manifest says, and compares.
fn rebuild(root: &Path, manifest: &Manifest, pdf: &[u8], mut lines: Vec<String>) -> Done {
    let missing: Vec<&str> = manifest
        .files
        .iter()
        .filter(|f| !root.join(&f.path).is_file())
        .map(|f| f.path.as_str())
        .collect();
    if !missing.is_empty() {
        lines.push(format!(
            "it lists, without carrying them (they were over the attach limit), files no folder gave: {}",
            missing.join(", ")
        ));
        lines.push(
            "give the folder that holds them: `workshop-report verify REPORT.pdf FOLDER`"
                .to_owned(),
        );
        return Done { verdict: Verdict::Unverifiable, lines, diagnostics: Vec::new() };
    }
    if !root.join(&manifest.workshop).join(input::RECORD).is_file() {
        lines.push(format!(
            "it carries no `{}/{}`: no report is built from what it carries",
            manifest.workshop,
            input::RECORD
        ));
        return Done { verdict: Verdict::Unverifiable, lines, diagnostics: Vec::new() };
    }
    let settings = match settings(root, manifest) {
        Ok(settings) => settings,
        Err(d) => return Done { verdict: Verdict::Unverifiable, lines, diagnostics: vec![d] },
    };
    let pipeline = Pipeline::new(settings);
    let built = pipeline.load(&root.join(&manifest.workshop)).then(|read| pipeline.build(read));
    let same_tool = manifest.tool.build == env!("WORKSHOP_REPORT_BUILD");
    let Some(built) = built.value else {
        lines.push("its files do not build a report with this version of the tool:".to_owned());
        lines.extend(built.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.to_string()));
        let verdict = if same_tool { Verdict::Differs } else { Verdict::Unverifiable };
        return Done { verdict, lines, diagnostics: Vec::new() };
    };
    if built.pdf == pdf {
        lines.push("built again from them, byte for byte the same PDF".to_owned());
        return Done { verdict: Verdict::Verified, lines, diagnostics: Vec::new() };
    }
    if !same_tool {
        lines.push(format!(
            "this is workshop-report {}: the bytes of another version's PDF cannot match; comparing the text of every page",
            env!("WORKSHOP_REPORT_BUILD")
        ));
    } else {
        lines.push("built again from them, the PDF is not the same".to_owned());
    }
    lines.extend(pages_differing(pdf, &built.pdf));
    Done { verdict: Verdict::Differs, lines, diagnostics: Vec::new() }
}

/// The settings the manifest records.
fn settings(root: &Path, manifest: &Manifest) -> Result<Settings, Diagnostic> {
    let s = &manifest.settings;
    let mut standards = Vec::new();
    for name in &s.standards {
        let standard =
            serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
                Diagnostic::error(
                    Code::Unverifiable,
                    format!("the manifest names a PDF standard this tool does not know: `{name}`"),
                )
            })?;
        standards.push(standard);
    }
    let encoding = match &s.encoding {
        Some(label) => {
            Some(workshop_report::files::Encoding::for_label(label).ok_or_else(|| {
                Diagnostic::error(
                    Code::Unverifiable,
                    format!("the manifest names an unknown encoding `{label}`"),
                )
            })?)
        }
        None => None,
    };
    let delimiter = s.delimiter.as_ref().and_then(|d| d.bytes().next());
    let templates = s.templates_overridden.then(|| root.join("templates"));
    Ok(Settings {
        input: input::Options { encoding, delimiter, terms: templates.clone() },
        templates,
        standards,
        attach: Some(s.attach_limit),
        workers: 1,
    })
}

/// Which pages' text differs between two PDFs, read alike.
fn pages_differing(old: &[u8], new: &[u8]) -> Vec<String> {
    let (Some(old), Some(new)) = (page_texts(old), page_texts(new)) else {
        return vec![
            "its pages were not compared: reading their text took longer than a report's"
                .to_owned(),
        ];
    };
    let mut lines = Vec::new();
    if old.len() != new.len() {
        lines.push(format!("it has {} pages; built again, {}", old.len(), new.len()));
    }
    let differing: Vec<String> = old
        .iter()
        .zip(&new)
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    match differing.len() {
        0 if old.len() == new.len() => lines.push(
            "the text of every page is the same; the layout or the PDF's structure differs"
                .to_owned(),
        ),
        0 => {}
        _ => lines.push(format!("the text differs on page {}", differing.join(", "))),
    }
    lines
}

/// The text of each page, as lopdf reads it, within bounds: the PDF may
/// be hostile (pages sharing one huge content stream), so each page's
/// streams are decompressed up to a few MiB, and pages past a time budget
/// are not read (`None` then).
fn page_texts(pdf: &[u8]) -> Option<Vec<String>> {
    const PAGE: usize = 4 << 20;
    const PAGES: usize = 5000;
    let budget = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let options = lopdf::LoadOptions { max_decompressed_size: Some(PAGE), ..Default::default() };
    let doc = lopdf::Document::load_mem_with_options(pdf, options).ok()?;
    let pages = doc.get_pages();
    if pages.len() > PAGES {
        return None;
    }
    let mut texts = Vec::with_capacity(pages.len());
    for &n in pages.keys() {
        if std::time::Instant::now() > budget {
            return None;
        }
        texts.push(doc.extract_text_with_limit(&[n], PAGE).unwrap_or_default());
    }
    Some(texts)
}

/// How a folder compares with the files a report was built from.
struct Compared {
    same: bool,
    lines: Vec<String>,
}

/// Which files of `folder` were added, removed or changed since the PDF
/// was built, by digest. The files the PDF lists without carrying them
/// are copied from `folder` into `root` where they are the same. Only the
/// workshop's files and the `branding.yaml` beside it are read: a path of
/// the manifest never leads elsewhere.
fn against_folder(folder: &Path, manifest: &Manifest, root: &Path) -> Compared {
    let mut now: BTreeMap<String, String> = BTreeMap::new();
    // The folder is read as the report was: its encoding and delimiter.
    let settings = settings(root, manifest).unwrap_or_default();
    let pipeline = Pipeline::new(Settings { templates: None, ..settings });
    let read = pipeline.load(folder);
    let loaded = read.value.is_some();
    if let Some(read) = &read.value {
        for (name, digest) in &read.files {
            let name = match name.strip_prefix("../") {
                Some(rest) => rest.to_owned(),
                None => format!("{}/{name}", manifest.workshop),
            };
            now.insert(name, contract::hex(digest));
        }
    }
    let (mut changed, mut removed) = (Vec::new(), Vec::new());
    let inside = format!("{}/", manifest.workshop);
    for listed in manifest.files.iter().filter(|f| !f.path.starts_with("templates/")) {
        now.remove(&listed.path);
        let on_disk = match listed.path.strip_prefix(&inside) {
            Some(rest) => folder.join(rest),
            None if listed.path == input::BRANDING => folder.join("..").join(input::BRANDING),
            None => {
                removed.push(listed.path.clone());
                continue;
            }
        };
        let limit = listed.size.min(carried::MAX_PDF);
        match workshop_report::files::read_capped(&on_disk, limit) {
            Some(bytes) if contract::sha256_hex(&bytes) == listed.sha256 => {
                if !listed.attached {
                    let _ = copy_into(root, &listed.path, &bytes);
                }
            }
            Some(_) => changed.push(listed.path.clone()),
            None => removed.push(listed.path.clone()),
        }
    }
    let added: Vec<String> = now.into_keys().collect();
    let mut lines = Vec::new();
    for (what, names) in [("changed", &changed), ("removed", &removed), ("added", &added)] {
        if !names.is_empty() {
            lines.push(format!("{what} in {} since: {}", folder.display(), names.join(", ")));
        }
    }
    if !loaded {
        lines.push(
            "(the folder does not build now: files it would newly read are not known)".to_owned(),
        );
    }
    let same = changed.is_empty() && removed.is_empty() && added.is_empty() && loaded;
    if same {
        lines.push(format!(
            "{} holds exactly the files the report was built from",
            folder.display()
        ));
    }
    Compared { same, lines }
}

/// Writes a file the PDF lists without carrying it, found in the folder.
fn copy_into(root: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut out = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    std::io::Write::write_all(&mut out, bytes)
}
