//! File helpers shared by the CLI and the designer: the one way user files are written.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `contents` to `path` atomically and durably:
///
/// 1. a new temporary file in the same directory (so the rename cannot cross file systems), created with the
///    permissions of the file it replaces (a `0600` file stays `0600`; a new file gets the default, `0666`
///    less the umask), set before any byte is written;
/// 2. the contents written and `fsync`ed;
/// 3. renamed over `path` (when `path` is a symlink, over the file it points to, so the link stays);
/// 4. the directory `fsync`ed, so the rename itself survives a crash.
///
/// A crash leaves either the old file or the new one, never half of each. On an error the original is left
/// as it was and the temporary file is removed.
///
/// A path that names something other than a regular file or a directory (`/dev/stdout`, `/dev/null`, a FIFO)
/// is written in place: there is nothing to replace atomically, and replacing a device with a file is wrong.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
        return f.write_all(contents).and_then(|()| f.flush());
    }
    let target = resolve_symlink(path)?;
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let original = std::fs::metadata(&target).ok();
    let (tmp, mut file) = create_temp(&dir, &target)?;
    let result = (|| {
        if let Some(meta) = &original {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, &target)?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// [`write_atomic`] with the error as one message naming the file (`cannot write <path>: <reason>`), for
/// callers that report errors as text.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<(), String> {
    write_atomic(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A symlink's final target (so saving through a link updates the file, not the link); other paths as given.
fn resolve_symlink(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// Creates a new, unique temporary file beside `target`: `.<name>.<pid>.<n>.tmp`, the name part shortened so
/// the whole stays within the usual 255-byte limit.
fn create_temp(dir: &Path, target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "statewright".into());
    let name = &name[..name.floor_char_boundary(200)];
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Makes a rename in `dir` durable. File systems that cannot sync a directory say so with `EINVAL`; that is
/// not an error for the caller, whose file is in place.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Ok(()),
        r => r,
    }
}

/// Windows cannot open a directory as a file; its rename is durable once the file's data is flushed.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write_atomic;
    use std::path::PathBuf;

    fn scratch(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sw-atomic-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces_without_leaving_a_temp_file() {
        let dir = scratch("replace");
        let p = dir.join("a.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(entries(&dir), ["a.json"], "no temp file left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_permissions_of_the_file_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("perms");
        let secret = dir.join("secret.asl.json");
        std::fs::write(&secret, b"old").unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&secret, b"new").unwrap();
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a 0600 file stays 0600, got {mode:o}");
        assert_eq!(std::fs::read(&secret).unwrap(), b"new");

        let shared = dir.join("shared.asl.json");
        std::fs::write(&shared, b"old").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o664)).unwrap();
        write_atomic(&shared, b"new").unwrap();
        let mode = std::fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664, "a 0664 file stays 0664, got {mode:o}");

        // A new file gets what any new file gets here (0666 less the umask), like `File::create`.
        let reference = dir.join("reference");
        std::fs::File::create(&reference).unwrap();
        let fresh = dir.join("fresh.asl.json");
        write_atomic(&fresh, b"x").unwrap();
        assert_eq!(
            std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            std::fs::metadata(&reference).unwrap().permissions().mode() & 0o777
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_keeps_pointing_at_the_saved_file() {
        let dir = scratch("symlink");
        let real = dir.join("real.asl.json");
        std::fs::write(&real, b"old").unwrap();
        let link = dir.join("link.asl.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        assert_eq!(entries(&dir), ["link.asl.json", "real.asl.json"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failed_write_leaves_the_original_and_no_temp_file() {
        let dir = scratch("fail");
        // The target is a directory with a file in it: the rename over it fails (also for root, unlike a
        // read-only directory), after the temporary file was written.
        let target = dir.join("taken.asl.json");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside"), b"keep").unwrap();
        assert!(write_atomic(&target, b"new").is_err());
        assert_eq!(std::fs::read(target.join("inside")).unwrap(), b"keep");
        assert_eq!(
            entries(&dir),
            ["taken.asl.json"],
            "no temp file left behind"
        );
        // A missing folder: an error, nothing created.
        assert!(write_atomic(&dir.join("missing/x.json"), b"new").is_err());
        assert_eq!(entries(&dir), ["taken.asl.json"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_an_error_and_the_original_stays() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("readonly");
        let p = dir.join("a.json");
        std::fs::write(&p, b"old").unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
        // Root may write anyway; then the save succeeds, which is also correct (and checked).
        let root_can_write = std::fs::File::create(dir.join("probe")).is_ok();
        let _ = std::fs::remove_file(dir.join("probe"));
        let result = write_atomic(&p, b"new");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        if root_can_write {
            result.unwrap();
            assert_eq!(std::fs::read(&p).unwrap(), b"new");
        } else {
            assert!(result.is_err());
            assert_eq!(std::fs::read(&p).unwrap(), b"old");
        }
        assert_eq!(entries(&dir), ["a.json"], "no temp file left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_in_place_not_replaced() {
        // Like `--trace /dev/stdout` or `-o /dev/null`: a special file is written, never replaced.
        use std::os::unix::fs::FileTypeExt;
        let dir = scratch("fifo");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"through the pipe").unwrap();
        let meta = std::fs::symlink_metadata(&fifo).unwrap();
        assert!(
            meta.file_type().is_fifo(),
            "the FIFO was replaced by a file"
        );
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert_eq!(entries(&dir), ["pipe"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_long_file_name_still_gets_a_temp_file() {
        let dir = scratch("long");
        let name = format!("{}.asl.json", "n".repeat(240));
        let p = dir.join(&name);
        write_atomic(&p, b"x").unwrap();
        assert_eq!(entries(&dir), [name]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
