//! IPC shape of "Show on screen for a phone" (issue 15): one account's enrolment QR code and key.

use serde::Serialize;
use zeroize::Zeroize;

/// Built by the core (`Vault::show_for_phone`) for one answer and never kept in Rust: the UI shows it
/// for `hideAfterSeconds` and drops it on lock. The secret strings are wiped when this is dropped.
#[derive(Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "PhoneEnrolment")]
pub struct PhoneEnrolmentDto {
    pub id: String,
    pub issuer: String,
    pub account: String,
    pub environment: super::EnvironmentDto,
    /// The account's `otpauth://` enrolment QR code as a `data:image/png;base64,…` URL.
    pub qr_data_url: String,
    /// The key in base32, in groups of four, for typing it into the phone instead.
    pub key_grouped: String,
    /// "Time-based (TOTP), SHA1, 6 digits, every 30 seconds".
    pub settings: String,
    /// The screen hides the code and key again after this many seconds.
    pub hide_after_seconds: u32,
}

impl PhoneEnrolmentDto {
    pub fn new(id: uuid::Uuid, shown: &tessera_core::vault::PhoneEnrolment) -> Self {
        PhoneEnrolmentDto {
            id: id.to_string(),
            issuer: shown.issuer.clone(),
            account: shown.account.clone(),
            environment: crate::convert::environment_to_dto(&shown.environment),
            qr_data_url: shown.qr_png_data_url.to_string(),
            key_grouped: shown.key_grouped.to_string(),
            settings: shown.settings.clone(),
            hide_after_seconds: shown.hide_after_seconds,
        }
    }
}

impl Drop for PhoneEnrolmentDto {
    fn drop(&mut self) {
        self.qr_data_url.zeroize();
        self.key_grouped.zeroize();
    }
}
