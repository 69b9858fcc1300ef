//! The organisation's policy in the app (`tessera_core::policy`, the same file and rules as the CLI):
//! read once at start, applied to the settings (auto-lock and clipboard limits, network clock checks,
//! time servers), and shown to the UI so the controls it fixes are set and disabled. A policy file
//! that cannot be used blocks the vault and is shown instead of the codes.

use crate::commands::{msg, CmdResult};
use crate::settings::Settings;
use crate::state::AppState;
use serde::Serialize;
use tauri::State;
use tessera_core::policy::{Policy, KEYS};
use tessera_core::vault::{check_new_vault_password, Password, Unlock, Vault};

/// Fixes what the policy fixes in the app's settings: shorter auto-lock/clipboard times stay, longer
/// ones and "never" become the maximum; the network clock check and the server list are the policy's.
pub fn apply(settings: &mut Settings, policy: &Policy) {
    settings.auto_lock_minutes = policy.clamp_auto_lock(settings.auto_lock_minutes);
    settings.clipboard_seconds = policy.clamp_clipboard(settings.clipboard_seconds);
    if let Some(on) = policy.network_clock_check {
        settings.clock.network_check = on;
    }
    if let Some(servers) = policy.ntp_servers() {
        settings.clock.servers = servers.to_vec();
    }
}

/// What the UI needs to know about the policy.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
    /// The policy file in force, or null when there is none.
    pub source: Option<String>,
    /// Set when the policy file cannot be used: the sentence shown instead of the codes.
    pub error: Option<String>,
    /// The keys the file sets and their values (`tessera policy show --json` without "source").
    #[ts(type = "Record<string, unknown>")]
    pub values: serde_json::Value,
    /// The keys the file sets: the controls shown as "Set by your organisation".
    pub fixed: Vec<String>,
    /// One sentence per unknown key (listed in Settings).
    pub warnings: Vec<String>,
    pub plain_export_allowed: bool,
    pub requires_password: bool,
    pub network_clock_check: bool,
    pub max_auto_lock_minutes: Option<u32>,
    pub max_clipboard_seconds: Option<u32>,
    /// Extra environment names offered beside Live and Sandpit.
    pub environments: Vec<String>,
    /// The fixed folder for automatic backups, if any.
    pub backup_folder: Option<String>,
    /// The app keeps asking until automatic backups are on.
    pub require_backup: bool,
}

pub fn view(loaded: &Result<Policy, String>) -> PolicyView {
    match loaded {
        Ok(p) => {
            let mut values = p.to_json();
            if let Some(map) = values.as_object_mut() {
                map.remove("source");
            }
            PolicyView {
                source: p.source().map(|s| s.display().to_string()),
                error: None,
                values,
                fixed: KEYS
                    .iter()
                    .filter(|k| p.is_set(k))
                    .map(|k| k.to_string())
                    .collect(),
                warnings: p.warnings(),
                plain_export_allowed: p.plain_export_allowed(),
                requires_password: p.requires_password(),
                network_clock_check: p.network_clock_check(),
                max_auto_lock_minutes: p.max_auto_lock_minutes,
                max_clipboard_seconds: p.max_clipboard_seconds,
                environments: p.environments().to_vec(),
                backup_folder: p.backup_folder().map(|f| f.display().to_string()),
                require_backup: p.require_backup(),
            }
        }
        Err(e) => PolicyView {
            source: None,
            error: Some(e.clone()),
            values: serde_json::json!({}),
            fixed: vec![],
            warnings: vec![],
            plain_export_allowed: false,
            requires_password: true,
            network_clock_check: false,
            max_auto_lock_minutes: None,
            max_clipboard_seconds: None,
            environments: vec![],
            backup_folder: None,
            require_backup: false,
        },
    }
}

#[tauri::command]
pub fn policy_status(state: State<'_, AppState>) -> PolicyView {
    view(&state.policy)
}

/// `require_password` and a vault that opens only with the keychain: the one step allowed is to open
/// it and set an app password at once, so the codes are never shown without one.
#[tauri::command]
pub async fn unlock_and_set_password(
    password: String,
    state: State<'_, AppState>,
) -> CmdResult<()> {
    state.policy()?;
    check_new_vault_password(&password).map_err(msg)?;
    let path = state.vault_path.clone();
    let kdf = state.kdf;
    let vault = crate::commands::blocking(move || {
        let mut vault = Vault::open(&path, Unlock::Keychain).map_err(msg)?;
        if !vault.has_password() {
            vault
                .set_password(Password::new(password), kdf)
                .map_err(msg)?;
            vault.save().map_err(msg)?;
        }
        Ok(vault)
    })
    .await?;
    state.open_session_with(vault, true);
    Ok(())
}
