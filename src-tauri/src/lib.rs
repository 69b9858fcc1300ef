//! Tessera's desktop shell: Tauri commands that parse arguments, call `tessera-core` and map errors.

pub fn configure<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
}

pub fn run() {
    configure(tauri::Builder::default())
        .run(tauri::generate_context!())
        .expect("error while running Tessera");
}
