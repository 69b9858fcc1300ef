//! The NTP wire format (RFC 5905 §7.3) as far as an SNTP client needs it, and the offset/delay
//! arithmetic on the four timestamps. Pure code: no sockets, no clock reads.

/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
pub const NTP_UNIX_DELTA: i128 = 2_208_988_800;
/// Every NTP packet without extensions or authentication is 48 bytes.
pub const PACKET_LEN: usize = 48;
pub const NTP_PORT: u16 = 123;

pub const MODE_CLIENT: u8 = 3;
pub const MODE_SERVER: u8 = 4;
/// Leap indicator 3: the server's clock is not synchronised ("alarm condition").
pub const LEAP_ALARM: u8 = 3;

const NANOS: i128 = 1_000_000_000;
const ERA: i128 = 1 << 32;

/// A 64-bit NTP timestamp: 32 bits of seconds since 1900 (modulo the era) and 32 bits of fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NtpTimestamp(pub u64);

impl NtpTimestamp {
    /// Converts Unix time in nanoseconds; the era wraps in 2036, which [`Self::to_unix_nanos`] undoes.
    pub fn from_unix_nanos(unix_nanos: i128) -> Self {
        let secs = unix_nanos.div_euclid(NANOS) + NTP_UNIX_DELTA;
        let sub = unix_nanos.rem_euclid(NANOS);
        let frac = ((sub << 32) / NANOS) as u64;
        NtpTimestamp(((secs.rem_euclid(ERA) as u64) << 32) | frac)
    }

    /// Unix time in nanoseconds. Follows RFC 4330 §3: when the top bit of the seconds is clear the
    /// timestamp is in era 1 (7 Feb 2036 – 2104), otherwise in era 0 (1968 – 2036).
    pub fn to_unix_nanos(self) -> i128 {
        let secs = (self.0 >> 32) as i128;
        let frac = (self.0 & 0xffff_ffff) as i128;
        let secs = if secs & 0x8000_0000 == 0 {
            secs + ERA
        } else {
            secs
        };
        (secs - NTP_UNIX_DELTA) * NANOS + ((frac * NANOS + (1 << 31)) >> 32)
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// The fixed 48-byte header. Fields the client does not use are still decoded for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Packet {
    pub leap: u8,
    pub version: u8,
    pub mode: u8,
    pub stratum: u8,
    pub poll: i8,
    pub precision: i8,
    pub root_delay: u32,
    pub root_dispersion: u32,
    pub reference_id: [u8; 4],
    pub reference: NtpTimestamp,
    pub origin: NtpTimestamp,
    pub receive: NtpTimestamp,
    pub transmit: NtpTimestamp,
}

impl Packet {
    /// A client request (version 4, mode 3) carrying `transmit` so the reply can be matched to it.
    pub fn client_request(transmit: NtpTimestamp) -> Self {
        Packet {
            version: 4,
            mode: MODE_CLIENT,
            transmit,
            ..Packet::default()
        }
    }

    pub fn encode(&self) -> [u8; PACKET_LEN] {
        let mut b = [0u8; PACKET_LEN];
        b[0] = (self.leap & 0b11) << 6 | (self.version & 0b111) << 3 | (self.mode & 0b111);
        b[1] = self.stratum;
        b[2] = self.poll as u8;
        b[3] = self.precision as u8;
        b[4..8].copy_from_slice(&self.root_delay.to_be_bytes());
        b[8..12].copy_from_slice(&self.root_dispersion.to_be_bytes());
        b[12..16].copy_from_slice(&self.reference_id);
        b[16..24].copy_from_slice(&self.reference.0.to_be_bytes());
        b[24..32].copy_from_slice(&self.origin.0.to_be_bytes());
        b[32..40].copy_from_slice(&self.receive.0.to_be_bytes());
        b[40..48].copy_from_slice(&self.transmit.0.to_be_bytes());
        b
    }

    /// Decodes the header; anything after the first 48 bytes (extensions, MAC) is ignored.
    pub fn decode(bytes: &[u8]) -> Option<Packet> {
        if bytes.len() < PACKET_LEN {
            return None;
        }
        let u32_at = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().expect("4 bytes"));
        let ts_at = |i: usize| {
            NtpTimestamp(u64::from_be_bytes(
                bytes[i..i + 8].try_into().expect("8 bytes"),
            ))
        };
        Some(Packet {
            leap: bytes[0] >> 6,
            version: (bytes[0] >> 3) & 0b111,
            mode: bytes[0] & 0b111,
            stratum: bytes[1],
            poll: bytes[2] as i8,
            precision: bytes[3] as i8,
            root_delay: u32_at(4),
            root_dispersion: u32_at(8),
            reference_id: bytes[12..16].try_into().expect("4 bytes"),
            reference: ts_at(16),
            origin: ts_at(24),
            receive: ts_at(32),
            transmit: ts_at(40),
        })
    }

    /// The reference identifier as text: a kiss code (stratum 0) or a clock source (stratum 1), such
    /// as `RATE` or `GPS`; `None` for higher strata, where it is an address hash.
    pub fn reference_text(&self) -> Option<String> {
        if self.stratum > 1 {
            return None;
        }
        let text: String = self
            .reference_id
            .iter()
            .take_while(|b| **b != 0)
            .map(|b| *b as char)
            .collect();
        (!text.is_empty() && text.chars().all(|c| c.is_ascii_graphic())).then_some(text)
    }
}

/// Clock offset θ and round-trip delay δ from the four timestamps (RFC 5905 §8), all Unix nanoseconds:
/// `t1` client transmit, `t2` server receive, `t3` server transmit, `t4` client receive.
/// θ = ((t2 − t1) + (t3 − t4)) / 2 is what to add to the client's clock; δ = (t4 − t1) − (t3 − t2).
pub fn offset_and_delay(t1: i128, t2: i128, t3: i128, t4: i128) -> (i128, i128) {
    let offset = ((t2 - t1) + (t3 - t4)) / 2;
    let delay = (t4 - t1) - (t3 - t2);
    (offset, delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_round_trip_and_epochs() {
        // The Unix epoch is NTP second 2 208 988 800 with zero fraction.
        assert_eq!(NtpTimestamp::from_unix_nanos(0).0, 2_208_988_800u64 << 32);
        assert_eq!(NtpTimestamp::from_unix_nanos(0).to_unix_nanos(), 0);
        // Half a second is fraction 2^31.
        assert_eq!(
            NtpTimestamp::from_unix_nanos(500_000_000).0 & 0xffff_ffff,
            1 << 31
        );
        for nanos in [
            1_700_000_000_123_456_789i128,
            2_085_978_495 * NANOS, // last second of era 0 (2036-02-07T06:28:15Z)
            2_085_978_496 * NANOS, // first second of era 1
            2_085_978_496 * NANOS + 999_999_999,
            4_000_000_000 * NANOS + 42, // 2096
        ] {
            let back = NtpTimestamp::from_unix_nanos(nanos).to_unix_nanos();
            // 32-bit fractions resolve 233 ps, so a round trip is exact to the nanosecond.
            assert!((back - nanos).abs() <= 1, "{nanos} came back as {back}");
        }
        // Era 1 starts at NTP seconds 0.
        assert_eq!(
            NtpTimestamp::from_unix_nanos(2_085_978_496 * NANOS).0 >> 32,
            0
        );
    }

    #[test]
    fn packet_encode_decode() {
        let p = Packet {
            leap: 0,
            version: 4,
            mode: MODE_SERVER,
            stratum: 2,
            poll: 6,
            precision: -20,
            root_delay: 0x0000_1234,
            root_dispersion: 0x0000_0567,
            reference_id: *b"GPS\0",
            reference: NtpTimestamp(1),
            origin: NtpTimestamp(2),
            receive: NtpTimestamp(3),
            transmit: NtpTimestamp(u64::MAX),
        };
        let bytes = p.encode();
        assert_eq!(bytes[0], 0x24); // LI 0, VN 4, mode 4
        assert_eq!(Packet::decode(&bytes), Some(p));
        assert_eq!(Packet::client_request(NtpTimestamp(7)).encode()[0], 0x23);
        assert_eq!(Packet::decode(&bytes[..47]), None);
        let kiss = Packet {
            stratum: 0,
            reference_id: *b"RATE",
            ..p
        };
        assert_eq!(kiss.reference_text().as_deref(), Some("RATE"));
        assert_eq!(Packet { stratum: 3, ..kiss }.reference_text(), None);
    }

    #[test]
    fn offset_and_delay_on_constructed_exchanges() {
        let s = NANOS;
        // Server 10 s ahead, 40 ms each way, 2 ms processing: θ = +10 s, δ = 80 ms.
        let t1 = 1_000 * s;
        let t2 = t1 + 10 * s + 40_000_000;
        let t3 = t2 + 2_000_000;
        let t4 = t1 + 82_000_000;
        assert_eq!(offset_and_delay(t1, t2, t3, t4), (10 * s, 80_000_000));
        // Client ahead by 3.5 s, symmetric 5 ms paths.
        let t1 = 5_000 * s;
        let t2 = t1 - 3_500_000_000 + 5_000_000;
        let t3 = t2;
        let t4 = t1 + 10_000_000;
        assert_eq!(
            offset_and_delay(t1, t2, t3, t4),
            (-3_500_000_000, 10_000_000)
        );
        // Asymmetric paths bias θ by half the asymmetry: 30 ms out, 10 ms back, true offset 0.
        let (theta, delta) = offset_and_delay(0, 30_000_000, 30_000_000, 40_000_000);
        assert_eq!((theta, delta), (10_000_000, 40_000_000));
    }
}
