//! Clock skew in the app: the SNTP check (on the blocking pool, never on the IPC thread), the offline
//! methods (a code a service accepted, the time a trusted clock shows), and correcting codes by the
//! measured offset. All measuring and judging is `tessera_core::clock`; this only stores and words it.

use super::{blocking, msg, CmdResult};
use crate::clock_settings::{ClockSettings, CorrectionView, Measurement};
use crate::convert::parse_id;
use crate::drafts::now_ms;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use tessera_core::clock::offline::OffsetEstimate;
use tessera_core::clock::offset::format_seconds;
use tessera_core::clock::sntp::{parse_server, spawn_check, DEFAULT_TIMEOUT};
use tessera_core::clock::{
    assess, offset_from_accepted_code, offset_from_trusted_time, parse_trusted_time, ClockOffset,
    SkewLevel, SntpConfig, DEFAULT_CODE_WINDOW, DEFAULT_WARN_THRESHOLD,
};
use tessera_core::time::local_unix_nanos_now;
use tessera_core::Generator;

/// Codes change every 30 s for nearly every account; the warning is worded for that period.
const USUAL_PERIOD: u32 = 30;

const OFFLINE_HINT: &str = "Measure it offline instead in Settings: type a code a service just \
     accepted, or the time a trusted clock (a phone, the ward clock) shows.";

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "ClockAssessment")]
pub struct Assessment {
    /// "fine", "warn" or "severe" (the core's `SkewLevel`).
    #[ts(type = "\"fine\" | \"warn\" | \"severe\"")]
    pub level: SkewLevel,
    pub needs_attention: bool,
    #[ts(type = "number")]
    pub offset_ms: i64,
    /// "47.0 s behind", "3.0 s ahead".
    pub describe: String,
    /// Why codes may be rejected, and what to do (the core's sentence).
    pub message: String,
}

fn assessment(offset: ClockOffset) -> Assessment {
    let a = assess(offset, USUAL_PERIOD, DEFAULT_WARN_THRESHOLD);
    Assessment {
        level: a.level,
        needs_attention: a.needs_attention(),
        offset_ms: offset.as_millis(),
        describe: offset.describe(),
        message: a.message,
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ClockStatus {
    pub settings: ClockSettings,
    /// False when network checks are off in the settings or by `TESSERA_CLOCK_NETWORK=0`.
    pub network_allowed: bool,
    pub assessment: Option<Assessment>,
    pub correction: Option<CorrectionView>,
}

fn status_of(clock: ClockSettings) -> ClockStatus {
    ClockStatus {
        network_allowed: clock.network_allowed(),
        assessment: clock
            .last
            .as_ref()
            .map(|m| assessment(ClockOffset::from_millis(m.offset_ms))),
        correction: clock.correction_view(),
        settings: clock,
    }
}

/// Changes the clock section of the settings and saves the file.
fn update(
    state: &AppState,
    f: impl FnOnce(&mut ClockSettings) -> CmdResult<()>,
) -> CmdResult<ClockStatus> {
    let mut guard = state.settings.lock().unwrap_or_else(|p| p.into_inner());
    let mut next = guard.clone();
    f(&mut next.clock)?;
    crate::org_policy::apply(&mut next, state.policy()?);
    next.save(&state.settings_path)?;
    *guard = next;
    Ok(status_of(guard.clock.clone()))
}

#[tauri::command]
pub fn clock_status(state: State<'_, AppState>) -> ClockStatus {
    status_of(state.settings().clock)
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ServerResult {
    pub server: String,
    pub ok: bool,
    #[ts(type = "number | null")]
    pub offset_ms: Option<i64>,
    #[ts(type = "number | null")]
    pub delay_ms: Option<u64>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ClockCheck {
    /// False when network checks are off: nothing was sent.
    pub queried: bool,
    pub measured: bool,
    pub servers: Vec<ServerResult>,
    /// One sentence for the person: what was measured, or why nothing was.
    pub message: String,
    pub status: ClockStatus,
}

/// Asks the configured time servers (all at once, bounded by the core's short time-out) on a
/// background thread; the IPC thread only awaits. Records the median offset when any server answered.
#[tauri::command]
pub async fn check_clock(state: State<'_, AppState>) -> CmdResult<ClockCheck> {
    let clock = state.settings().clock;
    let policy = state.policy()?;
    if let Err(refusal) = policy.check_network_clock() {
        return Ok(ClockCheck {
            queried: false,
            measured: false,
            servers: vec![],
            message: format!("{refusal} No time server was asked. {OFFLINE_HINT}"),
            status: status_of(clock),
        });
    }
    if !clock.network_allowed() {
        return Ok(ClockCheck {
            queried: false,
            measured: false,
            servers: vec![],
            message: format!(
                "Network clock checks are off, so no time server was asked. {OFFLINE_HINT}"
            ),
            status: status_of(clock),
        });
    }
    // The organisation's list, when it sets one, is the list asked (even over TESSERA_NTP_SERVERS).
    let servers = match policy.ntp_servers() {
        Some(fixed) => fixed.to_vec(),
        None => clock.effective_servers(),
    };
    for s in &servers {
        parse_server(s).map_err(msg)?;
    }
    let total = servers.len();
    let receiver = spawn_check(SntpConfig {
        servers,
        timeout: DEFAULT_TIMEOUT,
    });
    let report = blocking(move || {
        receiver
            .recv()
            .map_err(|_| "the clock check stopped unexpectedly".into())
    })
    .await?;
    let results = report
        .outcomes
        .iter()
        .map(|o| match &o.result {
            Ok(s) => ServerResult {
                server: o.server.clone(),
                ok: true,
                offset_ms: Some(s.offset.as_millis()),
                delay_ms: Some(s.delay.as_millis() as u64),
                error: None,
            },
            Err(e) => ServerResult {
                server: o.server.clone(),
                ok: false,
                offset_ms: None,
                delay_ms: None,
                error: Some(e.to_string()),
            },
        })
        .collect();
    let answered = report.answered().count();
    let Some(offset) = report.offset() else {
        return Ok(ClockCheck {
            queried: true,
            measured: false,
            servers: results,
            message: format!("No time server answered. {OFFLINE_HINT}"),
            status: status_of(state.settings().clock),
        });
    };
    let source = format!(
        "{answered} of {total} time server{}",
        if total == 1 { "" } else { "s" }
    );
    let status = update(&state, |c| {
        c.last = Some(Measurement {
            offset_ms: offset.as_millis(),
            at_ms: now_ms(),
            source: source.clone(),
        });
        Ok(())
    })?;
    Ok(ClockCheck {
        queried: true,
        measured: true,
        servers: results,
        message: format!(
            "This computer's clock is {} (median of {source}).",
            offset.describe()
        ),
        status,
    })
}

/// "Check the clock over the network" and the server list.
#[tauri::command]
pub fn save_clock_settings(
    network_check: bool,
    servers: Vec<String>,
    state: State<'_, AppState>,
) -> CmdResult<ClockStatus> {
    update(&state, |c| {
        let mut next = ClockSettings {
            network_check,
            servers,
            ..c.clone()
        };
        next.validate()?;
        *c = next;
        Ok(())
    })
}

/// Turns "correct codes by the measured offset" on or off.
#[tauri::command]
pub fn set_clock_correction(enabled: bool, state: State<'_, AppState>) -> CmdResult<ClockStatus> {
    update(&state, |c| {
        if enabled && c.last.is_none() {
            return Err(
                "measure the clock first: check it now, or use a code or a trusted clock".into(),
            );
        }
        c.correct_codes = enabled;
        Ok(())
    })
}

/// Stores an offset measured offline (the person saw it and chose to apply it) and corrects codes by it.
#[tauri::command]
pub fn apply_clock_offset(
    offset_ms: i64,
    source: String,
    state: State<'_, AppState>,
) -> CmdResult<ClockStatus> {
    // A day is far beyond what either offline method measures: anything larger is a mistake.
    if offset_ms.unsigned_abs() > 86_400_000 {
        return Err("that offset is more than a day; set the system clock instead".into());
    }
    update(&state, |c| {
        c.last = Some(Measurement {
            offset_ms,
            at_ms: now_ms(),
            source: source.trim().chars().take(120).collect(),
        });
        c.correct_codes = true;
        Ok(())
    })
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct OfflineOffset {
    #[ts(type = "number")]
    pub offset_ms: i64,
    #[ts(type = "number")]
    pub min_ms: i64,
    #[ts(type = "number")]
    pub max_ms: i64,
    /// How far the estimate may be off either way.
    #[ts(type = "number")]
    pub uncertainty_ms: u64,
    /// Other offsets that fit as well (an accepted code repeating within the search window).
    #[ts(type = "number[]")]
    pub alternatives_ms: Vec<i64>,
    /// What the numbers mean: range, assumed time zone, ambiguity.
    pub explanation: String,
    /// For the record when applied: "a code GitHub accepted".
    pub source: String,
    pub assessment: Assessment,
}

fn secs(ms: i64) -> String {
    format!("{:+.1} s", ms as f64 / 1000.0)
}

fn offline(
    estimate: &OffsetEstimate,
    explanation: String,
    source: String,
    alternatives_ms: Vec<i64>,
) -> OfflineOffset {
    OfflineOffset {
        offset_ms: estimate.offset.as_millis(),
        min_ms: estimate.min.as_millis(),
        max_ms: estimate.max.as_millis(),
        uncertainty_ms: estimate.uncertainty().as_millis() as u64,
        alternatives_ms,
        explanation,
        source,
        assessment: assessment(estimate.offset),
    }
}

/// The offset from a code that a service just accepted for the account `id`.
#[tauri::command]
pub fn clock_offset_from_code(
    id: String,
    code: String,
    state: State<'_, AppState>,
) -> CmdResult<OfflineOffset> {
    let id = parse_id(&id)?;
    let local = local_unix_nanos_now();
    state.with_vault(|v| {
        let a = v.account(id).ok_or_else(|| format!("no account with id {id}"))?;
        let generator = Generator::new(&a.secret, a.params).map_err(msg)?;
        let found =
            offset_from_accepted_code(&generator, &code, local, DEFAULT_CODE_WINDOW).map_err(msg)?;
        let best = found.nearest();
        let period = a.params.period.max(1);
        let mut explanation = if best.steps_from_local == 0 {
            format!(
                "The code is the one this computer shows now, so the clock is right to within one code ({period} s): between {} and {}.",
                secs(best.estimate.min.as_millis()),
                secs(best.estimate.max.as_millis())
            )
        } else {
            let n = best.steps_from_local.unsigned_abs();
            format!(
                "The service accepted the code of {n} code{} {} this computer's, so the clock is between {} and {} off; Tessera takes the middle, {} (± {}).",
                if n == 1 { "" } else { "s" },
                if best.steps_from_local > 0 { "after" } else { "before" },
                secs(best.estimate.min.as_millis()),
                secs(best.estimate.max.as_millis()),
                secs(best.estimate.offset.as_millis()),
                format_seconds(best.estimate.uncertainty().as_secs_f64()),
            )
        };
        let alternatives: Vec<i64> = found.matches[1..]
            .iter()
            .map(|m| m.estimate.offset.as_millis())
            .collect();
        if found.is_ambiguous() {
            explanation.push_str(&format!(
                " The same code also comes up at other times within {} minutes ({}), so the answer is not certain: Tessera takes the one nearest this computer's time. Try again with the next code to be sure.",
                DEFAULT_CODE_WINDOW.as_secs() / 60,
                alternatives.iter().map(|ms| secs(*ms)).collect::<Vec<_>>().join(", ")
            ));
        }
        let source = format!("a code {} accepted", if a.issuer.is_empty() { "a service" } else { a.issuer.as_str() });
        Ok(offline(&best.estimate, explanation, source, alternatives))
    })
}

/// The offset from the time a trusted clock shows (typed as Unix seconds, a date and time, or 22:30:15).
#[tauri::command]
pub fn clock_offset_from_time(time: String) -> CmdResult<OfflineOffset> {
    let local = local_unix_nanos_now();
    let trusted = parse_trusted_time(&time).map_err(msg)?;
    let estimate = offset_from_trusted_time(&trusted, local);
    let mut explanation = format!(
        "The clock is between {} and {} off (the trusted clock shows whole units, and typing takes a moment: type a time a few seconds ahead and press Enter when the clock shows it).",
        secs(estimate.min.as_millis()),
        secs(estimate.max.as_millis())
    );
    if let Some(zone) = estimate.assumed_zone_seconds {
        explanation.push_str(&format!(
            " No time zone was typed, so Tessera took the nearest zone (UTC{}{:02}:{:02}); this measures offsets up to 7½ minutes.",
            if zone < 0 { '−' } else { '+' },
            zone.unsigned_abs() / 3600,
            zone.unsigned_abs() % 3600 / 60
        ));
    }
    Ok(offline(
        &estimate,
        explanation,
        "a trusted clock".into(),
        vec![],
    ))
}
