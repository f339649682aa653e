//! The designer's keyboard shortcuts (the player's are in `player`).

use super::{App, Command, ZOOM_STEP};

impl App {
    pub(super) fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let typing = ctx.egui_wants_keyboard_input();
        let mut cmds = Vec::new();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
            )) || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
            {
                cmds.push(Command::Redo);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                cmds.push(Command::Undo);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::S,
            )) {
                cmds.push(Command::SaveAs(None));
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::S)) {
                cmds.push(Command::Save);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                cmds.push(Command::OpenDialog);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::N)) {
                cmds.push(Command::New);
            }
            if !typing {
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::D)) {
                    cmds.push(Command::DuplicateSelection);
                }
                if i.consume_key(Modifiers::NONE, Key::Delete)
                    || i.consume_key(Modifiers::NONE, Key::Backspace)
                {
                    cmds.push(Command::DeleteSelection);
                }
                if i.consume_key(Modifiers::NONE, Key::Escape) {
                    cmds.push(Command::Select(None));
                }
                if i.consume_key(Modifiers::NONE, Key::F) {
                    cmds.push(Command::ZoomToFit);
                }
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0)) {
                    cmds.push(Command::SetZoom(1.0));
                }
                // Consumed here, so egui's own whole-window zoom does not also react.
                while i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus))
                    || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals))
                {
                    cmds.push(Command::ZoomBy(ZOOM_STEP));
                }
                while i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus)) {
                    cmds.push(Command::ZoomBy(1.0 / ZOOM_STEP));
                }
                for e in &i.events {
                    match e {
                        egui::Event::Copy => cmds.push(Command::Copy),
                        egui::Event::Paste(text) => cmds.push(Command::Paste(text.clone())),
                        _ => {}
                    }
                }
            }
        });
        self.commands.extend(cmds);
    }
}
