//! Switching a state's or the machine's query language ([`Op::SetQueryLanguage`](super::Op)) and the fields
//! that no longer apply afterwards ([`inapplicable`]; removed by [`Op::RemoveInapplicable`](super::Op)).
//!
//! A switch changes only `QueryLanguage`: the fields of the other language stay in the document (the
//! validator flags them) until the user removes them, so a switch and its clean-up are two undo steps.

use super::{Applied, EditError, applied, find_state_mut};
use crate::asl::{Catcher, ChoiceRule, State, StateMachine};
use crate::json::{JStr, Json};
use crate::validate::{JSONATA_ONLY, JSONPATH_ONLY};
use std::fmt;

/// A query language, as `QueryLanguage` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryLanguage {
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn name(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }

    /// The language a `QueryLanguage` value selects, `inherited` when the field is absent (or not one of
    /// the two names; the validator reports that).
    pub fn of(field: Option<&str>, inherited: QueryLanguage) -> QueryLanguage {
        match field {
            Some("JSONata") => QueryLanguage::Jsonata,
            Some("JSONPath") => QueryLanguage::JsonPath,
            _ => inherited,
        }
    }
}

/// One field that does not apply in its state's query language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Field {
    /// A field of the state (`InputPath`, `Output`, …).
    State(&'static str),
    /// A key of a Choice rule (`Variable`, `StringEquals`, `And`, `Condition`, …), by rule index.
    Rule(usize, &'static str),
    /// A key of a catcher (`ResultPath`, `Output`), by catcher index.
    Catcher(usize, &'static str),
    /// A JSONPath-style `name.$` key in `Assign` of a JSONata state (catcher index, or `None` for the state's).
    AssignKey(Option<usize>, String),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::State(k) => f.write_str(k),
            Field::Rule(i, k) => write!(f, "Choices[{i}].{k}"),
            Field::Catcher(i, k) => write!(f, "Catch[{i}].{k}"),
            Field::AssignKey(None, k) => write!(f, "Assign.{k}"),
            Field::AssignKey(Some(i), k) => write!(f, "Catch[{i}].Assign.{k}"),
        }
    }
}

/// The fields of one state that do not apply in `lang`.
pub fn inapplicable_in_state(s: &State, lang: QueryLanguage) -> Vec<Field> {
    let mut out = Vec::new();
    let other_only = match lang {
        QueryLanguage::Jsonata => JSONPATH_ONLY,
        QueryLanguage::JsonPath => JSONATA_ONLY,
    };
    for key in State::KEYS {
        if other_only.contains(key) && s.field_json(key).is_some() {
            out.push(Field::State(key));
        }
    }
    for (i, rule) in s.choices.iter().flatten().enumerate() {
        for key in rule_keys_not_in(rule, lang) {
            out.push(Field::Rule(i, key));
        }
    }
    for (i, c) in s.catch.iter().flatten().enumerate() {
        let key = match lang {
            QueryLanguage::Jsonata => "ResultPath",
            QueryLanguage::JsonPath => "Output",
        };
        if c.field_json(key).is_some() {
            out.push(Field::Catcher(i, key));
        }
        if lang == QueryLanguage::Jsonata {
            for k in path_assign_keys(c.assign.as_ref()) {
                out.push(Field::AssignKey(Some(i), k));
            }
        }
    }
    if lang == QueryLanguage::Jsonata {
        for k in path_assign_keys(s.assign.as_ref()) {
            out.push(Field::AssignKey(None, k));
        }
    }
    out
}

/// The keys of a top-level Choice rule that belong to the other language: in JSONata the comparison
/// (`Variable`, operators, `And`/`Or`/`Not`); in JSONPath `Condition` and the rule's `Output`.
fn rule_keys_not_in(rule: &ChoiceRule, lang: QueryLanguage) -> Vec<&'static str> {
    let keys: &[&'static str] = match lang {
        QueryLanguage::Jsonata => &ChoiceRule::KEYS[..ChoiceRule::KEYS.len()],
        QueryLanguage::JsonPath => &["Condition", "Output"],
    };
    keys.iter()
        .copied()
        .filter(|k| {
            lang == QueryLanguage::JsonPath
                || !matches!(*k, "Condition" | "Next" | "Comment" | "Assign" | "Output")
        })
        .filter(|k| rule.field_json(k).is_some())
        .collect()
}

/// `name.$` keys of an `Assign` object (JSONPath's way of saying "evaluate this path").
fn path_assign_keys(assign: Option<&Json>) -> Vec<String> {
    assign
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
        .filter(|m| m.key.as_str().ends_with(".$"))
        .map(|m| m.key.as_str().to_owned())
        .collect()
}

/// Every field of the machine (nested machines included) that does not apply in its state's effective
/// query language, by state name, in document order.
pub fn inapplicable(root: &StateMachine) -> Vec<(String, Vec<Field>)> {
    fn walk(m: &StateMachine, inherited: QueryLanguage, out: &mut Vec<(String, Vec<Field>)>) {
        for n in m.states() {
            let lang = QueryLanguage::of(n.state.query_language.as_deref(), inherited);
            let fields = inapplicable_in_state(&n.state, lang);
            if !fields.is_empty() {
                out.push((n.name.to_string(), fields));
            }
            for child in n.state.child_machines() {
                walk(child, lang, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, language_of_machine(root), &mut out);
    out
}

/// The top-level machine's query language (JSONPath unless it says JSONata).
pub fn language_of_machine(root: &StateMachine) -> QueryLanguage {
    QueryLanguage::of(root.query_language.as_deref(), QueryLanguage::JsonPath)
}

/// The effective query language of the state `name`: its own `QueryLanguage`, else its enclosing state's,
/// else the machine's. `None` when there is no such state.
pub fn language_of(root: &StateMachine, name: &str) -> Option<QueryLanguage> {
    fn walk(m: &StateMachine, inherited: QueryLanguage, name: &str) -> Option<QueryLanguage> {
        for n in m.states() {
            let lang = QueryLanguage::of(n.state.query_language.as_deref(), inherited);
            if n.name.as_str() == name {
                return Some(lang);
            }
            for child in n.state.child_machines() {
                if let Some(l) = walk(child, lang, name) {
                    return Some(l);
                }
            }
        }
        None
    }
    walk(root, language_of_machine(root), name)
}

/// Applies [`Op::SetQueryLanguage`](super::Op): `state: None` is the top-level machine; `language: None`
/// removes the field (the state inherits again).
pub(super) fn set_query_language(
    root: &mut StateMachine,
    state: Option<&str>,
    language: Option<QueryLanguage>,
) -> Result<Applied, EditError> {
    let value = language.map(|l| JStr::new(l.name()));
    let shown = language.map_or("inherited", QueryLanguage::name);
    match state {
        None => {
            root.query_language = value;
            Ok(applied(format!("Query language: {shown}"), None))
        }
        Some(name) => {
            let s = find_state_mut(root, name)?;
            s.query_language = value;
            Ok(applied(
                format!("Query language of {name}: {shown}"),
                Some(name),
            ))
        }
    }
}

/// Applies [`Op::RemoveInapplicable`](super::Op): removes every field [`inapplicable`] lists for the given
/// states (all states when `states` is empty).
pub(super) fn remove_inapplicable(
    root: &mut StateMachine,
    states: &[String],
) -> Result<Applied, EditError> {
    let targets: Vec<(String, Vec<Field>)> = inapplicable(root)
        .into_iter()
        .filter(|(n, _)| states.is_empty() || states.contains(n))
        .collect();
    let count: usize = targets.iter().map(|(_, f)| f.len()).sum();
    for (name, fields) in &targets {
        let s = find_state_mut(root, name)?;
        for field in fields {
            remove_field(s, field);
        }
    }
    let select = match states {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let plural = if count == 1 { "" } else { "s" };
    Ok(applied(
        format!("Remove {count} field{plural} that no longer apply"),
        select,
    ))
}

fn remove_field(s: &mut State, field: &Field) {
    match field {
        Field::State(k) => {
            s.clear_field(k);
        }
        Field::Rule(i, k) => {
            if let Some(r) = s.choices.as_mut().and_then(|c| c.get_mut(*i)) {
                r.clear_field(k);
            }
        }
        Field::Catcher(i, k) => {
            if let Some(c) = s.catch.as_mut().and_then(|c| c.get_mut(*i)) {
                c.clear_field(k);
            }
        }
        Field::AssignKey(catcher, key) => {
            let assign = match catcher {
                None => &mut s.assign,
                Some(i) => match s.catch.as_mut().and_then(|c| c.get_mut(*i)) {
                    Some(Catcher { assign, .. }) => assign,
                    None => return,
                },
            };
            if let Some(obj) = assign.as_ref().and_then(Json::as_object) {
                let kept: Vec<_> = obj
                    .iter()
                    .filter(|m| m.key.as_str() != key)
                    .cloned()
                    .collect();
                *assign = Some(Json::object(kept));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Op, apply};

    fn machine(text: &str) -> StateMachine {
        StateMachine::from_json(&crate::json::parse(text).unwrap()).unwrap()
    }

    const MIXED: &str = r#"{"StartAt":"P","States":{
        "P":{"Type":"Pass","InputPath":"$.a","ResultPath":"$.r","Assign":{"x.$":"$.v","y":1},"Next":"C"},
        "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"D"}],"Default":"D"},
        "D":{"Type":"Succeed"}}}"#;

    #[test]
    fn switching_the_machine_lists_the_jsonpath_fields_and_keeps_them() {
        let mut m = machine(MIXED);
        assert!(inapplicable(&m).is_empty());
        let op = Op::SetQueryLanguage {
            state: None,
            language: Some(QueryLanguage::Jsonata),
        };
        apply(&mut m, &op).unwrap();
        assert_eq!(m.query_language.as_deref(), Some("JSONata"));
        let found: Vec<(String, Vec<String>)> = inapplicable(&m)
            .into_iter()
            .map(|(n, f)| (n, f.iter().map(ToString::to_string).collect()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "P".to_owned(),
                    vec![
                        "InputPath".to_owned(),
                        "ResultPath".to_owned(),
                        "Assign.x.$".to_owned()
                    ]
                ),
                (
                    "C".to_owned(),
                    vec![
                        "Choices[0].Variable".to_owned(),
                        "Choices[0].NumericEquals".to_owned()
                    ]
                ),
            ]
        );
        // The fields stay until removed.
        assert!(m.state("P").unwrap().input_path.is_some());
        let applied = apply(&mut m, &Op::RemoveInapplicable { states: vec![] }).unwrap();
        assert_eq!(applied.label, "Remove 5 fields that no longer apply");
        assert!(inapplicable(&m).is_empty());
        let p = m.state("P").unwrap();
        assert!(p.input_path.is_none() && p.result_path.is_none());
        assert_eq!(
            crate::json::compact_text(p.assign.as_ref().unwrap()),
            r#"{"y": 1}"#
        );
        let rule = &m.state("C").unwrap().choices.as_ref().unwrap()[0];
        assert_eq!(rule.next.as_deref(), Some("D"));
        assert!(rule.variable.is_none());
    }

    #[test]
    fn a_state_override_and_nested_inheritance() {
        let mut m = machine(
            r#"{"StartAt":"M","States":{"M":{"Type":"Map","Items":"{% [1] %}","ItemProcessor":{"StartAt":"I","States":{
                "I":{"Type":"Pass","Output":"{% 1 %}","End":true}}},"End":true}}}"#,
        );
        // JSONPath machine: Items and the inner Output are JSONata fields.
        assert_eq!(inapplicable(&m).len(), 2);
        apply(
            &mut m,
            &Op::SetQueryLanguage {
                state: Some("M".into()),
                language: Some(QueryLanguage::Jsonata),
            },
        )
        .unwrap();
        assert_eq!(language_of(&m, "I"), Some(QueryLanguage::Jsonata));
        assert!(inapplicable(&m).is_empty());
        assert!(
            apply(
                &mut m,
                &Op::SetQueryLanguage {
                    state: Some("nope".into()),
                    language: None,
                },
            )
            .is_err()
        );
    }
}
