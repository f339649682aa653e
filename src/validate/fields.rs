//! Field-level rules (the JSON-schema level of statelint and asl-validator): object shapes, required,
//! allowed and mutually exclusive fields, value types and ranges, query-language rules.

use super::diagnostic::Diagnostic;
use super::{Lang, Sink};
use crate::asl::{Operand, Operator, StateType};
use crate::json::{Json, Pointer, Value};

/// Every key any state type allows (so an unexpected key is either "not allowed here" or "unknown").
fn known_state_key(key: &str) -> bool {
    crate::asl::State::KEYS.contains(&key)
}

/// Fields only JSONPath-mode states take.
pub const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "Parameters",
    "ResultSelector",
    "ResultPath",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "ErrorPath",
    "CausePath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
];

/// Fields only JSONata-mode states take.
pub const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

/// Groups of fields of which at most one may appear.
const EXCLUSIVE: &[&[&str]] = &[
    &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
    &["TimeoutSeconds", "TimeoutSecondsPath"],
    &["HeartbeatSeconds", "HeartbeatSecondsPath"],
    &["Error", "ErrorPath"],
    &["Cause", "CausePath"],
    &["MaxConcurrency", "MaxConcurrencyPath"],
    &["ToleratedFailureCount", "ToleratedFailureCountPath"],
    &[
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
    ],
    &["ItemProcessor", "Iterator"],
    &["Parameters", "ItemSelector"],
    &["Items", "ItemsPath"],
    &["Next", "End"],
];

/// `${Name}` strings from SAM/CloudFormation `DefinitionSubstitutions`: accepted where a value is expected.
pub(crate) fn is_placeholder(s: &str) -> bool {
    s.contains("${") && placeholders_closed(s)
}

/// Whether every `${` in `s` has its closing `}`.
fn placeholders_closed(s: &str) -> bool {
    s.split("${")
        .skip(1)
        .all(|rest| rest.find('}').is_some_and(|i| i > 0))
}

/// A `{% … %}` JSONata expression string.
pub(crate) fn is_jsonata(s: &str) -> bool {
    s.starts_with("{%") && s.ends_with("%}") && s.len() >= 4
}

/// Checks a machine object (top level, branch or processor) and recurses into its states.
pub(crate) fn check_machine(
    json: &Json,
    ptr: &Pointer,
    lang: Lang,
    kind: MachineKind,
    sink: &mut Sink,
) {
    let Some(members) = json.as_object() else {
        sink.push(Diagnostic::error(
            "not-an-object",
            ptr.clone(),
            format!(
                "{} must be a JSON object, not {}",
                kind.describe(),
                article(json)
            ),
        ));
        return;
    };
    let mut lang = lang;
    if let Some(ql) = json.get("QueryLanguage") {
        match ql.as_str() {
            Some("JSONata") => lang = Lang::JSONata,
            Some("JSONPath") => lang = Lang::JSONPath,
            _ => sink.push(Diagnostic::error(
                "query-language",
                ptr.join("QueryLanguage"),
                "QueryLanguage must be \"JSONPath\" or \"JSONata\"",
            )),
        }
        if kind != MachineKind::Top {
            sink.push(Diagnostic::error(
                "field-not-allowed",
                ptr.join("QueryLanguage"),
                format!(
                    "\"QueryLanguage\" is set on the top level or on states, not on {}",
                    kind.describe()
                ),
            ));
        }
    }
    for m in members {
        let key = m.key.as_str();
        let p = ptr.join(key);
        match key {
            "Comment" => expect_string(&m.value, &p, key, sink),
            "StartAt" => expect_string(&m.value, &p, key, sink),
            "QueryLanguage" => {}
            "States" => {
                if m.value.as_object().is_none() {
                    sink.push(Diagnostic::error(
                        "field-type",
                        p,
                        format!(
                            "\"States\" must be an object of named states, not {}",
                            article(&m.value)
                        ),
                    ));
                }
            }
            "TimeoutSeconds" | "Version" if kind != MachineKind::Top => {
                sink.push(Diagnostic::error(
                    "field-not-allowed",
                    p,
                    format!("\"{key}\" is allowed only on the top-level state machine"),
                ))
            }
            "TimeoutSeconds" => expect_integer(&m.value, &p, key, 1, lang, sink),
            "Version" => expect_string(&m.value, &p, key, sink),
            "ProcessorConfig" if kind == MachineKind::Processor => {
                check_processor_config(&m.value, &p, sink)
            }
            _ => sink.push(Diagnostic::error(
                "unknown-field",
                p,
                format!("\"{key}\" is not a field of {}", kind.describe()),
            )),
        }
    }
    for required in ["StartAt", "States"] {
        if json.get(required).is_none() {
            sink.push(Diagnostic::error(
                "missing-field",
                ptr.clone(),
                format!("{} needs \"{required}\"", kind.describe()),
            ));
        }
    }
    if let Some(states) = json.get("States").and_then(Json::as_object) {
        if states.is_empty() {
            sink.push(Diagnostic::error(
                "missing-field",
                ptr.join("States"),
                "\"States\" must hold at least one state",
            ));
        }
        let sp = ptr.join("States");
        for m in states {
            check_state(
                &m.value,
                &sp.join(m.key.as_str()),
                m.key.as_str(),
                lang,
                sink,
            );
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum MachineKind {
    Top,
    Branch,
    Processor,
}

impl MachineKind {
    fn describe(self) -> &'static str {
        match self {
            MachineKind::Top => "the state machine",
            MachineKind::Branch => "a Parallel branch",
            MachineKind::Processor => "a Map item processor",
        }
    }
}

fn article(json: &Json) -> String {
    match json.type_name() {
        "array" | "object" => format!("an {}", json.type_name()),
        "null" => "null".into(),
        t => format!("a {t}"),
    }
}

fn check_processor_config(json: &Json, ptr: &Pointer, sink: &mut Sink) {
    let Some(members) = json.as_object() else {
        sink.push(Diagnostic::error(
            "field-type",
            ptr.clone(),
            "\"ProcessorConfig\" must be an object",
        ));
        return;
    };
    for m in members {
        let p = ptr.join(m.key.as_str());
        match m.key.as_str() {
            "Mode" => expect_enum(&m.value, &p, "Mode", &["INLINE", "DISTRIBUTED"], sink),
            "ExecutionType" => expect_enum(
                &m.value,
                &p,
                "ExecutionType",
                &["STANDARD", "EXPRESS"],
                sink,
            ),
            k => sink.push(Diagnostic::error(
                "unknown-field",
                p,
                format!("\"{k}\" is not a field of ProcessorConfig"),
            )),
        }
    }
}

/// Checks one state.
fn check_state(json: &Json, ptr: &Pointer, name: &str, machine_lang: Lang, sink: &mut Sink) {
    let Some(members) = json.as_object() else {
        sink.push(Diagnostic::error(
            "not-an-object",
            ptr.clone(),
            format!("state \"{name}\" must be an object, not {}", article(json)),
        ));
        return;
    };
    let Some(type_json) = json.get("Type") else {
        sink.push(Diagnostic::error(
            "missing-field",
            ptr.clone(),
            format!("state \"{name}\" needs a \"Type\""),
        ));
        return;
    };
    let Some(ty) = type_json.as_str().and_then(StateType::from_name) else {
        sink.push(Diagnostic::error(
            "unknown-state-type",
            ptr.join("Type"),
            format!(
                "state \"{name}\" has Type {}; expected one of Task, Choice, Parallel, Wait, Pass, Succeed, Fail, Map",
                crate::json::compact_text(type_json)
            ),
        ));
        return;
    };
    let mut lang = machine_lang;
    if let Some(ql) = json.get("QueryLanguage") {
        match ql.as_str() {
            Some("JSONata") => lang = Lang::JSONata,
            Some("JSONPath") => {
                if machine_lang == Lang::JSONata {
                    // The AWS CDK refuses this; asl-validator accepts it. Warn rather than block.
                    sink.push(Diagnostic::warning(
                        "query-language",
                        ptr.join("QueryLanguage"),
                        "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata",
                    ));
                }
                lang = Lang::JSONPath;
            }
            _ => sink.push(Diagnostic::error(
                "query-language",
                ptr.join("QueryLanguage"),
                "QueryLanguage must be \"JSONPath\" or \"JSONata\"",
            )),
        }
    }
    super::expressions::check_state(json, ptr, lang, sink);

    let allowed = ty.allowed_fields();
    for m in members {
        let key = m.key.as_str();
        let p = ptr.join(key);
        if !allowed.contains(&key) {
            if known_state_key(key) {
                sink.push(Diagnostic::error(
                    "field-not-allowed",
                    p,
                    format!("a {ty} state does not take \"{key}\""),
                ));
            } else {
                sink.push(Diagnostic::error(
                    "unknown-field",
                    p,
                    format!("\"{key}\" is not a field of a {ty} state"),
                ));
            }
            continue;
        }
        if lang == Lang::JSONata && JSONPATH_ONLY.contains(&key) {
            sink.push(Diagnostic::error(
                "query-language",
                p,
                format!("\"{key}\" is a JSONPath field; this state uses JSONata (use Arguments/Output/Assign)"),
            ));
            continue;
        }
        if lang == Lang::JSONPath && JSONATA_ONLY.contains(&key) {
            sink.push(Diagnostic::error(
                "query-language",
                p,
                format!(
                    "\"{key}\" is a JSONata field; set \"QueryLanguage\": \"JSONata\" to use it"
                ),
            ));
            continue;
        }
        check_state_field(ty, key, &m.value, &p, lang, sink);
    }

    for group in EXCLUSIVE {
        let present: Vec<&str> = group
            .iter()
            .copied()
            .filter(|k| json.get(k).is_some())
            .collect();
        if present.len() > 1 && allowed.contains(&present[0]) {
            let list = group
                .iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ");
            sink.push(Diagnostic::error(
                "exclusive-fields",
                ptr.join(present[1]),
                format!("a {ty} state may have only one of [{list}]"),
            ));
        }
    }

    let has = |k: &str| json.get(k).is_some();
    let require = |k: &str, sink: &mut Sink| {
        if !has(k) {
            sink.push(Diagnostic::error(
                "missing-field",
                ptr.clone(),
                format!("a {ty} state needs \"{k}\""),
            ));
        }
    };
    match ty {
        StateType::Task => require("Resource", sink),
        StateType::Choice => require("Choices", sink),
        StateType::Parallel => require("Branches", sink),
        StateType::Map if !has("ItemProcessor") && !has("Iterator") => sink.push(Diagnostic::error(
            "missing-field",
            ptr.clone(),
            "a Map state needs \"ItemProcessor\" (or the older \"Iterator\")",
        )),
        StateType::Wait if !["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].iter().any(|k| has(k)) => {
            sink.push(Diagnostic::error(
                "missing-field",
                ptr.clone(),
                "a Wait state needs one of \"Seconds\", \"SecondsPath\", \"Timestamp\", \"TimestampPath\"",
            ))
        }
        _ => {}
    }
    if ty.has_transition() {
        let end = json.get("End").and_then(Json::as_bool) == Some(true);
        if !has("Next") && !end {
            sink.push(Diagnostic::error(
                "transition",
                ptr.clone(),
                format!("state \"{name}\" needs \"Next\" or \"End\": true"),
            ));
        }
    }
    if let (Some(t), Some(h)) = (
        json.get("TimeoutSeconds").and_then(Json::as_number),
        json.get("HeartbeatSeconds").and_then(Json::as_number),
    ) && h.as_f64() >= t.as_f64()
    {
        sink.push(Diagnostic::error(
            "field-type",
            ptr.join("HeartbeatSeconds"),
            "\"HeartbeatSeconds\" must be smaller than \"TimeoutSeconds\"",
        ));
    }
}

fn check_state_field(ty: StateType, key: &str, v: &Json, p: &Pointer, lang: Lang, sink: &mut Sink) {
    match key {
        "Type" | "QueryLanguage" => {}
        "Comment" | "Next" | "Default" | "Label" => expect_string(v, p, key, sink),
        "Resource" => match (v.as_str(), v.as_object()) {
            (Some(s), _) => check_resource(s, p, sink),
            // A CloudFormation intrinsic ({"Fn::GetAtt": …}, {"Ref": …}) that the deployment replaces.
            (None, Some([m])) if m.key.starts_with("Fn::") || m.key.as_str() == "Ref" => {}
            _ => expect_string(v, p, key, sink),
        },
        "Error" | "Cause" => expect_string(v, p, key, sink),
        "End" => {
            if v.as_bool().is_none() {
                sink.push(Diagnostic::error(
                    "field-type",
                    p.clone(),
                    "\"End\" must be true or false",
                ));
            }
        }
        "InputPath" | "OutputPath" | "ResultPath" => {
            if !v.is_null() {
                expect_string(v, p, key, sink);
            }
        }
        "ItemsPath"
        | "SecondsPath"
        | "TimestampPath"
        | "TimeoutSecondsPath"
        | "HeartbeatSecondsPath"
        | "ErrorPath"
        | "CausePath"
        | "MaxConcurrencyPath"
        | "ToleratedFailureCountPath"
        | "ToleratedFailurePercentagePath" => expect_string(v, p, key, sink),
        // Payload templates: any JSON value (objects are resolved; other values pass through as written).
        "Parameters" | "ResultSelector" | "ItemSelector" => {}
        "Credentials" => {
            if v.as_object().is_none() {
                sink.push(Diagnostic::error(
                    "field-type",
                    p.clone(),
                    format!(
                        "\"Credentials\" must be an object (such as {{\"RoleArn\": …}}), not {}",
                        article(v)
                    ),
                ));
            }
        }
        "TimeoutSeconds" | "HeartbeatSeconds" => expect_integer(v, p, key, 1, lang, sink),
        "Seconds" | "MaxConcurrency" | "ToleratedFailureCount" => {
            expect_integer(v, p, key, 0, lang, sink)
        }
        "ToleratedFailurePercentage" => {
            if !allowed_expression(v, lang) {
                match v.as_number().map(|n| n.as_f64()) {
                    Some(f) if (0.0..=100.0).contains(&f) => {}
                    _ => sink.push(Diagnostic::error(
                        "field-type",
                        p.clone(),
                        "\"ToleratedFailurePercentage\" must be a number from 0 to 100",
                    )),
                }
            }
        }
        "Timestamp" => match v.as_str() {
            Some(s) if allowed_expression(v, lang) || is_placeholder(s) => {}
            Some(s) => {
                if chrono::DateTime::parse_from_rfc3339(s).is_err() {
                    sink.push(Diagnostic::error(
                        "timestamp-format",
                        p.clone(),
                        format!("\"Timestamp\" {s:?} is not an RFC 3339 timestamp such as \"2026-01-31T09:00:00Z\""),
                    ));
                }
            }
            None => expect_string(v, p, key, sink),
        },
        "Choices" => check_choices(v, p, lang, sink),
        "Branches" => match v.as_array() {
            Some([]) => sink.push(Diagnostic::error(
                "field-type",
                p.clone(),
                "\"Branches\" must not be empty",
            )),
            Some(branches) => {
                for (i, b) in branches.iter().enumerate() {
                    check_machine(b, &p.join_index(i), lang, MachineKind::Branch, sink);
                }
            }
            None => sink.push(Diagnostic::error(
                "field-type",
                p.clone(),
                "\"Branches\" must be an array of state machines",
            )),
        },
        "ItemProcessor" | "Iterator" => check_machine(v, p, lang, MachineKind::Processor, sink),
        "Retry" => check_retriers(v, p, sink),
        "Catch" => check_catchers(v, p, lang, sink),
        "Items" => {
            if v.as_array().is_none() && !v.as_str().is_some_and(is_jsonata) {
                sink.push(Diagnostic::error(
                    "field-type",
                    p.clone(),
                    "\"Items\" must be an array or a {% JSONata %} expression",
                ));
            }
        }
        "Assign" => {
            if v.as_object().is_none()
                && !(lang == Lang::JSONata && v.as_str().is_some_and(is_jsonata))
            {
                sink.push(Diagnostic::error(
                    "field-type",
                    p.clone(),
                    "\"Assign\" must be an object",
                ));
            }
        }
        "ItemReader" | "ItemBatcher" | "ResultWriter" => {
            if v.as_object().is_none() {
                sink.push(Diagnostic::error(
                    "field-type",
                    p.clone(),
                    format!("\"{key}\" must be an object"),
                ));
            } else {
                let (obj, obj_ptr) = match key {
                    "ItemReader" => (v.get("ReaderConfig"), p.join("ReaderConfig")),
                    _ => (Some(v), p.clone()),
                };
                for group in [
                    ["MaxItems", "MaxItemsPath"],
                    ["MaxItemsPerBatch", "MaxItemsPerBatchPath"],
                    ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"],
                ] {
                    if let Some(o) = obj
                        && group.iter().all(|k| o.get(k).is_some())
                    {
                        sink.push(Diagnostic::error(
                            "exclusive-fields",
                            obj_ptr.join(group[1]),
                            format!("may have only one of [\"{}\", \"{}\"]", group[0], group[1]),
                        ));
                    }
                }
            }
            if key == "ResultWriter" && v.as_object().is_some() {
                check_result_writer(v, p, lang, sink);
            }
            if key == "ItemReader" && v.as_object().is_some() {
                if let Some(r) = v.get("Resource").and_then(Json::as_str) {
                    check_resource(r, &p.join("Resource"), sink);
                } else {
                    sink.push(Diagnostic::error(
                        "missing-field",
                        p.clone(),
                        "\"ItemReader\" needs \"Resource\"",
                    ));
                }
            }
        }
        _ => {
            let _ = ty;
        }
    }
}

/// A Distributed Map's `ResultWriter` (an object), as the Step Functions developer guide documents it,
/// "ResultWriter (Map)": https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
/// - `Resource`, `Parameters` (`Arguments` in JSONata states) and `WriterConfig` are its fields;
/// - `WriterConfig.Transformation` is `NONE`, `COMPACT` or `FLATTEN`; `WriterConfig.OutputType` is `JSON` or `JSONL`;
/// - "The ResultWriter field cannot be empty. You must specify one of these sets of sub-fields": `WriterConfig`
///   alone; `Resource` and `Parameters`; or all three.
fn check_result_writer(v: &Json, p: &Pointer, lang: Lang, sink: &mut Sink) {
    let payload = match lang {
        Lang::JSONPath => "Parameters",
        Lang::JSONata => "Arguments",
    };
    let has = |k: &str| v.get(k).is_some();
    for m in v.as_object().unwrap_or_default() {
        let key = m.key.as_str();
        let mp = p.join(key);
        match key {
            "WriterConfig" => check_writer_config(&m.value, &mp, sink),
            "Resource" => match m.value.as_str() {
                Some(r) => check_resource(r, &mp, sink),
                None => expect_string(&m.value, &mp, key, sink),
            },
            k if k == payload => {}
            "Parameters" | "Arguments" => sink.push(Diagnostic::error(
                "query-language",
                mp,
                format!("\"ResultWriter\" takes \"{payload}\" in this state's query language, not \"{key}\""),
            )),
            _ => sink.push(Diagnostic::error(
                "unknown-field",
                mp,
                format!("\"{key}\" is not a field of ResultWriter (Resource, {payload}, WriterConfig)"),
            )),
        }
    }
    let set = match (has("Resource"), has(payload)) {
        (true, true) | (false, false) => None,
        (true, false) => Some(format!("\"Resource\" without \"{payload}\"")),
        (false, true) => Some(format!("\"{payload}\" without \"Resource\"")),
    };
    let message = match set {
        Some(what) => Some(format!(
            "\"ResultWriter\" has {what}: to export the results to Amazon S3 give both (and optionally \"WriterConfig\")"
        )),
        None if !has("WriterConfig") && !has("Resource") => Some(format!(
            "\"ResultWriter\" needs \"WriterConfig\", or \"Resource\" and \"{payload}\", or all three"
        )),
        None => None,
    };
    if let Some(message) = message {
        sink.push(Diagnostic::error(
            "result-writer-fields",
            p.clone(),
            message,
        ));
    }
}

/// `ResultWriter.WriterConfig`: see [`check_result_writer`].
fn check_writer_config(v: &Json, p: &Pointer, sink: &mut Sink) {
    let Some(members) = v.as_object() else {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            format!("\"WriterConfig\" must be an object, not {}", article(v)),
        ));
        return;
    };
    for m in members {
        let mp = p.join(m.key.as_str());
        match m.key.as_str() {
            "Transformation" => expect_enum(
                &m.value,
                &mp,
                "Transformation",
                &["NONE", "COMPACT", "FLATTEN"],
                sink,
            ),
            "OutputType" => expect_enum(&m.value, &mp, "OutputType", &["JSON", "JSONL"], sink),
            k => sink.push(Diagnostic::error(
                "unknown-field",
                mp,
                format!("\"{k}\" is not a field of WriterConfig (Transformation, OutputType)"),
            )),
        }
    }
}

/// JSONata expressions (and placeholders) may stand where a number or timestamp is expected.
fn allowed_expression(v: &Json, lang: Lang) -> bool {
    v.as_str()
        .is_some_and(|s| (lang == Lang::JSONata && is_jsonata(s)) || is_placeholder(s))
}

fn expect_string(v: &Json, p: &Pointer, key: &str, sink: &mut Sink) {
    if v.as_str().is_none() {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            format!("\"{key}\" must be a string, not {}", article(v)),
        ));
    }
}

fn expect_enum(v: &Json, p: &Pointer, key: &str, allowed: &[&str], sink: &mut Sink) {
    if !v.as_str().is_some_and(|s| allowed.contains(&s)) {
        let list = allowed
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ");
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            format!(
                "\"{key}\" is {}, not one of the allowed values [{list}]",
                crate::json::compact_text(v)
            ),
        ));
    }
}

fn expect_integer(v: &Json, p: &Pointer, key: &str, min: i64, lang: Lang, sink: &mut Sink) {
    if allowed_expression(v, lang) {
        return;
    }
    let ok = v
        .as_number()
        .and_then(|n| {
            if n.as_str().contains(['.', 'e', 'E']) {
                None
            } else {
                n.as_i64()
            }
        })
        .is_some_and(|i| i >= min);
    if !ok {
        let what = if min > 0 {
            "a positive integer"
        } else {
            "a non-negative integer"
        };
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            format!(
                "\"{key}\" must be {what}, not {}",
                crate::json::compact_text(v)
            ),
        ));
    }
}

/// Lambda function ARNs: `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
fn check_resource(s: &str, p: &Pointer, sink: &mut Sink) {
    if s.contains("${") && !placeholders_closed(s) {
        sink.push(Diagnostic::error(
            "resource-arn",
            p.clone(),
            format!("\"Resource\" {s:?} has a ${{Placeholder}} without its closing '}}'"),
        ));
        return;
    }
    if is_placeholder(s) || s.starts_with("{%") {
        return;
    }
    if !s.starts_with("arn:") {
        sink.push(Diagnostic::warning(
            "resource-arn",
            p.clone(),
            format!(
                "\"Resource\" {s:?} is not an ARN (arn:partition:service:…) or a ${{Placeholder}}"
            ),
        ));
        return;
    }
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() < 6 || parts[1].is_empty() || parts[2].is_empty() {
        sink.push(Diagnostic::error(
            "resource-arn",
            p.clone(),
            format!("\"Resource\" {s:?} is not a well-formed ARN"),
        ));
        return;
    }
    if parts[2] == "lambda" && parts.get(5) == Some(&"function") {
        let qualifier_ok = |q: &str| {
            q == "$LATEST"
                || (!q.is_empty()
                    && q.len() <= 128
                    && q.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        };
        match parts.len() {
            7 => {}
            8 if qualifier_ok(parts[7]) => {}
            _ => sink.push(Diagnostic::error(
                "resource-arn",
                p.clone(),
                format!("\"Resource\" {s:?}: a Lambda function ARN's version or alias must be $LATEST, a number or a name of letters, digits, '-' and '_'"),
            )),
        }
    }
}

fn check_error_equals(v: Option<&Json>, p: &Pointer, what: &str, is_last: bool, sink: &mut Sink) {
    let Some(v) = v else {
        sink.push(Diagnostic::error(
            "missing-field",
            p.clone(),
            format!("a {what} needs \"ErrorEquals\""),
        ));
        return;
    };
    let ep = p.join("ErrorEquals");
    let Some(items) = v.as_array() else {
        sink.push(Diagnostic::error(
            "field-type",
            ep,
            "\"ErrorEquals\" must be an array of error names",
        ));
        return;
    };
    if items.is_empty() {
        sink.push(Diagnostic::error(
            "error-equals",
            ep,
            "\"ErrorEquals\": a non-empty array is required",
        ));
        return;
    }
    for (i, item) in items.iter().enumerate() {
        match item.as_str() {
            None => sink.push(Diagnostic::error(
                "field-type",
                ep.join_index(i),
                "error names in \"ErrorEquals\" must be strings",
            )),
            Some(crate::asl::STATES_ALL) if items.len() > 1 => sink.push(Diagnostic::error(
                "error-equals",
                ep.join_index(i),
                "\"States.ALL\" must appear alone in its \"ErrorEquals\"",
            )),
            Some(crate::asl::STATES_ALL) if !is_last => sink.push(Diagnostic::error(
                "error-equals",
                ep.join_index(i),
                format!("the {what} with \"States.ALL\" must be the last one"),
            )),
            Some(name) if name.starts_with("States.") && !crate::asl::PREDEFINED_ERRORS.contains(&name) => {
                sink.push(Diagnostic::warning(
                    "error-equals",
                    ep.join_index(i),
                    format!("{name:?} is not a predefined error name; names starting with \"States.\" are reserved"),
                ))
            }
            Some(_) => {}
        }
    }
}

fn check_retriers(v: &Json, p: &Pointer, sink: &mut Sink) {
    let Some(items) = v.as_array() else {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            "\"Retry\" must be an array of retriers",
        ));
        return;
    };
    for (i, r) in items.iter().enumerate() {
        let rp = p.join_index(i);
        let Some(members) = r.as_object() else {
            sink.push(Diagnostic::error(
                "field-type",
                rp,
                "a retrier must be an object",
            ));
            continue;
        };
        check_error_equals(
            r.get("ErrorEquals"),
            &rp,
            "retrier",
            i + 1 == items.len(),
            sink,
        );
        for m in members {
            let fp = rp.join(m.key.as_str());
            let num = m.value.as_number();
            let int = num.and_then(|n| {
                if n.as_str().contains(['.', 'e', 'E']) {
                    None
                } else {
                    n.as_i64()
                }
            });
            match m.key.as_str() {
                "ErrorEquals" => {}
                "Comment" => expect_string(&m.value, &fp, "Comment", sink),
                "IntervalSeconds" if !int.is_some_and(|i| (1..=99_999_999).contains(&i)) => sink.push(
                    Diagnostic::error("retry-range", fp, "\"IntervalSeconds\" must be an integer from 1 to 99999999"),
                ),
                "MaxAttempts" if !int.is_some_and(|i| (0..=99_999_999).contains(&i)) => sink.push(Diagnostic::error(
                    "retry-range",
                    fp,
                    "\"MaxAttempts\" must be an integer from 0 to 99999999 (0 never retries)",
                )),
                "BackoffRate" if !num.is_some_and(|n| n.as_f64() >= 1.0) => sink.push(Diagnostic::error(
                    "retry-range",
                    fp,
                    "\"BackoffRate\" must be a number; the allowed minimum is 1.0",
                )),
                "MaxDelaySeconds" if !int.is_some_and(|i| (1..=31_622_400).contains(&i)) => sink.push(
                    Diagnostic::error(
                        "retry-range",
                        fp,
                        "\"MaxDelaySeconds\" must be an integer from 1 to 31622400; the allowed floor is 0 exclusive",
                    ),
                ),
                "JitterStrategy" => expect_enum(&m.value, &fp, "JitterStrategy", &["FULL", "NONE"], sink),
                "IntervalSeconds" | "MaxAttempts" | "BackoffRate" | "MaxDelaySeconds" => {}
                k => sink.push(Diagnostic::error("unknown-field", fp, format!("\"{k}\" is not a field of a retrier"))),
            }
        }
    }
}

fn check_catchers(v: &Json, p: &Pointer, lang: Lang, sink: &mut Sink) {
    let Some(items) = v.as_array() else {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            "\"Catch\" must be an array of catchers",
        ));
        return;
    };
    for (i, c) in items.iter().enumerate() {
        let cp = p.join_index(i);
        let Some(members) = c.as_object() else {
            sink.push(Diagnostic::error(
                "field-type",
                cp,
                "a catcher must be an object",
            ));
            continue;
        };
        check_error_equals(
            c.get("ErrorEquals"),
            &cp,
            "catcher",
            i + 1 == items.len(),
            sink,
        );
        if c.get("Next").is_none() {
            sink.push(Diagnostic::error(
                "missing-field",
                cp.clone(),
                "a catcher needs \"Next\"",
            ));
        }
        for m in members {
            let fp = cp.join(m.key.as_str());
            match m.key.as_str() {
                "ErrorEquals" => {}
                "Next" | "Comment" => expect_string(&m.value, &fp, m.key.as_str(), sink),
                "ResultPath" if lang == Lang::JSONata => sink.push(Diagnostic::error(
                    "query-language",
                    fp,
                    "\"ResultPath\" is a JSONPath field; in JSONata use \"Output\"",
                )),
                "ResultPath" if !m.value.is_null() => {
                    expect_string(&m.value, &fp, "ResultPath", sink)
                }
                "Output" if lang == Lang::JSONPath => sink.push(Diagnostic::error(
                    "query-language",
                    fp,
                    "\"Output\" is a JSONata field; set \"QueryLanguage\": \"JSONata\" to use it",
                )),
                "ResultPath" | "Output" | "Assign" => {}
                k => sink.push(Diagnostic::error(
                    "unknown-field",
                    fp,
                    format!("\"{k}\" is not a field of a catcher"),
                )),
            }
        }
    }
}

fn check_choices(v: &Json, p: &Pointer, lang: Lang, sink: &mut Sink) {
    let Some(rules) = v.as_array() else {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            "\"Choices\" must be an array of rules",
        ));
        return;
    };
    if rules.is_empty() {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            "\"Choices\" must hold at least one rule",
        ));
    }
    for (i, r) in rules.iter().enumerate() {
        check_rule(r, &p.join_index(i), lang, true, 0, sink);
    }
}

fn check_rule(r: &Json, p: &Pointer, lang: Lang, top: bool, depth: usize, sink: &mut Sink) {
    let Some(members) = r.as_object() else {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            "a Choice rule must be an object",
        ));
        return;
    };
    if depth > 64 {
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            "Choice rules nest too deeply",
        ));
        return;
    }
    let mut ops = 0;
    for m in members {
        let key = m.key.as_str();
        let fp = p.join(key);
        let v = &m.value;
        match key {
            "Next" if top => expect_string(v, &fp, key, sink),
            "Next" => sink.push(Diagnostic::error(
                "field-not-allowed",
                fp,
                "a rule nested in And/Or/Not does not take \"Next\"",
            )),
            "Comment" => expect_string(v, &fp, key, sink),
            "Output" if top && lang == Lang::JSONPath => sink.push(Diagnostic::error(
                "query-language",
                fp,
                "\"Output\" is a JSONata field; set \"QueryLanguage\": \"JSONata\" to use it",
            )),
            "Condition" if lang == Lang::JSONPath => {
                ops += 1;
                sink.push(Diagnostic::error(
                    "query-language",
                    fp,
                    "\"Condition\" is a JSONata rule field; JSONPath rules use \"Variable\" and a comparison operator",
                ))
            }
            "Assign" | "Output" if top => {}
            "Variable" if lang == Lang::JSONPath => expect_string(v, &fp, key, sink),
            "Condition" if lang == Lang::JSONata => {
                ops += 1;
                if v.as_bool().is_none() && !v.as_str().is_some_and(is_jsonata) {
                    sink.push(Diagnostic::error(
                        "field-type",
                        fp,
                        "\"Condition\" must be a {% JSONata %} expression or a boolean",
                    ));
                }
            }
            "And" | "Or" if lang == Lang::JSONPath => {
                ops += 1;
                match v.as_array() {
                    Some(items) if !items.is_empty() => {
                        for (i, item) in items.iter().enumerate() {
                            check_rule(item, &fp.join_index(i), lang, false, depth + 1, sink);
                        }
                    }
                    _ => sink.push(Diagnostic::error(
                        "field-type",
                        fp,
                        format!("\"{key}\" must be a non-empty array of rules"),
                    )),
                }
            }
            "Not" if lang == Lang::JSONPath => {
                ops += 1;
                check_rule(v, &fp, lang, false, depth + 1, sink);
            }
            _ => match Operator::from_name(key) {
                Some(op) if lang == Lang::JSONPath => {
                    ops += 1;
                    check_operand(op, v, &fp, sink);
                    if r.get("Variable").is_none() {
                        sink.push(Diagnostic::error(
                            "missing-field",
                            p.clone(),
                            format!("a rule with \"{key}\" needs \"Variable\""),
                        ));
                    }
                }
                Some(_) | None
                    if lang == Lang::JSONata
                        && (Operator::from_name(key).is_some()
                            || matches!(key, "Variable" | "And" | "Or" | "Not")) =>
                {
                    sink.push(Diagnostic::error(
                        "query-language",
                        fp,
                        format!(
                            "\"{key}\" is a JSONPath rule field; JSONata rules use \"Condition\""
                        ),
                    ))
                }
                _ => sink.push(Diagnostic::error(
                    "unknown-field",
                    fp,
                    format!("\"{key}\" is not a field of a Choice rule"),
                )),
            },
        }
    }
    if top && r.get("Next").is_none() {
        sink.push(Diagnostic::error(
            "missing-field",
            p.clone(),
            "a Choice rule needs \"Next\"",
        ));
    }
    if ops == 0 {
        let what = if lang == Lang::JSONata {
            "\"Condition\""
        } else {
            "a comparison operator or And/Or/Not"
        };
        sink.push(Diagnostic::error(
            "missing-field",
            p.clone(),
            format!("a Choice rule needs {what}"),
        ));
    } else if ops > 1 {
        sink.push(Diagnostic::error(
            "exclusive-fields",
            p.clone(),
            "a Choice rule may have only one comparison operator (or one of And/Or/Not)",
        ));
    }
}

fn check_operand(op: Operator, v: &Json, p: &Pointer, sink: &mut Sink) {
    let ok = match op.operand() {
        Operand::String => v.as_str().is_some(),
        Operand::Number => v.as_number().is_some(),
        Operand::Boolean | Operand::Test => v.as_bool().is_some(),
        Operand::Path => v.as_str().is_some(),
        Operand::Timestamp => match v.as_str() {
            Some(s) => chrono::DateTime::parse_from_rfc3339(s).is_ok() || is_placeholder(s),
            None => false,
        },
    };
    if !ok {
        let want = match op.operand() {
            Operand::String => "a string",
            Operand::Number => "a number",
            Operand::Boolean | Operand::Test => "true or false",
            Operand::Path => "a path string",
            Operand::Timestamp => "an RFC 3339 timestamp string",
        };
        sink.push(Diagnostic::error(
            "field-type",
            p.clone(),
            format!(
                "\"{}\" takes {want}, not {}",
                op.name(),
                crate::json::compact_text(v)
            ),
        ));
    }
}

/// Reports every object that has a key twice, anywhere in the document.
pub(crate) fn check_duplicate_keys(root: &Json, sink: &mut Sink) {
    /// A step of the path from the root: a member's key or an item's index.
    enum Step<'a> {
        Key(&'a str),
        Index(usize),
    }
    /// Depth first, keeping the path as steps: a pointer is only built for a finding.
    fn visit<'a>(node: &'a Json, path: &mut Vec<Step<'a>>, sink: &mut Sink) {
        match &node.value {
            Value::Object(members) => {
                // Pairwise for the usual handful of members, a set beyond that: linear either way.
                let mut seen = (members.len() > 8)
                    .then(|| std::collections::HashSet::with_capacity(members.len()));
                for (i, m) in members.iter().enumerate() {
                    let key = m.key.as_str();
                    let again = match &mut seen {
                        Some(set) => !set.insert(key),
                        None => members[..i].iter().any(|o| o.key.as_str() == key),
                    };
                    if again {
                        let mut ptr = Pointer::root();
                        for s in path.iter() {
                            ptr = match s {
                                Step::Key(k) => ptr.join(k),
                                Step::Index(i) => ptr.join_index(*i),
                            };
                        }
                        sink.push(Diagnostic::error(
                            "duplicate-key",
                            ptr.join(key),
                            format!("\"{}\" appears more than once in the same object", m.key),
                        ));
                    }
                    path.push(Step::Key(key));
                    visit(&m.value, path, sink);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    visit(item, path, sink);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    visit(root, &mut Vec::new(), sink);
}
