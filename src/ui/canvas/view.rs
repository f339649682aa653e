//! The canvas's view: zoom, fit and reveal (the Scene rectangle kept in [`CanvasState`]).

use super::CanvasState;
use crate::ui::theme;
use egui::{Pos2, Rect, Vec2};

impl CanvasState {
    pub fn fit_next_frame(&mut self) {
        self.scene_rect = Rect::ZERO;
        self.pending_frame = None;
    }

    /// Pans (and zooms, if needed) on the next frame so that `r` (graph units) is visible and centred.
    pub fn frame_rect(&mut self, r: Rect) {
        self.pending_frame = Some(r);
    }

    /// Multiplies the zoom on the next frame (steps asked for in one frame compound).
    pub fn zoom_by(&mut self, factor: f32) {
        let base = self.pending_zoom.unwrap_or_else(|| self.zoom());
        self.zoom_next_frame(base * factor);
    }

    /// Pans on the next frame, as little as needed, so that the state `name` is on screen.
    pub fn reveal(&mut self, name: impl Into<String>) {
        self.pending_reveal = Some(name.into());
    }

    /// Sets the zoom (1.0 = 100%) on the next frame, keeping the centre of the view.
    pub fn zoom_next_frame(&mut self, z: f32) {
        self.pending_zoom = Some(z.clamp(MIN_ZOOM, MAX_ZOOM));
    }

    pub fn to_screen(&self, r: Rect) -> Rect {
        self.to_global * r
    }

    /// The current zoom (screen points per graph unit).
    pub fn zoom(&self) -> f32 {
        self.to_global.scaling
    }
}

pub const MIN_ZOOM: f32 = 0.1;
pub const MAX_ZOOM: f32 = 2.5;
/// The largest zoom that zoom-to-fit picks for a small diagram.
pub const MAX_FIT_ZOOM: f32 = 1.25;

/// The scene rectangle that shows `target` in a `view` of that screen size at zoom `z`: centred when it
/// fits; otherwise its top, and horizontally the part around `anchor_x`.
pub fn view_at(view: Vec2, target: Rect, z: f32, anchor_x: f32) -> Rect {
    let size = view / z;
    let cx = if target.width() <= size.x {
        target.center().x
    } else {
        anchor_x.clamp(target.left() + size.x / 2.0, target.right() - size.x / 2.0)
    };
    let cy = if target.height() <= size.y {
        target.center().y
    } else {
        target.top() + size.y / 2.0
    };
    Rect::from_center_size(Pos2::new(cx, cy), size)
}

/// Zoom to fit, but never so far out that the node text becomes unreadable
/// ([`theme::MIN_READABLE_ZOOM`]): a big diagram then shows its top, around the Start marker.
pub fn fit_view(view: Vec2, bounds: Rect, anchor_x: f32) -> Rect {
    let z = (view / bounds.size())
        .min_elem()
        .clamp(theme::MIN_READABLE_ZOOM, MAX_FIT_ZOOM);
    view_at(view, bounds, z, anchor_x)
}

/// The scene rectangle `scene` moved as little as possible so that `target` (plus a margin) lies inside it;
/// unchanged when it already does. A target larger than the view is aligned on its top-left corner.
pub fn reveal_view(scene: Rect, target: Rect) -> Rect {
    let t = target.expand(24.0);
    let shift = |lo: f32, hi: f32, t_lo: f32, t_hi: f32| {
        if t_hi - t_lo > hi - lo || t_lo < lo {
            t_lo - lo
        } else if t_hi > hi {
            t_hi - hi
        } else {
            0.0
        }
    };
    let dx = shift(scene.left(), scene.right(), t.left(), t.right());
    let dy = shift(scene.top(), scene.bottom(), t.top(), t.bottom());
    scene.translate(Vec2::new(dx, dy))
}

/// Brings `target` into view: keeps the zoom unless it is unreadable or `target` does not fit.
pub fn frame_view(view: Vec2, target: Rect, zoom: f32) -> Rect {
    let z_fit = (view / (target.size() + Vec2::splat(120.0))).min_elem();
    let z = if zoom < theme::MIN_READABLE_ZOOM {
        z_fit.min(1.0)
    } else {
        zoom.min(z_fit)
    }
    .max(theme::MIN_READABLE_ZOOM);
    view_at(view, target.expand(20.0), z, target.center().x)
}
