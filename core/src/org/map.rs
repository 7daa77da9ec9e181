//! The organisation on the map: an optional GeoJSON area per territorial unit, checked to
//! tile the ground (不留空白), and the index that finds a point's micro-grid.
//!
//! The spec's `map` section declares its coordinate system and holds a GeoJSON
//! `FeatureCollection` whose features name their unit in `properties.unit`:
//!
//! ```json
//! {"crs": "gcj02", "synthetic": true, "areas": {"type": "FeatureCollection", "features": [
//!   {"type": "Feature", "properties": {"unit": "fs-c01-g01-m1"},
//!    "geometry": {"type": "Polygon", "coordinates": [[[116.95, 35.39], …]]}}]}}
//! ```
//!
//! Checks, each problem naming its units: an area that is not a polygon, is for a unit
//! that is not territorial, repeats a unit or crosses itself; two areas under the same
//! parent that overlap; an area that reaches outside the nearest enclosing unit with an
//! area; and, as coverage gaps ([`GapPolicy`](super::GapPolicy) may accept them), blank
//! ground inside a unit that none of its units' areas covers, and a micro-grid with no
//! area at all.

use std::sync::Arc;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject as _};
use serde::{Deserialize, Serialize};

use super::{Hierarchy, NONE, OrgProblem, UnitKind};
use crate::spatial::{self, AreaIndex, Crs, Shape};

/// The `map` section of an org spec.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapSpec {
    /// The coordinate system of every area: `wgs84`, `gcj02` or `bd09`.
    pub crs: Crs,
    /// `true` when the areas are invented for the example, not surveyed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub synthetic: bool,
    /// Where the areas come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// One GeoJSON feature per unit: `properties.unit` names it, the geometry is a
    /// `Polygon` or `MultiPolygon`.
    pub areas: geojson::FeatureCollection,
}

/// The checked map of an organisation: every unit's area, and the micro-grids indexed
/// for [`OrgGraph::locate`](super::OrgGraph::locate).
#[derive(Debug)]
pub struct OrgMap {
    crs: Crs,
    synthetic: bool,
    /// Every unit with an area, by unit index.
    areas: Vec<(u32, Shape)>,
    micro_grids: AreaIndex,
    /// Each unit's position among the micro-grids in spec order (-1 for other units).
    ordinals: Vec<i32>,
}

impl OrgMap {
    /// The coordinate system of the areas.
    #[must_use]
    pub const fn crs(&self) -> Crs {
        self.crs
    }

    /// Whether the areas are invented for the example.
    #[must_use]
    pub const fn synthetic(&self) -> bool {
        self.synthetic
    }

    /// The micro-grids' index.
    #[must_use]
    pub const fn micro_grids(&self) -> &AreaIndex {
        &self.micro_grids
    }

    /// A micro-grid's position among the micro-grids in spec order (-1 for another unit).
    #[must_use]
    pub fn ordinal(&self, unit: u32) -> i32 {
        self.ordinals.get(unit as usize).copied().unwrap_or(-1)
    }

    /// The area of a unit (by its index), if it has one.
    #[must_use]
    pub fn area_of(&self, unit: u32) -> Option<&Shape> {
        self.areas
            .binary_search_by_key(&unit, |(k, _)| *k)
            .ok()
            .and_then(|i| self.areas.get(i))
            .map(|(_, s)| s)
    }

    /// Every unit with an area (unit index, area), by unit index.
    pub fn areas(&self) -> impl Iterator<Item = (u32, &Shape)> {
        self.areas.iter().map(|(k, s)| (*k, s))
    }
}

fn at(p: (f64, f64)) -> String {
    format!("{:.6}, {:.6}", p.0, p.1)
}

/// The map's checks over the spec's units; `parent` is each unit's containment parent.
pub(super) struct MapCheck<'s> {
    pub(super) units: &'s [super::UnitSpec],
    pub(super) index: &'s rustc_hash::FxHashMap<&'s str, u32>,
    pub(super) parent: &'s [u32],
}

/// What the map's checks found.
pub(super) struct MapFound {
    pub(super) problems: Vec<OrgProblem>,
    pub(super) gaps: Vec<OrgProblem>,
    pub(super) map: Option<Arc<OrgMap>>,
}

impl MapCheck<'_> {
    fn id(&self, i: u32) -> String {
        self.units
            .get(i as usize)
            .map(|u| u.id.to_string())
            .unwrap_or_default()
    }

    fn kind(&self, i: u32) -> Option<UnitKind> {
        self.units.get(i as usize).map(|u| u.kind)
    }

    pub(super) fn run(&self, spec: &MapSpec) -> MapFound {
        let mut problems = Vec::new();
        let mut gaps = Vec::new();
        let n = self.units.len();
        let mut shape_of: Vec<Option<Shape>> = vec![None; n];
        for (f, feature) in spec.areas.features.iter().enumerate() {
            let unit = feature
                .properties
                .as_ref()
                .and_then(|p| p.get("unit"))
                .and_then(serde_json::Value::as_str);
            let bad = |unit: &str, reason: String| OrgProblem::BadArea {
                feature: f,
                unit: unit.to_owned(),
                reason,
            };
            let Some(unit) = unit else {
                problems.push(bad(
                    "",
                    "has no `properties.unit`; name the unit the area belongs to".to_owned(),
                ));
                continue;
            };
            let Some(&i) = self.index.get(unit) else {
                problems.push(bad(unit, "names a unit that is not in the spec".to_owned()));
                continue;
            };
            let kind = self.kind(i);
            if !kind
                .is_some_and(|k| k.hierarchy() == Hierarchy::Territory && k != UnitKind::Building)
            {
                problems.push(bad(
                    unit,
                    format!(
                        "is for a {}; areas are for subdistricts, communities, compounds, grids and micro-grids",
                        kind.map_or("unit", UnitKind::as_str)
                    ),
                ));
                continue;
            }
            let Some(geometry) = &feature.geometry else {
                problems.push(bad(
                    unit,
                    "has no geometry; give a Polygon or a MultiPolygon".to_owned(),
                ));
                continue;
            };
            let shape = match spatial::shape_of(geometry) {
                Ok(s) => s,
                Err(e) => {
                    problems.push(bad(unit, format!("geometry {e}")));
                    continue;
                }
            };
            let Some(slot) = shape_of.get_mut(i as usize) else {
                continue;
            };
            if slot.is_some() {
                problems.push(bad(
                    unit,
                    "repeats a unit that already has an area; give one area per unit (a MultiPolygon for several parts)"
                        .to_owned(),
                ));
                continue;
            }
            if let Some(reason) = spatial::invalidity(&shape) {
                problems.push(OrgProblem::InvalidArea {
                    id: unit.to_owned(),
                    reason,
                });
                continue;
            }
            *slot = Some(shape);
        }

        // The nearest enclosing unit with an area, for every unit with one.
        let mut up = vec![NONE; n];
        for i in 0..n {
            if shape_of.get(i).is_some_and(Option::is_some) {
                let mut p = self.parent.get(i).copied().unwrap_or(NONE);
                let mut steps = 0;
                while p != NONE && steps < n {
                    if shape_of.get(p as usize).is_some_and(Option::is_some) {
                        break;
                    }
                    p = self.parent.get(p as usize).copied().unwrap_or(NONE);
                    steps += 1;
                }
                if let Some(slot) = up.get_mut(i) {
                    *slot = p;
                }
            }
        }
        let shape = |i: u32| shape_of.get(i as usize).and_then(Option::as_ref);
        let with_area: Vec<u32> = (0..n)
            .filter(|&i| shape_of.get(i).is_some_and(Option::is_some))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();

        // Outside the enclosing area.
        for &i in &with_area {
            let p = up.get(i as usize).copied().unwrap_or(NONE);
            if let (Some(s), Some(ps)) = (shape(i), shape(p)) {
                if let Some((area, point)) = spatial::leftover(s, ps) {
                    problems.push(OrgProblem::AreaOutsideParent {
                        id: self.id(i),
                        parent: self.id(p),
                        square_metres: spatial::whole(area),
                        at: at(point),
                    });
                }
            }
        }

        // Overlaps between areas under the same enclosing area (or none): through an
        // R-tree, so a map of tens of thousands of micro-grids is not checked pair by pair.
        let entries: Vec<GeomWithData<Rectangle<[f64; 2]>, u32>> = with_area
            .iter()
            .filter_map(|&i| {
                let r = geo::BoundingRect::bounding_rect(shape(i)?)?;
                Some(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ))
            })
            .collect();
        let tree = RTree::bulk_load(entries.clone());
        for entry in &entries {
            let i = entry.data;
            let Some(s) = shape(i) else { continue };
            let env = entry.envelope();
            let mut others: Vec<u32> = tree
                .locate_in_envelope_intersecting(&env)
                .map(|e| e.data)
                .filter(|&j| j > i && up.get(j as usize) == up.get(i as usize))
                .collect();
            others.sort_unstable();
            for j in others {
                if let Some((area, point)) = shape(j).and_then(|o| spatial::overlap(s, o)) {
                    problems.push(OrgProblem::AreaOverlap {
                        id: self.id(i),
                        other: self.id(j),
                        square_metres: spatial::whole(area),
                        at: at(point),
                    });
                }
            }
        }

        // Blank ground: inside a unit with an area, what its units' areas leave; inside a
        // grid without one, the holes its micro-grids' areas enclose.
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &i in &with_area {
            let p = up.get(i as usize).copied().unwrap_or(NONE);
            if let Some(list) = children.get_mut(p as usize) {
                list.push(i);
            }
        }
        for (p, kids) in children.iter().enumerate() {
            let Ok(p) = u32::try_from(p) else { continue };
            if kids.is_empty() {
                continue;
            }
            let union = spatial::union_of(kids.iter().filter_map(|&k| shape(k)));
            if let Some(ps) = shape(p) {
                if let Some((area, point)) = spatial::leftover(ps, &union) {
                    gaps.push(OrgProblem::AreaGap {
                        id: self.id(p),
                        square_metres: spatial::whole(area),
                        at: at(point),
                    });
                }
            }
        }
        let mut grid_kids: Vec<Vec<u32>> = vec![Vec::new(); n];
        for &i in &with_area {
            let p = self.parent.get(i as usize).copied().unwrap_or(NONE);
            if self.kind(i) == Some(UnitKind::MicroGrid) && shape(p).is_none() {
                if let Some(list) = grid_kids.get_mut(p as usize) {
                    list.push(i);
                }
            }
        }
        for (g, kids) in grid_kids.iter().enumerate() {
            let Ok(g) = u32::try_from(g) else { continue };
            if kids.len() < 2 {
                continue;
            }
            let union = spatial::union_of(kids.iter().filter_map(|&k| shape(k)));
            if let Some((area, point)) = spatial::holes(&union).first() {
                gaps.push(OrgProblem::AreaGap {
                    id: self.id(g),
                    square_metres: spatial::whole(*area),
                    at: at(*point),
                });
            }
        }

        // Every micro-grid on the map.
        for (i, u) in self.units.iter().enumerate() {
            if u.kind == UnitKind::MicroGrid && shape_of.get(i).is_some_and(Option::is_none) {
                gaps.push(OrgProblem::MissingArea {
                    id: u.id.to_string(),
                });
            }
        }

        let map = problems.is_empty().then(|| {
            let areas: Vec<(u32, Shape)> = shape_of
                .into_iter()
                .enumerate()
                .filter_map(|(i, s)| Some((u32::try_from(i).ok()?, s?)))
                .collect();
            let micro: Vec<(u32, Shape)> = areas
                .iter()
                .filter(|(i, _)| self.kind(*i) == Some(UnitKind::MicroGrid))
                .cloned()
                .collect();
            let mut next = 0_i32;
            let ordinals = self
                .units
                .iter()
                .map(|u| {
                    if u.kind == UnitKind::MicroGrid {
                        next += 1;
                        next - 1
                    } else {
                        -1
                    }
                })
                .collect();
            Arc::new(OrgMap {
                ordinals,
                crs: spec.crs,
                synthetic: spec.synthetic,
                micro_grids: AreaIndex::new(spec.crs, micro),
                areas,
            })
        });
        MapFound {
            problems,
            gaps,
            map,
        }
    }
}
