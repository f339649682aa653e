//! Palette drops: what lies under the pointer (an edge to insert into, a lane to nest into, free space), its
//! highlight while dragging, and the edit a drop makes.
//!
//! Forgiving by design: an edge is hit within [`EDGE_HIT_PX`] screen points at any zoom, and a drop in free
//! space never lands on top of an existing state (the new state goes to the nearest free spot, which the
//! preview shows).

use super::edges::dist_to_segment;
use crate::asl::EdgeKind;
use crate::edit::{Op, Scope};
use crate::ui::app::{App, Command};
use crate::ui::layout::{self, NODE_H, NODE_W, Size};
use crate::ui::palette::PaletteItem;
use crate::ui::theme;
use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind};

/// How close the pointer must come to an edge, in screen points whatever the zoom, for a drop to insert
/// into it.
pub const EDGE_HIT_PX: f32 = 14.0;
/// The room kept between a state dropped in free space and the others (graph units).
const DROP_GAP: f32 = 16.0;

/// Where a palette item dropped at a point goes.
#[derive(Clone, Debug, PartialEq)]
pub enum DropTarget {
    /// Inserted into the transition `edge` (an index into the layout's edges).
    Edge {
        scope: Scope,
        from: String,
        kind: EdgeKind,
        edge: usize,
    },
    /// Added to a Parallel branch or the Map body whose rectangle (graph units) is `lane`.
    Lane { scope: Scope, lane: Rect },
    /// Added at the top level with its box's top-left corner at `at` (graph units), clear of every state.
    Free { at: Pos2 },
}

/// The drop target at `p` (graph units).
pub fn drop_target(app: &App, p: Pos2) -> DropTarget {
    let m = app.editor.machine();
    let nodes = &app.layout.nodes;
    // On a state's box the user means the space there, not an edge that ends at its border.
    let on_state = nodes
        .iter()
        .any(|n| n.lanes.is_empty() && theme::rect(n.rect).contains(p));
    let reach = EDGE_HIT_PX / app.canvas.zoom().max(f32::EPSILON);
    let nearest = app
        .layout
        .edges
        .iter()
        .enumerate()
        .filter(|_| !on_state)
        .filter_map(|(i, e)| {
            let d = e
                .points
                .windows(2)
                .map(|w| dist_to_segment(p, theme::pos(w[0]), theme::pos(w[1])))
                .fold(f32::MAX, f32::min);
            (d <= reach).then_some((d, i))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, i)) = nearest {
        let e = &app.layout.edges[i];
        if let Some(from) = e.from.last()
            && let Some(scope) = crate::edit::find_scope(m, from)
        {
            return DropTarget::Edge {
                scope,
                from: from.clone(),
                kind: e.kind,
                edge: i,
            };
        }
    }
    // The innermost lane containing the point.
    let mut best: Option<(usize, Scope, Rect)> = None;
    for n in nodes {
        for (i, lane) in n.lanes.iter().enumerate() {
            let lane = theme::rect(*lane);
            if lane.contains(p) && best.as_ref().is_none_or(|(d, _, _)| n.depth >= *d) {
                let owner_scope = crate::edit::find_scope(m, &n.name).unwrap_or_default();
                best = Some((n.depth, owner_scope.child(&n.name, i), lane));
            }
        }
    }
    if let Some((_, scope, lane)) = best {
        return DropTarget::Lane { scope, lane };
    }
    let want = layout::Rect::from_center_size(theme::point(p), Size::new(NODE_W, NODE_H));
    let taken: Vec<layout::Rect> = nodes.iter().map(|n| n.rect).collect();
    DropTarget::Free {
        at: theme::pos(layout::nearest_free_spot(want, &taken, DROP_GAP)),
    }
}

/// Adds the state a palette item stands for at `target`.
pub fn drop_item(app: &mut App, item: &PaletteItem, target: DropTarget) {
    match target {
        DropTarget::Edge {
            scope, from, kind, ..
        } => {
            app.push(Command::Edit(Op::InsertIntoEdge {
                scope,
                from: Some(from),
                kind,
                template: item.template(),
            }));
        }
        DropTarget::Lane { scope, .. } => add_state(app, item, scope, None),
        DropTarget::Free { at } => add_state(app, item, Scope::root(), Some(at)),
    }
}

/// Adds a new state for `item` to `scope`, pinned at `at` (top-left, graph units) when given.
fn add_state(app: &mut App, item: &PaletteItem, scope: Scope, at: Option<Pos2>) {
    let template = item.template();
    let m = app.editor.machine();
    let name = match item.base_name() {
        Some(b) => crate::edit::unique_name(m, b, &[]),
        None => crate::edit::default_name(m, template.state_type(), &[]),
    };
    let add = Op::AddState {
        scope,
        template,
        name: Some(name.clone()),
    };
    // A state dropped in free space stays where it was dropped: adding and pinning it are one undoable
    // step.
    app.push(Command::Edit(match at {
        Some(at) => Op::Group(vec![
            add,
            Op::Pin {
                name,
                at: Some(theme::point(at)),
            },
        ]),
        None => add,
    }));
}

/// While a palette item is dragged over the canvas: highlights where it would go, and drops it on release.
/// Runs inside the Scene, after the diagram is painted (so the highlight is on top), in graph units.
pub(super) fn handle_palette_drop(app: &mut App, ui: &egui::Ui, painter: &egui::Painter) {
    app.canvas.drop_preview = None;
    if !egui::DragAndDrop::has_payload_of_type::<PaletteItem>(ui.ctx()) {
        return;
    }
    let Some(screen) = ui.ctx().pointer_latest_pos() else {
        return;
    };
    if !app.canvas.viewport.contains(screen) {
        return;
    }
    let p = app.canvas.to_global.inverse() * screen;
    let target = drop_target(app, p);
    if ui.input(|i| i.pointer.any_released())
        && let Some(item) = egui::DragAndDrop::take_payload::<PaletteItem>(ui.ctx())
    {
        drop_item(app, &item, target);
    } else {
        paint_target(app, painter, &target, p);
        app.canvas.drop_preview = Some(target);
    }
}

/// The highlight of a drop target: the edge or lane glows, or the new state's box is outlined where it
/// will land. Line widths are in screen points (divided by the zoom).
fn paint_target(app: &App, painter: &egui::Painter, target: &DropTarget, p: Pos2) {
    let px = 1.0 / app.canvas.zoom().max(f32::EPSILON);
    let accent = theme::SELECTED;
    let glow = Color32::from_rgba_unmultiplied(0xff, 0xa5, 0x00, 70);
    match target {
        DropTarget::Edge { edge, .. } => {
            let Some(e) = app.layout.edges.get(*edge) else {
                return;
            };
            let pts: Vec<Pos2> = e.points.iter().map(|q| theme::pos(*q)).collect();
            painter.add(Shape::line(
                pts.clone(),
                Stroke::new(EDGE_HIT_PX * px, glow),
            ));
            painter.add(Shape::line(pts, Stroke::new(3.0 * px, accent)));
            painter.circle_filled(p, 5.0 * px, accent);
        }
        DropTarget::Lane { lane, .. } => {
            painter.rect(
                *lane,
                6.0,
                Color32::from_rgba_unmultiplied(0xff, 0xa5, 0x00, 28),
                Stroke::new(3.0 * px, accent),
                StrokeKind::Inside,
            );
        }
        DropTarget::Free { at } => {
            let r = Rect::from_min_size(*at, egui::vec2(NODE_W, NODE_H));
            painter.rect(
                r,
                8.0,
                Color32::from_rgba_unmultiplied(0xff, 0xa5, 0x00, 36),
                Stroke::new(2.0 * px, accent),
                StrokeKind::Inside,
            );
        }
    }
}
