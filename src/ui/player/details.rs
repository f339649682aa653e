//! The current event (the right panel while a trace is loaded): type, state, time, the data-flow stages and
//! a Choice state's decision in words.

use super::replay::ReplayInfo;
use super::status_color;
use crate::asl::StateMachine;
use crate::trace::describe::{choice_lines, shorten};
use crate::trace::{Data, Trace, TraceEvent};
use crate::ui::app::App;
use crate::ui::theme;
use egui::RichText;
use serde_json::Value;

/// The current event (the right panel while a trace is loaded): type, state, time, data stages, decisions.
pub fn details_panel_ui(app: &mut App, ui: &mut egui::Ui) {
    let Some(p) = app.run.player.as_ref() else {
        return;
    };
    let len = p.trace.events.len();
    // Long lines (an error's cause, a path) wrap: the panel keeps its width from event to event, so the
    // canvas beside it does not jump while stepping.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
    egui::ScrollArea::both()
        .id_salt("player_details")
        .auto_shrink([false, false])
        .show(ui, |ui| match p.cursor.current(&p.trace) {
            Some(e) => event_details_ui(ui, &p.trace, e, len, &p.machine, p.replay.as_ref()),
            None => {
                ui.label("Before the first event.");
            }
        });
}

/// One event in words. `replay`: the history the trace was read from, when it is a replay (its times are
/// real, or only an order; its Choice decisions may be unexplainable).
pub(super) fn event_details_ui(
    ui: &mut egui::Ui,
    trace: &Trace,
    e: &TraceEvent,
    len: usize,
    machine: &StateMachine,
    replay: Option<&ReplayInfo>,
) {
    ui.label(
        RichText::new(format!("Event {} of {len}: {}", e.id, e.event_type))
            .strong()
            .size(15.0),
    );
    let name = e.path.state_name();
    match name {
        Some(n) => {
            ui.label(RichText::new(format!("State: {n}")).strong());
        }
        None => {
            ui.label("State: (the execution)");
        }
    }
    if e.path.0.len() > 1 {
        ui.label(format!("Path: {}", e.path));
    }
    ui.label(match replay {
        None => format!("Time: {} (virtual)", e.timestamp),
        Some(r) if r.untimed.contains(&e.id) => format!(
            "Time: {} (order only: the history has no times)",
            e.timestamp
        ),
        Some(_) => format!("Time: {}", e.timestamp),
    });
    if let Some(r) = e.resource() {
        ui.label(format!("Resource: {r}"));
    }
    if e.unmocked() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "No mock for this task: its result is its input.",
        );
    }
    if let Some(i) = e.index() {
        if e.event_type.starts_with("MapIteration") {
            ui.label(format!("Map item {i}"));
        } else if i > 0 {
            ui.label(format!("Retry attempt {i}"));
        }
    }
    if let Some(w) = e.wait_seconds() {
        ui.label(format!("Waits {w} s"));
    }
    if let Some(err) = e.error() {
        ui.colored_label(
            theme::CATCH_COLOR,
            match e.cause() {
                Some(c) => format!("Error: {err}: {c}"),
                None => format!("Error: {err}"),
            },
        );
    }
    if let Some(c) = e.choice() {
        ui.add_space(4.0);
        ui.label(RichText::new("Choice decision").strong());
        for line in choice_lines(c) {
            ui.label(RichText::new(line).monospace());
        }
    } else if let Some(note) = replay.and_then(|r| r.choice_notes.get(&e.id)) {
        ui.add_space(4.0);
        ui.label(RichText::new("Choice decision").strong());
        ui.add(egui::Label::new(RichText::new(note).weak()).wrap());
    }
    ui.add_space(4.0);
    let state = name.and_then(|n| crate::edit::find_state(machine, n));
    let field = |key: &str| -> Option<String> {
        let s = state?;
        let v = s.to_json().to_serde();
        Some(serde_json::to_string(v.get(key)?).unwrap_or_default())
    };
    if let Some(st) = e.stages() {
        ui.label(RichText::new("Data flow").strong());
        let jsonata = name.and_then(|n| crate::edit::query_language::language_of(machine, n))
            == Some(crate::edit::query_language::QueryLanguage::Jsonata);
        let output_field = if jsonata { "Output" } else { "OutputPath" };
        let output_what = if jsonata {
            "what Output evaluated to: what the next state receives"
        } else {
            "after OutputPath: what the next state receives"
        };
        let stages: [(&str, &str, &Option<Data>, Option<&str>); 8] = [
            (
                "After InputPath",
                "the part of the state input the state works on",
                &st.after_input_path,
                Some("InputPath"),
            ),
            (
                "After Parameters",
                "the request built from it",
                &st.after_parameters,
                Some("Parameters"),
            ),
            (
                "Arguments",
                "what Arguments evaluated to: the request",
                &st.arguments,
                Some("Arguments"),
            ),
            (
                "Result",
                "what the task (mocked) or Pass returned",
                &st.result,
                None,
            ),
            (
                "After ResultSelector",
                "the result reshaped",
                &st.after_result_selector,
                Some("ResultSelector"),
            ),
            (
                "After ResultPath",
                "the result placed into the state input",
                &st.after_result_path,
                Some("ResultPath"),
            ),
            (
                "Assign",
                "what Assign evaluated to: the variables this state sets",
                &st.assign,
                Some("Assign"),
            ),
            ("Output", output_what, &st.output, Some(output_field)),
        ];
        let shown = stages.iter().filter(|s| s.2.is_some()).count();
        for (n, (title, what, value, key)) in
            stages.into_iter().filter(|s| s.2.is_some()).enumerate()
        {
            let Some(v) = value else { continue };
            let note = key.and_then(|k| field(k).map(|f| format!("{k}: {}", shorten(&f, 300))));
            json_section(
                ui,
                &format!("{}. {title}: {what}", n + 1),
                note.as_deref(),
                v,
                n + 1 == shown,
            );
        }
    } else {
        if let Some(v) = &e.input {
            json_section(ui, "Input", None, v, true);
        }
        if let Some(v) = &e.output {
            json_section(ui, "Output", None, v, true);
        }
    }
    variables_ui(ui, e);
    if e.event_type == "ExecutionSucceeded" || e.event_type == "ExecutionFailed" {
        ui.add_space(4.0);
        ui.label(
            RichText::new(format!("The execution ended: {}", trace.status.name()))
                .color(status_color(ui.ctx(), trace.status)),
        );
    }
}

/// A collapsible stage: its title, the field that produced it (when set), the data as pretty JSON.
pub(super) fn json_section(
    ui: &mut egui::Ui,
    title: &str,
    note: Option<&str>,
    v: &Value,
    open: bool,
) {
    egui::CollapsingHeader::new(title)
        .id_salt(title)
        .default_open(open)
        .show(ui, |ui| {
            if let Some(n) = note {
                ui.add(egui::Label::new(RichText::new(n).weak().monospace()).wrap());
            }
            let text = serde_json::to_string_pretty(v).unwrap_or_default();
            ui.add(egui::Label::new(RichText::new(text).monospace()).wrap());
        });
}

/// The workflow variables in scope at the event, the ones this state assigned marked.
fn variables_ui(ui: &mut egui::Ui, e: &TraceEvent) {
    let assigned: &[std::sync::Arc<str>] = e.assigned().unwrap_or(&[]);
    if !assigned.is_empty() {
        ui.add_space(4.0);
        let names: Vec<String> = assigned.iter().map(|n| format!("${n}")).collect();
        ui.label(format!("Assigned by this state: {}", names.join(", ")));
    }
    let Some(vars) = e.variables().filter(|v| !v.is_empty()) else {
        return;
    };
    ui.add_space(4.0);
    let count = vars.iter().count();
    egui::CollapsingHeader::new(format!("Variables in scope ({count})"))
        .id_salt("variables_in_scope")
        .default_open(true)
        .show(ui, |ui| {
            for (name, value) in vars.iter() {
                let text = shorten(&serde_json::to_string(&**value).unwrap_or_default(), 300);
                let mark = if assigned.iter().any(|a| &**a == name) {
                    "  (assigned here)"
                } else {
                    ""
                };
                let line = RichText::new(format!("${name} = {text}{mark}")).monospace();
                let line = if mark.is_empty() { line } else { line.strong() };
                ui.add(egui::Label::new(line).wrap());
            }
        });
}
