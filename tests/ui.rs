//! Designer flows driven like a person would, through the accessibility tree (egui_kittest): widgets are
//! found by the label a person reads; canvas nodes by the state's name.

mod common;

use egui::{Pos2, Vec2};
use egui_kittest::{Harness, kittest::Queryable};
use statewright::edit::{self, Scope};
use statewright::ui::{App, app::Command, files};

fn setup() {
    let dir = std::env::temp_dir().join(format!("statewright-ui-tests-{}", std::process::id()));
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
    h
}

fn example() -> Harness<'static, App> {
    harness(App::example())
}

/// Presses at `from`, moves in steps to `to`, releases there (keeping the pointer on screen).
fn drag(h: &mut Harness<'static, App>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=6 {
        h.hover_at(from + (to - from) * (i as f32 / 6.0));
        h.run_steps(1);
    }
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    h.run_steps(3);
}

fn palette_entry(h: &Harness<'static, App>, label: &str) -> Pos2 {
    h.get_by_role_and_label(egui::Role::Button, label)
        .rect()
        .center()
}

#[test]
fn drag_task_from_palette_onto_free_canvas() {
    let mut h = example();
    let b = h.state().layout().bounds;
    let free = h
        .state()
        .screen_pos(Pos2::new(b.min.x + 20.0, b.max.y - 10.0));
    let from = palette_entry(&h, "Task");
    drag(&mut h, from, free);
    let m = h.state().machine();
    assert!(
        m.state("Task 1").is_some(),
        "status: {:?}",
        h.state().status()
    );
    assert_eq!(h.state().selection(), Some("Task 1"));
    h.run_steps(2);
    assert!(
        h.query_by_role_and_label(egui::Role::Button, "Task 1")
            .is_some()
    );
}

#[test]
fn drag_wait_onto_an_edge_inserts_it() {
    let mut h = example();
    let e = h
        .state()
        .layout()
        .edges
        .iter()
        .find(|e| {
            e.from.last().map(String::as_str) == Some("Notify")
                && e.to.last().map(String::as_str) == Some("Done")
        })
        .cloned()
        .expect("edge Notify -> Done");
    let (a, b) = (e.points[0], e.points[1]);
    let mid = h
        .state()
        .screen_pos(Pos2::new((a.x + b.x) / 2.0, (a.y + b.y) / 2.0));
    let from = palette_entry(&h, "Wait");
    drag(&mut h, from, mid);
    let m = h.state().machine();
    assert_eq!(
        m.state("Notify").unwrap().next.as_deref(),
        Some("Wait 1"),
        "status: {:?}",
        h.state().status()
    );
    assert_eq!(m.state("Wait 1").unwrap().next.as_deref(), Some("Done"));
}

#[test]
fn drag_pass_into_a_parallel_lane() {
    let mut h = example();
    let lane = h
        .state()
        .layout()
        .nodes
        .iter()
        .find(|n| n.name == "Fulfil")
        .unwrap()
        .lanes[0];
    let p = h.state().screen_pos(Pos2::new(
        (lane.min.x + lane.max.x) / 2.0 - 30.0,
        lane.max.y - 8.0,
    ));
    let from = palette_entry(&h, "Pass");
    drag(&mut h, from, p);
    let m = h.state().machine();
    assert_eq!(
        edit::find_scope(m, "Pass 1"),
        Some(Scope::root().child("Fulfil", 0)),
        "status: {:?}",
        h.state().status()
    );
}

#[test]
fn connect_two_states_by_dragging_the_handle() {
    let mut h = example();
    h.get_by_role_and_label(egui::Role::Button, "Task")
        .click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some("Task 1"));
    let from = h
        .state()
        .node_screen_rect("Task 1")
        .unwrap()
        .center_bottom();
    let to = h.state().node_screen_rect("Done").unwrap().center();
    assert!(h.query_by_label("Connect from Task 1").is_some());
    drag(&mut h, from, to);
    assert_eq!(
        h.state().machine().state("Task 1").unwrap().next.as_deref(),
        Some("Done"),
        "status: {:?}",
        h.state().status()
    );
}

#[test]
fn edit_a_choice_rule_in_the_inspector() {
    let mut h = example();
    h.get_by_label("Is Valid?").click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some("Is Valid?"));
    // Change the operator from BooleanEquals to StringEquals.
    h.get_by_role_and_label(egui::Role::ComboBox, "Operator")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "StringEquals")
        .click();
    h.run_steps(3);
    let rule = h
        .state()
        .machine()
        .state("Is Valid?")
        .unwrap()
        .choices
        .clone()
        .unwrap()
        .remove(0);
    assert!(
        rule.string_equals.is_some() && rule.boolean_equals.is_none(),
        "{rule:?}"
    );
    // Edit the variable.
    let var = h.get_by_role_and_label(egui::Role::TextInput, "Variable");
    var.focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Variable")
        .type_text(".ok");
    h.run_steps(3);
    let rule = h
        .state()
        .machine()
        .state("Is Valid?")
        .unwrap()
        .choices
        .clone()
        .unwrap()
        .remove(0);
    assert_eq!(rule.variable.as_deref(), Some("$.validation.valid.ok"));
    // Typing and the operator change are two undo steps.
    h.state_mut().push(Command::Undo);
    h.state_mut().push(Command::Undo);
    h.run_steps(2);
    assert_eq!(
        h.state().document().to_text(),
        statewright::ui::EXAMPLES[0].1
    );
}

#[test]
fn rename_in_the_inspector_updates_references() {
    let mut h = example();
    h.get_by_label("Order Failed").click_accesskit();
    h.run_steps(3);
    let name = h.get_by_role_and_label(egui::Role::TextInput, "Name");
    name.focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Name")
        .type_text(" Badly");
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    let m = h.state().machine();
    assert!(
        m.state("Order Failed Badly").is_some(),
        "status: {:?}",
        h.state().status()
    );
    assert_eq!(
        m.state("Is Valid?").unwrap().default.as_deref(),
        Some("Order Failed Badly")
    );
    assert_eq!(
        m.state("Validate Order").unwrap().catch.as_ref().unwrap()[0]
            .next
            .as_deref(),
        Some("Order Failed Badly")
    );
    h.run_steps(2);
    assert!(
        h.query_by_role_and_label(egui::Role::Button, "Order Failed Badly")
            .is_some()
    );
    assert!(h.state().title().starts_with('*'));
}

#[test]
fn delete_undo_redo() {
    let mut h = example();
    h.get_by_label("Notify").click_accesskit();
    h.run_steps(2);
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    assert!(h.state().machine().state("Notify").is_none());
    assert!(h.query_by_label("Notify").is_none());
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label("Undo Delete Notify").click();
    h.run_steps(3);
    assert!(h.state().machine().state("Notify").is_some());
    assert_eq!(
        h.state().document().to_text(),
        statewright::ui::EXAMPLES[0].1
    );
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert!(h.state().machine().state("Notify").is_none());
}

#[test]
fn code_view_round_trip() {
    let mut h = example();
    h.get_by_label("Code").click();
    h.run_steps(3);
    let code = h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL JSON");
    assert!(
        code.value()
            .unwrap_or_default()
            .contains("\"Validate Order\"")
    );
    // Break the text: the document is untouched and the error has line:col.
    code.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL JSON")
        .type_text("x");
    h.run_steps(3);
    assert!(h.state().machine().state("Notify").is_some());
    assert!(h.query_by_label_contains("Not applied: ").is_some());
    // A valid edit applies.
    h.key_press(egui::Key::Backspace);
    h.run_steps(3);
    assert!(h.query_by_label_contains("Not applied: ").is_none());
    assert_eq!(
        h.state().document().to_text(),
        statewright::ui::EXAMPLES[0].1
    );
    // Edits on the canvas show in the code.
    h.state_mut().push(Command::Edit(edit::Op::Rename {
        from: "Notify".into(),
        to: "Tell".into(),
    }));
    h.run_steps(3);
    let code = h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL JSON");
    assert!(code.value().unwrap_or_default().contains("\"Tell\""));
}

#[test]
fn save_is_atomic_and_clears_the_star() {
    let mut h = example();
    let dir = std::env::temp_dir().join(format!("statewright-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hello.asl.json");
    h.state_mut().push(Command::Edit(edit::Op::Delete {
        name: "Notify".into(),
    }));
    h.run_steps(2);
    assert!(h.state().is_dirty());
    assert!(h.state_mut().save_to(&path));
    assert!(!h.state().is_dirty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\"Notify\": {"));
    assert!(h.state().title().starts_with("hello.asl.json"));
}

#[test]
fn seed_workflows_open_and_every_state_has_a_node() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let files = common::asl_files(&dir.join("seed-workflows"));
    assert!(!files.is_empty());
    for path in files {
        let app = App::open_path(&path).unwrap();
        let mut h = harness(app);
        h.run_steps(2);
        let names: Vec<String> = h
            .state()
            .machine()
            .all_state_names()
            .into_iter()
            .map(String::from)
            .collect();
        assert!(!names.is_empty(), "{}", path.display());
        for n in &names {
            assert!(
                !h.query_all_by_label(n).collect::<Vec<_>>().is_empty(),
                "{}: no node for {n}",
                path.display()
            );
        }
    }
}

#[test]
fn export_svg_beside_the_file() {
    let dir = std::env::temp_dir().join(format!("statewright-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hello.asl.json");
    std::fs::write(&path, statewright::ui::EXAMPLES[0].1).unwrap();
    let mut h = harness(App::open_path(&path).unwrap());
    h.state_mut().push(Command::Export { png: false });
    h.run_steps(2);
    let svg = std::fs::read_to_string(dir.join("hello.svg")).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("Validate Order"),
        "status: {:?}",
        h.state().status()
    );
}
