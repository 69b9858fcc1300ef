//! How WebKitGTK draws Tessera's windows. Measured with scripts/bench-app.sh: with WebKit's default
//! (GPU compositing, which on a machine without a usable GPU means Mesa's llvmpipe) the web process
//! maps the whole LLVM/GL stack and keeps two render threads busy at start; a list of codes gains
//! nothing from compositing. So Tessera asks WebKit not to use hardware acceleration for its windows
//! (a WebKit setting of this app, not an environment variable). The main window only: switched on the
//! quick-copy window right after it is made, its page never reported ready (to be looked at).
//! `TESSERA_WEBKIT_COMPOSITING=1` keeps
//! WebKit's default, for comparing the two in the benchmark.

/// Turns WebKit's accelerated compositing off for this window (Linux; elsewhere nothing).
pub fn software_compositing<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    #[cfg(target_os = "linux")]
    {
        if std::env::var_os("TESSERA_WEBKIT_COMPOSITING").is_some_and(|v| v == "1") {
            return;
        }
        let _ = window.with_webview(|wv| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = WebViewExt::settings(&wv.inner()) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
