//! An exclusive advisory lock beside the vault (`<vault>.lock`, e.g. `vault.tessera.lock`), held from the
//! "unchanged on disk?" check until the rename (security review finding #2: two writers that both passed
//! the check before either renamed silently lost one's change). Every save goes through the core, so the
//! app and the CLI both take it. `flock` on Unix, `LockFileEx` on Windows (through `fd-lock`); the OS
//! releases it when the process dies, so a crash never leaves a vault locked.

use fd_lock::RwLock;
use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// `vault.tessera` → `vault.tessera.lock`.
pub fn lock_path(vault: &Path) -> PathBuf {
    let mut name: OsString = vault
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".lock");
    vault.with_file_name(name)
}

/// The open lock file; [`VaultLock::exclusive`] blocks until no other save holds it.
pub struct VaultLock {
    lock: RwLock<File>,
}

impl VaultLock {
    /// Opens (creating it owner-only when missing) the lock file of `vault`. The file stays: deleting a
    /// lock file while another process waits on it would let two writers in.
    pub fn open(vault: &Path) -> io::Result<VaultLock> {
        let path = lock_path(vault);
        let mut opts = OpenOptions::new();
        opts.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        Ok(VaultLock {
            lock: RwLock::new(opts.open(path)?),
        })
    }

    /// Runs `f` while holding the exclusive lock (waits for other holders first).
    pub fn exclusive<T>(&mut self, f: impl FnOnce() -> T) -> io::Result<T> {
        let _guard = self.lock.write()?;
        Ok(f())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let d = tempfile::tempdir().unwrap();
        let vault = d.path().join("vault.tessera");
        assert_eq!(lock_path(&vault), d.path().join("vault.tessera.lock"));
        let inside = Arc::new(AtomicBool::new(false));
        let mut first = VaultLock::open(&vault).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let inside = inside.clone();
            let vault = vault.clone();
            std::thread::spawn(move || {
                rx.recv().unwrap();
                let mut second = VaultLock::open(&vault).unwrap();
                second
                    .exclusive(|| assert!(!inside.load(Ordering::SeqCst), "both held the lock"))
                    .unwrap();
            })
        };
        first
            .exclusive(|| {
                inside.store(true, Ordering::SeqCst);
                tx.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(150));
                inside.store(false, Ordering::SeqCst);
            })
            .unwrap();
        waiter.join().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(lock_path(&vault))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
