//! The fonts of `fonts/`, embedded in the binary, and what they can draw.
//!
//! Typst sees these fonts and no others: reports look the same on every
//! machine, whatever fonts it has installed. The input stage asks
//! [`covers`] whether a character can print at all, so that a character no
//! font has is a warning rather than an empty box on the page.

use std::sync::{LazyLock, Mutex, OnceLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};

/// How a font file is kept in the binary.
#[derive(Debug, Clone, Copy)]
pub enum Data {
    /// As it is.
    Plain(&'static [u8]),
    /// Compressed with zstd (level 19): the large CJK collections,
    /// decompressed only when a document uses one of their faces.
    Zstd(&'static [u8]),
}

/// The font files, in the order they are offered to Typst.
pub const FILES: &[(&str, Data)] = &[
    ("NotoSans-Regular.ttf", Data::Plain(include_bytes!("../../fonts/NotoSans-Regular.ttf"))),
    ("NotoSans-Bold.ttf", Data::Plain(include_bytes!("../../fonts/NotoSans-Bold.ttf"))),
    ("NotoSans-Italic.ttf", Data::Plain(include_bytes!("../../fonts/NotoSans-Italic.ttf"))),
    ("NotoSans-BoldItalic.ttf", Data::Plain(include_bytes!("../../fonts/NotoSans-BoldItalic.ttf"))),
    ("NotoSerif-Regular.ttf", Data::Plain(include_bytes!("../../fonts/NotoSerif-Regular.ttf"))),
    ("NotoSerif-Bold.ttf", Data::Plain(include_bytes!("../../fonts/NotoSerif-Bold.ttf"))),
    ("NotoSerif-Italic.ttf", Data::Plain(include_bytes!("../../fonts/NotoSerif-Italic.ttf"))),
    (
        "NotoSerif-BoldItalic.ttf",
        Data::Plain(include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf")),
    ),
    (
        "NotoSansMono-Regular.ttf",
        Data::Plain(include_bytes!("../../fonts/NotoSansMono-Regular.ttf")),
    ),
    ("NotoSansMono-Bold.ttf", Data::Plain(include_bytes!("../../fonts/NotoSansMono-Bold.ttf"))),
    (
        "NotoNaskhArabic-Regular.ttf",
        Data::Plain(include_bytes!("../../fonts/NotoNaskhArabic-Regular.ttf")),
    ),
    (
        "NotoNaskhArabic-Bold.ttf",
        Data::Plain(include_bytes!("../../fonts/NotoNaskhArabic-Bold.ttf")),
    ),
    (
        "NotoSansHebrew-Regular.ttf",
        Data::Plain(include_bytes!("../../fonts/NotoSansHebrew-Regular.ttf")),
    ),
    ("NotoSansHebrew-Bold.ttf", Data::Plain(include_bytes!("../../fonts/NotoSansHebrew-Bold.ttf"))),
    (
        "NotoSansCJK-Regular.ttc",
        Data::Zstd(include_bytes!("../../fonts/NotoSansCJK-Regular.ttc.zst")),
    ),
    ("NotoSansCJK-Bold.ttc", Data::Zstd(include_bytes!("../../fonts/NotoSansCJK-Bold.ttc.zst"))),
];

/// What each face of [`FILES`] is (its family, style, weight and the
/// characters it covers), read from the fonts once and kept in
/// `fonts/index.json`, so that a report knows every face without
/// decompressing any. A test checks it against the fonts.
pub const INDEX_JSON: &str = include_str!("../../fonts/index.json");

/// A face of [`FILES`]: the file and the face's index in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Face {
    /// The file's name in [`FILES`].
    pub file: String,
    /// The face's index in the file (a collection holds several).
    pub index: u32,
    /// What the face is.
    pub info: FontInfo,
}

/// Every face of [`FILES`], in order: what `fonts/index.json` says.
pub fn faces() -> &'static [Face] {
    static FACES: LazyLock<Vec<Face>> =
        LazyLock::new(|| serde_json::from_str(INDEX_JSON).unwrap_or_default());
    &FACES
}

/// The faces of the font files, read from the files themselves (slow: the
/// CJK collections are decompressed); for `fonts/index.json`.
pub fn read_faces() -> Vec<Face> {
    let mut out = Vec::new();
    for (i, (name, _)) in FILES.iter().enumerate() {
        let Some(bytes) = file_bytes(i) else { continue };
        for (index, info) in FontInfo::iter(&bytes).enumerate() {
            out.push(Face { file: (*name).to_owned(), index: index as u32, info });
        }
    }
    out
}

/// The bytes of file `i` of [`FILES`], decompressed once per process.
/// A file that cannot be decompressed (memory ran out) is not tried again:
/// each time it is asked for, it is noted for [`failures`].
pub fn file_bytes(i: usize) -> Option<Bytes> {
    static CACHE: LazyLock<Vec<OnceLock<Result<Bytes, String>>>> =
        LazyLock::new(|| FILES.iter().map(|_| OnceLock::new()).collect());
    let slot = CACHE.get(i)?.get_or_init(|| match FILES[i].1 {
        Data::Plain(bytes) => Ok(Bytes::new(bytes)),
        Data::Zstd(compressed) => {
            unzstd(compressed).map(Bytes::new).map_err(|e| format!("{}: {e}", FILES[i].0))
        }
    });
    match slot {
        Ok(bytes) => Some(bytes.clone()),
        Err(why) => {
            let mut failed = FAILED.lock().unwrap_or_else(|e| e.into_inner());
            if !failed.contains(why) {
                failed.push(why.clone());
            }
            None
        }
    }
}

/// Decompresses an embedded zstd file in one allocation of the size its
/// frame header gives.
fn unzstd(compressed: &[u8]) -> std::io::Result<Vec<u8>> {
    let size = zstd::zstd_safe::get_frame_content_size(compressed)
        .ok()
        .flatten()
        .and_then(|size| usize::try_from(size).ok())
        .ok_or_else(|| std::io::Error::other("the compressed font does not give its size"))?;
    zstd::bulk::decompress(compressed, size)
}

/// The fonts that could not be loaded since the last call, and why: a
/// text set in them would print as empty boxes.
pub fn failures() -> Vec<String> {
    std::mem::take(&mut *FAILED.lock().unwrap_or_else(|e| e.into_inner()))
}

static FAILED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The face `face` of [`faces`], loaded (and its file decompressed) on
/// first use.
pub fn load(face: usize) -> Option<Font> {
    static CACHE: LazyLock<Vec<OnceLock<Font>>> =
        LazyLock::new(|| faces().iter().map(|_| OnceLock::new()).collect());
    let slot = CACHE.get(face)?;
    if let Some(font) = slot.get() {
        return Some(font.clone());
    }
    let info = &faces()[face];
    let file = FILES.iter().position(|(name, _)| *name == info.file)?;
    let font = Font::new(file_bytes(file)?, info.index)?;
    Some(slot.get_or_init(|| font).clone())
}

/// The families of the bundled fonts, as records name them.
pub fn families() -> Vec<&'static str> {
    let mut families: Vec<&'static str> = Vec::new();
    for face in faces() {
        let family = face.info.family.as_str();
        if !families.contains(&family) {
            families.push(family);
        }
    }
    families
}

/// The characters some face of [`FILES`] has, as sorted ranges.
static COVERAGE: LazyLock<Vec<(u32, u32)>> = LazyLock::new(|| {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for face in faces() {
        let mut start = None;
        let mut last = 0;
        for c in face.info.coverage.iter() {
            match start {
                Some(_) if c == last + 1 => {}
                Some(s) => {
                    ranges.push((s, last));
                    start = Some(c);
                }
                None => start = Some(c),
            }
            last = c;
        }
        if let Some(s) = start {
            ranges.push((s, last));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1.saturating_add(1) => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
});

/// Whether `c` prints: some bundled font draws it, or it is white space or
/// an invisible character that needs no glyph (joiners, marks of
/// direction, variation selectors, soft hyphens).
pub fn covers(c: char) -> bool {
    if c.is_whitespace() || c.is_control() || invisible(c) {
        return true;
    }
    let c = c as u32;
    let ranges = &*COVERAGE;
    let i = ranges.partition_point(|&(s, _)| s <= c);
    i > 0 && ranges[i - 1].1 >= c
}

/// Characters that print as nothing, with or without a glyph.
pub fn invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{fff0}'..='\u{fff8}'
        | '\u{e0000}'..='\u{e0fff}')
}

/// The CJK families of the bundled CJK fonts, by the script or region
/// they are drawn for.
const CJK: [(&str, &str); 5] = [
    ("Hans", "Noto Sans CJK SC"),
    ("Hant", "Noto Sans CJK TC"),
    ("HK", "Noto Sans CJK HK"),
    ("Jpan", "Noto Sans CJK JP"),
    ("Kore", "Noto Sans CJK KR"),
];

/// Whether `script` (ISO 15924) is written with CJK characters.
pub fn is_cjk(script: &str) -> bool {
    matches!(script, "Hans" | "Hant" | "Jpan" | "Kore" | "Hani")
}

/// The families after a report's own font, for the characters it lacks:
/// Arabic, Hebrew, then the CJK family of the report's script (and
/// region) before the others, so that a character shared by Chinese,
/// Japanese and Korean takes the form its readers expect.
pub fn fallbacks(script: &str, region: Option<&str>) -> Vec<&'static str> {
    let mut out = vec!["Noto Naskh Arabic", "Noto Sans Hebrew"];
    let first = match (script, region) {
        ("Hant", Some("HK" | "MO")) => "HK",
        (script, _) => script,
    };
    out.extend(CJK.iter().filter(|(k, _)| *k == first).map(|(_, f)| *f));
    out.extend(CJK.iter().filter(|(k, _)| *k != first).map(|(_, f)| *f));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_that_of_the_fonts() {
        for c in "Aé ĞŞİ ẹ̀ Ωж € – “” \u{200d}\u{fe0f}".chars() {
            assert!(covers(c), "{c:?} ({:04X})", c as u32);
        }
        for c in "ا א 中 한 あ".chars().filter(|c| !c.is_whitespace()) {
            assert!(covers(c), "{c:?}");
        }
        for c in "😀 ก ᐁ".chars().filter(|c| !c.is_whitespace()) {
            assert!(!covers(c), "{c:?}");
        }
    }

    /// `fonts/index.json` says what the fonts are: regenerate it with
    /// `UPDATE_FONT_INDEX=1 cargo test --lib font_index` after changing them.
    #[test]
    fn font_index_is_that_of_the_fonts() {
        let read = read_faces();
        if std::env::var_os("UPDATE_FONT_INDEX").is_some() {
            let mut json = serde_json::to_string(&read).unwrap();
            json.push('\n');
            std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/index.json"), json).unwrap();
            return;
        }
        assert!(read == faces(), "fonts/index.json is out of date: regenerate it (see this test)");
    }
}
