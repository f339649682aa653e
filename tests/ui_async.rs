//! Nothing blocks the window, nothing is lost: simulations, saves, opens, exports and autosaves run in the
//! background while frames keep coming; a long run shows its progress and can be cancelled; autosave writes one
//! recovery file per document, also while the window is idle, and the next window offers it back.
//!
//! Background work is awaited deterministically: frames are run until the app reports no job left, with a
//! timeout.

use egui::Vec2;
use egui_kittest::{Harness, kittest::Queryable};
use statewright::edit::Op;
use statewright::recovery;
use statewright::ui::{App, app::Command, files, player::RunCommand};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn config_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statewright-ui-async-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir.clone());
    files::config_dir().expect("config dir")
}

/// A fresh folder for one test's files.
fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "statewright-ui-async-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn harness(app: App) -> Harness<'static, App> {
    config_dir();
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(Vec2::new(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(2);
    settle(&mut h);
    h
}

/// Runs frames until no background job is left; fails after 30 s.
fn settle(h: &mut Harness<'static, App>) {
    let until = Instant::now() + Duration::from_secs(30);
    while h.state().is_busy() {
        assert!(
            Instant::now() < until,
            "background work did not finish in 30 s"
        );
        std::thread::sleep(Duration::from_millis(2));
        h.step();
    }
    h.run_steps(2);
}

/// A Pass/Choice loop that counts to `n` (2 transitions per round).
fn counting_loop(n: u64) -> String {
    format!(
        r#"{{"StartAt":"Count","States":{{
 "Count":{{"Type":"Pass","Parameters":{{"i.$":"States.MathAdd($.i, 1)"}},"Next":"More?"}},
 "More?":{{"Type":"Choice","Choices":[{{"Variable":"$.i","NumericLessThan":{n},"Next":"Count"}}],"Default":"Done"}},
 "Done":{{"Type":"Succeed"}}}}}}"#
    )
}

fn write_doc(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn start_run(h: &mut Harness<'static, App>, input: &str, max_transitions: u64) {
    h.state_mut().push(Command::Run(RunCommand::OpenSetup));
    h.run_steps(2);
    h.state_mut().set_run_setup(input, "", None);
    h.state_mut().set_max_transitions(max_transitions);
    h.state_mut().push(Command::Run(RunCommand::Run));
    h.step();
}

#[test]
fn a_run_shows_its_progress_while_frames_go_on_and_then_opens_the_player() {
    let dir = temp("progress");
    // 150,000 rounds: long enough (seconds in a debug build) to be seen running.
    let path = write_doc(&dir, "count.asl.json", &counting_loop(150_000));
    let mut h = harness(App::open_path(&path).unwrap());
    start_run(&mut h, r#"{"i": 0}"#, 1_000_000);
    let frame = Instant::now();
    h.step();
    assert!(
        frame.elapsed() < Duration::from_millis(500),
        "a frame during the run took {:?}",
        frame.elapsed()
    );
    assert!(h.state().is_busy(), "the run goes on in the background");
    h.get_by_label_contains("Simulating");
    assert!(h.query_by_label("Cancel run").is_some());
    settle(&mut h);
    let p = h
        .state()
        .run_player()
        .expect("the player opens when the run is done");
    assert_eq!(p.trace.status.name(), "SUCCEEDED");
    assert_eq!(p.trace.output, Some(serde_json::json!({"i": 150_000})));
    assert!(h.query_by_label_contains("Simulating").is_none());
}

#[test]
fn cancel_stops_an_endless_run_and_leaves_no_player() {
    let dir = temp("cancel");
    let path = write_doc(
        &dir,
        "endless.asl.json",
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}"#,
    );
    let mut h = harness(App::open_path(&path).unwrap());
    start_run(&mut h, "{}", 1_000_000_000_000);
    std::thread::sleep(Duration::from_millis(200));
    h.step();
    assert!(h.state().is_busy());
    h.get_by_label("Cancel run").click();
    let asked = Instant::now();
    h.step();
    settle(&mut h);
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "stopped {:?} after Cancel",
        asked.elapsed()
    );
    assert!(h.state().run_player().is_none());
    assert_eq!(h.state().status(), Some("Run cancelled"));
    assert!(!h.state().is_dirty());
}

#[test]
fn save_runs_in_the_background_and_marks_the_document_clean() {
    let dir = temp("save");
    let path = write_doc(&dir, "count.asl.json", &counting_loop(3));
    let mut h = harness(App::open_path(&path).unwrap());
    h.state_mut().push(Command::Edit(Op::Rename {
        from: "Done".into(),
        to: "Finished".into(),
    }));
    h.run_steps(2);
    assert!(h.state().is_dirty());
    assert!(h.state().title().starts_with('*'));
    h.state_mut().push(Command::Save);
    h.step();
    settle(&mut h);
    assert!(!h.state().is_dirty(), "status: {:?}", h.state().status());
    assert!(!h.state().title().starts_with('*'));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"Finished\""), "{text}");
}

#[test]
fn a_save_of_an_older_revision_does_not_mark_newer_edits_saved() {
    let dir = temp("save-old");
    let path = write_doc(&dir, "count.asl.json", &counting_loop(3));
    let mut h = harness(App::open_path(&path).unwrap());
    h.state_mut().push(Command::Edit(Op::Rename {
        from: "Done".into(),
        to: "First".into(),
    }));
    // Save starts with the document as it is; the next edit lands while it is written.
    h.state_mut().push(Command::Save);
    h.state_mut().push(Command::Edit(Op::Rename {
        from: "First".into(),
        to: "Second".into(),
    }));
    h.step();
    settle(&mut h);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"First\"") && !text.contains("\"Second\""),
        "{text}"
    );
    assert!(h.state().is_dirty(), "the second edit is not saved");
    assert!(h.state().title().starts_with('*'));
    h.state_mut().push(Command::Save);
    h.step();
    settle(&mut h);
    assert!(!h.state().is_dirty());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"Second\"")
    );
}

#[test]
fn open_reads_in_the_background_and_replaces_the_document() {
    let dir = temp("open");
    let a = write_doc(&dir, "a.asl.json", &counting_loop(3));
    let b = write_doc(&dir, "b.asl.json", &counting_loop(5));
    let mut h = harness(App::open_path(&a).unwrap());
    h.state_mut().push(Command::Open(b.clone()));
    h.step();
    settle(&mut h);
    assert_eq!(h.state().path(), Some(b.as_path()));
    assert!(
        h.state()
            .document()
            .to_text()
            .contains("NumericLessThan\":5")
    );
    // A file that cannot be read leaves the document and says why.
    h.state_mut()
        .push(Command::Open(dir.join("missing.asl.json")));
    h.step();
    settle(&mut h);
    assert_eq!(h.state().path(), Some(b.as_path()));
    assert!(
        h.state()
            .status()
            .unwrap_or_default()
            .contains("missing.asl.json"),
        "{:?}",
        h.state().status()
    );
}

#[test]
fn export_png_is_written_in_the_background() {
    let dir = temp("export");
    let path = write_doc(&dir, "count.asl.json", &counting_loop(3));
    let mut h = harness(App::open_path(&path).unwrap());
    h.state_mut().push(Command::Export { png: true });
    h.step();
    settle(&mut h);
    let png = std::fs::read(dir.join("count.png")).unwrap();
    assert_eq!(&png[..4], b"\x89PNG", "status: {:?}", h.state().status());
}

#[test]
fn an_idle_window_autosaves_to_its_own_file_and_a_save_clears_it() {
    let config = config_dir();
    let dir = temp("autosave");
    let a = write_doc(&dir, "a.asl.json", &counting_loop(3));
    let b = write_doc(&dir, "b.asl.json", &counting_loop(3));
    let every = Duration::from_millis(1500);
    let mut ha = harness(App::open_path(&a).unwrap().with_autosave_interval(every));
    let mut hb = harness(App::open_path(&b).unwrap().with_autosave_interval(every));
    for (h, name) in [(&mut ha, "InA"), (&mut hb, "InB")] {
        h.state_mut().push(Command::Edit(Op::Rename {
            from: "Done".into(),
            to: name.into(),
        }));
        h.run_steps(3);
        // Idle: no input comes, and the window has asked to be woken up for the autosave.
        let delay = h.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        assert!(delay <= every, "asked for a repaint in {delay:?}");
    }
    std::thread::sleep(every);
    for h in [&mut ha, &mut hb] {
        h.step();
        settle(h);
    }
    let ra = recovery::for_path(&config, &a)
        .unwrap()
        .expect("a's autosave");
    let rb = recovery::for_path(&config, &b)
        .unwrap()
        .expect("b's autosave");
    assert!(ra.text.contains("\"InA\"") && !ra.text.contains("\"InB\""));
    assert!(rb.text.contains("\"InB\"") && !rb.text.contains("\"InA\""));
    assert_ne!(ra.key, rb.key);
    assert_eq!(std::fs::read_to_string(&a).unwrap(), counting_loop(3));

    ha.state_mut().push(Command::Save);
    ha.step();
    settle(&mut ha);
    assert!(recovery::for_path(&config, &a).unwrap().is_none());
    assert!(recovery::for_path(&config, &b).unwrap().is_some());
}

#[test]
fn opening_a_document_offers_its_recovered_work_and_restore_brings_it_back() {
    let config = config_dir();
    let dir = temp("offer");
    let a = write_doc(&dir, "a.asl.json", &counting_loop(3));
    let other = write_doc(&dir, "other.asl.json", &counting_loop(4));
    let recovered = counting_loop(3).replace("\"Done\"", "\"Recovered\"");
    let mut r = recovery::Recovery::new(
        recovery::key_for_path(&a),
        Some(a.clone()),
        statewright::asl::SourceFormat::Json,
        recovered,
    );
    r.writer = None; // left by a window that is gone
    recovery::write(&config, &r).unwrap();

    // Not offered for another document.
    let h = harness(App::open_path(&other).unwrap());
    assert!(h.state().recovery_offer().is_none());
    assert!(h.query_by_label("Restore").is_none());
    drop(h);

    let mut h = harness(App::open_path(&a).unwrap());
    assert!(h.state().recovery_offer().is_some());
    h.get_by_label_contains("was recovered");
    assert!(!h.state().is_dirty());
    h.get_by_label("Restore").click();
    h.run_steps(3);
    settle(&mut h);
    assert!(h.state().is_dirty());
    assert!(h.state().machine().all_state_names().contains(&"Recovered"));
    assert!(h.query_by_label("Restore").is_none());
    // Restored work is one undoable step.
    h.state_mut().push(Command::Undo);
    h.run_steps(2);
    assert!(!h.state().is_dirty());
}

#[test]
fn discard_deletes_the_recovered_work() {
    let config = config_dir();
    let dir = temp("discard");
    let a = write_doc(&dir, "a.asl.json", &counting_loop(3));
    let mut r = recovery::Recovery::new(
        recovery::key_for_path(&a),
        Some(a.clone()),
        statewright::asl::SourceFormat::Json,
        "{}".into(),
    );
    r.writer = None;
    recovery::write(&config, &r).unwrap();
    let mut h = harness(App::open_path(&a).unwrap());
    h.get_by_label("Discard").click();
    h.run_steps(2);
    assert!(h.state().recovery_offer().is_none());
    assert!(recovery::for_path(&config, &a).unwrap().is_none());
}

#[test]
fn untitled_work_is_offered_at_startup_and_restored_as_an_untitled_document() {
    let config = config_dir();
    let text = counting_loop(7).replace("\"Done\"", "\"Untitled work\"");
    let mut r = recovery::Recovery::new(
        recovery::untitled_key(),
        None,
        statewright::asl::SourceFormat::Json,
        text,
    );
    r.writer = None;
    recovery::write(&config, &r).unwrap();
    let mut h = harness(App::example().offer_untitled_recoveries());
    assert!(
        h.state()
            .recovery_offer()
            .is_some_and(|o| o.key == r.key || o.path.is_none())
    );
    // Offers are newest first; restore the one written here.
    while h.state().recovery_offer().is_some_and(|o| o.key != r.key) {
        h.get_by_label("Discard").click();
        h.run_steps(2);
    }
    h.get_by_label("Restore").click();
    h.run_steps(3);
    assert_eq!(h.state().path(), None);
    assert!(h.state().is_dirty());
    assert!(
        h.state()
            .machine()
            .all_state_names()
            .contains(&"Untitled work")
    );
}

#[test]
fn quitting_without_saving_removes_the_autosave() {
    let config = config_dir();
    let dir = temp("quit");
    let a = write_doc(&dir, "a.asl.json", &counting_loop(3));
    let every = Duration::from_millis(100);
    let mut h = harness(App::open_path(&a).unwrap().with_autosave_interval(every));
    h.state_mut().push(Command::Edit(Op::Rename {
        from: "Done".into(),
        to: "Thrown away".into(),
    }));
    h.run_steps(2);
    std::thread::sleep(every);
    h.step();
    settle(&mut h);
    assert!(recovery::for_path(&config, &a).unwrap().is_some());
    h.state_mut().push(Command::Quit);
    h.run_steps(4);
    h.get_by_label("Discard changes").click();
    h.run_steps(2);
    assert!(recovery::for_path(&config, &a).unwrap().is_none());
    assert_eq!(std::fs::read_to_string(&a).unwrap(), counting_loop(3));
}
