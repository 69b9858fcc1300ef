//! Clock-skew preferences and the last measurement, kept in the settings file beside the vault
//! (`"clock": {…}`): whether Tessera may ask time servers, which ones, and whether codes are corrected
//! by the measured offset. The arithmetic is the core's (`tessera_core::clock`); this is only storage.

use serde::{Deserialize, Serialize};
use tessera_core::clock::sntp::parse_server;
use tessera_core::clock::{ClockOffset, CorrectedClock, DEFAULT_SERVERS};

/// Setting this to `0` turns network clock checks off whatever the settings file says (tests and
/// locked-down machines without network access).
pub const NETWORK_ENV: &str = "TESSERA_CLOCK_NETWORK";
/// A comma-separated server list that replaces the configured one (end-to-end tests point it at a
/// responder on 127.0.0.1, so no test ever asks a real NTP server).
pub const SERVERS_ENV: &str = "TESSERA_NTP_SERVERS";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ClockSettings {
    /// "Check the clock over the network": on by default.
    pub network_check: bool,
    /// HOST or HOST:PORT, each validated with the core's `parse_server`.
    pub servers: Vec<String>,
    /// "Correct codes by the measured offset".
    pub correct_codes: bool,
    /// The last measured offset (by SNTP or offline) with when and how.
    pub last: Option<Measurement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    /// Correct time minus local time, in milliseconds (positive: this computer is behind).
    #[ts(type = "number")]
    pub offset_ms: i64,
    /// When it was measured (Unix ms).
    #[ts(type = "number")]
    pub at_ms: u64,
    /// "2 time servers", "a code GitHub accepted", "a trusted clock".
    pub source: String,
}

impl Default for ClockSettings {
    fn default() -> Self {
        ClockSettings {
            network_check: true,
            servers: DEFAULT_SERVERS.iter().map(|s| s.to_string()).collect(),
            correct_codes: false,
            last: None,
        }
    }
}

impl ClockSettings {
    pub fn is_default(&self) -> bool {
        *self == ClockSettings::default()
    }

    /// Trims the server list, drops blank lines and says which entry is not a server.
    pub fn validate(&mut self) -> Result<(), String> {
        self.servers = self
            .servers
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        for s in &self.servers {
            parse_server(s).map_err(|e| e.to_string())?;
        }
        if self.network_check && self.servers.is_empty() {
            return Err("list at least one time server, or turn network clock checks off".into());
        }
        Ok(())
    }

    /// Network checks, unless the environment turns them off.
    pub fn network_allowed(&self) -> bool {
        self.network_check && std::env::var(NETWORK_ENV).map_or(true, |v| v.trim() != "0")
    }

    /// The servers to ask: the environment's list when set, else the configured one.
    pub fn effective_servers(&self) -> Vec<String> {
        match std::env::var(SERVERS_ENV) {
            Ok(list) if !list.trim().is_empty() => list
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            _ => self.servers.clone(),
        }
    }

    /// The offset codes are corrected by right now, if any.
    pub fn active_offset(&self) -> Option<ClockOffset> {
        let last = self.last.as_ref().filter(|_| self.correct_codes)?;
        Some(ClockOffset::from_millis(last.offset_ms)).filter(|o| *o != ClockOffset::ZERO)
    }

    /// The clock codes are made with: the system clock, corrected when the user asked for it.
    pub fn corrected_clock(&self) -> CorrectedClock {
        match self.active_offset() {
            Some(o) => CorrectedClock::with_offset(o),
            None => CorrectedClock::system(),
        }
    }
}

/// What the codes screen shows while codes are corrected ("Codes corrected by +47 s").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CorrectionView {
    #[ts(type = "number")]
    pub offset_ms: i64,
    /// The core's sentence: "Codes corrected for the clock being 47.0 s behind (+47.000 s)".
    pub label: String,
}

impl ClockSettings {
    pub fn correction_view(&self) -> Option<CorrectionView> {
        let clock = self.corrected_clock();
        Some(CorrectionView {
            offset_ms: clock.offset()?.as_millis(),
            label: clock.label()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        let mut s = ClockSettings::default();
        assert!(s.network_check && !s.correct_codes);
        assert!(!s.corrected_clock().is_correcting());
        s.servers = vec![" 127.0.0.1:1123 ".into(), "".into(), "pool.ntp.org".into()];
        s.validate().unwrap();
        assert_eq!(s.servers, vec!["127.0.0.1:1123", "pool.ntp.org"]);
        s.servers.push("http://nope".into());
        assert!(s.validate().unwrap_err().contains("http://nope"));
        s.servers.clear();
        assert!(s.validate().is_err());
        s.network_check = false;
        s.validate().unwrap();
    }

    #[test]
    fn correction_needs_toggle_and_measurement() {
        let mut s = ClockSettings {
            last: Some(Measurement {
                offset_ms: 47_000,
                at_ms: 0,
                source: "test".into(),
            }),
            ..Default::default()
        };
        assert_eq!(s.active_offset(), None);
        s.correct_codes = true;
        assert_eq!(s.active_offset(), Some(ClockOffset::from_secs(47)));
        assert_eq!(
            s.corrected_clock().unix_at(1_000 * 1_000_000_000),
            1_047,
            "local 1000 s + 47 s"
        );
    }
}
