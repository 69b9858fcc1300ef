//! Review #4 in the app: a backup or Ente export whose password check asks for more work than
//! Tessera's budget (`tessera_core::kdf_budget`: 256 MiB, 256 MiB × 4 passes) is not derived until the
//! person agrees in a native dialog that names the memory and passes. The WebView cannot agree for
//! them (the dialog is Rust's, see [`crate::native_dialogs`]).
//!
//! Argon2 cannot be interrupted once started (the `argon2` crate has no cancellation hook), so the
//! derivation runs on the blocking pool: the window stays responsive, and "Cancel" on the import screen
//! (`import_cancel`) returns at once and forgets the file; the derivation then finishes unseen and its
//! result is dropped. The hard caps bound that work to about 1 GiB × 4 passes.

use crate::commands::CmdResult;
use crate::native_dialogs::{Confirmation, NativeDialogs};
use tessera_core::formats::FormatId;
use tessera_core::kdf_budget::{file_kdf_cost, over_budget_sentence};

/// `Ok(true)`: the file is above the budget and the person agreed; `Ok(false)`: within the budget,
/// nothing asked. `Err`: they did not agree (the sentence to show). Blocks on the dialog: call it on
/// the blocking pool.
pub fn ask_before_deriving(
    dialogs: &dyn NativeDialogs,
    label: &str,
    format: FormatId,
    bytes: &[u8],
) -> CmdResult<bool> {
    let Some(cost) = file_kdf_cost(format, bytes) else {
        return Ok(false);
    };
    if cost.within_budget() {
        return Ok(false);
    }
    let confirmation = Confirmation {
        title: "Open a file that asks for a lot of memory?".into(),
        message: format!(
            "{}.\n\nOpen it only if you trust where it came from. Tessera stays usable meanwhile.",
            over_budget_sentence(label, &cost)
        ),
        proceed: "Derive the key anyway".into(),
        cancel: "Cancel".into(),
    };
    if dialogs.confirm(&confirmation) {
        Ok(true)
    } else {
        Err(format!(
            "{label} was not opened: its password check asks for {cost}, and you chose not to spend that"
        )
        .into())
    }
}
