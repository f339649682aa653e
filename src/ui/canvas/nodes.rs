//! Painting states: simple states (icon, name, badges, problems) and containers (Parallel lanes, Map body).

use super::interaction::node_interaction;
use super::text::CrispPainter;
use crate::asl::StateType;
use crate::layout::text::{NAME_LINE_H, TEXT_LEFT};
use crate::ui::app::App;
use crate::ui::layout::NodeLayout;
use crate::ui::theme;
use egui::{Align2, Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};

#[expect(clippy::too_many_arguments)]
pub(super) fn draw_container(
    app: &mut App,
    ui: &mut egui::Ui,
    crisp: &CrispPainter,
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
        paint_container(app, crisp, n, r, header, dark, text);
        badges(crisp, badge_list, r);
        problem_badge(app, crisp, n, r, dark);
    }
    node_interaction(app, ui, n, header);
}

pub(super) fn paint_container(
    app: &App,
    crisp: &CrispPainter,
    n: &NodeLayout,
    r: Rect,
    header: Rect,
    dark: bool,
    text: Color32,
) {
    let painter = crisp.painter();
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
    crisp.text(
        header.left_center() + Vec2::new(36.0, 0.0),
        Align2::LEFT_CENTER,
        n.name_lines.first().unwrap_or(&n.name),
        &theme::container_font(),
        text,
    );
    crisp.text(
        header.right_center() - Vec2::new(12.0, 0.0),
        Align2::RIGHT_CENTER,
        n.state_type.map_or("?", StateType::name),
        &theme::summary_font(),
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
        crisp.text(
            l.left_top() + Vec2::new(8.0, 4.0),
            Align2::LEFT_TOP,
            label,
            &theme::small_font(),
            accent,
        );
    }
}

/// The colours of a simple state's texts (the lines themselves are the layout's: `name_lines`,
/// `summary_line`).
pub(super) struct NodeText {
    pub(super) color: Color32,
    pub(super) weak: Color32,
}

pub(super) fn draw_node(
    app: &App,
    crisp: &CrispPainter,
    n: &NodeLayout,
    r: Rect,
    text: &NodeText,
    badge_list: &[(String, Color32)],
    dark: bool,
) {
    let painter = crisp.painter();
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
    // The name's lines (one unless it is too long for the widest node) and the summary below them, centred
    // vertically as a block; the node is taller by a line height per extra line.
    let one = [n.name.clone()];
    let lines: &[String] = if n.name_lines.is_empty() {
        &one
    } else {
        &n.name_lines
    };
    let extra = (lines.len() - 1) as f32 * NAME_LINE_H / 2.0;
    let first_y = if n.summary_line.is_empty() {
        r.center().y - extra
    } else {
        crisp.text(
            Pos2::new(text_left, r.center().y + 10.0 + extra),
            Align2::LEFT_CENTER,
            &n.summary_line,
            &theme::summary_font(),
            text.weak,
        );
        r.center().y - 9.0 - extra
    };
    for (k, line) in lines.iter().enumerate() {
        crisp.text(
            Pos2::new(text_left, first_y + k as f32 * NAME_LINE_H),
            Align2::LEFT_CENTER,
            line,
            &theme::name_font(),
            text.color,
        );
    }
    badges(crisp, badge_list, r);
    problem_badge(app, crisp, n, r, dark);
}

/// "2 errors" / "1 warning" on the top-left corner of a state the validator reports on.
pub(super) fn problem_badge(app: &App, crisp: &CrispPainter, n: &NodeLayout, r: Rect, dark: bool) {
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
    let galley = crisp.layout(label, &theme::badge_font(), Color32::WHITE);
    let b = Rect::from_min_size(
        Pos2::new(r.left() + 10.0, r.top() - 8.0),
        Vec2::new(galley.size().x + 10.0, 16.0),
    );
    crisp.painter().rect_filled(b, 8.0, color);
    let y = b.center().y - galley.size().y / 2.0;
    crisp.galley(Pos2::new(b.min.x + 5.0, y), galley, Color32::WHITE);
}

pub(super) fn badges(crisp: &CrispPainter, list: &[(String, Color32)], r: Rect) {
    let mut x = r.right() - 8.0;
    for (label, color) in list {
        let galley = crisp.layout(label.clone(), &theme::badge_font(), Color32::WHITE);
        let w = galley.size().x + 10.0;
        let b = Rect::from_min_size(Pos2::new(x - w, r.top() - 8.0), Vec2::new(w, 16.0));
        crisp.painter().rect_filled(b, 8.0, *color);
        let y = b.center().y - galley.size().y / 2.0;
        crisp.galley(Pos2::new(b.min.x + 5.0, y), galley, Color32::WHITE);
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
