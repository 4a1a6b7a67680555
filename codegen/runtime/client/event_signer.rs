//! SigV4 for input event streams. The request is signed with the payload
//! hash `STREAMING-AWS4-HMAC-SHA256-EVENTS`; its signature seeds a chain:
//! each message the client sends travels as the payload of a wrapper
//! message whose headers are `:date` (the signing time) and
//! `:chunk-signature`, the HMAC of
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <amz date>
//! <credential scope>
//! <prior signature, hex>
//! <hex SHA-256 of the encoded :date header>
//! <hex SHA-256 of the message>
//! ```
//!
//! with the request's signing key. An empty signed message ends the stream.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::super::event_frame::{encode_headers, encode_message, HeaderValue};
use super::super::stream::{AsyncBody, MessageSource};
use super::super::time::DateTime;
use super::sigv4::{self, amz_date, hex, hmac, sha256_hex, SigningParams};
use super::transport::{skewed_now, Clock};

/// Signs the messages of one request's event stream, each chained to the
/// one before (the first to the request's signature).
pub struct EventSigner {
    key: Vec<u8>,
    scope: String,
    prior: String,
}

impl EventSigner {
    /// The signer of a request signed with `params` whose signature is
    /// `seed` (lower-case hex).
    pub fn new(params: &SigningParams<'_>, seed: &str) -> Self {
        let date = amz_date(params.time);
        let day = &date[..8];
        EventSigner {
            key: sigv4::signing_key(params, day),
            scope: sigv4::scope(params, day),
            prior: seed.to_owned(),
        }
    }

    /// The signed wrapper of `message` (empty: the end of the stream) at
    /// `time`, truncated to whole seconds.
    pub fn sign(&mut self, message: &[u8], time: DateTime) -> Result<Vec<u8>, io::Error> {
        let time = DateTime::from_secs(time.secs());
        let millis = time.secs().saturating_mul(1000);
        let date_header = [(":date", HeaderValue::Timestamp(millis))];
        let mut date_bytes = Vec::new();
        encode_headers(&date_header, &mut date_bytes).map_err(io::Error::other)?;
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{}\n{}\n{}\n{}\n{}",
            amz_date(time),
            self.scope,
            self.prior,
            sha256_hex(&date_bytes),
            sha256_hex(message),
        );
        let signature = hmac(&self.key, string_to_sign.as_bytes());
        self.prior = hex(&signature);
        encode_message(
            "event stream",
            &[
                (":date", HeaderValue::Timestamp(millis)),
                (":chunk-signature", HeaderValue::Bytes(&signature)),
            ],
            message,
        )
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
    }
}

impl fmt::Debug for EventSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("key", &"** redacted **")
            .field("scope", &self.scope)
            .finish()
    }
}

/// A request body of signed event messages: each message of `source`,
/// signed as it is sent, then the empty message that ends the stream.
pub(super) struct SignedEvents {
    source: Box<dyn MessageSource>,
    signer: EventSigner,
    /// The client's clock, and the seconds its skew correction adds: each
    /// message is signed at the time the request would be.
    clock: Arc<dyn Clock>,
    skew_secs: i64,
    ended: bool,
}

impl SignedEvents {
    pub(super) fn new(
        source: Box<dyn MessageSource>,
        signer: EventSigner,
        clock: Arc<dyn Clock>,
        skew_secs: i64,
    ) -> Self {
        SignedEvents {
            source,
            signer,
            clock,
            skew_secs,
            ended: false,
        }
    }
}

impl AsyncBody for SignedEvents {
    fn poll_chunk(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<Vec<u8>>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let now = skewed_now(&*self.clock, self.skew_secs);
        match self.source.poll_message(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(message))) => Poll::Ready(Some(self.signer.sign(&message, now))),
            Poll::Ready(Some(Err(e))) => {
                self.ended = true;
                Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("an event could not be encoded: {e}"),
                ))))
            }
            Poll::Ready(None) => {
                self.ended = true;
                Poll::Ready(Some(self.signer.sign(&[], now)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::eventstream::decode_message;
    use super::*;

    fn params() -> SigningParams<'static> {
        SigningParams {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "transcribe",
            time: DateTime::from_secs(1_440_938_160),
            settings: sigv4::SigningSettings::default(),
        }
    }

    /// The chain recomputed from its definition, independently of `sign`.
    #[test]
    fn each_message_is_signed_over_the_prior_signature() {
        let mut signer = EventSigner::new(&params(), "seed");
        let t = DateTime::from_secs(1_440_938_161);
        let first = signer.sign(b"one", t).unwrap();
        let second = signer.sign(b"", t).unwrap();
        let mut prior = "seed".to_owned();
        for (wrapped, inner) in [(&first, &b"one"[..]), (&second, &b""[..])] {
            let (m, _) = decode_message(wrapped).unwrap();
            assert_eq!(m.payload, inner);
            assert_eq!(
                m.header(":date"),
                Some(&HeaderValue::Timestamp(1_440_938_161_000))
            );
            let Some(HeaderValue::Bytes(sig)) = m.header(":chunk-signature") else {
                panic!("no signature: {m:?}");
            };
            // :date, type 8, the time in milliseconds.
            let mut date = vec![5u8];
            date.extend_from_slice(b":date");
            date.push(8);
            date.extend_from_slice(&1_440_938_161_000i64.to_be_bytes());
            let to_sign = format!(
                "AWS4-HMAC-SHA256-PAYLOAD\n20150830T123601Z\n20150830/us-east-1/transcribe/aws4_request\n{prior}\n{}\n{}",
                sha256_hex(&date),
                sha256_hex(inner)
            );
            let key = sigv4::signing_key(&params(), "20150830");
            assert_eq!(*sig, hmac(&key, to_sign.as_bytes()).as_slice());
            prior = hex(sig);
        }
        assert!(!format!("{signer:?}").contains(&hex(&signer.key)));
    }
}
