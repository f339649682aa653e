//! The Choice state: evaluates `Choices` in order against the effective input, recording every comparison.

use super::config::SimConfig;
use super::context::{ContextBase, Ctx};
use super::io_pipeline::{At, apply_path};
use super::paths::Eval;
use super::vars::{Assignments, Vars};
use crate::asl::{ChoiceRule, Operator, RuleKind, State};
use crate::json::Json;
use crate::trace::{ChoiceDecision, Comparison};
use chrono::{DateTime, FixedOffset};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

/// What a Choice state chose: the index of the matching rule (`None`: `Default`, or nothing matched), the state
/// it leads to (`None`: nothing matched and there is no `Default`) and the `Assign` that goes with it (the
/// matching rule's, else the state's own).
pub(crate) struct Chosen<'s> {
    pub matched_rule: Option<usize>,
    pub next: Option<&'s str>,
    pub assign: Option<&'s Json>,
}

/// The Choice evaluation of a JSONPath Choice state: its `Choices` in order against `effective` (the input
/// after `InputPath`), up to the first rule that matches, every comparison logged into `log`. The simulator
/// and [`decide`] both decide through it.
pub(crate) fn choose<'s>(
    state: &'s State,
    effective: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    mut log: Option<&mut Vec<Comparison>>,
) -> Result<Chosen<'s>, String> {
    for (i, rule) in state.choices.iter().flatten().enumerate() {
        if eval_rule(rule, effective, ctx, ev, log.as_deref_mut(), 0)? {
            return Ok(Chosen {
                matched_rule: Some(i),
                next: rule.next.as_ref().map(|n| n.as_str()),
                assign: rule.assign.as_ref(),
            });
        }
    }
    Ok(Chosen {
        matched_rule: None,
        next: state.default.as_ref().map(|d| d.as_str()),
        assign: state.assign.as_ref(),
    })
}

/// Decides a Choice state named `name` on its state `input` (before `InputPath`) with the workflow
/// variables in scope (`variables`, by name), exactly as a simulation does, for explaining a decision made
/// elsewhere (a replayed AWS history). `jsonata` says whether the state's query language (its own, else the workflow's)
/// is JSONata: its `Condition`s are evaluated then (no comparisons are logged, as in a simulation).
///
/// `Err` says why the decision cannot be made from what is given, never guessing: a path or condition that
/// reads the context object (`$$…`, `$states.context`: a replay knows only the simulator's stand-in values),
/// the clock or random numbers, or a variable `variables` lacks; a runtime error of the rules (a `…Path` operand
/// that finds nothing, a condition that is not a boolean).
pub fn decide(
    name: &str,
    state: &State,
    jsonata: bool,
    input: &Value,
    variables: &Map<String, Value>,
) -> Result<ChoiceDecision, String> {
    let at = At {
        state: name,
        entered_event_id: 0,
    };
    let mut vars = Vars::new();
    let mut values = Assignments::new();
    for (n, v) in variables {
        values
            .set(n, std::sync::Arc::new(v.clone()), &at)
            .map_err(|f| f.cause.unwrap_or(f.error))?;
    }
    vars.commit(values, &at)
        .map_err(|f| f.cause.unwrap_or(f.error))?;
    let vars = &vars;
    if jsonata {
        return decide_jsonata(name, state, input, vars);
    }
    let mut read: Vec<String> = Vec::new();
    if let Some(crate::asl::Nullable::Value(p)) = &state.input_path {
        read.push(p.as_str().to_owned());
    }
    for rule in state.choices.iter().flatten() {
        paths_read(rule, &mut read, 0);
    }
    for p in &read {
        if p.starts_with("$$") {
            return Err(format!(
                "its rules read the context object ({p}), which the history does not record"
            ));
        }
        if let Some(var) = variable_read(p)
            && vars.get(var).is_none()
        {
            return Err(format!(
                "its rules read the variable ${var}, whose value is not known here"
            ));
        }
    }
    let ctx =
        ContextBase::new(&SimConfig::default(), input).for_state(name, 0, 0, None, None, vars);
    let mut ev = Eval::new(0);
    let effective = apply_path(state.input_path.as_ref(), input, &ctx, &mut ev, &at)
        .map_err(|f| f.cause.unwrap_or(f.error))?;
    let mut comparisons = Vec::new();
    let chosen = choose(state, &effective, &ctx, &mut ev, Some(&mut comparisons))?;
    Ok(ChoiceDecision {
        matched_rule: chosen.matched_rule,
        next: chosen.next.map(str::to_owned),
        comparisons,
    })
}

/// [`decide`] for a JSONata Choice state: its `Condition`s on `input` (`$states.input`), through the
/// simulator's own JSONata Choice evaluation. Refused (`Err`) when a condition reads `$states.context`, the
/// clock or random numbers (`$now`, `$millis`, `$random`, `$uuid`: AWS's values are not recorded) or a
/// variable `vars` lacks.
fn decide_jsonata(
    name: &str,
    state: &State,
    input: &Value,
    vars: &Vars,
) -> Result<ChoiceDecision, String> {
    for rule in state.choices.iter().flatten() {
        let Some(Value::String(text)) = rule.condition.as_ref().map(Json::to_serde) else {
            continue;
        };
        let Some(expr) = super::jsonata::expression_text(&text) else {
            continue;
        };
        if expr.contains("$states.context") {
            return Err(format!(
                "its condition {text} reads the context object ($states.context), which the history does not record"
            ));
        }
        for var in jsonata_variables(expr) {
            if UNRECORDED.contains(&var) {
                return Err(format!(
                    "its condition {text} reads ${var}, whose value in the real run is not recorded"
                ));
            }
            if var != "states" && vars.get(var).is_none() {
                return Err(format!(
                    "its condition {text} reads the variable ${var}, whose value is not known here"
                ));
            }
        }
    }
    let mut jn = super::jsonata::Compiled::default();
    jn.prepare_state(state, true)?;
    let ctx =
        ContextBase::new(&SimConfig::default(), input).for_state(name, 0, 0, None, None, vars);
    let at = At {
        state: name,
        entered_event_id: 0,
    };
    let env = super::jsonata::Env {
        input,
        result: None,
        error_output: None,
        ctx: &ctx,
        now_ms: 0,
        at: &at,
    };
    let mut ev = Eval::new(0);
    let matched = super::jsonata::first_true_condition(state, &jn, &env, &mut ev.rng)
        .map_err(|f| f.cause.unwrap_or(f.error))?;
    let next = match matched {
        Some(i) => state
            .choices
            .iter()
            .flatten()
            .nth(i)
            .and_then(|r| r.next.as_ref()),
        None => state.default.as_ref(),
    };
    Ok(ChoiceDecision {
        matched_rule: matched,
        next: next.map(|n| n.as_str().to_owned()),
        comparisons: Vec::new(),
    })
}

/// The JSONata functions whose value in a real run a history does not record: the clock and random numbers.
const UNRECORDED: [&str; 4] = ["now", "millis", "random", "uuid"];

/// The `$names` a JSONata expression's text mentions that are not called as functions (`$count(…)` is not
/// one), and the [`UNRECORDED`] functions: its variables, `states`, the clock and random numbers. A superset
/// (a name in a string literal or a bound parameter counts too), so a check through it may refuse too much,
/// never too little.
fn jsonata_variables(expr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(i) = rest.find('$') {
        let after = &rest[i + 1..];
        let end = after
            .find(|c: char| !crate::expr::is_variable_continue(c))
            .unwrap_or(after.len());
        let name = &after[..end];
        rest = &after[end..];
        if !name.starts_with(crate::expr::is_variable_start) {
            continue;
        }
        let called = rest.trim_start().starts_with('(');
        if !called || UNRECORDED.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The paths a rule reads: its `Variable` and the operands of its `…Path` operators, nested rules included.
fn paths_read(rule: &ChoiceRule, out: &mut Vec<String>, depth: usize) {
    if depth > 64 {
        return;
    }
    if let Some(v) = &rule.variable {
        out.push(v.as_str().to_owned());
    }
    for (op, v) in rule.operators() {
        if op.name().ends_with("Path")
            && let Value::String(p) = v.to_serde()
        {
            out.push(p);
        }
    }
    for r in rule.and.iter().chain(rule.or.iter()).flatten() {
        paths_read(r, out, depth + 1);
    }
    if let Some(n) = &rule.not {
        paths_read(n, out, depth + 1);
    }
}

/// The variable a JSONPath path reads (`$name` or `$name.field` → `name`); `None` for `$`, `$.…`, `$[…]`
/// and `$$…`.
fn variable_read(path: &str) -> Option<&str> {
    let rest = path.trim_start().strip_prefix('$')?;
    if !rest.starts_with(crate::expr::is_variable_start) {
        return None;
    }
    let end = rest
        .find(|c: char| !crate::expr::is_variable_continue(c))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Evaluates one rule. `Err` is a runtime error (bad rule shape, bad `…Path` operand).
pub(crate) fn eval_rule(
    rule: &ChoiceRule,
    input: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    mut log: Option<&mut Vec<Comparison>>,
    depth: usize,
) -> Result<bool, String> {
    if depth > 64 {
        return Err("Choice rule nesting is too deep".into());
    }
    if rule.and.is_none() && rule.or.is_none() && rule.not.is_none() && rule.condition.is_none() {
        return eval_comparison(rule, input, ctx, ev, log);
    }
    match rule.kind() {
        RuleKind::And(rules) => {
            for r in rules {
                if !eval_rule(r, input, ctx, ev, log.as_deref_mut(), depth + 1)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        RuleKind::Or(rules) => {
            for r in rules {
                if eval_rule(r, input, ctx, ev, log.as_deref_mut(), depth + 1)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        RuleKind::Not(r) => Ok(!eval_rule(
            r,
            input,
            ctx,
            ev,
            log.as_deref_mut(),
            depth + 1,
        )?),
        RuleKind::Condition(_) => Err("a JSONata Condition in a JSONPath Choice state".into()),
        RuleKind::Comparison { .. } | RuleKind::Empty => eval_comparison(rule, input, ctx, ev, log),
    }
}

/// A comparison rule (`Variable` + one operator). Finding the operator among the rule's fields and converting
/// its operand is done once per rule and run, not on every evaluation.
fn eval_comparison(
    rule: &ChoiceRule,
    input: &Value,
    ctx: &Ctx,
    ev: &mut Eval,
    log: Option<&mut Vec<Comparison>>,
) -> Result<bool, String> {
    let key = std::ptr::from_ref(rule) as usize;
    let shape = match ev.rules.get(&key) {
        Some(s) => s.clone(),
        None => {
            let variable: Option<Arc<str>> = rule.variable.as_deref().map(Arc::from);
            let s = Rc::new(
                rule.operators()
                    .into_iter()
                    .next()
                    .map(|(op, v)| (op, v.to_serde(), variable)),
            );
            ev.rules.insert(key, s.clone());
            s
        }
    };
    let Some((operator, literal, shared_variable)) = shape.as_ref() else {
        return Err("a Choice rule has no comparison operator".into());
    };
    let operator = *operator;
    let variable = rule
        .variable
        .as_deref()
        .ok_or("a Choice rule comparison has no Variable")?;
    let actual = ev.select_opt(variable, input, ctx);
    let expected: Cow<Value> = if operator.name().ends_with("Path") {
        let p = literal
            .as_str()
            .ok_or_else(|| format!("{} must be a path string", operator.name()))?;
        match ev.select_opt(p, input, ctx) {
            Some(v) => Cow::Owned(v),
            None => {
                return Err(format!("Invalid path '{p}': No results for path"));
            }
        }
    } else {
        Cow::Borrowed(literal)
    };
    let matched = compare(operator, actual.as_ref(), &expected);
    if let Some(log) = log {
        log.push(Comparison {
            variable: shared_variable
                .clone()
                .unwrap_or_else(|| Arc::from(variable)),
            operator: Cow::Borrowed(operator.name()),
            actual,
            expected: expected.into_owned(),
            matched,
        });
    }
    Ok(matched)
}

/// Parses an RFC 3339 timestamp as AWS accepts it (`T` separator, offset or `Z` required).
pub(crate) fn parse_timestamp(s: &str) -> Option<DateTime<FixedOffset>> {
    if !s.contains('T') || s.contains('t') || s.contains(' ') {
        return None;
    }
    DateTime::parse_from_rfc3339(s).ok()
}

fn compare(op: Operator, actual: Option<&Value>, expected: &Value) -> bool {
    use std::cmp::Ordering::*;
    let base = op.name().strip_suffix("Path").unwrap_or(op.name());
    match op {
        Operator::IsPresent => return actual.is_some() == expected.as_bool().unwrap_or(true),
        Operator::IsNull
        | Operator::IsNumeric
        | Operator::IsString
        | Operator::IsBoolean
        | Operator::IsTimestamp => {
            let Some(a) = actual else { return false };
            let is = match op {
                Operator::IsNull => a.is_null(),
                Operator::IsNumeric => a.is_number(),
                Operator::IsString => a.is_string(),
                Operator::IsBoolean => a.is_boolean(),
                _ => a.as_str().and_then(parse_timestamp).is_some(),
            };
            return is == expected.as_bool().unwrap_or(true);
        }
        Operator::StringMatches => {
            return match (actual.and_then(Value::as_str), expected.as_str()) {
                (Some(a), Some(p)) => wildcard_match(p, a),
                _ => false,
            };
        }
        _ => {}
    }
    let Some(actual) = actual else { return false };
    let ord = if base.starts_with("String") {
        match (actual.as_str(), expected.as_str()) {
            (Some(a), Some(e)) => a.cmp(e),
            _ => return false,
        }
    } else if base.starts_with("Numeric") {
        match (actual.as_f64(), expected.as_f64()) {
            (Some(a), Some(e)) => match a.partial_cmp(&e) {
                Some(o) => o,
                None => return false,
            },
            _ => return false,
        }
    } else if base.starts_with("Boolean") {
        return matches!((actual.as_bool(), expected.as_bool()), (Some(a), Some(e)) if a == e);
    } else if base.starts_with("Timestamp") {
        match (
            actual.as_str().and_then(parse_timestamp),
            expected.as_str().and_then(parse_timestamp),
        ) {
            (Some(a), Some(e)) => a.cmp(&e),
            _ => return false,
        }
    } else {
        return false;
    };
    if base.ends_with("GreaterThanEquals") {
        ord != Less
    } else if base.ends_with("LessThanEquals") {
        ord != Greater
    } else if base.ends_with("GreaterThan") {
        ord == Greater
    } else if base.ends_with("LessThan") {
        ord == Less
    } else {
        ord == Equal
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Star,
        Ch(char),
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => toks.push(Tok::Ch(it.next().unwrap_or('\\'))),
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Ch(c)),
        }
    }
    let t: Vec<char> = text.chars().collect();
    // Classic greedy matching with backtracking to the last star.
    let (mut p, mut s) = (0usize, 0usize);
    let (mut star, mut mark) = (None, 0usize);
    while s < t.len() {
        if p < toks.len() && toks[p] == Tok::Ch(t[s]) {
            p += 1;
            s += 1;
        } else if p < toks.len() && toks[p] == Tok::Star {
            star = Some(p);
            mark = s;
            p += 1;
        } else if let Some(sp) = star {
            p = sp + 1;
            mark += 1;
            s = mark;
        } else {
            return false;
        }
    }
    while p < toks.len() && toks[p] == Tok::Star {
        p += 1;
    }
    p == toks.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn none() -> Map<String, Value> {
        Map::new()
    }

    fn choice_state(def: Value) -> State {
        let text = json!({"StartAt": "C", "States": {"C": def, "A": {"Type": "Succeed"},
            "B": {"Type": "Succeed"}}})
        .to_string();
        let doc = crate::asl::Document::from_bytes(text.as_bytes(), crate::asl::SourceFormat::Json)
            .expect("parses");
        doc.machine.state("C").expect("C").clone()
    }

    #[test]
    fn decide_applies_input_path_and_logs_every_comparison() {
        let s = choice_state(json!({"Type": "Choice", "InputPath": "$.order",
            "Choices": [
                {"Variable": "$.total", "NumericGreaterThan": 100, "Next": "A"},
                {"Variable": "$.total", "NumericLessThanEqualsPath": "$.limit", "Next": "B"}],
            "Default": "A"}));
        let d = decide(
            "C",
            &s,
            false,
            &json!({"order": {"total": 50, "limit": 60}}),
            &none(),
        )
        .expect("decidable");
        assert_eq!((d.matched_rule, d.next.as_deref()), (Some(1), Some("B")));
        assert_eq!(d.comparisons.len(), 2);
        assert_eq!(d.comparisons[1].expected, json!(60));
        let d = decide(
            "C",
            &s,
            false,
            &json!({"order": {"total": 70, "limit": 60}}),
            &none(),
        )
        .expect("decidable");
        assert_eq!((d.matched_rule, d.next.as_deref()), (None, Some("A")));
    }

    #[test]
    fn decide_refuses_what_it_cannot_know() {
        let ctx = choice_state(json!({"Type": "Choice", "Choices": [
            {"Variable": "$$.Execution.Name", "StringEquals": "x", "Next": "A"}], "Default": "B"}));
        let e = decide("C", &ctx, false, &json!({}), &none()).unwrap_err();
        assert!(e.contains("context object ($$.Execution.Name)"), "{e}");
        let var = choice_state(json!({"Type": "Choice", "Choices": [{"Not":
            {"Variable": "$.n", "NumericEqualsPath": "$limit.max"}, "Next": "A"}], "Default": "B"}));
        let e = decide("C", &var, false, &json!({"n": 1}), &none()).unwrap_err();
        assert!(e.contains("variable $limit"), "{e}");
        // Known variables are read.
        let vars = json!({"limit": {"max": 1}})
            .as_object()
            .cloned()
            .expect("an object");
        let d = decide("C", &var, false, &json!({"n": 1}), &vars).expect("decidable");
        assert_eq!(
            d.next.as_deref(),
            Some("B"),
            "Not(1 == 1) is false: Default"
        );
        let clock = choice_state(json!({"Type": "Choice", "QueryLanguage": "JSONata",
            "Choices": [{"Condition": "{% $toMillis($states.input.t) < $millis() %}", "Next": "A"}],
            "Default": "B"}));
        let e = decide("C", &clock, true, &json!({}), &none()).unwrap_err();
        assert!(e.contains("reads $millis"), "{e}");
    }

    #[test]
    fn decide_jsonata_conditions() {
        let s = choice_state(json!({"Type": "Choice", "QueryLanguage": "JSONata",
            "Choices": [
                {"Condition": "{% $states.input.n > $limit %}", "Next": "A"},
                {"Condition": "{% $count($states.input.items) = 0 %}", "Next": "B"}],
            "Default": "A"}));
        let e = decide("C", &s, true, &json!({"n": 1, "items": []}), &none()).unwrap_err();
        assert!(e.contains("the variable $limit"), "{e}");
        let vars = json!({"limit": 5}).as_object().cloned().expect("an object");
        let d = decide("C", &s, true, &json!({"n": 1, "items": []}), &vars).expect("decidable");
        assert_eq!((d.matched_rule, d.next.as_deref()), (Some(1), Some("B")));
        assert!(d.comparisons.is_empty());
        let d = decide("C", &s, true, &json!({"n": 9, "items": []}), &vars).expect("decidable");
        assert_eq!((d.matched_rule, d.next.as_deref()), (Some(0), Some("A")));
        let d = decide("C", &s, true, &json!({"n": 1, "items": [1]}), &vars).expect("decidable");
        assert_eq!((d.matched_rule, d.next.as_deref()), (None, Some("A")));
        // Not a boolean: the simulator's QueryEvaluationError cause.
        let bad = choice_state(json!({"Type": "Choice", "QueryLanguage": "JSONata",
            "Choices": [{"Condition": "{% $states.input.n %}", "Next": "A"}], "Default": "B"}));
        let e = decide("C", &bad, true, &json!({"n": 1}), &none()).unwrap_err();
        assert!(e.contains("Condition"), "{e}");
    }
}
