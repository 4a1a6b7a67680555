//! The shared config and credentials files (`~/.aws/config`,
//! `~/.aws/credentials`): parsing, with errors naming file and line, and
//! the merged view of one profile.
//!
//! The format is the AWS SDKs' INI dialect: `[profile name]` sections in the
//! config file (`[default]` too), `[name]` sections in the credentials file,
//! `key = value` properties, indented continuation lines holding
//! sub-properties (`s3 =` then `  max_concurrent_requests = 10`), full-line
//! comments starting with `#` or `;`, and inline comments after white space.
//! A section that appears twice is merged, later properties winning; a key
//! nobody reads is ignored, as every SDK does. Property names are matched
//! without regard to case.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::provider::Env;

/// Which of the two files a text comes from: they name sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[profile name]` and `[default]`.
    Config,
    /// `~/.aws/credentials`: `[name]`.
    Credentials,
}

/// A file that cannot be read as a profile file, with the line at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileFileError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ProfileFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ProfileFileError {}

/// One profile: its properties, names in lower case. `Debug` shows the
/// property names and redacts every value ([`Profile::get`] reads them).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
    /// Where each property was set (file and line), for error messages.
    origin: BTreeMap<String, (String, usize)>,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values hold keys, tokens and commands: names only.
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &self.properties.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Profile {
    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property, by name (any case); an empty value reads as unset.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The names of its properties, in lower case.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// Where a property was set: `file:line`.
    pub fn origin(&self, key: &str) -> String {
        match self.origin.get(&key.to_ascii_lowercase()) {
            Some((file, line)) => format!("{file}:{line}"),
            None => format!("profile `{}`", self.name),
        }
    }
}

/// Every profile of the config and credentials files, and the config
/// file's other named sections (`[sso-session name]`, `[services name]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    /// `(kind, name)` → section, such as `("services", "local")`.
    sections: BTreeMap<(String, String), Profile>,
    /// The files that were read (for "nothing found" messages).
    pub files: Vec<String>,
}

impl ProfileSet {
    /// Parses both files' texts (either may be absent). Credentials-file
    /// properties win over config-file ones of the same profile.
    pub fn parse(
        config: Option<(&str, &str)>,
        credentials: Option<(&str, &str)>,
    ) -> Result<ProfileSet, ProfileFileError> {
        let mut set = ProfileSet::default();
        for (kind, source) in [
            (FileKind::Config, config),
            (FileKind::Credentials, credentials),
        ] {
            if let Some((file, text)) = source {
                set.files.push(file.to_string());
                for (section, props) in parse_file(file, text, kind)? {
                    let (map, name) = match section {
                        Section::Profile(name) => (&mut set.profiles, name),
                        Section::Other(kind, name) => {
                            let key = (kind, name.clone());
                            let entry = set.sections.entry(key).or_insert_with(|| Profile {
                                name: name.clone(),
                                ..Profile::default()
                            });
                            for (k, v, line) in props {
                                entry.origin.insert(k.clone(), (file.to_string(), line));
                                entry.properties.insert(k, v);
                            }
                            continue;
                        }
                    };
                    let profile = map.entry(name.clone()).or_insert_with(|| Profile {
                        name,
                        ..Profile::default()
                    });
                    for (k, v, line) in props {
                        profile.origin.insert(k.clone(), (file.to_string(), line));
                        profile.properties.insert(k, v);
                    }
                }
            }
        }
        Ok(set)
    }

    /// Reads the files the environment names: `AWS_CONFIG_FILE` (default
    /// `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE` (default
    /// `~/.aws/credentials`). A file that does not exist is skipped; one that
    /// cannot be read or parsed is an error.
    pub fn load(env: &Env) -> Result<ProfileSet, ProfileFileError> {
        let read =
            |var: &str, default: &str| -> Result<Option<(String, String)>, ProfileFileError> {
                let path = match env.var(var) {
                    Some(p) => expand_home(&p, env),
                    None => match env.home() {
                        Some(home) => home.join(".aws").join(default),
                        None => return Ok(None),
                    },
                };
                let file = path.display().to_string();
                match std::fs::read_to_string(&path) {
                    Ok(text) => Ok(Some((file, text))),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(ProfileFileError {
                        file,
                        line: 0,
                        message: format!("cannot be read: {e}"),
                    }),
                }
            };
        let config = read("AWS_CONFIG_FILE", "config")?;
        let credentials = read("AWS_SHARED_CREDENTIALS_FILE", "credentials")?;
        ProfileSet::parse(
            config.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
            credentials.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
        )
    }

    /// A profile by name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Every profile name.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// Another named section of the config file: `section("sso-session",
    /// "corp")` for `[sso-session corp]`, `section("services", "local")`
    /// for `[services local]`.
    pub fn section(&self, kind: &str, name: &str) -> Option<&Profile> {
        self.sections.get(&(kind.to_string(), name.to_string()))
    }
}

impl Profile {
    /// A sub-property: `sub("s3", "endpoint_url")` reads
    /// `s3 =` followed by the indented `  endpoint_url = ...`.
    pub fn sub(&self, key: &str, sub_key: &str) -> Option<String> {
        let block = self.properties.get(&key.to_ascii_lowercase())?;
        block.lines().find_map(|line| {
            let (k, v) = line.split_once('=')?;
            let v = strip_comment(v.trim());
            (k.trim().eq_ignore_ascii_case(sub_key) && !v.is_empty()).then(|| v.to_string())
        })
    }
}

/// What a section header names.
enum Section {
    /// A profile.
    Profile(String),
    /// Another kind of section of the config file: `(kind, name)`.
    Other(String, String),
}

/// The config-file section kinds other than profiles that are read.
const OTHER_SECTIONS: [&str; 2] = ["sso-session", "services"];

/// The selected profile's name: `AWS_PROFILE`, else `default`.
pub fn selected_profile(env: &Env) -> String {
    env.var("AWS_PROFILE")
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

fn expand_home(path: &str, env: &Env) -> PathBuf {
    match (path.strip_prefix("~/"), env.home()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => Path::new(path).to_path_buf(),
    }
}

type Properties = Vec<(String, String, usize)>;

/// Sections of one file: section → properties (name, value, line).
fn parse_file(
    file: &str,
    text: &str,
    kind: FileKind,
) -> Result<Vec<(Section, Properties)>, ProfileFileError> {
    let err = |line: usize, message: String| ProfileFileError {
        file: file.to_string(),
        line,
        message,
    };
    let mut out: Vec<(Section, Properties)> = Vec::new();
    // The section being read: `None` before the first, `Some(None)` for a
    // section that is not a profile (skipped), `Some(Some(i))` for out[i].
    let mut current: Option<Option<usize>> = None;
    let mut last_key: Option<(String, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            let inner = strip_comment(trimmed);
            let Some(name) = inner.strip_prefix('[').and_then(|s| s.strip_suffix(']')) else {
                // The line itself is not quoted: it may hold a secret.
                return Err(err(line, "a section header without its closing `]`".into()));
            };
            let name = name.trim();
            let other = OTHER_SECTIONS.iter().find_map(|k| {
                let rest = name.strip_prefix(k)?;
                rest.starts_with([' ', '\t'])
                    .then(|| (k.to_string(), rest.trim().to_string()))
            });
            let section = match kind {
                // `[profile x]` in the credentials file names no profile
                // (the SDKs skip it too).
                FileKind::Credentials if name.contains(char::is_whitespace) => None,
                FileKind::Credentials => Some(Section::Profile(name.to_string())),
                FileKind::Config => match name.strip_prefix("profile") {
                    Some(rest) if rest.is_empty() || rest.starts_with([' ', '\t']) => {
                        Some(Section::Profile(rest.trim().to_string()))
                    }
                    _ if name == "default" => Some(Section::Profile(name.to_string())),
                    // `[sso-session x]`, `[services x]`.
                    _ => other.map(|(k, n)| Section::Other(k, n)),
                },
            };
            let named = match &section {
                Some(Section::Profile(p)) | Some(Section::Other(_, p)) => Some(p),
                None => None,
            };
            if named.is_some_and(|p| p.is_empty() || p.contains(char::is_whitespace)) {
                return Err(err(line, format!("`[{name}]` does not name a profile")));
            }
            current = Some(section.map(|section| {
                let same = |s: &Section| match (s, &section) {
                    (Section::Profile(a), Section::Profile(b)) => a == b,
                    (Section::Other(k, a), Section::Other(l, b)) => k == l && a == b,
                    _ => false,
                };
                match out.iter().position(|(s, _)| same(s)) {
                    Some(i) => i,
                    None => {
                        out.push((section, Vec::new()));
                        out.len() - 1
                    }
                }
            }));
            last_key = None;
            continue;
        }
        let Some(section) = current else {
            return Err(err(line, "a property before any `[section]`".into()));
        };
        let continuation = raw.starts_with([' ', '\t']);
        if continuation {
            // A sub-property of the last property (`s3 =` then `  key = v`).
            if last_key.is_none() {
                return Err(err(
                    line,
                    "an indented line that continues no property".into(),
                ));
            }
            if let (Some(i), Some((key, _))) = (section, &last_key) {
                let props = &mut out[i].1;
                if let Some(entry) = props.iter_mut().rev().find(|(k, _, _)| k == key) {
                    if !entry.1.is_empty() {
                        entry.1.push('\n');
                    }
                    entry.1.push_str(trimmed);
                }
            }
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            // The line itself is not quoted: it may be a secret written
            // with the wrong separator.
            return Err(err(
                line,
                "expected `key = value` or a `[section]` (the line is not shown: it may hold a secret)"
                    .into(),
            ));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(err(line, "a property without a name".into()));
        }
        let key = key.to_ascii_lowercase();
        let value = strip_comment(value.trim()).to_string();
        if let Some(i) = section {
            out[i].1.push((key.clone(), value, line));
        }
        last_key = Some((key, line));
    }
    Ok(out)
}

/// Drops an inline comment: `#` or `;` after white space.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    for i in 1..bytes.len() {
        if matches!(bytes[i], b'#' | b';') && bytes[i - 1].is_ascii_whitespace() {
            return value[..i].trim_end();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_and_credentials_sections_merge() {
        let config = "\
# comment
[default]
region = us-west-2 # inline comment
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile=default
s3 =
  max_concurrent_requests = 10
[sso-session corp]
sso_region = us-east-1
[not-a-profile]
region = ignored
";
        let credentials = "\
[default]
aws_access_key_id = AKID
AWS_Secret_Access_Key = secret;with;semicolons
[dev]
region = eu-west-1
[default]
aws_session_token = later
";
        let set = ProfileSet::parse(Some(("config", config)), Some(("credentials", credentials)))
            .unwrap();
        let d = set.get("default").unwrap();
        assert_eq!(d.get("region"), Some("us-west-2"));
        assert_eq!(d.get("aws_access_key_id"), Some("AKID"));
        assert_eq!(
            d.get("aws_secret_access_key"),
            Some("secret;with;semicolons")
        );
        assert_eq!(
            d.get("aws_session_token"),
            Some("later"),
            "duplicate sections merge"
        );
        assert_eq!(d.origin("aws_session_token"), "credentials:7");
        let dev = set.get("dev").unwrap();
        assert_eq!(dev.get("source_profile"), Some("default"));
        assert_eq!(
            dev.get("region"),
            Some("eu-west-1"),
            "credentials file wins"
        );
        assert_eq!(dev.get("s3"), Some("max_concurrent_requests = 10"));
        assert_eq!(set.names().collect::<Vec<_>>(), ["default", "dev"]);
        assert_eq!(dev.sub("s3", "max_concurrent_requests"), Some("10".into()));
        let corp = set.section("sso-session", "corp").unwrap();
        assert_eq!(corp.get("sso_region"), Some("us-east-1"));
        assert_eq!(corp.origin("sso_region"), "config:10");
        assert!(set.section("services", "corp").is_none());
        assert!(set.get("not-a-profile").is_none());
    }

    #[test]
    fn malformed_files_name_file_and_line() {
        for (text, line, wanted) in [
            ("[default\nx = 1\n", 1, "without its closing `]`"),
            ("x = 1\n", 1, "before any `[section]`"),
            (
                "[default]\naws_secret_access_key: SECRETVALUE\n",
                2,
                "expected `key = value`",
            ),
            ("[default]\n  indented = 1\n", 2, "continues no property"),
            ("[default]\n= 1\n", 2, "without a name"),
            ("[profile ]\n", 1, "does not name a profile"),
        ] {
            let e = ProfileSet::parse(Some(("/home/u/.aws/config", text)), None).unwrap_err();
            assert_eq!(
                (e.file.as_str(), e.line),
                ("/home/u/.aws/config", line),
                "{text:?}"
            );
            assert!(e.to_string().contains(wanted), "{e}");
            assert!(
                !e.to_string().contains("SECRETVALUE"),
                "the line is not quoted: {e}"
            );
            assert!(e
                .to_string()
                .starts_with(&format!("/home/u/.aws/config:{line}: ")));
        }
    }
}
