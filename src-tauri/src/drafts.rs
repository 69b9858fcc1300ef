//! Accounts read from a QR code, a link or the manual form, held here until the person saves them in
//! the review form (or leaves it). The UI only ever sees their id, names and parameters.

use crate::commands::{msg, CmdResult};
use crate::dto::{BatchInfo, DraftView, ManualCheck, ManualFields, Preview, ScanOutcome};
use crate::ipc_error::IpcError;
use std::collections::HashMap;
use tessera_core::time::now_unix;
use tessera_core::{migration, uri, OtpEntry, Secret};

/// Pending accounts by id. Capped so a camera left pointing at a QR code can't grow it without end.
#[derive(Default)]
pub struct Drafts {
    next_id: u64,
    pending: HashMap<String, OtpEntry>,
}

const MAX_PENDING: usize = 500;

impl Drafts {
    pub fn stage(&mut self, entry: OtpEntry) -> DraftView {
        if self.pending.len() >= MAX_PENDING {
            self.pending.clear();
        }
        self.next_id += 1;
        let id = format!("d{}", self.next_id);
        let view = DraftView::new(id.clone(), &entry);
        self.pending.insert(id, entry);
        view
    }

    pub fn get(&self, id: &str) -> CmdResult<&OtpEntry> {
        self.pending
            .get(id)
            .ok_or_else(|| "this account is no longer pending; add it again".into())
    }

    pub fn take(&mut self, id: &str) -> CmdResult<OtpEntry> {
        self.pending
            .remove(id)
            .ok_or_else(|| "this account is no longer pending; add it again".into())
    }

    pub fn put_back(&mut self, id: String, entry: OtpEntry) {
        self.pending.insert(id, entry);
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// Stages every account a text carries: an `otpauth://` link or a Google Authenticator export.
    pub fn stage_text(&mut self, text: &str) -> CmdResult<ScanOutcome> {
        let t = text.trim();
        use tessera_core::intake::{link_kind, LinkKind};
        if link_kind(t) == LinkKind::Export {
            return self.stage_migration(migration::decode(t).map_err(msg)?);
        }
        if link_kind(t) == LinkKind::Account {
            let entry = uri::parse(t).map_err(msg)?;
            return Ok(ScanOutcome {
                drafts: vec![self.stage(entry)],
                batch: None,
            });
        }
        Err(IpcError::bad_input("that is not an authenticator link; it should start with otpauth:// or otpauth-migration://"))
    }
}

impl Drafts {
    /// Stages the accounts of one Google Authenticator export QR code, with its place in the batch.
    pub fn stage_migration(&mut self, batch: migration::MigrationBatch) -> CmdResult<ScanOutcome> {
        if batch.entries.is_empty() {
            let why = batch.skipped.join("; ");
            return Err(IpcError::bad_input(if why.is_empty() {
                "this export holds no accounts".into()
            } else {
                why
            }));
        }
        let info = (batch.batch_size > 1).then(|| BatchInfo {
            index: batch.batch_index.max(0) as u32 + 1,
            size: batch.batch_size as u32,
            id: i64::from(batch.batch_id),
        });
        let drafts = batch.entries.into_iter().map(|e| self.stage(e)).collect();
        Ok(ScanOutcome {
            drafts,
            batch: info,
        })
    }
}

/// Unix milliseconds now.
pub fn now_ms() -> u64 {
    tessera_core::time::now_ms()
}

/// The current code of an entry and when it stops being valid.
pub fn preview(entry: &OtpEntry, unix: u64) -> CmdResult<Preview> {
    let code = entry.generator().map_err(msg)?.code_at(unix);
    Ok(Preview {
        valid_until_ms: code.seconds_remaining.map(|s| (unix + u64::from(s)) * 1000),
        code: code.value,
    })
}

/// The manual form's fields as an entry, or the sentence that says what is wrong.
pub fn entry_from_fields(f: &ManualFields) -> CmdResult<(OtpEntry, Vec<String>)> {
    let (secret, warnings) = Secret::parse_base32(&f.secret).map_err(msg)?;
    let params = crate::dto::params_from_fields(f).map_err(IpcError::bad_input)?;
    let entry = OtpEntry::new(f.issuer.trim(), f.account.trim(), secret, params);
    Ok((entry, warnings.iter().map(|w| w.to_string()).collect()))
}

/// Live validation for the manual form: every keystroke asks this.
pub fn check_manual(f: &ManualFields) -> ManualCheck {
    match entry_from_fields(f).and_then(|(e, w)| preview(&e, now_unix()).map(|p| (p, w))) {
        Ok((p, warnings)) => ManualCheck {
            ok: true,
            error: None,
            warnings,
            preview: Some(p.code),
        },
        Err(error) => ManualCheck {
            ok: false,
            error: Some(error.message),
            warnings: vec![],
            preview: None,
        },
    }
}
