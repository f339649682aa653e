//! The bottom panel (problems; click one to select its state) and the code view (the ASL JSON, synced
//! both ways: text that does not parse shows line:col and never touches the document).

use super::app::{App, Command};
use crate::asl::StateMachine;

/// One problem shown in the panel.
struct Problem {
    message: String,
    state: Option<String>,
}

/// Until the validator lands on this branch: JSON errors of the code view, and transitions to missing states.
fn problems(app: &App) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(e) = &app.code_error {
        out.push(Problem {
            message: format!("JSON: {e}"),
            state: None,
        });
    }
    if !app.document().root_is_object() && app.machine().states().is_empty() {
        out.push(Problem {
            message: "The file's top level is not a JSON object".into(),
            state: None,
        });
    }
    fn walk(m: &StateMachine, out: &mut Vec<Problem>) {
        if let Some(s) = m.start_at()
            && m.state(s).is_none()
        {
            out.push(Problem {
                message: format!("StartAt \"{s}\" is not a state of this scope"),
                state: None,
            });
        }
        for n in m.states() {
            for e in n.state.edges() {
                if m.state(e.target).is_none() {
                    out.push(Problem {
                        message: format!(
                            "{}: {} transition to missing state \"{}\"",
                            n.name,
                            e.kind.name(),
                            e.target
                        ),
                        state: Some(n.name.to_string()),
                    });
                }
            }
            for c in n.state.child_machines() {
                walk(c, out);
            }
        }
    }
    walk(app.machine(), &mut out);
    out
}

pub fn diagnostics_ui(app: &mut App, ui: &mut egui::Ui) {
    let list = problems(app);
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Diagnostics").strong());
        ui.label(if list.is_empty() {
            "no problems".to_owned()
        } else {
            format!("{} problem(s)", list.len())
        });
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for p in list {
                let text = egui::RichText::new(format!("! {}", p.message))
                    .color(ui.visuals().warn_fg_color);
                let r = ui.add(egui::Button::new(text).frame(false));
                if r.clicked() {
                    match p.state {
                        Some(s) => app.push(Command::Select(Some(s))),
                        None if app.code_error.is_some() && !app.show_code => {
                            app.push(Command::ToggleCode)
                        }
                        None => {}
                    }
                }
            }
        });
}

pub fn code_view_ui(app: &mut App, ui: &mut egui::Ui) {
    if let Some(e) = &app.code_error {
        ui.colored_label(ui.visuals().error_fg_color, format!("Not applied: {e}"));
    }
    let theme = egui_extras::syntax_highlighting::CodeTheme::from_memory(ui.ctx(), ui.style());
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        let mut job = egui_extras::syntax_highlighting::highlight(
            ui.ctx(),
            ui.style(),
            &theme,
            buf.as_str(),
            "json",
        );
        job.wrap.max_width = wrap_width;
        ui.fonts_mut(|f| f.layout_job(job))
    };
    let label = ui.label("ASL JSON");
    let mut changed = false;
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let r = ui.add(
                egui::TextEdit::multiline(&mut app.code_text)
                    .id_salt("code_view")
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(30)
                    .layouter(&mut layouter),
            );
            let r = r.labelled_by(label.id);
            changed = r.changed();
        });
    if changed {
        app.code_edited();
    }
}
