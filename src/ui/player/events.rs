//! The event list (the left panel while a trace is loaded).

use super::RunCommand;
use crate::trace::Trace;
use crate::ui::app::{App, Command};
use crate::ui::theme;
use egui::RichText;
use std::collections::BTreeMap;

/// The event list (the left panel while a trace is loaded): one row per event; a click seeks. A replay's
/// events that do not fit the workflow are shown in the warning colour, their mismatch in the hover text.
pub fn events_panel_ui(app: &mut App, ui: &mut egui::Ui) {
    let Some(p) = app.run.player.as_mut() else {
        return;
    };
    let mut cmds = Vec::new();
    ui.heading("Events");
    let current = p.cursor.index();
    let scroll_to = p.scroll_to.take();
    let mismatches = p.replay.as_ref().map(|r| &r.mismatch_rows);
    event_list_ui(ui, &p.trace, current, scroll_to, mismatches, &mut cmds);
    app.commands.extend(cmds.into_iter().map(Command::Run));
}

pub(super) fn event_list_ui(
    ui: &mut egui::Ui,
    trace: &Trace,
    current: Option<usize>,
    scroll_to: Option<usize>,
    mismatches: Option<&BTreeMap<usize, String>>,
    cmds: &mut Vec<RunCommand>,
) {
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let mut area = egui::ScrollArea::vertical()
        .id_salt("player_events")
        .auto_shrink([false, false]);
    if let Some(i) = scroll_to {
        let visible = ui.available_height();
        area = area.vertical_scroll_offset((i as f32 * row_h - visible / 2.0).max(0.0));
    }
    area.show_rows(ui, row_h, trace.events.len(), |ui, rows| {
        for i in rows {
            let e = &trace.events[i];
            let mut text = format!("{:>3}  {}", e.id, e.event_type);
            if let Some(name) = e.path.state_name() {
                text.push_str("  ");
                text.push_str(name);
            }
            let mismatch = mismatches.and_then(|m| m.get(&i));
            let mut rich = RichText::new(text).monospace();
            if mismatch.is_some() {
                rich = rich.color(ui.visuals().warn_fg_color);
                if Some(i) == current {
                    rich = rich.strong();
                }
            } else if e.error().is_some() {
                rich = rich.color(theme::CATCH_COLOR);
            } else if Some(i) == current {
                rich = rich.strong();
            } else if !e.is_state_entered() && !e.event_type.starts_with("Execution") {
                rich = rich.weak();
            }
            let mut r = ui.add(egui::Button::selectable(Some(i) == current, rich).truncate());
            if let Some(m) = mismatch {
                r = r.on_hover_text(format!("Does not fit the workflow: {m}"));
            }
            if r.clicked() {
                cmds.push(RunCommand::SeekFromList(i));
            }
        }
    });
}
