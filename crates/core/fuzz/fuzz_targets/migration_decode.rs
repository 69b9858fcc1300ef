//! Arbitrary bytes as a migration payload (Base64-wrapped, so the protobuf decoder sees them raw) and
//! arbitrary text as a whole URI: never a panic.
#![no_main]
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use tessera_core::migration;

fuzz_target!(|data: &[u8]| {
    let b64 = base64::engine::general_purpose::STANDARD.encode(data);
    let _ = migration::decode(&format!("otpauth-migration://offline?data={b64}"));
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = migration::decode(text);
    }
});
