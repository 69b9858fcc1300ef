//! The CLI contract of `tessera clock check` (and `tessera code --clock-offset`), with NTP servers the
//! test starts on 127.0.0.1. No outside network.

mod common;

use common::{ntp_reply, stderr, stdout, tessera};

use serde_json::Value;
use std::net::{SocketAddr, UdpSocket};
use std::process::Output;
use std::thread;

const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // RFC 6238's SHA1 key

/// An NTP responder whose clock is `shift_ms` ahead of ours; answers one query.
fn ntp_server(shift_ms: i64) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0u8; 128];
        let Ok((len, from)) = socket.recv_from(&mut buf) else {
            return;
        };
        let reply = ntp_reply(&buf[..len], shift_ms).expect("an NTP query");
        socket.send_to(&reply, from).unwrap();
    });
    addr
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn sntp_check_measures_the_loopback_servers() {
    let a = ntp_server(42_000).to_string();
    let b = ntp_server(42_100).to_string();
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let quiet = silent.local_addr().unwrap().to_string();
    let o = tessera(&[
        "clock",
        "check",
        "--server",
        &a,
        "--server",
        &quiet,
        "--server",
        &b,
        "--timeout",
        "0.5",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["method"], "sntp");
    assert_eq!(v["measured"], true);
    let offset = v["offset_seconds"].as_f64().unwrap();
    assert!((offset - 42.05).abs() < 0.1, "{offset}");
    assert_eq!(v["assessment"]["level"], "severe");
    let servers = v["servers"].as_array().unwrap();
    assert_eq!(servers.len(), 3);
    assert_eq!(servers[0]["ok"], true);
    assert_eq!(servers[1]["ok"], false);
    assert!(
        servers[1]["error"].as_str().unwrap().contains("no answer"),
        "{}",
        servers[1]
    );
    assert_eq!(servers[2]["stratum"], 1);
}

#[test]
fn sntp_check_text_explains_a_large_offset() {
    let a = ntp_server(-12_000).to_string();
    let o = tessera(&["clock", "check", "--server", &a]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ahead"), "{out}");
    assert!(out.contains("Codes change every 30 s"), "{out}");
    assert!(out.contains("--clock-offset -12"), "{out}");
    // Within the threshold: no explanation of rejected codes.
    let a = ntp_server(300).to_string();
    let out = stdout(&tessera(&["clock", "check", "--server", &a]));
    assert!(out.contains("close enough for codes"), "{out}");
}

#[test]
fn no_server_answering_exits_1_with_the_offline_hint() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let quiet = silent.local_addr().unwrap().to_string();
    let o = tessera(&["clock", "check", "--server", &quiet, "--timeout", "0.3"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("error: no time server answered"), "{err}");
    assert!(err.contains("--trusted-time"), "{err}");
    assert!(stdout(&o).contains("failed"), "{}", stdout(&o));
    let o = tessera(&[
        "clock",
        "check",
        "--server",
        &quiet,
        "--timeout",
        "0.3",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["measured"], false);
}

#[test]
fn bad_input_exits_2() {
    for args in [
        &["clock", "check", "--server", "not a host"][..],
        &["clock", "check", "--timeout", "soon"],
        &["clock", "check", "--trusted-time", "teatime"],
        &["clock", "check", "--code", "123456"],
        &["clock", "check", "--code", "12345", "--secret", KEY],
        &[
            "clock",
            "check",
            "--code",
            "123456",
            "--secret",
            "not base32!",
        ],
        &[
            "clock", "check", "--code", "123456", "--secret", KEY, "--type", "hotp",
        ],
        &["code", "--secret", KEY, "--clock-offset", "a bit"],
    ] {
        let o = tessera(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("error: "), "{args:?}");
    }
}

#[test]
fn trusted_time_offline() {
    // At local 2026-11-22T22:30:15Z a UTC clock shows 22:30:57: 42 s behind (± 0.5 s).
    let o = tessera(&[
        "clock",
        "check",
        "--trusted-time",
        "2026-11-22T22:30:57Z",
        "--at",
        "1795386615",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["method"], "trusted-time");
    assert_eq!(v["offset_seconds"], 42.5);
    assert_eq!(
        (v["min_seconds"].as_f64(), v["max_seconds"].as_f64()),
        (Some(42.0), Some(43.0))
    );
    // A wall clock in Berlin (UTC+1) without a zone.
    let o = tessera(&[
        "clock",
        "check",
        "--trusted-time",
        "23:30:14",
        "--at",
        "1795386615",
    ]);
    let out = stdout(&o);
    assert!(out.contains("assumed UTC+01:00"), "{out}");
    assert!(out.contains("-0.500 s"), "{out}");
}

#[test]
fn accepted_code_offline_and_corrected_code() {
    let true_time = "1795386615";
    let code = stdout(&tessera(&["code", "--secret", KEY, "--at", true_time]))
        .trim()
        .to_string();
    // This computer's clock reads 95 s less than the service's when the code is accepted.
    let o = tessera(&[
        "clock",
        "check",
        "--code",
        &code,
        "--secret",
        KEY,
        "--at",
        "1795386520",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["method"], "code");
    assert_eq!(v["matches"][0]["steps_from_local"], 3);
    let offset = v["offset_seconds"].as_f64().unwrap();
    assert!((80.0..=110.0).contains(&offset), "{offset}");
    // Applying the measured offset reproduces the accepted code on the skewed clock.
    let o = tessera(&[
        "code",
        "--secret",
        KEY,
        "--at",
        "1795386520",
        "--clock-offset",
        &offset.to_string(),
    ]);
    assert_eq!(stdout(&o).trim(), code);
    assert!(stderr(&o).contains("Codes corrected"), "{}", stderr(&o));
    // Text output names the relation.
    let out = stdout(&tessera(&[
        "clock",
        "check",
        "--code",
        &code,
        "--secret",
        KEY,
        "--at",
        "1795386520",
    ]));
    assert!(out.contains("3 codes after"), "{out}");
    // A code that matches nowhere near: exit 1.
    let o = tessera(&[
        "clock",
        "check",
        "--code",
        &code,
        "--secret",
        KEY,
        "--at",
        "1795396520",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not match"), "{}", stderr(&o));
}

#[test]
fn accepted_code_from_a_uri() {
    let uri = format!("otpauth://totp/Trust:me@example.org?secret={KEY}&issuer=Trust&period=60");
    let code = stdout(&tessera(&["code", "--uri", &uri, "--at", "1795386615"]))
        .trim()
        .to_string();
    let o = tessera(&[
        "clock",
        "check",
        "--code",
        &code,
        "--uri",
        &uri,
        "--at",
        "1795386700",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["assessment"]["period"], 60);
    assert!(v["offset_seconds"].as_f64().unwrap() < -5.0, "{v}");
}
