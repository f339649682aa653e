//! The player's breakpoints, timeline and stale-run flows, driven like a person would through the
//! accessibility tree (egui_kittest): a breakpoint set with F9 or the canvas context menu stops Play at its
//! state (also inside a Parallel branch or a Map); "Continue to next breakpoint" and "Run to end"; the
//! timeline seeks on click and on drag and explains its markers on hover; editing the workflow marks the run
//! stale and "Run again" gives a fresh one.

use egui::{Pos2, Vec2};
use egui_kittest::{
    Harness,
    kittest::{NodeT, Queryable},
};
use statewright::edit::Op;
use statewright::ui::{App, app::Command, files, player::RunCommand};
use std::time::{Duration, Instant};

fn harness(app: App) -> Harness<'static, App> {
    let dir = std::env::temp_dir().join(format!("statewright-ui-timeline-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until the app's background work (a run) is done; fails after 30 s.
fn settle(h: &mut Harness<'static, App>) {
    let until = Instant::now() + Duration::from_secs(30);
    while h.state().is_busy() {
        assert!(
            Instant::now() < until,
            "background work did not finish in 30 s"
        );
        std::thread::sleep(Duration::from_millis(2));
        h.step();
    }
    h.run_steps(2);
}

fn medallion() -> Harness<'static, App> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/medallion-glue-crawlers.asl.json");
    harness(App::open_path(&path).unwrap())
}

/// Run > Simulate..., then the setup window's Run button (below the menu bar's "Run").
fn simulate(h: &mut Harness<'static, App>) {
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .expect("the setup window's Run button")
        .click();
    h.run_steps(2);
    settle(h);
}

fn cursor_index(h: &Harness<'static, App>) -> Option<usize> {
    h.state().run_player().unwrap().cursor.index()
}

fn playing(h: &Harness<'static, App>) -> bool {
    h.state().run_player().unwrap().is_playing()
}

/// The indices of the events entering the state named `name`.
fn entries(h: &Harness<'static, App>, name: &str) -> Vec<usize> {
    let trace = &h.state().run_player().unwrap().trace;
    trace
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_state_entered() && e.path.state_name() == Some(name))
        .map(|(i, _)| i)
        .collect()
}

/// Presses Play and runs frames until the player stops by itself (kittest moves time on per frame).
fn play_until_stopped(h: &mut Harness<'static, App>) {
    h.get_by_label("Play").click();
    h.run_steps(2);
    for _ in 0..2000 {
        if !playing(h) {
            h.run_steps(1);
            return;
        }
        h.step();
    }
    panic!("Play did not stop");
}

/// Clicks a canvas state where it is on screen (its accessible node's rectangle is in graph units).
fn click_state(h: &mut Harness<'static, App>, name: &str, button: egui::PointerButton) {
    let pos = h.state().node_screen_rect(name).expect("a node").center();
    assert!(
        h.state().canvas_screen_rect().contains(pos),
        "{name} is on screen"
    );
    h.hover_at(pos);
    h.run_steps(1);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    h.run_steps(2);
}

fn path(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

const CHOICE: &str = "T0 Dimension Choice";
const PARALLEL: &str = "T0 : Parallel";

#[test]
fn f9_sets_a_breakpoint_on_the_selected_state_and_play_stops_there() {
    let mut h = medallion();
    simulate(&mut h);
    // Select the Choice inside the Parallel's first branch on the canvas, then F9.
    click_state(&mut h, CHOICE, egui::PointerButton::Primary);
    assert_eq!(h.state().selection(), Some(CHOICE));
    h.key_press(egui::Key::F9);
    h.run_steps(2);
    assert!(
        h.state().breakpoints().contains(&path(&[PARALLEL, CHOICE])),
        "{:?}",
        h.state().breakpoints().iter().collect::<Vec<_>>()
    );
    let hits = entries(&h, CHOICE);
    assert_eq!(hits.len(), 3, "the crawler is polled three times");
    // Play stops on the first entry; the cursor rests on its StateEntered event.
    play_until_stopped(&mut h);
    assert_eq!(cursor_index(&h), Some(hits[0]));
    assert!(
        h.query_by_label_contains(
            "Stopped at the breakpoint on T0 : Parallel / branch 0 / T0 Dimension Choice"
        )
        .is_some()
    );
    // Play again: the next time round.
    play_until_stopped(&mut h);
    assert_eq!(cursor_index(&h), Some(hits[1]));
    // Continue to next breakpoint (the button), then F8 once more: the third.
    h.get_by_label("Continue to next breakpoint").click();
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(hits[2]));
    // F8 with no breakpoint ahead runs to the end and says so.
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    let last = h.state().run_player().unwrap().trace.events.len() - 1;
    assert_eq!(cursor_index(&h), Some(last));
    assert!(
        h.query_by_label("No breakpoint ahead: ran to the end")
            .is_some()
    );
    // F9 again removes it: Play now runs to the end.
    h.get_by_label("First event").click();
    h.run_steps(2);
    h.key_press(egui::Key::F9);
    h.run_steps(2);
    assert!(h.state().breakpoints().is_empty());
    h.get_by_label("Continue to next breakpoint").click();
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(last));
    assert!(h.query_by_label("No breakpoints: ran to the end").is_some());
}

#[test]
fn run_to_end_passes_every_breakpoint_and_shift_f8_does_too() {
    let mut h = medallion();
    simulate(&mut h);
    h.state_mut()
        .push(Command::Run(RunCommand::ToggleBreakpoint(path(&[
            PARALLEL, CHOICE,
        ]))));
    h.run_steps(2);
    let last = h.state().run_player().unwrap().trace.events.len() - 1;
    h.get_by_label("Run to end").click();
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(last));
    h.get_by_label("First event").click();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::F8);
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(last));
    // The Run menu offers the same commands.
    h.get_by_label("First event").click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label("Continue to next breakpoint F8").click();
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(entries(&h, CHOICE)[0]));
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label("Run to end Shift+F8").click();
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(last));
}

/// A Map over `$.items` whose processor doubles each item, between two Pass states.
const MAP_FLOW: &str = r#"{"StartAt": "Start", "States": {
  "Start": {"Type": "Pass", "Next": "Each"},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "Next": "Done",
    "ItemProcessor": {"StartAt": "Double", "States": {
      "Double": {"Type": "Pass", "End": true}}}},
  "Done": {"Type": "Pass", "End": true}}}"#;

fn map_flow() -> Harness<'static, App> {
    let mut h = harness(App::from_text(MAP_FLOW, None));
    h.state_mut()
        .set_run_setup(r#"{"items": [1, 2, 3]}"#, "", None);
    h
}

fn run(h: &mut Harness<'static, App>) {
    h.state_mut().push(Command::Run(RunCommand::Run));
    h.run_steps(2);
    settle(h);
    assert!(
        h.state().run_player().is_some(),
        "{:?}",
        h.state().run_error()
    );
}

#[test]
fn the_context_menu_sets_a_breakpoint_inside_a_map() {
    let mut h = map_flow();
    // Right-click the state inside the Map's processor: "Add breakpoint".
    click_state(&mut h, "Double", egui::PointerButton::Secondary);
    h.get_by_label("Add breakpoint F9").click();
    h.run_steps(2);
    assert!(h.state().breakpoints().contains(&path(&["Each", "Double"])));
    assert!(
        h.query_by_label_contains("Add breakpoint").is_none(),
        "the menu closed"
    );
    run(&mut h);
    let hits = entries(&h, "Double");
    assert_eq!(hits.len(), 3, "one entry per item");
    for &hit in &hits {
        play_until_stopped(&mut h);
        assert_eq!(cursor_index(&h), Some(hit));
    }
    // The menu now offers to remove it.
    click_state(&mut h, "Double", egui::PointerButton::Secondary);
    h.get_by_label("Remove breakpoint F9").click();
    h.run_steps(2);
    assert!(h.state().breakpoints().is_empty());
}

#[test]
fn the_timeline_seeks_on_click_and_on_drag() {
    let mut h = medallion();
    simulate(&mut h);
    let timeline = h.get_by_label("Timeline").rect();
    let y = timeline.top() + 22.0;
    let x = |h: &Harness<'static, App>, i: usize| h.state().timeline_event_x(i).expect("drawn");
    assert_eq!(cursor_index(&h), Some(0));
    // A click.
    let at = Pos2::new(x(&h, 100), y);
    h.hover_at(at);
    h.run_steps(1);
    h.drag_at(at);
    h.run_steps(1);
    h.drop_at(at);
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(100));
    // A drag from event 10 to event 150: the cursor follows the pointer on the way.
    let (from, to) = (Pos2::new(x(&h, 10), y), Pos2::new(x(&h, 150), y));
    h.hover_at(from);
    h.run_steps(1);
    h.drag_at(from);
    h.run_steps(1);
    assert_eq!(cursor_index(&h), Some(10));
    let mut seen = Vec::new();
    for k in 1..=5 {
        h.hover_at(from + (to - from) * (k as f32 / 5.0));
        h.run_steps(1);
        seen.push(cursor_index(&h).unwrap());
    }
    h.drop_at(to);
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(150));
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]) && seen[0] > 10 && seen[0] < 150,
        "{seen:?}"
    );
    // The accessible value follows (1-based event number).
    assert_eq!(
        h.get_by_label("Timeline").accesskit_node().numeric_value(),
        Some(151.0)
    );
}

#[test]
fn hovering_a_marker_says_what_it_is() {
    let mut h = medallion();
    simulate(&mut h);
    let wait = h
        .state()
        .timeline_markers()
        .iter()
        .find(|m| m.kind == statewright::ui::player::MarkKind::Wait)
        .expect("the crawler loop waits")
        .clone();
    let y = h.get_by_label("Timeline").rect().top() + 22.0;
    h.hover_at(Pos2::new(
        h.state().timeline_event_x(wait.index).unwrap(),
        y,
    ));
    h.run_steps(6);
    assert!(wait.text.contains("Wait state"), "{}", wait.text);
    assert!(wait.text.contains("of virtual time"), "{}", wait.text);
    assert!(h.query_by_label(&wait.text).is_some(), "{}", wait.text);
    // A breakpoint hit says which state it stops at.
    h.state_mut()
        .push(Command::Run(RunCommand::ToggleBreakpoint(path(&[
            PARALLEL, CHOICE,
        ]))));
    h.run_steps(2);
    let hit = entries(&h, CHOICE)[1];
    h.hover_at(Pos2::new(
        h.state().timeline_event_x(hit).unwrap(),
        y - 16.0,
    ));
    h.run_steps(6);
    assert!(
        h.query_by_label_contains(&format!("breakpoint on {PARALLEL} / branch 0 / {CHOICE}"))
            .is_some()
    );
    // Elsewhere the event under the pointer is named.
    h.hover_at(Pos2::new(h.state().timeline_event_x(0).unwrap(), y));
    h.run_steps(6);
    assert!(
        h.query_by_label("Event 1 of 166: ExecutionStarted (+0 s)")
            .is_some()
    );
}

#[test]
fn a_failing_run_has_failure_markers() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/fiap-extract-transform-load.asl.json");
    let mut h = harness(App::open_path(&path).unwrap());
    h.get_by_role_and_label(egui::Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::ComboBox, "Test case")
        .click();
    h.run_steps(2);
    h.get_by_label("TransformJobFails").click();
    h.run_steps(2);
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(egui::Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .unwrap()
        .click();
    h.run_steps(2);
    settle(&mut h);
    let trace = h.state().run_player().unwrap().trace.clone();
    let markers = h.state().timeline_markers().to_vec();
    assert!(!markers.is_empty());
    // Every event with an error is marked, and nothing else but waits.
    for (i, e) in trace.events.iter().enumerate() {
        let marked = markers.iter().any(|m| m.index == i);
        let failure = e.error().is_some() && !e.event_type.starts_with("MapIteration");
        assert!(
            marked == (failure || (e.is_state_entered() && e.event_type.starts_with("Wait"))),
            "event {i} {}: {markers:#?}",
            e.event_type
        );
    }
}

#[test]
fn editing_marks_the_run_stale_and_run_again_gives_a_fresh_one() {
    let mut h = medallion();
    simulate(&mut h);
    let ran_with = h.state().run_player().unwrap().ran_with.clone();
    h.state_mut()
        .push(Command::Run(RunCommand::ToggleBreakpoint(path(&[
            PARALLEL, CHOICE,
        ]))));
    h.run_steps(2);
    assert!(!h.state().run_is_stale());
    assert!(h.query_by_label("Stale run").is_none());
    // Rename the Choice: the run is stale, the breakpoint follows the state.
    h.state_mut().push(Command::Edit(Op::Rename {
        from: CHOICE.into(),
        to: "Crawler ready?".into(),
    }));
    h.run_steps(3);
    assert!(h.state().run_is_stale());
    assert!(h.query_by_label("Stale run").is_some());
    assert!(
        h.state()
            .breakpoints()
            .contains(&path(&[PARALLEL, "Crawler ready?"]))
    );
    // Undo: the document is the one that ran again, so the run is not stale.
    h.state_mut().push(Command::Undo);
    h.run_steps(3);
    assert!(!h.state().run_is_stale());
    assert!(h.query_by_label("Stale run").is_none());
    h.state_mut().push(Command::Redo);
    h.run_steps(3);
    assert!(h.state().run_is_stale());
    // The banner's Run again: a fresh run of the edited workflow with the same setup.
    let banner_y = h.get_by_label("Stale run").rect().top();
    h.get_all_by_label("Run again")
        .min_by(|a, b| {
            (a.rect().top() - banner_y)
                .abs()
                .total_cmp(&(b.rect().top() - banner_y).abs())
        })
        .unwrap()
        .click();
    h.run_steps(2);
    settle(&mut h);
    assert!(!h.state().run_is_stale());
    assert!(h.query_by_label("Stale run").is_none());
    assert_eq!(h.state().run_player().unwrap().ran_with, ran_with);
    let hits = entries(&h, "Crawler ready?");
    assert_eq!(hits.len(), 3);
    assert!(entries(&h, CHOICE).is_empty());
    // The breakpoint carried over by the rename stops the fresh run.
    h.key_press(egui::Key::F8);
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(hits[0]));
    // Deleting the state removes its breakpoint.
    h.state_mut().push(Command::Edit(Op::Delete {
        name: "Crawler ready?".into(),
    }));
    h.run_steps(3);
    assert!(h.state().breakpoints().is_empty());
    assert!(h.state().run_is_stale());
}

#[test]
fn shift_right_goes_to_the_next_state_entered_and_right_to_the_next_event() {
    let mut h = medallion();
    simulate(&mut h);
    h.get_by_label("First event").click();
    h.run_steps(2);
    h.key_press(egui::Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(cursor_index(&h), Some(1), "Right: one event on");
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::ArrowRight);
    h.run_steps(2);
    let trace = &h.state().run_player().unwrap().trace;
    let next_entered = trace.events[2..]
        .iter()
        .position(|e| e.is_state_entered())
        .map(|k| k + 2);
    assert_eq!(
        cursor_index(&h),
        next_entered,
        "Shift+Right: on to the next state entered, not one event"
    );
    assert!(next_entered.is_some_and(|i| i > 2));
}
