//! The Choice state: evaluates `Choices` in order against the effective input, recording every comparison.

use super::context::Ctx;
use super::paths::Eval;
use crate::asl::{ChoiceRule, Operator, RuleKind};
use crate::trace::Comparison;
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

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
