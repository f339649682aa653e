//! Ask-me mode: a run that stops at the first Task call with no mocked response and asks what it returns.
//!
//! 1. Set [`SimConfig::ask`](super::SimConfig::ask) to `Some(Answers::default())` and call
//!    [`simulate_until_question`](super::simulate_until_question).
//! 2. [`SimOutcome::Paused`] holds the run so far and the [`Question`]: which Task state (name, path through
//!    Parallel branches and Map iterations, resource), its call number and its effective input (after
//!    `InputPath`/`Parameters` or `Arguments`). Record the answer (a [`MockResponse`]: return JSON or throw an
//!    error and cause) with [`Answers::answer`].
//! 3. Run again **from the start** with the same machine, input and config plus the answers. The simulator
//!    is deterministic (seeded RNG, virtual time), so the re-run does what the paused run did up to the
//!    question, then takes the answer and goes on, until the next question or the end of the run.
//!
//! What "the same up to the question" means exactly: outside Parallel branches and Map iterations, the paused
//! trace's events are the first events of the re-run, identical (ids included). Inside a Parallel state or a
//! Map state, the branches and iterations run one after another and their events are then ordered by virtual
//! time, so branches and iterations that run after the question are merged in between: the paused trace's
//! events are then a subsequence of the re-run's, in the same order.
//!
//! Answers are keyed by state name and call number, the numbering Step Functions Local's MockConfigFile uses:
//! every call of a state (retries, Map iterations and Parallel branches included; branches and iterations in
//! index order) takes the next number. So a Task in a Map is asked once per iteration and a retried Task once
//! per attempt, each call can get its own answer, and [`Answers::to_task_mocks`] is a test case that replays
//! the answered run without asking.
//!
//! A paused trace has no `Execution…` end event; its status, error and cause are what
//! [`simulate`](super::simulate) reports for the same run (which does not pause: the question ends it as
//! `FAILED` with `States.Runtime` and the cause [`Question::cause`]).

use super::mocks::{MockResponse, TaskMocks};
use crate::trace::{StatePath, Trace};
use serde_json::Value;
use std::collections::BTreeMap;

/// The answers given so far, by Task state name, in call order (call `n` is the `n`-th entry).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answers {
    by_state: BTreeMap<String, Vec<MockResponse>>,
}

impl Answers {
    /// The answer for call number `call` (0-based) of `state`, if given. Unlike a mock, the last answer does
    /// not repeat: a later call is asked again.
    pub fn get(&self, state: &str, call: usize) -> Option<&MockResponse> {
        self.by_state.get(state)?.get(call)
    }

    /// Records the answer to `question` (replacing an earlier answer to the same call). A run asks the calls of
    /// a state in order, so the call asked is at most one past the answers given for that state; a question
    /// that skips calls (from a run with other answers) is refused.
    pub fn answer(&mut self, question: &Question, response: MockResponse) -> Result<(), String> {
        let given = self.by_state.get(&question.state).map_or(0, Vec::len);
        if question.call > given {
            return Err(format!(
                "call {} of '{}' cannot be answered before its calls {given} to {}",
                question.call,
                question.state,
                question.call - 1
            ));
        }
        let list = self.by_state.entry(question.state.clone()).or_default();
        if question.call < given {
            list[question.call] = response;
        } else {
            list.push(response);
        }
        Ok(())
    }

    /// How many calls have an answer.
    pub fn len(&self) -> usize {
        self.by_state.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.by_state.is_empty()
    }

    /// Every answer: state name, call number, response; by state name, then call.
    pub fn iter(&self) -> impl Iterator<Item = (&str, usize, &MockResponse)> {
        self.by_state.iter().flat_map(|(s, list)| {
            list.iter()
                .enumerate()
                .map(move |(i, r)| (s.as_str(), i, r))
        })
    }

    /// The answers as mocks (a test case): each state's responses in call order. As a mock, a state's last
    /// response repeats for later calls.
    pub fn to_task_mocks(&self) -> TaskMocks {
        TaskMocks {
            by_state: self.by_state.clone(),
        }
    }
}

/// Where an ask-me run stopped: a Task call with no mocked response and no answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// The Task state's name.
    pub state: String,
    /// Where it runs (through Parallel branches and Map iterations).
    pub path: StatePath,
    /// The call number (0-based) of this state in the run: the key of its answer.
    pub call: usize,
    /// The Task's `Resource`.
    pub resource: String,
    /// The effective input: what the task is called with (after `InputPath` and `Parameters`, or `Arguments`).
    pub input: Value,
    /// The attempt's `$$.State.RetryCount` (0: first attempt).
    pub retry_count: u64,
}

impl Question {
    /// The cause of the `States.Runtime` error that ends the run when it is not paused.
    pub fn cause(&self) -> String {
        format!(
            "The Task state '{}' has no mocked response and no answer for call {} (numbered from 0, as in a \
             MockConfigFile): ask-me mode stops here.",
            self.state, self.call
        )
    }
}

/// The result of [`simulate_until_question`](super::simulate_until_question).
#[derive(Clone, Debug, PartialEq)]
pub enum SimOutcome {
    /// The run ended (succeeded, failed or timed out): the same trace as [`simulate`](super::simulate).
    Finished(Trace),
    /// The run stopped at a question: the trace so far (its last events are the Task's scheduled and started
    /// events) and the question.
    Paused { trace: Trace, question: Question },
}

impl SimOutcome {
    /// The trace: complete, or so far.
    pub fn trace(&self) -> &Trace {
        match self {
            SimOutcome::Finished(t) | SimOutcome::Paused { trace: t, .. } => t,
        }
    }

    pub fn question(&self) -> Option<&Question> {
        match self {
            SimOutcome::Finished(_) => None,
            SimOutcome::Paused { question, .. } => Some(question),
        }
    }

    pub fn into_parts(self) -> (Trace, Option<Question>) {
        match self {
            SimOutcome::Finished(t) => (t, None),
            SimOutcome::Paused { trace, question } => (trace, Some(question)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{SimConfig, simulate, simulate_until_question};
    use super::*;
    use crate::asl::{Document, StateMachine};
    use crate::trace::{PathSegment, Status, TraceEvent};
    use serde_json::json;

    fn machine(v: Value) -> StateMachine {
        Document::parse_json(&v.to_string()).unwrap().machine
    }

    fn ret(v: Value) -> MockResponse {
        MockResponse::Return {
            value: v,
            latency_secs: 0.0,
        }
    }

    fn throw(error: &str, cause: &str) -> MockResponse {
        MockResponse::Throw {
            error: error.into(),
            cause: Some(cause.into()),
            latency_secs: 0.0,
        }
    }

    fn ask_config(answers: Answers) -> SimConfig {
        SimConfig {
            ask: Some(answers),
            seed: 7,
            ..SimConfig::default()
        }
    }

    fn paused(outcome: SimOutcome) -> (Trace, Question) {
        match outcome {
            SimOutcome::Paused { trace, question } => (trace, question),
            SimOutcome::Finished(t) => panic!("the run did not ask: {:?} {:?}", t.status, t.cause),
        }
    }

    /// Answers every question with `respond` until the run ends: the final trace, the questions in order and
    /// the paused trace of each.
    fn answer_all(
        m: &StateMachine,
        input: &Value,
        mut respond: impl FnMut(&Question) -> MockResponse,
    ) -> (Trace, Vec<(Question, Trace)>, Answers) {
        let mut answers = Answers::default();
        let mut asked = Vec::new();
        loop {
            assert!(asked.len() < 50, "too many questions");
            match simulate_until_question(m, input.clone(), &ask_config(answers.clone())) {
                SimOutcome::Finished(t) => return (t, asked, answers),
                SimOutcome::Paused { trace, question } => {
                    answers.answer(&question, respond(&question)).unwrap();
                    asked.push((question, trace));
                }
            }
        }
    }

    fn entered(t: &Trace) -> Vec<String> {
        t.events
            .iter()
            .filter(|e| e.event_type.ends_with("StateEntered"))
            .map(|e| e.path.to_string())
            .collect()
    }

    /// An event without its id and previous id (which interleaving renumbers).
    fn content(e: &TraceEvent) -> TraceEvent {
        let mut e = e.clone();
        e.id = 0;
        e.previous_event_id = 0;
        e
    }

    /// `part`'s events, in order, are among `whole`'s.
    fn is_subsequence(part: &Trace, whole: &Trace) -> bool {
        let mut it = whole.events.iter().map(content);
        part.events.iter().map(content).all(|p| it.any(|w| w == p))
    }

    fn choice_machine() -> StateMachine {
        machine(json!({
            "StartAt": "Prepare",
            "States": {
                "Prepare": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "order.$": "$.order"}, "Next": "Check"},
                "Check": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::glue:getCrawler",
                    "InputPath": "$.order",
                    "Parameters": {"Name.$": "$.crawler", "Fixed": 1},
                    "ResultPath": "$.check",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Broken"}],
                    "Next": "Ready?"
                },
                "Ready?": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.check.State", "StringEquals": "READY", "Next": "Done"}],
                    "Default": "Waiting"
                },
                "Done": {"Type": "Succeed"},
                "Waiting": {"Type": "Fail", "Error": "NotReady"},
                "Broken": {"Type": "Fail", "Error": "Broken"}
            }
        }))
    }

    #[test]
    fn pauses_at_the_unmocked_task_with_its_effective_input() {
        let m = choice_machine();
        let input = json!({"order": {"crawler": "c1", "other": true}});
        let (trace, q) = paused(simulate_until_question(
            &m,
            input.clone(),
            &ask_config(Answers::default()),
        ));
        assert_eq!(q.state, "Check");
        assert_eq!(q.call, 0);
        assert_eq!(q.retry_count, 0);
        assert_eq!(q.resource, "arn:aws:states:::glue:getCrawler");
        assert_eq!(q.input, json!({"Name": "c1", "Fixed": 1}));
        assert_eq!(q.path.to_string(), "Check");
        let kinds: Vec<&str> = trace.events.iter().map(|e| e.event_type.as_ref()).collect();
        assert_eq!(
            kinds,
            [
                "ExecutionStarted",
                "PassStateEntered",
                "PassStateExited",
                "TaskStateEntered",
                "TaskScheduled",
                "TaskStarted"
            ]
        );
        assert_eq!(trace.status, Status::Failed);
        assert_eq!(trace.cause.as_deref(), Some(q.cause().as_str()));
        // `simulate` with the same config does not pause: the question fails the run, after the same events.
        let full = simulate(&m, input.clone(), &ask_config(Answers::default()));
        assert_eq!(full.events[..trace.events.len()], trace.events[..]);
        assert_eq!(full.events.len(), trace.events.len() + 1);
        assert_eq!(
            full.events.last().unwrap().event_type.as_ref(),
            "ExecutionFailed"
        );
        assert_eq!((full.error, full.cause), (trace.error, trace.cause));
        // Without ask-me mode nothing changes: the unmocked task returns its input.
        let plain = simulate(&m, input, &SimConfig::default());
        assert!(plain.events.iter().any(TraceEvent::unmocked));
        assert_eq!(plain.status, Status::Failed);
        assert_eq!(plain.error.as_deref(), Some("NotReady"));
    }

    #[test]
    fn answers_choose_the_path_and_the_rerun_repeats_the_run_so_far() {
        let m = choice_machine();
        let input = json!({"order": {"crawler": "c1"}});
        for (state, last, status) in [
            ("READY", "Done", Status::Succeeded),
            ("RUNNING", "Waiting", Status::Failed),
        ] {
            let (t, asked, _) = answer_all(&m, &input, |_| ret(json!({"State": state})));
            assert_eq!(asked.len(), 1);
            assert_eq!(t.status, status);
            assert_eq!(entered(&t), ["Prepare", "Check", "Ready?", last]);
            // Same seed: the re-run's first events are the paused run's, States.UUID included.
            let before = &asked[0].1;
            assert_eq!(t.events[..before.events.len()], before.events[..]);
            let ok = &t.events[before.events.len()];
            assert_eq!(ok.event_type.as_ref(), "TaskSucceeded");
            assert!(!ok.unmocked());
        }
    }

    #[test]
    fn a_thrown_answer_takes_the_catch_path() {
        let m = choice_machine();
        let input = json!({"order": {"crawler": "c1"}});
        let (t, asked, _) = answer_all(&m, &input, |_| {
            throw("Glue.EntityNotFoundException", "no crawler c1")
        });
        assert_eq!(asked.len(), 1);
        assert_eq!(entered(&t), ["Prepare", "Check", "Broken"]);
        assert_eq!(t.error.as_deref(), Some("Broken"));
        let failed = t
            .events
            .iter()
            .find(|e| e.event_type.as_ref() == "TaskFailed")
            .unwrap();
        assert_eq!(failed.error(), Some("Glue.EntityNotFoundException"));
    }

    #[test]
    fn a_retried_task_asks_once_per_attempt() {
        let m = machine(json!({
            "StartAt": "Call",
            "States": {
                "Call": {
                    "Type": "Task",
                    "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                    "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 3, "IntervalSeconds": 2, "JitterStrategy": "FULL"}],
                    "End": true
                }
            }
        }));
        let (t, asked, answers) = answer_all(&m, &json!({"a": 1}), |q| {
            if q.call < 2 {
                throw("Busy", "later")
            } else {
                ret(json!({"done": q.call}))
            }
        });
        let calls: Vec<(usize, u64)> = asked.iter().map(|(q, _)| (q.call, q.retry_count)).collect();
        assert_eq!(calls, [(0, 0), (1, 1), (2, 2)]);
        assert!(asked.iter().all(|(q, _)| q.input == json!({"a": 1})));
        assert_eq!(t.output, Some(json!({"done": 2})));
        assert_eq!(answers.len(), 3);
        // The jittered back-off before each question is the same in the re-run.
        for (_, before) in &asked {
            assert_eq!(t.events[..before.events.len()], before.events[..]);
        }
    }

    #[test]
    fn each_map_iteration_is_asked_and_can_get_its_own_answer() {
        let m = machine(json!({
            "StartAt": "Each",
            "States": {
                "Each": {
                    "Type": "Map",
                    "ItemsPath": "$.items",
                    "MaxConcurrency": 2,
                    "ItemProcessor": {
                        "StartAt": "Price",
                        "States": {
                            "Price": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                      "Parameters": {"sku.$": "$.sku"}, "End": true}
                        }
                    },
                    "End": true
                }
            }
        }));
        let input = json!({"items": [{"sku": "a"}, {"sku": "b"}, {"sku": "c"}]});
        let (t, asked, answers) = answer_all(&m, &input, |q| {
            ret(json!({"price": q.call * 10, "sku": q.input["sku"]}))
        });
        let where_asked: Vec<(String, usize, Value)> = asked
            .iter()
            .map(|(q, _)| (q.path.to_string(), q.call, q.input.clone()))
            .collect();
        assert_eq!(
            where_asked,
            [
                ("Each / item 0 / Price".to_owned(), 0, json!({"sku": "a"})),
                ("Each / item 1 / Price".to_owned(), 1, json!({"sku": "b"})),
                ("Each / item 2 / Price".to_owned(), 2, json!({"sku": "c"})),
            ]
        );
        assert_eq!(
            asked[1].0.path.0[1],
            PathSegment::Iteration(1),
            "the path names the iteration"
        );
        assert_eq!(
            t.output,
            Some(json!([
                {"price": 0, "sku": "a"},
                {"price": 10, "sku": "b"},
                {"price": 20, "sku": "c"}
            ]))
        );
        for (_, before) in &asked {
            assert!(is_subsequence(before, &t));
        }
        // The answers as a test case replay the same run without asking.
        let replay = simulate(
            &m,
            input,
            &SimConfig {
                mocks: answers.to_task_mocks(),
                seed: 7,
                ..SimConfig::default()
            },
        );
        assert_eq!(replay, t);
    }

    #[test]
    fn parallel_branches_are_asked_in_branch_order() {
        let m = machine(json!({
            "StartAt": "Both",
            "States": {
                "Both": {
                    "Type": "Parallel",
                    "Branches": [
                        {"StartAt": "Slow", "States": {
                            "Slow": {"Type": "Wait", "Seconds": 5, "Next": "Left"},
                            "Left": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}},
                        {"StartAt": "Right", "States": {
                            "Right": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                      "Parameters": {"Body.$": "$.msg"}, "End": true}}}
                    ],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}],
                    "End": true
                },
                "Recover": {"Type": "Pass", "Result": "recovered", "End": true}
            }
        }));
        let input = json!({"msg": "hi"});
        let (t, asked, _) = answer_all(&m, &input, |q| match q.state.as_str() {
            "Left" => ret(json!("L")),
            _ => ret(json!("R")),
        });
        let where_asked: Vec<String> = asked.iter().map(|(q, _)| q.path.to_string()).collect();
        assert_eq!(
            where_asked,
            ["Both / branch 0 / Left", "Both / branch 1 / Right"]
        );
        assert_eq!(asked[1].0.input, json!({"Body": "hi"}));
        assert_eq!(t.output, Some(json!(["L", "R"])));
        for (_, before) in &asked {
            assert!(is_subsequence(before, &t));
            assert!(
                !before
                    .events
                    .iter()
                    .any(|e| e.event_type.as_ref() == "ParallelStateFailed")
            );
        }
        // A branch that throws fails the Parallel state, which its Catch handles.
        let (t, _, _) = answer_all(&m, &input, |q| match q.state.as_str() {
            "Left" => ret(json!("L")),
            _ => throw("SQS.QueueDoesNotExist", "no queue"),
        });
        assert_eq!(t.output, Some(json!("recovered")));
        assert_eq!(entered(&t).last().map(String::as_str), Some("Recover"));
    }

    #[test]
    fn jsonata_tasks_are_asked_with_their_arguments() {
        let m = machine(json!({
            "QueryLanguage": "JSONata",
            "StartAt": "T",
            "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                      "Arguments": {"n": "{% $states.input.n + 1 %}"}, "Output": "{% $states.result.v %}", "End": true}
            }
        }));
        let (t, asked, _) = answer_all(&m, &json!({"n": 1}), |q| ret(json!({"v": q.input["n"]})));
        assert_eq!(asked[0].0.input, json!({"n": 2}));
        assert_eq!(t.output, Some(json!(2)));
    }

    #[test]
    fn mocked_tasks_are_not_asked() {
        let m = choice_machine();
        let mut config = ask_config(Answers::default());
        config
            .mocks
            .by_state
            .insert("Check".into(), vec![ret(json!({"State": "READY"}))]);
        let outcome = simulate_until_question(&m, json!({"order": {"crawler": "x"}}), &config);
        let SimOutcome::Finished(t) = outcome else {
            panic!("a mocked task asked")
        };
        assert_eq!(t.status, Status::Succeeded);
    }

    #[test]
    fn answers_are_given_in_call_order() {
        let q = |call| Question {
            state: "T".into(),
            path: StatePath::default(),
            call,
            resource: String::new(),
            input: Value::Null,
            retry_count: 0,
        };
        let mut a = Answers::default();
        let err = a.answer(&q(1), ret(json!(1))).unwrap_err();
        assert!(err.contains("call 1 of 'T'"), "{err}");
        assert!(a.is_empty());
        a.answer(&q(0), ret(json!(0))).unwrap();
        a.answer(&q(1), ret(json!(1))).unwrap();
        a.answer(&q(0), ret(json!("again"))).unwrap();
        assert_eq!(a.get("T", 0), Some(&ret(json!("again"))));
        assert_eq!(a.get("T", 2), None, "the last answer does not repeat");
        assert_eq!(a.len(), 2);
        let listed: Vec<(&str, usize)> = a.iter().map(|(s, c, _)| (s, c)).collect();
        assert_eq!(listed, [("T", 0), ("T", 1)]);
    }
}
