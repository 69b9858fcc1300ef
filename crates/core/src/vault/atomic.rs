//! Crash-safe replacement of a file: the old contents stay readable until the new ones are complete
//! and on disk, and the previous generation is kept as `<name>.bak`.
//!
//! Steps: write a temp file in the same directory (same file system, so rename is atomic), fsync it,
//! keep the current file as the backup (hard link, falling back to a copy), rename the temp file over
//! the target, fsync the directory so the rename itself survives a power cut. At every instant the
//! target path names either the complete old file or the complete new one.

use rand::RngCore;
use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const TMP_MARK: &str = ".tmp-";
/// Temp files left by a crash are removed by a later save once they are this old (a younger one may
/// belong to a save running right now in another process).
const STALE_TMP_AGE: Duration = Duration::from_secs(600);

/// `vault.tessera` → `vault.tessera.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name: OsString = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

fn tmp_path(path: &Path, tag: &str) -> PathBuf {
    let mut name: OsString = OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(
        "{tag}{TMP_MARK}{:016x}",
        rand::rngs::OsRng.next_u64()
    ));
    path.with_file_name(name)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file a symlink points to (fully resolved), else `path` itself: saves then replace the real
/// file beside its target instead of turning the link into a diverging regular file (review #14).
pub fn resolve_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.into())
        }
        _ => path.to_path_buf(),
    }
}

/// What is wrong with the permissions of a vault file and its directory, as sentences (review #23, as
/// ssh does): a directory others can write to lets them replace the vault; a file others can read
/// gives them the encrypted vault to attack offline. Empty when all is well (and on non-Unix).
pub fn permission_warnings(path: &Path) -> Vec<String> {
    let mut out = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = parent_dir(path);
        if let Ok(m) = fs::metadata(&dir) {
            let raw = m.permissions().mode();
            let mode = raw & 0o777;
            // A sticky directory (like /tmp) keeps others from replacing files they do not own.
            if mode & 0o022 != 0 && raw & 0o1000 == 0 {
                out.push(format!(
                    "the vault directory {} can be changed by other users (mode {mode:o}); run `chmod 700 {}`",
                    dir.display(),
                    dir.display()
                ));
            }
        }
        for file in [path.to_path_buf(), backup_path(path)] {
            if let Ok(m) = fs::metadata(&file) {
                let mode = m.permissions().mode() & 0o777;
                if mode & 0o077 != 0 {
                    out.push(format!(
                        "{} can be read by other users (mode {mode:o}); run `chmod 600 {}`",
                        file.display(),
                        file.display()
                    ));
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    out
}

/// Creates `dir` (and its parents) owner-only (0700 on Unix).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Which step failed, so the caller can say "could not <step> <path>".
#[derive(Debug)]
pub struct SaveError {
    pub step: &'static str,
    pub path: PathBuf,
    pub source: io::Error,
}

fn step<T>(step: &'static str, path: &Path, r: io::Result<T>) -> Result<T, SaveError> {
    r.map_err(|source| SaveError {
        step,
        path: path.to_path_buf(),
        source,
    })
}

/// Replaces `path` with `data` crash-safely, keeping the previous file as `<path>.bak`.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), SaveError> {
    write_atomic_with(path, data, &mut |file, data| file.write_all(data))
}

/// What becomes of the previous generation (`<path>.bak`) when a file is replaced.
pub enum Previous {
    /// The file being replaced becomes the `.bak` (a hard link).
    Keep,
    /// These bytes become the `.bak` (the previous generation re-sealed under a new key), written and
    /// flushed before the target is replaced.
    Replace(Vec<u8>),
    /// No `.bak` is kept (an existing one is removed after the replace).
    Discard,
}

/// As [`write_atomic`], with the writing of the temp file done by `write` (tests inject failures here).
pub fn write_atomic_with(
    path: &Path,
    data: &[u8],
    write: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), SaveError> {
    write_atomic_full(path, data, &Previous::Keep, write)
}

/// As [`write_atomic_with`], choosing what becomes of the previous generation.
pub fn write_atomic_full(
    path: &Path,
    data: &[u8],
    previous: &Previous,
    write: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
) -> Result<(), SaveError> {
    if path.is_dir() {
        return Err(SaveError {
            step: "write",
            path: path.to_path_buf(),
            source: io::Error::new(io::ErrorKind::IsADirectory, "it is a directory"),
        });
    }
    let dir = parent_dir(path);
    remove_stale_temps(path, &dir);
    let tmp = tmp_path(path, "");
    let result = (|| {
        let mut file = step("create a temporary file in", &dir, create_private(&tmp))?;
        step("write", &tmp, write(&mut file, data))?;
        step("flush to disk", &tmp, file.sync_all())?;
        drop(file);
        match previous {
            Previous::Keep if path.exists() => keep_backup(path)?,
            Previous::Keep => {}
            Previous::Replace(bak) => write_backup(path, bak)?,
            Previous::Discard => {}
        }
        step("replace", path, fs::rename(&tmp, path))?;
        if let Previous::Discard = previous {
            match fs::remove_file(backup_path(path)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    step("remove the old backup copy", &backup_path(path), Err(e))?
                }
                _ => {}
            }
        }
        sync_dir(&dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Makes `<path>.bak` the current file: a hard link when possible (instant, no extra space), else a
/// copy written through its own temp file. Replacing the backup is itself atomic.
fn keep_backup(path: &Path) -> Result<(), SaveError> {
    let bak = backup_path(path);
    let tmp = tmp_path(path, ".bak");
    let linked = fs::hard_link(path, &tmp).is_ok();
    if !linked {
        let r = (|| {
            fs::copy(path, &tmp)?;
            File::open(&tmp)?.sync_all()
        })();
        if let Err(e) = r {
            let _ = fs::remove_file(&tmp);
            return step("keep a backup copy of", path, Err(e));
        }
    }
    // Owner-only, whatever mode the previous file had (a hard link shares it: finding #23).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&tmp, fs::Permissions::from_mode(0o600));
    }
    let r = fs::rename(&tmp, &bak);
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    step("keep a backup copy of", path, r)
}

/// Writes `bak` as `<path>.bak` through its own private temp file (atomic, flushed).
fn write_backup(path: &Path, bak: &[u8]) -> Result<(), SaveError> {
    let target = backup_path(path);
    let tmp = tmp_path(path, ".bak");
    let r = (|| {
        let mut file = create_private(&tmp)?;
        file.write_all(bak)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)
    })();
    if r.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    step("keep a backup copy of", path, r)
}

/// Writes a NEW file that nobody else can read (exports, backups: review findings #5 and #10): the
/// bytes go to an owner-only (0600) temp file with a random name, created exclusively (so a planted
/// symlink is never followed), flushed; then the temp file is hard-linked to `path`, which fails when
/// anything (a file, a symlink) already exists there: an existing file is never replaced, not even in
/// a race. Where hard links are not supported, a rename after an existence check is the fallback.
pub fn write_new_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path);
    if path.file_name().is_none() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path has no file name",
        ));
    }
    let tmp = tmp_path(path, "");
    let result = (|| {
        let mut file = create_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        match fs::hard_link(&tmp, path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(e),
            Err(_) if fs::symlink_metadata(path).is_err() => fs::rename(&tmp, path)?,
            Err(e) => return Err(e),
        }
        sync_dir(&dir);
        Ok(())
    })();
    let _ = fs::remove_file(&tmp);
    result
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Makes a completed rename durable. Only possible (and needed) on Unix; best effort, as some file
/// systems refuse fsync on directories and the data itself is already on disk.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn remove_stale_temps(path: &Path, dir: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let fname = entry.file_name();
        let Some(fname) = fname.to_str() else {
            continue;
        };
        if !(fname.starts_with(&prefix) && fname.contains(TMP_MARK)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_TMP_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_and_keeps_previous_generation() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("vault.tessera");
        write_atomic(&p, b"one").unwrap();
        assert_eq!(names(d.path()), vec!["vault.tessera"]);
        write_atomic(&p, b"two").unwrap();
        write_atomic(&p, b"three").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        assert_eq!(fs::read(backup_path(&p)).unwrap(), b"two");
        assert_eq!(names(d.path()), vec!["vault.tessera", "vault.tessera.bak"]);
    }

    #[test]
    fn failed_write_leaves_old_file_and_no_debris() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("vault.tessera");
        write_atomic(&p, b"good old contents").unwrap();
        // A disk that fills up half-way through the write.
        let err = write_atomic_with(&p, b"new contents that will not fit", &mut |f, data| {
            f.write_all(&data[..5])?;
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        })
        .unwrap_err();
        assert_eq!(err.step, "write");
        assert_eq!(fs::read(&p).unwrap(), b"good old contents");
        assert_eq!(names(d.path()), vec!["vault.tessera"]);
    }

    /// #5/#10: exports and backups are owner-only, and a file or planted symlink at the target is
    /// never replaced or written through.
    #[test]
    fn new_private_files_are_0600_and_never_replace_anything() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("export.txt");
        write_new_private(&p, b"secret list").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"secret list");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let err = write_new_private(&p, b"other").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&p).unwrap(), b"secret list");
        #[cfg(unix)]
        {
            let victim = d.path().join("victim.txt");
            fs::write(&victim, b"IMPORTANT DATA").unwrap();
            let link = d.path().join("b.tessera-backup");
            std::os::unix::fs::symlink(&victim, &link).unwrap();
            assert!(write_new_private(&link, b"TSRBAK").is_err());
            assert_eq!(fs::read(&victim).unwrap(), b"IMPORTANT DATA");
        }
        assert_eq!(names(d.path()).len(), if cfg!(unix) { 3 } else { 1 });
    }

    #[test]
    fn refuses_directory_target() {
        let d = tempfile::tempdir().unwrap();
        let err = write_atomic(d.path(), b"x").unwrap_err();
        assert_eq!(err.source.kind(), io::ErrorKind::IsADirectory);
    }

    #[test]
    fn missing_parent_is_an_error_not_a_panic() {
        let d = tempfile::tempdir().unwrap();
        let err = write_atomic(&d.path().join("no/such/dir/vault.tessera"), b"x").unwrap_err();
        assert_eq!(err.source.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn stale_temps_are_cleaned_young_ones_kept() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("vault.tessera");
        let stale = d.path().join(".vault.tessera.tmp-00000000deadbeef");
        let young = d.path().join(".vault.tessera.tmp-00000000cafebabe");
        fs::write(&stale, b"x").unwrap();
        fs::write(&young, b"y").unwrap();
        let old_time = SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&stale)
            .unwrap()
            .set_modified(old_time)
            .unwrap();
        write_atomic(&p, b"data").unwrap();
        assert!(!stale.exists());
        assert!(young.exists());
    }
}
