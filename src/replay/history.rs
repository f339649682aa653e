//! Reading an execution history file: the shapes users have, and where each event is in the text.
//!
//! Accepted (the top level decides):
//! - `{"events": [...]}`: what `aws stepfunctions get-execution-history` prints (with or without
//!   `--include-execution-data`; a `nextToken` is ignored);
//! - `[...]`: a bare array of events (what users paste from the console or a script);
//! - `{"history": {"events": [...]}, ...}` (or `"history": [...]`): a record of `../shared/histories`, which
//!   also carries the definition and the input (the definition replayed against is the one given separately).
//!
//! The text is read with the project's JSON reader ([`crate::json::parse`]), so a syntax error and every
//! event come with their line and column.

use crate::json::{Json, LineIndex, Value as JValue};
use serde_json::Value;
use std::fmt;

/// Why a text is not an execution history, and where (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for HistoryError {}

/// One element of the history's event array: its value and where it starts in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct RawEvent {
    pub value: Value,
    /// Position of the element in the array (0-based).
    pub position: usize,
    pub line: usize,
    pub column: usize,
}

/// Parses the text of a history file into its events (in file order), or says why it is not one.
pub fn parse_history(text: &str) -> Result<Vec<RawEvent>, HistoryError> {
    let root = crate::json::parse(text).map_err(|e| HistoryError {
        message: format!("not JSON: {}", e.message),
        line: e.line,
        column: e.column,
    })?;
    let index = LineIndex::new(text);
    let at = |node: &Json| -> (usize, usize) {
        node.span
            .range()
            .map_or((1, 1), |r| index.line_col(text, r.start))
    };
    let fail = |node: &Json, message: String| {
        let (line, column) = at(node);
        HistoryError {
            message,
            line,
            column,
        }
    };
    let events = events_array(&root).map_err(|(node, msg)| fail(node, msg))?;
    let items = events.as_array().unwrap_or(&[]);
    if items.is_empty() {
        return Err(fail(
            events,
            "not an execution history: the event list is empty".into(),
        ));
    }
    if !items.iter().any(looks_like_event) {
        return Err(fail(
            events,
            "not an execution history: no element of the event list is an event (an object with \
             \"type\", \"id\" and \"timestamp\")"
                .into(),
        ));
    }
    let offsets: Vec<usize> = items
        .iter()
        .map(|n| n.span.range().map_or(0, |r| r.start))
        .collect();
    let places = line_cols(text, &offsets);
    Ok(items
        .iter()
        .zip(places)
        .enumerate()
        .map(|(position, (node, (line, column)))| RawEvent {
            value: node.to_serde(),
            position,
            line,
            column,
        })
        .collect())
}

/// The 1-based line and column (in characters) of ascending byte offsets, in one pass over the text: a
/// history written on one line (as `json.dumps` writes it) has every event on line 1, and counting each
/// event's column from the line start would be quadratic.
fn line_cols(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let (mut at, mut line, mut col) = (0usize, 1usize, 1usize);
    offsets
        .iter()
        .map(|&offset| {
            let offset = offset.min(text.len());
            if offset < at {
                // Not ascending (never for one array): start over.
                (at, line, col) = (0, 1, 1);
            }
            for c in text.get(at..offset).unwrap_or_default().chars() {
                if c == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            }
            at = offset;
            (line, col)
        })
        .collect()
}

/// The array of events inside the accepted top-level shapes, or the node that is wrong and why.
fn events_array(root: &Json) -> Result<&Json, (&Json, String)> {
    const SHAPES: &str = "expected {\"events\": [...]} (as `aws stepfunctions get-execution-history` \
                          prints it), an array of events, or a record with \"history\"";
    match &root.value {
        JValue::Array(_) => Ok(root),
        JValue::Object(_) => {
            let (holder, key) = match (root.get("events"), root.get("history")) {
                (Some(e), _) => (e, "events"),
                (None, Some(h)) => match h.get("events") {
                    Some(e) => (e, "history.events"),
                    None if matches!(h.value, JValue::Array(_)) => (h, "history"),
                    None => {
                        return Err((
                            h,
                            format!(
                                "not an execution history: \"history\" has no \"events\"; {SHAPES}"
                            ),
                        ));
                    }
                },
                (None, None) => {
                    return Err((
                        root,
                        format!("not an execution history: the object has no \"events\"; {SHAPES}"),
                    ));
                }
            };
            match holder.value {
                JValue::Array(_) => Ok(holder),
                _ => Err((
                    holder,
                    format!(
                        "not an execution history: \"{key}\" is {} {}, not an array of events",
                        article(holder.type_name()),
                        holder.type_name()
                    ),
                )),
            }
        }
        _ => Err((
            root,
            format!(
                "not an execution history: the file holds {} {}; {SHAPES}",
                article(root.type_name()),
                root.type_name()
            ),
        )),
    }
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'o']) {
        "an"
    } else {
        "a"
    }
}

/// An object with a string `type`: the one thing every history event has that other JSON rarely does.
fn looks_like_event(node: &Json) -> bool {
    node.get("type").and_then(Json::as_str).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_shapes_give_the_same_events() {
        let ev = r#"{"id": 1, "previousEventId": 0, "timestamp": 1.5, "type": "ExecutionStarted"}"#;
        for text in [
            format!("{{\"events\": [{ev}]}}"),
            format!("[{ev}]"),
            format!("{{\"definition\": {{}}, \"history\": {{\"events\": [{ev}]}}}}"),
        ] {
            let events = parse_history(&text).expect("a history");
            assert_eq!(events.len(), 1, "{text}");
            assert_eq!(events[0].value["type"], "ExecutionStarted");
        }
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let e = parse_history("{\n  \"events\": [\n    {\"id\": 1,}\n  ]\n}").unwrap_err();
        assert_eq!((e.line, e.column), (3, 14), "{e}");
        let e = parse_history("{\n  \"events\": 3\n}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 13), "{e}");
        assert!(e.message.contains("not an array"), "{e}");
        let e = parse_history("{\"StartAt\": \"A\", \"States\": {}}").unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("no \"events\""), "{e}");
        let e = parse_history("{\"events\": [1, 2]}").unwrap_err();
        assert!(e.message.contains("no element"), "{e}");
        let e = parse_history("{\"events\": []}").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
    }

    #[test]
    fn event_positions_count_characters_in_one_pass() {
        let text = "[\n  {\"type\": \"é\"}, {\"type\": \"X\"},\n\n {\"type\": \"Y\"}]";
        let events = parse_history(text).expect("a history");
        let at: Vec<(usize, usize)> = events.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(2, 3), (2, 18), (4, 2)]);
        let index = LineIndex::new(text);
        for e in &events {
            let offset = text
                .find(&format!("\"{}\"}}", e.value["type"].as_str().unwrap()))
                .unwrap();
            let start = text[..offset].rfind('{').unwrap();
            assert_eq!(index.line_col(text, start), (e.line, e.column));
        }
    }
}
