//! `okra serve` as a user meets it: a real server on a free loopback port,
//! edits, broken edits, path traversal, many clients, Ctrl-C, and a page in
//! headless Chromium that reloads by itself.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `okra serve`, stopped when dropped.
struct Served {
    child: Child,
    address: String,
    site: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(extra: &[&str]) -> Served {
    serve_site(common::copy_site(&common::example_site()), extra)
}

fn serve_site(site: tempfile::TempDir, extra: &[&str]) -> Served {
    serve_with(site, extra, |_| {})
}

/// `okra serve` on `site`, with `configure` applied to the command.
fn serve_with(
    site: tempfile::TempDir,
    extra: &[&str],
    configure: impl FnOnce(&mut Command),
) -> Served {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okra"));
    configure(&mut command);
    let mut child = command
        .arg("serve")
        .arg(site.path())
        .args(["--port", "0"])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("okra serve starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("okra serve prints its address")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest
                .trim_end_matches(|c| c != '/')
                .trim_end_matches('/')
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Served {
        child,
        address,
        site,
    }
}

/// A raw HTTP/1.1 GET, so that paths reach the server exactly as written.
fn get(address: &str, path: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Waits until `ready` holds, for at most ten seconds.
fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn state(address: &str) -> serde_json::Value {
    serde_json::from_str(&get(address, "/__okra/state.json").2).expect("state is JSON")
}

const PAGE: &str = "/objectives/support-efficiency.html";
const SOURCE: &str = "objectives/2026-q3/support-efficiency.md";
const TITLE: &str = "Increase the efficiency of the support team";

fn edit(site: &Path, from: &str, to: &str) {
    let path = site.join(SOURCE);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_rebuilds_shows_errors_and_recovers() {
    let served = serve(&[]);
    let address = &served.address;
    assert!(
        address.starts_with("127.0.0.1:"),
        "binds loopback: {address}"
    );

    let (status, head, body) = get(address, "/");
    assert_eq!(status, 200);
    assert!(head.contains("Cache-Control: no-store"), "{head}");
    assert!(body.contains("Northwind Outfitters OKRs"));
    assert!(body.contains("<script src=\"__okra/live.js?g=1\"></script></body>"));
    let (_, _, page) = get(address, PAGE);
    assert!(
        page.contains("<script src=\"../__okra/live.js?g=1\">"),
        "relative to the page"
    );
    let generation = state(address)["generation"].as_u64().unwrap();
    // The data files are made on first request, from the same build.
    let (status, head, data) = get(address, "/data.json");
    assert_eq!(status, 200);
    assert!(head.contains("application/json"), "{head}");
    assert!(data.contains(TITLE));
    let (status, _, index) = get(address, "/assets/search/index.js");
    assert_eq!(status, 200);
    assert!(index.starts_with("okraIndex(\"index\","));
    let (status, _, docs) = get(address, "/assets/search/docs-0.js");
    assert_eq!(status, 200);
    assert!(docs.contains(TITLE));
    let (status, _, _) = get(address, "/assets/search/docs-99.js");
    assert_eq!(status, 404);

    edit(served.site.path(), TITLE, "Make support effortless");
    eventually("the edit to be served", || {
        get(address, PAGE).2.contains("Make support effortless")
    });
    // The new build is swapped in just before the generation is announced.
    eventually("a new generation", || {
        state(address)["generation"].as_u64().unwrap() > generation
    });
    for path in ["/data.json", "/assets/search/docs-0.js"] {
        let (_, _, text) = get(address, path);
        assert!(
            text.contains("Make support effortless"),
            "{path} is rebuilt"
        );
        assert!(!text.contains(TITLE), "{path} is not stale");
    }

    edit(
        served.site.path(),
        "owner = \"support\"",
        "owner = \"suport\"",
    );
    eventually("the error to be reported", || {
        !state(address)["errors"].as_array().unwrap().is_empty()
    });
    let errors = state(address);
    let first = &errors["errors"][0];
    assert_eq!(first["code"], "unknown-team");
    assert_eq!(first["file"], SOURCE);
    assert_eq!(first["line"], 3);
    let (status, _, page) = get(address, PAGE);
    assert_eq!(status, 200, "the last good build is still served");
    assert!(page.contains("Make support effortless"));

    edit(
        served.site.path(),
        "owner = \"suport\"",
        "owner = \"support\"",
    );
    eventually("the fix to clear the errors", || {
        state(address)["errors"].as_array().unwrap().is_empty()
    });
    assert!(get(address, PAGE).2.contains("Make support effortless"));
    assert!(
        !served.site.path().join("public").exists(),
        "serve never writes public/"
    );
}

#[test]
fn polling_notices_changes_too() {
    let served = serve(&["--poll"]);
    edit(served.site.path(), TITLE, "Polled title");
    eventually("the polled edit", || {
        get(&served.address, PAGE).2.contains("Polled title")
    });
}

#[test]
fn no_request_reaches_a_file_outside_the_site() {
    let served = serve(&[]);
    let address = &served.address;
    let (status, _, body) = get(address, "/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's 404 page");
    assert!(
        body.contains("<base href=\"../../\">"),
        "its links work from a deeper path"
    );
    for attack in [
        "/../okra.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/okra.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fokra.toml",
        "/%2e%2e%2fokra.toml",
        "/objectives/..%2f..%2fokra.toml",
        "/objectives/%2e%2e/%2e%2e/okra.toml",
        "/..%5cokra.toml",
        "/..\\okra.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "/index.html%00",
        "/%c0%ae%c0%ae/okra.toml",
        "http://example.com/../okra.toml",
    ] {
        let (status, _, body) = get(address, attack);
        assert!(status == 404 || status == 400, "{attack}: status {status}");
        assert!(
            !body.contains("as_of = 2026-08-15"),
            "{attack} served okra.toml"
        );
        assert!(!body.contains("root:x:0:0"), "{attack} served /etc/passwd");
    }
}

#[test]
fn static_files_are_served_but_not_links_out_of_static() {
    let site = common::copy_site(&common::example_site());
    common::write(site.path(), "static/files/plan.txt", "the plan");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        site.path().join("okra.toml"),
        site.path().join("static/leak.txt"),
    )
    .unwrap();
    let served = serve_site(site, &[]);
    let address = &served.address;
    let (status, head, body) = get(address, "/files/plan.txt");
    assert_eq!((status, body.as_str()), (200, "the plan"));
    assert!(head.contains("text/plain"), "{head}");
    // The link is an error of the site (so the server says so) and is
    // never followed.
    let (status, _, body) = get(address, "/leak.txt");
    assert!(status == 404 || status == 503, "status {status}");
    assert!(!body.contains("as_of"), "the link was not followed");
}

#[test]
fn many_clients_at_once_are_all_answered() {
    let served = serve(&[]);
    let address = served.address.clone();
    // Slow clients must not block the others: some connect and say
    // nothing, some send half a request, some ask for the largest file and
    // never read the answer.
    let mut idle: Vec<TcpStream> = (0..20)
        .map(|_| TcpStream::connect(&address).unwrap())
        .collect();
    for i in 0..40 {
        let mut stream = TcpStream::connect(&address).unwrap();
        let request = if i % 2 == 0 {
            format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: ")
        } else {
            format!("GET /data.json HTTP/1.1\r\nHost: {address}\r\n\r\n")
        };
        stream.write_all(request.as_bytes()).unwrap();
        idle.push(stream);
    }
    let handles: Vec<_> = (0..200)
        .map(|i| {
            let address = address.clone();
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/" } else { PAGE };
                get(&address, path).0
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().unwrap(), 200);
    }
    drop(idle);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let mut served = serve(&[]);
    let pid = served.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let start = Instant::now();
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still running after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn an_open_page_reloads_itself_in_a_browser() {
    let tools = common::require_browser(&[]);
    let served = serve(&[]);
    let output = Command::new("node")
        .arg(tools.join("reload.mjs"))
        .arg(format!("http://{}{PAGE}", served.address))
        .arg(served.site.path().join(SOURCE))
        .arg(TITLE)
        .output()
        .unwrap();
    let report = common::report(&output);
    assert!(output.status.success(), "{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

#[cfg(unix)]
#[test]
fn a_link_to_the_whole_disk_does_not_stop_serve() {
    let site = common::copy_site(&common::example_site());
    std::os::unix::fs::symlink("/", site.path().join("everything")).unwrap();
    std::os::unix::fs::symlink("/", site.path().join("objectives/everything")).unwrap();
    for extra in [&[][..], &["--poll"][..]] {
        let copy = common::copy_site(&common::example_site());
        std::os::unix::fs::symlink("/", copy.path().join("everything")).unwrap();
        let served = serve_site(copy, extra);
        assert_eq!(get(&served.address, "/").0, 200, "{extra:?}");
        edit(served.site.path(), TITLE, "Still watching");
        eventually("the edit to be served", || {
            get(&served.address, PAGE).2.contains("Still watching")
        });
    }
    let served = serve_site(site, &[]);
    assert_eq!(get(&served.address, "/").0, 200);
}

/// A raw request with the given headers; the status and the body.
fn request(address: &str, head: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(head.as_bytes());
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn pages_of_other_sites_cannot_read_the_server() {
    let served = serve(&[]);
    let address = &served.address;
    let port = address.rsplit(':').next().unwrap();
    let get = |host: &str, extra: &str| {
        request(
            address,
            &format!("GET /__okra/state.json HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"),
        )
        .0
    };
    // DNS rebinding: a name that now points at 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1:{}", port.parse::<u16>().unwrap().wrapping_add(1)),
        format!("localhost.evil.example:{port}"),
    ] {
        assert_eq!(get(&host, ""), 421, "{host}");
    }
    assert_eq!(
        request(address, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0,
        421,
        "no Host"
    );
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("127.1.2.3:{port}"),
    ] {
        assert_eq!(get(&host, ""), 200, "{host}");
    }
    // The state and the event stream answer only this server's pages.
    let own = format!("127.0.0.1:{port}");
    assert_eq!(get(&own, &format!("Origin: http://{own}\r\n")), 200);
    assert_eq!(get(&own, "Origin: https://evil.example\r\n"), 403);
    assert_eq!(get(&own, "Origin: null\r\n"), 403);
    let (status, _) = request(
        address,
        &format!(
            "GET /__okra/events HTTP/1.1\r\nHost: {own}\r\nOrigin: http://evil.example\r\n\r\n"
        ),
    );
    assert_eq!(status, 403);
}

#[test]
fn request_heads_and_connections_are_bounded() {
    let served = serve(&[]);
    let address = &served.address;
    // An endless header is cut off, not stored.
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\nX-Long: ");
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..32 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    assert!(
        String::from_utf8_lossy(&response).starts_with("HTTP/1.1 431"),
        "{}",
        String::from_utf8_lossy(&response[..response.len().min(200)])
    );
    // More idle connections than the server takes: the extra ones are
    // refused at once, and once they go, pages load again.
    let idle: Vec<TcpStream> = (0..600)
        .filter_map(|_| TcpStream::connect(address).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, _) = request(
        address,
        &format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 503, "the connection budget is spent");
    drop(idle);
    eventually("the server to take connections again", || {
        request(
            address,
            &format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
        )
        .0 == 200
    });
}

#[test]
fn saves_by_rename_new_files_removals_and_moved_folders_are_all_seen() {
    let served = serve(&[]);
    let address = &served.address;
    let site = served.site.path();
    let objectives = site.join("objectives/2026-q3");
    let generation = |address: &str| state(address)["generation"].as_u64().unwrap();
    // The first rebuild after the watcher starts looks at every file; the
    // ones after it trust the watcher. Each step below runs in both.
    for round in 0..2 {
        let before = generation(address);
        // An editor's atomic save: a scratch file renamed over the document.
        let path = objectives.join("support-efficiency.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let scratch = objectives.join(format!("support-efficiency.md.tmp{round}"));
        std::fs::write(
            &scratch,
            text.replacen("title = \"", &format!("title = \"Round {round} "), 1),
        )
        .unwrap();
        std::fs::rename(&scratch, &path).unwrap();
        eventually("the renamed-over save", || {
            get(address, PAGE).2.contains(&format!("Round {round} "))
        });
        // A new document appears, and goes again.
        let new = format!("objectives/2026-q3/new-{round}.md");
        common::write(
            site,
            &new,
            format!(
                "+++\ntitle = \"Brand new {round}\"\nowner = \"support\"\nperiod = \"2026-Q3\"\n+++\n"
            ),
        );
        let page = format!("/objectives/new-{round}.html");
        eventually("the new document", || get(address, &page).0 == 200);
        std::fs::remove_file(site.join(&new)).unwrap();
        eventually("the removed document", || get(address, &page).0 == 404);
        assert!(generation(address) > before);
    }
    // A folder that comes brings its documents; one that moves takes
    // them along, and they are read in their new place; one that goes
    // takes them away.
    common::write(
        site,
        "objectives/extra/lonely.md",
        "+++\ntitle = \"Lonely\"\nowner = \"support\"\nperiod = \"2026-Q3\"\n+++\n",
    );
    let lonely = "/objectives/lonely.html";
    eventually("the new folder", || get(address, lonely).0 == 200);
    let before = generation(address);
    std::fs::rename(site.join("objectives/extra"), site.join("objectives/moved")).unwrap();
    eventually("the rebuild after the move", || {
        generation(address) > before
    });
    let moved = site.join("objectives/moved/lonely.md");
    std::fs::write(
        &moved,
        std::fs::read_to_string(&moved)
            .unwrap()
            .replace("Lonely", "Moved and edited"),
    )
    .unwrap();
    eventually("an edit after the move", || {
        get(address, lonely).2.contains("Moved and edited")
    });
    std::fs::remove_dir_all(site.join("objectives/moved")).unwrap();
    eventually("the removed folder", || get(address, lonely).0 == 404);
}

#[test]
fn the_state_lists_warnings_beside_errors() {
    let served = serve(&[]);
    let state = state(&served.address);
    let warnings = state["warnings"].as_array().unwrap();
    assert_eq!(
        state["warning_count"].as_u64().unwrap() as usize,
        warnings.len()
    );
    assert!(
        warnings
            .iter()
            .any(|w| w["code"] == "overdue-milestone" && w["severity"] == "warning"),
        "{state:#}"
    );
    assert!(state["errors"].as_array().unwrap().is_empty());
}

/// An HTTP/1.1 GET of the event stream, sent on a new connection.
fn open_events(address: &str) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(address).ok()?;
    write!(
        stream,
        "GET /__okra/events HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .ok()?;
    Some(stream)
}

/// The status of the first answer on a connection, 0 when there is none.
fn status_of(stream: &mut TcpStream) -> u16 {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = [0u8; 12];
    match stream.read_exact(&mut head) {
        Ok(()) => String::from_utf8_lossy(&head[9..12]).parse().unwrap_or(0),
        Err(_) => 0,
    }
}

#[cfg(unix)]
#[test]
fn a_flood_of_pages_and_slow_clients_fits_in_a_memory_limit() {
    use std::os::unix::process::CommandExt;
    // The address space of `ulimit -v 800000`.
    const LIMIT: libc::rlim_t = 800_000 * 1024;
    let served = serve_with(common::copy_site(&common::example_site()), &[], |c| {
        // SAFETY: `setrlimit` is async-signal-safe and touches no memory of
        // the parent.
        unsafe {
            c.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: LIMIT,
                    rlim_max: LIMIT,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
    });
    let address = &served.address;
    let extra = 60;
    let mut streams: Vec<TcpStream> = (0..MAX_STREAMS + extra)
        .map(|_| open_events(address).expect("connects"))
        .collect();
    let statuses: Vec<u16> = streams.iter_mut().map(status_of).collect();
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    assert_eq!(count(200), MAX_STREAMS, "{statuses:?}");
    assert_eq!(count(503), extra, "{statuses:?}");
    // Slow clients that send half a request each hold a connection, not
    // a thread.
    let slow: Vec<TcpStream> = (0..300)
        .filter_map(|_| {
            let mut stream = TcpStream::connect(address).ok()?;
            stream.write_all(b"GET / HTTP/1.1\r\nX-Slow: ").ok()?;
            Some(stream)
        })
        .collect();
    assert_eq!(slow.len(), 300);
    let page = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    assert_eq!(request(address, &page).0, 200, "pages load meanwhile");
    // An edit reaches every open page.
    let goal = served
        .site
        .path()
        .join("objectives/2026/delight-customers.md");
    let text = std::fs::read_to_string(&goal).unwrap();
    std::fs::write(&goal, text.replacen("title = \"", "title = \"Edited: ", 1)).unwrap();
    let mut reached = 0;
    let open = streams
        .iter_mut()
        .zip(&statuses)
        .filter(|(_, s)| **s == 200);
    for (stream, _) in open {
        let mut reader = BufReader::new(stream);
        let mut events = 0;
        let mut line = String::new();
        while events < 2 && reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            events += usize::from(line.starts_with("event: state"));
            line.clear();
        }
        reached += usize::from(events == 2);
    }
    assert_eq!(reached, MAX_STREAMS, "every page hears of the edit");
    drop(streams);
    drop(slow);
    eventually("the server to take event streams again", || {
        open_events(address).is_some_and(|mut s| status_of(&mut s) == 200)
    });
    assert_eq!(request(address, &page).0, 200);
}

/// Event streams the server keeps open at once.
const MAX_STREAMS: usize = 512;
