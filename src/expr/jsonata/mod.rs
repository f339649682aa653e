//! JSONata, the second query language of AWS Step Functions: parsed once, evaluated many times.
//!
//! The engine (the `jsonata-core` crate) is hidden behind this module: nothing of its types leaks out, so
//! it can be swapped. Values cross the boundary as `serde_json::Value`.
//!
//! ```
//! use statewright::expr::Rng;
//! use statewright::expr::jsonata::{Bindings, Jsonata, Limits, States};
//! use serde_json::json;
//!
//! let expr = Jsonata::parse("$states.input.n + $step").unwrap(); // parse once, keep it (Send + Sync)
//! let (input, context, step) = (json!({"n": 41}), json!({}), json!(1));
//! let mut b = Bindings::new();
//! b.states(States { input: &input, context: &context, result: None, error_output: None });
//! b.var("step", &step); // a workflow variable (`Assign`)
//! let out = expr.eval(&b, &Limits::default(), &mut Rng::new(7)).unwrap();
//! assert_eq!(out, Some(json!(42))); // `None` is JSONata's `undefined`
//! ```
//!
//! - [`Jsonata::parse`] / [`Jsonata::eval`]: syntax errors carry the JSONata code (`S0202`) and the char
//!   offset in the expression; evaluation errors carry the code (`T2002`) and jsonata-js's wording where
//!   known. Every evaluation is bounded by [`Limits`] (time, depth, sequence and string size) and a panic
//!   in the engine becomes an error: never a hang, an abort or a panic.
//! - AWS's functions `$partition`, `$range`, `$hash`, `$random([seed])`, `$uuid()`, `$parse` are defined;
//!   `$eval` is refused as AWS refuses it. Randomness comes only from the caller's [`Rng`].
//! - [`query_evaluation_cause`]: the `Cause` text of AWS's `States.QueryEvaluationError` for a failure.
//! - [`js_number_text`] / [`js_json_text`]: numbers and JSON written as JavaScript writes them.

mod aws;
mod convert;
mod error;
mod fast;
mod guard;
mod messages;

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{CancelToken, Context, Evaluator, EvaluatorOptions};
use jsonata_core::value::JValue;
use serde_json::Value;

use crate::expr::Rng;

pub use convert::{MAX_NESTING, js_json_text, js_number_text};
pub use error::{ErrorKind, JsonataError, QueryFailure, aws_type_name, query_evaluation_cause};

/// A parsed JSONata expression. Cheap to clone (the parsed form is shared) and `Send + Sync`: parse each
/// expression once per run and keep it.
#[derive(Clone, Debug)]
pub struct Jsonata {
    source: Arc<str>,
    ast: Arc<AstNode>,
    /// Every name written after a `$` in the source (a superset of the variables and functions the
    /// expression can reach; `$eval` is refused, so no name can be built at run time). Only these
    /// bindings are converted and bound at evaluation.
    names: Arc<HashSet<String>>,
    /// The fields of `$states` the expression reads, when it reads `$states` only as `$states.<field>`
    /// (`None`: it uses `$states` otherwise, so all of it is bound).
    states_fields: Option<Arc<HashSet<String>>>,
    /// Whether the AST calls the guard functions (see `guard`), which must then be registered.
    guarded: bool,
    /// The expression's simple form, evaluated without the engine where it can be (see `fast`).
    simple: Option<Arc<fast::Simple>>,
}

/// The value of `$states` in a JSONata state: `input`, `context`, and (where the field may read them)
/// `result` and `errorOutput`.
#[derive(Clone, Copy, Debug)]
pub struct States<'a> {
    pub input: &'a Value,
    pub context: &'a Value,
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
}

/// The variables an evaluation sees: `$states` and the workflow's variables, borrowed (converted to the
/// engine's values only if the expression mentions them). Optionally a context value `$` (AWS gives
/// JSONata fields none: `$` is undefined there).
#[derive(Clone, Debug, Default)]
pub struct Bindings<'a> {
    states: Option<States<'a>>,
    vars: Vec<(&'a str, &'a Value)>,
    context_value: Option<&'a Value>,
    clock_millis: Option<i64>,
}

impl<'a> Bindings<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `$states`.
    pub fn states(&mut self, states: States<'a>) -> &mut Self {
        self.states = Some(states);
        self
    }

    /// Binds `$name` (without the `$`). A later binding of the same name wins.
    pub fn var(&mut self, name: &'a str, value: &'a Value) -> &mut Self {
        self.vars.push((name, value));
        self
    }

    /// Sets the context value `$` (and `$$`) of the evaluation.
    pub fn context_value(&mut self, value: &'a Value) -> &mut Self {
        self.context_value = Some(value);
        self
    }

    /// Fixes the instant `$now()` and `$millis()` return (milliseconds since the Unix epoch), e.g. the
    /// simulator's clock, so runs are reproducible. Without it they read the system clock.
    pub fn clock(&mut self, epoch_millis: i64) -> &mut Self {
        self.clock_millis = Some(epoch_millis);
        self
    }
}

/// A handle that stops running evaluations from any thread (they fail with code `U1003`).
#[derive(Clone, Debug, Default)]
pub struct Cancel(CancelToken);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
}

/// Bounds of one evaluation. Exceeding one is an error, never a hang or an abort.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Wall-clock time (code `D1012`).
    pub timeout: Option<Duration>,
    /// Evaluation stack depth (code `D1011`); `None` keeps the engine's own backstop (30,000 levels,
    /// about 10,000 nested calls, code `U1001`).
    pub max_depth: Option<usize>,
    /// Length of any sequence the evaluation builds (code `D2015`).
    pub max_sequence: usize,
    /// Length in characters of any string the evaluation builds (`&`, `$pad`, `$join`, `$string`), and
    /// the size of the result (string characters plus one per value).
    pub max_string_chars: usize,
    pub cancel: Option<Cancel>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Some(Duration::from_secs(10)),
            max_depth: None,
            max_sequence: 10_000_000,
            max_string_chars: 1 << 24,
            cancel: None,
        }
    }
}

impl Jsonata {
    /// Parses `src` (the text between `{%` and `%}`). A syntax error carries the JSONata code and the
    /// char offset of the offending token.
    pub fn parse(src: &str) -> Result<Jsonata, JsonataError> {
        let parsed = catch_unwind(|| jsonata_core::parser::parse(src));
        let ast = match parsed {
            Ok(Ok(ast)) => ast,
            Ok(Err(e)) => return Err(error::syntax_error(src, &e)),
            Err(panic) => return Err(error::panic_error(panic)),
        };
        let names = dollar_names(src);
        let hardened = guard::harden(&ast, src, &names)?;
        let states_fields = states_fields(src);
        // From the AST as written: a simple form calls no function, so the only guard it can hold is
        // the one on `&`, whose limit the shortcut checks itself.
        let simple = fast::Simple::of(&ast, &names, states_fields.as_ref()).map(Arc::new);
        Ok(Jsonata {
            source: Arc::from(src),
            guarded: hardened.is_some(),
            ast: Arc::new(hardened.unwrap_or(ast)),
            states_fields: states_fields.map(Arc::new),
            names: Arc::new(names),
            simple,
        })
    }

    /// The expression text as given to [`Jsonata::parse`].
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the expression mentions `$name` (a variable or a function), e.g. to tell which workflow
    /// variables it may read. A superset: a name inside a string literal counts too.
    pub fn mentions(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// Whether the expression has a simple form the engine can be skipped for (see `fast`).
    #[cfg(test)]
    fn is_simple(&self) -> bool {
        self.simple.is_some()
    }

    /// Evaluates the expression. `Ok(None)` is JSONata's `undefined` (no value). `rng` is the only source
    /// of randomness (`$random()`, `$uuid()`); it advances as they draw from it.
    pub fn eval(
        &self,
        bindings: &Bindings,
        limits: &Limits,
        rng: &mut Rng,
    ) -> Result<Option<Value>, JsonataError> {
        if let Some(done) = self.simple.as_ref().and_then(|s| s.eval(bindings, limits)) {
            return done;
        }
        let shared_rng = std::rc::Rc::new(std::cell::RefCell::new(rng.clone()));
        let result = catch_unwind(AssertUnwindSafe(|| {
            self.eval_inner(bindings, limits, &shared_rng)
        }));
        *rng = shared_rng.borrow().clone();
        match result {
            Ok(r) => r,
            Err(panic) => Err(error::panic_error(panic)),
        }
    }

    fn eval_inner(
        &self,
        bindings: &Bindings,
        limits: &Limits,
        rng: &std::rc::Rc<std::cell::RefCell<Rng>>,
    ) -> Result<Option<Value>, JsonataError> {
        let mut ctx = Context::new();
        if let Some(states) = &bindings.states
            && self.names.contains("states")
        {
            ctx.bind(
                "states".into(),
                states_value(states, self.states_fields.as_deref())?,
            );
        }
        for (name, value) in &bindings.vars {
            if self.names.contains(*name) {
                ctx.bind((*name).to_string(), convert::to_jvalue(value, 0)?);
            }
        }
        let options = EvaluatorOptions {
            timeout_ms: limits
                .timeout
                .map(|t| t.as_millis().min(u64::MAX as u128) as u64),
            cancel: limits.cancel.as_ref().map(|c| c.0.clone()),
            max_stack_depth: limits.max_depth,
            max_sequence_length: Some(limits.max_sequence),
        };
        let mut ev = Evaluator::with_options(ctx, options);
        aws::register(&mut ev, &self.names, limits, rng)?;
        if self.guarded {
            guard::register(&mut ev, limits)?;
        }
        if let Some(millis) = bindings.clock_millis {
            guard::fix_clock(&mut ev, &self.names, millis)?;
        }
        let data = match bindings.context_value {
            Some(v) => convert::to_jvalue(v, 0)?,
            None => JValue::Undefined,
        };
        let out = ev
            .evaluate(&self.ast, &data)
            .map_err(|e| error::eval_error(&e))?;
        convert::from_jvalue(&out, limits.max_string_chars)
    }
}

/// `$states` as an engine value; with `fields`, only those of its fields (the others cannot be read).
fn states_value(states: &States, fields: Option<&HashSet<String>>) -> Result<JValue, JsonataError> {
    let wanted = |f: &str| fields.is_none_or(|set| set.contains(f));
    let mut map = indexmap::IndexMap::with_capacity(4);
    let parts = [
        ("input", Some(states.input)),
        ("result", states.result),
        ("errorOutput", states.error_output),
        ("context", Some(states.context)),
    ];
    for (name, value) in parts {
        if let Some(value) = value
            && wanted(name)
        {
            map.insert(name.to_string(), convert::to_jvalue(value, 1)?);
        }
    }
    Ok(JValue::object(map))
}

/// The names `x` of every `$states.x` in `src`, or `None` when `$states` also appears otherwise (alone,
/// `$states.*`, `$states[...]`, `$states.(...)`), so that only these fields need binding.
fn states_fields(src: &str) -> Option<HashSet<String>> {
    let mut fields = HashSet::new();
    for (i, _) in src.match_indices("$states") {
        let rest = &src[i + "$states".len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `$statesX`: another name
        }
        let field: String = rest
            .strip_prefix('.')?
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if field.is_empty() {
            return None;
        }
        fields.insert(field);
    }
    Some(fields)
}

/// Every run of name characters directly after a `$` in `src`.
fn dollar_names(src: &str) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() || d == '_' {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        if end > start {
            names.insert(src[start..end].to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests;
