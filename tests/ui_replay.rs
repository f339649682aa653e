//! Run > Replay execution history... driven like a person would, through the accessibility tree
//! (egui_kittest): open a workflow, type the history file's path, Replay, step through the real run in the
//! player, read the status and the state shown; a history that does not fit lists its mismatches, and
//! clicking one seeks to its event.
//!
//! The project's fixtures (`tests/fixtures/replay`) always run; `histories::<file>` replays every record of
//! `$STATEWRIGHT_SHARED/histories` in the designer (ignored without the corpus, see `tests/common/gate.rs`).

mod common;

use common::gate::{self, Case, Group};
use egui::Vec2;
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use serde_json::Value;
use statewright::edit;
use statewright::ui::{App, app::Command, files};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/replay")
        .join(name)
}

fn harness(workflow: &Path) -> Harness<'static, App> {
    let dir = std::env::temp_dir().join(format!("statewright-ui-replay-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
    let app = App::open_path(workflow)
        .expect("the workflow opens")
        .with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until the app's background work is done; fails after 30 s.
fn settle(h: &mut Harness<'static, App>) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.state().is_busy() {
        assert!(
            std::time::Instant::now() < until,
            "background work did not finish in 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
        h.step();
    }
    h.run_steps(2);
}

/// Run > Replay execution history..., the history's path typed, Replay.
fn replay(h: &mut Harness<'static, App>, history: &Path) {
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label("Replay execution history...").click();
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::TextInput, "History file")
        .focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "History file")
        .type_text(&history.display().to_string());
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Replay")
        .click();
    h.run_steps(2);
    settle(h);
}

fn step_forward(h: &mut Harness<'static, App>, n: usize) {
    for _ in 0..n {
        h.get_by_label("Step forward").click();
        h.run_steps(2);
    }
}

fn has_label(h: &Harness<'static, App>, label: &str) -> Result<(), String> {
    match h.query_by_label(label) {
        Some(_) => Ok(()),
        None => {
            // Panics with the accessibility tree, to show what is there instead.
            h.get_by_label(label);
            Err(format!("no widget labelled {label:?}"))
        }
    }
}

/// A real-API-shaped history with a Parallel and a Map, stepped through in the player.
fn order_fixture() -> Result<(), String> {
    let mut h = harness(&fixture("order.asl.json"));
    let before = h.state().document().to_text();
    replay(&mut h, &fixture("order.history.json"));
    has_label(&h, "Status: SUCCEEDED")?;
    has_label(&h, "Event 1 of 35: ExecutionStarted")?;
    assert!(
        h.query_by_label_contains("Ran with a replay of order.history.json")
            .is_some(),
        "the player says it is a replay"
    );
    assert!(
        h.query_by_label_contains("do not fit this workflow")
            .is_none(),
        "no mismatch banner"
    );
    // ExecutionStarted → TaskStateEntered Validate.
    step_forward(&mut h, 1);
    has_label(&h, "State: Validate")?;
    // On to the Parallel's first branch: Charge runs, inside "Fan out".
    for _ in 0..3 {
        h.get_by_label("Next state").click();
        h.run_steps(2);
    }
    has_label(&h, "Event 10 of 35: PassStateEntered")?;
    has_label(&h, "State: Reserve")?;
    let hl = h.state().run_highlight().expect("a highlight");
    let fan = |s: &str| vec!["Fan out".to_owned(), s.to_owned()];
    assert!(
        hl.current.contains(&fan("Charge")) && hl.current.contains(&fan("Reserve")),
        "both branches run: {hl:?}"
    );
    // The Map's second iteration.
    h.get_by_label("Last event").click();
    h.run_steps(2);
    has_label(&h, "Event 35 of 35: ExecutionSucceeded")?;
    let hl = h.state().run_highlight().expect("a highlight");
    assert!(
        hl.visited
            .contains(&vec!["Ship items".to_owned(), "Label".to_owned()])
    );
    assert!(hl.visited.contains(&vec!["Done".to_owned()]));
    // Replaying never edits the document.
    assert_eq!(h.state().document().to_text(), before);
    h.get_by_label("Stop replay").click();
    h.run_steps(3);
    assert!(h.state().run_player().is_none());
    Ok(())
}

/// A history that does not fit: the mismatch is listed and marked in the event list, clicking it seeks to
/// the event.
fn mismatch_fixture() -> Result<(), String> {
    let mut h = harness(&fixture("small.asl.json"));
    replay(&mut h, &fixture("mismatch-transition.history.json"));
    has_label(&h, "Status: SUCCEEDED")?;
    has_label(
        &h,
        "1 event(s) of mismatch-transition.history.json do not fit this workflow:",
    )?;
    // The event list marks the mismatching event's row: its hover text (the accessible description) says
    // why; the other rows have none.
    let rows: Vec<(String, Option<String>)> = h
        .get_all_by_label_contains("  ")
        .filter_map(|n| {
            let node = n.accesskit_node();
            let label = node.label()?;
            // An event row starts with the event's id.
            label.split_whitespace().next()?.parse::<u64>().ok()?;
            Some((label, node.description()))
        })
        .collect();
    assert_eq!(rows.len(), 11, "one row per event: {rows:?}");
    let marked: Vec<&(String, Option<String>)> = rows.iter().filter(|(_, d)| d.is_some()).collect();
    assert_eq!(marked.len(), 1, "one row marked: {rows:?}");
    let (label, description) = marked[0];
    assert_eq!(label.trim_start(), "4  TaskStateEntered  Work");
    let description = description.as_deref().unwrap_or_default();
    assert!(
        description.starts_with("Does not fit the workflow: \"Work\" is entered after \"Start\""),
        "{description}"
    );
    let item = h.get_by_label_contains("Event 4: \"Work\" is entered after \"Start\"");
    item.click();
    h.run_steps(2);
    has_label(&h, "Event 4 of 11: TaskStateEntered")?;
    has_label(&h, "State: Work")?;
    assert_eq!(
        h.state().run_player().and_then(|p| p.cursor.index()),
        Some(3)
    );
    Ok(())
}

/// A history with data: stepped to the Choice's exit, the decision is explained in words, as in a simulation,
/// and the time shown is the recorded one (not virtual).
fn choice_decision_fixture() -> Result<(), String> {
    let mut h = harness(&fixture("small.asl.json"));
    replay(&mut h, &fixture("small.history.json"));
    has_label(&h, "Status: SUCCEEDED")?;
    step_forward(&mut h, 4);
    has_label(&h, "Event 5 of 13: ChoiceStateExited")?;
    has_label(&h, "State: Check")?;
    has_label(&h, "Choice decision")?;
    has_label(&h, "$.go = true, so BooleanEquals true is true")?;
    has_label(&h, "Rule 1 of Choices matched, so next: Work")?;
    // 1733560005.0 in the history: the real time, without "(virtual)".
    let time = statewright::trace::Timestamp(1_733_560_005_000);
    has_label(&h, &format!("Time: {time}"))?;
    assert!(h.query_by_label_contains("(virtual)").is_none());
    Ok(())
}

/// The history's next state contradicts the rules: the decision says where the rules lead, the mismatch
/// where the history went.
fn choice_contradicts_fixture() -> Result<(), String> {
    let mut h = harness(&fixture("small.asl.json"));
    replay(&mut h, &fixture("choice-contradicts.history.json"));
    let item = h.get_by_label_contains(
        "Event 6: the Choice rules of \"Check\" send input {\"go\":false} to \"Skip\", but the history entered \"Work\"",
    );
    item.click();
    h.run_steps(2);
    has_label(&h, "Event 6 of 13: TaskStateEntered")?;
    h.get_by_label("Step back").click();
    h.run_steps(2);
    has_label(&h, "Event 5 of 13: ChoiceStateExited")?;
    has_label(&h, "No rule matched, so Default: Skip")?;
    Ok(())
}

/// A history without data and without times: no decision but why, and every time marked as an order only.
fn choice_no_data_fixture() -> Result<(), String> {
    let mut h = harness(&fixture("small.asl.json"));
    replay(&mut h, &fixture("choice-nodata.history.json"));
    step_forward(&mut h, 4);
    has_label(&h, "Event 5 of 13: ChoiceStateExited")?;
    has_label(&h, "Choice decision")?;
    has_label(
        &h,
        "the history has no data: the decision cannot be explained",
    )?;
    assert!(
        h.query_by_label_contains("Rule 1 of Choices").is_none()
            && h.query_by_label_contains("No rule matched").is_none(),
        "no decision is made up"
    );
    assert!(
        h.query_by_label_contains("(order only: the history has no times)")
            .is_some(),
        "the time is marked as an order only"
    );
    Ok(())
}

/// The history names a state the workflow lacks; renaming the state to it makes the run stale, and "Replay
/// again" replays the same file on the edited workflow, which it now fits.
fn edit_then_replay_again() -> Result<(), String> {
    let mut h = harness(&fixture("small.asl.json"));
    replay(&mut h, &fixture("mismatch-missing-state.history.json"));
    has_label(
        &h,
        "1 event(s) of mismatch-missing-state.history.json do not fit this workflow:",
    )?;
    assert!(!h.state().run_is_stale());
    h.state_mut().push(Command::Edit(edit::Op::Rename {
        from: "Work".into(),
        to: "Werk".into(),
    }));
    h.run_steps(3);
    assert!(h.state().run_is_stale());
    assert!(
        h.query_by_label_contains("The workflow changed since this run")
            .is_some()
    );
    assert!(
        h.query_by_label("Run again").is_none(),
        "a replay offers Replay again"
    );
    h.get_all_by_label("Replay again")
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .expect("Replay again")
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().run_is_stale());
    assert!(
        h.query_by_label_contains("do not fit this workflow")
            .is_none()
    );
    assert!(
        h.query_by_label_contains(
            "Ran with a replay of mismatch-missing-state.history.json (AWS execution history; fits the workflow)"
        )
        .is_some()
    );
    has_label(&h, "Status: SUCCEEDED")?;
    Ok(())
}

/// Not a history: the window says why, with line and column, and no player appears.
fn broken_fixture() -> Result<(), String> {
    let mut h = harness(&fixture("small.asl.json"));
    replay(&mut h, &fixture("broken.history.json"));
    assert!(h.state().run_player().is_none());
    assert!(
        h.query_by_label_contains("broken.history.json:10:7: error: not JSON")
            .is_some(),
        "the error is shown with its line and column"
    );
    Ok(())
}

/// A record of `histories/`: replayed in the designer, it fits, and the player ends at the record's status.
fn shared_record(path: &Path) -> Result<(), String> {
    let rec: Value =
        serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let dir = std::env::temp_dir().join(format!("statewright-ui-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let def = dir.join(format!("{stem}.asl.json"));
    std::fs::write(&def, rec["definition"].to_string()).map_err(|e| e.to_string())?;
    let mut h = harness(&def);
    replay(&mut h, path);
    let entered: Vec<String> =
        serde_json::from_value(rec["states_entered"].clone()).map_err(|e| e.to_string())?;
    let n = rec["history"]["events"].as_array().map_or(0, Vec::len);
    if h.query_by_label_contains("do not fit this workflow")
        .is_some()
    {
        return Err("the player lists mismatches".into());
    }
    // Every state entered, in order, through "Next state".
    for name in &entered {
        h.get_by_label("Next state").click();
        h.run_steps(2);
        has_label(&h, &format!("State: {name}"))?;
    }
    h.get_by_label("Last event").click();
    h.run_steps(2);
    let last = rec["history"]["events"][n - 1]["type"]
        .as_str()
        .unwrap_or_default();
    has_label(&h, &format!("Event {n} of {n}: {last}"))?;
    // A failed run's status carries its error: `Status: FAILED (Error: cause)`.
    let status = format!("Status: {}", rec["status"].as_str().unwrap_or_default());
    if h.query_by_label(&status).is_none()
        && h.query_by_label_contains(&format!("{status} (")).is_none()
    {
        has_label(&h, &status)?;
    }
    Ok(())
}

fn histories(dir: &Path) -> Vec<Case> {
    let base = dir.join("histories");
    common::asl_files(&base)
        .into_iter()
        .map(|p| {
            let name = format!("histories::{}", gate::rel_name(&p, &base));
            Case::new(name, move || shared_record(&p))
        })
        .collect()
}

fn main() -> ExitCode {
    gate::main(
        "ui_replay",
        vec![
            Case::new("fixtures::order_parallel_and_map", order_fixture),
            Case::new("fixtures::mismatch_seeks_to_its_event", mismatch_fixture),
            Case::new("fixtures::broken_history_says_where", broken_fixture),
            Case::new("fixtures::edit_then_replay_again", edit_then_replay_again),
            Case::new(
                "fixtures::choice_decision_in_words",
                choice_decision_fixture,
            ),
            Case::new(
                "fixtures::choice_contradicts_the_rules",
                choice_contradicts_fixture,
            ),
            Case::new("fixtures::choice_without_data", choice_no_data_fixture),
        ],
        vec![Group::new("histories", histories)],
    )
}
