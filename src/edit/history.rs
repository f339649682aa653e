//! Undo and redo. Every [`Op`] applied through [`Editor::apply`] is one step, recorded as the patches that
//! undo it (see [`super::record`]): a step holds copies of what it changed — the touched top-level state
//! entries, the machine's own fields, pins — never of the whole document. Keystrokes into one field are one
//! step per visit of the field ([`Editor::apply_in_visit`] until [`Editor::end_visit`]).

use super::record::{self, Patch, Pins};
use super::{Applied, EditError, Op};
use crate::asl::{Document, StateMachine};
use std::sync::atomic::{AtomicU64, Ordering};

/// Source of [`Editor::machine_version`] values, unique across editors.
static VERSIONS: AtomicU64 = AtomicU64::new(1);

fn fresh_version() -> u64 {
    VERSIONS.fetch_add(1, Ordering::Relaxed)
}

fn touches_machine(patches: &[Patch]) -> bool {
    patches.iter().any(Patch::touches_machine)
}

/// How many steps are kept.
pub const MAX_UNDO_STEPS: usize = 500;

#[derive(Clone, Debug)]
struct Step {
    label: String,
    /// Identifies the document version this step leads to (for [`Editor::is_dirty`]).
    id: u64,
    /// The field visit the step belongs to, while that visit is open.
    visit: Option<String>,
    patches: Vec<Patch>,
}

/// A document being edited, with its pins, its undo and redo stacks and the version it was last saved in.
#[derive(Clone, Debug)]
pub struct Editor {
    pub doc: Document,
    pins: Pins,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The version before the oldest kept undo step.
    base_id: u64,
    next_id: u64,
    /// The version last saved (or loaded); `None` once it can no longer be reached.
    saved_id: Option<u64>,
    /// The field visit the last step belongs to, while it lasts.
    open_visit: Option<String>,
    machine_version: u64,
}

impl Editor {
    pub fn new(doc: Document) -> Editor {
        Self::with_pins(doc, Pins::new())
    }

    /// A document with the pins read from its layout sidecar.
    pub fn with_pins(doc: Document, pins: Pins) -> Editor {
        Editor {
            doc,
            pins,
            undo: Vec::new(),
            redo: Vec::new(),
            base_id: 0,
            next_id: 1,
            saved_id: Some(0),
            open_visit: None,
            machine_version: fresh_version(),
        }
    }

    /// Changes whenever the document (machine or text) changes, not when only pins do; unique across
    /// editors, so results derived from a document (diagnostics, layout) can be keyed on it.
    pub fn machine_version(&self) -> u64 {
        self.machine_version
    }

    pub fn machine(&self) -> &StateMachine {
        &self.doc.machine
    }

    /// The user-placed positions of states (top-left corners, graph units).
    pub fn pins(&self) -> &Pins {
        &self.pins
    }

    /// Applies one operation as one undoable step. A refused operation (or one that changes nothing)
    /// leaves the history as it was.
    pub fn apply(&mut self, op: Op) -> Result<Applied, EditError> {
        self.open_visit = None;
        self.apply_step(op, None)
    }

    /// Applies an operation made while the user is in the field `visit` (a keystroke): every operation
    /// of one visit is one undo step, labelled by the first. The visit lasts until [`Editor::end_visit`],
    /// another operation, an undo or a redo.
    pub fn apply_in_visit(&mut self, op: Op, visit: &str) -> Result<Applied, EditError> {
        self.apply_step(op, Some(visit))
    }

    /// The user left the field: the next keystroke starts a new step.
    pub fn end_visit(&mut self) {
        self.open_visit = None;
    }

    fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn apply_step(&mut self, op: Op, visit: Option<&str>) -> Result<Applied, EditError> {
        let (applied, patches) =
            record::apply_recorded(&mut self.doc.machine, &mut self.pins, &op)?;
        if patches.is_empty() {
            return Ok(applied);
        }
        if touches_machine(&patches) {
            self.machine_version = fresh_version();
        }
        self.redo.clear();
        let id = self.fresh_id();
        let same_visit = visit.is_some() && self.open_visit.as_deref() == visit;
        match self.undo.last_mut() {
            Some(step) if same_visit && step.visit.as_deref() == visit => {
                record::merge_into(&mut step.patches, patches);
                step.id = id;
            }
            _ => {
                self.undo.push(Step {
                    label: applied.label.clone(),
                    id,
                    visit: visit.map(str::to_owned),
                    patches,
                });
                if self.undo.len() > MAX_UNDO_STEPS {
                    let dropped = self.undo.remove(0);
                    self.base_id = dropped.id;
                }
            }
        }
        self.open_visit = visit.map(str::to_owned);
        Ok(applied)
    }

    fn current_id(&self) -> u64 {
        self.undo.last().map_or(self.base_id, |s| s.id)
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        self.open_visit = None;
        let mut step = self.undo.pop()?;
        if touches_machine(&step.patches) {
            self.machine_version = fresh_version();
        }
        step.patches = record::apply_step(step.patches, &mut self.doc.machine, &mut self.pins);
        step.visit = None;
        let label = step.label.clone();
        self.redo.push(step);
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        self.open_visit = None;
        let mut step = self.redo.pop()?;
        if touches_machine(&step.patches) {
            self.machine_version = fresh_version();
        }
        step.patches = record::apply_step(step.patches, &mut self.doc.machine, &mut self.pins);
        let label = step.label.clone();
        self.undo.push(step);
        Some(label)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// How many steps can be undone.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// Whether the machine or the pins differ from the last save (or load), or the text was edited in the
    /// code view.
    pub fn is_dirty(&self) -> bool {
        self.saved_id != Some(self.current_id()) || self.doc.text_edited()
    }

    /// Records that the current text (and pins) were written to disk.
    pub fn mark_saved(&mut self) {
        self.doc.mark_saved();
        self.saved();
    }

    /// Records that `text` ([`Document::text_as`] `format`) was written to disk (Save As, which may convert):
    /// later saves are in that format.
    pub fn mark_saved_as(
        &mut self,
        text: String,
        format: crate::asl::SourceFormat,
    ) -> Result<(), crate::json::ParseError> {
        self.doc.mark_saved_as(text, format)?;
        self.saved();
        Ok(())
    }

    fn saved(&mut self) {
        // The saved text is the new baseline (diagnostics' line:col refer to it).
        self.machine_version = fresh_version();
        self.saved_id = Some(self.current_id());
        // A later keystroke must not fold into the saved version's step.
        self.open_visit = None;
    }

    /// Takes the code view's text as the text later saves splice into ([`Document::set_text`]); not an
    /// undo step (the machine it holds is set by an edit).
    pub fn set_text(&mut self, text: String) -> Result<(), crate::json::ParseError> {
        self.doc.set_text(text)?;
        self.machine_version = fresh_version();
        Ok(())
    }
}
