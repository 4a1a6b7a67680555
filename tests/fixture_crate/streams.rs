//! Streams sent by the code generated from the `rest_json` fixture (copied
//! into the fixture crate by `tests/tests/fixtures_compile.rs`): a
//! streaming blob input marked for the client to stream from a file or
//! sent whole from memory, and an input event stream framed event by event.

use std::io::Read;
use std::task::{Context, Poll, Waker};

use slim_fixtures::rest_json::{
    AudioEvent, ChatItems, ChatItemsInput, MessageEvent, MessageStream, UploadItem,
    UploadItemInput,
};
use slim_fixtures::runtime::event_frame::HeaderValue;
use slim_fixtures::runtime::eventstream::decode_message;
use slim_fixtures::runtime::{Blob, ByteStream, Operation};

#[test]
fn a_file_body_is_left_to_the_client_and_bytes_are_sent_whole() {
    let path = std::env::temp_dir().join(format!("fixture-upload-{}", std::process::id()));
    std::fs::write(&path, [7u8; 100]).unwrap();
    let input = UploadItemInput::new("shelf").with_body(ByteStream::from_path(&path).unwrap());
    let req = UploadItem::build_request(&input).unwrap();
    assert!(req.body.is_empty());
    let streamed = req.streamed.as_ref().expect("a streamed body");
    assert_eq!(streamed.length, 100);
    // The default checksum is computed as the body is sent, not here.
    assert_eq!(streamed.checksum.as_deref(), Some("crc32"));
    assert!(!streamed.aws_chunked, "only S3 takes aws-chunked bodies");
    assert_eq!(req.header("content-length"), Some("100"));
    assert_eq!(req.header("x-amz-sdk-checksum-algorithm"), Some("CRC32"));
    assert_eq!(req.header("x-amz-checksum-crc32"), None);
    let mut body = Vec::new();
    let mut source = <UploadItem as Operation>::input_body(&input)
        .and_then(ByteStream::upload_source)
        .expect("the file");
    source.open().unwrap().read_to_end(&mut body).unwrap();
    assert_eq!(body, [7u8; 100]);
    std::fs::remove_file(&path).unwrap();

    // Bytes in memory: the body itself, its checksum in a header.
    let input = UploadItemInput::new("shelf").with_body(ByteStream::from(b"abc".to_vec()));
    let req = UploadItem::build_request(&input).unwrap();
    assert_eq!(req.body, b"abc");
    assert!(req.streamed.is_none());
    assert_eq!(req.header("x-amz-checksum-crc32"), Some("NSRBwg=="));

    // A reader of unknown length cannot be sent.
    let input = UploadItemInput::new("shelf").with_body(ByteStream::from_reader(std::io::empty()));
    let err = UploadItem::build_request(&input).unwrap_err().to_string();
    assert!(err.contains("unknown length"), "{err}");
}

#[test]
fn input_events_are_framed_with_their_headers_and_payloads() {
    let events = slim_fixtures::runtime::event_sender::EventSender::from_events(vec![
        MessageStream::Message(MessageEvent::new().with_priority(2).with_text("hi")),
        MessageStream::Audio(AudioEvent::new().with_chunk(Blob::new(b"ab".to_vec()))),
    ]);
    let input = ChatItemsInput::new("shelf").with_messages(events);
    let req = ChatItems::build_request(&input).unwrap();
    assert_eq!(
        req.header("content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    let mut source = <ChatItems as Operation>::input_events(&input).expect("the events");
    let mut cx = Context::from_waker(Waker::noop());
    let mut frames = Vec::new();
    for _ in 0..10 {
        match source.poll_message(&mut cx) {
            Poll::Ready(Some(m)) => frames.push(m.expect("an encoded event")),
            Poll::Ready(None) => break,
            Poll::Pending => panic!("events in memory are ready"),
        }
    }
    assert_eq!(frames.len(), 2);
    let (first, _) = decode_message(&frames[0]).unwrap();
    assert_eq!(first.header_str(":event-type"), Some("Message"));
    assert_eq!(first.header("Priority"), Some(&HeaderValue::Int(2)));
    assert_eq!(first.payload, br#"{"Text":"hi"}"#);
    let (second, _) = decode_message(&frames[1]).unwrap();
    assert_eq!(second.header_str(":event-type"), Some("Audio"));
    assert_eq!(
        second.header_str(":content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(second.payload, b"ab");
    // The events were taken: the input holds none now.
    let mut again = <ChatItems as Operation>::input_events(&input).expect("a source");
    assert!(matches!(again.poll_message(&mut cx), Poll::Ready(None)));
}
