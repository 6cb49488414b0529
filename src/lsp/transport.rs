//! The editor's messages over stdin and stdout, framed by `Content-Length`
//! headers. Unlike a reader that trusts the header, a frame is read only
//! as far as its bytes arrive and never past [`MAX_FRAME`], so no header
//! can make the server allocate more than the editor really sent.

use std::io::{self, BufRead, Read};
use std::thread::JoinHandle;

use crossbeam_channel::{Sender, bounded};
use lsp_server::{Connection, Message};

/// The largest frame read: room for the largest document okra reads,
/// written as JSON with every byte escaped.
pub const MAX_FRAME: u64 = 4 * crate::load::MAX_FILE_BYTES;

/// The longest header line taken.
const MAX_HEADER_LINE: u64 = 1024;

/// A connection over stdin and stdout, and the threads that carry it.
pub fn stdio() -> (Connection, Threads) {
    let (to_editor, outgoing) = bounded::<Message>(0);
    let writer = std::thread::spawn(move || {
        let mut out = io::stdout().lock();
        outgoing.into_iter().try_for_each(|m| m.write(&mut out))
    });
    let (incoming, from_editor) = bounded::<Message>(0);
    let reader = std::thread::spawn(move || read_all(&mut io::stdin().lock(), &incoming));
    let connection = Connection {
        sender: to_editor,
        receiver: from_editor,
    };
    (connection, Threads { reader, writer })
}

/// The reader and writer threads.
pub struct Threads {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Threads {
    /// Waits for both threads; the first error either met.
    pub fn join(self) -> io::Result<()> {
        let reader = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reader")));
        let writer = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer")));
        reader.and(writer)
    }
}

/// Reads messages from `input` and hands them on until the editor exits
/// or the stream ends.
fn read_all(input: &mut impl BufRead, incoming: &Sender<Message>) -> io::Result<()> {
    while let Some(message) = read_message(input)? {
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if incoming.send(message).is_err() || exit {
            break;
        }
    }
    Ok(())
}

/// One message, `None` at the end of the stream. A frame without a
/// length, with a length over [`MAX_FRAME`] or that is not a message is
/// an error, which ends the connection.
pub fn read_message(input: &mut impl BufRead) -> io::Result<Option<Message>> {
    let mut length: Option<u64> = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() {
            return Ok(None);
        }
        if !line.ends_with(b"\n") {
            return Err(bad("a header line is too long or unfinished"));
        }
        let text = std::str::from_utf8(&line).map_err(|_| bad("a header is not text"))?;
        let text = text.trim_end();
        if text.is_empty() {
            break;
        }
        let (name, value) = text
            .split_once(':')
            .ok_or_else(|| bad("a header has no `:`"))?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value: u64 = value
                .trim()
                .parse()
                .map_err(|_| bad("`Content-Length` is not a number"))?;
            if value > MAX_FRAME {
                return Err(bad(&format!(
                    "a message of {value} bytes is over the limit of {MAX_FRAME}"
                )));
            }
            length = Some(value);
        }
    }
    let length = length.ok_or_else(|| bad("a message has no `Content-Length`"))?;
    let mut body = Vec::new();
    input.by_ref().take(length).read_to_end(&mut body)?;
    if body.len() as u64 != length {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the stream ended inside a message",
        ));
    }
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| bad(&format!("a message is not JSON-RPC: {e}")))
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(header: &str, body: &str) -> Vec<u8> {
        format!("{header}\r\n\r\n{body}").into_bytes()
    }

    #[test]
    fn frames_are_read_only_as_far_as_their_bytes_and_the_limit() {
        let body = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let ok = frame(&format!("Content-Length: {}", body.len()), body);
        let read = read_message(&mut ok.as_slice()).unwrap().unwrap();
        assert!(matches!(read, Message::Notification(n) if n.method == "initialized"));
        for header in [
            format!("Content-Length: {}", u64::MAX),
            "Content-Length: 1000000000000".to_string(),
            "Content-Length: 18446744073709551616".to_string(),
            "Content-Length: -1".to_string(),
            "Content-Type: x".to_string(),
        ] {
            let bytes = frame(&header, body);
            let error = read_message(&mut bytes.as_slice()).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "{header}");
        }
        // A length that promises more than arrives allocates only what came.
        let short = frame("Content-Length: 200000000", body);
        let error = read_message(&mut short.as_slice()).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        let long_header = format!("X: {}\r\n", "a".repeat(10_000));
        assert!(read_message(&mut long_header.as_bytes()).is_err());
        assert!(read_message(&mut &b""[..]).unwrap().is_none());
    }
}
