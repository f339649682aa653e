//! Canvas text drawn at its on-screen pixel size, so it stays crisp at every zoom.
//!
//! The canvas paints in an `egui::Scene` layer whose transform scales every shape by the zoom. A text shape
//! laid out at its graph size would be rasterised at that size and then stretched: zoomed out, thin strokes
//! fall between pixels (`FINISHED` reads `FIN SHED`), zoomed in the glyphs are blown-up bitmaps. Here the
//! galley is laid out at the on-screen size (font size × zoom, in steps of a quarter point so that zooming
//! does not fill the font atlas with sizes) and scaled back to graph units before it goes into the layer:
//! the layer's transform then brings it to the on-screen size, within a quarter point of the size it was
//! rasterised at, in the same layer and paint order as the shapes around it. Its geometry is exact in graph units, so
//! it fits the boxes the layout measured for it at every zoom.

use egui::{Align2, Color32, FontId, Galley, Pos2, Vec2, emath::TSTransform, epaint::TextShape};
use std::sync::Arc;

/// On-screen font sizes are rounded to this step (points).
const SIZE_STEP: f32 = 0.25;
/// Smallest on-screen size laid out.
const MIN_SCREEN_SIZE: f32 = 1.0;
/// Text smaller than this on screen (points) is a smudge: it is not painted (zoomed far out, a big
/// diagram's hundreds of labels would cost layout time for nothing).
pub(crate) const MIN_LEGIBLE_SIZE: f32 = 3.0;

/// The font a canvas text of `font` is laid out with at `zoom`: its on-screen size, in steps of
/// [`SIZE_STEP`].
pub(crate) fn screen_font(font: &FontId, zoom: f32) -> FontId {
    let size = ((font.size * zoom) / SIZE_STEP).round() * SIZE_STEP;
    FontId::new(size.max(MIN_SCREEN_SIZE), font.family.clone())
}

/// A galley laid out at on-screen size, and the factor that brings it to graph units.
pub(crate) struct SceneGalley {
    galley: Arc<Galley>,
    to_graph: f32,
    legible: bool,
}

impl SceneGalley {
    /// Its size in graph units.
    pub(crate) fn size(&self) -> Vec2 {
        self.galley.size() * self.to_graph
    }
}

/// Paints text into the Scene's layer at on-screen size (see the module docs). Positions and sizes are in
/// graph units, like everything else painted on the canvas.
#[derive(Clone)]
pub(crate) struct CrispPainter {
    painter: egui::Painter,
    zoom: f32,
}

impl CrispPainter {
    /// `zoom` is the Scene layer's current scaling (screen points per graph unit).
    pub(crate) fn new(painter: egui::Painter, zoom: f32) -> CrispPainter {
        let zoom = if zoom.is_finite() && zoom > 0.0 {
            zoom
        } else {
            1.0
        };
        CrispPainter { painter, zoom }
    }

    /// The painter underneath, for shapes (they scale with the layer as they should).
    pub(crate) fn painter(&self) -> &egui::Painter {
        &self.painter
    }

    /// Lays out one line of `text` in `font` (graph size) at the on-screen size.
    pub(crate) fn layout(&self, text: String, font: &FontId, color: Color32) -> SceneGalley {
        let screen = screen_font(font, self.zoom);
        SceneGalley {
            to_graph: font.size / screen.size,
            legible: font.size * self.zoom >= MIN_LEGIBLE_SIZE,
            galley: self.painter.layout_no_wrap(text, screen, color),
        }
    }

    /// Paints `galley` with its top-left corner at `pos` (graph units).
    pub(crate) fn galley(&self, pos: Pos2, galley: SceneGalley, color: Color32) {
        if !galley.legible {
            return;
        }
        let mut shape = TextShape::new(pos, galley.galley, color);
        // Graph units for the glyphs (only: the position already is).
        shape.transform(TSTransform::from_scaling(galley.to_graph));
        shape.pos = pos;
        self.painter.add(shape);
    }

    /// Paints one line of `text` anchored at `pos` like `Painter::text` (not at all when it would be
    /// smaller than [`MIN_LEGIBLE_SIZE`] on screen).
    pub(crate) fn text(
        &self,
        pos: Pos2,
        anchor: Align2,
        text: impl ToString,
        font: &FontId,
        color: Color32,
    ) {
        if font.size * self.zoom < MIN_LEGIBLE_SIZE {
            return;
        }
        let galley = self.layout(text.to_string(), font, color);
        let rect = anchor.anchor_size(pos, galley.size());
        self.galley(rect.min, galley, color);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::text::{NAME_SIZE, text_width};

    #[test]
    fn screen_sizes_follow_the_zoom_in_quarter_points() {
        let f = FontId::proportional(14.0);
        assert_eq!(screen_font(&f, 1.0).size, 14.0);
        assert_eq!(screen_font(&f, 0.5).size, 7.0);
        assert_eq!(screen_font(&f, 2.5).size, 35.0);
        assert_eq!(screen_font(&f, 0.714).size, 10.0);
        assert_eq!(screen_font(&f, 0.625).size, 8.75);
        assert_eq!(screen_font(&f, 0.63).size, 8.75);
        assert_eq!(screen_font(&f, 0.01).size, MIN_SCREEN_SIZE);
        assert_eq!(screen_font(&f, 1.0).family, f.family);
    }

    /// The layout's width estimate (core, no egui) against egui's own layout of the bundled font, on the
    /// state names of the seed workflows' kind.
    #[test]
    fn the_width_estimate_matches_the_bundled_font() {
        let ctx = egui::Context::default();
        let mut out = ctx.run_ui(egui::RawInput::default(), |_| {});
        out.textures_delta.clear();
        let names = [
            "FINISHED",
            "$.sql_output",
            "Start Crawler",
            "Get Crawler Status",
            "Is Crawler Finished?",
            "Run Glue Job (ETL)",
            "WaitForRedshiftStatement",
            "Describe Statement 2",
            "iiiiiiiiii",
            "WWWWWWWWWW",
            "load_sql_output_into_redshift",
            "Notify: job failed / retry #3",
        ];
        for name in names {
            let egui_w = ctx.fonts_mut(|f| {
                f.layout_no_wrap(
                    name.to_owned(),
                    FontId::proportional(NAME_SIZE),
                    Color32::WHITE,
                )
                .size()
                .x
            });
            let est = text_width(name, NAME_SIZE);
            assert!(
                (est - egui_w).abs() <= 0.04 * egui_w + 1.0,
                "{name}: estimate {est}, egui {egui_w}"
            );
        }
    }
}
