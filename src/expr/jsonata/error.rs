//! Errors of parsing and evaluating JSONata, and AWS's `States.QueryEvaluationError` cause text.

use std::any::Any;

use jsonata_core::evaluator::EvaluatorError;
use jsonata_core::parser::ParserError;

use super::messages::js_message;

/// What went wrong, coarsely.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The expression does not parse (code `S0xxx`).
    Syntax,
    /// The evaluation raised an error (JSONata codes `T`, `D`, `U`), including `$error`/`$assert`.
    Evaluation,
    /// A bound of [`super::Limits`] or of the boundary (nesting) was exceeded.
    Limit,
    /// The result is not JSON (a function), which AWS refuses.
    UnsupportedResult,
    /// The engine panicked (caught; a bug of the engine, reported as an error).
    Internal,
}

/// An error of [`super::Jsonata::parse`] or [`super::Jsonata::eval`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonataError {
    pub kind: ErrorKind,
    /// The JSONata error code (`S0202`, `T2002`, `D1012`, ...) when there is one.
    pub code: Option<String>,
    /// The message without the code, worded as jsonata-js words it where known.
    pub message: String,
    /// Char offset (not byte) in the expression where the error was found, when known (syntax errors:
    /// the first char of the offending token; the expression's length for an unexpected end).
    pub position: Option<usize>,
}

impl JsonataError {
    pub fn new(kind: ErrorKind, code: Option<&str>, message: impl Into<String>) -> Self {
        JsonataError {
            kind,
            code: code.map(str::to_string),
            message: message.into(),
            position: None,
        }
    }
}

impl std::fmt::Display for JsonataError {
    /// `CODE: message` (as AWS quotes it in a cause), or the message alone.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for JsonataError {}

/// Finds a JSONata code (`[A-Z]dddd` followed by `:`) in `msg`; returns it and the text after it.
fn split_code(msg: &str) -> Option<(&str, &str)> {
    let b = msg.as_bytes();
    (0..b.len().saturating_sub(5)).find_map(|i| {
        let at_word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        (at_word_start
            && b[i].is_ascii_uppercase()
            && b[i + 1..i + 5].iter().all(u8::is_ascii_digit)
            && b[i + 5] == b':')
            .then(|| (&msg[i..i + 5], msg[i + 6..].trim_start()))
    })
}

pub(crate) fn syntax_error(src: &str, e: &ParserError) -> JsonataError {
    let text = e.to_string();
    let (code, message) = match split_code(&text) {
        Some((code, rest)) => (Some(code.to_string()), rest.to_string()),
        // The engine's one uncoded syntax error: jsonata-js calls it S0106.
        None if matches!(e, ParserError::UnclosedComment) => (
            Some("S0106".to_string()),
            "Comment has no closing tag".to_string(),
        ),
        None => (None, text.clone()),
    };
    let message = code
        .as_deref()
        .and_then(|c| js_message(c, &message))
        .unwrap_or(message);
    JsonataError {
        kind: ErrorKind::Syntax,
        position: error_position(src, &text),
        code,
        message,
    }
}

/// The char offset of a syntax error: the end of the shortest prefix of `src` that fails with the same
/// message as the whole (found by bisection: a prefix that holds the offending token fails as the whole
/// does, a shorter one fails at its end or parses), or the length when the whole fails at its end.
fn error_position(src: &str, full_message: &str) -> Option<usize> {
    let chars: Vec<usize> = src.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    if full_message.contains("end of expression")
        || full_message.contains("S0101")
        || full_message.contains("S0105")
        || full_message.contains("Unclosed comment")
    {
        return Some(chars.len());
    }
    if full_message.contains("U1002") {
        return None; // nesting too deep: no single offending token
    }
    // fails_alike(n): the first n chars fail with the whole's message.
    let fails_alike = |n: usize| {
        let prefix = &src[..chars[n - 1]];
        std::panic::catch_unwind(|| {
            matches!(jsonata_core::parser::parse(prefix), Err(e) if e.to_string() == full_message)
        })
        .unwrap_or(false)
    };
    let (mut lo, mut hi) = (1, chars.len()); // fails_alike(hi) holds
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fails_alike(mid) {
            hi = mid
        } else {
            lo = mid + 1
        }
    }
    // Tokens read ahead can make the predicate flicker just before the token: settle on the first.
    let floor = hi.saturating_sub(8).max(1);
    let mut first = (floor..hi).find(|&n| fails_alike(n)).unwrap_or(hi);
    // `first` ends the offending token; a prefix of the token fails with the same code (with the
    // shorter token in the message): walk back to where the token starts.
    if let Some((code, _)) = split_code(full_message) {
        let same_code = |n: usize| {
            let prefix = &src[..chars[n - 1]];
            std::panic::catch_unwind(|| {
                matches!(jsonata_core::parser::parse(prefix),
                    Err(e) if split_code(&e.to_string()).is_some_and(|(c, _)| c == code))
            })
            .unwrap_or(false)
        };
        let stop = first.saturating_sub(64).max(1);
        while first > stop && same_code(first - 1) {
            first -= 1;
        }
    }
    Some(first - 1)
}

/// Prefix of the messages of this module's own bounds (guards, `$range`), which have no JSONata code.
pub(crate) const LIMIT_MARK: &str = "\u{1}limit:";

pub(crate) fn eval_error(e: &EvaluatorError) -> JsonataError {
    let raw = e.message();
    if let Some(message) = raw.strip_prefix(LIMIT_MARK) {
        return JsonataError::new(ErrorKind::Limit, None, message);
    }
    let (code, message) = match split_code(raw) {
        Some((code, rest)) => (Some(code.to_string()), rest.to_string()),
        None => (None, raw.to_string()),
    };
    let kind = match code.as_deref() {
        Some("D1011" | "D1012" | "D2014" | "D2015" | "U1001" | "U1003") => ErrorKind::Limit,
        _ => ErrorKind::Evaluation,
    };
    let message = code
        .as_deref()
        .and_then(|c| js_message(c, &message))
        .unwrap_or(message);
    JsonataError {
        kind,
        code,
        message,
        position: None,
    }
}

pub(crate) fn panic_error(panic: Box<dyn Any + Send>) -> JsonataError {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    JsonataError::new(
        ErrorKind::Internal,
        None,
        format!("internal error of the JSONata engine: {what}"),
    )
}

/// Why a JSONata field of a state failed, for [`query_evaluation_cause`].
#[derive(Clone, Copy, Debug)]
pub enum QueryFailure<'a> {
    /// The evaluation raised an error (or the result was a function: [`ErrorKind::UnsupportedResult`]).
    Error(&'a JsonataError),
    /// The expression returned nothing (`undefined`, `Ok(None)`) where a value is needed.
    Undefined,
    /// The value has the wrong JSON type for the field: `expected` is AWS's type name (`"array"`).
    UnexpectedType {
        expected: &'a str,
        value: &'a serde_json::Value,
    },
}

/// AWS's JSON type name of a value: `null`, `boolean`, `number`, `string`, `array`, `object`.
pub fn aws_type_name(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// The `Cause` of the `States.QueryEvaluationError` AWS raises when the JSONata expression `expression`
/// (the text between `{%` and `%}`, as written) of field `field` (`Output`, `Arguments/FunctionName`,
/// `Assign/result`, `Items`, ...) of state `state`, entered at history event `entered_event_id`, fails.
/// Wording from AWS-recorded executions, e.g.
/// `An error occurred while executing the state 'S' (entered at the event id #2). The JSONata expression
/// '$x' specified for the field 'Output' returned nothing (undefined).`
pub fn query_evaluation_cause(
    state: &str,
    entered_event_id: u64,
    field: &str,
    expression: &str,
    failure: QueryFailure,
) -> String {
    let what = match failure {
        QueryFailure::Undefined => "returned nothing (undefined).".to_string(),
        QueryFailure::Error(e) if e.kind == ErrorKind::UnsupportedResult => {
            "returned an unsupported result type.".to_string()
        }
        QueryFailure::Error(e) => format!("threw an error during evaluation. {e}"),
        QueryFailure::UnexpectedType { expected, value } => format!(
            "returned an unexpected result type. Expected '{expected}', but was '{}' for value: {}",
            aws_type_name(value),
            super::js_json_text(value).unwrap_or_default()
        ),
    };
    format!(
        "An error occurred while executing the state '{state}' (entered at the event id \
         #{entered_event_id}). The JSONata expression '{expression}' specified for the field \
         '{field}' {what}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_code_finds_codes_anywhere() {
        assert_eq!(split_code("T2002: x"), Some(("T2002", "x")));
        assert_eq!(
            split_code("Invalid number: S0102: Number out of range"),
            Some(("S0102", "Number out of range"))
        );
        assert_eq!(split_code("no code here"), None);
        assert_eq!(split_code("XT2002: no"), None);
    }

    #[test]
    fn causes_match_aws_records() {
        let e = JsonataError::new(
            ErrorKind::Evaluation,
            Some("T1006"),
            "Attempted to invoke a non-function",
        );
        assert_eq!(
            query_evaluation_cause(
                "State_0",
                2,
                "Output/FunctionResult",
                "$randomSeeded($states.input.FunctionInput.fst)",
                QueryFailure::Error(&e)
            ),
            "An error occurred while executing the state 'State_0' (entered at the event id #2). The \
             JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field \
             'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a \
             non-function"
        );
        assert_eq!(
            query_evaluation_cause(
                "State0",
                2,
                "Output",
                "$doesNotExist",
                QueryFailure::Undefined
            ),
            "An error occurred while executing the state 'State0' (entered at the event id #2). The \
             JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing \
             (undefined)."
        );
        let v = serde_json::json!({"foo": "bar"});
        assert_eq!(
            query_evaluation_cause(
                "MapIterateState",
                4,
                "Items",
                "$ItemsVar",
                QueryFailure::UnexpectedType {
                    expected: "array",
                    value: &v
                }
            ),
            "An error occurred while executing the state 'MapIterateState' (entered at the event id \
             #4). The JSONata expression '$ItemsVar' specified for the field 'Items' returned an \
             unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"
        );
        let f = JsonataError::new(ErrorKind::UnsupportedResult, None, "function");
        assert_eq!(
            query_evaluation_cause(
                "MapIterateState",
                2,
                "Items",
                "$fn := function($x){$x}",
                QueryFailure::Error(&f)
            ),
            "An error occurred while executing the state 'MapIterateState' (entered at the event id \
             #2). The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' \
             returned an unsupported result type."
        );
    }
}
