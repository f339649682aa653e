//! Palette drops: what lies under the pointer (an edge to insert into, a lane to nest into, free space) and
//! the edit a drop makes.

use super::edges::dist_to_segment;
use crate::asl::EdgeKind;
use crate::edit::{Op, Scope};
use crate::ui::app::{App, Command};
use crate::ui::palette::PaletteItem;
use crate::ui::theme;
use egui::{Pos2, Stroke, Vec2};

/// Where a palette item dropped at `p` (graph units) goes: onto an edge (insert), into a lane, or free.
pub enum DropTarget {
    Edge {
        scope: Scope,
        from: String,
        kind: EdgeKind,
    },
    Scope(Scope),
}

pub fn drop_target(app: &App, p: Pos2) -> DropTarget {
    let m = app.editor.machine();
    let nearest = app
        .layout
        .edges
        .iter()
        .filter_map(|e| {
            let d = e
                .points
                .windows(2)
                .map(|w| dist_to_segment(p, theme::pos(w[0]), theme::pos(w[1])))
                .fold(f32::MAX, f32::min);
            (d < 12.0).then_some((d, e))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((_, e)) = nearest
        && let Some(from) = e.from.last()
        && let Some(scope) = crate::edit::find_scope(m, from)
    {
        return DropTarget::Edge {
            scope,
            from: from.clone(),
            kind: e.kind,
        };
    }
    // The innermost lane containing the point.
    let mut best: Option<(usize, Scope)> = None;
    for n in &app.layout.nodes {
        for (i, lane) in n.lanes.iter().enumerate() {
            if theme::rect(*lane).contains(p) && best.as_ref().is_none_or(|(d, _)| n.depth >= *d) {
                let owner_scope = crate::edit::find_scope(m, &n.name).unwrap_or_default();
                best = Some((n.depth, owner_scope.child(&n.name, i)));
            }
        }
    }
    DropTarget::Scope(best.map(|(_, s)| s).unwrap_or_default())
}

/// Adds the state a palette item stands for at `p` (graph units).
pub fn drop_item(app: &mut App, item: &PaletteItem, p: Pos2) {
    let template = item.template();
    match drop_target(app, p) {
        DropTarget::Edge { scope, from, kind } => {
            app.push(Command::Edit(Op::InsertIntoEdge {
                scope,
                from: Some(from),
                kind,
                template,
            }));
        }
        DropTarget::Scope(scope) => {
            let m = app.editor.machine();
            let name = match item.base_name() {
                Some(b) => crate::edit::unique_name(m, b, &[]),
                None => crate::edit::default_name(m, template.state_type(), &[]),
            };
            let free = scope.is_root();
            let add = Op::AddState {
                scope,
                template,
                name: Some(name.clone()),
            };
            // A state dropped in free space stays where it was dropped: adding and pinning it are one
            // undoable step.
            app.push(Command::Edit(if free {
                Op::Group(vec![
                    add,
                    Op::Pin {
                        name,
                        at: Some(theme::point(p - Vec2::new(100.0, 29.0))),
                    },
                ])
            } else {
                add
            }));
        }
    }
}

pub(super) fn handle_palette_drop(app: &mut App, ui: &egui::Ui) {
    if !egui::DragAndDrop::has_payload_of_type::<PaletteItem>(ui.ctx()) {
        return;
    }
    let Some(pos) = ui.ctx().pointer_latest_pos() else {
        return;
    };
    let canvas = ui.min_rect();
    if !canvas.contains(pos) {
        return;
    }
    let p = app.canvas.to_global.inverse() * pos;
    if ui.input(|i| i.pointer.any_released())
        && let Some(item) = egui::DragAndDrop::take_payload::<PaletteItem>(ui.ctx())
    {
        drop_item(app, &item, p);
    } else {
        // Preview where it would land.
        let painter = ui.painter();
        painter.circle_stroke(pos, 10.0, Stroke::new(2.0, theme::SELECTED));
    }
}
