//! What the shell keeps between commands: the open vault (or none while locked), pending drafts, the
//! camera scanner, the clipboard and where files live.

use crate::clipboard::{Clipboard, CodeCopier, SystemClipboard};
use crate::drafts::Drafts;
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tessera_core::policy::{Policy, PolicyError};
use tessera_core::qr::FrameScanner;
use tessera_core::vault::{KdfParams, Vault};

/// How the shell is set up; tests pass their own (a temporary vault path, a memory clipboard).
pub struct Options {
    pub vault_path: PathBuf,
    pub settings_path: PathBuf,
    /// Whether new vaults get a keychain slot when the keychain works (off in tests without one).
    pub use_keychain: bool,
    pub kdf: KdfParams,
    pub clipboard: Arc<dyn Clipboard>,
    /// The organisation's policy (`Policy::load()`: `TESSERA_POLICY` or the system file).
    pub policy: Result<Policy, PolicyError>,
}

impl Options {
    /// The vault the CLI uses too (`$TESSERA_VAULT`, else the OS data directory), settings beside it.
    pub fn from_env() -> Result<Options, String> {
        let vault_path = tessera_core::vault::resolve_path(None).map_err(|e| e.to_string())?;
        Ok(Options::for_vault(
            vault_path,
            Arc::new(SystemClipboard::default()),
        ))
    }

    pub fn for_vault(vault_path: PathBuf, clipboard: Arc<dyn Clipboard>) -> Options {
        let settings_path = vault_path.with_file_name("app-settings.json");
        Options {
            vault_path,
            settings_path,
            use_keychain: true,
            kdf: KdfParams::default(),
            clipboard,
            policy: Policy::load(),
        }
    }
}

pub struct AppState {
    pub vault_path: PathBuf,
    pub settings_path: PathBuf,
    pub use_keychain: bool,
    pub kdf: KdfParams,
    /// `None` while locked. Shared with blocking tasks (key derivation), hence the `Arc`.
    pub vault: Arc<Mutex<Option<Vault>>>,
    pub drafts: Mutex<Drafts>,
    pub scanner: Mutex<FrameScanner>,
    pub copier: CodeCopier,
    pub settings: Mutex<Settings>,
    /// The organisation's policy, or why its file cannot be used (then the vault stays shut).
    pub policy: Result<Policy, String>,
}

impl AppState {
    pub fn new(options: Options) -> AppState {
        let mut settings = Settings::load(&options.settings_path);
        let policy = options.policy.map_err(|e| e.to_string());
        if let Ok(p) = &policy {
            for w in p.warnings() {
                eprintln!("tessera: warning: {w}");
            }
            crate::org_policy::apply(&mut settings, p);
        }
        AppState {
            vault_path: options.vault_path,
            settings_path: options.settings_path,
            use_keychain: options.use_keychain,
            kdf: options.kdf,
            vault: Arc::new(Mutex::new(None)),
            drafts: Mutex::new(Drafts::default()),
            scanner: Mutex::new(FrameScanner::new()),
            copier: CodeCopier::new(options.clipboard),
            settings: Mutex::new(settings),
            policy,
        }
    }

    /// The organisation's policy, or the sentence that stops everything while its file is broken.
    pub fn policy(&self) -> Result<&Policy, String> {
        self.policy.as_ref().map_err(Clone::clone)
    }

    pub fn drafts(&self) -> MutexGuard<'_, Drafts> {
        self.drafts.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Runs `f` on the open vault, or says it is locked.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, String>,
    ) -> Result<T, String> {
        let mut guard = self.vault.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_mut() {
            // The CLI may have saved the vault meanwhile: read it again first, so nothing here works on
            // (or fails to save over) an old copy.
            Some(v) => {
                v.reload_if_changed().map_err(|e| e.to_string())?;
                f(v)
            }
            None => Err("Tessera is locked; unlock it first".into()),
        }
    }
}
