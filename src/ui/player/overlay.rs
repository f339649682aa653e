//! What the canvas paints over the diagram while a trace is loaded: visited states and the transitions taken,
//! coloured by outcome (succeeded, failed, caught, retried); the current state(s), pulsing; visit counts
//! (`×3`) on states a loop entered more than once; a Map's iteration counter; a Wait's virtual time; the
//! tokens travelling along the transitions just taken and one token per running Parallel branch. Only
//! vector shapes and glyphs of the bundled fonts.

use super::anim::RunOverlay;
use crate::asl::{EdgeKind, StateType};
use crate::trace::highlight::Outcome;
use crate::ui::canvas::text::CrispPainter;
use crate::ui::layout::{EdgeLayout, Layout, NodeLayout};
use crate::ui::theme;
use egui::{Align2, Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

/// Paints the run state over a node the canvas has just drawn: unvisited states dimmed, visited ones tinted
/// by outcome, the current one(s) ringed (pulsing while the player moves), and the badges.
pub(crate) fn paint_node_overlay(
    crisp: &CrispPainter,
    n: &NodeLayout,
    r: Rect,
    ov: &RunOverlay,
    dark: bool,
) {
    let painter = crisp.painter();
    let hl = &ov.hl;
    let container = !n.lanes.is_empty();
    let current = hl.current.contains(&n.path);
    let visited = hl.visited.contains(&n.path);
    let outcome = hl.outcomes.get(&n.path).copied();
    let shape = |fill: Color32, stroke: Stroke, grow: f32| -> Shape {
        let r = r.expand(grow);
        match n.state_type {
            Some(StateType::Choice) if !container => {
                Shape::convex_polygon(theme::choice_outline(r), fill, stroke)
            }
            Some(StateType::Succeed | StateType::Fail) if !container => {
                rounded(r, r.height() / 2.0, fill, stroke)
            }
            _ => rounded(r, if container { 10.0 } else { 8.0 }, fill, stroke),
        }
    };
    if current {
        // A running state that failed (and is not yet retried or caught) rings in its outcome's colour.
        let ring = match outcome {
            Some(o @ (Outcome::Failed | Outcome::Retried | Outcome::Caught)) => ov.color(o),
            _ => ov.current,
        };
        let p = ov.pulse;
        for (grow, alpha) in [(9.0, 40.0), (6.0, 70.0)] {
            painter.add(shape(
                Color32::TRANSPARENT,
                Stroke::new(3.0, ring.gamma_multiply(alpha / 255.0 * p)),
                grow + (1.0 - p) * 6.0,
            ));
        }
        painter.add(shape(
            if container {
                Color32::TRANSPARENT
            } else {
                ring.gamma_multiply(30.0 / 255.0)
            },
            Stroke::new(3.5, ring),
            3.0,
        ));
    } else if visited {
        let c = outcome.map_or(super::VISITED, |o| ov.color(o));
        let fill = if container {
            Color32::TRANSPARENT
        } else {
            c.gamma_multiply(if dark { 0.12 } else { 0.08 })
        };
        painter.add(shape(fill, Stroke::new(2.0, c), 0.0));
    } else if !container {
        // Not reached yet: veiled, less so in high contrast (a projector washes faint states out).
        let strong = theme::high_contrast(painter.ctx());
        let bg = match (dark, strong) {
            (true, false) => Color32::from_rgba_unmultiplied(27, 27, 27, 150),
            (true, true) => Color32::from_rgba_unmultiplied(27, 27, 27, 110),
            (false, false) => Color32::from_rgba_unmultiplied(248, 248, 248, 130),
            (false, true) => Color32::from_rgba_unmultiplied(248, 248, 248, 90),
        };
        painter.add(shape(bg, Stroke::NONE, 0.5));
    }
    if let Some(&k) = hl.visits.get(&n.path)
        && k > 1
    {
        let c = outcome.map_or(super::VISITED, |o| ov.color(o));
        let at = Pos2::new(r.right() - 8.0, r.bottom());
        pill(crisp, at, Align2::RIGHT_CENTER, &visit_label(k), c);
    }
    if let Some(m) = hl.maps.get(&n.path) {
        let text = match m.following {
            Some(i) => format!("item {} / {}", i + 1, m.total),
            None => format!("{} items", m.total),
        };
        let c = if m.picked {
            theme::SELECTED
        } else {
            theme::accent(Some(StateType::Map))
        };
        // On the top border, left of where the incoming transition arrives.
        let at = Pos2::new(r.center().x - 16.0, r.top());
        pill(crisp, at, Align2::RIGHT_CENTER, &text, c);
    }
    if let Some(w) = hl.waits.get(&n.path) {
        let mut elapsed = w.elapsed_ms as f64;
        if w.ends_at.is_some() && w.ends_at == ov.cursor.map(|i| i + 1) {
            elapsed += (w.total_ms as f64 - elapsed) * ov.towards_next as f64;
        }
        let frac = if w.total_ms > 0 {
            (elapsed / w.total_ms as f64).clamp(0.0, 1.0) as f32
        } else {
            1.0
        };
        let text = format!(
            "{} / {}",
            seconds_label(elapsed / 1000.0),
            seconds_label(w.total_ms as f64 / 1000.0)
        );
        let c = theme::accent(Some(StateType::Wait));
        let at = Pos2::new(r.left() + 8.0, r.bottom());
        let b = pill(
            crisp,
            at + Vec2::new(22.0, 0.0),
            Align2::LEFT_CENTER,
            &text,
            c,
        );
        progress_arc(
            painter,
            Pos2::new(at.x + 9.0, b.center().y),
            9.0,
            frac,
            c,
            dark,
        );
    }
}

/// `×3`: how many times a state was entered.
pub fn visit_label(k: usize) -> String {
    format!("\u{d7}{k}")
}

/// `12s`, `2m 30s`, `1h 5m`: a virtual duration for a Wait's clock.
pub fn seconds_label(secs: f64) -> String {
    let s = secs.floor().max(0.0) as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 if s.is_multiple_of(60) => format!("{}m", s / 60),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, (s % 3600) / 60),
    }
}

/// A filled pill with white text, anchored at `at`; returns its rectangle.
/// The text is laid out at its on-screen size, like all canvas text.
fn pill(crisp: &CrispPainter, at: Pos2, align: Align2, text: &str, fill: Color32) -> Rect {
    let galley = crisp.layout(text.to_owned(), &theme::badge_font(), Color32::WHITE);
    let size = Vec2::new(galley.size().x + 12.0, 18.0);
    let b = align.anchor_size(at, size);
    crisp.painter().rect_filled(b, 9.0, fill);
    crisp.galley(
        Pos2::new(b.min.x + 6.0, b.center().y - galley.size().y / 2.0),
        galley,
        Color32::WHITE,
    );
    b
}

/// A clock: a disc with an arc filled clockwise from the top to `frac`.
fn progress_arc(
    painter: &egui::Painter,
    c: Pos2,
    radius: f32,
    frac: f32,
    color: Color32,
    dark: bool,
) {
    let bg = if dark {
        Color32::from_gray(40)
    } else {
        Color32::WHITE
    };
    painter.circle(c, radius, bg, Stroke::new(1.5, color));
    if frac <= 0.0 {
        return;
    }
    let steps = (frac * 32.0).ceil().max(1.0) as usize;
    let mut pts = vec![c];
    for k in 0..=steps {
        let a =
            -std::f32::consts::FRAC_PI_2 + std::f32::consts::TAU * frac * k as f32 / steps as f32;
        pts.push(c + Vec2::angled(a) * (radius - 2.5));
    }
    // A fan of triangles (the sector is not convex beyond half a turn).
    for w in pts[1..].windows(2) {
        painter.add(Shape::convex_polygon(
            vec![c, w[0], w[1]],
            color,
            Stroke::NONE,
        ));
    }
}

/// The current state's ring.
pub const CURRENT: Color32 = Color32::from_rgb(0x1f, 0x8f, 0xff);
/// Visited states and taken transitions whose outcome is not known yet.
pub const VISITED: Color32 = Color32::from_rgb(0x2e, 0xa0, 0x43);

/// Repaints a transition the run took, over the edge the canvas drew, in its outcome's colour (a Catch
/// transition is Caught).
pub fn paint_edge_overlay(painter: &egui::Painter, e: &EdgeLayout, off: Vec2, ov: &RunOverlay) {
    let key = (e.from.clone(), e.to.clone());
    if !ov.hl.edges.contains(&key) {
        return;
    }
    let color = if matches!(e.kind, EdgeKind::Catch(_)) {
        ov.color(Outcome::Caught)
    } else {
        ov.hl
            .edge_outcomes
            .get(&key)
            .map_or(super::VISITED, |o| ov.color(*o))
    };
    let pts: Vec<Pos2> = e.points.iter().map(|p| theme::pos(*p) + off).collect();
    if pts.len() < 2 {
        return;
    }
    painter.add(Shape::line(pts.clone(), Stroke::new(3.5, color)));
    let tip = pts[pts.len() - 1];
    let dir = (tip - pts[pts.len() - 2]).normalized();
    let nrm = Vec2::new(-dir.y, dir.x);
    painter.add(Shape::convex_polygon(
        vec![
            tip,
            tip - dir * 11.0 + nrm * 6.0,
            tip - dir * 11.0 - nrm * 6.0,
        ],
        color,
        Stroke::NONE,
    ));
}

/// Paints the tokens: one travelling along each transition just taken, and one resting on the state of each
/// running Parallel branch that has none travelling to it.
pub fn paint_tokens(painter: &egui::Painter, layout: &Layout, ov: &RunOverlay, dark: bool) {
    let rim = if dark {
        Color32::from_gray(20)
    } else {
        Color32::WHITE
    };
    let token = |at: Pos2, fill: Color32| {
        painter.circle(at, 7.0, fill, Stroke::new(2.0, rim));
    };
    for (t, progress) in &ov.tokens {
        let catch = t.outcome == Outcome::Caught;
        let edge = layout
            .edges
            .iter()
            .filter(|e| e.from == t.from && e.to == t.to)
            .min_by_key(|e| matches!(e.kind, EdgeKind::Catch(_)) != catch);
        let Some(e) = edge else {
            continue;
        };
        let pts: Vec<Pos2> = e.points.iter().map(|p| theme::pos(*p)).collect();
        if let Some(at) = along(&pts, ease(*progress)) {
            let fill = if catch {
                ov.color(Outcome::Caught)
            } else {
                ov.current
            };
            token(at, fill);
        }
    }
    for b in &ov.hl.branches {
        if ov.tokens.iter().any(|(t, _)| t.to == b.at) {
            continue;
        }
        if let Some(n) = layout.nodes.iter().find(|n| n.path == b.at) {
            let r = theme::rect(n.rect);
            let fill = if b.started {
                ov.current
            } else {
                ov.current.gamma_multiply(0.5)
            };
            token(r.center_top(), fill);
        }
    }
}

/// Smooth start and stop.
fn ease(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}

/// The point a fraction `t` of the way along a polyline.
fn along(pts: &[Pos2], t: f32) -> Option<Pos2> {
    let total: f32 = pts.windows(2).map(|w| w[0].distance(w[1])).sum();
    let first = *pts.first()?;
    if total <= 0.0 {
        return Some(first);
    }
    let mut left = total * t.clamp(0.0, 1.0);
    for w in pts.windows(2) {
        let d = w[0].distance(w[1]);
        if left <= d && d > 0.0 {
            return Some(w[0] + (w[1] - w[0]) * (left / d));
        }
        left -= d;
    }
    pts.last().copied()
}

/// A rounded rectangle with fill and outline.
fn rounded(r: Rect, radius: f32, fill: Color32, stroke: Stroke) -> Shape {
    Shape::Rect(egui::epaint::RectShape::new(
        r,
        radius,
        fill,
        stroke,
        StrokeKind::Outside,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_moves_along_the_polyline() {
        let pts = [
            Pos2::new(0.0, 0.0),
            Pos2::new(10.0, 0.0),
            Pos2::new(10.0, 10.0),
        ];
        assert_eq!(along(&pts, 0.0), Some(pts[0]));
        assert_eq!(along(&pts, 0.25), Some(Pos2::new(5.0, 0.0)));
        assert_eq!(along(&pts, 0.75), Some(Pos2::new(10.0, 5.0)));
        assert_eq!(along(&pts, 1.0), Some(pts[2]));
        assert_eq!(along(&[], 0.5), None);
        assert_eq!((ease(0.0), ease(0.5), ease(1.0)), (0.0, 0.5, 1.0));
    }

    #[test]
    fn wait_clock_labels() {
        assert_eq!(seconds_label(0.0), "0s");
        assert_eq!(seconds_label(12.7), "12s");
        assert_eq!(seconds_label(120.0), "2m");
        assert_eq!(seconds_label(150.0), "2m 30s");
        assert_eq!(seconds_label(3900.0), "1h 5m");
        assert_eq!(visit_label(3), "\u{d7}3");
    }
}
