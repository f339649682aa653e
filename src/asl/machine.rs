//! The state machine: the top level, and every nested machine (Parallel branch, Map item processor).

use super::field::{FieldValue, NumberOrExpr, asl_object};
use super::map::ProcessorConfig;
use super::state::State;
use crate::json::{JStr, Json, Member, Span};
use std::collections::HashMap;

asl_object! {
    /// A state machine. The same type serves the top level, each Parallel branch and a Map's
    /// `ItemProcessor`/`Iterator` (which may also carry `ProcessorConfig`).
    pub struct StateMachine {
        comment: JStr = "Comment",
        query_language: JStr = "QueryLanguage",
        start_at: JStr = "StartAt",
        states: States = "States",
        timeout_seconds: NumberOrExpr = "TimeoutSeconds",
        version: JStr = "Version",
        processor_config: ProcessorConfig = "ProcessorConfig",
    }
}

/// The `States` object: named states in file order. Duplicate names are kept (the validator reports them).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct States(pub Vec<NamedState>);

/// One entry of `States`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedState {
    pub name: JStr,
    pub state: State,
}

impl FieldValue for States {
    fn from_json(json: &Json) -> Option<Self> {
        let members = json.as_object()?;
        Some(States(
            members
                .iter()
                .map(|m| NamedState {
                    name: m.key.clone(),
                    state: State::from_json(&m.value)
                        .unwrap_or_else(|| State::not_an_object(m.value.clone())),
                })
                .collect(),
        ))
    }

    fn to_json(&self) -> Json {
        Json::object(
            self.0
                .iter()
                .map(|n| Member {
                    key: n.name.clone(),
                    key_span: Span::NONE,
                    value: n
                        .state
                        .as_non_object()
                        .cloned()
                        .unwrap_or_else(|| n.state.to_json()),
                })
                .collect(),
        )
    }
}

impl States {
    pub fn get(&self, name: &str) -> Option<&State> {
        self.0
            .iter()
            .find(|n| n.name.as_str() == name)
            .map(|n| &n.state)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut State> {
        self.0
            .iter_mut()
            .find(|n| n.name.as_str() == name)
            .map(|n| &mut n.state)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|n| n.name.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &State)> {
        self.0.iter().map(|n| (n.name.as_str(), &n.state))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Where each state of one machine is, by name: built once in O(states), after which a lookup is O(1)
/// ([`StateMachine::state`] scans the list). For callers that look up many names, such as the simulator.
///
/// It holds positions, not borrows, so it can be kept next to the machine it was built from; a lookup takes that
/// machine again and checks the name at the position. An index built from another version of the machine is
/// therefore never wrong, only slower (a mismatch or a miss falls back to the scan). Of duplicate names the first
/// wins, as with [`States::get`].
#[derive(Clone, Debug, Default)]
pub struct StateIndex {
    positions: HashMap<Box<str>, usize>,
}

impl StateIndex {
    pub fn new(machine: &StateMachine) -> Self {
        let states = machine.states();
        let mut positions = HashMap::with_capacity(states.len());
        for (i, n) in states.iter().enumerate() {
            positions.entry(n.name.as_str().into()).or_insert(i);
        }
        StateIndex { positions }
    }

    /// The state of `machine` named `name` (with its name borrowed from the machine).
    pub fn get<'m>(&self, machine: &'m StateMachine, name: &str) -> Option<&'m NamedState> {
        let states = machine.states();
        self.positions
            .get(name)
            .and_then(|&i| states.get(i))
            .filter(|n| n.name.as_str() == name)
            .or_else(|| states.iter().find(|n| n.name.as_str() == name))
    }
}

impl StateMachine {
    /// The states, or an empty list when `States` is missing or malformed.
    pub fn states(&self) -> &[NamedState] {
        self.states.as_ref().map_or(&[], |s| &s.0)
    }

    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.as_ref()?.get(name)
    }

    pub fn state_mut(&mut self, name: &str) -> Option<&mut State> {
        self.states.as_mut()?.get_mut(name)
    }

    pub fn start_at(&self) -> Option<&str> {
        self.start_at.as_deref()
    }

    /// Calls `f` for every machine nested in this one (Parallel branches, Map processors), recursively,
    /// with the name of the state that holds it; this machine itself comes first with `None`.
    pub fn visit_machines<'a>(&'a self, f: &mut dyn FnMut(Option<&'a str>, &'a StateMachine)) {
        let mut stack: Vec<(Option<&'a str>, &'a StateMachine)> = vec![(None, self)];
        while let Some((owner, m)) = stack.pop() {
            f(owner, m);
            for n in m.states().iter().rev() {
                for child in n.state.child_machines().into_iter().rev() {
                    stack.push((Some(n.name.as_str()), child));
                }
            }
        }
    }

    /// Every state name in the whole machine, nested machines included, in document order.
    pub fn all_state_names(&self) -> Vec<&str> {
        let mut out = Vec::new();
        fn walk<'a>(m: &'a StateMachine, out: &mut Vec<&'a str>) {
            for n in m.states() {
                out.push(n.name.as_str());
                for child in n.state.child_machines() {
                    walk(child, out);
                }
            }
        }
        walk(self, &mut out);
        out
    }
}
