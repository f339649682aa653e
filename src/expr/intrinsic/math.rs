//! States.MathAdd and States.MathRandom (States.UUID draws from the same injected RNG).

use serde_json::Value;

use super::Fx;
use crate::expr::{ExprError, Rng};

/// A MathAdd operand: rounded to the nearest integer, and within Java's `int` range.
fn int32_arg(f: &Fx, args: &[Value], i: usize) -> Result<i64, ExprError> {
    let n = f.rounded_int(args, i)?;
    if !(i32::MIN as i64..=i32::MAX as i64).contains(&n) {
        return Err(f.fail(format!(
            "the {} argument must be within the range -2147483648 to 2147483647",
            super::ordinal(i)
        )));
    }
    Ok(n)
}

pub(super) fn add(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    // Non-integers are rounded to the nearest integer first (recorded on AWS: 1.5 + 1.51 = 4).
    let a = int32_arg(f, args, 0)?;
    let b = int32_arg(f, args, 1)?;
    Ok(Value::from(a + b))
}

pub(super) fn random(f: &Fx, args: &[Value], rng: &mut Rng) -> Result<Value, ExprError> {
    // "If you specify a non-integer value for the start number or end number argument, Step Functions will
    // round it off to the nearest integer."
    let start = f.rounded_int(args, 0)?;
    let end = f.rounded_int(args, 1)?;
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
