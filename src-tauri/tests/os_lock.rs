//! Locking on the OS's signals, on a PRIVATE session bus: run inside `dbus-run-session` (see
//! scripts/test-all.sh). logind's and the screen savers' signals are emitted there with `dbus-send`,
//! and the app's watcher is pointed at that bus instead of the system bus. Without a session bus the
//! test is skipped, unless `REQUIRE_DBUS=1` (CI) makes that a failure.

mod common;

use common::TestApp;
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};
use tauri::{Listener, Manager};
use tessera_app::os_lock::{BusAddress, Buses};
use tessera_app::state::AppState;

fn private_bus() -> Option<String> {
    match std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        Ok(a) if !a.is_empty() => Some(a),
        _ => {
            assert!(
                std::env::var_os("REQUIRE_DBUS").is_none(),
                "REQUIRE_DBUS is set but there is no session bus (run inside dbus-run-session)"
            );
            eprintln!("skipped: no session bus (run inside dbus-run-session)");
            None
        }
    }
}

fn emit(path: &str, signal: &str, args: &[&str]) {
    let status = Command::new("dbus-send")
        .args(["--session", "--type=signal", path, signal])
        .args(args)
        .status()
        .expect("dbus-send");
    assert!(status.success(), "dbus-send {signal} failed");
}

fn wait_until(what: &str, f: impl Fn() -> bool) {
    let end = Instant::now() + Duration::from_secs(5);
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn suspend_and_screen_lock_signals_lock_the_vault() {
    let Some(address) = private_bus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_password(dir.path());
    let (tx, rx) = std::sync::mpsc::channel();
    app.app.listen_any("tessera://locked", move |event| {
        let _ = tx.send(event.payload().to_string());
    });
    let bus = BusAddress::Address(address);
    tessera_app::start_background(
        app.app.handle(),
        &Buses {
            logind: Some(bus.clone()),
            screensaver: Some(bus),
        },
        Duration::from_secs(60),
    );
    let state = app.app.state::<AppState>();
    let unlock = || app.ok("unlock_vault", json!({ "password": "correct horse" }));

    // Signals that do not mean "lock" leave it open: waking up, a screen saver switching off.
    emit(
        "/org/freedesktop/login1",
        "org.freedesktop.login1.Manager.PrepareForSleep",
        &["boolean:false"],
    );
    emit(
        "/org/gnome/ScreenSaver",
        "org.gnome.ScreenSaver.ActiveChanged",
        &["boolean:false"],
    );
    let cases: [(&str, &str, &[&str], &str); 4] = [
        (
            "/org/freedesktop/login1",
            "org.freedesktop.login1.Manager.PrepareForSleep",
            &["boolean:true"],
            "suspend",
        ),
        (
            "/org/freedesktop/login1/session/_32",
            "org.freedesktop.login1.Session.Lock",
            &[],
            "screenLock",
        ),
        (
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            &["boolean:true"],
            "screenLock",
        ),
        (
            "/org/gnome/ScreenSaver",
            "org.gnome.ScreenSaver.ActiveChanged",
            &["boolean:true"],
            "screenLock",
        ),
    ];
    for (i, (path, signal, args, reason)) in cases.iter().enumerate() {
        if i > 0 {
            unlock();
        }
        assert!(state.is_unlocked(), "before {signal}");
        emit(path, signal, args);
        wait_until(signal, || !state.is_unlocked());
        let got = rx.recv_timeout(Duration::from_secs(5)).expect("event");
        assert_eq!(got, format!("\"{reason}\""), "{signal}");
        assert_eq!(
            app.call("list_accounts", json!({})).unwrap_err(),
            tessera_app::state::LOCKED
        );
    }
    // The two harmless signals sent first never produced an event of their own.
    assert!(rx.try_recv().is_err());
}
