//! Guards against built-in arguments the engine does not bound itself.
//!
//! `$pad("x", 1e300)` would build a string of 2^31 characters (out of memory: the process aborts), and
//! `$substring("abc", 1e300)` overflows the engine's index arithmetic (a panic in debug builds, a wrong
//! result in release). At parse time the numeric arguments of such calls are wrapped in calls of host
//! functions registered under names no expression can write (`$⟨guard:…⟩`), which run before the built-in:
//! - `index`: a number beyond ±2^31 is clamped to ±2^31, which changes no result (strings are shorter);
//! - `size`: a number beyond [`super::Limits::max_string_chars`] is an error ([`ErrorKind::Limit`]).
//!
//! Non-numbers pass unchanged, so the built-in's own type errors stay as they are.

use std::collections::HashSet;

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;
use serde_json::Value;

use super::{ErrorKind, JsonataError, Limits, error};

/// Host function names: `⟨` cannot start a JSONata name token, so no expression can call them.
const INDEX: &str = "⟨guard:index⟩";
const SIZE: &str = "⟨guard:size⟩";

/// Numbers this large are clamped by [`INDEX`]: far beyond any string's length.
const INDEX_BOUND: f64 = 2_147_483_648.0;

/// The guarded built-ins and the guard each of their arguments gets (`None`: unguarded).
fn guards_for(name: &str) -> Option<&'static [Option<&'static str>]> {
    Some(match name {
        // $substring(str, start[, length]) or, context first, $substring(start[, length]).
        "substring" => &[Some(INDEX), Some(INDEX), Some(INDEX)],
        // $split(str, separator[, limit]).
        "split" => &[None, None, Some(INDEX)],
        // $pad(str, width[, char]) or, context first, $pad(width[, char]).
        "pad" => &[Some(SIZE), Some(SIZE), None],
        // $round(number[, precision]).
        "round" => &[None, Some(INDEX)],
        _ => return None,
    })
}

/// Rewrites `$now(args…)` to `$fromMillis($millis(), args…)`, its definition in jsonata-js, so that a
/// fixed clock ([`fix_clock`]) needs only `$millis` replaced.
fn now_via_millis(call: &mut serde_json::Map<String, Value>) -> bool {
    if call.get("name").and_then(Value::as_str) != Some("now") {
        return false;
    }
    let Some(Value::Array(args)) = call.get_mut("args") else {
        return false;
    };
    args.insert(
        0,
        serde_json::json!({"Function": {"name": "millis", "args": [], "is_builtin": true}}),
    );
    call.insert("name".into(), Value::from("fromMillis"));
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

/// Wraps the arguments of guarded calls in `ast`. `names` are the `$names` of the source: an expression
/// that mentions no guarded built-in is returned as it is, without work.
pub(crate) fn harden(ast: AstNode, names: &HashSet<String>) -> Result<AstNode, JsonataError> {
    if !names.iter().any(|n| guards_for(n).is_some() || n == "now") {
        return Ok(ast);
    }
    let mut tree = match serde_json::to_value(&ast) {
        Ok(tree) => tree,
        Err(e) => return Err(internal(e)),
    };
    if !rewrite(&mut tree, 0)? {
        return Ok(ast);
    }
    serde_json::from_value(tree).map_err(internal)
}

fn internal(e: serde_json::Error) -> JsonataError {
    JsonataError::new(
        ErrorKind::Internal,
        None,
        format!("internal error preparing the expression: {e}"),
    )
}

/// Rewrites guarded calls below `node` (the serialized AST: `{"Function": {"name", "args", ...}}`);
/// whether anything changed.
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
            if let Some(Value::Object(call)) = map.get_mut("Function") {
                changed |= now_via_millis(call);
            }
            if let Some(Value::Object(call)) = map.get_mut("Function")
                && let Some(guards) = call
                    .get("name")
                    .and_then(Value::as_str)
                    .and_then(guards_for)
                && let Some(Value::Array(args)) = call.get_mut("args")
            {
                for (arg, guard) in args.iter_mut().zip(guards) {
                    if let Some(guard) = guard
                        && arg.as_str() != Some("Placeholder")
                    {
                        let inner = std::mem::take(arg);
                        *arg = serde_json::json!({"Function": {
                            "name": guard, "args": [inner], "is_builtin": true
                        }});
                        changed = true;
                    }
                }
            }
        }
        _ => {}
    }
    Ok(changed)
}

/// Registers the guard functions when the expression calls a guarded built-in.
pub(crate) fn register(
    ev: &mut Evaluator,
    names: &HashSet<String>,
    limits: &Limits,
) -> Result<(), JsonataError> {
    if !names.iter().any(|n| guards_for(n).is_some()) {
        return Ok(());
    }
    let reg = |r: Result<(), EvaluatorError>| r.map_err(|e| error::eval_error(&e));
    reg(ev.register_fn(INDEX, |args: &[JValue]| {
        Ok(match args.first() {
            Some(JValue::Number(n)) if n.abs() > INDEX_BOUND => {
                JValue::Number(INDEX_BOUND.copysign(*n))
            }
            Some(v) => v.clone(),
            None => JValue::Undefined,
        })
    }))?;
    let max = limits.max_string_chars;
    reg(
        ev.register_fn(SIZE, move |args: &[JValue]| match args.first() {
            Some(JValue::Number(n)) if n.abs() > max as f64 => {
                Err(EvaluatorError::EvaluationError(format!(
                    "{}A string of {} characters would exceed the limit of {max}",
                    error::LIMIT_MARK,
                    super::js_number_text(n.abs())
                )))
            }
            Some(v) => Ok(v.clone()),
            None => Ok(JValue::Undefined),
        }),
    )?;
    Ok(())
}
