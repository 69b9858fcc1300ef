//! Format detection over any bytes, then the detected format's import: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_core::formats;

fuzz_target!(|data: &[u8]| {
    if let Some(format) = formats::detect(data) {
        if format != formats::FormatId::Tessera {
            let _ = formats::import(format, data, None);
        }
    }
});
