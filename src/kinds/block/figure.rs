//! A figure block: a picture of the workshop folder, numbered with its
//! caption.

use super::{Block, Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::{Area, Changes};
use crate::input::Context;
use crate::input::record::{self, Spanned};
use crate::model::Figure as Content;

register! {
    3 => figure: record::Figure
}

/// A picture.
pub struct Figure;

impl Kind for Figure {
    type Record = Record;
    type Content = Content;
    const AREA: Area = Area::Tables;

    fn check(
        figure: &Record,
        block: &Spanned<Block>,
        caption: Option<String>,
        cx: &mut Context,
    ) -> Option<Content> {
        let image = cx.image(&figure.file)?;
        let width = match &figure.width {
            Some(w) if let Some(percent) = percentage(&w.value) => percent,
            Some(w) => {
                cx.error_at(
                    w,
                    Diagnostic::error(
                        Code::InvalidWidth,
                        format!("`{}` is not a width between 1% and 100%", w.value),
                    )
                    .hint("write a percentage of the text width, e.g. `80%`"),
                );
                return None;
            }
            None => 100.0,
        };
        if caption.is_none() {
            cx.error_at(
                block,
                Diagnostic::warning(Code::FigureWithoutCaption, "the figure has no caption")
                    .hint("add `caption:` so that readers know what it shows; it is numbered then"),
            );
        }
        // On a text width of 16 cm, at most 20 cm tall (room for the
        // caption on an A4 page).
        let width = image.fitted_width(width, 20.0 / 16.0);
        Some(Content { caption, image, alt: figure.alt.clone(), width })
    }

    /// Figures matched by caption (or picture); a figure whose picture is
    /// the same under another caption is the same figure.
    fn compare(out: &mut Changes, place: &[String], old: &[&Content], new: &[&Content]) {
        crate::diff::each_block(
            out,
            place,
            "figure",
            (old, new),
            |f| f.caption.clone().unwrap_or_else(|| f.image.path.clone()),
            |o, n| o.image == n.image,
            |out, place, old, new| {
                let a = Area::Tables;
                out.value(a, place, "caption", old.caption.as_deref(), new.caption.as_deref());
                out.value(a, place, "image", Some(&old.image.path), Some(&new.image.path));
                out.value(a, place, "alternative text", old.alt.as_deref(), new.alt.as_deref());
                let width = |f: &Content| format!("{}%", f.width);
                out.value(a, place, "width", Some(&width(old)), Some(&width(new)));
            },
        );
    }

    fn paragraphs(_: &Content) -> Vec<String> {
        Vec::new()
    }

    fn volume(_: &Content) -> usize {
        // Pictures are bounded by their own budget.
        0
    }

    fn pictures(figure: &Content) -> Vec<Picture<'_>> {
        let described = figure.alt.as_deref().is_some_and(|a| !a.trim().is_empty());
        vec![Picture { image: &figure.image, described }]
    }
}

/// The number of a percentage from 1% to 100%.
fn percentage(text: &str) -> Option<f64> {
    text.trim()
        .strip_suffix('%')
        .and_then(|n| n.trim().parse::<f64>().ok())
        .filter(|n| (1.0..=100.0).contains(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_percentages() {
        assert_eq!(percentage("80%"), Some(80.0));
        assert_eq!(percentage(" 100 %"), Some(100.0));
        assert_eq!(percentage("120%"), None);
        assert_eq!(percentage("80"), None);
    }
}
