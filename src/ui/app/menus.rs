//! The menu bar, the banners above the canvas (recovered work, the typed-path bar) and the unsaved-changes
//! dialog.

use super::{App, Command, ZOOM_STEP};
use std::path::PathBuf;

impl App {
    pub(super) fn menu_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New").clicked() {
                    self.push(Command::New);
                }
                if ui.button("Open...").clicked() {
                    self.push(Command::OpenDialog);
                }
                ui.menu_button("Open Recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label("(none)");
                    }
                    for p in self.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.push(Command::Open(p));
                        }
                    }
                });
                ui.menu_button("Open Example", |ui| {
                    for (i, (name, _)) in crate::ui::EXAMPLES.iter().enumerate() {
                        if ui.button(*name).clicked() {
                            self.push(Command::OpenExample(i));
                        }
                    }
                });
                if let Some(t) = self
                    .source
                    .as_ref()
                    .filter(|s| s.template.machines().len() > 1)
                    .map(|s| s.template.path().to_owned())
                    && ui
                        .button("Other State Machine in Template...")
                        .on_hover_text(format!("Pick another state machine of {}", t.display()))
                        .clicked()
                {
                    self.push(Command::Open(t));
                }
                ui.separator();
                let read_only = self.read_only_reason().map(str::to_owned);
                if ui
                    .add_enabled(read_only.is_none(), egui::Button::new("Save"))
                    .on_disabled_hover_text(format!(
                        "Read-only: {}. Save As writes a standalone .asl.json",
                        read_only.as_deref().unwrap_or_default()
                    ))
                    .clicked()
                {
                    self.push(Command::Save);
                }
                if ui.button("Save As...").clicked() {
                    self.push(Command::SaveAs(None));
                }
                ui.separator();
                if ui
                    .button("Export SVG")
                    .on_hover_text("Writes NAME.svg beside the file")
                    .clicked()
                {
                    self.push(Command::Export { png: false });
                }
                if ui
                    .button("Export PNG")
                    .on_hover_text("Writes NAME.png beside the file")
                    .clicked()
                {
                    self.push(Command::Export { png: true });
                }
                if let Some(step) = self.run_player().map(|p| p.cursor.index().map_or(0, |i| i + 1)) {
                    if ui
                        .button("Export SVG with Run")
                        .on_hover_text(format!(
                            "Writes NAME.step-{step}.svg beside the file: the diagram with the run at step {step}"
                        ))
                        .clicked()
                    {
                        self.push(Command::ExportWithRun { png: false });
                    }
                    if ui
                        .button("Export PNG with Run")
                        .on_hover_text(format!(
                            "Writes NAME.step-{step}.png beside the file: the diagram with the run at step {step}"
                        ))
                        .clicked()
                    {
                        self.push(Command::ExportWithRun { png: true });
                    }
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = self
                    .editor
                    .undo_label()
                    .map_or("Undo".into(), |l| format!("Undo {l}"));
                if ui
                    .add_enabled(self.editor.undo_label().is_some(), egui::Button::new(undo))
                    .clicked()
                {
                    self.push(Command::Undo);
                }
                let redo = self
                    .editor
                    .redo_label()
                    .map_or("Redo".into(), |l| format!("Redo {l}"));
                if ui
                    .add_enabled(self.editor.redo_label().is_some(), egui::Button::new(redo))
                    .clicked()
                {
                    self.push(Command::Redo);
                }
                ui.separator();
                let has_sel = self.selection.is_some();
                if ui.add_enabled(has_sel, egui::Button::new("Copy")).clicked() {
                    self.push(Command::Copy);
                }
                if ui
                    .add_enabled(self.clipboard.is_some(), egui::Button::new("Paste"))
                    .clicked()
                    && let Some(c) = self.clipboard.clone()
                {
                    self.push(Command::Paste(c));
                }
                if ui
                    .add_enabled(has_sel, egui::Button::new("Duplicate"))
                    .clicked()
                {
                    self.push(Command::DuplicateSelection);
                }
                if ui
                    .add_enabled(has_sel, egui::Button::new("Delete"))
                    .clicked()
                {
                    self.push(Command::DeleteSelection);
                }
            });
            ui.menu_button("View", |ui| self.view_menu_ui(ui));
            ui.menu_button("Run", |ui| crate::ui::player::run_menu_ui(self, ui));
            ui.menu_button("Help", |ui| {
                ui.label("statewright: design AWS Step Functions state machines.");
                ui.label(
                    "Drag states from the palette; drag from a state's bottom handle to connect.",
                );
                ui.label("Ctrl+Z undo · Ctrl+Shift+Z redo · Del delete · Ctrl+D duplicate · F fit · Ctrl+0 100%");
            });
            ui.separator();
            let code_label = if self.show_code { "Diagram" } else { "Code" };
            if ui
                .selectable_label(self.show_code, code_label)
                .on_hover_text("Switch between the diagram and the ASL JSON")
                .clicked()
            {
                self.push(Command::ToggleCode);
            }
            if ui.button("Auto-layout").clicked() {
                self.push(Command::AutoLayout);
            }
            if ui.button("Fit").on_hover_text("Zoom to fit").clicked() {
                self.push(Command::ZoomToFit);
            }
            if self.is_busy() {
                ui.separator();
                self.file_progress_ui(ui);
                crate::ui::player::progress_ui(self, ui);
            }
            if let Some(s) = &self.status {
                ui.separator();
                ui.label(egui::RichText::new(s).weak());
            }
        });
    }

    /// The View menu: canvas zoom, (while editing) layout and code, presentation mode and the look.
    fn view_menu_ui(&mut self, ui: &mut egui::Ui) {
        if ui.button("Zoom to fit").clicked() {
            self.push(Command::ZoomToFit);
        }
        if ui.button("Actual size (100%)").clicked() {
            self.push(Command::SetZoom(1.0));
        }
        if ui
            .add(egui::Button::new("Zoom in").shortcut_text("Ctrl++"))
            .clicked()
        {
            self.push(Command::ZoomBy(ZOOM_STEP));
        }
        if ui
            .add(egui::Button::new("Zoom out").shortcut_text("Ctrl+-"))
            .clicked()
        {
            self.push(Command::ZoomBy(1.0 / ZOOM_STEP));
        }
        if !self.is_presenting() {
            if ui.button("Auto-layout").clicked() {
                self.push(Command::AutoLayout);
            }
            let label = if self.show_code {
                "Show diagram"
            } else {
                "Show code"
            };
            if ui.button(label).clicked() {
                self.push(Command::ToggleCode);
            }
        }
        ui.separator();
        self.appearance_menu_ui(ui);
    }

    /// The bar above the canvas while presenting: the Run and View menus, Fit, and the way out.
    pub(super) fn presentation_bar_ui(&mut self, ui: &mut egui::Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("Run", |ui| crate::ui::player::run_menu_ui(self, ui));
            ui.menu_button("View", |ui| self.view_menu_ui(ui));
            ui.separator();
            if ui.button("Fit").on_hover_text("Zoom to fit").clicked() {
                self.push(Command::ZoomToFit);
            }
            if self.is_busy() {
                ui.separator();
                crate::ui::player::progress_ui(self, ui);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Leave presentation")
                    .on_hover_text("Back to editing (F11 or Esc)")
                    .clicked()
                {
                    self.request_presenting(false);
                }
            });
        });
    }

    pub(super) fn banners_ui(&mut self, ui: &mut egui::Ui) {
        self.template_banners_ui(ui);
        self.recovery_banner_ui(ui);
        if self.show_open_path {
            let saves = self.path_bar_saves;
            let typed = PathBuf::from(self.open_path_text.trim());
            // Typing the path of another existing file asks for a second, explicit click.
            let overwrites =
                saves && self.path.as_deref() != Some(typed.as_path()) && typed.is_file();
            ui.horizontal(|ui| {
                let label = ui.label(if saves { "Save as:" } else { "Path to open:" });
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.open_path_text).desired_width(420.0))
                    .labelled_by(label.id);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let p = PathBuf::from(self.open_path_text.trim());
                let confirm = match (saves, overwrites) {
                    (false, _) => "Open path",
                    (true, false) => "Save to path",
                    (true, true) => "Overwrite",
                };
                if ui.button(confirm).clicked() || (enter && !overwrites) {
                    self.show_open_path = false;
                    self.push(if saves {
                        Command::SaveAs(Some(p))
                    } else {
                        Command::Open(p)
                    });
                }
                if ui.add_enabled(self.picker.available(), egui::Button::new("Browse..."))
                    .on_disabled_hover_text("No native file dialog here (no display, or STATEWRIGHT_NO_NATIVE_DIALOGS is set)")
                    .clicked()
                {
                    self.picking = Some((saves, self.picker.pick(saves, ui.ctx().clone())));
                }
                if ui.button("Cancel").clicked() {
                    self.show_open_path = false;
                }
            });
            if saves && let Some(s) = self.source.clone() {
                self.save_as_template_choices_ui(ui, &s);
            }
            if overwrites {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{} exists: Overwrite replaces it", typed.display()),
                );
            }
        }
    }

    pub(super) fn dialogs_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.pending.clone() else {
            return;
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::NULL.with("unsaved_changes")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!(
                "Save the changes to {} first?",
                self.path
                    .as_ref()
                    .map_or("this document".into(), |p| p.display().to_string())
            ));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Some(0);
                }
                if ui.button("Discard changes").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
            });
        });
        match choice {
            Some(0) => {
                self.pending = None;
                // The pending action runs once the save is written.
                self.save(Some(pending), ctx);
            }
            Some(1) => {
                self.pending = None;
                self.run_pending(pending, ctx);
            }
            Some(_) => self.pending = None,
            None => {}
        }
    }
}
