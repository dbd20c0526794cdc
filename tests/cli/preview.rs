//! `preview`: the pages served, updates naming only the changed pages,
//! diagnostics in the feed, and what the server refuses.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Scratch, binary, copy_dir, root};

/// A running `preview`, killed when the test ends, however it ends.
pub struct Preview {
    child: Child,
    pub port: u16,
    stderr: mpsc::Receiver<String>,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Preview {
    /// Starts `preview PATH ARGS...` and waits for the address it prints.
    /// It runs in PATH's parent folder, given PATH's name, as staff type it.
    pub fn start(path: &Path, args: &[&str]) -> Preview {
        let mut child = Command::new(binary())
            .current_dir(path.parent().unwrap())
            .arg("preview")
            .arg(path.file_name().unwrap())
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        let url = first.trim().strip_prefix("preview at ").unwrap_or_else(|| {
            panic!("no address printed: {first:?}");
        });
        let port = url.trim_end_matches('/').rsplit(':').next().unwrap().parse().unwrap();
        assert_eq!(url, format!("http://127.0.0.1:{port}/"));
        Preview { child, port, stderr: lines }
    }

    /// `GET path` with the right Host.
    pub fn get(&self, path: &str) -> Response {
        self.request(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", self.port))
    }

    /// Sends `head` (request line and headers, each ending in CRLF).
    pub fn request(&self, head: &str) -> Response {
        request(self.port, head, "")
    }

    /// The state of the last build.
    pub fn state(&self) -> Value {
        self.get("/state").json()
    }

    /// The build event stream.
    pub fn events(&self) -> Events {
        Events::open(self.port)
    }

    /// Waits for standard error to say `wanted`.
    pub fn wait_for_line(&self, wanted: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Ok(line) =
            self.stderr.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if line.contains(wanted) {
                return line;
            }
        }
        panic!("no line with {wanted:?} within 60 s");
    }

    /// Sends Ctrl-C and waits for the process to end.
    #[cfg(unix)]
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "preview still running 10 s after Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A whole answer.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text());
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One request on its own connection, as written (no client rewrites the
/// path or the headers).
pub fn request(port: u16, head: &str, body: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let length =
        if body.is_empty() { String::new() } else { format!("Content-Length: {}\r\n", body.len()) };
    write!(stream, "{head}{length}Connection: close\r\n\r\n{body}").unwrap();
    // Read up to the end of the answer: servers may keep the connection.
    let mut raw = Vec::new();
    let mut buffer = [0; 1 << 16];
    let (split, headers, status) = loop {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0 || !raw.is_empty(), "the connection closed without an answer");
        raw.extend_from_slice(&buffer[..n]);
        if let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..split]).into_owned();
            let mut lines = head.split("\r\n");
            let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
                .collect();
            break (split, headers, status);
        }
        assert!(n > 0, "the connection closed in the headers");
    };
    let value = |name: &str| {
        headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    };
    let length: Option<usize> = value("content-length").and_then(|v| v.parse().ok());
    let chunked = value("transfer-encoding").as_deref() == Some("chunked");
    let complete = |raw: &[u8]| {
        let body = &raw[split + 4..];
        match length {
            Some(length) => body.len() >= length,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => false,
        }
    };
    while !complete(&raw) {
        let n = stream.read(&mut buffer).unwrap();
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buffer[..n]);
    }
    let mut body = raw[split + 4..].to_vec();
    if chunked {
        body = dechunk(&body);
    }
    Response { status, headers, body }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = raw.windows(2).position(|w| w == b"\r\n") else { return body };
        let size =
            usize::from_str_radix(std::str::from_utf8(&raw[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 4 + size..];
    }
}

/// The `/events` stream, read as a browser's EventSource reads it.
pub struct Events {
    lines: mpsc::Receiver<String>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(stream, "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Events { lines }
    }

    /// The next build event.
    pub fn next(&self) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Ok(line) =
            self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data).unwrap();
            }
        }
        panic!("no build event within 60 s");
    }

    /// The next build event after build `build`.
    pub fn after(&self, build: u64) -> Value {
        loop {
            let event = self.next();
            if event["build"].as_u64().unwrap() > build {
                return event;
            }
        }
    }
}

/// A copy of the 25-page sample (with its organisation's branding) in a
/// temporary folder: its path and the folder.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("egov-sdg-2022");
    copy_dir(&root().join("inputs/egov-sdg-2022"), &to);
    std::fs::copy(root().join("inputs/branding.yaml"), dir.path().join("branding.yaml")).unwrap();
    (dir, to)
}

/// Replaces `old` by `new` in a file, as an editor saves it.
pub fn edit(path: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(old), "{} has no {old:?}", path.display());
    std::fs::write(path, text.replacen(old, new, 1)).unwrap();
}

const PARAGRAPH: &str = "Innovation and continuous transformation";
const EDITED: &str = "Innovation and constant transformation";

#[test]
fn serves_the_page_and_every_page_picture_with_safe_headers() {
    let preview = Preview::start(&root().join("inputs/egov-sdg-2022"), &[]);
    let page = preview.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(page.header("X-Content-Type-Options"), Some("nosniff"));
    let policy = page.header("Content-Security-Policy").unwrap();
    assert!(
        policy.contains("default-src 'none'") && policy.contains("script-src 'sha256-"),
        "{policy}"
    );
    assert!(
        page.text().contains("<script>")
            && !page.text().contains("http://")
            && !page.text().contains("https://")
    );
    let events = preview.events();
    let state = events.next();
    assert_eq!(state["ok"], true);
    assert_eq!(state["workshop"], "egov-sdg-2022");
    assert_eq!(state["direction"], "ltr");
    let pages = state["pages"].as_array().unwrap();
    assert!(pages.len() >= 20, "{} pages", pages.len());
    assert!(pages.iter().any(|p| p["text"].as_str().unwrap().contains(PARAGRAPH)));
    for page in pages {
        let (id, format) = (page["id"].as_str().unwrap(), page["format"].as_str().unwrap());
        let picture = preview.get(&format!("/pages/{id}.{format}"));
        assert_eq!(picture.status, 200);
        assert_eq!(picture.header("X-Content-Type-Options"), Some("nosniff"));
        assert!(picture.header("Content-Security-Policy").is_some());
        match format {
            "svg" => assert!(picture.body.starts_with(b"<svg")),
            _ => assert!(picture.body.starts_with(b"\x89PNG")),
        }
    }
    // The survey's figures and the build's facts, for the side panel.
    assert!(state["tallies"].as_str().unwrap().contains("response rate 25% (8 of 32)"));
    assert_eq!(state["errors"], 0);
}

#[test]
fn an_edit_replaces_only_the_page_it_changed() {
    let (_dir, workshop) = sample_copy();
    let preview = Preview::start(&workshop, &[]);
    let events = preview.events();
    let first = events.next();
    let page = first["pages"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p["text"].as_str().unwrap().contains(PARAGRAPH))
        .unwrap();
    edit(&workshop.join("workshop.yaml"), PARAGRAPH, EDITED);
    let update = events.after(first["build"].as_u64().unwrap());
    assert_eq!(update["ok"], true);
    let changed = update["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["kind"], "changed");
    assert_eq!(changed[0]["new"], page + 1);
    assert!(!changed[0]["regions"].as_array().unwrap().is_empty());
    let (before, after) = (first["pages"].as_array().unwrap(), update["pages"].as_array().unwrap());
    assert_eq!(before.len(), after.len());
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        assert_eq!(b["id"] == a["id"], i != page, "page {}", i + 1);
    }
    assert!(after[page]["text"].as_str().unwrap().contains(EDITED));
    // A page opened now gets the same build.
    assert_eq!(preview.state()["build"], update["build"]);
    // The new picture is served; the replaced one is not any more.
    let id = after[page]["id"].as_str().unwrap();
    assert_eq!(preview.get(&format!("/pages/{id}.svg")).status, 200);
    let old = before[page]["id"].as_str().unwrap();
    assert_eq!(preview.get(&format!("/pages/{old}.svg")).status, 404);
}

const SMALL: &str = "title: Previewed\ndates: {start: 2023-05-04, end: 2023-05-04}\n\
                     chapters:\n  - {title: Background, text: First version.}\n";

#[test]
fn an_error_is_in_the_feed_with_its_line_and_clears_when_fixed() {
    let scratch = Scratch::new("w", SMALL);
    let preview = Preview::start(&scratch.path_of("w"), &[]);
    let events = preview.events();
    let good = events.next();
    assert_eq!(good["ok"], true);
    scratch.write("w/workshop.yaml", &SMALL.replace("2023-05-04, end", "2023-05-34, end"));
    let bad = events.after(good["build"].as_u64().unwrap());
    assert_eq!(bad["ok"], false);
    assert_eq!(bad["pages"], good["pages"], "the last good pages stay");
    let errors: Vec<&Value> = bad["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .collect();
    assert!(!errors.is_empty());
    let error = errors[0];
    assert!(error["file"].as_str().unwrap().ends_with("workshop.yaml"), "{error}");
    assert_eq!(error["line"], 2);
    assert!(error["column"].as_u64().unwrap() > 1);
    let location = error["location"].as_str().unwrap();
    assert!(location.ends_with(&format!("workshop.yaml:2:{}", error["column"])), "{location}");
    // As the terminal shows it: the source line quoted, the hint.
    let rendered = error["rendered"].as_str().unwrap();
    assert!(rendered.contains("2023-05-34"), "{rendered}");
    assert!(error["hint"].is_string());
    scratch.write("w/workshop.yaml", &SMALL.replace("First version.", "Second version."));
    let fixed = events.after(bad["build"].as_u64().unwrap());
    assert_eq!(fixed["ok"], true);
    assert_eq!(fixed["errors"], 0);
    assert!(fixed["diagnostics"].as_array().unwrap().is_empty());
    assert!(
        fixed["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["text"].as_str().unwrap().contains("Second version."))
    );
}

#[test]
fn refuses_other_hosts_paths_and_routes() {
    let scratch = Scratch::new("w", SMALL);
    scratch.write("secret.txt", "do not serve me");
    let preview = Preview::start(&scratch.path_of("w"), &[]);
    let port = preview.port;
    preview.wait_for_line("rebuilt");
    // DNS rebinding: another name for this address.
    for host in
        ["Host: attacker.example:{port}\r\n", "Host: 127.0.0.1\r\n", "Host: 127.0.0.1:1\r\n", ""]
    {
        let host = host.replace("{port}", &port.to_string());
        let refused = preview.request(&format!("GET /state HTTP/1.1\r\n{host}"));
        assert_eq!(refused.status, 403, "{host:?}");
        assert!(!refused.text().contains("Previewed"));
    }
    assert_eq!(
        preview.request(&format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\n")).status,
        200
    );
    // A target naming another host is for that host.
    let elsewhere =
        format!("GET http://attacker.example/state HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
    assert_eq!(preview.request(&elsewhere).status, 403);
    // No path of a URL reaches the file system.
    for path in [
        "/workshop.yaml",
        "/../secret.txt",
        "/pages/../../secret.txt",
        "/pages/..%2f..%2fsecret.txt",
        "/%2e%2e/%2e%2e/secret.txt",
        "/pages/0123456789abcdef.svg",
        "/pages/../workshop.yaml.svg",
        "/pages/.svg",
        "/state/../workshop.yaml",
        "//etc/passwd",
        "/unknown",
        "/favicon.ico",
    ] {
        let answer = preview.get(path);
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.text().contains("do not serve me") && !answer.text().contains("Previewed"));
        assert_eq!(answer.header("X-Content-Type-Options"), Some("nosniff"));
    }
    assert_eq!(
        preview.request(&format!("DELETE / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n")).status,
        405
    );
    // Only the page itself may choose the workshop.
    let select = format!(
        "POST /select HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://attacker.example\r\nX-Preview: 1\r\n"
    );
    assert_eq!(request(port, &select, "w").status, 403);
}

#[test]
fn listens_on_the_loopback_address_only() {
    let scratch = Scratch::new("w", SMALL);
    let preview = Preview::start(&scratch.path_of("w"), &[]);
    // This machine's address on its network, if it has one (no packet is sent).
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").unwrap();
    let Some(address) =
        socket.connect("10.255.255.255:9").ok().and_then(|()| socket.local_addr().ok())
    else {
        eprintln!("skipped: this machine has no address but the loopback one");
        return;
    };
    if address.ip().is_loopback() || address.ip().is_unspecified() {
        eprintln!("skipped: this machine has no address but the loopback one");
        return;
    }
    let outside =
        TcpStream::connect_timeout(&(address.ip(), preview.port).into(), Duration::from_secs(2));
    assert!(outside.is_err(), "the preview answered on {}", address.ip());
}

#[test]
fn a_folder_of_workshops_lets_the_page_pick_one() {
    let scratch = Scratch::new("first", SMALL);
    scratch.write("second/workshop.yaml", &SMALL.replace("Previewed", "The second one"));
    let preview = Preview::start(scratch.dir.path(), &[]);
    let events = preview.events();
    let state = events.next();
    assert_eq!(state["workshops"], serde_json::json!(["first", "second"]));
    assert_eq!(state["workshop"], "first");
    let port = preview.port;
    let select = format!(
        "POST /select HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nX-Preview: 1\r\n"
    );
    assert_eq!(request(port, &select, "../first").status, 404);
    assert_eq!(request(port, &select, "second").status, 204);
    let second = events.after(state["build"].as_u64().unwrap());
    assert_eq!(second["workshop"], "second");
    assert_eq!(second["current"], 1);
    assert_eq!(second["title"], "The second one");
    // Now the second is watched.
    scratch.write("second/workshop.yaml", &SMALL.replace("First version.", "Edited."));
    let edited = events.after(second["build"].as_u64().unwrap());
    assert!(
        edited["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["text"].as_str().unwrap().contains("Edited."))
    );
}

#[test]
fn an_arabic_report_reads_right_to_left() {
    let preview = Preview::start(&root().join("inputs/egov-arab-region-2023"), &[]);
    let state = preview.events().next();
    assert_eq!(state["ok"], true);
    assert_eq!(state["direction"], "rtl");
    assert!(state["language"].as_str().unwrap().starts_with("ar"));
}

#[test]
fn a_busy_port_is_an_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let scratch = Scratch::new("w", SMALL);
    let run =
        crate::support::run(&["preview", scratch.path_of("w").to_str().unwrap(), "--port", &port]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("error[serve]") && run.stderr().contains(&port),
        "{}",
        run.stderr()
    );
}

#[test]
fn not_a_workshop_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = crate::support::run(&["preview", dir.path().to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("no workshop found"), "{}", run.stderr());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_it_cleanly() {
    let scratch = Scratch::new("w", SMALL);
    let mut preview = Preview::start(&scratch.path_of("w"), &[]);
    let _events = preview.events();
    preview.wait_for_line("rebuilt");
    let status = preview.interrupt();
    assert!(status.success(), "{status:?}");
    let mut rest = Vec::new();
    while let Ok(line) = preview.stderr.recv_timeout(Duration::from_secs(5)) {
        rest.push(line);
    }
    assert!(rest.iter().any(|l| l.contains("preview stopped")), "{rest:?}");
    assert!(!rest.iter().any(|l| l.contains("panicked")), "{rest:?}");
    assert!(TcpStream::connect(("127.0.0.1", preview.port)).is_err(), "still listening");
}

#[cfg(unix)]
#[test]
fn open_hands_the_address_to_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = Scratch::new("w", SMALL);
    // A stand-in for the desktop's opener, first on the PATH.
    let bin = scratch.path_of("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let opened = scratch.path_of("opened");
    let opener = bin.join("xdg-open");
    std::fs::write(&opener, format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()))
        .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut child = Command::new(binary())
        .args(["preview", scratch.path_of("w").to_str().unwrap(), "--open"])
        .env("PATH", path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !opened.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let url = first.trim().strip_prefix("preview at ").unwrap();
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), url);
}

/// Asserts the preview still answers a plain request, within 5 s.
fn answers(preview: &Preview) {
    let started = Instant::now();
    let state = preview.state();
    assert!(state["build"].as_u64().unwrap() >= 1);
    assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
}

/// A connection that sends `text` and is then left open.
fn hold(port: u16, text: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let _ = stream.write_all(text);
    stream
}

#[test]
fn clients_that_claim_hold_or_flood_do_not_stop_it() {
    let scratch = Scratch::new("w", SMALL);
    let preview = Preview::start(&scratch.path_of("w"), &[]);
    let port = preview.port;
    preview.wait_for_line("rebuilt");
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let mut held = Vec::new();
    // Bodies claimed and never sent, of every size up to the largest.
    for length in ["5000", "1000000000000000", "18446744073709551615"] {
        for path in ["/state", "/select", "/nowhere"] {
            let head = format!("GET {path} HTTP/1.1\r\n{host}Content-Length: {length}\r\n\r\n");
            held.push(hold(port, head.as_bytes()));
        }
    }
    answers(&preview);
    // A request after an event stream on the same connection.
    held.push(hold(
        port,
        format!("GET /events HTTP/1.1\r\n{host}\r\nGET /state HTTP/1.1\r\n{host}\r\n").as_bytes(),
    ));
    // Headers sent slowly, by a hundred connections.
    for _ in 0..100 {
        held.push(hold(port, b"GET /state HTTP/1.1\r\nX-Slow: "));
    }
    answers(&preview);
    // Headers far too large: refused, not stored.
    let mut large = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let _ = write!(large, "GET /state HTTP/1.1\r\n{host}X-Large: ");
    let chunk = vec![b'a'; 1 << 16];
    let sent = (0..64).take_while(|_| large.write_all(&chunk).is_ok()).count();
    assert!(sent < 64, "4 MiB of headers taken in");
    answers(&preview);
    // Requests for other origins, even with the right Host.
    for extra in ["Origin: http://attacker.example\r\n", "Sec-Fetch-Site: cross-site\r\n"] {
        let refused = preview.request(&format!("GET /events HTTP/1.1\r\n{host}{extra}"));
        assert_eq!(refused.status, 403, "{extra}");
    }
    drop(held);
    answers(&preview);
}

#[test]
fn a_client_slow_to_send_its_headers_is_let_go() {
    let scratch = Scratch::new("w", SMALL);
    let preview = Preview::start(&scratch.path_of("w"), &[]);
    let mut slow = hold(preview.port, b"GET /state HTTP/1.1\r\n");
    slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(5) && waited < Duration::from_secs(20), "{waited:?}");
}

#[test]
fn the_organisations_branding_is_watched_too() {
    let (dir, workshop) = sample_copy();
    let preview = Preview::start(&workshop, &[]);
    let events = preview.events();
    let first = events.next();
    edit(&dir.path().join("branding.yaml"), "#1f4e79", "#7a1f1f");
    let update = events.after(first["build"].as_u64().unwrap());
    assert_eq!(update["ok"], true);
    // The colour is on the cover and every heading: most pages change.
    let changed = update["changed"].as_array().unwrap().len();
    assert!(changed > first["pages"].as_array().unwrap().len() / 2, "{changed} pages changed");
}
