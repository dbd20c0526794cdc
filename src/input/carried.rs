//! The files a PDF carries (`build --attach-sources`), read back for
//! `verify` and `diff`. The PDF may come from anywhere: its size, the
//! number of files, each file's size once decompressed and their names are
//! bounded and checked before anything is written, and nothing in it runs.

use lopdf::{Document, Object};

use crate::diag::{Code, Diagnostic};
use crate::model::attachments::{MANIFEST_FORMAT, Manifest, Relationship};

/// The largest PDF read.
pub const MAX_PDF: u64 = 1 << 30;
/// The most files a PDF may carry.
const MAX_FILES: usize = 10_000;
/// The most bytes one carried file may decompress to.
const MAX_FILE: usize = 512 << 20;
/// The most bytes all carried files may decompress to together.
const MAX_TOTAL: usize = 1 << 30;
/// The most bytes the manifest may take.
const MAX_MANIFEST: usize = 16 << 20;
/// The longest name of a carried file.
const MAX_NAME: usize = 1024;

/// A file a PDF carries.
#[derive(Debug, Clone)]
pub struct Carried {
    /// Its path, relative, checked.
    pub name: String,
    /// Its `AFRelationship`, if it has one this tool writes.
    pub relationship: Option<Relationship>,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Why its bytes could not be read back (a compressed stream altered),
    /// if they could not.
    pub damaged: Option<String>,
}

/// What a PDF carries: its files, and the manifest among them.
#[derive(Debug, Clone)]
pub struct Sources {
    /// Every file but the manifest, in name order.
    pub files: Vec<Carried>,
    /// `manifest.json`, read.
    pub manifest: Manifest,
    /// `manifest.json`, as carried.
    pub manifest_bytes: Vec<u8>,
}

fn damaged(why: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Code::Unverifiable, why.into())
}

/// The files `pdf` carries and its manifest; an error when it carries
/// none, carries no manifest, or cannot be read within bounds.
pub fn read(pdf: &[u8]) -> Result<Sources, Diagnostic> {
    if pdf.len() as u64 > MAX_PDF {
        return Err(damaged("the PDF is larger than 1 GiB, more than a report is"));
    }
    let options =
        lopdf::LoadOptions { max_decompressed_size: Some(MAX_FILE), ..Default::default() };
    let doc = Document::load_mem_with_options(pdf, options)
        .map_err(|e| damaged(format!("the PDF cannot be read: {e}")))?;
    if doc.is_encrypted() {
        return Err(damaged("the PDF is encrypted: a report this tool builds is not"));
    }
    // Each file's name and stream first; bytes only within what the
    // manifest says each is (a compression bomb stops there).
    let mut found: Vec<Found> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for spec in specs(&doc)? {
        let file = describe(&doc, spec)?;
        if !names.insert(file.name.clone()) {
            return Err(damaged(format!("the PDF carries `{}` twice", file.name)));
        }
        found.push(file);
    }
    let at = found.iter().position(|f| f.name == "manifest.json").ok_or_else(|| {
        damaged("the PDF carries files but no manifest.json: it was not built by workshop-report")
    })?;
    let manifest_bytes = contents(&found.remove(at), MAX_MANIFEST + 1)?;
    let manifest = manifest(&manifest_bytes)?;
    let files = files(found, &manifest)?;
    Ok(Sources { files, manifest, manifest_bytes })
}

/// The file specifications of the catalogue's `/AF`, at most [`MAX_FILES`].
fn specs(doc: &Document) -> Result<&Vec<Object>, Diagnostic> {
    let catalog = doc.catalog().map_err(|e| damaged(format!("the PDF has no catalog: {e}")))?;
    let Ok(af) = catalog.get(b"AF") else {
        return Err(damaged("the PDF carries no files: it was not built with `--attach-sources`")
            .hint(
                "only a report built with `workshop-report build --attach-sources` can be verified",
            ));
    };
    let af = doc
        .dereference(af)
        .map_err(|e| damaged(format!("the PDF's list of files is broken: {e}")))?
        .1;
    let specs =
        af.as_array().map_err(|_| damaged("the PDF's list of files (/AF) is not a list"))?;
    if specs.len() > MAX_FILES {
        return Err(damaged(format!(
            "the PDF lists {} files; a report carries at most {MAX_FILES}",
            specs.len()
        )));
    }
    Ok(specs)
}

/// The manifest read from `bytes`, its names and digests checked.
fn manifest(bytes: &[u8]) -> Result<Manifest, Diagnostic> {
    if bytes.len() > MAX_MANIFEST {
        return Err(damaged(
            "the manifest.json the PDF carries is larger than 16 MiB, more than a report's",
        ));
    }
    let manifest: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| damaged(format!("the manifest.json the PDF carries cannot be read: {e}")))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(damaged(format!("the manifest is of another format (`{}`)", manifest.format)));
    }
    if manifest.files.len() > MAX_FILES {
        return Err(damaged(format!(
            "the manifest lists {} files; a report has at most {MAX_FILES}",
            manifest.files.len()
        )));
    }
    for listed in &manifest.files {
        check_name(&listed.path)?;
        let hex = listed.sha256.len() == 64 && listed.sha256.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex {
            return Err(damaged(format!(
                "the manifest's digest of `{}` is not a SHA-256",
                listed.path
            )));
        }
    }
    check_name(&format!("{}/x", manifest.workshop))?;
    Ok(manifest)
}

/// The bytes of the files `found`, each read up to one byte more than the
/// manifest lists it at, in name order.
fn files(found: Vec<Found>, manifest: &Manifest) -> Result<Vec<Carried>, Diagnostic> {
    let sizes: std::collections::HashMap<&str, u64> =
        manifest.files.iter().map(|l| (l.path.as_str(), l.size)).collect();
    let mut files = Vec::with_capacity(found.len());
    let mut total = 0usize;
    for file in found {
        let listed = sizes.get(file.name.as_str()).copied().unwrap_or(0);
        // One byte more than listed shows the file is not the one listed.
        let bound = usize::try_from(listed).unwrap_or(MAX_FILE).min(MAX_FILE).saturating_add(1);
        // A file that cannot be read back is a file that differs: it is
        // named as such, not taken for a damaged PDF.
        let (bytes, why) = match contents(&file, bound) {
            Ok(bytes) => (bytes, None),
            Err(d) => (Vec::new(), Some(d.message)),
        };
        total = total.saturating_add(bytes.len());
        if total > MAX_TOTAL {
            return Err(damaged("the files the PDF carries come to more than 1 GiB"));
        }
        let (name, relationship) = (file.name, file.relationship);
        files.push(Carried { name, relationship, bytes, damaged: why });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// A file of `/AF`, before its bytes are read.
struct Found<'a> {
    name: String,
    relationship: Option<Relationship>,
    stream: &'a lopdf::Stream,
}

/// One file specification of `/AF`: its name, relationship and stream.
fn describe<'a>(doc: &'a Document, spec: &'a Object) -> Result<Found<'a>, Diagnostic> {
    let broken = |what: &str| damaged(format!("a file the PDF carries is broken: {what}"));
    let spec = doc.dereference(spec).map_err(|_| broken("its description cannot be found"))?.1;
    let spec = spec.as_dict().map_err(|_| broken("its description is not a dictionary"))?;
    let text = |key: &[u8]| -> Option<String> {
        let object = doc.dereference(spec.get(key).ok()?).ok()?.1;
        match object {
            Object::String(..) => lopdf::decode_text_string(object).ok(),
            _ => None,
        }
    };
    let name = text(b"UF").or_else(|| text(b"F")).ok_or_else(|| broken("it has no name"))?;
    check_name(&name)?;
    let relationship = match spec.get(b"AFRelationship").and_then(Object::as_name) {
        Ok(b"Source") => Some(Relationship::Source),
        Ok(b"Data") => Some(Relationship::Data),
        _ => None,
    };
    let no_content = || broken(&format!("`{name}` has no content"));
    let ef = spec.get(b"EF").ok().and_then(|ef| doc.dereference(ef).ok()).ok_or_else(no_content)?.1;
    let stream = ef
        .as_dict()
        .ok()
        .and_then(|ef| ef.get(b"F").ok())
        .and_then(|f| doc.dereference(f).ok())
        .and_then(|(_, f)| f.as_stream().ok())
        .ok_or_else(no_content)?;
    Ok(Found { name, relationship, stream })
}

/// A file's bytes, at most `bound` of them.
fn contents(file: &Found, bound: usize) -> Result<Vec<u8>, Diagnostic> {
    let filters = match file.stream.dict.get(b"Filter") {
        Err(_) => Vec::new(),
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(names)) => {
            names.iter().filter_map(|n| n.as_name().ok().map(<[u8]>::to_vec)).collect()
        }
        Ok(_) => {
            return Err(damaged(format!("`{}` has a filter this tool does not read", file.name)));
        }
    };
    match filters.as_slice() {
        [] => Ok(file.stream.content.iter().copied().take(bound).collect()),
        [flate] if flate == b"FlateDecode" => inflate(&file.stream.content, bound)
            .ok_or_else(|| damaged(format!("`{}` cannot be decompressed", file.name))),
        _ => Err(damaged(format!("`{}` is compressed in a way typst does not write", file.name))),
    }
}

/// `data` inflated (FlateDecode, the only filter typst writes), at most
/// `bound` bytes of it.
fn inflate(data: &[u8], bound: usize) -> Option<Vec<u8>> {
    use std::io::Read as _;
    let mut out = Vec::new();
    let mut decoder = flate2::read::ZlibDecoder::new(data).take(bound as u64);
    decoder.read_to_end(&mut out).ok()?;
    Some(out)
}

/// Refuses a name that could lead out of the folder it is extracted to:
/// absolute, `..`, a drive, a backslash, a control character, empty parts.
pub fn check_name(name: &str) -> Result<(), Diagnostic> {
    let bad = name.is_empty()
        || name.len() > MAX_NAME
        || name.starts_with('/')
        || name.contains('\\')
        || name.contains(':')
        || name.chars().any(char::is_control)
        || name.split('/').any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(damaged(format!(
            "the PDF carries a file named `{}`, which could lead out of the folder it is extracted to",
            name.escape_debug()
        ))
        .hint("this PDF was not written by workshop-report, or was altered since"));
    }
    Ok(())
}
