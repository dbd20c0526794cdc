//! The fonts of `fonts/`, embedded in the binary, and what they can draw.
//!
//! Typst sees these fonts and no others: reports look the same on every
//! machine, whatever fonts it has installed. The input stage asks
//! [`covers`] whether a character can print at all, so that a character no
//! font has is a warning rather than an empty box on the page.

use std::sync::LazyLock;

/// The font files, in the order they are offered to Typst.
pub const FILES: &[(&str, &[u8])] = &[
    ("NotoSans-Regular.ttf", include_bytes!("../fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../fonts/NotoSans-BoldItalic.ttf")),
    ("NotoSerif-Regular.ttf", include_bytes!("../fonts/NotoSerif-Regular.ttf")),
    ("NotoSerif-Bold.ttf", include_bytes!("../fonts/NotoSerif-Bold.ttf")),
    ("NotoSerif-Italic.ttf", include_bytes!("../fonts/NotoSerif-Italic.ttf")),
    ("NotoSerif-BoldItalic.ttf", include_bytes!("../fonts/NotoSerif-BoldItalic.ttf")),
    ("NotoSansMono-Regular.ttf", include_bytes!("../fonts/NotoSansMono-Regular.ttf")),
    ("NotoSansMono-Bold.ttf", include_bytes!("../fonts/NotoSansMono-Bold.ttf")),
];

/// The families of [`FILES`], as records name them.
pub const FAMILIES: &[&str] = &["Noto Sans", "Noto Serif", "Noto Sans Mono"];

/// The characters some font of [`FILES`] has, as sorted ranges.
static COVERAGE: LazyLock<Vec<(u32, u32)>> = LazyLock::new(|| {
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for (_, data) in FILES {
        for info in typst::text::FontInfo::iter(data) {
            let mut start = None;
            let mut last = 0;
            for c in info.coverage.iter() {
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
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{fff0}'..='\u{fff8}'
        | '\u{e0000}'..='\u{e0fff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_is_that_of_the_fonts() {
        for c in "Aé ĞŞİ ẹ̀ Ωж € – “” \u{200d}\u{fe0f}".chars() {
            assert!(covers(c), "{c:?} ({:04X})", c as u32);
        }
        for c in "ا א 中 😀".chars().filter(|c| !c.is_whitespace()) {
            assert!(!covers(c), "{c:?}");
        }
    }
}
