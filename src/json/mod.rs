//! A lossless JSON tree: the layer under the ASL model.
//!
//! `serde_json::Value` forgets how a document was written: `1.0` becomes `1`, escapes are normalised and a
//! duplicated key silently replaces its twin. statewright promises that an unedited save changes nothing, so
//! the ASL model is read from and written to this tree instead:
//! - numbers keep their source text ([`Number`]);
//! - strings keep their source escapes when they had any ([`JStr`]);
//! - objects are ordered lists of members, duplicates included;
//! - every node knows its byte span in the source, for `line:col` diagnostics and for splicing edits back
//!   into the original text ([`splice`]; [`splice_yaml`] for YAML, which keeps comments).
//!
//! Equality ([`PartialEq`]) compares content only, never spans.

mod parse;
mod pointer;
mod write;
mod yaml;
mod yaml_write;

pub use parse::{MAX_DEPTH, ParseError, parse};
pub use pointer::{Pointer, escape_token};
pub use write::{Style, canonical_text, compact_text, splice, write_canonical};
pub use yaml::{CFN_TAGS, parse_yaml, parse_yaml_template};
pub use yaml_write::{
    YamlStyle, double_quoted as yaml_double_quoted, scalar_string as yaml_scalar, splice_yaml,
    splice_yaml_node, yaml_block, yaml_text,
};

use std::fmt;

/// A byte range in the source text a node was read from. `Span::NONE` for nodes built in memory.
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const NONE: Span = Span {
        start: u32::MAX,
        end: u32::MAX,
    };

    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start.min(u32::MAX as usize - 1) as u32,
            end: end.min(u32::MAX as usize - 1) as u32,
        }
    }

    pub fn is_none(self) -> bool {
        self.start == u32::MAX
    }

    pub fn range(self) -> Option<std::ops::Range<usize>> {
        (!self.is_none()).then_some(self.start as usize..self.end as usize)
    }
}

/// A JSON number, kept exactly as written (`1.0`, `1e3`, a 30-digit integer).
#[derive(Clone, Debug, Eq, PartialEq, Hash)]
pub struct Number(Box<str>);

impl Number {
    /// The caller guarantees `raw` is a valid JSON number.
    pub(crate) fn from_raw(raw: &str) -> Self {
        Number(raw.into())
    }

    pub fn from_i64(n: i64) -> Self {
        Number(n.to_string().into())
    }

    /// `None` for NaN or infinities, which JSON cannot hold.
    pub fn from_f64(f: f64) -> Option<Self> {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() < 1e15 {
            return Some(Number((f as i64).to_string().into()));
        }
        Some(Number(format!("{f}").into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The value as an integer, if it is written without a fraction or exponent and fits.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    /// The value as an integer when it is mathematically one (`3`, `3.0`, `3e0`).
    pub fn as_integer(&self) -> Option<i64> {
        if let Some(i) = self.as_i64() {
            return Some(i);
        }
        let f = self.as_f64();
        (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A JSON string: its value, and its source text when that differs from the canonical escaping.
///
/// 24 bytes: trees and models hold one per string, so its size is much of their memory. The value is a shared
/// `str` (no spare capacity; the model read from a tree shares the tree's strings instead of copying them) and
/// the rarely present raw text sits behind one more pointer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JStr {
    value: std::sync::Arc<str>,
    /// The text between the quotes as written, when it is not what [`write::escape`] would produce.
    raw: Option<Box<Box<str>>>,
}

impl JStr {
    pub fn new(value: impl Into<String>) -> Self {
        JStr {
            value: value.into().into(),
            raw: None,
        }
    }

    pub(crate) fn with_raw(value: String, raw: &str) -> Self {
        let canonical = write::escape(&value);
        let raw = (canonical != raw).then(|| Box::new(Box::from(raw)));
        JStr {
            value: value.into(),
            raw,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The text to put between quotes when writing: the original escapes when there were any.
    pub fn raw_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.raw {
            Some(raw) => std::borrow::Cow::Borrowed(raw),
            None => write::escape(&self.value),
        }
    }
}

impl From<&str> for JStr {
    fn from(s: &str) -> Self {
        JStr {
            value: s.into(),
            raw: None,
        }
    }
}

impl From<String> for JStr {
    fn from(s: String) -> Self {
        JStr::new(s)
    }
}

impl std::ops::Deref for JStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for JStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

/// One `"key": value` member of an object.
#[derive(Clone, Debug)]
pub struct Member {
    pub key: JStr,
    pub key_span: Span,
    pub value: Json,
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}

impl Member {
    pub fn new(key: impl Into<JStr>, value: Json) -> Self {
        Member {
            key: key.into(),
            key_span: Span::NONE,
            value,
        }
    }
}

/// The value of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(JStr),
    Array(Vec<Json>),
    Object(Vec<Member>),
}

/// A node of the lossless tree: a value and where it was read from.
#[derive(Clone, Debug)]
pub struct Json {
    pub value: Value,
    pub span: Span,
}

impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        Json {
            value,
            span: Span::NONE,
        }
    }
}

impl Json {
    pub fn null() -> Self {
        Value::Null.into()
    }

    pub fn string(s: impl Into<JStr>) -> Self {
        Value::String(s.into()).into()
    }

    pub fn number(n: Number) -> Self {
        Value::Number(n).into()
    }

    pub fn object(members: Vec<Member>) -> Self {
        Value::Object(members).into()
    }

    pub fn array(items: Vec<Json>) -> Self {
        Value::Array(items).into()
    }

    /// The JSON type name used in messages: `object`, `array`, `string`, `number`, `boolean`, `null`.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn as_jstr(&self) -> Option<&JStr> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The first member with this key, if this is an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.member(key).map(|m| &m.value)
    }

    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| m.key.as_str() == key)
    }

    /// The node at an RFC 6901 pointer.
    pub fn at(&self, pointer: &Pointer) -> Option<&Json> {
        let mut node = self;
        for token in pointer.tokens() {
            node = match &node.value {
                Value::Object(members) => &members.iter().find(|m| m.key.as_str() == token)?.value,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The byte offset in the source of the node at each pointer, or of its nearest ancestor that exists (a member
    /// is found by its key's position). `None` for a tree built in memory. One walk down the tree for all pointers,
    /// visiting each node on their paths once: `n` pointers into an object of `m` members cost O(n + m), where
    /// resolving them one by one would cost O(n·m).
    pub fn source_offsets(&self, pointers: &[&Pointer]) -> Vec<Option<usize>> {
        let mut out = vec![None; pointers.len()];
        let Some(root) = self.span.range() else {
            return out;
        };
        let tokens: Vec<Vec<String>> = pointers.iter().map(|p| p.tokens().collect()).collect();
        let mut order: Vec<usize> = (0..pointers.len()).collect();
        order.sort_by(|&a, &b| tokens[a].cmp(&tokens[b]));
        resolve_offsets(self, root.start, 0, &order, &tokens, &mut out);
        out
    }

    /// Converts to a `serde_json::Value` (for evaluation). Numbers that do not fit an `f64` become the nearest one.
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => number_to_serde(n),
            Value::String(s) => serde_json::Value::String(s.as_str().to_owned()),
            Value::Array(items) => items.iter().map(Json::to_serde).collect(),
            Value::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.as_str().to_owned(), m.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }

    /// Converts from a `serde_json::Value`.
    pub fn from_serde(v: &serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::null(),
            serde_json::Value::Bool(b) => Value::Bool(*b).into(),
            serde_json::Value::Number(n) => Json::number(Number::from_raw(&n.to_string())),
            serde_json::Value::String(s) => Json::string(s.as_str()),
            serde_json::Value::Array(a) => Json::array(a.iter().map(Json::from_serde).collect()),
            serde_json::Value::Object(o) => Json::object(
                o.iter()
                    .map(|(k, v)| Member::new(k.as_str(), Json::from_serde(v)))
                    .collect(),
            ),
        }
    }

    /// Calls `f` for this node and every node below it, depth first, with its pointer.
    pub fn walk(&self, f: &mut dyn FnMut(&Pointer, &Json)) {
        let mut stack: Vec<(Pointer, &Json)> = vec![(Pointer::root(), self)];
        while let Some((ptr, node)) = stack.pop() {
            f(&ptr, node);
            match &node.value {
                Value::Object(members) => {
                    for m in members.iter().rev() {
                        stack.push((ptr.join(m.key.as_str()), &m.value));
                    }
                }
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate().rev() {
                        stack.push((ptr.join_index(i), item));
                    }
                }
                _ => {}
            }
        }
    }
}

/// [`Json::source_offsets`] below `node` (found at `offset`) for the pointers `group` (indexes into `tokens`, sorted
/// by their tokens), which all share their first `depth` tokens.
fn resolve_offsets(
    node: &Json,
    offset: usize,
    depth: usize,
    group: &[usize],
    tokens: &[Vec<String>],
    out: &mut [Option<usize>],
) {
    // The pointers that end here come first in sorted order.
    let here = group.partition_point(|&i| tokens[i].len() == depth);
    for &i in &group[..here] {
        out[i] = Some(offset);
    }
    let rest = &group[here..];
    // Children by key, built only for an object that more than one child is looked up in.
    let mut by_key: Option<std::collections::HashMap<&str, &Member>> = None;
    let mut start = 0;
    while start < rest.len() {
        let token = &tokens[rest[start]][depth];
        let len = rest[start..].partition_point(|&i| &tokens[i][depth] == token);
        let sub = &rest[start..start + len];
        start += len;
        let child = match &node.value {
            Value::Object(members) => {
                let member = if start < rest.len() || by_key.is_some() {
                    by_key
                        .get_or_insert_with(|| {
                            let mut map = std::collections::HashMap::with_capacity(members.len());
                            for m in members {
                                map.entry(m.key.as_str()).or_insert(m);
                            }
                            map
                        })
                        .get(token.as_str())
                        .copied()
                } else {
                    members.iter().find(|m| m.key.as_str() == token)
                };
                member.map(|m| {
                    let span = if m.key_span.is_none() {
                        m.value.span
                    } else {
                        m.key_span
                    };
                    (&m.value, span)
                })
            }
            Value::Array(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|v| (v, v.span)),
            _ => None,
        };
        match child {
            Some((child, span)) => {
                let at = span.range().map_or(offset, |r| r.start);
                resolve_offsets(child, at, depth + 1, sub, tokens, out);
            }
            None => {
                for &i in sub {
                    out[i] = Some(offset);
                }
            }
        }
    }
}

fn number_to_serde(n: &Number) -> serde_json::Value {
    if let Ok(i) = n.as_str().parse::<i64>() {
        return serde_json::Value::from(i);
    }
    if let Ok(u) = n.as_str().parse::<u64>() {
        return serde_json::Value::from(u);
    }
    serde_json::Number::from_f64(n.as_f64())
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null)
}

/// Line and column (both 1-based; the column counts characters) of byte offsets in a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "{\n  \"é\": 1,\n  \"b\": 2\n}";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let b = text.find("\"b\"").unwrap();
        assert_eq!(idx.line_col(text, b), (3, 3));
        let one = text.find('1').unwrap();
        assert_eq!(idx.line_col(text, one), (2, 8));
    }

    #[test]
    fn equality_ignores_spans() {
        let a = parse("[1, {\"a\": \"x\"}]").unwrap();
        let b = parse("[1,{\"a\":\"x\"}]").unwrap();
        assert_eq!(a, b);
        let c = parse("[1.0,{\"a\":\"x\"}]").unwrap();
        assert_ne!(a, c);
    }
}
