//! A strict JSON (RFC 8259) parser that builds the lossless tree without recursion.

use super::{JStr, Json, LineIndex, Member, Number, Span, Value};
use std::fmt;

/// How deep arrays and objects may nest. Deeper input is refused with an error, never a stack overflow.
pub const MAX_DEPTH: usize = 256;

/// Why a text is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Byte offset in the source.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

impl ParseError {
    pub fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, column) = LineIndex::new(text).line_col(text, offset);
        ParseError {
            message: message.into(),
            offset,
            line,
            column,
        }
    }
}

/// Parses a whole JSON text. A leading UTF-8 byte-order mark is skipped.
pub fn parse(text: &str) -> Result<Json, ParseError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        keys: Default::default(),
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    let value = p
        .parse_document()
        .map_err(|(offset, msg)| ParseError::at(text, offset, msg))?;
    Ok(value)
}

type PResult<T> = Result<T, (usize, String)>;

enum Frame {
    Array {
        start: usize,
        items: Vec<Json>,
    },
    Object {
        start: usize,
        members: Vec<Member>,
        key: Option<(JStr, Span)>,
    },
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Object keys written without escapes, by their text: a key used in many objects (`"Type"`, `"Next"`, …) is
    /// one shared string, not one allocation per use.
    keys: std::collections::HashMap<&'a str, JStr>,
}

impl<'a> Parser<'a> {
    fn skip_ws(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn describe_here(&self) -> String {
        match self.text[self.pos..].chars().next() {
            None => "end of input".to_owned(),
            Some(c) => format!("{c:?}"),
        }
    }

    fn parse_document(&mut self) -> PResult<Json> {
        self.skip_ws();
        if self.peek().is_none() {
            return Err((
                self.pos,
                "the document is empty: expected a JSON value".into(),
            ));
        }
        let value = self.parse_value()?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err((
                self.pos,
                format!(
                    "unexpected {} after the end of the JSON value",
                    self.describe_here()
                ),
            ));
        }
        Ok(value)
    }

    /// Parses one value; containers are handled with an explicit stack.
    fn parse_value(&mut self) -> PResult<Json> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Parse the start of a value: either a scalar, or open a container.
            self.skip_ws();
            let start = self.pos;
            let mut done: Option<Json> = match self.peek() {
                Some(b'[') => {
                    self.pos += 1;
                    self.check_depth(stack.len() + 1, start)?;
                    self.skip_ws();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        Some(Json {
                            value: Value::Array(Vec::new()),
                            span: Span::new(start, self.pos),
                        })
                    } else {
                        stack.push(Frame::Array {
                            start,
                            items: Vec::new(),
                        });
                        None
                    }
                }
                Some(b'{') => {
                    self.pos += 1;
                    self.check_depth(stack.len() + 1, start)?;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Some(Json {
                            value: Value::Object(Vec::new()),
                            span: Span::new(start, self.pos),
                        })
                    } else {
                        let key = self.parse_key()?;
                        stack.push(Frame::Object {
                            start,
                            members: Vec::new(),
                            key: Some(key),
                        });
                        None
                    }
                }
                _ => Some(self.parse_scalar()?),
            };

            // Close as many containers as the input closes.
            while let Some(value) = done.take() {
                let Some(frame) = stack.last_mut() else {
                    return Ok(value);
                };
                self.skip_ws();
                match frame {
                    Frame::Array { start, items } => {
                        items.push(value);
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let start = *start;
                                // Exact size: a tree of a big file is mostly these vectors.
                                let mut items = std::mem::take(items);
                                items.shrink_to_fit();
                                stack.pop();
                                done = Some(Json {
                                    value: Value::Array(items),
                                    span: Span::new(start, self.pos),
                                });
                            }
                            _ => {
                                return Err((
                                    self.pos,
                                    format!(
                                        "expected ',' or ']' in array, found {}",
                                        self.describe_here()
                                    ),
                                ));
                            }
                        }
                    }
                    Frame::Object {
                        start,
                        members,
                        key,
                    } => {
                        let (k, key_span) = key
                            .take()
                            .expect("object frame always holds the pending key");
                        members.push(Member {
                            key: k,
                            key_span,
                            value,
                        });
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_ws();
                                let next_key = self.parse_key()?;
                                if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                                    *key = Some(next_key);
                                }
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let start = *start;
                                let mut members = std::mem::take(members);
                                members.shrink_to_fit();
                                stack.pop();
                                done = Some(Json {
                                    value: Value::Object(members),
                                    span: Span::new(start, self.pos),
                                });
                            }
                            _ => {
                                return Err((
                                    self.pos,
                                    format!(
                                        "expected ',' or '}}' in object, found {}",
                                        self.describe_here()
                                    ),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    fn check_depth(&self, depth: usize, at: usize) -> PResult<()> {
        if depth > MAX_DEPTH {
            Err((
                at,
                format!("arrays and objects nest deeper than {MAX_DEPTH} levels"),
            ))
        } else {
            Ok(())
        }
    }

    /// Parses `"key" :` and leaves the position before the value.
    fn parse_key(&mut self) -> PResult<(JStr, Span)> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return Err((
                self.pos,
                format!(
                    "expected a string key in object, found {}",
                    self.describe_here()
                ),
            ));
        }
        let start = self.pos;
        let body = &self.bytes[start + 1..];
        let key = match body
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        {
            Some(len) if body[len] == b'"' => {
                let text: &'a str = self.text;
                let raw = &text[start + 1..start + 1 + len];
                self.pos = start + 2 + len;
                self.keys
                    .entry(raw)
                    .or_insert_with(|| JStr::from(raw))
                    .clone()
            }
            _ => self.parse_string()?,
        };
        let span = Span::new(start, self.pos);
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err((
                self.pos,
                format!(
                    "expected ':' after object key, found {}",
                    self.describe_here()
                ),
            ));
        }
        self.pos += 1;
        Ok((key, span))
    }

    fn parse_scalar(&mut self) -> PResult<Json> {
        let start = self.pos;
        let value = match self.peek() {
            Some(b'"') => Value::String(self.parse_string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.parse_number()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            None => return Err((self.pos, "unexpected end of input: expected a value".into())),
            Some(_) => {
                return Err((
                    self.pos,
                    format!("expected a value, found {}", self.describe_here()),
                ));
            }
        };
        Ok(Json {
            value,
            span: Span::new(start, self.pos),
        })
    }

    fn literal(&mut self, word: &str, value: Value) -> PResult<Value> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err((
                self.pos,
                format!("expected a value, found {}", self.describe_here()),
            ))
        }
    }

    fn parse_number(&mut self) -> PResult<Number> {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => return Err((i, "invalid number: expected a digit".into())),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                return Err((i, "invalid number: expected a digit after '.'".into()));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                return Err((i, "invalid number: expected a digit in the exponent".into()));
            }
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
        }
        self.pos = i;
        Ok(Number::from_raw(&self.text[start..i]))
    }

    fn parse_string(&mut self) -> PResult<JStr> {
        debug_assert_eq!(self.peek(), Some(b'"'));
        let open = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        let mut value = String::new();
        let mut seg_start = self.pos;
        loop {
            let Some(&c) = self.bytes.get(self.pos) else {
                return Err((open, "unterminated string".into()));
            };
            match c {
                b'"' => {
                    let raw = &self.text[content_start..self.pos];
                    self.pos += 1;
                    if seg_start == content_start {
                        // No escapes: the text is the value, written canonically.
                        return Ok(JStr::from(raw));
                    }
                    value.push_str(&self.text[seg_start..self.pos - 1]);
                    return Ok(JStr::with_raw(value, raw));
                }
                b'\\' => {
                    value.push_str(&self.text[seg_start..self.pos]);
                    let esc_at = self.pos;
                    self.pos += 1;
                    let Some(&e) = self.bytes.get(self.pos) else {
                        return Err((open, "unterminated string".into()));
                    };
                    self.pos += 1;
                    match e {
                        b'"' => value.push('"'),
                        b'\\' => value.push('\\'),
                        b'/' => value.push('/'),
                        b'b' => value.push('\u{8}'),
                        b'f' => value.push('\u{c}'),
                        b'n' => value.push('\n'),
                        b'r' => value.push('\r'),
                        b't' => value.push('\t'),
                        b'u' => {
                            let hi = self.hex4(esc_at)?;
                            let ch = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes[self.pos..].starts_with(b"\\u") {
                                    self.pos += 2;
                                    let lo = self.hex4(esc_at)?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        char::from_u32(
                                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00),
                                        )
                                    } else {
                                        None
                                    }
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            // Lone surrogates are not representable in UTF-8; keep them visible.
                            value.push(ch.unwrap_or('\u{fffd}'));
                        }
                        _ => {
                            return Err((
                                esc_at,
                                format!("invalid escape '\\{}' in string", e as char),
                            ));
                        }
                    }
                    seg_start = self.pos;
                }
                0x00..=0x1f => {
                    return Err((
                        self.pos,
                        "control character in string: write it as an escape such as \\n".into(),
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn hex4(&mut self, esc_at: usize) -> PResult<u32> {
        let digits = self.text.get(self.pos..self.pos + 4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(v) if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_hexdigit()) => {
                self.pos += 4;
                Ok(v)
            }
            _ => Err((
                esc_at,
                "invalid \\u escape: expected four hex digits".into(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_keeps_numbers_and_duplicates() {
        let j = parse(
            r#"{"a": 1.0, "b": [1e3, -0, 123456789012345678901234567890], "a": "x\u00e9\/"}"#,
        )
        .unwrap();
        let m = j.as_object().unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m[0].value.as_number().unwrap().as_str(), "1.0");
        assert_eq!(m[2].value.as_str(), Some("xé/"));
        assert_eq!(m[2].value.as_jstr().unwrap().raw_text(), "x\\u00e9\\/");
        let arr = m[1].value.as_array().unwrap();
        assert_eq!(
            arr[2].as_number().unwrap().as_str(),
            "123456789012345678901234567890"
        );
    }

    #[test]
    fn errors_have_line_and_column() {
        let e = parse("{\n  \"a\": 1,\n  \"b\": \n}").unwrap_err();
        assert_eq!((e.line, e.column), (4, 1));
        let e = parse("{\"a\": [1, 2").unwrap_err();
        assert!(e.message.contains("expected ',' or ']'"), "{e}");
        let e = parse("").unwrap_err();
        assert!(e.message.contains("empty"));
        let e = parse("{} x").unwrap_err();
        assert_eq!((e.line, e.column), (1, 4));
        let e = parse("{\"a\": tru}").unwrap_err();
        assert_eq!(e.column, 7);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nest deeper"), "{e}");
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn spans_cover_values() {
        let text = r#"{"k": {"x": [true, null]}}"#;
        let j = parse(text).unwrap();
        let inner = j.get("k").unwrap();
        assert_eq!(&text[inner.span.range().unwrap()], r#"{"x": [true, null]}"#);
    }
}
