//! Every command the UI may call. Each one parses its arguments, calls `tessera-core` and turns errors
//! into sentences; nothing here generates codes or decides about duplicates on its own.

pub mod accounts;
pub mod add;
pub mod backups;
pub mod clock;
pub mod codes;
pub mod desktop;
pub mod favourites;
pub mod lock;
pub mod phone;
pub mod preferences;
pub mod protection;
pub mod recovery;
pub mod rekey;
pub mod startup;
pub mod transfer;
pub mod vault;

/// Errors reach the UI as the core's own sentences.
pub type CmdResult<T> = Result<T, String>;

pub(crate) fn msg(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The bytes of a file or camera frame the UI sent as a raw IPC body (images, import files).
pub(crate) fn raw_body<'a>(request: &'a tauri::ipc::Request<'_>) -> CmdResult<&'a [u8]> {
    match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => Ok(bytes),
        tauri::ipc::InvokeBody::Json(_) => {
            Err("internal error: the file must be sent as bytes".into())
        }
    }
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
