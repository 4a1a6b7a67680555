//! What an attacker, a broken server or an odd setting can do to the
//! client, and what stops it (README, "Security"): response-size limits,
//! saturating durations, implausible `Date` headers, header names no HTTP
//! message can carry, control characters in server text, and no secret in
//! any `Debug` or `Display`.

mod fault_server;

use std::time::{Duration, SystemTime};

use aws_slim::dms::client::{AsyncClient as DmsAsyncClient, Client as DmsClient};
use aws_slim::dms::{StopReplicationError, StopReplicationMessage};
use aws_slim::runtime::client::retry::RetryConfig;
use aws_slim::runtime::client::{
    Config, Credentials, HttpTransport, SdkError, Timeouts, TransportError, TransportRequest,
    TransportResponse,
};
use fault_server::{Action, FaultServer};

const DMS_ARN: &str = "arn:aws:dms:us-east-1:123456789012:replication-config:HARD";
const OK_DMS: &str = r#"{"ReplicationConfigArn":"arn:x","Status":"stopped"}"#;

fn input() -> StopReplicationMessage {
    StopReplicationMessage::new().with_replication_config_arn(DMS_ARN)
}

fn config(url: &str) -> aws_slim::runtime::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(
            Credentials::new("AKIDHARD", "SECRET-HARD-KEY").with_session_token("SECRET-SESSION"),
        )
        .endpoint_url(url)
        .retry(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::STANDARD
        })
}

#[test]
fn response_bodies_are_bounded_in_both_clients() {
    let big = format!(r#"{{"Status":"{}"}}"#, "x".repeat(3 << 20));
    let server = FaultServer::start(vec![
        Action::json(200, &big),
        Action::json(200, &big),
        Action::json(200, &big),
    ]);
    let limited = config(&server.url)
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let err = DmsClient::new(limited.clone())
        .stop_replication(&input())
        .unwrap_err();
    assert!(
        matches!(&err, SdkError::Transport { source, .. } if source.message.contains("limit of 1048576 bytes")),
        "{err}"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(DmsAsyncClient::new(limited).stop_replication(&input()))
        .unwrap_err();
    assert!(err.to_string().contains("limit of 1048576 bytes"), "{err}");
    // The default (100 MiB) takes it.
    let out = DmsClient::new(config(&server.url).build().unwrap())
        .stop_replication(&input())
        .expect("3 MiB is under the default limit");
    assert!(out.replication.is_none());
}

#[test]
fn durations_saturate_instead_of_overflowing() {
    let server = FaultServer::start(vec![Action::json(200, OK_DMS), Action::json(200, OK_DMS)]);
    let forever = Timeouts {
        connect: Duration::MAX,
        attempt: Duration::MAX,
        call: Some(Duration::MAX),
    };
    let cfg = config(&server.url)
        .timeouts(forever)
        .retry(RetryConfig {
            initial_backoff: Duration::MAX,
            max_backoff: Duration::MAX,
            ..RetryConfig::STANDARD
        })
        .build()
        .unwrap();
    assert!(cfg.timeouts().attempt <= Duration::from_secs(366 * 24 * 3600));
    DmsClient::new(cfg.clone())
        .stop_replication(&input())
        .expect("a blocking call with Duration::MAX timeouts");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(DmsAsyncClient::new(cfg).stop_replication(&input()))
        .expect("an async call with Duration::MAX timeouts");
}

#[test]
fn an_implausible_date_does_not_move_the_signing_clock() {
    let skew_error = |date: &str| Action::Respond {
        status: 400,
        headers: vec![("Date".into(), date.into())],
        body: br#"{"__type":"InvalidSignatureException","message":"Signature expired"}"#.to_vec(),
    };
    let server = FaultServer::start(vec![
        skew_error("Fri, 31 Dec 9999 23:59:59 GMT"),
        Action::json(200, OK_DMS),
    ]);
    let client = DmsClient::new(
        config(&server.url)
            .retry(RetryConfig {
                max_attempts: 3,
                ..RetryConfig::STANDARD
            })
            .build()
            .unwrap(),
    );
    let err = client.stop_replication(&input()).unwrap_err();
    assert_eq!(err.code(), Some("InvalidSignatureException"));
    client.stop_replication(&input()).expect("the next call");
    let seen = server.requests();
    assert_eq!(
        seen.len(),
        2,
        "the year-9999 Date was not retried as a skew"
    );
    let this_year = aws_slim::runtime::DateTime::from(SystemTime::now()).fmt_date_time();
    let signed = seen[1].header("x-amz-date").unwrap();
    assert_eq!(
        &signed[..4],
        &this_year[..4],
        "signed with the local clock: {signed}"
    );
}

/// A transport that records what reaches it.
#[derive(Debug, Default)]
struct Recording(std::sync::Mutex<Vec<String>>);

impl HttpTransport for Recording {
    fn send(&self, r: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
        self.0.lock().unwrap().push(format!("{r:?}"));
        Ok(TransportResponse {
            status: 200,
            headers: Vec::new(),
            body: OK_DMS.as_bytes().to_vec(),
        })
    }
}

#[test]
fn no_secret_in_debug_or_display() {
    use aws_slim::runtime::client::credentials::{Env, ProcessProvider, ProviderConfig};
    use aws_slim::runtime::client::profile::ProfileSet;
    const SECRETS: [&str; 3] = ["SECRET-HARD-KEY", "SECRET-SESSION", "SECRET-PROFILE"];
    let leaks = |what: &str, text: String| {
        for s in SECRETS {
            assert!(!text.contains(s), "{what} shows {s}: {text}");
        }
    };
    // What a custom transport is handed (Authorization, the session token).
    let recording = std::sync::Arc::new(Recording::default());
    #[derive(Debug)]
    struct Shared(std::sync::Arc<Recording>);
    impl HttpTransport for Shared {
        fn send(&self, r: &TransportRequest<'_>) -> Result<TransportResponse, TransportError> {
            self.0.send(r)
        }
    }
    let cfg = Config::builder()
        .region("us-east-1")
        .credentials(
            Credentials::new("AKIDHARD", "SECRET-HARD-KEY").with_session_token("SECRET-SESSION"),
        )
        .transport(Shared(recording.clone()))
        .build()
        .unwrap();
    leaks("Config", format!("{cfg:?}"));
    let client = DmsClient::new(cfg);
    leaks("Client", format!("{client:?}"));
    client.stop_replication(&input()).unwrap();
    let seen = recording.0.lock().unwrap().clone();
    assert!(
        seen[0].to_ascii_lowercase().contains("authorization") && seen[0].contains("redacted"),
        "{}",
        seen[0]
    );
    leaks("TransportRequest", seen.join("\n"));
    // Credentials, the environment, providers, profiles and their errors.
    let creds = Credentials::new("AK", "SECRET-HARD-KEY").with_session_token("SECRET-SESSION");
    leaks("Credentials", format!("{creds:?}"));
    let env = Env::from_vars([
        ("AWS_SECRET_ACCESS_KEY", "SECRET-HARD-KEY"),
        ("AWS_SESSION_TOKEN", "SECRET-SESSION"),
    ]);
    leaks("Env", format!("{env:?}"));
    let providers = ProviderConfig::new(env);
    leaks("ProviderConfig", format!("{providers:?}"));
    leaks(
        "ProcessProvider",
        format!(
            "{:?}",
            ProcessProvider::new(providers, "tool --key SECRET-PROFILE")
        ),
    );
    let set = ProfileSet::parse(
        Some((
            "config",
            "[default]\naws_secret_access_key = SECRET-PROFILE\n",
        )),
        None,
    )
    .unwrap();
    leaks("ProfileSet", format!("{set:?}"));
    let err = ProfileSet::parse(Some(("config", "[default]\nSECRET-PROFILE\n")), None).unwrap_err();
    leaks("ProfileFileError", format!("{err} {err:?}"));
    // Generated types: the STS credentials the providers read (their
    // session token is redacted by a customisation), and a sensitive input.
    let sts = aws_slim::runtime::client::sts_api::Credentials::new(
        aws_slim::runtime::client::sts_api::required::Credentials {
            access_key_id: "AK".into(),
            secret_access_key: "SECRET-HARD-KEY".into(),
            session_token: "SECRET-SESSION".into(),
            expiration: aws_slim::runtime::DateTime::from_secs(0),
        },
    );
    leaks("sts_api::Credentials", format!("{sts:?}"));
    let web = aws_slim::runtime::client::sts_api::AssumeRoleWithWebIdentityRequest::new()
        .with_web_identity_token("SECRET-PROFILE");
    leaks("AssumeRoleWithWebIdentityRequest", format!("{web:?}"));
}

#[test]
fn server_text_is_escaped_in_display() {
    let server = FaultServer::start(vec![Action::json(
        400,
        r#"{"__type":"Bad\nCode","message":"line one\n2026-01-01 INFO forged line\u001b[31m\u202e"}"#,
    )]);
    let err = DmsClient::new(config(&server.url).build().unwrap())
        .stop_replication(&input())
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        !shown.contains('\n') && !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
        "{shown:?}"
    );
    assert!(shown.contains("line one\\n2026"), "{shown}");
    // The message itself is kept as sent.
    assert!(matches!(
        err.service_error(),
        Some(StopReplicationError::Unhandled(_))
    ));
    assert_eq!(err.message().map(|m| m.contains('\n')), Some(true));
}

#[test]
fn header_names_no_http_message_can_carry_are_refused_before_sending() {
    use aws_slim::runtime::client::sigv4::{sign, SignableRequest, SigningParams, SigningSettings};
    let headers = vec![("x-bad\r\nInjected".to_string(), "v".to_string())];
    let request = SignableRequest {
        method: "GET",
        uri: "/",
        headers: &headers,
        body: b"",
    };
    let params = |key: &'static str| SigningParams {
        access_key_id: key,
        secret_access_key: "s",
        session_token: None,
        region: "us-east-1",
        service: "dms",
        time: aws_slim::runtime::DateTime::from_secs(1_700_000_000),
        settings: SigningSettings::default(),
    };
    assert!(
        sign(&request, &params("AKID")).is_err(),
        "a header name with CR/LF"
    );
    let fine = SignableRequest {
        headers: &[],
        ..request
    };
    assert!(sign(&fine, &params("AKID")).is_ok());
    assert!(
        sign(&fine, &params("AK\r\nID")).is_err(),
        "an access key id with CR/LF"
    );
    assert!(
        sign(&fine, &params("AK/ID")).is_err(),
        "an access key id with `/`"
    );
}

#[test]
fn redirects_are_never_followed() {
    let elsewhere = FaultServer::start(vec![Action::json(200, OK_DMS), Action::json(200, OK_DMS)]);
    let redirect = || Action::Respond {
        status: 301,
        headers: vec![("Location".into(), format!("{}/", elsewhere.url))],
        body: Vec::new(),
    };
    let server = FaultServer::start(vec![redirect(), redirect()]);
    let cfg = config(&server.url).build().unwrap();
    let err = DmsClient::new(cfg.clone())
        .stop_replication(&input())
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status), Some(301), "{err}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt
        .block_on(DmsAsyncClient::new(cfg).stop_replication(&input()))
        .unwrap_err();
    assert_eq!(err.raw_response().map(|r| r.status), Some(301), "{err}");
    assert_eq!(server.requests().len(), 2);
    assert!(elsewhere.requests().is_empty(), "the redirect was followed");
}
