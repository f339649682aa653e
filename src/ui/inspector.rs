//! The right panel: the selected state's fields, each with a fitting widget; every change is an
//! [`Op::SetField`] (typing merges into one undo step).

use super::app::{App, Command, FieldEdit};
use super::expr_field;
use crate::asl::{Catcher, ChoiceRule, FieldValue, Operand, Operator, Retrier, State, StateType};
use crate::edit::query_language::{self, QueryLanguage};
use crate::edit::{Op, find_scope, find_state, machine_at};
use crate::json::{self, JStr, Json};

/// Fields with a widget of their own (not in the generic list).
const SPECIAL: &[&str] = &[
    "Type",
    "Comment",
    "Next",
    "End",
    "Default",
    "Choices",
    "Retry",
    "Catch",
    "Branches",
    "ItemProcessor",
    "Iterator",
    "Seconds",
    "SecondsPath",
    "Timestamp",
    "TimestampPath",
    "Assign",
];
/// Fields edited as JSON text.
const JSON_FIELDS: &[&str] = &[
    "Parameters",
    "ResultSelector",
    "Result",
    "Arguments",
    "Output",
    "Assign",
    "ItemSelector",
    "Credentials",
    "Items",
    "ItemReader",
    "ItemBatcher",
    "ResultWriter",
];
const NUMBER_FIELDS: &[&str] = &[
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "MaxConcurrency",
    "ToleratedFailureCount",
    "ToleratedFailurePercentage",
];

pub fn inspector_ui(app: &mut App, ui: &mut egui::Ui) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        let selected = app.selected();
        if selected.len() > 1 {
            ui.heading(format!("{} states selected", selected.len()));
            for n in &selected {
                ui.label(n);
            }
            ui.add_space(6.0);
            ui.weak("Delete, Duplicate and Copy apply to all of them; drag one to move them together. Shift-click toggles a state; Escape clears.");
            return;
        }
        let Some(name) = app.selection.clone() else {
            machine_ui(app, ui);
            return;
        };
        let Some(state) = find_state(app.machine(), &name).cloned() else {
            ui.label("The selected state no longer exists.");
            return;
        };
        state_ui(app, ui, &name, &state);
    });
}

fn machine_ui(app: &mut App, ui: &mut egui::Ui) {
    ui.heading("State machine");
    ui.label(format!("{} states", app.machine().all_state_names().len()));
    // Only what this panel shows (cloning the whole machine every frame is slow on big workflows).
    let m = app.machine();
    let comment = m.comment.as_deref().unwrap_or("").to_owned();
    let names: Vec<String> = m.states().iter().map(|n| n.name.to_string()).collect();
    let start = m.start_at.as_deref().unwrap_or("").to_owned();
    let mut fe = std::mem::take(&mut app.field_edit);
    if let Some(t) = text_field(ui, &mut fe, "machine.Comment", "Comment", &comment, true) {
        let value = (!t.is_empty()).then(|| Json::string(t.as_str()));
        app.push(Command::EditCoalesced(Op::SetMachineField {
            scope: Default::default(),
            key: "Comment".into(),
            value,
        }));
    }
    app.field_edit = fe;
    let cur = m_lang_field(app);
    ui.horizontal(|ui| {
        egui::ComboBox::new("machine_query_language", "QueryLanguage")
            .selected_text(if cur.is_empty() {
                "JSONPath (default)"
            } else {
                &cur
            })
            .show_ui(ui, |ui| {
                for (v, l) in [
                    ("", "JSONPath (default)"),
                    ("JSONPath", "JSONPath"),
                    ("JSONata", "JSONata"),
                ] {
                    if ui.selectable_label(cur == v, l).clicked() && cur != v {
                        app.push(Command::Edit(Op::SetQueryLanguage {
                            state: None,
                            language: language_named(v),
                        }));
                    }
                }
            });
    });
    let all = app.inapplicable_fields();
    let lang = query_language::language_of_machine(app.machine());
    inapplicable_banner(app, ui, lang, &[], &all);
    if let Some(s) = target_combo(ui, "StartAt", &start, &names, false) {
        app.push(Command::Edit(Op::SetMachineField {
            scope: Default::default(),
            key: "StartAt".into(),
            value: s.map(|s| Json::string(s.as_str())),
        }));
    }
    ui.add_space(8.0);
    ui.label(egui::RichText::new("Select a state on the canvas to edit it.").weak());
}

/// Path fields where JSON `null` means "discard" (typed as `null`).
const NULLABLE_PATHS: &[&str] = &["InputPath", "OutputPath", "ResultPath"];

/// A text box keeping what is typed while it has focus. Returns the text when it changed.
fn text_field(
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    key: &str,
    label: &str,
    current: &str,
    multiline: bool,
) -> Option<String> {
    expr_text_field(ui, fe, key, label, current, multiline, None)
}

/// How a field's `{% %}` expressions are read: `None` = not at all (JSONPath mode), `Some(json)` = checked
/// and highlighted, with `json` telling whether the text is JSON source (expressions inside JSON strings).
type ExprMode = Option<bool>;

/// [`text_field`] for a field that may hold `{% %}` JSONata expressions: they are highlighted, and each
/// syntax error is shown under the field as "line:col: message" with its column underlined.
fn expr_text_field(
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    key: &str,
    label: &str,
    current: &str,
    multiline: bool,
    exprs: ExprMode,
) -> Option<String> {
    let label_resp = ui.label(label);
    let mine = fe.key.as_deref() == Some(key);
    let mut text = if mine {
        fe.text.clone()
    } else {
        current.to_owned()
    };
    let errors = match exprs {
        Some(json) => expr_field::errors(&text, json),
        None => Vec::new(),
    };
    let offsets: Vec<usize> = errors.iter().map(|e| e.offset).collect();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut text)
            .code_editor()
            .desired_rows(3)
            .desired_width(f32::INFINITY)
    } else {
        egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY)
    };
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap_width: f32| {
        expr_field::galley(ui, buf.as_str(), &offsets, wrap_width)
    };
    let edit = if exprs.is_some() {
        edit.layouter(&mut layouter)
    } else {
        edit
    };
    let r = ui.add(edit.id_salt(key)).labelled_by(label_resp.id);
    for e in &errors {
        ui.colored_label(ui.visuals().error_fg_color, format!("{label}: {e}"));
    }
    let mut out = None;
    if r.changed() {
        out = Some(text.clone());
        fe.key = Some(key.to_owned());
        fe.text = text;
    } else if r.has_focus() && !mine {
        fe.key = Some(key.to_owned());
        fe.text = text;
    }
    if r.lost_focus() && fe.key.as_deref() == Some(key) {
        fe.key = None;
    }
    out
}

fn set(app: &mut App, name: &str, key: &str, value: Option<Json>) {
    app.push(Command::EditCoalesced(Op::SetField {
        name: name.into(),
        key: key.into(),
        value,
    }));
}

fn set_now(app: &mut App, name: &str, key: &str, value: Option<Json>) {
    app.push(Command::Edit(Op::SetField {
        name: name.into(),
        key: key.into(),
        value,
    }));
}

/// A dropdown of state names. Returns `Some(new)` on change (`None` inside = cleared).
fn target_combo(
    ui: &mut egui::Ui,
    label: &str,
    current: &str,
    names: &[String],
    allow_none: bool,
) -> Option<Option<String>> {
    let mut out = None;
    ui.horizontal(|ui| {
        egui::ComboBox::new(("target", label), label)
            .selected_text(if current.is_empty() {
                "(none)"
            } else {
                current
            })
            .show_ui(ui, |ui| {
                if allow_none && ui.selectable_label(current.is_empty(), "(none)").clicked() {
                    out = Some(None);
                }
                for n in names {
                    if ui.selectable_label(n == current, n).clicked() {
                        out = Some(Some(n.clone()));
                    }
                }
            });
    });
    out
}

fn state_ui(app: &mut App, ui: &mut egui::Ui, name: &str, s: &State) {
    let ty = s.state_type();
    ui.horizontal(|ui| {
        super::theme::icon_ui(ui, ty, 22.0);
        ui.heading(name);
    });
    let scope = find_scope(app.machine(), name).unwrap_or_default();
    let names: Vec<String> = machine_at(app.machine(), &scope)
        .map(|m| {
            m.states()
                .iter()
                .map(|n| n.name.to_string())
                .filter(|n| n != name)
                .collect()
        })
        .unwrap_or_default();
    let lang = query_language::language_of(app.machine(), name).unwrap_or(QueryLanguage::JsonPath);
    let jsonata = lang == QueryLanguage::Jsonata;
    let mut fe = std::mem::take(&mut app.field_edit);

    // Name: renamed when the box loses focus (or Enter).
    {
        let key = format!("{name}.Name");
        let label = ui.label("Name");
        let mine = fe.key.as_deref() == Some(key.as_str());
        let mut text = if mine {
            fe.text.clone()
        } else {
            name.to_owned()
        };
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .id_salt("state_name")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if r.changed() || (r.has_focus() && !mine) {
            fe.key = Some(key.clone());
            fe.text = text.clone();
        }
        if r.lost_focus() {
            fe.key = None;
            if text != name {
                app.push(Command::Edit(Op::Rename {
                    from: name.into(),
                    to: text,
                }));
            }
        }
    }
    // Type.
    ui.horizontal(|ui| {
        egui::ComboBox::new("state_type", "Type")
            .selected_text(s.type_.as_deref().unwrap_or("?"))
            .show_ui(ui, |ui| {
                for t in StateType::ALL {
                    if ui.selectable_label(ty == Some(t), t.name()).clicked() && ty != Some(t) {
                        set_now(app, name, "Type", Some(Json::string(t.name())));
                    }
                }
            });
    });
    let comment = s.comment.as_deref().unwrap_or("").to_owned();
    if let Some(t) = text_field(
        ui,
        &mut fe,
        &format!("{name}.Comment"),
        "Comment",
        &comment,
        false,
    ) {
        set(
            app,
            name,
            "Comment",
            (!t.is_empty()).then(|| Json::string(t.as_str())),
        );
    }
    inapplicable_banner(
        app,
        ui,
        lang,
        &[name.to_owned()],
        &[(
            name.to_owned(),
            query_language::inapplicable_in_state(s, lang),
        )],
    );
    // Transition.
    if ty.is_none_or(StateType::has_transition) {
        let next = s.next.as_deref().unwrap_or("").to_owned();
        if let Some(v) = target_combo(ui, "Next", &next, &names, true) {
            set_now(app, name, "Next", v.map(|n| Json::string(n.as_str())));
        }
        let mut end = s.end == Some(true);
        if ui.checkbox(&mut end, "End").changed() {
            if end {
                app.push(Command::Edit(Op::SetEnd { name: name.into() }));
            } else {
                set_now(app, name, "End", None);
            }
        }
    }
    if ty == Some(StateType::Task) {
        // What the Task returns or throws in a simulation: near the top, where a class looks first.
        super::simulation::simulation_ui(app, ui, name, s);
    }
    if ty == Some(StateType::Wait) {
        wait_ui(app, ui, &mut fe, name, s, jsonata);
    }
    if ty == Some(StateType::Parallel) {
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} branch(es)",
                s.branches.as_ref().map_or(0, Vec::len)
            ));
            if ui.button("Add branch").clicked() {
                app.push(Command::Edit(Op::AddBranch {
                    parallel: name.into(),
                }));
            }
        });
    }
    // Generic fields allowed for the type.
    let allowed = ty.map(StateType::allowed_fields).unwrap_or_default();
    // The other language's fields are listed only while present (the banner above names them).
    let other_only = if jsonata {
        crate::validate::JSONPATH_ONLY
    } else {
        crate::validate::JSONATA_ONLY
    };
    let mut unset = Vec::new();
    for key in allowed
        .iter()
        .copied()
        .filter(|k| !SPECIAL.contains(k))
        .filter(|k| !other_only.contains(k) || s.field_json(k).is_some())
    {
        let current = s.field_json(key);
        if JSON_FIELDS.contains(&key) {
            match current {
                Some(v) => json_field(app, ui, &mut fe, name, key, &v, jsonata),
                None => unset.push(key),
            }
        } else if NUMBER_FIELDS.contains(&key) {
            let text = current
                .map(|v| json::compact_text(&v))
                .map(|t| t.trim_matches('"').to_owned())
                .unwrap_or_default();
            if let Some(t) = expr_text_field(
                ui,
                &mut fe,
                &format!("{name}.{key}"),
                key,
                &text,
                false,
                jsonata.then_some(false),
            ) {
                number_set(app, name, key, &t);
            }
        } else if key == "QueryLanguage" {
            let cur = current
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            ui.horizontal(|ui| {
                egui::ComboBox::new("query_language", "QueryLanguage")
                    .selected_text(if cur.is_empty() { "(inherit)" } else { &cur })
                    .show_ui(ui, |ui| {
                        for (v, l) in [
                            ("", "(inherit)"),
                            ("JSONPath", "JSONPath"),
                            ("JSONata", "JSONata"),
                        ] {
                            if ui.selectable_label(cur == v, l).clicked() && cur != v {
                                app.push(Command::Edit(Op::SetQueryLanguage {
                                    state: Some(name.to_owned()),
                                    language: language_named(v),
                                }));
                            }
                        }
                    });
            });
        } else {
            let text = current
                .map(|v| {
                    v.as_str()
                        .map_or_else(|| json::compact_text(&v), str::to_owned)
                })
                .unwrap_or_default();
            let field_key = format!("{name}.{key}");
            if let Some(t) = expr_text_field(
                ui,
                &mut fe,
                &field_key,
                key,
                &text,
                false,
                jsonata.then_some(false),
            ) {
                // `null` in InputPath/OutputPath/ResultPath is JSON null (discard), not the string "null".
                let value = match t.as_str() {
                    "" => None,
                    "null" if NULLABLE_PATHS.contains(&key) => Some(Json::null()),
                    _ => Some(Json::string(t.as_str())),
                };
                set(app, name, key, value);
            }
            // Live syntax check of path fields, with the validator's own rule and words.
            let shown = if fe.key.as_deref() == Some(field_key.as_str()) {
                fe.text.as_str()
            } else {
                text.as_str()
            };
            if !shown.is_empty()
                && (shown != "null" || !NULLABLE_PATHS.contains(&key))
                && !jsonata
                && let Some((_, problem)) = crate::validate::path_field_problem(key, shown)
            {
                ui.colored_label(ui.visuals().error_fg_color, problem);
            }
        }
    }
    if ty.is_some_and(|t| allowed_has(t, "Assign"))
        && let Some(v) = assign_table(
            ui,
            &mut fe,
            &format!("{name}.Assign"),
            "Assign",
            s.assign.as_ref(),
            jsonata,
        )
    {
        set(app, name, "Assign", v);
    }
    if !unset.is_empty() {
        ui.horizontal(|ui| {
            egui::ComboBox::new("add_field", "Add field")
                .selected_text("...")
                .show_ui(ui, |ui| {
                    for key in unset {
                        if ui.selectable_label(false, key).clicked() {
                            set_now(app, name, key, Some(Json::object(Vec::new())));
                        }
                    }
                });
        });
    }
    if ty == Some(StateType::Choice) {
        choice_ui(app, ui, &mut fe, name, s, &names, jsonata);
    }
    if matches!(
        ty,
        Some(StateType::Task | StateType::Parallel | StateType::Map)
    ) {
        retry_ui(app, ui, &mut fe, name, s);
        catch_ui(app, ui, &mut fe, name, s, &names, jsonata);
    }
    ui.separator();
    ui.horizontal(|ui| {
        if ui.button("Duplicate").clicked() {
            app.push(Command::DuplicateSelection);
        }
        if ui.button("Delete state").clicked() {
            app.push(Command::DeleteSelection);
        }
    });
    app.field_edit = fe;
}

fn number_set(app: &mut App, name: &str, key: &str, t: &str) {
    let t = t.trim();
    if t.is_empty() {
        set(app, name, key, None);
    } else if let Ok(v) = json::parse(t)
        && v.as_number().is_some()
    {
        set(
            app,
            name,
            key,
            Some(super::super::edit::templates::strip_spans(&v)),
        );
    } else if t.starts_with("{%") {
        set(app, name, key, Some(Json::string(t)));
    }
}

fn json_field(
    app: &mut App,
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    name: &str,
    key: &str,
    v: &Json,
    jsonata: bool,
) {
    let id = format!("{name}.{key}");
    let text = json_value_text(v);
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new(key).strong());
        if ui
            .small_button("Remove")
            .on_hover_text(format!("Remove {key}"))
            .clicked()
        {
            set_now(app, name, key, None);
        }
    });
    let label = if jsonata {
        format!("{key} (JSONata)")
    } else {
        format!("{key} (JSON)")
    };
    if let Some(t) = expr_text_field(ui, fe, &id, &label, &text, true, jsonata.then_some(true))
        && let Some(j) = parse_json_value(&t)
    {
        set(app, name, key, Some(j));
    }
    if fe.key.as_deref() == Some(id.as_str())
        && parse_json_value(&fe.text).is_none()
        && let Err(e) = json::parse(&fe.text)
    {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("{}:{}: {}", e.line, e.column, e.message),
        );
    }
}

fn wait_ui(
    app: &mut App,
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    name: &str,
    s: &State,
    jsonata: bool,
) {
    const ALL_MODES: [&str; 4] = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
    // JSONata states have no …Path fields: Seconds and Timestamp take expressions instead.
    let modes: &[&str] = if jsonata { &ALL_MODES[..2] } else { &ALL_MODES };
    let current = ALL_MODES
        .iter()
        .copied()
        .find(|k| s.field_json(k).is_some())
        .unwrap_or("Seconds");
    ui.horizontal(|ui| {
        ui.label("Wait");
        for &m in modes {
            if ui.radio(current == m, m).clicked() && current != m {
                let value = match m {
                    "Seconds" => json::parse("10").ok(),
                    "Timestamp" => Some(Json::string("2026-01-01T00:00:00Z")),
                    "SecondsPath" => Some(Json::string("$.waitSeconds")),
                    _ => Some(Json::string("$.waitUntil")),
                };
                let mut ops = vec![Op::SetField {
                    name: name.into(),
                    key: current.into(),
                    value: None,
                }];
                ops.push(Op::SetField {
                    name: name.into(),
                    key: m.into(),
                    value: value.map(|v| super::super::edit::templates::strip_spans(&v)),
                });
                // Two field changes; the second merges into the first undo step.
                app.push(Command::Edit(ops.remove(0)));
                app.push(Command::EditCoalesced(ops.remove(0)));
            }
        }
    });
    let text = s
        .field_json(current)
        .map(|v| {
            v.as_str()
                .map_or_else(|| json::compact_text(&v), str::to_owned)
        })
        .unwrap_or_default();
    if let Some(t) = expr_text_field(
        ui,
        fe,
        &format!("{name}.{current}"),
        current,
        &text,
        false,
        jsonata.then_some(false),
    ) {
        if current == "Seconds" {
            number_set(app, name, current, &t);
        } else {
            set(app, name, current, Some(Json::string(t.as_str())));
        }
    }
}

/// The Choice rule builder: each rule's condition (comparison, And, Or, Not) and its Next; the Default.
fn choice_ui(
    app: &mut App,
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    name: &str,
    s: &State,
    names: &[String],
    jsonata: bool,
) {
    ui.separator();
    ui.label(egui::RichText::new("Choice rules").strong());
    let mut rules = s.choices.clone().unwrap_or_default();
    let mut changed = false;
    let mut remove = None;
    for (i, rule) in rules.iter_mut().enumerate() {
        ui.push_id(("rule", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(egui::RichText::new(format!("Rule {}", i + 1)).strong());
                    if ui.small_button("Remove rule").clicked() {
                        remove = Some(i);
                    }
                });
                if jsonata {
                    changed |= condition_ui(ui, fe, &format!("{name}.rule{i}"), i, rule);
                } else {
                    changed |= rule_ui(ui, fe, &format!("{name}.rule{i}"), rule, 0);
                }
                if let Some(v) = assign_table(
                    ui,
                    fe,
                    &format!("{name}.rule{i}.Assign"),
                    &format!("Rule {} Assign", i + 1),
                    rule.assign.as_ref(),
                    jsonata,
                ) {
                    rule.assign = v;
                    changed = true;
                }
                let next = rule.next.as_deref().unwrap_or("").to_owned();
                if let Some(v) =
                    target_combo(ui, &format!("Rule {} Next", i + 1), &next, names, false)
                {
                    rule.next = v.map(JStr::new);
                    changed = true;
                }
            });
        });
    }
    if let Some(i) = remove {
        rules.remove(i);
        changed = true;
    }
    if ui.button("Add rule").clicked() {
        rules.push(if jsonata {
            ChoiceRule {
                condition: Some(Json::string("{% true %}")),
                next: names.first().map(|n| JStr::new(n.as_str())),
                ..Default::default()
            }
        } else {
            crate::edit::templates::choice_rule_skeleton()
        });
        changed = true;
    }
    if changed {
        set(app, name, "Choices", Some(rules.to_json()));
    }
    let default = s.default.as_deref().unwrap_or("").to_owned();
    if let Some(v) = target_combo(ui, "Default", &default, names, true) {
        set_now(app, name, "Default", v.map(|n| Json::string(n.as_str())));
    }
}

#[derive(Clone, Copy, PartialEq)]
enum RuleShape {
    Comparison,
    And,
    Or,
    Not,
}

/// Edits one rule in place; returns whether it changed.
fn rule_ui(
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    key: &str,
    rule: &mut ChoiceRule,
    depth: usize,
) -> bool {
    let mut changed = false;
    let shape = if rule.and.is_some() {
        RuleShape::And
    } else if rule.or.is_some() {
        RuleShape::Or
    } else if rule.not.is_some() {
        RuleShape::Not
    } else {
        RuleShape::Comparison
    };
    ui.horizontal(|ui| {
        for (s, l) in [
            (RuleShape::Comparison, "Compare"),
            (RuleShape::And, "And"),
            (RuleShape::Or, "Or"),
            (RuleShape::Not, "Not"),
        ] {
            if ui.radio(shape == s, l).clicked() && shape != s {
                let next = rule.next.take();
                let leaf = crate::edit::templates::choice_rule_skeleton();
                *rule = match s {
                    RuleShape::Comparison => leaf,
                    RuleShape::And => ChoiceRule {
                        and: Some(vec![leaf.clone(), leaf]),
                        ..Default::default()
                    },
                    RuleShape::Or => ChoiceRule {
                        or: Some(vec![leaf.clone(), leaf]),
                        ..Default::default()
                    },
                    RuleShape::Not => ChoiceRule {
                        not: Some(Box::new(leaf)),
                        ..Default::default()
                    },
                };
                rule.next = next;
                changed = true;
            }
        }
    });
    if depth > 6 {
        ui.label("(nested too deep to edit here; use the code view)");
        return changed;
    }
    match shape {
        RuleShape::Comparison => changed |= comparison_ui(ui, fe, key, rule),
        RuleShape::And | RuleShape::Or => {
            let list = if shape == RuleShape::And {
                rule.and.get_or_insert_with(Vec::new)
            } else {
                rule.or.get_or_insert_with(Vec::new)
            };
            let mut remove = None;
            for (j, sub) in list.iter_mut().enumerate() {
                ui.push_id(j, |ui| {
                    ui.indent("sub", |ui| {
                        changed |= rule_ui(ui, fe, &format!("{key}.{j}"), sub, depth + 1);
                        if ui.small_button("Remove condition").clicked() {
                            remove = Some(j);
                        }
                    });
                });
            }
            if let Some(j) = remove {
                list.remove(j);
                changed = true;
            }
            if ui.small_button("Add condition").clicked() {
                list.push(crate::edit::templates::choice_rule_skeleton());
                changed = true;
            }
        }
        RuleShape::Not => {
            if let Some(sub) = rule.not.as_deref_mut() {
                ui.indent("not", |ui| {
                    changed |= rule_ui(ui, fe, &format!("{key}.not"), sub, depth + 1)
                });
            }
        }
    }
    changed
}

fn comparison_ui(ui: &mut egui::Ui, fe: &mut FieldEdit, key: &str, rule: &mut ChoiceRule) -> bool {
    let mut changed = false;
    let var = rule.variable.as_deref().unwrap_or("").to_owned();
    if let Some(t) = text_field(ui, fe, &format!("{key}.Variable"), "Variable", &var, false) {
        rule.variable = Some(JStr::new(t));
        changed = true;
    }
    let (op, value) = rule
        .operators()
        .into_iter()
        .next()
        .unwrap_or((Operator::StringEquals, Json::string("")));
    ui.horizontal(|ui| {
        egui::ComboBox::new((key, "op"), "Operator")
            .selected_text(op.name())
            .height(400.0)
            .show_ui(ui, |ui| {
                for o in Operator::ALL {
                    if ui.selectable_label(*o == op, o.name()).clicked() && *o != op {
                        rule.clear_field(op.name());
                        let v = convert_operand(&value, o.operand());
                        rule.set_field_json(o.name(), &v);
                        changed = true;
                    }
                }
            });
    });
    let text = value
        .as_str()
        .map_or_else(|| json::compact_text(&value), str::to_owned);
    if let Some(t) = text_field(ui, fe, &format!("{key}.Value"), "Value", &text, false) {
        let v = match op.operand() {
            Operand::String | Operand::Timestamp | Operand::Path => Some(Json::string(t.as_str())),
            Operand::Number => json::parse(t.trim())
                .ok()
                .filter(|j| j.as_number().is_some()),
            Operand::Boolean | Operand::Test => {
                json::parse(t.trim()).ok().filter(|j| j.as_bool().is_some())
            }
        };
        if let Some(v) = v {
            rule.set_field_json(op.name(), &super::super::edit::templates::strip_spans(&v));
            changed = true;
        }
    }
    changed
}

fn convert_operand(v: &Json, to: Operand) -> Json {
    match to {
        Operand::Number => json::parse(v.as_str().unwrap_or("0"))
            .ok()
            .filter(|j| j.as_number().is_some())
            .map_or_else(
                || {
                    json::parse("0")
                        .map(|j| super::super::edit::templates::strip_spans(&j))
                        .unwrap_or_else(|_| Json::null())
                },
                |j| super::super::edit::templates::strip_spans(&j),
            ),
        Operand::Boolean | Operand::Test => Json::from(json::Value::Bool(true)),
        Operand::Path => Json::string(
            v.as_str()
                .filter(|s| s.starts_with('$'))
                .unwrap_or("$.other"),
        ),
        Operand::String | Operand::Timestamp => Json::string(v.as_str().unwrap_or("")),
    }
}

fn errors_text(e: &Option<Vec<JStr>>) -> String {
    e.iter()
        .flatten()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_errors(t: &str) -> Vec<JStr> {
    t.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(JStr::new)
        .collect()
}

fn retry_ui(app: &mut App, ui: &mut egui::Ui, fe: &mut FieldEdit, name: &str, s: &State) {
    ui.separator();
    ui.label(egui::RichText::new("Retry").strong());
    let mut list = s.retry.clone().unwrap_or_default();
    let mut changed = false;
    let mut remove = None;
    for (i, r) in list.iter_mut().enumerate() {
        ui.push_id(("retry", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                if let Some(t) = text_field(
                    ui,
                    fe,
                    &format!("{name}.retry{i}.errors"),
                    &format!("Retrier {} errors", i + 1),
                    &errors_text(&r.error_equals),
                    false,
                ) {
                    r.error_equals = Some(parse_errors(&t));
                    changed = true;
                }
                egui::Grid::new("retry_numbers")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for key in [
                            "IntervalSeconds",
                            "MaxAttempts",
                            "BackoffRate",
                            "MaxDelaySeconds",
                        ] {
                            let cur = r
                                .field_json(key)
                                .map(|v| json::compact_text(&v))
                                .unwrap_or_default();
                            if let Some(t) = text_field(
                                ui,
                                fe,
                                &format!("{name}.retry{i}.{key}"),
                                key,
                                &cur,
                                false,
                            ) {
                                if t.trim().is_empty() {
                                    r.clear_field(key);
                                    changed = true;
                                } else if let Ok(v) = json::parse(t.trim())
                                    && r.set_field_json(
                                        key,
                                        &super::super::edit::templates::strip_spans(&v),
                                    )
                                {
                                    changed = true;
                                }
                            }
                            ui.end_row();
                        }
                    });
                if ui.small_button("Remove retrier").clicked() {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        list.remove(i);
        changed = true;
    }
    if ui.button("Add retrier").clicked() {
        list.push(Retrier {
            error_equals: Some(vec![JStr::new("States.TaskFailed")]),
            interval_seconds: json::Number::from_f64(2.0).or(Some(json::Number::from_i64(2))),
            max_attempts: Some(json::Number::from_i64(3)),
            backoff_rate: Some(json::Number::from_i64(2)),
            ..Default::default()
        });
        changed = true;
    }
    if changed {
        set(
            app,
            name,
            "Retry",
            (!list.is_empty()).then(|| list.to_json()),
        );
    }
}

fn catch_ui(
    app: &mut App,
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    name: &str,
    s: &State,
    names: &[String],
    jsonata: bool,
) {
    ui.separator();
    ui.label(egui::RichText::new("Catch").strong());
    let mut list = s.catch.clone().unwrap_or_default();
    let mut changed = false;
    let mut remove = None;
    for (i, c) in list.iter_mut().enumerate() {
        ui.push_id(("catch", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                if let Some(t) = text_field(
                    ui,
                    fe,
                    &format!("{name}.catch{i}.errors"),
                    &format!("Catcher {} errors", i + 1),
                    &errors_text(&c.error_equals),
                    false,
                ) {
                    c.error_equals = Some(parse_errors(&t));
                    changed = true;
                }
                let next = c.next.as_deref().unwrap_or("").to_owned();
                if let Some(v) =
                    target_combo(ui, &format!("Catcher {} Next", i + 1), &next, names, false)
                {
                    c.next = v.map(JStr::new);
                    changed = true;
                }
                let rp = c
                    .result_path
                    .as_ref()
                    .map(|r| r.to_json())
                    .map(|v| {
                        v.as_str()
                            .map_or_else(|| json::compact_text(&v), str::to_owned)
                    })
                    .unwrap_or_default();
                if jsonata {
                    let out = c.output.as_ref().map(json_value_text).unwrap_or_default();
                    if let Some(t) = expr_text_field(
                        ui,
                        fe,
                        &format!("{name}.catch{i}.Output"),
                        &format!("Catcher {} Output", i + 1),
                        &out,
                        true,
                        Some(true),
                    ) {
                        if t.trim().is_empty() {
                            c.output = None;
                            changed = true;
                        } else if let Some(v) = parse_json_value(&t) {
                            c.output = Some(v);
                            changed = true;
                        }
                    }
                }
                if let Some(v) = assign_table(
                    ui,
                    fe,
                    &format!("{name}.catch{i}.Assign"),
                    &format!("Catcher {} Assign", i + 1),
                    c.assign.as_ref(),
                    jsonata,
                ) {
                    c.assign = v;
                    changed = true;
                }
                if jsonata && rp.is_empty() {
                    // ResultPath is a JSONPath field: not offered in a JSONata state.
                } else if let Some(t) = text_field(
                    ui,
                    fe,
                    &format!("{name}.catch{i}.ResultPath"),
                    &format!("Catcher {} ResultPath", i + 1),
                    &rp,
                    false,
                ) {
                    c.result_path = if t.is_empty() {
                        None
                    } else if t == "null" {
                        Some(crate::asl::Nullable::Null)
                    } else {
                        Some(crate::asl::Nullable::Value(JStr::new(t)))
                    };
                    changed = true;
                }
                if ui.small_button("Remove catcher").clicked() {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        list.remove(i);
        changed = true;
    }
    if ui.button("Add catcher").clicked() {
        list.push(Catcher {
            error_equals: Some(vec![JStr::new(crate::asl::STATES_ALL)]),
            next: names.first().map(|n| JStr::new(n.as_str())),
            ..Default::default()
        });
        changed = true;
    }
    if changed {
        set(
            app,
            name,
            "Catch",
            (!list.is_empty()).then(|| list.to_json()),
        );
    }
}

fn m_lang_field(app: &App) -> String {
    app.machine()
        .query_language
        .as_deref()
        .unwrap_or("")
        .to_owned()
}

/// `"JSONata"` / `"JSONPath"` → the language; `""` → none (inherit).
fn language_named(v: &str) -> Option<QueryLanguage> {
    match v {
        "JSONata" => Some(QueryLanguage::Jsonata),
        "JSONPath" => Some(QueryLanguage::JsonPath),
        _ => None,
    }
}

fn allowed_has(t: StateType, key: &str) -> bool {
    t.allowed_fields().contains(&key)
}

/// After a query-language switch: which fields no longer apply (they stay in the document, and the validator
/// flags them), with one button that removes them all as one undoable edit. `states` = the states the button
/// cleans (empty: every listed state).
fn inapplicable_banner(
    app: &mut App,
    ui: &mut egui::Ui,
    lang: QueryLanguage,
    states: &[String],
    found: &[(String, Vec<query_language::Field>)],
) {
    let count: usize = found.iter().map(|(_, f)| f.len()).sum();
    if count == 0 {
        return;
    }
    let list: Vec<String> = found
        .iter()
        .flat_map(|(n, fields)| {
            fields.iter().map(move |f| {
                if states.is_empty() {
                    format!("{n}: {f}")
                } else {
                    f.to_string()
                }
            })
        })
        .collect();
    let plural = if count == 1 { "" } else { "s" };
    let verb = if count == 1 { "does" } else { "do" };
    egui::Frame::group(ui.style())
        .fill(ui.visuals().warn_fg_color.gamma_multiply(0.12))
        .show(ui, |ui| {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{count} field{plural} {verb} not apply in {}: {}",
                    lang.name(),
                    list.join(", ")
                ),
            );
            let label = format!("Remove {count} field{plural} that no longer apply");
            if ui.button(&label).clicked() {
                app.push(Command::Edit(Op::RemoveInapplicable {
                    states: states.to_vec(),
                }));
            }
        });
}

/// A JSON value as the inspector shows it: a `{% %}` string as the bare expression, anything else as JSON.
fn json_value_text(v: &Json) -> String {
    match v.as_str() {
        Some(s) if expr_field::is_expression(s) => s.to_owned(),
        _ => json::canonical_text(v, json::Style::default())
            .trim_end()
            .to_owned(),
    }
}

/// What a JSON field's text means: JSON, or a bare `{% %}` expression (stored as a string).
fn parse_json_value(t: &str) -> Option<Json> {
    match json::parse(t) {
        Ok(j) => Some(super::super::edit::templates::strip_spans(&j)),
        Err(_) if expr_field::is_expression(t) => Some(Json::string(t.trim())),
        Err(_) => None,
    }
}

/// An Assign value in a table cell: strings bare (unless the bare text would read as other JSON), the rest
/// as compact JSON.
fn assign_value_text(v: &Json) -> String {
    match v.as_str() {
        Some(s) if json::parse(s).is_err() => s.to_owned(),
        _ => json::compact_text(v),
    }
}

/// The inverse of [`assign_value_text`]: JSON when the text is JSON, else the text as a string.
fn parse_assign_value(t: &str) -> Json {
    match json::parse(t.trim()) {
        Ok(j) if !t.trim().is_empty() => super::super::edit::templates::strip_spans(&j),
        _ => Json::string(t),
    }
}

/// `Assign` as a table of name → value rows (add, remove, rename). JSONPath names may end in `.$` (the value
/// is then a path or an intrinsic call); JSONata values may be `{% %}` expressions. Returns the new value of
/// the whole field (`Some(None)` = remove it) when it changed.
fn assign_table(
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    key: &str,
    label: &str,
    current: Option<&Json>,
    jsonata: bool,
) -> Option<Option<Json>> {
    let mut rows: Vec<(String, Json)> = current
        .and_then(Json::as_object)
        .map(|o| {
            o.iter()
                .map(|m| (m.key.as_str().to_owned(), m.value.clone()))
                .collect()
        })
        .unwrap_or_default();
    if current.is_some_and(|v| v.as_object().is_none()) {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("{label} is not an object; edit it in the code view"),
        );
        return None;
    }
    let mut changed = false;
    let mut remove = None;
    ui.label(egui::RichText::new(label).strong());
    let hint = if jsonata {
        "name: JSON value or {% expression %}"
    } else {
        "name: JSON value; a name ending in .$ takes a path ($.x, $$.x, $var) or an intrinsic call"
    };
    ui.weak(hint);
    let n = rows.len();
    for i in 0..n {
        ui.push_id((key, i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let (name, value) = rows[i].clone();
                if let Some(t) = text_field(
                    ui,
                    fe,
                    &format!("{key}.{i}.name"),
                    &format!("{label} name {}", i + 1),
                    &name,
                    false,
                ) && !t.is_empty()
                    && !rows.iter().enumerate().any(|(j, r)| j != i && r.0 == t)
                {
                    rows[i].0 = t;
                    changed = true;
                }
                if fe.key.as_deref() == Some(format!("{key}.{i}.name").as_str()) {
                    let typed = fe.text.clone();
                    if typed.is_empty() {
                        ui.colored_label(ui.visuals().error_fg_color, "a variable needs a name");
                    } else if rows.iter().enumerate().any(|(j, r)| j != i && r.0 == typed) {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            format!("\"{typed}\" is assigned in another row"),
                        );
                    } else if jsonata && typed.ends_with(".$") {
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            "JSONata names take no .$ suffix",
                        );
                    }
                }
                if let Some(t) = expr_text_field(
                    ui,
                    fe,
                    &format!("{key}.{i}.value"),
                    &format!("{label} value {}", i + 1),
                    &assign_value_text(&value),
                    false,
                    jsonata.then_some(false),
                ) {
                    rows[i].1 = parse_assign_value(&t);
                    changed = true;
                }
                if ui
                    .small_button(format!("Remove {label} row {}", i + 1))
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        rows.remove(i);
        changed = true;
    }
    if ui.button(format!("Add {label} row")).clicked() {
        let fresh = (1..)
            .map(|k| format!("var{k}"))
            .find(|c| !rows.iter().any(|r| r.0 == *c || r.0 == format!("{c}.$")))
            .unwrap_or_default();
        let (name, value) = if jsonata {
            (fresh, Json::string("{% $states.input %}"))
        } else {
            (format!("{fresh}.$"), Json::string("$"))
        };
        rows.push((name, value));
        changed = true;
    }
    if !changed {
        return None;
    }
    if rows.is_empty() {
        return Some(None);
    }
    Some(Some(Json::object(
        rows.into_iter()
            .map(|(k, v)| json::Member::new(k.as_str(), v))
            .collect(),
    )))
}

/// A JSONata Choice rule: its `Condition` (a `{% %}` expression or a boolean).
fn condition_ui(
    ui: &mut egui::Ui,
    fe: &mut FieldEdit,
    key: &str,
    index: usize,
    rule: &mut ChoiceRule,
) -> bool {
    let text = rule
        .condition
        .as_ref()
        .map(|c| {
            c.as_str()
                .map_or_else(|| json::compact_text(c), str::to_owned)
        })
        .unwrap_or_default();
    let Some(t) = expr_text_field(
        ui,
        fe,
        &format!("{key}.Condition"),
        &format!("Rule {} Condition", index + 1),
        &text,
        false,
        Some(false),
    ) else {
        return false;
    };
    rule.condition = match t.trim() {
        "" => None,
        "true" => Some(Json::from(json::Value::Bool(true))),
        "false" => Some(Json::from(json::Value::Bool(false))),
        _ => Some(Json::string(t.as_str())),
    };
    true
}
