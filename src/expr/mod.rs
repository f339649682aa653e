//! ASL expressions evaluated against JSON (JSONPath query language): parsed once, evaluated many times.
//!
//! - [`Path`]: JSONPath / reference paths (`$.a[0]`, `$$.Execution.Id`, `$..x`, `$.a[?(@.b > 1)]`), with
//!   AWS (Jayway-based) selection semantics and ResultPath [`Path::set`].
//! - [`parse_intrinsic`] / [`Call`]: intrinsic function calls (`States.Format('{}', $.x)`), all functions.
//! - [`resolve_template`] / [`check_template`] / [`Template`]: payload templates (`"key.$"` entries).
//! - [`Rng`]: the deterministic PRNG used by `States.MathRandom` and `States.UUID`.
//!
//! This module depends only on `serde_json` and the hash/base64 crates; no other module of the crate.

pub mod intrinsic;
mod json_text;
pub mod jsonata;
pub mod path;
pub mod random;
pub mod template;

pub use intrinsic::{Arg, Call, FUNCTIONS, IntrinsicError, parse_intrinsic};
pub use json_text::{java_string, json_to_string};
pub use path::{Path, PathError};
pub use random::Rng;
pub use template::{Template, check_template, resolve_template};

/// The workflow variables an expression may read (`$name…`, set by `Assign`). The simulator's variable
/// scope implements it; [`NoVariables`] is the empty set.
pub trait Variables {
    /// The value of the variable `name` (written without `$`), if it is defined.
    fn variable(&self, name: &str) -> Option<&serde_json::Value>;
}

/// No variables: every `$name` path fails as undefined.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoVariables;

impl Variables for NoVariables {
    fn variable(&self, _name: &str) -> Option<&serde_json::Value> {
        None
    }
}

/// Whether `c` may start a variable name: a Unicode `ID_Start` character or `_` (AWS: variable names are
/// Unicode identifiers, UAX #31).
pub fn is_variable_start(c: char) -> bool {
    c == '_' || unicode_ident::is_xid_start(c)
}

/// Whether `c` may continue a variable name: a Unicode `ID_Continue` character.
pub fn is_variable_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

/// Nesting limit for intrinsic calls and filter expressions (parsers refuse deeper input).
pub const MAX_DEPTH: usize = 64;

/// A runtime failure with the AWS error name (`States.IntrinsicFailure`, `States.Runtime`, ...) and a cause
/// text like AWS's.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    pub error: String,
    pub cause: String,
}

impl ExprError {
    pub fn new(error: &str, cause: impl Into<String>) -> Self {
        ExprError {
            error: error.to_string(),
            cause: cause.into(),
        }
    }

    pub(crate) fn runtime(cause: impl Into<String>) -> Self {
        Self::new("States.Runtime", cause)
    }

    pub(crate) fn intrinsic(cause: impl Into<String>) -> Self {
        Self::new("States.IntrinsicFailure", cause)
    }
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for ExprError {}
