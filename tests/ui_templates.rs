//! State machines inside CloudFormation / SAM / CDK templates in the designer, driven like a person would
//! through the accessibility tree (egui_kittest): open a template, pick a state machine, edit it, save it back
//! (only the definition's bytes change), reopen; CDK's `Fn::Join` opens read-only and Save As writes a
//! standalone `.asl.json`; bad templates get a message with a location and the open document stays.
//! Fixtures: `tests/fixtures/templates/`.

use egui::Vec2;
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use statewright::template::Template;
use statewright::ui::{App, app::Command, files};
use std::path::{Path, PathBuf};

fn setup() {
    let dir = std::env::temp_dir().join(format!(
        "statewright-ui-templates-config-{}",
        std::process::id()
    ));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
}

fn harness(app: App) -> Harness<'static, App> {
    setup();
    let app = app.with_picker(Box::new(files::NoPicker));
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
    h.run_steps(3);
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/templates")
        .join(name)
}

/// A fresh folder holding copies of the fixtures `names`.
fn copies(test: &str, names: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "statewright-ui-templates-{test}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for n in names {
        std::fs::copy(fixture(n), dir.join(n)).unwrap();
    }
    dir
}

/// File > Open..., the path typed into the path bar, "Open path" (as a person without a native dialog).
fn open_by_path(h: &mut Harness<'static, App>, path: &Path) {
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Open...").click();
    h.run_steps(2);
    type_path_and_open(h, path);
}

/// The path typed into the open bar, then "Open path".
fn type_path_and_open(h: &mut Harness<'static, App>, path: &Path) {
    let field = h.get_by_role_and_label(egui::Role::TextInput, "Path to open:");
    field.focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Path to open:")
        .type_text(&path.display().to_string());
    h.run_steps(1);
    h.get_by_label("Open path").click();
    h.run_steps(2);
    settle(h);
}

/// The bundled hello example, unedited (untitled).
fn hello_app() -> App {
    App::from_text(
        statewright::ui::example_text("hello.asl.json").expect("bundled hello example"),
        None,
    )
}

/// The hello example in a window: the document that must survive a failed open.
fn hello() -> Harness<'static, App> {
    harness(hello_app())
}

#[test]
fn pick_one_of_two_edit_it_in_the_inspector_save_into_the_template_and_reopen() {
    let dir = copies("two", &["two-machines.yaml"]);
    let path = dir.join("two-machines.yaml");
    let original = std::fs::read_to_string(&path).unwrap();
    let before = Template::open(&path).unwrap();
    let region = before.get("Greeter").unwrap().region.clone();

    let mut h = hello();
    open_by_path(&mut h, &path);
    // The picker lists both, with type and form; nothing is replaced yet.
    assert_eq!(h.state().picker_template(), Some(path.as_path()));
    assert!(h.state().template_machine().is_none());
    for label in [
        "Greeter",
        "Regional",
        "AWS::Serverless::StateMachine",
        "AWS::StepFunctions::StateMachine",
        "mapping",
        "Sub-string",
    ] {
        assert!(h.query_by_label(label).is_some(), "{label} in the picker");
    }
    h.get_by_role_and_label(egui::Role::Button, "Greeter")
        .click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().picker_template().is_none());
    assert_eq!(
        h.state().template_machine(),
        Some((path.as_path(), "Greeter"))
    );
    assert!(
        h.state()
            .title()
            .starts_with("two-machines.yaml › Greeter — "),
        "{}",
        h.state().title()
    );
    assert!(h.state().machine().state("Say").is_some());

    // An unedited save writes nothing different.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);

    // Edit a state in the inspector.
    h.get_by_label("Say").click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some("Say"));
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .type_text("Says hello");
    h.run_steps(3);
    assert!(h.state().title().starts_with('*'));
    // Save: back into the template.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    assert!(
        !h.state().title().starts_with('*'),
        "{:?}",
        h.state().status()
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    assert_ne!(saved, original);
    // Only the definition's bytes changed: everything before and after its region is as it was.
    let tail = original.len() - region.end;
    assert_eq!(saved[..region.start], original[..region.start]);
    assert_eq!(saved[saved.len() - tail..], original[region.end..]);
    assert!(saved.contains("Comment: Says hello"), "{saved}");
    // Reopened by the core, the template holds the edit and the other machine as it was.
    let after = Template::open(&path).unwrap();
    let doc = after.get("Greeter").unwrap().document().unwrap();
    assert_eq!(
        doc.machine
            .state("Say")
            .unwrap()
            .comment
            .as_ref()
            .map(|c| c.as_str()),
        Some("Says hello")
    );
    assert_eq!(
        after
            .get("Regional")
            .unwrap()
            .definition
            .as_ref()
            .unwrap()
            .text,
        before
            .get("Regional")
            .unwrap()
            .definition
            .as_ref()
            .unwrap()
            .text
    );
    // The saved template is the new baseline: a second edit saves into the new text.
    h.state_mut()
        .push(Command::Edit(statewright::edit::Op::Rename {
            from: "Say".into(),
            to: "Speak".into(),
        }));
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    let again = Template::open(&path).unwrap();
    let doc = again.get("Greeter").unwrap().document().unwrap();
    assert!(
        doc.machine.state("Speak").is_some(),
        "{:?}",
        h.state().status()
    );
    assert_eq!(doc.machine.start_at(), Some("Speak"));

    // Reopened in the designer: the picker again, and the edit is there.
    let mut h = hello();
    open_by_path(&mut h, &path);
    h.get_by_role_and_label(egui::Role::Button, "Greeter")
        .click();
    h.run_steps(3);
    settle(&mut h);
    assert_eq!(
        h.state()
            .machine()
            .state("Speak")
            .and_then(|s| s.comment.as_ref())
            .map(|c| c.as_str()),
        Some("Says hello")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_cdk_join_opens_read_only_and_save_as_writes_a_standalone_asl_json() {
    let dir = copies("cdk", &["cdk-join.json"]);
    let path = dir.join("cdk-join.json");
    let original = std::fs::read(&path).unwrap();
    let mut h = hello();
    open_by_path(&mut h, &path);
    // One state machine: it opens at once, read-only, and says where to change it.
    assert_eq!(
        h.state().template_machine(),
        Some((path.as_path(), "Machine"))
    );
    let reason = h.state().read_only_reason().unwrap().to_owned();
    assert!(
        reason.contains("source that generates the template"),
        "{reason}"
    );
    assert!(
        h.state()
            .title()
            .contains("cdk-join.json › Machine (read-only)")
    );
    assert!(
        h.query_by_label_contains("Read-only: the definition is an Fn::Join")
            .is_some()
    );
    // The definition reads with its GetAtt as a placeholder.
    let call = h.state().machine().state("Call").unwrap().clone();
    assert_eq!(
        call.resource.as_ref().map(|r| r.as_str()),
        Some("${Fn.Arn}")
    );
    // Edits are refused, with the reason.
    h.get_by_label("Call").click_accesskit();
    h.run_steps(3);
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    assert!(h.state().machine().state("Call").is_some());
    assert!(!h.state().is_dirty());
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("Not changed (read-only)") && status.contains(&reason),
        "{status}"
    );
    // Ctrl+S writes nothing; Save is disabled in the menu.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    assert_eq!(std::fs::read(&path).unwrap(), original);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.starts_with("Save is not available"), "{status}");
    h.get_by_label("File").click();
    h.run_steps(2);
    assert!(
        h.get_by_role_and_label(egui::Role::Button, "Save")
            .accesskit_node()
            .is_disabled()
    );
    // Save As: the bar offers a standalone file beside the template.
    h.get_by_label("Save As...").click();
    h.run_steps(2);
    let standalone = dir.join("cdk-join.Machine.asl.json");
    assert_eq!(
        h.get_by_role_and_label(egui::Role::TextInput, "Save as:")
            .value()
            .as_deref(),
        Some(standalone.display().to_string().as_str())
    );
    assert!(
        h.get_by_role_and_label(egui::Role::Button, "Into cdk-join.json")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("Save to path").click();
    h.run_steps(2);
    settle(&mut h);
    let text = std::fs::read_to_string(&standalone).unwrap();
    let doc = statewright::asl::Document::parse_json(&text).unwrap();
    assert_eq!(doc.machine.start_at(), Some("Call"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "the template is untouched"
    );
    // The document is that file now: editable, titled by it.
    assert!(h.state().template_machine().is_none());
    assert_eq!(h.state().path(), Some(standalone.as_path()));
    assert!(
        h.state()
            .title()
            .starts_with("cdk-join.Machine.asl.json — ")
    );
    h.state_mut().push(Command::Select(Some("Call".into())));
    h.run_steps(3);
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    assert!(h.state().machine().state("Call").is_none());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_template_without_a_state_machine_says_so_and_the_document_stays() {
    let mut h = hello();
    let machine = h.state().machine().clone();
    let title = h.state().title();
    open_by_path(&mut h, &fixture("no-state-machine.yaml"));
    let notice = h.state().notice().unwrap_or_default().to_owned();
    assert!(notice.contains("no-state-machine.yaml:"), "{notice}");
    assert!(notice.contains("state machine"), "{notice}");
    // In the banner (and the status bar).
    assert!(h.query_all_by_label(&notice).count() >= 1);
    assert_eq!(*h.state().machine(), machine);
    assert_eq!(h.state().title(), title);
    assert!(h.state().picker_template().is_none());
    h.get_by_label("Dismiss").click();
    h.run_steps(2);
    assert!(h.state().notice().is_none());
}

#[test]
fn bad_templates_get_a_message_with_a_location_and_lose_no_work() {
    for (name, says) in [
        ("not-yaml.yaml", ""),
        ("not-json.json", ""),
        ("anchor.yaml", "anchor"),
        ("alias.yaml", "alias"),
        ("unknown-tag.yaml", "tag"),
        ("definition-not-json.yaml", "JSON"),
        ("definition-not-json.json", "JSON"),
        ("missing-uri.yaml", "missing.asl.json"),
    ] {
        let mut h = hello();
        // Unsaved work in the window: an edit.
        h.state_mut()
            .push(Command::Edit(statewright::edit::Op::Rename {
                from: "Validate Order".into(),
                to: "Check Order".into(),
            }));
        h.run_steps(2);
        assert!(h.state().is_dirty());
        let machine = h.state().machine().clone();
        // Opening asks about the unsaved changes; even "Discard changes" only discards them once the new
        // file has been read: a file that cannot be opened leaves the work where it was.
        h.state_mut().push(Command::Open(fixture(name)));
        h.run_steps(4);
        h.get_by_label("Discard changes").click();
        h.run_steps(2);
        settle(&mut h);
        let notice = h.state().notice().unwrap_or_default().to_owned();
        // file:line:col (or file: line L, column C for a file that is no template at all) and what is wrong.
        let located =
            notice.contains(&format!("{name}:")) && notice.chars().any(|c| c.is_ascii_digit());
        assert!(located, "{name}: {notice}");
        assert!(notice.contains(says), "{name}: {notice}");
        assert_eq!(*h.state().machine(), machine, "{name}: the work is kept");
        assert!(h.state().is_dirty(), "{name}: still unsaved");
        assert!(h.state().template_machine().is_none(), "{name}");
    }
}

#[test]
fn the_run_dialog_lists_substitutions_and_runs_with_an_override() {
    let dir = copies("run", &["two-machines.yaml"]);
    let path = dir.join("two-machines.yaml");
    let mut h = hello();
    open_by_path(&mut h, &path);
    h.get_by_role_and_label(egui::Role::Button, "Greeter")
        .click();
    h.run_steps(3);
    settle(&mut h);
    h.state_mut()
        .push(Command::Run(statewright::ui::player::RunCommand::OpenSetup));
    h.run_steps(3);
    settle(&mut h);
    let arn = "arn:aws:lambda:us-east-1:123456789012:function:GreetFunction";
    assert_eq!(
        h.get_by_role_and_label(egui::Role::TextInput, "Greeting")
            .value()
            .as_deref(),
        Some("hello")
    );
    assert_eq!(
        h.get_by_role_and_label(egui::Role::TextInput, "FunctionArn")
            .value()
            .as_deref(),
        Some(arn)
    );
    assert!(h.query_by_label("literal in the template").is_some());
    assert!(
        h.query_by_label("stand-in for !GetAtt GreetFunction.Arn")
            .is_some()
    );
    // Override one value.
    h.get_by_role_and_label(egui::Role::TextInput, "Greeting")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Greeting")
        .type_text("hi there");
    h.run_steps(3);
    assert!(h.query_by_label("your value").is_some());
    // The setup window's "Run" (the menu bar has a "Run" menu too: take the one below the window's title).
    let window_top = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > window_top)
        .expect("the setup window's Run button")
        .click();
    h.run_steps(2);
    settle(&mut h);
    let p = h.state().run_player().expect("the run finished");
    assert_eq!(
        p.trace.output,
        Some(serde_json::json!({"text": "hi there", "function": arn})),
        "{:?}",
        h.state().run_error()
    );
    // The design keeps its placeholders.
    assert!(!h.state().is_dirty());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_definition_uri_saves_the_referenced_file_and_not_the_template() {
    let dir = copies("uri", &[]);
    std::fs::create_dir_all(dir.join("statemachine")).unwrap();
    let template = "Transform: AWS::Serverless-2016-10-31\n# the definition lives in its own file\nResources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n";
    let flow = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"End\": true}\n  }\n}\n";
    std::fs::write(dir.join("template.yaml"), template).unwrap();
    std::fs::write(dir.join("statemachine/flow.asl.json"), flow).unwrap();
    let mut h = harness(App::open_path(&dir.join("template.yaml")).unwrap());
    assert_eq!(h.state().template_machine().map(|t| t.1), Some("Flow"));
    h.state_mut()
        .push(Command::Edit(statewright::edit::Op::Rename {
            from: "A".into(),
            to: "B".into(),
        }));
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().is_dirty(), "{:?}", h.state().status());
    assert_eq!(
        std::fs::read_to_string(dir.join("template.yaml")).unwrap(),
        template
    );
    let saved = std::fs::read_to_string(dir.join("statemachine/flow.asl.json")).unwrap();
    assert!(saved.contains("\"StartAt\": \"B\""), "{saved}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn autosave_of_a_template_machine_is_filed_apart_and_restores_into_the_template() {
    let dir = copies("autosave", &["two-machines.yaml"]);
    let path = dir.join("two-machines.yaml");
    let original = std::fs::read_to_string(&path).unwrap();
    let app = hello_app().with_autosave_interval(std::time::Duration::from_millis(20));
    let mut h = harness(app);
    open_by_path(&mut h, &path);
    h.get_by_role_and_label(egui::Role::Button, "Regional")
        .click();
    h.run_steps(3);
    settle(&mut h);
    h.state_mut()
        .push(Command::Edit(statewright::edit::Op::Rename {
            from: "Where".into(),
            to: "There".into(),
        }));
    h.run_steps(2);
    // Let an autosave be written.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let config = files::config_dir().unwrap();
    let key_path = {
        let mut s = statewright::recovery::canonical(&path).into_os_string();
        s.push("#Regional");
        PathBuf::from(s)
    };
    let found = loop {
        std::thread::sleep(std::time::Duration::from_millis(30));
        h.step();
        settle(&mut h);
        if let Ok(Some(r)) = statewright::recovery::for_path(&config, &key_path) {
            break r;
        }
        assert!(std::time::Instant::now() < until, "no autosave written");
    };
    // Filed under TEMPLATE#ID, holding the definition; the template itself has no autosave and is untouched.
    assert!(found.text.contains("There"), "{}", found.text);
    assert_eq!(
        statewright::recovery::for_path(&config, &path).unwrap(),
        None
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    // The window goes away without saving (a crash: nothing cleans up).
    drop(h);
    // Reopened: the picker, then the machine with its unsaved work offered.
    let mut h = hello();
    open_by_path(&mut h, &path);
    h.get_by_role_and_label(egui::Role::Button, "Regional")
        .click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().recovery_offer().is_some());
    h.get_by_label("Restore").click();
    h.run_steps(3);
    assert!(h.state().machine().state("There").is_some());
    assert!(h.state().is_dirty());
    // Saved: into the template's definition, nowhere else.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(2);
    settle(&mut h);
    let t = Template::open(&path).unwrap();
    let doc = t.get("Regional").unwrap().document().unwrap();
    assert!(
        doc.machine.state("There").is_some(),
        "{:?}",
        h.state().status()
    );
    assert!(t.get("Greeter").unwrap().document().is_ok());
    assert_eq!(
        statewright::recovery::for_path(&config, &key_path).unwrap(),
        None,
        "the autosave is gone after the save"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_standalone_save_never_replaces_a_template() {
    let dir = copies("guard", &["two-machines.yaml"]);
    let path = dir.join("two-machines.yaml");
    let original = std::fs::read_to_string(&path).unwrap();
    let mut h = hello();
    h.state_mut().save_to(&path);
    h.step();
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(status.contains("is an infrastructure template"), "{status}");
    let _ = std::fs::remove_dir_all(dir);
}
