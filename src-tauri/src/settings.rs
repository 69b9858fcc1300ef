//! App preferences (auto-lock, clipboard time, hidden codes, theme): not secret, needed before unlock
//! (the theme), so they live in a small JSON file next to the vault rather than inside it.

use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub auto_lock_minutes: u32,
    pub clipboard_seconds: u32,
    pub hide_codes: bool,
    /// "system", "light" or "dark".
    pub theme: String,
    /// Clock-skew checks and correction (see `clock_settings.rs`); saved by its own commands, and
    /// left out of the file (and of `get_settings`) while it holds only defaults.
    #[serde(skip_serializing_if = "crate::clock_settings::ClockSettings::is_default")]
    pub clock: crate::clock_settings::ClockSettings,
    /// The last Tessera backup that was written, read back and found equal to the vault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_verified_backup: Option<LastBackup>,
}

/// Shown in Settings as "Last verified backup: 23 Nov 2026 14:05 — 12 accounts — /path".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LastBackup {
    /// Unix milliseconds when it was verified.
    pub at_ms: u64,
    pub accounts: usize,
    pub path: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_lock_minutes: 5,
            clipboard_seconds: 30,
            hide_codes: false,
            theme: "system".into(),
            clock: Default::default(),
            last_verified_backup: None,
        }
    }
}

impl Settings {
    /// Reads the file; a missing or unreadable file means the defaults (preferences are not worth failing over).
    /// Values out of range (a hand-edited file) fall back to their defaults, so a file can never turn
    /// auto-lock or clipboard clearing into something the settings screen would refuse.
    pub fn load(path: &Path) -> Settings {
        let mut settings: Settings = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        settings.sanitize();
        settings
    }

    /// Replaces each value [`Settings::validate`] would refuse by its default.
    pub fn sanitize(&mut self) {
        let d = Settings::default();
        if !matches!(self.theme.as_str(), "system" | "light" | "dark") {
            self.theme = d.theme;
        }
        if self.auto_lock_minutes > 24 * 60 {
            self.auto_lock_minutes = d.auto_lock_minutes;
        }
        if self.clipboard_seconds > 3600 {
            self.clipboard_seconds = d.clipboard_seconds;
        }
        debug_assert!(self.validate().is_ok());
    }

    pub fn validate(&self) -> Result<(), String> {
        if !matches!(self.theme.as_str(), "system" | "light" | "dark") {
            return Err(format!(
                "unknown theme {:?}: use system, light or dark",
                self.theme
            ));
        }
        if self.auto_lock_minutes > 24 * 60 {
            return Err("auto-lock can be at most 24 hours (1440 minutes)".into());
        }
        if self.clipboard_seconds > 3600 {
            return Err("the clipboard can be kept for at most an hour (3600 seconds)".into());
        }
        Ok(())
    }

    pub fn save(&self, path: &Path) -> Result<(), String> {
        self.validate()?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        }
        let json = serde_json::to_vec_pretty(self).expect("settings serialize");
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json).map_err(|e| format!("could not save the settings: {e}"))?;
        std::fs::rename(&tmp, path).map_err(|e| format!("could not save the settings: {e}"))
    }
}
