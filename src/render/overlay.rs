//! A run drawn over an exported picture: the states and transitions a trace has visited up to a step, the
//! current state(s), each state's outcome and how often it ran; built from [`RunHighlight`] (the canvas's
//! own view of the run) so that the picture shows what the player shows.

use crate::trace::highlight::{Outcome, RunHighlight, highlight};
use crate::trace::{Trace, TraceCursor};
use std::collections::{BTreeMap, BTreeSet};

/// What [`super::svg::render_svg_with_run`] paints over the diagram. Paths are layout paths (state names
/// from the outermost scope down).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOverlay {
    pub current: BTreeSet<Vec<String>>,
    pub visited: BTreeSet<Vec<String>>,
    /// Transitions taken, `(from, to)`.
    pub edges: BTreeSet<(Vec<String>, Vec<String>)>,
    /// How each visited state turned out so far (absent: still running, or nothing to say yet).
    pub outcomes: BTreeMap<Vec<String>, Outcome>,
    /// How many times each state was entered (drawn when more than once).
    pub visits: BTreeMap<Vec<String>, usize>,
    /// A line above the diagram: which step of which run this is.
    pub caption: String,
    /// Use the high-contrast outcome colours.
    pub high_contrast: bool,
}

impl RunOverlay {
    /// The overlay of `hl`, the highlight of `trace` at `cursor` (passed in so a caller that already has it
    /// does not compute it again).
    pub fn new(hl: &RunHighlight, trace: &Trace, cursor: &TraceCursor) -> RunOverlay {
        let outcomes = hl.outcomes.clone();
        let visits = hl.visits.clone();
        // A state that has finished (it has an outcome) is no longer current, unless the event shown is its
        // own (the highlight keeps a Fail inside a caught branch running for ever).
        let shown = cursor
            .current(trace)
            .map(|e| crate::trace::highlight::layout_path(&e.path));
        let mut current = hl.current.clone();
        current.retain(|p| !outcomes.contains_key(p) || shown.as_ref() == Some(p));
        let step = cursor.index().map_or(0, |i| i + 1);
        let status = if cursor.at_end() {
            format!(" · {}", trace.status.name())
        } else {
            String::new()
        };
        RunOverlay {
            current,
            visited: hl.visited.clone(),
            edges: hl.edges.clone(),
            outcomes,
            visits,
            caption: format!("Run at step {step} of {}{status}", trace.events.len()),
            high_contrast: false,
        }
    }

    /// The overlay of `trace` at `cursor`.
    pub fn at(trace: &Trace, cursor: &TraceCursor) -> RunOverlay {
        RunOverlay::new(&highlight(trace, cursor), trace, cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;
    use crate::sim::{SimConfig, simulate};
    use serde_json::json;

    fn p(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_caught_failure_and_a_loop() {
        // A Fail inside a Parallel branch fails the Parallel; its Catch sends the run on to `Handle`, which
        // loops back through `Again` twice.
        let asl = json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "Boom", "States": {
                "Boom": {"Type": "Fail", "Error": "Oops"}}}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle", "ResultPath": "$.err"}],
                "Next": "Done"},
            "Handle": {"Type": "Pass", "Next": "Again"},
            "Again": {"Type": "Choice", "Choices": [
                {"Variable": "$.n", "NumericLessThan": 2, "Next": "Bump"}], "Default": "Done"},
            "Bump": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Again"},
            "Done": {"Type": "Succeed"}}});
        let doc = Document::parse_json(&asl.to_string()).unwrap();
        let trace = simulate(&doc.machine, json!({"n": 0}), &SimConfig::default());
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek_end();
        let o = RunOverlay::at(&trace, &cursor);
        assert_eq!(o.outcomes.get(&p(&["P"])), Some(&Outcome::Caught));
        assert_eq!(o.outcomes.get(&p(&["P", "Boom"])), Some(&Outcome::Failed));
        assert_eq!(o.outcomes.get(&p(&["Handle"])), Some(&Outcome::Succeeded));
        assert_eq!(o.visits.get(&p(&["Again"])), Some(&3));
        assert_eq!(o.visits.get(&p(&["Bump"])), Some(&2));
        assert_eq!(o.visits.get(&p(&["Handle"])), Some(&1));
        assert!(o.caption.ends_with("SUCCEEDED"), "{}", o.caption);
        // Finished states are not current at the end.
        assert!(!o.current.contains(&p(&["P", "Boom"])), "{:?}", o.current);

        // Earlier in the run: fewer visits, no outcome for what has not run.
        cursor.seek(Some(0));
        let o = RunOverlay::at(&trace, &cursor);
        assert!(o.visits.is_empty() && o.outcomes.is_empty());
        assert!(o.caption.starts_with("Run at step 1 of"));
    }

    #[test]
    fn a_retried_task_and_an_uncaught_failure() {
        use crate::sim::TaskMocks;
        let asl = json!({"StartAt": "Get", "States": {
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1}], "Next": "Put"},
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
        let doc = Document::parse_json(&asl.to_string()).unwrap();
        let config = SimConfig {
            mocks: TaskMocks::from_lists(&json!({
                "Get": [{"Throw": {"Error": "Busy"}}, {"Return": {"ok": true}}],
                "Put": [{"Throw": {"Error": "Denied"}}]}))
            .unwrap(),
            ..SimConfig::default()
        };
        let trace = simulate(&doc.machine, json!({}), &config);
        let mut cursor = TraceCursor::new(&trace);
        cursor.seek_end();
        let o = RunOverlay::at(&trace, &cursor);
        assert_eq!(o.outcomes.get(&p(&["Get"])), Some(&Outcome::Retried));
        assert_eq!(o.outcomes.get(&p(&["Put"])), Some(&Outcome::Failed));
        assert_eq!(
            o.visits.get(&p(&["Get"])),
            Some(&1),
            "a retry is not a new visit"
        );
        assert!(o.caption.ends_with("FAILED"), "{}", o.caption);
        // Right after Get's first failure it shows as failed (the retry has not happened yet).
        let failed_at = trace
            .events
            .iter()
            .position(|e| e.detail.as_ref().is_some_and(|d| d.error.is_some()))
            .unwrap();
        cursor.seek(Some(failed_at));
        let o = RunOverlay::at(&trace, &cursor);
        assert_eq!(o.outcomes.get(&p(&["Get"])), Some(&Outcome::Failed));
        assert!(o.current.contains(&p(&["Get"])));
    }
}
