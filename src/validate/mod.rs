//! Static checks: returns every diagnostic, never stops at the first.
//!
//! Field-level rules run on the JSON tree (so they see exactly what the file holds, wrong types included);
//! graph rules run on the typed model. Each diagnostic has a stable code (see [`CODES`]).

mod diagnostic;
mod expressions;
mod fields;
mod graph;
pub mod jsonata;
mod position;
mod variables;

pub use diagnostic::{CODES, Diagnostic, Severity};
pub use expressions::path_field_problem;
pub use fields::{JSONATA_ONLY, JSONPATH_ONLY};

use crate::asl::{Document, StateMachine};
use crate::json::{Json, Pointer};

/// The query language in force for a state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    JSONPath,
    JSONata,
}

/// Collects diagnostics while the rules run.
#[derive(Default)]
pub(crate) struct Sink {
    diags: Vec<Diagnostic>,
}

impl Sink {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Validates a document tree. Positions are not filled in (see [`validate_document`]).
pub fn validate(root: &Json) -> Vec<Diagnostic> {
    validate_tree(root, None)
}

/// [`validate`], with the typed model of `root` when the caller has it (the graph rules run on the model).
fn validate_tree(root: &Json, machine: Option<&StateMachine>) -> Vec<Diagnostic> {
    let mut sink = Sink::default();
    if root.as_object().is_none() {
        sink.push(Diagnostic::error(
            "not-an-object",
            Pointer::root(),
            format!(
                "the top level must be a JSON object with \"StartAt\" and \"States\", not a {}",
                root.type_name()
            ),
        ));
        return sink.diags;
    }
    fields::check_duplicate_keys(root, &mut sink);
    fields::check_machine(
        root,
        &Pointer::root(),
        Lang::JSONPath,
        fields::MachineKind::Top,
        &mut sink,
    );
    match machine {
        Some(m) => graph::check(m, &mut sink),
        None => graph::check(
            &StateMachine::from_json(root).unwrap_or_default(),
            &mut sink,
        ),
    }
    variables::check(root, &mut sink);
    let mut diags = sink.diags;
    diags.sort_by(|a, b| a.pointer.cmp(&b.pointer).then(a.code.cmp(b.code)));
    diags.dedup();
    diags
}

/// Validates a document and fills in each diagnostic's line and column in the document's text (the
/// source as read when unedited; the text a save would write otherwise).
pub fn validate_document(doc: &Document) -> Vec<Diagnostic> {
    let mut diags;
    if !doc.is_modified() {
        // Unedited: the tree and the text as read (no copies), and the model the document already has.
        diags = validate_tree(doc.original(), Some(&doc.machine));
        place(&mut diags, doc.source(), doc.original());
    } else {
        let tree = doc.to_json();
        diags = validate_tree(&tree, None);
        drop(tree);
        let text = doc.to_text();
        if let Ok(positioned) = doc.format().parse(&text) {
            place(&mut diags, &text, &positioned);
        }
    }
    diags.sort_by_key(|d| (d.line, d.column));
    diags
}

/// Fills in each diagnostic's line and column in `text`, whose tree is `root`.
fn place(diags: &mut [Diagnostic], text: &str, root: &Json) {
    let pointers: Vec<&Pointer> = diags.iter().map(|d| &d.pointer).collect();
    let positions = crate::asl::locate_all(text, root, &pointers);
    let lines = crate::json::LineIndex::new(text);
    for (d, pos) in diags.iter_mut().zip(positions) {
        // A finding about a character inside a string value: that character's position.
        let inside = d.value_char.and_then(|k| {
            let node = root.at(&d.pointer)?;
            node.as_str()?;
            let span = node.span.range()?;
            position::string_char_offset(text, span.start, span.end, k)
        });
        if let Some((line, col)) = inside.map(|o| lines.line_col(text, o)).or(pos) {
            d.line = Some(line);
            d.column = Some(col);
        }
    }
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
