//! What-if runs without writing JSON: a Task's outcome sequence edited in the inspector's Simulation section
//! drives the run (a crawler polled RUNNING, RUNNING, READY makes the loop turn three times), a failure test
//! case takes the Catch path, test cases are saved beside the workflow as `NAME.mocks.json` changing only what
//! was edited, and a bad mock file is reported with line:col and never saved over. Driven through the
//! accessibility tree (egui_kittest), widgets found by their labels.

use egui::Vec2;
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use statewright::sim::mockfile::MockFile;
use statewright::ui::player::RunCommand;
use statewright::ui::{App, app::Command, files};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder holding a copy of a bundled example (and nothing else: its mocks start as the bundled ones).
fn copy_example(tag: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "statewright-ui-whatif-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::copy(root().join("assets/examples").join(name), &path).unwrap();
    path
}

fn harness(path: &Path) -> Harness<'static, App> {
    harness_for(App::open_path(path).unwrap())
}

fn harness_for(app: App) -> Harness<'static, App> {
    let config =
        std::env::temp_dir().join(format!("statewright-ui-whatif-cfg-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&config);
    files::set_config_dir(config);
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1500.0, 1500.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until background work is done; fails after 30 s.
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

fn select(h: &mut Harness<'static, App>, state: &str) {
    h.state_mut().push(Command::Select(Some(state.into())));
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some(state));
}

/// Scrolls the widget with this label (and role, if given) into view and waits until it stops moving (the
/// inspector scrolls, with an animation).
fn reveal(h: &mut Harness<'static, App>, role: Option<egui::Role>, label: &str) {
    let rect = |h: &Harness<'static, App>| match role {
        Some(r) => h.get_by_role_and_label(r, label).rect(),
        None => h.get_by_label(label).rect(),
    };
    match role {
        Some(r) => h.get_by_role_and_label(r, label).scroll_to_me(),
        None => h.get_by_label(label).scroll_to_me(),
    }
    // The scroll starts a frame later and animates: wait for the widget to stay put for a few frames.
    let mut last = rect(h);
    let mut still = 0;
    for _ in 0..300 {
        h.run_steps(1);
        let now = rect(h);
        still = if now == last { still + 1 } else { 0 };
        last = now;
        if still >= 5 {
            break;
        }
    }
}

/// Clicks the button with this label.
fn click(h: &mut Harness<'static, App>, label: &str) {
    reveal(h, Some(egui::Role::Button), label);
    h.get_by_role_and_label(egui::Role::Button, label).click();
    h.run_steps(3);
}

/// Replaces the text of the field with this label.
fn retype(h: &mut Harness<'static, App>, label: &str, text: &str) {
    reveal(h, None, label);
    h.get_by_label(label).click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label(label).type_text(text);
    h.run_steps(3);
}

/// Picks `option` in the combo box with this label.
fn pick(h: &mut Harness<'static, App>, combo: &str, option: &str) {
    reveal(h, Some(egui::Role::ComboBox), combo);
    h.get_by_role_and_label(egui::Role::ComboBox, combo).click();
    h.run_steps(3);
    h.get_all_by_label(option)
        .find(|n| n.accesskit_node().role() != egui::Role::ComboBox)
        .expect("the option")
        .click();
    h.run_steps(3);
}

fn combo_value(h: &Harness<'static, App>, combo: &str) -> Option<String> {
    h.get_by_role_and_label(egui::Role::ComboBox, combo).value()
}

/// Run > Simulate..., then the setup window's Run button; returns once the trace is loaded.
fn run(h: &mut Harness<'static, App>) {
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    settle(h);
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .expect("the setup window's Run button")
        .click();
    h.run_steps(2);
    settle(h);
    assert!(
        h.state().run_player().is_some(),
        "no run: {:?}",
        h.state().run_error()
    );
}

/// Leaves the player (the inspector comes back).
fn stop(h: &mut Harness<'static, App>) {
    h.state_mut().push(Command::Run(RunCommand::Stop));
    h.run_steps(3);
}

/// How often the run entered a state (its `…StateEntered` events).
fn entered(h: &Harness<'static, App>, state: &str) -> usize {
    h.state()
        .run_player()
        .unwrap()
        .trace
        .events
        .iter()
        .filter(|e| e.event_type.ends_with("StateEntered") && e.path.state_name() == Some(state))
        .count()
}

#[test]
fn a_polling_loop_runs_as_often_as_the_outcome_sequence_says() {
    let path = copy_example("poll", "medallion-glue-crawlers.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = harness(&path);
    let poll = "T0 Dimension GetCrawler";
    select(&mut h, poll);
    assert!(h.query_by_label("Simulation").is_some());
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("HappyPath")
    );
    // The bundled test case polls twice before READY: three calls listed.
    assert!(h.query_by_label("Call 3 returns").is_some());
    assert!(h.query_by_label("Call 4 returns").is_none());

    // A test case of our own, from a copy of HappyPath.
    click(&mut h, "Duplicate test case");
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("HappyPath copy")
    );
    retype(&mut h, "Test case name", "Polling");
    click(&mut h, "Rename");
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("Polling")
    );

    // READY at once: the crawler is checked once.
    click(&mut h, "Clear calls");
    assert!(h.query_by_label("Call 1 returns").is_none());
    click(&mut h, "Add READY");
    run(&mut h);
    assert_eq!(
        h.state().run_player().unwrap().trace.status,
        statewright::trace::Status::Succeeded
    );
    assert!(
        h.state()
            .run_player()
            .unwrap()
            .ran_with
            .contains("test case Polling")
    );
    assert_eq!(entered(&h, poll), 1);
    stop(&mut h);

    // RUNNING, RUNNING, READY: three clicks, three turns of the loop.
    click(&mut h, "Clear calls");
    click(&mut h, "Add RUNNING");
    click(&mut h, "Add RUNNING");
    click(&mut h, "Add READY");
    assert!(h.query_by_label("Calls: RUNNING, RUNNING, READY").is_some());
    let returns = h.get_by_label("Call 2 returns").value().unwrap_or_default();
    assert!(returns.contains("\"State\": \"RUNNING\""), "{returns}");
    run(&mut h);
    assert_eq!(entered(&h, poll), 3);
    assert_eq!(entered(&h, "Wait T0 Dimension"), 2);
    // The other crawlers still follow HappyPath's shared response (RUNNING twice): this edit did not touch it.
    assert_eq!(entered(&h, "T0 Fact GetCrawler"), 3);
    stop(&mut h);

    // Typing something that is not JSON shows where and changes nothing.
    let before = h.state().mock_store().text().unwrap();
    reveal(&mut h, None, "Call 1 returns");
    h.get_by_label("Call 1 returns").click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.get_by_label("Call 1 returns").type_text(",");
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Not JSON (not applied): ")
            .is_some()
    );
    assert_eq!(h.state().mock_store().text().unwrap(), before);
    h.key_press(egui::Key::Backspace);
    h.run_steps(3);
    assert!(h.query_by_label_contains("Not JSON").is_none());

    // File > Save writes NAME.mocks.json beside the workflow; the bundled test case is still as it was.
    assert!(h.state().is_dirty());
    h.state_mut().push(Command::Save);
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().status());
    let saved = std::fs::read_to_string(dir.join("medallion-glue-crawlers.mocks.json")).unwrap();
    let file = MockFile::parse(&saved).unwrap();
    let sm = "medallion-glue-crawlers";
    let states = |f: &MockFile, case: &str| -> Vec<String> {
        f.sequence(sm, case, poll)
            .unwrap()
            .unwrap()
            .iter()
            .map(|e| {
                e.to_serde()["Return"]["Crawler"]["State"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(states(&file, "Polling"), ["RUNNING", "RUNNING", "READY"]);
    let bundled = MockFile::parse(
        statewright::examples::mock_text("medallion-glue-crawlers.mocks.json").unwrap(),
    )
    .unwrap();
    assert_eq!(
        file.task_mocks(sm, "HappyPath").unwrap(),
        bundled.task_mocks(sm, "HappyPath").unwrap()
    );
    assert!(saved.starts_with(
        &statewright::examples::mock_text("medallion-glue-crawlers.mocks.json").unwrap()[..200]
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failure_test_case_takes_the_catch_path() {
    let path = copy_example("catch", "fiap-extract-transform-load.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = harness(&path);
    select(&mut h, "ExtractJob");
    click(&mut h, "New test case");
    retype(&mut h, "Test case name", "Extract fails");
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("Extract fails")
    );
    assert!(
        h.query_by_label_contains("Not mocked in \"Extract fails\"")
            .is_some()
    );
    click(&mut h, "Add throw");
    pick(
        &mut h,
        "Call 1 typical errors",
        "Glue.EntityNotFoundException",
    );
    assert_eq!(
        h.get_by_label("Call 1 error").value().as_deref(),
        Some("Glue.EntityNotFoundException")
    );
    run(&mut h);
    let p = h.state().run_player().unwrap();
    assert!(
        p.ran_with.contains("test case Extract fails"),
        "{}",
        p.ran_with
    );
    assert_eq!(p.trace.status, statewright::trace::Status::Failed);
    let failed = p
        .trace
        .events
        .iter()
        .find(|e| e.event_type == "TaskFailed")
        .expect("the task failed");
    assert_eq!(
        failed.detail.as_ref().unwrap().error.as_deref(),
        Some("Glue.EntityNotFoundException")
    );
    // Caught: the Catch's target is entered, the jobs after the failed one are not.
    assert_eq!(entered(&h, "FailState"), 1);
    assert_eq!(entered(&h, "TransformJob"), 0);
    stop(&mut h);

    // The Run dialog offers the test cases, ours selected; HappyPath still succeeds.
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    assert_eq!(
        combo_value(&h, "Test case").as_deref(),
        Some("Extract fails")
    );
    pick(&mut h, "Test case", "HappyPath");
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("HappyPath")
    );
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .unwrap()
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(
        h.state().run_player().unwrap().trace.status,
        statewright::trace::Status::Succeeded
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_cases_are_renamed_duplicated_deleted_and_undone() {
    let path = copy_example("cases", "fiap-extract-transform-load.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = harness(&path);
    select(&mut h, "LoadJob");
    let cases = |h: &Harness<'static, App>| {
        let text = h.state().mock_store().text().unwrap();
        MockFile::parse(&text)
            .unwrap()
            .test_cases("fiap-extract-transform-load")
    };
    assert_eq!(cases(&h), ["HappyPath", "TransformJobFails"]);
    click(&mut h, "Duplicate test case");
    click(&mut h, "Duplicate test case");
    assert_eq!(
        cases(&h),
        [
            "HappyPath",
            "TransformJobFails",
            "HappyPath copy",
            "HappyPath copy copy"
        ]
    );
    click(&mut h, "Delete test case");
    assert_eq!(
        cases(&h),
        ["HappyPath", "TransformJobFails", "HappyPath copy"]
    );
    click(&mut h, "Undo mock edit");
    assert_eq!(cases(&h).len(), 4);
    click(&mut h, "Redo mock edit");
    assert_eq!(cases(&h).len(), 3);
    // Editing the copy's call gives it a response of its own; the original keeps its own.
    pick(&mut h, "Simulation test case", "HappyPath copy");
    pick(&mut h, "Call 1 outcome", "Throw");
    let text = h.state().mock_store().text().unwrap();
    let f = MockFile::parse(&text).unwrap();
    let sm = "fiap-extract-transform-load";
    assert!(
        f.sequence(sm, "HappyPath copy", "LoadJob")
            .unwrap()
            .unwrap()[0]
            .get("Throw")
            .is_some()
    );
    assert!(
        f.sequence(sm, "HappyPath", "LoadJob").unwrap().unwrap()[0]
            .get("Return")
            .is_some()
    );
    // Nothing is written until saved: the section's own Save writes beside the workflow.
    assert!(!dir.join("fiap-extract-transform-load.mocks.json").exists());
    click(&mut h, "Save mocks");
    settle(&mut h);
    let saved =
        std::fs::read_to_string(dir.join("fiap-extract-transform-load.mocks.json")).unwrap();
    assert_eq!(saved, text);
    assert!(!h.state().is_dirty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_mock_file_is_reported_and_never_saved_over() {
    let path = copy_example("bad", "fiap-extract-transform-load.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mocks = dir.join("fiap-extract-transform-load.mocks.json");
    let bad = "{\n  \"StateMachines\": {\n    \"fiap-extract-transform-load\": {\n      \"TestCases\": {\n        \"HappyPath\": {\"ExtractJob\": \"A\",}\n      }\n    }\n  }\n}\n";
    std::fs::write(&mocks, bad).unwrap();
    let mut h = harness(&path);
    // The workflow is open; the section says what is wrong and where.
    assert_eq!(h.state().machine().states().len(), 4);
    select(&mut h, "ExtractJob");
    let e = h.state().mock_store().load_error().unwrap().to_owned();
    assert!(
        e.contains("fiap-extract-transform-load.mocks.json:5:41: "),
        "{e}"
    );
    assert!(h.query_by_label_contains("Mock file: ").is_some());
    assert!(h.query_by_label("New test case").is_none());
    // The Run dialog shows it too, and does not run.
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    assert!(h.get_all_by_label_contains(":5:41: ").count() >= 2);
    // An edit of the workflow and File > Save leave the mock file alone.
    h.state_mut().push(Command::Run(RunCommand::Stop));
    h.run_steps(2);
    retype(&mut h, "Comment", "edited");
    h.state_mut().push(Command::Save);
    h.run_steps(2);
    settle(&mut h);
    assert!(std::fs::read_to_string(&path).unwrap().contains("edited"));
    assert_eq!(std::fs::read_to_string(&mocks).unwrap(), bad);

    // Fixed outside, read again: editable, and the other test cases survive an edit and a save.
    let fixed = bad.replace("\"A\",}", "\"A\"},\n        \"Other\": {\"LoadJob\": \"B\"}").replace(
        "  }\n}\n",
        "  },\n  \"MockedResponses\": {\"A\": {\"0\": {\"Return\": {\"x\": 1.50}}}, \"B\": {\"0\": {\"Throw\": {\"Error\": \"E\"}}}}\n}\n",
    );
    MockFile::parse(&fixed).unwrap();
    std::fs::write(&mocks, &fixed).unwrap();
    click(&mut h, "Read the mock file again");
    settle(&mut h);
    assert!(h.state().mock_store().load_error().is_none());
    pick(&mut h, "Simulation test case", "HappyPath");
    click(&mut h, "Add return");
    h.state_mut().push(Command::Save);
    h.run_steps(2);
    settle(&mut h);
    let saved = std::fs::read_to_string(&mocks).unwrap();
    assert!(saved.contains("\"Other\": {\"LoadJob\": \"B\"}"), "{saved}");
    assert!(saved.contains("{\"x\": 1.50}"), "{saved}");
    let f = MockFile::parse(&saved).unwrap();
    assert_eq!(
        f.sequence("fiap-extract-transform-load", "HappyPath", "ExtractJob")
            .unwrap()
            .unwrap()
            .len(),
        2
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_untitled_workflow_keeps_its_mocks_in_memory_until_saved() {
    let text = statewright::ui::example_text("hello.asl.json").unwrap();
    let mut h = harness_for(App::from_text(text, None));
    select(&mut h, "Validate Order");
    assert!(h.query_by_label_contains("No test case yet").is_some());
    click(&mut h, "New test case");
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("Test case")
    );
    click(&mut h, "Add throw");
    // Lambda's own error is offered first; the Retry (States.TaskFailed) does not match it, the Catch does.
    assert_eq!(
        h.get_by_label("Call 1 error").value().as_deref(),
        Some("Lambda.ServiceException")
    );
    assert!(h.state().is_dirty());
    run(&mut h);
    let p = h.state().run_player().unwrap();
    assert!(p.ran_with.contains("(not saved yet)"), "{}", p.ran_with);
    assert_eq!(entered(&h, "Order Failed"), 1);
    assert_eq!(entered(&h, "Validate Order"), 1);
    stop(&mut h);
    // Answers given during a run (Ask me) are saved as a test case of their own.
    let answers = statewright::sim::TaskMocks::from_lists(&serde_json::json!({
        "Validate Order": [ {"Return": {"Payload": {"valid": true}}} ]
    }))
    .unwrap();
    let name = h
        .state_mut()
        .save_answers_as_test_case("Answers", &answers)
        .unwrap();
    assert_eq!(name, "Answers");
    h.run_steps(3);
    assert_eq!(
        combo_value(&h, "Simulation test case").as_deref(),
        Some("Answers")
    );
    assert!(h.query_by_label("Call 1 returns").is_some());
    assert_eq!(
        h.state_mut()
            .save_answers_as_test_case("Answers", &answers)
            .unwrap(),
        "Answers 2"
    );
    // Saving the workflow writes its mocks beside it; the Run dialog then names that file.
    let dir = std::env::temp_dir().join(format!(
        "statewright-ui-whatif-untitled-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    h.state_mut().save_to(&dir.join("orders.asl.json"));
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().status());
    let saved = std::fs::read_to_string(dir.join("orders.mocks.json")).unwrap();
    let f = MockFile::parse(&saved).unwrap();
    let sm = f.machine_for("orders");
    assert!(
        f.task_mocks(&sm, "Test case")
            .unwrap()
            .by_state
            .contains_key("Validate Order")
    );
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    let field = h
        .get_by_role_and_label(egui::Role::TextInput, "Mock file")
        .value()
        .unwrap_or_default();
    assert!(field.ends_with("orders.mocks.json"), "{field}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The output of the state `state` in the run shown (from the event that ends it).
fn output_of(h: &Harness<'static, App>, state: &str) -> serde_json::Value {
    let p = h.state().run_player().unwrap();
    let e = p
        .trace
        .events
        .iter()
        .find(|e| e.event_type.ends_with("StateExited") && e.path.state_name() == Some(state))
        .unwrap_or_else(|| panic!("{state} was not left"));
    serde_json::to_value(e).unwrap()["output"].take()
}

#[test]
fn test_cases_follow_a_state_rename_and_its_undo_and_name_deleted_states() {
    let has = |h: &Harness<'static, App>, name: &str| {
        h.state().machine().all_state_names().contains(&name)
    };
    let path = copy_example("rename", "fiap-extract-transform-load.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mut h = harness(&path);
    let sm = "fiap-extract-transform-load";
    let bundled =
        statewright::examples::mock_text("fiap-extract-transform-load.mocks.json").unwrap();
    let mocks = |h: &Harness<'static, App>| {
        MockFile::parse(&h.state().mock_store().text().unwrap()).unwrap()
    };

    // Renamed in the inspector: both test cases mock the new name, and only those keys changed.
    select(&mut h, "TransformJob");
    retype(&mut h, "Name", "Transform");
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    assert!(has(&h, "Transform"));
    assert_eq!(
        h.state().mock_store().text().unwrap(),
        bundled.replace("\"TransformJob\": \"", "\"Transform\": \"")
    );
    assert!(h.state().is_dirty());
    assert!(
        h.query_by_label("Renamed \"TransformJob\" to \"Transform\" in 2 test cases")
            .is_some()
    );
    // The run gives the renamed Task its mocked result, not its input (the extract job's result).
    run(&mut h);
    assert!(
        h.state()
            .run_player()
            .unwrap()
            .ran_with
            .contains("test case HappyPath")
    );
    let out = output_of(&h, "Transform");
    assert_eq!(out["Id"], "jr_transform_0001", "{out}");
    assert_eq!(output_of(&h, "ExtractJob")["Id"], "jr_extract_0001");
    stop(&mut h);

    // Undo the rename: the mocks are as read again (nothing to save); redo renames them again.
    h.state_mut().push(Command::Undo);
    h.run_steps(4);
    assert!(has(&h, "TransformJob"));
    assert_eq!(h.state().mock_store().text().unwrap(), bundled);
    assert!(!h.state().is_dirty());
    h.state_mut().push(Command::Redo);
    h.run_steps(4);
    assert_eq!(
        mocks(&h).mocked_states(sm, "TransformJobFails"),
        ["ExtractJob", "Transform"]
    );
    h.state_mut().push(Command::Undo);
    h.run_steps(4);
    assert_eq!(h.state().mock_store().text().unwrap(), bundled);

    // A mocked state deleted: its entries stay (harmless, the delete may be undone) and are named, here and
    // in the Run dialog.
    let note = "Test case \"HappyPath\" mocks states the workflow lacks: LoadJob";
    select(&mut h, "LoadJob");
    h.state_mut().push(Command::DeleteSelection);
    h.run_steps(4);
    assert!(!has(&h, "LoadJob"));
    assert_eq!(h.state().mock_store().text().unwrap(), bundled);
    select(&mut h, "ExtractJob");
    assert!(h.query_by_label(note).is_some());
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    assert_eq!(h.get_all_by_label(note).count(), 2);
    h.get_by_role_and_label(egui::Role::Button, "Close").click();
    h.run_steps(3);
    // One click stops mocking it (its response, used nowhere else, goes too): a mock edit, undoable.
    click(&mut h, "Remove the missing states from \"HappyPath\"");
    assert!(h.query_by_label(note).is_none());
    let f = mocks(&h);
    assert_eq!(
        f.mocked_states(sm, "HappyPath"),
        ["ExtractJob", "TransformJob"]
    );
    assert!(
        !h.state()
            .mock_store()
            .text()
            .unwrap()
            .contains("LoadSucceeded")
    );
    assert!(f.problems().is_empty());
    assert!(h.state().mock_store().is_modified());
    click(&mut h, "Undo mock edit");
    assert_eq!(h.state().mock_store().text().unwrap(), bundled);
    assert!(h.query_by_label(note).is_some());
    // Undoing the delete: the state is back and nothing is missing.
    h.state_mut().push(Command::Undo);
    h.run_steps(4);
    assert!(h.query_by_label(note).is_none());
    assert!(!h.state().is_dirty());

    // The mock edits' own undo keeps working across a rename: it undoes the edit, under the new name.
    select(&mut h, "ExtractJob");
    click(&mut h, "Add return");
    assert_eq!(
        mocks(&h)
            .sequence(sm, "HappyPath", "ExtractJob")
            .unwrap()
            .unwrap()
            .len(),
        2
    );
    retype(&mut h, "Name", "Extract");
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    assert!(has(&h, "Extract"));
    assert_eq!(
        mocks(&h)
            .sequence(sm, "HappyPath", "Extract")
            .unwrap()
            .unwrap()
            .len(),
        2
    );
    select(&mut h, "Extract");
    click(&mut h, "Undo mock edit");
    let f = mocks(&h);
    assert_eq!(
        f.sequence(sm, "HappyPath", "Extract")
            .unwrap()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        f.mocked_states(sm, "TransformJobFails"),
        ["Extract", "TransformJob"]
    );
    assert!(
        h.query_by_label_contains("mocks states the workflow lacks")
            .is_none()
    );
    h.state_mut().push(Command::Undo);
    h.run_steps(4);
    assert_eq!(h.state().mock_store().text().unwrap(), bundled);

    // File > Save writes the renamed keys beside the workflow, and nothing else changed.
    select(&mut h, "LoadJob");
    retype(&mut h, "Name", "Load");
    h.key_press(egui::Key::Enter);
    h.run_steps(4);
    h.state_mut().push(Command::Save);
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().status());
    assert_eq!(
        std::fs::read_to_string(dir.join("fiap-extract-transform-load.mocks.json")).unwrap(),
        bundled.replace("\"LoadJob\": \"", "\"Load\": \"")
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"Load\": {")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The states a test case's crawler poll returns, call by call.
fn crawler_states(file: &MockFile, case: &str, state: &str) -> Vec<String> {
    file.sequence("medallion-glue-crawlers", case, state)
        .unwrap()
        .unwrap()
        .iter()
        .map(|e| {
            e.to_serde()["Return"]["Crawler"]["State"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// Runs frames until the autosave interval has passed and the autosave is written.
fn autosave(h: &mut Harness<'static, App>, every: std::time::Duration) {
    std::thread::sleep(every);
    h.step();
    settle(h);
}

#[test]
fn unsaved_mock_edits_are_autosaved_and_restored_with_the_workflow() {
    let path = copy_example("recover", "medallion-glue-crawlers.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mocks_path = dir.join("medallion-glue-crawlers.mocks.json");
    let on_disk = statewright::examples::mock_text("medallion-glue-crawlers.mocks.json").unwrap();
    std::fs::write(&mocks_path, on_disk).unwrap();
    let workflow_text = std::fs::read_to_string(&path).unwrap();
    let poll = "T0 Dimension GetCrawler";
    let every = std::time::Duration::from_millis(200);

    // Only the mocks are edited: the autosave is written all the same, holding them.
    let mut h = harness_for(App::open_path(&path).unwrap().with_autosave_interval(every));
    let config = files::config_dir().unwrap();
    select(&mut h, poll);
    click(&mut h, "Clear calls");
    click(&mut h, "Add READY");
    assert!(h.state().is_dirty());
    autosave(&mut h, every);
    let r = statewright::recovery::for_path(&config, &path)
        .unwrap()
        .expect("the autosave of the mock edit");
    let m = r.mocks.clone().expect("the mocks in the autosave");
    assert_eq!(
        m.path.map(|p| p.canonicalize().unwrap()),
        Some(mocks_path.canonicalize().unwrap())
    );
    assert_eq!(
        crawler_states(&MockFile::parse(&m.text).unwrap(), "HappyPath", poll),
        ["READY"]
    );
    // A later mock edit (the workflow still unchanged) is autosaved again.
    click(&mut h, "Add RUNNING");
    autosave(&mut h, every);
    let r = statewright::recovery::for_path(&config, &path)
        .unwrap()
        .unwrap();
    let recovered = r.mocks.clone().unwrap().text;
    assert_eq!(
        crawler_states(&MockFile::parse(&recovered).unwrap(), "HappyPath", poll),
        ["READY", "RUNNING"]
    );
    assert_eq!(h.state().mock_store().text().unwrap(), recovered);
    // The window goes away without saving (as in a crash): nothing was written beside the workflow.
    drop(h);
    assert_eq!(std::fs::read_to_string(&mocks_path).unwrap(), on_disk);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), workflow_text);

    // The next window offers the work back; restoring brings the mock edits back, unsaved, and leaves the
    // workflow as it is on disk.
    let mut h = harness_for(App::open_path(&path).unwrap());
    assert!(
        h.state()
            .recovery_offer()
            .is_some_and(|o| o.mocks.is_some())
    );
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().mock_store().text().unwrap(), on_disk);
    let disk_machine = h.state().machine().clone();
    h.get_by_label("Restore").click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().recovery_offer().is_none());
    assert!(h.state().mock_store().is_modified());
    assert!(h.state().is_dirty());
    assert_eq!(h.state().mock_store().text().unwrap(), recovered);
    assert_eq!(*h.state().machine(), disk_machine);
    assert_eq!(std::fs::read_to_string(&mocks_path).unwrap(), on_disk);
    select(&mut h, poll);
    assert!(h.query_by_label("Calls: READY, RUNNING").is_some());

    // File > Save writes them; the autosave is gone.
    h.state_mut().push(Command::Save);
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().status());
    assert_eq!(std::fs::read_to_string(&mocks_path).unwrap(), recovered);
    assert!(
        statewright::recovery::for_path(&config, &path)
            .unwrap()
            .is_none()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn discarding_recovered_work_discards_its_mock_edits_too() {
    let path = copy_example("discard", "medallion-glue-crawlers.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let h = harness(&path);
    let config = files::config_dir().unwrap();
    let on_disk = h.state().mock_store().text().unwrap();
    let edited = on_disk.replace("\"HappyPath\"", "\"Recovered case\"");
    assert_ne!(edited, on_disk);
    drop(h);
    let mut r = statewright::recovery::Recovery::new(
        statewright::recovery::key_for_path(&path),
        Some(path.clone()),
        statewright::asl::SourceFormat::Json,
        std::fs::read_to_string(&path).unwrap(),
    )
    .with_mocks(Some(statewright::recovery::RecoveredMocks {
        path: None,
        text: edited,
    }));
    r.writer = None;
    statewright::recovery::write(&config, &r).unwrap();
    let mut h = harness(&path);
    assert!(h.state().recovery_offer().is_some());
    h.get_by_label("Discard").click();
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().recovery_offer().is_none());
    assert!(!h.state().is_dirty());
    assert_eq!(h.state().mock_store().text().unwrap(), on_disk);
    assert!(
        statewright::recovery::for_path(&config, &path)
            .unwrap()
            .is_none()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn recovered_mock_edits_are_kept_while_the_mock_file_cannot_be_read() {
    let path = copy_example("recover-bad", "medallion-glue-crawlers.asl.json");
    let dir = path.parent().unwrap().to_path_buf();
    let mocks_path = dir.join("medallion-glue-crawlers.mocks.json");
    let broken = "{\n  \"StateMachines\": oops\n}\n";
    std::fs::write(&mocks_path, broken).unwrap();
    let config = {
        let h = harness(&path);
        drop(h);
        files::config_dir().unwrap()
    };
    let edited = statewright::examples::mock_text("medallion-glue-crawlers.mocks.json").unwrap();
    let mut r = statewright::recovery::Recovery::new(
        statewright::recovery::key_for_path(&path),
        Some(path.clone()),
        statewright::asl::SourceFormat::Json,
        std::fs::read_to_string(&path).unwrap(),
    )
    .with_mocks(Some(statewright::recovery::RecoveredMocks {
        path: Some(mocks_path.clone()),
        text: edited.into(),
    }));
    r.writer = None;
    statewright::recovery::write(&config, &r).unwrap();

    let mut h = harness(&path);
    assert!(h.state().mock_store().load_error().is_some());
    h.get_by_label("Restore").click();
    h.run_steps(3);
    settle(&mut h);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("mock file cannot be read"), "{status}");
    assert!(h.state().recovery_offer().is_some());
    assert!(!h.state().is_dirty());
    assert_eq!(
        statewright::recovery::for_path(&config, &path).unwrap(),
        Some(r)
    );
    assert_eq!(std::fs::read_to_string(&mocks_path).unwrap(), broken);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_untitled_workflows_test_cases_come_back_with_it() {
    let text = statewright::ui::example_text("hello.asl.json").unwrap();
    let every = std::time::Duration::from_millis(200);
    let mut h = harness_for(App::from_text(text, None).with_autosave_interval(every));
    let config = files::config_dir().unwrap();
    let machine = h.state().machine().clone();
    select(&mut h, "Validate Order");
    click(&mut h, "New test case");
    retype(&mut h, "Test case name", "Kept in memory");
    click(&mut h, "Rename");
    autosave(&mut h, every);
    let mocks = h.state().mock_store().text().unwrap();
    let r = statewright::recovery::untitled(&config)
        .into_iter()
        .find(|r| r.mocks.as_ref().is_some_and(|m| m.text == mocks))
        .expect("the untitled autosave with its mocks");
    assert_eq!(r.mocks.as_ref().unwrap().path, None);
    drop(h);

    let mut h = harness_for(App::example().offer_untitled_recoveries());
    while h.state().recovery_offer().is_some_and(|o| o.key != r.key) {
        h.get_by_label("Discard").click();
        h.run_steps(2);
    }
    h.get_by_label("Restore").click();
    h.run_steps(3);
    settle(&mut h);
    assert_eq!(h.state().path(), None);
    assert_eq!(*h.state().machine(), machine);
    assert!(h.state().mock_store().is_modified());
    assert_eq!(h.state().mock_store().text().unwrap(), mocks);
    assert_eq!(
        h.state().mock_store().selected_case(),
        Some("Kept in memory")
    );
}
