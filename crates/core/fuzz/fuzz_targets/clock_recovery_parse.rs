//! Typed text into the offline clock and recovery-code parsers, and arbitrary bytes into the NTP
//! reply check: Ok or Err, never a panic. What `parse_block` accepts must parse again to the same codes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_core::clock::ntp::Packet;
use tessera_core::clock::{offline, sntp};
use tessera_core::recovery;

fuzz_target!(|data: &[u8]| {
    if let Some(packet) = Packet::decode(data) {
        let _ = sntp::sample_from_reply("fuzz", "127.0.0.1:123".parse().unwrap(), &packet, 1 << 60, (1 << 60) + 5);
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = offline::parse_trusted_time(text) {
        let _ = offline::offset_from_trusted_time(&t, 1_795_386_615_000_000_000);
    }
    let _ = sntp::parse_server(text);
    if let Ok(parsed) = recovery::parse_block(text) {
        let again = recovery::parse_block(&parsed.codes.join("\n")).expect("parsed codes re-parse");
        assert_eq!(again.codes, parsed.codes);
    }
});
