//! Tessera's own backups read as an import: restoring goes through the same preview and duplicate
//! rules as any other app's file, and the backup's environments, notes and recovery codes come back as
//! stored (not as suggestions). `backup` knows nothing of `formats`; this module reads one into the other.

use super::{FormatError, FormatId, ImportResult, ImportedEntry, Importer};
use crate::backup::BackupContent;
use crate::vault::RestoredFields;

/// Tessera's own backup file as an importer (see `registry.rs`).
pub struct TesseraBackup;

impl Importer for TesseraBackup {
    const ID: FormatId = FormatId::Tessera;
    const ENCRYPTABLE: bool = true;
    fn sniff(bytes: &[u8]) -> bool {
        bytes.starts_with(crate::backup::container::MAGIC)
    }
    fn import(bytes: &[u8], password: Option<&str>) -> Result<ImportResult, FormatError> {
        import_backup(bytes, password)
    }
}

/// A Tessera backup read like any import (environment and note as stored), so that restoring goes
/// through the same preview and duplicate rules.
pub(super) fn import_backup(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<ImportResult, FormatError> {
    use crate::backup::{BackupError, ContainerError};
    const NAME: &str = "Tessera backup";
    let password = password.ok_or(FormatError::NeedsPassword { format: NAME })?;
    let content = crate::backup::open(bytes, password).map_err(|e| match e {
        BackupError::Container(ContainerError::WrongPassword) => {
            FormatError::WrongPassword { format: NAME }
        }
        BackupError::Container(ContainerError::Tampered) => FormatError::tampered(NAME),
        BackupError::Container(ContainerError::Truncated) => {
            FormatError::truncated(NAME, "shorter than its header and tag")
        }
        other => FormatError::malformed(NAME, other),
    })?;
    Ok(to_import_result(&content))
}

/// The accounts of a backup as import entries (environment and note as stored), so that restoring a
/// backup goes through the same preview and duplicate rules as any import.
pub fn to_import_result(content: &BackupContent) -> ImportResult {
    let entries = content
        .accounts
        .iter()
        .map(|a| ImportedEntry {
            entry: a.to_entry(),
            note: a.note.clone(),
            environment_hint: (a.environment != crate::vault::Environment::None)
                .then(|| a.environment.clone()),
            groups: Vec::new(),
            source_name: a.label(),
            batch: None,
            restored: Some(RestoredFields::of(a)),
        })
        .collect();
    ImportResult {
        entries,
        ..ImportResult::default()
    }
}

#[cfg(test)]
mod tests {
    use crate::backup::{seal_vault, BackupKdf, BackupOptions};
    use crate::vault::{CreateOptions, DuplicatePolicy, Environment, NewAccount, Vault};
    use crate::{OtpParams, Secret};

    #[test]
    fn a_backup_restores_through_the_import_path() {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = Vault::create(
            &dir.path().join("v.tessera"),
            CreateOptions::insecure_for_tests("correct horse"),
        )
        .unwrap();
        for (env, key) in [
            (Environment::Live, "JBSWY3DPEHPK3PXP"),
            (Environment::Sandpit, "GEZDGNBVGY3TQOJQ"),
        ] {
            let new = NewAccount {
                issuer: "NHS Spine".into(),
                account: "alice".into(),
                environment: env,
                secret: Secret::parse_base32(key).unwrap().0,
                params: OtpParams::totp(),
                note: String::new(),
            };
            vault.add(new, DuplicatePolicy::Refuse).unwrap();
        }
        let bytes = seal_vault(
            &vault,
            "plinth mango ferry cobalt",
            BackupOptions {
                include_trash: false,
                kdf: BackupKdf::insecure_for_tests(),
            },
        )
        .unwrap();
        use crate::formats::{self, FormatError, FormatId};
        assert_eq!(formats::detect(&bytes), Some(FormatId::Tessera));
        assert!(formats::needs_password(FormatId::Tessera, &bytes));
        let restored =
            formats::import(FormatId::Tessera, &bytes, Some("plinth mango ferry cobalt")).unwrap();
        assert_eq!(restored.entries.len(), 2);
        assert!(matches!(
            formats::import(FormatId::Tessera, &bytes, Some("nope")),
            Err(FormatError::WrongPassword { .. })
        ));
        let envs: Vec<_> = restored
            .entries
            .iter()
            .map(|e| e.environment_hint.clone())
            .collect();
        assert_eq!(
            envs,
            vec![Some(Environment::Live), Some(Environment::Sandpit)]
        );
    }
}
