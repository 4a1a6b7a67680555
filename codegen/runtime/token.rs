//! Idempotency tokens (Smithy `@idempotencyToken`).
#![doc(hidden)]

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn random_u64(state: &RandomState, counter: u64, nanos: u128, lane: u8) -> u64 {
    let mut h = state.build_hasher();
    h.write_u64(counter);
    h.write_u128(nanos);
    h.write_u8(lane);
    h.finish()
}

/// Returns a fresh random UUID (version 4), e.g. `3f1c2a9e-5b7d-4e21-9c0a-8d6f4b2e1a77`.
///
/// The 122 random bits come from SipHash keyed by the standard library's
/// OS-seeded [`RandomState`], applied to a process-wide counter and the
/// current time. Tokens are unique within a process and unpredictable enough
/// for idempotency tokens, but this is not a cryptographic random number
/// generator and must not be used for secrets.
pub fn new_idempotency_token() -> String {
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let state = RandomState::new();
    let high = random_u64(&state, counter, nanos, 1);
    let low = random_u64(&state, counter, nanos, 2);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0F) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3F) | 0x80; // variant 10xx (RFC 4122)
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0F)]));
    }
    out
}

/// A random number in `[0, 1)`, for retry jitter (same source and caveats
/// as [`new_idempotency_token`]: not for secrets).
pub fn random_fraction() -> f64 {
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let bits = random_u64(&RandomState::new(), counter, nanos, 3) >> 11;
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn fractions_are_in_the_unit_interval_and_vary() {
        let draws: Vec<f64> = (0..200).map(|_| random_fraction()).collect();
        assert!(draws.iter().all(|f| (0.0..1.0).contains(f)));
        assert!(draws.iter().any(|f| *f < 0.5) && draws.iter().any(|f| *f >= 0.5));
    }

    #[test]
    fn uuid_v4_format() {
        for _ in 0..100 {
            let t = new_idempotency_token();
            assert_eq!(t.len(), 36, "{t}");
            let groups: Vec<&str> = t.split('-').collect();
            let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lens, [8, 4, 4, 4, 12], "{t}");
            assert!(
                t.chars()
                    .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)),
                "{t}"
            );
            assert!(groups[2].starts_with('4'), "{t}");
            assert!(groups[3].starts_with(['8', '9', 'a', 'b']), "{t}");
        }
    }

    #[test]
    fn tokens_are_distinct() {
        let tokens: HashSet<String> = (0..1000).map(|_| new_idempotency_token()).collect();
        assert_eq!(tokens.len(), 1000);
        let threads: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    (0..250)
                        .map(|_| new_idempotency_token())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = tokens;
        for t in threads {
            for token in t.join().expect("thread finished") {
                assert!(all.insert(token));
            }
        }
        assert_eq!(all.len(), 2000);
    }
}
