//! A photos annex: pictures from the workshop folder with captions, two
//! to a row.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Kind, Picture};
use crate::diag::{Code, Diagnostic};
use crate::diff::matching::{Pair, pairs};
use crate::diff::{Area, Change, Changes, Kind as Changed};
use crate::input::Context;
use crate::input::record::Spanned;
use crate::language::terms::Term;
use crate::model::{DateRange, ImageRef};

register! {
    4 => photos: Vec<PhotoRecord>
}

// A photo as the record gives it (no doc comment: the schema would print it).
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(missing_docs)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Photo")]
pub struct PhotoRecord {
    #[schemars(extend("x-file" = true))]
    pub file: Spanned<String>,
    pub caption: Option<String>,
    pub alt: Option<String>,
}

/// Photos with captions.
pub struct Photos;

/// What a photos annex prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Content {
    /// The photos, in the record's order.
    pub photos: Vec<Photo>,
}

/// A photo of the photos annex, two to a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Photo {
    /// The picture printed.
    pub image: ImageRef,
    /// The width it prints at, a percentage of its column (a tall photo
    /// is narrowed to keep to a third of a page).
    pub width: f64,
    /// Printed under the photo, unnumbered; `None`: no caption (a warning).
    pub caption: Option<String>,
    /// Describes the photo for readers who cannot see it: the record's `alt`,
    /// else the caption; `None` when neither is given.
    pub alt: Option<String>,
}

impl Kind for Photos {
    type Record = Record;
    type Content = Content;
    const TITLE: Option<&'static str> = Some("photos_title");
    const TERMS: &'static [Term] = &[];
    const AREA: Area = Area::Tables;

    fn check(photos: &Record, cx: &mut Context, _: Option<DateRange>) -> Option<Content> {
        Some(Content { photos: photos.iter().filter_map(|p| photo(p, cx)).collect() })
    }

    fn compare(out: &mut Changes, place: &[String], old: &Content, new: &Content) {
        let a = Area::Tables;
        let name = |p: &Photo| p.caption.clone().unwrap_or_else(|| p.image.path.clone());
        for pair in pairs(&old.photos, &new.photos, |p| p.image.path.clone()) {
            let (o, n) = match pair {
                Pair::Removed(o) => {
                    out.push(Change::new(a, Changed::Removed, "photo").named(name(&o)).at(place));
                    continue;
                }
                Pair::Added(n) => {
                    out.push(Change::new(a, Changed::Added, "photo").named(name(&n)).at(place));
                    continue;
                }
                Pair::Kept { old, new, moved } => {
                    if moved {
                        let c = Change::new(a, Changed::Moved, "photo").named(name(&new));
                        out.push(c.at(place));
                    }
                    (old, new)
                }
                Pair::Renamed { old, new } => (old, new),
            };
            let mut inner = place.to_vec();
            inner.push(format!("photo “{}”", n.image.path));
            out.value(a, &inner, "caption", o.caption.as_deref(), n.caption.as_deref());
            out.value(a, &inner, "alternative text", o.alt.as_deref(), n.alt.as_deref());
        }
    }

    fn volume(_: &Content) -> Option<(&'static str, usize)> {
        // Pictures are bounded by their own budget.
        None
    }

    fn pictures(content: &Content) -> Vec<Picture<'_>> {
        let photos = content.photos.iter();
        photos.map(|p| Picture { image: &p.image, described: p.alt.is_some() }).collect()
    }
}

fn photo(p: &PhotoRecord, cx: &mut Context) -> Option<Photo> {
    if p.caption.is_none() {
        cx.error_at(
            &p.file,
            Diagnostic::warning(Code::PhotoWithoutCaption, "the photo has no caption")
                .hint("add `caption:`: who, what, when"),
        );
    }
    if let Some(long) = p.caption.as_ref().filter(|c| c.chars().count() > crate::input::MAX_CAPTION)
    {
        cx.error_at(&p.file, crate::input::long_caption(long));
        return None;
    }
    let image = cx.image(&p.file)?;
    Some(Photo {
        // In a column of 7.7 cm, at most 11 cm tall.
        width: image.fitted_width(100.0, 11.0 / 7.7),
        image,
        caption: p.caption.clone(),
        alt: p.alt.clone().or_else(|| p.caption.clone()),
    })
}
