//! Locking when the computer sleeps or its session locks, told by the operating system.
//!
//! Linux (built and tested): over D-Bus with `zbus`,
//! - the system bus: logind's `org.freedesktop.login1.Manager.PrepareForSleep(true)` (suspend/hibernate)
//!   and `org.freedesktop.login1.Session.Lock` (`loginctl lock-session`, most desktops' lock screen);
//! - the session bus: `org.freedesktop.ScreenSaver.ActiveChanged(true)` and
//!   `org.gnome.ScreenSaver.ActiveChanged(true)` (GNOME, KDE, Xfce, Cinnamon screen lockers).
//!
//! Which buses are used is injectable ([`Buses`]), so the test emits the signals on a private bus
//! (`dbus-run-session`). A `Lock` of any login session counts: locking more often than needed is safe.
//!
//! Windows (`WTS_SESSION_LOCK`) and macOS (`com.apple.screenIsLocked`) are NOT built yet; there the
//! Rust idle deadline (see `autolock.rs`) still applies.

use crate::state::LockReason;

/// Where to listen. `None` leaves that bus out.
#[derive(Debug, Clone, Default)]
pub struct Buses {
    /// logind's signals; normally the system bus.
    pub logind: Option<BusAddress>,
    /// The screen savers' signals; normally the session bus.
    pub screensaver: Option<BusAddress>,
}

#[derive(Debug, Clone)]
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

/// What a signal means for us, if anything.
pub fn classify(interface: &str, member: &str, active: Option<bool>) -> Option<LockReason> {
    match (interface, member, active) {
        ("org.freedesktop.login1.Manager", "PrepareForSleep", Some(true)) => {
            Some(LockReason::Suspend)
        }
        ("org.freedesktop.login1.Session", "Lock", _) => Some(LockReason::ScreenLock),
        ("org.freedesktop.ScreenSaver" | "org.gnome.ScreenSaver", "ActiveChanged", Some(true)) => {
            Some(LockReason::ScreenLock)
        }
        _ => None,
    }
}

/// Subscribes on each bus (returning once the bus has the match rules, so no signal sent after this
/// returns is missed) and calls `on_lock` from a background thread for each lock signal. A bus that
/// cannot be reached is reported in the returned list and skipped; the app keeps working without it.
#[cfg(target_os = "linux")]
pub fn watch(buses: &Buses, on_lock: impl Fn(LockReason) + Send + Sync + 'static) -> Vec<String> {
    use std::sync::Arc;
    let on_lock: Arc<dyn Fn(LockReason) + Send + Sync> = Arc::new(on_lock);
    let mut problems = Vec::new();
    let mut plan: Vec<(BusAddress, Vec<&'static str>)> = Vec::new();
    let logind_rules = vec![
        "type='signal',interface='org.freedesktop.login1.Manager',member='PrepareForSleep'",
        "type='signal',interface='org.freedesktop.login1.Session',member='Lock'",
    ];
    let saver_rules = vec![
        "type='signal',interface='org.freedesktop.ScreenSaver',member='ActiveChanged'",
        "type='signal',interface='org.gnome.ScreenSaver',member='ActiveChanged'",
    ];
    match (&buses.logind, &buses.screensaver) {
        // One connection when both are the same bus (tests): each signal is then seen once.
        (Some(a), Some(b)) if same_bus(a, b) => {
            plan.push((a.clone(), [logind_rules, saver_rules].concat()))
        }
        (a, b) => {
            if let Some(a) = a {
                plan.push((a.clone(), logind_rules));
            }
            if let Some(b) = b {
                plan.push((b.clone(), saver_rules));
            }
        }
    }
    for (bus, rules) in plan {
        match subscribe(&bus, &rules) {
            Ok((conn, iter)) => {
                let on_lock = Arc::clone(&on_lock);
                std::thread::Builder::new()
                    .name("tessera-os-lock".into())
                    .spawn(move || {
                        let _keep = conn;
                        for message in iter.flatten() {
                            if let Some(reason) = reason_of(&message) {
                                on_lock(reason);
                            }
                        }
                    })
                    .ok();
            }
            Err(e) => problems.push(format!("{bus:?}: {e}")),
        }
    }
    problems
}

#[cfg(not(target_os = "linux"))]
pub fn watch(_buses: &Buses, _on_lock: impl Fn(LockReason) + Send + Sync + 'static) -> Vec<String> {
    vec![
        "locking with the operating system's screen lock is not built for this platform yet".into(),
    ]
}

#[cfg(target_os = "linux")]
fn same_bus(a: &BusAddress, b: &BusAddress) -> bool {
    match (a, b) {
        (BusAddress::System, BusAddress::System) | (BusAddress::Session, BusAddress::Session) => {
            true
        }
        (BusAddress::Address(x), BusAddress::Address(y)) => x == y,
        _ => false,
    }
}

#[cfg(target_os = "linux")]
fn subscribe(
    bus: &BusAddress,
    rules: &[&str],
) -> zbus::Result<(zbus::blocking::Connection, zbus::blocking::MessageIterator)> {
    use zbus::blocking::{connection::Builder, fdo::DBusProxy, MessageIterator};
    let conn = match bus {
        BusAddress::System => Builder::system()?.build()?,
        BusAddress::Session => Builder::session()?.build()?,
        BusAddress::Address(a) => Builder::address(a.as_str())?.build()?,
    };
    // The iterator first, so nothing arriving after the rules are added is lost.
    let iter = MessageIterator::from(&conn);
    let proxy = DBusProxy::new(&conn)?;
    for rule in rules {
        let rule = zbus::MatchRule::try_from(*rule)?;
        proxy.add_match_rule(rule)?;
    }
    Ok((conn, iter))
}

#[cfg(target_os = "linux")]
fn reason_of(message: &zbus::Message) -> Option<LockReason> {
    let header = message.header();
    if header.message_type() != zbus::message::Type::Signal {
        return None;
    }
    let interface = header.interface()?.to_string();
    let member = header.member()?.to_string();
    let active = message.body().deserialize::<bool>().ok();
    classify(&interface, &member, active)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lock_signals_count() {
        let sleep = "org.freedesktop.login1.Manager";
        assert_eq!(
            classify(sleep, "PrepareForSleep", Some(true)),
            Some(LockReason::Suspend)
        );
        assert_eq!(classify(sleep, "PrepareForSleep", Some(false)), None);
        assert_eq!(
            classify("org.freedesktop.login1.Session", "Lock", None),
            Some(LockReason::ScreenLock)
        );
        assert_eq!(
            classify("org.freedesktop.login1.Session", "Unlock", None),
            None
        );
        assert_eq!(
            classify("org.gnome.ScreenSaver", "ActiveChanged", Some(true)),
            Some(LockReason::ScreenLock)
        );
        assert_eq!(
            classify("org.freedesktop.ScreenSaver", "ActiveChanged", Some(false)),
            None
        );
    }
}
