//! The timeline under the canvas: the whole trace as a strip, one slot per event (so every step is as wide
//! as the next and a burst of events at one virtual instant stays readable), with the virtual time elapsed
//! written under it. Markers show failures (and whether they were retried or caught), waits and the events
//! that hit a breakpoint; a line shows the cursor. Click or drag to seek; hover a marker to read what it is.
//!
//! The markers are computed once per trace ([`markers`], kept in the [`Player`]); a frame only maps them to
//! pixels, skipping those that would land on a pixel already painted, so a 10,000-event trace draws cheaply.

use super::breakpoints::{self, Breakpoints};
use super::{Player, RunCommand};
use crate::asl::StateType;
use crate::trace::highlight::Outcome;
use crate::trace::{StatePath, Trace, TraceEvent};
use crate::ui::app::{App, Command};
use crate::ui::theme;
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2, pos2};
use std::collections::HashMap;

/// What a marker on the timeline stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MarkKind {
    /// A failure nothing caught in its scope (or the execution failing).
    Failed,
    /// A failure a `Catch` handled.
    Caught,
    /// A failure a `Retry` tried again.
    Retried,
    /// A Wait state.
    Wait,
}

impl MarkKind {
    const ALL: [MarkKind; 4] = [
        MarkKind::Failed,
        MarkKind::Caught,
        MarkKind::Retried,
        MarkKind::Wait,
    ];

    fn name(self) -> &'static str {
        match self {
            MarkKind::Failed => "failed",
            MarkKind::Caught => "caught",
            MarkKind::Retried => "retried",
            MarkKind::Wait => "wait",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// One marker: the event it sits on and what it says on hover.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub index: usize,
    pub kind: MarkKind,
    pub text: String,
}

/// The markers of a trace, in event order: every failure event (`…Failed`, `…TimedOut` with an error) told
/// apart by what followed it in its state (the same path: same branch, same iteration) — scheduled or
/// started again: retried; the state exited: caught; else failed — and every Wait state entered, with the
/// virtual time it waited.
pub fn markers(trace: &Trace) -> Vec<Marker> {
    let events = &trace.events;
    // For each event, the next event of the same state path.
    let mut next_same: Vec<Option<usize>> = vec![None; events.len()];
    let mut last: HashMap<&StatePath, usize> = HashMap::new();
    for (i, e) in events.iter().enumerate().rev() {
        if !e.path.0.is_empty() {
            next_same[i] = last.insert(&e.path, i);
        }
    }
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let next = next_same[i].map(|j| &events[j]);
        let after = |n: &TraceEvent| elapsed_text(n.timestamp.millis() - e.timestamp.millis());
        if e.is_state_entered() && e.event_type.starts_with("Wait") {
            let waited = next.map_or(String::new(), |n| format!(": {} of virtual time", after(n)));
            out.push(Marker {
                index: i,
                kind: MarkKind::Wait,
                text: format!("Event {}: Wait state {}{waited}", e.id, e.path),
            });
            continue;
        }
        let Some(error) = e.error() else { continue };
        if e.event_type.starts_with("MapIteration") {
            // The item's own state failure is marked where it happened.
            continue;
        }
        let cause = e.cause().map_or(String::new(), |c| {
            format!(" ({})", crate::trace::describe::shorten(c, 80))
        });
        let (kind, how) = if e.path.0.is_empty() {
            (MarkKind::Failed, "the execution ended".to_owned())
        } else {
            match next {
                Some(n) if n.is_state_exited() => (MarkKind::Caught, "caught".to_owned()),
                Some(n)
                    if n.event_type.ends_with("Scheduled") || n.event_type.ends_with("Started") =>
                {
                    (MarkKind::Retried, format!("retried after {}", after(n)))
                }
                _ => (MarkKind::Failed, "not caught".to_owned()),
            }
        };
        let place = if e.path.0.is_empty() {
            String::new()
        } else {
            format!(" in {}", e.path)
        };
        out.push(Marker {
            index: i,
            kind,
            text: format!(
                "Event {}: {}{place}: {error}{cause}, {how}",
                e.id, e.event_type
            ),
        });
    }
    out
}

/// A span of virtual time in words: `0 s`, `2.5 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`.
pub fn elapsed_text(ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    match s {
        _ if ms < 60_000 => {
            if ms % 1000 == 0 {
                format!("{s} s")
            } else {
                let t = format!("{:.3}", ms as f64 / 1000.0);
                format!("{} s", t.trim_end_matches('0'))
            }
        }
        _ if s < 3600 => two_units(s / 60, "min", s % 60, "s"),
        _ if s < 86_400 => two_units(s / 3600, "h", s % 3600 / 60, "min"),
        _ => two_units(s / 86_400, "d", s % 86_400 / 3600, "h"),
    }
}

fn two_units(a: i64, ua: &str, b: i64, ub: &str) -> String {
    if b == 0 {
        format!("{a} {ua}")
    } else {
        format!("{a} {ua} {b} {ub}")
    }
}

/// Where the timeline's track was last drawn (screen points): tests and tools find an event's x there.
#[derive(Clone, Copy, Debug)]
pub(super) struct Track {
    rect: Rect,
    len: usize,
}

impl Default for Track {
    fn default() -> Self {
        Track {
            rect: Rect::NOTHING,
            len: 0,
        }
    }
}

impl Track {
    fn x_of(&self, i: usize) -> f32 {
        let n = self.len.max(1) as f32;
        self.rect.left() + (i as f32 + 0.5) / n * self.rect.width()
    }

    fn index_at(&self, x: f32) -> usize {
        let n = self.len.max(1);
        let f = ((x - self.rect.left()) / self.rect.width() * n as f32).floor();
        (f.max(0.0) as usize).min(n - 1)
    }
}

impl App {
    /// The on-screen x of event `index` on the timeline (after the last frame), while a trace is shown.
    pub fn timeline_event_x(&self, index: usize) -> Option<f32> {
        let p = self.run.player.as_ref()?;
        (p.track.len > 0 && index < p.track.len).then(|| p.track.x_of(index))
    }

    /// The timeline's markers for the trace shown.
    pub fn timeline_markers(&self) -> &[Marker] {
        self.run.player.as_ref().map_or(&[], |p| &p.markers)
    }
}

/// Height of the strip (breakpoint row, track, time labels).
const STRIP_H: f32 = 50.0;

/// The timeline (a strip at the bottom of the canvas area) while a trace is shown.
pub fn timeline_ui(app: &mut App, ui: &mut egui::Ui) {
    if app.run.player.is_none() {
        return;
    }
    let mut cmds = Vec::new();
    egui::Panel::bottom("timeline")
        .resizable(false)
        .show(ui, |ui| {
            let run = &mut app.run;
            if let Some(p) = run.player.as_mut() {
                strip_ui(ui, p, &run.breakpoints, &mut cmds);
                legend_ui(ui);
            }
        });
    app.commands.extend(cmds.into_iter().map(Command::Run));
}

fn strip_ui(ui: &mut egui::Ui, p: &mut Player, bps: &Breakpoints, cmds: &mut Vec<RunCommand>) {
    let len = p.trace.events.len();
    let cursor = p.cursor.index();
    let (rect, resp) = ui.allocate_exact_size(
        Vec2::new(ui.available_width(), STRIP_H),
        Sense::click_and_drag(),
    );
    resp.widget_info(|| {
        egui::WidgetInfo::slider(true, cursor.map_or(0.0, |i| i as f64 + 1.0), "Timeline")
    });
    let track = Track {
        rect: Rect::from_min_max(
            pos2(rect.left() + 10.0, rect.top() + 12.0),
            pos2(rect.right() - 10.0, rect.top() + 32.0),
        ),
        len,
    };
    p.track = track;
    if len == 0 {
        return;
    }
    // Click or drag to seek.
    if (resp.is_pointer_button_down_on() || resp.clicked())
        && let Some(pos) = resp.interact_pointer_pos()
    {
        let i = track.index_at(pos.x);
        if Some(i) != cursor {
            cmds.push(RunCommand::Seek(Some(i)));
        }
    }
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let weak = visuals.weak_text_color();
    let tr = track.rect;
    painter.rect(
        tr,
        4.0,
        visuals.extreme_bg_color,
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
        StrokeKind::Inside,
    );
    if let Some(c) = cursor {
        let played = Rect::from_min_max(tr.min, pos2(track.x_of(c), tr.max.y));
        painter.rect_filled(played, 4.0, super::CURRENT.gamma_multiply(0.18));
    }
    // Markers: at most one of a kind per pixel column.
    let ctx = ui.ctx();
    let mut last_x = [f32::NEG_INFINITY; 4];
    for m in &p.markers {
        let x = track.x_of(m.index);
        let slot = m.kind.slot();
        if x - last_x[slot] < 2.0 {
            continue;
        }
        last_x[slot] = x;
        paint_mark(&painter, ctx, m.kind, pos2(x, mark_y(tr, m.kind)), 5.0);
    }
    // Breakpoint hits, above the track.
    let hits = p.hits(bps);
    let mut last = f32::NEG_INFINITY;
    for &i in hits {
        let x = track.x_of(i);
        if x - last >= 2.0 {
            breakpoints::dot(&painter, pos2(x, rect.top() + 5.5), 4.0);
            last = x;
        }
    }
    // The cursor.
    if let Some(c) = cursor {
        let x = track.x_of(c);
        painter.line_segment(
            [pos2(x, tr.top() - 3.0), pos2(x, tr.bottom() + 3.0)],
            Stroke::new(2.5, super::CURRENT),
        );
    }
    // Virtual time elapsed, at five places along the strip.
    let t0 = p.trace.events[0].timestamp.millis();
    let font = FontId::proportional(10.5);
    for k in 0..5 {
        let i = ((len - 1) * k + 2) / 4;
        let x = track.x_of(i);
        let align = match k {
            0 => Align2::LEFT_TOP,
            4 => Align2::RIGHT_TOP,
            _ => Align2::CENTER_TOP,
        };
        let x = match k {
            0 => tr.left(),
            4 => tr.right(),
            _ => x,
        };
        let t = p.trace.events[i].timestamp.millis() - t0;
        painter.text(
            pos2(x, tr.bottom() + 3.0),
            align,
            format!("#{} +{}", i + 1, elapsed_text(t)),
            font.clone(),
            weak,
        );
    }
    // Hover: the marker under the pointer, else the event there.
    if let Some(pos) = resp.hover_pos() {
        let text = hover_text(p, &track, pos.x);
        resp.on_hover_ui_at_pointer(|ui| {
            ui.label(text);
        });
    }
}

/// What hovering at `x` shows: the nearest marker or breakpoint hit within a few points, else the event.
fn hover_text(p: &Player, track: &Track, x: f32) -> String {
    let hits = p.last_hits();
    const NEAR: f32 = 6.0;
    let (lo, hi) = (track.index_at(x - NEAR), track.index_at(x + NEAR));
    let start = p.markers.partition_point(|m| m.index < lo);
    let end = p.markers.partition_point(|m| m.index <= hi);
    let dist = |i: usize| (track.x_of(i) - x).abs();
    let mut lines: Vec<String> = Vec::new();
    if let Some(m) = p.markers[start..end]
        .iter()
        .min_by(|a, b| dist(a.index).total_cmp(&dist(b.index)))
    {
        lines.push(m.text.clone());
    }
    let h0 = hits.partition_point(|&i| i < lo);
    if let Some(&i) = hits[h0..].iter().take_while(|&&i| i <= hi).next() {
        let e = &p.trace.events[i];
        lines.push(format!("Event {}: breakpoint on {}", e.id, e.path));
    }
    if lines.is_empty() {
        let i = track.index_at(x);
        let e = &p.trace.events[i];
        let t = e.timestamp.millis() - p.trace.events[0].timestamp.millis();
        let place = if e.path.0.is_empty() {
            String::new()
        } else {
            format!(" {}", e.path)
        };
        lines.push(format!(
            "Event {} of {}: {}{place} (+{})",
            i + 1,
            p.trace.events.len(),
            e.event_type,
            elapsed_text(t)
        ));
    }
    lines.join("\n")
}

/// Waits sit low on the track, failures in its middle.
fn mark_y(track: Rect, kind: MarkKind) -> f32 {
    match kind {
        MarkKind::Wait => track.bottom() - 5.0,
        _ => track.center().y - 1.0,
    }
}

/// The colour of a marker kind: the outcome colours for failures, the Wait state's accent for waits.
fn mark_color(ctx: &egui::Context, kind: MarkKind) -> Color32 {
    match kind {
        MarkKind::Failed => theme::outcome_color(ctx, Outcome::Failed),
        MarkKind::Caught => theme::outcome_color(ctx, Outcome::Caught),
        MarkKind::Retried => theme::outcome_color(ctx, Outcome::Retried),
        MarkKind::Wait => theme::accent(Some(StateType::Wait)),
    }
}

/// A marker's shape, centred at `c`: a diamond (failed), a triangle (caught), a circle (retried), a hollow
/// square (wait).
fn paint_mark(painter: &egui::Painter, ctx: &egui::Context, kind: MarkKind, c: Pos2, r: f32) {
    let color = mark_color(ctx, kind);
    let edge = Stroke::new(1.0, Color32::from_black_alpha(140));
    match kind {
        MarkKind::Failed => painter.add(Shape::convex_polygon(
            vec![
                c + Vec2::new(0.0, -r - 1.0),
                c + Vec2::new(r, 0.0),
                c + Vec2::new(0.0, r + 1.0),
                c + Vec2::new(-r, 0.0),
            ],
            color,
            edge,
        )),
        MarkKind::Caught => painter.add(Shape::convex_polygon(
            vec![
                c + Vec2::new(0.0, -r),
                c + Vec2::new(r, r * 0.8),
                c + Vec2::new(-r, r * 0.8),
            ],
            color,
            edge,
        )),
        MarkKind::Retried => painter.add(Shape::circle_filled(c, r * 0.8, color)),
        MarkKind::Wait => painter.add(Shape::rect_stroke(
            Rect::from_center_size(c, Vec2::splat(r * 1.4)),
            1.0,
            Stroke::new(2.0, color),
            StrokeKind::Inside,
        )),
    };
}

/// What the shapes mean, in one row under the strip.
fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        let ctx = ui.ctx().clone();
        for kind in MarkKind::ALL {
            let (r, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
            paint_mark(ui.painter(), &ctx, kind, r.center(), 5.0);
            ui.small(kind.name());
        }
        let (r, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
        breakpoints::dot(ui.painter(), r.center(), 4.0);
        ui.small("breakpoint");
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;
    use crate::sim::{SimConfig, TaskMocks, simulate};
    use serde_json::json;

    fn trace_with_mocks(
        asl: serde_json::Value,
        mocks: serde_json::Value,
        input: serde_json::Value,
    ) -> Trace {
        let doc = Document::parse_json(&asl.to_string()).unwrap();
        let config = SimConfig {
            mocks: TaskMocks::from_mock_config(&mocks, Some("m"), Some("t")).unwrap(),
            ..SimConfig::default()
        };
        simulate(&doc.machine, input, &config)
    }

    /// A Task that fails, is retried once (after 2 s), fails again and is caught; a 5 s Wait; a Parallel
    /// whose branch fails uncaught, failing the execution.
    fn sample() -> Trace {
        trace_with_mocks(
            json!({"StartAt": "Call", "States": {
                "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1, "IntervalSeconds": 2}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}], "Next": "W"},
                "Handle": {"Type": "Pass", "Next": "W"},
                "W": {"Type": "Wait", "Seconds": 5, "Next": "P"},
                "P": {"Type": "Parallel", "End": true, "Branches": [
                    {"StartAt": "Inner", "States": {"Inner": {"Type": "Task",
                        "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}]}}}),
            json!({"StateMachines": {"m": {"TestCases": {"t": {"Call": "R", "Inner": "X"}}}},
                "MockedResponses": {
                    "R": {"0-1": {"Throw": {"Error": "Boom", "Cause": "first"}}},
                    "X": {"0": {"Throw": {"Error": "Bad", "Cause": "inner"}}}}}),
            json!({}),
        )
    }

    #[test]
    fn failures_are_told_apart_by_what_followed() {
        let trace = sample();
        let ms = markers(&trace);
        let kinds: Vec<(MarkKind, &str, String)> = ms
            .iter()
            .map(|m| {
                let e = &trace.events[m.index];
                (m.kind, &*e.event_type, e.path.to_string())
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (MarkKind::Retried, "TaskFailed", "Call".to_owned()),
                (MarkKind::Caught, "TaskFailed", "Call".to_owned()),
                (MarkKind::Wait, "WaitStateEntered", "W".to_owned()),
                (
                    MarkKind::Failed,
                    "TaskFailed",
                    "P / branch 0 / Inner".to_owned()
                ),
                (MarkKind::Failed, "ParallelStateFailed", "P".to_owned()),
                (MarkKind::Failed, "ExecutionFailed", String::new()),
            ],
            "{:#?}",
            trace.event_types()
        );
        assert!(
            ms[0].text.ends_with("Boom (first), retried after 2 s"),
            "{}",
            ms[0].text
        );
        assert!(ms[1].text.ends_with(", caught"), "{}", ms[1].text);
        assert!(
            ms[2].text.ends_with("W: 5 s of virtual time"),
            "{}",
            ms[2].text
        );
        assert!(
            ms[3].text.contains("Bad (inner), not caught"),
            "{}",
            ms[3].text
        );
        assert!(ms.windows(2).all(|w| w[0].index < w[1].index));
    }

    #[test]
    fn a_clean_run_has_no_markers_and_a_map_failure_is_marked_once_per_item() {
        let ok = trace_with_mocks(
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}),
            json!({"StateMachines": {"m": {"TestCases": {"t": {}}}}, "MockedResponses": {}}),
            json!({}),
        );
        assert!(markers(&ok).is_empty());
        let map = trace_with_mocks(
            json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
                "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
                "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}},
                "Done": {"Type": "Succeed"}}}),
            json!({"StateMachines": {"m": {"TestCases": {"t": {"T": "X"}}}},
                "MockedResponses": {"X": {"0-1": {"Throw": {"Error": "Bad"}}}}}),
            json!({"items": [1, 2]}),
        );
        let ms = markers(&map);
        let inner: Vec<&Marker> = ms.iter().filter(|m| m.kind == MarkKind::Failed).collect();
        assert_eq!(inner.len(), 2, "{ms:#?}");
        for (m, item) in inner.iter().zip(["item 0", "item 1"]) {
            assert!(
                m.text.contains(&format!("in M / {item} / T: Bad")),
                "{}",
                m.text
            );
        }
        let caught: Vec<&Marker> = ms.iter().filter(|m| m.kind == MarkKind::Caught).collect();
        assert_eq!(caught.len(), 1, "{ms:#?}");
        assert_eq!(map.events[caught[0].index].event_type, "MapStateFailed");
        assert!(
            !ms.iter()
                .any(|m| map.events[m.index].event_type.starts_with("MapIteration")),
            "{ms:#?}"
        );
    }

    #[test]
    fn elapsed_times_read_in_words() {
        assert_eq!(elapsed_text(0), "0 s");
        assert_eq!(elapsed_text(2500), "2.5 s");
        assert_eq!(elapsed_text(5000), "5 s");
        assert_eq!(elapsed_text(200_000), "3 min 20 s");
        assert_eq!(elapsed_text(3_600_000), "1 h");
        assert_eq!(elapsed_text(7_500_000), "2 h 5 min");
        assert_eq!(elapsed_text(3 * 86_400_000 + 4 * 3_600_000), "3 d 4 h");
    }

    #[test]
    fn the_track_maps_events_to_pixels_and_back() {
        let t = Track {
            rect: Rect::from_min_max(pos2(10.0, 0.0), pos2(1010.0, 20.0)),
            len: 10_000,
        };
        for i in [0, 1, 4999, 9999] {
            assert_eq!(t.index_at(t.x_of(i)), i);
        }
        assert_eq!(t.index_at(-50.0), 0);
        assert_eq!(t.index_at(5000.0), 9999);
    }
}
