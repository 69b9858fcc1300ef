//! Clock skew: TOTP codes are only right when the clock is. This module measures how far this
//! computer's clock is off and lets codes be corrected for it.
//!
//! - [`sntp`]: ask several NTP servers (median of those that answer, short time-outs).
//! - [`offline`]: the same without a network, from a trusted clock's time or a code a service accepted.
//! - [`offset`]: the measured [`ClockOffset`], whether it matters ([`assess`]) and [`CorrectedClock`]
//!   to make codes with the correction applied.
//! - [`ntp`]: the wire format and the four-timestamp arithmetic.

pub mod ntp;
pub mod offline;
pub mod offset;
pub mod sntp;

pub use offline::{
    offset_from_accepted_code, offset_from_trusted_time, parse_trusted_time, CodeOffset,
    OfflineError, OffsetEstimate, StepMatch, TrustedTime, DEFAULT_CODE_WINDOW,
};
pub use offset::{
    assess, ClockOffset, CorrectedClock, SkewAssessment, SkewLevel, DEFAULT_WARN_THRESHOLD,
};
pub use sntp::{
    query_servers, ServerOutcome, SntpConfig, SntpError, SntpReport, SntpSample, DEFAULT_SERVERS,
};
