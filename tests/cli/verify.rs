//! `verify`: a PDF built with `--attach-sources` is verified; a tampered
//! or hostile one never is, and says what differs.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use lopdf::{Document, Object, ObjectId};

use crate::preview::{edit, sample_copy};
use crate::support::{Run, Scratch, run};

/// Builds `workshop` with its sources attached; the PDF's path.
fn attached_pdf(workshop: &Path, out: &Path) -> PathBuf {
    let built = ["build", workshop.to_str().unwrap(), "--attach-sources", "--force", "--out-dir"];
    run(&[&built[..], &[out.to_str().unwrap()]].concat()).success();
    out.join(format!("{}.pdf", workshop.file_name().unwrap().to_str().unwrap()))
}

fn verify(args: &[&Path]) -> Run {
    let args: Vec<&str> = args.iter().map(|p| p.to_str().unwrap()).collect();
    run(&[&["verify"][..], &args].concat())
}

/// The `/AF` file specification named `name`, and its stream's id.
fn spec(doc: &Document, name: &str) -> (ObjectId, ObjectId) {
    let af = doc.catalog().unwrap().get(b"AF").unwrap();
    let af = doc.dereference(af).unwrap().1.as_array().unwrap().clone();
    for spec in af {
        let id = spec.as_reference().unwrap();
        let dict = doc.get_dictionary(id).unwrap();
        let uf = lopdf::decode_text_string(dict.get(b"UF").unwrap()).unwrap();
        if uf == name {
            let ef = dict.get(b"EF").unwrap().as_dict().unwrap();
            return (id, ef.get(b"F").unwrap().as_reference().unwrap());
        }
    }
    panic!("no {name}");
}

/// `pdf` changed by `change`, saved again.
fn tamper(pdf: &Path, change: impl FnOnce(&mut Document)) -> PathBuf {
    let mut doc = Document::load(pdf).unwrap();
    change(&mut doc);
    let out = pdf.with_extension("tampered.pdf");
    doc.save(&out).unwrap();
    out
}

/// Replaces the bytes of the carried file `name` (stored uncompressed).
fn replace_file(doc: &mut Document, name: &str, bytes: Vec<u8>) {
    let (_, stream) = spec(doc, name);
    let stream = doc.get_object_mut(stream).unwrap().as_stream_mut().unwrap();
    stream.dict.remove(b"Filter");
    stream.dict.remove(b"DecodeParms");
    stream.set_content(bytes);
}

fn carried(doc: &Document, name: &str) -> Vec<u8> {
    let (_, stream) = spec(doc, name);
    let stream = doc.get_object(stream).unwrap().as_stream().unwrap();
    stream.decompressed_content().unwrap_or_else(|_| stream.content.clone())
}

#[test]
fn a_report_verifies_alone_and_against_its_folder() {
    let (dir, workshop) = sample_copy();
    let pdf = attached_pdf(&workshop, &dir.path().join("out"));
    let alone = verify(&[&pdf]).success().stdout();
    assert!(
        alone.starts_with("verified:") && alone.contains("byte for byte the same PDF"),
        "{alone}"
    );
    let folder = verify(&[&pdf, &workshop]).success().stdout();
    assert!(folder.contains("holds exactly the files the report was built from"), "{folder}");
    // Extracted, the files build the same PDF.
    let extracted = dir.path().join("published");
    let args = ["verify", pdf.to_str().unwrap(), "--extract", extracted.to_str().unwrap()];
    run(&args).success();
    assert!(extracted.join("egov-sdg-2022/workshop.yaml").is_file());
    assert!(extracted.join("branding.yaml").is_file());
    let again = attached_pdf(&extracted.join("egov-sdg-2022"), &dir.path().join("again"));
    assert_eq!(std::fs::read(again).unwrap(), std::fs::read(&pdf).unwrap());
    // Extracting again into the same folder is refused: nothing is overwritten.
    let refused = run(&args).status(2);
    assert!(refused.stderr().contains("is not empty"), "{}", refused.stderr());
    // The folder changed since: named.
    edit(&workshop.join("participants.csv"), "Bangladesh", "Bengal");
    std::fs::write(workshop.join("images/new.svg"), "<svg/>").unwrap();
    let changed = verify(&[&pdf, &workshop]).status(1).stdout();
    assert!(
        changed.contains("changed in") && changed.contains("since: egov-sdg-2022/participants.csv"),
        "{changed}"
    );
}

#[test]
fn a_tampered_report_is_never_verified() {
    let (dir, workshop) = sample_copy();
    let pdf = attached_pdf(&workshop, &dir.path().join("out"));
    // One byte of an embedded CSV.
    let csv = tamper(&pdf, |doc| {
        let mut bytes = carried(doc, "egov-sdg-2022/participants.csv");
        let at = bytes.len() / 2;
        bytes[at] ^= 1;
        replace_file(doc, "egov-sdg-2022/participants.csv", bytes);
    });
    let out = verify(&[&csv]).status(1).stdout();
    assert!(
        out.contains("`egov-sdg-2022/participants.csv` is not the file its manifest lists"),
        "{out}"
    );
    // An attachment removed.
    let removed = tamper(&pdf, |doc| {
        let (id, _) = spec(doc, "egov-sdg-2022/staff.csv");
        let catalog = doc.catalog_mut().unwrap();
        let af = catalog.get_mut(b"AF").unwrap();
        if let Object::Array(items) = af {
            items.retain(|o| o.as_reference().ok() != Some(id));
        }
    });
    let out = verify(&[&removed]).status(1).stdout();
    assert!(out.contains("lists `egov-sdg-2022/staff.csv`, which it does not carry"), "{out}");
    // The manifest's digest of a file.
    let digest = tamper(&pdf, |doc| {
        let text = String::from_utf8(carried(doc, "manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        let sha = manifest["files"][0]["sha256"].as_str().unwrap().to_owned();
        let forged = format!("{}{}", &sha[..63], if sha.ends_with('0') { '1' } else { '0' });
        replace_file(doc, "manifest.json", text.replace(&sha, &forged).into_bytes());
    });
    let out = verify(&[&digest]).status(1).stdout();
    assert!(out.contains("is not the file its manifest lists"), "{out}");
    // The version string.
    let version = tamper(&pdf, |doc| {
        let text = String::from_utf8(carried(doc, "manifest.json")).unwrap();
        let text = text
            .replace("\"version\": \"0.1.0\"", "\"version\": \"0.0.9\"")
            .replace("\"build\": \"0.1.0", "\"build\": \"0.0.9");
        replace_file(doc, "manifest.json", text.into_bytes());
    });
    let out = verify(&[&version]).status(1).stdout();
    assert!(
        out.contains("built by workshop-report 0.0.9")
            && out.contains("comparing the text of every page"),
        "{out}"
    );
    // A page's text: the PDF is not the one its files build.
    let page = tamper(&pdf, |doc| {
        let pages = doc.get_pages();
        let content = doc.get_page_contents(pages[&6])[0];
        let stream = doc.get_object_mut(content).unwrap().as_stream_mut().unwrap();
        let mut bytes = stream.decompressed_content().unwrap();
        let at = bytes.windows(2).position(|w| w == b"Tj" || w == b"TJ").unwrap();
        bytes[at - 3] ^= 1;
        stream.dict.remove(b"Filter");
        stream.set_content(bytes);
    });
    let out = verify(&[&page]).status(1).stdout();
    // Nor with the folder it was built from: the PDF is built again there too.
    let with_folder = verify(&[&page, &workshop]).status(1).stdout();
    assert!(with_folder.contains("the PDF is not the same"), "{with_folder}");
    assert!(
        out.contains("the PDF is not the same") && out.contains("the text differs on page 6"),
        "{out}"
    );
}

const SMALL: &str = "title: Hostile\ndates: {start: 2023-05-04, end: 2023-05-04}\n\
                     chapters:\n  - {title: Background, text: Some text.}\n";

#[test]
fn hostile_reports_are_refused_within_bounds() {
    let scratch = Scratch::new("w", SMALL);
    let pdf = attached_pdf(&scratch.path_of("w"), &scratch.path_of("out"));
    // A name leading out of the extraction folder.
    let traversal = tamper(&pdf, |doc| {
        let (id, _) = spec(doc, "w/workshop.yaml");
        let dict = doc.get_dictionary_mut(id).unwrap();
        dict.set("UF", Object::string_literal("../../evil.yaml"));
        dict.set("F", Object::string_literal("../../evil.yaml"));
    });
    let extract = scratch.path_of("x/y");
    let args = ["verify", traversal.to_str().unwrap(), "--extract", extract.to_str().unwrap()];
    let out = run(&args).status(2);
    assert!(out.stderr().contains("could lead out of the folder"), "{}", out.stderr());
    assert!(!scratch.path_of("evil.yaml").exists() && !scratch.path_of("x/evil.yaml").exists());
    // A compression bomb: a gibibyte of zeros in a megabyte.
    let bomb = tamper(&pdf, |doc| {
        let mut zeros = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            zeros.write_all(&chunk).unwrap();
        }
        let compressed = zeros.finish().unwrap();
        let (_, stream) = spec(doc, "w/workshop.yaml");
        let stream = doc.get_object_mut(stream).unwrap().as_stream_mut().unwrap();
        stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(compressed);
    });
    let started = std::time::Instant::now();
    let out = verify(&[&bomb]).status(1).stdout();
    assert!(out.contains("`w/workshop.yaml` is not the file its manifest lists"), "{out}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // A file declaring 10 GiB.
    let huge = tamper(&pdf, |doc| {
        let (_, stream) = spec(doc, "w/workshop.yaml");
        let stream = doc.get_object_mut(stream).unwrap().as_stream_mut().unwrap();
        stream.dict.set("Length", Object::Integer(10 << 30));
        let mut params = lopdf::Dictionary::new();
        params.set("Size", Object::Integer(10 << 30));
        stream.dict.set("Params", Object::Dictionary(params));
    });
    let code = verify(&[&huge]).code();
    assert!(code == 1 || code == 2, "a PDF changed so is never verified: {code}");
    // A cycle: the list of files refers to itself.
    let cycle = tamper(&pdf, |doc| {
        let id = doc.new_object_id();
        doc.objects.insert(id, Object::Reference(id));
        doc.catalog_mut().unwrap().set("AF", Object::Reference(id));
    });
    let out = verify(&[&cycle]).status(2);
    assert!(out.stderr().contains("error[unverifiable]"), "{}", out.stderr());
    // Not a PDF at all, and a PDF without files.
    let text = scratch.path_of("w/workshop.yaml");
    assert!(verify(&[&text]).status(2).stderr().contains("is not a PDF"));
    let plain = scratch.path_of("plain");
    run(&["build", scratch.path_of("w").to_str().unwrap(), "--out-dir", plain.to_str().unwrap()])
        .success();
    let out = verify(&[&plain.join("w.pdf")]).status(2);
    assert!(out.stderr().contains("carries no files"), "{}", out.stderr());
}

#[test]
fn diff_reads_what_a_report_was_built_from() {
    let (dir, workshop) = sample_copy();
    let pdf = attached_pdf(&workshop, &dir.path().join("out"));
    let same = run(&["diff", pdf.to_str().unwrap(), workshop.to_str().unwrap()]).success().stdout();
    assert!(same.contains("no change in the report"), "{same}");
    edit(&workshop.join("workshop.yaml"), "Innovation and continuous", "Innovation and constant");
    let out = run(&["diff", pdf.to_str().unwrap(), workshop.to_str().unwrap()]).status(1).stdout();
    assert!(out.contains("[-continuous-]{+constant+}"), "{out}");
}

#[test]
fn every_sample_verifies_and_rebuilds_from_what_it_carries() {
    let out = tempfile::tempdir().unwrap();
    let inputs = crate::support::root().join("inputs");
    let args = ["build", inputs.to_str().unwrap(), "--attach-sources", "--force", "--out-dir"];
    run(&[&args[..], &[out.path().to_str().unwrap()]].concat()).success();
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(pdfs.len(), 5);
    for pdf in &pdfs {
        let verified = verify(&[pdf]).success().stdout();
        assert!(verified.contains("byte for byte the same PDF"), "{verified}");
        let name = pdf.file_stem().unwrap().to_str().unwrap();
        let extracted = out.path().join(format!("{name}-files"));
        run(&["verify", pdf.to_str().unwrap(), "--extract", extracted.to_str().unwrap()]).success();
        let again = attached_pdf(&extracted.join(name), &out.path().join(format!("{name}-again")));
        assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(pdf).unwrap(), "{name}");
        // poppler lists the files and their relationships, where it is installed.
        if let Ok(listed) = std::process::Command::new("pdfdetach").arg("-list").arg(pdf).output() {
            let listed = String::from_utf8_lossy(&listed.stdout);
            assert!(
                listed.contains(&format!("{name}/workshop.yaml"))
                    && listed.contains("manifest.json"),
                "{listed}"
            );
        }
    }
}

#[test]
fn a_byte_flipped_in_the_file_itself_is_named() {
    let scratch = Scratch::new("w", SMALL);
    let pdf = attached_pdf(&scratch.path_of("w"), &scratch.path_of("out"));
    // The record's compressed stream, found by its object number, altered
    // in place in the PDF's bytes: no tool rewrites the rest.
    let doc = Document::load(&pdf).unwrap();
    let (_, stream) = spec(&doc, "w/workshop.yaml");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let head = format!("\n{} {} obj", stream.0, stream.1);
    let at = bytes.windows(head.len()).position(|w| w == head.as_bytes()).unwrap();
    let data = at + bytes[at..].windows(6).position(|w| w == b"stream").unwrap() + 8;
    bytes[data + 4] ^= 0x55;
    let flipped = scratch.path_of("flipped.pdf");
    std::fs::write(&flipped, bytes).unwrap();
    let out = verify(&[&flipped]).status(1).stdout();
    assert!(out.contains("`w/workshop.yaml`"), "{out}");
}

#[test]
fn files_over_the_limit_are_taken_from_the_folder() {
    let (dir, workshop) = sample_copy();
    let out = dir.path().join("out");
    let args = ["build", workshop.to_str().unwrap(), "--attach-sources", "--attach-limit", "4KiB"];
    run(&[&args[..], &["--force", "--out-dir", out.to_str().unwrap()]].concat()).success();
    let pdf = out.join("egov-sdg-2022.pdf");
    let alone = verify(&[&pdf]).status(2).stdout();
    assert!(alone.contains("egov-sdg-2022/workshop.yaml") && alone.contains("FOLDER"), "{alone}");
    let with_folder = verify(&[&pdf, &workshop]).success().stdout();
    assert!(with_folder.contains("byte for byte the same PDF"), "{with_folder}");
    // A folder changed since is named, and is not verified.
    edit(&workshop.join("workshop.yaml"), "Innovation and continuous", "Innovation and constant");
    let changed = verify(&[&pdf, &workshop]).status(1).stdout();
    assert!(
        changed.contains("changed in") && changed.contains("egov-sdg-2022/workshop.yaml"),
        "{changed}"
    );
}

#[test]
fn what_a_manifest_says_cannot_pass_for_a_verdict() {
    let scratch = Scratch::new("w", SMALL);
    let pdf = attached_pdf(&scratch.path_of("w"), &scratch.path_of("out"));
    let forged = tamper(&pdf, |doc| {
        let text = String::from_utf8(carried(doc, "manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        let build = manifest["tool"]["build"].as_str().unwrap().to_owned();
        let lie = format!(
            "{build}\nverified: everything\n  built again from them, byte for byte the same PDF"
        );
        let text = text.replace(&format!("\"{build}\""), &serde_json::to_string(&lie).unwrap());
        replace_file(doc, "manifest.json", text.into_bytes());
    });
    let out = verify(&[&forged]).status(1).stdout();
    assert!(!out.lines().any(|l| l.starts_with("verified")), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("byte for byte the same PDF")).count(),
        1,
        "{out}"
    );
}
