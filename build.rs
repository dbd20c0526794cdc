//! Lists what the binary holds by folder, so that no list in the code
//! names it: the templates (`templates/*.j2`), the built-in terms files
//! (`templates/terms/<tag>.yaml`), and the kinds of annex and block
//! (`src/kinds/annex/<key>.rs`, `src/kinds/block/<key>.rs`). A file added
//! to a folder is built in at the next build.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=templates");
    write(&out, "templates.rs", &embedded("templates", ".j2"));
    write(&out, "terms.rs", &embedded("templates/terms", ".yaml"));
    write(&out, "annex_kinds.rs", &annex_kinds());
    write(&out, "block_kinds.rs", &block_kinds());
    write(&out, "survey_tools.rs", &survey_tools());
    println!("cargo::rustc-env=WORKSHOP_REPORT_BUILD={}", build());
    let typst = typst_version().unwrap_or_else(|| "unknown".to_owned());
    println!("cargo::rustc-env=WORKSHOP_REPORT_TYPST={typst}");
}

/// What identifies this build: "0.1.0 (commit 0123456789ab, typst 0.15.1)",
/// the commit when built from a git checkout.
fn build() -> String {
    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let typst = typst_version().unwrap_or_else(|| "unknown".to_owned());
    match commit() {
        Some(commit) => format!("{version} (commit {commit}, typst {typst})"),
        None => format!("{version} (typst {typst})"),
    }
}

/// The typst crate's version, as Cargo.lock pins it.
fn typst_version() -> Option<String> {
    println!("cargo::rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").ok()?;
    let at = lock.find("\nname = \"typst\"\n")?;
    let rest = &lock[at..];
    let line = rest.lines().find(|l| l.starts_with("version = "))?;
    Some(line.trim_start_matches("version = ").trim_matches('"').to_owned())
}

/// The commit checked out, its first 12 digits, when built from git (the
/// build reruns when it changes).
fn commit() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git").args(args).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let commit = git(&["rev-parse", "HEAD"])?;
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.extend(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo::rerun-if-changed={path}");
    }
    Some(commit.chars().take(12).collect())
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

/// The field a Markdown `text` may come from a file by, instead.
const TEXT_FILE: &str = "    /// The Markdown text in a file of the workshop folder (`chapters/background.md`), instead of `text`.
    #[schemars(extend(\"x-file\" = true))]
    pub text_file: Option<crate::input::record::Spanned<String>>,
";

/// The annex kinds, one file each in `src/kinds/annex/`: the record's
/// `Annex` has a `title`, one field per kind, then `text_file`.
fn annex_kinds() -> String {
    let head = "/// One annex: exactly one of the kinds is set.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Annex {
    pub title: Option<String>,
";
    kinds("src/kinds/annex", head, false, TEXT_FILE)
}

/// The block kinds, one file each in `src/kinds/block/`: the record's
/// `Block` has one field per kind (`text_file` after `text`), then the
/// `caption`.
fn block_kinds() -> String {
    let head = "/// One block of a body: exactly one of the kinds is set.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Block {
";
    kinds("src/kinds/block", head, true, "    pub caption: Option<String>,\n")
}

/// The kinds of `folder`, one file each: each file's `register!` gives
/// the kind's place among the kinds and its field in the record, with the
/// field's documentation and schema attributes. Written out here: the
/// modules, the record's type (`head`, one field per kind, `tail`), and
/// the `kinds!` call that makes the content enum and the dispatch.
fn kinds(folder: &str, head: &str, text_file_after_text: bool, tail: &str) -> String {
    println!("cargo::rerun-if-changed={folder}");
    let mut kinds: Vec<(u32, String, Vec<String>)> = Vec::new();
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
        kinds.push((order, key, attributes));
    }
    kinds.sort();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (_, key, _) in &kinds {
        let path = format!("{manifest}/{folder}/{key}.rs");
        let _ = writeln!(code, "#[path = {path:?}]\npub mod {key};");
    }
    code.push('\n');
    code.push_str(head);
    for (_, key, attributes) in &kinds {
        for line in attributes {
            let _ = writeln!(code, "    {line}");
        }
        let _ = writeln!(code, "    pub {key}: Option<{key}::Record>,");
        if text_file_after_text && key == "text" {
            code.push_str(TEXT_FILE);
        }
    }
    code.push_str(tail);
    code.push_str("}\n\nkinds! {\n");
    for (_, key, _) in &kinds {
        let _ = writeln!(code, "    {key} => {key}::{},", camel(key));
    }
    code.push_str("}\n");
    code
}

/// The survey tools, one file each in `src/input/survey/tools/`: each
/// file's `register! { N => Type }` gives the tool's place in the list
/// (the order the message of known tools names them) and its type.
/// Written out here: the modules and `TOOLS`.
fn survey_tools() -> String {
    let folder = "src/input/survey/tools";
    println!("cargo::rerun-if-changed={folder}");
    let mut tools: Vec<(u32, String, String)> = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap_or_else(|e| panic!("cannot read {folder}: {e}")) {
        let path = entry.expect("a folder entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a tool's file is text");
        let Some(start) = text.find("\nregister! { ") else { continue };
        let line = text[start + 13..].lines().next().unwrap_or_default();
        let (order, rest) = line.split_once("=>").expect("`register! { N => Type }`");
        let name = rest.trim().trim_end_matches('}').trim();
        let order = order.trim().parse().expect("a tool's place is a number");
        tools.push((order, stem.to_owned(), name.to_owned()));
    }
    tools.sort();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (_, stem, _) in &tools {
        let path = format!("{manifest}/{folder}/{stem}.rs");
        let _ = writeln!(code, "#[path = {path:?}]\nmod {stem};");
    }
    code.push_str("\n/// The tools known, in the order their names are listed.\npub const TOOLS: &[&dyn Tool] = &[\n");
    for (_, stem, name) in &tools {
        let _ = writeln!(code, "    &{stem}::{name},");
    }
    code.push_str("];\n");
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
