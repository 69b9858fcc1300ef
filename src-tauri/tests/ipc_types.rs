//! The UI's IPC types are generated from the Rust ones (`dto/typescript.rs`, ts-rs) and checked in as
//! `ui/src/lib/ipc.gen.ts`. This fails when the file is stale, so a Rust change cannot leave the UI
//! believing in a shape the commands no longer send. `TESSERA_BLESS=1` rewrites the file.

use std::path::Path;

#[test]
fn the_checked_in_typescript_types_match_the_rust_ones() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc.gen.ts");
    let generated = tessera_app::dto::typescript::typescript();
    if std::env::var_os("TESSERA_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "ui/src/lib/ipc.gen.ts is out of date with the Rust IPC types: run \
         `TESSERA_BLESS=1 cargo test -p tessera-app --test ipc_types` and commit the result"
    );
}
