//! What the validator reports.

use crate::json::Pointer;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: a stable code, a severity, a message a person understands, the JSON pointer of the node
/// it is about, and (when known) its line and column in the source text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    #[serde(serialize_with = "ser_pointer")]
    pub pointer: Pointer,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// For a finding about a character inside a string value (a JSONata syntax error): that character's offset
    /// (in characters) in the value; `line` and `column` then point at that character in the source text.
    #[serde(skip)]
    pub value_char: Option<usize>,
}

fn ser_pointer<S: serde::Serializer>(p: &Pointer, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.as_str())
}

impl Diagnostic {
    pub fn error(code: &'static str, pointer: Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            pointer,
            line: None,
            column: None,
            value_char: None,
        }
    }

    /// The same finding, about the character `k` (in characters) of the string value at its pointer.
    pub fn at_char(self, k: usize) -> Self {
        Diagnostic {
            value_char: Some(k),
            ..self
        }
    }

    pub fn warning(code: &'static str, pointer: Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, pointer, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The state this diagnostic is about: the innermost `/States/NAME` in its pointer.
    pub fn state_name(&self) -> Option<String> {
        let tokens: Vec<String> = self.pointer.tokens().collect();
        let mut name = None;
        let mut i = 0;
        while i + 1 < tokens.len() {
            if tokens[i] == "States" {
                name = Some(tokens[i + 1].clone());
                i += 2;
            } else {
                i += 1;
            }
        }
        name
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}]: {} (at {})",
            self.severity.name(),
            self.code,
            self.message,
            self.pointer
        )
    }
}

/// Every diagnostic code the validator emits, with a one-line description (the documentation of the codes).
pub const CODES: &[(&str, &str)] = &[
    (
        "not-an-object",
        "the top level, a state or a nested machine is not a JSON object",
    ),
    ("duplicate-key", "an object has the same key twice"),
    ("missing-field", "a required field is missing"),
    (
        "field-type",
        "a field's value has the wrong type or is out of range",
    ),
    (
        "field-not-allowed",
        "a field that this state type (or query language) does not take",
    ),
    (
        "unknown-field",
        "a field the States language does not define",
    ),
    ("exclusive-fields", "fields that may not appear together"),
    (
        "unknown-state-type",
        "`Type` is not one of the eight state types",
    ),
    (
        "transition",
        "`Next`/`End` missing, both present, or present where not allowed",
    ),
    (
        "start-at-missing",
        "`StartAt` names no state of its machine",
    ),
    (
        "target-missing",
        "a `Next`, `Default` or catcher target names no state of its machine",
    ),
    (
        "target-out-of-scope",
        "a transition leaves its Parallel branch or Map processor",
    ),
    (
        "unreachable-state",
        "no path leads to the state from `StartAt`",
    ),
    ("no-terminal", "a machine has no state that ends it"),
    (
        "duplicate-state-name",
        "two states share a name (names are unique across the whole machine)",
    ),
    (
        "state-name-too-long",
        "a state name longer than 80 characters",
    ),
    (
        "error-equals",
        "`ErrorEquals` is empty, or `States.ALL` is not alone and last",
    ),
    ("retry-range", "a retrier field outside its allowed range"),
    (
        "path-syntax",
        "a path, reference path or JSONPath that does not parse",
    ),
    (
        "template-syntax",
        "a `.$` key whose value is not a path or intrinsic function call",
    ),
    (
        "intrinsic-syntax",
        "an intrinsic function call that does not parse or is unknown",
    ),
    (
        "jsonata-syntax",
        "a `{% %}` JSONata expression that does not parse",
    ),
    (
        "query-language",
        "a field of the other query language, or an invalid `QueryLanguage`",
    ),
    (
        "resource-arn",
        "a Task `Resource` that is neither an ARN nor a `${Placeholder}`",
    ),
    ("timestamp-format", "a timestamp that is not RFC 3339"),
    (
        "result-writer-fields",
        "a `ResultWriter` that is empty or has `Resource` without `Parameters` (or the reverse)",
    ),
    (
        "intrinsic-not-allowed",
        "an intrinsic function where AWS does not allow it (`ErrorPath`/`CausePath` take only those returning a string)",
    ),
    (
        "variable-name",
        "an `Assign` key that is not a valid variable name, or a reserved one (`states`)",
    ),
    (
        "variable-size",
        "a literal `Assign` value larger than a variable may hold (256 KiB)",
    ),
    (
        "variable-scope",
        "a Parallel branch or Map iteration assigns a variable its enclosing scope assigns",
    ),
    (
        "variable-unassigned",
        "a variable read where some path from `StartAt` has not assigned it (warning)",
    ),
];
