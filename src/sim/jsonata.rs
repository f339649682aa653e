//! JSONata mode: `Arguments`, `Output`, `Assign`, Choice `Condition`, Map `Items`/`ItemSelector`, Wait
//! `Seconds`/`Timestamp`, Fail `Error`/`Cause`, Catch `Output`/`Assign` and the numeric fields written as
//! `{% … %}` expressions, with `$states.input`, `$states.result`, `$states.errorOutput`, `$states.context` and
//! the workflow variables bound.
//!
//! Every JSONata field of the machine is compiled once, before the run ([`Compiled::prepare`]): a field the
//! simulator does not understand, a field of the other query language, or an expression that does not parse
//! refuses the run before it starts. A template (`{"a": "{% … %}", "b": [1, "{% … %}"]}`) is compiled into a
//! tree whose literal parts are kept as values.
//!
//! The AWS developer guide ("Transforming data with JSONata in Step Functions") is the authority for what each
//! field sees and the default output: a state's output is its `Output`, else its result (Task, Parallel, Map),
//! else its input; a catcher's is its `Output`, else the error output. `Assign` and `Output` are evaluated
//! with the variables as the state entered (its own assignments take effect when it is done).

use super::context::{Ctx, Need};
use super::executor::{Done, Exec, Scope, StateRun, next_of};
use super::failure::Failure;
use super::io_pipeline::At;
use super::paths::FastMap;
use super::vars::Assignments;
use crate::asl::{ChoiceRule, NumberOrExpr, State, StateMachine, StateType};
use crate::expr::Rng;
use crate::expr::jsonata::{
    Bindings, Jsonata, Limits, QueryFailure, States, query_evaluation_cause,
};
use crate::json::{JStr, Json};
use crate::trace::{ChoiceDecision, Data, Stages};
use crate::validate::{JSONATA_ONLY, JSONPATH_ONLY};
use serde_json::{Map, Value};
use std::rc::Rc;
use std::sync::Arc;

/// The error AWS raises for a JSONata expression that fails or returns what the field cannot take.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// A compiled JSONata-mode field: a literal, an expression, or an object/array holding some.
#[derive(Debug)]
pub(crate) enum Node {
    Lit(Value),
    /// The expression, how much of the context object (`$states.context`) its text may read, and the field's
    /// path as AWS names it in a cause (`Output/a/0`).
    Expr(Jsonata, Need, Box<str>),
    Obj(Vec<(String, Node)>),
    Arr(Vec<Node>),
}

/// The text of a `{% … %}` string, trimmed; `None` for any other string.
pub fn expression_text(s: &str) -> Option<&str> {
    s.strip_prefix("{%")?.strip_suffix("%}").map(str::trim)
}

impl Node {
    /// Compiles a JSON value; `field` names it in the error (`Output/a/0`).
    fn compile(v: &Value, field: &str) -> Result<Node, String> {
        Ok(match v {
            Value::String(s) => match expression_text(s) {
                Some(text) => Node::Expr(
                    Jsonata::parse(text).map_err(|e| {
                        format!(
                            "the JSONata expression '{text}' of the field '{field}' is invalid: {e}"
                        )
                    })?,
                    super::paths::context_need(&text.replace("$states.context", "$$")),
                    field.into(),
                ),
                None => Node::Lit(v.clone()),
            },
            Value::Object(m) => {
                let members = m
                    .iter()
                    .map(|(k, x)| Ok((k.clone(), Node::compile(x, &format!("{field}/{k}"))?)))
                    .collect::<Result<Vec<_>, String>>()?;
                if members.iter().all(|(_, n)| matches!(n, Node::Lit(_))) {
                    Node::Lit(v.clone())
                } else {
                    Node::Obj(members)
                }
            }
            Value::Array(items) => {
                let nodes = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| Node::compile(x, &format!("{field}/{i}")))
                    .collect::<Result<Vec<_>, String>>()?;
                if nodes.iter().all(|n| matches!(n, Node::Lit(_))) {
                    Node::Lit(v.clone())
                } else {
                    Node::Arr(nodes)
                }
            }
            _ => Node::Lit(v.clone()),
        })
    }
}

/// The compiled JSONata fields of a machine, by the address of the field's node in the machine (which the run
/// borrows unchanged), and the evaluation limits.
#[derive(Default)]
pub(crate) struct Compiled {
    nodes: FastMap<usize, Rc<Node>>,
    limits: Limits,
}

fn key<T>(t: &T) -> usize {
    std::ptr::from_ref(t) as usize
}

/// Fields a JSONata state may not have beyond the validator's JSONPath-only list ([`JSONPATH_ONLY`]): the
/// simulator also refuses a Pass's `Result` and a Map's legacy `Iterator` there.
const JSONPATH_ONLY_TOO: &[&str] = &["Result", "Iterator"];

impl Compiled {
    /// Checks and compiles every JSONata field of `machine` (whose states default to `jsonata` mode). Refuses
    /// what the simulator does not implement, with the state's name.
    pub fn prepare(&mut self, machine: &StateMachine, jsonata: bool) -> Result<(), String> {
        let jsonata = ql_is_jsonata(machine.query_language.as_ref(), jsonata)?;
        for n in machine.states() {
            let (name, s) = (n.name.as_str(), &n.state);
            self.prepare_state(s, jsonata)
                .map_err(|m| format!("State '{name}': {m}"))?;
            for b in s.branches.iter().flatten() {
                self.prepare(b, jsonata)?;
            }
            if let Some(p) = s.processor() {
                self.prepare(p, jsonata)?;
            }
        }
        Ok(())
    }

    pub(crate) fn prepare_state(&mut self, s: &State, default: bool) -> Result<(), String> {
        let jsonata = ql_is_jsonata(s.query_language.as_ref(), default)?;
        let ty = s.state_type();
        if let Some(v) = s.as_non_object() {
            return Err(format!(
                "a state must be a JSON object, not {} (a field misplaced into \"States\"?)",
                v.to_serde()
            ));
        }
        let Some(ty) = ty else {
            return Err(format!(
                "the state has no valid \"Type\" ({})",
                s.type_
                    .as_ref()
                    .map_or("none".into(), |t| format!("\"{}\"", t.as_str()))
            ));
        };
        if let Some(extra) = s.extra.first() {
            return Err(format!(
                "the field '{}' is not a field of a {} state (the simulator does not run it)",
                extra.key.as_str(),
                ty.name()
            ));
        }
        let present = |f: &str| s.field_json(f).is_some();
        if !jsonata {
            if let Some(f) = JSONATA_ONLY.iter().find(|f| present(f)) {
                return Err(format!(
                    "the field '{f}' is JSONata-only, but the state uses JSONPath (set \"QueryLanguage\": \"JSONata\")"
                ));
            }
            for r in s.choices.iter().flatten() {
                check_jsonpath_rule(r)?;
            }
            for c in s.catch.iter().flatten() {
                if c.output.is_some() {
                    return Err(
                        "a catcher's 'Output' is JSONata-only, but the state uses JSONPath".into(),
                    );
                }
            }
            return Ok(());
        }
        if let Some(f) = JSONPATH_ONLY
            .iter()
            .chain(JSONPATH_ONLY_TOO)
            .find(|f| present(f))
        {
            // ItemsPath/Iterator appear in JSONata Maps only as errors too; Result is JSONPath-only in Pass.
            return Err(format!(
                "the field '{f}' is JSONPath-only, but the state uses JSONata"
            ));
        }
        for (t, field) in [
            (s.arguments.as_ref(), "Arguments"),
            (s.output.as_ref(), "Output"),
            (s.items.as_ref(), "Items"),
            (s.item_selector.as_ref(), "ItemSelector"),
        ] {
            if let Some(t) = t {
                self.compile_json(t, field)?;
            }
        }
        if let Some(a) = &s.assign {
            self.compile_assign(a)?;
        }
        for (f, field) in [
            (s.seconds.as_ref(), "Seconds"),
            (s.timeout_seconds.as_ref(), "TimeoutSeconds"),
            (s.heartbeat_seconds.as_ref(), "HeartbeatSeconds"),
            (s.max_concurrency.as_ref(), "MaxConcurrency"),
            (s.tolerated_failure_count.as_ref(), "ToleratedFailureCount"),
            (
                s.tolerated_failure_percentage.as_ref(),
                "ToleratedFailurePercentage",
            ),
        ] {
            if let Some(NumberOrExpr::Expr(e)) = f {
                self.compile_expr_str(e, field, true)?;
            }
        }
        for (f, field) in [
            (s.timestamp.as_ref(), "Timestamp"),
            (s.error.as_ref(), "Error"),
            (s.cause.as_ref(), "Cause"),
        ] {
            if let Some(e) = f {
                self.compile_expr_str(e, field, false)?;
            }
        }
        for r in s.choices.iter().flatten() {
            let Some(c) = &r.condition else {
                return Err("a Choice rule of a JSONata state needs a 'Condition' (and no 'Variable' or comparison)".into());
            };
            if r.variable.is_some()
                || !r.operators().is_empty()
                || r.and.is_some()
                || r.or.is_some()
                || r.not.is_some()
            {
                return Err("a Choice rule of a JSONata state takes a 'Condition' only, no 'Variable', comparison or And/Or/Not".into());
            }
            self.compile_json(c, "Condition")?;
            if let Some(o) = &r.output {
                self.compile_json(o, "Output")?;
            }
            if let Some(a) = &r.assign {
                self.compile_assign(a)?;
            }
        }
        for c in s.catch.iter().flatten() {
            if c.result_path.is_some() {
                return Err(
                    "a catcher's 'ResultPath' is JSONPath-only, but the state uses JSONata".into(),
                );
            }
            if let Some(o) = &c.output {
                self.compile_json(o, "Output")?;
            }
            if let Some(a) = &c.assign {
                self.compile_assign(a)?;
            }
        }
        if ty == StateType::Task
            && let Some(r) = &s.resource
            && expression_text(r.as_str()).is_some()
        {
            return Err("a Resource given as a JSONata expression is not simulated".into());
        }
        Ok(())
    }

    fn compile_json(&mut self, t: &Json, field: &str) -> Result<(), String> {
        let node = Node::compile(&t.to_serde(), field)?;
        self.nodes.insert(key(t), Rc::new(node));
        Ok(())
    }

    fn compile_assign(&mut self, t: &Json) -> Result<(), String> {
        if t.as_object().is_none() {
            return Err("the field 'Assign' must be a JSON object".into());
        }
        self.compile_json(t, "Assign")
    }

    /// A string field that may be a `{% … %}` expression; `expr_only`: it must be one (a number field).
    fn compile_expr_str(&mut self, s: &JStr, field: &str, expr_only: bool) -> Result<(), String> {
        let v = Value::String(s.as_str().to_owned());
        if expr_only && expression_text(s.as_str()).is_none() {
            return Err(format!(
                "the field '{field}' must be a number or a JSONata expression ({{% … %}}), not \"{}\"",
                s.as_str()
            ));
        }
        let node = Node::compile(&v, field)?;
        self.nodes.insert(key(s), Rc::new(node));
        Ok(())
    }

    /// The expression text of the field at `t` (for a cause), or its literal JSON.
    fn source<T>(&self, t: &T) -> String {
        match &*self.node(t) {
            Node::Expr(e, _, _) => e.source().to_owned(),
            Node::Lit(v) => super::io_pipeline::compact(v),
            _ => String::new(),
        }
    }

    fn node<T>(&self, t: &T) -> Rc<Node> {
        self.nodes
            .get(&key(t))
            .cloned()
            .expect("every JSONata field is compiled before the run")
    }
}

/// Whether a `QueryLanguage` value (or the inherited mode when absent) is JSONata.
fn ql_is_jsonata(ql: Option<&JStr>, inherited: bool) -> Result<bool, String> {
    match ql.map(JStr::as_str) {
        None => Ok(inherited),
        Some("JSONata") => Ok(true),
        Some("JSONPath") => Ok(false),
        Some(other) => Err(format!(
            "QueryLanguage \"{other}\" is neither \"JSONPath\" nor \"JSONata\""
        )),
    }
}

fn check_jsonpath_rule(r: &ChoiceRule) -> Result<(), String> {
    if r.condition.is_some() {
        return Err(
            "a Choice rule's 'Condition' is JSONata-only, but the state uses JSONPath".into(),
        );
    }
    if r.output.is_some() {
        return Err("a Choice rule's 'Output' is JSONata-only, but the state uses JSONPath".into());
    }
    for x in r.and.iter().flatten().chain(r.or.iter().flatten()) {
        check_jsonpath_rule(x)?;
    }
    if let Some(n) = &r.not {
        check_jsonpath_rule(n)?;
    }
    Ok(())
}

/// What a JSONata expression of a state sees.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub input: &'a Value,
    pub result: Option<&'a Value>,
    pub error_output: Option<&'a Value>,
    pub ctx: &'a Ctx<'a>,
    pub now_ms: i64,
    pub at: &'a At<'a>,
}

impl<'a> Env<'a> {
    /// What a state's expressions see as it is entered: its input and the context; no result, no error yet.
    pub(crate) fn entering(st: &'a StateRun<'a, '_>, ctx: &'a Ctx<'a>, now_ms: i64) -> Env<'a> {
        Env {
            input: st.raw_input,
            result: None,
            error_output: None,
            ctx,
            now_ms,
            at: &st.at,
        }
    }
}

/// A `States.QueryEvaluationError` in AWS's wording.
pub(crate) fn query_error(at: &At, field: &str, source: &str, why: QueryFailure) -> Failure {
    Failure::new(
        QUERY_EVALUATION_ERROR,
        Some(query_evaluation_cause(
            at.state,
            at.entered_event_id,
            field,
            source,
            why,
        )),
    )
}

/// The evaluated `Assign` object as assignments.
fn assignments(values: Value, at: &At) -> Result<Assignments, Failure> {
    let mut out = Assignments::new();
    if let Value::Object(values) = values {
        for (name, v) in values {
            out.set(&name, Arc::new(v), at)?;
        }
    }
    Ok(out)
}

/// The JSONata Choice evaluation: the index of the first rule of `state`'s `Choices` whose `Condition` is
/// true (`None`: none is); a condition that is not a boolean is a `States.QueryEvaluationError`. The simulator
/// and [`crate::sim::choice::decide`] both decide through it.
pub(crate) fn first_true_condition(
    state: &State,
    jn: &Compiled,
    env: &Env,
    rng: &mut Rng,
) -> Result<Option<usize>, Failure> {
    for (i, rule) in state.choices.iter().flatten().enumerate() {
        let Some(c) = &rule.condition else { continue };
        match eval_node(&jn.node(c), env, &jn.limits, rng)? {
            Value::Bool(true) => return Ok(Some(i)),
            Value::Bool(false) => {}
            other => {
                let src = jn.source(c);
                return Err(query_error(
                    env.at,
                    "Condition",
                    &src,
                    QueryFailure::UnexpectedType {
                        expected: "boolean",
                        value: &other,
                    },
                ));
            }
        }
    }
    Ok(None)
}

/// Evaluates one compiled field. Undefined anywhere is an error naming the field's path.
fn eval_node(node: &Node, env: &Env, limits: &Limits, rng: &mut Rng) -> Result<Value, Failure> {
    match node {
        Node::Lit(v) => Ok(v.clone()),
        Node::Expr(e, need, field) => eval_expr(e, *need, env, field, limits, rng)?
            .ok_or_else(|| query_error(env.at, field, e.source(), QueryFailure::Undefined)),
        Node::Obj(members) => {
            let mut m = Map::with_capacity(members.len());
            for (k, n) in members {
                let v = eval_node(n, env, limits, rng)?;
                m.insert(k.clone(), v);
            }
            Ok(Value::Object(m))
        }
        Node::Arr(items) => {
            let mut out = Vec::with_capacity(items.len());
            for n in items {
                out.push(eval_node(n, env, limits, rng)?);
            }
            Ok(Value::Array(out))
        }
    }
}

fn eval_expr(
    e: &Jsonata,
    need: Need,
    env: &Env,
    field: &str,
    limits: &Limits,
    rng: &mut Rng,
) -> Result<Option<Value>, Failure> {
    let mut b = Bindings::new();
    let context = env.ctx.value(need);
    b.states(States {
        input: env.input,
        context,
        result: env.result,
        error_output: env.error_output,
    });
    for (name, v) in env.ctx.vars().iter() {
        if e.mentions(name) {
            b.var(name, v);
        }
    }
    b.clock(env.now_ms);
    e.eval(&b, limits, rng)
        .map_err(|err| query_error(env.at, field, e.source(), QueryFailure::Error(&err)))
}

impl Exec<'_> {
    /// Evaluates the compiled field at `t` (a node of the machine).
    pub(crate) fn jn_eval<T>(&mut self, t: &T, env: &Env) -> Result<Value, Failure> {
        let node = self.jn.node(t);
        eval_node(&node, env, &self.jn.limits, &mut self.ev.rng)
    }

    /// A template field (`Arguments`, `ItemSelector`, …), or `default` when absent.
    /// A Task's or Parallel's `Arguments` (its input when absent), kept as the `arguments` stage when stages
    /// are kept and the state has `Arguments`.
    pub(crate) fn jn_arguments(
        &mut self,
        st: &StateRun,
        env: &Env,
        stages: &mut Stages,
    ) -> Result<Data, Failure> {
        let arguments = st.state.arguments.as_ref();
        let args = self.jn_template(arguments, env, st.raw_input)?;
        if self.keep_stages && arguments.is_some() {
            stages.arguments = Some(args.clone());
        }
        Ok(args)
    }

    pub(crate) fn jn_template(
        &mut self,
        t: Option<&Json>,
        env: &Env,
        default: &Data,
    ) -> Result<Data, Failure> {
        match t {
            Some(t) => self.jn_eval(t, env).map(Arc::new),
            None => Ok(default.clone()),
        }
    }

    /// A number field (`Seconds`, `TimeoutSeconds`, `MaxConcurrency`, …): the literal, or the expression's
    /// value, which must be a number.
    pub(crate) fn jn_number(
        &mut self,
        f: Option<&NumberOrExpr>,
        env: &Env,
        field: &str,
    ) -> Result<Option<f64>, Failure> {
        match f {
            None => Ok(None),
            Some(NumberOrExpr::Number(n)) => Ok(Some(n.as_f64())),
            Some(NumberOrExpr::Expr(s)) => {
                let v = self.jn_eval(s, env)?;
                match v.as_f64() {
                    Some(n) => Ok(Some(n)),
                    None => {
                        let src = self.jn.source(s);
                        Err(query_error(
                            env.at,
                            field,
                            &src,
                            QueryFailure::UnexpectedType {
                                expected: "number",
                                value: &v,
                            },
                        ))
                    }
                }
            }
        }
    }

    /// The end of a JSONata state: its `Assign` and `Output` (else `default`), both seeing the variables as the
    /// state entered; `stages` gets the output.
    pub(crate) fn jn_finish<'m>(
        &mut self,
        assign: Option<&Json>,
        output: Option<&Json>,
        env: &Env,
        default: Data,
        next: Option<&'m str>,
        mut stages: Option<Stages>,
    ) -> Result<Done<'m>, Failure> {
        let assigned = match assign {
            Some(t) => {
                let values = self.jn_eval(t, env)?;
                if let Some(st) = &mut stages {
                    st.assign = Some(Arc::new(values.clone()));
                }
                Some(assignments(values, env.at)?)
            }
            None => None,
        };
        let out = self.jn_template(output, env, &default)?;
        if let Some(st) = &mut stages {
            st.output = Some(out.clone());
        }
        let mut d = Done::new(out, next, stages);
        d.assigned = assigned;
        Ok(d)
    }

    /// A JSONata Map's items: `Items` (an array, or an expression giving one), else the state input, which
    /// must then be an array.
    pub(crate) fn jn_items(&mut self, st: &StateRun, env: &Env) -> Result<Value, Failure> {
        let Some(t) = &st.state.items else {
            return match env.input {
                Value::Array(_) => Ok(env.input.clone()),
                other => Err(Failure::in_state(
                    QUERY_EVALUATION_ERROR,
                    st.name,
                    st.at.entered_event_id,
                    &format!(
                        "Map state input must be an array but was: {}",
                        super::io_pipeline::compact(other)
                    ),
                )),
            };
        };
        let v = self.jn_eval(t, env)?;
        if v.is_array() {
            return Ok(v);
        }
        let src = self.jn.source(t);
        Err(query_error(
            env.at,
            "Items",
            &src,
            QueryFailure::UnexpectedType {
                expected: "array",
                value: &v,
            },
        ))
    }

    /// A Task's, Parallel's or Map's result in JSONata mode: `Assign` and `Output` with `$states.result`.
    pub(crate) fn jn_result<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        ctx: &Ctx,
        now_ms: i64,
        result: Data,
        mut stages: Stages,
    ) -> Result<Done<'m>, Failure> {
        let env = Env {
            input: st.raw_input,
            result: Some(&result),
            error_output: None,
            ctx,
            now_ms,
            at: &st.at,
        };
        let keep = self.keep_stages;
        if keep {
            stages.result = Some(result.clone());
        }
        let s = st.state;
        self.jn_finish(
            s.assign.as_ref(),
            s.output.as_ref(),
            &env,
            result.clone(),
            next_of(s),
            keep.then_some(stages),
        )
    }

    /// A JSONata state of the kinds without Retry/Catch (Pass, Succeed, Fail, Choice, Wait).
    pub(crate) fn run_jsonata_simple<'m>(
        &mut self,
        ty: StateType,
        st: &StateRun<'_, 'm>,
        scope: &mut Scope,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let ctx = self.ctx_for(st, scope, 0, None);
        let env = Env::entering(st, &ctx, scope.clock.now_ms());
        let stages = self.keep_stages.then(Stages::default);
        match ty {
            StateType::Pass => self.jn_finish(
                s.assign.as_ref(),
                s.output.as_ref(),
                &env,
                st.raw_input.clone(),
                next_of(s),
                stages,
            ),
            StateType::Succeed => self.jn_finish(
                None,
                s.output.as_ref(),
                &env,
                st.raw_input.clone(),
                None,
                stages,
            ),
            StateType::Fail => {
                let error = self.jn_string(s.error.as_ref(), &env, "Error")?;
                let cause = self.jn_string(s.cause.as_ref(), &env, "Cause")?;
                let mut f = Failure::new(error.unwrap_or_default(), cause);
                f.terminal = false;
                Err(f)
            }
            StateType::Choice => self.jn_choice(st, &env, stages),
            StateType::Wait => {
                let now_ms = env.now_ms;
                let secs = if let Some(t) = &s.timestamp {
                    let v = self.jn_eval(t, &env)?;
                    let text = match &v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let t = v.as_str().and_then(super::choice::parse_timestamp).ok_or_else(|| {
                        Failure::in_state(
                            QUERY_EVALUATION_ERROR,
                            st.name,
                            st.at.entered_event_id,
                            &format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                        )
                    })?;
                    ((t.timestamp_millis() - now_ms).max(0)) as f64 / 1000.0
                } else {
                    let secs = self
                        .jn_number(s.seconds.as_ref(), &env, "Seconds")?
                        .unwrap_or(0.0);
                    if secs < 0.0 {
                        return Err(Failure::in_state(
                            QUERY_EVALUATION_ERROR,
                            st.name,
                            st.at.entered_event_id,
                            &format!(
                                "The Seconds field must be a non-negative integer, but was: {}",
                                crate::expr::jsonata::js_number_text(secs)
                            ),
                        ));
                    }
                    secs
                };
                if secs > i32::MAX as f64 {
                    return Err(Failure::in_state(
                        "States.Runtime",
                        st.name,
                        st.at.entered_event_id,
                        "Wait state delay is too long.",
                    ));
                }
                self.advance(scope, secs)?;
                self.jn_finish(
                    s.assign.as_ref(),
                    s.output.as_ref(),
                    &env,
                    st.raw_input.clone(),
                    next_of(s),
                    stages,
                )
            }
            _ => unreachable!("Task, Parallel and Map run through their own attempts"),
        }
    }

    /// Fail's `Error`/`Cause`: a literal or an expression giving a string.
    fn jn_string(
        &mut self,
        f: Option<&JStr>,
        env: &Env,
        field: &str,
    ) -> Result<Option<String>, Failure> {
        let Some(s) = f else { return Ok(None) };
        match self.jn_eval(s, env)? {
            Value::String(v) => Ok(Some(v)),
            other => {
                let src = self.jn.source(s);
                Err(query_error(
                    env.at,
                    field,
                    &src,
                    QueryFailure::UnexpectedType {
                        expected: "string",
                        value: &other,
                    },
                ))
            }
        }
    }

    fn jn_choice<'m>(
        &mut self,
        st: &StateRun<'_, 'm>,
        env: &Env,
        stages: Option<Stages>,
    ) -> Result<Done<'m>, Failure> {
        let s = st.state;
        let matched = first_true_condition(s, &self.jn, env, &mut self.ev.rng)?
            .and_then(|i| Some((i, s.choices.as_ref()?.get(i)?)));
        let (matched_rule, next, assign, output) = match matched {
            Some((i, r)) => (
                Some(i),
                r.next.as_ref().map(JStr::as_str),
                r.assign.as_ref(),
                r.output.as_ref(),
            ),
            None => (
                None,
                s.default.as_ref().map(JStr::as_str),
                s.assign.as_ref(),
                s.output.as_ref(),
            ),
        };
        let Some(next_state) = next else {
            return Err(Failure::new(
                "States.NoChoiceMatched",
                Some("No Matches!".into()),
            ));
        };
        let mut d = self.jn_finish(
            assign,
            output,
            env,
            st.raw_input.clone(),
            Some(next_state),
            stages,
        )?;
        if self.keep_events {
            d.choice = Some(ChoiceDecision {
                matched_rule,
                next: Some(next_state.to_owned()),
                comparisons: Vec::new(),
            });
        }
        Ok(d)
    }
}
