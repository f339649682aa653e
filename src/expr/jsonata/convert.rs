//! The boundary between `serde_json::Value` and the engine's values, and numbers written as JavaScript
//! writes them.

use indexmap::IndexMap;
use jsonata_core::value::{JArray, JValue, with_stack};
use serde_json::{Map, Number, Value};

use super::{ErrorKind, JsonataError};

/// Values nested deeper than this are refused at the boundary (the walks grow their stack as they go) (Jackson's default `maxNestingDepth`, which
/// bounds what AWS itself reads and writes), so no conversion recurses without bound.
pub const MAX_NESTING: usize = 1000;

/// `serde_json::Value` → engine value (borrowing: nothing of `v` is cloned but its strings).
pub(crate) fn to_jvalue(v: &Value, depth: usize) -> Result<JValue, JsonataError> {
    if depth > MAX_NESTING {
        return Err(too_deep());
    }
    Ok(match v {
        Value::Null => JValue::Null,
        Value::Bool(b) => JValue::Bool(*b),
        Value::Number(n) => JValue::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => JValue::string(s.as_str()),
        Value::Array(items) => {
            let mut flat = true;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                flat &= !item.is_array();
                out.push(with_stack(|| to_jvalue(item, depth + 1))?);
            }
            JValue::Array(JArray::new_flat(out, flat))
        }
        Value::Object(map) => {
            let mut out = IndexMap::with_capacity(map.len());
            for (k, item) in map {
                out.insert(k.clone(), with_stack(|| to_jvalue(item, depth + 1))?);
            }
            JValue::object(out)
        }
    })
}

/// Engine value → `serde_json::Value`, or `None` for `undefined`.
///
/// Numbers: integral values up to 2^53 become integer numbers (`1`, never `1.0`; `-0` becomes `0`); others
/// stay `f64` (print them with [`js_number_text`] / [`js_json_text`]). Functions and regexes follow
/// `JSON.stringify`: dropped from objects, `null` inside arrays; at the top level they are an error
/// ([`ErrorKind::UnsupportedResult`]), as AWS refuses them.
///
/// `budget` bounds the size of the result (string characters plus one per value): values shared many times
/// inside the engine (`[1..1e6].($big)`) would otherwise multiply in the copy.
pub(crate) fn from_jvalue(v: &JValue, budget: usize) -> Result<Option<Value>, JsonataError> {
    match v {
        JValue::Undefined => Ok(None),
        JValue::Lambda(_) | JValue::Builtin { .. } | JValue::Regex { .. } => {
            Err(JsonataError::new(
                ErrorKind::UnsupportedResult,
                None,
                "the expression returned a function, which JSON cannot hold",
            ))
        }
        _ => {
            let mut budget = budget;
            Ok(Some(to_value(v, 0, &mut budget)?))
        }
    }
}

fn to_value(v: &JValue, depth: usize, budget: &mut usize) -> Result<Value, JsonataError> {
    if depth > MAX_NESTING {
        return Err(too_deep());
    }
    let cost = match v {
        JValue::String(s) => s.len() + 1,
        _ => 1,
    };
    *budget = budget.checked_sub(cost).ok_or_else(|| {
        JsonataError::new(
            ErrorKind::Limit,
            None,
            "the result is larger than the limit on string and value sizes",
        )
    })?;
    Ok(match v {
        JValue::Null | JValue::Undefined => Value::Null,
        JValue::Bool(b) => Value::Bool(*b),
        JValue::Number(n) => number(*n)?,
        JValue::String(s) => Value::String(s.to_string()),
        JValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                out.push(with_stack(|| to_value(item, depth + 1, budget))?);
            }
            Value::Array(out)
        }
        JValue::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, item) in map.iter() {
                if is_json_omitted(item) {
                    continue;
                }
                out.insert(k.clone(), with_stack(|| to_value(item, depth + 1, budget))?);
            }
            Value::Object(out)
        }
        // JSON.stringify writes a function inside an array as null.
        _ => Value::Null,
    })
}

fn is_json_omitted(v: &JValue) -> bool {
    matches!(
        v,
        JValue::Undefined | JValue::Lambda(_) | JValue::Builtin { .. } | JValue::Regex { .. }
    )
}

fn too_deep() -> JsonataError {
    JsonataError::new(
        ErrorKind::Limit,
        None,
        format!("the value is nested deeper than {MAX_NESTING} levels"),
    )
}

/// 2^53: the integers up to here are exact in `f64`.
const MAX_SAFE: f64 = 9_007_199_254_740_992.0;

/// A JSONata number as a JSON number: integers exactly (`1`, not `1.0`), other values as `f64`.
/// Non-finite numbers cannot be JSON (jsonata-js raises D1001 for them).
pub fn number(n: f64) -> Result<Value, JsonataError> {
    if !n.is_finite() {
        return Err(JsonataError::new(
            ErrorKind::Evaluation,
            Some("D1001"),
            format!("Number out of range: {}", js_number_text(n)),
        ));
    }
    if n.fract() == 0.0 {
        if n == 0.0 {
            return Ok(Value::from(0));
        }
        // Up to 2^53 every integer is exact, and its digits are the ones JavaScript prints. Beyond, an
        // integer `u64` would print digits JavaScript does not (12345678901234567168 where JS writes
        // 12345678901234567000), so those stay `f64` for `js_number_text`.
        if n.abs() <= MAX_SAFE {
            return Ok(Value::from(n as i64));
        }
    }
    Ok(Number::from_f64(n)
        .map(Value::Number)
        .unwrap_or(Value::Null))
}

/// `Number.prototype.toString()` of JavaScript: the shortest digits that round-trip, in decimal notation
/// for `1e-7 <= |x| < 1e21` (`200000000000000000000`, `0.0000015`), otherwise exponential with an explicit
/// sign (`1e+21`, `1.5e-7`). `-0` is `0`.
pub fn js_number_text(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    // Rust's `{:e}` prints the shortest round-trip digits: "1.2345e-7", "5e20".
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32; // number of significant digits
    let n = exp + 1; // position of the decimal point relative to the digits
    let body = if k <= n && n <= 21 {
        // Integer: digits followed by zeros.
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let e = (n - 1).abs();
        if k == 1 {
            format!("{digits}e{sign}{e}")
        } else {
            format!("{}.{}e{sign}{e}", &digits[..1], &digits[1..])
        }
    };
    if x < 0.0 { format!("-{body}") } else { body }
}

/// Compact JSON text of a value with numbers written as JavaScript writes them (`JSON.stringify`), key
/// order kept. `None` when the value is nested deeper than [`MAX_NESTING`].
pub fn js_json_text(v: &Value) -> Option<String> {
    let mut out = String::new();
    write_js(v, &mut out, 0).then_some(out)
}

fn write_js(v: &Value, out: &mut String, depth: usize) -> bool {
    if depth > MAX_NESTING {
        return false;
    }
    match v {
        Value::Number(n) => {
            if n.is_f64() {
                out.push_str(&js_number_text(n.as_f64().unwrap_or(0.0)));
            } else {
                out.push_str(&n.to_string());
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_js(item, out, depth + 1) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if !write_js(item, out, depth + 1) {
                    return false;
                }
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_numbers() {
        for (x, want) in [
            (1.0, "1"),
            (-0.0, "0"),
            (0.5, "0.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (2e20, "200000000000000000000"),
            (1e21, "1e+21"),
            (1.5e-6, "0.0000015"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (123456789012345678901234.0, "1.2345678901234569e+23"),
            (12345678901234567890.0, "12345678901234567000"),
            (-42.25, "-42.25"),
            (9.33262154439441e155, "9.33262154439441e+155"),
            (f64::INFINITY, "Infinity"),
        ] {
            assert_eq!(js_number_text(x), want, "{x}");
        }
    }

    #[test]
    fn integral_numbers_become_integers() {
        assert_eq!(number(1.0).unwrap().to_string(), "1");
        assert_eq!(number(-0.0).unwrap().to_string(), "0");
        assert_eq!(number(1.5).unwrap().to_string(), "1.5");
        assert_eq!(
            number(9007199254740992.0).unwrap().to_string(),
            "9007199254740992"
        );
        assert!(number(1e19).unwrap().is_f64());
        assert!(number(2e20).unwrap().is_f64());
        assert!(number(f64::NAN).is_err());
    }

    #[test]
    fn js_json_text_writes_js_numbers() {
        let v = serde_json::json!({"b": 1, "a": [2e20, 0.5, "x"], "c": null});
        assert_eq!(
            js_json_text(&v).unwrap(),
            r#"{"b":1,"a":[200000000000000000000,0.5,"x"],"c":null}"#
        );
    }

    #[test]
    fn round_trip_keeps_order_and_depth_is_bounded() {
        let v = serde_json::json!({"z": 1, "a": {"y": [1, 2.5, true, null, "s"]}});
        let j = to_jvalue(&v, 0).unwrap();
        assert_eq!(from_jvalue(&j, 1000).unwrap().unwrap(), v);
        assert_eq!(from_jvalue(&j, 5).unwrap_err().kind, ErrorKind::Limit);
        let mut deep = Value::Null;
        for _ in 0..(MAX_NESTING + 5) {
            deep = Value::Array(vec![deep]);
        }
        assert_eq!(to_jvalue(&deep, 0).unwrap_err().kind, ErrorKind::Limit);
        // Dropping `deep` recursively is fine at this depth.
    }
}
