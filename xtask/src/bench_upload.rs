//! `cargo xtask bench-upload [--mib N]`: streamed uploads in bounded
//! memory, measured (see BENCHMARKS.md).
//!
//! A crate generated with S3 `PutObject` runs `xtask/bench/upload.rs`
//! (release build), which uploads a file from disk to the checking
//! loopback server (`tests/oracle/upload_server.py`: every chunk signature,
//! the trailer and the CRC-32 verified) and reports its own peak resident
//! memory. Measured in one run: the blocking and async clients uploading
//! 1 GiB (by default), the blocking client uploading 1 MiB (the baseline:
//! the program's memory without a large body), and botocore uploading the
//! same 1 GiB file (`xtask/bench/upload_botocore.py`). Fails when a large
//! upload's peak exceeds 100 MiB or the server finds a fault.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

const PROGRAM: &str = include_str!("../bench/upload.rs");
const PEER: &str = "xtask/bench/upload_botocore.py";
const SECRET: &str = "bench-secret";
/// The bound the issue sets for a 1 GiB upload's client.
const MAX_PEAK_MIB: u64 = 100;

/// The checking server, its port and its report lines.
struct Server {
    child: Child,
    lines: BufReader<ChildStdout>,
    port: u16,
}

impl Server {
    fn start(root: &Path, requests: usize) -> Result<Self, String> {
        let mut child = Command::new(super::python())
            .arg(root.join("tests/oracle/upload_server.py"))
            .args([SECRET, "0", &requests.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the upload server: {e}"))?;
        let stdout = child.stdout.take().ok_or("no server output")?;
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        lines
            .read_line(&mut first)
            .map_err(|e| format!("the upload server: {e}"))?;
        let port = first
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .ok_or_else(|| format!("the upload server said {first:?}, not its port"))?;
        Ok(Server { child, lines, port })
    }

    /// The report of the next request; an error if the server found a
    /// fault or saw another length.
    fn check(&mut self, length: u64) -> Result<(), String> {
        let mut line = String::new();
        self.lines
            .read_line(&mut line)
            .map_err(|e| format!("the upload server: {e}"))?;
        let report: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{e}: {line:?}"))?;
        let clean = report["problems"].as_array().is_some_and(Vec::is_empty);
        if !clean || report["decoded_length"].as_u64() != Some(length) {
            return Err(format!("the upload server found: {report}"));
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One upload's figures.
struct Run {
    name: String,
    bytes: u64,
    seconds: f64,
    peak_kib: u64,
}

/// Runs an upload program and reads its JSON line.
fn measure(name: &str, bytes: u64, cmd: &mut Command) -> Result<Run, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("running the {name} upload: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the {name} upload failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value = text
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| format!("the {name} upload printed {text:?}"))?;
    Ok(Run {
        name: name.to_string(),
        bytes,
        seconds: v["seconds"].as_f64().unwrap_or(0.0),
        peak_kib: v["peak_rss_kib"].as_u64().unwrap_or(0),
    })
}

/// Writes a file of `len` bytes (a pattern, not a sparse file: every byte
/// is read from disk).
fn write_file(path: &Path, len: u64) -> Result<(), String> {
    use std::io::Write;
    let block: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    let mut f = std::io::BufWriter::new(
        fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
    );
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        f.write_all(&block[..n])
            .map_err(|e| format!("{}: {e}", path.display()))?;
        left -= n as u64;
    }
    f.flush().map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let mib: u64 = match args {
        [] => 1024,
        ["--mib", n] => n.parse().map_err(|_| format!("--mib {n}: not a number"))?,
        _ => return Err("usage: cargo xtask bench-upload [--mib N]".into()),
    };
    let large = mib * 1024 * 1024;
    let dir = root.join("target/bench-upload");
    let krate = dir.join("crate");
    let (spec, loaded) = super::e2e::shared_service(
        root,
        "other-protocols",
        "s3",
        "s3-2006-03-01.json",
        vec!["PutObject".into()],
    )?;
    super::e2e::write_e2e_crate(
        root,
        &krate,
        "bench-upload",
        &[(spec, loaded)],
        |files, _| {
            files.insert("examples/upload.rs".into(), PROGRAM.to_string());
            if let Some(manifest) = files.get_mut("Cargo.toml") {
                manifest.push_str(
                "\n[dev-dependencies]\ntokio = { version = \"1.40\", default-features = false, features = [\"rt\", \"time\"] }\n",
            );
            }
            Ok(())
        },
    )?;
    let target = root.join("target");
    println!("building the upload program (release) ...");
    let status = Command::new(super::cargo())
        .current_dir(&krate)
        .args([
            "build",
            "--release",
            "--example",
            "upload",
            "--features",
            "blocking,async",
        ])
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("building the upload program failed".into());
    }
    let program = target.join("release/examples/upload");
    let small_file = dir.join("small.bin");
    let large_file = dir.join("large.bin");
    write_file(&small_file, 1024 * 1024)?;
    write_file(&large_file, large)?;
    super::ensure_python_module("botocore", "botocore")?;
    let mut server = Server::start(root, 4)?;
    let endpoint = format!("http://127.0.0.1:{}", server.port);
    let ours = |mode: &str, file: &Path| {
        let mut cmd = Command::new(&program);
        cmd.args([mode, &endpoint, &file.display().to_string(), SECRET]);
        cmd
    };
    let mut runs = Vec::new();
    for (name, mode, file, bytes) in [
        (
            "blocking, 1 MiB (baseline)",
            "blocking",
            &small_file,
            1024 * 1024,
        ),
        ("blocking", "blocking", &large_file, large),
        ("async", "async", &large_file, large),
    ] {
        println!("uploading {name} ...");
        runs.push(measure(name, bytes, &mut ours(mode, file))?);
        server.check(bytes)?;
    }
    println!("uploading with botocore ...");
    let mut peer = Command::new(super::python());
    peer.arg(root.join(PEER))
        .args([&endpoint, &large_file.display().to_string(), SECRET]);
    runs.push(measure("botocore", large, &mut peer)?);
    server.check(large)?;
    let _ = fs::remove_file(&large_file);
    let baseline = runs[0].peak_kib.max(1) as f64;
    println!(
        "\n{:<28} {:>10} {:>9} {:>10} {:>12} {:>14}",
        "upload", "size (MiB)", "time (s)", "MiB/s", "peak RSS MiB", "× 1 MiB upload"
    );
    for r in &runs {
        let mib = r.bytes as f64 / 1048576.0;
        println!(
            "{:<28} {:>10.0} {:>9.2} {:>10.0} {:>12.1} {:>14.2}",
            r.name,
            mib,
            r.seconds,
            mib / r.seconds.max(1e-9),
            r.peak_kib as f64 / 1024.0,
            r.peak_kib as f64 / baseline
        );
    }
    for r in &runs[1..3] {
        if r.peak_kib > MAX_PEAK_MIB * 1024 {
            return Err(format!(
                "the {} upload peaked at {} KiB, over {MAX_PEAK_MIB} MiB",
                r.name, r.peak_kib
            ));
        }
    }
    println!("\nevery upload verified by the server; peaks within {MAX_PEAK_MIB} MiB");
    Ok(())
}
