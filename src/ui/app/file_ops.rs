//! File operations of the designer: open (dialog, typed path, dropped files), save, autosave, the close
//! request, and the layout sidecar beside the document.

use super::{App, Command, Pending};
use crate::asl::{Document, SourceFormat, StateMachine};
use crate::edit::{Editor, Pins};
use crate::ui::files;
use crate::ui::layout::LayoutFile;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// The pins in the layout sidecar beside `path` (none without a path or a readable sidecar).
pub(super) fn sidecar_pins(path: Option<&Path>) -> Pins {
    path.and_then(|p| LayoutFile::load(&files::sidecar_path(p)).ok())
        .map(|f| f.positions)
        .unwrap_or_default()
}

impl App {
    /// Writes the pins beside the document (part of Save; moving a state writes nothing by itself); no pins:
    /// no sidecar.
    pub(super) fn save_sidecar(&self) -> Result<(), String> {
        let Some(p) = &self.path else { return Ok(()) };
        let side = files::sidecar_path(p);
        if self.editor.pins().is_empty() {
            let _ = std::fs::remove_file(&side);
            return Ok(());
        }
        let f = LayoutFile {
            positions: self.editor.pins().clone(),
            ..LayoutFile::default()
        };
        f.save(&side)
    }

    pub(super) fn run_pending(&mut self, p: Pending, ctx: &egui::Context) {
        match p {
            Pending::New => {
                self.replace_document(Document::from_machine(StateMachine::default()), None)
            }
            Pending::Open(path) => self.open_now(&path),
            Pending::OpenDialog => self.start_open_dialog(ctx),
            Pending::OpenExample(i) => {
                if let Some((name, text)) = crate::ui::EXAMPLES.get(i)
                    && let Ok(d) = Document::parse_json(text)
                {
                    self.replace_document(d, None);
                    self.example = Some(name);
                }
            }
            Pending::Quit => {
                self.quit_confirmed = true;
                files::clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    pub(super) fn guard(&mut self, p: Pending, ctx: &egui::Context) {
        if self.is_dirty() {
            self.pending = Some(p);
        } else {
            self.run_pending(p, ctx);
        }
    }

    pub(super) fn replace_document(&mut self, doc: Document, path: Option<PathBuf>) {
        self.set_editor(Editor::with_pins(doc, sidecar_pins(path.as_deref())));
        self.revision += 1;
        self.path = path;
        self.selection = None;
        self.multi.clear();
        self.canvas.fit_next_frame();
        self.code_for = None;
        self.code_error = None;
        files::clear_recovery();
    }

    pub(super) fn open_now(&mut self, path: &Path) {
        match read_document(path) {
            Ok(doc) => {
                self.replace_document(doc, Some(path.to_path_buf()));
                files::push_recent(&mut self.recent, path);
                self.status = Some(format!("Opened {}", path.display()));
            }
            Err(e) => self.status = Some(e),
        }
    }

    pub(super) fn start_open_dialog(&mut self, ctx: &egui::Context) {
        self.show_open_path = true;
        self.path_bar_saves = false;
        if self.picker.available() {
            self.picking = Some((false, self.picker.pick(false, ctx.clone())));
        }
    }

    /// Save As: the typed-path bar (prefilled with the current path), and the native dialog where there is one.
    pub(super) fn start_save_dialog(&mut self, ctx: &egui::Context) {
        self.show_open_path = true;
        self.path_bar_saves = true;
        self.open_path_text = self.path.as_ref().map_or_else(
            || "state-machine.asl.json".into(),
            |p| p.display().to_string(),
        );
        if self.picker.available() {
            self.picking = Some((true, self.picker.pick(true, ctx.clone())));
        }
    }

    pub(super) fn poll_picker(&mut self) {
        let Some((save, rx)) = &self.picking else {
            return;
        };
        let save = *save;
        match rx.try_recv() {
            Ok(Some(p)) => {
                self.picking = None;
                self.show_open_path = false;
                self.commands.push(if save {
                    Command::SaveAs(Some(p))
                } else {
                    Command::Open(p)
                });
            }
            Ok(None) | Err(mpsc::TryRecvError::Disconnected) => self.picking = None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(p) = dropped.into_iter().next().map(|f| f.path().to_path_buf()) {
            self.commands.push(Command::Open(p));
        }
    }

    /// Saves to `to` (or the current path). Returns whether it was written.
    pub(super) fn save(&mut self, to: Option<PathBuf>, ctx: &egui::Context) -> bool {
        let Some(path) = to.or_else(|| self.path.clone()) else {
            self.start_save_dialog(ctx);
            return false;
        };
        self.save_to(&path)
    }

    /// Saves to a path without dialogs (also used by tests).
    pub fn save_to(&mut self, path: &Path) -> bool {
        match files::save_document(&self.editor.doc, path) {
            Ok(_) => {
                self.path = Some(path.to_path_buf());
                let sidecar = self.save_sidecar();
                self.editor.mark_saved();
                self.derived.forward(
                    crate::ui::derived::Change::MarkSaved,
                    self.editor.machine_version(),
                );
                self.revision += 1;
                files::push_recent(&mut self.recent, path);
                files::clear_recovery();
                self.status = Some(match sidecar {
                    Ok(()) => format!("Saved {}", path.display()),
                    Err(e) => format!("Saved {}; the layout was not saved: {e}", path.display()),
                });
                true
            }
            Err(e) => {
                self.status = Some(e);
                false
            }
        }
    }

    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        const EVERY_SECS: f64 = 30.0;
        let now = ctx.input(|i| i.time);
        if now - self.last_autosave < EVERY_SECS {
            return;
        }
        self.last_autosave = now;
        if self.is_dirty() && self.recovery.is_none() {
            let _ = files::write_recovery(&self.editor.doc.to_text(), self.path.as_deref());
        }
    }

    pub(super) fn close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.quit_confirmed {
            if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else {
                files::clear_recovery();
            }
        }
    }
}

/// Reads a file as a document (JSON or YAML by extension).
pub fn read_document(path: &Path) -> Result<Document, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("could not open {}: {e}", path.display()))?;
    Document::from_bytes(&bytes, SourceFormat::from_path(path))
        .map_err(|e| format!("{}: {e}", path.display()))
}
