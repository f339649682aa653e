//! States.MathAdd and States.MathRandom (States.UUID draws from the same injected RNG).

use serde_json::Value;

use super::Fx;
use crate::expr::{ExprError, Rng};

/// Java `Math.round`: half rounds up (towards positive infinity).
fn java_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

fn int32_arg(f: &Fx, args: &[Value], i: usize) -> Result<i64, ExprError> {
    let v = args.get(i).unwrap_or(&Value::Null);
    let n = match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => i as f64,
            None => java_round(n.as_f64().unwrap_or(f64::NAN)),
        },
        _ => return Err(f.type_fail(i, "a number", v)),
    };
    if !(i32::MIN as f64..=i32::MAX as f64).contains(&n) {
        return Err(f.fail(format!(
            "the {} argument must be within the range -2147483648 to 2147483647",
            super::ordinal(i)
        )));
    }
    Ok(n as i64)
}

pub(super) fn add(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    // Non-integers are rounded to the nearest integer first (recorded on AWS: 1.5 + 1.51 = 4).
    let a = int32_arg(f, args, 0)?;
    let b = int32_arg(f, args, 1)?;
    Ok(Value::from(a + b))
}

pub(super) fn random(f: &Fx, args: &[Value], rng: &mut Rng) -> Result<Value, ExprError> {
    let start = f.int(args, 0)?;
    let end = f.int(args, 1)?;
    if end <= start {
        return Err(f.fail(format!(
            "the end ({end}) must be greater than the start ({start})"
        )));
    }
    let span = (end as i128 - start as i128) as u64;
    let draw = match args.get(2) {
        Some(_) => Rng::new(f.int(args, 2)? as u64).below(span),
        None => rng.below(span),
    };
    Ok(Value::from((start as i128 + draw as i128) as i64))
}
