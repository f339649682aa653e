//! Trace data in plain words, for viewers: short times, a Choice state's decision.

use super::{ChoiceDecision, Comparison, TraceEvent};
use serde_json::Value;

/// `2024-01-01T00:00:05.000Z` → `00:00:05.000`.
pub fn short_time(ts: &str) -> &str {
    ts.split_once('T')
        .map_or(ts, |(_, t)| t.trim_end_matches('Z'))
}

/// `s` cut to `max` characters (the last three of them `...`) when longer.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() > max {
        format!("{}...", s.chars().take(max - 3).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// The decision of a Choice state in plain words: one line per comparison, then the outcome.
pub fn choice_lines(c: &ChoiceDecision) -> Vec<String> {
    let mut out: Vec<String> = c.comparisons.iter().map(comparison_text).collect();
    if c.comparisons.is_empty() {
        out.push("No comparison was evaluated.".into());
    }
    out.push(match (c.matched_rule, &c.next) {
        (Some(i), Some(n)) => format!("Rule {} of Choices matched, so next: {n}", i + 1),
        (None, Some(n)) => format!("No rule matched, so Default: {n}"),
        (_, None) => "No rule matched and there is no Default: States.NoChoiceMatched".into(),
    });
    out
}

/// `$.Crawler.State = "RUNNING", so StringEquals "READY" is false`
pub fn comparison_text(c: &Comparison) -> String {
    let actual = match &c.actual {
        Some(v) => format!("{} = {}", c.variable, compact(v)),
        None => format!("{} is absent", c.variable),
    };
    format!(
        "{actual}, so {} {} is {}",
        c.operator,
        compact(&c.expected),
        c.matched
    )
}

/// The workflow variables in scope at an event, one line each by name (`$x = 1`), those the state assigned
/// marked `(assigned here)`; empty when none is in scope.
pub fn variable_lines(ev: &TraceEvent) -> Vec<String> {
    let Some(vars) = ev.variables() else {
        return Vec::new();
    };
    let assigned = ev.assigned().unwrap_or(&[]);
    vars.iter()
        .map(|(name, value)| {
            let mark = if assigned.iter().any(|a| &**a == name) {
                " (assigned here)"
            } else {
                ""
            };
            format!("${name} = {}{mark}", compact(value))
        })
        .collect()
}

fn compact(v: &Value) -> String {
    shorten(&serde_json::to_string(v).unwrap_or_default(), 80)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_time_keeps_the_time_of_day() {
        assert_eq!(short_time("2024-01-01T00:00:05.000Z"), "00:00:05.000");
        assert_eq!(short_time("not a timestamp"), "not a timestamp");
    }

    #[test]
    fn shorten_cuts_long_text_by_characters() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("ééééééééééé", 6), "ééé...");
    }

    #[test]
    fn variables_in_words() {
        let t: crate::trace::Trace = serde_json::from_value(json!({
            "status": "SUCCEEDED", "seed": 0, "start_time": "", "end_time": "", "transitions": 1,
            "events": [{"id": 1, "previous_event_id": 0, "timestamp": "2024-01-01T00:00:00.000Z",
                        "type": "PassStateExited", "path": [{"state": "A"}],
                        "variables": {"b": [1, 2], "a": "x"}, "assigned": ["b"]},
                       {"id": 2, "previous_event_id": 1, "timestamp": "2024-01-01T00:00:00.000Z",
                        "type": "ExecutionSucceeded"}]}))
        .unwrap();
        assert_eq!(
            variable_lines(&t.events[0]),
            ["$a = \"x\"", "$b = [1,2] (assigned here)"]
        );
        assert!(variable_lines(&t.events[1]).is_empty());
    }

    #[test]
    fn a_choice_decision_in_words() {
        let c = ChoiceDecision {
            matched_rule: None,
            next: Some("Wait".into()),
            comparisons: vec![Comparison {
                variable: "$.Crawler.State".into(),
                operator: "StringEquals".into(),
                actual: Some(json!("RUNNING")),
                expected: json!("READY"),
                matched: false,
            }],
        };
        assert_eq!(
            choice_lines(&c),
            [
                "$.Crawler.State = \"RUNNING\", so StringEquals \"READY\" is false",
                "No rule matched, so Default: Wait",
            ]
        );
        let none = ChoiceDecision {
            matched_rule: None,
            next: None,
            comparisons: vec![],
        };
        assert_eq!(
            choice_lines(&none),
            [
                "No comparison was evaluated.",
                "No rule matched and there is no Default: States.NoChoiceMatched",
            ]
        );
    }
}
