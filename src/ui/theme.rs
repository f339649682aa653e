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

/// Text in the selection colour (a state's name in the diagnostics): [`SELECTED`] is too pale on a light
/// background, so light themes get a darker orange.
pub fn selected_text(dark: bool) -> Color32 {
    if dark {
        SELECTED
    } else {
        Color32::from_rgb(0xa8, 0x55, 0x00)
    }
}

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

/// What the canvas draws text and transitions with, for the theme (dark or light) and the contrast setting;
/// read once per frame ([`Ink::of`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    pub dark: bool,
    pub high_contrast: bool,
    /// State names, the Start/End markers.
    pub text: Color32,
    /// Summaries, edge labels.
    pub weak: Color32,
    /// `Next` transitions.
    pub next: Color32,
    /// A Choice's `Default` transition.
    pub default: Color32,
    /// A Choice rule's transition.
    pub choice: Color32,
    /// The width of a transition's line.
    pub edge_width: f32,
}

impl Ink {
    pub fn new(dark: bool, high_contrast: bool) -> Ink {
        let gray = Color32::from_gray;
        let choice = accent(Some(StateType::Choice));
        let (text, weak, next, default, choice, edge_width) = match (dark, high_contrast) {
            (true, false) => (gray(230), gray(178), gray(180), gray(170), choice, 1.6),
            // On white, the Choice orange is darkened so that its edge labels read (WCAG AA).
            (false, false) => (
                gray(25),
                gray(85),
                gray(70),
                gray(90),
                lerp(choice, Color32::BLACK, 0.3),
                1.6,
            ),
            // Projectors wash out mid greys and thin lines: full white/black text, near-white/black lines,
            // the Choice orange lightened on dark and darkened on light.
            (true, true) => (
                Color32::WHITE,
                gray(225),
                gray(235),
                gray(220),
                lerp(choice, Color32::WHITE, 0.25),
                2.6,
            ),
            (false, true) => (
                Color32::BLACK,
                gray(35),
                gray(20),
                gray(45),
                lerp(choice, Color32::BLACK, 0.5),
                2.6,
            ),
        };
        Ink {
            dark,
            high_contrast,
            text,
            weak,
            next,
            default,
            choice,
            edge_width,
        }
    }

    /// The ink of `ui`'s theme and the context's contrast setting.
    pub fn of(ui: &egui::Ui) -> Ink {
        Ink::new(ui.visuals().dark_mode, high_contrast(ui.ctx()))
    }
}

/// The outline width of a state's box: wider when selected and in high contrast.
pub fn border_width(selected: bool, high_contrast: bool) -> f32 {
    match (selected, high_contrast) {
        (false, false) => 1.5,
        (true, false) => 3.0,
        (false, true) => 2.5,
        (true, true) => 4.0,
    }
}

/// `base` (egui's dark or light visuals) with stronger text and lines for high contrast: full white/black
/// text, weak text barely weaker, visible button borders, wider separators and selection strokes.
pub fn high_contrast_visuals(base: &egui::Visuals) -> egui::Visuals {
    use egui::Stroke;
    let mut v = base.clone();
    let (fg, panel, line) = if v.dark_mode {
        (
            Color32::WHITE,
            Color32::from_gray(12),
            Color32::from_gray(200),
        )
    } else {
        (Color32::BLACK, Color32::WHITE, Color32::from_gray(55))
    };
    v.weak_text_alpha = v.weak_text_alpha.max(0.85);
    v.panel_fill = panel;
    v.window_fill = panel;
    v.window_stroke = Stroke::new(v.window_stroke.width.max(1.0) + 1.0, line);
    v.widgets.noninteractive.fg_stroke.color = fg;
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.5, line);
    v.widgets.inactive.bg_stroke = Stroke::new(1.5, line);
    for w in [
        &mut v.widgets.inactive,
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.fg_stroke.color = fg;
        w.fg_stroke.width = w.fg_stroke.width.max(1.5);
    }
    for w in [
        &mut v.widgets.hovered,
        &mut v.widgets.active,
        &mut v.widgets.open,
    ] {
        w.bg_stroke.width += 1.0;
    }
    v.selection.stroke.width += 1.0;
    if !v.dark_mode {
        // egui's light orange and red are too pale on white from the back of a room.
        v.warn_fg_color = Color32::from_rgb(0xa3, 0x4a, 0x00);
        v.error_fg_color = Color32::from_rgb(0xc0, 0x00, 0x00);
    }
    v
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
pub fn set_high_contrast(ctx: &egui::Context, on: bool) {
    ctx.data_mut(|d| d.insert_temp(high_contrast_id(), on));
}

/// The colour of a run outcome on the canvas, for the current theme (dark or light) and contrast setting.
/// The one place these colours are chosen: the canvas, the timeline and exports all ask here.
pub fn outcome_color(ctx: &egui::Context, outcome: crate::trace::highlight::Outcome) -> Color32 {
    outcome_color_for(
        outcome,
        ctx.global_style().visuals.dark_mode,
        high_contrast(ctx),
    )
}

/// [`outcome_color`] without a context (tests); the table itself is [`Outcome::rgb`](crate::trace::highlight::Outcome::rgb).
pub fn outcome_color_for(
    outcome: crate::trace::highlight::Outcome,
    dark: bool,
    high_contrast: bool,
) -> Color32 {
    let [r, g, b] = outcome.rgb(dark, high_contrast);
    Color32::from_rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two opaque colours (1 to 21).
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let f = |v: u8| {
                let v = v as f32 / 255.0;
                if v <= 0.03928 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * f(c.r()) + 0.7152 * f(c.g()) + 0.0722 * f(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    const TYPES: [StateType; 8] = [
        StateType::Task,
        StateType::Choice,
        StateType::Parallel,
        StateType::Map,
        StateType::Wait,
        StateType::Pass,
        StateType::Succeed,
        StateType::Fail,
    ];

    /// Canvas text on every state fill and transitions (whose labels are text in their colour) on the canvas
    /// background reach WCAG's AA contrast (4.5:1; 7:1 for names), and AAA (7:1; 10:1 for names) with
    /// high contrast, which also draws wider lines.
    #[test]
    fn canvas_ink_reaches_wcag_contrast_and_high_contrast_raises_it() {
        for dark in [true, false] {
            for hc in [false, true] {
                let ink = Ink::new(dark, hc);
                let bg = visuals(dark, hc).panel_fill;
                let (name_min, other_min) = if hc { (10.0, 7.0) } else { (7.0, 4.5) };
                for t in TYPES {
                    let f = fill(Some(t), dark);
                    let (text, weak) = (contrast(ink.text, f), contrast(ink.weak, f));
                    assert!(
                        text >= name_min,
                        "dark {dark} hc {hc} {t:?}: names {text:.2}"
                    );
                    assert!(
                        weak >= other_min,
                        "dark {dark} hc {hc} {t:?}: summaries {weak:.2}"
                    );
                }
                for (what, c) in [
                    ("Next", ink.next),
                    ("Default", ink.default),
                    ("Choice", ink.choice),
                ] {
                    let r = contrast(c, bg);
                    assert!(r >= other_min, "dark {dark} hc {hc}: {what} edges {r:.2}");
                }
                let normal = Ink::new(dark, false);
                assert!(ink.edge_width >= normal.edge_width + if hc { 1.0 } else { 0.0 });
                assert!(
                    border_width(false, hc)
                        >= border_width(false, false) + if hc { 1.0 } else { 0.0 }
                );
            }
        }
    }

    fn visuals(dark: bool, hc: bool) -> egui::Visuals {
        let base = if dark {
            egui::Visuals::dark()
        } else {
            egui::Visuals::light()
        };
        if hc {
            high_contrast_visuals(&base)
        } else {
            base
        }
    }
}
