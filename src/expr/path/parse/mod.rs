//! The JSONPath parser: text → [`Path`] (segments, names, brackets, slices); filter expressions are in
//! `filter`.

mod filter;

use crate::expr::MAX_DEPTH;
use crate::expr::path::syntax::{Func, Mode, Seg, Sel};
use crate::expr::path::{Path, PathError};
use serde_json::{Number, Value};

pub(super) fn char_at(s: &str, i: usize) -> char {
    s.get(i..).and_then(|r| r.chars().next()).unwrap_or('\0')
}

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    depth: usize,
}

/// Parses a path starting at byte `start` of `src` (which must be `$`); returns the path and the offset where
/// it stopped. `depth` is the nesting level of the caller (intrinsic calls, filters).
pub(crate) fn parse_prefix(
    src: &str,
    start: usize,
    mode: Mode,
    depth: usize,
) -> Result<(Path, usize), PathError> {
    let mut p = Parser {
        s: src,
        b: src.as_bytes(),
        pos: start,
        depth,
    };
    if p.peek() != Some(b'$') {
        return Err(p.err("a path must start with '$'"));
    }
    p.pos += 1;
    let context = if p.peek() == Some(b'$') {
        p.pos += 1;
        true
    } else {
        false
    };
    let mut variable = None;
    if !context {
        // `$name`: a workflow variable (a Unicode identifier, as AWS defines variable names).
        let name_start = p.pos;
        let mut chars = src[name_start..].char_indices();
        if let Some((_, c)) = chars.next()
            && crate::expr::is_variable_start(c)
        {
            let len = chars
                .find(|&(_, c)| !crate::expr::is_variable_continue(c))
                .map_or(src.len() - name_start, |(i, _)| i);
            p.pos = name_start + len;
            variable = Some(src[name_start..p.pos].to_string());
        }
    }
    let segs = p.segments(mode)?;
    let text = src.get(start..p.pos).unwrap_or_default().to_string();
    Ok((
        Path {
            text,
            context,
            variable,
            segs,
        },
        p.pos,
    ))
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.pos + k).copied()
    }

    fn err(&self, m: impl Into<String>) -> PathError {
        PathError {
            message: m.into(),
            offset: self.pos.min(self.s.len()),
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), PathError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(format!("expected '{}'", c as char)))
        }
    }

    fn segments(&mut self, mode: Mode) -> Result<Vec<Seg>, PathError> {
        let mut segs = Vec::new();
        loop {
            if matches!(segs.last(), Some(Seg::Func(_))) {
                // A function ends the path.
                break;
            }
            match self.peek() {
                Some(b'.') if self.peek_at(1) == Some(b'.') => {
                    self.pos += 2;
                    let sel = match self.peek() {
                        Some(b'*') => {
                            self.pos += 1;
                            Sel::Wildcard
                        }
                        Some(b'[') => self.bracket()?,
                        _ => {
                            let name = self.name(mode)?;
                            Sel::Name(name)
                        }
                    };
                    segs.push(Seg::Descend(sel));
                }
                Some(b'.') => {
                    self.pos += 1;
                    if self.eat(b'*') {
                        segs.push(Seg::Child(Sel::Wildcard));
                        continue;
                    }
                    if self.peek() == Some(b'[') {
                        // Jayway accepts `$.['a']` and `$.[0]`.
                        segs.push(Seg::Child(self.bracket()?));
                        continue;
                    }
                    let at = self.pos;
                    let name = self.name(mode)?;
                    if self.peek() == Some(b'(') {
                        let f = function(&name).ok_or_else(|| PathError {
                            message: format!("unknown path function '{name}()'"),
                            offset: at,
                        })?;
                        self.pos += 1;
                        self.skip_ws();
                        self.expect(b')')?;
                        segs.push(Seg::Func(f));
                    } else {
                        segs.push(Seg::Child(Sel::Name(name)));
                    }
                }
                Some(b'[') => segs.push(Seg::Child(self.bracket()?)),
                _ => break,
            }
        }
        Ok(segs)
    }

    fn name(&mut self, mode: Mode) -> Result<String, PathError> {
        let start = self.pos;
        while let Some(c) = self.s.get(self.pos..).and_then(|r| r.chars().next()) {
            let stop = match c {
                '.' | '[' | '(' | ']' => true,
                c if c.is_whitespace() => true,
                ',' | ')' => mode != Mode::Standalone,
                '=' | '!' | '<' | '>' | '&' | '|' | '~' => mode == Mode::Filter,
                _ => false,
            };
            if stop {
                break;
            }
            self.pos += c.len_utf8();
        }
        if self.pos == start {
            return Err(self.err("a name is expected after '.'"));
        }
        Ok(self.s[start..self.pos].to_string())
    }

    fn bracket(&mut self) -> Result<Sel, PathError> {
        self.expect(b'[')?;
        self.skip_ws();
        let sel = match self.peek() {
            Some(b'*') => {
                self.pos += 1;
                Sel::Wildcard
            }
            Some(b'?') => {
                self.pos += 1;
                self.skip_ws();
                self.expect(b'(')?;
                if self.depth + 1 > MAX_DEPTH {
                    return Err(self.err("filters are nested too deeply"));
                }
                self.depth += 1;
                let f = self.filter_or()?;
                self.depth -= 1;
                self.skip_ws();
                self.expect(b')')?;
                Sel::Filter(Box::new(f))
            }
            Some(b'\'' | b'"') => {
                let mut names = vec![self.quoted(false)?];
                loop {
                    self.skip_ws();
                    if !self.eat(b',') {
                        break;
                    }
                    self.skip_ws();
                    names.push(self.quoted(false)?);
                }
                if names.len() == 1 {
                    Sel::Name(names.pop().unwrap_or_default())
                } else {
                    Sel::Names(names)
                }
            }
            Some(b'-' | b'0'..=b'9' | b':') => self.index_or_slice()?,
            // Jayway's script form for "the last n": `[(@.length-n)]`, the same as `[-n]`.
            Some(b'(') => {
                let rest = &self.s[self.pos..];
                let compact: String = rest
                    .chars()
                    .take_while(|c| *c != ']')
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let n = compact
                    .strip_prefix("(@.length-")
                    .and_then(|r| r.strip_suffix(')'))
                    .and_then(|d| d.parse::<i64>().ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        self.err("only the script expression (@.length-n) is supported in brackets")
                    })?;
                self.pos += rest.find(']').unwrap_or(rest.len());
                Sel::Index(-n)
            }
            _ => return Err(self.err("expected a name, index, slice, '*' or filter after '['")),
        };
        self.skip_ws();
        self.expect(b']')?;
        Ok(sel)
    }

    /// A quoted name or string literal. A backslash keeps the next character from ending it. In a filter literal
    /// (`unescape`) the backslash is dropped; in a bracket name only before the closing quote itself, otherwise
    /// it stays as written: AWS reads `$['a\"b']` as the key `a\"b` and `$['it\'s']` as `it's`.
    fn quoted(&mut self, unescape: bool) -> Result<String, PathError> {
        let q = match self.peek() {
            Some(c @ (b'\'' | b'"')) => c,
            _ => return Err(self.err("expected a quoted name")),
        };
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.s.get(self.pos..).and_then(|r| r.chars().next()) else {
                return Err(PathError {
                    message: "unterminated quoted name".into(),
                    offset: start,
                });
            };
            self.pos += c.len_utf8();
            if c as u32 == q as u32 {
                return Ok(out);
            }
            if c == '\\' {
                let Some(e) = self.s.get(self.pos..).and_then(|r| r.chars().next()) else {
                    continue;
                };
                self.pos += e.len_utf8();
                if !unescape && e as u32 != q as u32 {
                    out.push('\\');
                }
                out.push(e);
            } else {
                out.push(c);
            }
        }
    }

    fn int(&mut self) -> Result<Option<i64>, PathError> {
        self.skip_ws();
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let t = &self.s[start..self.pos];
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i64>().map(Some).map_err(|_| PathError {
            message: format!("invalid array index '{t}'"),
            offset: start,
        })
    }

    fn index_or_slice(&mut self) -> Result<Sel, PathError> {
        let first = self.int()?;
        self.skip_ws();
        if self.eat(b':') {
            let second = self.int()?;
            self.skip_ws();
            if self.peek() == Some(b':') {
                return Err(self.err("slice steps are not supported"));
            }
            return Ok(Sel::Slice(first, second));
        }
        let Some(first) = first else {
            return Err(self.err("expected an array index"));
        };
        let mut all = vec![first];
        while self.eat(b',') {
            match self.int()? {
                Some(i) => all.push(i),
                None => return Err(self.err("expected an array index after ','")),
            }
            self.skip_ws();
        }
        Ok(if all.len() == 1 {
            Sel::Index(first)
        } else {
            Sel::Indexes(all)
        })
    }
}

fn function(name: &str) -> Option<Func> {
    Some(match name {
        "length" => Func::Length,
        "min" => Func::Min,
        "max" => Func::Max,
        "avg" => Func::Avg,
        "sum" => Func::Sum,
        "stddev" => Func::Stddev,
        "keys" => Func::Keys,
        "first" => Func::First,
        "last" => Func::Last,
        _ => return None,
    })
}

/// JSON number text → Value (integers stay integers).
pub(crate) fn number_value(t: &str) -> Option<Value> {
    if let Ok(i) = t.parse::<i64>() {
        return Some(Value::Number(i.into()));
    }
    if !t.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let f = t.parse::<f64>().ok()?;
    Number::from_f64(f).map(Value::Number)
}
