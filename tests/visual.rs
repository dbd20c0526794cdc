//! Visual snapshots: every page of every sample under `inputs/`, rendered at
//! low resolution with typst's renderer and compared with the pictures
//! committed in `tests/visual/<sample>/`, so that any change of layout shows
//! in review as pictures.
//!
//! After a change of layout meant to be, regenerate them and look at them:
//!
//! ```sh
//! UPDATE_VISUAL=1 cargo test --test visual
//! ```
//!
//! Pages are compared with a small tolerance (antialiasing may differ by a
//! shade between machines); a page that differs more, or a different
//! number of pages, fails the test, and the new rendering is written to
//! `target/visual/<sample>/` beside a copy of the reference.

use std::path::{Path, PathBuf};

use image::GrayImage;
use workshop_report::{Pipeline, Settings};

/// Pixels per point: about 29 dots per inch, enough to see the layout.
const SCALE: f32 = 0.4;

/// A page may differ from its reference in this share of its pixels
/// (each by more than [`SHADE`]) and still be the same layout.
const TOLERANCE: f64 = 0.002;

/// The difference of a colour channel that counts a pixel as changed.
const SHADE: u8 = 48;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The samples: the workshop folders under `inputs/`, and the fixture of
/// long groups, short chapters and a five-question survey.
fn samples() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("inputs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("workshop.yaml").is_file())
        .collect();
    dirs.push(root().join("tests/fixtures/long-groups"));
    dirs.sort();
    dirs
}

/// Each page of the sample in `dir`, in shades of grey.
fn render(dir: &Path) -> Vec<GrayImage> {
    let pipeline = Pipeline::new(Settings::default());
    let read = pipeline.load(dir).value.expect("the sample reads");
    let compiled = pipeline.compile(read).value.expect("the sample compiles");
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(f64::from(SCALE)),
        render_bleed: false,
    };
    let grey = |p: tiny_skia::Pixmap| {
        let pixels = p
            .data()
            .chunks(4)
            .map(|c| {
                ((u32::from(c[0]) * 299 + u32::from(c[1]) * 587 + u32::from(c[2]) * 114) / 1000)
                    as u8
            })
            .collect();
        GrayImage::from_raw(p.width(), p.height(), pixels).expect("one byte a pixel")
    };
    compiled
        .typeset
        .document
        .pages()
        .iter()
        .map(|p| grey(typst_render::render(p, &options)))
        .collect()
}

/// The share of pixels of `a` and `b` that differ by more than a shade.
fn difference(a: &GrayImage, b: &GrayImage) -> f64 {
    if a.dimensions() != b.dimensions() {
        return 1.0;
    }
    let changed =
        a.as_raw().iter().zip(b.as_raw()).filter(|(x, y)| x.abs_diff(**y) > SHADE).count();
    changed as f64 / (a.width() * a.height()) as f64
}

#[test]
fn every_page_of_every_sample_looks_as_reviewed() {
    let update = std::env::var_os("UPDATE_VISUAL").is_some();
    let mut failures = Vec::new();
    for dir in samples() {
        let name = dir.file_name().unwrap().to_str().unwrap().to_owned();
        let pages = render(&dir);
        let reference = root().join("tests/visual").join(&name);
        if update {
            let _ = std::fs::remove_dir_all(&reference);
            std::fs::create_dir_all(&reference).unwrap();
            for (i, page) in pages.iter().enumerate() {
                page.save(reference.join(format!("page-{:02}.png", i + 1))).unwrap();
            }
            continue;
        }
        let count = std::fs::read_dir(&reference).map_or(0, |d| d.count());
        let out = root().join("target/visual").join(&name);
        let mut changed = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let file = reference.join(format!("page-{:02}.png", i + 1));
            let same =
                image::open(&file).is_ok_and(|r| difference(page, &r.into_luma8()) <= TOLERANCE);
            if !same {
                changed.push(i + 1);
                std::fs::create_dir_all(&out).unwrap();
                page.save(out.join(format!("page-{:02}.png", i + 1))).unwrap();
                let _ = std::fs::copy(&file, out.join(format!("page-{:02}-reference.png", i + 1)));
            }
        }
        if count != pages.len() || !changed.is_empty() {
            failures.push(format!(
                "{name}: {} pages (reference {count}), changed: {changed:?} (see target/visual/{name}/)",
                pages.len()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "layout changed; if meant, run UPDATE_VISUAL=1 cargo test --test visual and review the pictures:\n{}",
        failures.join("\n")
    );
}
