//! File > Export with a run loaded (found by accessible label like a person would), and canvas text laid out
//! at its on-screen size at every zoom (read from the shapes the frame painted).

use egui::Vec2;
use egui_kittest::{Harness, kittest::Queryable};
use statewright::trace::highlight::Outcome;
use statewright::ui::{App, app::Command, files, player::RunCommand};
use std::path::PathBuf;

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "statewright-ui-export-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    files::set_config_dir(d.join("config"));
    d
}

fn harness(app: App) -> Harness<'static, App> {
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

fn settle(h: &mut Harness<'static, App>) {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while h.state().is_busy() {
        assert!(
            std::time::Instant::now() < until,
            "background work did not finish in 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
        h.step();
    }
    h.run_steps(2);
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

fn hex(o: Outcome) -> String {
    let [r, g, b] = o.rgb(false, false);
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[test]
fn export_svg_with_the_run_at_the_current_step() {
    let dir = temp("run");
    let path = dir.join("flow.asl.json");
    std::fs::write(&path, CAUGHT_AND_LOOPED).unwrap();
    let mut h = harness(App::open_path(&path).unwrap());
    // Without a run, File offers only the plain exports.
    h.get_by_label("File").click();
    h.run_steps(2);
    assert!(h.query_by_label("Export SVG").is_some());
    assert!(h.query_by_label("Export SVG with Run").is_none());
    h.get_by_label("File").click();
    h.run_steps(2);
    assert!(h.query_by_label("Export SVG").is_none(), "the menu closed");

    h.state_mut().push(Command::Run(RunCommand::OpenSetup));
    h.run_steps(2);
    h.state_mut().set_run_setup(r#"{"n": 0}"#, "", None);
    h.state_mut().push(Command::Run(RunCommand::Run));
    h.step();
    settle(&mut h);
    // Stop at Bump's second visit.
    let at = {
        let trace = &h.state().run_player().expect("the run is loaded").trace;
        trace
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_state_entered() && e.path.state_name() == Some("Bump"))
            .nth(1)
            .expect("Bump runs twice")
            .0
    };
    h.state_mut().push(Command::Run(RunCommand::Seek(Some(at))));
    h.run_steps(3);

    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Export SVG with Run").click();
    h.run_steps(2);
    settle(&mut h);
    let out = dir.join(format!("flow.step-{}.svg", at + 1));
    let svg = std::fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("{}: {e}; status {:?}", out.display(), h.state().status()));
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let state = |name: &str| {
        doc.descendants()
            .find(|n| {
                n.attribute("class") == Some("state") && n.attribute("data-state") == Some(name)
            })
            .unwrap_or_else(|| panic!("g.state {name}"))
    };
    let outline = |name: &str| {
        state(name)
            .children()
            .find(|c| c.attribute("class") == Some("run-outcome"))
            .and_then(|c| c.attribute("stroke"))
            .map(str::to_owned)
    };
    // The Parallel was caught, the branch's Fail failed, the rest succeeded so far.
    assert_eq!(state("P").attribute("data-outcome"), Some("caught"));
    assert_eq!(outline("P"), Some(hex(Outcome::Caught)));
    assert_eq!(state("Boom").attribute("data-outcome"), Some("failed"));
    assert_eq!(outline("Boom"), Some(hex(Outcome::Failed)));
    assert_eq!(state("Handle").attribute("data-outcome"), Some("succeeded"));
    assert_eq!(outline("Handle"), Some(hex(Outcome::Succeeded)));
    // Bump is current (entered a second time, not left yet) and ringed; Again ran twice so far.
    let bump = state("Bump");
    assert_eq!(bump.attribute("data-run"), Some("current"));
    assert_eq!(bump.attribute("data-visits"), Some("2"));
    assert!(
        bump.children()
            .any(|c| c.attribute("class") == Some("run-current"))
    );
    assert_eq!(state("Again").attribute("data-visits"), Some("2"));
    assert!(
        state("Again")
            .children()
            .any(|c| c.attribute("class") == Some("run-visits") && c.text() == Some("×2"))
    );
    // Done is not reached yet: faded, no outcome.
    let done = state("Done");
    assert_eq!(done.attribute("data-run"), Some("unvisited"));
    assert_eq!(done.attribute("data-outcome"), None);
    assert_eq!(done.attribute("opacity"), Some("0.4"));
    // The transitions taken are marked, the others not; the caption names the step.
    let edge = |from: &str, to: &str| {
        doc.descendants()
            .find(|n| {
                n.attribute("class") == Some("edge")
                    && n.attribute("data-from") == Some(from)
                    && n.attribute("data-to") == Some(to)
            })
            .unwrap_or_else(|| panic!("edge {from} -> {to}"))
    };
    assert_eq!(
        edge("Handle", "Again").attribute("data-taken"),
        Some("true")
    );
    assert_eq!(edge("Again", "Done").attribute("data-taken"), None);
    let caption = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("run-caption"))
        .and_then(|n| n.text())
        .unwrap_or_default()
        .to_owned();
    assert!(
        caption.starts_with(&format!("Run at step {} of", at + 1)),
        "{caption}"
    );

    // The same as a picture.
    h.state_mut().push(Command::ExportWithRun { png: true });
    h.step();
    settle(&mut h);
    let png = std::fs::read(dir.join(format!("flow.step-{}.png", at + 1))).unwrap();
    assert_eq!(&png[..4], b"\x89PNG", "status: {:?}", h.state().status());

    // The plain export is unchanged by the run: no run marks.
    h.state_mut().push(Command::Export { png: false });
    h.step();
    settle(&mut h);
    let plain = std::fs::read_to_string(dir.join("flow.svg")).unwrap();
    assert!(!plain.contains("data-run") && !plain.contains("run-caption"));
}

/// The font size every text shape named `text` was laid out with in the last frame.
fn painted_sizes(h: &Harness<'static, App>, text: &str) -> Vec<f32> {
    h.output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            egui::Shape::Text(t) if t.galley.text() == text => {
                Some(t.galley.job.sections[0].format.font_id.size)
            }
            _ => None,
        })
        .collect()
}

#[test]
fn canvas_text_is_laid_out_at_its_on_screen_size() {
    temp("zoom");
    let text = r#"{"StartAt": "Load", "States": {
      "Load": {"Type": "Pass", "Next": "FINISHED"},
      "FINISHED": {"Type": "Succeed"}}}"#;
    let mut h = harness(App::from_text(text, None));
    for zoom in [0.5_f32, 1.0, 2.0] {
        h.state_mut().push(Command::SetZoom(zoom));
        h.run_steps(3);
        let sizes = painted_sizes(&h, "FINISHED");
        assert_eq!(
            sizes,
            vec![statewright::layout::text::NAME_SIZE * zoom],
            "zoom {zoom}"
        );
        // On screen the galley is as wide as that size lays it out: not a stretched smaller one.
        let on_screen = h
            .output()
            .shapes
            .iter()
            .find_map(|c| match &c.shape {
                egui::Shape::Text(t) if t.galley.text() == "FINISHED" => {
                    Some(t.galley.rect.width())
                }
                _ => None,
            })
            .unwrap();
        let laid_out = h.ctx.fonts_mut(|f| {
            f.layout_no_wrap(
                "FINISHED".to_owned(),
                egui::FontId::proportional(statewright::layout::text::NAME_SIZE * zoom),
                egui::Color32::WHITE,
            )
            .rect
            .width()
        });
        assert!(
            (on_screen - laid_out).abs() < 0.01,
            "zoom {zoom}: {on_screen} vs {laid_out}"
        );
    }
    // Zoomed all the way out a name would be 1.4 points tall: a smudge, not painted.
    h.state_mut().push(Command::SetZoom(0.1));
    h.run_steps(3);
    assert!(painted_sizes(&h, "FINISHED").is_empty());
    assert!(
        h.state()
            .node_screen_rect("FINISHED")
            .is_some_and(|r| r.width() < 30.0)
    );
}
