//! The SNTP client against small NTP responders this test starts on 127.0.0.1. No outside network.

use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant};
use tessera_core::clock::ntp::{NtpTimestamp, Packet, MODE_SERVER};
use tessera_core::clock::sntp::{query_address, query_servers, spawn_check, SntpConfig, SntpError};
use tessera_core::time::local_unix_nanos_now;

const NANOS: i128 = 1_000_000_000;

#[derive(Clone, Copy)]
enum Behaviour {
    /// Answer with the local clock shifted by this many nanoseconds.
    Shifted(i128),
    /// Like `Shifted`, but hold the request this long before answering (server processing time).
    SlowShifted(i128, Duration),
    /// First send a reply that does not echo the request (stale or spoofed), then the real one.
    StaleThenShifted(i128),
    /// Answer with stratum 0 and a kiss code.
    Kiss(&'static [u8; 4]),
}

/// Starts a responder that answers `requests` queries, then exits. Returns its address.
fn responder(behaviour: Behaviour, requests: usize) -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0u8; 128];
        for _ in 0..requests {
            let Ok((len, from)) = socket.recv_from(&mut buf) else {
                return;
            };
            let request = Packet::decode(&buf[..len]).expect("a 48-byte request");
            assert_eq!(request.mode, 3, "the client sends mode 3");
            assert_eq!(request.version, 4, "the client speaks NTPv4");
            let (shift, hold) = match behaviour {
                Behaviour::Shifted(s) | Behaviour::StaleThenShifted(s) => (s, Duration::ZERO),
                Behaviour::SlowShifted(s, hold) => (s, hold),
                Behaviour::Kiss(_) => (0, Duration::ZERO),
            };
            let receive = NtpTimestamp::from_unix_nanos(local_unix_nanos_now() + shift);
            thread::sleep(hold);
            let mut reply = Packet {
                version: 4,
                mode: MODE_SERVER,
                stratum: 2,
                precision: -20,
                reference_id: [127, 0, 0, 1],
                reference: receive,
                origin: request.transmit,
                receive,
                transmit: NtpTimestamp::from_unix_nanos(local_unix_nanos_now() + shift),
                ..Packet::default()
            };
            if let Behaviour::Kiss(code) = behaviour {
                reply.stratum = 0;
                reply.reference_id = *code;
            }
            if let Behaviour::StaleThenShifted(_) = behaviour {
                // A reply to "another" query, 1 hour off: the client must not take it.
                let stale = Packet {
                    origin: NtpTimestamp(request.transmit.0 ^ 0xdead_beef),
                    receive: NtpTimestamp::from_unix_nanos(local_unix_nanos_now() + 3600 * NANOS),
                    transmit: NtpTimestamp::from_unix_nanos(local_unix_nanos_now() + 3600 * NANOS),
                    ..reply
                };
                socket.send_to(&stale.encode(), from).unwrap();
            }
            socket.send_to(&reply.encode(), from).unwrap();
        }
    });
    addr
}

/// A bound socket that never answers; kept alive by the returned handle.
fn silent() -> (UdpSocket, SocketAddr) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = socket.local_addr().unwrap();
    (socket, addr)
}

const TOLERANCE: i128 = 50_000_000; // 50 ms: loopback on a busy 2-core machine

#[test]
fn measures_a_shifted_server_within_tolerance() {
    for shift in [
        42 * NANOS + 250_000_000,
        -(3 * 3600 * NANOS) - 17,
        0,
        4_000_000_000,
    ] {
        let addr = responder(Behaviour::Shifted(shift), 1);
        let sample = query_address("loopback", addr, Duration::from_secs(2)).unwrap();
        let error = sample.offset.as_nanos() as i128 - shift;
        assert!(
            error.abs() < TOLERANCE,
            "shift {shift} ns measured as {:?}",
            sample.offset
        );
        assert!(
            sample.delay < Duration::from_millis(200),
            "{:?}",
            sample.delay
        );
        assert_eq!((sample.stratum, sample.address), (2, addr));
    }
}

#[test]
fn server_processing_time_is_not_counted_as_offset_or_delay() {
    let shift = -7 * NANOS;
    let addr = responder(Behaviour::SlowShifted(shift, Duration::from_millis(300)), 1);
    let sample = query_address("slow", addr, Duration::from_secs(3)).unwrap();
    assert!(
        (sample.offset.as_nanos() as i128 - shift).abs() < TOLERANCE,
        "{:?}",
        sample.offset
    );
    // The 300 ms hold is between t2 and t3, so δ excludes it.
    assert!(
        sample.delay < Duration::from_millis(200),
        "{:?}",
        sample.delay
    );
}

#[test]
fn ignores_replies_that_do_not_answer_our_query() {
    let addr = responder(Behaviour::StaleThenShifted(9 * NANOS), 1);
    let sample = query_address("stale", addr, Duration::from_secs(2)).unwrap();
    assert!(
        (sample.offset.as_nanos() as i128 - 9 * NANOS).abs() < TOLERANCE,
        "{:?}",
        sample.offset
    );
}

#[test]
fn kiss_of_death_is_reported() {
    let addr = responder(Behaviour::Kiss(b"RATE"), 1);
    let err = query_address("kissy", addr, Duration::from_secs(2)).unwrap_err();
    assert_eq!(
        err,
        SntpError::KissOfDeath {
            server: "kissy".into(),
            code: "RATE".into()
        }
    );
    assert!(err.to_string().contains("RATE"));
}

#[test]
fn silent_server_times_out() {
    let (_keep, addr) = silent();
    let timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = query_address("silent", addr, timeout).unwrap_err();
    // It waited for the time-out rather than giving up early (a lower bound, not a speed claim).
    assert!(started.elapsed() >= timeout);
    assert_eq!(
        err,
        SntpError::TimedOut {
            server: "silent".into(),
            after: timeout
        }
    );
    assert!(err.to_string().contains("300 ms"), "{err}");
}

#[test]
fn closed_port_fails_without_an_answer() {
    let (socket, addr) = silent();
    drop(socket);
    // Linux reports ICMP port-unreachable as "refused"; other systems may only time out.
    let err = query_address("closed", addr, Duration::from_millis(300)).unwrap_err();
    assert!(
        matches!(err, SntpError::Refused { .. } | SntpError::TimedOut { .. }),
        "{err:?}"
    );
}

#[test]
fn several_servers_median_and_failures() {
    let shift = 42 * NANOS;
    let a = responder(Behaviour::Shifted(shift), 1);
    let b = responder(Behaviour::Shifted(shift + 20_000_000), 1);
    let liar = responder(Behaviour::Shifted(-3600 * NANOS), 1);
    let (_keep, quiet) = silent();
    let config = SntpConfig {
        servers: vec![
            a.to_string(),
            liar.to_string(),
            quiet.to_string(),
            b.to_string(),
            "bad host!".into(),
        ],
        timeout: Duration::from_millis(500),
    };
    let report = query_servers(&config);
    assert_eq!(report.outcomes.len(), 5);
    assert_eq!(report.answered().count(), 3);
    let failed: Vec<&str> = report.failed().map(|(s, _)| s).collect();
    assert_eq!(failed, vec![quiet.to_string().as_str(), "bad host!"]);
    assert!(matches!(
        report.outcomes[2].result,
        Err(SntpError::TimedOut { .. })
    ));
    assert!(matches!(
        report.outcomes[4].result,
        Err(SntpError::BadServer(_))
    ));
    // The median of (+42, +42.02, −3600) is the middle one: the liar is outvoted.
    let median = report.offset().unwrap().as_nanos() as i128;
    assert!((median - shift).abs() < TOLERANCE + 20_000_000, "{median}");
    assert!(report.spread().unwrap() > Duration::from_secs(3600));
}

/// Prints the measured accuracy on loopback (run with `--nocapture` to see it); asserts only correctness.
#[test]
fn loopback_accuracy_numbers() {
    let shift = 123 * NANOS + 456_789_000;
    let runs = 20;
    let addr = responder(Behaviour::Shifted(shift), runs);
    let mut errors = Vec::new();
    let mut delays = Vec::new();
    for _ in 0..runs {
        let s = query_address("loopback", addr, Duration::from_secs(2)).unwrap();
        errors.push((s.offset.as_nanos() as i128 - shift).abs());
        delays.push(s.delay.as_nanos());
    }
    errors.sort_unstable();
    delays.sort_unstable();
    eprintln!(
        "loopback SNTP over {runs} queries: |offset error| median {} µs, max {} µs; round-trip median {} µs, max {} µs",
        errors[runs / 2] / 1000,
        errors[runs - 1] / 1000,
        delays[runs / 2] / 1000,
        delays[runs - 1] / 1000
    );
    assert!(errors[runs - 1] < TOLERANCE);
}

#[test]
fn background_check_reports_through_a_channel() {
    let addr = responder(Behaviour::Shifted(-2 * NANOS), 1);
    let rx = spawn_check(SntpConfig {
        servers: vec![addr.to_string()],
        timeout: Duration::from_secs(2),
    });
    let report = rx.recv().expect("the check always reports");
    let offset = report.offset().unwrap().as_nanos() as i128;
    assert!((offset + 2 * NANOS).abs() < TOLERANCE, "{offset}");
}
