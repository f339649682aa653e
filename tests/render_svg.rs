//! The SVG contract users' scripts rely on, checked by parsing the output for every seed workflow (and the
//! real-world corpus): one `g.state` per state with its `data-type`, its `<rect>` first, no `transform`
//! anywhere, nested states inside their container's group, edges with valid `data-from/to/kind`; one named
//! test per file (see `tests/common/gate.rs`), the bundled examples included.

mod common;

use common::gate::{self, Case, Group};
use statewright::asl::{Document, SourceFormat, StateMachine};
use statewright::layout::layout;
use statewright::render::{render_cmd, render_png, render_svg};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn load(path: &Path) -> Result<StateMachine, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    Document::from_bytes(&bytes, SourceFormat::from_path(path))
        .map(|d| d.machine)
        .map_err(|e| e.to_string())
}

fn class_is(node: roxmltree::Node, class: &str) -> bool {
    node.is_element() && node.attribute("class") == Some(class)
}

/// (name, type, parent state name) of every state, nested ones included.
fn states(m: &StateMachine, parent: Option<&str>, out: &mut Vec<(String, String, Option<String>)>) {
    for n in m.states() {
        let ty = n.state.state_type().map_or("Unknown", |t| t.name());
        out.push((n.name.to_string(), ty.to_owned(), parent.map(str::to_owned)));
        for child in n.state.child_machines() {
            states(child, Some(n.name.as_str()), out);
        }
    }
}

fn check(path: &Path, machine: &StateMachine) {
    let svg = render_svg(machine, &layout(machine));
    let doc = roxmltree::Document::parse(&svg)
        .unwrap_or_else(|e| panic!("{}: not XML: {e}", path.display()));
    let ctx = path.display();
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert!(
            node.attribute("transform").is_none(),
            "{ctx}: transform on <{}>",
            node.tag_name().name()
        );
    }
    let groups: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| class_is(*n, "state"))
        .collect();
    let mut expected = Vec::new();
    states(machine, None, &mut expected);
    assert_eq!(groups.len(), expected.len(), "{ctx}: one g.state per state");
    for (name, ty, parent) in &expected {
        let mine: Vec<_> = groups
            .iter()
            .filter(|g| g.attribute("data-state") == Some(name.as_str()))
            .collect();
        let same_name = expected.iter().filter(|e| &e.0 == name).count();
        assert_eq!(mine.len(), same_name, "{ctx}: g.state for {name}");
        let g = mine[0];
        assert_eq!(
            g.attribute("data-type"),
            Some(ty.as_str()),
            "{ctx}: data-type of {name}"
        );
        let first = g.children().find(|c| c.is_element()).unwrap();
        assert_eq!(
            first.tag_name().name(),
            "rect",
            "{ctx}: first child of {name}"
        );
        for attr in ["x", "y", "width", "height"] {
            assert!(
                first
                    .attribute(attr)
                    .is_some_and(|v| v.parse::<f32>().is_ok()),
                "{ctx}: {name} rect {attr}"
            );
        }
        let container = g.ancestors().skip(1).find(|a| class_is(*a, "state"));
        assert_eq!(
            container.and_then(|c| c.attribute("data-state")),
            parent.as_deref(),
            "{ctx}: {name} must sit inside its container's group"
        );
    }
    let names: Vec<&str> = expected.iter().map(|e| e.0.as_str()).collect();
    let mut edges = 0;
    for e in doc.descendants().filter(|n| class_is(*n, "edge")) {
        edges += 1;
        let from = e.attribute("data-from").expect("data-from");
        let to = e.attribute("data-to").expect("data-to");
        assert!(
            names.contains(&from) && names.contains(&to),
            "{ctx}: edge {from} → {to}"
        );
        let kind = e.attribute("data-kind").expect("data-kind");
        assert!(
            ["next", "default", "choice", "catch"].contains(&kind),
            "{ctx}: kind {kind}"
        );
        assert!(
            e.children()
                .any(|c| matches!(c.tag_name().name(), "path" | "polyline")),
            "{ctx}: edge {from} → {to} has no path"
        );
    }
    let resolved: usize = layout(machine).edges.len();
    assert_eq!(edges, resolved, "{ctx}: one g.edge per transition");
}

fn text_is_escaped() {
    let m = Document::parse_json(
        r#"{"StartAt":"A <&> \"B\"","States":{"A <&> \"B\"":{"Type":"Choice","Choices":[{"Variable":"$.x","StringEquals":"<&>","Next":"C"}],"Default":"C"},"C":{"Type":"Succeed"}}}"#,
    )
    .unwrap()
    .machine;
    let svg = render_svg(&m, &layout(&m));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert!(
        doc.descendants()
            .any(|n| n.attribute("data-state") == Some("A <&> \"B\""))
    );
    assert!(
        doc.descendants()
            .any(|n| n.text() == Some("$.x == \"<&>\""))
    );
}

fn render_cmd_writes_svg_and_png() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/medallion-glue-crawlers.asl.json");
    let dir = std::env::temp_dir().join(format!("statewright-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("out.svg");
    let png = dir.join("out.png");
    render_cmd(&seed, &svg, None).unwrap();
    render_cmd(&seed, &png, None).unwrap();
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
    assert_eq!(&std::fs::read(&png).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    assert!(render_cmd(&seed, &dir.join("out.txt"), None).is_err());
    assert!(render_cmd(&dir.join("missing.json"), &svg, None).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
    // Without fonts the shapes still render.
    let m = load(&seed).unwrap();
    assert!(render_png(&render_svg(&m, &layout(&m)), 0.5).is_ok());
}

/// The SVG contract on every file of a set: `<set>::<file>`.
fn contract_cases(set: &str, base: &Path, files: Vec<PathBuf>) -> Vec<Case> {
    files
        .into_iter()
        .map(|f| {
            let name = format!("{set}::{}", gate::rel_name(&f, base));
            Case::new(name, move || {
                check(&f, &load(&f)?);
                Ok(())
            })
        })
        .collect()
}

fn plain(name: &str, f: fn()) -> Case {
    Case::new(name, move || {
        f();
        Ok(())
    })
}

fn main() -> ExitCode {
    let examples = common::examples();
    let base = examples[0].parent().unwrap().to_path_buf();
    let mut cases = contract_cases("examples", &base, examples);
    cases.push(plain("text_is_escaped", text_is_escaped));
    cases.push(plain(
        "render_cmd_writes_svg_and_png",
        render_cmd_writes_svg_and_png,
    ));
    let corpus = |sub: &'static str, set: &'static str| {
        Group::new(set, move |shared| {
            let dir = shared.join(sub);
            contract_cases(set, &dir, common::asl_files(&dir))
        })
    };
    gate::main(
        "render_svg",
        cases,
        vec![
            corpus("seed-workflows", "seed"),
            corpus("corpus/real-world", "real-world"),
        ],
    )
}
