//! Measuring the clock offset without a network: from the time a trusted clock shows, or from a code
//! that a service accepted. Hospital networks often block NTP, and a phone or a wall clock is at hand.

use super::offset::ClockOffset;
use crate::otp::{Generator, OtpKind};
use crate::time::days_from_civil;
use serde::Serialize;
use std::time::Duration;
use thiserror::Error;

const NANOS: i128 = 1_000_000_000;
/// Time zones are whole quarter hours from UTC, so a time typed without a zone tells the skew
/// modulo 15 minutes.
const ZONE_GRANULARITY: i128 = 15 * 60 * NANOS;
/// How far either side of the local time an accepted code is searched for by default.
pub const DEFAULT_CODE_WINDOW: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum OfflineError {
    #[error("{0:?} is not a time: type Unix seconds (1700000000), a date and time (2026-11-22T22:30:15Z or 2026-11-22 22:30:15+01:00) or a time of day (22:30:15)")]
    BadTime(String),
    #[error("HOTP codes do not depend on the time, so they cannot measure the clock; use a TOTP account")]
    NotTimeBased,
    #[error("{code:?} is not a code for this account: expected {expected}")]
    BadCode { code: String, expected: String },
    #[error("the code {code} does not match this key within {} minutes either side of this computer's time; check the key and the code, or the clock is further off than that", .window.as_secs() / 60)]
    NoMatch { code: String, window: Duration },
}

/// An offset measured offline, with the range the truth lies in (`min ≤ true offset ≤ max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OffsetEstimate {
    pub offset: ClockOffset,
    pub min: ClockOffset,
    pub max: ClockOffset,
    /// When the typed time had no zone: the UTC offset Tessera assumed for it, in seconds.
    pub assumed_zone_seconds: Option<i32>,
}

impl OffsetEstimate {
    /// Half the width of the range: how far the estimate may be off.
    pub fn uncertainty(&self) -> Duration {
        Duration::from_nanos(
            ((self.max.as_nanos() as i128 - self.min.as_nanos() as i128) / 2) as u64,
        )
    }
}

/// A time as typed from a trusted clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedTime {
    /// Unix nanoseconds; for a time without a zone, as if it were UTC (on the local day for a bare
    /// time of day, which does not matter: only its value modulo 15 minutes is used).
    pub unix_nanos: i128,
    /// The clock shows this much resolution: a display of `22:30:15` means 22:30:15.0 – 22:30:15.999.
    pub resolution_nanos: i128,
    pub zone_known: bool,
    /// Only a time of day was typed.
    pub time_of_day_only: bool,
}

/// Parses what a person types for "the time the trusted clock shows":
/// Unix seconds (`1700000000`, `1700000000.25`), an ISO 8601 date-time with or without zone
/// (`2026-11-22T22:30:15Z`, `2026-11-22 22:30:15+01:00`, `2026-11-22T22:30`), or a time of day
/// (`22:30:15`, `22:30`).
pub fn parse_trusted_time(input: &str) -> Result<TrustedTime, OfflineError> {
    let s = input.trim();
    let bad = || OfflineError::BadTime(input.to_string());
    if s.is_empty() {
        return Err(bad());
    }
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !s.contains(':') {
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        if whole.is_empty() || whole.len() > 12 || frac.len() > 9 || frac.contains('.') {
            return Err(bad());
        }
        let secs: i128 = whole.parse().map_err(|_| bad())?;
        let (frac_nanos, resolution) = fraction_nanos(frac).ok_or_else(bad)?;
        return Ok(TrustedTime {
            unix_nanos: secs * NANOS + frac_nanos,
            resolution_nanos: resolution,
            zone_known: true,
            time_of_day_only: false,
        });
    }
    if let Some((date, rest)) = split_date(s) {
        let (y, m, d) = parse_date(date).ok_or_else(bad)?;
        let (time, zone) = split_zone(rest).ok_or_else(bad)?;
        let (tod, resolution) = parse_time_of_day(time).ok_or_else(bad)?;
        let days = days_from_civil(y, m, d);
        let mut unix = days as i128 * 86_400 * NANOS + tod;
        if let Some(zone_secs) = zone {
            unix -= zone_secs as i128 * NANOS;
        }
        return Ok(TrustedTime {
            unix_nanos: unix,
            resolution_nanos: resolution,
            zone_known: zone.is_some(),
            time_of_day_only: false,
        });
    }
    let (tod, resolution) = parse_time_of_day(s).ok_or_else(bad)?;
    Ok(TrustedTime {
        unix_nanos: tod,
        resolution_nanos: resolution,
        zone_known: false,
        time_of_day_only: true,
    })
}

/// `.25` → (250 ms, 10 ms resolution); empty → (0, 1 s).
fn fraction_nanos(frac: &str) -> Option<(i128, i128)> {
    if frac.is_empty() {
        return Some((0, NANOS));
    }
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let scale = 10i128.pow(9 - frac.len() as u32);
    Some((frac.parse::<i128>().ok()? * scale, scale))
}

fn split_date(s: &str) -> Option<(&str, &str)> {
    let bytes = s.as_bytes();
    if bytes.len() > 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't' | b' ')
    {
        Some((&s[..10], s[11..].trim_start()))
    } else {
        None
    }
}

fn parse_date(date: &str) -> Option<(i64, u32, u32)> {
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1970..=2200).contains(&y)
        && (1..=12).contains(&m)
        && d >= 1
        && d <= days_in_month[m as usize - 1])
        .then_some((y, m, d))
}

/// Splits a trailing `Z` or `±HH:MM` / `±HHMM` / `±HH`; returns the zone as seconds east of UTC.
fn split_zone(s: &str) -> Option<(&str, Option<i32>)> {
    if let Some(time) = s.strip_suffix(['Z', 'z']) {
        return Some((time.trim_end(), Some(0)));
    }
    let Some(pos) = s.rfind(['+', '-']) else {
        return Some((s, None));
    };
    let (time, zone) = (s[..pos].trim_end(), &s[pos..]);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    (h <= 14 && m < 60).then_some((time, Some(sign * (h * 3600 + m * 60))))
}

/// `HH:MM[:SS[.fff]]` → (nanoseconds since midnight, display resolution).
fn parse_time_of_day(s: &str) -> Option<(i128, i128)> {
    let parts: Vec<&str> = s.split(':').collect();
    let two_digits =
        |p: &str| (p.len() == 2 || p.len() == 1) && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [h, m] if two_digits(h) && two_digits(m) => {
            let (h, m): (i128, i128) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60).then_some(((h * 3600 + m * 60) * NANOS, 60 * NANOS))
        }
        [h, m, sec] if two_digits(h) && two_digits(m) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            if !(whole.len() == 2 && whole.bytes().all(|b| b.is_ascii_digit())) {
                return None;
            }
            let (h, m, s): (i128, i128, i128) =
                (h.parse().ok()?, m.parse().ok()?, whole.parse().ok()?);
            let (frac_nanos, resolution) = fraction_nanos(frac)?;
            // 60 allows a leap second as some clocks show it.
            (h < 24 && m < 60 && s <= 60)
                .then_some(((h * 3600 + m * 60 + s) * NANOS + frac_nanos, resolution))
        }
        _ => None,
    }
}

/// The offset from a trusted clock that showed `trusted` when the local clock read `local_unix_nanos`.
/// Without a zone the nearest quarter-hour zone is assumed, which measures offsets up to ±7½ minutes.
pub fn offset_from_trusted_time(trusted: &TrustedTime, local_unix_nanos: i128) -> OffsetEstimate {
    let mut value = trusted.unix_nanos;
    if trusted.time_of_day_only {
        value += local_unix_nanos.div_euclid(86_400 * NANOS) * 86_400 * NANOS;
    }
    let res = trusted.resolution_nanos.max(1);
    // The clock shows the start of its current unit (22:30:15 means 22:30:15.000–.999): the truth is
    // in [value, value + res).
    let mut min = value - local_unix_nanos;
    let mut mid = min + res / 2;
    let mut zone = None;
    if !trusted.zone_known {
        let zone_nanos =
            (mid + ZONE_GRANULARITY / 2).div_euclid(ZONE_GRANULARITY) * ZONE_GRANULARITY;
        min -= zone_nanos;
        mid -= zone_nanos;
        zone = Some((zone_nanos / NANOS) as i32);
    }
    OffsetEstimate {
        offset: ClockOffset::from_nanos_i128(mid),
        min: ClockOffset::from_nanos_i128(min),
        max: ClockOffset::from_nanos_i128(min + res),
        assumed_zone_seconds: zone,
    }
}

/// One time step whose code equals the accepted code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepMatch {
    /// The TOTP time step (Unix time / period).
    pub step: u64,
    /// How many steps this is from the step of the local clock (negative: the local clock is ahead).
    pub steps_from_local: i64,
    pub estimate: OffsetEstimate,
}

/// Every step within the search window whose code matches, nearest to the local time first.
/// More than one match is possible (a 6-digit code repeats by chance about once in a million steps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeOffset {
    pub matches: Vec<StepMatch>,
}

impl CodeOffset {
    /// The match that assumes the smallest clock error: the sensible answer when ambiguous.
    pub fn nearest(&self) -> &StepMatch {
        &self.matches[0]
    }

    pub fn is_ambiguous(&self) -> bool {
        self.matches.len() > 1
    }
}

/// Cleans a typed code: drops spaces and dashes, upper-cases Steam codes, checks length and alphabet.
pub fn normalise_code(generator: &Generator, code: &str) -> Result<String, OfflineError> {
    let params = generator.params();
    let cleaned: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let (ok, expected) = match params.kind {
        OtpKind::Steam => {
            let up = cleaned.to_ascii_uppercase();
            let ok = up.len() == crate::otp::STEAM_DIGITS as usize
                && up.bytes().all(|b| crate::otp::STEAM_ALPHABET.contains(&b));
            return if ok {
                Ok(up)
            } else {
                Err(OfflineError::BadCode {
                    code: code.to_string(),
                    expected: "5 Steam Guard characters".into(),
                })
            };
        }
        _ => (
            cleaned.len() == params.digits as usize && cleaned.bytes().all(|b| b.is_ascii_digit()),
            format!("{} digits", params.digits),
        ),
    };
    if ok {
        Ok(cleaned)
    } else {
        Err(OfflineError::BadCode {
            code: code.to_string(),
            expected,
        })
    }
}

/// Finds the time steps within `window` of the local time whose code is `code`, and the clock offset
/// each implies. A code for step `s` is valid from `s·P` to `(s+1)·P`, so a code accepted (or read off a
/// trusted device) at local time `t` puts the offset in `[s·P − t, (s+1)·P − t]`. The estimate is 0 when
/// that range contains 0 (the clock is right to within one code), else the middle of the range, which
/// puts corrected codes in the middle of their validity.
pub fn offset_from_accepted_code(
    generator: &Generator,
    code: &str,
    local_unix_nanos: i128,
    window: Duration,
) -> Result<CodeOffset, OfflineError> {
    let params = *generator.params();
    if !params.kind.is_time_based() {
        return Err(OfflineError::NotTimeBased);
    }
    let code = normalise_code(generator, code)?;
    let period = params.period.max(1) as i128;
    let local_secs = local_unix_nanos.div_euclid(NANOS);
    let window_secs = window.as_secs() as i128;
    let local_step = local_secs.div_euclid(period);
    let first = (local_secs - window_secs).max(0).div_euclid(period);
    let last = (local_secs + window_secs).max(0).div_euclid(period);
    let mut matches: Vec<StepMatch> = (first..=last)
        .filter(|step| generator.code_for_counter(*step as u64) == code)
        .map(|step| {
            let min = step * period * NANOS - local_unix_nanos;
            let max = min + period * NANOS;
            let estimate = if min <= 0 && 0 <= max {
                0
            } else {
                min + period * NANOS / 2
            };
            StepMatch {
                step: step as u64,
                steps_from_local: (step - local_step) as i64,
                estimate: OffsetEstimate {
                    offset: ClockOffset::from_nanos_i128(estimate),
                    min: ClockOffset::from_nanos_i128(min),
                    max: ClockOffset::from_nanos_i128(max),
                    assumed_zone_seconds: None,
                },
            }
        })
        .collect();
    if matches.is_empty() {
        return Err(OfflineError::NoMatch { code, window });
    }
    matches.sort_by_key(|m| (m.steps_from_local.unsigned_abs(), m.steps_from_local));
    Ok(CodeOffset { matches })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;

    fn gen(params: OtpParams) -> Generator {
        Generator::new(
            &Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap(),
            params,
        )
        .unwrap()
    }

    #[test]
    fn parses_typed_times() {
        let t = parse_trusted_time("1700000000").unwrap();
        assert_eq!(
            (t.unix_nanos, t.resolution_nanos, t.zone_known),
            (1_700_000_000 * NANOS, NANOS, true)
        );
        let t = parse_trusted_time("1700000000.25").unwrap();
        assert_eq!(
            (t.unix_nanos, t.resolution_nanos),
            (1_700_000_000_250_000_000, 10_000_000)
        );
        let t = parse_trusted_time("2026-11-22T22:30:15Z").unwrap();
        assert_eq!(
            t.unix_nanos,
            (1_795_305_600 + 22 * 3600 + 30 * 60 + 15) * NANOS
        );
        assert!(t.zone_known);
        let t2 = parse_trusted_time("2026-11-22 23:30:15+01:00").unwrap();
        assert_eq!(t2.unix_nanos, t.unix_nanos);
        let t3 = parse_trusted_time("2026-11-22T17:30:15-0500").unwrap();
        assert_eq!(t3.unix_nanos, t.unix_nanos);
        let t = parse_trusted_time("2026-11-22T22:30").unwrap();
        assert_eq!((t.zone_known, t.resolution_nanos), (false, 60 * NANOS));
        let t = parse_trusted_time("7:05:09").unwrap();
        assert_eq!(
            (t.unix_nanos, t.time_of_day_only),
            ((7 * 3600 + 5 * 60 + 9) * NANOS, true)
        );
        for bad in [
            "",
            "noon",
            "25:00",
            "12:60",
            "2026-13-01T00:00Z",
            "2026-02-30T00:00Z",
            "1.2.3",
            "12:00:00+25:00",
            "2026-11-22T22:30:15+1",
        ] {
            assert!(parse_trusted_time(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn trusted_time_offsets_on_constructed_readings() {
        let local = 1_795_386_615 * NANOS + 300_000_000; // 2026-11-22T22:30:15.3Z on this computer
                                                         // A trusted clock (UTC) shows 22:30:57 → this computer is 41.7 s (± 0.5 s) behind.
        let e =
            offset_from_trusted_time(&parse_trusted_time("2026-11-22T22:30:57Z").unwrap(), local);
        assert_eq!(e.offset, ClockOffset::from_millis(42_200));
        assert_eq!(
            (e.min, e.max),
            (
                ClockOffset::from_millis(41_700),
                ClockOffset::from_millis(42_700)
            )
        );
        assert_eq!(e.uncertainty(), Duration::from_millis(500));
        assert_eq!(e.assumed_zone_seconds, None);
        // The same reading as a wall clock in UTC+1 without a zone: the zone is recovered.
        let e = offset_from_trusted_time(&parse_trusted_time("23:30:57").unwrap(), local);
        assert_eq!(e.offset, ClockOffset::from_millis(42_200));
        assert_eq!(e.assumed_zone_seconds, Some(3600));
        // India (UTC+5:30) and a clock 3 minutes ahead: typed 03:57:15 while local UTC is 22:30:15.3.
        let e = offset_from_trusted_time(&parse_trusted_time("03:57:15").unwrap(), local);
        assert_eq!(e.offset, ClockOffset::from_millis(-180_000 + 200));
        assert_eq!(e.assumed_zone_seconds, Some(5 * 3600 + 1800 - 86_400)); // the day wraps: −18:30 ≡ +5:30
                                                                            // Unix seconds with a fraction: exact to the typed resolution.
        let e = offset_from_trusted_time(&parse_trusted_time("1795386610.30").unwrap(), local);
        assert_eq!(e.offset, ClockOffset::from_millis(-5_000 + 5));
    }

    #[test]
    fn accepted_code_gives_the_step_and_offset() {
        let g = gen(OtpParams::totp());
        let true_now = 1_795_386_615i128; // step 59846220, 15 s into it
                                          // A laptop 95 s behind: the code accepted now (true step) is 3 steps ahead of the local one.
        let local = (true_now - 95) * NANOS;
        let code = g.code_at(true_now as u64).value;
        let found = offset_from_accepted_code(&g, &code, local, DEFAULT_CODE_WINDOW).unwrap();
        let m = found.nearest();
        assert_eq!(m.step, (true_now / 30) as u64);
        assert_eq!(m.steps_from_local, 3);
        // Truth (+95 s) is in the range, which is one period wide.
        assert!(
            m.estimate.min.as_nanos() <= 95 * NANOS as i64
                && 95 * NANOS as i64 <= m.estimate.max.as_nanos()
        );
        assert_eq!(
            m.estimate.max.as_nanos() - m.estimate.min.as_nanos(),
            30 * NANOS as i64
        );
        assert!(
            (m.estimate.offset.as_secs_f64() - 95.0).abs() <= 15.0,
            "{:?}",
            m.estimate.offset
        );
        // The corrected clock then shows the accepted code.
        let clock = super::super::CorrectedClock::with_offset(m.estimate.offset);
        assert_eq!(clock.code_at(&g, local).value, code);

        // A laptop 8 minutes ahead, spaces in the typed code.
        let local = (true_now + 480) * NANOS;
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        let m = *offset_from_accepted_code(&g, &spaced, local, DEFAULT_CODE_WINDOW)
            .unwrap()
            .nearest();
        assert_eq!(m.steps_from_local, -16);
        assert!((m.estimate.offset.as_secs_f64() + 480.0).abs() <= 15.0);

        // Right clock: same step, estimate 0.
        let m = *offset_from_accepted_code(&g, &code, true_now * NANOS, DEFAULT_CODE_WINDOW)
            .unwrap()
            .nearest();
        assert_eq!(
            (m.steps_from_local, m.estimate.offset),
            (0, ClockOffset::ZERO)
        );

        // Outside the window: no match, with a helpful error.
        let far = (true_now + 3600) * NANOS;
        assert!(matches!(
            offset_from_accepted_code(&g, &code, far, DEFAULT_CODE_WINDOW),
            Err(OfflineError::NoMatch { .. })
        ));
    }

    #[test]
    fn steam_and_bad_codes() {
        let g = gen(OtpParams::steam());
        let code = g.code_at(1_795_386_615).value.to_ascii_lowercase();
        let m = *offset_from_accepted_code(
            &g,
            &code,
            (1_795_386_615 - 40) * NANOS,
            DEFAULT_CODE_WINDOW,
        )
        .unwrap()
        .nearest();
        assert!(m.steps_from_local >= 1);
        let g6 = gen(OtpParams::totp());
        for bad in ["12345", "1234567", "12a456", ""] {
            assert!(
                matches!(
                    offset_from_accepted_code(&g6, bad, 0, DEFAULT_CODE_WINDOW),
                    Err(OfflineError::BadCode { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            offset_from_accepted_code(&gen(OtpParams::hotp(1)), "123456", 0, DEFAULT_CODE_WINDOW),
            Err(OfflineError::NotTimeBased)
        );
    }

    #[test]
    fn ambiguous_codes_report_every_match_nearest_first() {
        // Find, deterministically, a key whose 6-digit code repeats within ±10 minutes of a fixed time
        // (about 1 key in 1 200 does), and check both steps are reported.
        let local = 1_795_386_615i128;
        let (g, a, b) = (0u32..200_000)
            .find_map(|i| {
                let secret = Secret::from_bytes(i.to_be_bytes().to_vec()).unwrap();
                let g = Generator::new(&secret, OtpParams::totp()).unwrap();
                let steps: Vec<i128> = ((local - 600) / 30..=(local + 600) / 30).collect();
                let codes: Vec<String> = steps
                    .iter()
                    .map(|s| g.code_for_counter(*s as u64))
                    .collect();
                for i in 0..codes.len() {
                    for j in i + 1..codes.len() {
                        if codes[i] == codes[j] {
                            return Some((g.clone(), steps[i], steps[j]));
                        }
                    }
                }
                None
            })
            .expect("a colliding key exists among the first 200 000");
        let code = g.code_for_counter(a as u64);
        let found =
            offset_from_accepted_code(&g, &code, local * NANOS, DEFAULT_CODE_WINDOW).unwrap();
        assert!(found.is_ambiguous());
        let steps: Vec<u64> = found.matches.iter().map(|m| m.step).collect();
        assert!(
            steps.contains(&(a as u64)) && steps.contains(&(b as u64)),
            "{steps:?}"
        );
        let local_step = local / 30;
        let nearest = found.nearest().step as i128;
        assert!((nearest - local_step).abs() <= (a - local_step).abs().min((b - local_step).abs()));
    }
}
