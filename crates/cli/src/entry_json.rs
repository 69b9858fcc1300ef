//! The JSON shape of one account, shared by `uri parse`, `import --dry-run --json` and friends.

use serde::Serialize;
use tessera_core::migration::MigrationBatch;
use tessera_core::{OtpEntry, OtpKind};

#[derive(Serialize)]
pub struct EntryJson {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub issuer: String,
    pub account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub algorithm: &'static str,
    pub digits: u8,
    pub period: Option<u32>,
    pub counter: Option<u64>,
    #[serde(flatten)]
    pub batch: Option<BatchJson>,
}

#[derive(Serialize, Clone, Copy)]
pub struct BatchJson {
    pub batch_index: i32,
    pub batch_size: i32,
    pub batch_id: i32,
}

impl BatchJson {
    pub fn of(batch: &MigrationBatch) -> Self {
        BatchJson {
            batch_index: batch.batch_index,
            batch_size: batch.batch_size,
            batch_id: batch.batch_id,
        }
    }
}

impl EntryJson {
    /// `with_secret` decides whether the Base32 secret is included (never by default in listings).
    pub fn new(entry: &OtpEntry, with_secret: bool) -> Self {
        let p = &entry.params;
        EntryJson {
            kind: p.kind.as_str(),
            issuer: entry.issuer.clone(),
            account: entry.account.clone(),
            secret: with_secret.then(|| entry.secret.to_base32()),
            algorithm: p.algorithm.as_str(),
            digits: p.digits,
            period: p.kind.is_time_based().then_some(p.period),
            counter: (p.kind == OtpKind::Hotp).then_some(p.counter),
            batch: None,
        }
    }

    pub fn with_batch(mut self, batch: BatchJson) -> Self {
        self.batch = Some(batch);
        self
    }

    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("plain data serializes")
    }
}
