//! PNG export: rasterises the SVG from [`super::svg`] with resvg. Text needs system fonts; without any, the
//! shapes are still drawn.

use resvg::{tiny_skia, usvg};

/// The largest width or height of a rendered image, in pixels; bigger pictures are scaled down to fit.
pub const MAX_SIDE_PX: f32 = 16_000.0;

/// Rasterises SVG text at `scale` (1.0 = one pixel per graph unit) and encodes it as PNG on white.
pub fn render_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("SVG: {e}"))?;
    let size = tree.size();
    let scale = scale
        .min(MAX_SIDE_PX / size.width())
        .min(MAX_SIDE_PX / size.height());
    let (w, h) = (
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w.max(1), h.max(1))
        .ok_or_else(|| format!("cannot allocate a {w}×{h} image"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| format!("PNG: {e}"))
}
