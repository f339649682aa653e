//! A Step Functions Local MockConfigFile as an editable document: read losslessly, edited test case by test
//! case, written back changing only what was edited (someone else's file keeps its layout, key order, number
//! spelling and every entry nobody touched).
//!
//! ```json
//! { "StateMachines": { "Orders": { "TestCases": { "HappyPath": { "Charge": "ChargeOk" } } } },
//!   "MockedResponses": { "ChargeOk": { "0": { "Return": { "ok": true } } } } }
//! ```
//! A test case maps state names to MockedResponses names; a response maps call numbers (`"0"`, `"1-2"`) to
//! `{"Return": …}` or `{"Throw": {"Error", "Cause"}}`. Here a state's responses are read and written as its
//! *outcome sequence*: one entry (the lossless `{"Return": …}` / `{"Throw": …}` object) per call.
//!
//! Edits never change a response that another test case or state also uses: the edited state gets a copy
//! under a new name (`<Case><State>`, made unique). A response that an edit leaves unused is removed.
//! The text is written with [`json::splice`] (the writer of ASL saves), so an unedited save is byte-identical.

use super::mocks::{MockResponse, TaskMocks, call_range, expand_ranges};
use crate::json::{self, JStr, Json, LineIndex, Member, Pointer, Value};
use std::collections::BTreeMap;
use std::fmt;

/// Why a mock file cannot be read or used, and where (1-based line and column, in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MockFileError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for MockFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for MockFileError {}

/// A mock file: the text it was read from, the tree of that text, and the tree as edited.
#[derive(Clone, Debug)]
pub struct MockFile {
    source: String,
    original: Json,
    tree: Json,
}

/// What an edit asked for that cannot be done (a name that is taken, a test case that does not exist).
pub type EditError = String;

const MACHINES: &str = "StateMachines";
const CASES: &str = "TestCases";
const RESPONSES: &str = "MockedResponses";

impl MockFile {
    /// A file with no state machines and no responses (for a workflow that has no mock file yet).
    pub fn empty() -> MockFile {
        let text = "{\n  \"StateMachines\": {},\n  \"MockedResponses\": {}\n}\n";
        MockFile::parse(text).expect("the empty mock file reads")
    }

    /// Reads file contents: UTF-8 is checked (reporting where it breaks), then [`MockFile::parse`].
    pub fn from_bytes(bytes: &[u8]) -> Result<MockFile, MockFileError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => MockFile::parse(text),
            Err(e) => {
                let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                let (line, column) = LineIndex::new(good).line_col(good, good.len());
                Err(MockFileError {
                    line,
                    column,
                    message: format!(
                        "the file is not UTF-8 text (invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                })
            }
        }
    }

    /// Reads a MockConfigFile. JSON errors and a wrong shape (`StateMachines` not an object, a test case that
    /// does not map state names to response names, …) are errors with line:col; a test case whose responses
    /// cannot be used is not (see [`MockFile::problems`]): the rest of the file stays usable.
    pub fn parse(text: &str) -> Result<MockFile, MockFileError> {
        let tree = json::parse(text).map_err(|e| MockFileError {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let file = MockFile {
            source: text.to_owned(),
            original: tree.clone(),
            tree,
        };
        file.check_shape()?;
        Ok(file)
    }

    fn check_shape(&self) -> Result<(), MockFileError> {
        let root = Pointer::root();
        let Some(_) = self.tree.as_object() else {
            return Err(self.error_at(&root, "a mock file is a JSON object with \"StateMachines\""));
        };
        let machines_at = root.join(MACHINES);
        match self.tree.get(MACHINES) {
            None => {
                return Err(self.error_at(&root, "not a mock file: \"StateMachines\" is missing"));
            }
            Some(m) if m.as_object().is_none() => {
                return Err(self.error_at(&machines_at, "\"StateMachines\" must be an object"));
            }
            Some(_) => {}
        }
        for (machine, sm) in members(self.tree.get(MACHINES)) {
            let at = machines_at.join(machine);
            let cases = sm.get(CASES);
            if cases.and_then(Json::as_object).is_none() {
                let what = format!("state machine {machine:?} needs a \"TestCases\" object");
                return Err(self.error_at(&at, &what));
            }
            for (case, tc) in members(cases) {
                let at = at.join(CASES).join(case);
                let Some(states) = tc.as_object() else {
                    let what = format!("test case {case:?} must map state names to response names");
                    return Err(self.error_at(&at, &what));
                };
                for m in states {
                    if m.value.as_str().is_none() {
                        let what = format!(
                            "state {:?}: expected the name of a MockedResponses entry",
                            m.key.as_str()
                        );
                        return Err(self.error_at(&at.join(m.key.as_str()), &what));
                    }
                }
            }
        }
        if let Some(r) = self.tree.get(RESPONSES) {
            let Some(responses) = r.as_object() else {
                return Err(self.error_at(
                    &root.join(RESPONSES),
                    "\"MockedResponses\" must be an object",
                ));
            };
            for m in responses {
                if m.value.as_object().is_none() {
                    let what = format!(
                        "response {:?} must be an object of call numbers (\"0\", \"1-2\", ...)",
                        m.key.as_str()
                    );
                    return Err(self.error_at(&root.join(RESPONSES).join(m.key.as_str()), &what));
                }
            }
        }
        Ok(())
    }

    /// An error at the node `at` points to (or its nearest ancestor in the text read).
    fn error_at(&self, at: &Pointer, message: &str) -> MockFileError {
        let offset = self.tree.source_offsets(&[at])[0].unwrap_or(0);
        let (line, column) = LineIndex::new(&self.source).line_col(&self.source, offset);
        MockFileError {
            line,
            column,
            message: message.to_owned(),
        }
    }

    /// The text to save: the text read when nothing changed, else that text with only the edited nodes
    /// rewritten.
    pub fn to_text(&self) -> String {
        if !self.is_modified() {
            return self.source.clone();
        }
        json::splice(&self.source, &self.original, &self.tree)
    }

    /// Whether the file was edited since it was read or saved.
    pub fn is_modified(&self) -> bool {
        self.tree != self.original
    }

    /// Makes `text` (the result of [`MockFile::to_text`], just written) the baseline of later saves.
    pub fn mark_saved(&mut self, text: String) {
        if let Ok(tree) = json::parse(&text) {
            self.original = tree.clone();
            self.tree = tree;
            self.source = text;
        }
    }

    /// Makes the file as edited read `text` (recovered unsaved edits), keeping the text it was read from as the
    /// baseline: the file is modified, and saving it changes only what `text` changed. A `text` that is not a
    /// mock file is an error (line:col) and changes nothing.
    pub fn restore_edits(&mut self, text: &str) -> Result<(), MockFileError> {
        self.tree = MockFile::parse(text)?.tree;
        Ok(())
    }

    /// The file as a `serde_json` value, for [`TaskMocks::from_mock_config`].
    pub fn to_serde(&self) -> serde_json::Value {
        self.tree.to_serde()
    }

    /// The tree as edited.
    pub fn tree(&self) -> &Json {
        &self.tree
    }

    /// The state machine entries, in file order.
    pub fn machines(&self) -> Vec<String> {
        members(self.tree.get(MACHINES))
            .map(|(k, _)| k.to_owned())
            .collect()
    }

    /// The test cases of a state machine entry, in file order.
    pub fn test_cases(&self, machine: &str) -> Vec<String> {
        members(self.cases_of(machine))
            .map(|(k, _)| k.to_owned())
            .collect()
    }

    /// Every `(state machine, test case)` pair, in file order.
    pub fn cases(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (sm, v) in members(self.tree.get(MACHINES)) {
            for (tc, _) in members(v.get(CASES)) {
                out.push((sm.to_owned(), tc.to_owned()));
            }
        }
        out
    }

    /// The entry to use for a workflow named `stem` (its file name without `.asl.json`): the only entry, or
    /// the one named `stem`, or `stem` itself (a new entry) when neither fits.
    pub fn machine_for(&self, stem: &str) -> String {
        let machines = self.machines();
        match machines.as_slice() {
            _ if machines.iter().any(|m| m == stem) => stem.to_owned(),
            [only] => only.clone(),
            _ => stem.to_owned(),
        }
    }

    fn cases_of(&self, machine: &str) -> Option<&Json> {
        self.tree.get(MACHINES)?.get(machine)?.get(CASES)
    }

    fn case(&self, machine: &str, case: &str) -> Option<&Json> {
        self.cases_of(machine)?.get(case)
    }

    /// The mocks a test case gives the simulator (what `statewright simulate --mocks` reads).
    pub fn task_mocks(&self, machine: &str, case: &str) -> Result<TaskMocks, super::MockError> {
        TaskMocks::from_mock_config(&self.to_serde(), Some(machine), Some(case))
    }

    /// The states a test case mocks, in file order.
    pub fn mocked_states(&self, machine: &str, case: &str) -> Vec<String> {
        members(self.case(machine, case))
            .map(|(k, _)| k.to_owned())
            .collect()
    }

    /// A state's outcome sequence in a test case: one `{"Return": …}` / `{"Throw": …}` object per call, ranges
    /// (`"1-2"`) expanded. `Ok(None)` when the test case does not mock the state.
    pub fn sequence(
        &self,
        machine: &str,
        case: &str,
        state: &str,
    ) -> Result<Option<Vec<Json>>, MockFileError> {
        let case_at = Pointer::root()
            .join(MACHINES)
            .join(machine)
            .join(CASES)
            .join(case);
        let Some(tc) = self.case(machine, case) else {
            return Err(self.error_at(&case_at, &format!("no test case {case:?} for {machine:?}")));
        };
        let Some(name) = tc.get(state) else {
            return Ok(None);
        };
        let state_at = case_at.join(state);
        let name = name
            .as_str()
            .ok_or_else(|| self.error_at(&state_at, "expected a response name"))?;
        let Some(response) = self.tree.get(RESPONSES).and_then(|r| r.get(name)) else {
            let what = format!("{state:?}: no MockedResponses entry named {name:?}");
            return Err(self.error_at(&state_at, &what));
        };
        let response_at = Pointer::root().join(RESPONSES).join(name);
        let mut ranges = Vec::new();
        for (key, entry) in members(Some(response)) {
            let at = response_at.join(key);
            let (a, b) =
                call_range(key).map_err(|m| self.error_at(&at, &format!("{key:?}: {m}")))?;
            entry_response(entry)
                .map_err(|m| self.error_at(&at, &format!("response {name:?}, {key:?}: {m}")))?;
            ranges.push((a, b, entry));
        }
        let list = expand_ranges(ranges)
            .map_err(|m| self.error_at(&response_at, &format!("response {name:?}: {m}")))?;
        Ok(Some(list.into_iter().cloned().collect()))
    }

    /// What keeps test cases from being used, one message with line:col per broken state (a response name
    /// that does not exist, a response that is neither `Return` nor `Throw`, call numbers with a gap).
    pub fn problems(&self) -> Vec<(String, String, MockFileError)> {
        let mut out = Vec::new();
        for (sm, tc) in self.cases() {
            for state in self.mocked_states(&sm, &tc) {
                if let Err(e) = self.sequence(&sm, &tc, &state) {
                    out.push((sm.clone(), tc.clone(), e));
                }
            }
        }
        out
    }

    /// Where each response name is used: `(state machine, test case, state)`.
    fn uses(&self) -> BTreeMap<String, Vec<(String, String, String)>> {
        let mut out: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
        for (sm, v) in members(self.tree.get(MACHINES)) {
            for (tc, c) in members(v.get(CASES)) {
                for (state, name) in members(Some(c)) {
                    if let Some(name) = name.as_str() {
                        out.entry(name.to_owned()).or_default().push((
                            sm.to_owned(),
                            tc.to_owned(),
                            state.to_owned(),
                        ));
                    }
                }
            }
        }
        out
    }

    /// Sets a state's outcome sequence in a test case (entries as [`response_node`] makes them, or as
    /// [`MockFile::sequence`] read them). An empty sequence stops mocking the state. A response used only here
    /// is rewritten in place; one used elsewhere too is left alone and the state gets a copy with the new
    /// entries.
    pub fn set_sequence(
        &mut self,
        machine: &str,
        case: &str,
        state: &str,
        entries: &[Json],
    ) -> Result<(), EditError> {
        for (i, e) in entries.iter().enumerate() {
            entry_response(e).map_err(|m| format!("call {}: {m}", i + 1))?;
        }
        if self.case(machine, case).is_none() {
            return Err(format!("no test case {case:?} for {machine:?}"));
        }
        let current = self
            .case(machine, case)
            .and_then(|tc| tc.get(state))
            .and_then(Json::as_str)
            .map(str::to_owned);
        if let Ok(Some(now)) = self.sequence(machine, case, state)
            && now == entries
        {
            return Ok(());
        }
        let uses = self.uses();
        let only_here = |name: &str| {
            uses.get(name).is_some_and(|u| {
                u.len() == 1 && u[0] == (machine.to_owned(), case.to_owned(), state.to_owned())
            })
        };
        if entries.is_empty() {
            if let Some(tc) = self.case_mut(machine, case) {
                remove_member(tc, state);
            }
            if let Some(name) = current.filter(|n| only_here(n))
                && let Some(r) = self.tree_member_mut(RESPONSES)
            {
                remove_member(r, &name);
            }
            return Ok(());
        }
        let body = sequence_body(entries);
        let exists =
            |s: &Self, name: &str| s.tree.get(RESPONSES).and_then(|r| r.get(name)).is_some();
        match current {
            Some(name) if only_here(&name) && exists(self, &name) => {
                let r = self.responses_mut();
                set_member(r, &name, body);
            }
            _ => {
                let name = self.unique_response_name(&format!("{}{}", ident(case), ident(state)));
                set_member(self.responses_mut(), &name, body);
                let tc = self.case_mut(machine, case).expect("checked above");
                set_member(tc, state, Json::string(name.as_str()));
            }
        }
        Ok(())
    }

    /// A response name not used yet: `base`, else `base2`, `base3`, …
    fn unique_response_name(&self, base: &str) -> String {
        let base = if base.is_empty() { "Response" } else { base };
        let taken = |n: &str| self.tree.get(RESPONSES).and_then(|r| r.get(n)).is_some();
        unique(base, taken)
    }

    /// A test case name not used yet in `machine`: `base`, else `base 2`, `base 3`, …
    pub fn unique_case_name(&self, machine: &str, base: &str) -> String {
        let cases = self.test_cases(machine);
        if !cases.iter().any(|c| c == base) {
            return base.to_owned();
        }
        (2..)
            .map(|i| format!("{base} {i}"))
            .find(|n| !cases.contains(n))
            .expect("an unused name")
    }

    /// Adds an empty test case (and the state machine entry, when the file has none of that name).
    pub fn create_test_case(&mut self, machine: &str, name: &str) -> Result<(), EditError> {
        self.insert_case(machine, name, Json::object(Vec::new()))
    }

    fn insert_case(&mut self, machine: &str, name: &str, case: Json) -> Result<(), EditError> {
        if name.trim().is_empty() {
            return Err("a test case needs a name".into());
        }
        if self.case(machine, name).is_some() {
            return Err(format!("there is already a test case {name:?}"));
        }
        let machines = ensure_member(&mut self.tree, MACHINES);
        let sm = ensure_member(machines, machine);
        let cases = ensure_member(sm, CASES);
        set_member(cases, name, case);
        Ok(())
    }

    /// Renames a test case (its responses keep their names).
    pub fn rename_test_case(
        &mut self,
        machine: &str,
        from: &str,
        to: &str,
    ) -> Result<(), EditError> {
        if from == to {
            return Ok(());
        }
        if to.trim().is_empty() {
            return Err("a test case needs a name".into());
        }
        if self.case(machine, to).is_some() {
            return Err(format!("there is already a test case {to:?}"));
        }
        let cases = self
            .cases_mut(machine)
            .ok_or_else(|| format!("no test cases for {machine:?}"))?;
        let Value::Object(list) = &mut cases.value else {
            return Err(format!("no test cases for {machine:?}"));
        };
        let m = list
            .iter_mut()
            .find(|m| m.key.as_str() == from)
            .ok_or_else(|| format!("no test case {from:?}"))?;
        m.key = JStr::new(to);
        Ok(())
    }

    /// Follows a renamed state: in every test case of `machine` that mocks `old`, the key `old` becomes `new`
    /// (in place: only the key's text changes when saved; the response and its name stay). A test case that
    /// mocks `new` as well gets the two keys swapped, so that renaming back restores it exactly. Returns how
    /// many test cases changed (none when `machine` has no test cases or none mocks `old`).
    pub fn rename_state(
        &mut self,
        machine: &str,
        old: &str,
        new: &str,
    ) -> Result<usize, EditError> {
        if new.trim().is_empty() {
            return Err("a state needs a name".into());
        }
        if old == new {
            return Ok(0);
        }
        let cases: Vec<String> = members(self.cases_of(machine))
            .filter(|(_, tc)| tc.get(old).is_some())
            .map(|(name, _)| name.to_owned())
            .collect();
        for case in &cases {
            // A name the file was read with keeps its spelling (escapes included): renaming back restores it.
            let spelled = |name: &str| {
                let read = self
                    .original
                    .get(MACHINES)?
                    .get(machine)?
                    .get(CASES)?
                    .get(case);
                read.and_then(Json::as_object)?
                    .iter()
                    .find(|m| m.key.as_str() == name)
                    .map(|m| m.key.clone())
            };
            let (to_new, to_old) = (
                spelled(new).unwrap_or_else(|| JStr::new(new)),
                spelled(old).unwrap_or_else(|| JStr::new(old)),
            );
            let Some(Value::Object(states)) = self.case_mut(machine, case).map(|c| &mut c.value)
            else {
                continue;
            };
            for m in states.iter_mut() {
                if m.key.as_str() == old {
                    m.key = to_new.clone();
                } else if m.key.as_str() == new {
                    m.key = to_old.clone();
                }
            }
        }
        Ok(cases.len())
    }

    /// Copies a test case under a new name. The copy uses the same responses; editing either one later gives
    /// the edited state a response of its own.
    pub fn duplicate_test_case(
        &mut self,
        machine: &str,
        from: &str,
        to: &str,
    ) -> Result<(), EditError> {
        let case = self
            .case(machine, from)
            .ok_or_else(|| format!("no test case {from:?}"))?;
        let copy = strip_spans(case);
        self.insert_case(machine, to, copy)
    }

    /// Deletes a test case, and the responses only it used.
    pub fn delete_test_case(&mut self, machine: &str, name: &str) -> Result<(), EditError> {
        if self.case(machine, name).is_none() {
            return Err(format!("no test case {name:?}"));
        }
        let uses = self.uses();
        let orphans: Vec<String> = uses
            .iter()
            .filter(|(_, u)| u.iter().all(|(sm, tc, _)| sm == machine && tc == name))
            .map(|(n, _)| n.clone())
            .collect();
        if let Some(cases) = self.cases_mut(machine) {
            remove_member(cases, name);
        }
        if let Some(r) = self.tree_member_mut(RESPONSES) {
            for n in orphans {
                remove_member(r, &n);
            }
        }
        Ok(())
    }

    /// Adds a test case holding `mocks` (each state's responses as its outcome sequence): for answers given
    /// during a run, saved as a test case.
    pub fn add_test_case(
        &mut self,
        machine: &str,
        name: &str,
        mocks: &TaskMocks,
    ) -> Result<(), EditError> {
        self.create_test_case(machine, name)?;
        for (state, list) in &mocks.by_state {
            let entries: Vec<Json> = list.iter().map(response_node).collect();
            self.set_sequence(machine, name, state, &entries)?;
        }
        Ok(())
    }

    fn tree_member_mut(&mut self, key: &str) -> Option<&mut Json> {
        member_mut(&mut self.tree, key)
    }

    fn responses_mut(&mut self) -> &mut Json {
        ensure_member(&mut self.tree, RESPONSES)
    }

    fn cases_mut(&mut self, machine: &str) -> Option<&mut Json> {
        let sm = member_mut(member_mut(&mut self.tree, MACHINES)?, machine)?;
        member_mut(sm, CASES)
    }

    fn case_mut(&mut self, machine: &str, case: &str) -> Option<&mut Json> {
        member_mut(self.cases_mut(machine)?, case)
    }
}

/// Reads one entry of an outcome sequence (`{"Return": …}` or `{"Throw": {"Error", "Cause"}}`) as the
/// simulator does.
pub fn entry_response(entry: &Json) -> Result<MockResponse, String> {
    MockResponse::from_json(&entry.to_serde())
}

/// The entry of an outcome sequence for a response: `{"Return": value}` or `{"Throw": {"Error", "Cause"}}`
/// (with `"LatencySeconds"` when the call takes time).
pub fn response_node(r: &MockResponse) -> Json {
    let mut members = match r {
        MockResponse::Return { value, .. } => vec![Member::new("Return", Json::from_serde(value))],
        MockResponse::Throw { error, cause, .. } => {
            vec![Member::new("Throw", throw_body(error, cause.as_deref()))]
        }
    };
    if r.latency_secs() > 0.0
        && let Some(n) = json::Number::from_f64(r.latency_secs())
    {
        members.push(Member::new("LatencySeconds", Json::number(n)));
    }
    Json::object(members)
}

/// `{"Return": value}`.
pub fn return_entry(value: Json) -> Json {
    Json::object(vec![Member::new("Return", value)])
}

/// `{"Throw": {"Error": error, "Cause": cause}}` (no `Cause` when it is empty).
pub fn throw_entry(error: &str, cause: &str) -> Json {
    let cause = (!cause.is_empty()).then_some(cause);
    Json::object(vec![Member::new("Throw", throw_body(error, cause))])
}

fn throw_body(error: &str, cause: Option<&str>) -> Json {
    let mut t = vec![Member::new("Error", Json::string(error))];
    if let Some(c) = cause {
        t.push(Member::new("Cause", Json::string(c)));
    }
    Json::object(t)
}

/// `{"0": e0, "1": e1, …}`: one key per call.
fn sequence_body(entries: &[Json]) -> Json {
    Json::object(
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| Member::new(i.to_string(), strip_spans(e)))
            .collect(),
    )
}

/// A copy without source positions (a node moved elsewhere in the tree has none there).
fn strip_spans(j: &Json) -> Json {
    let value = match &j.value {
        Value::Object(ms) => Value::Object(
            ms.iter()
                .map(|m| Member::new(m.key.clone(), strip_spans(&m.value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_spans).collect()),
        v => v.clone(),
    };
    value.into()
}

/// The letters and digits of a name (response names made from test case and state names).
fn ident(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !taken(n))
        .expect("an unused name")
}

/// The members of an object node (none for anything else).
fn members(node: Option<&Json>) -> impl Iterator<Item = (&str, &Json)> {
    node.and_then(Json::as_object)
        .unwrap_or(&[])
        .iter()
        .map(|m| (m.key.as_str(), &m.value))
}

fn member_mut<'a>(node: &'a mut Json, key: &str) -> Option<&'a mut Json> {
    match &mut node.value {
        Value::Object(ms) => ms
            .iter_mut()
            .find(|m| m.key.as_str() == key)
            .map(|m| &mut m.value),
        _ => None,
    }
}

/// The member `key` of an object node, added as `{}` when missing (a node that is not an object becomes one).
fn ensure_member<'a>(node: &'a mut Json, key: &str) -> &'a mut Json {
    if node.as_object().is_none() {
        *node = Json::object(Vec::new());
    }
    let Value::Object(ms) = &mut node.value else {
        unreachable!("made an object above")
    };
    let i = match ms.iter().position(|m| m.key.as_str() == key) {
        Some(i) => i,
        None => {
            ms.push(Member::new(key, Json::object(Vec::new())));
            ms.len() - 1
        }
    };
    &mut ms[i].value
}

/// Sets the member `key` of an object node: its value replaced in place, or a new member at the end.
fn set_member(node: &mut Json, key: &str, value: Json) {
    let Value::Object(ms) = &mut node.value else {
        return;
    };
    match ms.iter_mut().find(|m| m.key.as_str() == key) {
        Some(m) => m.value = value,
        None => ms.push(Member::new(key, value)),
    }
}

fn remove_member(node: &mut Json, key: &str) {
    if let Value::Object(ms) = &mut node.value {
        ms.retain(|m| m.key.as_str() != key);
    }
}
