//! Long state names in the layout and the SVG: the node widens, then the name wraps; every word is drawn
//! (one `<tspan>` per line), nothing is cut with "…" unless it is absurdly long.

use statewright::asl::Document;
use statewright::layout::text::{
    MAX_NODE_W, NAME_LINE_H, NAME_SIZE, TEXT_LEFT, TEXT_RIGHT, text_width,
};
use statewright::layout::{NODE_H, NODE_W, layout};
use statewright::render::render_svg;

const LONG: &str =
    "Check whether the Glue crawler has finished crawling every table of the raw zone";
const WIDER: &str = "Wait For The Crawler To Finish Its Run";

fn machine(names: &[&str]) -> statewright::asl::StateMachine {
    let mut states = serde_json::Map::new();
    for (i, n) in names.iter().enumerate() {
        let state = match names.get(i + 1) {
            Some(next) => serde_json::json!({"Type": "Pass", "Next": next}),
            None => serde_json::json!({"Type": "Succeed"}),
        };
        states.insert((*n).to_owned(), state);
    }
    let asl = serde_json::json!({"StartAt": names[0], "States": states});
    Document::parse_json(&asl.to_string()).unwrap().machine
}

/// The lines of the `<text class="name">` of state `name` in `svg`.
fn name_lines(svg: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let g = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("state") && n.attribute("data-state") == Some(name))
        .unwrap();
    let text = g
        .children()
        .find(|c| c.attribute("class") == Some("name"))
        .unwrap();
    text.children()
        .filter(|c| c.tag_name().name() == "tspan")
        .map(|t| t.text().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_long_name_widens_then_wraps_and_is_drawn_whole() {
    let m = machine(&["Short", WIDER, LONG]);
    let l = layout(&m);
    let node = |name: &str| l.nodes.iter().find(|n| n.name == name).unwrap();
    // A short name keeps the default box.
    assert_eq!(
        (node("Short").rect.width(), node("Short").rect.height()),
        (NODE_W, NODE_H)
    );
    // A longer one widens its node, one line.
    let wider = node(WIDER);
    assert!(wider.rect.width() > NODE_W && wider.rect.width() < MAX_NODE_W);
    assert_eq!(wider.rect.height(), NODE_H);
    assert_eq!(wider.name_lines, vec![WIDER]);
    // A very long one takes the widest node and wraps: taller by a line per extra line.
    let long = node(LONG);
    assert_eq!(long.rect.width(), MAX_NODE_W);
    assert!(long.name_lines.len() >= 2);
    assert_eq!(
        long.rect.height(),
        NODE_H + (long.name_lines.len() - 1) as f32 * NAME_LINE_H
    );
    for line in &long.name_lines {
        assert!(text_width(line, NAME_SIZE) <= MAX_NODE_W - TEXT_LEFT - TEXT_RIGHT);
    }
    // The layout keeps its shapes apart with the bigger boxes.
    for (i, a) in l.nodes.iter().enumerate() {
        for b in &l.nodes[i + 1..] {
            assert!(
                !a.rect.intersects(&b.rect),
                "{} overlaps {}",
                a.name,
                b.name
            );
        }
    }

    let svg = render_svg(&m, &l);
    assert!(!svg.contains('…'), "nothing is elided");
    assert_eq!(name_lines(&svg, LONG).join(" "), LONG);
    assert_eq!(name_lines(&svg, WIDER), vec![WIDER]);
    assert_eq!(name_lines(&svg, "Short"), vec!["Short"]);
}

#[test]
fn only_an_absurd_name_is_elided() {
    let absurd = "very long words ".repeat(40);
    let absurd = absurd.trim_end();
    let m = machine(&[absurd]);
    let l = layout(&m);
    let n = &l.nodes[0];
    assert!(n.text_elided);
    assert!(n.name_lines.last().unwrap().ends_with('…'));
    let svg = render_svg(&m, &l);
    // The full name stays in the group's data-state attribute.
    assert!(svg.contains(&format!(r#"data-state="{absurd}""#)));
}

/// A Parallel whose branch fails, caught and sent on to a loop that runs `Bump` twice.
const CAUGHT_AND_LOOPED: &str = r#"{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Branches": [{"StartAt": "Boom", "States": {
      "Boom": {"Type": "Fail", "Error": "Oops"}}}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle", "ResultPath": "$.err"}],
    "Next": "Done"},
  "Handle": {"Type": "Pass", "Next": "Again"},
  "Again": {"Type": "Choice", "Choices": [
    {"Variable": "$.n", "NumericLessThan": 2, "Next": "Bump"}], "Default": "Done"},
  "Bump": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "Again"},
  "Done": {"Type": "Succeed"}}}"#;

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "statewright-render-text-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `data-outcome` of each state group, by name.
fn outcomes(svg: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.attribute("class") == Some("state"))
        .filter_map(|n| {
            Some((
                n.attribute("data-state")?.to_owned(),
                n.attribute("data-outcome")?.to_owned(),
            ))
        })
        .collect()
}

#[test]
fn the_cli_renders_a_trace_from_simulate_at_a_step() {
    let dir = temp("cli");
    let asl = dir.join("flow.asl.json");
    let input = dir.join("input.json");
    let trace = dir.join("trace.json");
    std::fs::write(&asl, CAUGHT_AND_LOOPED).unwrap();
    std::fs::write(&input, r#"{"n": 0}"#).unwrap();
    let bin = env!("CARGO_BIN_EXE_statewright");
    let run =
        |args: &[&std::ffi::OsStr]| std::process::Command::new(bin).args(args).output().unwrap();
    let st = run(&[
        "simulate".as_ref(),
        asl.as_os_str(),
        "--input".as_ref(),
        input.as_os_str(),
        "--trace".as_ref(),
        trace.as_os_str(),
    ]);
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );

    // At the end: every state that ran has its outcome, the caption says how the run ended.
    let end = dir.join("end.svg");
    let st = run(&[
        "render".as_ref(),
        asl.as_os_str(),
        "--trace".as_ref(),
        trace.as_os_str(),
        "-o".as_ref(),
        end.as_os_str(),
    ]);
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let svg = std::fs::read_to_string(&end).unwrap();
    let o = outcomes(&svg);
    for (state, outcome) in [
        ("P", "caught"),
        ("Boom", "failed"),
        ("Handle", "succeeded"),
        ("Done", "succeeded"),
    ] {
        assert!(
            o.contains(&(state.to_owned(), outcome.to_owned())),
            "{state}: {o:?}"
        );
    }
    assert!(svg.contains("SUCCEEDED</text>"));

    // At step 3 only the first states have run.
    let early = dir.join("early.svg");
    let st = run(&[
        "render".as_ref(),
        asl.as_os_str(),
        "--trace".as_ref(),
        trace.as_os_str(),
        "--at".as_ref(),
        "3".as_ref(),
        "-o".as_ref(),
        early.as_os_str(),
    ]);
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let svg = std::fs::read_to_string(&early).unwrap();
    assert!(svg.contains("Run at step 3 of"));
    assert!(
        !outcomes(&svg)
            .iter()
            .any(|(s, _)| s == "Done" || s == "Handle")
    );

    // A step past the end and a file that is not a trace are clear errors (exit 2).
    let st = run(&[
        "render".as_ref(),
        asl.as_os_str(),
        "--trace".as_ref(),
        trace.as_os_str(),
        "--at".as_ref(),
        "9999".as_ref(),
        "-o".as_ref(),
        early.as_os_str(),
    ]);
    assert_eq!(st.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&st.stderr).contains("--at 9999"),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let st = run(&[
        "render".as_ref(),
        asl.as_os_str(),
        "--trace".as_ref(),
        asl.as_os_str(),
        "-o".as_ref(),
        early.as_os_str(),
    ]);
    assert_eq!(st.status.code(), Some(2));
    let err = String::from_utf8_lossy(&st.stderr);
    assert!(
        err.contains("flow.asl.json:") && err.contains("not a trace"),
        "{err}"
    );
}
