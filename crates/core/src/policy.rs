//! The organisation's policy: one TOML file that IT installs once per machine and that the CLI and
//! the app both obey (password required, no plain exports, auto-lock and clipboard limits, time
//! servers, backups, extra environments, locking with the computer).
//!
//! Where it lives: `/etc/tessera/policy.toml` (Linux), `%ProgramData%\Tessera\policy.toml` (Windows),
//! `/Library/Application Support/Tessera/policy.toml` (macOS); `TESSERA_POLICY=PATH` replaces the
//! location. No file at the usual place means no policy. A file that cannot be read, parsed or that
//! has a key of the wrong type **fails closed** ([`PolicyError`], naming the file and the line): an
//! administrator's intent that cannot be read must never turn into "no rules". Unknown keys are
//! ignored and reported ([`Policy::warnings`]).
//!
//! The rules are methods ([`Policy::check_plain_export`], [`Policy::clamp_auto_lock`] …), so every
//! client refuses the same things with the same sentence ([`Refusal`]).

use crate::clock::sntp::parse_server;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Replaces the policy file's location (tests, and administrators trying a policy out).
pub const POLICY_ENV: &str = "TESSERA_POLICY";

/// Every key a policy file may hold, in the order they are documented and shown.
pub const KEYS: [&str; 10] = [
    "require_password",
    "allow_plain_export",
    "max_auto_lock_minutes",
    "max_clipboard_seconds",
    "network_clock_check",
    "ntp_servers",
    "backup_folder",
    "require_backup",
    "environments",
    "lock_on_os_lock",
];

/// The smallest `max_clipboard_seconds`: less would clear the clipboard before a code can be pasted.
pub const MIN_CLIPBOARD_SECONDS: u32 = 5;

/// Where the policy file is on this operating system (without `TESSERA_POLICY`).
pub fn system_path() -> PathBuf {
    if cfg!(windows) {
        let base = std::env::var_os("ProgramData")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(r"C:\ProgramData"));
        base.join("Tessera").join("policy.toml")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Tessera/policy.toml")
    } else {
        PathBuf::from("/etc/tessera/policy.toml")
    }
}

/// The policy file to read: `TESSERA_POLICY` when set (and not empty), else [`system_path`]. The
/// flag says whether it was named explicitly (then a missing file is an error, not "no policy").
pub fn policy_path() -> (PathBuf, bool) {
    match std::env::var_os(POLICY_ENV) {
        Some(p) if !p.is_empty() => (PathBuf::from(p), true),
        _ => (system_path(), false),
    }
}

/// A policy file that cannot be used. Every client stops (exit 2 / the app shows this instead of
/// the codes) rather than run without the rules.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum PolicyError {
    #[error("the organisation's policy file {} cannot be read ({reason}); Tessera will not run without it. Tell your IT department", path.display())]
    Unreadable { path: PathBuf, reason: String },
    #[error("the organisation's policy file {}, line {line}: {message}; Tessera will not run until it is fixed. Tell your IT department", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

impl PolicyError {
    pub fn path(&self) -> &Path {
        match self {
            PolicyError::Unreadable { path, .. } | PolicyError::Invalid { path, .. } => path,
        }
    }

    pub fn line(&self) -> Option<usize> {
        match self {
            PolicyError::Invalid { line, .. } => Some(*line),
            PolicyError::Unreadable { .. } => None,
        }
    }
}

/// Something the policy does not allow. Its sentence says why in words a clinician can pass to IT:
/// "Your organisation's policy does not allow unencrypted exports (allow_plain_export in
/// /etc/tessera/policy.toml)."
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("Your organisation's policy does not allow {what} ({key} in {}).", file.display())]
pub struct Refusal {
    /// The policy key that refuses.
    pub key: &'static str,
    /// What is not allowed, e.g. "unencrypted exports".
    pub what: String,
    /// The policy file.
    pub file: PathBuf,
}

/// A key the policy file holds that Tessera does not know (a typo, or a newer version's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownKey {
    pub key: String,
    pub line: usize,
}

/// The effective policy. `Policy::default()` is "no policy": everything allowed, nothing fixed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// The file it was read from; `None` when there is no policy.
    #[serde(skip)]
    source: Option<PathBuf>,
    #[serde(skip)]
    unknown: Vec<UnknownKey>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_password: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_plain_export: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_auto_lock_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_clipboard_seconds: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_clock_check: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ntp_servers: Option<Vec<String>>,
    /// Already expanded (`~`, `%USERPROFILE%`) and absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_folder: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_backup: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environments: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lock_on_os_lock: Option<bool>,
}

type Spanned<T> = toml::Spanned<T>;

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "text",
        toml::Value::Integer(_) => "a whole number",
        toml::Value::Float(_) => "a decimal number",
        toml::Value::Boolean(_) => "true/false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// `~`, `~/…` and `%USERPROFILE%` replaced by `home`.
fn expand_home(raw: &str, home: Option<&Path>) -> Result<PathBuf, String> {
    let needs_home = |rest: &str| -> Result<PathBuf, String> {
        let home = home.ok_or("the home folder is not known, so ~ cannot be expanded")?;
        let rest = rest.trim_start_matches(['/', '\\']);
        Ok(if rest.is_empty() {
            home.to_path_buf()
        } else {
            home.join(rest)
        })
    };
    if raw == "~" {
        return needs_home("");
    }
    if let Some(rest) = raw.strip_prefix("~/").or_else(|| raw.strip_prefix("~\\")) {
        return needs_home(rest);
    }
    const PROFILE: &str = "%USERPROFILE%";
    if raw.len() >= PROFILE.len()
        && raw.is_char_boundary(PROFILE.len())
        && raw[..PROFILE.len()].eq_ignore_ascii_case(PROFILE)
    {
        return needs_home(&raw[PROFILE.len()..]);
    }
    Ok(PathBuf::from(raw))
}

fn is_absolute(p: &Path) -> bool {
    // A policy written for Windows must not look relative when tested elsewhere, and the reverse.
    let s = p.to_string_lossy();
    p.is_absolute()
        || s.starts_with('/')
        || s.starts_with("\\\\")
        || (s.len() >= 3 && s.as_bytes()[1] == b':' && matches!(s.as_bytes()[2], b'\\' | b'/'))
}

impl Policy {
    /// No policy: everything allowed, nothing fixed.
    pub fn none() -> Policy {
        Policy::default()
    }

    /// The policy of this machine: [`policy_path`], read and checked. No file at the usual place =
    /// no policy; a file named by `TESSERA_POLICY` must exist.
    pub fn load() -> Result<Policy, PolicyError> {
        let (path, explicit) = policy_path();
        Policy::load_from(&path, explicit)
    }

    /// Reads `path`. A missing file is no policy unless `must_exist`.
    pub fn load_from(path: &Path, must_exist: bool) -> Result<Policy, PolicyError> {
        match std::fs::read(path) {
            Ok(bytes) => Policy::parse_bytes(&bytes, path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Ok(Policy::none()),
            Err(e) => Err(PolicyError::Unreadable {
                path: path.to_path_buf(),
                reason: match e.kind() {
                    std::io::ErrorKind::NotFound => "there is no such file".into(),
                    std::io::ErrorKind::PermissionDenied => {
                        "this user may not read it (permission denied)".into()
                    }
                    _ => e.to_string(),
                },
            }),
        }
    }

    /// Parses a policy file's bytes; `source` names it in errors and refusals.
    pub fn parse_bytes(bytes: &[u8], source: &Path) -> Result<Policy, PolicyError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Policy::parse(text, source),
            Err(e) => Err(PolicyError::Invalid {
                path: source.to_path_buf(),
                line: line_of(
                    &String::from_utf8_lossy(&bytes[..e.valid_up_to()]),
                    usize::MAX,
                ),
                message: "the file is not UTF-8 text".into(),
            }),
        }
    }

    /// Parses policy text; `source` names it in errors and refusals.
    pub fn parse(text: &str, source: &Path) -> Result<Policy, PolicyError> {
        Policy::parse_with_home(text, source, dirs::home_dir().as_deref())
    }

    fn parse_with_home(
        text: &str,
        source: &Path,
        home: Option<&Path>,
    ) -> Result<Policy, PolicyError> {
        let invalid = |offset: usize, message: String| PolicyError::Invalid {
            path: source.to_path_buf(),
            line: line_of(text, offset),
            message,
        };
        let table: BTreeMap<Spanned<String>, Spanned<toml::Value>> =
            toml::from_str(text).map_err(|e| {
                let offset = e.span().map_or(0, |s| s.start);
                let message = e.message().trim().trim_end_matches('.').to_string();
                invalid(offset, format!("this is not valid TOML ({message})"))
            })?;
        let mut policy = Policy {
            source: Some(source.to_path_buf()),
            ..Policy::default()
        };
        for (key, value) in &table {
            let at = value.span().start;
            let bad = |expected: &str| {
                invalid(
                    at,
                    format!(
                        "{} must be {expected}, not {}",
                        key.get_ref(),
                        type_name(value.get_ref())
                    ),
                )
            };
            let boolean = || match value.get_ref() {
                toml::Value::Boolean(b) => Ok(*b),
                _ => Err(bad("true or false")),
            };
            let at_least = |min: i64| match value.get_ref() {
                toml::Value::Integer(n) if *n >= min && *n <= u32::MAX as i64 => Ok(*n as u32),
                toml::Value::Integer(n) => Err(invalid(
                    at,
                    format!(
                        "{} must be a whole number of at least {min}, not {n}",
                        key.get_ref()
                    ),
                )),
                _ => Err(bad(&format!("a whole number of at least {min}"))),
            };
            let strings = |what: &str| -> Result<Vec<(String, usize)>, PolicyError> {
                let toml::Value::Array(items) = value.get_ref() else {
                    return Err(bad(&format!("a list of {what}")));
                };
                if items.is_empty() {
                    return Err(invalid(
                        at,
                        format!("{} must list at least one {what}", key.get_ref()),
                    ));
                }
                items
                    .iter()
                    .map(|item| match item {
                        toml::Value::String(s) if !s.trim().is_empty() => {
                            Ok((s.trim().to_string(), at))
                        }
                        other => Err(invalid(
                            at,
                            format!(
                                "{} must be a list of {what}; one entry is {}",
                                key.get_ref(),
                                if matches!(other, toml::Value::String(_)) {
                                    "empty"
                                } else {
                                    type_name(other)
                                }
                            ),
                        )),
                    })
                    .collect()
            };
            match key.get_ref().as_str() {
                "require_password" => policy.require_password = Some(boolean()?),
                "allow_plain_export" => policy.allow_plain_export = Some(boolean()?),
                "network_clock_check" => policy.network_clock_check = Some(boolean()?),
                "require_backup" => policy.require_backup = Some(boolean()?),
                "lock_on_os_lock" => policy.lock_on_os_lock = Some(boolean()?),
                "max_auto_lock_minutes" => policy.max_auto_lock_minutes = Some(at_least(1)?),
                "max_clipboard_seconds" => {
                    policy.max_clipboard_seconds = Some(at_least(MIN_CLIPBOARD_SECONDS as i64)?)
                }
                "ntp_servers" => {
                    let mut servers = Vec::new();
                    for (s, at) in strings("time servers (HOST or HOST:PORT)")? {
                        parse_server(&s).map_err(|_| {
                            invalid(
                                at,
                                format!(
                                    "ntp_servers: {s:?} is not a server name or address (use HOST or HOST:PORT)"
                                ),
                            )
                        })?;
                        if !servers.contains(&s) {
                            servers.push(s);
                        }
                    }
                    policy.ntp_servers = Some(servers);
                }
                "environments" => {
                    let mut names: Vec<String> = Vec::new();
                    for (name, at) in strings("environment names")? {
                        if name.chars().count() > 40 || name.chars().any(char::is_control) {
                            return Err(invalid(
                                at,
                                format!("environments: {name:?} must be a short name (up to 40 characters, one line)"),
                            ));
                        }
                        if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                            names.push(name);
                        }
                    }
                    policy.environments = Some(names);
                }
                "backup_folder" => {
                    let toml::Value::String(raw) = value.get_ref() else {
                        return Err(bad("a folder path in quotes"));
                    };
                    let raw = raw.trim();
                    if raw.is_empty() {
                        return Err(invalid(at, "backup_folder must not be empty".into()));
                    }
                    let folder = expand_home(raw, home)
                        .map_err(|e| invalid(at, format!("backup_folder: {e}")))?;
                    if !is_absolute(&folder) {
                        return Err(invalid(
                            at,
                            format!(
                                "backup_folder must be a full path (such as /srv/backups, ~/Backups or %USERPROFILE%\\Backups), not {raw:?}"
                            ),
                        ));
                    }
                    policy.backup_folder = Some(folder);
                }
                other => policy.unknown.push(UnknownKey {
                    key: other.to_string(),
                    line: line_of(text, key.span().start),
                }),
            }
        }
        policy.unknown.sort_by_key(|u| u.line);
        Ok(policy)
    }

    /// The file this policy came from; `None` = no policy.
    pub fn source(&self) -> Option<&Path> {
        self.source.as_deref()
    }

    /// Whether a policy file is in force (it may still set no keys).
    pub fn is_active(&self) -> bool {
        self.source.is_some()
    }

    /// Keys the file holds that Tessera does not know; they are ignored.
    pub fn unknown_keys(&self) -> &[UnknownKey] {
        &self.unknown
    }

    /// One sentence per unknown key (CLI: `warning:` lines; app: listed in Settings).
    pub fn warnings(&self) -> Vec<String> {
        let source = self.source_display();
        self.unknown
            .iter()
            .map(|u| {
                format!(
                    "the organisation's policy {source} has an unknown key {:?} (line {}); it is ignored",
                    u.key, u.line
                )
            })
            .collect()
    }

    /// Whether `key` (one of [`KEYS`]) is set, i.e. the matching control is fixed.
    pub fn is_set(&self, key: &str) -> bool {
        match key {
            "require_password" => self.require_password.is_some(),
            "allow_plain_export" => self.allow_plain_export.is_some(),
            "max_auto_lock_minutes" => self.max_auto_lock_minutes.is_some(),
            "max_clipboard_seconds" => self.max_clipboard_seconds.is_some(),
            "network_clock_check" => self.network_clock_check.is_some(),
            "ntp_servers" => self.ntp_servers.is_some(),
            "backup_folder" => self.backup_folder.is_some(),
            "require_backup" => self.require_backup.is_some(),
            "environments" => self.environments.is_some(),
            "lock_on_os_lock" => self.lock_on_os_lock.is_some(),
            _ => false,
        }
    }

    fn source_display(&self) -> String {
        self.source
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(none)".into())
    }

    fn refuse(&self, key: &'static str, what: impl Into<String>) -> Refusal {
        Refusal {
            key,
            what: what.into(),
            file: self.source.clone().unwrap_or_default(),
        }
    }

    /// `--json` / the app: the keys that are set, plus `"source"` (the path, or null).
    pub fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("policy serializes");
        if let serde_json::Value::Object(map) = &mut value {
            map.insert(
                "source".into(),
                match &self.source {
                    Some(p) => serde_json::Value::String(p.display().to_string()),
                    None => serde_json::Value::Null,
                },
            );
        }
        value
    }

    /// The effective policy for people: one `key = value` line per key that is set.
    pub fn describe(&self) -> Vec<String> {
        let Some(serde_json::Value::Object(map)) = Some(self.to_json()) else {
            return vec![];
        };
        KEYS.iter()
            .filter_map(|k| map.get(*k).map(|v| format!("{k} = {v}")))
            .collect()
    }

    // ---- the rules ----------------------------------------------------------------------------

    /// Whether every vault must have an app password.
    pub fn requires_password(&self) -> bool {
        self.require_password == Some(true)
    }

    /// Creating a vault: refused without a password when `require_password = true`.
    pub fn check_create_without_password(&self, has_password: bool) -> Result<(), Refusal> {
        if self.requires_password() && !has_password {
            return Err(self.refuse("require_password", "a vault without a password"));
        }
        Ok(())
    }

    /// Removing the vault password: refused when `require_password = true`.
    pub fn check_remove_password(&self) -> Result<(), Refusal> {
        if self.requires_password() {
            return Err(self.refuse("require_password", "removing the vault password"));
        }
        Ok(())
    }

    /// Opening a vault that has no password (keychain only): refused when `require_password = true`,
    /// until a password is set (clients allow exactly that one step).
    pub fn check_open_without_password(&self, has_password: bool) -> Result<(), Refusal> {
        if self.requires_password() && !has_password {
            return Err(self.refuse("require_password", "using a vault without a password"));
        }
        Ok(())
    }

    /// Whether unencrypted exports (URI lists, Google QR, sheets with keys) are allowed.
    pub fn plain_export_allowed(&self) -> bool {
        self.allow_plain_export != Some(false)
    }

    /// An export that is not encrypted (URI list, Google QR, a printable sheet with the keys).
    pub fn check_plain_export(&self) -> Result<(), Refusal> {
        if !self.plain_export_allowed() {
            return Err(self.refuse("allow_plain_export", "unencrypted exports"));
        }
        Ok(())
    }

    /// An export in `format`: encrypted formats always pass, the others are [`check_plain_export`](Self::check_plain_export).
    pub fn check_export(&self, format: crate::export::ExportFormat) -> Result<(), Refusal> {
        if format.encrypted() {
            Ok(())
        } else {
            self.check_plain_export()
        }
    }

    /// The auto-lock time the user chose (minutes, 0 = never), limited by `max_auto_lock_minutes`.
    pub fn clamp_auto_lock(&self, minutes: u32) -> u32 {
        match self.max_auto_lock_minutes {
            Some(max) if minutes == 0 || minutes > max => max,
            _ => minutes,
        }
    }

    /// The clipboard time the user chose (seconds, 0 = never clear), limited by `max_clipboard_seconds`.
    pub fn clamp_clipboard(&self, seconds: u32) -> u32 {
        match self.max_clipboard_seconds {
            Some(max) if seconds == 0 || seconds > max => max,
            _ => seconds,
        }
    }

    /// False when `network_clock_check = false`: no time query may be sent.
    pub fn network_clock_check(&self) -> bool {
        self.network_clock_check != Some(false)
    }

    /// Asking time servers over the network.
    pub fn check_network_clock(&self) -> Result<(), Refusal> {
        if !self.network_clock_check() {
            return Err(self.refuse("network_clock_check", "network clock checks"));
        }
        Ok(())
    }

    /// The servers every clock check asks, when the policy fixes them.
    pub fn ntp_servers(&self) -> Option<&[String]> {
        self.ntp_servers.as_deref()
    }

    /// The servers to ask: the policy's list when set (then any other requested server is refused),
    /// else `requested`, else `defaults`.
    pub fn servers_to_ask(
        &self,
        requested: &[String],
        defaults: &[&str],
    ) -> Result<Vec<String>, Refusal> {
        self.check_network_clock()?;
        match &self.ntp_servers {
            Some(fixed) => {
                if let Some(other) = requested
                    .iter()
                    .find(|r| !fixed.contains(&r.trim().to_string()))
                {
                    return Err(self.refuse(
                        "ntp_servers",
                        format!("asking {:?}, only {}", other.trim(), fixed.join(", ")),
                    ));
                }
                Ok(fixed.clone())
            }
            None if !requested.is_empty() => Ok(requested.to_vec()),
            None => Ok(defaults.iter().map(|s| s.to_string()).collect()),
        }
    }

    /// The fixed folder for automatic backups (expanded, absolute).
    pub fn backup_folder(&self) -> Option<&Path> {
        self.backup_folder.as_deref()
    }

    /// The folder automatic backups go to: the policy's when it fixes one (naming another is refused),
    /// else `requested`. `Ok(None)`: no policy folder and none requested.
    pub fn backup_folder_for(&self, requested: Option<&Path>) -> Result<Option<PathBuf>, Refusal> {
        match (&self.backup_folder, requested) {
            (Some(fixed), Some(asked)) if !same_folder(fixed, asked) => Err(self.refuse(
                "backup_folder",
                format!(
                    "automatic backups to {}, only to {}",
                    asked.display(),
                    fixed.display()
                ),
            )),
            (Some(fixed), _) => Ok(Some(fixed.clone())),
            (None, asked) => Ok(asked.map(Path::to_path_buf)),
        }
    }

    /// Turning automatic backups off: refused when `require_backup = true`.
    pub fn check_backups_off(&self) -> Result<(), Refusal> {
        if self.require_backup() {
            return Err(self.refuse("require_backup", "turning automatic backups off"));
        }
        Ok(())
    }

    /// Whether the app keeps asking until automatic backups are on.
    pub fn require_backup(&self) -> bool {
        self.require_backup == Some(true)
    }

    /// Extra environment names offered beside Live and Sandpit.
    pub fn environments(&self) -> &[String] {
        self.environments.as_deref().unwrap_or(&[])
    }

    /// Whether locking the computer must always lock Tessera.
    pub fn lock_on_os_lock(&self) -> bool {
        self.lock_on_os_lock == Some(true)
    }
}

/// The same folder, however it is spelled (a trailing slash, `.` parts, a symlink when both exist).
fn same_folder(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.components().collect());
    canon(a) == canon(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportFormat;

    #[test]
    fn backup_folder_is_fixed_and_require_backup_keeps_them_on() {
        let p = Policy::parse(
            "backup_folder = \"/srv/tessera-backups\"\nrequire_backup = true\n",
            Path::new("/etc/tessera/policy.toml"),
        )
        .unwrap();
        let fixed = PathBuf::from("/srv/tessera-backups");
        assert_eq!(p.backup_folder_for(None).unwrap(), Some(fixed.clone()));
        assert_eq!(
            p.backup_folder_for(Some(Path::new("/srv/tessera-backups/")))
                .unwrap(),
            Some(fixed)
        );
        let r = p
            .backup_folder_for(Some(Path::new("/tmp/elsewhere")))
            .unwrap_err();
        assert_eq!(
            r.to_string(),
            "Your organisation's policy does not allow automatic backups to /tmp/elsewhere, only to /srv/tessera-backups (backup_folder in /etc/tessera/policy.toml)."
        );
        assert!(p.check_backups_off().is_err());
        let none = Policy::default();
        assert_eq!(none.backup_folder_for(None).unwrap(), None);
        assert!(none.check_backups_off().is_ok());
    }

    const SRC: &str = "/etc/tessera/policy.toml";

    fn parse(text: &str) -> Result<Policy, PolicyError> {
        Policy::parse_with_home(text, Path::new(SRC), Some(Path::new("/home/nurse")))
    }

    fn invalid_line(text: &str) -> (usize, String) {
        match parse(text).unwrap_err() {
            PolicyError::Invalid {
                line,
                message,
                path,
            } => {
                assert_eq!(path, Path::new(SRC));
                (line, message)
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn no_file_is_no_policy_but_a_named_missing_file_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("policy.toml");
        let p = Policy::load_from(&missing, false).unwrap();
        assert_eq!(p, Policy::none());
        assert!(!p.is_active() && p.source().is_none());
        let e = Policy::load_from(&missing, true).unwrap_err();
        assert!(matches!(e, PolicyError::Unreadable { .. }));
        assert!(
            e.to_string().contains(&missing.display().to_string()),
            "{e}"
        );
    }

    #[test]
    fn a_folder_instead_of_a_file_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let e = Policy::load_from(dir.path(), false).unwrap_err();
        assert!(matches!(e, PolicyError::Unreadable { .. }), "{e:?}");
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_file_fails_closed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.toml");
        std::fs::write(&path, "require_password = true\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&path).is_ok() {
            return; // running as root: permissions do not apply
        }
        let e = Policy::load_from(&path, false).unwrap_err();
        assert!(e.to_string().contains("permission denied"), "{e}");
    }

    #[test]
    fn empty_file_is_an_active_policy_with_nothing_set() {
        let p = parse("# nothing yet\n").unwrap();
        assert!(p.is_active());
        assert_eq!(p.source(), Some(Path::new(SRC)));
        assert!(KEYS.iter().all(|k| !p.is_set(k)));
        assert_eq!(p.to_json(), serde_json::json!({ "source": SRC }));
    }

    #[test]
    fn every_key_parses() {
        let p = parse(
            r#"
require_password = true
allow_plain_export = false
max_auto_lock_minutes = 2
max_clipboard_seconds = 15
network_clock_check = true
ntp_servers = ["ntp1.trust.nhs.uk", "10.0.0.5:1123", "10.0.0.5:1123"]
backup_folder = "~/Tessera backups"
require_backup = true
environments = ["Training", "UAT", "training"]
lock_on_os_lock = true
"#,
        )
        .unwrap();
        assert_eq!(p.require_password, Some(true));
        assert_eq!(p.allow_plain_export, Some(false));
        assert_eq!(p.max_auto_lock_minutes, Some(2));
        assert_eq!(p.max_clipboard_seconds, Some(15));
        assert_eq!(p.network_clock_check, Some(true));
        assert_eq!(
            p.ntp_servers(),
            Some(&["ntp1.trust.nhs.uk".to_string(), "10.0.0.5:1123".to_string()][..])
        );
        assert_eq!(
            p.backup_folder(),
            Some(Path::new("/home/nurse/Tessera backups"))
        );
        assert!(p.require_backup());
        assert_eq!(p.environments(), &["Training", "UAT"]);
        assert!(p.lock_on_os_lock());
        assert!(KEYS.iter().all(|k| p.is_set(k)));
        assert!(p.unknown_keys().is_empty());
        let json = p.to_json();
        assert_eq!(json["source"], SRC);
        assert_eq!(json["max_auto_lock_minutes"], 2);
        assert_eq!(json["backup_folder"], "/home/nurse/Tessera backups");
        assert_eq!(json.as_object().unwrap().len(), KEYS.len() + 1);
        assert_eq!(p.describe().len(), KEYS.len());
        assert_eq!(p.describe()[0], "require_password = true");
    }

    #[test]
    fn only_set_keys_are_in_json() {
        let p = parse("allow_plain_export = false\n").unwrap();
        assert_eq!(
            p.to_json(),
            serde_json::json!({ "allow_plain_export": false, "source": SRC })
        );
        assert_eq!(
            Policy::none().to_json(),
            serde_json::json!({ "source": null })
        );
    }

    #[test]
    fn backup_folder_expansion() {
        let home = Some(Path::new("/home/nurse"));
        assert_eq!(expand_home("~", home).unwrap(), Path::new("/home/nurse"));
        assert_eq!(
            expand_home("%USERPROFILE%\\Backups", home).unwrap(),
            Path::new("/home/nurse").join("Backups")
        );
        assert_eq!(
            expand_home("%userprofile%/B", home).unwrap(),
            Path::new("/home/nurse/B")
        );
        assert_eq!(expand_home("/srv/b", home).unwrap(), Path::new("/srv/b"));
        assert!(expand_home("~/x", None).is_err());
        assert!(parse(r#"backup_folder = 'D:\Backups\Tessera'"#).is_ok());
        assert!(parse(r#"backup_folder = '\\server\share'"#).is_ok());
        let (line, m) = invalid_line("\n\nbackup_folder = \"backups\"\n");
        assert_eq!(line, 3);
        assert!(m.contains("full path"), "{m}");
        let (_, m) = invalid_line("backup_folder = \"  \"");
        assert!(m.contains("must not be empty"), "{m}");
    }

    #[test]
    fn bad_types_name_the_key_and_the_line() {
        let cases: &[(&str, &str)] = &[
            (
                "require_password = \"yes\"",
                "require_password must be true or false, not text",
            ),
            (
                "allow_plain_export = 0",
                "allow_plain_export must be true or false, not a whole number",
            ),
            (
                "network_clock_check = []",
                "network_clock_check must be true or false, not a list",
            ),
            (
                "require_backup = 1.0",
                "require_backup must be true or false, not a decimal number",
            ),
            (
                "lock_on_os_lock = \"true\"",
                "lock_on_os_lock must be true or false",
            ),
            (
                "max_auto_lock_minutes = \"10\"",
                "max_auto_lock_minutes must be a whole number of at least 1, not text",
            ),
            (
                "max_auto_lock_minutes = 0",
                "max_auto_lock_minutes must be a whole number of at least 1, not 0",
            ),
            ("max_auto_lock_minutes = -3", "at least 1, not -3"),
            (
                "max_auto_lock_minutes = 99999999999",
                "at least 1, not 99999999999",
            ),
            (
                "max_clipboard_seconds = 4",
                "max_clipboard_seconds must be a whole number of at least 5, not 4",
            ),
            (
                "max_clipboard_seconds = 2.5",
                "at least 5, not a decimal number",
            ),
            (
                "ntp_servers = \"pool.ntp.org\"",
                "ntp_servers must be a list of time servers",
            ),
            ("ntp_servers = []", "ntp_servers must list at least one"),
            (
                "ntp_servers = [\"ok.example\", 5]",
                "one entry is a whole number",
            ),
            (
                "ntp_servers = [\"http://x\"]",
                "\"http://x\" is not a server name",
            ),
            ("ntp_servers = [\"host:0\"]", "is not a server name"),
            (
                "backup_folder = 5",
                "backup_folder must be a folder path in quotes",
            ),
            (
                "environments = \"Training\"",
                "environments must be a list of environment names",
            ),
            ("environments = [\"\"]", "one entry is empty"),
            ("environments = [\"a\\nb\"]", "short name"),
            (
                "[require_password]\nx = 1",
                "require_password must be true or false, not a table",
            ),
        ];
        for (text, want) in cases {
            let text = format!("# policy\n\n{text}\n");
            let (line, message) = invalid_line(&text);
            assert_eq!(line, 3, "{text}");
            assert!(message.contains(want), "{text}: {message}");
            let full = parse(&text).unwrap_err().to_string();
            assert!(full.contains(SRC) && full.contains("line 3"), "{full}");
        }
    }

    #[test]
    fn syntax_errors_fail_closed_with_the_line() {
        for (text, line) in [
            ("require_password = true\nmax_auto_lock_minutes = \n", 2),
            ("require_password = true\nrequire_password = false\n", 2),
            ("a = 1\nb = 2\nthis is not toml\n", 3),
            ("require_password = tru\n", 1),
            ("[x\n", 1),
        ] {
            let (got, message) = invalid_line(text);
            assert_eq!(got, line, "{text:?}: {message}");
            assert!(message.starts_with("this is not valid TOML"), "{message}");
        }
        let e =
            Policy::parse_bytes(b"require_password = true\n# \xff\n", Path::new(SRC)).unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.to_string().contains("not UTF-8"), "{e}");
    }

    #[test]
    fn unknown_keys_are_warnings_not_errors() {
        let p =
            parse("require_pasword = true\nallow_plain_export = false\n[extra]\nx = 1\n").unwrap();
        assert_eq!(p.allow_plain_export, Some(false));
        assert_eq!(p.require_password, None, "a misspelt key is not the key");
        let keys: Vec<_> = p
            .unknown_keys()
            .iter()
            .map(|u| (u.key.as_str(), u.line))
            .collect();
        assert_eq!(keys, vec![("require_pasword", 1), ("extra", 3)]);
        let w = p.warnings();
        assert_eq!(w.len(), 2);
        assert!(
            w[0].contains("\"require_pasword\"") && w[0].contains("line 1") && w[0].contains(SRC),
            "{}",
            w[0]
        );
        assert!(p.to_json().get("require_pasword").is_none());
    }

    #[test]
    fn refusal_sentence_is_the_documented_one() {
        let p = parse("allow_plain_export = false").unwrap();
        assert_eq!(
            p.check_plain_export().unwrap_err().to_string(),
            "Your organisation's policy does not allow unencrypted exports (allow_plain_export in /etc/tessera/policy.toml)."
        );
    }

    #[test]
    fn rule_plain_export() {
        let p = parse("allow_plain_export = false").unwrap();
        assert!(!p.plain_export_allowed());
        for f in ExportFormat::ALL {
            assert_eq!(p.check_export(f).is_ok(), f.encrypted(), "{f:?}");
        }
        let r = p.check_export(ExportFormat::Uris).unwrap_err();
        assert_eq!(r.key, "allow_plain_export");
        for p in [parse("allow_plain_export = true").unwrap(), Policy::none()] {
            assert!(p.check_plain_export().is_ok());
            assert!(ExportFormat::ALL.iter().all(|f| p.check_export(*f).is_ok()));
        }
    }

    #[test]
    fn rule_require_password() {
        let p = parse("require_password = true").unwrap();
        assert!(p.requires_password());
        let e = p.check_create_without_password(false).unwrap_err();
        assert_eq!(e.to_string(), "Your organisation's policy does not allow a vault without a password (require_password in /etc/tessera/policy.toml).");
        assert!(p.check_create_without_password(true).is_ok());
        assert!(p
            .check_remove_password()
            .unwrap_err()
            .to_string()
            .contains("removing the vault password"));
        assert!(p.check_open_without_password(false).is_err());
        assert!(p.check_open_without_password(true).is_ok());
        for p in [parse("require_password = false").unwrap(), Policy::none()] {
            assert!(p.check_create_without_password(false).is_ok());
            assert!(p.check_remove_password().is_ok());
            assert!(p.check_open_without_password(false).is_ok());
        }
    }

    #[test]
    fn rule_auto_lock_and_clipboard_clamp() {
        let p = parse("max_auto_lock_minutes = 2\nmax_clipboard_seconds = 15").unwrap();
        assert_eq!(p.clamp_auto_lock(0), 2, "never is not allowed");
        assert_eq!(p.clamp_auto_lock(1), 1, "shorter is fine");
        assert_eq!(p.clamp_auto_lock(2), 2);
        assert_eq!(p.clamp_auto_lock(60), 2);
        assert_eq!(p.clamp_clipboard(0), 15);
        assert_eq!(p.clamp_clipboard(10), 10);
        assert_eq!(p.clamp_clipboard(30), 15);
        let none = Policy::none();
        assert_eq!(none.clamp_auto_lock(0), 0);
        assert_eq!(none.clamp_auto_lock(90), 90);
        assert_eq!(none.clamp_clipboard(0), 0);
    }

    #[test]
    fn rule_network_clock_and_servers() {
        let defaults = ["a.example", "b.example"];
        let off = parse("network_clock_check = false\nntp_servers = [\"10.0.0.1\"]").unwrap();
        assert!(!off.network_clock_check());
        let r = off.servers_to_ask(&[], &defaults).unwrap_err();
        assert_eq!(r.to_string(), "Your organisation's policy does not allow network clock checks (network_clock_check in /etc/tessera/policy.toml).");
        assert!(off.check_network_clock().is_err());

        let fixed = parse("ntp_servers = [\"10.0.0.1\", \"10.0.0.2:1123\"]").unwrap();
        assert!(fixed.network_clock_check());
        assert_eq!(
            fixed.servers_to_ask(&[], &defaults).unwrap(),
            vec!["10.0.0.1", "10.0.0.2:1123"]
        );
        assert_eq!(
            fixed
                .servers_to_ask(&["10.0.0.2:1123".into()], &defaults)
                .unwrap(),
            vec!["10.0.0.1", "10.0.0.2:1123"]
        );
        let r = fixed
            .servers_to_ask(&["pool.ntp.org".into()], &defaults)
            .unwrap_err();
        assert_eq!(r.key, "ntp_servers");
        assert!(r.to_string().contains("\"pool.ntp.org\""), "{r}");

        let none = Policy::none();
        assert_eq!(
            none.servers_to_ask(&[], &defaults).unwrap(),
            vec!["a.example", "b.example"]
        );
        assert_eq!(
            none.servers_to_ask(&["x:1".into()], &defaults).unwrap(),
            vec!["x:1"]
        );
    }

    #[test]
    fn backup_environments_and_os_lock_accessors() {
        let p = parse("require_backup = false\nlock_on_os_lock = false").unwrap();
        assert!(!p.require_backup() && !p.lock_on_os_lock());
        assert!(p.environments().is_empty() && p.backup_folder().is_none());
        assert!(p.is_set("require_backup") && !p.is_set("environments") && !p.is_set("nope"));
    }

    #[test]
    fn the_ward_pc_example_parses() {
        let text = include_str!("../../../docs/ward-pc-policy.toml");
        let p = parse(text).unwrap();
        assert!(p.unknown_keys().is_empty(), "{:?}", p.unknown_keys());
        assert!(p.requires_password());
        assert_eq!(p.max_auto_lock_minutes, Some(2));
        assert_eq!(p.max_clipboard_seconds, Some(15));
        assert!(p.lock_on_os_lock());
        assert!(!p.plain_export_allowed());
    }

    #[test]
    fn load_reads_the_environment_path() {
        // Only this test touches TESSERA_POLICY inside the core's unit tests.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, "max_clipboard_seconds = 20\n").unwrap();
        std::env::set_var(POLICY_ENV, &path);
        let loaded = Policy::load();
        std::env::remove_var(POLICY_ENV);
        let p = loaded.unwrap();
        assert_eq!(p.source(), Some(path.as_path()));
        assert_eq!(p.max_clipboard_seconds, Some(20));
        assert_eq!(policy_path().0, system_path());
    }
}
