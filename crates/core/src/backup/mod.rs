//! Tessera backups: the whole account list (every field, the trash only if asked) encrypted with a
//! password, verified after writing, and restorable anywhere without the system keychain.
//! The byte layout is in [`container`] and docs/backup-format.md.

pub mod auto;
pub mod check;
pub mod container;
pub mod content;
pub mod password;

pub use container::{BackupKdf, ContainerError};
pub use content::{
    open, seal_content, seal_vault, write_verified, BackupContent, BackupError, BackupOptions,
    VerifiedBackup,
};
pub use password::WeakPassword;
