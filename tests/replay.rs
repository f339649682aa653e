//! `statewright replay`: real AWS execution histories replayed on their definitions.
//!
//! - `histories::<file>`: every record of `$STATEWRIGHT_SHARED/histories` (default `../shared`): its
//!   definition written to a temporary file, the real binary run on it with the record as `--history`; exit 0,
//!   no mismatch, and the `status` and `states_entered` the record says (see `tests/common/gate.rs` for how
//!   the group shows without the corpus).
//! - The project's own fixtures (`tests/fixtures/replay`): histories in the real API's shape (JSON-string
//!   payloads, epoch and ISO 8601 timestamps, Parallel branches and Map iterations, newest-first order) and
//!   histories that do not fit (a state the definition lacks, a transition it does not allow, the wrong state
//!   type, not StartAt first, elements that are not events), broken JSON and files that are not histories.

mod common;

use common::gate::{self, Case, Group};
use serde_json::Value;
use statewright::asl::{Document, SourceFormat};
use statewright::replay::{Replay, replay_file};
use statewright::trace::{PathSegment, Status};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/replay")
        .join(name)
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statewright-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Runs `statewright replay DEF --history HISTORY [args]`: exit code, stdout, stderr.
fn replay_cli(def: &Path, history: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statewright"))
        .arg("replay")
        .arg(def)
        .arg("--history")
        .arg(history)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The JSON summary of a replay through the CLI, with its exit code.
fn replay_json(def: &Path, history: &Path) -> Result<(i32, Value), String> {
    let (code, out, err) = replay_cli(def, history, &["--format", "json"]);
    let v: Value = serde_json::from_str(&out)
        .map_err(|e| format!("exit {code}: stdout is not JSON ({e}): {out:?}, stderr {err:?}"))?;
    Ok((code, v))
}

fn library_replay(def: &str, history: &str) -> Replay {
    let path = fixture(def);
    let doc = Document::from_bytes(&std::fs::read(&path).expect("fixture"), SourceFormat::Json)
        .expect("fixture parses");
    replay_file(&doc.machine, &fixture(history)).expect("a history")
}

/// One record of `histories/`: the CLI's summary equals the record's.
fn check_record(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let rec: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let def = scratch_dir().join(format!("{stem}.asl.json"));
    std::fs::write(&def, rec["definition"].to_string()).map_err(|e| e.to_string())?;
    let (code, got) = replay_json(&def, path)?;
    let mismatches = &got["mismatches"];
    if code != 0 || mismatches.as_array().is_none_or(|m| !m.is_empty()) {
        return Err(format!("exit {code}, mismatches: {mismatches}"));
    }
    if got["status"] != rec["status"] {
        return Err(format!(
            "status {} but the record says {}",
            got["status"], rec["status"]
        ));
    }
    if got["states_entered"] != rec["states_entered"] {
        return Err(format!(
            "states_entered {} but the record says {}",
            got["states_entered"], rec["states_entered"]
        ));
    }
    let n = rec["history"]["events"].as_array().map_or(0, Vec::len);
    if got["events"] != n {
        return Err(format!("events {} but the history has {n}", got["events"]));
    }
    // Every Choice exit carries its decision or says why it has none; the times are the record's placeholders.
    let doc = Document::from_bytes(rec["definition"].to_string().as_bytes(), SourceFormat::Json)
        .map_err(|e| format!("{e:?}"))?;
    let r = replay_file(&doc.machine, path)?;
    for e in r
        .trace
        .events
        .iter()
        .filter(|e| e.event_type == "ChoiceStateExited")
    {
        match (e.choice(), r.choice_notes.get(&e.id)) {
            (Some(_), None) | (None, Some(_)) => {}
            other => return Err(format!("event {}: decision and note {other:?}", e.id)),
        }
    }
    Ok(())
}

fn histories(dir: &Path) -> Vec<Case> {
    let base = dir.join("histories");
    common::asl_files(&base)
        .into_iter()
        .map(|p| {
            let name = format!("histories::{}", gate::rel_name(&p, &base));
            Case::new(name, move || check_record(&p))
        })
        .collect()
}

/// A fitting history in the real API's shape: exit 0, every state in event order, the summary's keys exactly.
fn real_shape_fits() -> Result<(), String> {
    let (code, v) = replay_json(&fixture("order.asl.json"), &fixture("order.history.json"))?;
    assert_eq!(code, 0, "{v}");
    let keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    for k in ["status", "states_entered", "events", "mismatches"] {
        assert!(keys.contains(&k), "{k} missing: {keys:?}");
    }
    assert_eq!(v["status"], "SUCCEEDED");
    assert_eq!(v["events"], 35);
    assert_eq!(
        v["states_entered"],
        serde_json::json!([
            "Validate",
            "Fan out",
            "Charge",
            "Reserve",
            "Receipt",
            "Ship items",
            "Pack",
            "Label",
            "Pack",
            "Label",
            "Done"
        ])
    );
    assert_eq!(v["mismatches"], serde_json::json!([]));
    Ok(())
}

/// The trace of a real-API history: payloads decoded from their JSON strings, epoch timestamps, the
/// Parallel branch and Map iteration of every nested state, the task's resource, the execution output.
fn real_shape_trace() -> Result<(), String> {
    let r = library_replay("order.asl.json", "order.history.json");
    let t = &r.trace;
    assert_eq!(t.status, Status::Succeeded);
    assert_eq!(t.start_time, "2024-12-07T08:26:40.173Z");
    assert_eq!(t.events[1].timestamp, "2024-12-07T08:26:40.223Z");
    assert_eq!(t.transitions, 11);
    let started = &t.events[0];
    assert_eq!(
        started.input.as_deref(),
        Some(&serde_json::json!({"orderId": "o-17", "items": [{"sku": "A-1"}, {"sku": "B-2"}]})),
        "the input string is decoded"
    );
    let scheduled = t
        .events
        .iter()
        .find(|e| e.event_type == "TaskScheduled")
        .expect("TaskScheduled");
    assert_eq!(scheduled.resource(), Some("arn:aws:states:::lambda:invoke"));
    assert_eq!(
        scheduled.input.as_deref().map(|v| &v["FunctionName"]),
        Some(&serde_json::json!("validate-order"))
    );
    let path_of = |id: u64| {
        t.events
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.path.to_string())
            .unwrap_or_default()
    };
    assert_eq!(path_of(9), "Fan out / branch 0 / Charge");
    assert_eq!(path_of(10), "Fan out / branch 1 / Reserve");
    assert_eq!(path_of(13), "Fan out / branch 0 / Receipt");
    assert_eq!(
        path_of(15),
        "Fan out",
        "ParallelStateSucceeded is the Parallel's"
    );
    assert_eq!(path_of(22), "Ship items / item 0 / Label");
    assert_eq!(path_of(28), "Ship items / item 1 / Label");
    let iteration = t.events.iter().find(|e| e.id == 25).expect("event 25");
    assert_eq!(iteration.event_type, "MapIterationStarted");
    assert_eq!(iteration.index(), Some(1));
    assert_eq!(
        iteration.path.0.as_ref(),
        &[PathSegment::State("Ship items".into())]
    );
    assert_eq!(
        t.output.as_ref().map(|o| &o["shipped"]),
        Some(&serde_json::json!([{"sku": "A-1"}, {"sku": "B-2"}]))
    );
    Ok(())
}

/// ISO 8601 timestamps, newest-first order and a bare array; an aborted execution is ABORTED and fits.
fn aborted_iso_reverse() -> Result<(), String> {
    let (code, v) = replay_json(
        &fixture("order.asl.json"),
        &fixture("order-aborted.history.json"),
    )?;
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "ABORTED");
    assert_eq!(v["states_entered"][0], "Validate");
    assert_eq!(v["states_entered"][8], "Pack");
    let r = library_replay("order.asl.json", "order-aborted.history.json");
    assert_eq!(r.trace.events[0].id, 1, "sorted by id");
    assert_eq!(r.trace.start_time, "2024-12-07T08:26:40.173Z");
    assert_eq!(r.trace.error.as_deref(), Some("Stopped"));
    let last_pack = r.trace.events.iter().rev().find(|e| e.is_state_entered());
    assert_eq!(
        last_pack.map(|e| e.path.to_string()).as_deref(),
        Some("Ship items / item 1 / Pack")
    );
    Ok(())
}

/// A history that does not fit: exit 1 and the mismatch on the right event.
fn mismatch(history: &str, event_id: Option<u64>, words: &str) -> Result<(), String> {
    let (code, v) = replay_json(&fixture("small.asl.json"), &fixture(history))?;
    assert_eq!(code, 1, "{v}");
    let all = v["mismatches"].as_array().expect("mismatches");
    let first = all.first().expect("one mismatch at least");
    assert_eq!(first["event_id"], serde_json::json!(event_id), "{v}");
    let message = first["message"].as_str().unwrap_or_default();
    assert!(message.contains(words), "{message:?} lacks {words:?}");
    assert_eq!(
        first.as_object().map(|o| o.len()),
        Some(2),
        "event_id and message only"
    );
    Ok(())
}

/// The text report lists the mismatch with the history's file, line and column.
fn text_report_mismatch() -> Result<(), String> {
    let history = fixture("mismatch-transition.history.json");
    let (code, out, _) = replay_cli(&fixture("small.asl.json"), &history, &[]);
    assert_eq!(code, 1, "{out}");
    let text = std::fs::read_to_string(&history).expect("fixture");
    let lines: Vec<&str> = text.lines().collect();
    let id_line = lines
        .iter()
        .position(|l| l.contains("\"id\": 4,"))
        .expect("event 4");
    // The event object opens at the `{` before its "id" (1-based line numbers).
    let line = lines[..id_line]
        .iter()
        .rposition(|l| l.trim() == "{")
        .expect("the event's opening brace")
        + 1;
    let want =
        format!("mismatch-transition.history.json:{line}:5: event 4: \"Work\" is entered after");
    assert!(out.contains(&want), "{want:?} not in:\n{out}");
    assert!(out.contains("status: SUCCEEDED"), "{out}");
    Ok(())
}

/// A history that has not finished: RUNNING, and exit 0 when what there is fits.
fn running() -> Result<(), String> {
    let (code, v) = replay_json(&fixture("small.asl.json"), &fixture("running.history.json"))?;
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "RUNNING");
    assert_eq!(
        v["states_entered"],
        serde_json::json!(["Start", "Check", "Work"])
    );
    Ok(())
}

/// Exit 2 with `file:line:col` for broken JSON and for JSON that is not a history; unreadable files too.
fn not_a_history() -> Result<(), String> {
    let def = fixture("small.asl.json");
    let (code, out, err) = replay_cli(&def, &fixture("broken.history.json"), &[]);
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("broken.history.json:10:7: error: not JSON"),
        "{err}"
    );
    let (code, _, err) = replay_cli(&def, &def, &["--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("small.asl.json:1:1: error: not an execution history"),
        "{err}"
    );
    let (code, _, err) = replay_cli(&def, &fixture("missing.history.json"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"), "{err}");
    // The definition is checked too.
    let (code, _, err) = replay_cli(
        &fixture("broken.history.json"),
        &fixture("small.history.json"),
        &[],
    );
    assert_eq!(code, 2);
    assert!(err.contains("broken.history.json:10:7"), "{err}");
    Ok(())
}

/// A YAML definition replays like its JSON twin.
fn yaml_definition() -> Result<(), String> {
    let yaml = scratch_dir().join("small.asl.yaml");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("small.asl.json")).expect("fixture"))
            .expect("json");
    let doc = statewright::asl::Document::parse_json(&v.to_string()).expect("parses");
    std::fs::write(&yaml, doc.text_as(SourceFormat::Yaml)).expect("write");
    let (code, v) = replay_json(&yaml, &fixture("small.history.json"))?;
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["status"], "SUCCEEDED");
    Ok(())
}

/// FILE may be a template: `--state-machine` picks its state machine, as for the other subcommands.
fn template_definition() -> Result<(), String> {
    let template =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates/two-machines.yaml");
    let history = fixture("greeter.history.json");
    let (code, out, err) = replay_cli(
        &template,
        &history,
        &["--state-machine", "Greeter", "--format", "json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["states_entered"], serde_json::json!(["Say"]));
    assert_eq!(v["status"], "SUCCEEDED");
    // The other state machine of the template does not have "Say".
    let (code, out, _) = replay_cli(
        &template,
        &history,
        &["--state-machine", "Regional", "--format", "json"],
    );
    assert_eq!(code, 1, "{out}");
    // Several state machines and no --state-machine: which one is unknown.
    let (code, _, err) = replay_cli(&template, &history, &[]);
    assert_eq!(code, 2, "{err}");
    Ok(())
}

/// A long history (a Choice loop, 40,001 events, every decision evaluated): replayed, it fits; in a pipe whose reader goes away the
/// command ends quietly with 141 (see `tests/cli_pipes.rs`).
fn long_history_and_closed_pipe() -> Result<(), String> {
    use std::process::Stdio;
    let dir = scratch_dir();
    let def = dir.join("loop.asl.json");
    std::fs::write(
        &def,
        r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.again", "BooleanEquals": true, "Next": "A"}],
                  "Default": "D"},
            "D": {"Type": "Succeed"}}}"#,
    )
    .map_err(|e| e.to_string())?;
    let mut events = vec![
        serde_json::json!({"id": 1, "previousEventId": 0, "timestamp": 1733560000.0,
        "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{\"again\":true}"}}),
    ];
    let loops = 10_000;
    for i in 0..loops {
        // The data the Choice decides on: around again until the last loop, then on to D.
        let input = serde_json::json!({"again": i + 1 < loops, "i": i}).to_string();
        for (ty, name) in [("Pass", "A"), ("Choice", "C")] {
            for phase in ["Entered", "Exited"] {
                let id = events.len() as u64 + 1;
                let key = if phase == "Entered" {
                    "stateEnteredEventDetails"
                } else {
                    "stateExitedEventDetails"
                };
                events.push(serde_json::json!({"id": id, "previousEventId": id - 1,
                    "timestamp": 1733560000.0 + id as f64 / 1000.0, "type": format!("{ty}State{phase}"),
                    key: {"name": name, "input": input.clone()}}));
            }
        }
    }
    let id = events.len() as u64 + 1;
    events.push(
        serde_json::json!({"id": id, "previousEventId": id - 1, "timestamp": 1733560100.0,
        "type": "SucceedStateEntered", "stateEnteredEventDetails": {"name": "D"}}),
    );
    events.push(
        serde_json::json!({"id": id + 1, "previousEventId": id, "timestamp": 1733560100.5,
        "type": "ExecutionSucceeded", "executionSucceededEventDetails": {"output": "{}"}}),
    );
    let history = dir.join("loop.history.json");
    std::fs::write(&history, serde_json::json!({"events": events}).to_string())
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let (code, v) = replay_json(&def, &history)?;
    let took = started.elapsed();
    assert_eq!(code, 0, "{}", v["mismatches"]);
    assert_eq!(v["events"], loops * 4 + 3);
    assert!(
        took.as_secs() < 30,
        "replaying {} events took {took:?}",
        v["events"]
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_statewright"))
        .arg("replay")
        .arg(&def)
        .arg("--history")
        .arg(&history)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    drop(child.stdout.take());
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    assert_eq!(out.status.code(), Some(141));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(())
}

/// The trace event with this id.
fn event(r: &Replay, id: u64) -> &statewright::trace::TraceEvent {
    r.trace
        .events
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no event {id}"))
}

/// A history with data: the Choice's rules evaluated on the input its `ChoiceStateEntered` records, the
/// decision on its `ChoiceStateExited`, in words.
fn choice_decision_explained() -> Result<(), String> {
    let r = library_replay("small.asl.json", "small.history.json");
    assert!(r.fits(), "{:?}", r.mismatches);
    let exited = event(&r, 5);
    assert_eq!(exited.event_type, "ChoiceStateExited");
    let d = exited
        .choice()
        .ok_or("no decision on the ChoiceStateExited event")?;
    assert_eq!(d.matched_rule, Some(0));
    assert_eq!(d.next.as_deref(), Some("Work"));
    assert_eq!(d.comparisons.len(), 1);
    let c = &d.comparisons[0];
    assert_eq!(&*c.variable, "$.go");
    assert_eq!(c.operator, "BooleanEquals");
    assert_eq!(c.actual, Some(Value::Bool(true)));
    assert!(c.matched);
    let words = statewright::trace::describe::choice_lines(d);
    assert_eq!(
        words,
        [
            "$.go = true, so BooleanEquals true is true",
            "Rule 1 of Choices matched, so next: Work"
        ]
    );
    assert!(r.choice_notes.is_empty(), "{:?}", r.choice_notes);
    assert!(r.untimed.is_empty(), "every event has an epoch time");
    // Only the Choice event carries a decision.
    assert_eq!(
        r.trace
            .events
            .iter()
            .filter(|e| e.choice().is_some())
            .count(),
        1
    );
    Ok(())
}

/// The history entered the state the rules do not choose for its input: a mismatch on the state entered.
fn choice_contradicts() -> Result<(), String> {
    mismatch(
        "choice-contradicts.history.json",
        Some(6),
        "the Choice rules of \"Check\" send input {\"go\":false} to \"Skip\", but the history entered \"Work\"",
    )?;
    let r = library_replay("small.asl.json", "choice-contradicts.history.json");
    assert_eq!(r.mismatches.len(), 1, "{:?}", r.mismatches);
    let d = event(&r, 5).choice().ok_or("no decision")?;
    assert_eq!((d.matched_rule, d.next.as_deref()), (None, Some("Skip")));
    assert_eq!(d.comparisons[0].actual, Some(Value::Bool(false)));
    Ok(())
}

/// A history without data (exported without `--include-execution-data`) and with placeholder times: no
/// decision, a note saying why; every event's time marked as an order only.
fn choice_no_data() -> Result<(), String> {
    let r = library_replay("small.asl.json", "choice-nodata.history.json");
    assert!(r.fits(), "{:?}", r.mismatches);
    assert!(event(&r, 5).choice().is_none());
    assert_eq!(
        r.choice_notes.get(&5).map(String::as_str),
        Some("the history has no data: the decision cannot be explained")
    );
    assert_eq!(r.choice_notes.len(), 1);
    let ids: Vec<u64> = r.trace.events.iter().map(|e| e.id).collect();
    assert_eq!(r.untimed.iter().copied().collect::<Vec<_>>(), ids);
    // An input the history cut short is not decided on either.
    let mut h: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("small.history.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    h["events"][3]["stateEnteredEventDetails"]["inputDetails"]["truncated"] = Value::Bool(true);
    let doc = Document::from_bytes(
        &std::fs::read(fixture("small.asl.json")).map_err(|e| e.to_string())?,
        SourceFormat::Json,
    )
    .map_err(|e| format!("{e:?}"))?;
    let r = statewright::replay::replay(&doc.machine, &h.to_string()).map_err(|e| e.message)?;
    assert!(event(&r, 5).choice().is_none());
    assert_eq!(
        r.choice_notes.get(&5).map(String::as_str),
        Some("the history cut the Choice's input short: the decision cannot be explained")
    );
    Ok(())
}

/// A JSONata Choice reads a variable an earlier state assigned: the replay takes its value from the history's
/// `assignedVariables`; when the history cut the values short, the decision is not explained (never guessed).
fn choice_reads_variables() -> Result<(), String> {
    let r = library_replay("vars.asl.json", "vars.history.json");
    assert!(r.fits(), "{:?}", r.mismatches);
    let d = event(&r, 5).choice().ok_or("no decision")?;
    assert_eq!((d.matched_rule, d.next.as_deref()), (Some(0), Some("Big")));
    assert!(r.choice_notes.is_empty(), "{:?}", r.choice_notes);
    assert!(r.untimed.is_empty(), "ISO 8601 times are real times");
    let r = library_replay("vars.asl.json", "vars-truncated.history.json");
    assert!(r.fits(), "{:?}", r.mismatches);
    assert!(event(&r, 5).choice().is_none());
    let note = r.choice_notes.get(&5).ok_or("no note")?;
    assert!(
        note.contains("reads the variable $limit, whose value is not known"),
        "{note}"
    );
    Ok(())
}

fn main() -> ExitCode {
    let plain = vec![
        Case::new("fixtures::real_shape_fits", real_shape_fits),
        Case::new("fixtures::real_shape_trace", real_shape_trace),
        Case::new("fixtures::aborted_iso_reverse", aborted_iso_reverse),
        Case::new("fixtures::mismatch_missing_state", || {
            mismatch(
                "mismatch-missing-state.history.json",
                Some(6),
                "the definition has no state \"Werk\"",
            )
        }),
        Case::new("fixtures::mismatch_transition", || {
            mismatch(
                "mismatch-transition.history.json",
                Some(4),
                "no transition from \"Start\" to \"Work\"",
            )
        }),
        Case::new("fixtures::mismatch_type", || {
            mismatch(
                "mismatch-type.history.json",
                Some(6),
                "\"Work\" is a Task state",
            )
        }),
        Case::new("fixtures::mismatch_start_at", || {
            mismatch(
                "mismatch-start.history.json",
                Some(2),
                "its StartAt is \"Start\"",
            )
        }),
        Case::new("fixtures::mismatch_not_events", || {
            mismatch(
                "mismatch-not-events.history.json",
                None,
                "events[3] is a number",
            )?;
            let r = library_replay("small.asl.json", "mismatch-not-events.history.json");
            assert_eq!(r.mismatches.len(), 2, "{:?}", r.mismatches);
            assert_eq!(r.mismatches[1].event_id, Some(8));
            assert!(r.mismatches[1].message.contains("TaskExploded"));
            assert_eq!(r.events, 14, "every element counts");
            Ok(())
        }),
        Case::new("fixtures::mismatch_missing_state_only_once", || {
            let r = library_replay("small.asl.json", "mismatch-missing-state.history.json");
            assert_eq!(r.mismatches.len(), 1, "no cascade: {:?}", r.mismatches);
            Ok(())
        }),
        Case::new("fixtures::text_report_mismatch", text_report_mismatch),
        Case::new(
            "fixtures::choice_decision_explained",
            choice_decision_explained,
        ),
        Case::new("fixtures::choice_contradicts", choice_contradicts),
        Case::new("fixtures::choice_no_data", choice_no_data),
        Case::new("fixtures::choice_reads_variables", choice_reads_variables),
        Case::new("fixtures::running", running),
        Case::new("fixtures::not_a_history", not_a_history),
        Case::new("fixtures::yaml_definition", yaml_definition),
        Case::new("fixtures::template_definition", template_definition),
        Case::new(
            "fixtures::long_history_and_closed_pipe",
            long_history_and_closed_pipe,
        ),
    ];
    gate::main("replay", plain, vec![Group::new("histories", histories)])
}
