//! The HTTP/1.1 server of `okra serve`: GET and HEAD only, with every
//! resource a client can make it spend bounded. At most
//! [`MAX_CONNECTIONS`] connections are open at once (one more is answered
//! `503` and closed). Requests are answered by [`WORKERS`] threads that
//! live as long as the server; a connection that waits for its next
//! request costs a socket and its unread bytes, not a thread, because one
//! thread waits for all of them at once. A request head is at most
//! [`MAX_HEAD`] bytes (`431` beyond) and must arrive within
//! [`HEAD_TIMEOUT`]; an idle kept-alive connection is closed after the same
//! time.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender};

/// Connections served at once.
pub(super) const MAX_CONNECTIONS: usize = 512;
/// Threads that answer requests.
pub(super) const WORKERS: usize = 8;
/// The stack of a worker: a request is answered from memory or one file.
const STACK_SIZE: usize = 256 * 1024;
/// How long a client may take to read a whole answer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of a request line and its headers.
pub(super) const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send a request head.
pub(super) const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// One request: its method, target and headers, and the connection to
/// answer on.
pub(super) struct Request {
    pub method: String,
    pub target: String,
    headers: Vec<(String, String)>,
    stream: TcpStream,
    keep_alive: bool,
}

impl Request {
    /// The value of a header, by case-insensitive name.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Answers with a whole body. `false` when the connection must close.
    pub(super) fn respond(&mut self, status: u16, headers: &[(&str, &str)], body: &[u8]) -> bool {
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
        let deadline = Instant::now() + WRITE_TIMEOUT;
        let sent = write_by(&mut self.stream, head.as_bytes(), deadline)
            .and_then(|()| write_by(&mut self.stream, body, deadline));
        sent.is_ok() && keep_alive
    }

    /// Sends a head without a length and hands over the connection, for a
    /// stream of events; it closes when the writer is dropped.
    pub(super) fn stream(mut self, headers: &[(&str, &str)]) -> io::Result<TcpStream> {
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

/// Writes all of `bytes` by `deadline`, or fails: a client that reads
/// slowly, or not at all, holds a worker for [`WRITE_TIMEOUT`] per answer
/// at most, however little it reads at a time.
fn write_by(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(bytes) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
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
pub(super) struct Server {
    listener: TcpListener,
    open: Arc<AtomicUsize>,
}

/// The handler of requests: it answers one and gives the request back when
/// the connection may serve another.
pub(super) type Handler = Arc<dyn Fn(Request) -> Option<Request> + Send + Sync>;

impl Server {
    pub(super) fn bind(address: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(address)?,
            open: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub(super) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stopping` is set (then one more connection, such as
    /// [`wake`], ends the loop), calling `handle` for every request on one
    /// of the workers.
    pub(super) fn run(&self, stopping: &AtomicBool, handle: Handler) -> io::Result<()> {
        let (ready, readable) = crossbeam_channel::unbounded::<Connection>();
        let (waiting, waits) = crossbeam_channel::unbounded::<Connection>();
        let waiter = Waiter::new()?;
        for _ in 0..WORKERS {
            let (readable, waiting) = (readable.clone(), waiting.clone());
            let (handle, bell) = (Arc::clone(&handle), waiter.bell()?);
            std::thread::Builder::new()
                .name("okra-serve".into())
                .stack_size(STACK_SIZE)
                .spawn(move || work(&readable, &waiting, &bell, handle.as_ref()))?;
        }
        drop(readable);
        let bell = waiter.bell()?;
        let done = Arc::new(AtomicBool::new(false));
        {
            let done = Arc::clone(&done);
            std::thread::Builder::new()
                .name("okra-serve-wait".into())
                .spawn(move || waiter.run(&waits, &ready, &done))?;
        }
        for stream in self.listener.incoming() {
            if stopping.load(Ordering::SeqCst) {
                break;
            }
            let Ok(mut stream) = stream else {
                // Out of file descriptors, most likely: the connection
                // waits in the backlog meanwhile.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            if self.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                self.open.fetch_sub(1, Ordering::SeqCst);
                let _ = stream.write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
                continue;
            }
            let connection = Connection {
                stream,
                unread: Vec::new(),
                deadline: Instant::now() + HEAD_TIMEOUT,
                _slot: Slot(Arc::clone(&self.open)),
            };
            if waiting.send(connection).is_ok() {
                bell.ring();
            }
        }
        done.store(true, Ordering::SeqCst);
        bell.ring();
        Ok(())
    }
}

/// One of the open connections, counted in [`MAX_CONNECTIONS`] until it
/// is dropped.
struct Connection {
    stream: TcpStream,
    /// Bytes read but not yet taken by a request.
    unread: Vec<u8>,
    /// When the next request head must have arrived.
    deadline: Instant,
    _slot: Slot,
}

/// A place among the open connections, given back on drop.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A worker: answers the requests of connections that have bytes to read,
/// and hands each connection back to the [`Waiter`] while it waits for
/// more.
fn work(
    readable: &Receiver<Connection>,
    waiting: &Sender<Connection>,
    bell: &Bell,
    handle: &(dyn Fn(Request) -> Option<Request> + Send + Sync),
) {
    for connection in readable {
        if let Some(connection) = serve_readable(connection, handle) {
            if waiting.send(connection).is_ok() {
                bell.ring();
            }
        }
    }
}

/// Reads what the connection has without waiting, up to one byte past
/// [`MAX_HEAD`] of unread bytes. `true` when the client closed its side
/// (or the connection failed).
fn read_ready(connection: &mut Connection) -> bool {
    if connection.stream.set_nonblocking(true).is_err() {
        return true;
    }
    let mut buffer = [0u8; 4096];
    let closed = loop {
        if connection.unread.len() > MAX_HEAD {
            break false;
        }
        match connection.stream.read(&mut buffer) {
            Ok(0) => break true,
            Ok(n) => connection.unread.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break false,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break true,
        }
    };
    connection.stream.set_nonblocking(false).is_err() || closed
}

/// Answers every whole request a connection has sent. Gives the connection
/// back when it stays open for the next request; `None` when it closes.
fn serve_readable(
    mut connection: Connection,
    handle: &(dyn Fn(Request) -> Option<Request> + Send + Sync),
) -> Option<Connection> {
    let closed = read_ready(&mut connection);
    loop {
        let (used, head) = match split_head(&connection.unread) {
            Ok(Some(found)) => found,
            // Half a head: the rest may come before the deadline.
            Ok(None) if !closed => return Some(connection),
            Ok(None) => return None,
            Err(status) => {
                let mut stream = connection.stream;
                let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    reason(status)
                );
                linger(&mut stream);
                return None;
            }
        };
        connection.unread.drain(..used);
        let writer = connection.stream.try_clone().ok()?;
        let _ = writer.set_write_timeout(Some(WRITE_TIMEOUT));
        let Some(request) = parse(&head, writer) else {
            let mut stream = connection.stream;
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            return None;
        };
        match handle(request) {
            Some(request) if request.keep_alive && !closed => {}
            _ => return None,
        }
        connection.deadline = Instant::now() + HEAD_TIMEOUT;
    }
}

/// The thread that waits for bytes on every open connection at once: a
/// connection with something to read goes to the workers, one that has
/// passed its deadline is closed.
struct Waiter {
    #[cfg(unix)]
    wake: std::os::unix::net::UnixStream,
    #[cfg(unix)]
    bell: std::os::unix::net::UnixStream,
}

/// Wakes the [`Waiter`] to look at connections given back to it.
pub(super) struct Bell {
    #[cfg(unix)]
    stream: std::os::unix::net::UnixStream,
}

impl Bell {
    fn ring(&self) {
        #[cfg(unix)]
        {
            // A full pipe already holds a wake-up.
            let _ = (&self.stream).write(&[1]);
        }
    }
}

impl Waiter {
    fn new() -> io::Result<Waiter> {
        #[cfg(unix)]
        {
            let (wake, bell) = std::os::unix::net::UnixStream::pair()?;
            wake.set_nonblocking(true)?;
            bell.set_nonblocking(true)?;
            Ok(Waiter { wake, bell })
        }
        #[cfg(not(unix))]
        Ok(Waiter {})
    }

    fn bell(&self) -> io::Result<Bell> {
        Ok(Bell {
            #[cfg(unix)]
            stream: self.bell.try_clone()?,
        })
    }

    fn run(self, waits: &Receiver<Connection>, ready: &Sender<Connection>, done: &AtomicBool) {
        let mut waiting: Vec<Connection> = Vec::new();
        while !done.load(Ordering::SeqCst) {
            waiting.extend(waits.try_iter());
            let now = Instant::now();
            // Dropping a connection closes it.
            waiting.retain(|c| c.deadline > now);
            let until = waiting.iter().map(|c| c.deadline).min();
            let timeout = until
                .map_or(HEAD_TIMEOUT, |t| t.saturating_duration_since(now))
                .min(Duration::from_secs(1));
            let readable = self.wait(&waiting, timeout);
            let mut still = Vec::with_capacity(waiting.len());
            for (connection, readable) in waiting.drain(..).zip(readable) {
                if !readable {
                    still.push(connection);
                } else if ready.send(connection).is_err() {
                    return;
                }
            }
            waiting = still;
        }
    }

    /// Waits up to `timeout` for bytes on any of the connections or the
    /// bell; says for each connection whether it has something to read
    /// (or was closed).
    #[cfg(unix)]
    fn wait(&self, waiting: &[Connection], timeout: Duration) -> Vec<bool> {
        use std::os::fd::AsRawFd;
        let watch = |fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let mut fds: Vec<libc::pollfd> = std::iter::once(watch(self.wake.as_raw_fd()))
            .chain(waiting.iter().map(|c| watch(c.stream.as_raw_fd())))
            .collect();
        let millis = i32::try_from(timeout.as_millis())
            .unwrap_or(i32::MAX)
            .max(1);
        // SAFETY: `fds` is a live, initialised array of `fds.len()` pollfd
        // structs, which `poll` reads and whose `revents` it writes.
        let found = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, millis) };
        if found <= 0 {
            return vec![false; waiting.len()];
        }
        if fds[0].revents != 0 {
            let mut drained = [0u8; 256];
            while matches!((&self.wake).read(&mut drained), Ok(n) if n > 0) {}
        }
        fds[1..].iter().map(|fd| fd.revents != 0).collect()
    }

    /// Without `poll`, every connection is looked at every few
    /// milliseconds.
    #[cfg(not(unix))]
    fn wait(&self, waiting: &[Connection], timeout: Duration) -> Vec<bool> {
        std::thread::sleep(timeout.min(Duration::from_millis(10)));
        vec![true; waiting.len()]
    }
}

/// Opens and closes a connection to `address`, so that a server blocked in
/// `accept` looks at its stop flag.
pub(super) fn wake(address: SocketAddr) {
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
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    let mut buffer = [0u8; 16 * 1024];
    let mut dropped = 0;
    while dropped < LINGER_BYTES {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => dropped += n as u64,
        }
    }
}

/// Finds the first request head in `bytes`: how many bytes it takes (with
/// any blank lines before it, which are allowed) and its text. `Ok(None)`
/// while it is not whole yet, `Err(status)` when it is too large or not
/// text.
fn split_head(bytes: &[u8]) -> Result<Option<(usize, String)>, u16> {
    let mut start = 0;
    while let Some(rest) = bytes.get(start..) {
        match rest {
            [b'\r', b'\n', ..] => start += 2,
            [b'\n', ..] => start += 1,
            _ => break,
        }
    }
    let mut line = start;
    while let Some(end) = bytes[line..].iter().position(|&b| b == b'\n') {
        let next = line + end + 1;
        if matches!(&bytes[line..next], b"\r\n" | b"\n") {
            if next - start > MAX_HEAD {
                return Err(431);
            }
            let head = String::from_utf8(bytes[start..next].to_vec()).map_err(|_| 400_u16)?;
            return Ok(Some((next, head)));
        }
        line = next;
    }
    if bytes.len() > MAX_HEAD {
        return Err(431);
    }
    Ok(None)
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
        let head = |text: &str| split_head(text.as_bytes());
        let whole = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        assert_eq!(head(whole), Ok(Some((whole.len(), whole.to_string()))));
        assert_eq!(
            head("\r\nGET / HTTP/1.1\r\n\r\nGET /next"),
            Ok(Some((20, "GET / HTTP/1.1\r\n\r\n".to_string())))
        );
        assert_eq!(head(""), Ok(None));
        assert_eq!(head("GET / HTTP/1.1\r\nHost: a"), Ok(None));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&huge), Err(431));
        let endless = format!("GET / HTTP/1.1\r\n{}", "X: y\r\n".repeat(MAX_HEAD));
        assert_eq!(head(&endless), Err(431));
        assert_eq!(head(&"\r\n".repeat(MAX_HEAD)), Err(431));
    }
}
