//! Files: atomic save, the layout sidecar path, recent files, the config folder (where autosaves go, see
//! [`crate::recovery`]), and the native file picker (behind a trait, on a background thread, never on the UI
//! thread).

use crate::asl::{Document, SourceFormat};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Writes the document to `path` atomically (temporary file in the same folder, then rename), as YAML for a
/// `.yaml`/`.yml` path and JSON otherwise (converting when the document was read in the other format).
/// Refuses to write text that does not read back as the same document. Returns the text and its format.
pub fn save_document(doc: &Document, path: &Path) -> Result<(String, SourceFormat), String> {
    let format = SourceFormat::from_path(path);
    let text = doc.text_as(format);
    let back = format
        .parse(&text)
        .map_err(|e| format!("not saved: the document does not serialize ({e})"))?;
    if back != doc.to_json() {
        return Err("not saved: the written text would not read back as this document".into());
    }
    write_atomic(path, text.as_bytes())?;
    Ok((text, format))
}

/// The core's atomic write (temporary file, fsync, permissions kept, rename, directory fsync), reporting
/// errors as text.
pub use crate::fsutil::write_file as write_atomic;

pub use crate::layout::sidecar_path;

static CONFIG_DIR_OVERRIDE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Uses `dir` for settings, recent files and recovery for the rest of the process (tests).
pub fn set_config_dir(dir: PathBuf) {
    let _ = CONFIG_DIR_OVERRIDE.set(dir);
}

/// Where settings, the recent list and the recovery files live: `$STATEWRIGHT_CONFIG_DIR`, else
/// `$XDG_CONFIG_HOME/statewright`, else `~/.config/statewright`.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = CONFIG_DIR_OVERRIDE.get() {
        return Some(d.clone());
    }
    if let Some(d) = std::env::var_os("STATEWRIGHT_CONFIG_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CONFIG_HOME") {
        return Some(PathBuf::from(d).join("statewright"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config/statewright"))
}

pub const MAX_RECENT: usize = 10;

pub fn load_recent() -> Vec<PathBuf> {
    let Some(dir) = config_dir() else {
        return Vec::new();
    };
    std::fs::read_to_string(dir.join("recent.txt"))
        .map(|t| {
            t.lines()
                .filter(|l| !l.is_empty())
                .map(PathBuf::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Puts `path` first in the recent list and stores it.
pub fn push_recent(recent: &mut Vec<PathBuf>, path: &Path) {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    recent.retain(|p| p != &path);
    recent.insert(0, path);
    recent.truncate(MAX_RECENT);
    if let Some(dir) = config_dir() {
        let _ = std::fs::create_dir_all(&dir);
        let text: String = recent
            .iter()
            .map(|p| format!("{}\n", p.display()))
            .collect();
        let _ = write_atomic(&dir.join("recent.txt"), text.as_bytes());
    }
}

/// Native file dialogs. Tests inject [`NoPicker`]; the app uses [`NativePicker`] when a display exists.
pub trait FilePicker: Send {
    /// Whether dialogs can be shown at all (else the UI offers only the typed-path fallback).
    fn available(&self) -> bool;
    /// Starts a dialog on a background thread; the answer arrives on the returned channel.
    fn pick(&self, save: bool, ctx: egui::Context) -> mpsc::Receiver<Option<PathBuf>>;
}

/// Looks at a file dialog started by [`FilePicker::pick`]: `Some(answer)` once it is closed (the path, or
/// `None` when cancelled or lost), clearing `picking`; `None` while it is still open or none was started.
pub fn poll_pick(picking: &mut Option<mpsc::Receiver<Option<PathBuf>>>) -> Option<Option<PathBuf>> {
    let answer = match picking.as_ref()?.try_recv() {
        Ok(p) => p,
        Err(mpsc::TryRecvError::Disconnected) => None,
        Err(mpsc::TryRecvError::Empty) => return None,
    };
    *picking = None;
    Some(answer)
}

/// rfd's portal/zenity dialogs, each on its own thread.
pub struct NativePicker;

impl FilePicker for NativePicker {
    fn available(&self) -> bool {
        std::env::var_os("STATEWRIGHT_NO_NATIVE_DIALOGS").is_none()
            && (std::env::var_os("DISPLAY").is_some()
                || std::env::var_os("WAYLAND_DISPLAY").is_some())
    }

    fn pick(&self, save: bool, ctx: egui::Context) -> mpsc::Receiver<Option<PathBuf>> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let dialog =
                rfd::FileDialog::new().add_filter("State machine", &["json", "yaml", "yml"]);
            let picked = if save {
                dialog.set_file_name("state-machine.asl.json").save_file()
            } else {
                dialog.pick_file()
            };
            let _ = tx.send(picked);
            ctx.request_repaint();
        });
        rx
    }
}

/// No dialogs (tests, headless): only the typed path works.
pub struct NoPicker;

impl FilePicker for NoPicker {
    fn available(&self) -> bool {
        false
    }
    fn pick(&self, _save: bool, _ctx: egui::Context) -> mpsc::Receiver<Option<PathBuf>> {
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}
