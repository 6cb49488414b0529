//! `okra lsp` driven over stdio the way an editor drives it: JSON-RPC
//! messages with `Content-Length` headers, one scripted session per test.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const OBJECTIVE: &str = "objectives/2026-q3/support-efficiency.md";
const KPI: &str = "kpis/tickets-per-customer.md";

/// A running `okra lsp` and the messages it sent.
struct Session {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    root: std::path::PathBuf,
}

impl Session {
    /// Starts the server on `root` and completes the handshake.
    fn start(root: &Path) -> Session {
        let mut child = Command::new(env!("CARGO_BIN_EXE_okra"))
            .args(["lsp", "--stdio"])
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("okra lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        let mut session = Session {
            child,
            stdin,
            messages,
            next_id: 0,
            root: root.canonicalize().unwrap(),
        };
        let root_uri = session.uri("");
        let init = session.request(
            "initialize",
            json!({ "processId": null, "rootUri": root_uri, "capabilities": {} }),
        );
        assert_eq!(init["capabilities"]["hoverProvider"], true, "{init}");
        session.notify("initialized", json!({}));
        session
    }

    fn uri(&self, path: &str) -> String {
        url::Url::from_file_path(self.root.join(path))
            .unwrap()
            .to_string()
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns its result, keeping the notifications
    /// that arrive meanwhile out of the way.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = self.wait(|m| m["id"] == id, method);
        assert!(response.get("error").is_none(), "{response}");
        response["result"].clone()
    }

    /// The first message that `matches`, within ten seconds.
    fn wait(&mut self, matches: impl Fn(&Value) -> bool, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if matches(&message) => return message,
                Ok(_) => {}
                Err(_) => panic!("no answer to {what} within ten seconds"),
            }
        }
    }

    /// The next diagnostics published for `path`.
    fn diagnostics(&mut self, path: &str) -> Vec<Value> {
        let uri = self.uri(path);
        let message = self.wait(
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri,
            "diagnostics",
        );
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, path: &str, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "markdown", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, path: &str, version: i64, text: &str) {
        let uri = self.uri(path);
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// A request about a position: `needle` is found in `text` and the
    /// cursor put `after` characters into it.
    fn at(&mut self, method: &str, path: &str, text: &str, needle: &str, after: usize) -> Value {
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the text"))
            + after;
        let line = text[..at].matches('\n').count();
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let character: usize = text[line_start..at].chars().map(char::len_utf16).sum();
        let uri = self.uri(path);
        let mut params = json!({
            "textDocument": { "uri": uri },
            "position": { "line": line, "character": character },
        });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": false });
        }
        self.request(method, params)
    }

    /// Shuts the server down; it must exit cleanly.
    fn finish(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "okra lsp exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "okra lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn source(root: &Path, path: &str) -> String {
    std::fs::read_to_string(root.join(path)).unwrap()
}

#[test]
fn diagnostics_come_from_unsaved_buffers_with_fixes() {
    let site = common::copy_site(&common::example_site());
    let mut lsp = Session::start(site.path());
    let text = source(site.path(), OBJECTIVE).replace("owner = \"support\"", "owner = \"suport\"");
    lsp.open(OBJECTIVE, &text);
    let found = lsp.diagnostics(OBJECTIVE);
    let unknown = found
        .iter()
        .find(|d| d["code"] == "unknown-team")
        .unwrap_or_else(|| panic!("no unknown-team in {found:?}"));
    // `owner = "suport"` is the third line; the span holds the quotes.
    assert_eq!(
        unknown["range"]["start"],
        json!({ "line": 2, "character": 8 })
    );
    assert_eq!(
        unknown["range"]["end"],
        json!({ "line": 2, "character": 16 })
    );
    assert_eq!(unknown["severity"], 1);
    assert_eq!(unknown["source"], "okra");
    let message = unknown["message"].as_str().unwrap();
    assert!(message.contains("did you mean `support`?"), "{message}");
    // The same message as `okra check` gives for the file on disk.
    std::fs::write(site.path().join(OBJECTIVE), &text).unwrap();
    let check = common::stdout(&common::okra(&[
        "check",
        site.path().to_str().unwrap(),
        "--format",
        "json",
    ]));
    let first_line = message.lines().next().unwrap();
    assert!(
        check.contains(first_line.split(" (").next().unwrap()),
        "{check}"
    );

    let uri = lsp.uri(OBJECTIVE);
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": unknown["range"],
            "context": { "diagnostics": [unknown] },
        }),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "support", "{actions}");
    assert_eq!(edit["range"]["start"]["character"], 9, "inside the quotes");
    assert_eq!(edit["range"]["end"]["character"], 15);

    // Fixed in the buffer: the file's diagnostics are cleared of it.
    lsp.change(OBJECTIVE, 2, &source(&common::example_site(), OBJECTIVE));
    let after = lsp.diagnostics(OBJECTIVE);
    assert!(
        after.iter().all(|d| d["code"] != "unknown-team"),
        "{after:?}"
    );
    lsp.finish();
}

#[test]
fn positions_are_counted_in_utf16() {
    let site = common::copy_site(&common::example_site());
    let mut lsp = Session::start(site.path());
    let text =
        source(site.path(), OBJECTIVE).replace("owner = \"support\"", "owner = \"😀 Zürich\"");
    lsp.open(OBJECTIVE, &text);
    let found = lsp.diagnostics(OBJECTIVE);
    let bad = found
        .iter()
        .find(|d| d["code"] == "bad-id")
        .unwrap_or_else(|| panic!("no bad-id in {found:?}"));
    // `"😀 Zürich"`: the emoji is two UTF-16 units, ü one: 11 in all.
    assert_eq!(bad["range"]["start"], json!({ "line": 2, "character": 8 }));
    assert_eq!(bad["range"]["end"], json!({ "line": 2, "character": 19 }));
    lsp.finish();
}

#[test]
fn completion_offers_ids_and_keys_even_in_a_broken_file() {
    let site = common::copy_site(&common::example_site());
    let mut lsp = Session::start(site.path());
    // A TOML error above the cursor: an unterminated string.
    let text = source(site.path(), OBJECTIVE)
        .replace("period = \"2026-Q3\"", "period = \"2026-Q3")
        .replace("owner = \"support\"", "owner = \"sup\"");
    lsp.open(OBJECTIVE, &text);
    let found = lsp.diagnostics(OBJECTIVE);
    assert!(found.iter().any(|d| d["severity"] == 1), "{found:?}");

    let items = lsp.at(
        "textDocument/completion",
        OBJECTIVE,
        &text,
        "owner = \"sup",
        12,
    );
    let items = items["items"].as_array().unwrap();
    let support = items
        .iter()
        .find(|i| i["label"] == "support")
        .expect("support offered");
    assert_eq!(support["detail"], "Customer Support");
    assert_eq!(items[0]["label"], "support", "a prefix match first");

    let kpis = lsp.at(
        "textDocument/completion",
        OBJECTIVE,
        &text,
        "kpi = \"tickets",
        7,
    );
    let labels: Vec<&str> = kpis["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"csat") && labels.contains(&"tickets-per-customer"),
        "{labels:?}"
    );

    let typing_a_key = text.replace("parent_key_result = \"nps\"", "commi");
    lsp.change(OBJECTIVE, 2, &typing_a_key);
    let keys = lsp.at(
        "textDocument/completion",
        OBJECTIVE,
        &typing_a_key,
        "commi",
        5,
    );
    assert_eq!(keys[0]["label"], "commitment", "{keys}");

    // A key result's owner: the people of the objective's team, read from
    // its `owner` line while the file does not parse.
    let broken =
        source(site.path(), OBJECTIVE).replace("period = \"2026-Q3\"", "period = \"2026-Q3");
    lsp.change(OBJECTIVE, 3, &broken);
    let people = lsp.at(
        "textDocument/completion",
        OBJECTIVE,
        &broken,
        "owner = \"Ana\"",
        9,
    );
    let people: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["Ana", "Dana Ruiz", "Li Wei", "Tomás"]);
    lsp.finish();
}

#[test]
fn hover_definition_references_and_symbols() {
    let site = common::copy_site(&common::example_site());
    let mut lsp = Session::start(site.path());
    let text = source(site.path(), OBJECTIVE);
    lsp.open(OBJECTIVE, &text);

    let team = lsp.at(
        "textDocument/hover",
        OBJECTIVE,
        &text,
        "owner = \"support\"",
        10,
    );
    let value = team["contents"]["value"].as_str().unwrap();
    assert!(value.contains("Customer Support"), "{value}");
    let parent = lsp.at(
        "textDocument/hover",
        OBJECTIVE,
        &text,
        "parent = \"delight",
        11,
    );
    let value = parent["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("progress") && value.contains("2026"),
        "{value}"
    );
    let key_result = lsp.at(
        "textDocument/hover",
        OBJECTIVE,
        &text,
        "date = 2026-08-10",
        3,
    );
    let value = key_result["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("score") && value.contains("check-in of 2026-08-10"),
        "{value}"
    );
    assert!(
        value.starts_with("`date`: The day of the check-in"),
        "a key says what it means: {value}"
    );

    let definition = lsp.at(
        "textDocument/definition",
        OBJECTIVE,
        &text,
        "kpi = \"tickets",
        8,
    );
    let target = definition["uri"].as_str().unwrap();
    assert!(target.ends_with(KPI), "{definition}");

    // The objective's line that names the KPI, from 0 as LSP counts.
    let kpi_line = text
        .lines()
        .position(|l| l.starts_with("kpi = \"tickets"))
        .unwrap();
    let kpi_text = source(site.path(), KPI);
    let references = lsp.at("textDocument/references", KPI, &kpi_text, "+++", 0);
    let places: Vec<String> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}:{}",
                l["uri"].as_str().unwrap(),
                l["range"]["start"]["line"]
            )
        })
        .collect();
    assert!(
        places
            .iter()
            .any(|p| p.ends_with(&format!("{OBJECTIVE}:{kpi_line}"))),
        "{places:?}"
    );

    let found = lsp.request("workspace/symbol", json!({ "query": "support EFFICIENCY" }));
    let found = found.as_array().unwrap();
    assert_eq!(
        found[0]["name"], "Increase the efficiency of the support team",
        "{found:?}"
    );
    assert_eq!(found[0]["containerName"], "Customer Support · 2026-Q3");
    assert!(
        found[0]["location"]["uri"]
            .as_str()
            .unwrap()
            .ends_with(OBJECTIVE)
    );
    let teams = lsp.request("workspace/symbol", json!({ "query": "customer support" }));
    assert!(
        teams
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Customer Support" && s["kind"] == 2),
        "{teams}"
    );

    let uri = lsp.uri(OBJECTIVE);
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    let objective = &symbols[0];
    assert_eq!(
        objective["name"],
        "Increase the efficiency of the support team"
    );
    let children = objective["children"].as_array().unwrap();
    assert_eq!(children.len(), 3, "{objective}");
    // The second key result's table starts at its `[[key_results]]` line.
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "[[key_results]]")
        .nth(1)
        .map(|(n, _)| n)
        .unwrap();
    assert_eq!(children[1]["range"]["start"]["line"], second, "{objective}");
    lsp.finish();
}

#[test]
#[ignore = "drives external tools; run with `cargo test -- --ignored` (`.ci/run` does)"]
fn neovims_own_client_gets_diagnostics_hover_completion_and_definitions() {
    common::require_tool(common::runs("nvim"), "nvim (Debian's neovim)");
    let site = common::copy_site(&common::example_site());
    let report = site.path().join("report.txt");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editors/neovim.lua");
    let output = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("OKRA_BIN", env!("CARGO_BIN_EXE_okra"))
        .env("OKRA_SITE", site.path())
        .env("OKRA_REPORT", &report)
        .output()
        .expect("nvim runs");
    let report = std::fs::read_to_string(&report).unwrap_or_else(|_| {
        panic!(
            "no report from nvim: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let expected = [
        "initialized",
        "diagnostic unknown-team at 2:8-16",
        "hover **Delight our customers**",
        "completion support: Customer Support",
        "definition file://",
    ];
    for line in expected {
        assert!(report.contains(line), "{line:?} not in:\n{report}");
    }
    assert!(report.contains("kpis/tickets-per-customer.md"), "{report}");
}

#[test]
fn odd_requests_get_errors_or_nothing_and_the_server_keeps_serving() {
    let site = common::copy_site(&common::example_site());
    let mut lsp = Session::start(site.path());
    let text = source(site.path(), OBJECTIVE);
    lsp.open(OBJECTIVE, &text);
    let uri = lsp.uri(OBJECTIVE);
    let outside = url::Url::from_file_path("/etc/passwd").unwrap().to_string();
    for (method, params) in [
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 9999, "character": 9999 } }),
        ),
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": outside }, "position": { "line": 0, "character": 0 } }),
        ),
        (
            "textDocument/hover",
            json!({ "textDocument": { "uri": "untitled:Untitled-1" }, "position": { "line": 0, "character": 0 } }),
        ),
        (
            "textDocument/completion",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 4_000_000_000u32 } }),
        ),
        (
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 0 }, "context": { "includeDeclaration": true } }),
        ),
        (
            "textDocument/codeAction",
            json!({
                "textDocument": { "uri": uri },
                "range": { "start": { "line": 2, "character": 9 }, "end": { "line": 0, "character": 0 } },
                "context": { "diagnostics": [{
                    "range": { "start": { "line": 2, "character": 16 }, "end": { "line": 2, "character": 8 } },
                    "message": "x", "data": { "hint": "did you mean `a`?" } }] },
            }),
        ),
    ] {
        lsp.request(method, params);
    }
    for (method, params) in [
        ("textDocument/hover", json!({ "nonsense": true })),
        ("workspace/unknownThing", json!({})),
    ] {
        lsp.next_id += 1;
        let id = lsp.next_id;
        lsp.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let response = lsp.wait(|m| m["id"] == id, method);
        assert!(response["error"]["code"].is_i64(), "{response}");
    }
    // Notifications about files outside the site, or with nonsense, change nothing.
    lsp.notify("textDocument/didOpen", json!({ "textDocument": { "uri": outside, "languageId": "markdown", "version": 1, "text": "+++" } }));
    lsp.notify("textDocument/didChange", json!({ "nonsense": 1 }));
    lsp.notify("$/cancelRequest", json!({ "id": 1 }));
    let hover = lsp.at(
        "textDocument/hover",
        OBJECTIVE,
        &text,
        "owner = \"support\"",
        10,
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("Customer Support")
    );
    lsp.finish();
}

#[test]
fn a_frame_longer_than_the_limit_ends_the_session_without_a_panic() {
    let site = common::copy_site(&common::example_site());
    for length in [u64::MAX.to_string(), "1000000000000".to_string()] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_okra"))
            .args(["lsp", "--stdio"])
            .current_dir(site.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("okra lsp starts");
        let mut stdin = child.stdin.take().unwrap();
        write!(stdin, "Content-Length: {length}\r\n\r\n{{}}").unwrap();
        stdin.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "okra lsp went on reading {length}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert_eq!(status.code(), Some(2), "{length}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("over the limit"), "{stderr}");
    }
}
