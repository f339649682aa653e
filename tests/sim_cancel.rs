//! A run can be stopped from another thread through `SimConfig::cancel` (the designer's Cancel button).

use statewright::asl::Document;
use statewright::sim::{CANCELLED_CAUSE, CancelFlag, Record, SimConfig, simulate};
use statewright::trace::Status;
use std::time::{Duration, Instant};

/// A Pass state that loops forever.
fn endless() -> Document {
    Document::parse_json(
        r#"{"StartAt":"Spin","States":{
            "Spin":{"Type":"Pass","Next":"Again"},
            "Again":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"Done"}],"Default":"Spin"},
            "Done":{"Type":"Succeed"}}}"#,
    )
    .unwrap()
}

#[test]
fn a_flag_set_before_the_run_stops_it_at_the_first_transition() {
    let flag = CancelFlag::new();
    flag.cancel();
    let config = SimConfig {
        cancel: Some(flag),
        ..SimConfig::default()
    };
    let trace = simulate(&endless().machine, serde_json::json!({}), &config);
    assert_eq!(trace.status, Status::Failed);
    assert_eq!(trace.error.as_deref(), Some("States.Runtime"));
    assert_eq!(trace.cause.as_deref(), Some(CANCELLED_CAUSE));
    assert_eq!(trace.transitions, 0);
}

#[test]
fn an_endless_run_stops_soon_after_the_flag_is_set_from_another_thread() {
    let flag = CancelFlag::new();
    let config = SimConfig {
        cancel: Some(flag.clone()),
        max_transitions: u64::MAX,
        record: Record::ResultOnly,
        ..SimConfig::default()
    };
    let machine = endless().machine;
    let run = std::thread::spawn(move || simulate(&machine, serde_json::json!({}), &config));
    std::thread::sleep(Duration::from_millis(100));
    let asked = Instant::now();
    flag.cancel();
    let trace = run.join().unwrap();
    let took = asked.elapsed();
    assert_eq!(trace.cause.as_deref(), Some(CANCELLED_CAUSE));
    assert!(trace.transitions > 0, "it was running");
    assert!(
        took < Duration::from_secs(2),
        "stopped {took:?} after Cancel"
    );
}

#[test]
fn without_a_flag_the_run_is_unchanged() {
    let doc = endless();
    let a = simulate(
        &doc.machine,
        serde_json::json!({"stop": 1}),
        &SimConfig::default(),
    );
    let b = simulate(
        &doc.machine,
        serde_json::json!({"stop": 1}),
        &SimConfig {
            cancel: Some(CancelFlag::new()),
            ..SimConfig::default()
        },
    );
    assert_eq!(a.status, Status::Succeeded);
    assert_eq!(a, b);
}
