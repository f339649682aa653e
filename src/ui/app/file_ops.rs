//! File operations of the designer: the open and save dialogs (typed path, native picker, dropped files), the
//! unsaved-changes guard, replacing the document, the close request. The reading and writing itself runs in
//! the background (`background`), the layout sidecar with the document (pins are part of the edit state).

use super::{App, Command, Pending};
use crate::asl::{Document, StateMachine};
use crate::edit::{Editor, Pins};
use std::path::PathBuf;
use std::sync::mpsc;

impl App {
    pub(super) fn run_pending(&mut self, p: Pending, ctx: &egui::Context) {
        match p {
            Pending::New => self.replace_document(
                Document::from_machine(StateMachine::default()),
                None,
                Pins::new(),
            ),
            Pending::Open(path) => self.start_open(path, ctx),
            Pending::OpenDialog => self.start_open_dialog(ctx),
            Pending::OpenExample(i) => {
                if let Some((name, text)) = crate::ui::EXAMPLES.get(i)
                    && let Ok(d) = Document::parse_json(text)
                {
                    self.replace_document(d, None, Pins::new());
                    self.example = Some(name);
                }
            }
            Pending::Quit => {
                self.quit_confirmed = true;
                // Quitting without saving: the unsaved work was discarded on purpose.
                self.discard_recovery_now();
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

    /// Another document (with the pins read from its sidecar).
    pub(super) fn replace_document(&mut self, doc: Document, path: Option<PathBuf>, pins: Pins) {
        // The old document's changes were saved or discarded: its autosave is no longer needed.
        self.clear_own_recovery();
        self.bg.document_replaced();
        self.set_editor(Editor::with_pins(doc, pins));
        self.revision += 1;
        self.path = path;
        // Not a bundled example (opening one says so after this): its bundled mocks are not this document's.
        self.example = None;
        // A template's state machine says so after this (see `template_doc`).
        self.source = None;
        self.notice = None;
        self.selection = None;
        self.multi.clear();
        self.canvas.fit_next_frame();
        self.code_for = None;
        self.code_error = None;
    }

    pub(super) fn start_open_dialog(&mut self, ctx: &egui::Context) {
        self.show_open_path = true;
        self.path_bar_saves = false;
        if self.picker.available() {
            self.picking = Some((false, self.picker.pick(false, ctx.clone())));
        }
    }

    /// Save As: the typed-path bar (prefilled with the current path; for a template's state machine with a
    /// standalone `STEM.ID.asl.json` beside the template, the bar also offers saving back into the template),
    /// and the native dialog where there is one.
    pub(super) fn start_save_dialog(&mut self, ctx: &egui::Context) {
        self.show_open_path = true;
        self.path_bar_saves = true;
        self.open_path_text = match &self.source {
            Some(s) => s
                .standalone_path(crate::asl::SourceFormat::Json)
                .display()
                .to_string(),
            None => self.path.as_ref().map_or_else(
                || "state-machine.asl.json".into(),
                |p| p.display().to_string(),
            ),
        };
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

    /// Saves to the current path (or asks for one); `then` runs once the document is written. A read-only
    /// template form is not saved (Save As writes it as a standalone file).
    pub(super) fn save(&mut self, then: Option<Pending>, ctx: &egui::Context) {
        if let Some(reason) = self.read_only_reason() {
            self.status = Some(format!(
                "Save is not available: {reason}. Save As writes a standalone .asl.json"
            ));
            return;
        }
        match self.path.clone() {
            Some(path) => self.start_save(path, then, ctx),
            None => self.start_save_dialog(ctx),
        }
    }

    pub(super) fn close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if self.bg.saving() {
            // A save is being written: close when it is done, not halfway.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.bg.close_after_save = true;
        } else if !self.quit_confirmed {
            if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.pending = Some(Pending::Quit);
            } else {
                self.discard_recovery_now();
            }
        }
    }
}
