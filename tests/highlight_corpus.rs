//! The run index (`trace::highlight::RunIndex`) over every AWS-recorded execution of the corpus
//! (`$STATEWRIGHT_SHARED/conformance`, one test per record, `highlight_corpus::<area>/<record>`): the record is
//! simulated, indexed, and the highlight checked at every cursor position against a walk of the trace up to
//! the cursor (`TraceCursor::visited`/`active`), which is what the player computed before the index.
//!
//! - Outside Maps the states shown visited are exactly those entered so far, the current ones are the
//!   active ones (and the current event's state), except that a failed Parallel's branches stop running
//!   with it; inside a Map (one iteration followed) the visited ones are a subset.
//! - Visit counts are the number of entries so far of the followed instance, at least 1.
//! - Every running Parallel branch belongs to a current Parallel.
//! - A run that did not succeed shows a Failed state at its end.

mod common;

use common::gate::{self, Case, Group};
use serde_json::Value;
use statewright::asl::StateMachine;
use statewright::json::Json;
use statewright::sim::{SimConfig, TaskMocks, simulate};
use statewright::trace::highlight::{Follow, Outcome, RunIndex, layout_path};
use statewright::trace::{PathSegment, Status, TraceCursor};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

fn check(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let rec: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let machine = StateMachine::from_json(&Json::from_serde(&rec["definition"]))
        .ok_or("definition is not an object")?;
    let mocks = match rec.get("mocks") {
        None | Some(Value::Null) => TaskMocks::default(),
        Some(m) => TaskMocks::from_lists(m).map_err(|e| format!("bad mocks: {e}"))?,
    };
    let config = SimConfig {
        mocks,
        ..SimConfig::default()
    };
    let input = rec.get("input").cloned().unwrap_or(Value::Null);
    let trace = simulate(&machine, input, &config);
    let ix = RunIndex::new(&trace);
    let has_map = trace.events.iter().any(|e| e.event_type.starts_with("Map"));
    let follow = Follow::new();
    let mut cursor = TraceCursor::new(&trace);
    while cursor.step_forward() {
        let at = cursor.index().unwrap_or(0);
        let hl = ix.highlight(&trace, &cursor, &follow);
        let visited: BTreeSet<Vec<String>> =
            cursor.visited(&trace).iter().map(layout_path).collect();
        if has_map {
            if !hl.visited.is_subset(&visited) {
                return Err(format!(
                    "event {at}: visited {:?} not in {visited:?}",
                    hl.visited
                ));
            }
        } else {
            if hl.visited != visited {
                return Err(format!(
                    "event {at}: visited {:?}, entered {visited:?}",
                    hl.visited
                ));
            }
            // The walk keeps a failed Parallel's branches active until the execution ends; the index ends
            // them with the Parallel's failure (AWS stops the other branches).
            let failed: Vec<&[PathSegment]> = trace.events[..=at]
                .iter()
                .filter(|e| matches!(&*e.event_type, "ParallelStateFailed" | "MapStateFailed"))
                .map(|e| &e.path.0[..])
                .collect();
            let active = cursor.active(&trace);
            for a in &active {
                let inside_failed = failed
                    .iter()
                    .any(|f| a.0.len() > f.len() && a.0.starts_with(f));
                if !inside_failed && !hl.current.contains(&layout_path(a)) {
                    return Err(format!("event {at}: {a} is active but not current"));
                }
            }
            let mut running: BTreeSet<Vec<String>> = active.iter().map(layout_path).collect();
            running.insert(layout_path(&trace.events[at].path));
            if !hl.current.is_subset(&running) {
                return Err(format!(
                    "event {at}: current {:?}, running {running:?}",
                    hl.current
                ));
            }
        }
        if hl.visits.keys().ne(hl.visited.iter()) || hl.visits.values().any(|&k| k == 0) {
            return Err(format!("event {at}: visit counts {:?}", hl.visits));
        }
        for b in &hl.branches {
            if !hl.current.contains(&b.parallel) {
                return Err(format!(
                    "event {at}: branch {b:?} of a Parallel not running"
                ));
            }
        }
    }
    let end = ix.highlight(&trace, &cursor, &follow);
    if trace.status != Status::Succeeded && !end.outcomes.values().any(|o| *o == Outcome::Failed) {
        return Err(format!(
            "the run ended {} but no state shows Failed: {:?}",
            trace.status.name(),
            end.outcomes
        ));
    }
    Ok(())
}

fn main() -> ExitCode {
    let group = Group::new("conformance", |dir| {
        let base = dir.join("conformance");
        let mut paths = Vec::new();
        files(&base, &mut paths);
        paths
            .into_iter()
            .map(|p| Case::new(gate::rel_name(&p, &base), move || check(&p)))
            .collect()
    });
    gate::main("highlight_corpus", Vec::new(), vec![group])
}
