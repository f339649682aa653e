//! The sim's door to ASL expressions (`crate::expr`): reference paths, ResultPath, payload templates and
//! intrinsics. Everything the engine asks of expressions goes through these few functions.

use crate::expr::{self, ExprError, Path};
use serde_json::Value;

/// A failed expression: `error` is a States error name, `cause` AWS-like text.
pub(crate) type ExprFailure = ExprError;

/// Selects `text` from `data` (or the context object for `$$…`). `Err` carries the cause text.
pub(crate) fn select(text: &str, data: &Value, context: &Value) -> Result<Value, String> {
    let path = Path::parse(text).map_err(|e| format!("Invalid path '{text}': {e}"))?;
    path.select(data, context).map_err(|e| e.cause)
}

/// Like [`select`], but `None` when nothing matches.
pub(crate) fn select_opt(text: &str, data: &Value, context: &Value) -> Option<Value> {
    Path::parse(text).ok()?.select_opt(data, context)
}

/// Applies a `ResultPath` to a copy of `input`.
pub(crate) fn set(text: &str, input: &Value, result: Value) -> Result<Value, String> {
    let path = Path::parse(text).map_err(|e| format!("Invalid path '{text}': {e}"))?;
    let mut out = input.clone();
    path.set(&mut out, result).map_err(|e| e.cause)?;
    Ok(out)
}

/// Evaluates an intrinsic function call such as `States.Format('{}', $.x)`.
pub(crate) fn intrinsic(
    text: &str,
    data: &Value,
    context: &Value,
    rng: &mut expr::Rng,
) -> Result<Value, ExprFailure> {
    let call = expr::parse_intrinsic(text)
        .map_err(|e| ExprError::new("States.IntrinsicFailure", format!("{e}")))?;
    call.eval(data, context, rng)
}

/// Resolves a payload template (`Parameters`, `ResultSelector`, `ItemSelector`).
pub(crate) fn template(
    t: &Value,
    data: &Value,
    context: &Value,
    rng: &mut expr::Rng,
) -> Result<Value, ExprFailure> {
    expr::resolve_template(t, data, context, rng)
}
