//! Expression rules: every path, payload template, intrinsic call and JSONata expression parses.
//! Reuses the evaluator's own parsers (`crate::expr`), so what validates is what the simulator runs.

use super::diagnostic::Diagnostic;
use super::fields::{is_jsonata, is_placeholder};
use super::{Lang, Sink, jsonata};
use crate::expr::{Path, check_template, parse_intrinsic};
use crate::json::{Json, Pointer, Value};

/// What kind of path a field holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    /// Any JSONPath (InputPath, OutputPath).
    Path,
    /// A reference path: a single node (ResultPath, ItemsPath, SecondsPath, …).
    Reference,
    /// A reference path or an intrinsic function call (ErrorPath, CausePath).
    ReferenceOrIntrinsic,
}

const PATH_FIELDS: &[(&str, PathKind)] = &[
    ("InputPath", PathKind::Path),
    ("OutputPath", PathKind::Path),
    ("ResultPath", PathKind::Reference),
    ("ItemsPath", PathKind::Reference),
    ("SecondsPath", PathKind::Reference),
    ("TimestampPath", PathKind::Reference),
    ("TimeoutSecondsPath", PathKind::Reference),
    ("HeartbeatSecondsPath", PathKind::Reference),
    ("MaxConcurrencyPath", PathKind::Reference),
    ("ToleratedFailureCountPath", PathKind::Reference),
    ("ToleratedFailurePercentagePath", PathKind::Reference),
    ("ErrorPath", PathKind::ReferenceOrIntrinsic),
    ("CausePath", PathKind::ReferenceOrIntrinsic),
];

/// The intrinsic functions a Fail state's `ErrorPath`/`CausePath` may call: those that return a string, as listed
/// in the Step Functions developer guide, "Fail workflow state":
/// https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html
const STRING_INTRINSICS: &[&str] = &[
    "States.Format",
    "States.JsonToString",
    "States.ArrayGetItem",
    "States.Base64Encode",
    "States.Base64Decode",
    "States.Hash",
    "States.UUID",
];

const TEMPLATE_FIELDS: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "ItemSelector",
    "Credentials",
    "Assign",
];

/// The expression rules for one state (`state` is the state's object, `ptr` its pointer).
pub(crate) fn check_state(state: &Json, ptr: &Pointer, lang: Lang, sink: &mut Sink) {
    match lang {
        Lang::JSONPath => check_jsonpath_state(state, ptr, sink),
        Lang::JSONata => check_jsonata_state(state, ptr, sink),
    }
}

fn check_jsonpath_state(state: &Json, ptr: &Pointer, sink: &mut Sink) {
    for (key, kind) in PATH_FIELDS {
        if let Some(s) = state.get(key).and_then(Json::as_str) {
            check_path(s, *kind, &ptr.join(key), key, sink);
        }
    }
    for key in TEMPLATE_FIELDS {
        if let Some(t) = state.get(key) {
            check_payload(t, &ptr.join(key), sink);
        }
    }
    for (key, sub) in [
        ("ItemReader", "Parameters"),
        ("ResultWriter", "Parameters"),
        ("ItemBatcher", "BatchInput"),
    ] {
        if let Some(t) = state.get(key).and_then(|o| o.get(sub)) {
            check_payload(t, &ptr.join(key).join(sub), sink);
        }
    }
    if let Some(catchers) = state.get("Catch").and_then(Json::as_array) {
        for (i, c) in catchers.iter().enumerate() {
            if let Some(s) = c.get("ResultPath").and_then(Json::as_str) {
                check_path(
                    s,
                    PathKind::Reference,
                    &ptr.join("Catch").join_index(i).join("ResultPath"),
                    "ResultPath",
                    sink,
                );
            }
            if let Some(a) = c.get("Assign") {
                check_payload(a, &ptr.join("Catch").join_index(i).join("Assign"), sink);
            }
        }
    }
    if let Some(rules) = state.get("Choices").and_then(Json::as_array) {
        for (i, r) in rules.iter().enumerate() {
            check_rule_paths(r, &ptr.join("Choices").join_index(i), 0, sink);
        }
    }
}

fn check_rule_paths(rule: &Json, ptr: &Pointer, depth: usize, sink: &mut Sink) {
    let Some(members) = rule.as_object() else {
        return;
    };
    if depth > 64 {
        return;
    }
    for m in members {
        let key = m.key.as_str();
        let p = ptr.join(key);
        match (key, &m.value.value) {
            ("Variable", Value::String(s)) => check_path(s, PathKind::Path, &p, key, sink),
            (k, Value::String(s))
                if k.ends_with("Path") && crate::asl::Operator::from_name(k).is_some() =>
            {
                check_path(s, PathKind::Path, &p, key, sink)
            }
            ("And" | "Or", Value::Array(items)) => {
                for (i, r) in items.iter().enumerate() {
                    check_rule_paths(r, &p.join_index(i), depth + 1, sink);
                }
            }
            ("Not", _) => check_rule_paths(&m.value, &p, depth + 1, sink),
            ("Assign", _) => check_payload(&m.value, &p, sink),
            _ => {}
        }
    }
}

fn check_path(s: &str, kind: PathKind, ptr: &Pointer, field: &str, sink: &mut Sink) {
    if let Some((code, message)) = path_problem(s, kind, field) {
        sink.push(Diagnostic::error(code, ptr.clone(), message));
    }
}

/// What is wrong with `s` as the value of the path field `field` (`InputPath`, `ResultPath`, `ErrorPath`, …) of
/// a JSONPath-mode state: the diagnostic code and message, as `validate` reports them. `None` when it is fine, or
/// when `field` is not a path field. The designer uses this for its live checks.
pub fn path_field_problem(field: &str, s: &str) -> Option<(&'static str, String)> {
    let kind = PATH_FIELDS.iter().find(|(f, _)| *f == field)?.1;
    path_problem(s, kind, field)
}

fn path_problem(s: &str, kind: PathKind, field: &str) -> Option<(&'static str, String)> {
    if is_placeholder(s) {
        return None;
    }
    if s.starts_with("States.") {
        return if kind == PathKind::ReferenceOrIntrinsic {
            match parse_intrinsic(s) {
                Err(e) => Some((
                    "intrinsic-syntax",
                    format!(
                        "\"{field}\": {s:?} is not a valid intrinsic function call: {}",
                        e.message
                    ),
                )),
                Ok(call) if !STRING_INTRINSICS.contains(&call.name.as_str()) => Some((
                    "intrinsic-not-allowed",
                    format!(
                        "\"{field}\" may only call an intrinsic function that returns a string ({}), not {}",
                        STRING_INTRINSICS.join(", "),
                        call.name
                    ),
                )),
                Ok(_) => None,
            }
        } else {
            Some((
                "path-syntax",
                format!(
                    "\"{field}\" must be a path; intrinsic functions such as {s:?} are not allowed here"
                ),
            ))
        };
    }
    let message = match Path::parse(s) {
        Err(e) => format!(
            "\"{field}\": {s:?} is not a valid path: {} (at character {})",
            e.message,
            e.offset + 1
        ),
        Ok(path) => {
            if kind != PathKind::Path && !path.is_reference_path() {
                format!(
                    "\"{field}\" must be a reference path (a single node such as $.a.b or $.list[0]), not {s:?}"
                )
            } else if field == "ResultPath" && path.variable().is_some() {
                "\"ResultPath\" cannot write into a variable; use \"Assign\" to set variables"
                    .into()
            } else if field == "ResultPath" && path.is_context() {
                "\"ResultPath\" cannot write into the context object ($$)".into()
            } else {
                return None;
            }
        }
    };
    Some(("path-syntax", message))
}

fn check_payload(template: &Json, ptr: &Pointer, sink: &mut Sink) {
    if template.as_object().is_none() && template.as_array().is_none() {
        return;
    }
    for (rel, message) in check_template(&template.to_serde()) {
        let pointer =
            Pointer::parse(&format!("{}{}", ptr.as_str(), rel)).unwrap_or_else(|| ptr.clone());
        let code = if message.contains("intrinsic") || message.contains("function") {
            "intrinsic-syntax"
        } else {
            "template-syntax"
        };
        sink.push(Diagnostic::error(code, pointer, message));
    }
}

/// In a JSONata state every `{% %}` string must parse; nested machines are checked as their own states.
fn check_jsonata_state(state: &Json, ptr: &Pointer, sink: &mut Sink) {
    let Some(members) = state.as_object() else {
        return;
    };
    for m in members {
        if matches!(m.key.as_str(), "Branches" | "ItemProcessor" | "Iterator") {
            continue;
        }
        if m.key.as_str() == "Comment" {
            continue;
        }
        m.value.walk(&mut |rel, node| {
            if rel.last_token().as_deref() == Some("Comment") {
                return;
            }
            if let Some(s) = node.as_str()
                && (s.starts_with("{%") || s.ends_with("%}"))
            {
                let p = Pointer::parse(&format!(
                    "{}{}",
                    ptr.join(m.key.as_str()).as_str(),
                    rel.as_str()
                ))
                .unwrap_or_else(|| ptr.clone());
                let result = if is_jsonata(s) {
                    jsonata::check_template_string(s)
                } else {
                    Err(jsonata::SyntaxError {
                        offset: 0,
                        message: "a JSONata expression must be written as \"{% expression %}\""
                            .into(),
                    })
                };
                if let Err(e) = result {
                    sink.push(
                        Diagnostic::error(
                            "jsonata-syntax",
                            p,
                            format!(
                                "JSONata {s:?}: {} (at character {})",
                                e.message,
                                e.offset + 1
                            ),
                        )
                        .at_char(e.offset),
                    );
                }
            }
        });
    }
}
