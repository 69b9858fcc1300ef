//! Locking when the computer sleeps or its session locks, told by the operating system. The OS glue
//! (logind and screen savers on Linux, session notifications on Windows, screen-lock notifications on
//! macOS) is the `tessera-os-lock` crate; this module only turns its reasons into the app's
//! [`LockReason`]s. `lib.rs::start_background` passes a callback that locks the `AppState`.

use crate::state::LockReason;
pub use tessera_os_lock::{BusAddress, Buses};

/// Starts the watcher (see [`tessera_os_lock::watch`]) and calls `on_lock` for each lock notification.
/// Returns one sentence per notification source that could not be used.
pub fn watch(buses: &Buses, on_lock: impl Fn(LockReason) + Send + Sync + 'static) -> Vec<String> {
    tessera_os_lock::watch(buses, move |reason| on_lock(lock_reason(reason)))
}

fn lock_reason(reason: tessera_os_lock::Reason) -> LockReason {
    match reason {
        tessera_os_lock::Reason::Suspend => LockReason::Suspend,
        tessera_os_lock::Reason::ScreenLock => LockReason::ScreenLock,
    }
}
