//! The organisation graph: two containment trees (territory and party), the "anchored to"
//! edges between them, and the people, duties, offices and volunteer teams attached.
//!
//! Build one from an [`OrgSpec`] (JSON) with [`OrgGraph::from_json_str`], or take the
//! embedded Fushan subdistrict with [`OrgGraph::fushan`]. Validation reports every problem
//! it finds, each naming the unit and what is wrong.
//!
//! ```
//! use gridgov::org::{Level, OrgGraph, UnitKind};
//!
//! let org = OrgGraph::fushan();
//! assert_eq!(org.counts().units[&UnitKind::Grid], 150);
//! // Which community is micro-grid `fs-c01-g01-m1` in, and who answers for it there?
//! let community = org.unit_at_level("fs-c01-g01-m1", Level::Community)?.unwrap();
//! assert_eq!(community.id, "fs-c01");
//! assert!(org.contains("fs-c01", "fs-c01-g01-m1")?);
//! let holder = org.duty_holder("fs-c01-g01-m1", Level::Grid)?.unwrap();
//! assert_eq!(holder.role.as_str(), "grid_worker");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod build;
mod duty_lists;
mod error;
mod grids;
mod kind;
mod map;
mod spec;

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;
use serde::Serialize;

pub use duty_lists::{
    DutyClassSpec, DutyItemSpec, DutyListSpec, DutyListsSpec, DutyScope, MissingCommonLists,
    WorkAreaSpec,
};
pub use error::{LocateError, LookupError, OrgError, OrgProblem};
pub(crate) use grids::GridIndex;
pub use kind::{DutyKind, Hierarchy, Level, OfficeKind, Role, UnitKind};
pub use map::{MapSpec, OrgMap};
pub use spec::{
    Brand, DutySpec, ORG_FORMAT, OfficeSpec, OrgSpec, PersonSpec, UnitSpec, VolunteerTeamSpec,
};

use crate::id::{OfficeId, UnitId};

/// Sentinel for "no unit / no person" in the internal index tables.
pub(crate) const NONE: u32 = u32::MAX;

/// The embedded Fushan spec, deflated at build time (`core/build.rs`).
const FUSHAN_DEFLATED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fushan.json.deflate"));

/// The embedded Fushan subdistrict spec (`core/data/fushan.json`), as JSON text. It is
/// kept deflated in the library (39 KB, not 617 KB) and inflated on the first call.
#[must_use]
pub fn fushan_json() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| crate::text::inflate_embedded(FUSHAN_DEFLATED))
}

/// The level table row of a unit.
#[derive(Clone, Copy, Debug)]
#[repr(align(32))]
pub(crate) struct UnitRow {
    levels: [u32; 4],
    holders: [u32; 4],
}

impl UnitRow {
    /// The row of a key the organisation does not have: no unit and no holder anywhere.
    pub(crate) const NONE: UnitRow = UnitRow {
        levels: [NONE; 4],
        holders: [NONE; 4],
    };

    /// The unit at `level` over this unit.
    #[inline]
    pub(crate) fn unit_at(&self, level: Level) -> Option<UnitKey> {
        match self.levels.get(level.rank()).copied() {
            Some(NONE) | None => None,
            Some(u) => Some(UnitKey(u)),
        }
    }

    /// The duty holder's person index for a case here handled at `level`.
    #[inline]
    pub(crate) fn holder_at(&self, level: Level) -> Option<u32> {
        match self.holders.get(level.rank()).copied() {
            Some(NONE) | None => None,
            Some(p) => Some(p),
        }
    }
}

/// A unit's place in the pre-order numbering of its containment tree.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    start: u32,
    end: u32,
}

/// The two kinds of edge in the graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edge {
    /// Parent → child, inside one hierarchy.
    Contains,
    /// Party unit → the territorial unit it is built on.
    AnchoredTo,
}

/// The validation policy for coverage gaps (全域覆盖): a grid without a grid worker, a
/// compound without a grid, a party unit anchored to nothing. Strict validation is the
/// default, for deployments; an analyst loading a plain territorial tree (no people, no
/// party units) asks for the gaps as warnings. Structural problems (an unknown parent, a
/// cycle, a duplicate id…) are errors under either policy.
///
/// In JSON, Python and JS the policy is named `"strict"` or `"warn"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GapPolicy {
    /// Gaps are validation problems and the spec is rejected (the default; `"strict"`).
    #[default]
    Reject,
    /// Gaps are accepted and listed in [`OrgGraph::gaps`], [`OrgGraph::coverage`] and an
    /// engine's warnings, so that partial data can be loaded and its gaps shown to the
    /// people who must close them (`"warn"`).
    Report,
}

impl GapPolicy {
    /// The policy's name: `strict` or `warn`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Reject => "strict",
            Self::Report => "warn",
        }
    }
}

impl std::str::FromStr for GapPolicy {
    type Err = crate::input::InputError;

    /// `strict` or `warn`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "strict" => Ok(Self::Reject),
            "warn" => Ok(Self::Report),
            other => Err(crate::input::InputError::value(
                "validation",
                format!(
                    "`{}` is not a validation policy; valid: strict, warn",
                    crate::text::truncate_for_message(other)
                ),
            )),
        }
    }
}

/// A compact handle to a unit of one graph, for the fast query paths
/// ([`OrgGraph::contains_key`], [`OrgGraph::unit_at_level_key`]).
///
/// A key is only meaningful for the graph that issued it; with another graph the answers
/// are wrong but never a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitKey(u32);

impl UnitKey {
    /// The position of the unit in the spec's `units` list.
    #[must_use]
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where a point is: its micro-grid, grid and community.
#[derive(Clone, Copy, Debug)]
pub struct Located<'g> {
    /// The micro-grid's key.
    pub micro_grid_key: UnitKey,
    /// The micro-grid.
    pub micro_grid: Option<&'g UnitSpec>,
    /// Its grid.
    pub grid: Option<&'g UnitSpec>,
    /// Its community.
    pub community: Option<&'g UnitSpec>,
}

/// A validated organisation with its indexes.
#[derive(Clone, Debug)]
pub struct OrgGraph {
    spec: OrgSpec,
    graph: DiGraph<UnitKind, Edge, u32>,
    unit_ids: crate::idmap::IdMap,
    office_ids: crate::idmap::IdMap,
    person_ids: crate::idmap::IdMap,
    /// Each unit's kind, for checks on the hot path without touching its spec.
    kinds: Vec<UnitKind>,
    parent: Vec<u32>,
    spans: Vec<Span>,
    order: Vec<u32>,
    /// For each territorial unit: the unit at micro-grid, grid, community and subdistrict
    /// level, and the duty holder (person index) at each of those levels; together so that
    /// routing reads one cache line.
    rows: Vec<UnitRow>,
    liaison: Vec<u32>,
    /// Per unit: the micro-grid leader posted there (`NONE` if none).
    micro_leader: Vec<u32>,
    /// Whether any micro-grid leader is posted (the organisation uses them).
    micro_leaders_posted: bool,
    office_lead: Vec<u32>,
    /// The office of each kind serving each subdistrict (`NONE` for city-level offices).
    office_by_kind: FxHashMap<(u32, OfficeKind), u32>,
    gaps: Vec<OrgProblem>,
    /// The checked map, when the spec has one.
    map: Option<std::sync::Arc<OrgMap>>,
    /// The grids laid out for scoring, built on first use and shared by clones.
    grid_index: std::sync::OnceLock<std::sync::Arc<GridIndex>>,
    /// Each person's duties (positions in the spec's `duties`), built on first use and
    /// shared by clones.
    person_duties: std::sync::OnceLock<std::sync::Arc<Vec<Vec<u32>>>>,
    /// What each person's duty lists cover (built once, on first use).
    duty_cover: std::sync::OnceLock<duty_lists::Cover>,
    /// Which office takes each category where (built once, on first use): see
    /// [`OfficesTaking`].
    offices_taking: std::sync::OnceLock<std::sync::Arc<OfficesTaking>>,
    /// The ids of the units, people and offices, in lists of texts (see [`IdTexts`]).
    id_texts: IdTexts,
}

/// The ids of an organisation's units, people and offices, each list of them kept in one
/// text, by position: a decision hands its unit, offices and people out as `&str`, and
/// reading one reads these dense tables, where reading an id's own text first reads the start of
/// its allocation (an id keeps its length beside its bytes), a cache miss per id on a
/// large organisation.
#[derive(Clone, Debug, Default)]
struct IdTexts {
    units: crate::text::TextList,
    people: crate::text::TextList,
    offices: crate::text::TextList,
}

impl IdTexts {
    fn of(spec: &OrgSpec) -> Self {
        let mut out = Self::default();
        for u in &spec.units {
            out.units.push(u.id.as_str());
        }
        for p in &spec.people {
            out.people.push(p.id.as_str());
        }
        for o in &spec.offices {
            out.offices.push(o.id.as_str());
        }
        out
    }
}

/// For each category, the first office in spec order that takes it: among the offices
/// serving the whole city, and among those of each unit. [`OrgGraph::office_taking`]
/// reads two entries here where it read every office (and looked up each office's unit
/// by its text): on a city of 100 subdistricts, some 30,000 instructions a look-up, most
/// of the time an escalation to department level took.
#[derive(Debug, Default)]
struct OfficesTaking(rustc_hash::FxHashMap<Box<str>, CategoryOffices>);

/// [`OfficesTaking`] of one category.
#[derive(Debug, Default)]
struct CategoryOffices {
    /// The first office serving the whole city.
    city: Option<u32>,
    /// The first office of each unit (by the key of the office's unit).
    local: rustc_hash::FxHashMap<Option<UnitKey>, u32>,
}

impl OrgGraph {
    /// The units a person holds a duty of kind `duty` for, in spec order: a grid worker's
    /// posted grids, a committee member's liaison grids. Found through an index by person
    /// (built once, on first use), not by reading every duty.
    #[must_use]
    pub fn duty_units_of(&self, person: &str, duty: DutyKind) -> Vec<UnitKey> {
        let Some(p) = self.person_ids.get(person) else {
            return Vec::new();
        };
        let index = self.person_duties.get_or_init(|| {
            let mut by_person = vec![Vec::new(); self.spec.people.len()];
            for (i, d) in self.spec.duties.iter().enumerate() {
                if let Some(list) = self
                    .person_ids
                    .get(d.person.as_str())
                    .and_then(|p| by_person.get_mut(p as usize))
                {
                    list.push(u32::try_from(i).unwrap_or(u32::MAX));
                }
            }
            std::sync::Arc::new(by_person)
        });
        index
            .get(p as usize)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.spec.duties.get(i as usize))
            .filter(|d| d.duty == duty)
            .filter_map(|d| self.key(d.unit.as_str()))
            .collect()
    }

    /// The grids laid out for scoring (built once, on first use).
    pub(crate) fn grid_index(&self) -> &GridIndex {
        self.grid_index
            .get_or_init(|| std::sync::Arc::new(GridIndex::new(self)))
    }

    /// The embedded Fushan subdistrict (凫山街道, Zoucheng, Shandong): 12 communities,
    /// 69 compounds, 150 grids, 382 micro-grids and the five-level party organisation.
    #[must_use]
    pub fn fushan() -> Self {
        #[expect(
            clippy::expect_used,
            reason = "the embedded spec is fixed data, checked by the test suite"
        )]
        Self::from_json_str(fushan_json()).expect("the embedded Fushan spec is valid")
    }

    /// Builds and validates a graph, rejecting coverage gaps.
    ///
    /// # Errors
    /// [`OrgError::Invalid`] listing every problem found.
    pub fn from_spec(spec: OrgSpec) -> Result<Self, OrgError> {
        build::build(spec, GapPolicy::Reject)
    }

    /// Builds and validates a graph with the given policy for coverage gaps.
    ///
    /// # Errors
    /// [`OrgError::Invalid`] listing every problem found.
    pub fn from_spec_with(spec: OrgSpec, gaps: GapPolicy) -> Result<Self, OrgError> {
        build::build(spec, gaps)
    }

    /// Parses a JSON org spec and builds the graph, rejecting coverage gaps.
    ///
    /// # Errors
    /// [`OrgError::Parse`] with line and column, or [`OrgError::Invalid`].
    pub fn from_json_str(json: &str) -> Result<Self, OrgError> {
        Self::from_json_str_with(json, GapPolicy::Reject)
    }

    /// Parses a JSON org spec and builds the graph with the given gap policy.
    ///
    /// # Errors
    /// [`OrgError::Parse`] with line and column, or [`OrgError::Invalid`].
    pub fn from_json_str_with(json: &str, gaps: GapPolicy) -> Result<Self, OrgError> {
        let spec: OrgSpec = serde_json::from_str(json).map_err(|e| OrgError::from_json(&e))?;
        build::build(spec, gaps)
    }

    /// The spec the graph was built from.
    #[must_use]
    pub fn spec(&self) -> &OrgSpec {
        &self.spec
    }

    /// The organisation's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Number of units (territorial and party).
    #[must_use]
    pub fn len(&self) -> usize {
        self.spec.units.len()
    }

    /// Whether the graph has no units.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spec.units.is_empty()
    }

    /// The gaps accepted under [`GapPolicy::Report`] (empty under [`GapPolicy::Reject`]).
    #[must_use]
    pub fn gaps(&self) -> &[OrgProblem] {
        &self.gaps
    }

    /// The organisation's map, when its spec has one.
    #[must_use]
    pub fn map(&self) -> Option<&OrgMap> {
        self.map.as_deref()
    }

    /// The micro-grid containing a point (longitude, latitude in `crs`), with its grid and
    /// community. A point on an edge or corner that micro-grids share goes to the one
    /// first in the spec, every time.
    ///
    /// ```
    /// use gridgov::{OrgGraph, spatial::Crs};
    /// let org = OrgGraph::fushan();
    /// // The middle of micro-grid 1 of grid 01, community 01, on Fushan's (synthetic) map.
    /// let at = org.locate(116.950333, 35.386125, Crs::Gcj02)?;
    /// assert_eq!(at.micro_grid.map(|u| u.id.as_str()), Some("fs-c01-g01-m1"));
    /// assert_eq!(at.grid.map(|u| u.id.as_str()), Some("fs-c01-g01"));
    /// assert_eq!(at.community.map(|u| u.id.as_str()), Some("fs-c01"));
    /// // The same place as a phone's GPS gives it.
    /// let (lon, lat) = Crs::Gcj02.convert(Crs::Wgs84, 116.950333, 35.386125);
    /// assert_eq!(org.locate(lon, lat, Crs::Wgs84)?.micro_grid_key, at.micro_grid_key);
    /// # Ok::<(), gridgov::org::LocateError>(())
    /// ```
    ///
    /// # Errors
    /// [`LocateError::NoMap`] without a map, [`LocateError::BadPoint`] for a point that is
    /// not a longitude/latitude pair, [`LocateError::Outside`] (naming the nearest
    /// micro-grid) for one in no micro-grid.
    pub fn locate(
        &self,
        lon: f64,
        lat: f64,
        crs: crate::spatial::Crs,
    ) -> Result<Located<'_>, LocateError> {
        let key = self.locate_key(lon, lat, crs)?;
        Ok(self.located(key))
    }

    /// [`locate`](Self::locate) giving only the micro-grid's key: the fast path for
    /// columns of points.
    ///
    /// # Errors
    /// As [`locate`](Self::locate).
    pub fn locate_key(
        &self,
        lon: f64,
        lat: f64,
        crs: crate::spatial::Crs,
    ) -> Result<UnitKey, LocateError> {
        let map = self.map.as_deref().ok_or(LocateError::NoMap)?;
        match map.micro_grids().locate(lon, lat, crs) {
            Ok(i) => Ok(UnitKey(i)),
            Err(crate::spatial::MissError::BadPoint { .. }) => Err(LocateError::BadPoint {
                point: format!("{lon}, {lat}"),
            }),
            Err(crate::spatial::MissError::Outside { nearest }) => Err(LocateError::Outside {
                point: format!("{lon}, {lat}"),
                crs,
                nearest: nearest.and_then(|(k, m)| {
                    Some((self.at(k)?.id.to_string(), crate::spatial::whole(m)))
                }),
            }),
        }
    }

    /// The micro-grids of each point of two columns (longitudes and latitudes in `crs`):
    /// for each point the position of its micro-grid among
    /// [`units_of_kind(MicroGrid)`](Self::units_of_kind) (spec order), or -1 for a point
    /// that is in none or is not a place. The batch path for analysts' coordinate columns.
    ///
    /// # Errors
    /// [`LocateError::NoMap`] without a map; [`LocateError::Lengths`] when the columns
    /// differ in length.
    pub fn locate_all(
        &self,
        lons: &[f64],
        lats: &[f64],
        crs: crate::spatial::Crs,
    ) -> Result<Vec<i32>, LocateError> {
        let map = self.map.as_deref().ok_or(LocateError::NoMap)?;
        if lons.len() != lats.len() {
            return Err(LocateError::Lengths {
                lons: lons.len(),
                lats: lats.len(),
            });
        }
        Ok(map
            .micro_grids()
            .locate_many(lons, lats, crs)
            .into_iter()
            .map(|k| k.map_or(-1, |k| map.ordinal(k)))
            .collect())
    }

    /// A located micro-grid with its grid and community.
    #[must_use]
    pub fn located(&self, micro_grid: UnitKey) -> Located<'_> {
        let unit = |level| {
            self.unit_at_level_key(micro_grid, level)
                .and_then(|k| self.unit_by_key(k))
        };
        Located {
            micro_grid_key: micro_grid,
            micro_grid: self.unit_by_key(micro_grid),
            grid: unit(Level::Grid),
            community: unit(Level::Community),
        }
    }

    /// The handle of a unit, for the fast query paths.
    #[must_use]
    pub fn key(&self, id: &str) -> Option<UnitKey> {
        self.unit_ids.get(id).map(UnitKey)
    }

    fn ix(&self, id: &str) -> Result<u32, LookupError> {
        self.unit_ids
            .get(id)
            .ok_or_else(|| LookupError::UnknownUnit(crate::text::truncate_for_message(id)))
    }

    fn at(&self, i: u32) -> Option<&UnitSpec> {
        self.spec.units.get(i as usize)
    }

    fn territorial(&self, id: &str) -> Result<u32, LookupError> {
        let i = self.ix(id)?;
        match self.at(i) {
            Some(u) if u.kind.hierarchy() == Hierarchy::Territory => Ok(i),
            Some(u) => Err(LookupError::WrongKind {
                id: u.id.to_string(),
                kind: u.kind,
                expected: territorial_kinds(),
            }),
            None => Err(LookupError::UnknownUnit(id.to_owned())),
        }
    }

    /// A unit by id.
    #[must_use]
    pub fn unit(&self, id: &str) -> Option<&UnitSpec> {
        self.unit_ids.get(id).and_then(|i| self.at(i))
    }

    /// The kind of a unit, by key, without reading its spec.
    #[inline]
    #[must_use]
    pub fn kind_of(&self, key: UnitKey) -> Option<UnitKind> {
        self.kinds.get(key.0 as usize).copied()
    }

    /// A unit by key.
    #[must_use]
    pub fn unit_by_key(&self, key: UnitKey) -> Option<&UnitSpec> {
        self.at(key.0)
    }

    /// A unit by its position in the spec's `units`.
    #[must_use]
    pub fn unit_by_key_index(&self, index: u32) -> Option<&UnitSpec> {
        self.at(index)
    }

    /// All units, in spec order.
    pub fn units(&self) -> impl ExactSizeIterator<Item = &UnitSpec> {
        self.spec.units.iter()
    }

    /// All units of one kind, in spec order.
    pub fn units_of_kind(&self, kind: UnitKind) -> impl Iterator<Item = &UnitSpec> {
        self.spec.units.iter().filter(move |u| u.kind == kind)
    }

    /// The unit a unit sits directly under.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn parent(&self, id: &str) -> Result<Option<&UnitSpec>, LookupError> {
        let i = self.ix(id)?;
        Ok(self.parent.get(i as usize).and_then(|&p| self.at(p)))
    }

    /// The units directly under a unit, in spec order.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn children(&self, id: &str) -> Result<Vec<&UnitSpec>, LookupError> {
        let i = self.ix(id)?;
        Ok(self.edge_targets(i, Edge::Contains, Direction::Outgoing))
    }

    fn edge_targets(&self, i: u32, edge: Edge, dir: Direction) -> Vec<&UnitSpec> {
        let mut found: Vec<u32> = self
            .graph
            .edges_directed(NodeIndex::new(i as usize), dir)
            .filter(|e| *e.weight() == edge)
            .map(|e| {
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                u32::try_from(other.index()).unwrap_or(NONE)
            })
            .collect();
        found.sort_unstable();
        found.into_iter().filter_map(|j| self.at(j)).collect()
    }

    /// The nearest unit of `kind` containing a unit (or the unit itself), by key.
    #[must_use]
    pub fn ancestor_of_kind(&self, key: UnitKey, kind: UnitKind) -> Option<UnitKey> {
        let mut cur = key.0;
        for _ in 0..32 {
            if self.kinds.get(cur as usize) == Some(&kind) {
                return Some(UnitKey(cur));
            }
            match self.parent.get(cur as usize).copied() {
                Some(NONE) | None => return None,
                Some(p) => cur = p,
            }
        }
        None
    }

    /// The units of `kinds` inside a unit, the unit itself included, by key.
    pub fn keys_within<'a>(
        &'a self,
        key: UnitKey,
        kinds: &'a [UnitKind],
    ) -> impl Iterator<Item = UnitKey> + 'a {
        let inner = self
            .spans
            .get(key.0 as usize)
            .and_then(|s| self.order.get(s.start as usize..=s.end as usize))
            .unwrap_or(&[]);
        inner
            .iter()
            .copied()
            .filter(move |&i| {
                self.kinds
                    .get(i as usize)
                    .is_some_and(|k| kinds.contains(k))
            })
            .map(UnitKey)
    }

    /// The first office (in spec order) that takes a category and serves the subdistrict a
    /// unit lies in, or the whole city.
    pub(crate) fn office_taking(&self, unit: UnitKey, category: &str) -> Option<u32> {
        let sd = self.unit_at_level_key(unit, Level::Subdistrict);
        let taking = self.offices_taking.get_or_init(|| {
            let mut index = OfficesTaking::default();
            for (i, o) in self.spec.offices.iter().enumerate() {
                let Ok(i) = u32::try_from(i) else { break };
                let unit = o.unit.as_ref().map(|u| self.key(u.as_str()));
                for c in &o.categories {
                    let entry = index.0.entry(Box::from(c.as_str())).or_default();
                    // Offices are read in spec order: the first one found stays.
                    match unit {
                        None => {
                            entry.city.get_or_insert(i);
                        }
                        Some(key) => {
                            entry.local.entry(key).or_insert(i);
                        }
                    }
                }
            }
            std::sync::Arc::new(index)
        });
        let entry = taking.0.get(category)?;
        match (entry.city, entry.local.get(&sd).copied()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// [`office_taking`](Self::office_taking) by reading every office: the reference the
    /// index is tested against.
    #[cfg(test)]
    pub(crate) fn office_taking_by_scan(&self, unit: UnitKey, category: &str) -> Option<u32> {
        let sd = self.unit_at_level_key(unit, Level::Subdistrict);
        let serves = |o: &OfficeSpec| match &o.unit {
            None => true,
            Some(u) => self.key(u.as_str()) == sd,
        };
        self.spec
            .offices
            .iter()
            .position(|o| serves(o) && o.categories.iter().any(|c| c.as_str() == category))
            .and_then(|i| u32::try_from(i).ok())
    }

    /// The units above a unit, nearest first.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn ancestors(&self, id: &str) -> Result<Vec<&UnitSpec>, LookupError> {
        let mut cur = self.ix(id)?;
        let mut out = Vec::new();
        while let Some(&p) = self.parent.get(cur as usize) {
            match self.at(p) {
                Some(u) => out.push(u),
                None => break,
            }
            cur = p;
        }
        Ok(out)
    }

    /// The units of `kind` inside a unit (not counting the unit itself), in tree order.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn descendants_of_kind(
        &self,
        id: &str,
        kind: UnitKind,
    ) -> Result<Vec<&UnitSpec>, LookupError> {
        let i = self.ix(id)?;
        let Some(span) = self.spans.get(i as usize) else {
            return Ok(Vec::new());
        };
        let inner = self
            .order
            .get(span.start as usize + 1..=span.end as usize)
            .unwrap_or(&[]);
        Ok(inner
            .iter()
            .filter_map(|&j| self.at(j))
            .filter(|u| u.kind == kind)
            .collect())
    }

    /// Whether unit `outer` contains unit `inner` in its containment tree. A unit contains
    /// itself. Answered in O(1) from the interval index.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`] for either id.
    pub fn contains(&self, outer: &str, inner: &str) -> Result<bool, LookupError> {
        let a = self.ix(outer)?;
        let b = self.ix(inner)?;
        Ok(self.contains_key(UnitKey(a), UnitKey(b)))
    }

    /// A unit's interval in the pre-order numbering of its containment tree: the units it
    /// contains are exactly those whose start lies in `start..=end`.
    #[must_use]
    pub(crate) fn span(&self, key: UnitKey) -> Option<(u32, u32)> {
        self.spans.get(key.0 as usize).map(|s| (s.start, s.end))
    }

    /// [`contains`](Self::contains) on keys: two array reads and two comparisons.
    #[inline]
    #[must_use]
    pub fn contains_key(&self, outer: UnitKey, inner: UnitKey) -> bool {
        match (
            self.spans.get(outer.0 as usize),
            self.spans.get(inner.0 as usize),
        ) {
            (Some(a), Some(b)) => a.start <= b.start && b.start <= a.end,
            _ => false,
        }
    }

    /// The unit at `level` that contains a territorial unit (or is it); `None` for
    /// [`Level::Department`] and when the unit lies above that level.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`], or [`LookupError::WrongKind`] for a party unit.
    pub fn unit_at_level(&self, id: &str, level: Level) -> Result<Option<&UnitSpec>, LookupError> {
        let i = self.territorial(id)?;
        Ok(self
            .unit_at_level_key(UnitKey(i), level)
            .and_then(|k| self.at(k.0)))
    }

    /// [`unit_at_level`](Self::unit_at_level) with the level named as the bindings and
    /// query strings give it (`micro_grid`, `grid`, `community`, `subdistrict`,
    /// `department`), answering with the unit's id.
    ///
    /// ```
    /// let org = gridgov::OrgGraph::fushan();
    /// assert_eq!(org.unit_id_at_level("fs-c02-g03-m1", "community"), Ok(Some("fs-c02")));
    /// assert_eq!(
    ///     org.unit_id_at_level("fs-c02-g03-m1", "street").unwrap_err().code(),
    ///     "unknown_level"
    /// );
    /// ```
    ///
    /// # Errors
    /// [`LookupError::UnknownLevel`], and as [`unit_at_level`](Self::unit_at_level).
    pub fn unit_id_at_level(&self, id: &str, level: &str) -> Result<Option<&str>, LookupError> {
        let level = Level::of_query(level)?;
        Ok(self.unit_at_level(id, level)?.map(|u| u.id.as_str()))
    }

    /// [`duty_holder`](Self::duty_holder) with the level named as in
    /// [`unit_id_at_level`](Self::unit_id_at_level).
    ///
    /// # Errors
    /// [`LookupError::UnknownLevel`], and as [`duty_holder`](Self::duty_holder).
    pub fn duty_holder_at(
        &self,
        id: &str,
        level: &str,
    ) -> Result<Option<&PersonSpec>, LookupError> {
        self.duty_holder(id, Level::of_query(level)?)
    }

    /// [`unit_at_level`](Self::unit_at_level) on keys, in O(1).
    #[inline]
    #[must_use]
    pub fn unit_at_level_key(&self, key: UnitKey, level: Level) -> Option<UnitKey> {
        self.rows.get(key.0 as usize)?.unit_at(level)
    }

    /// The units over unit `key` at each level and their duty holders, in one read:
    /// what routing asks of the organisation for a case there ([`UnitRow::NONE`] for a
    /// key it does not have).
    #[inline]
    pub(crate) fn unit_row(&self, key: UnitKey) -> UnitRow {
        self.rows
            .get(key.0 as usize)
            .copied()
            .unwrap_or(UnitRow::NONE)
    }

    /// The person who answers for a territorial unit at `level` (首办责任): at micro-grid
    /// level the micro-grid's own grid worker, else its grid's; at grid level the grid
    /// worker; at community level the committee member who liaises with the grid, else the
    /// community's lead; at subdistrict level the subdistrict's lead. `None` at department
    /// level (see [`office_holder`](Self::office_holder)) and where nobody is assigned.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`], or [`LookupError::WrongKind`] for a party unit.
    pub fn duty_holder(&self, id: &str, level: Level) -> Result<Option<&PersonSpec>, LookupError> {
        let i = self.territorial(id)?;
        Ok(self
            .duty_holder_index(UnitKey(i), level)
            .and_then(|p| self.spec.people.get(p as usize)))
    }

    /// Whether the organisation posts micro-grid leaders (微网格长) at all.
    #[must_use]
    pub fn has_micro_grid_leaders(&self) -> bool {
        self.micro_leaders_posted
    }

    /// The micro-grid leader posted to a micro-grid, if any.
    pub(crate) fn micro_grid_leader_index(&self, micro_grid: UnitKey) -> Option<u32> {
        self.micro_leader
            .get(micro_grid.0 as usize)
            .copied()
            .filter(|p| *p != NONE)
    }

    /// The index (in the spec's `people`) of the duty holder, in O(1).
    #[inline]
    pub(crate) fn duty_holder_index(&self, key: UnitKey, level: Level) -> Option<u32> {
        self.rows.get(key.0 as usize)?.holder_at(level)
    }

    /// The units at `level` over some micro-grid (where cases lie) that have no duty holder
    /// there for it (no grid worker, liaison or lead, as [`OrgGraph::duty_holder`] reads
    /// them), in key order: a case routed there without an office has no first handler.
    pub(crate) fn units_without_holder(&self, level: Level) -> Vec<UnitKey> {
        let r = level.rank();
        let mut out: Vec<u32> = self
            .rows
            .iter()
            .filter(|row| row.levels.first().is_some_and(|m| *m != NONE))
            .filter_map(|row| {
                let unit = *row.levels.get(r)?;
                (unit != NONE && row.holders.get(r).copied().unwrap_or(NONE) == NONE)
                    .then_some(unit)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out.into_iter().map(UnitKey).collect()
    }

    /// The id of the unit at `key`, from the organisation's table of id texts.
    pub(crate) fn unit_id_text(&self, key: UnitKey) -> Option<&str> {
        self.id_texts.units.get(key.0)
    }

    /// The id of the person at index `i` in the spec's `people`, from the table of id
    /// texts.
    pub(crate) fn person_id_text(&self, i: u32) -> Option<&str> {
        self.id_texts.people.get(i)
    }

    /// The id of the office at index `i` in the spec's `offices`, from the table of id
    /// texts.
    pub(crate) fn office_id_text(&self, i: u32) -> Option<&str> {
        self.id_texts.offices.get(i)
    }

    /// A person by index in the spec's `people`.
    pub(crate) fn person_at(&self, i: u32) -> Option<&PersonSpec> {
        self.spec.people.get(i as usize)
    }

    /// A person by id.
    #[must_use]
    pub fn person(&self, id: &str) -> Option<&PersonSpec> {
        self.person_ids
            .get(id)
            .and_then(|i| self.spec.people.get(i as usize))
    }

    /// An office by id.
    #[must_use]
    pub fn office(&self, id: &str) -> Option<&OfficeSpec> {
        self.office_ids
            .get(id)
            .and_then(|i| self.spec.offices.get(i as usize))
    }

    /// The index of an office in the spec's `offices`.
    pub(crate) fn office_index(&self, id: &str) -> Option<u32> {
        self.office_ids.get(id)
    }

    /// The person who answers for an office: its `lead`, else the first person attached.
    ///
    /// # Errors
    /// [`LookupError::UnknownOffice`].
    pub fn office_holder(&self, id: &str) -> Result<Option<&PersonSpec>, LookupError> {
        let i = self
            .office_index(id)
            .ok_or_else(|| LookupError::UnknownOffice(crate::text::truncate_for_message(id)))?;
        Ok(self.office_holder_index(i).and_then(|p| self.person_at(p)))
    }

    pub(crate) fn office_holder_index(&self, office: u32) -> Option<u32> {
        match self.office_lead.get(office as usize).copied() {
            Some(NONE) | None => None,
            Some(p) => Some(p),
        }
    }

    /// The office of `kind` that serves the subdistrict of a unit whose row is `row`, else a
    /// city-level office of that kind (one with no `unit`). The first in spec order.
    pub(crate) fn office_for_row(&self, row: &UnitRow, kind: OfficeKind) -> Option<u32> {
        let sd = row.unit_at(Level::Subdistrict).map_or(NONE, |k| k.0);
        self.office_by_kind
            .get(&(sd, kind))
            .or_else(|| self.office_by_kind.get(&(NONE, kind)))
            .copied()
    }

    /// Whether the organisation has any office of `kind`.
    #[must_use]
    pub fn has_office_kind(&self, kind: OfficeKind) -> bool {
        self.spec.offices.iter().any(|o| o.kind == kind)
    }

    /// An office by index in the spec's `offices`.
    pub(crate) fn office_at(&self, i: u32) -> Option<&OfficeSpec> {
        self.spec.offices.get(i as usize)
    }

    /// The offices that take cases of a category, in spec order.
    pub fn offices_taking<'a>(&'a self, category: &'a str) -> impl Iterator<Item = &'a OfficeSpec> {
        self.spec
            .offices
            .iter()
            .filter(move |o| o.categories.iter().any(|c| c.as_str() == category))
    }

    /// The territorial units a party unit is anchored to, in spec order.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn anchors(&self, party_unit: &str) -> Result<Vec<&UnitSpec>, LookupError> {
        let i = self.ix(party_unit)?;
        Ok(self.edge_targets(i, Edge::AnchoredTo, Direction::Outgoing))
    }

    /// The party units anchored directly to a territorial unit, in spec order.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn anchored_party_units(&self, territory: &str) -> Result<Vec<&UnitSpec>, LookupError> {
        let i = self.ix(territory)?;
        Ok(self.edge_targets(i, Edge::AnchoredTo, Direction::Incoming))
    }

    /// The nearest party unit of `kind` built on a territorial unit or on the closest unit
    /// above it: for a micro-grid and [`UnitKind::GridPartyBranch`], the branch on its grid.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`], or [`LookupError::WrongKind`] for a party unit.
    pub fn party_unit_over(
        &self,
        territory: &str,
        kind: UnitKind,
    ) -> Result<Option<&UnitSpec>, LookupError> {
        let mut cur = self.territorial(territory)?;
        loop {
            let found = self
                .edge_targets(cur, Edge::AnchoredTo, Direction::Incoming)
                .into_iter()
                .find(|u| u.kind == kind);
            if found.is_some() {
                return Ok(found);
            }
            match self.parent.get(cur as usize).copied() {
                Some(NONE) | None => return Ok(None),
                Some(p) => cur = p,
            }
        }
    }

    /// Households in a grid or micro-grid: its own figure, else (for a grid) the sum of
    /// its micro-grids'. Zero when nothing is recorded.
    ///
    /// # Errors
    /// [`LookupError::UnknownUnit`].
    pub fn households(&self, id: &str) -> Result<u64, LookupError> {
        let i = self.ix(id)?;
        Ok(self.households_at(i))
    }

    pub(crate) fn households_at(&self, i: u32) -> u64 {
        let Some(u) = self.at(i) else { return 0 };
        if let Some(h) = u.households {
            return u64::from(h);
        }
        if u.kind != UnitKind::Grid {
            return 0;
        }
        self.graph
            .edges_directed(NodeIndex::new(i as usize), Direction::Outgoing)
            .filter(|e| *e.weight() == Edge::Contains)
            .filter_map(|e| self.spec.units.get(e.target().index()))
            .filter_map(|c| c.households)
            .map(u64::from)
            .sum()
    }

    /// The volunteer teams that serve a grid.
    pub fn volunteer_teams_of<'a>(
        &'a self,
        grid: &'a str,
    ) -> impl Iterator<Item = &'a VolunteerTeamSpec> {
        self.spec
            .volunteer_teams
            .iter()
            .filter(move |t| t.grids.iter().any(|g| g.as_str() == grid))
    }

    /// Counts of units by kind and level, people by role, offices, teams and anchors.
    #[must_use]
    pub fn counts(&self) -> OrgCounts {
        let mut units: BTreeMap<UnitKind, usize> = UnitKind::ALL.iter().map(|&k| (k, 0)).collect();
        for u in &self.spec.units {
            *units.entry(u.kind).or_default() += 1;
        }
        let levels = Level::ALL
            .iter()
            .map(|&l| {
                let n = l.unit_kind().map_or(self.spec.offices.len(), |k| {
                    units.get(&k).copied().unwrap_or(0)
                });
                (l, n)
            })
            .collect();
        let mut people: BTreeMap<Role, usize> = Role::ALL.iter().map(|&r| (r, 0)).collect();
        for p in &self.spec.people {
            *people.entry(p.role).or_default() += 1;
        }
        OrgCounts {
            units,
            levels,
            people,
            offices: self.spec.offices.len(),
            volunteer_teams: self.spec.volunteer_teams.len(),
            volunteers: self
                .spec
                .volunteer_teams
                .iter()
                .map(|t| u64::from(t.members))
                .sum(),
            anchors: self
                .graph
                .edge_weights()
                .filter(|e| **e == Edge::AnchoredTo)
                .count(),
            households: self
                .units_of_kind(UnitKind::Grid)
                .filter_map(|g| self.unit_ids.get(g.id.as_str()))
                .map(|i| self.households_at(i))
                .sum(),
        }
    }

    /// Where the organisation leaves something uncovered: units nobody answers for,
    /// compounds without a grid, territorial units no party unit is built on.
    #[must_use]
    pub fn coverage(&self) -> CoverageReport {
        let mut report = CoverageReport::default();
        let anchored_kinds = |i: u32| -> Vec<UnitKind> {
            self.graph
                .edges_directed(NodeIndex::new(i as usize), Direction::Incoming)
                .filter(|e| *e.weight() == Edge::AnchoredTo)
                .map(|e| {
                    *self
                        .graph
                        .node_weight(e.source())
                        .unwrap_or(&UnitKind::Building)
                })
                .collect()
        };
        // Micro-grids covered through a building party group on one of their buildings.
        let mut micro_covered = vec![false; self.len()];
        for (i, u) in self.spec.units.iter().enumerate() {
            let ix = u32::try_from(i).unwrap_or(NONE);
            let has_group = anchored_kinds(ix).contains(&UnitKind::BuildingPartyGroup);
            if !has_group {
                continue;
            }
            let micro = match u.kind {
                UnitKind::MicroGrid => Some(ix),
                UnitKind::Building => self
                    .unit_at_level_key(UnitKey(ix), Level::MicroGrid)
                    .map(|k| k.0),
                _ => None,
            };
            if let Some(slot) = micro.and_then(|m| micro_covered.get_mut(m as usize)) {
                *slot = true;
            }
        }
        for (i, u) in self.spec.units.iter().enumerate() {
            let ix = u32::try_from(i).unwrap_or(NONE);
            let key = UnitKey(ix);
            if let Some(level) = u.kind.level() {
                if self.duty_holder_index(key, level).is_none() {
                    report.without_duty_holder.push(DutyGap {
                        unit: u.id.clone(),
                        kind: u.kind,
                        level,
                    });
                }
            }
            match u.kind {
                UnitKind::Grid => {
                    if self.duty_holder_index(key, Level::Community).is_none() {
                        report.without_duty_holder.push(DutyGap {
                            unit: u.id.clone(),
                            kind: u.kind,
                            level: Level::Community,
                        });
                    }
                    if self.liaison.get(i).copied().unwrap_or(NONE) == NONE {
                        report.grids_without_liaison.push(u.id.clone());
                    }
                    if !anchored_kinds(ix).contains(&UnitKind::GridPartyBranch) {
                        report.grids_without_party_branch.push(u.id.clone());
                    }
                }
                UnitKind::MicroGrid if !micro_covered.get(i).copied().unwrap_or(false) => {
                    report.micro_grids_without_party_group.push(u.id.clone());
                }
                UnitKind::Community
                    if !anchored_kinds(ix).contains(&UnitKind::CommunityPartyCommittee) =>
                {
                    report
                        .communities_without_party_committee
                        .push(u.id.clone());
                }
                _ => {}
            }
        }
        for g in &self.gaps {
            match g {
                OrgProblem::CompoundWithoutGrid { id } => {
                    report.compounds_without_grid.push(id.clone());
                }
                OrgProblem::UnanchoredPartyUnit { id, .. } => {
                    report.unanchored_party_units.push(id.clone());
                }
                _ => {}
            }
        }
        for (i, o) in self.spec.offices.iter().enumerate() {
            let oi = u32::try_from(i).unwrap_or(NONE);
            if self.office_holder_index(oi).is_none() {
                report.offices_without_holder.push(o.id.clone());
            }
        }
        report
    }

    /// Counts and coverage together, as printed by the `fushan` example and returned by
    /// the JSON entry point.
    #[must_use]
    pub fn summary(&self) -> OrgSummary {
        OrgSummary {
            name: self.spec.name.clone(),
            name_en: self.spec.name_en.clone(),
            counts: self.counts(),
            coverage: self.coverage(),
        }
    }
}

fn territorial_kinds() -> Vec<UnitKind> {
    UnitKind::ALL
        .iter()
        .copied()
        .filter(|k| k.hierarchy() == Hierarchy::Territory)
        .collect()
}

/// Counts of the parts of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct OrgCounts {
    /// Units by kind (every kind listed, zero included).
    pub units: BTreeMap<UnitKind, usize>,
    /// Units per routing level; `department` counts offices.
    pub levels: BTreeMap<Level, usize>,
    /// People by role.
    pub people: BTreeMap<Role, usize>,
    /// Offices.
    pub offices: usize,
    /// Volunteer service teams.
    pub volunteer_teams: usize,
    /// Members of all volunteer teams.
    pub volunteers: u64,
    /// Anchoring edges from party units to territorial units.
    pub anchors: usize,
    /// Households in all grids.
    pub households: u64,
}

/// A unit nobody answers for at some level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DutyGap {
    /// The unit.
    pub unit: UnitId,
    /// Its kind.
    pub kind: UnitKind,
    /// The level at which nobody answers.
    pub level: Level,
}

/// What the organisation leaves uncovered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct CoverageReport {
    /// Territorial units with no duty holder at their own level (and grids with none at
    /// community level).
    pub without_duty_holder: Vec<DutyGap>,
    /// Grids no committee member liaises with (community level falls back to the
    /// community's lead).
    pub grids_without_liaison: Vec<UnitId>,
    /// Offices with nobody to take their cases.
    pub offices_without_holder: Vec<OfficeId>,
    /// Compounds with no grid (only under [`GapPolicy::Report`]).
    pub compounds_without_grid: Vec<UnitId>,
    /// Party units anchored to nothing (only under [`GapPolicy::Report`]).
    pub unanchored_party_units: Vec<UnitId>,
    /// Communities no community party committee is built on.
    pub communities_without_party_committee: Vec<UnitId>,
    /// Grids no grid party branch is built on.
    pub grids_without_party_branch: Vec<UnitId>,
    /// Micro-grids with no building party group on them or on one of their buildings.
    pub micro_grids_without_party_group: Vec<UnitId>,
}

/// Name, counts and coverage of an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct OrgSummary {
    /// Chinese name.
    pub name: String,
    /// English name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Counts.
    pub counts: OrgCounts,
    /// Coverage.
    pub coverage: CoverageReport,
}

#[cfg(test)]
mod tests;
