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
}

/// Ctrl+R / F5 open the setup; with a trace loaded (and no text field focused) ←/→ step, Home/End seek, Space
/// plays or pauses.
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
        if loaded && !typing {
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

/// The banner above the canvas while a trace is loaded.
pub fn banner_ui(app: &mut App, ui: &mut egui::Ui) {
    if !app.run_is_stale() {
        return;
    }
    // A replay is made again from its history file, a simulation by running again.
    let history = app
        .run
        .player
        .as_ref()
        .and_then(|p| p.replay.as_ref())
        .map(|r| r.history.clone());
    ui.horizontal(|ui| {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "The workflow changed since this run: the trace may not match it.",
        );
        let (label, again) = match history {
            Some(h) => ("Replay again", RunCommand::Replay(h)),
            None => ("Run again", RunCommand::Run),
        };
        if ui.button(label).clicked() {
            app.push(Command::Run(again));
        }
    });
}

/// The player controls (the bottom panel while a trace is loaded): buttons, slider, status.
pub fn player_ui(app: &mut App, ui: &mut egui::Ui) {
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
        let speed = egui::ComboBox::new("play_speed", "Speed")
            .selected_text(speed_label(p.interval))
            .width(90.0)
            .show_ui(ui, |ui| {
                for v in PLAY_INTERVALS {
                    ui.selectable_value(&mut p.interval, v, speed_label(v));
                }
            });
        speed.response.on_hover_text("Play speed: time per event");
        if ui
            .add_enabled(!at_end, egui::Button::new("Step forward"))
            .on_hover_text("Right arrow key")
            .clicked()
        {
            cmds.push(RunCommand::Forward);
        }
        if ui
            .add_enabled(!at_end, egui::Button::new("Next state"))
            .on_hover_text("Forward to the next state entered")
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
        let mut idx = p.cursor.index().unwrap_or(0);
        let slider = ui.add(
            egui::Slider::new(&mut idx, 0..=len.saturating_sub(1))
                .text("Event")
                .custom_formatter(|v, _| format!("{}", v as usize + 1)),
        );
        if slider.changed() {
            cmds.push(RunCommand::Seek(Some(idx)));
        }
        ui.separator();
        let status = match (&trace.error, &trace.cause) {
            (Some(e), Some(c)) => format!("Status: {} ({e}: {c})", trace.status.name()),
            (Some(e), None) => format!("Status: {} ({e})", trace.status.name()),
            _ => format!("Status: {}", trace.status.name()),
        };
        ui.label(
            RichText::new(status)
                .strong()
                .color(status_color(trace.status)),
        );
        ui.label(
            RichText::new(format!(
                "{} transitions, virtual time {} to {}",
                trace.transitions,
                short_time(&trace.start_time),
                short_time(&trace.end_time)
            ))
            .weak(),
        );
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
    ui.label(RichText::new(format!("Ran with {}", p.ran_with)).weak());
    super::replay::mismatches_ui(p, ui, &mut cmds);
    app.commands.extend(cmds.into_iter().map(Command::Run));
}
