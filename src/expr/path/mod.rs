//! JSONPath as AWS Step Functions evaluates it (Jayway-based): AST, parser, selection and ResultPath `set`.
//!
//! Supported: `$`, `$$` (context object), `.name`, `['name']` / `["name"]`, `['a','b']`, `[0]`, `[-1]`,
//! `[0,2]`, `[1:3]`, `[*]`, `.*`, `..name` / `..*` / `..[0]`, filters `[?(...)]` with `== != < <= > >=`,
//! `in nin subsetof anyof noneof size empty contains`, `&& || !`, parentheses, `@`/`$` operands and literals,
//! and the path functions `length() min() max() avg() sum() stddev() keys() first() last()` at the end.
//! Not supported: the regex operator `=~` and functions taking arguments (`concat`, `append`, `index`).
//!
//! Split: `syntax` (the AST), `parse` (text → AST), `eval` (selection over JSON values).

mod eval;
mod parse;
mod syntax;

pub(crate) use parse::{number_value, parse_prefix};
pub(crate) use syntax::Mode;

use std::fmt;

use serde_json::{Map, Value};

use super::{ExprError, NoVariables, Variables, json_text};
use eval::eval_segs;
use parse::char_at;
use syntax::{Seg, Sel, segs_definite};

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
    /// A `$name…` path fails as undefined here: see [`Path::select_with`].
    pub fn select(&self, data: &Value, context: &Value) -> Result<Value, ExprError> {
        self.select_with(data, context, &NoVariables)
    }

    /// [`Path::select`] with workflow variables: `$name…` selects from the variable `name`.
    pub fn select_with(
        &self,
        data: &Value,
        context: &Value,
        vars: &dyn Variables,
    ) -> Result<Value, ExprError> {
        let root = match &self.variable {
            Some(name) => vars.variable(name).ok_or_else(|| {
                ExprError::runtime(format!(
                    "Invalid path '{}' : the variable ${name} is not defined in this scope",
                    self.text
                ))
            })?,
            None if self.context => context,
            None => data,
        };
        eval_segs(&self.segs, root, root)
            .map_err(|m| ExprError::runtime(format!("Invalid path '{}' : {}", self.text, m)))
    }

    /// Like [`Path::select`] but `None` when the node is missing (Choice `IsPresent`). An indefinite path
    /// with no match is also `None`.
    pub fn select_opt(&self, data: &Value, context: &Value) -> Option<Value> {
        self.select_opt_with(data, context, &NoVariables)
    }

    /// [`Path::select_opt`] with workflow variables (an undefined variable is `None`).
    pub fn select_opt_with(
        &self,
        data: &Value,
        context: &Value,
        vars: &dyn Variables,
    ) -> Option<Value> {
        match self.select_with(data, context, vars) {
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
