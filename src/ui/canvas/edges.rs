//! Painting transitions (edges), and the geometry the drop targets share with them.

use crate::asl::EdgeKind;
use crate::ui::layout::EdgeLayout;
use crate::ui::theme;
use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

/// The part of the segment `a`–`b` inside `r` (Liang–Barsky), if any.
pub(super) fn clip_segment(a: Pos2, b: Pos2, r: Rect) -> Option<(Pos2, Pos2)> {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (p, q) in [
        (-d.x, a.x - r.left()),
        (d.x, r.right() - a.x),
        (-d.y, a.y - r.top()),
        (d.y, r.bottom() - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then(|| (a + d * t0, a + d * t1))
}

pub(super) fn draw_edge(
    crisp: &super::text::CrispPainter,
    e: &EdgeLayout,
    off: Vec2,
    visible: Rect,
    ink: &theme::Ink,
) {
    let painter = crisp.painter();
    let pts: Vec<Pos2> = e.points.iter().map(|p| theme::pos(*p) + off).collect();
    if pts.len() < 2 {
        return;
    }
    let (color, dashed) = edge_style(e, ink);
    let stroke = Stroke::new(ink.edge_width, color);
    if dashed {
        // Dashes only where they can be seen: a catch edge may run the length of a big diagram.
        let area = visible.expand(20.0);
        for w in pts.windows(2) {
            if let Some((a, b)) = clip_segment(w[0], w[1], area) {
                painter.extend(Shape::dashed_line(&[a, b], stroke, 6.0, 4.0));
            }
        }
    } else {
        painter.add(Shape::line(pts.clone(), stroke));
    }
    let tip = pts[pts.len() - 1];
    let dir = (tip - pts[pts.len() - 2]).normalized();
    let n = Vec2::new(-dir.y, dir.x);
    painter.add(Shape::convex_polygon(
        vec![tip, tip - dir * 9.0 + n * 4.5, tip - dir * 9.0 - n * 4.5],
        color,
        Stroke::NONE,
    ));
}

/// An edge's colour, and whether it is dashed (a Catch).
fn edge_style(e: &EdgeLayout, ink: &theme::Ink) -> (Color32, bool) {
    match e.kind {
        EdgeKind::Catch(_) => (theme::CATCH_COLOR, true),
        EdgeKind::Default => (ink.default, false),
        EdgeKind::Choice(_) => (ink.choice, false),
        EdgeKind::Next => (ink.next, false),
    }
}

/// Paints an edge's label box (Choice rule, Default, Catch errors). Called after every edge line is drawn,
/// so no other edge's line runs over a label's text.
pub(super) fn draw_edge_label(
    crisp: &super::text::CrispPainter,
    e: &EdgeLayout,
    off: Vec2,
    ink: &theme::Ink,
) {
    let painter = crisp.painter();
    let (color, _) = edge_style(e, ink);
    if let (Some(label), Some(p)) = (&e.label, e.label_pos) {
        // The text the layout made room for.
        let text = crate::layout::summary::label_text(label);
        let galley = crisp.layout(text, &theme::small_font(), color);
        let r = Rect::from_center_size(theme::pos(p) + off, galley.size() + Vec2::new(8.0, 4.0));
        let bg = if ink.dark {
            Color32::from_gray(30)
        } else {
            Color32::from_gray(252)
        };
        painter.rect(
            r,
            4.0,
            bg,
            Stroke::new(1.0, theme::lerp(bg, color, 0.5)),
            StrokeKind::Inside,
        );
        crisp.galley(r.min + Vec2::new(4.0, 2.0), galley, ink.weak);
    }
}

/// Distance from `p` to the segment `a`–`b`.
pub(super) fn dist_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() == 0.0 {
        0.0
    } else {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    };
    (a + ab * t - p).length()
}
