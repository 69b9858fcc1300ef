//! Time in one place: "now" as Unix seconds (or nanoseconds), and the UTC calendar that turns those
//! numbers into the dates people read, the times files record and the stamps in file names.
//!
//! Every date Tessera writes is UTC, so no time-zone database is needed; the calendar is Howard
//! Hinnant's proleptic Gregorian day arithmetic. Several outputs are contracts (backup file names,
//! the RFC 3339 fields of the backup status file, the dates on the emergency sheet), so each has one
//! function here and a test that pins its exact text.

use std::time::{SystemTime, UNIX_EPOCH};

const SECONDS_PER_DAY: u64 = 86_400;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The current Unix time in seconds (0 if the clock reads before 1970).
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The current Unix time in milliseconds (0 if the clock reads before 1970).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Unix nanoseconds of a `SystemTime` (negative before 1970).
pub fn unix_nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// The local clock now, in Unix nanoseconds.
pub fn local_unix_nanos_now() -> i128 {
    unix_nanos(SystemTime::now())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A moment in UTC, split into calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl UtcDateTime {
    pub fn from_unix(unix: u64) -> UtcDateTime {
        let (year, month, day) = civil_from_days((unix / SECONDS_PER_DAY) as i64);
        let secs = unix % SECONDS_PER_DAY;
        UtcDateTime {
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs % 3600 / 60) as u32,
            second: (secs % 60) as u32,
        }
    }

    /// Unix seconds, or `None` for fields out of range (a 13th month, a 25th hour) or before 1970.
    /// A 60th second is allowed, as some clocks show a leap second.
    pub fn to_unix(self) -> Option<u64> {
        let ok = (1..=12).contains(&self.month)
            && (1..=31).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second <= 60;
        if !ok {
            return None;
        }
        let days = days_from_civil(self.year, self.month, self.day);
        let secs = days * SECONDS_PER_DAY as i64
            + i64::from(self.hour * 3600 + self.minute * 60 + self.second);
        u64::try_from(secs).ok()
    }
}

/// `2026-11-22 22:30 UTC`: dates people read (when a key changed, when a code was used).
pub fn format_utc(unix: u64) -> String {
    let t = UtcDateTime::from_unix(unix);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// `2026-12-05`: the UTC day, as export file names carry it.
pub fn iso_date(unix: u64) -> String {
    let t = UtcDateTime::from_unix(unix);
    format!("{:04}-{:02}-{:02}", t.year, t.month, t.day)
}

/// `20261205-162000`: the UTC moment as automatic-backup file names carry it (sorts as it reads).
pub fn file_stamp(unix: u64) -> String {
    let t = UtcDateTime::from_unix(unix);
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// "5 December 2026" (UTC): the date on the emergency sheet.
pub fn date_in_words(unix: u64) -> String {
    let t = UtcDateTime::from_unix(unix);
    format!("{} {} {}", t.day, MONTHS[t.month as usize - 1], t.year)
}

/// RFC 3339 in UTC, e.g. `2026-12-05T16:20:00Z` (the times the backup status file records).
pub fn rfc3339(unix: u64) -> String {
    let t = UtcDateTime::from_unix(unix);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// Unix seconds from the RFC 3339 times [`rfc3339`] writes (`2026-12-05T16:20:00Z`; an offset or a
/// fraction is not expected and gives `None`).
pub fn parse_rfc3339(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = &text[r];
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    UtcDateTime {
        year: i64::from(n(0..4)?),
        month: n(5..7)?,
        day: n(8..10)?,
        hour: n(11..13)?,
        minute: n(14..16)?,
        second: n(17..19)?,
    }
    .to_unix()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        // 2026-11-22T00:00:00Z = 1795305600
        assert_eq!(days_from_civil(2026, 11, 22) * 86_400, 1_795_305_600);
        for days in [-1, 0, 59, 60, 11_016, 11_017, 20_779, 47_540, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        assert_eq!(civil_from_days(20_779), (2026, 11, 22));
    }

    /// The exact texts are contracts: file names, JSON fields and the sheet depend on them.
    #[test]
    fn every_format_pins_its_text() {
        assert_eq!(format_utc(1_795_386_615), "2026-11-22 22:30 UTC");
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(iso_date(1_795_386_615), "2026-11-22");
        assert_eq!(file_stamp(1_764_951_000), "20251205-161000");
        assert_eq!(file_stamp(1_764_951_009), "20251205-161009");
        assert_eq!(rfc3339(1_764_951_000), "2025-12-05T16:10:00Z");
        assert_eq!(date_in_words(0), "1 January 1970");
        assert_eq!(date_in_words(1_764_951_000), "5 December 2025");
        assert_eq!(date_in_words(1_795_386_615), "22 November 2026");
    }

    #[test]
    fn fields_round_trip_at_the_edges_of_days() {
        for t in [
            0,
            59,
            86_399,
            86_400,
            951_782_400,
            1_764_951_000,
            4_102_444_799,
        ] {
            let f = UtcDateTime::from_unix(t);
            assert_eq!(f.to_unix(), Some(t), "{t}");
        }
        // 2000-02-29 (a leap day) and the day after.
        let leap = UtcDateTime::from_unix(951_782_400);
        assert_eq!((leap.year, leap.month, leap.day), (2000, 2, 29));
        let next = UtcDateTime::from_unix(951_782_400 + 86_400);
        assert_eq!((next.month, next.day), (3, 1));
    }

    #[test]
    fn rfc3339_round_trip() {
        for t in [0, 1_764_951_000, 2_000_000_000] {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        }
        assert_eq!(parse_rfc3339("2026-12-05T16:20:00+01:00"), None);
        assert_eq!(parse_rfc3339("2026-13-05T16:20:00Z"), None);
        assert_eq!(parse_rfc3339("2026-12-05T24:00:00Z"), None);
        assert_eq!(parse_rfc3339("2026-12-05T16:2x:00Z"), None);
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), None);
    }

    #[test]
    fn now_is_after_these_tests_were_written() {
        assert!(now_unix() > 1_764_000_000);
        let before_1970 = UNIX_EPOCH - std::time::Duration::from_secs(2);
        assert_eq!(unix_nanos(before_1970), -2_000_000_000);
        let nanos = local_unix_nanos_now();
        assert!((nanos / 1_000_000_000 - now_unix() as i128).abs() <= 1);
    }
}
