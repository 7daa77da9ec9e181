//! Territory on the map: areas (GeoJSON polygons) of units, the checks that keep them a
//! clean tiling (不留空白, no blank on the ground and no place claimed twice), and the index
//! that finds the area containing a point.
//!
//! This module knows geometry, not the organisation: areas are keyed by a `u32` the caller
//! chooses (the organisation uses its unit index), and the checks return what they found
//! for the caller to name. The geometry is the `geo` crate (Boolean operations, validity,
//! distances and areas) and the `rstar` R-tree, not a kernel of our own; coordinates are
//! longitude/latitude degrees in one [`Crs`].

mod cells;
mod crs;

use geo::{
    Area as _, BooleanOps, BoundingRect, ChamberlainDuquetteArea, Distance, Euclidean, Haversine,
    InteriorPoint, Intersects, MultiPolygon, Point, Polygon, Validation,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, Envelope as _, RTree};

pub use crs::Crs;

/// Whether a longitude and a latitude are a place: finite, in [-180, 180] and [-90, 90].
#[must_use]
pub fn is_place(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
}

/// A point on the map as a reporting system gives it: longitude and latitude in degrees,
/// and the coordinate system they are in (WGS-84, the GPS and GeoJSON default, when not
/// given).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct GeoPoint {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// The coordinate system.
    #[serde(default = "wgs84")]
    pub crs: Crs,
}

fn wgs84() -> Crs {
    Crs::Wgs84
}

/// Points are equal when their numbers are the same bits (so a point equals itself even
/// when a coordinate is NaN, which validation refuses anyway).
impl PartialEq for GeoPoint {
    fn eq(&self, other: &Self) -> bool {
        self.lon.to_bits() == other.lon.to_bits()
            && self.lat.to_bits() == other.lat.to_bits()
            && self.crs == other.crs
    }
}

impl Eq for GeoPoint {}

impl GeoPoint {
    /// The point rounded to 0.001° (about 100 m): where a public view shows it.
    #[must_use]
    pub fn coarse(self) -> Self {
        Self {
            lon: (self.lon * 1e3).round() / 1e3,
            lat: (self.lat * 1e3).round() / 1e3,
            crs: self.crs,
        }
    }

    /// The point rounded to 6 decimals (about 0.1 m).
    #[must_use]
    pub fn rounded6(self) -> Self {
        Self {
            lon: round6(self.lon),
            lat: round6(self.lat),
            crs: self.crs,
        }
    }

    /// The point in another coordinate system.
    #[must_use]
    pub fn to_crs(self, crs: Crs) -> Self {
        let (lon, lat) = self.crs.convert(crs, self.lon, self.lat);
        Self { lon, lat, crs }
    }
}

/// Areas smaller than this (in square metres) are rounding noise, not an overlap or a gap.
pub const TOLERANCE_M2: f64 = 1.0;

/// The area of a unit: one or more polygons with holes, in degrees of its map's [`Crs`].
pub type Shape = MultiPolygon<f64>;

/// A GeoJSON geometry that cannot be an area: what is wrong, for the caller to name with
/// its unit.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ShapeError(pub String);

/// Reads a GeoJSON geometry as an area: a `Polygon` or a `MultiPolygon` whose coordinates
/// are finite longitudes in [-180, 180] and latitudes in [-90, 90], each ring closed and of
/// at least four positions.
///
/// # Errors
/// [`ShapeError`] naming what is wrong (another geometry type, a short or open ring, a
/// coordinate out of range) and what would be valid.
pub fn shape_of(geometry: &geojson::Geometry) -> Result<Shape, ShapeError> {
    use geojson::GeometryValue as V;
    let polygons: Vec<&Vec<Vec<geojson::Position>>> = match &geometry.value {
        V::Polygon { coordinates } => vec![coordinates],
        V::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            return Err(ShapeError(format!(
                "is a {}; an area must be a Polygon or a MultiPolygon",
                other.type_name()
            )));
        }
    };
    if polygons.is_empty() {
        return Err(ShapeError(
            "is an empty MultiPolygon; an area needs at least one polygon".to_owned(),
        ));
    }
    for (p, rings) in polygons.iter().enumerate() {
        if rings.is_empty() {
            return Err(ShapeError(format!(
                "polygon {p} has no rings; give an outer ring"
            )));
        }
        for (r, ring) in rings.iter().enumerate() {
            if ring.len() < 4 {
                return Err(ShapeError(format!(
                    "polygon {p} ring {r} has {} positions; a ring needs at least 4, the last equal to the first",
                    ring.len()
                )));
            }
            if ring.first() != ring.last() {
                return Err(ShapeError(format!(
                    "polygon {p} ring {r} is not closed; its last position must equal its first"
                )));
            }
            for (i, pos) in ring.iter().enumerate() {
                let (Some(&lon), Some(&lat)) = (pos.as_slice().first(), pos.as_slice().get(1))
                else {
                    return Err(ShapeError(format!(
                        "polygon {p} ring {r} position {i} has fewer than two numbers; give [longitude, latitude]"
                    )));
                };
                if !is_place(lon, lat) {
                    return Err(ShapeError(format!(
                        "polygon {p} ring {r} position {i} is [{lon}, {lat}]; longitude must be in [-180, 180] and latitude in [-90, 90]"
                    )));
                }
            }
        }
    }
    match geo::Geometry::<f64>::try_from(geometry) {
        Ok(geo::Geometry::Polygon(p)) => Ok(MultiPolygon::new(vec![p])),
        Ok(geo::Geometry::MultiPolygon(m)) => Ok(m),
        Ok(_) => Err(ShapeError("is not a Polygon or a MultiPolygon".to_owned())),
        Err(e) => Err(ShapeError(e.to_string())),
    }
}

/// Why an area is not a valid polygon (a self-intersecting ring, a hole outside its
/// shell…), in `geo`'s words; `None` when it is valid.
#[must_use]
pub fn invalidity(shape: &Shape) -> Option<String> {
    shape.validation_errors().first().map(|e| e.to_string())
}

/// The area of a shape in square metres (on the sphere, Chamberlain–Duquette).
#[must_use]
pub fn square_metres(shape: &Shape) -> f64 {
    shape.chamberlain_duquette_unsigned_area()
}

/// What is left of `shape` after taking away `minus`: its area in square metres and a
/// point inside it (for a message), or `None` when less than [`TOLERANCE_M2`] is left.
#[must_use]
pub fn leftover(shape: &Shape, minus: &Shape) -> Option<(f64, (f64, f64))> {
    let rest = shape.difference(minus);
    let m2 = square_metres(&rest);
    if m2 < TOLERANCE_M2 {
        return None;
    }
    let at = largest_point(&rest);
    Some((m2, at))
}

/// Where two shapes overlap: the area in square metres and a point inside it, or `None`
/// when they only touch (or overlap by less than [`TOLERANCE_M2`]).
#[must_use]
pub fn overlap(a: &Shape, b: &Shape) -> Option<(f64, (f64, f64))> {
    let (Some(ra), Some(rb)) = (a.bounding_rect(), b.bounding_rect()) else {
        return None;
    };
    if !ra.intersects(&rb) {
        return None;
    }
    let both = a.intersection(b);
    let m2 = square_metres(&both);
    if m2 < TOLERANCE_M2 {
        return None;
    }
    Some((m2, largest_point(&both)))
}

/// The union of several shapes.
#[must_use]
pub fn union_of<'a>(shapes: impl IntoIterator<Item = &'a Shape>) -> Shape {
    geo::unary_union(shapes)
}

/// The holes of a shape (blank places enclosed by it), largest first, each with its area
/// in square metres and a point inside it; holes under [`TOLERANCE_M2`] are left out.
#[must_use]
pub fn holes(shape: &Shape) -> Vec<(f64, (f64, f64))> {
    let mut out: Vec<(f64, (f64, f64))> = shape
        .iter()
        .flat_map(|p| p.interiors().iter())
        .map(|ring| {
            let hole = MultiPolygon::new(vec![Polygon::new(ring.clone(), Vec::new())]);
            (square_metres(&hole), largest_point(&hole))
        })
        .filter(|(m2, _)| *m2 >= TOLERANCE_M2)
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out
}

/// A point inside a shape (in its largest polygon), rounded to 6 decimals (about 0.1 m):
/// where to put a pin for the area.
#[must_use]
pub fn representative_point(shape: &Shape) -> (f64, f64) {
    largest_point(shape)
}

/// A point inside the largest polygon of a shape, rounded to 6 decimals (about 0.1 m).
fn largest_point(shape: &Shape) -> (f64, f64) {
    let largest = shape
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()));
    let p = largest
        .and_then(InteriorPoint::interior_point)
        .map_or((0.0, 0.0), |p| (p.x(), p.y()));
    (round6(p.0), round6(p.1))
}

/// A distance or area rounded to a whole number of metres (or square metres), as messages
/// give them; negative and NaN values are 0.
#[must_use]
pub fn whole(v: f64) -> u64 {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "rounded and clamped to be non-negative; sizes on Earth are far inside u64"
    )]
    let out = v.round().max(0.0) as u64;
    out
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// A point the index could not place (the organisation names the area in its own
/// `LocateError`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MissError {
    /// Not a longitude/latitude pair.
    #[error(
        "point [{lon}, {lat}] is not a place; longitude must be a finite number in [-180, 180] and latitude in [-90, 90]"
    )]
    BadPoint {
        /// The longitude given.
        lon: f64,
        /// The latitude given.
        lat: f64,
    },
    /// Inside no area; names the nearest.
    #[error("point is in no area")]
    Outside {
        /// The key of the nearest area and its distance in metres (`None` for an empty
        /// index).
        nearest: Option<(u32, f64)>,
    },
}

/// An index over areas, for finding the area that contains a point: an R-tree (`rstar`)
/// and, for the lookups themselves, a uniform grid of cells listing the areas that reach
/// each (see `cells.rs` for why, and the property test holding the two equal).
///
/// A point inside one area gets that area. A point on an edge or corner that several
/// areas share gets the one with the smallest key among them, so a point on a shared edge
/// resolves the same way every time, whatever order the areas were given in.
#[derive(Debug)]
pub struct AreaIndex {
    crs: Crs,
    shapes: Vec<(u32, Shape)>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
    cells: cells::Cells,
    /// The box around every area, `[min_lon, min_lat, max_lon, max_lat]`.
    bounds: Option<[f64; 4]>,
}

impl AreaIndex {
    /// Indexes areas given in `crs`. Shapes with no extent are left out.
    #[must_use]
    pub fn new(crs: Crs, mut shapes: Vec<(u32, Shape)>) -> Self {
        shapes.sort_by_key(|(k, _)| *k);
        // An area without extent (no coordinates) gets a box no point can be in.
        let boxes: Vec<[f64; 4]> = shapes
            .iter()
            .map(|(_, s)| {
                s.bounding_rect().map_or([f64::NAN; 4], |r| {
                    [r.min().x, r.min().y, r.max().x, r.max().y]
                })
            })
            .collect();
        let entries = boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| b.iter().all(|v| v.is_finite()))
            .filter_map(|(i, b)| {
                let at = u32::try_from(i).ok()?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                    at,
                ))
            })
            .collect();
        Self {
            crs,
            bounds: bounds(shapes.iter().map(|(_, s)| s)),
            cells: cells::Cells::new(&boxes),
            shapes,
            tree: RTree::bulk_load(entries),
        }
    }

    /// The coordinate system of the indexed areas.
    #[must_use]
    pub const fn crs(&self) -> Crs {
        self.crs
    }

    /// How many areas are indexed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether no area is indexed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// The areas, by key.
    pub fn shapes(&self) -> impl Iterator<Item = (u32, &Shape)> {
        self.shapes.iter().map(|(k, s)| (*k, s))
    }

    /// The key of the area containing a point given in `crs`.
    ///
    /// # Errors
    /// [`MissError::BadPoint`] for a point that is not a longitude/latitude pair,
    /// [`MissError::Outside`] (naming the nearest area) for one inside none.
    pub fn locate(&self, lon: f64, lat: f64, crs: Crs) -> Result<u32, MissError> {
        if !is_place(lon, lat) {
            return Err(MissError::BadPoint { lon, lat });
        }
        let (x, y) = crs.convert(self.crs, lon, lat);
        match self.hit(x, y) {
            Some(key) => Ok(key),
            None => Err(MissError::Outside {
                nearest: self.nearest(x, y),
            }),
        }
    }

    /// [`locate`](Self::locate) for columns of points: the key of each point's area, or
    /// `None` for a point that is in none or is not a place. The points are visited in
    /// Z-order (near points one after another), so the tree's nodes and the areas they
    /// lead to are still in cache for the next point; the answers are the same as
    /// point by point, in the input's order.
    #[must_use]
    pub fn locate_many(&self, lons: &[f64], lats: &[f64], crs: Crs) -> Vec<Option<u32>> {
        let n = lons.len().min(lats.len());
        let mut points: Vec<(f64, f64)> = Vec::with_capacity(n);
        for (&lon, &lat) in lons.iter().zip(lats) {
            points.push(if is_place(lon, lat) {
                crs.convert(self.crs, lon, lat)
            } else {
                (f64::NAN, f64::NAN)
            });
        }
        let Some([x0, y0, x1, y1]) = self.bounds else {
            return vec![None; n];
        };
        let cell = |v: f64, lo: f64, hi: f64| -> u32 {
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.0 };
            // Clamped into [0, 65535]; NaN (a refused point) goes to 0.
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "clamped to 0..=65535 first"
            )]
            let q = (t.clamp(0.0, 1.0) * 65535.0) as u32;
            q
        };
        let mut order: Vec<(u32, u32)> = points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                let z = interleave(cell(x, x0, x1)) | (interleave(cell(y, y0, y1)) << 1);
                (z, u32::try_from(i).unwrap_or(u32::MAX))
            })
            .collect();
        order.sort_unstable();
        let mut out = vec![None; n];
        for (_, i) in order {
            let Some(&(x, y)) = points.get(i as usize) else {
                continue;
            };
            if x.is_nan() {
                continue;
            }
            if let Some(slot) = out.get_mut(i as usize) {
                *slot = self.hit(x, y);
            }
        }
        out
    }

    /// The smallest key among the areas that contain or touch a point in the index's
    /// own coordinates.
    fn hit(&self, x: f64, y: f64) -> Option<u32> {
        let c = geo::Coord { x, y };
        for &i in self.cells.candidates(x, y) {
            if self
                .shapes
                .get(i as usize)
                .is_some_and(|(_, s)| s.iter().any(|p| p.intersects(&c)))
            {
                return self.shapes.get(i as usize).map(|(k, _)| *k);
            }
        }
        None
    }

    /// [`locate`](Self::locate) through the R-tree alone: the reference the cells are
    /// held equal to (by a property test) and compared with (by a benchmark).
    #[doc(hidden)]
    #[must_use]
    pub fn locate_by_tree(&self, lon: f64, lat: f64, crs: Crs) -> Option<u32> {
        if !lon.is_finite() || !lat.is_finite() {
            return None;
        }
        let (x, y) = crs.convert(self.crs, lon, lat);
        self.hit_tree(x, y)
    }

    fn hit_tree(&self, x: f64, y: f64) -> Option<u32> {
        let c = geo::Coord { x, y };
        let mut best: Option<usize> = None;
        for e in self.tree.locate_all_at_point(&[x, y]) {
            let i = e.data as usize;
            if best.is_some_and(|b| b <= i) {
                continue;
            }
            // Polygon by polygon: what `MultiPolygon::intersects` does after a bounding-box
            // test that the R-tree has already made.
            if self
                .shapes
                .get(i)
                .is_some_and(|(_, s)| s.iter().any(|p| p.intersects(&c)))
            {
                best = Some(i);
            }
        }
        best.and_then(|i| self.shapes.get(i)).map(|(k, _)| *k)
    }

    /// The nearest area to a point outside all of them, with its distance in metres.
    fn nearest(&self, x: f64, y: f64) -> Option<(u32, f64)> {
        let p = Point::new(x, y);
        let mut best: Option<(f64, usize)> = None;
        for (e, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&[x, y]) {
            if best.is_some_and(|(b, _)| d2 > b * b) {
                break;
            }
            let i = e.data as usize;
            let Some((_, shape)) = self.shapes.get(i) else {
                continue;
            };
            let d = Euclidean.distance(&p, shape);
            if best.is_none_or(|(b, bi)| d < b || (d == b && i < bi)) {
                best = Some((d, i));
            }
        }
        let (_, i) = best?;
        let (key, shape) = self.shapes.get(i)?;
        let metres = closest_metres(&p, shape);
        Some((*key, metres))
    }
}

/// The bits of a 16-bit number spread to the even positions of a 32-bit one (for a
/// Morton, or Z-order, code).
fn interleave(v: u32) -> u32 {
    let mut x = v & 0xFFFF;
    x = (x | (x << 8)) & 0x00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333;
    (x | (x << 1)) & 0x5555_5555
}

/// The great-circle distance in metres from a point to the closest point of a shape.
fn closest_metres(p: &Point<f64>, shape: &Shape) -> f64 {
    use geo::{Closest, ClosestPoint};
    match shape.closest_point(p) {
        Closest::Intersection(q) | Closest::SinglePoint(q) => Haversine.distance(*p, q),
        Closest::Indeterminate => 0.0,
    }
}

/// The bounding box of every area, `[min_lon, min_lat, max_lon, max_lat]`.
#[must_use]
pub fn bounds<'a>(shapes: impl IntoIterator<Item = &'a Shape>) -> Option<[f64; 4]> {
    let mut out: Option<AABB<[f64; 2]>> = None;
    for s in shapes {
        if let Some(r) = s.bounding_rect() {
            let b = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
            out = Some(out.map_or(b, |o| o.merged(&b)));
        }
    }
    out.map(|b| [b.lower()[0], b.lower()[1], b.upper()[0], b.upper()[1]])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Shape {
        MultiPolygon::new(vec![Polygon::new(
            vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)].into(),
            Vec::new(),
        )])
    }

    fn geometry(json: &str) -> geojson::Geometry {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn shapes_read_and_refuse() {
        let ok = geometry(
            r#"{"type":"Polygon","coordinates":[[[117,35],[117.01,35],[117.01,35.01],[117,35]]]}"#,
        );
        assert_eq!(shape_of(&ok).unwrap().0.len(), 1);
        let point = geometry(r#"{"type":"Point","coordinates":[117,35]}"#);
        assert!(
            shape_of(&point)
                .unwrap_err()
                .0
                .contains("is a Point; an area must be a Polygon")
        );
        let open = geometry(
            r#"{"type":"Polygon","coordinates":[[[117,35],[117.01,35],[117.01,35.01],[117,35.02]]]}"#,
        );
        assert!(shape_of(&open).unwrap_err().0.contains("not closed"));
        let short =
            geometry(r#"{"type":"Polygon","coordinates":[[[117,35],[117.01,35],[117,35]]]}"#);
        assert!(shape_of(&short).unwrap_err().0.contains("has 3 positions"));
        let far = geometry(
            r#"{"type":"Polygon","coordinates":[[[117,95],[117.01,35],[117.01,35.01],[117,95]]]}"#,
        );
        assert!(
            shape_of(&far)
                .unwrap_err()
                .0
                .contains("latitude in [-90, 90]")
        );
    }

    #[test]
    fn bow_tie_is_invalid() {
        let bow = MultiPolygon::new(vec![Polygon::new(
            vec![(0.0, 0.0), (1.0, 1.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)].into(),
            Vec::new(),
        )]);
        assert!(invalidity(&bow).is_some());
        assert_eq!(invalidity(&square(0.0, 0.0, 1.0, 1.0)), None);
    }

    #[test]
    fn overlaps_gaps_and_holes() {
        let a = square(117.0, 35.0, 117.01, 35.01);
        let b = square(117.01, 35.0, 117.02, 35.01);
        let c = square(117.005, 35.0, 117.015, 35.01);
        assert_eq!(overlap(&a, &b), None, "neighbours only touch");
        let (m2, at) = overlap(&a, &c).unwrap();
        assert!(m2 > 500_000.0 && m2 < 520_000.0, "{m2}");
        assert!(at.0 > 117.005 && at.0 < 117.01);
        let whole = square(117.0, 35.0, 117.02, 35.01);
        assert_eq!(leftover(&whole, &union_of([&a, &b])), None);
        let (gap, _) = leftover(&whole, &a).unwrap();
        assert!(gap > 900_000.0, "{gap}");
        let ring = whole.difference(&square(117.005, 35.002, 117.015, 35.008));
        assert_eq!(holes(&ring).len(), 1);
    }

    #[test]
    fn shared_edges_go_to_the_smaller_key_and_misses_name_the_nearest() {
        let index = AreaIndex::new(
            Crs::Gcj02,
            vec![
                (7, square(117.01, 35.0, 117.02, 35.01)),
                (3, square(117.0, 35.0, 117.01, 35.01)),
            ],
        );
        assert_eq!(index.locate(117.005, 35.005, Crs::Gcj02), Ok(3));
        assert_eq!(index.locate(117.015, 35.005, Crs::Gcj02), Ok(7));
        assert_eq!(
            index.locate(117.01, 35.005, Crs::Gcj02),
            Ok(3),
            "on the shared edge"
        );
        assert_eq!(
            index.locate(117.02, 35.01, Crs::Gcj02),
            Ok(7),
            "on the outer corner"
        );
        let Err(MissError::Outside {
            nearest: Some((key, m)),
        }) = index.locate(117.025, 35.005, Crs::Gcj02)
        else {
            panic!("outside");
        };
        assert_eq!(key, 7);
        assert!((m - 455.0).abs() < 5.0, "{m}");
        assert!(matches!(
            index.locate(f64::NAN, 35.0, Crs::Gcj02),
            Err(MissError::BadPoint { .. })
        ));
    }
}
