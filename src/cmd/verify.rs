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
use workshop_report::diag::{Code, Diagnostic, Sources};
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
}

pub fn run(args: &VerifyArgs, reporter: &Reporter) -> ExitCode {
    let task = Task {
        pdf: args.pdf.clone(),
        folder: args.folder.as_ref().map(|f| f.to_string_lossy().into_owned()),
        extract: args.extract.as_ref().map(|f| f.to_string_lossy().into_owned()),
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
    let mut text = format!("{head}: {}\n", args.pdf.display());
    for line in &done.lines {
        text.push_str(&format!("  {line}\n"));
    }
    print!("{}", workshop_report::diag::visible(&text));
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
    let extracted = match &task.extract {
        Some(dir) => {
            extract(Path::new(dir), &sources.files, &sources.manifest_bytes).map(|()| None)
        }
        None => tempfile::tempdir()
            .map_err(|e| {
                Diagnostic::error(
                    Code::TemporaryFolder,
                    format!("cannot make a temporary folder: {e}"),
                )
            })
            .and_then(|t| {
                extract(t.path(), &sources.files, &sources.manifest_bytes).map(|()| Some(t))
            }),
    };
    let extracted = match extracted {
        Ok(temporary) => temporary,
        Err(d) => return Done { verdict: Verdict::Unverifiable, lines, diagnostics: vec![d] },
    };
    if let Some(dir) = &task.extract {
        lines.push(format!("its files are in {dir}"));
    }
    if let Some(folder) = &task.folder {
        return against_folder(Path::new(folder), manifest, lines);
    }
    let root = match (&task.extract, &extracted) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(temporary)) => temporary.path().to_path_buf(),
        (None, None) => {
            return Done { verdict: Verdict::Unverifiable, lines, diagnostics: Vec::new() };
        }
    };
    rebuild(&root, manifest, &pdf, lines)
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
    for l in manifest.files.iter().filter(|l| l.attached) {
        if !files.iter().any(|f| f.name == l.path) {
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
    let missing: Vec<&str> =
        manifest.files.iter().filter(|f| !f.attached).map(|f| f.path.as_str()).collect();
    if !missing.is_empty() {
        lines.push(format!(
            "it lists, without carrying them (they were over the attach limit): {}",
            missing.join(", ")
        ));
        lines.push(
            "give the folder that holds them: `workshop-report verify REPORT.pdf FOLDER`"
                .to_owned(),
        );
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
    let (old, new) = (page_texts(old), page_texts(new));
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

/// The text of each page, as lopdf reads it, within bounds.
fn page_texts(pdf: &[u8]) -> Vec<String> {
    let Ok(doc) = lopdf::Document::load_mem(pdf) else { return Vec::new() };
    doc.get_pages()
        .keys()
        .map(|&n| doc.extract_text_with_limit(&[n], 64 << 20).unwrap_or_default())
        .collect()
}

/// Which files of `folder` were added, removed or changed since the PDF
/// was built, by digest.
fn against_folder(folder: &Path, manifest: &Manifest, mut lines: Vec<String>) -> Done {
    let mut now: BTreeMap<String, String> = BTreeMap::new();
    let pipeline = Pipeline::new(Settings::default());
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
    let mut changed = Vec::new();
    let mut removed = Vec::new();
    for listed in manifest.files.iter().filter(|f| !f.path.starts_with("templates/")) {
        let on_disk = match listed.path.strip_prefix(&format!("{}/", manifest.workshop)) {
            Some(rest) => folder.join(rest),
            None => folder.join("..").join(&listed.path),
        };
        match std::fs::read(&on_disk) {
            Ok(bytes) if contract::sha256_hex(&bytes) == listed.sha256 => {}
            Ok(_) => changed.push(listed.path.clone()),
            Err(_) => removed.push(listed.path.clone()),
        }
        now.remove(&listed.path);
    }
    let added: Vec<String> = now.into_keys().filter(|n| n != "manifest.json").collect();
    for (what, names) in [("changed", &changed), ("removed", &removed), ("added", &added)] {
        if !names.is_empty() {
            lines.push(format!("{what} since: {}", names.join(", ")));
        }
    }
    if !loaded {
        lines.push(
            "(the folder does not build now, so files it would newly read are not known)"
                .to_owned(),
        );
    }
    if changed.is_empty() && removed.is_empty() && added.is_empty() && loaded {
        lines.push(format!(
            "{} holds exactly the files the report was built from",
            folder.display()
        ));
        return Done { verdict: Verdict::Verified, lines, diagnostics: read.diagnostics };
    }
    Done { verdict: Verdict::Differs, lines, diagnostics: Vec::new() }
}
