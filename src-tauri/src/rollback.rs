//! Review #28 in the app: a vault file older than one opened or saved on this computer before is
//! reported (never refused: putting an old copy back can be deliberate), with the core's sentence, the
//! same the CLI prints. The check and the record are the core's (`vault::rollback::SeenGenerations`);
//! this module only says when: at unlock, and around every command (a save made by it is recorded; a
//! file put back older while the app was open, found when the vault is re-read, is reported too).

use crate::session::Session;
use tessera_core::vault::rollback::{Freshness, SeenGenerations};

/// At unlock: an older copy's warning stays in the session (shown above the codes until the lock) and
/// the next save counts on from the newest generation seen; otherwise this generation is recorded.
pub fn after_open(seen: Option<&SeenGenerations>, session: &mut Session) {
    let Some(seen) = seen else {
        return;
    };
    session.rollback_warning = seen.after_open(&mut session.vault);
    session.recorded_generation = session.vault.generation();
}

/// Before and after each command: records a save made since (failing to record only weakens a later
/// warning, so it never stops the command); reports a re-read file that is older than what was seen.
pub fn sync(seen: Option<&SeenGenerations>, session: &mut Session) {
    let Some(seen) = seen else {
        return;
    };
    let generation = session.vault.generation();
    if generation > session.recorded_generation {
        let _ = seen.record(&session.vault);
        session.recorded_generation = generation;
    } else if generation < session.recorded_generation {
        let older = Freshness::Older {
            seen: session.recorded_generation,
            found: generation,
        };
        session.rollback_warning = older.warning();
        session.vault.continue_after(session.recorded_generation);
    }
}
