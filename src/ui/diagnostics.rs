//! The bottom panel (problems; click one to select its state) and the code view (the ASL JSON, synced
//! both ways: text that does not parse shows line:col and never touches the document).

use super::app::{App, Command};
use super::theme;
use crate::asl::{Document, StateMachine};
use crate::json::Pointer;
use crate::validate::{Diagnostic, Severity};
use egui::{Color32, FontId, Pos2, Rect, Sense, Stroke, Vec2};

/// The validator's findings for one version of the document, with the state each one lies in.
#[derive(Debug, Default)]
pub struct DiagnosticsCache {
    list: Vec<Diagnostic>,
    /// Per diagnostic: the innermost existing state its pointer lies in.
    states: Vec<Option<String>>,
    errors: usize,
    warnings: usize,
    /// Per state name: how many errors and warnings lie in it (for the canvas badges).
    by_state: std::collections::HashMap<String, (usize, usize)>,
}

impl DiagnosticsCache {
    /// Runs the validator on `doc` (the designer does this off the UI thread for big machines).
    pub fn compute(doc: &Document) -> DiagnosticsCache {
        let list = crate::validate::validate_document(doc);
        let states: Vec<Option<String>> = list
            .iter()
            .map(|d| state_at_pointer(&doc.machine, &d.pointer))
            .collect();
        let mut by_state: std::collections::HashMap<String, (usize, usize)> = Default::default();
        for (d, s) in list.iter().zip(&states) {
            if let Some(s) = s {
                let e = by_state.entry(s.clone()).or_default();
                if d.is_error() {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
        }
        let errors = list.iter().filter(|d| d.is_error()).count();
        DiagnosticsCache {
            warnings: list.len() - errors,
            errors,
            list,
            states,
            by_state,
        }
    }

    pub fn list(&self) -> &[Diagnostic] {
        &self.list
    }

    /// `(errors, warnings)` lying in the state `name`, if any.
    pub fn of_state(&self, name: &str) -> Option<(usize, usize)> {
        self.by_state.get(name).copied()
    }
}

/// The innermost state of `root` that `pointer` lies in, following `States/NAME`, `Branches/N` and
/// `ItemProcessor`/`Iterator` through nested machines; `None` for machine-level fields such as `/StartAt`.
pub fn state_at_pointer(root: &StateMachine, pointer: &Pointer) -> Option<String> {
    let tokens: Vec<String> = pointer.tokens().collect();
    let token = |i: usize| tokens.get(i).map(String::as_str);
    let mut machine = root;
    let mut found = None;
    let mut i = 0;
    while token(i) == Some("States") {
        let Some(name) = token(i + 1) else { break };
        let Some(state) = machine.state(name) else {
            break;
        };
        found = Some(name.to_owned());
        i += 2;
        let child = match token(i) {
            Some("Branches") => {
                let b = token(i + 1)
                    .and_then(|t| t.parse::<usize>().ok())
                    .and_then(|k| state.branches.as_ref()?.get(k));
                i += 2;
                b
            }
            Some("ItemProcessor") => {
                i += 1;
                state.item_processor.as_deref()
            }
            Some("Iterator") => {
                i += 1;
                state.iterator.as_deref()
            }
            _ => None,
        };
        match child {
            Some(m) => machine = m,
            None => break,
        }
    }
    found
}

/// "2 errors, 1 warning", or "No problems".
pub fn count_text(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "No problems".to_owned(),
        (e, 0) => plural(e, "error"),
        (0, w) => plural(w, "warning"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

pub fn severity_color(severity: Severity, dark: bool) -> Color32 {
    match (severity, dark) {
        (Severity::Error, true) => Color32::from_rgb(0xf0, 0x5a, 0x5a),
        (Severity::Error, false) => Color32::from_rgb(0xc8, 0x2a, 0x2a),
        (Severity::Warning, true) => Color32::from_rgb(0xe8, 0xb3, 0x3a),
        (Severity::Warning, false) => Color32::from_rgb(0xb0, 0x70, 0x00),
    }
}

/// A filled circle with a cross (error) or a triangle with a bar (warning), centred at `c`.
fn paint_severity_icon(painter: &egui::Painter, c: Pos2, severity: Severity, color: Color32) {
    let white = Stroke::new(1.6, Color32::WHITE);
    match severity {
        Severity::Error => {
            painter.circle_filled(c, 7.0, color);
            let d = 3.0;
            painter.line_segment([c + Vec2::new(-d, -d), c + Vec2::new(d, d)], white);
            painter.line_segment([c + Vec2::new(-d, d), c + Vec2::new(d, -d)], white);
        }
        Severity::Warning => {
            let pts = vec![
                c + Vec2::new(0.0, -7.5),
                c + Vec2::new(8.0, 6.5),
                c + Vec2::new(-8.0, 6.5),
            ];
            painter.add(egui::Shape::convex_polygon(pts, color, Stroke::NONE));
            painter.line_segment([c + Vec2::new(0.0, -3.0), c + Vec2::new(0.0, 2.0)], white);
            painter.circle_filled(c + Vec2::new(0.0, 4.2), 0.9, Color32::WHITE);
        }
    }
}

/// One row of the panel.
struct Row<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    position: Option<(usize, usize)>,
    state: Option<&'a str>,
}

impl Row<'_> {
    /// What a screen reader (and kittest) reads: `error target-missing: message (line 12:7)`.
    fn label(&self) -> String {
        let mut s = format!("{} {}: {}", self.severity.name(), self.code, self.message);
        if let Some((l, c)) = self.position {
            s.push_str(&format!(" (line {l}:{c})"));
        }
        s
    }
}

const ROW_H: f32 = 22.0;

/// Draws one row; returns whether it was clicked.
fn row_ui(ui: &mut egui::Ui, row: &Row<'_>, selected: bool) -> bool {
    let dark = ui.visuals().dark_mode;
    let (rect, resp) =
        ui.allocate_exact_size(Vec2::new(ui.available_width(), ROW_H), Sense::click());
    let label = row.label();
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if !ui.is_rect_visible(rect) {
        return resp.clicked();
    }
    let painter = ui.painter_at(rect);
    if selected || resp.hovered() {
        let fill = if selected {
            ui.visuals().selection.bg_fill.gamma_multiply(0.5)
        } else {
            ui.visuals().widgets.hovered.weak_bg_fill
        };
        painter.rect_filled(rect, 3.0, fill);
    }
    let color = severity_color(row.severity, dark);
    paint_severity_icon(
        &painter,
        Pos2::new(rect.left() + 12.0, rect.center().y),
        row.severity,
        color,
    );
    let strong = ui.visuals().strong_text_color();
    let weak = ui.visuals().weak_text_color();
    let y = rect.center().y;
    let mut x = rect.left() + 28.0;
    // Position first, in a fixed-width column, so messages line up.
    let pos = row
        .position
        .map_or(String::new(), |(l, c)| format!("{l}:{c}"));
    painter.text(
        Pos2::new(x, y),
        egui::Align2::LEFT_CENTER,
        pos,
        FontId::monospace(12.0),
        weak,
    );
    x += 64.0;
    let code = painter.text(
        Pos2::new(x, y),
        egui::Align2::LEFT_CENTER,
        row.code,
        FontId::monospace(12.0),
        color,
    );
    x = code.right().max(x + 150.0) + 10.0;
    let state_w = row.state.map_or(0.0, |_| 200.0);
    let msg_w = (rect.right() - x - state_w - 8.0).max(40.0);
    let mut job = egui::text::LayoutJob::single_section(
        row.message.to_owned(),
        egui::TextFormat::simple(FontId::proportional(13.0), strong),
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(msg_w);
    let galley = painter.layout_job(job);
    painter.galley(Pos2::new(x, y - galley.size().y / 2.0), galley, strong);
    if let Some(s) = row.state {
        let mut job = egui::text::LayoutJob::single_section(
            s.to_owned(),
            egui::TextFormat::simple(
                FontId::proportional(12.0),
                theme::selected_text(ui.visuals().dark_mode),
            ),
        );
        job.wrap = egui::text::TextWrapping::truncate_at_width(state_w - 8.0);
        job.halign = egui::Align::RIGHT;
        let galley = painter.layout_job(job);
        painter.galley(
            Pos2::new(rect.right() - 8.0, y - galley.size().y / 2.0),
            galley,
            weak,
        );
    }
    if resp.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    resp.on_hover_text(&label).clicked()
}

pub fn diagnostics_ui(app: &mut App, ui: &mut egui::Ui) {
    let json_error = app.code_error.clone();
    let cache = &app.diagnostics;
    let errors = cache.errors + usize::from(json_error.is_some());
    let dark = ui.visuals().dark_mode;
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Diagnostics").strong());
        let text = count_text(errors, cache.warnings);
        let color = if errors > 0 {
            severity_color(Severity::Error, dark)
        } else if cache.warnings > 0 {
            severity_color(Severity::Warning, dark)
        } else {
            theme::accent(Some(crate::asl::StateType::Succeed))
        };
        ui.label(egui::RichText::new(text).color(color));
    });
    ui.separator();
    let mut rows: Vec<Row<'_>> = Vec::with_capacity(cache.list.len() + 1);
    if let Some(e) = &json_error {
        rows.push(Row {
            severity: Severity::Error,
            code: match app.editor.doc.format() {
                crate::asl::SourceFormat::Yaml => "yaml",
                crate::asl::SourceFormat::Json => "json",
            },
            message: e,
            position: None,
            state: None,
        });
    }
    rows.extend(cache.list.iter().zip(&cache.states).map(|(d, s)| Row {
        severity: d.severity,
        code: d.code,
        message: &d.message,
        position: d.line.zip(d.column),
        state: s.as_deref(),
    }));
    let mut clicked = None;
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, ROW_H, rows.len(), |ui, range| {
            ui.spacing_mut().item_spacing.y = 0.0;
            for i in range {
                let row = &rows[i];
                let selected = row.state.is_some() && row.state == app.selection.as_deref();
                if row_ui(ui, row, selected) {
                    clicked = Some(i);
                }
            }
        });
    let Some(i) = clicked else { return };
    let is_json = json_error.is_some() && i == 0;
    let state = rows[i].state.map(str::to_owned);
    if app.show_code {
        app.code_goto = rows[i].position;
    }
    drop(rows);
    if is_json {
        if !app.show_code {
            app.push(Command::ToggleCode);
        }
    } else if let Some(s) = state {
        reveal_state(app, &s);
    }
}

/// Selects a state and pans/zooms the canvas so that it is visible and centred.
pub fn reveal_state(app: &mut App, name: &str) {
    if let Some(n) = app.layout.nodes.iter().find(|n| n.name == name) {
        let r: Rect = theme::rect(n.rect);
        app.canvas.frame_rect(r);
    }
    app.push(Command::Select(Some(name.to_owned())));
}

/// The character index of a 1-based line:col (columns in characters) in `text`, clamped to the text.
pub fn char_index(text: &str, line: usize, col: usize) -> usize {
    let mut index = 0;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.chars().count();
        if i + 1 == line {
            return index + col.saturating_sub(1).min(len);
        }
        index += len + 1;
    }
    text.chars().count()
}

pub fn code_view_ui(app: &mut App, ui: &mut egui::Ui) {
    if let Some(e) = &app.code_error {
        ui.colored_label(ui.visuals().error_fg_color, format!("Not applied: {e}"));
    }
    // The code is the document's own text: YAML for a YAML document, JSON otherwise.
    let (language, label) = match app.editor.doc.format() {
        crate::asl::SourceFormat::Yaml => ("yaml", "ASL YAML"),
        crate::asl::SourceFormat::Json => ("json", "ASL JSON"),
    };
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        super::theme::code_galley(ui, buf.as_str(), language, wrap_width)
    };
    let label = ui.label(label);
    let mut changed = false;
    let goto = app.code_goto.take();
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut out = egui::TextEdit::multiline(&mut app.code_text)
                .id_salt("code_view")
                .code_editor()
                .desired_width(f32::INFINITY)
                .desired_rows(30)
                .layouter(&mut layouter)
                .show(ui);
            let r = out.response.response.clone().labelled_by(label.id);
            changed = r.changed();
            if r.lost_focus() {
                // Typing in the code view is one undo step per visit, like a field's.
                app.end_visit();
            }
            // A diagnostic was clicked: put the cursor on its line:col and bring it into view.
            if let Some((line, col)) = goto {
                let at = egui::text::CCursor::new(char_index(&app.code_text, line, col));
                out.state
                    .cursor
                    .set_char_range(Some(egui::text::CCursorRange::one(at)));
                out.state.store(ui.ctx(), r.id);
                r.request_focus();
                let cursor = out.galley.pos_from_cursor(at);
                ui.scroll_to_rect(
                    cursor.translate(out.galley_pos.to_vec2()).expand(8.0),
                    Some(egui::Align::Center),
                );
            }
        });
    if changed {
        app.code_edited();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::Document;

    #[test]
    fn pointers_map_to_the_innermost_state() {
        let doc = Document::parse_json(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
                    "StartAt":"States","States":{"States":{"Type":"Pass","Next":"Nowhere"}}}}}}]}}}"#,
        )
        .unwrap();
        let m = &doc.machine;
        let at = |p: &str| state_at_pointer(m, &Pointer::parse(p).unwrap());
        assert_eq!(at(""), None);
        assert_eq!(at("/StartAt"), None);
        assert_eq!(at("/States/P"), Some("P".into()));
        assert_eq!(at("/States/P/Branches/0/StartAt"), Some("P".into()));
        assert_eq!(at("/States/P/Branches/0/States/A/End"), Some("A".into()));
        assert_eq!(
            at("/States/P/Branches/1/States/M/ItemProcessor/States/States/Next"),
            Some("States".into())
        );
        // A pointer into a state that is not in the model stops at the last one that is.
        assert_eq!(
            at("/States/P/Branches/1/States/Gone/Next"),
            Some("P".into())
        );
        assert_eq!(at("/States/P/Branches/7/States/A"), Some("P".into()));
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(count_text(0, 0), "No problems");
        assert_eq!(count_text(1, 0), "1 error");
        assert_eq!(count_text(2, 1), "2 errors, 1 warning");
        assert_eq!(count_text(0, 3), "3 warnings");
    }
}
