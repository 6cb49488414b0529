//! Answering requests: the host check, built files, `static/` files, the
//! 404 page and the stream of rebuild events.

use super::*;

/// The names a request may give the server in its `Host` header: the
/// listening address, `localhost` and loopback literals, always with the
/// listening port. Any other name means a page on another site reached the
/// server through DNS rebinding, and is refused.
pub(super) struct AllowedHosts {
    address: std::net::SocketAddr,
}

impl AllowedHosts {
    pub(super) fn new(address: std::net::SocketAddr) -> AllowedHosts {
        AllowedHosts { address }
    }

    fn host(&self, host: &str) -> bool {
        let (name, port) = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((name, port)) => (name, port.strip_prefix(':')),
                None => return false,
            },
            None => match host.rsplit_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (host, None),
            },
        };
        let port_matches = match port {
            Some(port) => port.parse::<u16>() == Ok(self.address.port()),
            None => self.address.port() == 80,
        };
        let name = name.to_ascii_lowercase();
        // Rebinding needs a name; an address literal is only accepted when
        // it is loopback, the listening address, or any address when the
        // server listens on all of them.
        let name_matches = name == "localhost"
            || name.parse::<IpAddr>().is_ok_and(|ip| {
                ip.is_loopback() || ip == self.address.ip() || self.address.ip().is_unspecified()
            });
        port_matches && name_matches
    }

    /// An `Origin` header names a page of this server.
    fn origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.host(host))
    }
}

pub(super) fn handle(
    mut request: Request,
    shared: &Shared,
    allowed: &AllowedHosts,
) -> Option<Request> {
    if !request.header("Host").is_some_and(|h| allowed.host(h)) {
        request.respond(
            421,
            &[],
            b"unknown host: okra serve answers only to its own address",
        );
        return None;
    }
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        request.respond(405, &[("Allow", "GET, HEAD")], b"only GET and HEAD");
        return Some(request);
    }
    let url = request.target.clone();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    if let Some(endpoint) = path.rsplit_once("/__okra/").map(|(_, e)| e.to_string()) {
        // The state of the build is for this server's own pages only.
        let foreign = request.header("Origin").is_some_and(|o| !allowed.origin(o));
        if foreign && endpoint != "live.js" {
            request.respond(403, &[], b"not from a page of this server");
            return Some(request);
        }
        let keep = match endpoint.as_str() {
            "live.js" => request.respond(
                200,
                &[("Content-Type", "text/javascript; charset=utf-8")],
                LIVE_JS.as_bytes(),
            ),
            "state.json" => {
                let body = serde_json::to_string(&shared.state()).unwrap_or_default();
                request.respond(
                    200,
                    &[("Content-Type", "application/json")],
                    body.as_bytes(),
                )
            }
            "events" => {
                send_events(request, shared);
                return None;
            }
            _ => return not_found(request, shared, &path),
        };
        return keep.then_some(request);
    }
    let build = shared.build();
    if let Some((name, bytes)) = built_file(&build.files, &path) {
        return serve_bytes(request, shared, bytes.to_vec(), Path::new(name), &path);
    }
    let name = segments(&path).map(|s| s.join("/")).unwrap_or_default();
    if let Some(bytes) = build.data_file(&name) {
        return serve_bytes(request, shared, bytes.to_vec(), Path::new(&name), &path);
    }
    let in_site = |file: &PathBuf| {
        shared
            .canonical_root
            .as_deref()
            .is_some_and(|root| crate::source::inside_site(root, file).is_some())
    };
    match resolve(&shared.static_dir, &path).filter(in_site) {
        Some(file) => match std::fs::read(&file) {
            Ok(bytes) => serve_bytes(request, shared, bytes, &file, &path),
            Err(_) => not_found(request, shared, &path),
        },
        None => not_found(request, shared, &path),
    }
}

/// The built file a request path names: `/` and folders mean their
/// `index.html`.
pub(super) fn built_file<'f>(files: &'f Files, request_path: &str) -> Option<(&'f str, &'f [u8])> {
    let path = segments(request_path)?.join("/");
    let index = if path.is_empty() {
        "index.html".to_string()
    } else {
        format!("{path}/index.html")
    };
    files
        .get_key_value(&path)
        .or_else(|| files.get_key_value(&index))
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
}

/// The relative prefix from a request path to the site root.
pub(super) fn prefix(path: &str) -> String {
    let depth = path.trim_start_matches('/').matches('/').count();
    "../".repeat(depth)
}

/// Serves a file's bytes; `name` gives the content type, `path` is the
/// request path.
fn serve_bytes(
    mut request: Request,
    shared: &Shared,
    bytes: Vec<u8>,
    name: &Path,
    path: &str,
) -> Option<Request> {
    let content_type = content_type(name);
    let bytes = if content_type.starts_with("text/html") {
        inject(bytes, &prefix(path), shared.state().generation)
    } else {
        bytes
    };
    request
        .respond(200, &[("Content-Type", content_type)], &bytes)
        .then_some(request)
}

/// The site's 404 page with status 404. Its links are relative to the site
/// root, so a `<base>` points them there from a deeper path.
fn not_found(mut request: Request, shared: &Shared, path: &str) -> Option<Request> {
    let state = shared.state();
    let (status, body) = match shared.build().files.get("404.html") {
        Some(bytes) => (404, bytes.to_vec()),
        // No good build yet: a page that shows the errors and reloads.
        None => (
            503,
            b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>okra</title></head>\
              <body><h1>The site has errors</h1><p>Fix them and this page reloads.</p></body></html>"
                .to_vec(),
        ),
    };
    let mut body = inject(body, "", state.generation);
    let base = prefix(path);
    if !base.is_empty() {
        body = String::from_utf8_lossy(&body)
            .replacen("<head>", &format!("<head><base href=\"{base}\">"), 1)
            .into_bytes();
    }
    request
        .respond(
            status,
            &[("Content-Type", "text/html; charset=utf-8")],
            &body,
        )
        .then_some(request)
}

/// Adds the live-reload script before `</body>`.
pub(super) fn inject(bytes: Vec<u8>, prefix: &str, generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{prefix}__okra/live.js?g={generation}\"></script>");
    let text = String::from_utf8_lossy(&bytes);
    match text.rfind("</body>") {
        Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{tag}").into_bytes(),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The segments of a request path. Percent escapes are decoded before the
/// path is split, so `%2e%2e` and `%2f` are treated as `..` and `/`; any
/// `..`, backslash, NUL or drive letter is refused.
fn segments(request_path: &str) -> Option<Vec<String>> {
    let raw = request_path.split(['?', '#']).next()?;
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = crate::source::percent_decode(raw)?;
    let mut out = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0', ':']) => return None,
            s => out.push(s.to_string()),
        }
    }
    Some(out)
}

/// The file in a folder that a request path names, if any: the path's
/// [`segments`] under the folder, which it must still lie inside after
/// links are followed.
pub fn resolve(site: &Path, request_path: &str) -> Option<PathBuf> {
    let mut path = site.to_path_buf();
    path.extend(segments(request_path)?);
    if path.is_dir() {
        path.push("index.html");
    }
    let canonical_site = site.canonicalize().ok()?;
    let canonical = path.canonicalize().ok()?;
    (canonical.starts_with(&canonical_site) && canonical.is_file()).then_some(canonical)
}

/// Event streams open at once; one more is answered `503`.
pub(super) const MAX_STREAMS: usize = 512;

/// How long a write to an event stream may wait for a client that does not
/// read: then the stream is closed.
const STREAM_WRITE_TIMEOUT: Duration = Duration::from_secs(1);

/// How often an idle event stream gets a comment, to notice clients that
/// left.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// An event naming the state, in server-sent-events form.
fn state_event(state: &State) -> String {
    let json = serde_json::to_string(state).expect("state serialises");
    format!("event: state\ndata: {json}\n\n")
}

/// Opens a stream of server-sent events of [`State`]s: it gets the state at
/// once and joins the streams that [`broadcast`] writes to, so that the
/// connection's thread ends here.
fn send_events(mut request: Request, shared: &Shared) {
    // Held while the first state is read and sent: a change made meanwhile
    // reaches this stream through the next broadcast.
    let mut streams = shared.streams.lock().expect("streams lock");
    if streams.len() >= MAX_STREAMS {
        streams.retain(|s| !has_closed(s));
    }
    if streams.len() >= MAX_STREAMS {
        request.respond(503, &[], b"too many open pages");
        return;
    }
    let Ok(mut stream) = request.stream(&[("Content-Type", "text/event-stream")]) else {
        return;
    };
    let event = state_event(&shared.state.lock().expect("state lock"));
    let sent = stream
        .set_write_timeout(Some(STREAM_WRITE_TIMEOUT))
        .and_then(|()| stream.write_all(event.as_bytes()))
        .and_then(|()| stream.flush());
    if sent.is_ok() {
        streams.push(stream);
    }
}

/// Whether the client of an event stream has closed it. Such a stream is
/// otherwise only noticed at the next write.
fn has_closed(stream: &std::net::TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let closed = match stream.peek(&mut [0u8; 1]) {
        Ok(n) => n == 0,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    };
    stream.set_nonblocking(false).is_err() || closed
}

/// Writes every change of the state to every open event stream, and a
/// comment every [`KEEP_ALIVE`]; a stream whose client is gone or does not
/// read is closed. Runs until the server stops.
pub(super) fn broadcast(shared: &Shared) {
    let key = |s: &State| (s.generation, s.errors.len(), s.summary.clone());
    let mut sent = key(&shared.state.lock().expect("state lock"));
    loop {
        let message = {
            let mut state = shared.state.lock().expect("state lock");
            let deadline = Instant::now() + KEEP_ALIVE;
            loop {
                if shared.stopping.load(Ordering::SeqCst) {
                    shared.streams.lock().expect("streams lock").clear();
                    return;
                }
                if key(&state) != sent {
                    sent = key(&state);
                    break state_event(&state);
                }
                let now = Instant::now();
                if now >= deadline {
                    break ": keep-alive\n\n".to_string();
                }
                state = shared
                    .changed
                    .wait_timeout(state, deadline - now)
                    .expect("state lock")
                    .0;
            }
        };
        let mut streams = std::mem::take(&mut *shared.streams.lock().expect("streams lock"));
        streams.retain_mut(|stream| {
            stream
                .write_all(message.as_bytes())
                .and_then(|()| stream.flush())
                .is_ok()
        });
        shared
            .streams
            .lock()
            .expect("streams lock")
            .append(&mut streams);
    }
}
