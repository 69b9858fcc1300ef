//! Review #28 in the CLI: a vault file older than one opened or saved on this computer before is
//! reported as a warning (never refused: putting an old copy back can be deliberate), and a save of it
//! counts on from the newest generation seen. See `tessera_core::vault::rollback`.

use tessera_core::vault::rollback::{Freshness, SeenGenerations};
use tessera_core::vault::Vault;

/// After opening: warn about an older copy, else remember this generation.
pub fn after_open(vault: &mut Vault) {
    let Some(seen) = SeenGenerations::default_location() else {
        return;
    };
    let freshness = seen.check(vault);
    match freshness {
        Freshness::Older { seen: newest, .. } => {
            if let Some(w) = freshness.warning() {
                eprintln!("warning: {w}");
            }
            vault.continue_after(newest);
        }
        // Failing to record only weakens a later warning; it never stops the command.
        Freshness::Current => {
            let _ = seen.record(vault);
        }
    }
}

/// After a successful save: remember the new generation.
pub fn after_save(vault: &Vault) {
    if let Some(seen) = SeenGenerations::default_location() {
        let _ = seen.record(vault);
    }
}
