//! `okra lsp`: a language server over stdio for writing OKRs.
//!
//! The server checks the site as `okra check` does, with the editor's
//! unsaved buffers read in place of their files ([`crate::load::Overlay`]),
//! and publishes the same diagnostics. Hover, go to definition, find
//! references, completion, document symbols and did-you-mean fixes are
//! answered from the last check and the buffer's text; a search of the
//! whole site's objectives, KPIs and teams from the model.
//!
//! Edits that arrive together are checked once: the server takes every
//! message waiting before it checks again.

mod answers;
mod features;
mod keys;
mod publish;
mod text;
pub mod transport;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    OneOf, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};

use crate::source::FileId;
use crate::{CheckOptions, Checked};

/// Serves one editor over stdin and stdout until it says to exit. `site`
/// is the site's folder; without it, the editor's workspace folder or the
/// nearest folder above it that holds `okra.toml`.
pub fn run(site: Option<&Path>) -> anyhow::Result<()> {
    let (connection, io) = transport::stdio();
    let served = serve(&connection, site);
    drop(connection);
    // A broken frame ends the connection: its reason comes first.
    io.join()
        .map_err(|e| anyhow::anyhow!("reading the editor's messages: {e}"))?;
    served
}

/// The handshake, then every message until the editor says to exit.
fn serve(connection: &Connection, site: Option<&Path>) -> anyhow::Result<()> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let root = match site {
        Some(site) => site.to_path_buf(),
        None => site_root(&workspace_folder(&params).unwrap_or(std::env::current_dir()?)),
    };
    let initialized = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "okra", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, initialized)?;
    Server::new(root).serve(connection)
}

/// What the server can do.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "-".into()]),
            ..CompletionOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

/// The editor's workspace folder, from the first of its folders or its
/// root URI.
#[allow(deprecated)] // `root_uri` is how older clients name the folder.
fn workspace_folder(params: &InitializeParams) -> Option<PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(params.root_uri.as_ref())?;
    file_path(uri)
}

/// The folder that holds `okra.toml`: `folder` itself or the nearest one
/// above it; `folder` when there is none.
fn site_root(folder: &Path) -> PathBuf {
    folder
        .ancestors()
        .find(|f| f.join("okra.toml").is_file())
        .unwrap_or(folder)
        .to_path_buf()
}

/// The file a `file:` URI names.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The server's state between messages.
struct Server {
    /// The site's folder, as given, for the URIs the server sends.
    root: PathBuf,
    /// The same folder with links resolved, to find files in it.
    canonical: PathBuf,
    /// Open buffers by path from the site root.
    buffers: BTreeMap<String, String>,
    /// The URI each open buffer was opened with.
    uris: HashMap<String, Uri>,
    memo: crate::load::Memo,
    checked: Option<Checked>,
    /// Each file of the last check by path.
    files: HashMap<String, FileId>,
    /// The diagnostics the editor shows, by file: only files whose
    /// diagnostics change are published again.
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
    /// Whether a buffer changed since the last check.
    dirty: bool,
}

impl Server {
    fn new(root: PathBuf) -> Server {
        let canonical = root.canonicalize().unwrap_or_else(|_| root.clone());
        Server {
            root,
            canonical,
            buffers: BTreeMap::new(),
            uris: HashMap::new(),
            memo: crate::load::Memo::default(),
            checked: None,
            files: HashMap::new(),
            published: BTreeMap::new(),
            dirty: true,
        }
    }

    /// Answers messages until the editor exits. Every message waiting is
    /// handled before the site is checked again.
    fn serve(&mut self, connection: &Connection) -> anyhow::Result<()> {
        self.check(connection)?;
        while let Ok(first) = connection.receiver.recv() {
            let mut waiting = vec![first];
            waiting.extend(connection.receiver.try_iter());
            for message in waiting {
                match message {
                    Message::Request(request) => {
                        if connection.handle_shutdown(&request)? {
                            return Ok(());
                        }
                        let response = self.answer(request);
                        connection.sender.send(Message::Response(response))?;
                    }
                    Message::Notification(notification) => self.notice(notification),
                    Message::Response(_) => {}
                }
            }
            if self.dirty {
                self.check(connection)?;
            }
        }
        Ok(())
    }

    /// The path from the site root of the file a URI names, if it is in
    /// the site.
    fn relative(&self, uri: &Uri) -> Option<String> {
        let path = file_path(uri)?;
        let folder = path.parent()?.canonicalize().ok()?;
        let inside = folder.join(path.file_name()?);
        let relative = inside.strip_prefix(&self.canonical).ok()?;
        let parts: Vec<&str> = relative.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
        Some(parts.join("/"))
    }

    /// The URI of a file of the site: the editor's own for an open buffer.
    fn uri(&self, path: &str) -> Option<Uri> {
        if let Some(uri) = self.uris.get(path) {
            return Some(uri.clone());
        }
        let url = url::Url::from_file_path(self.root.join(path)).ok()?;
        url.as_str().parse().ok()
    }

    /// The text of a file as the last check read it, or as its buffer
    /// holds it now.
    fn text(&self, path: &str) -> Option<&str> {
        if let Some(text) = self.buffers.get(path) {
            return Some(text);
        }
        let checked = self.checked.as_ref()?;
        let file = *self.files.get(path)?;
        Some(&checked.sources.get(file).text)
    }

    /// Takes in a buffer's opening, change, save or closing.
    fn notice(&mut self, notification: Notification) {
        let method = notification.method.as_str();
        let params = notification.params;
        let (uri, text) = match method {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params)
                else {
                    return;
                };
                (p.text_document.uri, Some(p.text_document.text))
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                // The server asks for whole texts, so the last change is
                // the buffer.
                let text = p.content_changes.into_iter().last().map(|c| c.text);
                (p.text_document.uri, text)
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params)
                else {
                    return;
                };
                if let Some(path) = self.relative(&p.text_document.uri) {
                    self.buffers.remove(&path);
                    self.uris.remove(&path);
                }
                self.dirty = true;
                return;
            }
            // Files saved, or changed on disk by something else (a pull,
            // a branch switch): check again.
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => {
                self.dirty = true;
                return;
            }
            _ => return,
        };
        let (Some(path), Some(text)) = (self.relative(&uri), text) else {
            return;
        };
        if method == DidOpenTextDocument::METHOD {
            // Published again under the editor's own URI for the file.
            self.published.remove(&path);
        }
        self.buffers
            .insert(path.clone(), crate::source::normalise(text));
        self.uris.insert(path, uri);
        self.dirty = true;
    }

    /// Checks the site with the open buffers and publishes what changed.
    fn check(&mut self, connection: &Connection) -> anyhow::Result<()> {
        self.dirty = false;
        let options = CheckOptions {
            // An author's own editor: private KPIs' problems in full.
            include_private: true,
            ..CheckOptions::default()
        };
        let disk = match crate::load::Disk::new(&self.root, Some(&self.memo)) {
            Ok(disk) => disk,
            Err(_) => return Ok(()),
        };
        let files = crate::load::Overlay::new(&disk, &self.buffers);
        let Ok(checked) = crate::check_files(&files, &options, Some(&self.memo)) else {
            return Ok(());
        };
        self.files = checked
            .sources
            .ids()
            .map(|id| (checked.sources.path(id).to_string(), id))
            .collect();
        let by_file = publish::by_file(&checked, &|path| self.uri(path));
        let cleared = self.published.keys().filter(|p| !by_file.contains_key(*p));
        let cleared: Vec<(&String, Vec<lsp_types::Diagnostic>)> =
            cleared.map(|path| (path, Vec::new())).collect();
        let changed = by_file
            .iter()
            .filter(|(path, found)| self.published.get(*path) != Some(found))
            .map(|(path, found)| (path, found.clone()));
        for (path, diagnostics) in cleared.into_iter().chain(changed) {
            if let Some(uri) = self.uri(path) {
                connection
                    .sender
                    .send(publish::notification(uri, diagnostics))?;
            }
        }
        self.published = by_file;
        self.checked = Some(checked);
        Ok(())
    }

    /// Answers one request. A request that fails gets an error, and so
    /// would one whose answer panicked: the server keeps serving.
    fn answer(&self, request: Request) -> Response {
        use lsp_server::ErrorCode;
        let id = request.id.clone();
        let method = request.method.clone();
        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            answers::answer(self, request)
        }));
        let (code, message) = match answered {
            Ok(Some(Ok(value))) => return Response::new_ok(id, value),
            Ok(Some(Err(error))) => (ErrorCode::InvalidParams, error.to_string()),
            Ok(None) => (
                ErrorCode::MethodNotFound,
                format!("okra lsp does not answer {method}"),
            ),
            Err(_) => (
                ErrorCode::InternalError,
                "okra failed to answer this request".to_string(),
            ),
        };
        Response::new_err(id, code as i32, message)
    }
}
