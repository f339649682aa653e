//! The sim's door to ASL expressions: reference paths, ResultPath, payload templates and intrinsics.
//!
//! Everything the engine asks of expressions goes through these few functions, so the evaluator behind them
//! can change without touching the executor. Until `crate::expr` lands this holds a small local JSONPath
//! evaluator (`$`, `$$`, `.name`, `['name']`, `[n]`, `[*]`, `.*`).

use serde_json::{Map, Value};

/// A step of a parsed path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
    Wildcard,
}

/// A parsed path: `$…` over the data or `$$…` over the context object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Path {
    pub context: bool,
    steps: Vec<Step>,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let t = text.trim();
        let (context, rest) = if let Some(r) = t.strip_prefix("$$") {
            (true, r)
        } else if let Some(r) = t.strip_prefix('$') {
            (false, r)
        } else {
            return Err(format!("Invalid path '{text}': must start with '$'"));
        };
        let b = rest.as_bytes();
        let mut i = 0;
        let mut steps = Vec::new();
        while i < b.len() {
            match b[i] {
                b'.' => {
                    i += 1;
                    if i < b.len() && b[i] == b'.' {
                        return Err(format!("Unsupported path '{text}': deep scan '..'"));
                    }
                    let start = i;
                    while i < b.len() && b[i] != b'.' && b[i] != b'[' {
                        i += 1;
                    }
                    let name = &rest[start..i];
                    if name.is_empty() {
                        return Err(format!("Invalid path '{text}': empty property name"));
                    }
                    steps.push(if name == "*" {
                        Step::Wildcard
                    } else {
                        Step::Key(name.to_owned())
                    });
                }
                b'[' => {
                    let close = rest[i..]
                        .find(']')
                        .map(|j| i + j)
                        .ok_or(format!("Invalid path '{text}': missing ']'"))?;
                    let inner = rest[i + 1..close].trim();
                    let quoted =
                        (inner.starts_with('\'') && inner.ends_with('\'') && inner.len() >= 2)
                            || (inner.starts_with('"') && inner.ends_with('"') && inner.len() >= 2);
                    if quoted {
                        steps.push(Step::Key(inner[1..inner.len() - 1].to_owned()));
                    } else if inner == "*" {
                        steps.push(Step::Wildcard);
                    } else if let Ok(n) = inner.parse::<i64>() {
                        steps.push(Step::Index(n));
                    } else {
                        return Err(format!("Unsupported path '{text}': '[{inner}]'"));
                    }
                    i = close + 1;
                }
                _ => return Err(format!("Invalid path '{text}'")),
            }
        }
        Ok(Path { context, steps })
    }

    fn is_definite(&self) -> bool {
        !self.steps.contains(&Step::Wildcard)
    }

    /// The value the path selects. A path with a wildcard yields the array of matches.
    pub fn select(&self, text: &str, data: &Value, context: &Value) -> Result<Value, String> {
        let root = if self.context { context } else { data };
        let mut current: Vec<&Value> = vec![root];
        let mut shown = String::from("$");
        for (n, step) in self.steps.iter().enumerate() {
            let last = n + 1 == self.steps.len();
            let mut next = Vec::new();
            for v in &current {
                match (step, v) {
                    (Step::Key(k), Value::Object(m)) => next.extend(m.get(k)),
                    (Step::Index(i), Value::Array(a)) => {
                        let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                        next.extend(usize::try_from(idx).ok().and_then(|i| a.get(i)));
                    }
                    (Step::Wildcard, Value::Array(a)) => next.extend(a.iter()),
                    (Step::Wildcard, Value::Object(m)) => next.extend(m.values()),
                    _ => {}
                }
            }
            match step {
                Step::Key(k) => shown.push_str(&format!("['{k}']")),
                Step::Index(i) => shown.push_str(&format!("[{i}]")),
                Step::Wildcard => shown.push_str("[*]"),
            }
            if next.is_empty() && self.is_definite() {
                return Err(if last {
                    format!("Invalid path '{text}' : No results for path: {shown}")
                } else {
                    format!("Invalid path '{text}' : Missing property in path {shown}")
                });
            }
            current = next;
        }
        if self.is_definite() {
            Ok(current.first().map(|v| (*v).clone()).unwrap_or(Value::Null))
        } else {
            Ok(Value::Array(current.into_iter().cloned().collect()))
        }
    }

    /// ResultPath: puts `value` at this path inside `target`, creating objects on the way.
    pub fn set(&self, target: &mut Value, value: Value) -> Result<(), String> {
        if self.context {
            return Err("a ResultPath cannot point into the context object".into());
        }
        let mut cur = target;
        for (n, step) in self.steps.iter().enumerate() {
            let last = n + 1 == self.steps.len();
            match step {
                Step::Key(k) => {
                    let Value::Object(m) = cur else {
                        return Err(format!("cannot set field '{k}' on a non-object value"));
                    };
                    if last {
                        m.insert(k.clone(), value);
                        return Ok(());
                    }
                    cur = m
                        .entry(k.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                }
                Step::Index(i) => {
                    let Value::Array(a) = cur else {
                        return Err(format!("cannot set index {i} on a non-array value"));
                    };
                    let slot = usize::try_from(*i)
                        .ok()
                        .and_then(|i| a.get_mut(i))
                        .ok_or("index out of range")?;
                    if last {
                        *slot = value;
                        return Ok(());
                    }
                    cur = slot;
                }
                Step::Wildcard => {
                    return Err("a ResultPath must be a reference path (no wildcards)".into());
                }
            }
        }
        *cur = value;
        Ok(())
    }
}

/// The result of evaluating an expression that failed: `error` is a States error name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ExprFailure {
    pub error: String,
    pub cause: String,
}

/// Selects `text` from `data` (or the context for `$$…`).
pub(crate) fn select(text: &str, data: &Value, context: &Value) -> Result<Value, String> {
    Path::parse(text)?.select(text, data, context)
}

/// Like [`select`], but `None` when nothing matches.
pub(crate) fn select_opt(text: &str, data: &Value, context: &Value) -> Option<Value> {
    select(text, data, context).ok()
}

/// Applies a `ResultPath` to a copy of `input`.
pub(crate) fn set(text: &str, input: &Value, result: Value) -> Result<Value, String> {
    let path = Path::parse(text)?;
    let mut out = input.clone();
    path.set(&mut out, result)?;
    Ok(out)
}

/// Evaluates an intrinsic function call such as `States.Format('{}', $.x)`. A stop-gap subset (Array, Format,
/// JsonToString, StringToJson, MathAdd) until `crate::expr` provides the full registry.
pub(crate) fn intrinsic(
    text: &str,
    data: &Value,
    context: &Value,
    rng: &mut super::rng::SimRng,
) -> Result<Value, ExprFailure> {
    let fail = |cause: String| ExprFailure {
        error: "States.IntrinsicFailure".into(),
        cause,
    };
    let mut p = IntrinsicParser {
        s: text.trim().as_bytes(),
        i: 0,
        text,
    };
    let call = p.call().map_err(|m| fail(format!("{m} in {text}")))?;
    if p.i != p.s.len() {
        return Err(fail(format!("unexpected text after the call in {text}")));
    }
    call.eval(data, context, rng)
}

enum Arg {
    Lit(Value),
    Path(String),
    Call(String, Vec<Arg>),
}

struct IntrinsicParser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl IntrinsicParser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn call(&mut self) -> Result<Arg, String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'.')
        {
            self.i += 1;
        }
        let name = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.ws();
        if self.s.get(self.i) != Some(&b'(') {
            return Err(format!("expected '(' after {name}"));
        }
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.ws();
            if self.s.get(self.i) == Some(&b')') {
                self.i += 1;
                break;
            }
            args.push(self.arg()?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    break;
                }
                _ => return Err("expected ',' or ')'".into()),
            }
        }
        self.ws();
        Ok(Arg::Call(name, args))
    }

    fn arg(&mut self) -> Result<Arg, String> {
        match self.s.get(self.i) {
            Some(b'\'') => {
                self.i += 1;
                let mut out = String::new();
                let rest = &self.text.trim()[self.i..];
                let mut chars = rest.char_indices();
                while let Some((k, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, e)) = chars.next() {
                                out.push(e);
                            }
                        }
                        '\'' => {
                            self.i += k + 1;
                            return Ok(Arg::Lit(Value::String(out)));
                        }
                        c => out.push(c),
                    }
                }
                Err("unterminated string".into())
            }
            Some(b'$') => {
                let start = self.i;
                let mut depth = 0i32;
                while self.i < self.s.len() {
                    match self.s[self.i] {
                        b'[' => depth += 1,
                        b']' => depth -= 1,
                        b',' | b')' if depth == 0 => break,
                        _ => {}
                    }
                    self.i += 1;
                }
                Ok(Arg::Path(
                    String::from_utf8_lossy(&self.s[start..self.i])
                        .trim()
                        .to_owned(),
                ))
            }
            Some(b'S') => self.call(),
            _ => {
                let start = self.i;
                while self.i < self.s.len() && !matches!(self.s[self.i], b',' | b')') {
                    self.i += 1;
                }
                let lit = String::from_utf8_lossy(&self.s[start..self.i])
                    .trim()
                    .to_owned();
                serde_json::from_str(&lit)
                    .map(Arg::Lit)
                    .map_err(|_| format!("invalid argument {lit:?}"))
            }
        }
    }
}

impl Arg {
    fn eval(
        &self,
        data: &Value,
        context: &Value,
        _rng: &mut super::rng::SimRng,
    ) -> Result<Value, ExprFailure> {
        let fail = |cause: String| ExprFailure {
            error: "States.IntrinsicFailure".into(),
            cause,
        };
        match self {
            Arg::Lit(v) => Ok(v.clone()),
            Arg::Path(p) => select(p, data, context).map_err(|m| ExprFailure {
                error: "States.Runtime".into(),
                cause: m,
            }),
            Arg::Call(name, args) => {
                let vals = args
                    .iter()
                    .map(|a| a.eval(data, context, _rng))
                    .collect::<Result<Vec<_>, _>>()?;
                match name.as_str() {
                    "States.Array" => Ok(Value::Array(vals)),
                    "States.Format" => {
                        let Some(Value::String(fmt)) = vals.first() else {
                            return Err(fail("States.Format needs a format string".into()));
                        };
                        let mut out = String::new();
                        let mut rest = vals[1..].iter();
                        let mut chars = fmt.chars().peekable();
                        while let Some(c) = chars.next() {
                            if c == '{' && chars.peek() == Some(&'}') {
                                chars.next();
                                match rest.next() {
                                    Some(Value::String(s)) => out.push_str(s),
                                    Some(v) => out.push_str(&v.to_string()),
                                    None => {
                                        return Err(fail(
                                            "States.Format has more {} than arguments".into(),
                                        ));
                                    }
                                }
                            } else {
                                out.push(c);
                            }
                        }
                        Ok(Value::String(out))
                    }
                    "States.JsonToString" => Ok(Value::String(
                        vals.first().map(|v| v.to_string()).unwrap_or_default(),
                    )),
                    "States.StringToJson" => match vals.first() {
                        Some(Value::String(s)) => serde_json::from_str(s)
                            .map_err(|e| fail(format!("States.StringToJson: {e}"))),
                        _ => Err(fail("States.StringToJson needs a string".into())),
                    },
                    "States.MathAdd" => match (
                        vals.first().and_then(Value::as_i64),
                        vals.get(1).and_then(Value::as_i64),
                    ) {
                        (Some(a), Some(b)) => Ok(Value::from(a.saturating_add(b))),
                        _ => Err(fail("States.MathAdd needs two integers".into())),
                    },
                    other => Err(ExprFailure {
                        error: "States.Runtime".into(),
                        cause: format!(
                            "the intrinsic function {other} is not available yet in this build"
                        ),
                    }),
                }
            }
        }
    }
}

/// Resolves a payload template (`Parameters`, `ResultSelector`, `ItemSelector`): `"key.$"` entries are paths or
/// intrinsics, evaluated against `data` and the context.
pub(crate) fn template(
    t: &Value,
    data: &Value,
    context: &Value,
    rng: &mut super::rng::SimRng,
) -> Result<Value, ExprFailure> {
    match t {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if let Some(key) = k.strip_suffix(".$") {
                    let Some(expr) = v.as_str() else {
                        return Err(ExprFailure {
                            error: "States.Runtime".into(),
                            cause: format!(
                                "The value for the field '{k}' must be a STRING that contains a JSONPath but was an {}",
                                kind(v)
                            ),
                        });
                    };
                    let value = if expr.trim_start().starts_with("States.") {
                        intrinsic(expr, data, context, rng)?
                    } else {
                        select(expr, data, context).map_err(|_| ExprFailure {
                            error: "States.Runtime".into(),
                            cause: format!(
                                "The JSONPath '{expr}' specified for the field '{k}' could not be found in the input '{}'",
                                serde_json::to_string(if expr.starts_with("$$") { context } else { data }).unwrap_or_default()
                            ),
                        })?
                    };
                    out.insert(key.to_owned(), value);
                } else {
                    out.insert(k.clone(), template(v, data, context, rng)?);
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(a) => Ok(Value::Array(
            a.iter()
                .map(|v| template(v, data, context, rng))
                .collect::<Result<_, _>>()?,
        )),
        other => Ok(other.clone()),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL",
        Value::Bool(_) => "BOOLEAN",
        Value::Number(_) => "NUMBER",
        Value::String(_) => "STRING",
        Value::Array(_) => "ARRAY",
        Value::Object(_) => "OBJECT",
    }
}
