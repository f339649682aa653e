//! Issue 11 item 9: a Distributed Map's `ResultWriter` (`WriterConfig.Transformation`, `WriterConfig.OutputType`
//! and the documented sets of sub-fields) and the intrinsic functions a Fail state's `ErrorPath`/`CausePath` may
//! call. Each rule with valid and invalid cases; findings carry their code, JSON pointer and line:col.

use statewright::asl::Document;
use statewright::validate::{CODES, Diagnostic, validate_document};

/// A machine whose only state is a Distributed Map with this `ResultWriter` (JSON text), in `lang`.
fn map_with_writer(writer: &str, lang: &str) -> String {
    let payload_lang = if lang == "JSONata" {
        "\"QueryLanguage\": \"JSONata\",\n  "
    } else {
        ""
    };
    format!(
        r#"{{
  {payload_lang}"StartAt": "M",
  "States": {{
    "M": {{
      "Type": "Map",
      "ItemProcessor": {{
        "ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}},
        "StartAt": "P",
        "States": {{"P": {{"Type": "Pass", "End": true}}}}
      }},
      "ResultWriter": {writer},
      "End": true
    }}
  }}
}}"#
    )
}

/// A machine whose only state is a Fail state with these extra fields (JSON members).
fn fail_with(fields: &str) -> String {
    format!(
        r#"{{
  "StartAt": "F",
  "States": {{
    "F": {{
      "Type": "Fail",
      {fields}
    }}
  }}
}}"#
    )
}

fn diagnose(text: &str) -> Vec<Diagnostic> {
    validate_document(&Document::parse_json(text).expect("test document parses"))
}

/// The findings with `code`, as `(pointer, line, column)`.
fn found(text: &str, code: &str) -> Vec<(String, usize, usize)> {
    assert!(
        CODES.iter().any(|(c, _)| *c == code),
        "{code} is a documented code"
    );
    diagnose(text)
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| {
            (
                d.pointer.as_str().to_owned(),
                d.line.expect("line"),
                d.column.expect("column"),
            )
        })
        .collect()
}

/// `(line, column)` of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle in text");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (
        text[..at].matches('\n').count() + 1,
        text[line_start..at].chars().count() + 1,
    )
}

fn assert_clean(text: &str) {
    let d = diagnose(text);
    assert!(d.is_empty(), "expected no findings, got {d:#?}\n{text}");
}

#[test]
fn writer_config_values_are_the_documented_ones() {
    for t in ["NONE", "COMPACT", "FLATTEN"] {
        for o in ["JSON", "JSONL"] {
            assert_clean(&map_with_writer(
                &format!(r#"{{"WriterConfig": {{"Transformation": "{t}", "OutputType": "{o}"}}}}"#),
                "JSONPath",
            ));
        }
    }
    let text = map_with_writer(
        r#"{"WriterConfig": {"Transformation": "SQUASH", "OutputType": "CSV"}}"#,
        "JSONPath",
    );
    let (tl, tc) = position_of(&text, "\"Transformation\"");
    let (ol, oc) = position_of(&text, "\"OutputType\"");
    assert_eq!(
        found(&text, "field-type"),
        // In text order.
        vec![
            (
                "/States/M/ResultWriter/WriterConfig/Transformation".to_owned(),
                tl,
                tc
            ),
            (
                "/States/M/ResultWriter/WriterConfig/OutputType".to_owned(),
                ol,
                oc
            ),
        ]
    );
    let messages: Vec<String> = diagnose(&text).into_iter().map(|d| d.message).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("\"NONE\", \"COMPACT\", \"FLATTEN\"")),
        "{messages:?}"
    );
    // Values are case-sensitive, and must be strings.
    let lower = map_with_writer(r#"{"WriterConfig": {"OutputType": "jsonl"}}"#, "JSONPath");
    assert_eq!(found(&lower, "field-type").len(), 1);
    let number = map_with_writer(r#"{"WriterConfig": {"Transformation": 1}}"#, "JSONPath");
    assert_eq!(found(&number, "field-type").len(), 1);
}

#[test]
fn writer_config_is_an_object_of_known_fields() {
    let text = map_with_writer(r#"{"WriterConfig": "FLATTEN"}"#, "JSONPath");
    let (l, c) = position_of(&text, "\"WriterConfig\"");
    assert_eq!(
        found(&text, "field-type"),
        vec![("/States/M/ResultWriter/WriterConfig".to_owned(), l, c)]
    );
    let text = map_with_writer(
        r#"{"WriterConfig": {"OutputType": "JSON", "Compression": "GZIP"}}"#,
        "JSONPath",
    );
    let (l, c) = position_of(&text, "\"Compression\"");
    assert_eq!(
        found(&text, "unknown-field"),
        vec![(
            "/States/M/ResultWriter/WriterConfig/Compression".to_owned(),
            l,
            c
        )]
    );
}

#[test]
fn result_writer_needs_one_of_the_documented_field_sets() {
    let export = r#""Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}"#;
    // The three documented sets.
    assert_clean(&map_with_writer(
        r#"{"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}"#,
        "JSONPath",
    ));
    assert_clean(&map_with_writer(&format!("{{{export}}}"), "JSONPath"));
    assert_clean(&map_with_writer(
        &format!(
            r#"{{{export}, "WriterConfig": {{"Transformation": "COMPACT", "OutputType": "JSONL"}}}}"#
        ),
        "JSONPath",
    ));
    // In JSONata states `Arguments` takes the place of `Parameters`.
    assert_clean(&map_with_writer(
        r#"{"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "b", "Prefix": "p"}}"#,
        "JSONata",
    ));

    // Empty, half an export, half an export with a WriterConfig.
    for writer in [
        "{}".to_owned(),
        r#"{"Resource": "arn:aws:states:::s3:putObject"}"#.to_owned(),
        r#"{"Parameters": {"Bucket": "b"}}"#.to_owned(),
        r#"{"WriterConfig": {"OutputType": "JSON"}, "Resource": "arn:aws:states:::s3:putObject"}"#
            .to_owned(),
    ] {
        let text = map_with_writer(&writer, "JSONPath");
        let (l, c) = position_of(&text, "\"ResultWriter\"");
        assert_eq!(
            found(&text, "result-writer-fields"),
            vec![("/States/M/ResultWriter".to_owned(), l, c)],
            "{writer}"
        );
    }
    let text = map_with_writer(
        r#"{"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}}"#,
        "JSONata",
    );
    let (l, c) = position_of(&text, "\"Parameters\"");
    assert_eq!(
        found(&text, "query-language"),
        vec![("/States/M/ResultWriter/Parameters".to_owned(), l, c)]
    );
    assert_eq!(found(&text, "result-writer-fields").len(), 1);
    let text = map_with_writer(r#"{"WriterConfig": {}, "Bucket": "b"}"#, "JSONPath");
    assert_eq!(
        found(&text, "unknown-field")
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        vec!["/States/M/ResultWriter/Bucket"]
    );
}

#[test]
fn fail_paths_take_only_intrinsics_that_return_a_string() {
    for call in [
        "States.Format('failed: {}', $.reason)",
        "States.JsonToString($.detail)",
        "States.ArrayGetItem($.errors, 0)",
        "States.Base64Encode($.msg)",
        "States.Base64Decode($.msg)",
        "States.Hash($.msg, 'SHA-256')",
        "States.UUID()",
    ] {
        assert_clean(&fail_with(&format!(
            r#""ErrorPath": "{call}", "CausePath": "{call}""#
        )));
    }
    // Plain reference paths stay fine.
    assert_clean(&fail_with(
        r#""ErrorPath": "$.error", "CausePath": "$.cause""#,
    ));

    for call in [
        "States.Array($.a, $.b)",
        "States.ArrayLength($.list)",
        "States.MathAdd($.n, 1)",
        "States.StringToJson($.text)",
        "States.StringSplit($.text, ',')",
        "States.ArrayContains($.list, 1)",
        "States.MathRandom(1, 9)",
        "States.JsonMerge($.a, $.b, false)",
    ] {
        let text = fail_with(&format!(r#""Error": "E", "CausePath": "{call}""#));
        let (l, c) = position_of(&text, "\"CausePath\"");
        assert_eq!(
            found(&text, "intrinsic-not-allowed"),
            vec![("/States/F/CausePath".to_owned(), l, c)],
            "{call}"
        );
        let text = fail_with(&format!(r#""ErrorPath": "{call}", "Cause": "c""#));
        let (l, c) = position_of(&text, "\"ErrorPath\"");
        assert_eq!(
            found(&text, "intrinsic-not-allowed"),
            vec![("/States/F/ErrorPath".to_owned(), l, c)],
            "{call}"
        );
    }
    // The designer's live check gives the same answer.
    let problem = statewright::validate::path_field_problem("ErrorPath", "States.Array($.a)");
    assert_eq!(problem.map(|p| p.0), Some("intrinsic-not-allowed"));
    assert_eq!(
        statewright::validate::path_field_problem("ErrorPath", "States.Format('{}', $.a)"),
        None
    );
    // A call that does not parse is still a syntax error, not this rule.
    let text = fail_with(r#""ErrorPath": "States.Format('x'""#);
    assert_eq!(found(&text, "intrinsic-syntax").len(), 1);
    assert!(found(&text, "intrinsic-not-allowed").is_empty());
}
