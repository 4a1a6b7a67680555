//! The shared configuration settings `Config::from_env` reads (README,
//! "Configuration"), through generated clients against loopback servers:
//! configured endpoint URLs per service, the precedence of code over the
//! environment over the profile over the default, and the adaptive retry
//! mode's rate limiter. Every test reads a fixed environment
//! (`Env::from_vars`) and a profile file in a temporary home.

mod fault_server;

#[path = "../fixture_crate/capture.rs"]
mod capture;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_slim::dms::client::Client as DmsClient;
use aws_slim::dms::StopReplicationMessage;
use aws_slim::runtime::client::credentials::{Env, ProviderConfig};
use aws_slim::runtime::client::retry::{RetryConfig, RetryMode};
use aws_slim::runtime::client::{Clock, Config, ConfigBuilder, Credentials};
use aws_slim::sagemaker::client::Client as SageMakerClient;
use aws_slim::sagemaker::StopPipelineExecutionRequest;
use fault_server::{Action, FaultServer};

const OK_DMS: &str = r#"{"ReplicationConfigArn":"arn:x","Status":"stopped"}"#;
const OK_SAGEMAKER: &str = r#"{"PipelineExecutionArn":"arn:p"}"#;

/// A home directory with `~/.aws/config`, removed when dropped.
struct Home(PathBuf);

impl Home {
    fn with_config(config: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "aws-slim-settings-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join(".aws")).unwrap();
        std::fs::write(dir.join(".aws/config"), config).unwrap();
        Home(dir)
    }

    fn config_file(&self) -> String {
        self.0.join(".aws/config").display().to_string()
    }

    /// `Config::from_env` over this home, IMDS off, and `vars`.
    fn config_from_env(&self, vars: &[(&str, &str)]) -> ConfigBuilder {
        let mut all: Vec<(String, String)> = vec![
            ("HOME".into(), self.0.display().to_string()),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
            ("AWS_REGION".into(), "us-east-1".into()),
        ];
        all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Config::from_provider_config(ProviderConfig::new(Env::from_vars(all)))
            .credentials(Credentials::new("AKIDSETTINGS", "settings-secret"))
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn dms_input() -> StopReplicationMessage {
    StopReplicationMessage::new().with_replication_config_arn("arn:aws:dms:us-east-1:1:rep:X")
}

fn sagemaker_input() -> StopPipelineExecutionRequest {
    StopPipelineExecutionRequest::new()
        .with_pipeline_execution_arn("arn:aws:sagemaker:us-east-1:1:pipeline/p/execution/e")
        .with_client_request_token("t")
}

/// Which of the servers got a request.
fn hits(servers: &[&FaultServer]) -> Vec<usize> {
    servers.iter().map(|s| s.requests().len()).collect()
}

#[test]
fn configured_endpoint_urls_reach_each_service_in_the_specified_order() {
    let dms_env = FaultServer::start(vec![Action::json(200, OK_DMS); 4]);
    let global_env = FaultServer::start(vec![Action::json(200, OK_SAGEMAKER); 4]);
    let dms_profile = FaultServer::start(vec![Action::json(200, OK_DMS); 4]);
    let global_profile = FaultServer::start(vec![Action::json(200, OK_SAGEMAKER); 4]);
    let home = Home::with_config(&format!(
        "[default]\nendpoint_url = {}\nservices = local\n\n[services local]\ndatabase_migration_service =\n  endpoint_url = {}\n",
        global_profile.url, dms_profile.url
    ));
    let all = [&dms_env, &global_env, &dms_profile, &global_profile];

    // The profile alone: the services section for DMS, `endpoint_url` for
    // SageMaker.
    let config = home.config_from_env(&[]).build().unwrap();
    DmsClient::new(config.clone())
        .stop_replication(&dms_input())
        .unwrap();
    SageMakerClient::new(config.clone())
        .stop_pipeline_execution(&sagemaker_input())
        .unwrap();
    assert_eq!(hits(&all), [0, 0, 1, 1]);
    let from = config.endpoint_for("Database Migration Service").unwrap();
    assert_eq!(from.value, dms_profile.url);
    assert_eq!(from.source, format!("{}:6", home.config_file()));

    // The environment over the profile: the service's variable, then
    // `AWS_ENDPOINT_URL`.
    let config = home
        .config_from_env(&[
            ("AWS_ENDPOINT_URL_DATABASE_MIGRATION_SERVICE", &dms_env.url),
            ("AWS_ENDPOINT_URL", &global_env.url),
        ])
        .build()
        .unwrap();
    DmsClient::new(config.clone())
        .stop_replication(&dms_input())
        .unwrap();
    SageMakerClient::new(config)
        .stop_pipeline_execution(&sagemaker_input())
        .unwrap();
    assert_eq!(hits(&all), [1, 1, 1, 1]);

    // Code over everything.
    let config = home
        .config_from_env(&[("AWS_ENDPOINT_URL", &dms_profile.url)])
        .endpoint_url(&dms_env.url)
        .build()
        .unwrap();
    DmsClient::new(config)
        .stop_replication(&dms_input())
        .unwrap();
    assert_eq!(hits(&all), [2, 1, 1, 1]);

    // Ignored: the rule set's endpoint (not called here).
    let config = home
        .config_from_env(&[
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ("AWS_ENDPOINT_URL", &global_env.url),
        ])
        .build()
        .unwrap();
    assert_eq!(config.endpoint_for("SageMaker"), None);
    let config = home
        .config_from_env(&[])
        .ignore_configured_endpoint_urls()
        .build()
        .unwrap();
    assert_eq!(config.endpoint_for("SageMaker"), None);
}

#[test]
fn a_configured_endpoint_that_is_no_url_names_where_it_was_set() {
    let home = Home::with_config("[default]\nendpoint_url = ftp://example\n");
    let err = home.config_from_env(&[]).build().unwrap_err().to_string();
    assert!(err.contains(&format!("{}:2", home.config_file())), "{err}");
    let err = home
        .config_from_env(&[("AWS_ENDPOINT_URL_S3", "http://user:pw@127.0.0.1:1")])
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("AWS_ENDPOINT_URL_S3"), "{err}");
    assert!(!err.contains("pw"), "the password stays out: {err}");
}

/// Code > environment > profile > default, for each setting.
#[test]
fn code_wins_over_the_environment_which_wins_over_the_profile() {
    let home = Home::with_config(
        "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\nmax_attempts = 5\nretry_mode = adaptive\nsdk_ua_app_id = from-profile\nendpoint_discovery_enabled = true\n",
    );
    let bare = Home::with_config("");
    // Default.
    let c = bare.config_from_env(&[]).build().unwrap();
    assert!(!c.use_fips() && !c.use_dual_stack());
    assert_eq!(c.retry().max_attempts, 3);
    assert_eq!(c.retry().mode, RetryMode::Standard);
    assert_eq!(c.endpoint_discovery(), None);
    // Profile.
    let c = home.config_from_env(&[]).build().unwrap();
    assert!(c.use_fips() && c.use_dual_stack());
    assert_eq!(c.retry().max_attempts, 5);
    assert_eq!(c.retry().mode, RetryMode::Adaptive);
    assert_eq!(c.endpoint_discovery(), Some(true));
    // Environment.
    let env = [
        ("AWS_USE_FIPS_ENDPOINT", "false"),
        ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
        ("AWS_MAX_ATTEMPTS", "2"),
        ("AWS_RETRY_MODE", "standard"),
        ("AWS_SDK_UA_APP_ID", "from-env"),
        ("AWS_ENABLE_ENDPOINT_DISCOVERY", "false"),
    ];
    let c = home.config_from_env(&env).build().unwrap();
    assert!(!c.use_fips() && !c.use_dual_stack());
    assert_eq!(c.retry().max_attempts, 2);
    assert_eq!(c.retry().mode, RetryMode::Standard);
    assert_eq!(c.endpoint_discovery(), Some(false));
    // Code.
    let c = home
        .config_from_env(&env)
        .use_fips(true)
        .use_dual_stack(true)
        .retry(RetryConfig {
            max_attempts: 7,
            ..RetryConfig::ADAPTIVE
        })
        .endpoint_discovery(true)
        .build()
        .unwrap();
    assert!(c.use_fips() && c.use_dual_stack());
    assert_eq!(c.retry().max_attempts, 7);
    assert_eq!(c.retry().mode, RetryMode::Adaptive);
    assert_eq!(c.endpoint_discovery(), Some(true));

    // The application id reaches the User-Agent: the environment's over
    // the profile's, the code's over both.
    let home = Home::with_config("[default]\nsdk_ua_app_id = from-profile\n");
    let server = FaultServer::start(vec![Action::json(200, OK_DMS); 3]);
    for (builder, want) in [
        (home.config_from_env(&[]), "app/from-profile"),
        (home.config_from_env(&env), "app/from-env"),
        (
            home.config_from_env(&env).app_name("from-code"),
            "app/from-code",
        ),
    ] {
        let config = builder.endpoint_url(&server.url).build().unwrap();
        DmsClient::new(config)
            .stop_replication(&dms_input())
            .unwrap();
        let sent = server.requests();
        let ua = sent
            .last()
            .unwrap()
            .header("user-agent")
            .unwrap()
            .to_string();
        assert!(ua.ends_with(want), "{ua}");
    }
}

#[test]
fn unreadable_settings_fail_the_build_naming_the_setting() {
    let home = Home::with_config("[default]\nmax_attempts = many\n");
    let err = home.config_from_env(&[]).build().unwrap_err().to_string();
    assert!(
        err.contains(&format!("{}:2: max_attempts", home.config_file())),
        "{err}"
    );
    let bare = Home::with_config("");
    let err = bare
        .config_from_env(&[("AWS_RETRY_MODE", "legacy")])
        .build()
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("AWS_RETRY_MODE") && err.contains("legacy"),
        "{err}"
    );
    let err = bare
        .config_from_env(&[("AWS_USE_DUALSTACK_ENDPOINT", "1")])
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("AWS_USE_DUALSTACK_ENDPOINT"), "{err}");
}

/// A clock whose time moves only when the client sleeps, recording each
/// sleep.
#[derive(Clone, Debug)]
struct SteppingClock {
    now: Arc<Mutex<SystemTime>>,
    sleeps: Arc<Mutex<Vec<Duration>>>,
}

impl SteppingClock {
    fn new() -> Self {
        SteppingClock {
            now: Arc::new(Mutex::new(
                SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000),
            )),
            sleeps: Arc::default(),
        }
    }

    fn take_sleeps(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.sleeps.lock().unwrap())
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }
    fn sleep(&self, d: Duration) {
        *self.now.lock().unwrap() += d;
        self.sleeps.lock().unwrap().push(d);
    }
}

#[test]
fn the_adaptive_mode_paces_calls_after_a_throttle_and_the_standard_mode_does_not() {
    let run = |retry: RetryConfig| {
        // Calls 1-3 succeed; call 4 is throttled once, then succeeds; calls
        // 5-8 succeed.
        let mut script = vec![Action::json(200, OK_DMS); 3];
        script.push(Action::error(400, "ThrottlingException", "slow down"));
        script.extend(vec![Action::json(200, OK_DMS); 5]);
        let server = FaultServer::start(script);
        let clock = SteppingClock::new();
        let config = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKIDADAPT", "adapt-secret"))
            .endpoint_url(&server.url)
            .clock(clock.clone())
            .retry(RetryConfig {
                initial_backoff: Duration::from_millis(1),
                max_backoff: Duration::from_millis(1),
                ..retry
            })
            .build()
            .unwrap();
        let client = DmsClient::new(config);
        let mut sleeps_per_call = Vec::new();
        for _ in 0..8 {
            client.stop_replication(&dms_input()).unwrap();
            sleeps_per_call.push(clock.take_sleeps());
        }
        assert_eq!(server.requests().len(), 9);
        sleeps_per_call
    };
    let standard = run(RetryConfig::STANDARD);
    // The standard mode sleeps only for the retry's backoff.
    for (i, sleeps) in standard.iter().enumerate() {
        let backoffs = usize::from(i == 3);
        assert_eq!(sleeps.len(), backoffs, "call {i}: {sleeps:?}");
    }
    let adaptive = run(RetryConfig::ADAPTIVE);
    // Before the throttle the bucket is open; from the retry on, every
    // attempt waits for a token from a bucket refilled at the cut rate.
    for sleeps in &adaptive[..3] {
        assert!(sleeps.is_empty(), "{sleeps:?}");
    }
    assert!(
        adaptive[3].len() >= 2,
        "backoff and a paced retry: {:?}",
        adaptive[3]
    );
    for (i, sleeps) in adaptive.iter().enumerate().skip(4) {
        let paced: Duration = sleeps.iter().sum();
        assert!(paced > Duration::ZERO, "call {i} is paced: {sleeps:?}");
        assert!(paced <= Duration::from_secs(60), "call {i}: {sleeps:?}");
    }
}

#[test]
fn a_configured_endpoint_is_logged_with_its_source_at_debug() {
    let home = Home::with_config("[default]\nendpoint_url = http://127.0.0.1:9\n");
    let config = home.config_from_env(&[]).build().unwrap();
    let capture = capture::Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        let _client = DmsClient::new(config);
    });
    let events = capture.events.lock().unwrap().clone();
    let logged = events
        .iter()
        .find(|e| e.field("message") == Some("configured endpoint URL"))
        .expect("the endpoint is logged");
    assert_eq!(logged.level, tracing::Level::DEBUG);
    assert_eq!(logged.field("endpoint"), Some("http://127.0.0.1:9"));
    assert_eq!(logged.field("service"), Some("Database Migration Service"));
    assert_eq!(
        logged.field("source"),
        Some(format!("{}:2", home.config_file()).as_str())
    );
}
