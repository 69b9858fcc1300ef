//! Every importer from one target: the first byte picks the format (from the registry, so a new format
//! is fuzzed without a new target), the rest is the file. Any bytes, with and without a password, must
//! give entries or an error: never a panic or a hang. Without a picked format, detection runs first.
//! (The password is a short fixed one so that the key derivation does not dominate the run; Tessera
//! backups are left to the vault_header target, their KDF is the whole cost.)
#![no_main]
use libfuzzer_sys::fuzz_target;
use tessera_core::formats::{self, FormatId};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let format = match formats::FORMATS.get(usize::from(pick)) {
        Some(f) => f.id,
        None => match formats::detect(file) {
            Some(f) => f,
            None => return,
        },
    };
    if format == FormatId::Tessera {
        return;
    }
    let _ = formats::import(format, file, None);
    if formats::needs_password(format, file) {
        let _ = formats::import(format, file, Some("fuzz"));
    }
});
