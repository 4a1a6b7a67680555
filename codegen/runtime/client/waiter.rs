//! Waiters (`smithy.waiters#waitable`): acceptors as data, their matching,
//! and the Smithy waiter retry strategy. The blocking and async clients
//! drive the loop ([`BlockingClient::wait`](super::BlockingClient::wait),
//! [`AsyncClient::wait`](super::AsyncClient::wait)).

use std::fmt;
use std::time::Duration;

use super::super::document::Document;
use super::super::jmespath::{eval, Expr};
use super::super::json::{to_json, JsonReader, JsonSerialize};
use super::super::ErrorMetadata;
use super::SdkError;

/// Where an acceptor takes the waiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Done: the resource is in the desired state.
    Success,
    /// Done: the resource will not get there.
    Failure,
    /// Poll again.
    Retry,
}

/// How a path's value is compared with the expected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    /// A string equal to the expected one.
    StringEquals,
    /// A boolean equal to the expected one (`"true"`, `"false"`).
    BooleanEquals,
    /// A non-empty array whose every element is the expected string.
    AllStringEquals,
    /// An array with at least one element equal to the expected string.
    AnyStringEquals,
}

/// What an acceptor matches.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Matcher<'a> {
    /// `success: true` (any output) or `success: false` (any error).
    Success(bool),
    /// An error whose code is this shape name.
    ErrorType(&'a str),
    /// A path over the output.
    Output(&'a Expr<'a>, &'a str, Comparator),
    /// A path over `{"input": ..., "output": ...}`.
    InputOutput(&'a Expr<'a>, &'a str, Comparator),
}

/// An acceptor: a matcher and the state it leads to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Acceptor<'a> {
    /// The state.
    pub state: State,
    /// The matcher.
    pub matcher: Matcher<'a>,
}

/// A waiter of the model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaiterSpec<'a> {
    /// Its name in the model.
    pub name: &'a str,
    /// Least delay between polls, in seconds.
    pub min_delay: u64,
    /// Greatest delay between polls, in seconds.
    pub max_delay: u64,
    /// The acceptors, tried in order.
    pub acceptors: &'a [Acceptor<'a>],
}

/// How a wait ended, when not in the success state.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// A failure acceptor matched: the output or error it matched.
    Failure {
        /// The waiter.
        waiter: &'static str,
        /// The output that matched, if it was one.
        output: Option<Box<O>>,
        /// The error that matched, if it was one.
        error: Option<SdkError<E>>,
    },
    /// The maximum wait time passed.
    Timeout {
        /// The waiter.
        waiter: &'static str,
        /// Polls made.
        attempts: u32,
        /// Time waited.
        waited: Duration,
    },
    /// A poll failed with an error no acceptor expects.
    Unexpected {
        /// The waiter.
        waiter: &'static str,
        /// The error.
        error: SdkError<E>,
    },
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure { waiter, error, .. } => {
                write!(f, "waiter {waiter} reached a failure state")?;
                match error {
                    Some(e) => write!(f, ": {e}"),
                    None => Ok(()),
                }
            }
            WaiterError::Timeout {
                waiter,
                attempts,
                waited,
            } => write!(
                f,
                "waiter {waiter} gave up after {attempts} polls in {waited:?}"
            ),
            WaiterError::Unexpected { waiter, error } => {
                write!(f, "waiter {waiter} stopped on an unexpected error: {error}")
            }
        }
    }
}

impl<O: fmt::Debug, E: fmt::Debug + fmt::Display + ErrorMetadata + std::error::Error + 'static>
    std::error::Error for WaiterError<O, E>
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Failure { error: Some(e), .. }
            | WaiterError::Unexpected { error: e, .. } => Some(e),
            _ => None,
        }
    }
}

/// The JSON form of a value, as JMESPath sees it.
pub fn document_of<T: JsonSerialize + ?Sized>(value: &T) -> Document {
    to_json(value)
        .ok()
        .and_then(|text| JsonReader::new(text.as_bytes()).read_document().ok())
        .unwrap_or(Document::Null)
}

fn compare(value: &Document, expected: &str, comparator: Comparator) -> bool {
    match comparator {
        Comparator::StringEquals => value.as_str() == Some(expected),
        Comparator::BooleanEquals => value
            .as_bool()
            .is_some_and(|b| expected == if b { "true" } else { "false" }),
        Comparator::AllStringEquals => value
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(|e| e.as_str() == Some(expected))),
        Comparator::AnyStringEquals => value
            .as_array()
            .is_some_and(|a| a.iter().any(|e| e.as_str() == Some(expected))),
    }
}

/// One poll's result, as the acceptors see it: the output and input
/// documents, or the error code.
pub enum Polled<'a> {
    /// A successful output, with the input (for `inputOutput`).
    Output {
        /// The input's document.
        input: &'a Document,
        /// The output's document.
        output: &'a Document,
    },
    /// An error, with its code if it had one.
    Error(Option<&'a str>),
}

/// The state the first matching acceptor leads to; `None` when none
/// matches (retry after an output, failure after an error).
pub fn matching_state(spec: &WaiterSpec<'_>, polled: &Polled<'_>) -> Option<State> {
    spec.acceptors.iter().find_map(|a| {
        let hit = match (&a.matcher, polled) {
            (Matcher::Success(want), Polled::Output { .. }) => *want,
            (Matcher::Success(want), Polled::Error(_)) => !*want,
            (Matcher::ErrorType(code), Polled::Error(got)) => {
                let name = code.rsplit('#').next().unwrap_or(code);
                got.is_some_and(|g| g == name)
            }
            (Matcher::Output(path, expected, cmp), Polled::Output { output, .. }) => {
                compare(&eval(path, output), expected, *cmp)
            }
            (Matcher::InputOutput(path, expected, cmp), Polled::Output { input, output }) => {
                let both = Document::Object(
                    [
                        ("input".to_string(), (*input).clone()),
                        ("output".to_string(), (*output).clone()),
                    ]
                    .into_iter()
                    .collect(),
                );
                compare(&eval(path, &both), expected, *cmp)
            }
            _ => false,
        };
        hit.then_some(a.state)
    })
}

/// The delay before retry `attempt` (1 for the first retry), as the Smithy
/// waiter specification computes it: exponential from `min_delay`, capped
/// at `max_delay` once past the attempt ceiling, with full jitter between
/// `min_delay` and that bound (`random(lo, hi)` picks, both inclusive, in
/// seconds); when what would remain after it is at most `min_delay`, the
/// whole remaining time, for one last poll.
pub fn retry_delay(
    attempt: u32,
    min_delay: u64,
    max_delay: u64,
    remaining: Duration,
    random: impl FnOnce(u64, u64) -> u64,
) -> Duration {
    let min = min_delay.max(1);
    let max = max_delay.max(min);
    let ceiling = ((max as f64 / min as f64).ln() / 2f64.ln()) + 1.0;
    let bound = if f64::from(attempt) > ceiling {
        max
    } else {
        min.saturating_mul(1u64 << (attempt.saturating_sub(1)).min(62))
            .min(max)
    };
    let delay = Duration::from_secs(random(min, bound).clamp(min, bound));
    if remaining.saturating_sub(delay) <= Duration::from_secs(min) {
        remaining
    } else {
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_delay_table() {
        // The specification's example: minDelay 2, maxDelay 120, a
        // maxWaitTime of 300 s; each row's `random` returns the table's
        // delay after checking the bounds it was given.
        let rows: [(u32, u64, u64, u64); 13] = [
            (1, 2, 2, 300),
            (2, 4, 3, 298),
            (3, 8, 6, 295),
            (4, 16, 6, 289),
            (5, 32, 22, 283),
            (6, 64, 62, 261),
            (7, 120, 43, 199),
            (8, 120, 24, 156),
            (9, 120, 71, 132),
            (10, 120, 42, 61),
            (11, 120, 9, 19),
            (12, 120, 6, 10),
            (13, 120, 3, 4),
        ];
        for (attempt, upper, pick, remaining) in rows {
            let d = retry_delay(attempt, 2, 120, Duration::from_secs(remaining), |lo, hi| {
                assert_eq!((lo, hi), (2, upper), "attempt {attempt}");
                pick
            });
            let expected = if attempt == 13 { 4 } else { pick };
            assert_eq!(d, Duration::from_secs(expected), "attempt {attempt}");
        }
        // Linear when min == max; a huge attempt number does not overflow.
        let d = retry_delay(40, 5, 5, Duration::from_secs(1000), |lo, hi| {
            assert_eq!((lo, hi), (5, 5));
            lo
        });
        assert_eq!(d, Duration::from_secs(5));
        let d = retry_delay(u32::MAX, 1, 3600, Duration::from_secs(1 << 20), |_, hi| hi);
        assert_eq!(d, Duration::from_secs(3600));
    }

    #[test]
    fn acceptors_in_order() {
        let status = Expr::Projection(
            &Expr::Flatten(&Expr::Field("Items")),
            &Expr::Field("Status"),
        );
        let spec = WaiterSpec {
            name: "Stopped",
            min_delay: 1,
            max_delay: 2,
            acceptors: &[
                Acceptor {
                    state: State::Success,
                    matcher: Matcher::Output(&status, "stopped", Comparator::AllStringEquals),
                },
                Acceptor {
                    state: State::Failure,
                    matcher: Matcher::Output(&status, "failed", Comparator::AnyStringEquals),
                },
                Acceptor {
                    state: State::Success,
                    matcher: Matcher::ErrorType("com.example#NotFound"),
                },
            ],
        };
        let doc = |j: &str| JsonReader::new(j.as_bytes()).read_document().unwrap();
        let input = Document::Null;
        let out = |j: &str| {
            matching_state(
                &spec,
                &Polled::Output {
                    input: &input,
                    output: &doc(j),
                },
            )
        };
        assert_eq!(
            out(r#"{"Items":[{"Status":"stopped"},{"Status":"stopped"}]}"#),
            Some(State::Success)
        );
        assert_eq!(
            out(r#"{"Items":[{"Status":"stopped"},{"Status":"failed"}]}"#),
            Some(State::Failure)
        );
        assert_eq!(
            out(r#"{"Items":[]}"#),
            None,
            "allStringEquals needs an element"
        );
        assert_eq!(
            matching_state(&spec, &Polled::Error(Some("NotFound"))),
            Some(State::Success)
        );
        assert_eq!(matching_state(&spec, &Polled::Error(Some("Other"))), None);
    }
}
