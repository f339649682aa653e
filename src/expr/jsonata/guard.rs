//! Guards against what the engine does not bound itself: built-in arguments that explode, and strings that
//! grow without bound.
//!
//! `$pad("x", 1e300)` would build a string of 2^31 characters (the process aborts, out of memory),
//! `$substring("abc", 1e300)` overflows the engine's index arithmetic (a panic in debug builds, a wrong
//! result in release), and `&` in a loop (`$reduce([1..40], function($a){$a & $a}, "x")`), `$join` of a
//! long sequence or `$string` of a value shared many times grow a string until memory runs out. At parse
//! time such calls and operators are wrapped in calls of host functions under names no expression can
//! write (they contain `:`, which ends a name), run before (arguments) or after (results) the built-in:
//! - `index`: a number beyond ±2^31 is clamped to ±2^31, which changes no result (strings are shorter);
//! - `size`: a size argument beyond [`Limits::max_string_chars`] is an error ([`ErrorKind::Limit`]);
//! - `string`: a string result longer than the limit is an error (after `&`: at most twice the limit is
//!   ever built);
//! - `join-items` / `join-separator`: the length `$join` would build (items plus separators) is checked
//!   before it builds it;
//! - `json-size`: the JSON text `$string` would write is measured (stopping at the limit) before it is.
//!
//! Values a guard does not check pass unchanged, so the built-ins' own type errors stay as they are.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use serde_json::{Value, json};

use super::{ErrorKind, JsonataError, Limits, error};

const INDEX: &str = "guard:index";
const SIZE: &str = "guard:size";
const STRING: &str = "guard:string";
const JOIN_ITEMS: &str = "guard:join-items";
const JOIN_ITEMS_ALONE: &str = "guard:join-items-alone";
const JOIN_SEPARATOR: &str = "guard:join-separator";
const JSON_SIZE: &str = "guard:json-size";

/// Numbers this large are clamped by [`INDEX`]: far beyond any string's length.
const INDEX_BOUND: f64 = 2_147_483_648.0;

/// The built-ins whose arguments are guarded, and the guard of each argument (`None`: unguarded).
fn guards_for(name: &str, argc: usize) -> Option<&'static [Option<&'static str>]> {
    Some(match name {
        // $substring(str, start[, length]) or, context first, $substring(start[, length]).
        "substring" => &[Some(INDEX), Some(INDEX), Some(INDEX)],
        // $split(str, separator[, limit]).
        "split" => &[None, None, Some(INDEX)],
        // $pad(str, width[, char]) or, context first, $pad(width[, char]).
        "pad" => &[Some(SIZE), Some(SIZE), None],
        // $round(number[, precision]).
        "round" => &[None, Some(INDEX)],
        // $join(array[, separator]): the items' guard records what the separator's guard checks.
        "join" if argc >= 2 => &[Some(JOIN_ITEMS), Some(JOIN_SEPARATOR)],
        "join" => &[Some(JOIN_ITEMS_ALONE)],
        // $string(value[, prettify]).
        "string" => &[Some(JSON_SIZE), None],
        _ => return None,
    })
}

/// Wraps guarded calls and operators in `ast`; `None` when there is nothing to guard (the AST is then
/// used as it is). `names` are the `$names` of the source.
pub(crate) fn harden(
    ast: &AstNode,
    src: &str,
    names: &HashSet<String>,
) -> Result<Option<AstNode>, JsonataError> {
    let by_name = names
        .iter()
        .any(|n| guards_for(n, 2).is_some() || n == "now");
    if !by_name && !src.contains('&') {
        return Ok(None);
    }
    let mut tree = serde_json::to_value(ast).map_err(internal)?;
    if !rewrite(&mut tree, 0)? {
        return Ok(None);
    }
    serde_json::from_value(tree).map(Some).map_err(internal)
}

fn internal(e: serde_json::Error) -> JsonataError {
    JsonataError::new(
        ErrorKind::Internal,
        None,
        format!("internal error preparing the expression: {e}"),
    )
}

fn call(name: &str, args: Vec<Value>) -> Value {
    json!({"Function": {"name": name, "args": args, "is_builtin": true}})
}

/// Rewrites the serialized AST below `node` (`{"Function": {"name", "args", ...}}`,
/// `{"Binary": {"op": "Concatenate", ...}}`); whether anything changed.
fn rewrite(node: &mut Value, depth: usize) -> Result<bool, JsonataError> {
    if depth > 10_000 {
        return Err(JsonataError::new(
            ErrorKind::Limit,
            None,
            "the expression is nested too deeply",
        ));
    }
    let mut changed = false;
    match node {
        Value::Array(items) => {
            for item in items {
                changed |= rewrite(item, depth + 1)?;
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                changed |= rewrite(item, depth + 1)?;
            }
            if let Some(Value::Object(f)) = map.get_mut("Function") {
                changed |= now_via_millis(f);
                changed |= guard_args(f);
            }
        }
        _ => {}
    }
    let concatenation = node
        .get("Binary")
        .and_then(|b| b.get("op"))
        .and_then(Value::as_str)
        == Some("Concatenate");
    if concatenation {
        let inner = std::mem::take(node);
        *node = call(STRING, vec![inner]);
        changed = true;
    }
    Ok(changed)
}

fn guard_args(f: &mut serde_json::Map<String, Value>) -> bool {
    let Some(Value::Array(args)) = f.get("args") else {
        return false;
    };
    let argc = args.len();
    let is_placeholder = |a: &Value| a.as_str() == Some("Placeholder");
    // A partial application of $join cannot pair its guards.
    if args.iter().any(is_placeholder) && f.get("name").and_then(Value::as_str) == Some("join") {
        return false;
    }
    let Some(guards) = f
        .get("name")
        .and_then(Value::as_str)
        .and_then(|n| guards_for(n, argc))
    else {
        return false;
    };
    let Some(Value::Array(args)) = f.get_mut("args") else {
        return false;
    };
    let mut changed = false;
    for (arg, guard) in args.iter_mut().zip(guards) {
        if let Some(guard) = guard
            && !is_placeholder(arg)
        {
            let inner = std::mem::take(arg);
            *arg = call(guard, vec![inner]);
            changed = true;
        }
    }
    changed
}

/// Rewrites `$now(args…)` to `$fromMillis($millis(), args…)`, its definition in jsonata-js, so that a
/// fixed clock ([`fix_clock`]) needs only `$millis` replaced.
fn now_via_millis(f: &mut serde_json::Map<String, Value>) -> bool {
    if f.get("name").and_then(Value::as_str) != Some("now") {
        return false;
    }
    let Some(Value::Array(args)) = f.get_mut("args") else {
        return false;
    };
    args.insert(0, call("millis", Vec::new()));
    f.insert("name".into(), Value::from("fromMillis"));
    true
}

/// Makes `$millis()` (and so `$now()`) return `millis`.
pub(crate) fn fix_clock(
    ev: &mut Evaluator,
    names: &HashSet<String>,
    millis: i64,
) -> Result<(), JsonataError> {
    if names.contains("millis") || names.contains("now") {
        ev.register_fn_override("millis", move |_: &[JValue]| Ok(JValue::from(millis)))
            .map_err(|e| error::eval_error(&e))?;
    }
    Ok(())
}

fn too_long(what: &str, n: usize, max: usize) -> EvaluatorError {
    EvaluatorError::EvaluationError(format!(
        "{}{what} of {n} characters would exceed the limit of {max}",
        error::LIMIT_MARK
    ))
}

/// Characters of `s`, counted only when its bytes could exceed `max`.
fn chars_over(s: &str, max: usize) -> Option<usize> {
    if s.len() <= max {
        return None;
    }
    let n = s.chars().count();
    (n > max).then_some(n)
}

/// The length of the JSON text of `v`, or `None` once it passes `max` (stops there: a value shared many
/// times is not walked in full). Iterative: no recursion on deep values.
fn json_size_over(v: &JValue, max: usize) -> Option<usize> {
    let mut total = 0usize;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        total += match v {
            JValue::String(s) => s.len() + 2,
            JValue::Array(items) => {
                stack.extend(items.iter());
                items.len() + 1
            }
            JValue::Object(map) => {
                for (k, item) in map.iter() {
                    total += k.len() + 3;
                    stack.push(item);
                }
                map.len() + 1
            }
            _ => 8,
        };
        if total > max {
            return Some(total);
        }
    }
    None
}

type HostResult = Result<JValue, EvaluatorError>;

fn reg(
    ev: &mut Evaluator,
    name: &str,
    f: impl Fn(&[JValue]) -> HostResult + 'static,
) -> Result<(), JsonataError> {
    ev.register_fn(name, f).map_err(|e| error::eval_error(&e))
}

/// Registers the guard functions (only for an expression [`harden`] rewrote).
pub(crate) fn register(ev: &mut Evaluator, limits: &Limits) -> Result<(), JsonataError> {
    let max = limits.max_string_chars;
    let pass = |args: &[JValue]| args.first().cloned().unwrap_or(JValue::Undefined);
    reg(
        ev,
        INDEX,
        Box::new(move |args: &[JValue]| {
            Ok(match args.first() {
                Some(JValue::Number(n)) if n.abs() > INDEX_BOUND => {
                    JValue::Number(INDEX_BOUND.copysign(*n))
                }
                _ => pass(args),
            })
        }),
    )?;
    reg(
        ev,
        SIZE,
        Box::new(move |args: &[JValue]| match args.first() {
            Some(JValue::Number(n)) if n.abs() > max as f64 => {
                Err(EvaluatorError::EvaluationError(format!(
                    "{}A string of {} characters would exceed the limit of {max}",
                    error::LIMIT_MARK,
                    super::js_number_text(n.abs())
                )))
            }
            _ => Ok(pass(args)),
        }),
    )?;
    reg(
        ev,
        STRING,
        Box::new(move |args: &[JValue]| match args.first() {
            Some(JValue::String(s)) => match chars_over(s, max) {
                Some(n) => Err(too_long("A string", n, max)),
                None => Ok(pass(args)),
            },
            _ => Ok(pass(args)),
        }),
    )?;
    reg(
        ev,
        JSON_SIZE,
        Box::new(move |args: &[JValue]| match args.first() {
            Some(v) => match json_size_over(v, max) {
                Some(n) => Err(too_long("The text of $string", n, max)),
                None => Ok(pass(args)),
            },
            None => Ok(JValue::Undefined),
        }),
    )?;
    // $join: the items' guard pushes (characters, count); the separator's guard, evaluated next, pops.
    let pending: Rc<RefCell<Vec<(usize, usize)>>> = Rc::default();
    let measure = move |args: &[JValue]| -> Result<(usize, usize), EvaluatorError> {
        let (mut chars, mut count) = (0usize, 0usize);
        let items: Vec<&JValue> = match args.first() {
            Some(JValue::Array(items)) => items.iter().collect(),
            Some(v) => vec![v],
            None => Vec::new(),
        };
        for item in items {
            if let JValue::String(s) = item {
                chars = chars.saturating_add(s.len());
            }
            count += 1;
        }
        if chars > max {
            return Err(too_long("The result of $join", chars, max));
        }
        Ok((chars, count))
    };
    let push = pending.clone();
    reg(
        ev,
        JOIN_ITEMS,
        Box::new(move |args: &[JValue]| {
            push.borrow_mut().push(measure(args)?);
            Ok(pass(args))
        }),
    )?;
    reg(
        ev,
        JOIN_ITEMS_ALONE,
        Box::new(move |args: &[JValue]| {
            measure(args)?;
            Ok(pass(args))
        }),
    )?;
    reg(
        ev,
        JOIN_SEPARATOR,
        Box::new(move |args: &[JValue]| {
            let (chars, count) = pending.borrow_mut().pop().unwrap_or((0, 0));
            if let Some(JValue::String(sep)) = args.first() {
                let total = chars.saturating_add(sep.len().saturating_mul(count.saturating_sub(1)));
                if total > max {
                    return Err(too_long("The result of $join", total, max));
                }
            }
            Ok(pass(args))
        }),
    )?;
    Ok(())
}
