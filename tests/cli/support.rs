//! A small builder for running the binary, and PDF readers for assertions.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where `inputs/` and `templates/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample workshop taken from the first seed report.
pub fn sample() -> PathBuf {
    root().join("inputs/egov-sdg-2022")
}

/// The binary under test: this build's, or the one `WORKSHOP_REPORT_BINARY`
/// names (`packaging/check.sh` runs the tests against a release build).
pub fn binary() -> PathBuf {
    std::env::var_os("WORKSHOP_REPORT_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_workshop-report")))
}

/// A finished run of the binary.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("the binary was killed by a signal")
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Asserts success and returns self.
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(
            self.code(),
            0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts the exit status and returns self.
    #[track_caller]
    pub fn status(self, code: i32) -> Self {
        assert_eq!(self.code(), code, "stdout:\n{}\nstderr:\n{}", self.stdout(), self.stderr());
        self
    }
}

/// Runs `workshop-report` with `args` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    run_with(dir, args, &[])
}

/// Runs `workshop-report` with `args` in `dir`, with environment `env`.
pub fn run_with(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    Run { output }
}

/// Runs `workshop-report` with `args` in the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

/// Builds `workshop` into a fresh folder and returns the PDF's bytes.
pub fn build(workshop: &Path) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    run(&["build", workshop.to_str().unwrap(), "--out-dir", out.path().to_str().unwrap()])
        .success();
    let name = workshop.file_name().unwrap().to_str().unwrap();
    std::fs::read(out.path().join(format!("{name}.pdf"))).unwrap()
}

/// A PDF read back.
pub struct Pdf {
    pub doc: lopdf::Document,
}

impl Pdf {
    pub fn load(bytes: &[u8]) -> Pdf {
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
        Pdf { doc: lopdf::Document::load_mem(bytes).expect("a readable PDF") }
    }

    pub fn pages(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// The text of every page, with runs of white space folded to one
    /// space, as a reader (or a search) sees it.
    pub fn text(&self) -> String {
        let pages: Vec<u32> = self.doc.get_pages().keys().copied().collect();
        let text = self.doc.extract_text(&pages).expect("extractable text");
        fold(&text)
    }

    /// The base names of fonts that are used but not embedded.
    pub fn unembedded_fonts(&self) -> Vec<String> {
        let mut missing = Vec::new();
        for object in self.doc.objects.values() {
            let Ok(dict) = object.as_dict() else { continue };
            let is_descriptor =
                dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(&b"FontDescriptor"[..]);
            if !is_descriptor {
                continue;
            }
            let embedded =
                [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| dict.has(k));
            if !embedded {
                let name = dict
                    .get(b"FontName")
                    .and_then(|n| n.as_name())
                    .map(|n| String::from_utf8_lossy(n).into_owned());
                missing.push(name.unwrap_or_default());
            }
        }
        missing
    }

    /// The PDF's bookmarks, depth first: `(depth from 1, title)`.
    pub fn bookmarks(&self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        let Ok(catalog) = self.doc.catalog() else { return out };
        let Ok(outlines) = catalog.get(b"Outlines").and_then(|o| self.resolve(o)) else {
            return out;
        };
        if let Ok(first) = outlines.as_dict().and_then(|d| d.get(b"First")) {
            self.walk(first, 1, &mut out);
        }
        out
    }

    fn walk(&self, item: &lopdf::Object, depth: usize, out: &mut Vec<(usize, String)>) {
        let mut next = Some(item.clone());
        while let Some(object) = next.take() {
            let Ok(dict) = self.resolve(&object).and_then(|o| o.as_dict()) else { break };
            if let Ok(title) = dict.get(b"Title").and_then(|t| t.as_str()) {
                out.push((depth, decode_text(title)));
            }
            if let Ok(first) = dict.get(b"First") {
                self.walk(first, depth + 1, out);
            }
            next = dict.get(b"Next").ok().cloned();
        }
    }

    fn resolve<'a>(&'a self, object: &'a lopdf::Object) -> lopdf::Result<&'a lopdf::Object> {
        match object {
            lopdf::Object::Reference(id) => self.doc.get_object(*id),
            other => Ok(other),
        }
    }

    /// The number of font descriptors (fonts used).
    pub fn font_count(&self) -> usize {
        self.doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| {
                d.get(b"Type").and_then(|t| t.as_name()).ok() == Some(&b"FontDescriptor"[..])
            })
            .count()
    }
}

/// A PDF text string: UTF-16BE after a byte-order mark, else (for the
/// ASCII these tests use) PDFDocEncoding as Latin-1.
fn decode_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Folds runs of white space to one space.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A scratch workshop folder with the given record and files.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    /// A workshop folder named `name` inside a fresh temporary folder.
    pub fn new(name: &str, record: &str) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let scratch = Scratch { dir };
        std::fs::create_dir_all(scratch.path_of(name)).unwrap();
        scratch.write(&format!("{name}/workshop.yaml"), record);
        scratch
    }

    pub fn path_of(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path_of(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Runs `workshop-report` with `args` in `dir` under limits: killed after
/// `seconds` (then `None`), and given at most `mib` MiB of address space
/// (as `ulimit -v` sets it), so that a runaway allocation fails inside the
/// tool instead of taking the machine.
pub fn run_limited(dir: &Path, args: &[&str], mib: u64, seconds: u64) -> Option<Run> {
    use std::time::{Duration, Instant};
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mib * 1024))
        .arg(env!("CARGO_BIN_EXE_workshop-report"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // Read as it comes, so that a full pipe never blocks the child.
    let read = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr is piped")));
    let deadline = started + Duration::from_secs(seconds);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    Some(Run { output })
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
