//! The diagram: `egui::Scene` pan/zoom; paints containers, edges, nodes and markers with the `Painter`;
//! turns clicks, drags and palette drops into [`Command`]s.
//!
//! Split by concern: `view` (the view state, zoom and fit), `nodes` (states and containers), `edges`,
//! `interaction` (selection, moving, connecting), `drop` (palette drops and their targets).

mod drop;
mod edges;
mod interaction;
mod nodes;
pub(crate) mod text;
mod view;

pub use view::{MAX_ZOOM, MIN_ZOOM, fit_view, frame_view, reveal_view};

pub use drop::DropTarget;

use drop::handle_palette_drop;
use edges::{draw_edge, draw_edge_label};
use interaction::{node_at, node_interaction, rubber_band, shift_click};
use nodes::{NodeText, catch_handle_pos, draw_container, draw_node};
use text::CrispPainter;

use crate::asl::StateType;
use crate::edit::{ConnectKind, Op};
use crate::ui::app::{App, Command};
use crate::ui::layout::MarkerKind;
use crate::ui::theme;
use egui::{
    Align2, Color32, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Vec2, emath::TSTransform,
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
    /// Where the palette item being dragged would go (highlighted), while it is over the canvas.
    pub(crate) drop_preview: Option<DropTarget>,
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
            drop_preview: None,
            cache: LayoutCache::default(),
        }
    }
}

/// What the canvas derives from a layout once instead of every frame: the geometry per layout (keyed on
/// `App::layout_rev`), the badges per set of states (keyed on `App::unpinned_rev`: moving a state changes
/// no text).
#[derive(Clone, Debug, Default)]
struct LayoutCache {
    rev: u64,
    text_rev: u64,
    /// Node indices in paint order: containers (outer first), then leaves.
    order: Vec<usize>,
    /// Per edge: the box around its route and label, for culling.
    edge_bounds: Vec<Rect>,
    /// Per node: `Retry N` / `Catch N` badges.
    badges: Vec<Vec<(String, Color32)>>,
}

impl LayoutCache {
    fn refresh(&mut self, app: &App) {
        let layout = &app.layout;
        if self.rev != app.layout_rev || self.order.len() != layout.nodes.len() {
            self.refresh_geometry(app);
        }
        if self.text_rev != app.unpinned_rev || self.badges.len() != layout.nodes.len() {
            self.refresh_texts(app);
        }
    }

    fn refresh_geometry(&mut self, app: &App) {
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
        self.rev = app.layout_rev;
    }

    fn refresh_texts(&mut self, app: &App) {
        let layout = &app.layout;
        // Retry/Catch counts by state name, from one walk over the machine.
        let mut counts = std::collections::HashMap::new();
        app.machine().visit_machines(&mut |_, m| {
            for n in m.states() {
                let c = n.state.catch.as_ref().map_or(0, Vec::len);
                let r = n.state.retry.as_ref().map_or(0, Vec::len);
                counts.insert(n.name.to_string(), (c, r));
            }
        });
        self.badges.clear();
        for n in &layout.nodes {
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
        self.text_rev = app.unpinned_rev;
    }
}

const HANDLE_RADIUS: f32 = 6.0;
/// The catch handle's colour (the colour of catch edges).
const CATCH_HANDLE: Color32 = theme::CATCH_COLOR;

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
    crate::ui::player::follow_ui(app, ui, viewport);
    let bg = &response.response;
    if bg.clicked() && !shift_click(ui) {
        app.push(Command::Select(None));
    }
    rubber_band(app, ui, bg, shift);
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
    let crisp = CrispPainter::new(painter.clone(), app.canvas.zoom());
    let mut cache = std::mem::take(&mut app.canvas.cache);
    cache.refresh(app);
    // Taken out for the frame so that drawing can push commands to `app`; put back below.
    let layout = std::mem::take(&mut app.layout);
    // What is on screen, in graph units; everything else is not painted (but keeps its accessible node).
    let visible = ui.clip_rect();
    let ink = theme::Ink::of(ui);
    let (text_color, weak) = (ink.text, ink.weak);
    let moving = app.canvas.moving.clone();
    let run = crate::ui::player::run_overlay(app, ui.ctx());

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
            &crisp,
            n,
            &cache.badges[i],
            off,
            paint,
            dark,
            text_color,
        );
        if paint && let Some(hl) = &run {
            let r = theme::rect(n.rect).translate(off);
            crate::ui::player::paint_node_overlay(&crisp, n, r, hl, dark);
        }
        if paint && app.run.breakpoints.contains(&n.path) {
            crate::ui::player::paint_breakpoint(&painter, theme::rect(n.rect).translate(off));
        }
    }
    // Lines first, then every label on top: a label never has another edge's line through its text.
    let mut drawn = Vec::new();
    for (e, b) in layout.edges.iter().zip(&cache.edge_bounds) {
        let off = path_offset(&moving, &e.from);
        let off_to = path_offset(&moving, &e.to);
        let off = if off == off_to { off } else { Vec2::ZERO };
        if off == Vec2::ZERO && !visible.intersects(*b) {
            continue;
        }
        draw_edge(&crisp, e, off, visible, &ink);
        if let Some(hl) = &run {
            crate::ui::player::paint_edge_overlay(&painter, e, off, hl);
        }
        if e.label.is_some() {
            drawn.push((e, off));
        }
    }
    for (e, off) in drawn {
        draw_edge_label(&crisp, e, off, &ink);
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
        crisp.text(
            r.center(),
            Align2::CENTER_CENTER,
            label,
            &theme::small_font(),
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
                color: text_color,
                weak,
            };
            draw_node(app, &crisp, n, r, &text, &cache.badges[i], dark);
            if let Some(hl) = &run {
                crate::ui::player::paint_node_overlay(&crisp, n, r, hl, dark);
            }
            if app.run.breakpoints.contains(&n.path) {
                crate::ui::player::paint_breakpoint(&painter, r);
            }
        }
        node_interaction(app, ui, n, r);
    }
    if run.is_some() && app.run_is_stale() {
        crate::ui::player::paint_stale_canvas(&painter, visible, app.canvas.zoom(), dark);
    }
    if let Some(ov) = &run {
        crate::ui::player::paint_tokens(&painter, &layout, ov, dark);
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
    // All of them are one undoable step.
    if let Some((names, off)) = app.canvas.moved.take() {
        let mut pins: Vec<Op> = Vec::new();
        for n in layout.nodes.iter().filter(|n| names.contains(&n.name)) {
            let inside_moved = n.path.iter().any(|p| *p != n.name && names.contains(p));
            if !inside_moved {
                let new_min = theme::rect(n.rect).min + off;
                pins.push(Op::Pin {
                    name: n.name.clone(),
                    at: Some(theme::point(new_min)),
                });
            }
        }
        match pins.len() {
            0 => {}
            1 => app.push(Command::Edit(pins.remove(0))),
            _ => app.push(Command::Edit(Op::Group(pins))),
        }
    }
    app.layout = layout;
    app.canvas.cache = cache;
    handle_palette_drop(app, ui, &painter);
}

fn pointer_in_scene(app: &App, ui: &egui::Ui) -> Option<Pos2> {
    let p = ui.ctx().pointer_latest_pos()?;
    Some(app.canvas.to_global.inverse() * p)
}
