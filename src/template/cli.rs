//! The template subcommands (`extract`, `inject`) and the template side of `validate`, `render` and
//! `simulate`: a file whose content is a template (see [`super::is_template_text`]) is read as one.
//!
//! Exit codes: 0 fine; 1 invalid ASL (validate) or a read-only definition (inject of an `Fn::Join`); 2 an
//! unreadable template, an unknown `--state-machine`, several state machines and none chosen, a definition
//! that cannot be read or written.

use super::{ErrorKind, Machine, Template, TemplateError};
use crate::asl::{Document, SourceFormat, StateMachine};
use crate::json::{self, Json, Pointer};
use crate::validate::{Diagnostic, validate};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The template (.yaml, .yml, .json, .template.json)
    #[arg(value_name = "TEMPLATE")]
    pub template: PathBuf,
    /// The logical ID of the state machine (needed when the template has several)
    #[arg(long, value_name = "ID")]
    pub state_machine: Option<String>,
    /// Write the definition to this file instead of printing it
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct InjectArgs {
    /// The template (.yaml, .yml, .json, .template.json)
    #[arg(value_name = "TEMPLATE")]
    pub template: PathBuf,
    /// The logical ID of the state machine
    #[arg(long, value_name = "ID")]
    pub state_machine: String,
    /// The new definition (ASL JSON, or YAML for .yaml / .yml)
    #[arg(long, value_name = "FILE")]
    pub definition: PathBuf,
    /// Write the result (atomically) instead of printing it: to the template, or for `DefinitionUri` to the
    /// file it names
    #[arg(long)]
    pub write: bool,
}

/// Whether the file at `path` is a template (by its content). Unreadable files are not.
pub fn is_template_file(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| super::is_template_text(&t))
}

/// Opens a template and picks a state machine: `id`, or the only one. With several and no `id`, the error
/// lists them.
pub fn pick<'t>(t: &'t Template, id: Option<&str>) -> Result<&'t Machine, String> {
    match id {
        Some(id) => t.get(id).map_err(|e| e.to_string()),
        None if t.machines().len() == 1 => Ok(&t.machines()[0]),
        None => Err(format!(
            "{}: the template has {} state machines; choose one with --state-machine:\n{}",
            t.path().display(),
            t.machines().len(),
            listing(t)
        )),
    }
}

/// One line per state machine: logical ID, type, form, and why it is read-only.
pub fn listing(t: &Template) -> String {
    let mut out = String::new();
    for m in t.machines() {
        out.push_str(&format!(
            "  {}  {}  {}",
            m.logical_id,
            m.resource_type,
            m.form.name()
        ));
        if m.read_only.is_some() {
            out.push_str("  (read-only)");
        }
        out.push('\n');
    }
    out
}

/// `statewright extract`: returns the exit code.
pub fn extract_cmd(args: &ExtractArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let t = match Template::open(&args.template) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let m = match pick(&t, args.state_machine.as_deref()) {
        Ok(m) => m,
        Err(msg) => {
            let _ = write!(err, "{msg}");
            if !msg.ends_with('\n') {
                let _ = writeln!(err);
            }
            return 2;
        }
    };
    let def = match &m.definition {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let mut text = match def.format {
        SourceFormat::Json => def.text.clone(),
        SourceFormat::Yaml => json::canonical_text(&def.tree, json::Style::default()),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if let Some(path) = &args.output {
        if let Err(e) = crate::fsutil::write_atomic(path, text.as_bytes()) {
            let _ = writeln!(err, "{}: cannot write: {e}", path.display());
            return 2;
        }
        return 0;
    }
    match out.write_all(text.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "cannot write the definition: {e}");
            2
        }
    }
}

/// `statewright inject`: returns the exit code.
pub fn inject_cmd(args: &InjectArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let t = match Template::open(&args.template) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let new = match read_tree(&args.definition) {
        Ok(tree) => tree,
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return 2;
        }
    };
    let injected = match t.inject(&args.state_machine, &new) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return if e.kind == ErrorKind::ReadOnly { 1 } else { 2 };
        }
    };
    if let Some(note) = &injected.note {
        let _ = writeln!(err, "note: {note}");
    }
    if injected.path != t.path() {
        let _ = writeln!(
            err,
            "note: the definition lives in {}; the template itself is unchanged",
            injected.path.display()
        );
    }
    if args.write {
        if !injected.changed {
            return 0;
        }
        if let Err(e) = crate::fsutil::write_atomic(&injected.path, injected.text.as_bytes()) {
            let _ = writeln!(err, "{}: cannot write: {e}", injected.path.display());
            return 2;
        }
        return 0;
    }
    match out.write_all(injected.text.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "cannot write the result: {e}");
            2
        }
    }
}

/// Reads an ASL file (JSON, or YAML for .yaml / .yml) into a tree; the error has `path:line:col`.
fn read_tree(path: &Path) -> Result<Json, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{}: the file is not UTF-8 text", path.display()))?;
    SourceFormat::from_path(path)
        .parse(&text)
        .map_err(|e| format!("{}:{e}", path.display()))
}

/// A template's diagnostics: the definition's problems, each with the file it is in (the template, or the
/// referenced file) and the state machine's logical ID.
pub struct TemplateDiagnostic {
    pub file: PathBuf,
    pub logical_id: String,
    pub diagnostic: Diagnostic,
}

/// Validates every state machine of a template. `Err` for a template that cannot be read at all; a state
/// machine whose definition cannot be read gives an error in the list of errors returned beside.
pub fn validate_template(
    path: &Path,
) -> Result<(Vec<TemplateDiagnostic>, Vec<TemplateError>), TemplateError> {
    let t = Template::open(path)?;
    let mut diags = Vec::new();
    let mut unreadable = Vec::new();
    for m in t.machines() {
        let def = match &m.definition {
            Ok(d) => d,
            Err(e) => {
                unreadable.push(e.clone());
                continue;
            }
        };
        for mut d in validate(&def.tree) {
            let (file, line, column) = t.position(m, &d.pointer);
            d.line = Some(line);
            d.column = Some(column);
            diags.push(TemplateDiagnostic {
                file,
                logical_id: m.logical_id.clone(),
                diagnostic: d,
            });
        }
    }
    Ok((diags, unreadable))
}

/// The ASL document of a template's state machine for `render` (the design, placeholders kept) or for
/// `simulate` (`simulation`: placeholders and intrinsic functions substituted, see [`super::subst`]).
/// `Ok(None)` when `path` is not a template.
pub fn template_document(
    path: &Path,
    id: Option<&str>,
    simulation: bool,
) -> Result<Option<(Document, String)>, String> {
    if !is_template_file(path) {
        return Ok(None);
    }
    let t = Template::open(path).map_err(|e| e.to_string())?;
    let m = pick(&t, id)?;
    let doc = if simulation {
        let tree = t
            .simulation_definition(&m.logical_id, &BTreeMap::new())
            .map_err(|e| e.to_string())?;
        Document::from_machine(StateMachine::from_json(&tree).unwrap_or_default())
    } else {
        m.document().map_err(|e| e.to_string())?
    };
    Ok(Some((doc, m.logical_id.clone())))
}

impl Template {
    /// Where the node at `pointer` of a state machine's definition is: the file (the template, or the
    /// referenced file) and its line and column there (the nearest existing ancestor's, or the definition's
    /// start for a joined definition).
    pub fn position(&self, m: &Machine, pointer: &Pointer) -> (PathBuf, usize, usize) {
        let Ok(def) = &m.definition else {
            let (l, c) = self.line_col(m.region.start);
            return (self.path.clone(), l, c);
        };
        match (&m.form, &m.scalar) {
            (super::Form::File { path, .. }, _) => {
                let offset = offset_of(&def.tree, pointer).unwrap_or(0);
                let (l, c) = json::LineIndex::new(&def.text).line_col(&def.text, offset);
                (path.clone(), l, c)
            }
            (_, Some(info)) => {
                let offset = offset_of(&def.tree, pointer).unwrap_or(0);
                let (l, c) = self.line_col(info.template_offset(offset));
                (self.path.clone(), l, c)
            }
            (super::Form::Mapping, _) => {
                let offset = offset_of(&m.node, pointer).unwrap_or(m.region.start);
                let (l, c) = self.line_col(offset);
                (self.path.clone(), l, c)
            }
            _ => {
                let (l, c) = self.line_col(m.region.start);
                (self.path.clone(), l, c)
            }
        }
    }
}

/// The byte offset of the node at `pointer` (a member's key for object members), or of its nearest
/// ancestor with a position.
fn offset_of(root: &Json, pointer: &Pointer) -> Option<usize> {
    root.source_offsets(&[pointer]).pop().flatten()
}
