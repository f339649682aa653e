//! Ask-me mode in the designer, driven through the accessibility tree (egui_kittest): with "Ask me" ticked,
//! a run pauses at a Task that has no mocked response and asks what it returns; the answer (JSON, or an
//! error thrown) decides the path the run takes after it.

use egui::Vec2;
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use statewright::ui::{App, files};

/// A crawler check polled in a loop: `Check` is not mocked, the Choice after it reads its result.
const WORKFLOW: &str = r#"{
  "StartAt": "Check",
  "States": {
    "Check": {
      "Type": "Task",
      "Resource": "arn:aws:states:::aws-sdk:glue:getCrawler",
      "Parameters": {"Name.$": "$.crawler"},
      "ResultPath": "$.check",
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Report"}],
      "Next": "Ready?"
    },
    "Ready?": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.check.Crawler.State", "StringEquals": "READY", "Next": "Load"}],
      "Default": "Wait"
    },
    "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Check"},
    "Load": {"Type": "Pass", "End": true},
    "Report": {"Type": "Fail", "Error": "CrawlerFailed"}
  }
}"#;

fn harness() -> Harness<'static, App> {
    harness_for(WORKFLOW)
}

fn harness_for(workflow: &str) -> Harness<'static, App> {
    let dir = std::env::temp_dir().join(format!("statewright-ui-askme-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
    let app = App::from_text(workflow, None).with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    h
}

/// Runs frames until the background run is done; fails after 30 s.
fn settle(h: &mut Harness<'static, App>) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.state().is_busy() {
        assert!(
            std::time::Instant::now() < until,
            "the run did not finish in 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
        h.step();
    }
    h.run_steps(3);
}

/// Run > Simulate..., tick "Ask me", Run: the run pauses at `Check`.
fn start_asking(h: &mut Harness<'static, App>) {
    h.state_mut()
        .set_run_setup(r#"{"crawler": "raw"}"#, "", None);
    start_asking_with_setup(h);
}

/// Run > Simulate..., tick "Ask me", Run, with the input already set.
fn start_asking_with_setup(h: &mut Harness<'static, App>) {
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::CheckBox, "Ask me")
        .click();
    h.run_steps(2);
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .expect("the setup window's Run button")
        .click();
    h.run_steps(2);
    settle(h);
}

/// The question shown: the Task, its call, its effective input pre-filled as the result; the canvas shows the
/// Task as current.
fn assert_asking(h: &Harness<'static, App>, call: usize) {
    let q = h.state().run_question().expect("the run asks");
    assert_eq!((q.state.as_str(), q.call), ("Check", call));
    assert!(h.query_by_label("What does the task return?").is_some());
    assert!(h.query_by_label("Task: Check").is_some());
    assert!(
        h.query_by_label("Resource: arn:aws:states:::aws-sdk:glue:getCrawler")
            .is_some()
    );
    assert!(
        h.query_by_label(&format!("Call {} of this state", call + 1))
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Status: PAUSED, asking what Check returns")
            .is_some()
    );
    let input = h.get_by_role_and_label(egui::Role::MultilineTextInput, "Effective input");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&input.value().unwrap()).unwrap(),
        serde_json::json!({"Name": "raw"})
    );
    let hl = h.state().run_highlight().unwrap();
    assert!(hl.current.contains(&vec!["Check".to_owned()]), "{hl:?}");
}

/// Replaces the result JSON with `json`.
fn type_result(h: &mut Harness<'static, App>, json: &str) {
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Result JSON")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Result JSON")
        .type_text(json);
    h.run_steps(3);
}

fn continue_run(h: &mut Harness<'static, App>) {
    h.get_by_role_and_label(egui::Role::Button, "Continue")
        .click();
    h.run_steps(2);
    settle(h);
}

/// The states entered in the player's trace, in order.
fn entered(h: &Harness<'static, App>) -> Vec<String> {
    h.state()
        .run_player()
        .unwrap()
        .trace
        .events
        .iter()
        .filter(|e| e.event_type.ends_with("StateEntered"))
        .map(|e| e.path.to_string())
        .collect()
}

#[test]
fn answering_ready_takes_the_load_path() {
    let mut h = harness();
    start_asking(&mut h);
    assert_asking(&h, 0);
    assert_eq!(entered(&h), ["Check"]);
    // The editor starts from the effective input, which is valid JSON.
    let result = h.get_by_role_and_label(egui::Role::MultilineTextInput, "Result JSON");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&result.value().unwrap()).unwrap(),
        serde_json::json!({"Name": "raw"})
    );
    type_result(&mut h, r#"{"Crawler": {"State": "READY"}}"#);
    continue_run(&mut h);
    assert!(h.state().run_question().is_none());
    assert_eq!(entered(&h), ["Check", "Ready?", "Load"]);
    assert_eq!(
        h.state().run_player().unwrap().trace.status.name(),
        "SUCCEEDED"
    );
    assert!(h.query_by_label_contains("Status: SUCCEEDED").is_some());
    // The player starts where the answer took over: Check's result.
    let p = h.state().run_player().unwrap();
    let at = p.cursor.current(&p.trace).unwrap();
    assert_eq!(
        (at.event_type.as_ref(), at.path.to_string().as_str()),
        ("TaskSucceeded", "Check")
    );
    // The answers are offered as a test case.
    assert!(h.query_by_label("The run ended after 1 answer.").is_some());
    assert!(
        h.query_by_label_contains("Check, call 1: returned")
            .is_some()
    );
}

#[test]
fn answering_running_polls_again_and_asks_the_next_call() {
    let mut h = harness();
    start_asking(&mut h);
    assert_asking(&h, 0);
    type_result(&mut h, r#"{"Crawler": {"State": "RUNNING"}}"#);
    continue_run(&mut h);
    // The Choice's Default loops back through Wait: the second call of Check asks again.
    assert_asking(&h, 1);
    assert_eq!(entered(&h), ["Check", "Ready?", "Wait", "Check"]);
    type_result(&mut h, r#"{"Crawler": {"State": "READY"}}"#);
    continue_run(&mut h);
    assert_eq!(
        entered(&h),
        ["Check", "Ready?", "Wait", "Check", "Ready?", "Load"]
    );
    assert_eq!(h.state().run_answers().len(), 2);
    // Run again starts a new session: the first call is asked again.
    h.get_by_role_and_label(egui::Role::Button, "Run again")
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert_asking(&h, 0);
    assert!(h.state().run_answers().is_empty());
}

#[test]
fn invalid_json_blocks_continue() {
    let mut h = harness();
    start_asking(&mut h);
    type_result(&mut h, r#"{"Crawler": "#);
    assert!(
        h.query_by_label_contains("Not JSON: line 1, column")
            .is_some()
    );
    let button = h.get_by_role_and_label(egui::Role::Button, "Continue");
    assert!(button.accesskit_node().is_disabled());
    button.click();
    h.run_steps(2);
    settle(&mut h);
    assert_asking(&h, 0);
    assert!(h.state().run_answers().is_empty());
}

#[test]
fn throwing_takes_the_catch_path() {
    let mut h = harness();
    start_asking(&mut h);
    h.get_by_role_and_label(egui::Role::RadioButton, "Throw an error")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::TextInput, "Error")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(egui::Role::TextInput, "Error")
        .type_text("Glue.EntityNotFoundException");
    h.get_by_role_and_label(egui::Role::TextInput, "Cause")
        .focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Cause")
        .type_text("no crawler named raw");
    h.run_steps(3);
    continue_run(&mut h);
    assert_eq!(entered(&h), ["Check", "Report"]);
    let trace = &h.state().run_player().unwrap().trace;
    assert_eq!(trace.error.as_deref(), Some("CrawlerFailed"));
    let failed = trace
        .events
        .iter()
        .find(|e| e.event_type == "TaskFailed")
        .expect("the task failed");
    assert_eq!(failed.error(), Some("Glue.EntityNotFoundException"));
    assert_eq!(failed.cause(), Some("no crawler named raw"));
}

#[test]
fn stop_asking_keeps_the_run_so_far() {
    let mut h = harness();
    start_asking(&mut h);
    h.get_by_role_and_label(egui::Role::Button, "Stop asking")
        .click();
    h.run_steps(3);
    assert!(h.state().run_question().is_none());
    assert!(h.query_by_label("What does the task return?").is_none());
    assert_eq!(entered(&h), ["Check"]);
    assert!(h.query_by_label_contains("Status: FAILED").is_some());
}

#[test]
fn cancelling_the_answered_run_keeps_the_question() {
    // After Check the run spins forever (no transition cap): only Cancel ends it.
    let spin = WORKFLOW.replace(
        r#""Load": {"Type": "Pass", "End": true}"#,
        r#""Load": {"Type": "Pass", "Next": "Load"}"#,
    );
    let mut h = harness_for(&spin);
    h.state_mut().set_max_transitions(u64::MAX);
    start_asking(&mut h);
    assert_asking(&h, 0);
    type_result(&mut h, r#"{"Crawler": {"State": "READY"}}"#);
    h.get_by_role_and_label(egui::Role::Button, "Continue")
        .click();
    h.run_steps(3);
    assert!(h.state().is_busy(), "the answered run spins");
    h.get_all_by_role_and_label(egui::Role::Button, "Cancel run")
        .next()
        .expect("Cancel run")
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(h.state().status(), Some("Run cancelled"));
    // Still paused at the same question, with the run so far; Continue is offered again.
    assert_asking(&h, 0);
    assert_eq!(entered(&h), ["Check"]);
    assert!(
        !h.get_by_role_and_label(egui::Role::Button, "Continue")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn each_map_iteration_asks_for_its_own_answer() {
    let mut h = harness_for(
        r#"{
          "StartAt": "Each",
          "States": {
            "Each": {
              "Type": "Map",
              "ItemsPath": "$.items",
              "ItemProcessor": {
                "StartAt": "Price",
                "States": {
                  "Price": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                            "Parameters": {"sku.$": "$.sku"}, "OutputPath": "$.price", "End": true}
                }
              },
              "End": true
            }
          }
        }"#,
    );
    h.state_mut()
        .set_run_setup(r#"{"items": [{"sku": "a"}, {"sku": "b"}]}"#, "", None);
    start_asking_with_setup(&mut h);
    for (item, sku, price) in [(0, "a", "10"), (1, "b", "25")] {
        let q = h.state().run_question().expect("the iteration asks");
        assert_eq!((q.state.as_str(), q.call), ("Price", item));
        assert!(
            h.query_by_label(&format!("In: Each / item {item} / Price"))
                .is_some()
        );
        let input = h.get_by_role_and_label(egui::Role::MultilineTextInput, "Effective input");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&input.value().unwrap()).unwrap(),
            serde_json::json!({ "sku": sku })
        );
        let hl = h.state().run_highlight().unwrap();
        assert!(
            hl.current
                .contains(&vec!["Each".to_owned(), "Price".to_owned()]),
            "{hl:?}"
        );
        type_result(&mut h, &format!(r#"{{"price": {price}}}"#));
        continue_run(&mut h);
    }
    let trace = &h.state().run_player().unwrap().trace;
    assert_eq!(trace.output, Some(serde_json::json!([10, 25])));
}

#[test]
fn the_answers_are_saved_as_a_test_case_that_replays_the_run() {
    let dir =
        std::env::temp_dir().join(format!("statewright-ui-askme-save-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("crawl.asl.json");
    std::fs::write(&path, WORKFLOW).unwrap();
    files::set_config_dir(dir.join("config"));
    let app = App::open_path(&path)
        .unwrap()
        .with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    start_asking(&mut h);
    type_result(&mut h, r#"{"Crawler": {"State": "RUNNING"}}"#);
    continue_run(&mut h);
    type_result(&mut h, r#"{"Crawler": {"State": "READY"}}"#);
    continue_run(&mut h);
    let asked = entered(&h);
    assert_eq!(
        asked,
        ["Check", "Ready?", "Wait", "Check", "Ready?", "Load"]
    );
    h.get_by_role_and_label(egui::Role::TextInput, "Test case name")
        .focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Test case name")
        .type_text("Ready on the second poll");
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Save as a new test case")
        .click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Added the test case \"Ready on the second poll\"")
            .is_some()
    );
    // In the workflow's mocks (not written until saved): Check's two answers as its outcome sequence.
    let text = h.state().mock_store().text().unwrap();
    let file = statewright::sim::mockfile::MockFile::parse(&text).unwrap();
    let mocks = file
        .task_mocks("crawl", "Ready on the second poll")
        .unwrap();
    assert_eq!(mocks.by_state.keys().collect::<Vec<_>>(), ["Check"]);
    assert_eq!(mocks.by_state["Check"].len(), 2);
    assert!(!dir.join("crawl.mocks.json").exists());
    assert!(h.state().is_dirty());
    // Run without asking, with the new test case: the same path.
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    assert_eq!(
        h.get_by_role_and_label(egui::Role::ComboBox, "Test case")
            .value()
            .as_deref(),
        Some("Ready on the second poll")
    );
    h.get_by_role_and_label(egui::Role::CheckBox, "Ask me")
        .click();
    h.run_steps(2);
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .unwrap()
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert!(h.state().run_question().is_none());
    assert_eq!(entered(&h), asked);
    // File > Save writes it beside the workflow.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    let saved = std::fs::read_to_string(dir.join("crawl.mocks.json")).unwrap();
    assert_eq!(saved, text);
}

#[test]
fn opening_another_workflow_ends_the_questions() {
    let mut h = harness();
    start_asking(&mut h);
    assert_asking(&h, 0);
    h.state_mut()
        .push(statewright::ui::app::Command::OpenExample(0));
    h.run_steps(3);
    settle(&mut h);
    assert_ne!(h.state().machine().start_at(), Some("Check"));
    assert!(h.state().run_question().is_none());
    assert!(h.query_by_label("What does the task return?").is_none());
}
