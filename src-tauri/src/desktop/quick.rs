//! The quick-copy window: made on first use, then only shown and hidden (showing a ready window is
//! what keeps "shortcut → ready for typing" short), centred on the screen the pointer is on.

use super::{QuickTrace, QUICK};
use std::time::Instant;
use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

const WIDTH: f64 = 520.0;
const HEIGHT: f64 = 380.0;

pub fn open<R: Runtime>(app: &AppHandle<R>) {
    if let Some(trace) = app.try_state::<QuickTrace>() {
        *trace.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
    }
    let window = match app.get_webview_window(QUICK) {
        Some(w) => w,
        None => {
            match WebviewWindowBuilder::new(app, QUICK, WebviewUrl::App("index.html#quick".into()))
                .title("Tessera quick copy")
                .inner_size(WIDTH, HEIGHT)
                .resizable(false)
                .decorations(false)
                .always_on_top(true)
                .skip_taskbar(true)
                .visible(false)
                .build()
            {
                Ok(w) => w,
                Err(e) => {
                    eprintln!("tessera: could not open quick copy: {e}");
                    return;
                }
            }
        }
    };
    place_on_pointer_screen(app, &window);
    let _ = window.show();
    let _ = window.set_always_on_top(true);
    let _ = window.set_focus();
    let _ = window.emit_to(QUICK, "quick-open", ());
}

/// Centres the window on the monitor under the pointer (the screen the person is looking at).
fn place_on_pointer_screen<R: Runtime>(app: &AppHandle<R>, window: &tauri::WebviewWindow<R>) {
    let Ok(pointer) = app.cursor_position() else {
        return;
    };
    let monitor = app
        .monitor_from_point(pointer.x, pointer.y)
        .ok()
        .flatten()
        .or_else(|| app.primary_monitor().ok().flatten());
    let Some(m) = monitor else { return };
    let scale = m.scale_factor();
    let (w, h) = ((WIDTH * scale) as i32, (HEIGHT * scale) as i32);
    let x = m.position().x + (m.size().width as i32 - w) / 2;
    let y = m.position().y + (m.size().height as i32 - h) / 3;
    let _ = window.set_position(tauri::PhysicalPosition::new(
        x.max(m.position().x),
        y.max(m.position().y),
    ));
}
