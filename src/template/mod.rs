//! State machines inside infrastructure templates: CloudFormation, SAM and CDK output, in JSON or YAML.
//!
//! [`Template::open`] (or [`Template::parse`]) reads a template and finds every state machine in it, in all the
//! forms templates hold them ([`Form`]). Each [`Machine`] gives its definition as ASL text
//! ([`Machine::document`]); [`Template::inject`] writes an edited definition back so that only the
//! definition's own text changes (or, for `DefinitionUri` / a local `DefinitionS3Location`, the referenced
//! file). [`Template::simulation_definition`] gives the definition with its `${…}` placeholders and intrinsic
//! functions replaced by values a simulation can run with (see [`subst`]).
//!
//! YAML templates are read by [`crate::json::parse_yaml_template`]: short-form tags (`!Sub`, `!GetAtt`, …)
//! become their long form in the tree and stay as written in the text; anchors, aliases and unknown tags are
//! refused with their position.

pub mod cli;
mod inject;
mod scalar;
pub mod subst;

pub use inject::Injected;
pub use subst::{Origin, Substitution};

use crate::asl::{Document, SourceFormat};
use crate::json::{self, Json, LineIndex, Value};
use scalar::ScalarInfo;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The resource types that hold a state machine.
pub const STATE_MACHINE_TYPES: [&str; 2] = [
    "AWS::Serverless::StateMachine",
    "AWS::StepFunctions::StateMachine",
];

/// The syntax of a template file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateFormat {
    Json,
    Yaml,
}

/// Where and how a template holds a state machine's definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Form {
    /// `Definition:` as an inline mapping (a YAML block or flow mapping, or a JSON object).
    Mapping,
    /// `DefinitionString` as a literal string holding JSON.
    String,
    /// `DefinitionString` as `Fn::Sub` (`!Sub`) over a string holding JSON; `with_vars` for the
    /// `[string, {Var: …}]` list form.
    Sub { with_vars: bool },
    /// `DefinitionString` as `Fn::Join` of strings and `Ref` / `Fn::GetAtt` parts (CDK output): read-only.
    Join,
    /// `DefinitionUri` / `DefinitionS3Location` naming a local file (`reference` as written, `path` resolved
    /// against the template's folder).
    File { reference: String, path: PathBuf },
    /// `DefinitionUri` / `DefinitionS3Location` in S3 (an `s3://` URL or a `{Bucket, Key}` mapping).
    S3 { location: String },
}

impl Form {
    /// A short name: `mapping`, `string`, `Sub-string`, `Sub-with-vars`, `Join`, `uri`, `s3`.
    pub fn name(&self) -> &'static str {
        match self {
            Form::Mapping => "mapping",
            Form::String => "string",
            Form::Sub { with_vars: false } => "Sub-string",
            Form::Sub { with_vars: true } => "Sub-with-vars",
            Form::Join => "Join",
            Form::File { .. } => "uri",
            Form::S3 { .. } => "s3",
        }
    }
}

/// What kind of failure a [`TemplateError`] is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input cannot be used: unreadable, not a template, an unknown state machine, a definition that
    /// cannot be read.
    #[default]
    Input,
    /// The definition cannot be written back (`Fn::Join`, S3, computed by an intrinsic function).
    ReadOnly,
    /// Writing back produced something that does not read back as intended (nothing is written).
    Internal,
}

/// An error with the file it is about and a position in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub kind: ErrorKind,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The state machine it concerns, if any.
    pub logical_id: Option<String>,
    pub message: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file.display(), self.line, self.column)?;
        if let Some(id) = &self.logical_id {
            write!(f, "{id}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// A state machine's definition as ASL text.
#[derive(Clone, Debug)]
pub struct Definition {
    /// The ASL text: a string form's content as written (JSON, `${…}` kept); a mapping's canonical JSON; a
    /// `Fn::Join`'s parts joined, with `${Name}` / `${Name.Attribute}` for its `Ref` / `Fn::GetAtt` parts; a
    /// referenced file's text.
    pub text: String,
    /// JSON, or YAML for a referenced `.yaml` / `.yml` file.
    pub format: SourceFormat,
    /// `text` parsed (spans point into `text`).
    pub tree: Json,
}

/// One state machine of a template.
#[derive(Clone, Debug)]
pub struct Machine {
    pub logical_id: String,
    pub resource_type: String,
    pub form: Form,
    /// Why the definition cannot be written back here, if it cannot (`Fn::Join`, S3).
    pub read_only: Option<String>,
    /// `(line, column)` of the logical ID in the template.
    pub line: usize,
    pub column: usize,
    /// The definition, or why it cannot be read (not JSON, a missing file, S3 …).
    pub definition: Result<Definition, TemplateError>,
    /// The bytes of the template that hold the definition (for a file form: the reference), for the
    /// inline forms exactly the text [`Template::inject`] rewrites.
    pub region: Range<usize>,
    /// The definition node in the template tree (the string for string forms, the `Fn::Join` node).
    node: Json,
    /// The `Fn::Sub` variables (`[string, {vars}]` form).
    sub_vars: Option<Json>,
    /// `DefinitionSubstitutions`.
    substitutions: Option<Json>,
    /// For string forms: how the string is written, and the template offset of each content byte.
    scalar: Option<ScalarInfo>,
}

impl Machine {
    /// The definition as an ASL document for the designer (JSON, or the referenced file's format).
    pub fn document(&self) -> Result<Document, TemplateError> {
        let def = self.definition.as_ref().map_err(Clone::clone)?;
        Document::parse(&def.text, def.format).map_err(|e| TemplateError {
            kind: ErrorKind::Input,
            file: PathBuf::new(),
            line: e.line,
            column: e.column,
            logical_id: Some(self.logical_id.clone()),
            message: e.message,
        })
    }

    /// The `DefinitionSubstitutions` mapping, if any.
    pub fn definition_substitutions(&self) -> Option<&Json> {
        self.substitutions.as_ref()
    }

    /// The referenced file of a `DefinitionUri` / local `DefinitionS3Location`.
    pub fn file(&self) -> Option<&Path> {
        match &self.form {
            Form::File { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// A template and the state machines in it.
#[derive(Clone, Debug)]
pub struct Template {
    path: PathBuf,
    text: String,
    format: TemplateFormat,
    tree: Json,
    lines: LineIndex,
    machines: Vec<Machine>,
}

/// Whether a text (JSON or YAML) is an infrastructure template rather than an ASL file: its top level has
/// `Resources` (or `AWSTemplateFormatVersion` / `Transform`) and no `States`.
pub fn is_template_text(text: &str) -> bool {
    let tree = if looks_like_json(text) {
        json::parse(text)
    } else {
        json::parse_yaml(text)
    };
    tree.is_ok_and(|t| is_template_tree(&t))
}

fn is_template_tree(tree: &Json) -> bool {
    tree.as_object().is_some()
        && tree.get("States").is_none()
        && (tree.get("Resources").is_some()
            || tree.get("AWSTemplateFormatVersion").is_some()
            || tree.get("Transform").is_some())
}

fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

impl Template {
    /// Reads a template file and finds its state machines. Errors: the file cannot be read, is not UTF-8,
    /// JSON or YAML, breaks the template YAML rules, or holds no state machine. A state machine whose
    /// definition cannot be read is still listed, with the reason in [`Machine::definition`].
    pub fn open(path: &Path) -> Result<Template, TemplateError> {
        let bytes = std::fs::read(path).map_err(|e| TemplateError {
            kind: ErrorKind::Input,
            file: path.to_owned(),
            line: 1,
            column: 1,
            logical_id: None,
            message: format!("cannot read: {e}"),
        })?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                let good = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or("");
                let (line, column) = LineIndex::new(good).line_col(good, offset);
                return Err(TemplateError {
                    kind: ErrorKind::Input,
                    file: path.to_owned(),
                    line,
                    column,
                    logical_id: None,
                    message: format!(
                        "the file is not UTF-8 text (invalid byte at offset {offset})"
                    ),
                });
            }
        };
        Template::parse(path, text)
    }

    /// Reads a template's text; `path` names it in messages and is where relative `DefinitionUri`s start.
    pub fn parse(path: &Path, text: String) -> Result<Template, TemplateError> {
        let format = if looks_like_json(&text) {
            TemplateFormat::Json
        } else {
            TemplateFormat::Yaml
        };
        let parsed = match format {
            TemplateFormat::Json => json::parse(&text),
            TemplateFormat::Yaml => json::parse_yaml_template(&text),
        };
        let tree = parsed.map_err(|e| TemplateError {
            kind: ErrorKind::Input,
            file: path.to_owned(),
            line: e.line,
            column: e.column,
            logical_id: None,
            message: match format {
                TemplateFormat::Json => format!("not a JSON template: {}", e.message),
                TemplateFormat::Yaml => format!("not a YAML template: {}", e.message),
            },
        })?;
        let mut t = Template {
            path: path.to_owned(),
            lines: LineIndex::new(&text),
            text,
            format,
            tree,
            machines: Vec::new(),
        };
        t.machines = t.find_machines()?;
        Ok(t)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn format(&self) -> TemplateFormat {
        self.format
    }

    /// The template's tree (YAML short-form tags in long form).
    pub fn tree(&self) -> &Json {
        &self.tree
    }

    /// The state machines, in the template's order.
    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }

    /// The state machine with this logical ID.
    pub fn machine(&self, logical_id: &str) -> Option<&Machine> {
        self.machines.iter().find(|m| m.logical_id == logical_id)
    }

    /// The state machine with this logical ID, or an error listing the ones there are.
    pub fn get(&self, logical_id: &str) -> Result<&Machine, TemplateError> {
        self.machine(logical_id).ok_or_else(|| {
            self.error(
                0,
                None,
                format!(
                    "no state machine {logical_id:?} in the template (it has {})",
                    self.machines
                        .iter()
                        .map(|m| m.logical_id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
    }

    /// `(line, column)` of a byte offset in the template.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(&self.text, offset)
    }

    fn error(&self, offset: usize, id: Option<&str>, message: impl Into<String>) -> TemplateError {
        let (line, column) = self.line_col(offset);
        TemplateError {
            kind: ErrorKind::Input,
            file: self.path.clone(),
            line,
            column,
            logical_id: id.map(str::to_owned),
            message: message.into(),
        }
    }

    fn find_machines(&self) -> Result<Vec<Machine>, TemplateError> {
        let Some(resources) = self.tree.get("Resources").and_then(Json::as_object) else {
            let at = self.tree.span.range().map_or(0, |r| r.start);
            return Err(self.error(
                at,
                None,
                "not a CloudFormation/SAM template: there is no \"Resources\" mapping",
            ));
        };
        let mut machines = Vec::new();
        for r in resources {
            let Some(ty) = r.value.get("Type").and_then(Json::as_str) else {
                continue;
            };
            if !STATE_MACHINE_TYPES.contains(&ty) {
                continue;
            }
            machines.push(self.machine_of(r.key.as_str(), ty, &r.key_span, &r.value));
        }
        if machines.is_empty() {
            let at = self
                .tree
                .member("Resources")
                .and_then(|m| m.key_span.range())
                .map_or(0, |r| r.start);
            return Err(self.error(
                at,
                None,
                format!(
                    "the template has no state machine (no resource of type {})",
                    STATE_MACHINE_TYPES.join(" or ")
                ),
            ));
        }
        Ok(machines)
    }

    fn machine_of(&self, id: &str, ty: &str, key_span: &json::Span, resource: &Json) -> Machine {
        let key_at = key_span
            .range()
            .or(resource.span.range())
            .map_or(0, |r| r.start);
        let (line, column) = self.line_col(key_at);
        let props = resource.get("Properties");
        let mut m = Machine {
            logical_id: id.to_owned(),
            resource_type: ty.to_owned(),
            form: Form::Mapping,
            read_only: None,
            line,
            column,
            definition: Err(self.error(key_at, Some(id), "no definition")),
            region: key_at..key_at,
            node: Json::null(),
            sub_vars: None,
            substitutions: props
                .and_then(|p| p.get("DefinitionSubstitutions"))
                .cloned(),
            scalar: None,
        };
        let at_of = |j: &Json| j.span.range().map_or(key_at, |r| r.start);
        let serverless = ty == STATE_MACHINE_TYPES[0];
        let pick = |key: &str| props.and_then(|p| p.get(key));
        if let Some(def) = pick("Definition") {
            m.node = def.clone();
            m.region = def.span.range().unwrap_or(key_at..key_at);
            m.definition = if let Some(f) = intrinsic_name(def) {
                m.read_only = Some(format!("the definition is computed by {f}"));
                Err(self.error(
                    at_of(def),
                    Some(id),
                    format!("Definition is computed by {f}: statewright cannot open it"),
                ))
            } else if def.as_object().is_none() {
                Err(self.error(
                    at_of(def),
                    Some(id),
                    format!("Definition must be a mapping, not a {}", def.type_name()),
                ))
            } else {
                let text = json::canonical_text(def, json::Style::default());
                json::parse(&text)
                    .map(|tree| Definition {
                        text,
                        format: SourceFormat::Json,
                        tree,
                    })
                    .map_err(|e| self.error(at_of(def), Some(id), e.message))
            };
            return m;
        }
        if let Some(def) = pick("DefinitionString").filter(|_| !serverless) {
            self.string_definition(&mut m, def);
            return m;
        }
        let uri_key = if serverless {
            "DefinitionUri"
        } else {
            "DefinitionS3Location"
        };
        if let Some(uri) = pick(uri_key) {
            self.file_definition(&mut m, uri_key, uri);
            return m;
        }
        let wanted = if serverless {
            "Definition or DefinitionUri"
        } else {
            "Definition, DefinitionString or DefinitionS3Location"
        };
        m.definition = Err(self.error(
            key_at,
            Some(id),
            format!("the state machine has no {wanted}"),
        ));
        m
    }

    /// `DefinitionString`: a string, `Fn::Sub` over one, or `Fn::Join`.
    fn string_definition(&self, m: &mut Machine, def: &Json) {
        let id = m.logical_id.clone();
        let at = def.span.range().map_or(m.region.start, |r| r.start);
        let (form, string) = match (&def.value, intrinsic_name(def)) {
            (Value::String(_), _) => (Form::String, def),
            (_, Some("Fn::Sub")) => {
                let arg = &def.as_object().unwrap_or_default()[0].value;
                match &arg.value {
                    Value::String(_) => (Form::Sub { with_vars: false }, arg),
                    Value::Array(items) if items.len() == 2 && items[0].as_str().is_some() => {
                        m.sub_vars = Some(items[1].clone());
                        (Form::Sub { with_vars: true }, &items[0])
                    }
                    _ => {
                        m.definition = Err(self.error(
                            at,
                            Some(&id),
                            "Fn::Sub must hold a string or a [string, {variables}] list",
                        ));
                        return;
                    }
                }
            }
            (_, Some("Fn::Join")) => {
                m.form = Form::Join;
                m.node = def.clone();
                m.region = def.span.range().unwrap_or(at..at);
                m.read_only = Some(
                    "the definition is an Fn::Join (generated code, such as CDK output): change it in \
                     the source that generates the template, or save it as a standalone .asl.json"
                        .into(),
                );
                m.definition = inject::join_text(def)
                    .map_err(|msg| self.error(at, Some(&id), msg))
                    .and_then(|text| {
                        json::parse(&text)
                            .map(|tree| Definition {
                                text: text.clone(),
                                format: SourceFormat::Json,
                                tree,
                            })
                            .map_err(|e| {
                                self.error(
                                    at,
                                    Some(&id),
                                    format!(
                                        "the joined DefinitionString is not JSON ({}:{} of the joined text): {}",
                                        e.line, e.column, e.message
                                    ),
                                )
                            })
                    });
                return;
            }
            (_, Some(f)) => {
                m.read_only = Some(format!("the definition is computed by {f}"));
                m.definition = Err(self.error(
                    at,
                    Some(&id),
                    format!("DefinitionString is computed by {f}: statewright cannot open it"),
                ));
                return;
            }
            _ => {
                m.definition = Err(self.error(
                    at,
                    Some(&id),
                    format!(
                        "DefinitionString must be a string, not a {}",
                        def.type_name()
                    ),
                ));
                return;
            }
        };
        m.form = form;
        m.node = string.clone();
        let content = string.as_str().unwrap_or_default().to_owned();
        let Some(span) = string.span.range() else {
            m.definition = Err(self.error(at, Some(&id), "the definition string has no position"));
            return;
        };
        let info = ScalarInfo::read(&self.text, span, &content, self.format);
        m.region = info.region.clone();
        let parsed = json::parse(&content);
        m.definition = match parsed {
            Ok(tree) => Ok(Definition {
                text: content,
                format: SourceFormat::Json,
                tree,
            }),
            Err(e) => {
                let offset = info.template_offset(e.offset);
                Err(self.error(
                    offset,
                    Some(&id),
                    format!(
                        "the definition string is not JSON: {} (line {}, column {} of the string)",
                        e.message, e.line, e.column
                    ),
                ))
            }
        };
        m.scalar = Some(info);
    }

    /// `DefinitionUri` / `DefinitionS3Location`: a local file or an S3 location.
    fn file_definition(&self, m: &mut Machine, key: &str, uri: &Json) {
        let id = m.logical_id.clone();
        let at = uri.span.range().map_or(m.region.start, |r| r.start);
        m.node = uri.clone();
        m.region = uri.span.range().unwrap_or(at..at);
        let s3 = |m: &mut Machine, location: String| {
            m.read_only = Some(format!(
                "the definition is in S3 ({location}), which is not reachable offline"
            ));
            m.definition = Err(self.error(
                at,
                Some(&id),
                format!("{key} is in S3 ({location}): not reachable offline"),
            ));
            m.form = Form::S3 { location };
        };
        match &uri.value {
            Value::String(s) if s.starts_with("s3://") || s.starts_with("https://") => {
                s3(m, s.to_string());
            }
            Value::String(reference) => {
                let base = self.path.parent().unwrap_or(Path::new(""));
                let path = base.join(reference.as_str());
                m.form = Form::File {
                    reference: reference.to_string(),
                    path: path.clone(),
                };
                m.definition = read_definition_file(&path).map_err(|msg| {
                    self.error(
                        at,
                        Some(&id),
                        format!("{key} {:?}: {msg}", reference.as_str()),
                    )
                });
            }
            Value::Object(_) if intrinsic_name(uri).is_none() => {
                let bucket = uri.get("Bucket").map_or("?".into(), subst::describe);
                let key_ = uri.get("Key").map_or("?".into(), subst::describe);
                s3(m, format!("s3://{bucket}/{key_}"));
            }
            _ => {
                m.definition = Err(self.error(
                    at,
                    Some(&id),
                    format!("{key} must be a file path or an S3 location"),
                ));
            }
        }
    }
}

/// Reads a referenced definition file: JSON, or YAML for `.yaml` / `.yml`.
fn read_definition_file(path: &Path) -> Result<Definition, String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("the file {} does not exist", path.display()),
        _ => format!("cannot read {}: {e}", path.display()),
    })?;
    let format = SourceFormat::from_path(path);
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))?;
    let tree = format
        .parse(&text)
        .map_err(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))?;
    Ok(Definition { text, format, tree })
}

/// The intrinsic function a node is (`Ref`, `Fn::Sub`, `Condition` …): a mapping with one such key.
pub fn intrinsic_name(node: &Json) -> Option<&str> {
    match node.as_object()? {
        [m] if m.key.as_str() == "Ref"
            || m.key.as_str() == "Condition"
            || m.key.starts_with("Fn::") =>
        {
            Some(m.key.as_str())
        }
        _ => None,
    }
}

/// Whether two trees hold the same content: strings compared by value (not by how they were escaped),
/// numbers by their text, members in order.
pub fn same_content(a: &Json, b: &Json) -> bool {
    match (&a.value, &b.value) {
        (Value::String(x), Value::String(y)) => x.as_str() == y.as_str(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_content(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|(p, q)| {
                    p.key.as_str() == q.key.as_str() && same_content(&p.value, &q.value)
                })
        }
        (x, y) => x == y,
    }
}
