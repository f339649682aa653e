//! Payload templates (Parameters, ResultSelector, ItemSelector): keys ending in `.$` take a path (relative to
//! the data, or `$$` for the context object) or an intrinsic call; the suffix is removed from the output key.
//! Objects and arrays are walked (objects inside arrays are templates too).

use serde_json::{Map, Value};

use super::intrinsic::{Call, parse_intrinsic};
use super::path::Path;
use super::{ExprError, NoVariables, Rng, Variables, json_text};

/// Templates nested deeper than this are refused (no unbounded recursion).
pub const MAX_TEMPLATE_DEPTH: usize = 512;

/// A compiled payload template: compile once, [`Template::resolve`] many times.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    node: Node,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Literal(Value),
    Array(Vec<Node>),
    Object(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
struct Entry {
    /// The output key (`.$` removed).
    key: String,
    /// The key as written.
    field: String,
    value: Dynamic,
}

#[derive(Clone, Debug, PartialEq)]
enum Dynamic {
    Static(Node),
    Path(Path),
    Call(Call),
}

fn bad_field(field: &str) -> String {
    format!(
        "The value for the field '{field}' must be a valid JSONPath or a valid intrinsic function call"
    )
}

/// Escapes one RFC 6901 reference token.
fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

impl Template {
    /// Compiles a template; the error is the first problem [`check_template`] would report.
    pub fn compile(template: &Value) -> Result<Template, ExprError> {
        let mut problems = Vec::new();
        let node = compile(template, "", 0, false, &mut problems);
        match problems.into_iter().next() {
            Some((_, message)) => Err(ExprError::runtime(message)),
            None => Ok(Template { node }),
        }
    }

    /// Resolves the template against `data` (`$`) and `context` (`$$`). A path that selects nothing fails
    /// with `States.ParameterPathFailure`; intrinsic failures keep their own error.
    pub fn resolve(
        &self,
        data: &Value,
        context: &Value,
        rng: &mut Rng,
    ) -> Result<Value, ExprError> {
        self.resolve_with(data, context, &NoVariables, rng)
    }

    /// [`Template::resolve`] with workflow variables: `$name…` paths and intrinsic arguments select from
    /// the variable `name`.
    pub fn resolve_with(
        &self,
        data: &Value,
        context: &Value,
        vars: &dyn Variables,
        rng: &mut Rng,
    ) -> Result<Value, ExprError> {
        let mut r = Roots {
            data,
            context,
            vars,
            rng,
        };
        resolve(&self.node, &mut r)
    }
}

/// `lint`: also report the intrinsic static checks (unknown function, arity, literal types); without it only
/// what makes the template impossible to evaluate is a problem (runtime then reports the rest as AWS does).
fn compile(
    v: &Value,
    ptr: &str,
    depth: usize,
    lint: bool,
    problems: &mut Vec<(String, String)>,
) -> Node {
    if depth > MAX_TEMPLATE_DEPTH {
        problems.push((
            ptr.to_string(),
            "the payload template is nested too deeply".into(),
        ));
        return Node::Literal(Value::Null);
    }
    match v {
        Value::Array(a) => Node::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| compile(x, &format!("{ptr}/{i}"), depth + 1, lint, problems))
                .collect(),
        ),
        Value::Object(m) => {
            let mut entries = Vec::with_capacity(m.len());
            let mut seen = std::collections::HashSet::new();
            for (field, x) in m {
                let here = format!("{ptr}/{}", pointer_token(field));
                let (key, value) = match field.strip_suffix(".$") {
                    Some(key) => (
                        key.to_string(),
                        compile_dynamic(field, x, &here, lint, problems),
                    ),
                    None => (
                        field.clone(),
                        Dynamic::Static(compile(x, &here, depth + 1, lint, problems)),
                    ),
                };
                if !seen.insert(key.clone()) && lint {
                    problems.push((
                        here.clone(),
                        format!("the field '{key}' appears more than once (with and without '.$')"),
                    ));
                }
                entries.push(Entry {
                    key,
                    field: field.clone(),
                    value,
                });
            }
            Node::Object(entries)
        }
        other => Node::Literal(other.clone()),
    }
}

fn compile_dynamic(
    field: &str,
    x: &Value,
    here: &str,
    lint: bool,
    problems: &mut Vec<(String, String)>,
) -> Dynamic {
    let fallback = Dynamic::Static(Node::Literal(Value::Null));
    let Some(text) = x.as_str() else {
        problems.push((here.to_string(), bad_field(field)));
        return fallback;
    };
    let t = text.trim_start();
    if t.starts_with('$') {
        match Path::parse(text) {
            Ok(p) => Dynamic::Path(p),
            Err(e) => {
                problems.push((
                    here.to_string(),
                    format!(
                        "{} ({} at offset {})",
                        bad_field(field),
                        e.message,
                        e.offset
                    ),
                ));
                fallback
            }
        }
    } else if t.starts_with("States.") {
        if lint && t.len() != text.len() {
            problems.push((
                here.to_string(),
                format!("{}: {text:?} is not a JSONPath or intrinsic function expression (it starts with whitespace)", bad_field(field)),
            ));
        }
        match parse_intrinsic(text) {
            Ok(c) => {
                if lint {
                    for m in c.check() {
                        problems.push((here.to_string(), m));
                    }
                }
                Dynamic::Call(c)
            }
            Err(e) => {
                problems.push((
                    here.to_string(),
                    format!(
                        "{} ({} at offset {})",
                        bad_field(field),
                        e.message,
                        e.offset
                    ),
                ));
                fallback
            }
        }
    } else {
        problems.push((here.to_string(), bad_field(field)));
        fallback
    }
}

/// What a template's expressions read, and the RNG they draw from.
struct Roots<'a> {
    data: &'a Value,
    context: &'a Value,
    vars: &'a dyn Variables,
    rng: &'a mut Rng,
}

fn resolve(n: &Node, r: &mut Roots) -> Result<Value, ExprError> {
    Ok(match n {
        Node::Literal(v) => v.clone(),
        Node::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| resolve(x, r))
                .collect::<Result<_, _>>()?,
        ),
        Node::Object(entries) => {
            let mut out = Map::with_capacity(entries.len());
            for e in entries {
                let v = match &e.value {
                    Dynamic::Static(x) => resolve(x, r)?,
                    Dynamic::Path(p) => {
                        p.select_with(r.data, r.context, r.vars).map_err(|err| {
                            if let Some(name) = p.variable() {
                                return match r.vars.variable(name) {
                                    // An undefined variable: the path's own message says so.
                                    None => err,
                                    Some(value) => path_failure(p, &e.field, value),
                                };
                            }
                            path_failure(
                                p,
                                &e.field,
                                if p.is_context() { r.context } else { r.data },
                            )
                        })?
                    }
                    Dynamic::Call(c) => c.eval_with(r.data, r.context, r.vars, r.rng)?,
                };
                out.insert(e.key.clone(), v);
            }
            Value::Object(out)
        }
    })
}

/// `States.ParameterPathFailure`: `p` (written for `field`) selects nothing in `input`.
fn path_failure(p: &Path, field: &str, input: &Value) -> ExprError {
    ExprError::new(
        "States.ParameterPathFailure",
        format!(
            "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
            p,
            field,
            json_text::json_to_string(input).unwrap_or_default()
        ),
    )
}

/// Payload-template semantics on an uncompiled template (compiles, then resolves).
pub fn resolve_template(
    template: &Value,
    data: &Value,
    context: &Value,
    rng: &mut Rng,
) -> Result<Value, ExprError> {
    Template::compile(template)?.resolve(data, context, rng)
}

/// Static problems of a template for the validator: `(JSON pointer of the offending key, message)` for
/// non-string `.$` values, bad path or intrinsic syntax, unknown functions and wrong arity, duplicate keys.
pub fn check_template(template: &Value) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    compile(template, "", 0, true, &mut problems);
    problems
}
