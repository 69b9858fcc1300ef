//! Which operating-system notification means "lock now", and why. Pure functions over the names and
//! numbers each OS uses, compiled on every platform so their tests run on Linux CI too; the platform
//! files only receive notifications and pass them here.

use crate::Reason;

/// A D-Bus signal from logind or a screen saver (Linux). `active` is the signal's boolean argument,
/// when it has one.
pub fn dbus_signal(interface: &str, member: &str, active: Option<bool>) -> Option<Reason> {
    match (interface, member, active) {
        ("org.freedesktop.login1.Manager", "PrepareForSleep", Some(true)) => Some(Reason::Suspend),
        ("org.freedesktop.login1.Session", "Lock", _) => Some(Reason::ScreenLock),
        ("org.freedesktop.ScreenSaver" | "org.gnome.ScreenSaver", "ActiveChanged", Some(true)) => {
            Some(Reason::ScreenLock)
        }
        _ => None,
    }
}

/// The Windows message numbers we react to, as WinUser.h defines them. Spelled out here (rather than
/// taken from `windows-sys`) so the mapping compiles and is tested on every platform; `windows.rs`
/// asserts at compile time that they equal the `windows-sys` constants.
pub mod win {
    pub const WM_WTSSESSION_CHANGE: u32 = 0x02B1;
    pub const WM_POWERBROADCAST: u32 = 0x0218;
    /// `WM_WTSSESSION_CHANGE`'s wParam values.
    pub const WTS_CONSOLE_DISCONNECT: u32 = 0x2;
    pub const WTS_REMOTE_DISCONNECT: u32 = 0x4;
    pub const WTS_SESSION_LOCK: u32 = 0x7;
    /// `WM_POWERBROADCAST`'s wParam: the computer is about to suspend or hibernate.
    pub const PBT_APMSUSPEND: u32 = 0x4;
}

/// A window message (`msg`, `wparam`) received by the watcher's hidden window (Windows).
///
/// A disconnected session (fast user switching to another account, a closed Remote Desktop window)
/// counts as a screen lock: the session keeps running with nobody in front of it, and it can be
/// reconnected from elsewhere.
pub fn window_message(msg: u32, wparam: usize) -> Option<Reason> {
    use win::*;
    let wparam = u32::try_from(wparam).ok()?;
    match (msg, wparam) {
        (
            WM_WTSSESSION_CHANGE,
            WTS_SESSION_LOCK | WTS_CONSOLE_DISCONNECT | WTS_REMOTE_DISCONNECT,
        ) => Some(Reason::ScreenLock),
        (WM_POWERBROADCAST, PBT_APMSUSPEND) => Some(Reason::Suspend),
        _ => None,
    }
}

/// Which macOS notification centre a notification comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacCenter {
    /// `NSDistributedNotificationCenter.defaultCenter` (system-wide notifications such as the screen lock).
    Distributed,
    /// `NSWorkspace.sharedWorkspace.notificationCenter` (sleep, fast user switching).
    Workspace,
}

/// The macOS notifications the watcher observes, and what each means. `macos.rs` registers exactly
/// these, and [`mac_notification`] maps a delivered one back through the same table.
pub const MAC_NOTIFICATIONS: [(MacCenter, &str, Reason); 3] = [
    // Posted when the screen locks (lock command, screen saver with a password, lid closed).
    (
        MacCenter::Distributed,
        "com.apple.screenIsLocked",
        Reason::ScreenLock,
    ),
    // The value of NSWorkspaceWillSleepNotification: the computer is about to sleep.
    (
        MacCenter::Workspace,
        "NSWorkspaceWillSleepNotification",
        Reason::Suspend,
    ),
    // The value of NSWorkspaceSessionDidResignActiveNotification: fast user switching to another account.
    (
        MacCenter::Workspace,
        "NSWorkspaceSessionDidResignActiveNotification",
        Reason::ScreenLock,
    ),
];

/// A notification named `name` delivered by `center` (macOS).
pub fn mac_notification(center: MacCenter, name: &str) -> Option<Reason> {
    MAC_NOTIFICATIONS
        .iter()
        .find(|(c, n, _)| *c == center && *n == name)
        .map(|(_, _, reason)| *reason)
}

#[cfg(test)]
mod tests {
    use super::win::*;
    use super::*;

    #[test]
    fn only_lock_signals_count_on_linux() {
        let sleep = "org.freedesktop.login1.Manager";
        assert_eq!(
            dbus_signal(sleep, "PrepareForSleep", Some(true)),
            Some(Reason::Suspend)
        );
        // Waking up.
        assert_eq!(dbus_signal(sleep, "PrepareForSleep", Some(false)), None);
        assert_eq!(
            dbus_signal("org.freedesktop.login1.Session", "Lock", None),
            Some(Reason::ScreenLock)
        );
        assert_eq!(
            dbus_signal("org.freedesktop.login1.Session", "Unlock", None),
            None
        );
        assert_eq!(
            dbus_signal("org.gnome.ScreenSaver", "ActiveChanged", Some(true)),
            Some(Reason::ScreenLock)
        );
        assert_eq!(
            dbus_signal("org.freedesktop.ScreenSaver", "ActiveChanged", Some(false)),
            None
        );
        // The right member on an interface nobody trusts.
        assert_eq!(dbus_signal("org.example.Fake", "Lock", None), None);
    }

    #[test]
    fn session_lock_disconnect_and_suspend_lock_on_windows() {
        assert_eq!(
            window_message(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK as usize),
            Some(Reason::ScreenLock)
        );
        assert_eq!(
            window_message(WM_WTSSESSION_CHANGE, WTS_CONSOLE_DISCONNECT as usize),
            Some(Reason::ScreenLock)
        );
        assert_eq!(
            window_message(WM_WTSSESSION_CHANGE, WTS_REMOTE_DISCONNECT as usize),
            Some(Reason::ScreenLock)
        );
        assert_eq!(
            window_message(WM_POWERBROADCAST, PBT_APMSUSPEND as usize),
            Some(Reason::Suspend)
        );
    }

    #[test]
    fn unlock_logon_and_resume_leave_windows_alone() {
        const WTS_CONSOLE_CONNECT: usize = 0x1;
        const WTS_SESSION_LOGON: usize = 0x5;
        const WTS_SESSION_UNLOCK: usize = 0x8;
        const PBT_APMRESUMEAUTOMATIC: usize = 0x12;
        const PBT_APMPOWERSTATUSCHANGE: usize = 0xA;
        for wparam in [WTS_CONSOLE_CONNECT, WTS_SESSION_LOGON, WTS_SESSION_UNLOCK] {
            assert_eq!(
                window_message(WM_WTSSESSION_CHANGE, wparam),
                None,
                "{wparam}"
            );
        }
        for wparam in [PBT_APMRESUMEAUTOMATIC, PBT_APMPOWERSTATUSCHANGE] {
            assert_eq!(window_message(WM_POWERBROADCAST, wparam), None, "{wparam}");
        }
        // A session-lock number in another message (WM_TIMER) means nothing.
        const WM_TIMER: u32 = 0x0113;
        assert_eq!(window_message(WM_TIMER, WTS_SESSION_LOCK as usize), None);
        // A wParam too big for the 32-bit codes is not truncated into one.
        #[cfg(target_pointer_width = "64")]
        assert_eq!(
            window_message(
                WM_WTSSESSION_CHANGE,
                (1usize << 32) | WTS_SESSION_LOCK as usize
            ),
            None
        );
    }

    #[test]
    fn screen_lock_sleep_and_user_switch_lock_on_macos() {
        assert_eq!(
            mac_notification(MacCenter::Distributed, "com.apple.screenIsLocked"),
            Some(Reason::ScreenLock)
        );
        assert_eq!(
            mac_notification(MacCenter::Workspace, "NSWorkspaceWillSleepNotification"),
            Some(Reason::Suspend)
        );
        assert_eq!(
            mac_notification(
                MacCenter::Workspace,
                "NSWorkspaceSessionDidResignActiveNotification"
            ),
            Some(Reason::ScreenLock)
        );
    }

    #[test]
    fn unlock_wake_and_other_centres_leave_macos_alone() {
        for name in [
            "com.apple.screenIsUnlocked",
            "NSWorkspaceDidWakeNotification",
            "NSWorkspaceSessionDidBecomeActiveNotification",
        ] {
            assert_eq!(mac_notification(MacCenter::Workspace, name), None, "{name}");
            assert_eq!(
                mac_notification(MacCenter::Distributed, name),
                None,
                "{name}"
            );
        }
        // Each name belongs to one centre: the same name from the other one is not what Apple posts.
        assert_eq!(
            mac_notification(MacCenter::Distributed, "NSWorkspaceWillSleepNotification"),
            None
        );
        assert_eq!(
            mac_notification(MacCenter::Workspace, "com.apple.screenIsLocked"),
            None
        );
    }
}
