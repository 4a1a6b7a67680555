//! Output event streams (`application/vnd.amazon.eventstream`): the
//! message framing (prelude, headers, payload, both CRC-32 checks) and an
//! [`EventStream`] the caller polls for typed events.
//!
//! The generated event union implements [`EventDecode`]: it maps
//! `:event-type` to its variants and reads each event's `@eventHeader`
//! members from the message headers and its payload. The body is a
//! [`ByteStream`]: read as far as the next message on each poll, so events
//! arrive as the service sends them; after an error the stream ends.

use std::fmt;
use std::marker::PhantomData;

use super::codec_error::Printable;
use super::gzip::crc32;
use super::stream::ByteStream;
use super::time::DateTime;

/// The longest message accepted (16 MiB, the AWS limit).
const MAX_MESSAGE: usize = super::stream::MAX_EVENT_MESSAGE;

pub use super::event_frame::HeaderValue;

/// One decoded message: its headers, in order, and its payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Message<'a> {
    /// Header names and values.
    pub headers: Vec<(&'a str, HeaderValue<'a>)>,
    /// The payload bytes.
    pub payload: &'a [u8],
}

impl<'a> Message<'a> {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&HeaderValue<'a>> {
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    /// The value of header `name` when it is a string.
    pub fn header_str(&self, name: &str) -> Option<&'a str> {
        match self.header(name) {
            Some(HeaderValue::String(s)) => Some(s),
            _ => None,
        }
    }
}

/// Decodes the message at the start of `input`: the message and the number
/// of bytes it took.
pub fn decode_message(input: &[u8]) -> Result<(Message<'_>, usize), String> {
    let u32_at = |at: usize| -> Option<u32> {
        let b = input.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(total), Some(headers_len), Some(prelude_crc)) = (u32_at(0), u32_at(4), u32_at(8))
    else {
        return Err(format!(
            "a message needs a 12-byte prelude, {} bytes left",
            input.len()
        ));
    };
    if crc32(&input[..8]) != prelude_crc {
        return Err("the prelude's CRC-32 does not match".to_owned());
    }
    let total = total as usize;
    let headers_len = headers_len as usize;
    if !(16..=MAX_MESSAGE).contains(&total) || headers_len > total - 16 {
        return Err(format!(
            "message length {total} with {headers_len} bytes of headers is out of bounds"
        ));
    }
    let Some(message) = input.get(..total) else {
        return Err(format!(
            "the message says {total} bytes, {} are left",
            input.len()
        ));
    };
    let crc = u32_at(total - 4).unwrap_or_default();
    if crc32(&message[..total - 4]) != crc {
        return Err("the message's CRC-32 does not match".to_owned());
    }
    let headers = decode_headers(&message[12..12 + headers_len])?;
    Ok((
        Message {
            headers,
            payload: &message[12 + headers_len..total - 4],
        },
        total,
    ))
}

fn decode_headers(mut b: &[u8]) -> Result<Vec<(&str, HeaderValue<'_>)>, String> {
    fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
        if b.len() < n {
            return Err("a header runs past the headers".to_owned());
        }
        let (head, rest) = b.split_at(n);
        *b = rest;
        Ok(head)
    }
    fn array<const N: usize>(b: &mut &[u8]) -> Result<[u8; N], String> {
        let mut out = [0; N];
        out.copy_from_slice(take(b, N)?);
        Ok(out)
    }
    let mut out = Vec::new();
    while !b.is_empty() {
        let name_len = usize::from(take(&mut b, 1)?[0]);
        let name = std::str::from_utf8(take(&mut b, name_len)?)
            .map_err(|_| "a header name is not UTF-8".to_owned())?;
        let value = match take(&mut b, 1)?[0] {
            0 => HeaderValue::Bool(true),
            1 => HeaderValue::Bool(false),
            2 => HeaderValue::Byte(i8::from_be_bytes(array(&mut b)?)),
            3 => HeaderValue::Short(i16::from_be_bytes(array(&mut b)?)),
            4 => HeaderValue::Int(i32::from_be_bytes(array(&mut b)?)),
            5 => HeaderValue::Long(i64::from_be_bytes(array(&mut b)?)),
            6 => {
                let n = usize::from(u16::from_be_bytes(array(&mut b)?));
                HeaderValue::Bytes(take(&mut b, n)?)
            }
            7 => {
                let n = usize::from(u16::from_be_bytes(array(&mut b)?));
                HeaderValue::String(
                    std::str::from_utf8(take(&mut b, n)?)
                        .map_err(|_| format!("header `{name}` is not UTF-8"))?,
                )
            }
            8 => HeaderValue::Timestamp(i64::from_be_bytes(array(&mut b)?)),
            9 => HeaderValue::Uuid(take(&mut b, 16)?),
            other => return Err(format!("header `{name}` has unknown type {other}")),
        };
        out.push((name, value));
    }
    Ok(out)
}

/// Why an event stream ended with an error.
#[derive(Clone, Debug, PartialEq)]
pub enum EventStreamError<T> {
    /// A modeled error event (`:message-type: exception`): the event union
    /// holding the error's variant.
    Modeled(T),
    /// An error the model does not describe: an `error` message, or an
    /// exception of an unknown type.
    Unmodeled {
        /// `:error-code` or `:exception-type`.
        code: String,
        /// `:error-message`, or the payload as text.
        message: String,
    },
    /// The bytes are not a valid message, or an event could not be read.
    Malformed(String),
    /// The connection broke while the body was being read.
    Transport(String),
}

impl<T: fmt::Debug> fmt::Display for EventStreamError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStreamError::Modeled(e) => write!(f, "modeled error event: {e:?}"),
            EventStreamError::Unmodeled { code, message } => {
                write!(f, "error event {}: {}", Printable(code), Printable(message))
            }
            EventStreamError::Malformed(why) => {
                write!(f, "malformed event stream: {}", Printable(why))
            }
            EventStreamError::Transport(why) => {
                write!(f, "event stream broken: {}", Printable(why))
            }
        }
    }
}

impl<T: fmt::Debug> std::error::Error for EventStreamError<T> {}

/// Decodes one message into an event of the union (generated).
pub trait EventDecode: Sized {
    /// The event of a message whose `:message-type` is `event` or
    /// `exception`, or the error it carries.
    fn decode_event(message: &Message<'_>) -> Result<Self, EventStreamError<Self>>;
}

/// The message types every union handles alike: `error` messages, and
/// messages without a string `:message-type`. `None` for `event` and
/// `exception`, which the union reads.
pub fn common_message<T>(message: &Message<'_>) -> Option<EventStreamError<T>> {
    match message.header_str(":message-type") {
        Some("event" | "exception") => None,
        Some("error") => Some(EventStreamError::Unmodeled {
            code: message
                .header_str(":error-code")
                .unwrap_or_default()
                .to_owned(),
            message: message
                .header_str(":error-message")
                .unwrap_or_default()
                .to_owned(),
        }),
        Some(other) => Some(EventStreamError::Malformed(format!(
            "unknown :message-type `{other}`"
        ))),
        None => Some(EventStreamError::Malformed(
            "no string :message-type header".to_owned(),
        )),
    }
}

/// An exception the union does not model.
pub fn unmodeled_exception<T>(message: &Message<'_>) -> EventStreamError<T> {
    EventStreamError::Unmodeled {
        code: message
            .header_str(":exception-type")
            .unwrap_or_default()
            .to_owned(),
        message: String::from_utf8_lossy(message.payload).into_owned(),
    }
}

/// Reads an `@eventHeader` member: `Ok(None)` when absent, an error when
/// the header has another type.
pub fn header<'a, V>(
    message: &Message<'a>,
    name: &str,
    read: impl Fn(&HeaderValue<'a>) -> Option<V>,
) -> Result<Option<V>, String> {
    match message.header(name) {
        None => Ok(None),
        Some(v) => read(v)
            .map(Some)
            .ok_or_else(|| format!("event header `{name}` has the wrong type: {v:?}")),
    }
}

/// A timestamp header as a [`DateTime`].
pub fn header_timestamp(v: &HeaderValue<'_>) -> Option<DateTime> {
    match v {
        HeaderValue::Timestamp(ms) => Some(DateTime::from_millis(*ms)),
        _ => None,
    }
}

/// An event stream the caller polls: [`next_event`](Self::next_event) (or
/// the `Iterator`) in blocking code, [`next_event_async`](Self::next_event_async)
/// in async code. Each poll reads from the response body only as far as the
/// next whole message, so events arrive as the service sends them.
pub struct EventStream<T> {
    source: ByteStream,
    /// Bytes read and not decoded yet, from `at` on.
    buf: Vec<u8>,
    at: usize,
    /// Whether the source has ended.
    drained: bool,
    /// Whether the stream has ended (the body ended, or an error).
    ended: bool,
    _events: PhantomData<fn() -> T>,
}

/// What the buffered bytes hold.
enum Next {
    /// A whole message (or a length the decoder will refuse).
    Message,
    /// Not yet a whole message.
    More,
}

impl<T> EventStream<T> {
    /// A stream over a whole response body in memory.
    pub fn from_body(body: Vec<u8>) -> Self {
        Self::new(ByteStream::from_bytes(body))
    }

    /// A stream over a body read as it arrives.
    pub fn new(source: ByteStream) -> Self {
        EventStream {
            source,
            buf: Vec::new(),
            at: 0,
            drained: false,
            ended: false,
            _events: PhantomData,
        }
    }

    /// The bytes read and not decoded yet, plus those of an in-memory body
    /// (a live body's unread bytes are not known).
    pub fn remaining(&self) -> Vec<u8> {
        let mut out = self.buf[self.at..].to_vec();
        out.extend_from_slice(self.source.buffered().unwrap_or_default());
        out
    }

    /// Whether the buffered bytes hold a whole message (its length is in
    /// the prelude).
    fn next_len(&self) -> Next {
        // Out-of-bounds lengths go to the decoder, which says why.
        if super::stream::holds_message(&self.buf[self.at..]) {
            Next::Message
        } else {
            Next::More
        }
    }
}

/// [`parse_streaming`](super::http::parse_streaming) for an RPC protocol's event stream whose output has
/// members beside the stream: they come as the JSON payload of the
/// stream's first event, `initial-response`, read here (from the body, or
/// from what the async client buffered of it) and parsed as the output's
/// body. A stream that starts with any other message keeps it.
pub fn parse_streaming_initial<O: super::http::Operation>(
    status: u16,
    headers: &(impl super::http::Headers + ?Sized),
    body: super::ByteStream,
    place: impl FnOnce(&mut O::Output, super::ByteStream),
) -> Result<O::Output, O::Error> {
    if !super::http::is_success(status) {
        return super::http::parse_collected::<O>(status, headers, body);
    }
    let mut body = body;
    let initial = match take_initial_response(&mut body) {
        Ok(initial) => initial,
        Err(e) => return Err(super::UnhandledError::unreadable_body(status, headers, &e).into()),
    };
    let mut output = O::parse_response(status, headers, initial.as_deref().unwrap_or(b"{}"))?;
    place(&mut output, body);
    Ok(output)
}

/// The payload of the `initial-response` event `body` starts with, read
/// and removed from it; `None`, the body untouched, when it starts with any
/// other message (or is empty). Reads only as far as that first message
/// (an async body must have it buffered: see
/// [`ByteStream::buffer_first_message`]).
pub fn take_initial_response(body: &mut ByteStream) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut first = vec![0u8; 12];
    let mut got = 0;
    while got < first.len() {
        match body.read(&mut first[got..])? {
            0 => break,
            n => got += n,
        }
        if got == 12 {
            let total = u32::from_be_bytes([first[0], first[1], first[2], first[3]]) as usize;
            if !(16..=MAX_MESSAGE).contains(&total) {
                break;
            }
            first.resize(total, 0);
        }
    }
    first.truncate(got);
    let initial = match decode_message(&first) {
        Ok((m, used))
            if used == first.len()
                && m.header_str(":message-type") == Some("event")
                && m.header_str(":event-type") == Some("initial-response") =>
        {
            Some(m.payload.to_vec())
        }
        _ => None,
    };
    if initial.is_none() {
        *body = std::mem::take(body).prepend(first);
    }
    Ok(initial)
}

impl<T: EventDecode> EventStream<T> {
    /// Decodes the buffered message; `None` when the body has ended
    /// cleanly, `Some(None)` for a message that is no event of the stream
    /// (the `initial-response` of an RPC protocol, whose output here has no
    /// other members). Call only when [`next_len`](Self::next_len) says a
    /// whole message is there or the source is drained.
    #[allow(clippy::type_complexity)]
    fn decode(&mut self) -> Option<Option<Result<T, EventStreamError<T>>>> {
        if self.at >= self.buf.len() {
            self.ended = true;
            return None;
        }
        let result = match decode_message(&self.buf[self.at..]) {
            Ok((message, used)) => {
                self.at += used;
                if message.header_str(":message-type") == Some("event")
                    && message.header_str(":event-type") == Some("initial-response")
                {
                    return Some(None);
                }
                match common_message(&message) {
                    Some(e) => Err(e),
                    None => T::decode_event(&message),
                }
            }
            Err(why) => Err(EventStreamError::Malformed(why)),
        };
        Some(Some(self.finish(result)))
    }

    /// Appends a chunk read from the source, or notes its end; a broken
    /// connection ends the stream with the error it gives.
    fn take(
        &mut self,
        chunk: Option<std::io::Result<Vec<u8>>>,
    ) -> Option<Result<T, EventStreamError<T>>> {
        match chunk {
            Some(Ok(bytes)) => {
                if self.at > 0 {
                    self.buf.drain(..self.at);
                    self.at = 0;
                }
                self.buf.extend_from_slice(&bytes);
                None
            }
            Some(Err(e)) => Some(self.finish(Err(EventStreamError::Transport(format!(
                "reading the response body: {e}"
            ))))),
            None => {
                self.drained = true;
                None
            }
        }
    }

    fn finish(&mut self, result: Result<T, EventStreamError<T>>) -> Result<T, EventStreamError<T>> {
        if result.is_err() {
            self.ended = true;
        }
        result
    }

    /// The next event, reading the body (blocking) as far as it needs;
    /// `None` at the end of the body or after an error. A body read by an
    /// async transport needs [`next_event_async`](Self::next_event_async).
    pub fn next_event(&mut self) -> Option<Result<T, EventStreamError<T>>> {
        loop {
            if let Some(event) = self.buffered_event() {
                return event;
            }
            let chunk = self.source.read_chunk();
            if let Some(failed) = self.take(chunk) {
                return Some(failed);
            }
        }
    }

    /// The next event, awaiting the body as far as it needs; `None` at the
    /// end of the body or after an error.
    pub async fn next_event_async(&mut self) -> Option<Result<T, EventStreamError<T>>> {
        loop {
            if let Some(event) = self.buffered_event() {
                return event;
            }
            let chunk = self.source.next_chunk().await;
            if let Some(failed) = self.take(chunk) {
                return Some(failed);
            }
        }
    }

    /// What the buffered bytes give without reading more: the next event
    /// or the end (`Some`), or `None` when more bytes are needed.
    #[allow(clippy::type_complexity)]
    fn buffered_event(&mut self) -> Option<Option<Result<T, EventStreamError<T>>>> {
        while !self.ended && (self.drained || matches!(self.next_len(), Next::Message)) {
            match self.decode() {
                Some(None) => continue,
                Some(Some(event)) => return Some(Some(event)),
                None => return Some(None),
            }
        }
        self.ended.then_some(None)
    }
}

impl<T: EventDecode> Iterator for EventStream<T> {
    type Item = Result<T, EventStreamError<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_event()
    }
}

impl<T> Default for EventStream<T> {
    fn default() -> Self {
        EventStream::from_body(Vec::new())
    }
}

impl<T> PartialEq for EventStream<T> {
    /// Streams in memory are equal when their undecoded bytes are; a live
    /// stream equals nothing.
    fn eq(&self, other: &Self) -> bool {
        !self.source.is_live()
            && !other.source.is_live()
            && self.remaining() == other.remaining()
            && self.ended == other.ended
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("source", &self.source)
            .field("undecoded_bytes", &(self.buf.len() - self.at))
            .field("ended", &self.ended)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message with `headers` (already encoded) and `payload`.
    fn frame(headers: &[u8], payload: &[u8]) -> Vec<u8> {
        let total = (16 + headers.len() + payload.len()) as u32;
        let mut out = Vec::new();
        out.extend_from_slice(&total.to_be_bytes());
        out.extend_from_slice(&(headers.len() as u32).to_be_bytes());
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out.extend_from_slice(headers);
        out.extend_from_slice(payload);
        let crc = crc32(&out);
        out.extend_from_slice(&crc.to_be_bytes());
        out
    }

    fn string_header(name: &str, value: &str) -> Vec<u8> {
        let mut out = vec![name.len() as u8];
        out.extend_from_slice(name.as_bytes());
        out.push(7);
        out.extend_from_slice(&(value.len() as u16).to_be_bytes());
        out.extend_from_slice(value.as_bytes());
        out
    }

    #[test]
    fn messages_decode_and_checks_hold() {
        let mut headers = string_header(":message-type", "event");
        headers.extend([4, b'n', b'u', b'm', b'1', 4, 0, 0, 1, 0]);
        headers.extend([1, b't', 8]);
        headers.extend(1_500i64.to_be_bytes());
        let bytes = frame(&headers, b"{}");
        let (m, used) = decode_message(&bytes).unwrap();
        assert_eq!(used, bytes.len());
        assert_eq!(m.header_str(":message-type"), Some("event"));
        assert_eq!(m.header("num1"), Some(&HeaderValue::Int(256)));
        assert_eq!(
            header(&m, "t", header_timestamp).unwrap(),
            Some(DateTime::from_millis(1500))
        );
        assert!(header(&m, "num1", header_timestamp).is_err());
        assert_eq!(m.payload, b"{}");
        // Every corruption is an error, never a panic.
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x40;
            assert!(decode_message(&bad).is_err(), "byte {i}");
        }
        for n in 0..bytes.len() {
            assert!(decode_message(&bytes[..n]).is_err(), "{n} bytes");
        }
    }

    #[test]
    fn arbitrary_bytes_are_errors_or_messages_never_panics() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let valid = frame(&string_header(":message-type", "event"), b"payload");
        for _ in 0..5000 {
            let mut bytes = valid.clone();
            // Random edits of a valid message, and random lengths.
            for _ in 0..(next() % 4) {
                let at = (next() % bytes.len() as u64) as usize;
                bytes[at] = next() as u8;
            }
            bytes.truncate((next() % (bytes.len() as u64 + 1)) as usize);
            if let Ok((m, used)) = decode_message(&bytes) {
                assert!(used <= bytes.len());
                assert!(m.payload.len() <= used);
            }
            let random: Vec<u8> = (0..(next() % 64)).map(|_| next() as u8).collect();
            let _ = decode_message(&random);
        }
    }

    /// An event union of one string-payload variant, for the stream tests.
    #[derive(Debug, PartialEq)]
    struct Text(String);

    impl EventDecode for Text {
        fn decode_event(message: &Message<'_>) -> Result<Self, EventStreamError<Self>> {
            Ok(Text(String::from_utf8_lossy(message.payload).into_owned()))
        }
    }

    fn event(payload: &str) -> Vec<u8> {
        frame(&string_header(":message-type", "event"), payload.as_bytes())
    }

    /// A reader giving one byte per read, then failing when `fail` is set.
    struct Trickle(Vec<u8>, usize, bool);

    impl std::io::Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match self.0.get(self.1) {
                Some(b) if !buf.is_empty() => {
                    buf[0] = *b;
                    self.1 += 1;
                    Ok(1)
                }
                _ if self.2 => Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "reset",
                )),
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn messages_split_across_reads_decode_as_they_complete() {
        let body: Vec<u8> = [event("one"), event(""), event("three")].concat();
        let stream =
            EventStream::<Text>::new(ByteStream::from_reader(Trickle(body.clone(), 0, false)));
        let events: Vec<_> = stream.map(Result::unwrap).collect();
        assert_eq!(
            events,
            [Text("one".into()), Text("".into()), Text("three".into())]
        );
        // The same through the async path, in chunks that split prelude and payload.
        struct Chunks(Vec<Vec<u8>>);
        impl super::super::stream::AsyncBody for Chunks {
            fn poll_chunk(
                mut self: std::pin::Pin<&mut Self>,
                _: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Option<std::io::Result<Vec<u8>>>> {
                std::task::Poll::Ready((!self.0.is_empty()).then(|| Ok(self.0.remove(0))))
            }
        }
        for size in [1, 3, 5, 16, 40, 1000] {
            let chunks = body.chunks(size).map(<[u8]>::to_vec).collect();
            let mut stream = EventStream::<Text>::new(ByteStream::from_async(Chunks(chunks)));
            let mut got = Vec::new();
            while let Some(e) = super::super::stream::tests::block_on(stream.next_event_async()) {
                got.push(e.unwrap());
            }
            assert_eq!(got.len(), 3, "chunks of {size}");
            assert_eq!(got[2], Text("three".into()));
        }
        // A body cut short mid-message is malformed; a broken connection is a transport error.
        let cut = EventStream::<Text>::new(ByteStream::from_reader(Trickle(
            body[..body.len() - 3].to_vec(),
            0,
            false,
        )));
        let last = cut.last().unwrap();
        assert!(
            matches!(last, Err(EventStreamError::Malformed(_))),
            "{last:?}"
        );
        let mut broken =
            EventStream::<Text>::new(ByteStream::from_reader(Trickle(event("a"), 0, true)));
        assert_eq!(broken.next_event(), Some(Ok(Text("a".into()))));
        assert!(matches!(
            broken.next_event(),
            Some(Err(EventStreamError::Transport(_)))
        ));
        assert_eq!(broken.next_event(), None);
    }

    #[test]
    fn error_messages_and_missing_types_end_the_stream() {
        let mut headers = string_header(":message-type", "error");
        headers.extend(string_header(":error-code", "Throttled"));
        headers.extend(string_header(":error-message", "slow down"));
        let m = frame(&headers, b"");
        let (m, _) = decode_message(&m).unwrap();
        assert_eq!(
            common_message::<()>(&m),
            Some(EventStreamError::Unmodeled {
                code: "Throttled".into(),
                message: "slow down".into()
            })
        );
        let m = frame(&[], b"");
        let (m, _) = decode_message(&m).unwrap();
        assert!(matches!(
            common_message::<()>(&m),
            Some(EventStreamError::Malformed(_))
        ));
    }
}
