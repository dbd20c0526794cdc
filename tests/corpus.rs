//! The corpus of bad inputs under tests/errors/: one workshop folder per
//! mistake, named err_<what>, each its own test case (`cargo test --test
//! corpus err_logo`), so that one failure hides no other.
//!
//! Each must fail `check` and `build` with status 1 (never a panic), name a
//! file of the case, report the mistake its `expect.txt` names as an input
//! problem (never as a template or typesetter error), print no raw control
//! character, leave no PDF behind, and keep its diagnostics as reviewed (a
//! snapshot: message, file, line, hint; `INSTA_UPDATE=always` rewrites).

use std::path::{Path, PathBuf};
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test: this build's, or the one `WORKSHOP_REPORT_BINARY`
/// names (`packaging/check.sh` runs the corpus against a release build).
fn run(args: &[&str]) -> std::process::Output {
    let binary = std::env::var_os("WORKSHOP_REPORT_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_workshop-report")));
    Command::new(binary)
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// A character no output of the tool may hold raw: control characters
/// other than line breaks and tabs, and bidirectional controls.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\n' | '\t'))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

fn case(name: &str) -> Result<(), Failed> {
    let dir = format!("tests/errors/{name}");
    let expect = std::fs::read_to_string(root().join(&dir).join("expect.txt"))
        .map_err(|e| format!("{dir}/expect.txt: {e}"))?;
    let expect = expect.trim();

    let check = run(&["check", &dir]);
    let stderr = String::from_utf8_lossy(&check.stderr).into_owned();
    let code = check.status.code();
    if code != Some(1) {
        return Err(format!("check exited with {code:?}, not 1\n{stderr}").into());
    }
    if !stderr.contains(expect) {
        return Err(format!("expected {expect:?} in\n{stderr}").into());
    }
    if !stderr.contains(&format!("{dir}/")) {
        return Err(format!("no file of the case is named\n{stderr}").into());
    }
    for later in ["error[typst]", "error[template]", "<built-in>", "<generated>"] {
        if stderr.contains(later) {
            return Err(format!("an input problem reported as {later}\n{stderr}").into());
        }
    }
    if let Some(c) = raw_control(&stderr) {
        return Err(format!("a raw U+{:04X} in the output\n{stderr}", c as u32).into());
    }

    let out = tempfile::tempdir().map_err(|e| e.to_string())?;
    let build = run(&["build", &dir, "--out-dir", out.path().to_str().unwrap_or_default()]);
    if build.status.code() != Some(1) {
        return Err(format!("build exited with {:?}, not 1", build.status.code()).into());
    }
    let left: Vec<_> = std::fs::read_dir(out.path()).map_err(|e| e.to_string())?.collect();
    if !left.is_empty() {
        return Err(format!("a failed build left files behind: {left:?}").into());
    }

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/cli/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_input_file(root().join(&dir).join("workshop.yaml"));
    let snapshot = format!("cli__errors__{name}");
    // A difference panics, which fails this case alone.
    settings.bind(|| insta::assert_snapshot!(snapshot.as_str(), stderr.as_str()));
    Ok(())
}

fn cases(corpus: &Path) -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(corpus)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("err_"))
                .collect()
        })
        .unwrap_or_default();
    cases.sort();
    cases
}

fn main() {
    let args = Arguments::from_args();
    let cases = cases(&root().join("tests/errors"));
    let mut trials: Vec<Trial> = cases
        .iter()
        .map(|name| {
            let name = name.clone();
            Trial::test(name.clone(), move || case(&name))
        })
        .collect();
    let count = cases.len();
    trials.push(Trial::test("the_corpus_holds_150_cases", move || {
        if count >= 150 { Ok(()) } else { Err(format!("the corpus holds {count} cases").into()) }
    }));
    libtest_mimic::run(&args, trials).exit();
}
