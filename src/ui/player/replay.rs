//! Run > Replay execution history...: a real AWS run (the JSON `aws stepfunctions get-execution-history`
//! prints) read in the background, checked against the open workflow ([`crate::replay`]) and shown in the
//! player exactly like a simulation. The events that do not fit the workflow are listed above the player
//! bar; clicking one seeks to it.

use super::{Player, RunCommand};
use crate::asl::StateMachine;
use crate::replay::{Mismatch, Replay};
use crate::trace::Trace;
use crate::trace::highlight::RunIndex;
use crate::ui::app::{App, Command};
use crate::ui::jobs::{self, Job};
use egui::RichText;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

/// The history a player shows, when it shows a replay.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayInfo {
    /// The history file.
    pub history: PathBuf,
    /// The events that do not fit the workflow.
    pub mismatches: Vec<Mismatch>,
    /// Why a `ChoiceStateExited` event has no decision (by event id).
    pub choice_notes: BTreeMap<u64, String>,
    /// The events whose time the history does not give (a placeholder): their time only orders them.
    pub untimed: BTreeSet<u64>,
    /// The mismatch messages by row of the event list (index in the trace's events), made once with the
    /// player so the list marks its rows without a search per frame.
    pub mismatch_rows: BTreeMap<usize, String>,
    /// The row of each of `mismatches`, in the same order (`None`: no event in the trace), found with
    /// `mismatch_rows` so the list above the player bar does not search the events every frame.
    pub mismatch_at: Vec<Option<usize>>,
}

/// The replay window and the read in the background.
#[derive(Default)]
pub struct ReplayState {
    pub open: bool,
    /// The history file's path as typed (or picked).
    pub path_text: String,
    /// Why the last replay could not be made.
    pub error: Option<String>,
    picking: Option<mpsc::Receiver<Option<PathBuf>>>,
    pub(super) job: Option<Job<ReplayDone>>,
}

/// A finished background replay.
pub(super) struct ReplayDone {
    doc_id: u64,
    machine: StateMachine,
    /// The document's machine version the replay was checked against (for the stale check).
    machine_version: u64,
    history: PathBuf,
    /// The replay, with what the player needs made from it here rather than on the UI thread: the run
    /// index and the mismatches' rows.
    result: Result<(Replay, Arc<RunIndex>, MismatchRows), String>,
}

/// The mismatch messages by row, and each mismatch's row (see [`mismatch_rows`]).
type MismatchRows = (BTreeMap<usize, String>, Vec<Option<usize>>);

/// Reads and replays `history` on the open workflow, in the background.
pub(super) fn start(app: &mut App, history: PathBuf, ctx: &egui::Context) {
    app.run.replay.error = None;
    let machine = app.editor.machine().clone();
    let doc_id = app.bg.doc_id;
    let machine_version = app.editor.machine_version();
    app.run.replay.job = Some(Job::spawn("Replaying the history", ctx, move |_| {
        let result = crate::replay::replay_file(&machine, &history).map(|replay| {
            let index = Arc::new(RunIndex::new(&replay.trace));
            let rows = mismatch_rows(&replay.trace, &replay.mismatches);
            (replay, index, rows)
        });
        ReplayDone {
            doc_id,
            machine,
            machine_version,
            history,
            result,
        }
    }));
}

/// Shows a finished replay in the player. Called at the start of every frame.
pub(super) fn poll(app: &mut App) {
    let Some(done) = jobs::take(&mut app.run.replay.job) else {
        return;
    };
    let done = match done {
        Ok(d) => d,
        Err(e) => {
            app.run.replay.error = Some(e);
            return;
        }
    };
    if done.doc_id != app.bg.doc_id {
        // Another document was opened meanwhile: the replay is not about it.
        return;
    }
    match done.result {
        Ok((replay, index, (mismatch_rows, mismatch_at))) => {
            let file = file_name(&done.history);
            let fit = match replay.mismatches.len() {
                0 => "fits the workflow".to_owned(),
                n => format!("{n} event(s) do not fit the workflow"),
            };
            let ran_with = format!("a replay of {file} (AWS execution history; {fit})");
            let mut player =
                Player::new(replay.trace, done.machine, done.machine_version, ran_with);
            player.anim = super::anim::Anim::new(Some(index));
            player.replay = Some(ReplayInfo {
                history: done.history,
                mismatch_rows,
                mismatch_at,
                mismatches: replay.mismatches,
                choice_notes: replay.choice_notes,
                untimed: replay.untimed,
            });
            app.run.player = Some(player);
            app.run.replay.open = false;
            app.run.replay.error = None;
            app.run.setup_open = false;
            app.canvas.fit_next_frame();
        }
        Err(e) => {
            app.run.replay.error = Some(e);
            app.run.replay.open = true;
        }
    }
}

/// The mismatch messages by index of their event in `trace` (several for one event on separate lines;
/// mismatches with no event in the trace are left out), and each mismatch's index, in order.
fn mismatch_rows(
    trace: &Trace,
    mismatches: &[Mismatch],
) -> (BTreeMap<usize, String>, Vec<Option<usize>>) {
    let index: HashMap<u64, usize> = trace
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    let mut rows: BTreeMap<usize, String> = BTreeMap::new();
    let mut at = Vec::with_capacity(mismatches.len());
    for m in mismatches {
        let i = m.event_id.and_then(|id| index.get(&id).copied());
        if let Some(i) = i {
            let text = rows.entry(i).or_default();
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&m.message);
        }
        at.push(i);
    }
    (rows, at)
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    )
}

/// The window: the history file's path (typed, or picked with Browse...), Replay, and why it failed.
pub fn replay_window(app: &mut App, ctx: &egui::Context) {
    if let Some(Some(p)) = crate::ui::files::poll_pick(&mut app.run.replay.picking) {
        app.run.replay.path_text = p.display().to_string();
    }
    if !app.run.replay.open {
        return;
    }
    let mut open = true;
    let mut go = false;
    let err_color = ctx.global_style().visuals.error_fg_color;
    egui::Window::new("Replay execution history")
        .open(&mut open)
        .default_width(520.0)
        .default_pos(egui::Pos2::new(420.0, 120.0))
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(
                    "Plays a real AWS run on this workflow: the JSON that `aws stepfunctions \
                     get-execution-history` prints (with or without --include-execution-data). Events \
                     that do not fit the workflow are listed in the player.",
                )
                .weak(),
            );
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                let label = ui.label("History file");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut app.run.replay.path_text)
                            .id_salt("replay_history_path")
                            .hint_text("history.json")
                            .desired_width(330.0),
                    )
                    .labelled_by(label.id);
                if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    go = true;
                }
                if ui
                    .add_enabled(app.picker.available(), egui::Button::new("Browse..."))
                    .on_disabled_hover_text(
                        "No native file dialog here (no display, or STATEWRIGHT_NO_NATIVE_DIALOGS is set): type the path",
                    )
                    .clicked()
                {
                    app.run.replay.picking = Some(app.picker.pick(false, ui.ctx().clone()));
                }
            });
            if let Some(j) = &app.run.replay.job {
                ui.horizontal(|ui| jobs::progress_ui(ui, j, None));
            }
            if let Some(e) = &app.run.replay.error {
                ui.colored_label(err_color, e);
            }
            let ready = !app.run.replay.path_text.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Replay"))
                .on_disabled_hover_text("Type or pick the history file first")
                .clicked()
            {
                go = true;
            }
        });
    if go && !app.run.replay.path_text.trim().is_empty() {
        let path = PathBuf::from(app.run.replay.path_text.trim());
        app.push(Command::Run(RunCommand::Replay(path)));
    }
    if !open {
        app.run.replay.open = false;
    }
}

/// Above the player bar: the events of a replay that do not fit the workflow, each a button that seeks to
/// the event.
pub(super) fn mismatches_ui(p: &Player, ui: &mut egui::Ui, cmds: &mut Vec<RunCommand>) {
    let Some(info) = &p.replay else {
        return;
    };
    if info.mismatches.is_empty() {
        return;
    }
    let warn = ui.visuals().warn_fg_color;
    ui.colored_label(
        warn,
        format!(
            "{} event(s) of {} do not fit this workflow:",
            info.mismatches.len(),
            file_name(&info.history)
        ),
    );
    egui::ScrollArea::vertical()
        .id_salt("replay_mismatches")
        .max_height(90.0)
        .show(ui, |ui| {
            for (m, &at) in info.mismatches.iter().zip(&info.mismatch_at) {
                let text = match m.event_id {
                    Some(id) => format!("Event {id}: {}", m.message),
                    None => format!("Line {}: {}", m.line, m.message),
                };
                let current = at.is_some() && at == p.cursor.index();
                let r = ui.add_enabled(at.is_some(), egui::Button::selectable(current, text));
                if r.clicked()
                    && let Some(i) = at
                {
                    cmds.push(RunCommand::Seek(Some(i)));
                }
            }
        });
}
