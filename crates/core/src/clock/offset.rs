//! How far this computer's clock is off, whether that matters for codes, and how to correct for it.

use crate::otp::{Code, Generator};
use crate::time::local_unix_nanos_now;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

const NANOS: i128 = 1_000_000_000;

/// Codes may be rejected once the clock is off by more than this; below it the offset is noise
/// (network jitter, a clock read by eye) and not worth a warning.
pub const DEFAULT_WARN_THRESHOLD: Duration = Duration::from_secs(5);

/// The offset of this computer's clock: the correct time minus the local time.
/// Positive means the local clock is behind (add the offset to get the correct time).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct ClockOffset {
    nanos: i64,
}

impl ClockOffset {
    pub const ZERO: ClockOffset = ClockOffset { nanos: 0 };

    pub fn from_nanos(nanos: i64) -> Self {
        ClockOffset { nanos }
    }

    /// Saturates at ±292 years, far beyond any clock that still boots.
    pub fn from_nanos_i128(nanos: i128) -> Self {
        ClockOffset {
            nanos: nanos.clamp(i64::MIN as i128, i64::MAX as i128) as i64,
        }
    }

    pub fn from_millis(millis: i64) -> Self {
        Self::from_nanos_i128(millis as i128 * 1_000_000)
    }

    pub fn from_secs(secs: i64) -> Self {
        Self::from_nanos_i128(secs as i128 * NANOS)
    }

    pub fn from_secs_f64(secs: f64) -> Self {
        Self::from_nanos_i128((secs * 1e9).round() as i128)
    }

    pub fn as_nanos(self) -> i64 {
        self.nanos
    }

    /// Rounded to the nearest millisecond.
    pub fn as_millis(self) -> i64 {
        (self.nanos as f64 / 1e6).round() as i64
    }

    pub fn as_secs_f64(self) -> f64 {
        self.nanos as f64 / 1e9
    }

    pub fn magnitude(self) -> Duration {
        Duration::from_nanos(self.nanos.unsigned_abs())
    }

    /// True when the local clock is behind the correct time.
    pub fn local_is_behind(self) -> bool {
        self.nanos > 0
    }

    /// The correct time for a local time given in Unix nanoseconds.
    pub fn correct(self, local_unix_nanos: i128) -> i128 {
        local_unix_nanos + self.nanos as i128
    }

    /// "3.2 s behind", "0.4 s ahead", "exactly right": how people should read it.
    pub fn describe(self) -> String {
        let secs = self.magnitude().as_secs_f64();
        if self.nanos == 0 {
            "exactly right".to_string()
        } else if self.local_is_behind() {
            format!("{} behind", format_seconds(secs))
        } else {
            format!("{} ahead", format_seconds(secs))
        }
    }
}

impl fmt::Display for ClockOffset {
    /// Signed seconds with millisecond precision, e.g. `+12.345 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:+.3} s", self.as_secs_f64())
    }
}

/// Seconds for people: one decimal below a minute, whole seconds above, minutes spelled out past 120 s.
pub fn format_seconds(secs: f64) -> String {
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else if secs < 120.0 {
        format!("{:.0} s", secs)
    } else {
        let whole = secs.round() as u64;
        format!("{} min {} s", whole / 60, whole % 60)
    }
}

/// How much an offset matters for codes that change every `period` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SkewLevel {
    /// Within the threshold: nothing to say.
    Fine,
    /// Above the threshold but less than one period: codes are rejected near every change.
    Warn,
    /// At least one period: the code shown is for a different time step most or all of the time.
    Severe,
}

/// An offset judged against a threshold and a code period, with a sentence to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkewAssessment {
    pub offset: ClockOffset,
    pub level: SkewLevel,
    pub period: u32,
    pub threshold: Duration,
    /// Whole time steps the shown code is off by, rounded (0 for `Fine`/`Warn` up to half a period).
    pub steps_off: u64,
    pub message: String,
}

impl SkewAssessment {
    pub fn needs_attention(&self) -> bool {
        self.level != SkewLevel::Fine
    }
}

/// Judges `offset` for codes with `period` seconds; `threshold` is usually [`DEFAULT_WARN_THRESHOLD`].
pub fn assess(offset: ClockOffset, period: u32, threshold: Duration) -> SkewAssessment {
    let period = period.max(1);
    let mag = offset.magnitude();
    let secs = mag.as_secs_f64();
    let steps_off = (secs / period as f64).round() as u64;
    let (direction, effect) = if offset.local_is_behind() {
        ("behind", "still shows the previous code")
    } else {
        ("ahead", "already shows the next code")
    };
    let amount = format_seconds(secs);
    let level = if mag <= threshold {
        SkewLevel::Fine
    } else if secs < period as f64 {
        SkewLevel::Warn
    } else {
        SkewLevel::Severe
    };
    let message = match level {
        SkewLevel::Fine => format!(
            "This computer's clock is {}: close enough for codes (within {} s).",
            offset.describe(),
            threshold.as_secs()
        ),
        SkewLevel::Warn => format!(
            "This computer's clock is {amount} {direction}. Codes change every {period} s, so for about \
             {amount} of every {period} s Tessera {effect}; services that accept only the current code \
             may reject it. Set the system clock to the correct time, or let Tessera correct codes by the \
             measured offset."
        ),
        SkewLevel::Severe => format!(
            "This computer's clock is {amount} {direction}. Codes change every {period} s, so the code \
             shown is about {steps_off} code{} {} the one the service expects and will usually be \
             rejected. Set the system clock to the correct time, or let Tessera correct codes by the \
             measured offset.",
            if steps_off == 1 { "" } else { "s" },
            if offset.local_is_behind() { "behind" } else { "ahead of" },
        ),
    };
    SkewAssessment {
        offset,
        level,
        period,
        threshold,
        steps_off,
        message,
    }
}

/// The time codes are made for: the system clock, optionally corrected by a measured offset.
/// The UI shows [`CorrectedClock::label`] while a correction is active so it is never silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CorrectedClock {
    offset: Option<ClockOffset>,
}

impl CorrectedClock {
    /// The system clock as it is.
    pub fn system() -> Self {
        CorrectedClock { offset: None }
    }

    pub fn with_offset(offset: ClockOffset) -> Self {
        CorrectedClock {
            offset: Some(offset),
        }
    }

    pub fn offset(&self) -> Option<ClockOffset> {
        self.offset
    }

    pub fn is_correcting(&self) -> bool {
        self.offset.is_some_and(|o| o != ClockOffset::ZERO)
    }

    /// "Codes corrected: clock 42.0 s behind" while correcting, `None` otherwise.
    pub fn label(&self) -> Option<String> {
        self.offset
            .filter(|o| *o != ClockOffset::ZERO)
            .map(|o| format!("Codes corrected for the clock being {} ({o})", o.describe()))
    }

    /// Corrected Unix seconds for a local time in Unix nanoseconds (floored; 0 before 1970).
    pub fn unix_at(&self, local_unix_nanos: i128) -> u64 {
        let corrected = match self.offset {
            Some(o) => o.correct(local_unix_nanos),
            None => local_unix_nanos,
        };
        corrected.div_euclid(NANOS).clamp(0, u64::MAX as i128) as u64
    }

    pub fn now_unix(&self) -> u64 {
        self.unix_at(local_unix_nanos_now())
    }

    /// The code for `generator` at a local time, corrected.
    pub fn code_at(&self, generator: &Generator, local_unix_nanos: i128) -> Code {
        generator.code_at(self.unix_at(local_unix_nanos))
    }

    /// The code for `generator` now, corrected.
    pub fn code_now(&self, generator: &Generator) -> Code {
        self.code_at(generator, local_unix_nanos_now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpParams;
    use crate::secret::Secret;

    #[test]
    fn conversions_and_display() {
        let o = ClockOffset::from_millis(-12_345);
        assert_eq!(o.as_nanos(), -12_345_000_000);
        assert_eq!(o.as_millis(), -12_345);
        assert_eq!(o.to_string(), "-12.345 s");
        assert_eq!(o.describe(), "12.3 s ahead");
        assert_eq!(ClockOffset::from_secs(95).describe(), "95 s behind");
        assert_eq!(ClockOffset::from_secs(-601).describe(), "10 min 1 s ahead");
        assert_eq!(ClockOffset::from_secs_f64(0.25).as_millis(), 250);
        assert_eq!(ClockOffset::ZERO.describe(), "exactly right");
        assert_eq!(ClockOffset::from_nanos_i128(i128::MAX).as_nanos(), i64::MAX);
    }

    #[test]
    fn levels_follow_threshold_and_period() {
        let t = DEFAULT_WARN_THRESHOLD;
        let cases = [
            (0, SkewLevel::Fine),
            (5_000, SkewLevel::Fine),
            (-5_000, SkewLevel::Fine),
            (5_001, SkewLevel::Warn),
            (-12_000, SkewLevel::Warn),
            (29_999, SkewLevel::Warn),
            (30_000, SkewLevel::Severe),
            (-95_000, SkewLevel::Severe),
        ];
        for (ms, want) in cases {
            assert_eq!(
                assess(ClockOffset::from_millis(ms), 30, t).level,
                want,
                "{ms} ms"
            );
        }
        // A 60 s period tolerates more before every code is wrong.
        assert_eq!(
            assess(ClockOffset::from_secs(45), 60, t).level,
            SkewLevel::Warn
        );
        // A stricter threshold warns earlier.
        assert_eq!(
            assess(ClockOffset::from_secs(3), 30, Duration::from_secs(2)).level,
            SkewLevel::Warn
        );
    }

    #[test]
    fn messages_explain_with_the_period() {
        let a = assess(ClockOffset::from_secs(12), 30, DEFAULT_WARN_THRESHOLD);
        assert!(a.message.contains("12.0 s behind"), "{}", a.message);
        assert!(a.message.contains("every 30 s"), "{}", a.message);
        assert!(a.message.contains("previous code"), "{}", a.message);
        let a = assess(ClockOffset::from_secs(-95), 30, DEFAULT_WARN_THRESHOLD);
        assert_eq!(a.steps_off, 3);
        assert!(a.message.contains("95 s ahead"), "{}", a.message);
        assert!(a.message.contains("3 codes ahead of"), "{}", a.message);
        let a = assess(ClockOffset::from_millis(400), 30, DEFAULT_WARN_THRESHOLD);
        assert!(!a.needs_attention());
        assert!(a.message.contains("0.4 s behind"), "{}", a.message);
    }

    #[test]
    fn corrected_clock_shifts_codes_by_the_offset() {
        let secret = Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap();
        let g = Generator::new(
            &secret,
            OtpParams {
                digits: 8,
                ..OtpParams::totp()
            },
        )
        .unwrap();
        // RFC 6238: at true time 1111111109 the code is 07081804. A local clock 65.5 s behind reads
        // 1111111043.5 then; corrected, it must show the RFC code.
        let local = 1_111_111_043 * NANOS + 500_000_000;
        let clock = CorrectedClock::with_offset(ClockOffset::from_millis(65_500));
        assert_eq!(clock.unix_at(local), 1_111_111_109);
        assert_eq!(clock.code_at(&g, local).value, "07081804");
        assert_ne!(
            CorrectedClock::system().code_at(&g, local).value,
            "07081804"
        );
        assert!(clock.is_correcting());
        assert_eq!(
            clock.label().unwrap(),
            "Codes corrected for the clock being 66 s behind (+65.500 s)"
        );
        // No correction: the plain system clock, no label.
        assert_eq!(CorrectedClock::system().unix_at(59 * NANOS + 999), 59);
        assert_eq!(CorrectedClock::system().label(), None);
        assert!(!CorrectedClock::with_offset(ClockOffset::ZERO).is_correcting());
        // A clock ahead is pulled back; never below the epoch.
        let ahead = CorrectedClock::with_offset(ClockOffset::from_secs(-10));
        assert_eq!(ahead.unix_at(1_000 * NANOS), 990);
        assert_eq!(ahead.unix_at(NANOS), 0);
    }
}
