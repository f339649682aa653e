//! Which states and transitions a trace has visited, and which are current, at a cursor: what a viewer
//! highlights while replaying a run. Paths are layout paths (state names from the outermost scope down).

use super::{PathSegment, StatePath, Trace, TraceCursor};
use std::collections::{BTreeMap, BTreeSet};

/// What the canvas paints over the diagram while a trace is loaded. Paths are the layout's (state names from
/// the outermost scope down), so states inside Parallel branches and Map iterations land on their nested node.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunHighlight {
    /// States running at the cursor (several while Parallel branches are active), or the state the current
    /// event belongs to.
    pub current: BTreeSet<Vec<String>>,
    /// Every state entered up to the cursor.
    pub visited: BTreeSet<Vec<String>>,
    /// Transitions taken up to the cursor, `(from, to)`.
    pub edges: BTreeSet<(Vec<String>, Vec<String>)>,
}

/// How a state, or a transition into it, turned out in the run shown: the canvas colours it by this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Ran and left normally.
    Succeeded,
    /// Failed and nothing caught it (the error left the state's scope).
    Failed,
    /// Failed and a `Catch` sent the run on.
    Caught,
    /// Failed at least once and was retried.
    Retried,
}

impl Outcome {
    /// The colour of this outcome on a dark or light background, normal or high contrast. The one table of
    /// outcome colours: the canvas (through `ui::theme::outcome_color`), the timeline and the SVG/PNG
    /// exports all use it.
    pub fn rgb(self, dark: bool, high_contrast: bool) -> [u8; 3] {
        match (self, high_contrast, dark) {
            (Outcome::Succeeded, false, true) => [0x3f, 0xb9, 0x50],
            (Outcome::Succeeded, false, false) => [0x1f, 0x88, 0x3d],
            (Outcome::Succeeded, true, _) => [0x00, 0x9e, 0x2f],
            (Outcome::Failed, false, _) => [0xcc, 0x44, 0x44],
            (Outcome::Failed, true, _) => [0xe0, 0x00, 0x00],
            (Outcome::Caught, false, _) => [0xe0, 0x8a, 0x1e],
            (Outcome::Caught, true, _) => [0xff, 0x8c, 0x00],
            (Outcome::Retried, false, _) => [0x3b, 0x7d, 0xd8],
            (Outcome::Retried, true, _) => [0x00, 0x5f, 0xff],
        }
    }
}

/// The layout path of a trace path: its state names, without branch and iteration segments.
pub fn layout_path(p: &StatePath) -> Vec<String> {
    p.0.iter()
        .filter_map(|s| match s {
            PathSegment::State(n) => Some(n.to_string()),
            _ => None,
        })
        .collect()
}

/// The highlight at the cursor: computed from the trace alone.
pub fn highlight(trace: &Trace, cursor: &TraceCursor) -> RunHighlight {
    let mut current: BTreeSet<Vec<String>> = cursor.active(trace).iter().map(layout_path).collect();
    if let Some(e) = cursor.current(trace)
        && !e.path.0.is_empty()
    {
        current.insert(layout_path(&e.path));
    }
    let visited = cursor.visited(trace).iter().map(layout_path).collect();
    // A transition is two states entered one after the other in the same scope (same branch, same iteration).
    let mut last_in_scope: BTreeMap<&[PathSegment], Vec<String>> = BTreeMap::new();
    let mut edges = BTreeSet::new();
    let n = cursor.index().map_or(0, |i| i + 1).min(trace.events.len());
    for e in trace.events[..n].iter().filter(|e| e.is_state_entered()) {
        let scope = &e.path.0[..e.path.0.len().saturating_sub(1)];
        let to = layout_path(&e.path);
        if let Some(from) = last_in_scope.insert(scope, to.clone()) {
            edges.insert((from, to));
        }
    }
    // At a Choice state's decision, the rule's target is already shown as taken.
    if let Some(e) = cursor.current(trace)
        && let Some(next) = e.choice().and_then(|c| c.next.as_ref())
    {
        let from = layout_path(&e.path);
        let mut to = from.clone();
        to.pop();
        to.push(next.clone());
        edges.insert((from, to));
    }
    RunHighlight {
        current,
        visited,
        edges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;
    use crate::sim::{SimConfig, simulate};
    use serde_json::json;

    fn run(asl: serde_json::Value, input: serde_json::Value) -> Trace {
        let doc = Document::parse_json(&asl.to_string()).expect("test machine parses");
        simulate(&doc.machine, input, &SimConfig::default())
    }

    fn p(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn choice_machine() -> serde_json::Value {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [
                {"Variable": "$.x", "NumericEquals": 1, "Next": "B"}], "Default": "D"},
            "B": {"Type": "Pass", "End": true},
            "D": {"Type": "Pass", "End": true}}})
    }

    #[test]
    fn visited_and_taken_up_to_the_cursor() {
        let trace = run(choice_machine(), json!({"x": 1}));
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek_end();
        let hl = highlight(&trace, &cursor);
        assert_eq!(hl.visited, [p(&["A"]), p(&["B"]), p(&["C"])].into());
        assert_eq!(
            hl.edges,
            [(p(&["A"]), p(&["C"])), (p(&["C"]), p(&["B"]))].into()
        );
        assert!(!hl.visited.contains(&p(&["D"])));

        cursor.seek(Some(0));
        let start = highlight(&trace, &cursor);
        assert!(start.edges.is_empty());
        assert!(start.visited.is_empty());
    }

    #[test]
    fn a_choice_decision_shows_its_target_as_taken() {
        let trace = run(choice_machine(), json!({"x": 2}));
        let at = trace
            .events
            .iter()
            .position(|e| e.choice().is_some())
            .expect("the Choice state records its decision");
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek(Some(at));
        let hl = highlight(&trace, &cursor);
        assert!(hl.current.contains(&p(&["C"])));
        assert!(hl.edges.contains(&(p(&["C"]), p(&["D"]))));
        assert!(!hl.visited.contains(&p(&["D"])), "D is not entered yet");
    }

    #[test]
    fn states_in_parallel_branches_have_nested_paths() {
        let trace = run(
            json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "X", "States": {
                    "X": {"Type": "Pass", "Next": "Y"},
                    "Y": {"Type": "Pass", "End": true}}}]}}}),
            json!({}),
        );
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek_end();
        let hl = highlight(&trace, &cursor);
        assert!(hl.visited.contains(&p(&["P", "X"])));
        assert!(hl.visited.contains(&p(&["P", "Y"])));
        assert!(hl.edges.contains(&(p(&["P", "X"]), p(&["P", "Y"]))));
        assert!(!hl.visited.contains(&p(&["X"])));
    }
}
