//! Any text into the otpauth parser: it must return Ok or Err, never panic, and what it accepts must
//! survive a canonical write and re-parse unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_core::uri;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(entry) = uri::parse(text) {
        let again = uri::parse(&uri::to_uri(&entry)).expect("canonical URI re-parses");
        assert_eq!(again, entry);
    }
});
