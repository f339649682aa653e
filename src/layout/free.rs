//! Where a new box can go without covering the boxes already placed: the free spot nearest a wanted position.

use super::geometry::{Point, Rect};

/// The top-left corner nearest (straight-line distance) to `want.min` where a box of `want`'s size overlaps
/// none of `taken`, keeping at least `gap` from each; `want.min` itself when that is already free.
///
/// The nearest free position has each coordinate either unchanged or touching (at `gap`) a side of some box,
/// so only those coordinates are tried, and only against the boxes within reach; the reach doubles until a
/// spot within it is found.
pub fn nearest_free_spot(want: Rect, taken: &[Rect], gap: f32) -> Point {
    let (w, h) = (want.width(), want.height());
    let mut reach = w.max(h).max(1.0);
    // Beyond every box there is room: the search ends at the latest once reach covers them all.
    let extent = taken
        .iter()
        .fold(want, |acc, r| acc.union(r))
        .expand(gap + w + h);
    loop {
        let area = want.expand(reach + gap);
        let local: Vec<Rect> = taken
            .iter()
            .map(|r| r.expand(gap))
            .filter(|r| r.intersects(&area))
            .collect();
        let mut xs = vec![want.min.x];
        let mut ys = vec![want.min.y];
        for r in &local {
            xs.extend([r.min.x - w, r.max.x]);
            ys.extend([r.min.y - h, r.max.y]);
        }
        let mut best: Option<(f32, Point)> = None;
        for &x in &xs {
            let dx = x - want.min.x;
            if dx.abs() > reach {
                continue;
            }
            for &y in &ys {
                let dy = y - want.min.y;
                if dy.abs() > reach {
                    continue;
                }
                let d = (dx * dx + dy * dy).sqrt();
                if best.is_some_and(|(bd, _)| bd <= d) {
                    continue;
                }
                let at = Point::new(x, y);
                let cand = Rect::from_min_size(at, want.size());
                if !local.iter().any(|r| r.intersects(&cand)) {
                    best = Some((d, at));
                }
            }
        }
        // A spot farther than `reach` may lose to one outside this round's square: look wider first.
        match best {
            Some((d, at)) if d <= reach => return at,
            Some((_, at)) if reach > extent.width() + extent.height() => return at,
            _ if reach > extent.width() + extent.height() => return want.min,
            _ => reach *= 2.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Size;

    fn boxed(x: f32, y: f32) -> Rect {
        Rect::from_min_size(Point::new(x, y), Size::new(200.0, 50.0))
    }

    fn overlaps_any(at: Point, taken: &[Rect], gap: f32) -> bool {
        let r = Rect::from_min_size(at, Size::new(200.0, 50.0));
        taken.iter().any(|t| t.expand(gap).intersects(&r))
    }

    #[test]
    fn a_free_position_is_kept() {
        let taken = [boxed(0.0, 0.0)];
        assert_eq!(
            nearest_free_spot(boxed(0.0, 300.0), &taken, 10.0),
            Point::new(0.0, 300.0)
        );
    }

    #[test]
    fn on_top_of_a_box_moves_to_its_nearest_side() {
        let taken = [boxed(0.0, 0.0)];
        // Slightly below the box's centre: the nearest free place is just under it.
        let at = nearest_free_spot(boxed(0.0, 10.0), &taken, 10.0);
        assert_eq!(at, Point::new(0.0, 60.0));
        assert!(!overlaps_any(at, &taken, 10.0));
    }

    #[test]
    fn a_crowded_column_pushes_the_box_out_of_it() {
        // A column of boxes 60 apart (gap 10 between them): no room between, so the box goes beside.
        let taken: Vec<Rect> = (0..20).map(|i| boxed(0.0, i as f32 * 60.0)).collect();
        let at = nearest_free_spot(boxed(20.0, 600.0), &taken, 10.0);
        assert!(!overlaps_any(at, &taken, 10.0), "{at:?}");
        assert_eq!(at.y, 600.0, "moved sideways only: {at:?}");
        assert_eq!(at.x, 210.0);
    }

    #[test]
    fn the_result_never_overlaps_in_a_dense_grid() {
        let taken: Vec<Rect> = (0..10)
            .flat_map(|i| (0..10).map(move |j| boxed(i as f32 * 230.0, j as f32 * 70.0)))
            .collect();
        for (x, y) in [(0.0, 0.0), (500.0, 300.0), (1000.0, 650.0), (2200.0, 10.0)] {
            let at = nearest_free_spot(boxed(x, y), &taken, 16.0);
            assert!(!overlaps_any(at, &taken, 16.0), "from ({x}, {y}): {at:?}");
        }
    }
}
