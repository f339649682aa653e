//! `Point`, `Size`, `Rect` in graph units (y grows downwards). Converted to egui types only in `ui/`.

use serde::{Deserialize, Serialize};

/// A position in graph units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    pub fn offset(self, dx: f32, dy: f32) -> Point {
        Point::new(self.x + dx, self.y + dy)
    }
}

/// A width and height in graph units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    pub width: f32,
    pub height: f32,
}

impl Size {
    pub const fn new(width: f32, height: f32) -> Size {
        Size { width, height }
    }
}

/// An axis-aligned rectangle; `min` is the top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub min: Point,
    pub max: Point,
}

impl Rect {
    pub fn from_min_size(min: Point, size: Size) -> Rect {
        Rect {
            min,
            max: Point::new(min.x + size.width, min.y + size.height),
        }
    }

    pub fn from_center_size(center: Point, size: Size) -> Rect {
        Rect::from_min_size(center.offset(-size.width / 2.0, -size.height / 2.0), size)
    }

    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    pub fn size(&self) -> Size {
        Size::new(self.width(), self.height())
    }

    pub fn center(&self) -> Point {
        Point::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    /// Whether `p` lies inside or on the border.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    /// Whether `other` lies entirely inside (borders may touch).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        self.contains(other.min) && self.contains(other.max)
    }

    /// Whether the interiors overlap (touching borders do not count).
    pub fn intersects(&self, other: &Rect) -> bool {
        self.min.x < other.max.x
            && other.min.x < self.max.x
            && self.min.y < other.max.y
            && other.min.y < self.max.y
    }

    /// The smallest rectangle containing both.
    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min: Point::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Point::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    /// Grown by `margin` on every side (shrunk when negative).
    pub fn expand(&self, margin: f32) -> Rect {
        Rect {
            min: self.min.offset(-margin, -margin),
            max: self.max.offset(margin, margin),
        }
    }

    pub fn translate(&self, dx: f32, dy: f32) -> Rect {
        Rect {
            min: self.min.offset(dx, dy),
            max: self.max.offset(dx, dy),
        }
    }

    /// Whether `p` lies on the border, within `tolerance`.
    pub fn on_border(&self, p: Point, tolerance: f32) -> bool {
        self.expand(tolerance).contains(p) && !self.expand(-tolerance).contains(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rect_helpers() {
        let a = Rect::from_min_size(Point::new(0.0, 0.0), Size::new(10.0, 4.0));
        let b = a.translate(10.0, 0.0);
        assert!(!a.intersects(&b), "touching is not overlapping");
        assert!(a.intersects(&a.translate(9.0, 3.0)));
        assert_eq!(a.union(&b).width(), 20.0);
        assert_eq!(a.center(), Point::new(5.0, 2.0));
        assert!(a.on_border(Point::new(10.0, 2.0), 0.5));
        assert!(!a.on_border(Point::new(5.0, 2.0), 0.5));
        assert!(a.expand(1.0).contains_rect(&a));
    }
}
