//! The player's animation state: the run index (built once per trace), the highlight cached per cursor
//! position and followed Map iteration, the tokens travelling along the transitions just taken, the pulse
//! of the current state and a Wait's virtual time passing. A frame costs O(states on screen): the trace is
//! walked once, when the index is built (in the run's background job).
//!
//! Repaints are asked for only while something moves (a token in flight, the pulse for a few seconds after
//! the cursor moved or while playing, a Wait's clock while playing): an idle player does not repaint.

use super::Player;
use crate::trace::highlight::{Follow, Outcome, RunHighlight, RunIndex};
use crate::ui::app::App;
use crate::ui::theme;
use egui::Color32;
use std::sync::Arc;

/// Seconds the current state keeps pulsing after the cursor stopped moving.
const PULSE_SECS: f64 = 3.0;
/// One pulse, seconds.
const PULSE_PERIOD: f64 = 1.2;
/// A seek further than this many events shows no tokens (it is a jump, not a step).
const MAX_STEP_EVENTS: usize = 32;
/// At most this many tokens start on one move.
const MAX_TOKENS: usize = 8;

/// A token travelling along a transition just taken.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Caught when a Catch took the transition.
    pub outcome: Outcome,
    /// When it set off and how long it travels, seconds of egui time.
    pub start: f64,
    pub duration: f64,
}

impl Token {
    /// How far along it is at `now`, 0 to 1.
    pub fn progress(&self, now: f64) -> f32 {
        ((now - self.start) / self.duration).clamp(0.0, 1.0) as f32
    }
}

/// The animation state of a [`Player`].
#[derive(Default)]
pub struct Anim {
    index: Option<Arc<RunIndex>>,
    /// The Map iterations the user picked to follow.
    follow: Follow,
    /// The highlight for `(cursor index, follow)`.
    cached: Option<(Option<usize>, Follow, Arc<RunHighlight>)>,
    /// The cursor position the last frame saw, and when it changed (egui time).
    seen: Option<Option<usize>>,
    moved_at: f64,
    tokens: Vec<Token>,
    /// egui time of the last frame.
    now: f64,
}

impl Anim {
    /// With the trace's index, when it was built already (in the run's background job).
    pub fn new(index: Option<Arc<RunIndex>>) -> Anim {
        Anim {
            index,
            ..Anim::default()
        }
    }

    /// The index, built now if the player was made without one.
    fn index(&mut self, p: &crate::trace::Trace) -> Arc<RunIndex> {
        if self
            .index
            .as_ref()
            .is_none_or(|ix| ix.len() != p.events.len())
        {
            self.index = Some(Arc::new(RunIndex::new(p)));
        }
        self.index.clone().unwrap_or_default()
    }
}

impl Player {
    /// The highlight at the cursor (cached per cursor position and followed iteration).
    pub fn highlight(&self) -> Arc<RunHighlight> {
        let a = &self.anim;
        if let Some((at, follow, hl)) = &a.cached
            && *at == self.cursor.index()
            && *follow == a.follow
        {
            return hl.clone();
        }
        let hl = match &a.index {
            Some(ix) if ix.len() == self.trace.events.len() => {
                ix.highlight(&self.trace, &self.cursor, &a.follow)
            }
            _ => RunIndex::new(&self.trace).highlight(&self.trace, &self.cursor, &a.follow),
        };
        Arc::new(hl)
    }

    /// The tokens travelling at the last frame.
    pub fn tokens(&self) -> Vec<Token> {
        let now = self.anim.now;
        self.anim
            .tokens
            .iter()
            .filter(|t| t.start + t.duration > now)
            .cloned()
            .collect()
    }

    /// The iteration followed inside the Map at `map` (its layout path) when picked; `None`: the running one.
    pub fn followed_iteration(&self, map: &[String]) -> Option<usize> {
        self.anim.follow.get(map).copied()
    }

    /// Follows iteration `iteration` (0-based) of the Map at `map`, or the running one (`None`).
    pub fn follow_iteration(&mut self, map: Vec<String>, iteration: Option<usize>) {
        match iteration {
            Some(i) => self.anim.follow.insert(map, i),
            None => self.anim.follow.remove(&map),
        };
    }
}

/// What the canvas paints over the diagram this frame: the highlight and the animation's state.
pub struct RunOverlay {
    pub hl: Arc<RunHighlight>,
    /// Tokens in flight and how far along each is.
    pub tokens: Vec<(Token, f32)>,
    /// The current state's ring strength, 0.6 to 1 (1 when not pulsing).
    pub pulse: f32,
    /// How far the player is towards the next event (0 to 1) while playing; 0 otherwise. A Wait that ends
    /// at the next event shows its virtual time passing by it.
    pub towards_next: f32,
    /// The cursor's event index.
    pub cursor: Option<usize>,
    /// Outcome colours for this theme: Succeeded, Failed, Caught, Retried.
    colors: [Color32; 4],
    /// Accent for the current state and tokens.
    pub current: Color32,
}

impl RunOverlay {
    pub fn color(&self, o: Outcome) -> Color32 {
        self.colors[match o {
            Outcome::Succeeded => 0,
            Outcome::Failed => 1,
            Outcome::Caught => 2,
            Outcome::Retried => 3,
        }]
    }
}

impl App {
    /// The canvas highlight, while a trace is loaded.
    pub fn run_highlight(&self) -> Option<Arc<RunHighlight>> {
        self.run.player.as_ref().map(Player::highlight)
    }

    /// The tokens travelling along transitions at the last frame (empty when none is moving).
    pub fn run_tokens(&self) -> Vec<Token> {
        self.run
            .player
            .as_ref()
            .map_or_else(Vec::new, Player::tokens)
    }
}

/// Advances the animation to this frame and returns what to paint, while a trace is loaded. Asks for
/// repaints only while something moves.
pub fn run_overlay(app: &mut App, ctx: &egui::Context) -> Option<RunOverlay> {
    let p = app.run.player.as_mut()?;
    let now = ctx.input(|i| i.time);
    let index = p.anim.index(&p.trace);
    let at = p.cursor.index();
    let hl = p.highlight();
    p.anim.cached = Some((at, p.anim.follow.clone(), hl.clone()));
    let a = &mut p.anim;
    a.now = now;
    if a.seen != Some(at) {
        let forward = match (a.seen.flatten(), at) {
            (old, Some(new)) if a.seen.is_some() => old.map_or(new < MAX_STEP_EVENTS, |o| {
                o < new && new - o <= MAX_STEP_EVENTS
            }),
            _ => false,
        };
        a.tokens.clear();
        if forward && let Some(new) = at {
            let duration = (p.interval * 0.85).clamp(0.03, 1.5);
            let old = a.seen.flatten();
            let mut started: Vec<Token> = index
                .transitions_between(old, new)
                .iter()
                .filter(|t| index.is_followed(&hl, t))
                .map(|t| Token {
                    from: index.state_path(t.from).clone(),
                    to: index.state_path(t.to).clone(),
                    outcome: t.outcome,
                    start: now,
                    duration,
                })
                .collect();
            let skip = started.len().saturating_sub(MAX_TOKENS);
            a.tokens.extend(started.drain(skip..));
        }
        a.seen = Some(at);
        a.moved_at = now;
    }
    a.tokens.retain(|t| t.start + t.duration > now);
    let reduced = ctx.global_style().animation_time <= 0.0;
    let pulsing =
        !reduced && (p.playing || now - a.moved_at < PULSE_SECS) && !hl.current.is_empty();
    let pulse = if pulsing {
        let s = (now * std::f64::consts::TAU / PULSE_PERIOD).sin() as f32;
        0.8 + 0.2 * s
    } else {
        1.0
    };
    let towards_next = if p.playing {
        ((now - a.moved_at) / p.interval).clamp(0.0, 1.0) as f32
    } else {
        0.0
    };
    let waiting = p.playing && !hl.waits.is_empty();
    if !a.tokens.is_empty() || pulsing || waiting {
        ctx.request_repaint();
    }
    let tokens = a
        .tokens
        .iter()
        .map(|t| (t.clone(), if reduced { 1.0 } else { t.progress(now) }))
        .collect();
    let colors = [
        Outcome::Succeeded,
        Outcome::Failed,
        Outcome::Caught,
        Outcome::Retried,
    ]
    .map(|o| theme::outcome_color(ctx, o));
    Some(RunOverlay {
        hl,
        tokens,
        pulse,
        towards_next,
        cursor: at,
        colors,
        current: super::CURRENT,
    })
}

/// The Map iteration pickers, floating at the top right of the canvas while the run shows a Map: the
/// iteration followed ("item 3 / 10"), the previous and next ones, or back to the running one.
pub fn follow_ui(app: &mut App, ui: &mut egui::Ui, viewport: egui::Rect) {
    let Some(p) = app.run.player.as_mut() else {
        return;
    };
    let hl = p.highlight();
    // Only Maps that have items to pick from.
    if hl.maps.values().all(|m| m.total == 0) {
        return;
    }
    let mut picks: Vec<(Vec<String>, Option<usize>)> = Vec::new();
    egui::Area::new(egui::Id::NULL.with("run_map_follow"))
        .order(egui::Order::Middle)
        .pivot(egui::Align2::RIGHT_TOP)
        .fixed_pos(viewport.right_top() + egui::vec2(-8.0, 8.0))
        .constrain_to(viewport)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                for (map, m) in hl.maps.iter().filter(|(_, m)| m.total > 0) {
                    let name = map.last().map_or("", String::as_str);
                    ui.horizontal(|ui| {
                        ui.label(format!("{name}:"));
                        let total = m.total.max(1);
                        let shown = m.following.map_or(0, |i| i + 1);
                        let prev = ui
                            .add_enabled(shown > 1, egui::Button::new("<"))
                            .on_hover_text("Follow the previous item");
                        prev.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                shown > 1,
                                format!("Previous item of {name}"),
                            )
                        });
                        if prev.clicked() {
                            picks.push((map.clone(), Some(shown - 2)));
                        }
                        let mut k = shown.max(1);
                        let drag = ui
                            .add(
                                egui::DragValue::new(&mut k)
                                    .range(1..=total)
                                    .prefix("item ")
                                    .suffix(format!(" / {}", m.total)),
                            )
                            .on_hover_text("The Map iteration the canvas shows (drag or type)");
                        drag.widget_info(|| {
                            let mut info = egui::WidgetInfo::drag_value(true, k as f64);
                            info.label = Some(format!("Item followed in {name}"));
                            info
                        });
                        if drag.changed() && k != shown {
                            picks.push((map.clone(), Some(k - 1)));
                        }
                        let next = ui
                            .add_enabled(shown < m.total, egui::Button::new(">"))
                            .on_hover_text("Follow the next item");
                        next.widget_info(|| {
                            egui::WidgetInfo::labeled(
                                egui::Role::Button,
                                shown < m.total,
                                format!("Next item of {name}"),
                            )
                        });
                        if next.clicked() {
                            picks.push((map.clone(), Some(shown)));
                        }
                        let mut running = !m.picked;
                        let r = ui
                            .checkbox(&mut running, "running")
                            .on_hover_text("Follow the item running at the cursor");
                        r.widget_info(|| {
                            egui::WidgetInfo::selected(
                                egui::Role::CheckBox,
                                true,
                                !m.picked,
                                format!("Follow the running item of {name}"),
                            )
                        });
                        if r.changed() {
                            picks
                                .push((map.clone(), (!running).then_some(shown.saturating_sub(1))));
                        }
                    });
                }
            });
        });
    for (map, it) in picks {
        p.follow_iteration(map, it);
    }
}
