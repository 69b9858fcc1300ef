//! App preferences (auto-lock, clipboard time, hidden codes, theme): not secret, needed before unlock
//! (the theme), so they live in a small JSON file next to the vault rather than inside it.

use serde::{Deserialize, Serialize};
use std::path::Path;
use tessera_core::vault::order::SortOrder;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub auto_lock_minutes: u32,
    pub clipboard_seconds: u32,
    pub hide_codes: bool,
    /// "system", "light" or "dark".
    #[ts(type = "Theme")]
    pub theme: String,
    /// The order of the codes screen: "own" (Manage's order), "name" or "environment"
    /// (`tessera_core::vault::order`); older files without it mean "own".
    #[serde(default = "own_order")]
    #[ts(type = "SortOrder")]
    pub sort: String,
    /// Clock-skew checks and correction (see `clock_settings.rs`); saved by its own commands, and
    /// left out of the file (and of `get_settings`) while it holds only defaults.
    #[serde(skip_serializing_if = "crate::clock_settings::ClockSettings::is_default")]
    #[ts(skip)]
    pub clock: crate::clock_settings::ClockSettings,
    /// The last Tessera backup that was written, read back and found equal to the vault.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_verified_backup: Option<LastBackup>,
    /// Tray, start-up and quick-copy shortcut (see `desktop_settings.rs`); saved by its own commands.
    #[serde(skip_serializing_if = "crate::desktop_settings::DesktopSettings::is_default")]
    #[ts(skip)]
    pub desktop: crate::desktop_settings::DesktopSettings,
}

/// Shown in Settings as "Last verified backup: 23 Nov 2026 14:05 — 12 accounts — /path".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct LastBackup {
    /// Unix milliseconds when it was verified.
    #[ts(type = "number")]
    pub at_ms: u64,
    pub accounts: usize,
    pub path: String,
}

fn own_order() -> String {
    SortOrder::Own.as_str().into()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auto_lock_minutes: 5,
            clipboard_seconds: 30,
            hide_codes: false,
            theme: "system".into(),
            sort: own_order(),
            clock: Default::default(),
            last_verified_backup: None,
            desktop: Default::default(),
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
        if self.sort.parse::<SortOrder>().is_err() {
            self.sort = d.sort;
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
        self.sort.parse::<SortOrder>()?;
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
        use tessera_core::vault::atomic;
        // Owner-only directory (0700) and file (0600), random temp name, fsync (review #22).
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            atomic::create_private_dir(dir)
                .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        }
        let json = serde_json::to_vec_pretty(self).expect("settings serialize");
        atomic::write_atomic_full(path, &json, &atomic::Previous::Discard, &mut |f, data| {
            std::io::Write::write_all(f, data)
        })
        .map_err(|e| format!("could not save the settings: {}", e.source))
    }
}

#[cfg(test)]
mod private_file_tests {
    /// Review #22: the settings file is owner-only, and so is a data directory it creates.
    #[cfg(unix)]
    #[test]
    fn settings_are_written_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("data/tessera/app-settings.json");
        super::Settings::default().save(&path).unwrap();
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        super::Settings::default().save(&path).unwrap();
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("app-settings.json")]);
    }
}
