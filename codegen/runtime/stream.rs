//! Response bodies read as they arrive: [`ByteStream`], the type of every
//! `@streaming` blob in an operation's output, and the source an event
//! stream decodes from.
//!
//! A stream is either bytes already in memory (what `parse_response` is
//! given, what tests and the `Json`/serde forms build) or a live source a
//! client transport hands over: a blocking [`std::io::Read`] or an
//! [`AsyncBody`]. Blocking readers use [`Read`] or
//! [`collect`](ByteStream::collect); async callers use
//! [`next_chunk`](ByteStream::next_chunk) or
//! [`collect_async`](ByteStream::collect_async). Std only.

use std::fmt;
use std::fs::File;
use std::future::Future;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

/// A body an async transport delivers chunk by chunk.
pub trait AsyncBody: Send {
    /// The next chunk: `Ready(None)` at the end of the body, an error when
    /// the connection breaks. Never an empty chunk.
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Vec<u8>>>>;
}

/// A source of framed, unsigned event-stream messages, as a client sends
/// them (an input's event stream, its event type erased).
pub trait MessageSource: Send {
    /// The next message, `Pending` until one is ready, `None` at the end.
    fn poll_message(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Vec<u8>, super::codec_error::EncodeError>>>;
}

/// How many bytes a blocking read asks for at a time.
const CHUNK: usize = 64 * 1024;

enum Source {
    /// Bytes in memory, from `at` on.
    Bytes { data: Vec<u8>, at: usize },
    /// A blocking reader (the blocking client's transport).
    Blocking(Box<dyn Read + Send>),
    /// An async body (the async client's transport).
    Async(Pin<Box<dyn AsyncBody>>),
    /// `len` bytes of a file from `offset`, opened when first read (and
    /// again for each attempt of an upload).
    File {
        path: PathBuf,
        offset: u64,
        len: u64,
        open: Option<io::Take<File>>,
    },
    /// A reader of `len` bytes, read once; the client takes it out to send
    /// it (hence the lock: an input is sent from a shared reference).
    Sized(Mutex<Option<Box<dyn Read + Send>>>, u64),
    /// Bytes already read from `rest` (from `at` on), given back in front
    /// of it.
    Chain {
        head: Vec<u8>,
        at: usize,
        rest: Box<ByteStream>,
    },
}

/// A streamed body: bytes in memory, or a live response body read as it
/// arrives. Not `Clone`: a live body can be read once.
pub struct ByteStream {
    source: Source,
}

impl ByteStream {
    /// A stream of `bytes`, already in memory.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Self {
        ByteStream {
            source: Source::Bytes {
                data: bytes.into(),
                at: 0,
            },
        }
    }

    /// A stream read from a blocking reader as the caller reads it.
    pub fn from_reader(reader: impl Read + Send + 'static) -> Self {
        ByteStream {
            source: Source::Blocking(Box::new(reader)),
        }
    }

    /// The whole file at `path`, read as it is sent: an upload that takes
    /// no more memory than a chunk, and that a retry reads again from the
    /// start. The length is the file's now; a file that changes size before
    /// it is sent fails the call.
    pub fn from_path(path: impl AsRef<Path>) -> io::Result<Self> {
        let len = std::fs::metadata(path.as_ref())?.len();
        Self::from_path_range(path, 0, len)
    }

    /// `len` bytes of the file at `path` from byte `offset` (one part of a
    /// multipart upload), read as they are sent, again for each retry.
    pub fn from_path_range(path: impl AsRef<Path>, offset: u64, len: u64) -> io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let size = std::fs::metadata(&path)?.len();
        if offset.checked_add(len).is_none_or(|end| end > size) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{}: bytes {offset}..+{len} are past the end of the file ({size} bytes)",
                    path.display()
                ),
            ));
        }
        Ok(ByteStream {
            source: Source::File {
                path,
                offset,
                len,
                open: None,
            },
        })
    }

    /// `len` bytes read from `reader` as they are sent: bounded memory for
    /// a source of any size, but read once, so a failed attempt is not
    /// retried (use [`from_path`](Self::from_path) or bytes in memory for
    /// uploads that retry). Reading stops after `len` bytes; fewer fails
    /// the call.
    pub fn from_reader_with_length(reader: impl Read + Send + 'static, len: u64) -> Self {
        ByteStream {
            source: Source::Sized(Mutex::new(Some(Box::new(reader.take(len)))), len),
        }
    }

    /// How many bytes the stream holds, when that is known before reading
    /// it (bytes in memory, a file, a reader given its length).
    pub fn content_length(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes { data, at } => Some((data.len() - at) as u64),
            Source::File { len, .. } | Source::Sized(_, len) => Some(*len),
            Source::Chain { head, at, rest } => {
                rest.content_length().map(|n| n + (head.len() - at) as u64)
            }
            Source::Blocking(_) | Source::Async(_) => None,
        }
    }

    /// What a client sends this stream from, as an upload: a file opened
    /// afresh for each attempt, or the one-shot reader (taken out: a second
    /// call gives a source that fails to open). `None` for bytes in memory
    /// (sent as a body) and for live bodies of unknown length.
    #[doc(hidden)]
    pub fn upload_source(&self) -> Option<UploadSource> {
        match &self.source {
            Source::File {
                path, offset, len, ..
            } => Some(UploadSource::File {
                path: path.clone(),
                offset: *offset,
                len: *len,
            }),
            Source::Sized(reader, _) => Some(UploadSource::Once(
                reader.lock().ok().and_then(|mut r| r.take()),
            )),
            _ => None,
        }
    }

    /// `head`, then this stream: bytes read ahead of the caller put back.
    pub fn prepend(self, head: Vec<u8>) -> Self {
        if head.is_empty() {
            return self;
        }
        match self.source {
            Source::Bytes { mut data, at } => {
                let mut all = head;
                all.extend_from_slice(&data.split_off(at));
                ByteStream::from_bytes(all)
            }
            source => ByteStream {
                source: Source::Chain {
                    head,
                    at: 0,
                    rest: Box::new(ByteStream { source }),
                },
            },
        }
    }

    /// Reads until the first event-stream message of the body is buffered
    /// (or the body ends), and gives the body back whole, those bytes
    /// first: what the async client does before an output's
    /// `initial-response` event is read synchronously.
    pub async fn buffer_first_message(mut self) -> io::Result<Self> {
        let mut buf = Vec::new();
        while !holds_message(&buf) {
            match self.next_chunk().await {
                Some(chunk) => buf.extend_from_slice(&chunk?),
                None => break,
            }
        }
        Ok(self.prepend(buf))
    }

    /// A stream read from an async body as the caller polls it.
    pub fn from_async(body: impl AsyncBody + 'static) -> Self {
        ByteStream {
            source: Source::Async(Box::pin(body)),
        }
    }

    /// The bytes not read yet, when they are all in memory; `None` for a
    /// live body, a file or a reader.
    pub fn buffered(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes { data, at } => Some(&data[*at..]),
            _ => None,
        }
    }

    /// Whether the body is read from a connection as it arrives.
    pub fn is_live(&self) -> bool {
        self.buffered().is_none()
    }

    /// Whether the body is an async one (read it with
    /// [`next_chunk`](Self::next_chunk)).
    pub fn is_async(&self) -> bool {
        match &self.source {
            Source::Async(_) => true,
            Source::Chain { rest, .. } => rest.is_async(),
            _ => false,
        }
    }

    /// Whether a client can send this stream again after an attempt
    /// failed: bytes in memory and files can, readers cannot.
    pub fn is_replayable(&self) -> bool {
        matches!(self.source, Source::Bytes { .. } | Source::File { .. })
    }

    /// Reads the rest of a blocking or in-memory stream. An async body is
    /// an error ([`collect_async`](Self::collect_async) reads it).
    pub fn collect(mut self) -> io::Result<Vec<u8>> {
        if let Source::Bytes { data, at } = &mut self.source {
            return Ok(data.split_off(*at));
        }
        let mut out = Vec::new();
        self.read_to_end(&mut out)?;
        Ok(out)
    }

    /// The next chunk of bytes, `None` at the end. An in-memory stream
    /// gives the rest at once; a blocking reader blocks.
    pub fn next_chunk(&mut self) -> impl Future<Output = Option<io::Result<Vec<u8>>>> + '_ {
        std::future::poll_fn(move |cx| self.poll_chunk(cx))
    }

    /// Reads the rest of the stream, whatever its source.
    pub async fn collect_async(mut self) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Reads at most `limit` bytes of a blocking or in-memory stream, and
    /// no longer than until `deadline`: what was read, the rest left
    /// unread (an error body a server drips or never ends cannot hold a
    /// call).
    pub fn collect_bounded(
        mut self,
        limit: usize,
        deadline: Option<std::time::Instant>,
    ) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while out.len() < limit {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the body did not end before the attempt timeout",
                ));
            }
            match self.read_chunk() {
                None => break,
                Some(chunk) => out.extend_from_slice(&chunk?),
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// Reads the whole of a blocking or in-memory stream, before
    /// `deadline`: a body longer than `limit` bytes is an error.
    pub fn collect_limited(
        self,
        limit: u64,
        deadline: Option<std::time::Instant>,
    ) -> io::Result<Vec<u8>> {
        let cap = usize::try_from(limit).unwrap_or(usize::MAX);
        let body = self.collect_bounded(cap.saturating_add(1), deadline)?;
        check_limit(body, cap)
    }

    /// Reads the whole stream, whatever its source (the caller bounds the
    /// time): a body longer than `limit` bytes is an error.
    pub async fn collect_async_limited(self, limit: u64) -> io::Result<Vec<u8>> {
        let cap = usize::try_from(limit).unwrap_or(usize::MAX);
        let body = self.collect_async_bounded(cap.saturating_add(1)).await?;
        check_limit(body, cap)
    }

    /// Reads at most `limit` bytes of the stream, whatever its source (the
    /// caller bounds the time); the rest left unread.
    pub async fn collect_async_bounded(mut self, limit: usize) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while out.len() < limit {
            match self.next_chunk().await {
                None => break,
                Some(chunk) => out.extend_from_slice(&chunk?),
            }
        }
        out.truncate(limit);
        Ok(out)
    }

    /// The next chunk of an in-memory or blocking stream, blocking; `None`
    /// at the end. An async body is an error.
    pub fn read_chunk(&mut self) -> Option<io::Result<Vec<u8>>> {
        match &mut self.source {
            Source::Bytes { data, at } => {
                if *at >= data.len() {
                    return None;
                }
                let rest = data[*at..].to_vec();
                *at = data.len();
                Some(Ok(rest))
            }
            _ => {
                let mut buf = vec![0; CHUNK];
                loop {
                    return match self.read(&mut buf) {
                        Ok(0) => None,
                        Ok(n) => {
                            buf.truncate(n);
                            Some(Ok(buf))
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => Some(Err(e)),
                    };
                }
            }
        }
    }

    /// [`next_chunk`](Self::next_chunk) as a poll.
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<io::Result<Vec<u8>>>> {
        match &mut self.source {
            // Files and readers are read on the polling thread: a chunk
            // at a time, as the client sends them.
            Source::Bytes { .. }
            | Source::Blocking(_)
            | Source::File { .. }
            | Source::Sized(..) => Poll::Ready(self.read_chunk()),
            Source::Chain { head, at, rest } => {
                if *at < head.len() {
                    let chunk = head[*at..].to_vec();
                    *at = head.len();
                    return Poll::Ready(Some(Ok(chunk)));
                }
                rest.poll_chunk(cx)
            }
            Source::Async(body) => loop {
                match body.as_mut().poll_chunk(cx) {
                    // An empty chunk is not an end: ask again.
                    Poll::Ready(Some(Ok(chunk))) if chunk.is_empty() => continue,
                    other => return other,
                }
            },
        }
    }
}

/// A timer future, as [`ByteStream::with_idle_timeout`] takes them.
pub type Timer = Pin<Box<dyn Future<Output = ()> + Send>>;

/// An async body whose every chunk must arrive within `timeout` of the
/// previous one (or of the first poll).
struct IdleTimeout<F> {
    inner: Pin<Box<dyn AsyncBody>>,
    timeout: std::time::Duration,
    timer: F,
    running: Option<Timer>,
}

impl<F: Fn(std::time::Duration) -> Timer + Send + Unpin> AsyncBody for IdleTimeout<F> {
    fn poll_chunk(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<io::Result<Vec<u8>>>> {
        let this = self.get_mut();
        if let Poll::Ready(chunk) = this.inner.as_mut().poll_chunk(cx) {
            this.running = None;
            return Poll::Ready(chunk);
        }
        let timeout = this.timeout;
        let timer = this.running.get_or_insert_with(|| (this.timer)(timeout));
        if timer.as_mut().poll(cx).is_ready() {
            this.running = None;
            return Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("no data for {timeout:?}"),
            ))));
        }
        Poll::Pending
    }
}

impl ByteStream {
    /// Bounds each wait of an async body by `timeout`: a body that delivers
    /// nothing for that long fails with `TimedOut`. `timer` makes the
    /// timer futures (the async client passes its own). Other sources are
    /// unchanged (a blocking transport bounds its reads itself).
    pub fn with_idle_timeout(
        self,
        timeout: std::time::Duration,
        timer: impl Fn(std::time::Duration) -> Timer + Send + Unpin + 'static,
    ) -> Self {
        match self.source {
            Source::Async(inner) => ByteStream::from_async(IdleTimeout {
                inner,
                timeout,
                timer,
                running: None,
            }),
            source => ByteStream { source },
        }
    }
}

impl Read for ByteStream {
    /// Reads an in-memory or blocking stream; an async body is an error.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match &mut self.source {
            Source::Bytes { data, at } => {
                let n = buf.len().min(data.len() - *at);
                buf[..n].copy_from_slice(&data[*at..*at + n]);
                *at += n;
                Ok(n)
            }
            Source::Blocking(reader) => reader.read(buf),
            Source::File {
                path,
                offset,
                len,
                open,
            } => {
                if open.is_none() {
                    *open = Some(open_range(path, *offset, *len)?);
                }
                match open {
                    Some(file) => file.read(buf),
                    None => Ok(0),
                }
            }
            Source::Sized(reader, _) => match reader.get_mut() {
                Ok(Some(r)) => r.read(buf),
                _ => Err(already_sent()),
            },
            Source::Chain { head, at, rest } => {
                if *at < head.len() {
                    let n = buf.len().min(head.len() - *at);
                    buf[..n].copy_from_slice(&head[*at..*at + n]);
                    *at += n;
                    return Ok(n);
                }
                rest.read(buf)
            }
            Source::Async(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "an async response body: read it with next_chunk().await or collect_async().await",
            )),
        }
    }
}

impl Default for ByteStream {
    /// An empty stream.
    fn default() -> Self {
        ByteStream::from_bytes(Vec::new())
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::from_bytes(bytes)
    }
}

impl From<&[u8]> for ByteStream {
    fn from(bytes: &[u8]) -> Self {
        ByteStream::from_bytes(bytes.to_vec())
    }
}

impl From<super::Blob> for ByteStream {
    fn from(blob: super::Blob) -> Self {
        ByteStream::from_bytes(blob.into_inner())
    }
}

impl PartialEq for ByteStream {
    /// In-memory streams are equal when their unread bytes are; a live
    /// body equals nothing, itself included (its bytes are not known yet).
    fn eq(&self, other: &Self) -> bool {
        match (self.buffered(), other.buffered()) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes { data, at } => f
                .debug_struct("ByteStream")
                .field("buffered_bytes", &(data.len() - at))
                .finish(),
            Source::Blocking(_) => f.write_str("ByteStream(live, blocking)"),
            Source::File {
                path, offset, len, ..
            } => f
                .debug_struct("ByteStream")
                .field("path", path)
                .field("offset", offset)
                .field("len", len)
                .finish(),
            Source::Sized(_, len) => f
                .debug_struct("ByteStream")
                .field("reader_len", len)
                .finish(),
            Source::Chain { head, at, rest } => f
                .debug_struct("ByteStream")
                .field("read_ahead", &(head.len() - at))
                .field("rest", rest)
                .finish(),
            Source::Async(_) => f.write_str("ByteStream(live, async)"),
        }
    }
}

/// The largest event-stream message accepted.
pub(crate) const MAX_EVENT_MESSAGE: usize = 16 * 1024 * 1024;

/// Whether `buf`, from the start of an event-stream message, holds all of
/// it (its length is in the prelude), or a length no message can have
/// (the decoder then says why).
pub(crate) fn holds_message(buf: &[u8]) -> bool {
    match buf.get(..4) {
        Some(p) => {
            let total = u32::from_be_bytes([p[0], p[1], p[2], p[3]]) as usize;
            buf.len() >= total || !(16..=MAX_EVENT_MESSAGE).contains(&total)
        }
        None => false,
    }
}

/// `body`, unless it is longer than `limit`.
fn check_limit(body: Vec<u8>, limit: usize) -> io::Result<Vec<u8>> {
    if body.len() > limit {
        return Err(io::Error::other(format!(
            "the response body is longer than the limit of {limit} bytes"
        )));
    }
    Ok(body)
}

/// `len` bytes of the file at `path` from `offset`, positioned there.
fn open_range(path: &Path, offset: u64, len: u64) -> io::Result<io::Take<File>> {
    let mut file = File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    file.seek(SeekFrom::Start(offset))?;
    Ok(file.take(len))
}

fn already_sent() -> io::Error {
    io::Error::other(
        "the stream's reader was already sent, and a reader is read once (ByteStream::from_path can be sent again)",
    )
}

/// Where a client reads an upload from, attempt by attempt (see
/// [`ByteStream::upload_source`]).
#[doc(hidden)]
pub enum UploadSource {
    /// A file range, opened afresh for each attempt.
    File {
        path: PathBuf,
        offset: u64,
        len: u64,
    },
    /// A reader, handed over once.
    Once(Option<Box<dyn Read + Send>>),
}

impl UploadSource {
    /// Whether [`open`](Self::open) works more than once.
    pub fn is_replayable(&self) -> bool {
        matches!(self, UploadSource::File { .. })
    }

    /// The body from its start: the file reopened, or the reader (once).
    pub fn open(&mut self) -> io::Result<Box<dyn Read + Send>> {
        match self {
            UploadSource::File { path, offset, len } => {
                Ok(Box::new(open_range(path, *offset, *len)?))
            }
            UploadSource::Once(reader) => reader.take().ok_or_else(already_sent),
        }
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadSource::File { path, offset, len } => f
                .debug_struct("File")
                .field("path", path)
                .field("offset", offset)
                .field("len", len)
                .finish(),
            UploadSource::Once(r) => f.debug_tuple("Once").field(&r.is_some()).finish(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    /// Polls `f` to completion on this thread (its sources never wait).
    pub(crate) fn block_on<T>(f: impl Future<Output = T>) -> T {
        struct Noop;
        impl Wake for Noop {
            fn wake(self: Arc<Self>) {}
        }
        let waker = Waker::from(Arc::new(Noop));
        let mut cx = Context::from_waker(&waker);
        let mut f = std::pin::pin!(f);
        for _ in 0..1_000_000 {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
        panic!("the future did not finish");
    }

    /// An async body of fixed chunks, pending once before each.
    struct Chunks(Vec<Vec<u8>>, bool);

    impl AsyncBody for Chunks {
        fn poll_chunk(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<io::Result<Vec<u8>>>> {
            self.1 = !self.1;
            if self.1 {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            if self.0.is_empty() {
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Ok(self.0.remove(0))))
        }
    }

    #[test]
    fn every_source_reads_the_same_bytes() {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(ByteStream::from(bytes.clone()).collect().unwrap(), bytes);
        let live = ByteStream::from_reader(io::Cursor::new(bytes.clone()));
        assert!(live.is_live() && live.buffered().is_none());
        assert_eq!(live.collect().unwrap(), bytes);
        let chunks = bytes.chunks(7_000).map(<[u8]>::to_vec).collect();
        let mut with_empty: Vec<Vec<u8>> = chunks;
        with_empty.insert(1, Vec::new());
        let stream = ByteStream::from_async(Chunks(with_empty, false));
        assert_eq!(block_on(stream.collect_async()).unwrap(), bytes);
        // An async body cannot be read by blocking.
        let stream = ByteStream::from_async(Chunks(vec![b"x".to_vec()], false));
        let err = stream.collect().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Unsupported);
        // Partial reads of an in-memory stream.
        let mut s = ByteStream::from_bytes(b"abcdef".to_vec());
        let mut buf = [0; 4];
        assert_eq!(s.read(&mut buf).unwrap(), 4);
        assert_eq!(s.buffered(), Some(&b"ef"[..]));
        assert_eq!(block_on(s.next_chunk()).unwrap().unwrap(), b"ef");
        assert!(block_on(s.next_chunk()).is_none());
    }

    #[test]
    fn an_async_body_that_stalls_times_out() {
        /// A body that gives one chunk, then nothing, ever.
        struct Stalls(bool);
        impl AsyncBody for Stalls {
            fn poll_chunk(
                mut self: Pin<&mut Self>,
                _: &mut Context<'_>,
            ) -> Poll<Option<io::Result<Vec<u8>>>> {
                if std::mem::replace(&mut self.0, false) {
                    Poll::Ready(Some(Ok(b"first".to_vec())))
                } else {
                    Poll::Pending
                }
            }
        }
        /// A timer that is ready on its second poll (time "passes").
        fn timer(_: std::time::Duration) -> Timer {
            let mut polled = false;
            Box::pin(std::future::poll_fn(move |cx| {
                if std::mem::replace(&mut polled, true) {
                    Poll::Ready(())
                } else {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }))
        }
        let duration = std::time::Duration::from_secs(3);
        let mut s = ByteStream::from_async(Stalls(true)).with_idle_timeout(duration, timer);
        assert_eq!(block_on(s.next_chunk()).unwrap().unwrap(), b"first");
        let err = block_on(s.next_chunk()).unwrap().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(err.to_string().contains("3s"), "{err}");
        // Bodies in memory are left as they are.
        let s = ByteStream::from_bytes(b"x".to_vec()).with_idle_timeout(duration, timer);
        assert_eq!(s.buffered(), Some(&b"x"[..]));
    }

    #[test]
    fn live_streams_equal_nothing() {
        assert_eq!(ByteStream::from(&b"a"[..]), ByteStream::from(vec![b'a']));
        assert_ne!(ByteStream::from(&b"a"[..]), ByteStream::default());
        let live = ByteStream::from_reader(io::empty());
        assert_ne!(live, ByteStream::default());
        assert_eq!(format!("{live:?}"), "ByteStream(live, blocking)");
    }

    #[test]
    fn files_and_sized_readers_are_uploads_of_known_length() {
        let path = std::env::temp_dir().join(format!(
            "stream-upload-{}-{}",
            std::process::id(),
            super::super::token::new_idempotency_token()
        ));
        std::fs::write(&path, b"0123456789").unwrap();
        // A range of a file: its length known, read from its offset, and
        // opened again for each attempt.
        let part = ByteStream::from_path_range(&path, 3, 4).unwrap();
        assert_eq!(part.content_length(), Some(4));
        assert!(part.is_replayable() && part.buffered().is_none());
        let mut source = part.upload_source().unwrap();
        for _ in 0..2 {
            let mut text = String::new();
            source.open().unwrap().read_to_string(&mut text).unwrap();
            assert_eq!(text, "3456");
        }
        assert_eq!(part.collect().unwrap(), b"3456");
        assert_eq!(
            ByteStream::from_path(&path).unwrap().content_length(),
            Some(10)
        );
        let err = ByteStream::from_path_range(&path, 8, 3).unwrap_err();
        assert!(err.to_string().contains("past the end"), "{err}");
        assert!(ByteStream::from_path(path.with_extension("missing")).is_err());
        // A reader: taken once; read past its length it stops.
        let sized = ByteStream::from_reader_with_length(io::Cursor::new(b"abcdef".to_vec()), 4);
        assert_eq!(sized.content_length(), Some(4));
        assert!(!sized.is_replayable());
        let mut source = sized.upload_source().unwrap();
        assert!(!source.is_replayable());
        let mut text = String::new();
        source.open().unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "abcd");
        assert!(source.open().is_err());
        let again = sized.upload_source().unwrap().open().err().unwrap();
        assert!(again.to_string().contains("read once"), "{again}");
        assert!(format!("{sized:?}").contains("reader_len"));
        // Bytes and live bodies of unknown length are no upload source.
        assert!(ByteStream::from_bytes(b"x".to_vec())
            .upload_source()
            .is_none());
        let live = ByteStream::from_reader(io::empty());
        assert_eq!(live.content_length(), None);
        assert!(live.upload_source().is_none());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn bytes_read_ahead_are_put_back_in_front() {
        let s = ByteStream::from_bytes(b"cdef".to_vec()).prepend(b"ab".to_vec());
        assert_eq!(s.buffered(), Some(&b"abcdef"[..]));
        let live =
            ByteStream::from_reader(io::Cursor::new(b"cdef".to_vec())).prepend(b"ab".to_vec());
        assert!(live.is_live() && !live.is_async());
        assert_eq!(live.collect().unwrap(), b"abcdef");
        let chunks = vec![b"cd".to_vec(), b"ef".to_vec()];
        let s = ByteStream::from_async(Chunks(chunks, false)).prepend(b"ab".to_vec());
        assert!(s.is_async());
        assert!(format!("{s:?}").contains("read_ahead: 2"), "{s:?}");
        assert_eq!(block_on(s.collect_async()).unwrap(), b"abcdef");
        // The first event-stream message, buffered from pieces: a 20-byte
        // message (by its prelude) and what follows, nothing lost.
        let mut message = 20u32.to_be_bytes().to_vec();
        message.extend_from_slice(&[0; 16]);
        let body = [message.clone(), b"next".to_vec()].concat();
        let pieces = body.chunks(3).map(<[u8]>::to_vec).collect();
        let s =
            block_on(ByteStream::from_async(Chunks(pieces, false)).buffer_first_message()).unwrap();
        let Source::Chain { head, .. } = &s.source else {
            panic!("expected bytes read ahead: {s:?}");
        };
        assert!(
            head.len() >= 20 && head.len() < body.len(),
            "{}",
            head.len()
        );
        assert_eq!(block_on(s.collect_async()).unwrap(), body);
    }

    #[test]
    fn a_body_over_its_limit_is_an_error() {
        let s = ByteStream::from_bytes(vec![1u8; 10]);
        assert_eq!(s.collect_limited(10, None).unwrap().len(), 10);
        let err = ByteStream::from_bytes(vec![1u8; 11])
            .collect_limited(10, None)
            .unwrap_err();
        assert!(err.to_string().contains("limit of 10 bytes"), "{err}");
        let err =
            block_on(ByteStream::from_bytes(vec![1u8; 11]).collect_async_limited(10)).unwrap_err();
        assert!(err.to_string().contains("limit"), "{err}");
    }

    #[test]
    fn a_broken_connection_is_an_error() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::ConnectionReset, "reset"))
            }
        }
        let err = ByteStream::from_reader(Broken).collect().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    }
}
