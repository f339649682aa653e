//! The designer on JSONata and variables, driven through the accessibility tree (egui_kittest): JSONata
//! fields in the inspector, `{% %}` syntax errors at their column, the Assign table in both query
//! languages, Choice `Condition` rules, the query-language switch (one undo step, fields that no longer
//! apply), and the player on `jsonata-greeting` (variables, JSONata stages).

use egui::Vec2;
use egui_kittest::{Harness, kittest::Queryable};
use statewright::ui::{App, app::Command, files};

fn harness(text: &str) -> Harness<'static, App> {
    let dir = std::env::temp_dir().join(format!(
        "statewright-ui-jsonata-tests-{}",
        std::process::id()
    ));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
    let app = App::from_text(text, None).with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 1100.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    h
}

fn greeting() -> Harness<'static, App> {
    harness(statewright::ui::example_text("jsonata-greeting.asl.json").expect("bundled example"))
}

fn select(h: &mut Harness<'static, App>, name: &str) {
    h.state_mut().push(Command::Select(Some(name.to_owned())));
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some(name));
}

/// Focuses the text field labelled `label`, moves to its end and types `text`.
fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_role_and_label(egui::Role::TextInput, label)
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, label)
        .type_text(text);
    h.run_steps(3);
}

fn field_text(h: &Harness<'static, App>, state: &str, key: &str) -> String {
    let v = h
        .state()
        .machine()
        .state(state)
        .unwrap()
        .field_json(key)
        .unwrap_or_else(|| panic!("{state} has no {key}"));
    // serde_json's compact form (no spaces), whatever the document's own formatting.
    serde_json::to_string(&v.to_serde()).unwrap()
}

#[test]
fn edit_a_jsonata_output_field() {
    let mut h = greeting();
    select(&mut h, "Shorten");
    assert_eq!(
        field_text(&h, "Shorten", "Output"),
        r#""{% $states.result.Payload %}""#
    );
    // A bare expression (no JSON quotes) is shown and edited as the expression.
    let out = h.get_by_role_and_label(egui::Role::MultilineTextInput, "Output (JSONata)");
    assert_eq!(out.value().as_deref(), Some("{% $states.result.Payload %}"));
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Output (JSONata)")
        .focus();
    h.run_steps(1);
    // Put the caret before " %}" and extend the expression.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    for _ in 0..3 {
        h.key_press(egui::Key::ArrowLeft);
    }
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Output (JSONata)")
        .type_text(".short");
    h.run_steps(3);
    assert_eq!(
        field_text(&h, "Shorten", "Output"),
        r#""{% $states.result.Payload.short %}""#
    );
    // Arguments: a JSON template with an expression inside.
    assert!(
        h.query_by_role_and_label(egui::Role::MultilineTextInput, "Arguments (JSONata)")
            .is_some()
    );
    // JSONPath-only fields are not offered in a JSONata state.
    assert!(h.query_by_label("InputPath").is_none());
    assert!(h.query_by_label("ResultPath").is_none());
}

#[test]
fn a_syntax_error_in_an_expression_shows_its_column() {
    let mut h = greeting();
    select(&mut h, "Shorten");
    // "{% $states.result.Payload ] %}": the stray "]" is the 27th char of the field.
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Output (JSONata)")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    for _ in 0..2 {
        h.key_press(egui::Key::ArrowLeft);
    }
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Output (JSONata)")
        .type_text("] ");
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Output (JSONata): 1:27: ")
            .is_some(),
        "no error at 1:27: {:?}",
        h.query_by_label_contains("Output (JSONata): 1:")
    );
    // The document keeps what was typed (the validator reports it too).
    assert_eq!(
        field_text(&h, "Shorten", "Output"),
        r#""{% $states.result.Payload ] %}""#
    );
    // Fixed: the message goes.
    h.key_press(egui::Key::Backspace);
    h.key_press(egui::Key::Backspace);
    h.run_steps(3);
    assert!(h.query_by_label_contains("Output (JSONata): 1:").is_none());
}

#[test]
fn assign_table_add_row_in_jsonata_and_jsonpath() {
    // JSONata: a new row is a name and an expression; its value is editable.
    let mut h = greeting();
    select(&mut h, "Greet");
    assert_eq!(
        h.get_by_role_and_label(egui::Role::TextInput, "Assign name 1")
            .value()
            .as_deref(),
        Some("name")
    );
    h.get_by_label("Add Assign row").click();
    h.run_steps(3);
    assert_eq!(
        field_text(&h, "Greet", "Assign"),
        r#"{"name":"{% $states.input.name ? $states.input.name : 'world' %}","var1":"{% $states.input %}"}"#
    );
    type_into(&mut h, "Assign name 2", "x");
    assert!(field_text(&h, "Greet", "Assign").contains(r#""var1x":"#));
    h.get_by_label("Remove Assign row 1").click();
    h.run_steps(3);
    assert_eq!(
        field_text(&h, "Greet", "Assign"),
        r#"{"var1x":"{% $states.input %}"}"#
    );

    // JSONPath: the new row's name ends in ".$" and takes a path.
    let mut h = harness(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#);
    select(&mut h, "P");
    assert!(h.query_by_label("Output (JSON)").is_none());
    h.get_by_label("Add Assign row").click();
    h.run_steps(3);
    assert_eq!(field_text(&h, "P", "Assign"), r#"{"var1.$":"$"}"#);
    type_into(&mut h, "Assign value 1", ".order.id");
    assert_eq!(field_text(&h, "P", "Assign"), r#"{"var1.$":"$.order.id"}"#);
    // A number typed as a value is a number.
    h.get_by_label("Add Assign row").click();
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::TextInput, "Assign value 2")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(egui::Role::TextInput, "Assign value 2")
        .type_text("42");
    h.run_steps(3);
    assert!(
        field_text(&h, "P", "Assign").contains(r#""var2.$":42"#),
        "{}",
        field_text(&h, "P", "Assign")
    );
}

#[test]
fn edit_a_choice_condition() {
    let mut h = greeting();
    select(&mut h, "Long Name?");
    assert!(
        h.query_by_role_and_label(egui::Role::TextInput, "Variable")
            .is_none()
    );
    h.get_by_role_and_label(egui::Role::TextInput, "Rule 1 Condition")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    for _ in 0..3 {
        h.key_press(egui::Key::ArrowLeft);
    }
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Rule 1 Condition")
        .type_text("0");
    h.run_steps(3);
    let rule = h
        .state()
        .machine()
        .state("Long Name?")
        .unwrap()
        .choices
        .clone()
        .unwrap()
        .remove(0);
    assert_eq!(
        rule.condition.as_ref().and_then(|c| c.as_str()),
        Some("{% $length($name) > 100 %}")
    );
    assert_eq!(rule.next.as_deref(), Some("Shorten"));
    // A new rule in JSONata is a Condition rule.
    h.get_by_label("Add rule").click();
    h.run_steps(3);
    let rules = h
        .state()
        .machine()
        .state("Long Name?")
        .unwrap()
        .choices
        .clone()
        .unwrap();
    assert_eq!(rules.len(), 2);
    assert!(rules[1].condition.is_some() && rules[1].variable.is_none());
}

#[test]
fn switching_query_language_is_one_undo_step_and_lists_fields_that_no_longer_apply() {
    let mut h = harness(
        r#"{"StartAt":"P","States":{"P":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.a","ResultPath":"$.r","Assign":{"x.$":"$.v"},"End":true}}}"#,
    );
    let before = h.state().document().to_text();
    select(&mut h, "P");
    h.get_by_role_and_label(egui::Role::ComboBox, "QueryLanguage")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "JSONata")
        .click();
    h.run_steps(3);
    let p = h.state().machine().state("P").unwrap().clone();
    assert_eq!(p.query_language.as_deref(), Some("JSONata"));
    // The fields stay, and the banner names them.
    assert!(p.input_path.is_some() && p.result_path.is_some());
    assert!(
        h.query_by_label("3 fields do not apply in JSONata: InputPath, ResultPath, Assign.x.$")
            .is_some()
    );
    // One undo step restores the document exactly.
    h.state_mut().push(Command::Undo);
    h.run_steps(3);
    assert_eq!(h.state().document().to_text(), before);
    h.state_mut().push(Command::Redo);
    h.run_steps(3);
    // Remove them: one more step.
    h.get_by_label("Remove 3 fields that no longer apply")
        .click();
    h.run_steps(3);
    let p = h.state().machine().state("P").unwrap().clone();
    assert!(p.input_path.is_none() && p.result_path.is_none());
    assert_eq!(
        p.assign.as_ref().map(|a| a.to_serde()),
        Some(serde_json::json!({}))
    );
    assert!(h.query_by_label_contains("do not apply").is_none());
    h.state_mut().push(Command::Undo);
    h.run_steps(3);
    assert!(h.state().machine().state("P").unwrap().input_path.is_some());
    assert_eq!(
        h.state()
            .machine()
            .state("P")
            .unwrap()
            .query_language
            .as_deref(),
        Some("JSONata")
    );

    // The machine's language: switching it from the machine panel (nothing selected) lists per state.
    let mut h =
        harness(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":"$.a","End":true}}}"#);
    h.state_mut().push(Command::Select(None));
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::ComboBox, "QueryLanguage")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "JSONata")
        .click();
    h.run_steps(3);
    assert_eq!(
        h.state().machine().query_language.as_deref(),
        Some("JSONata")
    );
    assert!(
        h.query_by_label("1 field does not apply in JSONata: P: OutputPath")
            .is_some()
    );
}

#[test]
fn jsonata_greeting_runs_in_the_player_with_variables_and_stages() {
    use statewright::ui::player::RunCommand;
    let mut h = greeting();
    h.state_mut().push(Command::Run(RunCommand::OpenSetup));
    h.run_steps(3);
    h.state_mut().push(Command::Run(RunCommand::Run));
    h.run_steps(2);
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.state().is_busy() {
        assert!(std::time::Instant::now() < until, "the run did not finish");
        std::thread::sleep(std::time::Duration::from_millis(2));
        h.step();
    }
    h.run_steps(3);
    assert!(
        h.query_by_label("Status: SUCCEEDED").is_some(),
        "status: {:?}",
        h.state().status()
    );
    let exited = h
        .state()
        .run_player()
        .unwrap()
        .trace
        .events
        .iter()
        .position(|e| e.event_type == "PassStateExited")
        .expect("Greet exits");
    h.state_mut()
        .push(Command::Run(RunCommand::Seek(Some(exited))));
    h.run_steps(3);
    assert!(h.query_by_label("State: Greet").is_some());
    // The variable Greet assigned, marked, and what Assign and Output evaluated to.
    assert!(h.query_by_label("Assigned by this state: $name").is_some());
    assert!(h.query_by_label("Variables in scope (1)").is_some());
    assert!(
        h.query_by_label("$name = \"world\"  (assigned here)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Assign: what Assign evaluated to")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Output: what Output evaluated to")
            .is_some()
    );
    // The next state still sees the variable, not as its own assignment.
    let entered = h
        .state()
        .run_player()
        .unwrap()
        .trace
        .events
        .iter()
        .position(|e| e.event_type == "ChoiceStateEntered")
        .expect("the Choice is entered");
    h.state_mut()
        .push(Command::Run(RunCommand::Seek(Some(entered))));
    h.run_steps(3);
    assert!(h.query_by_label("$name = \"world\"").is_some());
    assert!(
        h.query_by_label_contains("Assigned by this state")
            .is_none()
    );
}
