//! The animated player, driven through the accessibility tree (egui_kittest) and the player's query
//! functions: visit counts on a polling loop, outcome colours after a failure, running Parallel branches, a
//! Wait's clock, picking the Map iteration to follow, and a token travelling after a step (and stopping).

use egui::Vec2;
use egui_kittest::{Harness, kittest::Queryable};
use statewright::trace::highlight::Outcome;
use statewright::ui::player::RunCommand;
use statewright::ui::{App, app::Command, files};
use std::time::{Duration, Instant};

fn setup() {
    let dir = std::env::temp_dir().join(format!("statewright-ui-anim-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
}

/// The designer at 60 frames a second (so a token's flight spans several frames).
fn harness(app: App) -> Harness<'static, App> {
    setup();
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until the app's background work is done; fails after 30 s.
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

fn example(name: &str) -> Harness<'static, App> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name);
    harness(App::open_path(&path).unwrap())
}

/// Runs the open workflow with `input` and the bundled mock file's `case` (none: no mocks).
fn run(h: &mut Harness<'static, App>, input: &str, mocks: Option<(&str, &str)>) {
    let (path, case) = match mocks {
        Some((file, case)) => (
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("assets/examples/mocks")
                .join(file)
                .display()
                .to_string(),
            Some(case),
        ),
        None => (String::new(), None),
    };
    h.state_mut().set_run_setup(input, &path, case);
    h.run_steps(2);
    settle(h);
    h.state_mut().push(Command::Run(RunCommand::Run));
    h.run_steps(2);
    settle(h);
    assert!(
        h.state().run_player().is_some(),
        "{:?}",
        h.state().run_error()
    );
}

fn seek(h: &mut Harness<'static, App>, i: usize) {
    h.state_mut().push(Command::Run(RunCommand::Seek(Some(i))));
    h.run_steps(2);
}

/// The index of the `nth` event of type `ty` for state `state`.
fn event(h: &Harness<'static, App>, ty: &str, state: &str, nth: usize) -> usize {
    h.state()
        .run_player()
        .unwrap()
        .trace
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| e.event_type == ty && e.path.state_name() == Some(state))
        .nth(nth)
        .unwrap_or_else(|| panic!("no {ty} #{nth} of {state}"))
        .0
}

fn p(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_polling_loop_shows_how_often_each_state_ran() {
    let mut h = example("medallion-glue-crawlers.asl.json");
    run(
        &mut h,
        "{}",
        Some(("medallion-glue-crawlers.mocks.json", "HappyPath")),
    );
    let b = |s: &str| p(&["T0 : Parallel", s]);
    // The crawler is RUNNING twice, then READY: GetCrawler runs three times, the Wait twice.
    let second_wait = event(&h, "WaitStateEntered", "Wait T0 Dimension", 1);
    seek(&mut h, second_wait);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.visits[&b("T0 Dimension GetCrawler")], 2);
    assert_eq!(hl.visits[&b("Wait T0 Dimension")], 2);
    assert_eq!(hl.visits[&b("T0 Dimension Start Job")], 1);
    // The Wait's clock: it has just begun.
    let w = hl.waits[&b("Wait T0 Dimension")];
    let entered_at = hl.time_ms;
    assert_eq!(w.elapsed_ms, 0);
    assert!(w.total_ms > 0, "{w:?}");
    // On its exit the whole wait has passed in virtual time (the other branch's events come between: the
    // branches run side by side in virtual time).
    let exit = event(&h, "WaitStateExited", "Wait T0 Dimension", 1);
    seek(&mut h, exit);
    let hl = h.state().run_highlight().unwrap();
    let done = hl.waits[&b("Wait T0 Dimension")];
    assert_eq!(done.elapsed_ms, w.total_ms);
    assert_eq!(
        hl.time_ms,
        entered_at + w.total_ms,
        "virtual time moved by the wait"
    );
    h.get_by_label("Last event").click();
    h.run_steps(2);
    assert!(
        h.state().run_tokens().is_empty(),
        "a jump is not a step: no token"
    );
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.visits[&b("T0 Dimension GetCrawler")], 3);
    assert_eq!(hl.visits[&b("T0 Dimension Choice")], 3);
    assert_eq!(
        hl.outcomes[&b("T0 Dimension GetCrawler")],
        Outcome::Succeeded
    );
    assert!(hl.time_ms > 0);
}

#[test]
fn a_failure_colours_the_failed_and_the_catching_states() {
    let mut h = example("fiap-extract-transform-load.asl.json");
    run(
        &mut h,
        "{}",
        Some((
            "fiap-extract-transform-load.mocks.json",
            "TransformJobFails",
        )),
    );
    // At the failure event the Transform job is failed (not yet caught).
    let failed = event(&h, "TaskFailed", "TransformJob", 0);
    seek(&mut h, failed);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.outcomes[&p(&["TransformJob"])], Outcome::Failed);
    assert!(hl.current.contains(&p(&["TransformJob"])));
    h.get_by_label("Last event").click();
    h.run_steps(2);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.outcomes[&p(&["ExtractJob"])], Outcome::Succeeded);
    assert_eq!(hl.outcomes[&p(&["TransformJob"])], Outcome::Caught);
    assert_eq!(hl.outcomes[&p(&["FailState"])], Outcome::Failed);
    assert_eq!(
        hl.edge_outcomes[&(p(&["TransformJob"]), p(&["FailState"]))],
        Outcome::Caught
    );
    assert!(!hl.visited.contains(&p(&["LoadJob"])));
}

#[test]
fn each_running_parallel_branch_has_a_token() {
    let mut h = example("medallion-glue-crawlers.asl.json");
    run(
        &mut h,
        "{}",
        Some(("medallion-glue-crawlers.mocks.json", "HappyPath")),
    );
    let started = event(&h, "ParallelStateStarted", "T0 : Parallel", 0);
    seek(&mut h, started);
    let hl = h.state().run_highlight().unwrap();
    let at: Vec<(usize, Vec<String>, bool)> = hl
        .branches
        .iter()
        .map(|b| (b.branch, b.at.clone(), b.started))
        .collect();
    let b = |s: &str| p(&["T0 : Parallel", s]);
    assert_eq!(
        at,
        [
            (0, b("T0 Dimension Start Job"), false),
            (1, b("T0 Fact Start Job"), false)
        ]
    );
    // In the first branch's loop the second branch still waits at its start.
    let get = event(&h, "TaskStateEntered", "T0 Dimension GetCrawler", 0);
    seek(&mut h, get);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.branches.len(), 2);
    assert_eq!(hl.branches[0].at, b("T0 Dimension GetCrawler"));
    assert!(hl.branches[0].started && !hl.branches[1].started);
}

/// A Map over three items whose iterator goes through `Even` or `Odd`.
const MAP: &str = r#"{"StartAt": "Items", "States": {
  "Items": {"Type": "Map", "ItemsPath": "$.items", "End": true,
    "ItemProcessor": {"StartAt": "Which", "States": {
      "Which": {"Type": "Choice", "Default": "Odd", "Choices": [
        {"Variable": "$.even", "BooleanEquals": true, "Next": "Even"}]},
      "Even": {"Type": "Pass", "End": true},
      "Odd": {"Type": "Pass", "End": true}}}}}}"#;

#[test]
fn picking_the_map_iteration_to_follow() {
    let mut h = harness(App::from_text(MAP, None));
    run(
        &mut h,
        r#"{"items": [{"even": true}, {"even": false}, {"even": true}]}"#,
        None,
    );
    h.get_by_label("Last event").click();
    h.run_steps(2);
    let map = p(&["Items"]);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.maps[&map].following, Some(2));
    assert_eq!(hl.maps[&map].total, 3);
    assert!(hl.visited.contains(&p(&["Items", "Even"])));
    assert!(!hl.visited.contains(&p(&["Items", "Odd"])));
    // The picker shows the item followed; "previous" follows item 2 of 3 (index 1: odd).
    // The picker floats over the canvas once a Map has run (an area appears on the frame after its first).
    h.run_steps(2);
    assert!(h.query_by_label("Item followed in Items").is_some());
    h.get_by_label("Previous item of Items").click();
    h.run_steps(2);
    let player = h.state().run_player().unwrap();
    assert_eq!(player.followed_iteration(&map), Some(1));
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.maps[&map].following, Some(1));
    assert!(hl.maps[&map].picked);
    assert!(hl.visited.contains(&p(&["Items", "Odd"])));
    assert!(!hl.visited.contains(&p(&["Items", "Even"])));
    assert!(
        hl.edges
            .contains(&(p(&["Items", "Which"]), p(&["Items", "Odd"])))
    );
    // The pick holds while stepping back; "running" follows the cursor's iteration again.
    h.get_by_label("First event").click();
    h.run_steps(2);
    let into_first = event(&h, "PassStateEntered", "Even", 0);
    seek(&mut h, into_first);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.maps[&map].following, Some(1));
    assert!(
        !hl.visited.contains(&p(&["Items", "Even"])),
        "item 2 has not run yet"
    );
    h.get_by_label("Follow the running item of Items").click();
    h.run_steps(2);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.maps[&map].following, Some(0));
    assert!(!hl.maps[&map].picked);
    assert!(hl.visited.contains(&p(&["Items", "Even"])));
    assert!(hl.current.contains(&p(&["Items", "Even"])));
}

/// A polling loop that ends by a counter: no mocks needed (the Task returns its input).
const LOOP: &str = r#"{"StartAt": "Check", "States": {
  "Check": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:check", "Next": "Count"},
  "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Done?"},
  "Done?": {"Type": "Choice", "Default": "Pause", "Choices": [
    {"Variable": "$.n", "NumericGreaterThanEquals": 3, "Next": "Finish"}]},
  "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Check"},
  "Finish": {"Type": "Succeed"}}}"#;

#[test]
fn a_token_travels_after_a_step_and_stops_after_its_duration() {
    let mut h = harness(App::from_text(LOOP, None));
    run(&mut h, r#"{"n": 0}"#, None);
    let count = event(&h, "PassStateEntered", "Count", 0);
    seek(&mut h, count - 1);
    // Let the seek's own settling pass; nothing travels after a jump.
    h.run_steps(200);
    assert!(h.state().run_tokens().is_empty());
    // Idle: no frame asks for another.
    assert!(h.try_run().is_ok(), "an idle player keeps repainting");
    h.get_by_label("Step forward").click();
    h.run_steps(2);
    let tokens = h.state().run_tokens();
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert_eq!(
        (tokens[0].from.clone(), tokens[0].to.clone()),
        (p(&["Check"]), p(&["Count"]))
    );
    assert_eq!(tokens[0].outcome, Outcome::Succeeded);
    // Its flight follows the play speed (0.5 s per event by default).
    let d = tokens[0].duration;
    assert!(d > 0.2 && d <= 0.5, "{d}");
    h.run_steps(6);
    assert_eq!(h.state().run_tokens().len(), 1, "still travelling");
    h.run_steps(40);
    assert!(h.state().run_tokens().is_empty(), "the token arrived");
    // Faster play, shorter flight.
    h.get_by_label("Speed").click();
    h.run_steps(2);
    h.get_by_label("0.1 s / event").click();
    h.run_steps(2);
    h.get_by_label("Step forward").click();
    h.run_steps(2);
    let tokens = h.state().run_tokens();
    assert!(tokens.iter().all(|t| t.duration < 0.1), "{tokens:?}");
    // Stepping back shows no token.
    h.get_by_label("Step back").click();
    h.run_steps(2);
    assert!(h.state().run_tokens().is_empty());
    // Once the pulse has faded, the player is idle again.
    h.run_steps(200);
    assert!(h.try_run().is_ok(), "an idle player keeps repainting");
    // A loop's visit count after stepping through it.
    h.get_by_label("Last event").click();
    h.run_steps(2);
    let hl = h.state().run_highlight().unwrap();
    assert_eq!(hl.visits[&p(&["Check"])], 3);
    assert_eq!(hl.visits[&p(&["Pause"])], 2);
}
