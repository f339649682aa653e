//! Text renderings of JSON values the way AWS (a JVM service) prints them.

use serde_json::{Number, Value};

/// Values nested deeper than this are refused by the renderers (no unbounded recursion).
const MAX_RENDER_DEPTH: usize = 1000;

/// `Double.toString` of the JVM: `1.0`, `1.1`, `1.0E21`, `1.0E-5`.
pub(crate) fn java_double(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let a = x.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{x}");
        if s.contains('.') { s } else { format!("{s}.0") }
    } else {
        // Shortest round-trip digits in scientific form, e.g. "1.234e-5".
        let s = format!("{x:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
        let mant = if mant.contains('.') {
            mant.to_string()
        } else {
            format!("{mant}.0")
        };
        format!("{mant}E{exp}")
    }
}

pub(crate) fn number_text(n: &Number) -> String {
    if n.is_f64() {
        java_double(n.as_f64().unwrap_or(0.0))
    } else {
        n.to_string()
    }
}

/// Compact JSON text (as `States.JsonToString` produces it): key order kept, floats printed as the JVM does.
/// `None` when the value is nested deeper than the renderer allows.
pub fn json_to_string(v: &Value) -> Option<String> {
    let mut out = String::new();
    write_value(v, &mut out, 0, &JSON).then_some(out)
}

/// The JVM `toString` of a value (`States.Format` arguments): strings bare, `[a, b]`, `{k=v, k2=v2}`.
pub fn java_string(v: &Value) -> Option<String> {
    let mut out = String::new();
    write_value(v, &mut out, 0, &JAVA).then_some(out)
}

/// How one of the two renderings spells strings, keys and separators.
struct Spelling {
    quote_strings: bool,
    separator: &'static str,
    key_value: &'static str,
}

const JSON: Spelling = Spelling {
    quote_strings: true,
    separator: ",",
    key_value: ":",
};

const JAVA: Spelling = Spelling {
    quote_strings: false,
    separator: ", ",
    key_value: "=",
};

fn write_value(v: &Value, out: &mut String, depth: usize, sp: &Spelling) -> bool {
    if depth > MAX_RENDER_DEPTH {
        return false;
    }
    let text = |s: &str| {
        if sp.quote_strings {
            quote(s)
        } else {
            s.to_owned()
        }
    };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::String(s) => out.push_str(&text(s)),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(sp.separator);
                }
                if !write_value(x, out, depth + 1, sp) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(sp.separator);
                }
                out.push_str(&text(k));
                out.push_str(sp.key_value);
                if !write_value(x, out, depth + 1, sp) {
                    return false;
                }
            }
            out.push('}');
        }
    }
    true
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn doubles() {
        assert_eq!(java_double(1.1), "1.1");
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(1e21), "1.0E21");
        assert_eq!(java_double(1.5e-5), "1.5E-5");
        assert_eq!(java_double(1234567.0), "1234567.0");
        assert_eq!(java_double(12345678.0), "1.2345678E7");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(-0.0), "-0.0");
    }

    #[test]
    fn renderings() {
        let v = json!({"a": [1, "x", null], "b": {"c": 1.5}});
        assert_eq!(
            json_to_string(&v).unwrap(),
            r#"{"a":[1,"x",null],"b":{"c":1.5}}"#
        );
        assert_eq!(java_string(&v).unwrap(), "{a=[1, x, null], b={c=1.5}}");
    }
}
