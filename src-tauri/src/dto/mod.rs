//! What crosses the IPC boundary, in the shapes `ui/src/lib/api.ts` declares (camelCase JSON).
//! Secrets never travel to the UI: drafts stay in Rust and are referred to by id.

pub mod backups;
pub mod phone;
pub mod transfer;
pub mod typescript;

use serde::{Deserialize, Serialize};
use tessera_core::otp::{Algorithm, OtpKind, OtpParams};
use tessera_core::OtpEntry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "Environment")]
pub struct EnvironmentDto {
    /// "none", "live", "sandpit" or "custom".
    #[ts(type = "EnvironmentKind")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
}

impl EnvironmentDto {
    pub fn none() -> Self {
        EnvironmentDto {
            kind: "none".into(),
            name: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub issuer: String,
    pub account: String,
    pub environment: EnvironmentDto,
    pub note: String,
    #[ts(type = "OtpKind")]
    pub kind: String,
    pub digits: u8,
    pub period: u32,
    /// Shown first on the codes screen and in the tray menu.
    #[serde(default)]
    pub favourite: bool,
    /// HOTP: the counter the next code is made from (0 for time-based kinds).
    #[serde(default)]
    #[ts(type = "number")]
    pub counter: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CodeView {
    pub id: String,
    pub current: String,
    /// The next period's code, only in the current one's last seconds (`NEXT_CODE_WINDOW_SECONDS`).
    pub next: Option<String>,
    #[ts(type = "number | null")]
    pub valid_until_ms: Option<u64>,
    pub period: Option<u32>,
    /// While a replaced key waits for confirmation: the previous key's code (shown marked "previous key").
    #[serde(default)]
    pub previous: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CodesSnapshot {
    #[ts(type = "number")]
    pub now_ms: u64,
    pub codes: Vec<CodeView>,
    /// Set while codes are corrected for a measured clock offset (shown on the codes screen).
    #[serde(default)]
    pub correction: Option<crate::clock_settings::CorrectionView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct VaultStatus {
    /// "absent", "locked" or "unlocked".
    #[ts(type = "\"absent\" | \"locked\" | \"unlocked\"")]
    pub state: String,
    pub keychain_available: bool,
    pub has_password: bool,
    pub uses_keychain: bool,
    /// "password" (only the app password opens it) or "keychain" (this computer's login opens it).
    #[serde(default)]
    #[ts(type = "ProtectionLevel | \"\"")]
    pub protection: String,
    /// A quick-unlock PIN is set in this running app.
    #[serde(default)]
    pub pin_set: bool,
    /// Unlocked, and the file is an older copy than one this computer opened or saved before (review
    /// #28): the core's sentence, the same the CLI prints.
    #[serde(default)]
    pub rollback_warning: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ManualFields {
    pub issuer: String,
    pub account: String,
    pub secret: String,
    #[ts(type = "OtpKind")]
    pub kind: String,
    #[ts(type = "Algorithm")]
    pub algorithm: String,
    pub digits: u8,
    pub period: u32,
    #[ts(type = "number")]
    pub counter: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ManualCheck {
    pub ok: bool,
    pub error: Option<String>,
    pub warnings: Vec<String>,
    pub preview: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "Draft")]
pub struct DraftView {
    pub draft_id: String,
    pub issuer: String,
    pub account: String,
    #[ts(type = "OtpKind")]
    pub kind: String,
    #[ts(type = "Algorithm")]
    pub algorithm: String,
    pub digits: u8,
    pub period: u32,
    /// The environment the core suggests from the names ("NHS Spine Sandpit" → Sandpit), the same
    /// rule an import uses; the review form starts with it chosen.
    pub suggested_environment: EnvironmentDto,
}

impl DraftView {
    pub fn new(draft_id: String, entry: &OtpEntry) -> Self {
        DraftView {
            draft_id,
            issuer: entry.issuer.clone(),
            account: entry.account.clone(),
            kind: entry.params.kind.as_str().to_string(),
            algorithm: entry.params.algorithm.as_str().to_string(),
            digits: entry.params.digits,
            period: entry.params.period,
            suggested_environment: crate::convert::environment_to_dto(
                &tessera_core::formats::suggest_environment(&[&entry.issuer, &entry.account])
                    .unwrap_or(tessera_core::vault::Environment::None),
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct BatchInfo {
    pub index: u32,
    pub size: u32,
    #[ts(type = "number")]
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ScanOutcome {
    pub drafts: Vec<DraftView>,
    pub batch: Option<BatchInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    pub code: String,
    #[ts(type = "number | null")]
    pub valid_until_ms: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AddRequest {
    pub draft_id: String,
    pub issuer: String,
    pub account: String,
    pub environment: EnvironmentDto,
    pub note: String,
    /// "refuse", "replace" or "keepBoth".
    #[ts(type = "DuplicatePolicy")]
    pub policy: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "status", rename_all = "camelCase")]
#[ts(rename = "AddOutcome")]
pub enum AddOutcomeDto {
    #[serde(rename_all = "camelCase")]
    Added { id: String, warnings: Vec<String> },
    #[serde(rename_all = "camelCase")]
    Duplicate {
        existing: Vec<AccountView>,
        same_environment: bool,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "AccountEdit")]
pub struct AccountEditDto {
    pub issuer: String,
    pub account: String,
    pub environment: EnvironmentDto,
    pub note: String,
    /// When the new names and environment are taken: "replace" (the other account goes to the trash)
    /// or "keepBoth". Absent: refuse with a sentence that names both choices.
    #[serde(default)]
    #[ts(optional, type = "DuplicatePolicy")]
    pub on_duplicate: Option<String>,
    /// HOTP only: the counter to use for the next code (to set it back after codes were copied unused).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub counter: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct TrashedView {
    pub id: String,
    pub issuer: String,
    pub account: String,
    pub environment: EnvironmentDto,
    #[ts(type = "number | null")]
    pub deleted_at_ms: Option<u64>,
}

/// The manual form's choices as parameters. The form always sends every field, so the core's
/// lenient rule applies: Steam takes its own algorithm, digits and period.
pub fn params_from_fields(f: &ManualFields) -> Result<OtpParams, String> {
    let kind: OtpKind = f.kind.parse().map_err(|e| format!("{e}"))?;
    let algorithm: Algorithm = f.algorithm.parse().map_err(|e| format!("{e}"))?;
    OtpParams::from_parts_lenient(
        kind,
        Some(algorithm),
        Some(f.digits),
        Some(f.period),
        Some(f.counter),
    )
    .map_err(|e| e.to_string())
}

/// How a new or edited account relates to the stored ones (the core's `Vault::conflicts`), for the
/// review form and the edit form.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ConflictsView {
    /// Accounts with the same issuer and account, in any environment.
    pub twins: Vec<AccountView>,
    /// One of the twins is in the same environment: saving would make a duplicate.
    pub same_environment: bool,
    /// The twins in the same environment (what saving would clash with).
    pub clashes: Vec<AccountView>,
    /// Every twin names its environment and this one names none: it must choose one.
    pub needs_environment: bool,
}
