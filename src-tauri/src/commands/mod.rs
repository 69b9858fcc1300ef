//! Every command the UI may call. Each one parses its arguments, calls `tessera-core` and turns errors
//! into sentences; nothing here generates codes or decides about duplicates on its own.

pub mod accounts;
pub mod add;
pub mod clock;
pub mod codes;
pub mod preferences;
pub mod recovery;
pub mod rekey;
pub mod transfer;
pub mod vault;

/// Errors reach the UI as the core's own sentences.
pub type CmdResult<T> = Result<T, String>;

pub(crate) fn msg(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Runs slow work (key derivation, keychain calls, image decoding, waiting for the clock check) on the
/// blocking pool, so the IPC thread and with it the window never wait on it.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> CmdResult<T> + Send + 'static,
) -> CmdResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| format!("internal error: {e}"))?
}
