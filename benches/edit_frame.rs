//! `cargo bench --bench edit_frame`: what an edit costs the designer's UI thread on a generated workflow of
//! 1,000 and of 5,000 states (`benches/support/generate.rs`), driven headlessly by egui_kittest in a
//! 1400×900 window at 100% zoom:
//!
//! - **type**: a keystroke into the selected state's Comment field in the inspector (a character, then a
//!   Backspace, alternately, so the text stays short);
//! - **drag**: a state dragged 40 points and released (the move becomes a pin: an undoable edit);
//! - **drop**: a Pass dragged from the palette and dropped on the canvas.
//!
//! Timed is the CPU time of this (the UI) thread, from the thread CPU clock, for *the frame that processes
//! the edit* (the frame receiving the keystroke or the release, which applies the edit) and, separately, for
//! the frame after it (which shows the result). `/proc/thread-self/schedstat`, which `frame.rs` averages
//! over hundreds of frames, only advances at scheduler ticks (4 ms here), too coarse for single frames.
//! Validation and layout of big machines run on a worker thread once edits pause; the worker's time is not
//! the UI thread's, but the frame that starts it (copying the document) is reported too ("derive start").
//!
//! Criterion reports the mean of the edit frames' CPU time; the median and 95th percentile of single
//! edit frames are printed after each benchmark. Target: median < 8 ms at 1,000 states, < 16 ms at 5,000.

#[path = "support/generate.rs"]
mod generate;

use criterion::measurement::WallTime;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use egui::{Event, Key, Modifiers, PointerButton, Pos2, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use statewright::ui::{App, app::Command, files};
use std::time::{Duration, Instant};

/// This thread's CPU time.
fn cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// The CPU time of one `Harness::step` (one frame per queued event).
fn timed_step(h: &mut Harness<'static, App>) -> Duration {
    let t = cpu();
    h.step();
    cpu() - t
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median and 95th percentile.
fn summary(mut v: Vec<Duration>) -> (f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0);
    }
    v.sort();
    let at = |q: f64| ms(v[((v.len() - 1) as f64 * q).round() as usize]);
    (at(0.5), at(0.95))
}

fn harness(states: usize) -> Harness<'static, App> {
    let text = generate::workflow(states);
    let app = App::from_text(&text, None).with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(3);
    h.state_mut().push(Command::SetZoom(1.0));
    h.run_steps(3);
    h
}

/// A simple state (no lanes) whose box lies well inside the canvas, nearest its centre.
fn visible_state(h: &Harness<'static, App>) -> String {
    let app = h.state();
    let view = app.canvas_screen_rect().shrink(60.0);
    app.layout()
        .nodes
        .iter()
        .filter(|n| n.lanes.is_empty() && n.name.starts_with("Task"))
        .filter_map(|n| {
            let r = app.node_screen_rect(&n.name)?;
            view.contains_rect(r)
                .then(|| ((r.center() - view.center()).length(), n.name.clone()))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
        .expect("a Task on screen")
}

fn key(h: &Harness<'static, App>, key: Key, pressed: bool) {
    h.event(Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
}

fn button(h: &Harness<'static, App>, pos: Pos2, pressed: bool) {
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    });
}

/// Frames until the diagnostics and the layout are those of the current document again; returns the
/// costliest of those frames' CPU time and the wall time it took.
fn settle(h: &mut Harness<'static, App>) -> (Duration, Duration) {
    let t = Instant::now();
    let mut worst = Duration::ZERO;
    for _ in 0..2_000 {
        if h.state().derived_is_current() {
            break;
        }
        worst = worst.max(timed_step(h));
        std::thread::sleep(Duration::from_millis(5));
    }
    (worst, t.elapsed())
}

/// Per-benchmark samples: the edit frames and the frames after them.
#[derive(Default)]
struct Samples {
    edit: Vec<Duration>,
    next: Vec<Duration>,
}

impl Samples {
    fn report(&self, name: &str) {
        let (m, p) = summary(self.edit.clone());
        let (nm, np) = summary(self.next.clone());
        println!(
            "{name:<12} edit frame CPU median {m:6.2} ms, p95 {p:6.2} ms; next frame median {nm:6.2} ms, p95 {np:6.2} ms ({} edits)",
            self.edit.len()
        );
    }
}

fn typing(c: &mut Criterion, states: usize) {
    let mut h = harness(states);
    let name = visible_state(&h);
    h.state_mut().push(Command::Select(Some(name)));
    h.run_steps(3);
    h.get_by_role_and_label(egui::Role::TextInput, "Comment")
        .focus();
    h.run_steps(2);
    let mut s = Samples::default();
    let mut odd = false;
    let mut g = group(c, "type");
    g.bench_function(states.to_string(), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                odd = !odd;
                if odd {
                    h.event(Event::Text("x".into()));
                } else {
                    key(&h, Key::Backspace, true);
                }
                let d = timed_step(&mut h);
                if !odd {
                    key(&h, Key::Backspace, false);
                    h.step();
                }
                let n = timed_step(&mut h);
                total += d;
                s.edit.push(d);
                s.next.push(n);
            }
            total
        })
    });
    g.finish();
    s.report(&format!("type/{states}"));
    assert!(
        h.state().machine().all_state_names().len() >= states,
        "the document is still there"
    );
    let (worst, wall) = settle(&mut h);
    println!(
        "{:<12} after typing stops: validation and layout current after {:.0} ms; costliest UI frame meanwhile {:.2} ms (installing the results)",
        "",
        ms(wall),
        ms(worst)
    );
}

fn dragging(c: &mut Criterion, states: usize) {
    let mut h = harness(states);
    let name = visible_state(&h);
    let mut s = Samples::default();
    let mut right = false;
    let mut g = group(c, "drag");
    g.bench_function(states.to_string(), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                right = !right;
                let r = h
                    .state()
                    .node_screen_rect(&name)
                    .expect("the dragged state");
                let from = r.center();
                let to = from + Vec2::new(if right { 40.0 } else { -40.0 }, 0.0);
                h.hover_at(from);
                h.step();
                button(&h, from, true);
                h.step();
                for i in 1..=3 {
                    h.hover_at(from + (to - from) * (i as f32 / 3.0));
                    h.step();
                }
                button(&h, to, false);
                let d = timed_step(&mut h);
                let n = timed_step(&mut h);
                total += d;
                s.edit.push(d);
                s.next.push(n);
            }
            total
        })
    });
    g.finish();
    s.report(&format!("drag/{states}"));
    assert!(
        h.state().layout().nodes.iter().any(|n| n.name == name),
        "the state is still laid out"
    );
}

fn dropping(c: &mut Criterion, states: usize) {
    let mut h = harness(states);
    let mut s = Samples::default();
    let view = h.state().canvas_screen_rect();
    let to = Pos2::new(view.right() - 80.0, view.top() + 80.0);
    let mut g = group(c, "drop");
    g.bench_function(states.to_string(), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let from = h
                    .get_by_role_and_label(egui::Role::Button, "Pass")
                    .rect()
                    .center();
                h.hover_at(from);
                h.step();
                button(&h, from, true);
                h.step();
                for i in 1..=3 {
                    h.hover_at(from + (to - from) * (i as f32 / 3.0));
                    h.step();
                }
                button(&h, to, false);
                let d = timed_step(&mut h);
                let n = timed_step(&mut h);
                total += d;
                s.edit.push(d);
                s.next.push(n);
            }
            total
        })
    });
    g.finish();
    s.report(&format!("drop/{states}"));
    assert!(
        h.state().machine().all_state_names().len() > states,
        "drops added states"
    );
}

/// Criterion plans iterations from the returned (edit-frame) times, but an iteration also runs the frames of
/// the gesture: flat sampling keeps the run to minutes.
fn group<'a>(c: &'a mut Criterion, name: &str) -> criterion::BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sampling_mode(SamplingMode::Flat);
    g
}

fn benches(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("statewright-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);
    for states in [1_000, 5_000] {
        typing(c, states);
        dragging(c, states);
        dropping(c, states);
    }
}

criterion_group! {
    name = edit_frame;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1));
    targets = benches
}
criterion_main!(edit_frame);
