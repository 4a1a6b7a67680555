//! The AWS SDKs' shared configuration settings beyond credentials and
//! region, read from the environment and the selected profile as the
//! shared configuration specification defines them.
//!
//! | setting | environment | profile key |
//! |---|---|---|
//! | endpoint URL, every service | `AWS_ENDPOINT_URL` | `endpoint_url` |
//! | endpoint URL, one service | `AWS_ENDPOINT_URL_<SERVICE>` | `<service> = endpoint_url = ..` in the `[services name]` section the profile's `services` names |
//! | ignore the two above | `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` | `ignore_configured_endpoint_urls` |
//! | FIPS endpoints | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` |
//! | dual-stack endpoints | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` |
//! | attempts per call | `AWS_MAX_ATTEMPTS` | `max_attempts` |
//! | retry mode | `AWS_RETRY_MODE` | `retry_mode` |
//! | application id | `AWS_SDK_UA_APP_ID` | `sdk_ua_app_id` |
//! | endpoint discovery | `AWS_ENABLE_ENDPOINT_DISCOVERY` | `endpoint_discovery_enabled` |
//!
//! The environment wins over the profile; what the program sets in code
//! wins over both. `<SERVICE>` is the service's SDK id in upper case with
//! spaces as underscores (`AWS_ENDPOINT_URL_ELASTIC_BEANSTALK`); in a
//! services section the key is the same in lower case (`elastic_beanstalk`).
//! A value that cannot be read is an error naming the variable, or the file
//! and line.

use std::collections::BTreeMap;

use super::profile::{selected_profile, Profile, ProfileSet};
use super::provider::Env;
use super::retry::RetryMode;

/// A setting's value and where it was read: an environment variable's
/// name, or `file:line`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub source: String,
}

/// The settings found, each `None` when neither the environment nor the
/// profile sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SharedSettings {
    /// FIPS endpoints.
    pub use_fips: Option<Setting<bool>>,
    /// Dual-stack endpoints.
    pub use_dual_stack: Option<Setting<bool>>,
    /// Attempts per call.
    pub max_attempts: Option<Setting<u32>>,
    /// The retry mode.
    pub retry_mode: Option<Setting<RetryMode>>,
    /// The application id for the `User-Agent`.
    pub app_id: Option<Setting<String>>,
    /// Endpoint discovery for services where it is optional.
    pub endpoint_discovery: Option<Setting<bool>>,
    /// The configured endpoint URLs.
    pub endpoints: ConfiguredEndpoints,
}

/// The endpoint URLs the environment and the profile configure, for every
/// service or for one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfiguredEndpoints {
    ignore: bool,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, by variable name.
    env_services: BTreeMap<String, String>,
    env_global: Option<String>,
    /// The services section's entries, by key.
    profile_services: BTreeMap<String, Setting<String>>,
    profile_global: Option<Setting<String>>,
}

impl ConfiguredEndpoints {
    /// The URL configured for the service with SDK id `sdk_id`, and where
    /// it was set: the service's variable, `AWS_ENDPOINT_URL`, the
    /// profile's services section, then the profile's `endpoint_url`.
    pub fn for_service(&self, sdk_id: &str) -> Option<Setting<String>> {
        if self.ignore {
            return None;
        }
        let var = env_var_name(sdk_id);
        if let Some(url) = self.env_services.get(&var) {
            return Some(Setting {
                value: url.clone(),
                source: var,
            });
        }
        if let Some(url) = &self.env_global {
            return Some(Setting {
                value: url.clone(),
                source: "AWS_ENDPOINT_URL".into(),
            });
        }
        self.profile_services
            .get(&config_key(sdk_id))
            .or(self.profile_global.as_ref())
            .cloned()
    }

    /// Every configured URL, for checking them all at once.
    pub fn all(&self) -> impl Iterator<Item = Setting<String>> + '_ {
        let env = self
            .env_services
            .iter()
            .map(|(k, v)| (v, k.as_str()))
            .chain(self.env_global.iter().map(|v| (v, "AWS_ENDPOINT_URL")))
            .map(|(v, k)| Setting {
                value: v.clone(),
                source: k.to_string(),
            });
        env.chain(self.profile_services.values().cloned())
            .chain(self.profile_global.iter().cloned())
    }
}

/// `AWS_ENDPOINT_URL_` and the SDK id in upper case, spaces and dashes as
/// underscores.
pub fn env_var_name(sdk_id: &str) -> String {
    format!(
        "AWS_ENDPOINT_URL_{}",
        service_key(sdk_id).to_ascii_uppercase()
    )
}

/// The key of a service in a services section: the SDK id in lower case,
/// spaces and dashes as underscores.
pub fn config_key(sdk_id: &str) -> String {
    service_key(sdk_id).to_ascii_lowercase()
}

fn service_key(sdk_id: &str) -> String {
    sdk_id
        .trim()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Reads the settings from `env` and the selected profile of `profiles`
/// (`AWS_PROFILE`, else `default`; a profile that does not exist sets
/// nothing).
pub fn load(env: &Env, profiles: &ProfileSet) -> Result<SharedSettings, String> {
    let profile = profiles.get(&selected_profile(env));
    let read = Reader { env, profile };
    let mut settings = SharedSettings {
        use_fips: read.setting("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", parse_bool)?,
        use_dual_stack: read.setting(
            "AWS_USE_DUALSTACK_ENDPOINT",
            "use_dualstack_endpoint",
            parse_bool,
        )?,
        max_attempts: read.setting("AWS_MAX_ATTEMPTS", "max_attempts", |v| {
            v.parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("{v:?} is not a whole number of attempts, 1 or more"))
        })?,
        retry_mode: read.setting("AWS_RETRY_MODE", "retry_mode", str::parse)?,
        app_id: read.setting("AWS_SDK_UA_APP_ID", "sdk_ua_app_id", |v| Ok(v.to_string()))?,
        endpoint_discovery: read.setting(
            "AWS_ENABLE_ENDPOINT_DISCOVERY",
            "endpoint_discovery_enabled",
            parse_bool,
        )?,
        endpoints: ConfiguredEndpoints::default(),
    };
    let ignore = read.setting(
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "ignore_configured_endpoint_urls",
        parse_bool,
    )?;
    let endpoints = &mut settings.endpoints;
    endpoints.ignore = ignore.is_some_and(|s| s.value);
    endpoints.env_services = env
        .vars_with_prefix("AWS_ENDPOINT_URL_")
        .into_iter()
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect();
    endpoints.env_global = env.var("AWS_ENDPOINT_URL").map(|v| v.trim().to_string());
    if let Some(p) = profile {
        endpoints.profile_global = p.get("endpoint_url").map(|v| Setting {
            value: v.to_string(),
            source: p.origin("endpoint_url"),
        });
        if let Some(name) = p.get("services") {
            let Some(section) = profiles.section("services", name) else {
                return Err(format!(
                    "{}: services = {name}: the config file has no [services {name}] section",
                    p.origin("services")
                ));
            };
            endpoints.profile_services = services_section(section);
        }
    }
    Ok(settings)
}

/// The `endpoint_url` of each service of a services section.
fn services_section(section: &Profile) -> BTreeMap<String, Setting<String>> {
    let mut out = BTreeMap::new();
    for key in section.keys() {
        if let Some(url) = section.sub(key, "endpoint_url") {
            out.insert(
                key.to_string(),
                Setting {
                    value: url,
                    source: section.origin(key),
                },
            );
        }
    }
    out
}

/// Reads one setting: the environment variable, else the profile key.
struct Reader<'a> {
    env: &'a Env,
    profile: Option<&'a Profile>,
}

impl Reader<'_> {
    fn setting<T>(
        &self,
        var: &str,
        key: &str,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Result<Option<Setting<T>>, String> {
        if let Some(v) = self.env.var(var) {
            let value = parse(v.trim()).map_err(|e| format!("{var}: {e}"))?;
            return Ok(Some(Setting {
                value,
                source: var.to_string(),
            }));
        }
        let Some(profile) = self.profile else {
            return Ok(None);
        };
        let Some(v) = profile.get(key) else {
            return Ok(None);
        };
        let source = profile.origin(key);
        let value = parse(v).map_err(|e| format!("{source}: {key}: {e}"))?;
        Ok(Some(Setting { value, source }))
    }
}

/// `true` or `false`, in any case.
fn parse_bool(v: &str) -> Result<bool, String> {
    if v.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if v.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(format!("{v:?} is neither true nor false"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)], config: &str) -> Result<SharedSettings, String> {
        let env = Env::from_vars(vars.iter().copied());
        let profiles = ProfileSet::parse(Some(("/home/u/.aws/config", config)), None).unwrap();
        load(&env, &profiles)
    }

    #[test]
    fn service_ids_name_variables_and_keys() {
        assert_eq!(env_var_name("DynamoDB"), "AWS_ENDPOINT_URL_DYNAMODB");
        assert_eq!(
            env_var_name("Elastic Beanstalk"),
            "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK"
        );
        assert_eq!(config_key("Elastic Beanstalk"), "elastic_beanstalk");
        assert_eq!(config_key("IoT 1Click Projects"), "iot_1click_projects");
    }

    #[test]
    fn every_setting_reads_from_the_environment_or_the_profile() {
        let config = "\
[default]
use_fips_endpoint = true
use_dualstack_endpoint = TRUE
max_attempts = 7
retry_mode = adaptive
sdk_ua_app_id = shop
endpoint_discovery_enabled = true
endpoint_url = http://127.0.0.1:4566
services = local

[services local]
dynamodb =
  endpoint_url = http://127.0.0.1:8000
elastic_beanstalk =
  endpoint_url = http://127.0.0.1:9000
";
        let s = settings(&[], config).unwrap();
        let at = |line: usize| format!("/home/u/.aws/config:{line}");
        assert_eq!(
            s.use_fips,
            Some(Setting {
                value: true,
                source: at(2)
            })
        );
        assert!(s.use_dual_stack.unwrap().value);
        assert_eq!(
            s.max_attempts,
            Some(Setting {
                value: 7,
                source: at(4)
            })
        );
        assert_eq!(s.retry_mode.unwrap().value, RetryMode::Adaptive);
        assert_eq!(s.app_id.unwrap().value, "shop");
        assert!(s.endpoint_discovery.unwrap().value);
        let e = &s.endpoints;
        assert_eq!(
            e.for_service("DynamoDB"),
            Some(Setting {
                value: "http://127.0.0.1:8000".into(),
                source: at(12)
            })
        );
        assert_eq!(
            e.for_service("Elastic Beanstalk").unwrap().value,
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            e.for_service("S3"),
            Some(Setting {
                value: "http://127.0.0.1:4566".into(),
                source: at(8)
            })
        );

        // The environment wins over the profile, setting by setting.
        let s = settings(
            &[
                ("AWS_USE_FIPS_ENDPOINT", "false"),
                ("AWS_MAX_ATTEMPTS", "2"),
                ("AWS_RETRY_MODE", "standard"),
                ("AWS_SDK_UA_APP_ID", "env-app"),
                ("AWS_ENDPOINT_URL", "http://127.0.0.1:1111"),
                ("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:2222"),
            ],
            config,
        )
        .unwrap();
        assert_eq!(
            s.use_fips,
            Some(Setting {
                value: false,
                source: "AWS_USE_FIPS_ENDPOINT".into()
            })
        );
        assert_eq!(s.max_attempts.unwrap().value, 2);
        assert_eq!(s.retry_mode.unwrap().value, RetryMode::Standard);
        assert_eq!(s.app_id.unwrap().value, "env-app");
        let e = &s.endpoints;
        // Service variable, then the global variable, then the profile's
        // services section, then its `endpoint_url`.
        assert_eq!(
            e.for_service("S3"),
            Some(Setting {
                value: "http://127.0.0.1:2222".into(),
                source: "AWS_ENDPOINT_URL_S3".into()
            })
        );
        assert_eq!(
            e.for_service("DynamoDB"),
            Some(Setting {
                value: "http://127.0.0.1:1111".into(),
                source: "AWS_ENDPOINT_URL".into()
            })
        );
        assert_eq!(e.all().count(), 5);
    }

    #[test]
    fn configured_endpoints_can_be_ignored() {
        let config = "[default]\nendpoint_url = http://127.0.0.1:4566\n";
        for (vars, ignored) in [
            (vec![("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")], true),
            (
                vec![("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")],
                false,
            ),
            (vec![], false),
        ] {
            let s = settings(&vars, config).unwrap();
            assert_eq!(s.endpoints.for_service("S3").is_none(), ignored, "{vars:?}");
        }
        let s = settings(
            &[],
            "[default]\nendpoint_url = http://x\nignore_configured_endpoint_urls = true\n",
        )
        .unwrap();
        assert_eq!(s.endpoints.for_service("S3"), None);
        let s = settings(
            &[
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
                ("AWS_ENDPOINT_URL_S3", "http://y"),
            ],
            "",
        )
        .unwrap();
        assert_eq!(s.endpoints.for_service("S3"), None);
    }

    #[test]
    fn the_selected_profile_is_read() {
        let config = "[default]\nmax_attempts = 2\n[profile ci]\nmax_attempts = 9\n";
        let s = settings(&[("AWS_PROFILE", "ci")], config).unwrap();
        assert_eq!(s.max_attempts.unwrap().value, 9);
        let s = settings(&[("AWS_PROFILE", "absent")], config).unwrap();
        assert_eq!(s.max_attempts, None);
    }

    #[test]
    fn bad_values_name_the_variable_or_the_file_and_line() {
        for (vars, config, wanted) in [
            (vec![("AWS_USE_FIPS_ENDPOINT", "yes")], "", "AWS_USE_FIPS_ENDPOINT: \"yes\" is neither true nor false"),
            (vec![("AWS_MAX_ATTEMPTS", "0")], "", "AWS_MAX_ATTEMPTS: \"0\" is not a whole number"),
            (vec![("AWS_RETRY_MODE", "legacy")], "", "AWS_RETRY_MODE: retry mode `legacy`"),
            (vec![], "[default]\nretry_mode = fast\n", "/home/u/.aws/config:2: retry_mode: \"fast\" is no retry mode"),
            (vec![], "[default]\nmax_attempts = -1\n", "/home/u/.aws/config:2: max_attempts"),
            (vec![], "[default]\nservices = nowhere\n", "/home/u/.aws/config:2: services = nowhere: the config file has no [services nowhere] section"),
        ] {
            let e = settings(&vars, config).unwrap_err();
            assert!(e.starts_with(wanted), "{e}");
        }
    }
}
