//! The Run dialog's substitutions, for a state machine of a template: every `${…}` placeholder (and, in an
//! inline mapping, every intrinsic function) with the value the simulation uses and where it comes from
//! (a literal in the template, a stand-in for `!GetAtt …`, unresolved, or the user's own value); any value can
//! be overridden. The values and the substituted definition come from [`crate::template`]
//! ([`Template::substitute`], over the definition as edited, so the run simulates what the designer shows).

use crate::asl::StateMachine;
use crate::json::Json;
use crate::template::{Substitution, Template};
use crate::ui::app::App;
use egui::RichText;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The substitutions table, recomputed when the document or the overrides change.
pub struct Substitutions {
    /// The user's values, by placeholder name.
    pub overrides: BTreeMap<String, String>,
    /// The document (`doc_id`) the overrides were typed for: another document starts without them.
    overrides_for: u64,
    /// What `list` was computed for: document id, revision, overrides.
    list_for: Option<(u64, u64, BTreeMap<String, String>)>,
    list: Result<Vec<Substitution>, String>,
}

impl Default for Substitutions {
    fn default() -> Self {
        Substitutions {
            overrides: BTreeMap::new(),
            overrides_for: 0,
            list_for: None,
            list: Ok(Vec::new()),
        }
    }
}

/// What a run of a template's state machine needs to substitute its definition (taken to the run's thread).
pub(super) struct TemplateRun {
    template: Arc<Template>,
    id: String,
    definition: Json,
    overrides: BTreeMap<String, String>,
}

impl TemplateRun {
    /// The definition as the simulation runs it (on the run's thread).
    pub(super) fn machine(&self) -> Result<StateMachine, String> {
        let (def, _) = self
            .template
            .substitute(&self.id, &self.definition, &self.overrides)
            .map_err(|e| format!("Substitutions: {e}"))?;
        StateMachine::from_json(&def).ok_or_else(|| {
            "Substitutions: the substituted definition is not a state machine object".to_owned()
        })
    }

    /// How many placeholders the user overrode (for the run summary).
    pub(super) fn overridden(&self) -> usize {
        self.overrides.len()
    }
}

/// For a template's state machine: what its run substitutes; `None` for a plain document.
pub(super) fn template_run(app: &App) -> Option<TemplateRun> {
    let s = app.source.as_ref()?;
    Some(TemplateRun {
        template: s.template.clone(),
        id: s.id.clone(),
        definition: app.editor.doc.to_json(),
        overrides: app.run.subs.overrides.clone(),
    })
}

impl App {
    /// The substitutions the next run of a template's state machine uses (`None` for a plain document), as
    /// the Run dialog lists them.
    pub fn run_substitutions(&mut self) -> Option<Result<&[Substitution], &str>> {
        refresh(self);
        self.source.as_ref()?;
        Some(match &self.run.subs.list {
            Ok(l) => Ok(l.as_slice()),
            Err(e) => Err(e.as_str()),
        })
    }
}

/// Recomputes the table when the document, its revision or the overrides changed.
fn refresh(app: &mut App) {
    let doc_id = app.bg.doc_id;
    let subs = &mut app.run.subs;
    if subs.overrides_for != doc_id {
        subs.overrides.clear();
        subs.overrides_for = doc_id;
    }
    let Some(s) = &app.source else {
        subs.list_for = None;
        subs.list = Ok(Vec::new());
        return;
    };
    let key = (doc_id, app.revision, subs.overrides.clone());
    if subs.list_for.as_ref() == Some(&key) {
        return;
    }
    subs.list = s
        .template
        .substitute(&s.id, &app.editor.doc.to_json(), &subs.overrides)
        .map(|(_, list)| list)
        .map_err(|e| e.to_string());
    subs.list_for = Some(key);
}

/// The table in the Run dialog: name, value (editable), origin; "Reset" drops an override.
pub(super) fn substitutions_ui(app: &mut App, ui: &mut egui::Ui) {
    refresh(app);
    if app.source.is_none() {
        return;
    }
    let list = match &app.run.subs.list {
        Ok(l) => l.clone(),
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
    };
    ui.add_space(6.0);
    ui.label(RichText::new("Substitutions").strong());
    if list.is_empty() {
        ui.label(RichText::new("The definition has no ${…} placeholders.").weak());
        return;
    }
    ui.label(
        RichText::new(
            "The simulation replaces each placeholder with this value (the template keeps the placeholder). \
             Type to use your own.",
        )
        .weak(),
    );
    egui::ScrollArea::vertical()
        .id_salt("run_substitutions_scroll")
        .max_height(180.0)
        .show(ui, |ui| {
            egui::Grid::new("run_substitutions")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    ui.strong("Name");
                    ui.strong("Value");
                    ui.strong("Origin");
                    ui.label("");
                    ui.end_row();
                    for s in &list {
                        let label = ui.label(&s.name);
                        let mut text = app
                            .run
                            .subs
                            .overrides
                            .get(&s.name)
                            .cloned()
                            .or_else(|| s.value.clone())
                            .unwrap_or_default();
                        let r = ui
                            .add(
                                egui::TextEdit::singleline(&mut text)
                                    .id_salt(("run_substitution", &s.name))
                                    .hint_text(format!("${{{}}}", s.name))
                                    .desired_width(300.0),
                            )
                            .labelled_by(label.id);
                        if r.changed() {
                            app.run.subs.overrides.insert(s.name.clone(), text);
                        }
                        ui.label(RichText::new(crate::ui::app::substitution_origin(s)).weak());
                        if app.run.subs.overrides.contains_key(&s.name) {
                            if ui
                                .button("Reset")
                                .on_hover_text(format!("Use the template's value of {}", s.name))
                                .clicked()
                            {
                                app.run.subs.overrides.remove(&s.name);
                            }
                        } else {
                            ui.label("");
                        }
                        ui.end_row();
                    }
                });
        });
}
