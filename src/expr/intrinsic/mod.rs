//! Intrinsic functions (`States.Format('{}', $.x)`): the `Call` AST, the registry table, evaluation and
//! static checks. Parsing lives in `parse.rs`, the functions in one file per family.

mod array;
mod encoding;
pub(crate) use encoding::{ALGORITHMS as HASH_ALGORITHMS, hash_hex};
mod math;
mod parse;
mod string;

use std::fmt;

use serde_json::{Number, Value};

use super::{ExprError, NoVariables, Path, Rng, Variables};

pub use parse::parse_intrinsic;

/// A syntax error in an intrinsic call, with the byte offset where it was detected.
#[derive(Clone, Debug, PartialEq)]
pub struct IntrinsicError {
    pub message: String,
    pub offset: usize,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for IntrinsicError {}

/// Registry: (name, minimum argument count, maximum argument count or `None` when variadic).
pub const FUNCTIONS: &[(&str, usize, Option<usize>)] = &[
    ("States.Format", 1, None),
    ("States.StringToJson", 1, Some(1)),
    ("States.JsonToString", 1, Some(1)),
    ("States.Array", 0, None),
    ("States.ArrayPartition", 2, Some(2)),
    ("States.ArrayContains", 2, Some(2)),
    ("States.ArrayRange", 3, Some(3)),
    ("States.ArrayGetItem", 2, Some(2)),
    ("States.ArrayLength", 1, Some(1)),
    ("States.ArrayUnique", 1, Some(1)),
    ("States.Base64Encode", 1, Some(1)),
    ("States.Base64Decode", 1, Some(1)),
    ("States.Hash", 2, Some(2)),
    ("States.JsonMerge", 3, Some(3)),
    ("States.MathRandom", 2, Some(3)),
    ("States.MathAdd", 2, Some(2)),
    ("States.StringSplit", 2, Some(2)),
    ("States.UUID", 0, Some(0)),
];

/// AWS documents that at most 10 intrinsic functions can be nested in one field.
pub const AWS_MAX_NESTING: usize = 10;

/// One argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A string literal, escapes already decoded.
    Str(String),
    Number(Number),
    Bool(bool),
    Null,
    Path(Path),
    Call(Box<Call>),
}

/// A piece of a `States.Format` template: literal text or a `{}` placeholder.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Piece {
    Text(String),
    Hole,
}

/// A parsed intrinsic call. Parse once with [`parse_intrinsic`], evaluate many times with [`Call::eval`].
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// Full name, e.g. `States.Format`.
    pub name: String,
    pub args: Vec<Arg>,
    /// Byte offset of the call in the parsed text.
    pub offset: usize,
    /// The call's source text.
    pub text: String,
    /// For a string literal argument 0: the template split at unescaped `{}` (escaped braces are literal).
    pub(crate) template: Option<Vec<Piece>>,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Registry entry of a function name.
pub fn lookup(name: &str) -> Option<(usize, Option<usize>)> {
    FUNCTIONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, lo, hi)| (*lo, *hi))
}

fn arity_text(lo: usize, hi: Option<usize>) -> String {
    match hi {
        None if lo == 0 => "any number of arguments".into(),
        None => format!("at least {lo} argument{}", if lo == 1 { "" } else { "s" }),
        Some(h) if h == lo => format!("exactly {lo} argument{}", if lo == 1 { "" } else { "s" }),
        Some(h) => format!("{lo} to {h} arguments"),
    }
}

impl Call {
    /// Evaluates the call: paths select from `data` (`$`) or `context` (`$$`); `rng` feeds MathRandom/UUID.
    pub fn eval(&self, data: &Value, context: &Value, rng: &mut Rng) -> Result<Value, ExprError> {
        self.eval_with(data, context, &NoVariables, rng)
    }

    /// [`Call::eval`] with workflow variables: `$name…` arguments select from the variable `name`.
    pub fn eval_with(
        &self,
        data: &Value,
        context: &Value,
        vars: &dyn Variables,
        rng: &mut Rng,
    ) -> Result<Value, ExprError> {
        let (lo, hi) = lookup(&self.name).ok_or_else(|| {
            ExprError::intrinsic(format!(
                "The function '{}' is not a supported intrinsic function",
                self.name
            ))
        })?;
        let n = self.args.len();
        if n < lo || hi.is_some_and(|h| n > h) {
            return Err(ExprError::intrinsic(format!(
                "{} takes {} but {n} were given",
                self.name,
                arity_text(lo, hi)
            )));
        }
        let mut args = Vec::with_capacity(n);
        for a in &self.args {
            args.push(match a {
                Arg::Str(s) => Value::String(s.clone()),
                Arg::Number(x) => Value::Number(x.clone()),
                Arg::Bool(b) => Value::Bool(*b),
                Arg::Null => Value::Null,
                Arg::Path(p) => p.select_with(data, context, vars)?,
                Arg::Call(c) => c.eval_with(data, context, vars, rng)?,
            });
        }
        let f = Fx { call: self };
        match self.name.as_str() {
            "States.Format" => string::format(&f, &args),
            "States.StringToJson" => string::string_to_json(&f, &args),
            "States.JsonToString" => string::json_to_string(&f, &args),
            "States.StringSplit" => string::string_split(&f, &args),
            "States.JsonMerge" => string::json_merge(&f, &args),
            "States.Array" => Ok(Value::Array(args)),
            "States.ArrayPartition" => array::partition(&f, &args),
            "States.ArrayContains" => array::contains(&f, &args),
            "States.ArrayRange" => array::range(&f, &args),
            "States.ArrayGetItem" => array::get_item(&f, &args),
            "States.ArrayLength" => array::length(&f, &args),
            "States.ArrayUnique" => array::unique(&f, &args),
            "States.Base64Encode" => encoding::base64_encode(&f, &args),
            "States.Base64Decode" => encoding::base64_decode(&f, &args),
            "States.Hash" => encoding::hash(&f, &args),
            "States.MathAdd" => math::add(&f, &args),
            "States.MathRandom" => math::random(&f, &args, rng),
            "States.UUID" => Ok(Value::String(rng.uuid_v4())),
            _ => Err(f.fail("is not a supported intrinsic function")),
        }
    }

    /// Static checks for the validator: known names, arity, literal argument types, nesting depth.
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.check_into(&mut out, 1);
        out
    }

    fn check_into(&self, out: &mut Vec<String>, level: usize) {
        if level == AWS_MAX_NESTING + 1 {
            out.push(format!(
                "intrinsic functions can be nested at most {AWS_MAX_NESTING} levels deep"
            ));
        }
        match lookup(&self.name) {
            None => out.push(format!("unknown intrinsic function '{}'", self.name)),
            Some((lo, hi)) => {
                let n = self.args.len();
                if n < lo || hi.is_some_and(|h| n > h) {
                    out.push(format!(
                        "{} takes {} but {n} were given",
                        self.name,
                        arity_text(lo, hi)
                    ));
                } else {
                    self.check_literals(out);
                }
            }
        }
        for a in &self.args {
            if let Arg::Call(c) = a {
                c.check_into(out, level + 1);
            }
        }
    }

    fn check_literals(&self, out: &mut Vec<String>) {
        let name = self.name.as_str();
        let lit = |i: usize| -> Option<Value> {
            match self.args.get(i)? {
                Arg::Str(s) => Some(Value::String(s.clone())),
                Arg::Number(n) => Some(Value::Number(n.clone())),
                Arg::Bool(b) => Some(Value::Bool(*b)),
                Arg::Null => Some(Value::Null),
                _ => None,
            }
        };
        let mut want = |i: usize, ok: fn(&Value) -> bool, what: &str| {
            if let Some(v) = lit(i)
                && !ok(&v)
            {
                out.push(format!(
                    "{name}: the {} argument must be {what}",
                    ordinal(i)
                ));
            }
        };
        let is_str: fn(&Value) -> bool = |v| v.is_string();
        let is_int: fn(&Value) -> bool = |v| as_int(v).is_some();
        let is_num: fn(&Value) -> bool = |v| v.is_number();
        match name {
            "States.Format" => want(0, is_str, "a string"),
            "States.StringToJson" | "States.Base64Encode" | "States.Base64Decode" => {
                want(0, is_str, "a string")
            }
            "States.StringSplit" => {
                want(0, is_str, "a string");
                want(1, is_str, "a string");
            }
            "States.ArrayPartition" => {
                want(0, |_| false, "an array");
                want(
                    1,
                    |v| as_rounded_int(v).is_some_and(|i| i > 0),
                    "a number that rounds to a positive integer",
                );
            }
            "States.ArrayContains" | "States.ArrayLength" | "States.ArrayUnique" => {
                want(0, |_| false, "an array")
            }
            "States.ArrayGetItem" => {
                want(0, |_| false, "an array");
                want(
                    1,
                    |v| as_int(v).is_some_and(|i| i >= 0),
                    "a non-negative integer",
                );
            }
            "States.ArrayRange" => {
                want(0, is_num, "a number");
                want(1, is_num, "a number");
                want(
                    2,
                    |v| as_rounded_int(v).is_some_and(|i| i != 0),
                    "a number that does not round to 0",
                );
            }
            "States.Hash" => want(
                1,
                |v| {
                    v.as_str()
                        .is_some_and(|s| encoding::ALGORITHMS.contains(&s))
                },
                "one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
            ),
            "States.JsonMerge" => {
                want(0, |_| false, "an object");
                want(1, |_| false, "an object");
                want(
                    2,
                    |v| *v == Value::Bool(false),
                    "false (only shallow merge is supported)",
                );
            }
            "States.MathAdd" => {
                want(0, is_num, "a number");
                want(1, is_num, "a number");
            }
            "States.MathRandom" => {
                want(0, is_num, "a number");
                want(1, is_num, "a number");
                want(2, is_int, "an integer");
            }
            _ => {}
        }
        if name == "States.Format"
            && let Some(pieces) = &self.template
        {
            let holes = pieces.iter().filter(|p| **p == Piece::Hole).count();
            if holes != self.args.len() - 1 {
                out.push(format!(
                    "States.Format: the template has {holes} placeholder(s) but {} argument(s) follow it",
                    self.args.len() - 1
                ));
            }
        }
    }
}

pub(crate) fn ordinal(i: usize) -> &'static str {
    ["first", "second", "third", "fourth", "fifth"]
        .get(i)
        .copied()
        .unwrap_or("next")
}

/// An integer-valued number (`3` or `3.0`) as i64.
pub(crate) fn as_int(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    (f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64).then_some(f as i64)
}

/// Java `Math.round`: the nearest integer, halves rounding up (towards positive infinity), as AWS rounds
/// (recorded: `States.MathAdd(-2.5, 0)` is -2, `States.MathAdd(2.5, 0)` is 3).
pub(crate) fn java_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// A numeric argument that AWS rounds to the nearest integer when it is not one ([`java_round`]); `None` for
/// a non-number or one outside the `i64` range.
pub(crate) fn as_rounded_int(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let r = java_round(n.as_f64()?);
    (r.is_finite() && r >= i64::MIN as f64 && r < i64::MAX as f64).then_some(r as i64)
}

/// Evaluation helper shared by the function families: error construction and argument accessors.
pub(crate) struct Fx<'a> {
    pub call: &'a Call,
}

impl Fx<'_> {
    pub fn fail(&self, detail: impl fmt::Display) -> ExprError {
        ExprError::intrinsic(format!(
            "Invalid arguments in {}: {} (in '{}')",
            self.call.name, detail, self.call.text
        ))
    }

    pub fn type_fail(&self, i: usize, what: &str, got: &Value) -> ExprError {
        self.fail(format!(
            "the {} argument must be {what}, but was {}",
            ordinal(i),
            super::json_text::json_to_string(got).unwrap_or_default()
        ))
    }

    pub fn string<'v>(&self, args: &'v [Value], i: usize) -> Result<&'v str, ExprError> {
        match args.get(i) {
            Some(Value::String(s)) => Ok(s),
            Some(v) => Err(self.type_fail(i, "a string", v)),
            None => Err(self.fail(format!("the {} argument is missing", ordinal(i)))),
        }
    }

    pub fn array<'v>(&self, args: &'v [Value], i: usize) -> Result<&'v Vec<Value>, ExprError> {
        match args.get(i) {
            Some(Value::Array(a)) => Ok(a),
            Some(v) => Err(self.type_fail(i, "an array", v)),
            None => Err(self.fail(format!("the {} argument is missing", ordinal(i)))),
        }
    }

    pub fn int(&self, args: &[Value], i: usize) -> Result<i64, ExprError> {
        match args.get(i) {
            Some(v) => as_int(v).ok_or_else(|| self.type_fail(i, "an integer", v)),
            None => Err(self.fail(format!("the {} argument is missing", ordinal(i)))),
        }
    }

    /// A number argument the developer guide says is rounded to the nearest integer when it is not one
    /// (`States.ArrayRange`'s three, `States.ArrayPartition`'s chunk size, `States.MathRandom`'s start and
    /// end, `States.MathAdd`'s two): see [`as_rounded_int`].
    pub fn rounded_int(&self, args: &[Value], i: usize) -> Result<i64, ExprError> {
        match args.get(i) {
            Some(v) => as_rounded_int(v).ok_or_else(|| self.type_fail(i, "a number", v)),
            None => Err(self.fail(format!("the {} argument is missing", ordinal(i)))),
        }
    }
}
