//! JSONPath as AWS Step Functions evaluates it (Jayway-based): AST, parser, selection and ResultPath `set`.
//!
//! Supported: `$`, `$$` (context object), `.name`, `['name']` / `["name"]`, `['a','b']`, `[0]`, `[-1]`,
//! `[0,2]`, `[1:3]`, `[*]`, `.*`, `..name` / `..*` / `..[0]`, filters `[?(...)]` with `== != < <= > >=`,
//! `in nin subsetof anyof noneof size empty contains`, `&& || !`, parentheses, `@`/`$` operands and literals,
//! and the path functions `length() min() max() avg() sum() stddev() keys() first() last()` at the end.
//! Not supported: the regex operator `=~` and functions taking arguments (`concat`, `append`, `index`).

use std::cmp::Ordering;
use std::fmt;

use serde_json::{Map, Number, Value};

use super::{ExprError, MAX_DEPTH, json_text};

/// A syntax error with the byte offset (into the parsed text) where it was detected.
#[derive(Clone, Debug, PartialEq)]
pub struct PathError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for PathError {}

/// A parsed JSONPath. Parse once with [`Path::parse`], evaluate many times.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    text: String,
    context: bool,
    /// `$name…`: a path into the variable `name` (JSONPath-mode variables, set by `Assign`).
    variable: Option<String>,
    segs: Vec<Seg>,
}

#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Child(Sel),
    Descend(Sel),
    Func(Func),
}

#[derive(Clone, Debug, PartialEq)]
enum Sel {
    Name(String),
    Names(Vec<String>),
    Index(i64),
    Indexes(Vec<i64>),
    Wildcard,
    Slice(Option<i64>, Option<i64>),
    Filter(Box<Filter>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Func {
    Length,
    Min,
    Max,
    Avg,
    Sum,
    Stddev,
    Keys,
    First,
    Last,
}

#[derive(Clone, Debug, PartialEq)]
enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Exists(Operand),
    Cmp(Operand, Op, Operand),
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    /// `@...`: relative to the element under test.
    Current(Vec<Seg>),
    /// `$...`: relative to the document root.
    Root(Vec<Seg>),
    Lit(Value),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Nin,
    Subsetof,
    Anyof,
    Noneof,
    Size,
    Empty,
    Contains,
}

/// Where a path is embedded: decides which characters end a dot-notation name.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Mode {
    Standalone,
    /// Inside an intrinsic call: `,` and `)` also end the path.
    Intrinsic,
    /// Inside a filter expression: operators and `)` end the path.
    Filter,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    /// Parses a whole path; surrounding whitespace is ignored (as Jayway does).
    pub fn parse(text: &str) -> Result<Path, PathError> {
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        if start >= end {
            return Err(PathError {
                message: "a path must start with '$'".into(),
                offset: start.min(text.len()),
            });
        }
        let (path, stop) = parse_prefix(&text[..end], start, Mode::Standalone, 0)?;
        if stop != end {
            return Err(PathError {
                message: format!("unexpected character {:?} in path", char_at(text, stop)),
                offset: stop,
            });
        }
        Ok(path)
    }

    /// The text the path was parsed from (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The variable this path reads (`$name…`), if any.
    pub fn variable(&self) -> Option<&str> {
        self.variable.as_deref()
    }

    /// Starts with `$$` (the context object).
    pub fn is_context(&self) -> bool {
        self.context
    }

    /// A reference path: only `$`, `.name`, `['name']` and `[n]` (n ≥ 0): it names at most one node.
    pub fn is_reference_path(&self) -> bool {
        self.segs.iter().all(|s| {
            matches!(s, Seg::Child(Sel::Name(_)))
                || matches!(s, Seg::Child(Sel::Index(i)) if *i >= 0)
        })
    }

    /// A definite path yields one node (or fails); an indefinite one yields an array of matches.
    pub fn is_definite(&self) -> bool {
        segs_definite(&self.segs)
    }

    /// AWS selection: a definite path yields the node (missing ⇒ `States.Runtime` error with Jayway's
    /// message), an indefinite path (wildcard, filter, slice, union, descent) an array of the matches.
    pub fn select(&self, data: &Value, context: &Value) -> Result<Value, ExprError> {
        if let Some(name) = &self.variable {
            return Err(ExprError::runtime(format!(
                "Invalid path '{}' : the variable ${name} is not defined (variables are not simulated yet)",
                self.text
            )));
        }
        let root = if self.context { context } else { data };
        eval_segs(&self.segs, root, root)
            .map_err(|m| ExprError::runtime(format!("Invalid path '{}' : {}", self.text, m)))
    }

    /// Like [`Path::select`] but `None` when the node is missing (Choice `IsPresent`). An indefinite path
    /// with no match is also `None`.
    pub fn select_opt(&self, data: &Value, context: &Value) -> Option<Value> {
        match self.select(data, context) {
            Ok(Value::Array(a)) if a.is_empty() && !self.is_definite() => None,
            Ok(v) => Some(v),
            Err(_) => None,
        }
    }

    /// ResultPath semantics: `$` replaces the whole input; otherwise intermediate objects are created as
    /// needed and the last field is set. Fails (`States.ResultPathMatchFailure`) when a segment exists but
    /// is not an object (or an array index is out of range), or the path is not a reference path.
    pub fn set(&self, data: &mut Value, value: Value) -> Result<(), ExprError> {
        let fail = |data: &Value| {
            let input = json_text::json_to_string(data).unwrap_or_default();
            ExprError::new(
                "States.ResultPathMatchFailure",
                format!(
                    "Unable to apply ResultPath \"{}\" to input \"{}\"",
                    self.text, input
                ),
            )
        };
        if self.context || self.variable.is_some() || !self.is_reference_path() {
            return Err(fail(data));
        }
        // First walk immutably to decide, so the error can show the untouched input.
        {
            let mut cur: Option<&Value> = Some(&*data);
            for (i, seg) in self.segs.iter().enumerate() {
                let last = i + 1 == self.segs.len();
                let Some(node) = cur else { break };
                cur = match seg {
                    Seg::Child(Sel::Name(k)) => match node {
                        Value::Object(m) => m.get(k),
                        _ => return Err(fail(data)),
                    },
                    Seg::Child(Sel::Index(ix)) => match node {
                        Value::Array(a) if (*ix as usize) < a.len() => a.get(*ix as usize),
                        _ => return Err(fail(data)),
                    },
                    _ => return Err(fail(data)),
                };
                if last {
                    break;
                }
            }
        }
        let mut cur = data;
        let n = self.segs.len();
        if n == 0 {
            *cur = value;
            return Ok(());
        }
        for (i, seg) in self.segs.iter().enumerate() {
            let last = i + 1 == n;
            match (seg, cur) {
                (Seg::Child(Sel::Name(k)), Value::Object(m)) => {
                    if last {
                        m.insert(k.clone(), value);
                        return Ok(());
                    }
                    cur = m
                        .entry(k.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                (Seg::Child(Sel::Index(ix)), Value::Array(a)) => {
                    let Some(slot) = a.get_mut(*ix as usize) else {
                        break;
                    };
                    if last {
                        *slot = value;
                        return Ok(());
                    }
                    cur = slot;
                }
                _ => break,
            }
        }
        // Unreachable after the check above; report rather than panic.
        Err(ExprError::new(
            "States.ResultPathMatchFailure",
            format!("Unable to apply ResultPath \"{}\"", self.text),
        ))
    }
}

fn char_at(s: &str, i: usize) -> char {
    s.get(i..).and_then(|r| r.chars().next()).unwrap_or('\0')
}

fn segs_definite(segs: &[Seg]) -> bool {
    let n = segs.len();
    segs.iter().enumerate().all(|(i, s)| match s {
        Seg::Child(Sel::Name(_)) | Seg::Child(Sel::Index(_)) | Seg::Func(_) => true,
        // `['a','b']` as the last segment merges into one object (Jayway).
        Seg::Child(Sel::Names(_)) => i + 1 == n || matches!(segs.get(i + 1), Some(Seg::Func(_))),
        _ => false,
    })
}

// ---------------------------------------------------------------------------------------------------------
// Parser

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
    if !context
        && p.peek()
            .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
    {
        let name_start = p.pos;
        while p
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            p.pos += 1;
        }
        variable = Some(src[name_start..p.pos].to_string());
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

    // Filters --------------------------------------------------------------------------------------------

    fn enter(&mut self) -> Result<(), PathError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.err("filter expression nested too deeply"));
        }
        self.depth += 1;
        Ok(())
    }

    fn filter_or(&mut self) -> Result<Filter, PathError> {
        let mut left = self.filter_and()?;
        loop {
            self.skip_ws();
            if self.s[self.pos..].starts_with("||") {
                self.pos += 2;
                let right = self.filter_and()?;
                left = Filter::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_and(&mut self) -> Result<Filter, PathError> {
        let mut left = self.filter_unary()?;
        loop {
            self.skip_ws();
            if self.s[self.pos..].starts_with("&&") {
                self.pos += 2;
                let right = self.filter_unary()?;
                left = Filter::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_unary(&mut self) -> Result<Filter, PathError> {
        self.skip_ws();
        self.enter()?;
        let r = match self.peek() {
            Some(b'!') if self.peek_at(1) != Some(b'=') => {
                self.pos += 1;
                self.filter_unary().map(|f| Filter::Not(Box::new(f)))
            }
            Some(b'(') => {
                self.pos += 1;
                let f = self.filter_or();
                self.skip_ws();
                f.and_then(|f| self.expect(b')').map(|_| f))
            }
            _ => self.comparison(),
        };
        self.depth -= 1;
        r
    }

    fn comparison(&mut self) -> Result<Filter, PathError> {
        let left = self.operand()?;
        self.skip_ws();
        let Some(op) = self.operator()? else {
            return Ok(Filter::Exists(left));
        };
        self.skip_ws();
        let right = self.operand()?;
        Ok(Filter::Cmp(left, op, right))
    }

    fn operator(&mut self) -> Result<Option<Op>, PathError> {
        let rest = &self.s[self.pos..];
        if rest.starts_with("=~") {
            return Err(self.err("the regular-expression operator '=~' is not supported"));
        }
        const SYMBOLS: &[(&str, Op)] = &[
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        for (t, op) in SYMBOLS {
            if rest.starts_with(t) {
                self.pos += t.len();
                return Ok(Some(*op));
            }
        }
        const WORDS: &[(&str, Op)] = &[
            ("in", Op::In),
            ("nin", Op::Nin),
            ("subsetof", Op::Subsetof),
            ("anyof", Op::Anyof),
            ("noneof", Op::Noneof),
            ("size", Op::Size),
            ("empty", Op::Empty),
            ("contains", Op::Contains),
        ];
        for (t, op) in WORDS {
            if let Some(after) = rest.strip_prefix(t)
                && after.starts_with(|c: char| c.is_whitespace())
            {
                self.pos += t.len();
                return Ok(Some(*op));
            }
        }
        Ok(None)
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        self.skip_ws();
        match self.peek() {
            Some(b'@') => {
                self.pos += 1;
                Ok(Operand::Current(self.segments(Mode::Filter)?))
            }
            Some(b'$') => {
                if self.peek_at(1) == Some(b'$') {
                    return Err(self.err("'$$' is not allowed inside a filter"));
                }
                self.pos += 1;
                Ok(Operand::Root(self.segments(Mode::Filter)?))
            }
            _ => self.literal().map(Operand::Lit),
        }
    }

    fn literal(&mut self) -> Result<Value, PathError> {
        self.skip_ws();
        match self.peek() {
            Some(b'\'' | b'"') => self.quoted(true).map(Value::String),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if !self.eat(b']') {
                    loop {
                        self.enter()?;
                        let v = self.literal();
                        self.depth -= 1;
                        items.push(v?);
                        self.skip_ws();
                        if self.eat(b']') {
                            break;
                        }
                        self.expect(b',')?;
                    }
                }
                Ok(Value::Array(items))
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
                number_value(t).ok_or_else(|| PathError {
                    message: format!("invalid number '{t}'"),
                    offset: start,
                })
            }
            _ => {
                for (w, v) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.s[self.pos..].starts_with(w) {
                        self.pos += w.len();
                        return Ok(v);
                    }
                }
                // A bare word (`@.status == Failure`): Jayway reads it as a string.
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                {
                    self.pos += 1;
                }
                if self.pos > start {
                    return Ok(Value::String(self.s[start..self.pos].to_string()));
                }
                Err(self.err("expected '@', '$' or a literal in the filter"))
            }
        }
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

// ---------------------------------------------------------------------------------------------------------
// Evaluation

fn render_sel(sel: &Sel, out: &mut String) {
    match sel {
        Sel::Name(n) => out.push_str(&format!("['{n}']")),
        Sel::Names(ns) => {
            let q: Vec<String> = ns.iter().map(|n| format!("'{n}'")).collect();
            out.push_str(&format!("[{}]", q.join(",")));
        }
        Sel::Index(i) => out.push_str(&format!("[{i}]")),
        Sel::Indexes(is) => {
            let q: Vec<String> = is.iter().map(|i| i.to_string()).collect();
            out.push_str(&format!("[{}]", q.join(",")));
        }
        Sel::Wildcard => out.push_str("[*]"),
        Sel::Slice(a, b) => out.push_str(&format!(
            "[{}:{}]",
            a.map(|x| x.to_string()).unwrap_or_default(),
            b.map(|x| x.to_string()).unwrap_or_default()
        )),
        Sel::Filter(_) => out.push_str("[?]"),
    }
}

fn normalized(segs: &[Seg]) -> String {
    let mut s = String::from("$");
    for seg in segs {
        match seg {
            Seg::Child(sel) => render_sel(sel, &mut s),
            Seg::Descend(sel) => {
                s.push_str("..");
                render_sel(sel, &mut s);
            }
            Seg::Func(f) => s.push_str(&format!(".{}()", func_name(*f))),
        }
    }
    s
}

fn func_name(f: Func) -> &'static str {
    match f {
        Func::Length => "length",
        Func::Min => "min",
        Func::Max => "max",
        Func::Avg => "avg",
        Func::Sum => "sum",
        Func::Stddev => "stddev",
        Func::Keys => "keys",
        Func::First => "first",
        Func::Last => "last",
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Evaluates `segs` from `start`; `root` is what `$` means inside filters. Errors are Jayway's messages.
fn eval_segs(segs: &[Seg], start: &Value, root: &Value) -> Result<Value, String> {
    let (body, func) = match segs.split_last() {
        Some((Seg::Func(f), body)) => (body, Some(*f)),
        _ => (segs, None),
    };
    let value = if segs_definite(body) {
        eval_definite(body, start)?
    } else {
        Value::Array(eval_indefinite(body, start, root)?)
    };
    match func {
        None => Ok(value),
        Some(f) => apply_func(f, &value),
    }
}

fn eval_definite(segs: &[Seg], start: &Value) -> Result<Value, String> {
    let mut cur = start;
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        // The path so far, for error messages only (rendered when one is needed).
        let at = || {
            let mut at = String::from("$");
            for s in &segs[..i] {
                if let Seg::Child(sel) = s {
                    render_sel(sel, &mut at);
                }
            }
            at
        };
        let leaf = i + 1 == n;
        match seg {
            Seg::Child(Sel::Name(k)) => match cur {
                Value::Object(m) => match m.get(k) {
                    Some(v) => cur = v,
                    None if leaf => {
                        return Err(format!("No results for path: {}", normalized(segs)));
                    }
                    None => return Err(format!("Missing property in path {}['{k}']", at())),
                },
                other => {
                    return Err(format!(
                        "Expected to find an object with property ['{k}'] in path {} but found '{}'. \
                         This is not a json object according to the JsonProvider.",
                        at(),
                        type_name(other)
                    ));
                }
            },
            Seg::Child(Sel::Index(ix)) => match cur {
                Value::Array(a) => match resolve_index(*ix, a.len()).and_then(|j| a.get(j)) {
                    Some(v) => cur = v,
                    None => return Err(format!("No results for path: {}", normalized(segs))),
                },
                Value::Null => return Err(format!("The path {} is null", at())),
                other => {
                    return Err(format!(
                        "Filter: [{ix}] can only be applied to arrays. Current context is: {}",
                        json_text::json_to_string(other).unwrap_or_default()
                    ));
                }
            },
            Seg::Child(Sel::Names(ns)) => {
                // Only as the leaf (definite merge case): an object with the present properties.
                let Value::Object(m) = cur else {
                    return Err(format!(
                        "Expected to find an object with property {} in path {} but found '{}'. \
                         This is not a json object according to the JsonProvider.",
                        names_fragment(ns),
                        at(),
                        type_name(cur)
                    ));
                };
                let mut out = Map::new();
                for k in ns {
                    if let Some(v) = m.get(k) {
                        out.insert(k.clone(), v.clone());
                    }
                }
                return Ok(Value::Object(out));
            }
            _ => return Err(format!("No results for path: {}", normalized(segs))),
        }
    }
    Ok(cur.clone())
}

fn names_fragment(ns: &[String]) -> String {
    let mut s = String::new();
    render_sel(&Sel::Names(ns.to_vec()), &mut s);
    s
}

fn resolve_index(ix: i64, len: usize) -> Option<usize> {
    if ix >= 0 {
        usize::try_from(ix).ok().filter(|&j| j < len)
    } else {
        let back = usize::try_from(ix.unsigned_abs()).ok()?;
        len.checked_sub(back)
    }
}

fn eval_indefinite(segs: &[Seg], start: &Value, root: &Value) -> Result<Vec<Value>, String> {
    let mut cur: Vec<&Value> = vec![start];
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        let leaf = i + 1 == n;
        let mut next: Vec<&Value> = Vec::new();
        match seg {
            Seg::Child(Sel::Names(ns)) if leaf => {
                // Jayway merges the named properties of each object into one object.
                let mut out = Vec::new();
                for node in &cur {
                    if let Value::Object(m) = node {
                        let mut o = Map::new();
                        for k in ns {
                            if let Some(v) = m.get(k) {
                                o.insert(k.clone(), v.clone());
                            }
                        }
                        out.push(Value::Object(o));
                    }
                }
                return Ok(out);
            }
            Seg::Child(sel) => {
                for node in &cur {
                    select_children(sel, node, root, &mut next)?;
                }
            }
            Seg::Descend(sel) => {
                for node in &cur {
                    // Pre-order walk with an explicit stack (no recursion on data depth).
                    let mut stack: Vec<&Value> = vec![node];
                    while let Some(x) = stack.pop() {
                        select_children(sel, x, root, &mut next)?;
                        match x {
                            Value::Array(a) => stack.extend(a.iter().rev()),
                            Value::Object(m) => {
                                let vals: Vec<&Value> = m.values().collect();
                                stack.extend(vals.into_iter().rev());
                            }
                            _ => {}
                        }
                    }
                }
            }
            Seg::Func(_) => {}
        }
        cur = next;
    }
    Ok(cur.into_iter().cloned().collect())
}

fn select_children<'v>(
    sel: &Sel,
    node: &'v Value,
    root: &Value,
    out: &mut Vec<&'v Value>,
) -> Result<(), String> {
    match (sel, node) {
        (Sel::Name(k), Value::Object(m)) => out.extend(m.get(k)),
        (Sel::Names(ks), Value::Object(m)) => out.extend(ks.iter().filter_map(|k| m.get(k))),
        (Sel::Index(ix), Value::Array(a)) => {
            out.extend(resolve_index(*ix, a.len()).and_then(|j| a.get(j)));
        }
        (Sel::Indexes(ixs), Value::Array(a)) => {
            for ix in ixs {
                out.extend(resolve_index(*ix, a.len()).and_then(|j| a.get(j)));
            }
        }
        (Sel::Wildcard, Value::Array(a)) => out.extend(a.iter()),
        (Sel::Wildcard, Value::Object(m)) => out.extend(m.values()),
        (Sel::Slice(from, to), Value::Array(a)) => {
            let len = a.len() as i64;
            let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
            let f = from.map(norm).unwrap_or(0);
            let t = to.map(norm).unwrap_or(len);
            if f < t {
                out.extend(a[f as usize..t as usize].iter());
            }
        }
        (Sel::Filter(f), Value::Array(a)) => {
            for x in a {
                if eval_filter(f, x, root)? {
                    out.push(x);
                }
            }
        }
        (Sel::Filter(f), Value::Object(_)) if eval_filter(f, node, root)? => out.push(node),
        _ => {}
    }
    Ok(())
}

fn apply_func(f: Func, v: &Value) -> Result<Value, String> {
    let nums = || -> Result<Vec<f64>, String> {
        let Value::Array(a) = v else {
            return Err(format!(
                "Aggregation function {}() can only be applied to arrays",
                func_name(f)
            ));
        };
        let xs: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
        if xs.is_empty() {
            return Err(
                "Aggregation function attempted to calculate value using empty array".into(),
            );
        }
        Ok(xs)
    };
    let float = |x: f64| {
        Number::from_f64(x)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    };
    Ok(match f {
        Func::Length => match v {
            Value::Array(a) => Value::from(a.len()),
            Value::Object(m) => Value::from(m.len()),
            Value::String(s) => Value::from(s.chars().count()),
            _ => return Err("length() can only be applied to arrays, objects and strings".into()),
        },
        Func::Min => float(nums()?.into_iter().fold(f64::INFINITY, f64::min)),
        Func::Max => float(nums()?.into_iter().fold(f64::NEG_INFINITY, f64::max)),
        Func::Sum => float(nums()?.into_iter().sum()),
        Func::Avg => {
            let xs = nums()?;
            float(xs.iter().sum::<f64>() / xs.len() as f64)
        }
        Func::Stddev => {
            let xs = nums()?;
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            float((xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt())
        }
        Func::Keys => match v {
            Value::Object(m) => Value::Array(m.keys().cloned().map(Value::String).collect()),
            _ => return Err("keys() can only be applied to objects".into()),
        },
        Func::First | Func::Last => match v {
            Value::Array(a) => {
                let x = if f == Func::First {
                    a.first()
                } else {
                    a.last()
                };
                x.cloned()
                    .ok_or_else(|| format!("{}() of an empty array", func_name(f)))?
            }
            _ => return Err(format!("{}() can only be applied to arrays", func_name(f))),
        },
    })
}

fn eval_operand(op: &Operand, cur: &Value, root: &Value) -> Result<Option<Value>, String> {
    let (segs, start) = match op {
        Operand::Lit(v) => return Ok(Some(v.clone())),
        Operand::Current(s) => (s, cur),
        Operand::Root(s) => (s, root),
    };
    if segs_definite(segs) {
        Ok(eval_segs(segs, start, root).ok())
    } else {
        eval_segs(segs, start, root).map(Some)
    }
}

fn eval_filter(f: &Filter, cur: &Value, root: &Value) -> Result<bool, String> {
    Ok(match f {
        Filter::Or(a, b) => eval_filter(a, cur, root)? || eval_filter(b, cur, root)?,
        Filter::And(a, b) => eval_filter(a, cur, root)? && eval_filter(b, cur, root)?,
        Filter::Not(a) => !eval_filter(a, cur, root)?,
        Filter::Exists(o) => match eval_operand(o, cur, root)? {
            None => false,
            // An indefinite path exists when it matched something.
            Some(Value::Array(a)) if !matches!(o, Operand::Lit(_)) && !operand_definite(o) => {
                !a.is_empty()
            }
            Some(_) => true,
        },
        Filter::Cmp(l, op, r) => {
            let lv = eval_operand(l, cur, root)?;
            let rv = eval_operand(r, cur, root)?;
            compare(lv.as_ref(), *op, rv.as_ref())
        }
    })
}

fn operand_definite(o: &Operand) -> bool {
    match o {
        Operand::Current(s) | Operand::Root(s) => segs_definite(s),
        Operand::Lit(_) => true,
    }
}

fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Jayway equality: numbers compare by value, a string holding a number equals that number.
fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Some(Ordering::Equal),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            match (s.trim().parse::<f64>(), n.as_f64()) {
                (Ok(x), Some(y)) => x == y,
                _ => false,
            }
        }
        _ => a == b,
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn compare(l: Option<&Value>, op: Op, r: Option<&Value>) -> bool {
    let contains = |arr: &[Value], x: &Value| arr.iter().any(|e| loose_eq(e, x));
    match op {
        Op::Eq => matches!((l, r), (Some(a), Some(b)) if loose_eq(a, b)),
        Op::Ne => !matches!((l, r), (Some(a), Some(b)) if loose_eq(a, b)),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let (Some(a), Some(b)) = (l, r) else {
                return false;
            };
            match order(a, b) {
                Some(o) => match op {
                    Op::Lt => o == Ordering::Less,
                    Op::Le => o != Ordering::Greater,
                    Op::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
                None => false,
            }
        }
        Op::In => matches!((l, r), (Some(a), Some(Value::Array(b))) if contains(b, a)),
        Op::Nin => match (l, r) {
            (Some(a), Some(Value::Array(b))) => !contains(b, a),
            (None, Some(Value::Array(_))) => true,
            _ => false,
        },
        Op::Subsetof => matches!((l, r), (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.iter().all(|x| contains(b, x))),
        Op::Anyof => matches!((l, r), (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.iter().any(|x| contains(b, x))),
        Op::Noneof => matches!((l, r), (Some(Value::Array(a)), Some(Value::Array(b)))
            if !a.iter().any(|x| contains(b, x))),
        Op::Size => {
            let len = match l {
                Some(Value::Array(a)) => a.len(),
                Some(Value::String(s)) => s.chars().count(),
                _ => return false,
            };
            matches!(r, Some(Value::Number(n)) if n.as_u64() == Some(len as u64))
        }
        Op::Empty => {
            let empty = match l {
                Some(Value::Array(a)) => a.is_empty(),
                Some(Value::String(s)) => s.is_empty(),
                _ => return false,
            };
            matches!(r, Some(Value::Bool(b)) if *b == empty)
        }
        Op::Contains => match (l, r) {
            (Some(Value::String(a)), Some(Value::String(b))) => a.contains(b.as_str()),
            (Some(Value::Array(a)), Some(b)) => contains(a, b),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(p: &str, data: Value) -> Result<Value, String> {
        Path::parse(p)
            .map_err(|e| e.message)?
            .select(&data, &json!({}))
            .map_err(|e| e.cause)
    }

    #[test]
    fn basic_forms() {
        let d = json!({"a": {"b": [10, 20, 30]}, "c-d": 1, "e f": 2});
        assert_eq!(sel("$", d.clone()), Ok(d.clone()));
        assert_eq!(sel("$.a.b[1]", d.clone()), Ok(json!(20)));
        assert_eq!(sel("$['a'][\"b\"][-1]", d.clone()), Ok(json!(30)));
        assert_eq!(sel("$.c-d", d.clone()), Ok(json!(1)));
        assert_eq!(sel("$['e f']", d.clone()), Ok(json!(2)));
        assert_eq!(sel("$.a.b[*]", d.clone()), Ok(json!([10, 20, 30])));
        assert_eq!(sel("$.a.b[0:2]", d.clone()), Ok(json!([10, 20])));
        assert_eq!(sel("$.a.b[0,2]", d.clone()), Ok(json!([10, 30])));
        assert_eq!(sel("$..b[0]", d.clone()), Ok(json!([10])));
        assert_eq!(sel("$.a.b.length()", d.clone()), Ok(json!(3)));
        assert_eq!(sel("$.a.b[?(@ > 15)]", d), Ok(json!([20, 30])));
    }

    #[test]
    fn errors() {
        assert_eq!(
            sel("$.x", json!({})),
            Err("Invalid path '$.x' : No results for path: $['x']".into())
        );
        assert_eq!(
            sel("$.no.such", json!({})),
            Err("Invalid path '$.no.such' : Missing property in path $['no']".into())
        );
        assert!(Path::parse("$.").is_err());
        assert!(Path::parse("a").is_err());
        assert!(Path::parse("$[").is_err());
        assert!(Path::parse("$[?(@.a =~ /x/)]").is_err());
    }

    #[test]
    fn deep_filter_refused() {
        let mut p = String::from("$[?(");
        for _ in 0..100 {
            p.push('(');
        }
        p.push_str("@.a");
        for _ in 0..100 {
            p.push(')');
        }
        p.push_str(")]");
        assert!(Path::parse(&p).is_err());
    }
}
