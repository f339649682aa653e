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
/// differ; everything else keeps its original bytes. An object whose members were added, removed or renamed
/// keeps the text of the members it still has (and the separators between them): only the new members are
/// written, in the canonical style, indented like the object's first member. Other replaced nodes are written
/// in the canonical style, indented like the line they start on.
///
/// Falls back to the canonical text of `new` when `old` carries no spans for `source`.
pub fn splice(source: &str, old: &Json, new: &Json) -> String {
    let style = Style::of(source);
    let Some(range) = old.span.range().filter(|r| r.end <= source.len()) else {
        return canonical_text(new, style);
    };
    let mut out = String::with_capacity(source.len() + 64);
    out.push_str(&source[..range.start]);
    if splice_node(source, old, new, style, &mut out).is_none() {
        return canonical_text(new, style);
    }
    out.push_str(&source[range.end..]);
    out
}

/// The number of spaces that start the line `at` is on.
fn indent_at(source: &str, at: usize) -> usize {
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..at]
        .bytes()
        .take_while(|b| *b == b' ')
        .count()
}

/// Writes the text of `new` for the range of `old` in `source`; `None` when a node that differs has no span.
fn splice_node(source: &str, old: &Json, new: &Json, style: Style, out: &mut String) -> Option<()> {
    let range = old.span.range().filter(|r| r.end <= source.len())?;
    if old == new {
        out.push_str(&source[range]);
        return Some(());
    }
    match (&old.value, &new.value) {
        (Value::Object(om), Value::Object(nm)) if !om.is_empty() && !nm.is_empty() => {
            let matched = match_members(om, nm);
            if matched.iter().any(Option::is_some) {
                return splice_object(source, range, om, nm, &matched, style, out);
            }
        }
        (Value::Array(oa), Value::Array(na)) if oa.len() == na.len() && !oa.is_empty() => {
            let mut at = range.start;
            for (o, n) in oa.iter().zip(na) {
                let r = o.span.range()?;
                out.push_str(source.get(at..r.start)?);
                splice_node(source, o, n, style, out)?;
                at = r.end;
            }
            out.push_str(source.get(at..range.end)?);
            return Some(());
        }
        _ => {}
    }
    write_canonical(new, indent_at(source, range.start), style, out);
    Some(())
}

/// For each member of `nm`, the member of `om` whose text it takes over: the same key, in the same relative
/// order (a moved member is not matched); then, between two matched members, the unmatched ones pair up in
/// order (a renamed member keeps its value's text).
fn match_members(om: &[super::Member], nm: &[super::Member]) -> Vec<Option<usize>> {
    let mut by_key: std::collections::HashMap<&str, std::collections::VecDeque<usize>> =
        std::collections::HashMap::new();
    for (i, m) in om.iter().enumerate() {
        by_key.entry(m.key.as_str()).or_default().push_back(i);
    }
    let mut matched = vec![None; nm.len()];
    let mut last: Option<usize> = None;
    for (j, m) in nm.iter().enumerate() {
        let Some(list) = by_key.get_mut(m.key.as_str()) else {
            continue;
        };
        while list.front().is_some_and(|&i| last.is_some_and(|l| i <= l)) {
            list.pop_front();
        }
        if let Some(i) = list.pop_front() {
            matched[j] = Some(i);
            last = Some(i);
        }
    }
    // Pair the unmatched members between anchors (and before the first / after the last). Anchors are in
    // increasing old order, so the old members between two anchors are all unmatched.
    let anchors: Vec<(usize, usize)> = matched
        .iter()
        .enumerate()
        .filter_map(|(j, m)| m.map(|i| (j, i)))
        .chain(std::iter::once((nm.len(), om.len())))
        .collect();
    let (mut new_from, mut old_from) = (0, 0);
    for (new_end, old_end) in anchors {
        for (k, i) in (new_from..new_end).zip(old_from..old_end) {
            matched[k] = Some(i);
        }
        new_from = new_end + 1;
        old_from = old_end + 1;
    }
    matched
}

/// [`splice_node`] for two non-empty objects whose members are matched by [`match_members`].
fn splice_object(
    source: &str,
    range: std::ops::Range<usize>,
    om: &[super::Member],
    nm: &[super::Member],
    matched: &[Option<usize>],
    style: Style,
    out: &mut String,
) -> Option<()> {
    // (key start, key end, value start, value end) of each old member.
    let spans: Vec<(usize, usize, usize, usize)> = om
        .iter()
        .map(|m| {
            let k = m.key_span.range()?;
            let v = m.value.span.range()?;
            Some((k.start, k.end, v.start, v.end))
        })
        .collect::<Option<_>>()?;
    let first = spans[0];
    let last = spans[spans.len() - 1];
    let open = source.get(range.start..first.0)?;
    let close = source.get(last.3..range.end)?;
    let colon = source.get(first.1..first.2)?;
    let default_sep = match spans.get(1) {
        Some(second) => source.get(first.3..second.0)?.to_owned(),
        // One member: a comma, then what followed the brace (a line break and indent), or a space.
        None => match open.get(1..)? {
            "" => ", ".to_owned(),
            after => format!(",{after}"),
        },
    };
    let indent = indent_at(source, first.0);
    let push_key = |out: &mut String, m: &super::Member| {
        out.push('"');
        out.push_str(&m.key.raw_text());
        out.push('"');
    };
    out.push_str(open);
    for (j, m) in nm.iter().enumerate() {
        if j > 0 {
            match matched[j] {
                Some(i) if i > 0 => out.push_str(source.get(spans[i - 1].3..spans[i].0)?),
                _ => out.push_str(&default_sep),
            }
        }
        match matched[j] {
            Some(i) => {
                let (ks, ke, vs, _) = spans[i];
                if om[i].key == m.key {
                    out.push_str(source.get(ks..ke)?);
                } else {
                    push_key(out, m);
                }
                out.push_str(source.get(ke..vs)?);
                splice_node(source, &om[i].value, &m.value, style, out)?;
            }
            None => {
                push_key(out, m);
                out.push_str(colon);
                write_canonical(&m.value, indent, style, out);
            }
        }
    }
    out.push_str(close);
    Some(())
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
        if let Value::Object(m) = &mut new.value
            && let Value::Object(b) = &mut m[1].value.value
        {
            b.push(super::super::Member::new("z", Json::string("new")));
        }
        let out = splice(text, &old, &new);
        assert_eq!(
            out,
            "{ \"A\": {\"x\":1,   \"y\": [1,2]},\n  \"B\": {\"x\":  2, \"z\":  \"new\"} }"
        );
        assert_eq!(parse(&out).unwrap(), new);
        assert_eq!(splice(text, &old, &old), text);
    }
}
