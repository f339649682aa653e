//! What a user asks for ([`Command`]), queued during the frame and applied at its end; edits go through the
//! [`Editor`] (undo, coalescing of typing).

use super::{App, FieldEdit, Pending};
use crate::edit::Op;
use std::path::PathBuf;

/// The visit key of typing in the code view (which is not one of the inspector's fields).
const CODE_VIEW_VISIT: &str = "code view";

/// What a user asked for; applied at the end of the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Edit(Op),
    /// A keystroke's edit: every one made while the focus stays in one text field (or the code view) is
    /// one undo step.
    EditCoalesced(Op),
    Select(Option<String>),
    /// Adds a state to the selection, or removes it (shift-click).
    ToggleSelect(String),
    /// Selects exactly these states (a rubber band); the first is the primary one.
    SelectMany(Vec<String>),
    Undo,
    Redo,
    New,
    Open(PathBuf),
    OpenDialog,
    OpenExample(usize),
    Save,
    SaveAs(Option<PathBuf>),
    DeleteSelection,
    DuplicateSelection,
    Copy,
    Paste(String),
    /// Forgets every pin (an undoable edit) and fits the view.
    AutoLayout,
    ZoomToFit,
    /// Zooms the canvas around the centre of the view (1.0 = 100%).
    SetZoom(f32),
    /// Multiplies the canvas zoom (keyboard zoom: Ctrl+Plus / Ctrl+Minus).
    ZoomBy(f32),
    ToggleCode,
    /// Writes a picture beside the file (`NAME.svg`, or `NAME.png` when `true`).
    Export {
        png: bool,
    },
    /// Writes a picture of the diagram with the loaded run at its current step drawn over it
    /// (`NAME.step-N.svg` or `.png`).
    ExportWithRun {
        png: bool,
    },
    /// Run > Simulate and the player.
    Run(crate::ui::player::RunCommand),
    Quit,
}

impl App {
    pub(super) fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        for c in commands {
            self.apply_command(c, ctx);
        }
    }

    pub(super) fn edit(&mut self, op: Op, coalesce: bool) {
        if self.refuse_read_only() {
            return;
        }
        use crate::ui::derived::Change;
        // The worker's copy of a big document replays the same operation.
        let forward = self.derived.has_worker().then(|| op.clone());
        let (result, change): (_, fn(Op, String) -> Change) = if coalesce {
            let visit = self.field_edit.key.as_deref().unwrap_or(CODE_VIEW_VISIT);
            (self.editor.apply_in_visit(op, visit), Change::ApplyInVisit)
        } else {
            (self.editor.apply(op), |op, _| Change::Apply(op))
        };
        match result {
            Ok(applied) => {
                if let Some(op) = forward {
                    let visit = self.field_edit.key.as_deref().unwrap_or(CODE_VIEW_VISIT);
                    let version = self.editor.machine_version();
                    self.derived.forward(change(op, visit.to_owned()), version);
                }
                self.revision += 1;
                if let Some(s) = applied.select {
                    if self.selection.as_deref() != Some(s.as_str()) {
                        self.field_edit = FieldEdit::default();
                    }
                    // A state just added (or pasted, duplicated) may lie outside the view.
                    self.canvas.reveal(s.clone());
                    self.multi = if applied.also_select.is_empty() {
                        Vec::new()
                    } else {
                        std::iter::once(s.clone())
                            .chain(applied.also_select)
                            .collect()
                    };
                    self.selection = Some(s);
                } else if self
                    .selection
                    .as_ref()
                    .is_some_and(|s| crate::edit::find_state(self.editor.machine(), s).is_none())
                {
                    self.selection = None;
                    self.multi.clear();
                }
                self.status = None;
            }
            Err(e) => self.status = Some(e.to_string()),
        }
    }

    pub(super) fn apply_command(&mut self, c: Command, ctx: &egui::Context) {
        match c {
            Command::Edit(op) => self.edit(op, false),
            Command::EditCoalesced(op) => self.edit(op, true),
            Command::Select(s) => {
                if s != self.selection {
                    self.field_edit = FieldEdit::default();
                }
                self.selection = s;
                self.multi.clear();
            }
            Command::ToggleSelect(name) => {
                let mut all = self.selected();
                if let Some(i) = all.iter().position(|n| *n == name) {
                    all.remove(i);
                } else {
                    all.push(name);
                }
                self.set_selected(all);
            }
            Command::SelectMany(names) => self.set_selected(names),
            Command::Undo => {
                if let Some(l) = self.undo_redo(false) {
                    self.revision += 1;
                    self.status = Some(format!("Undid {l}"));
                    self.field_edit = FieldEdit::default();
                    self.fix_selection();
                }
            }
            Command::Redo => {
                if let Some(l) = self.undo_redo(true) {
                    self.revision += 1;
                    self.status = Some(format!("Redid {l}"));
                    self.field_edit = FieldEdit::default();
                    self.fix_selection();
                }
            }
            Command::New => self.guard(Pending::New, ctx),
            Command::Open(p) => self.guard(Pending::Open(p), ctx),
            Command::OpenDialog => self.guard(Pending::OpenDialog, ctx),
            Command::OpenExample(i) => self.guard(Pending::OpenExample(i), ctx),
            Command::Save => self.save(None, ctx),
            Command::SaveAs(p) => match p {
                Some(p) => self.start_save(p, None, ctx),
                None => self.start_save_dialog(ctx),
            },
            Command::DeleteSelection => match self.selected().as_slice() {
                [] => {}
                [one] => self.edit(Op::Delete { name: one.clone() }, false),
                many => self.edit(
                    Op::DeleteMany {
                        names: many.to_vec(),
                    },
                    false,
                ),
            },
            Command::DuplicateSelection => match self.selected().as_slice() {
                [] => {}
                [one] => self.edit(Op::Duplicate { name: one.clone() }, false),
                many => self.edit(
                    Op::DuplicateMany {
                        names: many.to_vec(),
                    },
                    false,
                ),
            },
            Command::Copy => {
                let names = self.selected();
                if !names.is_empty() {
                    let json = crate::edit::copy_states(self.editor.machine(), &names);
                    let text = crate::json::canonical_text(&json, crate::json::Style::default());
                    ctx.copy_text(text.clone());
                    self.clipboard = Some(text);
                }
            }
            Command::Paste(text) => match crate::json::parse(&text) {
                Ok(states) => {
                    let scope = self
                        .selection
                        .as_ref()
                        .and_then(|s| crate::edit::find_scope(self.editor.machine(), s))
                        .unwrap_or_default();
                    self.edit(Op::Paste { scope, states }, false);
                }
                Err(_) => self.status = Some("The clipboard does not hold states".into()),
            },
            Command::AutoLayout => {
                self.edit(Op::ClearPins, false);
                self.canvas.fit_next_frame();
            }
            Command::ZoomToFit => self.canvas.fit_next_frame(),
            Command::SetZoom(z) => self.canvas.zoom_next_frame(z),
            Command::ZoomBy(f) => self.canvas.zoom_by(f),
            Command::ToggleCode => {
                self.show_code = !self.show_code;
                self.code_for = None;
            }
            Command::Export { png } => self.start_export(png, false, ctx),
            Command::ExportWithRun { png } => self.start_export(png, true, ctx),
            Command::Run(c) => crate::ui::player::apply(self, c, ctx),
            Command::Quit => self.guard(Pending::Quit, ctx),
        }
    }

    /// For a read-only template form: refuses an edit, saying why (and where to change it). Returns whether
    /// it refused.
    pub(super) fn refuse_read_only(&mut self) -> bool {
        let Some(reason) = self.read_only_reason() else {
            return false;
        };
        self.status = Some(format!("Not changed (read-only): {reason}"));
        self.field_edit = FieldEdit::default();
        true
    }

    pub(super) fn fix_selection(&mut self) {
        let m = self.editor.machine();
        self.multi
            .retain(|s| crate::edit::find_state(m, s).is_some());
        if self
            .selection
            .as_ref()
            .is_some_and(|s| crate::edit::find_state(m, s).is_none())
        {
            self.selection = self.multi.first().cloned();
        }
    }

    /// Selects exactly `names` (the first is the primary one).
    pub(super) fn set_selected(&mut self, names: Vec<String>) {
        let primary = names.first().cloned();
        if primary != self.selection {
            self.field_edit = FieldEdit::default();
        }
        self.selection = primary;
        self.multi = if names.len() > 1 { names } else { Vec::new() };
    }
}
