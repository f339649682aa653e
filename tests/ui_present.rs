//! Presentation mode and the look (theme, high contrast), driven like a person would: F11, Esc, the View menu,
//! widgets found by their accessible label.
//!
//! The appearance settings live in one file of the (per-process) config folder, so the tests that read or
//! change them take `LOCK` and start from the defaults.

use egui::{Role, Vec2};
use egui_kittest::{Harness, kittest::Queryable};
use statewright::ui::presentation::{Appearance, SETTINGS_FILE};
use statewright::ui::{App, app::Command, files, player::RunCommand};
use std::sync::{Mutex, MutexGuard};

static LOCK: Mutex<()> = Mutex::new(());

fn config_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "statewright-ui-present-tests-{}",
        std::process::id()
    ))
}

/// Takes the settings lock and removes the settings file: the app starts with the default look.
fn fresh_settings() -> MutexGuard<'static, ()> {
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let dir = config_dir();
    let _ = std::fs::create_dir_all(&dir);
    files::set_config_dir(dir.clone());
    let _ = std::fs::remove_file(dir.join(SETTINGS_FILE));
    guard
}

fn harness(app: App) -> Harness<'static, App> {
    harness_sized(app, Vec2::new(1400.0, 900.0))
}

fn harness_sized(app: App, size: Vec2) -> Harness<'static, App> {
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until the app's background work is done; fails after 30 s.
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

fn hello() -> Harness<'static, App> {
    let text = statewright::ui::example_text("hello.asl.json").expect("bundled hello example");
    harness(App::from_text(text, None))
}

fn medallion() -> Harness<'static, App> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples/medallion-glue-crawlers.asl.json");
    harness(App::open_path(&path).unwrap())
}

fn press(h: &mut Harness<'static, App>, key: egui::Key) {
    h.key_press(key);
    h.run_steps(3);
}

/// Presses `key` and returns the window's fullscreen state the app asked for in that frame, if any (kittest
/// runs one frame per queued event: the key goes down in its own frame).
fn press_for_fullscreen(h: &mut Harness<'static, App>, key: egui::Key) -> Option<bool> {
    h.key_down(key);
    h.step();
    let asked = h.output().viewport_output[&egui::ViewportId::ROOT]
        .commands
        .iter()
        .find_map(|c| match c {
            egui::ViewportCommand::Fullscreen(on) => Some(*on),
            _ => None,
        });
    h.key_up(key);
    h.run_steps(3);
    asked
}

/// Opens the View menu and clicks the entry whose label starts with `entry`.
fn view_menu(h: &mut Harness<'static, App>, entry: &str) {
    h.get_by_role_and_label(Role::Button, "View").click();
    h.run_steps(2);
    h.get_by_label_contains(entry).click();
    h.run_steps(3);
}

/// The on-screen (physical pixel) height of the widget labelled `label`.
fn pixel_height(h: &Harness<'static, App>, label: &str) -> f32 {
    h.get_by_role_and_label(Role::Button, label).rect().height() * h.ctx.pixels_per_point()
}

fn editing_panels_shown(h: &Harness<'static, App>) -> [bool; 4] {
    [
        // The palette's Task entry, the inspector's heading, the diagnostics bar, the File menu.
        h.query_by_role_and_label(Role::Button, "Task").is_some(),
        h.query_by_label("State machine").is_some(),
        h.query_by_label("Diagnostics").is_some(),
        h.query_by_role_and_label(Role::Button, "File").is_some(),
    ]
}

#[test]
fn f11_hides_the_editing_panels_scales_up_and_restores_everything_when_pressed_again() {
    let _settings = fresh_settings();
    let mut h = hello();
    assert_eq!(editing_panels_shown(&h), [true; 4]);
    let view_height = pixel_height(&h, "View");
    let node = h.state().node_screen_rect("Validate Order").unwrap();
    let palette_entry = h.get_by_role_and_label(Role::Button, "Task").rect();
    assert_eq!(h.ctx.zoom_factor(), 1.0);

    assert_eq!(press_for_fullscreen(&mut h, egui::Key::F11), Some(true));
    assert!(h.state().is_presenting());
    assert_eq!(editing_panels_shown(&h), [false; 4]);
    // The canvas stays: its states are still there, and so are the way out and the Run menu.
    assert!(
        h.query_by_role_and_label(Role::Button, "Validate Order")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Leave presentation")
            .is_some()
    );
    assert!(h.query_by_role_and_label(Role::Button, "Run").is_some());
    // Text and controls 1.5 times larger on screen.
    assert_eq!(h.ctx.zoom_factor(), 1.5);
    let ratio = pixel_height(&h, "View") / view_height;
    assert!(ratio >= 1.49, "the View menu is {ratio}x as tall");

    // The window was not fullscreen before: it goes back to a window.
    assert_eq!(press_for_fullscreen(&mut h, egui::Key::F11), Some(false));
    assert!(!h.state().is_presenting());
    assert_eq!(editing_panels_shown(&h), [true; 4]);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    assert_eq!(pixel_height(&h, "View"), view_height);
    // The canvas view and the panels' sizes are those from before.
    assert_eq!(h.state().node_screen_rect("Validate Order").unwrap(), node);
    assert_eq!(
        h.get_by_role_and_label(Role::Button, "Task").rect(),
        palette_entry
    );
}

#[test]
fn the_view_menu_enters_presentation_mode_and_esc_or_the_menu_or_the_button_leave_it() {
    let _settings = fresh_settings();
    let mut h = hello();
    view_menu(&mut h, "Presentation mode");
    assert!(h.state().is_presenting());
    assert!(h.query_by_role_and_label(Role::Button, "Task").is_none());

    press(&mut h, egui::Key::Escape);
    assert!(!h.state().is_presenting());
    assert!(h.query_by_role_and_label(Role::Button, "Task").is_some());

    view_menu(&mut h, "Presentation mode");
    assert!(h.state().is_presenting());
    view_menu(&mut h, "Presentation mode");
    assert!(!h.state().is_presenting());

    press(&mut h, egui::Key::F11);
    assert!(h.state().is_presenting());
    h.get_by_role_and_label(Role::Button, "Leave presentation")
        .click();
    h.run_steps(3);
    assert!(!h.state().is_presenting());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
}

#[test]
fn a_loaded_run_keeps_its_controls_and_details_in_presentation_mode() {
    let _settings = fresh_settings();
    let mut h = medallion();
    simulate(&mut h);
    assert!(
        h.state().run_player().is_some(),
        "the run opened the player"
    );
    assert!(h.query_by_label("Events").is_some());

    press(&mut h, egui::Key::F11);
    assert!(h.state().is_presenting());
    // The run controls and the current event's details stay; the event list makes room for the canvas.
    for control in ["Step forward", "Play", "Run again", "Stop simulation"] {
        assert!(
            h.query_by_role_and_label(Role::Button, control).is_some(),
            "{control}"
        );
    }
    assert!(h.query_by_label("Events").is_none());
    assert!(h.query_by_label_contains("Event 1 of").is_some());
    assert!(h.query_by_label("Diagnostics").is_none());
    h.get_by_role_and_label(Role::Button, "Step forward")
        .click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("Event 2 of").is_some());

    // The event list can be asked for.
    view_menu(&mut h, "Event list");
    assert!(h.query_by_label("Events").is_some());

    press(&mut h, egui::Key::F11);
    assert!(!h.state().is_presenting());
    assert!(h.query_by_label("Events").is_some());
    assert!(h.query_by_label("Diagnostics").is_some());
    assert_eq!(
        h.state().run_player().unwrap().cursor.index(),
        Some(1),
        "leaving keeps the run where it was"
    );
}

/// Run > Simulate..., the setup window's Run.
fn simulate(h: &mut Harness<'static, App>) {
    h.get_by_role_and_label(Role::Button, "Run").click();
    h.run_steps(2);
    h.get_by_label_contains("Simulate...").click();
    h.run_steps(3);
    let menu_y = h.get_by_label("Simulate").rect().top();
    h.get_all_by_role_and_label(Role::Button, "Run")
        .find(|n| n.rect().top() > menu_y)
        .expect("the setup window's Run button")
        .click();
    h.run_steps(2);
    settle(h);
}

/// The player bar's buttons (found by role and label) and its other controls (by label).
const BAR_BUTTONS: [&str; 10] = [
    "First event",
    "Step back",
    "Play",
    "Step forward",
    "Next state",
    "Last event",
    "Continue to next breakpoint",
    "Run to end",
    "Run again",
    "Stop simulation",
];

/// Every player-bar control lies inside the window (`what` names the case in the failure).
fn player_bar_inside_the_window(h: &Harness<'static, App>, what: &str) {
    let window = h.ctx.content_rect();
    let mut rects = Vec::new();
    for b in BAR_BUTTONS {
        rects.push((b, h.get_by_role_and_label(Role::Button, b).rect()));
    }
    // The speed box, the event slider (its track, value box and text) and the status.
    for label in ["Speed", "Event", "Status: SUCCEEDED"] {
        let nodes: Vec<_> = h.get_all_by_label(label).collect();
        assert!(!nodes.is_empty(), "{what}: no {label:?}");
        rects.extend(nodes.iter().map(|n| (label, n.rect())));
    }
    rects.push((
        "the event slider's value",
        h.get_by_role(Role::SpinButton).rect(),
    ));
    for (label, r) in rects {
        assert!(
            window.contains_rect(r),
            "{what}: {label:?} at {r:?} is not inside the window {window:?}"
        );
    }
    // The slider keeps a usable track.
    let track = h.get_by_role_and_label(Role::Slider, "Event").rect();
    assert!(
        track.width() >= 150.0,
        "{what}: the event slider is {} points wide",
        track.width()
    );
}

#[test]
fn the_player_bar_fits_the_window_at_every_presentation_scale() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    for size in [Vec2::new(1400.0, 900.0), Vec2::new(1920.0, 1080.0)] {
        for scale in ["1.5", "2"] {
            let _settings = fresh_settings();
            std::fs::write(
                config_dir().join(SETTINGS_FILE),
                format!("presentation_scale = {scale}\n"),
            )
            .unwrap();
            let app = App::open_path(&examples.join("fiap-extract-transform-load.asl.json"))
                .expect("the example opens");
            let mut h = harness_sized(app, size);
            simulate(&mut h);
            assert!(
                h.state().run_player().is_some(),
                "the run opened the player"
            );
            player_bar_inside_the_window(&h, &format!("{size:?}, editing"));
            press(&mut h, egui::Key::F11);
            assert!(h.state().is_presenting());
            assert_eq!(h.ctx.zoom_factor().to_string(), scale);
            player_bar_inside_the_window(&h, &format!("{size:?}, presenting at {scale}x"));
        }
    }
}

fn dark_mode(h: &Harness<'static, App>) -> bool {
    h.ctx.global_style().visuals.dark_mode
}

#[test]
fn the_theme_and_high_contrast_entries_switch_the_visuals() {
    let _settings = fresh_settings();
    let mut h = hello();
    view_menu(&mut h, "Light theme");
    assert!(!dark_mode(&h));
    view_menu(&mut h, "Dark theme");
    assert!(dark_mode(&h));
    view_menu(&mut h, "Light theme");
    assert!(!dark_mode(&h));

    assert!(!statewright::ui::high_contrast(&h.ctx));
    let normal = h.ctx.global_style().visuals.clone();
    view_menu(&mut h, "High contrast");
    assert!(statewright::ui::high_contrast(&h.ctx));
    let strong = h.ctx.global_style().visuals.clone();
    assert_eq!(
        strong.widgets.noninteractive.fg_stroke.color,
        egui::Color32::BLACK
    );
    assert!(strong.widgets.inactive.bg_stroke.width > normal.widgets.inactive.bg_stroke.width);
    view_menu(&mut h, "High contrast");
    assert!(!statewright::ui::high_contrast(&h.ctx));
    assert_eq!(h.ctx.global_style().visuals, normal);
}

#[test]
fn presenting_has_its_own_look_and_leaving_puts_the_editing_look_back() {
    let _settings = fresh_settings();
    let mut h = hello();
    view_menu(&mut h, "Dark theme");
    assert!(dark_mode(&h) && !statewright::ui::high_contrast(&h.ctx));

    // The default presentation look: light, high contrast (projectors wash out dark themes).
    press(&mut h, egui::Key::F11);
    assert!(!dark_mode(&h));
    assert!(statewright::ui::high_contrast(&h.ctx));
    // Changed while presenting: the presentation's look changes, not the editing one.
    view_menu(&mut h, "Dark theme");
    assert!(dark_mode(&h));
    view_menu(&mut h, "2x");
    assert_eq!(h.ctx.zoom_factor(), 2.0);

    press(&mut h, egui::Key::F11);
    assert!(dark_mode(&h));
    assert!(!statewright::ui::high_contrast(&h.ctx));
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    let a = h.state().appearance();
    assert_eq!(a.editing.theme, egui::ThemePreference::Dark);
    assert_eq!(a.presenting.theme, egui::ThemePreference::Dark);
    assert!(a.presenting.high_contrast && !a.editing.high_contrast);
    assert_eq!(a.scale, 2.0);

    press(&mut h, egui::Key::F11);
    assert_eq!(h.ctx.zoom_factor(), 2.0, "the 2x choice is kept");
}

#[test]
fn the_look_survives_a_restart() {
    let _settings = fresh_settings();
    {
        let mut h = hello();
        view_menu(&mut h, "Light theme");
        view_menu(&mut h, "High contrast");
        // Dropping the app waits for the settings to be written.
    }
    let text = std::fs::read_to_string(config_dir().join(SETTINGS_FILE)).unwrap();
    let (stored, problems) = Appearance::parse(&text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(stored.editing.theme, egui::ThemePreference::Light);
    assert!(stored.editing.high_contrast);

    let h = hello();
    assert_eq!(h.state().appearance(), stored);
    assert!(!dark_mode(&h));
    assert!(statewright::ui::high_contrast(&h.ctx));
}

#[test]
fn a_bad_settings_file_keeps_the_defaults_and_says_which_line() {
    let _settings = fresh_settings();
    std::fs::write(
        config_dir().join(SETTINGS_FILE),
        "theme = purple\nhigh_contrast = true\n",
    )
    .unwrap();
    let h = hello();
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.contains("appearance.txt: line 1: `purple` is not a value of `theme`"),
        "{status}"
    );
    assert_eq!(
        h.state().appearance().editing.theme,
        egui::ThemePreference::System
    );
    assert!(statewright::ui::high_contrast(&h.ctx));
}

#[test]
fn follow_system_theme_tracks_the_system() {
    let _settings = fresh_settings();
    let mut h = hello();
    view_menu(&mut h, "Dark theme");
    h.input_mut().system_theme = Some(egui::Theme::Light);
    h.run_steps(2);
    assert!(dark_mode(&h), "an explicit choice ignores the system");
    view_menu(&mut h, "Follow system theme");
    assert!(!dark_mode(&h));
    h.input_mut().system_theme = Some(egui::Theme::Dark);
    h.run_steps(2);
    assert!(dark_mode(&h));
    assert_eq!(
        h.state().appearance().editing.theme,
        egui::ThemePreference::System
    );
}

#[test]
fn entering_presentation_mode_shows_where_the_run_is() {
    let _settings = fresh_settings();
    let mut h = medallion();
    simulate(&mut h);
    // On to the first Wait of the crawler polling loop: low in the workflow, below what a fit shows at a
    // readable size in presentation mode.
    let at = {
        let trace = &h.state().run_player().unwrap().trace;
        trace
            .events
            .iter()
            .position(|e| e.is_state_entered() && e.path.state_name() == Some("Wait T0 Dimension"))
            .expect("the run waits for the crawler")
    };
    h.state_mut().push(Command::Run(RunCommand::Seek(Some(at))));
    h.run_steps(3);
    press(&mut h, egui::Key::F11);
    h.run_steps(6);
    assert!(h.state().is_presenting());
    let node = h.state().node_screen_rect("Wait T0 Dimension").unwrap();
    let canvas_bottom = h.get_by_label("Timeline").rect().top();
    let details_left = h.get_by_label_contains("Event ").rect().left();
    assert!(
        node.top() >= 0.0 && node.bottom() <= canvas_bottom && node.right() <= details_left,
        "the current state {node:?} is in view (canvas above {canvas_bottom}, left of {details_left})"
    );
}
