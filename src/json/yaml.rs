//! YAML definitions (`.asl.yaml`, as SAM projects keep them) read into the same lossless tree.
//!
//! YAML 1.2 core schema: only `true`/`false` are booleans, so state names such as `Yes`/`No`/`On` stay
//! strings; mapping keys are always strings. Spans point into the YAML text, for `line:col` diagnostics.

use super::{JStr, Json, LineIndex, Member, Number, ParseError, Span, Value, parse::MAX_DEPTH};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The most nodes alias expansion may produce, so a "billion laughs" file is refused instead of eating memory.
const MAX_NODES: usize = 5_000_000;

/// Parses the first document of a YAML text.
pub fn parse_yaml(text: &str) -> Result<Json, ParseError> {
    let lines = LineIndex::new(text);
    let offset_of = |m: &Marker| -> usize {
        // yaml-rust2 counts lines from 1 and columns (in characters) from 0.
        let line = m.line().max(1) - 1;
        let start = lines_start(text, &lines, line);
        text[start..]
            .char_indices()
            .nth(m.col())
            .map_or(text.len(), |(i, _)| start + i)
    };
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        error: None,
        nodes: 0,
        offset_of: &offset_of,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, false) {
        let at = offset_of(e.marker());
        return Err(ParseError::at(
            text,
            at,
            format!("invalid YAML: {}", e.info()),
        ));
    }
    if let Some((at, msg)) = builder.error {
        return Err(ParseError::at(text, at, msg));
    }
    builder
        .root
        .ok_or_else(|| ParseError::at(text, 0, "the document is empty: expected a YAML mapping"))
}

fn lines_start(text: &str, _lines: &LineIndex, line: usize) -> usize {
    if line == 0 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 1)
        .map_or(text.len(), |(i, _)| i + 1)
}

enum Frame {
    Seq {
        start: usize,
        anchor: usize,
        items: Vec<Json>,
    },
    Map {
        start: usize,
        anchor: usize,
        members: Vec<Member>,
        key: Option<(JStr, Span)>,
    },
}

struct Builder<'a> {
    stack: Vec<Frame>,
    anchors: Vec<(usize, Json)>,
    root: Option<Json>,
    error: Option<(usize, String)>,
    nodes: usize,
    offset_of: &'a dyn Fn(&Marker) -> usize,
}

impl Builder<'_> {
    fn fail(&mut self, at: usize, msg: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some((at, msg.into()));
        }
    }

    fn push_value(&mut self, value: Json, anchor: usize, at: usize) {
        if anchor > 0 {
            self.anchors.push((anchor, value.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(value);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map { members, key, .. }) => match key.take() {
                None => {
                    let span = value.span;
                    match value.value {
                        Value::String(s) => *key = Some((s, span)),
                        Value::Null => *key = Some((JStr::new("null"), span)),
                        Value::Bool(b) => *key = Some((JStr::new(b.to_string()), span)),
                        Value::Number(n) => *key = Some((JStr::new(n.as_str()), span)),
                        _ => self.fail(
                            at,
                            "a mapping key must be a plain value, not a list or mapping",
                        ),
                    }
                }
                Some((k, key_span)) => members.push(Member {
                    key: k,
                    key_span,
                    value,
                }),
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() || (self.root.is_some() && self.stack.is_empty()) {
            return;
        }
        let at = (self.offset_of)(&mark);
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.fail(at, "the YAML document expands to too many nodes");
            return;
        }
        match ev {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(
                        at,
                        format!("lists and mappings nest deeper than {MAX_DEPTH} levels"),
                    );
                    return;
                }
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: at,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        start: at,
                        anchor,
                        members: Vec::new(),
                        key: None,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return;
                };
                let (value, start, anchor) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        items,
                    } => (Value::Array(items), start, anchor),
                    Frame::Map {
                        start,
                        anchor,
                        members,
                        ..
                    } => (Value::Object(members), start, anchor),
                };
                let json = Json {
                    value,
                    span: Span::new(start, at.max(start)),
                };
                self.push_value(json, anchor, at);
            }
            Event::Scalar(text, style, anchor, tag) => {
                let forced_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == TScalarStyle::Plain && !forced_string {
                    resolve_plain(&text)
                } else {
                    Value::String(JStr::new(text.clone()))
                };
                let json = Json {
                    value,
                    span: Span::new(at, at + text.len()),
                };
                self.push_value(json, anchor, at);
            }
            Event::Alias(id) => {
                let Some(value) = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, v)| v.clone())
                else {
                    self.fail(at, "alias refers to an unknown anchor");
                    return;
                };
                let mut count = 0;
                value.walk(&mut |_, _| count += 1);
                self.nodes += count;
                if self.nodes > MAX_NODES {
                    self.fail(at, "the YAML document expands to too many nodes");
                    return;
                }
                self.push_value(value, 0, at);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = yaml_number(text) {
        return Value::Number(n);
    }
    Value::String(JStr::new(text))
}

fn yaml_number(text: &str) -> Option<Number> {
    let body = text.strip_prefix('+').unwrap_or(text);
    let unsigned = body.strip_prefix('-').unwrap_or(body);
    if let Some(hex) = unsigned.strip_prefix("0x") {
        let v = i64::from_str_radix(hex, 16).ok()?;
        return Some(Number::from_i64(if body.starts_with('-') { -v } else { v }));
    }
    if let Some(oct) = unsigned.strip_prefix("0o") {
        let v = i64::from_str_radix(oct, 8).ok()?;
        return Some(Number::from_i64(if body.starts_with('-') { -v } else { v }));
    }
    let first = unsigned.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'.') {
        return None;
    }
    if !unsigned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    // Keep the text when it is already a JSON number; otherwise normalise (`1.` → `1.0`, `.5` → `0.5`).
    if super::parse(body).is_ok_and(|j| matches!(j.value, Value::Number(_))) {
        return Some(Number::from_raw(body));
    }
    let f: f64 = body.parse().ok()?;
    Number::from_f64(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yes_and_no_stay_strings() {
        let y = "StartAt: Yes\nStates:\n  Yes:\n    Type: Pass\n    Result: [1, 2.50, on, 'x']\n    End: true\n  No: {Type: Succeed}\n";
        let j = parse_yaml(y).unwrap();
        assert_eq!(j.get("StartAt").unwrap().as_str(), Some("Yes"));
        let states = j.get("States").unwrap().as_object().unwrap();
        assert_eq!(states[0].key.as_str(), "Yes");
        assert_eq!(states[1].key.as_str(), "No");
        let result = states[0].value.get("Result").unwrap().as_array().unwrap();
        assert_eq!(result[1].as_number().unwrap().as_str(), "2.50");
        assert_eq!(result[2].as_str(), Some("on"));
        assert_eq!(states[0].value.get("End").unwrap().as_bool(), Some(true));
    }

    #[test]
    fn yaml_errors_have_positions() {
        let e = parse_yaml("StartAt: A\nStates:\n  A: [1, 2\n").unwrap_err();
        assert!(e.line >= 3, "{e}");
        assert!(e.message.starts_with("invalid YAML"), "{e}");
    }

    #[test]
    fn spans_point_at_lines() {
        let y = "StartAt: A\nStates:\n  A:\n    Type: Pass\n";
        let j = parse_yaml(y).unwrap();
        let t = j
            .get("States")
            .unwrap()
            .get("A")
            .unwrap()
            .get("Type")
            .unwrap();
        let (line, col) = LineIndex::new(y).line_col(y, t.span.start as usize);
        assert_eq!((line, col), (4, 11));
    }
}
