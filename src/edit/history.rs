//! Undo and redo over whole-machine snapshots: every [`Op`] applied through [`Editor::apply`] is one step.

use super::{Applied, EditError, Op};
use crate::asl::{Document, StateMachine};

/// How many steps are kept.
pub const MAX_UNDO_STEPS: usize = 500;

/// A document being edited, with its undo and redo stacks and the state it was last saved in.
#[derive(Clone, Debug)]
pub struct Editor {
    pub doc: Document,
    undo: Vec<(String, StateMachine)>,
    redo: Vec<(String, StateMachine)>,
    saved: StateMachine,
}

impl Editor {
    pub fn new(doc: Document) -> Editor {
        let saved = doc.machine.clone();
        Editor {
            doc,
            undo: Vec::new(),
            redo: Vec::new(),
            saved,
        }
    }

    pub fn machine(&self) -> &StateMachine {
        &self.doc.machine
    }

    /// Applies one operation as one undoable step. A refused operation (or one that changes nothing)
    /// leaves the history as it was.
    pub fn apply(&mut self, op: Op) -> Result<Applied, EditError> {
        let before = self.doc.machine.clone();
        let applied = super::apply(&mut self.doc.machine, &op)?;
        if self.doc.machine != before {
            self.undo.push((applied.label.clone(), before));
            if self.undo.len() > MAX_UNDO_STEPS {
                self.undo.remove(0);
            }
            self.redo.clear();
        }
        Ok(applied)
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let (label, machine) = self.undo.pop()?;
        let now = std::mem::replace(&mut self.doc.machine, machine);
        self.redo.push((label.clone(), now));
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let (label, machine) = self.redo.pop()?;
        let now = std::mem::replace(&mut self.doc.machine, machine);
        self.undo.push((label.clone(), now));
        Some(label)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|(l, _)| l.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|(l, _)| l.as_str())
    }

    /// Whether the machine (or the text, edited in the code view) differs from the last save (or load).
    pub fn is_dirty(&self) -> bool {
        self.doc.machine != self.saved || self.doc.text_edited()
    }

    /// Records that the current text was written to disk.
    pub fn mark_saved(&mut self) {
        self.doc.mark_saved();
        self.saved = self.doc.machine.clone();
    }

    /// Records that `text` ([`Document::text_as`] `format`) was written to disk (Save As, which may convert):
    /// later saves are in that format.
    pub fn mark_saved_as(
        &mut self,
        text: String,
        format: crate::asl::SourceFormat,
    ) -> Result<(), crate::json::ParseError> {
        self.doc.mark_saved_as(text, format)?;
        self.saved = self.doc.machine.clone();
        Ok(())
    }
}
