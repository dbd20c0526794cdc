//! The fonts of `fonts/`, embedded in the binary.
//!
//! Typst sees these fonts and no others: reports look the same on every
//! machine, whatever fonts it has installed.

/// The font files, in the order they are offered to Typst.
pub const FILES: &[(&str, &[u8])] = &[
    ("NotoSans-Regular.ttf", include_bytes!("../../fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../../fonts/NotoSans-BoldItalic.ttf")),
    ("NotoSerif-Regular.ttf", include_bytes!("../../fonts/NotoSerif-Regular.ttf")),
    ("NotoSerif-Bold.ttf", include_bytes!("../../fonts/NotoSerif-Bold.ttf")),
    ("NotoSerif-Italic.ttf", include_bytes!("../../fonts/NotoSerif-Italic.ttf")),
    ("NotoSerif-BoldItalic.ttf", include_bytes!("../../fonts/NotoSerif-BoldItalic.ttf")),
    ("NotoSansMono-Regular.ttf", include_bytes!("../../fonts/NotoSansMono-Regular.ttf")),
    ("NotoSansMono-Bold.ttf", include_bytes!("../../fonts/NotoSansMono-Bold.ttf")),
];

/// The families of [`FILES`], as records name them.
pub const FAMILIES: &[&str] = &["Noto Sans", "Noto Serif", "Noto Sans Mono"];
