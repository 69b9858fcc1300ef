//! The auto-lock deadline, kept by Rust: the UI only reports activity (`report_activity`), and a
//! background thread locks the vault when nobody used the app for the auto-lock time, whether or not
//! the window is shown, hidden or its web view suspended. Every command that needs a secret checks
//! the deadline too (`AppState::with_session`), so a late wake-up never lets one through.

use crate::state::AppState;
use std::time::{Duration, Instant};
use tauri::{Manager, Runtime};

/// How often the thread looks at least (a shortened auto-lock time or a wall-clock jump is noticed
/// within this); otherwise it sleeps until the deadline.
pub const MAX_SLEEP: Duration = Duration::from_secs(15);

/// Starts the thread. `max_sleep` is [`MAX_SLEEP`] in the app; tests pass a few milliseconds.
pub fn spawn<R: Runtime>(app: tauri::AppHandle<R>, max_sleep: Duration) {
    std::thread::Builder::new()
        .name("tessera-auto-lock".into())
        .spawn(move || loop {
            let state = app.state::<AppState>();
            let now = Instant::now();
            state.lock_if_idle(now);
            let wait = match state.until_deadline(now) {
                Some(left) if state.is_unlocked() => {
                    left.clamp(Duration::from_millis(5), max_sleep)
                }
                _ => max_sleep,
            };
            std::thread::sleep(wait);
        })
        .expect("start the auto-lock thread");
}
