//! The preview's HTTP server: loopback only, a fixed set of routes served
//! from memory (no path of a URL ever reaches the file system), and the
//! builds pushed to open pages as server-sent events.
//!
//! It is axum on hyper, in a tokio runtime of one thread of its own (the
//! build loop stays synchronous). hyper bounds what a client may send (its
//! headers' size; bodies are never read but by `/select`, and at most
//! 4 KiB of it) and never allocates what a request only claims; this file
//! bounds the connections and the time a client has to send its headers.
//! docs/preview.md says why not tiny_http.

use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde::Serialize;
use sha2::Digest as _;
use tokio::sync::{Semaphore, oneshot, watch};

use super::Message;
use super::session::{PageView, Update};

/// The page: one file, its style and script inside.
const PAGE: &str = include_str!("page.html");
/// At most this many pages may follow the builds at once.
const STREAMS: usize = 16;
/// At most this many connections are served at once; more wait (under
/// the 256 files a macOS process may open by default).
const CONNECTIONS: usize = 128;
/// A client must send a request's headers within this time.
const HEADERS: Duration = Duration::from_secs(10);
/// The most a request's headers may take.
const HEADER_BYTES: usize = 64 * 1024;
/// The longest body a request may have (`/select` names a workshop).
const BODY: usize = 4096;

/// The running server.
pub struct Server {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

/// What the requests and the build loop share.
struct Shared {
    /// The last build's JSON and pages.
    current: RwLock<Current>,
    /// The last build's JSON, for the event streams.
    builds: watch::Sender<Arc<str>>,
    streams: AtomicUsize,
    port: u16,
    workshops: Vec<String>,
    commands: std::sync::Mutex<mpsc::Sender<Message>>,
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
struct StateJson<'a> {
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
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port.unwrap_or(0)))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let shared = Arc::new(Shared {
            current: RwLock::new(Current::default()),
            builds: watch::channel(Arc::from("")).0,
            streams: AtomicUsize::new(0),
            port,
            workshops,
            commands: std::sync::Mutex::new(commands),
            policy: policy(),
        });
        let (stop, stopped) = oneshot::channel();
        let app = routes(shared.clone());
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
                tokio::select! {
                    () = serve(listener, app) => {}
                    _ = stopped => {}
                }
            });
            // Open connections (event streams) end with the runtime.
            runtime.shutdown_timeout(Duration::from_millis(200));
        });
        Ok(Server { shared, stop: Some(stop), thread: Some(thread), port })
    }

    /// The address to open.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Makes a build what is served, and sends it to the open pages.
    pub fn publish(&self, update: &Update, pages: &[PageView]) {
        let state = StateJson { workshops: &self.shared.workshops, update };
        let json: Arc<str> = Arc::from(serde_json::to_string(&state).unwrap_or_default());
        {
            let mut current = self.shared.current.write().unwrap_or_else(|e| e.into_inner());
            current.json = json.clone();
            current.pages = pages.to_vec();
        }
        self.shared.builds.send_replace(json);
    }

    /// Stops answering; the open streams end.
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections, at most [`CONNECTIONS`] at once, each given
/// [`HEADERS`] to send a request's headers.
async fn serve(listener: tokio::net::TcpListener, app: Router) {
    let slots = Arc::new(Semaphore::new(CONNECTIONS));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else { return };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, say: wait for some to be freed.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADERS)
                .max_buf_size(HEADER_BYTES);
            let io = hyper_util::rt::TokioIo::new(stream);
            // A client that goes away ends its connection; nothing to report.
            let _ = http.serve_connection(io, service).await;
        });
    }
}

fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/state", get(state))
        .route("/events", get(events))
        .route("/select", post(select))
        .route("/pages/{file}", get(picture))
        .fallback(|| async { plain(StatusCode::NOT_FOUND, "Not found\n") })
        .method_not_allowed_fallback(|| async {
            plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n")
        })
        .layer(DefaultBodyLimit::max(BODY))
        .layer(axum::middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// Every request: refused unless made to this server by its loopback name
/// (a page of another site whose name was made to resolve to 127.0.0.1,
/// DNS rebinding, sends its own name); every answer: the headers that keep
/// it from being sniffed, framed or read by another site.
async fn guard(
    State(shared): State<Arc<Shared>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let hosts: Vec<&HeaderValue> = request.headers().get_all(header::HOST).iter().collect();
    let allowed = [format!("127.0.0.1:{}", shared.port), format!("localhost:{}", shared.port)];
    let named_here = |h: &str| allowed.iter().any(|a| h.eq_ignore_ascii_case(a));
    let host_here = match hosts[..] {
        [host] => host.to_str().is_ok_and(named_here),
        _ => false,
    };
    // A request naming its host in its target (`GET http://host/ ...`) is
    // for that host, whatever its Host header says.
    let host_here = host_here && request.uri().authority().is_none_or(|a| named_here(a.as_str()));
    // A request a page of another site makes (an event stream holding one
    // of the places, say) says where it comes from.
    let origin = request.headers().get(header::ORIGIN).map(|o| o.to_str().unwrap_or(""));
    let origin_here = origin
        .is_none_or(|o| allowed.iter().any(|a| o.eq_ignore_ascii_case(&format!("http://{a}"))));
    let cross_site = request.headers().get("sec-fetch-site").is_some_and(|s| s == "cross-site");
    let from_here = host_here && origin_here && !cross_site;
    let mut response = if from_here {
        next.run(request).await
    } else {
        let text = format!(
            "This preview answers only to its own page at http://127.0.0.1:{}/.\n",
            shared.port
        );
        plain(StatusCode::FORBIDDEN, &text)
    };
    let headers = response.headers_mut();
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
    response
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

fn plain(status: StatusCode, text: &str) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text.to_owned()).into_response()
}

async fn page(State(shared): State<Arc<Shared>>) -> Response {
    let policy = HeaderValue::from_str(&shared.policy).unwrap_or(HeaderValue::from_static(""));
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response();
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

async fn state(State(shared): State<Arc<Shared>>) -> Response {
    let json = shared.current.read().unwrap_or_else(|e| e.into_inner()).json.clone();
    if json.is_empty() {
        return plain(StatusCode::SERVICE_UNAVAILABLE, "The first build is under way\n");
    }
    ([(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response()
}

/// `/pages/<id>.svg` or `.png`: a page of the last build, by the digest of
/// its picture. The name is only ever compared with those pictures' names.
async fn picture(State(shared): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    let found = file.split_once('.').and_then(|(id, format)| {
        let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
        let page = current.pages.iter().find(|page| page.id == id && page.format == format)?;
        Some((page.picture.clone(), page.format))
    });
    let Some((picture, format)) = found else {
        return plain(StatusCode::NOT_FOUND, "Not found\n");
    };
    let kind = if format == "svg" { "image/svg+xml" } else { "image/png" };
    let headers = [
        (header::CONTENT_TYPE, kind),
        // Its own pictures, inline, and styles; nothing else.
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
        ),
        // Named by its digest: never changes.
        (header::CACHE_CONTROL, "private, max-age=86400, immutable"),
    ];
    (headers, Body::from(Bytes::from_owner(picture))).into_response()
}

/// `POST /select`: show another workshop of the folder, named by its id.
/// Only the page itself may ask (its origin, and a header a form of
/// another site cannot send without asking first, which is refused).
async fn select(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let origins =
        [format!("http://127.0.0.1:{}", shared.port), format!("http://localhost:{}", shared.port)];
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    let same_origin = origin.is_some_and(|o| origins.iter().any(|a| a == o));
    if !same_origin || !headers.contains_key("x-preview") {
        return plain(StatusCode::FORBIDDEN, "Only the preview page may choose the workshop\n");
    }
    let id = String::from_utf8_lossy(&body);
    let Some(index) = shared.workshops.iter().position(|w| w == id.trim()) else {
        return plain(StatusCode::NOT_FOUND, "No such workshop here\n");
    };
    let sent = shared.commands.lock().is_ok_and(|c| c.send(Message::Select(index)).is_ok());
    if sent {
        StatusCode::NO_CONTENT.into_response()
    } else {
        StatusCode::SERVICE_UNAVAILABLE.into_response()
    }
}

/// `GET /events`: the current build at once, then each build as it comes.
async fn events(State(shared): State<Arc<Shared>>, method: Method) -> Response {
    if method != Method::GET {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n");
    }
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many pages follow this preview; close one\n",
        );
    }
    let slot = Slot(shared.clone());
    let mut builds = shared.builds.subscribe();
    builds.mark_changed();
    let stream = futures_util::stream::unfold((builds, slot), |(mut builds, slot)| async move {
        loop {
            builds.changed().await.ok()?;
            let json = builds.borrow_and_update().clone();
            if !json.is_empty() {
                let event =
                    Event::default().event("build").retry(Duration::from_secs(1)).data(&*json);
                return Some((Ok::<_, std::convert::Infallible>(event), (builds, slot)));
            }
        }
    });
    let keep_alive = KeepAlive::new().interval(Duration::from_secs(15)).text("still here");
    Sse::new(stream).keep_alive(keep_alive).into_response()
}

/// A place among the [`STREAMS`], given back when its stream ends.
struct Slot(Arc<Shared>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}
