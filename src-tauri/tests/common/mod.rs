//! What every command test needs: the shell on Tauri's mock runtime, with a real vault file in a
//! temporary folder, no keychain, a cheap KDF and an in-memory clipboard, and commands called the
//! way the UI calls them (through IPC, JSON or raw bytes in, JSON or an error out: `call` gives the
//! error's sentence, `call_typed` the whole `{ kind, message }` the UI receives).
#![allow(dead_code)] // each test file uses its own subset

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;
use tessera_app::clipboard::MemoryClipboard;
use tessera_app::state::Options;
use tessera_core::vault::rollback::SeenGenerations;
use tessera_core::vault::KdfParams;
use tessera_core::{Generator, OtpParams, Secret};

pub struct TestApp {
    pub app: tauri::App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
    pub clipboard: Arc<MemoryClipboard>,
    pub dir: PathBuf,
}

impl TestApp {
    /// The shell over a vault path in `dir` (no vault yet).
    pub fn start(dir: &Path) -> TestApp {
        let clipboard = Arc::new(MemoryClipboard::default());
        let mut options = Options::for_vault(dir.join("vault.tessera"), clipboard.clone());
        // No keychain here (tests must not depend on the machine's Secret Service) and a cheap KDF.
        options.use_keychain = false;
        options.kdf = KdfParams::insecure_for_tests();
        // This computer's record of vault generations (review #28) stays in the test's folder.
        options.seen_generations = Some(SeenGenerations::at(dir.join("seen")));
        let app = tessera_app::configure_with(mock_builder(), options)
            .build(mock_context(noop_assets()))
            .unwrap();
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        TestApp {
            app,
            webview,
            clipboard,
            dir: dir.to_path_buf(),
        }
    }

    /// The shell over a new, unlocked vault with the app password "correct horse".
    pub fn with_password(dir: &Path) -> TestApp {
        let app = TestApp::start(dir);
        app.ok("create_vault", json!({ "password": "correct horse" }));
        app
    }

    fn invoke(
        &self,
        cmd: &str,
        body: InvokeBody,
        headers: tauri::http::HeaderMap,
    ) -> Result<Value, Value> {
        invoke_on(&self.webview, cmd, body, headers)
    }

    /// A command with JSON arguments; `Err` is the sentence the UI would show.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, String> {
        self.call_typed(cmd, args).map_err(sentence)
    }

    /// A command with JSON arguments; `Err` is the error exactly as the UI receives it.
    pub fn call_typed(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.invoke(cmd, InvokeBody::Json(args), Default::default())
    }

    /// A command whose body is raw bytes (a picked file, a camera frame), with its headers.
    pub fn raw(
        &self,
        cmd: &str,
        bytes: Vec<u8>,
        headers: &[(&'static str, String)],
    ) -> Result<Value, String> {
        self.raw_typed(cmd, bytes, headers).map_err(sentence)
    }

    /// As [`TestApp::raw`], the error exactly as the UI receives it.
    pub fn raw_typed(
        &self,
        cmd: &str,
        bytes: Vec<u8>,
        headers: &[(&'static str, String)],
    ) -> Result<Value, Value> {
        let mut map = tauri::http::HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        self.invoke(cmd, InvokeBody::Raw(bytes), map)
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    pub fn accounts(&self) -> Vec<Value> {
        self.ok("list_accounts", json!({}))
            .as_array()
            .unwrap()
            .clone()
    }

    /// Types a key into the manual form, then saves it from the review form; returns the outcome.
    pub fn add_by_key(
        &self,
        issuer: &str,
        account: &str,
        key: &str,
        env: Value,
        policy: &str,
    ) -> Value {
        self.add_by_key_with_note(issuer, account, key, env, "", policy)
    }

    pub fn add_by_key_with_note(
        &self,
        issuer: &str,
        account: &str,
        key: &str,
        env: Value,
        note: &str,
        policy: &str,
    ) -> Value {
        let draft = self.ok(
            "stage_manual",
            json!({ "fields": manual(issuer, account, key) }),
        );
        self.ok(
            "add_account",
            json!({ "request": {
                "draftId": draft["draftId"], "issuer": issuer, "account": account,
                "environment": env, "note": note, "policy": policy
            }}),
        )
    }
}

/// A command called through `webview` from any thread (the app itself stays on the test's thread).
pub fn call_on(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, String> {
    invoke_on(webview, cmd, InvokeBody::Json(args), Default::default()).map_err(sentence)
}

fn invoke_on(
    webview: &WebviewWindow<MockRuntime>,
    cmd: &str,
    body: InvokeBody,
    headers: tauri::http::HeaderMap,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body,
        headers,
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(webview, request).map(|r| r.deserialize::<Value>().unwrap())
}

/// The sentence of an error that crossed IPC: every command error is `{ kind, message }`; anything
/// else (Tauri's own refusals, such as a missing argument) is shown as it came.
pub fn sentence(error: Value) -> String {
    match error.get("message").and_then(Value::as_str) {
        Some(m) if error.get("kind").is_some() => m.to_owned(),
        _ => error
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| error.to_string()),
    }
}

/// The manual-entry form filled in for a plain TOTP key.
pub fn manual(issuer: &str, account: &str, key: &str) -> Value {
    json!({ "issuer": issuer, "account": account, "secret": key, "kind": "totp",
            "algorithm": "SHA1", "digits": 6, "period": 30, "counter": 0 })
}

/// The TOTP code of `key` at `unix`, from the core directly.
pub fn code_for(key: &str, unix: u64) -> String {
    let (secret, _) = Secret::parse_base32(key).unwrap();
    Generator::new(&secret, OtpParams::totp())
        .unwrap()
        .code_at(unix)
        .value
}

/// Answers the native dialogs Rust opens (Save, confirmations) the way a test scripts them, and
/// remembers what was asked.
#[derive(Default)]
pub struct ScriptedDialogs {
    /// The Save dialog's answer (`None`: cancelled).
    pub save: std::sync::Mutex<Option<PathBuf>>,
    /// Whether a confirmation is answered with its "go on" button.
    pub confirm: std::sync::atomic::AtomicBool,
    pub saves_asked: std::sync::Mutex<Vec<tessera_app::native_dialogs::SaveRequest>>,
    pub confirmations_asked: std::sync::Mutex<Vec<tessera_app::native_dialogs::Confirmation>>,
}

impl ScriptedDialogs {
    pub fn answer(&self, save: Option<PathBuf>, confirm: bool) {
        *self.save.lock().unwrap() = save;
        self.confirm
            .store(confirm, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn confirmations(&self) -> Vec<tessera_app::native_dialogs::Confirmation> {
        self.confirmations_asked.lock().unwrap().clone()
    }

    pub fn saves(&self) -> Vec<tessera_app::native_dialogs::SaveRequest> {
        self.saves_asked.lock().unwrap().clone()
    }
}

impl tessera_app::native_dialogs::NativeDialogs for ScriptedDialogs {
    fn save_path(&self, request: &tessera_app::native_dialogs::SaveRequest) -> Option<PathBuf> {
        self.saves_asked.lock().unwrap().push(request.clone());
        self.save.lock().unwrap().clone()
    }
    fn confirm(&self, confirmation: &tessera_app::native_dialogs::Confirmation) -> bool {
        self.confirmations_asked
            .lock()
            .unwrap()
            .push(confirmation.clone());
        self.confirm.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl TestApp {
    /// Installs scripted answers for the native dialogs (until then every dialog is cancelled).
    pub fn script_dialogs(&self) -> Arc<ScriptedDialogs> {
        use tauri::Manager;
        let scripted = Arc::new(ScriptedDialogs::default());
        self.app
            .state::<tessera_app::native_dialogs::Dialogs>()
            .set(scripted.clone());
        scripted
    }
}
