//! Linux: logind and screen-saver signals over D-Bus with `zbus`. Which buses are used is injectable
//! ([`Buses`]), so the app's test emits the signals on a private bus (`dbus-run-session`). A `Lock` of
//! any login session counts: locking more often than needed is safe.

use crate::signals::dbus_signal;
use crate::{BusAddress, Buses, OnLock, Reason};
use std::sync::Arc;

pub(crate) fn watch(buses: &Buses, on_lock: OnLock) -> Vec<String> {
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
        (Some(a), Some(b)) if a == b => {
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
                let spawned = std::thread::Builder::new()
                    .name("tessera-os-lock".into())
                    .spawn(move || {
                        let _keep = conn;
                        for message in iter.flatten() {
                            if let Some(reason) = reason_of(&message) {
                                on_lock(reason);
                            }
                        }
                    });
                if let Err(e) = spawned {
                    problems.push(format!("{bus:?}: could not start its thread: {e}"));
                }
            }
            Err(e) => problems.push(format!("{bus:?}: {e}")),
        }
    }
    problems
}

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

fn reason_of(message: &zbus::Message) -> Option<Reason> {
    let header = message.header();
    if header.message_type() != zbus::message::Type::Signal {
        return None;
    }
    let interface = header.interface()?.to_string();
    let member = header.member()?.to_string();
    let active = message.body().deserialize::<bool>().ok();
    dbus_signal(&interface, &member, active)
}
