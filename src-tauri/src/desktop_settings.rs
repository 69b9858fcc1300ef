//! Tray and quick-copy preferences, kept in the settings file beside the vault (`"desktop": {…}`):
//! close to the tray, start at login, start hidden, and the global quick-copy shortcut.

use serde::{Deserialize, Serialize};

pub const DEFAULT_SHORTCUT: &str = "Ctrl+Alt+O";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DesktopSettings {
    /// Closing the window hides it to the tray instead of quitting (on by default).
    pub close_to_tray: bool,
    /// Start Tessera when the person logs in (off by default; the autostart plugin writes the entry).
    pub start_at_login: bool,
    /// Start with the window hidden (only the tray icon).
    pub start_hidden: bool,
    /// The global shortcut that opens quick copy, e.g. "Ctrl+Alt+O"; empty turns it off.
    pub shortcut: String,
}

impl Default for DesktopSettings {
    fn default() -> Self {
        DesktopSettings {
            close_to_tray: true,
            start_at_login: false,
            start_hidden: false,
            shortcut: DEFAULT_SHORTCUT.into(),
        }
    }
}

impl DesktopSettings {
    pub fn is_default(&self) -> bool {
        *self == DesktopSettings::default()
    }

    /// Checks the shortcut's spelling (not whether another program holds it: that is only known when
    /// it is registered). Returns the cleaned-up form.
    pub fn normalised_shortcut(&self) -> Result<String, String> {
        let s = self.shortcut.trim();
        if s.is_empty() {
            return Ok(String::new());
        }
        let parts: Vec<&str> = s.split('+').map(str::trim).collect();
        if parts.iter().any(|p| p.is_empty()) {
            return Err(format!("{s:?} is not a shortcut: write it like Ctrl+Alt+O"));
        }
        let (key, mods) = parts.split_last().expect("not empty");
        let known = [
            "ctrl",
            "control",
            "alt",
            "shift",
            "super",
            "cmd",
            "command",
            "cmdorctrl",
            "commandorcontrol",
            "option",
        ];
        if mods.is_empty()
            || !mods
                .iter()
                .all(|m| known.contains(&m.to_ascii_lowercase().as_str()))
        {
            return Err(format!(
                "{s:?} needs at least one of Ctrl, Alt, Shift or Super before the key, like Ctrl+Alt+O"
            ));
        }
        if known.contains(&key.to_ascii_lowercase().as_str()) {
            return Err(format!(
                "{s:?} ends in a modifier: add a key, like Ctrl+Alt+O"
            ));
        }
        Ok(parts.join("+"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_shortcut_spelling() {
        let d = DesktopSettings::default();
        assert!(d.close_to_tray && !d.start_at_login && !d.start_hidden);
        assert_eq!(d.normalised_shortcut().unwrap(), "Ctrl+Alt+O");
        let with = |s: &str| DesktopSettings {
            shortcut: s.into(),
            ..Default::default()
        };
        assert_eq!(
            with(" ctrl + shift + K ").normalised_shortcut().unwrap(),
            "ctrl+shift+K"
        );
        assert_eq!(with("").normalised_shortcut().unwrap(), "");
        assert!(with("O")
            .normalised_shortcut()
            .unwrap_err()
            .contains("at least one of"));
        assert!(with("Ctrl+Alt")
            .normalised_shortcut()
            .unwrap_err()
            .contains("ends in a modifier"));
        assert!(with("Ctrl++O").normalised_shortcut().is_err());
    }
}
