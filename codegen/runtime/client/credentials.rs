//! Credentials and region from where AWS users keep them, in the order and
//! with the rules of the AWS SDKs.
//!
//! The default chain ([`DefaultCredentialsChain`]) tries, in order: the
//! environment ([`EnvironmentProvider`]), the shared config and credentials
//! files ([`ProfileProvider`]: static keys, `credential_process`, `role_arn`
//! with `source_profile` or `credential_source`, web identity), web identity
//! from the environment ([`WebIdentityProvider`]), the ECS/EKS container
//! endpoint ([`ContainerProvider`]) and EC2 instance metadata
//! ([`ImdsProvider`], IMDSv2). A provider that is not configured hands on to
//! the next; one that is configured and fails stops the chain with its
//! error. When nothing is found, the error lists every provider and why it
//! gave nothing. [`CachedProvider`] keeps what a provider returned and
//! refreshes it ahead of expiry, one refresh shared by every caller.
//!
//! Every provider takes a [`ProviderConfig`]: the environment (a snapshot of
//! variables and the home directory, replaceable in tests), the HTTP
//! transport for metadata endpoints and STS, and the clock. Providers are
//! blocking; the async client calls them too, so a refresh that goes to the
//! network holds its task for at most the metadata timeouts (1 s per
//! attempt, 3 attempts) or an STS call (10 s).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::super::document::Document;
use super::super::json::JsonReader;
use super::profile::{selected_profile, Profile, ProfileSet};
pub use super::provider::{Env, ProviderConfig};
use super::url::parse_http_url;
use super::{
    sso, sts, Clock, Credentials, CredentialsError, ProvideCredentials, SystemClock,
    TransportRequest, TransportResponse,
};

/// Refresh credentials this long before they expire.
pub const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

/// The region STS calls go to: the profile's, the configuration's,
/// `AWS_REGION`, `AWS_DEFAULT_REGION`, else `us-east-1`.
fn sts_region(config: &ProviderConfig, profile: Option<&Profile>) -> String {
    profile
        .and_then(|p| p.get("region").map(String::from))
        .or_else(|| config.region.clone())
        .or_else(|| config.env.var("AWS_REGION"))
        .or_else(|| config.env.var("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| "us-east-1".to_string())
}

/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN`.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentProvider {
    config: ProviderConfig,
}

impl EnvironmentProvider {
    /// Reads the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        EnvironmentProvider { config }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.config.env;
        let Some(id) = env.var("AWS_ACCESS_KEY_ID") else {
            return Err(CredentialsError::not_loaded("AWS_ACCESS_KEY_ID is not set"));
        };
        let Some(secret) = env.var("AWS_SECRET_ACCESS_KEY") else {
            return Err(CredentialsError::new(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ));
        };
        let mut creds = Credentials::new(id, secret);
        if let Some(token) = env.var("AWS_SESSION_TOKEN") {
            creds = creds.with_session_token(token);
        }
        Ok(creds)
    }
}

/// Credentials from the selected profile (`AWS_PROFILE`, else `default`) of
/// the shared config and credentials files.
///
/// In the profile, in this order: `role_arn` (assumed with the credentials
/// of `source_profile`, of `credential_source` — `Environment`,
/// `Ec2InstanceMetadata` or `EcsContainer` — or of
/// `web_identity_token_file`), static keys (`aws_access_key_id`,
/// `aws_secret_access_key`, `aws_session_token`), `credential_process`.
/// SSO profiles (`sso_session`, or the legacy `sso_start_url`) get role
/// credentials from IAM Identity Center with the token `aws sso login`
/// cached (see [`super::sso`]).
#[derive(Clone, Debug, Default)]
pub struct ProfileProvider {
    config: ProviderConfig,
    profile: Option<String>,
}

impl ProfileProvider {
    /// The selected profile of `config`'s environment.
    pub fn new(config: ProviderConfig) -> Self {
        ProfileProvider {
            config,
            profile: None,
        }
    }

    /// Another profile than `AWS_PROFILE`'s.
    #[must_use]
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn name(&self) -> String {
        self.profile
            .clone()
            .unwrap_or_else(|| selected_profile(&self.config.env))
    }

    /// The credentials of profile `start`: the `source_profile` chain is
    /// walked (iteratively, at most [`MAX_PROFILE_CHAIN`] profiles, cycles
    /// refused) down to a profile with credentials of its own, and the
    /// roles on the way are assumed from there back up.
    fn resolve(&self, set: &ProfileSet, start: &str) -> Result<Credentials, CredentialsError> {
        let mut names: Vec<&str> = Vec::new();
        let mut roles: Vec<&Profile> = Vec::new();
        let mut name = start;
        let base = loop {
            let Some(profile) = set.get(name) else {
                return Err(CredentialsError::new(format!(
                    "profile `{name}` is not in {}",
                    files(set)
                )));
            };
            if names.contains(&name) {
                names.push(name);
                return Err(CredentialsError::new(format!(
                    "profiles form a cycle of source_profile: {}",
                    names.join(" -> ")
                )));
            }
            if names.len() >= MAX_PROFILE_CHAIN {
                return Err(CredentialsError::new(format!(
                    "profile `{start}`: more than {MAX_PROFILE_CHAIN} profiles in its source_profile chain"
                )));
            }
            names.push(name);
            let has_keys = profile.get("aws_access_key_id").is_some();
            // A profile that is the source of another one uses its own
            // keys, even if it has a role of its own.
            let as_source = names.len() > 1;
            let Some(role_arn) = profile.get("role_arn").filter(|_| !(as_source && has_keys))
            else {
                break self.own_credentials(set, profile)?;
            };
            if let Some(source) = profile.get("source_profile") {
                if profile.get("credential_source").is_some() {
                    return Err(CredentialsError::new(format!(
                        "profile `{name}` ({}) sets both source_profile and credential_source",
                        profile.origin("role_arn")
                    )));
                }
                roles.push(profile);
                if source == name {
                    break static_keys(profile)?;
                }
                name = source;
            } else if let Some(source) = profile.get("credential_source") {
                roles.push(profile);
                break self.credential_source(profile, source)?;
            } else if let Some(token_file) = profile.get("web_identity_token_file") {
                break web_identity(
                    &self.config,
                    Some(profile),
                    role_arn,
                    token_file,
                    profile.get("role_session_name"),
                )?;
            } else {
                return Err(CredentialsError::new(format!(
                    "profile `{name}` ({}) has role_arn but neither source_profile, credential_source \
                     nor web_identity_token_file",
                    profile.origin("role_arn")
                )));
            }
        };
        let mut credentials = base;
        for profile in roles.iter().rev() {
            credentials = self.assume(profile, &credentials)?;
        }
        Ok(credentials)
    }

    /// A profile's own credentials: keys, `credential_process`, or an
    /// error saying what it lacks.
    fn own_credentials(
        &self,
        set: &ProfileSet,
        profile: &Profile,
    ) -> Result<Credentials, CredentialsError> {
        let name = profile.name();
        if profile.get("aws_access_key_id").is_some() {
            return static_keys(profile);
        }
        if let Some(command) = profile.get("credential_process") {
            return ProcessProvider::new(self.config.clone(), command)
                .provide_credentials()
                .map_err(|e| CredentialsError::new(format!("profile `{name}`: {}", e.message())));
        }
        if let Some(sso) = sso::SsoProfile::read(set, profile) {
            let sso = sso.map_err(CredentialsError::new)?;
            return sso::credentials(&self.config, set, &sso);
        }
        Err(CredentialsError::new(format!(
            "profile `{name}` has no credentials (no keys, role_arn, SSO settings or credential_process)"
        )))
    }

    /// The credentials `credential_source` names.
    fn credential_source(
        &self,
        profile: &Profile,
        source: &str,
    ) -> Result<Credentials, CredentialsError> {
        let name = profile.name();
        let provider: Box<dyn ProvideCredentials> = match source {
            "Environment" => Box::new(EnvironmentProvider::new(self.config.clone())),
            "Ec2InstanceMetadata" => Box::new(ImdsProvider::new(self.config.clone())),
            "EcsContainer" => Box::new(ContainerProvider::new(self.config.clone())),
            other => {
                return Err(CredentialsError::new(format!(
                    "profile `{name}` ({}): credential_source `{other}` is not Environment, \
                     Ec2InstanceMetadata or EcsContainer",
                    profile.origin("credential_source")
                )))
            }
        };
        provider.provide_credentials().map_err(|e| {
            CredentialsError::new(format!(
                "profile `{name}`: credential_source {source}: {}",
                e.message()
            ))
        })
    }

    /// Assumes the role of `profile` with `source`.
    fn assume(
        &self,
        profile: &Profile,
        source: &Credentials,
    ) -> Result<Credentials, CredentialsError> {
        let name = profile.name();
        let role_arn = profile.get("role_arn").unwrap_or_default();
        let session = profile
            .get("role_session_name")
            .map_or_else(|| session_name(&self.config), String::from);
        let duration = match profile.get("duration_seconds") {
            None => None,
            Some(d) => Some(d.parse::<u32>().map_err(|_| {
                CredentialsError::new(format!(
                    "profile `{name}` ({}): duration_seconds `{d}` is not a number",
                    profile.origin("duration_seconds")
                ))
            })?),
        };
        sts::assume_role(
            &self.config,
            &sts_region(&self.config, Some(profile)),
            source,
            &sts::AssumeRole {
                role_arn,
                session_name: &session,
                external_id: profile.get("external_id"),
                duration_seconds: duration,
            },
        )
        .map_err(|e| CredentialsError::new(format!("profile `{name}`: {}", e.message())))
    }
}

/// The longest `source_profile` chain followed.
pub const MAX_PROFILE_CHAIN: usize = 32;

fn files(set: &ProfileSet) -> String {
    if set.files.is_empty() {
        "any file (no config or credentials file exists)".to_string()
    } else {
        set.files.join(" or ")
    }
}

fn static_keys(profile: &Profile) -> Result<Credentials, CredentialsError> {
    let name = profile.name();
    let id = profile.get("aws_access_key_id").ok_or_else(|| {
        CredentialsError::new(format!("profile `{name}` has no aws_access_key_id"))
    })?;
    let secret = profile.get("aws_secret_access_key").ok_or_else(|| {
        CredentialsError::new(format!(
            "profile `{name}` ({}) has aws_access_key_id but no aws_secret_access_key",
            profile.origin("aws_access_key_id")
        ))
    })?;
    let mut creds = Credentials::new(id, secret);
    if let Some(token) = profile.get("aws_session_token") {
        creds = creds.with_session_token(token);
    }
    Ok(creds)
}

fn session_name(config: &ProviderConfig) -> String {
    let secs = config
        .clock
        .now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("aws-slim-{secs}")
}

impl ProvideCredentials for ProfileProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let set =
            ProfileSet::load(&self.config.env).map_err(|e| CredentialsError::new(e.to_string()))?;
        let name = self.name();
        if set.get(&name).is_none() {
            // No such profile: not configured, unless the user asked for it.
            let message = format!("profile `{name}` is not in {}", files(&set));
            return Err(
                if self.profile.is_some() || self.config.env.var("AWS_PROFILE").is_some() {
                    CredentialsError::new(message)
                } else {
                    CredentialsError::not_loaded(message)
                },
            );
        }
        self.resolve(&set, &name)
    }
}

/// Runs a `credential_process` command and reads its JSON output
/// (`Version` 1, `AccessKeyId`, `SecretAccessKey`, optional `SessionToken`
/// and `Expiration`). The command runs through `sh -c` (`cmd /C` on
/// Windows), is killed after [`ProcessProvider::TIMEOUT`], and a failure is
/// reported with its exit status and the start of its standard error,
/// never its output (which holds secrets).
#[derive(Clone)]
pub struct ProcessProvider {
    config: ProviderConfig,
    command: String,
    timeout: Duration,
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The arguments may hold secrets (`--password x`): the program only.
        let program = self.command.split_whitespace().next().unwrap_or_default();
        f.debug_struct("ProcessProvider")
            .field("program", &program)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ProcessProvider {
    /// How long the command may run.
    pub const TIMEOUT: Duration = Duration::from_secs(60);

    /// Runs `command`.
    pub fn new(config: ProviderConfig, command: impl Into<String>) -> Self {
        ProcessProvider {
            config,
            command: command.into(),
            timeout: Self::TIMEOUT,
        }
    }

    /// Another time limit.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn run(&self) -> Result<Vec<u8>, CredentialsError> {
        use std::io::Read;
        use std::process::{Command, Stdio};
        let fail = |m: String| CredentialsError::new(format!("credential_process: {m}"));
        let mut cmd = if cfg!(windows) {
            let mut c = Command::new("cmd");
            c.args(["/C", &self.command]);
            c
        } else {
            let mut c = Command::new("sh");
            c.args(["-c", &self.command]);
            c
        };
        // Its own process group, so that what it starts (and may leave
        // holding its output) ends with it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| fail(format!("cannot start: {e}")))?;
        // Pipes are drained on threads so a chatty command cannot block;
        // their results are waited for no longer than the timeout.
        let drain = |pipe: Option<Box<dyn Read + Send>>| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                if let Some(p) = pipe {
                    let _ = p.take(1 << 20).read_to_end(&mut buf);
                }
                let _ = tx.send(buf);
            });
            rx
        };
        let out = drain(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let err = drain(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let started = std::time::Instant::now();
        let timed_out = |child: &mut std::process::Child| {
            kill_group(child);
            fail(format!(
                "did not finish within {:?} and was killed",
                self.timeout
            ))
        };
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() >= self.timeout => return Err(timed_out(&mut child)),
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(fail(format!("cannot wait for it: {e}"))),
            }
        };
        // A process it started may still hold its output open: wait for
        // the end of the output no longer than the timeout allows.
        let left = |min: Duration| self.timeout.saturating_sub(started.elapsed()).max(min);
        let stdout = match out.recv_timeout(left(Duration::ZERO)) {
            Ok(bytes) => bytes,
            Err(_) => return Err(timed_out(&mut child)),
        };
        let stderr = err
            .recv_timeout(left(Duration::from_millis(100)))
            .unwrap_or_default();
        if !status.success() {
            let text = String::from_utf8_lossy(&stderr);
            let text: String = text.trim().chars().take(200).collect();
            return Err(fail(format!(
                "exited with {status}{}",
                if text.is_empty() {
                    String::new()
                } else {
                    format!("; standard error: {text}")
                }
            )));
        }
        Ok(stdout)
    }
}

/// Kills a credential process and, on Unix, every process of its group
/// (what it started), then reaps it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // std has no killpg: the system's `kill` with a negative pid.
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let output = self.run()?;
        let creds = credentials_json(&output, "credential_process output", "SessionToken")?;
        if self.config.expired(&creds) {
            return Err(CredentialsError::new(
                "credential_process returned credentials whose Expiration has passed",
            ));
        }
        Ok(creds)
    }
}

/// Reads credentials from a JSON document with `AccessKeyId`,
/// `SecretAccessKey`, the session token under `token_key`, and an optional
/// `Expiration`. Errors name `what` and the missing field, never a value.
fn credentials_json(
    body: &[u8],
    what: &str,
    token_key: &str,
) -> Result<Credentials, CredentialsError> {
    let doc = JsonReader::new(body)
        .read_document()
        .map_err(|_| CredentialsError::new(format!("{what} is not JSON")))?;
    let Some(obj) = doc.as_object() else {
        return Err(CredentialsError::new(format!(
            "{what} is not a JSON object"
        )));
    };
    if let Some(v) = obj.get("Version") {
        if v.as_number().and_then(|n| n.as_i64()) != Some(1) {
            return Err(CredentialsError::new(format!("{what}: Version is not 1")));
        }
    }
    let field = |k: &str| {
        obj.get(k)
            .and_then(Document::as_str)
            .filter(|s| !s.is_empty())
    };
    let id = field("AccessKeyId")
        .ok_or_else(|| CredentialsError::new(format!("{what} has no AccessKeyId")))?;
    let secret = field("SecretAccessKey")
        .ok_or_else(|| CredentialsError::new(format!("{what} has no SecretAccessKey")))?;
    let mut creds = Credentials::new(id, secret);
    if let Some(token) = field(token_key) {
        creds = creds.with_session_token(token);
    }
    if let Some(exp) = field("Expiration") {
        let at = sts::parse_expiration(exp)
            .map_err(|e| CredentialsError::new(format!("{what}: {e}")))?;
        creds = creds.with_expiry(at);
    }
    Ok(creds)
}

fn web_identity(
    config: &ProviderConfig,
    profile: Option<&Profile>,
    role_arn: &str,
    token_file: &str,
    session: Option<&str>,
) -> Result<Credentials, CredentialsError> {
    let token = std::fs::read_to_string(token_file)
        .map_err(|e| CredentialsError::new(format!("web identity token file {token_file}: {e}")))?;
    let token = token.trim();
    if token.is_empty() {
        return Err(CredentialsError::new(format!(
            "web identity token file {token_file} is empty"
        )));
    }
    let session = session.map_or_else(|| session_name(config), String::from);
    sts::assume_role_with_web_identity(
        config,
        &sts_region(config, profile),
        role_arn,
        &session,
        token,
    )
}

/// `AssumeRoleWithWebIdentity` with `AWS_WEB_IDENTITY_TOKEN_FILE`,
/// `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME` (EKS IRSA, GitHub OIDC).
#[derive(Clone, Debug, Default)]
pub struct WebIdentityProvider {
    config: ProviderConfig,
}

impl WebIdentityProvider {
    /// Reads the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        WebIdentityProvider { config }
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.config.env;
        let Some(file) = env.var("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_loaded(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            ));
        };
        let Some(role) = env.var("AWS_ROLE_ARN") else {
            return Err(CredentialsError::new(
                "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
            ));
        };
        web_identity(
            &self.config,
            None,
            &role,
            &file,
            env.var("AWS_ROLE_SESSION_NAME").as_deref(),
        )
    }
}

/// The ECS task role or EKS Pod Identity: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (under `http://169.254.170.2`), or `AWS_CONTAINER_CREDENTIALS_FULL_URI`
/// with the token of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN` in `Authorization`. A full URI must
/// be `https`, or `http` to a host that resolves only to loopback or to the
/// ECS and EKS link-local addresses.
#[derive(Clone, Debug, Default)]
pub struct ContainerProvider {
    config: ProviderConfig,
}

impl ContainerProvider {
    /// Reads the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        ContainerProvider { config }
    }
}

/// Whether a container full URI may be called: https, or http to loopback
/// or the ECS (169.254.170.2) and EKS (169.254.170.23, fd00:ec2::23) hosts.
/// The URI is parsed by the transports' own rules ([`parse_http_url`]:
/// user info, backslashes and white space are refused), so the host
/// checked is the host connected to.
pub fn container_uri_allowed(uri: &str) -> Result<(), String> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};
    let url = parse_http_url(uri)?;
    if url.scheme == "https" {
        return Ok(());
    }
    let allowed = |ip: IpAddr| {
        ip.is_loopback()
            || ip == IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2))
            || ip == IpAddr::V4(Ipv4Addr::new(169, 254, 170, 23))
            || ip == IpAddr::V6(Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23))
    };
    let addrs: Vec<IpAddr> = match url.ip() {
        Some(ip) => vec![ip],
        None => (url.host, url.port_or_default())
            .to_socket_addrs()
            .map_err(|e| format!("{uri:?}: cannot resolve {}: {e}", url.host))?
            .map(|a| a.ip())
            .collect(),
    };
    if !addrs.is_empty() && addrs.iter().all(|ip| allowed(*ip)) {
        Ok(())
    } else {
        Err(format!(
            "{uri:?} is plain http to a host that is not loopback or the ECS/EKS \
             credential address; only https may go elsewhere"
        ))
    }
}

/// The URL of `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path (it must
/// start with `/`) on the ECS credential host, which it cannot leave.
pub fn container_relative_uri(relative: &str) -> Result<String, String> {
    if !relative.starts_with('/') {
        return Err(format!(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI {relative:?} does not start with `/`"
        ));
    }
    let uri = format!("http://169.254.170.2{relative}");
    let url = parse_http_url(&uri)?;
    if url.host != "169.254.170.2" || url.port.is_some() {
        return Err(format!(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI {relative:?} leaves the ECS credential host"
        ));
    }
    Ok(uri)
}

impl ProvideCredentials for ContainerProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.config.env;
        let uri = if let Some(rel) = env.var("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            container_relative_uri(&rel)
                .map_err(|e| CredentialsError::new(format!("container credentials: {e}")))?
        } else if let Some(full) = env.var("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            container_uri_allowed(&full)
                .map_err(|e| CredentialsError::new(format!("container credentials: {e}")))?;
            full
        } else {
            return Err(CredentialsError::not_loaded(
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
                 AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let mut headers = Vec::new();
        let token = if let Some(file) = env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            // Read on every fetch: EKS rotates the file.
            Some(std::fs::read_to_string(&file).map_err(|e| {
                CredentialsError::new(format!("container authorization token file {file}: {e}"))
            })?)
        } else {
            env.var("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        };
        if let Some(token) = token {
            let token = token.trim();
            if token.contains(['\r', '\n']) {
                return Err(CredentialsError::new(
                    "the container authorization token holds a line break",
                ));
            }
            headers.push(("Authorization".to_string(), token.to_string()));
        }
        let response = metadata_get(&self.config, &uri, &headers, "GET")
            .map_err(|e| CredentialsError::new(format!("container credentials: {e}")))?;
        credentials_json(&response.body, &format!("the response of {uri}"), "Token")
    }
}

/// Sends a metadata request: 1 s per attempt, 3 attempts for connection
/// failures and 5xx answers, 100 ms apart.
fn metadata_get(
    config: &ProviderConfig,
    url: &str,
    headers: &[(String, String)],
    method: &str,
) -> Result<TransportResponse, String> {
    let transport = config.transport().map_err(|e| e.message().to_string())?;
    let mut last = String::new();
    for attempt in 0..3 {
        if attempt > 0 {
            config.clock.sleep(Duration::from_millis(100));
        }
        match transport.send(&TransportRequest {
            method,
            url,
            headers,
            body: b"",
            timeout: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(1),
            // Metadata answers are small.
            max_response_bytes: 1 << 20,
        }) {
            Ok(r) if (200..300).contains(&r.status) => return Ok(r),
            Ok(r) if r.status >= 500 => last = format!("{url}: HTTP {}", r.status),
            Ok(r) => return Err(format!("{url}: HTTP {}", r.status)),
            Err(e) => last = format!("{url}: {e}"),
        }
    }
    Err(last)
}

/// EC2 instance metadata, IMDSv2: a session token (`PUT /latest/api/token`),
/// then the role name and its credentials. The endpoint is
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else `http://169.254.169.254`
/// (`http://[fd00:ec2::254]` with `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`);
/// `AWS_EC2_METADATA_DISABLED=true` turns it off. IMDSv1 (no token) is used
/// only when [`allow_v1`](Self::allow_v1) says so.
///
/// The session token is kept (clones share it) and renewed a minute before
/// its six hours run out.
#[derive(Clone, Default)]
pub struct ImdsProvider {
    config: ProviderConfig,
    allow_v1: bool,
    token: Arc<Mutex<Option<(String, SystemTime)>>>,
}

impl fmt::Debug for ImdsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImdsProvider")
            .field("config", &self.config)
            .field("allow_v1", &self.allow_v1)
            .finish_non_exhaustive()
    }
}

/// Lifetime asked for an IMDS session token.
const IMDS_TOKEN_TTL: Duration = Duration::from_secs(21_600);

impl ImdsProvider {
    /// Reads the environment of `config`.
    pub fn new(config: ProviderConfig) -> Self {
        ImdsProvider {
            config,
            allow_v1: false,
            token: Arc::default(),
        }
    }

    /// Falls back to IMDSv1 when the token request is refused.
    #[must_use]
    pub fn allow_v1(mut self, allow: bool) -> Self {
        self.allow_v1 = allow;
        self
    }

    fn endpoint(&self) -> Result<String, String> {
        let env = &self.config.env;
        if let Some(e) = env.var("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            parse_http_url(&e)
                .map_err(|why| format!("AWS_EC2_METADATA_SERVICE_ENDPOINT: {why}"))?;
            return Ok(e.trim_end_matches('/').to_string());
        }
        Ok(match env.var("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
            Some(m) if m.eq_ignore_ascii_case("ipv6") => "http://[fd00:ec2::254]".to_string(),
            _ => "http://169.254.169.254".to_string(),
        })
    }

    fn disabled(&self) -> bool {
        self.config.env.flag("AWS_EC2_METADATA_DISABLED")
    }

    /// A session token header, or none (IMDSv1, when allowed).
    fn token(&self, base: &str) -> Result<Vec<(String, String)>, String> {
        let now = self.config.clock.now();
        let mut kept = self
            .token
            .lock()
            .map_err(|_| "a token fetch panicked".to_string())?;
        if let Some((token, until)) = kept.as_ref() {
            if *until > now {
                return Ok(vec![(
                    "x-aws-ec2-metadata-token".to_string(),
                    token.clone(),
                )]);
            }
        }
        let url = format!("{base}/latest/api/token");
        let headers = [(
            "x-aws-ec2-metadata-token-ttl-seconds".to_string(),
            IMDS_TOKEN_TTL.as_secs().to_string(),
        )];
        match metadata_get(&self.config, &url, &headers, "PUT") {
            Ok(r) => {
                let token = String::from_utf8_lossy(&r.body).trim().to_string();
                if token.is_empty() || token.contains(['\r', '\n']) {
                    return Err(format!("{url} returned no usable token"));
                }
                *kept = Some((
                    token.clone(),
                    now + IMDS_TOKEN_TTL - Duration::from_secs(60),
                ));
                Ok(vec![("x-aws-ec2-metadata-token".to_string(), token)])
            }
            Err(_) if self.allow_v1 => Ok(Vec::new()),
            Err(e) => Err(format!("{e} (IMDSv1 fallback is off)")),
        }
    }

    /// A metadata path's text.
    pub fn get(&self, path: &str) -> Result<String, CredentialsError> {
        if self.disabled() {
            return Err(CredentialsError::not_loaded(
                "AWS_EC2_METADATA_DISABLED is true",
            ));
        }
        let fail = |e: String| CredentialsError::not_loaded(format!("instance metadata: {e}"));
        let base = self.endpoint().map_err(fail)?;
        let headers = self.token(&base).map_err(fail)?;
        let url = format!("{base}{path}");
        let r = metadata_get(&self.config, &url, &headers, "GET").map_err(fail)?;
        Ok(String::from_utf8_lossy(&r.body).into_owned())
    }
}

impl ProvideCredentials for ImdsProvider {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let roles = self.get("/latest/meta-data/iam/security-credentials/")?;
        let Some(role) = roles.lines().map(str::trim).find(|l| !l.is_empty()) else {
            return Err(CredentialsError::new(
                "instance metadata: the instance has no IAM role",
            ));
        };
        let body = self.get(&format!(
            "/latest/meta-data/iam/security-credentials/{role}"
        ))?;
        let doc = JsonReader::new(body.as_bytes()).read_document().ok();
        if let Some(code) = doc
            .as_ref()
            .and_then(|d| d.as_object())
            .and_then(|o| o.get("Code"))
            .and_then(Document::as_str)
        {
            if code != "Success" {
                return Err(CredentialsError::new(format!(
                    "instance metadata: role {role}: Code {code}"
                )));
            }
        }
        credentials_json(body.as_bytes(), "instance metadata credentials", "Token")
    }
}

/// The default chain: environment, profile, web identity, container,
/// instance metadata.
#[derive(Debug)]
pub struct DefaultCredentialsChain {
    providers: Vec<(&'static str, Box<dyn ProvideCredentials>)>,
}

impl DefaultCredentialsChain {
    /// The chain over `config`.
    pub fn new(config: ProviderConfig) -> Self {
        DefaultCredentialsChain {
            providers: vec![
                (
                    "environment",
                    Box::new(EnvironmentProvider::new(config.clone())),
                ),
                ("profile", Box::new(ProfileProvider::new(config.clone()))),
                (
                    "web identity",
                    Box::new(WebIdentityProvider::new(config.clone())),
                ),
                (
                    "container",
                    Box::new(ContainerProvider::new(config.clone())),
                ),
                ("instance metadata", Box::new(ImdsProvider::new(config))),
            ],
        }
    }

    /// The chain, cached: what a client should hold.
    pub fn cached(config: ProviderConfig) -> CachedProvider<DefaultCredentialsChain> {
        let clock = config.clock.clone();
        CachedProvider::with_clock(DefaultCredentialsChain::new(config), clock)
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials() {
                Ok(c) => return Ok(c),
                Err(e) if e.is_not_loaded() => tried.push(format!("{name}: {}", e.message())),
                Err(e) => return Err(CredentialsError::new(format!("{name}: {}", e.message()))),
            }
        }
        Err(CredentialsError::not_loaded(format!(
            "the default chain found nothing ({})",
            tried.join("; ")
        )))
    }
}

/// Keeps a provider's credentials and refreshes them [`REFRESH_AHEAD`] of
/// their expiry. Callers that arrive during a refresh wait for it and share
/// its result. When a refresh fails while the old credentials are still
/// valid, those are used.
pub struct CachedProvider<P> {
    inner: P,
    clock: Arc<dyn Clock>,
    cached: Mutex<Option<Credentials>>,
}

impl<P: fmt::Debug> fmt::Debug for CachedProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedProvider")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// Caches `inner` on the system clock.
    pub fn new(inner: P) -> Self {
        Self::with_clock(inner, Arc::new(SystemClock))
    }

    /// Caches `inner`, judging expiry by `clock`.
    pub fn with_clock(inner: P, clock: Arc<dyn Clock>) -> Self {
        CachedProvider {
            inner,
            clock,
            cached: Mutex::new(None),
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide_credentials(&self) -> Result<Credentials, CredentialsError> {
        // The lock is held across the refresh: one refresh, shared.
        let mut cached = self
            .cached
            .lock()
            .map_err(|_| CredentialsError::new("a refresh panicked"))?;
        let now = self.clock.now();
        if let Some(c) = cached.as_ref() {
            match c.expiry() {
                None => return Ok(c.clone()),
                Some(e) if e > now + REFRESH_AHEAD => return Ok(c.clone()),
                _ => {}
            }
        }
        match self.inner.provide_credentials() {
            Ok(fresh) => {
                if fresh.expiry().is_some_and(|e| e <= now) {
                    return Err(CredentialsError::new(
                        "the provider returned credentials that have already expired",
                    ));
                }
                *cached = Some(fresh.clone());
                Ok(fresh)
            }
            Err(e) => match cached.as_ref() {
                Some(old) if old.expiry().is_some_and(|x| x > now) => Ok(old.clone()),
                _ => Err(e),
            },
        }
    }
}

/// The region from where AWS users set it: `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, the selected profile's `region`, then (unless
/// `imds` is false) instance metadata. `None` when none has one.
pub fn default_region(
    config: &ProviderConfig,
    imds: bool,
) -> Result<Option<String>, CredentialsError> {
    if let Some(r) = config.env.var("AWS_REGION") {
        return Ok(Some(r));
    }
    if let Some(r) = config.env.var("AWS_DEFAULT_REGION") {
        return Ok(Some(r));
    }
    let set = ProfileSet::load(&config.env).map_err(|e| CredentialsError::new(e.to_string()))?;
    if let Some(r) = set
        .get(&selected_profile(&config.env))
        .and_then(|p| p.get("region"))
    {
        return Ok(Some(r.to_string()));
    }
    if imds {
        if let Ok(r) = ImdsProvider::new(config.clone()).get("/latest/meta-data/placement/region") {
            let r = r.trim();
            if !r.is_empty() {
                return Ok(Some(r.to_string()));
            }
        }
    }
    Ok(None)
}
