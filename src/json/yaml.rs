//! YAML definitions (`.asl.yaml`, as SAM projects keep them) read into the same lossless tree.
//!
//! YAML 1.2 core schema: only `true`/`false` are booleans, so state names such as `Yes`/`No`/`On` stay
//! strings; mapping keys are always strings, as written. Read with `libyaml-safer` (a safe port of libyaml,
//! which also reads the CloudFormation templates stricter readers refuse): its events carry byte offsets, so
//! spans point into the YAML text exactly, for `line:col` diagnostics and for splicing edits back
//! ([`super::splice_yaml`]).

use super::{JStr, Json, Member, Number, ParseError, Span, Value, parse::MAX_DEPTH};
use libyaml_safer::{EventData, MappingStyle, Parser, ScalarStyle, SequenceStyle};

/// The most nodes a document may have, aliases expanded.
const MAX_NODES: usize = 5_000_000;
/// The most nodes aliases may add, so that a "billion laughs" file is refused early instead of eating memory.
const MAX_ALIAS_NODES: usize = 1_000_000;

/// Parses the first document of a YAML text.
///
/// Spans are byte ranges of the YAML text and are exact: a scalar's span covers its text (quotes, tag and
/// block header included, trailing blank lines of a block scalar not); a block collection's span runs from
/// its first entry to the end of its last value; a flow collection's from its opening to its closing bracket.
/// The parts of a node copied from an anchor (`*alias`) carry no spans below the alias itself, so an edit there
/// rewrites the alias as a whole instead of the anchored text.
pub fn parse_yaml(text: &str) -> Result<Json, ParseError> {
    parse_with(text, false)
}

/// The short-form intrinsic function tags of CloudFormation templates, without the `!`.
pub const CFN_TAGS: [&str; 23] = [
    "Ref",
    "Condition",
    "GetAtt",
    "Sub",
    "Join",
    "If",
    "Select",
    "Split",
    "Base64",
    "Cidr",
    "FindInMap",
    "GetAZs",
    "ImportValue",
    "Transform",
    "And",
    "Equals",
    "Not",
    "Or",
    "Length",
    "ToJsonString",
    "Contains",
    "EachMemberEquals",
    "EachMemberIn",
];

/// Parses a CloudFormation / SAM template written in YAML, as [`parse_yaml`] does, with the template rules:
/// - a short-form tag becomes its long form, as CloudFormation reads it: `!Ref X` → `{"Ref": "X"}`,
///   `!Condition X` → `{"Condition": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt": ["A", "B"]}` (split at the first
///   dot), any other `!Fn v` → `{"Fn::Fn": v}`. The long-form object has the tagged node's span (from the
///   tag on) and its key no span, so an edit rewrites the node as a whole; the value keeps its own span;
/// - a tagged scalar stays a string (`!Ref 1` refers to `"1"`);
/// - anchors (`&a`), aliases (`*a`) and tags CloudFormation does not know are errors, at their position.
pub fn parse_yaml_template(text: &str) -> Result<Json, ParseError> {
    parse_with(text, true)
}

fn parse_with(text: &str, template: bool) -> Result<Json, ParseError> {
    // libyaml counts offsets after a byte-order mark.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut input = &text.as_bytes()[bom..];
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut b = Builder {
        text,
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        nodes: 0,
        template,
        alias_nodes: 0,
    };
    for event in parser {
        let event = event.map_err(|e| yaml_error(text, bom, &e))?;
        let start = (bom + event.start_mark.index as usize).min(text.len());
        let end = (bom + event.end_mark.index as usize).clamp(start, text.len());
        b.nodes += 1;
        if b.nodes > MAX_NODES {
            return Err(ParseError::at(
                text,
                start,
                "the YAML document expands to too many nodes",
            ));
        }
        match event.data {
            EventData::MappingStart {
                anchor, style, tag, ..
            } => {
                let tag = b.check_node(start, anchor.as_deref(), tag)?;
                b.open(start, anchor, style == MappingStyle::Flow, true, tag)?;
            }
            EventData::SequenceStart {
                anchor, style, tag, ..
            } => {
                let tag = b.check_node(start, anchor.as_deref(), tag)?;
                b.open(start, anchor, style == SequenceStyle::Flow, false, tag)?;
            }
            EventData::MappingEnd | EventData::SequenceEnd => b.close(end)?,
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => {
                let forced_string = tag.as_deref() == Some("tag:yaml.org,2002:str");
                let cfn_tag = b.check_node(start, anchor.as_deref(), tag)?;
                let end = if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                    // A block scalar's end mark lies past its trailing blank lines.
                    start + text[start..end].trim_end().len()
                } else {
                    end
                };
                // Mapping keys are always strings, as written.
                let value = if style == ScalarStyle::Plain
                    && !forced_string
                    && cfn_tag.is_none()
                    && !b.expects_key()
                {
                    resolve_plain(&value)
                } else {
                    Value::String(JStr::new(value))
                };
                let json = Json {
                    value,
                    span: Span::new(start, end),
                };
                b.push(long_form(cfn_tag, json), anchor, start)?;
            }
            EventData::Alias { anchor } => {
                if b.template {
                    return Err(ParseError::at(
                        text,
                        start,
                        format!(
                            "the alias *{anchor}: CloudFormation templates cannot use YAML aliases"
                        ),
                    ));
                }
                let Some((_, value, size)) = b.anchors.iter().rev().find(|(a, ..)| *a == anchor)
                else {
                    return Err(ParseError::at(
                        text,
                        start,
                        format!("the alias *{anchor} refers to an unknown anchor"),
                    ));
                };
                // Counted before copying, so that a "billion laughs" file is refused before it eats memory.
                b.nodes += size;
                b.alias_nodes += size;
                if b.nodes > MAX_NODES || b.alias_nodes > MAX_ALIAS_NODES {
                    return Err(ParseError::at(
                        text,
                        start,
                        "the YAML document expands to too many nodes",
                    ));
                }
                let mut copy = without_spans(value.clone());
                copy.span = Span::new(start, end);
                b.push(copy, None, start)?;
            }
            EventData::DocumentEnd { .. } if b.root.is_some() => break,
            EventData::StreamStart { .. }
            | EventData::StreamEnd
            | EventData::DocumentStart { .. }
            | EventData::DocumentEnd { .. } => {}
        }
    }
    b.root
        .ok_or_else(|| ParseError::at(text, 0, "the document is empty: expected a YAML mapping"))
}

fn yaml_error(text: &str, bom: usize, e: &libyaml_safer::Error) -> ParseError {
    let at = e
        .problem_mark()
        .map_or(0, |m| (bom + m.index as usize).min(text.len()));
    let message = match e.context() {
        Some(context) => format!("invalid YAML: {} {context}", e.problem()),
        None => format!("invalid YAML: {}", e.problem()),
    };
    ParseError::at(text, at, message)
}

/// The tree of an alias: the anchored value with every span removed.
fn without_spans(mut json: Json) -> Json {
    let mut stack = vec![&mut json];
    while let Some(node) = stack.pop() {
        node.span = Span::NONE;
        match &mut node.value {
            Value::Object(members) => {
                for m in members.iter_mut() {
                    m.key_span = Span::NONE;
                    stack.push(&mut m.value);
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
    json
}

struct Frame {
    start: usize,
    anchor: Option<String>,
    flow: bool,
    kind: FrameKind,
    /// The CloudFormation tag (template mode), without `!`.
    cfn_tag: Option<String>,
}

/// `value` under its CloudFormation tag in long form (see [`parse_yaml_template`]), or `value` untagged.
fn long_form(tag: Option<String>, value: Json) -> Json {
    let Some(tag) = tag else {
        return value;
    };
    let span = value.span;
    let (key, inner) = match tag.as_str() {
        "Ref" | "Condition" => (tag.clone(), value),
        "GetAtt" => {
            let inner = match value.as_str().and_then(|s| s.split_once('.')) {
                Some((resource, attribute)) => Json {
                    value: Value::Array(vec![
                        Json {
                            value: Value::String(JStr::new(resource)),
                            span: value.span,
                        },
                        Json {
                            value: Value::String(JStr::new(attribute)),
                            span: value.span,
                        },
                    ]),
                    span: value.span,
                },
                None => value,
            };
            ("Fn::GetAtt".to_owned(), inner)
        }
        _ => (format!("Fn::{tag}"), value),
    };
    Json {
        value: Value::Object(vec![Member {
            key: JStr::new(key),
            key_span: Span::NONE,
            value: inner,
        }]),
        span,
    }
}

enum FrameKind {
    Seq(Vec<Json>),
    Map {
        members: Vec<Member>,
        key: Option<(JStr, Span)>,
    },
}

struct Builder<'a> {
    text: &'a str,
    stack: Vec<Frame>,
    /// Anchored values and their number of nodes.
    anchors: Vec<(String, Json, usize)>,
    root: Option<Json>,
    nodes: usize,
    /// Template mode ([`parse_yaml_template`]).
    template: bool,
    alias_nodes: usize,
}

impl Builder<'_> {
    /// In template mode: refuses anchors and unknown tags, and returns the CloudFormation tag (without `!`).
    fn check_node(
        &self,
        at: usize,
        anchor: Option<&str>,
        tag: Option<String>,
    ) -> Result<Option<String>, ParseError> {
        if !self.template {
            return Ok(None);
        }
        if let Some(anchor) = anchor {
            return Err(ParseError::at(
                self.text,
                at,
                format!("the anchor &{anchor}: CloudFormation templates cannot use YAML anchors"),
            ));
        }
        let Some(tag) = tag else {
            return Ok(None);
        };
        if tag.starts_with("tag:yaml.org,2002:") {
            return Ok(None);
        }
        match tag.strip_prefix('!') {
            Some(name) if CFN_TAGS.contains(&name) => Ok(Some(name.to_owned())),
            _ => Err(ParseError::at(
                self.text,
                at,
                format!(
                    "unknown tag {tag}: CloudFormation knows !{}",
                    CFN_TAGS.join(", !")
                ),
            )),
        }
    }

    fn open(
        &mut self,
        start: usize,
        anchor: Option<String>,
        flow: bool,
        mapping: bool,
        cfn_tag: Option<String>,
    ) -> Result<(), ParseError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(ParseError::at(
                self.text,
                start,
                format!("lists and mappings nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        let kind = if mapping {
            FrameKind::Map {
                members: Vec::new(),
                key: None,
            }
        } else {
            FrameKind::Seq(Vec::new())
        };
        self.stack.push(Frame {
            start,
            anchor,
            flow,
            kind,
            cfn_tag,
        });
        Ok(())
    }

    fn close(&mut self, end_mark: usize) -> Result<(), ParseError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (value, last_end) = match frame.kind {
            FrameKind::Seq(items) => {
                let last = items.last().and_then(|i| i.span.range()).map(|r| r.end);
                (Value::Array(items), last)
            }
            FrameKind::Map { members, .. } => {
                let last = members
                    .last()
                    .and_then(|m| m.value.span.range())
                    .map(|r| r.end);
                (Value::Object(members), last)
            }
        };
        // A block collection ends with its last value; its end mark lies at the next token.
        let end = if frame.flow {
            end_mark
        } else {
            last_end.unwrap_or(end_mark)
        };
        let json = Json {
            value,
            span: Span::new(frame.start, end.max(frame.start)),
        };
        self.push(long_form(frame.cfn_tag, json), frame.anchor, frame.start)
    }

    /// Whether the next node is the key of a mapping entry.
    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                kind: FrameKind::Map { key: None, .. },
                ..
            })
        )
    }

    fn push(&mut self, value: Json, anchor: Option<String>, at: usize) -> Result<(), ParseError> {
        if let Some(anchor) = anchor {
            let mut size = 0;
            value.walk(&mut |_, _| size += 1);
            self.anchors.push((anchor, value.clone(), size));
        }
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(value);
            }
            return Ok(());
        };
        match &mut frame.kind {
            FrameKind::Seq(items) => items.push(value),
            FrameKind::Map { members, key } => match key.take() {
                None => {
                    let span = value.span;
                    let Value::String(k) = value.value else {
                        return Err(ParseError::at(
                            self.text,
                            at,
                            "a mapping key must be a plain value, not a list or mapping",
                        ));
                    };
                    *key = Some((k, span));
                }
                Some((k, key_span)) => members.push(Member {
                    key: k,
                    key_span,
                    value,
                }),
            },
        }
        Ok(())
    }
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub(super) fn resolve_plain(text: &str) -> Value {
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
    use super::super::LineIndex;
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
    fn deep_nesting_aliases_and_bom() {
        let deep = format!("a: {}{}", "[".repeat(5_000), "]".repeat(5_000));
        let e = parse_yaml(&deep).unwrap_err();
        assert!(e.message.contains("nest deeper"), "{e}");
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let (p, n) = (char::from(b'a' + i), char::from(b'b' + i));
            laughs.push_str(&format!(
                "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            ));
        }
        let e = parse_yaml(&laughs).unwrap_err();
        assert!(e.message.contains("too many nodes"), "{e}");
        let bom = "\u{feff}StartAt: A\nStates: {}\n";
        let j = parse_yaml(bom).unwrap();
        let k = j.member("StartAt").unwrap().key_span.range().unwrap();
        assert_eq!(&bom[k], "StartAt");
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
