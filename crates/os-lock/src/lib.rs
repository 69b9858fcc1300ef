//! Tells Tessera when the operating system locks the session or the computer goes to sleep, so the
//! app can lock too (issue 14, "Lock means locked"). Only the OS glue lives here; what a lock does is
//! the caller's business (the app passes a callback that locks its `AppState`).
//!
//! - Linux (`linux.rs`, run-tested): logind's `PrepareForSleep(true)` and `Session.Lock` on the system
//!   bus, `org.freedesktop.ScreenSaver`/`org.gnome.ScreenSaver` `ActiveChanged(true)` on the session bus.
//! - Windows (`windows.rs`): a hidden window of our own, on its own thread, registered with
//!   `WTSRegisterSessionNotification`; `WTS_SESSION_LOCK`, `WTS_CONSOLE_DISCONNECT`,
//!   `WTS_REMOTE_DISCONNECT` and `WM_POWERBROADCAST`/`PBT_APMSUSPEND` lock.
//! - macOS (`macos.rs`): `com.apple.screenIsLocked` on the distributed notification centre,
//!   `NSWorkspaceWillSleepNotification` and `NSWorkspaceSessionDidResignActiveNotification` on the
//!   workspace's centre.
//!
//! Which notification means what is decided once, in [`signals`], for every platform (and unit-tested on
//! Linux). The Windows and macOS glue is compile-checked (`scripts/check-other-platforms.sh`) but has not
//! been run here. Locking more often than needed is safe, so anything that may mean "nobody is at the
//! screen any more" counts.

pub mod signals;

#[cfg(target_os = "linux")]
#[path = "linux.rs"]
mod platform;
#[cfg(target_os = "macos")]
#[path = "macos.rs"]
mod platform;
#[cfg(windows)]
#[path = "windows.rs"]
mod platform;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
mod platform {
    pub(crate) fn watch(_: &crate::Buses, _: crate::OnLock) -> Vec<String> {
        vec![
            "locking with the operating system's screen lock is not built for this platform".into(),
        ]
    }
}

use std::sync::Arc;

/// Why the operating system made us lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The computer is about to sleep or hibernate.
    Suspend,
    /// The screen or session was locked, or the session was switched away from / disconnected.
    ScreenLock,
}

/// Called (from a background or the main thread) for each lock notification.
pub type OnLock = Arc<dyn Fn(Reason) + Send + Sync>;

/// Where to listen on Linux; Windows and macOS have one place to listen and ignore it. `None` leaves
/// that bus out.
#[derive(Debug, Clone, Default)]
pub struct Buses {
    /// logind's signals; normally the system bus.
    pub logind: Option<BusAddress>,
    /// The screen savers' signals; normally the session bus.
    pub screensaver: Option<BusAddress>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BusAddress {
    System,
    Session,
    /// A bus address such as `unix:path=/tmp/dbus-XYZ` (tests).
    Address(String),
}

impl Buses {
    /// What the running app listens to.
    pub fn desktop() -> Buses {
        Buses {
            logind: Some(BusAddress::System),
            screensaver: Some(BusAddress::Session),
        }
    }
}

/// Starts watching and calls `on_lock` for each lock notification, for as long as the process runs.
/// Returns once the watcher is subscribed (a notification sent after that is not missed), with one
/// sentence per source that could not be used; the app keeps working without it (its own idle
/// deadline still applies).
///
/// macOS: call it on the main thread (Tauri's `setup` is), whose run loop delivers the notifications.
pub fn watch(buses: &Buses, on_lock: impl Fn(Reason) + Send + Sync + 'static) -> Vec<String> {
    platform::watch(buses, Arc::new(on_lock))
}
