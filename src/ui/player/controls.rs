//! The player's controls: the Run menu, its keyboard shortcuts, the stale-trace banner and the player bar
//! (step, play, speed, the event slider, the run's status).

use super::{RunCommand, status_color};
use crate::trace::describe::short_time;
use crate::ui::app::{App, Command};
use egui::RichText;

/// The play speeds offered (seconds per event).
const PLAY_INTERVALS: [f64; 5] = [1.0, 0.5, 0.25, 0.1, 0.04];

pub(super) fn speed_label(interval: f64) -> String {
    format!("{interval} s / event")
}

/// The Run menu.
pub fn run_menu_ui(app: &mut App, ui: &mut egui::Ui) {
    if ui
        .add(egui::Button::new("Simulate...").shortcut_text("Ctrl+R / F5"))
        .on_hover_text("Run the workflow with mocked task results and step through it")
        .clicked()
    {
        app.push(Command::Run(RunCommand::OpenSetup));
    }
    if ui
        .button("Replay execution history...")
        .on_hover_text(
            "Play a real AWS run (aws stepfunctions get-execution-history) on this workflow",
        )
        .clicked()
    {
        app.push(Command::Run(RunCommand::OpenReplay));
    }
    let loaded = app.run.player.is_some();
    if ui
        .add_enabled(loaded, egui::Button::new("Run again"))
        .on_disabled_hover_text("Nothing has run yet: use Simulate...")
        .clicked()
    {
        app.push(Command::Run(RunCommand::Run));
    }
    if ui
        .add_enabled(loaded, egui::Button::new("Stop simulation"))
        .on_hover_text("Leave the player and go back to editing")
        .clicked()
    {
        app.push(Command::Run(RunCommand::Stop));
    }
    ui.separator();
    if ui
        .add_enabled(
            app.selection.is_some(),
            egui::Button::new("Toggle breakpoint").shortcut_text("F9"),
        )
        .on_hover_text("Play stops when the selected state is entered")
        .on_disabled_hover_text("Select a state first")
        .clicked()
    {
        app.push(Command::Run(RunCommand::ToggleBreakpointOnSelection));
    }
    if ui
        .add_enabled(
            !app.run.breakpoints.is_empty(),
            egui::Button::new("Clear all breakpoints"),
        )
        .clicked()
    {
        app.push(Command::Run(RunCommand::ClearBreakpoints));
    }
    let movable = app.run.player.as_ref().is_some_and(|p| !p.cursor.at_end());
    if ui
        .add_enabled(
            movable,
            egui::Button::new("Continue to next breakpoint").shortcut_text("F8"),
        )
        .clicked()
    {
        app.push(Command::Run(RunCommand::ContinueToBreakpoint));
    }
    if ui
        .add_enabled(
            movable,
            egui::Button::new("Run to end").shortcut_text("Shift+F8"),
        )
        .clicked()
    {
        app.push(Command::Run(RunCommand::RunToEnd));
    }
}

/// Ctrl+R / F5 open the setup; F9 toggles the breakpoint on the selected state; with a trace loaded F8
/// continues to the next breakpoint and Shift+F8 runs to the end, and (no text field focused) ←/→ step,
/// Home/End seek, Space plays or pauses.
pub fn shortcuts(app: &mut App, ctx: &egui::Context) {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let typing = ctx.egui_wants_keyboard_input();
    let loaded = app.run.player.is_some();
    let mut cmds = Vec::new();
    ctx.input_mut(|i| {
        if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::R))
            || i.consume_key(Modifiers::NONE, Key::F5)
        {
            cmds.push(RunCommand::OpenSetup);
        }
        if i.consume_key(Modifiers::NONE, Key::F9) {
            cmds.push(RunCommand::ToggleBreakpointOnSelection);
        }
        if loaded {
            // Shift+F8 first: a plain F8 pattern also matches with Shift held.
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::SHIFT, Key::F8)) {
                cmds.push(RunCommand::RunToEnd);
            }
            if i.consume_key(Modifiers::NONE, Key::F8) {
                cmds.push(RunCommand::ContinueToBreakpoint);
            }
        }
        if loaded && !typing {
            // Shift+Right first: the plain Right pattern also matches with Shift held.
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::SHIFT, Key::ArrowRight)) {
                cmds.push(RunCommand::NextState);
            }
            for (key, c) in [
                (Key::ArrowRight, RunCommand::Forward),
                (Key::ArrowLeft, RunCommand::Back),
                (Key::Home, RunCommand::First),
                (Key::End, RunCommand::Last),
                (Key::Space, RunCommand::TogglePlay),
            ] {
                if i.consume_key(Modifiers::NONE, key) {
                    cmds.push(c);
                }
            }
        }
    });
    app.commands.extend(cmds.into_iter().map(Command::Run));
}

/// The banner above the canvas while the trace shown is stale (the workflow was edited since it ran): says
/// so and offers to run again with the same setup (input, mock file, test case, seed).
pub fn banner_ui(app: &mut App, ui: &mut egui::Ui) {
    if !app.run_is_stale() {
        return;
    }
    let ran_with = app
        .run
        .player
        .as_ref()
        .map(|p| p.ran_with.clone())
        .unwrap_or_default();
    // A replay is made again from its history file, a simulation by running again.
    let history = app
        .run
        .player
        .as_ref()
        .and_then(|p| p.replay.as_ref())
        .map(|r| r.history.clone());
    let warn = ui.visuals().warn_fg_color;
    egui::Frame::new()
        .fill(warn.gamma_multiply(0.12))
        .stroke(egui::Stroke::new(1.0, warn))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Stale run").strong().color(warn));
                ui.colored_label(
                    warn,
                    "The workflow changed since this run: the trace may not match it.",
                );
                let (label, again, hover) = match history {
                    Some(h) => (
                        "Replay again",
                        RunCommand::Replay(h),
                        "Replay the history on the edited workflow".to_owned(),
                    ),
                    None => (
                        "Run again",
                        RunCommand::Run,
                        format!("Run the edited workflow with {ran_with}"),
                    ),
                };
                if ui.button(label).on_hover_text(hover).clicked() {
                    app.push(Command::Run(again));
                }
            });
        });
}

/// Marks the canvas of a stale run: a faint wash over the view (`visible`, scene units) and a dashed
/// border in the warning colour, `zoom` screen points per scene unit.
pub fn paint_stale_canvas(painter: &egui::Painter, visible: egui::Rect, zoom: f32, dark: bool) {
    let wash = if dark {
        egui::Color32::from_black_alpha(70)
    } else {
        egui::Color32::from_white_alpha(110)
    };
    painter.rect_filled(visible, 0.0, wash);
    let warn = egui::Color32::from_rgb(0xe0, 0x8a, 0x1e);
    let r = visible.shrink(3.0 / zoom);
    let corners = [
        r.left_top(),
        r.right_top(),
        r.right_bottom(),
        r.left_bottom(),
        r.left_top(),
    ];
    painter.extend(egui::Shape::dashed_line(
        &corners,
        egui::Stroke::new(3.0 / zoom, warn),
        12.0 / zoom,
        8.0 / zoom,
    ));
}

/// The width of the event slider's track: the room left on the row once the slider's value box (up to
/// `len`'s digits) and its "Event" text are placed; at least a short track.
fn slider_width(ui: &egui::Ui, len: usize) -> f32 {
    let spacing = ui.spacing();
    let digits = len.max(1).to_string();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let text_w = |t: &str| {
        ui.fonts_mut(|f| {
            f.layout_no_wrap(t.to_owned(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
    };
    let value_w = (text_w(&digits) + 2.0 * spacing.button_padding.x).max(spacing.interact_size.x);
    let label_w = text_w("Event");
    // Slider track, value box and label are separated by the item spacing; a little slack for rounding.
    let reserved = value_w + label_w + 2.0 * spacing.item_spacing.x + 4.0;
    (ui.available_width() - reserved).max(spacing.interact_size.x)
}

/// The player controls (the bottom panel while a trace is loaded): buttons, slider, status.
pub fn player_ui(app: &mut App, ui: &mut egui::Ui) {
    let paused = super::ask::paused_status(&app.run);
    let Some(p) = app.run.player.as_mut() else {
        return;
    };
    let mut cmds: Vec<RunCommand> = Vec::new();
    // Auto-advance.
    if p.playing {
        let now = ui.input(|i| i.time);
        match p.next_tick {
            None => p.next_tick = Some(now + p.interval),
            Some(t) if now >= t => {
                // One step forward, exactly as the button does (the list and the canvas follow).
                cmds.push(RunCommand::Forward);
                p.next_tick = Some(now + p.interval);
            }
            Some(_) => {}
        }
        if let Some(t) = p.next_tick.filter(|_| p.playing) {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64((t - now).max(0.0)));
        }
    }
    let trace = &p.trace;
    let len = trace.events.len();
    // First row: the navigation buttons, then the way to run again or leave (wrapping when the window is
    // narrow or the UI scaled up, as in presentation mode).
    ui.horizontal_wrapped(|ui| {
        let at_first = p.cursor.index().is_none_or(|i| i == 0);
        let at_end = p.cursor.at_end();
        if ui
            .add_enabled(!at_first, egui::Button::new("First event"))
            .clicked()
        {
            cmds.push(RunCommand::First);
        }
        if ui
            .add_enabled(!at_first, egui::Button::new("Step back"))
            .on_hover_text("Left arrow key")
            .clicked()
        {
            cmds.push(RunCommand::Back);
        }
        let play = if p.playing { "Pause" } else { "Play" };
        if ui
            .add_enabled(p.playing || !at_end, egui::Button::new(play))
            .on_hover_text("Space")
            .clicked()
        {
            cmds.push(RunCommand::TogglePlay);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Step forward"))
            .on_hover_text("Right arrow key")
            .clicked()
        {
            cmds.push(RunCommand::Forward);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Next state"))
            .on_hover_text("Forward to the next state entered (Shift+Right arrow)")
            .clicked()
        {
            cmds.push(RunCommand::NextState);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Last event"))
            .clicked()
        {
            cmds.push(RunCommand::Last);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Continue to next breakpoint"))
            .on_hover_text("F8: forward to the next state with a breakpoint (set one with F9)")
            .clicked()
        {
            cmds.push(RunCommand::ContinueToBreakpoint);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Run to end"))
            .on_hover_text("Shift+F8: forward to the end, past every breakpoint")
            .clicked()
        {
            cmds.push(RunCommand::RunToEnd);
        }
        ui.separator();
        match p.replay.as_ref() {
            Some(r) => {
                if ui
                    .button("Replay again")
                    .on_hover_text(
                        "Read the history file again and replay it on the workflow as it is now",
                    )
                    .clicked()
                {
                    cmds.push(RunCommand::Replay(r.history.clone()));
                }
            }
            None => {
                if ui.button("Run again").clicked() {
                    cmds.push(RunCommand::Run);
                }
            }
        }
        let stop = if p.replay.is_some() {
            "Stop replay"
        } else {
            "Stop simulation"
        };
        if ui.button(stop).clicked() {
            cmds.push(RunCommand::Stop);
        }
    });
    // Second row: the play speed and the event slider, which takes the room left (never cut at the edge).
    ui.horizontal(|ui| {
        let speed = egui::ComboBox::new("play_speed", "Speed")
            .selected_text(speed_label(p.interval))
            .width(90.0)
            .show_ui(ui, |ui| {
                for v in PLAY_INTERVALS {
                    ui.selectable_value(&mut p.interval, v, speed_label(v));
                }
            });
        speed.response.on_hover_text("Play speed: time per event");
        ui.separator();
        let mut idx = p.cursor.index().unwrap_or(0);
        ui.spacing_mut().slider_width = slider_width(ui, len);
        let slider = ui.add(
            egui::Slider::new(&mut idx, 0..=len.saturating_sub(1))
                .text("Event")
                .custom_formatter(|v, _| format!("{}", v as usize + 1)),
        );
        if slider.changed() {
            cmds.push(RunCommand::Seek(Some(idx)));
        }
    });
    // Third row: the run's status and summary, wrapping.
    ui.horizontal_wrapped(|ui| {
        let status = match (&trace.error, &trace.cause) {
            (Some(e), Some(c)) => format!("Status: {} ({e}: {c})", trace.status.name()),
            (Some(e), None) => format!("Status: {} ({e})", trace.status.name()),
            _ => format!("Status: {}", trace.status.name()),
        };
        let (status, color) = match paused {
            Some(s) => (s, ui.visuals().warn_fg_color),
            None => (status, status_color(ui.ctx(), trace.status)),
        };
        ui.add(egui::Label::new(RichText::new(status).strong().color(color)).wrap());
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "{} transitions, virtual time {} to {}",
                    trace.transitions,
                    short_time(&trace.start_time),
                    short_time(&trace.end_time)
                ))
                .weak(),
            )
            .wrap(),
        );
    });
    ui.horizontal_wrapped(|ui| {
        if let Some(note) = &p.note {
            ui.label(RichText::new(note).strong().color(super::BREAKPOINT_COLOR));
        }
        ui.label(RichText::new(format!("Ran with {}", p.ran_with)).weak());
    });
    super::replay::mismatches_ui(p, ui, &mut cmds);
    app.commands.extend(cmds.into_iter().map(Command::Run));
}
