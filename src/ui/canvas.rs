//! The diagram: `egui::Scene` pan/zoom; paints containers, edges, nodes and markers with the `Painter`;
//! turns clicks, drags and palette drops into [`Command`]s.

use super::app::{App, Command};
use super::layout::{EdgeLayout, MarkerKind, NodeLayout};
use super::palette::PaletteItem;
use super::theme;
use crate::asl::{EdgeKind, StateType};
use crate::edit::{ConnectKind, Op, Scope};
use egui::{
    Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2, emath::TSTransform,
};

/// View state of the canvas kept between frames.
#[derive(Clone, Debug)]
pub struct CanvasState {
    pub scene_rect: Rect,
    to_global: TSTransform,
    /// A node being moved: its name and the offset so far.
    moving: Option<(String, Vec2)>,
    /// A connection being drawn from a node's output handle.
    connecting: Option<String>,
}

impl Default for CanvasState {
    fn default() -> Self {
        CanvasState {
            scene_rect: Rect::ZERO,
            to_global: TSTransform::IDENTITY,
            moving: None,
            connecting: None,
        }
    }
}

impl CanvasState {
    pub fn fit_next_frame(&mut self) {
        self.scene_rect = Rect::ZERO;
    }

    pub fn to_screen(&self, r: Rect) -> Rect {
        self.to_global * r
    }
}

const HANDLE_RADIUS: f32 = 6.0;

pub fn canvas_ui(app: &mut App, ui: &mut egui::Ui) {
    let bounds = theme::rect(app.layout.bounds).expand(40.0);
    if app.canvas.scene_rect == Rect::ZERO || !app.canvas.scene_rect.is_finite() {
        app.canvas.scene_rect = bounds;
    }
    let mut scene_rect = app.canvas.scene_rect;
    let dark = ui.visuals().dark_mode;
    let background = ui.interact(
        ui.available_rect_before_wrap(),
        ui.make_persistent_id("canvas_bg"),
        Sense::hover(),
    );
    let _ = background;
    let response = egui::Scene::new()
        .zoom_range(0.1..=2.5)
        .show(ui, &mut scene_rect, |ui| {
            ui.allocate_rect(bounds, Sense::hover());
            if let Some(t) = ui.ctx().layer_transform_to_global(ui.layer_id()) {
                app.canvas.to_global = t;
            }
            draw(app, ui, dark);
        });
    app.canvas.scene_rect = scene_rect;
    if response.response.clicked() {
        app.push(Command::Select(None));
    }
    handle_palette_drop(app, ui);
}

fn node_offset(app: &App, n: &NodeLayout) -> Vec2 {
    match &app.canvas.moving {
        Some((name, d)) if n.path.iter().any(|p| p == name) => *d,
        _ => Vec2::ZERO,
    }
}

fn draw(app: &mut App, ui: &mut egui::Ui, dark: bool) {
    let painter = ui.painter().clone();
    let text_color = if dark {
        Color32::from_gray(230)
    } else {
        Color32::from_gray(25)
    };
    let weak = if dark {
        Color32::from_gray(160)
    } else {
        Color32::from_gray(100)
    };
    let nodes = app.layout.nodes.clone();
    let run = app.run_highlight();
    let mut order: Vec<&NodeLayout> = nodes.iter().collect();
    // Containers (outer first) below leaves.
    order.sort_by_key(|n| (n.lanes.is_empty(), n.depth));

    for n in order.iter().filter(|n| !n.lanes.is_empty()) {
        let off = node_offset(app, n);
        draw_container(app, ui, &painter, n, off, dark, text_color);
        if let Some(hl) = &run {
            super::player::paint_node_overlay(
                &painter,
                n,
                theme::rect(n.rect).translate(off),
                hl,
                dark,
            );
        }
    }
    for e in app.layout.edges.clone() {
        let off = app
            .layout
            .nodes
            .iter()
            .find(|n| n.path == e.from)
            .map_or(Vec2::ZERO, |n| node_offset(app, n));
        let off_to = app
            .layout
            .nodes
            .iter()
            .find(|n| n.path == e.to)
            .map_or(Vec2::ZERO, |n| node_offset(app, n));
        draw_edge(
            &painter,
            &e,
            if off == off_to { off } else { Vec2::ZERO },
            dark,
            weak,
        );
        if let Some(hl) = &run {
            super::player::paint_edge_overlay(
                &painter,
                &e,
                if off == off_to { off } else { Vec2::ZERO },
                hl,
            );
        }
    }
    for m in &app.layout.markers {
        let off = app
            .layout
            .nodes
            .iter()
            .find(|n| n.path == m.attached_to)
            .map_or(Vec2::ZERO, |n| node_offset(app, n));
        let r = theme::rect(m.rect).translate(off);
        let link: Vec<Pos2> = m.link.iter().map(|p| theme::pos(*p) + off).collect();
        if link.len() >= 2 {
            painter.add(Shape::line(link, Stroke::new(1.5, weak)));
        }
        let (label, color) = match m.kind {
            MarkerKind::Start => ("Start", theme::accent(Some(StateType::Succeed))),
            MarkerKind::End => ("End", text_color),
        };
        let bg = if dark {
            Color32::from_gray(40)
        } else {
            Color32::WHITE
        };
        painter.rect(
            r,
            r.height() / 2.0,
            bg,
            Stroke::new(1.5, color),
            StrokeKind::Inside,
        );
        painter.text(
            r.center(),
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(12.0),
            color,
        );
    }
    for n in order.iter().filter(|n| n.lanes.is_empty()) {
        let off = node_offset(app, n);
        draw_node(app, ui, &painter, n, off, dark, text_color, weak);
        if let Some(hl) = &run {
            super::player::paint_node_overlay(
                &painter,
                n,
                theme::rect(n.rect).translate(off),
                hl,
                dark,
            );
        }
    }
    // The connection being drawn.
    if let Some(from) = app.canvas.connecting.clone() {
        if let (Some(n), Some(p)) = (
            app.layout.nodes.iter().find(|n| n.name == from),
            pointer_in_scene(app, ui),
        ) {
            let start = theme::rect(n.rect).center_bottom();
            painter.line_segment([start, p], Stroke::new(2.0, theme::SELECTED));
            painter.circle_filled(p, 4.0, theme::SELECTED);
        }
        if ui.input(|i| i.pointer.any_released()) {
            if let Some(p) = pointer_in_scene(app, ui)
                && let Some(target) = node_at(app, p)
                && target != from
            {
                app.push(Command::Edit(Op::Connect {
                    from: from.clone(),
                    to: target,
                    kind: ConnectKind::Auto,
                }));
            }
            app.canvas.connecting = None;
        }
    }
}

fn pointer_in_scene(app: &App, ui: &egui::Ui) -> Option<Pos2> {
    let p = ui.ctx().pointer_latest_pos()?;
    Some(app.canvas.to_global.inverse() * p)
}

/// The innermost leaf or container under a point (graph units).
fn node_at(app: &App, p: Pos2) -> Option<String> {
    app.layout
        .nodes
        .iter()
        .filter(|n| theme::rect(n.rect).contains(p))
        .max_by_key(|n| (n.depth, n.lanes.is_empty()))
        .map(|n| n.name.clone())
}

fn draw_container(
    app: &mut App,
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    n: &NodeLayout,
    off: Vec2,
    dark: bool,
    text: Color32,
) {
    let r = theme::rect(n.rect).translate(off);
    let accent = theme::accent(n.state_type);
    let selected = app.selection.as_deref() == Some(n.name.as_str());
    let fill = theme::lerp(
        if dark {
            Color32::from_gray(32)
        } else {
            Color32::from_gray(250)
        },
        accent,
        0.05,
    );
    painter.rect(
        r,
        10.0,
        fill,
        Stroke::new(
            if selected { 3.0 } else { 1.5 },
            if selected { theme::SELECTED } else { accent },
        ),
        StrokeKind::Inside,
    );
    let header = Rect::from_min_size(r.min, Vec2::new(r.width(), 30.0));
    theme::paint_icon(
        painter,
        header.left_center() + Vec2::new(20.0, 0.0),
        16.0,
        n.state_type,
        accent,
    );
    painter.text(
        header.left_center() + Vec2::new(36.0, 0.0),
        Align2::LEFT_CENTER,
        &n.name,
        FontId::proportional(15.0),
        text,
    );
    painter.text(
        header.right_center() - Vec2::new(12.0, 0.0),
        Align2::RIGHT_CENTER,
        n.state_type.map_or("?", StateType::name),
        FontId::proportional(12.0),
        accent,
    );
    for (i, lane) in n.lanes.iter().enumerate() {
        let l = theme::rect(*lane).translate(off);
        let lane_fill = if dark {
            Color32::from_gray(40)
        } else {
            Color32::WHITE
        };
        painter.rect(
            l,
            6.0,
            lane_fill,
            Stroke::new(1.0, theme::lerp(lane_fill, accent, 0.4)),
            StrokeKind::Inside,
        );
        let label = if n.state_type == Some(StateType::Map) {
            "Item processor".to_owned()
        } else {
            format!("Branch {}", i + 1)
        };
        painter.text(
            l.left_top() + Vec2::new(8.0, 4.0),
            Align2::LEFT_TOP,
            label,
            FontId::proportional(11.0),
            accent,
        );
    }
    badges(painter, n, r, app);
    node_interaction(app, ui, n, header);
}

#[expect(clippy::too_many_arguments)]
fn draw_node(
    app: &mut App,
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    n: &NodeLayout,
    off: Vec2,
    dark: bool,
    text: Color32,
    weak: Color32,
) {
    let r = theme::rect(n.rect).translate(off);
    let accent = theme::accent(n.state_type);
    let selected = app.selection.as_deref() == Some(n.name.as_str());
    let stroke = Stroke::new(
        if selected { 3.0 } else { 1.5 },
        if selected { theme::SELECTED } else { accent },
    );
    let fill = theme::fill(n.state_type, dark);
    match n.state_type {
        Some(StateType::Choice) => {
            let c = r.center();
            let pts = vec![
                Pos2::new(r.left(), c.y),
                Pos2::new(r.left() + 18.0, r.top()),
                Pos2::new(r.right() - 18.0, r.top()),
                Pos2::new(r.right(), c.y),
                Pos2::new(r.right() - 18.0, r.bottom()),
                Pos2::new(r.left() + 18.0, r.bottom()),
            ];
            painter.add(Shape::convex_polygon(pts, fill, stroke));
        }
        Some(StateType::Succeed | StateType::Fail) => {
            painter.rect(r, r.height() / 2.0, fill, stroke, StrokeKind::Inside);
        }
        _ => {
            painter.rect(r, 8.0, fill, stroke, StrokeKind::Inside);
            let bar = Rect::from_min_size(r.min, Vec2::new(6.0, r.height()));
            painter.rect_filled(
                bar,
                egui::CornerRadius {
                    nw: 8,
                    sw: 8,
                    ne: 0,
                    se: 0,
                },
                accent,
            );
        }
    }
    let icon_pos = Pos2::new(r.left() + 24.0, r.center().y);
    theme::paint_icon(painter, icon_pos, 18.0, n.state_type, accent);
    let text_left = r.left() + 42.0;
    let max_w = r.right() - text_left - 8.0;
    let name = fit_text(painter, &n.name, FontId::proportional(14.0), max_w);
    let summary = fit_text(painter, &n.summary, FontId::proportional(11.0), max_w);
    if summary.is_empty() {
        painter.text(
            Pos2::new(text_left, r.center().y),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(14.0),
            text,
        );
    } else {
        painter.text(
            Pos2::new(text_left, r.center().y - 8.0),
            Align2::LEFT_CENTER,
            name,
            FontId::proportional(14.0),
            text,
        );
        painter.text(
            Pos2::new(text_left, r.center().y + 10.0),
            Align2::LEFT_CENTER,
            summary,
            FontId::proportional(11.0),
            weak,
        );
    }
    badges(painter, n, r, app);
    node_interaction(app, ui, n, r);
}

/// Shortens `s` with an ellipsis to fit `max_w`.
fn fit_text(painter: &egui::Painter, s: &str, font: FontId, max_w: f32) -> String {
    let width = |t: &str| {
        painter
            .layout_no_wrap(t.to_owned(), font.clone(), Color32::WHITE)
            .size()
            .x
    };
    if width(s) <= max_w {
        return s.to_owned();
    }
    let mut chars: Vec<char> = s.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let t: String = chars.iter().collect::<String>() + "...";
        if width(&t) <= max_w {
            return t;
        }
    }
    String::new()
}

fn badges(painter: &egui::Painter, n: &NodeLayout, r: Rect, app: &App) {
    let Some(s) = crate::edit::find_state(app.editor.machine(), &n.name) else {
        return;
    };
    let mut x = r.right() - 8.0;
    let mut badge = |label: String, color: Color32| {
        let galley = painter.layout_no_wrap(label, FontId::proportional(10.0), Color32::WHITE);
        let w = galley.size().x + 8.0;
        let b = Rect::from_min_size(Pos2::new(x - w, r.top() - 8.0), Vec2::new(w, 15.0));
        painter.rect_filled(b, 7.0, color);
        painter.galley(b.min + Vec2::new(4.0, 1.0), galley, Color32::WHITE);
        x -= w + 4.0;
    };
    if let Some(c) = &s.catch
        && !c.is_empty()
    {
        badge(format!("Catch {}", c.len()), theme::CATCH_COLOR);
    }
    if let Some(rt) = &s.retry
        && !rt.is_empty()
    {
        badge(
            format!("Retry {}", rt.len()),
            Color32::from_rgb(0x3b, 0x7d, 0xd8),
        );
    }
}

fn node_interaction(app: &mut App, ui: &mut egui::Ui, n: &NodeLayout, r: Rect) {
    let id = ui.make_persistent_id(("node", &n.name));
    let resp = ui.interact(r, id, Sense::click_and_drag());
    let name = n.name.clone();
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if resp.clicked() || resp.drag_started() {
        app.push(Command::Select(Some(n.name.clone())));
    }
    if resp.dragged() && app.canvas.connecting.is_none() {
        let d = resp.drag_delta();
        match &mut app.canvas.moving {
            Some((m, off)) if *m == n.name => *off += d,
            _ => app.canvas.moving = Some((n.name.clone(), d)),
        }
    }
    if resp.drag_stopped()
        && let Some((m, off)) = app.canvas.moving.take()
        && m == n.name
    {
        let new_min = theme::rect(n.rect).min + off;
        app.push(Command::Pin(n.name.clone(), theme::point(new_min)));
    }
    // Output handle.
    let has_out = n
        .state_type
        .is_none_or(|t| !matches!(t, StateType::Succeed | StateType::Fail));
    let show = resp.hovered()
        || app.selection.as_deref() == Some(n.name.as_str())
        || app.canvas.connecting.is_some();
    if has_out && show && app.canvas.moving.is_none() {
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
            app.canvas.connecting = Some(n.name.clone());
        }
    }
}

fn draw_edge(painter: &egui::Painter, e: &EdgeLayout, off: Vec2, dark: bool, weak: Color32) {
    let pts: Vec<Pos2> = e.points.iter().map(|p| theme::pos(*p) + off).collect();
    if pts.len() < 2 {
        return;
    }
    let (color, dashed) = match e.kind {
        EdgeKind::Catch(_) => (theme::CATCH_COLOR, true),
        EdgeKind::Default => (
            if dark {
                Color32::from_gray(170)
            } else {
                Color32::from_gray(90)
            },
            false,
        ),
        EdgeKind::Choice(_) => (theme::accent(Some(StateType::Choice)), false),
        EdgeKind::Next => (
            if dark {
                Color32::from_gray(180)
            } else {
                Color32::from_gray(70)
            },
            false,
        ),
    };
    let stroke = Stroke::new(1.6, color);
    if dashed {
        painter.extend(Shape::dashed_line(&pts, stroke, 6.0, 4.0));
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
    if let (Some(label), Some(p)) = (&e.label, e.label_pos) {
        let text = if label.chars().count() > 40 {
            format!("{}...", label.chars().take(39).collect::<String>())
        } else {
            label.clone()
        };
        let galley = painter.layout_no_wrap(text, FontId::proportional(11.0), color);
        let r = Rect::from_center_size(theme::pos(p) + off, galley.size() + Vec2::new(8.0, 4.0));
        let bg = if dark {
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
        painter.galley(r.min + Vec2::new(4.0, 2.0), galley, weak);
    }
}

/// Distance from `p` to the segment `a`–`b`.
fn dist_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() == 0.0 {
        0.0
    } else {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    };
    (a + ab * t - p).length()
}

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
            app.push(Command::Edit(Op::AddState {
                scope,
                template,
                name: Some(name.clone()),
            }));
            if free {
                app.push(Command::Pin(name, theme::point(p - Vec2::new(100.0, 29.0))));
            }
        }
    }
}

fn handle_palette_drop(app: &mut App, ui: &egui::Ui) {
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
