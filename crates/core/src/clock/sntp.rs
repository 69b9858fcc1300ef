//! A small SNTP client (RFC 4330, client mode of RFC 5905) over a plain UDP socket.
//!
//! It asks several servers at once and never trusts a single one: the measured offset is the median
//! of the servers that answered, and each server's result (or why it failed) is reported. Every query
//! has a short time-out and the whole check is bounded by it, so a caller on a background thread is
//! never stuck behind a slow DNS lookup or a firewall that drops NTP (common on hospital networks).

use super::ntp::{offset_and_delay, NtpTimestamp, Packet, LEAP_ALARM, MODE_SERVER, NTP_PORT};
use super::offset::ClockOffset;
use crate::time::local_unix_nanos_now;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs, UdpSocket};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use thiserror::Error;

/// Public servers run by different operators, so one bad source is outvoted.
pub const DEFAULT_SERVERS: &[&str] = &[
    "time.cloudflare.com",
    "time.google.com",
    "pool.ntp.org",
    "time.apple.com",
];
/// Long enough for a distant server, short enough that nobody waits on a blocked network.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(1500);

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SntpError {
    #[error("{0:?} is not a server name or address (use HOST or HOST:PORT)")]
    BadServer(String),
    #[error("could not look up {server}: {reason}")]
    Resolve { server: String, reason: String },
    #[error("no answer from {server} within {} ms (the network may block NTP, UDP port 123)", .after.as_millis())]
    TimedOut { server: String, after: Duration },
    #[error("{server} refused the query (nothing is listening on that port)")]
    Refused { server: String },
    #[error("network error talking to {server}: {reason}")]
    Io { server: String, reason: String },
    #[error("{server} asked us to go away (kiss code {code}); try another server")]
    KissOfDeath { server: String, code: String },
    #[error("{server} says its own clock is not synchronised")]
    Unsynchronised { server: String },
    #[error("{server} sent an invalid reply: {reason}")]
    BadReply { server: String, reason: String },
}

/// One server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SntpSample {
    pub server: String,
    pub address: SocketAddr,
    /// Correct time minus local time, by this server.
    pub offset: ClockOffset,
    /// Round-trip delay on the network (excluding the server's processing time).
    pub delay: Duration,
    pub stratum: u8,
}

/// What happened with one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOutcome {
    pub server: String,
    pub result: Result<SntpSample, SntpError>,
}

/// All servers' outcomes, in the order they were configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SntpReport {
    pub outcomes: Vec<ServerOutcome>,
}

impl SntpReport {
    pub fn answered(&self) -> impl Iterator<Item = &SntpSample> {
        self.outcomes.iter().filter_map(|o| o.result.as_ref().ok())
    }

    pub fn failed(&self) -> impl Iterator<Item = (&str, &SntpError)> {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().err().map(|e| (o.server.as_str(), e)))
    }

    /// The median of the answering servers' offsets (mean of the middle two for an even count).
    pub fn offset(&self) -> Option<ClockOffset> {
        median(self.answered().map(|s| s.offset.as_nanos()).collect())
            .map(ClockOffset::from_nanos_i128)
    }

    /// Largest minus smallest offset among the answers: how much the servers disagree.
    pub fn spread(&self) -> Option<Duration> {
        let offsets: Vec<i64> = self.answered().map(|s| s.offset.as_nanos()).collect();
        let (min, max) = (offsets.iter().min()?, offsets.iter().max()?);
        Some(Duration::from_nanos((*max as i128 - *min as i128) as u64))
    }
}

fn median(mut values: Vec<i64>) -> Option<i128> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid] as i128
    } else {
        (values[mid - 1] as i128 + values[mid] as i128) / 2
    })
}

/// Splits `HOST`, `HOST:PORT`, `IPv4[:PORT]`, `IPv6` or `[IPv6]:PORT` into host and port (123 by default).
pub fn parse_server(server: &str) -> Result<(String, u16), SntpError> {
    let s = server.trim();
    let bad = || SntpError::BadServer(server.to_string());
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok((addr.ip().to_string(), addr.port()));
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok((ip.to_string(), NTP_PORT));
    }
    if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return inner
            .parse::<IpAddr>()
            .map(|ip| (ip.to_string(), NTP_PORT))
            .map_err(|_| bad());
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().map_err(|_| bad())?),
        None => (s, NTP_PORT),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_');
    if !host_ok || port == 0 {
        return Err(bad());
    }
    Ok((host.to_string(), port))
}

/// Queries one server, waiting at most `timeout` for the answer (the DNS lookup is not bounded here;
/// [`query_servers`] bounds the whole check).
pub fn query_server(server: &str, timeout: Duration) -> Result<SntpSample, SntpError> {
    let (host, port) = parse_server(server)?;
    let addrs: Vec<SocketAddr> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| SntpError::Resolve {
            server: server.to_string(),
            reason: e.to_string(),
        })?
        .collect();
    // Prefer IPv4: many networks route IPv6 badly, and one address per server is enough.
    let addr = addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| SntpError::Resolve {
            server: server.to_string(),
            reason: "no addresses".into(),
        })?;
    query_address(server, addr, timeout)
}

fn io_error(server: &str, e: std::io::Error) -> SntpError {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => SntpError::Refused {
            server: server.to_string(),
        },
        _ => SntpError::Io {
            server: server.to_string(),
            reason: e.to_string(),
        },
    }
}

/// One exchange with `addr`. Replies that do not echo our transmit timestamp (late answers to an
/// earlier query, spoofed packets) are ignored while the time-out lasts.
pub fn query_address(
    server: &str,
    addr: SocketAddr,
    timeout: Duration,
) -> Result<SntpSample, SntpError> {
    let bind: SocketAddr = if addr.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    }
    .parse()
    .expect("literal");
    let socket = UdpSocket::bind(bind).map_err(|e| io_error(server, e))?;
    // connect() makes the kernel drop datagrams from other addresses and report ICMP "port unreachable".
    socket.connect(addr).map_err(|e| io_error(server, e))?;

    // t1 comes from the system clock (that is what we measure); t4 is t1 plus monotonic elapsed time,
    // so a clock step during the exchange cannot distort the result.
    let t1 = local_unix_nanos_now();
    let started = Instant::now();
    let t1_wire = NtpTimestamp::from_unix_nanos(t1);
    socket
        .send(&Packet::client_request(t1_wire).encode())
        .map_err(|e| io_error(server, e))?;

    let deadline = started + timeout;
    let mut buf = [0u8; 512];
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(SntpError::TimedOut {
                server: server.to_string(),
                after: timeout,
            });
        }
        socket
            .set_read_timeout(Some(remaining))
            .map_err(|e| io_error(server, e))?;
        let len = match socket.recv(&mut buf) {
            Ok(len) => len,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(SntpError::TimedOut {
                    server: server.to_string(),
                    after: timeout,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(server, e)),
        };
        let t4 = t1 + started.elapsed().as_nanos() as i128;
        let Some(reply) = Packet::decode(&buf[..len]) else {
            continue;
        };
        if reply.origin != t1_wire {
            continue; // not an answer to this query
        }
        return sample_from_reply(server, addr, &reply, t1, t4);
    }
}

/// Checks a reply that answers our query and turns it into a sample (RFC 4330 §5 sanity checks).
pub fn sample_from_reply(
    server: &str,
    addr: SocketAddr,
    reply: &Packet,
    t1: i128,
    t4: i128,
) -> Result<SntpSample, SntpError> {
    let bad = |reason: &str| SntpError::BadReply {
        server: server.to_string(),
        reason: reason.to_string(),
    };
    if reply.mode != MODE_SERVER {
        return Err(bad(&format!("mode {} instead of 4 (server)", reply.mode)));
    }
    if !(1..=4).contains(&reply.version) {
        return Err(bad(&format!("unknown NTP version {}", reply.version)));
    }
    if reply.stratum == 0 {
        let code = reply.reference_text().unwrap_or_else(|| "unknown".into());
        return Err(SntpError::KissOfDeath {
            server: server.to_string(),
            code,
        });
    }
    if reply.leap == LEAP_ALARM || reply.stratum > 15 {
        return Err(SntpError::Unsynchronised {
            server: server.to_string(),
        });
    }
    if reply.transmit.is_zero() || reply.receive.is_zero() {
        return Err(bad("missing timestamps"));
    }
    let (t2, t3) = (
        reply.receive.to_unix_nanos(),
        reply.transmit.to_unix_nanos(),
    );
    if t3 < t2 {
        return Err(bad(
            "the server says it answered before it received the query",
        ));
    }
    let (offset, delay) = offset_and_delay(t1, t2, t3, t4);
    Ok(SntpSample {
        server: server.to_string(),
        address: addr,
        offset: ClockOffset::from_nanos_i128(offset),
        // Negative delays come from clock granularity on very fast links: count them as zero.
        delay: Duration::from_nanos(delay.max(0) as u64),
        stratum: reply.stratum,
    })
}

/// Which servers to ask and how long to wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SntpConfig {
    pub servers: Vec<String>,
    pub timeout: Duration,
}

impl Default for SntpConfig {
    fn default() -> Self {
        SntpConfig {
            servers: DEFAULT_SERVERS.iter().map(|s| s.to_string()).collect(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// Asks every configured server at once and returns when all have answered or failed, or when the
/// time-out (plus a little for thread start-up) has passed, whichever is first. Servers still
/// resolving or waiting by then are reported as timed out; their threads finish on their own.
pub fn query_servers(config: &SntpConfig) -> SntpReport {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    for (index, server) in config.servers.iter().enumerate() {
        let tx = tx.clone();
        let server = server.clone();
        let timeout = config.timeout;
        std::thread::spawn(move || {
            let result = query_server(&server, timeout);
            let _ = tx.send((index, result)); // the receiver may have stopped waiting
        });
    }
    drop(tx);
    let mut results: Vec<Option<Result<SntpSample, SntpError>>> = vec![None; config.servers.len()];
    let deadline = started + config.timeout + Duration::from_millis(200);
    while results.iter().any(Option::is_none) {
        let remaining = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(remaining) {
            Ok((index, result)) => results[index] = Some(result),
            Err(_) => break,
        }
    }
    let outcomes = config
        .servers
        .iter()
        .zip(results)
        .map(|(server, result)| ServerOutcome {
            server: server.clone(),
            result: result.unwrap_or_else(|| {
                Err(SntpError::TimedOut {
                    server: server.clone(),
                    after: config.timeout,
                })
            }),
        })
        .collect();
    SntpReport { outcomes }
}

/// Runs [`query_servers`] on a background thread and returns at once: the UI polls or awaits the
/// receiver and never blocks. The report arrives within the time-out (plus thread start-up).
pub fn spawn_check(config: SntpConfig) -> mpsc::Receiver<SntpReport> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(query_servers(&config));
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_strings() {
        let ok = |s: &str, host: &str, port: u16| {
            assert_eq!(parse_server(s).unwrap(), (host.to_string(), port), "{s}")
        };
        ok("pool.ntp.org", "pool.ntp.org", 123);
        ok("ntp.nhs.example:1123", "ntp.nhs.example", 1123);
        ok("127.0.0.1", "127.0.0.1", 123);
        ok("127.0.0.1:9", "127.0.0.1", 9);
        ok("::1", "::1", 123);
        ok("[::1]", "::1", 123);
        ok("[::1]:5123", "::1", 5123);
        ok(" time.google.com ", "time.google.com", 123);
        for bad in [
            "",
            "host:",
            "host:99999",
            "host:0",
            "a b",
            "http://x",
            "[nope]",
        ] {
            assert!(
                matches!(parse_server(bad), Err(SntpError::BadServer(_))),
                "{bad:?}"
            );
        }
    }

    fn sample(offset_ms: i64) -> ServerOutcome {
        ServerOutcome {
            server: format!("s{offset_ms}"),
            result: Ok(SntpSample {
                server: format!("s{offset_ms}"),
                address: "127.0.0.1:123".parse().unwrap(),
                offset: ClockOffset::from_millis(offset_ms),
                delay: Duration::from_millis(10),
                stratum: 2,
            }),
        }
    }

    #[test]
    fn median_outvotes_a_bad_source() {
        let failed = ServerOutcome {
            server: "down".into(),
            result: Err(SntpError::TimedOut {
                server: "down".into(),
                after: DEFAULT_TIMEOUT,
            }),
        };
        // One server 1 hour off among three that agree: the median ignores it.
        let report = SntpReport {
            outcomes: vec![
                sample(3_600_000),
                sample(12_010),
                sample(11_990),
                sample(12_000),
                failed,
            ],
        };
        assert_eq!(report.offset(), Some(ClockOffset::from_millis(12_005)));
        assert_eq!(report.answered().count(), 4);
        assert_eq!(
            report.failed().map(|(s, _)| s).collect::<Vec<_>>(),
            vec!["down"]
        );
        assert_eq!(
            report.spread(),
            Some(Duration::from_millis(3_600_000 - 11_990))
        );
        let report = SntpReport {
            outcomes: vec![sample(-200), sample(100), sample(50)],
        };
        assert_eq!(report.offset(), Some(ClockOffset::from_millis(50)));
        assert_eq!(SntpReport { outcomes: vec![] }.offset(), None);
    }

    #[test]
    fn reply_checks() {
        let addr: SocketAddr = "127.0.0.1:123".parse().unwrap();
        let t1 = 1_700_000_000_000_000_000i128;
        let good = Packet {
            version: 4,
            mode: MODE_SERVER,
            stratum: 2,
            origin: NtpTimestamp::from_unix_nanos(t1),
            receive: NtpTimestamp::from_unix_nanos(t1 + 7_005_000_000),
            transmit: NtpTimestamp::from_unix_nanos(t1 + 7_006_000_000),
            ..Packet::default()
        };
        let s = sample_from_reply("x", addr, &good, t1, t1 + 12_000_000).unwrap();
        // θ = ((7.005 − 0) + (7.006 − 0.012)) / 2 = 6.9995 s; δ = 12 ms − 1 ms of server processing.
        assert!(
            (s.offset.as_nanos() - 6_999_500_000).abs() <= 2,
            "{:?}",
            s.offset
        );
        assert!(
            (s.delay.as_nanos() as i64 - 11_000_000).abs() <= 2,
            "{:?}",
            s.delay
        );
        let check = |p: Packet| sample_from_reply("x", addr, &p, t1, t1 + 12_000_000).unwrap_err();
        assert!(
            matches!(check(Packet { stratum: 0, reference_id: *b"DENY", ..good }),
            SntpError::KissOfDeath { code, .. } if code == "DENY")
        );
        assert!(matches!(
            check(Packet { leap: 3, ..good }),
            SntpError::Unsynchronised { .. }
        ));
        assert!(matches!(
            check(Packet { mode: 3, ..good }),
            SntpError::BadReply { .. }
        ));
        assert!(matches!(
            check(Packet {
                transmit: NtpTimestamp(0),
                ..good
            }),
            SntpError::BadReply { .. }
        ));
        assert!(matches!(
            check(Packet {
                receive: good.transmit,
                transmit: good.receive,
                ..good
            }),
            SntpError::BadReply { .. }
        ));
    }
}
