//! The TypeScript declarations of everything that crosses IPC, generated from the Rust types with
//! `ts-rs`, so the UI's types cannot drift from what the commands send and accept. The output is
//! checked in as `ui/src/lib/ipc.gen.ts`; `tests/ipc_types.rs` fails when it is stale
//! (`TESSERA_BLESS=1 cargo test -p tessera-app --test ipc_types` rewrites it).

use ts_rs::TS;

/// Names the Rust side keeps as strings (parsed by the core), spelled out for the UI.
const UNIONS: &str = r#"export type EnvironmentKind = "none" | "live" | "sandpit" | "custom";
export type OtpKind = "totp" | "hotp" | "steam";
export type Algorithm = "SHA1" | "SHA256" | "SHA512";
export type ProtectionLevel = "password" | "keychain";
export type DuplicatePolicy = "refuse" | "replace" | "keepBoth";
export type OnDuplicate = "skip" | "replace" | "keepBoth";
export type ExportFormat = "tessera" | "uris" | "aegis" | "google-qr";
export type Theme = "system" | "light" | "dark";
export type SortOrder = "own" | "name" | "environment";
"#;

/// Every IPC type's declaration, in a stable order.
fn declarations() -> Vec<String> {
    use crate::commands::{clock, desktop, favourites, recovery, rekey, startup};
    use crate::dto::{self, transfer};
    vec![
        dto::EnvironmentDto::decl(),
        dto::AccountView::decl(),
        dto::CodeView::decl(),
        dto::CodesSnapshot::decl(),
        dto::VaultStatus::decl(),
        dto::ManualFields::decl(),
        dto::ManualCheck::decl(),
        dto::DraftView::decl(),
        dto::BatchInfo::decl(),
        dto::ScanOutcome::decl(),
        dto::Preview::decl(),
        dto::AddRequest::decl(),
        dto::AddOutcomeDto::decl(),
        dto::ConflictsView::decl(),
        dto::AccountEditDto::decl(),
        dto::TrashedView::decl(),
        crate::settings::Settings::decl(),
        crate::settings::LastBackup::decl(),
        transfer::ImportFormatOption::decl(),
        transfer::ImportFileInfo::decl(),
        transfer::ImportRowDto::decl(),
        transfer::ImportPreviewDto::decl(),
        transfer::ImportChoiceDto::decl(),
        transfer::ImportCountsDto::decl(),
        transfer::ExportRequestDto::decl(),
        transfer::ExportResultDto::decl(),
        crate::clock_settings::Measurement::decl(),
        crate::clock_settings::ClockSettings::decl(),
        crate::clock_settings::CorrectionView::decl(),
        clock::Assessment::decl(),
        clock::ClockStatus::decl(),
        clock::ServerResult::decl(),
        clock::ClockCheck::decl(),
        clock::OfflineOffset::decl(),
        recovery::RecoveryInfo::decl(),
        recovery::ParsedBlock::decl(),
        recovery::ShownCode::decl(),
        recovery::RevealedCodes::decl(),
        rekey::AccountDetails::decl(),
        rekey::ReplaceOutcome::decl(),
        crate::org_policy::PolicyView::decl(),
        startup::StartAnswer::decl(),
        favourites::QuickRow::decl(),
        crate::desktop_settings::DesktopSettings::decl(),
        desktop::DesktopAnswer::decl(),
        dto::backups::BackupStatusDto::decl(),
        dto::backups::RestoreTestDto::decl(),
        dto::phone::PhoneEnrolmentDto::decl(),
        dto::backups::EmergencySheetDto::decl(),
        crate::ipc_error::ErrorKind::decl(),
        crate::ipc_error::IpcError::decl(),
    ]
}

/// The whole generated file.
pub fn typescript() -> String {
    let mut out = String::from(
        "// Generated from the Rust IPC types by src-tauri/src/dto/typescript.rs (ts-rs). Do not edit:\n\
         // change the Rust type, then run `TESSERA_BLESS=1 cargo test -p tessera-app --test ipc_types`.\n\n",
    );
    out.push_str(UNIONS);
    for decl in declarations() {
        out.push('\n');
        out.push_str("export ");
        out.push_str(decl.trim_end());
        out.push('\n');
    }
    out
}
