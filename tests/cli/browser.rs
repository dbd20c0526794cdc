//! `preview` in a real browser: headless Chromium, driven through
//! ChromeDriver's WebDriver protocol (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them when missing). Without them
//! the test says why and passes, unless `REQUIRE_BROWSER=1`.
//!
//! Its screenshots are kept in `target/preview/`; docs/preview.md shows one.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::preview::{Preview, edit, request, sample_copy};
use crate::support::root;

const PARAGRAPH: &str = "Innovation and continuous transformation";
const EDITED: &str = "Innovation and constant transformation";

/// A program from the environment variable `variable`, or the first of
/// `names` found on the PATH.
fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// ChromeDriver, stopped when the test ends.
struct Driver {
    child: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", "", Value::Null);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(chromium: &PathBuf, chromedriver: &PathBuf) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let profile = tempfile::tempdir().unwrap();
        let mut driver = Driver { child, port, session: String::new(), _profile: profile };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "ChromeDriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        // The flags keep a headless Chromium off the network and quiet.
        let profile = driver._profile.path().to_str().unwrap().to_owned();
        let options = json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--window-size=1400,900", format!("--user-data-dir={profile}")],
        });
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": options}}});
        let created = driver.call("POST", "/session", capabilities);
        driver.session = created["sessionId"].as_str().expect("no session").to_owned();
        driver
    }

    /// A WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let path = match path {
            "/session" => path.to_owned(),
            _ => format!("/session/{}{path}", self.session),
        };
        let body = if body.is_null() { String::new() } else { body.to_string() };
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n",
            self.port
        );
        let answer = request(self.port, &head, &body);
        let value: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
        assert_eq!(answer.status, 200, "{method} {path}: {value}");
        value.get("value").cloned().unwrap_or(Value::Null)
    }

    fn script(&self, code: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": code, "args": []}))
    }

    /// Waits until `code` returns true.
    fn until(&self, what: &str, code: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.script(code) != json!(true) {
            assert!(Instant::now() < deadline, "not within 60 s: {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        self.call("POST", "/actions", actions);
    }

    /// Saves a screenshot of the window as `target/preview/<name>.png`.
    fn screenshot(&self, name: &str) -> PathBuf {
        use base64::Engine as _;
        let png = self.call("GET", "/screenshot", Value::Null);
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(png.as_str().unwrap()).unwrap();
        assert!(bytes.starts_with(b"\x89PNG"));
        let dir = root().join("target/preview");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

#[test]
fn a_save_updates_the_page_in_place_and_an_error_appears_in_the_panel() {
    let (Some(chromium), Some(chromedriver)) = (
        program("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"]),
        program("CHROMEDRIVER", &["chromedriver"]),
    ) else {
        let why = "skipped: no Chromium and ChromeDriver here (Debian: apt-get install chromium chromium-driver)";
        assert!(std::env::var_os("REQUIRE_BROWSER").is_none(), "{why}");
        eprintln!("{why}");
        return;
    };
    let (_dir, workshop) = sample_copy();
    let preview = Preview::start(&workshop, &[]);
    let driver = Driver::start(&chromium, &chromedriver);
    driver.call("POST", "/url", json!({"url": format!("http://127.0.0.1:{}/", preview.port)}));

    // The first page is shown, in the window.
    driver.until(
        "the first page drawn",
        "const img = document.querySelector('#page-1 img'); \
         return !!img && img.complete && img.naturalWidth > 0 && \
                img.getBoundingClientRect().top < window.innerHeight;",
    );
    let total = driver.script("return document.querySelectorAll('#pages .page').length;");
    assert!(total.as_u64().unwrap() >= 20, "{total}");
    assert_eq!(
        driver.script("return document.title;"),
        json!("New Approaches to E-Government for SDG Implementation · preview")
    );

    // Scroll to the page to be edited; the save replaces it in place.
    let page = driver.script(&format!(
        "return Array.from(document.querySelectorAll('#pages .page img')).findIndex(i => i.alt.includes('{PARAGRAPH}')) + 1;"
    ));
    let page = page.as_u64().unwrap();
    assert!(page > 1);
    driver.script(&format!(
        "window.notReloaded = true; document.getElementById('page-{page}').scrollIntoView(); window.scrollBy(0, -20);"
    ));
    std::thread::sleep(Duration::from_millis(300));
    let before = driver.script(
        "return {y: window.scrollY, build: Number(document.body.dataset.build), \
         src: Array.from(document.querySelectorAll('#pages img')).map(i => i.getAttribute('src'))};",
    );
    assert!(before["y"].as_f64().unwrap() > 1000.0, "{before}");
    edit(&workshop.join("workshop.yaml"), PARAGRAPH, EDITED);
    driver.until(
        "the page updated",
        &format!("return Number(document.body.dataset.build) > {};", before["build"]),
    );
    driver.until(
        "the new picture drawn",
        &format!("const img = document.querySelector('#page-{page} img'); return img.complete && img.naturalWidth > 0;"),
    );
    let after = driver.script(&format!(
        "return {{y: window.scrollY, notReloaded: window.notReloaded === true, \
         text: document.querySelector('#page-{page} img').alt, \
         marked: document.querySelectorAll('#page-{page} .mark').length, \
         status: document.getElementById('status').textContent, \
         src: Array.from(document.querySelectorAll('#pages img')).map(i => i.getAttribute('src'))}};"
    ));
    assert_eq!(after["notReloaded"], true, "the page was reloaded: {after}");
    assert_eq!(after["y"], before["y"], "the scroll position moved");
    assert!(after["text"].as_str().unwrap().contains(EDITED), "{after}");
    assert!(after["marked"].as_u64().unwrap() >= 1, "the change is not marked: {after}");
    assert!(
        after["status"].as_str().unwrap().contains(&format!("changed: page {page}")),
        "{after}"
    );
    // Only that page's picture was replaced.
    let (old, new) = (before["src"].as_array().unwrap(), after["src"].as_array().unwrap());
    let replaced: Vec<usize> =
        (0..old.len()).filter(|&i| old[i] != new[i]).map(|i| i + 1).collect();
    assert_eq!(replaced, vec![page as usize]);
    driver.screenshot("changed");

    // Keyboard: the next page, with a visible focus.
    driver.script("document.getElementById('page-1').focus();");
    driver.press("j");
    let focus = driver.script(
        "const e = document.activeElement; return {id: e.id, outline: getComputedStyle(e).outlineStyle};",
    );
    assert_eq!(focus["id"], "page-2", "{focus}");
    assert_ne!(focus["outline"], "none", "{focus}");

    an_error_shows_over_the_last_good_pages(&driver, &workshop, &total);
}

/// An error: in the panel with its file and line, over the dimmed pages;
/// then fixed.
fn an_error_shows_over_the_last_good_pages(
    driver: &Driver,
    workshop: &std::path::Path,
    total: &Value,
) {
    let record = workshop.join("workshop.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    std::fs::write(&record, text.replacen("start: 2022-03-15", "start: 2022-03-35", 1)).unwrap();
    driver.until(
        "the error shown",
        "return document.querySelectorAll('#problems .diag.error').length > 0;",
    );
    let shown = driver.script(
        "return {failed: document.body.classList.contains('failed'), \
         location: document.querySelector('#problems .diag.error .location').textContent, \
         banner: document.getElementById('banner').getBoundingClientRect().height, \
         pages: document.querySelectorAll('#pages .page').length};",
    );
    assert_eq!(shown["failed"], true, "{shown}");
    assert!(shown["location"].as_str().unwrap().contains("workshop.yaml:"), "{shown}");
    assert!(shown["banner"].as_f64().unwrap() > 0.0, "{shown}");
    assert_eq!(&shown["pages"], total, "the last good pages stay");
    driver.until(
        "the last good pages dimmed",
        "return Number(getComputedStyle(document.querySelector('#page-1')).opacity) < 0.5;",
    );
    // `e` moves to the problem.
    driver.press("e");
    let focused = driver.script("return document.activeElement.classList.contains('diag');");
    assert_eq!(focused, true);
    driver.script("window.scrollTo(0, 0);");
    std::thread::sleep(Duration::from_millis(300));
    driver.screenshot("error");

    std::fs::write(&record, text).unwrap();
    driver.until("the error cleared", "return !document.body.classList.contains('failed');");
}
