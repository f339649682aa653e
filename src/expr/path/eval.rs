//! Evaluating a parsed path over JSON values: definite and indefinite selection, filters, path functions.

use crate::expr::json_text;
use crate::expr::path::syntax::{
    Filter, Func, Op, Operand, Seg, Sel, func_name, normalized, operand_definite, render_sel,
    segs_definite,
};
use serde_json::{Map, Number, Value};
use std::cmp::Ordering;

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Evaluates `segs` from `start`; `root` is what `$` means inside filters. Errors are Jayway's messages.
pub(super) fn eval_segs(segs: &[Seg], start: &Value, root: &Value) -> Result<Value, String> {
    let (body, func) = match segs.split_last() {
        Some((Seg::Func(f), body)) => (body, Some(*f)),
        _ => (segs, None),
    };
    let value = if segs_definite(body) {
        eval_definite(body, start)?
    } else {
        Value::Array(eval_indefinite(body, start, root)?)
    };
    match func {
        None => Ok(value),
        Some(f) => apply_func(f, &value),
    }
}

pub(super) fn eval_definite(segs: &[Seg], start: &Value) -> Result<Value, String> {
    let mut cur = start;
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        // The path so far, for error messages only (rendered when one is needed).
        let at = || {
            let mut at = String::from("$");
            for s in &segs[..i] {
                if let Seg::Child(sel) = s {
                    render_sel(sel, &mut at);
                }
            }
            at
        };
        let leaf = i + 1 == n;
        match seg {
            Seg::Child(Sel::Name(k)) => match cur {
                Value::Object(m) => match m.get(k) {
                    Some(v) => cur = v,
                    None if leaf => {
                        return Err(format!("No results for path: {}", normalized(segs)));
                    }
                    None => return Err(format!("Missing property in path {}['{k}']", at())),
                },
                other => {
                    return Err(format!(
                        "Expected to find an object with property ['{k}'] in path {} but found '{}'. \
                         This is not a json object according to the JsonProvider.",
                        at(),
                        type_name(other)
                    ));
                }
            },
            Seg::Child(Sel::Index(ix)) => match cur {
                Value::Array(a) => match resolve_index(*ix, a.len()).and_then(|j| a.get(j)) {
                    Some(v) => cur = v,
                    None => return Err(format!("No results for path: {}", normalized(segs))),
                },
                Value::Null => return Err(format!("The path {} is null", at())),
                other => {
                    return Err(format!(
                        "Filter: [{ix}] can only be applied to arrays. Current context is: {}",
                        json_text::json_to_string(other).unwrap_or_default()
                    ));
                }
            },
            Seg::Child(Sel::Names(ns)) => {
                // Only as the leaf (definite merge case): an object with the present properties.
                let Value::Object(m) = cur else {
                    return Err(format!(
                        "Expected to find an object with property {} in path {} but found '{}'. \
                         This is not a json object according to the JsonProvider.",
                        names_fragment(ns),
                        at(),
                        type_name(cur)
                    ));
                };
                let mut out = Map::new();
                for k in ns {
                    if let Some(v) = m.get(k) {
                        out.insert(k.clone(), v.clone());
                    }
                }
                return Ok(Value::Object(out));
            }
            _ => return Err(format!("No results for path: {}", normalized(segs))),
        }
    }
    Ok(cur.clone())
}

pub(super) fn names_fragment(ns: &[String]) -> String {
    let mut s = String::new();
    render_sel(&Sel::Names(ns.to_vec()), &mut s);
    s
}

pub(super) fn resolve_index(ix: i64, len: usize) -> Option<usize> {
    if ix >= 0 {
        usize::try_from(ix).ok().filter(|&j| j < len)
    } else {
        let back = usize::try_from(ix.unsigned_abs()).ok()?;
        len.checked_sub(back)
    }
}

pub(super) fn eval_indefinite(
    segs: &[Seg],
    start: &Value,
    root: &Value,
) -> Result<Vec<Value>, String> {
    let mut cur: Vec<&Value> = vec![start];
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        let leaf = i + 1 == n;
        let mut next: Vec<&Value> = Vec::new();
        match seg {
            Seg::Child(Sel::Names(ns)) if leaf => {
                // Jayway merges the named properties of each object into one object.
                let mut out = Vec::new();
                for node in &cur {
                    if let Value::Object(m) = node {
                        let mut o = Map::new();
                        for k in ns {
                            if let Some(v) = m.get(k) {
                                o.insert(k.clone(), v.clone());
                            }
                        }
                        out.push(Value::Object(o));
                    }
                }
                return Ok(out);
            }
            Seg::Child(sel) => {
                for node in &cur {
                    select_children(sel, node, root, &mut next)?;
                }
            }
            Seg::Descend(sel) => {
                for node in &cur {
                    // Pre-order walk with an explicit stack (no recursion on data depth).
                    let mut stack: Vec<&Value> = vec![node];
                    while let Some(x) = stack.pop() {
                        select_children(sel, x, root, &mut next)?;
                        match x {
                            Value::Array(a) => stack.extend(a.iter().rev()),
                            Value::Object(m) => {
                                let vals: Vec<&Value> = m.values().collect();
                                stack.extend(vals.into_iter().rev());
                            }
                            _ => {}
                        }
                    }
                }
            }
            Seg::Func(_) => {}
        }
        cur = next;
    }
    Ok(cur.into_iter().cloned().collect())
}

pub(super) fn select_children<'v>(
    sel: &Sel,
    node: &'v Value,
    root: &Value,
    out: &mut Vec<&'v Value>,
) -> Result<(), String> {
    match (sel, node) {
        (Sel::Name(k), Value::Object(m)) => out.extend(m.get(k)),
        (Sel::Names(ks), Value::Object(m)) => out.extend(ks.iter().filter_map(|k| m.get(k))),
        (Sel::Index(ix), Value::Array(a)) => {
            out.extend(resolve_index(*ix, a.len()).and_then(|j| a.get(j)));
        }
        (Sel::Indexes(ixs), Value::Array(a)) => {
            for ix in ixs {
                out.extend(resolve_index(*ix, a.len()).and_then(|j| a.get(j)));
            }
        }
        (Sel::Wildcard, Value::Array(a)) => out.extend(a.iter()),
        (Sel::Wildcard, Value::Object(m)) => out.extend(m.values()),
        (Sel::Slice(from, to), Value::Array(a)) => {
            let len = a.len() as i64;
            let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
            let f = from.map(norm).unwrap_or(0);
            let t = to.map(norm).unwrap_or(len);
            if f < t {
                out.extend(a[f as usize..t as usize].iter());
            }
        }
        (Sel::Filter(f), Value::Array(a)) => {
            for x in a {
                if eval_filter(f, x, root)? {
                    out.push(x);
                }
            }
        }
        (Sel::Filter(f), Value::Object(_)) if eval_filter(f, node, root)? => out.push(node),
        _ => {}
    }
    Ok(())
}

pub(super) fn apply_func(f: Func, v: &Value) -> Result<Value, String> {
    let nums = || -> Result<Vec<f64>, String> {
        let Value::Array(a) = v else {
            return Err(format!(
                "Aggregation function {}() can only be applied to arrays",
                func_name(f)
            ));
        };
        let xs: Vec<f64> = a.iter().filter_map(Value::as_f64).collect();
        if xs.is_empty() {
            return Err(
                "Aggregation function attempted to calculate value using empty array".into(),
            );
        }
        Ok(xs)
    };
    let float = |x: f64| {
        Number::from_f64(x)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    };
    Ok(match f {
        Func::Length => match v {
            Value::Array(a) => Value::from(a.len()),
            Value::Object(m) => Value::from(m.len()),
            Value::String(s) => Value::from(s.chars().count()),
            _ => return Err("length() can only be applied to arrays, objects and strings".into()),
        },
        Func::Min => float(nums()?.into_iter().fold(f64::INFINITY, f64::min)),
        Func::Max => float(nums()?.into_iter().fold(f64::NEG_INFINITY, f64::max)),
        Func::Sum => float(nums()?.into_iter().sum()),
        Func::Avg => {
            let xs = nums()?;
            float(xs.iter().sum::<f64>() / xs.len() as f64)
        }
        Func::Stddev => {
            let xs = nums()?;
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            float((xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt())
        }
        Func::Keys => match v {
            Value::Object(m) => Value::Array(m.keys().cloned().map(Value::String).collect()),
            _ => return Err("keys() can only be applied to objects".into()),
        },
        Func::First | Func::Last => match v {
            Value::Array(a) => {
                let x = if f == Func::First {
                    a.first()
                } else {
                    a.last()
                };
                x.cloned()
                    .ok_or_else(|| format!("{}() of an empty array", func_name(f)))?
            }
            _ => return Err(format!("{}() can only be applied to arrays", func_name(f))),
        },
    })
}

pub(super) fn eval_operand(
    op: &Operand,
    cur: &Value,
    root: &Value,
) -> Result<Option<Value>, String> {
    let (segs, start) = match op {
        Operand::Lit(v) => return Ok(Some(v.clone())),
        Operand::Current(s) => (s, cur),
        Operand::Root(s) => (s, root),
    };
    if segs_definite(segs) {
        Ok(eval_segs(segs, start, root).ok())
    } else {
        eval_segs(segs, start, root).map(Some)
    }
}

pub(super) fn eval_filter(f: &Filter, cur: &Value, root: &Value) -> Result<bool, String> {
    Ok(match f {
        Filter::Or(a, b) => eval_filter(a, cur, root)? || eval_filter(b, cur, root)?,
        Filter::And(a, b) => eval_filter(a, cur, root)? && eval_filter(b, cur, root)?,
        Filter::Not(a) => !eval_filter(a, cur, root)?,
        Filter::Exists(o) => match eval_operand(o, cur, root)? {
            None => false,
            // An indefinite path exists when it matched something.
            Some(Value::Array(a)) if !matches!(o, Operand::Lit(_)) && !operand_definite(o) => {
                !a.is_empty()
            }
            Some(_) => true,
        },
        Filter::Cmp(l, op, r) => {
            let lv = eval_operand(l, cur, root)?;
            let rv = eval_operand(r, cur, root)?;
            compare(lv.as_ref(), *op, rv.as_ref())
        }
    })
}

pub(super) fn num_cmp(a: &Number, b: &Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

/// Jayway equality: numbers compare by value, a string holding a number equals that number.
pub(super) fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Some(Ordering::Equal),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            match (s.trim().parse::<f64>(), n.as_f64()) {
                (Ok(x), Some(y)) => x == y,
                _ => false,
            }
        }
        _ => a == b,
    }
}

pub(super) fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

pub(super) fn compare(l: Option<&Value>, op: Op, r: Option<&Value>) -> bool {
    let contains = |arr: &[Value], x: &Value| arr.iter().any(|e| loose_eq(e, x));
    match op {
        Op::Eq => matches!((l, r), (Some(a), Some(b)) if loose_eq(a, b)),
        Op::Ne => !matches!((l, r), (Some(a), Some(b)) if loose_eq(a, b)),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            let (Some(a), Some(b)) = (l, r) else {
                return false;
            };
            match order(a, b) {
                Some(o) => match op {
                    Op::Lt => o == Ordering::Less,
                    Op::Le => o != Ordering::Greater,
                    Op::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
                None => false,
            }
        }
        Op::In => matches!((l, r), (Some(a), Some(Value::Array(b))) if contains(b, a)),
        Op::Nin => match (l, r) {
            (Some(a), Some(Value::Array(b))) => !contains(b, a),
            (None, Some(Value::Array(_))) => true,
            _ => false,
        },
        Op::Subsetof => matches!((l, r), (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.iter().all(|x| contains(b, x))),
        Op::Anyof => matches!((l, r), (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.iter().any(|x| contains(b, x))),
        Op::Noneof => matches!((l, r), (Some(Value::Array(a)), Some(Value::Array(b)))
            if !a.iter().any(|x| contains(b, x))),
        Op::Size => {
            let len = match l {
                Some(Value::Array(a)) => a.len(),
                Some(Value::String(s)) => s.chars().count(),
                _ => return false,
            };
            matches!(r, Some(Value::Number(n)) if n.as_u64() == Some(len as u64))
        }
        Op::Empty => {
            let empty = match l {
                Some(Value::Array(a)) => a.is_empty(),
                Some(Value::String(s)) => s.is_empty(),
                _ => return false,
            };
            matches!(r, Some(Value::Bool(b)) if *b == empty)
        }
        Op::Contains => match (l, r) {
            (Some(Value::String(a)), Some(Value::String(b))) => a.contains(b.as_str()),
            (Some(Value::Array(a)), Some(b)) => contains(a, b),
            _ => false,
        },
    }
}
