//! Support of the generated waiter suite (`cargo xtask e2e` copies it into
//! the waiter crate as `tests/support.rs`, beside the scripted loopback
//! server `tests/fault_server/mod.rs`): runs one waiter against a script of
//! answers, on a clock whose sleep moves time instead of waiting.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::fault_server::{Action, FaultServer};
use crate::runtime::client::{BlockingClient, Clock, Config, Credentials, WaitResult, WaiterSpec};
use crate::runtime::json::{from_json, JsonDeserialize, JsonSerialize};
use crate::runtime::Operation;

/// One scripted answer.
#[derive(Clone, Copy, Debug)]
pub enum Answer {
    /// 200 with this JSON body.
    Json(&'static str),
    /// 400 with this error code.
    Error(&'static str),
}

/// Time that moves only when slept through.
#[derive(Debug, Clone)]
struct JumpClock(Arc<Mutex<SystemTime>>);

impl Clock for JumpClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
    fn sleep(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

/// Runs `spec` on operation `O` (input from the JSON `input`) against a server answering
/// with `answers` (then the last one again, up to 12), for at most
/// `max_wait` seconds of the jumping clock.
pub fn scenario<O>(
    make: fn(Config) -> BlockingClient,
    spec: &'static WaiterSpec<'static>,
    input: &str,
    answers: &[Answer],
    max_wait: u64,
) -> WaitResult<O>
where
    O: Operation,
    O::Input: JsonSerialize + JsonDeserialize,
    O::Output: JsonSerialize,
{
    let mut script: Vec<Action> = answers
        .iter()
        .map(|a| match a {
            Answer::Json(body) => Action::json(200, body),
            Answer::Error(code) => Action::error(400, code, "scripted"),
        })
        .collect();
    while script.len() < 12 {
        let last = script.last().cloned().expect("at least one answer");
        script.push(last);
    }
    let server = FaultServer::start(script);
    let clock = JumpClock(Arc::new(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    )));
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
        .endpoint_url(&server.url)
        .clock(clock)
        .build()
        .expect("a configuration");
    let input: O::Input = from_json(input.as_bytes()).expect("an input from its JSON");
    make(config).wait::<O>(&input, spec, Duration::from_secs(max_wait))
}
