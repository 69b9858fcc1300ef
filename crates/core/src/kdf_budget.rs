//! How much work a file's password check asks for, read before anything is derived (security review
//! #4). The hard limits (`crypto::argon`, `formats::ente`) stop absurd files; this budget is lower:
//! what Tessera itself writes with a margin. A file above it is not refused by the core; the caller
//! shows the cost and asks (the CLI refuses it without `--allow-expensive-kdf` when it cannot ask).

use crate::formats::FormatId;
use std::fmt;

/// Most memory a file may ask for without asking the person: 256 MiB, what Tessera backups use.
pub const BUDGET_MEMORY_KIB: u64 = 256 * 1024;
/// Most memory × passes without asking: 256 MiB × 4 passes (Tessera backups use × 3, vaults
/// 64 MiB × 4).
pub const BUDGET_MEMORY_TIMES_PASSES: u64 = 4 * BUDGET_MEMORY_KIB;

/// An Argon2id cost a file asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfCost {
    pub memory_kib: u64,
    pub passes: u64,
    pub lanes: u64,
}

impl KdfCost {
    /// Within [`BUDGET_MEMORY_KIB`] and [`BUDGET_MEMORY_TIMES_PASSES`].
    pub fn within_budget(&self) -> bool {
        self.memory_kib <= BUDGET_MEMORY_KIB
            && self.memory_kib.saturating_mul(self.passes) <= BUDGET_MEMORY_TIMES_PASSES
    }
}

impl fmt::Display for KdfCost {
    /// "Argon2id with 1024 MiB of memory × 4 passes".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let memory = if self.memory_kib >= 1024 {
            format!("{} MiB", self.memory_kib / 1024)
        } else {
            format!("{} KiB", self.memory_kib)
        };
        let passes = if self.passes == 1 { "pass" } else { "passes" };
        write!(
            f,
            "Argon2id with {memory} of memory × {} {passes}",
            self.passes
        )
    }
}

/// The budget as a person reads it.
pub fn budget_text() -> String {
    format!(
        "{} MiB of memory and {} MiB × passes",
        BUDGET_MEMORY_KIB / 1024,
        BUDGET_MEMORY_TIMES_PASSES / 1024
    )
}

/// What the CLI prints and the app's confirmation says about a file above the budget (one sentence,
/// without the final full stop): "backup.tessera: the file's password check asks for Argon2id with
/// 1024 MiB of memory × 4 passes, more than Tessera uses without asking (…); a hostile file can make
/// this take minutes and most of the memory".
pub fn over_budget_sentence(label: &str, cost: &KdfCost) -> String {
    format!(
        "{label}: the file's password check asks for {cost}, more than Tessera uses without asking \
         ({}); a hostile file can make this take minutes and most of the memory",
        budget_text()
    )
}

/// The Argon2id cost a file of `format` asks for, read from its header without the password. `None`
/// when the file has no such cost (or it cannot be read; importing then reports the real problem).
pub fn file_kdf_cost(format: FormatId, bytes: &[u8]) -> Option<KdfCost> {
    match format {
        FormatId::Tessera => {
            let header = crate::backup::container::read_header(bytes).ok()?;
            Some(KdfCost {
                memory_kib: header.kdf.memory_kib.into(),
                passes: header.kdf.passes.into(),
                lanes: header.kdf.lanes.into(),
            })
        }
        FormatId::Ente if crate::formats::ente::is_encrypted(bytes) => {
            let text = std::str::from_utf8(bytes).ok()?;
            let json: serde_json::Value =
                serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
            let kdf = json.get("kdfParams")?;
            let number = |key: &str| {
                let v = kdf.get(key)?;
                v.as_u64().or_else(|| v.as_str()?.trim().parse().ok())
            };
            Some(KdfCost {
                memory_kib: number("memLimit")? / 1024,
                passes: number("opsLimit")?,
                lanes: 1,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::container::{self, BackupKdf};

    fn backup_with(kdf: BackupKdf) -> Vec<u8> {
        // Only the header is read: the cost of a hostile file is known before any derivation.
        let mut bytes = container::MAGIC.to_vec();
        bytes.push(container::VERSION);
        bytes.push(1);
        for v in [kdf.memory_kib, kdf.passes, kdf.lanes] {
            bytes.extend_from_slice(&v.to_be_bytes());
        }
        bytes.resize(container::HEADER_LEN + 64, 0);
        bytes
    }

    #[test]
    fn what_tessera_writes_is_within_the_budget_and_more_is_not() {
        let own = file_kdf_cost(FormatId::Tessera, &backup_with(BackupKdf::default())).unwrap();
        assert_eq!((own.memory_kib, own.passes), (256 * 1024, 3));
        assert!(own.within_budget());
        let vault = crate::vault::KdfParams::default();
        assert!(KdfCost {
            memory_kib: vault.memory_kib.into(),
            passes: vault.iterations.into(),
            lanes: vault.parallelism.into(),
        }
        .within_budget());
        let hostile = file_kdf_cost(
            FormatId::Tessera,
            &backup_with(BackupKdf {
                memory_kib: 1024 * 1024,
                passes: 4,
                lanes: 4,
            }),
        )
        .unwrap();
        assert!(!hostile.within_budget());
        assert_eq!(
            hostile.to_string(),
            "Argon2id with 1024 MiB of memory × 4 passes"
        );
        // Cheap memory, many passes: the product counts.
        let many_passes = backup_with(BackupKdf {
            memory_kib: 128 * 1024,
            passes: 10,
            lanes: 1,
        });
        assert!(!file_kdf_cost(FormatId::Tessera, &many_passes)
            .unwrap()
            .within_budget());
    }

    #[test]
    fn ente_costs_are_read_from_the_json() {
        let file = |mem: u64, ops: u64| {
            format!(
                r#"{{"version":1,"kdfParams":{{"memLimit":{mem},"opsLimit":{ops},"salt":"AAAA"}},"encryptedData":"AAAA","encryptionNonce":"AAAA"}}"#
            )
        };
        let small = file_kdf_cost(FormatId::Ente, file(64 << 20, 2).as_bytes()).unwrap();
        assert_eq!((small.memory_kib, small.passes), (64 * 1024, 2));
        assert!(small.within_budget());
        let sensitive = file_kdf_cost(FormatId::Ente, file(1 << 30, 4).as_bytes()).unwrap();
        assert!(!sensitive.within_budget());
        assert_eq!(file_kdf_cost(FormatId::Ente, b"otpauth://totp/x"), None);
        assert_eq!(file_kdf_cost(FormatId::Uris, b"otpauth://totp/x"), None);
    }
}
