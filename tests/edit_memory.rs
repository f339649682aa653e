//! Undo memory stays bounded: 500 steps on a 5,000-state workflow keep alive a small fraction of what 500
//! copies of the document would, measured by counting the bytes allocated and not freed (a counting global
//! allocator, `stats_alloc`; this file holds one test so nothing else allocates meanwhile).

#[path = "../benches/support/generate.rs"]
mod generate;

use statewright::asl::{Document, StateType};
use statewright::edit::history::MAX_UNDO_STEPS;
use statewright::edit::{Editor, Op, Scope, templates};
use statewright::json::Json;
use statewright::layout::Point;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not freed so far.
fn live() -> isize {
    let s = GLOBAL.stats();
    // (A reallocation's difference is counted in these two already.)
    s.bytes_allocated as isize - s.bytes_deallocated as isize
}

const STATES: usize = 5_000;

#[test]
fn five_hundred_steps_on_5000_states_keep_little_memory() {
    let text = generate::workflow(STATES);
    let before_doc = live();
    let doc = Document::parse_json(&text).unwrap();
    // The model alone (the document also keeps its source text and tree).
    let machine_bytes = {
        let at = live();
        let copy = doc.machine.clone();
        let bytes = live() - at;
        drop(copy);
        bytes
    };
    let doc_bytes = live() - before_doc;
    let mut e = Editor::new(doc);
    let names: Vec<String> = e
        .machine()
        .all_state_names()
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(names.len(), STATES);
    // Room for the states the steps add, so that the list's reallocation (a doubling of its 5,000 slots)
    // is not counted as undo memory.
    e.doc
        .machine
        .states
        .as_mut()
        .unwrap()
        .0
        .reserve(MAX_UNDO_STEPS);
    let start = live();
    let mut i = 0;
    while e.undo_depth() < MAX_UNDO_STEPS {
        let steps = e.undo_depth();
        let name = names[(i * 7919) % names.len()].clone();
        i += 1;
        match steps % 5 {
            // A field visit: ten keystrokes, one step.
            0 => {
                let mut text = String::new();
                for c in "keystrokes".chars() {
                    text.push(c);
                    e.apply_in_visit(
                        Op::SetField {
                            name: name.clone(),
                            key: "Comment".into(),
                            value: Some(Json::string(text.clone())),
                        },
                        &format!("{name}/Comment"),
                    )
                    .unwrap();
                }
                e.end_visit();
            }
            // A move.
            1 => {
                e.apply(Op::Pin {
                    name,
                    at: Some(Point::new(i as f32, 2.0 * i as f32)),
                })
                .unwrap();
            }
            // A palette drop.
            2 => {
                let new = format!("Dropped {i}");
                e.apply(Op::Group(vec![
                    Op::AddState {
                        scope: Scope::root(),
                        template: templates::new_state(StateType::Task),
                        name: Some(new.clone()),
                    },
                    Op::Pin {
                        name: new,
                        at: Some(Point::new(0.0, 0.0)),
                    },
                ]))
                .unwrap();
            }
            3 => {
                e.apply(Op::SetField {
                    name,
                    key: "Comment".into(),
                    value: Some(Json::string(format!("step {steps}"))),
                })
                .unwrap();
            }
            // Refused for Choice, Succeed and Fail states, a no-op for states that end already: then the
            // loop tries the next state.
            _ => {
                let _ = e.apply(Op::SetEnd { name });
            }
        }
    }
    assert_eq!(e.undo_depth(), MAX_UNDO_STEPS);
    let growth = live() - start;
    let per_step = growth / MAX_UNDO_STEPS as isize;
    eprintln!(
        "document {doc_bytes} B (machine {machine_bytes} B); {MAX_UNDO_STEPS} steps keep {growth} B ({per_step} B per step)"
    );
    // The target: under 200 MB for 500 steps at 5,000 states.
    assert!(growth < 200 << 20, "{growth} bytes");
    // And far below copies: a step keeps what it changed, not the machine (whole copies would be
    // `machine_bytes` per step): under 0.1% of it.
    assert!(
        per_step * 1000 < machine_bytes as isize,
        "{per_step} bytes per step against a {machine_bytes}-byte machine"
    );
    // Undoing everything returns to the generated text.
    while e.undo().is_some() {}
    assert_eq!(e.doc.to_text(), text);
}
