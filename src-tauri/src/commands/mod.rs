//! Every command the UI may call. Each one parses its arguments, calls `tessera-core` and turns errors
//! into an [`IpcError`] (a kind the UI acts on + the core's sentence); nothing here generates codes or
//! decides about duplicates on its own.

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

pub use crate::ipc_error::{ErrorKind, IpcError};

/// Errors reach the UI typed: the kind the core's error type says, with the core's own sentence.
pub type CmdResult<T> = Result<T, IpcError>;

/// A core error as the UI gets it. Every error type passed here has its own mapping
/// (`ipc_error/from_core.rs`), so its kind comes from its variant, not from its words.
pub(crate) fn msg(e: impl Into<IpcError>) -> IpcError {
    e.into()
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
        .map_err(|e| match e {
            // The runtime is shutting down: nobody is waiting for a sentence.
            tauri::Error::JoinError(j) if j.is_cancelled() => {
                IpcError::new(ErrorKind::Cancelled, "stopped: Tessera is closing")
            }
            e => IpcError::from(format!("internal error: {e}")),
        })?
}
