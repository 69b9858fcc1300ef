//! Any bytes, with and without a password, must give entries or an error: never a panic or a hang.
//! (The password is a short fixed one so that the key derivation does not dominate the run.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_core::formats::{self, FormatId};

fuzz_target!(|data: &[u8]| {
    let _ = formats::import(FormatId::Proton, data, None);
    if formats::needs_password(FormatId::Proton, data) {
        let _ = formats::import(FormatId::Proton, data, Some("fuzz"));
    }
});
