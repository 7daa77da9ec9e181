//! A uniform grid of cells over the indexed areas, each cell listing (in key order) the
//! areas whose bounding box reaches it: the fast path of [`AreaIndex`](super::AreaIndex)'s
//! lookups.
//!
//! Why: the R-tree walks several levels of nodes per point, each a likely cache miss
//! among tens of thousands of areas; a cell is found by arithmetic and its short list read
//! in one go (`benches/benches/org.rs`, `locate_100x_fushan`, compares the two). The
//! geometry is still `geo`'s: each listed area is tested with its point-in-polygon
//! predicate, and the first that contains or touches the point (the smallest key) is the
//! answer, which is the R-tree path's answer too; the property test
//! `cells_agree_with_the_r_tree` in `tests/tests/map_properties.rs` holds them equal,
//! points on shared edges and corners included.

/// Cells over the bounds of the areas.
#[derive(Debug)]
pub(super) struct Cells {
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
    nx: usize,
    ny: usize,
    /// `starts[c]..starts[c + 1]` are cell `c`'s entries in `items`.
    starts: Vec<u32>,
    /// Positions of areas in the index, ascending within each cell.
    items: Vec<u32>,
}

impl Cells {
    /// Cells for areas with the given bounding boxes (`[x0, y0, x1, y1]`, by position),
    /// about one cell per area.
    pub(super) fn new(boxes: &[[f64; 4]]) -> Self {
        let empty = Self {
            x0: 0.0,
            y0: 0.0,
            dx: 1.0,
            dy: 1.0,
            nx: 0,
            ny: 0,
            starts: vec![0],
            items: Vec::new(),
        };
        let Some(bounds) = boxes.iter().copied().reduce(|a, b| {
            [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ]
        }) else {
            return empty;
        };
        let [x0, y0, x1, y1] = bounds;
        let (w, h) = (
            (x1 - x0).max(f64::MIN_POSITIVE),
            (y1 - y0).max(f64::MIN_POSITIVE),
        );
        // About one cell per area, square-ish in degrees, at most 2²⁰ cells.
        let n = boxes.len().clamp(1, 1 << 20) as f64;
        let side = (w * h / n).sqrt();
        let count = |len: f64| -> usize {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped to 1..=4096 first"
            )]
            let c = (len / side).ceil().clamp(1.0, 4096.0) as usize;
            c
        };
        let (nx, ny) = (count(w), count(h));
        let (dx, dy) = (w / nx as f64, h / ny as f64);
        let mut cells = Self {
            x0,
            y0,
            dx,
            dy,
            nx,
            ny,
            ..empty
        };
        // Each box's cells, with a margin of a millionth of a cell so a point on a cell's
        // border whose cell rounds either way still finds every box that touches it.
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); nx * ny];
        for (i, b) in boxes.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { continue };
            let (cx0, cy0) = cells.cell_xy(b[0] - dx * 1e-6, b[1] - dy * 1e-6);
            let (cx1, cy1) = cells.cell_xy(b[2] + dx * 1e-6, b[3] + dy * 1e-6);
            for cy in cy0..=cy1 {
                for cx in cx0..=cx1 {
                    if let Some(list) = lists.get_mut(cy * nx + cx) {
                        list.push(i);
                    }
                }
            }
        }
        cells.starts = Vec::with_capacity(lists.len() + 1);
        cells.starts.push(0);
        for list in &lists {
            cells.items.extend_from_slice(list);
            cells
                .starts
                .push(u32::try_from(cells.items.len()).unwrap_or(u32::MAX));
        }
        cells
    }

    /// The cell column and row of a point, clamped to the grid.
    fn cell_xy(&self, x: f64, y: f64) -> (usize, usize) {
        let at = |v: f64, lo: f64, d: f64, n: usize| -> usize {
            let t = ((v - lo) / d).floor();
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped to the grid first"
            )]
            let c = t.clamp(0.0, (n.max(1) - 1) as f64) as usize;
            c
        };
        (
            at(x, self.x0, self.dx, self.nx),
            at(y, self.y0, self.dy, self.ny),
        )
    }

    /// The areas (positions, ascending) whose boxes may hold a point; empty outside the
    /// grid.
    pub(super) fn candidates(&self, x: f64, y: f64) -> &[u32] {
        if self.nx == 0
            || !(x >= self.x0 - self.dx && y >= self.y0 - self.dy)
            || x > self.x0 + self.dx * (self.nx as f64 + 1.0)
            || y > self.y0 + self.dy * (self.ny as f64 + 1.0)
        {
            return &[];
        }
        let (cx, cy) = self.cell_xy(x, y);
        let c = cy * self.nx + cx;
        let (Some(&a), Some(&b)) = (self.starts.get(c), self.starts.get(c + 1)) else {
            return &[];
        };
        self.items.get(a as usize..b as usize).unwrap_or(&[])
    }
}
