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
mod routes;

pub use routes::resolve;
use routes::{AllowedHosts, handle};

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
    /// `error` or `warning`.
    severity: &'static str,
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
    /// The warnings of the latest build (the first [`WARNINGS_SHOWN`]),
    /// shown folded.
    warnings: Vec<OverlayError>,
    /// How many warnings the latest build had.
    warning_count: usize,
    summary: String,
}

/// Warnings listed in the overlay; the count says how many there are.
const WARNINGS_SHOWN: usize = 200;

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
    /// One of the data files, made on first request. The first request
    /// for a file of the search index makes all of them.
    fn data_file(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        let site = self.site.as_ref()?;
        let search = path.starts_with(crate::search::FOLDER);
        if !search && !crate::render::DATA_FILES.contains(&path) {
            return None;
        }
        let mut data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = data.get(path) {
            return Some(Arc::clone(bytes));
        }
        if search {
            if data.contains_key(crate::render::SEARCH_INDEX) {
                return None;
            }
            let files = crate::write::MemorySink::default();
            crate::search::write_index(site, &files).ok()?;
            for file in files.into_files().ok()? {
                data.insert(file.path, Arc::new(file.bytes));
            }
            return data.get(path).cloned();
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
    /// Documents as read, reused by the next build while their files stay
    /// the same.
    documents: crate::load::Memo,
    /// The open event streams, written to by one thread: a stream costs a
    /// socket, not a thread.
    streams: Mutex<Vec<std::net::TcpStream>>,
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
        documents: crate::load::Memo::default(),
        streams: Mutex::new(Vec::new()),
        stopping: AtomicBool::new(false),
    });
    rebuild(options, &shared);
    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("okra-serve-events".into())
            .spawn(move || routes::broadcast(&shared))
            .context("starting the thread of live reload")?;
    }

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
    server
        .run(
            &shared.stopping,
            Arc::new(move |request| handle(request, &handler, &allowed)),
        )
        .context("starting the server's threads")?;
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
        history: false,
    };
    let started = Instant::now();
    let site = crate::write::MemorySink::default();
    let previous = shared.build();
    let rendering = crate::render::RenderOptions {
        data_files: false,
        previous: Some(&previous.hashes),
        documents: Some(&shared.documents),
    };
    let outcome = crate::render_into(&options.root, &build_options, rendering, || Ok(&site));
    let mut state = shared.state.lock().expect("state lock");
    match outcome {
        Ok((checked, Some(rendered))) => {
            let mut files: Files = site
                .into_files()
                .unwrap_or_default()
                .into_iter()
                .map(|f| (f.path, Arc::new(f.bytes)))
                .collect();
            for path in rendered.hashes.keys() {
                if let (false, Some(kept)) = (files.contains_key(path), previous.files.get(path)) {
                    files.insert(path.clone(), Arc::clone(kept));
                }
            }
            println!(
                "Rebuilt in {} ms ({} of {} files rendered){}",
                started.elapsed().as_millis(),
                rendered.rendered,
                rendered.hashes.len(),
                warning_count(&checked.diagnostics)
            );
            state.show_warnings(&checked);
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
        }
        Ok((checked, None)) => state.refuse(&checked),
        Err(error) => {
            state.summary =
                "okra: the site could not be built; showing the last good build".to_string();
            state.errors = vec![OverlayError {
                severity: "error",
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

/// " (2 warnings)" after a build's summary, or nothing.
fn warning_count(diagnostics: &[crate::diagnostic::Diagnostic]) -> String {
    match Tally::of(diagnostics).warnings {
        0 => String::new(),
        n => format!(" ({})", crate::diagnostic::plural(n, "warning")),
    }
}

impl State {
    /// Records the errors that stopped a build, for the overlay and the
    /// terminal; open pages keep the last good build.
    fn refuse(&mut self, checked: &crate::Checked) {
        let errors: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let color = std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        eprint!("{}", render_human(&errors, &checked.sources, color));
        self.summary = format!(
            "okra: {}; showing the last good build",
            crate::diagnostic::plural(errors.len(), "error")
        );
        self.errors = errors.iter().map(|d| overlay_item(checked, d)).collect();
        self.show_warnings(checked);
        eprintln!("{}", self.summary);
    }

    /// Lists a build's warnings for the overlay, folded.
    fn show_warnings(&mut self, checked: &crate::Checked) {
        let warnings = checked.diagnostics.iter().filter(|d| !d.is_error());
        self.warning_count = warnings.clone().count();
        self.warnings = warnings
            .take(WARNINGS_SHOWN)
            .map(|d| overlay_item(checked, d))
            .collect();
    }
}

/// A diagnostic as the overlay shows it.
fn overlay_item(checked: &crate::Checked, d: &crate::diagnostic::Diagnostic) -> OverlayError {
    let position = d.position(&checked.sources);
    OverlayError {
        severity: d.severity.as_str(),
        file: position.as_ref().map(|p| p.file.clone()),
        line: position.as_ref().map(|p| p.line),
        column: position.as_ref().map(|p| p.column),
        code: d.code.as_str().to_string(),
        message: d.message.clone(),
        hint: d.hint.clone(),
    }
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
    shared.documents.watching();
    let root = options
        .root
        .canonicalize()
        .unwrap_or_else(|_| options.root.clone());
    let options = options.clone();
    let shared = Arc::clone(shared);
    let watching = std::thread::Builder::new().name("okra-serve-watch".into());
    watching
        .spawn(move || {
            while let Ok(event) = receiver.recv() {
                if !relevant(&root, &event) {
                    continue;
                }
                record(&options.root, &root, &shared.documents, &event);
                // An editor's save is a burst of events a few milliseconds
                // long: let it end. Events that come during the rebuild make
                // another one.
                while let Ok(event) = receiver.recv_timeout(Duration::from_millis(8)) {
                    if relevant(&root, &event) {
                        record(&options.root, &root, &shared.documents, &event);
                    }
                }
                if shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                rebuild(&options, &shared);
            }
        })
        .context("starting the thread that rebuilds")?;
    Ok(watcher)
}

/// Tells the memo what an event changed: the files it names, and whether
/// it adds, removes or renames documents or folders (then the next build
/// walks the folders again). A lost event makes the next build look at
/// every file.
fn record(
    root: &Path,
    canonical_root: &Path,
    memo: &crate::load::Memo,
    event: &notify::Result<notify::Event>,
) {
    use notify::EventKind;
    use notify::event::ModifyKind;
    let event = match event {
        Ok(event) if !event.need_rescan() => event,
        _ => return memo.saw([], true, true),
    };
    let moves = matches!(
        event.kind,
        EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_))
            | EventKind::Any
            | EventKind::Other
    );
    let mut changed = Vec::new();
    let mut relist = false;
    for path in &event.paths {
        let relative = path
            .strip_prefix(canonical_root)
            .or_else(|_| path.strip_prefix(root));
        let Ok(relative) = relative else {
            relist = true;
            continue;
        };
        let relative = crate::load::relative_path(Path::new(""), relative);
        let meta = std::fs::symlink_metadata(path).ok();
        if matches!(event.kind, EventKind::Modify(ModifyKind::Name(_)))
            && meta.as_ref().is_some_and(|m| m.is_dir())
        {
            // After a folder is renamed, the watcher keeps reporting its
            // files under their old paths: it can no longer be trusted.
            memo.distrust();
        }
        if moves {
            // A file written over a listed document (an editor's atomic
            // save) changes its text only, and a new file that is not a
            // document changes nothing listed; anything else may.
            let file = meta.as_ref().is_some_and(|m| m.is_file());
            let listed = memo.is_listed(&relative);
            let other = !relative.ends_with(".md") && !crate::load::in_static(&relative);
            relist |= !(file && (listed || other));
        }
        changed.push(relative);
    }
    memo.saw(changed, relist, false);
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

#[cfg(test)]
mod tests;
