//! Starting points for new states: one per state type, and the common Task integrations the palette
//! offers (each fills `Resource` and a `Parameters` skeleton).

use crate::asl::{ChoiceRule, State, StateMachine, StateType};
use crate::json::{self, Json};

/// A state parsed from JSON text written in this file (never fails for the literals here; falls back to a
/// bare state of the type otherwise).
fn from_text(state_type: StateType, text: &str) -> State {
    json::parse(text)
        .ok()
        .and_then(|j| State::from_json(&j))
        .unwrap_or_else(|| State::new(state_type))
}

/// A new state of a type, as the palette adds it. Nested machines get placeholder names that
/// [`super::Op::AddState`] makes unique.
pub fn new_state(state_type: StateType) -> State {
    let text = match state_type {
        StateType::Task => {
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:my-function", "Payload.$": "$"}, "End": true}"#
        }
        StateType::Choice => r#"{"Type": "Choice"}"#,
        StateType::Parallel => {
            r#"{"Type": "Parallel", "Branches": [{"StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "End": true}}}], "End": true}"#
        }
        StateType::Wait => r#"{"Type": "Wait", "Seconds": 5, "End": true}"#,
        StateType::Pass => r#"{"Type": "Pass", "End": true}"#,
        StateType::Succeed => r#"{"Type": "Succeed"}"#,
        StateType::Fail => {
            r#"{"Type": "Fail", "Error": "Failed", "Cause": "Describe the failure"}"#
        }
        StateType::Map => {
            r#"{"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "End": true}}}, "End": true}"#
        }
    };
    from_text(state_type, text)
}

/// A machine with one Pass state (a new Parallel branch).
pub fn single_state_machine(name: &str) -> StateMachine {
    let mut m = StateMachine::default();
    let mut pass = State::new(StateType::Pass);
    pass.end = Some(true);
    m.start_at = Some(name.into());
    m.states = Some(crate::asl::States(vec![crate::asl::NamedState {
        name: name.into(),
        state: pass,
    }]));
    m
}

/// A comparison rule to fill in: `$.status == "done"`.
pub fn choice_rule_skeleton() -> ChoiceRule {
    json::parse(r#"{"Variable": "$.status", "StringEquals": "done"}"#)
        .ok()
        .and_then(|j| ChoiceRule::from_json(&j))
        .unwrap_or_default()
}

/// A Task integration offered by the palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Integration {
    /// What the palette shows: `Lambda: Invoke`.
    pub label: &'static str,
    /// The name a new state gets (numbered): `Invoke Lambda`.
    pub base_name: &'static str,
    pub resource: &'static str,
    /// The `Parameters` skeleton, JSON text.
    pub parameters: &'static str,
}

/// The common integrations, in palette order.
pub const INTEGRATIONS: &[Integration] = &[
    Integration {
        label: "Lambda: Invoke",
        base_name: "Invoke Lambda",
        resource: "arn:aws:states:::lambda:invoke",
        parameters: r#"{"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:my-function", "Payload.$": "$"}"#,
    },
    Integration {
        label: "Glue: StartJobRun (sync)",
        base_name: "Run Glue Job",
        resource: "arn:aws:states:::glue:startJobRun.sync",
        parameters: r#"{"JobName": "my-glue-job", "Arguments": {}}"#,
    },
    Integration {
        label: "Glue: StartCrawler",
        base_name: "Start Crawler",
        resource: "arn:aws:states:::aws-sdk:glue:startCrawler",
        parameters: r#"{"Name": "my-crawler"}"#,
    },
    Integration {
        label: "Glue: GetCrawler",
        base_name: "Get Crawler",
        resource: "arn:aws:states:::aws-sdk:glue:getCrawler",
        parameters: r#"{"Name": "my-crawler"}"#,
    },
    Integration {
        label: "Redshift Data: ExecuteStatement",
        base_name: "Run SQL",
        resource: "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
        parameters: r#"{"ClusterIdentifier": "my-cluster", "Database": "dev", "DbUser": "admin", "Sql": "SELECT 1"}"#,
    },
    Integration {
        label: "SNS: Publish",
        base_name: "Publish",
        resource: "arn:aws:states:::sns:publish",
        parameters: r#"{"TopicArn": "arn:aws:sns:us-east-1:123456789012:my-topic", "Message.$": "$"}"#,
    },
    Integration {
        label: "SQS: SendMessage",
        base_name: "Send Message",
        resource: "arn:aws:states:::sqs:sendMessage",
        parameters: r#"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/my-queue", "MessageBody.$": "$"}"#,
    },
    Integration {
        label: "DynamoDB: PutItem",
        base_name: "Put Item",
        resource: "arn:aws:states:::dynamodb:putItem",
        parameters: r#"{"TableName": "my-table", "Item": {"id": {"S.$": "$.id"}}}"#,
    },
    Integration {
        label: "DynamoDB: GetItem",
        base_name: "Get Item",
        resource: "arn:aws:states:::dynamodb:getItem",
        parameters: r#"{"TableName": "my-table", "Key": {"id": {"S.$": "$.id"}}}"#,
    },
    Integration {
        label: "ECS: RunTask (sync)",
        base_name: "Run ECS Task",
        resource: "arn:aws:states:::ecs:runTask.sync",
        parameters: r#"{"LaunchType": "FARGATE", "Cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/my-cluster", "TaskDefinition": "my-task-def"}"#,
    },
    Integration {
        label: "Step Functions: StartExecution (sync)",
        base_name: "Start Execution",
        resource: "arn:aws:states:::states:startExecution.sync:2",
        parameters: r#"{"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:my-machine", "Input.$": "$"}"#,
    },
];

impl Integration {
    /// The Task state this integration adds.
    pub fn state(&self) -> State {
        let mut s = State::new(StateType::Task);
        s.resource = Some(self.resource.into());
        s.parameters = json::parse(self.parameters).ok().map(|j| strip_spans(&j));
        s.end = Some(true);
        s
    }
}

/// A copy of a tree without source positions (so it is written out fresh wherever it lands).
pub fn strip_spans(j: &Json) -> Json {
    match &j.value {
        json::Value::Array(items) => Json::array(items.iter().map(strip_spans).collect()),
        json::Value::Object(members) => Json::object(
            members
                .iter()
                .map(|m| json::Member::new(m.key.clone(), strip_spans(&m.value)))
                .collect(),
        ),
        v => v.clone().into(),
    }
}
