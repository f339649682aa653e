//! Painting states: simple states (icon, name, badges, problems) and containers (Parallel lanes, Map body).

use super::TEXT_LEFT;
use super::interaction::node_interaction;
use crate::asl::StateType;
use crate::ui::app::App;
use crate::ui::layout::NodeLayout;
use crate::ui::theme;
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

#[expect(clippy::too_many_arguments)]
pub(super) fn draw_container(
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

pub(super) fn paint_container(
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
            theme::border_width(selected, theme::high_contrast(painter.ctx())),
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
pub(super) struct NodeText<'a> {
    pub(super) name: &'a str,
    pub(super) summary: &'a str,
    pub(super) color: Color32,
    pub(super) weak: Color32,
}

pub(super) fn draw_node(
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
        theme::border_width(selected, theme::high_contrast(painter.ctx())),
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
pub(super) fn problem_badge(
    app: &App,
    painter: &egui::Painter,
    n: &NodeLayout,
    r: Rect,
    dark: bool,
) {
    use crate::validate::Severity;
    let Some((errors, warnings)) = app.diagnostics.of_state(&n.name) else {
        return;
    };
    let (count, severity, what) = if errors > 0 {
        (errors, Severity::Error, "error")
    } else {
        (warnings, Severity::Warning, "warning")
    };
    let color = crate::ui::diagnostics::severity_color(severity, dark);
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
pub(super) fn fit_text(painter: &egui::Painter, s: &str, font: FontId, max_w: f32) -> String {
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

pub(super) fn badges(painter: &egui::Painter, list: &[(String, Color32)], r: Rect) {
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
pub(super) fn catch_handle_pos(n: &NodeLayout) -> Pos2 {
    let r = theme::rect(n.rect);
    if n.lanes.is_empty() {
        r.right_center()
    } else {
        Pos2::new(r.right(), r.top() + 15.0)
    }
}
