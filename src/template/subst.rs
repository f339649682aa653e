//! Values for a definition's `${…}` placeholders and intrinsic functions, so that a simulation can run it.
//!
//! The design keeps `${Placeholder}` strings (and intrinsic functions in an inline mapping) as written. For a
//! run, [`Template::simulation_definition`] replaces them, and [`Template::substitutions`] lists each one with
//! its value and where that value comes from (for the Run dialog, where the user can override any of them).
//!
//! Where a placeholder `${Name}` gets its value, in order:
//! 1. the caller's overrides (by name);
//! 2. for `Fn::Sub` forms, the `Fn::Sub` variables (`[string, {Name: value}]`);
//! 3. for `Fn::Sub` and `Fn::Join` forms (where CloudFormation resolves `${Name}` / `Ref` / `Fn::GetAtt`), and
//!    for intrinsic functions inside an inline mapping: the template itself, by the stand-in scheme below;
//! 4. `DefinitionSubstitutions` (for an `Fn::Sub` form, the names written `${!Name}`, which `Fn::Sub` leaves
//!    as `${Name}` for Step Functions; and names steps 2–3 do not know);
//! 5. otherwise nothing: the placeholder stays as written ([`Origin::Unresolved`]).
//!
//! A literal value (a string, number or boolean) is used as it is ([`Origin::Literal`]). An intrinsic
//! function becomes a readable stand-in ([`Origin::StandIn`], which says what it stands for), with region
//! `us-east-1`, account `123456789012` and partition `aws`, and the logical ID as the resource's name:
//! - `Ref` to a pseudo parameter: `AWS::Region` → `us-east-1`, `AWS::AccountId` → `123456789012`,
//!   `AWS::Partition` → `aws`, `AWS::URLSuffix` → `amazonaws.com`, `AWS::StackName` → `stack`, others → the name;
//! - `Ref` to a parameter: its `Default` when it is a literal, else the parameter's name;
//! - `Ref` / `Fn::GetAtt` to a resource: what CloudFormation returns for its type, e.g. a Lambda function's
//!   `Arn` → `arn:aws:lambda:us-east-1:123456789012:function:MyFunction` and its `Ref` → `MyFunction`, an SQS
//!   queue's `Ref` → `https://sqs.us-east-1.amazonaws.com/123456789012/MyQueue`, an SNS topic's `Ref` → its ARN,
//!   a DynamoDB table's `Ref` → `MyTable`; an `Arn` of another type → `arn:aws:<service>:us-east-1:123456789012:MyThing`;
//!   any other attribute → `MyThing.Attribute`;
//! - `Fn::Sub` → its string with these rules applied; `Fn::Join` → its parts joined; `Fn::Select` → the
//!   element; `Fn::If` → the first (true) branch; `Fn::FindInMap` → the `Mappings` value when literal;
//!   `Fn::Base64` → its argument; anything else → a description such as `Fn::ImportValue(SharedQueue)`.

use super::{Form, Machine, Template, TemplateError, intrinsic_name};
use crate::json::{JStr, Json, Value};
use std::collections::BTreeMap;

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// Where a placeholder's value comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A literal value in the template (`DefinitionSubstitutions`, `Fn::Sub` variables).
    Literal,
    /// A stand-in for an intrinsic function or template entity; the text says which (`!GetAtt F.Arn`).
    StandIn(String),
    /// Nothing in the template defines it: it stays as written.
    Unresolved,
    /// The caller's override.
    Override,
}

/// One placeholder of a definition and the value a simulation uses for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// The name inside `${…}` (for an intrinsic function in a mapping: `Name` for `Ref`, `Name.Attr` for
    /// `Fn::GetAtt`, else its description).
    pub name: String,
    /// `None` when unresolved.
    pub value: Option<String>,
    pub origin: Origin,
}

/// The name of a placeholder standing for an intrinsic function: `X` for `Ref X`, `A.B` for `Fn::GetAtt`,
/// the description otherwise.
pub fn placeholder_name(node: &Json) -> String {
    match (intrinsic_name(node), node.as_object()) {
        (Some("Ref"), Some([m])) if m.value.as_str().is_some() => {
            m.value.as_str().unwrap_or_default().to_owned()
        }
        (Some("Fn::GetAtt"), Some([m])) => match getatt_parts(&m.value) {
            Some((a, b)) => format!("{a}.{b}"),
            None => describe(node),
        },
        _ => describe(node),
    }
}

fn getatt_parts(arg: &Json) -> Option<(String, String)> {
    match &arg.value {
        Value::String(s) => s.split_once('.').map(|(a, b)| (a.to_owned(), b.to_owned())),
        Value::Array(items) if items.len() == 2 => {
            Some((items[0].as_str()?.to_owned(), describe(&items[1])))
        }
        _ => None,
    }
}

/// A short readable text for a template value: a string as it is, `Name` for `Ref`, `A.B` for `Fn::GetAtt`,
/// `Fn::X(…)` for other intrinsic functions, compact JSON otherwise.
pub fn describe(node: &Json) -> String {
    match &node.value {
        Value::String(s) => s.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        _ => match (intrinsic_name(node), node.as_object()) {
            (Some("Ref"), Some([m])) if m.value.as_str().is_some() => describe(&m.value),
            (Some("Fn::GetAtt"), Some([m])) if getatt_parts(&m.value).is_some() => {
                placeholder_name(node)
            }
            (Some(f), Some([m])) => format!("{f}({})", describe_args(&m.value)),
            _ => crate::json::compact_text(node),
        },
    }
}

fn describe_args(v: &Json) -> String {
    match v.as_array() {
        Some(items) => items.iter().map(describe).collect::<Vec<_>>().join(", "),
        None => describe(v),
    }
}

/// What a placeholder scan is for.
struct Ctx<'a> {
    t: &'a Template,
    m: &'a Machine,
    overrides: &'a BTreeMap<String, String>,
    found: Vec<Substitution>,
}

impl Ctx<'_> {
    fn note(&mut self, name: &str, value: Option<&String>, origin: &Origin) {
        if !self.found.iter().any(|s| s.name == name) {
            self.found.push(Substitution {
                name: name.to_owned(),
                value: value.cloned(),
                origin: origin.clone(),
            });
        }
    }

    /// The value of `${name}` in a definition string; `escaped` for `${!name}` in an `Fn::Sub` form.
    fn placeholder(&mut self, name: &str, escaped: bool) -> (Option<String>, Origin) {
        if let Some(v) = self.overrides.get(name) {
            return (Some(v.clone()), Origin::Override);
        }
        let sub_form = matches!(self.m.form, Form::Sub { .. });
        let template_resolves = sub_form || self.m.form == Form::Join;
        if !escaped {
            if sub_form && let Some(v) = self.m.sub_vars.as_ref().and_then(|vars| vars.get(name)) {
                return self.value_of(v);
            }
            if template_resolves && let Some(r) = self.t.resolve_name(name) {
                return (Some(r), Origin::StandIn(format!("${{{name}}}")));
            }
        }
        if let Some(v) = self.m.substitutions.as_ref().and_then(|s| s.get(name)) {
            return self.value_of(v);
        }
        (None, Origin::Unresolved)
    }

    fn value_of(&self, v: &Json) -> (Option<String>, Origin) {
        match &v.value {
            Value::String(s) => (Some(s.to_string()), Origin::Literal),
            Value::Number(n) => (Some(n.to_string()), Origin::Literal),
            Value::Bool(b) => (Some(b.to_string()), Origin::Literal),
            _ => (Some(self.t.stand_in(v)), Origin::StandIn(short_form(v))),
        }
    }

    /// A definition string with its placeholders replaced (those with a value).
    fn string(&mut self, s: &str) -> String {
        let sub_form = matches!(self.m.form, Form::Sub { .. });
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let inner = &after[..close];
            let (name, escaped) = match inner.strip_prefix('!') {
                Some(n) if sub_form => (n, true),
                _ => (inner, false),
            };
            let (value, origin) = self.placeholder(name, escaped);
            self.note(name, value.as_ref(), &origin);
            match value {
                Some(v) => out.push_str(&v),
                None => {
                    out.push_str("${");
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The tree with placeholders and intrinsic functions replaced; spans kept.
    fn tree(&mut self, node: &Json) -> Json {
        let value = match &node.value {
            Value::String(s) => Value::String(JStr::new(self.string(s))),
            Value::Object(_) if intrinsic_name(node).is_some() => {
                let name = placeholder_name(node);
                let (value, origin) = match self.overrides.get(&name) {
                    Some(v) => (v.clone(), Origin::Override),
                    None => (self.t.stand_in(node), Origin::StandIn(short_form(node))),
                };
                self.note(&name, Some(&value), &origin);
                Value::String(JStr::new(value))
            }
            Value::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|m| crate::json::Member {
                        key: m.key.clone(),
                        key_span: m.key_span,
                        value: self.tree(&m.value),
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.tree(i)).collect()),
            v => v.clone(),
        };
        Json {
            value,
            span: node.span,
        }
    }
}

/// `!Ref X`, `!GetAtt A.B`, `!Sub …`: the short form, for messages.
fn short_form(node: &Json) -> String {
    match intrinsic_name(node) {
        Some("Ref") => format!("!Ref {}", placeholder_name(node)),
        Some("Fn::GetAtt") => format!("!GetAtt {}", placeholder_name(node)),
        Some(f) => {
            let arg = node.as_object().map(|m| describe_args(&m[0].value));
            format!(
                "!{} {}",
                f.trim_start_matches("Fn::"),
                arg.unwrap_or_default()
            )
        }
        None => describe(node),
    }
}

impl Template {
    /// Every placeholder (and, in an inline mapping, every intrinsic function) of the state machine's
    /// definition, in order of appearance, with the value a simulation uses (see the module docs).
    pub fn substitutions(
        &self,
        logical_id: &str,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Vec<Substitution>, TemplateError> {
        Ok(self.substituted(logical_id, overrides)?.1)
    }

    /// The state machine's definition as a simulation runs it: placeholders with a value replaced, intrinsic
    /// functions replaced by stand-ins, `overrides` (by placeholder name) first. Spans still point into the
    /// definition's text.
    pub fn simulation_definition(
        &self,
        logical_id: &str,
        overrides: &BTreeMap<String, String>,
    ) -> Result<Json, TemplateError> {
        Ok(self.substituted(logical_id, overrides)?.0)
    }

    fn substituted(
        &self,
        logical_id: &str,
        overrides: &BTreeMap<String, String>,
    ) -> Result<(Json, Vec<Substitution>), TemplateError> {
        let m = self.get(logical_id)?;
        let def = m.definition.as_ref().map_err(Clone::clone)?;
        self.substitute(logical_id, &def.tree, overrides)
    }

    /// [`Template::simulation_definition`] and [`Template::substitutions`] at once, for `definition`: the state
    /// machine's definition as edited but not saved yet (the designer simulates what it shows).
    pub fn substitute(
        &self,
        logical_id: &str,
        definition: &Json,
        overrides: &BTreeMap<String, String>,
    ) -> Result<(Json, Vec<Substitution>), TemplateError> {
        let m = self.get(logical_id)?;
        let mut ctx = Ctx {
            t: self,
            m,
            overrides,
            found: Vec::new(),
        };
        let tree = ctx.tree(definition);
        Ok((tree, ctx.found))
    }

    /// `${name}` as `Fn::Sub` resolves it from the template: a pseudo parameter, a parameter, `Resource` (its
    /// `Ref`) or `Resource.Attribute` (its `Fn::GetAtt`); `None` when the template has no such thing.
    fn resolve_name(&self, name: &str) -> Option<String> {
        if let Some(v) = pseudo(name) {
            return Some(v.to_owned());
        }
        if self.parameter(name).is_some() || self.resource_type(name).is_some() {
            return Some(self.ref_stand_in(name));
        }
        let (resource, attribute) = name.split_once('.')?;
        self.resource_type(resource)?;
        Some(self.getatt_stand_in(resource, attribute))
    }

    fn parameter(&self, name: &str) -> Option<&Json> {
        self.tree.get("Parameters")?.get(name)
    }

    fn resource_type(&self, name: &str) -> Option<&str> {
        self.tree.get("Resources")?.get(name)?.get("Type")?.as_str()
    }

    /// The stand-in value of any template value (a literal is itself).
    pub fn stand_in(&self, node: &Json) -> String {
        let arg = node.as_object().and_then(|m| m.first()).map(|m| &m.value);
        match (intrinsic_name(node), arg) {
            (None, _) | (_, None) => describe(node),
            (Some("Ref"), Some(a)) => self.ref_stand_in(&describe(a)),
            (Some("Fn::GetAtt"), Some(a)) => match getatt_parts(a) {
                Some((r, at)) => self.getatt_stand_in(&r, &at),
                None => describe(node),
            },
            (Some("Fn::Sub"), Some(a)) => {
                let (s, vars) = match &a.value {
                    Value::Array(items) if items.len() == 2 => (items[0].as_str(), Some(&items[1])),
                    _ => (a.as_str(), None),
                };
                match s {
                    Some(s) => self.sub_stand_in(s, vars),
                    None => describe(node),
                }
            }
            (Some("Fn::Join"), Some(a)) => match a.as_array() {
                Some(
                    [
                        d,
                        Json {
                            value: Value::Array(parts),
                            ..
                        },
                    ],
                ) => parts
                    .iter()
                    .map(|p| self.stand_in(p))
                    .collect::<Vec<_>>()
                    .join(d.as_str().unwrap_or("")),
                _ => describe(node),
            },
            (Some("Fn::Select"), Some(a)) => match a.as_array() {
                Some([i, list]) => {
                    let index = describe(i).parse::<usize>().ok();
                    match (index, list.as_array()) {
                        (Some(i), Some(items)) if i < items.len() => self.stand_in(&items[i]),
                        _ => describe(node),
                    }
                }
                _ => describe(node),
            },
            (Some("Fn::If"), Some(a)) => match a.as_array() {
                Some([_, yes, _]) => self.stand_in(yes),
                _ => describe(node),
            },
            (Some("Fn::Base64"), Some(a)) => self.stand_in(a),
            (Some("Fn::GetAZs"), _) => format!("{REGION}a"),
            (Some("Fn::FindInMap"), Some(a)) => {
                let keys: Vec<String> = a
                    .as_array()
                    .unwrap_or_default()
                    .iter()
                    .map(|k| self.stand_in(k))
                    .collect();
                let found = match keys.as_slice() {
                    [map, k1, k2] => self
                        .tree
                        .get("Mappings")
                        .and_then(|m| m.get(map))
                        .and_then(|m| m.get(k1))
                        .and_then(|m| m.get(k2))
                        .filter(|v| !matches!(v.value, Value::Object(_) | Value::Array(_))),
                    _ => None,
                };
                found.map_or_else(|| describe(node), describe)
            }
            _ => describe(node),
        }
    }

    fn sub_stand_in(&self, s: &str, vars: Option<&Json>) -> String {
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let name = &after[..close];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(v) = vars.and_then(|v| v.get(name)) {
                out.push_str(&self.stand_in(v));
            } else {
                out.push_str(
                    &self
                        .resolve_name(name)
                        .unwrap_or_else(|| format!("${{{name}}}")),
                );
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// What `Ref` returns, by the resource type (see the module docs).
    fn ref_stand_in(&self, name: &str) -> String {
        if let Some(v) = pseudo(name) {
            return v.to_owned();
        }
        if let Some(p) = self.parameter(name) {
            return match p.get("Default").map(|d| &d.value) {
                Some(Value::String(s)) => s.to_string(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                _ => name.to_owned(),
            };
        }
        let ty = self.resource_type(name).unwrap_or("");
        match ty {
            "AWS::SNS::Topic"
            | "AWS::StepFunctions::StateMachine"
            | "AWS::Serverless::StateMachine"
            | "AWS::StepFunctions::Activity"
            | "AWS::Batch::JobQueue"
            | "AWS::Batch::JobDefinition"
            | "AWS::ECS::TaskDefinition"
            | "AWS::IAM::ManagedPolicy" => self.getatt_stand_in(name, "Arn"),
            "AWS::SQS::Queue" => format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"),
            "AWS::S3::Bucket" => name.to_ascii_lowercase(),
            _ => name.to_owned(),
        }
    }

    /// What `Fn::GetAtt resource.attribute` returns, by the resource type (see the module docs).
    fn getatt_stand_in(&self, name: &str, attribute: &str) -> String {
        let ty = self.resource_type(name).unwrap_or("");
        let arn = |service: &str, resource: String| {
            format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{resource}")
        };
        match (ty, attribute) {
            ("AWS::Lambda::Function" | "AWS::Serverless::Function", "Arn") => {
                arn("lambda", format!("function:{name}"))
            }
            ("AWS::Lambda::Alias" | "AWS::Lambda::Version", "Arn") => {
                arn("lambda", format!("function:{name}:1"))
            }
            ("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine", "Arn") => {
                arn("states", format!("stateMachine:{name}"))
            }
            ("AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine", "Name") => {
                name.to_owned()
            }
            ("AWS::StepFunctions::Activity", "Arn") => arn("states", format!("activity:{name}")),
            ("AWS::SNS::Topic", "TopicArn" | "Arn") => arn("sns", name.to_owned()),
            ("AWS::SNS::Topic", "TopicName") | ("AWS::SQS::Queue", "QueueName") => name.to_owned(),
            ("AWS::SQS::Queue", "Arn") => arn("sqs", name.to_owned()),
            ("AWS::SQS::Queue", "QueueUrl") => {
                format!("https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}")
            }
            ("AWS::DynamoDB::Table" | "AWS::Serverless::SimpleTable", "Arn") => {
                arn("dynamodb", format!("table/{name}"))
            }
            ("AWS::DynamoDB::Table", "StreamArn") => arn(
                "dynamodb",
                format!("table/{name}/stream/2024-01-01T00:00:00.000"),
            ),
            ("AWS::S3::Bucket", "Arn") => format!("arn:aws:s3:::{}", name.to_ascii_lowercase()),
            ("AWS::IAM::Role", "Arn") => format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
            ("AWS::Events::EventBus", "Arn") => arn("events", format!("event-bus/{name}")),
            ("AWS::Events::EventBus", "Name") => name.to_owned(),
            ("AWS::ECS::Cluster", "Arn") => arn("ecs", format!("cluster/{name}")),
            ("AWS::ECS::TaskDefinition", _) => arn("ecs", format!("task-definition/{name}:1")),
            ("AWS::Batch::JobQueue", _) => arn("batch", format!("job-queue/{name}")),
            ("AWS::Batch::JobDefinition", _) => arn("batch", format!("job-definition/{name}:1")),
            ("AWS::Logs::LogGroup", "Arn") => arn("logs", format!("log-group:{name}:*")),
            (_, "Arn") => {
                let service = ty
                    .split("::")
                    .nth(1)
                    .unwrap_or("unknown")
                    .to_ascii_lowercase();
                arn(&service, name.to_owned())
            }
            _ => format!("{name}.{attribute}"),
        }
    }
}

fn pseudo(name: &str) -> Option<&'static str> {
    Some(match name {
        "AWS::Region" => REGION,
        "AWS::AccountId" => ACCOUNT,
        "AWS::Partition" => "aws",
        "AWS::URLSuffix" => "amazonaws.com",
        "AWS::StackName" => "stack",
        "AWS::StackId" => {
            "arn:aws:cloudformation:us-east-1:123456789012:stack/stack/00000000-0000-0000-0000-000000000000"
        }
        "AWS::NoValue" => "",
        "AWS::NotificationARNs" => "",
        _ => return None,
    })
}
