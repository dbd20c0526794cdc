//! Comparing the typeset pages of two versions, pixel by pixel.
//!
//! Pages are rendered with typst's own renderer and aligned by their
//! pixels, so that a page added early on does not make every later page
//! look different; the pages paired with a different one are the changed
//! pages. For each, the rows that
//! differ are gathered into regions, which [`picture`] marks on a
//! side-by-side image of the old and the new page.

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag, capture_diff_slices};
use tiny_skia as sk;
use typst::utils::Scalar;
use typst_layout::{Page, PagedDocument};
use typst_render::RenderOptions;

use super::Kind;

/// Pixels per point when comparing: 72 dpi finds a changed comma.
const COMPARE: f32 = 1.0;
/// Pixels per point of the pictures written: 144 dpi.
const PICTURE: f32 = 2.0;
/// Differing rows closer than this (in points) are one region.
const JOIN: usize = 14;
/// The margin drawn around a region, in points.
const PAD: f64 = 3.0;

/// A page of the report that changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageChange {
    /// `changed`, `added` or `removed`.
    pub kind: Kind,
    /// Its number in the old version (from 1); `None` for an added page.
    pub old: Option<usize>,
    /// Its number in the new version (from 1); `None` for a removed page.
    pub new: Option<usize>,
    /// The areas that differ, in points from the page's top left corner.
    pub regions: Vec<Region>,
    /// Where the side-by-side picture was written, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
}

/// A rectangle of a page, in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Region {
    /// From the page's left edge, in points.
    pub x: f64,
    /// From the page's top edge, in points.
    pub y: f64,
    /// The width, in points.
    pub width: f64,
    /// The height, in points.
    pub height: f64,
}

/// The pages that differ between two documents.
///
/// Pages are aligned by their layout first (a hash of each page's frame,
/// no rendering): pages laid out alike look alike. Only the pages between
/// are rendered, aligned again by their pixels, and those still paired
/// with a different page compared for the regions that differ; renderings
/// are not kept, so memory stays that of a page or two per core.
pub fn compare(old: &PagedDocument, new: &PagedDocument) -> Vec<PageChange> {
    let (old, new) = (old.pages(), new.pages());
    let layout = |pages: &[Page]| -> Vec<u128> {
        pages.iter().map(|p| typst::utils::hash128(&(&p.frame, &p.fill))).collect()
    };
    let mut changes = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &layout(old), &layout(new)) {
        let (tag, olds, news) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let (oh, nh) = (pixel_hashes(&old[olds.clone()]), pixel_hashes(&new[news.clone()]));
        for op in capture_diff_slices(Algorithm::Myers, &oh, &nh) {
            let (tag, o, n) = op.as_tag_tuple();
            let (o, n) = (
                o.start + olds.start..o.end + olds.start,
                n.start + news.start..n.end + news.start,
            );
            let removed = |i: usize| PageChange {
                kind: Kind::Removed,
                old: Some(i + 1),
                new: None,
                regions: vec![whole(&old[i])],
                picture: None,
            };
            let added = |j: usize| PageChange {
                kind: Kind::Added,
                old: None,
                new: Some(j + 1),
                regions: vec![whole(&new[j])],
                picture: None,
            };
            match tag {
                DiffTag::Equal => {}
                DiffTag::Delete => changes.extend(o.map(removed)),
                DiffTag::Insert => changes.extend(n.map(added)),
                DiffTag::Replace => {
                    let pairs = o.len().min(n.len());
                    for (i, j) in o.clone().zip(n.clone()) {
                        let options = options(COMPARE);
                        let (a, b) = (
                            typst_render::render(&old[i], &options),
                            typst_render::render(&new[j], &options),
                        );
                        changes.push(PageChange {
                            kind: Kind::Changed,
                            old: Some(i + 1),
                            new: Some(j + 1),
                            regions: regions(&a, &b),
                            picture: None,
                        });
                    }
                    changes.extend(o.skip(pairs).map(removed));
                    changes.extend(n.skip(pairs).map(added));
                }
            }
        }
    }
    changes
}

/// The whole of a page, in points.
fn whole(page: &Page) -> Region {
    let size = page.frame.size();
    Region { x: 0.0, y: 0.0, width: size.x.to_pt(), height: size.y.to_pt() }
}

fn options(scale: f32) -> RenderOptions {
    RenderOptions { pixel_per_pt: Scalar::new(f64::from(scale)), render_bleed: false }
}

/// A hash of each page's pixels, rendered on all cores, in order.
fn pixel_hashes(pages: &[Page]) -> Vec<u128> {
    let options = options(COMPARE);
    let hash = |page: &Page| {
        let p = typst_render::render(page, &options);
        typst::utils::hash128(&(p.width(), p.height(), p.data()))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = pages.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pages
            .chunks(chunk)
            .map(|chunk| scope.spawn(move || chunk.iter().map(hash).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The areas where two renderings differ, in points.
fn regions(old: &sk::Pixmap, new: &sk::Pixmap) -> Vec<Region> {
    let (w, h) = (old.width() as usize, old.height() as usize);
    if (w, h) != (new.width() as usize, new.height() as usize) {
        let (w, h) = (w.max(new.width() as usize), h.max(new.height() as usize));
        return vec![Region { x: 0.0, y: 0.0, width: w as f64, height: h as f64 }];
    }
    let (a, b) = (old.data(), new.data());
    // (first row, last row, leftmost, rightmost) of each band of rows.
    let mut bands: Vec<(usize, usize, usize, usize)> = Vec::new();
    for y in 0..h {
        let row = y * w * 4..(y + 1) * w * 4;
        let (ra, rb) = (&a[row.clone()], &b[row]);
        if ra == rb {
            continue;
        }
        let differs = |x: &usize| ra[x * 4..x * 4 + 4] != rb[x * 4..x * 4 + 4];
        let left = (0..w).find(differs).unwrap_or(0);
        let right = (0..w).rev().find(differs).unwrap_or(w - 1);
        match bands.last_mut() {
            Some(band) if y - band.1 <= JOIN * COMPARE as usize => {
                band.1 = y;
                band.2 = band.2.min(left);
                band.3 = band.3.max(right);
            }
            _ => bands.push((y, y, left, right)),
        }
    }
    let scale = f64::from(COMPARE);
    let (pw, ph) = (w as f64 / scale, h as f64 / scale);
    bands
        .into_iter()
        .map(|(top, bottom, left, right)| {
            let x = (left as f64 / scale - PAD).max(0.0);
            let y = (top as f64 / scale - PAD).max(0.0);
            let x2 = ((right + 1) as f64 / scale + PAD).min(pw);
            let y2 = ((bottom + 1) as f64 / scale + PAD).min(ph);
            Region { x, y, width: x2 - x, height: y2 - y }
        })
        .collect()
}

/// A PNG of the old page (left) beside the new one (right), the changed
/// regions marked on both; a page missing on one side is left grey.
pub fn picture(old: Option<&Page>, new: Option<&Page>, regions: &[Region]) -> Option<Vec<u8>> {
    let options = options(PICTURE);
    let render = |p: Option<&Page>| p.map(|p| typst_render::render(p, &options));
    let (old, new) = (render(old), render(new));
    let size = |p: &Option<sk::Pixmap>, other: &Option<sk::Pixmap>| {
        p.as_ref().or(other.as_ref()).map_or((1, 1), |p| (p.width(), p.height()))
    };
    let (ow, oh) = size(&old, &new);
    let (nw, nh) = size(&new, &old);
    let margin = (12.0 * PICTURE) as u32;
    let width = margin * 3 + ow + nw;
    let height = margin * 2 + oh.max(nh);
    let mut canvas = sk::Pixmap::new(width, height)?;
    canvas.fill(sk::Color::from_rgba8(0xd9, 0xd9, 0xd9, 0xff));
    let sides = [(margin, old, ow, oh), (margin * 2 + ow, new, nw, nh)];
    for (x, page, w, h) in &sides {
        match page {
            Some(page) => canvas.draw_pixmap(
                *x as i32,
                margin as i32,
                page.as_ref(),
                &sk::PixmapPaint::default(),
                sk::Transform::identity(),
                None,
            ),
            None => {
                let mut paint = sk::Paint::default();
                paint.set_color_rgba8(0xbf, 0xbf, 0xbf, 0xff);
                let rect = sk::Rect::from_xywh(*x as f32, margin as f32, *w as f32, *h as f32)?;
                canvas.fill_rect(rect, &paint, sk::Transform::identity(), None);
            }
        }
    }
    let mut fill = sk::Paint::default();
    fill.set_color_rgba8(0xe0, 0x1b, 0x24, 0x30);
    let mut line = sk::Paint::default();
    line.set_color_rgba8(0xe0, 0x1b, 0x24, 0xff);
    line.anti_alias = true;
    let stroke = sk::Stroke { width: 1.5 * PICTURE, ..sk::Stroke::default() };
    for (x, page, ..) in &sides {
        if page.is_none() {
            continue;
        }
        for r in regions {
            let s = f64::from(PICTURE);
            let Some(rect) = sk::Rect::from_xywh(
                (f64::from(*x) + r.x * s) as f32,
                (f64::from(margin) + r.y * s) as f32,
                (r.width * s) as f32,
                (r.height * s) as f32,
            ) else {
                continue;
            };
            canvas.fill_rect(rect, &fill, sk::Transform::identity(), None);
            let path = sk::PathBuilder::from_rect(rect);
            canvas.stroke_path(&path, &line, &stroke, sk::Transform::identity(), None);
        }
    }
    canvas.encode_png().ok()
}

/// For each page of the new version, the page of the old one it shows
/// unchanged (from 0), given the [`compare`]d changes between them.
pub fn unchanged(changes: &[PageChange], new_pages: usize) -> Vec<Option<usize>> {
    let mut same = vec![None; new_pages];
    let (mut old, mut new) = (0, 0);
    let mut pair = |old: &mut usize, new: &mut usize, run: usize| {
        for _ in 0..run {
            if let Some(slot) = same.get_mut(*new) {
                *slot = Some(*old);
            }
            *old += 1;
            *new += 1;
        }
    };
    for change in changes {
        // Pages between changes are equal, as many on either side.
        let run = match (change.old, change.new) {
            (_, Some(n)) => (n - 1).saturating_sub(new),
            (Some(o), None) => (o - 1).saturating_sub(old),
            (None, None) => 0,
        };
        pair(&mut old, &mut new, run);
        old += usize::from(change.old.is_some());
        new += usize::from(change.new.is_some());
    }
    let rest = new_pages.saturating_sub(new);
    pair(&mut old, &mut new, rest);
    same
}

/// The text of a page as laid out: the runs of a line joined by spaces,
/// lines by line breaks.
pub fn text(page: &Page) -> String {
    let mut lines = String::new();
    let mut last: Option<f64> = None;
    walk(&page.frame, typst::layout::Point::zero(), &mut |y, run| {
        match last {
            Some(at) if (at - y).abs() < 2.0 => lines.push(' '),
            Some(_) => lines.push('\n'),
            None => {}
        }
        lines.push_str(run);
        last = Some(y);
    });
    // Leaders (the dots of the contents) are a run each: one ellipsis.
    let mut text = String::with_capacity(lines.len());
    let mut dots = 0;
    for word in lines.split(' ') {
        if word == "." {
            dots += 1;
            continue;
        }
        match dots {
            0 => {}
            1 => text.push_str(". "),
            _ => text.push_str("… "),
        }
        dots = 0;
        text.push_str(word);
        text.push(' ');
    }
    text.pop();
    text
}

/// Each text run of a frame, with its baseline's distance from the top.
fn walk(frame: &typst::layout::Frame, at: typst::layout::Point, f: &mut dyn FnMut(f64, &str)) {
    use typst::layout::FrameItem;
    for (pos, item) in frame.items() {
        let pos = at + *pos;
        match item {
            FrameItem::Group(group) => walk(&group.frame, pos, f),
            FrameItem::Text(text) if !text.text.trim().is_empty() => f(pos.y.to_pt(), &text.text),
            _ => {}
        }
    }
}
