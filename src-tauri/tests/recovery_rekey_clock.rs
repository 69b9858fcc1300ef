//! Issue 8 in the app: recovery codes, replacing a key, clock skew. Commands are called the way the UI
//! calls them (Tauri IPC on the mock runtime), with a real vault file and an in-memory clipboard. The
//! SNTP check talks to a responder this test starts on 127.0.0.1: no outside network.

mod common;

use common::{code_for, manual, TestApp};
use serde_json::{json, Value};
use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tessera_app::clipboard::Clipboard;
use tessera_core::clock::ntp::{NtpTimestamp, Packet, MODE_SERVER};
use tessera_core::time::local_unix_nanos_now;
use tessera_core::time::now_unix;

const OLD_KEY: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const NEW_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const PASSWORD: &str = "correct horse";
const BLOCK: &str = "Backup codes for NHS Mail:\n1. 1234 5678\n2. 2345 6789\n3. 3456 7890, 4567 8901\n5) 5678 9012\n\
                     6. 6789 0123\n7. 7890 1234\n8. 8901 2345\n9. 9012 3456\n10. 0123 4567\n";

impl TestApp {
    fn add(&self, issuer: &str, key: &str) -> String {
        let added = self.add_by_key_with_note(
            issuer,
            "alice",
            key,
            json!({ "kind": "live" }),
            "ward 7",
            "refuse",
        );
        added["id"].as_str().unwrap().to_string()
    }

    fn code_of(&self, id: &str) -> Value {
        let snap = self.ok("current_codes", json!({}));
        snap["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap()
    }
}

/// The code at `unix`, or at the step either side (a read can straddle a boundary).
fn near(key: &str, unix: u64) -> Vec<String> {
    [unix.saturating_sub(1), unix, unix + 1]
        .iter()
        .map(|t| code_for(key, *t))
        .collect()
}

#[test]
fn recovery_codes_add_reveal_with_password_use_and_count() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": PASSWORD }));
    let id = app.add("NHS Mail", OLD_KEY);

    // Recognised before saving: the heading is skipped, "1234 5678" is one code, "3456 7890, 4567 8901" two.
    let parsed = app.ok("parse_recovery_codes", json!({ "text": BLOCK }));
    assert_eq!(parsed["count"], 10, "{parsed}");
    assert_eq!(parsed["ignored"][0], "Backup codes for NHS Mail:");
    assert!(
        !parsed.to_string().contains("1234 5678"),
        "the preview has counts only"
    );

    let info = app.ok(
        "store_recovery_codes",
        json!({ "id": id, "text": BLOCK, "mode": "refuse" }),
    );
    assert_eq!(info["summary"], "10 of 10 left");
    assert_eq!(info["fewLeft"], false);
    // Storing again without saying replace or append is refused with a sentence.
    let again = app
        .call(
            "store_recovery_codes",
            json!({ "id": id, "text": "1111 2222", "mode": "refuse" }),
        )
        .unwrap_err();
    assert!(
        again.contains("already has 10 unused recovery codes"),
        "{again}"
    );

    // Details show counts, never codes.
    let details = app.ok("account_details", json!({ "id": id }));
    assert_eq!(details["recovery"]["remaining"], 10);
    assert_eq!(details["needsPassword"], true);
    assert!(!details.to_string().contains("1234"), "{details}");

    // Nothing can be copied or marked before a reveal.
    assert!(app
        .call("copy_recovery_code", json!({ "id": id, "index": 0 }))
        .unwrap_err()
        .contains("show the recovery codes"));

    // The vault has a password: a reveal needs it, and a wrong one is a clear error.
    let none = app
        .call(
            "reveal_recovery_codes",
            json!({ "id": id, "password": null }),
        )
        .unwrap_err();
    assert!(none.contains("password is needed"), "{none}");
    let wrong = app
        .call(
            "reveal_recovery_codes",
            json!({ "id": id, "password": "wrong" }),
        )
        .unwrap_err();
    assert_eq!(wrong, "wrong password; the recovery codes stay hidden");
    let shown = app.ok(
        "reveal_recovery_codes",
        json!({ "id": id, "password": PASSWORD }),
    );
    let codes = shown["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    assert_eq!(codes[0]["code"], "1234 5678");
    assert_eq!(codes[3]["code"], "4567 8901");
    assert!(codes.iter().all(|c| c["usedAtMs"].is_null()));

    // Copy goes through the clipboard (with its auto-clear); marking used records the date and counts down.
    let seconds = app.ok("copy_recovery_code", json!({ "id": id, "index": 1 }));
    assert_eq!(seconds, 30);
    assert_eq!(app.clipboard.get_text().as_deref(), Some("2345 6789"));
    let mut after = Value::Null;
    for index in [0, 1, 2, 3, 4, 5, 6] {
        after = app.ok(
            "mark_recovery_code_used",
            json!({ "id": id, "index": index }),
        );
    }
    assert_eq!(after["info"]["summary"], "3 of 10 left");
    assert_eq!(after["info"]["fewLeft"], false);
    after = app.ok("mark_recovery_code_used", json!({ "id": id, "index": 7 }));
    assert_eq!(after["info"]["summary"], "2 of 10 left");
    assert_eq!(
        after["info"]["fewLeft"], true,
        "2 of 10 is few (core threshold)"
    );
    assert!(after["info"]["warning"]
        .as_str()
        .unwrap()
        .contains("only 2 recovery codes left"));
    let used_at = after["codes"][0]["usedAtMs"].as_u64().unwrap();
    assert!(used_at / 1000 >= now_unix() - 5 && used_at / 1000 <= now_unix());
    let twice = app
        .call("mark_recovery_code_used", json!({ "id": id, "index": 0 }))
        .unwrap_err();
    assert!(twice.contains("already used"), "{twice}");

    // Saved in the vault: after lock and unlock the count is still 2 of 10, and locking forgot the
    // reveal: nothing can be copied until the codes are shown (with the password) again.
    app.ok("lock_vault", json!({}));
    app.ok("unlock_vault", json!({ "password": PASSWORD }));
    assert_eq!(
        app.ok("recovery_info", json!({ "id": id }))["summary"],
        "2 of 10 left"
    );
    assert!(app
        .call("copy_recovery_code", json!({ "id": id, "index": 9 }))
        .unwrap_err()
        .contains("show the recovery codes"));
    app.ok(
        "reveal_recovery_codes",
        json!({ "id": id, "password": PASSWORD }),
    );

    // Hidden again on request.
    app.ok("hide_recovery_codes", json!({ "id": id }));
    assert!(app
        .call("mark_recovery_code_used", json!({ "id": id, "index": 9 }))
        .unwrap_err()
        .contains("show the recovery codes"));
}

#[test]
fn recovery_codes_never_reach_list_or_code_payloads() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": PASSWORD }));
    let id = app.add("NHS Mail", OLD_KEY);
    app.ok(
        "store_recovery_codes",
        json!({ "id": id, "text": BLOCK, "mode": "replace" }),
    );
    let payloads = [
        app.ok("list_accounts", json!({})),
        app.ok("current_codes", json!({})),
        app.ok("account_details", json!({ "id": id })),
        app.ok("recovery_info", json!({ "id": id })),
        app.ok("list_trash", json!({})),
    ];
    for p in payloads {
        let text = p.to_string();
        for code in ["1234 5678", "12345678", "0123 4567", "01234567"] {
            assert!(!text.contains(code), "{code} leaked in {text}");
        }
    }
    // Not in the vault file either (encrypted like the secrets).
    let file = std::fs::read(app.dir.join("vault.tessera")).unwrap();
    assert!(!file.windows(9).any(|w| w == b"1234 5678"));
}

#[test]
fn replace_key_shows_both_codes_then_confirm_or_revert() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": PASSWORD }));
    let id = app.add("Rota Portal", OLD_KEY);
    app.ok(
        "store_recovery_codes",
        json!({ "id": id, "text": "1111 2222\n3333 4444", "mode": "refuse" }),
    );
    assert!(app.ok("account_details", json!({ "id": id }))["keyChangedAtMs"].is_null());
    assert!(app.code_of(&id)["previous"].is_null());

    // The new key comes as a draft from the add flow (here the typed form; a QR code works the same).
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": manual("ignored", "alice", NEW_KEY) }),
    );
    let out = app.ok(
        "replace_key",
        json!({ "id": id, "draftId": draft["draftId"] }),
    );
    assert_eq!(out["warnings"], json!([]));
    let now = now_unix();
    let code = app.code_of(&id);
    assert!(near(NEW_KEY, now).contains(&code["current"].as_str().unwrap().to_string()));
    assert!(near(OLD_KEY, now).contains(&code["previous"].as_str().unwrap().to_string()));
    let details = app.ok("account_details", json!({ "id": id }));
    assert_eq!(details["hasPreviousKey"], true);
    let changed = details["keyChangedAtMs"].as_u64().unwrap() / 1000;
    assert!(changed >= now - 5 && changed <= now);
    // Names, environment, note and recovery codes are kept.
    let account = &app.ok("list_accounts", json!({}))[0];
    assert_eq!(account["issuer"], "Rota Portal");
    assert_eq!(account["environment"]["kind"], "live");
    assert_eq!(account["note"], "ward 7");
    assert_eq!(details["recovery"]["total"], 2);

    // The same key again is refused, and the draft stays pending for another try.
    let same = app.ok(
        "stage_manual",
        json!({ "fields": manual("x", "alice", NEW_KEY) }),
    );
    let err = app
        .call(
            "replace_key",
            json!({ "id": id, "draftId": same["draftId"] }),
        )
        .unwrap_err();
    assert!(err.contains("already has"), "{err}");

    // "Go back to the old key": the old code again, the rejected key in the trash.
    app.ok("revert_key", json!({ "id": id }));
    let code = app.code_of(&id);
    assert!(near(OLD_KEY, now_unix()).contains(&code["current"].as_str().unwrap().to_string()));
    assert!(code["previous"].is_null());
    assert_eq!(app.ok("list_trash", json!({})).as_array().unwrap().len(), 1);

    // Replace again and confirm: the previous key goes to the trash, the new code stays.
    let draft = app.ok(
        "stage_manual",
        json!({ "fields": manual("x", "alice", NEW_KEY) }),
    );
    app.ok(
        "replace_key",
        json!({ "id": id, "draftId": draft["draftId"] }),
    );
    app.ok("confirm_key", json!({ "id": id }));
    let code = app.code_of(&id);
    assert!(near(NEW_KEY, now_unix()).contains(&code["current"].as_str().unwrap().to_string()));
    assert!(code["previous"].is_null());
    assert_eq!(app.ok("list_trash", json!({})).as_array().unwrap().len(), 2);
    assert_eq!(
        app.ok("account_details", json!({ "id": id }))["hasPreviousKey"],
        false
    );
    let err = app.call("confirm_key", json!({ "id": id })).unwrap_err();
    assert!(err.contains("no previous key"), "{err}");
}

#[test]
fn corrected_codes_equal_core_codes_at_time_plus_offset() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": PASSWORD }));
    let id = app.add("GitHub", OLD_KEY);

    let err = app
        .call("set_clock_correction", json!({ "enabled": true }))
        .unwrap_err();
    assert!(err.contains("measure the clock first"), "{err}");

    // 95 s: three 30-second steps and a bit, so a wrong sign or a missing correction shows.
    let status = app.ok(
        "apply_clock_offset",
        json!({ "offsetMs": 95_000, "source": "a trusted clock" }),
    );
    assert_eq!(status["settings"]["correctCodes"], true);
    assert_eq!(status["correction"]["offsetMs"], 95_000);
    assert!(status["correction"]["label"]
        .as_str()
        .unwrap()
        .contains("95 s behind"));
    assert_eq!(status["assessment"]["level"], "severe");

    let snap = app.ok("current_codes", json!({}));
    let local = snap["nowMs"].as_u64().unwrap() / 1000;
    let c = &snap["codes"][0];
    assert!(
        near(OLD_KEY, local + 95).contains(&c["current"].as_str().unwrap().to_string()),
        "corrected code {c} is not the code at local + 95 s"
    );
    assert!(!near(OLD_KEY, local).contains(&c["current"].as_str().unwrap().to_string()));
    assert_eq!(snap["correction"]["offsetMs"], 95_000);
    // The countdown is on this computer's clock: the corrected code expires at a corrected boundary
    // of 30 s, moved back by the offset.
    let until = c["validUntilMs"].as_u64().unwrap() as i64;
    assert_eq!((until + 95_000) % 30_000, 0, "{until}");
    let left = until - snap["nowMs"].as_u64().unwrap() as i64;
    assert!((0..=30_000).contains(&left), "{left} ms left");
    // The next code only in the period's last seconds (review #31).
    if let Some(next) = c["next"].as_str() {
        assert!(left <= 5_000 + 1_000, "{left} ms left");
        assert_eq!(next, code_for(OLD_KEY, ((until + 95_000) / 1000) as u64));
    } else {
        assert!(left > 4_000, "{left} ms left");
    }

    // Copying copies the corrected code.
    app.ok("copy_code", json!({ "id": id }));
    let copied = app.clipboard.get_text().unwrap();
    assert!(near(OLD_KEY, now_unix() + 95).contains(&copied));

    // Turned off: plain system-clock codes, no label.
    app.ok("set_clock_correction", json!({ "enabled": false }));
    let snap = app.ok("current_codes", json!({}));
    assert!(snap["correction"].is_null());
    let local = snap["nowMs"].as_u64().unwrap() / 1000;
    assert!(
        near(OLD_KEY, local).contains(&snap["codes"][0]["current"].as_str().unwrap().to_string())
    );

    // The setting is in the settings file beside the vault, and survives a save of the other settings.
    app.ok(
        "save_settings",
        json!({ "settings": { "autoLockMinutes": 5, "clipboardSeconds": 30, "hideCodes": false, "theme": "dark" } }),
    );
    let file: Value =
        serde_json::from_slice(&std::fs::read(app.dir.join("app-settings.json")).unwrap()).unwrap();
    assert_eq!(file["theme"], "dark");
    assert_eq!(file["clock"]["last"]["offsetMs"], 95_000);
    assert_eq!(file["clock"]["last"]["source"], "a trusted clock");
}

#[test]
fn offline_offset_from_an_accepted_code_and_a_trusted_time() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": PASSWORD }));
    let id = app.add("GitHub", OLD_KEY);

    // The code of two steps ahead was accepted: the clock is 30–90 s behind, estimate in the middle.
    let now = now_unix();
    let step = now / 30;
    let accepted = code_for(OLD_KEY, (step + 2) * 30);
    let r = app.ok(
        "clock_offset_from_code",
        json!({ "id": id, "code": accepted }),
    );
    let (min, max) = (r["minMs"].as_i64().unwrap(), r["maxMs"].as_i64().unwrap());
    assert!(min >= 29_000 && max <= 91_000 && max - min == 30_000, "{r}");
    assert_eq!(r["offsetMs"].as_i64().unwrap(), (min + max) / 2);
    assert_eq!(r["uncertaintyMs"], 15_000);
    assert!(
        r["explanation"].as_str().unwrap().contains("2 codes after"),
        "{r}"
    );
    assert_eq!(r["source"], "a code GitHub accepted");

    let bad = app
        .call("clock_offset_from_code", json!({ "id": id, "code": "12" }))
        .unwrap_err();
    assert!(bad.contains("6 digits"), "{bad}");

    // A trusted clock 60 s ahead of this one, as Unix seconds.
    let r = app.ok(
        "clock_offset_from_time",
        json!({ "time": (now_unix() + 60).to_string() }),
    );
    let off = r["offsetMs"].as_i64().unwrap();
    assert!((58_500..=61_500).contains(&off), "{r}");
    assert_eq!(r["assessment"]["level"], "severe");
    // A time of day without a zone: the assumed zone is explained.
    let r = app.ok("clock_offset_from_time", json!({ "time": "12:00:00" }));
    assert!(
        r["explanation"].as_str().unwrap().contains("No time zone"),
        "{r}"
    );
    let bad = app
        .call("clock_offset_from_time", json!({ "time": "tea time" }))
        .unwrap_err();
    assert!(bad.contains("is not a time"), "{bad}");
}

/// An NTP responder on loopback whose clock is `shift_s` ahead of this one; counts requests.
fn responder(shift_s: i128) -> (SocketAddr, Arc<AtomicUsize>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 128];
        while let Ok((len, from)) = socket.recv_from(&mut buf) {
            counter.fetch_add(1, Ordering::SeqCst);
            let Some(request) = Packet::decode(&buf[..len]) else {
                continue;
            };
            let shifted =
                || NtpTimestamp::from_unix_nanos(local_unix_nanos_now() + shift_s * 1_000_000_000);
            let receive = shifted();
            let reply = Packet {
                version: 4,
                mode: MODE_SERVER,
                stratum: 2,
                reference_id: [127, 0, 0, 1],
                reference: receive,
                origin: request.transmit,
                receive,
                transmit: shifted(),
                ..Packet::default()
            };
            let _ = socket.send_to(&reply.encode(), from);
        }
    });
    (addr, seen)
}

#[test]
fn sntp_check_against_a_loopback_server_and_network_off() {
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::start(dir.path());
    app.ok("create_vault", json!({ "password": PASSWORD }));

    let status = app.ok("clock_status", json!({}));
    assert_eq!(status["settings"]["networkCheck"], true, "on by default");
    assert!(status["assessment"].is_null());

    let bad = app
        .call(
            "save_clock_settings",
            json!({ "networkCheck": true, "servers": ["pool.ntp.org", "http://x"] }),
        )
        .unwrap_err();
    assert!(bad.contains("http://x"), "{bad}");

    let (addr, seen) = responder(47);
    app.ok(
        "save_clock_settings",
        json!({ "networkCheck": true, "servers": [addr.to_string()] }),
    );
    let check = app.ok("check_clock", json!({}));
    assert_eq!(check["queried"], true);
    assert_eq!(check["measured"], true, "{check}");
    let off = check["status"]["assessment"]["offsetMs"].as_i64().unwrap();
    assert!((46_900..=47_100).contains(&off), "{check}");
    assert_eq!(check["status"]["assessment"]["needsAttention"], true);
    assert!(check["status"]["assessment"]["message"]
        .as_str()
        .unwrap()
        .contains("47.0 s behind"));
    assert_eq!(
        check["status"]["settings"]["last"]["source"],
        "1 of 1 time server"
    );
    assert!(
        check["status"]["correction"].is_null(),
        "correcting needs the person's yes"
    );
    assert_eq!(seen.load(Ordering::SeqCst), 1);

    // Correct by the measured offset.
    let status = app.ok("set_clock_correction", json!({ "enabled": true }));
    let label = status["correction"]["label"].as_str().unwrap();
    assert!(label.contains("47.0 s behind"), "{label}");

    // Network checks off: nothing is sent, and the answer points to the offline method.
    app.ok(
        "save_clock_settings",
        json!({ "networkCheck": false, "servers": [addr.to_string()] }),
    );
    let check = app.ok("check_clock", json!({}));
    assert_eq!(check["queried"], false);
    assert!(
        check["message"].as_str().unwrap().contains("offline"),
        "{check}"
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        seen.load(Ordering::SeqCst),
        1,
        "no query with network checks off"
    );
    // The correction and the last measurement stay.
    assert_eq!(
        check["status"]["correction"]["offsetMs"].as_i64().unwrap(),
        off
    );

    // A server that never answers: reported as such, with the offline method suggested.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    app.ok(
        "save_clock_settings",
        json!({ "networkCheck": true, "servers": [silent.local_addr().unwrap().to_string()] }),
    );
    let check = app.ok("check_clock", json!({}));
    assert_eq!(check["measured"], false);
    assert!(check["message"]
        .as_str()
        .unwrap()
        .starts_with("No time server answered"));
    assert!(check["servers"][0]["error"]
        .as_str()
        .unwrap()
        .contains("no answer"));
}
