//! Nothing is lost: the real designer binary runs in a virtual X server (Xvfb), a person's edit is typed into it
//! with xdotool, the window autosaves while idle, the process is killed (SIGKILL, no chance to clean up), and
//! the next designer that opens the same file offers the work back.
//!
//! Needs `Xvfb` and `xdotool` (Debian: `apt-get install xvfb xdotool`). Without them the test reports itself
//! ignored with the reason, unless `STATEWRIGHT_REQUIRE_GUI_TESTS=1` (set by `.ci/run`), which makes it fail.

use egui::Vec2;
use egui_kittest::{Harness, kittest::Queryable};
use libtest_mimic::{Arguments, Completion, Failed, Trial};
use statewright::ui::{App, files};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The window's size: the real window (no window manager: placed at 0,0) and the probe harness agree.
const SIZE: Vec2 = Vec2::new(1400.0, 900.0);
/// What is typed into the machine's Comment field.
const TYPED: &str = "work that must survive 42";

fn main() {
    let args = Arguments::from_args();
    let trials = vec![Trial::ignorable_test(
        "a_killed_window_leaves_its_edit_and_the_next_one_offers_it",
        || killed_window_is_recovered().map_err(Failed::from),
    )];
    libtest_mimic::run(&args, trials).exit();
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

/// Kills (SIGKILL) and reaps a child when dropped, so a failing test leaves no process behind.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Polls `f` until it returns `Some`, for at most `secs` seconds.
fn wait_for<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> Result<T, String> {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return Ok(v);
        }
        if Instant::now() > until {
            return Err(format!("timed out after {secs} s waiting for {what}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn xdotool(display: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .map_err(|e| format!("xdotool: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A designer in a kittest harness, its background work settled.
fn harness(app: App) -> Harness<'static, App> {
    let app = app.with_picker(Box::new(files::NoPicker));
    let mut h = Harness::builder()
        .with_size(SIZE)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(4);
    settle(&mut h);
    h
}

/// Runs frames until no background job is left (at most 20 s).
fn settle(h: &mut Harness<'static, App>) {
    let until = Instant::now() + Duration::from_secs(20);
    while h.state().is_busy() {
        assert!(Instant::now() < until, "background work did not finish");
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    h.run_steps(2);
}

fn killed_window_is_recovered() -> Result<Completion, String> {
    let missing: Vec<&str> = ["Xvfb", "xdotool"]
        .into_iter()
        .filter(|t| !on_path(t))
        .collect();
    if !missing.is_empty() {
        let why = format!(
            "needs {} on PATH (Debian: apt-get install xvfb xdotool)",
            missing.join(" and ")
        );
        if std::env::var_os("STATEWRIGHT_REQUIRE_GUI_TESTS").is_some_and(|v| v == "1") {
            return Err(format!(
                "STATEWRIGHT_REQUIRE_GUI_TESTS=1 but this test {why}"
            ));
        }
        return Ok(Completion::ignored_with(why));
    }

    let dir = std::env::temp_dir().join(format!("statewright-recovery-gui-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = dir.join("config");
    std::fs::create_dir_all(&config).map_err(|e| e.to_string())?;
    files::set_config_dir(config.clone());
    let file = dir.join("order.asl.json");
    let original = "{\n  \"StartAt\": \"Only\",\n  \"States\": {\n    \"Only\": {\"Type\": \"Pass\", \"End\": true}\n  }\n}\n";
    std::fs::write(&file, original).map_err(|e| e.to_string())?;

    // Where the machine's Comment field is: the same UI code at the same size lays it out at the same place.
    let probe = harness(App::open_path(&file)?);
    let field = probe.get_by_label("Comment").rect().center();
    drop(probe);

    let (_xvfb, display) = start_xvfb()?;
    let log = dir.join("designer.log");
    let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    let mut app = Reaped(
        Command::new(env!("CARGO_BIN_EXE_statewright"))
            .arg(&file)
            .env("DISPLAY", &display)
            .env("STATEWRIGHT_CONFIG_DIR", &config)
            .env("STATEWRIGHT_AUTOSAVE_SECS", "1")
            .env("STATEWRIGHT_NO_NATIVE_DIALOGS", "1")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("could not start the designer: {e}"))?,
    );
    let mut exited = None;
    let window = wait_for(90, "the designer's window", || {
        if let Ok(Some(status)) = app.0.try_wait() {
            exited = Some(status);
            return Some(None);
        }
        xdotool(&display, &["search", "--name", "statewright"])
            .ok()
            .and_then(|s| s.lines().next().map(|w| Some(w.to_owned())))
    })?;
    let Some(window) = window else {
        return Err(format!(
            "the designer exited ({exited:?}) before its window appeared: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        ));
    };
    // Let the first frames draw before clicking.
    std::thread::sleep(Duration::from_secs(2));
    xdotool(&display, &["windowfocus", "--sync", &window])?;
    let (x, y) = (field.x.round().to_string(), field.y.round().to_string());
    xdotool(&display, &["mousemove", "--sync", &x, &y, "click", "1"])?;
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["type", "--delay", "30", TYPED])?;
    // No more input: the window is idle, and must autosave by itself.

    let recovery_file = config.join(statewright::recovery::FOLDER).join(format!(
        "{}.json",
        statewright::recovery::key_for_path(&file)
    ));
    wait_for(30, "the autosave holding the typed edit", || {
        std::fs::read_to_string(&recovery_file)
            .ok()
            .filter(|t| t.contains(TYPED))
    })?;
    let pid = app.0.id();
    drop(app); // SIGKILL, then reaped.
    let unsaved = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    if unsaved != original {
        return Err("the file itself changed: the edit was saved, not autosaved".into());
    }
    let r = statewright::recovery::for_path(&config, &file)?
        .ok_or("after the kill the recovery file is not offered for the document")?;
    if r.writer.map(|w| w.pid) != Some(pid) {
        return Err(format!(
            "the recovery was written by {:?}, not the killed designer {pid}",
            r.writer
        ));
    }

    // A new designer on the same file offers the work, and Restore brings it back as an unsaved edit.
    let mut h = harness(App::open_path(&file)?);
    h.get_by_label_contains("was recovered");
    h.get_by_label("Restore").click();
    h.run_steps(2);
    settle(&mut h);
    let comment = h
        .state()
        .document()
        .to_json()
        .get("Comment")
        .and_then(|c| c.as_str())
        .map(str::to_owned);
    if comment.as_deref() != Some(TYPED) {
        return Err(format!("restored Comment is {comment:?}, not {TYPED:?}"));
    }
    if !h.state().is_dirty() {
        return Err("the restored work should be unsaved".into());
    }
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(Completion::Completed)
}

/// Starts Xvfb on a free display; returns it (killed on drop) and the display name.
fn start_xvfb() -> Result<(Reaped, String), String> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1400x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start Xvfb: {e}"))?;
    let stdout = child.stdout.take().ok_or("no Xvfb stdout")?;
    let xvfb = Reaped(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| format!("Xvfb did not say its display: {e}"))?;
    let n: u32 = line
        .trim()
        .parse()
        .map_err(|_| format!("Xvfb printed {line:?}, not a display number"))?;
    Ok((xvfb, format!(":{n}")))
}
