//! Replaying a real AWS execution: an execution history (what `aws stepfunctions get-execution-history`
//! prints) read into a [`Trace`], so the player shows it exactly like a simulation, and checked against a
//! definition: every event that does not fit it is a [`Mismatch`], never silently skipped.
//!
//! - [`history`]: the file shapes accepted and where each event is in the text (line:col);
//! - [`convert`]: the events → trace events (each state's path, with its Parallel branch and Map iteration
//!   derived from the event structure) and the checks against the definition.
//!
//! What a replayed trace holds: AWS's event ids, `previousEventId`s and type names; the path of the state
//! each event belongs to; the input and output (decoded from the JSON strings the API sends; already
//! decoded values are taken as they are); error, cause and resource; the timestamps (epoch seconds or
//! ISO 8601 text; where an event has none usable, 1 ms after the event before it, from the simulator's
//! default start time for the first).
//!
//! A Choice state's decision is evaluated on the input its `ChoiceStateEntered` event records, with the
//! simulator's own Choice evaluation ([`crate::sim::choice::decide`]), and attached to its `ChoiceStateExited`
//! event; the next state the history enters in that scope must be the one the rules choose (else a
//! [`Mismatch`]). The rules read the workflow variables the history recorded as assigned
//! (`assignedVariables` of the events before, in the Choice's scope and the scopes enclosing it). Without
//! data, or when the rules cannot be evaluated from the history (they read the context object, the clock or
//! random numbers, or a variable whose value the history does not give), the event gets a note in
//! [`Replay::choice_notes`] instead of a decision.
//!
//! The status is the last execution-level result event's (`ExecutionSucceeded`, `…Failed`, `…TimedOut`,
//! `…Aborted`). A history with none of them has not finished (it was exported while the execution ran, or it
//! is cut short): its status is [`Status::Running`](crate::trace::Status::Running) (`RUNNING`), and that alone is not a mismatch.

pub mod convert;
pub mod history;

pub use convert::replay_events;
pub use history::{HistoryError, RawEvent, parse_history};

use crate::asl::StateMachine;
use crate::trace::Trace;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// An event that does not fit the definition (or is not a valid event).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The event's `id`; `None` when the element has none (it is not an event object).
    pub event_id: Option<u64>,
    pub message: String,
    /// Where the event starts in the history file (1-based).
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    pub column: usize,
}

/// A history replayed on a definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// The history as a trace, for the player.
    pub trace: Trace,
    /// The events that do not fit the definition, in event order.
    pub mismatches: Vec<Mismatch>,
    /// `stateEnteredEventDetails.name` of every `…StateEntered` event, in event order.
    pub states_entered: Vec<String>,
    /// How many elements the history's event list has.
    pub events: usize,
    /// Why a `ChoiceStateExited` event has no decision attached (by event id): the history has no data, or
    /// the rules cannot be evaluated from it (see [`crate::sim::choice::decide`]).
    pub choice_notes: BTreeMap<u64, String>,
    /// The events whose timestamp is not a time (a placeholder such as `"timestamp"`, or none): their time is
    /// made up (1 ms after the event before) and only gives the order.
    pub untimed: BTreeSet<u64>,
}

impl Replay {
    /// Whether every event fits the definition.
    pub fn fits(&self) -> bool {
        self.mismatches.is_empty()
    }

    /// `{"status", "states_entered", "events", "mismatches": [{"event_id", "message"}]}`: what
    /// `statewright replay --format json` prints.
    pub fn summary_json(&self) -> Value {
        json!({
            "status": self.trace.status.name(),
            "states_entered": self.states_entered,
            "events": self.events,
            "mismatches": self.mismatches,
        })
    }

    /// The readable report: one line per event (as `statewright simulate` lists a run), the states entered,
    /// every mismatch as `HISTORY:line:col: event N: message`, and the verdict.
    pub fn text_report(&self, history: &Path) -> String {
        let mut out = crate::sim::cli::text_report(&self.trace);
        out.push_str(&format!(
            "events: {}, states entered: {}\n",
            self.events,
            self.states_entered.len()
        ));
        if self.mismatches.is_empty() {
            out.push_str("the history fits the definition\n");
            return out;
        }
        out.push_str(&format!(
            "{} event(s) do not fit the definition:\n",
            self.mismatches.len()
        ));
        for m in &self.mismatches {
            let id = m
                .event_id
                .map_or_else(|| "event without id".into(), |id| format!("event {id}"));
            out.push_str(&format!(
                "{}:{}:{}: {id}: {}\n",
                history.display(),
                m.line,
                m.column,
                m.message
            ));
        }
        out
    }
}

/// Replays the history in `text` on `machine`; `Err` when the text is not a history.
pub fn replay(machine: &StateMachine, text: &str) -> Result<Replay, HistoryError> {
    Ok(replay_events(machine, &parse_history(text)?))
}

/// Reads and replays a history file. The error is one line: `PATH: cannot read: …` or
/// `PATH:LINE:COL: error: …`.
pub fn replay_file(machine: &StateMachine, path: &Path) -> Result<Replay, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]);
        let (line, col) = crate::json::LineIndex::new(&prefix).line_col(&prefix, valid);
        format!(
            "{}:{line}:{col}: error: the file is not UTF-8 text (invalid byte at offset {valid})",
            path.display()
        )
    })?;
    replay(machine, &text).map_err(|e| {
        format!(
            "{}:{}:{}: error: {}",
            path.display(),
            e.line,
            e.column,
            e.message
        )
    })
}
