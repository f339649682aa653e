//! `cargo bench --bench player`: the player on a 10,000-event trace. A polling loop (a Task, a counter, a
//! Choice and a 10 s Wait, round and round until the counter runs out) is simulated to more than 10,000
//! history events and loaded in the player of the designer, driven headlessly by egui_kittest in a 1400×900
//! window at 60 frames a second. The player is playing and the cursor advances one event every frame (the
//! fastest a user can make it go), so every frame has a new cursor position to highlight, a token
//! travelling, the current state pulsing and, half the time, a Wait's clock running.
//!
//! Measured per frame: `Harness::step` (the whole `App::ui`: panels, event list, canvas and its overlay,
//! the AccessKit update kittest asks for) plus tessellating that frame's shapes, wall-clock. Criterion
//! reports the mean; the median and 95th percentile of single frames are printed after it. Target: median
//! < 8 ms. The same for a Map of 1,700 items (the iteration followed changes every few frames; the
//! iteration picker is on screen). Before them, the highlight alone (`RunIndex::highlight`) at every cursor
//! position, and for comparison the walk over the whole trace the player made every frame before.

use criterion::{Criterion, criterion_group, criterion_main};
use egui::Vec2;
use egui_kittest::Harness;
use statewright::trace::TraceCursor;
use statewright::trace::highlight::{Follow, RunIndex};
use statewright::ui::player::RunCommand;
use statewright::ui::{App, app::Command, files};
use std::time::{Duration, Instant};

/// Loop rounds: 11 events each (Task 5, Pass 2, Choice 2, Wait 2), so a little over 10,000 events.
const ROUNDS: usize = 910;
/// Map items: 6 events each (iteration started and ended, Choice 2, Pass 2), so a little over 10,000 events.
const ITEMS: usize = 1_700;
const EVENTS: usize = 10_000;

/// The polling loop and its input.
fn polling() -> (String, serde_json::Value) {
    let asl = serde_json::json!({
        "Comment": "Poll a job until the counter runs out",
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:check",
                "Next": "Count"},
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Done?"},
            "Done?": {"Type": "Choice", "Default": "Pause", "Choices": [
                {"Variable": "$.n", "NumericGreaterThanEquals": ROUNDS, "Next": "Finish"}]},
            "Pause": {"Type": "Wait", "Seconds": 10, "Next": "Check"},
            "Finish": {"Type": "Succeed"}
        }
    });
    (asl.to_string(), serde_json::json!({"n": 0}))
}

/// A Map over many items whose iterator goes through `Even` or `Odd`, and its input.
fn map() -> (String, serde_json::Value) {
    let asl = serde_json::json!({
        "StartAt": "Items",
        "States": {"Items": {"Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemProcessor": {"StartAt": "Which", "States": {
                "Which": {"Type": "Choice", "Default": "Odd", "Choices": [
                    {"Variable": "$.even", "BooleanEquals": true, "Next": "Even"}]},
                "Even": {"Type": "Pass", "End": true},
                "Odd": {"Type": "Pass", "End": true}}}}}
    });
    let items: Vec<serde_json::Value> = (0..ITEMS)
        .map(|i| serde_json::json!({"even": i % 2 == 0}))
        .collect();
    (asl.to_string(), serde_json::json!({ "items": items }))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median and 95th percentile, milliseconds.
fn summary(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let at = |q: f64| ms(v[((v.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.95))
}

/// The designer with `workflow` run and loaded in the player, playing from the first event.
fn playing((asl, input): (String, serde_json::Value)) -> Harness<'static, App> {
    let app = App::from_text(&asl, None).with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    h.state_mut().set_run_setup(&input.to_string(), "", None);
    h.state_mut().push(Command::Run(RunCommand::Run));
    let until = Instant::now() + Duration::from_secs(120);
    while h.state().run_player().is_none() {
        assert!(
            Instant::now() < until,
            "the run did not finish in 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run_steps(5);
    let events = h.state().run_player().unwrap().trace.events.len();
    assert!(events >= EVENTS, "{events} events");
    h.state_mut().push(Command::Run(RunCommand::TogglePlay));
    h.run_steps(2);
    assert!(h.state().run_player().unwrap().is_playing());
    h
}

fn frames(c: &mut Criterion, name: &str, workflow: (String, serde_json::Value)) {
    let mut h = playing(workflow);
    let events = h.state().run_player().unwrap().trace.events.len();
    println!(
        "{name}: {events} events in the trace, 1400×900 window, 60 frames/s, one event per frame"
    );
    let ppp = h.ctx.pixels_per_point();
    let mut samples = Vec::new();
    let mut tokens = 0usize;
    c.bench_function(&format!("player/frame while playing, {name}"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let p = h.state().run_player().unwrap();
                let cmd = if p.cursor.at_end() {
                    RunCommand::First
                } else {
                    RunCommand::Forward
                };
                if !p.is_playing() && !p.cursor.at_end() {
                    h.state_mut().push(Command::Run(RunCommand::TogglePlay));
                }
                h.state_mut().push(Command::Run(cmd));
                let t = Instant::now();
                h.step();
                let shapes = h.output().shapes.clone();
                let _ = h.ctx.tessellate(shapes, ppp);
                let d = t.elapsed();
                tokens += usize::from(!h.state().run_tokens().is_empty());
                samples.push(d);
                total += d;
            }
            total
        })
    });
    let n = samples.len();
    let (median, p95) = summary(samples);
    println!(
        "{name}: player frame (step + tessellate) median {median:.2} ms, p95 {p95:.2} ms over {n} frames; a token in flight in {tokens} of them"
    );
}

fn highlight(c: &mut Criterion) {
    let (asl, input) = polling();
    let doc = statewright::asl::Document::parse_json(&asl).expect("the bench machine parses");
    let trace =
        statewright::sim::simulate(&doc.machine, input, &statewright::sim::SimConfig::default());
    let t = Instant::now();
    let index = RunIndex::new(&trace);
    println!(
        "{} events: index built in {:.2} ms",
        trace.events.len(),
        ms(t.elapsed())
    );
    let mut cursor = TraceCursor::new(&trace);
    let follow = Follow::new();
    c.bench_function("player/highlight at the next event, 10k events", |b| {
        b.iter(|| {
            if !cursor.step_forward() {
                cursor.seek(Some(0));
            }
            index.highlight(&trace, &cursor, &follow)
        })
    });
    // For comparison: walking the trace for every frame (what the player did before the index).
    c.bench_function(
        "player/highlight walking the whole trace, 10k events",
        |b| {
            b.iter(|| {
                if !cursor.step_forward() {
                    cursor.seek(Some(0));
                }
                statewright::trace::highlight::highlight(&trace, &cursor)
            })
        },
    );
}

fn benches(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("statewright-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
    highlight(c);
    frames(c, "polling loop", polling());
    frames(c, "Map", map());
}

criterion_group! {
    name = player;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = benches
}
criterion_main!(player);
