//! What the canvas paints over the diagram while a trace is loaded: visited and current states, the
//! transitions taken.

use crate::asl::StateType;
use crate::trace::highlight::RunHighlight;
use crate::ui::layout::{EdgeLayout, NodeLayout};
use crate::ui::theme;
use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

/// Paints the run state over a node the canvas has just drawn: unvisited states dimmed, visited ones tinted,
/// the current one(s) ringed.
pub fn paint_node_overlay(
    painter: &egui::Painter,
    n: &NodeLayout,
    r: Rect,
    hl: &RunHighlight,
    dark: bool,
) {
    let container = !n.lanes.is_empty();
    let current = hl.current.contains(&n.path);
    let visited = hl.visited.contains(&n.path);
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
        for (grow, alpha) in [(9.0, 40), (6.0, 70)] {
            painter.add(shape(
                Color32::TRANSPARENT,
                Stroke::new(
                    3.0,
                    Color32::from_rgba_unmultiplied(0x1f, 0x8f, 0xff, alpha),
                ),
                grow,
            ));
        }
        painter.add(shape(
            if container {
                Color32::TRANSPARENT
            } else {
                Color32::from_rgba_unmultiplied(0x1f, 0x8f, 0xff, 30)
            },
            Stroke::new(3.5, CURRENT),
            3.0,
        ));
    } else if visited {
        if !container {
            painter.add(shape(VISITED_FILL, Stroke::new(2.0, VISITED), 0.0));
        } else {
            painter.add(shape(Color32::TRANSPARENT, Stroke::new(2.0, VISITED), 0.0));
        }
    } else if !container {
        let bg = if dark {
            Color32::from_rgba_unmultiplied(27, 27, 27, 150)
        } else {
            Color32::from_rgba_unmultiplied(248, 248, 248, 160)
        };
        painter.add(shape(bg, Stroke::NONE, 0.5));
    }
}

/// The current state's ring.
pub const CURRENT: Color32 = Color32::from_rgb(0x1f, 0x8f, 0xff);
/// Visited states and taken transitions.
pub const VISITED: Color32 = Color32::from_rgb(0x2e, 0xa0, 0x43);
const VISITED_FILL: Color32 = Color32::from_rgba_premultiplied(0x05, 0x14, 0x08, 0x20);

/// Repaints a transition the run took, over the edge the canvas drew.
pub fn paint_edge_overlay(painter: &egui::Painter, e: &EdgeLayout, off: Vec2, hl: &RunHighlight) {
    if !hl.edges.contains(&(e.from.clone(), e.to.clone())) {
        return;
    }
    let pts: Vec<Pos2> = e.points.iter().map(|p| theme::pos(*p) + off).collect();
    if pts.len() < 2 {
        return;
    }
    painter.add(Shape::line(pts.clone(), Stroke::new(3.5, VISITED)));
    let tip = pts[pts.len() - 1];
    let dir = (tip - pts[pts.len() - 2]).normalized();
    let nrm = Vec2::new(-dir.y, dir.x);
    painter.add(Shape::convex_polygon(
        vec![
            tip,
            tip - dir * 11.0 + nrm * 6.0,
            tip - dir * 11.0 - nrm * 6.0,
        ],
        VISITED,
        Stroke::NONE,
    ));
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
