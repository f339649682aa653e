//! The functions AWS Step Functions adds to JSONata (`$partition`, `$range`, `$hash`, `$random([seed])`,
//! `$uuid()`, `$parse`) and the one it takes away (`$eval`).
//!
//! Semantics from the developer guide ("Transforming data with JSONata in Step Functions") and the
//! AWS-recorded executions: `$range(1, 9, 9)` is `1` (a one-item sequence, unwrapped as JSONata unwraps
//! sequences), `$partition([0], 1)` is `[[0]]` (arrays, never unwrapped), `$parse("-0")` is `0`.
//! Calling a function AWS does not provide fails as the record of `$randomSeeded(...)` shows:
//! `T1006: Attempted to invoke a non-function`; the guide says `$eval` is not available, so it fails so too.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;

use super::{JsonataError, Limits, convert, error};
use crate::expr::Rng;
use crate::expr::intrinsic::{HASH_ALGORITHMS, hash_hex};

type HostResult = Result<JValue, EvaluatorError>;

fn fail(function: &str, what: impl std::fmt::Display) -> EvaluatorError {
    EvaluatorError::EvaluationError(format!("${function}: {what}"))
}

/// Registers the AWS functions the expression mentions (`names`: every `$name` in its source).
pub(crate) fn register(
    ev: &mut Evaluator,
    names: &HashSet<String>,
    limits: &Limits,
    rng: &Rc<RefCell<Rng>>,
) -> Result<(), JsonataError> {
    let reg = |r: Result<(), EvaluatorError>| r.map_err(|e| error::eval_error(&e));
    if names.contains("partition") {
        reg(ev.register_fn("partition", partition))?;
    }
    if names.contains("range") {
        let max = limits.max_sequence;
        reg(ev.register_fn("range", move |args: &[JValue]| range(args, max)))?;
    }
    if names.contains("hash") {
        reg(ev.register_fn("hash", hash))?;
    }
    if names.contains("parse") {
        reg(ev.register_fn("parse", parse))?;
    }
    if names.contains("uuid") {
        let rng = rng.clone();
        reg(ev.register_fn("uuid", move |_: &[JValue]| {
            Ok(JValue::string(rng.borrow_mut().uuid_v4()))
        }))?;
    }
    if names.contains("random") {
        let rng = rng.clone();
        reg(ev.register_fn_override("random", move |args: &[JValue]| random(args, &rng)))?;
    }
    if names.contains("eval") {
        reg(ev.register_fn_override("eval", |_: &[JValue]| {
            Err(EvaluatorError::EvaluationError(
                "T1006: Attempted to invoke a non-function".into(),
            ))
        }))?;
    }
    Ok(())
}

fn number_arg(
    function: &str,
    args: &[JValue],
    i: usize,
    what: &str,
) -> Result<f64, EvaluatorError> {
    match args.get(i) {
        Some(JValue::Number(n)) if n.is_finite() => Ok(*n),
        Some(JValue::Undefined) | None => {
            Err(fail(function, format_args!("the {what} is missing")))
        }
        Some(other) => Err(fail(
            function,
            format_args!("the {what} must be a number, not {}", type_name(other)),
        )),
    }
}

fn type_name(v: &JValue) -> &'static str {
    match v {
        JValue::Null => "null",
        JValue::Bool(_) => "a boolean",
        JValue::Number(_) => "a number",
        JValue::String(_) => "a string",
        JValue::Array(_) => "an array",
        JValue::Object(_) => "an object",
        JValue::Undefined => "undefined",
        _ => "a function",
    }
}

/// `$partition(array, size)`: consecutive chunks of `size` items, the last one shorter. A non-array value
/// counts as a one-item array (JSONata's rule for array arguments); `size` is rounded to the nearest
/// integer (as `States.ArrayPartition` rounds) and must then be at least 1.
fn partition(args: &[JValue]) -> HostResult {
    let items: Vec<JValue> = match args.first() {
        None | Some(JValue::Undefined) => return Ok(JValue::Undefined),
        Some(JValue::Array(a)) => a.iter().cloned().collect(),
        Some(other) => vec![other.clone()],
    };
    let size = number_arg("partition", args, 1, "chunk size")?.round();
    if size < 1.0 {
        return Err(fail(
            "partition",
            "the chunk size must be a positive integer",
        ));
    }
    let size = if size >= items.len() as f64 {
        items.len().max(1)
    } else {
        size as usize
    };
    let chunks = items
        .chunks(size)
        .map(|c| JValue::array(c.to_vec()))
        .collect();
    Ok(JValue::array(chunks))
}

/// `$range(start, end, step)`: `start`, `start + step`, ... up to and including `end` (down to it for a
/// negative step); `step` defaults to 1 and must not be 0. A sequence, so a single item is unwrapped.
fn range(args: &[JValue], max: usize) -> HostResult {
    let start = number_arg("range", args, 0, "start")?;
    let end = number_arg("range", args, 1, "end")?;
    let step = match args.get(2) {
        None | Some(JValue::Undefined) => 1.0,
        Some(_) => number_arg("range", args, 2, "step")?,
    };
    if step == 0.0 {
        return Err(fail("range", "the step must not be 0"));
    }
    let span = (end - start) / step;
    let count = if span < 0.0 { 0.0 } else { span.floor() + 1.0 };
    if count > max as f64 {
        return Err(EvaluatorError::EvaluationError(format!(
            "D2015: The size of the sequence $range would build ({}) exceeds the limit of {max}",
            super::js_number_text(count)
        )));
    }
    let items = (0..count as usize)
        .map(|i| JValue::Number(start + step * i as f64))
        .collect();
    Ok(JValue::sequence(items))
}

/// `$hash(data, algorithm)`: the lowercase hex digest of the string `data` with MD5, SHA-1, SHA-256,
/// SHA-384 or SHA-512.
fn hash(args: &[JValue]) -> HostResult {
    let data = match args.first() {
        None | Some(JValue::Undefined) => return Ok(JValue::Undefined),
        Some(JValue::String(s)) => s.clone(),
        Some(other) => {
            return Err(fail(
                "hash",
                format_args!("the data must be a string, not {}", type_name(other)),
            ));
        }
    };
    let alg = match args.get(1) {
        Some(JValue::String(s)) => s.clone(),
        _ => return Err(fail("hash", "the algorithm must be a string")),
    };
    let hex = hash_hex(&alg, data.as_bytes()).ok_or_else(|| {
        fail(
            "hash",
            format_args!(
                "the algorithm '{alg}' is not supported; use one of {}",
                HASH_ALGORITHMS.join(", ")
            ),
        )
    })?;
    Ok(JValue::string(hex))
}

/// `$parse(jsonString)`: the JSON value the string holds.
fn parse(args: &[JValue]) -> HostResult {
    let text = match args.first() {
        None | Some(JValue::Undefined) => return Ok(JValue::Undefined),
        Some(JValue::String(s)) => s.clone(),
        Some(other) => {
            return Err(fail(
                "parse",
                format_args!("the argument must be a string, not {}", type_name(other)),
            ));
        }
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| fail("parse", format_args!("the string is not valid JSON: {e}")))?;
    convert::to_jvalue(&value, 0)
        .map_err(|e| EvaluatorError::EvaluationError(format!("$parse: {}", e.message)))
}

/// `$random([seed])`: a number in `[0, 1)`; with a seed, the same number for the same seed (the seed
/// starts a fresh generator, as `States.MathRandom`'s seed does); without, the next draw of the run's RNG.
fn random(args: &[JValue], rng: &Rc<RefCell<Rng>>) -> HostResult {
    match args.first() {
        None | Some(JValue::Undefined) => Ok(JValue::Number(rng.borrow_mut().next_f64())),
        Some(JValue::Number(n)) if n.is_finite() => {
            let seed = if n.fract() == 0.0 {
                *n as i64 as u64
            } else {
                n.to_bits()
            };
            Ok(JValue::Number(Rng::new(seed).next_f64()))
        }
        Some(other) => Err(fail(
            "random",
            format_args!("the seed must be a number, not {}", type_name(other)),
        )),
    }
}
