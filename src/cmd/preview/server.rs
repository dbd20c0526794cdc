//! The preview's HTTP server: loopback only, a fixed set of routes served
//! from memory (no path of a URL ever reaches the file system), and the
//! builds pushed to open pages as server-sent events.
//!
//! It is `tiny_http`: synchronous, so the preview needs no async runtime,
//! with four small dependencies (docs/preview.md says why not axum or
//! typst-kit). Requests are answered on one thread from
//! what the last build left; each open page's event stream has a thread of
//! its own, and their number is bounded.

use std::io::{Read as _, Write as _};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use base64::Engine as _;
use serde::Serialize;
use sha2::Digest as _;
use tiny_http::{Header, Method, Request, Response};

use super::Message;
use super::session::{PageView, Update};

/// The page: one file, its style and script inside.
const PAGE: &str = include_str!("page.html");
/// At most this many pages may follow the builds at once.
const STREAMS: usize = 16;
/// An event stream with nothing to say says so this often (a comment
/// line), which also finds out when the page has gone.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// The longest body a request may have (`/select` names a workshop).
const BODY: u64 = 4096;

/// The running server.
pub struct Server {
    http: Arc<tiny_http::Server>,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

/// What the request thread and the build loop share.
struct Shared {
    /// The last build's JSON and pages.
    current: RwLock<Current>,
    /// The open event streams.
    streams: Mutex<Vec<mpsc::SyncSender<Arc<str>>>>,
    open: AtomicUsize,
    port: u16,
    workshops: Vec<String>,
    commands: Mutex<mpsc::Sender<Message>>,
    /// The Content-Security-Policy of the page: its own style and script
    /// (by digest), pictures and requests to this server, nothing else.
    policy: String,
}

#[derive(Default)]
struct Current {
    json: Arc<str>,
    pages: Vec<PageView>,
}

/// The JSON of a build: the update and the workshops to pick from.
#[derive(Serialize)]
struct State<'a> {
    workshops: &'a [String],
    #[serde(flatten)]
    update: &'a Update,
}

impl Server {
    /// Binds to 127.0.0.1 (`port`, or a free one) and starts answering.
    pub fn start(
        port: Option<u16>,
        workshops: Vec<String>,
        commands: mpsc::Sender<Message>,
    ) -> std::io::Result<Server> {
        let http = tiny_http::Server::http(("127.0.0.1", port.unwrap_or(0)))
            .map_err(std::io::Error::other)?;
        let port = http.server_addr().to_ip().map_or(0, |a| a.port());
        let http = Arc::new(http);
        let shared = Arc::new(Shared {
            current: RwLock::new(Current::default()),
            streams: Mutex::new(Vec::new()),
            open: AtomicUsize::new(0),
            port,
            workshops,
            commands: Mutex::new(commands),
            policy: policy(),
        });
        let thread = {
            let (http, shared) = (http.clone(), shared.clone());
            std::thread::spawn(move || {
                for request in http.incoming_requests() {
                    answer(request, &shared);
                }
            })
        };
        Ok(Server { http, shared, thread: Some(thread), port })
    }

    /// The address to open.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Makes a build what is served, and sends it to the open pages.
    pub fn publish(&self, update: &Update, pages: &[PageView]) {
        let state = State { workshops: &self.shared.workshops, update };
        let json: Arc<str> = Arc::from(serde_json::to_string(&state).unwrap_or_default());
        {
            let mut current = self.shared.current.write().unwrap_or_else(|e| e.into_inner());
            current.json = json.clone();
            current.pages = pages.to_vec();
        }
        let mut streams = self.shared.streams.lock().unwrap_or_else(|e| e.into_inner());
        // A stream too far behind to take one more build, or gone, is dropped.
        streams.retain(|stream| stream.try_send(json.clone()).is_ok());
    }

    /// Stops answering; the open streams end.
    pub fn stop(mut self) {
        self.http.unblock();
        self.shared.streams.lock().unwrap_or_else(|e| e.into_inner()).clear();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The policy of the page: its style and script are allowed by their
/// SHA-256, so nothing injected into it could run.
fn policy() -> String {
    let digest = |open: &str, close: &str| {
        let start = PAGE.find(open).map_or(0, |i| i + open.len());
        let end = PAGE[start..].find(close).map_or(start, |i| start + i);
        let hash = sha2::Sha256::digest(&PAGE.as_bytes()[start..end]);
        format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(hash))
    };
    format!(
        "default-src 'none'; script-src {}; style-src {}; img-src 'self'; connect-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        digest("<script>", "</script>"),
        digest("<style>", "</style>"),
    )
}

fn answer(request: Request, shared: &Arc<Shared>) {
    if !from_here(&request, shared.port) {
        let text = format!(
            "This preview answers only to http://127.0.0.1:{}/ (the Host header named another).\n",
            shared.port
        );
        return respond(request, 403, "text/plain; charset=utf-8", text.into_bytes(), None);
    }
    // The path alone: a query string changes nothing.
    let path = request.url().split(['?', '#']).next().unwrap_or("").to_owned();
    let method = request.method().clone();
    match (&method, path.as_str()) {
        (Method::Get | Method::Head, "/") => {
            let policy = shared.policy.clone();
            respond(request, 200, "text/html; charset=utf-8", PAGE.into(), Some(&policy));
        }
        (Method::Get | Method::Head, "/state") => {
            let json = shared.current.read().unwrap_or_else(|e| e.into_inner()).json.clone();
            respond(request, 200, "application/json", json.as_bytes().to_vec(), None);
        }
        (Method::Get, "/events") => stream(request, shared),
        (Method::Post, "/select") => select(request, shared),
        (Method::Get | Method::Head, p) if page_id(p).is_some() => {
            let (id, format) = page_id(p).unwrap_or_default();
            let picture = shared
                .current
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .pages
                .iter()
                .find(|page| page.id == id && page.format == format)
                .map(|page| page.picture.clone());
            let kind = if format == "svg" { "image/svg+xml" } else { "image/png" };
            match picture {
                Some(picture) => respond(request, 200, kind, picture.to_vec(), Some(SVG_POLICY)),
                None => not_found(request),
            }
        }
        (_, "/" | "/state" | "/events" | "/select") => {
            respond(
                request,
                405,
                "text/plain; charset=utf-8",
                b"Method not allowed\n".into(),
                None,
            );
        }
        _ => not_found(request),
    }
}

/// The policy of a page's picture: its own pictures (inline) and styles.
const SVG_POLICY: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/// The id and format of `/pages/<id>.svg` or `.png`: hexadecimal digits,
/// nothing else.
fn page_id(path: &str) -> Option<(&str, &str)> {
    let (id, format) = path.strip_prefix("/pages/")?.split_once('.')?;
    let hex = !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && (format == "svg" || format == "png")).then_some((id, format))
}

/// Whether the request was made to this server by its loopback name: a
/// page of another site whose name was made to resolve to 127.0.0.1 (DNS
/// rebinding) sends its own name.
fn from_here(request: &Request, port: u16) -> bool {
    let hosts: Vec<&str> = request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str())
        .collect();
    let [host] = hosts[..] else { return false };
    [format!("127.0.0.1:{port}"), format!("localhost:{port}")]
        .iter()
        .any(|allowed| host.eq_ignore_ascii_case(allowed))
}

fn not_found(request: Request) {
    respond(request, 404, "text/plain; charset=utf-8", b"Not found\n".into(), None);
}

/// Answers with the headers every answer carries.
fn respond(request: Request, status: u16, kind: &str, body: Vec<u8>, policy: Option<&str>) {
    let mut response = Response::from_data(body).with_status_code(status);
    let policy = policy.unwrap_or("default-src 'none'; frame-ancestors 'none'");
    for (name, value) in [
        ("Content-Type", kind),
        ("Content-Security-Policy", policy),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ] {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    // The page may have gone; nothing to do then.
    let _ = request.respond(response);
}

/// `POST /select`: show another workshop of the folder, named by its id.
/// Only the page itself may ask (its origin, and a header a form of
/// another site cannot send without asking first).
fn select(mut request: Request, shared: &Shared) {
    let origin = format!("http://127.0.0.1:{}", shared.port);
    let same_origin = request.headers().iter().any(|h| {
        h.field.equiv("Origin")
            && (h.value.as_str() == origin
                || h.value.as_str() == format!("http://localhost:{}", shared.port))
    });
    let asked = request.headers().iter().any(|h| h.field.equiv("X-Preview"));
    if !same_origin || !asked {
        let body = b"Only the preview page may choose the workshop\n".to_vec();
        return respond(request, 403, "text/plain; charset=utf-8", body, None);
    }
    let mut id = String::new();
    let read = request.as_reader().take(BODY).read_to_string(&mut id);
    let index = shared.workshops.iter().position(|w| read.is_ok() && *w == id.trim());
    match index {
        Some(index) => {
            let sent = shared.commands.lock().map(|c| c.send(Message::Select(index)).is_ok());
            let status = if sent.unwrap_or(false) { 204 } else { 503 };
            respond(request, status, "text/plain; charset=utf-8", Vec::new(), None);
        }
        None => not_found(request),
    }
}

/// `GET /events`: the current build at once, then each build as it comes.
fn stream(request: Request, shared: &Arc<Shared>) {
    if shared.open.fetch_add(1, Ordering::SeqCst) >= STREAMS {
        shared.open.fetch_sub(1, Ordering::SeqCst);
        let body = b"Too many pages are following this preview; close one\n".to_vec();
        return respond(request, 503, "text/plain; charset=utf-8", body, None);
    }
    let (send, builds) = mpsc::sync_channel(4);
    let first = shared.current.read().unwrap_or_else(|e| e.into_inner()).json.clone();
    shared.streams.lock().unwrap_or_else(|e| e.into_inner()).push(send);
    let shared = shared.clone();
    std::thread::spawn(move || {
        let mut out = request.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                    Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                    Content-Security-Policy: default-src 'none'\r\nConnection: close\r\n\r\n\
                    retry: 1000\n\n";
        let mut ok = out.write_all(head.as_bytes()).is_ok();
        if !first.is_empty() {
            ok = ok && send_event(&mut out, &first);
        }
        while ok {
            ok = match builds.recv_timeout(KEEP_ALIVE) {
                Ok(json) => send_event(&mut out, &json),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    out.write_all(b": still here\n\n").and_then(|()| out.flush()).is_ok()
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => false,
            };
        }
        shared.open.fetch_sub(1, Ordering::SeqCst);
    });
}

/// Writes one build as an event (the JSON is one line).
fn send_event(out: &mut Box<dyn std::io::Write + Send>, json: &str) -> bool {
    let event = format!("event: build\ndata: {json}\n\n");
    out.write_all(event.as_bytes()).and_then(|()| out.flush()).is_ok()
}
