//! Everything secret the shell holds between commands, in one place: the open vault (its key and every
//! account), drafts read from QR codes, links and typed keys, a pending import (the file's bytes and its
//! decrypted entries), which accounts' recovery codes were revealed, and the camera scanner.
//!
//! [`crate::state::AppState`] keeps it as `Mutex<Option<Session>>`: `None` is locked. Locking takes the
//! session out and drops it; the vault, drafts and import bytes wipe themselves on drop (`Zeroizing`,
//! `Secret`). Nothing secret lives anywhere else in the shell, so "locked" needs no list of things to
//! forget: a new secret-holding field goes here, and is forgotten with the rest.

use crate::drafts::Drafts;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tessera_core::formats::{FormatId, ImportedEntry};
use tessera_core::qr::FrameScanner;
use tessera_core::vault::Vault;
use uuid::Uuid;
use zeroize::Zeroizing;

/// How long a reveal lets the UI copy and mark recovery codes before it must ask again.
pub const REVEAL_FOR: Duration = Duration::from_secs(5 * 60);

pub struct Session {
    pub vault: Vault,
    pub drafts: Drafts,
    pub scanner: FrameScanner,
    /// The file being imported and, once previewed, its entries (with their keys).
    pub import: Option<PendingImport>,
    /// Accounts whose recovery codes the person revealed (re-authenticated) recently.
    pub reveals: Reveals,
    /// Opened with the app password or PIN (not the keychain): only then may a PIN be set.
    pub opened_with_password: bool,
    /// The file is an older copy than one this computer saw (review #28): the core's sentence,
    /// shown above the codes until the lock.
    pub rollback_warning: Option<String>,
    /// The highest generation of this vault recorded as seen here, by this session.
    pub recorded_generation: u64,
}

impl Session {
    pub fn new(vault: Vault) -> Session {
        Session {
            vault,
            drafts: Drafts::default(),
            scanner: FrameScanner::new(),
            import: None,
            reveals: Reveals::default(),
            opened_with_password: false,
            rollback_warning: None,
            recorded_generation: 0,
        }
    }
}

/// A loaded import file; `read` is set by a successful preview and is exactly what a commit imports.
pub struct PendingImport {
    pub file_name: String,
    pub bytes: Zeroizing<Vec<u8>>,
    pub read: Option<(FormatId, Vec<ImportedEntry>)>,
    /// The person agreed to derive this file's key although it asks for more than the budget
    /// (review #4): a retry with another password does not ask again.
    pub expensive_kdf_allowed: bool,
}

/// Recently revealed recovery codes, per account.
#[derive(Default)]
pub struct Reveals(HashMap<Uuid, Instant>);

impl Reveals {
    pub fn open(&mut self, id: Uuid) {
        self.0.insert(id, Instant::now());
    }

    pub fn close(&mut self, id: Uuid) {
        self.0.remove(&id);
    }

    pub fn check(&mut self, id: Uuid) -> Result<(), String> {
        match self.0.get(&id) {
            Some(t) if t.elapsed() < REVEAL_FOR => Ok(()),
            _ => {
                self.0.remove(&id);
                Err("show the recovery codes again first (they hide after a few minutes)".into())
            }
        }
    }
}
