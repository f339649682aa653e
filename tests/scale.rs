//! Issue 11 item 2, guarded without timing: the whole pipeline on a 40,000-state chain, and a validation with a
//! finding in every one of 40,000 states. With linear work this takes seconds in a debug build; each of the
//! quadratic steps this replaced (a scan of `States` per transition, a scan of `States` per state for the
//! expression rules, pairwise duplicate-key checks, a line index and a pointer walk per finding) did about
//! 40,000² = 1.6·10⁹ steps here, which takes minutes: a regression shows as a test that does not finish. The
//! layout of a chain whose states share far targets is checked by its size (route points and width).

#[path = "../benches/support/generate.rs"]
mod generate;

use statewright::asl::{Document, StateIndex};
use statewright::sim::{Record, SimConfig, simulate};
use statewright::trace::Status;
use statewright::validate::validate_document;

const N: usize = 40_000;

#[test]
fn a_40k_state_chain_validates_simulates_and_formats() {
    let text = generate::linear_chain(N);
    let doc = Document::parse_json(&text).expect("generated chain parses");
    assert_eq!(doc.machine.states().len(), N);
    assert!(!doc.is_modified());

    let diags = validate_document(&doc);
    assert!(diags.is_empty(), "{:?}", &diags[..diags.len().min(3)]);

    let config = SimConfig {
        record: Record::ResultOnly,
        max_transitions: 2 * N as u64,
        ..SimConfig::default()
    };
    let run = simulate(&doc.machine, serde_json::json!({}), &config);
    assert_eq!(run.status, Status::Succeeded, "{:?}", run.cause);
    assert_eq!(run.transitions, N as u64);
    let out = run.output.expect("output");
    assert_eq!(out["pass"]["step"], serde_json::json!(N - 4));

    // serde_json's pretty printer writes what `fmt` calls canonical: the text is already in canonical form.
    assert_eq!(doc.canonical_text(), text);
    assert_eq!(doc.to_text(), text);
}

#[test]
fn a_20k_state_chain_with_shared_targets_lays_out_in_linear_size() {
    // Every Task catches to one `Failed` at the bottom and every Choice loops back to the first state: with a
    // placeholder on every rank for each long edge this was ≈ 6,700 × 20,000 catch placeholders plus as many for
    // the loops (gigabytes, minutes); bundled round the corridor each edge has a few bends.
    const STATES: usize = 20_000;
    let text = generate::chain_with_shared_catch(STATES);
    let doc = Document::parse_json(&text).expect("generated chain parses");
    let diags = validate_document(&doc);
    assert!(diags.is_empty(), "{:?}", &diags[..diags.len().min(3)]);
    // The graph analysis walks depth first by recursion (petgraph's `depth_first_search`): 20,000 states deep
    // is more than a debug build's 2 MB test thread holds.
    let machine = doc.machine.clone();
    let l = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || statewright::layout::layout(&machine))
        .expect("thread")
        .join()
        .expect("layout");
    assert_eq!(l.nodes.len(), STATES);
    let edges = l.edges.len();
    assert!(edges > STATES + STATES / 2, "{edges} edges");
    let points: usize = l.edges.iter().map(|e| e.points.len()).sum();
    assert!(
        points <= 8 * edges,
        "{points} route points for {edges} edges"
    );
    // The long edges share two corridor lanes: the picture stays a few states wide.
    let width = l.bounds.width();
    assert!(width < 4.0 * statewright::layout::NODE_W, "{width} wide");
    let rect = |p: &Vec<String>| {
        let i: usize = p[0]
            .strip_prefix("Step ")
            .map_or(STATES - 2 + usize::from(p[0] == "Failed"), |n| {
                n.parse().expect("step number")
            });
        assert_eq!(l.nodes[i].path, *p);
        l.nodes[i].rect
    };
    let (mut to_failed, mut loops) = (0, 0);
    for e in &l.edges {
        let (first, last) = (e.points[0], e.points[e.points.len() - 1]);
        assert!(rect(&e.from).on_border(first, 0.5), "{e:?}");
        assert!(rect(&e.to).on_border(last, 0.5), "{e:?}");
        assert!(
            e.points
                .windows(2)
                .all(|w| w[0].x == w[1].x || w[0].y == w[1].y),
            "diagonal: {e:?}"
        );
        to_failed += usize::from(e.to[0] == "Failed");
        loops += usize::from(e.back_edge);
    }
    assert_eq!(to_failed, STATES.div_ceil(3) - 1);
    assert_eq!(loops, (STATES - 2) / 3);
}

#[test]
fn a_finding_in_each_of_40k_states_is_located() {
    // Every state gets an unknown field, so 40,000 findings each need their line and column.
    let text =
        generate::linear_chain(N).replace("\"Type\": ", "\"Colour\": \"blue\",\n      \"Type\": ");
    let doc = Document::parse_json(&text).expect("parses");
    let diags = validate_document(&doc);
    assert_eq!(diags.len(), N);
    let lines: Vec<&str> = text.lines().collect();
    for d in &diags {
        assert_eq!(d.code, "unknown-field");
        let (line, col) = (d.line.expect("line"), d.column.expect("column"));
        assert!(
            lines[line - 1][col - 1..].starts_with("\"Colour\""),
            "{} at {line}:{col}",
            d.pointer
        );
    }
    // In text order, one per line.
    assert!(diags.windows(2).all(|w| w[0].line < w[1].line));
}

#[test]
fn state_index_finds_every_state_and_survives_edits() {
    let mut doc = Document::parse_json(&generate::linear_chain(1_000)).expect("parses");
    let index = StateIndex::new(&doc.machine);
    for n in doc.machine.states() {
        let found = index.get(&doc.machine, &n.name).expect("indexed");
        assert!(std::ptr::eq(found, n));
    }
    assert!(index.get(&doc.machine, "no such state").is_none());
    // Built before an edit, it still answers right afterwards (by falling back to the scan).
    let states = doc.machine.states.as_mut().expect("states");
    states.0.swap(0, 1);
    states.0.retain(|n| n.name.as_str() != "Step 7");
    let first = states.0[0].name.clone();
    assert!(std::ptr::eq(
        index.get(&doc.machine, &first).expect("moved"),
        &doc.machine.states()[0]
    ));
    assert!(index.get(&doc.machine, "Step 7").is_none());
    assert_eq!(
        index.get(&doc.machine, "Step 8").map(|n| n.name.as_str()),
        Some("Step 8")
    );
}

#[test]
fn is_modified_sees_edits_anywhere() {
    let text = generate::linear_chain(50);
    let fresh = || Document::parse_json(&text).expect("parses");
    assert!(!fresh().is_modified());
    type Edit = (&'static str, fn(&mut Document));
    let edits: [Edit; 6] = [
        ("a field of one state", |d| {
            d.machine.state_mut("Step 10").expect("state").comment = Some("hi".into());
        }),
        ("a state name", |d| {
            d.machine.states.as_mut().expect("states").0[3].name = "Renamed".into();
        }),
        ("a removed state", |d| {
            d.machine.states.as_mut().expect("states").0.pop();
        }),
        ("the state order", |d| {
            d.machine.states.as_mut().expect("states").0.swap(1, 2);
        }),
        ("StartAt", |d| d.machine.start_at = Some("Step 1".into())),
        ("the comment", |d| d.machine.comment = None),
    ];
    for (what, edit) in edits {
        let mut doc = fresh();
        edit(&mut doc);
        assert!(doc.is_modified(), "{what}");
        assert_eq!(
            doc.is_modified(),
            doc.to_json() != *doc.original(),
            "{what}"
        );
        assert_ne!(doc.to_text(), text, "{what}");
    }
}
