//! Input event streams: the events a client sends
//! (`application/vnd.amazon.eventstream`), framed as messages the way
//! [`eventstream`](super::eventstream) reads them.
//!
//! The generated event union implements [`EventEncode`]: each variant
//! becomes one message whose `:event-type` names it, whose `@eventHeader`
//! members are typed headers and whose payload is the `@eventPayload`
//! member or the other members in the protocol's document format. An
//! operation's input holds its events in an [`EventSender`]: a fixed list,
//! any iterator, or a channel fed while the call runs ([`EventSender::channel`]).
//! The client signs each message (SigV4, chained from the request's
//! signature) as it sends it.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use super::codec_error::EncodeError;
use super::event_frame::HeaderValue;
pub use super::event_frame::{encode_headers, encode_message};
use super::stream::MessageSource;

/// A timestamp header: milliseconds since the epoch (saturating far
/// outside the years a message can carry).
pub fn timestamp_header(t: super::time::DateTime) -> HeaderValue<'static> {
    let ms = t.as_millis();
    HeaderValue::Timestamp(i64::try_from(ms).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX }))
}

/// An event union a client can send: each value becomes one framed,
/// unsigned message.
pub trait EventEncode {
    /// The message for this event.
    fn encode_event(&self) -> Result<Vec<u8>, EncodeError>;
}

/// The events an input event stream sends, in order. The default sends
/// none.
pub struct EventSender<T> {
    // Behind a lock so that a client holding the input by reference can
    // take the events out ([`take`](Self::take)).
    source: Mutex<Source<T>>,
}

enum Source<T> {
    None,
    Iter(Box<dyn Iterator<Item = T> + Send>),
    Channel(Arc<Channel<T>>),
}

impl<T> EventSender<T> {
    /// Sends the events `events` yields, pulled one at a time as the
    /// connection takes them. An iterator that blocks (a
    /// `std::sync::mpsc::Receiver`'s) blocks the task sending it: in async
    /// code, prefer [`channel`](Self::channel).
    pub fn from_events<I>(events: I) -> Self
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: Send + 'static,
    {
        EventSender {
            source: Mutex::new(Source::Iter(Box::new(events.into_iter()))),
        }
    }

    /// A sender fed while the call runs: events pushed into the
    /// [`EventSink`] are sent in order, and the stream ends when the sink
    /// is closed or dropped.
    pub fn channel() -> (EventSink<T>, Self) {
        let channel = Arc::new(Channel {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                closed: false,
                receiver_gone: false,
                waker: None,
            }),
            ready: Condvar::new(),
        });
        (
            EventSink {
                channel: Arc::clone(&channel),
            },
            EventSender {
                source: Mutex::new(Source::Channel(channel)),
            },
        )
    }

    /// Whether the sender has no source of events (the default, or one
    /// whose events were taken).
    pub fn is_empty(&self) -> bool {
        matches!(*lock(&self.source), Source::None)
    }

    /// Takes the events out, leaving a sender of none: a client sends an
    /// input's events once.
    pub fn take(&self) -> Self {
        let source = std::mem::replace(&mut *lock(&self.source), Source::None);
        EventSender {
            source: Mutex::new(source),
        }
    }

    fn source(&mut self) -> &mut Source<T> {
        self.source.get_mut().unwrap_or_else(|e| e.into_inner())
    }

    /// The next event, waiting for one (a channel's) when needed; `None`
    /// once the events end.
    pub fn next_blocking(&mut self) -> Option<T> {
        match self.source() {
            Source::None => None,
            Source::Iter(events) => events.next(),
            Source::Channel(c) => {
                let mut state = c.lock();
                loop {
                    if let Some(event) = state.queue.pop_front() {
                        return Some(event);
                    }
                    if state.closed {
                        return None;
                    }
                    state = c.ready.wait(state).unwrap_or_else(|e| e.into_inner());
                }
            }
        }
    }

    /// The next event, or `Pending` until a channel has one; `None` once
    /// the events end.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match self.source() {
            Source::None => Poll::Ready(None),
            Source::Iter(events) => Poll::Ready(events.next()),
            Source::Channel(c) => {
                let mut state = c.lock();
                if let Some(event) = state.queue.pop_front() {
                    return Poll::Ready(Some(event));
                }
                if state.closed {
                    return Poll::Ready(None);
                }
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T> Default for EventSender<T> {
    fn default() -> Self {
        EventSender {
            source: Mutex::new(Source::None),
        }
    }
}

impl<T> Drop for EventSender<T> {
    fn drop(&mut self) {
        if let Source::Channel(c) = self.source() {
            c.lock().receiver_gone = true;
        }
    }
}

impl<T> PartialEq for EventSender<T> {
    /// Senders without events are equal; one with a source equals nothing
    /// (its events are not known until they are sent).
    fn eq(&self, other: &Self) -> bool {
        self.is_empty() && other.is_empty()
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match *lock(&self.source) {
            Source::None => "none",
            Source::Iter(_) => "iterator",
            Source::Channel(_) => "channel",
        };
        f.debug_struct("EventSender")
            .field("source", &source)
            .finish()
    }
}

impl<T, I> From<I> for EventSender<T>
where
    I: IntoIterator<Item = T>,
    I::IntoIter: Send + 'static,
{
    fn from(events: I) -> Self {
        Self::from_events(events)
    }
}

/// Locks `m`: a panic while holding it leaves nothing half-changed.
fn lock<S>(m: &Mutex<S>) -> MutexGuard<'_, S> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct Channel<T> {
    state: Mutex<State<T>>,
    ready: Condvar,
}

struct State<T> {
    queue: VecDeque<T>,
    closed: bool,
    receiver_gone: bool,
    waker: Option<Waker>,
}

impl<T> Channel<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        lock(&self.state)
    }

    fn wake(&self, mut state: MutexGuard<'_, State<T>>) {
        let waker = state.waker.take();
        drop(state);
        self.ready.notify_all();
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// The sending end of [`EventSender::channel`]. Dropping it (or
/// [`close`](Self::close)) ends the stream after the events already sent.
pub struct EventSink<T> {
    channel: Arc<Channel<T>>,
}

impl<T> EventSink<T> {
    /// Queues `event`; it comes back as the error when the call has ended
    /// and nothing will send it.
    pub fn send(&self, event: T) -> Result<(), T> {
        let mut state = self.channel.lock();
        if state.receiver_gone || state.closed {
            return Err(event);
        }
        state.queue.push_back(event);
        self.channel.wake(state);
        Ok(())
    }

    /// Ends the stream once the queued events are sent.
    pub fn close(self) {
        drop(self);
    }
}

impl<T> Drop for EventSink<T> {
    fn drop(&mut self) {
        let mut state = self.channel.lock();
        state.closed = true;
        self.channel.wake(state);
    }
}

impl<T> fmt::Debug for EventSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EventSink")
    }
}

impl<T: EventEncode + Send> MessageSource for EventSender<T> {
    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<u8>, EncodeError>>> {
        self.poll_next(cx)
            .map(|event| event.map(|e| e.encode_event()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::eventstream::decode_message;
    use super::*;
    use std::task::Wake;

    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }

    #[test]
    fn messages_round_trip_through_the_decoder() {
        let headers = [
            (":message-type", HeaderValue::String("event")),
            ("t", HeaderValue::Bool(true)),
            ("f", HeaderValue::Bool(false)),
            ("b", HeaderValue::Byte(-2)),
            ("s", HeaderValue::Short(-300)),
            ("i", HeaderValue::Int(70_000)),
            ("l", HeaderValue::Long(-5_000_000_000)),
            ("bytes", HeaderValue::Bytes(&[0, 1, 2])),
            ("ts", HeaderValue::Timestamp(1_730_384_114_000)),
            ("u", HeaderValue::Uuid(&[7; 16])),
        ];
        let bytes = encode_message("U", &headers, b"{\"a\":1}").unwrap();
        let (message, used) = decode_message(&bytes).unwrap();
        assert_eq!(used, bytes.len());
        assert_eq!(message.headers, headers.to_vec());
        assert_eq!(message.payload, b"{\"a\":1}");
    }

    #[test]
    fn a_known_message_is_framed_byte_for_byte() {
        // The empty message: 16 bytes, both CRCs of the AWS framing.
        let bytes = encode_message("U", &[], b"").unwrap();
        assert_eq!(
            bytes,
            [0, 0, 0, 0x10, 0, 0, 0, 0, 0x05, 0xc2, 0x48, 0xeb, 0x7d, 0x98, 0xc8, 0xff]
        );
    }

    #[test]
    fn oversized_parts_are_refused_with_the_reason() {
        let long_name = "n".repeat(256);
        let e = encode_message("U", &[(&long_name, HeaderValue::Bool(true))], b"").unwrap_err();
        assert!(e.to_string().contains("255"), "{e}");
        let big = vec![0u8; 70_000];
        let e = encode_message("U", &[("b", HeaderValue::Bytes(&big))], b"").unwrap_err();
        assert!(e.to_string().contains("65,535"), "{e}");
        let e = encode_message("U", &[("u", HeaderValue::Uuid(&[1, 2]))], b"").unwrap_err();
        assert!(e.to_string().contains("UUID"), "{e}");
        let huge = vec![0u8; 16 * 1024 * 1024];
        let e = encode_message("U", &[], &huge).unwrap_err();
        assert!(
            e.to_string().contains("16 MiB") && e.to_string().contains("`U`"),
            "{e}"
        );
    }

    #[test]
    fn senders_yield_their_events_in_order() {
        let mut s = EventSender::from_events(vec![1, 2]);
        assert!(!s.is_empty());
        assert_eq!(s.next_blocking(), Some(1));
        assert_eq!(s.next_blocking(), Some(2));
        assert_eq!(s.next_blocking(), None);
        let mut none = EventSender::<u8>::default();
        assert!(none.is_empty() && none.next_blocking().is_none());
        assert_eq!(none, EventSender::default());
        assert_ne!(EventSender::from_events(vec![1u8]), EventSender::default());
        assert!(format!("{:?}", EventSender::from_events(vec![1u8])).contains("iterator"));
        // Taking the events leaves none behind.
        let s = EventSender::from_events(vec![7]);
        let mut taken = s.take();
        assert!(s.is_empty());
        assert_eq!(taken.next_blocking(), Some(7));
    }

    #[test]
    fn a_channel_wakes_its_reader_and_ends_when_the_sink_goes() {
        let (sink, mut sender) = EventSender::channel();
        let waker = Arc::new(Noop).into();
        let mut cx = Context::from_waker(&waker);
        assert!(sender.poll_next(&mut cx).is_pending());
        sink.send(1).unwrap();
        assert_eq!(sender.poll_next(&mut cx), Poll::Ready(Some(1)));
        let feeder = std::thread::spawn(move || {
            for i in 2..5 {
                sink.send(i).unwrap();
            }
            sink.close();
        });
        let got: Vec<i32> = std::iter::from_fn(|| sender.next_blocking()).collect();
        feeder.join().unwrap();
        assert_eq!(got, [2, 3, 4]);
        assert_eq!(sender.poll_next(&mut cx), Poll::Ready(None));
        // Once the receiving side is gone, an event comes back.
        let (sink, sender) = EventSender::<i32>::channel();
        drop(sender);
        assert_eq!(sink.send(9), Err(9));
    }
}
