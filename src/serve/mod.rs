//! `okra serve`: build, serve on loopback, rebuild and reload on change.
//!
//! The site is built into memory (never into the site's `public/`) and
//! served from there by a small HTTP server, with the site's `static/`
//! files served from their folder. A watcher rebuilds after every change
//! under the site root; open pages learn of it over server-sent events from
//! a script injected into every HTML page, and reload once the new build is
//! in place. A broken edit keeps the last good build online and shows its
//! diagnostics over every page.

mod http;

use std::collections::HashMap;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;

use http::{Request, Server};

use crate::diagnostic::{Tally, render_human};
use crate::render::cache::BodyCache;
use crate::{BuildOptions, Date};

const LIVE_JS: &str = include_str!("live.js");

/// Settings of `okra serve`.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub interface: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    /// Poll for changes instead of relying on native file events.
    pub poll: bool,
    pub as_of: Option<Date>,
    pub drafts: bool,
    pub include_private: bool,
}

/// One problem shown in the overlay.
#[derive(Clone, Debug, Serialize)]
struct OverlayError {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    code: String,
    message: String,
    hint: Option<String>,
}

/// What open pages need to know.
#[derive(Clone, Debug, Default, Serialize)]
struct State {
    /// Counts successful builds; a page reloads when it changes.
    generation: u64,
    /// The errors of the latest build, when it failed.
    errors: Vec<OverlayError>,
    summary: String,
}

/// The files of a build: output path → bytes, shared with the builds
/// after it while they stay the same.
type Files = HashMap<String, Arc<Vec<u8>>>;

/// The last good build: its pages and assets, and its model, from which the
/// data files (`data.json`, the search index) are made when first asked for,
/// so that a rebuild does not wait for them.
#[derive(Default)]
struct Build {
    files: Files,
    /// What each file but the assets is made from (see
    /// [`crate::render::Rendered::hashes`]).
    hashes: HashMap<String, u64>,
    site: Option<crate::Site>,
    data: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl Build {
    /// One of the data files, made on first request.
    fn data_file(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        let site = self.site.as_ref()?;
        if !crate::render::DATA_FILES.contains(&path) {
            return None;
        }
        let mut data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = data.get(path) {
            return Some(Arc::clone(bytes));
        }
        let mut bytes = Vec::new();
        crate::render::write_data_file(site, path, &mut bytes).ok()?;
        let bytes = Arc::new(bytes);
        data.insert(path.to_string(), Arc::clone(&bytes));
        Some(bytes)
    }
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// The last good build.
    build: Mutex<Arc<Build>>,
    /// The site's `static/` folder, served as it is.
    static_dir: PathBuf,
    /// The site root, links followed: static files must lie inside it.
    canonical_root: Option<PathBuf>,
    /// Rendered bodies, reused by the next build.
    cache: BodyCache,
    /// Documents as read, reused by the next build while their files stay
    /// the same.
    documents: crate::load::Memo,
    stopping: AtomicBool,
}

impl Shared {
    fn state(&self) -> State {
        self.state.lock().expect("state lock").clone()
    }

    fn build(&self) -> Arc<Build> {
        Arc::clone(&self.build.lock().expect("build lock"))
    }
}

/// Builds and serves the site until Ctrl-C.
pub fn serve(options: &ServeOptions) -> anyhow::Result<()> {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        changed: Condvar::new(),
        build: Mutex::new(Arc::new(Build::default())),
        static_dir: options.root.join("static"),
        canonical_root: options.root.canonicalize().ok(),
        cache: BodyCache::default(),
        documents: crate::load::Memo::default(),
        stopping: AtomicBool::new(false),
    });
    rebuild(options, &shared);

    let server =
        Server::bind(std::net::SocketAddr::new(options.interface, options.port)).map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {}:{}: {e}",
                options.interface,
                options.port
            )
        })?;
    let address = server.local_addr().context("the server has no address")?;
    let host = if address.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if address.is_ipv6() {
        format!("[{}]", address.ip())
    } else {
        address.ip().to_string()
    };
    let url = format!("http://{host}:{}/", address.port());
    if !options.interface.is_loopback() {
        eprintln!(
            "warning: serving on {}, which other machines can reach; `okra serve` is for previews",
            options.interface
        );
    }
    let _watcher = watch(options, &shared)?;

    {
        let shared = Arc::clone(&shared);
        ctrlc::set_handler(move || {
            shared.stopping.store(true, Ordering::SeqCst);
            shared.changed.notify_all();
            http::wake(address);
        })
        .context("installing the Ctrl-C handler")?;
    }
    // Announced once Ctrl-C is handled, so that a stop right after the
    // announcement is a clean one.
    println!(
        "Serving {} at {url} (Ctrl-C to stop)",
        options.root.display()
    );
    if options.open {
        open_browser(&url);
    }

    let allowed = AllowedHosts::new(address);
    let handler = Arc::clone(&shared);
    server.run(
        &shared.stopping,
        Arc::new(move |request| handle(request, &handler, &allowed)),
    );
    println!("Stopped.");
    Ok(())
}

/// Builds into memory and records the outcome for open pages.
fn rebuild(options: &ServeOptions, shared: &Shared) {
    let build_options = BuildOptions {
        as_of: options.as_of,
        output: PathBuf::new(),
        drafts: options.drafts,
        include_private: options.include_private,
        force: false,
    };
    let started = Instant::now();
    let site = crate::render::MemorySink::default();
    let previous = shared.build();
    let rendering = crate::render::RenderOptions {
        cache: Some(&shared.cache),
        data_files: false,
        previous: Some(&previous.hashes),
        documents: Some(&shared.documents),
    };
    let outcome = crate::render_into(&options.root, &build_options, rendering, || Ok(&site));
    let mut state = shared.state.lock().expect("state lock");
    match outcome {
        Ok((checked, rendered)) => {
            let color = std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            let errors: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect();
            if let Some(rendered) = rendered {
                let mut files: Files = site
                    .into_files()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|f| (f.path, Arc::new(f.bytes)))
                    .collect();
                for path in rendered.hashes.keys() {
                    if !files.contains_key(path) {
                        if let Some(kept) = previous.files.get(path) {
                            files.insert(path.clone(), Arc::clone(kept));
                        }
                    }
                }
                let (rendered_count, total) = (rendered.rendered, rendered.hashes.len());
                let build = Build {
                    files,
                    hashes: rendered.hashes,
                    site: Some(checked.site),
                    data: Mutex::default(),
                };
                *shared.build.lock().expect("build lock") = Arc::new(build);
                state.generation += 1;
                state.errors.clear();
                state.summary.clear();
                let tally = Tally::of(&checked.diagnostics);
                let warnings = if tally.warnings > 0 {
                    format!(
                        " ({})",
                        crate::diagnostic::plural(tally.warnings, "warning")
                    )
                } else {
                    String::new()
                };
                println!(
                    "Rebuilt in {} ms ({} of {} files rendered){warnings}",
                    started.elapsed().as_millis(),
                    rendered_count,
                    total
                );
            } else {
                eprint!("{}", render_human(&errors, &checked.sources, color));
                state.summary = format!(
                    "okra: {}; showing the last good build",
                    crate::diagnostic::plural(errors.len(), "error")
                );
                state.errors = errors
                    .iter()
                    .map(|d| {
                        let position = d.position(&checked.sources);
                        OverlayError {
                            file: position.as_ref().map(|p| p.file.clone()),
                            line: position.as_ref().map(|p| p.line),
                            column: position.as_ref().map(|p| p.column),
                            code: d.code.as_str().to_string(),
                            message: d.message.clone(),
                            hint: d.hint.clone(),
                        }
                    })
                    .collect();
                eprintln!("{}", state.summary);
            }
        }
        Err(error) => {
            state.summary =
                "okra: the site could not be built; showing the last good build".to_string();
            state.errors = vec![OverlayError {
                file: None,
                line: None,
                column: None,
                code: "io".to_string(),
                message: format!("{error:#}"),
                hint: None,
            }];
            eprintln!("error: {error:#}");
        }
    }
    drop(state);
    shared.changed.notify_all();
}

/// Watches the site root and rebuilds after each burst of changes.
fn watch(
    options: &ServeOptions,
    shared: &Arc<Shared>,
) -> anyhow::Result<Box<dyn notify::Watcher + Send>> {
    let (sender, receiver) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Box<dyn notify::Watcher + Send> = if options.poll {
        // Modification times are compared in whole seconds; compare contents
        // too, or two saves within a second would look like one.
        let config = notify::Config::default()
            .with_follow_symlinks(false)
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        Box::new(notify::PollWatcher::new(sender, config).context("starting the file poller")?)
    } else {
        // Links are not followed: a link to `/` must not make the watcher
        // walk (and hold open) the whole disk.
        let config = notify::Config::default().with_follow_symlinks(false);
        Box::new(
            <notify::RecommendedWatcher as notify::Watcher>::new(sender, config)
                .context("starting the file watcher")?,
        )
    };
    watcher
        .watch(&options.root, notify::RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", options.root.display()))?;
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let options = options.clone();
    let shared = Arc::clone(shared);
    std::thread::spawn(move || {
        while let Ok(event) = receiver.recv() {
            if !relevant(&root, &event) {
                continue;
            }
            // An editor's save is a burst of events a few milliseconds
            // long: let it end. Events that come during the rebuild make
            // another one.
            while receiver.recv_timeout(Duration::from_millis(8)).is_ok() {}
            if shared.stopping.load(Ordering::SeqCst) {
                break;
            }
            rebuild(&options, &shared);
        }
    });
    Ok(watcher)
}

/// Whether a file event can change the site: not the site's own build
/// output, version control, or an editor's scratch file.
fn relevant(root: &Path, event: &notify::Result<notify::Event>) -> bool {
    let Ok(event) = event else {
        return true;
    };
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|path| {
        let relative = path
            .strip_prefix(root)
            .or_else(|_| path.strip_prefix(root.canonicalize().unwrap_or_default()))
            .unwrap_or(path);
        let mut components = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy());
        let first = components.next().unwrap_or_default();
        if first == "public" || first.starts_with('.') {
            return false;
        }
        let name = relative
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        !(name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.starts_with(".#"))
    })
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser; visit {url}");
    }
}

/// The names a request may give the server in its `Host` header: the
/// listening address, `localhost` and loopback literals, always with the
/// listening port. Any other name means a page on another site reached the
/// server through DNS rebinding, and is refused.
struct AllowedHosts {
    address: std::net::SocketAddr,
}

impl AllowedHosts {
    fn new(address: std::net::SocketAddr) -> AllowedHosts {
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

fn handle(mut request: Request, shared: &Shared, allowed: &AllowedHosts) -> Option<Request> {
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
fn built_file<'f>(files: &'f Files, request_path: &str) -> Option<(&'f str, &'f [u8])> {
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
fn prefix(path: &str) -> String {
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
fn inject(bytes: Vec<u8>, prefix: &str, generation: u64) -> Vec<u8> {
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

/// Streams server-sent events of [`State`]s: one on connect and one after
/// every change, with a comment every 15 s to notice clients that left.
/// The events are written straight to the connection and flushed one by one.
fn send_events(request: Request, shared: &Shared) {
    let Ok(mut stream) = request.stream(&[("Content-Type", "text/event-stream")]) else {
        return;
    };
    let mut sent: Option<(u64, usize, String)> = None;
    loop {
        let message = {
            let mut state = shared.state.lock().expect("state lock");
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                if shared.stopping.load(Ordering::SeqCst) {
                    return;
                }
                let key = (state.generation, state.errors.len(), state.summary.clone());
                if sent.as_ref() != Some(&key) {
                    let json = serde_json::to_string(&*state).expect("state serialises");
                    sent = Some(key);
                    break format!("event: state\ndata: {json}\n\n");
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
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_never_leave_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("objectives")).unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("objectives/a b.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert!(resolve(&site, "/").is_some_and(|p| p.ends_with("index.html")));
        assert!(resolve(&site, "/objectives/a%20b.html?x=1").is_some());
        assert!(
            resolve(&site, "/objectives/").is_none(),
            "no index.html there"
        );
        for attack in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/..%2fsecret.txt",
            "/%2e%2e%2fsecret.txt",
            "/objectives/..%2f..%2fsecret.txt",
            "/objectives/%2e%2e/%2e%2e/secret.txt",
            "/..\\secret.txt",
            "/..%5csecret.txt",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "secret.txt",
            "/%zz",
            "/%c0%ae%c0%ae/secret.txt",
            "/index.html%00.txt",
        ] {
            let resolved = resolve(&site, attack);
            assert!(
                resolved
                    .as_ref()
                    .is_none_or(|p| p.starts_with(site.canonicalize().unwrap())),
                "{attack} → {resolved:?}"
            );
            assert!(
                resolved.is_none_or(|p| !p.ends_with("secret.txt") && !p.starts_with("/etc")),
                "{attack}"
            );
        }
    }

    #[test]
    fn built_files_are_found_by_their_request_path() {
        let files: Files = [
            ("index.html", "home"),
            ("objectives/a b.html", "a"),
            ("docs/index.html", "docs"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), Arc::new(t.as_bytes().to_vec())))
        .collect();
        let text = |path: &str| {
            built_file(&files, path).map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        };
        assert_eq!(text("/").as_deref(), Some("home"));
        assert_eq!(text("/objectives/a%20b.html?x=1").as_deref(), Some("a"));
        assert_eq!(text("/docs/").as_deref(), Some("docs"));
        assert_eq!(text("/objectives/../index.html"), None);
        assert_eq!(text("/%2e%2e/index.html"), None);
        assert_eq!(text("index.html"), None);
    }

    #[test]
    fn links_out_of_the_site_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), site.join("link.txt")).unwrap();
        assert!(resolve(&site, "/link.txt").is_none());
    }

    #[test]
    fn the_live_script_goes_before_the_end_of_the_body() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec(), "../", 7);
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"../__okra/live.js?g=7\"></script></body></html>"
        );
        assert_eq!(prefix("/"), "");
        assert_eq!(prefix("/objectives/x.html"), "../");
        assert_eq!(prefix("/a/b/c.html"), "../../");
    }
}
