//! The left panel: the eight state types and the common Task integrations, with a filter box. Drag an
//! entry onto the canvas (free space, an edge, a Parallel lane or a Map body), or click it to add.

use super::app::{App, Command};
use super::theme;
use crate::asl::{State, StateType};
use crate::edit::templates::{self, INTEGRATIONS};
use crate::edit::{Op, Scope};

/// What a palette entry adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaletteItem {
    Type(StateType),
    /// An index into [`INTEGRATIONS`].
    Integration(usize),
}

impl PaletteItem {
    pub fn template(self) -> State {
        match self {
            PaletteItem::Type(t) => templates::new_state(t),
            PaletteItem::Integration(i) => INTEGRATIONS
                .get(i)
                .map_or_else(|| templates::new_state(StateType::Task), |x| x.state()),
        }
    }

    /// The base of the new state's name for integrations (`Invoke Lambda`); types use `Task 1`, ....
    pub fn base_name(self) -> Option<&'static str> {
        match self {
            PaletteItem::Type(_) => None,
            PaletteItem::Integration(i) => INTEGRATIONS.get(i).map(|x| x.base_name),
        }
    }
}

pub fn palette_ui(app: &mut App, ui: &mut egui::Ui) {
    ui.heading("States");
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut app.palette_filter)
                .hint_text("type to filter")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    let filter = app.palette_filter.to_lowercase();
    let matches = |s: &str| filter.is_empty() || s.to_lowercase().contains(&filter);
    egui::ScrollArea::vertical().show(ui, |ui| {
        for t in StateType::ALL {
            if matches(t.name()) {
                entry(app, ui, PaletteItem::Type(t), t.name(), theme::describe(t));
            }
        }
        ui.add_space(8.0);
        ui.label(egui::RichText::new("Task integrations").strong());
        for (i, x) in INTEGRATIONS.iter().enumerate() {
            if matches(x.label) || matches(x.resource) {
                entry(app, ui, PaletteItem::Integration(i), x.label, x.resource);
            }
        }
    });
}

fn entry(app: &mut App, ui: &mut egui::Ui, item: PaletteItem, label: &str, hover: &str) {
    let id = ui.make_persistent_id(("palette", label));
    let ty = match item {
        PaletteItem::Type(t) => t,
        PaletteItem::Integration(_) => StateType::Task,
    };
    let r = ui.dnd_drag_source(id, item, |ui| {
        ui.horizontal(|ui| {
            theme::icon_ui(ui, Some(ty), 18.0);
            let button = egui::Button::new(label).min_size(egui::vec2(ui.available_width(), 24.0));
            ui.add(button).on_hover_text(hover)
        })
        .inner
    });
    if r.inner.clicked() {
        let template = item.template();
        let name = item
            .base_name()
            .map(|b| crate::edit::unique_name(app.machine(), b, &[]));
        app.push(Command::Edit(Op::AddState {
            scope: Scope::root(),
            template,
            name,
        }));
    }
}
