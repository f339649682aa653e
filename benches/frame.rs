//! `cargo bench --bench frame`: the time of one designer frame on a generated 1,000-state workflow
//! (Parallels and Maps with nested states, Choices that loop, Retry/Catch), driven headlessly by
//! egui_kittest in a 1400×900 window — zoomed to fit, at 100%, and zoomed all the way out (every state
//! on screen: the worst case for painting).
//!
//! Per frame it measures `Harness::step` (the whole `App::ui`: panels, canvas, diagnostics, the
//! AccessKit update kittest asks for) and, separately, tessellating that frame's shapes (what eframe
//! does next on the CPU before handing triangles to the GPU). It reports the median and the 95th
//! percentile of the wall-clock time of single frames, and, as a cross-check, the thread's CPU time
//! over all measured frames divided by their number (from `/proc/thread-self/schedstat`; Linux only).
//! Target: < 8 ms per frame.
//!
//! `FRAMES=N` sets the number of measured frames per view (default 300).

#[path = "support/generate.rs"]
mod generate;

use egui::Vec2;
use egui_kittest::Harness;
use statewright::ui::{App, app::Command, files};
use std::time::{Duration, Instant};

const STATES: usize = 1_000;

/// Nanoseconds this thread has run on a CPU (Linux), if readable.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

struct Stats {
    median: Duration,
    p95: Duration,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn measure(h: &mut Harness<'static, App>, view: &str, frames: usize) {
    h.run_steps(5);
    // The zoom, from the on-screen width of a simple state.
    let zoom = h
        .state()
        .node_screen_rect("Done")
        .map_or(0.0, |r| r.width() / statewright::layout::NODE_W);
    let ppp = h.ctx.pixels_per_point();
    let mut step = Vec::with_capacity(frames);
    let mut tess = Vec::with_capacity(frames);
    let mut total = Vec::with_capacity(frames);
    let mut primitives = 0;
    let cpu0 = thread_cpu_ns();
    for _ in 0..frames {
        let t = Instant::now();
        h.step();
        let s = t.elapsed();
        let shapes = h.output().shapes.clone();
        let t = Instant::now();
        let clipped = h.ctx.tessellate(shapes, ppp);
        let d = t.elapsed();
        primitives = clipped.len();
        step.push(s);
        tess.push(d);
        total.push(s + d);
    }
    let cpu = thread_cpu_ns()
        .zip(cpu0)
        .map(|(b, a)| (b - a) as f64 / 1e6 / frames as f64);
    let (st, te, to) = (stats(step), stats(tess), stats(total));
    println!(
        "{view:<28} zoom {:>4.0}%  step {:>6.2} / {:>6.2} ms   tessellate {:>6.2} / {:>6.2} ms   frame {:>6.2} / {:>6.2} ms   (median / p95; {primitives} clipped primitives){}",
        zoom * 100.0,
        ms(st.median),
        ms(st.p95),
        ms(te.median),
        ms(te.p95),
        ms(to.median),
        ms(to.p95),
        cpu.map_or(String::new(), |c| format!(
            "; thread CPU incl. copying shapes {c:.2} ms/frame"
        )),
    );
}

fn main() {
    let frames: usize = std::env::var("FRAMES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300);
    let dir = std::env::temp_dir().join(format!("statewright-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir);

    let text = generate::workflow(STATES);
    let doc = statewright::asl::Document::parse_json(&text).expect("generated workflow parses");
    let count = doc.machine.all_state_names().len();
    assert_eq!(count, STATES);
    let diags = statewright::validate::validate_document(&doc);
    let layout = statewright::layout::layout(&doc.machine);
    println!(
        "{count} states ({} containers), {} edges, diagram {:.0}×{:.0} units, {} diagnostics; {frames} frames per view, 1400×900 window",
        layout.nodes.iter().filter(|n| !n.lanes.is_empty()).count(),
        layout.edges.len(),
        layout.bounds.max.x - layout.bounds.min.x,
        layout.bounds.max.y - layout.bounds.min.y,
        diags.len(),
    );

    let t = Instant::now();
    let app = App::from_text(&text, None).with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(1);
    println!(
        "open + first frame (layout, validation): {:.1} ms",
        ms(t.elapsed())
    );
    h.run_steps(10);

    h.state_mut().push(Command::ZoomToFit);
    measure(&mut h, "zoom to fit (readable)", frames);
    h.state_mut().push(Command::SetZoom(1.0));
    measure(&mut h, "100%", frames);
    h.state_mut().push(Command::SetZoom(0.1));
    measure(&mut h, "10% (everything on screen)", frames);
}
