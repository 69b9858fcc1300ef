//! The organisation policy parser: any bytes give a policy or an error naming a line inside the
//! file, never a panic; a parsed policy's rules never panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use tessera_core::policy::{Policy, PolicyError};

fuzz_target!(|data: &[u8]| {
    let source = Path::new("/etc/tessera/policy.toml");
    match Policy::parse_bytes(data, source) {
        Ok(p) => {
            let _ = p.to_json();
            let _ = p.describe();
            let _ = p.warnings();
            assert!(p.clamp_auto_lock(0) == 0 || p.max_auto_lock_minutes.is_some());
            assert!(p.clamp_clipboard(u32::MAX) <= p.max_clipboard_seconds.unwrap_or(u32::MAX));
            let _ = p.servers_to_ask(&[], &["pool.ntp.org"]);
        }
        Err(PolicyError::Invalid { line, path, .. }) => {
            assert_eq!(path, source);
            let lines = data.iter().filter(|b| **b == b'\n').count() + 1;
            assert!(line >= 1 && line <= lines, "line {line} of {lines}");
        }
        Err(e) => panic!("parsing bytes cannot be an I/O error: {e}"),
    }
});
