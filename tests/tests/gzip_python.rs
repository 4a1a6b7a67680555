//! The runtime's gzip compressor (used for `@requestCompression`), checked
//! against an independent decoder: Python's `gzip` module. Needs `python3`
//! (`$PYTHON` overrides it); without it the test prints a loud SKIP, and
//! fails under CI (`CI` set).

use std::io::Write as _;
use std::process::{Command, Stdio};

use aws_slim::runtime::gzip::gzip;

/// Decompresses with Python; `None` when Python cannot be run.
fn python_gunzip(data: &[u8]) -> Option<Vec<u8>> {
    let child = Command::new(tests::python())
        .args([
            "-c",
            "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("cannot run `{}`: {e}", tests::python());
            if std::env::var_os("CI").is_some() {
                panic!("{msg} (CI is set: this test must run)");
            }
            eprintln!("\n!!!! SKIPPED: {msg}\n");
            return None;
        }
    };
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(data)
        .expect("write to python");
    let out = child.wait_with_output().expect("python runs");
    assert!(
        out.status.success(),
        "python could not decompress: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout)
}

#[test]
fn python_decompresses_what_the_runtime_compresses() {
    let json: String = (0..3000)
        .map(|i| format!("{{\"Key\":\"item-{}\",\"Value\":{i}}},", i % 97))
        .collect();
    let mut seed = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..40_000)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        })
        .collect();
    let samples: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"x".to_vec(),
        json.clone().into_bytes(),
        vec![b'a'; 200_000],
        noise,
        "é中😀".repeat(5000).into_bytes(),
    ];
    for s in &samples {
        let packed = gzip(s);
        let Some(back) = python_gunzip(&packed) else {
            return;
        };
        assert!(back == *s, "round trip of {} bytes differs", s.len());
    }
    assert!(gzip(json.as_bytes()).len() < json.len() / 4);
}
