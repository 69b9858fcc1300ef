//! Tessera's core: everything an authenticator needs that is not UI.
//!
//! - [`secret`]: shared secret keys as people type them (Base32, tolerant) and as bytes (zeroized).
//! - [`otp`]: TOTP (RFC 6238), HOTP (RFC 4226) and Steam Guard code generation.
//! - [`entry`]: one portable OTP account description (issuer, account, secret, parameters).
//! - [`uri`]: `otpauth://` Key URIs, parsed tolerantly and written canonically.
//! - [`backup`]: encrypted, verified Tessera backups.
//! - [`export`]: the vault written out (Tessera backup, Aegis, URI list, Google QR), read back and checked.
//! - [`formats`]: importers for other authenticator apps' export files.
//! - [`import`]: imported entries put into the vault with a choice per entry (skip, replace, keep both).
//! - [`migration`]: Google Authenticator `otpauth-migration://` export payloads.
//! - [`clock`]: clock-skew measurement (SNTP and offline) and offset-corrected codes.
//! - [`recovery`]: one-time recovery codes: pasted blocks parsed, used/unused, few-left warnings.
//! - [`vault`]: the encrypted account store (AES-256-GCM, key slots in the system keychain and/or an
//!   Argon2id password), with environments and no silent overwrite.
//! - [`qr`]: QR codes in image files, screenshots and camera frames.
//! - [`policy`]: the organisation's policy file (IT's managed settings) and the rules it sets.
//! - [`emergency_sheet`]: the printable emergency sheet (backups, restore steps, accounts; optionally QR codes).
//! - [`intake`]: what a pasted link, a QR code's text or a dropped file is, and its accounts.
//!
//! Each module has its own error type with messages a person can act on.

pub mod backup;
pub mod clock;
pub mod crypto;
pub mod emergency_sheet;
pub mod entry;
pub mod export;
pub mod formats;
pub mod hardening;
pub mod import;
pub mod intake;
pub mod kdf_budget;
pub mod migration;
pub mod otp;
pub mod policy;
pub mod process_hardening;
pub mod qr;
pub mod recovery;
pub mod secret;
pub mod time;
pub mod uri;
pub mod vault;

pub use entry::OtpEntry;
pub use otp::{Algorithm, Code, Generator, OtpKind, OtpParams};
pub use secret::Secret;
