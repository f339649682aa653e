//! A shortcut for the simplest expressions, the ones most workflow fields hold (`$states.input.n`, `$i`,
//! `$i + 1`, `$states.input.i < 100000`, `'item ' & $n`): read straight from the borrowed `serde_json` values, without the
//! engine's per-evaluation setup (context, evaluator, conversion of every bound value).
//!
//! Exact, never approximate: [`Simple::eval`] answers only where the engine's answer is certain (number
//! operands, object paths, finite results) and says "ask the engine" ([`None`]) otherwise (a type error,
//! an array on the path, an unbound name, a value too deep to convert, a cancelled evaluation, ...). The
//! engine then evaluates the whole expression as if the shortcut did not exist; the shortcut has no side
//! effects.

use std::collections::HashSet;

use jsonata_core::ast::{AstNode, BinaryOp};
use jsonata_core::value::JValue;
use serde_json::Value;

use super::{Bindings, JsonataError, Limits, convert};

/// Trees deeper than this are left to the engine (so its depth limit cannot be what decides).
const MAX_TREE_DEPTH: usize = 16;
/// A [`Limits::max_depth`] below this is left to the engine, which may reach it even on a simple tree.
const MIN_ENGINE_DEPTH: usize = 4 * MAX_TREE_DEPTH;

/// A simple expression: number and string literals, `$name` or `$name.field.field…`, and the arithmetic,
/// comparison and `&` operators between them.
#[derive(Debug)]
pub(crate) enum Simple {
    Number(f64),
    Text(String),
    /// `$name` followed by field names (none for a bare variable).
    Read(String, Vec<String>),
    Binary(Op, Box<Simple>, Box<Simple>),
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    /// `&`
    Concat,
}

/// What an operand evaluated to.
enum Got<'a> {
    Undefined,
    Number(f64),
    Bool(bool),
    /// A bound JSON value (not an array: arrays are left to the engine).
    Json(&'a Value),
    /// A string built by `&`.
    Text(String),
}

impl Simple {
    /// The simple form of `ast`, when it has one whose names are exactly the `$names` of the source and
    /// whose `$states` fields are exactly those the source reads (`states_fields`), so that the engine
    /// would have bound and converted exactly the values the shortcut reads.
    pub(crate) fn of(
        ast: &AstNode,
        names: &HashSet<String>,
        states_fields: Option<&HashSet<String>>,
    ) -> Option<Simple> {
        let simple = build(ast, 0)?;
        let mut read_names = HashSet::new();
        let mut read_fields = HashSet::new();
        simple.reads(&mut read_names, &mut read_fields);
        let fields_match = if read_names.contains("states") {
            states_fields.is_some_and(|f| *f == read_fields)
        } else {
            read_fields.is_empty()
        };
        (read_names == *names && fields_match).then_some(simple)
    }

    fn reads(&self, names: &mut HashSet<String>, states_fields: &mut HashSet<String>) {
        match self {
            Simple::Number(_) | Simple::Text(_) => {}
            Simple::Read(name, fields) => {
                names.insert(name.clone());
                if name == "states"
                    && let Some(first) = fields.first()
                {
                    states_fields.insert(first.clone());
                }
            }
            Simple::Binary(_, l, r) => {
                l.reads(names, states_fields);
                r.reads(names, states_fields);
            }
        }
    }

    /// The result, or `None` to ask the engine.
    pub(crate) fn eval(
        &self,
        bindings: &Bindings,
        limits: &Limits,
    ) -> Option<Result<Option<Value>, JsonataError>> {
        if limits.max_depth.is_some_and(|d| d < MIN_ENGINE_DEPTH)
            || limits.cancel.as_ref().is_some_and(|c| c.is_cancelled())
        {
            return None;
        }
        let out = match self.operand(bindings, limits)? {
            Got::Undefined => return Some(Ok(None)),
            Got::Number(n) => JValue::Number(n),
            Got::Bool(b) => JValue::Bool(b),
            Got::Text(t) => JValue::string(t),
            Got::Json(v) => match convert::to_jvalue(v, 0) {
                Ok(j) => j,
                Err(e) => return Some(Err(e)),
            },
        };
        Some(convert::from_jvalue(&out, limits.max_string_chars))
    }

    fn operand<'a>(&self, bindings: &Bindings<'a>, limits: &Limits) -> Option<Got<'a>> {
        match self {
            Simple::Number(n) => Some(Got::Number(*n)),
            Simple::Text(t) => Some(Got::Text(t.clone())),
            Simple::Read(name, fields) => read(bindings, name, fields),
            Simple::Binary(Op::Concat, l, r) => {
                let mut text = concat_text(l.operand(bindings, limits)?)?;
                text.push_str(&concat_text(r.operand(bindings, limits)?)?);
                // The engine's guard refuses a string over the limit: its error, its business.
                let over = text.len() > limits.max_string_chars
                    && text.chars().count() > limits.max_string_chars;
                (!over).then_some(Got::Text(text))
            }
            Simple::Binary(op, l, r) => {
                let (Got::Number(a), Got::Number(b)) =
                    (l.operand(bindings, limits)?, r.operand(bindings, limits)?)
                else {
                    return None; // undefined, type errors: the engine's rules
                };
                let arith = |x: f64| x.is_finite().then_some(Got::Number(x));
                match op {
                    Op::Add => arith(a + b),
                    Op::Sub => arith(a - b),
                    Op::Mul => arith(a * b),
                    Op::Div => arith(a / b),
                    Op::Lt => Some(Got::Bool(a < b)),
                    Op::Le => Some(Got::Bool(a <= b)),
                    Op::Gt => Some(Got::Bool(a > b)),
                    Op::Ge => Some(Got::Bool(a >= b)),
                    Op::Eq => Some(Got::Bool(a == b)),
                    Op::Ne => Some(Got::Bool(a != b)),
                    Op::Concat => None, // handled above
                }
            }
        }
    }
}

/// `$name.fields…` from the bindings, as the engine would bind them (a later variable of the same name
/// wins, a variable wins over `$states`), or `None` where only the engine knows.
fn read<'a>(bindings: &Bindings<'a>, name: &str, fields: &[String]) -> Option<Got<'a>> {
    let mut fields = fields.iter();
    let (bound, depth) = match bindings.vars.iter().rev().find(|(n, _)| *n == name) {
        Some((_, v)) => (*v, 0),
        None if name == "states" => {
            let states = bindings.states.as_ref()?;
            let value = match fields.next()?.as_str() {
                "input" => states.input,
                "context" => states.context,
                "result" => states.result?,
                "errorOutput" => states.error_output?,
                _ => return None,
            };
            (value, 1)
        }
        None => return None, // unbound: undefined or a function, the engine's business
    };
    // The engine converts the whole bound value first, which fails on one nested too deeply.
    if !fits(bound, depth) {
        return None;
    }
    let mut at = bound;
    for field in fields {
        match at {
            Value::Object(map) => match map.get(field.as_str()) {
                Some(v) => at = v,
                None => return Some(Got::Undefined),
            },
            _ => return None, // arrays map, scalars: the engine's path rules
        }
    }
    match at {
        Value::Array(_) => None,
        Value::Number(n) => Some(Got::Number(n.as_f64().unwrap_or(0.0))),
        v => Some(Got::Json(v)),
    }
}

/// An operand of `&` as the engine writes it: strings as they are, undefined as nothing, integers below
/// 10^15 (which JavaScript's 15-digit precision writes exactly) in decimal; anything else is the engine's.
fn concat_text(got: Got) -> Option<String> {
    match got {
        Got::Undefined => Some(String::new()),
        Got::Text(t) => Some(t),
        Got::Json(Value::String(s)) => Some(s.clone()),
        Got::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", n as i64)),
        _ => None,
    }
}

/// Whether [`convert::to_jvalue`] accepts `v` at `depth`.
fn fits(v: &Value, depth: usize) -> bool {
    if depth > convert::MAX_NESTING {
        return false;
    }
    match v {
        Value::Array(items) => items.iter().all(|i| fits(i, depth + 1)),
        Value::Object(map) => map.values().all(|i| fits(i, depth + 1)),
        _ => true,
    }
}

fn build(ast: &AstNode, depth: usize) -> Option<Simple> {
    if depth > MAX_TREE_DEPTH {
        return None;
    }
    Some(match ast {
        AstNode::Number(n) if n.is_finite() => Simple::Number(*n),
        AstNode::String(t) => Simple::Text(t.clone()),
        AstNode::Variable(name) if !name.is_empty() => Simple::Read(name.clone(), Vec::new()),
        AstNode::Path { steps } => {
            let plain = steps.iter().all(|s| {
                s.stages.is_empty()
                    && s.focus.is_none()
                    && s.index_var.is_none()
                    && s.ancestor_label.is_none()
                    && !s.is_tuple
                    && !s.inner_tuple
            });
            let (first, rest) = steps.split_first()?;
            let AstNode::Variable(name) = &first.node else {
                return None;
            };
            if !plain || name.is_empty() || rest.is_empty() {
                return None;
            }
            let fields = rest
                .iter()
                .map(|s| match &s.node {
                    AstNode::Name(f) => Some(f.clone()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Simple::Read(name.clone(), fields)
        }
        AstNode::Binary { op, lhs, rhs } => {
            let op = match op {
                BinaryOp::Add => Op::Add,
                BinaryOp::Subtract => Op::Sub,
                BinaryOp::Multiply => Op::Mul,
                BinaryOp::Divide => Op::Div,
                BinaryOp::LessThan => Op::Lt,
                BinaryOp::LessThanOrEqual => Op::Le,
                BinaryOp::GreaterThan => Op::Gt,
                BinaryOp::GreaterThanOrEqual => Op::Ge,
                BinaryOp::Equal => Op::Eq,
                BinaryOp::NotEqual => Op::Ne,
                BinaryOp::Concatenate => Op::Concat,
                _ => return None,
            };
            Simple::Binary(
                op,
                Box::new(build(lhs, depth + 1)?),
                Box::new(build(rhs, depth + 1)?),
            )
        }
        _ => return None,
    })
}
