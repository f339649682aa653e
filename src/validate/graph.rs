//! Graph rules, on petgraph: StartAt and every transition target exist in the same scope, every state is
//! reachable, each machine can end, names are unique across the whole machine and short enough.

use super::Sink;
use super::diagnostic::Diagnostic;
use crate::asl::{EdgeKind, StateMachine, StateType};
use crate::json::Pointer;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Dfs;
use std::collections::{HashMap, HashSet};

const MAX_NAME_LEN: usize = 80;

pub(crate) fn check(machine: &StateMachine, sink: &mut Sink) {
    let all: HashSet<&str> = machine.all_state_names().into_iter().collect();
    let mut seen: HashMap<&str, Pointer> = HashMap::new();
    check_scope(machine, &Pointer::root(), &all, &mut seen, sink);
}

fn check_scope<'a>(
    m: &'a StateMachine,
    ptr: &Pointer,
    all: &HashSet<&str>,
    seen: &mut HashMap<&'a str, Pointer>,
    sink: &mut Sink,
) {
    let states_ptr = ptr.join("States");
    let mut graph: DiGraph<&str, EdgeKind> = DiGraph::new();
    let mut index: HashMap<&str, NodeIndex> = HashMap::new();
    for n in m.states() {
        let name = n.name.as_str();
        let sp = states_ptr.join(name);
        if let Some(first) = seen.get(name) {
            sink.push(Diagnostic::error(
                "duplicate-state-name",
                sp.clone(),
                format!("state name \"{name}\" is already used at {first}; names must be unique across the whole state machine"),
            ));
        } else {
            seen.insert(name, sp.clone());
        }
        if name.chars().count() > MAX_NAME_LEN {
            sink.push(Diagnostic::error(
                "state-name-too-long",
                sp,
                format!(
                    "state name \"{name}\" has {} characters; the limit is {MAX_NAME_LEN}",
                    name.chars().count()
                ),
            ));
        }
        index.entry(name).or_insert_with(|| graph.add_node(name));
    }
    if m.states.is_none() {
        return;
    }

    let start = match m.start_at() {
        Some(s) => match index.get(s) {
            Some(&i) => Some(i),
            None => {
                sink.push(Diagnostic::error(
                    if all.contains(s) {
                        "target-out-of-scope"
                    } else {
                        "start-at-missing"
                    },
                    ptr.join("StartAt"),
                    format!("StartAt \"{s}\" names no state of this machine"),
                ));
                None
            }
        },
        None => None,
    };

    let mut has_terminal = false;
    for n in m.states() {
        let name = n.name.as_str();
        let st = &n.state;
        if st.end == Some(true) || st.state_type().is_some_and(StateType::is_terminal_type) {
            has_terminal = true;
        }
        let from = index[name];
        for e in st.edges() {
            let field = match e.kind {
                EdgeKind::Next => states_ptr.join(name).join("Next"),
                EdgeKind::Default => states_ptr.join(name).join("Default"),
                EdgeKind::Choice(i) => states_ptr
                    .join(name)
                    .join("Choices")
                    .join_index(i)
                    .join("Next"),
                EdgeKind::Catch(i) => states_ptr
                    .join(name)
                    .join("Catch")
                    .join_index(i)
                    .join("Next"),
            };
            match index.get(e.target) {
                Some(&to) => {
                    graph.add_edge(from, to, e.kind);
                }
                None if all.contains(e.target) => sink.push(Diagnostic::error(
                    "target-out-of-scope",
                    field,
                    format!(
                        "\"{name}\" goes to \"{}\", which is in another scope: transitions cannot leave or enter a Parallel branch or Map processor",
                        e.target
                    ),
                )),
                None => sink.push(Diagnostic::error(
                    "target-missing",
                    field,
                    format!("\"{name}\" goes to \"{}\", but there is no state with that name", e.target),
                )),
            }
        }
    }

    if !has_terminal && !m.states().is_empty() {
        sink.push(Diagnostic::error(
            "no-terminal",
            states_ptr.clone(),
            "no state ends this machine: give one state \"End\": true, or add a Succeed or Fail state",
        ));
    }

    if let Some(start) = start {
        let mut reached = HashSet::new();
        let mut dfs = Dfs::new(&graph, start);
        while let Some(nx) = dfs.next(&graph) {
            reached.insert(nx);
        }
        for n in m.states() {
            let i = index[n.name.as_str()];
            if !reached.contains(&i) && graph[i] == n.name.as_str() {
                sink.push(Diagnostic::error(
                    "unreachable-state",
                    states_ptr.join(n.name.as_str()),
                    format!(
                        "state \"{}\" cannot be reached from StartAt \"{}\"",
                        n.name, graph[start]
                    ),
                ));
            }
        }
    }

    for n in m.states() {
        let sp = states_ptr.join(n.name.as_str());
        if let Some(branches) = &n.state.branches {
            for (i, b) in branches.iter().enumerate() {
                check_scope(b, &sp.join("Branches").join_index(i), all, seen, sink);
            }
        }
        if let Some(p) = &n.state.item_processor {
            check_scope(p, &sp.join("ItemProcessor"), all, seen, sink);
        }
        if let Some(p) = &n.state.iterator {
            check_scope(p, &sp.join("Iterator"), all, seen, sink);
        }
    }
}
