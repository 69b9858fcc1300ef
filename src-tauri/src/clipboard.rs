//! Copying codes: the system clipboard, cleared after a while if it still holds the code we put there
//! (so a code copied on a shared workstation doesn't linger, and anything the person copied since is
//! left alone).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The clipboard as the shell needs it; tests use [`MemoryClipboard`].
pub trait Clipboard: Send + Sync {
    fn set_text(&self, text: &str) -> Result<(), String>;
    fn get_text(&self) -> Option<String>;
    fn clear(&self);
    /// The image on the clipboard (a screenshot): width, height and RGBA bytes.
    fn get_image(&self) -> Option<ClipboardImage> {
        None
    }
}

/// An image read from the clipboard, as raw RGBA pixels.
pub struct ClipboardImage {
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

/// The real clipboard (X11/Wayland, macOS, Windows) through `arboard`, opened on first use.
#[derive(Default)]
pub struct SystemClipboard {
    inner: Mutex<Option<arboard::Clipboard>>,
}

impl SystemClipboard {
    fn with<T>(&self, f: impl FnOnce(&mut arboard::Clipboard) -> T) -> Result<T, String> {
        let mut guard = self
            .inner
            .lock()
            .map_err(|_| "the clipboard is unavailable".to_string())?;
        if guard.is_none() {
            *guard = Some(
                arboard::Clipboard::new()
                    .map_err(|e| format!("the clipboard is not available ({e})"))?,
            );
        }
        Ok(f(guard.as_mut().expect("set above")))
    }
}

impl Clipboard for SystemClipboard {
    fn set_text(&self, text: &str) -> Result<(), String> {
        self.with(|c| sensitive_set(c).text(text.to_owned()))?
            .map_err(|e| format!("could not copy the code ({e})"))
    }
    fn get_text(&self) -> Option<String> {
        self.with(|c| c.get_text().ok()).ok().flatten()
    }
    fn clear(&self) {
        let _ = self.with(|c| c.clear());
    }
    fn get_image(&self) -> Option<ClipboardImage> {
        let image = self.with(|c| c.get_image().ok()).ok().flatten()?;
        Some(ClipboardImage {
            width: image.width,
            height: image.height,
            rgba: image.bytes.into_owned(),
        })
    }
}

/// A clipboard write marked as sensitive, so clipboard history, cloud clipboard and clipboard managers
/// skip it (security review #7): `x-kde-passwordManagerHint` on Linux, `org.nspasteboard.ConcealedType`
/// on macOS, and the history / cloud / monitoring exclusions on Windows.
fn sensitive_set(c: &mut arboard::Clipboard) -> arboard::Set<'_> {
    let set = c.set();
    #[cfg(all(unix, not(any(target_os = "macos", target_os = "android"))))]
    let set = {
        use arboard::SetExtLinux;
        set.exclude_from_history()
    };
    #[cfg(target_os = "macos")]
    let set = {
        use arboard::SetExtApple;
        set.exclude_from_history()
    };
    #[cfg(windows)]
    let set = {
        use arboard::SetExtWindows;
        set.exclude_from_history()
            .exclude_from_cloud()
            .exclude_from_monitoring()
    };
    set
}

/// An in-memory clipboard for tests.
#[derive(Default)]
pub struct MemoryClipboard(
    Mutex<Option<String>>,
    Mutex<Option<(usize, usize, Vec<u8>)>>,
);

impl MemoryClipboard {
    /// Puts an image (RGBA pixels) on the clipboard, as a screenshot tool would.
    pub fn set_image(&self, width: usize, height: usize, rgba: Vec<u8>) {
        *self.1.lock().unwrap() = Some((width, height, rgba));
    }
}

impl Clipboard for MemoryClipboard {
    fn set_text(&self, text: &str) -> Result<(), String> {
        *self.0.lock().unwrap() = Some(text.to_owned());
        Ok(())
    }
    fn get_text(&self) -> Option<String> {
        self.0.lock().unwrap().clone()
    }
    fn clear(&self) {
        *self.0.lock().unwrap() = None;
        *self.1.lock().unwrap() = None;
    }
    fn get_image(&self) -> Option<ClipboardImage> {
        let (width, height, rgba) = self.1.lock().unwrap().clone()?;
        Some(ClipboardImage {
            width,
            height,
            rgba,
        })
    }
}

/// Puts codes on the clipboard and takes them off again.
pub struct CodeCopier {
    clipboard: Arc<dyn Clipboard>,
    generation: Arc<AtomicU64>,
    /// The last code put on the clipboard, so locking (and quitting) can take it off again.
    last: Mutex<Option<zeroize::Zeroizing<String>>>,
}

impl CodeCopier {
    pub fn new(clipboard: Arc<dyn Clipboard>) -> Self {
        CodeCopier {
            clipboard,
            generation: Arc::new(AtomicU64::new(0)),
            last: Mutex::new(None),
        }
    }

    /// Clears the clipboard when it still holds the last code Tessera put there (at lock and quit);
    /// whatever the person copied since is left alone.
    pub fn clear_if_ours(&self) {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(code) = last {
            if self.clipboard.get_text().as_deref() == Some(code.as_str()) {
                self.clipboard.clear();
            }
        }
    }

    pub fn clipboard(&self) -> &Arc<dyn Clipboard> {
        &self.clipboard
    }

    /// Copies `code`; after `clear_after` (if non-zero) clears the clipboard when it still holds this
    /// code and no later copy has happened.
    pub fn copy(&self, code: &str, clear_after: Duration) -> Result<(), String> {
        self.clipboard.set_text(code)?;
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(zeroize::Zeroizing::new(code.to_owned()));
        let mine = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if clear_after.is_zero() {
            return Ok(());
        }
        let clipboard = Arc::clone(&self.clipboard);
        let generation = Arc::clone(&self.generation);
        let code = zeroize::Zeroizing::new(code.to_owned());
        std::thread::spawn(move || {
            std::thread::sleep(clear_after);
            if generation.load(Ordering::SeqCst) == mine
                && clipboard.get_text().as_deref() == Some(code.as_str())
            {
                clipboard.clear();
            }
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clears_only_our_code() {
        let mem: Arc<dyn Clipboard> = Arc::new(MemoryClipboard::default());
        let copier = CodeCopier::new(Arc::clone(&mem));
        copier.copy("123456", Duration::from_millis(50)).unwrap();
        assert_eq!(mem.get_text().as_deref(), Some("123456"));
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(mem.get_text(), None);

        copier.copy("654321", Duration::from_millis(50)).unwrap();
        mem.set_text("something the person copied later").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(
            mem.get_text().as_deref(),
            Some("something the person copied later")
        );
    }

    #[test]
    fn lock_clears_our_code_but_not_the_persons_text() {
        let mem: Arc<dyn Clipboard> = Arc::new(MemoryClipboard::default());
        let copier = CodeCopier::new(Arc::clone(&mem));
        copier.copy("123456", Duration::ZERO).unwrap();
        copier.clear_if_ours();
        assert_eq!(mem.get_text(), None);
        copier.copy("654321", Duration::ZERO).unwrap();
        mem.set_text("a ward phone number").unwrap();
        copier.clear_if_ours();
        assert_eq!(mem.get_text().as_deref(), Some("a ward phone number"));
    }
}
