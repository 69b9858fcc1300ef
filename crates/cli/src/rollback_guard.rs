//! Review #28 in the CLI: a vault file older than one opened or saved on this computer before is
//! reported as a warning (never refused: putting an old copy back can be deliberate), and a save of it
//! counts on from the newest generation seen. See `tessera_core::vault::rollback`.

use tessera_core::vault::rollback::SeenGenerations;
use tessera_core::vault::Vault;

/// After opening: warn about an older copy, else remember this generation.
pub fn after_open(vault: &mut Vault) {
    let Some(seen) = SeenGenerations::default_location() else {
        return;
    };
    if let Some(w) = seen.after_open(vault) {
        eprintln!("warning: {w}");
    }
}

/// After a successful save: remember the new generation.
pub fn after_save(vault: &Vault) {
    if let Some(seen) = SeenGenerations::default_location() {
        let _ = seen.record(vault);
    }
}
