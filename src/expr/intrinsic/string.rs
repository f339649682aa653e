//! States.Format, StringToJson, JsonToString, StringSplit, JsonMerge.

use serde_json::Value;

use super::{Fx, Piece};
use crate::expr::ExprError;
use crate::expr::json_text;

pub(super) fn format(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let rest = args.get(1..).unwrap_or_default();
    let runtime_pieces;
    let pieces = match (&f.call.template, f.call.args.first()) {
        (Some(p), Some(super::Arg::Str(_))) => p,
        _ => {
            let t = f.string(args, 0)?;
            runtime_pieces = split_template(t);
            &runtime_pieces
        }
    };
    let holes = pieces.iter().filter(|p| **p == Piece::Hole).count();
    if holes != rest.len() {
        return Err(f.fail(format!(
            "the number of arguments ({}) does not match the number of '{{}}' placeholders ({holes})",
            rest.len()
        )));
    }
    let mut out = String::new();
    let mut next = rest.iter();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Hole => {
                let v = next.next().unwrap_or(&Value::Null);
                out.push_str(
                    &json_text::java_string(v)
                        .ok_or_else(|| f.fail("an argument is nested too deeply"))?,
                );
            }
        }
    }
    Ok(Value::String(out))
}

fn split_template(t: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for (i, part) in t.split("{}").enumerate() {
        if i > 0 {
            pieces.push(Piece::Hole);
        }
        if !part.is_empty() {
            pieces.push(Piece::Text(part.to_string()));
        }
    }
    pieces
}

pub(super) fn string_to_json(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let s = f.string(args, 0)?.trim();
    if s.is_empty() {
        return Ok(Value::Null);
    }
    let v: Value = serde_json::from_str(s)
        .map_err(|e| f.fail(format!("the string is not valid JSON: {e}")))?;
    // serde_json reads the integer "-0" as the float -0.0; AWS (Jackson) reads an integer 0.
    Ok(match v {
        Value::Number(n) if n.is_f64() && n.as_f64() == Some(0.0) && s == "-0" => Value::from(0),
        v => v,
    })
}

pub(super) fn json_to_string(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let v = args.first().unwrap_or(&Value::Null);
    json_text::json_to_string(v)
        .map(Value::String)
        .ok_or_else(|| f.fail("the value is nested too deeply"))
}

pub(super) fn string_split(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let s = f.string(args, 0)?;
    let delims = f.string(args, 1)?;
    // Every character of the second argument is a delimiter; empty tokens are dropped (StringTokenizer).
    let parts = s
        .split(|c: char| delims.contains(c))
        .filter(|t| !t.is_empty())
        .map(|t| Value::String(t.to_string()))
        .collect();
    Ok(Value::Array(parts))
}

pub(super) fn json_merge(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let obj = |i: usize| match args.get(i) {
        Some(Value::Object(m)) => Ok(m),
        Some(v) => Err(f.type_fail(i, "a JSON object", v)),
        None => Err(f.fail("missing argument")),
    };
    let (a, b) = (obj(0)?, obj(1)?);
    match args.get(2) {
        Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => {
            return Err(f.fail("deep merge is not supported: the third argument must be false"));
        }
        Some(v) => return Err(f.type_fail(2, "a boolean", v)),
        None => return Err(f.fail("the third argument is missing")),
    }
    let mut out = a.clone();
    for (k, v) in b {
        out.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(out))
}
