//! Pictures checked before the typesetter sees them.
//!
//! The typesetter decodes pictures without asking: a tiny PNG whose header
//! claims 100,000 × 100,000 pixels makes it allocate 40 GB and abort the
//! process, a truncated JPEG prints half grey, an SVG can point at files or
//! expand without end. So every picture is checked here first, within a
//! budget ([`MAX_PIXELS`], [`MAX_DECODED_BYTES`]):
//! - PNG and JPEG: the size is read from the header and refused above the
//!   budget before anything is decoded; then the picture is decoded whole
//!   once, under the same limits, so that a truncated or damaged file is
//!   refused rather than printed in part;
//! - SVG: parsed with the library the typesetter uses (usvg), after the XML
//!   is checked for entity expansion and `<use>` fan-out; references to
//!   anything outside the file are refused, and pictures embedded as
//!   `data:` URLs are checked as pictures of their own.

use std::collections::HashMap;
use std::io::Cursor;

use crate::diag::{Code, Diagnostic};

/// The most pixels a raster picture may have: 64 megapixels, well above a
/// full page at 300 dpi (8.7 megapixels).
pub const MAX_PIXELS: u64 = 64_000_000;
/// The most bytes a raster picture may take once decoded.
pub const MAX_DECODED_BYTES: u64 = 256 << 20;
/// The most elements an SVG may hold, counting each `<use>` as the
/// elements it repeats.
const MAX_SVG_ELEMENTS: u64 = 200_000;
/// The most text entity references may add to an SVG.
const MAX_ENTITY_BYTES: u64 = 1 << 20;
/// The most characters of text an SVG may hold: the typesetter shapes
/// each, in the fonts of the report.
const MAX_SVG_TEXT: usize = 10_000;
/// The most pixels of all the pictures of a workshop together.
pub const MAX_WORKSHOP_PIXELS: u64 = 256_000_000;
/// How deeply the elements of an SVG may nest.
const MAX_SVG_DEPTH: usize = 256;
/// How deeply SVGs may embed SVGs.
const MAX_SVG_NESTING: usize = 3;

/// The largest picture read, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 20 << 20;

/// The kind of image `bytes` hold, judged by their content.
pub fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    // A DOCTYPE may declare entities at length before the `<svg` element.
    let head = &bytes[..bytes.len().min(256 << 10)];
    let head = String::from_utf8_lossy(head);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let xml_like = ["<?xml", "<svg", "<!--", "<!DOCTYPE svg", "<!doctype svg"]
        .iter()
        .any(|start| head.starts_with(start));
    if xml_like && head.contains("<svg") {
        return Some("svg");
    }
    None
}

/// The key a picture read from `relative`, of `kind`, is served under: its
/// path, ending in the extension of the kind its bytes are, whatever the
/// file's name says. The typesetter goes by a picture's extension, and
/// must read it as what was checked (an SVG named `.pdf` is served as an
/// SVG).
pub fn key(relative: &str, kind: &str) -> String {
    let key = crate::files::normalise(relative);
    let extension = std::path::Path::new(&key).extension().and_then(|e| e.to_str()).unwrap_or("");
    let fits = match kind {
        "jpg" => matches!(extension, "jpg" | "jpeg"),
        other => extension == other,
    };
    if fits { key } else { format!("{key}.{kind}") }
}

/// A picture that passed the checks.
#[derive(Debug, Clone)]
pub struct Checked {
    /// `png`, `jpg` or `svg`.
    pub kind: &'static str,
    /// Its width and height as it prints (pixels, or an SVG's units),
    /// turned as its EXIF orientation says.
    pub size: (f64, f64),
    /// The text an SVG draws, which prints in the report's fonts.
    pub text: String,
}

/// What checking a picture found: the pixels it decodes to (rasters and
/// the rasters an SVG embeds), and its size.
#[derive(Debug, Clone)]
struct Shape {
    pixels: u64,
    size: (f64, f64),
    text: String,
}

/// The pixels the pictures of one workshop have taken so far, against
/// [`MAX_WORKSHOP_PIXELS`]: a picture that would go over is refused
/// before it is decoded.
#[derive(Debug, Default)]
pub struct Budget {
    pub used: u64,
}

/// Checks that `bytes`, read from `name`, are a PNG, JPEG or SVG picture
/// that can be printed within the budgets.
pub fn check(bytes: &[u8], name: &str, budget: &mut Budget) -> Result<Checked, Diagnostic> {
    let before = budget.used;
    let result = check_nested(bytes, name, 0, budget);
    if result.is_err() {
        budget.used = before;
    }
    let shape = result?;
    Ok(Checked { kind: image_kind(bytes).unwrap_or("png"), size: shape.size, text: shape.text })
}

/// The picture a message is about: a file, or a picture embedded in one.
#[derive(Debug, Clone, Copy)]
struct Subject<'a> {
    name: &'a str,
    depth: usize,
}

impl std::fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.depth {
            0 => write!(f, "`{}`", self.name),
            _ => write!(f, "a picture embedded in `{}`", self.name),
        }
    }
}

/// Checks a picture; the pixels it decodes to.
fn check_nested(
    bytes: &[u8],
    name: &str,
    depth: usize,
    budget: &mut Budget,
) -> Result<Shape, Diagnostic> {
    let subject = Subject { name, depth };
    match image_kind(bytes) {
        Some("png") => {
            png_chunks(bytes, subject)?;
            raster(bytes, image::ImageFormat::Png, subject, budget)
        }
        Some("jpg") => {
            let scans = jpeg_scans(bytes);
            if scans > MAX_JPEG_SCANS {
                return Err(complex_jpeg(subject, scans));
            }
            let shape = raster(bytes, image::ImageFormat::Jpeg, subject, budget)?;
            if !jpeg_complete(bytes) {
                return Err(corrupt(subject, "the file ends before the picture does"));
            }
            Ok(shape)
        }
        Some(_) => svg(bytes, subject, budget),
        None => Err(Diagnostic::error(
            Code::NotAnImage,
            format!("{subject} is not a PNG, JPEG or SVG image"),
        )
        .hint("export the picture as PNG, JPEG or SVG")),
    }
}

fn corrupt(subject: Subject, why: &str) -> Diagnostic {
    Diagnostic::error(Code::ImageCorrupt, format!("{subject} cannot be read: {why}"))
        .hint("the file is damaged or cut short; export or download it again")
}

fn too_large(subject: Subject, what: String) -> Diagnostic {
    Diagnostic::error(
        Code::ImageTooLarge,
        format!(
            "{subject} is {what}; a report takes pictures up to {} megapixels",
            MAX_PIXELS / 1_000_000
        ),
    )
    .hint("scale it down: a full A4 page at 300 dpi is 2480 × 3508 pixels")
}

fn raster(
    bytes: &[u8],
    format: image::ImageFormat,
    name: Subject,
    budget: &mut Budget,
) -> Result<Shape, Diagnostic> {
    let decoder_error = |e: image::ImageError| corrupt(name, &reason(&e));
    // A PNG's size is in its first chunk; read it from there, before any
    // decoder looks further.
    let header = (format == image::ImageFormat::Png && bytes.get(12..16) == Some(b"IHDR"))
        .then(|| bytes.get(16..24))
        .flatten()
        .map(|b| {
            (
                u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
                u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            )
        });
    let (width, height) = match header {
        Some(size) => size,
        None => image::ImageReader::with_format(Cursor::new(bytes), format)
            .into_dimensions()
            .map_err(decoder_error)?,
    };
    let pixels = u64::from(width) * u64::from(height);
    // The decoded size at the widest pixel the format has (16-bit RGBA).
    let widest = pixels.saturating_mul(8);
    if pixels > MAX_PIXELS || widest / 2 > MAX_DECODED_BYTES {
        return Err(too_large(
            name,
            format!("{width} × {height} pixels ({} megapixels)", pixels.div_ceil(1_000_000)),
        ));
    }
    if width == 0 || height == 0 {
        return Err(corrupt(name, "it has no pixels"));
    }
    if budget.used + pixels > MAX_WORKSHOP_PIXELS {
        return Err(Diagnostic::error(
            Code::ImageTooLarge,
            format!(
                "with {name}, the workshop's pictures add up to {} megapixels; a report takes up to {} in all",
                (budget.used + pixels).div_ceil(1_000_000),
                MAX_WORKSHOP_PIXELS / 1_000_000
            ),
        )
        .hint("scale the pictures down: a full A4 page at 300 dpi is 8.7 megapixels"));
    }
    use image::ImageDecoder;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let limit_error = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => {
            too_large(name, format!("{width} × {height} pixels, too many bytes once decoded"))
        }
        e => decoder_error(e),
    };
    let mut decoder = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(decoder_error)?;
    decoder.set_limits(limits).map_err(limit_error)?;
    // The typesetter turns a picture as its EXIF orientation says.
    let turned = matches!(
        decoder.orientation(),
        Ok(image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH)
    );
    image::DynamicImage::from_decoder(decoder).map_err(limit_error)?;
    budget.used += pixels;
    let (w, h) = (f64::from(width), f64::from(height));
    Ok(Shape { pixels, size: if turned { (h, w) } else { (w, h) }, text: String::new() })
}

/// The most bytes a PNG's compressed metadata (a colour profile, text)
/// may inflate to: an ICC profile is a few kilobytes, at most a megabyte.
const MAX_PNG_METADATA: u64 = 4 << 20;

/// Refuses a PNG whose compressed metadata chunks (`iCCP`, `zTXt`, `iTXt`)
/// would inflate past [`MAX_PNG_METADATA`]: a decoder inflates them whole,
/// and a few megabytes can hold gigabytes.
fn png_chunks(bytes: &[u8], name: Subject) -> Result<(), Diagnostic> {
    use std::io::Read;
    let mut i = 8;
    while let Some(header) = bytes.get(i..i + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        let Some(data) = bytes.get(i + 8..(i + 8).saturating_add(length)) else { break };
        // The compressed part: after the keyword's NUL, a compression
        // method byte (iCCP, zTXt); iTXt has a flag and two strings more.
        let compressed = match kind {
            b"iCCP" | b"zTXt" => {
                data.iter().position(|&b| b == 0).map(|z| &data[(z + 2).min(data.len())..])
            }
            b"iTXt" => data.iter().position(|&b| b == 0).and_then(|z| {
                let flag = *data.get(z + 1)?;
                let rest = data.get(z + 3..)?;
                let language = rest.iter().position(|&b| b == 0)?;
                let rest = &rest[language + 1..];
                let translated = rest.iter().position(|&b| b == 0)?;
                (flag == 1).then(|| &rest[translated + 1..])
            }),
            _ => None,
        };
        if let Some(compressed) = compressed {
            let inflated = std::io::copy(
                &mut flate2::read::ZlibDecoder::new(compressed).take(MAX_PNG_METADATA + 1),
                &mut std::io::sink(),
            )
            .unwrap_or(0);
            if inflated > MAX_PNG_METADATA {
                return Err(too_large_metadata(name, kind));
            }
        }
        i = i.saturating_add(12).saturating_add(length);
    }
    Ok(())
}

fn too_large_metadata(name: Subject, kind: &[u8]) -> Diagnostic {
    Diagnostic::error(
        Code::ImageTooLarge,
        format!(
            "{name} carries metadata (its `{}` chunk) that inflates to more than {} MiB",
            String::from_utf8_lossy(kind),
            MAX_PNG_METADATA >> 20
        ),
    )
    .hint("export the picture again without its metadata (colour profile, text)")
}

/// The decoder's reason, in a reader's words.
fn reason(e: &image::ImageError) -> String {
    match e {
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file ends before the picture does".to_owned()
        }
        e => e.to_string(),
    }
}

/// The most scans a progressive JPEG may have: each is a pass over the
/// whole picture; real files have about ten.
const MAX_JPEG_SCANS: usize = 32;

fn complex_jpeg(name: Subject, scans: usize) -> Diagnostic {
    Diagnostic::error(
        Code::ImageTooLarge,
        format!(
            "{name} is a progressive JPEG of {scans} scans; a report takes up to {MAX_JPEG_SCANS}"
        ),
    )
    .hint("save it again as a baseline (not progressive) JPEG, or as PNG")
}

/// The scans (`SOS` markers) of a JPEG.
fn jpeg_scans(bytes: &[u8]) -> usize {
    bytes.windows(2).filter(|w| w == &[0xFF, 0xDA]).count()
}

/// Whether a JPEG's markers run to its end-of-image marker: decoders fill
/// what is missing of a truncated file with grey, without a word.
fn jpeg_complete(bytes: &[u8]) -> bool {
    let mut i = 2; // after SOI
    while i + 1 < bytes.len() {
        if bytes[i] != 0xFF {
            return false;
        }
        let marker = bytes[i + 1];
        match marker {
            0xFF => i += 1, // fill byte
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                if i + 3 >= bytes.len() {
                    return false;
                }
                let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
                i += 2 + len;
                if marker == 0xDA {
                    // Entropy-coded data: runs to the next marker that is
                    // neither a stuffed 0xFF00 nor a restart.
                    while i + 1 < bytes.len() {
                        if bytes[i] == 0xFF
                            && bytes[i + 1] != 0
                            && !(0xD0..=0xD7).contains(&bytes[i + 1])
                        {
                            break;
                        }
                        i += 1;
                    }
                }
            }
        }
    }
    false
}

fn svg(bytes: &[u8], name: Subject, budget: &mut Budget) -> Result<Shape, Diagnostic> {
    let depth = name.depth;
    if depth > MAX_SVG_NESTING {
        return Err(complex(name, "it embeds SVG pictures more than three deep"));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| corrupt(name, "an SVG is UTF-8 text, and this file is not"))?;
    entities(text, name)?;
    let options =
        roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: 1_000_000, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| corrupt(name, &format!("the SVG is not well-formed XML ({e})")))?;
    let total = svg_elements(&doc, name)?;
    refused_elements(&doc, name)?;
    let drawn = svg_text(&doc, name)?;
    if total > MAX_SVG_ELEMENTS {
        return Err(complex(
            name,
            &format!(
                "it draws more than {MAX_SVG_ELEMENTS} elements once its `<use>` references are expanded"
            ),
        ));
    }
    let pixels = svg_references(&doc, name, budget)?;
    let size = svg_size(text, name)?;
    Ok(Shape { pixels, size, text: drawn })
}

/// The elements of an SVG, each `<use>` counted as what it repeats;
/// elements nested too deeply, or a `<use>` that repeats itself, are
/// refused.
fn svg_elements(doc: &roxmltree::Document, name: Subject) -> Result<u64, Diagnostic> {
    let ids: HashMap<&str, roxmltree::Node> =
        doc.descendants().filter_map(|n| n.attribute("id").map(|id| (id, n))).collect();
    let mut sizes = HashMap::new();
    if let Some(deep) = doc.descendants().find(|n| n.ancestors().count() > MAX_SVG_DEPTH) {
        let _ = deep;
        return Err(complex(name, &format!("it nests elements more than {MAX_SVG_DEPTH} deep")));
    }
    expanded(doc.root(), &ids, &mut sizes, &mut Vec::new())
        .ok_or_else(|| complex(name, "a `<use>` element refers to itself, or to what holds it"))
}

/// Refuses the elements of an SVG that a PDF cannot show, or that take
/// minutes to draw.
fn refused_elements(doc: &roxmltree::Document, name: Subject) -> Result<(), Diagnostic> {
    if let Some(element) = doc
        .descendants()
        .find(|n| n.is_element() && matches!(n.tag_name().name(), "foreignObject" | "script"))
    {
        return Err(complex(
            name,
            &format!("it holds a `<{}>`, which a PDF cannot show", element.tag_name().name()),
        ));
    }
    if let Some(filter) = doc.descendants().find(|n| {
        n.is_element() && (n.tag_name().name() == "filter" || n.tag_name().name().starts_with("fe"))
    }) {
        return Err(complex(
            name,
            &format!(
                "it uses filter effects (`<{}>`), which are drawn pixel by pixel and can take minutes",
                filter.tag_name().name()
            ),
        ));
    }
    Ok(())
}

/// The text an SVG draws: that of its `<text>` elements, joined by
/// spaces. More than [`MAX_SVG_TEXT`] characters are refused.
fn svg_text(doc: &roxmltree::Document, name: Subject) -> Result<String, Diagnostic> {
    let drawn: String = doc
        .descendants()
        .filter(|n| n.is_text() && n.ancestors().any(|a| a.tag_name().name() == "text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    let characters = drawn.chars().count();
    if characters > MAX_SVG_TEXT {
        return Err(complex(
            name,
            &format!("it holds {characters} characters of text; an SVG holds up to {MAX_SVG_TEXT}"),
        ));
    }
    Ok(drawn)
}

/// The pixels of the pictures an SVG embeds as `data:` URLs, each checked
/// as a picture of its own; a reference to anything outside the file is
/// refused.
fn svg_references(
    doc: &roxmltree::Document,
    name: Subject,
    budget: &mut Budget,
) -> Result<u64, Diagnostic> {
    let mut pixels = 0u64;
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        for attribute in node.attributes() {
            if attribute.name() != "href" {
                continue;
            }
            let href = attribute.value().trim();
            if href.starts_with('#') {
                if node.tag_name().name() == "image" {
                    return Err(corrupt(
                        name,
                        &format!("its `<image>` refers to `{href}`, which is not a picture"),
                    ));
                }
                continue;
            }
            match href.strip_prefix("data:") {
                Some(data) if node.tag_name().name() == "image" => {
                    pixels = pixels.saturating_add(embedded(data, name, budget)?.pixels);
                    if pixels > MAX_PIXELS {
                        return Err(too_large(
                            name,
                            format!(
                                "{} megapixels in all the pictures it embeds",
                                pixels.div_ceil(1_000_000)
                            ),
                        ));
                    }
                }
                _ => {
                    let shown: String = href.chars().take(80).collect();
                    return Err(Diagnostic::error(
                        Code::SvgExternal,
                        format!("{name} refers to `{shown}`, outside the picture"),
                    )
                    .hint("a report prints only what the SVG holds: embed pictures in it, or save it again without links"));
                }
            }
        }
    }
    Ok(pixels)
}

/// The size of an SVG as the typesetter's library draws it, with nothing
/// outside the file resolved.
fn svg_size(text: &str, name: Subject) -> Result<(f64, f64), Diagnostic> {
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(text, &options)
        .map_err(|e| corrupt(name, &format!("the SVG cannot be drawn ({e})")))?;
    Ok((f64::from(tree.size().width()), f64::from(tree.size().height())))
}

fn complex(name: Subject, why: &str) -> Diagnostic {
    Diagnostic::error(Code::SvgTooComplex, format!("{name} is too complex to print: {why}"))
        .hint("simplify the drawing, or export it as a PNG")
}

/// The elements under `node`, each `<use>` counted with what it refers to;
/// at most a little over the budget. `None` for a `<use>` that refers to
/// itself or to an element that holds it (`path`: the elements being
/// counted).
fn expanded<'a>(
    node: roxmltree::Node<'a, 'a>,
    ids: &HashMap<&str, roxmltree::Node<'a, 'a>>,
    sizes: &mut HashMap<roxmltree::NodeId, u64>,
    path: &mut Vec<roxmltree::NodeId>,
) -> Option<u64> {
    if let Some(&n) = sizes.get(&node.id()) {
        return Some(n);
    }
    if path.contains(&node.id()) || path.len() > 256 {
        return None;
    }
    path.push(node.id());
    let mut total: u64 = u64::from(node.is_element());
    for child in node.children() {
        total = total.saturating_add(expanded(child, ids, sizes, path)?);
        if total > MAX_SVG_ELEMENTS {
            break;
        }
    }
    if node.tag_name().name() == "use"
        && let Some(href) =
            node.attribute(("http://www.w3.org/1999/xlink", "href")).or(node.attribute("href"))
        && let Some(target) = href.strip_prefix('#').and_then(|id| ids.get(id))
    {
        total = total.saturating_add(expanded(*target, ids, sizes, path)?);
    }
    path.pop();
    let total = total.min(MAX_SVG_ELEMENTS + 1);
    sizes.insert(node.id(), total);
    Some(total)
}

/// Refuses entity declarations that could expand an SVG without bound:
/// parameter and external entities, entities that refer to entities, and
/// references that would add more than [`MAX_ENTITY_BYTES`] in all.
/// (Illustrator declares a few plain entities, which are fine.)
fn entities(text: &str, name: Subject) -> Result<(), Diagnostic> {
    let Some(start) = text.find("<!ENTITY") else { return Ok(()) };
    let mut sizes: HashMap<&str, u64> = HashMap::new();
    let mut rest = &text[start..];
    let mut end_of_dtd = start;
    while let Some(i) = rest.find("<!ENTITY") {
        let decl = &rest[i + "<!ENTITY".len()..];
        let close =
            decl.find('>').ok_or_else(|| corrupt(name, "an entity declaration is not closed"))?;
        let body = decl.trim_start();
        if body.starts_with('%') {
            return Err(complex(name, "it declares parameter entities"));
        }
        let entity = body.split_whitespace().next().unwrap_or("");
        let after = body[entity.len()..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'');
        let Some(quote) = quote else {
            return Err(Diagnostic::error(
                Code::SvgExternal,
                format!("{name} declares the external entity `{entity}`"),
            )
            .hint("a report prints only what the SVG holds; save it again without a DOCTYPE"));
        };
        let value_end = after[1..]
            .find(quote)
            .ok_or_else(|| corrupt(name, "an entity's value is not closed"))?;
        let value = &after[1..1 + value_end];
        if value.contains('&') {
            return Err(complex(name, "its entities refer to other entities"));
        }
        sizes.insert(entity, value.len() as u64);
        let consumed = i + "<!ENTITY".len() + close + 1;
        end_of_dtd = text.len() - rest.len() + consumed;
        rest = &rest[consumed..];
    }
    let body = &text[end_of_dtd..];
    let mut added: u64 = 0;
    for (i, _) in body.match_indices('&') {
        let reference = &body[i + 1..];
        let Some(semi) = reference[..reference.len().min(64)].find(';') else { continue };
        if let Some(size) = sizes.get(&reference[..semi]) {
            added = added.saturating_add(*size);
        }
    }
    if added > MAX_ENTITY_BYTES {
        return Err(complex(name, "its entity references expand to more than 1 MiB of text"));
    }
    Ok(())
}

/// Checks a picture embedded in an SVG as a `data:` URL; its pixels.
fn embedded(data: &str, name: Subject, budget: &mut Budget) -> Result<Shape, Diagnostic> {
    use base64::Engine;
    let (header, payload) = data.split_once(',').unwrap_or(("", data));
    let bytes = if header.ends_with(";base64") {
        let clean: String = payload.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(clean.as_bytes())
            .map_err(|_| corrupt(name, "a picture it embeds is not valid base64"))?
    } else {
        percent_decode(payload)
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(complex(name, "it embeds a compressed SVG"));
    }
    // The drawing reads an embedded picture as the type it declares.
    let declared = header.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let actual = image_kind(&bytes);
    let expected = match declared.as_str() {
        "image/png" => Some("png"),
        "image/jpeg" | "image/jpg" => Some("jpg"),
        "image/svg+xml" => Some("svg"),
        _ => None,
    };
    if actual.is_some() && expected != actual {
        return Err(corrupt(
            name,
            &format!(
                "it embeds a {} picture declared as `{declared}`, which would not print",
                actual.unwrap_or("").to_uppercase()
            ),
        ));
    }
    check_nested(&bytes, name.name, name.depth + 1, budget)
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// The pictures of one workshop read so far.
#[derive(Debug, Default)]
pub(crate) struct Pictures {
    /// The pixels read so far, against the workshop's budget.
    pub(crate) budget: Budget,
    /// Each picture by the path the record gives (`None`: refused,
    /// already reported).
    pub(crate) read: std::collections::HashMap<String, Option<crate::model::ImageRef>>,
    /// The bytes of those the report prints.
    pub(crate) assets: crate::model::Assets,
}

/// Reading the pictures the record names, once per workshop.
impl crate::input::Context {
    /// The picture the record names at `path`, read and checked once per
    /// workshop.
    pub(crate) fn image(
        &mut self,
        path: &crate::input::record::Spanned<String>,
    ) -> Option<crate::model::ImageRef> {
        if let Some(cached) = self.pictures.read.get(&path.value) {
            return cached.clone();
        }
        let read = self.folder.read_bytes(&path.value, MAX_IMAGE_BYTES).and_then(|bytes| {
            let checked = check(&bytes, &path.value, &mut self.pictures.budget)?;
            Ok((key(&path.value, checked.kind), bytes, checked))
        });
        let image = match read {
            Ok((key, bytes, checked)) => {
                if !checked.text.is_empty() {
                    // An SVG's text prints in the report's fonts too.
                    let name = self.record_name();
                    let text = self.sink.sources.get(&name).unwrap_or("").to_owned();
                    let span = self.sink.at(path, Diagnostic::warning(Code::MissingGlyph, "")).span;
                    if let Some(span) = span {
                        self.glyphs.check_at(&name, &text, &checked.text, span);
                    }
                }
                self.pictures.assets.images.insert(key.clone(), bytes);
                let (width, height) = checked.size;
                let aspect = if width > 0.0 { height / width } else { 1.0 };
                Some(crate::model::ImageRef { path: key, aspect })
            }
            Err(d) => {
                self.error_at(path, d);
                None
            }
        };
        self.pictures.read.insert(path.value.clone(), image.clone());
        image
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\n...."), Some("png"));
        assert_eq!(image_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(image_kind(b"<?xml version=\"1.0\"?>\n<svg></svg>"), Some("svg"));
        assert_eq!(image_kind(b"GIF89a"), None);
        assert_eq!(image_kind(b"<html><body>"), None);
    }

    /// A PNG whose header says `width` × `height`, with no pixel data.
    pub(crate) fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]);
        let crc = crc32(&ihdr);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(13u32.to_be_bytes());
        png.extend(&ihdr);
        png.extend(crc.to_be_bytes());
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let img =
            image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]));
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
        out
    }

    #[test]
    fn a_huge_header_is_refused_before_decoding() {
        let bomb = png_header(100_000, 100_000);
        assert!(bomb.len() < 100);
        let err = check(&bomb, "bomb.png", &mut Budget::default()).unwrap_err();
        assert_eq!(err.code, Code::ImageTooLarge);
        assert!(err.message.contains("100000 × 100000 pixels"), "{}", err.message);
    }

    #[test]
    fn a_workshop_s_pictures_share_a_budget() {
        let mut budget = Budget { used: MAX_WORKSHOP_PIXELS - 1_000 };
        let err = check(&png(64, 64), "late.png", &mut budget).unwrap_err();
        assert_eq!(err.code, Code::ImageTooLarge);
        assert!(err.message.contains("the workshop's pictures add up to"), "{}", err.message);
        assert_eq!(budget.used, MAX_WORKSHOP_PIXELS - 1_000, "a refused picture takes nothing");
        let mut budget = Budget::default();
        check(&png(64, 64), "a.png", &mut budget).unwrap();
        assert_eq!(budget.used, 64 * 64);
    }

    #[test]
    fn truncated_pictures_are_refused() {
        assert!(check(&png(64, 64), "ok.png", &mut Budget::default()).is_ok());
        let full = jpeg(200, 200);
        assert!(check(&full, "ok.jpg", &mut Budget::default()).is_ok());
        let cut = &full[..full.len() * 3 / 10];
        assert_eq!(
            check(cut, "cut.jpg", &mut Budget::default()).unwrap_err().code,
            Code::ImageCorrupt
        );
        let full = png(200, 200);
        let cut = &full[..full.len() / 2];
        assert_eq!(
            check(cut, "cut.png", &mut Budget::default()).unwrap_err().code,
            Code::ImageCorrupt
        );
    }

    #[test]
    fn svgs_may_not_reach_outside() {
        let ok = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>"#;
        assert!(check(ok, "ok.svg", &mut Budget::default()).is_ok());
        for href in ["file:///etc/passwd", "http://example.com/x.png", "other.png", "/abs.png"] {
            let svg = format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="{href}" width="5" height="5"/></svg>"#
            );
            assert_eq!(
                check(svg.as_bytes(), "x.svg", &mut Budget::default()).unwrap_err().code,
                Code::SvgExternal,
                "{href}"
            );
        }
    }

    #[test]
    fn svg_bombs_are_refused() {
        use base64::Engine;
        let inner = base64::engine::general_purpose::STANDARD.encode(png_header(100_000, 100_000));
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="data:image/png;base64,{inner}" width="5" height="5"/></svg>"#
        );
        assert_eq!(
            check(svg.as_bytes(), "x.svg", &mut Budget::default()).unwrap_err().code,
            Code::ImageTooLarge
        );

        let mut lol = String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a \"");
        lol.push_str(&"x".repeat(1000));
        lol.push_str("\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>");
        lol.push_str(&"&a;".repeat(5000));
        lol.push_str("</text></svg>");
        assert_eq!(
            check(lol.as_bytes(), "lol.svg", &mut Budget::default()).unwrap_err().code,
            Code::SvgTooComplex
        );

        let mut uses = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><g id="l0"><rect width="1" height="1"/></g>"#,
        );
        for level in 1..12 {
            uses.push_str(&format!("<g id=\"l{level}\">"));
            for _ in 0..10 {
                uses.push_str(&format!("<use xlink:href=\"#l{}\"/>", level - 1));
            }
            uses.push_str("</g>");
        }
        uses.push_str("</defs><use xlink:href=\"#l11\"/></svg>");
        assert_eq!(
            check(uses.as_bytes(), "uses.svg", &mut Budget::default()).unwrap_err().code,
            Code::SvgTooComplex
        );
    }

    #[test]
    fn malformed_svgs_are_named() {
        let err = check(
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect",
            "cut.svg",
            &mut Budget::default(),
        )
        .unwrap_err();
        assert_eq!(err.code, Code::ImageCorrupt);
        assert!(err.message.starts_with("`cut.svg` cannot be read"), "{}", err.message);
    }
}
