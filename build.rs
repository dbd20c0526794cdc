//! Lists what the binary embeds by folder, so that no list in the code
//! names it: the templates (`templates/*.j2`) and the built-in terms files
//! (`templates/terms/<tag>.yaml`). A file added to a folder is embedded at
//! the next build.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=templates");
    write(&out, "templates.rs", &embedded("templates", ".j2"));
    write(&out, "terms.rs", &embedded("templates/terms", ".yaml"));
    write(&out, "annex_kinds.rs", &annex_kinds());
}

/// A slice of the files of `folder` whose name ends in `ending`, in name
/// order, each as (its name, less `.yaml` for terms; its text).
fn embedded(folder: &str, ending: &str) -> String {
    let mut files: Vec<String> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("cannot read {folder}: {e}"))
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let file = entry.file_name().into_string().ok()?;
            (entry.file_type().ok()?.is_file() && file.ends_with(ending)).then_some(file)
        })
        .collect();
    // Terms files are named by their tag.
    let key = |file: &str| {
        if ending == ".yaml" { file.trim_end_matches(ending) } else { file }.to_owned()
    };
    files.sort_by_key(|file| key(file));
    let mut code = String::from("&[\n");
    for file in &files {
        let key = key(file);
        let _ = writeln!(
            code,
            "    ({key:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),",
            format!("/{folder}/{file}")
        );
    }
    code.push(']');
    code
}

fn write(out: &str, file: &str, text: &str) {
    let path = Path::new(out).join(file);
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The annex kinds, one file each in `src/kinds/annex/`: each file's
/// `register!` gives the kind's place among the kinds and its field in the
/// record, with the field's documentation and schema attributes. Written
/// out here: the modules, the record's `Annex` with one field per kind, and
/// the `kinds!` call that makes the content enum and the dispatch.
fn annex_kinds() -> String {
    let folder = "src/kinds/annex";
    println!("cargo::rerun-if-changed={folder}");
    let mut kinds: Vec<(u32, String, String, Vec<String>)> = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap_or_else(|e| panic!("cannot read {folder}: {e}")) {
        let path = entry.expect("a folder entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if stem == "mod" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a kind's file is text");
        let (order, key, attributes) = registration(&text).unwrap_or_else(|| {
            panic!("{} registers no kind: `register! {{ N => key: Type }}`", path.display())
        });
        assert_eq!(key, stem, "{}: the kind's key is its file's name", path.display());
        kinds.push((order, key, stem.to_owned(), attributes));
    }
    kinds.sort();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (_, _, stem, _) in &kinds {
        let _ = writeln!(
            code,
            "#[path = {:?}]\npub mod {stem};",
            format!("{manifest}/{folder}/{stem}.rs")
        );
    }
    code.push_str(
        "\n/// One annex: exactly one of the kinds is set.\n\
         #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]\n\
         #[serde(deny_unknown_fields)]\n\
         #[allow(missing_docs)]\n\
         pub struct Annex {\n    pub title: Option<String>,\n",
    );
    for (_, key, stem, attributes) in &kinds {
        for line in attributes {
            let _ = writeln!(code, "    {line}");
        }
        let _ = writeln!(code, "    pub {key}: Option<{stem}::Record>,");
    }
    code.push_str(
        "    /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.\n    \
         #[schemars(extend(\"x-file\" = true))]\n    \
         pub text_file: Option<crate::input::record::Spanned<String>>,\n}\n\nkinds! {\n",
    );
    for (_, key, stem, _) in &kinds {
        let _ = writeln!(code, "    {key} => {stem}::{},", camel(key));
    }
    code.push_str("}\n");
    code
}

/// The order, key and field attributes of a kind's `register!`: the lines
/// of `///` and `#[...]` before `N => key: Type`.
fn registration(text: &str) -> Option<(u32, String, Vec<String>)> {
    let start = text.find("\nregister! {\n")?;
    let mut attributes = Vec::new();
    for line in text[start..].lines().skip(2) {
        let line = line.trim();
        if line.starts_with("///") || line.starts_with("#[") {
            attributes.push(line.to_owned());
        } else {
            let (order, rest) = line.split_once("=>")?;
            let (key, _) = rest.split_once(':')?;
            return Some((order.trim().parse().ok()?, key.trim().to_owned(), attributes));
        }
    }
    None
}

/// `recommendations` → `Recommendations`.
fn camel(key: &str) -> String {
    key.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}
