//! State machines inside infrastructure templates (CloudFormation, SAM, CDK output) in the designer: what an
//! open of a template finds, the picker when it holds several state machines, the document's link to its
//! template ([`TemplateSource`]: title, read-only forms, where its layout and autosave go), saving back into
//! the template, and the substitutions the Run dialog shows. Everything about templates themselves (finding
//! the machines, writing a definition back, placeholders) is [`crate::template`]'s; this module only calls it.

use super::App;
use crate::asl::{Document, SourceFormat};
use crate::layout::Point;
use crate::recovery::{self, Recovery};
use crate::template::{ErrorKind, Machine, Substitution, Template};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The open document is the state machine `id` of `template`.
#[derive(Clone, Debug)]
pub(crate) struct TemplateSource {
    /// The template as it is on disk (the baseline a save writes into; replaced after each save).
    pub template: Arc<Template>,
    pub id: String,
}

impl TemplateSource {
    pub fn machine(&self) -> Option<&Machine> {
        self.template.machine(&self.id)
    }

    /// Why the definition cannot be written back into the template (`Fn::Join`, S3), if it cannot.
    pub fn read_only(&self) -> Option<&str> {
        self.machine().and_then(|m| m.read_only.as_deref())
    }

    /// The standalone file this state machine is offered to be saved as (`STEM.ID.asl.json` beside the
    /// template); it also names the layout sidecar (`STEM.ID.layout.json`) and exports (`STEM.ID.svg`).
    pub fn standalone_path(&self, format: SourceFormat) -> PathBuf {
        machine_file(self.template.path(), &self.id, format)
    }

    /// What the autosave of this state machine is filed under: `TEMPLATE#ID`, never the template's own path,
    /// so recovered work is never taken for (or written as) the whole template.
    pub fn recovery_path(&self) -> PathBuf {
        recovery_path(self.template.path(), &self.id)
    }
}

/// `STEM.ID.asl.json` (or `.asl.yaml`) beside the template.
fn machine_file(template: &Path, id: &str, format: SourceFormat) -> PathBuf {
    let name = template
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("template");
    let mut stem = name;
    for ext in [
        ".json",
        ".yaml",
        ".yml",
        ".template",
        ".JSON",
        ".YAML",
        ".YML",
    ] {
        if let Some(s) = stem.strip_suffix(ext) {
            stem = s;
            break;
        }
    }
    let stem = stem.strip_suffix(".template").unwrap_or(stem);
    let ext = match format {
        SourceFormat::Json => "asl.json",
        SourceFormat::Yaml => "asl.yaml",
    };
    template.with_file_name(format!("{stem}.{id}.{ext}"))
}

fn recovery_path(template: &Path, id: &str) -> PathBuf {
    let mut s = recovery::canonical(template).into_os_string();
    s.push(format!("#{id}"));
    PathBuf::from(s)
}

/// What opening a template found for one of its state machines besides the definition: its layout pins and
/// its unsaved work from a window that closed without saving.
#[derive(Debug)]
pub(crate) struct MachineExtras {
    pub pins: BTreeMap<String, Point>,
    pub recovery: Result<Option<Recovery>, String>,
}

impl Default for MachineExtras {
    fn default() -> Self {
        MachineExtras {
            pins: BTreeMap::new(),
            recovery: Ok(None),
        }
    }
}

/// Reads, for every state machine that can be opened, its pins and autosave (on the open's background
/// thread).
pub(crate) fn read_extras(t: &Template, config: Option<&Path>) -> BTreeMap<String, MachineExtras> {
    t.machines()
        .iter()
        .filter(|m| m.definition.is_ok())
        .map(|m| {
            let pins = super::background::read_pins(&machine_file(
                t.path(),
                &m.logical_id,
                SourceFormat::Json,
            ));
            let recovery = match config {
                Some(dir) => recovery::for_path(dir, &recovery_path(t.path(), &m.logical_id)),
                None => Ok(None),
            };
            (m.logical_id.clone(), MachineExtras { pins, recovery })
        })
        .collect()
}

/// A template whose state machines are listed for the user to pick one.
pub(crate) struct Picker {
    pub template: Arc<Template>,
    pub extras: BTreeMap<String, MachineExtras>,
}

/// A save of a state machine back into its template, done: the definition's text as the template now holds
/// it, and the template re-read (the new baseline).
pub(crate) struct SavedInto {
    pub text: String,
    pub format: SourceFormat,
    pub template: Arc<Template>,
    /// The file written (the template, or the file a `DefinitionUri` names); `None` when nothing changed.
    pub written: Option<PathBuf>,
    pub note: Option<String>,
}

/// Writes `doc` back into state machine `id` of `t` (on a background thread): only the definition's text
/// changes ([`Template::inject`]), the file is written atomically, then the template is read again.
/// Refuses when the file changed on disk since the template was read (nothing is written then).
pub(crate) fn save_into(t: &Template, id: &str, doc: &Document) -> Result<SavedInto, String> {
    let m = t.get(id).map_err(|e| e.to_string())?;
    let out = t.inject(id, &doc.to_json()).map_err(|e| match e.kind {
        ErrorKind::ReadOnly => format!(
            "not saved: {}. Save As writes a standalone .asl.json",
            m.read_only.as_deref().unwrap_or(&e.message)
        ),
        _ => format!("not saved: {e}"),
    })?;
    // What the file held when the template was read: a change since then (another program, a second window)
    // is not overwritten.
    let expected = match m.file() {
        Some(_) => m.definition.as_ref().map(|d| d.text.as_str()).ok(),
        None => Some(t.text()),
    };
    let on_disk = std::fs::read(&out.path)
        .map_err(|e| format!("not saved: cannot read {}: {e}", out.path.display()))?;
    if expected.map(str::as_bytes) != Some(on_disk.as_slice()) {
        return Err(format!(
            "not saved: {} changed on disk since it was opened; Save As a standalone .asl.json keeps \
             these edits, then open the template again",
            out.path.display()
        ));
    }
    let written = if out.changed {
        crate::fsutil::write_file(&out.path, out.text.as_bytes())
            .map_err(|e| format!("not saved: {e}"))?;
        Some(out.path.clone())
    } else {
        None
    };
    let fresh = Template::open(t.path())
        .map_err(|e| format!("saved, but the template does not read back: {e}"))?;
    let def = fresh
        .get(id)
        .map_err(|e| e.to_string())?
        .definition
        .as_ref()
        .map_err(|e| format!("saved, but the definition does not read back: {e}"))?
        .clone();
    Ok(SavedInto {
        text: def.text,
        format: def.format,
        template: Arc::new(fresh),
        written,
        note: out.note,
    })
}

/// Refuses a standalone save over a file that holds a template: a bare definition is never written over one.
pub(crate) fn refuse_template_target(path: &Path) -> Result<(), String> {
    match std::fs::read(path) {
        Ok(bytes) if std::str::from_utf8(&bytes).is_ok_and(crate::template::is_template_text) => {
            Err(format!(
                "not saved: {} is an infrastructure template; a bare state machine definition is not \
                 written over it (open the template and pick the state machine to save into it)",
                path.display()
            ))
        }
        _ => Ok(()),
    }
}

/// `TemplateError`s from [`Machine::document`] carry no file: name the template.
fn document_of(t: &Template, m: &Machine) -> Result<Document, String> {
    m.document().map_err(|mut e| {
        if e.file.as_os_str().is_empty() {
            e.file = m.file().unwrap_or(t.path()).to_owned();
        }
        e.to_string()
    })
}

/// What a substitution's origin says in the Run dialog.
pub(crate) fn origin_text(s: &Substitution) -> String {
    use crate::template::Origin;
    match &s.origin {
        Origin::Literal => "literal in the template".into(),
        Origin::StandIn(what) => format!("stand-in for {what}"),
        Origin::Unresolved => format!("unresolved: stays ${{{}}}", s.name),
        Origin::Override => "your value".into(),
    }
}

impl App {
    /// The template the document belongs to and its state machine, if it is one of a template's.
    pub fn template_machine(&self) -> Option<(&Path, &str)> {
        self.source
            .as_ref()
            .map(|s| (s.template.path(), s.id.as_str()))
    }

    /// Why the document cannot be saved back where it came from (a read-only template form), if so.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.source.as_ref().and_then(TemplateSource::read_only)
    }

    /// The template whose state machines the picker lists, if it is showing.
    pub fn picker_template(&self) -> Option<&Path> {
        self.template_picker.as_ref().map(|p| p.template.path())
    }

    /// The error shown in the banner above the canvas (an open that failed), if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The path that names the document's layout sidecar and exports: the file, or for a template's state
    /// machine `STEM.ID.asl.json` beside the template.
    pub(crate) fn names_path(&self) -> Option<PathBuf> {
        match &self.source {
            Some(s) => Some(s.standalone_path(SourceFormat::Json)),
            None => self.path.clone(),
        }
    }

    /// The path the document's autosave is filed under (see [`TemplateSource::recovery_path`]).
    pub(crate) fn recovery_path(&self) -> Option<PathBuf> {
        match &self.source {
            Some(s) => Some(s.recovery_path()),
            None => self.path.clone(),
        }
    }

    /// Applies an opened template: one state machine opens at once; several are offered in the picker.
    pub(crate) fn template_opened(
        &mut self,
        t: Arc<Template>,
        mut extras: BTreeMap<String, MachineExtras>,
    ) -> Result<(), String> {
        match t.machines() {
            [one] => {
                let id = one.logical_id.clone();
                let e = extras.remove(&id).unwrap_or_default();
                self.open_machine(t, &id, e)
            }
            _ => {
                self.status = Some(format!(
                    "{} holds {} state machines: pick one",
                    t.path().display(),
                    t.machines().len()
                ));
                self.template_picker = Some(Picker {
                    template: t,
                    extras,
                });
                Ok(())
            }
        }
    }

    /// Makes state machine `id` of `t` the document (the current one stays when it cannot be opened).
    fn open_machine(
        &mut self,
        t: Arc<Template>,
        id: &str,
        extras: MachineExtras,
    ) -> Result<(), String> {
        let m = t.get(id).map_err(|e| e.to_string())?;
        let doc = document_of(&t, m)?;
        let read_only = m.read_only.clone();
        let path = t.path().to_owned();
        self.replace_document(doc, Some(path.clone()), extras.pins);
        self.source = Some(TemplateSource {
            template: t,
            id: id.to_owned(),
        });
        crate::ui::files::push_recent(&mut self.recent, &path);
        self.status = Some(match read_only {
            Some(r) => format!("Opened {} › {id}, read-only: {r}", path.display()),
            None => format!("Opened {} › {id}", path.display()),
        });
        match extras.recovery {
            Ok(r) => self.bg.offers.extend(r),
            Err(e) => self.status = Some(format!("Recovery file not read: {e}")),
        }
        Ok(())
    }

    /// The picker: every state machine of the template with its type and form; those that cannot be opened
    /// show why.
    pub(super) fn template_picker_ui(&mut self, ctx: &egui::Context) {
        let Some(p) = &self.template_picker else {
            return;
        };
        let t = p.template.clone();
        let mut chosen = None;
        let mut cancel = false;
        let name = t
            .path()
            .file_name()
            .map_or(t.path().display().to_string(), |n| {
                n.to_string_lossy().into_owned()
            });
        let err = ctx.global_style().visuals.error_fg_color;
        let warn = ctx.global_style().visuals.warn_fg_color;
        egui::Modal::new(egui::Id::NULL.with("template_picker")).show(ctx, |ui| {
            ui.heading(format!("State machines in {name}"));
            ui.label(egui::RichText::new(t.path().display().to_string()).weak());
            ui.add_space(6.0);
            ui.set_width(640.0);
            for m in t.machines() {
                ui.separator();
                ui.horizontal(|ui| {
                    let openable = m.definition.is_ok();
                    let b = ui
                        .add_enabled(openable, egui::Button::new(&m.logical_id))
                        .on_hover_text(format!(
                            "Open {} (line {}, column {})",
                            m.logical_id, m.line, m.column
                        ));
                    if b.clicked() {
                        chosen = Some(m.logical_id.clone());
                    }
                    ui.label(&m.resource_type);
                    ui.label(egui::RichText::new(m.form.name()).weak());
                });
                let note = match (&m.definition, &m.read_only) {
                    (Err(e), _) => Some((format!("Cannot open: {e}"), err)),
                    (Ok(_), Some(r)) => Some((format!("Read-only: {r}"), warn)),
                    (Ok(_), None) => None,
                };
                if let Some((text, color)) = note {
                    ui.add(egui::Label::new(egui::RichText::new(text).color(color)).wrap());
                }
            }
            ui.separator();
            ui.add_space(6.0);
            if ui.button("Cancel").clicked() {
                cancel = true;
            }
        });
        if let Some(id) = chosen
            && let Some(mut p) = self.template_picker.take()
        {
            let extras = p.extras.remove(&id).unwrap_or_default();
            if let Err(e) = self.open_machine(p.template, &id, extras) {
                self.notice = Some(e.clone());
                self.status = Some(e);
            }
        } else if cancel {
            self.template_picker = None;
            self.status = Some(format!("{name} was not opened"));
        }
    }

    /// The Save As choices of a template's state machine: back into the template, or a standalone
    /// `.asl.json` / `.asl.yaml` (which the bar's path is set to; "Save to path" writes it).
    pub(super) fn save_as_template_choices_ui(&mut self, ui: &mut egui::Ui, s: &TemplateSource) {
        let name = s
            .template
            .path()
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        ui.horizontal(|ui| {
            let into = ui
                .add_enabled(
                    s.read_only().is_none(),
                    egui::Button::new(format!("Into {name}")),
                )
                .on_hover_text(format!(
                    "Write the definition back into {name} (only {}'s definition changes)",
                    s.id
                ))
                .on_disabled_hover_text(format!("Read-only: {}", s.read_only().unwrap_or("")));
            if into.clicked() {
                self.show_open_path = false;
                self.push(super::Command::SaveAs(Some(s.template.path().to_owned())));
            }
            for (label, format) in [
                ("Standalone .asl.json", SourceFormat::Json),
                ("Standalone .asl.yaml", SourceFormat::Yaml),
            ] {
                if ui
                    .button(label)
                    .on_hover_text(
                        "Put this path in the bar: a file of its own, which the document becomes",
                    )
                    .clicked()
                {
                    self.open_path_text = s.standalone_path(format).display().to_string();
                }
            }
        });
    }

    /// The banners of a template's state machine (read-only) and of an open that failed.
    pub(super) fn template_banners_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(n) = self.notice.clone() {
            ui.horizontal(|ui| {
                ui.add(
                    egui::Label::new(egui::RichText::new(n).color(ui.visuals().error_fg_color))
                        .wrap(),
                );
                if ui.button("Dismiss").clicked() {
                    self.notice = None;
                }
            });
        }
        if let Some(r) = self.read_only_reason().map(str::to_owned) {
            ui.horizontal(|ui| {
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(format!("Read-only: {r}."))
                            .color(ui.visuals().warn_fg_color),
                    )
                    .wrap(),
                );
                if ui.button("Save As standalone...").clicked() {
                    self.push(super::Command::SaveAs(None));
                }
            });
        }
    }
}
