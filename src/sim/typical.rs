//! What a Task's integration typically returns and throws: the pre-filled value of a new "Return" entry in an
//! outcome sequence, quick presets for polling loops (a crawler RUNNING then READY, a statement STARTED then
//! FINISHED), and the errors offered for a "Throw" entry.
//!
//! Shapes follow the AWS API references of each call (field names and casing as the service returns them;
//! optimized integrations such as `lambda:invoke` wrap the payload as Step Functions does). Values are
//! examples; names from the Task's own `Parameters`/`Arguments` (a crawler's `Name`, a job's `JobName`) are used
//! when they are plain strings.

use crate::json::Json;
use serde_json::{Value, json};

/// A Task resource read as an integration: `arn:aws:states:::glue:startJobRun.sync` →
/// `("glue", "startjobrun", sync)`; `arn:aws:states:::aws-sdk:glue:getCrawler` → `("glue", "getcrawler")`;
/// a Lambda function ARN → `("lambda", "function")`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Integration {
    /// The service, lower case (`glue`, `lambda`, `redshiftdata`, `states`, …).
    pub service: String,
    /// The API action, lower case (`getcrawler`, `invoke`, …); `function` for a plain Lambda ARN.
    pub action: String,
    /// `.sync` (run a job and wait for it).
    pub sync: bool,
    /// `.sync:2` (Step Functions nested executions: output as JSON, not a string).
    pub sync2: bool,
    /// An `aws-sdk:` integration (errors are named `Service.Exception`).
    pub sdk: bool,
}

impl Integration {
    /// Reads a Task's `Resource`; `None` for what is not an integration ARN (an activity, a template
    /// placeholder, an expression).
    pub fn of(resource: &str) -> Option<Integration> {
        let parts: Vec<&str> = resource.split(':').collect();
        if parts.len() < 6 || parts[0] != "arn" {
            return None;
        }
        if parts[2] == "lambda" && parts[5] == "function" {
            return Some(Integration {
                service: "lambda".into(),
                action: "function".into(),
                sync: false,
                sync2: false,
                sdk: false,
            });
        }
        if parts[2] != "states" || parts[5] == "activity" {
            return None;
        }
        let rest = &parts[5..];
        let (sdk, service, action) = match rest {
            ["aws-sdk", service, action, ..] => (true, *service, *action),
            [service, action, ..] => (false, *service, *action),
            _ => return None,
        };
        let tail = rest.get(if sdk { 3 } else { 2 });
        let (action, pattern) = action.split_once('.').unwrap_or((action, ""));
        Some(Integration {
            service: service.to_ascii_lowercase(),
            action: action.to_ascii_lowercase(),
            sync: pattern == "sync",
            sync2: pattern == "sync" && tail == Some(&"2"),
            sdk,
        })
    }
}

/// A named variant of a typical return, offered as a one-click entry (`RUNNING`, `READY`, …).
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub label: String,
    pub value: Json,
}

/// What the Task typically returns (`{}` for an integration not described here). `params` are its
/// `Parameters` (or `Arguments`), for names.
pub fn typical_return(resource: &str, params: Option<&Value>) -> Json {
    Json::from_serde(&typical_value(resource, params).unwrap_or_else(|| json!({})))
}

/// Whether [`typical_return`] knows this integration (else it gives the generic `{}`).
pub fn known(resource: &str) -> bool {
    typical_value(resource, None).is_some()
}

/// Quick variants for polling loops: the states a status check returns, in the order a run goes through
/// them. Empty for a call that is not polled.
pub fn presets(resource: &str, params: Option<&Value>) -> Vec<Preset> {
    let Some(i) = Integration::of(resource) else {
        return Vec::new();
    };
    let Some(base) = typical_value(resource, params) else {
        return Vec::new();
    };
    let with = |path: &[&str], states: &[&str]| -> Vec<Preset> {
        states
            .iter()
            .map(|s| {
                let mut v = base.clone();
                set_path(&mut v, path, json!(s));
                Preset {
                    label: (*s).to_owned(),
                    value: Json::from_serde(&v),
                }
            })
            .collect()
    };
    match (i.service.as_str(), i.action.as_str()) {
        ("glue", "getcrawler") => with(&["Crawler", "State"], &["RUNNING", "STOPPING", "READY"]),
        ("glue", "getjobrun") => with(
            &["JobRun", "JobRunState"],
            &["RUNNING", "SUCCEEDED", "FAILED"],
        ),
        ("glue", "startjobrun") if i.sync => with(&["JobRunState"], &["SUCCEEDED", "FAILED"]),
        ("redshiftdata", "describestatement") => {
            with(&["Status"], &["SUBMITTED", "STARTED", "FINISHED", "FAILED"])
        }
        ("athena", "getqueryexecution") => with(
            &["QueryExecution", "Status", "State"],
            &["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"],
        ),
        ("states", "describeexecution") => with(&["Status"], &["RUNNING", "SUCCEEDED", "FAILED"]),
        ("ecs", "describetasks") => with(&["Tasks", "0", "LastStatus"], &["RUNNING", "STOPPED"]),
        _ => Vec::new(),
    }
}

/// The errors a "Throw" entry offers for this Task, `(Error, Cause)`: the integration's own first, then the
/// Step Functions errors every Task can raise.
pub fn typical_errors(resource: &str) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = match Integration::of(resource) {
        Some(i) => match (i.service.as_str(), i.action.as_str()) {
            ("glue", "startjobrun") if i.sync => vec![
                (
                    "States.TaskFailed",
                    "The Glue job run ended in state FAILED",
                ),
                (
                    "Glue.ConcurrentRunsExceededException",
                    "Concurrent runs exceeded for the job",
                ),
                ("Glue.EntityNotFoundException", "Job not found"),
            ],
            ("glue", "startcrawler") => vec![
                (
                    "Glue.CrawlerRunningException",
                    "The crawler is already running",
                ),
                ("Glue.EntityNotFoundException", "Crawler entry not found"),
            ],
            ("glue", _) => vec![
                ("Glue.EntityNotFoundException", "Entity not found"),
                ("Glue.OperationTimeoutException", "The operation timed out"),
                ("Glue.AwsGlueException", "Internal service error"),
            ],
            ("lambda", _) => vec![
                ("Lambda.ServiceException", "Internal service error"),
                ("Lambda.AWSLambdaException", "Internal service error"),
                (
                    "Lambda.SdkClientException",
                    "Unable to execute HTTP request",
                ),
                ("Lambda.TooManyRequestsException", "Rate exceeded"),
                ("Lambda.Unknown", "The Lambda function failed"),
            ],
            ("redshiftdata", _) => vec![
                ("RedshiftData.ValidationException", "Invalid SQL statement"),
                (
                    "RedshiftData.ActiveStatementsExceededException",
                    "Too many active statements",
                ),
                (
                    "RedshiftData.ResourceNotFoundException",
                    "Query does not exist",
                ),
            ],
            ("s3", _) => vec![
                ("S3.NoSuchKeyException", "The specified key does not exist"),
                ("S3.S3Exception", "Access Denied"),
            ],
            ("dynamodb", _) => vec![
                (
                    "DynamoDB.ConditionalCheckFailedException",
                    "The conditional request failed",
                ),
                (
                    "DynamoDB.ProvisionedThroughputExceededException",
                    "Throughput exceeded",
                ),
                ("DynamoDB.ResourceNotFoundException", "Table not found"),
            ],
            ("sns", _) => vec![("SNS.NotFoundException", "Topic does not exist")],
            ("sqs", _) => vec![(
                "SQS.QueueDoesNotExistException",
                "The specified queue does not exist",
            )],
            ("ecs", _) => vec![(
                "States.TaskFailed",
                "The ECS task stopped with a non-zero exit code",
            )],
            ("states", _) => vec![("States.TaskFailed", "The nested execution failed")],
            ("athena", _) => vec![
                ("States.TaskFailed", "The query ended in state FAILED"),
                ("Athena.InvalidRequestException", "Invalid query"),
            ],
            _ => Vec::new(),
        },
        None => Vec::new(),
    };
    for generic in [
        ("States.TaskFailed", "The task failed"),
        ("States.Timeout", "The task timed out"),
        (
            "States.Permissions",
            "Not authorized to perform this action",
        ),
    ] {
        if !out.iter().any(|(e, _)| *e == generic.0) {
            out.push(generic);
        }
    }
    out
}

/// The status fields integrations report (a crawler's `State`, a job's `JobRunState`, a statement's `Status`, …),
/// in the order they are looked for.
const STATUS_KEYS: &[&str] = &["State", "JobRunState", "Status", "LastStatus"];

/// The status a returned value reports, for a one-word summary of a call (`RUNNING`, `READY`, `FINISHED`):
/// the first status field with a string value, searched breadth first.
pub fn status_of(value: &Json) -> Option<String> {
    let mut level = vec![value];
    for _ in 0..8 {
        let mut next = Vec::new();
        for node in &level {
            if let Some(members) = node.as_object() {
                for key in STATUS_KEYS {
                    if let Some(s) = members
                        .iter()
                        .find(|m| m.key.as_str() == *key)
                        .and_then(|m| m.value.as_str())
                    {
                        return Some(s.to_owned());
                    }
                }
                next.extend(members.iter().map(|m| &m.value));
            } else if let Some(items) = node.as_array() {
                next.extend(items.iter());
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    None
}

/// A parameter given as a plain string (`"Name": "crawler"`, not `"Name.$": "$.x"`).
fn param<'a>(params: Option<&'a Value>, key: &str) -> Option<&'a str> {
    params?.get(key)?.as_str().filter(|s| !s.starts_with("{%"))
}

/// An epoch time in milliseconds, as Step Functions passes SDK timestamps on (2024-01-15 10:00:00 UTC).
const T0: i64 = 1_705_312_800_000;

fn typical_value(resource: &str, params: Option<&Value>) -> Option<Value> {
    let i = Integration::of(resource)?;
    let name = |key: &str, fallback: &str| param(params, key).unwrap_or(fallback).to_owned();
    Some(match (i.service.as_str(), i.action.as_str()) {
        ("glue", "startjobrun") if i.sync => glue_job_run(&name("JobName", "my-glue-job")),
        ("glue", "startjobrun") => json!({ "JobRunId": "jr_3c9c8a36e8fd4b5f9c2a4d0e7f1b2c3d" }),
        ("glue", "getjobrun") => json!({ "JobRun": glue_job_run(&name("JobName", "my-glue-job")) }),
        ("glue", "startcrawler") => json!({}),
        ("glue", "getcrawler") => {
            let crawler = name("Name", "my-crawler");
            json!({
                "Crawler": {
                    "Name": crawler,
                    "Role": "AWSGlueServiceRole-crawler",
                    "Targets": { "S3Targets": [ { "Path": "s3://my-bucket/data/", "Exclusions": [] } ] },
                    "DatabaseName": "my_database",
                    "State": "READY",
                    "CrawlElapsedTime": 0,
                    "CreationTime": T0 - 86_400_000,
                    "LastUpdated": T0 - 86_400_000,
                    "LastCrawl": {
                        "Status": "SUCCEEDED",
                        "LogGroup": "/aws-glue/crawlers",
                        "LogStream": crawler,
                        "MessagePrefix": "b1f7c1e2-5a3d-4c1e-9d2a-6f0e8b7a9c10",
                        "StartTime": T0
                    },
                    "Version": 1
                }
            })
        }
        ("lambda", "function") => json!({ "statusCode": 200, "body": "ok" }),
        ("lambda", "invoke") => json!({
            "ExecutedVersion": "$LATEST",
            "Payload": { "statusCode": 200, "body": "ok" },
            "SdkHttpMetadata": { "HttpStatusCode": 200 },
            "StatusCode": 200
        }),
        ("redshiftdata", "executestatement" | "batchexecutestatement") => json!({
            "ClusterIdentifier": "redshift-cluster-1",
            "CreatedAt": T0,
            "Database": name("Database", "dev"),
            "DbUser": name("DbUser", "awsuser"),
            "Id": "d9b6c0c9-0747-4bf4-b142-e8883122f766"
        }),
        ("redshiftdata", "describestatement") => json!({
            "ClusterIdentifier": "redshift-cluster-1",
            "CreatedAt": T0,
            "Database": "dev",
            "DbUser": "awsuser",
            "Duration": 1_095_981_511,
            "HasResultSet": false,
            "Id": name("Id", "d9b6c0c9-0747-4bf4-b142-e8883122f766"),
            "QueryString": "call load_sales()",
            "RedshiftPid": 1_073_815_670,
            "RedshiftQueryId": 6821,
            "ResultRows": -1,
            "ResultSize": -1,
            "Status": "FINISHED",
            "UpdatedAt": T0 + 1_096
        }),
        ("redshiftdata", "getstatementresult") => json!({
            "ColumnMetadata": [ { "name": "count", "typeName": "int8", "isNullable": 1, "nullable": 1 } ],
            "Records": [ [ { "LongValue": 42 } ] ],
            "TotalNumRows": 1
        }),
        ("sns", "publish") => json!({
            "MessageId": "a2a0c9a5-6d8e-5d42-9a63-0e7f1b2c3d4e",
            "SdkHttpMetadata": { "HttpStatusCode": 200 },
            "SdkResponseMetadata": { "RequestId": "6c1a2b3d-4e5f-5a6b-8c7d-9e0f1a2b3c4d" }
        }),
        ("sqs", "sendmessage") => json!({
            "MD5OfMessageBody": "3bcb6e8e7b8543750b0bc1a59812c6e5",
            "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"
        }),
        ("dynamodb", "getitem") => json!({
            "Item": { "id": { "S": "order-1" }, "status": { "S": "PAID" } }
        }),
        ("dynamodb", "putitem" | "updateitem" | "deleteitem") => json!({
            "SdkHttpMetadata": { "HttpStatusCode": 200 }
        }),
        ("ecs", "runtask") if i.sync => json!({
            "Attempts": [],
            "ClusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/default",
            "Containers": [ { "ExitCode": 0, "LastStatus": "STOPPED", "Name": "app" } ],
            "LastStatus": "STOPPED",
            "StopCode": "EssentialContainerExited",
            "StoppedReason": "Essential container in task exited",
            "TaskArn": "arn:aws:ecs:us-east-1:123456789012:task/default/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "TaskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1"
        }),
        ("ecs", "runtask") => json!({
            "Failures": [],
            "Tasks": [ {
                "LastStatus": "PROVISIONING",
                "TaskArn": "arn:aws:ecs:us-east-1:123456789012:task/default/0f1e2d3c4b5a69788796a5b4c3d2e1f0"
            } ]
        }),
        ("states", "startexecution") if i.sync => {
            let output = json!({ "result": "ok" });
            json!({
                "ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:Child:run-1",
                "Input": if i.sync2 { json!({}) } else { json!("{}") },
                "InputDetails": { "Included": true },
                "Name": "run-1",
                "Output": if i.sync2 { output } else { json!(output.to_string()) },
                "OutputDetails": { "Included": true },
                "StartDate": T0,
                "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child",
                "Status": "SUCCEEDED",
                "StopDate": T0 + 2_000
            })
        }
        ("states", "startexecution") => json!({
            "ExecutionArn": "arn:aws:states:us-east-1:123456789012:execution:Child:run-1",
            "StartDate": T0
        }),
        ("athena", "startqueryexecution") if i.sync => athena_execution(),
        ("athena", "startqueryexecution") => {
            json!({ "QueryExecutionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111" })
        }
        ("athena", "getqueryexecution") => athena_execution(),
        ("athena", "getqueryresults") => json!({
            "ResultSet": {
                "ResultSetMetadata": { "ColumnInfo": [ { "Name": "count", "Type": "bigint" } ] },
                "Rows": [
                    { "Data": [ { "VarCharValue": "count" } ] },
                    { "Data": [ { "VarCharValue": "42" } ] }
                ]
            },
            "UpdateCount": 0
        }),
        ("s3", "getobject") => json!({
            "AcceptRanges": "bytes",
            "Body": "hello from S3",
            "ContentLength": 13,
            "ContentType": "text/plain",
            "ETag": "\"e0b2b7a9c4d1f3e5a6b7c8d9e0f1a2b3\"",
            "LastModified": T0
        }),
        ("s3", "putobject") => json!({
            "ETag": "\"e0b2b7a9c4d1f3e5a6b7c8d9e0f1a2b3\"",
            "ServerSideEncryption": "AES256"
        }),
        _ => return None,
    })
}

/// A Glue `JobRun` (what `startJobRun.sync` returns, and `getJobRun`'s `JobRun`).
fn glue_job_run(job: &str) -> Value {
    json!({
        "AllocatedCapacity": 10,
        "Attempt": 0,
        "CompletedOn": T0 + 120_000,
        "ExecutionTime": 120,
        "GlueVersion": "4.0",
        "Id": "jr_3c9c8a36e8fd4b5f9c2a4d0e7f1b2c3d",
        "JobName": job,
        "JobRunState": "SUCCEEDED",
        "LastModifiedOn": T0 + 120_000,
        "MaxCapacity": 10.0,
        "NumberOfWorkers": 10,
        "PredecessorRuns": [],
        "StartedOn": T0,
        "Timeout": 2880,
        "WorkerType": "G.1X"
    })
}

/// Athena's `QueryExecution` (what `startQueryExecution.sync` and `getQueryExecution` return).
fn athena_execution() -> Value {
    json!({
        "QueryExecution": {
            "QueryExecutionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
            "Query": "SELECT count(*) FROM my_table",
            "StatementType": "DML",
            "ResultConfiguration": { "OutputLocation": "s3://my-bucket/athena-results/" },
            "Status": {
                "State": "SUCCEEDED",
                "SubmissionDateTime": T0,
                "CompletionDateTime": T0 + 1_500
            },
            "Statistics": { "EngineExecutionTimeInMillis": 1200, "DataScannedInBytes": 1024 },
            "WorkGroup": "primary"
        }
    })
}

/// Sets the value at a path of object keys / array indexes (no-op where the path does not exist).
fn set_path(v: &mut Value, path: &[&str], to: Value) {
    let mut node = v;
    for key in path {
        node = match node {
            Value::Object(m) => match m.get_mut(*key) {
                Some(n) => n,
                None => return,
            },
            Value::Array(a) => match key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(n) => n,
                None => return,
            },
            _ => return,
        };
    }
    *node = to;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_read_as_integrations() {
        let i = Integration::of("arn:aws:states:::glue:startJobRun.sync").unwrap();
        assert_eq!(
            (i.service.as_str(), i.action.as_str(), i.sync, i.sdk),
            ("glue", "startjobrun", true, false)
        );
        let i = Integration::of("arn:aws:states:::aws-sdk:glue:getCrawler").unwrap();
        assert_eq!(
            (i.service.as_str(), i.action.as_str(), i.sdk),
            ("glue", "getcrawler", true)
        );
        let i = Integration::of("arn:aws:states:::states:startExecution.sync:2").unwrap();
        assert!(i.sync && i.sync2);
        let i = Integration::of("arn:aws:lambda:us-east-1:123456789012:function:hello").unwrap();
        assert_eq!(i.action, "function");
        assert_eq!(
            Integration::of("arn:aws:states:us-east-1:123456789012:activity:a"),
            None
        );
        assert_eq!(Integration::of("${LambdaArn}"), None);
    }

    #[test]
    fn get_crawler_returns_a_ready_crawler_named_by_the_parameters() {
        let params = json!({ "Name": "bronze-crawler" });
        let v =
            typical_return("arn:aws:states:::aws-sdk:glue:getCrawler", Some(&params)).to_serde();
        assert_eq!(v["Crawler"]["State"], "READY");
        assert_eq!(v["Crawler"]["Name"], "bronze-crawler");
        let p = presets("arn:aws:states:::aws-sdk:glue:getCrawler", Some(&params));
        let labels: Vec<&str> = p.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["RUNNING", "STOPPING", "READY"]);
        assert_eq!(p[0].value.to_serde()["Crawler"]["State"], "RUNNING");
        assert_eq!(p[0].value.to_serde()["Crawler"]["Name"], "bronze-crawler");
        // A path parameter is not a name.
        let v = typical_return(
            "arn:aws:states:::aws-sdk:glue:getCrawler",
            Some(&json!({ "Name.$": "$.crawler" })),
        )
        .to_serde();
        assert_eq!(v["Crawler"]["Name"], "my-crawler");
    }

    #[test]
    fn status_is_found_where_each_integration_reports_it() {
        let crawler = typical_return("arn:aws:states:::aws-sdk:glue:getCrawler", None);
        // The crawler's State, not its last crawl's Status one level further down.
        assert_eq!(status_of(&crawler).as_deref(), Some("READY"));
        let job = typical_return("arn:aws:states:::glue:startJobRun.sync", None);
        assert_eq!(status_of(&job).as_deref(), Some("SUCCEEDED"));
        let stmt = typical_return(
            "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
            None,
        );
        assert_eq!(status_of(&stmt).as_deref(), Some("FINISHED"));
        let athena = typical_return("arn:aws:states:::athena:getQueryExecution", None);
        assert_eq!(status_of(&athena).as_deref(), Some("SUCCEEDED"));
        assert_eq!(
            status_of(&typical_return("arn:aws:states:::sns:publish", None)),
            None
        );
    }

    #[test]
    fn errors_start_with_the_integrations_own() {
        let e = typical_errors("arn:aws:states:::aws-sdk:glue:getCrawler");
        assert_eq!(e[0].0, "Glue.EntityNotFoundException");
        assert!(e.iter().any(|(n, _)| *n == "States.Timeout"));
        let e = typical_errors("arn:aws:states:::lambda:invoke");
        assert_eq!(e[0].0, "Lambda.ServiceException");
        let e = typical_errors("arn:aws:states:::glue:startJobRun.sync");
        assert_eq!(e[0].0, "States.TaskFailed");
        assert_eq!(
            e.iter().filter(|(n, _)| *n == "States.TaskFailed").count(),
            1
        );
    }
}
