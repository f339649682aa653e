//! `TraceCursor`: a position in a trace's events, with seek/step in both directions, and the states that are
//! active (entered, not yet exited) and visited (entered at least once) at that position.

use super::{StatePath, Trace};
use std::collections::BTreeSet;

/// A position over a trace's events. `index` is the last event considered "happened"; `None` is before the
/// first event.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceCursor {
    len: usize,
    index: Option<usize>,
}

impl TraceCursor {
    /// A cursor before the first event.
    pub fn new(trace: &Trace) -> TraceCursor {
        TraceCursor {
            len: trace.events.len(),
            index: None,
        }
    }

    pub fn index(&self) -> Option<usize> {
        self.index
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn at_start(&self) -> bool {
        self.index.is_none()
    }

    pub fn at_end(&self) -> bool {
        self.len == 0 || self.index == Some(self.len - 1)
    }

    /// Moves to event `index` (clamped to the last event); `None` rewinds before the first.
    pub fn seek(&mut self, index: Option<usize>) {
        self.index = match index {
            Some(i) if self.len > 0 => Some(i.min(self.len - 1)),
            _ => None,
        };
    }

    /// One event forward. Returns whether the cursor moved.
    pub fn step_forward(&mut self) -> bool {
        let next = self.index.map_or(0, |i| i + 1);
        if next < self.len {
            self.index = Some(next);
            true
        } else {
            false
        }
    }

    /// One event back. Returns whether the cursor moved.
    pub fn step_backward(&mut self) -> bool {
        match self.index {
            None => false,
            Some(0) => {
                self.index = None;
                true
            }
            Some(i) => {
                self.index = Some(i - 1);
                true
            }
        }
    }

    pub fn seek_start(&mut self) {
        self.index = None;
    }

    pub fn seek_end(&mut self) {
        self.seek(self.len.checked_sub(1));
    }

    /// Moves forward to the next event that enters a state. Returns whether one was found.
    pub fn step_to_next_state(&mut self, trace: &Trace) -> bool {
        let start = self.index.map_or(0, |i| i + 1);
        match (start..trace.events.len()).find(|&i| trace.events[i].is_state_entered()) {
            Some(i) => {
                self.index = Some(i);
                true
            }
            None => false,
        }
    }

    /// States entered and not yet exited at the cursor, in entry order. Once the execution ended nothing is active.
    pub fn active(&self, trace: &Trace) -> Vec<StatePath> {
        let mut active: Vec<StatePath> = Vec::new();
        for e in self.happened(trace) {
            if e.is_state_entered() {
                // A state that failed into a Catch has no Exited event: entering a sibling ends it.
                let parent = &e.path.0[..e.path.0.len().saturating_sub(1)];
                active.retain(|p| {
                    p.0.len() != e.path.0.len() || &p.0[..p.0.len().saturating_sub(1)] != parent
                });
                active.push(e.path.clone());
            } else if e.is_state_exited() {
                if let Some(pos) = active.iter().rposition(|p| *p == e.path) {
                    active.remove(pos);
                }
            } else if e.event_type.starts_with("Execution") && e.event_type != "ExecutionStarted" {
                active.clear();
            }
        }
        active
    }

    /// Every state entered up to and including the cursor.
    pub fn visited(&self, trace: &Trace) -> BTreeSet<StatePath> {
        self.happened(trace)
            .filter(|e| e.is_state_entered())
            .map(|e| e.path.clone())
            .collect()
    }

    /// The event at the cursor.
    pub fn current<'t>(&self, trace: &'t Trace) -> Option<&'t super::TraceEvent> {
        self.index.and_then(|i| trace.events.get(i))
    }

    fn happened<'t>(&self, trace: &'t Trace) -> impl Iterator<Item = &'t super::TraceEvent> {
        let n = self.index.map_or(0, |i| i + 1).min(trace.events.len());
        trace.events[..n].iter()
    }
}
