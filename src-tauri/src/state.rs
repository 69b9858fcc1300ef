//! What the shell keeps between commands: the [`Session`] (every secret; `None` while locked), the
//! clipboard, the settings, when the person was last active, and where files live.
//!
//! Commands reach secrets only through [`AppState::with_session`] / [`AppState::with_vault`] (or, for
//! work on the blocking pool, [`AppState::session_handle`]); both refuse while locked and lock first
//! when the auto-lock deadline has passed.

use crate::clipboard::{Clipboard, CodeCopier, SystemClipboard};
pub use crate::ipc_error::Locked;
use crate::ipc_error::{ErrorKind, IpcError};
use crate::rollback;
use crate::session::Session;
use crate::settings::Settings;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};
use tessera_core::policy::{Policy, PolicyError};
use tessera_core::vault::rollback::SeenGenerations;
use tessera_core::vault::{KdfParams, QuickUnlock, Vault};

/// What every secret-needing command refuses with while locked: kind `locked`, the sentence
/// "Tessera is locked; unlock it first" (`.ok_or(LOCKED)?` and `Err(LOCKED.into())` both work).
pub const LOCKED: Locked = Locked;

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
    /// Where the generations seen on this computer are kept (review #28; `None`: not checked).
    pub seen_generations: Option<SeenGenerations>,
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
            seen_generations: SeenGenerations::default_location(),
        }
    }
}

/// Why the vault was locked (sent to the UI with the `tessera://locked` event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// The person pressed Lock / Hide codes.
    Manual,
    /// Nobody used the app for the auto-lock time.
    Idle,
    /// The computer is going to sleep.
    Suspend,
    /// The operating system locked the screen or session.
    ScreenLock,
    Quit,
}

impl LockReason {
    pub fn as_str(self) -> &'static str {
        match self {
            LockReason::Manual => "manual",
            LockReason::Idle => "idle",
            LockReason::Suspend => "suspend",
            LockReason::ScreenLock => "screenLock",
            LockReason::Quit => "quit",
        }
    }
}

/// The event the UI listens to: the vault was locked by Rust (deadline, suspend, screen lock).
pub const LOCKED_EVENT: &str = "tessera://locked";

/// Who hears about locks.
type OnLock = Arc<dyn Fn(LockReason) + Send + Sync>;

pub struct AppState {
    pub vault_path: PathBuf,
    pub settings_path: PathBuf,
    pub use_keychain: bool,
    pub kdf: KdfParams,
    /// `None` while locked. Shared with blocking tasks (key derivation), hence the `Arc`.
    pub session: Arc<Mutex<Option<Session>>>,
    pub copier: CodeCopier,
    pub settings: Mutex<Settings>,
    /// The organisation's policy, or why its file cannot be used (then the vault stays shut).
    pub policy: Result<Policy, String>,
    /// The generations seen on this computer (review #28).
    pub seen_generations: Option<SeenGenerations>,
    /// When the person last used the app (reported by the UI, set at unlock): the monotonic clock,
    /// and the wall clock too because on some systems the monotonic one stops while asleep.
    last_activity: Mutex<(Instant, SystemTime)>,
    /// The quick-unlock PIN (the key wrapped by it), memory only; survives a lock, not a quit.
    quick: Mutex<Option<QuickUnlock>>,
    /// Told about every lock (the app emits [`LOCKED_EVENT`] from it).
    on_lock: Mutex<Option<OnLock>>,
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
            session: Arc::new(Mutex::new(None)),
            copier: CodeCopier::new(options.clipboard),
            settings: Mutex::new(settings),
            policy,
            seen_generations: options.seen_generations,
            last_activity: Mutex::new((Instant::now(), SystemTime::now())),
            on_lock: Mutex::new(None),
            quick: Mutex::new(None),
        }
    }

    /// The organisation's policy, or the error (kind `policy`) that stops everything while its file is
    /// broken.
    pub fn policy(&self) -> Result<&Policy, IpcError> {
        self.policy
            .as_ref()
            .map_err(|e| IpcError::new(ErrorKind::Policy, e.clone()))
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn guard(&self) -> MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the session (vault, drafts, pending import, reveals, scanner), or says it is locked.
    pub fn with_session<T>(
        &self,
        f: impl FnOnce(&mut Session) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        self.lock_if_idle(Instant::now());
        let mut guard = self.guard();
        match guard.as_mut() {
            // The CLI may have saved the vault meanwhile: read it again first, so nothing here works on
            // (or fails to save over) an old copy.
            Some(s) => {
                s.vault.reload_if_changed().map_err(IpcError::from)?;
                let seen = self.seen_generations.as_ref();
                rollback::sync(seen, s);
                let result = f(s);
                rollback::sync(seen, s);
                result
            }
            None => Err(LOCKED.into()),
        }
    }

    /// Runs `f` on the open vault, or says it is locked.
    pub fn with_vault<T>(
        &self,
        f: impl FnOnce(&mut Vault) -> Result<T, IpcError>,
    ) -> Result<T, IpcError> {
        self.with_session(|s| f(&mut s.vault))
    }

    /// The session for work moved to the blocking pool: lock it there and treat `None` as locked
    /// (`.ok_or(LOCKED)`). Checks the auto-lock deadline first.
    pub fn session_handle(&self) -> Arc<Mutex<Option<Session>>> {
        self.lock_if_idle(Instant::now());
        Arc::clone(&self.session)
    }

    pub fn is_unlocked(&self) -> bool {
        self.guard().is_some()
    }

    /// Starts a session with a freshly opened vault (replacing any other) and restarts the idle clock.
    pub fn open_session(&self, vault: Vault) {
        self.open_session_with(vault, false);
    }

    /// As [`AppState::open_session`], saying whether the app password (or PIN) opened it.
    pub fn open_session_with(&self, vault: Vault, with_password: bool) {
        let mut session = Session::new(vault);
        session.opened_with_password = with_password;
        rollback::after_open(self.seen_generations.as_ref(), &mut session);
        let old = self.guard().replace(session);
        drop(old);
        self.touch();
    }

    pub fn set_quick_unlock(&self, quick: QuickUnlock) {
        *self.quick.lock().unwrap_or_else(|p| p.into_inner()) = Some(quick);
    }

    pub fn take_quick_unlock(&self) -> Option<QuickUnlock> {
        self.quick.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    pub fn clear_quick_unlock(&self) {
        drop(self.take_quick_unlock());
    }

    pub fn has_quick_unlock(&self) -> bool {
        self.quick
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Locks: the session is taken out and dropped (wiping the key, accounts, drafts, a pending import
    /// and reveals), and the clipboard is cleared if it still holds a code we put there. Returns
    /// whether anything was open.
    pub fn lock(&self, reason: LockReason) -> bool {
        let mut taken = self.guard().take();
        // A save made on the blocking pool (a password change) is recorded before the vault goes.
        if let Some(session) = taken.as_mut() {
            rollback::sync(self.seen_generations.as_ref(), session);
        }
        let was_open = taken.is_some();
        drop(taken);
        self.copier.clear_if_ours();
        if was_open {
            let notify = self
                .on_lock
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(notify) = notify {
                notify(reason);
            }
        }
        was_open
    }

    /// Who hears about locks (the app: an event to every window).
    pub fn set_on_lock(&self, f: impl Fn(LockReason) + Send + Sync + 'static) {
        *self.on_lock.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(f));
    }

    /// The person used the app (the UI reports input, throttled): the auto-lock deadline moves on.
    pub fn touch(&self) {
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) =
            (Instant::now(), SystemTime::now());
    }

    /// Test hook: pretend the last activity was `ago` before now.
    pub fn backdate_activity(&self, ago: Duration) {
        let at = Instant::now().checked_sub(ago).unwrap_or_else(Instant::now);
        let wall = SystemTime::now()
            .checked_sub(ago)
            .unwrap_or_else(SystemTime::now);
        *self.last_activity.lock().unwrap_or_else(|p| p.into_inner()) = (at, wall);
    }

    /// How long the vault may stay open without activity, or `None` when auto-lock is off (0 minutes).
    pub fn idle_limit(&self) -> Option<Duration> {
        match self.settings().auto_lock_minutes {
            0 => None,
            minutes => Some(Duration::from_secs(u64::from(minutes) * 60)),
        }
    }

    /// How long until the deadline (zero once it has passed), or `None` when auto-lock is off.
    pub fn until_deadline(&self, now: Instant) -> Option<Duration> {
        let limit = self.idle_limit()?;
        let (last, last_wall) = *self.last_activity.lock().unwrap_or_else(|p| p.into_inner());
        let monotonic = (last + limit).saturating_duration_since(now);
        // A wall clock that went backwards says nothing; one that went forwards (sleep) counts.
        let wall = SystemTime::now()
            .duration_since(last_wall)
            .map(|passed| limit.saturating_sub(passed))
            .unwrap_or(limit);
        Some(monotonic.min(wall))
    }

    /// Locks when the deadline has passed at `now`; returns whether this call locked it.
    pub fn lock_if_idle(&self, now: Instant) -> bool {
        match self.until_deadline(now) {
            Some(left) if left.is_zero() => self.lock(LockReason::Idle),
            _ => false,
        }
    }
}
