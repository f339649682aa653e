//! Parsing filter expressions `[?(...)]`: `||`, `&&`, `!`, comparisons, operands and literals.

use super::{Parser, number_value};
use crate::expr::MAX_DEPTH;
use crate::expr::path::PathError;
use crate::expr::path::syntax::{Filter, Mode, Op, Operand};
use serde_json::Value;

impl Parser<'_> {
    // Filters --------------------------------------------------------------------------------------------

    pub(super) fn enter(&mut self) -> Result<(), PathError> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(self.err("filter expression nested too deeply"));
        }
        self.depth += 1;
        Ok(())
    }

    pub(super) fn filter_or(&mut self) -> Result<Filter, PathError> {
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

    pub(super) fn filter_and(&mut self) -> Result<Filter, PathError> {
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

    pub(super) fn filter_unary(&mut self) -> Result<Filter, PathError> {
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

    pub(super) fn comparison(&mut self) -> Result<Filter, PathError> {
        let left = self.operand()?;
        self.skip_ws();
        let Some(op) = self.operator()? else {
            return Ok(Filter::Exists(left));
        };
        self.skip_ws();
        let right = self.operand()?;
        Ok(Filter::Cmp(left, op, right))
    }

    pub(super) fn operator(&mut self) -> Result<Option<Op>, PathError> {
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

    pub(super) fn operand(&mut self) -> Result<Operand, PathError> {
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

    pub(super) fn literal(&mut self) -> Result<Value, PathError> {
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
