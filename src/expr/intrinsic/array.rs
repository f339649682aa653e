//! States.ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique (States.Array is
//! the identity on its evaluated arguments).

use serde_json::Value;

use super::Fx;
use crate::expr::ExprError;

/// AWS caps arrays produced by States.ArrayRange at 1000 items.
pub const MAX_RANGE_ITEMS: i64 = 1000;

pub(super) fn partition(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let a = f.array(args, 0)?;
    // A non-integer chunk size is rounded to the nearest integer.
    let size = f.rounded_int(args, 1)?;
    if size <= 0 {
        return Err(f.fail(format!(
            "the chunk size must be a positive integer, but was {size}"
        )));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::Array(
        a.chunks(size).map(|c| Value::Array(c.to_vec())).collect(),
    ))
}

pub(super) fn contains(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let a = f.array(args, 0)?;
    let x = args.get(1).unwrap_or(&Value::Null);
    Ok(Value::Bool(a.contains(x)))
}

pub(super) fn range(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    // Non-integer arguments are rounded to the nearest integer.
    let (start, end, step) = (
        f.rounded_int(args, 0)?,
        f.rounded_int(args, 1)?,
        f.rounded_int(args, 2)?,
    );
    if step == 0 {
        return Err(f.fail("the step (third argument) must not be 0"));
    }
    let (start, end, step) = (start as i128, end as i128, step as i128);
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (end - start) / step + 1
    };
    if count > MAX_RANGE_ITEMS as i128 {
        return Err(f.fail(format!(
            "the range would contain {count} items; at most {MAX_RANGE_ITEMS} are allowed"
        )));
    }
    Ok(Value::Array(
        (0..count)
            .map(|i| Value::from((start + i * step) as i64))
            .collect(),
    ))
}

pub(super) fn get_item(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let a = f.array(args, 0)?;
    let i = f.int(args, 1)?;
    if i < 0 {
        return Err(f.fail(format!(
            "the index must be a non-negative integer, but was {i}"
        )));
    }
    usize::try_from(i)
        .ok()
        .and_then(|j| a.get(j))
        .cloned()
        .ok_or_else(|| {
            f.fail(format!(
                "the index {i} is out of bounds for an array of length {}",
                a.len()
            ))
        })
}

pub(super) fn length(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    Ok(Value::from(f.array(args, 0)?.len()))
}

pub(super) fn unique(f: &Fx, args: &[Value]) -> Result<Value, ExprError> {
    let a = f.array(args, 0)?;
    let mut out: Vec<Value> = Vec::new();
    for x in a {
        if !out.contains(x) {
            out.push(x.clone());
        }
    }
    Ok(Value::Array(out))
}
