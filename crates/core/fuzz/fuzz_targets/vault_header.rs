//! Arbitrary bytes as a vault file: the header parser must return Ok or Err, never panic or allocate
//! absurdly; what it accepts must be written back byte for byte; the body must fail authentication
//! under a wrong key rather than panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_core::vault::format::{open_body, Header, Key256};

fuzz_target!(|data: &[u8]| {
    if let Ok((header, len)) = Header::parse(data) {
        assert_eq!(
            header.to_bytes(),
            &data[..len],
            "header does not round-trip"
        );
        let key = Key256::from_slice(&[0x42; 32]).unwrap();
        let _ = open_body(data, len, &key);
    }
});
