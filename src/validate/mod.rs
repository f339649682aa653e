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
    /// Each state's pointer and query language, for the expression rules.
    state_langs: Vec<(Pointer, Lang)>,
}

impl Sink {
    fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }
}

/// Validates a document tree. Positions are not filled in (see [`validate_document`]).
pub fn validate(root: &Json) -> Vec<Diagnostic> {
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
    let machine = StateMachine::from_json(root).unwrap_or_default();
    graph::check(&machine, &mut sink);
    expressions::check(root, &mut sink);
    variables::check(root, &mut sink);
    let mut diags = sink.diags;
    diags.sort_by(|a, b| a.pointer.cmp(&b.pointer).then(a.code.cmp(b.code)));
    diags.dedup();
    diags
}

/// Validates a document and fills in each diagnostic's line and column in the document's text (the
/// source as read when unedited; the text a save would write otherwise).
pub fn validate_document(doc: &Document) -> Vec<Diagnostic> {
    let tree = doc.to_json();
    let mut diags = validate(&tree);
    let (text, positioned) = if doc.is_modified() {
        let text = doc.to_text();
        match doc.format().parse(&text) {
            Ok(t) => (text, t),
            Err(_) => return diags,
        }
    } else {
        (doc.source().to_owned(), doc.original().clone())
    };
    let lines = crate::json::LineIndex::new(&text);
    for d in &mut diags {
        let inside = d.value_char.and_then(|k| {
            let node = positioned.at(&d.pointer)?;
            node.as_str()?;
            let span = node.span.range()?;
            position::string_char_offset(&text, span.start, span.end, k)
        });
        if let Some(offset) = inside {
            let (line, col) = lines.line_col(&text, offset);
            d.line = Some(line);
            d.column = Some(col);
        } else if let Some((line, col)) = crate::asl::locate(&text, &positioned, &d.pointer) {
            d.line = Some(line);
            d.column = Some(col);
        }
    }
    diags.sort_by_key(|d| (d.line, d.column));
    diags
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}
