//! Pointer interaction on the canvas: click and shift-click selection, the rubber band, moving states,
//! dragging a connection from a state's handle.

use super::nodes::catch_handle_pos;
use super::{CATCH_HANDLE, HANDLE_RADIUS};
use crate::asl::StateType;
use crate::edit::ConnectKind;
use crate::ui::app::{App, Command};
use crate::ui::layout::NodeLayout;
use crate::ui::theme;
use egui::{Color32, Pos2, Rect, Sense, Stroke, StrokeKind, Vec2};

/// Whether this frame's click had Shift held (the modifiers of the release event count: a click may
/// press and release Shift within one frame).
pub(super) fn shift_click(ui: &egui::Ui) -> bool {
    ui.input(|i| {
        i.modifiers.shift
            || i.events.iter().any(|e| {
                matches!(e, egui::Event::PointerButton { pressed: false, modifiers, .. } if modifiers.shift)
            })
    })
}

/// Shift-drag on the empty canvas: draws the band; on release selects every state whose box it touches
/// (a container by its header).
pub(super) fn rubber_band(app: &mut App, ui: &egui::Ui, bg: &egui::Response, shift: bool) {
    let inv = app.canvas.to_global.inverse();
    if bg.drag_started() && shift && app.canvas.connecting.is_none() {
        let origin = ui.input(|i| i.pointer.press_origin());
        app.canvas.band = origin.map(|p| inv * p);
    }
    let Some(start) = app.canvas.band else {
        return;
    };
    let Some(now) = ui.ctx().pointer_latest_pos() else {
        return;
    };
    let band = Rect::from_two_pos(start, inv * now);
    let screen = app.canvas.to_global * band;
    let painter = ui.painter_at(app.canvas.viewport);
    painter.rect(
        screen,
        2.0,
        theme::SELECTED.gamma_multiply(0.12),
        Stroke::new(1.5, theme::SELECTED),
        StrokeKind::Inside,
    );
    if bg.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
        app.canvas.band = None;
        let names: Vec<String> = app
            .layout
            .nodes
            .iter()
            .filter(|n| {
                let r = theme::rect(n.rect);
                let r = if n.lanes.is_empty() {
                    r
                } else {
                    Rect::from_min_size(r.min, Vec2::new(r.width(), 30.0))
                };
                r.intersects(band)
            })
            .map(|n| n.name.clone())
            .collect();
        app.push(Command::SelectMany(names));
    }
}

/// The innermost leaf or container under a point (graph units).
pub(super) fn node_at(layout: &crate::ui::layout::Layout, p: Pos2) -> Option<String> {
    layout
        .nodes
        .iter()
        .filter(|n| theme::rect(n.rect).contains(p))
        .max_by_key(|n| (n.depth, n.lanes.is_empty()))
        .map(|n| n.name.clone())
}

pub(super) fn node_interaction(app: &mut App, ui: &mut egui::Ui, n: &NodeLayout, r: Rect) {
    let id = ui.make_persistent_id(("node", &n.name));
    let resp = ui.interact(r, id, Sense::click_and_drag());
    let name = n.name.clone();
    let selected = app.is_selected(&n.name);
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    // A name or summary drawn shortened (only absurdly long ones are) is shown in full on hover.
    let resp = if n.text_elided {
        resp.on_hover_text(format!("{}\n{}", n.name, n.summary))
    } else {
        resp
    };
    if resp.clicked() {
        if shift_click(ui) {
            app.push(Command::ToggleSelect(n.name.clone()));
        } else {
            app.push(Command::Select(Some(n.name.clone())));
        }
    }
    resp.context_menu(|ui| node_menu(app, ui, n));
    if resp.drag_started() && !selected {
        app.push(Command::Select(Some(n.name.clone())));
    }
    if resp.dragged() && app.canvas.connecting.is_none() {
        let d = resp.drag_delta();
        match &mut app.canvas.moving {
            Some((names, off)) if names.first() == Some(&n.name) => *off += d,
            _ => {
                // Dragging a selected state moves the whole selection.
                let mut names = vec![n.name.clone()];
                if selected {
                    names.extend(app.selected().into_iter().filter(|s| *s != n.name));
                }
                app.canvas.moving = Some((names, d));
            }
        }
    }
    if resp.drag_stopped()
        && let Some((names, off)) = app.canvas.moving.take()
        && names.first() == Some(&n.name)
    {
        app.canvas.moved = Some((names, off));
    }
    let show = resp.hovered() || selected || app.canvas.connecting.is_some();
    if !show || app.canvas.moving.is_some() {
        return;
    }
    // Output handle.
    let has_out = n
        .state_type
        .is_none_or(|t| !matches!(t, StateType::Succeed | StateType::Fail));
    if has_out {
        let c = if n.lanes.is_empty() {
            r.center_bottom()
        } else {
            theme::rect(n.rect).center_bottom()
        };
        let hr = Rect::from_center_size(c, Vec2::splat(HANDLE_RADIUS * 2.5));
        let hid = ui.make_persistent_id(("handle", &n.name));
        let h = ui.interact(hr, hid, Sense::drag());
        let label = format!("Connect from {}", n.name);
        h.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let color = if h.hovered() {
            theme::SELECTED
        } else {
            theme::accent(n.state_type)
        };
        ui.painter()
            .circle(c, HANDLE_RADIUS, Color32::WHITE, Stroke::new(2.0, color));
        if h.drag_started() {
            app.canvas.connecting = Some((n.name.clone(), ConnectKind::Auto));
        }
    }
    // Catch handle: states that may have `Catch` (Task, Parallel, Map).
    if matches!(
        n.state_type,
        Some(StateType::Task | StateType::Parallel | StateType::Map)
    ) {
        let c = catch_handle_pos(n);
        let hr = Rect::from_center_size(c, Vec2::splat(HANDLE_RADIUS * 2.5));
        let hid = ui.make_persistent_id(("catch handle", &n.name));
        let h = ui.interact(hr, hid, Sense::drag());
        let label = format!("Add catcher from {}", n.name);
        h.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let fill = if h.hovered() {
            CATCH_HANDLE
        } else {
            Color32::WHITE
        };
        ui.painter()
            .circle(c, HANDLE_RADIUS, fill, Stroke::new(2.0, CATCH_HANDLE));
        if h.drag_started() {
            app.canvas.connecting = Some((n.name.clone(), ConnectKind::Catch));
        }
    }
}

/// A state's context menu (right-click on the canvas).
fn node_menu(app: &mut App, ui: &mut egui::Ui, n: &NodeLayout) {
    let label = if app.run.breakpoints.contains(&n.path) {
        "Remove breakpoint"
    } else {
        "Add breakpoint"
    };
    if ui
        .add(egui::Button::new(label).shortcut_text("F9"))
        .on_hover_text("Play stops when this state is entered")
        .clicked()
    {
        app.push(Command::Run(
            crate::ui::player::RunCommand::ToggleBreakpoint(n.path.clone()),
        ));
        ui.close();
    }
}
