//! Writing the lossless tree: the canonical style, and splicing edits into an existing text.

use super::{Json, Value};
use std::borrow::Cow;

/// Layout choices of a file that the canonical style keeps: line endings and the final newline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub crlf: bool,
    pub final_newline: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            crlf: false,
            final_newline: true,
        }
    }
}

impl Style {
    /// The style of an existing text: CRLF when most line breaks are CRLF; a final newline when it has one.
    pub fn of(text: &str) -> Self {
        let lf = text.matches('\n').count();
        let crlf = text.matches("\r\n").count();
        Style {
            crlf: crlf > 0 && crlf * 2 >= lf,
            final_newline: text.ends_with('\n'),
        }
    }

    fn newline(self) -> &'static str {
        if self.crlf { "\r\n" } else { "\n" }
    }
}

/// Escapes a string the way `JSON.stringify` does (and AWS's console writes).
pub(crate) fn escape(s: &str) -> Cow<'_, str> {
    if !s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The canonical text of a whole document: 2-space indent, keys in their order, numbers and escapes as written.
pub fn canonical_text(json: &Json, style: Style) -> String {
    let mut out = String::new();
    write_canonical(json, 0, style, &mut out);
    if style.final_newline {
        out.push_str(style.newline());
    }
    out
}

/// Writes `json` in the canonical style as if it started on a line indented by `indent` spaces.
pub fn write_canonical(json: &Json, indent: usize, style: Style, out: &mut String) {
    let nl = style.newline();
    match &json.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => {
            out.push('"');
            out.push_str(&s.raw_text());
            out.push('"');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(nl);
                push_indent(out, indent + 2);
                write_canonical(item, indent + 2, style, out);
            }
            out.push_str(nl);
            push_indent(out, indent);
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(nl);
                push_indent(out, indent + 2);
                out.push('"');
                out.push_str(&m.key.raw_text());
                out.push_str("\": ");
                write_canonical(&m.value, indent + 2, style, out);
            }
            out.push_str(nl);
            push_indent(out, indent);
            out.push('}');
        }
    }
}

/// One-line text, for labels and messages: `{"a": 1, "b": [true]}`.
pub fn compact_text(json: &Json) -> String {
    let mut out = String::new();
    write_compact(json, &mut out);
    out
}

fn write_compact(json: &Json, out: &mut String) {
    match &json.value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('"');
                out.push_str(&m.key.raw_text());
                out.push_str("\": ");
                write_compact(&m.value, out);
            }
            out.push('}');
        }
        _ => write_canonical(json, 0, Style::default(), out),
    }
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Rewrites `source` (whose tree is `old`) so that it holds `new`, replacing only the smallest nodes that
/// differ; everything else keeps its original bytes. Replaced nodes are written in the canonical style,
/// indented like the line they start on.
///
/// Falls back to the canonical text of `new` when `old` carries no spans for `source`.
pub fn splice(source: &str, old: &Json, new: &Json) -> String {
    let style = Style::of(source);
    if old.span.range().is_none_or(|r| r.end > source.len()) {
        return canonical_text(new, style);
    }
    let mut edits: Vec<(std::ops::Range<usize>, &Json)> = Vec::new();
    let mut stack = vec![(old, new)];
    while let Some((o, n)) = stack.pop() {
        if o == n {
            continue;
        }
        let Some(range) = o.span.range() else {
            return canonical_text(new, style);
        };
        match (&o.value, &n.value) {
            (Value::Object(om), Value::Object(nm))
                if om.len() == nm.len() && om.iter().zip(nm).all(|(a, b)| a.key == b.key) =>
            {
                stack.extend(om.iter().zip(nm).map(|(a, b)| (&a.value, &b.value)));
            }
            (Value::Array(oa), Value::Array(na)) if oa.len() == na.len() && !oa.is_empty() => {
                stack.extend(oa.iter().zip(na));
            }
            _ => edits.push((range, n)),
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(source.len() + 64);
    let mut at = 0;
    for (range, node) in edits {
        out.push_str(&source[at..range.start]);
        let line_start = source[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = source[line_start..range.start]
            .bytes()
            .take_while(|b| *b == b' ')
            .count();
        write_canonical(node, indent, style, &mut out);
        at = range.end;
    }
    out.push_str(&source[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn canonical_is_stable_for_canonical_input() {
        let text =
            "{\n  \"a\": [\n    1.0,\n    \"x\\u00e9\"\n  ],\n  \"b\": {},\n  \"c\": []\n}\n";
        let j = parse(text).unwrap();
        assert_eq!(canonical_text(&j, Style::of(text)), text);
    }

    #[test]
    fn canonical_reformats_compact_input() {
        let j = parse(r#"{"a":[1,2],"b":{"c":null}}"#).unwrap();
        assert_eq!(
            canonical_text(&j, Style::default()),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": null\n  }\n}\n"
        );
    }

    #[test]
    fn splice_touches_only_the_changed_node() {
        let text = "{ \"A\": {\"x\":1,   \"y\": [1,2]},\n  \"B\": {\"x\":  2} }";
        let old = parse(text).unwrap();
        let mut new = old.clone();
        if let Value::Object(m) = &mut new.value {
            if let Value::Object(b) = &mut m[1].value.value {
                b.push(super::super::Member::new("z", Json::string("new")));
            }
        }
        let out = splice(text, &old, &new);
        assert_eq!(
            out,
            "{ \"A\": {\"x\":1,   \"y\": [1,2]},\n  \"B\": {\n    \"x\": 2,\n    \"z\": \"new\"\n  } }"
        );
        assert_eq!(parse(&out).unwrap(), new);
        assert_eq!(splice(text, &old, &old), text);
    }
}
