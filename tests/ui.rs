//! Designer flows driven like a person would, through the accessibility tree (egui_kittest): widgets are
//! found by the label a person reads; canvas nodes by the state's name.

mod common;
#[path = "../benches/support/generate.rs"]
mod generate;

use egui::{Pos2, Vec2};
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use statewright::edit::{self, Scope};
use statewright::ui::{App, DropTarget, app::Command, files};

fn setup() {
    let dir = std::env::temp_dir().join(format!("statewright-ui-tests-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
}

fn harness(app: App) -> Harness<'static, App> {
    harness_sized(app, Vec2::new(1400.0, 900.0))
}

fn harness_sized(app: App, size: Vec2) -> Harness<'static, App> {
    setup();
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until the app's background work (a run, a save, a file read) is done; fails after 30 s.
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

/// The small order flow the editing tests use.
fn hello_text() -> &'static str {
    statewright::ui::example_text("hello.asl.json").expect("bundled hello example")
}

/// The hello example in a window tall enough to show all of it at a readable zoom (the editing tests
/// drag onto every part of the diagram).
fn example() -> Harness<'static, App> {
    harness_sized(
        App::from_text(hello_text(), None),
        Vec2::new(1400.0, 1100.0),
    )
}

/// Presses at `from`, moves in steps to `to`, releases there (keeping the pointer on screen).
fn drag(h: &mut Harness<'static, App>, from: Pos2, to: Pos2) {
    press_and_move(h, from, to);
    release(h, to);
}

/// Presses at `from` and moves in steps to `to`, still holding the button.
fn press_and_move(h: &mut Harness<'static, App>, from: Pos2, to: Pos2) {
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    for i in 1..=6 {
        h.hover_at(from + (to - from) * (i as f32 / 6.0));
        h.run_steps(1);
    }
}

/// Releases the primary button at `to`.
fn release(h: &mut Harness<'static, App>, to: Pos2) {
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
    press_and_move(&mut h, from, p);
    assert!(
        matches!(h.state().drop_preview(), Some(DropTarget::Lane { scope, .. }) if *scope == Scope::root().child("Fulfil", 0)),
        "highlighted: {:?}",
        h.state().drop_preview()
    );
    release(&mut h, p);
    let m = h.state().machine();
    assert_eq!(
        edit::find_scope(m, "Pass 1"),
        Some(Scope::root().child("Fulfil", 0)),
        "status: {:?}",
        h.state().status()
    );
}

/// The edge `from -> to` of the layout (graph units).
fn edge(h: &Harness<'static, App>, from: &str, to: &str) -> statewright::layout::EdgeLayout {
    h.state()
        .layout()
        .edges
        .iter()
        .find(|e| {
            e.from.last().map(String::as_str) == Some(from)
                && e.to.last().map(String::as_str) == Some(to)
        })
        .cloned()
        .unwrap_or_else(|| panic!("edge {from} -> {to}"))
}

#[test]
fn drag_near_an_edge_at_low_zoom_inserts_into_it() {
    let mut h = example();
    // Zoomed out, an edge is a thin target: the hit zone is in screen points, not graph units.
    h.state_mut().push(Command::SetZoom(0.5));
    h.run_steps(3);
    let e = edge(&h, "Notify", "Done");
    let (a, b) = (e.points[0], e.points[1]);
    let (a, b) = (
        h.state().screen_pos(Pos2::new(a.x, a.y)),
        h.state().screen_pos(Pos2::new(b.x, b.y)),
    );
    let dir = (b - a).normalized();
    // 11 screen points beside the middle of the edge (22 graph units at this zoom).
    let near = a + (b - a) * 0.5 + Vec2::new(-dir.y, dir.x) * 11.0;
    let from = palette_entry(&h, "Wait");
    press_and_move(&mut h, from, near);
    // While dragging, that edge is the highlighted target.
    let index = h
        .state()
        .layout()
        .edges
        .iter()
        .position(|x| *x == e)
        .unwrap();
    match h.state().drop_preview() {
        Some(DropTarget::Edge { edge, .. }) => assert_eq!(*edge, index),
        other => panic!("highlighted: {other:?}"),
    }
    release(&mut h, near);
    assert!(h.state().drop_preview().is_none());
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
fn a_drop_on_a_state_in_free_space_lands_beside_it() {
    let mut h = example();
    let on = h.state().node_screen_rect("Notify").unwrap().center();
    let from = palette_entry(&h, "Task");
    press_and_move(&mut h, from, on);
    // The preview outlines where the new state will land.
    let preview = match h.state().drop_preview() {
        Some(DropTarget::Free { at }) => *at,
        other => panic!("highlighted: {other:?}"),
    };
    release(&mut h, on);
    h.run_steps(2);
    assert!(
        h.state().machine().state("Task 1").is_some(),
        "status: {:?}",
        h.state().status()
    );
    // A top-level state, not inserted into an edge.
    assert_eq!(
        edit::find_scope(h.state().machine(), "Task 1"),
        Some(Scope::root())
    );
    let nodes = &h.state().layout().nodes;
    let new = nodes.iter().find(|n| n.name == "Task 1").unwrap().rect;
    assert_eq!((new.min.x, new.min.y), (preview.x, preview.y));
    for n in nodes.iter().filter(|n| n.name != "Task 1") {
        assert!(
            !n.rect.intersects(&new),
            "Task 1 {new:?} overlaps {} {:?}",
            n.name,
            n.rect
        );
    }
    // Still near where it was dropped: beside Notify, not far away.
    let notify = nodes.iter().find(|n| n.name == "Notify").unwrap().rect;
    let (c, d) = (new.center(), notify.center());
    let dist = ((c.x - d.x).powi(2) + (c.y - d.y).powi(2)).sqrt();
    assert!(
        dist < 2.0 * statewright::layout::NODE_W,
        "moved {dist} away"
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
    // The new state was scrolled into view.
    let canvas = h.state().canvas_screen_rect();
    assert!(canvas.contains_rect(h.state().node_screen_rect("Task 1").unwrap()));
    assert!(canvas.contains(to));
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
    assert_eq!(h.state().document().to_text(), hello_text());
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
    assert_eq!(h.state().document().to_text(), hello_text());
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
    assert_eq!(h.state().document().to_text(), hello_text());
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
    // A private file stays private after a save (it used to come back 0644).
    std::fs::write(&path, "{}").unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    h.state_mut().push(Command::Edit(edit::Op::Delete {
        name: "Notify".into(),
    }));
    h.run_steps(2);
    assert!(h.state().is_dirty());
    h.state_mut().save_to(&path);
    h.step();
    settle(&mut h);
    assert!(!h.state().is_dirty());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\"Notify\": {"));
    #[cfg(unix)]
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions())
            & 0o777,
        0o600
    );
    assert!(h.state().title().starts_with("hello.asl.json"));
}

#[test]
fn seed_workflows_open_and_every_state_has_a_node() {
    for path in common::SEED_NAMES.map(common::bundled_seed) {
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
    std::fs::write(&path, hello_text()).unwrap();
    let mut h = harness(App::open_path(&path).unwrap());
    h.state_mut().push(Command::Export { png: false });
    h.step();
    settle(&mut h);
    let svg = std::fs::read_to_string(dir.join("hello.svg")).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("Validate Order"),
        "status: {:?}",
        h.state().status()
    );
}

#[test]
fn clicking_a_diagnostic_selects_and_frames_its_state() {
    // The seed workflow with a dangling Next in the last state of the fourth branch of "T2 Parallel",
    // at the bottom of the diagram: below what zoom-to-fit shows at a readable size.
    let seed = statewright::ui::example_text("medallion-glue-crawlers.asl.json").unwrap();
    let mut v: serde_json::Value = serde_json::from_str(seed).unwrap();
    let st = &mut v["States"]["T2 Parallel"]["Branches"][3]["States"]["T2 Mart4 StartCrawler"];
    st.as_object_mut().unwrap().remove("End");
    st["Next"] = "Publish Report".into();
    let text = serde_json::to_string_pretty(&v).unwrap();
    let mut h = harness(App::from_text(&text, None));
    let canvas = h.state().canvas_screen_rect();
    let before = h.state().node_screen_rect("T2 Mart4 StartCrawler").unwrap();
    assert!(
        !canvas.contains_rect(before),
        "the state should start out of view: {before:?} in {canvas:?}"
    );
    // The dangling Next, and the branch that no longer ends.
    assert!(h.query_by_label("2 errors").is_some());
    let row = h.get_by_label_contains("goes to \"Publish Report\"");
    let label = row.accesskit_node().label().unwrap_or_default();
    assert!(
        label.starts_with("error target-missing: ") && label.contains("(line "),
        "{label}"
    );
    row.click();
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some("T2 Mart4 StartCrawler"));
    let canvas = h.state().canvas_screen_rect();
    let after = h.state().node_screen_rect("T2 Mart4 StartCrawler").unwrap();
    assert!(
        canvas.contains_rect(after),
        "framed: {after:?} in {canvas:?}"
    );
    // Centred, give or take the margin kept around the diagram's edges.
    assert!((after.center() - canvas.center()).length() < 200.0);
    // Fixing the document clears the panel.
    h.state_mut().push(Command::Edit(edit::Op::Delete {
        name: "T2 Mart4 StartCrawler".into(),
    }));
    h.run_steps(3);
    assert!(h.query_by_label_contains("Publish Report").is_none());
}

#[test]
fn zoom_to_fit_keeps_node_text_readable() {
    let mut h = harness(App::example());
    let zoom = h
        .state()
        .node_screen_rect("T1 Silver Start Job")
        .unwrap()
        .width()
        / statewright::layout::NODE_W;
    assert!(
        zoom * 14.0 >= 9.9,
        "node names are {:.1} px after zoom-to-fit",
        zoom * 14.0
    );
    // The top of the diagram is in view.
    let canvas = h.state().canvas_screen_rect();
    assert!(canvas.contains_rect(h.state().node_screen_rect("T0 : Parallel").unwrap()));
    h.run_steps(1);
}

#[test]
fn every_bundled_example_opens_from_the_menu() {
    let mut h = example();
    for (i, (name, _)) in statewright::ui::EXAMPLES.iter().enumerate() {
        h.get_by_label("File").click();
        h.run_steps(2);
        h.get_by_label("Open Example").hover();
        h.run_steps(2);
        h.get_by_label(name).click();
        h.run_steps(3);
        let expected = statewright::asl::Document::parse_json(statewright::ui::EXAMPLES[i].1)
            .unwrap()
            .machine;
        assert_eq!(h.state().machine(), &expected, "{name}");
        assert!(!h.state().machine().states().is_empty(), "{name}");
    }
}

// ---- Run > Simulate and the player ----------------------------------------------------------------------

fn medallion() -> Harness<'static, App> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/medallion-glue-crawlers.asl.json");
    harness(App::open_path(&path).unwrap())
}

/// Run > Simulate... through the menu bar.
fn open_simulate(h: &mut Harness<'static, App>) {
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
}

/// The setup window's "Run" button (the menu bar has a "Run" menu too: take the one below it).
fn click_run(h: &mut Harness<'static, App>) {
    let menu_y = h.get_by_label("Simulate").rect().top();
    let run = h
        .get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .expect("the setup window's Run button");
    run.click();
    h.run_steps(2);
    settle(h);
}

fn cursor_index(h: &Harness<'static, App>) -> Option<usize> {
    h.state().run_player().unwrap().cursor.index()
}

#[test]
fn simulate_step_through_the_medallion_workflow() {
    let mut h = medallion();
    let before = h.state().document().to_text();
    open_simulate(&mut h);
    // The mock file next to the examples is found, and its test case offered.
    let mock = h.get_by_role_and_label(egui::Role::TextInput, "Mock file");
    assert!(
        mock.value()
            .unwrap_or_default()
            .ends_with("medallion-glue-crawlers.mocks.json"),
        "{:?}",
        mock.value()
    );
    assert_eq!(
        h.get_by_role_and_label(egui::Role::ComboBox, "Test case")
            .value()
            .as_deref(),
        Some("HappyPath")
    );
    click_run(&mut h);
    assert!(h.query_by_label("Status: SUCCEEDED").is_some());
    assert_eq!(cursor_index(&h), Some(0));
    assert!(
        h.query_by_label("Event 1 of 166: ExecutionStarted")
            .is_some()
    );
    // ExecutionStarted, ParallelStateEntered, ParallelStateStarted, TaskStateEntered.
    for _ in 0..3 {
        h.get_by_label("Step forward").click();
        h.run_steps(2);
    }
    assert!(h.query_by_label("State: T0 Dimension Start Job").is_some());
    assert!(
        h.query_by_label("Event 4 of 166: TaskStateEntered")
            .is_some()
    );
    // The canvas shows both the Parallel and the state inside its first branch as current.
    let hl = h.state().run_highlight().unwrap();
    let parallel = vec!["T0 : Parallel".to_owned()];
    let inner = vec![
        "T0 : Parallel".to_owned(),
        "T0 Dimension Start Job".to_owned(),
    ];
    assert!(
        hl.current.contains(&parallel) && hl.current.contains(&inner),
        "{hl:?}"
    );
    assert!(hl.visited.contains(&inner));
    assert!(h.state().layout().nodes.iter().any(|n| n.path == inner));
    h.get_by_label("Step back").click();
    h.run_steps(2);
    assert!(h.query_by_label("State: T0 : Parallel").is_some());
    assert!(
        h.query_by_label("Event 3 of 166: ParallelStateStarted")
            .is_some()
    );
    h.get_by_label("Last event").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("Event 166 of 166: ExecutionSucceeded")
            .is_some()
    );
    let hl = h.state().run_highlight().unwrap();
    assert!(hl.current.is_empty(), "{hl:?}");
    // Taken transitions include the crawler loop (Choice → Wait → GetCrawler).
    let p = |s: &str| vec!["T0 : Parallel".to_owned(), s.to_owned()];
    assert!(
        hl.edges
            .contains(&(p("Wait T0 Dimension"), p("T0 Dimension GetCrawler")))
    );
    assert!(
        !hl.edges
            .contains(&(p("T0 Dimension Choice"), p("T0 Dimension Start Job")))
    );
    h.get_by_label("First event").click();
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(0));
    // Stepping never edits the document.
    assert_eq!(h.state().document().to_text(), before);
    assert!(!h.state().is_dirty());
}

#[test]
fn a_choice_decision_is_explained_in_words() {
    let mut h = medallion();
    open_simulate(&mut h);
    click_run(&mut h);
    // "Next state" until the first Choice state is entered, then one event on to its decision.
    for _ in 0..20 {
        if h.query_by_label("State: T0 Dimension Choice").is_some() {
            break;
        }
        h.get_by_label("Next state").click();
        h.run_steps(2);
    }
    assert!(
        h.query_by_label("Event 20 of 166: ChoiceStateEntered")
            .is_some()
    );
    h.get_by_label("Step forward").click();
    h.run_steps(2);
    assert!(
        h.query_by_label("$.Crawler.State = \"RUNNING\", so StringEquals \"RUNNING\" is true")
            .is_some()
    );
    assert!(
        h.query_by_label("Rule 1 of Choices matched, so next: Wait T0 Dimension")
            .is_some()
    );
    // The canvas already shows the transition the decision takes.
    let p = |s: &str| vec!["T0 : Parallel".to_owned(), s.to_owned()];
    let hl = h.state().run_highlight().unwrap();
    assert!(
        hl.edges
            .contains(&(p("T0 Dimension Choice"), p("Wait T0 Dimension")))
    );
    assert!(
        !hl.edges
            .contains(&(p("T0 Dimension Choice"), p("Success T0 Dimension")))
    );
    assert!(hl.current.contains(&p("T0 Dimension Choice")));
    // The third time round the crawler is READY: Default is taken. Find that decision in the trace.
    let (entered, exited) = {
        let trace = &h.state().run_player().unwrap().trace;
        let at = |ty: &str| {
            trace
                .events
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.event_type == ty && e.path.state_name() == Some("T0 Dimension Choice")
                })
                .map(|(i, e)| (i, e.id))
                .nth(2)
                .expect("a third T0 Dimension Choice decision")
        };
        (at("ChoiceStateEntered"), at("ChoiceStateExited"))
    };
    h.state_mut()
        .push(Command::Run(statewright::ui::player::RunCommand::Seek(
            Some(exited.0),
        )));
    h.run_steps(3);
    assert!(
        h.query_by_label("$.Crawler.State = \"READY\", so StringEquals \"RUNNING\" is false")
            .is_some()
    );
    assert!(
        h.query_by_label("No rule matched, so Default: Success T0 Dimension")
            .is_some()
    );
    // Clicking a row of the event list seeks to it.
    h.get_by_label(&format!(
        "{:>3}  ChoiceStateEntered  T0 Dimension Choice",
        entered.1
    ))
    .click();
    h.run_steps(3);
    assert_eq!(cursor_index(&h), Some(entered.0));
}

#[test]
fn a_failing_test_case_shows_the_error() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/fiap-extract-transform-load.asl.json");
    let mut h = harness(App::open_path(&path).unwrap());
    open_simulate(&mut h);
    h.get_by_role_and_label(egui::Role::ComboBox, "Test case")
        .click();
    h.run_steps(2);
    h.get_by_label("TransformJobFails").click();
    h.run_steps(2);
    click_run(&mut h);
    let trace = &h.state().run_player().unwrap().trace;
    assert_eq!(trace.status.name(), "FAILED");
    assert!(h.query_by_label_contains("Status: FAILED").is_some());
    h.get_by_label("Last event").click();
    h.run_steps(2);
    assert!(h.query_by_label_contains(": ExecutionFailed").is_some());
}

#[test]
fn bad_input_or_mock_file_shows_an_error_and_leaves_the_document() {
    let mut h = medallion();
    let before = h.state().document().to_text();
    open_simulate(&mut h);
    let input = h.get_by_role_and_label(egui::Role::MultilineTextInput, "Execution input");
    input.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "Execution input")
        .type_text(",");
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Not JSON: line 1, column 3")
            .is_some()
    );
    click_run(&mut h);
    assert!(h.state().run_player().is_none());
    let err = h.state().run_error().unwrap_or_default().to_owned();
    assert!(
        err.starts_with("Execution input: line 1, column 3"),
        "{err}"
    );
    assert!(h.query_by_label(&err).is_some());
    // A mock file that does not exist.
    h.state_mut()
        .set_run_setup("{}", "/nonexistent/x.mocks.json", None);
    h.run_steps(2);
    click_run(&mut h);
    assert!(h.state().run_player().is_none());
    assert!(
        h.state()
            .run_error()
            .unwrap_or_default()
            .starts_with("Mock file: cannot read /nonexistent/x.mocks.json")
    );
    // A mock file that is not a MockConfigFile.
    let bad =
        std::env::temp_dir().join(format!("statewright-bad-{}.mocks.json", std::process::id()));
    std::fs::write(&bad, r#"{"MockedResponses": {}}"#).unwrap();
    h.state_mut()
        .set_run_setup("{}", &bad.display().to_string(), None);
    h.run_steps(2);
    settle(&mut h);
    assert!(
        h.query_by_label_contains("\"StateMachines\" is missing")
            .is_some()
    );
    click_run(&mut h);
    assert!(h.state().run_player().is_none());
    assert_eq!(h.state().document().to_text(), before);
    assert!(!h.state().is_dirty());
}

#[test]
fn editing_during_a_run_marks_the_trace_stale_and_run_again_refreshes_it() {
    let mut h = medallion();
    open_simulate(&mut h);
    click_run(&mut h);
    assert!(!h.state().run_is_stale());
    h.state_mut().push(Command::Edit(edit::Op::Rename {
        from: "T0 Dimension Start Job".into(),
        to: "T0 Dimension Job".into(),
    }));
    h.run_steps(3);
    assert!(h.state().run_is_stale());
    assert!(
        h.query_by_label_contains("The workflow changed since this run")
            .is_some()
    );
    // The old trace still steps without trouble.
    for _ in 0..5 {
        h.get_by_label("Step forward").click();
        h.run_steps(1);
    }
    h.get_by_label("Last event").click();
    h.run_steps(2);
    // Run again (from the Run menu) uses the edited workflow.
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_all_by_label("Run again")
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap()
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().run_is_stale());
    assert!(
        h.query_by_label_contains("The workflow changed since this run")
            .is_none()
    );
    let trace = &h.state().run_player().unwrap().trace;
    assert!(
        trace
            .events
            .iter()
            .any(|e| e.path.state_name() == Some("T0 Dimension Job"))
    );
    // Stop simulation leaves player mode.
    h.get_by_label("Stop simulation").click();
    h.run_steps(3);
    assert!(h.state().run_player().is_none());
    assert!(h.state().run_highlight().is_none());
    assert!(h.query_by_label("Step forward").is_none());
}

#[test]
fn play_advances_and_pause_stops() {
    let mut h = medallion();
    open_simulate(&mut h);
    click_run(&mut h);
    h.get_by_label("Play").click();
    h.run_steps(2);
    assert!(h.state().run_player().unwrap().is_playing());
    // kittest advances 0.25 s per step; the player moves one event every 0.5 s.
    h.run_steps(10);
    let moved = cursor_index(&h).unwrap();
    assert!(moved >= 3, "{moved}");
    h.get_by_label("Pause").click();
    h.run_steps(2);
    let paused = cursor_index(&h);
    h.run_steps(8);
    assert_eq!(cursor_index(&h), paused);
    assert!(h.query_by_label("Play").is_some());
}

#[test]
fn ctrl_r_opens_the_run_setup() {
    let mut h = medallion();
    assert!(h.query_by_label("Execution input").is_none());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::R);
    h.run_steps(3);
    assert!(h.query_by_label("Execution input").is_some());
}

#[test]
fn the_canvas_follows_the_run() {
    let mut h = medallion();
    open_simulate(&mut h);
    click_run(&mut h);
    let name = "T2 Mart4 StartCrawler";
    // At the start of the run the bottom of the diagram is out of view.
    let canvas = h.state().canvas_screen_rect();
    assert!(!canvas.contains_rect(h.state().node_screen_rect(name).unwrap()));
    let at = h
        .state()
        .run_player()
        .unwrap()
        .trace
        .events
        .iter()
        .position(|e| e.event_type == "TaskStateEntered" && e.path.state_name() == Some(name))
        .expect("the run enters the last crawler of T2");
    h.state_mut()
        .push(Command::Run(statewright::ui::player::RunCommand::Seek(
            Some(at),
        )));
    h.run_steps(3);
    let canvas = h.state().canvas_screen_rect();
    assert!(
        canvas.contains_rect(h.state().node_screen_rect(name).unwrap()),
        "{name} should have been scrolled into view"
    );
}

#[test]
fn a_bundled_example_finds_its_bundled_mock_file() {
    // No file given: the designer opens the first bundled example, which has no path of its own.
    let mut h = harness(App::example());
    assert!(h.state().path().is_none());
    open_simulate(&mut h);
    // The embedded copy, not a file of the build tree.
    let mock = h.get_by_role_and_label(egui::Role::TextInput, "Mock file");
    assert_eq!(
        mock.value().as_deref(),
        Some(
            format!(
                "{}medallion-glue-crawlers.mocks.json",
                statewright::ui::player::BUNDLED_PREFIX
            )
            .as_str()
        )
    );
    click_run(&mut h);
    assert!(h.query_by_label("Status: SUCCEEDED").is_some());
    let ran_with = &h.state().run_player().unwrap().ran_with;
    assert!(
        ran_with.contains("medallion-glue-crawlers.mocks.json (bundled)"),
        "ran with {ran_with}"
    );
}

#[test]
fn keyboard_zoom_in_and_out() {
    let mut h = example();
    let width = |h: &Harness<'static, App>| h.state().node_screen_rect("Notify").unwrap().width();
    let before = width(&h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Equals);
    h.run_steps(3);
    let zoomed_in = width(&h);
    assert!(
        (zoomed_in / before - 1.25).abs() < 0.02,
        "{before} -> {zoomed_in}"
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Minus);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Minus);
    h.run_steps(3);
    let zoomed_out = width(&h);
    assert!(
        (zoomed_out / zoomed_in - 0.64).abs() < 0.02,
        "{zoomed_in} -> {zoomed_out}"
    );
    // The whole window kept its scale: only the canvas zoomed.
    assert_eq!(h.ctx.zoom_factor(), 1.0);
}

#[test]
fn save_as_by_typed_path_without_a_native_dialog() {
    let dir = std::env::temp_dir().join(format!("statewright-saveas-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("copy.asl.json");
    let _ = std::fs::remove_file(&target);
    let mut h = harness(App::from_text(hello_text(), None));
    h.state_mut().push(Command::Edit(edit::Op::Rename {
        from: "Notify".into(),
        to: "Tell Customer".into(),
    }));
    h.run_steps(2);
    assert!(h.state().title().starts_with('*'));
    // Ctrl+S on an untitled document asks where to save.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    // The bar is prefilled with a file name: select it all and type over it.
    h.get_by_label("Save as:").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Save as:")
        .type_text(&target.display().to_string());
    h.run_steps(2);
    h.get_by_label("Save to path").click();
    h.run_steps(2);
    settle(&mut h);
    let saved = std::fs::read_to_string(&target).unwrap();
    assert!(saved.contains("Tell Customer"));
    assert_eq!(h.state().path(), Some(target.as_path()));
    assert!(!h.state().title().starts_with('*'));
    // Save As onto another existing file needs the explicit "Overwrite".
    let other = dir.join("other.asl.json");
    std::fs::write(&other, "{}").unwrap();
    h.state_mut().push(Command::SaveAs(None));
    h.run_steps(3);
    h.get_by_label("Save as:").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Save as:")
        .type_text(&other.display().to_string());
    h.run_steps(2);
    assert!(h.query_by_label("Save to path").is_none());
    assert!(
        h.query_by_label_contains("exists: Overwrite replaces it")
            .is_some()
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "{}");
    h.get_by_label("Overwrite").click();
    h.run_steps(2);
    settle(&mut h);
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("Tell Customer")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Clicks a canvas state where it is on screen (its accessible node's rectangle is in graph units).
fn click_state(h: &mut Harness<'static, App>, name: &str, modifiers: egui::Modifiers) {
    let pos = h.state().node_screen_rect(name).unwrap().center();
    h.hover_at(pos);
    h.run_steps(1);
    h.event(egui::Event::ModifiersChanged(modifiers));
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run_steps(2);
}

/// Like [`drag`], with `modifiers` held from before the press until after the release.
fn drag_with(h: &mut Harness<'static, App>, from: Pos2, to: Pos2, modifiers: egui::Modifiers) {
    h.event(egui::Event::ModifiersChanged(modifiers));
    h.run_steps(1);
    h.hover_at(from);
    h.run_steps(1);
    h.event(egui::Event::PointerButton {
        pos: from,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    h.run_steps(1);
    for i in 1..=6 {
        h.hover_at(from + (to - from) * (i as f32 / 6.0));
        h.run_steps(1);
    }
    h.event(egui::Event::PointerButton {
        pos: to,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.run_steps(1);
    h.event(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
    h.run_steps(3);
}

#[test]
fn add_a_catcher_by_dragging_the_catch_handle() {
    let mut h = example();
    let before = h.state().document().to_text();
    // Only states that may catch errors (Task, Parallel, Map) have the handle.
    click_state(&mut h, "Wait For Courier", egui::Modifiers::NONE);
    assert!(h.query_by_label("Connect from Wait For Courier").is_some());
    assert!(
        h.query_by_label("Add catcher from Wait For Courier")
            .is_none()
    );
    click_state(&mut h, "Notify", egui::Modifiers::NONE);
    assert_eq!(h.state().selection(), Some("Notify"));
    assert!(h.query_by_label("Add catcher from Notify").is_some());
    let from = h.state().node_screen_rect("Notify").unwrap().right_center();
    let to = h.state().node_screen_rect("Order Failed").unwrap().center();
    drag(&mut h, from, to);
    let notify = h.state().machine().state("Notify").unwrap().clone();
    let catch = notify.catch.as_ref().expect("a Catch array");
    assert_eq!(catch.len(), 1, "status: {:?}", h.state().status());
    let catcher = statewright::json::compact_text(&edit::copy_states(
        h.state().machine(),
        &["Notify".to_owned()],
    ));
    assert!(
        catcher.contains(r#""Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Order Failed"}]"#),
        "{catcher}"
    );
    // The rest of Notify is unchanged: its Next stays.
    assert_eq!(notify.next.as_deref(), Some("Done"));
    // One undo restores the document byte for byte.
    h.state_mut().push(Command::Undo);
    h.run_steps(2);
    assert_eq!(h.state().document().to_text(), before);
}

#[test]
fn shift_click_two_states_then_delete_and_one_undo() {
    let mut h = example();
    let before = h.state().document().to_text();
    click_state(&mut h, "Wait For Courier", egui::Modifiers::NONE);
    click_state(&mut h, "Notify", egui::Modifiers::SHIFT);
    assert_eq!(
        h.state().selected(),
        vec!["Wait For Courier".to_owned(), "Notify".to_owned()]
    );
    assert!(h.query_by_label("2 states selected").is_some());
    // Shift-click again takes a state out of the selection; once more puts it back.
    click_state(&mut h, "Notify", egui::Modifiers::SHIFT);
    assert_eq!(h.state().selected(), vec!["Wait For Courier".to_owned()]);
    click_state(&mut h, "Notify", egui::Modifiers::SHIFT);
    assert_eq!(h.state().selected().len(), 2);
    h.key_press(egui::Key::Delete);
    h.run_steps(3);
    let m = h.state().machine();
    assert!(m.state("Wait For Courier").is_none() && m.state("Notify").is_none());
    assert!(m.state("Fulfil").is_some());
    h.state_mut().push(Command::Undo);
    h.run_steps(2);
    assert_eq!(h.state().document().to_text(), before);
    // Escape clears a selection.
    click_state(&mut h, "Notify", egui::Modifiers::NONE);
    assert_eq!(h.state().selected().len(), 1);
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().selected().is_empty());
}

#[test]
fn a_rubber_band_selects_the_states_it_touches() {
    let mut h = example();
    let a = h.state().node_screen_rect("Wait For Courier").unwrap();
    let b = h.state().node_screen_rect("Notify").unwrap();
    let scene_before = h.state().node_screen_rect("Done").unwrap();
    let from = Pos2::new(a.left().min(b.left()) - 30.0, a.top() + 10.0);
    let to = Pos2::new(a.right().max(b.right()) + 30.0, b.bottom() - 10.0);
    drag_with(&mut h, from, to, egui::Modifiers::SHIFT);
    let mut sel = h.state().selected();
    sel.sort();
    assert_eq!(
        sel,
        vec!["Notify".to_owned(), "Wait For Courier".to_owned()]
    );
    // Shift-drag did not pan the canvas (the inspector may resize the view by a few points).
    let moved = h.state().node_screen_rect("Done").unwrap().min - scene_before.min;
    assert!(moved.length() < 12.0, "{moved:?}, drag {:?}", to - from);
    // Dragging one of them moves both (a pin for each).
    let a0 = h.state().node_screen_rect("Wait For Courier").unwrap();
    let b0 = h.state().node_screen_rect("Notify").unwrap();
    drag(&mut h, b0.center(), b0.center() + Vec2::new(60.0, 0.0));
    let a1 = h.state().node_screen_rect("Wait For Courier").unwrap();
    let b1 = h.state().node_screen_rect("Notify").unwrap();
    assert!(
        (a1.left() - a0.left() - 60.0).abs() < 2.0,
        "{a0:?} -> {a1:?}"
    );
    assert!(
        (b1.left() - b0.left() - 60.0).abs() < 2.0,
        "{b0:?} -> {b1:?}"
    );
    assert_eq!(h.state().selected().len(), 2);
}

#[test]
fn path_fields_are_checked_as_you_type() {
    let mut h = example();
    h.get_by_label("Notify").click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some("Notify"));
    h.get_by_label("InputPath").focus();
    h.run_steps(1);
    h.get_by_label("InputPath").type_text("$.order[");
    h.run_steps(3);
    // Under the field, and (the edit applies) in the diagnostics panel.
    let n = |h: &Harness<'static, App>, text: &str| h.query_all_by_label_contains(text).count();
    assert_eq!(n(&h, "\"InputPath\": \"$.order[\" is not a valid path"), 2);
    h.get_by_label("InputPath").type_text("0]");
    h.run_steps(3);
    assert_eq!(n(&h, "is not a valid path"), 0);
    // A ResultPath must be a single node.
    h.get_by_label("ResultPath").focus();
    h.run_steps(1);
    h.get_by_label("ResultPath").type_text("$..x");
    h.run_steps(3);
    assert_eq!(n(&h, "\"ResultPath\" must be a reference path"), 2);
    h.key_press(egui::Key::Tab);
    h.run_steps(2);
    let notify = |h: &Harness<'static, App>, key: &str| {
        h.state()
            .machine()
            .state("Notify")
            .unwrap()
            .field_json(key)
            .map(|v| statewright::json::compact_text(&v))
    };
    assert_eq!(notify(&h, "InputPath").as_deref(), Some("\"$.order[0]\""));
    // `null` is JSON null (discard the result), not the string "null".
    h.get_by_label("ResultPath").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("ResultPath").type_text("null");
    h.run_steps(3);
    assert_eq!(notify(&h, "ResultPath").as_deref(), Some("null"));
    assert!(
        h.query_by_label_contains("must be a reference path")
            .is_none()
    );
}

#[test]
fn play_speed_is_chosen_in_the_player() {
    let mut h = medallion();
    open_simulate(&mut h);
    click_run(&mut h);
    let moved_at = |h: &mut Harness<'static, App>, speed: &str| {
        h.get_by_label("Speed").click();
        h.run_steps(2);
        h.get_by_label(speed).click();
        h.run_steps(2);
        h.state_mut()
            .push(Command::Run(statewright::ui::player::RunCommand::First));
        h.run_steps(1);
        h.get_by_label("Play").click();
        h.run_steps(1);
        // kittest advances 0.25 s per step: 12 steps are 3 s.
        h.run_steps(12);
        let moved = cursor_index(h).unwrap();
        h.get_by_label("Pause").click();
        h.run_steps(2);
        moved
    };
    let slow = moved_at(&mut h, "1 s / event");
    let fast = moved_at(&mut h, "0.25 s / event");
    assert!(slow <= 4, "1 s per event moved {slow} events in 3 s");
    assert!(fast >= 9, "0.25 s per event moved {fast} events in 3 s");
}

#[test]
fn clicking_a_diagnostic_in_the_code_view_puts_the_cursor_on_its_line() {
    let seed = statewright::ui::example_text("hello.asl.json").unwrap();
    let text = seed.replacen("\"Next\": \"Done\"", "\"Next\": \"Nowhere\"", 1);
    assert_ne!(text, seed);
    let mut h = harness(App::from_text(&text, None));
    h.state_mut().push(Command::ToggleCode);
    h.run_steps(3);
    let row = h.get_by_label_contains("goes to \"Nowhere\"");
    let label = row.accesskit_node().label().unwrap_or_default();
    row.click();
    h.run_steps(3);
    // The code view's text box has the focus, its cursor on the line the diagnostic names.
    let id = h
        .ctx
        .memory(|m| m.focused())
        .expect("the code view is focused");
    let state = egui::text_edit::TextEditState::load(&h.ctx, id).expect("text edit state");
    let at = state.cursor.char_range().expect("a cursor").primary.index.0;
    let code = h.state().document().to_text();
    let line = code.chars().take(at).filter(|&c| c == '\n').count() + 1;
    let expected = code
        .lines()
        .position(|l| l.contains("\"Next\": \"Nowhere\""))
        .unwrap()
        + 1;
    assert_eq!(line, expected, "{label}");
    assert!(label.contains(&format!("(line {expected}")), "{label}");
}

/// The hello example opened from a file in a fresh folder (so that Save writes beside it).
fn example_on_disk(tag: &str) -> (Harness<'static, App>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("statewright-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hello.asl.json");
    std::fs::write(&path, hello_text()).unwrap();
    let app = App::open_path(&path).unwrap();
    (harness_sized(app, Vec2::new(1400.0, 1100.0)), path)
}

#[test]
fn a_moved_state_goes_back_with_ctrl_z_and_the_sidecar_waits_for_save() {
    let (mut h, path) = example_on_disk("move-undo");
    let sidecar = path.with_file_name("hello.layout.json");
    let before = h.state().node_screen_rect("Notify").unwrap();
    drag(
        &mut h,
        before.center(),
        before.center() + Vec2::new(80.0, 30.0),
    );
    let moved = h.state().node_screen_rect("Notify").unwrap();
    assert!(
        (moved.left() - before.left() - 80.0).abs() < 2.0,
        "{before:?} -> {moved:?}"
    );
    assert!(h.state().pins().contains_key("Notify"));
    assert!(h.state().is_dirty(), "a move is an unsaved change");
    assert!(!sidecar.exists(), "moving writes nothing by itself");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    let back = h.state().node_screen_rect("Notify").unwrap();
    assert!(
        (back.min - before.min).length() < 1.0,
        "{before:?} -> {back:?}"
    );
    assert!(h.state().pins().is_empty());
    assert!(!h.state().is_dirty());
    // Redo, then Save: the sidecar is written with the document.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert!(!sidecar.exists());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    settle(&mut h);
    let text = std::fs::read_to_string(&sidecar).unwrap();
    assert!(text.contains("\"Notify\""), "{text}");
    assert!(!h.state().is_dirty());
    // Auto-layout forgets the pin (undoably); saving then removes the sidecar.
    h.state_mut().push(Command::AutoLayout);
    h.run_steps(3);
    assert!(h.state().pins().is_empty());
    assert!(sidecar.exists());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    settle(&mut h);
    assert!(!sidecar.exists());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    assert!(h.state().pins().contains_key("Notify"));
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

#[test]
fn a_palette_drop_undone_leaves_no_pin() {
    let mut h = example();
    let b = h.state().layout().bounds;
    let free = h
        .state()
        .screen_pos(Pos2::new(b.min.x + 20.0, b.max.y - 10.0));
    let from = palette_entry(&h, "Task");
    drag(&mut h, from, free);
    assert!(h.state().machine().state("Task 1").is_some());
    assert!(h.state().pins().contains_key("Task 1"));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    assert!(h.state().machine().state("Task 1").is_none());
    assert!(h.state().pins().is_empty(), "{:?}", h.state().pins());
    assert_eq!(h.state().document().to_text(), hello_text());
    // One step: redo brings back both.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(3);
    assert!(h.state().machine().state("Task 1").is_some());
    assert!(h.state().pins().contains_key("Task 1"));
}

#[test]
fn keystrokes_in_a_field_are_one_undo_step_per_visit() {
    let mut h = example();
    h.get_by_label("Notify").click_accesskit();
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .focus();
    h.run_steps(1);
    for c in ["a", "b", "c"] {
        h.event(egui::Event::Text(c.into()));
        h.run_steps(1);
    }
    let comment = |h: &Harness<'static, App>| {
        h.state()
            .machine()
            .state("Notify")
            .unwrap()
            .comment
            .as_ref()
            .map(|c| c.to_string())
    };
    assert_eq!(comment(&h).as_deref(), Some("abc"));
    // Leave the field (for the Name field), come back, type again: a second step.
    h.get_by_role_and_label(egui::Role::TextInput, "Name")
        .focus();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .focus();
    h.run_steps(1);
    h.event(egui::Event::Text("d".into()));
    h.run_steps(2);
    assert_eq!(comment(&h).as_deref(), Some("abcd"));
    h.state_mut().push(Command::Undo);
    h.run_steps(2);
    assert_eq!(comment(&h).as_deref(), Some("abc"));
    h.state_mut().push(Command::Undo);
    h.run_steps(2);
    assert_eq!(h.state().document().to_text(), hello_text());
}

#[test]
fn a_big_machine_is_validated_and_laid_out_after_edits_pause_off_the_ui_thread() {
    let text = generate::workflow(1_000);
    let mut h = harness(App::from_text(&text, None));
    assert!(h.state().derived_is_current());
    assert!(h.state().layout().nodes.iter().any(|n| n.name == "Done"));
    h.state_mut().push(Command::Edit(edit::Op::Delete {
        name: "Done".into(),
    }));
    h.run_steps(2);
    // The edit is in the document at once; the diagram and the diagnostics are the last ones meanwhile.
    assert!(h.state().machine().state("Done").is_none());
    assert!(!h.state().derived_is_current());
    assert!(h.state().layout().nodes.iter().any(|n| n.name == "Done"));
    // Once edits pause, a worker thread validates and lays out the new version.
    for _ in 0..3_000 {
        if h.state().derived_is_current() {
            break;
        }
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(h.state().derived_is_current());
    assert!(!h.state().layout().nodes.iter().any(|n| n.name == "Done"));
    assert!(
        h.state_mut()
            .diagnostics()
            .iter()
            .any(|d| d.message.contains("Done")),
        "the dangling Next to Done is reported"
    );
    // The worker's copy follows edits, undo and redo exactly: its results are those of the document.
    let first = h.state().machine().all_state_names()[0].to_owned();
    h.state_mut().push(Command::Edit(edit::Op::Rename {
        from: first.clone(),
        to: "Renamed First".into(),
    }));
    h.state_mut().push(Command::Edit(edit::Op::Delete {
        name: "Failed".into(),
    }));
    h.state_mut().push(Command::Undo);
    h.state_mut().push(Command::Edit(edit::Op::AddState {
        scope: Scope::root(),
        template: edit::templates::new_state(statewright::asl::StateType::Pass),
        name: None,
    }));
    h.state_mut().push(Command::Undo);
    h.state_mut().push(Command::Redo);
    h.run_steps(1);
    for _ in 0..3_000 {
        if h.state().derived_is_current() {
            break;
        }
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert!(h.state().derived_is_current());
    let doc = h.state().document().clone();
    assert!(doc.machine.state("Renamed First").is_some());
    assert!(doc.machine.state("Failed").is_some());
    assert!(doc.machine.state("Pass 1").is_some());
    let shown: Vec<String> = h
        .state()
        .layout()
        .nodes
        .iter()
        .map(|n| n.name.clone())
        .collect();
    let fresh: Vec<String> = statewright::layout::layout(&doc.machine)
        .nodes
        .into_iter()
        .map(|n| n.name)
        .collect();
    assert_eq!(shown, fresh);
    let expected = statewright::validate::validate_document(&doc);
    assert_eq!(h.state_mut().diagnostics(), expected.as_slice());
}

/// The bundled YAML example, as a file in a fresh folder (tests write beside it).
fn yaml_copy(test: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("statewright-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/hello.asl.yaml"),
    )
    .unwrap();
    let path = dir.join("approval.asl.yaml");
    std::fs::write(&path, &text).unwrap();
    (path, text)
}

fn code_view_text(h: &Harness<'static, App>, label: &str) -> String {
    h.get_by_role_and_label(egui::Role::MultilineTextInput, label)
        .value()
        .unwrap_or_default()
}

#[test]
fn a_yaml_workflow_edited_in_the_inspector_saves_as_yaml() {
    let (path, original) = yaml_copy("yaml-inspector");
    let mut h = harness(App::open_path(&path).unwrap());
    h.get_by_label("Ask").click_accesskit();
    h.run_steps(3);
    assert_eq!(h.state().selection(), Some("Ask"));
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .focus();
    h.run_steps(1);
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .type_text("Asks a person: yes or no");
    h.run_steps(3);
    assert!(h.state().title().starts_with('*'));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    settle(&mut h);
    assert!(
        !h.state().title().starts_with('*'),
        "{:?}",
        h.state().status()
    );
    // Still YAML: the header comment and every other line as they were, one line added to the state.
    let saved = std::fs::read_to_string(&path).unwrap();
    let added = "    Comment: \"Asks a person: yes or no\"\n";
    assert!(saved.contains(added), "{saved}");
    assert_eq!(saved.replacen(added, "", 1), original);
    // Reopened: a YAML document with the edit.
    let mut h = harness(App::open_path(&path).unwrap());
    assert_eq!(
        h.state().document().format(),
        statewright::asl::SourceFormat::Yaml
    );
    assert_eq!(
        h.state().machine().state("Ask").unwrap().comment.as_deref(),
        Some("Asks a person: yes or no")
    );
    assert_eq!(h.state().document().to_text(), saved);
    // The code view shows the YAML text.
    h.get_by_label("Code").click();
    h.run_steps(3);
    assert_eq!(code_view_text(&h, "ASL YAML"), saved);
    assert!(h.query_by_label("ASL JSON").is_none());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn the_code_view_edits_yaml_and_save_as_converts() {
    let (path, original) = yaml_copy("yaml-code");
    let mut h = harness(App::open_path(&path).unwrap());
    h.get_by_label("Code").click();
    h.run_steps(3);
    assert_eq!(code_view_text(&h, "ASL YAML"), original);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL YAML")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    // Broken YAML is not applied, and the error has line:col.
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL YAML")
        .type_text("\n  Extra: [1,");
    h.run_steps(3);
    let broken = code_view_text(&h, "ASL YAML");
    let node = h.get_by_label_contains("Not applied: ");
    let error = format!(
        "{}{}",
        node.accesskit_node().label().unwrap_or_default(),
        node.value().unwrap_or_default()
    );
    // The flow list is left open at the end of the text: that is where the error is.
    let last_line = broken.lines().count();
    assert!(
        error.starts_with(&format!("Not applied: {last_line}:")) && error.contains("YAML"),
        "{error}\n{broken}"
    );
    assert!(!h.state().title().starts_with('*'));
    // Finished, it applies: a new state, and a typed comment the model does not hold.
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL YAML")
        .type_text(" 2]\n  # typed in the code view\n  Later: {Type: Pass, End: true}\n");
    h.run_steps(3);
    assert!(h.query_by_label_contains("Not applied: ").is_none());
    assert!(h.state().machine().state("Later").is_some());
    assert!(h.state().title().starts_with('*'));
    let typed = code_view_text(&h, "ASL YAML");
    assert!(
        typed.ends_with("  Later: {Type: Pass, End: true}\n"),
        "{typed}"
    );
    // Saving writes what was typed.
    h.state_mut().save_to(&path);
    h.step();
    settle(&mut h);
    assert!(
        h.state().status().is_some_and(|s| s.starts_with("Saved")),
        "{:?}",
        h.state().status()
    );
    assert!(!h.state().is_dirty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), typed);
    // Save As .json converts; the document continues as JSON.
    let json_path = path.with_file_name("approval.asl.json");
    h.state_mut().save_to(&json_path);
    h.step();
    settle(&mut h);
    assert!(
        h.state().status().is_some_and(|s| s.starts_with("Saved")),
        "{:?}",
        h.state().status()
    );
    assert!(!h.state().is_dirty());
    let json_text = std::fs::read_to_string(&json_path).unwrap();
    let as_json = statewright::asl::Document::parse_json(&json_text).unwrap();
    assert_eq!(as_json.to_json(), h.state().document().to_json());
    h.run_steps(3);
    assert_eq!(code_view_text(&h, "ASL JSON"), json_text);
    // And back to YAML.
    let back_path = path.with_file_name("back.asl.yaml");
    h.state_mut().save_to(&back_path);
    h.step();
    settle(&mut h);
    assert!(
        h.state().status().is_some_and(|s| s.starts_with("Saved")),
        "{:?}",
        h.state().status()
    );
    assert!(!h.state().is_dirty());
    let back_text = std::fs::read_to_string(&back_path).unwrap();
    let back = statewright::asl::Document::parse(&back_text, statewright::asl::SourceFormat::Yaml)
        .unwrap();
    assert_eq!(back.to_json(), as_json.to_json());
    h.run_steps(3);
    assert_eq!(code_view_text(&h, "ASL YAML"), back_text);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn yaml_diagnostics_point_at_yaml_lines() {
    let (path, original) = yaml_copy("yaml-diagnostics");
    let text = original.replacen("Next: Approved?", "Next: Nowhere", 1);
    std::fs::write(&path, &text).unwrap();
    let line_of = |t: &str| t.lines().position(|l| l.contains("Next: Nowhere")).unwrap() + 1;
    let mut h = harness(App::open_path(&path).unwrap());
    h.state_mut().push(Command::ToggleCode);
    h.run_steps(3);
    let label = |h: &Harness<'static, App>| {
        h.get_by_label_contains("goes to \"Nowhere\"")
            .accesskit_node()
            .label()
            .unwrap_or_default()
    };
    let first = label(&h);
    assert!(
        first.contains(&format!("(line {}", line_of(&text))),
        "{first}"
    );
    // A line typed above it in the code view moves it down.
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL YAML")
        .focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::ArrowUp);
    h.get_by_role_and_label(egui::Role::MultilineTextInput, "ASL YAML")
        .type_text("# one more line\n");
    h.run_steps(4);
    let typed = code_view_text(&h, "ASL YAML");
    assert_eq!(line_of(&typed), line_of(&text) + 1, "{typed}");
    let moved = label(&h);
    assert!(
        moved.contains(&format!("(line {}", line_of(&typed))),
        "{moved}"
    );
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn every_state_summary_draws_with_the_bundled_fonts() {
    // kittest panics on a glyph no font has (the window would draw a box): a Pass's ResultPath summary once
    // used an arrow the bundled fonts lack.
    let text =
        r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$.x", "End": true}}}"#;
    let mut h = harness(App::from_text(text, None));
    h.run_steps(4);
    assert!(h.state().node_screen_rect("P").is_some());
    let every = statewright::examples::example_text("every-state-type.asl.json").expect("bundled");
    let mut h = harness(App::from_text(every, None));
    h.run_steps(4);
    assert!(h.state().machine().states().len() > 5);
}
