//! The hand-written half of the differential harness (`codegen::harness`).
//!
//! Copied verbatim into every generated harness crate as `src/support.rs`;
//! it reaches the crate under test as `super::slim`. The generated
//! `main.rs` only maps operation names to the generic functions below.
//!
//! Protocol: one case per stdin line, `ID<TAB>KIND<TAB>OPERATION<TAB>BODY`,
//! optionally followed by `<TAB>HEADERS`, where BODY is the body text as a
//! JSON string literal (so it may hold any text, newlines included), or a
//! binary body (CBOR) as a JSON array of byte values, HEADERS
//! the response headers as a JSON array of `[name, value]` pairs (none when
//! absent), and KIND is `request` (BODY: the input in the crate's JSON form,
//! serialized with `build_request`), `response` (BODY: a successful
//! response body for `parse_response`, with status 200 or the one after a
//! `:`, e.g. `response:201`; the output is written back as JSON) or `error`
//! (BODY: an error response body, parsed with the status given after a `:`
//! in KIND, e.g. `error:400`). One JSON object per case is printed on
//! stdout, in order: `{"id": ID, "ok": true, ...}` or
//! `{"id": ID, "ok": false, "error": TEXT}`.

use std::io::{BufRead as _, Write as _};
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::slim::runtime::json::to_json;
use super::slim::runtime::support::{parse_body, Ignored};
use super::slim::runtime::{
    EncodeError, HttpRequest, JsonDeserialize, JsonReader, JsonSerialize, JsonWriter, Operation,
};

/// The serde check every decoded value goes through (the crate's `serde`
/// feature): serde's JSON equals the crate's own JSON form as a JSON value,
/// and that value read back through serde writes the same JSON again.
/// Sets `"serde": true` on the case when it holds.
fn serde_check<T>(w: &mut JsonWriter, value: &T) -> Result<(), String>
where
    T: JsonSerialize + serde::Serialize + serde::de::DeserializeOwned,
{
    let own = to_json(value).map_err(|e| format!("serde check: to_json: {e}"))?;
    let own: serde_json::Value = serde_json::from_str(&own)
        .map_err(|e| format!("serde check: to_json wrote bad JSON: {e}"))?;
    let via_serde =
        serde_json::to_value(value).map_err(|e| format!("serde check: Serialize: {e}"))?;
    if via_serde != own {
        return Err(format!(
            "serde check: Serialize wrote {via_serde}, the codec {own}"
        ));
    }
    let back: T = serde_json::from_value(own.clone())
        .map_err(|e| format!("serde check: Deserialize: {e}"))?;
    let again =
        to_json(&back).map_err(|e| format!("serde check: to_json after Deserialize: {e}"))?;
    let again: serde_json::Value = serde_json::from_str(&again)
        .map_err(|e| format!("serde check: to_json wrote bad JSON: {e}"))?;
    if again != own {
        return Err(format!(
            "serde check: Deserialize gave {again}, expected {own}"
        ));
    }
    w.key("serde");
    w.boolean(true);
    Ok(())
}

/// Response headers of a case.
pub type CaseHeaders = [(String, String)];

/// Runs one case of a known operation kind; `false` for an unknown operation.
pub type Dispatch =
    fn(kind: &Kind, op: &str, body: &[u8], headers: &CaseHeaders, w: &mut JsonWriter) -> bool;

/// What a case asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Read the input from its JSON form, build the request.
    Request,
    /// Parse a successful response with this status, write the output back as JSON.
    Response(u16),
    /// Parse an error response with this status.
    Error(u16),
}

impl Kind {
    /// Parses the KIND column.
    pub fn parse(text: &str) -> Option<Kind> {
        let status = |s: &str| s.parse().ok();
        match text {
            "request" => Some(Kind::Request),
            "response" => Some(Kind::Response(200)),
            _ => match text.split_once(':') {
                Some(("response", s)) => status(s).map(Kind::Response),
                Some(("error", s)) => status(s).map(Kind::Error),
                _ => None,
            },
        }
    }
}

/// Reads the HEADERS column: a JSON array of `[name, value]` pairs.
fn read_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut r = JsonReader::new(text.as_bytes());
    let mut pairs: Vec<Vec<String>> = Vec::new();
    r.read_array(|r| {
        let mut pair = Vec::new();
        r.read_array(|r| {
            pair.push(r.read_string()?);
            Ok(())
        })?;
        pairs.push(pair);
        Ok(())
    })
    .and_then(|()| r.finish())
    .map_err(|e| format!("the HEADERS column: {e}"))?;
    pairs
        .into_iter()
        .map(|pair| match <[String; 2]>::try_from(pair) {
            Ok([k, v]) => Ok((k, v)),
            Err(pair) => Err(format!(
                "the HEADERS column: {pair:?} is not a [name, value] pair"
            )),
        })
        .collect()
}

/// Reads every case from stdin and prints one result line per case.
pub fn run(dispatch: Dispatch) {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin is UTF-8 text");
        if line.trim().is_empty() {
            continue;
        }
        let result = run_line(dispatch, &line);
        writeln!(out, "{result}").expect("stdout");
    }
    out.flush().expect("stdout");
}

/// The result line of one input line.
pub fn run_line(dispatch: Dispatch, line: &str) -> String {
    let mut cols = line.splitn(5, '\t');
    let id = cols.next().unwrap_or_default();
    let kind = cols.next().unwrap_or_default();
    let op = cols.next().unwrap_or_default();
    let body = cols.next().unwrap_or_default();
    let headers = cols.next().map_or(Ok(Vec::new()), read_headers);
    let mut w = JsonWriter::new();
    w.begin_object();
    w.key("id");
    w.string(id);
    let body = read_body(body);
    match (Kind::parse(kind), body, headers) {
        (None, _, _) => failed(&mut w, &format!("unknown case kind `{kind}`")),
        (_, Err(e), _) => failed(&mut w, &e),
        (_, _, Err(e)) => failed(&mut w, &e),
        (Some(kind), Ok(body), Ok(headers)) => {
            // A panic is a finding, not the end of the run: report it and go on.
            let mut inner = JsonWriter::new();
            let ran = catch_unwind(AssertUnwindSafe(|| {
                dispatch(&kind, op, &body, &headers, &mut inner)
            }));
            match ran {
                Ok(true) => {
                    let text = inner.into_string();
                    // `inner` holds members only: splice them into this object.
                    if !text.is_empty() {
                        return format!("{},{text}}}", w.as_str());
                    }
                }
                Ok(false) => failed(&mut w, &format!("unknown operation `{op}`")),
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    failed(&mut w, &format!("panicked: {message}"));
                }
            }
        }
    }
    w.end_object();
    w.into_string()
}

/// The BODY column: a JSON string (the body as text) or, for binary bodies
/// (CBOR), a JSON array of byte values.
fn read_body(column: &str) -> Result<Vec<u8>, String> {
    if let Some(list) = column.strip_prefix('[') {
        let list = list
            .strip_suffix(']')
            .ok_or("the BODY column's byte array is not closed")?;
        return list
            .split(',')
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(|b| b.parse::<u8>().map_err(|e| format!("BODY byte `{b}`: {e}")))
            .collect();
    }
    let mut reader = JsonReader::new(column.as_bytes());
    reader
        .read_string()
        .and_then(|b| reader.finish().map(|()| b.into_bytes()))
        .map_err(|e| format!("the BODY column is not a JSON string: {e}"))
}

fn failed(w: &mut JsonWriter, message: &str) {
    w.key("ok");
    w.boolean(false);
    w.key("error");
    w.string(message);
}

fn built(w: &mut JsonWriter, request: Result<HttpRequest, EncodeError>) {
    let req = match request {
        Ok(req) => req,
        Err(e) => return failed(w, &format!("build_request: {e}")),
    };
    w.key("ok");
    w.boolean(true);
    w.key("method");
    w.string(req.method);
    w.key("uri");
    w.string(&req.uri);
    w.key("host_prefix");
    w.string(&req.host_prefix);
    w.key("headers");
    w.begin_array();
    for (name, value) in &req.headers {
        w.begin_array();
        w.string(name);
        w.string(value);
        w.end_array();
    }
    w.end_array();
    match req.body_str() {
        Some(text) => {
            w.key("body");
            w.string(text);
        }
        None => {
            w.key("body_bytes");
            w.begin_array();
            for b in &req.body {
                w.unsigned(u64::from(*b));
            }
            w.end_array();
        }
    }
}

/// A request case of an operation with an input structure.
pub fn request<O: Operation>(w: &mut JsonWriter, body: &[u8])
where
    O::Input: JsonDeserialize + JsonSerialize + serde::Serialize + serde::de::DeserializeOwned,
{
    match parse_body::<O::Input>(body) {
        Ok(input) => match serde_check(w, &input) {
            Ok(()) => built(w, O::build_request(&input)),
            Err(e) => failed(w, &e),
        },
        Err(e) => failed(w, &format!("reading the input: {e}")),
    }
}

/// A request case of an operation without input (`smithy.api#Unit`).
pub fn request_unit<O: Operation<Input = ()>>(w: &mut JsonWriter, body: &[u8]) {
    match parse_body::<Ignored>(body) {
        Ok(Ignored) => {
            // `()` has no type of its own to check.
            w.key("serde");
            w.string("unit");
            built(w, O::build_request(&()));
        }
        Err(e) => failed(w, &format!("reading the input: {e}")),
    }
}

fn output(w: &mut JsonWriter, json: Result<String, EncodeError>) {
    match json {
        Ok(text) => {
            w.key("ok");
            w.boolean(true);
            w.key("output");
            w.string(&text);
        }
        Err(e) => failed(w, &format!("writing the output: {e}")),
    }
}

/// A response case of an operation with an output structure.
pub fn response<O: Operation>(w: &mut JsonWriter, status: u16, headers: &CaseHeaders, body: &[u8])
where
    O::Output: JsonSerialize + serde::Serialize + serde::de::DeserializeOwned,
{
    match O::parse_response(status, headers, body) {
        Ok(out) => match serde_check(w, &out) {
            Ok(()) => output(w, to_json(&out)),
            Err(e) => failed(w, &e),
        },
        Err(e) => failed(w, &format!("parse_response: {e}")),
    }
}

/// A response case of an operation without output (`smithy.api#Unit`).
pub fn response_unit<O: Operation<Output = ()>>(
    w: &mut JsonWriter,
    status: u16,
    headers: &CaseHeaders,
    body: &[u8],
) {
    match O::parse_response(status, headers, body) {
        Ok(()) => {
            w.key("serde");
            w.string("unit");
            output(w, Ok("{}".to_owned()));
        }
        Err(e) => failed(w, &format!("parse_response: {e}")),
    }
}

/// How an operation error was classified.
#[derive(Debug)]
pub struct Classified {
    /// `code()` of the error enum.
    pub code: Option<String>,
    /// `message()` of the error enum.
    pub message: Option<String>,
    /// The modeled error structure written back as JSON; `None` for `Unhandled`.
    pub members: Option<Result<String, EncodeError>>,
    /// The serde check of the modeled error structure (`None` for `Unhandled`).
    pub serde: Option<Result<(), String>>,
}

/// A modeled error: its code, message and members.
pub fn modeled<T>(code: &str, message: Option<&str>, members: &T) -> Classified
where
    T: JsonSerialize + serde::Serialize + serde::de::DeserializeOwned,
{
    let mut scratch = JsonWriter::new();
    Classified {
        code: Some(code.to_owned()),
        message: message.map(str::to_owned),
        members: Some(to_json(members)),
        serde: Some(serde_check(&mut scratch, members)),
    }
}

/// An error that no modeled variant took.
pub fn unhandled(code: Option<&str>, message: Option<&str>) -> Classified {
    Classified {
        code: code.map(str::to_owned),
        message: message.map(str::to_owned),
        members: None,
        serde: None,
    }
}

/// An error case: `classify` maps the operation's error enum.
pub fn error<O: Operation>(
    w: &mut JsonWriter,
    status: u16,
    headers: &CaseHeaders,
    body: &[u8],
    classify: fn(&O::Error) -> Classified,
) {
    let e = match O::parse_response(status, headers, body) {
        Ok(_) => return failed(w, "parse_response read an error response as a success"),
        Err(e) => e,
    };
    let c = classify(&e);
    match &c.serde {
        Some(Err(problem)) => return failed(w, problem),
        Some(Ok(())) => {
            w.key("serde");
            w.boolean(true);
        }
        None => {}
    }
    w.key("ok");
    w.boolean(true);
    w.key("display");
    w.string(&e.to_string());
    w.key("code");
    match &c.code {
        Some(code) => w.string(code),
        None => w.null(),
    }
    w.key("message");
    match &c.message {
        Some(m) => w.string(m),
        None => w.null(),
    }
    w.key("modeled");
    w.boolean(c.members.is_some());
    w.key("members");
    match c.members {
        Some(Ok(json)) => w.string(&json),
        Some(Err(e)) => w.string(&format!("!writing the error members: {e}")),
        None => w.null(),
    }
}
