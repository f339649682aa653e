//! Simulation checks shared by `tests/simulate.rs` and `tests/seed_workflows.rs`.

use serde_json::Value;
use statewright::asl::StateMachine;
use statewright::sim::{SimConfig, simulate};

/// Runs `machine` at every recording level and checks that the execution is the same: status, output, error,
/// cause (event ids in causes included), transitions and times. `Events` keeps the `Full` events minus stage
/// data and Choice comparisons; `ResultOnly` keeps none.
pub fn same_at_every_level(what: &str, machine: &StateMachine, input: Value, config: &SimConfig) {
    use statewright::sim::Record;
    let at = |record| {
        simulate(
            machine,
            input.clone(),
            &SimConfig {
                record,
                ..config.clone()
            },
        )
    };
    let full = at(Record::Full);
    let events = at(Record::Events);
    let result = at(Record::ResultOnly);
    for (level, t) in [("Events", &events), ("ResultOnly", &result)] {
        assert_eq!(t.status, full.status, "{what} at {level}: status");
        assert_eq!(t.output, full.output, "{what} at {level}: output");
        assert_eq!(t.error, full.error, "{what} at {level}: error");
        assert_eq!(t.cause, full.cause, "{what} at {level}: cause");
        assert_eq!(t.transitions, full.transitions, "{what} at {level}");
        assert_eq!(t.end_time, full.end_time, "{what} at {level}");
    }
    assert!(
        result.events.is_empty(),
        "{what}: ResultOnly keeps no events"
    );
    assert!(
        full.events.iter().any(|e| e.stages().is_some()),
        "{what}: Full has stages"
    );
    let mut stripped = full.events.clone();
    for e in &mut stripped {
        e.stages = None;
        if let Some(d) = &mut e.detail {
            if let Some(c) = &mut d.choice {
                c.comparisons.clear();
            }
            if **d == statewright::trace::EventDetail::default() {
                e.detail = None;
            }
        }
    }
    assert_eq!(
        events.events, stripped,
        "{what}: Events = Full without stages"
    );
}
