//! The HTTP/1.1 server of `okra serve`: GET and HEAD only, with every
//! resource a client can make it spend bounded. At most
//! [`MAX_CONNECTIONS`] connections are open at once (one more is answered
//! `503` and closed), each on a thread of its own that is spawned without
//! panicking when the system has no thread to give; a request head is at
//! most [`MAX_HEAD`] bytes (`431` beyond) and must arrive within
//! [`HEAD_TIMEOUT`]; an idle kept-alive connection is closed after the same
//! time.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 512;
/// Bytes of a request line and its headers.
pub const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send a request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// One request: its method, target and headers, and the connection to
/// answer on.
pub struct Request {
    pub method: String,
    pub target: String,
    headers: Vec<(String, String)>,
    stream: TcpStream,
    keep_alive: bool,
}

impl Request {
    /// The value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Answers with a whole body. `false` when the connection must close.
    pub fn respond(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) -> bool {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let keep_alive = self.keep_alive && status < 500;
        head.push_str(&format!(
            "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: {}\r\n\r\n",
            body.len(),
            if keep_alive { "keep-alive" } else { "close" }
        ));
        let body = if self.method == "HEAD" { &[][..] } else { body };
        let sent = self
            .stream
            .write_all(head.as_bytes())
            .and_then(|()| self.stream.write_all(body))
            .and_then(|()| self.stream.flush());
        sent.is_ok() && keep_alive
    }

    /// Sends a head without a length and hands over the connection, for a
    /// stream of events; it closes when the writer is dropped.
    pub fn stream(mut self, headers: &[(&str, &str)]) -> io::Result<TcpStream> {
        let mut head = String::from("HTTP/1.1 200 OK\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        self.stream.write_all(head.as_bytes())?;
        self.stream.flush()?;
        self.stream.set_read_timeout(None)?;
        Ok(self.stream)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A listening server.
pub struct Server {
    listener: TcpListener,
    open: Arc<AtomicUsize>,
}

impl Server {
    pub fn bind(address: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(address)?,
            open: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stopping` is set (then one more connection, such as
    /// [`wake`], ends the loop), calling `handle` for every request, on the
    /// connection's own thread.
    pub fn run(
        &self,
        stopping: &AtomicBool,
        handle: Arc<dyn Fn(Request) -> Option<Request> + Send + Sync>,
    ) {
        for stream in self.listener.incoming() {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else { continue };
            if self.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                self.open.fetch_sub(1, Ordering::SeqCst);
                let _ = stream.write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            }
            let open = Arc::clone(&self.open);
            let handle = Arc::clone(&handle);
            let spawned = std::thread::Builder::new()
                .name("okra-serve".into())
                .spawn(move || {
                    serve_connection(stream, handle.as_ref());
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            if spawned.is_err() {
                // No thread to be had: the connection was dropped with the
                // closure; count it closed.
                self.open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// Opens and closes a connection to `address`, so that a server blocked in
/// `accept` looks at its stop flag.
pub fn wake(address: SocketAddr) {
    let _ = TcpStream::connect_timeout(&address, Duration::from_secs(1));
}

/// Bytes of an unread request read and dropped before a connection that
/// was answered early is closed.
const LINGER_BYTES: u64 = 4 * 1024 * 1024;

/// Closes a connection answered before its request was read whole. A
/// socket closed with unread input resets the connection, and a reset can
/// make the client drop the answer unread; so the answer is followed by
/// the end of the stream, and the rest of the request is read and dropped
/// for a short, bounded while first.
fn linger(stream: &TcpStream, reader: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    let mut buffer = [0u8; 16 * 1024];
    let mut dropped = 0;
    while dropped < LINGER_BYTES {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || reader.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match io::Read::read(reader, &mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => dropped += n as u64,
        }
    }
}

fn serve_connection(
    stream: TcpStream,
    handle: &(dyn Fn(Request) -> Option<Request> + Send + Sync),
) {
    let _ = stream.set_read_timeout(Some(HEAD_TIMEOUT));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let Ok(reader) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(4096, reader);
    loop {
        let head = match read_head(&mut reader) {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(status) => {
                let mut stream = stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    reason(status)
                );
                linger(&stream, reader.get_mut());
                return;
            }
        };
        let Ok(writer) = stream.try_clone() else {
            return;
        };
        let Some(request) = parse(&head, writer) else {
            let mut stream = stream;
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return;
        };
        match handle(request) {
            Some(request) if request.keep_alive => {}
            _ => return,
        }
    }
}

/// Reads one request head: `Ok(None)` when the client closed or went
/// quiet, `Err(status)` when the head is too large or not text.
fn read_head<R: BufRead>(reader: &mut R) -> Result<Option<String>, u16> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let room = (MAX_HEAD + 1).saturating_sub(head.len());
        match io::Read::take(&mut *reader, room as u64).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        if !line.ends_with(b"\n") {
            return Ok(None);
        }
        if line == b"\r\n" || line == b"\n" {
            if head.len() == line.len() {
                // Blank lines before a request are allowed.
                head.clear();
                continue;
            }
            return String::from_utf8(head).map(Some).map_err(|_| 400);
        }
    }
}

fn parse(head: &str, stream: TcpStream) -> Option<Request> {
    let mut lines = head.lines();
    let mut parts = lines.next()?.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") {
        return None;
    }
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let connection = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("connection"))
        .map(|(_, v)| v.to_ascii_lowercase());
    let has_body = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding")
            || n.eq_ignore_ascii_case("content-length") && v.trim() != "0"
    });
    let keep_alive = !has_body
        && match connection.as_deref() {
            Some(c) if c.contains("close") => false,
            Some(c) if c.contains("keep-alive") => true,
            _ => version == "HTTP/1.1",
        };
    Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        stream,
        keep_alive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_are_bounded() {
        let head = |text: &str| read_head(&mut io::Cursor::new(text.as_bytes().to_vec()));
        assert_eq!(
            head("GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            Ok(Some("GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_string()))
        );
        assert_eq!(
            head("\r\nGET / HTTP/1.1\r\n\r\n").unwrap().unwrap(),
            "GET / HTTP/1.1\r\n\r\n"
        );
        assert_eq!(head(""), Ok(None));
        assert_eq!(head("GET / HTTP/1.1\r\nHost: a"), Ok(None));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&huge), Err(431));
        let endless = format!("GET / HTTP/1.1\r\n{}", "X: y\r\n".repeat(MAX_HEAD));
        assert_eq!(head(&endless), Err(431));
    }
}
