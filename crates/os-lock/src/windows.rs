//! Windows: a hidden window of our own, on its own thread with its own message loop, registered for
//! session notifications (`WTSRegisterSessionNotification`, this session only). It receives
//! `WM_WTSSESSION_CHANGE` (lock, disconnect) and the `WM_POWERBROADCAST` broadcast (suspend);
//! [`window_message`] decides which of them lock.
//!
//! Why not Tauri's main window: hooking tao's window procedure ties us to its internals, and the main
//! window can be closed to the tray and recreated. Why not a message-only window (`HWND_MESSAGE`): those
//! do not receive broadcast messages, and `WM_POWERBROADCAST` is one. The window is never shown
//! (`WS_EX_TOOLWINDOW` also keeps it out of Alt+Tab should anything show it).
//!
//! Compile-checked on Linux (`scripts/check-other-platforms.sh`), not run-tested.

use crate::signals::{win, window_message};
use crate::{Buses, OnLock};
use std::cell::RefCell;
use std::sync::mpsc;
use windows_sys::Win32::Foundation::{GetLastError, HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::RemoteDesktop::{
    WTSRegisterSessionNotification, NOTIFY_FOR_THIS_SESSION,
};
use windows_sys::Win32::UI::WindowsAndMessaging as wm;

// The numbers the shared mapping uses are the ones Windows sends.
const _: () = {
    assert!(win::WM_WTSSESSION_CHANGE == wm::WM_WTSSESSION_CHANGE);
    assert!(win::WM_POWERBROADCAST == wm::WM_POWERBROADCAST);
    assert!(win::WTS_SESSION_LOCK == wm::WTS_SESSION_LOCK);
    assert!(win::WTS_CONSOLE_DISCONNECT == wm::WTS_CONSOLE_DISCONNECT);
    assert!(win::WTS_REMOTE_DISCONNECT == wm::WTS_REMOTE_DISCONNECT);
    assert!(win::PBT_APMSUSPEND == wm::PBT_APMSUSPEND);
};

/// Right after logon the Terminal Services service may not be ready and registration fails
/// (`RPC_S_INVALID_BINDING`); the window retries on this timer until it succeeds.
const RETRY_TIMER: usize = 1;
const RETRY_EVERY_MS: u32 = 2_000;

thread_local! {
    /// The callback, for the window procedure (a plain `extern "system" fn`) on the watcher's thread.
    static ON_LOCK: RefCell<Option<OnLock>> = const { RefCell::new(None) };
}

pub(crate) fn watch(_buses: &Buses, on_lock: OnLock) -> Vec<String> {
    let (ready, started) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("tessera-os-lock".into())
        .spawn(move || run(on_lock, ready));
    if let Err(e) = spawned {
        return vec![format!("Windows: could not start the watcher thread: {e}")];
    }
    started
        .recv()
        .unwrap_or_else(|_| vec!["Windows: the watcher thread stopped while starting".into()])
}

/// The watcher thread: creates the window, reports how that went, then pumps its messages forever.
fn run(on_lock: OnLock, ready: mpsc::Sender<Vec<String>>) {
    ON_LOCK.with(|slot| *slot.borrow_mut() = Some(on_lock));
    let hwnd = match create_window() {
        Ok(hwnd) => hwnd,
        Err(problem) => {
            let _ = ready.send(vec![problem]);
            return;
        }
    };
    let mut problems = Vec::new();
    if !register_session_notifications(hwnd) {
        problems.push(format!(
            "Windows session notifications (error {}): retrying every {} s; suspend still locks",
            unsafe { GetLastError() },
            RETRY_EVERY_MS / 1000
        ));
        unsafe { wm::SetTimer(hwnd, RETRY_TIMER, RETRY_EVERY_MS, None) };
    }
    let _ = ready.send(problems);
    let mut msg: wm::MSG = Default::default();
    // GetMessageW returns 0 on WM_QUIT and -1 on error; neither happens to a window nobody closes.
    while unsafe { wm::GetMessageW(&mut msg, std::ptr::null_mut(), 0, 0) } > 0 {
        unsafe { wm::DispatchMessageW(&msg) };
    }
}

fn create_window() -> Result<HWND, String> {
    let class_name = wide("TesseraOsLockWatcher");
    unsafe {
        let instance = GetModuleHandleW(std::ptr::null());
        let class = wm::WNDCLASSW {
            lpfnWndProc: Some(window_proc),
            hInstance: instance,
            lpszClassName: class_name.as_ptr(),
            ..Default::default()
        };
        // 0 also when the class exists already, which is fine: CreateWindowExW below then uses it.
        wm::RegisterClassW(&class);
        let hwnd = wm::CreateWindowExW(
            wm::WS_EX_TOOLWINDOW,
            class_name.as_ptr(),
            class_name.as_ptr(),
            wm::WS_OVERLAPPED,
            0,
            0,
            0,
            0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            instance,
            std::ptr::null(),
        );
        if hwnd.is_null() {
            return Err(format!(
                "Windows: could not create the hidden window for lock notifications (error {})",
                GetLastError()
            ));
        }
        Ok(hwnd)
    }
}

fn register_session_notifications(hwnd: HWND) -> bool {
    unsafe { WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION) != 0 }
}

unsafe extern "system" fn window_proc(
    hwnd: HWND,
    msg: u32,
    wparam: WPARAM,
    lparam: LPARAM,
) -> LRESULT {
    if msg == wm::WM_TIMER && wparam == RETRY_TIMER {
        if register_session_notifications(hwnd) {
            wm::KillTimer(hwnd, RETRY_TIMER);
        }
        return 0;
    }
    if let Some(reason) = window_message(msg, wparam) {
        // Synchronous on purpose: Windows sends PBT_APMSUSPEND and gives each window about two seconds
        // before suspending, and locking (dropping the session) takes far less.
        ON_LOCK.with(|slot| {
            if let Some(on_lock) = slot.borrow().as_ref() {
                on_lock(reason);
            }
        });
    }
    // For WM_POWERBROADCAST this returns TRUE (go ahead), which is what we want.
    wm::DefWindowProcW(hwnd, msg, wparam, lparam)
}

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}
