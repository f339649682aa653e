//! How wide text is and how a state's name is broken into lines: the one measurement the layout (node sizes),
//! the canvas and the SVG renderer share, so that a node is as big as the text drawn in it everywhere.
//!
//! The layout is core and cannot ask egui for font metrics; [`text_width`] estimates them from the advance
//! widths of the canvas's font (egui's bundled Ubuntu Light), which is deterministic and close (a test in
//! `src/ui/canvas/text.rs` compares it with egui's own layout).

use super::geometry::Size;
use super::{NODE_H, NODE_W};

/// Size of a state's name on the canvas, in graph units (at 100 % zoom, screen points).
pub const NAME_SIZE: f32 = 14.0;
/// Size of a state's one-line summary.
pub const SUMMARY_SIZE: f32 = 12.5;
/// Distance between two lines of a wrapped name.
pub const NAME_LINE_H: f32 = 17.0;
/// Lines a name may take before the rest is elided.
pub const MAX_NAME_LINES: usize = 3;
/// Where a simple state's text starts, from its left edge (after the colour bar and icon).
pub const TEXT_LEFT: f32 = 40.0;
/// Room kept right of a simple state's text.
pub const TEXT_RIGHT: f32 = 10.0;
/// The widest a simple state grows to fit its name; longer names wrap.
pub const MAX_NODE_W: f32 = 2.0 * NODE_W;
/// Size of an edge label (and the canvas's other small text: lane titles, Start/End).
pub const LABEL_SIZE: f32 = 11.5;
/// Size of a container's (Parallel, Map) name in its header.
pub const CONTAINER_NAME_SIZE: f32 = 15.0;
/// Room a container's header keeps besides its name: icon on the left, type name on the right.
pub const CONTAINER_NAME_ROOM: f32 = 36.0 + 90.0;
/// The widest a container grows to fit its name (its lanes may make it wider still).
pub const MAX_CONTAINER_W: f32 = 3.0 * NODE_W;

/// Advance widths of the printable ASCII characters `' '..='~'` in the canvas font, in thousandths of an em
/// (read from Ubuntu-Light.ttf, the proportional font egui bundles).
const ASCII_ADVANCE: [u16; 95] = [
    228, 274, 392, 653, 564, 831, 648, 240, 310, 310, 472, 564, 246, 282, 246, 359, 564, 564, 564,
    564, 564, 564, 564, 564, 564, 564, 246, 246, 564, 564, 564, 380, 940, 641, 630, 609, 702, 555,
    520, 658, 692, 248, 487, 599, 502, 865, 709, 774, 592, 774, 618, 517, 548, 680, 624, 921, 608,
    569, 560, 310, 359, 310, 564, 490, 376, 509, 583, 460, 583, 548, 376, 573, 569, 237, 237, 495,
    255, 863, 569, 582, 583, 583, 374, 428, 387, 569, 480, 775, 499, 474, 455, 319, 262, 319, 564,
];

/// The advance of `c` in ems: exact for ASCII, by class for the rest (wide East Asian characters one em,
/// combining marks nothing, anything else an average letter, rounded up).
pub fn char_em(c: char) -> f32 {
    let u = c as u32;
    match u {
        0x20..=0x7e => f32::from(ASCII_ADVANCE[(u - 0x20) as usize]) / 1000.0,
        // Combining marks and zero-width characters.
        0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f => 0.0,
        // CJK, Hangul, full-width forms, emoji: one em.
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd => 1.0,
        _ => 0.6,
    }
}

/// The width of `text` set at `size` in the canvas font (no kerning; one line).
pub fn text_width(text: &str, size: f32) -> f32 {
    text.chars().map(char_em).sum::<f32>() * size
}

/// `text` as it is drawn in at most `max_lines` lines of at most `max_w` at `size`: broken after spaces and
/// punctuation (`_ - . / :`) or before a capital that follows a small letter; a word wider than a line is
/// broken anywhere. When even that needs more lines, the last line ends with `…` and `elided` is set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Wrapped {
    pub lines: Vec<String>,
    pub elided: bool,
}

/// Breaks `text` into lines (see [`Wrapped`]).
pub fn wrap(text: &str, size: f32, max_w: f32, max_lines: usize) -> Wrapped {
    let max_lines = max_lines.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    for piece in pieces(text) {
        let w = text_width(piece, size);
        if line_w + w <= max_w {
            line.push_str(piece);
            line_w += w;
            continue;
        }
        let trimmed = text_width(piece.trim_end(), size);
        if line_w + trimmed <= max_w {
            // Only its trailing space overflows: it ends the line.
            line.push_str(piece.trim_end());
            lines.push(std::mem::take(&mut line));
            line_w = 0.0;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line).trim_end().to_owned());
            line_w = 0.0;
        }
        // A piece wider than a whole line is broken between characters.
        for c in piece.chars() {
            let cw = char_em(c) * size;
            if line_w + cw > max_w && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            line.push(c);
            line_w += cw;
        }
    }
    let line = line.trim_end();
    if !line.is_empty() || lines.is_empty() {
        lines.push(line.to_owned());
    }
    if lines.len() <= max_lines {
        return Wrapped {
            lines,
            elided: false,
        };
    }
    let rest: String = lines[max_lines - 1..].concat();
    lines.truncate(max_lines - 1);
    lines.push(elide(&rest, size, max_w));
    Wrapped {
        lines,
        elided: true,
    }
}

/// `text` cut to fit `max_w` at `size`, ending with `…` when cut.
pub fn elide(text: &str, size: f32, max_w: f32) -> String {
    if text_width(text, size) <= max_w {
        return text.to_owned();
    }
    let room = max_w - char_em('…') * size;
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = char_em(c) * size;
        if w + cw > room {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Splits `text` after each break opportunity; the pieces concatenate back to `text`.
fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if let Some(p) = prev {
            let after_break = matches!(p, ' ' | '_' | '-' | '.' | '/' | ':') && c != ' ';
            let camel = p.is_lowercase() && c.is_uppercase();
            if (after_break || camel) && i > start {
                out.push(&text[start..i]);
                start = i;
            }
        }
        prev = Some(c);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// What a simple state shows and how big it is: the name in one to [`MAX_NAME_LINES`] lines, the summary in
/// one, the box wide enough for both up to [`MAX_NODE_W`] and tall enough for the lines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeText {
    pub name_lines: Vec<String>,
    pub summary_line: String,
    /// Part of the name or summary did not fit and ends with `…` (the full text is shown on hover).
    pub elided: bool,
    pub size: Size,
}

/// The text and size of a simple state named `name` with `summary`.
pub fn node_text(name: &str, summary: &str) -> NodeText {
    let want = text_width(name, NAME_SIZE).max(text_width(summary, SUMMARY_SIZE));
    let width = (TEXT_LEFT + want + TEXT_RIGHT)
        .ceil()
        .clamp(NODE_W, MAX_NODE_W);
    let room = width - TEXT_LEFT - TEXT_RIGHT;
    let name = wrap(name, NAME_SIZE, room, MAX_NAME_LINES);
    let summary_line = elide(summary, SUMMARY_SIZE, room);
    let elided = name.elided || summary_line.len() != summary.len();
    let extra = (name.lines.len().max(1) - 1) as f32 * NAME_LINE_H;
    NodeText {
        name_lines: name.lines,
        summary_line,
        elided,
        size: Size::new(width, NODE_H + extra),
    }
}

/// The width a container needs for its name in the header (at least [`NODE_W`], at most
/// [`MAX_CONTAINER_W`]).
pub fn container_min_width(name: &str) -> f32 {
    (text_width(name, CONTAINER_NAME_SIZE) + CONTAINER_NAME_ROOM)
        .ceil()
        .clamp(NODE_W, MAX_CONTAINER_W)
}

/// A container's name as drawn in a header `width` wide.
pub fn container_name(name: &str, width: f32) -> String {
    elide(name, CONTAINER_NAME_SIZE, width - CONTAINER_NAME_ROOM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_follow_the_font() {
        // Ubuntu Light: "i" is narrow, "W" wide, digits all the same.
        assert!(text_width("iiii", 14.0) < text_width("WWWW", 14.0) / 3.0);
        assert_eq!(text_width("0123", 10.0), text_width("9999", 10.0));
        assert!((text_width("FINISHED", 14.0) - 14.0 * 4.191).abs() < 0.01);
        assert_eq!(text_width("", 14.0), 0.0);
        // Wide characters count one em, combining marks nothing.
        assert_eq!(text_width("\u{6f22}\u{5b57}", 10.0), 20.0);
        assert_eq!(text_width("e\u{301}", 10.0), text_width("e", 10.0));
        // Linear in the size.
        assert!((text_width("Glue Job", 28.0) - 2.0 * text_width("Glue Job", 14.0)).abs() < 1e-3);
    }

    #[test]
    fn short_names_keep_the_default_size() {
        let t = node_text("Start Crawler", "glue:startCrawler");
        assert_eq!(t.name_lines, vec!["Start Crawler"]);
        assert_eq!(t.size, Size::new(NODE_W, NODE_H));
        assert!(!t.elided);
    }

    #[test]
    fn longer_names_widen_the_node() {
        let name = "Wait For The Crawler To Finish";
        let t = node_text(name, "");
        assert_eq!(t.name_lines, vec![name]);
        assert!(t.size.width > NODE_W && t.size.width < MAX_NODE_W);
        assert!(text_width(name, NAME_SIZE) <= t.size.width - TEXT_LEFT - TEXT_RIGHT);
        assert_eq!(t.size.height, NODE_H);
    }

    #[test]
    fn very_long_names_wrap_at_the_widest_node() {
        let name =
            "Check whether the Glue crawler has finished crawling every table of the raw zone";
        let t = node_text(name, "glue:getCrawler");
        assert_eq!(t.size.width, MAX_NODE_W);
        assert!(t.name_lines.len() >= 2 && t.name_lines.len() <= MAX_NAME_LINES);
        assert!(!t.elided);
        // Every word is kept, lines broken at spaces.
        assert_eq!(t.name_lines.join(" "), name);
        for l in &t.name_lines {
            assert!(text_width(l, NAME_SIZE) <= MAX_NODE_W - TEXT_LEFT - TEXT_RIGHT);
        }
        assert_eq!(
            t.size.height,
            NODE_H + (t.name_lines.len() - 1) as f32 * NAME_LINE_H
        );
    }

    #[test]
    fn identifiers_break_at_punctuation_and_camel_case() {
        let w = wrap("load_sql_output_into_redshift", 14.0, 100.0, 5);
        assert!(w.lines.len() > 1);
        assert_eq!(w.lines.concat(), "load_sql_output_into_redshift");
        assert!(
            w.lines
                .iter()
                .all(|l| l.ends_with('_') || l == w.lines.last().unwrap())
        );
        let w = wrap("StartGlueCrawlerAndWait", 14.0, 90.0, 5);
        assert_eq!(w.lines.concat(), "StartGlueCrawlerAndWait");
        assert!(w.lines.iter().all(|l| l.starts_with(char::is_uppercase)));
        // A word with no break opportunity is broken between characters.
        let w = wrap(&"x".repeat(60), 14.0, 100.0, 5);
        assert!(w.lines.len() > 1);
        assert_eq!(w.lines.concat(), "x".repeat(60));
        for l in &w.lines {
            assert!(text_width(l, 14.0) <= 100.0);
        }
    }

    #[test]
    fn only_absurd_names_are_elided() {
        let name = "word ".repeat(200);
        let t = node_text(&name, "");
        assert!(t.elided);
        assert_eq!(t.name_lines.len(), MAX_NAME_LINES);
        assert!(t.name_lines.last().unwrap().ends_with('…'));
        let room = t.size.width - TEXT_LEFT - TEXT_RIGHT;
        assert!(text_width(t.name_lines.last().unwrap(), NAME_SIZE) <= room);
    }

    #[test]
    fn elide_fits() {
        assert_eq!(elide("abc", 14.0, 100.0), "abc");
        let e = elide(
            "arn:aws:lambda:us-east-1:123456789012:function:VeryLongName",
            12.5,
            120.0,
        );
        assert!(e.ends_with('…'));
        assert!(text_width(&e, 12.5) <= 120.0);
    }

    #[test]
    fn containers_widen_for_their_names() {
        assert_eq!(container_min_width("P"), NODE_W);
        let long = "Process every partition of the raw zone in parallel";
        let w = container_min_width(long);
        assert!(w > NODE_W && w <= MAX_CONTAINER_W);
        assert_eq!(container_name(long, w), long);
    }
}
