//! A state: one struct holding every field any state type may have, so a document with a misplaced field
//! still loads (and round-trips); which fields each type allows is [`StateType::allowed_fields`], checked by
//! the validator.

use super::choice::ChoiceRule;
use super::field::{Nullable, NumberOrExpr, asl_object};
use super::machine::StateMachine;
use super::map::{ItemBatcher, ItemReader, ResultWriter};
use super::retry_catch::{Catcher, Retrier};
use crate::json::{JStr, Json};

asl_object! {
    /// One state of a machine. Field names follow the spec; every field is optional here.
    pub struct State {
        type_: JStr = "Type",
        comment: JStr = "Comment",
        query_language: JStr = "QueryLanguage",
        resource: JStr = "Resource",
        credentials: Json = "Credentials",
        input_path: Nullable<JStr> = "InputPath",
        items_path: Nullable<JStr> = "ItemsPath",
        items: Json = "Items",
        item_reader: Box<ItemReader> = "ItemReader",
        item_batcher: Box<ItemBatcher> = "ItemBatcher",
        max_concurrency: NumberOrExpr = "MaxConcurrency",
        max_concurrency_path: JStr = "MaxConcurrencyPath",
        tolerated_failure_count: NumberOrExpr = "ToleratedFailureCount",
        tolerated_failure_count_path: JStr = "ToleratedFailureCountPath",
        tolerated_failure_percentage: NumberOrExpr = "ToleratedFailurePercentage",
        tolerated_failure_percentage_path: JStr = "ToleratedFailurePercentagePath",
        label: JStr = "Label",
        item_selector: Json = "ItemSelector",
        parameters: Json = "Parameters",
        arguments: Json = "Arguments",
        result: Json = "Result",
        item_processor: Box<StateMachine> = "ItemProcessor",
        iterator: Box<StateMachine> = "Iterator",
        branches: Vec<StateMachine> = "Branches",
        choices: Vec<ChoiceRule> = "Choices",
        default: JStr = "Default",
        seconds: NumberOrExpr = "Seconds",
        seconds_path: JStr = "SecondsPath",
        timestamp: JStr = "Timestamp",
        timestamp_path: JStr = "TimestampPath",
        timeout_seconds: NumberOrExpr = "TimeoutSeconds",
        timeout_seconds_path: JStr = "TimeoutSecondsPath",
        heartbeat_seconds: NumberOrExpr = "HeartbeatSeconds",
        heartbeat_seconds_path: JStr = "HeartbeatSecondsPath",
        error: JStr = "Error",
        error_path: JStr = "ErrorPath",
        cause: JStr = "Cause",
        cause_path: JStr = "CausePath",
        result_selector: Json = "ResultSelector",
        result_path: Nullable<JStr> = "ResultPath",
        result_writer: Box<ResultWriter> = "ResultWriter",
        output_path: Nullable<JStr> = "OutputPath",
        output: Json = "Output",
        assign: Json = "Assign",
        retry: Vec<Retrier> = "Retry",
        catch: Vec<Catcher> = "Catch",
        next: JStr = "Next",
        end: bool = "End",
    }
}

/// The eight state types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StateType {
    Task,
    Choice,
    Parallel,
    Wait,
    Pass,
    Succeed,
    Fail,
    Map,
}

const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];
const JSONPATH_IO: &[&str] = &["InputPath", "OutputPath"];
const TRANSITION: &[&str] = &["Next", "End"];

impl StateType {
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Choice,
        StateType::Parallel,
        StateType::Wait,
        StateType::Pass,
        StateType::Succeed,
        StateType::Fail,
        StateType::Map,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Parallel => "Parallel",
            StateType::Wait => "Wait",
            StateType::Pass => "Pass",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Map => "Map",
        }
    }

    pub fn from_name(name: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Whether the type ends the machine by itself (no `Next`/`End`).
    pub fn is_terminal_type(self) -> bool {
        matches!(self, StateType::Succeed | StateType::Fail)
    }

    /// Whether the type takes `Next` or `End`.
    pub fn has_transition(self) -> bool {
        !matches!(
            self,
            StateType::Succeed | StateType::Fail | StateType::Choice
        )
    }

    /// The fields this type allows, in either query language (the validator narrows by language).
    pub fn allowed_fields(self) -> Vec<&'static str> {
        let mut f: Vec<&'static str> = COMMON.to_vec();
        let extra: &[&str] = match self {
            StateType::Task => &[
                "Resource",
                "Credentials",
                "Parameters",
                "Arguments",
                "ResultSelector",
                "ResultPath",
                "Output",
                "Assign",
                "Retry",
                "Catch",
                "TimeoutSeconds",
                "TimeoutSecondsPath",
                "HeartbeatSeconds",
                "HeartbeatSecondsPath",
            ],
            StateType::Pass => &["Parameters", "Result", "ResultPath", "Output", "Assign"],
            StateType::Choice => &["Choices", "Default", "Output", "Assign"],
            StateType::Wait => &[
                "Seconds",
                "SecondsPath",
                "Timestamp",
                "TimestampPath",
                "Output",
                "Assign",
            ],
            StateType::Succeed => &["Output"],
            StateType::Fail => &["Error", "ErrorPath", "Cause", "CausePath"],
            StateType::Parallel => &[
                "Branches",
                "Parameters",
                "Arguments",
                "ResultSelector",
                "ResultPath",
                "Output",
                "Assign",
                "Retry",
                "Catch",
            ],
            StateType::Map => &[
                "ItemProcessor",
                "Iterator",
                "ItemsPath",
                "Items",
                "ItemSelector",
                "Parameters",
                "ItemReader",
                "ItemBatcher",
                "ResultWriter",
                "MaxConcurrency",
                "MaxConcurrencyPath",
                "ToleratedFailureCount",
                "ToleratedFailureCountPath",
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                "Label",
                "ResultSelector",
                "ResultPath",
                "Output",
                "Assign",
                "Retry",
                "Catch",
                "Arguments",
            ],
        };
        f.extend_from_slice(extra);
        if self != StateType::Fail {
            f.extend_from_slice(JSONPATH_IO);
        }
        if self.has_transition() {
            f.extend_from_slice(TRANSITION);
        }
        f
    }
}

impl std::fmt::Display for StateType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a state goes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition<'a> {
    Next(&'a str),
    End,
    /// Choice, Succeed and Fail: no `Next`/`End` of their own.
    None,
}

/// One outgoing edge of a state, for graphs and diagrams.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge<'a> {
    pub target: &'a str,
    pub kind: EdgeKind,
}

/// What an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    Next,
    /// The `i`-th rule of `Choices`.
    Choice(usize),
    Default,
    /// The `i`-th catcher of `Catch`.
    Catch(usize),
}

impl EdgeKind {
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Next => "next",
            EdgeKind::Choice(_) => "choice",
            EdgeKind::Default => "default",
            EdgeKind::Catch(_) => "catch",
        }
    }
}

impl State {
    /// A state written as something other than an object: kept as is, for the validator to report.
    pub(crate) fn not_an_object(json: Json) -> State {
        State {
            extra: vec![crate::json::Member::new(NOT_AN_OBJECT, json)],
            key_order: vec![NOT_AN_OBJECT.into()],
            ..State::default()
        }
    }

    /// The raw JSON of a state that is not an object.
    pub fn as_non_object(&self) -> Option<&Json> {
        match self.extra.as_slice() {
            [m] if m.key.as_str() == NOT_AN_OBJECT && self.key_order.len() == 1 => Some(&m.value),
            _ => None,
        }
    }

    pub fn new(state_type: StateType) -> State {
        State {
            type_: Some(JStr::new(state_type.name())),
            ..State::default()
        }
    }

    pub fn state_type(&self) -> Option<StateType> {
        StateType::from_name(self.type_.as_deref()?)
    }

    pub fn transition(&self) -> Transition<'_> {
        if let Some(next) = &self.next {
            Transition::Next(next)
        } else if self.end == Some(true) {
            Transition::End
        } else {
            Transition::None
        }
    }

    /// Every outgoing edge: `Next`, Choice rules, `Default`, catchers.
    pub fn edges(&self) -> Vec<Edge<'_>> {
        let mut out = Vec::new();
        if let Some(next) = &self.next {
            out.push(Edge {
                target: next,
                kind: EdgeKind::Next,
            });
        }
        for (i, rule) in self.choices.iter().flatten().enumerate() {
            if let Some(next) = &rule.next {
                out.push(Edge {
                    target: next,
                    kind: EdgeKind::Choice(i),
                });
            }
        }
        if let Some(d) = &self.default {
            out.push(Edge {
                target: d,
                kind: EdgeKind::Default,
            });
        }
        for (i, c) in self.catch.iter().flatten().enumerate() {
            if let Some(next) = &c.next {
                out.push(Edge {
                    target: next,
                    kind: EdgeKind::Catch(i),
                });
            }
        }
        out
    }

    /// The machines nested in this state: Parallel branches, or a Map's processor.
    pub fn child_machines(&self) -> Vec<&StateMachine> {
        let mut out: Vec<&StateMachine> = self.branches.iter().flatten().collect();
        out.extend(self.item_processor.as_deref());
        out.extend(self.iterator.as_deref());
        out
    }

    pub fn child_machines_mut(&mut self) -> Vec<&mut StateMachine> {
        let mut out: Vec<&mut StateMachine> = self.branches.iter_mut().flatten().collect();
        out.extend(self.item_processor.as_deref_mut());
        out.extend(self.iterator.as_deref_mut());
        out
    }

    /// The Map processor, whichever of `ItemProcessor`/`Iterator` is used.
    pub fn processor(&self) -> Option<&StateMachine> {
        self.item_processor.as_deref().or(self.iterator.as_deref())
    }

    /// Renames every transition target `from` → `to` in this state (not in nested machines).
    pub fn rename_target(&mut self, from: &str, to: &str) {
        let fix = |s: &mut Option<JStr>| {
            if s.as_deref() == Some(from) {
                *s = Some(JStr::new(to));
            }
        };
        fix(&mut self.next);
        fix(&mut self.default);
        for rule in self.choices.iter_mut().flatten() {
            fix(&mut rule.next);
        }
        for c in self.catch.iter_mut().flatten() {
            fix(&mut c.next);
        }
    }
}

/// The key under which a non-object state keeps its JSON (a name no real field can have).
const NOT_AN_OBJECT: &str = "\u{0}statewright:not-an-object";
