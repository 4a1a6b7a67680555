//! The fuzzing engine both fuzzers share (`tests/examples/fuzz.rs`, and
//! the protocol fuzzer `cargo xtask fuzz` generates a crate for): a seeded
//! random source, generators of JSON-ish values and XML elements,
//! byte-level mutations, and the runner that turns a panic or a slow input
//! into a finding.
#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// One input taking longer than this is a hang finding.
pub const SLOW: Duration = Duration::from_secs(2);

/// xorshift64*: small, fast, reproducible from the seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "3.0",
    "1e2",
    "1E+2",
    "1e-7",
    "1e999999",
    "-1e999999",
    "123456789012345678901234567890",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "0.000000000000000000000001",
    "1.5",
    "2147483648",
    "NaN",
    "1.7976931348623157e308",
    "4.9e-324",
    "00",
    "01",
    "1.",
    ".5",
    "-",
    "1e",
    "Infinity",
];

pub const STRINGS: &[&str] = &[
    "",
    "a",
    "stopped",
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05.123+02:00",
    "1700000000",
    "Tue, 29 Apr 2014 18:30:38 GMT",
    "\\u0000",
    "\\ud800",
    "\\udc00\\ud800",
    "\\ud83d\\ude00",
    "é",
    "\\\"",
    "\\\\",
    "\\n\\t",
    "\\uZZZZ",
    "\\x",
    "ValidationException",
    "com.amazonaws.dms#ResourceNotFoundFault",
];

/// A random JSON-ish value with member names from `keys`: mostly valid,
/// sometimes broken on purpose.
pub fn value(rng: &mut Rng, keys: &[&str], depth: usize, out: &mut String) {
    // Containers stop past a size budget (a branching process explodes).
    if depth > 0 && rng.chance(3) || depth > 40 || out.len() > 300_000 {
        scalar(rng, out);
        return;
    }
    match rng.below(10) {
        0..=4 => {
            out.push('{');
            for i in 0..rng.below(6) {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(rng.pick::<&str>(keys));
                out.push_str("\":");
                value(rng, keys, depth + 1, out);
            }
            if !rng.chance(50) {
                out.push('}');
            }
        }
        5..=7 => {
            out.push('[');
            for i in 0..rng.below(6) {
                if i > 0 {
                    out.push(',');
                }
                value(rng, keys, depth + 1, out);
            }
            if !rng.chance(50) {
                out.push(']');
            }
        }
        _ => scalar(rng, out),
    }
}

fn scalar(rng: &mut Rng, out: &mut String) {
    match rng.below(6) {
        0 => out.push_str(rng.pick::<&str>(NUMBERS)),
        1 => {
            out.push('"');
            out.push_str(rng.pick::<&str>(STRINGS));
            out.push('"');
        }
        2 => {
            // A long string.
            out.push('"');
            let n = rng.below(100_000);
            out.extend(std::iter::repeat_n('x', n));
            out.push('"');
        }
        3 => out.push_str(rng.pick::<&str>(&["true", "false", "null", "tru", "nul"])),
        4 => {
            // Deep nesting.
            let n = rng.below(5_000);
            out.extend(std::iter::repeat_n('[', n));
            out.extend(std::iter::repeat_n(']', n));
        }
        _ => out.push_str(rng.pick::<&str>(NUMBERS)),
    }
}

/// Byte-level mutations: flips, inserts, deletes, truncation, duplication,
/// invalid UTF-8.
pub fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..=rng.below(8) {
        if b.is_empty() {
            b.push(b'{');
        }
        let at = rng.below(b.len());
        match rng.below(7) {
            0 => b[at] ^= 1 << rng.below(8),
            1 => b.insert(at, *rng.pick(b"{}[]\":,\\0123456789eE+-.ntfu \xff\xc3\x80")),
            2 => {
                b.remove(at);
            }
            3 => b.truncate(at),
            4 => {
                let end = (at + rng.below(64)).min(b.len());
                let chunk = b[at..end].to_vec();
                b.splice(at..at, chunk);
            }
            5 => b.splice(at..at, [0xed, 0xa0, 0x80]).for_each(drop),
            _ => b[at] = rng.next() as u8,
        }
    }
    b
}

/// An XML element with random content: children, text with references,
/// CDATA, comments and attributes; deep at times.
pub fn xml(rng: &mut Rng, depth: usize, out: &mut String) {
    const NAMES: [&str; 8] = [
        "Credentials",
        "AccessKeyId",
        "Expiration",
        "member",
        "entry",
        "key",
        "a:Ns",
        "Error",
    ];
    const TEXTS: [&str; 10] = [
        "AKID",
        "2030-01-02T03:04:05Z",
        "&amp;&lt;&gt;&quot;&apos;",
        "&#x1F600;&#65;",
        "&#0;",
        "&bogus;",
        "<![CDATA[<x>]]>",
        "<!-- c -->",
        "   ",
        "1e400",
    ];
    let name = *rng.pick::<&str>(&NAMES);
    out.push('<');
    out.push_str(name);
    if rng.chance(4) {
        out.push_str(" xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\" a='&amp;'");
    }
    out.push('>');
    if depth < 150 && out.len() < 200_000 && !rng.chance(3) {
        for _ in 0..rng.below(4) {
            if rng.chance(2) {
                xml(rng, depth + 1, out);
            } else {
                out.push_str(rng.pick::<&str>(&TEXTS));
            }
        }
    } else {
        out.push_str(rng.pick::<&str>(&TEXTS));
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// A finding: the target, what happened, the input.
pub struct Finding {
    pub target: &'static str,
    pub what: String,
    pub input: Vec<u8>,
}

pub fn run_one(target: &'static str, input: &[u8], f: &dyn Fn(&[u8]), findings: &mut Vec<Finding>) {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| f(input)));
    let took = started.elapsed();
    if let Err(panic) = outcome {
        let what = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic".into());
        findings.push(Finding {
            target,
            what: format!("panic: {what}"),
            input: input.to_vec(),
        });
    } else if took > SLOW {
        findings.push(Finding {
            target,
            what: format!("took {took:?}"),
            input: input.to_vec(),
        });
    }
}

pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
