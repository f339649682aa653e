//! `States.Format('x {}', $.a, States.Array(1, 'b'))` → [`Call`] AST.
//!
//! Arguments: string literals in single quotes (escapes `\'`, `\{`, `\}`, `\\`; any other backslash is kept
//! as is), numbers, `true`/`false`/`null`, paths (`$`, `$.x`, `$$.Execution.Id`, filters included) and
//! nested calls, nested at most [`MAX_DEPTH`] levels.

use serde_json::Value;

use super::{Arg, Call, IntrinsicError, Piece};
use crate::expr::MAX_DEPTH;
use crate::expr::path::{self, Mode};

/// Parses one intrinsic call; surrounding whitespace is allowed, nothing else.
pub fn parse_intrinsic(text: &str) -> Result<Call, IntrinsicError> {
    let mut p = P {
        s: text,
        b: text.as_bytes(),
        pos: 0,
    };
    p.ws();
    let call = p.call(1)?;
    p.ws();
    if p.pos != text.len() {
        return Err(p.err("unexpected text after the intrinsic function call"));
    }
    Ok(call)
}

struct P<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
}

impl P<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn err(&self, m: impl Into<String>) -> IntrinsicError {
        IntrinsicError {
            message: m.into(),
            offset: self.pos.min(self.s.len()),
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicError> {
        if depth > MAX_DEPTH {
            return Err(self.err(format!(
                "intrinsic calls nested deeper than {MAX_DEPTH} levels"
            )));
        }
        let start = self.pos;
        if !self.s[self.pos..].starts_with("States.") {
            return Err(self.err("an intrinsic function call must start with 'States.'"));
        }
        self.pos += "States.".len();
        let name_start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
            self.pos += 1;
        }
        if self.pos == name_start {
            return Err(self.err("a function name is expected after 'States.'"));
        }
        let name = self.s[start..self.pos].to_string();
        self.ws();
        if self.peek() != Some(b'(') {
            return Err(self.err(format!("expected '(' after {name}")));
        }
        self.pos += 1;
        self.ws();
        let mut args = Vec::new();
        let mut template = None;
        if self.peek() == Some(b')') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                let (arg, pieces) = self.arg(depth)?;
                if args.is_empty() {
                    template = pieces;
                }
                args.push(arg);
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b')') => {
                        self.pos += 1;
                        break;
                    }
                    Some(_) => return Err(self.err("expected ',' or ')' after an argument")),
                    None => {
                        return Err(self.err(format!("unterminated call to {name}: ')' expected")));
                    }
                }
            }
        }
        Ok(Call {
            name,
            args,
            offset: start,
            text: self.s[start..self.pos].to_string(),
            template,
        })
    }

    fn arg(&mut self, depth: usize) -> Result<(Arg, Option<Vec<Piece>>), IntrinsicError> {
        match self.peek() {
            Some(b'\'') => {
                let (s, pieces) = self.string()?;
                Ok((Arg::Str(s), Some(pieces)))
            }
            Some(b'$') => {
                let (p, end) = path::parse_prefix(self.s, self.pos, Mode::Intrinsic, depth)
                    .map_err(|e| IntrinsicError {
                        message: format!("invalid path: {}", e.message),
                        offset: e.offset,
                    })?;
                self.pos = end;
                Ok((Arg::Path(p), None))
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                self.pos += 1;
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                ) {
                    self.pos += 1;
                }
                let t = &self.s[start..self.pos];
                match path::number_value(t) {
                    Some(Value::Number(n)) => Ok((Arg::Number(n), None)),
                    _ => Err(IntrinsicError {
                        message: format!("invalid number '{t}'"),
                        offset: start,
                    }),
                }
            }
            Some(b'S') => Ok((Arg::Call(Box::new(self.call(depth + 1)?)), None)),
            _ => {
                for (w, a) in [
                    ("true", Arg::Bool(true)),
                    ("false", Arg::Bool(false)),
                    ("null", Arg::Null),
                ] {
                    if let Some(rest) = self.s[self.pos..].strip_prefix(w)
                        && !rest.starts_with(|c: char| c.is_ascii_alphanumeric())
                    {
                        self.pos += w.len();
                        return Ok((a, None));
                    }
                }
                Err(self.err(
                    "expected an argument: a 'string', a number, true, false, null, a path or a call",
                ))
            }
        }
    }

    /// A single-quoted literal: the decoded text and its split at unescaped `{}`.
    fn string(&mut self) -> Result<(String, Vec<Piece>), IntrinsicError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut pieces = Vec::new();
        let mut text = String::new();
        loop {
            let Some(c) = self.s.get(self.pos..).and_then(|r| r.chars().next()) else {
                return Err(IntrinsicError {
                    message: "unterminated string literal".into(),
                    offset: start,
                });
            };
            self.pos += c.len_utf8();
            match c {
                '\'' => break,
                '\\' => {
                    let Some(e) = self.s.get(self.pos..).and_then(|r| r.chars().next()) else {
                        continue;
                    };
                    if matches!(e, '\'' | '{' | '}' | '\\') {
                        self.pos += e.len_utf8();
                        out.push(e);
                        text.push(e);
                    } else {
                        out.push('\\');
                        text.push('\\');
                    }
                }
                '{' if self.peek() == Some(b'}') => {
                    self.pos += 1;
                    out.push_str("{}");
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Hole);
                }
                c => {
                    out.push(c);
                    text.push(c);
                }
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok((out, pieces))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_template_pieces() {
        let c = parse_intrinsic(r"States.Format('a {} \{\} b {}', 1, 2)").unwrap();
        assert_eq!(
            c.template,
            Some(vec![
                Piece::Text("a ".into()),
                Piece::Hole,
                Piece::Text(" {} b ".into()),
                Piece::Hole
            ])
        );
        assert_eq!(c.args[0], Arg::Str("a {} {} b {}".into()));
    }

    #[test]
    fn nested_offsets_and_text() {
        let c = parse_intrinsic("States.Array( States.UUID() )").unwrap();
        let Arg::Call(inner) = &c.args[0] else {
            panic!("expected a nested call")
        };
        assert_eq!((inner.offset, inner.text.as_str()), (14, "States.UUID()"));
    }

    #[test]
    fn literals() {
        let c = parse_intrinsic("States.Array(-1, 2.5, true, false, null, $$.x, $)").unwrap();
        assert_eq!(c.args.len(), 7);
        assert!(matches!(&c.args[5], Arg::Path(p) if p.is_context()));
        assert!(matches!(&c.args[6], Arg::Path(p) if p.as_str() == "$"));
    }

    #[test]
    fn error_offsets() {
        assert_eq!(parse_intrinsic("States.Array(1 2)").unwrap_err().offset, 15);
        assert_eq!(parse_intrinsic("States.Array('x)").unwrap_err().offset, 13);
        assert_eq!(parse_intrinsic("States.(1)").unwrap_err().offset, 7);
    }
}
