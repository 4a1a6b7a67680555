//! Credentials and region providers against fakes written for the purpose:
//! temporary profile files, `credential_process` scripts, a loopback IMDS
//! with the IMDSv2 token flow and a loopback container-credentials endpoint
//! that checks its authorization header. Every test reads a fixed
//! environment (`Env::from_vars`), never the process's. STS (assume-role,
//! web identity) runs against moto in `cargo xtask e2e`.

mod metadata_server;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_slim::runtime::client::credentials::{
    default_region, CachedProvider, ContainerProvider, DefaultCredentialsChain, Env,
    EnvironmentProvider, ImdsProvider, ProcessProvider, ProfileProvider, ProviderConfig,
    REFRESH_AHEAD,
};
use aws_slim::runtime::client::{Clock, Config, Credentials, CredentialsError, ProvideCredentials};
use metadata_server::MetadataServer;

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let dir = std::env::temp_dir().join(format!(
            "aws-slim-creds-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, rel: &str, text: &str) -> String {
        let p = self.0.join(rel);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    /// An executable shell script.
    #[cfg(unix)]
    fn script(&self, name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let p = self.write(name, &format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// HOME in `dir`, IMDS off, plus `vars`.
fn env(dir: &TempDir, vars: &[(&str, &str)]) -> Env {
    let mut all: Vec<(String, String)> = vec![
        ("HOME".into(), dir.path().display().to_string()),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    Env::from_vars(all)
}

fn config(env: Env) -> ProviderConfig {
    ProviderConfig::new(env)
}

#[test]
fn environment_variables() {
    let dir = TempDir::new();
    let p = EnvironmentProvider::new(config(env(
        &dir,
        &[
            ("AWS_ACCESS_KEY_ID", "AKENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_SESSION_TOKEN", "env-token"),
        ],
    )));
    let c = p.provide_credentials().unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key(), c.session_token()),
        ("AKENV", "env-secret", Some("env-token"))
    );
    let half = EnvironmentProvider::new(config(env(&dir, &[("AWS_ACCESS_KEY_ID", "AK")])));
    let e = half.provide_credentials().unwrap_err();
    assert!(
        !e.is_not_loaded() && e.message().contains("AWS_SECRET_ACCESS_KEY"),
        "{e}"
    );
    let none = EnvironmentProvider::new(config(env(&dir, &[])));
    assert!(none.provide_credentials().unwrap_err().is_not_loaded());
}

#[test]
fn profiles_from_both_files_with_their_section_names() {
    let dir = TempDir::new();
    dir.write(
        ".aws/config",
        "[default]\nregion = eu-west-3\n[profile dev]\naws_access_key_id = AKDEV\naws_secret_access_key = dev-secret\nunknown_key = ignored\n",
    );
    dir.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKDEF\naws_secret_access_key = def-secret\n[profile dev]\naws_access_key_id = not-this-one\n",
    );
    let c = ProfileProvider::new(config(env(&dir, &[])))
        .provide_credentials()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.secret_access_key()),
        ("AKDEF", "def-secret")
    );
    // AWS_PROFILE picks `[profile dev]` of the config file; the credentials
    // file's `[profile dev]` is a profile literally named "profile dev".
    let c = ProfileProvider::new(config(env(&dir, &[("AWS_PROFILE", "dev")])))
        .provide_credentials()
        .unwrap();
    assert_eq!(c.access_key_id(), "AKDEV");
    // Files elsewhere.
    let other = dir.write(
        "elsewhere",
        "[x]\naws_access_key_id = AKX\naws_secret_access_key = s\n",
    );
    let c = ProfileProvider::new(config(env(
        &dir,
        &[
            ("AWS_SHARED_CREDENTIALS_FILE", &other),
            ("AWS_PROFILE", "x"),
        ],
    )))
    .provide_credentials()
    .unwrap();
    assert_eq!(c.access_key_id(), "AKX");
    // A profile that was asked for and is missing is an error, not a skip.
    let e = ProfileProvider::new(config(env(&dir, &[("AWS_PROFILE", "nope")])))
        .provide_credentials()
        .unwrap_err();
    assert!(
        !e.is_not_loaded() && e.message().contains("profile `nope`"),
        "{e}"
    );
}

#[test]
fn profile_errors_name_what_is_wrong() {
    let dir = TempDir::new();
    let cfg = dir.write(
        ".aws/config",
        "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n\
         [profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n\
         [profile lost]\nrole_arn = arn:aws:iam::1:role/l\nsource_profile = nowhere\n\
         [profile bare]\nrole_arn = arn:aws:iam::1:role/x\n\
         [profile sso]\nsso_session = corp\n\
         [profile webid]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /nonexistent/token\n\
         [profile halfkeys]\naws_access_key_id = AK\n",
    );
    for (profile, wanted) in [
        ("a", "cycle of source_profile: a -> b -> a"),
        ("lost", "profile `nowhere` is not in"),
        ("bare", "has role_arn but neither source_profile"),
        ("sso", "no [sso-session corp] section"),
        ("webid", "web identity token file /nonexistent/token"),
        ("halfkeys", "no aws_secret_access_key"),
    ] {
        let e = ProfileProvider::new(config(env(&dir, &[])))
            .with_profile(profile)
            .provide_credentials()
            .unwrap_err();
        assert!(e.message().contains(wanted), "{profile}: {e}");
    }
    // A malformed file: its path and line.
    std::fs::write(&cfg, "[default]\nregion = us-east-1\nnot a property\n").unwrap();
    let e = ProfileProvider::new(config(env(&dir, &[])))
        .provide_credentials()
        .unwrap_err();
    assert!(
        e.message()
            .contains(&format!("{cfg}:3: expected `key = value`")),
        "{e}"
    );
}

#[cfg(unix)]
#[test]
fn credential_process_output_failures_and_hangs() {
    let dir = TempDir::new();
    let good = dir.script(
        "good.sh",
        r#"echo '{"Version": 1, "AccessKeyId": "AKPROC", "SecretAccessKey": "proc-secret", "SessionToken": "tok", "Expiration": "2999-01-01T00:00:00Z"}'"#,
    );
    let c = ProcessProvider::new(config(env(&dir, &[])), good.clone())
        .provide_credentials()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("AKPROC", Some("tok"))
    );
    assert!(c.expiry().is_some());
    // Through a profile too.
    dir.write(
        ".aws/config",
        &format!("[default]\ncredential_process = {good} --flag\n"),
    );
    let c = ProfileProvider::new(config(env(&dir, &[])))
        .provide_credentials()
        .unwrap();
    assert_eq!(c.access_key_id(), "AKPROC");

    let failing = dir.script(
        "fail.sh",
        "echo 'secret-output SHOULD-NOT-LEAK'; echo 'role not allowed' >&2; exit 3",
    );
    let e = ProcessProvider::new(config(env(&dir, &[])), failing)
        .provide_credentials()
        .unwrap_err();
    assert!(e.message().contains("exit status: 3"), "{e}");
    assert!(e.message().contains("role not allowed"), "{e}");
    assert!(!e.to_string().contains("SHOULD-NOT-LEAK"), "{e}");

    let bad_json = dir.script("bad.sh", "echo 'not json SHOULD-NOT-LEAK'");
    let e = ProcessProvider::new(config(env(&dir, &[])), bad_json)
        .provide_credentials()
        .unwrap_err();
    assert!(
        e.message().contains("is not JSON") && !e.to_string().contains("LEAK"),
        "{e}"
    );

    let expired = dir.script(
        "expired.sh",
        r#"echo '{"Version": 1, "AccessKeyId": "AK", "SecretAccessKey": "s", "Expiration": "2001-01-01T00:00:00Z"}'"#,
    );
    let e = ProcessProvider::new(config(env(&dir, &[])), expired)
        .provide_credentials()
        .unwrap_err();
    assert!(e.message().contains("Expiration has passed"), "{e}");

    let hang = dir.script("hang.sh", "sleep 30");
    let started = std::time::Instant::now();
    let e = ProcessProvider::new(config(env(&dir, &[])), hang)
        .with_timeout(Duration::from_millis(300))
        .provide_credentials()
        .unwrap_err();
    assert!(e.message().contains("was killed"), "{e}");
    assert!(started.elapsed() < Duration::from_secs(10));

    // A process it starts keeps its output open: the call still ends at
    // the timeout, and the whole process group is killed.
    let marker = dir.path().join("grandchild-alive");
    let grandchild = dir.script(
        "grandchild.sh",
        &format!(
            "(sleep 30; touch {}) & echo '{{\"Version\": 1}}'",
            marker.display()
        ),
    );
    let started = std::time::Instant::now();
    let e = ProcessProvider::new(config(env(&dir, &[])), grandchild)
        .with_timeout(Duration::from_millis(500))
        .provide_credentials()
        .unwrap_err();
    assert!(e.message().contains("was killed"), "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Debug shows the program, not its arguments.
    let p = ProcessProvider::new(config(env(&dir, &[])), "/bin/tool --password SECRETARG");
    let shown = format!("{p:?}");
    assert!(
        shown.contains("/bin/tool") && !shown.contains("SECRETARG"),
        "{shown}"
    );
}

/// A `source_profile` chain far longer than any real one (3,000 profiles)
/// on a small stack: refused with an error, iteratively, no overflow.
#[test]
fn a_long_source_profile_chain_is_refused_without_recursion() {
    let dir = TempDir::new();
    let mut config_text =
        String::from("[default]\nrole_arn = arn:aws:iam::1:role/r0\nsource_profile = p1\n");
    for i in 1..3000 {
        config_text.push_str(&format!(
            "[profile p{i}]\nrole_arn = arn:aws:iam::1:role/r{i}\nsource_profile = p{}\n",
            i + 1
        ));
    }
    config_text.push_str("[profile p3000]\naws_access_key_id = AK\naws_secret_access_key = s\n");
    dir.write(".aws/config", &config_text);
    let env = env(&dir, &[]);
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || ProfileProvider::new(config(env)).provide_credentials())
        .unwrap();
    let e = handle.join().expect("no stack overflow").unwrap_err();
    assert!(e.message().contains("more than 32 profiles"), "{e}");
}

/// A fake IMDS: `PUT /latest/api/token` hands out a token that every GET
/// must carry (unless `v1` is allowed), then the role and its credentials.
fn imds(v1_only: bool) -> MetadataServer {
    MetadataServer::start(move |r| {
        let token_ok = r.header("x-aws-ec2-metadata-token") == Some("tok-123");
        match (r.method.as_str(), r.path.as_str()) {
            ("PUT", "/latest/api/token") if v1_only => (403, "forbidden".into()),
            ("PUT", "/latest/api/token") => {
                if r.header("x-aws-ec2-metadata-token-ttl-seconds").is_some() {
                    (200, "tok-123".into())
                } else {
                    (400, "no ttl".into())
                }
            }
            (_, _) if !token_ok && !v1_only => (401, "no token".into()),
            ("GET", "/latest/meta-data/iam/security-credentials/") => (200, "my-role\n".into()),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role") => (
                200,
                r#"{"Code":"Success","AccessKeyId":"AKIMDS","SecretAccessKey":"imds-secret","Token":"imds-token","Expiration":"2999-01-01T00:00:00Z"}"#.into(),
            ),
            ("GET", "/latest/meta-data/placement/region") => (200, "ap-south-2".into()),
            _ => (404, "not found".into()),
        }
    })
}

#[test]
fn imds_v2_token_flow_and_no_silent_v1() {
    let dir = TempDir::new();
    let server = imds(false);
    let vars = [
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "false"),
    ];
    let c = ImdsProvider::new(config(env(&dir, &vars)))
        .provide_credentials()
        .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("AKIMDS", Some("imds-token"))
    );
    let seen = server.seen();
    assert_eq!(seen[0].method, "PUT");
    assert!(seen[1..]
        .iter()
        .all(|s| s.header("x-aws-ec2-metadata-token") == Some("tok-123")));
    // Region from IMDS, after the environment and the profile.
    let region = default_region(&config(env(&dir, &vars)), true).unwrap();
    assert_eq!(region.as_deref(), Some("ap-south-2"));

    // A server that refuses tokens: an error, unless v1 is allowed.
    let v1 = imds(true);
    let vars = [
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", v1.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "false"),
    ];
    let e = ImdsProvider::new(config(env(&dir, &vars)))
        .provide_credentials()
        .unwrap_err();
    assert!(e.message().contains("IMDSv1 fallback is off"), "{e}");
    let c = ImdsProvider::new(config(env(&dir, &vars)))
        .allow_v1(true)
        .provide_credentials()
        .unwrap();
    assert_eq!(c.access_key_id(), "AKIMDS");
}

#[test]
fn imds_retries_are_bounded() {
    let dir = TempDir::new();
    let server = MetadataServer::start(|_| (503, "busy".into()));
    let vars = [
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "false"),
    ];
    let e = ImdsProvider::new(config(env(&dir, &vars)))
        .provide_credentials()
        .unwrap_err();
    assert!(e.message().contains("HTTP 503"), "{e}");
    assert_eq!(server.seen().len(), 3, "three attempts, no more");
}

#[test]
fn container_credentials_with_token_and_uri_checks() {
    let dir = TempDir::new();
    let server = MetadataServer::start(|r| {
        if r.header("authorization") == Some("Bearer pod-token") && r.path == "/creds" {
            (
                200,
                r#"{"AccessKeyId":"AKPOD","SecretAccessKey":"pod-secret","Token":"pod-session","Expiration":"2999-01-01T00:00:00Z","AccountId":"123"}"#.into(),
            )
        } else {
            (401, "unauthorized".into())
        }
    });
    let full = format!("{}/creds", server.url);
    let token_file = dir.write("token", "Bearer pod-token\n");
    let c = ContainerProvider::new(config(env(
        &dir,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &token_file),
        ],
    )))
    .provide_credentials()
    .unwrap();
    assert_eq!(
        (c.access_key_id(), c.session_token()),
        ("AKPOD", Some("pod-session"))
    );
    // The token variable works too; a wrong token is an error.
    let e = ContainerProvider::new(config(env(
        &dir,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong"),
        ],
    )))
    .provide_credentials()
    .unwrap_err();
    assert!(e.message().contains("HTTP 401"), "{e}");
    // Plain http to anything but loopback or the ECS/EKS hosts is refused
    // before any request.
    // User info would make a naive parser see `::1` while the transport
    // connects to 192.0.2.2: refused, whatever the host before `@`.
    for refused in [
        "http://192.0.2.1/creds",
        "http://169.254.169.254/latest",
        "ftp://127.0.0.1/x",
        "http://[::1]@192.0.2.2:9/creds",
        "http://127.0.0.1@192.0.2.2/creds",
        "http://localhost\\@192.0.2.2/creds",
    ] {
        let e = ContainerProvider::new(config(env(
            &dir,
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused)],
        )))
        .provide_credentials()
        .unwrap_err();
        assert!(
            !e.is_not_loaded()
                && e.message().contains(&format!(
                    "{:?}",
                    aws_slim::runtime::client::url::without_user_info(refused)
                )),
            "{refused}: {e}"
        );
    }
    for allowed in [
        "https://example.com/creds",
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://169.254.170.2/v2/credentials",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "http://[::1]:9/x",
    ] {
        aws_slim::runtime::client::credentials::container_uri_allowed(allowed)
            .unwrap_or_else(|e| panic!("{allowed}: {e}"));
    }
    // A relative URI stays on the ECS host: it must be a path.
    for relative in ["@192.0.2.2:9/creds", ":9@192.0.2.2/creds", "x/creds"] {
        let e = ContainerProvider::new(config(env(
            &dir,
            &[("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", relative)],
        )))
        .provide_credentials()
        .unwrap_err();
        assert!(e.message().contains("RELATIVE_URI"), "{relative}: {e}");
    }
    let missing = ContainerProvider::new(config(env(
        &dir,
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                "/nonexistent/token",
            ),
        ],
    )))
    .provide_credentials()
    .unwrap_err();
    assert!(
        missing.message().contains("/nonexistent/token"),
        "{missing}"
    );
}

#[test]
fn the_chain_keeps_the_sdk_order_and_lists_what_it_tried() {
    let dir = TempDir::new();
    dir.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = file-secret\n",
    );
    let with_env = env(
        &dir,
        &[
            ("AWS_ACCESS_KEY_ID", "AKENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ],
    );
    let c = DefaultCredentialsChain::new(config(with_env))
        .provide_credentials()
        .unwrap();
    assert_eq!(c.access_key_id(), "AKENV", "environment before profile");
    let c = DefaultCredentialsChain::new(config(env(&dir, &[])))
        .provide_credentials()
        .unwrap();
    assert_eq!(c.access_key_id(), "AKFILE");
    // Profile before container.
    let server = MetadataServer::start(|_| (500, String::new()));
    let full = format!("{}/creds", server.url);
    let c = DefaultCredentialsChain::new(config(env(
        &dir,
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full)],
    )))
    .provide_credentials()
    .unwrap();
    assert_eq!(c.access_key_id(), "AKFILE");
    assert!(
        server.seen().is_empty(),
        "the container endpoint was not asked"
    );

    let empty = TempDir::new();
    let e = DefaultCredentialsChain::new(config(env(&empty, &[])))
        .provide_credentials()
        .unwrap_err();
    for provider in [
        "environment: AWS_ACCESS_KEY_ID is not set",
        "profile: profile `default` is not in any file",
        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
        "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "instance metadata: AWS_EC2_METADATA_DISABLED is true",
    ] {
        assert!(
            e.message().contains(provider),
            "{provider} missing from: {e}"
        );
    }
}

#[test]
fn region_precedence() {
    let dir = TempDir::new();
    dir.write(
        ".aws/config",
        "[default]\nregion = eu-north-1\n[profile p]\nregion = sa-east-1\n",
    );
    let r = |vars: &[(&str, &str)]| default_region(&config(env(&dir, vars)), false).unwrap();
    assert_eq!(r(&[]).as_deref(), Some("eu-north-1"));
    assert_eq!(r(&[("AWS_PROFILE", "p")]).as_deref(), Some("sa-east-1"));
    assert_eq!(
        r(&[("AWS_DEFAULT_REGION", "us-west-1")]).as_deref(),
        Some("us-west-1")
    );
    assert_eq!(
        r(&[
            ("AWS_DEFAULT_REGION", "us-west-1"),
            ("AWS_REGION", "us-east-2")
        ])
        .as_deref(),
        Some("us-east-2")
    );
    let empty = TempDir::new();
    assert_eq!(
        default_region(&config(env(&empty, &[])), false).unwrap(),
        None
    );
    // A config built from such an environment.
    let config = Config::from_provider_config(ProviderConfig::new(env(
        &dir,
        &[("AWS_ACCESS_KEY_ID", "AK"), ("AWS_SECRET_ACCESS_KEY", "s")],
    )))
    .build()
    .unwrap();
    assert_eq!(config.region(), "eu-north-1");
    let e = Config::from_provider_config(ProviderConfig::new(env(&empty, &[])))
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("AWS_REGION"), "{e}");
}

/// A clock the test moves.
#[derive(Debug, Clone)]
struct TestClock(Arc<Mutex<SystemTime>>);

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
    fn sleep(&self, d: Duration) {
        *self.0.lock().unwrap() += d;
    }
}

/// Hands out numbered credentials valid for an hour from the clock, or
/// fails when told to; counts its calls; can be slow.
#[derive(Debug)]
struct Counting {
    clock: TestClock,
    calls: AtomicUsize,
    fail: std::sync::atomic::AtomicBool,
    delay: Duration,
}

impl ProvideCredentials for Counting {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        if self.fail.load(Ordering::SeqCst) {
            return Err(CredentialsError::new("source down"));
        }
        Ok(Credentials::new(format!("AK{n}"), "s")
            .with_session_token("t")
            .with_expiry(self.clock.now() + Duration::from_secs(3600)))
    }
}

#[test]
fn caching_refreshes_ahead_of_expiry_and_shares_one_refresh() {
    let clock = TestClock(Arc::new(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    )));
    let inner = Counting {
        clock: clock.clone(),
        calls: AtomicUsize::new(0),
        fail: false.into(),
        delay: Duration::ZERO,
    };
    let cached = CachedProvider::with_clock(inner, Arc::new(clock.clone()));
    assert_eq!(cached.provide_credentials().unwrap().access_key_id(), "AK0");
    clock.sleep(Duration::from_secs(3600) - REFRESH_AHEAD - Duration::from_secs(1));
    assert_eq!(
        cached.provide_credentials().unwrap().access_key_id(),
        "AK0",
        "still fresh"
    );
    clock.sleep(Duration::from_secs(2));
    assert_eq!(
        cached.provide_credentials().unwrap().access_key_id(),
        "AK1",
        "refreshed ahead"
    );
    // Concurrent callers share one refresh.
    let slow = Arc::new(CachedProvider::with_clock(
        Counting {
            clock: clock.clone(),
            calls: AtomicUsize::new(0),
            fail: false.into(),
            delay: Duration::from_millis(100),
        },
        Arc::new(clock.clone()),
    ));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let s = slow.clone();
            std::thread::spawn(move || s.provide_credentials().unwrap().access_key_id().to_string())
        })
        .collect();
    let keys: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    assert!(keys.iter().all(|k| k == "AK0"), "{keys:?}");
}

#[test]
fn a_failed_refresh_keeps_valid_credentials_and_expired_ones_are_refused() {
    let clock = TestClock(Arc::new(Mutex::new(
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    )));
    let inner = Arc::new(Counting {
        clock: clock.clone(),
        calls: AtomicUsize::new(0),
        fail: false.into(),
        delay: Duration::ZERO,
    });
    #[derive(Debug)]
    struct Shared(Arc<Counting>);
    impl ProvideCredentials for Shared {
        fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
            self.0.provide_credentials()
        }
    }
    let cached = CachedProvider::with_clock(Shared(inner.clone()), Arc::new(clock.clone()));
    assert_eq!(cached.provide_credentials().unwrap().access_key_id(), "AK0");
    inner.fail.store(true, Ordering::SeqCst);
    clock.sleep(Duration::from_secs(3600) - REFRESH_AHEAD + Duration::from_secs(1));
    assert_eq!(
        cached.provide_credentials().unwrap().access_key_id(),
        "AK0",
        "refresh failed, old credentials still valid"
    );
    clock.sleep(REFRESH_AHEAD);
    let e = cached.provide_credentials().unwrap_err();
    assert_eq!(e.message(), "source down");
    assert_eq!(inner.calls.load(Ordering::SeqCst), 3);
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let dir = TempDir::new();
    dir.write(
        ".aws/credentials",
        "[default]\naws_access_key_id = AKDBG\naws_secret_access_key = TOP-SECRET-VALUE\naws_session_token = TOP-SECRET-TOKEN\n",
    );
    let c = ProfileProvider::new(config(env(&dir, &[])))
        .provide_credentials()
        .unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains("TOP-SECRET"), "{debug}");
    let chain = DefaultCredentialsChain::cached(config(env(
        &dir,
        &[
            ("AWS_SECRET_ACCESS_KEY", "TOP-SECRET-ENV"),
            ("AWS_ACCESS_KEY_ID", "AK"),
        ],
    )));
    let _ = chain.provide_credentials().unwrap();
    let debug = format!("{chain:?}");
    assert!(!debug.contains("TOP-SECRET"), "{debug}");
}
