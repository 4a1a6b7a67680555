//! SSO (IAM Identity Center) credentials against a loopback stand-in for
//! the OIDC service and the portal (the scripted fault server, reached
//! through `AWS_ENDPOINT_URL`), with the AWS CLI's token cache in a
//! temporary home: the cached token exchanged for role credentials, a
//! token near its expiry refreshed with `CreateToken` and written back, and
//! every way a token can be unusable ending with `aws sso login`.

mod fault_server;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use aws_slim::runtime::client::credentials::{
    DefaultCredentialsChain, Env, ProfileProvider, ProviderConfig,
};
use aws_slim::runtime::client::profile::ProfileSet;
use aws_slim::runtime::client::sso::SsoProfile;
use aws_slim::runtime::client::{Clock, ProvideCredentials};
use aws_slim::runtime::DateTime;
use fault_server::{Action, FaultServer};
use serde_json::{json, Value};

const CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[sso-session corp]
sso_region = eu-west-1
sso_start_url = https://corp.awsapps.com/start
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 444455556666
sso_role_name = Admin
";

/// 2030-01-01T00:00:00Z: the clock every test runs at.
const NOW: u64 = 1_893_456_000;

#[derive(Clone, Copy, Debug)]
struct FixedClock;

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
    }
    fn sleep(&self, _: Duration) {}
}

fn at(offset_secs: i64) -> String {
    DateTime::from_secs(NOW as i64 + offset_secs).fmt_date_time()
}

/// A home with `~/.aws/config`, removed when dropped.
struct Home(PathBuf);

impl Home {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "aws-slim-sso-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(dir.join(".aws/sso/cache")).unwrap();
        std::fs::write(dir.join(".aws/config"), CONFIG).unwrap();
        Home(dir)
    }

    fn cache_file(&self, profile: &str) -> PathBuf {
        let set = ProfileSet::parse(Some(("config", CONFIG)), None).unwrap();
        let sso = SsoProfile::read(&set, set.get(profile).unwrap())
            .unwrap()
            .unwrap();
        self.0
            .join(".aws/sso/cache")
            .join(format!("{}.json", sso.cache_key()))
    }

    fn write_token(&self, profile: &str, token: &Value) {
        std::fs::write(self.cache_file(profile), token.to_string()).unwrap();
    }

    fn read_token(&self, profile: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.cache_file(profile)).unwrap()).unwrap()
    }

    fn provider_config(&self, server: &FaultServer, profile: &str) -> ProviderConfig {
        ProviderConfig::new(Env::from_vars([
            ("HOME", self.0.display().to_string()),
            ("AWS_PROFILE", profile.to_string()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
            ("AWS_ENDPOINT_URL", server.url.clone()),
        ]))
        .with_clock(FixedClock)
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn role_credentials() -> Action {
    Action::json(
        200,
        &json!({"roleCredentials": {
            "accessKeyId": "ASIASSOROLE",
            "secretAccessKey": "sso-role-secret",
            "sessionToken": "sso-session-token",
            "expiration": (NOW + 3600) * 1000,
        }})
        .to_string(),
    )
}

fn session_token(expires_in: i64, refreshable: bool) -> Value {
    let mut t = json!({
        "startUrl": "https://corp.awsapps.com/start",
        "region": "eu-west-1",
        "accessToken": "cached-token",
        "expiresAt": at(expires_in),
    });
    if refreshable {
        t["refreshToken"] = json!("refresh-1");
        t["clientId"] = json!("client-id");
        t["clientSecret"] = json!("client-secret");
        t["registrationExpiresAt"] = json!(at(90 * 86400));
    }
    t
}

#[test]
fn a_cached_token_becomes_role_credentials() {
    let home = Home::new();
    home.write_token("dev", &session_token(3600, true));
    let server = FaultServer::start(vec![role_credentials()]);
    let creds = ProfileProvider::new(home.provider_config(&server, "dev"))
        .provide_credentials()
        .expect("SSO credentials");
    assert_eq!(creds.access_key_id(), "ASIASSOROLE");
    assert_eq!(creds.secret_access_key(), "sso-role-secret");
    assert_eq!(creds.session_token(), Some("sso-session-token"));
    assert_eq!(
        creds.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(NOW + 3600))
    );
    let sent = server.requests();
    assert_eq!(sent.len(), 1, "no refresh: the token has an hour left");
    let line = &sent[0].request_line;
    assert!(line.starts_with("GET /federation/credentials?"), "{line}");
    assert!(
        line.contains("role_name=Developer") && line.contains("account_id=111122223333"),
        "{line}"
    );
    assert_eq!(
        sent[0].header("x-amz-sso_bearer_token"),
        Some("cached-token")
    );
    assert_eq!(
        sent[0].header("authorization"),
        None,
        "the portal call is unsigned"
    );
    // The token file is left as it was.
    assert_eq!(home.read_token("dev")["accessToken"], "cached-token");
}

#[test]
fn a_token_near_its_expiry_is_refreshed_and_written_back() {
    let home = Home::new();
    home.write_token("dev", &session_token(120, true));
    let server = FaultServer::start(vec![
        Action::json(
            200,
            r#"{"accessToken":"fresh-token","tokenType":"Bearer","expiresIn":28800,"refreshToken":"refresh-2"}"#,
        ),
        role_credentials(),
    ]);
    let creds = ProfileProvider::new(home.provider_config(&server, "dev"))
        .provide_credentials()
        .expect("SSO credentials after a refresh");
    assert_eq!(creds.access_key_id(), "ASIASSOROLE");
    let sent = server.requests();
    assert_eq!(sent.len(), 2);
    assert!(
        sent[0].request_line.starts_with("POST /token "),
        "{}",
        sent[0].request_line
    );
    let body: Value = serde_json::from_slice(&sent[0].body).unwrap();
    assert_eq!(
        body,
        json!({"clientId": "client-id", "clientSecret": "client-secret",
               "grantType": "refresh_token", "refreshToken": "refresh-1"})
    );
    assert_eq!(
        sent[1].header("x-amz-sso_bearer_token"),
        Some("fresh-token")
    );
    // The cache holds the new token, its expiry and refresh token, and
    // keeps what it had besides.
    let cached = home.read_token("dev");
    assert_eq!(cached["accessToken"], "fresh-token");
    assert_eq!(cached["expiresAt"], at(28800));
    assert_eq!(cached["refreshToken"], "refresh-2");
    assert_eq!(cached["clientId"], "client-id");
    assert_eq!(cached["startUrl"], "https://corp.awsapps.com/start");
}

#[test]
fn a_failed_refresh_keeps_a_token_that_still_works() {
    let home = Home::new();
    home.write_token("dev", &session_token(120, true));
    let server = FaultServer::start(vec![
        Action::error(400, "InvalidGrantException", "refresh token revoked"),
        role_credentials(),
    ]);
    let creds = ProfileProvider::new(home.provider_config(&server, "dev"))
        .provide_credentials()
        .expect("the old token still works");
    assert_eq!(creds.access_key_id(), "ASIASSOROLE");
    let sent = server.requests();
    assert_eq!(
        sent[1].header("x-amz-sso_bearer_token"),
        Some("cached-token")
    );
    assert_eq!(home.read_token("dev")["accessToken"], "cached-token");
}

#[test]
fn unusable_tokens_say_to_run_aws_sso_login() {
    let login = "run `aws sso login --profile dev`";
    let cases: Vec<(&str, Option<Value>, Vec<Action>)> = vec![
        ("no cache file", None, vec![]),
        (
            "expired, not refreshable",
            Some(session_token(-60, false)),
            vec![],
        ),
        (
            "expired, refresh refused",
            Some(session_token(-60, true)),
            vec![Action::error(400, "InvalidGrantException", "no")],
        ),
        (
            "refused by the portal",
            Some(session_token(3600, true)),
            vec![Action::error(
                401,
                "UnauthorizedException",
                "Session token not found or invalid",
            )],
        ),
        ("not a token file", Some(json!({"hello": 1})), vec![]),
    ];
    for (what, token, script) in cases {
        let home = Home::new();
        if let Some(t) = &token {
            home.write_token("dev", t);
        }
        let server = FaultServer::start(script);
        let err = ProfileProvider::new(home.provider_config(&server, "dev"))
            .provide_credentials()
            .expect_err(what);
        assert!(err.message().contains(login), "{what}: {err}");
        assert!(
            !err.to_string().contains("cached-token"),
            "{what}: the token stays out: {err}"
        );
        assert!(!err.to_string().contains("client-secret"), "{what}: {err}");
    }
}

#[test]
fn a_legacy_profile_reads_the_start_url_cache_and_never_refreshes() {
    let home = Home::new();
    let mut token = session_token(3600, false);
    token["startUrl"] = json!("https://old.awsapps.com/start");
    home.write_token("legacy", &token);
    let server = FaultServer::start(vec![role_credentials()]);
    let creds = ProfileProvider::new(home.provider_config(&server, "legacy"))
        .provide_credentials()
        .expect("legacy SSO credentials");
    assert_eq!(creds.access_key_id(), "ASIASSOROLE");
    let line = &server.requests()[0].request_line;
    assert!(
        line.contains("account_id=444455556666") && line.contains("role_name=Admin"),
        "{line}"
    );
    // Near its expiry, a legacy token is used as it is (no refresh token).
    let home = Home::new();
    let mut token = session_token(60, true);
    token["startUrl"] = json!("https://old.awsapps.com/start");
    home.write_token("legacy", &token);
    let server = FaultServer::start(vec![role_credentials()]);
    ProfileProvider::new(home.provider_config(&server, "legacy"))
        .provide_credentials()
        .expect("a legacy token that still works");
    assert_eq!(server.requests().len(), 1, "no CreateToken");
}

#[test]
fn the_default_chain_finds_an_sso_profile() {
    let home = Home::new();
    home.write_token("dev", &session_token(3600, true));
    let server = FaultServer::start(vec![role_credentials()]);
    let creds = DefaultCredentialsChain::new(home.provider_config(&server, "dev"))
        .provide_credentials()
        .expect("the chain reaches the profile");
    assert_eq!(creds.access_key_id(), "ASIASSOROLE");
}
