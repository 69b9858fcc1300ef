//! Native dialogs that Rust opens itself, so the WebView cannot choose for the person (security review
//! #20): where an export is saved, and the "this file is NOT encrypted" or "this file asks for a lot of
//! memory" confirmations. A compromised WebView can ask for an export, but it cannot name the file or
//! press the confirmation's button: both happen in a system window the WebView has no handle on.
//!
//! The dialogs sit behind [`NativeDialogs`] so that tests answer them: the mock runtime has no dialog
//! plugin, and under WebDriver (end-to-end tests) a native GTK dialog cannot be clicked.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// A Save dialog: where it starts and the name it offers (one no file has yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRequest {
    pub title: String,
    pub directory: PathBuf,
    pub file_name: String,
    /// The filter's name ("Tessera backup") and the file ending without the dot.
    pub filter_name: String,
    pub extension: String,
}

/// A warning with two buttons; only `proceed` goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub title: String,
    pub message: String,
    pub proceed: String,
    pub cancel: String,
}

/// Answers the dialogs. Called from the blocking pool, never from the main thread (the plugin's
/// blocking calls would dead-lock there).
pub trait NativeDialogs: Send + Sync {
    /// The chosen path, or `None` when the person cancelled.
    fn save_path(&self, request: &SaveRequest) -> Option<PathBuf>;
    /// Whether the person pressed `proceed` (closing the window is "cancel").
    fn confirm(&self, confirmation: &Confirmation) -> bool;
}

/// The app's dialogs (managed state). Until the real ones are installed (the app's set-up, or a test)
/// every dialog answers "cancel", so nothing is ever written or derived without an answer.
pub struct Dialogs(RwLock<Arc<dyn NativeDialogs>>);

impl Default for Dialogs {
    fn default() -> Self {
        Dialogs(RwLock::new(Arc::new(NoDialogs)))
    }
}

impl Dialogs {
    pub fn set(&self, dialogs: Arc<dyn NativeDialogs>) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = dialogs;
    }

    pub fn get(&self) -> Arc<dyn NativeDialogs> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// No dialog available: every question is answered "cancel".
struct NoDialogs;

impl NativeDialogs for NoDialogs {
    fn save_path(&self, _: &SaveRequest) -> Option<PathBuf> {
        None
    }
    fn confirm(&self, _: &Confirmation) -> bool {
        false
    }
}

/// The system dialogs, through Tauri's dialog plugin (its Rust API: no JS permission involved).
pub struct PluginDialogs<R: tauri::Runtime>(pub tauri::AppHandle<R>);

impl<R: tauri::Runtime> NativeDialogs for PluginDialogs<R> {
    fn save_path(&self, request: &SaveRequest) -> Option<PathBuf> {
        use tauri_plugin_dialog::DialogExt;
        let mut dialog = self
            .0
            .dialog()
            .file()
            .set_title(&request.title)
            .set_directory(&request.directory)
            .set_file_name(&request.file_name)
            .add_filter(&request.filter_name, &[request.extension.as_str()]);
        if let Some(window) = tauri::Manager::get_webview_window(&self.0, "main") {
            dialog = dialog.set_parent(&window);
        }
        dialog.blocking_save_file()?.into_path().ok()
    }

    fn confirm(&self, confirmation: &Confirmation) -> bool {
        use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
        let mut dialog = self
            .0
            .dialog()
            .message(&confirmation.message)
            .title(&confirmation.title)
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                confirmation.proceed.clone(),
                confirmation.cancel.clone(),
            ));
        if let Some(window) = tauri::Manager::get_webview_window(&self.0, "main") {
            dialog = dialog.parent(&window);
        }
        dialog.blocking_show()
    }
}

/// The dialogs the running app uses: the system ones, or (debug builds only) the end-to-end tests'
/// answers from the environment.
pub fn for_app<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> Arc<dyn NativeDialogs> {
    #[cfg(debug_assertions)]
    if let Some(answers) = EnvAnswers::from_env() {
        return Arc::new(answers);
    }
    Arc::new(PluginDialogs(app.clone()))
}

/// End-to-end tests drive the WebView through WebDriver, which cannot click a native GTK dialog. They
/// answer it through the environment instead: `TESSERA_TEST_SAVE_PATH` (a folder: the offered name
/// inside it; otherwise that file; empty: cancel) and `TESSERA_TEST_CONFIRM=yes` (anything else:
/// cancel). Compiled into debug builds only (`cfg(debug_assertions)`), so a release never reads
/// these variables and a planted environment cannot answer its dialogs.
#[cfg(debug_assertions)]
struct EnvAnswers {
    save: Option<PathBuf>,
    confirm: bool,
}

#[cfg(debug_assertions)]
impl EnvAnswers {
    fn from_env() -> Option<EnvAnswers> {
        let save = std::env::var_os("TESSERA_TEST_SAVE_PATH");
        let confirm = std::env::var_os("TESSERA_TEST_CONFIRM");
        if save.is_none() && confirm.is_none() {
            return None;
        }
        Some(EnvAnswers {
            save: save.filter(|s| !s.is_empty()).map(PathBuf::from),
            confirm: confirm.is_some_and(|c| c == "yes"),
        })
    }
}

#[cfg(debug_assertions)]
impl NativeDialogs for EnvAnswers {
    fn save_path(&self, request: &SaveRequest) -> Option<PathBuf> {
        let path = self.save.as_ref()?;
        Some(if path.is_dir() {
            path.join(&request.file_name)
        } else {
            path.clone()
        })
    }
    fn confirm(&self, _: &Confirmation) -> bool {
        self.confirm
    }
}
