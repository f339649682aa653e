//! Document operations: each keeps references consistent; any sequence undone restores the exact text and
//! the pins, and redone restores the edited text and pins.

mod common;

use proptest::prelude::*;
use statewright::asl::{Document, EdgeKind, StateType};
use statewright::edit::{self, ConnectKind, Editor, Op, Scope, templates};
use statewright::json;
use statewright::layout::Point;

const HELLO: &str = include_str!("../assets/examples/hello.asl.json");

fn editor() -> Editor {
    Editor::new(Document::parse_json(HELLO).unwrap())
}

fn add(e: &mut Editor, scope: Scope, t: StateType) -> String {
    e.apply(Op::AddState {
        scope,
        template: templates::new_state(t),
        name: None,
    })
    .unwrap()
    .select
    .unwrap()
}

#[test]
fn add_gives_numbered_unique_names_and_undo_restores_text() {
    let mut e = editor();
    assert_eq!(add(&mut e, Scope::root(), StateType::Task), "Task 1");
    assert_eq!(add(&mut e, Scope::root(), StateType::Task), "Task 2");
    let p = add(&mut e, Scope::root(), StateType::Parallel);
    assert_eq!(p, "Parallel 1");
    // The nested Pass got a fresh name too.
    let names = e.machine().all_state_names();
    assert!(names.contains(&"Pass"), "{names:?}");
    let p2 = add(&mut e, Scope::root(), StateType::Parallel);
    let names: Vec<String> = e
        .machine()
        .all_state_names()
        .into_iter()
        .map(String::from)
        .collect();
    assert!(
        names.contains(&"Pass 2".to_string()),
        "{names:?} after {p2}"
    );
    assert!(e.is_dirty());
    while e.undo().is_some() {}
    assert_eq!(e.doc.to_text(), HELLO);
    assert!(!e.is_dirty());
}

#[test]
fn rename_updates_every_reference_in_nested_scopes() {
    let mut e = editor();
    e.apply(Op::Rename {
        from: "Order Failed".into(),
        to: "Rejected".into(),
    })
    .unwrap();
    let m = e.machine();
    let v = m.state("Validate Order").unwrap();
    assert_eq!(
        v.catch.as_ref().unwrap()[0].next.as_deref(),
        Some("Rejected")
    );
    assert_eq!(
        m.state("Is Valid?").unwrap().default.as_deref(),
        Some("Rejected")
    );
    e.apply(Op::Rename {
        from: "Reserve Item".into(),
        to: "Hold Item".into(),
    })
    .unwrap();
    let text = e.doc.to_text();
    assert!(text.contains("\"StartAt\": \"Hold Item\""), "{text}");
    e.apply(Op::Rename {
        from: "Validate Order".into(),
        to: "Check".into(),
    })
    .unwrap();
    assert_eq!(e.machine().start_at(), Some("Check"));
    assert_eq!(
        e.apply(Op::Rename {
            from: "Check".into(),
            to: "Notify".into()
        }),
        Err(edit::EditError::NameTaken("Notify".into()))
    );
}

#[test]
fn delete_leaves_dangling_then_undo_redo() {
    let mut e = editor();
    e.apply(Op::Delete {
        name: "Notify".into(),
    })
    .unwrap();
    assert!(e.machine().state("Notify").is_none());
    assert_eq!(
        e.machine()
            .state("Wait For Courier")
            .unwrap()
            .next
            .as_deref(),
        Some("Notify")
    );
    e.undo();
    assert_eq!(e.doc.to_text(), HELLO);
    e.redo();
    assert!(e.machine().state("Notify").is_none());
}

#[test]
fn connect_next_choice_default_and_catch() {
    let mut e = editor();
    let t = add(&mut e, Scope::root(), StateType::Task);
    e.apply(Op::Connect {
        from: t.clone(),
        to: "Done".into(),
        kind: ConnectKind::Auto,
    })
    .unwrap();
    let s = e.machine().state(&t).unwrap();
    assert_eq!((s.next.as_deref(), s.end), (Some("Done"), None));
    e.apply(Op::Connect {
        from: "Is Valid?".into(),
        to: t.clone(),
        kind: ConnectKind::Auto,
    })
    .unwrap();
    assert_eq!(
        e.machine()
            .state("Is Valid?")
            .unwrap()
            .choices
            .as_ref()
            .unwrap()
            .len(),
        2
    );
    e.apply(Op::Connect {
        from: t.clone(),
        to: "Order Failed".into(),
        kind: ConnectKind::Catch,
    })
    .unwrap();
    assert_eq!(
        e.machine().state(&t).unwrap().catch.as_ref().unwrap()[0]
            .next
            .as_deref(),
        Some("Order Failed")
    );
    let c = add(&mut e, Scope::root(), StateType::Choice);
    e.apply(Op::Connect {
        from: c.clone(),
        to: "Done".into(),
        kind: ConnectKind::Auto,
    })
    .unwrap();
    assert_eq!(
        e.machine().state(&c).unwrap().default.as_deref(),
        Some("Done")
    );
    assert_eq!(
        e.apply(Op::Connect {
            from: "Done".into(),
            to: t.clone(),
            kind: ConnectKind::Auto
        }),
        Err(edit::EditError::NotAllowed(
            "a Succeed state has no Next".into()
        ))
    );
    assert_eq!(
        e.apply(Op::Connect {
            from: "Charge Card".into(),
            to: t,
            kind: ConnectKind::Auto
        }),
        Err(edit::EditError::DifferentScopes)
    );
}

#[test]
fn insert_into_edge_and_into_a_lane() {
    let mut e = editor();
    let w = e
        .apply(Op::InsertIntoEdge {
            scope: Scope::root(),
            from: Some("Notify".into()),
            kind: EdgeKind::Next,
            template: templates::new_state(StateType::Wait),
        })
        .unwrap()
        .select
        .unwrap();
    assert_eq!(
        e.machine().state("Notify").unwrap().next.as_deref(),
        Some(w.as_str())
    );
    assert_eq!(e.machine().state(&w).unwrap().next.as_deref(), Some("Done"));
    assert_eq!(e.machine().state(&w).unwrap().end, None);
    let lane = Scope::root().child("Fulfil", 1);
    let t = add(&mut e, lane.clone(), StateType::Task);
    assert_eq!(edit::find_scope(e.machine(), &t), Some(lane));
    let body = Scope::root().child("Fulfil", 1).child("Reserve Items", 0);
    let p = add(&mut e, body.clone(), StateType::Pass);
    assert_eq!(edit::find_scope(e.machine(), &p), Some(body));
    e.apply(Op::AddBranch {
        parallel: "Fulfil".into(),
    })
    .unwrap();
    assert_eq!(
        e.machine()
            .state("Fulfil")
            .unwrap()
            .branches
            .as_ref()
            .unwrap()
            .len(),
        3
    );
    // Inserting at StartAt.
    let s = e
        .apply(Op::InsertIntoEdge {
            scope: Scope::root(),
            from: None,
            kind: EdgeKind::Next,
            template: templates::new_state(StateType::Pass),
        })
        .unwrap()
        .select
        .unwrap();
    assert_eq!(e.machine().start_at(), Some(s.as_str()));
    assert_eq!(
        e.machine().state(&s).unwrap().next.as_deref(),
        Some("Validate Order")
    );
}

#[test]
fn set_and_clear_fields_and_duplicate_paste() {
    let mut e = editor();
    let v = json::parse("42").unwrap();
    e.apply(Op::SetField {
        name: "Wait For Courier".into(),
        key: "Seconds".into(),
        value: Some(v),
    })
    .unwrap();
    assert!(e.doc.to_text().contains("\"Seconds\": 42"));
    e.apply(Op::SetField {
        name: "Validate Order".into(),
        key: "ResultSelector".into(),
        value: None,
    })
    .unwrap();
    assert!(
        e.machine()
            .state("Validate Order")
            .unwrap()
            .result_selector
            .is_none()
    );
    assert!(
        e.apply(Op::SetField {
            name: "Notify".into(),
            key: "Bogus".into(),
            value: Some(json::Json::null())
        })
        .is_err()
    );
    let d = e
        .apply(Op::Duplicate {
            name: "Fulfil".into(),
        })
        .unwrap()
        .select
        .unwrap();
    assert_eq!(d, "Fulfil 2");
    let names = e.machine().all_state_names();
    assert!(
        names.contains(&"Charge Card 2") && names.contains(&"Reserve Item 2"),
        "{names:?}"
    );
    let clip = edit::copy_states(e.machine(), &["Wait For Courier".into(), "Notify".into()]);
    let out = e
        .apply(Op::Paste {
            scope: Scope::root(),
            states: clip,
        })
        .unwrap();
    assert_eq!(out.select.as_deref(), Some("Wait For Courier 2"));
    assert_eq!(
        e.machine()
            .state("Wait For Courier 2")
            .unwrap()
            .next
            .as_deref(),
        Some("Notify 2")
    );
    assert_eq!(
        e.machine().state("Notify 2").unwrap().next.as_deref(),
        Some("Done")
    );
    // Every name is unique across the machine.
    let mut all = e.machine().all_state_names();
    let n = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), n);
}

#[test]
fn delete_many_and_duplicate_many_are_one_step_each() {
    let mut e = editor();
    let before = e.doc.to_text();
    let names: Vec<String> = vec!["Notify".into(), "Wait For Courier".into()];
    let a = e
        .apply(Op::DeleteMany {
            names: names.clone(),
        })
        .unwrap();
    assert_eq!(a.label, "Delete 2 states");
    assert!(e.machine().state("Notify").is_none());
    assert!(e.machine().state("Wait For Courier").is_none());
    e.undo().unwrap();
    assert_eq!(e.doc.to_text(), before);
    // A repeated or unknown name: repeats are ignored, an unknown name refuses the whole step.
    assert!(
        e.apply(Op::DeleteMany {
            names: vec!["Notify".into(), "Nope".into()],
        })
        .is_err()
    );
    assert_eq!(e.doc.to_text(), before);
    // A container and a state inside it: the inner one goes with the container.
    e.apply(Op::DeleteMany {
        names: vec!["Fulfil".into(), "Charge Card".into()],
    })
    .unwrap();
    assert!(edit::find_state(e.machine(), "Charge Card").is_none());
    e.undo().unwrap();
    assert_eq!(e.doc.to_text(), before);
    let a = e.apply(Op::DuplicateMany { names }).unwrap();
    assert_eq!(a.select.as_deref(), Some("Notify 2"));
    assert_eq!(a.also_select, vec!["Wait For Courier 2".to_owned()]);
    // The copy of Wait For Courier goes on to the copy of Notify (transitions among the copies follow).
    assert_eq!(
        e.machine()
            .state("Wait For Courier 2")
            .unwrap()
            .next
            .as_deref(),
        Some("Notify 2")
    );
    e.undo().unwrap();
    assert_eq!(e.doc.to_text(), before);
}

/// The documents the property test edits: the bundled example and every seed workflow (bundled copies).
fn corpus() -> Vec<String> {
    let mut out = vec![HELLO.to_owned()];
    for name in common::SEED_NAMES {
        out.push(std::fs::read_to_string(common::bundled_seed(name)).unwrap());
    }
    out
}

/// Turns random numbers into an operation on the current machine.
fn op_from(e: &Editor, (kind, a, b, c): (u8, usize, usize, usize)) -> Op {
    let names: Vec<String> = e
        .machine()
        .all_state_names()
        .into_iter()
        .map(String::from)
        .collect();
    let pick = |i: usize| {
        names
            .get(i % names.len().max(1))
            .cloned()
            .unwrap_or_default()
    };
    let ty = StateType::ALL[c % 8];
    let scope = edit::find_scope(e.machine(), &pick(b)).unwrap_or_default();
    let at = Point::new((c % 997) as f32, (b % 499) as f32);
    match kind % 17 {
        0 => Op::AddState {
            scope,
            template: templates::new_state(ty),
            name: None,
        },
        1 => Op::Delete { name: pick(a) },
        2 => Op::Rename {
            from: pick(a),
            to: format!("Renamed {c}"),
        },
        3 => Op::Connect {
            from: pick(a),
            to: pick(b),
            kind: [
                ConnectKind::Auto,
                ConnectKind::Next,
                ConnectKind::ChoiceRule,
                ConnectKind::Default,
                ConnectKind::Catch,
            ][c % 5],
        },
        4 => Op::SetEnd { name: pick(a) },
        5 => Op::InsertIntoEdge {
            scope,
            from: Some(pick(b)),
            kind: EdgeKind::Next,
            template: templates::new_state(ty),
        },
        6 => Op::AddBranch { parallel: pick(a) },
        7 => Op::SetField {
            name: pick(a),
            key: "Comment".into(),
            value: Some(json::Json::string(format!("c{c}"))),
        },
        8 => Op::SetField {
            name: pick(a),
            key: ["Comment", "Next", "End", "Parameters", "Retry"][c % 5].into(),
            value: None,
        },
        9 => Op::Duplicate { name: pick(a) },
        10 => Op::DeleteMany {
            names: vec![pick(a), pick(b), pick(c)],
        },
        11 => Op::DuplicateMany {
            names: vec![pick(a), pick(b)],
        },
        12 => Op::Paste {
            scope,
            states: edit::copy_states(e.machine(), &[pick(a), pick(b)]),
        },
        13 => Op::Pin {
            name: pick(a),
            at: Some(at),
        },
        14 => Op::Pin {
            name: pick(a),
            at: None,
        },
        15 => Op::ClearPins,
        // A palette drop: a new state, pinned where it was dropped.
        _ => {
            let name = edit::default_name(e.machine(), Some(ty), &[]);
            Op::Group(vec![
                Op::AddState {
                    scope: Scope::root(),
                    template: templates::new_state(ty),
                    name: Some(name.clone()),
                },
                Op::Pin { name, at: Some(at) },
            ])
        }
    }
}

proptest! {
    // PROPTEST_CASES=N runs more cases.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn any_edits_undone_and_redone_restore_text_and_pins(
        doc in 0usize..16,
        ops in prop::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()), 1..24),
    ) {
        let docs = corpus();
        let original = &docs[doc % docs.len()];
        let parsed = Document::parse_json(original).unwrap();
        // Start with the first two states pinned (as read from a sidecar).
        let start_pins: edit::Pins = parsed
            .machine
            .all_state_names()
            .into_iter()
            .take(2)
            .enumerate()
            .map(|(i, n)| (n.to_owned(), Point::new(10.0 * i as f32, 20.0)))
            .collect();
        let mut e = Editor::with_pins(parsed, start_pins.clone());
        for raw in ops {
            let op = op_from(&e, raw);
            let _ = e.apply(op);
            // Every intermediate document serializes to JSON that reads back to the same machine.
            let text = e.doc.to_text();
            let back = Document::parse_json(&text).unwrap();
            prop_assert_eq!(back.to_json(), e.doc.to_json());
            // Pins belong to existing states only.
            let names = e.machine().all_state_names();
            for pinned in e.pins().keys() {
                prop_assert!(names.contains(&pinned.as_str()), "pin of a missing state {}", pinned);
            }
        }
        let end_text = e.doc.to_text();
        let end_pins = e.pins().clone();
        while e.undo().is_some() {}
        prop_assert_eq!(&e.doc.to_text(), original);
        prop_assert_eq!(e.pins(), &start_pins);
        prop_assert!(!e.is_dirty());
        while e.redo().is_some() {}
        prop_assert_eq!(&e.doc.to_text(), &end_text);
        prop_assert_eq!(e.pins(), &end_pins);
        while e.undo().is_some() {}
        prop_assert_eq!(&e.doc.to_text(), original);
        prop_assert_eq!(e.pins(), &start_pins);
    }
}

#[test]
fn moves_and_pins_are_undoable_rename_carries_a_pin_delete_removes_it() {
    let mut e = editor();
    let at = Point::new(40.0, 80.0);
    e.apply(Op::Pin {
        name: "Notify".into(),
        at: Some(at),
    })
    .unwrap();
    assert_eq!(e.undo_label(), Some("Move Notify"));
    assert!(e.is_dirty(), "a move is an unsaved change");
    e.apply(Op::Rename {
        from: "Notify".into(),
        to: "Tell".into(),
    })
    .unwrap();
    assert_eq!(e.pins().get("Tell"), Some(&at));
    assert!(!e.pins().contains_key("Notify"));
    e.apply(Op::Delete {
        name: "Tell".into(),
    })
    .unwrap();
    assert!(e.pins().is_empty());
    e.undo().unwrap();
    assert_eq!(e.pins().get("Tell"), Some(&at));
    e.undo().unwrap();
    assert_eq!(e.pins().get("Notify"), Some(&at));
    e.undo().unwrap();
    assert!(e.pins().is_empty());
    assert!(!e.is_dirty());
    assert_eq!(e.doc.to_text(), HELLO);
    // Auto-layout forgets pins, as one undoable step.
    e.apply(Op::Pin {
        name: "Notify".into(),
        at: Some(at),
    })
    .unwrap();
    e.apply(Op::ClearPins).unwrap();
    assert!(e.pins().is_empty());
    assert_eq!(e.undo(), Some("Auto-layout".into()));
    assert_eq!(e.pins().get("Notify"), Some(&at));
    // Pinning a state that does not exist is refused.
    assert_eq!(
        e.apply(Op::Pin {
            name: "Nope".into(),
            at: Some(at)
        }),
        Err(edit::EditError::NoSuchState("Nope".into()))
    );
}

#[test]
fn a_dropped_state_and_its_pin_are_one_step() {
    let mut e = editor();
    let at = Point::new(300.0, 10.0);
    let a = e
        .apply(Op::Group(vec![
            Op::AddState {
                scope: Scope::root(),
                template: templates::new_state(StateType::Pass),
                name: Some("Dropped".into()),
            },
            Op::Pin {
                name: "Dropped".into(),
                at: Some(at),
            },
        ]))
        .unwrap();
    assert_eq!(a.label, "Add Dropped");
    assert_eq!(e.pins().get("Dropped"), Some(&at));
    e.undo().unwrap();
    assert!(e.pins().is_empty(), "{:?}", e.pins());
    assert_eq!(e.doc.to_text(), HELLO);
    assert_eq!(e.undo_depth(), 0);
    e.redo().unwrap();
    assert_eq!(e.pins().get("Dropped"), Some(&at));
    assert!(e.machine().state("Dropped").is_some());
}

#[test]
fn keystrokes_of_one_field_visit_are_one_step() {
    let mut e = editor();
    let set = |text: &str| Op::SetField {
        name: "Notify".into(),
        key: "Comment".into(),
        value: Some(json::Json::string(text)),
    };
    for text in ["h", "he", "hel", "hello"] {
        e.apply_in_visit(set(text), "Notify/Comment").unwrap();
    }
    assert_eq!(e.undo_depth(), 1);
    e.end_visit();
    // A second visit of the same field is a second step.
    e.apply_in_visit(set("hello!"), "Notify/Comment").unwrap();
    assert_eq!(e.undo_depth(), 2);
    e.undo().unwrap();
    assert_eq!(
        e.machine().state("Notify").unwrap().comment.as_deref(),
        Some("hello")
    );
    e.undo().unwrap();
    assert_eq!(e.doc.to_text(), HELLO);
    e.redo().unwrap();
    assert_eq!(
        e.machine().state("Notify").unwrap().comment.as_deref(),
        Some("hello")
    );
    // After an undo, typing starts a new step even in the same field.
    e.undo().unwrap();
    e.apply_in_visit(set("x"), "Notify/Comment").unwrap();
    e.apply_in_visit(set("xy"), "Notify/Comment").unwrap();
    assert_eq!(e.undo_depth(), 1);
    assert_eq!(e.redo_label(), None);
    // Saving ends the visit: the saved version stays reachable by undo.
    e.mark_saved();
    e.apply_in_visit(set("xyz"), "Notify/Comment").unwrap();
    assert_eq!(e.undo_depth(), 2);
    assert!(e.is_dirty());
    e.undo().unwrap();
    assert!(!e.is_dirty());
}
