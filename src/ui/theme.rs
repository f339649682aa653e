//! Colours, icons and sizes per state type; conversions between layout geometry and egui types.

use super::layout::{Point, Rect as LRect};
use crate::asl::StateType;
use egui::{Color32, Pos2, Rect};

pub fn pos(p: Point) -> Pos2 {
    Pos2::new(p.x, p.y)
}

pub fn rect(r: LRect) -> Rect {
    Rect::from_min_max(pos(r.min), pos(r.max))
}

pub fn point(p: Pos2) -> Point {
    Point { x: p.x, y: p.y }
}

/// The accent (border, icon, colour bar) of a state type.
pub fn accent(t: Option<StateType>) -> Color32 {
    match t {
        Some(StateType::Task) => Color32::from_rgb(0x2f, 0x6f, 0xd0),
        Some(StateType::Choice) => Color32::from_rgb(0xd9, 0x82, 0x1e),
        Some(StateType::Parallel) => Color32::from_rgb(0x7b, 0x4f, 0xc9),
        Some(StateType::Map) => Color32::from_rgb(0x1b, 0x93, 0x8c),
        Some(StateType::Wait) => Color32::from_rgb(0x8a, 0x6d, 0x3b),
        Some(StateType::Pass) => Color32::from_rgb(0x6b, 0x72, 0x80),
        Some(StateType::Succeed) => Color32::from_rgb(0x2e, 0x9a, 0x4b),
        Some(StateType::Fail) => Color32::from_rgb(0xcc, 0x33, 0x33),
        None => Color32::from_rgb(0x99, 0x99, 0x99),
    }
}

/// The node fill: a light tint of the accent.
pub fn fill(t: Option<StateType>, dark: bool) -> Color32 {
    let a = accent(t);
    let (base, k) = if dark {
        (Color32::from_rgb(0x24, 0x26, 0x2b), 0.22)
    } else {
        (Color32::WHITE, 0.10)
    };
    lerp(base, a, k)
}

pub fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let f = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
    Color32::from_rgb(f(a.r(), b.r()), f(a.g(), b.g()), f(a.b(), b.b()))
}

/// Paints the icon of a type (vector shapes, so no font glyphs are needed) centred at `c`, `size` wide.
pub fn paint_icon(
    painter: &egui::Painter,
    c: Pos2,
    size: f32,
    t: Option<StateType>,
    color: Color32,
) {
    use egui::{Shape, Stroke, Vec2};
    let h = size / 2.0;
    let s = Stroke::new((size / 9.0).max(1.2), color);
    match t {
        Some(StateType::Task) => {
            painter.circle_stroke(c, h * 0.55, s);
            for k in 0..8 {
                let a = k as f32 * std::f32::consts::TAU / 8.0;
                let d = Vec2::new(a.cos(), a.sin());
                painter.line_segment([c + d * h * 0.6, c + d * h * 0.95], s);
            }
        }
        Some(StateType::Choice) => {
            let pts = vec![
                c + Vec2::new(0.0, -h),
                c + Vec2::new(h, 0.0),
                c + Vec2::new(0.0, h),
                c + Vec2::new(-h, 0.0),
            ];
            painter.add(Shape::closed_line(pts, s));
        }
        Some(StateType::Parallel) => {
            for dx in [-0.45, 0.0, 0.45] {
                painter.line_segment(
                    [
                        c + Vec2::new(dx * h, -h * 0.85),
                        c + Vec2::new(dx * h, h * 0.85),
                    ],
                    s,
                );
            }
        }
        Some(StateType::Map) => {
            for k in 0..3 {
                let r = egui::Rect::from_center_size(
                    c + Vec2::new((k as f32 - 1.0) * h * 0.25, (k as f32 - 1.0) * h * 0.25),
                    Vec2::splat(h * 1.1),
                );
                painter.rect_stroke(r, 1.0, s, egui::StrokeKind::Middle);
            }
        }
        Some(StateType::Wait) => {
            painter.circle_stroke(c, h * 0.9, s);
            painter.line_segment([c, c + Vec2::new(0.0, -h * 0.6)], s);
            painter.line_segment([c, c + Vec2::new(h * 0.45, 0.0)], s);
        }
        Some(StateType::Pass) => {
            painter.line_segment(
                [c + Vec2::new(-h * 0.9, 0.0), c + Vec2::new(h * 0.8, 0.0)],
                s,
            );
            painter.line_segment(
                [
                    c + Vec2::new(h * 0.8, 0.0),
                    c + Vec2::new(h * 0.3, -h * 0.5),
                ],
                s,
            );
            painter.line_segment(
                [c + Vec2::new(h * 0.8, 0.0), c + Vec2::new(h * 0.3, h * 0.5)],
                s,
            );
        }
        Some(StateType::Succeed) => {
            painter.add(Shape::line(
                vec![
                    c + Vec2::new(-h * 0.8, 0.0),
                    c + Vec2::new(-h * 0.2, h * 0.6),
                    c + Vec2::new(h * 0.85, -h * 0.6),
                ],
                s,
            ));
        }
        Some(StateType::Fail) => {
            painter.line_segment([c + Vec2::splat(-h * 0.7), c + Vec2::splat(h * 0.7)], s);
            painter.line_segment(
                [
                    c + Vec2::new(-h * 0.7, h * 0.7),
                    c + Vec2::new(h * 0.7, -h * 0.7),
                ],
                s,
            );
        }
        None => {
            painter.circle_stroke(c, h * 0.8, s);
        }
    }
}

/// An icon as a widget (palette, inspector header).
pub fn icon_ui(ui: &mut egui::Ui, t: Option<StateType>, size: f32) {
    let (r, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    paint_icon(ui.painter(), r.center(), size * 0.85, t, accent(t));
}

/// One-line description for the palette's hover text.
pub fn describe(t: StateType) -> &'static str {
    match t {
        StateType::Task => "Do work: call a Lambda function or an AWS service",
        StateType::Choice => "Branch on the input: rules with comparisons, and a Default",
        StateType::Parallel => "Run branches at the same time; wait for all of them",
        StateType::Map => "Run the same steps for each item of an array",
        StateType::Wait => "Pause for a time or until a timestamp",
        StateType::Pass => "Pass the input on, optionally reshaped",
        StateType::Succeed => "Stop successfully",
        StateType::Fail => "Stop with an error and a cause",
    }
}

/// Node text sizes in graph units (at 100% zoom they are screen points).
/// The layout's (core) sizes: node sizes are measured with them.
pub const NAME_SIZE: f32 = crate::layout::text::NAME_SIZE;
pub const SUMMARY_SIZE: f32 = crate::layout::text::SUMMARY_SIZE;
pub const SMALL_SIZE: f32 = crate::layout::text::LABEL_SIZE;
/// The smallest size (screen points) a state's name may have after zoom-to-fit.
pub const MIN_NAME_PX: f32 = 10.0;
/// The zoom below which zoom-to-fit does not go: node names stay at least [`MIN_NAME_PX`] tall.
pub const MIN_READABLE_ZOOM: f32 = MIN_NAME_PX / NAME_SIZE;

pub fn name_font() -> egui::FontId {
    egui::FontId::proportional(NAME_SIZE)
}

pub fn summary_font() -> egui::FontId {
    egui::FontId::proportional(SUMMARY_SIZE)
}

/// Edge labels, lane titles, markers.
pub fn small_font() -> egui::FontId {
    egui::FontId::proportional(SMALL_SIZE)
}

pub fn badge_font() -> egui::FontId {
    egui::FontId::proportional(10.5)
}

pub fn container_font() -> egui::FontId {
    egui::FontId::proportional(crate::layout::text::CONTAINER_NAME_SIZE)
}

pub const RETRY_COLOR: Color32 = Color32::from_rgb(0x3b, 0x7d, 0xd8);
pub const CATCH_COLOR: Color32 = Color32::from_rgb(0xcc, 0x44, 0x44);
pub const SELECTED: Color32 = Color32::from_rgb(0xff, 0xa5, 0x00);

/// The hexagon a Choice state is drawn as, inside `r`.
pub fn choice_outline(r: Rect) -> Vec<Pos2> {
    let c = r.center();
    vec![
        Pos2::new(r.left(), c.y),
        Pos2::new(r.left() + 18.0, r.top()),
        Pos2::new(r.right() - 18.0, r.top()),
        Pos2::new(r.right(), c.y),
        Pos2::new(r.right() - 18.0, r.bottom()),
        Pos2::new(r.left() + 18.0, r.bottom()),
    ]
}

/// Lays out JSON text with syntax highlighting (the layouter of the code view and the run input editor).
pub fn json_galley(ui: &egui::Ui, text: &str, wrap_width: f32) -> std::sync::Arc<egui::Galley> {
    code_galley(ui, text, "json", wrap_width)
}

/// Lays out code with syntax highlighting for `language` (`json`, `yaml`).
pub fn code_galley(
    ui: &egui::Ui,
    text: &str,
    language: &str,
    wrap_width: f32,
) -> std::sync::Arc<egui::Galley> {
    let theme = egui_extras::syntax_highlighting::CodeTheme::from_memory(ui.ctx(), ui.style());
    let mut job =
        egui_extras::syntax_highlighting::highlight(ui.ctx(), ui.style(), &theme, text, language);
    job.wrap.max_width = wrap_width;
    ui.fonts_mut(|f| f.layout_job(job))
}

/// The key under which the high-contrast setting lives in the egui context's memory.
fn high_contrast_id() -> egui::Id {
    egui::Id::NULL.with("statewright.high_contrast")
}

/// Whether outcome colours (and the run overlay) use the high-contrast palette (presentation mode, projectors).
pub fn high_contrast(ctx: &egui::Context) -> bool {
    ctx.data(|d| d.get_temp::<bool>(high_contrast_id()))
        .unwrap_or(false)
}

/// Switches the high-contrast palette on or off.
#[allow(dead_code)] // TODO(lead): remove once the classroom branches use it
pub fn set_high_contrast(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| d.insert_temp(high_contrast_id(), on));
}

/// The colour of a run outcome on the canvas, for the current theme (dark or light) and contrast setting.
/// The one place these colours are chosen: the canvas, the timeline and exports all ask here.
#[allow(dead_code)] // TODO(lead): remove once the classroom branches use it
pub fn outcome_color(ctx: &egui::Context, outcome: crate::trace::highlight::Outcome) -> Color32 {
    outcome_color_for(
        outcome,
        ctx.global_style().visuals.dark_mode,
        high_contrast(ctx),
    )
}

/// [`outcome_color`] without a context (tests); the table itself is [`Outcome::rgb`](crate::trace::highlight::Outcome::rgb).
#[allow(dead_code)] // TODO(lead): remove once the classroom branches use it
pub fn outcome_color_for(
    outcome: crate::trace::highlight::Outcome,
    dark: bool,
    high_contrast: bool,
) -> Color32 {
    let [r, g, b] = outcome.rgb(dark, high_contrast);
    Color32::from_rgb(r, g, b)
}
