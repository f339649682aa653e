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
    /// The canvas area on screen (last frame).
    pub viewport: Rect,
    /// A rectangle (graph units) to bring into view on the next frame.
    pending_frame: Option<Rect>,
    /// A zoom to set on the next frame, around the centre of the view.
    pending_zoom: Option<f32>,
    /// A state to scroll into view on the next frame (the least pan that shows it), e.g. one just added.
    pending_reveal: Option<String>,
    /// Nodes being moved (the dragged one and the rest of the selection) and the offset so far.
    moving: Option<(Vec<String>, Vec2)>,
    /// A move just finished: pinned at the end of the frame, where the layout is at hand.
    moved: Option<(Vec<String>, Vec2)>,
    /// A connection being drawn from a node's output handle (`Auto`) or its catch handle (`Catch`).
    connecting: Option<(String, ConnectKind)>,
    /// A rubber band being drawn (shift-drag on the empty canvas): where it started, in graph units.
    band: Option<Pos2>,
    cache: LayoutCache,
}

impl Default for CanvasState {
    fn default() -> Self {
        CanvasState {
            scene_rect: Rect::ZERO,
            to_global: TSTransform::IDENTITY,
            viewport: Rect::ZERO,
            pending_frame: None,
            pending_zoom: None,
            pending_reveal: None,
            moving: None,
            moved: None,
            connecting: None,
            band: None,
            cache: LayoutCache::default(),
        }
    }
}

impl CanvasState {
    pub fn fit_next_frame(&mut self) {
        self.scene_rect = Rect::ZERO;
        self.pending_frame = None;
    }

    /// Pans (and zooms, if needed) on the next frame so that `r` (graph units) is visible and centred.
    pub fn frame_rect(&mut self, r: Rect) {
        self.pending_frame = Some(r);
    }

    /// Multiplies the zoom on the next frame (steps asked for in one frame compound).
    pub fn zoom_by(&mut self, factor: f32) {
        let base = self.pending_zoom.unwrap_or_else(|| self.zoom());
        self.zoom_next_frame(base * factor);
    }

    /// Pans on the next frame, as little as needed, so that the state `name` is on screen.
    pub fn reveal(&mut self, name: impl Into<String>) {
        self.pending_reveal = Some(name.into());
    }

    /// Sets the zoom (1.0 = 100%) on the next frame, keeping the centre of the view.
    pub fn zoom_next_frame(&mut self, z: f32) {
        self.pending_zoom = Some(z.clamp(MIN_ZOOM, MAX_ZOOM));
    }

    pub fn to_screen(&self, r: Rect) -> Rect {
        self.to_global * r
    }

    /// The current zoom (screen points per graph unit).
    pub fn zoom(&self) -> f32 {
        self.to_global.scaling
    }
}

/// What the canvas derives from a layout once (keyed on `App::layout_rev`) instead of every frame.
#[derive(Clone, Debug, Default)]
struct LayoutCache {
    rev: u64,
    /// Node indices in paint order: containers (outer first), then leaves.
    order: Vec<usize>,
    /// Per edge: the box around its route and label, for culling.
    edge_bounds: Vec<Rect>,
    /// Per node: the name and summary shortened to fit the box.
    names: Vec<String>,
    summaries: Vec<String>,
    /// Per node: `Retry N` / `Catch N` badges.
    badges: Vec<Vec<(String, Color32)>>,
}

impl LayoutCache {
    fn refresh(&mut self, app: &App, painter: &egui::Painter) {
        if self.rev == app.layout_rev && self.names.len() == app.layout.nodes.len() {
            return;
        }
        let layout = &app.layout;
        let mut order: Vec<usize> = (0..layout.nodes.len()).collect();
        order.sort_by_key(|&i| (layout.nodes[i].lanes.is_empty(), layout.nodes[i].depth));
        self.order = order;
        self.edge_bounds = layout
            .edges
            .iter()
            .map(|e| {
                let mut r =
                    Rect::from_points(&e.points.iter().map(|p| theme::pos(*p)).collect::<Vec<_>>());
                if let Some(p) = e.label_pos {
                    // Labels are at most 40 characters.
                    r = r.union(Rect::from_center_size(
                        theme::pos(p),
                        Vec2::new(300.0, 24.0),
                    ));
                }
                r.expand(10.0)
            })
            .collect();
        // Retry/Catch counts by state name, from one walk over the machine.
        let mut counts = std::collections::HashMap::new();
        app.machine().visit_machines(&mut |_, m| {
            for n in m.states() {
                let c = n.state.catch.as_ref().map_or(0, Vec::len);
                let r = n.state.retry.as_ref().map_or(0, Vec::len);
                counts.insert(n.name.to_string(), (c, r));
            }
        });
        self.names.clear();
        self.summaries.clear();
        self.badges.clear();
        for n in &layout.nodes {
            let max_w = n.rect.max.x - n.rect.min.x - TEXT_LEFT - 8.0;
            self.names
                .push(fit_text(painter, &n.name, theme::name_font(), max_w));
            self.summaries
                .push(fit_text(painter, &n.summary, theme::summary_font(), max_w));
            let (c, r) = counts.get(&n.name).copied().unwrap_or_default();
            let mut b = Vec::new();
            if c > 0 {
                b.push((format!("Catch {c}"), theme::CATCH_COLOR));
            }
            if r > 0 {
                b.push((format!("Retry {r}"), theme::RETRY_COLOR));
            }
            self.badges.push(b);
        }
        self.rev = app.layout_rev;
    }
}

const HANDLE_RADIUS: f32 = 6.0;
/// The catch handle's colour (the colour of catch edges).
const CATCH_HANDLE: Color32 = theme::CATCH_COLOR;
/// Where a simple state's name starts, from its left edge (after the colour bar and icon).
const TEXT_LEFT: f32 = 40.0;
pub const MIN_ZOOM: f32 = 0.1;
pub const MAX_ZOOM: f32 = 2.5;
/// The largest zoom that zoom-to-fit picks for a small diagram.
pub const MAX_FIT_ZOOM: f32 = 1.25;

/// The scene rectangle that shows `target` in a `view` of that screen size at zoom `z`: centred when it
/// fits; otherwise its top, and horizontally the part around `anchor_x`.
pub fn view_at(view: Vec2, target: Rect, z: f32, anchor_x: f32) -> Rect {
    let size = view / z;
    let cx = if target.width() <= size.x {
        target.center().x
    } else {
        anchor_x.clamp(target.left() + size.x / 2.0, target.right() - size.x / 2.0)
    };
    let cy = if target.height() <= size.y {
        target.center().y
    } else {
        target.top() + size.y / 2.0
    };
    Rect::from_center_size(Pos2::new(cx, cy), size)
}

/// Zoom to fit, but never so far out that the node text becomes unreadable
/// ([`theme::MIN_READABLE_ZOOM`]): a big diagram then shows its top, around the Start marker.
pub fn fit_view(view: Vec2, bounds: Rect, anchor_x: f32) -> Rect {
    let z = (view / bounds.size())
        .min_elem()
        .clamp(theme::MIN_READABLE_ZOOM, MAX_FIT_ZOOM);
    view_at(view, bounds, z, anchor_x)
}

/// The scene rectangle `scene` moved as little as possible so that `target` (plus a margin) lies inside it;
/// unchanged when it already does. A target larger than the view is aligned on its top-left corner.
pub fn reveal_view(scene: Rect, target: Rect) -> Rect {
    let t = target.expand(24.0);
    let shift = |lo: f32, hi: f32, t_lo: f32, t_hi: f32| {
        if t_hi - t_lo > hi - lo || t_lo < lo {
            t_lo - lo
        } else if t_hi > hi {
            t_hi - hi
        } else {
            0.0
        }
    };
    let dx = shift(scene.left(), scene.right(), t.left(), t.right());
    let dy = shift(scene.top(), scene.bottom(), t.top(), t.bottom());
    scene.translate(Vec2::new(dx, dy))
}

/// Brings `target` into view: keeps the zoom unless it is unreadable or `target` does not fit.
pub fn frame_view(view: Vec2, target: Rect, zoom: f32) -> Rect {
    let z_fit = (view / (target.size() + Vec2::splat(120.0))).min_elem();
    let z = if zoom < theme::MIN_READABLE_ZOOM {
        z_fit.min(1.0)
    } else {
        zoom.min(z_fit)
    }
    .max(theme::MIN_READABLE_ZOOM);
    view_at(view, target.expand(20.0), z, target.center().x)
}

pub fn canvas_ui(app: &mut App, ui: &mut egui::Ui) {
    let bounds = theme::rect(app.layout.bounds).expand(40.0);
    let viewport = ui.available_rect_before_wrap();
    app.canvas.viewport = viewport;
    if app.canvas.scene_rect == Rect::ZERO || !app.canvas.scene_rect.is_finite() {
        let anchor = app
            .layout
            .markers
            .iter()
            .find(|m| m.kind == MarkerKind::Start && m.scope.is_empty())
            .map_or(bounds.center().x, |m| theme::rect(m.rect).center().x);
        app.canvas.scene_rect = fit_view(viewport.size(), bounds, anchor);
    }
    if let Some(r) = app.canvas.pending_frame.take() {
        app.canvas.scene_rect = frame_view(viewport.size(), r, app.canvas.zoom());
    }
    if let Some(name) = app.canvas.pending_reveal.take()
        && let Some(n) = app.layout.nodes.iter().find(|n| n.name == name)
    {
        app.canvas.scene_rect = reveal_view(app.canvas.scene_rect, theme::rect(n.rect));
    }
    if let Some(z) = app.canvas.pending_zoom.take() {
        let c = app.canvas.scene_rect.center();
        app.canvas.scene_rect = Rect::from_center_size(c, viewport.size() / z);
    }
    let mut scene_rect = app.canvas.scene_rect;
    let dark = ui.visuals().dark_mode;
    // Shift-drag on the empty canvas draws a rubber band instead of panning: the Scene still senses the
    // drag (we read it from its response) but is told not to pan with any button.
    let shift = ui.input(|i| i.modifiers.shift);
    let pan = if shift || app.canvas.band.is_some() {
        egui::DragPanButtons::empty()
    } else {
        egui::DragPanButtons::all()
    };
    let response = egui::Scene::new()
        .zoom_range(MIN_ZOOM..=MAX_ZOOM)
        .drag_pan_buttons(pan)
        .show(ui, &mut scene_rect, |ui| {
            ui.allocate_rect(bounds, Sense::hover());
            if let Some(t) = ui.ctx().layer_transform_to_global(ui.layer_id()) {
                app.canvas.to_global = t;
            }
            draw(app, ui, dark);
        });
    app.canvas.scene_rect = scene_rect;
    let bg = &response.response;
    if bg.clicked() && !shift_click(ui) {
        app.push(Command::Select(None));
    }
    rubber_band(app, ui, bg, shift);
    handle_palette_drop(app, ui);
}

/// Whether this frame's click had Shift held (the modifiers of the release event count: a click may
/// press and release Shift within one frame).
fn shift_click(ui: &egui::Ui) -> bool {
    ui.input(|i| {
        i.modifiers.shift
            || i.events.iter().any(|e| {
                matches!(e, egui::Event::PointerButton { pressed: false, modifiers, .. } if modifiers.shift)
            })
    })
}

/// Shift-drag on the empty canvas: draws the band; on release selects every state whose box it touches
/// (a container by its header).
fn rubber_band(app: &mut App, ui: &egui::Ui, bg: &egui::Response, shift: bool) {
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

/// How far a node is being dragged (it or a container around it).
fn path_offset(moving: &Option<(Vec<String>, Vec2)>, path: &[String]) -> Vec2 {
    match moving {
        Some((names, d)) if path.iter().any(|p| names.contains(p)) => *d,
        _ => Vec2::ZERO,
    }
}

fn draw(app: &mut App, ui: &mut egui::Ui, dark: bool) {
    let painter = ui.painter().clone();
    let mut cache = std::mem::take(&mut app.canvas.cache);
    cache.refresh(app, &painter);
    // Taken out for the frame so that drawing can push commands to `app`; put back below.
    let layout = std::mem::take(&mut app.layout);
    // What is on screen, in graph units; everything else is not painted (but keeps its accessible node).
    let visible = ui.clip_rect();
    let text_color = if dark {
        Color32::from_gray(230)
    } else {
        Color32::from_gray(25)
    };
    let weak = if dark {
        Color32::from_gray(178)
    } else {
        Color32::from_gray(85)
    };
    let moving = app.canvas.moving.clone();
    let run = app.run_highlight();

    for &i in cache
        .order
        .iter()
        .filter(|&&i| !layout.nodes[i].lanes.is_empty())
    {
        let n = &layout.nodes[i];
        let off = path_offset(&moving, &n.path);
        let paint = visible.intersects(theme::rect(n.rect).translate(off).expand(12.0));
        draw_container(
            app,
            ui,
            &painter,
            n,
            &cache.badges[i],
            off,
            paint,
            dark,
            text_color,
        );
        if paint && let Some(hl) = &run {
            let r = theme::rect(n.rect).translate(off);
            super::player::paint_node_overlay(&painter, n, r, hl, dark);
        }
    }
    for (e, b) in layout.edges.iter().zip(&cache.edge_bounds) {
        let off = path_offset(&moving, &e.from);
        let off_to = path_offset(&moving, &e.to);
        let off = if off == off_to { off } else { Vec2::ZERO };
        if off == Vec2::ZERO && !visible.intersects(*b) {
            continue;
        }
        draw_edge(&painter, e, off, visible, dark, weak);
        if let Some(hl) = &run {
            super::player::paint_edge_overlay(&painter, e, off, hl);
        }
    }
    for m in &layout.markers {
        let off = path_offset(&moving, &m.attached_to);
        let r = theme::rect(m.rect).translate(off);
        if !visible.intersects(r.expand(40.0)) {
            continue;
        }
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
            theme::small_font(),
            color,
        );
    }
    for &i in cache
        .order
        .iter()
        .filter(|&&i| layout.nodes[i].lanes.is_empty())
    {
        let n = &layout.nodes[i];
        let off = path_offset(&moving, &n.path);
        let r = theme::rect(n.rect).translate(off);
        if visible.intersects(r.expand(12.0)) {
            let text = NodeText {
                name: &cache.names[i],
                summary: &cache.summaries[i],
                color: text_color,
                weak,
            };
            draw_node(app, &painter, n, r, &text, &cache.badges[i], dark);
            if let Some(hl) = &run {
                super::player::paint_node_overlay(&painter, n, r, hl, dark);
            }
        }
        node_interaction(app, ui, n, r);
    }
    // The connection being drawn.
    if let Some((from, kind)) = app.canvas.connecting.clone() {
        if let (Some(n), Some(p)) = (
            layout.nodes.iter().find(|n| n.name == from),
            pointer_in_scene(app, ui),
        ) {
            if kind == ConnectKind::Catch {
                let start = catch_handle_pos(n);
                let stroke = Stroke::new(2.0, CATCH_HANDLE);
                painter.extend(Shape::dashed_line(&[start, p], stroke, 6.0, 4.0));
                painter.circle_filled(p, 4.0, CATCH_HANDLE);
            } else {
                let start = theme::rect(n.rect).center_bottom();
                painter.line_segment([start, p], Stroke::new(2.0, theme::SELECTED));
                painter.circle_filled(p, 4.0, theme::SELECTED);
            }
        }
        if ui.input(|i| i.pointer.any_released()) {
            if let Some(p) = pointer_in_scene(app, ui)
                && let Some(target) = node_at(&layout, p)
                && target != from
            {
                app.push(Command::Edit(Op::Connect {
                    from: from.clone(),
                    to: target,
                    kind,
                }));
            }
            app.canvas.connecting = None;
        }
    }
    // A finished move pins every moved state, except one inside another moved container (it moved with it).
    if let Some((names, off)) = app.canvas.moved.take() {
        for n in layout.nodes.iter().filter(|n| names.contains(&n.name)) {
            let inside_moved = n.path.iter().any(|p| *p != n.name && names.contains(p));
            if !inside_moved {
                let new_min = theme::rect(n.rect).min + off;
                app.push(Command::Pin(n.name.clone(), theme::point(new_min)));
            }
        }
    }
    app.layout = layout;
    app.canvas.cache = cache;
}

fn pointer_in_scene(app: &App, ui: &egui::Ui) -> Option<Pos2> {
    let p = ui.ctx().pointer_latest_pos()?;
    Some(app.canvas.to_global.inverse() * p)
}

/// The innermost leaf or container under a point (graph units).
fn node_at(layout: &super::layout::Layout, p: Pos2) -> Option<String> {
    layout
        .nodes
        .iter()
        .filter(|n| theme::rect(n.rect).contains(p))
        .max_by_key(|n| (n.depth, n.lanes.is_empty()))
        .map(|n| n.name.clone())
}

#[expect(clippy::too_many_arguments)]
fn draw_container(
    app: &mut App,
    ui: &mut egui::Ui,
    painter: &egui::Painter,
    n: &NodeLayout,
    badge_list: &[(String, Color32)],
    off: Vec2,
    paint: bool,
    dark: bool,
    text: Color32,
) {
    let r = theme::rect(n.rect).translate(off);
    let header = Rect::from_min_size(r.min, Vec2::new(r.width(), 30.0));
    if paint {
        paint_container(app, painter, n, r, header, dark, text);
        badges(painter, badge_list, r);
        problem_badge(app, painter, n, r, dark);
    }
    node_interaction(app, ui, n, header);
}

fn paint_container(
    app: &App,
    painter: &egui::Painter,
    n: &NodeLayout,
    r: Rect,
    header: Rect,
    dark: bool,
    text: Color32,
) {
    let off = r.min - theme::rect(n.rect).min;
    let accent = theme::accent(n.state_type);
    let selected = app.is_selected(&n.name);
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
        theme::container_font(),
        text,
    );
    painter.text(
        header.right_center() - Vec2::new(12.0, 0.0),
        Align2::RIGHT_CENTER,
        n.state_type.map_or("?", StateType::name),
        theme::summary_font(),
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
            theme::small_font(),
            accent,
        );
    }
}

/// A simple state's texts, shortened to fit once per layout.
struct NodeText<'a> {
    name: &'a str,
    summary: &'a str,
    color: Color32,
    weak: Color32,
}

fn draw_node(
    app: &App,
    painter: &egui::Painter,
    n: &NodeLayout,
    r: Rect,
    text: &NodeText<'_>,
    badge_list: &[(String, Color32)],
    dark: bool,
) {
    let accent = theme::accent(n.state_type);
    let selected = app.is_selected(&n.name);
    let stroke = Stroke::new(
        if selected { 3.0 } else { 1.5 },
        if selected { theme::SELECTED } else { accent },
    );
    let fill = theme::fill(n.state_type, dark);
    match n.state_type {
        Some(StateType::Choice) => {
            painter.add(Shape::convex_polygon(
                theme::choice_outline(r),
                fill,
                stroke,
            ));
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
    let text_left = r.left() + TEXT_LEFT;
    if text.summary.is_empty() {
        painter.text(
            Pos2::new(text_left, r.center().y),
            Align2::LEFT_CENTER,
            text.name,
            theme::name_font(),
            text.color,
        );
    } else {
        painter.text(
            Pos2::new(text_left, r.center().y - 9.0),
            Align2::LEFT_CENTER,
            text.name,
            theme::name_font(),
            text.color,
        );
        painter.text(
            Pos2::new(text_left, r.center().y + 10.0),
            Align2::LEFT_CENTER,
            text.summary,
            theme::summary_font(),
            text.weak,
        );
    }
    badges(painter, badge_list, r);
    problem_badge(app, painter, n, r, dark);
}

/// "2 errors" / "1 warning" on the top-left corner of a state the validator reports on.
fn problem_badge(app: &App, painter: &egui::Painter, n: &NodeLayout, r: Rect, dark: bool) {
    use crate::validate::Severity;
    let Some((errors, warnings)) = app.diagnostics.of_state(&n.name) else {
        return;
    };
    let (count, severity, what) = if errors > 0 {
        (errors, Severity::Error, "error")
    } else {
        (warnings, Severity::Warning, "warning")
    };
    let color = super::diagnostics::severity_color(severity, dark);
    let label = format!("{count} {what}{}", if count == 1 { "" } else { "s" });
    let galley = painter.layout_no_wrap(label, theme::badge_font(), Color32::WHITE);
    let b = Rect::from_min_size(
        Pos2::new(r.left() + 10.0, r.top() - 8.0),
        Vec2::new(galley.size().x + 10.0, 16.0),
    );
    painter.rect_filled(b, 8.0, color);
    painter.galley(
        Pos2::new(b.min.x + 5.0, b.center().y - galley.size().y / 2.0),
        galley,
        Color32::WHITE,
    );
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
        let t: String = chars.iter().collect::<String>() + "…";
        if width(&t) <= max_w {
            return t;
        }
    }
    String::new()
}

fn badges(painter: &egui::Painter, list: &[(String, Color32)], r: Rect) {
    let mut x = r.right() - 8.0;
    for (label, color) in list {
        let galley = painter.layout_no_wrap(label.clone(), theme::badge_font(), Color32::WHITE);
        let w = galley.size().x + 10.0;
        let b = Rect::from_min_size(Pos2::new(x - w, r.top() - 8.0), Vec2::new(w, 16.0));
        painter.rect_filled(b, 8.0, *color);
        painter.galley(
            Pos2::new(b.min.x + 5.0, b.center().y - galley.size().y / 2.0),
            galley,
            Color32::WHITE,
        );
        x -= w + 4.0;
    }
}

/// Where a state's catch handle sits: the middle of its right edge (a container's header).
fn catch_handle_pos(n: &NodeLayout) -> Pos2 {
    let r = theme::rect(n.rect);
    if n.lanes.is_empty() {
        r.right_center()
    } else {
        Pos2::new(r.right(), r.top() + 15.0)
    }
}

fn node_interaction(app: &mut App, ui: &mut egui::Ui, n: &NodeLayout, r: Rect) {
    let id = ui.make_persistent_id(("node", &n.name));
    let resp = ui.interact(r, id, Sense::click_and_drag());
    let name = n.name.clone();
    let selected = app.is_selected(&n.name);
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if resp.clicked() {
        if shift_click(ui) {
            app.push(Command::ToggleSelect(n.name.clone()));
        } else {
            app.push(Command::Select(Some(n.name.clone())));
        }
    }
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

/// The part of the segment `a`–`b` inside `r` (Liang–Barsky), if any.
fn clip_segment(a: Pos2, b: Pos2, r: Rect) -> Option<(Pos2, Pos2)> {
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

fn draw_edge(
    painter: &egui::Painter,
    e: &EdgeLayout,
    off: Vec2,
    visible: Rect,
    dark: bool,
    weak: Color32,
) {
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
    if let (Some(label), Some(p)) = (&e.label, e.label_pos) {
        let text = if label.chars().count() > 40 {
            format!("{}...", label.chars().take(39).collect::<String>())
        } else {
            label.clone()
        };
        let galley = painter.layout_no_wrap(text, theme::small_font(), color);
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
