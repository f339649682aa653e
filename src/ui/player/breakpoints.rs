//! Breakpoints on states: toggled from a state's context menu on the canvas, with F9 on the selected state
//! or from the Run menu; drawn as a red dot on the state's corner. Play stops when a state with a breakpoint
//! is entered (the cursor rests on its `…StateEntered` event); "Continue to next breakpoint" jumps there.
//!
//! Breakpoints are kept by layout path (state names from the outermost scope down, so a state inside a
//! Parallel branch or a Map is `["Fan out", "Load"]`) while the document is open: a renamed state keeps its
//! breakpoint, a deleted state loses it, another document starts with none.

use crate::asl::StateMachine;
use crate::edit::follow::renamed_state;
use crate::trace::{PathSegment, StatePath, Trace};
use egui::{Color32, Pos2, Rect, Stroke};
use std::collections::{BTreeSet, HashSet};

/// The breakpoint dot's colour (canvas and timeline).
pub const BREAKPOINT_COLOR: Color32 = Color32::from_rgb(0xe5, 0x1c, 0x23);

/// The states with a breakpoint, by layout path.
#[derive(Clone, Debug, Default)]
pub struct Breakpoints {
    paths: BTreeSet<Vec<String>>,
    /// Counts changes: what is derived from the set (the hits in a trace) is cached on it.
    rev: u64,
    /// The document (`Background::doc_id`) and machine version the set was last brought up to date with.
    doc: Option<u64>,
    version: u64,
    /// Every state's layout path at `version`, while there are breakpoints (to tell a rename from a delete).
    known: HashSet<Vec<String>>,
}

impl Breakpoints {
    pub fn contains(&self, path: &[String]) -> bool {
        !self.paths.is_empty() && self.paths.contains(path)
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// The paths with a breakpoint, sorted.
    pub fn iter(&self) -> impl Iterator<Item = &Vec<String>> {
        self.paths.iter()
    }

    /// Changes whenever the set changes.
    pub fn rev(&self) -> u64 {
        self.rev
    }

    /// Adds a breakpoint on `path` (a state of `machine`, at machine version `version`) or removes it.
    /// Returns whether it is set now.
    pub fn toggle(&mut self, path: Vec<String>, machine: &StateMachine, version: u64) -> bool {
        if self.paths.is_empty() || self.version != version {
            self.known = state_paths(machine);
            self.version = version;
        }
        self.rev += 1;
        if self.paths.remove(&path) {
            false
        } else {
            self.paths.insert(path);
            true
        }
    }

    /// Removes every breakpoint.
    pub fn clear(&mut self) {
        if !self.paths.is_empty() {
            self.paths.clear();
            self.rev += 1;
        }
        self.known.clear();
    }

    /// Keeps the set in step with the document: another document clears it; after an edit a renamed state
    /// (one name gone, one new: [`renamed_state`]) keeps its breakpoint, and a state that no longer exists loses it. Cheap
    /// when nothing changed (one comparison of versions).
    pub fn follow_edits(&mut self, doc: u64, version: u64, machine: &StateMachine) {
        if self.doc != Some(doc) {
            self.doc = Some(doc);
            self.clear();
            self.version = version;
            return;
        }
        if self.version == version {
            return;
        }
        self.version = version;
        if self.paths.is_empty() {
            self.known.clear();
            return;
        }
        let now = state_paths(machine);
        let names = |set: &HashSet<Vec<String>>| -> HashSet<String> {
            set.iter().filter_map(|p| p.last().cloned()).collect()
        };
        let (old_names, new_names) = (names(&self.known), names(&now));
        let before = self.paths.clone();
        if let Some((from, to)) = renamed_state(&old_names, &new_names) {
            self.paths = std::mem::take(&mut self.paths)
                .into_iter()
                .map(|p| {
                    p.into_iter()
                        .map(|s| if s == from { to.to_owned() } else { s })
                        .collect()
                })
                .collect();
        }
        self.paths.retain(|p| now.contains(p));
        if self.paths != before {
            self.rev += 1;
        }
        self.known = now;
    }

    /// Whether `path` (a trace path, with branch and iteration segments) is a state with a breakpoint.
    pub fn hit_by(&self, path: &StatePath) -> bool {
        !self.paths.is_empty() && self.paths.iter().any(|bp| same_states(path, bp))
    }

    /// The indices of the events of `trace` that enter a state with a breakpoint, in order.
    pub fn hits(&self, trace: &Trace) -> Vec<usize> {
        if self.paths.is_empty() {
            return Vec::new();
        }
        trace
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_state_entered() && self.hit_by(&e.path))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Whether a trace path's state names are exactly `layout` (compared in place, nothing allocated).
fn same_states(path: &StatePath, layout: &[String]) -> bool {
    let mut names = path.0.iter().filter_map(|s| match s {
        PathSegment::State(n) => Some(&**n),
        _ => None,
    });
    layout.iter().all(|l| names.next() == Some(l.as_str())) && names.next().is_none()
}

/// Every state's layout path in `machine`, nested machines included.
pub fn state_paths(machine: &StateMachine) -> HashSet<Vec<String>> {
    fn walk(m: &StateMachine, prefix: &mut Vec<String>, out: &mut HashSet<Vec<String>>) {
        for n in m.states() {
            prefix.push(n.name.to_string());
            out.insert(prefix.clone());
            for child in n.state.child_machines() {
                walk(child, prefix, out);
            }
            prefix.pop();
        }
    }
    let mut out = HashSet::new();
    walk(machine, &mut Vec::new(), &mut out);
    out
}

/// The layout path of the state named `name` (names are unique in the whole machine).
pub fn path_of(machine: &StateMachine, name: &str) -> Option<Vec<String>> {
    fn walk(m: &StateMachine, name: &str, prefix: &mut Vec<String>) -> bool {
        for n in m.states() {
            prefix.push(n.name.to_string());
            if n.name.as_str() == name
                || n.state
                    .child_machines()
                    .into_iter()
                    .any(|c| walk(c, name, prefix))
            {
                return true;
            }
            prefix.pop();
        }
        false
    }
    let mut path = Vec::new();
    walk(machine, name, &mut path).then_some(path)
}

/// The red dot on the top-left corner of a state's box (`r`, a simple state's box or a container's).
pub fn paint_breakpoint(painter: &egui::Painter, r: Rect) {
    let c = r.left_top() + egui::vec2(2.0, 2.0);
    dot(painter, c, 7.0);
}

/// A breakpoint dot: red with a white rim, readable on both themes.
pub(super) fn dot(painter: &egui::Painter, c: Pos2, radius: f32) {
    painter.circle(
        c,
        radius,
        BREAKPOINT_COLOR,
        Stroke::new((radius / 4.0).max(1.0), Color32::WHITE),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;
    use crate::sim::{SimConfig, simulate};
    use serde_json::json;

    fn machine(v: serde_json::Value) -> StateMachine {
        Document::parse_json(&v.to_string()).unwrap().machine
    }

    fn p(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn nested() -> serde_json::Value {
        json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "P"},
            "P": {"Type": "Parallel", "Next": "M", "ResultPath": "$.par", "Branches": [
                {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}}]},
            "M": {"Type": "Map", "End": true, "ItemsPath": "$.items", "ItemProcessor": {
                "StartAt": "Y", "States": {"Y": {"Type": "Pass", "End": true}}}}}})
    }

    #[test]
    fn paths_reach_states_inside_parallel_and_map() {
        let m = machine(nested());
        assert_eq!(path_of(&m, "X"), Some(p(&["P", "X"])));
        assert_eq!(path_of(&m, "Y"), Some(p(&["M", "Y"])));
        assert_eq!(path_of(&m, "A"), Some(p(&["A"])));
        assert_eq!(path_of(&m, "Z"), None);
        assert_eq!(state_paths(&m).len(), 5);
    }

    #[test]
    fn hits_are_the_entries_of_states_with_a_breakpoint() {
        let m = machine(nested());
        let trace = simulate(&m, json!({"items": [1, 2, 3]}), &SimConfig::default());
        let mut bp = Breakpoints::default();
        bp.toggle(p(&["M", "Y"]), &m, 1);
        let hits = bp.hits(&trace);
        assert_eq!(hits.len(), 3, "one per Map iteration");
        for &i in &hits {
            let e = &trace.events[i];
            assert!(e.is_state_entered());
            assert_eq!(e.path.state_name(), Some("Y"));
        }
        // A top-level state named like a nested one would not match a nested path, nor the reverse.
        assert!(!same_states(&trace.events[hits[0]].path, &p(&["Y"])));
        bp.toggle(p(&["M", "Y"]), &m, 1);
        assert!(bp.hits(&trace).is_empty());
    }

    #[test]
    fn a_rename_carries_the_breakpoint_and_a_delete_removes_it() {
        let m = machine(nested());
        let mut bp = Breakpoints::default();
        bp.follow_edits(7, 1, &m);
        bp.toggle(p(&["P", "X"]), &m, 1);
        bp.toggle(p(&["A"]), &m, 1);
        let rev = bp.rev();
        // The Parallel renamed: the nested path follows.
        let mut v = nested();
        let par = v["States"]["P"].take();
        v["States"].as_object_mut().unwrap().remove("P");
        v["States"]["Fan"] = par;
        v["States"]["A"]["Next"] = json!("Fan");
        let renamed = machine(v.clone());
        bp.follow_edits(7, 2, &renamed);
        assert!(bp.contains(&p(&["Fan", "X"])));
        assert!(bp.contains(&p(&["A"])));
        assert!(bp.rev() > rev);
        // A deleted.
        v["States"].as_object_mut().unwrap().remove("A");
        v["StartAt"] = json!("Fan");
        bp.follow_edits(7, 3, &machine(v));
        assert_eq!(bp.iter().collect::<Vec<_>>(), vec![&p(&["Fan", "X"])]);
        // Same version again: nothing to do. Another document: none.
        bp.follow_edits(7, 3, &renamed);
        assert_eq!(bp.len(), 1);
        bp.follow_edits(8, 4, &renamed);
        assert!(bp.is_empty());
    }
}
