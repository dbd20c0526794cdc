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
